//! The database: one place for what Berth must keep across restarts and
//! share between replicas. An embedded SQLite file by default; PostgreSQL
//! for several replicas. Migrations are embedded in the binary and run at
//! start-up (and by `berth migrate`).
//!
//! No Leptos and no registry calls in here: plain data in, plain data out.

/// Runs `$body` with `$pool` bound to whichever pool the database has; the
/// body is the same text for both, type-checked once per dialect.
macro_rules! on_pool {
    ($db:expr, |$pool:ident| $body:expr) => {
        match $db {
            Database::Sqlite($pool) => $body,
            Database::Postgres($pool) => $body,
        }
    };
}

macro_rules! bind_all {
    ($query:expr, $binds:expr) => {{
        let mut q = $query;
        for b in $binds {
            q = match b {
                Bind::Text(s) => q.bind(s),
                Bind::Int(i) => q.bind(i),
            };
        }
        q
    }};
}

/// A bound value of a query built at run time.
pub(crate) enum Bind {
    Text(String),
    Int(i64),
}

pub mod audit;
pub mod changes;
pub mod database;
pub mod events;
pub mod index;
pub mod index_facts;
pub mod index_rows;
pub mod index_search;
pub mod index_storage;
pub mod retention;
pub mod secret;
pub mod sessions;

pub use changes::Change;
pub use database::Database;
pub use secret::SecretKey;
pub use sessions::SessionBackend;
