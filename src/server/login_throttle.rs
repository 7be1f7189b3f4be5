//! Failed-login throttling. Each failure costs the client's address and the
//! username one cell of a GCRA bucket (`governor`); once a bucket is empty
//! that address or user is refused with 429 until it refills, before any
//! password is checked. Successful logins cost nothing. The per-address
//! bucket is the tighter one, so one guessing client locks out only itself,
//! while the per-user bucket bounds a guesser spread over many addresses.
//!
//! Password checks also pass through a semaphore: bcrypt costs about 250 ms
//! of CPU at cost 12, and unbounded checks would starve everything else.

use std::hash::Hash;
use std::net::IpAddr;
use std::num::NonZeroU32;
use std::time::{Duration, Instant};

use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use moka::sync::Cache;
use tokio::sync::{Semaphore, SemaphorePermit};

/// Failures an address may make at once, then one more every 12 s.
const IP_BURST: u32 = 10;
const IP_PERIOD: Duration = Duration::from_secs(12);
/// Failures a username may take at once (from anywhere), then one every 6 s.
const USER_BURST: u32 = 20;
const USER_PERIOD: Duration = Duration::from_secs(6);
/// Bounds on what the throttle remembers, whatever the attack.
const MAX_KEYS: u64 = 100_000;

#[derive(Clone, PartialEq, Eq, Hash)]
enum Key {
    Ip(IpAddr),
    User(String),
}

pub struct LoginThrottle {
    by_ip: DefaultKeyedRateLimiter<IpAddr>,
    by_user: DefaultKeyedRateLimiter<String>,
    /// Who is refused, and until when; entries leave by themselves.
    blocked: Cache<Key, Instant>,
    checks: Semaphore,
}

/// Refused: try again after this long.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryAfter(pub Duration);

impl RetryAfter {
    /// Whole seconds, rounded up, at least one.
    pub fn seconds(&self) -> u64 {
        (self.0.as_secs_f64().ceil() as u64).max(1)
    }
}

fn quota(burst: u32, period: Duration) -> Quota {
    let burst = NonZeroU32::new(burst).unwrap_or(NonZeroU32::MIN);
    Quota::with_period(period)
        .unwrap_or_else(|| Quota::per_minute(NonZeroU32::MIN))
        .allow_burst(burst)
}

impl Default for LoginThrottle {
    fn default() -> Self {
        Self::new()
    }
}

impl LoginThrottle {
    pub fn new() -> Self {
        // One check per core but one, so a burst of logins leaves a core
        // for pages and the bundle.
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        Self {
            by_ip: RateLimiter::keyed(quota(IP_BURST, IP_PERIOD)),
            by_user: RateLimiter::keyed(quota(USER_BURST, USER_PERIOD)),
            blocked: Cache::builder()
                .max_capacity(MAX_KEYS)
                .time_to_live(USER_PERIOD.max(IP_PERIOD) * 2)
                .build(),
            checks: Semaphore::new(cores.saturating_sub(1).max(1)),
        }
    }

    /// Before a password is checked: is this address or user refused now?
    pub fn admit(&self, ip: IpAddr, username: &str) -> Result<(), RetryAfter> {
        let now = Instant::now();
        [Key::Ip(ip), Key::User(username.to_string())]
            .iter()
            .filter_map(|k| self.blocked.get(k))
            .filter(|until| *until > now)
            .max()
            .map_or(Ok(()), |until| Err(RetryAfter(until - now)))
    }

    /// After a wrong password: charge both buckets; an empty one blocks.
    pub fn failed(&self, ip: IpAddr, username: &str) {
        self.charge(&self.by_ip, ip, Key::Ip(ip));
        self.charge(
            &self.by_user,
            username.to_string(),
            Key::User(username.to_string()),
        );
        if self.by_ip.len() + self.by_user.len() > MAX_KEYS as usize {
            self.by_ip.retain_recent();
            self.by_user.retain_recent();
        }
    }

    fn charge<K: Clone + Hash + Eq>(
        &self,
        limiter: &DefaultKeyedRateLimiter<K>,
        key: K,
        as_key: Key,
    ) {
        if let Err(not_until) = limiter.check_key(&key) {
            let wait = not_until.wait_time_from(DefaultClock::default().now());
            self.blocked.insert(as_key, Instant::now() + wait);
        }
    }

    /// A permit to run one password check.
    pub async fn check_permit(&self) -> Option<SemaphorePermit<'_>> {
        self.checks.acquire().await.ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn an_address_is_refused_after_its_burst_of_failures() {
        let t = LoginThrottle::new();
        let (a, b) = (ip("10.0.0.1"), ip("10.0.0.2"));
        for _ in 0..IP_BURST {
            assert!(t.admit(a, "alice").is_ok());
            t.failed(a, "alice");
        }
        assert!(t.admit(a, "alice").is_ok(), "the burst itself is allowed");
        t.failed(a, "alice");
        let retry = t.admit(a, "bob").expect_err("this address is refused");
        assert!(retry.0 <= IP_PERIOD && retry.seconds() >= 1);
        // Another address, same user: the user's own bucket is not empty yet.
        assert!(t.admit(b, "alice").is_ok());
    }

    #[test]
    fn a_user_is_refused_after_failures_from_many_addresses() {
        let t = LoginThrottle::new();
        for i in 0..=USER_BURST {
            t.failed(IpAddr::from([10, 0, 1, i as u8]), "alice");
        }
        assert!(t.admit(ip("10.9.9.9"), "alice").is_err());
        assert!(t.admit(ip("10.9.9.9"), "bob").is_ok());
    }

    #[test]
    fn retry_after_rounds_up() {
        assert_eq!(RetryAfter(Duration::from_millis(1)).seconds(), 1);
        assert_eq!(RetryAfter(Duration::from_secs(12)).seconds(), 12);
        assert_eq!(RetryAfter(Duration::from_millis(11_500)).seconds(), 12);
        assert_eq!(RetryAfter(Duration::ZERO).seconds(), 1);
    }
}
