//! `aimsdoc.toml`: site and policy configuration. Every key has a default, so a missing or empty
//! file works; an unknown key is a configuration error (exit 2) with a hint.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::Context as _;
use serde::{Deserialize, Serialize};

use crate::contain::Root;
use crate::content::types::Period;

mod typed;
use crate::failure::fail;

/// The name of the configuration file at the content root.
pub const FILE_NAME: &str = "aimsdoc.toml";

/// The whole configuration.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    /// Site identity.
    pub site: Site,
    /// Where things are, relative to the content root.
    pub paths: Paths,
    /// Document types and rendering.
    pub documents: Documents,
    /// Classification levels and what is published.
    pub classification: Classification,
    /// Review policy.
    pub review: Review,
    /// Approval policy: who may approve which document types.
    pub approval: Approval,
    /// The Statement of Applicability.
    pub soa: Soa,
    /// The mandatory documented-information checklist.
    pub checklist: Checklist,
    /// Retention policy for records.
    pub retention: RetentionPolicy,
    /// Who signs released portals (`aimsdoc sign`).
    pub release: Release,
    /// How far the tree is trusted (from the command line, never from the file).
    #[serde(skip)]
    pub trust: Trust,
}

/// How far a content tree is trusted. A pull request's tree is [`Trust::Untrusted`]: its theme
/// overrides are ignored, raw HTML is escaped whatever the configuration says, and every
/// symlink in it is refused.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Trust {
    /// The tree comes from the organisation's reviewed main line.
    #[default]
    Trusted,
    /// The tree comes from an unreviewed change (`--untrusted`).
    Untrusted,
}

/// Site identity shown in every page header and footer.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(default, deny_unknown_fields)]
pub struct Site {
    /// Site title.
    pub title: String,
    /// Organisation name.
    pub organisation: String,
    /// Optional public base URL (links are relative anyway; used in exports only).
    pub base_url: String,
    /// Extra footer text.
    pub footer: String,
    /// Optional logo shown in the header: a file inside the content root (e.g.
    /// `theme/assets/logo.svg`), copied into the site as `assets/brand-logo.<ext>`
    /// (`logo = ""` means none).
    #[serde(deserialize_with = "typed::non_empty")]
    pub logo: Option<String>,
    /// Optional accent colour `#rrggbb` for links, focus rings and highlights, parsed when the
    /// file is read; aimsdoc derives variants readable on the light and dark backgrounds
    /// (`assets/brand.css`).
    #[serde(deserialize_with = "typed::accent")]
    pub accent: Option<[u8; 3]>,
}

impl Default for Site {
    fn default() -> Self {
        Site {
            title: "AI Management System".into(),
            organisation: String::new(),
            base_url: String::new(),
            footer: String::new(),
            logo: None,
            accent: None,
        }
    }
}

/// File types a `[site] logo` may have (browsers show all of them in an `<img>`).
pub const LOGO_EXTENSIONS: &[&str] = &["svg", "png", "jpg", "jpeg", "webp", "gif"];

impl Site {
    /// The accent colour as RGB, when one is set.
    pub fn accent_rgb(&self) -> Option<[u8; 3]> {
        self.accent
    }

    /// The logo's extension, lower case, when a logo is set.
    pub fn logo_extension(&self) -> Option<String> {
        Some(Path::new(self.logo.as_deref()?).extension()?.to_string_lossy().to_ascii_lowercase())
    }

    /// Checks what can be checked without the file system: the accent's syntax and the logo's
    /// path shape and type.
    fn check(&self) -> anyhow::Result<()> {
        let Some(logo) = &self.logo else {
            return Ok(());
        };
        if Path::new(logo).is_absolute() || logo.split(['/', '\\']).any(|p| p == "..") {
            fail!(
                help = "put the file in the content tree, e.g. logo = \"theme/assets/logo.svg\"",
                "[site] logo = {:?} must be a relative path inside the content root",
                logo
            );
        }
        if !self.logo_extension().is_some_and(|e| LOGO_EXTENSIONS.contains(&e.as_str())) {
            fail!(
                help = (
                    "use a file ending in one of {}",
                    LOGO_EXTENSIONS.iter().map(|e| format!(".{e}")).collect::<Vec<_>>().join(", ")
                ),
                "[site] logo = {:?} is not an image aimsdoc can use",
                logo
            );
        }
        Ok(())
    }

    /// Checks that the logo (if any) is a regular file inside `root` (see [`crate::contain`]).
    fn check_files(&self, root: &Path, trust: Trust) -> anyhow::Result<()> {
        let Some(logo) = &self.logo else {
            return Ok(());
        };
        let contained = Root::new(root, trust).with_context(|| format!("cannot open `{}`", root.display()))?;
        if let Err(refusal) = contained.resolve(logo) {
            fail!(
                help = "the path is relative to the content root (the folder holding aimsdoc.toml) and must name a regular file inside it",
                "[site] logo = {:?} {}",
                logo,
                refusal.describe()
            );
        }
        Ok(())
    }
}

/// The largest `aimsdoc.toml` read.
const MAX_CONFIG_BYTES: u64 = 1 << 20;

/// Parses `#rrggbb` (either case) into RGB.
pub fn parse_hex_colour(s: &str) -> Option<[u8; 3]> {
    let hex = s.strip_prefix('#')?;
    if hex.len() != 6 || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    let byte = |i: usize| u8::from_str_radix(&hex[i..i + 2], 16).ok();
    Some([byte(0)?, byte(2)?, byte(4)?])
}

/// Locations relative to the content root.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(default, deny_unknown_fields)]
pub struct Paths {
    /// Controlled documents (`*.md`, any depth).
    pub documents: String,
    /// Evidence files referenced by records.
    pub evidence: String,
    /// Built site (relative to the content root unless absolute).
    pub output: String,
    /// Optional theme overrides.
    pub theme: String,
}

impl Paths {
    /// Every configured path is a plain relative path inside the content root: not empty, not
    /// absolute, no `..` or `.` (so `evidence = ""` cannot make the whole tree evidence). An
    /// output folder elsewhere can only be asked for on the command line (`--out`), which a
    /// pull request does not control.
    fn check(&self) -> anyhow::Result<()> {
        for (key, dir) in [
            ("documents", &self.documents),
            ("evidence", &self.evidence),
            ("output", &self.output),
            ("theme", &self.theme),
        ] {
            let plain = crate::contain::normal_components(dir.trim_end_matches('/'))
                .is_some_and(|parts| parts.iter().all(|p| *p != "." && !p.is_empty()))
                && !dir.starts_with("./");
            if !plain {
                fail!(
                    help = ("e.g. {key} = {:?}; to build elsewhere, pass `--out DIR` on the command line", Paths::default().get(key)),
                    "[paths] {key} = {dir:?} must be a relative folder inside the content root, without `..`, `.` or a leading `/`"
                );
            }
        }
        Ok(())
    }

    fn get(&self, key: &str) -> &str {
        match key {
            "documents" => &self.documents,
            "evidence" => &self.evidence,
            "output" => &self.output,
            _ => &self.theme,
        }
    }
}

impl Default for Paths {
    fn default() -> Self {
        Paths {
            documents: "documents".into(),
            evidence: "evidence".into(),
            output: "site".into(),
            theme: "theme".into(),
        }
    }
}

/// Document types and body rendering.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(default, deny_unknown_fields)]
pub struct Documents {
    /// Allowed values of `type`.
    pub types: Vec<String>,
    /// Types added to the built-in list.
    pub extra_types: Vec<String>,
    /// Render raw HTML in bodies instead of escaping it (trusted authors only).
    pub allow_raw_html: bool,
}

impl Default for Documents {
    fn default() -> Self {
        Documents {
            types: crate::content::doc_types::BUILTIN.iter().map(|t| t.name.to_string()).collect(),
            extra_types: Vec::new(),
            allow_raw_html: false,
        }
    }
}

/// Classification levels, lowest first.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(default, deny_unknown_fields)]
pub struct Classification {
    /// Levels from least to most sensitive.
    pub levels: Vec<String>,
    /// Highest level whose bodies are published; documents above it appear as metadata only.
    pub publish_up_to: String,
    /// Level assumed when a document has none.
    pub default: String,
}

impl Default for Classification {
    fn default() -> Self {
        Classification {
            levels: ["public", "internal", "confidential", "restricted"].iter().map(|s| s.to_string()).collect(),
            publish_up_to: "confidential".into(),
            default: "internal".into(),
        }
    }
}

/// Severity of overdue reviews.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum OverdueLevel {
    /// A warning (error under `--strict`).
    #[default]
    Warning,
    /// Always an error.
    Error,
}

/// Review policy.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(default, deny_unknown_fields)]
pub struct Review {
    /// Reviews due within this many days are reported as notices.
    pub warn_within_days: u32,
    /// Severity of an overdue review.
    pub overdue: OverdueLevel,
    /// Longest allowed gap between approval (or last review) and the next review (`"1y"` in
    /// the file).
    #[serde(deserialize_with = "typed::period")]
    pub max_review_interval: Period,
    /// How an approver who owns the document or authored its version is reported: `"off"`,
    /// `"warning"` or `"error"` (`true`/`false` still read as warning/off).
    #[serde(deserialize_with = "typed::segregation")]
    pub segregation_of_duties: Segregation,
}

pub use typed::Segregation;

/// Approval policy (`[approval]`).
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(default, deny_unknown_fields)]
pub struct Approval {
    /// Document type -> the roles or people allowed to approve it (`[approval.authority]`);
    /// a type not listed may be approved by anyone.
    pub authority: BTreeMap<String, Vec<String>>,
}

impl Approval {
    /// Every key names a document type and lists at least one approver.
    fn check(&self, types: &[&str]) -> anyhow::Result<()> {
        for (doc_type, allowed) in &self.authority {
            if !types.contains(&doc_type.as_str()) {
                fail!(
                    help = ("use one of the document types: {}", types.join(", ")),
                    "[approval.authority] {doc_type:?} is not a document type"
                );
            }
            if allowed.iter().all(|a| a.trim().is_empty()) {
                fail!(
                    help = "list the roles or people who may approve it, e.g. [\"Top management\"], or remove the key",
                    "[approval.authority] {doc_type:?} lists no one who may approve"
                );
            }
        }
        Ok(())
    }
}

impl Default for Review {
    fn default() -> Self {
        Review {
            warn_within_days: 30,
            overdue: OverdueLevel::Warning,
            max_review_interval: Period { months: 12 },
            segregation_of_duties: Segregation::Warning,
        }
    }
}

/// Which document is the Statement of Applicability (6.1.3).
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(default, deny_unknown_fields)]
pub struct Soa {
    /// The document type whose `applicability` list is the SoA.
    pub document_type: String,
}

impl Default for Soa {
    fn default() -> Self {
        Soa { document_type: "soa".into() }
    }
}

/// The mandatory documented-information checklist (clauses marked `required` in the catalog).
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(default, deny_unknown_fields)]
pub struct Checklist {
    /// Report missing items (and a missing SoA) as warnings: `true` always, `false` never, unset
    /// when the tree has a Statement of Applicability, i.e. is a whole AIMS rather than a part.
    /// The portal shows the checklist either way.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub enabled: Option<bool>,
    /// How often a new record is expected, per record item (`"9.3.3/results" = "6m"`),
    /// overriding the catalog's `expected_every`; checked against the catalog when read.
    #[serde(deserialize_with = "expected_every", skip_serializing_if = "BTreeMap::is_empty")]
    pub expected_every: BTreeMap<String, Period>,
}

/// `[checklist.expected_every]`: keys are record items of the catalog, values periods.
fn expected_every<'de, D: serde::Deserializer<'de>>(d: D) -> Result<BTreeMap<String, Period>, D::Error> {
    let raw = BTreeMap::<String, String>::deserialize(d)?;
    let mut out = BTreeMap::new();
    for (key, text) in raw {
        let at = |what: String| serde::de::Error::custom(format!("[checklist.expected_every] {key:?} {what}"));
        let iso = crate::catalog::iso42001();
        match iso.item(&key) {
            None => {
                let hint = iso.suggest_item(&key).map_or(String::new(), |s| format!(" (did you mean {s:?}?)"));
                return Err(at(format!("is not a checklist item of the catalog{hint}")));
            }
            Some((_, item)) if item.kind != crate::catalog::ItemKind::Record => {
                return Err(at("is not a record item; only records recur".to_string()))
            }
            Some(_) => {}
        }
        let period = crate::catalog::parse_period(&text)
            .ok_or_else(|| at(format!("= {text:?} is not a period (write months or years, e.g. \"6m\" or \"1y\")")))?;
        out.insert(key, period);
    }
    Ok(out)
}

/// Retention policy (7.5.3): the shortest retention each document type may have.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(default, deny_unknown_fields)]
pub struct RetentionPolicy {
    /// Minimum retention per document type (`minimum = { record = "3y" }`), parsed when read.
    #[serde(deserialize_with = "typed::periods")]
    pub minimum: BTreeMap<String, Period>,
}

/// Release signing: the identity whose SSH key signs the portal's `SHA256SUMS`
/// (`aimsdoc sign`). The pages name it so an auditor knows whose signature to expect, and
/// `aimsdoc verify --allowed-signers` requires the key that signed to belong to it.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(default, deny_unknown_fields)]
pub struct Release {
    /// The signer's principal as written in an `allowed_signers` file (e.g.
    /// `release@example.org`); empty when releases are not signed.
    pub signer: String,
}

impl Release {
    /// The configured signer, if any.
    pub fn signer(&self) -> Option<&str> {
        Some(self.signer.trim()).filter(|s| !s.is_empty())
    }

    /// A signer is one plain principal: what `ssh-keygen -Y verify -I` takes and an
    /// `allowed_signers` line can name.
    fn check(&self) -> anyhow::Result<()> {
        let bad = |c: char| c.is_whitespace() || c.is_control() || matches!(c, ',' | '"' | '*' | '?' | '!');
        if self.signer.chars().any(bad) {
            fail!(
                help = "name one principal as in your allowed_signers file, e.g. signer = \"release@example.org\"",
                "[release] signer = {:?} is not a single principal (no spaces, commas, quotes or * ? !)",
                self.signer
            );
        }
        Ok(())
    }
}

impl RetentionPolicy {
    /// Every key names a document type, so a misspelt type cannot silently switch a minimum off.
    fn check(&self, config: &Config) -> anyhow::Result<()> {
        for ty in self.minimum.keys() {
            if !config.document_types().any(|t| t == ty) {
                let types: Vec<&str> = config.document_types().collect();
                fail!(
                    help = ("use one of: {}", types.join(", ")),
                    "[retention] minimum names {:?}, which is not a document type",
                    ty
                );
            }
        }
        Ok(())
    }
}

impl Config {
    /// Loads `aimsdoc.toml` from `root`, or the defaults when there is none, for a tree trusted
    /// as `trust` says (an untrusted tree never gets raw HTML).
    pub fn load(root: &Path, trust: Trust) -> anyhow::Result<Config> {
        let mut config = Config::load_file(root, trust)?;
        config.trust = trust;
        if trust == Trust::Untrusted {
            config.documents.allow_raw_html = false;
            // An SVG is a document that can carry script; opened directly from the portal it
            // would run in the portal's origin. A pull request's preview goes without it.
            if config.site.logo_extension().as_deref() == Some("svg") {
                config.site.logo = None;
            }
        }
        Ok(config)
    }

    fn load_file(root: &Path, trust: Trust) -> anyhow::Result<Config> {
        let path = root.join(FILE_NAME);
        // A regular file only, never a link: a pull request could point it at
        // `/proc/self/environ`, and the TOML error would print the CI's secrets into the log.
        let Some(text) = crate::contain::read_text(&path, MAX_CONFIG_BYTES)? else {
            return Ok(Config::default());
        };
        let config = Config::parse(&text).with_context(|| format!("invalid configuration in `{}`", path.display()))?;
        let invalid = || format!("invalid configuration in `{}`", path.display());
        config.site.check_files(root, trust).with_context(invalid)?;
        Ok(config)
    }

    /// Parses configuration text and checks cross-field consistency.
    pub fn parse(text: &str) -> anyhow::Result<Config> {
        let config: Config = toml::from_str(text).map_err(|e| anyhow::anyhow!("{}", e.to_string().trim_end()))?;
        config.check()?;
        Ok(config)
    }

    fn check(&self) -> anyhow::Result<()> {
        self.site.check()?;
        let c = &self.classification;
        for (key, value) in [("publish_up_to", &c.publish_up_to), ("default", &c.default)] {
            if !c.levels.contains(value) {
                fail!(
                    help = "pick one of the levels, or add it to `levels`",
                    "[classification] {key} = {value:?} is not one of the levels {:?}",
                    c.levels
                );
            }
        }
        if !self.document_types().any(|t| t == self.soa.document_type) {
            fail!(
                help = "use one of the types, or add it to `extra_types` under [documents]",
                "[soa] document_type = {:?} is not a document type",
                self.soa.document_type
            );
        }
        self.retention.check(self)?;
        self.release.check()?;
        self.approval.check(&self.document_types().collect::<Vec<_>>())?;
        self.paths.check()
    }

    /// All allowed document types.
    pub fn document_types(&self) -> impl Iterator<Item = &str> {
        self.documents.types.iter().chain(&self.documents.extra_types).map(String::as_str)
    }

    /// The longest allowed gap between approval (or last review) and the next review.
    pub fn max_review_interval(&self) -> Period {
        self.review.max_review_interval
    }

    /// Whether bodies at `level` are published.
    pub fn is_published(&self, level: &str) -> bool {
        let rank = |l: &str| self.classification.levels.iter().position(|x| x == l);
        match (rank(level), rank(&self.classification.publish_up_to)) {
            (Some(a), Some(b)) => a <= b,
            _ => false,
        }
    }

    /// The output directory for content root `root`.
    pub fn output_dir(&self, root: &Path) -> PathBuf {
        root.join(&self.paths.output)
    }
}

#[cfg(test)]
mod tests;
