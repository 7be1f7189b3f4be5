//! The registry's notification envelope (`notifications.endpoints` in its
//! config): `{"events":[…]}` sent as `…events.v1+json` by registry 2.x and
//! `…events.v2+json` by distribution 3. The body is untrusted like any
//! other answer: every name and digest goes through the typed parsers, and
//! an event that does not parse is dropped (and counted), not guessed at.

use serde::Deserialize;

use super::media_types::{kind_of, ManifestKind};
use super::{Digest, RepositoryName, Tag};

pub const ENVELOPE_V1: &str = "application/vnd.docker.distribution.events.v1+json";
pub const ENVELOPE_V2: &str = "application/vnd.docker.distribution.events.v2+json";

/// The events a single envelope may carry; the registry sends a handful.
pub const MAX_EVENTS: usize = 1_000;

/// True for the two envelope media types (parameters ignored).
pub fn is_envelope_type(content_type: &str) -> bool {
    matches!(
        super::media_types::base_type(content_type),
        ENVELOPE_V1 | ENVELOPE_V2
    )
}

#[derive(Deserialize)]
struct RawEnvelope {
    #[serde(default)]
    events: Vec<RawEvent>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct RawEvent {
    id: String,
    timestamp: String,
    action: String,
    target: RawTarget,
    request: RawRequest,
    actor: RawActor,
}

#[derive(Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
struct RawTarget {
    media_type: String,
    digest: String,
    size: u64,
    repository: String,
    tag: String,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct RawRequest {
    addr: String,
    useragent: String,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct RawActor {
    name: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EventAction {
    Push,
    Pull,
    Delete,
}

impl EventAction {
    pub fn as_str(self) -> &'static str {
        match self {
            EventAction::Push => "push",
            EventAction::Pull => "pull",
            EventAction::Delete => "delete",
        }
    }
}

/// One event about a manifest, checked. Blob events (layer pushes and
/// pulls, mounts) are not kept: a page shows images, not layers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ManifestEvent {
    /// The registry's own id, for dropping a redelivered event.
    pub id: String,
    pub action: EventAction,
    pub repository: RepositoryName,
    pub tag: Option<Tag>,
    pub digest: Option<Digest>,
    pub media_type: String,
    /// When it happened, in Unix milliseconds (the registry's clock; the
    /// caller's when the stamp does not parse).
    pub at_ms: Option<i64>,
    /// The registry user who did it, if the registry knew.
    pub actor: String,
    pub client_addr: String,
    pub user_agent: String,
}

/// What an envelope held: the events worth keeping, and how many were
/// dropped (malformed, blob events, or beyond `MAX_EVENTS`).
#[derive(Debug, Default)]
pub struct Envelope {
    pub events: Vec<ManifestEvent>,
    pub dropped: usize,
}

/// Parses an envelope body. Only a body that is not the envelope's JSON at
/// all is an error.
pub fn parse_envelope(body: &[u8]) -> Result<Envelope, String> {
    // An object, not serde's tuple reading of a struct from an array.
    if body.iter().find(|b| !b.is_ascii_whitespace()) != Some(&b'{') {
        return Err("not a notification envelope: not a JSON object".into());
    }
    let raw: RawEnvelope =
        serde_json::from_slice(body).map_err(|e| format!("not a notification envelope: {e}"))?;
    let total = raw.events.len();
    let events: Vec<ManifestEvent> = raw
        .events
        .into_iter()
        .take(MAX_EVENTS)
        .filter_map(check)
        .collect();
    Ok(Envelope {
        dropped: total - events.len(),
        events,
    })
}

fn check(e: RawEvent) -> Option<ManifestEvent> {
    let action = match e.action.as_str() {
        "push" => EventAction::Push,
        "pull" => EventAction::Pull,
        "delete" => EventAction::Delete,
        _ => return None,
    };
    let repository = RepositoryName::parse(&e.target.repository).ok()?;
    let tag = match e.target.tag.as_str() {
        "" => None,
        t => Some(Tag::parse(t).ok()?),
    };
    let digest = match e.target.digest.as_str() {
        "" => None,
        d => Some(Digest::parse(d).ok()?),
    };
    // A delete names only the repository and the digest (or the tag, on
    // registries that remove tags alone); pushes and pulls name a media
    // type, and only manifests matter.
    let is_manifest = !matches!(kind_of(&e.target.media_type), ManifestKind::Other)
        || (action == EventAction::Delete && e.target.media_type.is_empty());
    if !is_manifest || (digest.is_none() && tag.is_none()) {
        return None;
    }
    let at_ms = chrono::DateTime::parse_from_rfc3339(&e.timestamp)
        .ok()
        .map(|t| t.timestamp_millis());
    let bounded = |s: String| s.chars().take(256).collect::<String>();
    Some(ManifestEvent {
        id: bounded(e.id),
        action,
        repository,
        tag,
        digest,
        media_type: bounded(e.target.media_type),
        at_ms,
        actor: bounded(e.actor.name),
        client_addr: bounded(e.request.addr),
        user_agent: bounded(e.request.useragent),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const DIGEST: &str = "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    fn envelope(events: &str) -> Vec<u8> {
        format!("{{\"events\":[{events}]}}").into_bytes()
    }

    fn event(action: &str, media_type: &str, repo: &str, tag: &str) -> String {
        format!(
            r#"{{"id":"e1","timestamp":"2026-11-28T01:02:03.5Z","action":"{action}",
               "target":{{"mediaType":"{media_type}","digest":"{DIGEST}","size":528,"repository":"{repo}","tag":"{tag}","url":"http://r/v2/x"}},
               "request":{{"id":"r","addr":"10.0.0.9:5555","host":"r","method":"PUT","useragent":"docker/27"}},
               "actor":{{"name":"alice"}},"source":{{"addr":"r:5000","instanceID":"i"}}}}"#
        )
    }

    #[test]
    fn a_manifest_push_is_read_whole() {
        let body = envelope(&event(
            "push",
            super::super::media_types::OCI_MANIFEST,
            "team-a/app",
            "1.0",
        ));
        let env = parse_envelope(&body).unwrap();
        assert_eq!(env.dropped, 0);
        let e = &env.events[0];
        assert_eq!(e.action, EventAction::Push);
        assert_eq!(e.repository.as_str(), "team-a/app");
        assert_eq!(e.tag.as_ref().map(|t| t.as_str()), Some("1.0"));
        assert_eq!(
            e.digest.as_ref().map(|d| d.to_string()).as_deref(),
            Some(DIGEST)
        );
        assert_eq!(e.actor, "alice");
        assert_eq!(e.user_agent, "docker/27");
        assert_eq!(e.at_ms, Some(1_795_827_723_500));
    }

    #[test]
    fn blob_events_and_bad_names_are_dropped_not_guessed() {
        let body = envelope(
            &[
                event("push", "application/octet-stream", "team-a/app", ""),
                event(
                    "pull",
                    "application/vnd.docker.image.rootfs.diff.tar.gzip",
                    "team-a/app",
                    "",
                ),
                event(
                    "push",
                    super::super::media_types::OCI_MANIFEST,
                    "Team-A/../x",
                    "1.0",
                ),
                event(
                    "push",
                    super::super::media_types::OCI_MANIFEST,
                    "team-a/app",
                    "bad tag!",
                ),
                event(
                    "mount",
                    super::super::media_types::OCI_MANIFEST,
                    "team-a/app",
                    "1.0",
                ),
                event("delete", "", "team-a/app", ""),
            ]
            .join(","),
        );
        let env = parse_envelope(&body).unwrap();
        assert_eq!(env.dropped, 5);
        assert_eq!(env.events.len(), 1);
        assert_eq!(env.events[0].action, EventAction::Delete);
    }

    #[test]
    fn only_envelopes_parse() {
        assert!(parse_envelope(b"[]").is_err());
        assert!(parse_envelope(b"not json").is_err());
        assert_eq!(parse_envelope(b"{}").unwrap().events.len(), 0);
        assert!(is_envelope_type(
            "application/vnd.docker.distribution.events.v1+json"
        ));
        assert!(is_envelope_type(
            "application/vnd.docker.distribution.events.v2+json; charset=utf-8"
        ));
        assert!(!is_envelope_type("application/json"));
    }
}
