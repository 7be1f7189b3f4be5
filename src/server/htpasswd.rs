//! Checking a password against a bcrypt htpasswd file (the registry's own
//! format: `user:$2y$…`, one per line).

use std::path::Path;

/// A hash checked when the user is unknown, so that a wrong username costs
/// the same time as a wrong password.
static DUMMY_HASH: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
    bcrypt::hash("berth-dummy", bcrypt::DEFAULT_COST).unwrap_or_default()
});

/// Re-reads the file on every login so that `htpasswd -B` edits apply at once.
pub fn verify(path: &Path, username: &str, password: &str) -> std::io::Result<bool> {
    let content = std::fs::read_to_string(path)?;
    Ok(verify_in(&content, username, password))
}

pub fn verify_in(content: &str, username: &str, password: &str) -> bool {
    let hash = content
        .lines()
        .filter_map(|l| l.trim().split_once(':'))
        .find(|(u, _)| *u == username)
        .map(|(_, h)| h.trim());
    match hash {
        // registry:2 accepts bcrypt only; so do we.
        Some(h) if h.starts_with("$2") => bcrypt::verify(password, h).unwrap_or(false),
        _ => {
            let _ = bcrypt::verify(password, &DUMMY_HASH);
            false
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bcrypt_entries_verify() {
        let hash = bcrypt::hash("s3cret", 4).unwrap();
        let file = format!("alice:{hash}\nbob:{{SHA}}notbcrypt\n");
        assert!(verify_in(&file, "alice", "s3cret"));
        assert!(!verify_in(&file, "alice", "wrong"));
        assert!(!verify_in(&file, "bob", "anything"));
        assert!(!verify_in(&file, "carol", "s3cret"));
    }
}
