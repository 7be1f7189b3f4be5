//! Login sessions in the database (`tower-sessions-sqlx-store`), so they
//! survive a restart and are shared by replicas. One store type over both
//! dialects; expired records are deleted by a background task. Records are
//! filed under a hash of the session id, never the id itself.
//!
//! With SQLite the database belongs to this one process, so every write
//! passes through this store and a write-through cache in memory stays
//! exact: a page no longer waits on the database (and its worker thread)
//! to read the session. With PostgreSQL, other replicas write too (a
//! logout there must end the session here at once), so there is no cache.

use async_trait::async_trait;
use tower_sessions::session::{Id, Record};
use tower_sessions::session_store::{self, ExpiredDeletion};
use tower_sessions::{CachingSessionStore, SessionStore};
use tower_sessions_moka_store::MokaStore;
use tower_sessions_sqlx_store::{PostgresStore, SqliteStore};

use super::database::Database;

/// Sessions held in memory in front of SQLite; past it, the least recently
/// used are read from the database again.
const CACHED_SESSIONS: u64 = 10_000;

#[derive(Clone, Debug)]
pub enum SessionBackend {
    Sqlite {
        /// Reads and writes: the cache, then the database.
        cached: CachingSessionStore<MokaStore, SqliteStore>,
        /// The database alone, for the schema and the expiry sweep.
        store: SqliteStore,
    },
    Postgres(PostgresStore),
}

impl SessionBackend {
    pub fn on(db: &Database) -> Self {
        match db {
            Database::Sqlite(pool) => {
                let store = SqliteStore::new(pool.clone());
                Self::Sqlite {
                    // Entries expire with their record's own expiry date.
                    cached: CachingSessionStore::new(
                        MokaStore::new(Some(CACHED_SESSIONS)),
                        store.clone(),
                    ),
                    store,
                }
            }
            Database::Postgres(pool) => Self::Postgres(PostgresStore::new(pool.clone())),
        }
    }

    pub async fn migrate(&self) -> Result<(), sqlx::Error> {
        match self {
            Self::Sqlite { store, .. } => store.migrate().await,
            Self::Postgres(s) => s.migrate().await,
        }
    }

    /// Deletes expired records every `period`, for as long as it runs.
    pub fn spawn_expiry(&self, period: std::time::Duration) -> tokio::task::JoinHandle<()> {
        let store = self.clone();
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(period);
            loop {
                tick.tick().await;
                if let Err(e) = store.delete_expired().await {
                    tracing::warn!(error = %e, "deleting expired sessions failed");
                }
            }
        })
    }
}

/// The id a record is filed under: the first 128 bits of SHA-256 of the
/// browser's session id. A copy of the database (a backup, a dump) then
/// holds no id a browser could present; the cookie alone opens a session.
fn filed_id(id: &Id) -> Id {
    use sha2::{Digest, Sha256};
    let hash = Sha256::digest(id.0.to_le_bytes());
    let mut first = [0u8; 16];
    first.copy_from_slice(&hash[..16]);
    Id(i128::from_le_bytes(first))
}

fn filed(record: &Record) -> Record {
    Record {
        id: filed_id(&record.id),
        ..record.clone()
    }
}

impl SessionBackend {
    async fn load_filed(&self, id: &Id) -> session_store::Result<Option<Record>> {
        match self {
            Self::Sqlite { cached, .. } => cached.load(id).await,
            Self::Postgres(s) => s.load(id).await,
        }
    }

    async fn save_filed(&self, record: &Record) -> session_store::Result<()> {
        match self {
            Self::Sqlite { cached, .. } => cached.save(record).await,
            Self::Postgres(s) => s.save(record).await,
        }
    }
}

#[async_trait]
impl SessionStore for SessionBackend {
    async fn create(&self, record: &mut Record) -> session_store::Result<()> {
        // A new id whose filed form is taken (odds of 2^-64 at billions of
        // sessions) is drawn again, as the store itself would.
        while self.load_filed(&filed_id(&record.id)).await?.is_some() {
            record.id = Id::default();
        }
        self.save_filed(&filed(record)).await
    }

    async fn save(&self, record: &Record) -> session_store::Result<()> {
        self.save_filed(&filed(record)).await
    }

    async fn load(&self, id: &Id) -> session_store::Result<Option<Record>> {
        Ok(self
            .load_filed(&filed_id(id))
            .await?
            .map(|record| Record { id: *id, ..record }))
    }

    async fn delete(&self, id: &Id) -> session_store::Result<()> {
        let filed = filed_id(id);
        match self {
            Self::Sqlite { cached, .. } => cached.delete(&filed).await,
            Self::Postgres(s) => s.delete(&filed).await,
        }
    }
}

#[async_trait]
impl ExpiredDeletion for SessionBackend {
    async fn delete_expired(&self) -> session_store::Result<()> {
        match self {
            Self::Sqlite { store, .. } => store.delete_expired().await,
            Self::Postgres(s) => s.delete_expired().await,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn records_are_filed_under_a_hash_of_the_id_and_found_by_the_id() {
        let (_dir, db) = crate::store::database::temp_database().await;
        let store = SessionBackend::on(&db);
        let mut record = Record {
            id: Id::default(),
            data: Default::default(),
            expiry_date: tower_sessions::cookie::time::OffsetDateTime::now_utc()
                + tower_sessions::cookie::time::Duration::hours(1),
        };
        store.create(&mut record).await.unwrap();
        let ids: Vec<String> = match &db {
            crate::store::Database::Sqlite(pool) => {
                sqlx::query_scalar("SELECT id FROM tower_sessions")
                    .fetch_all(pool)
                    .await
                    .unwrap()
            }
            crate::store::Database::Postgres(_) => unreachable!("a SQLite test database"),
        };
        assert_eq!(ids, [filed_id(&record.id).to_string()]);
        assert_ne!(ids[0], record.id.to_string());
        let loaded = store
            .load(&record.id)
            .await
            .unwrap()
            .expect("found by the id");
        assert_eq!(loaded.id, record.id);
        // The filed id itself opens nothing.
        assert!(store.load(&filed_id(&record.id)).await.unwrap().is_none());
        store.delete(&record.id).await.unwrap();
        assert!(store.load(&record.id).await.unwrap().is_none());
    }

    #[tokio::test]
    async fn the_cache_before_sqlite_forgets_what_is_deleted_or_expired() {
        let (_dir, db) = crate::store::database::temp_database().await;
        let store = SessionBackend::on(&db);
        let soon = tower_sessions::cookie::time::OffsetDateTime::now_utc()
            + tower_sessions::cookie::time::Duration::milliseconds(700);
        let mut short = Record {
            id: Id::default(),
            data: Default::default(),
            expiry_date: soon,
        };
        store.create(&mut short).await.unwrap();
        assert!(store.load(&short.id).await.unwrap().is_some());
        tokio::time::sleep(std::time::Duration::from_millis(900)).await;
        assert!(
            store.load(&short.id).await.unwrap().is_none(),
            "expired in the cache too"
        );

        let mut long = Record {
            id: Id::default(),
            data: Default::default(),
            expiry_date: soon + tower_sessions::cookie::time::Duration::hours(1),
        };
        store.create(&mut long).await.unwrap();
        assert!(store.load(&long.id).await.unwrap().is_some());
        // A logout on another handle of the same database (the layer's
        // clone) reaches the shared cache.
        store.clone().delete(&long.id).await.unwrap();
        assert!(store.load(&long.id).await.unwrap().is_none());
    }
}
