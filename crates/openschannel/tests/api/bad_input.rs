//! Malformed, hostile and out-of-order input: the contract's status, never a panic, and a
//! fatal error stays latched.

use openschannel_test_support as common;

use common::{client_credentials, pki, server_credentials, Endpoint, KeyKind, Pair};
use openschannel::{
    AlertLevel, Certificate, ContextOptions, ControlToken, Credentials, Decrypted, HandshakeStatus,
    PrivateKey, Protocols, SecurityContext, ServerValidation, Status,
};

fn pair(protocols: Protocols) -> Pair {
    let c = client_credentials(KeyKind::EcdsaP256, protocols);
    let s = server_credentials(KeyKind::EcdsaP256, protocols);
    let mut p = Pair::new(&c, &s, usize::MAX);
    p.handshake().unwrap();
    p
}

const BOTH: [Protocols; 2] = [Protocols::TLS12_ONLY, Protocols::TLS13_ONLY];

#[test]
fn garbage_into_accept_is_invalid_token_with_a_decode_error_alert() {
    let s = server_credentials(KeyKind::EcdsaP256, Protocols::ALL);
    for (garbage, alert) in [
        (&b"GET / HTTP/1.1\r\nHost: x\r\n\r\n"[..], 50),
        // An SSLv2-format ClientHello.
        (b"\x80\x2e\x01\x03\x01", 50),
        (b"\x16\x02\x01\x00\x10", 50),
        // A ClientHello record longer than TLS allows.
        (b"\x16\x03\x01\x48\x01", 22),
    ] {
        let mut server = SecurityContext::server(&s, ContextOptions::default()).unwrap();
        let mut out = Vec::new();
        let e = server.handshake(garbage, &mut out).unwrap_err();
        assert_eq!(e.status(), Status::SEC_E_INVALID_TOKEN);
        // No token; what the error's output holds is SECBUFFER_ALERT: the plaintext fatal
        // alert rustls sends for bytes that are no TLS record (no keys exist yet).
        assert_eq!(out, [21, 3, 3, 0, 2, 2, alert], "{garbage:?}");
        out.clear();
        // Latched.
        let e2 = server
            .handshake(b"\x16\x03\x01\x00\x01\x01", &mut out)
            .unwrap_err();
        assert_eq!(e2.status(), Status::SEC_E_INVALID_TOKEN);
    }
    // A plaintext handshake record over 2^14 bytes (RFC 8446 §5.1): record_overflow.
    let mut big = vec![22u8, 3, 1, 0x40, 0x01];
    big.resize(5 + 16385, 0);
    let mut server = SecurityContext::server(&s, ContextOptions::default()).unwrap();
    let mut out = Vec::new();
    let e = server.handshake(&big, &mut out).unwrap_err();
    assert_eq!(e.status(), Status::SEC_E_INVALID_TOKEN);
    assert_eq!(out, [21, 3, 3, 0, 2, 2, 22]);
    // A well-framed record whose content is not a ClientHello: rustls decides.
    let mut server = SecurityContext::server(&s, ContextOptions::default()).unwrap();
    let mut out = Vec::new();
    let e = server
        .handshake(b"\x16\x03\x01\x00\x04\x01\x00\x00\x00", &mut out)
        .unwrap_err();
    assert!(e.status().is_error());
    assert!(
        !out.is_empty(),
        "rustls' fatal alert goes out (SECBUFFER_ALERT)"
    );
    assert_eq!(out[0], 21, "an alert record");
}

#[test]
fn missing_counts_during_the_handshake_follow_windows() {
    let c = client_credentials(KeyKind::EcdsaP256, Protocols::TLS13_ONLY);
    let s = server_credentials(KeyKind::EcdsaP256, Protocols::TLS13_ONLY);
    let mut client =
        SecurityContext::client(&c, Some("localhost"), ContextOptions::default()).unwrap();
    let mut hello = Vec::new();
    assert_eq!(
        client.handshake(&[], &mut hello).unwrap().status,
        HandshakeStatus::ContinueNeeded
    );
    let mut server = SecurityContext::server(&s, ContextOptions::default()).unwrap();
    // ASC on a partial ClientHello: nothing consumed, exact missing count.
    for cut in [0usize, 4, 5, hello.len() - 1] {
        let mut out = Vec::new();
        let o = server.handshake(&hello[..cut], &mut out).unwrap();
        let expect = if cut < 5 { 5 - cut } else { hello.len() - cut };
        assert_eq!(
            o,
            openschannel::HandshakeOutcome {
                status: HandshakeStatus::IncompleteMessage { missing: expect },
                consumed: 0,
            }
        );
        assert!(out.is_empty());
    }
    let mut flight = Vec::new();
    assert_eq!(
        server.handshake(&hello, &mut flight).unwrap().status,
        HandshakeStatus::ContinueNeeded
    );
    // ISC: 0 bytes → MISSING 5, 4 bytes → 1, exactly a header → the rest of the record.
    let first = 5 + usize::from(u16::from_be_bytes([flight[3], flight[4]]));
    for (cut, expect) in [(0usize, 5usize), (4, 1), (5, first - 5)] {
        let mut out = Vec::new();
        let o = client.handshake(&flight[..cut], &mut out).unwrap();
        assert_eq!(
            o.status,
            HandshakeStatus::IncompleteMessage { missing: expect }
        );
        assert_eq!(o.consumed, 0);
        assert!(
            out.is_empty(),
            "output untouched on SEC_E_INCOMPLETE_MESSAGE"
        );
    }
    // One whole record plus part of the next: the whole one is consumed, the rest is EXTRA.
    let mut out = Vec::new();
    let o = client.handshake(&flight[..first + 3], &mut out).unwrap();
    assert_eq!(
        (o.status, o.consumed),
        (HandshakeStatus::ContinueNeeded, first)
    );
}

#[test]
fn decrypt_incomplete_records_consume_nothing_and_modify_nothing() {
    for protocols in BOTH {
        let mut p = pair(protocols);
        p.server.send(b"ping", &mut p.s2c).unwrap();
        let wire: Vec<u8> = p.s2c.bytes.drain(..).collect();
        // (TLS 1.3: the wire starts with the session tickets; cut inside the first record.)
        let first = 5 + usize::from(u16::from_be_bytes([wire[3], wire[4]]));
        for cut in [0usize, 1, 4, 5, first - 1] {
            let mut buf = wire[..cut].to_vec();
            let before = buf.clone();
            let d = p.client.ctx.decrypt(&mut buf).unwrap();
            let expect = if cut < 5 { 5 - cut } else { first - cut };
            assert_eq!(d, Decrypted::IncompleteMessage { missing: expect });
            assert_eq!(buf, before);
        }
        p.s2c.bytes.extend(wire);
        let mut got = Vec::new();
        p.client.recv(&mut p.s2c, &mut p.c2s, &mut got);
        assert_eq!(got, b"ping");
    }
}

fn assert_latched(ctx: &mut SecurityContext, status: Status) {
    let mut buf = vec![23u8, 3, 3, 0, 20];
    buf.extend_from_slice(&[0u8; 20]);
    assert_eq!(ctx.decrypt(&mut buf).unwrap_err().status(), status);
    let mut rec = vec![0u8; 64];
    assert_eq!(ctx.encrypt(&mut rec, 2).unwrap_err().status(), status);
    let mut out = Vec::new();
    assert_eq!(ctx.handshake(&[], &mut out).unwrap_err().status(), status);
    assert!(ctx.failure().is_some());
}

#[test]
fn a_tampered_record_is_message_altered_and_fatal() {
    for protocols in BOTH {
        let mut p = pair(protocols);
        assert_eq!(p.server_to_client(b"warm"), b"warm");
        p.server.send(b"secret data", &mut p.s2c).unwrap();
        let mut rec: Vec<u8> = p.s2c.bytes.drain(..).collect();
        let last = rec.len() - 1;
        rec[last] ^= 0x01;
        let e = p.client.ctx.decrypt(&mut rec).unwrap_err();
        assert_eq!(e.status(), Status::SEC_E_MESSAGE_ALTERED, "{protocols:?}");
        assert_latched(&mut p.client.ctx, Status::SEC_E_MESSAGE_ALTERED);
    }
}

#[test]
fn oversized_records_and_unknown_content_types_are_invalid_tokens() {
    for protocols in BOTH {
        // 2^14 + 256 + 1 bytes of payload: too long for TLS 1.3; 2^14 + 2048 + 1: for TLS 1.2.
        let len: u16 = if protocols == Protocols::TLS13_ONLY {
            16641
        } else {
            18433
        };
        let mut p = pair(protocols);
        let mut rec = vec![23u8, 3, 3];
        rec.extend_from_slice(&len.to_be_bytes());
        let e = p.client.ctx.decrypt(&mut rec).unwrap_err();
        assert_eq!(e.status(), Status::SEC_E_INVALID_TOKEN);
        assert_latched(&mut p.client.ctx, Status::SEC_E_INVALID_TOKEN);

        let mut p = pair(protocols);
        let mut rec = vec![99u8, 3, 3, 0, 1, 0];
        let e = p.server.ctx.decrypt(&mut rec).unwrap_err();
        assert_eq!(e.status(), Status::SEC_E_INVALID_TOKEN);

        // A plaintext handshake record after the handshake: rustls rejects it.
        let mut p = pair(protocols);
        let mut rec = vec![22u8, 3, 3, 0, 4, 1, 0, 0, 0];
        let e = p.server.ctx.decrypt(&mut rec).unwrap_err();
        assert!(e.status().is_error(), "{e}");
    }
}

#[test]
fn encrypt_checks_sizes_without_failing_the_context() {
    let mut p = pair(Protocols::TLS13_ONLY);
    let sizes = p.client.ctx.stream_sizes().unwrap();
    let mut big = vec![0u8; sizes.header + 16385 + sizes.trailer];
    let e = p.client.ctx.encrypt(&mut big, 16385).unwrap_err();
    assert_eq!(e.status(), Status::SEC_E_INVALID_PARAMETER);
    let (mut h, mut d, mut t) = (vec![0u8; 4], b"abc".to_vec(), vec![0u8; 17]);
    let e = p
        .client
        .ctx
        .encrypt_parts(&mut h, &mut d, &mut t)
        .unwrap_err();
    assert_eq!(e.status(), Status::SEC_E_BUFFER_TOO_SMALL);
    let (mut h, mut t) = (vec![0u8; 5], vec![0u8; 16]);
    let e = p
        .client
        .ctx
        .encrypt_parts(&mut h, &mut d, &mut t)
        .unwrap_err();
    assert_eq!(e.status(), Status::SEC_E_BUFFER_TOO_SMALL);
    // Larger regions are fine: exactly cbHeader/cbTrailer bytes are written.
    let (mut h, mut t) = (vec![0xEEu8; 40], vec![0xEEu8; 40]);
    let w = p.client.ctx.encrypt_parts(&mut h, &mut d, &mut t).unwrap();
    assert_eq!((w.header, w.data, w.trailer), (5, 3, 17));
    assert!(h[5..].iter().all(|b| *b == 0xEE) && t[17..].iter().all(|b| *b == 0xEE));
    let mut record = h[..5].to_vec();
    record.extend_from_slice(&d);
    record.extend_from_slice(&t[..17]);
    p.c2s.send(&record);
    let mut got = Vec::new();
    p.server.recv(&mut p.c2s, &mut p.s2c, &mut got);
    assert_eq!(got, b"abc");
    // Empty data: no record, nothing to send.
    let (mut h, mut d, mut t) = (vec![0u8; 5], Vec::new(), vec![0u8; 17]);
    let w = p.client.ctx.encrypt_parts(&mut h, &mut d, &mut t).unwrap();
    assert_eq!(w.total(), 0);
    assert!(p.client.ctx.failure().is_none());
}

#[test]
fn calls_before_the_handshake_completes_are_refused() {
    let c = client_credentials(KeyKind::EcdsaP256, Protocols::ALL);
    let mut client =
        SecurityContext::client(&c, Some("localhost"), ContextOptions::default()).unwrap();
    assert_eq!(
        client.stream_sizes().unwrap_err().status(),
        Status::SEC_E_INVALID_HANDLE
    );
    let mut buf = vec![23u8, 3, 3, 0, 0];
    assert_eq!(
        client.decrypt(&mut buf).unwrap_err().status(),
        Status::SEC_E_INVALID_HANDLE
    );
    assert_eq!(
        client.encrypt(&mut [0u8; 64], 1).unwrap_err().status(),
        Status::SEC_E_INVALID_HANDLE
    );
    assert!(client.connection_info().is_err());
    // None of that is fatal: the handshake still works.
    let s = server_credentials(KeyKind::EcdsaP256, Protocols::ALL);
    let mut p = Pair::new(&c, &s, usize::MAX);
    p.client = Endpoint::new(client, usize::MAX);
    p.handshake().unwrap();
}

#[test]
fn renegotiation_attempts_on_an_established_context_are_unsupported() {
    let mut p = pair(Protocols::TLS12_ONLY);
    let mut out = Vec::new();
    let e = p
        .client
        .ctx
        .handshake(b"\x16\x03\x03\x00\x04\x01\x00\x00\x00", &mut out)
        .unwrap_err();
    assert_eq!(e.status(), Status::SEC_E_UNSUPPORTED_FUNCTION);
    // Not fatal.
    assert_eq!(p.client_to_server(b"still fine"), b"still fine");
}

/// The received-alert mapping of contract §3.3, exercised with real alert records.
#[test]
fn received_fatal_alerts_map_to_the_contract_statuses() {
    let cases = [
        (40u8, Status::SEC_E_ILLEGAL_MESSAGE),
        (42, Status::SEC_E_CERT_UNKNOWN),
        (45, Status::SEC_E_CERT_EXPIRED),
        (48, Status::SEC_E_UNTRUSTED_ROOT),
        (49, Status::SEC_E_LOGON_DENIED),
        (51, Status::SEC_E_DECRYPT_FAILURE),
        (70, Status::SEC_E_UNSUPPORTED_FUNCTION),
        (71, Status::SEC_E_ALGORITHM_MISMATCH),
        (80, Status::SEC_E_INTERNAL_ERROR),
        (120, Status::SEC_E_APPLICATION_PROTOCOL_MISMATCH),
    ];
    let c = client_credentials(KeyKind::EcdsaP256, Protocols::ALL);
    let s = server_credentials(KeyKind::EcdsaP256, Protocols::ALL);
    for (alert, status) in cases {
        // The server answers the ClientHello with a fatal alert (SCHANNEL_ALERT + ASC).
        let mut client =
            SecurityContext::client(&c, Some("localhost"), ContextOptions::default()).unwrap();
        let mut hello = Vec::new();
        client.handshake(&[], &mut hello).unwrap();
        let mut server = SecurityContext::server(&s, ContextOptions::default()).unwrap();
        server
            .apply_control_token(ControlToken::Alert {
                level: AlertLevel::Fatal,
                description: alert,
            })
            .unwrap();
        let mut token = Vec::new();
        assert_eq!(
            server.handshake(&hello, &mut token).unwrap().status,
            HandshakeStatus::Ok
        );
        assert_eq!(token, [21, 3, 3, 0, 2, 2, alert]);
        let mut out = Vec::new();
        let e = client.handshake(&token, &mut out).unwrap_err();
        assert_eq!(e.status(), status, "alert {alert}");
    }
}

#[test]
fn certificate_validation_failures_carry_windows_statuses() {
    let s = server_credentials(KeyKind::EcdsaP256, Protocols::ALL);
    let run = |c: &Credentials, target: &str| -> Result<(), (Status, Status)> {
        let mut client =
            SecurityContext::client(c, Some(target), ContextOptions::default()).unwrap();
        let mut p = Pair::new(c, &s, usize::MAX);
        p.client = Endpoint::new(
            std::mem::replace(
                &mut client,
                SecurityContext::server(&s, Default::default()).unwrap(),
            ),
            usize::MAX,
        );
        match p.handshake() {
            Ok(()) => Ok(()),
            Err(st) => {
                // The client's alert reaches the server.
                let _ = p.server.handshake_step(&mut p.c2s, &mut p.s2c);
                Err((st, *p.server.statuses.last().unwrap()))
            }
        }
    };
    // Trusting another CA: untrusted root; the server hears unknown_ca.
    let other = pki(KeyKind::Rsa2048);
    let untrusting = Credentials::client()
        .validation(ServerValidation::Roots(vec![other.ca.clone()]))
        .build()
        .unwrap();
    assert_eq!(
        run(&untrusting, "localhost"),
        Err((Status::SEC_E_UNTRUSTED_ROOT, Status::SEC_E_UNTRUSTED_ROOT))
    );
    // Wrong name.
    let trusting = client_credentials(KeyKind::EcdsaP256, Protocols::ALL);
    assert_eq!(
        run(&trusting, "other.example").map_err(|e| e.0),
        Err(Status::SEC_E_WRONG_PRINCIPAL)
    );
    // IP-address target matched against the IP SAN.
    assert_eq!(run(&trusting, "127.0.0.1"), Ok(()));
    // Name check off (SCH_CRED_NO_SERVERNAME_CHECK): passes; the chain is still checked.
    let no_name = Credentials::client()
        .validation(ServerValidation::Roots(vec![pki(KeyKind::EcdsaP256)
            .ca
            .clone()]))
        .check_server_name(false)
        .build()
        .unwrap();
    assert_eq!(run(&no_name, "other.example"), Ok(()));
    let no_name_untrusted = Credentials::client()
        .validation(ServerValidation::Roots(vec![other.ca.clone()]))
        .check_server_name(false)
        .build()
        .unwrap();
    assert_eq!(
        run(&no_name_untrusted, "other.example").map_err(|e| e.0),
        Err(Status::SEC_E_UNTRUSTED_ROOT)
    );
    // Manual validation: anything goes, and the caller sees the chain.
    let manual = Credentials::client()
        .validation(ServerValidation::Manual)
        .build()
        .unwrap();
    assert_eq!(run(&manual, "other.example"), Ok(()));
}

#[test]
fn credentials_reject_what_windows_rejects() {
    let p = pki(KeyKind::EcdsaP256);
    let none = Protocols {
        tls12: false,
        tls13: false,
    };
    assert_eq!(
        Credentials::client()
            .protocols(none)
            .build()
            .unwrap_err()
            .status(),
        Status::SEC_E_ALGORITHM_MISMATCH
    );
    assert_eq!(
        Credentials::server(p.chain.clone(), p.key())
            .protocols(none)
            .build()
            .unwrap_err()
            .status(),
        Status::SEC_E_ALGORITHM_MISMATCH
    );
    // TLS 1.3 suites only, with TLS 1.2 only: nothing usable.
    assert_eq!(
        Credentials::client()
            .protocols(Protocols::TLS12_ONLY)
            .cipher_suites(vec![openschannel::CipherSuite::TLS13_AES_128_GCM_SHA256])
            .build()
            .unwrap_err()
            .status(),
        Status::SEC_E_ALGORITHM_MISMATCH
    );
    // A key that does not match the certificate.
    let other = pki(KeyKind::EcdsaP384);
    assert_eq!(
        Credentials::server(p.chain.clone(), other.key())
            .build()
            .unwrap_err()
            .status(),
        Status::SEC_E_UNKNOWN_CREDENTIALS
    );
    assert_eq!(
        Credentials::server(Vec::new(), p.key())
            .build()
            .unwrap_err()
            .status(),
        Status::SEC_E_NO_CREDENTIALS
    );
    assert!(Certificate::pem_chain(b"not pem").is_err());
    assert_eq!(
        PrivateKey::from_pem(b"nothing").unwrap_err().status(),
        Status::SEC_E_NO_CREDENTIALS
    );
    assert_eq!(
        PrivateKey::from_der(b"\x01\x02\x03").unwrap_err().status(),
        Status::SEC_E_NO_CREDENTIALS
    );
    // Key-shaped garbage is caught when the credential is built.
    let shaped = PrivateKey::from_der(b"\x30\x03\x02\x01\x00").unwrap();
    assert_eq!(
        Credentials::server(p.chain.clone(), shaped)
            .build()
            .unwrap_err()
            .status(),
        Status::SEC_E_UNKNOWN_CREDENTIALS
    );
    // PEM round trip works for every key type.
    for kind in [
        KeyKind::EcdsaP256,
        KeyKind::EcdsaP384,
        KeyKind::Rsa2048,
        KeyKind::Ed25519,
    ] {
        let p = pki(kind);
        let chain = Certificate::pem_chain(p.cert_pem.as_bytes()).unwrap();
        assert_eq!(chain.len(), 2);
        let key = PrivateKey::from_pem(p.key_pem.as_bytes()).unwrap();
        Credentials::server(chain, key).build().unwrap();
    }
    // Wrong role.
    let server = server_credentials(KeyKind::EcdsaP256, Protocols::ALL);
    assert_eq!(
        SecurityContext::client(&server, Some("x"), ContextOptions::default())
            .unwrap_err()
            .status(),
        Status::SEC_E_NO_CREDENTIALS
    );
    let client = client_credentials(KeyKind::EcdsaP256, Protocols::ALL);
    assert_eq!(
        SecurityContext::server(&client, ContextOptions::default())
            .unwrap_err()
            .status(),
        Status::SEC_E_NO_CREDENTIALS
    );
    assert_eq!(
        SecurityContext::client(&client, Some("bad name!"), ContextOptions::default())
            .unwrap_err()
            .status(),
        Status::SEC_E_TARGET_UNKNOWN
    );
    assert!(Credentials::client().max_fragment_size(10).build().is_err());
}

/// Found by fuzzing (handshake_client): a close_notify alert with a fatal or unknown level
/// during the handshake is an error with an error status — never SEC_I_CONTEXT_EXPIRED inside
/// an `Err`.
#[test]
fn a_rejected_close_notify_during_the_handshake_is_an_error_status() {
    let c = client_credentials(KeyKind::EcdsaP256, Protocols::ALL);
    for level in [2u8, 42] {
        let mut client =
            SecurityContext::client(&c, Some("localhost"), ContextOptions::default()).unwrap();
        let mut hello = Vec::new();
        client.handshake(&[], &mut hello).unwrap();
        let mut out = Vec::new();
        let e = client
            .handshake(&[21, 3, 3, 0, 2, level, 0], &mut out)
            .unwrap_err();
        assert!(e.status().is_error(), "level {level}: {e}");
        assert_eq!(e.status(), Status::SEC_E_ILLEGAL_MESSAGE, "level {level}");
    }
}

/// A ClientHello followed by a zero-length handshake record (the input of a handshake_server
/// fuzz finding), delivered whole or in chunks, fails the handshake cleanly and stays failed
/// (rustls asserts, in debug builds, that it never sends a second fatal alert).
#[test]
fn a_zero_length_handshake_record_after_the_client_hello_fails_cleanly() {
    let c = client_credentials(KeyKind::EcdsaP256, Protocols::TLS13_ONLY);
    let s = server_credentials(KeyKind::EcdsaP256, Protocols::TLS13_ONLY);
    let mut client =
        SecurityContext::client(&c, Some("localhost"), ContextOptions::default()).unwrap();
    let mut input = Vec::new();
    client.handshake(&[], &mut input).unwrap();
    input.extend_from_slice(&[22, 3, 3, 0, 0]);
    for chunk in [usize::MAX, 256, 1] {
        let mut server = SecurityContext::server(&s, ContextOptions::default()).unwrap();
        let (mut inbox, mut fed, mut failed) = (Vec::new(), 0, None);
        for _ in 0..10_000 {
            let mut out = Vec::new();
            match server.handshake(&inbox, &mut out) {
                Ok(o) => {
                    inbox.drain(..o.consumed);
                    if fed == input.len() {
                        break;
                    }
                    let n = chunk.min(input.len() - fed);
                    inbox.extend_from_slice(&input[fed..fed + n]);
                    fed += n;
                }
                Err(e) => {
                    failed = Some(e.status());
                    break;
                }
            }
        }
        let status = failed.expect("the empty record must fail the handshake");
        assert!(status.is_error());
        // Latched, and still no panic.
        let mut out = Vec::new();
        assert_eq!(
            server.handshake(&inbox, &mut out).unwrap_err().status(),
            status
        );
    }
}

/// After a handshake-level failure (here: no common protocol version) with more records in the
/// same buffer, exactly one alert goes out and nothing panics. (Fuzzing handshake_server found
/// a path where records rustls had consumed were presented again while collecting the alert,
/// making it try to send a second fatal alert; `fail` now drains what rustls discards.)
#[test]
fn a_failed_client_hello_followed_by_more_records_fails_once() {
    let c = client_credentials(KeyKind::EcdsaP256, Protocols::TLS12_ONLY);
    let s = server_credentials(KeyKind::EcdsaP256, Protocols::TLS13_ONLY);
    for tail in [
        &[22u8, 3, 3, 0, 0][..],
        &[23, 3, 3, 0, 1, 0],
        &[21, 3, 3, 0, 2, 2, 40],
    ] {
        let mut client =
            SecurityContext::client(&c, Some("localhost"), ContextOptions::default()).unwrap();
        let mut input = Vec::new();
        client.handshake(&[], &mut input).unwrap();
        input.extend_from_slice(tail);
        let mut server = SecurityContext::server(&s, ContextOptions::default()).unwrap();
        let mut out = Vec::new();
        let e = server.handshake(&input, &mut out).unwrap_err();
        assert_eq!(e.status(), Status::SEC_E_ALGORITHM_MISMATCH);
        assert_eq!(out[0], 21, "one alert record goes out");
        assert_eq!(out.len(), 7, "exactly one alert");
    }
}
