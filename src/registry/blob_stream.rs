//! Large blobs (layers) as streams, never read whole: from the first byte,
//! or from an offset with `Range` where the registry serves ranges
//! (registry:2's filesystem driver does; a driver that redirects to object
//! storage may not). A 200 to a ranged request means the whole blob came,
//! and the caller skips to its offset.

use reqwest::{header, Method, Response, StatusCode};

use super::auth::Credentials;
use super::client::RegistryClient;
use super::digest::Digest;
use super::error::{check, RegistryError};
use super::names::RepositoryName;
use super::scope::Scope;

/// A layer of gigabytes over a slow link takes longer than the 30 s an
/// API call may; the reader bounds the bytes instead.
const BODY_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(30 * 60);

/// A blob's body, and where in the blob it starts.
pub struct BlobBody {
    pub response: Response,
    /// The blob offset of the body's first byte: the asked offset when the
    /// registry honoured the range, else 0.
    pub start: u64,
}

/// `bytes 100-199/1000` → 100.
fn range_start(value: &str) -> Option<u64> {
    let rest = value.trim().strip_prefix("bytes ")?;
    let (range, _total) = rest.split_once('/')?;
    let (first, _last) = range.split_once('-')?;
    first.trim().parse().ok()
}

impl RegistryClient {
    /// `GET` a blob from `from` on. The caller bounds how much it reads
    /// (the manifest gives the size) and checks the digest when it reads
    /// the whole blob.
    pub async fn blob_from(
        &self,
        creds: &Credentials,
        repo: &RepositoryName,
        digest: &Digest,
        from: u64,
    ) -> Result<BlobBody, RegistryError> {
        let url = self.url(&format!("/v2/{repo}/blobs/{digest}"))?;
        let range = format!("bytes={from}-");
        let headers: Vec<(header::HeaderName, &str)> = if from > 0 {
            vec![(header::RANGE, range.as_str())]
        } else {
            Vec::new()
        };
        let response = check(
            self.call_with(
                Method::GET,
                url,
                creds,
                Scope::Pull(repo.as_str()),
                &headers,
                Some(BODY_TIMEOUT),
            )
            .await?,
        )
        .await?;
        let start = if response.status() == StatusCode::PARTIAL_CONTENT {
            let at = response
                .headers()
                .get(header::CONTENT_RANGE)
                .and_then(|v| v.to_str().ok())
                .and_then(range_start);
            // A range other than the one asked for would put every later
            // offset wrong: refuse it rather than read garbage.
            if at != Some(from) {
                return Err(RegistryError::Protocol(format!(
                    "asked for blob bytes from {from}, got a range from {at:?}"
                )));
            }
            from
        } else {
            0
        };
        Ok(BlobBody { response, start })
    }
}

impl RegistryClient {
    /// `HEAD` a blob in `repo`: whether the repository has it for these
    /// credentials (a 404 is `NotFound`). Content keyed by digest and shared
    /// (the layer cache) is shown only after this.
    pub async fn blob_head(
        &self,
        creds: &Credentials,
        repo: &RepositoryName,
        digest: &Digest,
    ) -> Result<(), RegistryError> {
        let url = self.url(&format!("/v2/{repo}/blobs/{digest}"))?;
        check(
            self.call(Method::HEAD, url, creds, Scope::Pull(repo.as_str()), None)
                .await?,
        )
        .await
        .map(|_| ())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_range_is_read_strictly() {
        assert_eq!(range_start("bytes 100-199/1000"), Some(100));
        assert_eq!(range_start("bytes 0-0/*"), Some(0));
        assert_eq!(range_start("bytes */1000"), None);
        assert_eq!(range_start("items 1-2/3"), None);
        assert_eq!(range_start("bytes x-2/3"), None);
    }
}
