//! Deleting from the registry: a manifest by digest (which takes every tag
//! on it), or a tag alone where the registry supports that, and reading a
//! registry's answer to a probe of the latter.

use reqwest::Method;

use super::auth::Credentials;
use super::client::RegistryClient;
use super::digest::Digest;
use super::error::{check, RegistryError};
use super::names::{RepositoryName, Tag};
use super::scope::Scope;

impl RegistryClient {
    /// `DELETE /v2/<name>/manifests/<digest>`: removes the manifest and every
    /// tag on it. Only a digest is accepted, by type.
    pub async fn delete_manifest(
        &self,
        creds: &Credentials,
        repo: &RepositoryName,
        digest: &Digest,
    ) -> Result<(), RegistryError> {
        let url = self.url(&format!("/v2/{repo}/manifests/{digest}"))?;
        check(
            self.call(
                Method::DELETE,
                url,
                creds,
                Scope::Delete(repo.as_str()),
                None,
            )
            .await?,
        )
        .await?;
        Ok(())
    }

    /// `DELETE /v2/<name>/manifests/<tag>`: removes only the tag, where the
    /// registry supports it (distribution 3, zot). registry:2 answers 400
    /// `DIGEST_INVALID`; that and 405 / `UNSUPPORTED` become `Unsupported`.
    pub async fn delete_tag(
        &self,
        creds: &Credentials,
        repo: &RepositoryName,
        tag: &Tag,
    ) -> Result<(), RegistryError> {
        let url = self.url(&format!("/v2/{repo}/manifests/{tag}"))?;
        let resp = self
            .call(
                Method::DELETE,
                url,
                creds,
                Scope::Delete(repo.as_str()),
                None,
            )
            .await?;
        match check(resp).await {
            Ok(_) => Ok(()),
            Err(RegistryError::Status {
                status: 400, code, ..
            }) => Err(RegistryError::Unsupported(if code.is_none() {
                "400".into()
            } else {
                code.to_string()
            })),
            Err(e) => Err(e),
        }
    }
}

/// What a registry's answer to deleting a tag that does not exist says
/// about tag deletes: a 404 means the route works; 400 / 405 /
/// `UNSUPPORTED` mean it does not. Anything else (denied, down) says
/// nothing yet.
pub fn classify_tag_delete_probe(answer: &Result<(), RegistryError>) -> Option<bool> {
    match answer {
        // Deleting a tag that does not exist: the operation exists.
        Err(RegistryError::NotFound(_)) | Ok(()) => Some(true),
        Err(RegistryError::Unsupported(_)) => Some(false),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn probe_answers_map_to_support() {
        assert_eq!(
            classify_tag_delete_probe(&Err(RegistryError::NotFound("MANIFEST_UNKNOWN".into()))),
            Some(true)
        );
        assert_eq!(
            classify_tag_delete_probe(&Err(RegistryError::Unsupported("DIGEST_INVALID".into()))),
            Some(false)
        );
        assert_eq!(
            classify_tag_delete_probe(&Err(RegistryError::Denied("x".into()))),
            None
        );
    }
}
