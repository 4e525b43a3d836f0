//! Ctrl-C (SIGINT) and SIGTERM for `server`: a tiny current-thread tokio runtime on a helper
//! thread waits for the signal and raises a flag the accept loop and every connection poll.
//! A second signal exits at once (status 130).

use std::io;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{mpsc, Arc};
use std::thread;

use crate::common::error_line;

/// Installs the handlers (before returning, so no signal is missed after this call) and
/// returns the flag they raise.
pub fn watch() -> io::Result<Arc<AtomicBool>> {
    let flag = Arc::new(AtomicBool::new(false));
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let (ready_tx, ready_rx) = mpsc::channel::<io::Result<()>>();
    let raised = Arc::clone(&flag);
    thread::Builder::new()
        .name("signals".into())
        .spawn(move || {
            runtime.block_on(async move {
                let mut signals = match Signals::install() {
                    Ok(signals) => {
                        let _ = ready_tx.send(Ok(()));
                        signals
                    }
                    Err(e) => {
                        let _ = ready_tx.send(Err(e));
                        return;
                    }
                };
                loop {
                    let name = signals.next().await;
                    if raised.swap(true, Ordering::SeqCst) {
                        error_line(format_args!("{name} again: exiting now"));
                        std::process::exit(130);
                    }
                    error_line(format_args!(
                        "{name}: stopping; open connections get a close_notify \
                         (a second signal exits at once)"
                    ));
                }
            })
        })?;
    ready_rx
        .recv()
        .map_err(|_| io::Error::other("the signal thread ended"))??;
    Ok(flag)
}

#[cfg(unix)]
struct Signals {
    interrupt: tokio::signal::unix::Signal,
    terminate: tokio::signal::unix::Signal,
}

#[cfg(unix)]
impl Signals {
    fn install() -> io::Result<Self> {
        use tokio::signal::unix::{signal, SignalKind};
        Ok(Self {
            interrupt: signal(SignalKind::interrupt())?,
            terminate: signal(SignalKind::terminate())?,
        })
    }

    /// Waits for the next signal and names it.
    async fn next(&mut self) -> &'static str {
        std::future::poll_fn(|cx| {
            if self.interrupt.poll_recv(cx).is_ready() {
                std::task::Poll::Ready("interrupted (Ctrl-C)")
            } else if self.terminate.poll_recv(cx).is_ready() {
                std::task::Poll::Ready("terminated (SIGTERM)")
            } else {
                std::task::Poll::Pending
            }
        })
        .await
    }
}

#[cfg(not(unix))]
struct Signals;

#[cfg(not(unix))]
impl Signals {
    fn install() -> io::Result<Self> {
        Ok(Self)
    }

    async fn next(&mut self) -> &'static str {
        let _ = tokio::signal::ctrl_c().await;
        "interrupted (Ctrl-C)"
    }
}
