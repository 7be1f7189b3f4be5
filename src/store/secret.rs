//! The key that seals what must not sit in the database in clear: in
//! `registry` mode a session holds the user's registry password, sealed
//! with XChaCha20-Poly1305 under this key (and bound to the username, so a
//! sealed value cannot be moved to another user's record).
//!
//! The key comes from `BERTH_SECRET_KEY` (32 bytes, base64 or hex), or from
//! a key file made on first start beside the SQLite database, readable by
//! its owner only. Replicas must share one key.

use std::io::Write;
use std::path::Path;

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{Key, XChaCha20Poly1305, XNonce};

/// Marks the sealing scheme, so a later one can be told apart.
const PREFIX: &str = "xc1:";

#[derive(Clone)]
pub struct SecretKey(Key);

impl std::fmt::Debug for SecretKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SecretKey(…)")
    }
}

impl SecretKey {
    /// A key as `BERTH_SECRET_KEY` gives it: 32 bytes in base64 or hex.
    pub fn parse(raw: &str) -> Result<Self, String> {
        let raw = raw.trim();
        let bytes = if raw.len() == 64 && raw.bytes().all(|b| b.is_ascii_hexdigit()) {
            hex::decode(raw).map_err(|e| e.to_string())?
        } else {
            STANDARD
                .decode(raw)
                .map_err(|_| "is neither base64 nor hex".to_string())?
        };
        let key: [u8; 32] = bytes
            .try_into()
            .map_err(|b: Vec<u8>| format!("must be 32 bytes, not {}", b.len()))?;
        Ok(Self(Key::from(key)))
    }

    /// A fresh random key.
    pub fn generate() -> Self {
        use rand::RngCore;
        let mut key = [0u8; 32];
        rand::rng().fill_bytes(&mut key);
        Self(Key::from(key))
    }

    /// The key in `path`, or a new one written there (mode 0600) when the
    /// file does not exist yet. The new file appears whole or not at all
    /// (written aside, then linked into place), so two processes starting
    /// at once end up with the same key, and a crash leaves no empty file.
    pub fn load_or_create(path: &Path) -> Result<Self, String> {
        match std::fs::read_to_string(path) {
            Ok(text) => {
                warn_if_readable_by_others(path);
                Self::parse(&text).map_err(|e| format!("the key file {}: {e}", path.display()))
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                let key = Self::generate();
                let aside = path.with_extension(format!("tmp-{}", std::process::id()));
                let written = write_private(&aside, &format!("{}\n", STANDARD.encode(key.0)));
                let linked = written.and_then(|()| std::fs::hard_link(&aside, path));
                let _ = std::fs::remove_file(&aside);
                match linked {
                    Ok(()) => {
                        tracing::info!(path = %path.display(), "made a new secret key; replicas must share it (BERTH_SECRET_KEY)");
                        Ok(key)
                    }
                    // Another process made it first: use theirs.
                    Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                        let text = std::fs::read_to_string(path).map_err(|e| {
                            format!("cannot read the key file {}: {e}", path.display())
                        })?;
                        Self::parse(&text)
                            .map_err(|e| format!("the key file {}: {e}", path.display()))
                    }
                    Err(e) => Err(format!(
                        "cannot create the key file {}: {e}",
                        path.display()
                    )),
                }
            }
            Err(e) => Err(format!("cannot read the key file {}: {e}", path.display())),
        }
    }

    /// A value for one `purpose`, derived from the key: every process that
    /// shares the key derives the same, and it tells nothing of the key.
    pub fn derive(&self, purpose: &str) -> [u8; 32] {
        use sha2::{Digest, Sha256};
        Sha256::new()
            .chain_update(self.0)
            .chain_update(b"berth:")
            .chain_update(purpose.as_bytes())
            .finalize()
            .into()
    }

    /// Seals `secret`, bound to `owner`: a fresh random nonce each time.
    pub fn seal(&self, owner: &str, secret: &str) -> String {
        use rand::RngCore;
        let mut nonce = [0u8; 24];
        rand::rng().fill_bytes(&mut nonce);
        let cipher = XChaCha20Poly1305::new(&self.0);
        let sealed = cipher
            .encrypt(
                XNonce::from_slice(&nonce),
                Payload {
                    msg: secret.as_bytes(),
                    aad: owner.as_bytes(),
                },
            )
            // Encryption fails only for inputs of gigabytes; a login is not one.
            .unwrap_or_default();
        let mut out = nonce.to_vec();
        out.extend_from_slice(&sealed);
        format!("{PREFIX}{}", STANDARD.encode(out))
    }

    /// The secret, if `sealed` was sealed for `owner` under this key.
    pub fn open(&self, owner: &str, sealed: &str) -> Option<String> {
        let bytes = STANDARD.decode(sealed.strip_prefix(PREFIX)?).ok()?;
        if bytes.len() < 24 + 16 {
            return None;
        }
        let (nonce, body) = bytes.split_at(24);
        let plain = XChaCha20Poly1305::new(&self.0)
            .decrypt(
                XNonce::from_slice(nonce),
                Payload {
                    msg: body,
                    aad: owner.as_bytes(),
                },
            )
            .ok()?;
        String::from_utf8(plain).ok()
    }
}

/// Writes a new file that only its owner may read, and flushes it to disk.
fn write_private(path: &Path, text: &str) -> std::io::Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options.open(path)?;
    file.write_all(text.as_bytes())?;
    file.sync_all()
}

fn warn_if_readable_by_others(path: &Path) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        if let Ok(meta) = std::fs::metadata(path) {
            if meta.permissions().mode() & 0o077 != 0 {
                tracing::warn!(path = %path.display(), "the secret key file is readable by other users; chmod 600 it");
            }
        }
    }
    #[cfg(not(unix))]
    let _ = path;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sealed_secrets_open_only_for_their_owner_and_key() {
        let key = SecretKey::generate();
        let sealed = key.seal("alice", "s3cret-pass");
        assert!(!sealed.contains("s3cret"));
        assert_ne!(
            sealed,
            key.seal("alice", "s3cret-pass"),
            "a fresh nonce each time"
        );
        assert_eq!(key.open("alice", &sealed).as_deref(), Some("s3cret-pass"));
        assert_eq!(key.open("bob", &sealed), None);
        assert_eq!(SecretKey::generate().open("alice", &sealed), None);
        let mut tampered = sealed.clone();
        tampered.pop();
        tampered.push(if sealed.ends_with('A') { 'B' } else { 'A' });
        assert_eq!(key.open("alice", &tampered), None);
        assert_eq!(key.open("alice", "plain"), None);
    }

    #[test]
    fn keys_parse_from_base64_or_hex_of_32_bytes() {
        let hex_key = "00".repeat(32);
        assert!(SecretKey::parse(&hex_key).is_ok());
        assert!(SecretKey::parse(&STANDARD.encode([7u8; 32])).is_ok());
        assert!(SecretKey::parse(&STANDARD.encode([7u8; 16]))
            .unwrap_err()
            .contains("32 bytes"));
        assert!(SecretKey::parse("not a key!").is_err());
    }

    #[test]
    fn a_key_file_is_made_once_owner_only_and_read_back() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("secret.key");
        let a = SecretKey::load_or_create(&path).unwrap();
        let b = SecretKey::load_or_create(&path).unwrap();
        let sealed = a.seal("u", "p");
        assert_eq!(b.open("u", &sealed).as_deref(), Some("p"));
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode, 0o600);
        }
    }
}
