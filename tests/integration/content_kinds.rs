//! What people really push, shown right by Berth against a real registry:2:
//! buildx indexes with attestations, cosign signature tags, OCI 1.1
//! referrers (fallback tag), Helm charts, other artifacts, and an index
//! whose child manifest is gone.

use crate::support::typed;
use berth::seed::{ImageFormat, ImageSpec, PushedImage};

use crate::pages::text;
use crate::support::{Env, RegistryOpts, TestBerth, TestRegistry};

const APP: &str = "platform/buildx-app";

fn platform_image(arch: &str, variant: Option<&str>) -> ImageSpec {
    ImageSpec::new(
        ImageFormat::Oci,
        "2025-09-09T09:00:00Z",
        &[("srv/app", &format!("app for {arch}"))],
    )
    .platform("linux", arch, variant)
}

struct Pushed {
    index: berth::seed::AttestedIndex,
    signature_tag: String,
    sbom: String,
    partial_missing: String,
}

async fn push_content(reg: &TestRegistry) -> Pushed {
    let p = reg.pusher();
    let index = p
        .push_attested_index(
            APP,
            "1.0",
            &[
                platform_image("amd64", None),
                platform_image("arm64", Some("v8")),
                platform_image("arm", Some("v7")),
            ],
        )
        .await
        .expect("index");
    let signature_tag = p
        .push_cosign_signature(APP, &index.digest)
        .await
        .expect("sig");
    let subject = PushedImage {
        digest: index.digest.clone(),
        media_type: berth::registry::media_types::OCI_INDEX.into(),
        size: 0,
    };
    let sbom = p.push_sbom_referrer(APP, &subject).await.expect("sbom");
    p.push_image(APP, "0.9", &platform_image("amd64", None))
        .await
        .expect("image");
    p.push_tagged_artifact(
        APP,
        "policy",
        "application/vnd.example.policy.v1+json",
        "application/json",
        b"{}",
    )
    .await
    .expect("artifact");
    p.push_helm_chart("charts/web", "web", "1.2.0")
        .await
        .expect("chart");
    // Push an index, then delete one child by digest.
    let partial = p
        .push_attested_index(
            "platform/partial",
            "2.0",
            &[
                platform_image("amd64", None),
                platform_image("arm64", Some("v8")),
            ],
        )
        .await
        .expect("partial");
    p.delete_manifest("platform/partial", &partial.children[1])
        .await
        .expect("delete child");
    Pushed {
        index,
        signature_tag,
        sbom,
        partial_missing: partial.children[1].clone(),
    }
}

async fn start() -> (TestRegistry, TestBerth, Pushed) {
    let reg = TestRegistry::start(RegistryOpts {
        delete_enabled: true,
        ..Default::default()
    })
    .await;
    let pushed = push_content(&reg).await;
    let berth = TestBerth::start(&["--registry-url", &reg.url, "--auth", "none"]).await;
    (reg, berth, pushed)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn attestations_belong_to_their_platform_and_signatures_to_their_image() {
    let (_reg, berth, pushed) = start().await;
    let b = berth.client();

    // Tag list: one row per tag, the cosign and fallback tags hidden, the
    // index marked signed, each platform attested, no unknown/unknown.
    let list = b.get(&format!("/r/{APP}")).await;
    assert_eq!(list.status, 200);
    let t = text(&list.body);
    assert!(!t.contains("unknown/unknown"), "{t}");
    let sig_row = format!("data-tag=\"{}\"", pushed.signature_tag);
    assert!(
        !list.body.contains(&sig_row),
        "signature tag listed as a row"
    );
    assert!(t.contains("3 tags (and 2 signature tags)"), "{t}");
    assert!(t.contains("Show 2 signature tags"), "{t}");
    assert!(t.contains("signed: referrers · signature"), "{t}");
    assert_eq!(list.body.matches(">attested<").count(), 3, "{t}");
    for p in ["linux/amd64", "linux/arm64/v8", "linux/arm/v7"] {
        assert!(t.contains(p), "{p} missing: {t}");
    }
    let shown = b.get(&format!("/r/{APP}?signatures=show")).await;
    assert!(shown.body.contains(&sig_row));
    assert!(text(&shown.body).contains("cosign tag for"));

    // Tag page: three platforms to choose from, one shown at a time (the
    // first is linux/amd64), each with its attestation beside it.
    let page = b.get(&format!("/r/{APP}/-/tag/1.0")).await;
    assert_eq!(page.status, 200);
    let t = text(&page.body);
    assert!(t.contains("Platforms (3)"), "{t}");
    assert!(!t.contains("unknown/unknown"), "{t}");
    assert_eq!(
        page.body.matches("data-testid=\"platform-choice\"").count(),
        3
    );
    assert_eq!(page.body.matches("data-platform=\"").count(), 1);
    assert!(page.body.contains("data-platform=\"linux/amd64\""));
    for (i, p) in ["linux/amd64", "linux/arm64/v8", "linux/arm/v7"]
        .iter()
        .enumerate()
    {
        let one = b
            .get(&format!(
                "/r/{APP}/-/tag/1.0?platform={}",
                berth::routes::encode(p)
            ))
            .await;
        assert_eq!(one.body.matches("data-platform=\"").count(), 1, "{p}");
        assert!(one.body.contains(&format!("data-platform=\"{p}\"")), "{p}");
        assert_eq!(
            one.body.matches("data-testid=\"attestation\"").count(),
            1,
            "{p}"
        );
        let a = &pushed.index.attestations[i];
        assert!(
            text(&one.body).contains(&berth::format::short_digest(a)),
            "{a} not beside {p}"
        );
    }
    assert!(t.contains("https://slsa.dev/provenance/v0.2"), "{t}");
    assert!(!t.contains("Attestations for platforms not in this index"));
    // Signed, and the SBOM found through the fallback referrers tag.
    assert!(t.contains("Signed"), "{t}");
    assert!(page.body.contains(&pushed.signature_tag));
    assert!(t.contains("Referrers (1)"), "{t}");
    assert!(
        t.contains(&format!(
            "From the fallback tag {}",
            pushed.index.digest.replacen(':', "-", 1)
        )),
        "{t}"
    );
    assert!(t.contains("application/spdx+json"), "{t}");
    assert!(t.contains(&berth::format::short_digest(&pushed.sbom)));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn artifacts_show_what_they_are() {
    let (_reg, berth, _pushed) = start().await;
    let b = berth.client();
    let chart = b.get("/r/charts/web/-/tag/1.2.0").await;
    assert_eq!(chart.status, 200);
    let t = text(&chart.body);
    assert!(t.contains("Helm chart"), "{t}");
    assert!(t.contains("Chart web"), "{t}");
    assert!(t.contains("Version 1.2.0"), "{t}");
    assert!(
        !t.contains("Entrypoint"),
        "an artifact is not an image: {t}"
    );
    let list = text(&b.get("/r/charts/web").await.body);
    assert!(list.contains("Helm chart web 1.2.0"), "{list}");

    let other = b.get(&format!("/r/{APP}/-/tag/policy")).await;
    assert_eq!(other.status, 200);
    let t = text(&other.body);
    assert!(t.contains("OCI artifact"), "{t}");
    assert!(t.contains("application/vnd.example.policy.v1+json"), "{t}");
    assert!(!t.contains("Entrypoint"), "{t}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_index_with_a_missing_child_still_renders() {
    let (_reg, berth, pushed) = start().await;
    let b = berth.client();
    let page = b.get("/r/platform/partial/-/tag/2.0").await;
    assert_eq!(page.status, 200);
    let t = text(&page.body);
    assert!(t.contains("Platforms (2)"), "{t}");
    // The amd64 half is shown in full; the missing one is marked among
    // the platforms, and says what is wrong when chosen.
    assert!(t.contains("COPY srv/app"), "{t}");
    assert!(page.body.contains("class=\"platform-chip missing\""), "{t}");
    let missing = b
        .get("/r/platform/partial/-/tag/2.0?platform=linux%2Farm64%2Fv8")
        .await;
    let t = text(&missing.body);
    assert!(
        t.contains("this platform's manifest is missing from the registry"),
        "{t}"
    );
    assert!(t.contains(&berth::format::short_digest(&pushed.partial_missing)));
    let list = b.get("/r/platform/partial").await;
    assert_eq!(list.status, 200);
    assert!(text(&list.body).contains("linux/arm64/v8: missing"));
}

/// Deleting an index says its platform manifests stay, untagged, and on
/// registry:2 (which cannot delete a tag alone) no tag-only removal is
/// offered; the support probe deletes nothing.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn index_delete_warns_about_gc_and_tag_only_removal_falls_back() {
    let env = Env::start(true, &[]).await;
    let a = env.admin().await;
    let page = a.get("/r/team-a/frontend/web/-/delete?tag=2.0").await;
    assert_eq!(page.status, 200);
    let t = text(&page.body);
    assert!(t.contains("You are deleting a multi-platform index"), "{t}");
    assert!(t.contains("stay in the repository, untagged"), "{t}");
    assert!(!page.body.contains("remove-tags-only"), "offered on 2.8");
    // A plain image shows no index note.
    let plain = text(&a.get("/r/library/alpine/-/delete?tag=3.19").await.body);
    assert!(!plain.contains("multi-platform index"));
    // Nothing was removed by the probe.
    let reg = berth::registry::RegistryClient::new(
        crate::support::http_client(),
        env.registry.url.parse().unwrap(),
    );
    let mut tags = reg
        .tags(
            &env.registry.admin_credentials(),
            &typed::repo("library/alpine"),
        )
        .await
        .unwrap();
    tags.sort();
    assert_eq!(tags, ["3.19", "3.20", "latest"]);
    // Posting a tag-only removal anyway is refused cleanly, nothing removed.
    let csrf = a.csrf().await;
    let resp = a.remove_tag("library/alpine", "3.19", &csrf).await;
    assert_eq!(resp.status, 303);
    assert!(
        resp.location
            .as_deref()
            .unwrap_or("")
            .contains("delete_error=bad-request"),
        "{:?}",
        resp.location
    );
    assert_eq!(
        reg.tags(
            &env.registry.admin_credentials(),
            &typed::repo("library/alpine")
        )
        .await
        .unwrap()
        .len(),
        3
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn capability_page_describes_the_registry_to_admins_only() {
    let env = Env::start(true, &[]).await;
    let a = env.admin().await;
    let page = a.get("/admin/registry").await;
    assert_eq!(page.status, 200);
    let t = text(&page.body);
    for expected in [
        "registry/2.0",
        "Basic (e.g. htpasswd)",
        "Registry Realm",
        "a DELETE of an absent digest answered MANIFEST_UNKNOWN",
        "1,000 per page (a larger n is refused)",
        "returned all",
        "no referrers API",
        "ms (median of 5 GET /v2/)",
    ] {
        assert!(t.contains(expected), "{expected:?} not in {t}");
    }
    let v = env.viewer().await;
    let denied = v.get("/admin/registry").await;
    assert_eq!(denied.status, 403);

    // With delete disabled the same probe says so.
    let off = Env::start(false, &[]).await;
    let t = text(&off.admin().await.get("/admin/registry").await.body);
    assert!(t.contains("UNSUPPORTED"), "{t}");
    assert!(t.contains("storage.delete.enabled: true"), "{t}");
}

/// A cosign `.sig` tag shows the image it signs, the signer's payload and
/// its annotations, not an image with platform "/"; the referrers tag lists
/// its artifacts; each tag gets the command that can pull it; and neither
/// is offered to compare an image with.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn signatures_and_referrers_tags_show_what_they_are_and_charts_pull_with_helm() {
    let (reg, berth, pushed) = start().await;
    let b = berth.client();
    let host = reg.url.trim_start_matches("http://").to_string();

    let page = b
        .get(&format!("/r/{APP}/-/tag/{}", pushed.signature_tag))
        .await;
    assert_eq!(page.status, 200);
    let t = text(&page.body);
    assert!(page.body.contains("data-testid=\"signature\""), "{t}");
    assert!(t.contains(&format!("Signs {}", pushed.index.digest)), "{t}");
    assert!(
        page.body.contains(&format!("href=\"/r/{APP}/-/tag/1.0\"")),
        "{t}"
    );
    assert!(t.contains(&format!("Signed name {APP}")), "{t}");
    assert!(t.contains("cosign container image signature"), "{t}");
    assert!(
        page.body.contains("dev.cosignproject.cosign/signature"),
        "{t}"
    );
    assert!(t.contains("MEUCIQDberthseedsignature"), "{t}");
    for image_only in ["Entrypoint", "Browse the image", "History"] {
        assert!(!t.contains(image_only), "{image_only}: {t}");
    }
    assert!(
        t.contains(&format!("oras pull {host}/{APP}:{}", pushed.signature_tag)),
        "{t}"
    );
    // The image's own page still shows it as an image, with docker.
    let image = text(&b.get(&format!("/r/{APP}/-/tag/0.9")).await.body);
    assert!(
        image.contains("Entrypoint") || image.contains("History"),
        "{image}"
    );
    assert!(
        image.contains(&format!("docker pull {host}/{APP}:0.9")),
        "{image}"
    );

    let fallback = pushed.index.digest.replacen(':', "-", 1);
    let page = b.get(&format!("/r/{APP}/-/tag/{fallback}")).await;
    assert_eq!(page.status, 200);
    let t = text(&page.body);
    assert!(page.body.contains("data-testid=\"referrers-tag\""), "{t}");
    assert!(
        t.contains(&format!("Refers to {}", pushed.index.digest)),
        "{t}"
    );
    assert!(t.contains("application/spdx+json"), "{t}");
    assert!(
        t.contains(&berth::format::short_digest(&pushed.sbom)),
        "{t}"
    );
    assert!(!t.contains("unknown:"), "{t}");

    // Charts pull with helm, other artifacts with oras, by tag and digest.
    let chart = b.get("/r/charts/web/-/tag/1.2.0").await;
    let t = text(&chart.body);
    assert!(
        t.contains(&format!(
            "helm pull oci://{host}/charts/web --version 1.2.0"
        )),
        "{t}"
    );
    assert!(
        t.contains(&format!("helm pull oci://{host}/charts/web@sha256:")),
        "{t}"
    );
    assert!(!t.contains("docker pull"), "{t}");
    let list = text(&b.get("/r/charts/web").await.body);
    assert!(
        list.contains(&format!(
            "helm pull oci://{host}/charts/web --version 1.2.0"
        )),
        "{list}"
    );
    let policy = text(&b.get(&format!("/r/{APP}/-/tag/policy")).await.body);
    assert!(
        policy.contains(&format!("oras pull {host}/{APP}:policy")),
        "{policy}"
    );

    // The compare picker offers images, not signature or referrers tags.
    let page = b.get(&format!("/r/{APP}/-/tag/1.0")).await;
    assert!(
        page.body.contains("<option value=\"0.9\">"),
        "{}",
        page.body
    );
    assert!(!page
        .body
        .contains(&format!("<option value=\"{}\"", pushed.signature_tag)));
    assert!(!page.body.contains(&format!("<option value=\"{fallback}\"")));
}
