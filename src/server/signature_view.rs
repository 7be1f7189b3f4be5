//! A cosign signature tag, or an OCI 1.1 referrers fallback tag, shown as
//! what it is rather than as an image with no platform: the manifest it is
//! about, and for a signature each signer's payload and annotations.
//!
//! Anyone who can push writes these, so every read is bounded: payloads
//! over `MAX_PAYLOAD_BYTES` are not fetched, and the number of signatures,
//! claims and annotation lengths shown are capped.

use oci_spec::image::ImageManifest;
use serde_json::Value;

use crate::model::{ReferrerView, SignatureEntry, SignaturePayload, SignatureView, TagRow};
use crate::registry::{signatures, Credentials, Digest, RegistryClient, RepositoryName};

/// A simple-signing payload is a few hundred bytes; anything far larger is
/// not one, and is not read.
pub const MAX_PAYLOAD_BYTES: u64 = 64 * 1024;
/// The layer type of cosign's signed payload.
const SIMPLE_SIGNING: &str = "application/vnd.dev.cosign.simplesigning.v1+json";
/// Signatures (layers) shown; cosign appends one per `cosign sign`.
const MAX_SIGNATURES: usize = 32;
/// Claims (`optional`) and annotations shown per signature.
const MAX_PAIRS: usize = 50;
/// An annotation value longer than this (a certificate, a bundle) is cut.
const MAX_VALUE_CHARS: usize = 600;
/// Tags named for the subject.
const MAX_SUBJECT_TAGS: usize = 20;

/// The tags of `rows` on `digest`, sorted, the first few.
pub fn tags_on(rows: &[TagRow], digest: &str) -> Vec<String> {
    let mut tags: Vec<String> = rows
        .iter()
        .filter(|r| r.digest == digest)
        .map(|r| r.tag.clone())
        .collect();
    tags.sort();
    tags.truncate(MAX_SUBJECT_TAGS);
    tags
}

/// The manifest a signature or referrers tag names (`sha256-<hex>…`).
pub fn subject_of_tag(tag: &str) -> Option<String> {
    signatures::parse_tag(tag).map(|(digest, _)| digest.into_string())
}

pub async fn signature_view(
    reg: &RegistryClient,
    creds: &Credentials,
    repo: &RepositoryName,
    tag: &str,
    m: &ImageManifest,
    rows: &[TagRow],
) -> SignatureView {
    let mut entries = Vec::new();
    for layer in m.layers().iter().take(MAX_SIGNATURES) {
        let mut annotations: Vec<(String, String)> = layer
            .annotations()
            .clone()
            .unwrap_or_default()
            .into_iter()
            .take(MAX_PAIRS)
            .map(|(k, v)| (k, crate::format::cut(&v, MAX_VALUE_CHARS)))
            .collect();
        annotations.sort();
        let (payload, error) = if layer.media_type().to_string() != SIMPLE_SIGNING {
            // Notation's envelope or a Sigstore bundle: its annotations say
            // what there is to say here.
            (None, None)
        } else if layer.size() > MAX_PAYLOAD_BYTES {
            (
                None,
                Some(crate::t!(
                    "signature-payload-too-large",
                    size = crate::format::size(layer.size())
                )),
            )
        } else {
            match Digest::parse(layer.digest().as_ref()) {
                Err(e) => (None, Some(e.to_string())),
                Ok(digest) => match reg.blob(creds, repo, &digest).await {
                    Err(e) => (None, Some(e.to_string())),
                    Ok(body) => match parse_payload(&body) {
                        Some(p) => (Some(p), None),
                        None => (None, Some(crate::t!("signature-payload-unreadable"))),
                    },
                },
            }
        };
        entries.push(SignatureEntry {
            digest: layer.digest().to_string(),
            media_type: layer.media_type().to_string(),
            size: layer.size(),
            payload,
            annotations,
            error,
        });
    }
    // The signed digest is what the payload says; the tag's name is only
    // where cosign looks for it.
    let subject = entries
        .iter()
        .find_map(|e| e.payload.as_ref().map(|p| p.manifest_digest.clone()))
        .filter(|d| !d.is_empty())
        .or_else(|| subject_of_tag(tag));
    let subject_tags = subject
        .as_deref()
        .map(|d| tags_on(rows, d))
        .unwrap_or_default();
    SignatureView {
        subject,
        subject_tags,
        signatures: entries,
    }
}

/// cosign's simple signing JSON: `critical.identity.docker-reference`,
/// `critical.image.docker-manifest-digest`, `critical.type`, `optional`.
pub fn parse_payload(body: &[u8]) -> Option<SignaturePayload> {
    let v: Value = serde_json::from_slice(body).ok()?;
    let critical = v.get("critical")?;
    let text = |v: Option<&Value>| v.and_then(Value::as_str).unwrap_or_default().to_string();
    let optional = match v.get("optional") {
        Some(Value::Object(map)) => map
            .iter()
            .take(MAX_PAIRS)
            .map(|(k, v)| {
                let v = match v {
                    Value::String(s) => s.clone(),
                    other => other.to_string(),
                };
                (k.clone(), crate::format::cut(&v, MAX_VALUE_CHARS))
            })
            .collect(),
        _ => Vec::new(),
    };
    Some(SignaturePayload {
        docker_reference: text(critical.pointer("/identity/docker-reference")),
        manifest_digest: text(critical.pointer("/image/docker-manifest-digest")),
        kind: text(critical.get("type")),
        optional,
    })
}

/// A referrers fallback tag's entries as the page lists them.
pub fn referrer_items(index: &oci_spec::image::ImageIndex) -> Vec<ReferrerView> {
    index
        .manifests()
        .iter()
        .map(|d| ReferrerView {
            artifact_type: d
                .artifact_type()
                .as_ref()
                .map(|t| t.to_string())
                .filter(|t| !t.is_empty())
                .unwrap_or_else(|| d.media_type().to_string()),
            digest: d.digest().to_string(),
            size: d.size(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_simple_signing_payload_is_read_and_other_json_is_not() {
        let body = br#"{"critical":{"identity":{"docker-reference":"reg/app"},
            "image":{"docker-manifest-digest":"sha256:abc"},"type":"cosign container image signature"},
            "optional":{"by":"ci","run":42}}"#;
        let p = parse_payload(body).unwrap();
        assert_eq!(p.docker_reference, "reg/app");
        assert_eq!(p.manifest_digest, "sha256:abc");
        assert_eq!(p.kind, "cosign container image signature");
        assert_eq!(
            p.optional,
            vec![("by".into(), "ci".into()), ("run".into(), "42".into())]
        );
        assert!(parse_payload(br#"{"not":"a payload"}"#).is_none());
        assert!(parse_payload(b"\xff\xfe").is_none());
    }

    #[test]
    fn the_subject_comes_from_a_signature_tags_name() {
        let hex = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
        assert_eq!(
            subject_of_tag(&format!("sha256-{hex}.sig")),
            Some(format!("sha256:{hex}"))
        );
        assert_eq!(subject_of_tag("latest"), None);
    }
}
