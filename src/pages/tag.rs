use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::get_tag;
use crate::components::page_data::ViewerResource;
use crate::components::{CopyButton, ErrorView};
use crate::format;
use crate::model::{ImageView, TagBody, TagDetail};
use crate::routes::{delete_path, repo_path};

/// One tag: pull command, digest, media type, size, date; per platform the
/// config, layers (with a bar for each one's share) and history; raw JSON.
#[component]
pub fn TagPage(repo: String, tag: String) -> impl IntoView {
    let viewer = expect_context::<ViewerResource>().0;
    let key = (repo.clone(), tag.clone());
    let data = Resource::new(move || key.clone(), |(r, t)| get_tag(r, t));
    let title = format!("{repo}:{tag} · Berth");
    view! {
        <Title text=title/>
        <nav class="crumbs"><a href="/">"Repositories"</a>" / "<a href=repo_path(&repo)>{repo.clone()}</a>" / "<span>{tag.clone()}</span></nav>
        <Suspense fallback=|| view! { <p class="loading">"Loading tag…"</p> }>
            {move || Suspend::new(async move {
                let can_delete = viewer.await.map(|v| v.can_delete).unwrap_or(false);
                match data.await {
                    Err(error) => view! { <ErrorView error/> }.into_any(),
                    Ok(detail) => view! { <Detail detail can_delete/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Detail(detail: TagDetail, can_delete: bool) -> impl IntoView {
    let d = detail;
    let pull = format!("docker pull {}/{}:{}", d.pull_host, d.repository, d.tag);
    let delete_href = delete_path(&d.repository, std::slice::from_ref(&d.tag));
    let now = d.now;
    view! {
        <h1>{format!("{}:{}", d.repository, d.tag)}</h1>
        <dl class="facts">
            <dt>"Pull"</dt><dd><CopyButton text=pull/></dd>
            <dt>"Digest"</dt><dd><code data-testid="digest">{d.digest.clone()}</code></dd>
            <dt>"Media type"</dt><dd><code>{d.media_type.clone()}</code></dd>
            <dt>"Total size"</dt><dd>{d.total_size.map(format::size).unwrap_or_else(|| "unknown".into())}</dd>
            <dt>"Created"</dt><dd>{d.created.map(|t| format!("{} ({})", format::date(t), format::relative(now, t))).unwrap_or_else(|| "unknown".into())}</dd>
            {(!d.shares_digest_with.is_empty()).then(|| view! {
                <dt>"Same digest"</dt><dd class="shared">{d.shares_digest_with.join(", ")}</dd>
            })}
        </dl>
        {can_delete.then(|| view! { <p><a class="button danger" href=delete_href>"Delete this image…"</a></p> })}
        {match d.body {
            TagBody::Image(image) => view! { <Image image now/> }.into_any(),
            TagBody::Index(entries) => view! {
                <h2>{format!("Platforms ({})", entries.len())}</h2>
                {entries.into_iter().map(|e| view! {
                    <section class="platform">
                        <h3>{e.platform.clone()} " " <code>{format::short_digest(&e.digest)}</code></h3>
                        {e.error.map(|m| view! { <p class="row-error missing">{m}</p> })}
                        {e.image.map(|image| view! { <Image image now/> })}
                    </section>
                }).collect_view()}
            }.into_any(),
            TagBody::Other => view! { <p class="notice">"Berth does not interpret this media type; the raw manifest is below."</p> }.into_any(),
        }}
        <details class="raw">
            <summary>"Raw manifest JSON"</summary>
            <pre>{d.raw_manifest}</pre>
        </details>
    }
}

#[component]
fn Image(image: ImageView, now: i64) -> impl IntoView {
    let c = image.config;
    let total: u64 = image.layers.iter().map(|l| l.size).sum::<u64>().max(1);
    let list = |items: Vec<String>| {
        if items.is_empty() {
            "—".to_string()
        } else {
            items.join(" ")
        }
    };
    view! {
        <h3>"Config"</h3>
        <dl class="facts config">
            <dt>"Platform"</dt><dd>{c.platform.clone()}</dd>
            <dt>"Size"</dt><dd>{format::size(image.size)}</dd>
            <dt>"Created"</dt><dd>{image.created.map(|t| format!("{} ({})", format::date(t), format::relative(now, t))).unwrap_or_else(|| "unknown".into())}</dd>
            <dt>"Entrypoint"</dt><dd><code>{list(c.entrypoint)}</code></dd>
            <dt>"Cmd"</dt><dd><code>{list(c.cmd)}</code></dd>
            <dt>"Working dir"</dt><dd>{c.working_dir.unwrap_or_else(|| "—".into())}</dd>
            <dt>"User"</dt><dd>{c.user.unwrap_or_else(|| "—".into())}</dd>
            <dt>"Exposed ports"</dt><dd>{list(c.exposed_ports)}</dd>
            <dt>"Env"</dt><dd><ul class="plain">{c.env.into_iter().map(|e| view! { <li><code>{e}</code></li> }).collect_view()}</ul></dd>
            <dt>"Labels"</dt><dd><ul class="plain">{c.labels.into_iter().map(|(k, v)| view! { <li><code>{k}"="{v}</code></li> }).collect_view()}</ul></dd>
        </dl>
        <h3>{format!("Layers ({})", image.layers.len())}</h3>
        <table class="layers">
            <thead><tr><th>"#"</th><th>"Digest"</th><th>"Size"</th><th>"Share"</th></tr></thead>
            <tbody>
                {image.layers.into_iter().enumerate().map(|(i, l)| {
                    let pct = l.size as f64 * 100.0 / total as f64;
                    view! {
                        <tr>
                            <td>{i + 1}</td>
                            <td><code title=l.digest.clone()>{format::short_digest(&l.digest)}</code></td>
                            <td>{format::size(l.size)}</td>
                            <td class="bar-cell"><span class="bar" style=format!("width:{pct:.1}%")></span><small>{format!("{pct:.1}%")}</small></td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
        <h3>"History"</h3>
        <ol class="history">
            {image.history.into_iter().map(|h| view! {
                <li class:empty-layer=h.empty_layer>
                    <code>{h.created_by}</code>
                    {h.empty_layer.then(|| view! { <span class="badge">"empty layer"</span> })}
                </li>
            }).collect_view()}
        </ol>
    }
}
