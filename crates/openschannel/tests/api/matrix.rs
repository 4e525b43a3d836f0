//! Every protocol × AEAD × server key type: handshake, then 0 B, 1 B, 16 KiB and 1 MiB each way.

use openschannel_test_support as common;

use common::{pattern, pki, suite_credentials, KeyKind, Pair};
use openschannel::{
    CipherSuite, Credentials, KeyExchangeGroup, Protocol, Protocols, ServerValidation, Status,
};

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

/// Credentials with their key-exchange groups restricted.
fn group_credentials(
    client: Option<Vec<KeyExchangeGroup>>,
    server: Option<Vec<KeyExchangeGroup>>,
    protocols: Protocols,
) -> (Credentials, Credentials) {
    let p = pki(KeyKind::EcdsaP256);
    let mut c = Credentials::client()
        .protocols(protocols)
        .validation(ServerValidation::Roots(vec![p.ca.clone()]));
    if let Some(g) = client {
        c = c.key_exchange_groups(g);
    }
    let mut s = Credentials::server(p.chain.clone(), p.key()).protocols(protocols);
    if let Some(g) = server {
        s = s.key_exchange_groups(g);
    }
    (c.build().unwrap(), s.build().unwrap())
}

#[test]
fn key_exchange_groups_are_restricted_and_ordered() {
    for protocols in [Protocols::TLS13_ONLY, Protocols::TLS12_ONLY] {
        // Each group alone is what both sides negotiate.
        for group in [
            KeyExchangeGroup::X25519,
            KeyExchangeGroup::SECP256R1,
            KeyExchangeGroup::SECP384R1,
        ] {
            let (c, s) = group_credentials(Some(vec![group]), Some(vec![group]), protocols);
            let mut pair = Pair::new(&c, &s, usize::MAX);
            pair.handshake().unwrap();
            for ctx in [&pair.client.ctx, &pair.server.ctx] {
                let info = ctx.connection_info().unwrap();
                assert_eq!(info.key_exchange_group, Some(group), "{protocols:?}");
            }
            assert_eq!(pair.client_to_server(b"data"), b"data");
        }
        // The client's restriction alone decides (the server keeps its defaults).
        let (c, s) = group_credentials(Some(vec![KeyExchangeGroup::SECP384R1]), None, protocols);
        let mut pair = Pair::new(&c, &s, usize::MAX);
        pair.handshake().unwrap();
        assert_eq!(
            pair.client
                .ctx
                .connection_info()
                .unwrap()
                .key_exchange_group,
            Some(KeyExchangeGroup::SECP384R1)
        );
        // No group in common: the handshake fails on both sides.
        let (c, s) = group_credentials(
            Some(vec![KeyExchangeGroup::X25519]),
            Some(vec![KeyExchangeGroup::SECP256R1]),
            protocols,
        );
        let mut pair = Pair::new(&c, &s, usize::MAX);
        assert!(pair.handshake().is_err(), "{protocols:?}");
    }
    // Groups the provider lacks are ignored; none left is an algorithm mismatch.
    let unknown = KeyExchangeGroup(0x7777);
    let (c, _) = group_credentials(
        Some(vec![unknown, KeyExchangeGroup::X25519]),
        None,
        Protocols::ALL,
    );
    let (_, s) = group_credentials(None, Some(vec![KeyExchangeGroup::X25519]), Protocols::ALL);
    let mut pair = Pair::new(&c, &s, usize::MAX);
    pair.handshake().unwrap();
    assert_eq!(
        pair.server
            .ctx
            .connection_info()
            .unwrap()
            .key_exchange_group,
        Some(KeyExchangeGroup::X25519)
    );
    for groups in [vec![], vec![unknown]] {
        assert_eq!(
            Credentials::client()
                .key_exchange_groups(groups.clone())
                .build()
                .unwrap_err()
                .status(),
            Status::SEC_E_ALGORITHM_MISMATCH
        );
        let p = pki(KeyKind::EcdsaP256);
        assert_eq!(
            Credentials::server(p.chain.clone(), p.key())
                .key_exchange_groups(groups)
                .build()
                .unwrap_err()
                .status(),
            Status::SEC_E_ALGORITHM_MISMATCH
        );
    }
}
