//! URL shapes of the app, in one place. A repository path never has a
//! component that is just `-` (names start with a letter or digit), so
//! `/r/<name>/-/…` is unambiguous.

use percent_encoding::{utf8_percent_encode, NON_ALPHANUMERIC};

pub fn encode(s: &str) -> String {
    utf8_percent_encode(s, NON_ALPHANUMERIC).to_string()
}

/// The path Berth is served under: `""`, or a prefix like `/ui`
/// (`BERTH_BASE_PATH`). On the server it comes from the settings in the
/// request's context; in the browser from the page's `berth-base` meta tag.
/// Outside a page (form handlers) it is `""`: those prefix from settings.
pub fn base() -> String {
    #[cfg(feature = "ssr")]
    {
        leptos::prelude::use_context::<crate::server::state::AppState>()
            .map(|s| s.settings().base_path.clone())
            .unwrap_or_default()
    }
    #[cfg(all(feature = "hydrate", not(feature = "ssr")))]
    {
        client_base().to_string()
    }
    #[cfg(not(any(feature = "ssr", feature = "hydrate")))]
    {
        String::new()
    }
}

/// The base path as the server wrote it into the page, read once.
#[cfg(feature = "hydrate")]
pub fn client_base() -> &'static str {
    static BASE: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    BASE.get_or_init(|| {
        web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.query_selector("meta[name=berth-base]").ok().flatten())
            .and_then(|m| m.get_attribute("content"))
            .filter(|b| b.starts_with('/'))
            .unwrap_or_default()
    })
}

/// `path` (an app path like `/r/x` or `/login?next=…`) under `base`; the
/// root is the base itself (`/ui`, which the nested router serves).
pub fn under(base: &str, path: &str) -> String {
    if base.is_empty() {
        path.to_string()
    } else if path == "/" {
        base.to_string()
    } else if let Some(query) = path.strip_prefix("/?") {
        format!("{base}?{query}")
    } else {
        format!("{base}{path}")
    }
}

/// An app path as a link in a page: under the base path.
pub fn href(path: &str) -> String {
    under(&base(), path)
}

pub fn repo_path(repo: &str) -> String {
    format!("/r/{repo}")
}

pub fn tag_path(repo: &str, tag: &str) -> String {
    format!("/r/{repo}/-/tag/{tag}")
}

pub fn delete_path(repo: &str, tags: &[String]) -> String {
    format!("/r/{repo}/-/delete?tags={}", encode(&tags.join(",")))
}

/// `/r/<repo>/-/files/<tag>` with the query's parameters in a fixed order.
pub fn files_path(repo: &str, tag: &str, q: &crate::model::files::FilesQuery) -> String {
    let mut params: Vec<String> = Vec::new();
    if let Some(n) = q.layer {
        params.push(format!("layer={n}"));
    }
    let mut put = |name: &str, v: &Option<String>| {
        if let Some(v) = v.as_deref().filter(|v| !v.is_empty()) {
            params.push(format!("{name}={}", encode(v)));
        }
    };
    put("platform", &q.platform);
    put("path", &q.path);
    put("q", &q.q);
    put("sort", &q.sort);
    put("dir", &q.dir);
    if let Some(p) = q.page.filter(|p| *p > 1) {
        params.push(format!("page={p}"));
    }
    let mut path = format!("/r/{repo}/-/files/{tag}");
    if !params.is_empty() {
        path.push('?');
        path.push_str(&params.join("&"));
    }
    path
}

/// `/r/<repo>/-/compare?a=<tag>&b=<tag>`.
pub fn compare_path(repo: &str, a: &str, b: &str) -> String {
    format!("/r/{repo}/-/compare?a={}&b={}", encode(a), encode(b))
}

/// What a `/r/…` path asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RepoRoute {
    Tags(String),
    Tag(String, String),
    Delete(String),
    Files(String, String),
    Compare(String),
}

pub fn parse_repo_route(rest: &str) -> RepoRoute {
    let rest = rest.trim_matches('/');
    match rest.split_once("/-/") {
        Some((repo, action)) => match action.split_once('/') {
            Some(("tag", tag)) => RepoRoute::Tag(repo.to_string(), tag.to_string()),
            Some(("files", tag)) => RepoRoute::Files(repo.to_string(), tag.to_string()),
            _ if action == "delete" => RepoRoute::Delete(repo.to_string()),
            _ if action == "compare" => RepoRoute::Compare(repo.to_string()),
            // Unknown action: let the tag page report the bad name.
            _ => RepoRoute::Tag(repo.to_string(), action.to_string()),
        },
        None => RepoRoute::Tags(rest.to_string()),
    }
}

/// Only a same-site absolute path may be a post-login target: never
/// `//evil.example`, `https://…`, or anything a browser would turn into
/// one. Browsers drop tabs and newlines from URLs and read `\` as `/`, so
/// `/\t/evil.example` would become `//evil.example`: any control character,
/// whitespace or backslash refuses the whole value.
pub fn safe_next(next: &str) -> &str {
    let mut chars = next.chars();
    let path_absolute = chars.next() == Some('/') && !matches!(chars.next(), Some('/'));
    let clean = !next
        .chars()
        .any(|c| c.is_control() || c.is_whitespace() || c == '\\');
    if path_absolute && clean {
        next
    } else {
        "/"
    }
}

/// Short codes carried in a redirect after a failed no-JS delete.
#[cfg(feature = "ssr")]
pub fn delete_error_code(e: &crate::error::AppError) -> &'static str {
    use crate::error::AppError::*;
    match e {
        DeleteDisabled => "delete-disabled",
        Forbidden(_) => "forbidden",
        Protected(_) => "protected",
        ProtectionUnknown(_) => "protection-unknown",
        NotFound(_) => "not-found",
        BadRequest(_) => "bad-request",
        RegistryUnreachable { .. } => "unreachable",
        Unavailable(_) => "unavailable",
        _ => "registry",
    }
}

/// The message for a delete error code, in the current language.
pub fn delete_error_message(code: &str) -> String {
    use crate::t;
    match code {
        "delete-disabled" => t!("delete-error-disabled"),
        "forbidden" => t!("delete-error-forbidden"),
        "protected" => t!("delete-error-protected"),
        "protection-unknown" => t!("delete-error-protection-unknown"),
        "not-found" => t!("delete-error-not-found"),
        "bad-request" => t!("delete-error-bad-request"),
        "unreachable" => t!("delete-error-unreachable"),
        "unavailable" => t!("delete-error-unavailable"),
        _ => t!("delete-error-refused"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_go_under_the_base() {
        assert_eq!(under("", "/r/a"), "/r/a");
        assert_eq!(under("", "/"), "/");
        assert_eq!(under("/ui", "/"), "/ui");
        assert_eq!(under("/ui", "/?q=x"), "/ui?q=x");
        assert_eq!(under("/ui", "/r/a/-/tag/1"), "/ui/r/a/-/tag/1");
        assert_eq!(under("/ui", "/login?next=%2Fr"), "/ui/login?next=%2Fr");
    }

    #[test]
    fn repo_routes() {
        assert_eq!(
            parse_repo_route("team-a/app"),
            RepoRoute::Tags("team-a/app".into())
        );
        assert_eq!(
            parse_repo_route("team-a/app/-/tag/v1.0"),
            RepoRoute::Tag("team-a/app".into(), "v1.0".into())
        );
        assert_eq!(
            parse_repo_route("a/-/delete"),
            RepoRoute::Delete("a".into())
        );
        assert_eq!(
            parse_repo_route("team/app/-/files/v1"),
            RepoRoute::Files("team/app".into(), "v1".into())
        );
        assert_eq!(
            parse_repo_route("team/app/-/compare"),
            RepoRoute::Compare("team/app".into())
        );
        let q = crate::model::files::FilesQuery {
            layer: Some(2),
            path: Some("/etc/os-release".into()),
            platform: Some("linux/arm64".into()),
            ..Default::default()
        };
        assert_eq!(
            files_path("app", "v1", &q),
            "/r/app/-/files/v1?layer=2&platform=linux%2Farm64&path=%2Fetc%2Fos%2Drelease"
        );
    }

    #[test]
    fn next_is_local_only() {
        assert_eq!(safe_next("/r/app?sort=date"), "/r/app?sort=date");
        assert_eq!(safe_next("/"), "/");
        assert_eq!(safe_next("/r/a%2Fb"), "/r/a%2Fb");
        for bad in [
            "//evil.example",
            "https://evil.example/",
            "/\\evil",
            "",
            "javascript:alert(1)",
            // What `/%09/evil.example` in a query decodes to.
            "/\t/evil.example",
            "/\n/evil.example",
            "/\r\n//evil.example",
            "/ /evil.example",
            "/\u{0}/evil.example",
            "/\u{85}/evil.example",
            "/\u{3000}/evil.example",
            "\\\\evil.example",
            "/x\\..\\\\evil",
            "evil.example",
            "?next=//evil",
        ] {
            assert_eq!(safe_next(bad), "/", "{bad}");
        }
    }
}
