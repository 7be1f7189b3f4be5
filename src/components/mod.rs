//! Reusable view pieces.

pub mod copy_button;
pub mod error_view;
pub mod header;
pub mod page_data;

pub use copy_button::CopyButton;
pub use error_view::ErrorView;
pub use header::AppHeader;
