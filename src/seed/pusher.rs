use reqwest::{header, Method, StatusCode};
use url::Url;

use crate::registry::digest::sha256_of;
use crate::registry::Credentials;

/// A minimal pushing client for the Registry API.
#[derive(Clone)]
pub struct Pusher {
    http: reqwest::Client,
    base: Url,
    creds: Credentials,
}

#[derive(Debug, Clone)]
pub struct PushedImage {
    pub digest: String,
    pub media_type: String,
    /// Config + layers, compressed, as pushed.
    pub size: u64,
}

pub type PushResult<T> = Result<T, String>;

impl Pusher {
    pub fn new(base: Url, creds: Credentials) -> Self {
        // Bounded calls: a stuck registry fails the push instead of hanging it.
        let http = reqwest::Client::builder()
            .timeout(std::time::Duration::from_secs(20))
            .build()
            .unwrap_or_default();
        Self { http, base, creds }
    }

    /// With a caller's own client, e.g. one that trusts a test CA or sends
    /// a bearer token as a default header.
    pub fn with_client(http: reqwest::Client, base: Url, creds: Credentials) -> Self {
        Self { http, base, creds }
    }

    pub(crate) fn base(&self) -> &Url {
        &self.base
    }

    pub(crate) fn req(&self, method: Method, url: Url) -> reqwest::RequestBuilder {
        let rb = self.http.request(method, url);
        match &self.creds {
            Credentials::Basic { username, password } => rb.basic_auth(username, Some(password)),
            Credentials::Anonymous => rb,
        }
    }

    fn url(&self, path: &str) -> PushResult<Url> {
        self.base.join(path).map_err(|e| e.to_string())
    }

    /// Uploads a blob unless the repository already has it; returns its digest.
    pub async fn push_blob(&self, repo: &str, bytes: &[u8]) -> PushResult<String> {
        let digest = sha256_of(bytes);
        let head = self
            .req(
                Method::HEAD,
                self.url(&format!("/v2/{repo}/blobs/{digest}"))?,
            )
            .send()
            .await
            .map_err(|e| e.to_string())?;
        if head.status().is_success() {
            return Ok(digest);
        }
        let start = self
            .req(
                Method::POST,
                self.url(&format!("/v2/{repo}/blobs/uploads/"))?,
            )
            .send()
            .await
            .map_err(|e| e.to_string())?;
        self.finish_upload(start, bytes, &digest).await?;
        Ok(digest)
    }

    /// Mounts a blob from another repository (cheap: no bytes move). Falls
    /// back to an upload when the registry does not mount.
    pub async fn mount_blob(
        &self,
        repo: &str,
        from: &str,
        digest: &str,
        bytes: &[u8],
    ) -> PushResult<()> {
        let url = self.url(&format!(
            "/v2/{repo}/blobs/uploads/?mount={digest}&from={from}"
        ))?;
        let resp = self
            .req(Method::POST, url)
            .send()
            .await
            .map_err(|e| e.to_string())?;
        if resp.status() == StatusCode::CREATED {
            return Ok(());
        }
        self.finish_upload(resp, bytes, digest).await
    }

    async fn finish_upload(
        &self,
        start: reqwest::Response,
        bytes: &[u8],
        digest: &str,
    ) -> PushResult<()> {
        if start.status() != StatusCode::ACCEPTED {
            return Err(format!("upload start answered {}", start.status()));
        }
        let location = start
            .headers()
            .get(header::LOCATION)
            .and_then(|v| v.to_str().ok())
            .ok_or("upload start without Location")?;
        let mut url = self.base.join(location).map_err(|e| e.to_string())?;
        url.query_pairs_mut().append_pair("digest", digest);
        let put = self
            .req(Method::PUT, url)
            .header(header::CONTENT_TYPE, "application/octet-stream")
            .body(bytes.to_vec())
            .send()
            .await
            .map_err(|e| e.to_string())?;
        if put.status() != StatusCode::CREATED {
            return Err(format!(
                "blob put answered {}: {}",
                put.status(),
                put.text().await.unwrap_or_default()
            ));
        }
        Ok(())
    }

    /// Puts a manifest under a tag (or digest) with its own media type.
    pub async fn put_manifest(
        &self,
        repo: &str,
        reference: &str,
        media_type: &str,
        body: &[u8],
    ) -> PushResult<String> {
        let url = self.url(&format!("/v2/{repo}/manifests/{reference}"))?;
        let resp = self
            .req(Method::PUT, url)
            .header(header::CONTENT_TYPE, media_type)
            .body(body.to_vec())
            .send()
            .await
            .map_err(|e| e.to_string())?;
        if resp.status() != StatusCode::CREATED {
            return Err(format!(
                "manifest put {repo}:{reference} answered {}: {}",
                resp.status(),
                resp.text().await.unwrap_or_default()
            ));
        }
        Ok(sha256_of(body))
    }
}
