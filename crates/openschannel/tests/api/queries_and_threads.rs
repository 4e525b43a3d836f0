//! Queries after the handshake, and one credential shared by contexts on many threads.

use openschannel_test_support as common;

use common::{client_credentials, pki, server_credentials, KeyKind, Pair};
use openschannel::{
    ContextOptions, Credentials, KeyExchangeGroup, Protocol, Protocols, SecurityContext,
    ServerValidation,
};

#[test]
fn connection_info_alpn_and_peer_certificates() {
    let p = pki(KeyKind::EcdsaP256);
    let c = Credentials::client()
        .validation(ServerValidation::Roots(vec![p.ca.clone()]))
        .alpn(vec![b"h2".to_vec(), b"http/1.1".to_vec()])
        .build()
        .unwrap();
    let s = Credentials::server(p.chain.clone(), p.key())
        .alpn(vec![b"http/1.1".to_vec()])
        .build()
        .unwrap();
    let mut pair = Pair::new(&c, &s, usize::MAX);
    pair.handshake().unwrap();
    for ctx in [&pair.client.ctx, &pair.server.ctx] {
        let info = ctx.connection_info().unwrap();
        assert_eq!(info.protocol, Protocol::Tls13);
        assert_eq!(info.key_exchange_group, Some(KeyExchangeGroup::X25519));
        assert_eq!(info.alpn.as_deref(), Some(&b"http/1.1"[..]));
        assert!(!info.resumed);
        assert_eq!(ctx.alpn_protocol(), Some(&b"http/1.1"[..]));
    }
    let chain = pair.client.ctx.peer_certificates();
    assert_eq!(chain.len(), 2);
    assert_eq!(chain[0], p.chain[0], "leaf first");
    assert!(
        pair.server.ctx.peer_certificates().is_empty(),
        "no client certificate"
    );

    // A per-context ALPN offer overrides the credential's; no overlap → no protocol.
    let options = ContextOptions {
        alpn: Some(vec![b"imap".to_vec()]),
        ..Default::default()
    };
    let ctx = SecurityContext::client(&c, Some("localhost"), options).unwrap();
    let mut pair = Pair::new(&c, &s, usize::MAX);
    pair.client = common::Endpoint::new(ctx, usize::MAX);
    // As on Windows, a server that does not require a protocol goes on without one.
    pair.handshake().unwrap();
    assert_eq!(pair.client.ctx.alpn_protocol(), None);
    assert_eq!(pair.server.ctx.alpn_protocol(), None);
}

#[test]
fn credentials_are_send_and_sync_and_shared_across_threads() {
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<Credentials>();
    fn assert_send<T: Send>() {}
    assert_send::<SecurityContext>();

    let c = client_credentials(KeyKind::EcdsaP256, Protocols::ALL);
    let s = server_credentials(KeyKind::EcdsaP256, Protocols::ALL);
    let threads: Vec<_> = (0..8)
        .map(|i| {
            let (c, s) = (c.clone(), s.clone());
            std::thread::spawn(move || {
                for j in 0..5 {
                    let mut pair = Pair::new(&c, &s, usize::MAX);
                    pair.handshake().unwrap();
                    let data = common::pattern(3000, (i * 100 + j) as u64);
                    assert_eq!(pair.client_to_server(&data), data);
                    assert_eq!(pair.server_to_client(&data), data);
                }
            })
        })
        .collect();
    for t in threads {
        t.join().unwrap();
    }
}
