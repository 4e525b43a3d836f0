//! The I/O-free heart of both stream faces: a security context plus its buffers, with one
//! method per step. The blocking [`TlsStream`](super::TlsStream) and the tokio
//! [`AsyncTlsStream`](super::AsyncTlsStream) only move bytes between these buffers and their
//! transport, so every TLS decision is made once, here.

use std::io;
use std::ops::Range;
use std::time::Duration;

use super::{CallEvent, Observer};
use crate::context::{ControlToken, Decrypted, HandshakeOutcome, HandshakeStatus, SecurityContext};
use crate::credentials::Role;
use crate::error::Error;
use crate::params::Protocol;
use crate::status::Status;

/// How much to read from the transport at a time.
pub(super) const READ_CHUNK: usize = 16 * 1024 + 512;

/// How the read side ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum ReadEnd {
    Open,
    /// The peer's close_notify arrived: reads return 0 bytes.
    Closed,
    /// The transport ended without close_notify: reads fail with `UnexpectedEof`.
    Truncated,
}

/// What a step needs before it can go on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Want {
    /// Nothing: the step is complete.
    Done,
    /// More bytes from the transport (call [`StreamCore::read_space`], read, then
    /// [`StreamCore::commit_read`]).
    Read,
}

pub(super) struct StreamCore {
    pub(super) ctx: SecurityContext,
    /// Received ciphertext; `inbox[..consumed]` is finished with.
    inbox: Vec<u8>,
    consumed: usize,
    /// Decrypted plaintext (in place inside `inbox`) not yet returned.
    pending: Range<usize>,
    /// Ciphertext owned by the stream and not yet written to the transport.
    pub(super) outbox: Vec<u8>,
    /// Bytes at the front of `outbox` already written.
    sent: usize,
    pub(super) read_end: ReadEnd,
    observer: Option<Observer>,
    /// The handshake has completed.
    established: bool,
    /// The alert a failed context owed the peer was queued.
    alert_queued: bool,
    /// Decrypting ahead inside one read ([`take_received`](Self::take_received)): a TLS 1.2
    /// close_notify found there is answered by the next step, after the caller had the chance
    /// to answer the data that came before it.
    reading_ahead: bool,
    /// A TLS 1.2 close_notify still to be answered.
    close_answer_due: bool,
    /// How long a failed stream drains the peer's bytes after sending its alert.
    pub(super) linger: Option<Duration>,
}

impl StreamCore {
    pub(super) fn new(
        ctx: SecurityContext,
        observer: Option<Observer>,
        linger: Option<Duration>,
    ) -> Self {
        Self {
            ctx,
            inbox: Vec::new(),
            consumed: 0,
            pending: 0..0,
            outbox: Vec::new(),
            sent: 0,
            read_end: ReadEnd::Open,
            observer,
            established: false,
            alert_queued: false,
            reading_ahead: false,
            close_answer_due: false,
            linger,
        }
    }

    /// Spare room at the end of the inbox for one transport read.
    pub(super) fn read_space(&mut self) -> &mut [u8] {
        // Finished bytes can go, unless pending plaintext still lies among them.
        if self.consumed > 0 && self.pending.is_empty() {
            self.inbox.drain(..self.consumed);
            self.pending = 0..0;
            self.consumed = 0;
        }
        let start = self.inbox.len();
        self.inbox.resize(start + READ_CHUNK, 0);
        &mut self.inbox[start..]
    }

    /// Keeps `n` of the bytes just read into [`read_space`](Self::read_space).
    pub(super) fn commit_read(&mut self, n: usize) {
        let len = self.inbox.len() - READ_CHUNK + n;
        self.inbox.truncate(len);
    }

    /// Forgets an unused [`read_space`](Self::read_space) (the read failed or is pending).
    pub(super) fn cancel_read(&mut self) {
        self.commit_read(0);
    }

    /// Unsent ciphertext.
    pub(super) fn unsent(&self) -> &[u8] {
        &self.outbox[self.sent..]
    }

    /// `n` more bytes of [`unsent`](Self::unsent) were written.
    pub(super) fn mark_sent(&mut self, n: usize) {
        self.sent += n;
        if self.sent == self.outbox.len() {
            self.outbox.clear();
            self.sent = 0;
        }
    }

    /// One handshake step over everything received so far; its token is queued for sending.
    /// `Done` once the handshake has completed.
    pub(super) fn handshake_step(&mut self) -> io::Result<Want> {
        let mut token = Vec::new();
        loop {
            token.clear();
            let result = self.ctx.handshake(&self.inbox[self.consumed..], &mut token);
            self.report_handshake(self.inbox.len() - self.consumed, &result, token.len());
            self.outbox.extend_from_slice(&token);
            let step = result.map_err(tls_error)?;
            self.consumed += step.consumed;
            match step.status {
                HandshakeStatus::Ok => {
                    self.established = true;
                    return Ok(Want::Done);
                }
                HandshakeStatus::ContinueNeeded if self.consumed < self.inbox.len() => continue,
                // A certificate request the credential cannot answer: a stream has nobody to
                // ask for another credential, so it goes on without one (the same input again).
                HandshakeStatus::IncompleteCredentials => continue,
                HandshakeStatus::ContinueNeeded | HandshakeStatus::IncompleteMessage { .. } => {
                    return Ok(Want::Read)
                }
            }
        }
    }

    /// The transport ended during the handshake.
    pub(super) fn handshake_eof() -> io::Error {
        io::Error::new(
            io::ErrorKind::UnexpectedEof,
            "the peer closed the connection during the TLS handshake",
        )
    }

    /// Decrypts until plaintext is pending, the read side has ended (`Done` either way), or
    /// more input is needed (`Read`). Records that must be sent (KeyUpdate replies, a TLS 1.2
    /// close_notify answer) are queued in the outbox.
    pub(super) fn decrypt_step(&mut self) -> io::Result<Want> {
        if self.close_answer_due && !self.reading_ahead {
            self.close_answer_due = false;
            self.queue_close_notify()?;
        }
        while self.pending.is_empty() && self.read_end == ReadEnd::Open {
            let input = self.inbox.len() - self.consumed;
            let result = self.ctx.decrypt(&mut self.inbox[self.consumed..]);
            self.report_decrypt(input, &result);
            let base = self.consumed;
            let decrypted = match result {
                Ok(decrypted) => decrypted,
                Err(e) => return Err(self.failed(e)),
            };
            match decrypted {
                Decrypted::Data(layout) => {
                    self.pending = base + layout.data.start..base + layout.data.end;
                    self.consumed = base + layout.extra.start;
                }
                Decrypted::Renegotiate(layout) => {
                    self.consumed = base + layout.extra.start;
                    let mut token = Vec::new();
                    let rest = &self.inbox[self.consumed..];
                    let result = self.ctx.handshake(rest, &mut token);
                    self.report_handshake(rest.len(), &result, token.len());
                    self.outbox.extend_from_slice(&token);
                    result.map_err(tls_error)?;
                }
                Decrypted::ContextExpired(layout) => {
                    self.consumed = base + layout.extra.start;
                    self.read_end = ReadEnd::Closed;
                    if self.ctx.protocol() == Some(Protocol::Tls12) && !self.ctx.is_write_closed() {
                        // TLS 1.2: answer the close_notify (RFC 5246 §7.2.1) — after the
                        // caller's answer to data read in the same call.
                        if self.reading_ahead {
                            self.close_answer_due = true;
                        } else {
                            self.queue_close_notify()?;
                        }
                    }
                }
                Decrypted::IncompleteMessage { .. } => return Ok(Want::Read),
            }
        }
        Ok(Want::Done)
    }

    /// A fatal DecryptMessage error: as a Schannel caller does, one more ISC/ASC call takes
    /// the alert the context owes the peer (`SECBUFFER_ALERT`); it is queued for sending.
    fn failed(&mut self, e: Error) -> io::Error {
        if !self.alert_queued && !self.ctx.failure_alert().is_empty() {
            self.alert_queued = true;
            let mut token = Vec::new();
            let result = self.ctx.handshake(&[], &mut token);
            self.report_handshake(0, &result, token.len());
            self.outbox.extend_from_slice(&token);
        }
        tls_error(e)
    }

    /// The transport ended: a clean close if the peer's close_notify came first, else
    /// truncation.
    pub(super) fn on_eof(&mut self) {
        if self.read_end == ReadEnd::Open {
            self.read_end = ReadEnd::Truncated;
        }
    }

    /// Copies pending plaintext into `buf`; 0 when none is pending.
    pub(super) fn take_plaintext(&mut self, buf: &mut [u8]) -> usize {
        let n = buf.len().min(self.pending.len());
        buf[..n].copy_from_slice(&self.inbox[self.pending.start..self.pending.start + n]);
        self.pending.start += n;
        n
    }

    /// Copies pending plaintext into `buf`, then — while `buf` has room — decrypts the records
    /// already received (never reading the transport) and copies theirs too, as rustls' reader
    /// hands out all the plaintext it has. Records they make us send (a KeyUpdate reply) are
    /// queued in the outbox in order, before anything the caller writes next. A failure on
    /// the way is latched and reported by the next read. Returns the bytes copied.
    pub(super) fn take_received(&mut self, buf: &mut [u8]) -> usize {
        let mut n = self.take_plaintext(buf);
        while n > 0 && n < buf.len() && self.read_end == ReadEnd::Open {
            self.reading_ahead = true;
            let step = self.decrypt_step();
            self.reading_ahead = false;
            if !matches!(step, Ok(Want::Done)) {
                break;
            }
            let more = self.take_plaintext(&mut buf[n..]);
            if more == 0 {
                break;
            }
            n += more;
        }
        n
    }

    /// Drops pending plaintext (while waiting for the peer's close_notify in a shutdown).
    pub(super) fn discard_plaintext(&mut self) {
        self.pending = 0..0;
    }

    /// Encrypts up to one record of `data` into the (empty) outbox; returns the bytes taken.
    pub(super) fn encrypt(&mut self, data: &[u8]) -> io::Result<usize> {
        debug_assert!(self.unsent().is_empty());
        let sizes = self.ctx.stream_sizes().map_err(tls_error)?;
        let n = data.len().min(sizes.max_message);
        self.outbox.clear();
        self.sent = 0;
        self.outbox.resize(sizes.header + n + sizes.trailer, 0);
        self.outbox[sizes.header..sizes.header + n].copy_from_slice(&data[..n]);
        let result = self.ctx.encrypt(&mut self.outbox, n);
        if let Some(observer) = &self.observer {
            let (status, detail) = match &result {
                Ok(w) => (
                    Status::SEC_E_OK,
                    format!(
                        "data {n} B: header {} | data {} | trailer {} = record {} B",
                        w.header,
                        w.data,
                        w.trailer,
                        w.total()
                    ),
                ),
                Err(e) => (e.status(), format!("data {n} B: {}", e.detail())),
            };
            observer(&CallEvent {
                call: "EncryptMessage",
                status,
                detail,
            });
        }
        match result {
            Ok(written) => {
                self.outbox.truncate(written.total());
                Ok(n)
            }
            Err(e) => {
                self.outbox.clear();
                Err(write_error(e))
            }
        }
    }

    /// Steps 1–3 of the shutdown procedure: the close_notify is queued (once).
    pub(super) fn queue_close_notify(&mut self) -> io::Result<()> {
        if self.ctx.is_write_closed() {
            return Ok(());
        }
        if let Some(e) = self.ctx.failure() {
            // The alert (if one was owed) went out when the failure was reported.
            return Err(tls_error(e.clone()));
        }
        let applied = self.ctx.apply_control_token(ControlToken::Shutdown);
        if let Some(observer) = &self.observer {
            let status = applied
                .as_ref()
                .err()
                .map_or(Status::SEC_E_OK, Error::status);
            observer(&CallEvent {
                call: "ApplyControlToken",
                status,
                detail: "SCHANNEL_SHUTDOWN".into(),
            });
        }
        applied.map_err(tls_error)?;
        let mut token = Vec::new();
        let result = self.ctx.handshake(&[], &mut token);
        self.report_handshake(0, &result, token.len());
        result.map_err(tls_error)?;
        self.outbox.extend_from_slice(&token);
        Ok(())
    }

    /// The read side's final result: `Ok` for a clean close, the truncation error otherwise.
    pub(super) fn read_end_result(&self) -> io::Result<()> {
        match self.read_end {
            ReadEnd::Truncated => Err(truncated()),
            _ => Ok(()),
        }
    }

    fn report_decrypt(&self, input: usize, result: &Result<Decrypted, Error>) {
        let Some(observer) = &self.observer else {
            return;
        };
        let (status, detail) = match result {
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

    fn report_handshake(
        &self,
        input: usize,
        result: &Result<HandshakeOutcome, Error>,
        token: usize,
    ) {
        let Some(observer) = &self.observer else {
            return;
        };
        let call = match self.ctx.role() {
            Role::Client => "InitializeSecurityContext",
            Role::Server => "AcceptSecurityContext",
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

/// A TLS failure as an `io::Error` carrying the [`Error`] (downcast it for the status).
pub(super) fn tls_error(e: Error) -> io::Error {
    let kind = if e.received_alert().is_some() {
        io::ErrorKind::ConnectionAborted
    } else {
        io::ErrorKind::InvalidData
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

pub(super) fn truncated() -> io::Error {
    io::Error::new(
        io::ErrorKind::UnexpectedEof,
        "TLS stream truncated: the peer closed the connection without sending close_notify",
    )
}

pub(super) fn shutdown_timed_out() -> io::Error {
    io::Error::new(
        io::ErrorKind::TimedOut,
        "the peer did not answer our close_notify in time",
    )
}
