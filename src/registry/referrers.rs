//! Referrers: artifacts (signatures, SBOMs, attestations) that point at an
//! image through their `subject`. Read from the OCI 1.1 referrers API when
//! the registry has it, else from the fallback tag `sha256-<hex>` (an index
//! of referrers) that OCI 1.1 clients push to older registries.

use serde::Deserialize;
use std::collections::BTreeMap;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Referrer {
    pub digest: String,
    pub media_type: String,
    pub artifact_type: Option<String>,
    pub size: u64,
    pub annotations: BTreeMap<String, String>,
}

#[derive(Deserialize)]
struct Index {
    #[serde(default)]
    manifests: Vec<Entry>,
}

#[derive(Deserialize)]
struct Entry {
    #[serde(default)]
    digest: String,
    #[serde(default, rename = "mediaType")]
    media_type: String,
    #[serde(default, rename = "artifactType")]
    artifact_type: Option<String>,
    #[serde(default)]
    size: u64,
    #[serde(default)]
    annotations: BTreeMap<String, String>,
}

/// True when a body is an image index (the only valid referrers answer).
pub fn looks_like_index(body: &[u8]) -> bool {
    serde_json::from_slice::<serde_json::Value>(body)
        .ok()
        .and_then(|v| v.get("manifests").map(|m| m.is_array()))
        .unwrap_or(false)
}

/// The referrers listed in an index (API answer or fallback tag).
pub fn parse(body: &[u8]) -> Vec<Referrer> {
    serde_json::from_slice::<Index>(body)
        .map(|ix| {
            ix.manifests
                .into_iter()
                .filter(|e| super::digest::is_valid(&e.digest))
                .map(|e| Referrer {
                    digest: e.digest,
                    media_type: e.media_type,
                    artifact_type: e.artifact_type,
                    size: e.size,
                    annotations: e.annotations,
                })
                .collect()
        })
        .unwrap_or_default()
}

/// The fallback tag for a subject (OCI distribution spec): `<alg>-<ref>`
/// with the algorithm cut to 32 and the encoded part to 64 characters, and
/// every character a tag cannot hold replaced by `-`.
pub fn fallback_tag(subject: &str) -> Option<String> {
    let (alg, encoded) = subject.split_once(':')?;
    let clean = |s: &str, max: usize| -> String {
        s.chars()
            .take(max)
            .map(|c| {
                if c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-') {
                    c
                } else {
                    '-'
                }
            })
            .collect()
    };
    Some(format!("{}-{}", clean(alg, 32), clean(encoded, 64)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fallback_tag_replaces_the_colon() {
        assert_eq!(fallback_tag("sha256:0123").as_deref(), Some("sha256-0123"));
    }

    #[test]
    fn a_plain_404_page_is_not_an_index() {
        assert!(!looks_like_index(b"404 page not found"));
        assert!(looks_like_index(br#"{"schemaVersion":2,"manifests":[]}"#));
    }
}
