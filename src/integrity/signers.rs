//! The `allowed_signers` file of `ssh-keygen -Y verify` (OpenSSH's ssh-keygen(1), "ALLOWED
//! SIGNERS"): one key per line, `principals [options] keytype base64-key [comment]`. aimsdoc
//! reads what a release needs: principals as comma-separated patterns (`*`, `?`, `!negation`),
//! the `namespaces="..."` option (a line restricted to other namespaces never matches), and
//! `valid-after`/`valid-before` judged by day against the build date (conservatively: a line
//! whose window might not include today does not match). `cert-authority` lines name a CA, not
//! a signer: aimsdoc does not accept certificate signatures, so it reports and skips them.

use ssh_key::PublicKey;

use crate::content::types::Date;

/// One usable line of the file.
#[derive(Debug, Clone)]
pub(crate) struct Signer {
    /// The principals field as written (comma-separated patterns).
    pub principals: String,
    /// `namespaces="..."`: patterns the signature's namespace must match; `None` = any.
    namespaces: Option<String>,
    /// `valid-after` / `valid-before` as written (YYYYMMDD[...]).
    valid_after: Option<String>,
    valid_before: Option<String>,
    /// The key.
    pub key: PublicKey,
}

/// The parsed file: its usable lines and what could not be used (line number, why).
#[derive(Debug, Clone, Default)]
pub(crate) struct AllowedSigners {
    /// Lines that name a signer key.
    pub signers: Vec<Signer>,
    /// Lines skipped, with the reason.
    pub skipped: Vec<(usize, String)>,
}

impl AllowedSigners {
    /// Parses the text of an `allowed_signers` file. Never fails: a bad line is skipped and
    /// named, as `ssh-keygen` does.
    pub(crate) fn parse(text: &str) -> AllowedSigners {
        let mut out = AllowedSigners::default();
        for (i, raw) in text.lines().enumerate() {
            let line = raw.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            match parse_line(line) {
                Ok(s) => out.signers.push(s),
                Err(why) => out.skipped.push((i + 1, why)),
            }
        }
        out
    }

    /// The lines whose key is `key`, that allow `namespace` and are valid on `today`.
    pub(crate) fn matching<'a>(
        &'a self,
        key: &'a ssh_key::public::KeyData,
        namespace: &'a str,
        today: Date,
    ) -> impl Iterator<Item = &'a Signer> + 'a {
        self.signers.iter().filter(move |s| s.key.key_data() == key && s.allows(namespace, today))
    }
}

impl Signer {
    fn allows(&self, namespace: &str, today: Date) -> bool {
        let ns_ok = self.namespaces.as_deref().is_none_or(|n| match_list(namespace, n));
        let day = today.to_string().replace('-', "");
        // valid-after D: certain only from the day after D (D itself may carry a later time).
        let after_ok = self.valid_after.as_deref().is_none_or(|a| a.get(..8).is_some_and(|d| day.as_str() > d));
        let before_ok = self.valid_before.as_deref().is_none_or(|b| b.get(..8).is_some_and(|d| day.as_str() < d));
        ns_ok && after_ok && before_ok
    }
}

fn parse_line(line: &str) -> Result<Signer, String> {
    let mut fields = Fields(line);
    let principals = fields.next().ok_or("no principals")?;
    let mut next = fields.next().ok_or("no key")?;
    let mut options = LineOptions::default();
    if !is_key_type(&next) {
        options = parse_options(&next)?;
        next = fields.next().ok_or("no key after the options")?;
    }
    let blob = fields.next().ok_or("no key after the key type")?;
    let key = PublicKey::from_openssh(&format!("{next} {blob}")).map_err(|e| format!("cannot read the key: {e}"))?;
    Ok(Signer {
        principals: principals.trim_matches('"').to_string(),
        namespaces: options.namespaces,
        valid_after: options.valid_after,
        valid_before: options.valid_before,
        key,
    })
}

fn is_key_type(s: &str) -> bool {
    s.starts_with("ssh-") || s.starts_with("ecdsa-") || s.starts_with("sk-")
}

#[derive(Default)]
struct LineOptions {
    namespaces: Option<String>,
    valid_after: Option<String>,
    valid_before: Option<String>,
}

fn parse_options(options: &str) -> Result<LineOptions, String> {
    let mut out = LineOptions::default();
    for opt in split_unquoted(options, ',') {
        let (name, value) = opt.split_once('=').map_or((opt.as_str(), None), |(k, v)| (k, Some(v.trim_matches('"'))));
        match (name.to_ascii_lowercase().as_str(), value) {
            ("namespaces", Some(v)) => out.namespaces = Some(v.to_string()),
            ("valid-after", Some(v)) => out.valid_after = Some(v.to_string()),
            ("valid-before", Some(v)) => out.valid_before = Some(v.to_string()),
            ("cert-authority", None) => return Err("a cert-authority line (certificates are not supported)".into()),
            _ => return Err(format!("unknown option `{opt}`")),
        }
    }
    Ok(out)
}

/// Whitespace-separated fields; a double-quoted stretch stays in one field.
struct Fields<'a>(&'a str);

impl Iterator for Fields<'_> {
    type Item = String;
    fn next(&mut self) -> Option<String> {
        let s = self.0.trim_start();
        if s.is_empty() {
            return None;
        }
        let mut quoted = false;
        let end = s.char_indices().find(|&(_, c)| {
            if c == '"' {
                quoted = !quoted;
            }
            c.is_whitespace() && !quoted
        });
        let end = end.map_or(s.len(), |(i, _)| i);
        self.0 = &s[end..];
        Some(s[..end].to_string())
    }
}

fn split_unquoted(s: &str, sep: char) -> Vec<String> {
    let mut out = vec![String::new()];
    let mut quoted = false;
    for c in s.chars() {
        match c {
            c if c == sep && !quoted => out.push(String::new()),
            c => {
                quoted ^= c == '"';
                if let Some(last) = out.last_mut() {
                    last.push(c);
                }
            }
        }
    }
    out
}

/// OpenSSH's `match_pattern_list`: true when `name` matches a pattern of the comma-separated
/// `list` and no negated (`!`) pattern.
pub(crate) fn match_list(name: &str, list: &str) -> bool {
    let mut matched = false;
    for pat in list.split(',').map(str::trim) {
        match pat.strip_prefix('!') {
            Some(neg) if glob(name, neg) => return false,
            Some(_) => {}
            None => matched |= glob(name, pat),
        }
    }
    matched
}

/// `*` (any run) and `?` (any one character) wildcards, as OpenSSH's `match_pattern`.
fn glob(name: &str, pat: &str) -> bool {
    let (n, p): (Vec<char>, Vec<char>) = (name.chars().collect(), pat.chars().collect());
    let (mut i, mut j, mut star, mut mark) = (0, 0, None, 0);
    while i < n.len() {
        if j < p.len() && (p[j] == '?' || p[j] == n[i]) {
            i += 1;
            j += 1;
        } else if j < p.len() && p[j] == '*' {
            star = Some(j);
            mark = i;
            j += 1;
        } else if let Some(s) = star {
            j = s + 1;
            mark += 1;
            i = mark;
        } else {
            return false;
        }
    }
    p[j..].iter().all(|&c| c == '*')
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: &str = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIPapK4BoLUdIikCRWD7XJvuV2fga5wl9+X9Ms3+skIa3";

    fn day(s: &str) -> Date {
        crate::content::types::parse_date(s).expect("date")
    }

    #[test]
    fn patterns_match_as_openssh_does() {
        for (name, list, want) in [
            ("rel@x.org", "rel@x.org", true),
            ("rel@x.org", "a@b,rel@x.org", true),
            ("rel@x.org", "*@x.org", true),
            ("rel@x.org", "r?l@x.org", true),
            ("rel@x.org", "*@x.org,!rel@*", false),
            ("rel@x.org", "other@x.org", false),
            ("rel@x.org", "!other@x.org", false),
        ] {
            assert_eq!(match_list(name, list), want, "{name} in {list}");
        }
    }

    #[test]
    fn lines_with_options_quotes_and_comments_are_read() {
        let text = format!(
            "# release keys\n\nrel@x.org {KEY} laptop\n\"a@x,b@x\" namespaces=\"git,aimsdoc\",valid-after=\"20260101\" {KEY}\nc@x cert-authority {KEY}\nd@x ssh-ed25519 notbase64\n"
        );
        let s = AllowedSigners::parse(&text);
        let principals: Vec<&str> = s.signers.iter().map(|s| s.principals.as_str()).collect();
        assert_eq!(principals, ["rel@x.org", "a@x,b@x"]);
        assert_eq!(s.skipped.iter().map(|(n, _)| *n).collect::<Vec<_>>(), [5, 6]);
        let key = s.signers[0].key.key_data().clone();
        let on = |ns: &str, d: &str| s.matching(&key, ns, day(d)).map(|s| s.principals.clone()).collect::<Vec<_>>();
        assert_eq!(on("aimsdoc", "2026-06-01"), ["rel@x.org", "a@x,b@x"]);
        assert_eq!(on("file", "2026-06-01"), ["rel@x.org"]);
        assert_eq!(on("aimsdoc", "2026-01-01"), ["rel@x.org"], "valid-after is exclusive of its day");
    }

    #[test]
    fn valid_before_ends_the_window() {
        let s = AllowedSigners::parse(&format!("rel@x valid-before=\"20260601\" {KEY}\n"));
        let key = s.signers[0].key.key_data().clone();
        assert_eq!(s.matching(&key, "aimsdoc", day("2026-05-31")).count(), 1);
        assert_eq!(s.matching(&key, "aimsdoc", day("2026-06-01")).count(), 0);
    }
}
