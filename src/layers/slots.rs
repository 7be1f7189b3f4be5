//! Slots for costly work (first reads of layers, downloads): so many at
//! once in the process, so many per user, and a bounded wait for one. One
//! user cannot take every slot, and nobody waits for ever.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::sync::{OwnedSemaphorePermit, Semaphore};

/// Who had to wait too long.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Full {
    /// Every slot of the process is taken.
    All,
    /// The user's own slots are taken.
    User,
}

pub struct Slots {
    all: Arc<Semaphore>,
    per_user: usize,
    users: Mutex<HashMap<String, Arc<Semaphore>>>,
}

/// Held while the work runs; the slots free when it is dropped.
pub struct Slot {
    _user: OwnedSemaphorePermit,
    _all: OwnedSemaphorePermit,
}

impl Slots {
    pub fn new(all: usize, per_user: usize) -> Self {
        Slots {
            all: Arc::new(Semaphore::new(all)),
            per_user,
            users: Mutex::new(HashMap::new()),
        }
    }

    /// The user's semaphore; users holding nothing are forgotten (a
    /// permit or a waiter holds a clone of its semaphore).
    fn of(&self, user: &str) -> Arc<Semaphore> {
        let mut users = self.users.lock().unwrap_or_else(|p| p.into_inner());
        users.retain(|_, s| Arc::strong_count(s) > 1);
        users
            .entry(user.to_string())
            .or_insert_with(|| Arc::new(Semaphore::new(self.per_user)))
            .clone()
    }

    /// A slot for `user`, waiting at most `wait` (zero: only if one is
    /// free now).
    pub async fn take(&self, user: &str, wait: Duration) -> Result<Slot, Full> {
        let mine = self.of(user);
        let deadline = tokio::time::Instant::now() + wait;
        let user = tokio::time::timeout_at(deadline, mine.acquire_owned())
            .await
            .map_err(|_| Full::User)?
            .map_err(|_| Full::User)?;
        let all = tokio::time::timeout_at(deadline, self.all.clone().acquire_owned())
            .await
            .map_err(|_| Full::All)?
            .map_err(|_| Full::All)?;
        Ok(Slot {
            _user: user,
            _all: all,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn one_user_cannot_take_every_slot_and_nobody_waits_for_ever() {
        let slots = Slots::new(2, 1);
        let now = Duration::ZERO;
        let a = slots.take("alice", now).await.expect("alice's first");
        assert_eq!(
            slots.take("alice", now).await.err(),
            Some(Full::User),
            "alice's second waits for her first"
        );
        let b = slots.take("bob", now).await.expect("bob's own slot");
        assert_eq!(
            slots.take("carol", Duration::from_millis(50)).await.err(),
            Some(Full::All),
            "both slots of the process are taken"
        );
        drop(a);
        assert!(
            slots.take("carol", now).await.is_ok(),
            "a freed slot is free"
        );
        drop(b);
        // A waiter gets the slot when it frees within the wait.
        let held = slots.take("alice", now).await.unwrap();
        let waiting = slots.take("alice", Duration::from_secs(5));
        let release = async {
            tokio::time::sleep(Duration::from_millis(20)).await;
            drop(held);
        };
        let (got, ()) = tokio::join!(waiting, release);
        assert!(got.is_ok());
    }

    #[tokio::test]
    async fn users_holding_nothing_are_forgotten() {
        let slots = Slots::new(4, 4);
        for n in 0..100 {
            drop(
                slots
                    .take(&format!("user{n}"), Duration::ZERO)
                    .await
                    .unwrap(),
            );
        }
        let _ = slots.of("last");
        assert_eq!(slots.users.lock().unwrap().len(), 1);
    }
}
