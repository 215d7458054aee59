//! Locking, the one way the service does it. Every holder of these locks leaves the data
//! whole after each update (a cache entry, a rate bucket, a tally), so a panic elsewhere
//! while one was held is no reason to fail every later request: the data is recovered
//! from the poisoned lock instead.

use std::sync::{
    Condvar, Mutex, MutexGuard, PoisonError, RwLock, RwLockReadGuard, RwLockWriteGuard,
};

pub fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

pub fn read<T>(lock: &RwLock<T>) -> RwLockReadGuard<'_, T> {
    lock.read().unwrap_or_else(PoisonError::into_inner)
}

pub fn write<T>(lock: &RwLock<T>) -> RwLockWriteGuard<'_, T> {
    lock.write().unwrap_or_else(PoisonError::into_inner)
}

/// At most `n` holders at once; the others wait their turn (a counting semaphore for
/// blocking threads).
pub struct Permits {
    free: Mutex<usize>,
    returned: Condvar,
}

impl Permits {
    pub const fn new(n: usize) -> Self {
        Self {
            free: Mutex::new(n),
            returned: Condvar::new(),
        }
    }

    /// Runs `f` once a permit is free, and frees it again afterwards (also on a panic).
    pub fn run<T>(&self, f: impl FnOnce() -> T) -> T {
        let mut free = lock(&self.free);
        while *free == 0 {
            free = self
                .returned
                .wait(free)
                .unwrap_or_else(PoisonError::into_inner);
        }
        *free -= 1;
        drop(free);
        struct Release<'a>(&'a Permits);
        impl Drop for Release<'_> {
            fn drop(&mut self) {
                *lock(&self.0.free) += 1;
                self.0.returned.notify_one();
            }
        }
        let _release = Release(self);
        f()
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::time::Duration;

    use super::Permits;

    #[test]
    fn permits_never_let_more_than_n_run_at_once_and_all_finish() {
        let permits = Permits::new(2);
        let (running, most, done) = (
            AtomicUsize::new(0),
            AtomicUsize::new(0),
            AtomicUsize::new(0),
        );
        std::thread::scope(|s| {
            for _ in 0..8 {
                s.spawn(|| {
                    permits.run(|| {
                        let now = running.fetch_add(1, Ordering::SeqCst) + 1;
                        most.fetch_max(now, Ordering::SeqCst);
                        std::thread::sleep(Duration::from_millis(20));
                        running.fetch_sub(1, Ordering::SeqCst);
                        done.fetch_add(1, Ordering::SeqCst);
                    })
                });
            }
        });
        assert_eq!(most.load(Ordering::SeqCst), 2);
        assert_eq!(done.load(Ordering::SeqCst), 8);
    }

    #[test]
    fn a_panic_inside_frees_the_permit() {
        let permits = Permits::new(1);
        let panicked = std::panic::catch_unwind(|| permits.run(|| panic!("inside")));
        assert!(panicked.is_err());
        assert_eq!(permits.run(|| 7), 7);
    }
}
