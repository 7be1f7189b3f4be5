//! Storage from the index against a real registry:2: the exclusive/shared
//! split of a hand-built case (three images sharing two layers, and an
//! index over two platform images), the landing page's totals, and "what
//! a delete frees" against the bytes `docker-registry garbage-collect`
//! really removes from disk afterwards.

use berth::seed::images::{build, BuiltImage};
use berth::seed::{ImageFormat, ImageSpec, PushedImage, Pusher};

use crate::support::index::{database_url, frees_in, indexed_flags, open, synced};
use crate::support::registry::{RegistryOpts, TestRegistry};
use crate::support::{Browser, TestBerth, ADMIN};

/// `n` bytes that gzip cannot shrink (a fixed xorshift stream), so a
/// layer's size on disk is about its content's.
fn noise(seed: u64, n: usize) -> Vec<u8> {
    let mut x = seed | 1;
    (0..n)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x as u8
        })
        .collect()
}

fn spec(created: &str, layers: &[(&str, &Vec<u8>)]) -> ImageSpec {
    let mut s = ImageSpec::new(ImageFormat::Oci, created, &[]);
    s.layers = layers
        .iter()
        .map(|(p, c)| (p.to_string(), (*c).clone()))
        .collect();
    s
}

/// A manifest's, config's and layers' sizes as the registry stores them.
fn blob_sizes(image: &BuiltImage) -> (u64, u64, Vec<u64>) {
    (
        image.manifest.len() as u64,
        image.config.len() as u64,
        image.layers.iter().map(|l| l.len() as u64).collect(),
    )
}

async fn push(p: &Pusher, repo: &str, reference: &str, spec: &ImageSpec) -> PushedImage {
    p.push_image(repo, reference, spec).await.expect("push")
}

/// The `data-bytes` values from the tag `marker` is in up to `end`, in
/// order.
fn bytes_in(html: &str, marker: &str, end: &str) -> Vec<u64> {
    let at = html
        .find(marker)
        .unwrap_or_else(|| panic!("{marker} not in the page"));
    // From the start of the tag the marker is in.
    let start = html[..at].rfind('<').unwrap_or(at);
    let rest = &html[start..];
    let part = &rest[..rest.find(end).unwrap_or(rest.len())];
    part.split("data-bytes=\"")
        .skip(1)
        .map(|s| s[..s.find('"').unwrap()].parse().unwrap())
        .collect()
}

/// What the delete confirmation says `garbage-collect` would free.
async fn frees(admin: &Browser, repo: &str, tag: &str) -> u64 {
    let page = admin.get(&format!("/r/{repo}/-/delete?tags={tag}")).await;
    assert_eq!(page.status, 200, "{}", page.body);
    frees_in(&page.body).unwrap_or_else(|| panic!("no figure: {}", crate::pages::text(&page.body)))
}

/// Deletes `digest` through Berth, runs garbage-collect, and returns the
/// blob bytes it removed from disk.
async fn delete_and_collect(reg: &TestRegistry, admin: &Browser, repo: &str, digest: &str) -> u64 {
    let before = reg.blob_bytes_on_disk();
    let csrf = admin.csrf().await;
    let answer = admin
        .delete_via("/actions/delete", repo, digest, &csrf)
        .await;
    assert_eq!(answer.status, 303, "{}", answer.body);
    let printed = reg.garbage_collect();
    let after = reg.blob_bytes_on_disk();
    assert!(after <= before, "{printed}");
    before - after
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn storage_splits_shared_blobs_and_frees_matches_garbage_collect() {
    let registry = TestRegistry::start(RegistryOpts {
        htpasswd: true,
        delete_enabled: true,
        ..Default::default()
    })
    .await;
    let p = registry.pusher();
    let (base, lib) = (noise(1, 120_000), noise(2, 60_000));
    let (own1, own3, own4) = (noise(3, 30_000), noise(4, 20_000), noise(5, 10_000));
    // s/one and s/two share base and lib; s/multi's platform images share
    // base with them.
    let one = spec(
        "2025-01-01T00:00:00Z",
        &[("base", &base), ("lib", &lib), ("own1", &own1)],
    );
    let two = spec("2025-02-01T00:00:00Z", &[("base", &base), ("lib", &lib)]);
    let three = spec("2025-03-01T00:00:00Z", &[("base", &base), ("own3", &own3)]);
    let four = spec("2025-03-01T00:00:00Z", &[("base", &base), ("own4", &own4)]).platform(
        "linux",
        "arm64",
        Some("v8"),
    );
    let pushed_one = push(&p, "s/one", "1", &one).await;
    push(&p, "s/two", "1", &two).await;
    // The platform images go in by digest: reached through the index only.
    let by_digest = |s: &ImageSpec| berth::registry::digest::sha256_of(&build(s).manifest);
    let pushed_three = push(&p, "s/multi", &by_digest(&three), &three).await;
    let pushed_four = push(&p, "s/multi", &by_digest(&four), &four).await;
    let index = p
        .push_index(
            "s/multi",
            "1",
            &[(&three, &pushed_three), (&four, &pushed_four)],
        )
        .await
        .expect("push index");
    let index_bytes = registry
        .client()
        .get(format!("{}/v2/s/multi/manifests/1", registry.url))
        .basic_auth(ADMIN.0, Some(ADMIN.1))
        .header("accept", "application/vnd.oci.image.index.v1+json")
        .send()
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap()
        .len() as u64;

    let (m1, c1, l1) = blob_sizes(&build(&one));
    let (m2, c2, _) = blob_sizes(&build(&two));
    let (m3, c3, l3) = blob_sizes(&build(&three));
    let (m4, c4, l4) = blob_sizes(&build(&four));
    let (base_gz, lib_gz) = (l1[0], l1[1]);

    let db_url = database_url();
    let berth = TestBerth::start(&indexed_flags(&registry, &db_url)).await;
    let admin = berth.client();
    assert_eq!(admin.login(ADMIN.0, ADMIN.1).await.status, 303);
    let db = open(&db_url).await;
    let sync = synced(&db, 1).await;
    assert!(sync.error.is_empty(), "{sync:?}");

    // The split, per repository: [total, exclusive, shared].
    let page = admin.get("/storage").await;
    assert_eq!(page.status, 200, "{}", page.body);
    let row = |repo: &str| bytes_in(&page.body, &format!("data-repository=\"{repo}\""), "</tr>");
    let one_own = m1 + c1 + l1[2];
    assert_eq!(
        row("s/one"),
        [one_own + base_gz + lib_gz, one_own, base_gz + lib_gz]
    );
    assert_eq!(
        row("s/two"),
        [m2 + c2 + base_gz + lib_gz, m2 + c2, base_gz + lib_gz]
    );
    let multi_own = index_bytes + m3 + c3 + l3[1] + m4 + c4 + l4[1];
    assert_eq!(row("s/multi"), [multi_own + base_gz, multi_own, base_gz]);
    let unique = one_own + m2 + c2 + multi_own + base_gz + lib_gz;
    assert_eq!(
        bytes_in(&page.body, "data-testid=\"storage-total\"", ">"),
        [unique]
    );
    // The largest layer is base, used by all three.
    let layers = &page.body[page.body.find("data-testid=\"storage-layers\"").unwrap()..];
    let body = &layers[layers.find("<tbody>").unwrap()..];
    let first_row = &body[..body.find("</tr>").unwrap()];
    for repo in ["s/one", "s/two", "s/multi"] {
        assert!(first_row.contains(&format!(">{repo}</a>")), "{first_row}");
    }
    // The charts are SVG in the page itself.
    assert!(page.body.contains("class=\"chart bars\""));
    assert!(page.body.contains("class=\"chart line\""));

    // The landing page adds up the same.
    let home = admin.get("/").await;
    assert_eq!(
        bytes_in(&home.body, "data-testid=\"dashboard-bytes\"", ">"),
        [unique]
    );
    assert!(home.body.contains("data-testid=\"dashboard-largest\""));

    // Deleting s/one:1 frees its own blobs; lib stays for s/two.
    registry.garbage_collect();
    let said = frees(&admin, "s/one", "1").await;
    assert_eq!(said, one_own);
    let removed = delete_and_collect(&registry, &admin, "s/one", &pushed_one.digest).await;
    assert_eq!(
        removed, said,
        "garbage-collect removed {removed} bytes, Berth said {said}"
    );

    // s/two is now the only user of lib: deleting it frees lib too.
    let said = frees(&admin, "s/two", "1").await;
    assert_eq!(said, m2 + c2 + lib_gz);

    // Deleting the index frees the index alone: its platform manifests
    // stay in the repository, and garbage-collect keeps them.
    let said = frees(&admin, "s/multi", "1").await;
    assert_eq!(said, index_bytes);
    let removed = delete_and_collect(&registry, &admin, "s/multi", &index.digest).await;
    assert_eq!(removed, said);
}
