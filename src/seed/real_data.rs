//! What real registries hold and small demos do not: names as long as CI
//! systems make them, a cosign signature tag (71 characters) on a
//! 12-platform index, an SBOM referrer and a Helm chart under a long name.
//! The end-to-end tests check every page for width against it.

use super::images::{ImageFormat, ImageSpec};
use super::pusher::{PushResult, PushedImage, Pusher};
use crate::registry::media_types::OCI_INDEX;

/// A repository name of 70 characters.
pub const LONG_REPO: &str =
    "e2e/real-data/payments-reconciliation-service-with-a-seventy-char-name";
/// A tag of 70 characters, as a CI pipeline writes them.
pub const LONG_TAG: &str = "2026.12.08-build.4711-g3f9c2ab-linux-multiarch-release-candidate-final";
/// A Helm chart under a long repository name.
pub const LONG_CHART_REPO: &str = "e2e/real-data/charts/payments-reconciliation-service-helm-chart";

/// The 12 platforms of the index, as `docker buildx` names them.
const PLATFORMS: [(&str, &str, Option<&str>); 12] = [
    ("linux", "amd64", None),
    ("linux", "arm64", Some("v8")),
    ("linux", "arm", Some("v7")),
    ("linux", "arm", Some("v6")),
    ("linux", "386", None),
    ("linux", "ppc64le", None),
    ("linux", "s390x", None),
    ("linux", "riscv64", None),
    ("linux", "mips64le", None),
    ("linux", "loong64", None),
    ("windows", "amd64", None),
    ("freebsd", "amd64", None),
];

/// Pushes the real-data fixture; returns the index's digest.
pub async fn seed_real_data(p: &Pusher) -> PushResult<String> {
    let specs: Vec<ImageSpec> = PLATFORMS
        .iter()
        .map(|(os, arch, variant)| {
            let name = match variant {
                Some(v) => format!("{os}/{arch}/{v}"),
                None => format!("{os}/{arch}"),
            };
            ImageSpec::new(
                ImageFormat::Oci,
                "2026-12-01T06:00:00Z",
                &[("srv/payments/reconcile", &format!("reconciler for {name}"))],
            )
            .platform(os, arch, *variant)
        })
        .collect();
    let index = p.push_attested_index(LONG_REPO, LONG_TAG, &specs).await?;
    p.put_manifest(LONG_REPO, "stable", OCI_INDEX, &index.manifest)
        .await?;
    p.push_cosign_signature(LONG_REPO, &index.digest).await?;
    let subject = PushedImage {
        digest: index.digest.clone(),
        media_type: OCI_INDEX.into(),
        size: 0,
    };
    p.push_sbom_referrer(LONG_REPO, &subject).await?;
    p.push_helm_chart(
        LONG_CHART_REPO,
        "payments-reconciliation-service",
        "12.4.0-rc.1",
    )
    .await?;
    Ok(index.digest)
}
