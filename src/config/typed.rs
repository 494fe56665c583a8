//! Typed values of `aimsdoc.toml`, parsed once when the file is read: a bad value is a
//! configuration error (exit 2) naming the key, with the TOML line and column, and nothing later
//! parses the text again.

use std::collections::BTreeMap;

use serde::{Deserialize, Deserializer, Serialize};

use crate::content::types::{Period, Retention};

/// `""` (the documented way to say "none") as `None`.
pub(super) fn non_empty<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    let s = String::deserialize(d)?;
    Ok((!s.is_empty()).then_some(s))
}

/// `accent = "#rrggbb"` (or `""` for none) as RGB.
pub(super) fn accent<'de, D: Deserializer<'de>>(d: D) -> Result<Option<[u8; 3]>, D::Error> {
    let s = String::deserialize(d)?;
    if s.is_empty() {
        return Ok(None);
    }
    super::parse_hex_colour(&s).map(Some).ok_or_else(|| {
        serde::de::Error::custom(format!(
            "[site] accent = {s:?} is not a colour of the form #rrggbb (write six hex digits after `#`, e.g. accent = \"#1f5fae\")"
        ))
    })
}

/// `max_review_interval = "18m"` as a period of months.
pub(super) fn period<'de, D: Deserializer<'de>>(d: D) -> Result<Period, D::Error> {
    let s = String::deserialize(d)?;
    match Retention::parse(&s) {
        Some(Retention::For(p)) => Ok(p),
        _ => Err(serde::de::Error::custom(format!(
            "[review] max_review_interval = {s:?} is not a period (write a number of months or years, e.g. \"18m\" or \"1y\")"
        ))),
    }
}

/// `[retention] minimum = { record = "3y" }` as a period per document type.
pub(super) fn periods<'de, D: Deserializer<'de>>(d: D) -> Result<BTreeMap<String, Period>, D::Error> {
    let raw = BTreeMap::<String, String>::deserialize(d)?;
    raw.into_iter()
        .map(|(ty, s)| match Retention::parse(&s) {
            Some(Retention::For(p)) => Ok((ty, p)),
            _ => Err(serde::de::Error::custom(format!(
                "[retention] minimum for `{ty}` = {s:?} is not a period (write a number of months or years, e.g. \"3y\")"
            ))),
        })
        .collect()
}

/// How a segregation-of-duties finding (approver owns the document or authored the version) is
/// reported.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Segregation {
    /// Not checked.
    Off,
    /// A warning (an error under `--strict`).
    #[default]
    Warning,
    /// Always an error.
    Error,
}

/// `segregation_of_duties = "off" | "warning" | "error"`, or the older `true` (warning) /
/// `false` (off).
pub(super) fn segregation<'de, D: Deserializer<'de>>(d: D) -> Result<Segregation, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Raw {
        Flag(bool),
        Word(String),
    }
    let bad = |what: String| {
        serde::de::Error::custom(format!(
            "[review] segregation_of_duties = {what} is not \"off\", \"warning\" or \"error\" (true and false still mean \"warning\" and \"off\")"
        ))
    };
    match Raw::deserialize(d).map_err(|_| bad("this value".into()))? {
        Raw::Flag(true) => Ok(Segregation::Warning),
        Raw::Flag(false) => Ok(Segregation::Off),
        Raw::Word(w) => match w.as_str() {
            "off" => Ok(Segregation::Off),
            "warning" => Ok(Segregation::Warning),
            "error" => Ok(Segregation::Error),
            _ => Err(bad(format!("{w:?}"))),
        },
    }
}
