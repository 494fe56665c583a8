//! The Statement of Applicability page and `soa.csv`: all 38 Annex A controls with
//! applicability, justification, implementation status, the documents that implement each
//! (from their `controls`) and the evidence behind them.

use serde::Serialize;

use super::checklist::cap;
use super::evidence::{self, EvidenceRow};
use super::pages::RenderCx;
use super::view::{catalog_href, DocRow};
use crate::assess::soa::{status_word, ControlRow, Soa};
use crate::catalog;
use crate::content::document::Implementation;
use crate::csv_export::Table;

/// One control on the SoA page.
#[derive(Debug, Serialize)]
pub(crate) struct SoaRow<'a> {
    /// Control id.
    pub control: String,
    /// Control title.
    pub title: String,
    /// Control page, relative to the site root.
    pub href: String,
    /// Objective id, e.g. `A.6.2`.
    pub objective: String,
    /// `yes`, `no` or `not stated`.
    pub applicable: &'static str,
    /// implemented, partial, planned or empty.
    pub status: &'static str,
    /// Why included or excluded.
    pub justification: String,
    /// Documents listing the control (the first ten; all in `soa.csv`).
    pub implementers: Vec<&'a DocRow>,
    /// How many more implementing documents the control page lists.
    pub implementers_more: usize,
    /// Evidence of those documents (the first ten; all in `soa.csv`).
    pub evidence: Vec<&'a EvidenceRow>,
    /// How many more evidence files the control page lists.
    pub evidence_more: usize,
    /// Applicable but no approved, current document implements it.
    pub flagged: bool,
}

/// The SoA rows of the tree, in catalog order.
pub(crate) fn soa_rows<'a>(cx: &'a RenderCx, soa: &Soa, evidence: &'a [EvidenceRow]) -> Vec<SoaRow<'a>> {
    soa.rows
        .iter()
        .map(|r| SoaRow {
            control: r.control.id.clone(),
            title: r.control.title.clone(),
            href: catalog_href(&r.control.id),
            objective: r.control.parent.clone().unwrap_or_default(),
            applicable: r.applicable_word(),
            status: status_word(r.status()),
            justification: r.justification().to_string(),
            implementers: cx.doc_links(r.implementers.iter().copied()),
            implementers_more: 0,
            evidence: evidence::of_documents(evidence, &r.implementers),
            evidence_more: 0,
            flagged: r.flagged,
        })
        .collect()
}

/// A control from another source (not Annex A) as the SoA states it.
#[derive(Debug, Serialize)]
pub(crate) struct OtherRow {
    /// The id as written.
    pub control: String,
    /// Where the control comes from.
    pub source: String,
    /// `yes`, `no` or `not stated`.
    pub applicable: &'static str,
    /// implemented, partial, planned or empty.
    pub status: &'static str,
    /// Why included or excluded.
    pub justification: String,
}

/// The SoA's controls from other sources, in the order written.
pub(crate) fn other_rows(soa: &Soa) -> Vec<OtherRow> {
    soa.others
        .iter()
        .map(|e| OtherRow {
            control: e.control.as_ref().map(|c| c.value.clone()).unwrap_or_default(),
            source: e.source.as_ref().map(|s| s.value.clone()).unwrap_or_default(),
            applicable: match e.applicable {
                Some(true) => "yes",
                Some(false) => "no",
                None => "not stated",
            },
            status: status_word(e.status),
            justification: e.justification.clone(),
        })
        .collect()
}

#[derive(Serialize)]
struct Counts {
    stated: usize,
    applicable: usize,
    excluded: usize,
    implemented: usize,
    partial: usize,
    planned: usize,
    flagged: usize,
}

#[derive(Serialize)]
struct Group<'a> {
    id: String,
    title: String,
    href: String,
    rows: Vec<&'a SoaRow<'a>>,
}

/// The SoA page.
pub(crate) fn page(cx: &RenderCx) -> anyhow::Result<String> {
    let soa = &cx.assessment.soa;
    let evidence = cx.evidence_rows();
    let mut rows = soa_rows(cx, soa, evidence);
    for r in &mut rows {
        (r.implementers, r.implementers_more) = cap(std::mem::take(&mut r.implementers));
        (r.evidence, r.evidence_more) = cap(std::mem::take(&mut r.evidence));
    }
    let count = |f: &dyn Fn(&ControlRow) -> bool| soa.rows.iter().filter(|r| f(r)).count();
    let applicable_with = |status| count(&|r| r.applicable() == Some(true) && r.status() == Some(status));
    let counts = Counts {
        stated: count(&|r| r.applicable().is_some()),
        applicable: count(&|r| r.applicable() == Some(true)),
        excluded: count(&|r| r.applicable() == Some(false)),
        implemented: applicable_with(Implementation::Implemented),
        partial: applicable_with(Implementation::Partial),
        planned: applicable_with(Implementation::Planned),
        flagged: count(&|r| r.flagged),
    };
    let groups: Vec<Group> = catalog::iso42001()
        .entries
        .iter()
        .filter(|e| e.kind == catalog::Kind::AnnexObjective)
        .map(|o| Group {
            id: o.id.clone(),
            title: o.title.clone(),
            href: catalog_href(&o.id),
            rows: rows.iter().filter(|r| r.objective == o.id).collect(),
        })
        .filter(|g| !g.rows.is_empty())
        .collect();
    let mut c = cx.base(0, "Statement of Applicability", super::section::Section::Soa);
    c.insert("soa_doc", &soa.document.map(|i| &cx.rows[i]));
    c.insert("soa_type", &cx.config.soa.document_type);
    c.insert("counts", &counts);
    c.insert("total", &rows.len());
    c.insert("groups", &groups);
    c.insert("others", &other_rows(soa));
    cx.render("soa.html", c)
}

/// The `source` of an Annex A row in `soa.csv`.
const ANNEX_A: &str = "ISO/IEC 42001:2023 Annex A";

/// `soa.csv`: one line per Annex A control, then one per control from another source.
pub(crate) fn csv(cx: &RenderCx) -> anyhow::Result<String> {
    let evidence = cx.evidence_rows();
    let mut table = Table::new(&[
        "control",
        "title",
        "applicable",
        "status",
        "justification",
        "implemented_by",
        "evidence",
        "no_current_document",
        "source",
    ])?;
    for r in soa_rows(cx, &cx.assessment.soa, evidence) {
        table.row(annex_a_line(r))?;
    }
    for r in other_rows(&cx.assessment.soa) {
        table.row(other_line(r))?;
    }
    table.finish()
}

/// The `soa.csv` line of an Annex A control: its implementers and evidence by id and path.
fn annex_a_line(r: SoaRow) -> [String; 9] {
    let implementers: Vec<&str> = r.implementers.iter().map(|d| d.id.as_str()).collect();
    let files: Vec<&str> = r.evidence.iter().map(|e| e.path.as_str()).collect();
    [
        r.control,
        r.title,
        r.applicable.to_string(),
        r.status.to_string(),
        r.justification,
        implementers.join(" "),
        files.join(" "),
        if r.flagged { "yes" } else { "" }.to_string(),
        ANNEX_A.to_string(),
    ]
}

/// The `soa.csv` line of a control from another source: no title, implementers or evidence.
fn other_line(r: OtherRow) -> [String; 9] {
    [
        r.control,
        String::new(),
        r.applicable.to_string(),
        r.status.to_string(),
        r.justification,
        String::new(),
        String::new(),
        String::new(),
        r.source,
    ]
}
