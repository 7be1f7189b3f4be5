//! What the index sync is doing now, read by `/admin/registry` and
//! `/metrics` while it runs. Counters only: the last finished run is in the
//! database (`index_syncs`).

use std::sync::atomic::{AtomicBool, AtomicI64, AtomicU64, Ordering::Relaxed};
use std::sync::Arc;

#[derive(Default)]
pub struct SyncProgress {
    running: AtomicBool,
    started_ms: AtomicI64,
    repositories_total: AtomicU64,
    repositories_done: AtomicU64,
    tags: AtomicU64,
    fetched: AtomicU64,
    /// Registry requests made by the running sync (a task-local tally the
    /// registry client adds to).
    pub(super) requests: Arc<AtomicU64>,
}

/// A copy of the counters at one moment.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ProgressSnapshot {
    pub running: bool,
    pub started_ms: i64,
    pub repositories_total: u64,
    pub repositories_done: u64,
    pub tags: u64,
    pub fetched: u64,
    pub requests: u64,
}

impl SyncProgress {
    /// Marks a run as started; false if one already runs.
    pub(super) fn start(&self, now_ms: i64) -> bool {
        if self.running.swap(true, Relaxed) {
            return false;
        }
        self.started_ms.store(now_ms, Relaxed);
        for c in [
            &self.repositories_total,
            &self.repositories_done,
            &self.tags,
            &self.fetched,
            &*self.requests,
        ] {
            c.store(0, Relaxed);
        }
        true
    }

    pub(super) fn finish(&self) {
        self.running.store(false, Relaxed);
    }

    pub(super) fn set_total(&self, n: u64) {
        self.repositories_total.store(n, Relaxed);
    }

    pub(super) fn repository_done(&self, tags: u64) {
        self.repositories_done.fetch_add(1, Relaxed);
        self.tags.fetch_add(tags, Relaxed);
    }

    pub(super) fn fetched_one(&self) {
        self.fetched.fetch_add(1, Relaxed);
    }

    pub fn snapshot(&self) -> ProgressSnapshot {
        ProgressSnapshot {
            running: self.running.load(Relaxed),
            started_ms: self.started_ms.load(Relaxed),
            repositories_total: self.repositories_total.load(Relaxed),
            repositories_done: self.repositories_done.load(Relaxed),
            tags: self.tags.load(Relaxed),
            fetched: self.fetched.load(Relaxed),
            requests: self.requests.load(Relaxed),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_run_at_a_time_and_counters_restart() {
        let p = SyncProgress::default();
        assert!(p.start(5));
        assert!(!p.start(6), "a second run waits for the first");
        p.set_total(3);
        p.repository_done(10);
        p.fetched_one();
        let s = p.snapshot();
        assert_eq!(
            (
                s.running,
                s.started_ms,
                s.repositories_done,
                s.tags,
                s.fetched
            ),
            (true, 5, 1, 10, 1)
        );
        p.finish();
        assert!(p.start(7));
        assert_eq!(p.snapshot().tags, 0);
    }
}
