//! Tags that are about another image rather than images of their own:
//! cosign stores a signature, attestation or SBOM of the image with digest
//! `sha256:<hex>` under `sha256-<hex>.sig`, `.att` or `.sbom`; OCI 1.1
//! clients store the referrers index of a registry without the referrers
//! API under `sha256-<hex>`.

use super::digest::Digest;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum SignatureKind {
    Signature,
    Attestation,
    Sbom,
    /// The OCI 1.1 fallback referrers index.
    Referrers,
}

impl SignatureKind {
    pub fn label(self) -> &'static str {
        match self {
            SignatureKind::Signature => "signature",
            SignatureKind::Attestation => "attestation",
            SignatureKind::Sbom => "SBOM",
            SignatureKind::Referrers => "referrers",
        }
    }
}

/// For a cosign-style tag, the digest it is about and what it holds.
pub fn parse_tag(tag: &str) -> Option<(Digest, SignatureKind)> {
    let (base, kind) = if let Some(b) = tag.strip_suffix(".sig") {
        (b, SignatureKind::Signature)
    } else if let Some(b) = tag.strip_suffix(".att") {
        (b, SignatureKind::Attestation)
    } else if let Some(b) = tag.strip_suffix(".sbom") {
        (b, SignatureKind::Sbom)
    } else {
        (tag, SignatureKind::Referrers)
    };
    let hex = base.strip_prefix("sha256-")?;
    let digest = Digest::parse(&format!("sha256:{hex}")).ok()?;
    Some((digest, kind))
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEX: &str = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    #[test]
    fn recognises_the_three_suffixes() {
        let d = Digest::parse(&format!("sha256:{HEX}")).unwrap();
        assert_eq!(
            parse_tag(&format!("sha256-{HEX}.sig")),
            Some((d.clone(), SignatureKind::Signature))
        );
        assert_eq!(
            parse_tag(&format!("sha256-{HEX}.att")),
            Some((d.clone(), SignatureKind::Attestation))
        );
        assert_eq!(
            parse_tag(&format!("sha256-{HEX}.sbom")),
            Some((d, SignatureKind::Sbom))
        );
    }

    #[test]
    fn ordinary_tags_and_short_digests_are_not_signatures() {
        assert_eq!(parse_tag("v1.0.sig"), None);
        assert_eq!(parse_tag("sha256-abc.sig"), None);
        assert_eq!(
            parse_tag(&format!("sha256-{HEX}")),
            Some((
                Digest::parse(&format!("sha256:{HEX}")).unwrap(),
                SignatureKind::Referrers
            ))
        );
        assert_eq!(parse_tag("latest"), None);
    }
}
