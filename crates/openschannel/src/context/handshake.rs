//! The token loop (≈ `InitializeSecurityContext` / `AcceptSecurityContext`).

use super::{Held, SecurityContext};
use crate::credentials::Role;
use crate::error::Error;
use crate::hello::{self, Sniffed};
use crate::records::{self, Frame};
use crate::status::Status;

/// The non-error result of one [`SecurityContext::handshake`] call.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HandshakeStatus {
    /// `SEC_E_OK`: the handshake (or the control-token / post-handshake step) is complete.
    /// The output may still hold bytes that must be sent (TLS 1.3 client Finished, TLS 1.2
    /// server Finished, session tickets, a close_notify, a KeyUpdate reply).
    Ok,
    /// `SEC_I_CONTINUE_NEEDED`: send the output (it may be empty) and call again with more
    /// input — or at once, without reading, when input was left over.
    ContinueNeeded,
    /// `SEC_E_INCOMPLETE_MESSAGE`: no complete record was present. Nothing was consumed and
    /// nothing was produced; read at least `missing` more bytes and call again with *all* the
    /// bytes.
    IncompleteMessage {
        /// Bytes still needed to complete the first record (`SECBUFFER_MISSING`).
        missing: usize,
    },
    /// `SEC_I_INCOMPLETE_CREDENTIALS` (client only): the server asked for a client
    /// certificate and the credential has none it would accept. Nothing was consumed and
    /// nothing is to be sent. Call again with the **same input** to continue without a
    /// certificate (or create the context with
    /// [`ContextOptions::use_supplied_credentials`](crate::ContextOptions::use_supplied_credentials)
    /// to never get this status). Returned at most once per context.
    ///
    /// Unlike Windows, a certificate cannot be supplied for the retry: rustls has already
    /// answered the request, so the handshake continues without one.
    IncompleteCredentials,
}

impl HandshakeStatus {
    /// The Schannel status code.
    pub fn status(self) -> Status {
        match self {
            Self::Ok => Status::SEC_E_OK,
            Self::ContinueNeeded => Status::SEC_I_CONTINUE_NEEDED,
            Self::IncompleteMessage { .. } => Status::SEC_E_INCOMPLETE_MESSAGE,
            Self::IncompleteCredentials => Status::SEC_I_INCOMPLETE_CREDENTIALS,
        }
    }
}

/// What one [`SecurityContext::handshake`] call did with its input.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct HandshakeOutcome {
    /// The status.
    pub status: HandshakeStatus,
    /// How many bytes at the front of the input were consumed. The rest,
    /// `input[consumed..]`, is `SECBUFFER_EXTRA`: when the status is `Ok` those bytes are
    /// records for [`SecurityContext::decrypt`]; when it is `ContinueNeeded` they go back to
    /// `handshake`.
    pub consumed: usize,
}

impl HandshakeOutcome {
    fn new(status: HandshakeStatus, consumed: usize) -> Self {
        Self { status, consumed }
    }
}

impl SecurityContext {
    /// One step of the handshake token loop (≈ ISC for a client, ASC for a server).
    ///
    /// `input` holds bytes received from the peer and not yet consumed; `output` receives the
    /// token to send (appended). Records are consumed whole and one at a time, and consumption
    /// stops the moment the handshake completes, so records that follow the handshake stay in
    /// `input[consumed..]` for [`decrypt`](Self::decrypt).
    ///
    /// The same call services the two other ISC/ASC duties of Schannel:
    /// * after [`apply_control_token`](Self::apply_control_token), it ignores `input` (reporting
    ///   all of it as unconsumed) and returns `Ok` with the close_notify or alert in `output`;
    /// * after [`decrypt`](Self::decrypt) returned `SEC_I_RENEGOTIATE`, it returns `Ok` with any
    ///   record that must be sent (a TLS 1.3 KeyUpdate reply, a TLS 1.2 `no_renegotiation`
    ///   warning), consuming nothing.
    ///
    /// On an established context with nothing pending, empty input gives
    /// `IncompleteMessage { missing: 5 }` (as Windows does after a shutdown) and non-empty
    /// input `SEC_E_UNSUPPORTED_FUNCTION` (rustls does not renegotiate).
    ///
    /// # Errors
    /// A fatal error is latched: every later call returns it again. On error, `output` holds
    /// what must still be sent to the peer (Schannel's `SECBUFFER_ALERT`): the alert rustls
    /// produced, if any, preceded by any handshake records this call produced before failing
    /// (without them a TLS 1.3 peer could not decrypt the alert).
    pub fn handshake(
        &mut self,
        input: &[u8],
        output: &mut Vec<u8>,
    ) -> Result<HandshakeOutcome, Error> {
        let outcome = self.handshake_inner(input, output);
        tracing::debug!(
            role = ?self.role,
            input = input.len(),
            output = output.len(),
            result = ?outcome.as_ref().map(|o| o.status).map_err(|e| e.status()),
            "handshake step"
        );
        outcome
    }

    fn handshake_inner(
        &mut self,
        input: &[u8],
        output: &mut Vec<u8>,
    ) -> Result<HandshakeOutcome, Error> {
        if let Some(failed) = self.failed.clone() {
            return self.after_failure(failed, output);
        }
        if let Some(held) = self.held.take() {
            // The retry after SEC_I_INCOMPLETE_CREDENTIALS: the outcome of the same input.
            if input.len() < held.consumed {
                let e = Error::new(
                    Status::SEC_E_INVALID_TOKEN,
                    "after SEC_I_INCOMPLETE_CREDENTIALS the same input must be passed again",
                );
                let start = output.len();
                return Err(self.fail_handshake(e, output, start));
            }
            output.extend_from_slice(&held.token);
            return Ok(HandshakeOutcome::new(held.status, held.consumed));
        }
        if let Some(control) = self.control.take() {
            self.emit_control(control, output)?;
            return Ok(HandshakeOutcome::new(HandshakeStatus::Ok, 0));
        }
        if !self.engine.is_handshaking() {
            return self.service_post_handshake(input, output);
        }
        let start = output.len();
        if self.role == Role::Client && !self.started {
            self.started = true;
            // The ClientHello: rustls runs with no input.
            return match self.engine.drive_handshake(output, self.limits) {
                Ok(_) => Ok(HandshakeOutcome::new(HandshakeStatus::ContinueNeeded, 0)),
                Err(e) => Err(self.fail_handshake(e, output, start)),
            };
        }
        self.started = true;
        let outcome = self.handshake_records(input, output, start)?;
        Ok(self.after_records(outcome, output, start))
    }

    /// Feeds whole records of `input` one at a time until the handshake completes or the
    /// input runs out.
    fn handshake_records(
        &mut self,
        input: &[u8],
        output: &mut Vec<u8>,
        start: usize,
    ) -> Result<HandshakeOutcome, Error> {
        let mut consumed = 0;
        loop {
            match records::frame(&input[consumed..], records::MAX_TLS12_PAYLOAD) {
                frame @ (Frame::Invalid(_) | Frame::Oversized) => {
                    return Err(self.unframeable(frame, &input[consumed..], output, start));
                }
                Frame::Incomplete(missing) if consumed == 0 => {
                    return Ok(HandshakeOutcome::new(
                        HandshakeStatus::IncompleteMessage { missing },
                        0,
                    ));
                }
                Frame::Incomplete(_) => {
                    return Ok(HandshakeOutcome::new(
                        HandshakeStatus::ContinueNeeded,
                        consumed,
                    ));
                }
                Frame::Complete(len)
                    if len - records::HEADER_LEN > records::MAX_PLAINTEXT
                        && input[consumed] != records::content_type::APPLICATION_DATA =>
                {
                    // Handshake, alert and CCS records of the handshake are plaintext (a TLS
                    // 1.2 Finished is the one encrypted exception, and it is small): more than
                    // 2^14 bytes is record_overflow (RFC 8446 §5.1).
                    return Err(self.unframeable(
                        Frame::Oversized,
                        &input[consumed..],
                        output,
                        start,
                    ));
                }
                Frame::Complete(len) => {
                    let record = &input[consumed..consumed + len];
                    if !self.peer_hello.is_done() {
                        self.peer_hello.push(record);
                    }
                    self.engine.push_handshake_record(record);
                    consumed += len;
                    if self.engine.is_pending_server() {
                        // The connection starts once the whole ClientHello is here.
                        let offered = match self.peer_hello.state() {
                            Sniffed::NeedMore => continue,
                            Sniffed::Message(m) => hello::client_hello_alpn(m),
                            Sniffed::NotHandshake => Err(()),
                        };
                        if let Err(e) = self.engine.start_server(offered) {
                            let e = self.fail_handshake(e, output, start);
                            if e.status() == Status::SEC_E_APPLICATION_PROTOCOL_MISMATCH {
                                output.extend_from_slice(&records::plaintext_alert(2, 120));
                            }
                            return Err(e);
                        }
                    }
                    match self.engine.drive_handshake(output, self.limits) {
                        Ok(true) => {
                            return Ok(HandshakeOutcome::new(HandshakeStatus::Ok, consumed));
                        }
                        Ok(false) => {}
                        Err(e) => return Err(self.fail_handshake(e, output, start)),
                    }
                }
            }
        }
    }

    /// After a handshake step that consumed records: notes the ServerHello random, and turns
    /// an unanswerable client-certificate request into `SEC_I_INCOMPLETE_CREDENTIALS` (the
    /// outcome is held back for the retry).
    fn after_records(
        &mut self,
        outcome: HandshakeOutcome,
        output: &mut Vec<u8>,
        start: usize,
    ) -> HandshakeOutcome {
        if matches!(outcome.status, HandshakeStatus::IncompleteMessage { .. }) {
            return outcome;
        }
        self.note_server_hello(&output[start..]);
        if self.role == Role::Client
            && !self.use_supplied_credentials
            && !self.incomplete_reported
            && self
                .engine
                .certificate_request()
                .is_some_and(|request| !request.sent)
        {
            self.incomplete_reported = true;
            self.held = Some(Held {
                status: outcome.status,
                consumed: outcome.consumed,
                token: output[start..].to_vec(),
            });
            output.truncate(start);
            tracing::debug!(
                "client certificate requested, none available: SEC_I_INCOMPLETE_CREDENTIALS"
            );
            return HandshakeOutcome::new(HandshakeStatus::IncompleteCredentials, 0);
        }
        outcome
    }

    /// Reads the ServerHello random (ours on a server, the peer's on a client) once.
    fn note_server_hello(&mut self, produced: &[u8]) {
        let sniffer = match self.role {
            Role::Client => &self.peer_hello,
            Role::Server => {
                let mut rest = produced;
                while !self.own_hello.is_done() {
                    match records::frame(rest, records::MAX_TLS12_PAYLOAD) {
                        Frame::Complete(len) => {
                            self.own_hello.push(&rest[..len]);
                            rest = &rest[len..];
                        }
                        _ => break,
                    }
                }
                &self.own_hello
            }
        };
        if let Sniffed::Message(m) = sniffer.state() {
            if let Some(random) = hello::hello_random(m) {
                self.engine.set_server_random(random);
            }
        }
    }

    /// Bytes that are no TLS record arrived during the handshake. rustls judges them as it
    /// judges any record header (its alert is encrypted once handshake keys exist); where it
    /// cannot — a server still waiting for its ClientHello (an SSLv2-format hello), or fewer
    /// than the five header bytes — the alert is a plaintext one: `record_overflow` for an
    /// oversized length, `decode_error` for anything else.
    fn unframeable(
        &mut self,
        frame: Frame,
        rest: &[u8],
        output: &mut Vec<u8>,
        start: usize,
    ) -> Error {
        let (status, why, description) = match frame {
            Frame::Oversized => (
                Status::SEC_E_INVALID_TOKEN,
                "record longer than the protocol allows",
                22,
            ),
            Frame::Invalid(why) => (Status::SEC_E_INVALID_TOKEN, why, 50),
            _ => unreachable!("only unframeable input comes here"),
        };
        let error = Error::new(status, why);
        if !self.engine.is_pending_server() && rest.len() >= records::HEADER_LEN {
            self.engine
                .push_handshake_record(&rest[..records::HEADER_LEN]);
            if self.engine.drive_handshake(output, self.limits).is_err() {
                // rustls' alert goes out; the status and detail stay ours (the same status).
                return self.fail_handshake(error, output, start);
            }
        }
        let e = self.fail_handshake(error, output, start);
        output.extend_from_slice(&records::plaintext_alert(2, description));
        e
    }

    /// Fails the context. What this call produced before the failure stays in `output`,
    /// followed by the alert: a TLS 1.3 server that fails after its ServerHello (no common
    /// ALPN protocol) encrypts the alert under handshake keys the peer can only derive from
    /// that ServerHello.
    fn fail_handshake(&mut self, e: Error, output: &mut Vec<u8>, _start: usize) -> Error {
        self.fail(e, output)
    }

    /// `handshake` on a failed context: the alert it still owes the peer (if any) is the
    /// output — with `SEC_E_OK` when the shutdown procedure asked for it
    /// (`apply_control_token` armed), with the latched error otherwise. The alert stays
    /// owed: a repeated call produces it again, as a repeated shutdown does its close_notify.
    fn after_failure(
        &mut self,
        failed: Error,
        output: &mut Vec<u8>,
    ) -> Result<HandshakeOutcome, Error> {
        let armed = self.control.take().is_some();
        output.extend_from_slice(&self.pending_out);
        if armed && !self.pending_out.is_empty() {
            Ok(HandshakeOutcome::new(HandshakeStatus::Ok, 0))
        } else {
            Err(failed)
        }
    }

    fn service_post_handshake(
        &mut self,
        input: &[u8],
        output: &mut Vec<u8>,
    ) -> Result<HandshakeOutcome, Error> {
        if self.renegotiate_pending || !self.pending_out.is_empty() {
            self.renegotiate_pending = false;
            output.extend_from_slice(&std::mem::take(&mut self.pending_out));
            return Ok(HandshakeOutcome::new(HandshakeStatus::Ok, 0));
        }
        if input.is_empty() {
            return Ok(HandshakeOutcome::new(
                HandshakeStatus::IncompleteMessage {
                    missing: records::HEADER_LEN,
                },
                0,
            ));
        }
        Err(Error::new(
            Status::SEC_E_UNSUPPORTED_FUNCTION,
            "renegotiation is not supported; feed post-handshake records to decrypt",
        ))
    }
}
