use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::get_tag;
use crate::components::page_data::ViewerResource;
use crate::components::{CopyButton, CopyWords, Copyable, ErrorView, LongName};
use crate::format;
use crate::i18n::Fmt;
use crate::model::{
    ArtifactView, AttestationView, ImageView, IndexEntry, LegacyView, ReferrerView,
    ReferrersTagView, SignatureView, TagBody, TagDetail,
};
use crate::pull_command::Puller;
use crate::routes::{delete_path, repo_path};
use crate::t;

/// One tag: pull command, digest, media type, size, date; per platform the
/// config, layers (with a bar for each one's share) and history; raw JSON.
#[component]
pub fn TagPage(repo: String, tag: String) -> impl IntoView {
    let viewer = expect_context::<ViewerResource>().0;
    let key = (repo.clone(), tag.clone());
    let title = t!("page-title", page = format!("{repo}:{tag}"));
    view! {
        <Title text=title/>
        <nav class="crumbs" aria-label=t!("crumbs-label")><a href=crate::routes::href("/")>{t!("nav-repositories")}</a>" / "<a href=crate::routes::href(&repo_path(&repo))>{repo.clone()}</a>" / "<span>{tag.clone()}</span></nav>
        <Suspense fallback=|| view! { <p class="loading">{t!("tag-loading")}</p> }>
            // Awaited directly, not through a Resource (see TagsPage).
            {move || {
                let (repo, tag) = key.clone();
                Suspend::new(async move {
                let can_delete = viewer.await.map(|v| v.can_delete).unwrap_or(false);
                match get_tag(repo, tag).await {
                    Err(error) => view! { <ErrorView error/> }.into_any(),
                    Ok(detail) => view! { <Detail detail can_delete/> }.into_any(),
                }
            })}}
        </Suspense>
    }
}

#[component]
fn Detail(detail: TagDetail, can_delete: bool) -> impl IntoView {
    let d = detail;
    // By tag and by digest, with the client that can pull what it holds.
    let puller = match &d.body {
        TagBody::Artifact(a) if a.helm.is_some() => Puller::Helm,
        TagBody::Artifact(_) | TagBody::Signature(_) | TagBody::ReferrersTag(_) => Puller::Oras,
        _ => Puller::Docker,
    };
    let pull = puller.by_tag(&d.pull_host, &d.repository, &d.tag);
    let pull_digest = puller.by_digest(&d.pull_host, &d.repository, &d.digest);
    let delete_href =
        crate::routes::href(&delete_path(&d.repository, std::slice::from_ref(&d.tag)));
    let now = d.now;
    let fmt = Fmt::current();
    let copy = CopyWords::current();
    let copied = copy.done.clone();
    let copy_digest = copy.clone();
    view! {
        <h1><LongName name=format!("{}:{}", d.repository, d.tag)/></h1>
        <dl class="facts">
            <dt>{t!("col-pull")}</dt><dd data-copied=copied data-testid="pull-commands">
                <Copyable><CopyButton text=pull words=copy/></Copyable>
                <div class="pull-digest"><small>{t!("pull-by-digest")}</small>" "<Copyable><CopyButton text=pull_digest words=copy_digest/></Copyable></div>
            </dd>
            <dt>{t!("col-digest")}</dt><dd><code data-testid="digest">{d.digest.clone()}</code></dd>
            <dt>{t!("col-media-type")}</dt><dd><code>{d.media_type.clone()}</code></dd>
            <dt>{t!("tag-total-size")}</dt><dd>{d.total_size.map(|s| fmt.size(s)).unwrap_or_else(|| t!("unknown"))}</dd>
            <dt>{t!("col-created")}</dt><dd>{d.created.map(|t| format!("{} ({})", fmt.date(t), fmt.relative(now, t))).unwrap_or_else(|| t!("unknown"))}</dd>
            {(!d.shares_digest_with.is_empty()).then(|| view! {
                <dt>{t!("tag-same-digest")}</dt><dd class="shared" id="same-digest">{d.shares_digest_with.join(", ")}</dd>
            })}
        </dl>
        {d.read_only.clone().map(|m| view! { <p class="notice legacy" data-testid="read-only">{m}</p> })}
        // "Compare with…": a plain GET form to the compare page.
        // Only images and indexes are compared (a signature or chart is not).
        {(!d.other_tags.is_empty() && matches!(d.body, TagBody::Image(_) | TagBody::Index { .. })).then(|| view! {
            <form method="get" action=crate::routes::href(&format!("/r/{}/-/compare", d.repository)) class="filter" data-testid="compare-with">
                <input type="hidden" name="a" value=d.tag.clone()/>
                <label>{t!("compare-with")}
                    <select name="b">
                        {d.other_tags.iter().map(|t| view! { <option value=t.clone()>{t.clone()}</option> }).collect_view()}
                    </select>
                </label>
                <button type="submit">{t!("tag-compare")}</button>
            </form>
        })}
        {(!d.signatures.is_empty()).then(|| view! {
            <section class="signatures" data-testid="signatures">
                <h2>{t!("tag-signed")}</h2>
                <p>{t!("tag-signed-intro")}</p>
                <ul class="plain">
                    {d.signatures.iter().map(|s| view! {
                        <li><span class="badge signed">{s.kind.clone()}</span> " " <a href=crate::routes::href(&crate::routes::tag_path(&d.repository, &s.tag))><code>{s.tag.clone()}</code></a></li>
                    }).collect_view()}
                </ul>
            </section>
        })}
        {d.referrers.clone().map(|r| view! {
            <section class="referrers" data-testid="referrers">
                <h2>{t!("tag-referrers", n = r.items.len())}</h2>
                <p><small>{t!("tag-referrers-source", source = r.source)}</small></p>
                <ReferrerTable items=r.items/>
            </section>
        })}
        {match d.body {
            TagBody::Image(image) => view! { <Image image now nested=false repo=d.repository.clone() tag=d.tag.clone() platform=None/> }.into_any(),
            TagBody::Index { entries, orphan_attestations } => view! {
                <h2>{t!("tag-platforms", n = entries.len())}</h2>
                <PlatformPicker entries now repo=d.repository.clone() tag=d.tag.clone()/>
                {(!orphan_attestations.is_empty()).then(|| view! {
                    <h2>{t!("tag-orphan-attestations")}</h2>
                    {orphan_attestations.into_iter().map(|a| view! { <Attestation a/> }).collect_view()}
                })}
            }.into_any(),
            TagBody::Artifact(a) => view! { <Artifact a/> }.into_any(),
            TagBody::Signature(sig) => view! { <Signature sig repo=d.repository.clone()/> }.into_any(),
            TagBody::ReferrersTag(r) => view! { <ReferrersTag r repo=d.repository.clone()/> }.into_any(),
            TagBody::Legacy(l) => view! { <Legacy l/> }.into_any(),
            TagBody::Other => view! { <p class="notice">{t!("tag-other-media-type")}</p> }.into_any(),
        }}
        <details class="raw">
            <summary>{t!("tag-raw-manifest")}</summary>
            <pre>{d.raw_manifest}</pre>
        </details>
        // Last: nothing to delete by accident on the way to the facts.
        {(can_delete && d.read_only.is_none()).then(|| view! { <p class="tag-delete"><a class="button danger" href=delete_href data-testid="tag-delete">{t!("tag-delete")}</a></p> })}
    }
}

/// One platform of a multi-platform image at a time, as an OS/ARCH picker:
/// links (`?platform=`), so it works without JavaScript. The first is
/// linux/amd64 when there is one, else the first listed.
#[component]
fn PlatformPicker(entries: Vec<IndexEntry>, now: i64, repo: String, tag: String) -> impl IntoView {
    let asked = leptos_router::hooks::use_query_map()
        .get_untracked()
        .get("platform")
        .unwrap_or_default();
    let chosen = entries
        .iter()
        .position(|e| e.platform == asked)
        .or_else(|| entries.iter().position(|e| e.platform == "linux/amd64"))
        .unwrap_or(0);
    let here = crate::routes::tag_path(&repo, &tag);
    let links = (entries.len() > 1).then(|| {
        let links = entries
            .iter()
            .enumerate()
            .map(|(i, e)| {
                let href = crate::routes::href(&format!(
                    "{here}?platform={}",
                    crate::routes::encode(&e.platform)
                ));
                view! {
                    <a href=href class="platform-chip" class:missing=e.missing
                        aria-current=(i == chosen).then_some("true") data-testid="platform-choice">{e.platform.clone()}</a>
                }
            })
            .collect_view();
        view! { <nav class="platform-picker" aria-label=t!("tag-platform-picker")>{links}</nav> }
    });
    let entry = entries.into_iter().nth(chosen);
    view! {
        {links}
        {entry.map(|entry| view! { <Platform entry now repo tag/> })}
    }
}

#[component]
fn Platform(entry: IndexEntry, now: i64, repo: String, tag: String) -> impl IntoView {
    let e = entry;
    view! {
        <section class="platform" class:missing=e.missing data-platform=e.platform.clone()>
            <h3>{e.platform.clone()} " " <code>{format::short_digest(&e.digest)}</code>
                {e.missing.then(|| view! { " " <span class="badge missing">{t!("badge-missing")}</span> })}
                {e.attestation.is_some().then(|| view! { " " <span class="badge attested">{t!("badge-attested")}</span> })}
            </h3>
            {e.error.map(|m| view! { <p class="row-error missing">{m}</p> })}
            {e.attestation.map(|a| view! { <Attestation a/> })}
            {e.image.map(|image| view! { <Image image now nested=true repo tag platform=Some(e.platform.clone())/> })}
        </section>
    }
}

/// A buildx attestation, shown as belonging to its platform.
#[component]
fn Attestation(a: AttestationView) -> impl IntoView {
    let kinds = if a.predicate_types.is_empty() {
        t!("tag-no-predicate")
    } else {
        a.predicate_types.join(", ")
    };
    view! {
        <div class="attestation" data-testid="attestation">
            <strong>{t!("tag-attestation")}</strong> " " <code title=a.digest.clone()>{format::short_digest(&a.digest)}</code>
            {a.subject.map(|s| view! { " "{t!("tag-attestation-for")}" " <code title=s.clone()>{format::short_digest(&s)}</code> })}
            <div><small>{kinds}</small></div>
            {a.error.map(|m| view! { <p class="row-error">{m}</p> })}
        </div>
    }
}

#[component]
fn Artifact(a: ArtifactView) -> impl IntoView {
    view! {
        <section class="artifact" data-testid="artifact">
            <h2>{if a.helm.is_some() { t!("tag-helm-chart") } else { t!("tag-oci-artifact") }}</h2>
            <p class="notice">{t!("tag-artifact-notice")}</p>
            <dl class="facts">
                {a.helm.map(|h| view! {
                    <dt>{t!("tag-chart")}</dt><dd data-testid="chart-name">{h.name}</dd>
                    <dt>{t!("tag-version")}</dt><dd data-testid="chart-version">{h.version}</dd>
                    {h.app_version.map(|v| view! { <dt>{t!("tag-app-version")}</dt><dd>{v}</dd> })}
                    {h.description.map(|v| view! { <dt>{t!("tag-description")}</dt><dd>{v}</dd> })}
                })}
                <dt>{t!("col-artifact-type")}</dt><dd><code data-testid="artifact-type">{a.artifact_type}</code></dd>
                <dt>{t!("tag-config-type")}</dt><dd><code>{a.config_media_type}</code></dd>
                <dt>{t!("col-size")}</dt><dd>{format::size(a.size)}</dd>
                {a.subject.map(|s| view! { <dt>{t!("tag-refers-to")}</dt><dd><code>{s}</code></dd> })}
            </dl>
            {(!a.annotations.is_empty()).then(|| view! {
                <h3>{t!("tag-annotations")}</h3>
                <ul class="plain">{a.annotations.into_iter().map(|(k, v)| view! { <li><code>{k}"="{v}</code></li> }).collect_view()}</ul>
            })}
            <h3>{t!("tag-blobs", n = a.layers.len())}</h3>
            <table class="layers">
                <thead><tr><th>{t!("col-media-type")}</th><th>{t!("col-digest")}</th><th>{t!("col-size")}</th></tr></thead>
                <tbody>
                    {a.layers.into_iter().map(|l| view! {
                        <tr><td><code>{l.media_type}</code></td><td><code title=l.digest.clone()>{format::short_digest(&l.digest)}</code></td><td>{format::size(l.size)}</td></tr>
                    }).collect_view()}
                </tbody>
            </table>
        </section>
    }
}

/// "the image it signs": the digest, linked to its tags here.
#[component]
fn Subject(repo: String, subject: Option<String>, tags: Vec<String>) -> impl IntoView {
    match subject {
        None => view! { <dd>{t!("unknown")}</dd> }.into_any(),
        Some(digest) => view! {
            <dd data-testid="subject">
                <code>{digest}</code>
                {(!tags.is_empty()).then(|| view! {
                    <br/>{t!("signature-subject-tags")}" "
                    {tags.into_iter().enumerate().map(|(i, t)| view! {
                        {(i > 0).then_some(", ")}
                        <a href=crate::routes::href(&crate::routes::tag_path(&repo, &t))><LongName name=t.clone()/></a>
                    }).collect_view()}
                })}
            </dd>
        }.into_any(),
    }
}

#[component]
fn Signature(sig: SignatureView, repo: String) -> impl IntoView {
    view! {
        <section class="signature" data-testid="signature">
            <h2>{t!("signature-title")}</h2>
            <p class="notice">{t!("signature-notice")}</p>
            <dl class="facts">
                <dt>{t!("signature-signs")}</dt>
                <Subject repo subject=sig.subject tags=sig.subject_tags/>
                <dt>{t!("signature-count")}</dt><dd>{sig.signatures.len()}</dd>
            </dl>
            {sig.signatures.into_iter().enumerate().map(|(i, e)| view! {
                <section class="signature-entry" data-testid="signature-entry">
                    <h3>{t!("signature-n", n = i + 1)}" "<code title=e.digest.clone()>{format::short_digest(&e.digest)}</code></h3>
                    <dl class="facts">
                        <dt>{t!("col-media-type")}</dt><dd><code>{e.media_type}</code></dd>
                        {e.payload.map(|p| view! {
                            <dt>{t!("signature-identity")}</dt><dd><code data-testid="signature-identity">{p.docker_reference}</code></dd>
                            <dt>{t!("signature-digest")}</dt><dd><code>{p.manifest_digest}</code></dd>
                            <dt>{t!("signature-type")}</dt><dd>{p.kind}</dd>
                            {(!p.optional.is_empty()).then(|| view! {
                                <dt>{t!("signature-claims")}</dt>
                                <dd><ul class="plain">{p.optional.into_iter().map(|(k, v)| view! { <li><code>{k}"="{v}</code></li> }).collect_view()}</ul></dd>
                            })}
                        })}
                        {e.error.map(|m| view! { <dt>{t!("signature-payload")}</dt><dd class="row-error">{m}</dd> })}
                        {(!e.annotations.is_empty()).then(|| view! {
                            <dt>{t!("tag-annotations")}</dt>
                            <dd><ul class="plain" data-testid="signature-annotations">{e.annotations.into_iter().map(|(k, v)| view! { <li><code>{k}"="{v}</code></li> }).collect_view()}</ul></dd>
                        })}
                    </dl>
                </section>
            }).collect_view()}
        </section>
    }
}

/// Artifacts that refer to an image: type, digest, size.
#[component]
fn ReferrerTable(items: Vec<ReferrerView>) -> impl IntoView {
    view! {
        <table class="layers">
            <thead><tr><th>{t!("col-artifact-type")}</th><th>{t!("col-digest")}</th><th>{t!("col-size")}</th></tr></thead>
            <tbody>
                {items.into_iter().map(|i| view! {
                    <tr><td><code>{i.artifact_type}</code></td><td><code title=i.digest.clone()>{format::short_digest(&i.digest)}</code></td><td>{format::size(i.size)}</td></tr>
                }).collect_view()}
            </tbody>
        </table>
    }
}

#[component]
fn ReferrersTag(r: ReferrersTagView, repo: String) -> impl IntoView {
    view! {
        <section class="referrers-tag" data-testid="referrers-tag">
            <h2>{t!("referrers-tag-title")}</h2>
            <p class="notice">{t!("referrers-tag-notice")}</p>
            <dl class="facts">
                <dt>{t!("referrers-tag-subject")}</dt>
                <Subject repo subject=r.subject tags=r.subject_tags/>
            </dl>
            <ReferrerTable items=r.items/>
        </section>
    }
}

#[component]
fn Legacy(l: LegacyView) -> impl IntoView {
    view! {
        <section class="legacy" data-testid="legacy">
            <h2>{t!("tag-legacy-title")}</h2>
            <dl class="facts">
                <dt>{t!("tag-name")}</dt><dd>{l.name}":"{l.tag}</dd>
                <dt>{t!("tag-architecture")}</dt><dd>{l.architecture}</dd>
                <dt>{t!("tag-layers-count")}</dt><dd>{l.layer_count}</dd>
                <dt>{t!("tag-signed")}</dt><dd>{if l.signed { t!("tag-signed-jws") } else { t!("verdict-no") }}</dd>
            </dl>
        </section>
    }
}

#[component]
fn Image(
    image: ImageView,
    now: i64,
    /// Inside a platform's section (h3), so its headings are h4, not h2:
    /// heading levels go down one at a time.
    nested: bool,
    repo: String,
    tag: String,
    /// The index's platform this image is, for the files links.
    platform: Option<String>,
) -> impl IntoView {
    let heading = move |text: String| {
        if nested {
            view! { <h4>{text}</h4> }.into_any()
        } else {
            view! { <h2>{text}</h2> }.into_any()
        }
    };
    let c = image.config;
    // Sizes come from the registry: saturate rather than overflow.
    let total: u64 = image
        .layers
        .iter()
        .map(|l| l.size)
        .fold(0u64, u64::saturating_add)
        .max(1);
    let list = |items: Vec<String>| {
        if items.is_empty() {
            "—".to_string()
        } else {
            items.join(" ")
        }
    };
    let fmt = Fmt::current();
    let sizes: Vec<u64> = image.layers.iter().map(|l| l.size).collect();
    // Unique per image: a multi-platform page shows several layer tables.
    let anchor = format!("layer-{}", format::short_digest(&image.digest));
    let files = move |layer: Option<usize>| {
        let q = crate::model::files::FilesQuery {
            layer,
            platform: platform.clone(),
            ..Default::default()
        };
        crate::routes::href(&crate::routes::files_path(&repo, &tag, &q))
    };
    let all_files = files(None);
    view! {
        {heading(t!("tag-config"))}
        <dl class="facts config">
            <dt>{t!("tag-platform")}</dt><dd>{c.platform.clone()}</dd>
            <dt>{t!("col-size")}</dt><dd>{fmt.size(image.size)}</dd>
            <dt>{t!("col-created")}</dt><dd>{image.created.map(|t| format!("{} ({})", fmt.date(t), fmt.relative(now, t))).unwrap_or_else(|| t!("unknown"))}</dd>
            <dt>{t!("tag-entrypoint")}</dt><dd><code>{list(c.entrypoint)}</code></dd>
            <dt>{t!("tag-cmd")}</dt><dd><code>{list(c.cmd)}</code></dd>
            <dt>{t!("tag-working-dir")}</dt><dd>{c.working_dir.unwrap_or_else(|| "—".into())}</dd>
            <dt>{t!("tag-user")}</dt><dd>{c.user.unwrap_or_else(|| "—".into())}</dd>
            <dt>{t!("tag-exposed-ports")}</dt><dd>{list(c.exposed_ports)}</dd>
            <dt>{t!("tag-env")}</dt><dd><ul class="plain">{c.env.into_iter().map(|e| view! { <li><code>{e}</code></li> }).collect_view()}</ul></dd>
            <dt>{t!("tag-labels")}</dt><dd><ul class="plain">{c.labels.into_iter().map(|(k, v)| view! { <li><code>{k}"="{v}</code></li> }).collect_view()}</ul></dd>
        </dl>
        {heading(t!("tag-layers", n = image.layers.len()))}
        <p><a href=all_files style="text-decoration:underline" data-testid="browse-files">{t!("tag-browse-files")}</a></p>
        <table class="layers">
            <thead><tr><th>"#"</th><th>{t!("col-digest")}</th><th>{t!("col-size")}</th><th>{t!("col-share")}</th><th>{t!("tag-layer-files")}</th></tr></thead>
            <tbody>
                {image.layers.into_iter().enumerate().map(|(i, l)| {
                    let pct = l.size as f64 * 100.0 / total as f64;
                    view! {
                        <tr id=format!("{anchor}-{}", i + 1)>
                            <td>{i + 1}</td>
                            <td><code title=l.digest.clone()>{format::short_digest(&l.digest)}</code></td>
                            <td>{format::size(l.size)}</td>
                            <td class="bar-cell"><span class="bar" style=format!("width:{pct:.1}%")></span><small>{format!("{pct:.1}%")}</small></td>
                            <td><a href=files(Some(i)) style="text-decoration:underline">{t!("tag-layer-files")}</a></td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
        {heading(t!("tag-history"))}
        // The Dockerfile that made it: each step that made a layer is
        // linked to that layer (they come in the same order).
        <ol class="history dockerfile">
            {
                let mut next_layer = 0usize;
                image.history.into_iter().map(|h| {
                    let step = crate::dockerfile::instruction(&h.created_by);
                    let layer = (!h.empty_layer).then(|| {
                        next_layer += 1;
                        next_layer
                    });
                    let size = layer.and_then(|n| sizes.get(n - 1).copied());
                    view! {
                        <li class:empty-layer=h.empty_layer>
                            <code title=h.created_by.clone() style="white-space:pre-wrap">{if step.text.is_empty() { t!("tag-no-instruction") } else { step.text }}</code>
                            {(!step.args.is_empty()).then(|| view! { " "<small class="detail">{t!("tag-build-args", args = step.args.join(" "))}</small> })}
                            {h.empty_layer.then(|| view! { " "<span class="badge">{t!("tag-empty-layer")}</span> })}
                            {layer.map(|n| view! {
                                " "<a class="layer-ref" style="text-decoration:underline" href=format!("#{anchor}-{n}")>{t!("tag-layer-ref", n = n)}</a>
                                {size.map(|b| view! { " "<small class="detail">{format::size(b)}</small> })}
                            })}
                        </li>
                    }
                }).collect_view()
            }
        </ol>
    }
}
