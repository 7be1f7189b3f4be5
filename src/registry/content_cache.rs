//! Manifests and blobs addressed by digest never change, so they are
//! cached by digest alone, shared by every user, and bounded in bytes.
//! Only content whose body hashed to its digest goes in.

use std::sync::Arc;

use moka::future::Cache;

/// A cached manifest: its media type and exact bytes.
#[derive(Clone)]
pub struct CachedManifest {
    pub media_type: Arc<str>,
    pub body: Arc<[u8]>,
}

#[derive(Clone)]
pub struct ContentCache {
    manifests: Cache<String, CachedManifest>,
    blobs: Cache<String, Arc<[u8]>>,
}

impl ContentCache {
    /// `max_bytes` bounds manifests and blobs together (half each).
    pub fn new(max_bytes: u64) -> Self {
        let half = (max_bytes / 2).max(1);
        Self {
            manifests: Cache::builder()
                .max_capacity(half)
                .weigher(|k: &String, v: &CachedManifest| weight(k.len() + v.body.len()))
                .build(),
            blobs: Cache::builder()
                .max_capacity(half)
                .weigher(|k: &String, v: &Arc<[u8]>| weight(k.len() + v.len()))
                .build(),
        }
    }

    pub async fn manifest(&self, digest: &str) -> Option<CachedManifest> {
        self.manifests.get(digest).await
    }

    pub async fn put_manifest(&self, digest: &str, media_type: &str, body: &[u8]) {
        self.manifests
            .insert(
                digest.to_string(),
                CachedManifest {
                    media_type: media_type.into(),
                    body: body.into(),
                },
            )
            .await;
    }

    /// Forgets a manifest Berth deleted, so nothing shows it as present.
    pub async fn forget_manifest(&self, digest: &str) {
        self.manifests.invalidate(digest).await;
    }

    pub async fn blob(&self, digest: &str) -> Option<Arc<[u8]>> {
        self.blobs.get(digest).await
    }

    pub async fn put_blob(&self, digest: &str, body: &[u8]) {
        self.blobs.insert(digest.to_string(), body.into()).await;
    }

    /// Bytes held now (approximate: moka settles counts lazily).
    pub fn weighted_size(&self) -> u64 {
        self.manifests.weighted_size() + self.blobs.weighted_size()
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
        let cache = ContentCache::new(10_000);
        cache.put_blob("sha256:a", &[1u8; 100]).await;
        assert_eq!(cache.blob("sha256:a").await.unwrap().len(), 100);
        for i in 0..200 {
            cache.put_blob(&format!("sha256:{i}"), &[0u8; 500]).await;
        }
        cache.blobs.run_pending_tasks().await;
        assert!(
            cache.blobs.weighted_size() <= 5_000,
            "{}",
            cache.blobs.weighted_size()
        );
    }
}
