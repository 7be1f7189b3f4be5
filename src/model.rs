//! Data that crosses from server functions to pages. Plain, serialisable,
//! and already shaped for display.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Role {
    Admin,
    Viewer,
}

impl Role {
    pub fn label(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Viewer => "viewer",
        }
    }
}

/// Who is looking, and what they may do.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Viewer {
    pub username: String,
    pub role: Role,
    /// False in `none` auth mode: nobody logs in, so there is no logout.
    pub logged_in: bool,
    /// True when this viewer may delete (admin and not read-only).
    pub can_delete: bool,
    /// The session's anti-CSRF token, for forms that change something.
    pub csrf: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RepoList {
    pub repositories: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlatformSize {
    pub platform: String,
    pub size: Option<u64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TagRow {
    pub tag: String,
    pub digest: String,
    pub media_type: String,
    pub is_index: bool,
    /// Config + layers for an image; None for an index (see platforms).
    pub size: Option<u64>,
    pub platforms: Vec<PlatformSize>,
    /// Unix seconds of the image's `created`.
    pub created: Option<i64>,
    /// Other tags of the repository with the same digest.
    pub shares_digest_with: Vec<String>,
    /// Set when this tag's details could not be read.
    pub error: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TagList {
    pub repository: String,
    pub pull_host: String,
    pub rows: Vec<TagRow>,
    /// Server time (Unix seconds), so "3 days ago" renders the same on the
    /// server and during hydration.
    pub now: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Layer {
    pub digest: String,
    pub media_type: String,
    pub size: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HistoryStep {
    pub created: Option<String>,
    pub created_by: String,
    pub empty_layer: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct ImageConfigView {
    pub platform: String,
    pub env: Vec<String>,
    pub entrypoint: Vec<String>,
    pub cmd: Vec<String>,
    pub working_dir: Option<String>,
    pub user: Option<String>,
    pub exposed_ports: Vec<String>,
    pub labels: Vec<(String, String)>,
}

/// One runnable image: a single-platform manifest and its config.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImageView {
    pub digest: String,
    pub platform: String,
    pub size: u64,
    pub created: Option<i64>,
    pub config: ImageConfigView,
    pub layers: Vec<Layer>,
    pub history: Vec<HistoryStep>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IndexEntry {
    pub platform: String,
    pub digest: String,
    pub image: Option<ImageView>,
    /// Why the platform's manifest could not be shown, if it could not.
    pub error: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum TagBody {
    Image(ImageView),
    Index(Vec<IndexEntry>),
    Other,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TagDetail {
    pub repository: String,
    pub tag: String,
    pub pull_host: String,
    pub digest: String,
    pub media_type: String,
    pub total_size: Option<u64>,
    pub created: Option<i64>,
    pub body: TagBody,
    pub raw_manifest: String,
    pub shares_digest_with: Vec<String>,
    pub now: i64,
}

/// One manifest that a delete would remove, and every tag it takes along.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeleteTarget {
    pub digest: String,
    /// Tags the user picked that point at this digest.
    pub chosen_tags: Vec<String>,
    /// Other tags that point at it too and would disappear with it.
    pub sibling_tags: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeletePlan {
    pub repository: String,
    pub targets: Vec<DeleteTarget>,
}
