//! The engine seam: the only module that names rustls types.
//!
//! Everything above this module speaks openschannel's own vocabulary (records, statuses,
//! protocols); everything rustls-specific — building configs, driving the 0.23 *unbuffered*
//! state machine, mapping rustls errors to Schannel statuses — lives here, so that a move to
//! rustls 0.24's new core API stays local to this directory.
//!
//! # The driving contract
//! The interface is record-at-a-time. During the handshake the context hands over one whole
//! record per call ([`Engine::handshake_record`] → [`Progress`]; a client's first flight comes
//! from [`Engine::start_client`]); the engine runs rustls' `process_tls_records` over its own
//! buffer of the bytes rustls has not released — the *retained prefix*: a handshake message
//! that spans records, coalesced in place, whose very same bytes must start the next window, or
//! rustls 0.23 panics. Keeping those bytes here, rather than in the caller's buffer, is what
//! makes `SEC_E_INCOMPLETE_MESSAGE` consume nothing. The engine also reads the two hellos off
//! the wire (`hello.rs`: the ClientHello's ALPN offer before a server connection exists, the
//! ServerHello random for TLS 1.2 keying-material export), which rustls 0.23 does not expose.
//! Bytes the context cannot frame are judged by rustls where it can
//! ([`Engine::reject_unframeable`]). After a failure, [`Engine::drain_after_failure`] collects
//! what rustls queued (the alert, and for handshake-logic failures every record before it) by
//! rustls' rules.
//!
//! The moment the handshake completes, [`Engine::finish_handshake`] hands the connection to
//! openschannel's own record layer (`record.rs`); from then on every record — application data,
//! post-handshake messages, alerts, close_notify — goes through it, and rustls keeps only key
//! updates and session tickets. There is one post-handshake record path.

mod bindings;
mod config;
mod errors;
mod hello;
mod record;
mod secrets;
mod sessions;
mod signatures;
mod verify;

use std::sync::Arc;

use rustls::client::UnbufferedClientConnection;
use rustls::server::UnbufferedServerConnection;
use rustls::unbuffered::{ConnectionState, EncodeError, UnbufferedStatus};
use rustls::{ServerConfig, SupportedCipherSuite};

use crate::error::Error;
use crate::params::{CipherSuite, KeyExchangeGroup, Protocol, RecordLimits};
use crate::records::{self, Frame};
use crate::status::Status;
use hello::{HelloSniffer, Sniffed};

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
pub(crate) use signatures::{sha256, verify_signature};

/// What one handshake record did ([`Engine::handshake_record`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Progress {
    /// The handshake goes on; whatever must be sent was appended to the output.
    NeedMore,
    /// The handshake has completed: the connection is on the in-place record layer, and the
    /// output holds the last records rustls had queued.
    Complete,
}

/// The outcome of one `process` call.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Step {
    /// Handshake or alert bytes were appended to the output vector, or transmission was
    /// acknowledged; call again.
    Progress,
    /// The handshake needs more input.
    Blocked,
    /// The handshake has completed (rustls offers to write application data).
    Writable,
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
    /// The record layer's `cbHeader`/`cbTrailer`/`cbBlockSize`, kept once it has ended.
    overhead: Option<(usize, usize, u32)>,
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
    /// The retained prefix (see the module docs); empty once the handshake has completed.
    retained: Vec<u8>,
    /// The peer's first handshake message (ClientHello on a server, ServerHello on a client).
    peer_hello: HelloSniffer,
    /// Server only: our ServerHello, read off our own output (its random feeds TLS 1.2
    /// keying-material export).
    own_hello: Option<HelloSniffer>,
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
        let server = matches!(conn, Conn::PendingServer(_));
        Self {
            conn,
            key_log,
            cert_request: None,
            server_random: None,
            drainable_error: false,
            retained: Vec::new(),
            peer_hello: HelloSniffer::default(),
            own_hello: server.then(HelloSniffer::default),
        }
    }

    /// Client: the first flight (the ClientHello), appended to `out`.
    pub(crate) fn start_client(
        &mut self,
        out: &mut Vec<u8>,
        limits: RecordLimits,
    ) -> Result<(), Error> {
        self.drive_handshake(out, limits).map(drop)
    }

    /// Hands one whole handshake-phase record (header included, as framed off the wire) to
    /// rustls and runs it until it needs more. Whatever must be sent — the next flight, an
    /// alert preceded by the records queued before it — is appended to `out`.
    ///
    /// A server connection starts once its ClientHello is complete ([`Engine::start_server`]);
    /// a server that requires ALPN and meets a client offering none fails with
    /// `SEC_E_APPLICATION_PROTOCOL_MISMATCH` and a plaintext `no_application_protocol` in
    /// `out`. On completion the connection is on the in-place record layer, held to `limits`.
    pub(crate) fn handshake_record(
        &mut self,
        record: &[u8],
        out: &mut Vec<u8>,
        limits: RecordLimits,
    ) -> Result<Progress, Error> {
        if !self.peer_hello.is_done() {
            self.peer_hello.push(record);
        }
        self.retained.extend_from_slice(record);
        if self.is_pending_server() {
            let offered = match self.peer_hello.state() {
                Sniffed::NeedMore => return Ok(Progress::NeedMore),
                Sniffed::Message(m) => hello::client_hello_alpn(m),
                Sniffed::NotHandshake => Err(()),
            };
            if let Err(e) = self.start_server(offered) {
                if e.status() == Status::SEC_E_APPLICATION_PROTOCOL_MISMATCH {
                    out.extend_from_slice(&records::plaintext_alert(2, 120));
                }
                return Err(e);
            }
        }
        let start = out.len();
        let complete = self.drive_handshake(out, limits)?;
        self.note_server_hello(&out[start..]);
        Ok(match complete {
            true => Progress::Complete,
            false => Progress::NeedMore,
        })
    }

    /// Bytes the context could not frame as a record (`rest`, at least a header's worth)
    /// arrived during the handshake: rustls judges the header as it judges any (its alert is
    /// encrypted once handshake keys exist) and true is returned when it failed it — its alert
    /// is then drained like any failure's. False where rustls cannot judge: a server still
    /// waiting for its ClientHello (an SSLv2-format hello), or fewer than five bytes; the
    /// caller sends a plaintext alert.
    pub(crate) fn reject_unframeable(
        &mut self,
        rest: &[u8],
        out: &mut Vec<u8>,
        limits: RecordLimits,
    ) -> bool {
        if self.is_pending_server() || rest.len() < records::HEADER_LEN {
            return false;
        }
        self.retained
            .extend_from_slice(&rest[..records::HEADER_LEN]);
        self.drive_handshake(out, limits).is_err()
    }

    /// Reads the ServerHello random once: the peer's on a client, ours (off `produced`, our
    /// output of this step) on a server.
    fn note_server_hello(&mut self, produced: &[u8]) {
        let sniffer = match &mut self.own_hello {
            None => &self.peer_hello,
            Some(own) => {
                let mut rest = produced;
                while !own.is_done() {
                    match records::frame(rest, records::MAX_TLS12_PAYLOAD) {
                        Frame::Complete(len) => {
                            own.push(&rest[..len]);
                            rest = &rest[len..];
                        }
                        _ => break,
                    }
                }
                &*own
            }
        };
        if self.server_random.is_none() {
            if let Sniffed::Message(m) = sniffer.state() {
                self.server_random = hello::hello_random(m);
            }
        }
    }

    /// Runs rustls over the records pushed so far until it needs more; its output is appended
    /// to `out`. Returns true when the handshake has completed — the connection is then on the
    /// in-place record layer (held to `limits`), with what rustls still had queued in `out`.
    fn drive_handshake(&mut self, out: &mut Vec<u8>, limits: RecordLimits) -> Result<bool, Error> {
        let mut window = std::mem::take(&mut self.retained);
        let mut plain = Vec::new();
        let mut pos = 0;
        let step = loop {
            let (discard, step) = self.process(&mut window[pos..], out, &mut plain);
            pos += discard;
            match step {
                Ok(Step::Progress) => continue,
                other => break other,
            }
        };
        window.drain(..pos.min(window.len()));
        self.retained = window;
        match step? {
            Step::Blocked => Ok(false),
            Step::Writable if self.is_handshaking() => Ok(false),
            Step::Writable => {
                if !self.retained.is_empty() {
                    // rustls refuses a handshake message that spans the key change (RFC 8446
                    // §5.1) before it gets here; the record layer starts clean.
                    return Err(Error::new(
                        Status::SEC_E_ILLEGAL_MESSAGE,
                        "a handshake message continues past the end of the handshake",
                    ));
                }
                // Idle contexts keep no handshake-sized buffers.
                self.retained = Vec::new();
                self.finish_handshake(out, limits).map(|()| true)
            }
            Step::Plaintext => Err(Error::new(
                Status::SEC_E_ILLEGAL_MESSAGE,
                "application data arrived before the handshake completed",
            )),
            Step::PeerClosed | Step::Closed => Err(Error::new(
                Status::SEC_E_ILLEGAL_MESSAGE,
                "close_notify arrived before the handshake completed",
            )),
            Step::Progress => unreachable!("the loop above never stops on progress"),
        }
    }

    /// After a failure: appends to `out` what rustls queued for the peer — the alert, preceded
    /// by handshake messages queued in the same step (e.g. a TLS 1.3 ServerHello the alert is
    /// encrypted after) — and forgets the retained prefix.
    ///
    /// rustls hands out queued output before it looks at input, so one more call yields the
    /// first queued record without re-processing the record that failed (a second pass over a
    /// bad record would make rustls try to send a second fatal alert). Only when the failure
    /// came from the handshake logic — never from reading a record — is rustls driven on while
    /// it yields output.
    pub(crate) fn drain_after_failure(&mut self, out: &mut Vec<u8>) {
        let mut window = std::mem::take(&mut self.retained);
        let mut plain = Vec::new();
        let rounds = if self.drainable_error { 64 } else { 1 };
        for _ in 0..rounds {
            let (discard, step) = self.process(&mut window[..], out, &mut plain);
            // rustls' contract: bytes it discards must not be presented again — re-deframing
            // a consumed (encrypted) record would fail anew and make rustls try to send a
            // second fatal alert (found by fuzzing handshake_server).
            window.drain(..discard.min(window.len()));
            if !matches!(step, Ok(Step::Progress)) {
                break;
            }
        }
    }

    /// Runs rustls once over `window` (see the module docs for the retained-prefix rule).
    ///
    /// Handshake/alert output is appended to `out`; decrypted application data (which may not
    /// arrive during a handshake) to `plain`. A server whose ClientHello is incomplete retains
    /// the whole window (`Blocked`). On the record layer an empty window is `Writable`.
    fn process(
        &mut self,
        window: &mut [u8],
        out: &mut Vec<u8>,
        plain: &mut Vec<u8>,
    ) -> (usize, Result<Step, Error>) {
        if let Conn::Records(_) = self.conn {
            return match window.is_empty() {
                true => (0, Ok(Step::Writable)),
                false => (0, Err(internal("records go through the record layer"))),
            };
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
            (discard, handle_state(state, out, plain))
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

    /// True while this is a server waiting for a complete ClientHello.
    fn is_pending_server(&self) -> bool {
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
    fn start_server(&mut self, offered: Result<Option<Vec<Vec<u8>>>, ()>) -> Result<(), Error> {
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

    /// True until the handshake has completed.
    fn is_handshaking(&self) -> bool {
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

    /// Seals one alert record under the current transmit keys (an `SCHANNEL_ALERT` after the
    /// handshake). The connection ends: nothing can be sent or received afterwards.
    pub(crate) fn seal_alert(&mut self, level: u8, description: u8) -> Result<Vec<u8>, Error> {
        let Conn::Records(r) = &mut self.conn else {
            return Err(internal("no traffic keys to seal an alert with"));
        };
        let mut record = Vec::new();
        r.0.seal_alert(level, description, &mut record)?;
        self.end_records();
        Ok(record)
    }

    /// Seals our close_notify under the current transmit keys, appended to `out`. The
    /// connection goes on (TLS 1.3 peers may still send).
    pub(crate) fn seal_close_notify(&mut self, out: &mut Vec<u8>) -> Result<(), Error> {
        match &mut self.conn {
            Conn::Records(r) => r.0.seal_alert(1, 0, out),
            _ => Err(internal("no record layer")),
        }
    }

    /// The handshake has just completed: any record rustls still has queued is appended to
    /// `out` (part of the final handshake token), then the connection is handed over to
    /// openschannel's own record layer (see `record.rs`), which holds the peer to `limits`.
    /// rustls retains no bytes (checked by the caller).
    fn finish_handshake(&mut self, out: &mut Vec<u8>, limits: RecordLimits) -> Result<(), Error> {
        if self.is_handshaking() || !matches!(self.conn, Conn::Client(_) | Conn::Server(_)) {
            return Err(internal("no completed handshake to finish"));
        }
        let mut plain = Vec::new();
        loop {
            match self.process(&mut [], out, &mut plain).1? {
                Step::Progress => continue,
                Step::Writable if plain.is_empty() => break,
                other => {
                    return Err(Error::new(
                        Status::SEC_E_ILLEGAL_MESSAGE,
                        format!("unexpected state at the end of the handshake ({other:?})"),
                    ))
                }
            }
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
        Ok(())
    }

    /// `cbHeader`, `cbTrailer` and `cbBlockSize` of the established connection's records:
    /// the one place that knows them is the record layer. Asked on every EncryptMessage and
    /// DecryptMessage, so it is one match, with no look-up of the suite.
    #[inline]
    pub(crate) fn record_sizes(&self) -> Option<(usize, usize, u32)> {
        match &self.conn {
            Conn::Records(r) => Some(r.0.sizes()),
            Conn::Ended(s) => s.overhead,
            _ => None,
        }
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
        }
    }

    /// A record failed to open: the connection ends (its keys are dropped), what it
    /// negotiated stays for queries.
    fn end_records(&mut self) {
        if let Conn::Records(r) = &mut self.conn {
            let mut snapshot = std::mem::take(&mut r.1);
            snapshot.overhead = Some(r.0.sizes());
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
            overhead: self.record_sizes(),
        }
    }
}

/// The application_data content type.
const APPLICATION_DATA: u8 = 23;

fn handle_state<Data>(
    state: Result<ConnectionState<'_, '_, Data>, rustls::Error>,
    out: &mut Vec<u8>,
    plain: &mut Vec<u8>,
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
        ConnectionState::WriteTraffic(_) => Ok(Step::Writable),
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
