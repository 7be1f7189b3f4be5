use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::api::get_files;
use crate::components::{ErrorView, Pager};
use crate::format;
use crate::i18n::Fmt;
use crate::model::files::{DirSize, Fate, FileBody, FileRow, FileView, FilesQuery, FilesView};
use crate::routes::{files_path, href, repo_path, tag_path};
use crate::t;

/// `/r/<repo>/-/files/<tag>`: the image's merged filesystem, or one layer's
/// files (`?layer=n`); a filter and sort that are a plain GET form; where
/// the bytes are; and one file opened (`&path=`). Server-rendered only.
#[component]
pub fn FilesPage(repo: String, tag: String) -> impl IntoView {
    let q = use_query_map().get_untracked();
    let param = |name: &str| q.get(name).filter(|v| !v.is_empty());
    let query = FilesQuery {
        layer: param("layer").and_then(|n| n.parse().ok()),
        platform: param("platform"),
        path: param("path"),
        q: param("q"),
        sort: param("sort"),
        dir: param("dir"),
        page: param("page").and_then(|n| n.parse().ok()),
    };
    let title = t!(
        "page-title",
        page = t!("files-title", image = format!("{repo}:{tag}"))
    );
    // A layer that is not a number is a bad link, not the merged view.
    let bad_layer = param("layer").filter(|n| n.parse::<usize>().is_err());
    let key = (repo.clone(), tag.clone(), query);
    view! {
        <Title text=title/>
        <nav class="crumbs" aria-label=t!("crumbs-label")>
            <a href=href("/")>{t!("nav-repositories")}</a>" / "
            <a href=href(&repo_path(&repo))>{repo.clone()}</a>" / "
            <a href=href(&tag_path(&repo, &tag))>{tag.clone()}</a>" / "
            <span>{t!("files-crumb")}</span>
        </nav>
        <Suspense fallback=|| view! { <p class="loading">{t!("files-loading")}</p> }>
            {move || {
                let (repo, tag, query) = key.clone();
                let bad_layer = bad_layer.clone();
                Suspend::new(async move {
                    if let Some(n) = bad_layer {
                        #[cfg(feature = "ssr")]
                        crate::api::set_status(400);
                        let error = crate::error::AppError::BadRequest(t!("files-bad-layer", layer = n));
                        return view! { <ErrorView error/> }.into_any();
                    }
                    match get_files(repo, tag, query).await {
                        Err(error) => view! { <ErrorView error/> }.into_any(),
                        Ok(view) => view! { <Files view/> }.into_any(),
                    }
                })
            }}
        </Suspense>
    }
}

/// Where the page is: what its links start from (rows and parts get this,
/// not the whole page's data).
#[derive(Clone)]
struct Here {
    repository: String,
    tag: String,
    query: FilesQuery,
}

/// The page's own link with some parameters changed.
fn link(v: &Here, change: impl FnOnce(&mut FilesQuery)) -> String {
    let mut q = v.query.clone();
    q.page = None;
    change(&mut q);
    href(&files_path(&v.repository, &v.tag, &q))
}

#[component]
fn Files(view: FilesView) -> impl IntoView {
    let mut v = view;
    let here = Here {
        repository: v.repository.clone(),
        tag: v.tag.clone(),
        query: v.query.clone(),
    };
    let file = v.file.take();
    let fmt = Fmt::current();
    let heading = match v.query.layer {
        Some(n) => t!(
            "files-heading-layer",
            n = n + 1,
            image = format!("{}:{}", v.repository, v.tag)
        ),
        None => t!(
            "files-heading",
            image = format!("{}:{}", v.repository, v.tag)
        ),
    };
    let action = href(&files_path(&v.repository, &v.tag, &FilesQuery::default()));
    let layer_note = v.query.layer.and_then(|n| v.layers.get(n)).map(|l| {
        t!(
            "files-layer-facts",
            digest = l.digest.clone(),
            media_type = l.media_type.clone(),
            size = format::size(l.size)
        )
    });
    let pager_base = {
        let mut q = v.query.clone();
        q.page = None;
        files_path(&v.repository, &v.tag, &q)
    };
    let merged_view = v.query.layer.is_none();
    view! {
        <h1>{heading}</h1>
        <form method="get" action=action class="filter" role="search" data-testid="files-form">
            {(!v.platforms.is_empty()).then(|| view! {
                <label>{t!("files-platform")}
                    <select name="platform">
                        {v.platforms.iter().map(|p| view! {
                            <option value=p.clone() selected=v.platform.as_deref() == Some(p.as_str())>{p.clone()}</option>
                        }).collect_view()}
                    </select>
                </label>
            })}
            <label>{t!("files-view")}
                <select name="layer" data-testid="files-layer">
                    <option value="" selected=merged_view>{t!("files-merged")}</option>
                    {v.layers.iter().enumerate().map(|(i, l)| view! {
                        <option value=i.to_string() selected=v.query.layer == Some(i)>
                            {t!("files-layer-option", n = i + 1, digest = format::short_digest(&l.digest), size = format::size(l.size))}
                        </option>
                    }).collect_view()}
                </select>
            </label>
            <input type="search" name="q" value=v.query.q.clone().unwrap_or_default()
                placeholder=t!("files-filter") aria-label=t!("files-filter") data-testid="files-filter"/>
            <label>{t!("files-sort")}
                <select name="sort">
                    <option value="path" selected=v.query.sort.as_deref() != Some("size")>{t!("files-sort-path")}</option>
                    <option value="size" selected=v.query.sort.as_deref() == Some("size")>{t!("files-sort-size")}</option>
                </select>
            </label>
            <button type="submit">{t!("files-show")}</button>
        </form>
        <p class="count" data-testid="files-count">
            {t!("files-summary", n = v.entries, entries = fmt.count(v.entries), size = fmt.size(v.bytes))}
            {layer_note.map(|n| view! { " · " <small class="detail">{n}</small> })}
        </p>
        {file.map(|f| view! { <OpenFile file=f view=here.clone()/> })}
        <Sizes view=here.clone() dir=v.dir.clone() dirs=v.dirs.clone() largest=v.largest.clone()/>
        <h2>{t!("files-listing")}</h2>
        <Pager paging=v.paging base=pager_base.clone() noun=t!("files-noun")/>
        <table class="files" data-testid="files-table">
            <thead><tr>
                <th>{t!("files-col-path")}</th><th>{t!("files-col-type")}</th><th>{t!("files-col-mode")}</th>
                <th>{t!("files-col-owner")}</th><th>{t!("col-size")}</th><th>{t!("files-col-mtime")}</th>
                <th>{if merged_view { t!("files-col-layer") } else { t!("files-col-fate") }}</th>
            </tr></thead>
            <tbody>
                {v.rows.iter().map(|r| view! { <Row row=r.clone() view=here.clone()/> }).collect_view()}
            </tbody>
        </table>
        {v.rows.is_empty().then(|| view! { <p class="empty">{t!("files-none")}</p> })}
        <Pager paging=v.paging base=pager_base noun=t!("files-noun")/>
        {(v.gone_total > 0).then(|| view! {
            <details class="gone" data-testid="files-gone">
                <summary>{t!("files-gone", n = v.gone_total)}</summary>
                <table class="files">
                    <thead><tr><th>{t!("files-col-path")}</th><th>{t!("files-gone-from")}</th><th>{t!("files-gone-by")}</th></tr></thead>
                    <tbody>
                        {v.gone.iter().map(|g| view! {
                            <tr><td><code>{g.path.clone()}</code></td><td>{g.from + 1}</td><td>{g.by + 1}</td></tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </details>
        })}
    }
}

#[component]
fn Row(row: FileRow, view: Here) -> impl IntoView {
    let fmt = Fmt::current();
    let r = row;
    let open = link(&view, |q| q.path = Some(r.path.clone()));
    let kind = match (&r.whiteout, &r.link) {
        (Some(w), _) if w == "opaque" => t!("files-kind-opaque"),
        (Some(_), _) => t!("files-kind-whiteout"),
        (None, Some(target)) if r.kind == "symlink" => format!("symlink → {target}"),
        (None, Some(target)) if r.kind == "hardlink" => format!("hardlink → {target}"),
        _ => r.kind.clone(),
    };
    let origin = if let Some(layer) = r.layer {
        let mut s = t!("files-from-layer", n = layer + 1);
        if !r.replaced.is_empty() {
            let list: Vec<String> = r.replaced.iter().map(|n| (n + 1).to_string()).collect();
            s.push_str(&format!(
                " · {}",
                t!("files-replaced", layers = list.join(", "))
            ));
        }
        s
    } else {
        match (&r.whiteout, &r.fate) {
            (Some(_), _) => t!("files-fate-deletes"),
            (None, Some(Fate::Overwritten(n))) => t!("files-fate-overwritten", n = n + 1),
            (None, Some(Fate::Deleted(n))) => t!("files-fate-deleted", n = n + 1),
            (None, Some(Fate::Unknown)) => "—".to_string(),
            (None, None) => t!("files-fate-kept"),
        }
    };
    let whiteout = r.whiteout.is_some();
    view! {
        <tr class:whiteout=whiteout>
            <td>{if whiteout {
                view! { <del><code>{r.path.clone()}</code></del> }.into_any()
            } else {
                view! { <a href=open style="text-decoration:underline"><code>{r.path.clone()}</code></a> }.into_any()
            }}{r.cut.then(|| view! { " " <span class="badge">{t!("files-cut")}</span> })}</td>
            <td>{kind}</td>
            <td><code>{r.mode.clone()}</code></td>
            <td>{format!("{}:{}", r.uid, r.gid)}</td>
            <td>{if r.kind == "file" { fmt.size(r.size) } else { String::new() }}</td>
            <td>{(r.mtime > 0).then(|| fmt.date(r.mtime))}</td>
            <td>{origin}</td>
        </tr>
    }
}

#[component]
fn OpenFile(file: FileView, view: Here) -> impl IntoView {
    let fmt = Fmt::current();
    let f = file;
    let close = link(&view, |q| q.path = None);
    let download = href(&f.download);
    let as_dir = link(&view, |q| {
        q.path = None;
        q.q = Some(format!("{}/", f.row.path));
    });
    let is_file = f.row.kind == "file" || f.row.kind == "hardlink";
    view! {
        <section class="open-file" data-testid="open-file">
            <h2><code>{f.path.clone()}</code></h2>
            <dl class="facts">
                {f.resolved.clone().map(|to| view! { <dt>{t!("files-resolved")}</dt><dd><code data-testid="resolved">{to}</code></dd> })}
                <dt>{t!("files-col-type")}</dt><dd>{f.row.kind.clone()}</dd>
                <dt>{t!("files-col-mode")}</dt><dd><code>{f.row.mode.clone()}</code>" "{format!("{}:{}", f.row.uid, f.row.gid)}</dd>
                <dt>{t!("col-size")}</dt><dd>{fmt.size(f.row.size)}</dd>
                {f.row.layer.map(|n| view! { <dt>{t!("files-col-layer")}</dt><dd>{t!("files-from-layer", n = n + 1)}</dd> })}
            </dl>
            <p>
                {is_file.then(|| view! { <a class="button" href=download data-testid="download" download="">{t!("files-download")}</a>" " })}
                <a href=close style="text-decoration:underline">{t!("files-close")}</a>
            </p>
            {match f.body {
                FileBody::Text { lines, more } => view! {
                    <pre class="file-text" data-testid="file-text" tabindex="0"><code>{lines.into_iter().enumerate().map(|(i, l)| view! {
                        <span class="ln" aria-hidden="true">{i + 1}</span>{l}"\n"
                    }).collect_view()}</code></pre>
                    {more.then(|| view! { <p class="notice">{t!("files-text-more")}</p> })}
                }.into_any(),
                FileBody::Hex { lines, more } => view! {
                    <pre class="file-hex" data-testid="file-hex" tabindex="0">{lines.join("\n")}</pre>
                    {more.then(|| view! { <p class="notice">{t!("files-hex-more")}</p> })}
                }.into_any(),
                FileBody::Dir => view! {
                    <p><a href=as_dir style="text-decoration:underline">{t!("files-dir-listing")}</a></p>
                }.into_any(),
                FileBody::Special => view! { <p class="notice">{t!("files-special")}</p> }.into_any(),
            }}
        </section>
    }
}

/// Where the bytes are: a bar per directory of the directory drawn (each
/// one a link into it), and the largest files.
#[component]
fn Sizes(view: Here, dir: String, dirs: Vec<DirSize>, largest: Vec<FileRow>) -> impl IntoView {
    let fmt = Fmt::current();
    let v = view;
    let max = dirs.iter().map(|d| d.bytes).max().unwrap_or(0).max(1);
    let row_h = 22;
    let height = dirs.len() * row_h + 4;
    let up = (dir != "/").then(|| {
        let parent = dir
            .rsplit_once('/')
            .map(|(p, _)| p.to_string())
            .unwrap_or_default();
        link(&v, |q| q.dir = (!parent.is_empty()).then_some(parent))
    });
    let bar = |d: &DirSize, i: usize| {
        let width = (d.bytes as f64 / max as f64 * 380.0).max(1.0);
        let y = i * row_h + 2;
        let here = d.path == dir || (dir == "/" && d.path == "/");
        let label = if here {
            t!("files-files-here", size = fmt.size(d.bytes), n = d.files)
        } else {
            t!(
                "files-dir-bar",
                path = d.path.clone(),
                size = fmt.size(d.bytes),
                n = d.files
            )
        };
        let rect = view! {
            <rect x="0" y=y.to_string() width=format!("{width:.1}") height=(row_h - 6).to_string()
                rx="2" style="fill:var(--accent);opacity:.75"></rect>
            <text x="390" y=(y + 13).to_string() style="fill:currentColor;font-size:12px">{label}</text>
        };
        if d.has_dirs && !here {
            let to = link(&v, |q| q.dir = Some(d.path.clone()));
            view! { <a href=to>{rect}</a> }.into_any()
        } else {
            view! { <g>{rect}</g> }.into_any()
        }
    };
    view! {
        <section class="sizes" data-testid="files-sizes">
            <h2>{t!("files-sizes", dir = dir.clone())}</h2>
            {up.map(|u| view! { <p><a href=u style="text-decoration:underline">{t!("files-up")}</a></p> })}
            {if dirs.is_empty() {
                view! { <p class="empty">{t!("files-none")}</p> }.into_any()
            } else {
                view! {
                    <svg class="size-bars" width="100%" viewBox=format!("0 0 900 {height}") height=height.to_string()
                        preserveAspectRatio="xMinYMin meet" data-testid="size-bars">
                        <title>{t!("files-sizes", dir = dir.clone())}</title>
                        {dirs.iter().enumerate().map(|(i, d)| bar(d, i)).collect_view()}
                    </svg>
                }.into_any()
            }}
            <details data-testid="largest">
                <summary>{t!("files-largest", n = largest.len())}</summary>
                <table class="files">
                    <thead><tr><th>{t!("files-col-path")}</th><th>{t!("col-size")}</th><th>{t!("files-col-layer")}</th></tr></thead>
                    <tbody>
                        {largest.iter().map(|r| {
                            let open = link(&v, |q| q.path = Some(r.path.clone()));
                            view! {
                                <tr>
                                    <td><a href=open style="text-decoration:underline"><code>{r.path.clone()}</code></a></td>
                                    <td>{fmt.size(r.size)}</td>
                                    <td>{r.layer.map(|n| (n + 1).to_string()).unwrap_or_else(|| "—".into())}</td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
            </details>
        </section>
    }
}
