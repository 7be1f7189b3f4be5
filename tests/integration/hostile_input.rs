//! Crafted paths, queries and form bodies from a logged-in admin. Each gets
//! an answer below 500, and the registry's access log shows no request
//! whose path Berth did not build from checked names.

use std::collections::BTreeMap;

use berth::registry::{digest, Reference, RepositoryName};
use berth::server::limits::MAX_BODY_BYTES;

use tokio::io::{AsyncReadExt, AsyncWriteExt};

use crate::support::{session_cookie, Env, ADMIN};

/// Path segments and values that try to leave a name, or are not names.
const PAYLOADS: &[&str] = &[
    "..",
    "%2e%2e",
    "%2E%2E",
    "../..",
    "..%2f..",
    "..%2F..%2Fv2",
    "%2F",
    "%2f%2f",
    "a%2F..%2F..",
    "%252e%252e",
    "%c0%ae%c0%ae",
    "@",
    "a@b",
    "%40",
    "%3F",
    "a%3Fb",
    "%23",
    "a%23b",
    "%0d%0a",
    "a%0d%0aX-Injected:%201",
    "%00",
    "a%00b",
    "%09",
    "%20",
    "a%20b",
    "+",
    "UPPER",
    "-leading",
    "trailing-",
    "a__",
    "a//b",
    "a/./b",
    "a%5Cb",
    "%5C",
    "%EF%BD%81%EF%BD%8C%EF%BD%90",
    "%D0%B0lpine",
    "alpine%E2%80%A4",
    "%E2%80%AE",
    "%3Cscript%3E",
    "%27",
    "%22",
    "%24%7Bjndi%7D",
    "%3B",
    "a:b",
    "sha256:zz",
    "sha256%3A..%2F..",
];

fn overlong() -> Vec<String> {
    vec![
        "a".repeat(256),
        format!("{}/b", "a".repeat(255)),
        "t".repeat(129),
        "a/".repeat(200) + "a",
    ]
}

struct Case {
    method: &'static str,
    target: String,
    body: Option<(String, &'static str)>,
}

fn get(target: String) -> Case {
    Case {
        method: "GET",
        target,
        body: None,
    }
}

fn post(target: &str, body: String, content_type: &'static str) -> Case {
    Case {
        method: "POST",
        target: target.to_string(),
        body: Some((body, content_type)),
    }
}

fn cases(absent: &str) -> Vec<Case> {
    let form = "application/x-www-form-urlencoded";
    let mut out = Vec::new();
    let mut values: Vec<String> = PAYLOADS.iter().map(|s| s.to_string()).collect();
    values.extend(overlong());
    for v in &values {
        out.push(get(format!("/r/{v}")));
        out.push(get(format!("/r/{v}/-/tag/latest")));
        out.push(get(format!("/r/library/alpine/-/tag/{v}")));
        out.push(get(format!("/r/library/{v}/-/delete?tags=3.19")));
        out.push(get(format!("/r/library/alpine/-/delete?tags={v}")));
        out.push(get(format!("/?q={v}")));
        out.push(get(format!("/r/library/alpine?sort={v}&signatures={v}")));
        out.push(post("/api/list_tags", format!("repository={v}"), form));
        out.push(post(
            "/api/get_tag",
            format!("repository=library%2Falpine&tag={v}"),
            form,
        ));
        out.push(post(
            "/api/plan_delete",
            format!("repository={v}&tags=3.19"),
            form,
        ));
        out.push(post(
            "/actions/delete",
            format!("repository=library%2Falpine&digest={v}&csrf={{csrf}}"),
            form,
        ));
        out.push(post(
            "/actions/delete",
            format!("repository={v}&digest={absent}&csrf={{csrf}}"),
            form,
        ));
    }
    // Malformed and huge bodies.
    let garbage: String = (0..3 * 1024 * 1024)
        .map(|i| (b'!' + (i % 90) as u8) as char)
        .collect();
    out.push(post("/api/list_tags", garbage.clone(), form));
    out.push(post("/api/list_tags", garbage, "application/octet-stream"));
    out.push(post("/api/list_tags", "%%%%%=&&&==%zz".into(), form));
    out.push(post(
        "/api/list_tags",
        r#"{"repository":"library/alpine"}"#.into(),
        form,
    ));
    out.push(post(
        "/api/list_tags",
        "repository=library%2Falpine".into(),
        "application/json",
    ));
    out.push(post(
        "/api/list_tags",
        "repository[]=a&repository[]=b".into(),
        form,
    ));
    out.push(post(
        "/api/get_tag",
        "repository=library%2Falpine".into(),
        form,
    ));
    out.push(post("/api/no_such_function", "x=1".into(), form));
    out.push(post("/actions/delete", "a".repeat(2 * 1024 * 1024), form));
    out.push(post(
        "/auth/login",
        format!("username={}&password=x", "u".repeat(10_000)),
        form,
    ));
    out.push(get(format!("/?q={}", "%41".repeat(5_000))));
    out.push(get("/%2e%2e/%2e%2e/etc/passwd".into()));
    out.push(get("/pkg/..%2f..%2fCargo.toml".into()));
    out.push(get("/pkg/%2e%2e/%2e%2e/Cargo.toml".into()));
    out
}

/// A registry request Berth may make: its own paths over checked names.
fn allowed(path: &str) -> bool {
    let path = path.split('?').next().unwrap_or("");
    if path == "/v2/" || path == "/v2/_catalog" || path.starts_with("/v2/berth-log-marker-") {
        return true;
    }
    let Some(rest) = path.strip_prefix("/v2/") else {
        return false;
    };
    for (suffix, check) in [
        ("/tags/list", None),
        ("/manifests/", Some(true)),
        ("/blobs/", Some(false)),
        ("/referrers/", Some(false)),
    ] {
        if let Some(at) = rest.rfind(suffix) {
            let (repo, last) = (&rest[..at], &rest[at + suffix.len()..]);
            let reference_ok = match check {
                None => last.is_empty(),
                Some(true) => Reference::parse(last).is_ok(),
                Some(false) => digest::is_valid(last),
            };
            return RepositoryName::parse(repo).is_ok() && reference_ok;
        }
    }
    false
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn crafted_requests_get_4xx_and_never_reach_the_registry_altered() {
    let env = Env::start(true, &[]).await;
    let admin = env.admin().await;
    let csrf = admin.csrf().await;
    let cookie = session_cookie(&admin.base, ADMIN).await;
    let absent = digest::sha256_of(b"berth hostile input: no such manifest");
    let all = cases(&absent);
    // Only what Berth asks from here on (the set-up pushed images).
    env.registry.settle_log().await;
    let mark = env.registry.log().len();
    let mut by_status: BTreeMap<u16, usize> = BTreeMap::new();
    let mut server_errors = Vec::new();
    for case in &all {
        let url = format!("{}{}", admin.base, case.target);
        // A fresh connection per case: after a malformed head hyper answers
        // and closes, and a pooled connection reused in that instant would
        // fail the next case with no answer (a client race, not Berth's).
        let rb = match &case.body {
            None => admin.http.get(url).header("connection", "close"),
            Some((body, ct)) => admin
                .http
                .post(url)
                .header("connection", "close")
                .header("content-type", *ct)
                .header("origin", &admin.base)
                .body(body.replace("{csrf}", &csrf)),
        };
        // A body over the limit goes out the way a careful client sends it
        // (`Expect: 100-continue`): Berth must refuse it from the head alone.
        // Sent whole, the refusal and the close race the upload, and the
        // client may see a reset instead of the 413 it was sent.
        if let Some((body, ct)) = case.body.as_ref().filter(|(b, _)| b.len() > MAX_BODY_BYTES) {
            let status = oversized_post(&admin.base, &cookie, &case.target, body, ct).await;
            assert_eq!(status, 413, "POST {}: a body over the limit", case.target);
            *by_status.entry(status).or_default() += 1;
            continue;
        }
        let status = match rb.send().await {
            Ok(r) => r.status().as_u16(),
            Err(e) => panic!(
                "{} {}: no answer: {e}",
                case.method,
                &case.target[..case.target.len().min(120)]
            ),
        };
        *by_status.entry(status).or_default() += 1;
        if status >= 500 {
            server_errors.push(format!(
                "{status} {} {}",
                case.method,
                &case.target[..case.target.len().min(120)]
            ));
        }
    }
    env.registry.settle_log().await;
    let log = env.registry.log();
    let requested: Vec<&str> = log[mark..]
        .lines()
        .filter_map(|l| l.split('"').nth(1))
        .filter_map(|r| r.split(' ').nth(1))
        .collect();
    let altered: Vec<&&str> = requested.iter().filter(|p| !allowed(p)).collect();
    eprintln!(
        "hostile input: {} requests; answers by status {by_status:?}; {} registry requests, {} with a path Berth should not have built",
        all.len(),
        requested.len(),
        altered.len()
    );
    assert!(all.len() >= 200, "{}", all.len());
    assert!(server_errors.is_empty(), "5xx answers: {server_errors:#?}");
    assert!(altered.is_empty(), "altered registry paths: {altered:#?}");
    // Still all there.
    assert_eq!(admin.get("/r/library/alpine/-/tag/3.19").await.status, 200);
}

/// POSTs `body` over a raw connection with `Expect: 100-continue` and
/// returns the final status: the body is sent only if the server asks for it.
async fn oversized_post(base: &str, cookie: &str, target: &str, body: &str, ct: &str) -> u16 {
    let host = base.trim_start_matches("http://");
    let mut conn = tokio::net::TcpStream::connect(host).await.expect("connect");
    let head = format!(
        "POST {target} HTTP/1.1\r\nhost: {host}\r\ncookie: {cookie}\r\norigin: {base}\r\n\
         content-type: {ct}\r\ncontent-length: {}\r\nexpect: 100-continue\r\n\
         connection: close\r\n\r\n",
        body.len()
    );
    conn.write_all(head.as_bytes()).await.expect("send head");
    let mut status = read_status(&mut conn).await;
    if status == 100 {
        conn.write_all(body.as_bytes()).await.expect("send body");
        status = read_status(&mut conn).await;
    }
    status
}

/// Reads one response head and returns its status code.
async fn read_status(conn: &mut tokio::net::TcpStream) -> u16 {
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") {
        let n = tokio::time::timeout(std::time::Duration::from_secs(20), conn.read(&mut byte))
            .await
            .expect("an answer within 20 s")
            .expect("read");
        assert!(
            n == 1,
            "connection closed before a status line: {:?}",
            String::from_utf8_lossy(&head)
        );
        head.push(byte[0]);
    }
    let line = String::from_utf8_lossy(&head);
    line.split(' ')
        .nth(1)
        .and_then(|code| code.parse().ok())
        .unwrap_or_else(|| panic!("not a status line: {line:?}"))
}
