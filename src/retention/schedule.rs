//! Schedules: a cron expression per policy, in UTC: five fields (minute
//! hour day month weekday), six with seconds first, or `@daily` and the
//! like. Which scheduled time is due, and which comes next.

use chrono::{TimeZone, Utc};
use croner::Cron;

/// The longest expression taken; real ones are a few dozen characters.
const MAX_LEN: usize = 128;

/// A scheduled time further back than this is not run late: no replica
/// was up to run it then, and a cleanup hours late may surprise.
pub const LATE_MS: i64 = 10 * 60 * 1000;

pub fn parse(expr: &str) -> Result<Cron, String> {
    let expr = expr.trim();
    if expr.len() > MAX_LEN {
        return Err(format!("longer than {MAX_LEN} characters"));
    }
    let cron: Cron = expr
        .parse()
        .map_err(|e: croner::errors::CronError| e.to_string())?;
    // A pattern that never fires (30 February) would be a policy that
    // silently never runs.
    next(&cron, Utc::now().timestamp_millis())
        .map(|_| cron)
        .ok_or_else(|| "it never fires".to_string())
}

/// The scheduled time to run at `now_ms`: the latest at or before it, if
/// that is after `after_ms` (a policy runs no time from before it was
/// saved, or before this replica started) and not more than `LATE_MS` ago.
pub fn due(cron: &Cron, now_ms: i64, after_ms: i64) -> Option<i64> {
    let now = Utc.timestamp_millis_opt(now_ms).single()?;
    let at = cron
        .find_previous_occurrence(&now, true)
        .ok()?
        .timestamp_millis();
    (at > after_ms && now_ms - at <= LATE_MS).then_some(at)
}

/// The next scheduled time after `now_ms`.
pub fn next(cron: &Cron, now_ms: i64) -> Option<i64> {
    let now = Utc.timestamp_millis_opt(now_ms).single()?;
    cron.find_next_occurrence(&now, false)
        .ok()
        .map(|t| t.timestamp_millis())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ms(s: &str) -> i64 {
        chrono::DateTime::parse_from_rfc3339(s)
            .unwrap()
            .timestamp_millis()
    }

    #[test]
    fn five_and_six_fields_and_nicknames_parse_and_nonsense_does_not() {
        assert!(parse("0 3 * * *").is_ok());
        assert!(parse("30 0 3 * * *").is_ok());
        assert!(parse("@daily").is_ok());
        assert!(parse("0 3 * * MON-FRI").is_ok());
        for bad in [
            "",
            "every day",
            "61 * * * *",
            "0 3 30 2 *",
            &"1 ".repeat(80),
        ] {
            assert!(parse(bad).is_err(), "{bad:?} parsed");
        }
    }

    #[test]
    fn the_latest_time_is_due_once_it_passed_and_not_when_late_or_before_saving() {
        let daily = parse("0 3 * * *").unwrap();
        let three = ms("2026-11-29T03:00:00Z");
        assert_eq!(due(&daily, three, 0), Some(three), "due at the time itself");
        assert_eq!(due(&daily, three + 60_000, 0), Some(three));
        assert_eq!(due(&daily, three - 1, 0), None, "yesterday's is long past");
        assert_eq!(due(&daily, three + LATE_MS + 1, 0), None, "too late");
        assert_eq!(due(&daily, three + 60_000, three), None, "saved at 03:00");
        assert_eq!(
            next(&daily, three),
            Some(ms("2026-11-30T03:00:00Z")),
            "the next is tomorrow's"
        );
    }
}
