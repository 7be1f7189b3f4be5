use leptos::prelude::*;
use leptos_meta::Title;

use crate::components::ErrorView;
use crate::error::AppError;

#[component]
pub fn NotFound() -> impl IntoView {
    view! {
        <Title text=crate::t!("page-title", page = crate::t!("error-title-not-found"))/>
        <ErrorView error=AppError::NotFound(crate::t!("error-no-page"))/>
    }
}
