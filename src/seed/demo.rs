//! The demo content: a handful of realistic repositories.

use super::images::{ImageFormat, ImageSpec};
use super::pusher::{PushResult, Pusher};

pub async fn seed_demo(p: &Pusher) -> PushResult<()> {
    // Docker schema2 image with several versions; `latest` shares a digest.
    for (i, v) in ["3.18", "3.19", "3.20"].iter().enumerate() {
        let created = format!("2024-0{}-15T10:00:00Z", i + 3);
        let spec = ImageSpec::new(
            ImageFormat::Docker,
            &created,
            &[
                ("etc/os-release", &format!("VERSION={v}\n")),
                ("bin/tool", &"x".repeat(2000 * (i + 1))),
            ],
        );
        p.push_image("library/alpine", v, &spec).await?;
        if *v == "3.20" {
            p.push_image("library/alpine", "latest", &spec).await?;
        }
    }
    // OCI images with semver tags: name, version and date order all differ
    // (rebuilt images are newer than their version suggests).
    for (v, month) in [
        ("v1.2.0", 4),
        ("v1.9.0", 1),
        ("v1.10.0", 3),
        ("v2.0.0-rc1", 2),
    ] {
        let created = format!("2025-0{month}-01T08:30:00Z");
        let mut spec = ImageSpec::new(
            ImageFormat::Oci,
            &created,
            &[
                ("app/server", &format!("server {v}")),
                ("app/config.toml", "port = 8080\n"),
            ],
        );
        spec.entrypoint = vec!["/app/server".into()];
        spec.cmd = vec!["--config".into(), "/app/config.toml".into()];
        spec.working_dir = "/app".into();
        spec.user = "1000:1000".into();
        spec.exposed_ports = vec!["8080/tcp".into()];
        spec.labels = vec![("org.opencontainers.image.version".into(), v.to_string())];
        p.push_image("team-a/backend/api", v, &spec).await?;
    }
    // A multi-arch OCI index.
    let amd = ImageSpec::new(
        ImageFormat::Oci,
        "2025-06-01T12:00:00Z",
        &[("www/index.html", "<h1>amd64</h1>")],
    );
    let arm = ImageSpec::new(
        ImageFormat::Oci,
        "2025-06-01T12:00:00Z",
        &[("www/index.html", "<h1>arm64</h1>")],
    )
    .platform("linux", "arm64", Some("v8"));
    let amd_pushed = p
        .push_image("team-a/frontend/web", "amd64-build", &amd)
        .await?;
    let arm_pushed = p
        .push_image("team-a/frontend/web", "arm64-build", &arm)
        .await?;
    p.push_index(
        "team-a/frontend/web",
        "2.0",
        &[(&amd, &amd_pushed), (&arm, &arm_pushed)],
    )
    .await?;
    // Names with dots, dashes and underscores.
    let tool = ImageSpec::new(
        ImageFormat::Docker,
        "2023-12-24T18:00:00Z",
        &[("usr/bin/cli", "cli")],
    );
    p.push_image("tools/my_tool.cli", "1.0", &tool).await?;
    p.push_image("tools/build-cache", "main", &tool).await?;
    seed_supply_chain(p).await
}

/// What modern build tools push: a buildx index with attestations, a
/// cosign signature, an SBOM referrer, Helm charts, and an index that lost
/// a platform.
pub async fn seed_supply_chain(p: &Pusher) -> PushResult<()> {
    let web = |arch: &str, variant: Option<&str>| {
        ImageSpec::new(
            ImageFormat::Oci,
            "2025-09-09T09:00:00Z",
            &[("srv/app", &format!("buildx app for {arch}"))],
        )
        .platform("linux", arch, variant)
    };
    let app = "platform/buildx-app";
    let index = p
        .push_attested_index(
            app,
            "1.0",
            &[
                web("amd64", None),
                web("arm64", Some("v8")),
                web("arm", Some("v7")),
            ],
        )
        .await?;
    p.push_cosign_signature(app, &index.digest).await?;
    let subject = super::PushedImage {
        digest: index.digest.clone(),
        media_type: crate::registry::media_types::OCI_INDEX.into(),
        size: 0,
    };
    p.push_sbom_referrer(app, &subject).await?;
    p.push_image(app, "0.9", &web("amd64", None)).await?;

    p.push_tagged_artifact(
        app,
        "policy",
        "application/vnd.example.policy.v1+json",
        "application/json",
        br#"{"allow":["linux/amd64","linux/arm64"]}"#,
    )
    .await?;
    p.push_helm_chart("charts/berth", "berth", "0.1.0").await?;
    p.push_helm_chart("charts/berth", "berth", "0.2.0").await?;

    // An index whose arm64 child is deleted afterwards (needs delete on).
    let partial = p
        .push_attested_index(
            "platform/partial",
            "2.0",
            &[web("amd64", None), web("arm64", Some("v8"))],
        )
        .await?;
    if let Err(e) = p
        .delete_manifest("platform/partial", &partial.children[1])
        .await
    {
        eprintln!(
            "berth-seed: could not remove a child of platform/partial:2.0 ({e}); it stays complete"
        );
    }
    Ok(())
}

/// A repository for trying deletes: `doomed` and `doomed-alias` share one
/// digest, `keep` has its own.
pub async fn seed_scratch(p: &Pusher, repo: &str) -> PushResult<()> {
    let keep = ImageSpec::new(
        ImageFormat::Oci,
        "2025-01-01T00:00:00Z",
        &[("keep.txt", "keep")],
    );
    let doomed = ImageSpec::new(
        ImageFormat::Oci,
        "2025-02-02T00:00:00Z",
        &[("doomed.txt", "doomed")],
    );
    p.push_image(repo, "keep", &keep).await?;
    p.push_image(repo, "doomed", &doomed).await?;
    p.push_image(repo, "doomed-alias", &doomed).await?;
    Ok(())
}

/// One image under `n` tags of `repo` (`build-001`, `build-002`, …), as a
/// CI that tags every build of an unchanged source leaves it.
pub async fn seed_shared_digest(p: &Pusher, repo: &str, n: usize) -> PushResult<()> {
    let image = ImageSpec::new(
        ImageFormat::Oci,
        "2025-03-03T00:00:00Z",
        &[("app/build.txt", "the same build")],
    );
    if n == 0 {
        return Ok(());
    }
    let built = super::images::build(&image);
    let first = p.push_built(repo, "build-001", &built).await?;
    for i in 2..=n {
        let tag = format!("build-{i:03}");
        p.put_manifest(repo, &tag, &first.media_type, &built.manifest)
            .await?;
    }
    Ok(())
}
