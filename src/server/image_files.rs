//! The files pages' data: one layer's entries or the merged filesystem,
//! filtered, sorted and cut into pages; the sizes under a directory and
//! the largest files; and one file opened (through symlinks, in the merged
//! view) as text or a hex dump. The download streams from here too.

use super::image_target::{image_target, layer_error, ImageTarget};
use super::state::AppState;
use crate::error::AppError;
use crate::layers::listing::{self, Entry, Kind, Whiteout};
use std::collections::HashMap;

use crate::layers::merged::{Gone, Merged};
use crate::layers::preview::{self, HEX_MAX, TEXT_MAX};
use crate::layers::sizes;
use crate::model::files::*;
use crate::paging::Paging;
use crate::registry::Credentials;
use crate::routes::encode;
use crate::t;

/// Rows per page of a listing.
const PER_PAGE: usize = 500;
/// Directories drawn in the size chart.
const MAX_DIRS: usize = 30;
const LARGEST: usize = 50;
/// Lines of a text file shown (a MiB of newlines is a million lines).
const MAX_LINES: usize = 20_000;
/// Removed paths listed in the merged view.
const MAX_GONE: usize = 500;

/// An entry with where it stands in the image.
struct Item<'a> {
    entry: &'a Entry,
    layer: Option<usize>,
    replaced: &'a [usize],
    fate: Option<Fate>,
}

pub async fn files_view(
    state: &AppState,
    creds: &Credentials,
    repo: &str,
    tag: &str,
    query: FilesQuery,
) -> Result<FilesView, AppError> {
    let Opened {
        target,
        merged,
        layer_entries,
    } = open(state, creds, repo, tag, &query).await?;
    // A layer's own view does not need the merged tree (only for fates):
    // without one, an empty tree stands in and fates are unknown.
    let empty = Merged::default();
    let m: &Merged = merged.as_deref().unwrap_or(&empty);
    let items: Vec<Item> = match (&layer_entries, query.layer) {
        (Some(entries), Some(n)) => {
            let fates = Fates::new(merged.as_deref());
            entries
                .iter()
                .map(|e| Item {
                    entry: e,
                    layer: None,
                    replaced: &[],
                    fate: fates.of(n, e),
                })
                .collect()
        }
        _ => m
            .nodes
            .values()
            .map(|n| Item {
                entry: &n.entry,
                layer: Some(n.layer),
                replaced: &n.replaced,
                fate: None,
            })
            .collect(),
    };
    let entries = items.len();
    let bytes = items
        .iter()
        .filter(|i| i.entry.kind == Kind::File && i.entry.whiteout.is_none())
        .fold(0u64, |a, i| a.saturating_add(i.entry.size));
    let dir = listing::clean(query.dir.as_deref().unwrap_or_default());
    let dirs = sizes::by_directory(
        items
            .iter()
            .filter(|i| i.entry.whiteout.is_none())
            .map(|i| (i.entry.path.as_str(), i.entry.kind, i.entry.size)),
        &dir,
    )
    .into_iter()
    .take(MAX_DIRS)
    .map(|t| DirSize {
        path: format!("/{}", t.path),
        bytes: t.bytes,
        files: t.files,
        has_dirs: t.has_dirs,
    })
    .collect();
    let mut files: Vec<&Item> = items
        .iter()
        .filter(|i| i.entry.kind == Kind::File && i.entry.whiteout.is_none())
        .collect();
    files.sort_by(|a, b| {
        b.entry
            .size
            .cmp(&a.entry.size)
            .then_with(|| a.entry.path.cmp(&b.entry.path))
    });
    let largest = files.into_iter().take(LARGEST).map(row).collect();

    let needle = query
        .q
        .as_deref()
        .map(str::trim)
        .filter(|q| !q.is_empty())
        .map(str::to_lowercase);
    let mut shown: Vec<&Item> = items
        .iter()
        .filter(|i| {
            needle
                .as_deref()
                .is_none_or(|n| i.entry.path.to_lowercase().contains(n))
        })
        .collect();
    if query.sort.as_deref() == Some("size") {
        shown.sort_by_key(|i| std::cmp::Reverse(i.entry.size));
    } else {
        // Archive order in a layer; the merged view is already by path.
        shown.sort_by(|a, b| a.entry.path.cmp(&b.entry.path));
    }
    let paging = Paging::new(shown.len(), PER_PAGE, query.page.unwrap_or(1));
    let rows = shown[paging.range()].iter().map(|i| row(i)).collect();

    let (gone, gone_total) = if query.layer.is_none() {
        let removed = m.removed();
        let rows = removed
            .iter()
            .take(MAX_GONE)
            .map(|g| GoneRow {
                path: format!("/{}", g.path),
                from: g.from,
                by: g.by,
            })
            .collect();
        (rows, removed.len())
    } else {
        (Vec::new(), 0)
    };

    let file = match query.path.as_deref().filter(|p| !p.trim().is_empty()) {
        Some(path) => Some(
            open_file(
                state,
                creds,
                &target,
                m,
                layer_entries.as_deref(),
                &query,
                path,
            )
            .await?,
        ),
        None => None,
    };

    Ok(FilesView {
        repository: target.repo.to_string(),
        tag: target.tag.clone(),
        digest: target.digest.clone(),
        platform: target.platform.clone(),
        platforms: target.platforms.clone(),
        layers: target
            .layers
            .iter()
            .map(|l| LayerChoice {
                digest: l.digest.to_string(),
                size: l.size,
                media_type: l.media_type.clone(),
            })
            .collect(),
        query,
        rows,
        paging,
        entries,
        bytes,
        dir: format!("/{dir}"),
        dirs,
        largest,
        gone,
        gone_total,
        file,
    })
}

/// The image, its merged filesystem (none only for one layer's view of an
/// image with a layer Berth will not read), and the entries of the layer
/// asked for (if one was).
pub struct Opened {
    pub target: ImageTarget,
    pub merged: Option<std::sync::Arc<Merged>>,
    pub layer_entries: Option<Vec<Entry>>,
}

pub async fn open(
    state: &AppState,
    creds: &Credentials,
    repo: &str,
    tag: &str,
    query: &FilesQuery,
) -> Result<Opened, AppError> {
    let target = image_target(state, creds, repo, tag, query.platform.as_deref()).await?;
    let layers = state.layers();
    let reg = state.registry();
    let merged = match layers
        .merged(reg, creds, &target.digest, &target.layers)
        .await
    {
        Ok(m) => Some(m),
        // One readable layer of an image with another one Berth will not
        // read still shows (its entries' fates are then unknown).
        Err(_) if query.layer.is_some() => None,
        Err(e) => return Err(layer_error(e)),
    };
    let layer_entries = match query.layer {
        Some(n) => {
            let layer = target.layers.get(n).ok_or_else(|| {
                AppError::NotFound(t!(
                    "files-no-such-layer",
                    n = n,
                    count = target.layers.len()
                ))
            })?;
            Some(
                layers
                    .entries(reg, creds, layer)
                    .await
                    .map_err(layer_error)?
                    .1,
            )
        }
        None => None,
    };
    Ok(Opened {
        target,
        merged,
        layer_entries,
    })
}

/// What later layers did to each entry of a layer, with the removals
/// indexed by path once (a layer view of a big tree asks per entry).
struct Fates<'a> {
    merged: Option<&'a Merged>,
    removals: HashMap<&'a str, Vec<&'a Gone>>,
}

impl<'a> Fates<'a> {
    fn new(merged: Option<&'a Merged>) -> Self {
        let mut removals: HashMap<&str, Vec<&Gone>> = HashMap::new();
        for g in merged.map(|m| &m.gone[..]).unwrap_or_default() {
            removals.entry(g.path.as_str()).or_default().push(g);
        }
        Fates { merged, removals }
    }

    /// What later layers did to layer `n`'s entry `e`.
    fn of(&self, n: usize, e: &Entry) -> Option<Fate> {
        let Some(merged) = self.merged else {
            return Some(Fate::Unknown);
        };
        if e.whiteout.is_some() {
            return None;
        }
        let path = normalized(&e.path);
        let node = merged.nodes.get(&path);
        if let Some(node) = node {
            if node.layer == n {
                return None;
            }
            // Replaced in a chain: the entry after `n`'s is what overwrote it.
            if let Some(i) = node.replaced.iter().position(|l| *l == n) {
                let by = node.replaced.get(i + 1).copied().unwrap_or(node.layer);
                return Some(Fate::Overwritten(by));
            }
        }
        let removals = self.removals.get(path.as_str());
        let deleted = removals
            .and_then(|r| r.iter().find(|g| g.from == n))
            .or_else(|| removals.and_then(|r| r.iter().find(|g| g.by > n)))
            .map(|g| Fate::Deleted(g.by));
        deleted.or_else(|| {
            node.filter(|x| x.layer > n)
                .map(|x| Fate::Overwritten(x.layer))
        })
    }
}

/// A path as the merged view keys it (`..` applied, never above the root).
fn normalized(path: &str) -> String {
    crate::layers::merged::normalize(path)
}

fn row(i: &Item) -> FileRow {
    let e = i.entry;
    FileRow {
        path: format!("/{}", e.path),
        kind: kind_name(e.kind).to_string(),
        mode: preview::mode_string(e.kind, e.mode),
        uid: e.uid,
        gid: e.gid,
        size: e.size,
        mtime: e.mtime,
        link: e.link.clone(),
        whiteout: e.whiteout.as_ref().map(|w| match w {
            Whiteout::Delete => "delete".to_string(),
            Whiteout::Opaque => "opaque".to_string(),
        }),
        layer: i.layer,
        replaced: i.replaced.to_vec(),
        fate: i.fate.clone(),
        cut: e.cut,
    }
}

fn kind_name(k: Kind) -> &'static str {
    match k {
        Kind::File => "file",
        Kind::Dir => "dir",
        Kind::Symlink => "symlink",
        Kind::Hardlink => "hardlink",
        Kind::Char => "char",
        Kind::Block => "block",
        Kind::Fifo => "fifo",
        Kind::Other => "other",
    }
}

/// The entry `path` names, the layer its content is in, and the path it
/// resolved to. In the merged view symlinks are followed; in a layer's
/// view the layer's own entry is the answer. A hardlink's content is its
/// target's, earlier in the same layer.
pub struct Located {
    pub entry: Entry,
    pub layer: usize,
    pub resolved: String,
}

pub async fn locate(
    state: &AppState,
    creds: &Credentials,
    target: &ImageTarget,
    merged: &Merged,
    layer_entries: Option<&[Entry]>,
    layer: Option<usize>,
    path: &str,
) -> Result<Located, AppError> {
    let wanted = listing::clean(path);
    let missing = || {
        let deleted = merged.last_removal(&normalized(&wanted));
        AppError::NotFound(match (layer, deleted) {
            (None, Some(g)) => t!("files-deleted", path = format!("/{wanted}"), by = g.by + 1),
            _ => t!("files-no-such-path", path = format!("/{wanted}")),
        })
    };
    let (mut entry, index) = match (layer, layer_entries) {
        (Some(n), Some(entries)) => {
            // The last entry of a path is the one a tar leaves.
            let e = entries
                .iter()
                .rev()
                .find(|e| e.path == wanted && e.whiteout.is_none())
                .ok_or_else(missing)?;
            (e.clone(), n)
        }
        _ => {
            let node = merged.resolve(&wanted).ok_or_else(missing)?;
            (node.entry.clone(), node.layer)
        }
    };
    let resolved = entry.path.clone();
    if entry.kind == Kind::Hardlink {
        let to = normalized(entry.link.as_deref().unwrap_or_default());
        let own;
        let entries = match layer_entries.filter(|_| layer == Some(index)) {
            Some(e) => e,
            None => {
                let l = target.layers.get(index).ok_or_else(missing)?;
                own = state
                    .layers()
                    .entries(state.registry(), creds, l)
                    .await
                    .map_err(layer_error)?
                    .1;
                &own[..]
            }
        };
        // The last entry of that path before the link is what it links.
        let content = entries
            .iter()
            .take_while(|e| e.offset < entry.offset)
            .filter(|e| normalized(&e.path) == to && e.kind == Kind::File)
            .last()
            .ok_or_else(missing)?;
        entry = Entry {
            offset: content.offset,
            size: content.size,
            ..entry
        };
        entry.kind = Kind::File;
    }
    Ok(Located {
        entry,
        layer: index,
        resolved,
    })
}

async fn open_file(
    state: &AppState,
    creds: &Credentials,
    target: &ImageTarget,
    merged: &Merged,
    layer_entries: Option<&[Entry]>,
    query: &FilesQuery,
    path: &str,
) -> Result<FileView, AppError> {
    let located = locate(
        state,
        creds,
        target,
        merged,
        layer_entries,
        query.layer,
        path,
    )
    .await?;
    let shown_path = format!("/{}", listing::clean(path));
    let item = Item {
        entry: &located.entry,
        layer: query.layer.is_none().then_some(located.layer),
        replaced: &[],
        fate: None,
    };
    let mut file_row = row(&item);
    file_row.path = format!("/{}", located.resolved);
    let body = match located.entry.kind {
        Kind::Dir => FileBody::Dir,
        Kind::File => {
            let layer = target.layers.get(located.layer).ok_or_else(|| {
                AppError::NotFound(t!("files-no-such-path", path = shown_path.clone()))
            })?;
            let (bytes, all) = state
                .layers()
                .read_file(state.registry(), creds, layer, &located.entry, TEXT_MAX)
                .await
                .map_err(layer_error)?;
            match preview::text_lines(&bytes, !all) {
                Some(mut lines) => {
                    let more = !all || lines.len() > MAX_LINES;
                    lines.truncate(MAX_LINES);
                    FileBody::Text { lines, more }
                }
                None => FileBody::Hex {
                    lines: preview::hex_dump(&bytes[..bytes.len().min(HEX_MAX)]),
                    more: located.entry.size > HEX_MAX as u64,
                },
            }
        }
        _ => FileBody::Special,
    };
    let mut download = format!(
        "/download/{}/-/{}?path={}",
        target.repo,
        target.tag,
        encode(&file_row.path)
    );
    if let Some(n) = query.layer {
        download.push_str(&format!("&layer={n}"));
    }
    if let Some(p) = &target.platform {
        download.push_str(&format!("&platform={}", encode(p)));
    }
    Ok(FileView {
        resolved: (file_row.path != shown_path).then(|| file_row.path.clone()),
        path: shown_path,
        row: file_row,
        body,
        download,
    })
}
