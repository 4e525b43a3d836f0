//! `SCHANNEL_ALERT` after the handshake (what .NET does when its own certificate validation
//! fails): the alert is sealed under the traffic keys at the right sequence number, for every
//! suite and both directions, the peer maps it per the contract's §3.3 table, and the sender's
//! context is over.

use openschannel_test_support as common;

use common::{suite_credentials, KeyKind, Pair, RecvEnd};
use openschannel::{AlertLevel, CipherSuite, ControlToken, HandshakeStatus, Protocol, Status};

fn suites() -> Vec<CipherSuite> {
    [0x1301u16, 0x1302, 0x1303, 0xC02B, 0xC02C, 0xCCA9]
        .into_iter()
        .map(CipherSuite)
        .collect()
}

/// The alert `description` from the client (or the server), after `exchanges` records each way.
fn send_alert(suite: CipherSuite, from_client: bool, description: u8, exchanges: usize) -> Status {
    let (c, s) = suite_credentials(KeyKind::EcdsaP256, suite);
    let mut p = Pair::new(&c, &s, usize::MAX);
    p.handshake().unwrap();
    for i in 0..exchanges {
        let data = common::pattern(100 + i, i as u64);
        assert_eq!(p.client_to_server(&data), data);
        assert_eq!(p.server_to_client(&data), data);
    }
    let (sender, receiver, wire, back) = if from_client {
        (&mut p.client, &mut p.server, &mut p.c2s, &mut p.s2c)
    } else {
        (&mut p.server, &mut p.client, &mut p.s2c, &mut p.c2s)
    };
    sender
        .ctx
        .apply_control_token(ControlToken::Alert {
            level: AlertLevel::Fatal,
            description,
        })
        .unwrap();
    let mut token = Vec::new();
    let o = sender.ctx.handshake(&[], &mut token).unwrap();
    assert_eq!((o.status, o.consumed), (HandshakeStatus::Ok, 0));
    let overhead = match (suite.protocol().unwrap(), suite.0) {
        (Protocol::Tls13, _) => 5 + 1 + 16,
        (Protocol::Tls12, 0xCCA9) => 5 + 16,
        (Protocol::Tls12, _) => 5 + 8 + 16,
    };
    assert_eq!(token.len(), overhead + 2, "{suite:?}: one record");
    // The sender is done: nothing more can be sent.
    let mut record = vec![0u8; 64];
    assert_eq!(
        sender.ctx.encrypt(&mut record, 1).unwrap_err().status(),
        Status::SEC_E_CONTEXT_EXPIRED
    );
    assert!(sender.ctx.is_write_closed());
    wire.send(&token);
    let mut got = Vec::new();
    match receiver.recv(wire, back, &mut got) {
        RecvEnd::Failed(status) => status,
        other => panic!("{suite:?}: the alert was not received: {other:?}"),
    }
}

#[test]
fn sealed_alerts_reach_the_peer_for_every_suite_and_direction() {
    for suite in suites() {
        for from_client in [true, false] {
            for exchanges in [0, 3] {
                assert_eq!(
                    send_alert(suite, from_client, 42, exchanges),
                    Status::SEC_E_CERT_UNKNOWN,
                    "{suite:?} from client {from_client}, after {exchanges} records"
                );
            }
        }
    }
}

#[test]
fn received_alerts_map_per_the_contract_table() {
    let table = [
        (42u8, Status::SEC_E_CERT_UNKNOWN),             // bad_certificate
        (43, Status::SEC_E_CERT_UNKNOWN),               // unsupported_certificate
        (44, Status::CRYPT_E_REVOKED),                  // certificate_revoked
        (45, Status::SEC_E_CERT_EXPIRED),               // certificate_expired
        (46, Status::SEC_E_CERT_UNKNOWN),               // certificate_unknown
        (48, Status::SEC_E_UNTRUSTED_ROOT),             // unknown_ca
        (49, Status::SEC_E_LOGON_DENIED),               // access_denied
        (40, Status::SEC_E_ILLEGAL_MESSAGE),            // handshake_failure
        (80, Status::SEC_E_INTERNAL_ERROR),             // internal_error
        (90, Status::SEC_E_UNFINISHED_CONTEXT_DELETED), // user_canceled (as fatal)
        (120, Status::SEC_E_APPLICATION_PROTOCOL_MISMATCH), // no_application_protocol
    ];
    for suite in [CipherSuite(0x1301), CipherSuite(0xC02B)] {
        for (alert, status) in table {
            assert_eq!(
                send_alert(suite, true, alert, 1),
                status,
                "{suite:?} alert {alert}"
            );
        }
    }
}

#[test]
fn alerts_in_the_middle_of_a_tls13_handshake_are_refused() {
    let (c, s) = suite_credentials(KeyKind::EcdsaP256, CipherSuite(0x1301));
    let mut client =
        openschannel::SecurityContext::client(&c, Some("localhost"), Default::default()).unwrap();
    let mut server = openschannel::SecurityContext::server(&s, Default::default()).unwrap();
    let mut hello = Vec::new();
    client.handshake(&[], &mut hello).unwrap();
    let mut flight = Vec::new();
    server.handshake(&hello, &mut flight).unwrap();
    // The server is in the middle of a TLS 1.3 handshake: its records use handshake keys.
    let e = server
        .apply_control_token(ControlToken::Alert {
            level: AlertLevel::Fatal,
            description: 40,
        })
        .unwrap_err();
    assert_eq!(e.status(), Status::SEC_E_UNSUPPORTED_FUNCTION);
}
