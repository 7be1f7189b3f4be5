//! The planner's cases, one rule at a time, and the property that matters
//! most: no digest a kept tag points to is ever in a plan.

use super::*;
use crate::retention::policy::{Policy, PolicySpec, Protected, Source};

const NOW: i64 = 1_800_000_000;

fn digest(n: u32) -> String {
    format!("sha256:{n:064x}")
}

fn tag(name: &str, d: u32, days_ago: i64) -> TagState {
    TagState {
        tag: name.into(),
        digest: digest(d),
        pushed_ms: Some((NOW - days_ago * DAY) * 1000),
        clock: Clock::Notified,
        created: None,
        pulled: None,
    }
}

fn policy(f: impl FnOnce(&mut PolicySpec)) -> Policy {
    let mut s = PolicySpec {
        name: "p".into(),
        repositories: "**".into(),
        ..Default::default()
    };
    f(&mut s);
    Policy::check(s, Source::Database).unwrap()
}

fn run(policies: &[Policy], repos: &[RepoState]) -> Plan {
    let protected = Protected::parse("latest").unwrap();
    plan(
        repos,
        &Context {
            policies,
            protected: &protected,
            now: NOW,
            pulls_seen: true,
        },
    )
}

fn repo(tags: Vec<TagState>) -> RepoState {
    RepoState {
        repository: "team/app".into(),
        tags,
        children: HashMap::new(),
    }
}

fn deleted(plan: &Plan) -> Vec<String> {
    let mut out: Vec<String> = plan
        .policies
        .iter()
        .flat_map(|p| &p.repositories)
        .flat_map(|r| r.delete.iter().map(|d| d.tag.clone()))
        .collect();
    out.sort();
    out
}

fn rule_of<'a>(plan: &'a Plan, tag: &str) -> &'a str {
    plan.policies
        .iter()
        .flat_map(|p| &p.repositories)
        .flat_map(|r| &r.keep)
        .find(|k| k.tag == tag)
        .map(|k| k.rule.as_str())
        .unwrap_or_else(|| panic!("{tag} not kept: {plan:#?}"))
}

#[test]
fn keep_last_keeps_the_newest_and_names_the_rank_of_the_rest() {
    let p = policy(|s| s.keep_last = Some(2));
    let plan = run(
        &[p],
        &[repo(vec![
            tag("a", 1, 5),
            tag("b", 2, 1),
            tag("c", 3, 3),
            tag("d", 4, 9),
        ])],
    );
    assert_eq!(deleted(&plan), vec!["a", "d"]);
    assert_eq!(
        rule_of(&plan, "b"),
        "keep_last 2 (newest #1, by push time, from the registry's notification)"
    );
    let r = &plan.policies[0].repositories[0];
    let a = r.delete.iter().find(|d| d.tag == "a").unwrap();
    assert_eq!(
        a.reason,
        "not among the 2 newest (#3, by push time, from the registry's notification)"
    );
    assert_eq!(r.digests, vec![digest(1), digest(4)]);
}

#[test]
fn keep_versions_is_semver_aware() {
    let p = policy(|s| s.keep_versions = Some(2));
    let plan = run(
        &[p],
        &[repo(vec![
            tag("v1.9.0", 1, 1),
            tag("v1.10.0", 2, 50),
            tag("v1.10.0-rc1", 3, 60),
            tag("v1.2.0", 4, 0),
        ])],
    );
    // 1.10.0-rc1 comes before 1.10.0 and after 1.9.0, as in the tag list.
    assert_eq!(deleted(&plan), vec!["v1.2.0", "v1.9.0"]);
    assert_eq!(rule_of(&plan, "v1.10.0"), "keep_versions 2 (version #1)");
    assert_eq!(
        rule_of(&plan, "v1.10.0-rc1"),
        "keep_versions 2 (version #2)"
    );
}

#[test]
fn days_pulls_and_patterns_each_keep() {
    let p = policy(|s| {
        s.keep_days = Some(7);
        s.keep_pulled_days = Some(30);
        s.keep = vec!["stable".into()];
    });
    let mut pulled = tag("pulled", 2, 100);
    pulled.pulled = Some(NOW - 3 * DAY);
    let mut unknown = tag("unknown", 5, 0);
    unknown.pushed_ms = None;
    let plan = run(
        &[p],
        &[repo(vec![
            tag("fresh", 1, 2),
            pulled,
            tag("stable", 3, 400),
            tag("old", 4, 90),
            unknown,
        ])],
    );
    assert_eq!(deleted(&plan), vec!["old"]);
    assert_eq!(rule_of(&plan, "unknown"), "keep_days 7 (push time unknown)");
    assert_eq!(rule_of(&plan, "fresh"), "keep_days 7");
    assert_eq!(rule_of(&plan, "pulled"), "keep_pulled_days 30");
    assert_eq!(rule_of(&plan, "stable"), "keep \"stable\"");
    let r = &plan.policies[0].repositories[0];
    let old = r.delete.iter().find(|d| d.tag == "old").unwrap();
    assert_eq!(
        old.reason,
        "pushed 90 days ago, over 7 (from the registry's notification); not pulled within 30 days; matches no keep pattern"
    );
}

#[test]
fn without_pull_events_the_pull_rule_is_off_and_says_so() {
    let p = policy(|s| s.keep_pulled_days = Some(30));
    let protected = Protected::parse("").unwrap();
    let plan = plan(
        &[repo(vec![tag("a", 1, 100)])],
        &Context {
            policies: &[p],
            protected: &protected,
            now: NOW,
            pulls_seen: false,
        },
    );
    assert!(plan.policies[0].notes[0].contains("keep_pulled_days is off"));
    assert_eq!(
        plan.policies[0].repositories[0].delete[0].reason,
        "the policy has no rule that keeps it"
    );
}

#[test]
fn a_digest_a_kept_tag_shares_is_never_deleted() {
    // `main-old` would go, but `v1` (kept) points to the same manifest.
    let p = policy(|s| {
        s.tags = Some("main-*".into());
        s.keep_last = Some(1);
    });
    let plan = run(
        &[p],
        &[repo(vec![
            tag("main-new", 1, 1),
            tag("main-old", 2, 50),
            tag("v1", 2, 50),
            tag("main-older", 3, 60),
        ])],
    );
    assert_eq!(deleted(&plan), vec!["main-older"]);
    assert_eq!(
        rule_of(&plan, "main-old"),
        "shares its digest with kept tag v1: deleting it would delete that too"
    );
    // `v1` is outside the policy's filter: not listed, only protecting.
    assert!(plan.policies[0].repositories[0]
        .keep
        .iter()
        .all(|k| k.tag != "v1"));
}

#[test]
fn protected_tags_and_their_digests_stay() {
    let p = policy(|s| s.keep_last = Some(1));
    let plan = run(
        &[p],
        &[repo(vec![
            tag("new", 1, 1),
            tag("latest", 2, 30),
            tag("same-as-latest", 2, 30),
            tag("old", 3, 40),
        ])],
    );
    assert_eq!(deleted(&plan), vec!["old"]);
    assert_eq!(rule_of(&plan, "latest"), "protected (\"latest\")");
}

#[test]
fn platform_images_of_a_kept_index_stay() {
    let p = policy(|s| s.keep_last = Some(1));
    let mut r = repo(vec![
        tag("multi", 1, 1),
        tag("amd64-only", 2, 10),
        tag("old", 3, 20),
    ]);
    r.children.insert(digest(1), vec![digest(2), digest(9)]);
    let plan = run(&[p], &[r]);
    assert_eq!(deleted(&plan), vec!["old"]);
    assert_eq!(
        rule_of(&plan, "amd64-only"),
        "a platform image of kept index multi"
    );
}

#[test]
fn signatures_follow_their_image() {
    let p = policy(|s| s.keep_last = Some(1));
    let hex = |n: u32| format!("{n:064x}");
    let plan = run(
        &[p],
        &[repo(vec![
            tag("new", 1, 1),
            tag("old", 2, 30),
            tag(&format!("sha256-{}.sig", hex(1)), 11, 1),
            tag(&format!("sha256-{}.sig", hex(2)), 12, 30),
            tag(&format!("sha256-{}.att", hex(2)), 13, 30),
            tag(&format!("sha256-{}.sig", hex(7)), 14, 30),
        ])],
    );
    assert_eq!(
        deleted(&plan),
        vec![
            "old".to_string(),
            format!("sha256-{}.att", hex(2)),
            format!("sha256-{}.sig", hex(2))
        ]
    );
    assert_eq!(
        rule_of(&plan, &format!("sha256-{}.sig", hex(1))),
        "signature of a kept image"
    );
    let r = &plan.policies[0].repositories[0];
    let sig = r.delete.iter().find(|d| d.tag.ends_with(".sig")).unwrap();
    assert_eq!(sig.reason, "signs or describes old, which is deleted");
    // A signature of an image not in the repository is left alone.
    assert!(r
        .keep
        .iter()
        .chain(std::iter::empty())
        .all(|k| !k.tag.contains(&hex(7))));
    assert_eq!(r.digests, vec![digest(2), digest(12), digest(13)]);
}

#[test]
fn kept_by_any_policy_wins_and_each_deletion_has_one_owner() {
    let a = policy(|s| {
        s.name = "a".into();
        s.keep_last = Some(1);
    });
    let b = policy(|s| {
        s.name = "b".into();
        s.keep = vec!["v*".into()];
    });
    let plan = run(
        &[a, b],
        &[repo(vec![
            tag("main", 1, 1),
            tag("v1", 2, 10),
            tag("x", 3, 20),
        ])],
    );
    assert_eq!(deleted(&plan), vec!["x"]);
    assert_eq!(rule_of(&plan, "v1"), "keep \"v*\", by policy \"b\"");
    assert_eq!(
        plan.deletions(),
        vec![("a".into(), "team/app".into(), digest(3))]
    );
    // Running one policy alone still honours what the other keeps.
    assert_eq!(plan.clone().only("b").deletions(), vec![]);
}

#[test]
fn repositories_outside_every_policy_are_not_planned() {
    let p = policy(|s| {
        s.repositories = "other/**".into();
        s.keep_last = Some(1);
    });
    let plan = run(&[p], &[repo(vec![tag("a", 1, 1), tag("b", 2, 2)])]);
    assert!(plan.policies[0].repositories.is_empty());
}

#[test]
fn the_hash_moves_when_a_tag_moves_or_is_pushed() {
    let p = policy(|s| s.keep_last = Some(1));
    let base = vec![tag("a", 1, 1), tag("b", 2, 2)];
    let h = |tags: Vec<TagState>| run(std::slice::from_ref(&p), &[repo(tags)]).plan_hash;
    let first = h(base.clone());
    assert_eq!(first, h(base.clone()));
    let mut moved = base.clone();
    moved[1].digest = digest(7);
    assert_ne!(first, h(moved));
    let mut pushed = base;
    pushed.push(tag("c", 3, 0));
    assert_ne!(first, h(pushed));
}

mod properties {
    use super::*;
    use proptest::prelude::*;

    fn tags() -> impl Strategy<Value = Vec<TagState>> {
        prop::collection::vec(
            (
                prop::sample::select(vec![
                    "v1", "v2", "v10", "main-a", "main-b", "latest", "x", "stable", "v2-rc1",
                ]),
                0u32..6,
                prop::option::of(0i64..100),
                prop::option::of(0i64..100),
            ),
            0..12,
        )
        .prop_map(|raw| {
            let mut seen = HashSet::new();
            raw.into_iter()
                .filter(|(name, ..)| seen.insert(*name))
                .map(|(name, d, pushed, pulled)| TagState {
                    tag: name.to_string(),
                    digest: digest(d),
                    pushed_ms: pushed.map(|a| (NOW - a * DAY) * 1000),
                    clock: Clock::FirstSeen,
                    created: None,
                    pulled: pulled.map(|a| NOW - a * DAY),
                })
                .collect()
        })
    }

    fn policies() -> impl Strategy<Value = Vec<Policy>> {
        prop::collection::vec(
            (
                prop::option::of(prop::sample::select(vec!["main-*", "v*", "*"])),
                any::<bool>(),
                prop::option::of(1u32..4),
                prop::option::of(1u32..4),
                prop::option::of(1u32..60),
                prop::option::of(1u32..60),
            ),
            1..3,
        )
        .prop_map(|raw| {
            raw.into_iter()
                .enumerate()
                .map(|(i, (tags, exclude, last, versions, days, pulled))| {
                    policy(|s| {
                        s.name = format!("p{i}");
                        s.tags = tags.map(str::to_string);
                        s.tags_exclude = exclude && s.tags.is_some();
                        s.keep_last = last;
                        s.keep_versions = versions;
                        s.keep_days = days;
                        s.keep_pulled_days = pulled;
                    })
                })
                .collect()
        })
    }

    proptest! {
        #[test]
        fn no_kept_tag_loses_its_manifest(tags in tags(), policies in policies(), children in prop::collection::vec((0u32..6, 0u32..6), 0..4)) {
            let mut r = repo(tags);
            for (parent, child) in children {
                r.children.entry(digest(parent)).or_default().push(digest(child));
            }
            let plan = run(&policies, &[r.clone()]);
            let doomed: HashSet<String> = plan.deletions().into_iter().map(|(_, _, d)| d).collect();
            let listed: HashSet<String> = plan
                .policies
                .iter()
                .flat_map(|p| &p.repositories)
                .flat_map(|rp| rp.delete.iter().map(|d| d.tag.clone()))
                .collect();
            for t in &r.tags {
                // Every tag on a doomed digest is listed as deleted: nothing
                // goes that the plan does not show.
                if doomed.contains(&t.digest) {
                    prop_assert!(listed.contains(&t.tag), "{} goes unlisted", t.tag);
                }
                if !listed.contains(&t.tag) {
                    prop_assert!(!doomed.contains(&t.digest), "kept {} loses {}", t.tag, t.digest);
                }
                if t.tag == "latest" {
                    prop_assert!(!doomed.contains(&t.digest));
                }
            }
            // No platform image of a kept index goes.
            for t in r.tags.iter().filter(|t| !listed.contains(&t.tag)) {
                for child in r.children.get(&t.digest).into_iter().flatten() {
                    prop_assert!(!doomed.contains(child), "child {} of kept {}", child, t.tag);
                }
            }
        }
    }
}

/// Tags first seen together (one sync) rank by their images' build dates,
/// and a later push ranks above every one of them, whatever its image's
/// date: a reproducible build dated 1970 pushed last is the newest.
#[test]
fn keep_last_ranks_by_push_time_and_build_date_only_breaks_ties() {
    let p = policy(|s| s.keep_last = Some(2));
    let seen = |name: &str, d: u32, at: i64, created: i64| TagState {
        tag: name.into(),
        digest: digest(d),
        pushed_ms: Some(at * 1000),
        clock: Clock::FirstSeen,
        created: Some(created),
        pulled: None,
    };
    let plan = run(
        &[p],
        &[repo(vec![
            seen("old-build", 1, NOW - DAY, NOW - 400 * DAY),
            seen("new-build", 2, NOW - DAY, NOW - 2 * DAY),
            seen("reproducible", 3, NOW - 60, 0),
            seen("middle", 4, NOW - DAY, NOW - 30 * DAY),
        ])],
    );
    assert_eq!(deleted(&plan), vec!["middle", "old-build"]);
    assert_eq!(
        rule_of(&plan, "reproducible"),
        "keep_last 2 (newest #1, by push time, as Berth first saw it)"
    );
    assert_eq!(
        rule_of(&plan, "new-build"),
        "keep_last 2 (newest #2, by push time, as Berth first saw it; pushed at the same time as 2 other tag(s), so by build date)"
    );
}
