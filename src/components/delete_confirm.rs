//! The confirmation form for a delete plan, shared by the delete page and
//! the in-page dialog: digests, sibling tags, and progress while deleting.

use leptos::either::Either;
use leptos::prelude::*;

use crate::format;
use crate::model::DeletePlan;
use crate::routes::repo_path;

#[derive(Clone, PartialEq)]
enum Progress {
    Idle,
    Running {
        done: usize,
        total: usize,
    },
    Finished {
        deleted: usize,
        error: Option<String>,
    },
}

/// Sibling tags the dialog names before "and N more" (which opens to the
/// rest): a digest may carry hundreds. The delete page names them all.
const SIBLINGS_NAMED: usize = 20;

/// The "also removed" cell.
fn siblings(mut tags: Vec<String>, in_dialog: bool, more: &str) -> impl IntoView {
    if tags.is_empty() {
        return Either::Left("—".to_string());
    }
    if !in_dialog || tags.len() <= SIBLINGS_NAMED {
        return Either::Left(tags.join(", "));
    }
    let rest = tags.split_off(SIBLINGS_NAMED);
    Either::Right(view! {
        <span data-testid="siblings-named">{tags.join(", ")}</span>
        " "
        <details data-testid="more-siblings">
            <summary>{more.replace("{n}", &rest.len().to_string())}</summary>
            {rest.join(", ")}
        </details>
    })
}

#[component]
pub fn DeleteConfirm(
    plan: DeletePlan,
    csrf: String,
    /// In the dialog, "Close" replaces the link back to the repository.
    #[prop(optional)]
    in_dialog: bool,
    /// Told how many manifests went, once a delete in place has finished.
    #[prop(optional)]
    on_deleted: Option<Callback<usize>>,
) -> impl IntoView {
    let texts = plan.texts.clone();
    let more_tags = texts.more_tags.clone();
    let repo = plan.repository.clone();
    let back = crate::routes::href(&repo_path(&repo));
    let digests: Vec<String> = plan.targets.iter().map(|t| t.digest.clone()).collect();
    let total = digests.len();
    let any_siblings = plan.targets.iter().any(|t| !t.sibling_tags.is_empty());
    let any_index = plan.targets.iter().any(|t| t.is_index);
    let chosen: Vec<String> = plan
        .targets
        .iter()
        .flat_map(|t| t.chosen_tags.clone())
        .collect();
    let can_remove_tags_only = plan.can_remove_tags_only;
    let progress = RwSignal::new(Progress::Idle);
    let csrf_for_tags = csrf.clone();
    let deleting = plan.texts.deleting.clone();
    let deleted_text = if plan.targets.len() == 1 {
        plan.texts.deleted_one.clone()
    } else {
        plan.texts.deleted.clone()
    };

    // With JavaScript, delete one digest at a time and show progress; without
    // it, the form posts to /actions/delete and the server redirects back.
    let on_submit = {
        let (repo, csrf, digests) = (repo.clone(), csrf.clone(), digests.clone());
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            if matches!(progress.get_untracked(), Progress::Running { .. }) {
                return;
            }
            let (repo, csrf, digests) = (repo.clone(), csrf.clone(), digests.clone());
            leptos::task::spawn_local(async move {
                let mut deleted = 0;
                let mut error = None;
                for d in &digests {
                    progress.set(Progress::Running {
                        done: deleted,
                        total: digests.len(),
                    });
                    match crate::api::delete_manifest(repo.clone(), d.clone(), csrf.clone()).await {
                        Ok(()) => deleted += 1,
                        Err(e) => {
                            error = Some(e.to_string());
                            break;
                        }
                    }
                }
                progress.set(Progress::Finished { deleted, error });
                if let Some(cb) = on_deleted.filter(|_| deleted > 0) {
                    cb.run(deleted);
                }
            });
        }
    };

    view! {
        {any_siblings.then(|| view! {
            <p class="flash warn" role="alert" data-testid="sibling-warning">
                {texts.sibling_warning.clone()}
            </p>
        })}
        {any_index.then(|| view! {
            <p class="flash warn" data-testid="index-note">
                {texts.index_note.clone()}
            </p>
        })}
        <table class="plan">
            <thead><tr><th>{texts.col_digest.clone()}</th><th>{texts.col_chosen.clone()}</th><th>{texts.col_also.clone()}</th></tr></thead>
            <tbody>
                {plan.targets.into_iter().map(|t| { let index_badge = texts.index_badge.clone(); view! {
                    <tr>
                        <td><code title=t.digest.clone()>{format::short_digest(&t.digest)}</code>{t.is_index.then(|| view! { " " <span class="badge">{index_badge}</span> })}</td>
                        <td>{t.chosen_tags.join(", ")}</td>
                        <td class="siblings">{siblings(t.sibling_tags, in_dialog, &more_tags)}</td>
                    </tr>
                }}).collect_view()}
            </tbody>
        </table>
        <p class="frees" data-testid="frees">{texts.frees.clone()}</p>
        <p class="hint">{texts.hint.clone()}</p>
        {move || match progress.try_get().unwrap_or(Progress::Idle) {
            Progress::Idle => None,
            Progress::Running { done, total } => Some(Either::Left(view! {
                <p class="progress" role="status"><progress max=total value=done></progress>{format!(" {}", deleting.replace("{n}", &(done + 1).to_string()).replace("{total}", &total.to_string()))}</p>
            })),
            Progress::Finished { deleted, error } => Some(Either::Right(view! {
                <div role="status">
                    <p class="flash ok">{deleted_text.replace("{deleted}", &deleted.to_string()).replace("{total}", &total.to_string())}</p>
                    {error.map(|e| view! { <p class="flash error" role="alert">{e}</p> })}
                </div>
            })),
        }}
        <form method="post" action=crate::routes::href("/actions/delete") on:submit=on_submit class="confirm">
            <input type="hidden" name="repository" value=repo.clone()/>
            <input type="hidden" name="csrf" value=csrf/>
            {digests.into_iter().map(|d| view! { <input type="hidden" name="digest" value=d/> }).collect_view()}
            <button type="submit" class="danger" disabled=move || !matches!(progress.try_get(), Some(Progress::Idle) | None)>
                {texts.delete_button.clone()}
            </button>
            {(!in_dialog).then(|| view! { " " <a href=back>{texts.back.clone()}</a> })}
        </form>
        {can_remove_tags_only.then(|| {
            view! {
                <form method="post" action=crate::routes::href("/actions/remove-tags") class="confirm tags-only" data-testid="remove-tags-only">
                    <p class="hint">{texts.tags_only_hint.clone()}</p>
                    <input type="hidden" name="repository" value=repo.clone()/>
                    <input type="hidden" name="csrf" value=csrf_for_tags.clone()/>
                    {chosen.into_iter().map(|t| view! { <input type="hidden" name="tag" value=t/> }).collect_view()}
                    <button type="submit">{texts.tags_only_button.clone()}</button>
                </form>
            }
        })}
    }
}

/// The delete page's confirmation as an island, so that with JavaScript it
/// deletes in place with progress (the plan is a few rows, not a table).
#[island]
pub fn DeleteConfirmIsland(plan: DeletePlan, csrf: String) -> impl IntoView {
    view! { <DeleteConfirm plan csrf/> }
}
