//! One manifest, described for the index: what it is, what it references
//! (blobs and index children, with sizes), when it was built, its platform
//! and labels. Fetched once by digest for the whole registry.

use oci_spec::image::{ImageIndex, ImageManifest};

use crate::registry::manifest::{self, Parsed};
use crate::registry::{
    Credentials, Digest, FetchedManifest, Reference, RegistryClient, RegistryError, RepositoryName,
};
use crate::server::artifacts::{artifact_label, artifact_view};
use crate::store::index::{EdgeRole, IndexEdge, IndexKind, IndexedManifest};

/// Layer types that make a manifest a signature (cosign's simple signing,
/// Notation's envelope, a Sigstore bundle).
const SIGNATURE_TYPES: [&str; 3] = [
    "application/vnd.dev.cosign.simplesigning.v1+json",
    "application/vnd.cncf.notary.signature",
    "application/vnd.dev.sigstore.bundle",
];

/// Layer types that make a manifest an attestation (in-toto statements,
/// DSSE envelopes as cosign attaches them).
const ATTESTATION_TYPES: [&str; 2] = [
    "application/vnd.in-toto+json",
    "application/vnd.dsse.envelope.v1+json",
];

/// What a single-platform manifest is: signature and attestation first
/// (cosign wraps them in image configs), then artifact, else image.
pub fn classify(m: &ImageManifest) -> IndexKind {
    let artifact = manifest::artifact_type(m);
    let mut types = m
        .layers()
        .iter()
        .map(|l| l.media_type().to_string())
        .chain(artifact.clone());
    let all: Vec<String> = types.by_ref().collect();
    let has = |wanted: &[&str]| all.iter().any(|t| wanted.iter().any(|w| t.starts_with(w)));
    if has(&SIGNATURE_TYPES) {
        IndexKind::Signature
    } else if has(&ATTESTATION_TYPES) || !manifest::predicate_types(m).is_empty() {
        IndexKind::Attestation
    } else if artifact.is_some() {
        IndexKind::Artifact
    } else {
        IndexKind::Image
    }
}

/// Fetches the manifest `digest` and describes it. An image's config is
/// read for its date, platform and labels; a config that does not parse
/// leaves those empty (it never will parse), while a registry error fails
/// the description so the next sync tries again.
pub async fn describe(
    reg: &RegistryClient,
    creds: &Credentials,
    repo: &RepositoryName,
    digest: &Digest,
) -> Result<IndexedManifest, RegistryError> {
    let fetched = reg
        .manifest(creds, repo, &Reference::Digest(digest.clone()))
        .await?;
    let mut out = blank(&fetched);
    match manifest::parse(&fetched)? {
        Parsed::Image(m) => describe_image(reg, creds, repo, &m, &mut out).await?,
        Parsed::Index(index) => describe_index(&index, &mut out),
        Parsed::Legacy(l) => {
            out.kind = IndexKind::Legacy;
            out.platform = format!("linux/{}", l.architecture);
        }
        Parsed::Other => {}
    }
    Ok(out)
}

fn blank(fetched: &FetchedManifest) -> IndexedManifest {
    IndexedManifest {
        digest: fetched.digest.to_string(),
        media_type: fetched.media_type.clone(),
        kind: IndexKind::Other,
        bytes: fetched.body.len() as u64,
        size: None,
        created: None,
        platform: String::new(),
        artifact: String::new(),
        artifact_type: String::new(),
        subject: String::new(),
        edges: Vec::new(),
        labels: Vec::new(),
    }
}

async fn describe_image(
    reg: &RegistryClient,
    creds: &Credentials,
    repo: &RepositoryName,
    m: &ImageManifest,
    out: &mut IndexedManifest,
) -> Result<(), RegistryError> {
    out.kind = classify(m);
    out.size = Some(manifest::image_size(m));
    out.subject = m
        .subject()
        .as_ref()
        .map(|s| s.digest().to_string())
        .unwrap_or_default();
    out.edges.push(edge(
        m.config().digest().to_string(),
        EdgeRole::Config,
        m.config().size(),
    ));
    out.edges.extend(
        m.layers()
            .iter()
            .map(|l| edge(l.digest().to_string(), EdgeRole::Layer, l.size())),
    );
    if let Some(kind) = manifest::artifact_type(m) {
        out.artifact_type = kind.clone();
        if out.kind == IndexKind::Artifact {
            out.artifact = artifact_label(&artifact_view(reg, creds, repo, m, kind).await);
        }
        return Ok(());
    }
    let body = reg.blob(creds, repo, &manifest::config_digest(m)?).await?;
    if let Ok(config) = manifest::parse_config(&body) {
        out.created = manifest::created_at(&config);
        out.platform = manifest::config_platform(&config);
        let mut labels: Vec<(String, String)> = config
            .config()
            .as_ref()
            .and_then(|c| c.labels().clone())
            .unwrap_or_default()
            .into_iter()
            .collect();
        labels.sort();
        out.labels = labels;
    }
    Ok(())
}

fn describe_index(index: &ImageIndex, out: &mut IndexedManifest) {
    out.kind = IndexKind::Index;
    out.edges = index
        .manifests()
        .iter()
        .map(|d| {
            let attestation = manifest::is_attestation(d);
            IndexEdge {
                child: d.digest().to_string(),
                role: if attestation {
                    EdgeRole::Attestation
                } else {
                    EdgeRole::Manifest
                },
                size: d.size(),
                platform: d
                    .platform()
                    .as_ref()
                    .map(manifest::platform_string)
                    .unwrap_or_default(),
                about: manifest::attestation_subject(d).unwrap_or_default(),
            }
        })
        .collect();
}

fn edge(child: String, role: EdgeRole, size: u64) -> IndexEdge {
    IndexEdge {
        child,
        role,
        size,
        platform: String::new(),
        about: String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn manifest_with(config_type: &str, layer_types: &[&str], annotations: &str) -> ImageManifest {
        let layers: Vec<String> = layer_types
            .iter()
            .map(|t| {
                format!(
                    r#"{{"mediaType":"{t}","digest":"sha256:{}","size":10{annotations}}}"#,
                    "b".repeat(64)
                )
            })
            .collect();
        let body = format!(
            r#"{{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json",
               "config":{{"mediaType":"{config_type}","digest":"sha256:{}","size":2}},
               "layers":[{}]}}"#,
            "a".repeat(64),
            layers.join(",")
        );
        ImageManifest::from_reader(body.as_bytes()).unwrap()
    }

    #[test]
    fn images_artifacts_signatures_and_attestations_are_told_apart() {
        let image_config = "application/vnd.oci.image.config.v1+json";
        let layer = "application/vnd.oci.image.layer.v1.tar+gzip";
        assert_eq!(
            classify(&manifest_with(image_config, &[layer], "")),
            IndexKind::Image
        );
        assert_eq!(
            classify(&manifest_with(
                image_config,
                &["application/vnd.dev.cosign.simplesigning.v1+json"],
                ""
            )),
            IndexKind::Signature
        );
        assert_eq!(
            classify(&manifest_with(
                image_config,
                &["application/vnd.in-toto+json"],
                ""
            )),
            IndexKind::Attestation
        );
        // buildx marks its statements by annotation.
        assert_eq!(
            classify(&manifest_with(
                "application/vnd.oci.empty.v1+json",
                &["application/json"],
                r#","annotations":{"in-toto.io/predicate-type":"https://slsa.dev/provenance/v0.2"}"#
            )),
            IndexKind::Attestation
        );
        assert_eq!(
            classify(&manifest_with(
                "application/vnd.cncf.helm.config.v1+json",
                &["application/vnd.cncf.helm.chart.content.v1.tar+gzip"],
                ""
            )),
            IndexKind::Artifact
        );
        assert_eq!(
            classify(&manifest_with(
                "application/vnd.cncf.notary.signature",
                &["application/jose+json"],
                ""
            )),
            IndexKind::Signature
        );
    }
}
