//! `GET /download/<repo>/-/<tag>?path=…[&layer=n][&platform=…]`: one file
//! streamed out of its layer, as an attachment of a type no browser
//! renders, so an image's HTML never runs as Berth's.

use axum::body::{Body, Bytes};
use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use tower_sessions::Session;

use super::audit::RequestMeta;
use super::image_files::{locate, open, Opened};
use super::image_target::layer_error;
use super::session;
use super::state::AppState;
use crate::error::AppError;
use crate::layers::listing::Kind;
use crate::model::files::FilesQuery;
use crate::t;

pub async fn download(
    State(state): State<AppState>,
    meta: RequestMeta,
    session: Session,
    Path(rest): Path<String>,
    Query(query): Query<FilesQuery>,
) -> Response {
    let caller = match session::caller(&state, &session, meta).await {
        Ok(c) => c,
        Err(e) => return e.into_response(),
    };
    // Downloads are counted per user.
    let user = caller.viewer.username.clone();
    match crate::layers::reader::scope(user, stream(&state, &caller, &rest, query)).await {
        Ok(response) => response,
        Err(e) => shown_to(&caller, e).into_response(),
    }
}

/// A failed download as its caller may see it: the whole error goes to the
/// log with the request id; a non-admin gets that id instead of registry
/// and I/O detail, as server functions do (`api::serve`).
fn shown_to(caller: &session::Caller, e: AppError) -> AppError {
    let request_id = super::request_id::current();
    if e.status() >= 500 {
        tracing::warn!(%request_id, error = %e, "download failed");
    }
    if caller.viewer.role == crate::model::Role::Admin {
        e
    } else {
        e.withheld(&request_id)
    }
}

async fn stream(
    state: &AppState,
    caller: &session::Caller,
    rest: &str,
    query: FilesQuery,
) -> Result<Response, AppError> {
    let creds = &caller.credentials;
    let (repo, tag) = rest
        .trim_matches('/')
        .split_once("/-/")
        .ok_or_else(|| AppError::BadRequest(t!("files-bad-download")))?;
    let path = query
        .path
        .as_deref()
        .filter(|p| !p.trim().is_empty())
        .ok_or_else(|| AppError::BadRequest(t!("files-bad-download")))?;
    let Opened {
        target,
        merged,
        layer_entries,
    } = open(state, creds, repo, tag, &query).await?;
    let empty = crate::layers::merged::Merged::default();
    let located = locate(
        state,
        creds,
        &target,
        merged.as_deref().unwrap_or(&empty),
        layer_entries.as_deref(),
        query.layer,
        path,
    )
    .await?;
    if located.entry.kind != Kind::File {
        return Err(AppError::NotFound(t!(
            "files-not-a-file",
            path = format!("/{}", located.resolved)
        )));
    }
    let layer = target
        .layers
        .get(located.layer)
        .ok_or_else(|| AppError::NotFound(t!("files-no-such-path", path = path.to_string())))?;
    let size = located.entry.size;
    let rx = state
        .layers()
        .stream_file(state.registry(), creds, layer, &located.entry)
        .await
        .map_err(layer_error)?;
    let body = futures::stream::unfold(rx, |mut rx| async move {
        rx.recv().await.map(|item| (item.map(Bytes::from), rx))
    });
    let name = located
        .resolved
        .rsplit('/')
        .next()
        .filter(|n| !n.is_empty())
        .unwrap_or("file")
        .to_string();
    Ok((
        [
            (header::CONTENT_TYPE, "application/octet-stream".to_string()),
            (header::CONTENT_DISPOSITION, disposition(&name)),
            (header::CONTENT_LENGTH, size.to_string()),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff".to_string()),
            // Whatever a browser makes of it, it runs nothing.
            (header::CONTENT_SECURITY_POLICY, "sandbox".to_string()),
            (header::CACHE_CONTROL, "private, no-store".to_string()),
        ],
        Body::from_stream(body),
    )
        .into_response())
}

/// `attachment` with an ASCII fallback name and the real one in RFC 5987
/// form: a quote, a control byte or a non-ASCII name cannot break the
/// header.
fn disposition(name: &str) -> String {
    let ascii: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || "._-+".contains(c) {
                c
            } else {
                '_'
            }
        })
        .collect();
    format!(
        "attachment; filename=\"{ascii}\"; filename*=UTF-8''{}",
        crate::routes::encode(name)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_cannot_break_the_header() {
        assert_eq!(
            disposition("os-release"),
            "attachment; filename=\"os-release\"; filename*=UTF-8''os%2Drelease"
        );
        let d = disposition("a\"b\r\nc é.txt");
        assert!(d.starts_with("attachment; filename=\"a_b__c__.txt\"; filename*=UTF-8''"));
        assert!(!d.contains('\r') && !d.contains('\n'));
    }
}
