//! Time turned into commands: one task sleeps until the agenda's next due
//! time (or until a command moves the agenda), then lets the engine say what
//! is due. No polling; the agenda lives in the store, so a restart resumes it
//! and sends what fell due meanwhile once, marked late.
//!
//! The engine's work (store writes with fsync) runs on tokio's blocking
//! threads, never on the runtime's; [`supervise`] restarts the task if it dies.

use std::any::Any;
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use chrono::Utc;

use crate::engine::Engine;
use crate::store::{OutboxItem, StoreError};

/// How long to wait after a store error before trying again.
const RETRY: Duration = Duration::from_secs(5);

/// Runs forever; `send` delivers each reply (and marks it sent).
pub async fn run<F, Fut>(engine: Arc<Engine>, send: F)
where
    F: Fn(OutboxItem) -> Fut,
    Fut: Future<Output = ()>,
{
    loop {
        let wait = match engine.next_due() {
            Ok(Some(at)) => (at - Utc::now()).to_std().unwrap_or(Duration::ZERO),
            // Nothing planned: sleep until a command plans something.
            Ok(None) => Duration::MAX,
            Err(e) => {
                tracing::error!("scheduler: {e}");
                RETRY
            }
        };
        if !wait.is_zero() {
            tokio::select! {
                () = sleep(wait) => {}
                () = engine.agenda_changed() => continue,
            }
        }
        match tick(&engine).await {
            Ok(items) => {
                for item in items {
                    send(item).await;
                }
            }
            Err(e) => {
                tracing::error!("scheduler: {e}");
                tokio::time::sleep(RETRY).await;
            }
        }
    }
}

/// [`Engine::tick`] on a blocking thread: it waits for the engine's turn and
/// for the disk. A panic in it becomes the scheduler's (see [`supervise`]).
async fn tick(engine: &Arc<Engine>) -> Result<Vec<OutboxItem>, StoreError> {
    let engine = engine.clone();
    match tokio::task::spawn_blocking(move || engine.tick(Utc::now())).await {
        Ok(result) => result,
        Err(e) if e.is_panic() => std::panic::resume_unwind(e.into_panic()),
        // Cancelled: the runtime is shutting down.
        Err(_) => std::future::pending().await,
    }
}

async fn sleep(wait: Duration) {
    // tokio's timer tops out around two years; "forever" is a pending future.
    match tokio::time::Instant::now().checked_add(wait) {
        Some(deadline) if wait < Duration::from_secs(86_400 * 365) => {
            tokio::time::sleep_until(deadline).await;
        }
        _ => std::future::pending().await,
    }
}

/// Runs the task `start` makes and, each time it panics, logs that and
/// starts a new one after `pause`. Returns when a task returns.
pub async fn supervise<F, Fut>(name: &str, pause: Duration, start: F)
where
    F: Fn() -> Fut,
    Fut: Future<Output = ()> + Send + 'static,
{
    loop {
        match tokio::spawn(start()).await {
            Ok(()) => return,
            Err(e) if e.is_panic() => {
                let why = panic_text(e.into_panic());
                tracing::error!("{name} crashed ({why}); restarting it in {pause:?}");
                tokio::time::sleep(pause).await;
            }
            // Cancelled: the runtime is shutting down.
            Err(_) => return,
        }
    }
}

fn panic_text(panic: Box<dyn Any + Send>) -> String {
    match panic.downcast::<String>() {
        Ok(text) => *text,
        Err(panic) => panic
            .downcast_ref::<&str>()
            .map_or_else(|| "panic".to_string(), |s| s.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicU32, Ordering};
    use std::time::Instant;

    use super::*;
    use crate::core::Core;
    use crate::engine::Incoming;
    use crate::store::Store;

    #[tokio::test]
    async fn a_crashed_task_is_restarted() {
        let starts = Arc::new(AtomicU32::new(0));
        let counted = starts.clone();
        supervise("test task", Duration::ZERO, move || {
            let n = counted.fetch_add(1, Ordering::SeqCst);
            async move {
                assert!(n >= 2, "crash number {n}");
            }
        })
        .await;
        assert_eq!(
            starts.load(Ordering::SeqCst),
            3,
            "two crashes, two restarts"
        );
    }

    /// The runtime has one thread here; a store write that waits (for the
    /// engine's turn, as it would for a slow disk) must not stop it.
    #[test]
    fn a_waiting_store_write_does_not_stall_the_runtime() {
        let dir = tempfile::tempdir().unwrap();
        let engine = Arc::new(Engine::new(
            Core::built_in(),
            Store::open(dir.path()).unwrap(),
        ));
        // Opened an hour ago: the unfilled roles are due now.
        engine
            .handle(&Incoming {
                room: "!kernteam:gemeente.nl",
                sender: "@voorzitter:gemeente.nl",
                sender_is_moderator: false,
                body: "!incident open Onrust",
                event_id: None,
                now: Utc::now() - chrono::Duration::hours(1),
            })
            .unwrap();
        let (holding, held) = std::sync::mpsc::channel();
        let (release, released) = std::sync::mpsc::channel::<()>();
        let holder = engine.clone();
        let busy = std::thread::spawn(move || {
            holder.exclusive(|_| {
                holding.send(()).unwrap();
                // Held until the runtime, still alive, says so (or 3 s).
                let _ = released.recv_timeout(Duration::from_secs(3));
            })
        });
        held.recv().unwrap();
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_time()
            .build()
            .unwrap();
        runtime.block_on(async {
            let (sent, mut said) = tokio::sync::mpsc::unbounded_channel();
            tokio::spawn(run(engine.clone(), move |item| {
                let _ = sent.send(item);
                std::future::ready(())
            }));
            let started = Instant::now();
            tokio::time::sleep(Duration::from_millis(100)).await;
            assert!(
                started.elapsed() < Duration::from_secs(2),
                "the runtime stood still for {:?}",
                started.elapsed()
            );
            release.send(()).unwrap();
            let item = said.recv().await.unwrap();
            assert!(item.effect.plain().contains("Nog onbezet"), "{item:?}");
        });
        busy.join().unwrap();
    }
}
