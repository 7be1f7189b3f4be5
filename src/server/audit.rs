//! The audit log from the server's side: who is asking (address and request
//! id), the rows for logins, logouts, deletes and tag removals, the admin
//! page's filter as a query, and the retention task.
//!
//! A change (delete, tag removal) writes its row *before* the registry is
//! asked and refuses to go on when it cannot: there is never a delete
//! without a row. Logins and logouts are recorded after the fact; a failed
//! write there is logged, not shown (a broken database already stops
//! sessions from working).

use axum::extract::FromRequestParts;
use axum::http::request::Parts;

use super::client_ip;
use super::session::Caller;
use super::state::AppState;
use crate::error::AppError;
use crate::model::{AuditFilter, AuditRow};
use crate::store::audit::AuditQuery;

/// The request behind an action: the client's address (after trusted
/// proxies) and Berth's request id.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RequestMeta {
    pub client_ip: String,
    pub request_id: String,
}

impl RequestMeta {
    pub fn of(parts: &Parts, state: &AppState) -> Self {
        let ip = client_ip::of_request(parts, state);
        let request_id = parts
            .headers
            .get(super::request_id::HEADER)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("-")
            .to_string();
        Self {
            client_ip: ip.to_string(),
            request_id,
        }
    }
}

impl FromRequestParts<AppState> for RequestMeta {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        Ok(Self::of(parts, state))
    }
}

/// What is audited. The names are what the table and exports hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Login,
    Logout,
    Delete,
    RemoveTag,
    /// A retention policy written in the admin form for the first time.
    PolicyCreate,
    PolicyEdit,
    PolicyDelete,
    /// A retention run asked for on the admin page (a scheduled run has no
    /// requester; its deletes are audited one by one as every apply's are).
    RetentionDryRun,
    RetentionApply,
}

impl Action {
    pub const ALL: [Action; 9] = [
        Action::Login,
        Action::Logout,
        Action::Delete,
        Action::RemoveTag,
        Action::PolicyCreate,
        Action::PolicyEdit,
        Action::PolicyDelete,
        Action::RetentionDryRun,
        Action::RetentionApply,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Action::Login => "login",
            Action::Logout => "logout",
            Action::Delete => "delete",
            Action::RemoveTag => "remove-tag",
            Action::PolicyCreate => "policy-create",
            Action::PolicyEdit => "policy-edit",
            Action::PolicyDelete => "policy-delete",
            Action::RetentionDryRun => "retention-dry-run",
            Action::RetentionApply => "retention-apply",
        }
    }
}

/// What an action was about.
#[derive(Debug, Clone, Default)]
pub struct Subject {
    pub repository: String,
    pub tags: Vec<String>,
    pub digest: String,
    /// What the row says besides (a policy's name); an error is added to it.
    pub detail: String,
}

/// Records an action that already happened (login, logout). A row that
/// cannot be written is logged with everything it would have held.
pub async fn record(
    state: &AppState,
    username: &str,
    meta: &RequestMeta,
    action: Action,
    result: &str,
    detail: &str,
) {
    match action {
        Action::Login => {
            metrics::counter!(super::metrics::LOGINS, "result" => result.to_string()).increment(1)
        }
        Action::Logout => {
            metrics::counter!(super::metrics::LOGOUTS, "result" => result.to_string()).increment(1)
        }
        _ => {}
    }
    let row = AuditRow {
        at_ms: super::clock::now_ms(),
        username: username.to_string(),
        client_ip: meta.client_ip.clone(),
        request_id: meta.request_id.clone(),
        action: action.as_str().into(),
        result: result.into(),
        detail: detail.into(),
        ..Default::default()
    };
    if let Err(e) = state.database().audit_insert(&row).await {
        tracing::error!(error = %e, user = %username, action = action.as_str(), result, "could not write an audit row");
    }
}

/// A change whose row is written; `finish` records how it ended.
pub struct Started {
    id: i64,
    action: Action,
    detail: String,
}

/// Writes the row of a change about to be made. When it cannot be written
/// the change must not happen: the error says so (503).
pub async fn start(
    state: &AppState,
    caller: &Caller,
    action: Action,
    subject: Subject,
) -> Result<Started, AppError> {
    let row = AuditRow {
        at_ms: super::clock::now_ms(),
        username: caller.viewer.username.clone(),
        client_ip: caller.request.client_ip.clone(),
        request_id: caller.request.request_id.clone(),
        action: action.as_str().into(),
        repository: subject.repository,
        tags: subject.tags,
        digest: subject.digest,
        result: "started".into(),
        detail: subject.detail,
        ..Default::default()
    };
    match state.database().audit_insert(&row).await {
        Ok(id) => Ok(Started {
            id,
            action,
            detail: row.detail,
        }),
        Err(e) => {
            metrics::counter!(super::metrics::CHANGES, "action" => action.as_str(), "result" => "unaudited").increment(1);
            tracing::error!(error = %e, user = %row.username, action = action.as_str(), repository = %row.repository, "audit log unwritable: change refused");
            Err(AppError::Unavailable(crate::t!("error-audit-unwritable")))
        }
    }
}

impl Started {
    /// Adds to what the row will say when it is finished (a run's number).
    pub fn add_detail(&mut self, more: &str) {
        if !self.detail.is_empty() {
            self.detail.push_str(", ");
        }
        self.detail.push_str(more);
    }

    /// Records the outcome. The change has happened (or failed) by now, so
    /// a failure here is logged; the row stays `started`, which still tells
    /// an auditor the change was attempted.
    pub async fn finish(self, state: &AppState, outcome: &Result<(), AppError>) {
        let with = |why: String| match self.detail.as_str() {
            "" => why,
            what => format!("{what}: {why}"),
        };
        let (result, detail) = match outcome {
            Ok(()) => ("ok", self.detail.clone()),
            Err(e) if e.status() < 500 => ("refused", with(e.to_string())),
            Err(e) => ("failed", with(e.to_string())),
        };
        metrics::counter!(super::metrics::CHANGES, "action" => self.action.as_str(), "result" => result)
            .increment(1);
        if let Err(e) = state
            .database()
            .audit_finish(self.id, result, &detail)
            .await
        {
            tracing::error!(error = %e, id = self.id, result, "could not record how an audited change ended");
        }
    }
}

/// Start of a `YYYY-MM-DD` day (UTC), in Unix milliseconds.
fn day_start_ms(day: &str, setting: &str) -> Result<i64, AppError> {
    chrono::NaiveDate::parse_from_str(day.trim(), "%Y-%m-%d")
        .ok()
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .map(|t| t.and_utc().timestamp_millis())
        .ok_or_else(|| {
            AppError::BadRequest(crate::t!(
                "error-bad-date",
                setting = setting,
                value = format!("{:?}", crate::format::cut(day, 40))
            ))
        })
}

/// The page's filter as a query; a bad date or an unknown action is a 400.
pub fn query_of(filter: &AuditFilter) -> Result<AuditQuery, AppError> {
    let text = |s: &str| {
        let s = s.trim();
        (!s.is_empty()).then(|| s.chars().take(300).collect::<String>())
    };
    let action = match text(&filter.action) {
        Some(a) if Action::ALL.iter().any(|x| x.as_str() == a) => Some(a),
        Some(a) => {
            return Err(AppError::BadRequest(crate::t!(
                "error-bad-audit-action",
                actions = Action::ALL.map(Action::as_str).join(", "),
                value = format!("{:?}", crate::format::cut(&a, 40))
            )))
        }
        None => None,
    };
    let from_ms = text(&filter.since)
        .map(|d| day_start_ms(&d, "since"))
        .transpose()?;
    let before_ms = text(&filter.until)
        .map(|d| day_start_ms(&d, "until").map(|t| t + 86_400_000))
        .transpose()?;
    Ok(AuditQuery {
        username: text(&filter.user),
        repository: text(&filter.repository),
        action,
        from_ms,
        before_ms,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filters_become_queries_with_whole_days() {
        let q = query_of(&AuditFilter {
            user: " alice ".into(),
            repository: "team-a/".into(),
            action: "delete".into(),
            since: "2026-11-01".into(),
            until: "2026-11-01".into(),
        })
        .unwrap();
        assert_eq!(q.username.as_deref(), Some("alice"));
        assert_eq!(q.repository.as_deref(), Some("team-a/"));
        let day = 86_400_000;
        assert_eq!(q.before_ms.unwrap() - q.from_ms.unwrap(), day);
        assert_eq!(q.from_ms.unwrap() % day, 0);
        assert_eq!(
            query_of(&AuditFilter::default()).unwrap(),
            AuditQuery::default()
        );
    }

    #[test]
    fn bad_dates_and_unknown_actions_are_refused() {
        let bad_date = AuditFilter {
            since: "yesterday".into(),
            ..Default::default()
        };
        assert_eq!(query_of(&bad_date).unwrap_err().status(), 400);
        let bad_action = AuditFilter {
            action: "drop table".into(),
            ..Default::default()
        };
        assert_eq!(query_of(&bad_action).unwrap_err().status(), 400);
    }
}
