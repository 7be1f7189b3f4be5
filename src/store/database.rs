//! Connecting to the database named by `BERTH_DATABASE_URL`, and running
//! the migrations: Berth's own (`migrations/<dialect>/`) and the session
//! store's.

use std::str::FromStr;
use std::time::Duration;

use sqlx::postgres::{PgPool, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions};

use super::sessions::SessionBackend;

/// A connection pool to one of the two supported databases.
#[derive(Clone, Debug)]
pub enum Database {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

/// The dialect a URL names, before connecting.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    Sqlite,
    Postgres,
}

impl Dialect {
    pub fn of(url: &str) -> Result<Self, String> {
        if url.starts_with("sqlite:") {
            Ok(Self::Sqlite)
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Ok(Self::Postgres)
        } else {
            Err("must start with sqlite:// (a file) or postgres:// (a server)".into())
        }
    }
}

/// The file a `sqlite://` URL names, if it names one (not `sqlite::memory:`).
pub fn sqlite_file(url: &str) -> Option<std::path::PathBuf> {
    if url.contains(":memory:") || url.contains("mode=memory") {
        return None;
    }
    let options = SqliteConnectOptions::from_str(url).ok()?;
    let file = options.get_filename();
    (!file.as_os_str().is_empty() && file.as_os_str() != ":memory:").then(|| file.to_path_buf())
}

/// Makes the folder (mode 0700) and the empty file (mode 0600) a `sqlite://`
/// URL names, when missing: the database holds live session ids, so only
/// Berth's user may read it. Nothing for other URLs.
pub fn prepare_sqlite_file(url: &str) -> Result<(), String> {
    let Some(file) = sqlite_file(url) else {
        return Ok(());
    };
    if let Some(dir) = file.parent().filter(|d| !d.as_os_str().is_empty()) {
        let mut builder = std::fs::DirBuilder::new();
        builder.recursive(true);
        #[cfg(unix)]
        std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
        builder
            .create(dir)
            .map_err(|e| format!("cannot create the database folder {}: {e}", dir.display()))?;
    }
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(false);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options
        .open(&file)
        .map(drop)
        .map_err(|e| format!("cannot create the database file {}: {e}", file.display()))
}

impl Database {
    /// Connects (creating a SQLite file and its folder on first start).
    /// The URL may hold a password: errors never repeat it.
    pub async fn connect(url: &str) -> Result<Self, String> {
        match Dialect::of(url)? {
            Dialect::Sqlite => {
                prepare_sqlite_file(url)?;
                let options = SqliteConnectOptions::from_str(url)
                    .map_err(|e| format!("not a SQLite URL: {e}"))?
                    .create_if_missing(true)
                    // Readers do not wait for the writer.
                    .journal_mode(SqliteJournalMode::Wal)
                    .busy_timeout(Duration::from_secs(5));
                let pool = SqlitePoolOptions::new()
                    .max_connections(8)
                    .connect_with(options)
                    .await
                    .map_err(|e| format!("cannot open the SQLite database: {e}"))?;
                Ok(Self::Sqlite(pool))
            }
            Dialect::Postgres => {
                let pool = PgPoolOptions::new()
                    .max_connections(16)
                    .acquire_timeout(Duration::from_secs(5))
                    .connect(url)
                    .await
                    .map_err(|e| format!("cannot connect to PostgreSQL: {}", describe(&e)))?;
                Ok(Self::Postgres(pool))
            }
        }
    }

    pub fn dialect(&self) -> Dialect {
        match self {
            Self::Sqlite(_) => Dialect::Sqlite,
            Self::Postgres(_) => Dialect::Postgres,
        }
    }

    /// Brings the schema up to date: Berth's tables, then the sessions'.
    pub async fn migrate(&self) -> Result<(), String> {
        let failed = |e: sqlx::migrate::MigrateError| format!("migration failed: {e}");
        match self {
            Self::Sqlite(pool) => sqlx::migrate!("./migrations/sqlite")
                .run(pool)
                .await
                .map_err(failed)?,
            Self::Postgres(pool) => sqlx::migrate!("./migrations/postgres")
                .run(pool)
                .await
                .map_err(failed)?,
        }
        self.sessions()
            .migrate()
            .await
            .map_err(|e| format!("session table migration failed: {e}"))
    }

    /// The session store on this database.
    pub fn sessions(&self) -> SessionBackend {
        SessionBackend::on(self)
    }

    /// Refuses a key other than the one this database's sessions were
    /// sealed with: a replica with a mistyped `BERTH_SECRET_KEY` stops at
    /// start-up with a clear line instead of logging everyone out. The first
    /// process to start records a value sealed with its key.
    pub async fn check_key(&self, key: &super::SecretKey) -> Result<(), String> {
        const NAME: &str = "key-check";
        let sealed = key.seal(NAME, NAME);
        let stored: String = match self {
            Self::Sqlite(pool) => {
                sqlx::query("INSERT INTO berth_meta (name, value) VALUES (?1, ?2) ON CONFLICT (name) DO NOTHING")
                    .bind(NAME)
                    .bind(&sealed)
                    .execute(pool)
                    .await
                    .map_err(|e| describe(&e))?;
                sqlx::query_scalar("SELECT value FROM berth_meta WHERE name = ?1")
                    .bind(NAME)
                    .fetch_one(pool)
                    .await
                    .map_err(|e| describe(&e))?
            }
            Self::Postgres(pool) => {
                sqlx::query("INSERT INTO berth_meta (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING")
                    .bind(NAME)
                    .bind(&sealed)
                    .execute(pool)
                    .await
                    .map_err(|e| describe(&e))?;
                sqlx::query_scalar("SELECT value FROM berth_meta WHERE name = $1")
                    .bind(NAME)
                    .fetch_one(pool)
                    .await
                    .map_err(|e| describe(&e))?
            }
        };
        match key.open(NAME, &stored) {
            Some(_) => Ok(()),
            None => Err("BERTH_SECRET_KEY (--secret-key) is not the key this database was set up with; every process on one database must use the same key".into()),
        }
    }

    /// Login sessions not yet expired, for `/metrics`. The session store
    /// keeps SQLite expiries as RFC 3339 UTC text, which sorts as time.
    pub async fn active_sessions(&self) -> Result<i64, String> {
        let result = match self {
            Self::Sqlite(pool) => {
                sqlx::query_scalar("SELECT COUNT(*) FROM tower_sessions WHERE expiry_date > $1")
                    .bind(chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
                    .fetch_one(pool)
                    .await
            }
            Self::Postgres(pool) => {
                sqlx::query_scalar(
                    "SELECT COUNT(*) FROM tower_sessions.session WHERE expiry_date > now()",
                )
                .fetch_one(pool)
                .await
            }
        };
        result.map_err(|e| describe(&e))
    }

    /// A round trip, for readiness checks.
    pub async fn ping(&self) -> Result<(), String> {
        let result = match self {
            Self::Sqlite(pool) => sqlx::query("SELECT 1").execute(pool).await.map(|_| ()),
            Self::Postgres(pool) => sqlx::query("SELECT 1").execute(pool).await.map(|_| ()),
        };
        result.map_err(|e| describe(&e))
    }
}

/// A migrated SQLite database in a temp dir, for the store's unit tests.
#[cfg(test)]
pub(crate) async fn temp_database() -> (tempfile::TempDir, Database) {
    let dir = tempfile::tempdir().expect("tempdir");
    let url = format!("sqlite://{}/berth.db", dir.path().display());
    let db = Database::connect(&url).await.expect("connect");
    db.migrate().await.expect("migrate");
    (dir, db)
}

/// A database error without connection details (a URL may hold a password).
fn describe(e: &sqlx::Error) -> String {
    match e {
        sqlx::Error::Database(db) => db.message().to_string(),
        sqlx::Error::Io(io) => format!("I/O error: {io}"),
        sqlx::Error::PoolTimedOut => "timed out waiting for a connection".into(),
        sqlx::Error::Tls(_) => "TLS error".into(),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dialects_by_scheme() {
        assert_eq!(
            Dialect::of("sqlite://berth-data/berth.db"),
            Ok(Dialect::Sqlite)
        );
        assert_eq!(Dialect::of("postgres://u:p@h/db"), Ok(Dialect::Postgres));
        assert_eq!(Dialect::of("postgresql://h/db"), Ok(Dialect::Postgres));
        assert!(Dialect::of("mysql://h/db").is_err());
    }

    #[test]
    fn sqlite_files_are_found_and_memory_is_not_one() {
        assert_eq!(
            sqlite_file("sqlite://berth-data/berth.db").as_deref(),
            Some(std::path::Path::new("berth-data/berth.db"))
        );
        assert_eq!(
            sqlite_file("sqlite:///data/berth.db").as_deref(),
            Some(std::path::Path::new("/data/berth.db"))
        );
        assert_eq!(sqlite_file("sqlite::memory:"), None);
    }

    #[tokio::test]
    async fn only_the_first_key_opens_the_database() {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}/berth.db", dir.path().display());
        let db = Database::connect(&url).await.unwrap();
        db.migrate().await.unwrap();
        let key = crate::store::SecretKey::generate();
        db.check_key(&key).await.unwrap();
        db.check_key(&key).await.unwrap();
        let other = db
            .check_key(&crate::store::SecretKey::generate())
            .await
            .unwrap_err();
        assert!(other.contains("BERTH_SECRET_KEY"), "{other}");
    }

    #[tokio::test]
    async fn a_fresh_file_is_created_and_migrated_twice_without_harm() {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}/sub/berth.db", dir.path().display());
        let db = Database::connect(&url).await.unwrap();
        db.migrate().await.unwrap();
        db.migrate().await.unwrap();
        db.ping().await.unwrap();
        let file = dir.path().join("sub/berth.db");
        assert!(file.exists());
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode =
                |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode(&file), 0o600, "the database holds live session ids");
            assert_eq!(mode(&dir.path().join("sub")), 0o700);
        }
    }
}
