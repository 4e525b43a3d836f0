//! `TlsStream`: a blocking `Read + Write` stream over any transport, whose `shutdown` is
//! Schannel's shutdown procedure and whose `read` tells a clean close from truncation.
//!
//! * [`Read::read`] returns decrypted data; `Ok(0)` **only** after the peer's close_notify
//!   (`SEC_I_CONTEXT_EXPIRED`), and `Err(UnexpectedEof)` naming truncation when the transport
//!   ends without one. Data that arrived before the close_notify is all returned first.
//!   Post-handshake messages (`SEC_I_RENEGOTIATE`: tickets, KeyUpdate) are serviced inside,
//!   and anything they require is sent.
//! * [`Write::write`] encrypts at most one record (`cbMaximumMessage` bytes) per call. Once a
//!   record is encrypted its bytes are owned by the stream and sent exactly once, even across
//!   `WouldBlock`: a retried write never duplicates data.
//! * [`TlsStream::shutdown`] runs the five steps — control token, close_notify produced and
//!   sent — then waits, bounded by [`StreamOptions::shutdown_timeout`], for the peer's
//!   close_notify so the close is bidirectional. [`TlsStream::shutdown_send`] only sends.
//! * After the peer's close_notify a TLS 1.3 stream may keep writing (half-close); a TLS 1.2
//!   stream answers with its own close_notify at once, as RFC 5246 asks.
//!
//! I/O errors from the transport pass through unchanged; TLS failures become
//! `io::ErrorKind::InvalidData` (or `ConnectionAborted` for a received fatal alert) carrying an
//! [`Error`](crate::Error), so `e.get_ref().and_then(|e| e.downcast_ref::<openschannel::Error>())`
//! recovers the exact Schannel status.

/// The accessors both stream faces share (they read the I/O-free core and the transport).
macro_rules! stream_accessors {
    () => {
        /// The security context (for every query Schannel offers).
        pub fn context(&self) -> &SecurityContext {
            &self.core.ctx
        }

        /// The negotiated protocol version.
        pub fn protocol(&self) -> Option<Protocol> {
            self.core.ctx.protocol()
        }

        /// The negotiated cipher suite.
        pub fn cipher_suite(&self) -> Option<CipherSuite> {
            self.core.ctx.cipher_suite()
        }

        /// The negotiated ALPN protocol.
        pub fn alpn_protocol(&self) -> Option<&[u8]> {
            self.core.ctx.alpn_protocol()
        }

        /// The peer's certificate chain, leaf first.
        pub fn peer_certificates(&self) -> Vec<Certificate> {
            self.core.ctx.peer_certificates()
        }

        /// Whether the session was resumed.
        pub fn is_resumed(&self) -> bool {
            self.core.ctx.is_resumed()
        }

        /// True once the peer's close_notify has been read.
        pub fn peer_closed(&self) -> bool {
            self.core.read_end == ReadEnd::Closed
        }

        /// The transport.
        pub fn get_ref(&self) -> &S {
            &self.io
        }

        /// The transport, mutably. Reading or writing it directly corrupts the TLS stream.
        pub fn get_mut(&mut self) -> &mut S {
            &mut self.io
        }
    };
}

mod shared;
#[cfg(feature = "tokio")]
mod tokio;
mod transport;

use std::io::{self, Read, Write};
use std::sync::Arc;
use std::time::{Duration, Instant};

use self::shared::{shutdown_timed_out, tls_error, ReadEnd, StreamCore, Want};
use crate::certs::Certificate;
use crate::context::{ContextOptions, SecurityContext};
use crate::credentials::Credentials;
use crate::params::{CipherSuite, Protocol};
use crate::status::Status;

#[cfg(feature = "tokio")]
pub use self::tokio::AsyncTlsStream;
pub use transport::{NoTimeout, Transport};

/// The default bound on waiting for the peer's close_notify in [`TlsStream::shutdown`].
pub const DEFAULT_SHUTDOWN_TIMEOUT: Duration = Duration::from_secs(5);

/// The default [`StreamOptions::alert_linger`].
pub const DEFAULT_ALERT_LINGER: Duration = Duration::from_millis(500);

/// At most this many of the peer's bytes are drained after a fatal alert.
const LINGER_BYTES: usize = 1 << 20;

/// One SSPI-level call a [`TlsStream`] made, reported to a [`StreamOptions::observer`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CallEvent {
    /// The Schannel function, e.g. `"DecryptMessage"`.
    pub call: &'static str,
    /// What it returned.
    pub status: Status,
    /// A buffer summary, e.g. `"input 184 B, data 0 B, extra 0 B"`.
    pub detail: String,
}

/// Receives every [`CallEvent`] of a stream (for tracing; called on the stream's thread).
pub type Observer = Arc<dyn Fn(&CallEvent) + Send + Sync>;

/// Options for [`TlsStream::connect_with`] and [`TlsStream::accept_with`].
#[derive(Clone)]
pub struct StreamOptions {
    /// Options for the underlying security context (ALPN, manual validation, ...).
    pub context: ContextOptions,
    /// How long [`TlsStream::shutdown`] waits for the peer's close_notify (`None`: no bound).
    /// Applied through [`Transport::set_read_timeout`]; transports without timeouts wait as
    /// long as their reads block.
    pub shutdown_timeout: Option<Duration>,
    /// Called with every SSPI-level call the stream makes (`None`: no tracing, no cost).
    pub observer: Option<Observer>,
    /// After a fatal TLS error the stream sends the alert the peer must see, then — on
    /// transports that can half-close ([`Transport::shutdown_write`]) and bound their reads —
    /// closes its sending direction and reads and discards what the peer had already sent, for
    /// at most this long (and 1 MiB), so that closing the socket with unread data does not
    /// reset the connection and destroy the alert in the peer's receive buffer. `None`: send
    /// the alert and return at once.
    pub alert_linger: Option<Duration>,
}

impl Default for StreamOptions {
    fn default() -> Self {
        Self {
            context: ContextOptions::default(),
            shutdown_timeout: Some(DEFAULT_SHUTDOWN_TIMEOUT),
            observer: None,
            alert_linger: Some(DEFAULT_ALERT_LINGER),
        }
    }
}

impl std::fmt::Debug for StreamOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StreamOptions")
            .field("context", &self.context)
            .field("shutdown_timeout", &self.shutdown_timeout)
            .field("observer", &self.observer.is_some())
            .field("alert_linger", &self.alert_linger)
            .finish()
    }
}

/// A blocking TLS stream over a [`Transport`]. See the [module docs](self).
pub struct TlsStream<S> {
    core: StreamCore,
    io: S,
    shutdown_timeout: Option<Duration>,
}

impl<S: Transport> TlsStream<S> {
    /// Connects as a client to `server_name` (SNI, name check, session-cache key) over `io`,
    /// completing the handshake before returning.
    pub fn connect(credentials: &Credentials, server_name: &str, io: S) -> io::Result<Self> {
        Self::connect_with(credentials, server_name, io, StreamOptions::default())
    }

    /// [`connect`](Self::connect) with options.
    pub fn connect_with(
        credentials: &Credentials,
        server_name: &str,
        io: S,
        options: StreamOptions,
    ) -> io::Result<Self> {
        let ctx = SecurityContext::client(credentials, Some(server_name), options.context)
            .map_err(tls_error)?;
        Self::handshake(
            StreamCore::new(ctx, options.observer, options.alert_linger),
            io,
            options.shutdown_timeout,
        )
    }

    /// Accepts a client over `io` as a server, completing the handshake before returning.
    pub fn accept(credentials: &Credentials, io: S) -> io::Result<Self> {
        Self::accept_with(credentials, io, StreamOptions::default())
    }

    /// [`accept`](Self::accept) with options.
    pub fn accept_with(
        credentials: &Credentials,
        io: S,
        options: StreamOptions,
    ) -> io::Result<Self> {
        let ctx = SecurityContext::server(credentials, options.context).map_err(tls_error)?;
        Self::handshake(
            StreamCore::new(ctx, options.observer, options.alert_linger),
            io,
            options.shutdown_timeout,
        )
    }

    fn handshake(core: StreamCore, io: S, shutdown_timeout: Option<Duration>) -> io::Result<Self> {
        let mut s = Self {
            core,
            io,
            shutdown_timeout,
        };
        loop {
            let want = s.core.handshake_step();
            // The token goes out even when the step failed: it is then the alert.
            let flushed = s.flush();
            let want = match want {
                Ok(want) => want,
                Err(e) => {
                    s.linger();
                    return Err(e);
                }
            };
            match want {
                Want::Done => return flushed.map(|()| s),
                Want::Read => {
                    flushed?;
                    if s.fill()? == 0 {
                        return Err(StreamCore::handshake_eof());
                    }
                }
            }
        }
    }

    /// Reads once from the transport into the inbox; returns the byte count.
    fn fill(&mut self) -> io::Result<usize> {
        let space = self.core.read_space();
        match self.io.read(space) {
            Ok(n) => {
                self.core.commit_read(n);
                Ok(n)
            }
            Err(e) => {
                self.core.cancel_read();
                Err(e)
            }
        }
    }

    fn flush_outbox(&mut self) -> io::Result<()> {
        while !self.core.unsent().is_empty() {
            match self.io.write(self.core.unsent()) {
                Ok(0) => {
                    return Err(io::Error::new(
                        io::ErrorKind::WriteZero,
                        "the transport accepted no bytes",
                    ))
                }
                Ok(n) => self.core.mark_sent(n),
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
        }
        Ok(())
    }

    /// Decrypts until plaintext is pending or the read side has ended.
    fn next_plaintext(&mut self) -> io::Result<()> {
        loop {
            let want = self.core.decrypt_step();
            if !self.core.unsent().is_empty() {
                // A KeyUpdate reply or a TLS 1.2 close_notify answer — or, after a fatal
                // error, the alert. The peer may already be gone after its close_notify; that
                // is not an error for us (contract §8.5).
                let flushed = self.flush();
                if want.is_ok() && self.core.read_end == ReadEnd::Open {
                    flushed?;
                }
            }
            let want = match want {
                Ok(want) => want,
                Err(e) => {
                    self.linger();
                    return Err(e);
                }
            };
            match want {
                Want::Done => return Ok(()),
                Want::Read => {
                    if self.fill()? == 0 {
                        self.core.on_eof();
                    }
                }
            }
        }
    }

    /// After a fatal error (its alert flushed): half-close and drain, see
    /// [`StreamOptions::alert_linger`]. Best effort: errors end it quietly.
    fn linger(&mut self) {
        let Some(limit) = self.core.linger else {
            return;
        };
        if !matches!(self.io.shutdown_write(), Ok(true)) {
            return;
        }
        let saved = self.io.read_timeout();
        let deadline = Instant::now() + limit;
        let mut sink = [0u8; 4096];
        let mut drained = 0;
        while drained < LINGER_BYTES {
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() || !matches!(self.io.set_read_timeout(Some(left)), Ok(true)) {
                break;
            }
            match self.io.read(&mut sink) {
                Ok(0) | Err(_) => break,
                Ok(n) => drained += n,
            }
        }
        if let Ok(saved) = saved {
            let _ = self.io.set_read_timeout(saved);
        }
    }

    /// Schannel's shutdown procedure, then a wait for the peer's close_notify: after `Ok(())`
    /// both directions are cleanly closed. Application data the peer sends meanwhile is
    /// discarded (read to `Ok(0)` first to keep it).
    ///
    /// Errors: `TimedOut` when the peer does not answer within
    /// [`StreamOptions::shutdown_timeout`]; `UnexpectedEof` when the transport ends without the
    /// peer's close_notify (our close_notify was sent either way).
    pub fn shutdown(&mut self) -> io::Result<()> {
        self.shutdown_send()?;
        if self.core.read_end != ReadEnd::Open {
            return self.core.read_end_result();
        }
        let saved = self.io.read_timeout()?;
        let deadline = self.shutdown_timeout.map(|t| Instant::now() + t);
        let result = self.await_close_notify(deadline);
        let _ = self.io.set_read_timeout(saved);
        result
    }

    fn await_close_notify(&mut self, deadline: Option<Instant>) -> io::Result<()> {
        while self.core.read_end == ReadEnd::Open {
            if let Some(deadline) = deadline {
                let left = deadline.saturating_duration_since(Instant::now());
                if left.is_zero() {
                    return Err(shutdown_timed_out());
                }
                self.io.set_read_timeout(Some(left))?;
            }
            self.core.discard_plaintext();
            match self.next_plaintext() {
                Ok(()) => {}
                Err(e)
                    if matches!(
                        e.kind(),
                        io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
                    ) =>
                {
                    return Err(shutdown_timed_out())
                }
                Err(e) => return Err(e),
            }
        }
        self.core.read_end_result()
    }

    /// Steps 1–4 of the shutdown procedure only: our close_notify is sent and flushed; the
    /// peer's is not awaited. Idempotent.
    pub fn shutdown_send(&mut self) -> io::Result<()> {
        self.core.queue_close_notify()?;
        self.flush()
    }
}

impl<S> TlsStream<S> {
    stream_accessors!();

    /// Replaces the transport by `f(transport)`, keeping all TLS state (for wrapping or
    /// unwrapping an adapter around the same connection).
    pub fn map_transport<T>(self, f: impl FnOnce(S) -> T) -> TlsStream<T> {
        TlsStream {
            core: self.core,
            io: f(self.io),
            shutdown_timeout: self.shutdown_timeout,
        }
    }
}

impl<S: Transport> Read for TlsStream<S> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if buf.is_empty() {
            return Ok(0);
        }
        self.next_plaintext()?;
        let n = self.core.take_received(buf);
        if !self.core.unsent().is_empty() {
            // A KeyUpdate reply the further records asked for; if the transport cannot take it
            // now, the next read, write or flush sends it.
            let _ = self.flush_outbox();
        }
        if n == 0 {
            self.core.read_end_result()?;
        }
        Ok(n)
    }
}

impl<S: Transport> Write for TlsStream<S> {
    fn write(&mut self, data: &[u8]) -> io::Result<usize> {
        // Bytes already owned by the stream go first; until they are out nothing new is taken.
        self.flush_outbox()?;
        if data.is_empty() {
            return Ok(0);
        }
        let n = self.core.encrypt(data)?;
        // The record now belongs to the stream: report it accepted even if the transport
        // cannot take it yet; it is sent by the next write or flush.
        match self.flush_outbox() {
            Err(e) if e.kind() != io::ErrorKind::WouldBlock => Err(e),
            _ => Ok(n),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        self.flush_outbox()?;
        self.io.flush()
    }
}

impl<S> std::fmt::Debug for TlsStream<S> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TlsStream")
            .field("context", &self.core.ctx)
            .field("read_end", &self.core.read_end)
            .field("unsent", &self.core.unsent().len())
            .finish_non_exhaustive()
    }
}

/// The status inside a stream error, if it came from TLS rather than the transport.
pub fn error_status(e: &io::Error) -> Option<Status> {
    e.get_ref()
        .and_then(|inner| inner.downcast_ref::<crate::Error>())
        .map(crate::Error::status)
}
