//! Accepting connections: a bounded number at once, none left half-open,
//! and a short grace for responses in flight when the server stops.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use tokio::net::TcpListener;

use super::live::Live;
use crate::diagnostic::Diagnostic;

/// Listens on `address`; with port 0 the address returned has the port
/// the system chose.
pub(super) async fn bind(address: SocketAddr) -> Result<(TcpListener, SocketAddr), Diagnostic> {
    let listener = TcpListener::bind(address).await.map_err(|e| {
        let d = Diagnostic::error(format!("cannot listen on {address}: {e}"));
        if e.kind() == std::io::ErrorKind::AddrInUse {
            d.with_hint("another program (perhaps another `upbook serve`) uses this port; choose another with --port, or --port 0 for any free one")
        } else {
            d
        }
    })?;
    let address = listener
        .local_addr()
        .map_err(|e| Diagnostic::error(format!("cannot listen: {e}")))?;
    Ok((listener, address))
}

/// At most this many connections are served at once; more are closed as
/// soon as they are accepted.
const MAX_CONNECTIONS: usize = 128;
/// A client that has not sent a whole request head by then is dropped,
/// so idle half-open connections cannot pile up.
const HEADER_READ_TIMEOUT: Duration = Duration::from_secs(5);
/// How long Ctrl-C waits for responses in flight before dropping them.
const SHUTDOWN_GRACE: Duration = Duration::from_millis(500);

/// Accepts connections until Ctrl-C or SIGTERM, then gives those open a
/// moment to finish.
pub(super) async fn accept(listener: TcpListener, app: axum::Router, live: Arc<Live>) {
    use hyper_util::rt::{TokioIo, TokioTimer};
    let slots = Arc::new(tokio::sync::Semaphore::new(MAX_CONNECTIONS));
    let graceful = hyper_util::server::graceful::GracefulShutdown::new();
    let mut http = hyper::server::conn::http1::Builder::new();
    http.timer(TokioTimer::new())
        .header_read_timeout(HEADER_READ_TIMEOUT);
    let signal = shutdown_signal();
    tokio::pin!(signal);
    loop {
        tokio::select! {
            accepted = listener.accept() => {
                let Ok((stream, _)) = accepted else { continue };
                let Ok(slot) = Arc::clone(&slots).try_acquire_owned() else {
                    drop(stream);
                    continue;
                };
                let service = hyper_util::service::TowerToHyperService::new(app.clone());
                let connection = graceful.watch(http.serve_connection(TokioIo::new(stream), service));
                tokio::spawn(async move {
                    let _ = connection.await;
                    drop(slot);
                });
            }
            () = &mut signal => break,
        }
    }
    drop(listener);
    // Ends the event streams and PDF waits, which would otherwise hold
    // the connections open.
    live.closing.send_replace(true);
    let _ = tokio::time::timeout(SHUTDOWN_GRACE, graceful.shutdown()).await;
}

async fn shutdown_signal() {
    let ctrl_c = tokio::signal::ctrl_c();
    #[cfg(unix)]
    {
        let mut term =
            match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
                Ok(term) => term,
                Err(_) => {
                    let _ = ctrl_c.await;
                    return;
                }
            };
        tokio::select! {
            _ = ctrl_c => {},
            _ = term.recv() => {},
        }
    }
    #[cfg(not(unix))]
    {
        let _ = ctrl_c.await;
    }
}
