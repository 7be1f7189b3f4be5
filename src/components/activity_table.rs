use leptos::prelude::*;

use crate::components::LongName;
use crate::format;
use crate::i18n::Fmt;
use crate::model::ActivityRow;
use crate::routes::{repo_path, tag_path};
use crate::t;

/// Registry events as a table: when, what, where, who.
#[component]
pub fn ActivityTable(rows: Vec<ActivityRow>, now: i64) -> impl IntoView {
    let fmt = Fmt::current();
    view! {
        <table class="activity" data-testid="activity-table">
            <thead><tr>
                <th>{t!("col-when")}</th><th>{t!("col-action")}</th><th>{t!("col-repository")}</th><th>{t!("col-tag")}</th><th>{t!("col-digest")}</th>
                <th>{t!("col-registry-user")}</th><th>{t!("col-client")}</th>
            </tr></thead>
            <tbody>
                {rows.into_iter().map(|r| {
                    let tag = (!r.tag.is_empty()).then(|| {
                        let href = crate::routes::href(&tag_path(&r.repository, &r.tag));
                        view! { <a href=href><LongName name=r.tag.clone()/></a> }
                    });
                    let secs = r.at_ms.div_euclid(1000);
                    view! {
                        <tr data-action=r.action.clone() data-event-repository=r.repository.clone() data-event-tag=r.tag.clone()>
                            <td class="when"><time title=fmt.instant(r.at_ms)>{fmt.relative(now, secs)}</time></td>
                            <td><span class=format!("badge event-{}", r.action)>{event_label(&r.action)}</span></td>
                            <td><a href=crate::routes::href(&repo_path(&r.repository))><LongName name=r.repository.clone()/></a></td>
                            <td>{tag}</td>
                            <td><code title=r.digest.clone()>{format::short_digest(&r.digest)}</code></td>
                            <td>{if r.actor.is_empty() { "—".to_string() } else { r.actor }}</td>
                            <td><code>{r.client_addr}</code></td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
    }
}

/// An event's action as the UI names it.
fn event_label(action: &str) -> String {
    match action {
        "push" => t!("event-push"),
        "pull" => t!("event-pull"),
        "delete" => t!("event-delete"),
        other => other.to_string(),
    }
}

/// The line shown when Berth takes no registry notifications.
#[component]
pub fn EventsOff() -> impl IntoView {
    view! {
        <p class="empty" data-testid="events-off">
            {t!("events-off-1")}" "<code>"notifications.endpoints"</code>" "{t!("events-off-2")}" "
            <code>{crate::routes::href("/events")}</code>{t!("events-off-3")}
        </p>
    }
}
