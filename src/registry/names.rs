//! The names that go into registry URLs: repository names, tags and
//! references, per the distribution spec.
//!
//! Each type is built only by [`parse`](RepositoryName::parse), which
//! validates, and `RegistryClient` accepts nothing else. A name typed by a
//! user, posted in a form or listed by the registry goes through the same
//! constructor, so "no unchecked name reaches a URL" holds by type.

use std::fmt;

use super::digest::Digest;

/// What kind of name failed to parse, for the message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NameKind {
    Repository,
    Tag,
    Digest,
    Reference,
}

/// A string that is not a valid name of its kind.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{shown:?} is not a valid {}", kind_text(*kind))]
pub struct NameError {
    pub kind: NameKind,
    /// The refused input, cut to 80 characters: it may be hostile and long.
    pub shown: String,
}

fn kind_text(kind: NameKind) -> &'static str {
    match kind {
        NameKind::Repository => "repository name",
        NameKind::Tag => "tag",
        NameKind::Digest => "digest",
        NameKind::Reference => "tag or digest",
    }
}

impl NameError {
    pub(crate) fn new(kind: NameKind, input: &str) -> Self {
        Self {
            kind,
            shown: input.chars().take(80).collect(),
        }
    }
}

/// The shared surface of a validated string name: read access, display,
/// serde as a plain string (deserializing validates), `FromStr`.
macro_rules! validated_name {
    ($ty:ident) => {
        impl $ty {
            pub fn as_str(&self) -> &str {
                &self.0
            }
            pub fn into_string(self) -> String {
                self.0
            }
        }
        impl fmt::Display for $ty {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }
        impl AsRef<str> for $ty {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }
        impl PartialEq<str> for $ty {
            fn eq(&self, other: &str) -> bool {
                self.0 == other
            }
        }
        impl PartialEq<&str> for $ty {
            fn eq(&self, other: &&str) -> bool {
                self.0 == *other
            }
        }
        impl PartialEq<String> for $ty {
            fn eq(&self, other: &String) -> bool {
                &self.0 == other
            }
        }
        impl std::str::FromStr for $ty {
            type Err = NameError;
            fn from_str(s: &str) -> Result<Self, NameError> {
                Self::parse(s)
            }
        }
        impl TryFrom<String> for $ty {
            type Error = NameError;
            fn try_from(s: String) -> Result<Self, NameError> {
                Self::parse(&s)
            }
        }
        impl From<$ty> for String {
            fn from(n: $ty) -> String {
                n.0
            }
        }
    };
}
pub(crate) use validated_name;

/// A repository name: slash-separated components of lowercase alphanumerics
/// joined by `.`, `_`, `__` or runs of `-`; at most 255 bytes.
#[derive(
    Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
#[serde(try_from = "String", into = "String")]
pub struct RepositoryName(String);
validated_name!(RepositoryName);

impl RepositoryName {
    pub fn parse(name: &str) -> Result<Self, NameError> {
        if !name.is_empty() && name.len() <= 255 && name.split('/').all(is_valid_component) {
            Ok(Self(name.to_string()))
        } else {
            Err(NameError::new(NameKind::Repository, name))
        }
    }
}

fn is_valid_component(c: &str) -> bool {
    let b = c.as_bytes();
    let alnum = |x: u8| x.is_ascii_lowercase() || x.is_ascii_digit();
    if b.is_empty() || !alnum(b[0]) || !alnum(b[b.len() - 1]) {
        return false;
    }
    let mut i = 0;
    while i < b.len() {
        if alnum(b[i]) {
            i += 1;
            continue;
        }
        // A separator: ".", "_", "__" or one or more "-".
        let start = i;
        match b[i] {
            b'.' => i += 1,
            b'_' => {
                i += 1;
                if i < b.len() && b[i] == b'_' {
                    i += 1;
                }
            }
            b'-' => {
                while i < b.len() && b[i] == b'-' {
                    i += 1;
                }
            }
            _ => return false,
        }
        if i == start || i >= b.len() || !alnum(b[i]) {
            return false;
        }
    }
    true
}

/// A tag: `[A-Za-z0-9_][A-Za-z0-9._-]{0,127}`.
#[derive(
    Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
#[serde(try_from = "String", into = "String")]
pub struct Tag(String);
validated_name!(Tag);

impl Tag {
    pub fn parse(tag: &str) -> Result<Self, NameError> {
        let b = tag.as_bytes();
        let ok = !b.is_empty()
            && b.len() <= 128
            && (b[0].is_ascii_alphanumeric() || b[0] == b'_')
            && b.iter()
                .all(|&c| c.is_ascii_alphanumeric() || matches!(c, b'_' | b'.' | b'-'));
        if ok {
            Ok(Self(tag.to_string()))
        } else {
            Err(NameError::new(NameKind::Tag, tag))
        }
    }
}

/// What a manifest URL names: a tag or a digest. The two grammars do not
/// overlap (a tag has no `:`), so parsing is unambiguous.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Reference {
    Tag(Tag),
    Digest(Digest),
}

impl Reference {
    pub fn parse(s: &str) -> Result<Self, NameError> {
        if s.contains(':') {
            Digest::parse(s)
                .map(Self::Digest)
                .map_err(|_| NameError::new(NameKind::Reference, s))
        } else {
            Tag::parse(s)
                .map(Self::Tag)
                .map_err(|_| NameError::new(NameKind::Reference, s))
        }
    }

    pub fn as_str(&self) -> &str {
        match self {
            Self::Tag(t) => t.as_str(),
            Self::Digest(d) => d.as_str(),
        }
    }

    /// The digest, when the reference is one (its body can be verified).
    pub fn digest(&self) -> Option<&Digest> {
        match self {
            Self::Digest(d) => Some(d),
            Self::Tag(_) => None,
        }
    }
}

impl fmt::Display for Reference {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl From<Tag> for Reference {
    fn from(t: Tag) -> Self {
        Self::Tag(t)
    }
}

impl From<Digest> for Reference {
    fn from(d: Digest) -> Self {
        Self::Digest(d)
    }
}

impl From<&Tag> for Reference {
    fn from(t: &Tag) -> Self {
        Self::Tag(t.clone())
    }
}

impl From<&Digest> for Reference {
    fn from(d: &Digest) -> Self {
        Self::Digest(d.clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repositories() {
        for ok in [
            "app",
            "team-a/backend/app",
            "my.org/x_y",
            "a__b",
            "a---b/c.d",
            "0/1",
        ] {
            assert!(RepositoryName::parse(ok).is_ok(), "{ok}");
        }
        for bad in [
            "",
            "App",
            "-a",
            "a-",
            "a//b",
            "a/-/b",
            "a..b",
            "a___b",
            "../x",
            "a b",
            "a/",
            "a%2fb",
            "a\u{0430}",
            "a\nb",
        ] {
            assert!(RepositoryName::parse(bad).is_err(), "{bad}");
        }
        assert!(RepositoryName::parse(&"a".repeat(256)).is_err());
    }

    #[test]
    fn tags() {
        for ok in ["latest", "v1.10.0", "_x", "sha256-abc.sig", "A-b_c.d"] {
            assert!(Tag::parse(ok).is_ok(), "{ok}");
        }
        for bad in ["", ".x", "-x", "a/b", "a:b", "a%20", &"x".repeat(129)] {
            assert!(Tag::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn references_are_a_tag_or_a_digest() {
        let d = format!("sha256:{}", "a".repeat(64));
        assert!(matches!(Reference::parse(&d), Ok(Reference::Digest(_))));
        assert!(matches!(Reference::parse("v1"), Ok(Reference::Tag(_))));
        assert_eq!(Reference::parse(&d).unwrap().as_str(), d);
        for bad in ["sha256:abc", "md5:x", "..", "a/b", ""] {
            let e = Reference::parse(bad).unwrap_err();
            assert_eq!(e.kind, NameKind::Reference, "{bad}");
        }
    }

    #[test]
    fn errors_show_a_short_quoted_input() {
        let e = RepositoryName::parse(&"X".repeat(500)).unwrap_err();
        assert_eq!(e.shown.len(), 80);
        assert!(e.to_string().ends_with("is not a valid repository name"));
        let e = Tag::parse("a b").unwrap_err();
        assert_eq!(e.to_string(), "\"a b\" is not a valid tag");
    }

    #[test]
    fn serde_validates() {
        let ok: RepositoryName = serde_json::from_str("\"team/app\"").unwrap();
        assert_eq!(ok, "team/app");
        assert!(serde_json::from_str::<RepositoryName>("\"../etc\"").is_err());
        assert!(serde_json::from_str::<Tag>("\"a:b\"").is_err());
        assert_eq!(serde_json::to_string(&ok).unwrap(), "\"team/app\"");
    }
}
