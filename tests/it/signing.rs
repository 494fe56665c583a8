//! Signed releases end to end: `aimsdoc sign` writes an SSH signature of `SHA256SUMS` that the
//! real `ssh-keygen -Y verify` accepts, `aimsdoc verify --allowed-signers` accepts signatures
//! made by `ssh-keygen -Y sign`, and both refuse a tampered file, a rewritten list, a wrong key,
//! another namespace, an unsigned site and a signer other than the portal's `[release] signer`.
//! Keys are made by `ssh-keygen` in each test's temporary folder; a test skips, saying so, only
//! when `ssh-keygen` is not installed.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command as Process, Stdio};

use crate::common::{aimsdoc, build, page, sel, sha256, stderr, stdout, Fixture};

const SIGNER: &str = "release@example.org";

/// Whether OpenSSH's `ssh-keygen` can be run; says so on stderr when not.
fn have_ssh_keygen() -> bool {
    let ok = Process::new("ssh-keygen").arg("-?").stdout(Stdio::null()).stderr(Stdio::null()).status().is_ok();
    if !ok {
        eprintln!("SKIPPED: ssh-keygen is not installed (Debian: openssh-client)");
    }
    ok
}

/// A site built from the integrity fixture with `[release] signer`, and a fresh ed25519 key.
struct Signed {
    fx: Fixture,
    site: PathBuf,
    key: PathBuf,
}

impl Signed {
    fn new() -> Signed {
        let fx = Fixture::copy("integrity_basic").write("aimsdoc.toml", format!("[release]\nsigner = \"{SIGNER}\"\n"));
        let site = fx.outside().join("site");
        build(fx.root(), &site).code(0);
        let key = keygen(&fx.outside(), "release", "");
        Signed { fx, site, key }
    }

    fn dir(&self) -> PathBuf {
        self.fx.outside()
    }

    fn sign(&self) -> assert_cmd::assert::Assert {
        aimsdoc().arg("sign").arg(&self.site).arg("--key").arg(&self.key).assert()
    }

    /// An allowed_signers file mapping `principal` to the public half of `key`.
    fn allowed(&self, principal: &str, key: &Path) -> PathBuf {
        let public = fs::read_to_string(key.with_extension("pub")).expect("public key");
        let path = self.dir().join(format!("allowed-{}", key.file_name().and_then(|n| n.to_str()).unwrap_or("k")));
        fs::write(&path, format!("# test\n{principal} namespaces=\"aimsdoc\" {public}")).expect("write");
        path
    }

    fn verify(&self, allowed: &Path) -> assert_cmd::assert::Assert {
        aimsdoc().arg("verify").arg(&self.site).arg("--allowed-signers").arg(allowed).assert()
    }
}

/// `ssh-keygen -t ed25519` into `dir/name` (and `name.pub`) with `passphrase`.
fn keygen(dir: &Path, name: &str, passphrase: &str) -> PathBuf {
    let path = dir.join(name);
    let status = Process::new("ssh-keygen")
        .args(["-q", "-t", "ed25519", "-C", name, "-N", passphrase, "-f"])
        .arg(&path)
        .stdin(Stdio::null())
        .status()
        .expect("ssh-keygen runs");
    assert!(status.success(), "ssh-keygen -t ed25519");
    path
}

/// `ssh-keygen -Y verify` of the site's signature for `principal`: (success, output).
fn ssh_verify(site: &Path, allowed: &Path, principal: &str) -> (bool, String) {
    let out = Process::new("ssh-keygen")
        .args(["-Y", "verify", "-n", "aimsdoc", "-I", principal, "-f"])
        .arg(allowed)
        .arg("-s")
        .arg(site.join("SHA256SUMS.sig"))
        .stdin(fs::File::open(site.join("SHA256SUMS")).expect("SHA256SUMS"))
        .output()
        .expect("ssh-keygen runs");
    let text = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    (out.status.success(), text)
}

#[test]
fn aimsdoc_signatures_verify_with_ssh_keygen_and_leave_the_list_alone() {
    if !have_ssh_keygen() {
        return;
    }
    let s = Signed::new();
    let before = fs::read(s.site.join("SHA256SUMS")).expect("list");
    let a = s.sign().code(0);
    assert!(stderr(&a).contains(&format!("{SIGNER} namespaces=\"aimsdoc\" ssh-ed25519 ")), "{}", stderr(&a));
    assert_eq!(fs::read(s.site.join("SHA256SUMS")).expect("list"), before, "signing must not change SHA256SUMS");
    let allowed = s.allowed(SIGNER, &s.key);
    let (ok, out) = ssh_verify(&s.site, &allowed, SIGNER);
    assert!(ok && out.contains(&format!("Good \"aimsdoc\" signature for {SIGNER}")), "{out}");
    let a = s.verify(&allowed).code(0);
    assert!(stderr(&a).contains(&format!("signed by {SIGNER} (key SHA256:")), "{}", stderr(&a));
    // Without --allowed-signers the signature is still checked, and its key named.
    let a = aimsdoc().arg("verify").arg(&s.site).assert().code(0);
    assert!(stderr(&a).contains("SHA256SUMS.sig: a valid signature by key SHA256:"), "{}", stderr(&a));
    let sums = Process::new("sha256sum").args(["-c", "--quiet", "SHA256SUMS"]).current_dir(&s.site).status();
    assert!(sums.expect("sha256sum").success(), "the signature is not in the list and breaks nothing");
}

#[test]
fn ssh_keygen_signatures_are_accepted_by_aimsdoc() {
    if !have_ssh_keygen() {
        return;
    }
    let s = Signed::new();
    let status = Process::new("ssh-keygen")
        .args(["-q", "-Y", "sign", "-n", "aimsdoc", "-f"])
        .arg(&s.key)
        .arg(s.site.join("SHA256SUMS"))
        .stdin(Stdio::null())
        .status()
        .expect("ssh-keygen runs");
    assert!(status.success() && s.site.join("SHA256SUMS.sig").is_file());
    let a = s.verify(&s.allowed(SIGNER, &s.key)).code(0);
    assert!(stderr(&a).contains(&format!("signed by {SIGNER}")), "{}", stderr(&a));
}

#[test]
fn a_tampered_page_or_a_rewritten_list_fails() {
    if !have_ssh_keygen() {
        return;
    }
    let s = Signed::new();
    s.sign().code(0);
    let allowed = s.allowed(SIGNER, &s.key);
    let index = s.site.join("index.html");
    let original = fs::read(&index).expect("page");
    fs::write(&index, b"<p>forged</p>").expect("tamper");
    let a = s.verify(&allowed).code(1);
    assert_eq!(stdout(&a), "changed: index.html\n");
    // The forger rewrites the list to match: now the signature no longer covers it.
    let sums = fs::read_to_string(s.site.join("SHA256SUMS")).expect("list");
    let fixed = sums.replace(&sha256(&original), &sha256(b"<p>forged</p>"));
    fs::write(s.site.join("SHA256SUMS"), fixed).expect("rewrite");
    let a = s.verify(&allowed).code(1);
    assert!(stdout(&a).starts_with("invalid: SHA256SUMS.sig: does not match SHA256SUMS"), "{}", stdout(&a));
    assert!(!ssh_verify(&s.site, &allowed, SIGNER).0, "ssh-keygen agrees");
}

#[test]
fn a_wrong_key_or_another_signer_is_refused() {
    if !have_ssh_keygen() {
        return;
    }
    let s = Signed::new();
    s.sign().code(0);
    let other = keygen(&s.dir(), "other", "");
    let a = s.verify(&s.allowed(SIGNER, &other)).code(1);
    assert!(stdout(&a).contains("invalid: SHA256SUMS.sig: is a valid signature by SHA256:"), "{}", stdout(&a));
    assert!(stdout(&a).contains("no line of the allowed signers file accepts that key"), "{}", stdout(&a));
    assert!(!ssh_verify(&s.site, &s.allowed(SIGNER, &other), SIGNER).0, "ssh-keygen agrees");
    // The right key under another name: a valid signature, but not the portal's signer.
    let a = s.verify(&s.allowed("mallory@example.org", &s.key)).code(1);
    assert!(
        stdout(&a).contains("signed by mallory@example.org (SHA256:")
            && stdout(&a).contains(&format!("but the portal names signer {SIGNER}")),
        "{}",
        stdout(&a)
    );
}

#[test]
fn an_unsigned_site_fails_when_signers_are_given() {
    if !have_ssh_keygen() {
        return;
    }
    let s = Signed::new();
    let a = s.verify(&s.allowed(SIGNER, &s.key)).code(1);
    assert_eq!(
        stdout(&a),
        "invalid: SHA256SUMS.sig: the site is not signed (no SHA256SUMS.sig); sign it with `aimsdoc sign`\n"
    );
    let a = aimsdoc().arg("verify").arg(&s.site).assert().code(0);
    assert!(
        stderr(&a).contains("note: not signed: no SHA256SUMS.sig, although the portal names signer"),
        "{}",
        stderr(&a)
    );
}

#[test]
fn a_signature_in_another_namespace_or_a_linked_one_is_invalid() {
    if !have_ssh_keygen() {
        return;
    }
    let s = Signed::new();
    let status = Process::new("ssh-keygen")
        .args(["-q", "-Y", "sign", "-n", "file", "-f"])
        .arg(&s.key)
        .arg(s.site.join("SHA256SUMS"))
        .stdin(Stdio::null())
        .status()
        .expect("ssh-keygen runs");
    assert!(status.success());
    let a = aimsdoc().arg("verify").arg(&s.site).assert().code(1);
    assert_eq!(stdout(&a), "invalid: SHA256SUMS.sig: is in the namespace `file`, not `aimsdoc`\n");
    fs::remove_file(s.site.join("SHA256SUMS.sig")).expect("rm");
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(s.dir().join("elsewhere.sig"), s.site.join("SHA256SUMS.sig")).expect("link");
        let a = aimsdoc().arg("verify").arg(&s.site).assert().code(1);
        assert!(stdout(&a).starts_with("invalid: SHA256SUMS.sig: "), "{}", stdout(&a));
    }
}

#[test]
fn encrypted_keys_take_their_passphrase_from_the_environment() {
    if !have_ssh_keygen() {
        return;
    }
    let s = Signed::new();
    let locked = keygen(&s.dir(), "locked", "correct horse");
    let sign = || {
        let mut cmd = aimsdoc();
        cmd.arg("sign").arg(&s.site).arg("--key").arg(&locked).env_remove("AIMSDOC_SIGN_PASSPHRASE");
        cmd
    };
    let a = sign().assert().code(2);
    assert!(
        stderr(&a).contains("is encrypted") && stderr(&a).contains("help: set AIMSDOC_SIGN_PASSPHRASE"),
        "{}",
        stderr(&a)
    );
    let a = sign().env("AIMSDOC_SIGN_PASSPHRASE", "wrong").assert().code(2);
    assert!(stderr(&a).contains("wrong passphrase"), "{}", stderr(&a));
    assert!(!s.site.join("SHA256SUMS.sig").exists(), "nothing written on failure");
    sign().env("AIMSDOC_SIGN_PASSPHRASE", "correct horse").assert().code(0);
    s.verify(&s.allowed(SIGNER, &locked)).code(0);
}

#[test]
fn a_site_that_fails_verification_is_not_signed() {
    if !have_ssh_keygen() {
        return;
    }
    let s = Signed::new();
    fs::write(s.site.join("planted.html"), b"x").expect("plant");
    let a = s.sign().code(1);
    assert!(stderr(&a).contains("added: planted.html") && stderr(&a).contains("refusing to sign"), "{}", stderr(&a));
    assert!(!s.site.join("SHA256SUMS.sig").exists());
    let a = aimsdoc().arg("sign").arg(&s.site).arg("--key").arg(s.key.with_extension("pub")).assert().code(2);
    assert!(stderr(&a).contains("is not an OpenSSH private key"), "{}", stderr(&a));
}

#[test]
fn the_pack_carries_the_signature_and_says_how_to_check_it_with_ssh_keygen() {
    if !have_ssh_keygen() {
        return;
    }
    let s = Signed::new();
    s.sign().code(0);
    let zip_path = s.dir().join("pack.zip");
    aimsdoc().arg("pack").arg(&s.site).arg("-o").arg(&zip_path).assert().code(0);
    let mut archive = zip::ZipArchive::new(fs::File::open(&zip_path).expect("zip")).expect("valid zip");
    let mut read = |name: &str| {
        let mut text = String::new();
        std::io::Read::read_to_string(&mut archive.by_name(name).expect(name), &mut text).expect("read");
        text
    };
    assert_eq!(read("site/SHA256SUMS.sig"), fs::read_to_string(s.site.join("SHA256SUMS.sig")).expect("sig"));
    let readme = read("README.txt");
    let command =
        format!("ssh-keygen -Y verify -f ../allowed_signers -I {SIGNER} -n aimsdoc -s SHA256SUMS.sig < SHA256SUMS");
    assert!(readme.contains(&command), "{readme}");
    assert!(readme.contains("! -name SHA256SUMS.sig"), "the added-files check must not flag the signature");
    // A signature that no longer matches the list is not packed.
    fs::write(s.site.join("SHA256SUMS.sig"), read("site/SHA256SUMS.sig").replace('A', "B")).expect("break");
    aimsdoc().arg("pack").arg(&s.site).arg("-o").arg(s.dir().join("bad.zip")).assert().code(1);
}

#[test]
fn pages_name_the_configured_signer_and_the_commands() {
    let fx = Fixture::copy("integrity_basic").write("aimsdoc.toml", format!("[release]\nsigner = \"{SIGNER}\"\n"));
    let site = fx.outside().join("site");
    build(fx.root(), &site).code(0);
    let command =
        format!("ssh-keygen -Y verify -f allowed_signers -I {SIGNER} -n aimsdoc -s SHA256SUMS.sig < SHA256SUMS");
    for rel in ["index.html", "documents/POL-001.html", "verify.html"] {
        let html = page(&site, rel);
        let footer: String = html.select(&sel(".site-signature")).flat_map(|e| e.text()).collect();
        assert!(
            footer.contains(&format!("Releases are signed by {SIGNER}")) && footer.contains(&command),
            "{rel}: {footer}"
        );
    }
    let verify: String = page(&site, "verify.html").select(&sel("main")).flat_map(|e| e.text()).collect();
    for needle in [command.as_str(), "sha256sum -c SHA256SUMS", "aimsdoc verify SITE --allowed-signers allowed_signers"]
    {
        assert!(verify.contains(needle), "verify.html lacks {needle:?}");
    }
    // Unsigned portals make no claim about a signer.
    let plain = fx.outside().join("plain");
    build(&crate::common::fixture("integrity_basic"), &plain).code(0);
    let footer: String = page(&plain, "index.html").select(&sel(".site-signature")).flat_map(|e| e.text()).collect();
    assert!(!footer.contains("signed by") && footer.contains("sha256sum -c SHA256SUMS"), "{footer}");
    let bad = Fixture::copy("integrity_basic").write("aimsdoc.toml", "[release]\nsigner = \"a b\"\n");
    let a = aimsdoc().arg("check").arg(bad.root()).assert().code(2);
    assert!(stderr(&a).contains("is not a single principal"), "{}", stderr(&a));
}
