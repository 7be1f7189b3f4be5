//! Parsing manifests and image configs into the few facts a UI needs,
//! on top of `oci-spec`'s types (Docker schema2 shares the OCI shape).

use oci_spec::image::{Descriptor, ImageConfiguration, ImageIndex, ImageManifest, Platform};

use super::client::FetchedManifest;
use super::error::RegistryError;
use super::media_types::{kind_of, ManifestKind};

/// Annotation that buildx puts on attestation manifests inside an index.
const REFERENCE_TYPE: &str = "vnd.docker.reference.type";

pub enum Parsed {
    Image(Box<ImageManifest>),
    Index(ImageIndex),
    /// A media type Berth does not interpret (schema1, artifacts, unknown).
    Other,
}

pub fn parse(m: &FetchedManifest) -> Result<Parsed, RegistryError> {
    let bad = |e: oci_spec::OciSpecError| {
        RegistryError::Protocol(format!("manifest {} does not parse: {e}", m.digest))
    };
    Ok(match kind_of(&m.media_type) {
        ManifestKind::Image => Parsed::Image(Box::new(
            ImageManifest::from_reader(m.body.as_slice()).map_err(bad)?,
        )),
        ManifestKind::Index => {
            Parsed::Index(ImageIndex::from_reader(m.body.as_slice()).map_err(bad)?)
        }
        ManifestKind::Other => Parsed::Other,
    })
}

pub fn parse_config(body: &[u8]) -> Result<ImageConfiguration, RegistryError> {
    ImageConfiguration::from_reader(body)
        .map_err(|e| RegistryError::Protocol(format!("image config does not parse: {e}")))
}

/// Compressed size as pushed: config plus every layer.
pub fn image_size(m: &ImageManifest) -> u64 {
    m.config().size() + m.layers().iter().map(|l| l.size()).sum::<u64>()
}

/// `os/arch[/variant]`, e.g. `linux/arm64/v8`.
pub fn platform_string(p: &Platform) -> String {
    let mut s = format!("{}/{}", p.os(), p.architecture());
    if let Some(v) = p.variant().as_deref().filter(|v| !v.is_empty()) {
        s.push('/');
        s.push_str(v);
    }
    s
}

/// Same, from an image config.
pub fn config_platform(c: &ImageConfiguration) -> String {
    let mut s = format!("{}/{}", c.os(), c.architecture());
    if let Some(v) = c.variant().as_deref().filter(|v| !v.is_empty()) {
        s.push('/');
        s.push_str(v);
    }
    s
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
    use crate::registry::digest::sha256_of;

    fn fetched(media_type: &str, body: &str) -> FetchedManifest {
        FetchedManifest {
            digest: sha256_of(body.as_bytes()),
            media_type: media_type.into(),
            body: body.as_bytes().to_vec(),
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
            }
            _ => panic!("expected an index"),
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
