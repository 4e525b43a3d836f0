//! `AsyncTlsStream`: the same stream over tokio's `AsyncRead + AsyncWrite` (feature `tokio`).
//!
//! It shares every TLS decision with the blocking [`TlsStream`](super::TlsStream) (the
//! I/O-free `StreamCore`); only the byte moving differs. All state lives in the stream, never in
//! a future, so reads and writes are **cancellation-safe**: dropping a `read`/`write` future
//! loses no data — bytes read from the transport stay in the inbox, a record once encrypted
//! stays in the outbox and is sent exactly once.
//!
//! `poll_shutdown` (i.e. `AsyncWriteExt::shutdown`) is Schannel's shutdown procedure followed,
//! by default, by a wait — bounded by [`StreamOptions::shutdown_timeout`], using tokio's timer —
//! for the peer's close_notify, and then the transport's own shutdown. Use
//! [`AsyncTlsStream::shutdown_send`] to only send.

use std::future::{poll_fn, Future};
use std::io;
use std::pin::Pin;
use std::task::{ready, Context, Poll};
use std::time::Duration;

use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};

use super::shared::{shutdown_timed_out, tls_error, ReadEnd, StreamCore, Want};
use super::StreamOptions;
use crate::certs::Certificate;
use crate::context::SecurityContext;
use crate::credentials::Credentials;
use crate::params::{CipherSuite, Protocol};

/// Where `poll_shutdown` stands.
enum Closing {
    /// Not started.
    Open,
    /// Our close_notify is queued or sent; waiting for the peer's (with this timer).
    Waiting(Option<Pin<Box<tokio::time::Sleep>>>),
    /// Both close_notify exchanged (or not waited for): shutting the transport down.
    Transport,
    /// The connection had failed: what it still owes the peer (its alert) goes out, the
    /// transport is shut down, then the error is returned.
    Failed(Option<io::Error>),
    /// Done.
    Done,
}

/// A TLS stream over a tokio transport. See the [module docs](self).
pub struct AsyncTlsStream<S> {
    core: StreamCore,
    io: S,
    shutdown_timeout: Option<Duration>,
    closing: Closing,
}

impl<S: AsyncRead + AsyncWrite + Unpin> AsyncTlsStream<S> {
    /// Connects as a client to `server_name` over `io`, completing the handshake.
    pub async fn connect(credentials: &Credentials, server_name: &str, io: S) -> io::Result<Self> {
        Self::connect_with(credentials, server_name, io, StreamOptions::default()).await
    }

    /// [`connect`](Self::connect) with options.
    pub async fn connect_with(
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
        .await
    }

    /// Accepts a client over `io`, completing the handshake.
    pub async fn accept(credentials: &Credentials, io: S) -> io::Result<Self> {
        Self::accept_with(credentials, io, StreamOptions::default()).await
    }

    /// [`accept`](Self::accept) with options.
    pub async fn accept_with(
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
        .await
    }

    async fn handshake(
        core: StreamCore,
        io: S,
        shutdown_timeout: Option<Duration>,
    ) -> io::Result<Self> {
        let mut s = Self {
            core,
            io,
            shutdown_timeout,
            closing: Closing::Open,
        };
        loop {
            let want = s.core.handshake_step();
            let flushed = poll_fn(|cx| s.poll_flush_all(cx)).await;
            match want? {
                Want::Done => return flushed.map(|()| s),
                Want::Read => {
                    flushed?;
                    if poll_fn(|cx| s.poll_fill(cx)).await? == 0 {
                        return Err(StreamCore::handshake_eof());
                    }
                }
            }
        }
    }

    /// Steps 1–4 of the shutdown procedure only: our close_notify is sent and flushed; the
    /// peer's is not awaited. Idempotent.
    pub async fn shutdown_send(&mut self) -> io::Result<()> {
        self.core.queue_close_notify()?;
        poll_fn(|cx| self.poll_flush_all(cx)).await
    }

    fn poll_fill(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<usize>> {
        let space = self.core.read_space();
        let mut buf = ReadBuf::new(space);
        match Pin::new(&mut self.io).poll_read(cx, &mut buf) {
            Poll::Ready(Ok(())) => {
                let n = buf.filled().len();
                self.core.commit_read(n);
                Poll::Ready(Ok(n))
            }
            Poll::Ready(Err(e)) => {
                self.core.cancel_read();
                Poll::Ready(Err(e))
            }
            Poll::Pending => {
                self.core.cancel_read();
                Poll::Pending
            }
        }
    }

    fn poll_flush_outbox(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        while !self.core.unsent().is_empty() {
            let n = ready!(Pin::new(&mut self.io).poll_write(cx, self.core.unsent()))?;
            if n == 0 {
                return Poll::Ready(Err(io::Error::new(
                    io::ErrorKind::WriteZero,
                    "the transport accepted no bytes",
                )));
            }
            self.core.mark_sent(n);
        }
        Poll::Ready(Ok(()))
    }

    fn poll_flush_all(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        ready!(self.poll_flush_outbox(cx))?;
        Pin::new(&mut self.io).poll_flush(cx)
    }

    /// Decrypts until plaintext is pending or the read side has ended.
    fn poll_plaintext(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        loop {
            let want = self.core.decrypt_step();
            if !self.core.unsent().is_empty() {
                // A KeyUpdate reply or TLS 1.2 close_notify answer — or, after a fatal error,
                // the alert: send it when the transport allows; a later write, flush or
                // shutdown finishes it if it cannot now.
                match self.poll_flush_all(cx) {
                    Poll::Ready(Err(e)) if want.is_ok() && self.core.read_end == ReadEnd::Open => {
                        return Poll::Ready(Err(e))
                    }
                    _ => {}
                }
            }
            match want? {
                Want::Done => return Poll::Ready(Ok(())),
                Want::Read => {
                    if ready!(self.poll_fill(cx))? == 0 {
                        self.core.on_eof();
                    }
                }
            }
        }
    }
}

impl<S> AsyncTlsStream<S> {
    stream_accessors!();
}

impl<S: AsyncRead + AsyncWrite + Unpin> AsyncRead for AsyncTlsStream<S> {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        if buf.remaining() == 0 {
            return Poll::Ready(Ok(()));
        }
        ready!(this.poll_plaintext(cx))?;
        let n = this.core.take_received(buf.initialize_unfilled());
        buf.advance(n);
        if !this.core.unsent().is_empty() {
            // A KeyUpdate reply the further records asked for: sent now if the transport
            // takes it, else by the next read, write, flush or shutdown.
            let _ = this.poll_flush_outbox(cx);
        }
        if n == 0 {
            this.core.read_end_result()?;
        }
        Poll::Ready(Ok(()))
    }
}

impl<S: AsyncRead + AsyncWrite + Unpin> AsyncWrite for AsyncTlsStream<S> {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        data: &[u8],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        // Bytes already owned by the stream go first; until they are out nothing new is taken.
        ready!(this.poll_flush_outbox(cx))?;
        if data.is_empty() {
            return Poll::Ready(Ok(0));
        }
        let n = this.core.encrypt(data)?;
        // The record belongs to the stream now: accepted, even if it cannot be sent yet.
        match this.poll_flush_outbox(cx) {
            Poll::Ready(Err(e)) => Poll::Ready(Err(e)),
            _ => Poll::Ready(Ok(n)),
        }
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        self.get_mut().poll_flush_all(cx)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        loop {
            match &mut this.closing {
                Closing::Open => {
                    if let Err(e) = this.core.queue_close_notify() {
                        this.closing = Closing::Failed(Some(e));
                        continue;
                    }
                    let timer = this
                        .shutdown_timeout
                        .map(|t| Box::pin(tokio::time::sleep(t)));
                    this.closing = Closing::Waiting(timer);
                }
                Closing::Waiting(timer) => {
                    if let Some(timer) = timer {
                        if timer.as_mut().poll(cx).is_ready() {
                            this.closing = Closing::Done;
                            return Poll::Ready(Err(shutdown_timed_out()));
                        }
                    }
                    ready!(this.poll_flush_all(cx))?;
                    while this.core.read_end == ReadEnd::Open {
                        this.core.discard_plaintext();
                        ready!(this.poll_plaintext(cx))?;
                    }
                    this.closing = Closing::Transport;
                    this.core.read_end_result()?;
                }
                Closing::Transport => {
                    ready!(Pin::new(&mut this.io).poll_shutdown(cx))?;
                    this.closing = Closing::Done;
                }
                Closing::Failed(_) => {
                    // Best effort: the alert may not get through a transport that failed.
                    let _ = ready!(this.poll_flush_all(cx));
                    let _ = ready!(Pin::new(&mut this.io).poll_shutdown(cx));
                    if let Closing::Failed(Some(e)) =
                        std::mem::replace(&mut this.closing, Closing::Done)
                    {
                        return Poll::Ready(Err(e));
                    }
                }
                Closing::Done => return Poll::Ready(Ok(())),
            }
        }
    }
}

impl<S> std::fmt::Debug for AsyncTlsStream<S> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AsyncTlsStream")
            .field("context", &self.core.ctx)
            .field("read_end", &self.core.read_end)
            .field("unsent", &self.core.unsent().len())
            .finish_non_exhaustive()
    }
}
