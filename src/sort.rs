//! Tag ordering: by name, by version (semver-aware, so v1.10.0 follows
//! v1.9.0 and 1.0.0-rc1 precedes 1.0.0) and by date.

use std::borrow::Borrow;
use std::cmp::Ordering;

use crate::model::TagRow;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TagSort {
    Name,
    Version,
    Date,
    /// Last pulled, most recent first; never-pulled last.
    Pulled,
    /// Pulls in the last 30 days, most first.
    Pulls,
}

impl TagSort {
    pub fn from_query(q: Option<&str>) -> Self {
        match q {
            Some("version") => TagSort::Version,
            Some("date") => TagSort::Date,
            Some("pulled") => TagSort::Pulled,
            Some("pulls") => TagSort::Pulls,
            _ => TagSort::Name,
        }
    }

    pub fn key(self) -> &'static str {
        match self {
            TagSort::Name => "name",
            TagSort::Version => "version",
            TagSort::Date => "date",
            TagSort::Pulled => "pulled",
            TagSort::Pulls => "pulls",
        }
    }
}

/// Sorts rows: names ascending, versions newest first, dates newest first.
/// Works on rows or on references to them (the server sorts references
/// into a cached list, and copies only the page it sends).
pub fn sort_rows<R: Borrow<TagRow>>(rows: &mut [R], by: TagSort) {
    match by {
        TagSort::Name => rows.sort_by(|a, b| a.borrow().tag.cmp(&b.borrow().tag)),
        TagSort::Version => rows.sort_by(|a, b| compare_versions(&b.borrow().tag, &a.borrow().tag)),
        TagSort::Date => rows.sort_by(|a, b| {
            let (a, b) = (a.borrow(), b.borrow());
            b.created.cmp(&a.created).then_with(|| a.tag.cmp(&b.tag))
        }),
        TagSort::Pulled => rows.sort_by(|a, b| {
            let (a, b) = (a.borrow(), b.borrow());
            b.last_pulled
                .cmp(&a.last_pulled)
                .then_with(|| a.tag.cmp(&b.tag))
        }),
        TagSort::Pulls => rows.sort_by(|a, b| {
            let (a, b) = (a.borrow(), b.borrow());
            b.pulls_30d
                .cmp(&a.pulls_30d)
                .then_with(|| a.tag.cmp(&b.tag))
        }),
    }
}

/// Compares two tags as versions: an optional `v`, then numeric runs by
/// value; a pre-release (`-rc1`) sorts before its release.
pub fn compare_versions(a: &str, b: &str) -> Ordering {
    let strip = |s: &'_ str| -> (String, Option<String>) {
        let s = s.strip_prefix(['v', 'V']).unwrap_or(s);
        match s.split_once('-') {
            Some((core, pre)) => (core.to_string(), Some(pre.to_string())),
            None => (s.to_string(), None),
        }
    };
    let (ac, ap) = strip(a);
    let (bc, bp) = strip(b);
    natural(&ac, &bc)
        .then_with(|| match (&ap, &bp) {
            (None, None) => Ordering::Equal,
            (None, Some(_)) => Ordering::Greater,
            (Some(_), None) => Ordering::Less,
            (Some(x), Some(y)) => natural(x, y),
        })
        .then_with(|| a.cmp(b))
}

/// Natural order: digit runs compare as numbers.
fn natural(a: &str, b: &str) -> Ordering {
    let (mut x, mut y) = (a.chars().peekable(), b.chars().peekable());
    loop {
        match (x.peek().copied(), y.peek().copied()) {
            (None, None) => return Ordering::Equal,
            (None, Some(_)) => return Ordering::Less,
            (Some(_), None) => return Ordering::Greater,
            (Some(c), Some(d)) if c.is_ascii_digit() && d.is_ascii_digit() => {
                let take = |it: &mut std::iter::Peekable<std::str::Chars>| {
                    let mut n = String::new();
                    while let Some(c) = it.peek().copied().filter(char::is_ascii_digit) {
                        n.push(c);
                        it.next();
                    }
                    n
                };
                let (n, m) = (take(&mut x), take(&mut y));
                let (n, m) = (n.trim_start_matches('0'), m.trim_start_matches('0'));
                let ord = n.len().cmp(&m.len()).then_with(|| n.cmp(m));
                if ord != Ordering::Equal {
                    return ord;
                }
            }
            (Some(c), Some(d)) => {
                if c != d {
                    return c.cmp(&d);
                }
                x.next();
                y.next();
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_are_semver_aware() {
        let mut tags = vec![
            "v1.9.0",
            "v1.10.0",
            "v1.2.3",
            "v1.10.0-rc1",
            "v2.0.0",
            "v1.9.1",
        ];
        tags.sort_by(|a, b| compare_versions(a, b));
        assert_eq!(
            tags,
            [
                "v1.2.3",
                "v1.9.0",
                "v1.9.1",
                "v1.10.0-rc1",
                "v1.10.0",
                "v2.0.0"
            ]
        );
    }

    #[test]
    fn numbers_compare_by_value() {
        assert_eq!(compare_versions("10", "9"), Ordering::Greater);
        // Equal as numbers: the text breaks the tie, so the order is total.
        assert_ne!(compare_versions("1.01", "1.1"), Ordering::Equal);
    }
}
