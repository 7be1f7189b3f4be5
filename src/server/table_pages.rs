//! The page of a long list that one request shows: filtered and sorted on
//! the server over the whole (cached) list, then cut to `BERTH_MAX_ROWS`.
//! Only the page's rows are copied, rendered and sent for hydration.

use crate::model::{RepoList, RepoPage, TagList, TagPage, TagRow};
use crate::paging::Paging;
use crate::sort::{sort_rows, TagSort};

/// What a tag table asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TagQuery {
    pub sort: TagSort,
    /// Show cosign-style tags as rows of their own.
    pub signatures: bool,
    pub page: usize,
}

/// Pull figures per tag (from registry notifications), for the pull
/// columns and sorts; `None` when Berth takes no notifications.
pub type Pulls = Option<std::collections::HashMap<String, crate::store::events::PullStats>>;

pub fn tag_page(list: &TagList, q: TagQuery, max_rows: usize, pulls: &Pulls) -> TagPage {
    let signature_count = list
        .rows
        .iter()
        .filter(|r| r.signature_of.is_some())
        .count();
    let mut shown: Vec<&TagRow> = list
        .rows
        .iter()
        .filter(|r| q.signatures || r.signature_of.is_none())
        .collect();
    let stats = |r: &TagRow| pulls.as_ref().and_then(|p| p.get(&r.tag)).copied();
    match q.sort {
        // The cached rows carry no pull figures (they change with every
        // pull): sort by the figures from the database, ties by name.
        TagSort::Pulled | TagSort::Pulls => {
            sort_rows(&mut shown, TagSort::Name);
            shown.sort_by_key(|r| {
                std::cmp::Reverse(stats(r).map(|s| {
                    if q.sort == TagSort::Pulled {
                        s.last_ms
                    } else {
                        s.recent as i64
                    }
                }))
            });
        }
        by => sort_rows(&mut shown, by),
    }
    let paging = Paging::new(shown.len(), max_rows, q.page);
    TagPage {
        repository: list.repository.clone(),
        pull_host: list.pull_host.clone(),
        rows: shown[paging.range()]
            .iter()
            .map(|r| {
                let mut row = (*r).clone();
                if let Some(s) = stats(r) {
                    row.last_pulled = Some(s.last_ms.div_euclid(1000));
                    row.pulls_30d = Some(s.recent);
                }
                row
            })
            .collect(),
        skipped: list.skipped,
        now: list.now,
        tag_count: list.rows.len() - signature_count,
        signature_count,
        paging,
        pulls_known: pulls.is_some(),
        checked: list.checked,
    }
}

/// Repositories whose name contains `filter` (case-insensitive), a page of them.
pub fn repo_page(list: &RepoList, filter: &str, page: usize, max_rows: usize) -> RepoPage {
    let needle = filter.trim().to_lowercase();
    let matched: Vec<&String> = list
        .repositories
        .iter()
        .filter(|n| needle.is_empty() || n.contains(&needle))
        .collect();
    let paging = Paging::new(matched.len(), max_rows, page);
    RepoPage {
        repositories: matched[paging.range()]
            .iter()
            .map(|n| (*n).clone())
            .collect(),
        total: list.repositories.len(),
        skipped: list.skipped,
        filter: needle,
        paging,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(tag: &str, signature_of: Option<&str>) -> TagRow {
        TagRow {
            tag: tag.into(),
            digest: String::new(),
            is_index: false,
            size: None,
            platforms: Vec::new(),
            created: None,
            shares_digest_with: Vec::new(),
            error: None,
            artifact: None,
            legacy: false,
            signatures: Vec::new(),
            signature_of: signature_of.map(str::to_string),
            ..Default::default()
        }
    }

    fn list(rows: Vec<TagRow>) -> TagList {
        TagList {
            repository: "app".into(),
            pull_host: "h".into(),
            rows,
            skipped: 0,
            now: 0,
            checked: 0,
        }
    }

    #[test]
    fn pull_sorts_use_the_database_figures_and_fill_the_page() {
        use crate::store::events::PullStats;
        let l = list(["a", "b", "c"].iter().map(|t| row(t, None)).collect());
        let stats: std::collections::HashMap<String, PullStats> = [
            (
                "a".to_string(),
                PullStats {
                    last_ms: 5_000,
                    recent: 1,
                },
            ),
            (
                "c".to_string(),
                PullStats {
                    last_ms: 1_000,
                    recent: 9,
                },
            ),
        ]
        .into();
        let pulls = Some(stats);
        let q = |sort| TagQuery {
            sort,
            signatures: false,
            page: 1,
        };
        let by_pulls = tag_page(&l, q(TagSort::Pulls), 10, &pulls);
        let tags: Vec<&str> = by_pulls.rows.iter().map(|r| r.tag.as_str()).collect();
        assert_eq!(tags, ["c", "a", "b"]);
        assert_eq!(by_pulls.rows[0].pulls_30d, Some(9));
        assert_eq!(by_pulls.rows[2].pulls_30d, None);
        let by_last = tag_page(&l, q(TagSort::Pulled), 10, &pulls);
        let tags: Vec<&str> = by_last.rows.iter().map(|r| r.tag.as_str()).collect();
        assert_eq!(tags, ["a", "c", "b"]);
        assert_eq!(by_last.rows[0].last_pulled, Some(5));
        assert!(by_last.pulls_known);
    }

    #[test]
    fn sorts_the_whole_list_before_cutting_a_page() {
        let l = list((1..=12).map(|i| row(&format!("v1.{i}.0"), None)).collect());
        let q = TagQuery {
            sort: TagSort::Version,
            signatures: false,
            page: 1,
        };
        let p = tag_page(&l, q, 5, &None);
        let tags: Vec<&str> = p.rows.iter().map(|r| r.tag.as_str()).collect();
        assert_eq!(tags, ["v1.12.0", "v1.11.0", "v1.10.0", "v1.9.0", "v1.8.0"]);
        assert_eq!((p.paging.page, p.paging.pages, p.tag_count), (1, 3, 12));
        let last = tag_page(&l, TagQuery { page: 3, ..q }, 5, &None);
        assert_eq!(
            last.rows.iter().map(|r| r.tag.as_str()).collect::<Vec<_>>(),
            ["v1.2.0", "v1.1.0"]
        );
    }

    #[test]
    fn signature_tags_are_counted_and_shown_only_when_asked() {
        let l = list(vec![
            row("a", None),
            row("sha256-x.sig", Some("sha256:x")),
            row("b", None),
        ]);
        let q = TagQuery {
            sort: TagSort::Name,
            signatures: false,
            page: 1,
        };
        let p = tag_page(&l, q, 10, &None);
        assert_eq!((p.rows.len(), p.tag_count, p.signature_count), (2, 2, 1));
        assert_eq!(
            tag_page(
                &l,
                TagQuery {
                    signatures: true,
                    ..q
                },
                10,
                &None
            )
            .rows
            .len(),
            3
        );
    }

    #[test]
    fn repositories_filter_then_page() {
        let l = RepoList {
            repositories: (0..30)
                .map(|i| format!("team/app-{i:02}"))
                .chain(["other/x".into()])
                .collect(),
            skipped: 0,
        };
        let p = repo_page(&l, " APP-1", 1, 4);
        assert_eq!(
            p.repositories,
            ["team/app-10", "team/app-11", "team/app-12", "team/app-13"]
        );
        assert_eq!(
            (p.total, p.paging.total, p.paging.pages, p.filter.as_str()),
            (31, 10, 3, "app-1")
        );
        assert_eq!(
            repo_page(&l, "", 8, 4).repositories,
            ["team/app-28", "team/app-29", "other/x"]
        );
    }
}
