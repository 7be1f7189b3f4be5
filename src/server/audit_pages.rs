//! Reading the audit log for admins: one page of it for `/admin/audit`, and
//! the whole filtered log as CSV or JSON lines (`/admin/audit/export`),
//! streamed in batches so a year of rows never sits in memory at once.

use axum::body::Body;
use axum::extract::{Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use futures::stream::{self, StreamExt};
use tower_sessions::Session;

use super::audit::{query_of, RequestMeta};
use super::session;
use super::state::AppState;
use crate::error::AppError;
use crate::model::{AuditFilter, AuditPage, AuditRow};
use crate::paging::Paging;
use crate::store::audit::AuditQuery;

/// Rows per page of `/admin/audit`.
pub const PER_PAGE: usize = 100;
/// Rows read per database round trip while exporting.
const EXPORT_BATCH: u64 = 1_000;

fn unavailable(e: String) -> AppError {
    tracing::error!(error = %e, "reading the audit log failed");
    AppError::Unavailable(crate::t!("error-audit-unreadable"))
}

pub async fn page(
    state: &AppState,
    filter: &AuditFilter,
    page: usize,
) -> Result<AuditPage, AppError> {
    let query = query_of(filter)?;
    let db = state.database();
    let total = db.audit_count(&query).await.map_err(unavailable)?;
    let paging = Paging::new(usize::try_from(total).unwrap_or(usize::MAX), PER_PAGE, page);
    let offset = ((paging.page - 1) * PER_PAGE) as u64;
    let rows = db
        .audit_rows(&query, None, offset, PER_PAGE as u64)
        .await
        .map_err(unavailable)?;
    Ok(AuditPage {
        rows,
        paging,
        keep_days: state.settings().audit_days,
    })
}

/// The filter fields plus the export format.
#[derive(serde::Deserialize)]
pub struct ExportParams {
    #[serde(default)]
    format: String,
    #[serde(flatten)]
    filter: AuditFilter,
}

#[derive(Clone, Copy)]
enum Format {
    Csv,
    JsonLines,
}

const CSV_HEADER: [&str; 11] = [
    "id",
    "time",
    "user",
    "client_ip",
    "request_id",
    "action",
    "repository",
    "tags",
    "digest",
    "result",
    "detail",
];

fn csv_line(fields: &[&str]) -> Vec<u8> {
    let mut w = csv::WriterBuilder::new().from_writer(Vec::new());
    // Writing to a Vec cannot fail.
    let _ = w.write_record(fields);
    w.into_inner().unwrap_or_default()
}

/// One row in the export's format. CSV cells that a spreadsheet would run
/// as a formula (`=`, `+`, `-`, `@` first) get a leading `'`: names and
/// details come from users and the registry.
fn encode(row: &AuditRow, format: Format) -> Vec<u8> {
    match format {
        Format::JsonLines => {
            let mut line = serde_json::to_vec(&serde_json::json!({
                "id": row.id,
                "time": chrono::DateTime::from_timestamp_millis(row.at_ms).map(|t| t.to_rfc3339()),
                "user": row.username,
                "client_ip": row.client_ip,
                "request_id": row.request_id,
                "action": row.action,
                "repository": row.repository,
                "tags": row.tags,
                "digest": row.digest,
                "result": row.result,
                "detail": row.detail,
            }))
            .unwrap_or_default();
            line.push(b'\n');
            line
        }
        Format::Csv => {
            let safe = |s: &str| {
                if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
                    format!("'{s}")
                } else {
                    s.to_string()
                }
            };
            let time = chrono::DateTime::from_timestamp_millis(row.at_ms)
                .map(|t| t.to_rfc3339())
                .unwrap_or_default();
            let fields = [
                row.id.to_string(),
                time,
                safe(&row.username),
                row.client_ip.clone(),
                row.request_id.clone(),
                row.action.clone(),
                safe(&row.repository),
                safe(&row.tags.join(" ")),
                row.digest.clone(),
                row.result.clone(),
                safe(&row.detail),
            ];
            csv_line(&fields.iter().map(String::as_str).collect::<Vec<_>>())
        }
    }
}

/// `GET /admin/audit/export?format=csv|jsonl&user=…`: every matching row,
/// newest first, as a download. Admins only.
pub async fn export(
    State(state): State<AppState>,
    meta: RequestMeta,
    session: Session,
    Query(params): Query<ExportParams>,
) -> Response {
    match export_inner(state, meta, session, params).await {
        Ok(resp) => resp,
        Err(e) => e.into_response(),
    }
}

async fn export_inner(
    state: AppState,
    meta: RequestMeta,
    session: Session,
    params: ExportParams,
) -> Result<Response, AppError> {
    let caller = session::caller(&state, &session, meta).await?;
    caller.require_admin()?;
    let (format, content_type, ext) = match params.format.as_str() {
        "csv" | "" => (Format::Csv, "text/csv; charset=utf-8", "csv"),
        "jsonl" => (Format::JsonLines, "application/x-ndjson", "jsonl"),
        other => {
            return Err(AppError::BadRequest(crate::t!(
                "error-bad-export-format",
                value = format!("{:?}", crate::format::cut(other, 20))
            )))
        }
    };
    let query = query_of(&params.filter)?;
    // The first batch is read before answering, so a broken database is an
    // honest 503, not a 200 with an empty file.
    let db = state.database().clone();
    let first = db
        .audit_rows(&query, None, 0, EXPORT_BATCH)
        .await
        .map_err(unavailable)?;
    let header = match format {
        Format::Csv => csv_line(&CSV_HEADER),
        Format::JsonLines => Vec::new(),
    };
    // Fused: the compression layer may poll again after the end, which a
    // bare `unfold` does not allow.
    let body = stream::once(async move { Ok::<_, std::io::Error>(header) })
        .chain(stream::unfold(
            Some((first, db, query)),
            move |state| async move {
                let (rows, db, query): (Vec<AuditRow>, crate::store::Database, AuditQuery) = state?;
                if rows.is_empty() {
                    return None;
                }
                let bytes: Vec<u8> = rows.iter().flat_map(|r| encode(r, format)).collect();
                let next = if rows.len() < EXPORT_BATCH as usize {
                    None
                } else {
                    let last = rows.last().map(|r| r.id);
                    match db.audit_rows(&query, last, 0, EXPORT_BATCH).await {
                        Ok(more) => Some((more, db, query)),
                        Err(e) => {
                            // Headers are sent: all that is left is to cut the
                            // download short, which the client sees as an error.
                            tracing::error!(error = %e, "audit export stopped");
                            return Some((
                                Err(std::io::Error::other("audit log read failed")),
                                None,
                            ));
                        }
                    }
                };
                Some((Ok(bytes), next))
            },
        ))
        // Fused: the compression layer may poll again after the end, which a
        // bare `unfold` does not allow.
        .fuse();
    let stamp = chrono::Utc::now().format("%Y%m%d-%H%M%S");
    Ok((
        [
            (header::CONTENT_TYPE, content_type.to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"berth-audit-{stamp}.{ext}\""),
            ),
        ],
        Body::from_stream(body),
    )
        .into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(user: &str, detail: &str) -> AuditRow {
        AuditRow {
            id: 7,
            at_ms: 1_764_288_000_000,
            username: user.into(),
            client_ip: "10.0.0.1".into(),
            request_id: "abc".into(),
            action: "delete".into(),
            repository: "team-a/app".into(),
            tags: vec!["1.0".into(), "latest".into()],
            digest: "sha256:00".into(),
            result: "ok".into(),
            detail: detail.into(),
        }
    }

    #[test]
    fn csv_quotes_and_defuses_formulas() {
        let line =
            String::from_utf8(encode(&row("=cmd()", "said \"no\", twice"), Format::Csv)).unwrap();
        assert_eq!(
            line,
            "7,2025-11-28T00:00:00+00:00,'=cmd(),10.0.0.1,abc,delete,team-a/app,1.0 latest,sha256:00,ok,\"said \"\"no\"\", twice\"\n"
        );
    }

    #[test]
    fn json_lines_are_one_object_per_line() {
        let line = String::from_utf8(encode(&row("alice", "a\nb"), Format::JsonLines)).unwrap();
        assert_eq!(line.matches('\n').count(), 1);
        let v: serde_json::Value = serde_json::from_str(line.trim_end()).unwrap();
        assert_eq!(v["tags"][1], "latest");
        assert_eq!(v["detail"], "a\nb");
        assert_eq!(v["time"], "2025-11-28T00:00:00+00:00");
    }
}
