//! The clock: the one place that decides what "today" and "now" are. Reviews are judged against
//! [`today`]; reproducible outputs (the audit pack's zip times) use [`source_date_epoch`], so the
//! same input builds the same bytes unless `SOURCE_DATE_EPOCH` says otherwise.

use anyhow::Context as _;

use crate::content::types::{parse_date, Date};

/// The date reviews are judged against: `AIMSDOC_TODAY` (YYYY-MM-DD), else the date of
/// `SOURCE_DATE_EPOCH`, else the system clock's date (UTC).
pub(crate) fn today() -> anyhow::Result<Date> {
    if let Ok(s) = std::env::var("AIMSDOC_TODAY") {
        return parse_date(&s).with_context(|| format!("AIMSDOC_TODAY={s:?} is not a YYYY-MM-DD date"));
    }
    let now = source_date_epoch()?.unwrap_or_else(jiff::Timestamp::now);
    Ok(now.to_zoned(jiff::tz::TimeZone::UTC).date())
}

/// The instant `SOURCE_DATE_EPOCH` names, when it is set (reproducible-builds.org).
pub(crate) fn source_date_epoch() -> anyhow::Result<Option<jiff::Timestamp>> {
    let Ok(s) = std::env::var("SOURCE_DATE_EPOCH") else {
        return Ok(None);
    };
    let secs: i64 = s.trim().parse().with_context(|| format!("SOURCE_DATE_EPOCH={s:?} is not a number of seconds"))?;
    jiff::Timestamp::from_second(secs).map(Some).context("SOURCE_DATE_EPOCH is out of range")
}
