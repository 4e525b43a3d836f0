//! The typed state of a context (contract §8.5): the phase of its life, and what each phase
//! carries.
//!
//! A context is [`Handshaking`] until the token loop returns `SEC_E_OK`, then [`Open`] until a
//! fatal error — or a fatal alert of its own — makes it [`Failed`]. What only makes sense in
//! one phase lives only there: the outcome held back behind `SEC_I_INCOMPLETE_CREDENTIALS`
//! belongs to the handshake, a pending `SEC_I_RENEGOTIATE` and the peer's close_notify to the
//! open connection, the latched error and the alert still owed to the peer to the failed
//! context. Our close_notify can be sent in either of the first two phases (the shutdown
//! procedure works at any stage) and is carried from one to the next. An armed control token
//! is the one piece of state valid in every phase, so it stays beside the phase.

use super::HandshakeStatus;
use crate::error::Error;

/// The phase of a context's life.
#[derive(Debug)]
pub(super) enum Phase {
    /// Before the token loop has returned `SEC_E_OK`.
    Handshaking(Handshaking),
    /// The handshake has completed: records flow through `encrypt`/`decrypt`.
    Open(Open),
    /// A fatal error ended the context; every later call reports it.
    Failed(Failed),
}

/// The handshake phase.
#[derive(Debug, Default)]
pub(super) struct Handshaking {
    /// Client: the ClientHello has been produced (the first call takes no input).
    pub(super) hello_sent: bool,
    /// Where `SEC_I_INCOMPLETE_CREDENTIALS` stands.
    pub(super) prompt: Prompt,
    /// Our close_notify, when the shutdown procedure ran before the handshake completed.
    pub(super) close_notify: Option<Vec<u8>>,
}

/// `SEC_I_INCOMPLETE_CREDENTIALS`, returned at most once per client context.
#[derive(Debug, Default)]
pub(super) enum Prompt {
    /// Not returned (yet).
    #[default]
    NotReturned,
    /// Returned: the outcome of the same input, held back for the retry.
    Held(Held),
    /// Returned and retried.
    Retried,
}

/// A handshake outcome held back behind `SEC_I_INCOMPLETE_CREDENTIALS`.
#[derive(Debug)]
pub(super) struct Held {
    /// The status the retry returns (`Ok` when the handshake completed in the held step).
    pub(super) status: HandshakeStatus,
    /// Input bytes the held step consumed.
    pub(super) consumed: usize,
    /// The token the held step produced.
    pub(super) token: Vec<u8>,
}

/// The established connection.
#[derive(Debug, Default)]
pub(super) struct Open {
    /// What waits for `handshake` before the next `encrypt` or `decrypt`.
    pub(super) service: Service,
    /// The peer's close_notify has been received (`SEC_I_CONTEXT_EXPIRED`).
    pub(super) peer_closed: bool,
    /// Our close_notify, once produced; re-emitted on a repeated shutdown.
    pub(super) close_notify: Option<Vec<u8>>,
}

/// Whether a post-handshake record awaits servicing by `handshake`.
#[derive(Debug, Default)]
pub(super) enum Service {
    /// Nothing is pending.
    #[default]
    Idle,
    /// `SEC_I_RENEGOTIATE` was returned: the next `handshake` call returns `SEC_E_OK` with
    /// these records (a KeyUpdate reply, a `no_renegotiation` warning; possibly none) as its
    /// token, and until then `encrypt` and `decrypt` refuse (a record of ours must follow them).
    Renegotiate(Vec<u8>),
}

/// A context ended by a fatal error.
#[derive(Debug)]
pub(super) struct Failed {
    /// The latched error, returned by every later call.
    pub(super) error: Error,
    /// The records the context still owes the peer (the alert a `decrypt` failure calls for),
    /// handed out by every later `handshake` call.
    pub(super) owed: Vec<u8>,
    /// The handshake had completed (sizes and connection information stay queryable).
    pub(super) established: bool,
    /// The peer's close_notify had been received.
    pub(super) peer_closed: bool,
    /// Our close_notify or a fatal alert of ours had been produced.
    pub(super) write_closed: bool,
}

impl Phase {
    /// A one-line summary for `Debug` (no record bytes).
    pub(super) fn summary(&self) -> &'static str {
        match self {
            Self::Handshaking(h) if matches!(h.prompt, Prompt::Held(_)) => {
                "handshaking, outcome held behind SEC_I_INCOMPLETE_CREDENTIALS"
            }
            Self::Handshaking(_) => "handshaking",
            Self::Open(o) => match (&o.service, o.peer_closed, o.close_notify.is_some()) {
                (Service::Renegotiate(_), _, _) => "open, SEC_I_RENEGOTIATE pending",
                (Service::Idle, false, false) => "open",
                (Service::Idle, true, false) => "open, peer closed",
                (Service::Idle, false, true) => "open, write-closed",
                (Service::Idle, true, true) => "closed both ways",
            },
            Self::Failed(_) => "failed",
        }
    }

    /// Our close_notify, if this side has produced one.
    pub(super) fn close_notify(&self) -> Option<&[u8]> {
        match self {
            Self::Handshaking(h) => h.close_notify.as_deref(),
            Self::Open(o) => o.close_notify.as_deref(),
            Self::Failed(_) => None,
        }
    }

    /// Records where our close_notify goes (the failed phase has none: its alert ends it).
    pub(super) fn close_notify_slot(&mut self) -> Option<&mut Option<Vec<u8>>> {
        match self {
            Self::Handshaking(h) => Some(&mut h.close_notify),
            Self::Open(o) => Some(&mut o.close_notify),
            Self::Failed(_) => None,
        }
    }

    /// The state a failure leaves behind: `error`, with what the context had reached.
    pub(super) fn failed(&self, error: Error, write_closed: bool) -> Failed {
        let (established, peer_closed) = match self {
            Self::Handshaking(_) => (false, false),
            Self::Open(o) => (true, o.peer_closed),
            Self::Failed(f) => (f.established, f.peer_closed),
        };
        Failed {
            error,
            owed: Vec::new(),
            established,
            peer_closed,
            write_closed: write_closed || self.close_notify().is_some(),
        }
    }
}
