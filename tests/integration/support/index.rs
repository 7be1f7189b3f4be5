//! What the registry index's tests share: a database file of their own
//! that the test reads too, Berth's flags for it, and waiting for syncs.

use std::time::{Duration, Instant};

use berth::store::index::SyncRecord;
use berth::store::Database;

use super::registry::{TestRegistry, ADMIN};

/// A `sqlite://` URL in a fresh folder.
pub fn database_url() -> String {
    let dir = tempfile::tempdir().expect("tempdir").keep();
    format!("sqlite://{}/berth.db", dir.display())
}

/// Flags for Berth in `registry` mode on `registry`, with its database at
/// `db_url` and the index reading with the admin account.
pub fn indexed_flags<'a>(registry: &'a TestRegistry, db_url: &'a str) -> Vec<&'a str> {
    let mut flags = registry.registry_mode_flags();
    flags.extend([
        "--database-url",
        db_url,
        "--index-username",
        ADMIN.0,
        "--index-password",
        ADMIN.1,
    ]);
    flags
}

/// The test's own connection to Berth's database: opening it can meet
/// Berth's own start-up, so it is tried again for a few seconds.
pub async fn open(url: &str) -> Database {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        match Database::connect(url).await {
            Ok(db) => return db,
            Err(e) => assert!(Instant::now() < deadline, "{e}"),
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Waits until `n` syncs are recorded; returns the last.
pub async fn synced(db: &Database, n: usize) -> SyncRecord {
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        // The tables may not exist yet while Berth starts.
        let runs = db.index_recent_syncs(100).await;
        if let Ok(runs) = &runs {
            if runs.len() >= n {
                return runs[0].clone();
            }
        }
        assert!(
            Instant::now() < deadline,
            "no sync number {n} within 60 s; the last read: {runs:?}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// The bytes a delete confirmation says `garbage-collect` would free, read
/// from its words ("… (1,623 bytes in 4 blobs …)", or "would free
/// nothing"); `None` when it says no figure.
pub fn frees_in(html: &str) -> Option<u64> {
    let at = html.find("data-testid=\"frees\"")?;
    let line = &html[at..];
    let line = &line[..line.find("</p>")?];
    if line.contains("would free nothing") {
        return Some(0);
    }
    let end = line.find(" bytes in ")?;
    let start = line[..end].rfind('(')? + 1;
    line[start..end].replace(',', "").parse().ok()
}
