//! `/r/<repo>/-/compare?a=&b=`: two tags (the same platform of each, for
//! indexes), by platforms, layers, config and files, with line diffs of
//! changed text files.

use std::collections::{BTreeMap, BTreeSet};

use oci_spec::image::{ImageConfiguration, ImageManifest};

use super::image_files::locate;
use super::image_target::{image_target, layer_error, ImageTarget};
use super::inventory::shared_tag_list;
use super::state::AppState;
use crate::error::AppError;
use crate::layers::changes::{changes, line_diff, PathChange};
use crate::layers::merged::{Merged, Node};
use crate::layers::preview;
use crate::model::compare::*;
use crate::registry::manifest;
use crate::registry::Credentials;

/// Changed paths listed.
const MAX_FILES: usize = 1000;
/// Tags offered in the pickers.
const MAX_TAGS: usize = 500;
/// A text diff is made for files up to this size on both sides.
pub const DIFF_MAX: u64 = 256 << 10;
/// Changed text files diffed on the page without being asked for.
const AUTO_DIFFS: usize = 5;
const DIFF_LINES: usize = 2000;

pub async fn compare_view(
    state: &AppState,
    creds: &Credentials,
    repo: &str,
    query: CompareQuery,
) -> Result<CompareView, AppError> {
    let list = shared_tag_list(state, creds, repo).await?;
    let tags = list
        .rows
        .iter()
        .take(MAX_TAGS)
        .map(|r| r.tag.clone())
        .collect();
    let b_repo = query
        .b_repo
        .clone()
        .filter(|r| !r.trim().is_empty())
        .unwrap_or_else(|| repo.to_string());
    let given = |s: &Option<String>| s.clone().filter(|s| !s.trim().is_empty());
    let result = match (given(&query.a), given(&query.b)) {
        (Some(a), Some(b)) => Some(compare(state, creds, repo, &a, &b_repo, &b, &query).await?),
        _ => None,
    };
    Ok(CompareView {
        repository: repo.to_string(),
        b_repository: b_repo,
        query,
        tags,
        result,
    })
}

async fn compare(
    state: &AppState,
    creds: &Credentials,
    repo: &str,
    a: &str,
    b_repo: &str,
    b: &str,
    query: &CompareQuery,
) -> Result<Comparison, AppError> {
    let asked = query.platform.as_deref().filter(|p| !p.is_empty());
    let ta = image_target(state, creds, repo, a, asked).await?;
    // The same platform on both sides; when none was asked for and `b`
    // lacks `a`'s first, `b`'s own first.
    // `a`'s platform: the index's pick, or a single image's own.
    let a_platform = ta
        .platform
        .clone()
        .unwrap_or_else(|| manifest::config_platform(&ta.config));
    let tb = match image_target(state, creds, b_repo, b, Some(asked.unwrap_or(&a_platform))).await {
        Err(AppError::NotFound(_)) if asked.is_none() => {
            image_target(state, creds, b_repo, b, None).await?
        }
        other => other?,
    };
    let platforms = |t: &ImageTarget| -> Vec<String> {
        if t.platforms.is_empty() {
            vec![manifest::config_platform(&t.config)]
        } else {
            t.platforms.clone()
        }
    };
    let (pa, pb) = (platforms(&ta), platforms(&tb));
    let a_digests: Vec<String> = ta.layers.iter().map(|l| l.digest.to_string()).collect();
    let b_digests: Vec<String> = tb.layers.iter().map(|l| l.digest.to_string()).collect();
    let mut layers: Vec<LayerDiff> = ta
        .layers
        .iter()
        .enumerate()
        .map(|(i, l)| {
            let d = l.digest.to_string();
            let in_b = b_digests.iter().position(|x| *x == d);
            LayerDiff {
                change: if in_b.is_some() {
                    Change::Shared
                } else {
                    Change::Removed
                },
                digest: d,
                size: l.size,
                in_a: Some(i),
                in_b,
            }
        })
        .collect();
    layers.extend(
        tb.layers
            .iter()
            .enumerate()
            .filter(|(_, l)| !a_digests.contains(&l.digest.to_string()))
            .map(|(i, l)| LayerDiff {
                digest: l.digest.to_string(),
                size: l.size,
                change: Change::Added,
                in_a: None,
                in_b: Some(i),
            }),
    );
    let size = |t: &ImageTarget| t.layers.iter().fold(0u64, |s, l| s.saturating_add(l.size));

    let mut out = Comparison {
        a: a.to_string(),
        b: b.to_string(),
        a_digest: ta.digest.clone(),
        b_digest: tb.digest.clone(),
        platform: ta.platform.clone().or(tb.platform.clone()),
        common_platforms: pa.iter().filter(|p| pb.contains(p)).cloned().collect(),
        platforms_added: pb.iter().filter(|p| !pa.contains(p)).cloned().collect(),
        platforms_removed: pa.iter().filter(|p| !pb.contains(p)).cloned().collect(),
        layers,
        size_a: size(&ta),
        size_b: size(&tb),
        config: config_changes(&ta.config, &ta.manifest, &tb.config, &tb.manifest),
        files: Vec::new(),
        files_total: 0,
        added: 0,
        removed: 0,
        changed: 0,
        diffs: Vec::new(),
        files_error: None,
    };

    let reg = state.registry();
    let merged = async {
        let ma = state
            .layers()
            .merged(reg, creds, &ta.digest, &ta.layers)
            .await?;
        let mb = state
            .layers()
            .merged(reg, creds, &tb.digest, &tb.layers)
            .await?;
        Ok::<_, crate::layers::read::LayerError>((ma, mb))
    };
    let (ma, mb) = match merged.await {
        Ok(m) => m,
        Err(e) => {
            out.files_error = Some(layer_error(e).texts().message);
            return Ok(out);
        }
    };
    let found = changes(&ma, &mb, &a_digests, &b_digests);
    out.files_total = found.len();
    for (_, c) in &found {
        match c {
            PathChange::Added(_) => out.added += 1,
            PathChange::Removed(_) => out.removed += 1,
            PathChange::Changed(..) => out.changed += 1,
        }
    }
    out.files = found
        .iter()
        .take(MAX_FILES)
        .map(|(path, c)| file_change(path, c))
        .collect();
    // The diff asked for first, then the first few changed text files.
    let asked_path = query
        .path
        .as_deref()
        .map(crate::layers::listing::clean)
        .filter(|p| !p.is_empty());
    let mut to_diff: Vec<String> = Vec::new();
    if let Some(p) = &asked_path {
        if found.iter().any(|(q, c)| q == p && diffable(c)) {
            to_diff.push(p.clone());
        }
    }
    for (p, c) in &found {
        if to_diff.len() >= AUTO_DIFFS + usize::from(asked_path.is_some()) {
            break;
        }
        if diffable(c) && !to_diff.iter().any(|d| d == p) {
            to_diff.push(p.to_string());
        }
    }
    for path in to_diff {
        // One file that cannot be read does not take the page down.
        let diff = text_diff(state, creds, (&ta, &ma), (&tb, &mb), &path)
            .await
            .unwrap_or_else(|e| FileDiff::Unreadable(e.texts().message));
        out.diffs.push(TextDiff {
            path: format!("/{path}"),
            diff,
        });
    }
    Ok(out)
}

fn diffable(c: &PathChange) -> bool {
    use crate::layers::listing::Kind;
    match c {
        PathChange::Changed(x, y) => [x, y].iter().all(|n| {
            matches!(n.entry.kind, Kind::File | Kind::Hardlink) && n.entry.size <= DIFF_MAX
        }),
        _ => false,
    }
}

fn state_of(n: &Node) -> PathState {
    PathState {
        kind: format!("{:?}", n.entry.kind).to_lowercase(),
        mode: preview::mode_string(n.entry.kind, n.entry.mode),
        size: n.entry.size,
        link: n.entry.link.clone(),
    }
}

fn file_change(path: &str, c: &PathChange) -> FileChange {
    let (change, before, after) = match c {
        PathChange::Added(n) => (Change::Added, None, Some(state_of(n))),
        PathChange::Removed(n) => (Change::Removed, Some(state_of(n)), None),
        PathChange::Changed(x, y) => (Change::Changed, Some(state_of(x)), Some(state_of(y))),
    };
    FileChange {
        path: format!("/{path}"),
        change,
        before,
        after,
        diffable: diffable(c),
    }
}

async fn text_diff(
    state: &AppState,
    creds: &Credentials,
    (ta, ma): (&ImageTarget, &Merged),
    (tb, mb): (&ImageTarget, &Merged),
    path: &str,
) -> Result<FileDiff, AppError> {
    let mut texts = Vec::new();
    for (t, m) in [(ta, ma), (tb, mb)] {
        let located = locate(state, creds, t, m, None, None, path).await?;
        let layer = t
            .layers
            .get(located.layer)
            .ok_or_else(|| AppError::Internal("a node names a layer the image lacks".into()))?;
        let (bytes, _) = state
            .layers()
            .read_file(state.registry(), creds, layer, &located.entry, DIFF_MAX)
            .await
            .map_err(layer_error)?;
        texts.push(bytes);
    }
    if texts[0] == texts[1] {
        return Ok(FileDiff::Same);
    }
    let (Some(_), Some(_)) = (
        preview::text_lines(&texts[0], false),
        preview::text_lines(&texts[1], false),
    ) else {
        return Ok(FileDiff::Binary);
    };
    let (a, b) = (
        String::from_utf8_lossy(&texts[0]),
        String::from_utf8_lossy(&texts[1]),
    );
    let (a, b) = (a.into_owned(), b.into_owned());
    // Diffing is CPU work with a deadline of its own: off the request's
    // thread.
    let lines = tokio::task::spawn_blocking(move || line_diff(&a, &b, 3, DIFF_LINES))
        .await
        .map_err(|e| AppError::Internal(e.to_string()))?;
    Ok(FileDiff::Lines(
        lines
            .into_iter()
            .map(|(tag, text)| DiffLine { tag, text })
            .collect(),
    ))
}

/// The config fields that differ, one row per env variable, label and
/// manifest annotation (base image annotations among them), named as the
/// OCI config names them.
pub fn config_changes(
    a: &ImageConfiguration,
    am: &ImageManifest,
    b: &ImageConfiguration,
    bm: &ImageManifest,
) -> Vec<FieldChange> {
    let mut out = Vec::new();
    let mut field = |name: String, before: Option<String>, after: Option<String>| {
        if before != after {
            out.push(FieldChange {
                field: name,
                before,
                after,
            });
        }
    };
    let (ca, cb) = (
        a.config().clone().unwrap_or_default(),
        b.config().clone().unwrap_or_default(),
    );
    field(
        "platform".into(),
        Some(manifest::config_platform(a)),
        Some(manifest::config_platform(b)),
    );
    field("created".into(), a.created().clone(), b.created().clone());
    let json = |v: &Option<Vec<String>>| {
        v.as_ref()
            .filter(|v| !v.is_empty())
            .map(|v| serde_json::to_string(v).unwrap_or_default())
    };
    field(
        "Entrypoint".into(),
        json(ca.entrypoint()),
        json(cb.entrypoint()),
    );
    field("Cmd".into(), json(ca.cmd()), json(cb.cmd()));
    let text = |v: &Option<String>| v.clone().filter(|s| !s.is_empty());
    field("User".into(), text(ca.user()), text(cb.user()));
    field(
        "WorkingDir".into(),
        text(ca.working_dir()),
        text(cb.working_dir()),
    );
    let ports = |v: &Option<Vec<String>>| {
        let mut p = v.clone().unwrap_or_default();
        p.sort();
        (!p.is_empty()).then(|| p.join(" "))
    };
    field(
        "ExposedPorts".into(),
        ports(ca.exposed_ports()),
        ports(cb.exposed_ports()),
    );
    let env = |v: &Option<Vec<String>>| -> BTreeMap<String, String> {
        v.clone()
            .unwrap_or_default()
            .into_iter()
            .map(|e| match e.split_once('=') {
                Some((k, v)) => (k.to_string(), v.to_string()),
                None => (e, String::new()),
            })
            .collect()
    };
    pairs(&env(ca.env()), &env(cb.env()), "Env", &mut field);
    let labels =
        |v: &Option<std::collections::HashMap<String, String>>| -> BTreeMap<String, String> {
            v.clone().unwrap_or_default().into_iter().collect()
        };
    pairs(
        &labels(ca.labels()),
        &labels(cb.labels()),
        "Labels",
        &mut field,
    );
    pairs(
        &labels(am.annotations()),
        &labels(bm.annotations()),
        "annotations",
        &mut field,
    );
    out
}

/// One row per key that is only on one side or differs.
fn pairs(
    a: &BTreeMap<String, String>,
    b: &BTreeMap<String, String>,
    what: &str,
    field: &mut impl FnMut(String, Option<String>, Option<String>),
) {
    let keys: BTreeSet<&String> = a.keys().chain(b.keys()).collect();
    for k in keys {
        field(format!("{what} {k}"), a.get(k).cloned(), b.get(k).cloned());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn image(
        config: serde_json::Value,
        annotations: serde_json::Value,
    ) -> (ImageConfiguration, ImageManifest) {
        let c: ImageConfiguration = serde_json::from_value(serde_json::json!({
            "architecture": "amd64", "os": "linux",
            "rootfs": {"type": "layers", "diff_ids": []},
            "config": config
        }))
        .unwrap();
        let m: ImageManifest = serde_json::from_value(serde_json::json!({
            "schemaVersion": 2,
            "mediaType": "application/vnd.oci.image.manifest.v1+json",
            "config": {"mediaType": "application/vnd.oci.image.config.v1+json", "digest": format!("sha256:{}", "0".repeat(64)), "size": 2},
            "layers": [],
            "annotations": annotations
        }))
        .unwrap();
        (c, m)
    }

    #[test]
    fn config_changes_name_each_field() {
        let (a, am) = image(
            serde_json::json!({"Env": ["PATH=/bin", "OLD=1"], "Cmd": ["run"], "User": "app",
                "ExposedPorts": {"80/tcp": {}}, "Labels": {"v": "1"}}),
            serde_json::json!({"org.opencontainers.image.base.name": "debian:12"}),
        );
        let (b, bm) = image(
            serde_json::json!({"Env": ["PATH=/usr/bin", "NEW=2"], "Cmd": ["run"], "User": "app",
                "ExposedPorts": {"80/tcp": {}, "443/tcp": {}}, "Labels": {"v": "2"}}),
            serde_json::json!({"org.opencontainers.image.base.name": "debian:13"}),
        );
        let got: Vec<(String, Option<String>, Option<String>)> = config_changes(&a, &am, &b, &bm)
            .into_iter()
            .map(|f| (f.field, f.before, f.after))
            .collect();
        let s = |v: &str| Some(v.to_string());
        assert_eq!(
            got,
            vec![
                ("ExposedPorts".into(), s("80/tcp"), s("443/tcp 80/tcp")),
                ("Env NEW".into(), None, s("2")),
                ("Env OLD".into(), s("1"), None),
                ("Env PATH".into(), s("/bin"), s("/usr/bin")),
                ("Labels v".into(), s("1"), s("2")),
                (
                    "annotations org.opencontainers.image.base.name".into(),
                    s("debian:12"),
                    s("debian:13")
                ),
            ]
        );
    }
}
