//! The token loop (≈ `InitializeSecurityContext` / `AcceptSecurityContext`).

use super::{run_window, SecurityContext};
use crate::credentials::Role;
use crate::engine::Step;
use crate::error::Error;
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
}

impl HandshakeStatus {
    /// The Schannel status code.
    pub fn status(self) -> Status {
        match self {
            Self::Ok => Status::SEC_E_OK,
            Self::ContinueNeeded => Status::SEC_I_CONTINUE_NEEDED,
            Self::IncompleteMessage { .. } => Status::SEC_E_INCOMPLETE_MESSAGE,
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
    /// only the alert record to send to the peer, if rustls produced one (Schannel's
    /// `SECBUFFER_ALERT`).
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
        self.check_failed()?;
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
            return match self.feed(output) {
                Ok(_) => Ok(HandshakeOutcome::new(HandshakeStatus::ContinueNeeded, 0)),
                Err(e) => Err(self.fail_handshake(e, output, start)),
            };
        }
        self.started = true;
        let mut consumed = 0;
        loop {
            match records::frame(&input[consumed..], records::MAX_TLS12_PAYLOAD) {
                Frame::Invalid(why) => {
                    let e = Error::new(Status::SEC_E_INVALID_TOKEN, why);
                    return Err(self.fail_handshake(e, output, start));
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
                Frame::Complete(len) => {
                    self.retained
                        .extend_from_slice(&input[consumed..consumed + len]);
                    consumed += len;
                    match self.feed(output) {
                        Ok(true) => {
                            if self.retained.is_empty() {
                                // Idle contexts keep no handshake-sized buffers.
                                self.retained = Vec::new();
                            }
                            return Ok(HandshakeOutcome::new(HandshakeStatus::Ok, consumed));
                        }
                        Ok(false) => {}
                        Err(e) => return Err(self.fail_handshake(e, output, start)),
                    }
                }
            }
        }
    }

    /// Runs the engine over the retained bytes (which end with the record just received).
    /// Returns true when the handshake has completed.
    fn feed(&mut self, output: &mut Vec<u8>) -> Result<bool, Error> {
        let mut plain = Vec::new();
        let (pos, step) = run_window(&mut self.engine, &mut self.retained[..], output, &mut plain);
        self.retained.drain(..pos.min(self.retained.len()));
        match step? {
            Step::Blocked => Ok(false),
            Step::Writable { .. } => Ok(!self.engine.is_handshaking()),
            Step::Plaintext => Err(Error::new(
                Status::SEC_E_ILLEGAL_MESSAGE,
                "application data arrived before the handshake completed",
            )),
            Step::PeerClosed | Step::Closed => Err(Error::new(
                Status::SEC_E_ILLEGAL_MESSAGE,
                "close_notify arrived before the handshake completed",
            )),
            Step::Progress => unreachable!("run_window never stops on progress"),
        }
    }

    fn fail_handshake(&mut self, e: Error, output: &mut Vec<u8>, start: usize) -> Error {
        output.truncate(start);
        self.fail(e, output)
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
