//! What `/activity` and a repository's activity show: registry events from
//! the database, limited to the repositories the caller may read, as search
//! limits them (`index::visibility`): in `registry` mode nobody learns
//! through Berth of the tags, digests, actors or addresses of a repository
//! their own credentials cannot pull, even one their catalog lists.

use std::collections::HashSet;

use super::session::Caller;
use super::state::AppState;
use crate::error::AppError;
use crate::model::ActivityPage;
use crate::paging::Paging;
use crate::registry::RepositoryName;

/// Rows per page of `/activity`.
pub const PER_PAGE: usize = 100;
/// The newest events looked at; older ones are not listed (the page says
/// "recent").
const WINDOW: u64 = 5_000;

/// Which events to list; empty fields are "any".
#[derive(Debug, Clone, Default)]
pub struct EventFilter<'a> {
    pub action: Option<&'a str>,
    /// Exactly this repository (a repository's own activity).
    pub repository: Option<&'a str>,
    /// Repositories whose name holds this (the `/activity` filter).
    pub repository_contains: Option<&'a str>,
    /// The registry account that acted, exactly.
    pub user: Option<&'a str>,
    /// Also cosign and referrers tags (`sha256-…`), which are left out
    /// unless asked for: they would bury the pushes people look for.
    pub signatures: bool,
}

pub async fn page(
    state: &AppState,
    caller: &Caller,
    filter: &EventFilter<'_>,
    page: usize,
    per_page: usize,
) -> Result<ActivityPage, AppError> {
    let repository = filter.repository;
    let text = |s: Option<&str>| {
        s.map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_string)
    };
    let contains = text(filter.repository_contains).map(|s| s.to_lowercase());
    let user = text(filter.user);
    let action = match filter.action.map(str::trim).filter(|a| !a.is_empty()) {
        Some(a @ ("push" | "pull" | "delete")) => Some(a),
        Some(other) => {
            return Err(AppError::BadRequest(crate::t!(
                "error-bad-event-action",
                value = format!("{:?}", crate::format::cut(other, 20))
            )))
        }
        None => None,
    };
    let repository = match repository.map(str::trim).filter(|r| !r.is_empty()) {
        Some(r) => Some(RepositoryName::parse(r)?),
        None => None,
    };
    let events_on = state.settings().events_token.is_some();
    if !events_on {
        // Nothing is recorded, and asking the registry for a catalog here
        // could fail a page that does not need it.
        return Ok(ActivityPage {
            rows: Vec::new(),
            paging: Paging::new(0, per_page, 1),
            events_on,
            now: super::clock::now(),
        });
    }
    let rows = state
        .database()
        .recent_events(action, repository.as_ref().map(|r| r.as_str()), WINDOW)
        .await
        .map_err(|e| {
            tracing::error!(error = %e, "reading registry events failed");
            AppError::Unavailable(crate::t!("error-events-unreadable"))
        })?;
    // One repository: visible if the caller may list its tags (the same
    // check as its page). Everything: each repository the rows name, newest
    // first, checked as search checks them.
    let visible: HashSet<String> = match &repository {
        Some(repo) => {
            super::inventory::shared_tag_list(state, &caller.credentials, repo.as_str()).await?;
            HashSet::from([repo.to_string()])
        }
        None => crate::index::visibility::readable(
            state,
            &caller.credentials,
            rows.iter().map(|r| r.repository.clone()),
        )
        .await?
        .into_iter()
        .collect(),
    };
    let rows: Vec<_> = rows
        .into_iter()
        .filter(|r| {
            contains
                .as_ref()
                .is_none_or(|c| r.repository.to_lowercase().contains(c))
        })
        .filter(|r| user.as_ref().is_none_or(|u| &r.actor == u))
        .filter(|r| filter.signatures || crate::registry::signatures::parse_tag(&r.tag).is_none())
        .filter(|r| visible.contains(&r.repository))
        .collect();
    let paging = Paging::new(rows.len(), per_page, page);
    Ok(ActivityPage {
        rows: rows[paging.range()].to_vec(),
        paging,
        events_on,
        now: super::clock::now(),
    })
}
