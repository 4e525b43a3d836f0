//! The token loop (≈ `InitializeSecurityContext` / `AcceptSecurityContext`).

use super::{Held, Open, Phase, Prompt, SecurityContext, Service};
use crate::credentials::Role;
use crate::engine::Progress;
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
        let held = match &mut self.phase {
            Phase::Failed(_) => return self.after_failure(output),
            Phase::Handshaking(h) => match std::mem::take(&mut h.prompt) {
                Prompt::Held(held) => {
                    h.prompt = Prompt::Retried;
                    Some(held)
                }
                prompt => {
                    h.prompt = prompt;
                    None
                }
            },
            Phase::Open(_) => None,
        };
        if let Some(held) = held {
            return self.retry_held(held, input, output);
        }
        if let Some(control) = self.control.take() {
            self.emit_control(control, output)?;
            return Ok(HandshakeOutcome::new(HandshakeStatus::Ok, 0));
        }
        let Phase::Handshaking(h) = &mut self.phase else {
            return self.service_post_handshake(input, output);
        };
        let start = output.len();
        if self.role == Role::Client && !h.hello_sent {
            h.hello_sent = true;
            // The ClientHello: rustls runs with no input.
            return match self.engine.start_client(output, self.limits) {
                Ok(()) => Ok(HandshakeOutcome::new(HandshakeStatus::ContinueNeeded, 0)),
                Err(e) => Err(self.fail(e, output)),
            };
        }
        let outcome = self.handshake_records(input, output)?;
        let outcome = self.prompt_for_credentials(outcome, output, start);
        Ok(self.complete_if_ok(outcome))
    }

    /// The retry after `SEC_I_INCOMPLETE_CREDENTIALS`: the outcome of the same input.
    fn retry_held(
        &mut self,
        held: Held,
        input: &[u8],
        output: &mut Vec<u8>,
    ) -> Result<HandshakeOutcome, Error> {
        if input.len() < held.consumed {
            let e = Error::new(
                Status::SEC_E_INVALID_TOKEN,
                "after SEC_I_INCOMPLETE_CREDENTIALS the same input must be passed again",
            );
            return Err(self.fail(e, output));
        }
        output.extend_from_slice(&held.token);
        let outcome = HandshakeOutcome::new(held.status, held.consumed);
        Ok(self.complete_if_ok(outcome))
    }

    /// The token loop returns `SEC_E_OK`: the context is open (carrying a close_notify the
    /// shutdown procedure produced during the handshake).
    fn complete_if_ok(&mut self, outcome: HandshakeOutcome) -> HandshakeOutcome {
        if outcome.status == HandshakeStatus::Ok {
            if let Phase::Handshaking(h) = &mut self.phase {
                self.phase = Phase::Open(Open {
                    close_notify: h.close_notify.take(),
                    ..Open::default()
                });
            }
        }
        outcome
    }

    /// Feeds whole records of `input` one at a time until the handshake completes or the
    /// input runs out.
    fn handshake_records(
        &mut self,
        input: &[u8],
        output: &mut Vec<u8>,
    ) -> Result<HandshakeOutcome, Error> {
        let mut consumed = 0;
        loop {
            match records::frame(&input[consumed..], records::MAX_TLS12_PAYLOAD) {
                frame @ (Frame::Invalid(_) | Frame::Oversized) => {
                    return Err(self.unframeable(frame, &input[consumed..], output));
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
                    return Err(self.unframeable(Frame::Oversized, &input[consumed..], output));
                }
                Frame::Complete(len) => {
                    let record = &input[consumed..consumed + len];
                    consumed += len;
                    match self.engine.handshake_record(record, output, self.limits) {
                        Ok(Progress::Complete) => {
                            return Ok(HandshakeOutcome::new(HandshakeStatus::Ok, consumed));
                        }
                        Ok(Progress::NeedMore) => {}
                        Err(e) => return Err(self.fail(e, output)),
                    }
                }
            }
        }
    }

    /// Turns an unanswerable client-certificate request into `SEC_I_INCOMPLETE_CREDENTIALS`:
    /// the outcome of this step (`output[start..]`) is held back for the retry.
    fn prompt_for_credentials(
        &mut self,
        outcome: HandshakeOutcome,
        output: &mut Vec<u8>,
        start: usize,
    ) -> HandshakeOutcome {
        if matches!(outcome.status, HandshakeStatus::IncompleteMessage { .. })
            || self.role != Role::Client
            || self.use_supplied_credentials
        {
            return outcome;
        }
        let Phase::Handshaking(h) = &mut self.phase else {
            return outcome;
        };
        let unanswered = self
            .engine
            .certificate_request()
            .is_some_and(|request| !request.sent);
        if !matches!(h.prompt, Prompt::NotReturned) || !unanswered {
            return outcome;
        }
        h.prompt = Prompt::Held(Held {
            status: outcome.status,
            consumed: outcome.consumed,
            token: output[start..].to_vec(),
        });
        output.truncate(start);
        tracing::debug!(
            "client certificate requested, none available: SEC_I_INCOMPLETE_CREDENTIALS"
        );
        HandshakeOutcome::new(HandshakeStatus::IncompleteCredentials, 0)
    }

    /// Bytes that are no TLS record arrived during the handshake. rustls judges them where it
    /// can ([`Engine::reject_unframeable`](crate::engine::Engine::reject_unframeable)); where
    /// it cannot, the alert is a plaintext one: `record_overflow` for an oversized length,
    /// `decode_error` for anything else.
    fn unframeable(&mut self, frame: Frame, rest: &[u8], output: &mut Vec<u8>) -> Error {
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
        // rustls' alert goes out when it judged the bytes; the status and detail stay ours.
        let judged = self.engine.reject_unframeable(rest, output, self.limits);
        let e = self.fail(error, output);
        if !judged {
            output.extend_from_slice(&records::plaintext_alert(2, description));
        }
        e
    }

    /// `handshake` on a failed context: the alert it still owes the peer (if any) is the
    /// output — with `SEC_E_OK` when the shutdown procedure asked for it
    /// (`apply_control_token` armed), with the latched error otherwise. The alert stays
    /// owed: a repeated call produces it again, as a repeated shutdown does its close_notify.
    fn after_failure(&mut self, output: &mut Vec<u8>) -> Result<HandshakeOutcome, Error> {
        let armed = self.control.take().is_some();
        let Phase::Failed(failed) = &self.phase else {
            unreachable!("called for a failed context only");
        };
        output.extend_from_slice(&failed.owed);
        if armed && !failed.owed.is_empty() {
            Ok(HandshakeOutcome::new(HandshakeStatus::Ok, 0))
        } else {
            Err(failed.error.clone())
        }
    }

    /// `handshake` on an open context: services a pending `SEC_I_RENEGOTIATE`.
    fn service_post_handshake(
        &mut self,
        input: &[u8],
        output: &mut Vec<u8>,
    ) -> Result<HandshakeOutcome, Error> {
        if let Phase::Open(open) = &mut self.phase {
            if let Service::Renegotiate(records) = std::mem::take(&mut open.service) {
                output.extend_from_slice(&records);
                return Ok(HandshakeOutcome::new(HandshakeStatus::Ok, 0));
            }
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
