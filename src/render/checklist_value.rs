//! A clause page's checklist items as one template value, each listed document's register row
//! the build's shared row value (see `RenderCx::row_values`) instead of its `DocRow` converted
//! again: a clause page lists every document meeting or offered for its items, thousands of
//! them in a large tree, and converting each 28-field row was most of what those pages cost.
//! The value is exactly what converting the items would give (tested).

use serde::Serialize;

use super::checklist::{EvidenceView, ItemView, ShortView};
use super::pages::RenderCx;

/// An evidence entry without its row.
#[derive(Serialize)]
struct EvidenceRest<'a> {
    date: &'a str,
    age: &'a str,
    age_months: Option<i64>,
}

/// A shortfall entry without its row.
#[derive(Serialize)]
struct ShortRest {
    why: &'static str,
    pending: bool,
}

/// `items` as the template value `checklist`.
pub(crate) fn items_value(cx: &RenderCx, items: Vec<ItemView>) -> tera::Value {
    tera::Value::from(items.into_iter().map(|item| item_value(cx, item)).collect::<Vec<_>>())
}

fn item_value(cx: &RenderCx, mut item: ItemView) -> tera::Value {
    let evidence = std::mem::take(&mut item.evidence);
    let short = std::mem::take(&mut item.short);
    let evidence: Vec<_> = evidence.iter().map(|e| evidence_value(cx, e)).collect();
    let short: Vec<_> = short.iter().map(|s| short_value(cx, s)).collect();
    with_fields(&item, [("evidence", tera::Value::from(evidence)), ("short", tera::Value::from(short))])
}

fn evidence_value(cx: &RenderCx, e: &EvidenceView) -> tera::Value {
    let rest = EvidenceRest { date: &e.date, age: &e.age, age_months: e.age_months };
    with_fields(&rest, [("doc", cx.row_values()[e.index].clone())])
}

fn short_value(cx: &RenderCx, s: &ShortView) -> tera::Value {
    with_fields(&ShortRest { why: s.why, pending: s.pending }, [("doc", cx.row_values()[s.index].clone())])
}

/// `value` converted, with `fields` added (or replacing fields of the same name).
fn with_fields<const N: usize>(value: &impl Serialize, fields: [(&'static str, tera::Value); N]) -> tera::Value {
    let mut map = tera::Value::from_serializable(value).into_map().unwrap_or_default();
    for (key, field) in fields {
        map.insert(tera::value::Key::Str(key), field);
    }
    tera::Value::from(map)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::checklist::items_of;

    #[test]
    fn the_value_is_the_items_converted() {
        let (checked, theme) = crate::site::checked_for_tests("content-example", "2026-06-01");
        let cx = checked.render_cx(&theme, String::new());
        let mut listed = 0;
        for clause in ["4.3", "5.2", "6.1.2", "6.2", "7.5.2", "8.2", "9.1", "9.2.2", "9.3.3", "10.2"] {
            let expected = tera::Value::from_serializable(&items_of(&cx, clause));
            let items = items_of(&cx, clause);
            listed += items.iter().map(|i| i.evidence.len() + i.short.len()).sum::<usize>();
            assert_eq!(items_value(&cx, items), expected, "clause {clause}");
        }
        assert!(listed > 5, "the example lists documents on its clause pages ({listed})");
    }
}
