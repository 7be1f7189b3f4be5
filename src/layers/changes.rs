//! What changed between two images' filesystems: paths added, removed and
//! changed (type, size, mode, owner, link target; or a different time on an
//! entry that came from a different layer blob), and a line diff of a text
//! file's two versions.

use super::listing::Kind;
use super::merged::{Merged, Node};

#[derive(Debug)]
pub enum PathChange<'a> {
    Added(&'a Node),
    Removed(&'a Node),
    Changed(&'a Node, &'a Node),
}

/// Every changed path, by path. `a_layers` and `b_layers` are each image's
/// layer digests: an entry both images took from the same blob is the same
/// entry, whatever its metadata says.
pub fn changes<'a>(
    a: &'a Merged,
    b: &'a Merged,
    a_layers: &[String],
    b_layers: &[String],
) -> Vec<(&'a str, PathChange<'a>)> {
    let mut out = Vec::new();
    let mut left = a.nodes.iter().peekable();
    let mut right = b.nodes.iter().peekable();
    loop {
        match (left.peek(), right.peek()) {
            (None, None) => break,
            (Some((p, n)), None) => {
                out.push((p.as_str(), PathChange::Removed(n)));
                left.next();
            }
            (None, Some((p, n))) => {
                out.push((p.as_str(), PathChange::Added(n)));
                right.next();
            }
            (Some((pa, na)), Some((pb, nb))) => match pa.cmp(pb) {
                std::cmp::Ordering::Less => {
                    out.push((pa.as_str(), PathChange::Removed(na)));
                    left.next();
                }
                std::cmp::Ordering::Greater => {
                    out.push((pb.as_str(), PathChange::Added(nb)));
                    right.next();
                }
                std::cmp::Ordering::Equal => {
                    let same_blob = a_layers.get(na.layer).is_some()
                        && a_layers.get(na.layer) == b_layers.get(nb.layer);
                    if !same_blob && differ(na, nb) {
                        out.push((pa.as_str(), PathChange::Changed(na, nb)));
                    }
                    left.next();
                    right.next();
                }
            },
        }
    }
    out
}

fn differ(a: &Node, b: &Node) -> bool {
    let (x, y) = (&a.entry, &b.entry);
    if x.kind != y.kind || x.mode != y.mode || x.uid != y.uid || x.gid != y.gid {
        return true;
    }
    match x.kind {
        // A directory's size and time follow its contents.
        Kind::Dir => false,
        Kind::Symlink | Kind::Hardlink => x.link != y.link,
        // With both contents' checksums the time is noise; without them
        // it is all there is to tell a same-size edit by.
        _ => match (x.crc, y.crc) {
            (Some(a), Some(b)) => x.size != y.size || a != b,
            _ => x.size != y.size || x.mtime != y.mtime,
        },
    }
}

/// One line of a diff: `+`, `-`, ` ` or `@` (a hunk header).
pub type DiffLine = (char, String);

/// A unified diff of `a` and `b` by line, `context` lines around each
/// change, cut after `max` lines (the last line then says so).
pub fn line_diff(a: &str, b: &str, context: usize, max: usize) -> Vec<DiffLine> {
    // Patience with a deadline: two 256 KiB files of unrelated lines must
    // not cost minutes (past it, the diff is coarser, not wrong).
    let diff = similar::TextDiff::configure()
        .algorithm(similar::Algorithm::Patience)
        .timeout(std::time::Duration::from_secs(1))
        .diff_lines(a, b);
    let mut out = Vec::new();
    for group in diff.grouped_ops(context) {
        let (Some(first), Some(last)) = (group.first(), group.last()) else {
            continue;
        };
        let (old, new) = (first.old_range().start, first.new_range().start);
        let (old_end, new_end) = (last.old_range().end, last.new_range().end);
        out.push((
            '@',
            format!(
                "@@ -{},{} +{},{} @@",
                old + 1,
                old_end - old,
                new + 1,
                new_end - new
            ),
        ));
        for op in &group {
            for change in diff.iter_changes(op) {
                if out.len() >= max {
                    out.push(('@', "…".to_string()));
                    return out;
                }
                let tag = match change.tag() {
                    similar::ChangeTag::Delete => '-',
                    similar::ChangeTag::Insert => '+',
                    similar::ChangeTag::Equal => ' ',
                };
                let text = change.value();
                let text = text.strip_suffix('\n').unwrap_or(text);
                out.push((tag, text.strip_suffix('\r').unwrap_or(text).to_string()));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::listing::Entry;
    use super::super::merged::merge;
    use super::*;

    fn e(path: &str, kind: Kind, size: u64, mode: u32) -> Entry {
        Entry {
            path: path.into(),
            kind,
            mode,
            uid: 0,
            gid: 0,
            size,
            mtime: 1,
            link: None,
            offset: 0,
            whiteout: None,
            cut: false,
            crc: None,
        }
    }

    #[test]
    fn added_removed_and_changed_paths() {
        use Kind::*;
        let base = [
            e("etc", Dir, 0, 0o755),
            e("etc/os-release", File, 10, 0o644),
        ];
        let a_top = [e("app/old", File, 5, 0o644), e("app/run", File, 9, 0o644)];
        let mut b_top = vec![e("app/new", File, 5, 0o644), e("app/run", File, 9, 0o755)];
        let mut dir = e("etc", Dir, 4096, 0o755);
        dir.mtime = 99;
        b_top.push(dir);
        let a = merge([&base[..], &a_top[..]]);
        let b = merge([&base[..], &b_top[..]]);
        let layers_a = vec!["sha256:base".to_string(), "sha256:a".to_string()];
        let layers_b = vec!["sha256:base".to_string(), "sha256:b".to_string()];
        let got: Vec<String> = changes(&a, &b, &layers_a, &layers_b)
            .iter()
            .map(|(p, c)| match c {
                PathChange::Added(_) => format!("+{p}"),
                PathChange::Removed(_) => format!("-{p}"),
                PathChange::Changed(..) => format!("~{p}"),
            })
            .collect();
        // etc/ only changed its size and time: not a change.
        assert_eq!(got, vec!["+app/new", "-app/old", "~app/run"]);
        // Same size, same time, other bytes: the checksums tell.
        let mut x = e("etc/os-release", File, 10, 0o644);
        let mut y = x.clone();
        (x.crc, y.crc) = (Some(1), Some(2));
        let (a2, b2) = (merge([&[x.clone()][..]]), merge([&[y][..]]));
        let one = vec!["sha256:x".to_string()];
        let two = vec!["sha256:y".to_string()];
        assert_eq!(changes(&a2, &b2, &one, &two).len(), 1);
        // Only the time differs, and the bytes are the same: no change.
        let mut z = x.clone();
        z.mtime = 5;
        assert!(changes(&a2, &merge([&[z][..]]), &one, &two).is_empty());
        // The same blob on both sides is the same entry.
        assert!(changes(&a, &a, &layers_a, &layers_a).is_empty());
    }

    #[test]
    fn diffs_by_line_with_context() {
        let a = "one\ntwo\nthree\nfour\nfive\nsix\nseven\n";
        let b = "one\ntwo\nthree\nFOUR\nfive\nsix\nseven\neight\n";
        let d = line_diff(a, b, 1, 100);
        let text: Vec<String> = d.iter().map(|(t, l)| format!("{t}{l}")).collect();
        assert_eq!(
            text,
            vec![
                "@@@ -3,3 +3,3 @@",
                " three",
                "-four",
                "+FOUR",
                " five",
                "@@@ -7,1 +7,2 @@",
                " seven",
                "+eight",
            ]
        );
        let cut = line_diff(a, b, 1, 3);
        assert_eq!(cut.last().unwrap().1, "…");
    }
}
