//! `/search`: the query parsed, matched in the index, limited to what the
//! searcher may read, grouped by repository.

use crate::error::AppError;
use crate::model::{SearchGroup, SearchHitView, SearchResults};
use crate::server::session::Caller;
use crate::server::state::AppState;
use crate::store::index_search::{Scope, SearchHit};

use super::query::{self, KindTerm, QueryError, Term};

use crate::model::SEARCH_MAX_REPOS as MAX_REPOS;
use crate::model::SEARCH_MAX_SHOWN as MAX_SHOWN;

pub async fn search(state: &AppState, caller: &Caller, q: &str) -> Result<SearchResults, AppError> {
    let terms = query::parse(q).map_err(|e| AppError::BadRequest(explain(&e)))?;
    let (repositories, repositories_more) = repositories_named(state, caller, &terms).await;
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
        repositories,
        repositories_more,
        groups,
        shown,
        truncated,
        index_enabled: state.indexer().enabled(),
        synced_ms,
        now: crate::server::clock::now(),
    })
}

/// Repositories in the caller's catalog (cached per user) whose name holds
/// every word of the query and which the caller may read: found by name
/// whether or not the index has them. A query with a digest, label, platform or kind term is about
/// tags, so it names no repository; a catalog that cannot be read (an
/// account without catalog access) names none either.
async fn repositories_named(
    state: &AppState,
    caller: &Caller,
    terms: &[Term],
) -> (Vec<String>, bool) {
    let mut words = Vec::new();
    for term in terms {
        match term {
            Term::Text(w) => words.push(w.as_str()),
            Term::Digest {
                hex,
                also_text: true,
            } => words.push(hex.as_str()),
            _ => return (Vec::new(), false),
        }
    }
    if words.is_empty() {
        return (Vec::new(), false);
    }
    let list = match crate::server::inventory::catalog(state, &caller.credentials).await {
        Ok(list) => list,
        Err(e) => {
            tracing::debug!(error = %e, "search: the catalog could not be read; no repository by name");
            return (Vec::new(), false);
        }
    };
    let matched: Vec<String> = list
        .repositories
        .iter()
        .filter(|name| {
            let name = name.to_lowercase();
            words.iter().all(|w| name.contains(w))
        })
        .take(MAX_REPOS + 1)
        .cloned()
        .collect();
    // Only those the searcher may read, as for tags: a token registry may
    // list repositories in the catalog that the user cannot pull.
    let mut named = match super::visibility::readable(state, &caller.credentials, matched).await {
        Ok(named) => named,
        Err(e) => {
            tracing::debug!(error = %e, "search: repositories by name could not be checked");
            return (Vec::new(), false);
        }
    };
    let more = named.len() > MAX_REPOS;
    named.truncate(MAX_REPOS);
    (named, more)
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
