//! Display formatting shared by server and browser, so hydration sees the
//! same text: sizes, absolute dates and "3 days ago".

/// A count with thousands separators: 12,345.
pub fn count(n: usize) -> String {
    count_signed(n as i64)
}

/// `count` for any whole number: -1,234.
pub fn count_signed(n: i64) -> String {
    let sign = if n < 0 { "-" } else { "" };
    let digits = n.unsigned_abs().to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    format!("{sign}{out}")
}

pub fn size(bytes: u64) -> String {
    const UNITS: [&str; 5] = ["B", "KB", "MB", "GB", "TB"];
    let mut v = bytes as f64;
    let mut unit = 0;
    while v >= 1000.0 && unit < UNITS.len() - 1 {
        v /= 1000.0;
        unit += 1;
    }
    if unit == 0 {
        format!("{bytes} B")
    } else {
        format!("{v:.1} {}", UNITS[unit])
    }
}

/// `YYYY-MM-DD HH:MM UTC` from Unix seconds (no time zone database needed).
pub fn date(ts: i64) -> String {
    let days = ts.div_euclid(86_400);
    let secs = ts.rem_euclid(86_400);
    let (y, m, d) = civil_from_days(days);
    format!(
        "{y:04}-{m:02}-{d:02} {:02}:{:02} UTC",
        secs / 3600,
        (secs % 3600) / 60
    )
}

/// `YYYY-MM-DD HH:MM:SS UTC` from Unix milliseconds, for records where
/// the second matters (the audit log).
pub fn instant(ms: i64) -> String {
    let secs = ms.div_euclid(1000);
    let (y, m, d) = civil_from_days(secs.div_euclid(86_400));
    let s = secs.rem_euclid(86_400);
    format!(
        "{y:04}-{m:02}-{d:02} {:02}:{:02}:{:02} UTC",
        s / 3600,
        (s % 3600) / 60,
        s % 60
    )
}

/// At most `max` characters of `s`, with "…" when cut: for quoting input
/// back in a message.
pub fn cut(s: &str, max: usize) -> String {
    match s.char_indices().nth(max) {
        Some((i, _)) => format!("{}…", &s[..i]),
        None => s.to_string(),
    }
}

/// (year, month, day) of a day number counted from 1970-01-01.
pub fn civil(days: i64) -> (i64, u32, u32) {
    civil_from_days(days)
}

// Howard Hinnant's days-to-civil algorithm.
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

pub fn relative(now: i64, ts: i64) -> String {
    let delta = now - ts;
    if delta < 0 {
        return "in the future".into();
    }
    let (n, unit) = match delta {
        0..=59 => return "just now".into(),
        60..=3599 => (delta / 60, "minute"),
        3600..=86_399 => (delta / 3600, "hour"),
        86_400..=2_591_999 => (delta / 86_400, "day"),
        2_592_000..=31_535_999 => (delta / 2_592_000, "month"),
        _ => (delta / 31_536_000, "year"),
    };
    format!("{n} {unit}{} ago", if n == 1 { "" } else { "s" })
}

pub fn short_digest(digest: &str) -> String {
    short_digest_str(digest).to_string()
}

/// `short_digest` as a slice of `digest`, for writers that copy it out.
pub fn short_digest_str(digest: &str) -> &str {
    let hex = digest.split_once(':').map(|(_, h)| h).unwrap_or(digest);
    // Twelve characters (a hostile digest need not be ASCII).
    match hex.char_indices().nth(12) {
        Some((cut, _)) => &hex[..cut],
        None => hex,
    }
}

/// Names up to this long never need a break point: it is wider than any
/// column shows a name in at 1,024 px.
pub const BREAK_AFTER_CHARS: usize = 24;

/// A long name cut after each `/`, `-`, `.`, `_`, `:` and `@`, where it may
/// wrap (`<wbr>` goes between the parts); a short name is one part. Tags
/// that CI systems and cosign write run to 70 characters and more.
pub fn name_parts(s: &str) -> Vec<&str> {
    if s.chars().count() <= BREAK_AFTER_CHARS {
        return vec![s];
    }
    let mut parts = Vec::new();
    let mut start = 0;
    for (i, c) in s.char_indices() {
        if matches!(c, '/' | '-' | '.' | '_' | ':' | '@') {
            let end = i + c.len_utf8();
            parts.push(&s[start..end]);
            start = end;
        }
    }
    if start < s.len() {
        parts.push(&s[start..]);
    }
    parts
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_names_break_after_separators_and_short_ones_do_not() {
        assert_eq!(name_parts("library/alpine"), vec!["library/alpine"]);
        let long = "e2e/real-data/payments-reconciliation.v2";
        assert_eq!(
            name_parts(long),
            vec![
                "e2e/",
                "real-",
                "data/",
                "payments-",
                "reconciliation.",
                "v2"
            ]
        );
        assert_eq!(name_parts(long).concat(), long);
        // A name with no separator stays whole (CSS breaks it if it must).
        let hex = "f".repeat(64);
        assert_eq!(name_parts(&hex), vec![hex.as_str()]);
        // A trailing separator leaves no empty part.
        assert_eq!(
            name_parts("aaaaaaaaaaaaaaaaaaaaaaaaaaaa-"),
            vec!["aaaaaaaaaaaaaaaaaaaaaaaaaaaa-"]
        );
    }

    #[test]
    fn instants_and_cuts() {
        assert_eq!(
            instant(1_764_288_000_000 + 3_723_500),
            "2025-11-28 01:02:03 UTC"
        );
        assert_eq!(cut("abcdef", 3), "abc…");
        assert_eq!(cut("ab", 3), "ab");
        assert_eq!(cut("ééé", 2), "éé…");
    }

    #[test]
    fn counts_have_thousands_separators() {
        assert_eq!(count(0), "0");
        assert_eq!(count(999), "999");
        assert_eq!(count(1_000), "1,000");
        assert_eq!(count(12_345_678), "12,345,678");
    }

    #[test]
    fn short_digest_is_twelve_hex() {
        assert_eq!(short_digest("sha256:0123456789abcdef"), "0123456789ab");
        assert_eq!(short_digest("abc"), "abc");
        assert_eq!(short_digest_str("sha256:ééééééééééééé"), "éééééééééééé");
    }

    #[test]
    fn sizes() {
        assert_eq!(size(512), "512 B");
        assert_eq!(size(1_500), "1.5 KB");
        assert_eq!(size(27_800_000), "27.8 MB");
    }

    #[test]
    fn dates() {
        assert_eq!(date(0), "1970-01-01 00:00 UTC");
        assert_eq!(date(1_700_000_000), "2023-11-14 22:13 UTC");
        assert_eq!(relative(1000, 1000 - 3 * 86_400), "3 days ago");
        assert_eq!(relative(1000, 1000 - 3600), "1 hour ago");
        assert_eq!(relative(1000, 990), "just now");
    }
}
