//! "What a delete frees": the bytes the registry's `garbage-collect` would
//! remove after deleting some manifests of one repository, counted from the
//! index (blobs that no other manifest in the registry references), with
//! how fresh that count is.

use crate::i18n::Fmt;
use crate::server::state::AppState;
use crate::t;

/// The figure, and the reader's words for it (made here: the delete
/// dialog that shows them is an island without translations).
pub struct FreesView {
    /// `None` when the index cannot say (partial, or a manifest not described).
    pub bytes: Option<u64>,
    pub text: String,
    /// Where the figure comes from and how fresh it is.
    pub note: String,
}

pub async fn frees(state: &AppState, repository: &str, digests: &[String]) -> FreesView {
    let indexer = state.indexer();
    if !indexer.enabled() {
        return FreesView {
            bytes: None,
            text: t!("frees-index-off"),
            note: String::new(),
        };
    }
    let db = state.database();
    let counted = match db.index_frees(repository, digests).await {
        Ok(f) => f,
        Err(e) => {
            tracing::error!(error = %e, "counting what a delete frees failed");
            return FreesView {
                bytes: None,
                text: t!("frees-error"),
                note: String::new(),
            };
        }
    };
    let fmt = Fmt::current();
    let now = crate::server::clock::now();
    let synced = db
        .index_recent_syncs(1)
        .await
        .ok()
        .and_then(|r| r.into_iter().next())
        .filter(|r| r.error.is_empty());
    let note = match synced {
        Some(s) => t!("frees-note", when = fmt.relative(now, s.finished_ms / 1000)),
        None => t!("frees-note-never"),
    };
    if !counted.undescribed.is_empty() {
        return FreesView {
            bytes: None,
            text: t!("frees-undescribed", n = counted.undescribed.len()),
            note,
        };
    }
    let bytes = counted.bytes();
    FreesView {
        bytes: Some(bytes),
        text: t!(
            "frees-bytes",
            size = fmt.size(bytes),
            bytes = fmt.count(usize::try_from(bytes).unwrap_or(usize::MAX)),
            blobs = counted.blobs.len()
        ),
        note,
    }
}
