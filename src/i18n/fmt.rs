//! Dates, relative times, counts and sizes in a locale. There is one `Fmt`
//! per language for the whole process: its date pattern is cut once, and
//! relative times ("3 days ago", "3 天前") are remembered, so neither a
//! 2,000-row table nor a busy 12-row page runs message lookups per row.

use std::collections::HashMap;
use std::sync::{LazyLock, Mutex};

use super::{text_in, Locale};
use crate::format::civil;

pub struct Fmt {
    locale: Locale,
    /// The date message cut at its holes, filled per row.
    date: Vec<Piece>,
    instant: Vec<Piece>,
    ago: Mutex<HashMap<(u8, i64), String>>,
}

/// Relative times remembered per language.
const MEMO_MAX: usize = 512;

const UNITS: [(&str, i64); 5] = [
    ("time-minutes-ago", 60),
    ("time-hours-ago", 3_600),
    ("time-days-ago", 86_400),
    ("time-months-ago", 2_592_000),
    ("time-years-ago", 31_536_000),
];

impl Fmt {
    pub fn new(locale: Locale) -> Self {
        let holes = |key| {
            text_in(
                locale,
                key,
                &[
                    ("year", "{year}".into()),
                    ("month", "{month}".into()),
                    ("month2", "{month2}".into()),
                    ("day", "{day}".into()),
                    ("day2", "{day2}".into()),
                    ("time", "{time}".into()),
                ],
            )
        };
        Fmt {
            locale,
            date: pieces(&holes("format-date")),
            instant: pieces(&holes("format-instant")),
            ago: Mutex::new(HashMap::new()),
        }
    }

    /// The shared one for the current request's locale.
    pub fn current() -> &'static Fmt {
        Fmt::of(super::locale())
    }

    /// The shared one for `locale`.
    pub fn of(locale: Locale) -> &'static Fmt {
        static ALL: LazyLock<[Fmt; 2]> =
            LazyLock::new(|| [Fmt::new(Locale::En), Fmt::new(Locale::ZhCn)]);
        &ALL[locale as usize]
    }

    pub fn locale(&self) -> Locale {
        self.locale
    }

    /// A date to the minute, from Unix seconds (UTC).
    pub fn date(&self, ts: i64) -> String {
        let secs = ts.rem_euclid(86_400);
        let mut time = [0u8; 5];
        two_digits(&mut time[0..2], secs / 3600);
        time[2] = b':';
        two_digits(&mut time[3..5], (secs % 3600) / 60);
        // Only ASCII digits and ':' were written.
        let time = std::str::from_utf8(&time).unwrap_or_default();
        fill(&self.date, civil(ts.div_euclid(86_400)), time)
    }

    /// A date to the second, from Unix milliseconds (UTC).
    pub fn instant(&self, ms: i64) -> String {
        let secs = ms.div_euclid(1000);
        let s = secs.rem_euclid(86_400);
        let time = format!("{:02}:{:02}:{:02}", s / 3600, (s % 3600) / 60, s % 60);
        fill(&self.instant, civil(secs.div_euclid(86_400)), &time)
    }

    /// How long before `now` `ts` was: "just now", "3 days ago".
    pub fn relative(&self, now: i64, ts: i64) -> String {
        let delta = now - ts;
        if delta < 0 {
            return text_in(self.locale, "time-future", &[]);
        }
        if delta < 60 {
            return text_in(self.locale, "time-just-now", &[]);
        }
        // The largest unit that fits; months are 30 days, years 365.
        let unit = UNITS
            .iter()
            .rposition(|(_, secs)| delta >= *secs)
            .unwrap_or(0);
        let (key, secs) = UNITS[unit];
        let n = delta / secs;
        let mut memo = self.ago.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(hit) = memo.get(&(unit as u8, n)) {
            return hit.clone();
        }
        let text = text_in(self.locale, key, &[("n", n.into())]);
        // Bounded: below a year there are about 130 distinct answers; the
        // years past the bound are simply looked up each time.
        if memo.len() < MEMO_MAX {
            memo.insert((unit as u8, n), text.clone());
        }
        text
    }

    /// A count with the locale's thousands separator.
    pub fn count(&self, n: usize) -> String {
        // English and Chinese both group by three with ",".
        crate::format::count(n)
    }

    /// A size in decimal units (KB = 1,000 bytes, as registries report).
    pub fn size(&self, bytes: u64) -> String {
        // English and Chinese both write "27.8 MB".
        crate::format::size(bytes)
    }
}

/// A part of a date pattern: text, or a hole for one part of the date.
enum Piece {
    Text(String),
    Year,
    Month,
    Month2,
    Day,
    Day2,
    Time,
}

const HOLES: [&str; 6] = ["{year}", "{month2}", "{month}", "{day2}", "{day}", "{time}"];

/// Cuts "{year}年{month}月…" into text and holes, once per page.
fn pieces(mut pattern: &str) -> Vec<Piece> {
    let mut out = Vec::new();
    while !pattern.is_empty() {
        let next = HOLES
            .iter()
            .filter_map(|hole| pattern.find(hole).map(|at| (at, *hole)))
            .min_by_key(|(at, _)| *at);
        let Some((at, hole)) = next else {
            out.push(Piece::Text(pattern.to_string()));
            break;
        };
        if at > 0 {
            out.push(Piece::Text(pattern[..at].to_string()));
        }
        let piece = match hole {
            "{year}" => Piece::Year,
            "{month2}" => Piece::Month2,
            "{month}" => Piece::Month,
            "{day2}" => Piece::Day2,
            "{day}" => Piece::Day,
            _ => Piece::Time,
        };
        out.push(piece);
        pattern = &pattern[at + hole.len()..];
    }
    out
}

/// `n` (0..=99) as two ASCII digits.
fn two_digits(out: &mut [u8], n: i64) {
    out[0] = b'0' + (n / 10 % 10) as u8;
    out[1] = b'0' + (n % 10) as u8;
}

/// Fills a cut pattern. Digits are pushed by hand: a 2,000-row table
/// formats 2,000 dates, and `write!` costs several times more.
fn fill(pattern: &[Piece], (y, m, d): (i64, u32, u32), time: &str) -> String {
    let mut out = String::with_capacity(32);
    let mut digits = [0u8; 2];
    let mut push2 = |out: &mut String, n: i64, pad: bool| {
        two_digits(&mut digits, n);
        if pad || n >= 10 {
            out.push(digits[0] as char);
        }
        out.push(digits[1] as char);
    };
    for piece in pattern {
        match piece {
            Piece::Text(t) => out.push_str(t),
            Piece::Year if (0..10_000).contains(&y) => {
                push2(&mut out, y / 100, true);
                push2(&mut out, y % 100, true);
            }
            Piece::Year => out.push_str(&y.to_string()),
            Piece::Month => push2(&mut out, m.into(), false),
            Piece::Month2 => push2(&mut out, m.into(), true),
            Piece::Day => push2(&mut out, d.into(), false),
            Piece::Day2 => push2(&mut out, d.into(), true),
            Piece::Time => out.push_str(time),
        }
    }
    out
}

#[cfg(all(test, feature = "ssr"))]
mod tests {
    use super::*;

    #[test]
    fn dates_and_relative_times_in_both_languages() {
        let en = Fmt::new(Locale::En);
        let zh = Fmt::new(Locale::ZhCn);
        assert_eq!(en.date(0), "1970-01-01 00:00 UTC");
        assert_eq!(en.date(1_700_000_000), "2023-11-14 22:13 UTC");
        assert_eq!(zh.date(1_700_000_000), "2023年11月14日 22:13 UTC");
        assert_eq!(zh.date(1_704_500_000), "2024年1月6日 00:13 UTC");
        assert_eq!(
            en.instant(1_764_288_000_000 + 3_723_500),
            "2025-11-28 01:02:03 UTC"
        );
        assert_eq!(
            zh.instant(1_764_288_000_000 + 3_723_500),
            "2025年11月28日 01:02:03 UTC"
        );
        assert_eq!(en.relative(1000, 1000 - 3 * 86_400), "3 days ago");
        assert_eq!(en.relative(1000, 1000 - 3600), "1 hour ago");
        assert_eq!(en.relative(1000, 990), "just now");
        assert_eq!(zh.relative(1000, 1000 - 3 * 86_400), "3 天前");
        assert_eq!(zh.relative(1000, 1000 - 3600), "1 小时前");
        assert_eq!(zh.relative(1000, 990), "刚刚");
        // Remembered answers are the same answers.
        assert_eq!(zh.relative(5000, 5000 - 3 * 86_400), "3 天前");
        assert_eq!(en.relative(0, 100), "in the future");
    }
}
