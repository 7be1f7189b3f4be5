//! Telling the other replicas that a repository changed, so their per-process
//! list caches drop it within a second instead of waiting for the TTL.
//!
//! PostgreSQL `LISTEN/NOTIFY` on one channel: the payload is the repository
//! name (at most 255 bytes, far under NOTIFY's 8,000-byte limit). A process
//! hears its own notices too; dropping a cache twice is harmless. SQLite is
//! one process, so there is nobody to tell.

use std::time::Duration;

use sqlx::postgres::PgListener;

use super::database::Database;

const CHANNEL: &str = "berth_changes";

/// What a listener is told.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    /// This repository's lists are stale.
    Repository(String),
    /// The connection to the database dropped, so notices may have been
    /// missed: everything cached is suspect.
    Everything,
}

impl Database {
    /// Announces that `repo` changed to every replica (this one included).
    /// SQLite: nothing to do.
    pub async fn announce_change(&self, repo: &str) -> Result<(), String> {
        match self {
            Self::Sqlite(_) => Ok(()),
            Self::Postgres(pool) => sqlx::query("SELECT pg_notify($1, $2)")
                .bind(CHANNEL)
                .bind(repo)
                .execute(pool)
                .await
                .map(drop)
                .map_err(|e| e.to_string()),
        }
    }

    /// Calls `on_change` for every change another replica (or this one)
    /// announces, for as long as the process runs. SQLite: no task.
    pub fn spawn_change_listener(
        &self,
        on_change: impl Fn(Change) + Send + Sync + 'static,
    ) -> Option<tokio::task::JoinHandle<()>> {
        let Self::Postgres(pool) = self else {
            return None;
        };
        let pool = pool.clone();
        Some(tokio::spawn(async move {
            loop {
                let mut listener = match PgListener::connect_with(&pool).await {
                    Ok(l) => l,
                    Err(e) => {
                        tracing::warn!(error = %e, "cannot listen for other replicas' changes; retrying");
                        tokio::time::sleep(Duration::from_secs(1)).await;
                        continue;
                    }
                };
                if let Err(e) = listener.listen(CHANNEL).await {
                    tracing::warn!(error = %e, "LISTEN failed; retrying");
                    tokio::time::sleep(Duration::from_secs(1)).await;
                    continue;
                }
                // Notices sent while not listening are lost.
                on_change(Change::Everything);
                loop {
                    match listener.try_recv().await {
                        Ok(Some(notice)) => {
                            on_change(Change::Repository(notice.payload().to_string()))
                        }
                        // The connection dropped; `try_recv` reconnects and
                        // re-listens on the next call, but what was sent in
                        // between is gone.
                        Ok(None) => on_change(Change::Everything),
                        Err(e) => {
                            tracing::warn!(error = %e, "listening for other replicas' changes failed; reconnecting");
                            tokio::time::sleep(Duration::from_secs(1)).await;
                            break;
                        }
                    }
                }
            }
        }))
    }
}
