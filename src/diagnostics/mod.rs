//! Findings about the user's documents: what is wrong, where (file:line:column), why it
//! matters (the clause) and how to fix it. Collected from every file, sorted, printed together.

mod chunked;
pub(crate) mod format;
pub mod rules;
pub(crate) mod sarif;

pub use format::{print, Format};
pub use rules::Rule;

use serde::Serialize;

use crate::yaml::Pos;

/// How serious a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Fails the run (exit 1).
    Error,
    /// Reported; an error under `--strict`.
    Warning,
    /// For information only.
    Notice,
}

impl Severity {
    /// The lowercase word used in every output format.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Notice => "notice",
        }
    }
}

/// One finding.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    /// Stable rule code.
    pub code: &'static str,
    /// Severity after configuration and `--strict`.
    pub severity: Severity,
    /// Path relative to the content root, with `/` separators.
    pub file: String,
    /// 1-based line.
    pub line: usize,
    /// 1-based column.
    pub column: usize,
    /// What is wrong.
    pub message: String,
    /// How to fix it.
    pub hint: String,
    /// The ISO/IEC 42001 clause the rule enforces.
    pub clause: &'static str,
    /// Other places that explain the finding ("first used here"), each with its own location.
    pub notes: Vec<Note>,
    /// Characters the offending text spans from `column` (a whole link), for the caret; 0: the
    /// token there. Not part of the machine-readable formats.
    #[serde(skip)]
    pub width: usize,
}

/// A second location attached to a finding: where the other half of a conflict is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Note {
    /// Path relative to the content root, with `/` separators.
    pub file: String,
    /// 1-based line.
    pub line: usize,
    /// 1-based column.
    pub column: usize,
    /// What is there (`first used here`).
    pub message: String,
}

impl Diagnostic {
    /// A finding of `rule` at `pos` in `file`, with the rule's default severity.
    pub fn new(rule: &'static Rule, file: &str, pos: Pos, message: impl Into<String>) -> Self {
        Diagnostic {
            code: rule.code,
            severity: rule.severity,
            file: file.to_string(),
            line: pos.line.max(1),
            column: pos.column.max(1),
            message: message.into(),
            hint: String::new(),
            clause: rule.clause,
            notes: Vec::new(),
            width: 0,
        }
    }

    /// Sets how many characters the caret covers (0: the token at the column).
    pub fn width(mut self, width: usize) -> Self {
        self.width = width;
        self
    }

    /// Adds a note pointing at `pos` in `file`.
    pub fn note(mut self, file: &str, pos: Pos, message: impl Into<String>) -> Self {
        self.notes.push(Note {
            file: file.to_string(),
            line: pos.line.max(1),
            column: pos.column.max(1),
            message: message.into(),
        });
        self
    }

    /// Adds the fix suggestion.
    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = hint.into();
        self
    }

    /// Overrides the severity (configuration, `--strict`).
    pub fn severity(mut self, severity: Severity) -> Self {
        self.severity = severity;
        self
    }

    fn sort_key(&self) -> (&str, usize, usize, &str, &str) {
        (&self.file, self.line, self.column, self.code, &self.message)
    }
}

/// Sorts findings by file, line, column and code, and removes exact repeats.
pub fn sort(diags: &mut Vec<Diagnostic>) {
    diags.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    diags.dedup();
}

/// Applies `--strict`: every warning becomes an error.
pub fn make_strict(diags: &mut [Diagnostic]) {
    for d in diags.iter_mut().filter(|d| d.severity == Severity::Warning) {
        d.severity = Severity::Error;
    }
}

/// Counts of findings per severity.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Counts {
    /// Errors.
    pub errors: usize,
    /// Warnings.
    pub warnings: usize,
    /// Notices.
    pub notices: usize,
}

impl Counts {
    /// Counts `diags` by severity.
    pub fn of(diags: &[Diagnostic]) -> Self {
        let mut c = Counts::default();
        for d in diags {
            match d.severity {
                Severity::Error => c.errors += 1,
                Severity::Warning => c.warnings += 1,
                Severity::Notice => c.notices += 1,
            }
        }
        c
    }
}

/// The prefix that turns a content-relative path into one the user can open: the content root
/// as typed on the command line (`content-example/`), nothing for the working directory.
pub fn display_root(root: &std::path::Path) -> String {
    match root.to_string_lossy().as_ref() {
        "." | "./" | "" => String::new(),
        other => format!("{}/", other.trim_end_matches('/')),
    }
}

/// Whether to colour output written to a stream that `is_terminal` or not: only a terminal, and
/// never when `NO_COLOR` is set to anything (no-color.org).
pub fn use_color(is_terminal: bool) -> bool {
    is_terminal && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}
