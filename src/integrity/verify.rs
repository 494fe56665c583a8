//! `verify`: recomputes the hash of every file of a built site and compares the result with its
//! `SHA256SUMS`, naming each file changed, added or removed. It agrees with `sha256sum -c
//! SHA256SUMS` on every listed regular file, and also sees what `sha256sum` cannot: files added
//! to the site, listed paths that are symbolic links or special files (`invalid`, never opened:
//! the site may come from someone else), pages whose printed content digest is not the hash of
//! `manifest.json`, with `--digest`, a `SHA256SUMS` other than the one released, and with
//! `--allowed-signers`, a `SHA256SUMS.sig` missing, invalid, by an unknown key, or by someone
//! other than the `[release] signer` the manifest names. A signature present without
//! `--allowed-signers` is still checked against its own key (a stale or broken one is
//! invalid), and the key is named.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::path::{Component, Path};

use anyhow::bail;

use super::hash::{hash_beneath, hash_files_counted};
use super::open::{read_beneath, Refused};
use super::sign::{self, SignedBy};
use super::signers::{match_list, AllowedSigners};
use super::sums::{self, list_entries};
use super::{MANIFEST, SIG, SUMS};
use crate::content::types::Date;
use crate::failure::fail;
use crate::util::sha256_hex;

/// How a file differs from the list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Change {
    /// Listed, present, different bytes.
    Changed,
    /// Present but not listed.
    Added,
    /// Listed but missing (or unreadable).
    Removed,
    /// A listed path that is a symbolic link or not a regular file, or a problem with the
    /// site's own integrity records (the list, the manifest, the digests).
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
pub(crate) struct Difference {
    /// Path relative to the site root.
    pub path: String,
    /// Kind of difference.
    pub change: Change,
    /// Why, for `Invalid`; what it is, for an added path that is not a regular file; empty
    /// otherwise.
    pub detail: String,
}

/// The outcome of verifying a site.
#[derive(Debug, Clone, Default)]
pub(crate) struct Report {
    /// Every difference, sorted by path.
    pub differences: Vec<Difference>,
    /// Files that matched.
    pub matched: usize,
    /// The release digest: SHA-256 of `SHA256SUMS` as read, when it could be read.
    pub release_digest: Option<String>,
    /// The content digest: SHA-256 of `manifest.json`, when it is a regular file.
    pub content_digest: Option<String>,
    /// Who signed `SHA256SUMS`, when `SHA256SUMS.sig` is there and valid (principals empty
    /// without an allowed signers file).
    pub signature: Option<SignedBy>,
    /// The `[release] signer` the manifest names, if any.
    pub declared_signer: Option<String>,
}

/// What a verification requires beyond the list itself.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Expect<'a> {
    /// The release digest recorded at release (`--digest`).
    pub release: Option<&'a str>,
    /// The keys allowed to sign (`--allowed-signers`): the site must then be signed by one.
    pub signers: Option<&'a AllowedSigners>,
    /// The date `valid-after`/`valid-before` of the signers are judged against.
    pub today: Date,
}

impl Report {
    /// True when nothing differs.
    pub(crate) fn is_clean(&self) -> bool {
        self.differences.is_empty()
    }

    fn push(&mut self, path: &str, change: Change, detail: impl Into<String>) {
        self.differences.push(Difference { path: path.into(), change, detail: detail.into() });
    }
}

/// Verifies the site at `site`; `expect.release`, when given, must equal the release digest
/// (SHA-256 of `SHA256SUMS`), compared once every file has been checked against the list, and
/// with `expect.signers` the list must carry a signature by one of them.
/// Nothing that is a symbolic link or not a regular file is opened (see [`super::open`]).
/// `Err` only when `site` is not a directory with a `SHA256SUMS`.
pub(crate) fn verify(site: &Path, expect: &Expect) -> anyhow::Result<Report> {
    if !site.is_dir() {
        bail!("`{}` is not a directory", site.display());
    }
    let mut report = Report::default();
    let (sums_bytes, listed) = read_list(site, &mut report)?;
    let (listed, outside): (BTreeMap<String, String>, BTreeMap<String, String>) =
        listed.into_iter().partition(|(p, _)| inside(p));
    for p in outside.keys() {
        report.push(SUMS, Change::Invalid, format!("lists `{p}`, which is outside the site"));
    }
    check_listed(site, &listed, &mut report);
    for found in list_entries(site)?.into_iter().filter(|f| !listed.contains_key(&f.path)) {
        let detail = found.other.map(|what| format!("{what}, not followed or opened")).unwrap_or_default();
        report.push(&found.path, Change::Added, detail);
    }
    let reported: BTreeSet<&str> = report.differences.iter().map(|d| d.path.as_str()).collect();
    let pages_intact = !reported.contains(MANIFEST) && !reported.contains(INDEX);
    check_manifest(site, &listed, pages_intact, &mut report);
    check_release(expect.release, &mut report);
    check_signature(site, sums_bytes.as_deref(), expect, &mut report);
    report.differences.sort();
    Ok(report)
}

/// The paths `SHA256SUMS` lists, with their hashes.
type Listed = BTreeMap<String, String>;

/// Reads and parses `SHA256SUMS`, recording the release digest. A list that is a link, not a
/// regular file, or unreadable is an `invalid` difference (and every file then shows as added).
fn read_list(site: &Path, report: &mut Report) -> anyhow::Result<(Option<Vec<u8>>, Listed)> {
    let bytes = match sums::read(site) {
        Ok(b) => b,
        Err(Refused::Missing) => {
            fail!(help = "name the output directory of `aimsdoc build`", "`{}` has no {SUMS}", site.display())
        }
        Err(e) => {
            report.push(SUMS, Change::Invalid, e.to_string());
            return Ok((None, BTreeMap::new()));
        }
    };
    report.release_digest = Some(sha256_hex(&bytes));
    let parsed = std::str::from_utf8(&bytes)
        .map_err(|e| e.to_string())
        .and_then(|t| sums::parse(t).map_err(|e| format!("line {}: {}", e.line, e.message)));
    let listed = parsed.unwrap_or_else(|e| {
        report.push(SUMS, Change::Invalid, format!("cannot be read: {e}"));
        BTreeMap::new()
    });
    Ok((Some(bytes), listed))
}

/// The largest `SHA256SUMS.sig` or `manifest.json` read for the signature check.
const SIG_LIMIT: u64 = 64 * 1024;
const MANIFEST_LIMIT: u64 = 256 * 1024 * 1024;

/// Checks `SHA256SUMS.sig` over the list as read: required with `expect.signers`, checked
/// against its own key otherwise; and the signer against the one the manifest names.
fn check_signature(site: &Path, sums: Option<&[u8]>, expect: &Expect, report: &mut Report) {
    report.declared_signer = read_beneath(site, MANIFEST, MANIFEST_LIMIT)
        .ok()
        .and_then(|b| super::manifest_read::parse(&b).ok())
        .and_then(|m| m.signer);
    let sig = match read_beneath(site, SIG, SIG_LIMIT) {
        Ok(sig) => sig,
        Err(Refused::Missing) if expect.signers.is_some() => {
            return report.push(
                SIG,
                Change::Invalid,
                "the site is not signed (no SHA256SUMS.sig); sign it with `aimsdoc sign`",
            );
        }
        Err(Refused::Missing) => return,
        Err(e) => return report.push(SIG, Change::Invalid, e.to_string()),
    };
    // An unreadable list is already reported; there is nothing to check the signature against.
    let Some(sums) = sums else { return };
    match sign::check(&sig, sums, expect.signers.map(|s| (s, expect.today))) {
        Ok(by) => {
            if let Some(want) = report.declared_signer.clone().filter(|_| expect.signers.is_some()) {
                if !by.principals.iter().any(|p| match_list(&want, p)) {
                    let detail = format!(
                        "signed by {} ({}), but the portal names signer {want} ([release] signer)",
                        by.principals.join(" / "),
                        by.fingerprint
                    );
                    report.push(SIG, Change::Invalid, detail);
                }
            }
            report.signature = Some(by);
        }
        Err(why) => report.push(SIG, Change::Invalid, why),
    }
}

/// Hashes every listed file (in parallel, never through a link) and records each outcome.
fn check_listed(site: &Path, listed: &BTreeMap<String, String>, report: &mut Report) {
    let paths: Vec<String> = listed.keys().cloned().collect();
    let progress = crate::progress::bar(paths.len() as u64, "verifying");
    for (path, hash) in paths.iter().zip(hash_files_counted(site, &paths, &progress)) {
        match hash {
            Ok(info) if info.sha256 == listed[path] => report.matched += 1,
            Ok(_) => report.push(path, Change::Changed, ""),
            Err(Refused::Missing) => report.push(path, Change::Removed, ""),
            Err(Refused::Io(e)) => report.push(path, Change::Removed, format!("cannot read it: {e}")),
            Err(Refused::NotRegular(why)) => report.push(path, Change::Invalid, why),
        }
    }
}

/// The page whose printed digest is compared with the manifest.
const INDEX: &str = "index.html";

/// The largest page read to find the digest it shows.
const PAGE_LIMIT: u64 = 64 * 1024 * 1024;

/// Checks the manifest is there and listed, records the content digest, and (when
/// `compare_pages`: the manifest and the index page both match the list, so this is news)
/// checks it is the digest the pages show.
fn check_manifest(site: &Path, listed: &BTreeMap<String, String>, compare_pages: bool, report: &mut Report) {
    let info = match hash_beneath(site, MANIFEST) {
        Ok(info) => info,
        // A listed manifest that cannot be read is already reported by the per-file check.
        Err(_) if listed.contains_key(MANIFEST) => return,
        Err(Refused::Missing) => return report.push(MANIFEST, Change::Invalid, "the site has no manifest"),
        Err(e) => return report.push(MANIFEST, Change::Invalid, e.to_string()),
    };
    if !listed.contains_key(MANIFEST) {
        report.push(MANIFEST, Change::Invalid, format!("not listed in {SUMS}"));
    }
    if let Some(shown) = shown_digest(site, INDEX).filter(|s| compare_pages && *s != info.sha256) {
        let detail = format!("the pages show content digest {shown}, but manifest.json hashes to {}", info.sha256);
        report.push(MANIFEST, Change::Invalid, detail);
    }
    report.content_digest = Some(info.sha256);
}

/// Compares the release digest with the one the auditor was given, naming the common mistake
/// of passing the content digest (which the pages show, and which does not cover them).
fn check_release(expected: Option<&str>, report: &mut Report) {
    let Some(want) = expected.map(str::trim) else {
        return;
    };
    let Some(release) = report.release_digest.clone() else {
        return report.push(SUMS, Change::Invalid, "no release digest: SHA256SUMS cannot be read");
    };
    if release.eq_ignore_ascii_case(want) {
        return;
    }
    let detail = if report.content_digest.as_deref().is_some_and(|c| c.eq_ignore_ascii_case(want)) {
        format!(
            "--digest {want} is this site's content digest (SHA-256 of manifest.json, shown in the \
             page footers), which does not cover the pages; pass the release digest recorded at \
             release (SHA-256 of SHA256SUMS, printed by `aimsdoc build`); this site's is {release}"
        )
    } else {
        format!("release digest (SHA-256 of SHA256SUMS) is {release}, expected {want}")
    };
    report.push(SUMS, Change::Invalid, detail);
}

/// The digest a page of `site` carries in `<meta name="aimsdoc-site-digest" content="...">`
/// (the content digest), read under the same no-link rules as every other file.
pub(crate) fn shown_digest(site: &Path, page: &str) -> Option<String> {
    // An unreadable page is already a difference of its own in the SHA256SUMS check.
    let bytes = read_beneath(site, page, PAGE_LIMIT).ok()?;
    let html = String::from_utf8(bytes).ok()?;
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
    use super::*;

    fn release_check(given: &str) -> Vec<String> {
        let mut report = Report {
            release_digest: Some("aa".repeat(32)),
            content_digest: Some("cc".repeat(32)),
            ..Report::default()
        };
        check_release(Some(given), &mut report);
        report.differences.into_iter().map(|d| format!("{}: {}: {}", d.change, d.path, d.detail)).collect()
    }

    #[test]
    fn the_release_digest_is_compared_and_the_content_digest_named_as_a_mistake() {
        assert!(release_check(&"AA".repeat(32)).is_empty());
        assert!(release_check(&format!(" {} ", "aa".repeat(32))).is_empty());
        let wrong = release_check(&"bb".repeat(32));
        assert_eq!(
            wrong,
            [format!(
                "invalid: SHA256SUMS: release digest (SHA-256 of SHA256SUMS) is {}, expected {}",
                "aa".repeat(32),
                "bb".repeat(32)
            )]
        );
        let content = release_check(&"cc".repeat(32));
        assert!(
            content[0].contains("is this site's content digest")
                && content[0].contains("which does not cover the pages"),
            "{content:?}"
        );
    }

    #[test]
    fn listed_paths_stay_inside_the_site() {
        assert!(inside("index.html") && inside("files/evidence/a b.csv"));
        assert!(!inside("../x") && !inside("/etc/passwd") && !inside("a/../../b"));
    }
}
