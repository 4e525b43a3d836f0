//! The engine seam: the only module that names rustls types.
//!
//! Everything above this module speaks openschannel's own vocabulary (records, statuses,
//! protocols); everything rustls-specific — building configs, driving the 0.23 *unbuffered*
//! state machine, mapping rustls errors to Schannel statuses — lives here, so that a move to
//! rustls 0.24's new core API stays local to this directory.
//!
//! # The driving contract
//! [`Engine::process`] runs rustls' `process_tls_records` once over a caller-provided window and
//! performs at most one [`Op`] when rustls offers the `WriteTraffic` state. Its return is the
//! number of bytes at the front of the window rustls is finished with (`discard`) and a
//! [`Step`]. Bytes of the window after `discard` are *retained* by rustls (a handshake message
//! that spans records, coalesced in place): the very same bytes must start the next window, or
//! rustls 0.23 panics. The context layer upholds this (`context::Feeder`).

mod config;
mod errors;
mod verify;

use rustls::client::UnbufferedClientConnection;
use rustls::server::UnbufferedServerConnection;
use rustls::unbuffered::{ConnectionState, EncodeError, EncryptError, UnbufferedStatus};

use crate::error::Error;
use crate::params::{CipherSuite, KeyExchangeGroup, Protocol};
use crate::status::Status;

pub(crate) use config::{
    der_private_key, pem_certificates, pem_private_key, ClientCertPolicy, ClientEngineConfig,
    ClientSettings, KeyDer, ServerEngineConfig, ServerSettings, Verification,
};

/// What to do if rustls offers the `WriteTraffic` state during this call.
pub(crate) enum Op<'a> {
    /// Nothing: just drive the state machine.
    Drive,
    /// Encrypt `data` as exactly one record into `out`.
    Encrypt {
        /// Plaintext (at most one record's worth).
        data: &'a [u8],
        /// Destination; must be large enough for the whole record.
        out: &'a mut [u8],
    },
    /// Queue and write our close_notify (appended to the output vector).
    CloseNotify,
    /// Move a queued TLS 1.3 KeyUpdate reply (rustls holds it back until the next encrypt) into
    /// the output queue, so that the next `process` call yields it as handshake output.
    FlushKeyUpdate,
}

/// The outcome of one `process` call.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Step {
    /// Handshake or alert bytes were appended to the output vector, or transmission was
    /// acknowledged; call again.
    Progress,
    /// The handshake needs more input.
    Blocked,
    /// Application data may be written; the requested [`Op`] (if any) was performed and wrote
    /// `written` bytes.
    Writable {
        /// Bytes written by an `Encrypt` or `CloseNotify` op.
        written: usize,
    },
    /// One or more application-data payloads were appended to the plaintext vector.
    Plaintext,
    /// The peer's close_notify was received (reported once).
    PeerClosed,
    /// close_notify has been both sent and received.
    Closed,
}

enum Conn {
    Client(UnbufferedClientConnection),
    Server(UnbufferedServerConnection),
}

/// One TLS connection in rustls.
pub(crate) struct Engine {
    conn: Conn,
}

macro_rules! with_conn {
    ($self:expr, $c:ident => $body:expr) => {
        match $self {
            Conn::Client($c) => $body,
            Conn::Server($c) => $body,
        }
    };
}

impl Engine {
    /// Runs rustls once over `window` (see the module docs for the retained-prefix rule).
    ///
    /// Handshake/alert output is appended to `out`; decrypted application data to `plain`.
    /// `op` is performed at most once and then replaced by [`Op::Drive`].
    pub(crate) fn process(
        &mut self,
        window: &mut [u8],
        out: &mut Vec<u8>,
        plain: &mut Vec<u8>,
        op: &mut Op<'_>,
    ) -> (usize, Result<Step, Error>) {
        with_conn!(&mut self.conn, c => {
            let UnbufferedStatus { discard, state } = c.process_tls_records(window);
            (discard, handle_state(state, out, plain, op))
        })
    }

    /// True until the handshake has completed.
    pub(crate) fn is_handshaking(&self) -> bool {
        with_conn!(&self.conn, c => c.is_handshaking())
    }

    /// The negotiated protocol version, once known.
    pub(crate) fn protocol(&self) -> Option<Protocol> {
        match with_conn!(&self.conn, c => c.protocol_version()) {
            Some(rustls::ProtocolVersion::TLSv1_2) => Some(Protocol::Tls12),
            Some(rustls::ProtocolVersion::TLSv1_3) => Some(Protocol::Tls13),
            _ => None,
        }
    }

    /// The negotiated cipher suite, once known.
    pub(crate) fn cipher_suite(&self) -> Option<CipherSuite> {
        with_conn!(&self.conn, c => c.negotiated_cipher_suite())
            .map(|s| CipherSuite(u16::from(s.suite())))
    }

    /// The negotiated key-exchange group, once known (absent for resumed TLS 1.2 sessions).
    pub(crate) fn key_exchange_group(&self) -> Option<KeyExchangeGroup> {
        with_conn!(&self.conn, c => c.negotiated_key_exchange_group())
            .map(|g| KeyExchangeGroup(u16::from(g.name())))
    }

    /// The negotiated ALPN protocol.
    pub(crate) fn alpn_protocol(&self) -> Option<&[u8]> {
        with_conn!(&self.conn, c => c.alpn_protocol())
    }

    /// The peer's certificate chain (DER, leaf first), if it presented one.
    pub(crate) fn peer_certificates(&self) -> Option<Vec<&[u8]>> {
        with_conn!(&self.conn, c => c.peer_certificates())
            .map(|chain| chain.iter().map(|c| c.as_ref()).collect())
    }

    /// Whether the handshake resumed an earlier session.
    pub(crate) fn is_resumed(&self) -> bool {
        matches!(
            with_conn!(&self.conn, c => c.handshake_kind()),
            Some(rustls::HandshakeKind::Resumed)
        )
    }
}

fn handle_state<Data>(
    state: Result<ConnectionState<'_, '_, Data>, rustls::Error>,
    out: &mut Vec<u8>,
    plain: &mut Vec<u8>,
    op: &mut Op<'_>,
) -> Result<Step, Error> {
    match state.map_err(errors::map)? {
        ConnectionState::EncodeTlsData(mut enc) => {
            let need = match enc.encode(&mut []) {
                Ok(n) => n,
                Err(EncodeError::InsufficientSize(e)) => e.required_size,
                Err(e) => return Err(internal(format!("encoding handshake output: {e}"))),
            };
            let start = out.len();
            out.resize(start + need, 0);
            match enc.encode(&mut out[start..]) {
                Ok(n) if n == need => Ok(Step::Progress),
                Ok(n) => Err(internal(format!("encoded {n} bytes, expected {need}"))),
                Err(e) => Err(internal(format!("encoding handshake output: {e}"))),
            }
        }
        ConnectionState::TransmitTlsData(t) => {
            // The bytes are already in `out`; the SSPI caller transmits the output token.
            t.done();
            Ok(Step::Progress)
        }
        ConnectionState::BlockedHandshake => Ok(Step::Blocked),
        ConnectionState::WriteTraffic(mut w) => match std::mem::replace(op, Op::Drive) {
            Op::Drive => Ok(Step::Writable { written: 0 }),
            Op::Encrypt { data, out: dst } => match w.encrypt(data, dst) {
                Ok(written) => Ok(Step::Writable { written }),
                Err(EncryptError::InsufficientSize(e)) => Err(Error::new(
                    Status::SEC_E_BUFFER_TOO_SMALL,
                    format!("record needs {} bytes", e.required_size),
                )),
                Err(e) => Err(Error::new(Status::SEC_E_ENCRYPT_FAILURE, e.to_string())),
            },
            Op::CloseNotify => {
                let need = match w.queue_close_notify(&mut []) {
                    Ok(n) => n,
                    Err(EncryptError::InsufficientSize(e)) => e.required_size,
                    Err(e) => return Err(Error::new(Status::SEC_E_ENCRYPT_FAILURE, e.to_string())),
                };
                let start = out.len();
                out.resize(start + need, 0);
                match w.queue_close_notify(&mut out[start..]) {
                    Ok(written) => {
                        out.truncate(start + written);
                        Ok(Step::Writable { written })
                    }
                    Err(e) => Err(Error::new(Status::SEC_E_ENCRYPT_FAILURE, e.to_string())),
                }
            }
            Op::FlushKeyUpdate => {
                // rustls 0.23 moves a queued KeyUpdate reply into its output queue before it
                // checks the destination size, so a one-byte encrypt into an empty buffer
                // flushes the reply without encrypting anything (no sequence number is used).
                // The next `process` call then yields it as `EncodeTlsData`.
                match w.encrypt(&[0], &mut []) {
                    Err(EncryptError::InsufficientSize(_)) => Ok(Step::Writable { written: 0 }),
                    Ok(_) => Err(internal("key-update flush encrypted data")),
                    Err(e) => Err(Error::new(Status::SEC_E_ENCRYPT_FAILURE, e.to_string())),
                }
            }
        },
        ConnectionState::ReadTraffic(mut r) => {
            while let Some(record) = r.next_record() {
                let record = record.map_err(errors::map)?;
                plain.extend_from_slice(record.payload);
            }
            Ok(Step::Plaintext)
        }
        ConnectionState::PeerClosed => Ok(Step::PeerClosed),
        ConnectionState::Closed => Ok(Step::Closed),
        ConnectionState::ReadEarlyData(_) => Err(internal("early data is disabled but arrived")),
        other => Err(internal(format!("unexpected engine state {other:?}"))),
    }
}

fn internal(detail: impl Into<String>) -> Error {
    Error::new(Status::SEC_E_INTERNAL_ERROR, detail.into())
}
