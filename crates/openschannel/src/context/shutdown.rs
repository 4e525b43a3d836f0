//! Control tokens (≈ `ApplyControlToken`) and the close_notify they produce.

use super::{Control, Phase, SecurityContext, Service};
use crate::credentials::Role;
use crate::error::Error;
use crate::params::Protocol;
use crate::records;
use crate::status::Status;

/// Alert levels (`TLS1_ALERT_WARNING`, `TLS1_ALERT_FATAL`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AlertLevel {
    /// `TLS1_ALERT_WARNING` (1).
    Warning = 1,
    /// `TLS1_ALERT_FATAL` (2).
    Fatal = 2,
}

/// A control token for [`SecurityContext::apply_control_token`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ControlToken {
    /// `SCHANNEL_SHUTDOWN`: the next `handshake` call produces our close_notify.
    Shutdown,
    /// `SCHANNEL_ALERT`: the next `handshake` call produces this alert.
    Alert {
        /// Warning or fatal.
        level: AlertLevel,
        /// The alert number (`TLS1_ALERT_*`).
        description: u8,
    },
}

impl SecurityContext {
    /// `ApplyControlToken`: arms a control token; the **next** [`handshake`](Self::handshake)
    /// call ignores its input and returns `SEC_E_OK` with the resulting record as output.
    ///
    /// This is step 1 of Schannel's shutdown procedure:
    /// 1. `apply_control_token(ControlToken::Shutdown)`;
    /// 2. `handshake(&[], &mut out)` → `Ok` with the close_notify in `out`;
    /// 3. send `out`;
    /// 4. drop the context (≈ `DeleteSecurityContext`) — after, if wanted, reading until
    ///    [`decrypt`](Self::decrypt) reports the peer's close_notify.
    ///
    /// Shutdown works at any stage: before the handshake has completed the close_notify is a
    /// plaintext alert; afterwards it is encrypted under the current keys. It may be repeated
    /// (the same close_notify is produced again). Afterwards `decrypt` keeps working — under
    /// TLS 1.3 the peer may still send — while `encrypt` returns `SEC_E_CONTEXT_EXPIRED`.
    ///
    /// Any other alert (`SCHANNEL_ALERT`, e.g. `bad_certificate` after the caller's own
    /// certificate validation failed, as .NET does) is a plaintext record before keys exist and
    /// an encrypted record once the handshake has completed; either way a fatal alert ends the
    /// context, and once the handshake has completed so does a warning (the connection's keys
    /// were used to seal it).
    ///
    /// # Errors
    /// `SEC_E_UNSUPPORTED_FUNCTION` for an alert other than close_notify in the middle of a
    /// TLS 1.3 handshake (records are encrypted with handshake keys rustls does not hand out).
    pub fn apply_control_token(&mut self, token: ControlToken) -> Result<(), Error> {
        let control = match token {
            ControlToken::Shutdown
            | ControlToken::Alert {
                level: AlertLevel::Warning,
                description: 0,
            } => Control::Shutdown,
            ControlToken::Alert { level, description } => {
                let handshaking = matches!(self.phase, Phase::Handshaking(_));
                if handshaking && self.engine.protocol() == Some(Protocol::Tls13) {
                    return Err(Error::new(
                        Status::SEC_E_UNSUPPORTED_FUNCTION,
                        "an alert other than close_notify cannot be sent in the middle of a TLS 1.3 handshake",
                    ));
                }
                Control::Alert {
                    level: level as u8,
                    description,
                }
            }
        };
        tracing::debug!(role = ?self.role, ?control, "control token applied");
        self.control = Some(control);
        Ok(())
    }

    pub(super) fn emit_control(
        &mut self,
        control: Control,
        output: &mut Vec<u8>,
    ) -> Result<(), Error> {
        match control {
            Control::Shutdown => self.emit_close_notify(output),
            Control::Alert { level, description } => {
                let sealed = matches!(self.phase, Phase::Open(_));
                if sealed {
                    // Under the traffic keys, after any record that must precede it.
                    let record = match self.engine.seal_alert(level, description) {
                        Ok(record) => record,
                        Err(e) => return Err(self.fail(e, output)),
                    };
                    self.take_service(output);
                    output.extend_from_slice(&record);
                } else {
                    let minor = self.plaintext_minor();
                    output.extend_from_slice(&records::plaintext_alert_as(
                        minor,
                        level,
                        description,
                    ));
                }
                if sealed || level == AlertLevel::Fatal as u8 {
                    let error = Error::new(
                        Status::SEC_E_CONTEXT_EXPIRED,
                        format!("this side sent alert {description} (level {level})"),
                    );
                    self.latch(error, true);
                }
                Ok(())
            }
        }
    }

    /// The minor record-layer version of a plaintext alert sent before the handshake has
    /// completed: the one our records have used so far — 3.1 for a client that has only sent
    /// its first ClientHello (rustls, like Windows, writes that record as 3.1), 3.3 once the
    /// peer's hello is known (a second ClientHello after HelloRetryRequest, every server record).
    fn plaintext_minor(&self) -> u8 {
        if self.role == Role::Client && self.engine.protocol().is_none() {
            1
        } else {
            3
        }
    }

    /// Hands out the records a pending `SEC_I_RENEGOTIATE` holds (they must precede ours)
    /// and clears it.
    fn take_service(&mut self, output: &mut Vec<u8>) {
        if let Phase::Open(open) = &mut self.phase {
            if let Service::Renegotiate(records) = std::mem::take(&mut open.service) {
                output.extend_from_slice(&records);
            }
        }
    }

    fn emit_close_notify(&mut self, output: &mut Vec<u8>) -> Result<(), Error> {
        if let Some(record) = self.phase.close_notify() {
            output.extend_from_slice(record);
            return Ok(());
        }
        // Records that must precede ours (a KeyUpdate reply) go first.
        self.take_service(output);
        let start = output.len();
        if let Phase::Handshaking(_) = self.phase {
            let minor = self.plaintext_minor();
            output.extend_from_slice(&records::plaintext_alert_as(
                minor,
                AlertLevel::Warning as u8,
                0,
            ));
        } else if let Err(e) = self.engine.seal_close_notify(output) {
            output.truncate(start);
            return Err(self.fail(e, output));
        }
        if let Some(slot) = self.phase.close_notify_slot() {
            *slot = Some(output[start..].to_vec());
        }
        Ok(())
    }
}
