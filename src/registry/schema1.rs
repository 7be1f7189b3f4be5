//! Docker schema 1 signed manifests (legacy). Their digest is the sha256 of
//! the JWS payload: the body up to `formatLength` plus the decoded
//! `formatTail`, both named in each signature's protected header.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use serde::Deserialize;

#[derive(Deserialize)]
struct Signed {
    #[serde(default)]
    signatures: Vec<Signature>,
}

#[derive(Deserialize)]
struct Signature {
    protected: String,
}

#[derive(Deserialize)]
struct Protected {
    #[serde(rename = "formatLength")]
    format_length: usize,
    #[serde(rename = "formatTail")]
    format_tail: String,
}

/// The registry's digest of a signed schema 1 manifest, or None if the
/// body is not one.
pub fn payload_digest(body: &[u8]) -> Option<String> {
    let signed: Signed = serde_json::from_slice(body).ok()?;
    let protected = &signed.signatures.first()?.protected;
    let header = URL_SAFE_NO_PAD
        .decode(protected.trim_end_matches('='))
        .ok()?;
    let p: Protected = serde_json::from_slice(&header).ok()?;
    let tail = URL_SAFE_NO_PAD
        .decode(p.format_tail.trim_end_matches('='))
        .ok()?;
    let mut payload = body.get(..p.format_length)?.to_vec();
    payload.extend_from_slice(&tail);
    Some(super::digest::sha256_of(&payload))
}
