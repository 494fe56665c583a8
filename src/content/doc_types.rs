//! The built-in document types, in one table: the word written in `type:`, the id prefix
//! `aimsdoc new` numbers from, the folder it writes into, and the plural label the portal shows.
//! Configured `extra_types` fall back to rules derived from their name.

/// One built-in document type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct DocType {
    /// As written in `type:`.
    pub name: &'static str,
    /// Id prefix for `aimsdoc new` (`POL` -> `POL-001`).
    pub prefix: &'static str,
    /// Folder under the documents root that `aimsdoc new` writes into.
    pub folder: &'static str,
    /// Plural label for navigation and filters.
    pub label: &'static str,
}

const fn t(name: &'static str, prefix: &'static str, folder: &'static str, label: &'static str) -> DocType {
    DocType { name, prefix, folder, label }
}

/// The type of external-origin documents (a standard, a regulation, a supplier's certificate).
pub(crate) const EXTERNAL: &str = "external";

/// The type of blank forms (headings and fields by nature, filled in elsewhere).
pub(crate) const FORM: &str = "form";

/// The types whose documents are records (7.5.3): evidence of something that happened, kept
/// for a retention period, never reviewed or revised; they carry `record_date` and `retention`.
pub(crate) const RECORD_TYPES: &[&str] = &["record", "report"];

/// Every built-in type, in the order the configuration lists them.
pub(crate) const BUILTIN: &[DocType] = &[
    t("policy", "POL", "policies", "Policies"),
    t("procedure", "PRC", "procedures", "Procedures"),
    t("plan", "PLN", "plans", "Plans"),
    t("standard", "STD", "standards", "Standards"),
    t("guideline", "GDL", "guidelines", "Guidelines"),
    t("register", "REG", "registers", "Registers"),
    t("record", "REC", "records", "Records"),
    t("form", "FRM", "forms", "Forms"),
    t("report", "RPT", "reports", "Reports"),
    t("soa", "SOA", "soa", "SoA documents"),
    t(EXTERNAL, "EXT", "external", "External documents"),
];

/// The built-in type named `name`, if it is one.
pub(crate) fn builtin(name: &str) -> Option<&'static DocType> {
    BUILTIN.iter().find(|t| t.name == name)
}

/// The plural label of type `name`: the built-in label, or the name as written.
pub(crate) fn label(name: &str) -> &str {
    builtin(name).map_or(name, |t| t.label)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn built_in_types_are_unique_and_complete() {
        let names: std::collections::BTreeSet<_> = BUILTIN.iter().map(|t| t.name).collect();
        let prefixes: std::collections::BTreeSet<_> = BUILTIN.iter().map(|t| t.prefix).collect();
        assert_eq!(names.len(), 11);
        assert_eq!(prefixes.len(), 11);
        assert_eq!(label("soa"), "SoA documents");
        assert_eq!(label("ai-model-card"), "ai-model-card");
        assert_eq!(builtin(EXTERNAL).map(|t| t.prefix), Some("EXT"));
    }
}
