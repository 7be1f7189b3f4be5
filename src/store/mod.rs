//! The database: one place for what Berth must keep across restarts and
//! share between replicas. An embedded SQLite file by default; PostgreSQL
//! for several replicas. Migrations are embedded in the binary and run at
//! start-up (and by `berth migrate`).
//!
//! No Leptos and no registry calls in here: plain data in, plain data out.

pub mod audit;
pub mod changes;
pub mod database;
pub mod secret;
pub mod sessions;

pub use changes::Change;
pub use database::Database;
pub use secret::SecretKey;
pub use sessions::SessionBackend;
