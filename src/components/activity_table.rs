use leptos::prelude::*;

use crate::format;
use crate::model::ActivityRow;
use crate::routes::{repo_path, tag_path};

/// Registry events as a table: when, what, where, who.
#[component]
pub fn ActivityTable(rows: Vec<ActivityRow>, now: i64) -> impl IntoView {
    view! {
        <table class="activity" data-testid="activity-table">
            <thead><tr>
                <th>"When"</th><th>"Action"</th><th>"Repository"</th><th>"Tag"</th><th>"Digest"</th>
                <th>"Registry user"</th><th>"Client"</th>
            </tr></thead>
            <tbody>
                {rows.into_iter().map(|r| {
                    let tag = (!r.tag.is_empty()).then(|| {
                        let href = crate::routes::href(&tag_path(&r.repository, &r.tag));
                        view! { <a href=href>{r.tag.clone()}</a> }
                    });
                    let secs = r.at_ms.div_euclid(1000);
                    view! {
                        <tr data-action=r.action.clone() data-event-repository=r.repository.clone() data-event-tag=r.tag.clone()>
                            <td class="when"><time title=format::instant(r.at_ms)>{format::relative(now, secs)}</time></td>
                            <td><span class=format!("badge event-{}", r.action)>{r.action.clone()}</span></td>
                            <td><a href=crate::routes::href(&repo_path(&r.repository))>{r.repository.clone()}</a></td>
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

/// The line shown when Berth takes no registry notifications.
#[component]
pub fn EventsOff() -> impl IntoView {
    view! {
        <p class="empty" data-testid="events-off">
            "Berth takes no registry notifications, so there is no activity to show. Set BERTH_EVENTS_TOKEN and point the registry's "
            <code>"notifications.endpoints"</code>" at Berth's "<code>{crate::routes::href("/events")}</code>" (see the README)."
        </p>
    }
}
