//! `verify`: recomputes the hash of every file of a built site and compares the result with its
//! `SHA256SUMS`, naming each file changed, added or removed. It agrees with `sha256sum -c
//! SHA256SUMS` on every listed file, and also sees what `sha256sum` cannot: files added to the
//! site, and pages whose printed site digest is not the hash of `manifest.json`.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::path::{Component, Path};

use anyhow::{bail, Context as _};

use super::hash::{hash_file, hash_files};
use super::sums::{self, list_files};
use super::{MANIFEST, SUMS};

/// How a file differs from the list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Change {
    /// Listed, present, different bytes.
    Changed,
    /// Present but not listed.
    Added,
    /// Listed but missing (or unreadable).
    Removed,
    /// A problem with the site's own integrity records.
    Invalid,
}

impl fmt::Display for Change {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Change::Changed => "changed",
            Change::Added => "added",
            Change::Removed => "removed",
            Change::Invalid => "invalid",
        })
    }
}

/// One difference: what, where, and for `Invalid` why.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Difference {
    /// Path relative to the site root.
    pub path: String,
    /// Kind of difference.
    pub change: Change,
    /// Detail for `Invalid`.
    pub detail: String,
}

/// The outcome of verifying a site.
#[derive(Debug, Clone, Default)]
pub struct Report {
    /// Every difference, sorted by path.
    pub differences: Vec<Difference>,
    /// Files that matched.
    pub matched: usize,
    /// SHA-256 of `manifest.json`, when there is one.
    pub digest: Option<String>,
}

impl Report {
    /// True when nothing differs.
    pub fn is_clean(&self) -> bool {
        self.differences.is_empty()
    }
}

/// Verifies the site at `site`; `expected_digest`, when given, must equal the site digest.
/// `Err` only when `site` is not a directory with a `SHA256SUMS`.
pub fn verify(site: &Path, expected_digest: Option<&str>) -> anyhow::Result<Report> {
    if !site.is_dir() {
        bail!("`{}` is not a directory", site.display());
    }
    let sums_path = site.join(SUMS);
    if !sums_path.is_file() {
        bail!("`{}` has no {SUMS}\nhelp: name the output directory of `aimsdoc build`", site.display());
    }
    let text = std::fs::read(&sums_path).with_context(|| format!("cannot read `{}`", sums_path.display()))?;
    let mut report = Report::default();
    let invalid = |path: &str, detail: String| Difference { path: path.into(), change: Change::Invalid, detail };
    let listed = match std::str::from_utf8(&text)
        .map_err(|e| e.to_string())
        .and_then(|t| sums::parse(t).map_err(|e| format!("line {}: {}", e.line, e.message)))
    {
        Ok(l) => l,
        Err(e) => {
            report.differences.push(invalid(SUMS, format!("cannot be read: {e}")));
            BTreeMap::new()
        }
    };
    let (listed, outside): (BTreeMap<String, String>, BTreeMap<String, String>) =
        listed.into_iter().partition(|(p, _)| inside(p));
    for p in outside.keys() {
        report.differences.push(invalid(SUMS, format!("lists `{p}`, which is outside the site")));
    }
    let present: BTreeSet<String> = list_files(site)?.into_iter().collect();
    let both: Vec<String> = listed.keys().filter(|p| present.contains(*p)).cloned().collect();
    for (path, hash) in both.iter().zip(hash_files(site, &both)) {
        match hash {
            Ok(info) if info.sha256 == listed[path] => report.matched += 1,
            Ok(_) => report.differences.push(Difference {
                path: path.clone(),
                change: Change::Changed,
                detail: String::new(),
            }),
            Err(e) => report.differences.push(Difference {
                path: path.clone(),
                change: Change::Removed,
                detail: e.to_string(),
            }),
        }
    }
    for p in listed.keys().filter(|p| !present.contains(*p)) {
        report.differences.push(Difference { path: p.clone(), change: Change::Removed, detail: String::new() });
    }
    for p in present.iter().filter(|p| !listed.contains_key(*p)) {
        report.differences.push(Difference { path: p.clone(), change: Change::Added, detail: String::new() });
    }
    let reported: BTreeSet<&str> = report.differences.iter().map(|d| d.path.as_str()).collect();
    let pages_intact = !reported.contains(MANIFEST) && !reported.contains(INDEX);
    check_digest(site, &listed, expected_digest, pages_intact, &mut report);
    report.differences.sort();
    Ok(report)
}

/// The page whose printed digest is compared with the manifest.
const INDEX: &str = "index.html";

/// Checks the manifest is listed, matches `expected`, and (when `compare_pages`: the manifest
/// and the index page both match the list, so this is news) is the digest the pages show.
fn check_digest(
    site: &Path,
    listed: &BTreeMap<String, String>,
    expected: Option<&str>,
    compare_pages: bool,
    report: &mut Report,
) {
    let invalid = |detail: String| Difference { path: MANIFEST.into(), change: Change::Invalid, detail };
    let Ok(info) = hash_file(&site.join(MANIFEST)) else {
        if !listed.contains_key(MANIFEST) {
            report.differences.push(invalid("the site has no manifest".into()));
        }
        return;
    };
    if !listed.contains_key(MANIFEST) {
        report.differences.push(invalid(format!("not listed in {SUMS}")));
    }
    if let Some(want) = expected.filter(|w| !w.eq_ignore_ascii_case(&info.sha256)) {
        report.differences.push(invalid(format!("site digest is {}, expected {want}", info.sha256)));
    }
    if let Some(shown) = shown_digest(&site.join(INDEX)).filter(|s| compare_pages && *s != info.sha256) {
        report
            .differences
            .push(invalid(format!("the pages show site digest {shown}, but manifest.json hashes to {}", info.sha256)));
    }
    report.digest = Some(info.sha256);
}

/// The site digest a page carries in `<meta name="aimsdoc-site-digest" content="...">`.
pub fn shown_digest(page: &Path) -> Option<String> {
    let html = std::fs::read_to_string(page).ok()?;
    let at = html.find("name=\"aimsdoc-site-digest\"")?;
    let tag_start = html[..at].rfind('<')?;
    let tag = &html[tag_start..at + html[at..].find('>')?];
    let start = tag.find("content=\"")? + "content=\"".len();
    let len = tag[start..].find('"')?;
    Some(tag[start..start + len].to_string())
}

fn inside(path: &str) -> bool {
    let p = Path::new(path);
    !p.is_absolute() && p.components().all(|c| matches!(c, Component::Normal(_) | Component::CurDir))
}

#[cfg(test)]
mod tests {
    use super::inside;

    #[test]
    fn listed_paths_stay_inside_the_site() {
        assert!(inside("index.html") && inside("files/evidence/a b.csv"));
        assert!(!inside("../x") && !inside("/etc/passwd") && !inside("a/../../b"));
    }
}
