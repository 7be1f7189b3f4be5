//! Every route and server function, called as anonymous, viewer, admin and
//! admin from a foreign origin, each with and without the anti-CSRF token.
//! Each cell is "refused" (401, 403, or a redirect to the login form) or
//! "passed" (anything else: the call reached its service). The expected
//! matrix follows from the rules; the test prints the matrix it saw and
//! fails on any cell that differs, both ways.

use crate::support::{Browser, Env};

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Who {
    Anonymous,
    Viewer,
    Admin,
    ForeignAdmin,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Needs {
    /// Any logged-in user; safe method, so the origin does not matter.
    ReadPage,
    /// The admin role; safe method.
    AdminPage,
    /// Any logged-in user, same origin (a POST).
    Read,
    /// The admin role, same origin.
    Admin,
    /// The admin role, same origin and the session's token.
    AdminWithToken,
    /// A logged-in user, same origin and the session's token.
    UserWithToken,
}

struct Route {
    method: &'static str,
    path: &'static str,
    /// Form fields; `{csrf}` and `{absent}` are filled in.
    fields: &'static [(&'static str, &'static str)],
    needs: Needs,
}

/// A delete of a digest no manifest has, with the session's token.
const DELETE_FIELDS: &[(&str, &str)] = &[
    ("repository", "library/alpine"),
    ("digest", "{absent}"),
    ("csrf", "{csrf}"),
];

const ROUTES: &[Route] = &[
    Route {
        method: "GET",
        path: "/",
        fields: &[],
        needs: Needs::ReadPage,
    },
    Route {
        method: "GET",
        path: "/r/library/alpine",
        fields: &[],
        needs: Needs::ReadPage,
    },
    Route {
        method: "GET",
        path: "/r/library/alpine/-/tag/3.19",
        fields: &[],
        needs: Needs::ReadPage,
    },
    Route {
        method: "GET",
        path: "/r/library/alpine/-/delete?tags=3.19",
        fields: &[],
        needs: Needs::AdminPage,
    },
    Route {
        method: "GET",
        path: "/admin/registry",
        fields: &[],
        needs: Needs::AdminPage,
    },
    Route {
        method: "POST",
        path: "/api/list_repositories",
        fields: &[],
        needs: Needs::Read,
    },
    Route {
        method: "POST",
        path: "/api/list_tags",
        fields: &[("repository", "library/alpine")],
        needs: Needs::Read,
    },
    Route {
        method: "POST",
        path: "/api/get_tag",
        fields: &[("repository", "library/alpine"), ("tag", "3.19")],
        needs: Needs::Read,
    },
    Route {
        method: "POST",
        path: "/api/get_viewer",
        fields: &[],
        needs: Needs::Read,
    },
    Route {
        method: "POST",
        path: "/api/plan_delete",
        fields: &[("repository", "library/alpine"), ("tags", "3.19")],
        needs: Needs::Admin,
    },
    Route {
        method: "POST",
        path: "/api/get_registry_report",
        fields: &[],
        needs: Needs::Admin,
    },
    Route {
        method: "POST",
        path: "/api/delete_manifest",
        fields: DELETE_FIELDS,
        needs: Needs::AdminWithToken,
    },
    Route {
        method: "POST",
        path: "/actions/delete",
        fields: DELETE_FIELDS,
        needs: Needs::AdminWithToken,
    },
    Route {
        method: "POST",
        path: "/actions/remove-tags",
        fields: &[
            ("repository", "library/alpine"),
            ("tag", "no-such-tag"),
            ("csrf", "{csrf}"),
        ],
        needs: Needs::AdminWithToken,
    },
    Route {
        method: "POST",
        path: "/auth/logout",
        fields: &[("csrf", "{csrf}")],
        needs: Needs::UserWithToken,
    },
];

fn expected(needs: Needs, who: Who, with_token: bool) -> bool {
    let logged_in = who != Who::Anonymous;
    let admin = matches!(who, Who::Admin | Who::ForeignAdmin);
    let same_origin = who != Who::ForeignAdmin;
    let token = with_token && logged_in;
    match needs {
        Needs::ReadPage => logged_in,
        Needs::AdminPage => admin,
        Needs::Read => logged_in && same_origin,
        Needs::Admin => admin && same_origin,
        Needs::AdminWithToken => admin && same_origin && token,
        // Without a session there is nothing to end: the answer is the
        // same redirect to the login form, and nothing happens.
        Needs::UserWithToken => (logged_in && same_origin && token) || who == Who::Anonymous,
    }
}

async fn call(b: &Browser, who: Who, route: &Route, csrf: &str, absent: &str) -> (u16, bool) {
    let url = format!("{}{}", b.base, route.path);
    let mut rb = if route.method == "GET" {
        b.http.get(url)
    } else {
        let fields: Vec<(&str, &str)> = route
            .fields
            .iter()
            .map(|(k, v)| {
                let v = match *v {
                    "{csrf}" => csrf,
                    "{absent}" => absent,
                    other => other,
                };
                (*k, v)
            })
            .collect();
        let body = url::form_urlencoded::Serializer::new(String::new())
            .extend_pairs(fields)
            .finish();
        b.http
            .post(url)
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body)
    };
    rb = if who == Who::ForeignAdmin {
        rb.header("origin", "http://evil.example")
            .header("sec-fetch-site", "cross-site")
    } else {
        rb.header("origin", &b.base)
            .header("sec-fetch-site", "same-origin")
    };
    let resp = rb.send().await.expect("answer");
    let status = resp.status().as_u16();
    let location = resp
        .headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    let refused = matches!(status, 401 | 403)
        || (status == 303 && location.starts_with("/login") && route.path != "/auth/logout");
    (status, !refused)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_identity_gets_more_than_its_role_allows() {
    let env = Env::start(true, &[]).await;
    // A digest no manifest has: an allowed delete reaches the registry and
    // is told it is gone; nothing is removed whatever the matrix does.
    let absent = berth::registry::digest::sha256_of(b"berth auth matrix: no such manifest");
    let mut table = String::new();
    let mut wrong = Vec::new();
    let mut cells = 0;
    for route in ROUTES {
        for who in [Who::Anonymous, Who::Viewer, Who::Admin, Who::ForeignAdmin] {
            for with_token in [false, true] {
                // A fresh session per cell: logging out must not leak into
                // the next one.
                let b = match who {
                    Who::Anonymous => env.berth.client(),
                    Who::Viewer => env.viewer().await,
                    Who::Admin | Who::ForeignAdmin => env.admin().await,
                };
                let csrf = if with_token && who != Who::Anonymous {
                    b.csrf().await
                } else {
                    String::new()
                };
                let (status, passed) = call(&b, who, route, &csrf, &absent).await;
                let want = expected(route.needs, who, with_token);
                cells += 1;
                table.push_str(&format!(
                    "{:<6} {:<38} {:<13} token={:<5} → {status} {}{}\n",
                    route.method,
                    route.path,
                    format!("{who:?}"),
                    with_token,
                    if passed { "passed" } else { "refused" },
                    if passed == want {
                        ""
                    } else {
                        "   <-- UNEXPECTED"
                    }
                ));
                if passed != want {
                    wrong.push(format!(
                        "{} {} as {who:?} token={with_token}: {status}",
                        route.method, route.path
                    ));
                }
            }
        }
    }
    eprintln!("auth matrix ({cells} cells):\n{table}");
    let unauthorized: Vec<_> = wrong.iter().filter(|w| !w.contains("as Admin ")).collect();
    eprintln!("unexpected cells: {}", wrong.len());
    assert!(
        wrong.is_empty(),
        "unexpected: {wrong:#?} (of which possibly unauthorized: {unauthorized:?})"
    );
    // Nothing was deleted along the way.
    let admin = env.admin().await;
    assert_eq!(admin.get("/r/library/alpine/-/tag/3.19").await.status, 200);
}
