//! The protocol core against a real registry, with no UI involved.

use crate::support::typed;
use berth::registry::{manifest, media_types, Credentials, RegistryClient, RegistryError};

use crate::support::fixtures::push_standard;
use crate::support::{RegistryOpts, TestRegistry};

fn client(reg: &TestRegistry) -> RegistryClient {
    RegistryClient::new(crate::support::http_client(), reg.url.parse().unwrap())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reads_every_media_type_and_resolves_digests() {
    let reg = TestRegistry::start(RegistryOpts {
        htpasswd: false,
        delete_enabled: true,
        ..Default::default()
    })
    .await;
    let content = push_standard(&reg.pusher()).await;
    let c = client(&reg);
    let anon = Credentials::Anonymous;

    assert!(c.ping(&anon).await.unwrap().api_version.as_deref() == Some("registry/2.0"));
    let docker = c
        .manifest(
            &anon,
            &typed::repo("library/alpine"),
            &typed::reference("3.20"),
        )
        .await
        .unwrap();
    assert_eq!(docker.media_type, media_types::DOCKER_MANIFEST_V2);
    assert_eq!(docker.digest, content.alpine_320.digest);
    let oci = c
        .manifest(
            &anon,
            &typed::repo("team-a/backend/app"),
            &typed::reference("v1.9.0"),
        )
        .await
        .unwrap();
    assert_eq!(oci.media_type, media_types::OCI_MANIFEST);
    let index = c
        .manifest(
            &anon,
            &typed::repo("team-a/frontend/web"),
            &typed::reference("2.0"),
        )
        .await
        .unwrap();
    assert_eq!(index.media_type, media_types::OCI_INDEX);
    match manifest::parse(&index).unwrap() {
        manifest::Parsed::Index(ix) => {
            let platforms: Vec<String> = ix
                .manifests()
                .iter()
                .map(|d| manifest::platform_string(d.platform().as_ref().unwrap()))
                .collect();
            assert_eq!(platforms, ["linux/amd64", "linux/arm64/v8"]);
        }
        _ => panic!("expected an index"),
    }
    // HEAD with every manifest type returns the same digest as GET.
    assert_eq!(
        c.resolve_digest(
            &anon,
            &typed::repo("team-a/frontend/web"),
            &typed::reference("2.0")
        )
        .await
        .unwrap(),
        content.web_index.digest
    );
    assert_eq!(
        c.resolve_digest(
            &anon,
            &typed::repo("team-a/frontend/web"),
            &typed::reference("amd64-only")
        )
        .await
        .unwrap(),
        content.web_amd64.digest
    );
    // By digest, the body is verified against the digest.
    let by_digest = c
        .manifest(
            &anon,
            &typed::repo("library/alpine"),
            &typed::reference(&content.alpine_319.digest),
        )
        .await
        .unwrap();
    assert_eq!(by_digest.digest, content.alpine_319.digest);
    // Sizes: config + layers, as pushed.
    match manifest::parse(&docker).unwrap() {
        manifest::Parsed::Image(m) => assert_eq!(manifest::image_size(&m), content.alpine_320.size),
        _ => panic!("expected an image"),
    }
    let mut tags = c.tags(&anon, &typed::repo("library/alpine")).await.unwrap();
    tags.sort();
    assert_eq!(tags, ["3.19", "3.20", "latest"]);
    assert!(matches!(
        c.tags(&anon, &typed::repo("no/such")).await,
        Err(RegistryError::NotFound(_))
    ));
    assert!(matches!(
        c.manifest(
            &anon,
            &typed::repo("library/alpine"),
            &typed::reference("nope")
        )
        .await,
        Err(RegistryError::NotFound(_))
    ));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn catalog_follows_link_past_one_thousand() {
    let reg = TestRegistry::start(RegistryOpts {
        htpasswd: false,
        delete_enabled: true,
        ..Default::default()
    })
    .await;
    reg.pusher()
        .push_many_repos("bulk", 1_050, 16)
        .await
        .unwrap();
    let repos = client(&reg).catalog(&Credentials::Anonymous).await.unwrap();
    // 1,050 mounted repositories plus the base they mount from.
    assert_eq!(repos.len(), 1_051);
    assert!(repos.iter().any(|n| n == "bulk/repo-01049"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn credentials_are_checked_and_delete_needs_a_digest() {
    let reg = TestRegistry::start(RegistryOpts {
        htpasswd: true,
        delete_enabled: true,
        ..Default::default()
    })
    .await;
    let content = push_standard(&reg.pusher()).await;
    let c = client(&reg);
    match c.ping(&Credentials::Anonymous).await {
        Err(RegistryError::Unauthorized {
            challenge: Some(ch),
        }) => {
            let parsed = berth::registry::auth::parse_challenges(&ch);
            assert_eq!(parsed[0].scheme, "basic");
        }
        other => panic!("expected 401, got {other:?}"),
    }
    let wrong = Credentials::Basic {
        username: "admin".into(),
        password: "nope".into(),
    };
    assert!(matches!(
        c.ping(&wrong).await,
        Err(RegistryError::Unauthorized { .. })
    ));
    let admin = reg.admin_credentials();
    // `delete_manifest` takes a `Digest`, and a tag never parses as one:
    // deleting by tag (which removes every tag on the digest) cannot be asked.
    assert!(berth::registry::Digest::parse("latest").is_err());
    c.delete_manifest(
        &admin,
        &typed::repo("library/alpine"),
        &typed::digest(&content.alpine_319.digest),
    )
    .await
    .unwrap();
    assert!(matches!(
        c.manifest(
            &admin,
            &typed::repo("library/alpine"),
            &typed::reference("3.19")
        )
        .await,
        Err(RegistryError::NotFound(_))
    ));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unreachable_and_not_a_registry() {
    let port = crate::support::registry::free_port();
    let c = RegistryClient::new(
        crate::support::http_client(),
        format!("http://127.0.0.1:{port}").parse().unwrap(),
    );
    assert!(matches!(
        c.ping(&Credentials::Anonymous).await,
        Err(RegistryError::Unreachable { .. })
    ));
    let not_registry = crate::errors::not_a_registry_server().await;
    let c = RegistryClient::new(crate::support::http_client(), not_registry.parse().unwrap());
    assert!(matches!(
        c.ping(&Credentials::Anonymous).await,
        Err(RegistryError::NotV2 { .. })
    ));
}
