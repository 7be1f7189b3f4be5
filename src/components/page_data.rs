use leptos::prelude::*;

use crate::error::AppError;
use crate::model::Viewer;

/// The logged-in viewer, loaded once per page load and shared by context.
#[derive(Clone, Copy)]
pub struct ViewerResource(pub Resource<Result<Viewer, AppError>>);
