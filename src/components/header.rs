use leptos::prelude::*;
use leptos_router::hooks::use_location;

use crate::components::page_data::ViewerResource;
use crate::components::{SearchBox, SearchWords};
use crate::i18n::{self, Locale};
use crate::prefs::{self, Theme};
use crate::routes::{encode, href};
use crate::t;

/// The top bar: product name, the main sections, the search box, the theme and language
/// switches, who is logged in with their role, and log out.
#[component]
pub fn AppHeader() -> impl IntoView {
    let viewer = expect_context::<ViewerResource>().0;
    let location = use_location();
    // The page to come back to after switching theme (an app path).
    // The router's `search` comes without its "?".
    let search = location.search.get_untracked();
    let here = match search.trim_start_matches('?') {
        "" => location.pathname.get_untracked(),
        q => format!("{}?{q}", location.pathname.get_untracked()),
    };
    let section = location.pathname.get_untracked();
    let current = move |prefix: &str| {
        let on = if prefix == "/" {
            section == "/" || section.starts_with("/r/")
        } else {
            section.starts_with(prefix)
        };
        on.then_some("page")
    };
    let theme = prefs::theme();
    let theme_links = Theme::ALL
        .into_iter()
        .map(|t| {
            let link = href(&format!("/prefs?theme={}&next={}", t.key(), encode(&here)));
            view! { <a href=link aria-current=(t == theme).then_some("true") data-theme-choice=t.key()>{t.label()}</a> }
        })
        .collect_view();
    // Each language named in itself, so anyone can find their own.
    let locale = i18n::locale();
    let language_links = Locale::ALL
        .into_iter()
        .map(|l| {
            let link = href(&format!("/prefs?lang={}&next={}", l.tag(), encode(&here)));
            view! {
                <a href=link lang=l.tag() hreflang=l.tag() aria-current=(l == locale).then_some("true")
                    data-lang-choice=l.tag()>{i18n::text_in(l, "language-name", &[])}</a>
            }
        })
        .collect_view();
    view! {
        <header class="top">
            <a class="brand" href=href("/")>"Berth"</a>
            <Suspense fallback=|| ()>
                {move || {
                    let current = current.clone();
                    Suspend::new(async move {
                        viewer.await.ok().map(|v| {
                            let is_admin = v.role == crate::model::Role::Admin;
                            view! {
                                <nav class="main" aria-label=t!("nav-label")>
                                    <a href=href("/") aria-current=current("/")>{t!("nav-repositories")}</a>
                                    <a href=href("/activity") aria-current=current("/activity")>{t!("nav-activity")}</a>
                                    <a href=href("/storage") aria-current=current("/storage")>{t!("nav-storage")}</a>
                                    {is_admin.then(|| view! {
                                        <a href=href("/admin/registry") aria-current=current("/admin/registry")>{t!("nav-registry")}</a>
                                        <a href=href("/admin/audit") aria-current=current("/admin/audit")>{t!("nav-audit")}</a>
                                        <a href=href("/admin/retention") aria-current=current("/admin/retention")>{t!("nav-retention")}</a>
                                    })}
                                </nav>
                                // A plain GET form; with JavaScript, matches show as you type.
                                <SearchBox action=href("/search") words=SearchWords::current()/>
                            }
                        })
                    })
                }}
            </Suspense>
            <span class="spacer"></span>
            <nav class="prefs" aria-label=t!("theme-switch-label") data-testid="theme-switch">{theme_links}</nav>
            <nav class="prefs" aria-label=t!("language-switch-label") data-testid="language-switch">{language_links}</nav>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    viewer.await.ok().map(|v| {
                        let csrf = v.csrf.clone();
                        view! {
                            <span class="who">
                                <span class="user" data-testid="current-user">{v.username.clone()}</span>
                                <span class=format!("role role-{}", v.role.label())>{v.role.display()}</span>
                                {v.logged_in.then(|| view! {
                                    <form method="post" action=href("/auth/logout") class="logout">
                                        <input type="hidden" name="csrf" value=csrf/>
                                        <button type="submit">{t!("logout")}</button>
                                    </form>
                                })}
                            </span>
                        }
                    })
                })}
            </Suspense>
        </header>
    }
}
