//! The five-step shutdown procedure, initiated by either side, under both versions; TLS 1.3
//! half-close; data sharing a buffer with close_notify; truncation is never a clean close.

use openschannel_test_support as common;

use common::{client_credentials, server_credentials, Endpoint, KeyKind, Pair, RecvEnd, Wire};
use openschannel::{ControlToken, Decrypted, HandshakeStatus, Protocol, Protocols, Status};

const VERSIONS: [(Protocols, Protocol); 2] = [
    (Protocols::TLS12_ONLY, Protocol::Tls12),
    (Protocols::TLS13_ONLY, Protocol::Tls13),
];

fn pair(protocols: Protocols) -> Pair {
    let c = client_credentials(KeyKind::EcdsaP256, protocols);
    let s = server_credentials(KeyKind::EcdsaP256, protocols);
    let mut p = Pair::new(&c, &s, usize::MAX);
    p.handshake().unwrap();
    p
}

/// Asserts `token` is exactly one close_notify record as Schannel produces it on an
/// established connection (TLS 1.2 AES-GCM: 31 bytes, type 21; TLS 1.3: 24 bytes, outer
/// type 23).
fn assert_close_notify_record(token: &[u8], protocol: Protocol) {
    match protocol {
        Protocol::Tls12 => {
            assert_eq!(token.len(), 31, "5 + 8 nonce + 2 alert + 16 tag");
            assert_eq!(token[0], 21);
        }
        Protocol::Tls13 => {
            assert_eq!(token.len(), 24, "5 + 2 alert + 1 type + 16 tag");
            assert_eq!(token[0], 23);
        }
    }
    assert_eq!(&token[1..3], &[3, 3]);
    assert_eq!(
        usize::from(u16::from_be_bytes([token[3], token[4]])),
        token.len() - 5
    );
}

/// `initiator` runs the five steps; the other side recognises SEC_I_CONTEXT_EXPIRED and runs
/// the same five steps; nothing is lost on either side.
fn shutdown_initiated_by(client_first: bool, protocol: Protocol, protocols: Protocols) {
    let mut p = pair(protocols);
    // Traffic in flight both ways before the close.
    let last_c = b"last words from the client".to_vec();
    let last_s = b"last words from the server".to_vec();
    p.client.send(&last_c, &mut p.c2s).unwrap();
    p.server.send(&last_s, &mut p.s2c).unwrap();
    let Pair {
        client,
        server,
        c2s,
        s2c,
    } = &mut p;
    // `a`: initiator → peer wire; `b`: peer → initiator wire.
    let (first, second, a, b, first_last, second_last) = if client_first {
        (client, server, c2s, s2c, &last_c, &last_s)
    } else {
        (server, client, s2c, c2s, &last_s, &last_c)
    };
    // Steps 1-4 on the initiator.
    let token = first.shutdown(a);
    assert_close_notify_record(&token, protocol);
    assert!(first.ctx.is_write_closed());
    // Encrypt now refuses (not fatal).
    let mut rec = vec![0u8; 64];
    let err = first.ctx.encrypt(&mut rec, 4).unwrap_err();
    assert_eq!(err.status(), Status::SEC_E_CONTEXT_EXPIRED);
    // A later ISC/ASC with no input and nothing pending: SEC_E_INCOMPLETE_MESSAGE, as Windows.
    let mut out = Vec::new();
    let o = first.ctx.handshake(&[], &mut out).unwrap();
    assert_eq!(o.status, HandshakeStatus::IncompleteMessage { missing: 5 });
    assert!(out.is_empty());

    // The peer receives the pending data first, then SEC_I_CONTEXT_EXPIRED.
    let mut got = Vec::new();
    assert_eq!(second.recv(a, b, &mut got), RecvEnd::Expired);
    assert_eq!(&got, first_last);
    assert!(second.ctx.is_read_closed());
    // SEC_I_CONTEXT_EXPIRED is repeated on later calls.
    let mut empty: Vec<u8> = Vec::new();
    assert!(matches!(
        second.ctx.decrypt(&mut empty).unwrap(),
        Decrypted::ContextExpired(_)
    ));
    // The peer runs the same five steps.
    let token2 = second.shutdown(b);
    assert_close_notify_record(&token2, protocol);

    // The initiator still decrypts (it must read the peer's close_notify): data first.
    let mut got = Vec::new();
    assert_eq!(
        first.recv(b, &mut Wire::default(), &mut got),
        RecvEnd::Expired
    );
    assert_eq!(&got, second_last);
    assert!(first.ctx.is_read_closed() && second.ctx.is_write_closed());
}

#[test]
fn client_initiated_shutdown_both_versions() {
    for (protocols, protocol) in VERSIONS {
        shutdown_initiated_by(true, protocol, protocols);
    }
}

#[test]
fn server_initiated_shutdown_both_versions() {
    for (protocols, protocol) in VERSIONS {
        shutdown_initiated_by(false, protocol, protocols);
    }
}

#[test]
fn tls13_half_close_server_keeps_sending_after_client_close_notify() {
    let mut p = pair(Protocols::TLS13_ONLY);
    p.client.shutdown(&mut p.c2s);
    let mut got = Vec::new();
    assert_eq!(
        p.server.recv(&mut p.c2s, &mut p.s2c, &mut got),
        RecvEnd::Expired
    );
    // TLS 1.3: the server's write direction is still open.
    let reply = common::pattern(40_000, 7);
    p.server.send(&reply, &mut p.s2c).unwrap();
    let mut got = Vec::new();
    let end = p.client.recv(&mut p.s2c, &mut p.c2s, &mut got);
    assert!(matches!(end, RecvEnd::Starved(_)), "{end:?}");
    assert_eq!(got, reply, "client decrypts after its own close_notify");
    p.server.shutdown(&mut p.s2c);
    assert_eq!(
        p.client.recv(&mut p.s2c, &mut p.c2s, &mut Vec::new()),
        RecvEnd::Expired
    );
}

#[test]
fn data_in_the_same_buffer_as_close_notify_is_all_delivered_first() {
    for (protocols, _) in VERSIONS {
        let mut p = pair(protocols);
        // Drain any tickets first so the buffer holds exactly data records + close_notify.
        assert_eq!(p.server_to_client(b"warm-up"), b"warm-up");
        let mut expected = Vec::new();
        for i in 0..5 {
            let chunk = common::pattern(1000 + i, i as u64);
            p.server.send(&chunk, &mut p.s2c).unwrap();
            expected.extend_from_slice(&chunk);
        }
        p.server.shutdown(&mut p.s2c);
        // Bytes after the close_notify must be reported as extra, never decrypted.
        p.s2c.send(b"\x17\x03\x03\x00\x05junk!");
        let mut inbox: Vec<u8> = p.s2c.bytes.drain(..).collect();
        let total = inbox.len();
        let mut got = Vec::new();
        let mut statuses = Vec::new();
        loop {
            let d = p.client.ctx.decrypt(&mut inbox).unwrap();
            statuses.push(d.status());
            match d {
                Decrypted::Data(l) => {
                    got.extend_from_slice(&inbox[l.data.clone()]);
                    inbox.drain(..l.extra.start);
                }
                Decrypted::Renegotiate(l) => {
                    inbox.drain(..l.extra.start);
                    let mut t = Vec::new();
                    p.client.ctx.handshake(&inbox, &mut t).unwrap();
                }
                Decrypted::ContextExpired(l) => {
                    assert_eq!(l.extra.len(), 10, "junk after close_notify is extra");
                    assert_eq!(&inbox[l.extra.clone()], b"\x17\x03\x03\x00\x05junk!");
                    break;
                }
                Decrypted::IncompleteMessage { .. } => panic!("all {total} bytes were present"),
            }
        }
        assert_eq!(got, expected);
        assert_eq!(
            statuses.iter().filter(|s| **s == Status::SEC_E_OK).count(),
            5
        );
        // Even on a repeated call the junk is never decrypted.
        let d = p.client.ctx.decrypt(&mut inbox).unwrap();
        assert_eq!(d.status(), Status::SEC_I_CONTEXT_EXPIRED);
        assert_eq!(d.layout().unwrap().extra, 0..inbox.len());
    }
}

#[test]
fn a_stream_that_ends_without_close_notify_never_yields_context_expired() {
    for (protocols, _) in VERSIONS {
        let mut p = pair(protocols);
        let data = common::pattern(50_000, 3);
        p.server.send(&data, &mut p.s2c).unwrap();
        // Cut the stream at every kind of place: mid-header, mid-record, at a boundary.
        let wire: Vec<u8> = p.s2c.bytes.drain(..).collect();
        for cut in [0, 3, 5, 100, wire.len() / 2, wire.len() - 1, wire.len()] {
            let c = client_credentials(KeyKind::EcdsaP256, protocols);
            let s = server_credentials(KeyKind::EcdsaP256, protocols);
            let mut q = Pair::new(&c, &s, usize::MAX);
            q.handshake().unwrap();
            q.server.send(&data, &mut q.s2c).unwrap();
            let all: Vec<u8> = q.s2c.bytes.drain(..).collect();
            q.s2c.bytes.extend(&all[..cut.min(all.len())]);
            let mut got = Vec::new();
            let end = q.client.recv(&mut q.s2c, &mut q.c2s, &mut got);
            assert!(matches!(end, RecvEnd::Starved(_)), "cut {cut}: {end:?}");
            assert!(!q.client.statuses.contains(&Status::SEC_I_CONTEXT_EXPIRED));
            assert!(!q.client.ctx.is_read_closed());
            assert!(data.starts_with(&got));
        }
    }
}

#[test]
fn shutdown_before_the_handshake_finishes_sends_a_plaintext_close_notify() {
    let c = client_credentials(KeyKind::EcdsaP256, Protocols::ALL);
    let s = server_credentials(KeyKind::EcdsaP256, Protocols::ALL);
    // Client: after its ClientHello.
    let mut client = Endpoint::client(&c, usize::MAX);
    let mut hello = Vec::new();
    let o = client.ctx.handshake(&[], &mut hello).unwrap();
    assert_eq!(o.status, HandshakeStatus::ContinueNeeded);
    client
        .ctx
        .apply_control_token(ControlToken::Shutdown)
        .unwrap();
    client
        .ctx
        .apply_control_token(ControlToken::Shutdown)
        .unwrap(); // idempotent
    let mut token = Vec::new();
    // Input is ignored (and reported unconsumed).
    let o = client.ctx.handshake(&[0xAB; 1000], &mut token).unwrap();
    assert_eq!((o.status, o.consumed), (HandshakeStatus::Ok, 0));
    // Plaintext, with the record version our ClientHello's record carried (3.1), as Windows
    // writes it (Wine's test_connection_shutdown: 15 03 01 00 02 01 00).
    assert_eq!(&hello[1..3], &[3, 1]);
    assert_eq!(token, [21, 3, 1, 0, 2, 1, 0]);
    // Repeated: the same close_notify again.
    client
        .ctx
        .apply_control_token(ControlToken::Shutdown)
        .unwrap();
    let mut again = Vec::new();
    assert_eq!(
        client.ctx.handshake(&[], &mut again).unwrap().status,
        HandshakeStatus::Ok
    );
    assert_eq!(again, token);
    // Nothing pending any more: ISC with no input → SEC_E_INCOMPLETE_MESSAGE.
    let mut none = Vec::new();
    let o = client.ctx.handshake(&[], &mut none).unwrap();
    assert_eq!(o.status, HandshakeStatus::IncompleteMessage { missing: 5 });

    // Server: a fatal alert before any keys exist (SCHANNEL_ALERT).
    let mut server = Endpoint::server(&s, usize::MAX);
    let mut out = Vec::new();
    server.ctx.handshake(&hello, &mut out).unwrap();
    let fresh = openschannel::SecurityContext::server(&s, Default::default()).unwrap();
    drop(fresh);
    let mut server2 = Endpoint::server(&s, usize::MAX);
    server2
        .ctx
        .apply_control_token(ControlToken::Alert {
            level: openschannel::AlertLevel::Fatal,
            description: 42,
        })
        .unwrap();
    let mut alert = Vec::new();
    assert_eq!(
        server2.ctx.handshake(&[], &mut alert).unwrap().status,
        HandshakeStatus::Ok
    );
    assert_eq!(alert, [21, 3, 3, 0, 2, 2, 42]);
    // After sending a fatal alert the context is finished.
    let mut more = Vec::new();
    assert!(server2.ctx.handshake(&hello, &mut more).is_err());
}

#[test]
fn alerts_after_the_handshake_are_sealed_under_the_traffic_keys() {
    // A fatal alert once the handshake has completed is encrypted like any record (more cases
    // in `alerts.rs` of this binary); the peer maps it per the contract's table.
    let mut p = pair(Protocols::TLS13_ONLY);
    p.client
        .ctx
        .apply_control_token(ControlToken::Alert {
            level: openschannel::AlertLevel::Fatal,
            description: 42,
        })
        .unwrap();
    let mut token = Vec::new();
    p.client.ctx.handshake(&[], &mut token).unwrap();
    assert_eq!(token.len(), 24, "one TLS 1.3 record: 5 + 2 + 1 + 16");
    assert_eq!(token[0], 23, "outer type application_data");
    p.c2s.send(&token);
    let mut got = Vec::new();
    let end = p.server.recv(&mut p.c2s, &mut p.s2c, &mut got);
    assert_eq!(end, RecvEnd::Failed(Status::SEC_E_CERT_UNKNOWN));
    // A warning close_notify alert token is the shutdown token.
    let mut p = pair(Protocols::TLS13_ONLY);
    p.client
        .ctx
        .apply_control_token(ControlToken::Alert {
            level: openschannel::AlertLevel::Warning,
            description: 0,
        })
        .unwrap();
    let mut token = Vec::new();
    p.client.ctx.handshake(&[], &mut token).unwrap();
    assert_close_notify_record(&token, Protocol::Tls13);
}
