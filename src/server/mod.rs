//! Server-only wiring: configuration, state, sessions, login, the data
//! services behind server functions, and the axum router.

pub mod activity;
pub mod api_status;
pub mod artifacts;
pub mod audit;
pub mod audit_pages;
pub mod capabilities;
pub mod client_ip;
pub mod clock;
pub mod config;
pub mod delete_plan;
pub mod deletion;
pub mod events;
pub mod forms;
pub mod guard;
pub mod health;
pub mod housekeeping;
pub mod htpasswd;
pub mod index_children;
pub mod inventory;
pub mod limits;
pub mod list_cache;
pub mod login_throttle;
pub mod repository_tags;
pub mod request_id;
pub mod router;
pub mod security_headers;
pub mod serve;
pub mod session;
pub mod signature_tags;
pub mod state;
pub mod table_pages;
pub mod tag_detail;
pub mod tag_removal;
