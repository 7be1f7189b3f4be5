//! What a first read of a layer may spend: bytes of listing and entries
//! written to disk, and time. A layer of a megabyte can name hundreds of
//! thousands of files with 4 KB names; its listing stops at the budget, not
//! when the disk or the memory is full. A read whose request went away (or
//! whose deadline passed) stops too: the blocking thread checks the flag
//! at every entry and every read of the blob.

use std::io::{self, Read};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};

/// Why a listing stopped before the archive's end.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Stop {
    #[error("the layer's listing passes {max_mb} MB (BERTH_LAYER_LIST_MB)")]
    Bytes { max_mb: u64 },
    #[error("the layer has more than {max} entries")]
    Entries { max: u64 },
    #[error("reading the layer took longer than {secs} s")]
    Deadline { secs: u64 },
    #[error("the request reading the layer went away")]
    Abandoned,
}

/// The limits of one read, shared by the request and its blocking thread.
pub struct Budget {
    max_bytes: u64,
    max_entries: u64,
    deadline: Instant,
    allowed: Duration,
    abandoned: AtomicBool,
    bytes: AtomicU64,
    entries: AtomicU64,
    stopped: OnceLock<Stop>,
}

impl Budget {
    pub fn new(max_bytes: u64, max_entries: u64, allowed: Duration) -> Arc<Budget> {
        Arc::new(Budget {
            max_bytes,
            max_entries,
            deadline: Instant::now() + allowed,
            allowed,
            abandoned: AtomicBool::new(false),
            bytes: AtomicU64::new(0),
            entries: AtomicU64::new(0),
            stopped: OnceLock::new(),
        })
    }

    /// Counts one entry of `bytes` before it is written; an error once the
    /// listing would pass its budget.
    pub fn charge(&self, bytes: u64) -> io::Result<()> {
        self.check()?;
        let total = self.bytes.fetch_add(bytes, Ordering::Relaxed) + bytes;
        if total > self.max_bytes {
            return Err(self.stop(Stop::Bytes {
                max_mb: self.max_bytes >> 20,
            }));
        }
        if self.entries.fetch_add(1, Ordering::Relaxed) + 1 > self.max_entries {
            return Err(self.stop(Stop::Entries {
                max: self.max_entries,
            }));
        }
        Ok(())
    }

    /// Bytes of listing charged so far.
    pub fn spent(&self) -> u64 {
        self.bytes.load(Ordering::Relaxed)
    }

    /// An error once the read is abandoned or past its deadline.
    pub fn check(&self) -> io::Result<()> {
        if self.abandoned.load(Ordering::Relaxed) {
            return Err(self.stop(Stop::Abandoned));
        }
        if Instant::now() > self.deadline {
            return Err(self.stop(Stop::Deadline {
                secs: self.allowed.as_secs(),
            }));
        }
        Ok(())
    }

    /// The first reason the read stopped, if it did.
    pub fn stopped(&self) -> Option<Stop> {
        self.stopped.get().cloned()
    }

    fn stop(&self, why: Stop) -> io::Error {
        let _ = self.stopped.set(why.clone());
        io::Error::other(why)
    }
}

/// Marks the read abandoned when dropped: held by the request's future, so
/// a request that ends (or is dropped) stops its blocking thread.
pub struct AbandonOnDrop(pub Arc<Budget>);

impl Drop for AbandonOnDrop {
    fn drop(&mut self) {
        self.0.abandoned.store(true, Ordering::Relaxed);
    }
}

/// A reader that stops when its budget's read is abandoned or late.
pub struct Watched<R> {
    pub inner: R,
    pub budget: Arc<Budget>,
}

impl<R: Read> Read for Watched<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.budget.check()?;
        self.inner.read(buf)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_listing_stops_at_its_bytes_or_its_entries() {
        let b = Budget::new(100, 10, Duration::from_secs(60));
        assert!(b.charge(60).is_ok());
        assert!(b.charge(60).is_err());
        assert_eq!(b.stopped(), Some(Stop::Bytes { max_mb: 0 }));
        let b = Budget::new(1 << 30, 2, Duration::from_secs(60));
        assert!(b.charge(1).is_ok() && b.charge(1).is_ok());
        assert!(b.charge(1).is_err());
        assert_eq!(b.stopped(), Some(Stop::Entries { max: 2 }));
    }

    #[test]
    fn an_abandoned_or_late_read_stops_its_reader() {
        let b = Budget::new(1 << 30, 10, Duration::from_secs(60));
        let mut r = Watched {
            inner: &b"abc"[..],
            budget: b.clone(),
        };
        let mut buf = [0u8; 1];
        assert_eq!(r.read(&mut buf).unwrap(), 1);
        drop(AbandonOnDrop(b.clone()));
        assert!(r.read(&mut buf).is_err());
        assert_eq!(b.stopped(), Some(Stop::Abandoned));
        let late = Budget::new(1 << 30, 10, Duration::ZERO);
        std::thread::sleep(Duration::from_millis(2));
        assert!(late.check().is_err());
        assert_eq!(late.stopped(), Some(Stop::Deadline { secs: 0 }));
    }
}
