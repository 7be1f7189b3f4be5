use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::api::get_compare;
use crate::components::ErrorView;
use crate::format;
use crate::i18n::Fmt;
use crate::model::compare::{
    Change, CompareQuery, CompareView, Comparison, FileDiff, PathState, TextDiff,
};
use crate::model::files::FilesQuery;
use crate::routes::{encode, files_path, href, repo_path, tag_path};
use crate::t;

/// `/r/<repo>/-/compare?a=<tag>&b=<tag>` (`tag=` twice, as the tag list's
/// ticked boxes send it, works too): a GET form to pick the two, then
/// platforms, layers, config and files compared. Server-rendered only.
#[component]
pub fn ComparePage(repo: String) -> impl IntoView {
    let q = use_query_map().get_untracked();
    let param = |name: &str| q.get(name).filter(|v| !v.trim().is_empty());
    let mut ticked = q.get_all("tag").unwrap_or_default();
    // Two ticked in the tag table: before is the lower version, whatever
    // the table's order. Any other number is said, not guessed at.
    let wrong_count = (!ticked.is_empty() && ticked.len() != 2 && param("a").is_none())
        .then(|| t!("compare-ticked-count", n = ticked.len()));
    if ticked.len() == 2 {
        ticked.sort_by(|x, y| crate::sort::compare_versions(x, y));
    } else {
        ticked.truncate(1);
    }
    let query = CompareQuery {
        a: param("a").or_else(|| ticked.first().cloned()),
        b: param("b").or_else(|| ticked.get(1).cloned()),
        b_repo: param("b_repo"),
        platform: param("platform"),
        path: param("path"),
    };
    let title = t!(
        "page-title",
        page = t!("compare-title", repo = repo.clone())
    );
    let key = (repo.clone(), query);
    view! {
        <Title text=title/>
        <nav class="crumbs" aria-label=t!("crumbs-label")>
            <a href=href("/")>{t!("nav-repositories")}</a>" / "
            <a href=href(&repo_path(&repo))>{repo.clone()}</a>" / "
            <span>{t!("compare-crumb")}</span>
        </nav>
        <h1>{t!("compare-title", repo = repo.clone())}</h1>
        {wrong_count.map(|m| view! { <p class="flash warn" role="alert" data-testid="compare-count">{m}</p> })}
        <Suspense fallback=|| view! { <p class="loading">{t!("files-loading")}</p> }>
            {move || {
                let (repo, query) = key.clone();
                Suspend::new(async move {
                    match get_compare(repo, query).await {
                        Err(error) => view! { <ErrorView error/> }.into_any(),
                        Ok(view) => view! { <Compare view/> }.into_any(),
                    }
                })
            }}
        </Suspense>
    }
}

#[component]
fn Compare(view: CompareView) -> impl IntoView {
    let v = view;
    let action = href(&format!("/r/{}/-/compare", v.repository));
    let other_repo = (v.b_repository != v.repository).then(|| v.b_repository.clone());
    view! {
        <form method="get" action=action class="filter" data-testid="compare-form">
            <label>{t!("compare-a")}
                <input name="a" list="compare-tags" required value=v.query.a.clone().unwrap_or_default() data-testid="compare-a"/>
            </label>
            <label>{t!("compare-b")}
                <input name="b" list="compare-tags" required value=v.query.b.clone().unwrap_or_default() data-testid="compare-b"/>
            </label>
            <label>{t!("compare-b-repo")}
                <input name="b_repo" placeholder=v.repository.clone() value=other_repo.unwrap_or_default()/>
            </label>
            {v.result.as_ref().filter(|r| r.common_platforms.len() > 1).map(|r| view! {
                <label>{t!("files-platform")}
                    <select name="platform">
                        {r.common_platforms.iter().map(|p| view! {
                            <option value=p.clone() selected=r.platform.as_deref() == Some(p.as_str())>{p.clone()}</option>
                        }).collect_view()}
                    </select>
                </label>
            })}
            <datalist id="compare-tags">
                {v.tags.iter().map(|t| view! { <option value=t.clone()></option> }).collect_view()}
            </datalist>
            <button type="submit">{t!("compare-go")}</button>
        </form>
        {match v.result.clone() {
            None => view! { <p class="hint">{t!("compare-pick")}</p> }.into_any(),
            Some(r) => view! { <Result r view=v.clone()/> }.into_any(),
        }}
    }
}

#[component]
fn Result(r: Comparison, view: CompareView) -> impl IntoView {
    let fmt = Fmt::current();
    let v = view;
    let delta = r.size_b as i128 - r.size_a as i128;
    let delta_text = if delta >= 0 {
        format!("+{}", fmt.size(delta as u64))
    } else {
        format!("−{}", fmt.size(delta.unsigned_abs() as u64))
    };
    let a_link = href(&tag_path(&v.repository, &r.a));
    let b_link = href(&tag_path(&v.b_repository, &r.b));
    let diff_link = |path: &str| {
        let mut url = format!(
            "/r/{}/-/compare?a={}&b={}&path={}",
            v.repository,
            encode(&r.a),
            encode(&r.b),
            encode(path)
        );
        if v.b_repository != v.repository {
            url.push_str(&format!("&b_repo={}", encode(&v.b_repository)));
        }
        if let Some(p) = &r.platform {
            url.push_str(&format!("&platform={}", encode(p)));
        }
        format!("{}#diff", href(&url))
    };
    let files_of = |repo: &str, tag: &str, path: &str| {
        let q = FilesQuery {
            platform: r.platform.clone(),
            path: Some(path.to_string()),
            ..Default::default()
        };
        href(&files_path(repo, tag, &q))
    };
    let state = |s: &Option<PathState>| {
        s.as_ref()
            .map(|s| {
                let mut text = format!("{} {} {}", s.kind, s.mode, fmt.size(s.size));
                if let Some(l) = &s.link {
                    text.push_str(&format!(" → {l}"));
                }
                text
            })
            .unwrap_or_else(|| "—".into())
    };
    view! {
        <dl class="facts" data-testid="compare-summary">
            <dt>{t!("compare-a")}</dt><dd><a href=a_link>{format!("{}:{}", v.repository, r.a)}</a>" "<code>{format::short_digest(&r.a_digest)}</code></dd>
            <dt>{t!("compare-b")}</dt><dd><a href=b_link>{format!("{}:{}", v.b_repository, r.b)}</a>" "<code>{format::short_digest(&r.b_digest)}</code></dd>
            {r.platform.clone().map(|p| view! { <dt>{t!("files-platform")}</dt><dd>{p}</dd> })}
            <dt>{t!("col-size")}</dt><dd data-testid="size-delta">{format!("{} → {} ({delta_text})", fmt.size(r.size_a), fmt.size(r.size_b))}</dd>
            {(!r.platforms_added.is_empty()).then(|| view! { <dt>{t!("compare-platforms-added")}</dt><dd data-testid="platforms-added">{r.platforms_added.join(", ")}</dd> })}
            {(!r.platforms_removed.is_empty()).then(|| view! { <dt>{t!("compare-platforms-removed")}</dt><dd data-testid="platforms-removed">{r.platforms_removed.join(", ")}</dd> })}
        </dl>
        {(r.a_digest == r.b_digest).then(|| view! { <p class="flash ok">{t!("compare-same")}</p> })}

        <h2>{t!("compare-layers")}</h2>
        <table class="layers" data-testid="compare-layers">
            <thead><tr><th>{t!("compare-change")}</th><th>{t!("col-digest")}</th><th>{t!("col-size")}</th><th>{t!("compare-a")}</th><th>{t!("compare-b")}</th></tr></thead>
            <tbody>
                {r.layers.iter().map(|l| view! {
                    <tr data-change=change_key(l.change)>
                        <td>{change_word(l.change)}</td>
                        <td><code title=l.digest.clone()>{format::short_digest(&l.digest)}</code></td>
                        <td>{fmt.size(l.size)}</td>
                        <td>{l.in_a.map(|i| (i + 1).to_string()).unwrap_or_else(|| "—".into())}</td>
                        <td>{l.in_b.map(|i| (i + 1).to_string()).unwrap_or_else(|| "—".into())}</td>
                    </tr>
                }).collect_view()}
            </tbody>
        </table>

        <h2>{t!("compare-config")}</h2>
        {if r.config.is_empty() {
            view! { <p class="empty">{t!("compare-config-same")}</p> }.into_any()
        } else {
            view! {
                <table class="layers" data-testid="compare-config">
                    <thead><tr><th>{t!("compare-field")}</th><th>{t!("compare-a")}</th><th>{t!("compare-b")}</th></tr></thead>
                    <tbody>
                        {r.config.iter().map(|f| view! {
                            <tr><td><code>{f.field.clone()}</code></td>
                                <td><code>{f.before.clone().unwrap_or_else(|| "—".into())}</code></td>
                                <td><code>{f.after.clone().unwrap_or_else(|| "—".into())}</code></td></tr>
                        }).collect_view()}
                    </tbody>
                </table>
            }.into_any()
        }}

        <h2>{t!("compare-files")}</h2>
        {r.files_error.clone().map(|e| view! { <p class="flash error" role="alert">{e}</p> })}
        {r.files_error.is_none().then(|| view! {
            <p class="count" data-testid="compare-file-counts">{t!("compare-file-counts", added = r.added, removed = r.removed, changed = r.changed)}</p>
            {(r.files_total > r.files.len()).then(|| view! { <p class="hint">{t!("compare-files-cut", shown = r.files.len(), total = r.files_total)}</p> })}
            {(!r.diffs.is_empty()).then(|| view! {
                <section id="diff" data-testid="compare-diffs">
                    {r.diffs.iter().map(|d| view! { <Diff d=d.clone()/> }).collect_view()}
                </section>
            })}
            {(!r.files.is_empty()).then(|| view! {
                        <table class="files" data-testid="compare-files">
                    <thead><tr><th>{t!("compare-change")}</th><th>{t!("files-col-path")}</th><th>{t!("compare-a")}</th><th>{t!("compare-b")}</th></tr></thead>
                    <tbody>
                        {r.files.iter().map(|f| {
                            let path_cell = match f.change {
                                Change::Removed => view! { <a href=files_of(&v.repository, &r.a, &f.path) style="text-decoration:underline"><code>{f.path.clone()}</code></a> }.into_any(),
                                _ => view! { <a href=files_of(&v.b_repository, &r.b, &f.path) style="text-decoration:underline"><code>{f.path.clone()}</code></a> }.into_any(),
                            };
                            view! {
                                <tr data-change=change_key(f.change) data-path=f.path.clone()>
                                    <td>{change_word(f.change)}</td>
                                    <td>{path_cell}{f.diffable.then(|| view! { " " <a href=diff_link(&f.path) style="text-decoration:underline">{t!("compare-diff")}</a> })}</td>
                                    <td>{state(&f.before)}</td>
                                    <td>{state(&f.after)}</td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
            })}
        })}
    }
}

#[component]
fn Diff(d: TextDiff) -> impl IntoView {
    view! {
        <h3><code>{d.path.clone()}</code></h3>
        {match d.diff {
            FileDiff::Same => view! { <p class="hint">{t!("compare-diff-same")}</p> }.into_any(),
            FileDiff::Binary => view! { <p class="hint">{t!("compare-diff-binary")}</p> }.into_any(),
            FileDiff::Unreadable(why) => view! { <p class="flash error">{why}</p> }.into_any(),
            FileDiff::Lines(lines) => view! {
                <div class="open-file"><pre class="diff" data-testid="diff" data-path=d.path.clone() tabindex="0">{lines.into_iter().map(|l| {
                    let style = match l.tag {
                        '+' => "color:#86efac",
                        '-' => "color:#fca5a5",
                        '@' => "color:#93c5fd",
                        _ => "",
                    };
                    let text = if l.tag == '@' { l.text } else { format!("{}{}", l.tag, l.text) };
                    view! { <span style=style>{text}</span>"\n" }
                }).collect_view()}</pre></div>
            }.into_any(),
        }}
    }
}

fn change_key(c: Change) -> &'static str {
    match c {
        Change::Shared => "shared",
        Change::Added => "added",
        Change::Removed => "removed",
        Change::Changed => "changed",
    }
}

fn change_word(c: Change) -> String {
    match c {
        Change::Shared => t!("compare-shared"),
        Change::Added => t!("compare-added"),
        Change::Removed => t!("compare-removed"),
        Change::Changed => t!("compare-changed"),
    }
}
