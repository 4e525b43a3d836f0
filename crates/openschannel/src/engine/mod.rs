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

mod bindings;
mod config;
mod errors;
mod record;
mod secrets;
mod sessions;
mod verify;

use std::sync::Arc;

use rustls::client::UnbufferedClientConnection;
use rustls::server::UnbufferedServerConnection;
use rustls::unbuffered::{ConnectionState, EncodeError, EncryptError, UnbufferedStatus};
use rustls::{ServerConfig, SupportedCipherSuite};

use crate::error::Error;
use crate::params::{CipherSuite, KeyExchangeGroup, Protocol, RecordLimits};
use crate::status::Status;

pub(crate) use bindings::server_end_point;
pub(crate) use config::{
    der_private_key, pem_certificates, pem_private_key, CertRequest, ClientCertPolicy,
    ClientEngineConfig, ClientSettings, KeyDer, ServerEngineConfig, ServerSettings, Verification,
    DEFAULT_SESSION_LIFETIME,
};
pub(crate) use record::Opened;
use record::{Kernel, RecordLayer};
use secrets::ConnKeyLog;
pub(crate) use secrets::MAX_EXPORT;

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
    // Boxed, so that a context on the record layer does not keep a connection's worth of
    // inline space.
    Client(Box<UnbufferedClientConnection>),
    Server(Box<UnbufferedServerConnection>),
    /// A server whose ClientHello is not complete yet: the connection is created only then, so
    /// that its ALPN list can be chosen for this client ([`Engine::start_server`]).
    PendingServer(Box<PendingServer>),
    /// Established, with the records sealed and opened by openschannel's own record layer
    /// (rustls keeps key updates and session tickets, see `record.rs`).
    Records(Box<(RecordLayer, Snapshot)>),
    /// The connection handed its keys over to seal a final alert; what it negotiated remains.
    Ended(Box<Snapshot>),
}

/// A server connection waiting for its ClientHello.
pub(crate) struct PendingServer {
    config: ServerConfig,
    alpn_required: bool,
}

/// What an ended connection negotiated, for queries.
#[derive(Default)]
struct Snapshot {
    protocol: Option<Protocol>,
    suite: Option<SupportedCipherSuite>,
    group: Option<KeyExchangeGroup>,
    alpn: Option<Vec<u8>>,
    peer: Option<Vec<Vec<u8>>>,
    resumed: bool,
}

/// One TLS connection in rustls.
pub(crate) struct Engine {
    conn: Conn,
    /// This connection's key log (what keying-material export needs).
    key_log: Arc<ConnKeyLog>,
    /// Client: the server's certificate request, once it arrived.
    cert_request: Option<CertRequest>,
    /// The ServerHello random (TLS 1.2 keying-material export), read off the wire.
    server_random: Option<[u8; 32]>,
    /// The last error came from the handshake state machine (not from reading a record), so
    /// more queued records than the alert may wait, and driving the engine again cannot
    /// re-process the failed record.
    drainable_error: bool,
}

macro_rules! with_conn {
    ($self:expr, $c:ident => $body:expr, $otherwise:expr) => {
        match $self {
            Conn::Client($c) => $body,
            Conn::Server($c) => $body,
            _ => $otherwise,
        }
    };
}

fn protocol_of(v: Option<rustls::ProtocolVersion>) -> Option<Protocol> {
    match v {
        Some(rustls::ProtocolVersion::TLSv1_2) => Some(Protocol::Tls12),
        Some(rustls::ProtocolVersion::TLSv1_3) => Some(Protocol::Tls13),
        _ => None,
    }
}

impl Engine {
    fn new(conn: Conn, key_log: Arc<ConnKeyLog>) -> Self {
        Self {
            conn,
            key_log,
            cert_request: None,
            server_random: None,
            drainable_error: false,
        }
    }

    /// Runs rustls once over `window` (see the module docs for the retained-prefix rule).
    ///
    /// Handshake/alert output is appended to `out`; decrypted application data to `plain`.
    /// `op` is performed at most once and then replaced by [`Op::Drive`]. A server whose
    /// ClientHello is incomplete retains the whole window (`Blocked`).
    pub(crate) fn process(
        &mut self,
        window: &mut [u8],
        out: &mut Vec<u8>,
        plain: &mut Vec<u8>,
        op: &mut Op<'_>,
    ) -> (usize, Result<Step, Error>) {
        if let Conn::Records(r) = &mut self.conn {
            let opening = !window.is_empty();
            let (discard, result) = records_process(&mut r.0, window, out, plain, op);
            if opening && result.is_err() {
                self.end_records();
            }
            return (discard, result);
        }
        verify::clear_detail();
        config::clear_certificate_request();
        let mut drainable = false;
        let result = with_conn!(&mut self.conn, c => {
            let UnbufferedStatus { discard, state } = c.process_tls_records(window);
            drainable = matches!(
                &state,
                Err(rustls::Error::NoApplicationProtocol
                    | rustls::Error::InvalidCertificate(_)
                    | rustls::Error::NoCertificatesPresented
                    | rustls::Error::PeerIncompatible(_))
            );
            (discard, handle_state(state, out, plain, op))
        }, match self.conn {
            Conn::PendingServer(_) => (0, Ok(Step::Blocked)),
            _ => (0, Err(internal("the connection has ended"))),
        });
        if let Some(request) = config::take_certificate_request() {
            self.cert_request = Some(request);
        }
        if result.1.is_err() {
            self.drainable_error = drainable;
        }
        result
    }

    /// Whether records beyond the first may be queued after the last error, and the engine
    /// can be driven again without re-processing the record that failed.
    pub(crate) fn error_is_drainable(&self) -> bool {
        self.drainable_error
    }

    /// True while this is a server waiting for a complete ClientHello.
    pub(crate) fn is_pending_server(&self) -> bool {
        matches!(self.conn, Conn::PendingServer(_))
    }

    /// Starts a pending server connection once the ClientHello is known: `offered` is the
    /// client's ALPN list (`Ok(None)`: no ALPN extension; `Err`: the ClientHello could not be
    /// read, rustls will judge it).
    ///
    /// Schannel semantics: when the lists do not overlap the handshake proceeds without a
    /// protocol — unless the server requires one, when it fails with
    /// `SEC_E_APPLICATION_PROTOCOL_MISMATCH` (rustls sends `no_application_protocol`; for a
    /// client that offered nothing the caller sends that alert itself).
    pub(crate) fn start_server(
        &mut self,
        offered: Result<Option<Vec<Vec<u8>>>, ()>,
    ) -> Result<(), Error> {
        let conn = std::mem::replace(&mut self.conn, Conn::Ended(Box::default()));
        let Conn::PendingServer(pending) = conn else {
            self.conn = conn;
            return Ok(());
        };
        let PendingServer {
            mut config,
            alpn_required,
        } = *pending;
        if !config.alpn_protocols.is_empty() {
            match &offered {
                Ok(Some(theirs)) => {
                    let overlap = config
                        .alpn_protocols
                        .iter()
                        .any(|ours| theirs.contains(ours));
                    if !overlap && !alpn_required {
                        config.alpn_protocols.clear();
                    }
                }
                Ok(None) if alpn_required => {
                    return Err(Error::new(
                        Status::SEC_E_APPLICATION_PROTOCOL_MISMATCH,
                        "the client offered no application protocol and this server requires one",
                    ));
                }
                _ => {}
            }
        }
        let conn = UnbufferedServerConnection::new(Arc::new(config)).map_err(errors::map)?;
        self.conn = Conn::Server(Box::new(conn));
        Ok(())
    }

    /// Records the ServerHello random read off the wire.
    pub(crate) fn set_server_random(&mut self, random: [u8; 32]) {
        self.server_random = Some(random);
    }

    /// True until the handshake has completed.
    pub(crate) fn is_handshaking(&self) -> bool {
        with_conn!(&self.conn, c => c.is_handshaking(), matches!(self.conn, Conn::PendingServer(_)))
    }

    fn suite(&self) -> Option<SupportedCipherSuite> {
        with_conn!(&self.conn, c => c.negotiated_cipher_suite(), match &self.conn {
            Conn::Ended(s) => s.suite,
            Conn::Records(r) => r.1.suite,
            _ => None,
        })
    }

    /// The negotiated protocol version, once known.
    pub(crate) fn protocol(&self) -> Option<Protocol> {
        with_conn!(&self.conn, c => protocol_of(c.protocol_version()), match &self.conn {
            Conn::Ended(s) => s.protocol,
            Conn::Records(r) => r.1.protocol,
            _ => None,
        })
    }

    /// The negotiated cipher suite, once known.
    pub(crate) fn cipher_suite(&self) -> Option<CipherSuite> {
        self.suite().map(|s| CipherSuite(u16::from(s.suite())))
    }

    /// The negotiated key-exchange group, once known (absent for resumed TLS 1.2 sessions).
    pub(crate) fn key_exchange_group(&self) -> Option<KeyExchangeGroup> {
        with_conn!(&self.conn,
        c => c.negotiated_key_exchange_group().map(|g| KeyExchangeGroup(u16::from(g.name()))),
        match &self.conn {
            Conn::Ended(s) => s.group,
            Conn::Records(r) => r.1.group,
            _ => None,
        })
    }

    /// The negotiated ALPN protocol.
    pub(crate) fn alpn_protocol(&self) -> Option<&[u8]> {
        with_conn!(&self.conn, c => c.alpn_protocol(), match &self.conn {
            Conn::Ended(s) => s.alpn.as_deref(),
            Conn::Records(r) => r.1.alpn.as_deref(),
            _ => None,
        })
    }

    /// The peer's certificate chain (DER, leaf first), if it presented one.
    pub(crate) fn peer_certificates(&self) -> Option<Vec<&[u8]>> {
        with_conn!(&self.conn,
        c => c.peer_certificates().map(|chain| chain.iter().map(|c| c.as_ref()).collect()),
        match &self.conn {
            Conn::Ended(s) => s.peer.as_ref().map(|p| p.iter().map(Vec::as_slice).collect()),
            Conn::Records(r) => r.1.peer.as_ref().map(|p| p.iter().map(Vec::as_slice).collect()),
            _ => None,
        })
    }

    /// Whether the handshake resumed an earlier session.
    pub(crate) fn is_resumed(&self) -> bool {
        with_conn!(&self.conn,
        c => matches!(c.handshake_kind(), Some(rustls::HandshakeKind::Resumed)),
        match &self.conn {
            Conn::Ended(s) => s.resumed,
            Conn::Records(r) => r.1.resumed,
            _ => false,
        })
    }

    /// Client: the server's certificate request, once it arrived.
    pub(crate) fn certificate_request(&self) -> Option<CertRequest> {
        self.cert_request.clone()
    }

    /// Keying material (RFC 5705 / RFC 8446 §7.5) into `out`, once the handshake completed.
    pub(crate) fn export_keying_material(
        &self,
        label: &[u8],
        context: Option<&[u8]>,
        out: &mut [u8],
    ) -> Result<(), Error> {
        if self.is_handshaking() {
            return Err(Error::new(
                Status::SEC_E_INVALID_HANDLE,
                "keying material exists only once the handshake has completed",
            ));
        }
        let suite = self
            .suite()
            .ok_or_else(|| internal("negotiated suite unknown"))?;
        let captured = self.key_log.captured();
        secrets::export(suite, &captured, self.server_random, label, context, out)
    }

    /// Seals one alert record under the current transmit keys. The connection ends: rustls
    /// hands its keys over, so nothing can be sent or received afterwards.
    pub(crate) fn seal_alert(&mut self, level: u8, description: u8) -> Result<Vec<u8>, Error> {
        if let Conn::Records(r) = &mut self.conn {
            let mut record = Vec::new();
            r.0.seal_alert(level, description, &mut record)?;
            let snapshot = std::mem::take(&mut r.1);
            self.conn = Conn::Ended(Box::new(snapshot));
            return Ok(record);
        }
        let snapshot = self.snapshot();
        let suite = snapshot
            .suite
            .ok_or_else(|| internal("negotiated suite unknown"))?;
        let conn = std::mem::replace(&mut self.conn, Conn::Ended(Box::new(snapshot)));
        let secrets = match conn {
            Conn::Client(c) => c.dangerous_into_kernel_connection().map(|(s, _)| s),
            Conn::Server(c) => c.dangerous_into_kernel_connection().map(|(s, _)| s),
            _ => return Err(internal("no traffic keys to seal an alert with")),
        }
        .map_err(|e| internal(format!("traffic keys unavailable: {e}")))?;
        let (seq, keys) = secrets.tx;
        secrets::seal_alert(suite, seq, keys, level, description)
    }

    /// Hands the established connection over to openschannel's own record layer (see
    /// `record.rs`), which holds the peer to `limits`. The caller guarantees rustls has nothing
    /// queued (it just offered `WriteTraffic` with no output) and retains no bytes. Returns
    /// false when the connection is not an established rustls connection (already converted,
    /// ended, handshaking).
    pub(crate) fn enter_record_layer(&mut self, limits: RecordLimits) -> Result<bool, Error> {
        if self.is_handshaking() || !matches!(self.conn, Conn::Client(_) | Conn::Server(_)) {
            return Ok(false);
        }
        let snapshot = self.snapshot();
        let suite = snapshot
            .suite
            .ok_or_else(|| internal("negotiated suite unknown"))?;
        let conn = std::mem::replace(&mut self.conn, Conn::Ended(Box::default()));
        let (secrets, kernel) = match conn {
            Conn::Client(c) => c
                .dangerous_into_kernel_connection()
                .map(|(s, k)| (s, Kernel::Client(k))),
            Conn::Server(c) => c
                .dangerous_into_kernel_connection()
                .map(|(s, k)| (s, Kernel::Server(k))),
            _ => unreachable!("checked above"),
        }
        .map_err(|e| internal(format!("traffic keys unavailable: {e}")))?;
        let layer = RecordLayer::new(suite, secrets.tx, secrets.rx, kernel, limits)?;
        self.conn = Conn::Records(Box::new((layer, snapshot)));
        Ok(true)
    }

    /// Whether records go through openschannel's own record layer.
    pub(crate) fn has_record_layer(&self) -> bool {
        matches!(self.conn, Conn::Records(_))
    }

    /// Record layer: seals the `n` plaintext bytes at `buf[cbHeader..]` in place as one
    /// application-data record; returns its length.
    pub(crate) fn seal_in_place(&mut self, buf: &mut [u8], n: usize) -> Result<usize, Error> {
        match &mut self.conn {
            Conn::Records(r) => r.0.seal_in_place(APPLICATION_DATA, buf, n),
            _ => Err(internal("no record layer")),
        }
    }

    /// Record layer: opens one record in place. Answers (KeyUpdate, `no_renegotiation`) are
    /// appended to `out` when `may_reply`. On failure the alert this side sends is appended to
    /// `out` and the connection ends.
    pub(crate) fn open_in_place(
        &mut self,
        record: &mut [u8],
        out: &mut Vec<u8>,
        may_reply: bool,
    ) -> Result<Opened, Error> {
        let Conn::Records(r) = &mut self.conn else {
            return Err(internal("no record layer"));
        };
        let result = r.0.open(record, out, may_reply);
        if result.is_err() {
            self.end_records();
        }
        result
    }

    /// An established connection received bytes that cannot be framed as a record: the fatal
    /// alert for it (`record_overflow` for an oversized length, else `decode_error`) is sealed
    /// under the current keys and appended to `out`; the connection ends.
    pub(crate) fn framing_failed(&mut self, oversized: bool, out: &mut Vec<u8>) {
        if let Conn::Records(r) = &mut self.conn {
            r.0.seal_framing_alert(oversized, out);
            self.end_records();
            return;
        }
        // Still on rustls' record layer (a handshake message spans records): rustls hands
        // its keys over for the one alert.
        let description = if oversized { 22 } else { 50 };
        if let Ok(record) = self.seal_alert(2, description) {
            out.extend_from_slice(&record);
        }
    }

    /// A record failed to open: the connection ends (its keys are dropped), what it
    /// negotiated stays for queries.
    fn end_records(&mut self) {
        if let Conn::Records(r) = &mut self.conn {
            let snapshot = std::mem::take(&mut r.1);
            self.conn = Conn::Ended(Box::new(snapshot));
        }
    }

    /// What the connection negotiated, for queries once rustls' connection is gone.
    fn snapshot(&self) -> Snapshot {
        Snapshot {
            protocol: self.protocol(),
            suite: self.suite(),
            group: self.key_exchange_group(),
            alpn: self.alpn_protocol().map(<[u8]>::to_vec),
            peer: self
                .peer_certificates()
                .map(|p| p.into_iter().map(<[u8]>::to_vec).collect()),
            resumed: self.is_resumed(),
        }
    }
}

/// The application_data content type.
const APPLICATION_DATA: u8 = 23;

/// [`Engine::process`] for a connection on openschannel's record layer, with the same
/// contract: a non-empty window is exactly one record (the record layer never retains bytes);
/// an empty one performs `op`.
fn records_process(
    layer: &mut RecordLayer,
    window: &mut [u8],
    out: &mut Vec<u8>,
    plain: &mut Vec<u8>,
    op: &mut Op<'_>,
) -> (usize, Result<Step, Error>) {
    if !window.is_empty() {
        let len = window.len();
        let result = layer.open(window, out, true).map(|opened| match opened {
            Opened::Data(range) => {
                plain.extend_from_slice(&window[range]);
                Step::Plaintext
            }
            Opened::CloseNotify => Step::PeerClosed,
            Opened::Control => Step::Writable { written: 0 },
        });
        return (len, result);
    }
    let result = match std::mem::replace(op, Op::Drive) {
        Op::Drive | Op::FlushKeyUpdate => Ok(Step::Writable { written: 0 }),
        Op::Encrypt { data, out: dst } => {
            let h = layer.header_len();
            let total = h + data.len() + layer.trailer_len();
            if dst.len() < total {
                Err(Error::new(
                    Status::SEC_E_BUFFER_TOO_SMALL,
                    format!("record needs {total} bytes"),
                ))
            } else {
                dst[h..h + data.len()].copy_from_slice(data);
                layer
                    .seal_in_place(APPLICATION_DATA, dst, data.len())
                    .map(|written| Step::Writable { written })
            }
        }
        Op::CloseNotify => {
            let start = out.len();
            layer.seal_alert(1, 0, out).map(|()| Step::Writable {
                written: out.len() - start,
            })
        }
    };
    (0, result)
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
