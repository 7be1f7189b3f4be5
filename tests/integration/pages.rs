//! Every page's content over HTTP, rendered by the server.

use crate::support::Env;

/// The text of an HTML page with tags removed, for content checks.
pub fn text(html: &str) -> String {
    // A break opportunity is no space, as a browser shows it.
    let html = html.replace("<wbr>", "").replace("<wbr/>", "");
    let mut out = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => {
                in_tag = false;
                out.push(' ');
            }
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn repositories_page_groups_counts_and_filters() {
    let env = Env::start(true, &[]).await;
    let b = env.admin().await;
    let page = b.get("/").await;
    assert_eq!(page.status, 200);
    let t = text(&page.body);
    assert!(t.contains("4 repositories"), "{t}");
    for ns in ["library", "team-a/backend", "team-a/frontend", "my.org"] {
        assert!(
            page.body.contains(&format!("<h2>{ns}</h2>")),
            "namespace {ns} missing"
        );
    }
    assert!(page.body.contains("href=\"/r/my.org/tool_x-cli\""));
    assert!(page.body.contains("href=\"/r/team-a/backend/app\""));

    // The GET filter works without JavaScript.
    let filtered = b.get("/?q=team-a").await;
    let t = text(&filtered.body);
    assert!(t.contains("2 of 4 repositories"), "{t}");
    assert!(!filtered.body.contains("href=\"/r/library/alpine\""));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn repository_page_shows_sizes_dates_platforms_and_shared_digests() {
    let env = Env::start(true, &[]).await;
    let b = env.admin().await;
    let page = b.get("/r/library/alpine").await;
    assert_eq!(page.status, 200);
    let t = text(&page.body);
    assert!(t.contains("3 tags"), "{t}");
    // Short digest, size as config + layers, absolute and relative dates.
    assert!(t.contains(&env.content.alpine_320.digest[7..19]));
    assert!(
        t.contains(&berth::format::size(env.content.alpine_320.size)),
        "{t}"
    );
    assert!(t.contains("2024-05-22 10:00 UTC"), "{t}");
    assert!(t.contains("years ago") || t.contains("months ago"), "{t}");
    assert!(t.contains("linux/amd64"));
    assert!(t.contains("same digest as latest"), "{t}");
    assert!(t.contains("same digest as 3.20"), "{t}");
    assert!(t.contains(&format!(
        "docker pull 127.0.0.1:{}/library/alpine:3.20",
        env.registry.url.rsplit(':').next().unwrap()
    )));

    // An index shows each platform with its own size.
    let web = text(&b.get("/r/team-a/frontend/web").await.body);
    assert!(
        web.contains("linux/amd64") && web.contains("linux/arm64/v8"),
        "{web}"
    );
    assert!(
        web.contains(&format!(
            "linux/arm64/v8: {}",
            berth::format::size(env.content.web_arm64.size)
        )),
        "{web}"
    );
}

/// The order of tag rows in a page.
fn row_order(html: &str) -> Vec<String> {
    html.split("data-tag=\"")
        .skip(1)
        .map(|s| s[..s.find('"').unwrap()].to_string())
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tags_sort_by_name_version_and_date_across_all_tags() {
    let env = Env::start(true, &[]).await;
    let b = env.admin().await;
    assert_eq!(
        row_order(&b.get("/r/team-a/backend/app").await.body),
        ["v1.10.0", "v1.2.0", "v1.9.0"]
    );
    assert_eq!(
        row_order(&b.get("/r/team-a/backend/app?sort=version").await.body),
        ["v1.10.0", "v1.9.0", "v1.2.0"]
    );
    assert_eq!(
        row_order(&b.get("/r/team-a/backend/app?sort=date").await.body),
        ["v1.2.0", "v1.9.0", "v1.10.0"]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tag_page_shows_config_layers_history_and_raw_manifest() {
    let env = Env::start(true, &[]).await;
    let b = env.admin().await;
    let page = b.get("/r/team-a/backend/app/-/tag/v1.9.0").await;
    assert_eq!(page.status, 200);
    let t = text(&page.body);
    let digest = &env.content.app[0].1.digest;
    for want in [
        digest.as_str(),
        "application/vnd.oci.image.manifest.v1+json",
        "/app/server",
        "--port 8080",
        "APP_MODE=production",
        "8080/tcp",
        "/app",
        "Layers (1)",
        "COPY app/server /app/server",
        "empty layer",
        "Raw manifest JSON",
        "2025-02-01 00:00 UTC",
    ] {
        assert!(t.contains(want), "missing {want:?} in {t}");
    }
    let layers = &page.body[page.body.find("class=\"layers\"").expect("layers table")..];
    assert!(
        layers.contains("width:100.0%"),
        "{}",
        &layers[..layers.len().min(1500)]
    );

    let index = b.get("/r/team-a/frontend/web/-/tag/2.0").await;
    let t = text(&index.body);
    assert!(t.contains("Platforms (2)"), "{t}");
    assert!(t.contains("linux/arm64/v8"));
    assert!(t.contains(&env.content.web_index.digest));
    assert!(t.contains("application/vnd.oci.image.index.v1+json"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unknown_repository_tag_and_bad_names_get_honest_statuses() {
    let env = Env::start(true, &[]).await;
    let b = env.admin().await;
    let missing_repo = b.get("/r/no/such/repo").await;
    assert_eq!(missing_repo.status, 404);
    assert!(text(&missing_repo.body).contains("There is no repository named no/such/repo"));
    let missing_tag = b.get("/r/library/alpine/-/tag/9.9").await;
    assert_eq!(missing_tag.status, 404);
    assert!(text(&missing_tag.body).contains("There is no tag 9.9 in library/alpine"));
    let bad = b.get("/r/Bad..Name").await;
    assert_eq!(bad.status, 400);
    assert_eq!(b.get("/nowhere").await.status, 404);
}

/// A list longer than `BERTH_MAX_ROWS` is sorted over all its rows, then
/// cut into pages on the server: each page holds at most that many rows,
/// says which rows they are, and links to its neighbours.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn long_lists_are_paged_on_the_server_and_say_so() {
    let env = Env::start(true, &["--max-rows", "2"]).await;
    let b = env.admin().await;

    let first = b.get("/r/team-a/backend/app?sort=version").await;
    assert_eq!(first.status, 200);
    assert_eq!(row_order(&first.body), ["v1.10.0", "v1.9.0"]);
    let t = text(&first.body);
    assert!(t.contains("Tags 1–2 of 3 · page 1 of 2"), "{t}");
    assert!(t.contains("Longer than 2 rows (BERTH_MAX_ROWS)"), "{t}");
    assert!(first
        .body
        .contains("href=\"/r/team-a/backend/app?sort=version&amp;page=2\""));
    // The whole list is still counted.
    assert!(t.contains("3 tags"), "{t}");

    let second = b.get("/r/team-a/backend/app?sort=version&page=2").await;
    assert_eq!(row_order(&second.body), ["v1.2.0"]);
    assert!(text(&second.body).contains("Tags 3–3 of 3 · page 2 of 2"));
    // A page past the end shows the last one, not an empty table.
    assert_eq!(
        row_order(
            &b.get("/r/team-a/backend/app?sort=version&page=99")
                .await
                .body
        ),
        ["v1.2.0"]
    );
    // A list that fits has no pager; one that does not has it.
    assert!(second.body.contains("data-testid=\"pager\""));
    let one = Env::start(true, &[]).await;
    let whole = one.admin().await.get("/r/team-a/backend/app").await;
    assert!(!whole.body.contains("data-testid=\"pager\""));

    // The repository list: 4 repositories, 2 a page, filtered on the server first.
    let repos = text(&b.get("/").await.body);
    assert!(
        repos.contains("Repositories 1–2 of 4 · page 1 of 2"),
        "{repos}"
    );
    let filtered = text(&b.get("/?q=team-a").await.body);
    assert!(filtered.contains("2 of 4 repositories"), "{filtered}");
    assert!(!filtered.contains("page 1 of"), "{filtered}");
    let page2 = b.get("/?page=2").await;
    assert!(text(&page2.body).contains("Repositories 3–4 of 4 · page 2 of 2"));
    assert!(page2.body.contains("href=\"/?page=1\""));

    // The server functions answer pages too, and refuse a bad page number.
    let api = b
        .post_api(
            "/api/list_tags",
            &[
                ("repository", "team-a/backend/app"),
                ("page", "2"),
                ("sort", "version"),
            ],
        )
        .await;
    assert_eq!(api.status, 200);
    let v: serde_json::Value = serde_json::from_str(&api.body).unwrap();
    assert_eq!(v["paging"]["page"], 2);
    assert_eq!(v["rows"].as_array().unwrap().len(), 1);
    let bad = b
        .post_api(
            "/api/list_tags",
            &[("repository", "team-a/backend/app"), ("page", "two")],
        )
        .await;
    assert_eq!(bad.status, 400);
}

/// The parts of `html` from each `open` to the next `close`.
fn segments<'a>(html: &'a str, open: &str, close: &str) -> Vec<&'a str> {
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(start) = rest.find(open) {
        let tail = &rest[start..];
        let end = tail.find(close).map_or(tail.len(), |e| e + close.len());
        out.push(&tail[..end]);
        rest = &tail[end..];
    }
    out
}

/// Pages are islands: the tag table is server HTML, and nothing of a row
/// (its digest, its pull command) is sent again as hydration data, in a
/// script or in an island's props. The interactive parts are islands.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tag_rows_cross_the_wire_once() {
    let env = Env::start(true, &[]).await;
    let b = env.admin().await;
    let page = b.get("/r/library/alpine").await;
    assert_eq!(page.status, 200);
    let hex = &env.content.alpine_320.digest["sha256:".len()..];
    assert!(page.body.contains(hex), "the row is on the page");
    assert!(page.body.contains("docker pull "));
    assert!(
        page.body
            .contains("<leptos-island data-component=\"TagActions_"),
        "the table's controls are an island"
    );
    let scripts = segments(&page.body, "<script", "</script>");
    assert!(!scripts.is_empty(), "the island loader is on the page");
    for s in scripts {
        assert!(!s.contains(hex), "a digest in a script: {s}");
        assert!(
            !s.contains("docker pull"),
            "a pull command in a script: {s}"
        );
    }
    let islands = segments(&page.body, "<leptos-island", ">");
    assert!(!islands.is_empty());
    // The segments hold the props whole: the table's island carries its
    // repository and the dialog's words there, so a row would show too.
    let table = islands
        .iter()
        .find(|i| i.contains("TagActions_"))
        .expect("the table's island");
    assert!(table.contains("data-props="), "{table}");
    assert!(table.contains("library/alpine"), "{table}");
    assert!(table.ends_with("\">"), "props cut short: {table}");
    for props in islands {
        assert!(!props.contains(hex), "a digest in island props: {props}");
        assert!(
            !props.contains("docker pull"),
            "a row in island props: {props}"
        );
    }
    // Every `<tr data-tag>` is inside the island's children, not its props.
    let rows = page.body.matches("<tr data-tag=").count();
    assert_eq!(rows, 3);
}

/// 302 tags on one digest: each row names 3 of the others and links the
/// rest ("+298 more: same image") to the tag page, which lists all 301;
/// the repository page stays small (it was 1.45 MB when every row listed
/// every other tag).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hundreds_of_tags_on_one_digest_keep_the_page_small() {
    let env = Env::start(false, &[]).await;
    let p = env.registry.pusher();
    let image = crate::support::fixtures::docker_image("1", "2026-01-01T00:00:00Z");
    let pushed = p.push_image("many/same", "t000", &image).await.unwrap();
    let body = env
        .registry
        .client()
        .get(format!(
            "{}/v2/many/same/manifests/{}",
            env.registry.url, pushed.digest
        ))
        .basic_auth(crate::support::ADMIN.0, Some(crate::support::ADMIN.1))
        .header("accept", pushed.media_type.as_str())
        .send()
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    for n in 1..302 {
        p.put_manifest("many/same", &format!("t{n:03}"), &pushed.media_type, &body)
            .await
            .unwrap();
    }
    let b = env.admin().await;
    let page = b.get("/r/many/same").await;
    assert_eq!(page.status, 200);
    println!(
        "302 tags on one digest: repository page {} bytes",
        page.body.len()
    );
    assert_eq!(page.body.matches("<tr data-tag=").count(), 302);
    let row = segments(&page.body, "<tr data-tag=\"t000\"", "</tr>")[0];
    let words = text(row);
    assert!(
        words.contains("same digest as t001, t002, t003 +298 more: same image"),
        "{words}"
    );
    assert!(!words.contains("t004"), "{words}");
    assert!(
        row.contains("href=\"/r/many/same/-/tag/t000#same-digest\""),
        "{row}"
    );
    assert!(page.body.len() < 400_000, "{} bytes", page.body.len());
    // The tag page names every other tag.
    let tag = b.get("/r/many/same/-/tag/t000").await;
    assert_eq!(tag.status, 200);
    let listed = segments(&tag.body, "id=\"same-digest\"", "</dd>")[0];
    for n in 1..302 {
        assert!(listed.contains(&format!("t{n:03}")), "t{n:03}");
    }
}
