//! Parsing manifests and image configs into the few facts a UI needs,
//! on top of `oci-spec`'s types (Docker schema2 shares the OCI shape).

use oci_spec::image::{Descriptor, ImageConfiguration, ImageIndex, ImageManifest, Platform};

use serde::Deserialize;

use super::digest::Digest;
use super::error::RegistryError;
use super::manifests::FetchedManifest;
use super::media_types::{self, kind_of, ManifestKind};

/// Annotation that buildx puts on attestation manifests inside an index.
const REFERENCE_TYPE: &str = "vnd.docker.reference.type";
/// The digest of the platform manifest an attestation is about.
const REFERENCE_DIGEST: &str = "vnd.docker.reference.digest";
/// in-toto predicate type, on each layer of an attestation manifest.
const PREDICATE_TYPE: &str = "in-toto.io/predicate-type";

pub enum Parsed {
    /// A single-platform manifest: a runnable image, or an artifact when
    /// `artifact_type` / its config type says so (see `artifact_type`).
    Image(Box<ImageManifest>),
    Index(Box<ImageIndex>),
    /// Docker schema 1 (legacy).
    Legacy(Box<LegacyManifest>),
    /// A media type Berth does not interpret: shown raw.
    Other,
}

/// The few facts of a schema 1 manifest worth showing.
#[derive(Debug, Clone, Deserialize)]
pub struct LegacyManifest {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub tag: String,
    #[serde(default)]
    pub architecture: String,
    #[serde(default, rename = "fsLayers")]
    pub fs_layers: Vec<serde_json::Value>,
    #[serde(default)]
    pub signatures: Option<Vec<serde_json::Value>>,
}

/// The Helm chart facts in a chart's config blob (Chart.yaml as JSON).
#[derive(Debug, Clone, Deserialize)]
pub struct HelmChart {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub version: String,
    #[serde(default, rename = "appVersion")]
    pub app_version: Option<String>,
    #[serde(default)]
    pub description: Option<String>,
}

pub fn parse(m: &FetchedManifest) -> Result<Parsed, RegistryError> {
    let bad = |e: oci_spec::OciSpecError| {
        RegistryError::Protocol(format!("manifest {} does not parse: {e}", m.digest))
    };
    Ok(match kind_of(&m.media_type) {
        ManifestKind::Image => Parsed::Image(Box::new(
            ImageManifest::from_reader(m.body.as_slice()).map_err(bad)?,
        )),
        ManifestKind::Index => Parsed::Index(Box::new(
            ImageIndex::from_reader(m.body.as_slice()).map_err(bad)?,
        )),
        ManifestKind::Legacy => Parsed::Legacy(serde_json::from_slice(&m.body).map_err(|e| {
            RegistryError::Protocol(format!("manifest {} does not parse: {e}", m.digest))
        })?),
        ManifestKind::Other => Parsed::Other,
    })
}

/// An artifact's type: its `artifactType`, else a config type that is not
/// an image config. None for a runnable image.
pub fn artifact_type(m: &ImageManifest) -> Option<String> {
    if let Some(t) = m.artifact_type() {
        return Some(t.to_string());
    }
    let config = m.config().media_type().to_string();
    (!media_types::is_image_config(&config)).then_some(config)
}

pub fn is_helm_chart(m: &ImageManifest) -> bool {
    m.config().media_type().to_string() == media_types::HELM_CONFIG
}

pub fn parse_helm_config(body: &[u8]) -> Result<HelmChart, RegistryError> {
    serde_json::from_slice(body)
        .map_err(|e| RegistryError::Protocol(format!("Helm chart config does not parse: {e}")))
}

/// The platform manifest an attestation entry is about.
pub fn attestation_subject(d: &Descriptor) -> Option<String> {
    d.annotations()
        .as_ref()
        .and_then(|a| a.get(REFERENCE_DIGEST))
        .cloned()
}

/// The in-toto predicate types inside an attestation manifest
/// (e.g. `https://spdx.dev/Document` for an SBOM, SLSA provenance).
pub fn predicate_types(m: &ImageManifest) -> Vec<String> {
    let mut out: Vec<String> = m
        .layers()
        .iter()
        .filter_map(|l| l.annotations().as_ref()?.get(PREDICATE_TYPE).cloned())
        .collect();
    out.sort();
    out.dedup();
    out
}

pub fn parse_config(body: &[u8]) -> Result<ImageConfiguration, RegistryError> {
    ImageConfiguration::from_reader(body)
        .map_err(|e| RegistryError::Protocol(format!("image config does not parse: {e}")))
}

/// Compressed size as pushed: config plus every layer.
/// Sizes are the registry's words: a hostile manifest can claim
/// `u64::MAX`, so the sum saturates instead of overflowing.
pub fn image_size(m: &ImageManifest) -> u64 {
    m.layers()
        .iter()
        .fold(m.config().size(), |total, l| total.saturating_add(l.size()))
}

/// `os/arch[/variant]`, e.g. `linux/arm64/v8`, of an index entry.
pub fn platform_string(p: &Platform) -> String {
    platform_text(
        &p.os().to_string(),
        &p.architecture().to_string(),
        p.variant().as_deref(),
    )
}

/// Same, from an image config.
pub fn config_platform(c: &ImageConfiguration) -> String {
    platform_text(
        &c.os().to_string(),
        &c.architecture().to_string(),
        c.variant().as_deref(),
    )
}

fn platform_text(os: &str, arch: &str, variant: Option<&str>) -> String {
    match variant.filter(|v| !v.is_empty()) {
        Some(v) => format!("{os}/{arch}/{v}"),
        None => format!("{os}/{arch}"),
    }
}

/// When the image was built: the config's `created`, as Unix seconds.
pub fn created_at(c: &ImageConfiguration) -> Option<i64> {
    c.created()
        .as_deref()
        .and_then(|s| chrono::DateTime::parse_from_rfc3339(s).ok())
        .map(|t| t.timestamp())
}

/// The digest a descriptor names, as a typed digest: a manifest's words
/// are the registry's, so they are checked like any other name.
pub fn descriptor_digest(d: &Descriptor) -> Result<Digest, RegistryError> {
    Digest::parse(d.digest().as_ref()).map_err(|e| RegistryError::Protocol(e.to_string()))
}

/// The digest of an image's config blob.
pub fn config_digest(m: &ImageManifest) -> Result<Digest, RegistryError> {
    descriptor_digest(m.config())
}

/// True for a buildx attestation entry (its platform reads unknown/unknown).
pub fn is_attestation(d: &Descriptor) -> bool {
    d.annotations()
        .as_ref()
        .and_then(|a| a.get(REFERENCE_TYPE))
        .is_some_and(|v| v == "attestation-manifest")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::registry::digest::Digest;

    fn fetched(media_type: &str, body: &str) -> FetchedManifest {
        FetchedManifest {
            digest: Digest::of(body.as_bytes()),
            media_type: media_type.into(),
            body: body.as_bytes().to_vec(),
        }
    }

    /// Found by the `manifest` fuzz target: a config size of u64::MAX plus
    /// one layer byte overflowed (a panic in debug builds).
    #[test]
    fn sizes_near_u64_max_saturate() {
        let body = format!(
            r#"{{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json",
              "config":{{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"sha256:{}","size":18446744073709551615}},
              "layers":[{{"mediaType":"application/vnd.oci.image.layer.v1.tar+gzip","digest":"sha256:{}","size":1}}]}}"#,
            "0".repeat(64),
            "1".repeat(64)
        );
        match parse(&fetched(
            "application/vnd.oci.image.manifest.v1+json",
            &body,
        ))
        .unwrap()
        {
            Parsed::Image(m) => assert_eq!(image_size(&m), u64::MAX),
            _ => panic!("expected an image"),
        }
    }

    #[test]
    fn docker_schema2_size_is_config_plus_layers() {
        let body = r#"{"schemaVersion":2,"mediaType":"application/vnd.docker.distribution.manifest.v2+json",
          "config":{"mediaType":"application/vnd.docker.container.image.v1+json","size":100,"digest":"sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"},
          "layers":[{"mediaType":"application/vnd.docker.image.rootfs.diff.tar.gzip","size":1000,"digest":"sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"},
                    {"mediaType":"application/vnd.docker.image.rootfs.diff.tar.gzip","size":24,"digest":"sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"}]}"#;
        match parse(&fetched(
            crate::registry::media_types::DOCKER_MANIFEST_V2,
            body,
        ))
        .unwrap()
        {
            Parsed::Image(m) => assert_eq!(image_size(&m), 1124),
            _ => panic!("expected an image"),
        }
    }

    #[test]
    fn index_platforms_with_variant_and_attestation() {
        let d = "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
        let body = format!(
            r#"{{"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[
            {{"mediaType":"application/vnd.oci.image.manifest.v1+json","size":1,"digest":"{d}","platform":{{"os":"linux","architecture":"arm64","variant":"v8"}}}},
            {{"mediaType":"application/vnd.oci.image.manifest.v1+json","size":1,"digest":"{d}","platform":{{"os":"unknown","architecture":"unknown"}},
              "annotations":{{"vnd.docker.reference.type":"attestation-manifest","vnd.docker.reference.digest":"{d}"}}}}]}}"#
        );
        match parse(&fetched(crate::registry::media_types::OCI_INDEX, &body)).unwrap() {
            Parsed::Index(ix) => {
                let m = ix.manifests();
                assert_eq!(
                    platform_string(m[0].platform().as_ref().unwrap()),
                    "linux/arm64/v8"
                );
                assert!(!is_attestation(&m[0]));
                assert!(is_attestation(&m[1]));
                assert_eq!(attestation_subject(&m[1]).as_deref(), Some(d));
            }
            _ => panic!("expected an index"),
        }
    }

    #[test]
    fn helm_chart_is_an_artifact_with_name_and_version() {
        let d = "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
        let body = format!(
            r#"{{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json",
            "config":{{"mediaType":"application/vnd.cncf.helm.config.v1+json","size":10,"digest":"{d}"}},
            "layers":[{{"mediaType":"application/vnd.cncf.helm.chart.content.v1.tar+gzip","size":5,"digest":"{d}"}}]}}"#
        );
        match parse(&fetched(crate::registry::media_types::OCI_MANIFEST, &body)).unwrap() {
            Parsed::Image(m) => {
                assert!(is_helm_chart(&m));
                assert_eq!(
                    artifact_type(&m).as_deref(),
                    Some("application/vnd.cncf.helm.config.v1+json")
                );
            }
            _ => panic!("expected a manifest"),
        }
        let chart =
            parse_helm_config(br#"{"name":"berth","version":"1.2.3","appVersion":"0.1"}"#).unwrap();
        assert_eq!(
            (chart.name.as_str(), chart.version.as_str()),
            ("berth", "1.2.3")
        );
    }

    #[test]
    fn artifact_type_field_wins_and_images_have_none() {
        let d = "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
        let artifact = format!(
            r#"{{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","artifactType":"application/vnd.example.sbom+json",
            "config":{{"mediaType":"application/vnd.oci.empty.v1+json","size":2,"digest":"{d}"}},"layers":[]}}"#
        );
        let image = format!(
            r#"{{"schemaVersion":2,"config":{{"mediaType":"application/vnd.oci.image.config.v1+json","size":2,"digest":"{d}"}},"layers":[]}}"#
        );
        let kind = |b: &str| match parse(&fetched(crate::registry::media_types::OCI_MANIFEST, b))
            .unwrap()
        {
            Parsed::Image(m) => artifact_type(&m),
            _ => panic!("expected a manifest"),
        };
        assert_eq!(
            kind(&artifact).as_deref(),
            Some("application/vnd.example.sbom+json")
        );
        assert_eq!(kind(&image), None);
    }

    #[test]
    fn schema1_is_legacy() {
        let body = r#"{"schemaVersion":1,"name":"old/app","tag":"v1","architecture":"amd64",
          "fsLayers":[{"blobSum":"sha256:a3ed95caeb02ffe68cdd9fd84406680ae93d633cb16422d00e8a7c22955b46d4"}],
          "history":[{"v1Compatibility":"{}"}],"signatures":[{"header":{},"signature":"x","protected":"y"}]}"#;
        match parse(&fetched(
            crate::registry::media_types::DOCKER_MANIFEST_V1_SIGNED,
            body,
        ))
        .unwrap()
        {
            Parsed::Legacy(l) => {
                assert_eq!(
                    (l.name.as_str(), l.architecture.as_str()),
                    ("old/app", "amd64")
                );
                assert_eq!(l.fs_layers.len(), 1);
                assert!(l.signatures.is_some());
            }
            _ => panic!("expected legacy"),
        }
    }

    #[test]
    fn unknown_types_are_not_parsed() {
        assert!(matches!(
            parse(&fetched("application/x-whatever", "not json")).unwrap(),
            Parsed::Other
        ));
    }
}
