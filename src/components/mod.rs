//! Reusable view pieces.

pub mod activity_table;
pub mod charts;
pub mod copy_button;
pub mod delete_confirm;
pub mod delete_dialog;
pub mod error_view;
pub mod header;
pub mod island_loader;
pub mod keyboard;
pub mod long_name;
pub mod page_data;
pub mod pager;
pub mod repo_filter;
pub mod search_box;
pub mod tag_actions;

pub use activity_table::{ActivityTable, EventsOff};
pub use copy_button::{CopyButton, CopyWords, Copyable};
pub use delete_confirm::{DeleteConfirm, DeleteConfirmIsland};
pub use delete_dialog::DeleteDialog;
pub use error_view::ErrorView;
pub use header::AppHeader;
pub use island_loader::IslandScripts;
pub use keyboard::KeyboardShortcuts;
pub use long_name::LongName;
pub use pager::Pager;
pub use repo_filter::{FilterWords, RepoFilter};
pub use search_box::{SearchBox, SearchWords};
pub use tag_actions::TagActions;
