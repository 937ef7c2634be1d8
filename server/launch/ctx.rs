//! The state one launch carries through its steps: the masker, the
//! cancellation, the clock and the budgets. May import `failure`, `report`
//! and `redact`; nothing else of `launch`.

use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

use tokio::time::Instant;

use super::failure::Failure;
use super::report::ms;
use crate::redact::mask::Masker;

/// A cancellation future that may be awaited any number of times.
pub(crate) struct Cancel<'a> {
    fut: Pin<Box<dyn Future<Output = ()> + Send + 'a>>,
    fired: bool,
}

impl<'a> Cancel<'a> {
    pub(crate) fn new(fut: impl Future<Output = ()> + Send + 'a) -> Self {
        Cancel {
            fut: Box::pin(fut),
            fired: false,
        }
    }

    /// Resolves when cancelled (at once if it already was).
    pub(crate) async fn wait(&mut self) {
        if !self.fired {
            (&mut self.fut).await;
            self.fired = true;
        }
    }
}

/// Shared state of one launch.
pub(crate) struct Ctx<'a> {
    pub masker: Masker,
    pub cancel: Cancel<'a>,
    pub started: Instant,
    /// End of the connect + initialize budget.
    pub deadline: Instant,
    pub timeout: Duration,
    pub list_budget: Duration,
}

impl Ctx<'_> {
    pub(crate) fn elapsed_ms(&self) -> u64 {
        ms(self.started.elapsed())
    }
}

/// Awaits `fut` until `deadline`, or until cancelled.
pub(crate) async fn bounded<T>(
    cancel: &mut Cancel<'_>,
    deadline: Instant,
    fut: impl Future<Output = Result<T, Failure>>,
) -> Result<T, Failure> {
    tokio::select! {
        biased;
        () = cancel.wait() => Err(Failure::Cancelled),
        r = tokio::time::timeout_at(deadline, fut) => r.unwrap_or(Err(Failure::Timeout)),
    }
}
