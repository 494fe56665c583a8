//! Command-line interface: argument parsing (clap derive); each command's body lives in its
//! own file beside this one.

mod build;
mod check;

use std::io::{IsTerminal, Write};
use std::path::PathBuf;

use anyhow::Context as _;
use clap::{Parser, Subcommand};

use crate::content::types::{parse_date, Date};
use crate::diagnostics::{self, Counts, Format};
use crate::site::{Checked, Options};

/// Exit code: success (warnings allowed).
pub const EXIT_OK: i32 = 0;
/// Exit code: errors found in the documents.
pub const EXIT_ERRORS: i32 = 1;
/// Exit code: usage or configuration error.
pub const EXIT_USAGE: i32 = 2;

/// Turns ISO/IEC 42001 documented information (Markdown + YAML front matter) into a controlled,
/// verifiable documentation portal.
#[derive(Debug, Parser)]
#[command(name = "aimsdoc", version, about, propagate_version = true)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
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
        /// Treat warnings (e.g. overdue reviews) as errors.
        #[arg(long)]
        strict: bool,
        /// Output format of the findings.
        #[arg(long, value_enum, default_value = "human")]
        format: Format,
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
    },
}

/// Runs the parsed command line and returns the process exit code.
pub fn run(cli: Cli) -> anyhow::Result<i32> {
    let today = today()?;
    match cli.command {
        Command::Check { dir, strict, format } => check::run(Options { root: dir, strict, today }, format),
        Command::Build { dir, out, strict, format } => build::run(Options { root: dir, strict, today }, out, format),
    }
}

/// Prints the findings of `checked` in `format`.
pub(crate) fn report(out: &mut dyn Write, checked: &Checked, opts: &Options, format: Format) -> anyhow::Result<()> {
    let display_root = match opts.root.to_string_lossy().as_ref() {
        "." | "./" | "" => String::new(),
        other => format!("{}/", other.trim_end_matches('/')),
    };
    let line_of = |file: &str, n: usize| {
        checked.tree.sources.get(file).and_then(|t| t.lines().nth(n.saturating_sub(1))).map(str::to_string)
    };
    let color = format == Format::Human
        && std::io::stdout().is_terminal()
        && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
    let cx = diagnostics::format::Context { display_root: &display_root, line_of: &line_of, color };
    diagnostics::print(out, &checked.diagnostics, format, &cx)?;
    if format == Format::Human && checked.diagnostics.is_empty() {
        let c = Counts::default();
        writeln!(
            out,
            "{} documents checked: {} errors, {} warnings",
            checked.tree.documents.len(),
            c.errors,
            c.warnings
        )?;
    }
    Ok(())
}

/// The date reviews are judged against: `AIMSDOC_TODAY` (YYYY-MM-DD), else the date of
/// `SOURCE_DATE_EPOCH`, else the system clock's date (UTC).
pub fn today() -> anyhow::Result<Date> {
    if let Ok(s) = std::env::var("AIMSDOC_TODAY") {
        return parse_date(&s).with_context(|| format!("AIMSDOC_TODAY={s:?} is not a YYYY-MM-DD date"));
    }
    let ts = match std::env::var("SOURCE_DATE_EPOCH") {
        Ok(s) => {
            let secs: i64 =
                s.trim().parse().with_context(|| format!("SOURCE_DATE_EPOCH={s:?} is not a number of seconds"))?;
            jiff::Timestamp::from_second(secs).context("SOURCE_DATE_EPOCH is out of range")?
        }
        Err(_) => jiff::Timestamp::now(),
    };
    Ok(ts.to_zoned(jiff::tz::TimeZone::UTC).date())
}
