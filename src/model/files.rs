//! What the files pages show: one layer's entries or an image's merged
//! filesystem, sizes by directory, one file's content, and the comparison
//! of two tags.

use serde::{Deserialize, Serialize};

use crate::paging::Paging;

/// The query of `/r/<repo>/-/files/<tag>`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FilesQuery {
    /// One layer (0-based, manifest order); none is the merged view.
    pub layer: Option<usize>,
    /// `os/arch[/variant]` of an index; none picks the first image.
    pub platform: Option<String>,
    /// One file (or directory) to open.
    pub path: Option<String>,
    /// Part of a path, case-insensitive.
    pub q: Option<String>,
    /// `path` (default) or `size`.
    pub sort: Option<String>,
    /// The directory whose sizes are drawn ("" or none: the root).
    pub dir: Option<String>,
    pub page: Option<usize>,
}

/// One path, as a listing row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileRow {
    /// With a leading `/`.
    pub path: String,
    /// file, dir, symlink, hardlink, char, block, fifo, other.
    pub kind: String,
    /// `drwxr-xr-x`, as `ls -l` writes it.
    pub mode: String,
    pub uid: u64,
    pub gid: u64,
    pub size: u64,
    pub mtime: i64,
    /// A link's target.
    pub link: Option<String>,
    /// `delete` or `opaque` for a whiteout (layer view).
    pub whiteout: Option<String>,
    /// The layer it comes from (merged view).
    pub layer: Option<usize>,
    /// Lower layers whose entry it replaced (merged view).
    pub replaced: Vec<usize>,
    /// What later layers did to it (layer view): `None` when it is in the
    /// image as this layer wrote it.
    pub fate: Option<Fate>,
    /// The name was longer than Berth keeps.
    pub cut: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Fate {
    /// A later layer wrote the same path.
    Overwritten(usize),
    /// A later layer's whiteout (or a file over its directory) removed it.
    Deleted(usize),
    /// Another layer of the image cannot be read, so nobody can tell.
    Unknown,
}

/// A path a later layer took away (merged view).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GoneRow {
    pub path: String,
    pub from: usize,
    pub by: usize,
}

/// One layer of the image, as the layer picker lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LayerChoice {
    pub digest: String,
    pub size: u64,
    pub media_type: String,
}

/// Bytes under one directory (files and hardlinks counted by size).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DirSize {
    /// With a leading `/`.
    pub path: String,
    pub bytes: u64,
    pub files: u64,
    /// It has subdirectories to look into.
    pub has_dirs: bool,
}

/// A file's content as the page shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum FileBody {
    /// UTF-8 text, by line; `more` when the file is longer than shown.
    Text { lines: Vec<String>, more: bool },
    /// `hexdump -C` lines of the first bytes.
    Hex { lines: Vec<String>, more: bool },
    /// A directory: its listing is the files page filtered to it.
    Dir,
    /// A device, fifo or socket: nothing to read.
    Special,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileView {
    /// The path asked for, with a leading `/`.
    pub path: String,
    /// The path it resolved to through symlinks, when different.
    pub resolved: Option<String>,
    pub row: FileRow,
    pub body: FileBody,
    /// The download's app path (under the base path on the page).
    pub download: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FilesView {
    pub repository: String,
    pub tag: String,
    /// The image manifest's digest (the platform's, for an index).
    pub digest: String,
    pub platform: Option<String>,
    /// Every platform of an index (empty for a single image).
    pub platforms: Vec<String>,
    pub layers: Vec<LayerChoice>,
    pub query: FilesQuery,
    /// This page of the filtered, sorted listing.
    pub rows: Vec<FileRow>,
    pub paging: Paging,
    /// Entries and bytes in the listing (before the filter).
    pub entries: usize,
    pub bytes: u64,
    /// The directory drawn, and the sizes of what it holds.
    pub dir: String,
    pub dirs: Vec<DirSize>,
    pub largest: Vec<FileRow>,
    /// Merged view: paths later layers removed (the first few hundred).
    pub gone: Vec<GoneRow>,
    pub gone_total: usize,
    pub file: Option<FileView>,
}
