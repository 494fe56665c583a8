//! The part of the portal a page belongs to: it names the page's CSS class (`section-...`) and
//! the sidebar entry marked current, so neither is guessed from a page's title.

/// A part of the portal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Section {
    /// `index.html`.
    Dashboard,
    /// The document register.
    Register,
    /// A document page.
    Documents,
    /// The Statement of Applicability.
    Soa,
    /// The evidence index.
    Evidence,
    /// The mandatory documented-information checklist.
    Checklist,
    /// Clause pages and their index.
    Clauses,
    /// Annex A pages and their index.
    AnnexA,
    /// The search page.
    Search,
    /// "Verify this portal".
    Verify,
    /// What changed since an earlier release (`changes.html`).
    Changes,
    /// The NIST AI RMF crosswalk.
    Nist,
    /// The ISO/IEC 27001 comparison.
    Iso27001,
}

impl Section {
    /// The word templates see as `section` (and the page's CSS class `section-<word>`).
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Section::Dashboard => "dashboard",
            Section::Register => "register",
            Section::Documents => "documents",
            Section::Soa => "soa",
            Section::Evidence => "evidence",
            Section::Checklist => "checklist",
            Section::Clauses => "clauses",
            Section::AnnexA => "annex-a",
            Section::Search => "search",
            Section::Verify => "verify",
            Section::Changes => "changes",
            Section::Nist | Section::Iso27001 => "crosswalks",
        }
    }

    /// The key of the sidebar entry marked current (pages with more precise keys, such as
    /// documents and catalog entries, override it).
    pub(crate) fn nav_key(self) -> &'static str {
        match self {
            Section::Documents => "register",
            Section::Nist => "nist",
            Section::Iso27001 => "iso27001",
            Section::Verify => "",
            other => other.as_str(),
        }
    }
}
