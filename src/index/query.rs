//! The search box's language, parsed into terms the store can match. Pure:
//! no database, no registry.
//!
//! - `alp`: a repository name or tag containing it (case-insensitive);
//! - `sha256:3f2a9c` or `3f2a9c`: a digest prefix of 6 or more hex digits,
//!   matching manifests and the layers and configs inside them (a bare
//!   hex word also matches names, as it may be a tag);
//! - `label:key=value` or `label:key`;
//! - `platform:linux/arm64` (also matches `linux/arm64/v8`);
//! - `kind:image|index|artifact|signature|attestation|helm`.
//!
//! Every term must match (AND). Unknown `word:` prefixes are refused with
//! a message, not silently searched as text.

/// The shortest digest prefix searched for: shorter ones match too much.
pub const MIN_DIGEST_PREFIX: usize = 6;
/// Terms in one query.
pub const MAX_TERMS: usize = 8;
/// Characters in one query.
pub const MAX_QUERY_CHARS: usize = 256;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Term {
    /// Lower-cased substring of a repository name or tag.
    Text(String),
    /// Lower-case hex digits after `sha256:`; `also_text` for a bare word.
    Digest {
        hex: String,
        also_text: bool,
    },
    Label {
        key: String,
        value: Option<String>,
    },
    Platform(String),
    Kind(KindTerm),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KindTerm {
    Image,
    Index,
    Artifact,
    Signature,
    Attestation,
    /// Helm charts: artifacts with the Helm config type.
    Helm,
}

impl KindTerm {
    pub const NAMES: [&'static str; 6] = [
        "image",
        "index",
        "artifact",
        "signature",
        "attestation",
        "helm",
    ];

    /// The kind as the index files it (`index_facts`' `kind:` rows).
    pub fn name(self) -> &'static str {
        match self {
            KindTerm::Image => "image",
            KindTerm::Index => "index",
            KindTerm::Artifact => "artifact",
            KindTerm::Signature => "signature",
            KindTerm::Attestation => "attestation",
            KindTerm::Helm => "helm",
        }
    }

    fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "image" => KindTerm::Image,
            "index" => KindTerm::Index,
            "artifact" => KindTerm::Artifact,
            "signature" => KindTerm::Signature,
            "attestation" | "sbom" => KindTerm::Attestation,
            "helm" => KindTerm::Helm,
            _ => return None,
        })
    }
}

/// Why a query cannot be run, in words for the page (English keys are
/// looked up by the caller).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum QueryError {
    TooLong,
    TooManyTerms,
    /// `label:` with nothing after it, `platform:` empty, and the like.
    Empty(&'static str),
    UnknownKind(String),
    UnknownPrefix(String),
    /// `sha256:` followed by fewer than 6 hex digits, or not hex.
    ShortDigest(String),
}

/// Parses a query; an empty query is no terms.
pub fn parse(q: &str) -> Result<Vec<Term>, QueryError> {
    if q.chars().count() > MAX_QUERY_CHARS {
        return Err(QueryError::TooLong);
    }
    let words: Vec<&str> = q.split_whitespace().collect();
    if words.len() > MAX_TERMS {
        return Err(QueryError::TooManyTerms);
    }
    words.into_iter().map(term).collect()
}

fn term(word: &str) -> Result<Term, QueryError> {
    let lower = word.to_lowercase();
    if let Some(hex) = lower.strip_prefix("sha256:") {
        return if is_hex_prefix(hex) {
            Ok(Term::Digest {
                hex: hex.to_string(),
                also_text: false,
            })
        } else {
            Err(QueryError::ShortDigest(word.to_string()))
        };
    }
    if let Some((prefix, rest)) = word.split_once(':') {
        let rest = rest.trim();
        return match prefix.to_lowercase().as_str() {
            "label" => {
                let (key, value) = match rest.split_once('=') {
                    Some((k, v)) => (k, Some(v.to_string())),
                    None => (rest, None),
                };
                if key.is_empty() {
                    return Err(QueryError::Empty("label"));
                }
                Ok(Term::Label {
                    key: key.to_string(),
                    value,
                })
            }
            "platform" if rest.is_empty() => Err(QueryError::Empty("platform")),
            "platform" => Ok(Term::Platform(rest.to_lowercase())),
            "kind" => KindTerm::parse(&rest.to_lowercase())
                .map(Term::Kind)
                .ok_or_else(|| QueryError::UnknownKind(rest.to_string())),
            // A tag may hold no colon and a repository name neither, so
            // any other prefix is a mistake worth saying.
            _ => Err(QueryError::UnknownPrefix(prefix.to_string())),
        };
    }
    if is_hex_prefix(&lower) {
        return Ok(Term::Digest {
            hex: lower,
            also_text: true,
        });
    }
    Ok(Term::Text(lower))
}

fn is_hex_prefix(s: &str) -> bool {
    (MIN_DIGEST_PREFIX..=64).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_hexdigit())
}

/// `s` as a `LIKE` pattern body, with `\` as the escape character.
pub fn like_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_become_terms() {
        assert_eq!(parse("").unwrap(), vec![]);
        assert_eq!(
            parse("  Alpine  3.19 ").unwrap(),
            vec![Term::Text("alpine".into()), Term::Text("3.19".into())]
        );
        assert_eq!(
            parse("sha256:3F2A9C").unwrap(),
            vec![Term::Digest {
                hex: "3f2a9c".into(),
                also_text: false
            }]
        );
        assert_eq!(
            parse("deadbeef").unwrap(),
            vec![Term::Digest {
                hex: "deadbeef".into(),
                also_text: true
            }]
        );
        // Five hex digits are a word, not a digest.
        assert_eq!(parse("cafe1").unwrap(), vec![Term::Text("cafe1".into())]);
        assert_eq!(
            parse("label:maintainer=Team-A label:org.opencontainers.image.title").unwrap(),
            vec![
                Term::Label {
                    key: "maintainer".into(),
                    value: Some("Team-A".into())
                },
                Term::Label {
                    key: "org.opencontainers.image.title".into(),
                    value: None
                }
            ]
        );
        assert_eq!(
            parse("platform:linux/ARM64 kind:helm KIND:signature").unwrap(),
            vec![
                Term::Platform("linux/arm64".into()),
                Term::Kind(KindTerm::Helm),
                Term::Kind(KindTerm::Signature)
            ]
        );
    }

    #[test]
    fn mistakes_are_named() {
        assert_eq!(
            parse("sha256:abc"),
            Err(QueryError::ShortDigest("sha256:abc".into()))
        );
        assert_eq!(
            parse("sha256:xyzxyzxyz"),
            Err(QueryError::ShortDigest("sha256:xyzxyzxyz".into()))
        );
        assert_eq!(
            parse("kind:car"),
            Err(QueryError::UnknownKind("car".into()))
        );
        assert_eq!(
            parse("tag:v1"),
            Err(QueryError::UnknownPrefix("tag".into()))
        );
        assert_eq!(parse("label:"), Err(QueryError::Empty("label")));
        assert_eq!(parse("label:=x"), Err(QueryError::Empty("label")));
        assert_eq!(parse("platform:"), Err(QueryError::Empty("platform")));
        assert_eq!(parse(&"a ".repeat(9)), Err(QueryError::TooManyTerms));
        assert_eq!(parse(&"a".repeat(257)), Err(QueryError::TooLong));
    }

    #[test]
    fn like_patterns_are_escaped() {
        assert_eq!(like_escape("a_b%c\\d"), "a\\_b\\%c\\\\d");
    }
}
