//! `pack`: a zip of a verified site for handing to an auditor. Deterministic: the same site
//! gives the same bytes (entries sorted, no directory entries, every timestamp 1980-01-01 00:00
//! or `SOURCE_DATE_EPOCH`, permissions 0644, the same compression for the same file name).
//! Layout: `README.txt` (how to verify) at the top, the site under `site/`, so the unzipped
//! `site/` folder passes both `sha256sum -c SHA256SUMS` and `aimsdoc verify`.

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use anyhow::{bail, Context as _};
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, DateTime, ZipWriter};

use super::hash::HashingReader;
use super::sums::{self, list_files};
use super::SUMS;

/// Folder of the site inside the zip.
pub const SITE_DIR: &str = "site";

/// What was written.
#[derive(Debug, Clone)]
pub struct Packed {
    /// The zip file.
    pub out: PathBuf,
    /// Number of site files in it.
    pub files: usize,
}

/// Writes the zip of the (already verified) site at `site` to `out`, atomically. Every file is
/// checked again against `SHA256SUMS` while it is read, so a file changed since verification
/// aborts the pack.
pub fn pack(site: &Path, out: &Path, digest: &str) -> anyhow::Result<Packed> {
    let listed = sums::parse(&std::fs::read_to_string(site.join(SUMS)).context("cannot read SHA256SUMS")?)
        .map_err(|e| anyhow::anyhow!("SHA256SUMS line {}: {}", e.line, e.message))?;
    let mut files = list_files(site)?;
    files.push(SUMS.to_string());
    files.sort();
    let name = out.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "pack.zip".into());
    let tmp = out.with_file_name(format!(".{name}.aimsdoc-tmp-{}", std::process::id()));
    let result = write_zip(site, &tmp, &files, &listed, digest);
    if let Err(e) = result {
        let _ = std::fs::remove_file(&tmp);
        return Err(e);
    }
    std::fs::rename(&tmp, out).with_context(|| format!("cannot write `{}`", out.display()))?;
    Ok(Packed { out: out.to_path_buf(), files: files.len() })
}

fn write_zip(
    site: &Path,
    tmp: &Path,
    files: &[String],
    listed: &BTreeMap<String, String>,
    digest: &str,
) -> anyhow::Result<()> {
    let file = File::create(tmp).with_context(|| format!("cannot create `{}`", tmp.display()))?;
    let mut zip = ZipWriter::new(BufWriter::new(file));
    let time = timestamp()?;
    let options = |name: &str, size: u64| {
        SimpleFileOptions::default()
            .compression_method(method_for(name))
            .last_modified_time(time)
            .unix_permissions(0o644)
            .large_file(size >= u64::from(u32::MAX))
    };
    zip.start_file("README.txt", options("README.txt", 0))?;
    zip.write_all(readme(digest).as_bytes())?;
    for rel in files {
        let path = site.join(rel);
        let f = File::open(&path).with_context(|| format!("cannot read `{}`", path.display()))?;
        let size = f.metadata().map(|m| m.len()).unwrap_or(0);
        zip.start_file(format!("{SITE_DIR}/{rel}"), options(rel, size))?;
        let mut reader = HashingReader::new(f);
        std::io::copy(&mut reader, &mut zip).with_context(|| format!("cannot pack `{rel}`"))?;
        let got = reader.finish();
        if rel != SUMS && listed.get(rel) != Some(&got.sha256) {
            bail!("`{rel}` changed while it was being packed; run `aimsdoc verify` and pack again");
        }
    }
    let mut inner = zip.finish()?;
    inner.flush()?;
    inner.into_inner().map_err(|e| e.into_error())?.sync_all()?;
    Ok(())
}

/// Files whose content is already compressed are stored as they are.
fn method_for(name: &str) -> CompressionMethod {
    let ext = name.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase()).unwrap_or_default();
    const PACKED: &[&str] = &[
        "zip", "gz", "tgz", "bz2", "xz", "zst", "7z", "png", "jpg", "jpeg", "gif", "webp", "mp4", "docx", "xlsx",
        "pptx", "odt",
    ];
    if PACKED.contains(&ext.as_str()) {
        CompressionMethod::Stored
    } else {
        CompressionMethod::Deflated
    }
}

/// 1980-01-01 00:00:00 (the earliest zip time), or `SOURCE_DATE_EPOCH` in UTC when set.
fn timestamp() -> anyhow::Result<DateTime> {
    let Ok(s) = std::env::var("SOURCE_DATE_EPOCH") else {
        return Ok(DateTime::default());
    };
    let secs: i64 = s.trim().parse().with_context(|| format!("SOURCE_DATE_EPOCH={s:?} is not a number of seconds"))?;
    let t = jiff::Timestamp::from_second(secs).context("SOURCE_DATE_EPOCH is out of range")?;
    let dt = t.to_zoned(jiff::tz::TimeZone::UTC).datetime();
    let fields = (
        u16::try_from(dt.year()).unwrap_or(0),
        dt.month() as u8,
        dt.day() as u8,
        dt.hour() as u8,
        dt.minute() as u8,
        dt.second() as u8,
    );
    // Zip times cannot express dates before 1980 or after 2107: clamp rather than fail.
    Ok(DateTime::from_date_and_time(fields.0, fields.1, fields.2, fields.3, fields.4, fields.5).unwrap_or_else(|_| {
        if fields.0 < 1980 {
            DateTime::default()
        } else {
            DateTime::from_date_and_time(2107, 12, 31, 23, 59, 58).unwrap_or_default()
        }
    }))
}

/// The `README.txt` at the top of the pack.
pub fn readme(digest: &str) -> String {
    format!(
        "AUDIT PACK OF AN ISO/IEC 42001 DOCUMENTATION PORTAL
Built by aimsdoc {version}.

Site digest (SHA-256 of site/manifest.json, shown in the footer of every page):
  {digest}

The folder site/ is the portal exactly as built. Open site/index.html in a browser.

HOW TO VERIFY IT (after unzipping)

  cd site
  sha256sum -c SHA256SUMS
      (GNU coreutils; on macOS: shasum -a 256 -c SHA256SUMS)
      Every line must end in OK. SHA256SUMS lists every file of the site except itself.

or, with aimsdoc installed:

  aimsdoc verify site

aimsdoc verify also reports files added to the folder (sha256sum only checks the files it is
given) and checks that the digest the pages show is the hash of manifest.json. To look for
added files without aimsdoc, from inside site/:

  find . -type f ! -name SHA256SUMS | sed 's|^\\./||' | LC_ALL=C sort | diff - <(cut -c67- SHA256SUMS)

manifest.json names the tool and catalog versions, every controlled document (id, version,
status, source file and its SHA-256, page) and every evidence file (path, SHA-256, size).
Compare the site digest above with the one recorded when the portal was approved for release.
",
        version = env!("CARGO_PKG_VERSION"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compressed_formats_are_stored() {
        assert_eq!(method_for("files/evidence/a.PNG"), CompressionMethod::Stored);
        assert_eq!(method_for("index.html"), CompressionMethod::Deflated);
        assert_eq!(method_for("SHA256SUMS"), CompressionMethod::Deflated);
    }

    #[test]
    fn readme_names_both_ways_to_verify() {
        let r = readme("ab12");
        assert!(r.contains("sha256sum -c SHA256SUMS") && r.contains("aimsdoc verify site") && r.contains("ab12"));
    }
}
