//! Reading layers from the registry. The first look at a layer streams
//! its blob once, through a bounded buffer, decompressing and listing it
//! and (for gzip) keeping checkpoints; the listing and checkpoints go to
//! the disk cache, and the blob's digest is checked at the end. Looks at a
//! layer that is still being read wait for that one read. A file is read
//! later from the checkpoint before it, with a `Range` request; a registry
//! that answers a range with the whole blob is read from the start.

use std::io::{self, Read};
use std::sync::Arc;
use std::time::Duration;

use sha2::{Digest as _, Sha256};

use super::body;
use super::budget::{AbandonOnDrop, Budget, Stop, Watched};
use super::cache::{self, LayerCache, LayerInfo};
use super::gzip_index::{IndexingReader, ResumedReader};
use super::listing::{self, Entry};
use super::merged::Merged;
use super::slots::{Full, Slots};
use crate::registry::{Credentials, Digest, RegistryClient, RepositoryName};

/// How a layer is compressed, from its media type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Compression {
    Gzip,
    Zstd,
    Tar,
}

impl Compression {
    pub fn of(media_type: &str) -> Option<Compression> {
        let m = media_type.trim().to_ascii_lowercase();
        if m.ends_with("+gzip") || m.ends_with(".tar.gzip") {
            Some(Compression::Gzip)
        } else if m.ends_with("+zstd") || m.ends_with(".tar.zstd") {
            Some(Compression::Zstd)
        } else if m.ends_with(".tar") || m.ends_with("layer.v1.tar") {
            Some(Compression::Tar)
        } else {
            None
        }
    }

    fn name(self) -> &'static str {
        match self {
            Compression::Gzip => "gzip",
            Compression::Zstd => "zstd",
            Compression::Tar => "tar",
        }
    }
}

/// A layer as its manifest names it.
#[derive(Debug, Clone)]
pub struct LayerRef {
    pub repo: RepositoryName,
    pub digest: Digest,
    pub size: u64,
    pub media_type: String,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LayerError {
    #[error(
        "the layer is {size_mb} MB, more than the {max_mb} MB Berth reads (BERTH_LAYER_MAX_MB)"
    )]
    TooLarge { size_mb: u64, max_mb: u64 },
    #[error("the layer's media type {0} is not a tar archive Berth can read")]
    Unsupported(String),
    #[error("the registry did not give the layer: {0}")]
    Registry(String),
    #[error("the registry no longer has the layer {0}")]
    Missing(String),
    #[error("the image has {entries} entries, more than the {max} Berth lists")]
    TooManyEntries { entries: u64, max: u64 },
    #[error("too many downloads are running; try again in a moment")]
    Busy,
    #[error("you have {max} downloads running; wait for one to end")]
    DownloadsOfUser { max: usize },
    #[error("too many layers are being read for the first time; try again in a moment")]
    ReadsBusy,
    #[error("Berth stopped reading the layer: {0}")]
    Stopped(Stop),
    #[error("the layer could not be read: {0}")]
    Read(String),
}

/// The largest uncompressed stream read, whatever the blob's size: a layer
/// of zeros compresses a thousandfold.
const MAX_UNCOMPRESSED: u64 = 64 << 30;
/// Entries of one image held in memory for its pages (a few MB of tar
/// headers could name millions of empty files).
pub const MAX_IMAGE_ENTRIES: u64 = 500_000;
/// Merged trees kept, weighed in bytes.
const MERGED_CACHE_BYTES: u64 = 256 << 20;
/// Downloads streaming at once (each holds a blocking thread while its
/// client reads), and per user.
const DOWNLOADS: usize = 16;
const DOWNLOADS_PER_USER: usize = 4;
/// First reads (listings) at once, per user, and how long one waits for
/// its turn.
const FIRST_READS: usize = 2;
const FIRST_READS_PER_USER: usize = 1;
const FIRST_READ_WAIT: Duration = Duration::from_secs(15);
/// A listing's bytes on disk unless set otherwise (`BERTH_LAYER_LIST_MB`).
pub const DEFAULT_LIST_BYTES: u64 = 64 << 20;
/// How long a first read may take unless set otherwise: the request
/// deadline.
const DEFAULT_READ_TIME: Duration = Duration::from_secs(45);

/// A registry error as the layer reader reports it: a blob the registry
/// no longer has is not a registry failure.
fn registry_error(e: crate::registry::RegistryError) -> LayerError {
    match e {
        crate::registry::RegistryError::NotFound(m) => LayerError::Missing(m),
        other => LayerError::Registry(other.to_string()),
    }
}

pub struct Layers {
    cache: Arc<LayerCache>,
    max_bytes: u64,
    /// Layers being read for the first time: one read each.
    reading: moka::future::Cache<String, LayerInfo>,
    /// Whether the registry answered a `Range` with a range (unknown until
    /// the first file is read).
    ranges: std::sync::atomic::AtomicU8,
    /// Merged filesystems by image manifest digest: a page of a large
    /// image's files is one of many, and merging is the costly part.
    merged: moka::future::Cache<String, Arc<Merged>>,
    downloads: Slots,
    first_reads: Slots,
    /// A listing's budget in bytes, and a first read's in time.
    list_bytes: u64,
    read_time: Duration,
    /// Layers whose listing passed its budget: not read again for a while.
    refused: moka::future::Cache<String, Stop>,
}

impl Layers {
    pub fn new(cache: LayerCache, max_bytes: u64) -> Self {
        Layers {
            cache: Arc::new(cache),
            max_bytes,
            reading: moka::future::Cache::builder()
                .max_capacity(256)
                .time_to_live(std::time::Duration::from_secs(60))
                .build(),
            ranges: std::sync::atomic::AtomicU8::new(0),
            merged: moka::future::Cache::builder()
                .max_capacity(MERGED_CACHE_BYTES)
                .weigher(|_, m: &Arc<Merged>| u32::try_from(m.weight()).unwrap_or(u32::MAX))
                .time_to_idle(std::time::Duration::from_secs(600))
                .build(),
            downloads: Slots::new(DOWNLOADS, DOWNLOADS_PER_USER),
            first_reads: Slots::new(FIRST_READS, FIRST_READS_PER_USER),
            list_bytes: DEFAULT_LIST_BYTES,
            read_time: DEFAULT_READ_TIME,
            refused: moka::future::Cache::builder()
                .max_capacity(10_000)
                .time_to_live(std::time::Duration::from_secs(3600))
                .build(),
        }
    }

    /// The bytes a layer's listing (and an image's, all layers together)
    /// may take.
    pub fn with_list_bytes(mut self, bytes: u64) -> Self {
        self.list_bytes = bytes;
        self
    }

    /// How long a first read may take before it stops.
    pub fn with_read_time(mut self, time: Duration) -> Self {
        self.read_time = time;
        self
    }

    fn check(&self, layer: &LayerRef) -> Result<Compression, LayerError> {
        if layer.size > self.max_bytes {
            return Err(LayerError::TooLarge {
                size_mb: layer.size.div_ceil(1 << 20),
                max_mb: self.max_bytes >> 20,
            });
        }
        Compression::of(&layer.media_type)
            .ok_or_else(|| LayerError::Unsupported(layer.media_type.clone()))
    }

    /// Whether the caller's repository has every one of `layers`, asked
    /// with the caller's credentials: the listings are keyed by digest and
    /// shared, and a manifest can name a layer its repository does not
    /// have.
    async fn present(
        &self,
        reg: &RegistryClient,
        creds: &Credentials,
        layers: &[LayerRef],
    ) -> Result<(), LayerError> {
        futures::future::try_join_all(
            layers
                .iter()
                .map(|l| reg.blob_head(creds, &l.repo, &l.digest)),
        )
        .await
        .map_err(registry_error)?;
        Ok(())
    }

    /// The layer's description, reading (and listing) it first if no
    /// listing is cached.
    pub async fn info(
        &self,
        reg: &RegistryClient,
        creds: &Credentials,
        layer: &LayerRef,
    ) -> Result<LayerInfo, LayerError> {
        self.present(reg, creds, std::slice::from_ref(layer))
            .await?;
        self.listed_info(reg, creds, layer).await
    }

    /// `info` for a layer whose presence the caller has checked.
    async fn listed_info(
        &self,
        reg: &RegistryClient,
        creds: &Credentials,
        layer: &LayerRef,
    ) -> Result<LayerInfo, LayerError> {
        let compression = self.check(layer)?;
        let hex = layer.digest.hex().to_string();
        if let Some(stop) = self.refused.get(&hex).await {
            return Err(LayerError::Stopped(stop));
        }
        let cache = self.cache.clone();
        let key = hex.clone();
        let cached = tokio::task::spawn_blocking(move || cache.info(&key))
            .await
            .map_err(|e| LayerError::Read(e.to_string()))?
            .map_err(|e| LayerError::Read(e.to_string()))?;
        if let Some(info) = cached {
            return Ok(info);
        }
        self.reading
            // Boxed: a first read's future (an HTTP call, a blocking task)
            // is large, and pages nest it deep.
            .try_get_with(
                hex,
                Box::pin(self.read_whole(reg, creds, layer, compression)),
            )
            .await
            .map_err(|e| (*e).clone())
    }

    /// Every entry of the layer, in archive order.
    pub async fn entries(
        &self,
        reg: &RegistryClient,
        creds: &Credentials,
        layer: &LayerRef,
    ) -> Result<(LayerInfo, Vec<Entry>), LayerError> {
        let info = self.info(reg, creds, layer).await?;
        let entries = self.load_entries(layer, &info).await?;
        Ok((info, entries))
    }

    /// A listed layer's entries from the disk cache.
    async fn load_entries(
        &self,
        layer: &LayerRef,
        info: &LayerInfo,
    ) -> Result<Vec<Entry>, LayerError> {
        if info.entries > MAX_IMAGE_ENTRIES {
            return Err(LayerError::TooManyEntries {
                entries: info.entries,
                max: MAX_IMAGE_ENTRIES,
            });
        }
        let cache = self.cache.clone();
        let hex = layer.digest.hex().to_string();
        let entries = tokio::task::spawn_blocking(move || {
            let mut all = Vec::new();
            cache.entries(&hex, |e| all.push(e)).map(|()| all)
        })
        .await
        .map_err(|e| LayerError::Read(e.to_string()))?
        .map_err(|e| LayerError::Read(e.to_string()))?;
        Ok(entries)
    }

    /// The filesystem of the image whose manifest has digest `image` (which
    /// the caller has just read with their own credentials) and `layers`.
    pub async fn merged(
        &self,
        reg: &RegistryClient,
        creds: &Credentials,
        image: &str,
        layers: &[LayerRef],
    ) -> Result<Arc<Merged>, LayerError> {
        // Asked every time, cached tree or not.
        self.present(reg, creds, layers).await?;
        self.merged
            .try_get_with(image.to_string(), Box::pin(self.merge(reg, creds, layers)))
            .await
            .map_err(|e: Arc<LayerError>| (*e).clone())
    }

    /// The layers' listings (read first where missing) merged in order.
    async fn merge(
        &self,
        reg: &RegistryClient,
        creds: &Credentials,
        layers: &[LayerRef],
    ) -> Result<Arc<Merged>, LayerError> {
        // Counted before any listing is loaded.
        let (mut total, mut listed) = (0u64, 0u64);
        let mut infos = Vec::with_capacity(layers.len());
        for layer in layers {
            let info = self.listed_info(reg, creds, layer).await?;
            total += info.entries;
            listed += info.listed;
            infos.push(info);
        }
        if total > MAX_IMAGE_ENTRIES {
            return Err(LayerError::TooManyEntries {
                entries: total,
                max: MAX_IMAGE_ENTRIES,
            });
        }
        // The tree holds about what its listings hold.
        if listed > self.list_bytes {
            return Err(LayerError::Stopped(Stop::Bytes {
                max_mb: self.list_bytes >> 20,
            }));
        }
        let mut merged = Merged::default();
        for (i, (layer, info)) in layers.iter().zip(&infos).enumerate() {
            merged.apply(i, self.load_entries(layer, info).await?);
        }
        Ok(Arc::new(merged))
    }

    async fn read_whole(
        &self,
        reg: &RegistryClient,
        creds: &Credentials,
        layer: &LayerRef,
        compression: Compression,
    ) -> Result<LayerInfo, LayerError> {
        let _slot = self
            .first_reads
            .take(&super::reader::current(), FIRST_READ_WAIT)
            .await
            .map_err(|_| LayerError::ReadsBusy)?;
        let budget = Budget::new(self.list_bytes, MAX_IMAGE_ENTRIES, self.read_time);
        // Dropped with this future: a request that goes away stops its read.
        let _abandon = AbandonOnDrop(budget.clone());
        let blob = reg
            .blob_from(creds, &layer.repo, &layer.digest, 0)
            .await
            .map_err(registry_error)?;
        let body = body::reader(blob.response, layer.size);
        // A registry that stalls mid-blob leaves the reader waiting: stopping
        // the pump ends its wait, at the deadline or with this future.
        let pump = PumpGuard(body.stopper());
        let source = Watched {
            inner: body,
            budget: budget.clone(),
        };
        let cache = self.cache.clone();
        let (digest, size) = (layer.digest.clone(), layer.size);
        let watching = budget.clone();
        let mut listing = tokio::task::spawn_blocking(move || {
            list_blob(&cache, source, &digest, size, compression, &watching)
        });
        let listed = tokio::select! {
            done = &mut listing => done,
            () = tokio::time::sleep(self.read_time) => {
                // Recorded as the reason before the reader sees its end.
                let _ = budget.check();
                pump.0.abort();
                listing.await
            }
        }
        .map_err(|e| LayerError::Read(e.to_string()))?;
        let info = match (listed, budget.stopped()) {
            (Ok(info), _) => info,
            (Err(_), Some(stop)) => {
                // Over its budget, a layer stays over it: remember that.
                if matches!(stop, Stop::Bytes { .. } | Stop::Entries { .. }) {
                    self.refused
                        .insert(layer.digest.hex().to_string(), stop.clone())
                        .await;
                }
                return Err(LayerError::Stopped(stop));
            }
            (Err(e), None) => return Err(LayerError::Read(e.to_string())),
        };
        let cache = self.cache.clone();
        tokio::task::spawn_blocking(move || {
            if let Err(e) = cache.evict() {
                tracing::warn!(error = %e, "the layer cache could not be trimmed");
            }
        });
        Ok(info)
    }

    /// Up to `max` bytes of `entry`'s content, and whether that is all of
    /// it.
    pub async fn read_file(
        &self,
        reg: &RegistryClient,
        creds: &Credentials,
        layer: &LayerRef,
        entry: &Entry,
        max: u64,
    ) -> Result<(Vec<u8>, bool), LayerError> {
        let at = self.position(reg, creds, layer, entry.offset).await?;
        let take = entry.size.min(max);
        let size = entry.size;
        let bytes = tokio::task::spawn_blocking(move || -> io::Result<Vec<u8>> {
            let stream = at.open()?;
            let mut out = Vec::with_capacity(take as usize);
            stream.take(take).read_to_end(&mut out)?;
            if (out.len() as u64) < take {
                return Err(io::Error::new(
                    io::ErrorKind::UnexpectedEof,
                    "the layer ends inside the file",
                ));
            }
            Ok(out)
        })
        .await
        .map_err(|e| LayerError::Read(e.to_string()))?
        .map_err(|e| LayerError::Read(e.to_string()))?;
        Ok((bytes, take == size))
    }

    /// `entry`'s whole content as a stream of chunks, read on a blocking
    /// thread a few chunks ahead of the consumer (a download of a file of
    /// any size holds a few hundred KiB at most). The stream is positioned
    /// before this returns, so a layer that cannot be read is an error
    /// here, not a broken download; a read that fails later ends the
    /// stream with the error.
    pub async fn stream_file(
        &self,
        reg: &RegistryClient,
        creds: &Credentials,
        layer: &LayerRef,
        entry: &Entry,
    ) -> Result<tokio::sync::mpsc::Receiver<io::Result<Vec<u8>>>, LayerError> {
        let permit = self
            .downloads
            .take(&super::reader::current(), Duration::ZERO)
            .await
            .map_err(|full| match full {
                Full::All => LayerError::Busy,
                Full::User => LayerError::DownloadsOfUser {
                    max: DOWNLOADS_PER_USER,
                },
            })?;
        let at = self.position(reg, creds, layer, entry.offset).await?;
        let size = entry.size;
        let (tx, rx) = tokio::sync::mpsc::channel(4);
        let (ready_tx, ready_rx) = tokio::sync::oneshot::channel();
        tokio::task::spawn_blocking(move || {
            let _permit = permit;
            let stream = match at.open() {
                Ok(s) => {
                    let _ = ready_tx.send(Ok(()));
                    s
                }
                Err(e) => {
                    let _ = ready_tx.send(Err(e));
                    return;
                }
            };
            let mut stream = stream.take(size);
            let mut left = size;
            while left > 0 {
                let mut chunk = vec![0u8; left.min(64 << 10) as usize];
                let item = match stream.read(&mut chunk) {
                    Ok(0) => Err(io::Error::new(
                        io::ErrorKind::UnexpectedEof,
                        "the layer ends inside the file",
                    )),
                    Ok(n) => {
                        chunk.truncate(n);
                        left -= n as u64;
                        Ok(chunk)
                    }
                    Err(e) => Err(e),
                };
                let stop = item.is_err();
                // A receiver gone is a client gone: stop reading.
                if tx.blocking_send(item).is_err() || stop {
                    return;
                }
            }
        });
        ready_rx
            .await
            .map_err(|e| LayerError::Read(e.to_string()))?
            .map_err(|e| LayerError::Read(e.to_string()))?;
        Ok(rx)
    }

    /// A request for the blob from the checkpoint before `offset` (or the
    /// start), ready to be opened on a blocking thread.
    async fn position(
        &self,
        reg: &RegistryClient,
        creds: &Credentials,
        layer: &LayerRef,
        offset: u64,
    ) -> Result<Positioned, LayerError> {
        let compression = self.check(layer)?;
        let hex = layer.digest.hex().to_string();
        let cache = self.cache.clone();
        // Where to start in the blob, and at which output offset that is.
        let checkpoint = match compression {
            Compression::Gzip => {
                tokio::task::spawn_blocking(move || cache.checkpoint_before(&hex, offset))
                    .await
                    .map_err(|e| LayerError::Read(e.to_string()))?
                    .map_err(|e| LayerError::Read(e.to_string()))?
            }
            _ => None,
        };
        let from = match (compression, &checkpoint) {
            (Compression::Gzip, Some(cp)) => cp.range_start(),
            (Compression::Tar, _) => offset,
            _ => 0,
        };
        let from = if self.ranges.load(std::sync::atomic::Ordering::Relaxed) == 2 {
            0
        } else {
            from
        };
        let blob = reg
            .blob_from(creds, &layer.repo, &layer.digest, from)
            .await
            .map_err(registry_error)?;
        if from > 0 {
            // Learnt once: 1 ranges work, 2 they do not.
            let state = if blob.start == from { 1 } else { 2 };
            self.ranges
                .store(state, std::sync::atomic::Ordering::Relaxed);
        }
        let start = blob.start;
        Ok(Positioned {
            source: body::reader(blob.response, layer.size - start),
            compression,
            checkpoint,
            start,
            offset,
        })
    }
}

/// Stops a blob's pump when dropped.
struct PumpGuard(tokio::task::AbortHandle);

impl Drop for PumpGuard {
    fn drop(&mut self) {
        self.0.abort();
    }
}

/// A blob response and where in the uncompressed stream the wanted bytes
/// start.
struct Positioned {
    source: body::BodyReader,
    compression: Compression,
    checkpoint: Option<super::gzip_index::Checkpoint>,
    /// The blob offset the response starts at.
    start: u64,
    /// The wanted offset in the uncompressed stream.
    offset: u64,
}

impl Positioned {
    /// The uncompressed stream from `offset` on (blocking: it skips).
    fn open(self) -> io::Result<Box<dyn Read>> {
        let Positioned {
            mut source,
            compression,
            checkpoint,
            start,
            offset,
        } = self;
        let (mut stream, at): (Box<dyn Read>, u64) = match (compression, checkpoint) {
            (Compression::Gzip, Some(cp)) if start == cp.range_start() => {
                let at = cp.uncompressed;
                (Box::new(ResumedReader::new(source, &cp)?), at)
            }
            (Compression::Gzip, _) => {
                skip(&mut source, start)?;
                (Box::new(flate2::read::MultiGzDecoder::new(source)), 0)
            }
            (Compression::Zstd, _) => {
                skip(&mut source, start)?;
                (Box::new(zstd::stream::read::Decoder::new(source)?), 0)
            }
            (Compression::Tar, _) => (Box::new(source), start),
        };
        skip(&mut stream, offset - at)?;
        Ok(stream)
    }
}

fn skip(r: &mut impl Read, n: u64) -> io::Result<()> {
    let skipped = io::copy(&mut r.take(n), &mut io::sink())?;
    if skipped < n {
        return Err(io::Error::new(
            io::ErrorKind::UnexpectedEof,
            "the layer ends early",
        ));
    }
    Ok(())
}

/// Checks the blob's digest as it passes.
struct Hashing<R> {
    inner: R,
    hash: Sha256,
    read: u64,
}

impl<R: Read> Read for Hashing<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.hash.update(&buf[..n]);
        self.read += n as u64;
        Ok(n)
    }
}

/// Stops a decompressed stream past `MAX_UNCOMPRESSED`.
struct Capped<R> {
    inner: R,
    left: u64,
}

impl<R: Read> Read for Capped<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.left = self.left.checked_sub(n as u64).ok_or_else(|| {
            io::Error::new(
                io::ErrorKind::InvalidData,
                format!(
                    "the layer unpacks to more than {} GB",
                    MAX_UNCOMPRESSED >> 30
                ),
            )
        })?;
        Ok(n)
    }
}

/// Lists a whole blob into the cache (a blocking thread's work).
fn list_blob(
    cache: &LayerCache,
    source: impl Read,
    digest: &Digest,
    size: u64,
    compression: Compression,
    budget: &Budget,
) -> io::Result<LayerInfo> {
    let hex = digest.hex();
    let mut hashing = Hashing {
        inner: source,
        hash: Sha256::new(),
        read: 0,
    };
    let mut writer = cache.writer(hex)?;
    // Each entry is weighed before it is written: the listing on disk
    // never passes its budget.
    let put = |w: &mut cache::ListingWriter, e: Entry| {
        let line = cache::encode(&e)?;
        budget.charge(line.len() as u64)?;
        w.line(&line)
    };
    let summary = match compression {
        Compression::Gzip => {
            let checkpoints = writer
                .checkpoints
                .take()
                .ok_or_else(|| io::Error::other("no checkpoint file"))?;
            let mut reader = IndexingReader::new(&mut hashing, checkpoints)?;
            let capped = Capped {
                inner: &mut reader,
                left: MAX_UNCOMPRESSED,
            };
            let summary = listing::list(capped, |e| put(&mut writer, e))?;
            writer.checkpoints = Some(reader.into_sink());
            summary
        }
        Compression::Zstd => {
            writer.checkpoints = None;
            let decoder = zstd::stream::read::Decoder::new(&mut hashing)?;
            let capped = Capped {
                inner: decoder,
                left: MAX_UNCOMPRESSED,
            };
            listing::list(capped, |e| put(&mut writer, e))?
        }
        Compression::Tar => {
            writer.checkpoints = None;
            listing::list(&mut hashing, |e| put(&mut writer, e))?
        }
    };
    // Whatever the archive left unread is still the blob's.
    io::copy(&mut hashing, &mut io::sink())?;
    let got = format!("sha256:{}", hex::encode(hashing.hash.finalize()));
    if got != digest.as_ref() || hashing.read != size {
        return Err(io::Error::new(
            io::ErrorKind::InvalidData,
            format!(
                "the blob is not the one its manifest names ({} bytes, {got})",
                hashing.read
            ),
        ));
    }
    let info = LayerInfo {
        compression: compression.name().into(),
        entries: summary.entries,
        bytes: summary.bytes,
        compressed: size,
        listed: budget.spent(),
    };
    writer.finish(&info)?;
    Ok(info)
}
