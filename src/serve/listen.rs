//! Accepting connections: a bounded number at once, none left half-open,
//! no client starved by others that stall, and a short grace for responses in flight when the server stops.

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

/// At most this many connections are served at once; the next client
/// waits (in the system's listen queue) until one closes, and is never
/// turned away.
const MAX_CONNECTIONS: usize = 128;
/// A client that has not sent a whole request head by then is dropped,
/// so idle half-open connections cannot pile up.
const HEADER_READ_TIMEOUT: Duration = Duration::from_secs(5);
/// Once fewer slots than this are free, a new connection gets
/// [`BUSY_HEADER_READ_TIMEOUT`] instead: clients that connect and stall
/// can hold at most the other half of the slots for long, and the rest
/// turn over every second, so ordinary clients always get in. (Limits
/// per address would not help: on loopback every client is 127.0.0.1.)
const BUSY_BELOW: usize = MAX_CONNECTIONS / 2;
/// Ample for any client that means to send a request: a browser sends
/// its head in one packet as soon as it connects.
const BUSY_HEADER_READ_TIMEOUT: Duration = Duration::from_secs(1);
/// How long Ctrl-C waits for responses in flight before dropping them.
const SHUTDOWN_GRACE: Duration = Duration::from_millis(500);

/// Accepts connections until Ctrl-C or SIGTERM, then gives those open a
/// moment to finish.
pub(super) async fn accept(listener: TcpListener, app: axum::Router, live: Arc<Live>) {
    use hyper_util::rt::{TokioIo, TokioTimer};
    let slots = Arc::new(tokio::sync::Semaphore::new(MAX_CONNECTIONS));
    let graceful = hyper_util::server::graceful::GracefulShutdown::new();
    let mut patient = hyper::server::conn::http1::Builder::new();
    patient
        .timer(TokioTimer::new())
        .header_read_timeout(HEADER_READ_TIMEOUT);
    let mut busy = patient.clone();
    busy.header_read_timeout(BUSY_HEADER_READ_TIMEOUT);
    let signal = shutdown_signal();
    tokio::pin!(signal);
    loop {
        // A free slot first, then the next client: while every slot is
        // taken, clients wait to be accepted rather than being closed.
        let slot = tokio::select! {
            slot = Arc::clone(&slots).acquire_owned() => match slot {
                Ok(slot) => slot,
                Err(_) => break,
            },
            () = &mut signal => break,
        };
        let stream = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => stream,
                Err(_) => {
                    // Out of file handles, say: give the others a moment
                    // to close instead of spinning.
                    tokio::time::sleep(Duration::from_millis(10)).await;
                    continue;
                }
            },
            () = &mut signal => break,
        };
        let http = if slots.available_permits() < BUSY_BELOW {
            &busy
        } else {
            &patient
        };
        let service = hyper_util::service::TowerToHyperService::new(app.clone());
        let connection = graceful.watch(http.serve_connection(TokioIo::new(stream), service));
        tokio::spawn(async move {
            let _ = connection.await;
            drop(slot);
        });
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
