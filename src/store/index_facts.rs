//! The searchable facts of a manifest: the rows of `index_facts` that
//! `label:`, `platform:` and `kind:` terms read (migration 0006 says
//! why the table exists). Pure functions; the writes happen with the
//! manifest in `Database::index_put_manifest`.

use super::index::{EdgeRole, IndexKind, IndexedManifest};

/// Longer facts are not stored: a B-tree key has to stay small in both
/// dialects, and such a term falls back to the tables.
pub const MAX_FACT_CHARS: usize = 512;

pub const HELM_CONFIG: &str = "application/vnd.cncf.helm.config.v1+json";
pub const HELM_FACT: &str = "kind:helm";

fn fits(fact: String) -> Option<String> {
    (fact.chars().count() <= MAX_FACT_CHARS).then_some(fact)
}

/// The fact a `label:` term looks up, or `None` when it would be too long
/// to have been stored.
pub fn label_fact(key: &str, value: Option<&str>) -> Option<String> {
    fits(match value {
        Some(v) => format!("label:{key}={v}"),
        None => format!("label:{key}"),
    })
}

/// The fact a `platform:` term looks up.
pub fn platform_fact(platform: &str) -> Option<String> {
    fits(format!("platform:{platform}"))
}

/// A platform at every level a term may name: `linux`, `linux/arm64` and
/// `linux/arm64/v8` for the last.
pub fn platform_facts(platform: &str) -> Vec<String> {
    if platform.is_empty() {
        return Vec::new();
    }
    let parts: Vec<&str> = platform.split('/').collect();
    let mut out = Vec::new();
    if parts.len() >= 2 && !parts[0].is_empty() {
        out.push(parts[0].to_string());
    }
    if parts.len() >= 3 && !parts[0].is_empty() && !parts[1].is_empty() {
        out.push(format!("{}/{}", parts[0], parts[1]));
    }
    out.push(platform.to_string());
    out.into_iter().filter_map(|p| platform_fact(&p)).collect()
}

/// A label as `key=value` and as `key`.
pub fn label_facts(key: &str, value: &str) -> Vec<String> {
    [label_fact(key, Some(value)), label_fact(key, None)]
        .into_iter()
        .flatten()
        .collect()
}

/// What a manifest is found by on its own: its kind, platform and labels, an
/// index's platforms (from its own entries, so known before its images are
/// described), and Helm. An index's images' labels are added when both are
/// known (see `index_put_manifest`).
pub fn own_facts(m: &IndexedManifest) -> Vec<String> {
    let mut out = platform_facts(&m.platform);
    out.push(format!("kind:{}", m.kind.as_str()));
    if m.kind == IndexKind::Index {
        for e in m.edges.iter().filter(|e| e.role == EdgeRole::Manifest) {
            out.extend(platform_facts(&e.platform));
        }
    }
    for (k, v) in &m.labels {
        out.extend(label_facts(k, v));
    }
    if m.artifact_type == HELM_CONFIG {
        out.push(HELM_FACT.to_string());
    }
    out.sort();
    out.dedup();
    out
}

/// The facts of an image an index passes on to the index: its labels
/// (platforms the index states itself).
pub fn passed_up(m: &IndexedManifest) -> Vec<String> {
    let mut out: Vec<String> = m
        .labels
        .iter()
        .flat_map(|(k, v)| label_facts(k, v))
        .collect();
    out.sort();
    out.dedup();
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::index::IndexEdge;

    fn manifest(kind: IndexKind) -> IndexedManifest {
        IndexedManifest {
            digest: "sha256:1".into(),
            media_type: String::new(),
            kind,
            bytes: 1,
            size: None,
            created: None,
            platform: String::new(),
            artifact: String::new(),
            artifact_type: String::new(),
            subject: String::new(),
            edges: Vec::new(),
            labels: Vec::new(),
        }
    }

    #[test]
    fn a_platform_is_found_at_every_level() {
        assert_eq!(
            platform_facts("linux/arm64/v8"),
            vec![
                "platform:linux",
                "platform:linux/arm64",
                "platform:linux/arm64/v8"
            ]
        );
        assert_eq!(
            platform_facts("linux/amd64"),
            vec!["platform:linux", "platform:linux/amd64"]
        );
        assert_eq!(platform_facts("plan9"), vec!["platform:plan9"]);
        assert!(platform_facts("").is_empty());
        // A malformed platform is stored as it is, never split into "".
        assert_eq!(platform_facts("/x"), vec!["platform:/x"]);
    }

    #[test]
    fn an_index_is_found_by_its_platforms_and_an_image_by_its_labels() {
        let mut index = manifest(IndexKind::Index);
        index.edges = vec![IndexEdge {
            child: "sha256:2".into(),
            role: EdgeRole::Manifest,
            size: 1,
            platform: "linux/arm/v7".into(),
            about: String::new(),
        }];
        assert_eq!(
            own_facts(&index),
            vec![
                "kind:index",
                "platform:linux",
                "platform:linux/arm",
                "platform:linux/arm/v7"
            ]
        );
        let mut image = manifest(IndexKind::Image);
        image.platform = "linux/amd64".into();
        image.labels = vec![("tier".into(), "web".into())];
        assert_eq!(
            own_facts(&image),
            vec![
                "kind:image",
                "label:tier",
                "label:tier=web",
                "platform:linux",
                "platform:linux/amd64"
            ]
        );
        assert_eq!(passed_up(&image), vec!["label:tier", "label:tier=web"]);
        let mut chart = manifest(IndexKind::Artifact);
        chart.artifact_type = HELM_CONFIG.into();
        assert_eq!(own_facts(&chart), vec!["kind:artifact", HELM_FACT]);
    }

    #[test]
    fn a_fact_too_long_for_a_key_is_not_stored_and_not_looked_up() {
        let long = "x".repeat(MAX_FACT_CHARS);
        assert_eq!(label_facts("k", &long), vec!["label:k"]);
        assert_eq!(label_fact("k", Some(&long)), None);
        assert!(label_fact("k", Some("short")).is_some());
    }
}
