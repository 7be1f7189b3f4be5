//! Manifest media types and the `Accept` header that asks for all of them.
//!
//! A registry only returns a manifest in a type the client lists; a UI that
//! forgets the OCI types gets 404s for OCI images (a common failure).

pub const DOCKER_MANIFEST_V2: &str = "application/vnd.docker.distribution.manifest.v2+json";
pub const DOCKER_MANIFEST_LIST: &str = "application/vnd.docker.distribution.manifest.list.v2+json";
pub const DOCKER_MANIFEST_V1_SIGNED: &str =
    "application/vnd.docker.distribution.manifest.v1+prettyjws";
pub const DOCKER_MANIFEST_V1: &str = "application/vnd.docker.distribution.manifest.v1+json";
pub const OCI_MANIFEST: &str = "application/vnd.oci.image.manifest.v1+json";
pub const OCI_INDEX: &str = "application/vnd.oci.image.index.v1+json";
pub const DOCKER_CONFIG: &str = "application/vnd.docker.container.image.v1+json";
pub const OCI_CONFIG: &str = "application/vnd.oci.image.config.v1+json";
/// OCI 1.1's empty config, used by artifacts that have none.
pub const OCI_EMPTY: &str = "application/vnd.oci.empty.v1+json";
pub const HELM_CONFIG: &str = "application/vnd.cncf.helm.config.v1+json";

/// Every manifest type Berth understands, for the `Accept` header. Legacy
/// schema 1 comes last and at lower weight, so a registry that can convert
/// prefers a modern type.
pub const MANIFEST_ACCEPT: &str = "application/vnd.oci.image.index.v1+json, \
application/vnd.docker.distribution.manifest.list.v2+json, \
application/vnd.oci.image.manifest.v1+json, \
application/vnd.docker.distribution.manifest.v2+json, \
application/vnd.docker.distribution.manifest.v1+prettyjws;q=0.5, \
application/vnd.docker.distribution.manifest.v1+json;q=0.5";

/// What a manifest is, judged by its media type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ManifestKind {
    /// A single-platform image (Docker schema2 or OCI manifest).
    Image,
    /// A multi-platform index (Docker manifest list or OCI index).
    Index,
    /// Docker schema 1: legacy, shown read-only.
    Legacy,
    /// Anything else: shown raw, never parsed as an image.
    Other,
}

pub fn kind_of(media_type: &str) -> ManifestKind {
    match base_type(media_type) {
        DOCKER_MANIFEST_V2 | OCI_MANIFEST => ManifestKind::Image,
        DOCKER_MANIFEST_LIST | OCI_INDEX => ManifestKind::Index,
        DOCKER_MANIFEST_V1 | DOCKER_MANIFEST_V1_SIGNED => ManifestKind::Legacy,
        _ => ManifestKind::Other,
    }
}

/// True for the config types of a runnable image; any other config type
/// makes a manifest an artifact (Helm chart, signature, SBOM, …).
pub fn is_image_config(media_type: &str) -> bool {
    matches!(base_type(media_type), DOCKER_CONFIG | OCI_CONFIG)
}

/// Strips parameters such as `; charset=utf-8` from a content type.
pub fn base_type(content_type: &str) -> &str {
    content_type.split(';').next().unwrap_or("").trim()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_follow_media_types() {
        assert_eq!(kind_of(DOCKER_MANIFEST_V2), ManifestKind::Image);
        assert_eq!(kind_of(OCI_MANIFEST), ManifestKind::Image);
        assert_eq!(kind_of(DOCKER_MANIFEST_LIST), ManifestKind::Index);
        assert_eq!(
            kind_of("application/vnd.oci.image.index.v1+json; charset=utf-8"),
            ManifestKind::Index
        );
        assert_eq!(kind_of(DOCKER_MANIFEST_V1_SIGNED), ManifestKind::Legacy);
        assert_eq!(kind_of("text/plain"), ManifestKind::Other);
    }

    #[test]
    fn accept_lists_all_four_manifest_types() {
        for t in [
            DOCKER_MANIFEST_V2,
            DOCKER_MANIFEST_LIST,
            OCI_MANIFEST,
            OCI_INDEX,
        ] {
            assert!(MANIFEST_ACCEPT.contains(t), "{t} missing from Accept");
        }
    }
}
