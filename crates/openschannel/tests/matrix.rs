//! Every protocol × AEAD × server key type: handshake, then 0 B, 1 B, 16 KiB and 1 MiB each way.

mod common;

use common::{pattern, pki, suite_credentials, KeyKind, Pair};
use openschannel::{CipherSuite, Protocol};

fn suites_for(kind: KeyKind) -> Vec<CipherSuite> {
    let ecdsa = kind != KeyKind::Rsa2048;
    CipherSuite::all()
        .filter(|s| s.requires_ecdsa().is_none_or(|e| e == ecdsa))
        .collect()
}

fn run_matrix(kind: KeyKind) {
    let _ = pki(kind);
    let suites = suites_for(kind);
    assert_eq!(suites.len(), 6, "3 TLS 1.3 + 3 TLS 1.2 suites");
    for suite in suites {
        let (c, s) = suite_credentials(kind, suite);
        let mut pair = Pair::new(&c, &s, usize::MAX);
        pair.handshake()
            .unwrap_or_else(|e| panic!("{suite:?}: {e}"));
        assert_eq!(pair.client.ctx.cipher_suite(), Some(suite));
        assert_eq!(pair.server.ctx.cipher_suite(), Some(suite));
        assert_eq!(pair.client.ctx.protocol(), suite.protocol());
        let sizes = pair.client.ctx.stream_sizes().unwrap();
        let expected = match (suite.protocol().unwrap(), suite.bulk().unwrap()) {
            (Protocol::Tls13, _) => (5, 17),
            (Protocol::Tls12, openschannel::BulkCipher::ChaCha20Poly1305) => (5, 16),
            (Protocol::Tls12, _) => (13, 16),
        };
        assert_eq!(
            (sizes.header, sizes.trailer, sizes.max_message),
            (expected.0, expected.1, 16384)
        );
        for (i, len) in [0usize, 1, 16384, 1 << 20].into_iter().enumerate() {
            let up = pattern(len, i as u64);
            assert_eq!(pair.client_to_server(&up), up, "{suite:?} c→s {len}");
            let down = pattern(len, 100 + i as u64);
            assert_eq!(pair.server_to_client(&down), down, "{suite:?} s→c {len}");
        }
    }
}

#[test]
fn ecdsa_p256_server_every_suite_every_size() {
    run_matrix(KeyKind::EcdsaP256);
}

#[test]
fn rsa_server_every_suite_every_size() {
    run_matrix(KeyKind::Rsa2048);
}

#[test]
fn p384_and_ed25519_servers_handshake() {
    for kind in [KeyKind::EcdsaP384, KeyKind::Ed25519] {
        for protocols in [
            openschannel::Protocols::TLS12_ONLY,
            openschannel::Protocols::TLS13_ONLY,
        ] {
            let c = common::client_credentials(kind, protocols);
            let s = common::server_credentials(kind, protocols);
            let mut pair = Pair::new(&c, &s, usize::MAX);
            pair.handshake()
                .unwrap_or_else(|e| panic!("{kind:?} {protocols:?}: {e}"));
            assert_eq!(pair.client_to_server(b"ping"), b"ping");
            assert_eq!(pair.server_to_client(b"pong"), b"pong");
        }
    }
}
