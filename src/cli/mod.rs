//! Command-line interface: argument parsing (clap derive); each command's body lives in its
//! own file beside this one.

mod approve;
mod build;
mod check;
mod diff;
mod due;
mod init;
mod lsp;
mod new;
mod pack;
mod register;
mod schema;
mod serve;
mod sign;
mod verify;

use std::io::{IsTerminal, Write};
use std::path::PathBuf;

use clap::{Parser, Subcommand};

use crate::config::Trust;
use crate::content::types::{parse_date, Date};
use crate::diagnostics::{self, Counts, Format};
use crate::site::{Checked, Options};

pub use crate::exit::{ERRORS as EXIT_ERRORS, OK as EXIT_OK, USAGE as EXIT_USAGE};

/// Turns ISO/IEC 42001 documented information (Markdown + YAML front matter) into a controlled,
/// verifiable documentation portal.
#[derive(Debug, Parser)]
#[command(name = "aimsdoc", version, about, propagate_version = true)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
    /// No progress bars (they show only on a terminal, never when CI is set).
    #[arg(long, short, global = true)]
    quiet: bool,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Validate the content tree (Clause 7.5 document control, links, review dates); writes nothing.
    ///
    /// Example: aimsdoc check content-example --strict --format github
    Check {
        /// Content root (holds aimsdoc.toml, documents/, evidence/).
        #[arg(default_value = ".")]
        dir: PathBuf,
        /// Report only findings in these files or folders (the whole tree is still loaded, so
        /// references resolve). Relative to the working directory or to DIR.
        #[arg(value_name = "PATH")]
        paths: Vec<PathBuf>,
        /// Treat warnings (e.g. overdue reviews) as errors.
        #[arg(long)]
        strict: bool,
        /// Output format of the findings.
        #[arg(long, value_enum, default_value = "human")]
        format: Format,
        /// Treat the tree as a pull request's: every symlink is refused, theme overrides are
        /// ignored and raw HTML is escaped whatever aimsdoc.toml says.
        #[arg(long)]
        untrusted: bool,
        /// The pull-request gate: compare every document with its text at git revision REV
        /// (`origin/main`, a hash) and report content changed without a new version (VC012), a
        /// version that went down (VC013) and a re-approval without a change (VC014).
        #[arg(long, value_name = "REV")]
        changed_since: Option<String>,
        /// Do not read the documents' history from git.
        #[arg(long)]
        no_history: bool,
    },
    /// Validate, then build the static portal (atomically: a failed build keeps the old site).
    ///
    /// Example: aimsdoc build content-example --out /tmp/portal
    Build {
        /// Content root.
        #[arg(default_value = ".")]
        dir: PathBuf,
        /// Output directory (default: `paths.output` of aimsdoc.toml, i.e. DIR/site).
        #[arg(long, short)]
        out: Option<PathBuf>,
        /// Treat warnings as errors.
        #[arg(long)]
        strict: bool,
        /// Output format of the findings (printed to stderr).
        #[arg(long, value_enum, default_value = "human")]
        format: Format,
        /// Build a pull request's tree: every symlink is refused, theme overrides are ignored,
        /// raw HTML is escaped whatever aimsdoc.toml says, and `--out` is required.
        #[arg(long, requires = "out")]
        untrusted: bool,
        /// Build the portal as it stood on DATE: each document as in the last commit on or
        /// before DATE, statuses, reviews and the checklist judged on that date (default output:
        /// the configured output folder with `-as-of-DATE` appended).
        #[arg(long, value_name = "YYYY-MM-DD", value_parser = date_arg)]
        as_of: Option<Date>,
        /// Do not read the documents' history from git (no Versions tables, no superseded
        /// version pages or redlines).
        #[arg(long, conflicts_with = "as_of")]
        no_history: bool,
        /// Add `changes.html`, "Changes since REV" (linked from the dashboard and the sidebar):
        /// documents added, removed, given a new version, changed status or approval, evidence
        /// added, changed or removed since git revision REV (e.g. the tag of the last audit's
        /// release), as `aimsdoc diff REV DIR` reports them.
        #[arg(long, value_name = "REV")]
        changes_since: Option<String>,
    },
    /// Preview the portal while editing: build, serve on 127.0.0.1, rebuild on every save and
    /// reload open pages. Errors in the documents show in the terminal and, until fixed, in
    /// the browser instead of the pages.
    ///
    /// The served site lives in a private temporary folder (or --out), never in the output of
    /// `aimsdoc build`; the reload script exists only in served responses. Ctrl-C stops.
    ///
    /// Example: aimsdoc serve content-example --port 8000 --open
    Serve {
        /// Content root.
        #[arg(default_value = ".")]
        dir: PathBuf,
        /// Port to listen on (0 picks a free one).
        #[arg(long, short, default_value_t = 8000)]
        port: u16,
        /// Address to bind. Anything but loopback exposes unpublished drafts to the network.
        #[arg(long, default_value = "127.0.0.1")]
        bind: std::net::IpAddr,
        /// Open the portal in the default browser.
        #[arg(long)]
        open: bool,
        /// Write the served site here instead of a temporary folder (same rules as `build --out`).
        #[arg(long, short)]
        out: Option<PathBuf>,
    },
    /// Create a starter content tree: configuration with every key explained, example
    /// documents, evidence, .gitignore and CI workflows for GitHub Actions and GitLab CI.
    ///
    /// Refuses to overwrite existing files (exit 2, nothing written).
    ///
    /// Example: aimsdoc init my-aims
    Init {
        /// Folder to create the tree in (created if missing).
        #[arg(default_value = ".")]
        dir: PathBuf,
    },
    /// Create a new draft document with the next free id for its type, every required field,
    /// today's date, and TODO placeholders for owner and approver that `check` reports until
    /// filled in. Prints the new file's path.
    ///
    /// Example: aimsdoc new policy "Acceptable Use of AI" --root content-example
    New {
        /// Document type (policy, procedure, plan, standard, guideline, register, record, form,
        /// report, soa, external, or a configured extra type).
        #[arg(value_name = "TYPE")]
        doc_type: String,
        /// Title of the document.
        title: String,
        /// Folder for the file (default: DOCUMENTS/<type folder>, e.g. documents/policies).
        #[arg(long)]
        dir: Option<PathBuf>,
        /// Content root.
        #[arg(long, default_value = ".")]
        root: PathBuf,
    },
    /// Print the JSON Schema (draft 2020-12) of the front matter, for editor completion and
    /// validation with a YAML language server. Uses DIR's configured types and levels.
    ///
    /// Example: aimsdoc schema content-example > aimsdoc.schema.json
    Schema {
        /// Content root whose aimsdoc.toml is used (defaults when it has none).
        #[arg(default_value = ".")]
        dir: PathBuf,
    },
    /// Print the document register to stdout (CSV and JSON are the bytes of the site's
    /// register.csv and register.json).
    ///
    /// Example: aimsdoc register content-example --format md
    Register {
        /// Content root.
        #[arg(default_value = ".")]
        dir: PathBuf,
        /// Output format.
        #[arg(long, value_enum, default_value = "csv")]
        format: register::RegisterFormat,
    },
    /// Check a built site against its SHA256SUMS and name every file changed, added or removed.
    ///
    /// Exit 0 when the site is exactly as built, 1 on any difference, 2 when SITE_DIR is not a
    /// built site. `sha256sum -c SHA256SUMS` run inside SITE_DIR agrees on every listed file.
    /// A SHA256SUMS.sig (`aimsdoc sign`) is checked too; with --allowed-signers it is required
    /// and its signer named.
    ///
    /// Example: aimsdoc verify content-example/site --allowed-signers allowed_signers
    Verify {
        /// The built site (the output directory of `aimsdoc build`).
        site_dir: PathBuf,
        /// Also require this release digest (the SHA-256 of SHA256SUMS, printed by `aimsdoc build`).
        #[arg(long, value_name = "SHA256")]
        digest: Option<String>,
        /// Require a signature (SHA256SUMS.sig) by a key of this file (ssh-keygen's
        /// allowed_signers format), by the portal's [release] signer when it names one.
        #[arg(long, value_name = "FILE")]
        allowed_signers: Option<PathBuf>,
    },
    /// Sign a built site: an SSH signature of its SHA256SUMS (which binds every file) in
    /// SHA256SUMS.sig, namespace `aimsdoc`, that `ssh-keygen -Y verify` checks without aimsdoc.
    ///
    /// Refuses a site that fails `aimsdoc verify`. SHA256SUMS itself is not changed. The key is
    /// an OpenSSH ed25519 private key; an encrypted one is opened with the passphrase in
    /// AIMSDOC_SIGN_PASSPHRASE. Prints the allowed_signers line to give auditors.
    ///
    /// Example: aimsdoc sign content-example/site --key ~/.ssh/aimsdoc_release
    Sign {
        /// The built site.
        site_dir: PathBuf,
        /// The private key (OpenSSH format, e.g. made by `ssh-keygen -t ed25519`).
        #[arg(long, value_name = "KEY")]
        key: PathBuf,
    },
    /// What changed between two portals: documents added or removed, new versions, status and
    /// approval changes, evidence added, changed or removed.
    ///
    /// OLD and NEW are each a built site (its manifest.json is read), a content root (checked
    /// in memory, nothing written) or a git revision of the repository holding --root (its
    /// content tree exported into a private temporary folder and checked the same way). An
    /// existing path wins; `rev:NAME` is always a revision. Exit 0 whether or not anything
    /// changed.
    ///
    /// Examples: aimsdoc diff released-site content-example --format md;
    /// aimsdoc diff v1.0 HEAD --root docs/aims
    Diff {
        /// The earlier portal: a built site, a content root or a revision (`v1.0`, `rev:HEAD~3`).
        old: PathBuf,
        /// The later portal: a built site, a content root or a revision.
        new: PathBuf,
        /// The content root whose repository revisions are read from (the revision's tree at
        /// this folder's place is compared).
        #[arg(long, value_name = "DIR", default_value = ".")]
        root: PathBuf,
        /// Output format.
        #[arg(long, value_enum, default_value = "human")]
        format: diff::DiffFormat,
    },
    /// Approve a document: a draft or a document in review becomes approved (status, a 0.x
    /// draft issued as 1.0 or --version with its history entry, approval, effective date, next
    /// review), and id, version, content hash (text and attachments), approver and date go into
    /// approvals.lock as a new line. Refused, with nothing written, when `check` would then fail.
    ///
    /// An `effective` date before the approval moves to the approval date (or --effective), and
    /// a `next_review` outside `max_review_interval` moves within it (or to --next-review); each
    /// change is printed. A version already approved by someone else gets a second line (dual
    /// approval) and its front matter stays. No ledger line is ever rewritten or removed. Once a
    /// version is in the ledger, `check` and `build` fail if its content or an attachment
    /// changes; approving changed content needs a new version.
    ///
    /// Example: aimsdoc approve POL-002 --by "Jane Smith, CEO" --dry-run content-example
    // `--version` here is the version a draft is issued as, not aimsdoc's own.
    #[command(disable_version_flag = true)]
    Approve {
        /// Id of the document to approve.
        doc_id: String,
        /// The approver: name and role, as it should appear on the document.
        #[arg(long)]
        by: String,
        /// Date of the approval (default: today).
        #[arg(long, value_name = "YYYY-MM-DD", value_parser = date_arg)]
        date: Option<Date>,
        /// Set `effective` to this date (on or after the approval date).
        #[arg(long, value_name = "YYYY-MM-DD", value_parser = date_arg)]
        effective: Option<Date>,
        /// Set `next_review` to this date (after the approval, within `max_review_interval`).
        #[arg(long, value_name = "YYYY-MM-DD", value_parser = date_arg)]
        next_review: Option<Date>,
        /// Issue a draft as this version (default: 1.0 for a 0.x draft, else its own version).
        #[arg(long, value_name = "X.Y")]
        version: Option<String>,
        /// Print every change the approval would make; write nothing.
        #[arg(long)]
        dry_run: bool,
        /// Content root.
        #[arg(default_value = ".")]
        dir: PathBuf,
    },
    /// List what each owner must review, approve or dispose of, and by when (overdue first).
    ///
    /// The same dates as the site's review calendar (reviews.ics). Exit 1 (after printing) when
    /// the tree has errors, since documents that failed to load are missing from the list.
    ///
    /// Example: aimsdoc due content-example --owner "Chief AI Officer" --within 30d
    Due {
        /// Content root.
        #[arg(default_value = ".")]
        dir: PathBuf,
        /// Only documents whose owner or approver is this name or role ("Jane Smith" or
        /// "Head of Legal" both match "Jane Smith, Head of Legal").
        #[arg(long, value_name = "NAME")]
        owner: Option<String>,
        /// Only what falls due within this period (30d, 6w); overdue items always show.
        #[arg(long, value_name = "PERIOD", value_parser = due::within_arg)]
        within: Option<u32>,
        /// Output format.
        #[arg(long, value_enum, default_value = "human")]
        format: due::DueFormat,
    },
    /// Run the language server (LSP over stdin/stdout) for editors: findings as you type, completion
    /// of front matter and links, hover, go to definition, references and quick fixes.
    ///
    /// The content root is --root, else the editor's workspace folder; either may be a folder
    /// inside the tree or the folder right above it (the one holding aimsdoc.toml is used).
    ///
    /// Example (Neovim): vim.lsp.start({ name = "aimsdoc", cmd = { "aimsdoc", "lsp" } })
    Lsp {
        /// Content root (default: from the editor's workspace).
        #[arg(long)]
        root: Option<PathBuf>,
        /// Treat warnings as errors, as `check --strict` does.
        #[arg(long)]
        strict: bool,
    },
    /// Print a shell completion script for bash, zsh, fish, elvish or PowerShell.
    ///
    /// Example (bash): aimsdoc completions bash > ~/.local/share/bash-completion/completions/aimsdoc
    Completions {
        /// The shell.
        shell: clap_complete::Shell,
    },
    /// Print the manual page (roff) of aimsdoc, or of one command as `aimsdoc-COMMAND(1)`.
    ///
    /// Example: aimsdoc man > ~/.local/share/man/man1/aimsdoc.1
    Man {
        /// A command (check, build, ...) whose own page to print.
        command: Option<String>,
    },
    /// Zip a verified site for an auditor, with a README.txt on how to verify it.
    ///
    /// Refuses a site that fails `aimsdoc verify`. The same site always gives the same zip bytes.
    ///
    /// Example: aimsdoc pack content-example/site -o aims-portal.zip
    Pack {
        /// The built site.
        site_dir: PathBuf,
        /// The zip file to write (default: SITE_DIR.zip beside the site).
        #[arg(long, short, value_name = "FILE.zip")]
        out: Option<PathBuf>,
    },
}

fn trust(untrusted: bool) -> Trust {
    if untrusted {
        Trust::Untrusted
    } else {
        Trust::Trusted
    }
}

fn date_arg(s: &str) -> Result<Date, String> {
    parse_date(s).ok_or_else(|| format!("`{s}` is not a YYYY-MM-DD date"))
}

/// Runs the parsed command line and returns the process exit code.
pub fn run(cli: Cli) -> anyhow::Result<i32> {
    let today = crate::clock::today()?;
    crate::progress::set_quiet(cli.quiet);
    match cli.command {
        Command::Check { dir, paths, strict, format, untrusted, changed_since, no_history } => {
            let git = check::Git { changed_since, history: !no_history };
            check::run(Options { root: dir, strict, today, trust: trust(untrusted) }, format, &paths, git)
        }
        Command::Serve { dir, port, bind, open, out } => {
            serve::run(crate::serve::ServeOptions { root: dir, bind, port, open, out, today })
        }
        Command::Init { dir } => init::run(&dir, today),
        Command::New { doc_type, title, dir, root } => {
            new::run(new::NewDoc { root: &root, doc_type: &doc_type, title: &title, dir, today })
        }
        Command::Schema { dir } => schema::run(&dir),
        Command::Register { dir, format } => {
            register::run(Options { root: dir, strict: false, today, trust: Trust::Trusted }, format)
        }
        Command::Build { dir, out, strict, format, untrusted, as_of, no_history, changes_since } => {
            let git = build::Git { as_of, history: !no_history, changes_since };
            build::run(Options { root: dir, strict, today, trust: trust(untrusted) }, out, format, git)
        }
        Command::Verify { site_dir, digest, allowed_signers } => {
            verify::run(&site_dir, digest.as_deref(), allowed_signers.as_deref(), today)
        }
        Command::Sign { site_dir, key } => sign::run(&site_dir, &key, today),
        Command::Diff { old, new, root, format } => diff::run(&old, &new, &root, format, today),
        Command::Approve { doc_id, by, date, effective, next_review, version, dry_run, dir } => {
            let dates = approve::Dates { date: date.unwrap_or(today), effective, next_review, today };
            approve::run(dir, doc_id, by, dates, approve::Mode { version, dry_run })
        }
        Command::Pack { site_dir, out } => pack::run(&site_dir, out, today),
        Command::Lsp { root, strict } => lsp::run(root, strict, today),
        Command::Completions { shell } => completions(shell),
        Command::Man { command } => manual(command.as_deref()),
        Command::Due { dir, owner, within, format } => due::run(
            Options { root: dir, strict: false, today, trust: Trust::Trusted },
            due::DueQuery { owner, within_days: within, format },
        ),
    }
}

/// Writes the completion script for `shell` to stdout.
fn completions(shell: clap_complete::Shell) -> anyhow::Result<i32> {
    let mut out = Vec::new();
    clap_complete::generate(shell, &mut <Cli as clap::CommandFactory>::command(), "aimsdoc", &mut out);
    schema::write_stdout(&out)?;
    Ok(EXIT_OK)
}

/// Writes the manual page of aimsdoc, or of `command`, to stdout.
fn manual(command: Option<&str>) -> anyhow::Result<i32> {
    let cli = <Cli as clap::CommandFactory>::command();
    let page = match command {
        None => cli,
        Some(name) => match cli.find_subcommand(name) {
            Some(sub) => sub.clone().name(format!("aimsdoc-{name}")),
            None => {
                let names: Vec<&str> = cli.get_subcommands().map(|c| c.get_name()).collect();
                crate::failure::fail!(help = ("commands: {}", names.join(", ")), "no command `{name}`");
            }
        },
    };
    let mut out = Vec::new();
    clap_mangen::Man::new(page).render(&mut out)?;
    schema::write_stdout(&out)?;
    Ok(EXIT_OK)
}

/// Says on stderr (human format only) why the built portal shows no history from git: a
/// notice, never a finding, so `--strict` does not fail on a tree outside git. (`check` shows no
/// history, so it says nothing.)
pub(crate) fn history_notice(checked: &Checked, format: Format) {
    if let (Format::Human, crate::provenance::Provenance::Unavailable(reason)) = (format, &checked.provenance) {
        eprintln!("note: version history from git is unavailable: {reason}");
    }
}

/// Prints the findings of `checked` in `format`.
pub(crate) fn report(out: &mut dyn Write, checked: &Checked, opts: &Options, format: Format) -> anyhow::Result<()> {
    let display_root = diagnostics::display_root(&opts.root);
    let line_of = |file: &str, n: usize| checked.tree.line_of(file, n);
    let color = format == Format::Human && diagnostics::use_color(std::io::stdout().is_terminal());
    let cx = diagnostics::format::Context { display_root: &display_root, line_of: &line_of, color };
    diagnostics::print(out, &checked.diagnostics, format, &cx)?;
    if format == Format::Human {
        let counts = Counts::of(&checked.diagnostics);
        // Files that failed to parse were checked too: count every document file read.
        let documents = checked.tree.sources.len().max(checked.tree.documents.len());
        writeln!(out, "{}", diagnostics::format::summary(documents, counts))?;
    }
    Ok(())
}
