//! Geometry of the small inline SVG charts on the dashboard. Rust computes the numbers; the
//! template draws them with SVG presentation attributes and CSS classes (no script, no inline
//! styles, so a `default-src 'self'` content security policy holds), and autoescapes labels.

use serde::Serialize;

const LABEL_WIDTH: u32 = 120;
const BAR_AREA: u32 = 190;
const ROW: u32 = 22;
const BAR_HEIGHT: u32 = 14;
const STACK_WIDTH: u32 = 320;
const STACK_HEIGHT: u32 = 22;

/// One category of a chart: label, value, where it leads and its CSS class.
#[derive(Debug, Clone)]
pub(crate) struct Part {
    /// Label.
    pub label: String,
    /// Count.
    pub value: usize,
    /// Link target relative to the site root (or `#anchor`).
    pub href: String,
    /// CSS class of the mark.
    pub class: String,
}

impl Part {
    /// A part.
    pub(crate) fn new(
        label: impl Into<String>,
        value: usize,
        href: impl Into<String>,
        class: impl Into<String>,
    ) -> Part {
        Part { label: label.into(), value, href: href.into(), class: class.into() }
    }
}

/// One bar of a bar chart, or one segment of a stacked bar, laid out.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Mark {
    /// Label.
    pub label: String,
    /// Count.
    pub value: usize,
    /// Link target.
    pub href: String,
    /// CSS class.
    pub class: String,
    /// Left edge.
    pub x: u32,
    /// Top edge.
    pub y: u32,
    /// Width (0 for an empty category, drawn as nothing).
    pub width: u32,
    /// Baseline of the row's text.
    pub text_y: u32,
    /// Where the value is written.
    pub value_x: u32,
}

/// A chart: horizontal bars (one row per part) or one stacked bar.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Chart {
    /// Element id (also used for `aria-labelledby`).
    pub id: String,
    /// Heading.
    pub title: String,
    /// One-line reading of the chart, e.g. `21 of 21 met`.
    pub summary: String,
    /// The page behind the chart.
    pub href: String,
    /// `bars` or `stack`.
    pub kind: &'static str,
    /// SVG width.
    pub width: u32,
    /// SVG height.
    pub height: u32,
    /// Sum of the values.
    pub total: usize,
    /// The marks.
    pub marks: Vec<Mark>,
}

/// Horizontal bars, one row per part, scaled to the largest value.
pub(crate) fn bars(id: &str, title: &str, summary: String, href: &str, parts: Vec<Part>) -> Chart {
    let max = parts.iter().map(|p| p.value).max().unwrap_or(0).max(1);
    let marks: Vec<Mark> = parts
        .into_iter()
        .enumerate()
        .map(|(n, p)| {
            let y = n as u32 * ROW + (ROW - BAR_HEIGHT) / 2;
            let width = scaled(p.value, max, BAR_AREA);
            Mark {
                x: LABEL_WIDTH,
                y,
                width,
                text_y: y + BAR_HEIGHT - 3,
                value_x: LABEL_WIDTH + width + 6,
                label: p.label,
                value: p.value,
                href: p.href,
                class: p.class,
            }
        })
        .collect();
    Chart {
        id: id.into(),
        title: title.into(),
        summary,
        href: href.into(),
        kind: "bars",
        width: LABEL_WIDTH + BAR_AREA + 40,
        height: (marks.len() as u32).max(1) * ROW,
        total: marks.iter().map(|m| m.value).sum(),
        marks,
    }
}

/// One bar split into segments proportional to the parts (a legend lists them all).
pub(crate) fn stack(id: &str, title: &str, summary: String, href: &str, parts: Vec<Part>) -> Chart {
    let total: usize = parts.iter().map(|p| p.value).sum();
    let mut x = 0;
    let mut seen = 0;
    let marks = parts
        .into_iter()
        .map(|p| {
            seen += p.value;
            // Place each edge at its cumulative share so rounding never leaves a gap at the end.
            let right = scaled(seen, total.max(1), STACK_WIDTH);
            let mark = Mark {
                x,
                y: 0,
                width: right - x,
                text_y: STACK_HEIGHT - 6,
                value_x: x,
                label: p.label,
                value: p.value,
                href: p.href,
                class: p.class,
            };
            x = right;
            mark
        })
        .collect();
    Chart {
        id: id.into(),
        title: title.into(),
        summary,
        href: href.into(),
        kind: "stack",
        width: STACK_WIDTH,
        height: STACK_HEIGHT,
        total,
        marks,
    }
}

fn scaled(value: usize, max: usize, span: u32) -> u32 {
    ((value as u64 * span as u64 + max as u64 / 2) / max as u64) as u32
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bars_scale_to_the_largest_value() {
        let c = bars("c", "t", String::new(), "x.html", vec![Part::new("a", 10, "", ""), Part::new("b", 5, "", "")]);
        assert_eq!(c.marks[0].width, BAR_AREA);
        assert_eq!(c.marks[1].width, BAR_AREA / 2);
        assert_eq!(c.marks[1].y, ROW + (ROW - BAR_HEIGHT) / 2);
        assert_eq!(c.total, 15);
    }

    #[test]
    fn stack_segments_fill_the_bar_exactly() {
        let parts = vec![Part::new("a", 1, "", ""), Part::new("b", 0, "", ""), Part::new("c", 2, "", "")];
        let c = stack("s", "t", String::new(), "x.html", parts);
        assert_eq!(c.marks.iter().map(|m| m.width).sum::<u32>(), STACK_WIDTH);
        assert_eq!(c.marks[1].width, 0);
        let empty = stack("s", "t", String::new(), "x.html", vec![Part::new("a", 0, "", "")]);
        assert_eq!(empty.marks[0].width, 0);
    }
}
