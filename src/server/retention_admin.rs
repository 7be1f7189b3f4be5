//! `/admin/retention` on the server: the page's data (policies, runs, the
//! form), a run with its report, the plan as JSON, and the plain forms that
//! save and delete policies and start dry runs and applies. Admins only;
//! every form carries the session's anti-CSRF token and answers with
//! Post/Redirect/Get, so all of it works without JavaScript.

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Redirect, Response};
use tower_sessions::Session;

use super::audit::{self, Action, RequestMeta, Subject};
use super::session::{self, Caller};
use super::state::AppState;
use crate::error::AppError;
use crate::model::retention::{PolicyForm, PolicyRow, RetentionPage, RunReport, RunView};
use crate::retention::apply::Actor;
use crate::retention::policy::{Policy, Source};
use crate::retention::runs::{self, Kind, Run};
use crate::t;

/// Runs listed on the page.
const RECENT_RUNS: i64 = 20;
/// A form that failed its checks, kept in the session for the page after
/// the redirect.
const DRAFT_KEY: &str = "retention_draft";

fn unavailable(e: String) -> AppError {
    tracing::error!(error = %e, "retention: the database failed");
    AppError::Unavailable(t!("retention-error-database"))
}

/// The rules of a policy in words.
fn rules(p: &Policy) -> Vec<String> {
    let s = &p.spec;
    let mut out = Vec::new();
    if let Some(n) = s.keep_last {
        out.push(t!("retention-rule-last", n = n));
    }
    if let Some(n) = s.keep_versions {
        out.push(t!("retention-rule-versions", n = n));
    }
    if let Some(n) = s.keep_days {
        out.push(t!("retention-rule-days", n = n));
    }
    if let Some(n) = s.keep_pulled_days {
        out.push(t!("retention-rule-pulled", n = n));
    }
    if !s.keep.is_empty() {
        out.push(t!("retention-rule-keep", globs = s.keep.join(", ")));
    }
    if out.is_empty() {
        out.push(t!("retention-rule-none"));
    }
    out
}

fn row(p: &Policy, updated: String, now_ms: i64) -> PolicyRow {
    let s = &p.spec;
    let filter = match (&s.tags, &s.tags_regex) {
        (Some(g), _) => g.clone(),
        (None, Some(r)) => format!("/{r}/"),
        (None, None) => String::new(),
    };
    let tags = if filter.is_empty() {
        String::new()
    } else if s.tags_exclude {
        t!("retention-tags-except", filter = filter)
    } else {
        filter
    };
    PolicyRow {
        name: s.name.clone(),
        source: match p.source {
            Source::File => "file".into(),
            Source::Database => "database".into(),
        },
        repositories: s.repositories.clone(),
        tags,
        rules: rules(p),
        schedule: s.schedule.clone().unwrap_or_default(),
        next_run_ms: p
            .schedule()
            .and_then(|c| crate::retention::schedule::next(c, now_ms)),
        updated,
    }
}

/// The page's data. `edit` fills the form with a stored policy; a draft
/// left by a failed save wins over it.
pub async fn page(
    state: &AppState,
    caller: &Caller,
    edit: Option<String>,
    draft: Option<(PolicyForm, String)>,
) -> Result<RetentionPage, AppError> {
    caller.require_admin()?;
    let now = super::clock::now_ms();
    let settings = state.settings();
    let (file, file_error, mut policies) =
        match crate::retention::load::file_policies(settings.retention_file.as_deref()) {
            Ok(list) => (list, String::new(), Vec::new()),
            Err(e) => (Vec::new(), e, Vec::new()),
        };
    let fmt = crate::i18n::Fmt::current();
    for p in &file {
        policies.push(row(p, String::new(), now));
    }
    let stored = crate::retention::load::stored_policies(state)
        .await
        .map_err(unavailable)?;
    let mut form = PolicyForm {
        tags_kind: "glob".into(),
        ..Default::default()
    };
    for (p, at, by) in &stored {
        if file.iter().any(|f| f.name() == p.name()) {
            continue;
        }
        if edit.as_deref() == Some(p.name()) {
            form = crate::retention::form::form_of(&p.spec);
        }
        let updated = t!(
            "retention-updated",
            who = by.clone(),
            when = fmt.instant(*at)
        );
        policies.push(row(p, updated, now));
    }
    let (form, form_error) = match draft {
        Some((form, error)) => (form, error),
        None => (form, String::new()),
    };
    let runs = state
        .database()
        .retention_runs(RECENT_RUNS)
        .await
        .map_err(unavailable)?;
    let pulls_seen = state.database().any_pulls().await.map_err(unavailable)?;
    Ok(RetentionPage {
        policies,
        runs,
        form,
        form_error,
        file: settings
            .retention_file
            .as_ref()
            .map(|p| p.display().to_string())
            .unwrap_or_default(),
        file_error,
        protected: settings
            .protected_tags
            .patterns()
            .map(str::to_string)
            .collect(),
        pulls_seen,
        read_only: settings.read_only,
        csrf: caller.viewer.csrf.clone(),
    })
}

/// One run and its report.
pub async fn run_view(state: &AppState, caller: &Caller, id: i64) -> Result<RunView, AppError> {
    caller.require_admin()?;
    let Some((run, report)) = state
        .database()
        .retention_run(id)
        .await
        .map_err(unavailable)?
    else {
        return Err(AppError::NotFound(t!("retention-no-run", id = id)));
    };
    let report: RunReport = if report.is_empty() {
        RunReport::default()
    } else {
        serde_json::from_str(&report).map_err(|e| unavailable(e.to_string()))?
    };
    let outdated = outdated(state, &run, &report).await?;
    Ok(RunView {
        run,
        report,
        csrf: caller.viewer.csrf.clone(),
        can_delete: caller.viewer.can_delete,
        outdated,
    })
}

/// Why a run's plan may no longer be applied: a policy it ran was deleted,
/// or saved again, after the run started. Empty when none was. (Policies
/// of `BERTH_RETENTION_FILE` carry no time; they count as unchanged.)
async fn outdated(
    state: &AppState,
    run: &crate::model::retention::RunRow,
    report: &RunReport,
) -> Result<String, AppError> {
    let mut names: Vec<String> = match &report.plan {
        Some(plan) => plan.policies.iter().map(|p| p.name.clone()).collect(),
        None => Vec::new(),
    };
    if !run.policy.is_empty() && !names.contains(&run.policy) {
        names.push(run.policy.clone());
    }
    let stored = state
        .database()
        .retention_policies()
        .await
        .map_err(unavailable)?;
    let file = crate::retention::load::file_policies(state.settings().retention_file.as_deref())
        .unwrap_or_default();
    for name in names {
        match stored.iter().find(|p| p.name == name) {
            Some(p) if p.updated_ms > run.started_ms => {
                return Ok(t!("retention-outdated-changed", name = name))
            }
            Some(_) => {}
            None if file.iter().any(|p| p.name() == name) => {}
            None => return Ok(t!("retention-outdated-deleted", name = name)),
        }
    }
    Ok(String::new())
}

/// The form a failed save left, taken out of the session.
pub async fn take_draft(session: &Session) -> Option<(PolicyForm, String)> {
    session
        .remove::<(PolicyForm, String)>(DRAFT_KEY)
        .await
        .ok()
        .flatten()
}

/// `GET /admin/retention/runs/{id}/plan.json`: the run's plan in the shape
/// `berth retention run --json` prints.
pub async fn plan_json(
    State(state): State<AppState>,
    meta: RequestMeta,
    session: Session,
    Path(id): Path<i64>,
) -> Response {
    let result = async {
        let caller = session::caller(&state, &session, meta).await?;
        let view = run_view(&state, &caller, id).await?;
        view.report
            .plan
            .ok_or_else(|| AppError::NotFound(t!("retention-no-plan", id = id)))
    }
    .await;
    match result {
        Ok(plan) => (
            [
                (header::CONTENT_TYPE, "application/json".to_string()),
                (
                    header::CONTENT_DISPOSITION,
                    format!("attachment; filename=\"retention-plan-{id}.json\""),
                ),
            ],
            serde_json::to_string_pretty(&plan).unwrap_or_default(),
        )
            .into_response(),
        Err(e) => e.into_response(),
    }
}

fn field(fields: &[(String, String)], name: &str) -> String {
    super::forms::field(fields, name).trim().to_string()
}

/// The admin behind a form, with a token that checks out, and the form's
/// fields; else the error's own page.
async fn admin_form(
    state: &AppState,
    session: &Session,
    meta: RequestMeta,
    body: &[u8],
) -> Result<(Caller, Vec<(String, String)>), Response> {
    let f = super::forms::fields(body);
    let caller = session::caller(state, session, meta)
        .await
        .and_then(|c| c.require_admin().map(|()| c))
        .and_then(|c| c.check_csrf(&field(&f, "csrf")).map(|()| c))
        .map_err(IntoResponse::into_response)?;
    Ok((caller, f))
}

/// `POST /actions/retention/policy`: saves the form's policy, or goes back
/// to the form with it and what is wrong.
pub async fn save_policy(
    State(state): State<AppState>,
    meta: RequestMeta,
    session: Session,
    body: Bytes,
) -> Response {
    let (caller, f) = match admin_form(&state, &session, meta, &body).await {
        Ok(admin) => admin,
        Err(refused) => return refused,
    };
    let form = crate::retention::form::from_fields(&f);
    match save(&state, &caller, &form).await {
        Ok(()) => Redirect::to(&format!(
            "/admin/retention?saved={}",
            crate::routes::encode(&form.name)
        ))
        .into_response(),
        Err(AppError::BadRequest(why)) => {
            if let Err(e) = session.insert(DRAFT_KEY, (form, why)).await {
                tracing::warn!(error = %e, "retention: a draft could not be kept");
            }
            Redirect::to("/admin/retention?draft=1#policy-form").into_response()
        }
        Err(e) => e.into_response(),
    }
}

async fn save(state: &AppState, caller: &Caller, form: &PolicyForm) -> Result<(), AppError> {
    let spec = crate::retention::form::spec_of(form).map_err(AppError::BadRequest)?;
    let policy =
        Policy::check(spec, Source::Database).map_err(|e| AppError::BadRequest(e.to_string()))?;
    let file = crate::retention::load::file_policies(state.settings().retention_file.as_deref())
        .unwrap_or_default();
    if file.iter().any(|p| p.name() == policy.name()) {
        return Err(AppError::BadRequest(t!(
            "retention-name-in-file",
            name = policy.name().to_string()
        )));
    }
    // The row first: no change to a policy without one.
    let (action, detail) = if form.original.is_empty() {
        (Action::PolicyCreate, policy_named(policy.name()))
    } else if form.original == policy.name() {
        (Action::PolicyEdit, policy_named(policy.name()))
    } else {
        (
            Action::PolicyEdit,
            format!(
                "{} (was \"{}\")",
                policy_named(policy.name()),
                form.original
            ),
        )
    };
    let row = audit::start(state, caller, action, subject(detail)).await?;
    let outcome = write(state, caller, form, &policy).await;
    row.finish(state, &outcome).await;
    outcome
}

/// A policy as the audit log names it.
fn policy_named(name: &str) -> String {
    format!("policy \"{name}\"")
}

fn subject(detail: String) -> Subject {
    Subject {
        detail,
        ..Default::default()
    }
}

async fn write(
    state: &AppState,
    caller: &Caller,
    form: &PolicyForm,
    policy: &Policy,
) -> Result<(), AppError> {
    let saved = state
        .database()
        .retention_policy_save(
            &form.original,
            &crate::store::retention::StoredPolicy {
                name: policy.name().to_string(),
                spec: policy.to_toml(),
                updated_ms: super::clock::now_ms(),
                updated_by: caller.viewer.username.clone(),
            },
        )
        .await
        .map_err(unavailable)?;
    if !saved {
        return Err(AppError::BadRequest(t!(
            "retention-name-taken",
            name = policy.name().to_string()
        )));
    }
    tracing::info!(user = %caller.viewer.username, policy = %policy.name(), "retention policy saved");
    Ok(())
}

/// `POST /actions/retention/delete-policy`: deletes a stored policy (only
/// the policy: no image).
pub async fn delete_policy(
    State(state): State<AppState>,
    meta: RequestMeta,
    session: Session,
    body: Bytes,
) -> Response {
    let (caller, f) = match admin_form(&state, &session, meta, &body).await {
        Ok(admin) => admin,
        Err(refused) => return refused,
    };
    let name = field(&f, "name");
    // The page asks first (the button opens a confirmation); a request
    // without it deletes nothing.
    if field(&f, "confirm") != "yes" {
        return AppError::BadRequest(t!("retention-delete-unconfirmed", name = name))
            .into_response();
    }
    let row = match audit::start(
        &state,
        &caller,
        Action::PolicyDelete,
        subject(policy_named(&name)),
    )
    .await
    {
        Ok(row) => row,
        Err(e) => return e.into_response(),
    };
    let outcome = match state.database().retention_policy_delete(&name).await {
        Ok(true) => Ok(()),
        Ok(false) => Err(AppError::NotFound(t!(
            "retention-no-policy",
            name = name.clone()
        ))),
        Err(e) => Err(unavailable(e)),
    };
    row.finish(&state, &outcome).await;
    match outcome {
        Ok(()) => {
            tracing::info!(user = %caller.viewer.username, policy = %name, "retention policy deleted");
            Redirect::to("/admin/retention?removed=1").into_response()
        }
        Err(e) => e.into_response(),
    }
}

/// `POST /actions/retention/run`: a dry run (`apply` empty) or the apply
/// of the reviewed plan (`apply` = its hash), of one policy or all; the
/// run goes on in the background and its page follows it.
pub async fn start_run(
    State(state): State<AppState>,
    meta: RequestMeta,
    session: Session,
    body: Bytes,
) -> Response {
    let (caller, f) = match admin_form(&state, &session, meta.clone(), &body).await {
        Ok(admin) => admin,
        Err(refused) => return refused,
    };
    let reviewed = field(&f, "plan_hash");
    let kind = if reviewed.is_empty() {
        Kind::DryRun
    } else {
        // Deleting needs the delete right (not read-only).
        if let Err(e) = caller.require_delete() {
            return e.into_response();
        }
        // A plan whose policy was deleted or edited since its dry run is
        // not applied, even from a page left open before the change.
        if let Ok(id) = field(&f, "run").parse::<i64>() {
            let reviewed_run = state.database().retention_run(id).await;
            if let Ok(Some((run, report))) = reviewed_run {
                let report: RunReport = serde_json::from_str(&report).unwrap_or_default();
                match outdated(&state, &run, &report).await {
                    Ok(why) if why.is_empty() => {}
                    Ok(why) => return AppError::Conflict(why).into_response(),
                    Err(e) => return e.into_response(),
                }
            }
        }
        Kind::Apply {
            reviewed: Some(reviewed),
        }
    };
    let policy = Some(field(&f, "policy")).filter(|p| !p.is_empty());
    let action = match kind {
        Kind::DryRun => Action::RetentionDryRun,
        Kind::Apply { .. } => Action::RetentionApply,
    };
    let detail = policy
        .as_deref()
        .map_or_else(|| "every policy".to_string(), policy_named);
    let mut row = match audit::start(&state, &caller, action, subject(detail)).await {
        Ok(row) => row,
        Err(e) => return e.into_response(),
    };
    let run = Run {
        policy,
        kind,
        cause: "manual",
        claim: None,
        actor: Actor {
            username: caller.viewer.username.clone(),
            client_ip: meta.client_ip.clone(),
            request_id: meta.request_id.clone(),
        },
    };
    // The run goes on in the background: the row says it was started, and
    // which run it is (an apply's deletes have rows of their own).
    match runs::spawn(&state, caller.credentials.clone(), run).await {
        Ok(id) => {
            row.add_detail(&format!("run {id}"));
            row.finish(&state, &Ok(())).await;
            Redirect::to(&format!("/admin/retention/runs/{id}")).into_response()
        }
        Err(e) => {
            let e = unavailable(e);
            row.finish(&state, &Err(e.clone())).await;
            e.into_response()
        }
    }
}
