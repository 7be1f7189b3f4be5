//! `/search`: the query parsed, matched in the index, limited to what the
//! searcher may read, grouped by repository.

use crate::error::AppError;
use crate::model::{SearchGroup, SearchHitView, SearchResults};
use crate::server::session::Caller;
use crate::server::state::AppState;
use crate::store::index_search::{Scope, SearchHit};

use super::query::{self, KindTerm, QueryError};

use crate::model::SEARCH_MAX_SHOWN as MAX_SHOWN;

pub async fn search(state: &AppState, caller: &Caller, q: &str) -> Result<SearchResults, AppError> {
    let terms = query::parse(q).map_err(|e| AppError::BadRequest(explain(&e)))?;
    let db = state.database();
    let unreadable = |e: String| {
        tracing::error!(error = %e, "searching the index failed");
        AppError::Unavailable(crate::t!("search-error-index"))
    };
    let (hits, more) = db
        .index_search(&terms, Scope::Everywhere, MAX_SHOWN as i64)
        .await
        .map_err(unreadable)?;
    let mut sampled: Vec<String> = hits.iter().map(|h| h.repository.clone()).collect();
    sampled.sort();
    sampled.dedup();
    // Only repositories the searcher may read; past the first
    // `MAX_CHECKED` by name the rest are left out, and the page says so.
    let (mut readable, mut unchecked) =
        super::visibility::readable_counted(state, &caller.credentials, sampled.clone()).await?;
    let (mut kept, truncated) = if more {
        // More match than were read. Those past the read may lie in other
        // repositories: the first few of those the searcher may read join
        // the ones read, and each is shown with all its matches. The page
        // is cut only if readable matches are left out: matches in
        // repositories the searcher cannot read are not "more" for them.
        let others = db
            .index_search_repositories(
                &terms,
                Scope::Outside(&sampled),
                super::visibility::MAX_CHECKED as i64 + 1,
            )
            .await
            .map_err(unreadable)?;
        let (others, others_unchecked) =
            super::visibility::readable_counted(state, &caller.credentials, others).await?;
        readable.extend(others);
        unchecked |= others_unchecked;
        if readable.is_empty() {
            (Vec::new(), unchecked)
        } else {
            let (hits, more_readable) = db
                .index_search(&terms, Scope::Within(&readable), MAX_SHOWN as i64)
                .await
                .map_err(unreadable)?;
            (hits, more_readable || unchecked)
        }
    } else {
        let readable: std::collections::HashSet<&String> = readable.iter().collect();
        let kept: Vec<SearchHit> = hits
            .into_iter()
            .filter(|h| readable.contains(&h.repository))
            .collect();
        (kept, unchecked)
    };
    // Details only for what is shown.
    db.index_describe(&mut kept).await.map_err(unreadable)?;
    let shown = kept.len();
    let mut groups: Vec<SearchGroup> = Vec::new();
    for hit in kept {
        let repository = hit.repository.clone();
        let view = view_of(hit);
        match groups.last_mut() {
            Some(g) if g.repository == repository => g.hits.push(view),
            _ => groups.push(SearchGroup {
                repository,
                hits: vec![view],
            }),
        }
    }
    let synced_ms = db
        .index_recent_syncs(1)
        .await
        .ok()
        .and_then(|r| r.into_iter().next())
        .map_or(0, |r| r.started_ms);
    Ok(SearchResults {
        query: q.trim().to_string(),
        groups,
        shown,
        truncated,
        index_enabled: state.indexer().enabled(),
        synced_ms,
        now: crate::server::clock::now(),
    })
}

fn view_of(h: SearchHit) -> SearchHitView {
    SearchHitView {
        tag: h.tag,
        digest: h.digest,
        kind: h.kind.unwrap_or_default(),
        size: h.size.and_then(|s| u64::try_from(s).ok()),
        created: h.created,
        platforms: h.platforms,
        artifact: h.artifact.unwrap_or_default(),
    }
}

/// A query mistake in the reader's language.
fn explain(e: &QueryError) -> String {
    match e {
        QueryError::TooLong => crate::t!("search-error-too-long", max = query::MAX_QUERY_CHARS),
        QueryError::TooManyTerms => crate::t!("search-error-too-many", max = query::MAX_TERMS),
        QueryError::Empty(prefix) => crate::t!("search-error-empty", prefix = prefix.to_string()),
        QueryError::UnknownKind(k) => crate::t!(
            "search-error-kind",
            kind = crate::format::cut(k, 40).to_string(),
            kinds = KindTerm::NAMES.join(", ")
        ),
        QueryError::UnknownPrefix(p) => {
            crate::t!(
                "search-error-prefix",
                prefix = crate::format::cut(p, 40).to_string()
            )
        }
        QueryError::ShortDigest(d) => crate::t!(
            "search-error-digest",
            word = crate::format::cut(d, 80).to_string(),
            min = query::MIN_DIGEST_PREFIX
        ),
    }
}
