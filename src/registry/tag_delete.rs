//! Whether a registry can remove a tag alone (`DELETE …/manifests/<tag>`),
//! judged from its answer to deleting a tag that does not exist.

use super::error::RegistryError;

/// What a registry's answer to deleting a tag that does not exist says
/// about tag deletes: a 404 means the route works; 400 / 405 /
/// `UNSUPPORTED` mean it does not. Anything else (denied, down) says
/// nothing yet.
pub fn classify_probe(answer: &Result<(), RegistryError>) -> Option<bool> {
    match answer {
        // Deleting a tag that does not exist: the operation exists.
        Err(RegistryError::NotFound(_)) | Ok(()) => Some(true),
        Err(RegistryError::Unsupported(_)) => Some(false),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn probe_answers_map_to_support() {
        assert_eq!(
            classify_probe(&Err(RegistryError::NotFound("MANIFEST_UNKNOWN".into()))),
            Some(true)
        );
        assert_eq!(
            classify_probe(&Err(RegistryError::Unsupported("DIGEST_INVALID".into()))),
            Some(false)
        );
        assert_eq!(
            classify_probe(&Err(RegistryError::Denied("x".into()))),
            None
        );
    }
}
