//! Reusable view pieces.

pub mod activity_table;
pub mod copy_button;
pub mod delete_confirm;
pub mod delete_dialog;
pub mod error_view;
pub mod header;
pub mod page_data;
pub mod pager;

pub use activity_table::{ActivityTable, EventsOff};
pub use copy_button::CopyButton;
pub use delete_confirm::DeleteConfirm;
pub use delete_dialog::DeleteDialog;
pub use error_view::ErrorView;
pub use header::AppHeader;
pub use pager::Pager;
