//! Time turned into commands: one task sleeps until the agenda's next due
//! time (or until a command moves the agenda), then lets the engine say what
//! is due. No polling; the agenda lives in the store, so a restart resumes it
//! and sends what fell due meanwhile once, marked late.

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use chrono::Utc;

use crate::engine::Engine;
use crate::store::OutboxItem;

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
        match engine.tick(Utc::now()) {
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

async fn sleep(wait: Duration) {
    // tokio's timer tops out around two years; "forever" is a pending future.
    match tokio::time::Instant::now().checked_add(wait) {
        Some(deadline) if wait < Duration::from_secs(86_400 * 365) => {
            tokio::time::sleep_until(deadline).await;
        }
        _ => std::future::pending().await,
    }
}
