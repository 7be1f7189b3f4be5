//! The error codes of the distribution spec's `{"errors":[{"code":…}]}`
//! envelope, as a type: callers match on variants, not on strings.

use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ErrorCode {
    BlobUnknown,
    BlobUploadInvalid,
    BlobUploadUnknown,
    DigestInvalid,
    ManifestBlobUnknown,
    ManifestInvalid,
    ManifestUnknown,
    ManifestUnverified,
    NameInvalid,
    NameUnknown,
    SizeInvalid,
    TagInvalid,
    Unauthorized,
    Denied,
    Unsupported,
    TooManyRequests,
    PaginationNumberInvalid,
    /// A code the spec does not name (Harbor's `NOT_FOUND`, for one).
    Other(String),
    /// No envelope, or an entry without a code.
    None,
}

const NAMES: [(ErrorCode, &str); 17] = [
    (ErrorCode::BlobUnknown, "BLOB_UNKNOWN"),
    (ErrorCode::BlobUploadInvalid, "BLOB_UPLOAD_INVALID"),
    (ErrorCode::BlobUploadUnknown, "BLOB_UPLOAD_UNKNOWN"),
    (ErrorCode::DigestInvalid, "DIGEST_INVALID"),
    (ErrorCode::ManifestBlobUnknown, "MANIFEST_BLOB_UNKNOWN"),
    (ErrorCode::ManifestInvalid, "MANIFEST_INVALID"),
    (ErrorCode::ManifestUnknown, "MANIFEST_UNKNOWN"),
    (ErrorCode::ManifestUnverified, "MANIFEST_UNVERIFIED"),
    (ErrorCode::NameInvalid, "NAME_INVALID"),
    (ErrorCode::NameUnknown, "NAME_UNKNOWN"),
    (ErrorCode::SizeInvalid, "SIZE_INVALID"),
    (ErrorCode::TagInvalid, "TAG_INVALID"),
    (ErrorCode::Unauthorized, "UNAUTHORIZED"),
    (ErrorCode::Denied, "DENIED"),
    (ErrorCode::Unsupported, "UNSUPPORTED"),
    (ErrorCode::TooManyRequests, "TOOMANYREQUESTS"),
    (
        ErrorCode::PaginationNumberInvalid,
        "PAGINATION_NUMBER_INVALID",
    ),
];

/// Codes longer than this are cut: the code is shown to people.
const MAX_CODE_CHARS: usize = 64;

impl ErrorCode {
    pub fn parse(code: &str) -> Self {
        let code = code.trim();
        if code.is_empty() {
            return ErrorCode::None;
        }
        NAMES
            .iter()
            .find(|(_, name)| name.eq_ignore_ascii_case(code))
            .map(|(c, _)| c.clone())
            .unwrap_or_else(|| ErrorCode::Other(code.chars().take(MAX_CODE_CHARS).collect()))
    }

    pub fn as_str(&self) -> &str {
        match self {
            ErrorCode::Other(s) => s,
            ErrorCode::None => "",
            known => NAMES
                .iter()
                .find(|(c, _)| c == known)
                .map_or("", |(_, name)| name),
        }
    }

    pub fn is_none(&self) -> bool {
        *self == ErrorCode::None
    }
}

impl fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_codes_round_trip_and_others_are_kept_short() {
        for (code, name) in NAMES.iter() {
            assert_eq!(&ErrorCode::parse(name), code);
            assert_eq!(code.as_str(), *name);
        }
        assert_eq!(
            ErrorCode::parse("not_found"),
            ErrorCode::Other("not_found".into())
        );
        assert_eq!(ErrorCode::parse(" "), ErrorCode::None);
        assert_eq!(
            ErrorCode::parse(&"X".repeat(500)).as_str().len(),
            MAX_CODE_CHARS
        );
    }
}
