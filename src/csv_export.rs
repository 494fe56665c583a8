//! CSV tables for the exports (`register.csv`, `soa.csv`, `evidence.csv`): RFC 4180 through the
//! `csv` crate, with spreadsheet formula injection neutralised on top.
//!
//! A leaf module on purpose: it knows nothing of documents or pages, so the render stage (SoA,
//! evidence) and the site stage (register) both use it without one importing the other.
//!
//! The bytes are what the hand-written writer produced before: a field is quoted only when it
//! holds a comma, a quote, CR or LF (quotes doubled), and every line, the header's included,
//! ends in CRLF as RFC 4180 says.

use std::borrow::Cow;

use anyhow::Context as _;

/// First characters that make a spreadsheet read a cell as a formula (OWASP's list), plus their
/// full-width forms, which some spreadsheets (LibreOffice with East Asian input, Excel with
/// IME autocorrect) normalise to the ASCII ones.
const FORMULA_START: [char; 10] = ['=', '+', '-', '@', '\t', '\r', '\u{ff1d}', '\u{ff0b}', '\u{ff0d}', '\u{ff20}'];

/// `value` with `'` in front when a spreadsheet would run it as a formula; else unchanged.
pub(crate) fn neutralise(value: &str) -> Cow<'_, str> {
    if value.starts_with(FORMULA_START) {
        Cow::Owned(format!("'{value}"))
    } else {
        Cow::Borrowed(value)
    }
}

/// A CSV table being written: the header first, then one [`Table::row`] per record.
pub(crate) struct Table {
    writer: csv::Writer<Vec<u8>>,
}

impl Table {
    /// A table with the column names `columns` as its header line.
    pub(crate) fn new(columns: &[&str]) -> anyhow::Result<Table> {
        Table::sized(columns, 0)
    }

    /// [`Table::new`] with room for about `bytes` bytes: a big table (the register of 100,000
    /// documents is 28 MB) written into a buffer grown by doubling touches twice its size in
    /// fresh memory and copies itself a dozen times.
    pub(crate) fn sized(columns: &[&str], bytes: usize) -> anyhow::Result<Table> {
        let mut writer = csv::WriterBuilder::new()
            .quote_style(csv::QuoteStyle::Necessary)
            .terminator(csv::Terminator::CRLF)
            .from_writer(Vec::with_capacity(bytes));
        writer.write_record(columns).context("cannot write the CSV header")?;
        Ok(Table { writer })
    }

    /// Appends a record; each field is neutralised (see [`neutralise`]) and quoted when needed.
    /// A record with another number of fields than the header is an error.
    pub(crate) fn row<I, S>(&mut self, fields: I) -> anyhow::Result<()>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let fields: Vec<String> = fields.into_iter().map(|f| neutralise(f.as_ref()).into_owned()).collect();
        self.writer.write_record(&fields).context("cannot write a CSV record")
    }

    /// The whole table as text.
    pub(crate) fn finish(self) -> anyhow::Result<String> {
        let bytes = self.writer.into_inner().map_err(|e| e.into_error()).context("cannot finish the CSV table")?;
        // Only `&str` fields went in, so the bytes are UTF-8; checked rather than assumed.
        String::from_utf8(bytes).context("internal error: the CSV table is not UTF-8")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(fields: &[&str]) -> String {
        let mut t = Table::new(&vec!["c"; fields.len()]).expect("header");
        t.row(fields).expect("row");
        let text = t.finish().expect("finish");
        text.split_once("\r\n").expect("header line").1.to_string()
    }

    #[test]
    fn quotes_only_what_needs_quoting() {
        assert_eq!(line(&["plain", "two words", ""]), "plain,two words,\r\n");
        assert_eq!(line(&["a,b", "say \"hi\""]), "\"a,b\",\"say \"\"hi\"\"\"\r\n");
        assert_eq!(line(&["one\ntwo", "cr\rhere"]), "\"one\ntwo\",\"cr\rhere\"\r\n");
        assert_eq!(line(&["ünïcode ✓", "semi;colon"]), "ünïcode ✓,semi;colon\r\n");
    }

    #[test]
    fn formulas_are_neutralised_in_ascii_and_full_width() {
        assert_eq!(line(&["=cmd()", "a=b"]), "'=cmd(),a=b\r\n");
        for start in ["=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠"] {
            let value = format!("{start}HYPERLINK(\"x\")");
            assert_eq!(neutralise(&value), format!("'{value}"), "{start:?}");
            let field = line(&[&value, "x"]);
            // The quote that opens a quoted field comes before the neutralising `'`.
            assert!(field.starts_with("\"'") || field.starts_with('\''), "{start:?}: {field}");
        }
        assert_eq!(line(&["-1", "\t"]), "'-1,'\t\r\n");
        assert_eq!(neutralise("x-1"), "x-1");
    }

    #[test]
    fn header_and_every_line_end_in_crlf() {
        let mut t = Table::new(&["id", "title"]).expect("header");
        t.row(["POL-001", "Policy, AI"]).expect("row");
        t.row(["POL-002", ""]).expect("row");
        assert_eq!(t.finish().expect("finish"), "id,title\r\nPOL-001,\"Policy, AI\"\r\nPOL-002,\r\n");
        assert_eq!(Table::new(&["a", "b"]).expect("header").finish().expect("finish"), "a,b\r\n");
    }

    #[test]
    fn a_record_of_the_wrong_width_is_an_error() {
        let mut t = Table::new(&["a", "b"]).expect("header");
        assert!(t.row(["only one"]).is_err());
    }
}
