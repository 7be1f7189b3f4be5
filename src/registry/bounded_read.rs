//! Reading registry answers with a ceiling: a registry's body is untrusted
//! input, and one that never ends must not fill Berth's memory.

use reqwest::Response;

use super::error::RegistryError;
use super::transport::describe_transport_error;

/// Manifests larger than this are refused: the spec suggests 4 MiB.
pub const MAX_MANIFEST_BYTES: usize = 4 * 1024 * 1024;
/// Config blobs are JSON and small; refuse anything that is clearly not.
pub const MAX_CONFIG_BYTES: usize = 8 * 1024 * 1024;
/// One page of a catalog or tag list: 8 MiB holds about 200,000 names.
pub const MAX_LIST_PAGE_BYTES: usize = 8 * 1024 * 1024;
/// What Berth reads of an error answer: enough for any real envelope.
pub const MAX_ERROR_BYTES: usize = 64 * 1024;

/// Reads a body of at most `limit` bytes; a longer one is an error, and
/// reading stops there (a declared `Content-Length` past it is refused
/// before reading anything).
pub(crate) async fn read_limited(
    mut resp: Response,
    limit: usize,
    what: &'static str,
) -> Result<Vec<u8>, RegistryError> {
    let too_large = || RegistryError::TooLarge { what, limit };
    if resp.content_length().is_some_and(|n| n > limit as u64) {
        return Err(too_large());
    }
    let mut out = Vec::new();
    while let Some(chunk) = resp.chunk().await.map_err(|e| {
        RegistryError::Protocol(format!(
            "the answer broke off: {}",
            describe_transport_error(&e)
        ))
    })? {
        if out.len() + chunk.len() > limit {
            return Err(too_large());
        }
        out.extend_from_slice(&chunk);
    }
    Ok(out)
}

/// The first `limit` bytes of a body whose rest does not matter (an error
/// answer); a body that breaks off gives what arrived.
pub(crate) async fn read_prefix(mut resp: Response, limit: usize) -> Vec<u8> {
    let mut out = Vec::new();
    while let Ok(Some(chunk)) = resp.chunk().await {
        let room = limit - out.len();
        out.extend_from_slice(&chunk[..chunk.len().min(room)]);
        if out.len() >= limit {
            break;
        }
    }
    out
}
