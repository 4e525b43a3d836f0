//! [`Side`]: one party of the demo's connection — the same code for client and server, so
//! every trace line comes from one place.
//!
//! Each method is one phase of an SSPI application's life (the handshake token loop, queries,
//! `EncryptMessage`, the `DecryptMessage` receive loop, the shutdown procedure) and checks every
//! status against the contract, turning the first deviation into a [`Failure`].

use std::fmt;
use std::io::{self, Read, Write};
use std::net::TcpStream;

use openschannel::{
    ControlToken, Decrypted, HandshakeStatus, Protocol, RecordLayout, Role, SecurityContext, Status,
};

use super::{Failure, FirstFailure, Negotiated, Plan, IO_TIMEOUT, REPLY, REQUEST};
use crate::trace::Tracer;

/// The plaintext offered to `EncryptMessage` after the shutdown, which must refuse it.
const PROBE: &[u8] = b"late";

/// The statuses `DecryptMessage` may return on a healthy connection.
const DECRYPT_STATUSES: &str =
    "SEC_E_OK, SEC_I_RENEGOTIATE, SEC_I_CONTEXT_EXPIRED or SEC_E_INCOMPLETE_MESSAGE";

/// Upper bound on handshake calls per side; a correct TLS handshake needs far fewer.
const MAX_HANDSHAKE_CALLS: usize = 64;

/// What [`Side::recv`] delivered.
#[derive(Debug, PartialEq, Eq)]
enum Received {
    /// `SEC_E_OK` with application data (one record's plaintext, never empty).
    Data(Vec<u8>),
    /// `SEC_I_CONTEXT_EXPIRED`: the peer sent close_notify.
    ContextExpired,
}

/// One party of the connection: its security context, socket, receive buffer and tracer.
///
/// Client and server run exactly the same code; only the function names (ISC vs ASC) and the
/// order of the script's steps differ.
pub(super) struct Side {
    /// Client or server.
    role: Role,
    /// The security context (dropping it is `DeleteSecurityContext`).
    ctx: SecurityContext,
    /// The connection.
    tcp: TcpStream,
    /// Bytes received and not yet consumed by ISC / ASC / `DecryptMessage`.
    inbox: Vec<u8>,
    /// Prints this side's call lines.
    tracer: Tracer,
    /// Where this side's first deviation is recorded.
    first: FirstFailure,
}

impl Side {
    /// A side ready to start its handshake.
    pub(super) fn new(
        role: Role,
        ctx: SecurityContext,
        tcp: TcpStream,
        tracer: Tracer,
        first: FirstFailure,
    ) -> Self {
        Self {
            role,
            ctx,
            tcp,
            inbox: Vec::new(),
            tracer,
            first,
        }
    }

    /// The whole script for this side; consumes it (the context and socket are gone after).
    pub(super) fn run(mut self, plan: Plan) -> Result<Negotiated, Failure> {
        self.handshake()?;
        let negotiated = self.query(plan.protocol)?;
        match self.role {
            Role::Client => {
                self.send(REQUEST, "request")?;
                self.expect_data(REPLY, "reply")?;
            }
            Role::Server => {
                self.expect_data(REQUEST, "request")?;
                self.send(REPLY, "reply")?;
            }
        }
        let initiator = plan.initiator == self.role;
        self.close(initiator)?;
        Ok(negotiated)
    }

    /// The handshake function of this side's role.
    fn function(&self) -> &'static str {
        match self.role {
            Role::Client => "InitializeSecurityContext",
            Role::Server => "AcceptSecurityContext",
        }
    }

    /// Records a deviation (first one wins) and returns it.
    fn fail(
        &self,
        at: impl fmt::Display,
        expected: impl fmt::Display,
        got: impl fmt::Display,
    ) -> Failure {
        self.first.record(Failure {
            at: format!("[{}] {at}", self.tracer.who()),
            expected: expected.to_string(),
            got: got.to_string(),
        })
    }

    /// Sends bytes on the socket.
    fn write(&mut self, bytes: &[u8], what: &str) -> Result<(), Failure> {
        self.tracer
            .io(format_args!("tcp send {} B ({what})", bytes.len()));
        self.tcp.write_all(bytes).map_err(|e| {
            self.fail(
                format_args!("tcp send ({what})"),
                "the bytes to be written",
                describe_io(&e),
            )
        })
    }

    /// Reads whatever the peer sent next (at least one byte) into the receive buffer.
    fn read_more(&mut self, why: &str) -> Result<(), Failure> {
        let mut buf = [0u8; 16 * 1024];
        loop {
            match self.tcp.read(&mut buf) {
                Ok(0) => {
                    return Err(self.fail(
                        format_args!("tcp recv ({why})"),
                        "more bytes from the peer",
                        "end of stream: the peer closed the TCP connection",
                    ))
                }
                Ok(n) => {
                    self.tracer.io(format_args!("tcp recv {n} B"));
                    self.inbox.extend_from_slice(&buf[..n]);
                    return Ok(());
                }
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => {
                    return Err(self.fail(
                        format_args!("tcp recv ({why})"),
                        "more bytes from the peer",
                        describe_io(&e),
                    ))
                }
            }
        }
    }

    /// Phase 2 of the demo: the handshake token loop, until ISC / ASC returns `SEC_E_OK`.
    ///
    /// Each call gets every unconsumed byte; its token is sent at once. `SEC_I_CONTINUE_NEEDED`
    /// with EXTRA bytes calls again without reading; otherwise the next call waits for more
    /// bytes. Bytes left after `SEC_E_OK` stay in the buffer for `DecryptMessage`.
    fn handshake(&mut self) -> Result<(), Failure> {
        let function = self.function();
        if self.role == Role::Server {
            // A server calls ASC once the client's first bytes have arrived.
            self.read_more("waiting for the ClientHello")?;
        }
        for _ in 0..MAX_HANDSHAKE_CALLS {
            let input = self.inbox.len();
            let call = format!("{function}(input {input} B)");
            let mut token = Vec::new();
            let outcome = match self.ctx.handshake(&self.inbox, &mut token) {
                Ok(outcome) => outcome,
                Err(e) => {
                    let alert = if token.is_empty() {
                        String::new()
                    } else {
                        format!("alert {} B; ", token.len())
                    };
                    self.tracer
                        .call(&call, e.status(), format_args!("{alert}{}", e.detail()));
                    // Recorded before the alert leaves, so that the peer's reaction to the
                    // alert can never be taken for the first failure.
                    let failure = self.fail(
                        format_args!("{function} (handshake)"),
                        "SEC_I_CONTINUE_NEEDED, SEC_E_OK or SEC_E_INCOMPLETE_MESSAGE",
                        e,
                    );
                    if !token.is_empty() {
                        // Schannel's SECBUFFER_ALERT: tell the peer before giving up.
                        let _ = self.write(&token, "alert");
                    }
                    return Err(failure);
                }
            };
            if outcome.consumed > input {
                return Err(self.fail(
                    format_args!("{function} (handshake)"),
                    format_args!("at most the {input} B of input consumed"),
                    format_args!("{} B consumed", outcome.consumed),
                ));
            }
            let extra = input - outcome.consumed;
            match outcome.status {
                HandshakeStatus::IncompleteMessage { missing } => {
                    self.tracer.call(
                        &call,
                        outcome.status.status(),
                        format_args!("missing {missing} B"),
                    );
                    if outcome.consumed != 0 || !token.is_empty() {
                        return Err(self.fail(
                            format_args!("{function} (handshake)"),
                            "nothing consumed and no token with SEC_E_INCOMPLETE_MESSAGE",
                            format_args!(
                                "{} B consumed, token {} B",
                                outcome.consumed,
                                token.len()
                            ),
                        ));
                    }
                }
                HandshakeStatus::ContinueNeeded
                | HandshakeStatus::Ok
                | HandshakeStatus::IncompleteCredentials => {
                    self.tracer.call(
                        &call,
                        outcome.status.status(),
                        format_args!("token {} B, extra {extra} B", token.len()),
                    );
                }
            }
            if !token.is_empty() {
                self.write(&token, "token")?;
            }
            self.inbox.drain(..outcome.consumed);
            match outcome.status {
                HandshakeStatus::Ok => return Ok(()),
                HandshakeStatus::ContinueNeeded if extra > 0 => continue,
                // The demo's client has no certificate to offer: go on without one.
                HandshakeStatus::IncompleteCredentials => continue,
                HandshakeStatus::ContinueNeeded | HandshakeStatus::IncompleteMessage { .. } => {
                    self.read_more("handshake")?;
                }
            }
        }
        Err(self.fail(
            format_args!("{function} (handshake)"),
            format_args!("SEC_E_OK within {MAX_HANDSHAKE_CALLS} calls"),
            "a handshake that never completed",
        ))
    }

    /// Phase 3 of the demo: `QueryContextAttributes` for the stream sizes and the connection info; checks
    /// that `expected` was negotiated.
    fn query(&mut self, expected: Protocol) -> Result<Negotiated, Failure> {
        let call = "QueryContextAttributes(SECPKG_ATTR_STREAM_SIZES)";
        match self.ctx.stream_sizes() {
            Ok(s) => self.tracer.call(
                call,
                Status::SEC_E_OK,
                format_args!(
                    "header {}, trailer {}, max message {}, buffers {}, block {}",
                    s.header, s.trailer, s.max_message, s.buffers, s.block_size
                ),
            ),
            Err(e) => {
                self.tracer.call(call, e.status(), e.detail());
                return Err(self.fail(call, Status::SEC_E_OK, e));
            }
        }
        let call = "QueryContextAttributes(SECPKG_ATTR_CONNECTION_INFO)";
        let info = match self.ctx.connection_info() {
            Ok(info) => info,
            Err(e) => {
                self.tracer.call(call, e.status(), e.detail());
                return Err(self.fail(call, Status::SEC_E_OK, e));
            }
        };
        let group = info
            .key_exchange_group
            .map_or_else(|| "none".to_string(), |g| g.to_string());
        self.tracer.call(
            call,
            Status::SEC_E_OK,
            format_args!(
                "{}, {}, group {group}, resumed {}",
                info.protocol,
                info.cipher_suite,
                if info.resumed { "yes" } else { "no" }
            ),
        );
        if info.protocol != expected {
            return Err(self.fail(call, expected, info.protocol));
        }
        Ok(Negotiated {
            protocol: info.protocol,
            suite: info.cipher_suite,
            group: info.key_exchange_group,
        })
    }

    /// Phase 4 of the demo: `EncryptMessage` for one message (one record) and sends it.
    fn send(&mut self, message: &[u8], what: &str) -> Result<(), Failure> {
        let call = format!("EncryptMessage(data {} B)", message.len());
        let sizes = match self.ctx.stream_sizes() {
            Ok(sizes) => sizes,
            Err(e) => return Err(self.fail(format_args!("{call} ({what})"), Status::SEC_E_OK, e)),
        };
        if message.len() > sizes.max_message {
            return Err(self.fail(
                format_args!("{call} ({what})"),
                format_args!("at most cbMaximumMessage = {} B", sizes.max_message),
                format_args!("{} B", message.len()),
            ));
        }
        let mut record = vec![0u8; sizes.header + message.len() + sizes.trailer];
        record[sizes.header..sizes.header + message.len()].copy_from_slice(message);
        match self.ctx.encrypt(&mut record, message.len()) {
            Ok(written) => {
                self.tracer.call(
                    &call,
                    Status::SEC_E_OK,
                    format_args!(
                        "header {} | data {} | trailer {} = record {} B ({what})",
                        written.header,
                        written.data,
                        written.trailer,
                        written.total()
                    ),
                );
                self.write(&record[..written.total()], what)
            }
            Err(e) => {
                self.tracer.call(&call, e.status(), e.detail());
                Err(self.fail(format_args!("{call} ({what})"), Status::SEC_E_OK, e))
            }
        }
    }

    /// The receive loop: `DecryptMessage` until one record of application data or the peer's
    /// close_notify arrives, reading more on `SEC_E_INCOMPLETE_MESSAGE`, keeping EXTRA bytes,
    /// and servicing `SEC_I_RENEGOTIATE` with an ISC / ASC call whose token is sent.
    fn recv(&mut self, what: &str) -> Result<Received, Failure> {
        loop {
            if self.inbox.is_empty() {
                // Nothing buffered: wait for bytes rather than call DecryptMessage on nothing.
                self.read_more(what)?;
            }
            let call = format!("DecryptMessage(input {} B)", self.inbox.len());
            let decrypted = match self.ctx.decrypt(&mut self.inbox) {
                Ok(decrypted) => decrypted,
                Err(e) => {
                    self.tracer.call(&call, e.status(), e.detail());
                    return Err(self.fail(
                        format_args!("DecryptMessage ({what})"),
                        DECRYPT_STATUSES,
                        e,
                    ));
                }
            };
            let status = decrypted.status();
            if let Some(layout) = decrypted.layout() {
                if !tiles(layout, self.inbox.len()) {
                    self.tracer.call(&call, status, describe_layout(layout));
                    return Err(self.fail(
                        format_args!("DecryptMessage ({what})"),
                        format_args!(
                            "header, data, trailer and extra tiling the {} B buffer",
                            self.inbox.len()
                        ),
                        format_args!("{layout:?}"),
                    ));
                }
            }
            match decrypted {
                Decrypted::IncompleteMessage { missing } => {
                    self.tracer
                        .call(&call, status, format_args!("missing {missing} B"));
                    self.read_more(what)?;
                }
                Decrypted::Data(layout) => {
                    self.tracer.call(&call, status, describe_layout(&layout));
                    let data = self.inbox[layout.data.clone()].to_vec();
                    self.inbox.drain(..layout.extra.start);
                    if !data.is_empty() {
                        return Ok(Received::Data(data));
                    }
                }
                Decrypted::Renegotiate(layout) => {
                    self.tracer.call(
                        &call,
                        status,
                        format_args!("{} (post-handshake message)", describe_layout(&layout)),
                    );
                    self.inbox.drain(..layout.extra.start);
                    self.service_renegotiate()?;
                }
                Decrypted::ContextExpired(layout) => {
                    self.tracer.call(
                        &call,
                        status,
                        format_args!("{} (close_notify)", describe_layout(&layout)),
                    );
                    self.inbox.drain(..layout.extra.start);
                    return Ok(Received::ContextExpired);
                }
            }
        }
    }

    /// Services `SEC_I_RENEGOTIATE`: ISC / ASC with the EXTRA bytes as input must return
    /// `SEC_E_OK`, consume nothing, and produce the token (maybe empty) to send.
    fn service_renegotiate(&mut self) -> Result<(), Failure> {
        let function = self.function();
        let call = format!("{function}(input {} B)", self.inbox.len());
        let at = format!("{function} (servicing SEC_I_RENEGOTIATE)");
        let mut token = Vec::new();
        match self.ctx.handshake(&self.inbox, &mut token) {
            Ok(outcome) => {
                self.tracer.call(
                    &call,
                    outcome.status.status(),
                    format_args!(
                        "token {} B, consumed {} B (services SEC_I_RENEGOTIATE)",
                        token.len(),
                        outcome.consumed
                    ),
                );
                if outcome.status != HandshakeStatus::Ok {
                    return Err(self.fail(at, Status::SEC_E_OK, outcome.status.status()));
                }
                if outcome.consumed != 0 {
                    return Err(self.fail(
                        at,
                        "SEC_E_OK consuming nothing",
                        format_args!("{} B consumed", outcome.consumed),
                    ));
                }
                if !token.is_empty() {
                    self.write(&token, "post-handshake reply")?;
                }
                Ok(())
            }
            Err(e) => {
                self.tracer.call(&call, e.status(), e.detail());
                Err(self.fail(at, Status::SEC_E_OK, e))
            }
        }
    }

    /// Receives one message, which must equal `expected` byte for byte.
    fn expect_data(&mut self, expected: &[u8], what: &str) -> Result<(), Failure> {
        match self.recv(what)? {
            Received::Data(data) if data == expected => {
                self.tracer.event(
                    format_args!("received the {what}"),
                    format_args!(
                        "{} B match byte for byte: {}",
                        data.len(),
                        first_line(&data)
                    ),
                );
                Ok(())
            }
            Received::Data(data) => Err(self.fail(
                format_args!("DecryptMessage ({what})"),
                format_args!("the {} B the peer sent", expected.len()),
                format_args!("{} different bytes: {}", data.len(), first_line(&data)),
            )),
            Received::ContextExpired => Err(self.fail(
                format_args!("DecryptMessage ({what})"),
                format_args!("{} with the {what}", Status::SEC_E_OK),
                Status::SEC_I_CONTEXT_EXPIRED,
            )),
        }
    }

    /// Receives until the peer's close_notify, which must be the next thing to arrive.
    fn expect_context_expired(&mut self, what: &str) -> Result<(), Failure> {
        match self.recv(what)? {
            Received::ContextExpired => Ok(()),
            Received::Data(data) => Err(self.fail(
                format_args!("DecryptMessage ({what})"),
                Status::SEC_I_CONTEXT_EXPIRED,
                format_args!("{} with {} B of data", Status::SEC_E_OK, data.len()),
            )),
        }
    }

    /// Phase 5 of the demo: ends the connection, as the initiator or as the peer.
    ///
    /// The initiator runs steps 1–4, checks that `EncryptMessage` now refuses, then reads the
    /// peer's close_notify (`SEC_I_CONTEXT_EXPIRED`: a bidirectional close) and deletes its
    /// context. The peer recognises the shutdown by `SEC_I_CONTEXT_EXPIRED`, then runs the same
    /// five steps.
    fn close(mut self, initiator: bool) -> Result<(), Failure> {
        if initiator {
            self.shutdown()?;
            self.encrypt_after_shutdown()?;
            self.expect_context_expired("the peer's close_notify")?;
            self.tracer
                .note("the peer closed too: bidirectional close complete");
        } else {
            self.expect_context_expired("the peer's close_notify")?;
            self.tracer
                .note("peer initiated the shutdown: running the shutdown procedure");
            self.shutdown()?;
            self.encrypt_after_shutdown()?;
        }
        self.delete();
        Ok(())
    }

    /// Steps 1–4 of the shutdown procedure: `ApplyControlToken(SCHANNEL_SHUTDOWN)`, ISC / ASC
    /// with empty input until `SEC_E_OK`, and sending its token (the close_notify).
    fn shutdown(&mut self) -> Result<(), Failure> {
        let step1 = "step 1 ApplyControlToken(SCHANNEL_SHUTDOWN)";
        match self.ctx.apply_control_token(ControlToken::Shutdown) {
            Ok(()) => self.tracer.call(step1, Status::SEC_E_OK, ""),
            Err(e) => {
                self.tracer.call(step1, e.status(), e.detail());
                return Err(self.fail(step1, Status::SEC_E_OK, e));
            }
        }

        let step2 = format!("step 2 {}(empty input)", self.function());
        let mut token = Vec::new();
        let outcome = match self.ctx.handshake(&[], &mut token) {
            Ok(outcome) => outcome,
            Err(e) => {
                self.tracer.call(&step2, e.status(), e.detail());
                return Err(self.fail(&step2, Status::SEC_E_OK, e));
            }
        };
        let status = outcome.status.status();
        self.tracer
            .call(&step2, status, format_args!("token {} B", token.len()));
        // Step 3: the contract says the first call already returns SEC_E_OK (never
        // SEC_I_CONTINUE_NEEDED), so the loop must end after one call.
        if outcome.status != HandshakeStatus::Ok {
            return Err(self.fail(&step2, Status::SEC_E_OK, status));
        }
        if token.is_empty() {
            return Err(self.fail(
                &step2,
                format_args!("{status} with a non-empty token (the close_notify)"),
                format_args!("{status} with an empty token"),
            ));
        }
        self.tracer.event(
            "step 3 until SEC_E_OK or SEC_I_CONTEXT_EXPIRED",
            format_args!("{status} after 1 call: done"),
        );

        self.tracer.event(
            "step 4 send the token",
            format_args!("{} bytes (close_notify)", token.len()),
        );
        self.write(&token, "close_notify")
    }

    /// After step 4, `EncryptMessage` must refuse with `SEC_E_CONTEXT_EXPIRED` (not fatal).
    fn encrypt_after_shutdown(&mut self) -> Result<(), Failure> {
        let call = format!("EncryptMessage(data {} B) after shutdown", PROBE.len());
        let at = format!("{call} (must be refused)");
        let sizes = match self.ctx.stream_sizes() {
            Ok(sizes) => sizes,
            Err(e) => return Err(self.fail(at, Status::SEC_E_CONTEXT_EXPIRED, e)),
        };
        let mut record = vec![0u8; sizes.header + PROBE.len() + sizes.trailer];
        record[sizes.header..sizes.header + PROBE.len()].copy_from_slice(PROBE);
        match self.ctx.encrypt(&mut record, PROBE.len()) {
            Err(e) if e.status() == Status::SEC_E_CONTEXT_EXPIRED => {
                self.tracer.call(
                    &call,
                    e.status(),
                    "refused as the contract says: nothing sent",
                );
                Ok(())
            }
            Err(e) => {
                self.tracer.call(&call, e.status(), e.detail());
                Err(self.fail(at, Status::SEC_E_CONTEXT_EXPIRED, e))
            }
            Ok(written) => {
                self.tracer.call(
                    &call,
                    Status::SEC_E_OK,
                    format_args!("record {} B produced (not sent)", written.total()),
                );
                Err(self.fail(
                    at,
                    Status::SEC_E_CONTEXT_EXPIRED,
                    format_args!("{} and a {} B record", Status::SEC_E_OK, written.total()),
                ))
            }
        }
    }

    /// Step 5 of the shutdown procedure: `DeleteSecurityContext` (dropping the context), then
    /// closing the socket.
    fn delete(self) {
        let Self {
            ctx, tcp, tracer, ..
        } = self;
        drop(ctx);
        tracer.event("step 5 DeleteSecurityContext", "context deleted");
        drop(tcp);
        tracer.io("tcp close");
    }
}

/// True when the four regions of a `DecryptMessage` result are contiguous, in order, and
/// cover exactly the `len` bytes of the buffer passed in.
fn tiles(layout: &RecordLayout, len: usize) -> bool {
    layout.header.start == 0
        && layout.header.end == layout.data.start
        && layout.data.start <= layout.data.end
        && layout.data.end == layout.trailer.start
        && layout.trailer.start <= layout.trailer.end
        && layout.trailer.end == layout.extra.start
        && layout.extra.start <= layout.extra.end
        && layout.extra.end == len
}

/// `header H | data D | trailer T, extra E B` for a `DecryptMessage` result.
fn describe_layout(layout: &RecordLayout) -> String {
    format!(
        "header {} | data {} | trailer {}, extra {} B",
        layout.header.len(),
        layout.data.len(),
        layout.trailer.len(),
        layout.extra.len()
    )
}

/// The first line of a message, quoted and escaped, for the trace.
fn first_line(data: &[u8]) -> String {
    let line = data.split(|&b| b == b'\n').next().unwrap_or_default();
    let line = line.strip_suffix(b"\r").unwrap_or(line);
    format!("{:?}", String::from_utf8_lossy(line))
}

/// A socket error in words, naming timeouts plainly.
fn describe_io(e: &io::Error) -> String {
    match e.kind() {
        io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut => {
            format!("no progress within {} s (timeout)", IO_TIMEOUT.as_secs())
        }
        _ => e.to_string(),
    }
}

/// Unit tests for the helpers.
#[cfg(test)]
mod tests {
    use super::*;

    /// A layout from its four lengths.
    fn layout(header: usize, data: usize, trailer: usize, extra: usize) -> RecordLayout {
        let d = header;
        let t = d + data;
        let e = t + trailer;
        RecordLayout {
            header: 0..d,
            data: d..t,
            trailer: t..e,
            extra: e..e + extra,
        }
    }

    /// Well-formed layouts tile the buffer; gaps, overlaps and overruns do not.
    #[test]
    fn tiling() {
        assert!(tiles(&layout(5, 54, 17, 0), 76));
        assert!(tiles(&layout(0, 0, 0, 10), 10));
        assert!(!tiles(&layout(5, 54, 17, 0), 75), "overrun");
        let mut gap = layout(5, 54, 17, 3);
        gap.trailer.start += 1;
        assert!(!tiles(&gap, 79));
    }

    /// The trace shows a message's first line, quoted.
    #[test]
    fn first_line_is_quoted() {
        assert_eq!(
            first_line(b"GET / HTTP/1.1\r\nHost: x\r\n"),
            "\"GET / HTTP/1.1\""
        );
        assert_eq!(first_line(b""), "\"\"");
    }
}
