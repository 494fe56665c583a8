//! The parts of a document page about what is not (or no longer) for use: the `obsolete`
//! record of a superseded or withdrawn document (when, by whom, why), and whether the page
//! withholds the change summaries and evidence of a document above `publish_up_to`.

use serde::Serialize;
use tera::Context;

use super::pages::RenderCx;
use crate::content::types::Status;

/// The out-of-force record as a page shows it.
#[derive(Serialize)]
pub(crate) struct ObsoleteView {
    /// When it went out of force (empty when not written).
    pub date: String,
    /// Who decided it.
    pub by: String,
    /// Why.
    pub reason: String,
}

/// The `obsolete` record of document `i`, shown only where the status agrees: an approved
/// page never says "out of force".
pub(crate) fn view(cx: &RenderCx, i: usize) -> Option<ObsoleteView> {
    let d = &cx.tree.documents[i];
    let retired = matches!(d.status(), Status::Superseded | Status::Withdrawn);
    d.obsolete.as_ref().filter(|_| retired).map(|o| ObsoleteView {
        date: o.date.as_ref().map(|x| x.value.to_string()).unwrap_or_default(),
        by: o.by.as_ref().map(|x| x.value.clone()).unwrap_or_default(),
        reason: o.reason.as_ref().map(|x| x.value.clone()).unwrap_or_default(),
    })
}

/// Adds `obsolete` (the record, or nothing) and `withheld` (the text, change summaries and
/// attachments of the document are not published) to the page of document `i`.
pub(crate) fn extend(cx: &RenderCx, i: usize, c: &mut Context) {
    c.insert("obsolete", &view(cx, i));
    c.insert("withheld", &!cx.graph.published[i]);
}
