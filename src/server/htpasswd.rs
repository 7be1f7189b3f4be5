//! Checking a password against a bcrypt htpasswd file (the registry's own
//! format: `user:$2y$…`, one per line).

use std::path::Path;

/// bcrypt hashes of a fixed password, one per cost, checked when the user
/// is unknown: a wrong username then costs what a wrong password costs at
/// the file's own cost, so timing does not tell which users exist.
static DUMMY_HASHES: std::sync::LazyLock<std::sync::Mutex<std::collections::HashMap<u32, String>>> =
    std::sync::LazyLock::new(Default::default);

fn dummy_hash(cost: u32) -> String {
    let mut hashes = DUMMY_HASHES.lock().unwrap_or_else(|e| e.into_inner());
    hashes
        .entry(cost)
        .or_insert_with(|| bcrypt::hash("berth-dummy", cost).unwrap_or_default())
        .clone()
}

/// The cost of the file's first bcrypt entry (`$2y$12$…` → 12).
fn file_cost(content: &str) -> u32 {
    content
        .lines()
        .filter_map(|l| l.trim().split_once(':'))
        .filter_map(|(_, h)| h.trim().strip_prefix("$2")?.get(2..4)?.parse::<u32>().ok())
        .find(|c| (4..=31).contains(c))
        .unwrap_or(bcrypt::DEFAULT_COST)
}

/// Re-reads the file on every login so that `htpasswd -B` edits apply at once.
pub fn verify(path: &Path, username: &str, password: &str) -> std::io::Result<bool> {
    let content = std::fs::read_to_string(path)?;
    Ok(verify_in(&content, username, password))
}

fn entry<'a>(content: &'a str, username: &str) -> Option<&'a str> {
    content
        .lines()
        .filter_map(|l| l.trim().split_once(':'))
        .find(|(u, _)| *u == username)
        .map(|(_, h)| h.trim())
}

/// Whether the file still lists `username` (a removed user loses access at
/// their next request).
pub async fn has_user(path: &Path, username: &str) -> std::io::Result<bool> {
    Ok(entry(&tokio::fs::read_to_string(path).await?, username).is_some())
}

pub fn verify_in(content: &str, username: &str, password: &str) -> bool {
    match entry(content, username) {
        // registry:2 accepts bcrypt only; so do we.
        Some(h) if h.starts_with("$2") => bcrypt::verify(password, h).unwrap_or(false),
        _ => {
            let _ = bcrypt::verify(password, &dummy_hash(file_cost(content)));
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

    #[test]
    fn unknown_users_cost_the_files_own_cost() {
        let file = format!("alice:{}\n", bcrypt::hash("x", 5).unwrap());
        assert_eq!(file_cost(&file), 5);
        assert!(dummy_hash(file_cost(&file)).starts_with("$2b$05$"));
        assert_eq!(file_cost("bob:{SHA}x\n"), bcrypt::DEFAULT_COST);
        assert_eq!(file_cost("alice:$2y$12$abc\n"), 12);
    }
}
