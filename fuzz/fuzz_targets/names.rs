//! Names that go into registry URLs, and the app's own route parsing and
//! post-login redirect check.
//!
//! Input: the whole string is parsed as each kind; split at the first
//! space, the two halves are parsed as a repository and a reference and
//! put into a manifest URL.
#![no_main]

use berth::registry::digest::Digest;
use berth::registry::names::{Reference, RepositoryName, Tag};
use berth::routes::{parse_repo_route, safe_next};
use libfuzzer_sys::fuzz_target;
use url::Url;

fn clean(kind: &str, s: &str) {
    assert!(!s.contains('%'), "{kind} {s:?} has %");
    assert!(
        !s.chars().any(|c| c.is_whitespace() || c.is_control()),
        "{kind} {s:?} has whitespace/control"
    );
    assert!(!s.contains(['?', '#', '\\']), "{kind} {s:?} has ?/#/\\");
    assert!(!s.split('/').any(|seg| seg == ".." || seg == "."), "{kind} {s:?} has a dot segment");
}

fn check_repo(s: &str) -> Option<RepositoryName> {
    let r = RepositoryName::parse(s).ok()?;
    assert_eq!(r.as_str(), s);
    assert_eq!(RepositoryName::parse(r.as_str()).ok().as_ref(), Some(&r));
    clean("repo", s);
    assert!(!s.contains(".."), "repo {s:?} has ..");
    assert!(!s.contains(':'), "repo {s:?} has :");
    assert!(!s.starts_with('/') && !s.ends_with('/') && !s.contains("//"));
    Some(r)
}

fn check_tag(s: &str) -> Option<Tag> {
    let t = Tag::parse(s).ok()?;
    assert_eq!(t.as_str(), s);
    assert_eq!(Tag::parse(t.as_str()).ok().as_ref(), Some(&t));
    clean("tag", s);
    // The tag grammar [A-Za-z0-9_][A-Za-z0-9._-]{0,127} allows `a..b`, but
    // never a tag that is a `..` path segment or holds a `/`.
    assert!(s != ".." && !s.starts_with('.') && !s.contains('/'), "tag {s:?}");
    assert!(!s.contains(':'), "tag {s:?} has :");
    Some(t)
}

fn check_digest(s: &str) -> Option<Digest> {
    let d = Digest::parse(s).ok()?;
    assert_eq!(d.as_str(), s);
    assert_eq!(Digest::parse(d.as_str()).ok().as_ref(), Some(&d));
    clean("digest", s);
    assert!(!s.contains(".."), "digest {s:?} has ..");
    assert_eq!(d.hex().len(), 64);
    Some(d)
}

fn check_reference(s: &str) -> Option<Reference> {
    let r = Reference::parse(s).ok()?;
    assert_eq!(r.as_str(), s);
    assert_eq!(Reference::parse(r.as_str()).ok().as_ref(), Some(&r));
    clean("reference", s);
    match &r {
        Reference::Tag(t) => assert_eq!(check_tag(s).as_ref(), Some(t)),
        Reference::Digest(d) => assert_eq!(check_digest(s).as_ref(), Some(d)),
    }
    Some(r)
}

fuzz_target!(|data: &[u8]| {
    let s = String::from_utf8_lossy(data);
    let s = s.as_ref();

    check_repo(s);
    check_tag(s);
    check_digest(s);
    check_reference(s);

    if let Some((a, b)) = s.split_once(' ') {
        if let (Some(repo), Some(reference)) = (check_repo(a), check_reference(b)) {
            let base = Url::parse("http://r:5000/").unwrap();
            let path = format!("/v2/{repo}/manifests/{reference}");
            let url = base.join(&path).expect("manifest URL joins");
            assert_eq!(url.origin(), base.origin(), "{url}");
            assert!(url.path().starts_with("/v2/"), "{url}");
            assert!(!url.path().split('/').any(|seg| seg == ".." || seg == "."), "{url}");
            assert_eq!(url.path(), path, "the URL rewrote the path");
            assert!(url.query().is_none() && url.fragment().is_none(), "{url}");
        }
    }

    let _ = parse_repo_route(s);
    let next = safe_next(s);
    assert!(next == s || next == "/");
    let mut cs = next.chars();
    assert_eq!(cs.next(), Some('/'), "safe_next({s:?}) = {next:?}");
    assert!(!matches!(cs.next(), Some('/' | '\\')), "safe_next({s:?}) = {next:?}");
    assert!(!next.chars().any(char::is_control), "safe_next({s:?}) = {next:?}");
});
