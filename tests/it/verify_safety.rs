//! `verify` and `pack` on sites someone else made (issue 9, items 7, 9 and 10), with the real
//! binary: listed symbolic links, FIFOs and folders are `invalid` and never opened (a link to
//! `/dev/zero` or a FIFO must not hang the run; a link to an outside file with the right hash
//! must not pass or reach the zip); the walk reports added links and special files and does not
//! enter linked folders; the release digest (SHA-256 of `SHA256SUMS`) binds every file, so the
//! page-rewrite attack fails `verify --digest`; and `pack` never writes through a planted link.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command as Process;
use std::time::{Duration, Instant};

use aimsdoc::integrity::pack::{pack, Digests};

use crate::common::{self, files, page, read_html, sel, sha256, snapshot, Fixture};

const FIXTURE: &str = "integrity_basic";
/// Longer than any honest run on a tiny site, far shorter than a hang.
const GUARD: Duration = Duration::from_secs(20);

/// Runs `aimsdoc ARGS`, failing the test if it takes longer than [`GUARD`] (a hang).
/// Returns (exit code, stdout, stderr).
fn run(args: &[&Path]) -> (i32, String, String) {
    let start = Instant::now();
    let out = common::aimsdoc().timeout(GUARD).args(args).output().expect("run aimsdoc");
    let took = start.elapsed();
    let (stdout, stderr) =
        (String::from_utf8_lossy(&out.stdout).into_owned(), String::from_utf8_lossy(&out.stderr).into_owned());
    assert!(took < GUARD, "aimsdoc {args:?} took {took:?}: it hung\nstdout:\n{stdout}\nstderr:\n{stderr}");
    let code = out.status.code().unwrap_or_else(|| panic!("killed by a signal\nstderr:\n{stderr}"));
    (code, stdout, stderr)
}

fn verify(site: &Path, digest: Option<&str>) -> (i32, String, String) {
    match digest {
        Some(d) => run(&[Path::new("verify"), site, Path::new("--digest"), Path::new(d)]),
        None => run(&[Path::new("verify"), site]),
    }
}

fn pack_cli(site: &Path, zip: &Path) -> (i32, String, String) {
    run(&[Path::new("pack"), site, Path::new("-o"), zip])
}

/// A built copy of the fixture: (fixture, site directory, stderr of the build).
fn built() -> (Fixture, PathBuf, String) {
    let fx = Fixture::copy(FIXTURE);
    let site = fx.outside().join("site");
    let (code, _, stderr) = run(&[Path::new("build"), fx.root(), Path::new("--out"), &site]);
    assert_eq!(code, 0, "{stderr}");
    (fx, site, stderr)
}

fn mkfifo(path: &Path) {
    let ok = Process::new("mkfifo").arg(path).status().expect("mkfifo is installed").success();
    assert!(ok, "mkfifo {}", path.display());
}

fn replace_with_link(target: impl AsRef<Path>, link: &Path) {
    fs::remove_file(link).expect("remove the listed file");
    std::os::unix::fs::symlink(target, link).expect("symlink");
}

/// `sha256sum FILE`'s digest, from the real tool.
fn sha256sum(file: &Path) -> String {
    let out = Process::new("sha256sum").arg(file).output().expect("GNU sha256sum is installed");
    assert!(out.status.success());
    String::from_utf8_lossy(&out.stdout).split_whitespace().next().expect("a digest").to_string()
}

/// The value after `label ` on a line of `text`.
fn digest_after(text: &str, label: &str) -> String {
    let line = text.lines().find_map(|l| l.strip_prefix(label)).unwrap_or_else(|| panic!("no {label:?} in\n{text}"));
    line.split_whitespace().next().expect("a digest").to_string()
}

#[test]
fn a_listed_link_to_dev_zero_and_a_listed_fifo_are_invalid_and_do_not_hang() {
    let (fx, site, _) = built();
    replace_with_link("/dev/zero", &site.join("register.csv"));
    fs::remove_file(site.join("register.json")).expect("remove");
    mkfifo(&site.join("register.json"));
    let (code, out, _) = verify(&site, None);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("invalid: register.csv: is a symbolic link, not a regular file; not opened\n"), "{out}");
    assert!(out.contains("invalid: register.json: is a FIFO (named pipe), not a regular file; not opened\n"), "{out}");
    let zip = fx.outside().join("pack.zip");
    let (code, _, err) = pack_cli(&site, &zip);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("invalid: register.csv") && !zip.exists(), "{err}");
}

#[test]
fn a_list_or_manifest_that_links_to_dev_zero_is_invalid_and_does_not_hang() {
    let (fx, site, _) = built();
    let copy = fx.outside().join("copy");
    for (rel, bytes) in snapshot(&site) {
        let dest = copy.join(rel);
        fs::create_dir_all(dest.parent().expect("parent")).expect("mkdir");
        fs::write(dest, bytes).expect("write");
    }
    replace_with_link("/dev/zero", &copy.join("SHA256SUMS"));
    let (code, out, _) = verify(&copy, None);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("invalid: SHA256SUMS: is a symbolic link, not a regular file; not opened\n"), "{out}");

    replace_with_link("/dev/zero", &site.join("manifest.json"));
    let (code, out, _) = verify(&site, None);
    assert_eq!(code, 1, "{out}");
    assert_eq!(out, "invalid: manifest.json: is a symbolic link, not a regular file; not opened\n");
}

#[test]
fn a_link_to_an_outside_file_with_the_listed_hash_fails_and_never_reaches_the_zip() {
    let (fx, site, _) = built();
    let page = site.join("register.html");
    let outside = fx.outside().join("planted.html");
    let mut bytes = fs::read(&page).expect("page");
    bytes.extend_from_slice(b"<!-- outside-the-site-marker -->");
    fs::write(&outside, &bytes).expect("write");
    // The listed hash is forged to match the outside file, as an attacker who made the site would.
    let sums = fs::read_to_string(site.join("SHA256SUMS")).expect("sums");
    let forged = sums.replace(&sha256(&fs::read(&page).expect("page")), &sha256(&bytes));
    fs::write(site.join("SHA256SUMS"), &forged).expect("forge");
    replace_with_link(&outside, &page);
    let (code, out, _) = verify(&site, None);
    assert_eq!(code, 1, "{out}");
    assert_eq!(out, "invalid: register.html: is a symbolic link, not a regular file; not opened\n");
    let zip = fx.outside().join("cli.zip");
    assert_eq!(pack_cli(&site, &zip).0, 1);
    assert!(!zip.exists());

    // Called directly, past the verification gate, pack still refuses the link.
    let zip = fx.outside().join("lib.zip");
    let release = sha256(forged.as_bytes());
    let content = sha256(&fs::read(site.join("manifest.json")).expect("manifest"));
    let err = pack(&site, &zip, Digests { release: &release, content: &content, signed: None, signer: None })
        .expect_err("a link is refused");
    assert!(format!("{err:#}").contains("refusing to pack `register.html`: is a symbolic link"), "{err:#}");
    assert!(!zip.exists());
    assert_eq!(leftovers(&fx.outside()), Vec::<String>::new(), "no temporary file is left behind");
}

/// Temporary files of `pack` left in `dir`.
fn leftovers(dir: &Path) -> Vec<String> {
    fs::read_dir(dir)
        .expect("list")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("aimsdoc-tmp"))
        .collect()
}

#[test]
fn a_linked_folder_is_not_entered_and_added_links_and_special_files_are_named() {
    let (fx, site, _) = built();
    let moved = fx.outside().join("files-elsewhere");
    fs::rename(site.join("files"), &moved).expect("move files/");
    std::os::unix::fs::symlink(&moved, site.join("files")).expect("symlink");
    std::os::unix::fs::symlink(".", site.join("loop")).expect("symlink");
    std::os::unix::fs::symlink("/etc/passwd", site.join("documents/evil.html")).expect("symlink");
    mkfifo(&site.join("pipe"));
    fs::remove_file(site.join("soa.csv")).expect("remove");
    fs::create_dir(site.join("soa.csv")).expect("a folder where a file is listed");
    let (code, out, _) = verify(&site, None);
    assert_eq!(code, 1, "{out}");
    assert_eq!(
        out,
        "added: documents/evil.html: a symbolic link, not followed or opened\n\
         added: files: a symbolic link, not followed or opened\n\
         invalid: files/evidence/records/board-minutes.csv: `files` is a symbolic link, not a directory; not followed\n\
         added: loop: a symbolic link, not followed or opened\n\
         added: pipe: a FIFO (named pipe), not followed or opened\n\
         invalid: soa.csv: is a directory, not a regular file; not opened\n"
    );
}

#[test]
fn build_prints_the_release_digest_and_it_is_sha256sum_of_the_list() {
    let (_fx, site, stderr) = built();
    let release = digest_after(&stderr, "release digest ");
    assert_eq!(release, sha256sum(&site.join("SHA256SUMS")), "{stderr}");
    let content = digest_after(&stderr, "content digest ");
    assert_eq!(content, sha256sum(&site.join("manifest.json")), "{stderr}");
    let (code, _, err) = verify(&site, Some(&release));
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("the release digest matches --digest"), "{err}");
    assert_eq!(verify(&site, Some(&release.to_uppercase())).0, 0, "hex case does not matter");
}

#[test]
fn rewriting_pages_and_sums_fails_verify_with_the_recorded_release_digest() {
    let (_fx, site, stderr) = built();
    let release = digest_after(&stderr, "release digest ");
    let page = site.join("documents/POL-001.html");
    let html = fs::read_to_string(&page)
        .expect("page")
        .replace("</main>", "<p>Forged.</p><script src=\"x.js\"></script></main>");
    fs::write(&page, html).expect("alter the page");
    fs::write(site.join("documents/x.js"), "<script>fetch('https://attacker.example')</script>").expect("add");
    // Regenerate the list with the real tool, as the attacker would.
    let script =
        "find . -type f ! -name SHA256SUMS -printf '%P\\n' | LC_ALL=C sort | xargs -d '\\n' sha256sum > SHA256SUMS";
    let ok = Process::new("sh").args(["-c", script]).current_dir(&site).status().expect("sh").success();
    assert!(ok);
    assert!(Process::new("sha256sum")
        .args(["-c", "SHA256SUMS"])
        .current_dir(&site)
        .output()
        .expect("run")
        .status
        .success());
    // The list is consistent with itself: only the recorded release digest tells.
    assert_eq!(verify(&site, None).0, 0);
    let (code, out, _) = verify(&site, Some(&release));
    assert_eq!(code, 1, "{out}");
    let forged = sha256sum(&site.join("SHA256SUMS"));
    assert_eq!(
        out,
        format!("invalid: SHA256SUMS: release digest (SHA-256 of SHA256SUMS) is {forged}, expected {release}\n")
    );
}

#[test]
fn the_content_digest_is_not_accepted_as_the_release_digest() {
    let (_fx, site, stderr) = built();
    let content = digest_after(&stderr, "content digest ");
    let (code, out, _) = verify(&site, Some(&content));
    assert_eq!(code, 1, "{out}");
    assert!(
        out.starts_with(&format!("invalid: SHA256SUMS: --digest {content} is this site's content digest")),
        "{out}"
    );
    assert!(out.contains("pass the release digest"), "{out}");
    let (code, _, err) = verify(&site, Some("not-a-digest"));
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("--digest must be a SHA-256"), "{err}");
}

#[test]
fn every_footer_links_the_verify_page_which_explains_both_digests() {
    let (_fx, site, stderr) = built();
    let content = digest_after(&stderr, "content digest ");
    let sums = fs::read_to_string(site.join("SHA256SUMS")).expect("sums");
    assert!(sums.lines().any(|l| l.ends_with("  verify.html")), "verify.html is covered like every page");
    let footer = sel("footer .site-digest");
    for path in files(&site).into_iter().filter(|p| p.extension().is_some_and(|e| e == "html")) {
        let rel = path.strip_prefix(&site).expect("inside").to_string_lossy().into_owned();
        let root = "../".repeat(rel.matches('/').count());
        let html = read_html(&path);
        let p = html.select(&footer).next().unwrap_or_else(|| panic!("{rel} has no digest footer"));
        let text: String = p.text().collect();
        assert!(text.starts_with("Content digest") && text.contains(&content), "{rel}: {text}");
        let links: Vec<&str> = p.select(&sel("a")).filter_map(|a| a.value().attr("href")).collect();
        assert!(links.contains(&format!("{root}verify.html").as_str()), "{rel}: {links:?}");
    }
    let page = page(&site, "verify.html");
    let code: Vec<String> = page.select(&sel("main pre code")).map(|c| c.text().collect()).collect();
    assert_eq!(
        code,
        [
            "SIGNER namespaces=\"aimsdoc\" ssh-ed25519 AAAA…",
            "sha256sum SHA256SUMS",
            "sha256sum -c SHA256SUMS",
            "ssh-keygen -Y verify -f allowed_signers -I SIGNER -n aimsdoc -s SHA256SUMS.sig < SHA256SUMS",
            "aimsdoc verify SITE --digest RELEASE-DIGEST",
            "aimsdoc verify SITE --allowed-signers allowed_signers"
        ]
    );
    let main: String = page.select(&sel("main")).flat_map(|m| m.text()).collect();
    for needle in ["release digest", "content digest", "out of band", &content] {
        assert!(main.contains(needle), "verify.html lacks {needle:?}");
    }
}

#[test]
fn pack_never_writes_through_a_link_at_the_destination() {
    let (fx, site, _) = built();
    let victim = fx.outside().join("victim.txt");
    fs::write(&victim, "keep me").expect("write");
    let zip = fx.outside().join("pack.zip");
    std::os::unix::fs::symlink(&victim, &zip).expect("plant a link at the destination");
    let (code, _, err) = pack_cli(&site, &zip);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("is a symbolic link; refusing to write the pack through it"), "{err}");
    assert_eq!(fs::read_to_string(&victim).expect("victim"), "keep me");
    assert!(fs::symlink_metadata(&zip).expect("link").file_type().is_symlink());
    assert_eq!(leftovers(&fx.outside()), Vec::<String>::new());
}

#[test]
fn pack_goes_through_a_fresh_temporary_file_and_its_readme_names_the_release_digest() {
    let (fx, site, stderr) = built();
    let release = digest_after(&stderr, "release digest ");
    let zip = fx.outside().join("pack.zip");
    fs::write(&zip, "an older pack").expect("an existing zip is replaced");
    let (code, _, err) = pack_cli(&site, &zip);
    assert_eq!(code, 0, "{err}");
    assert_eq!(digest_after(&err, "release digest "), release);
    assert_eq!(leftovers(&fx.outside()), Vec::<String>::new());
    let mut archive = zip::ZipArchive::new(fs::File::open(&zip).expect("zip")).expect("valid zip");
    let mut readme = String::new();
    std::io::Read::read_to_string(&mut archive.by_name("README.txt").expect("README.txt"), &mut readme).expect("read");
    for needle in [&release as &str, "sha256sum SHA256SUMS", "sha256sum -c SHA256SUMS", "aimsdoc verify site --digest"]
    {
        assert!(readme.contains(needle), "README.txt lacks {needle:?}\n{readme}");
    }
    let names: Vec<&str> = archive.file_names().collect();
    assert!(names.contains(&"site/verify.html") && names.contains(&"site/SHA256SUMS"), "{names:?}");
}
