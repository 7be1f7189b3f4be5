//! Content digests (`sha256:<hex>`): validation and computation.

use sha2::{Digest as _, Sha256};

/// Computes the canonical `sha256:<hex>` digest of some bytes.
pub fn sha256_of(bytes: &[u8]) -> String {
    format!("sha256:{}", hex::encode(Sha256::digest(bytes)))
}

/// True for a well-formed sha256 digest. Other algorithms are rare in
/// registry:2 and are refused rather than passed through unchecked.
pub fn is_valid(digest: &str) -> bool {
    match digest.strip_prefix("sha256:") {
        Some(hex) => hex.len() == 64 && hex.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f')),
        None => false,
    }
}

/// Checks that `bytes` hash to `expected`, when `expected` is sha256.
pub fn verify(expected: &str, bytes: &[u8]) -> bool {
    !expected.starts_with("sha256:") || sha256_of(bytes) == expected
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn computes_known_digest() {
        assert_eq!(
            sha256_of(b""),
            "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
    }

    #[test]
    fn validates_format() {
        assert!(is_valid(&sha256_of(b"x")));
        assert!(!is_valid("sha256:abc"));
        assert!(!is_valid(
            "md5:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        ));
        assert!(!is_valid(
            "sha256:E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855"
        ));
        assert!(!is_valid(
            "sha256:../../../../etc/passwd0000000000000000000000000000000000000000"
        ));
    }

    #[test]
    fn verify_checks_the_body() {
        let d = sha256_of(b"hello");
        assert!(verify(&d, b"hello"));
        assert!(!verify(&d, b"hellO"));
    }
}
