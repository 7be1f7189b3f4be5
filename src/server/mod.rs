//! Server-only wiring: configuration, state, sessions, login, the data
//! services behind server functions, and the axum router.

pub mod config;
pub mod deadline;
pub mod deletion;
pub mod forms;
pub mod guard;
pub mod htpasswd;
pub mod inventory;
pub mod router;
pub mod session;
pub mod state;
