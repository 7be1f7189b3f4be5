//! An image's filesystem: its layers applied in order, as a container
//! runtime would. A whiteout deletes a path of the layers below (and all
//! under it); an opaque whiteout empties a directory of the layers below;
//! an entry replaces the one below it, and a non-directory replacing a
//! directory takes the directory's contents away too. Whiteouts never
//! touch entries of their own layer.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::listing::{Entry, Kind, Whiteout};

/// One path of the merged filesystem.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Node {
    pub entry: Entry,
    /// The layer (0-based, manifest order) the entry comes from.
    pub layer: usize,
    /// Lower layers whose entry at this path it replaced.
    pub replaced: Vec<usize>,
}

/// A path a later layer took away.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Gone {
    pub path: String,
    /// The layer that had it.
    pub from: usize,
    /// The layer whose whiteout (or replacing entry) took it.
    pub by: usize,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Merged {
    pub nodes: BTreeMap<String, Node>,
    pub gone: Vec<Gone>,
}

/// The paths strictly under `dir` ("" is the root).
fn under(nodes: &BTreeMap<String, Node>, dir: &str) -> Vec<String> {
    if dir.is_empty() {
        return nodes.keys().cloned().collect();
    }
    // Everything from "dir/" up to (not including) "dir0" ('0' follows '/').
    let from = format!("{dir}/");
    let to = format!("{dir}0");
    nodes.range(from..to).map(|(k, _)| k.clone()).collect()
}

impl Merged {
    fn remove(&mut self, path: &str, by: usize) {
        if let Some(n) = self.nodes.remove(path) {
            self.gone.push(Gone {
                path: path.to_string(),
                from: n.layer,
                by,
            });
        }
    }

    fn remove_under(&mut self, dir: &str, by: usize) {
        for p in under(&self.nodes, dir) {
            self.remove(&p, by);
        }
    }

    /// Paths a later layer removed and no layer brought back: the latest
    /// removal of each, by path.
    pub fn removed(&self) -> Vec<&Gone> {
        let mut seen = std::collections::HashSet::new();
        let mut out: Vec<&Gone> = self
            .gone
            .iter()
            .rev()
            .filter(|g| seen.insert(g.path.as_str()) && !self.nodes.contains_key(&g.path))
            .collect();
        out.sort_by(|a, b| a.path.cmp(&b.path));
        out
    }

    /// The last removal of `path`, if one happened.
    pub fn last_removal(&self, path: &str) -> Option<&Gone> {
        self.gone.iter().rev().find(|g| g.path == path)
    }

    /// Applies layer `index`, whose entries are `entries` (taken, not
    /// copied: a large layer is held once while it is merged).
    /// A path with `..` lands where a runtime would put it (`a/../b` is
    /// `b`, and nothing climbs above the root).
    pub fn apply(&mut self, index: usize, mut entries: Vec<Entry>) {
        for e in &mut entries {
            e.path = normalize(&e.path);
        }
        // Whiteouts first, against the layers below only.
        for e in &entries {
            match e.whiteout {
                Some(Whiteout::Opaque) => self.remove_under(&e.path, index),
                // A whiteout of the root itself means nothing.
                Some(Whiteout::Delete) if e.path.is_empty() => {}
                Some(Whiteout::Delete) => {
                    self.remove_under(&e.path, index);
                    self.remove(&e.path, index);
                }
                None => {}
            }
        }
        for mut e in entries
            .into_iter()
            .filter(|e| e.whiteout.is_none() && !e.path.is_empty())
        {
            // A hardlink shares its target's inode as the target is now
            // (earlier in the archive): its size and mode stay, even if a
            // later layer replaces the target's path.
            if e.kind == Kind::Hardlink {
                let target = normalize(e.link.as_deref().unwrap_or_default());
                if let Some(t) = self.nodes.get(&target) {
                    e.size = t.entry.size;
                    e.mode = t.entry.mode;
                }
            }
            let mut replaced = Vec::new();
            if let Some(lower) = self.nodes.get(&e.path) {
                if lower.layer != index {
                    replaced = lower.replaced.clone();
                    replaced.push(lower.layer);
                }
                if lower.entry.kind == Kind::Dir && e.kind != Kind::Dir {
                    self.remove_under(&e.path, index);
                }
            }
            self.nodes.insert(
                e.path.clone(),
                Node {
                    entry: e,
                    layer: index,
                    replaced,
                },
            );
        }
    }

    /// About the bytes the tree holds in memory (names twice, as key and
    /// entry; links; a fixed cost per node), for weighing it in a cache.
    pub fn weight(&self) -> u64 {
        const PER_NODE: u64 = 160;
        let nodes: u64 = self
            .nodes
            .iter()
            .map(|(k, n)| {
                PER_NODE
                    + (k.len() + n.entry.path.len()) as u64
                    + n.entry.link.as_ref().map_or(0, |l| l.len() as u64)
                    + 8 * n.replaced.len() as u64
            })
            .sum();
        let gone: u64 = self.gone.iter().map(|g| 48 + g.path.len() as u64).sum();
        nodes + gone
    }

    /// Follows symlinks (at most 40, as Linux does) within the merged
    /// view, in every component of the path (`/lib/x` with `lib -> usr/lib`
    /// is `usr/lib/x`); `None` for a dangling link, a loop, or the root.
    /// `..` stops at the root: a link cannot leave the image.
    pub fn resolve(&self, path: &str) -> Option<&Node> {
        let mut pending: std::collections::VecDeque<String> =
            path.split('/').map(str::to_string).collect();
        let mut at: Vec<String> = Vec::new();
        let mut hops = 0;
        while let Some(part) = pending.pop_front() {
            match part.as_str() {
                "" | "." => continue,
                ".." => {
                    at.pop();
                    continue;
                }
                _ => at.push(part),
            }
            // A directory a tar never wrote down still exists under its
            // files: only the last component must be an entry.
            let Some(node) = self.nodes.get(&at.join("/")) else {
                continue;
            };
            if node.entry.kind == Kind::Symlink {
                hops += 1;
                if hops > 40 {
                    return None;
                }
                let target = node.entry.link.as_deref().unwrap_or_default();
                at.pop();
                if target.starts_with('/') {
                    at.clear();
                }
                for t in target.split('/').rev() {
                    pending.push_front(t.to_string());
                }
            }
        }
        if at.is_empty() {
            return None;
        }
        self.nodes.get(&at.join("/"))
    }
}

/// `a/b/../c` is `a/c`; `..` above the root stays at the root, as in a
/// container (a link cannot leave the image).
pub fn normalize(path: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for p in path.split('/') {
        match p {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            p => parts.push(p),
        }
    }
    parts.join("/")
}

/// The layers applied in order.
pub fn merge<'a>(layers: impl IntoIterator<Item = &'a [Entry]>) -> Merged {
    let mut m = Merged::default();
    for (i, entries) in layers.into_iter().enumerate() {
        m.apply(i, entries.to_vec());
    }
    m
}

#[cfg(test)]
mod tests {
    use super::*;

    fn e(path: &str, kind: Kind) -> Entry {
        let (path, whiteout) = if let Some(p) = path.strip_suffix("!opq") {
            (p.to_string(), Some(Whiteout::Opaque))
        } else if let Some(p) = path.strip_prefix('-') {
            (p.to_string(), Some(Whiteout::Delete))
        } else {
            (path.to_string(), None)
        };
        Entry {
            path,
            kind,
            mode: 0o644,
            uid: 0,
            gid: 0,
            size: 1,
            mtime: 0,
            link: None,
            offset: 0,
            whiteout,
            cut: false,
            crc: None,
        }
    }

    fn paths(m: &Merged) -> Vec<&str> {
        m.nodes.keys().map(String::as_str).collect()
    }

    #[test]
    fn a_path_deleted_and_brought_back_is_not_listed_as_removed() {
        use Kind::*;
        let (l0, l1, l2) = (
            [e("a", File), e("b", File)],
            [e("-a", File), e("-b", File)],
            [e("a", File)],
        );
        let m = merge([&l0[..], &l1[..], &l2[..]]);
        let removed: Vec<(&str, usize, usize)> = m
            .removed()
            .iter()
            .map(|g| (g.path.as_str(), g.from, g.by))
            .collect();
        assert_eq!(removed, [("b", 0, 1)]);
        assert_eq!(m.last_removal("a").map(|g| g.by), Some(1));
        assert!(m.last_removal("c").is_none());
    }

    #[test]
    fn whiteouts_delete_below_and_never_their_own_layer() {
        use Kind::*;
        let base = [
            e("etc", Dir),
            e("etc/a", File),
            e("etc/b", File),
            e("var", Dir),
            e("var/x", File),
            e("var/y", File),
        ];
        let top = [
            e("-etc/a", File),
            e("var!opq", File),
            e("var/z", File),
            e("etc/b", File),
        ];
        let m = merge([&base[..], &top[..]]);
        assert_eq!(paths(&m), ["etc", "etc/b", "var", "var/z"]);
        assert_eq!(m.nodes["etc/b"].layer, 1);
        assert_eq!(m.nodes["etc/b"].replaced, [0]);
        let gone: Vec<(&str, usize, usize)> = m
            .gone
            .iter()
            .map(|g| (g.path.as_str(), g.from, g.by))
            .collect();
        assert_eq!(gone, [("etc/a", 0, 1), ("var/x", 0, 1), ("var/y", 0, 1)]);
    }

    #[test]
    fn a_file_replacing_a_directory_takes_its_contents_and_deleting_a_dir_deletes_below() {
        use Kind::*;
        let base = [
            e("opt", Dir),
            e("opt/app", Dir),
            e("opt/app/bin", File),
            e("optx", File),
        ];
        let top = [e("opt/app", File), e("-optx", File)];
        let m = merge([&base[..], &top[..]]);
        assert_eq!(paths(&m), ["opt", "opt/app"]);
        let third = [e("-opt", File)];
        let m = merge([&base[..], &top[..], &third[..]]);
        assert!(m.nodes.is_empty());
    }

    #[test]
    fn symlinks_resolve_inside_the_image_only() {
        use Kind::*;
        let mut link = e("bin/sh", Symlink);
        link.link = Some("busybox".into());
        let mut abs = e("usr/bin/sh", Symlink);
        abs.link = Some("/bin/sh".into());
        let mut out = e("escape", Symlink);
        out.link = Some("../../../../etc/shadow".into());
        let mut lp = e("loop", Symlink);
        lp.link = Some("loop".into());
        let mut lib = e("lib", Symlink);
        lib.link = Some("usr/lib".into());
        let layer = [
            e("opt/implicit/file", File),
            e("bin/busybox", File),
            link,
            abs,
            out,
            lp,
            e("etc/shadow", File),
            lib,
            e("usr/lib/libc.so", File),
        ];
        let m = merge([&layer[..]]);
        // A link in the middle of the path is followed too.
        assert_eq!(
            m.resolve("/lib/libc.so").unwrap().entry.path,
            "usr/lib/libc.so"
        );
        assert!(m.resolve("/").is_none());
        assert_eq!(
            m.resolve("opt/implicit/file").unwrap().entry.path,
            "opt/implicit/file"
        );
        assert_eq!(m.resolve("usr/bin/sh").unwrap().entry.path, "bin/busybox");
        assert_eq!(m.resolve("/escape").unwrap().entry.path, "etc/shadow");
        assert!(m.resolve("loop").is_none());
        assert!(m.resolve("nope").is_none());
    }
}
