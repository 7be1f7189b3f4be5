//! Manifest bodies, image configs, referrers indexes, schema 1 payloads,
//! token answers and error bodies: everything a registry sends as a body.
//!
//! Input: byte 0 picks the Content-Type (see `CONTENT_TYPES`), byte 1 holds
//! flags (header digest, reference, status), the rest is the body.
#![no_main]

use berth::registry::digest::{sha256_of, Digest};
use berth::registry::manifest::{self, Parsed};
use berth::registry::manifests::identify_manifest;
use berth::registry::media_types as mt;
use berth::registry::names::{Reference, Tag};
use berth::registry::token::TokenResponse;
use berth::registry::{referrers, schema1, RegistryError};
use libfuzzer_sys::fuzz_target;

const CONTENT_TYPES: &[Option<&str>] = &[
    None,
    Some(""),
    Some("application/json"),
    Some("text/plain"),
    Some("application/octet-stream"),
    Some(mt::DOCKER_MANIFEST_V2),
    Some(mt::DOCKER_MANIFEST_LIST),
    Some(mt::DOCKER_MANIFEST_V1_SIGNED),
    Some(mt::DOCKER_MANIFEST_V1),
    Some(mt::OCI_MANIFEST),
    Some(mt::OCI_INDEX),
    Some(mt::DOCKER_CONFIG),
    Some(mt::OCI_CONFIG),
    Some(mt::OCI_EMPTY),
    Some(mt::HELM_CONFIG),
    Some("application/vnd.oci.image.index.v1+json; charset=utf-8"),
    Some("application/vnd.oci.image.manifest.v1+json;charset=utf-8"),
    Some(" application/vnd.docker.distribution.manifest.v2+json "),
];

const STATUSES: &[u16] = &[
    200, 202, 400, 401, 403, 404, 405, 406, 409, 416, 429, 500, 502, 503, 0, u16::MAX,
];

/// A valid digest that matches nothing.
const OTHER_DIGEST: &str =
    "sha256:0000000000000000000000000000000000000000000000000000000000000000";

fuzz_target!(|data: &[u8]| {
    if data.len() < 2 {
        return;
    }
    let ct = CONTENT_TYPES[data[0] as usize % CONTENT_TYPES.len()].map(str::to_string);
    let flags = data[1];
    let body = &data[2..];

    let header_digest = match flags & 0b11 {
        0 => None,
        1 => Some(sha256_of(body)),
        2 => Some("sha256:NOT-A-DIGEST".to_string()),
        _ => Some(OTHER_DIGEST.to_string()),
    };
    let payload = schema1::payload_digest(body);
    if let Some(p) = &payload {
        assert!(Digest::parse(p).is_ok(), "payload_digest made {p:?}");
    }
    let reference = if flags & 0b1000 != 0 && payload.is_some() {
        Reference::Digest(Digest::parse(payload.as_deref().unwrap()).unwrap())
    } else if flags & 0b100 != 0 {
        Reference::Digest(Digest::of(body))
    } else {
        Reference::Tag(Tag::parse("latest").unwrap())
    };

    // What identify_manifest must compute as the body's digest.
    let computed = match ct.as_deref() {
        Some(mt::DOCKER_MANIFEST_V1_SIGNED) => payload.clone().unwrap_or_else(|| sha256_of(body)),
        _ => sha256_of(body),
    };
    let expect_ok = reference.digest().map_or(true, |d| *d == computed.as_str());

    let fetched = identify_manifest(&reference, header_digest.clone(), ct.clone(), body.to_vec());
    assert_eq!(
        fetched.is_ok(),
        expect_ok,
        "identify_manifest: ct={ct:?} ref={reference} -> {:?}",
        fetched.as_ref().err()
    );
    if let Ok(f) = &fetched {
        assert_eq!(f.body, body);
        match flags & 0b11 {
            1 => assert_eq!(f.digest.as_str(), sha256_of(body)),
            3 => assert_eq!(f.digest.as_str(), OTHER_DIGEST),
            _ => assert_eq!(f.digest.as_str(), computed),
        }
        if let Some(c) = ct.as_deref() {
            if !matches!(c, "" | "application/json" | "text/plain" | "application/octet-stream") {
                assert_eq!(f.media_type, c);
            }
        }
        match manifest::parse(f) {
            Ok(Parsed::Image(m)) => {
                let _ = manifest::image_size(&m);
                let _ = manifest::artifact_type(&m);
                let _ = manifest::is_helm_chart(&m);
                let p = manifest::predicate_types(&m);
                assert!(p.windows(2).all(|w| w[0] < w[1]), "predicate_types not sorted/deduped");
                let _ = manifest::config_digest(&m);
                for l in m.layers() {
                    let _ = manifest::descriptor_digest(l);
                    let _ = manifest::attestation_subject(l);
                    let _ = manifest::is_attestation(l);
                }
            }
            Ok(Parsed::Index(ix)) => {
                for d in ix.manifests() {
                    if let Some(p) = d.platform() {
                        let s = manifest::platform_string(p);
                        assert!(s.contains('/'));
                    }
                    let _ = manifest::is_attestation(d);
                    let _ = manifest::attestation_subject(d);
                    let _ = manifest::descriptor_digest(d);
                }
            }
            Ok(Parsed::Legacy(l)) => {
                let _ = (&l.name, &l.tag, &l.architecture, l.fs_layers.len());
            }
            Ok(Parsed::Other) => {}
            Err(e) => {
                let _ = e.to_string();
            }
        }
    }

    // The same body as an image config or a Helm chart config.
    if let Ok(c) = manifest::parse_config(body) {
        let p = manifest::config_platform(&c);
        assert!(p.contains('/'));
        let _ = manifest::created_at(&c);
    }
    if let Ok(h) = manifest::parse_helm_config(body) {
        let _ = (h.name, h.version, h.app_version, h.description);
    }

    // As a referrers answer.
    let _ = referrers::looks_like_index(body);
    for r in referrers::parse(body) {
        assert!(Digest::parse(r.digest.as_str()).is_ok());
    }

    // As a token answer.
    if let Ok((token, ttl)) = TokenResponse::parse(body) {
        assert!(!token.is_empty());
        assert!(ttl.as_secs() > 0);
    }

    // As an error answer.
    let status = STATUSES[(flags >> 4) as usize % STATUSES.len()];
    let challenge = (flags & 0b100 != 0).then(|| "Basic realm=\"x\"".to_string());
    let e = RegistryError::from_response(status, body, challenge.clone());
    if status == 401 {
        assert_eq!(e, RegistryError::Unauthorized { challenge });
    }
    let _ = e.to_string();
});
