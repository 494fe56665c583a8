//! Failures of the environment or the command line that stop a command, with their hint kept as
//! data: a [`Failure`] has a message and an optional `help`, and whoever shows it (the binary's
//! `main`, `serve`'s console and overlay) prints `help: ...` on a line of its own. Before, the
//! hint was `"\nhelp: ..."` text inside the message, which a context wrapped around the error
//! pushed into the middle of the line.
//!
//! Build one with [`failure!`](crate::failure::failure) (the value, e.g. for `with_context`) or
//! return one with [`fail!`](crate::failure::fail) (like `anyhow::bail!`). Exit codes stay with
//! [`crate::exit::of_error`]: a `Failure` caused by an I/O error still exits 3.

use std::fmt;

/// A failure that stops a command: what went wrong, and what to do about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    message: String,
    help: Option<String>,
}

impl Failure {
    /// A failure without a hint.
    pub fn new(message: impl Into<String>) -> Self {
        Failure { message: message.into(), help: None }
    }

    /// The same failure with a hint (shown as `help: ...`).
    #[must_use]
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// What went wrong (without the hint).
    pub fn message(&self) -> &str {
        &self.message
    }

    /// What to do about it, if we know.
    pub fn help(&self) -> Option<&str> {
        self.help.as_deref()
    }
}

/// The message alone: the hint is data, shown by [`help_of`]'s callers on its own line.
impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Failure {}

/// The hint of the outermost [`Failure`] in `err`, whether it is the error itself, a context
/// around it, or a cause further down.
pub fn help_of(err: &anyhow::Error) -> Option<&str> {
    // `downcast_ref` also sees context layers (which `chain` hides behind anyhow's private
    // wrapper type); `chain` also sees a Failure that is the `source` of another error.
    err.downcast_ref::<Failure>()
        .or_else(|| err.chain().find_map(|cause| cause.downcast_ref::<Failure>()))
        .and_then(Failure::help)
}

/// The whole failure as text for one place (a console line, the serve overlay):
/// `message: cause: cause`, then `help: hint` on the next line when there is one.
pub fn report(err: &anyhow::Error) -> String {
    match help_of(err) {
        Some(help) => format!("{err:#}\nhelp: {help}"),
        None => format!("{err:#}"),
    }
}

/// A [`Failure`] with a formatted message and hint:
/// `failure!(help = "replace the link with the file itself", "`{}` is a symbolic link", p)`.
/// A hint that needs arguments is written in parentheses: `help = ("use one of: {}", list)`.
macro_rules! failure {
    (help = $help:literal, $($message:tt)+) => {
        $crate::failure::Failure::new(format!($($message)+)).with_help(format!($help))
    };
    (help = ($($help:tt)+), $($message:tt)+) => {
        $crate::failure::Failure::new(format!($($message)+)).with_help(format!($($help)+))
    };
    ($($message:tt)+) => {
        $crate::failure::Failure::new(format!($($message)+))
    };
}
pub(crate) use failure;

/// Returns early with a [`Failure`] (as `anyhow::bail!` does with a message); same arguments as
/// [`failure!`].
macro_rules! fail {
    ($($arguments:tt)+) => {
        return Err($crate::failure::failure!($($arguments)+).into())
    };
}
pub(crate) use fail;

#[cfg(test)]
mod tests {
    use super::*;
    use anyhow::Context as _;

    fn refuse(path: &str) -> anyhow::Result<()> {
        fail!(help = "replace the link with the file itself", "`{path}` is a symbolic link")
    }

    #[test]
    fn display_is_the_message_and_the_hint_is_data() {
        let f = failure!(help = ("use one of: {}", ["a", "b"].join(", ")), "`{}` is not a type", "x");
        assert_eq!(f.to_string(), "`x` is not a type");
        assert_eq!(f.help(), Some("use one of: a, b"));
        assert_eq!(failure!("plain {}", 1).help(), None);
    }

    #[test]
    fn the_hint_follows_the_whole_chain() {
        let err = refuse("a.md").context("cannot load the tree").unwrap_err();
        assert_eq!(help_of(&err), Some("replace the link with the file itself"));
        assert_eq!(
            report(&err),
            "cannot load the tree: `a.md` is a symbolic link\nhelp: replace the link with the file itself"
        );
    }

    #[test]
    fn a_failure_as_context_keeps_the_io_cause_and_its_exit_code() {
        let io: Result<(), std::io::Error> = Err(std::io::Error::other("permission denied"));
        let err = io.with_context(|| failure!(help = "remove it and try again", "cannot open `x`")).unwrap_err();
        assert_eq!(report(&err), "cannot open `x`: permission denied\nhelp: remove it and try again");
        assert_eq!(crate::exit::of_error(&err), crate::exit::IO);
        assert_eq!(report(&anyhow::anyhow!("no hint")), "no hint");
    }
}
