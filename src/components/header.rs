use leptos::prelude::*;

use crate::components::page_data::ViewerResource;

/// The top bar: product name, who is logged in, their role, and log out.
#[component]
pub fn AppHeader() -> impl IntoView {
    let viewer = expect_context::<ViewerResource>().0;
    view! {
        <header class="top">
            <a class="brand" href=crate::routes::href("/")>"Berth"</a>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    viewer.await.ok().map(|v| {
                        let csrf = v.csrf.clone();
                        let is_admin = v.role == crate::model::Role::Admin;
                        view! {
                            <a class="nav" href=crate::routes::href("/activity")>"Activity"</a>
                            {is_admin.then(|| view! {
                                <a class="nav" href=crate::routes::href("/admin/registry")>"Registry"</a>
                                <a class="nav" href=crate::routes::href("/admin/audit")>"Audit log"</a>
                            })}
                            <span class="who">
                                <span class="user" data-testid="current-user">{v.username.clone()}</span>
                                <span class=format!("role role-{}", v.role.label())>{v.role.label()}</span>
                                {v.logged_in.then(|| view! {
                                    <form method="post" action=crate::routes::href("/auth/logout") class="logout">
                                        <input type="hidden" name="csrf" value=csrf/>
                                        <button type="submit">"Log out"</button>
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
