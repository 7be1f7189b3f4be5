//! One file per route.

mod activity;
mod audit;
mod compare;
mod dashboard;
mod delete;
mod files;
mod login;
mod not_found;
mod registry_info;
mod repo_router;
mod repos;
mod retention;
mod retention_run;
mod search;
mod storage;
mod tag;
mod tag_rows;
mod tags;

pub use activity::ActivityPage;
pub use audit::AuditPage;
pub use compare::ComparePage;
pub use delete::DeletePage;
pub use files::FilesPage;
pub use login::LoginPage;
pub use not_found::NotFound;
pub use registry_info::RegistryInfoPage;
pub use repo_router::RepoRouter;
pub use repos::ReposPage;
pub use retention::RetentionPage;
pub use retention_run::RetentionRunPage;
pub use search::SearchPage;
pub use storage::StoragePage;
pub use tag::TagPage;
pub use tags::TagsPage;
