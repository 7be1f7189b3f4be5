//! A repository's tag rows made from the index, the same rows the live
//! walk (`server::inventory`) makes from the registry. Pure: the rows the
//! store read in, `TagRow`s out.

use std::collections::HashMap;

use crate::model::{PlatformSize, TagRow};
use crate::registry::signatures;
use crate::store::index_rows::{IndexedChildRow, RepositoryRows};

/// Kinds whose manifest is a single-platform image manifest (what the live
/// walk reads as `Parsed::Image`).
fn is_image_manifest(kind: &str) -> bool {
    matches!(kind, "image" | "artifact" | "signature" | "attestation")
}

/// The rows, or `None` when a tag's manifest is not described (the live
/// walk is then the only way to show it).
pub fn tag_rows(repo: &RepositoryRows) -> Option<Vec<TagRow>> {
    let mut children: HashMap<&str, Vec<&IndexedChildRow>> = HashMap::new();
    for c in &repo.children {
        children.entry(c.parent.as_str()).or_default().push(c);
    }
    repo.tags
        .iter()
        .map(|t| {
            let kind = t.kind.as_deref()?;
            let mut row = TagRow {
                tag: t.tag.clone(),
                digest: t.digest.clone(),
                signature_of: signatures::parse_tag(&t.tag).map(|(d, _)| d.into_string()),
                ..Default::default()
            };
            let size = t.size.and_then(|s| u64::try_from(s).ok());
            let text = |s: &Option<String>| s.clone().filter(|s| !s.is_empty());
            match kind {
                k if is_image_manifest(k) => {
                    row.size = size;
                    if let Some(label) = text(&t.artifact).or_else(|| text(&t.artifact_type)) {
                        row.artifact = Some(label);
                    } else {
                        row.created = t.created;
                        row.platforms.push(PlatformSize {
                            platform: t.platform.clone().unwrap_or_default(),
                            size,
                            attested: false,
                            missing: false,
                        });
                    }
                }
                "index" => {
                    row.is_index = true;
                    let of = children.get(t.digest.as_str()).cloned().unwrap_or_default();
                    let attested: Vec<&str> = of
                        .iter()
                        .filter(|c| c.role == "attestation")
                        .map(|c| c.about.as_str())
                        .collect();
                    for c in of.iter().filter(|c| c.role == "manifest") {
                        let missing = c.missing || c.kind.is_none();
                        let image = !missing && c.kind.as_deref().is_some_and(is_image_manifest);
                        if image && row.created.is_none() {
                            row.created = c.created;
                        }
                        row.platforms.push(PlatformSize {
                            platform: if c.platform.is_empty() {
                                "unknown".into()
                            } else {
                                c.platform.clone()
                            },
                            size: if image {
                                c.size.and_then(|s| u64::try_from(s).ok())
                            } else {
                                None
                            },
                            attested: attested.contains(&c.child.as_str()),
                            missing,
                        });
                    }
                }
                "legacy" => {
                    row.legacy = true;
                    row.platforms.push(PlatformSize {
                        platform: t.platform.clone().unwrap_or_default(),
                        size: None,
                        attested: false,
                        missing: false,
                    });
                }
                _ => {}
            }
            Some(row)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::index_rows::IndexedTagRow;

    fn tag(tag: &str, digest: &str, kind: Option<&str>) -> IndexedTagRow {
        IndexedTagRow {
            tag: tag.into(),
            digest: digest.into(),
            kind: kind.map(String::from),
            size: Some(1000),
            created: Some(1_700_000_000),
            platform: Some("linux/amd64".into()),
            artifact: Some(String::new()),
            artifact_type: Some(String::new()),
        }
    }

    fn child(
        parent: &str,
        child: &str,
        role: &str,
        platform: &str,
        kind: Option<&str>,
    ) -> IndexedChildRow {
        IndexedChildRow {
            parent: parent.into(),
            child: child.into(),
            role: role.into(),
            platform: platform.into(),
            about: if role == "attestation" {
                "sha256:amd".into()
            } else {
                String::new()
            },
            kind: kind.map(String::from),
            missing: false,
            size: Some(500),
            created: kind.map(|_| 1_600_000_000),
        }
    }

    #[test]
    fn images_indexes_artifacts_and_legacy_become_the_live_walks_rows() {
        let mut chart = tag("chart", "sha256:c", Some("artifact"));
        chart.artifact = Some("Helm chart web 1.2.0".into());
        let mut legacy = tag("old", "sha256:l", Some("legacy"));
        legacy.platform = Some("linux/386".into());
        let repo = RepositoryRows {
            listed_ms: 5,
            skipped: 0,
            tags: vec![
                tag("1.0", "sha256:i", Some("image")),
                tag("multi", "sha256:x", Some("index")),
                chart,
                legacy,
            ],
            children: vec![
                child(
                    "sha256:x",
                    "sha256:amd",
                    "manifest",
                    "linux/amd64",
                    Some("image"),
                ),
                child("sha256:x", "sha256:arm", "manifest", "linux/arm64/v8", None),
                child(
                    "sha256:x",
                    "sha256:att",
                    "attestation",
                    "unknown/unknown",
                    Some("attestation"),
                ),
            ],
        };
        let rows = tag_rows(&repo).unwrap();
        assert_eq!(rows[0].platforms[0].platform, "linux/amd64");
        assert_eq!(
            (rows[0].size, rows[0].created),
            (Some(1000), Some(1_700_000_000))
        );
        let multi = &rows[1];
        assert!(multi.is_index);
        assert_eq!(multi.size, None);
        assert_eq!(multi.created, Some(1_600_000_000));
        assert_eq!(
            multi.platforms,
            vec![
                PlatformSize {
                    platform: "linux/amd64".into(),
                    size: Some(500),
                    attested: true,
                    missing: false
                },
                PlatformSize {
                    platform: "linux/arm64/v8".into(),
                    size: None,
                    attested: false,
                    missing: true
                },
            ]
        );
        assert_eq!(rows[2].artifact.as_deref(), Some("Helm chart web 1.2.0"));
        assert!(rows[2].platforms.is_empty());
        assert!(rows[3].legacy);
        assert_eq!(rows[3].platforms[0].platform, "linux/386");
    }

    #[test]
    fn a_tag_not_described_leaves_it_to_the_live_walk() {
        let repo = RepositoryRows {
            listed_ms: 5,
            skipped: 0,
            tags: vec![
                tag("1.0", "sha256:i", Some("image")),
                tag("2.0", "sha256:j", None),
            ],
            children: Vec::new(),
        };
        assert_eq!(tag_rows(&repo), None);
    }

    #[test]
    fn cosign_tags_name_what_they_sign() {
        let hex = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
        let mut sig = tag(&format!("sha256-{hex}.sig"), "sha256:s", Some("signature"));
        sig.artifact_type = Some(String::new());
        let repo = RepositoryRows {
            listed_ms: 5,
            skipped: 0,
            tags: vec![sig],
            children: Vec::new(),
        };
        let rows = tag_rows(&repo).unwrap();
        assert_eq!(rows[0].signature_of, Some(format!("sha256:{hex}")));
    }
}
