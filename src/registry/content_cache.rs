//! Content addressed by digest never changes, so it is cached by digest
//! alone, shared by every user, and bounded in bytes. Only a body that
//! hashed to its digest goes in.
//!
//! Blobs (image configs) are served from here directly: a caller reaches
//! one only through a manifest it read itself. Manifests are cached too,
//! but a manifest can be deleted behind Berth's back, so a cached one is
//! served only after a fresh `HEAD` (with the caller's own credentials)
//! says it is still there and the tag still points at it; see
//! `manifests.rs`. The last digest seen for each tag is kept for that
//! check.

use std::sync::Arc;

use moka::future::Cache;

use super::digest::Digest;
use super::manifests::FetchedManifest;

#[derive(Clone)]
pub struct ContentCache {
    blobs: Cache<Digest, Arc<[u8]>>,
    manifests: Cache<Digest, Arc<FetchedManifest>>,
    /// (repository, tag) → the digest it pointed at when last read.
    tag_digests: Cache<(String, String), Digest>,
}

impl ContentCache {
    /// `max_bytes` bounds the cached blobs together.
    pub fn new(max_bytes: u64) -> Self {
        // Configs and manifests share the budget, half each.
        let half = (max_bytes / 2).max(1);
        Self {
            blobs: Cache::builder()
                .max_capacity(half)
                .weigher(|k: &Digest, v: &Arc<[u8]>| weight(k.as_str().len() + v.len()))
                .build(),
            manifests: Cache::builder()
                .max_capacity(half)
                .weigher(|k: &Digest, v: &Arc<FetchedManifest>| {
                    weight(k.as_str().len() + v.body.len() + v.media_type.len())
                })
                .build(),
            tag_digests: Cache::builder().max_capacity(200_000).build(),
        }
    }

    pub async fn manifest(&self, digest: &Digest) -> Option<Arc<FetchedManifest>> {
        counted("manifests", self.manifests.get(digest).await)
    }

    /// Files a manifest under its digest, if its body hashes to it.
    pub async fn put_manifest(&self, m: &FetchedManifest) {
        if m.digest.matches(&m.body) {
            self.manifests
                .insert(m.digest.clone(), Arc::new(m.clone()))
                .await;
        }
    }

    pub async fn tag_digest(&self, repo: &str, tag: &str) -> Option<Digest> {
        self.tag_digests
            .get(&(repo.to_string(), tag.to_string()))
            .await
    }

    pub async fn put_tag_digest(&self, repo: &str, tag: &str, digest: &Digest) {
        self.tag_digests
            .insert((repo.to_string(), tag.to_string()), digest.clone())
            .await;
    }

    pub async fn blob(&self, digest: &Digest) -> Option<Arc<[u8]>> {
        counted("blobs", self.blobs.get(digest).await)
    }

    /// Files a body under its digest; the caller has checked that it hashes to it.
    pub async fn put_blob(&self, digest: &Digest, body: &[u8]) {
        self.blobs.insert(digest.clone(), body.into()).await;
    }

    /// Bytes held, after moka has settled its pending counts.
    pub async fn bytes_held(&self) -> u64 {
        self.blobs.run_pending_tasks().await;
        self.manifests.run_pending_tasks().await;
        self.weighted_size()
    }

    /// Bytes held now (approximate: moka settles counts lazily).
    pub fn weighted_size(&self) -> u64 {
        self.blobs.weighted_size() + self.manifests.weighted_size()
    }
}

/// Lookups in Berth's caches by cache and result (hit or miss), for
/// `/metrics`.
pub const CACHE_LOOKUPS: &str = "berth_cache_lookups_total";

/// Counts one lookup in `cache` as a hit or a miss and passes it on.
pub fn counted<T>(cache: &'static str, found: Option<T>) -> Option<T> {
    let result = if found.is_some() { "hit" } else { "miss" };
    metrics::counter!(CACHE_LOOKUPS, "cache" => cache, "result" => result).increment(1);
    found
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
