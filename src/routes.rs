//! URL shapes of the app, in one place. A repository path never has a
//! component that is just `-` (names start with a letter or digit), so
//! `/r/<name>/-/…` is unambiguous.

use percent_encoding::{utf8_percent_encode, NON_ALPHANUMERIC};

pub fn encode(s: &str) -> String {
    utf8_percent_encode(s, NON_ALPHANUMERIC).to_string()
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

/// What a `/r/…` path asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RepoRoute {
    Tags(String),
    Tag(String, String),
    Delete(String),
}

pub fn parse_repo_route(rest: &str) -> RepoRoute {
    let rest = rest.trim_matches('/');
    match rest.split_once("/-/") {
        Some((repo, action)) => match action.split_once('/') {
            Some(("tag", tag)) => RepoRoute::Tag(repo.to_string(), tag.to_string()),
            _ if action == "delete" => RepoRoute::Delete(repo.to_string()),
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
        NotFound(_) => "not-found",
        BadRequest(_) => "bad-request",
        RegistryUnreachable { .. } => "unreachable",
        Unavailable(_) => "unavailable",
        _ => "registry",
    }
}

/// The message for a delete error code.
pub fn delete_error_message(code: &str) -> &'static str {
    match code {
        "delete-disabled" => "Deleting is disabled in the registry's configuration (storage.delete.enabled is false). Nothing was deleted after this point. Set storage.delete.enabled: true and restart the registry.",
        "forbidden" => "You are not allowed to delete in this registry.",
        "not-found" => "The manifest was already gone.",
        "bad-request" => "The delete request was not valid.",
        "unreachable" => "The registry could not be reached while deleting.",
        "unavailable" => "Berth could not write the delete to its audit log, so it deleted nothing from this point. Check Berth's database (see /readyz and Berth's log).",
        _ => "The registry refused the delete.",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
