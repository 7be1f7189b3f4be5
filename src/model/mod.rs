//! Data that crosses from server functions to pages. Plain, serialisable,
//! and already shaped for display. Tag rows leave out empty fields: a
//! 2,000-tag page carries every row in its hydration data.

pub mod compare;
pub mod files;
pub mod retention;

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

    /// The role as the UI names it, in the current language.
    pub fn display(self) -> String {
        match self {
            Role::Admin => crate::t!("role-admin"),
            Role::Viewer => crate::t!("role-viewer"),
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
    /// Names the registry listed that are not valid repository names.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub skipped: usize,
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

#[derive(Default, Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlatformSize {
    pub platform: String,
    pub size: Option<u64>,
    /// The index carries a buildx attestation for this platform.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub attested: bool,
    /// The index names this platform's manifest but the registry lacks it.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub missing: bool,
}

/// A cosign-style tag (`sha256-<hex>.sig|.att|.sbom`) about an image.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignatureTag {
    pub tag: String,
    /// "signature", "attestation" or "SBOM".
    pub kind: String,
}

/// Tags a row names as sharing its digest; the rest are a count that
/// links to the tag page, which lists them all.
pub const SHARED_NAMED: usize = 3;

#[derive(Default, Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TagRow {
    pub tag: String,
    pub digest: String,
    pub is_index: bool,
    /// Config + layers for an image; None for an index (see platforms).
    pub size: Option<u64>,
    pub platforms: Vec<PlatformSize>,
    /// Unix seconds of the image's `created`.
    pub created: Option<i64>,
    /// Other tags of the repository with the same digest: the first
    /// [`SHARED_NAMED`] by name (a digest may carry hundreds).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub shares_digest_with: Vec<String>,
    /// How many more share it than `shares_digest_with` names.
    #[serde(default)]
    pub shares_digest_more: usize,
    /// Set when this tag's details could not be read.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// For an artifact: what it is ("Helm chart web 1.2.0", or its type).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub artifact: Option<String>,
    /// Docker schema 1: legacy, read-only.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub legacy: bool,
    /// Cosign tags that name this tag's digest.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub signatures: Vec<SignatureTag>,
    /// For a cosign tag itself: the digest it is about. Such rows are hidden
    /// from the list unless asked for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signature_of: Option<String>,
    /// Unix seconds of the last pull the registry reported (notifications).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_pulled: Option<i64>,
    /// Pulls in the last 30 days; `None` when none was ever reported.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pulls_30d: Option<u64>,
    /// The `BERTH_PROTECTED_TAGS` pattern that protects this tag: it is
    /// never deleted, and the row shows a lock.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub protected: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TagList {
    pub repository: String,
    pub pull_host: String,
    pub rows: Vec<TagRow>,
    /// Tags the registry listed that are not valid tag names.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub skipped: usize,
    /// Server time (Unix seconds), so "3 days ago" renders the same on the
    /// server and during hydration.
    pub now: i64,
    /// When the registry last confirmed these tags and digests (Unix
    /// seconds): the list's load, or the registry index's last look.
    #[serde(default)]
    pub checked: i64,
}

/// One page of a repository's tag table: the rows to show, sorted and
/// filtered on the server, and what the whole list holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TagPage {
    pub repository: String,
    pub pull_host: String,
    pub rows: Vec<TagRow>,
    #[serde(default, skip_serializing_if = "is_zero")]
    pub skipped: usize,
    pub now: i64,
    /// Image tags in the whole list (cosign-style tags not counted).
    pub tag_count: usize,
    /// Cosign-style tags in the whole list.
    pub signature_count: usize,
    pub paging: crate::paging::Paging,
    /// Berth takes registry notifications, so pull columns mean something.
    #[serde(default)]
    pub pulls_known: bool,
    /// When the registry last confirmed these tags (Unix seconds).
    #[serde(default)]
    pub checked: i64,
}

/// One page of the repository list, filtered on the server by `filter`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RepoPage {
    pub repositories: Vec<String>,
    /// Repositories in the whole catalog.
    pub total: usize,
    #[serde(default, skip_serializing_if = "is_zero")]
    pub skipped: usize,
    /// The filter applied on the server (empty for none).
    pub filter: String,
    pub paging: crate::paging::Paging,
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

/// A buildx attestation manifest, shown with the platform it is about.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttestationView {
    pub digest: String,
    /// The platform manifest it names (`vnd.docker.reference.digest`).
    pub subject: Option<String>,
    /// in-toto predicate types, e.g. SLSA provenance or an SPDX SBOM.
    pub predicate_types: Vec<String>,
    pub error: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IndexEntry {
    pub platform: String,
    pub digest: String,
    pub image: Option<ImageView>,
    /// The registry does not have this platform's manifest.
    pub missing: bool,
    /// Why the platform's manifest could not be shown, if it could not.
    pub error: Option<String>,
    pub attestation: Option<AttestationView>,
}

/// A non-image manifest: a Helm chart, a signature, an SBOM, …
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ArtifactView {
    pub artifact_type: String,
    pub config_media_type: String,
    pub helm: Option<HelmChartView>,
    pub layers: Vec<Layer>,
    pub size: u64,
    pub annotations: Vec<(String, String)>,
    /// The manifest this artifact is about (`subject`), if any.
    pub subject: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HelmChartView {
    pub name: String,
    pub version: String,
    pub app_version: Option<String>,
    pub description: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LegacyView {
    pub name: String,
    pub tag: String,
    pub architecture: String,
    pub layer_count: usize,
    pub signed: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum TagBody {
    Image(ImageView),
    Index {
        entries: Vec<IndexEntry>,
        /// Attestations whose platform is not in the index.
        orphan_attestations: Vec<AttestationView>,
    },
    Artifact(ArtifactView),
    /// A cosign signature tag (`sha256-<hex>.sig`): what it signs, and who
    /// says so.
    Signature(SignatureView),
    /// An OCI 1.1 referrers fallback tag (`sha256-<hex>`): the artifacts
    /// that refer to a manifest.
    ReferrersTag(ReferrersTagView),
    Legacy(LegacyView),
    Other,
}

/// A signature manifest, as the tag page shows it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignatureView {
    /// The manifest it signs: from the payload, else from the tag's name.
    pub subject: Option<String>,
    /// Tags of this repository on that manifest (the first few).
    pub subject_tags: Vec<String>,
    /// One per layer: cosign appends a layer for each signature.
    pub signatures: Vec<SignatureEntry>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignatureEntry {
    pub digest: String,
    pub media_type: String,
    pub size: u64,
    /// The signed payload (cosign's simple signing JSON), when it was read.
    pub payload: Option<SignaturePayload>,
    /// The layer's annotations (the signature, a certificate, a bundle),
    /// long values cut.
    pub annotations: Vec<(String, String)>,
    /// Why the payload is not shown.
    pub error: Option<String>,
}

/// What the signer signed: the image by digest, under a name, plus any
/// claims they added (`cosign sign -a key=value`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignaturePayload {
    pub docker_reference: String,
    pub manifest_digest: String,
    pub kind: String,
    pub optional: Vec<(String, String)>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReferrersTagView {
    /// The manifest the listed artifacts refer to (from the tag's name).
    pub subject: Option<String>,
    pub subject_tags: Vec<String>,
    pub items: Vec<ReferrerView>,
}

/// An artifact that refers to the image (OCI `subject`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReferrerView {
    pub digest: String,
    pub artifact_type: String,
    pub size: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Referrers {
    /// "the OCI referrers API" or "the fallback tag sha256-…".
    pub source: String,
    pub items: Vec<ReferrerView>,
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
    /// Cosign tags naming this digest.
    pub signatures: Vec<SignatureTag>,
    /// Referrers, from the API or the fallback tag; None when there are none.
    pub referrers: Option<Referrers>,
    /// Why this tag cannot be deleted from Berth (e.g. legacy schema 1).
    pub read_only: Option<String>,
    /// Other tags of the repository, for "compare with…" (the first few
    /// hundred).
    pub other_tags: Vec<String>,
}

/// One manifest that a delete would remove, and every tag it takes along.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeleteTarget {
    pub digest: String,
    /// Tags the user picked that point at this digest.
    pub chosen_tags: Vec<String>,
    /// Other tags that point at it too and would disappear with it.
    pub sibling_tags: Vec<String>,
    /// An index: its platform manifests stay in the repository, untagged.
    pub is_index: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeletePlan {
    pub repository: String,
    pub targets: Vec<DeleteTarget>,
    /// The registry can remove a tag alone (`DELETE …/manifests/<tag>`).
    pub can_remove_tags_only: bool,
    /// The confirmation's words in the reader's language, made by the
    /// server: the islands that show them have no translations.
    pub texts: DeleteTexts,
}

/// The delete confirmation's words. `{n}`, `{total}` and `{deleted}` are
/// filled in the browser as the delete runs.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeleteTexts {
    pub sibling_warning: String,
    pub index_note: String,
    pub col_digest: String,
    pub col_chosen: String,
    pub col_also: String,
    /// "and {n} more", after the first sibling tags in the dialog.
    pub more_tags: String,
    pub index_badge: String,
    pub hint: String,
    /// "Deleting {n} of {total}…"
    pub deleting: String,
    /// "Deleted {deleted} of {total} manifests…"
    pub deleted: String,
    /// The same for a delete of one manifest (its own plural form).
    #[serde(default)]
    pub deleted_one: String,
    pub delete_button: String,
    pub back: String,
    pub tags_only_hint: String,
    pub tags_only_button: String,
    /// What `garbage-collect` would free afterwards ("… 12.3 MB
    /// (12,345,678 bytes in 5 blobs …)"), or why Berth cannot say, and how
    /// fresh the figure is. Words only: every field and element shape an
    /// island carries costs bundle size.
    pub frees: String,
}

impl DeleteTexts {
    /// The words for a plan that deletes `digests` manifests, `chosen` of
    /// whose tags the user picked.
    pub fn for_plan(digests: usize, chosen: usize) -> Self {
        use crate::t;
        DeleteTexts {
            sibling_warning: t!("delete-sibling-warning"),
            index_note: t!("delete-index-note"),
            col_digest: t!("col-digest"),
            col_chosen: t!("col-tags-chosen"),
            col_also: t!("col-also-removed"),
            more_tags: t!("delete-more-tags", n = "{n}"),
            index_badge: t!("badge-index"),
            hint: t!("delete-hint"),
            deleting: t!("delete-progress", n = "{n}", total = "{total}"),
            deleted: t!("delete-done", deleted = "{deleted}", total = "{total}"),
            deleted_one: t!("delete-done", deleted = "{deleted}", total = 1),
            delete_button: t!("delete-button", n = digests),
            back: t!("delete-back"),
            tags_only_hint: t!("delete-tags-only-hint"),
            tags_only_button: t!("delete-tags-only-button", n = chosen),
            frees: String::new(),
        }
    }
}

/// The delete dialog's own words, before a plan has arrived.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DialogTexts {
    pub title: String,
    pub resolving: String,
    pub close: String,
}

impl DialogTexts {
    pub fn current() -> Self {
        use crate::t;
        DialogTexts {
            title: t!("delete-title"),
            resolving: t!("delete-resolving"),
            close: t!("dialog-close"),
        }
    }
}

/// How the backing registry is set up, for the admin capability page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RegistryReport {
    pub url: String,
    pub api_version: Option<String>,
    /// e.g. "Bearer (token)" or "Basic" or "none".
    pub auth_scheme: String,
    pub realm: Option<String>,
    pub service: Option<String>,
    /// Median of a few unauthenticated `GET /v2/` round trips, in ms.
    pub latency_ms: Option<f64>,
    pub checks: Vec<CapabilityCheck>,
    pub index: IndexStatus,
}

/// The registry index as the registry page shows it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct IndexStatus {
    /// An account to sync with is configured.
    pub enabled: bool,
    pub interval_s: u64,
    /// A sync runs now; the counters below are its progress.
    pub running: bool,
    pub started_ms: i64,
    pub repositories_done: u64,
    pub repositories_total: u64,
    pub tags_seen: u64,
    pub last: Option<IndexSyncView>,
    pub repositories: u64,
    pub tags: u64,
    pub manifests: u64,
    pub blobs: u64,
    pub blob_bytes: u64,
    /// Why the figures above could not be read, if they could not.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    pub now_ms: i64,
    /// For the "sync now" form.
    pub csrf: String,
}

/// One finished full sync.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct IndexSyncView {
    pub started_ms: i64,
    pub took_ms: i64,
    pub repositories: i64,
    pub tags: i64,
    pub fetched: i64,
    pub requests: i64,
    /// Empty when it finished.
    pub error: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CapabilityCheck {
    pub name: String,
    /// Yes / no / unknown, as a short word for a badge.
    pub verdict: String,
    pub detail: String,
}

/// One row of the audit log, as the admin page and the exports show it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditRow {
    pub id: i64,
    /// Unix milliseconds.
    pub at_ms: i64,
    pub username: String,
    pub client_ip: String,
    pub request_id: String,
    /// `login`, `logout`, `delete`, `remove-tag`, `policy-create`, `policy-edit`,
    /// `policy-delete`, `retention-dry-run` or `retention-apply`.
    pub action: String,
    pub repository: String,
    /// The tags the action concerned (for a delete: every tag that pointed
    /// at the digest).
    pub tags: Vec<String>,
    pub digest: String,
    /// `ok`, `failed`, `refused`, or `started` for a delete whose end was
    /// never recorded.
    pub result: String,
    pub detail: String,
}

/// What the audit page is filtered by; empty means "any". Times are
/// `YYYY-MM-DD` (UTC), both days included.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct AuditFilter {
    pub user: String,
    pub repository: String,
    pub action: String,
    pub since: String,
    pub until: String,
}

/// One page of the audit log, newest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditPage {
    pub rows: Vec<AuditRow>,
    pub paging: crate::paging::Paging,
    /// How long rows are kept (`BERTH_AUDIT_DAYS`).
    pub keep_days: u32,
}

/// One thing the registry reported (a manifest push, pull or delete), for
/// `/activity` and a repository's own activity.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActivityRow {
    /// The registry's event id.
    pub event_id: String,
    /// Unix milliseconds.
    pub at_ms: i64,
    /// `push`, `pull` or `delete`.
    pub action: String,
    pub repository: String,
    pub tag: String,
    pub digest: String,
    pub media_type: String,
    /// The registry user, when the registry knew one.
    pub actor: String,
    pub client_addr: String,
}

/// A page of activity, newest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActivityPage {
    pub rows: Vec<ActivityRow>,
    pub paging: crate::paging::Paging,
    /// False when Berth takes no registry notifications (no
    /// `BERTH_EVENTS_TOKEN`): the page says how to turn them on.
    pub events_on: bool,
    /// The server's clock (Unix seconds), for "3 minutes ago".
    pub now: i64,
}

/// Matches the search box lists as you type.
/// How an artifact label starts for a Helm chart ("Helm chart web 1.2.0"):
/// the index stores the label, and pull commands read it.
pub const HELM_LABEL: &str = "Helm chart";

pub const SUGGESTIONS: usize = 8;

/// Tags one search shows at most.
pub const SEARCH_MAX_SHOWN: usize = 200;
/// Repositories named on the search page, found by name.
pub const SEARCH_MAX_REPOS: usize = 50;

/// What `/search` found: tags grouped by repository, only in repositories
/// the searcher may read.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SearchResults {
    pub query: String,
    /// Repositories whose name holds every word, from the caller's catalog
    /// (so found with or without the index), the first `SEARCH_MAX_REPOS`.
    #[serde(default)]
    pub repositories: Vec<String>,
    /// More repositories matched than are listed.
    #[serde(default)]
    pub repositories_more: bool,
    pub groups: Vec<SearchGroup>,
    /// Tags shown in all groups.
    pub shown: usize,
    /// More matched than are shown.
    pub truncated: bool,
    /// The index syncs (an account reads the whole registry); when false
    /// the index holds only the repositories users have opened.
    pub index_enabled: bool,
    /// When the last full sync started (Unix ms); 0 for never.
    pub synced_ms: i64,
    pub now: i64,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SearchGroup {
    pub repository: String,
    pub hits: Vec<SearchHitView>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SearchHitView {
    pub tag: String,
    pub digest: String,
    /// image, index, artifact, signature, attestation, legacy, other; empty
    /// when not described yet.
    pub kind: String,
    pub size: Option<u64>,
    /// Unix seconds.
    pub created: Option<i64>,
    pub platforms: Vec<String>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub artifact: String,
}

/// Repositories shown on `/storage`, largest first; the rest are counted.
pub const STORAGE_MAX_REPOSITORIES: usize = 200;
/// Layers in the "largest layers" table.
pub const STORAGE_MAX_LAYERS: usize = 20;
/// Repositories named per layer there; the rest are counted.
pub const STORAGE_MAX_USERS: usize = 12;

/// Where the registry's disk space goes, from the index: unique blobs
/// (manifests, configs, layers) as `garbage-collect` counts them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct StorageReport {
    pub index_enabled: bool,
    /// When the last full sync finished (Unix ms); 0 for never.
    pub synced_ms: i64,
    pub now: i64,
    /// Every repository (admins), or only the reader's own.
    pub whole_registry: bool,
    /// Some repositories were not checked for this reader and are left out.
    pub unchecked: bool,
    pub total_bytes: u64,
    pub blobs: u64,
    pub tags: u64,
    pub repository_count: u64,
    /// Largest first, at most [`STORAGE_MAX_REPOSITORIES`].
    pub repositories: Vec<RepoStorage>,
    pub largest_layers: Vec<LayerUse>,
    /// Total bytes over time, oldest first.
    pub growth: Vec<GrowthPoint>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RepoStorage {
    pub name: String,
    pub tags: u64,
    /// Unique blobs its tags reach.
    pub total: u64,
    /// Of those, blobs no other repository uses: what deleting the whole
    /// repository would free.
    pub exclusive: u64,
    pub shared: u64,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LayerUse {
    pub digest: String,
    pub size: u64,
    /// Repositories using it that the reader may see, by name.
    pub repositories: Vec<String>,
    /// More of those than are named.
    pub more: u64,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct GrowthPoint {
    /// Unix ms.
    pub at: i64,
    pub bytes: u64,
}

/// Pushes the landing page lists.
pub const DASHBOARD_RECENT: usize = 8;
/// Repositories in its "largest" list.
pub const DASHBOARD_LARGEST: usize = 5;

/// The landing page's summary of the registry, for what the reader may see.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Dashboard {
    pub index_enabled: bool,
    /// When the last full sync finished (Unix ms); 0 for never.
    pub synced_ms: i64,
    pub now: i64,
    pub repositories: u64,
    pub tags: u64,
    /// Unique blobs, as garbage-collect counts them.
    pub bytes: u64,
    pub largest: Vec<RepoStorage>,
    pub recent: Vec<RecentPush>,
    /// The pushes come from registry notifications (else from the index:
    /// when Berth first saw each tag where it is).
    pub recent_from_events: bool,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecentPush {
    pub repository: String,
    pub tag: String,
    pub digest: String,
    /// Unix ms.
    pub at_ms: i64,
    /// Who pushed, when the registry said.
    pub actor: String,
}
