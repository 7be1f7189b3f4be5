//! Content digests (`sha256:<hex>`): the validated type and hashing.

use std::fmt;

use sha2::{Digest as _, Sha256};

use super::names::{validated_name, NameError, NameKind};

/// A well-formed sha256 digest. Other algorithms are rare in registry:2 and
/// are refused rather than passed into a URL unchecked.
#[derive(
    Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
#[serde(try_from = "String", into = "String")]
pub struct Digest(String);
validated_name!(Digest);

impl Digest {
    pub fn parse(s: &str) -> Result<Self, NameError> {
        if is_valid(s) {
            Ok(Self(s.to_string()))
        } else {
            Err(NameError::new(NameKind::Digest, s))
        }
    }

    /// The digest of some bytes.
    pub fn of(bytes: &[u8]) -> Self {
        Self(sha256_of(bytes))
    }

    /// The 64 hex digits after `sha256:`.
    pub fn hex(&self) -> &str {
        &self.0["sha256:".len()..]
    }

    /// Whether `bytes` hash to this digest.
    pub fn matches(&self, bytes: &[u8]) -> bool {
        sha256_of(bytes) == self.0
    }
}

/// Computes the canonical `sha256:<hex>` digest of some bytes.
pub fn sha256_of(bytes: &[u8]) -> String {
    format!("sha256:{}", hex::encode(Sha256::digest(bytes)))
}

/// True for a well-formed sha256 digest.
pub fn is_valid(digest: &str) -> bool {
    match digest.strip_prefix("sha256:") {
        Some(hex) => hex.len() == 64 && hex.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f')),
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn computes_known_digest() {
        assert_eq!(
            Digest::of(b"").as_str(),
            "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
    }

    #[test]
    fn validates_format() {
        assert!(Digest::parse(&sha256_of(b"x")).is_ok());
        for bad in [
            "sha256:abc",
            "md5:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
            "sha256:E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855",
            "sha256:../../../../etc/passwd0000000000000000000000000000000000000000",
        ] {
            assert!(Digest::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn matches_checks_the_body() {
        let d = Digest::of(b"hello");
        assert!(d.matches(b"hello"));
        assert!(!d.matches(b"hellO"));
        assert_eq!(d.hex().len(), 64);
    }
}
