//! Where the bytes are: the size under each directory of one directory,
//! counting regular files only (a hardlink shares its target's bytes, a
//! whiteout has none).

use std::collections::HashMap;

use super::listing::Kind;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DirTotal {
    /// The child directory's path; `dir` itself stands for the files lying
    /// directly in it.
    pub path: String,
    pub bytes: u64,
    pub files: u64,
    /// It holds directories of its own.
    pub has_dirs: bool,
}

/// The totals under each directory directly in `dir` ("" is the root),
/// largest first, plus one for the files directly in `dir` (named `dir`).
/// Paths are written without a leading `/`.
pub fn by_directory<'a>(
    items: impl IntoIterator<Item = (&'a str, Kind, u64)>,
    dir: &str,
) -> Vec<DirTotal> {
    let mut totals: HashMap<String, DirTotal> = HashMap::new();
    let prefix = if dir.is_empty() {
        String::new()
    } else {
        format!("{dir}/")
    };
    for (path, kind, size) in items {
        let Some(rest) = path.strip_prefix(prefix.as_str()) else {
            continue;
        };
        if rest.is_empty() {
            continue;
        }
        let (key, deeper) = match rest.split_once('/') {
            Some((child, deeper)) => (format!("{prefix}{child}"), Some(deeper)),
            None if kind == Kind::Dir => (format!("{prefix}{rest}"), None),
            None => (dir.to_string(), None),
        };
        let t = totals.entry(key.clone()).or_insert_with(|| DirTotal {
            path: key,
            bytes: 0,
            files: 0,
            has_dirs: false,
        });
        if kind == Kind::File {
            t.bytes = t.bytes.saturating_add(size);
            t.files += 1;
        }
        if deeper.is_some_and(|d| d.contains('/')) || (deeper.is_some() && kind == Kind::Dir) {
            t.has_dirs = true;
        }
    }
    let mut out: Vec<DirTotal> = totals.into_values().collect();
    out.sort_by(|a, b| b.bytes.cmp(&a.bytes).then_with(|| a.path.cmp(&b.path)));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use Kind::*;

    #[test]
    fn totals_per_child_directory() {
        let items = [
            ("usr", Dir, 0),
            ("usr/bin", Dir, 0),
            ("usr/bin/a", File, 100),
            ("usr/lib/b", File, 50),
            ("usr/lib/hl", Hardlink, 50),
            ("etc/os-release", File, 10),
            ("README", File, 5),
            ("empty", Dir, 0),
        ];
        let root = by_directory(items.iter().map(|(p, k, s)| (*p, *k, *s)), "");
        let got: Vec<(&str, u64, u64, bool)> = root
            .iter()
            .map(|t| (t.path.as_str(), t.bytes, t.files, t.has_dirs))
            .collect();
        assert_eq!(
            got,
            vec![
                ("usr", 150, 2, true),
                ("etc", 10, 1, false),
                ("", 5, 1, false),
                ("empty", 0, 0, false),
            ]
        );
        let usr = by_directory(items.iter().map(|(p, k, s)| (*p, *k, *s)), "usr");
        let got: Vec<(&str, u64)> = usr.iter().map(|t| (t.path.as_str(), t.bytes)).collect();
        assert_eq!(got, vec![("usr/bin", 100), ("usr/lib", 50)]);
    }
}
