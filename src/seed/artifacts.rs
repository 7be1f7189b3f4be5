//! Content beyond plain images, pushed the way real tools push it: buildx
//! indexes with attestation manifests, cosign signature tags, Helm charts,
//! OCI 1.1 artifacts with a `subject` (plus the fallback referrers tag that
//! OCI 1.1 clients write to registries without the referrers API), and an
//! index whose child has gone missing.

use serde_json::{json, Value};

use super::images::{build, layer_bytes, ImageSpec};
use super::pusher::{PushResult, PushedImage, Pusher};
use crate::registry::digest::sha256_of;
use crate::registry::media_types::*;

fn descriptor(media_type: &str, body: &[u8]) -> Value {
    json!({"mediaType": media_type, "size": body.len(), "digest": sha256_of(body)})
}

impl Pusher {
    /// Pushes a small blob and returns its descriptor.
    async fn blob_descriptor(
        &self,
        repo: &str,
        media_type: &str,
        body: &[u8],
    ) -> PushResult<Value> {
        self.push_blob(repo, body).await?;
        Ok(descriptor(media_type, body))
    }

    /// A buildx-style multi-platform index: each platform image pushed by
    /// digest, each with an in-toto attestation manifest whose platform is
    /// `unknown/unknown` and whose annotations name the platform's digest.
    pub async fn push_attested_index(
        &self,
        repo: &str,
        tag: &str,
        platforms: &[ImageSpec],
    ) -> PushResult<AttestedIndex> {
        let mut entries = Vec::new();
        let mut children = Vec::new();
        let mut attestations = Vec::new();
        for spec in platforms {
            let image = build(spec);
            let pushed = self
                .push_built(repo, &sha256_of(&image.manifest), &image)
                .await?;
            let mut platform = json!({"os": spec.os, "architecture": spec.architecture});
            if let Some(v) = &spec.variant {
                platform["variant"] = json!(v);
            }
            entries.push(
                json!({"mediaType": image.media_type, "digest": pushed.digest,
                "size": image.manifest.len(), "platform": platform}),
            );
            children.push(pushed.digest.clone());

            let statement = serde_json::to_vec(&json!({
                "_type": "https://in-toto.io/Statement/v0.1",
                "predicateType": "https://slsa.dev/provenance/v0.2",
                "subject": [{"name": format!("pkg:docker/{repo}@{tag}"), "digest": {"sha256": pushed.digest.trim_start_matches("sha256:")}}],
                "predicate": {"builder": {"id": "berth-seed"}},
            }))
            .expect("json");
            let config = serde_json::to_vec(&json!({"architecture": "unknown", "os": "unknown",
                "rootfs": {"type": "layers", "diff_ids": [sha256_of(&statement)]}}))
            .expect("json");
            let mut layer = self
                .blob_descriptor(repo, "application/vnd.in-toto+json", &statement)
                .await?;
            layer["annotations"] =
                json!({"in-toto.io/predicate-type": "https://slsa.dev/provenance/v0.2"});
            let manifest = serde_json::to_vec(&json!({
                "schemaVersion": 2, "mediaType": OCI_MANIFEST,
                "config": self.blob_descriptor(repo, OCI_CONFIG, &config).await?,
                "layers": [layer],
            }))
            .expect("json");
            let digest = self
                .put_manifest(repo, &sha256_of(&manifest), OCI_MANIFEST, &manifest)
                .await?;
            entries.push(
                json!({"mediaType": OCI_MANIFEST, "digest": digest, "size": manifest.len(),
                "platform": {"os": "unknown", "architecture": "unknown"},
                "annotations": {"vnd.docker.reference.type": "attestation-manifest",
                                "vnd.docker.reference.digest": pushed.digest}}),
            );
            attestations.push(digest);
        }
        let index = serde_json::to_vec_pretty(
            &json!({"schemaVersion": 2, "mediaType": OCI_INDEX, "manifests": entries}),
        )
        .expect("json");
        let digest = self.put_manifest(repo, tag, OCI_INDEX, &index).await?;
        Ok(AttestedIndex {
            digest,
            children,
            attestations,
            manifest: index,
        })
    }

    /// A cosign-style signature stored under `sha256-<hex>.sig`.
    pub async fn push_cosign_signature(&self, repo: &str, subject: &str) -> PushResult<String> {
        let payload = serde_json::to_vec(&json!({
            "critical": {"identity": {"docker-reference": repo}, "image": {"docker-manifest-digest": subject},
                         "type": "cosign container image signature"},
            "optional": null,
        }))
        .expect("json");
        let config = serde_json::to_vec(&json!({"architecture": "", "os": "", "config": {},
            "rootfs": {"type": "layers", "diff_ids": [sha256_of(&payload)]}}))
        .expect("json");
        let mut layer = self
            .blob_descriptor(
                repo,
                "application/vnd.dev.cosign.simplesigning.v1+json",
                &payload,
            )
            .await?;
        layer["annotations"] =
            json!({"dev.cosignproject.cosign/signature": "MEUCIQDberthseedsignature"});
        let manifest = serde_json::to_vec(&json!({
            "schemaVersion": 2, "mediaType": OCI_MANIFEST,
            "config": self.blob_descriptor(repo, OCI_CONFIG, &config).await?,
            "layers": [layer],
        }))
        .expect("json");
        let tag = format!("{}.sig", subject.replacen(':', "-", 1));
        self.put_manifest(repo, &tag, OCI_MANIFEST, &manifest)
            .await?;
        Ok(tag)
    }

    /// A Helm chart as `helm push` stores it: a chart config and a .tgz.
    pub async fn push_helm_chart(
        &self,
        repo: &str,
        name: &str,
        version: &str,
    ) -> PushResult<PushedImage> {
        let config = serde_json::to_vec(&json!({"name": name, "version": version, "apiVersion": "v2",
            "appVersion": "1.0.0", "description": format!("A Helm chart for {name}"), "type": "application"}))
        .expect("json");
        let chart_yaml = format!("apiVersion: v2\nname: {name}\nversion: {version}\n");
        let (_, tgz) = layer_bytes(&format!("{name}/Chart.yaml"), chart_yaml.as_bytes());
        let manifest = serde_json::to_vec(&json!({
            "schemaVersion": 2, "mediaType": OCI_MANIFEST,
            "config": self.blob_descriptor(repo, HELM_CONFIG, &config).await?,
            "layers": [self.blob_descriptor(repo, "application/vnd.cncf.helm.chart.content.v1.tar+gzip", &tgz).await?],
            "annotations": {"org.opencontainers.image.title": name, "org.opencontainers.image.version": version},
        }))
        .expect("json");
        let digest = self
            .put_manifest(repo, version, OCI_MANIFEST, &manifest)
            .await?;
        Ok(PushedImage {
            digest,
            media_type: OCI_MANIFEST.into(),
            size: (config.len() + tgz.len()) as u64,
        })
    }

    /// An OCI 1.1 artifact (an SPDX SBOM) whose `subject` is `subject`, and
    /// the fallback tag `sha256-<hex>` listing it, as `oras attach` does on a
    /// registry without the referrers API. Returns the artifact's digest.
    pub async fn push_sbom_referrer(
        &self,
        repo: &str,
        subject: &PushedImage,
    ) -> PushResult<String> {
        let sbom =
            serde_json::to_vec(&json!({"spdxVersion": "SPDX-2.3", "name": repo, "packages": []}))
                .expect("json");
        let artifact_type = "application/spdx+json";
        let manifest = serde_json::to_vec(&json!({
            "schemaVersion": 2, "mediaType": OCI_MANIFEST, "artifactType": artifact_type,
            "config": self.blob_descriptor(repo, OCI_EMPTY, b"{}").await?,
            "layers": [self.blob_descriptor(repo, "application/spdx+json", &sbom).await?],
            "subject": {"mediaType": subject.media_type, "digest": subject.digest, "size": 0},
        }))
        .expect("json");
        let digest = self
            .put_manifest(repo, &sha256_of(&manifest), OCI_MANIFEST, &manifest)
            .await?;
        let index = serde_json::to_vec(&json!({"schemaVersion": 2, "mediaType": OCI_INDEX, "manifests": [
            {"mediaType": OCI_MANIFEST, "digest": digest, "size": manifest.len(), "artifactType": artifact_type}
        ]}))
        .expect("json");
        let tag = subject.digest.replacen(':', "-", 1);
        self.put_manifest(repo, &tag, OCI_INDEX, &index).await?;
        Ok(digest)
    }

    /// An OCI 1.1 artifact of any type under a tag (empty config, one blob).
    pub async fn push_tagged_artifact(
        &self,
        repo: &str,
        tag: &str,
        artifact_type: &str,
        blob_type: &str,
        body: &[u8],
    ) -> PushResult<String> {
        let manifest = serde_json::to_vec(&json!({
            "schemaVersion": 2, "mediaType": OCI_MANIFEST, "artifactType": artifact_type,
            "config": self.blob_descriptor(repo, OCI_EMPTY, b"{}").await?,
            "layers": [self.blob_descriptor(repo, blob_type, body).await?],
        }))
        .expect("json");
        self.put_manifest(repo, tag, OCI_MANIFEST, &manifest).await
    }

    /// Deletes a manifest by digest (needs `storage.delete.enabled`), e.g. to
    /// leave an index with a missing child.
    pub async fn delete_manifest(&self, repo: &str, digest: &str) -> PushResult<()> {
        let url = self
            .base()
            .join(&format!("/v2/{repo}/manifests/{digest}"))
            .map_err(|e| e.to_string())?;
        let resp = self
            .req(reqwest::Method::DELETE, url)
            .send()
            .await
            .map_err(|e| e.to_string())?;
        if resp.status() != reqwest::StatusCode::ACCEPTED {
            return Err(format!("delete {repo}@{digest} answered {}", resp.status()));
        }
        Ok(())
    }
}

/// What `push_attested_index` pushed.
#[derive(Debug, Clone)]
pub struct AttestedIndex {
    pub digest: String,
    pub children: Vec<String>,
    pub attestations: Vec<String>,
    /// The index's bytes, to put under more tags.
    pub manifest: Vec<u8>,
}
