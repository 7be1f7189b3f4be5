//! The retention planner: a pure function from the policies and a fresh
//! picture of the registry's tags to the plan of what goes and why.
//!
//! registry:2 deletes manifests by digest, and a digest goes with every
//! tag on it. So the plan decides per tag, and then per digest: a digest
//! is deleted only when every tag on it would go. Kept wins everywhere:
//! - a tag that any policy retains, that no policy covers, or that is
//!   protected is kept, and so is every tag sharing its digest;
//! - a platform image of a kept index is kept;
//! - cosign-style signature, attestation and SBOM tags follow the image
//!   they are about: kept with it, deleted with it.

use std::collections::{BTreeMap, HashMap, HashSet};

use super::policy::{Policy, Protected};
use crate::registry::signatures;
use crate::sort::compare_versions;

const DAY: i64 = 86_400;

/// One tag as the registry holds it now (a fresh tag list and `HEAD`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TagState {
    pub tag: String,
    pub digest: String,
    /// When the registry got the tag at this digest, Unix milliseconds
    /// (pushes seconds apart, or in one second, keep their order), read
    /// from [`TagState::clock`].
    pub pushed_ms: Option<i64>,
    /// Which clock `pushed_ms` came from.
    pub clock: Clock,
    /// The image's own `created` (an index: its newest image's), Unix
    /// seconds: breaks ties between tags first seen together.
    pub created: Option<i64>,
    /// The last pull Berth was told of, Unix seconds.
    pub pulled: Option<i64>,
}

/// Where a tag's push time comes from. Never the image's build date: it
/// says little of when a tag arrived (reproducible builds are dated 1970,
/// rebuilds of old sources years back), so it only orders tags whose push
/// times are equal (first seen in one sync).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Clock {
    /// The registry's notification of the push.
    Notified,
    /// When Berth's index first saw the tag at this digest.
    FirstSeen,
}

impl Clock {
    /// How the plan names it.
    pub fn words(self) -> &'static str {
        match self {
            Clock::Notified => "by push time, from the registry's notification",
            Clock::FirstSeen => "by push time, as Berth first saw it",
        }
    }
}

/// One repository as the planner sees it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RepoState {
    pub repository: String,
    pub tags: Vec<TagState>,
    /// The platform manifests of each index among the tags' digests.
    pub children: HashMap<String, Vec<String>>,
}

/// What the planner needs besides the repositories.
#[derive(Debug, Clone)]
pub struct Context<'a> {
    pub policies: &'a [Policy],
    pub protected: &'a Protected,
    /// Unix seconds.
    pub now: i64,
    /// Whether any pull was ever reported; without, `keep_pulled_days`
    /// would delete everything it covers, so it is off and says so.
    pub pulls_seen: bool,
}

pub use crate::model::retention::{Deletion, Kept, Plan, PolicyPlan, RepoPlan};

/// How one policy judged one tag.
enum Verdict {
    Kept(String),
    Goes(String),
}

/// One policy's view of one repository: the ranks its count rules use.
struct Ranks<'a> {
    newest: HashMap<&'a str, usize>,
    versions: HashMap<&'a str, usize>,
    /// How many other tags share each tag's push time.
    tied: HashMap<&'a str, usize>,
}

fn ranks<'a>(tags: &[&'a TagState]) -> Ranks<'a> {
    let mut by_time: Vec<&TagState> = tags.to_vec();
    // Newest push first (an unknown time counts as oldest); tags first
    // seen together by their build date, then by version.
    by_time.sort_by(|a, b| {
        let key = |t: &TagState| {
            (
                t.pushed_ms.unwrap_or(i64::MIN),
                t.created.unwrap_or(i64::MIN),
            )
        };
        key(b)
            .cmp(&key(a))
            .then_with(|| compare_versions(&b.tag, &a.tag))
    });
    let mut by_version: Vec<&TagState> = tags.to_vec();
    by_version.sort_by(|a, b| compare_versions(&b.tag, &a.tag));
    let mut at: HashMap<Option<i64>, usize> = HashMap::new();
    for t in tags {
        *at.entry(t.pushed_ms).or_default() += 1;
    }
    Ranks {
        tied: tags
            .iter()
            .map(|t| (t.tag.as_str(), at[&t.pushed_ms] - 1))
            .collect(),
        newest: by_time
            .iter()
            .enumerate()
            .map(|(i, t)| (t.tag.as_str(), i + 1))
            .collect(),
        versions: by_version
            .iter()
            .enumerate()
            .map(|(i, t)| (t.tag.as_str(), i + 1))
            .collect(),
    }
}

fn judge(p: &Policy, t: &TagState, ranks: &Ranks, cx: &Context) -> Verdict {
    let s = &p.spec;
    if let Some(g) = p.always_kept(&t.tag) {
        return Verdict::Kept(format!("keep \"{g}\""));
    }
    let mut why = Vec::new();
    if let Some(n) = s.keep_last {
        let rank = ranks
            .newest
            .get(t.tag.as_str())
            .copied()
            .unwrap_or(usize::MAX);
        let clock = match ranks.tied.get(t.tag.as_str()).copied().unwrap_or(0) {
            0 => t.clock.words().to_string(),
            n => format!(
                "{}; pushed at the same time as {n} other tag(s), so by build date",
                t.clock.words()
            ),
        };
        if rank <= n as usize {
            return Verdict::Kept(format!("keep_last {n} (newest #{rank}, {clock})"));
        }
        why.push(format!("not among the {n} newest (#{rank}, {clock})"));
    }
    if let Some(n) = s.keep_versions {
        let rank = ranks
            .versions
            .get(t.tag.as_str())
            .copied()
            .unwrap_or(usize::MAX);
        if rank <= n as usize {
            return Verdict::Kept(format!("keep_versions {n} (version #{rank})"));
        }
        why.push(format!("not among the {n} highest versions (#{rank})"));
    }
    if let Some(d) = s.keep_days {
        match t.pushed_ms.map(|ms| ms / 1000) {
            Some(at) if cx.now - at <= i64::from(d) * DAY => {
                return Verdict::Kept(format!("keep_days {d}"));
            }
            Some(at) => why.push(format!(
                "pushed {} days ago, over {d} ({})",
                (cx.now - at).max(0) / DAY,
                t.clock.words().trim_start_matches("by push time, ")
            )),
            // Nothing is deleted for want of a date.
            None => return Verdict::Kept(format!("keep_days {d} (push time unknown)")),
        }
    }
    if let Some(d) = s.keep_pulled_days.filter(|_| cx.pulls_seen) {
        match t.pulled {
            Some(at) if cx.now - at <= i64::from(d) * DAY => {
                return Verdict::Kept(format!("keep_pulled_days {d}"));
            }
            Some(at) => why.push(format!(
                "last pulled {} days ago, over {d}",
                (cx.now - at).max(0) / DAY
            )),
            None => why.push(format!("not pulled within {d} days")),
        }
    }
    if !s.keep.is_empty() {
        why.push("matches no keep pattern".into());
    }
    if why.is_empty() {
        why.push("the policy has no rule that keeps it".into());
    }
    Verdict::Goes(why.join("; "))
}

/// The plan for `repos`. Repositories no policy covers are left out.
pub fn plan(repos: &[RepoState], cx: &Context) -> Plan {
    let mut per_policy: Vec<PolicyPlan> = cx
        .policies
        .iter()
        .map(|p| PolicyPlan {
            name: p.name().to_string(),
            repositories: Vec::new(),
            notes: if p.spec.keep_pulled_days.is_some() && !cx.pulls_seen {
                vec![
                    "keep_pulled_days is off: Berth has seen no pulls yet (they come from registry notifications)"
                        .to_string(),
                ]
            } else {
                Vec::new()
            },
        })
        .collect();
    for repo in repos {
        let covering: Vec<usize> = (0..cx.policies.len())
            .filter(|&i| cx.policies[i].covers_repository(&repo.repository))
            .collect();
        if covering.is_empty() {
            continue;
        }
        for (i, rp) in plan_repository(repo, &covering, cx) {
            per_policy[i].repositories.push(rp);
        }
    }
    let plan_hash = hash(repos, cx, &per_policy);
    Plan {
        policies: per_policy,
        plan_hash,
    }
}

/// One repository under the policies `covering` it (indexes into
/// `cx.policies`): each policy's part of the plan.
fn plan_repository(repo: &RepoState, covering: &[usize], cx: &Context) -> Vec<(usize, RepoPlan)> {
    let is_signature = |t: &TagState| signatures::parse_tag(&t.tag).is_some();
    let plain: Vec<&TagState> = repo.tags.iter().filter(|t| !is_signature(t)).collect();

    // Each policy's verdict on each tag it covers (protected tags aside).
    let mut verdicts: HashMap<&str, Vec<(usize, Verdict)>> = HashMap::new();
    let mut kept: HashMap<&str, String> = HashMap::new();
    for &i in covering {
        let p = &cx.policies[i];
        let looked: Vec<&TagState> = plain
            .iter()
            .copied()
            .filter(|t| p.covers_tag(&t.tag) && cx.protected.protecting(&t.tag).is_none())
            .collect();
        let ranks = ranks(&looked);
        for t in looked {
            verdicts
                .entry(t.tag.as_str())
                .or_default()
                .push((i, judge(p, t, &ranks, cx)));
        }
    }
    for t in &plain {
        if let Some(pattern) = cx.protected.protecting(&t.tag) {
            kept.insert(&t.tag, format!("protected (\"{pattern}\")"));
            continue;
        }
        match verdicts.get(t.tag.as_str()) {
            None => {
                kept.insert(&t.tag, "no policy covers it".into());
            }
            Some(vs) => {
                let kept_by = vs.iter().find_map(|(i, v)| match v {
                    Verdict::Kept(rule) => Some((*i, rule.clone())),
                    Verdict::Goes(_) => None,
                });
                if let Some((i, rule)) = kept_by {
                    let first = vs.first().map(|(j, _)| *j);
                    kept.insert(
                        &t.tag,
                        if first == Some(i) {
                            rule
                        } else {
                            format!("{rule}, by policy \"{}\"", cx.policies[i].name())
                        },
                    );
                }
            }
        }
    }

    // Kept wins: siblings of kept tags, and platform images of kept indexes,
    // until nothing changes (an index can name an index).
    loop {
        let kept_digests: HashMap<&str, &str> = plain
            .iter()
            .filter(|t| kept.contains_key(t.tag.as_str()))
            .map(|t| (t.digest.as_str(), t.tag.as_str()))
            .collect();
        let mut in_kept_index: HashMap<&str, &str> = HashMap::new();
        for (digest, tag) in &kept_digests {
            for child in repo.children.get(*digest).into_iter().flatten() {
                in_kept_index.insert(child.as_str(), *tag);
            }
        }
        let mut changed = false;
        for t in &plain {
            if kept.contains_key(t.tag.as_str()) {
                continue;
            }
            if let Some(other) = kept_digests.get(t.digest.as_str()) {
                kept.insert(
                    &t.tag,
                    format!("shares its digest with kept tag {other}: deleting it would delete that too"),
                );
                changed = true;
            } else if let Some(index) = in_kept_index.get(t.digest.as_str()) {
                kept.insert(&t.tag, format!("a platform image of kept index {index}"));
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
    let kept_digests: HashSet<&str> = plain
        .iter()
        .filter(|t| kept.contains_key(t.tag.as_str()))
        .map(|t| t.digest.as_str())
        .collect();

    // Signature tags follow their image: gone with it, else kept.
    let going: HashMap<&str, &str> = plain
        .iter()
        .filter(|t| !kept.contains_key(t.tag.as_str()))
        .map(|t| (t.digest.as_str(), t.tag.as_str()))
        .collect();
    let mut follows: HashMap<&str, &str> = HashMap::new();
    for t in repo.tags.iter().filter(|t| is_signature(t)) {
        let Some((subject, kind)) = signatures::parse_tag(&t.tag) else {
            continue;
        };
        if let Some(image) = going.get(subject.as_str()) {
            if cx.protected.protecting(&t.tag).is_none() {
                follows.insert(&t.tag, *image);
                continue;
            }
        }
        if kept_digests.contains(subject.as_str()) {
            kept.insert(&t.tag, format!("{} of a kept image", kind.label()));
        }
    }

    // Each tag belongs to the first policy covering it; a signature to its
    // image's.
    let owner = |tag: &str| -> Option<usize> {
        verdicts.get(tag).and_then(|vs| vs.first()).map(|(i, _)| *i)
    };
    let mut parts: BTreeMap<usize, RepoPlan> = covering
        .iter()
        .map(|&i| {
            (
                i,
                RepoPlan {
                    repository: repo.repository.clone(),
                    delete: Vec::new(),
                    keep: Vec::new(),
                    digests: Vec::new(),
                    frees_bytes: None,
                },
            )
        })
        .collect();
    let first_policy = covering[0];
    for t in &repo.tags {
        let (policy, entry) = if let Some(rule) = kept.get(t.tag.as_str()) {
            // Kept tags show under every policy that covers them; tags no
            // policy looks at are not listed.
            if verdicts.contains_key(t.tag.as_str()) || cx.protected.protecting(&t.tag).is_some() {
                for &i in covering {
                    if cx.policies[i].covers_tag(&t.tag) || is_signature(t) {
                        parts.get_mut(&i).expect("covering").keep.push(Kept {
                            tag: t.tag.clone(),
                            digest: t.digest.clone(),
                            rule: rule.clone(),
                        });
                    }
                }
            } else if is_signature(t) {
                let i = follows_owner(t, &verdicts, repo).unwrap_or(first_policy);
                parts.get_mut(&i).expect("covering").keep.push(Kept {
                    tag: t.tag.clone(),
                    digest: t.digest.clone(),
                    rule: rule.clone(),
                });
            }
            continue;
        } else if let Some(image) = follows.get(t.tag.as_str()) {
            let i = owner(image).unwrap_or(first_policy);
            (
                i,
                Deletion {
                    tag: t.tag.clone(),
                    digest: t.digest.clone(),
                    reason: format!("signs or describes {image}, which is deleted"),
                },
            )
        } else if let Some(vs) = verdicts.get(t.tag.as_str()) {
            let (i, reason) = vs
                .iter()
                .find_map(|(i, v)| match v {
                    Verdict::Goes(why) => Some((*i, why.clone())),
                    Verdict::Kept(_) => None,
                })
                .expect("not kept, so some policy lets it go");
            (
                i,
                Deletion {
                    tag: t.tag.clone(),
                    digest: t.digest.clone(),
                    reason,
                },
            )
        } else {
            continue;
        };
        parts.get_mut(&policy).expect("covering").delete.push(entry);
    }
    let mut out = Vec::new();
    for (i, mut rp) in parts {
        let mut digests: Vec<String> = rp.delete.iter().map(|d| d.digest.clone()).collect();
        digests.sort();
        digests.dedup();
        rp.digests = digests;
        rp.delete.sort_by(|a, b| a.tag.cmp(&b.tag));
        rp.keep.sort_by(|a, b| a.tag.cmp(&b.tag));
        if !rp.delete.is_empty() || !rp.keep.is_empty() {
            out.push((i, rp));
        }
    }
    out
}

/// The policy a kept signature tag is listed under: its image's.
fn follows_owner(
    t: &TagState,
    verdicts: &HashMap<&str, Vec<(usize, Verdict)>>,
    repo: &RepoState,
) -> Option<usize> {
    let (subject, _) = signatures::parse_tag(&t.tag)?;
    repo.tags
        .iter()
        .filter(|o| o.digest == subject.as_str())
        .find_map(|o| {
            verdicts
                .get(o.tag.as_str())
                .and_then(|vs| vs.first())
                .map(|(i, _)| *i)
        })
}

/// Covers every tag → digest of the planned repositories (a moved tag or a
/// new push changes it) and every deletion.
fn hash(repos: &[RepoState], cx: &Context, plans: &[PolicyPlan]) -> String {
    use sha2::{Digest, Sha256};
    let mut h = Sha256::new();
    let mut planned: Vec<&RepoState> = repos
        .iter()
        .filter(|r| {
            cx.policies
                .iter()
                .any(|p| p.covers_repository(&r.repository))
        })
        .collect();
    planned.sort_by(|a, b| a.repository.cmp(&b.repository));
    for r in planned {
        h.update(r.repository.as_bytes());
        h.update([0]);
        let mut tags: Vec<(&str, &str)> = r
            .tags
            .iter()
            .map(|t| (t.tag.as_str(), t.digest.as_str()))
            .collect();
        tags.sort();
        for (t, d) in tags {
            h.update(t.as_bytes());
            h.update([1]);
            h.update(d.as_bytes());
            h.update([2]);
        }
    }
    for p in plans {
        h.update(p.name.as_bytes());
        h.update([3]);
        for r in &p.repositories {
            for d in &r.delete {
                h.update(r.repository.as_bytes());
                h.update([4]);
                h.update(d.tag.as_bytes());
                h.update([5]);
            }
        }
    }
    hex::encode(h.finalize())
}

#[cfg(test)]
#[path = "plan_tests.rs"]
mod tests;
