//! Where policies come from: `BERTH_RETENTION_FILE` (read-only in the UI)
//! and the database (written in the admin form). Every plan is made from
//! all of them, since every policy protects what it keeps.

use std::path::Path;

use super::policy::{parse_file, parse_stored, Policy};
use crate::server::state::AppState;

/// The file's policies; none without a file.
pub fn file_policies(path: Option<&Path>) -> Result<Vec<Policy>, String> {
    let Some(path) = path else {
        return Ok(Vec::new());
    };
    let text = std::fs::read_to_string(path).map_err(|e| {
        format!(
            "BERTH_RETENTION_FILE (--retention-file) {} cannot be read: {e}",
            path.display()
        )
    })?;
    parse_file(&text).map_err(|e| format!("BERTH_RETENTION_FILE {}: {e}", path.display()))
}

/// The policies kept in the database, each with who saved it and when. One
/// that no longer reads (written by a newer version) is an error: planning
/// without it could delete what it keeps.
pub async fn stored_policies(state: &AppState) -> Result<Vec<(Policy, i64, String)>, String> {
    let rows = state
        .database()
        .retention_policies()
        .await
        .map_err(|e| format!("the retention policies could not be read: {e}"))?;
    rows.into_iter()
        .map(|row| {
            parse_stored(&row.spec)
                .map(|p| (p, row.updated_ms, row.updated_by))
                .map_err(|e| format!("the stored policy \"{}\" does not read: {e}", row.name))
        })
        .collect()
}

/// Every policy: the file's (read now, so an edit needs no restart), then
/// the database's. A stored policy with a file policy's name is shadowed
/// by it: the form refuses such names, but the file may gain one later.
pub async fn all(state: &AppState) -> Result<Vec<Policy>, String> {
    let mut policies = file_policies(state.settings().retention_file.as_deref())?;
    for (p, _, _) in stored_policies(state).await? {
        if !policies.iter().any(|f| f.name() == p.name()) {
            policies.push(p);
        }
    }
    Ok(policies)
}
