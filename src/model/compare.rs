//! What the compare page shows: two tags' platforms, layers, config and
//! files side by side.

use serde::{Deserialize, Serialize};

/// The query of `/r/<repo>/-/compare`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CompareQuery {
    pub a: Option<String>,
    pub b: Option<String>,
    /// `b` from another repository of the registry.
    pub b_repo: Option<String>,
    /// The platform compared, for indexes.
    pub platform: Option<String>,
    /// A changed file whose diff is shown first.
    pub path: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Change {
    Shared,
    Added,
    Removed,
    Changed,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LayerDiff {
    pub digest: String,
    pub size: u64,
    pub change: Change,
    /// 0-based positions in each image.
    pub in_a: Option<usize>,
    pub in_b: Option<usize>,
}

/// One config field (or one env variable, label or annotation) that differs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldChange {
    pub field: String,
    pub before: Option<String>,
    pub after: Option<String>,
}

/// One side of a changed path.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PathState {
    pub kind: String,
    pub mode: String,
    pub size: u64,
    pub link: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileChange {
    /// With a leading `/`.
    pub path: String,
    pub change: Change,
    pub before: Option<PathState>,
    pub after: Option<PathState>,
    /// Both sides are files small enough for a text diff.
    pub diffable: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DiffLine {
    /// `+`, `-`, ` ` (context) or `@` (a hunk's start).
    pub tag: char,
    pub text: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum FileDiff {
    Lines(Vec<DiffLine>),
    /// The bytes are the same (only metadata changed).
    Same,
    /// One side is not text.
    Binary,
    /// A side could not be read (the reason).
    Unreadable(String),
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TextDiff {
    pub path: String,
    pub diff: FileDiff,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CompareView {
    pub repository: String,
    pub b_repository: String,
    pub query: CompareQuery,
    /// Tags of the repository, for the pickers (the first few hundred).
    pub tags: Vec<String>,
    /// Both tags were given and read.
    pub result: Option<Comparison>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Comparison {
    pub a: String,
    pub b: String,
    pub a_digest: String,
    pub b_digest: String,
    /// The platform compared (indexes), and those only one side has.
    pub platform: Option<String>,
    pub common_platforms: Vec<String>,
    pub platforms_added: Vec<String>,
    pub platforms_removed: Vec<String>,
    pub layers: Vec<LayerDiff>,
    pub size_a: u64,
    pub size_b: u64,
    pub config: Vec<FieldChange>,
    /// Changed paths, by path (the first `MAX` of them).
    pub files: Vec<FileChange>,
    pub files_total: usize,
    pub added: usize,
    pub removed: usize,
    pub changed: usize,
    pub diffs: Vec<TextDiff>,
    /// Why files were not compared (a layer Berth will not read).
    pub files_error: Option<String>,
}
