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

mod transport;

use std::io::{self, Read, Write};
use std::ops::Range;
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::certs::Certificate;
use crate::context::{ContextOptions, ControlToken, Decrypted, HandshakeStatus, SecurityContext};
use crate::credentials::Credentials;
use crate::error::Error;
use crate::params::{CipherSuite, Protocol};
use crate::status::Status;

pub use transport::{NoTimeout, Transport};

/// The default bound on waiting for the peer's close_notify in [`TlsStream::shutdown`].
pub const DEFAULT_SHUTDOWN_TIMEOUT: Duration = Duration::from_secs(5);

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
}

impl Default for StreamOptions {
    fn default() -> Self {
        Self {
            context: ContextOptions::default(),
            shutdown_timeout: Some(DEFAULT_SHUTDOWN_TIMEOUT),
            observer: None,
        }
    }
}

impl std::fmt::Debug for StreamOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StreamOptions")
            .field("context", &self.context)
            .field("shutdown_timeout", &self.shutdown_timeout)
            .field("observer", &self.observer.is_some())
            .finish()
    }
}

/// How the read side ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum ReadEnd {
    Open,
    /// The peer's close_notify arrived: reads return `Ok(0)`.
    Closed,
    /// The transport ended without close_notify: reads fail with `UnexpectedEof`.
    Truncated,
}

/// A TLS stream over a [`Transport`]. See the [module docs](self).
pub struct TlsStream<S> {
    ctx: SecurityContext,
    io: S,
    /// Received ciphertext; `inbox[..consumed]` is finished with.
    inbox: Vec<u8>,
    consumed: usize,
    /// Decrypted plaintext (in place inside `inbox`) not yet returned.
    pending: Range<usize>,
    /// Ciphertext owned by the stream and not yet written to the transport.
    outbox: Vec<u8>,
    read_end: ReadEnd,
    shutdown_timeout: Option<Duration>,
    observer: Option<Observer>,
}

const READ_CHUNK: usize = 16 * 1024 + 512;

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
        Self::handshake(ctx, io, options.shutdown_timeout, options.observer)
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
        Self::handshake(ctx, io, options.shutdown_timeout, options.observer)
    }

    fn handshake(
        ctx: SecurityContext,
        io: S,
        shutdown_timeout: Option<Duration>,
        observer: Option<Observer>,
    ) -> io::Result<Self> {
        let mut s = Self {
            ctx,
            io,
            inbox: Vec::new(),
            consumed: 0,
            pending: 0..0,
            outbox: Vec::new(),
            read_end: ReadEnd::Open,
            shutdown_timeout,
            observer,
        };
        let mut token = Vec::new();
        loop {
            token.clear();
            let result = s.ctx.handshake(&s.inbox, &mut token);
            s.report_handshake(s.inbox.len(), &result, token.len());
            match result {
                Err(e) => {
                    // Best effort: tell the peer why (Schannel's SECBUFFER_ALERT).
                    let _ = s.io.write_all(&token).and_then(|()| s.io.flush());
                    return Err(tls_error(e));
                }
                Ok(step) => {
                    s.outbox.extend_from_slice(&token);
                    s.inbox.drain(..step.consumed);
                    match step.status {
                        HandshakeStatus::Ok => {
                            s.flush_outbox()?;
                            s.io.flush()?;
                            return Ok(s);
                        }
                        HandshakeStatus::ContinueNeeded if !s.inbox.is_empty() => continue,
                        HandshakeStatus::ContinueNeeded
                        | HandshakeStatus::IncompleteMessage { .. } => {
                            s.flush_outbox()?;
                            s.io.flush()?;
                            if s.fill()? == 0 {
                                return Err(io::Error::new(
                                    io::ErrorKind::UnexpectedEof,
                                    "the peer closed the connection during the TLS handshake",
                                ));
                            }
                        }
                    }
                }
            }
        }
    }

    /// Reads more ciphertext from the transport; returns the byte count (0 at end of stream).
    fn fill(&mut self) -> io::Result<usize> {
        if self.consumed > 0 {
            self.inbox.drain(..self.consumed);
            self.consumed = 0;
        }
        let start = self.inbox.len();
        self.inbox.resize(start + READ_CHUNK, 0);
        let result = self.io.read(&mut self.inbox[start..]);
        let n = *result.as_ref().unwrap_or(&0);
        self.inbox.truncate(start + n);
        result
    }

    fn flush_outbox(&mut self) -> io::Result<()> {
        while !self.outbox.is_empty() {
            match self.io.write(&self.outbox) {
                Ok(0) => {
                    return Err(io::Error::new(
                        io::ErrorKind::WriteZero,
                        "the transport accepted no bytes",
                    ))
                }
                Ok(n) => {
                    self.outbox.drain(..n);
                }
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
        }
        Ok(())
    }

    /// Decrypts until plaintext is pending or the read side has ended.
    fn next_plaintext(&mut self) -> io::Result<()> {
        while self.pending.is_empty() && self.read_end == ReadEnd::Open {
            if self.consumed > 0 {
                self.inbox.drain(..self.consumed);
                self.consumed = 0;
            }
            let input = self.inbox.len();
            let result = self.ctx.decrypt(&mut self.inbox);
            if let Some(observer) = &self.observer {
                let (status, detail) = match &result {
                    Ok(d) => (
                        d.status(),
                        match (d, d.layout()) {
                            (_, Some(l)) => format!(
                                "input {input} B: header {} | data {} | trailer {}, extra {} B",
                                l.header.len(),
                                l.data.len(),
                                l.trailer.len(),
                                l.extra.len()
                            ),
                            (Decrypted::IncompleteMessage { missing }, None) => {
                                format!("input {input} B, missing {missing} B")
                            }
                            _ => String::new(),
                        },
                    ),
                    Err(e) => (e.status(), format!("input {input} B: {}", e.detail())),
                };
                observer(&CallEvent {
                    call: "DecryptMessage",
                    status,
                    detail,
                });
            }
            match result.map_err(tls_error)? {
                Decrypted::Data(layout) => {
                    self.pending = layout.data;
                    self.consumed = layout.extra.start;
                }
                Decrypted::Renegotiate(layout) => {
                    self.inbox.drain(..layout.extra.start);
                    let mut token = Vec::new();
                    let result = self.ctx.handshake(&self.inbox, &mut token);
                    self.report_handshake(self.inbox.len(), &result, token.len());
                    result.map_err(tls_error)?;
                    self.outbox.extend_from_slice(&token);
                    self.flush_outbox()?;
                }
                Decrypted::ContextExpired(layout) => {
                    self.consumed = layout.extra.start;
                    self.read_end = ReadEnd::Closed;
                    if self.ctx.protocol() == Some(Protocol::Tls12) && !self.ctx.is_write_closed() {
                        // TLS 1.2: answer the close_notify. The peer may already be gone; that
                        // is not an error for us (contract §8.5).
                        let _ = self.send_close_notify().and_then(|()| self.io.flush());
                    }
                }
                Decrypted::IncompleteMessage { .. } => {
                    if self.fill()? == 0 {
                        self.read_end = ReadEnd::Truncated;
                    }
                }
            }
        }
        Ok(())
    }

    /// Steps 1–4 of the shutdown procedure (idempotent): the close_notify is produced and
    /// written (flushed by the caller).
    fn send_close_notify(&mut self) -> io::Result<()> {
        if !self.ctx.is_write_closed() {
            let applied = self.ctx.apply_control_token(ControlToken::Shutdown);
            self.report("ApplyControlToken", &applied, || "SCHANNEL_SHUTDOWN".into());
            applied.map_err(tls_error)?;
            let mut token = Vec::new();
            let result = self.ctx.handshake(&[], &mut token);
            self.report_handshake(0, &result, token.len());
            result.map_err(tls_error)?;
            self.outbox.extend_from_slice(&token);
        }
        self.flush_outbox()
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
        if self.read_end != ReadEnd::Open {
            return self.read_end_result();
        }
        let saved = self.io.read_timeout()?;
        let deadline = self.shutdown_timeout.map(|t| Instant::now() + t);
        let result = self.await_close_notify(deadline);
        let _ = self.io.set_read_timeout(saved);
        result
    }

    fn await_close_notify(&mut self, deadline: Option<Instant>) -> io::Result<()> {
        loop {
            if let Some(deadline) = deadline {
                let left = deadline.saturating_duration_since(Instant::now());
                if left.is_zero() {
                    return Err(shutdown_timed_out());
                }
                self.io.set_read_timeout(Some(left))?;
            }
            self.pending = 0..0;
            match self.next_plaintext() {
                Ok(()) if self.read_end == ReadEnd::Open => continue,
                Ok(()) => return self.read_end_result(),
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
    }

    fn read_end_result(&self) -> io::Result<()> {
        match self.read_end {
            ReadEnd::Truncated => Err(truncated()),
            _ => Ok(()),
        }
    }

    /// Steps 1–4 of the shutdown procedure only: our close_notify is sent and flushed; the
    /// peer's is not awaited. Idempotent.
    pub fn shutdown_send(&mut self) -> io::Result<()> {
        self.send_close_notify()?;
        self.io.flush()
    }
}

impl<S> TlsStream<S> {
    fn report<T>(
        &self,
        call: &'static str,
        result: &Result<T, Error>,
        detail: impl FnOnce() -> String,
    ) {
        if let Some(observer) = &self.observer {
            let (status, detail) = match result {
                Ok(_) => (Status::SEC_E_OK, detail()),
                Err(e) => (e.status(), format!("{}: {}", detail(), e.detail())),
            };
            observer(&CallEvent {
                call,
                status,
                detail,
            });
        }
    }

    fn report_handshake(
        &self,
        input: usize,
        result: &Result<crate::context::HandshakeOutcome, Error>,
        token: usize,
    ) {
        if let Some(observer) = &self.observer {
            let call = match self.ctx.role() {
                crate::credentials::Role::Client => "InitializeSecurityContext",
                crate::credentials::Role::Server => "AcceptSecurityContext",
            };
            let (status, detail) = match result {
                Ok(o) => {
                    let tail = match o.status {
                        HandshakeStatus::IncompleteMessage { missing } => {
                            format!("missing {missing} B")
                        }
                        _ => format!("extra {} B", input - o.consumed),
                    };
                    (
                        o.status.status(),
                        format!("input {input} B: token {token} B, {tail}"),
                    )
                }
                Err(e) => (
                    e.status(),
                    format!("input {input} B: alert {token} B: {}", e.detail()),
                ),
            };
            observer(&CallEvent {
                call,
                status,
                detail,
            });
        }
    }

    /// The security context (for every query Schannel offers).
    pub fn context(&self) -> &SecurityContext {
        &self.ctx
    }

    /// The negotiated protocol version.
    pub fn protocol(&self) -> Option<Protocol> {
        self.ctx.protocol()
    }

    /// The negotiated cipher suite.
    pub fn cipher_suite(&self) -> Option<CipherSuite> {
        self.ctx.cipher_suite()
    }

    /// The negotiated ALPN protocol.
    pub fn alpn_protocol(&self) -> Option<&[u8]> {
        self.ctx.alpn_protocol()
    }

    /// The peer's certificate chain, leaf first.
    pub fn peer_certificates(&self) -> Vec<Certificate> {
        self.ctx.peer_certificates()
    }

    /// Whether the session was resumed.
    pub fn is_resumed(&self) -> bool {
        self.ctx.is_resumed()
    }

    /// True once the peer's close_notify has been read.
    pub fn peer_closed(&self) -> bool {
        self.read_end == ReadEnd::Closed
    }

    /// The transport.
    pub fn get_ref(&self) -> &S {
        &self.io
    }

    /// The transport, mutably. Reading or writing it directly corrupts the TLS stream.
    pub fn get_mut(&mut self) -> &mut S {
        &mut self.io
    }

    /// Replaces the transport by `f(transport)`, keeping all TLS state (for wrapping or
    /// unwrapping an adapter around the same connection).
    pub fn map_transport<T>(self, f: impl FnOnce(S) -> T) -> TlsStream<T> {
        TlsStream {
            ctx: self.ctx,
            io: f(self.io),
            inbox: self.inbox,
            consumed: self.consumed,
            pending: self.pending,
            outbox: self.outbox,
            read_end: self.read_end,
            shutdown_timeout: self.shutdown_timeout,
            observer: self.observer,
        }
    }
}

impl<S: Transport> Read for TlsStream<S> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if buf.is_empty() {
            return Ok(0);
        }
        self.next_plaintext()?;
        if self.pending.is_empty() {
            return match self.read_end {
                ReadEnd::Truncated => Err(truncated()),
                _ => Ok(0),
            };
        }
        let n = buf.len().min(self.pending.len());
        let start = self.pending.start;
        buf[..n].copy_from_slice(&self.inbox[start..start + n]);
        self.pending.start += n;
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
        let sizes = self.ctx.stream_sizes().map_err(tls_error)?;
        let n = data.len().min(sizes.max_message);
        self.outbox.resize(sizes.header + n + sizes.trailer, 0);
        self.outbox[sizes.header..sizes.header + n].copy_from_slice(&data[..n]);
        let result = self.ctx.encrypt(&mut self.outbox, n);
        self.report("EncryptMessage", &result, || match &result {
            Ok(w) => format!(
                "data {n} B: header {} | data {} | trailer {} = record {} B",
                w.header,
                w.data,
                w.trailer,
                w.total()
            ),
            Err(_) => format!("data {n} B"),
        });
        match result {
            Ok(written) => self.outbox.truncate(written.total()),
            Err(e) => {
                self.outbox.clear();
                return Err(write_error(e));
            }
        }
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
            .field("context", &self.ctx)
            .field("read_end", &self.read_end)
            .field("unsent", &self.outbox.len())
            .finish_non_exhaustive()
    }
}

fn tls_error(e: Error) -> io::Error {
    let kind = match e.status() {
        Status::SEC_E_INVALID_TOKEN
        | Status::SEC_E_MESSAGE_ALTERED
        | Status::SEC_E_DECRYPT_FAILURE => io::ErrorKind::InvalidData,
        _ if e.detail().contains("received fatal alert") => io::ErrorKind::ConnectionAborted,
        _ => io::ErrorKind::InvalidData,
    };
    io::Error::new(kind, e)
}

fn write_error(e: Error) -> io::Error {
    if e.status() == Status::SEC_E_CONTEXT_EXPIRED {
        io::Error::new(io::ErrorKind::BrokenPipe, e)
    } else {
        tls_error(e)
    }
}

fn truncated() -> io::Error {
    io::Error::new(
        io::ErrorKind::UnexpectedEof,
        "TLS stream truncated: the peer closed the connection without sending close_notify",
    )
}

fn shutdown_timed_out() -> io::Error {
    io::Error::new(
        io::ErrorKind::TimedOut,
        "the peer did not answer our close_notify in time",
    )
}
