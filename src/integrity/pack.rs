//! `pack`: a zip of a verified site for handing to an auditor. Deterministic: the same site
//! gives the same bytes (entries sorted, no directory entries, every timestamp 1980-01-01 00:00
//! or `SOURCE_DATE_EPOCH`, permissions 0644, the same compression for the same file name).
//! Layout: `README.txt` (how to verify) at the top, the site under `site/`, so the unzipped
//! `site/` folder passes both `sha256sum -c SHA256SUMS` and `aimsdoc verify`. A pack may be made
//! from a site someone else built, so nothing in it is followed: only the regular files
//! `SHA256SUMS` lists go in, and the zip is written through a fresh, randomly named file.

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use anyhow::{bail, Context as _};
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, DateTime, ZipWriter};

use super::hash::HashingReader;
use super::open::{open_beneath, read_beneath};
use super::sums;
use super::{SIG, SUMS};
use crate::failure::fail;
use crate::util::sha256_hex;

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

/// The digests of the verified site, for the README and for re-checking `SHA256SUMS`.
#[derive(Debug, Clone, Copy)]
pub struct Digests<'a> {
    /// SHA-256 of `SHA256SUMS` as verified.
    pub release: &'a str,
    /// SHA-256 of `manifest.json`.
    pub content: &'a str,
    /// The fingerprint of the key whose valid `SHA256SUMS.sig` the site carries, if signed.
    pub signed: Option<&'a str>,
    /// The `[release] signer` the manifest names, if any.
    pub signer: Option<&'a str>,
}

/// Writes the zip of the (already verified) site at `site` to `out`, atomically: into a new
/// file with a random name beside `out` (never an existing file or link), synced, then renamed
/// over `out`, which must not be a symbolic link. Only the files `SHA256SUMS` lists go in, each
/// opened under the rules of [`super::open`] (no links, no special files) and checked again
/// against the list while it is read, and the list against the verified release digest; so a
/// site changed since verification aborts the pack and leaves nothing behind.
pub fn pack(site: &Path, out: &Path, digests: Digests) -> anyhow::Result<Packed> {
    let sums_bytes = sums::read(site).with_context(|| format!("cannot read {SUMS} of `{}`", site.display()))?;
    if sha256_hex(&sums_bytes) != digests.release {
        bail!("{SUMS} changed since it was verified; run `aimsdoc pack` again");
    }
    let text = std::str::from_utf8(&sums_bytes).with_context(|| format!("{SUMS} is not UTF-8"))?;
    let listed = sums::parse(text).map_err(|e| anyhow::anyhow!("{SUMS} line {}: {}", e.line, e.message))?;
    refuse_link(out)?;
    let dir = out.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let name = out.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "pack.zip".into());
    let mut tmp = tempfile::Builder::new()
        .prefix(&format!(".{name}."))
        .suffix(".aimsdoc-tmp")
        .tempfile_in(dir)
        .with_context(|| format!("cannot create a temporary file in `{}`", dir.display()))?;
    write_zip(site, tmp.as_file_mut(), &listed, &sums_bytes, digests)?;
    tmp.as_file().sync_all().with_context(|| format!("cannot write `{}`", tmp.path().display()))?;
    // Checked again just before the rename: rename(2) replaces a link rather than writing
    // through it, but a link planted at the destination is a sign of an attack worth stopping.
    refuse_link(out)?;
    tmp.persist(out)
        .map_err(|e| anyhow::Error::new(e.error))
        .with_context(|| format!("cannot write `{}`", out.display()))?;
    // Make the rename itself durable; a file system that cannot sync a directory loses nothing
    // the rename did not already risk.
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
    Ok(Packed { out: out.to_path_buf(), files: listed.len() + 1 + usize::from(digests.signed.is_some()) })
}

/// Refuses a destination that is a symbolic link (or a directory).
fn refuse_link(out: &Path) -> anyhow::Result<()> {
    match std::fs::symlink_metadata(out) {
        Ok(m) if m.file_type().is_symlink() => fail!(
            help = "remove the link or choose another -o path",
            "`{}` is a symbolic link; refusing to write the pack through it",
            out.display()
        ),
        Ok(m) if m.is_dir() => {
            fail!(help = "name the zip file to write, e.g. -o aims-portal.zip", "`{}` is a directory", out.display())
        }
        _ => Ok(()),
    }
}

fn write_zip(
    site: &Path,
    file: &mut File,
    listed: &BTreeMap<String, String>,
    sums_bytes: &[u8],
    digests: Digests,
) -> anyhow::Result<()> {
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
    zip.write_all(readme(digests).as_bytes())?;
    let sig = signature(site, sums_bytes, digests)?;
    let mut entries: Vec<&str> =
        listed.keys().map(String::as_str).chain([SUMS]).chain(sig.as_ref().map(|_| SIG)).collect();
    entries.sort_unstable();
    let progress = crate::progress::bar(entries.len() as u64, "packing");
    for rel in entries {
        progress.inc(1);
        let own = match rel {
            SUMS => Some(sums_bytes),
            SIG => sig.as_deref(),
            _ => None,
        };
        if let Some(bytes) = own {
            zip.start_file(format!("{SITE_DIR}/{rel}"), options(rel, bytes.len() as u64))?;
            zip.write_all(bytes)?;
            continue;
        }
        let f = open_beneath(site, rel).with_context(|| format!("refusing to pack `{rel}`"))?;
        // The size picks the zip entry's format (a large file needs ZIP64), so it must be true.
        let size = f.metadata().with_context(|| format!("cannot inspect `{rel}`"))?.len();
        zip.start_file(format!("{SITE_DIR}/{rel}"), options(rel, size))?;
        let mut reader = HashingReader::new(f);
        std::io::copy(&mut reader, &mut zip).with_context(|| format!("cannot pack `{rel}`"))?;
        if listed.get(rel) != Some(&reader.finish().sha256) {
            bail!("`{rel}` changed while it was being packed; run `aimsdoc verify` and pack again");
        }
    }
    zip.finish()?.flush()?;
    Ok(())
}

/// The signature to pack: read again and checked against the list (so a signature swapped
/// since verification is not packed), only when the site was verified as signed.
fn signature(site: &Path, sums_bytes: &[u8], digests: Digests) -> anyhow::Result<Option<Vec<u8>>> {
    let Some(fingerprint) = digests.signed else {
        return Ok(None);
    };
    let sig = read_beneath(site, SIG, 64 * 1024).with_context(|| format!("cannot read {SIG}"))?;
    match super::sign::check(&sig, sums_bytes, None) {
        Ok(by) if by.fingerprint == fingerprint => Ok(Some(sig)),
        _ => bail!("{SIG} changed since it was verified; run `aimsdoc pack` again"),
    }
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
    let Some(t) = crate::clock::source_date_epoch()? else {
        return Ok(DateTime::default());
    };
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
pub fn readme(digests: Digests) -> String {
    format!(
        "AUDIT PACK OF AN ISO/IEC 42001 DOCUMENTATION PORTAL
Packed by aimsdoc {version}.

The folder site/ is the portal exactly as built. Open site/index.html in a browser.

TWO DIGESTS

Release digest: the SHA-256 of site/SHA256SUMS. SHA256SUMS lists every other file of the
site with its SHA-256 (every page, every evidence file, the theme's styles and scripts,
manifest.json), so this one value binds the whole portal. `aimsdoc build` prints it; the
organisation records it when the portal is released and gives it to you through another
channel (a signed e-mail, the release record). When this pack was made it was:
  {release}
Do not trust the line above: whoever made this pack wrote it. Compare with the value you
were given.

Content digest: the SHA-256 of site/manifest.json, shown in the footer of every page:
  {content}
manifest.json names the tool and catalog versions, every controlled document (id, version,
status, source file and its SHA-256, page) and every evidence file (path, SHA-256, size).
It does not cover the pages themselves (they show it), so it is not enough on its own: a
page can be changed without changing it. site/verify.html explains both in plain words.

{signature}HOW TO VERIFY IT (after unzipping)

  cd site
  sha256sum SHA256SUMS
      Must print the release digest you were given out of band.
      (GNU coreutils; on macOS: shasum -a 256 SHA256SUMS)
  sha256sum -c SHA256SUMS
      Every line must end in OK. (macOS: shasum -a 256 -c SHA256SUMS)

or, with aimsdoc installed, from the folder holding site/:

  aimsdoc verify site --digest <release digest you were given>

aimsdoc verify also reports files added to the folder (sha256sum only checks the files it is
given), refuses listed files that are symbolic links or special files instead of following
them, and checks that the digest the pages show is the hash of manifest.json. To look for
added files without aimsdoc, from inside site/:

  find . ! -type d ! -name SHA256SUMS ! -name SHA256SUMS.sig | sed 's|^\\./||' | LC_ALL=C sort | diff - <(cut -c67- SHA256SUMS)

and make sure `find . -type l` prints nothing: a symbolic link is never part of a site.
",
        version = env!("CARGO_PKG_VERSION"),
        release = digests.release,
        content = digests.content,
        signature = signature_section(digests),
    )
}

/// The README's part on `SHA256SUMS.sig`: how to check it with OpenSSH alone.
fn signature_section(digests: Digests) -> String {
    let Some(fingerprint) = digests.signed else {
        return "This portal is not signed (there is no site/SHA256SUMS.sig).\n\n".into();
    };
    let id = digests.signer.unwrap_or("SIGNER");
    let named = match digests.signer {
        Some(s) => format!("The portal names its signer: {s}."),
        None => "The portal names no signer: ask the organisation whose key signs its releases.".into(),
    };
    format!(
        "SIGNATURE

site/SHA256SUMS.sig is an SSH signature of site/SHA256SUMS (namespace \"aimsdoc\"), made
with the key {fingerprint}. {named}
Get the signer's public key from the organisation out of band, as a line of a file
named allowed_signers:
  {id} namespaces=\"aimsdoc\" ssh-ed25519 AAAA...
then, inside site/ (OpenSSH 8.1 or later, nothing else needed):
  ssh-keygen -Y verify -f ../allowed_signers -I {id} -n aimsdoc -s SHA256SUMS.sig < SHA256SUMS
It must print `Good \"aimsdoc\" signature for {id}`. With that, the release digest above
needs no separate channel: the signature binds SHA256SUMS, which binds every file.
With aimsdoc: aimsdoc verify site --allowed-signers allowed_signers

"
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
    fn readme_names_both_digests_and_every_command() {
        let r = readme(Digests { release: "ab12", content: "cd34", signed: None, signer: None });
        for needle in [
            "sha256sum -c SHA256SUMS",
            "sha256sum SHA256SUMS\n",
            "aimsdoc verify site --digest",
            "Release digest: the SHA-256 of site/SHA256SUMS",
            "  ab12\n",
            "  cd34\n",
            "sed 's|^\\./||'",
            "not signed",
        ] {
            assert!(r.contains(needle), "README.txt lacks {needle:?}:\n{r}");
        }
        let signed =
            readme(Digests { release: "ab12", content: "cd34", signed: Some("SHA256:k"), signer: Some("rel@x") });
        for needle in [
            "ssh-keygen -Y verify -f ../allowed_signers -I rel@x -n aimsdoc -s SHA256SUMS.sig < SHA256SUMS",
            "made\nwith the key SHA256:k",
            "rel@x namespaces=\"aimsdoc\" ssh-ed25519",
        ] {
            assert!(signed.contains(needle), "README.txt lacks {needle:?}:\n{signed}");
        }
    }
}
