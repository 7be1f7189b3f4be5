//! Blobs addressed by digest never change, so they are cached by digest
//! alone, shared by every user, and bounded in bytes. Only a body that
//! hashed to its digest goes in. Manifests are not cached here: one can be
//! deleted behind Berth's back, and pages must show that.

use std::sync::Arc;

use moka::future::Cache;

use super::digest::Digest;

#[derive(Clone)]
pub struct ContentCache {
    blobs: Cache<Digest, Arc<[u8]>>,
}

impl ContentCache {
    /// `max_bytes` bounds the cached blobs together.
    pub fn new(max_bytes: u64) -> Self {
        Self {
            blobs: Cache::builder()
                .max_capacity(max_bytes.max(1))
                .weigher(|k: &Digest, v: &Arc<[u8]>| weight(k.as_str().len() + v.len()))
                .build(),
        }
    }

    pub async fn blob(&self, digest: &Digest) -> Option<Arc<[u8]>> {
        self.blobs.get(digest).await
    }

    /// Files a body under its digest; the caller has checked that it hashes to it.
    pub async fn put_blob(&self, digest: &Digest, body: &[u8]) {
        self.blobs.insert(digest.clone(), body.into()).await;
    }

    /// Bytes held now (approximate: moka settles counts lazily).
    pub fn weighted_size(&self) -> u64 {
        self.blobs.weighted_size()
    }
}

/// moka weighs entries in u32; the per-entry overhead keeps many tiny
/// entries from looking free.
fn weight(bytes: usize) -> u32 {
    (bytes + 64).min(u32::MAX as usize) as u32
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn holds_what_fits_and_evicts_beyond_the_bound() {
        let cache = ContentCache::new(5_000);
        let a = Digest::of(b"a");
        cache.put_blob(&a, &[1u8; 100]).await;
        assert_eq!(cache.blob(&a).await.unwrap().len(), 100);
        for i in 0..200u32 {
            cache
                .put_blob(&Digest::of(&i.to_le_bytes()), &[0u8; 500])
                .await;
        }
        cache.blobs.run_pending_tasks().await;
        assert!(
            cache.blobs.weighted_size() <= 5_000,
            "{}",
            cache.blobs.weighted_size()
        );
    }
}
