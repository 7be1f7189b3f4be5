use leptos::prelude::*;
use leptos_meta::Title;

use crate::components::ErrorView;
use crate::error::AppError;

#[component]
pub fn NotFound() -> impl IntoView {
    view! {
        <Title text="Not found · Berth"/>
        <ErrorView error=AppError::NotFound("There is no page at this address.".into())/>
    }
}
