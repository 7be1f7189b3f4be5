//! Retention as it crosses to pages and leaves the command line: a plan
//! (the JSON shape `berth retention run --json` prints and the dry run
//! downloads), the runs that made or applied one, and the policies as the
//! admin page lists and edits them.

use std::collections::HashSet;

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Deletion {
    pub tag: String,
    pub digest: String,
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Kept {
    pub tag: String,
    pub digest: String,
    pub rule: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RepoPlan {
    pub repository: String,
    pub delete: Vec<Deletion>,
    pub keep: Vec<Kept>,
    /// The manifests to delete, each once.
    pub digests: Vec<String>,
    /// What `garbage-collect` would free afterwards, from the index; none
    /// when the index cannot say.
    pub frees_bytes: Option<u64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PolicyPlan {
    pub name: String,
    pub repositories: Vec<RepoPlan>,
    /// Rules that could not be applied, in words.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Plan {
    pub policies: Vec<PolicyPlan>,
    /// A hash of the registry state the plan was made from and of its
    /// deletions: apply refuses when a fresh plan's hash differs.
    pub plan_hash: String,
}

impl Plan {
    /// Every (policy, repository, digest) to delete, each digest once,
    /// under the first policy that deletes it.
    pub fn deletions(&self) -> Vec<(String, String, String)> {
        let mut seen = HashSet::new();
        let mut out = Vec::new();
        for p in &self.policies {
            for r in &p.repositories {
                for d in &r.digests {
                    if seen.insert((r.repository.clone(), d.clone())) {
                        out.push((p.name.clone(), r.repository.clone(), d.clone()));
                    }
                }
            }
        }
        out
    }

    pub fn tags_to_delete(&self) -> usize {
        self.policies
            .iter()
            .flat_map(|p| &p.repositories)
            .map(|r| r.delete.len())
            .sum()
    }

    /// Only one policy's part. The others still protected what they keep
    /// when the plan was made.
    pub fn only(mut self, name: &str) -> Plan {
        self.policies.retain(|p| p.name == name);
        self
    }
}

/// One manifest an apply deleted, or could not.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Done {
    pub policy: String,
    pub repository: String,
    pub digest: String,
    /// Empty when deleted; else why not.
    pub error: String,
}

/// What a run found and did: kept with the run, viewable later.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RunReport {
    /// The plan made (for an apply: the fresh plan it carried out, or the
    /// new plan it refused to carry out because it differs).
    pub plan: Option<Plan>,
    pub done: Vec<Done>,
    /// Not attempted because an earlier delete in their repository failed.
    pub skipped: Vec<Done>,
    /// Why the run stopped, if it did.
    pub error: String,
    /// For a refused apply: the hash of the plan that was reviewed.
    pub reviewed_hash: String,
}

/// One run, as the admin page lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RunRow {
    pub id: i64,
    /// The policy it ran, or empty for every policy.
    pub policy: String,
    /// `dry-run` or `apply`.
    pub kind: String,
    /// `manual` or `schedule`.
    pub cause: String,
    pub actor: String,
    pub started_ms: i64,
    pub finished_ms: Option<i64>,
    /// `running`, `done`, `failed`, `stale` (refused: the registry changed)
    /// or `interrupted` (its replica stopped mid-run).
    pub status: String,
    pub plan_hash: String,
    /// Manifests to delete, deleted, and failed (or skipped).
    pub total: i64,
    pub deleted: i64,
    pub failed: i64,
}

/// A run with its report, for `/admin/retention/runs/:id`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RunView {
    pub run: RunRow,
    pub report: RunReport,
    pub csrf: String,
    /// Whether this admin may apply (not `BERTH_READ_ONLY`).
    pub can_delete: bool,
    /// Why the plan may no longer be applied (a policy it ran was deleted
    /// or changed since); empty when it may.
    #[serde(default)]
    pub outdated: String,
}

/// The admin form's fields, as typed: a draft that failed its checks
/// comes back with them untouched.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PolicyForm {
    /// The name being edited; empty for a new policy.
    pub original: String,
    pub name: String,
    pub repositories: String,
    pub tags: String,
    /// `glob` or `regex`.
    pub tags_kind: String,
    pub tags_exclude: bool,
    pub keep_last: String,
    pub keep_versions: String,
    pub keep_days: String,
    pub keep_pulled_days: String,
    /// Globs, comma-separated.
    pub keep: String,
    pub schedule: String,
}

/// One policy as the admin page lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PolicyRow {
    pub name: String,
    /// `file` (read-only here) or `database`.
    pub source: String,
    pub repositories: String,
    /// The tag filter in words; empty for every tag.
    pub tags: String,
    /// The retaining rules, in words.
    pub rules: Vec<String>,
    pub schedule: String,
    /// When the schedule fires next (UTC ms), if it has one.
    pub next_run_ms: Option<i64>,
    pub updated: String,
}

/// `/admin/retention`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RetentionPage {
    pub policies: Vec<PolicyRow>,
    pub runs: Vec<RunRow>,
    pub form: PolicyForm,
    /// Why the last save failed, if it did.
    pub form_error: String,
    /// `BERTH_RETENTION_FILE`, if set, and why it cannot be read.
    pub file: String,
    pub file_error: String,
    /// `BERTH_PROTECTED_TAGS`.
    pub protected: Vec<String>,
    /// Whether the registry ever reported a pull (else pulled-within is off).
    pub pulls_seen: bool,
    /// `BERTH_READ_ONLY`: dry runs only, no apply, no schedule.
    pub read_only: bool,
    pub csrf: String,
}
