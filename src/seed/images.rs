use flate2::write::GzEncoder;
use serde_json::json;

use super::pusher::{PushResult, PushedImage, Pusher};
use crate::registry::digest::sha256_of;
use crate::registry::media_types::*;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImageFormat {
    Docker,
    Oci,
}

/// A small but real image: gzipped tar layers, a config with diff_ids and
/// history, and a manifest of the chosen format.
#[derive(Debug, Clone)]
pub struct ImageSpec {
    pub format: ImageFormat,
    pub os: String,
    pub architecture: String,
    pub variant: Option<String>,
    pub created: String,
    /// Each layer is one file: (path, contents).
    pub layers: Vec<(String, Vec<u8>)>,
    pub env: Vec<String>,
    pub entrypoint: Vec<String>,
    pub cmd: Vec<String>,
    pub working_dir: String,
    pub user: String,
    pub exposed_ports: Vec<String>,
    pub labels: Vec<(String, String)>,
}

impl ImageSpec {
    pub fn new(format: ImageFormat, created: &str, files: &[(&str, &str)]) -> Self {
        Self {
            format,
            os: "linux".into(),
            architecture: "amd64".into(),
            variant: None,
            created: created.into(),
            layers: files
                .iter()
                .map(|(p, c)| (p.to_string(), c.as_bytes().to_vec()))
                .collect(),
            env: vec!["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin".into()],
            entrypoint: vec![],
            cmd: vec!["/bin/sh".into()],
            working_dir: String::new(),
            user: String::new(),
            exposed_ports: vec![],
            labels: vec![],
        }
    }

    pub fn platform(mut self, os: &str, arch: &str, variant: Option<&str>) -> Self {
        self.os = os.into();
        self.architecture = arch.into();
        self.variant = variant.map(String::from);
        self
    }
}

/// A one-file tar archive, and its gzip.
pub(crate) fn layer_bytes(path: &str, contents: &[u8]) -> (Vec<u8>, Vec<u8>) {
    let mut builder = tar::Builder::new(Vec::new());
    let mut header = tar::Header::new_gnu();
    header.set_size(contents.len() as u64);
    header.set_mode(0o644);
    header.set_mtime(0);
    header.set_cksum();
    builder
        .append_data(&mut header, path, contents)
        .expect("in-memory tar");
    let tar = builder.into_inner().expect("in-memory tar");
    let mut gz = GzEncoder::new(Vec::new(), flate2::Compression::default());
    std::io::Write::write_all(&mut gz, &tar).expect("in-memory gzip");
    (tar.clone(), gz.finish().expect("in-memory gzip"))
}

/// The blobs and manifest of an image, ready to push.
pub struct BuiltImage {
    pub config: Vec<u8>,
    pub layers: Vec<Vec<u8>>,
    pub manifest: Vec<u8>,
    pub media_type: &'static str,
    pub size: u64,
}

pub fn build(spec: &ImageSpec) -> BuiltImage {
    let built: Vec<(Vec<u8>, Vec<u8>)> =
        spec.layers.iter().map(|(p, c)| layer_bytes(p, c)).collect();
    let diff_ids: Vec<String> = built.iter().map(|(tar, _)| sha256_of(tar)).collect();
    let mut history: Vec<serde_json::Value> = spec
        .layers
        .iter()
        .map(|(p, _)| json!({"created": spec.created, "created_by": format!("COPY {p} /{p} # buildkit")}))
        .collect();
    history.push(json!({"created": spec.created, "created_by": format!("CMD {:?}", spec.cmd), "empty_layer": true}));
    let ports: serde_json::Map<String, serde_json::Value> = spec
        .exposed_ports
        .iter()
        .map(|p| (p.clone(), json!({})))
        .collect();
    let labels: serde_json::Map<String, serde_json::Value> = spec
        .labels
        .iter()
        .map(|(k, v)| (k.clone(), json!(v)))
        .collect();
    let mut config = json!({
        "created": spec.created,
        "architecture": spec.architecture,
        "os": spec.os,
        "config": {
            "Env": spec.env, "Cmd": spec.cmd, "WorkingDir": spec.working_dir, "User": spec.user,
            "ExposedPorts": ports, "Labels": labels,
        },
        "rootfs": {"type": "layers", "diff_ids": diff_ids},
        "history": history,
    });
    if !spec.entrypoint.is_empty() {
        config["config"]["Entrypoint"] = json!(spec.entrypoint);
    }
    if let Some(v) = &spec.variant {
        config["variant"] = json!(v);
    }
    let config = serde_json::to_vec(&config).expect("json");
    let (media_type, config_type, layer_type) = match spec.format {
        ImageFormat::Docker => (
            DOCKER_MANIFEST_V2,
            DOCKER_CONFIG,
            "application/vnd.docker.image.rootfs.diff.tar.gzip",
        ),
        ImageFormat::Oci => (
            OCI_MANIFEST,
            OCI_CONFIG,
            "application/vnd.oci.image.layer.v1.tar+gzip",
        ),
    };
    let layers: Vec<Vec<u8>> = built.into_iter().map(|(_, gz)| gz).collect();
    let manifest = json!({
        "schemaVersion": 2,
        "mediaType": media_type,
        "config": {"mediaType": config_type, "size": config.len(), "digest": sha256_of(&config)},
        "layers": layers.iter().map(|l| json!({"mediaType": layer_type, "size": l.len(), "digest": sha256_of(l)})).collect::<Vec<_>>(),
    });
    let size = config.len() as u64 + layers.iter().map(|l| l.len() as u64).sum::<u64>();
    BuiltImage {
        config,
        layers,
        manifest: serde_json::to_vec_pretty(&manifest).expect("json"),
        media_type,
        size,
    }
}

impl Pusher {
    /// Pushes an image's blobs and manifest under `reference`.
    pub async fn push_image(
        &self,
        repo: &str,
        reference: &str,
        spec: &ImageSpec,
    ) -> PushResult<PushedImage> {
        let image = build(spec);
        self.push_built(repo, reference, &image).await
    }

    pub async fn push_built(
        &self,
        repo: &str,
        reference: &str,
        image: &BuiltImage,
    ) -> PushResult<PushedImage> {
        for layer in &image.layers {
            self.push_blob(repo, layer).await?;
        }
        self.push_blob(repo, &image.config).await?;
        let digest = self
            .put_manifest(repo, reference, image.media_type, &image.manifest)
            .await?;
        Ok(PushedImage {
            digest,
            media_type: image.media_type.into(),
            size: image.size,
        })
    }

    /// Pushes an OCI index over images already pushed (by digest), with an
    /// optional buildx-style attestation entry.
    pub async fn push_index(
        &self,
        repo: &str,
        tag: &str,
        children: &[(&ImageSpec, &PushedImage)],
    ) -> PushResult<PushedImage> {
        let manifests: Vec<serde_json::Value> = children
            .iter()
            .map(|(spec, pushed)| {
                let mut platform = json!({"os": spec.os, "architecture": spec.architecture});
                if let Some(v) = &spec.variant {
                    platform["variant"] = json!(v);
                }
                let size = build(spec).manifest.len();
                json!({"mediaType": pushed.media_type, "digest": pushed.digest, "size": size, "platform": platform})
            })
            .collect();
        let index = json!({"schemaVersion": 2, "mediaType": OCI_INDEX, "manifests": manifests});
        let body = serde_json::to_vec_pretty(&index).expect("json");
        let digest = self.put_manifest(repo, tag, OCI_INDEX, &body).await?;
        Ok(PushedImage {
            digest,
            media_type: OCI_INDEX.into(),
            size: children.iter().map(|(_, p)| p.size).sum(),
        })
    }

    /// Creates `count` tiny repositories `prefix/repo-NNNN` that share one
    /// image through cross-repository blob mounts, for paging tests.
    pub async fn push_many_repos(
        &self,
        prefix: &str,
        count: usize,
        concurrency: usize,
    ) -> PushResult<()> {
        use futures::stream::{self, StreamExt, TryStreamExt};
        let base_repo = format!("{prefix}/base");
        let image = build(&ImageSpec::new(
            ImageFormat::Oci,
            "2024-01-01T00:00:00Z",
            &[("hello.txt", "hello")],
        ));
        self.push_built(&base_repo, "latest", &image).await?;
        let image = &image;
        let base_repo = &base_repo;
        stream::iter(0..count)
            .map(|i| async move {
                let repo = format!("{prefix}/repo-{i:05}");
                for blob in image.layers.iter().chain(std::iter::once(&image.config)) {
                    self.mount_blob(&repo, base_repo, &sha256_of(blob), blob)
                        .await?;
                }
                self.put_manifest(&repo, "latest", image.media_type, &image.manifest)
                    .await
                    .map(|_| ())
            })
            .buffer_unordered(concurrency)
            .try_collect::<Vec<()>>()
            .await?;
        Ok(())
    }
}
