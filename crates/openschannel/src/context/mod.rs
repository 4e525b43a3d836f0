//! Security contexts (≈ `CtxtHandle`): one TLS connection driven through SSPI semantics.
//!
//! A [`SecurityContext`] is created for a role from a [`Credentials`] value and then driven by
//! the caller exactly as Schannel is:
//!
//! 1. [`handshake`](SecurityContext::handshake) (≈ `InitializeSecurityContext` /
//!    `AcceptSecurityContext`) in a token loop until it returns [`HandshakeStatus::Ok`];
//! 2. [`encrypt`](SecurityContext::encrypt) / [`decrypt`](SecurityContext::decrypt)
//!    (≈ `EncryptMessage` / `DecryptMessage`), in place, one record per call;
//! 3. the shutdown procedure: [`apply_control_token`](SecurityContext::apply_control_token)
//!    with [`ControlToken::Shutdown`], then `handshake` with empty input, whose output is the
//!    close_notify to send.
//!
//! The context never performs I/O: bytes come in through the caller's buffers and go out through
//! the output vector, so it works over any transport.
//!
//! # Internal state
//! On top of rustls' own state machine the context keeps Schannel's (contract §8.5) as a typed
//! phase (`state.rs`): handshaking (with the outcome held behind
//! `SEC_I_INCOMPLETE_CREDENTIALS`), open (with a pending `SEC_I_RENEGOTIATE`, the peer's
//! close_notify, ours), failed (with its latched error and the alert still owed) — plus an
//! armed control token. rustls' own rules — the retained prefix of a handshake message spanning
//! records, reading the hellos, what to drain after a failure, the switch to the record layer —
//! are the engine's (`engine/mod.rs`), which takes one whole record at a time from here.

mod handshake;
mod messages;
mod query;
mod shutdown;
mod state;
#[cfg(test)]
mod tests;

use std::fmt;

use crate::credentials::{ClientAuth, Credentials, Role};
use crate::engine::Engine;
use crate::error::Error;
use crate::params::RecordLimits;
use crate::status::Status;

pub use handshake::{HandshakeOutcome, HandshakeStatus};
pub use messages::{Decrypted, Encrypted, RecordLayout};
pub use query::{ConnectionInfo, StreamSizes};
pub use shutdown::{AlertLevel, ControlToken};
use state::{Failed, Handshaking, Held, Open, Phase, Prompt, Service};

/// How TLS 1.3 post-handshake messages (NewSessionTicket, KeyUpdate) surface from
/// [`SecurityContext::decrypt`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum PostHandshake {
    /// As Windows does: every post-handshake message yields `SEC_I_RENEGOTIATE`, to be serviced
    /// by the next `handshake` call (which returns `SEC_E_OK` and any record that must be sent,
    /// e.g. a KeyUpdate reply).
    #[default]
    Renegotiate,
    /// Compatibility mode for callers that mishandle `SEC_I_RENEGOTIATE` under TLS 1.3: a
    /// message that needs no reply yields `SEC_E_OK` with empty data; only a message that needs
    /// a reply yields `SEC_I_RENEGOTIATE`.
    Quiet,
}

/// Per-context options (the `fContextReq` flags and first-call input buffers of ISC/ASC).
#[derive(Clone, Debug, Default)]
pub struct ContextOptions {
    /// ALPN protocols for this context, overriding the credential's list
    /// (`SECBUFFER_APPLICATION_PROTOCOLS` on the first call).
    pub alpn: Option<Vec<Vec<u8>>>,
    /// Client only: skip certificate validation for this context
    /// (`ISC_REQ_MANUAL_CRED_VALIDATION`); handshake signatures are still verified.
    pub manual_validation: bool,
    /// How post-handshake messages surface.
    pub post_handshake: PostHandshake,
    /// Client only: go on without a client certificate when the server asks for one and the
    /// credential has none (`ISC_REQ_USE_SUPPLIED_CREDS`, `SCH_CRED_NO_DEFAULT_CREDS`).
    /// Without it, [`SecurityContext::handshake`] first returns
    /// [`HandshakeStatus::IncompleteCredentials`] (`SEC_I_INCOMPLETE_CREDENTIALS`), as Schannel
    /// does.
    pub use_supplied_credentials: bool,
    /// Server only: this context's client-certificate policy, overriding the credential's
    /// (`ASC_REQ_MUTUAL_AUTH`). Contexts with a different policy never resume each other's
    /// sessions.
    pub client_auth: Option<ClientAuth>,
    /// Server only: fail with `SEC_E_APPLICATION_PROTOCOL_MISMATCH` unless the client offers
    /// one of the server's ALPN protocols (the credential's
    /// [`alpn_required`](crate::ServerCredentialsBuilder::alpn_required) does the same for
    /// every context).
    pub alpn_required: bool,
    /// What the peer may make the established connection do without sending application
    /// data (warning alerts, KeyUpdates, empty records, renegotiation requests).
    pub limits: RecordLimits,
}

/// A pending control token, consumed by the next `handshake` call.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Control {
    Shutdown,
    Alert { level: u8, description: u8 },
}

/// One TLS connection with Schannel semantics. Driven like an SSPI context handle: see the crate docs for the lifecycle.
pub struct SecurityContext {
    role: Role,
    engine: Engine,
    /// Largest plaintext per record (`cbMaximumMessage`).
    max_message: usize,
    post_handshake: PostHandshake,
    /// The phase of the context's life and what it carries (`state.rs`).
    phase: Phase,
    /// A control token armed by `apply_control_token`, consumed by the next `handshake`.
    control: Option<Control>,
    /// Client: go on without a certificate when one is requested and none is available.
    use_supplied_credentials: bool,
    /// The credential (for its own certificate chain; a cheap shared handle).
    credentials: Credentials,
    limits: RecordLimits,
}

impl SecurityContext {
    /// Creates a client context for `target` (SNI, certificate name check and session-cache
    /// key; `None` sends no SNI and cannot pass an automatic name check).
    ///
    /// Call [`handshake`](Self::handshake) with empty input to obtain the ClientHello.
    /// Fails with `SEC_E_NO_CREDENTIALS` for inbound credentials and `SEC_E_TARGET_UNKNOWN` for
    /// a target that is neither a DNS name nor an IP address.
    pub fn client(
        credentials: &Credentials,
        target: Option<&str>,
        options: ContextOptions,
    ) -> Result<Self, Error> {
        let (config, default_alpn) = credentials.client_engine().ok_or_else(|| {
            Error::new(
                Status::SEC_E_NO_CREDENTIALS,
                "a client context needs outbound credentials",
            )
        })?;
        let alpn = match &options.alpn {
            Some(alpn) => Some(alpn.as_slice()),
            None if default_alpn.is_empty() => None,
            None => Some(default_alpn),
        };
        let engine = config.connect(target, alpn, options.manual_validation)?;
        Ok(Self::new(Role::Client, engine, credentials, &options))
    }

    /// Creates a server context. Feed it the client's first bytes with
    /// [`handshake`](Self::handshake).
    ///
    /// Fails with `SEC_E_NO_CREDENTIALS` for outbound credentials.
    pub fn server(credentials: &Credentials, options: ContextOptions) -> Result<Self, Error> {
        let (config, alpn_required) = credentials.server_engine().ok_or_else(|| {
            Error::new(
                Status::SEC_E_NO_CREDENTIALS,
                "a server context needs inbound credentials",
            )
        })?;
        let engine = config.accept(
            options.alpn.as_deref(),
            alpn_required || options.alpn_required,
            options.client_auth.as_ref().map(ClientAuth::policy),
        )?;
        Ok(Self::new(Role::Server, engine, credentials, &options))
    }

    fn new(role: Role, engine: Engine, credentials: &Credentials, o: &ContextOptions) -> Self {
        Self {
            role,
            engine,
            max_message: credentials.max_message(),
            post_handshake: o.post_handshake,
            phase: Phase::Handshaking(Handshaking::default()),
            control: None,
            use_supplied_credentials: o.use_supplied_credentials,
            credentials: credentials.clone(),
            limits: o.limits,
        }
    }

    /// The context's role.
    pub fn role(&self) -> Role {
        self.role
    }

    /// True once the handshake has completed (and no `SEC_I_INCOMPLETE_CREDENTIALS` outcome
    /// is held back).
    pub fn is_established(&self) -> bool {
        match &self.phase {
            Phase::Handshaking(_) => false,
            Phase::Open(_) => true,
            Phase::Failed(f) => f.established,
        }
    }

    /// True once this side's close_notify (or a fatal alert) has been produced.
    pub fn is_write_closed(&self) -> bool {
        match &self.phase {
            Phase::Failed(f) => f.write_closed,
            phase => phase.close_notify().is_some(),
        }
    }

    /// True once the peer's close_notify has been received (`SEC_I_CONTEXT_EXPIRED`).
    pub fn is_read_closed(&self) -> bool {
        match &self.phase {
            Phase::Handshaking(_) => false,
            Phase::Open(o) => o.peer_closed,
            Phase::Failed(f) => f.peer_closed,
        }
    }

    /// The fatal error that ended this context, if any.
    pub fn failure(&self) -> Option<&Error> {
        match &self.phase {
            Phase::Failed(f) => Some(&f.error),
            _ => None,
        }
    }

    /// The records a failed context still owes the peer: after a fatal
    /// [`decrypt`](Self::decrypt) error, the alert the failure calls for (`bad_record_mac`,
    /// `record_overflow`, `decode_error`, `unexpected_message`, …), sealed under the
    /// connection's keys. Empty when nothing is owed. Every later
    /// [`handshake`](Self::handshake) call hands the same bytes out as its output, so a caller
    /// that simply runs the shutdown procedure sends them.
    pub fn failure_alert(&self) -> &[u8] {
        match &self.phase {
            Phase::Failed(f) => &f.owed,
            _ => &[],
        }
    }

    fn check_failed(&self) -> Result<(), Error> {
        match self.failure() {
            Some(e) => Err(e.clone()),
            None => Ok(()),
        }
    }

    fn check_established(&self) -> Result<(), Error> {
        if !self.is_established() {
            Err(Error::new(
                Status::SEC_E_INVALID_HANDLE,
                "the handshake has not completed",
            ))
        } else {
            Ok(())
        }
    }

    /// Latches `error` as fatal. Any records rustls queued for the peer (the alert, preceded
    /// by handshake messages queued in the same step) are appended to `alert`
    /// ([`Engine::drain_after_failure`]). Records not yet handed out are moot now; a
    /// DecryptMessage failure records what it still owes the peer (`fail_decrypt`).
    fn fail(&mut self, error: Error, alert: &mut Vec<u8>) -> Error {
        self.engine.drain_after_failure(alert);
        self.latch(error.clone(), false);
        error
    }

    /// Enters the failed phase with `error` (`alerted`: this side just sent a fatal alert of
    /// its own) and returns it for the owed records to be stored.
    fn latch(&mut self, error: Error, alerted: bool) -> &mut Failed {
        tracing::debug!(role = ?self.role, status = %error.status(), "context failed");
        self.phase = Phase::Failed(self.phase.failed(error, alerted));
        match &mut self.phase {
            Phase::Failed(f) => f,
            _ => unreachable!("just set"),
        }
    }
}

impl fmt::Debug for SecurityContext {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SecurityContext")
            .field("role", &self.role)
            .field("established", &self.is_established())
            .field("protocol", &self.engine.protocol())
            .field("cipher_suite", &self.engine.cipher_suite())
            .field("phase", &self.phase.summary())
            .field("failed", &self.failure().map(Error::status))
            .field("control", &self.control)
            .finish_non_exhaustive()
    }
}
