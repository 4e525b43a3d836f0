//! What the peer sees when a record fails after the handshake, and the limits of what a peer
//! can make the record layer do (issue: "the record layer as a real protocol boundary").
//!
//! The peer is plain rustls (buffered), so every alert we send is judged by an independent
//! implementation. For records no TLS stack would send — a flipped tag, a KeyUpdate with an
//! undefined request value, a CCS after Finished, floods — the rustls client's traffic keys are
//! taken out of it (`dangerous_extract_secrets`) and the records are sealed by the small
//! reference sealer below (RFC 8446 §5.2–5.3, RFC 5288, RFC 7905); our alert is opened with the
//! same keys and its exact bytes are asserted.

use openschannel_test_support as common;

use std::io::Read;
use std::sync::Arc;

#[cfg(feature = "aws-lc-rs")]
use aws_lc_rs::aead;
#[cfg(all(feature = "ring", not(feature = "aws-lc-rs")))]
use ring::aead;

use common::{pki, KeyKind};
use openschannel::{
    ContextOptions, ControlToken, Credentials, Decrypted, HandshakeStatus, Protocols, RecordLimits,
    SecurityContext, Status,
};
use rustls::pki_types::{CertificateDer, ServerName};
use rustls::{CipherSuite as Rs, ConnectionTrafficSecrets};

const TLS12_AES: Rs = Rs::TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256;
const TLS12_CHACHA: Rs = Rs::TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256;
const TLS13_AES: Rs = Rs::TLS13_AES_128_GCM_SHA256;
const TLS13_CHACHA: Rs = Rs::TLS13_CHACHA20_POLY1305_SHA256;
const ALL: [Rs; 4] = [TLS12_AES, TLS12_CHACHA, TLS13_AES, TLS13_CHACHA];

const ALERT: u8 = 21;
const HANDSHAKE: u8 = 22;
const APPLICATION_DATA: u8 = 23;

fn is_tls13(suite: Rs) -> bool {
    matches!(suite, TLS13_AES | TLS13_CHACHA)
}

fn provider(suite: Rs) -> Arc<rustls::crypto::CryptoProvider> {
    #[cfg(feature = "aws-lc-rs")]
    let mut provider = rustls::crypto::aws_lc_rs::default_provider();
    #[cfg(all(feature = "ring", not(feature = "aws-lc-rs")))]
    let mut provider = rustls::crypto::ring::default_provider();
    provider.cipher_suites.retain(|s| s.suite() == suite);
    Arc::new(provider)
}

/// Our server and a rustls client that completed a handshake with it (tickets read).
fn connect(suite: Rs, limits: RecordLimits) -> (SecurityContext, rustls::ClientConnection) {
    let p = pki(KeyKind::EcdsaP256);
    let protocols = if is_tls13(suite) {
        Protocols::TLS13_ONLY
    } else {
        Protocols::TLS12_ONLY
    };
    let server = Credentials::server(p.chain.clone(), p.key())
        .protocols(protocols)
        .build()
        .unwrap();
    let options = ContextOptions {
        limits,
        ..ContextOptions::default()
    };
    let mut ours = SecurityContext::server(&server, options).unwrap();
    let mut roots = rustls::RootCertStore::empty();
    roots
        .add(CertificateDer::from(p.ca.der().to_vec()))
        .unwrap();
    let version: &'static rustls::SupportedProtocolVersion = if is_tls13(suite) {
        &rustls::version::TLS13
    } else {
        &rustls::version::TLS12
    };
    let mut config = rustls::ClientConfig::builder_with_provider(provider(suite))
        .with_protocol_versions(&[version])
        .unwrap()
        .with_root_certificates(roots)
        .with_no_client_auth();
    config.enable_secret_extraction = true;
    let name = ServerName::try_from("localhost").unwrap();
    let mut peer = rustls::ClientConnection::new(Arc::new(config), name).unwrap();
    let (mut to_ours, mut to_peer) = (Vec::new(), Vec::new());
    for _ in 0..20 {
        while peer.wants_write() {
            peer.write_tls(&mut to_ours).unwrap();
        }
        while !to_ours.is_empty() && !ours.is_established() {
            let mut token = Vec::new();
            let step = ours.handshake(&to_ours, &mut token).unwrap();
            to_ours.drain(..step.consumed);
            to_peer.extend(token);
            if !matches!(step.status, HandshakeStatus::ContinueNeeded) || step.consumed == 0 {
                break;
            }
        }
        feed(&mut peer, &mut to_peer);
        if ours.is_established() && !peer.is_handshaking() && !peer.wants_write() {
            assert!(to_ours.is_empty() && to_peer.is_empty());
            return (ours, peer);
        }
    }
    panic!("no handshake for {suite:?}");
}

/// Feeds `bytes` to the rustls peer; returns its plaintext.
fn feed(peer: &mut rustls::ClientConnection, bytes: &mut Vec<u8>) -> Vec<u8> {
    let mut rd = &bytes[..];
    while !rd.is_empty() {
        peer.read_tls(&mut rd).unwrap();
        peer.process_new_packets().unwrap();
    }
    bytes.clear();
    let mut plain = Vec::new();
    match peer.reader().read_to_end(&mut plain) {
        Ok(_) => {}
        Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {}
        Err(e) => panic!("{e}"),
    }
    plain
}

/// One direction of the reference record protection.
struct Keys {
    key: aead::LessSafeKey,
    iv: [u8; 12],
    seq: u64,
}

impl Keys {
    fn new((seq, secrets): (u64, ConnectionTrafficSecrets)) -> Self {
        let (alg, key, iv) = match &secrets {
            ConnectionTrafficSecrets::Aes128Gcm { key, iv } => (&aead::AES_128_GCM, key, iv),
            ConnectionTrafficSecrets::Chacha20Poly1305 { key, iv } => {
                (&aead::CHACHA20_POLY1305, key, iv)
            }
            _ => unreachable!("only AES-128-GCM and ChaCha20 are tested"),
        };
        Self {
            key: aead::LessSafeKey::new(aead::UnboundKey::new(alg, key.as_ref()).unwrap()),
            iv: iv.as_ref().try_into().unwrap(),
            seq,
        }
    }

    fn nonce(&self) -> [u8; 12] {
        let mut nonce = self.iv;
        for (n, s) in nonce[4..].iter_mut().zip(self.seq.to_be_bytes()) {
            *n ^= s;
        }
        nonce
    }
}

/// The rustls client's traffic keys, taken out of it: seals what it never would.
struct Raw {
    tls13: bool,
    gcm12: bool,
    tx: Keys,
    rx: Keys,
}

fn tls12_aad(seq: u64, typ: u8, len: usize) -> [u8; 13] {
    let mut aad = [0u8; 13];
    aad[..8].copy_from_slice(&seq.to_be_bytes());
    aad[8] = typ;
    aad[9..11].copy_from_slice(&[3, 3]);
    aad[11..].copy_from_slice(&(len as u16).to_be_bytes());
    aad
}

impl Raw {
    fn take(peer: rustls::ClientConnection, suite: Rs) -> Self {
        let secrets = peer.dangerous_extract_secrets().unwrap();
        Self {
            tls13: is_tls13(suite),
            gcm12: suite == TLS12_AES,
            tx: Keys::new(secrets.tx),
            rx: Keys::new(secrets.rx),
        }
    }

    /// One record of content type `typ` (TLS 1.3: the inner type) carrying `payload`.
    fn seal(&mut self, typ: u8, payload: &[u8]) -> Vec<u8> {
        self.seal_padded(typ, payload, 0)
    }

    /// [`seal`](Self::seal) with `padding` zero bytes after a TLS 1.3 inner content type.
    fn seal_padded(&mut self, typ: u8, payload: &[u8], padding: usize) -> Vec<u8> {
        let nonce = self.tx.nonce();
        let mut body = payload.to_vec();
        let (outer, aad): (u8, Vec<u8>) = if self.tls13 {
            body.push(typ);
            body.resize(body.len() + padding, 0);
            let len = body.len() + 16;
            (
                APPLICATION_DATA,
                vec![APPLICATION_DATA, 3, 3, (len >> 8) as u8, len as u8],
            )
        } else {
            (typ, tls12_aad(self.tx.seq, typ, payload.len()).to_vec())
        };
        self.tx
            .key
            .seal_in_place_append_tag(
                aead::Nonce::assume_unique_for_key(nonce),
                aead::Aad::from(aad),
                &mut body,
            )
            .unwrap();
        self.tx.seq += 1;
        let explicit: &[u8] = if self.gcm12 { &nonce[4..] } else { &[] };
        let len = explicit.len() + body.len();
        [
            &[outer, 3, 3, (len >> 8) as u8, len as u8][..],
            explicit,
            &body,
        ]
        .concat()
    }

    /// Opens the one record `record` from our side: (content type, payload).
    fn open(&mut self, record: &[u8]) -> (u8, Vec<u8>) {
        let len = usize::from(u16::from_be_bytes([record[3], record[4]]));
        assert_eq!(record.len(), 5 + len, "exactly one record: {record:?}");
        let (nonce, mut body, aad): ([u8; 12], Vec<u8>, Vec<u8>) = if self.tls13 {
            (self.rx.nonce(), record[5..].to_vec(), record[..5].to_vec())
        } else {
            let (nonce, body) = if self.gcm12 {
                let mut nonce = self.rx.iv;
                nonce[4..].copy_from_slice(&record[5..13]);
                (nonce, record[13..].to_vec())
            } else {
                (self.rx.nonce(), record[5..].to_vec())
            };
            let aad = tls12_aad(self.rx.seq, record[0], body.len() - 16).to_vec();
            (nonce, body, aad)
        };
        let plain = self
            .rx
            .key
            .open_in_place(
                aead::Nonce::assume_unique_for_key(nonce),
                aead::Aad::from(aad),
                &mut body,
            )
            .expect("our record opens with the traffic keys")
            .to_vec();
        self.rx.seq += 1;
        if self.tls13 {
            let end = plain.iter().rposition(|&b| b != 0).unwrap();
            (plain[end], plain[..end].to_vec())
        } else {
            (record[0], plain)
        }
    }
}

fn established(suite: Rs) -> (SecurityContext, Raw) {
    let (ours, peer) = connect(suite, RecordLimits::default());
    (ours, Raw::take(peer, suite))
}

/// DecryptMessage on `record`: the status it returns.
fn decrypt(ours: &mut SecurityContext, record: &[u8]) -> Result<Decrypted, Status> {
    let mut buf = record.to_vec();
    ours.decrypt(&mut buf).map_err(|e| e.status())
}

/// After a fatal error: ISC/ASC with empty input hands out the owed alert (as
/// `SECBUFFER_ALERT`, with the latched error), the same again on a repeat, and the shutdown
/// procedure returns it as its `SEC_E_OK` token.
fn owed_alert(ours: &mut SecurityContext, status: Status) -> Vec<u8> {
    let owed = ours.failure_alert().to_vec();
    assert!(!owed.is_empty(), "an alert is owed after {status}");
    let mut out = Vec::new();
    let e = ours.handshake(&[], &mut out).unwrap_err();
    assert_eq!(e.status(), status);
    assert_eq!(out, owed);
    let mut again = Vec::new();
    assert_eq!(
        ours.handshake(&[], &mut again).unwrap_err().status(),
        status
    );
    assert_eq!(again, owed, "a repeated call hands out the same record");
    ours.apply_control_token(ControlToken::Shutdown).unwrap();
    let mut token = Vec::new();
    let step = ours.handshake(&[], &mut token).unwrap();
    assert_eq!(step.status, HandshakeStatus::Ok);
    assert_eq!(token, owed, "the shutdown procedure sends the alert");
    assert_eq!(
        decrypt(ours, b"\x17\x03\x03\x00\x01\x00").unwrap_err(),
        status,
        "latched"
    );
    owed
}

/// The fatal alert `description` the peer receives, and the status we returned.
fn assert_alert(ours: &mut SecurityContext, raw: &mut Raw, status: Status, description: u8) {
    let owed = owed_alert(ours, status);
    assert_eq!(raw.open(&owed), (ALERT, vec![2, description]));
}

/// DecryptMessage of `record` fails with `status`, and the alert owed is a fatal
/// `description` the peer decrypts (`why`: context for a failure message).
fn refused(
    ours: &mut SecurityContext,
    raw: &mut Raw,
    record: &[u8],
    status: Status,
    description: u8,
    why: &str,
) {
    assert_eq!(decrypt(ours, record).unwrap_err(), status, "{why}");
    assert_alert(ours, raw, status, description);
}

#[test]
fn a_flipped_tag_gets_bad_record_mac() {
    for suite in ALL {
        let (mut ours, mut raw) = established(suite);
        let mut record = raw.seal(APPLICATION_DATA, b"hello");
        *record.last_mut().unwrap() ^= 1;
        refused(
            &mut ours,
            &mut raw,
            &record,
            Status::SEC_E_MESSAGE_ALTERED,
            20,
            &format!("{suite:?}"),
        );
    }
}

#[test]
fn the_peer_of_a_failed_context_sees_the_alert() {
    // Our own client receives a tampered record from our own server: the server's alert
    // reaches the client's DecryptMessage as the peer's fatal bad_record_mac.
    for protocols in [Protocols::TLS12_ONLY, Protocols::TLS13_ONLY] {
        let c = common::client_credentials(KeyKind::EcdsaP256, protocols);
        let s = common::server_credentials(KeyKind::EcdsaP256, protocols);
        let mut pair = common::Pair::new(&c, &s, usize::MAX);
        pair.handshake().unwrap();
        // One message each way first: the client has read the server's tickets.
        assert_eq!(pair.server_to_client(b"ping"), b"ping");
        assert_eq!(pair.client_to_server(b"pong"), b"pong");
        let client = &mut pair.client.ctx;
        let sizes = client.stream_sizes().unwrap();
        let plain = b"tampered in flight";
        let mut record = vec![0u8; sizes.header + plain.len() + sizes.trailer];
        record[sizes.header..sizes.header + plain.len()].copy_from_slice(plain);
        client.encrypt(&mut record, plain.len()).unwrap();
        record[sizes.header + 3] ^= 0x40;
        let server = &mut pair.server.ctx;
        assert_eq!(
            decrypt(server, &record).unwrap_err(),
            Status::SEC_E_MESSAGE_ALTERED
        );
        let mut alert = Vec::new();
        server.handshake(&[], &mut alert).unwrap_err();
        let err = pair.client.ctx.decrypt(&mut alert).unwrap_err();
        assert_eq!(err.status(), Status::SEC_E_MESSAGE_ALTERED);
        assert_eq!(err.received_alert(), Some(20), "{protocols:?}");
    }
}

#[test]
fn oversized_records_get_record_overflow() {
    for suite in ALL {
        // A header announcing more than the version allows: refused at the header.
        let (mut ours, mut raw) = established(suite);
        let len: u16 = if is_tls13(suite) {
            16384 + 257
        } else {
            16384 + 2049
        };
        let mut record = vec![APPLICATION_DATA, 3, 3, (len >> 8) as u8, len as u8];
        record.resize(5 + usize::from(len), 0);
        refused(
            &mut ours,
            &mut raw,
            &record,
            Status::SEC_E_INVALID_TOKEN,
            22,
            "",
        );

        // An authentic record whose plaintext exceeds 2^14 bytes.
        let (mut ours, mut raw) = established(suite);
        let record = raw.seal(APPLICATION_DATA, &vec![7u8; 16385]);
        refused(
            &mut ours,
            &mut raw,
            &record,
            Status::SEC_E_ILLEGAL_MESSAGE,
            22,
            &format!("{suite:?}"),
        );
    }
}

#[test]
fn malformed_key_updates_get_the_alerts_rfc_8446_names() {
    for suite in [TLS13_AES, TLS13_CHACHA] {
        for (message, status, description) in [
            // An undefined request value: illegal_parameter.
            (&[24u8, 0, 0, 1, 2][..], Status::SEC_E_ILLEGAL_MESSAGE, 47),
            // An empty body: decode_error.
            (&[24, 0, 0, 0][..], Status::SEC_E_INVALID_TOKEN, 50),
            // Two KeyUpdates in one record: the key change must end the record.
            (
                &[24, 0, 0, 1, 0, 24, 0, 0, 1, 0][..],
                Status::SEC_E_ILLEGAL_MESSAGE,
                10,
            ),
        ] {
            let (mut ours, mut raw) = established(suite);
            let record = raw.seal(HANDSHAKE, message);
            assert_eq!(decrypt(&mut ours, &record).unwrap_err(), status);
            // (Two KeyUpdates: the first changed our receive keys only; the alert is sealed
            // under our send keys, which the reference peer still has.)
            let owed = owed_alert(&mut ours, status);
            assert_eq!(
                raw.open(&owed),
                (ALERT, vec![2, description]),
                "{message:?}"
            );
        }
    }
}

#[test]
fn records_that_have_no_place_after_the_handshake_get_unexpected_message() {
    // TLS 1.2: a ChangeCipherSpec after Finished (plaintext, as a peer would send it).
    for suite in [TLS12_AES, TLS12_CHACHA] {
        let (mut ours, mut raw) = established(suite);
        refused(
            &mut ours,
            &mut raw,
            &[20, 3, 3, 0, 1, 1],
            Status::SEC_E_ILLEGAL_MESSAGE,
            10,
            "",
        );
    }
    // TLS 1.3: a ChangeCipherSpec after the handshake, and a protected one.
    for suite in [TLS13_AES, TLS13_CHACHA] {
        let (mut ours, mut raw) = established(suite);
        refused(
            &mut ours,
            &mut raw,
            &[20, 3, 3, 0, 1, 1],
            Status::SEC_E_ILLEGAL_MESSAGE,
            10,
            "",
        );
        let (mut ours, mut raw) = established(suite);
        let record = raw.seal(20, &[1]);
        refused(
            &mut ours,
            &mut raw,
            &record,
            Status::SEC_E_ILLEGAL_MESSAGE,
            10,
            "",
        );
    }
}

/// TLS 1.3 inner plaintext as rustls judges it (RFC 8446 §5.2, §5.4): zero padding after the
/// content type is removed; a plaintext of nothing but zeros has no content type
/// (unexpected_message); more than 2^14 + 1 bytes of it, padding included, is record_overflow.
#[test]
fn tls13_padding_is_removed_and_all_padding_or_too_much_is_refused() {
    for suite in [TLS13_AES, TLS13_CHACHA] {
        let (mut ours, mut raw) = established(suite);
        let mut record = raw.seal_padded(APPLICATION_DATA, b"padded", 100);
        match ours.decrypt(&mut record).unwrap() {
            Decrypted::Data(l) => assert_eq!(&record[l.data], b"padded"),
            other => panic!("{other:?}"),
        }
        // Padding up to the limit is still fine.
        let mut record = raw.seal_padded(APPLICATION_DATA, b"x", 16384 - 1);
        match ours.decrypt(&mut record).unwrap() {
            Decrypted::Data(l) => assert_eq!(&record[l.data], b"x"),
            other => panic!("{other:?}"),
        }

        let (mut ours, mut raw) = established(suite);
        let record = raw.seal_padded(0, &[], 20);
        refused(
            &mut ours,
            &mut raw,
            &record,
            Status::SEC_E_ILLEGAL_MESSAGE,
            10,
            &format!("{suite:?}"),
        );

        let (mut ours, mut raw) = established(suite);
        let record = raw.seal_padded(APPLICATION_DATA, b"x", 16384);
        refused(
            &mut ours,
            &mut raw,
            &record,
            Status::SEC_E_ILLEGAL_MESSAGE,
            22,
            &format!("{suite:?}"),
        );
    }
}

/// A TLS 1.2 record is authenticated with the version its own header carries (as rustls
/// opens it): a record sealed as 3.1 opens as 3.1 and fails as 3.3.
#[test]
fn a_tls12_record_is_authenticated_with_its_header_version() {
    for suite in [TLS12_AES, TLS12_CHACHA] {
        let (mut ours, mut raw) = established(suite);
        let mut record = raw.seal(APPLICATION_DATA, b"relabelled");
        // Reseal with version 3.1 in both the header and the additional data.
        let seq = raw.tx.seq - 1;
        let start = if suite == TLS12_AES { 13 } else { 5 };
        let nonce = if suite == TLS12_AES {
            let mut n = raw.tx.iv;
            n[4..].copy_from_slice(&record[5..13]);
            n
        } else {
            raw.tx.seq = seq;
            raw.tx.nonce()
        };
        let plain = b"relabelled".to_vec();
        let mut body = plain.clone();
        let mut aad = tls12_aad(seq, APPLICATION_DATA, plain.len());
        aad[10] = 1;
        raw.tx
            .key
            .seal_in_place_append_tag(
                aead::Nonce::assume_unique_for_key(nonce),
                aead::Aad::from(aad),
                &mut body,
            )
            .unwrap();
        raw.tx.seq = seq + 1;
        record.truncate(start);
        record.extend_from_slice(&body);
        record[2] = 1;
        let mut copy = record.clone();
        match ours.decrypt(&mut copy).unwrap() {
            Decrypted::Data(l) => assert_eq!(&copy[l.data], b"relabelled", "{suite:?}"),
            other => panic!("{other:?}"),
        }
        // The same bytes labelled 3.3 in the header no longer authenticate.
        let mut record = raw.seal(APPLICATION_DATA, b"relabelled");
        record[2] = 1;
        refused(
            &mut ours,
            &mut raw,
            &record,
            Status::SEC_E_MESSAGE_ALTERED,
            20,
            &format!("{suite:?}"),
        );
    }
}

#[test]
fn empty_alerts_and_handshake_records_get_decode_error() {
    for suite in ALL {
        for typ in [ALERT, HANDSHAKE] {
            let (mut ours, mut raw) = established(suite);
            let record = raw.seal(typ, &[]);
            refused(
                &mut ours,
                &mut raw,
                &record,
                Status::SEC_E_INVALID_TOKEN,
                50,
                &format!("{suite:?} {typ}"),
            );
        }
    }
    // TLS 1.2: an empty plaintext header of a type that may not be empty.
    let (mut ours, mut raw) = established(TLS12_AES);
    refused(
        &mut ours,
        &mut raw,
        &[HANDSHAKE, 3, 3, 0, 0],
        Status::SEC_E_INVALID_TOKEN,
        50,
        "",
    );
}

#[test]
fn a_tls12_renegotiation_client_hello_is_declined_and_the_connection_goes_on() {
    for suite in [TLS12_AES, TLS12_CHACHA] {
        let (mut ours, mut raw) = established(suite);
        // A (minimal) ClientHello body; the server declines it before reading it.
        let hello = [&[1u8, 0, 0, 4][..], &[3, 3, 0, 0]].concat();
        let record = raw.seal(HANDSHAKE, &hello);
        let layout = match decrypt(&mut ours, &record).unwrap() {
            Decrypted::Renegotiate(layout) => layout,
            other => panic!("{other:?}"),
        };
        assert!(layout.data.is_empty());
        // The servicing ASC returns the warning as its token.
        let mut token = Vec::new();
        let step = ours.handshake(&[], &mut token).unwrap();
        assert_eq!(step.status, HandshakeStatus::Ok);
        assert_eq!(raw.open(&token), (ALERT, vec![1, 100]));
        // Application data flows both ways afterwards.
        let record = raw.seal(APPLICATION_DATA, b"still here");
        let mut buf = record.clone();
        match ours.decrypt(&mut buf).unwrap() {
            Decrypted::Data(l) => assert_eq!(&buf[l.data], b"still here"),
            other => panic!("{other:?}"),
        }
        let sizes = ours.stream_sizes().unwrap();
        let mut out = vec![0u8; sizes.header + 5 + sizes.trailer];
        out[sizes.header..sizes.header + 5].copy_from_slice(b"reply");
        let n = ours.encrypt(&mut out, 5).unwrap().total();
        assert_eq!(raw.open(&out[..n]), (APPLICATION_DATA, b"reply".to_vec()));
        // A second request is one too many (rustls allows one).
        let record = raw.seal(HANDSHAKE, &hello);
        refused(
            &mut ours,
            &mut raw,
            &record,
            Status::SEC_E_ILLEGAL_MESSAGE,
            10,
            "",
        );
    }
}

/// Sends `record()` until DecryptMessage fails; returns how many were accepted. Each accepted
/// record's `SEC_I_RENEGOTIATE` is serviced as a caller would.
fn flood(ours: &mut SecurityContext, mut record: impl FnMut() -> Vec<u8>, max: usize) -> usize {
    for accepted in 0..max {
        match decrypt(ours, &record()) {
            Ok(Decrypted::Renegotiate(_)) => {
                let mut token = Vec::new();
                ours.handshake(&[], &mut token).unwrap();
            }
            Ok(Decrypted::Data(_)) => {}
            Ok(other) => panic!("{other:?}"),
            Err(status) => {
                assert_eq!(status, Status::SEC_E_ILLEGAL_MESSAGE);
                return accepted;
            }
        }
    }
    max
}

#[test]
fn a_flood_of_warning_alerts_ends_after_four() {
    for suite in [TLS12_AES, TLS12_CHACHA] {
        let (mut ours, mut raw) = established(suite);
        // user_canceled warnings, with application data between them: never a flood.
        for _ in 0..20 {
            let accepted = flood(&mut ours, || raw.seal(ALERT, &[1, 90]), 2);
            assert_eq!(accepted, 2);
            let data = raw.seal(APPLICATION_DATA, b"x");
            assert!(matches!(decrypt(&mut ours, &data), Ok(Decrypted::Data(_))));
        }
        let accepted = flood(&mut ours, || raw.seal(ALERT, &[1, 90]), 1000);
        assert_eq!(accepted, 4, "rustls' limit: four warning alerts in a row");
        assert_alert(&mut ours, &mut raw, Status::SEC_E_ILLEGAL_MESSAGE, 10);
    }
}

#[test]
fn a_flood_of_empty_records_ends_after_thirty_two() {
    for suite in ALL {
        let (mut ours, mut raw) = established(suite);
        let accepted = flood(&mut ours, || raw.seal(APPLICATION_DATA, &[]), 1000);
        assert_eq!(accepted, 32, "{suite:?}");
        assert_alert(&mut ours, &mut raw, Status::SEC_E_ILLEGAL_MESSAGE, 10);
    }
}

#[test]
fn limits_are_configurable() {
    let limits = RecordLimits {
        empty_records: 100,
        ..RecordLimits::default()
    };
    let (ours, peer) = connect(TLS13_AES, limits);
    let (mut ours, mut raw) = (ours, Raw::take(peer, TLS13_AES));
    assert_eq!(
        flood(&mut ours, || raw.seal(APPLICATION_DATA, &[]), 1000),
        100
    );
}

/// A KeyUpdate flood from a real rustls peer (each one asks for an update, so each costs us a
/// key derivation and a sealed reply): the connection fails after rustls' 32, having done a
/// bounded amount of work, and rustls — reading our 32 replies — receives the alert.
#[test]
fn a_flood_of_key_updates_ends_after_thirty_two() {
    for suite in [TLS13_AES, TLS13_CHACHA] {
        let (mut ours, mut peer) = connect(suite, RecordLimits::default());
        let mut wire = Vec::new();
        for _ in 0..40 {
            peer.refresh_traffic_keys().unwrap();
            while peer.wants_write() {
                peer.write_tls(&mut wire).unwrap();
            }
        }
        let mut replies = Vec::new();
        let mut accepted = 0;
        let failure = loop {
            let mut buf = wire.clone();
            match ours.decrypt(&mut buf) {
                Ok(Decrypted::Renegotiate(layout)) => {
                    accepted += 1;
                    wire.drain(..layout.extra.start);
                    let mut token = Vec::new();
                    ours.handshake(&[], &mut token).unwrap();
                    assert!(!token.is_empty(), "each request gets a KeyUpdate reply");
                    replies.extend(token);
                }
                Ok(other) => panic!("{other:?}"),
                Err(e) => break e,
            }
        };
        assert_eq!(accepted, 32, "{suite:?}");
        assert_eq!(failure.status(), Status::SEC_E_ILLEGAL_MESSAGE);
        let mut alert = Vec::new();
        ours.handshake(&[], &mut alert).unwrap_err();
        // rustls reads our 32 replies (its own limit is 32 too), then the alert.
        let mut rd = &replies[..];
        while !rd.is_empty() {
            peer.read_tls(&mut rd).unwrap();
            peer.process_new_packets().unwrap();
        }
        let mut rd = &alert[..];
        peer.read_tls(&mut rd).unwrap();
        let e = peer.process_new_packets().unwrap_err();
        assert_eq!(
            e,
            rustls::Error::AlertReceived(rustls::AlertDescription::UnexpectedMessage)
        );
    }
}

/// What the KeyUpdate limit saves: the CPU time of a flood of 2,000 KeyUpdate requests without
/// the limit, against the same flood cut off by it. Printed (speed is never asserted); what is
/// asserted is that the limited connection stops after 32 records.
#[test]
fn cost_of_a_key_update_flood_with_and_without_the_limit() {
    const FLOOD: usize = 2000;
    let mut report = Vec::new();
    for (name, limits) in [
        (
            "without a limit",
            RecordLimits {
                key_updates: u32::MAX,
                ..RecordLimits::default()
            },
        ),
        ("with the default limit", RecordLimits::default()),
    ] {
        let (mut ours, mut peer) = connect(TLS13_AES, limits);
        let mut wire = Vec::new();
        for _ in 0..FLOOD {
            peer.refresh_traffic_keys().unwrap();
            while peer.wants_write() {
                peer.write_tls(&mut wire).unwrap();
            }
        }
        let start = std::time::Instant::now();
        let mut offset = 0;
        let mut accepted = 0;
        let mut token = Vec::new();
        while offset < wire.len() {
            match ours.decrypt(&mut wire[offset..]) {
                Ok(Decrypted::Renegotiate(layout)) => {
                    accepted += 1;
                    offset += layout.extra.start;
                    token.clear();
                    ours.handshake(&[], &mut token).unwrap();
                }
                Ok(other) => panic!("{other:?}"),
                Err(_) => break,
            }
        }
        let elapsed = start.elapsed();
        report.push(format!(
            "{name}: {accepted} KeyUpdates processed in {elapsed:?}"
        ));
        if limits.key_updates == u32::MAX {
            assert_eq!(accepted, FLOOD);
        } else {
            assert_eq!(accepted, 32);
        }
    }
    eprintln!("KeyUpdate flood of {FLOOD}: {}", report.join("; "));
}
