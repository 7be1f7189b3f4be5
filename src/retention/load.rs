//! Where policies come from: `BERTH_RETENTION_FILE` (read-only in the UI).

use std::path::Path;

use super::policy::{parse_file, Policy};

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
