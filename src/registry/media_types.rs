//! Manifest media types and the `Accept` header that asks for all of them.
//!
//! A registry only returns a manifest in a type the client lists; a UI that
//! forgets the OCI types gets 404s for OCI images (a common failure).

pub const DOCKER_MANIFEST_V2: &str = "application/vnd.docker.distribution.manifest.v2+json";
pub const DOCKER_MANIFEST_LIST: &str = "application/vnd.docker.distribution.manifest.list.v2+json";
pub const DOCKER_MANIFEST_V1_SIGNED: &str =
    "application/vnd.docker.distribution.manifest.v1+prettyjws";
pub const OCI_MANIFEST: &str = "application/vnd.oci.image.manifest.v1+json";
pub const OCI_INDEX: &str = "application/vnd.oci.image.index.v1+json";
pub const DOCKER_CONFIG: &str = "application/vnd.docker.container.image.v1+json";
pub const OCI_CONFIG: &str = "application/vnd.oci.image.config.v1+json";

/// Every manifest type Berth understands, for the `Accept` header.
pub const MANIFEST_ACCEPT: &str = "application/vnd.oci.image.index.v1+json, \
application/vnd.docker.distribution.manifest.list.v2+json, \
application/vnd.oci.image.manifest.v1+json, \
application/vnd.docker.distribution.manifest.v2+json";

/// What a manifest is, judged by its media type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ManifestKind {
    /// A single-platform image (Docker schema2 or OCI manifest).
    Image,
    /// A multi-platform index (Docker manifest list or OCI index).
    Index,
    /// Anything else: shown raw, never parsed as an image.
    Other,
}

pub fn kind_of(media_type: &str) -> ManifestKind {
    match base_type(media_type) {
        DOCKER_MANIFEST_V2 | OCI_MANIFEST => ManifestKind::Image,
        DOCKER_MANIFEST_LIST | OCI_INDEX => ManifestKind::Index,
        _ => ManifestKind::Other,
    }
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
        assert_eq!(kind_of(DOCKER_MANIFEST_V1_SIGNED), ManifestKind::Other);
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
