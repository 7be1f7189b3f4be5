//! Cosign-style tags (`sha256-<hex>.sig`, `.att`, `.sbom`, and the OCI 1.1
//! fallback `sha256-<hex>`) hang under the image whose digest they name.
//! The tag list and the tag page both group them here.

use std::collections::HashMap;

use crate::model::SignatureTag;
use crate::registry::signatures;

/// The signature tags among `tags`, by the digest they are about, each
/// group sorted by tag.
pub fn by_subject<'a>(
    tags: impl IntoIterator<Item = &'a str>,
) -> HashMap<String, Vec<SignatureTag>> {
    let mut out: HashMap<String, Vec<SignatureTag>> = HashMap::new();
    for tag in tags {
        if let Some((subject, kind)) = signatures::parse_tag(tag) {
            out.entry(subject.into_string())
                .or_default()
                .push(SignatureTag {
                    tag: tag.to_string(),
                    kind: kind.label().into(),
                });
        }
    }
    for group in out.values_mut() {
        group.sort_by(|a, b| a.tag.cmp(&b.tag));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_by_subject_and_sorts() {
        let hex = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
        let sig = format!("sha256-{hex}.sig");
        let att = format!("sha256-{hex}.att");
        let map = by_subject([att.as_str(), "latest", sig.as_str(), "sha256-abc.sig"]);
        assert_eq!(map.len(), 1);
        let group = &map[&format!("sha256:{hex}")];
        assert_eq!(
            group.iter().map(|s| s.tag.as_str()).collect::<Vec<_>>(),
            [att.as_str(), sig.as_str()]
        );
        assert_eq!(group[1].kind, "signature");
    }
}
