//! Group commit. In the adapter the store does not flush each commit to
//! disk by itself (`Store::grouping_commits`): an outbox item is released
//! to be sent only after a flush that began after it was committed, and one
//! flush covers every item committed meanwhile. So a burst of commands costs
//! one disk sync per batch instead of one per command, and the sync loop
//! records the next command while the disk syncs the last one.
//!
//! Exactly once still holds: nothing is sent before the command it answers
//! is on disk, and the sync token is saved only after [`Flusher::durable`].

use std::sync::{Arc, Mutex};

use tokio::sync::{Notify, watch};
use tracing::error;

use super::Backoff;
use crate::store::StoreError;

type Flush = dyn Fn() -> Result<(), StoreError> + Send + Sync;

pub struct Flusher<T> {
    flush: Arc<Flush>,
    waiting: Mutex<Waiting<T>>,
    wake: Notify,
    /// The last request (see [`Waiting::asked`]) that a finished flush covered.
    done: watch::Sender<u64>,
}

struct Waiting<T> {
    items: Vec<T>,
    /// Requests for a flush without an item, numbered.
    asked: u64,
}

impl<T: Send> Flusher<T> {
    /// `flush` puts every commit made so far on disk.
    pub fn new(flush: impl Fn() -> Result<(), StoreError> + Send + Sync + 'static) -> Flusher<T> {
        Flusher {
            flush: Arc::new(flush),
            waiting: Mutex::new(Waiting {
                items: Vec::new(),
                asked: 0,
            }),
            wake: Notify::new(),
            done: watch::Sender::new(0),
        }
    }

    /// An item whose commit is made: released by the next flush.
    pub fn push(&self, item: T) {
        self.lock().items.push(item);
        self.wake.notify_one();
    }

    /// Asks for a flush soon, without waiting for it (a commit that only
    /// records what was done, e.g. a reply delivered).
    pub fn flush_soon(&self) {
        self.ask();
    }

    /// Waits until every commit made before the call is on disk.
    pub async fn durable(&self) {
        let asked = self.ask();
        let mut done = self.done.subscribe();
        // The sender lives as long as `self`.
        let _ = done.wait_for(|done| *done >= asked).await;
    }

    /// Waits for work, flushes (on a blocking thread, retried until the
    /// disk takes it) and returns the items that flush released.
    pub async fn next_batch(&self) -> Vec<T> {
        loop {
            self.wake.notified().await;
            let (items, asked) = {
                let mut waiting = self.lock();
                (std::mem::take(&mut waiting.items), waiting.asked)
            };
            if items.is_empty() && asked <= *self.done.borrow() {
                continue;
            }
            self.flush_until_it_works().await;
            self.done.send_replace(asked);
            return items;
        }
    }

    async fn flush_until_it_works(&self) {
        let mut backoff = Backoff::new();
        loop {
            let flush = self.flush.clone();
            match tokio::task::spawn_blocking(move || flush()).await {
                Ok(Ok(())) => return,
                Ok(Err(e)) => error!(
                    "flushing the store failed, retrying in {:?}: {e}",
                    backoff.next
                ),
                Err(e) => error!(
                    "flushing the store panicked, retrying in {:?}: {e}",
                    backoff.next
                ),
            }
            backoff.wait().await;
        }
    }

    fn ask(&self) -> u64 {
        let asked = {
            let mut waiting = self.lock();
            waiting.asked += 1;
            waiting.asked
        };
        self.wake.notify_one();
        asked
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Waiting<T>> {
        self.waiting.lock().unwrap_or_else(|p| p.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::time::Duration;

    use super::*;

    /// A flusher whose flush takes 20 ms and is counted.
    fn slow_flusher() -> (Arc<Flusher<u32>>, Arc<AtomicUsize>) {
        let flushes = Arc::new(AtomicUsize::new(0));
        let counted = flushes.clone();
        let flusher = Flusher::new(move || {
            std::thread::sleep(Duration::from_millis(20));
            counted.fetch_add(1, Ordering::SeqCst);
            Ok(())
        });
        (Arc::new(flusher), flushes)
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn one_flush_releases_every_item_pushed_before_it() {
        let (flusher, flushes) = slow_flusher();
        for item in 1..=3 {
            flusher.push(item);
        }
        assert_eq!(flusher.next_batch().await, vec![1, 2, 3]);
        assert_eq!(flushes.load(Ordering::SeqCst), 1);
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn an_item_pushed_during_a_flush_waits_for_the_next_one() {
        let (flusher, flushes) = slow_flusher();
        flusher.push(1);
        let batches = tokio::spawn({
            let flusher = flusher.clone();
            async move { (flusher.next_batch().await, flusher.next_batch().await) }
        });
        tokio::time::sleep(Duration::from_millis(5)).await;
        flusher.push(2);
        flusher.push(3);
        assert_eq!(batches.await.unwrap(), (vec![1], vec![2, 3]));
        assert_eq!(flushes.load(Ordering::SeqCst), 2);
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn durable_returns_only_after_a_flush_that_began_after_it_was_asked() {
        let (flusher, flushes) = slow_flusher();
        let releasing = tokio::spawn({
            let flusher = flusher.clone();
            async move {
                loop {
                    flusher.next_batch().await;
                }
            }
        });
        flusher.push(1);
        tokio::time::sleep(Duration::from_millis(5)).await;
        flusher.durable().await;
        assert_eq!(
            flushes.load(Ordering::SeqCst),
            2,
            "the one under way did not count"
        );
        flusher.durable().await;
        assert_eq!(flushes.load(Ordering::SeqCst), 3);
        releasing.abort();
    }
}
