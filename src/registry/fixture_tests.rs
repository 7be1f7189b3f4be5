//! The protocol core against answers of registries that cannot run here
//! (distribution 3, registry:2.8, zot, Harbor, GHCR, Docker Hub, GitLab,
//! quay.io). Every fixture under `fixtures/` names its source in its `#`
//! header lines; `fixtures/README.md` lists them and says which ones are
//! recorded verbatim and which are constructed from a registry's source code.
//!
//! `.http` fixtures: `#` comment lines, a status line, headers, a blank line,
//! then the body byte for byte (a trailing newline only where the server
//! writes one). `.txt` fixtures: `#` comment lines, then one recorded header
//! value per line.

use base64::Engine as _;
use url::Url;

use crate::registry::auth::{parse_challenges, Challenge};
use crate::registry::deletes::classify_tag_delete_probe as classify_probe;
use crate::registry::digest::sha256_of;
use crate::registry::digest::Digest;
use crate::registry::error::RegistryError;
use crate::registry::error_code::ErrorCode;
use crate::registry::manifest::{self, Parsed};
use crate::registry::manifests::{identify_manifest, FetchedManifest};
use crate::registry::media_types::{self, kind_of, ManifestKind};
use crate::registry::names::Reference;
use crate::registry::paging::next_link;
use crate::registry::referrers;
use crate::registry::scope::{split_challenge_scope, Scope};
use crate::registry::signatures::{parse_tag, SignatureKind};
use crate::registry::token::{TokenEndpoint, TokenResponse};

// ------------------------------------------------------------ fixture files

macro_rules! fixture {
    ($path:literal) => {
        include_str!(concat!("fixtures/", $path))
    };
}

/// One recorded HTTP answer.
struct Recorded {
    status: u16,
    headers: Vec<(String, String)>,
    body: &'static str,
}

impl Recorded {
    fn parse(raw: &'static str) -> Self {
        let rest = skip_comments(raw);
        let (head, body) = rest
            .split_once("\n\n")
            .expect("a blank line ends the headers");
        let mut lines = head.lines();
        let status = lines
            .next()
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|s| s.parse().ok())
            .expect("a status line");
        let headers = lines
            .map(|l| {
                let (k, v) = l.split_once(": ").expect("a `Name: value` header");
                (k.to_string(), v.to_string())
            })
            .collect();
        Recorded {
            status,
            headers,
            body,
        }
    }

    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    fn challenge(&self) -> Option<String> {
        self.header("www-authenticate").map(str::to_string)
    }

    fn body(&self) -> &'static [u8] {
        self.body.as_bytes()
    }

    /// `RegistryError::from_response` fed exactly what the client would feed it.
    fn error(&self) -> RegistryError {
        RegistryError::from_response(self.status, self.body(), self.challenge())
    }

    /// A DELETE answer as the client's `check` sees it: success or an error.
    fn delete_result(&self) -> Result<(), RegistryError> {
        if (200..300).contains(&self.status) {
            Ok(())
        } else {
            Err(self.error())
        }
    }
}

fn skip_comments(raw: &str) -> &str {
    let mut rest = raw;
    while rest.starts_with('#') {
        rest = rest.split_once('\n').map(|(_, r)| r).unwrap_or("");
    }
    rest
}

/// The recorded values of a `.txt` fixture.
fn values(raw: &'static str) -> Vec<&'static str> {
    raw.lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .collect()
}

/// The one challenge a header value holds.
fn only_challenge(header: &str) -> Challenge {
    let mut all = parse_challenges(header);
    assert_eq!(all.len(), 1, "one challenge in {header}");
    all.remove(0)
}

fn endpoint(c: &Challenge) -> TokenEndpoint {
    TokenEndpoint::from_challenge(c).expect("a usable bearer realm")
}

fn url(s: &str) -> Url {
    Url::parse(s).unwrap()
}

fn fetched_by_tag(r: &Recorded, reference: &str) -> FetchedManifest {
    identify_manifest(
        &Reference::parse(reference).expect("a reference"),
        r.header("docker-content-digest").map(str::to_string),
        r.header("content-type").map(str::to_string),
        r.body().to_vec(),
    )
    .expect("a manifest")
}

// ------------------------------------------------------ challenges, tokens

#[test]
fn dockerhub_pull_challenge_names_realm_service_and_scope() {
    let c = only_challenge(values(fixture!("dockerhub/challenge-pull.txt"))[0]);
    assert_eq!(c.scheme, "bearer");
    let e = endpoint(&c);
    assert_eq!(e.realm.as_str(), "https://auth.docker.io/token");
    assert_eq!(e.service.as_deref(), Some("registry.docker.io"));
    let scopes = split_challenge_scope(c.param("scope").unwrap());
    // The scope the registry asks for is the one Berth would ask for itself.
    assert_eq!(scopes, Scope::Pull("ahmet/wagl").to_params());
}

#[test]
fn dockerhub_v2_challenge_has_no_scope_and_body_detail_null() {
    let r = Recorded::parse(fixture!("dockerhub/v2-unauthorized.http"));
    assert_eq!(r.status, 401);
    let c = only_challenge(r.header("www-authenticate").unwrap());
    assert_eq!(c.param("scope"), None);
    assert_eq!(endpoint(&c).service.as_deref(), Some("registry.docker.io"));
    assert_eq!(
        r.error(),
        RegistryError::Unauthorized {
            challenge: r.challenge()
        }
    );
}

#[test]
fn dockerhub_insufficient_scope_carries_the_error_param() {
    let r = Recorded::parse(fixture!("dockerhub/insufficient-scope.http"));
    let c = only_challenge(r.header("www-authenticate").unwrap());
    assert_eq!(c.param("error"), Some("insufficient_scope"));
    assert_eq!(c.param("scope"), Some("repository:library/ubuntu:pull"));
    // from_response alone (the client's `check` turns insufficient_scope
    // into Denied before it gets here) keeps the challenge.
    match r.error() {
        RegistryError::Unauthorized { challenge: Some(h) } => {
            assert!(h.contains("error=\"insufficient_scope\""))
        }
        other => panic!("expected Unauthorized, got {other:?}"),
    }
}

#[test]
fn catalog_challenges_ask_for_the_scope_berth_requests() {
    let hub = only_challenge(values(fixture!("dockerhub/challenge-catalog.txt"))[0]);
    let gitlab = Recorded::parse(fixture!("gitlab/catalog-unauthorized.http"));
    let lab = only_challenge(gitlab.header("www-authenticate").unwrap());
    for c in [&hub, &lab] {
        assert_eq!(
            split_challenge_scope(c.param("scope").unwrap()),
            Scope::Catalog.to_params()
        );
    }
    assert_eq!(
        endpoint(&lab).realm.as_str(),
        "https://ourgitlab.com/jwt/auth"
    );
    assert_eq!(
        endpoint(&lab).service.as_deref(),
        Some("container_registry")
    );
}

#[test]
fn ghcr_challenge_and_token_server_refusal() {
    let c = only_challenge(values(fixture!("ghcr/challenge-v2.txt"))[0]);
    let e = endpoint(&c);
    assert_eq!(e.realm.as_str(), "https://ghcr.io/token");
    assert_eq!(e.service.as_deref(), Some("ghcr.io"));
    // GHCR's placeholder scope for /v2/ is not a repository anyone has.
    assert_eq!(
        split_challenge_scope(c.param("scope").unwrap()),
        ["repository:user/image:pull"]
    );
    let r = Recorded::parse(fixture!("ghcr/token-unauthorized.http"));
    assert_eq!(r.status, 401);
    assert!(
        TokenResponse::parse(r.body()).is_err(),
        "no token in an error"
    );
    assert!(matches!(
        r.error(),
        RegistryError::Unauthorized { challenge: Some(_) }
    ));
}

#[test]
fn gitlab_v2_challenge_points_at_jwt_auth() {
    let r = Recorded::parse(fixture!("gitlab/v2-unauthorized.http"));
    let e = endpoint(&only_challenge(r.header("www-authenticate").unwrap()));
    assert_eq!(e.realm.as_str(), "https://gitlab.com/jwt/auth");
    assert_eq!(e.service.as_deref(), Some("container_registry"));
    assert!(matches!(r.error(), RegistryError::Unauthorized { .. }));
}

#[test]
fn harbor_challenges_bearer_for_v2_basic_for_catalog() {
    let v2 = only_challenge(values(fixture!("harbor/challenge-v2.txt"))[0]);
    let e = endpoint(&v2);
    assert_eq!(e.realm.as_str(), "https://harbor.test/service/token");
    assert_eq!(e.service.as_deref(), Some("harbor-registry"));

    // The catalog is Basic-only: no token endpoint can be had from it.
    let cat = only_challenge(values(fixture!("harbor/challenge-catalog.txt"))[0]);
    assert_eq!(cat.scheme, "basic");
    assert_eq!(cat.param("realm"), Some("harbor"));
    assert!(TokenEndpoint::from_challenge(&cat).is_none());
    let r = Recorded::parse(fixture!("harbor/catalog-unauthorized.http"));
    assert_eq!(
        r.error(),
        RegistryError::Unauthorized {
            challenge: Some("Basic realm=\"harbor\"".into())
        }
    );
}

#[test]
fn harbor_mount_challenge_holds_two_space_separated_scopes() {
    let c = only_challenge(values(fixture!("harbor/challenge-mount.txt"))[0]);
    assert_eq!(
        split_challenge_scope(c.param("scope").unwrap()),
        [
            "repository:project_1/ubuntu:pull,push",
            "repository:project_2/ubuntu:pull"
        ]
    );
}

#[test]
fn zot_v2_hints_are_lower_case_and_unquoted() {
    let r = Recorded::parse(fixture!("zot/v2-anonymous-read.http"));
    assert_eq!(r.status, 200, "the hint comes on a successful /v2/");
    let basic = only_challenge(r.header("www-authenticate").unwrap());
    assert_eq!(basic.scheme, "basic");
    assert_eq!(basic.param("realm"), Some("zot"));
    assert!(TokenEndpoint::from_challenge(&basic).is_none());

    let bearer = only_challenge(values(fixture!("zot/v2-bearer-hint.txt"))[0]);
    let e = endpoint(&bearer);
    assert_eq!(e.realm.as_str(), "https://auth.myreg.io/auth/token");
    assert_eq!(e.service, None);
}

#[test]
fn zot_bearer_challenges_and_the_empty_scope_of_v2() {
    let tags = only_challenge(values(fixture!("zot/bearer-challenge-tags.txt"))[0]);
    assert_eq!(endpoint(&tags).service.as_deref(), Some("myauth"));
    assert_eq!(
        split_challenge_scope(tags.param("scope").unwrap()),
        Scope::Pull("alpine").to_params()
    );
    let v2 = only_challenge(values(fixture!("zot/bearer-challenge-v2.txt"))[0]);
    assert_eq!(v2.param("scope"), Some(""));
    assert!(split_challenge_scope(v2.param("scope").unwrap()).is_empty());
}

#[test]
fn zot_unauthorized_is_a_bare_error_object() {
    let r = Recorded::parse(fixture!("zot/v2-unauthorized.http"));
    assert!(r.body.starts_with("{\"code\":\"UNAUTHORIZED\""));
    assert_eq!(
        r.error(),
        RegistryError::Unauthorized {
            challenge: Some("Basic realm=\"zot\"".into())
        }
    );
}

#[test]
fn distribution_spec_challenge_keeps_comma_actions_in_one_scope() {
    let c = only_challenge(values(fixture!("distribution3/challenge-spec.txt"))[0]);
    assert_eq!(
        split_challenge_scope(c.param("scope").unwrap()),
        ["repository:samalba/my-app:pull,push"]
    );
    let r = Recorded::parse(fixture!("distribution3/insufficient-scope.http"));
    let c = only_challenge(r.header("www-authenticate").unwrap());
    assert_eq!(c.param("error"), Some("insufficient_scope"));
    assert_eq!(
        split_challenge_scope(c.param("scope").unwrap()),
        Scope::Delete("team-a/web").to_params()
    );
}

#[test]
fn distribution3_htpasswd_challenge_has_a_realm_with_a_space() {
    let r = Recorded::parse(fixture!("distribution3/v2-unauthorized-basic.http"));
    let c = only_challenge(r.header("www-authenticate").unwrap());
    assert_eq!(c.scheme, "basic");
    assert_eq!(c.param("realm"), Some("Registry Realm"));
    assert!(matches!(r.error(), RegistryError::Unauthorized { .. }));
}

#[test]
fn dockerhub_token_sends_both_fields_and_300_seconds() {
    let r = Recorded::parse(fixture!("dockerhub/token.http"));
    let (token, ttl) = TokenResponse::parse(r.body()).unwrap();
    assert_eq!(token, "eyJ...4epQ");
    assert_eq!(ttl.as_secs(), 300);
}

#[test]
fn ghcr_token_has_no_lifetime_so_the_default_60s_applies() {
    let r = Recorded::parse(fixture!("ghcr/token.http"));
    let (token, ttl) = TokenResponse::parse(r.body()).unwrap();
    assert_eq!(
        token,
        "djE6cmljaGxhbmRlci9kb3RuZXQtZG9ja2VyL2FzcG5ldGFwcDoxNjY1ODgwMTIwMzUyOTY3Mjg0"
    );
    assert_eq!(ttl.as_secs(), 60);
}

#[test]
fn harbor_token_skips_the_empty_access_token_and_lives_30_minutes() {
    let r = Recorded::parse(fixture!("harbor/token.http"));
    assert!(r.body.contains("\"access_token\":\"\""));
    let (token, ttl) = TokenResponse::parse(r.body()).unwrap();
    assert_eq!(token, "eyJhbGciOiJSUzI1NiIsImtpZCI6Ij...");
    assert_eq!(ttl.as_secs(), 1800);
}

#[test]
fn gitlab_token_and_its_refusal() {
    let ok = Recorded::parse(fixture!("gitlab/token.http"));
    let (token, ttl) = TokenResponse::parse(ok.body()).unwrap();
    assert_eq!(token, "eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9...");
    assert_eq!(ttl.as_secs(), 60);
    let denied = Recorded::parse(fixture!("gitlab/token-denied.http"));
    assert!(matches!(
        TokenResponse::parse(denied.body()),
        Err(RegistryError::Protocol(_))
    ));
    assert_eq!(
        denied.error(),
        RegistryError::Unauthorized { challenge: None }
    );
}

#[test]
fn token_spec_and_oauth2_examples() {
    let spec = Recorded::parse(fixture!("spec/token-example.http"));
    let (token, ttl) = TokenResponse::parse(spec.body()).unwrap();
    assert!(token.starts_with("eyJ0eXAiOiJKV1QiLCJhbGciOiJFUzI1NiIs"));
    assert_eq!(token.matches('.').count(), 2, "a JWT");
    assert_eq!(ttl.as_secs(), 3600);

    let oauth = Recorded::parse(fixture!("spec/token-oauth2.http"));
    let (token, ttl) = TokenResponse::parse(oauth.body()).unwrap();
    assert_eq!(token, "eyJhbGciOiJFUzI1NiIsInR5");
    assert_eq!(ttl.as_secs(), 900);
}

// ------------------------------------------------------------------ paging

#[test]
fn distribution3_next_tags_page_resolves_against_the_request() {
    let r = Recorded::parse(fixture!("distribution3/tags-page1.http"));
    let here = url("http://registry.local:5000/v2/team-a/web/tags/list?n=2");
    let next = next_link(r.header("link").unwrap(), &here).unwrap();
    assert_eq!(
        next.as_str(),
        "http://registry.local:5000/v2/team-a/web/tags/list?last=v1.1&n=2"
    );
}

#[test]
fn distribution3_next_catalog_page_keeps_the_escaped_repository() {
    let r = Recorded::parse(fixture!("distribution3/catalog-page1.http"));
    let here = url("https://registry.example.com/v2/_catalog?n=2");
    let next = next_link(r.header("link").unwrap(), &here).unwrap();
    assert_eq!(
        next.as_str(),
        "https://registry.example.com/v2/_catalog?last=team-a%2Fweb&n=2"
    );
    let last: Vec<_> = next.query_pairs().filter(|(k, _)| k == "last").collect();
    assert_eq!(last[0].1, "team-a/web");
}

#[test]
fn zot_next_pages_put_n_first_and_leave_the_slash_raw() {
    let tags = Recorded::parse(fixture!("zot/tags-page1.http"));
    let here = url("https://zot.example.com/v2/alpine/tags/list?n=2");
    assert_eq!(
        next_link(tags.header("link").unwrap(), &here)
            .unwrap()
            .as_str(),
        "https://zot.example.com/v2/alpine/tags/list?n=2&last=3.19"
    );
    let cat = Recorded::parse(fixture!("zot/catalog-page1.http"));
    let here = url("https://zot.example.com/v2/_catalog?n=2");
    let next = next_link(cat.header("link").unwrap(), &here).unwrap();
    assert_eq!(
        next.as_str(),
        "https://zot.example.com/v2/_catalog?n=2&last=team-a/web"
    );
    assert!(next
        .query_pairs()
        .any(|(k, v)| k == "last" && v == "team-a/web"));
}

#[test]
fn harbor_next_tags_page() {
    let r = Recorded::parse(fixture!("harbor/tags-page1.http"));
    let here = url("https://harbor.test/v2/library/hello-world/tags/list?n=2");
    assert_eq!(
        next_link(r.header("link").unwrap(), &here)
            .unwrap()
            .as_str(),
        "https://harbor.test/v2/library/hello-world/tags/list?last=v2&n=2"
    );
}

#[test]
fn quay_absolute_link_is_kept_and_relative_ones_resolve() {
    let old = values(fixture!("quay/link-next-2016.txt"))[0];
    let here = url("https://quay.io/v2/coreos/etcd/tags/list");
    let next = next_link(old, &here).unwrap();
    assert_eq!(
        next.as_str(),
        "https://quay.io/v2/coreos/etcd/tags/list?next_page=gAAAAABYF4XlRL00UY6caJ4wGdywTryh8c_MpJfbRTEhQ6e-X4D9MnzHxe0V6UbhxqtGJBqjOvo8_LSmCqOccyvjPs8T4rR0Sw%3D%3D&n=50"
    );
    let new = values(fixture!("quay/link-next-2024.txt"));
    let here = url("https://quay.io/v2/keycloak/keycloak/tags/list");
    assert_eq!(
        next_link(new[0], &here).unwrap().as_str(),
        "https://quay.io/v2/keycloak/keycloak/tags/list?n=100&last=23.0.4-0"
    );
    let here = url("https://registry.access.redhat.com:443/v2/ubi8/ubi-minimal/tags/list");
    assert_eq!(
        next_link(new[1], &here).unwrap().as_str(),
        "https://registry.access.redhat.com/v2/ubi8/ubi-minimal/tags/list?n=100&last=8.7-1031-source"
    );
}

// ------------------------------------------------------------------ errors

/// Where a source recorded the Content-Length, the stored body has that size:
/// the fixtures are byte-exact, trailing newline included.
#[test]
fn recorded_content_lengths_match_the_stored_bodies() {
    for raw in [
        fixture!("dockerhub/v2-unauthorized.http"),
        fixture!("dockerhub/insufficient-scope.http"),
        fixture!("ghcr/token-unauthorized.http"),
        fixture!("gitlab/catalog-unauthorized.http"),
        fixture!("registry2/delete-tag.http"),
        fixture!("distribution3/delete-tag.http"),
    ] {
        let r = Recorded::parse(raw);
        let len: usize = r.header("content-length").unwrap().parse().unwrap();
        assert_eq!(r.body().len(), len, "{}", r.body);
    }
}

#[test]
fn dockerhub_rate_limit_is_a_429_status_with_its_code() {
    let r = Recorded::parse(fixture!("dockerhub/toomanyrequests.http"));
    match r.error() {
        RegistryError::Status {
            status: 429,
            code,
            message,
        } => {
            assert_eq!(code, ErrorCode::TooManyRequests);
            assert!(message.starts_with("You have reached your unauthenticated pull rate limit."));
        }
        other => panic!("expected Status 429, got {other:?}"),
    }
}

/// `RegistryClient::catalog` retries without `n` on exactly this error.
#[test]
fn distribution3_pagination_number_invalid_is_a_status_with_its_code() {
    let r = Recorded::parse(fixture!("distribution3/pagination-invalid.http"));
    assert_eq!(
        r.error(),
        RegistryError::Status {
            status: 400,
            code: ErrorCode::PaginationNumberInvalid,
            message: "invalid number of results requested".into(),
        }
    );
}

#[test]
fn harbor_not_found_code_and_unauthorized_message() {
    let r = Recorded::parse(fixture!("harbor/manifest-unknown.http"));
    assert_eq!(r.error(), RegistryError::NotFound("NOT_FOUND".into()));
    let r = Recorded::parse(fixture!("harbor/unauthorized.http"));
    let c = only_challenge(r.header("www-authenticate").unwrap());
    assert_eq!(
        split_challenge_scope(c.param("scope").unwrap()),
        Scope::Pull("library/hello-world").to_params()
    );
    assert!(matches!(r.error(), RegistryError::Unauthorized { .. }));
}

#[test]
fn zot_denied_is_denied_even_with_a_basic_challenge() {
    let r = Recorded::parse(fixture!("zot/denied.http"));
    assert_eq!(r.status, 403);
    assert!(r.header("www-authenticate").is_some());
    assert_eq!(r.error(), RegistryError::Denied("DENIED".into()));
}

/// zot answers 405 + DENIED when a manifest is still part of an index; the
/// 405 rule of `from_response` wins, so this reads as "unsupported" (see the
/// report: it is a refusal for this manifest, not a missing feature).
#[test]
fn zot_delete_of_a_referenced_manifest_is_denied_not_unsupported() {
    let r = Recorded::parse(fixture!("zot/delete-referenced.http"));
    assert_eq!(r.error(), RegistryError::Denied("DENIED".into()));
}

// ---------------------------------------------------- tag-delete probe

#[test]
fn tag_delete_probe_on_distribution3() {
    let removed = Recorded::parse(fixture!("distribution3/delete-tag.http"));
    assert_eq!(removed.status, 202);
    assert_eq!(classify_probe(&removed.delete_result()), Some(true));

    let unknown = Recorded::parse(fixture!("distribution3/delete-tag-unknown.http"));
    assert_eq!(
        unknown.delete_result(),
        Err(RegistryError::NotFound("MANIFEST_UNKNOWN".into()))
    );
    assert_eq!(classify_probe(&unknown.delete_result()), Some(true));

    let disabled = Recorded::parse(fixture!("distribution3/delete-disabled.http"));
    assert_eq!(
        disabled.delete_result(),
        Err(RegistryError::Unsupported("UNSUPPORTED".into()))
    );
    assert_eq!(classify_probe(&disabled.delete_result()), Some(false));
}

/// registry:2.8 answers a tag DELETE with 400 DIGEST_INVALID. `from_response`
/// alone gives a plain `Status`, which the probe cannot classify;
/// `RegistryClient::delete_tag` is what turns `Status { status: 400, .. }`
/// into `Unsupported(code)` before the probe sees it (client.rs, delete_tag).
#[test]
fn tag_delete_probe_on_registry_2_8() {
    let r = Recorded::parse(fixture!("registry2/delete-tag.http"));
    let err = r.error();
    assert_eq!(
        err,
        RegistryError::Status {
            status: 400,
            code: ErrorCode::DigestInvalid,
            message: "provided digest did not match uploaded content".into(),
        }
    );
    assert_eq!(classify_probe(&Err(err)), None);

    let disabled = Recorded::parse(fixture!("registry2/delete-disabled.http"));
    assert_eq!(classify_probe(&disabled.delete_result()), Some(false));
}

#[test]
fn tag_delete_probe_on_harbor_and_zot() {
    // Harbor: 400 with code UNSUPPORTED, recognised by its code.
    let harbor = Recorded::parse(fixture!("harbor/delete-tag.http"));
    assert_eq!(
        harbor.delete_result(),
        Err(RegistryError::Unsupported("UNSUPPORTED".into()))
    );
    assert_eq!(classify_probe(&harbor.delete_result()), Some(false));

    // zot: an unknown tag is a 404, so the route exists.
    let zot = Recorded::parse(fixture!("zot/delete-tag-unknown.http"));
    assert_eq!(
        zot.delete_result(),
        Err(RegistryError::NotFound("MANIFEST_UNKNOWN".into()))
    );
    assert_eq!(classify_probe(&zot.delete_result()), Some(true));

    // zot: an unknown repository is a 400, but NAME_UNKNOWN still reads as
    // not found, never as "tag delete unsupported".
    let gone = Recorded::parse(fixture!("zot/delete-repo-unknown.http"));
    assert_eq!(gone.status, 400);
    assert_eq!(
        gone.delete_result(),
        Err(RegistryError::NotFound("NAME_UNKNOWN".into()))
    );
    assert_eq!(classify_probe(&gone.delete_result()), Some(true));
}

// --------------------------------------------------------------- referrers

#[test]
fn oci_spec_referrers_answer_lists_artifact_types() {
    let r = Recorded::parse(fixture!("spec/oci-referrers.http"));
    assert_eq!(
        kind_of(r.header("content-type").unwrap()),
        ManifestKind::Index
    );
    assert!(referrers::looks_like_index(r.body()));
    let list = referrers::parse(r.body());
    let types: Vec<_> = list.iter().map(|x| x.artifact_type.as_deref()).collect();
    assert_eq!(
        types,
        [
            Some("application/vnd.example.sbom.v1"),
            Some("application/vnd.example.signature.v1"),
            None
        ]
    );
    assert_eq!(list[2].media_type, media_types::OCI_INDEX);
    assert_eq!(list[0].size, 1234);
    assert_eq!(
        list[1]
            .annotations
            .get("org.example.signature.fingerprint")
            .map(String::as_str),
        Some("abcd")
    );
}

#[test]
fn zot_referrers_and_its_empty_index() {
    let r = Recorded::parse(fixture!("zot/referrers.http"));
    let list = referrers::parse(r.body());
    assert_eq!(list.len(), 2);
    assert_eq!(
        list[0].artifact_type.as_deref(),
        Some("application/vnd.cncf.notary.signature")
    );
    assert_eq!(
        list[1].artifact_type.as_deref(),
        Some("application/spdx+json")
    );
    assert_eq!(
        list[1].digest,
        format!("sha256:{}", "b2".repeat(32)).as_str()
    );

    let empty = Recorded::parse(fixture!("zot/referrers-empty.http"));
    assert!(referrers::looks_like_index(empty.body()));
    assert!(referrers::parse(empty.body()).is_empty());
}

#[test]
fn distribution3_has_no_referrers_api_and_its_404_is_not_an_index() {
    let r = Recorded::parse(fixture!("distribution3/referrers-404.http"));
    assert_eq!(r.status, 404);
    assert!(!referrers::looks_like_index(r.body()));
    assert!(referrers::parse(r.body()).is_empty());
    assert_eq!(
        r.error(),
        RegistryError::NotFound("404 page not found".into())
    );
}

#[test]
fn referrers_fallback_tag_matches_the_spec_table_for_sha256() {
    let subject = Digest::parse(&format!("sha256:{}", "a".repeat(64))).unwrap();
    let tag = referrers::fallback_tag(&subject).unwrap();
    assert_eq!(tag, values(fixture!("spec/cosign-tags.txt"))[3]);
    assert_eq!(
        parse_tag(tag.as_str()),
        Some((subject, SignatureKind::Referrers))
    );
}

/// The spec's fallback tags for other algorithms (truncated, with odd
/// characters replaced) never arise: Berth's digests are sha256 only, so
/// such a subject is refused before any fallback tag is built.
#[test]
fn referrers_fallback_tag_is_for_sha256_subjects_only() {
    let sha512 = format!("sha512:{}", "a".repeat(128));
    assert!(Digest::parse(&sha512).is_err());
    let odd = "test+algorithm+using+algorithm+separators:alsoSome=InTheEncodedSection";
    assert!(Digest::parse(odd).is_err());
}

#[test]
fn cosign_tags_from_the_sigstore_docs() {
    let tags = values(fixture!("spec/cosign-tags.txt"));
    assert_eq!(
        parse_tag(tags[0]),
        Some((
            Digest::parse(
                "sha256:87ef60f558bad79beea6425a3b28989f01dd417164150ab3baab98dcbf04def8"
            )
            .unwrap(),
            SignatureKind::Signature
        ))
    );
    assert_eq!(
        parse_tag(tags[1]),
        Some((
            Digest::parse(
                "sha256:3ab2f3293a30dde12fc49f10b308dee56f9e25f3c587bc011614339f8fbfe24e"
            )
            .unwrap(),
            SignatureKind::Attestation
        ))
    );
    // The `.cosign` suffix of early cosign is not recognised: such a tag is
    // shown as an ordinary tag.
    assert_eq!(parse_tag(tags[2]), None);
}

// --------------------------------------------------------------- manifests

#[test]
fn ghcr_docker_v2_manifest_is_an_image_typed_from_its_body() {
    let r = Recorded::parse(fixture!("ghcr/manifest-aspnetapp.http"));
    let m = fetched_by_tag(&r, "main");
    assert_eq!(m.media_type, media_types::DOCKER_MANIFEST_V2);
    assert_eq!(m.digest, sha256_of(r.body()).as_str());
    match manifest::parse(&m).unwrap() {
        Parsed::Image(img) => {
            assert_eq!(img.layers().len(), 7);
            assert_eq!(manifest::artifact_type(&img), None);
            assert!(!manifest::is_helm_chart(&img));
            assert!(manifest::predicate_types(&img).is_empty());
        }
        _ => panic!("expected an image"),
    }
}

#[test]
fn dockerhub_manifest_list_platforms() {
    let r = Recorded::parse(fixture!("dockerhub/manifest-list-debian.http"));
    let m = fetched_by_tag(&r, "latest");
    assert_eq!(m.media_type, media_types::DOCKER_MANIFEST_LIST);
    match manifest::parse(&m).unwrap() {
        Parsed::Index(ix) => {
            let platforms: Vec<_> = ix
                .manifests()
                .iter()
                .map(|d| manifest::platform_string(d.platform().as_ref().unwrap()))
                .collect();
            assert_eq!(platforms, ["linux/amd64", "linux/arm/v5", "linux/arm64/v8"]);
            assert!(ix
                .manifests()
                .iter()
                .all(|d| manifest::attestation_subject(d).is_none()));
        }
        _ => panic!("expected an index"),
    }
}

#[test]
fn dockerhub_head_still_answers_schema1_for_some_repositories() {
    let r = Recorded::parse(fixture!("dockerhub/head-schema1.http"));
    assert_eq!(
        kind_of(r.header("content-type").unwrap()),
        ManifestKind::Legacy
    );
    assert!(crate::registry::digest::is_valid(
        r.header("docker-content-digest").unwrap()
    ));
    assert_eq!(
        r.header("etag").map(|e| e.trim_matches('"')),
        r.header("docker-content-digest")
    );
}

const SCHEMA1: &[u8] = include_bytes!("fixtures/registry2/manifest-schema1.json");
/// The digest of SCHEMA1 as containers/image records it
/// (manifest/fixtures_info_test.go, TestDockerV2S1ManifestDigest): the hash
/// of the JWS payload without the signatures, which is what registry:2
/// stores and announces in Docker-Content-Digest.
const SCHEMA1_DIGEST: &str =
    "sha256:7364fea9d84ee548ab67d4c46c6006289800c98de3fbf8c0a97138dfcc23f000";

/// The payload a schema 1 signature covers: the body up to `formatLength`,
/// then `formatTail`, both from the protected header (libtrust).
fn jws_payload(body: &[u8]) -> Vec<u8> {
    let b64 = base64::engine::general_purpose::URL_SAFE_NO_PAD;
    let v: serde_json::Value = serde_json::from_slice(body).unwrap();
    let protected = v["signatures"][0]["protected"].as_str().unwrap();
    let header: serde_json::Value =
        serde_json::from_slice(&b64.decode(protected).unwrap()).unwrap();
    let len = header["formatLength"].as_u64().unwrap() as usize;
    let tail = b64.decode(header["formatTail"].as_str().unwrap()).unwrap();
    [&body[..len], &tail[..]].concat()
}

#[test]
fn schema1_digest_covers_the_payload_not_the_signed_body() {
    assert_eq!(sha256_of(&jws_payload(SCHEMA1)), SCHEMA1_DIGEST);
    assert_ne!(sha256_of(SCHEMA1), SCHEMA1_DIGEST);
}

#[test]
fn schema1_fetched_by_tag_is_legacy_with_the_registry_digest() {
    let m = identify_manifest(
        &Reference::parse("latest").unwrap(),
        Some(SCHEMA1_DIGEST.into()),
        Some(media_types::DOCKER_MANIFEST_V1_SIGNED.into()),
        SCHEMA1.to_vec(),
    )
    .unwrap();
    assert_eq!(m.digest, SCHEMA1_DIGEST);
    assert_eq!(kind_of(&m.media_type), ManifestKind::Legacy);
    match manifest::parse(&m).unwrap() {
        Parsed::Legacy(l) => {
            assert_eq!(l.name, "mitr/busybox");
            assert_eq!(l.tag, "latest");
            assert_eq!(l.architecture, "amd64");
            assert_eq!(l.fs_layers.len(), 3);
            assert_eq!(l.signatures.as_ref().map(Vec::len), Some(1));
        }
        _ => panic!("expected a legacy manifest"),
    }
}

#[test]
fn schema1_with_a_generic_content_type_is_sniffed_as_signed() {
    let m = identify_manifest(
        &Reference::parse("latest").unwrap(),
        None,
        Some("application/json".into()),
        SCHEMA1.to_vec(),
    )
    .unwrap();
    assert_eq!(m.media_type, media_types::DOCKER_MANIFEST_V1_SIGNED);
    // Without a header the digest is the body's hash, not the registry's.
    assert_eq!(m.digest, sha256_of(SCHEMA1).as_str());
}

/// registry:2 serves a schema 1 manifest fetched by its digest with that
/// digest, which hashes the JWS payload, not the signed body.
#[test]
fn schema1_fetched_by_its_registry_digest_is_accepted() {
    let got = identify_manifest(
        &Reference::parse(SCHEMA1_DIGEST).unwrap(),
        Some(SCHEMA1_DIGEST.into()),
        Some(media_types::DOCKER_MANIFEST_V1_SIGNED.into()),
        SCHEMA1.to_vec(),
    );
    assert!(got.is_ok(), "{got:?}");
}

#[test]
fn buildkit_attestation_index_and_manifest() {
    let r = Recorded::parse(fixture!("spec/buildkit-attestation-index.http"));
    let m = fetched_by_tag(&r, "latest");
    assert_eq!(m.media_type, media_types::OCI_INDEX);
    let image = "sha256:23678f31b3b3586c4fb318aecfe64a96a1f0916ba8faf9b2be2abee63fa9e827";
    match manifest::parse(&m).unwrap() {
        Parsed::Index(ix) => {
            let d = ix.manifests();
            assert_eq!(
                manifest::platform_string(d[0].platform().as_ref().unwrap()),
                "linux/amd64"
            );
            assert_eq!(
                manifest::platform_string(d[1].platform().as_ref().unwrap()),
                "unknown/unknown"
            );
            assert_eq!(manifest::attestation_subject(&d[0]), None);
            assert_eq!(manifest::attestation_subject(&d[1]).as_deref(), Some(image));
            assert_eq!(d[0].digest().to_string(), image);
        }
        _ => panic!("expected an index"),
    }

    let r = Recorded::parse(fixture!("spec/buildkit-attestation-manifest.http"));
    match manifest::parse(&fetched_by_tag(&r, "att")).unwrap() {
        Parsed::Image(att) => {
            assert_eq!(
                manifest::predicate_types(&att),
                ["https://spdx.dev/Document"]
            );
            // Its config is an OCI image config, so on its own it does not
            // read as an artifact: only the index annotations tell.
            assert_eq!(manifest::artifact_type(&att), None);
        }
        _ => panic!("expected a manifest"),
    }
}
