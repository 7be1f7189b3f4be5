//! The standard test content, pushed through the Registry API.

use berth::seed::{ImageFormat, ImageSpec, PushedImage, Pusher};

use super::TestRegistry;

pub struct Content {
    pub alpine_320: PushedImage,
    pub alpine_319: PushedImage,
    pub app: Vec<(String, PushedImage)>,
    pub web_index: PushedImage,
    pub web_amd64: PushedImage,
    pub web_arm64: PushedImage,
}

pub fn docker_image(version: &str, created: &str) -> ImageSpec {
    let mut s = ImageSpec::new(
        ImageFormat::Docker,
        created,
        &[
            ("etc/os-release", &format!("VERSION={version}\n")),
            ("bin/busybox", &"b".repeat(3000)),
        ],
    );
    s.labels = vec![("maintainer".into(), "berth-tests".into())];
    s
}

/// Every repository [`push_standard`] writes to, e.g. for a push token.
pub const STANDARD_REPOS: &[&str] = &[
    "library/alpine",
    "team-a/backend/app",
    "team-a/frontend/web",
    "my.org/tool_x-cli",
];

/// The one repository the token server's `carol` may read.
pub const TEAM_C_REPO: &str = "team-c/app";

/// Pushes `team-c/app:1.0` (OCI).
pub async fn push_team_c(p: &Pusher) -> PushedImage {
    let spec = ImageSpec::new(
        ImageFormat::Oci,
        "2025-04-04T04:04:04Z",
        &[("app/team-c", "team c")],
    );
    p.push_image(TEAM_C_REPO, "1.0", &spec).await.expect("push")
}

/// The standard content plus `team-c/app`, pushed with whatever rights the
/// registry's auth needs (a minted token for token registries).
pub async fn push_standard_and_team_c(reg: &TestRegistry) -> (Content, PushedImage) {
    let mut repos = STANDARD_REPOS.to_vec();
    repos.push(TEAM_C_REPO);
    let p = reg.pusher_for(&repos);
    let content = push_standard(&p).await;
    let team_c = push_team_c(&p).await;
    (content, team_c)
}

/// Pushes: `library/alpine` (Docker schema2; `latest` shares 3.20's digest),
/// `team-a/backend/app` (OCI; version order differs from date and name
/// order), `team-a/frontend/web:2.0` (OCI index, amd64 + arm64/v8) and
/// `my.org/tool_x-cli:1.0` (dots, dashes, underscores).
pub async fn push_standard(p: &Pusher) -> Content {
    let a320 = docker_image("3.20", "2024-05-22T10:00:00Z");
    let alpine_320 = p
        .push_image("library/alpine", "3.20", &a320)
        .await
        .expect("push");
    p.push_image("library/alpine", "latest", &a320)
        .await
        .expect("push");
    let alpine_319 = p
        .push_image(
            "library/alpine",
            "3.19",
            &docker_image("3.19", "2023-12-07T10:00:00Z"),
        )
        .await
        .expect("push");

    let mut app = Vec::new();
    // v1.10.0 is the newest version but the oldest image.
    for (tag, created) in [
        ("v1.9.0", "2025-02-01T00:00:00Z"),
        ("v1.10.0", "2024-01-01T00:00:00Z"),
        ("v1.2.0", "2025-06-01T00:00:00Z"),
    ] {
        let mut spec = ImageSpec::new(
            ImageFormat::Oci,
            created,
            &[("app/server", &format!("server {tag}"))],
        );
        spec.entrypoint = vec!["/app/server".into()];
        spec.cmd = vec!["--port".into(), "8080".into()];
        spec.working_dir = "/app".into();
        spec.user = "1000".into();
        spec.exposed_ports = vec!["8080/tcp".into()];
        spec.env.push("APP_MODE=production".into());
        app.push((
            tag.to_string(),
            p.push_image("team-a/backend/app", tag, &spec)
                .await
                .expect("push"),
        ));
    }

    let amd = ImageSpec::new(
        ImageFormat::Oci,
        "2025-03-03T03:03:03Z",
        &[("www/index.html", "amd64")],
    );
    let arm = ImageSpec::new(
        ImageFormat::Oci,
        "2025-03-03T03:03:03Z",
        &[("www/index.html", "arm64 build")],
    )
    .platform("linux", "arm64", Some("v8"));
    let web_amd64 = p
        .push_image("team-a/frontend/web", "amd64-only", &amd)
        .await
        .expect("push");
    let web_arm64 = p
        .push_image("team-a/frontend/web", "arm64-only", &arm)
        .await
        .expect("push");
    let web_index = p
        .push_index(
            "team-a/frontend/web",
            "2.0",
            &[(&amd, &web_amd64), (&arm, &web_arm64)],
        )
        .await
        .expect("push");

    p.push_image(
        "my.org/tool_x-cli",
        "1.0",
        &docker_image("cli", "2022-02-02T02:02:02Z"),
    )
    .await
    .expect("push");
    Content {
        alpine_320,
        alpine_319,
        app,
        web_index,
        web_amd64,
        web_arm64,
    }
}
