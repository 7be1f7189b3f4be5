//! Small blobs (image configs, which are JSON) fetched by digest, checked
//! against it, and cached by it.

use reqwest::Method;

use super::auth::Credentials;
use super::bounded_read::{read_limited, MAX_CONFIG_BYTES};
use super::client::RegistryClient;
use super::digest::Digest;
use super::error::{check, RegistryError};
use super::names::RepositoryName;
use super::scope::Scope;

impl RegistryClient {
    /// `GET` a (small, JSON) blob such as an image config, checking its
    /// digest. Callers reach a blob only through a manifest they fetched
    /// with their own credentials, so a hit in the digest-keyed cache shows
    /// nothing the registry would not.
    pub async fn blob(
        &self,
        creds: &Credentials,
        repo: &RepositoryName,
        digest: &Digest,
    ) -> Result<Vec<u8>, RegistryError> {
        if let Some(hit) = self.content.blob(digest).await {
            return Ok(hit.to_vec());
        }
        let url = self.url(&format!("/v2/{repo}/blobs/{digest}"))?;
        let resp = check(
            self.call(Method::GET, url, creds, Scope::Pull(repo.as_str()), None)
                .await?,
        )
        .await?;
        let body = read_limited(resp, MAX_CONFIG_BYTES, "a blob").await?;
        if !digest.matches(&body) {
            return Err(RegistryError::Protocol(format!(
                "blob body does not match digest {digest}"
            )));
        }
        self.content.put_blob(digest, &body).await;
        Ok(body)
    }
}
