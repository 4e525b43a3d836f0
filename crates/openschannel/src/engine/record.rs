//! openschannel's own record layer for established connections: records sealed and opened in
//! the caller's buffers, with no copy and no allocation (ARCHITECTURE.md, "The in-place record
//! layer").
//!
//! rustls 0.23 seals only into a `Vec` it allocates and hands decrypted plaintext over only as
//! a copy, so once the handshake has completed the connection is taken apart
//! (`dangerous_into_kernel_connection`): rustls keeps what it must still do — deriving the next
//! traffic secrets on a TLS 1.3 KeyUpdate, storing TLS 1.3 session tickets — and this module
//! does the rest:
//! * **sealing** with the provider's AEAD (`seal_in_place_separate_tag`), the nonce being the
//!   static IV XOR the sequence number exactly as RFC 8446 §5.3 / RFC 5288 / RFC 7905 and rustls
//!   build it — every record sealed here is opened by rustls' decrypter (our own peer side) or
//!   by OpenSSL, GnuTLS, Python and tlslite-ng in the interop tests;
//! * **opening** with the same AEAD, in place, with exactly the checks and errors of rustls'
//!   record decrypters (the length floors, the nonce and additional data of each record shape,
//!   TLS 1.3's unpadding, the refusal of an all-padding plaintext, of a protected
//!   change_cipher_spec and of oversized plaintext) — without a virtual call and a message
//!   wrapper per record;
//! * the post-handshake protocol: alerts (RFC 8446 §6, as rustls judges them), TLS 1.3
//!   NewSessionTicket and KeyUpdate, TLS 1.2 HelloRequest (answered with `no_renegotiation`);
//! * the limits: a sequence number is never reused, sealing stops at the suite's
//!   confidentiality limit, and a peer cannot make the layer work without sending application
//!   data beyond [`RecordLimits`] (warning alerts, KeyUpdates, empty records, renegotiation
//!   requests — rustls' numbers; the warning-alert count restarts with application data, as
//!   BoringSSL's does, where rustls counts over the whole connection);
//! * every failed record gets the fatal alert the peer must see, sealed under the current keys.

use std::ops::Range;

use rustls::client::ClientConnectionData;
use rustls::kernel::KernelConnection;
use rustls::server::ServerConnectionData;
use rustls::{AlertDescription, ConnectionTrafficSecrets, PeerMisbehaved, SupportedCipherSuite};

#[cfg(feature = "aws-lc-rs")]
use aws_lc_rs::aead;
#[cfg(all(feature = "ring", not(feature = "aws-lc-rs")))]
use ring::aead;

use super::errors;
use crate::error::Error;
use crate::params::RecordLimits;
use crate::status::Status;

/// The record header.
const HEADER: usize = 5;
/// The AEAD tag of every suite openschannel offers.
const TAG: usize = 16;
/// The TLS 1.2 AES-GCM explicit nonce.
const EXPLICIT: usize = 8;
/// Largest record plaintext (RFC 8446 §5.1, RFC 5246 §6.2.1).
const MAX_FRAGMENT: usize = 16384;
/// Largest post-handshake handshake message accepted (a NewSessionTicket is far smaller).
const MAX_HANDSHAKE_MESSAGE: usize = 0x1_0000;

/// Content types, alert and handshake numbers used here.
const APPLICATION_DATA: u8 = 23;
const CHANGE_CIPHER_SPEC: u8 = 20;
const ALERT: u8 = 21;
const HANDSHAKE: u8 = 22;
const HELLO_REQUEST: u8 = 0;
const CLIENT_HELLO: u8 = 1;
const NEW_SESSION_TICKET: u8 = 4;
const KEY_UPDATE: u8 = 24;
const CLOSE_NOTIFY: u8 = 0;
const USER_CANCELED: u8 = 90;
const NO_RENEGOTIATION: u8 = 100;
const UNEXPECTED_MESSAGE: u8 = 10;
const BAD_RECORD_MAC: u8 = 20;
const RECORD_OVERFLOW: u8 = 22;
const DECODE_ERROR: u8 = 50;
const ILLEGAL_PARAMETER: u8 = 47;
const WARNING: u8 = 1;
const FATAL: u8 = 2;

/// What rustls keeps after the handshake.
pub(crate) enum Kernel {
    /// A client (stores session tickets).
    Client(KernelConnection<ClientConnectionData>),
    /// A server.
    Server(KernelConnection<ServerConnectionData>),
}

impl Kernel {
    fn update(&mut self, transmit: bool) -> Result<(u64, ConnectionTrafficSecrets), rustls::Error> {
        match (self, transmit) {
            (Self::Client(k), true) => k.update_tx_secret(),
            (Self::Client(k), false) => k.update_rx_secret(),
            (Self::Server(k), true) => k.update_tx_secret(),
            (Self::Server(k), false) => k.update_rx_secret(),
        }
    }
}

/// The record shape of the negotiated suite.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Shape {
    /// TLS 1.3: inner content type, outer type application_data, header as AAD.
    Tls13,
    /// TLS 1.2 AES-GCM: 8-byte explicit nonce after the header.
    Tls12Gcm,
    /// TLS 1.2 ChaCha20-Poly1305 (RFC 7905): no explicit nonce.
    Tls12Chacha,
}

/// The transmit direction: key, static IV, next sequence number.
struct Sealer {
    key: aead::LessSafeKey,
    iv: [u8; 12],
    seq: u64,
}

/// The receive direction's key and static IV (TLS 1.2 AES-GCM: the 4-byte salt first, the
/// rest of each nonce is read off the record); the sequence number is the layer's `rx_seq`.
struct Opener {
    key: aead::LessSafeKey,
    iv: [u8; 12],
}

/// The per-record nonce of RFC 8446 §5.3 / RFC 7905: the static IV XOR the sequence number.
#[inline]
fn xor_nonce(iv: &[u8; 12], seq: u64) -> [u8; 12] {
    let mut nonce = *iv;
    for (b, s) in nonce[4..].iter_mut().zip(seq.to_be_bytes()) {
        *b ^= s;
    }
    nonce
}

/// What [`RecordLayer::open`] found in one record.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Opened {
    /// Application data, decrypted in place at this range of the record (possibly empty).
    Data(Range<usize>),
    /// The peer's close_notify.
    CloseNotify,
    /// A record without application data: post-handshake messages or a tolerated warning
    /// alert. Records that must be sent in answer (a KeyUpdate, `no_renegotiation`) were
    /// appended to the caller's output.
    Control,
}

/// A failed record: the error, and the alert this side sends for it (if any).
struct Failure {
    error: Error,
    alert: Option<u8>,
}

impl Failure {
    fn new(status: Status, detail: impl Into<String>, alert: Option<u8>) -> Self {
        Self {
            error: Error::new(status, detail.into()),
            alert,
        }
    }

    fn rustls(e: rustls::Error, alert: Option<u8>) -> Self {
        Self {
            error: errors::map(e),
            alert,
        }
    }

    fn unexpected(detail: &str) -> Self {
        Self::new(
            Status::SEC_E_ILLEGAL_MESSAGE,
            detail,
            Some(UNEXPECTED_MESSAGE),
        )
    }

    fn decode(detail: &str) -> Self {
        Self::new(Status::SEC_E_INVALID_TOKEN, detail, Some(DECODE_ERROR))
    }

    /// The peer exceeded one of the [`RecordLimits`].
    fn flood(detail: &str) -> Self {
        Self::new(
            Status::SEC_E_ILLEGAL_MESSAGE,
            detail,
            Some(UNEXPECTED_MESSAGE),
        )
    }

    /// A failure of the layer itself (no alert: the keys may be what failed).
    fn local(error: Error) -> Self {
        Self { error, alert: None }
    }
}

/// How far the peer is into each of the [`RecordLimits`].
#[derive(Default)]
struct Counters {
    warning_alerts: u32,
    key_updates: u32,
    empty_records: u32,
    renegotiation_requests: u32,
}

/// Counts one more event against `limit`; false once the limit is exceeded.
fn within(count: &mut u32, limit: u32) -> bool {
    *count = count.saturating_add(1);
    *count <= limit
}

/// The record layer of one established connection.
pub(crate) struct RecordLayer {
    shape: Shape,
    tx: Sealer,
    /// Sealing stops here (the suite's confidentiality limit).
    tx_limit: u64,
    rx: Opener,
    rx_seq: u64,
    /// `cbBlockSize`: 16 for AES, 1 for ChaCha20.
    block_len: u32,
    kernel: Kernel,
    /// The start of a handshake message that continues in the next record.
    partial: Vec<u8>,
    limits: RecordLimits,
    counters: Counters,
}

fn internal(detail: impl Into<String>) -> Error {
    Error::new(Status::SEC_E_INTERNAL_ERROR, detail.into())
}

fn algorithm(secrets: &ConnectionTrafficSecrets) -> Option<&'static aead::Algorithm> {
    match secrets {
        ConnectionTrafficSecrets::Aes128Gcm { .. } => Some(&aead::AES_128_GCM),
        ConnectionTrafficSecrets::Aes256Gcm { .. } => Some(&aead::AES_256_GCM),
        ConnectionTrafficSecrets::Chacha20Poly1305 { .. } => Some(&aead::CHACHA20_POLY1305),
        #[allow(unreachable_patterns)]
        _ => None,
    }
}

fn key_and_iv(secrets: &ConnectionTrafficSecrets) -> Option<(&[u8], &[u8])> {
    match secrets {
        ConnectionTrafficSecrets::Aes128Gcm { key, iv }
        | ConnectionTrafficSecrets::Aes256Gcm { key, iv }
        | ConnectionTrafficSecrets::Chacha20Poly1305 { key, iv } => {
            Some((key.as_ref(), iv.as_ref()))
        }
        #[allow(unreachable_patterns)]
        _ => None,
    }
}

fn aead_key(secrets: &ConnectionTrafficSecrets) -> Result<(aead::LessSafeKey, [u8; 12]), Error> {
    let alg = algorithm(secrets).ok_or_else(|| internal("unsupported traffic keys"))?;
    let (key, iv) = key_and_iv(secrets).ok_or_else(|| internal("unsupported traffic keys"))?;
    let key = aead::UnboundKey::new(alg, key).map_err(|_| internal("bad traffic key"))?;
    let iv = iv.try_into().map_err(|_| internal("bad traffic IV"))?;
    Ok((aead::LessSafeKey::new(key), iv))
}

fn sealer(seq: u64, secrets: &ConnectionTrafficSecrets) -> Result<Sealer, Error> {
    let (key, iv) = aead_key(secrets)?;
    Ok(Sealer { key, iv, seq })
}

fn opener(secrets: &ConnectionTrafficSecrets) -> Result<Opener, Error> {
    let (key, iv) = aead_key(secrets)?;
    Ok(Opener { key, iv })
}

/// The TLS 1.2 additional data: sequence number, type, version, plaintext length.
fn tls12_aad(seq: u64, typ: u8, len: usize) -> [u8; 13] {
    tls12_aad_as(seq, typ, [3, 3], len)
}

/// [`tls12_aad`] with the record's own version bytes (an opened record is authenticated with
/// the version its header carries, as rustls does).
#[inline]
fn tls12_aad_as(seq: u64, typ: u8, version: [u8; 2], len: usize) -> [u8; 13] {
    let mut aad = [0u8; 13];
    aad[..8].copy_from_slice(&seq.to_be_bytes());
    aad[8] = typ;
    aad[9..11].copy_from_slice(&version);
    aad[11..].copy_from_slice(&(len as u16).to_be_bytes());
    aad
}

impl RecordLayer {
    /// Takes over from rustls: `secrets` are the traffic secrets with their sequence numbers,
    /// `kernel` what rustls keeps, `limits` what the peer may make this layer do.
    pub(crate) fn new(
        suite: SupportedCipherSuite,
        tx: (u64, ConnectionTrafficSecrets),
        rx: (u64, ConnectionTrafficSecrets),
        kernel: Kernel,
        limits: RecordLimits,
    ) -> Result<Self, Error> {
        let shape = match (suite, &tx.1) {
            (SupportedCipherSuite::Tls13(_), _) => Shape::Tls13,
            (SupportedCipherSuite::Tls12(_), ConnectionTrafficSecrets::Chacha20Poly1305 { .. }) => {
                Shape::Tls12Chacha
            }
            (SupportedCipherSuite::Tls12(_), _) => Shape::Tls12Gcm,
        };
        let limit = match suite {
            SupportedCipherSuite::Tls13(s) => s.common.confidentiality_limit,
            SupportedCipherSuite::Tls12(s) => s.common.confidentiality_limit,
        };
        let block_len = match tx.1 {
            ConnectionTrafficSecrets::Chacha20Poly1305 { .. } => 1,
            _ => 16,
        };
        Ok(Self {
            shape,
            tx: sealer(tx.0, &tx.1)?,
            // Stop a little before the limit, as rustls does (it refreshes or closes there).
            tx_limit: limit.saturating_sub(limit / 64).min(u64::MAX - 1),
            rx: opener(&rx.1)?,
            rx_seq: rx.0,
            block_len,
            kernel,
            partial: Vec::new(),
            limits,
            counters: Counters::default(),
        })
    }

    /// `cbHeader`, `cbTrailer` and `cbBlockSize`.
    #[inline]
    pub(crate) fn sizes(&self) -> (usize, usize, u32) {
        (self.header_len(), self.trailer_len(), self.block_len)
    }

    /// Bytes before the plaintext in a record (`cbHeader`).
    pub(crate) fn header_len(&self) -> usize {
        match self.shape {
            Shape::Tls12Gcm => HEADER + EXPLICIT,
            Shape::Tls13 | Shape::Tls12Chacha => HEADER,
        }
    }

    /// Bytes after the plaintext in a record (`cbTrailer`).
    pub(crate) fn trailer_len(&self) -> usize {
        match self.shape {
            Shape::Tls13 => 1 + TAG,
            Shape::Tls12Gcm | Shape::Tls12Chacha => TAG,
        }
    }

    /// Seals the `n` plaintext bytes at `buf[header_len..]` as one record of content type `typ`
    /// in place: the header is written in front, the tag (and TLS 1.3's inner content type)
    /// behind. `buf` must hold `header_len + n + trailer_len` bytes. Returns the record length.
    pub(crate) fn seal_in_place(
        &mut self,
        typ: u8,
        buf: &mut [u8],
        n: usize,
    ) -> Result<usize, Error> {
        let (h, t) = (self.header_len(), self.trailer_len());
        let total = h + n + t;
        if buf.len() < total || n > 16384 {
            return Err(internal("record buffer too small"));
        }
        if self.tx.seq >= self.tx_limit {
            return Err(Error::new(
                Status::SEC_E_ENCRYPT_FAILURE,
                "the cipher suite's confidentiality limit is reached: start a new connection",
            ));
        }
        let seq = self.tx.seq;
        let nonce = xor_nonce(&self.tx.iv, seq);
        let body = (total - HEADER) as u16;
        let (outer, sealed_len) = match self.shape {
            Shape::Tls13 => {
                buf[h + n] = typ;
                (APPLICATION_DATA, n + 1)
            }
            Shape::Tls12Gcm | Shape::Tls12Chacha => (typ, n),
        };
        let header = [outer, 3, 3, (body >> 8) as u8, body as u8];
        buf[..HEADER].copy_from_slice(&header);
        let nonce_value = aead::Nonce::assume_unique_for_key(nonce);
        let sealed = &mut buf[h..h + sealed_len];
        let tag = match self.shape {
            Shape::Tls13 => {
                self.tx
                    .key
                    .seal_in_place_separate_tag(nonce_value, aead::Aad::from(header), sealed)
            }
            Shape::Tls12Gcm | Shape::Tls12Chacha => self.tx.key.seal_in_place_separate_tag(
                nonce_value,
                aead::Aad::from(tls12_aad(seq, typ, n)),
                sealed,
            ),
        }
        .map_err(|_| Error::new(Status::SEC_E_ENCRYPT_FAILURE, "sealing failed"))?;
        if self.shape == Shape::Tls12Gcm {
            buf[HEADER..HEADER + EXPLICIT].copy_from_slice(&nonce[4..]);
        }
        buf[h + sealed_len..total].copy_from_slice(tag.as_ref());
        self.tx.seq += 1;
        Ok(total)
    }

    /// Seals `payload` (a short control message) as one record appended to `out`.
    pub(crate) fn seal_to(
        &mut self,
        typ: u8,
        payload: &[u8],
        out: &mut Vec<u8>,
    ) -> Result<(), Error> {
        let start = out.len();
        let (h, t) = (self.header_len(), self.trailer_len());
        out.resize(start + h + payload.len() + t, 0);
        out[start + h..start + h + payload.len()].copy_from_slice(payload);
        match self.seal_in_place(typ, &mut out[start..], payload.len()) {
            Ok(_) => Ok(()),
            Err(e) => {
                out.truncate(start);
                Err(e)
            }
        }
    }

    /// Seals an alert record appended to `out`.
    pub(crate) fn seal_alert(
        &mut self,
        level: u8,
        description: u8,
        out: &mut Vec<u8>,
    ) -> Result<(), Error> {
        self.seal_to(ALERT, &[level, description], out)
    }

    /// Seals the fatal alert for a record the caller could not even frame (an oversized
    /// length: `record_overflow`; bytes that are no TLS record: `decode_error`).
    pub(crate) fn seal_framing_alert(&mut self, oversized: bool, out: &mut Vec<u8>) {
        let description = if oversized {
            RECORD_OVERFLOW
        } else {
            DECODE_ERROR
        };
        // Best effort, as for every failed record.
        let _ = self.seal_alert(FATAL, description, out);
    }

    /// Opens the one record `record` (framed by the caller: header and exactly its length) in
    /// place. Records to send in answer are appended to `out` — only when `may_reply` (this
    /// side has not closed its direction). A record that fails gets the fatal alert rustls
    /// would send, sealed and appended to `out`; the error is fatal to the connection.
    pub(crate) fn open(
        &mut self,
        record: &mut [u8],
        out: &mut Vec<u8>,
        may_reply: bool,
    ) -> Result<Opened, Error> {
        self.open_record(record, out, may_reply).map_err(|failure| {
            if let Some(description) = failure.alert {
                // Best effort: the keys may be unusable for the very reason we fail.
                let _ = self.seal_alert(FATAL, description, out);
            }
            failure.error
        })
    }

    fn open_record(
        &mut self,
        record: &mut [u8],
        out: &mut Vec<u8>,
        may_reply: bool,
    ) -> Result<Opened, Failure> {
        if record.len() < HEADER {
            return Err(Failure::decode("truncated record"));
        }
        if self.rx_seq == u64::MAX {
            return Err(Failure::new(
                Status::SEC_E_DECRYPT_FAILURE,
                "receive sequence number exhausted",
                None,
            ));
        }
        let typ = record[0];
        if self.shape == Shape::Tls13 && typ != APPLICATION_DATA {
            return Err(Failure::unexpected(
                "an unprotected record after the TLS 1.3 handshake",
            ));
        }
        if !matches!(typ, APPLICATION_DATA | ALERT | HANDSHAKE) {
            return Err(Failure::unexpected(
                "unexpected record type after the handshake",
            ));
        }
        if typ != APPLICATION_DATA && record.len() == HEADER {
            // RFC 5246 §6.2.1: only application data may be empty.
            return Err(Failure::decode("an empty handshake or alert record"));
        }
        let (inner, range) = self.open_payload(record).map_err(|e| {
            let alert = match e {
                rustls::Error::DecryptError => BAD_RECORD_MAC,
                rustls::Error::PeerSentOversizedRecord => RECORD_OVERFLOW,
                rustls::Error::PeerMisbehaved(_) => UNEXPECTED_MESSAGE,
                _ => DECODE_ERROR,
            };
            Failure::rustls(e, Some(alert))
        })?;
        self.rx_seq += 1;
        if range.is_empty() {
            if !within(&mut self.counters.empty_records, self.limits.empty_records) {
                return Err(Failure::flood("too many empty records in a row"));
            }
        } else {
            self.counters.empty_records = 0;
        }
        match inner {
            APPLICATION_DATA => {
                if !self.partial.is_empty() {
                    return Err(Failure::unexpected(
                        "application data inside a fragmented handshake message",
                    ));
                }
                if !range.is_empty() {
                    // Application data: the peer is doing real work again.
                    self.counters.warning_alerts = 0;
                    self.counters.key_updates = 0;
                }
                Ok(Opened::Data(range))
            }
            ALERT => {
                let payload = &record[range];
                self.alert(payload)
            }
            HANDSHAKE => {
                let payload = record[range].to_vec();
                self.handshake(&payload, out, may_reply)
            }
            _ => Err(Failure::unexpected(
                "unexpected content type after the handshake",
            )),
        }
    }

    /// Decrypts the payload of `record` (header included, at least [`HEADER`] bytes) in place
    /// under the receive keys and sequence number, exactly as rustls 0.23's record decrypters
    /// judge it; returns the (inner) content type and where the plaintext lies in `record`.
    #[inline]
    fn open_payload(&mut self, record: &mut [u8]) -> Result<(u8, Range<usize>), rustls::Error> {
        let seq = self.rx_seq;
        let (typ, version) = (record[0], [record[1], record[2]]);
        let payload_len = record.len() - HEADER;
        let key = &self.rx.key;
        let open = |nonce, aad: &[u8], body: &mut [u8]| {
            key.open_in_place(
                aead::Nonce::assume_unique_for_key(nonce),
                aead::Aad::from(aad),
                body,
            )
            .map(|plain| plain.len())
            .map_err(|_| rustls::Error::DecryptError)
        };
        match self.shape {
            Shape::Tls13 => {
                if payload_len < TAG {
                    return Err(rustls::Error::DecryptError);
                }
                // The additional data is the outer header as the sender must have written it.
                let len = (payload_len as u16).to_be_bytes();
                let aad = [APPLICATION_DATA, 3, 3, len[0], len[1]];
                let nonce = xor_nonce(&self.rx.iv, seq);
                let plain_len = open(nonce, &aad, &mut record[HEADER..])?;
                // RFC 8446 §5.2, §5.4: at most 2^14 + 1 bytes of inner plaintext; the content
                // type is its last non-zero byte (an all-zero plaintext has none); a protected
                // change_cipher_spec is refused.
                if plain_len > MAX_FRAGMENT + 1 {
                    return Err(rustls::Error::PeerSentOversizedRecord);
                }
                let plain = &record[HEADER..HEADER + plain_len];
                let Some(end) = plain.iter().rposition(|&b| b != 0) else {
                    return Err(PeerMisbehaved::IllegalTlsInnerPlaintext.into());
                };
                let inner = plain[end];
                if inner == CHANGE_CIPHER_SPEC {
                    return Err(PeerMisbehaved::IllegalMiddleboxChangeCipherSpec.into());
                }
                if end > MAX_FRAGMENT {
                    return Err(rustls::Error::PeerSentOversizedRecord);
                }
                Ok((inner, HEADER..HEADER + end))
            }
            Shape::Tls12Gcm => {
                if payload_len < EXPLICIT + TAG {
                    return Err(rustls::Error::DecryptError);
                }
                // The nonce: the 4-byte salt, then the record's explicit part (RFC 5288 §3).
                let mut nonce = [0u8; 12];
                nonce[..4].copy_from_slice(&self.rx.iv[..4]);
                nonce[4..].copy_from_slice(&record[HEADER..HEADER + EXPLICIT]);
                let aad = tls12_aad_as(seq, typ, version, payload_len - EXPLICIT - TAG);
                let start = HEADER + EXPLICIT;
                let plain_len = open(nonce, &aad, &mut record[start..])?;
                if plain_len > MAX_FRAGMENT {
                    return Err(rustls::Error::PeerSentOversizedRecord);
                }
                Ok((typ, start..start + plain_len))
            }
            Shape::Tls12Chacha => {
                if payload_len < TAG {
                    return Err(rustls::Error::DecryptError);
                }
                let nonce = xor_nonce(&self.rx.iv, seq);
                let aad = tls12_aad_as(seq, typ, version, payload_len - TAG);
                let plain_len = open(nonce, &aad, &mut record[HEADER..])?;
                if plain_len > MAX_FRAGMENT {
                    return Err(rustls::Error::PeerSentOversizedRecord);
                }
                Ok((typ, HEADER..HEADER + plain_len))
            }
        }
    }

    /// An alert from the peer, judged as rustls judges it.
    fn alert(&mut self, payload: &[u8]) -> Result<Opened, Failure> {
        let [level, description] = payload else {
            return Err(Failure::decode("malformed alert"));
        };
        let received = rustls::Error::AlertReceived(AlertDescription::from(*description));
        if !matches!(*level, WARNING | FATAL) {
            return Err(Failure::rustls(received, Some(ILLEGAL_PARAMETER)));
        }
        if *description == CLOSE_NOTIFY {
            return Ok(Opened::CloseNotify);
        }
        if *level == WARNING {
            if !within(
                &mut self.counters.warning_alerts,
                self.limits.warning_alerts,
            ) {
                return Err(Failure::flood("too many warning alerts in a row"));
            }
            if self.shape == Shape::Tls13 && *description != USER_CANCELED {
                return Err(Failure::rustls(received, Some(DECODE_ERROR)));
            }
            return Ok(Opened::Control);
        }
        Err(Failure::rustls(received, None))
    }

    /// Post-handshake handshake messages (possibly several, possibly spanning records).
    fn handshake(
        &mut self,
        payload: &[u8],
        out: &mut Vec<u8>,
        may_reply: bool,
    ) -> Result<Opened, Failure> {
        if payload.is_empty() {
            // RFC 8446 §5.1: no zero-length handshake fragments (rustls refuses the plaintext
            // kind with decode_error; the protected kind gets the same here).
            return Err(Failure::decode("an empty handshake record"));
        }
        self.partial.extend_from_slice(payload);
        while let Some(&[typ, a, b, c]) = self
            .partial
            .get(..4)
            .and_then(|h| <&[u8; 4]>::try_from(h).ok())
        {
            let len = u32::from_be_bytes([0, a, b, c]) as usize;
            if len > MAX_HANDSHAKE_MESSAGE {
                return Err(Failure::decode("oversized post-handshake message"));
            }
            if self.partial.len() < 4 + len {
                break;
            }
            let message: Vec<u8> = self.partial.drain(..4 + len).collect();
            let body = &message[4..];
            match (self.shape, typ) {
                (Shape::Tls13, NEW_SESSION_TICKET) => match &mut self.kernel {
                    Kernel::Client(k) => k
                        .handle_new_session_ticket(body)
                        .map_err(|e| Failure::rustls(e, Some(DECODE_ERROR)))?,
                    Kernel::Server(_) => {
                        return Err(Failure::unexpected("a client sent a NewSessionTicket"))
                    }
                },
                (Shape::Tls13, KEY_UPDATE) => {
                    let requested = match body {
                        [0] => false,
                        [1] => true,
                        // RFC 8446 §4.6.3: any other request value is illegal_parameter; a
                        // body that is not one byte does not decode.
                        [_] => {
                            return Err(Failure::new(
                                Status::SEC_E_ILLEGAL_MESSAGE,
                                "KeyUpdate with an undefined request value",
                                Some(ILLEGAL_PARAMETER),
                            ))
                        }
                        _ => return Err(Failure::decode("malformed KeyUpdate")),
                    };
                    if !within(&mut self.counters.key_updates, self.limits.key_updates) {
                        return Err(Failure::flood(
                            "too many KeyUpdates without application data",
                        ));
                    }
                    // A key change must end the record (RFC 8446 §5.1).
                    if !self.partial.is_empty() {
                        return Err(Failure::unexpected("data after a KeyUpdate in its record"));
                    }
                    let (seq, secrets) = self
                        .kernel
                        .update(false)
                        .map_err(|e| Failure::rustls(e, Some(UNEXPECTED_MESSAGE)))?;
                    self.rx = opener(&secrets).map_err(Failure::local)?;
                    self.rx_seq = seq;
                    if requested && may_reply {
                        // Our answer goes out under the old keys, then ours change.
                        self.seal_to(HANDSHAKE, &[KEY_UPDATE, 0, 0, 1, 0], out)
                            .map_err(Failure::local)?;
                        let (seq, secrets) = self
                            .kernel
                            .update(true)
                            .map_err(|e| Failure::rustls(e, None))?;
                        self.tx = sealer(seq, &secrets).map_err(Failure::local)?;
                    }
                }
                // TLS 1.2 renegotiation is declined as rustls declines it: a warning
                // no_renegotiation, and the connection goes on.
                (Shape::Tls12Gcm | Shape::Tls12Chacha, HELLO_REQUEST | CLIENT_HELLO) => {
                    match (&self.kernel, typ) {
                        (Kernel::Client(_), HELLO_REQUEST) if !body.is_empty() => {
                            return Err(Failure::decode("malformed HelloRequest"))
                        }
                        (Kernel::Client(_), HELLO_REQUEST) | (Kernel::Server(_), CLIENT_HELLO) => {}
                        _ => {
                            return Err(Failure::unexpected(
                                "unexpected handshake message after the handshake",
                            ))
                        }
                    }
                    if !within(
                        &mut self.counters.renegotiation_requests,
                        self.limits.renegotiation_requests,
                    ) {
                        return Err(Failure::flood("too many renegotiation requests"));
                    }
                    if may_reply {
                        self.seal_alert(WARNING, NO_RENEGOTIATION, out)
                            .map_err(Failure::local)?;
                    }
                }
                _ => {
                    return Err(Failure::unexpected(
                        "unexpected handshake message after the handshake",
                    ))
                }
            }
        }
        Ok(Opened::Control)
    }
}
