//! Retention policies: which repositories and tags one covers, and the
//! rules that retain tags. Read from `BERTH_RETENTION_FILE` (TOML) or the
//! database, checked once here, so the planner only ever sees valid ones.
//!
//! ```toml
//! [[policy]]
//! name = "ci-builds"
//! repositories = "team-a/**"   # glob over repository names
//! tags = "main-*"              # optional glob; `tags_regex = "..."` instead for a regex
//! keep_last = 10               # most recently pushed (when the registry got the tag)
//! keep_versions = 5            # highest versions, semver-aware
//! keep_days = 14               # pushed within
//! keep_pulled_days = 30        # pulled within (needs pull events)
//! keep = ["v*", "stable"]      # always keep tags matching these globs
//! ```

use globset::{Glob, GlobBuilder, GlobMatcher};
use regex::Regex;
use serde::{Deserialize, Serialize};

/// Where a policy comes from: the file is read-only in the UI.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Source {
    File,
    Database,
}

/// A policy as written: the file's `[[policy]]` table, and the admin form.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PolicySpec {
    pub name: String,
    pub repositories: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tags: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tags_regex: Option<String>,
    /// The tag filter names the tags a policy leaves alone instead.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub tags_exclude: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub keep_last: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub keep_versions: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub keep_days: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub keep_pulled_days: Option<u32>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub keep: Vec<String>,
    /// A cron expression; none means it runs only when asked.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub schedule: Option<String>,
}

/// The file: `[[policy]]` tables.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct PolicyFile {
    #[serde(default)]
    policy: Vec<PolicySpec>,
}

/// Why a policy cannot be used, in words for the operator.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PolicyError {
    #[error("the policy file is not valid TOML of [[policy]] tables: {0}")]
    File(String),
    #[error("a policy needs a name of 1 to 64 letters, digits, '-', '_' or '.'")]
    Name,
    #[error("two policies are called \"{0}\"")]
    Duplicate(String),
    #[error("policy \"{policy}\": {field} is not a valid glob: {why}")]
    Glob {
        policy: String,
        field: &'static str,
        why: String,
    },
    #[error("policy \"{policy}\": tags_regex is not a valid regular expression: {why}")]
    Regex { policy: String, why: String },
    #[error("policy \"{policy}\": schedule is not a cron expression: {why}")]
    Schedule { policy: String, why: String },
    #[error("policy \"{0}\": give either tags or tags_regex, not both")]
    TwoFilters(String),
    #[error("policy \"{policy}\": {field} must be between 1 and {max}")]
    Range {
        policy: String,
        field: &'static str,
        max: u32,
    },
}

/// The largest count or number of days a rule takes.
const MAX_COUNT: u32 = 100_000;
/// Regular expressions are compiled with this size limit: a policy comes
/// from an admin, but a pathological pattern should fail, not stall.
const REGEX_SIZE: usize = 1 << 20;

/// Which tags of a covered repository a policy looks at.
#[derive(Debug, Clone)]
pub enum TagFilter {
    All,
    Glob(GlobMatcher),
    Regex(Regex),
}

/// A checked policy, ready for the planner.
#[derive(Debug, Clone)]
pub struct Policy {
    pub spec: PolicySpec,
    pub source: Source,
    repositories: GlobMatcher,
    filter: TagFilter,
    keep: Vec<GlobMatcher>,
    schedule: Option<croner::Cron>,
}

/// A glob where `*` stays within one path segment and `**` crosses them,
/// as in `team-a/**` or `*/cache`.
pub fn glob(pattern: &str) -> Result<GlobMatcher, String> {
    GlobBuilder::new(pattern)
        .literal_separator(true)
        .build()
        .map(|g: Glob| g.compile_matcher())
        .map_err(|e| e.kind().to_string())
}

fn valid_name(name: &str) -> bool {
    (1..=64).contains(&name.len())
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
}

impl Policy {
    pub fn check(spec: PolicySpec, source: Source) -> Result<Policy, PolicyError> {
        if !valid_name(&spec.name) {
            return Err(PolicyError::Name);
        }
        let policy = spec.name.clone();
        let bad_glob = |field: &'static str| {
            let policy = policy.clone();
            move |why: String| PolicyError::Glob { policy, field, why }
        };
        let repositories = glob(&spec.repositories).map_err(bad_glob("repositories"))?;
        let filter = match (&spec.tags, &spec.tags_regex) {
            (Some(_), Some(_)) => return Err(PolicyError::TwoFilters(policy.clone())),
            (Some(g), None) => TagFilter::Glob(glob(g).map_err(bad_glob("tags"))?),
            (None, Some(r)) => TagFilter::Regex(
                regex::RegexBuilder::new(r)
                    .size_limit(REGEX_SIZE)
                    .build()
                    .map_err(|e| PolicyError::Regex {
                        policy: policy.clone(),
                        why: e.to_string(),
                    })?,
            ),
            (None, None) => TagFilter::All,
        };
        for (field, value) in [
            ("keep_last", spec.keep_last),
            ("keep_versions", spec.keep_versions),
            ("keep_days", spec.keep_days),
            ("keep_pulled_days", spec.keep_pulled_days),
        ] {
            if value.is_some_and(|v| v == 0 || v > MAX_COUNT) {
                return Err(PolicyError::Range {
                    policy: policy.clone(),
                    field,
                    max: MAX_COUNT,
                });
            }
        }
        let keep = spec
            .keep
            .iter()
            .map(|g| glob(g).map_err(bad_glob("keep")))
            .collect::<Result<Vec<_>, _>>()?;
        let schedule = spec
            .schedule
            .as_deref()
            .map(|c| {
                super::schedule::parse(c).map_err(|why| PolicyError::Schedule {
                    policy: policy.clone(),
                    why,
                })
            })
            .transpose()?;
        Ok(Policy {
            spec,
            source,
            repositories,
            filter,
            keep,
            schedule,
        })
    }

    pub fn name(&self) -> &str {
        &self.spec.name
    }

    /// When it runs by itself; none runs only when asked.
    pub fn schedule(&self) -> Option<&croner::Cron> {
        self.schedule.as_ref()
    }

    /// The policy as a TOML table, the file's shape (how the database
    /// keeps one written in the form).
    pub fn to_toml(&self) -> String {
        toml::to_string(&self.spec).unwrap_or_default()
    }

    pub fn covers_repository(&self, repository: &str) -> bool {
        self.repositories.is_match(repository)
    }

    /// Whether the tag filter lets the policy look at `tag`.
    pub fn covers_tag(&self, tag: &str) -> bool {
        let matched = match &self.filter {
            TagFilter::All => return true,
            TagFilter::Glob(g) => g.is_match(tag),
            TagFilter::Regex(r) => r.is_match(tag),
        };
        matched != self.spec.tags_exclude
    }

    /// The `keep` glob that always keeps `tag`, if any.
    pub fn always_kept(&self, tag: &str) -> Option<&str> {
        self.keep
            .iter()
            .zip(&self.spec.keep)
            .find(|(m, _)| m.is_match(tag))
            .map(|(_, g)| g.as_str())
    }
}

/// Reads one policy kept in the database (a TOML table).
pub fn parse_stored(text: &str) -> Result<Policy, PolicyError> {
    let spec: PolicySpec = toml::from_str(text).map_err(|e| PolicyError::File(e.to_string()))?;
    Policy::check(spec, Source::Database)
}

/// Reads a policy file's text: every policy checked, names unique.
pub fn parse_file(text: &str) -> Result<Vec<Policy>, PolicyError> {
    let file: PolicyFile = toml::from_str(text).map_err(|e| PolicyError::File(e.to_string()))?;
    let mut seen = std::collections::HashSet::new();
    file.policy
        .into_iter()
        .map(|spec| {
            if !seen.insert(spec.name.clone()) {
                return Err(PolicyError::Duplicate(spec.name));
            }
            Policy::check(spec, Source::File)
        })
        .collect()
}

/// Tags never deleted, whatever a policy says (`BERTH_PROTECTED_TAGS`,
/// comma-separated globs; `latest` by default).
#[derive(Debug, Clone)]
pub struct Protected {
    patterns: Vec<(String, GlobMatcher)>,
}

impl Protected {
    pub fn parse(list: &str) -> Result<Protected, String> {
        let patterns = list
            .split(',')
            .map(str::trim)
            .filter(|p| !p.is_empty())
            .map(|p| {
                glob(p)
                    .map(|m| (p.to_string(), m))
                    .map_err(|e| format!("BERTH_PROTECTED_TAGS: \"{p}\" is not a valid glob: {e}"))
            })
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Protected { patterns })
    }

    /// The patterns, as written.
    pub fn patterns(&self) -> impl Iterator<Item = &str> {
        self.patterns.iter().map(|(p, _)| p.as_str())
    }

    /// The pattern that protects `tag`, if any.
    pub fn protecting(&self, tag: &str) -> Option<&str> {
        self.patterns
            .iter()
            .find(|(_, m)| m.is_match(tag))
            .map(|(p, _)| p.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const EXAMPLE: &str = r#"
[[policy]]
name = "ci-builds"
repositories = "team-a/**"   # glob over repository names
tags = "main-*"              # optional glob
keep_last = 10
keep_versions = 5
keep_days = 14
keep_pulled_days = 30
keep = ["v*", "stable"]

[[policy]]
name = "caches"
repositories = "*/cache"
tags_regex = "^pr-[0-9]+$"
keep_days = 3
"#;

    #[test]
    fn the_documented_file_reads_and_globs_respect_segments() {
        let policies = parse_file(EXAMPLE).unwrap();
        assert_eq!(policies.len(), 2);
        let ci = &policies[0];
        assert_eq!(ci.spec.keep_last, Some(10));
        assert_eq!(ci.source, Source::File);
        assert!(ci.covers_repository("team-a/app"));
        assert!(ci.covers_repository("team-a/frontend/web"));
        assert!(!ci.covers_repository("team-b/app"));
        assert!(ci.covers_tag("main-abc123"));
        assert!(!ci.covers_tag("v1.0"));
        assert_eq!(ci.always_kept("v1.2.3"), Some("v*"));
        assert_eq!(ci.always_kept("stable"), Some("stable"));
        assert_eq!(ci.always_kept("main-1"), None);
        let caches = &policies[1];
        assert!(caches.covers_repository("team-a/cache"));
        assert!(!caches.covers_repository("team-a/x/cache"));
        assert!(caches.covers_tag("pr-12"));
        assert!(!caches.covers_tag("pr-12x"));
    }

    #[test]
    fn an_exclude_filter_covers_everything_else() {
        let p = Policy::check(
            PolicySpec {
                name: "all-but-releases".into(),
                repositories: "**".into(),
                tags: Some("v*".into()),
                tags_exclude: true,
                ..Default::default()
            },
            Source::Database,
        )
        .unwrap();
        assert!(!p.covers_tag("v1"));
        assert!(p.covers_tag("main-1"));
    }

    #[test]
    fn mistakes_are_named() {
        let spec = |f: fn(&mut PolicySpec)| {
            let mut s = PolicySpec {
                name: "p".into(),
                repositories: "**".into(),
                ..Default::default()
            };
            f(&mut s);
            Policy::check(s, Source::Database).unwrap_err()
        };
        assert_eq!(spec(|s| s.name = "a b".into()), PolicyError::Name);
        assert!(matches!(
            spec(|s| s.repositories = "a/[".into()),
            PolicyError::Glob {
                field: "repositories",
                ..
            }
        ));
        assert!(matches!(
            spec(|s| s.tags_regex = Some("(".into())),
            PolicyError::Regex { .. }
        ));
        assert_eq!(
            spec(|s| {
                s.tags = Some("a".into());
                s.tags_regex = Some("b".into());
            }),
            PolicyError::TwoFilters("p".into())
        );
        assert!(matches!(
            spec(|s| s.keep_last = Some(0)),
            PolicyError::Range {
                field: "keep_last",
                ..
            }
        ));
        assert!(matches!(
            parse_file("[[policy]]\nname = 1"),
            Err(PolicyError::File(_))
        ));
        assert!(matches!(
            parse_file("[[policy]]\nname = \"a\"\nrepositories = \"x\"\nkeep_lats = 3"),
            Err(PolicyError::File(_))
        ));
        assert_eq!(
            parse_file("[[policy]]\nname = \"a\"\nrepositories = \"x\"\n[[policy]]\nname = \"a\"\nrepositories = \"y\"")
                .unwrap_err(),
            PolicyError::Duplicate("a".into())
        );
    }

    #[test]
    fn protected_tags_are_globs() {
        let p = Protected::parse("latest, release-*").unwrap();
        assert_eq!(p.protecting("latest"), Some("latest"));
        assert_eq!(p.protecting("release-1"), Some("release-*"));
        assert_eq!(p.protecting("main"), None);
        assert!(Protected::parse("[").is_err());
        assert_eq!(Protected::parse("").unwrap().protecting("latest"), None);
    }
}
