//! Time for the sync: a clock that can sleep, injected so that tests never
//! really wait for a rate limit or a backoff.

use std::cell::Cell;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

pub trait Clock {
    /// Monotonic time since some fixed start.
    fn now(&self) -> Duration;
    /// Seconds since the Unix epoch (for `x-ratelimit-reset` when the
    /// server sends no `Date`).
    fn unix_time(&self) -> u64;
    fn sleep(&self, d: Duration);
    /// A number in `[0, 1)` for backoff jitter.
    fn random(&self) -> f64;
}

/// The real clock.
#[derive(Debug)]
pub struct SystemClock {
    start: Instant,
    state: Cell<u64>,
}

impl SystemClock {
    pub fn new() -> SystemClock {
        use std::hash::{BuildHasher, Hasher};
        // Seeded from the standard library's random hasher keys.
        let mut h = std::collections::hash_map::RandomState::new().build_hasher();
        h.write_u32(std::process::id());
        SystemClock {
            start: Instant::now(),
            state: Cell::new(h.finish() | 1),
        }
    }
}

impl Default for SystemClock {
    fn default() -> Self {
        SystemClock::new()
    }
}

impl Clock for SystemClock {
    fn now(&self) -> Duration {
        self.start.elapsed()
    }

    fn unix_time(&self) -> u64 {
        SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_secs())
            .unwrap_or(0)
    }

    fn sleep(&self, d: Duration) {
        std::thread::sleep(d);
    }

    fn random(&self) -> f64 {
        // xorshift64*
        let mut x = self.state.get();
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.state.set(x);
        (x.wrapping_mul(0x2545_f491_4f6c_dd1d) >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// A clock for tests: sleeping only advances it, and it records the sleeps.
#[derive(Debug)]
pub struct ManualClock {
    now: Cell<Duration>,
    unix: u64,
    sleeps: std::cell::RefCell<Vec<Duration>>,
}

impl ManualClock {
    /// Starts at `unix` seconds since the epoch.
    pub fn new(unix: u64) -> ManualClock {
        ManualClock {
            now: Cell::new(Duration::ZERO),
            unix,
            sleeps: Default::default(),
        }
    }

    /// Every sleep requested, in order.
    pub fn sleeps(&self) -> Vec<Duration> {
        self.sleeps.borrow().clone()
    }
}

impl Clock for ManualClock {
    fn now(&self) -> Duration {
        self.now.get()
    }

    fn unix_time(&self) -> u64 {
        self.unix + self.now.get().as_secs()
    }

    fn sleep(&self, d: Duration) {
        self.sleeps.borrow_mut().push(d);
        self.now.set(self.now.get() + d);
    }

    fn random(&self) -> f64 {
        0.5
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    pub type FakeClock = ManualClock;

    impl FakeClock {
        pub fn default_test() -> FakeClock {
            ManualClock::new(1_000_000)
        }
    }

    #[test]
    fn the_manual_clock_advances_only_by_sleeping() {
        let c = ManualClock::new(100);
        assert_eq!(c.now(), Duration::ZERO);
        c.sleep(Duration::from_secs(3));
        assert_eq!(c.now(), Duration::from_secs(3));
        assert_eq!(c.unix_time(), 103);
        assert_eq!(c.sleeps(), [Duration::from_secs(3)]);
    }

    #[test]
    fn the_system_clock_jitter_stays_in_range() {
        let c = SystemClock::new();
        for _ in 0..1000 {
            let r = c.random();
            assert!((0.0..1.0).contains(&r));
        }
    }
}
