//! Print marking (Clause 7.5.3): small stylesheets under `assets/marks/` whose CSS paged-media
//! margin boxes put what identifies a printed copy on every printed page.
//!
//! - `assets/marks/site.css` (linked by every page): the organisation and portal name in the
//!   printed header.
//! - `assets/marks/doc-ID.css` (linked by document `ID`'s page only): "Uncontrolled when
//!   printed", the id, version, start of the source hash and the site digest in the footer,
//!   led by the document's state where it is not in force ("DRAFT - NOT APPROVED",
//!   "SUPERSEDED", ...).
//! - `assets/marks/page-soa.css`, `page-register.css`, `page-checklist.css`: the same kind of
//!   footer for the Statement of Applicability (the SoA document's id, version and approval),
//!   the register and the checklist (the date they were generated for), with the site digest.
//!
//! One file per page keeps each page's print marks at a few hundred bytes at any number of
//! documents, and external files rather than a `<style>` per page keep the site working under a
//! `default-src 'self'` Content-Security-Policy, which blocks inline styles.

use std::fmt::Write as _;

use super::section::Section;
use super::view::DocRow;
use super::RenderCx;
use crate::assess::Currency;

/// One print-marks stylesheet.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Marks {
    /// The printed header of every page.
    Site,
    /// The footer of document `i`'s page (index into the document list).
    Document(usize),
    /// The footer of the Statement of Applicability.
    Soa,
    /// The footer of the document register.
    Register,
    /// The footer of the mandatory documented-information checklist.
    Checklist,
    /// The header and footer of the page of document `i`'s `k`th superseded version (from git).
    OldVersion(usize, usize),
}

/// Path of the site-wide print header, relative to the site root.
pub(crate) const SITE_PATH: &str = "assets/marks/site.css";

impl Marks {
    /// The stylesheets of a build, in a stable order (documents last).
    pub(crate) fn all(documents: usize) -> impl Iterator<Item = Marks> {
        [Marks::Site, Marks::Soa, Marks::Register, Marks::Checklist]
            .into_iter()
            .chain((0..documents).map(Marks::Document))
    }

    /// Path relative to the site root.
    pub(crate) fn path(self, cx: &RenderCx) -> String {
        match self {
            Marks::Site => SITE_PATH.into(),
            Marks::Document(i) => doc_path(&cx.rows[i].id),
            Marks::Soa => "assets/marks/page-soa.css".into(),
            Marks::Register => "assets/marks/page-register.css".into(),
            Marks::Checklist => "assets/marks/page-checklist.css".into(),
            Marks::OldVersion(i, k) => old_version_path(cx, i, k),
        }
    }

    /// The footer stylesheet of a page in `section` (document pages have their own, by id).
    pub(crate) fn of_section(section: Section) -> Option<Marks> {
        match section {
            Section::Soa => Some(Marks::Soa),
            Section::Register => Some(Marks::Register),
            Section::Checklist => Some(Marks::Checklist),
            _ => None,
        }
    }

    /// The stylesheet's text.
    pub(crate) fn css(self, cx: &RenderCx) -> String {
        match self {
            Marks::Site => site_css(cx),
            Marks::Document(i) => {
                footer_css(&document_footer(&cx.tree.documents[i].sha256, &cx.rows[i], &cx.site_digest))
            }
            Marks::Soa => footer_css(&soa_footer(cx)),
            Marks::Register => footer_css(&generated_footer("Document register", cx)),
            Marks::Checklist => footer_css(&generated_footer("Mandatory documented information", cx)),
            Marks::OldVersion(i, k) => old_version_css(cx, i, k),
        }
    }
}

/// Path of the print marks of the page of document `i`'s `k`th superseded version.
fn old_version_path(cx: &RenderCx, i: usize, k: usize) -> String {
    let version = super::versions::superseded(cx, i).get(k).map(|v| v.version.clone()).unwrap_or_default();
    format!("assets/marks/doc-{}-v{}.css", crate::urls::encode_path(&cx.rows[i].id), crate::urls::encode_path(&version))
}

/// "Superseded version, not in force" on top of every printed page of an old version (or, for
/// the version in force while its successor is drafted, that it is in force), and a footer that
/// identifies the copy.
fn old_version_css(cx: &RenderCx, i: usize, k: usize) -> String {
    let version = super::versions::superseded(cx, i).get(k).map(|v| v.version.clone()).unwrap_or_default();
    let in_force = cx.assessment.in_force[i].as_deref().filter(|f| f.version == version && f.stands());
    let mark = match in_force {
        Some(_) => {
            format!("VERSION IN FORCE \u{b7} SUCCESSOR {} IN {}", cx.rows[i].version, cx.rows[i].status.to_uppercase())
        }
        None => "SUPERSEDED VERSION, NOT IN FORCE".to_string(),
    };
    let footer = format!(
        "{mark} \u{b7} Uncontrolled when printed \u{b7} {} version {version} \u{b7} site digest {}",
        cx.rows[i].id, cx.site_digest
    );
    format!(
        "{HEAD}@page {{ @top-center {{ content: {}; }} @bottom-left {{ content: {}; }} }}\n",
        css_string(&mark),
        css_string(&footer)
    )
}

/// Path of document `id`'s print marks relative to the site root.
pub(crate) fn doc_path(id: &str) -> String {
    format!("assets/marks/doc-{}.css", crate::urls::encode_path(id))
}

const HEAD: &str = "@charset \"utf-8\";\n/* Generated by aimsdoc: print marks (CSS paged media margin boxes). */\n";

fn site_css(cx: &RenderCx) -> String {
    let site = &cx.config.site;
    let header = if site.organisation.is_empty() {
        site.title.clone()
    } else {
        format!("{} \u{b7} {}", site.organisation, site.title)
    };
    format!("{HEAD}@page {{ @top-left {{ content: {}; }} }}\n", css_string(&header))
}

fn footer_css(text: &str) -> String {
    format!("{HEAD}@page {{ @bottom-left {{ content: {}; }} }}\n", css_string(text))
}

/// The footer line of a document page: its state where it is not in force, then what
/// identifies the copy.
pub(crate) fn document_footer(sha256: &str, row: &DocRow, digest: &str) -> String {
    let mut out = String::new();
    if let Some(mark) = state_mark(row.currency) {
        let _ = write!(out, "{mark} \u{b7} ");
    }
    let _ = write!(
        out,
        "Uncontrolled when printed \u{b7} {} version {} \u{b7} source SHA-256 {} \u{b7} site digest {digest}",
        row.id,
        row.version,
        &sha256[..sha256.len().min(12)]
    );
    out
}

/// What a printed page of a document not in force says first, in capitals.
pub(crate) fn state_mark(currency: Currency) -> Option<&'static str> {
    Some(match currency {
        Currency::Draft => "DRAFT - NOT APPROVED",
        Currency::InReview => "IN REVIEW - NOT APPROVED",
        Currency::VersionNotApproved => "VERSION NOT APPROVED",
        Currency::Superseded => "SUPERSEDED",
        Currency::Withdrawn => "WITHDRAWN",
        Currency::NotYetEffective => "NOT YET EFFECTIVE",
        Currency::Overdue => "REVIEW OVERDUE",
        Currency::Current | Currency::DueSoon => return None,
    })
}

/// The SoA page's footer: the SoA document's id, version and approval (or the lack of one).
fn soa_footer(cx: &RenderCx) -> String {
    let Some(i) = cx.assessment.soa.document else {
        return format!(
            "Statement of Applicability \u{b7} NO SoA DOCUMENT \u{b7} as of {} \u{b7} site digest {}",
            cx.today, cx.site_digest
        );
    };
    let row = &cx.rows[i];
    let approval = if row.currency.is_approved() && !row.approval_date.is_empty() {
        format!("approved {} by {}", row.approval_date, row.approved_by)
    } else {
        state_mark(row.currency).unwrap_or("NOT APPROVED").to_string()
    };
    format!(
        "Statement of Applicability {} version {} \u{b7} {approval} \u{b7} as of {} \u{b7} site digest {}",
        row.id, row.version, cx.today, cx.site_digest
    )
}

/// The footer of a page generated from the whole tree (register, checklist).
fn generated_footer(title: &str, cx: &RenderCx) -> String {
    format!("{title} \u{b7} generated as of {} \u{b7} site digest {}", cx.today, cx.site_digest)
}

/// `s` as a quoted CSS string: quotes, backslashes, and every character outside printable ASCII
/// become `\HEX ` escapes, so nothing in it can end the string or the rule.
pub(crate) fn css_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        if (c.is_ascii_graphic() && !matches!(c, '"' | '\\' | '<' | '>' | '&')) || c == ' ' {
            out.push(c);
        } else {
            let _ = write!(out, "\\{:X} ", u32::from(c));
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn css_strings_cannot_break_out() {
        assert_eq!(css_string("Acme Ltd"), "\"Acme Ltd\"");
        assert_eq!(css_string("a\"; } body { x"), "\"a\\22 ; } body { x\"");
        assert_eq!(css_string("x\\y\n"), "\"x\\5C y\\A \"");
        assert_eq!(css_string("Müller · Co"), "\"M\\FC ller \\B7  Co\"");
        assert_eq!(css_string("</style>"), "\"\\3C /style\\3E \"");
    }

    #[test]
    fn documents_not_in_force_say_so_first() {
        assert_eq!(state_mark(Currency::Draft), Some("DRAFT - NOT APPROVED"));
        assert_eq!(state_mark(Currency::Superseded), Some("SUPERSEDED"));
        assert_eq!(state_mark(Currency::Current), None);
        assert_eq!(state_mark(Currency::DueSoon), None);
    }
}
