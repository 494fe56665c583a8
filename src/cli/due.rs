//! `aimsdoc due`: what each owner must review, approve or dispose of, and by when. Reads the
//! assessment's due list (`assess::due`), the same data as the site's review calendar.

use std::io::Write as _;

use serde::Serialize;

use super::{EXIT_ERRORS, EXIT_OK};
use crate::assess::due::{self, Due};
use crate::csv_export::Table;
use crate::diagnostics::format::visible;
use crate::diagnostics::Counts;
use crate::site::{self, Checked, Options};
use crate::urls;

/// Output format of `aimsdoc due`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(super) enum DueFormat {
    /// A table for people, grouped by owner.
    Human,
    /// A JSON array.
    Json,
    /// RFC 4180 CSV (formula starts neutralised).
    Csv,
}

/// What `aimsdoc due` was asked.
pub(super) struct DueQuery {
    /// Only documents whose owner (or, for approvals, approver) matches this name or role.
    pub owner: Option<String>,
    /// Only what falls due within this many days (overdue and undated items always show).
    pub within_days: Option<u32>,
    /// Output format.
    pub format: DueFormat,
}

/// One line of the output.
#[derive(Debug, Serialize)]
struct DueRow {
    due: String,
    days_left: Option<i64>,
    action: &'static str,
    id: String,
    title: String,
    owner: String,
    approver: String,
    page: String,
}

/// Prints what is due; exit 1 (after printing) when the tree has errors, since documents that
/// failed to load are missing from the list.
pub(super) fn run(opts: Options, query: DueQuery) -> anyhow::Result<i32> {
    let checked = site::check(&opts)?;
    let items = due::list(&checked.tree, &checked.assessment, query.within_days);
    let rows: Vec<DueRow> = items
        .iter()
        .map(|item| row(&checked, item))
        .filter(|r| {
            query
                .owner
                .as_deref()
                .is_none_or(|name| matches_person(name, &r.owner) || matches_person(name, &r.approver))
        })
        .collect();
    let text = match query.format {
        DueFormat::Human => human(&rows, &checked, query.within_days),
        DueFormat::Json => serde_json::to_string_pretty(&rows)? + "\n",
        DueFormat::Csv => csv(&rows)?,
    };
    std::io::stdout().lock().write_all(text.as_bytes())?;
    let counts = Counts::of(&checked.diagnostics);
    if counts.errors > 0 {
        eprintln!(
            "warning: the tree has {} error(s); documents that failed to load are missing from this list (run `aimsdoc check`)",
            counts.errors
        );
        return Ok(EXIT_ERRORS);
    }
    Ok(EXIT_OK)
}

fn row(checked: &Checked, item: &Due) -> DueRow {
    let d = &checked.tree.documents[item.doc];
    DueRow {
        due: item.by.map(|b| b.to_string()).unwrap_or_default(),
        days_left: item.days_left(checked.assessment.today),
        action: item.action.as_str(),
        id: d.id.value.as_str().to_string(),
        title: d.title.value.clone(),
        owner: d.owner.value.clone(),
        approver: d.approval.as_ref().and_then(|a| a.by.as_ref()).map(|b| b.value.clone()).unwrap_or_default(),
        page: urls::doc_href(d.id.value.as_str()),
    }
}

/// `name` names `person` ("Jane Smith, Head of Legal"): the whole value or one of its
/// comma-separated parts, ignoring case and surrounding spaces.
fn matches_person(name: &str, person: &str) -> bool {
    let name = name.trim();
    !name.is_empty()
        && (person.trim().eq_ignore_ascii_case(name)
            || person.split(',').any(|part| part.trim().eq_ignore_ascii_case(name)))
}

fn human(rows: &[DueRow], checked: &Checked, within_days: Option<u32>) -> String {
    if rows.is_empty() {
        return match within_days {
            Some(days) => format!("Nothing is due within {days} day(s) of {}.\n", checked.assessment.today),
            None => "Nothing is due.\n".to_string(),
        };
    }
    let mut owners: Vec<&str> = rows.iter().map(|r| r.owner.as_str()).collect();
    owners.sort_unstable();
    owners.dedup();
    // Titles, owners and approvers come from the tree (a pull request's, perhaps): control and
    // bidirectional characters are shown escaped, never sent to the terminal.
    let mut out = String::new();
    for owner in owners {
        out.push_str(&format!("{}\n", visible(owner)));
        for r in rows.iter().filter(|r| r.owner == owner) {
            out.push_str(&format!(
                "  {:<10}  {:<8} {:<12} {}  ({})\n",
                r.due_or_now(),
                r.action,
                r.id,
                visible(&r.title),
                visible(&when(r))
            ));
        }
    }
    out.push_str(&format!(
        "\n{} item(s) due as of {}; every date is also in the site's reviews.ics.\n",
        rows.len(),
        checked.assessment.today
    ));
    out
}

impl DueRow {
    fn due_or_now(&self) -> &str {
        if self.due.is_empty() {
            "now"
        } else {
            &self.due
        }
    }
}

fn when(r: &DueRow) -> String {
    match r.days_left {
        None if r.approver.is_empty() => "waiting for approval".to_string(),
        None => format!("waiting for approval by {}", r.approver),
        Some(0) => "due today".to_string(),
        Some(n) if n < 0 => format!("{} day(s) overdue", -n),
        Some(n) => format!("in {n} day(s)"),
    }
}

fn csv(rows: &[DueRow]) -> anyhow::Result<String> {
    let mut table = Table::new(&["due", "days_left", "action", "id", "title", "owner", "approver", "page"])?;
    for r in rows {
        let days = r.days_left.map(|d| d.to_string()).unwrap_or_default();
        table.row([r.due.as_str(), &days, r.action, &r.id, &r.title, &r.owner, &r.approver, &r.page])?;
    }
    table.finish()
}

/// Parses `--within`: `30d`, `6w`, or a bare number of days.
pub(super) fn within_arg(s: &str) -> Result<u32, String> {
    let s = s.trim();
    let (num, unit) = s.split_at(s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len()));
    let n: u32 = num.parse().map_err(|_| format!("`{s}` is not a period such as 30d or 6w"))?;
    match unit {
        "" | "d" => Ok(n),
        "w" => n.checked_mul(7).ok_or_else(|| format!("`{s}` is too long")),
        _ => Err(format!("`{s}`: use days (30d) or weeks (6w)")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terminal_control_characters_in_tree_text_are_escaped() {
        let row = DueRow {
            due: String::new(),
            days_left: None,
            action: "approve",
            id: "POL-001".into(),
            title: "Policy\u{1b}]0;owned\u{7}".into(),
            owner: "Owner\u{1b}[2J".into(),
            approver: "Jane\u{202e}Smith".into(),
            page: String::new(),
        };
        let line = format!("{} {} {}", visible(&row.owner), visible(&row.title), visible(&when(&row)));
        assert!(!line.chars().any(|c| c.is_control() || c == '\u{202e}'), "{line:?}");
    }

    #[test]
    fn within_takes_days_and_weeks() {
        assert_eq!(within_arg("30d"), Ok(30));
        assert_eq!(within_arg("45"), Ok(45));
        assert_eq!(within_arg("6w"), Ok(42));
        assert!(within_arg("3m").is_err());
        assert!(within_arg("d").is_err());
    }

    #[test]
    fn an_owner_matches_by_whole_value_or_comma_part() {
        assert!(matches_person("head of legal", "Jane Smith, Head of Legal"));
        assert!(matches_person("Jane Smith", "Jane Smith, Head of Legal"));
        assert!(matches_person("Chief AI Officer", "Chief AI Officer"));
        assert!(!matches_person("Legal", "Jane Smith, Head of Legal"));
        assert!(!matches_person(" ", "Jane Smith"));
    }
}
