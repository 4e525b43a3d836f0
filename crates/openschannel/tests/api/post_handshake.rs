//! TLS 1.3 post-handshake messages against an independent peer (rustls' buffered API):
//! session tickets and KeyUpdate(update_requested) surface as SEC_I_RENEGOTIATE, the reply goes
//! out through the next handshake() call, and data keeps flowing both ways. Also resumption.

use openschannel_test_support as common;

use std::io::{Read, Write};
use std::sync::Arc;

use common::{pki, Endpoint, KeyKind, Pair, RecvEnd, Wire};
use openschannel::{
    ContextOptions, Credentials, Decrypted, HandshakeStatus, PostHandshake, Protocols,
    SecurityContext, ServerValidation, Status,
};
use rustls::pki_types::{CertificateDer, PrivateKeyDer, ServerName};

/// The same provider the crate was built with.
fn provider() -> Arc<rustls::crypto::CryptoProvider> {
    #[cfg(feature = "aws-lc-rs")]
    let provider = rustls::crypto::aws_lc_rs::default_provider();
    #[cfg(all(feature = "ring", not(feature = "aws-lc-rs")))]
    let provider = rustls::crypto::ring::default_provider();
    Arc::new(provider)
}

/// A plain rustls peer over two in-memory wires.
struct RustlsPeer {
    conn: rustls::Connection,
}

impl RustlsPeer {
    fn server() -> Self {
        let p = pki(KeyKind::EcdsaP256);
        let chain = p
            .chain
            .iter()
            .map(|c| CertificateDer::from(c.der().to_vec()))
            .collect();
        let key = PrivateKeyDer::try_from(p.key_der.clone()).unwrap();
        let config = rustls::ServerConfig::builder_with_provider(provider())
            .with_protocol_versions(&[&rustls::version::TLS13])
            .unwrap()
            .with_no_client_auth()
            .with_single_cert(chain, key)
            .unwrap();
        Self {
            conn: rustls::ServerConnection::new(Arc::new(config))
                .unwrap()
                .into(),
        }
    }

    fn client() -> Self {
        let mut roots = rustls::RootCertStore::empty();
        roots
            .add(CertificateDer::from(
                pki(KeyKind::EcdsaP256).ca.der().to_vec(),
            ))
            .unwrap();
        let config = rustls::ClientConfig::builder_with_provider(provider())
            .with_protocol_versions(&[&rustls::version::TLS13])
            .unwrap()
            .with_root_certificates(roots)
            .with_no_client_auth();
        let name = ServerName::try_from("localhost").unwrap();
        Self {
            conn: rustls::ClientConnection::new(Arc::new(config), name)
                .unwrap()
                .into(),
        }
    }

    /// Reads everything from `inbound`, processes it, writes everything pending to `outbound`;
    /// returns plaintext received.
    fn pump(&mut self, inbound: &mut Wire, outbound: &mut Wire) -> Vec<u8> {
        let bytes: Vec<u8> = inbound.bytes.drain(..).collect();
        let mut rd = &bytes[..];
        while !rd.is_empty() {
            self.conn.read_tls(&mut rd).unwrap();
            self.conn.process_new_packets().unwrap();
        }
        let mut plain = Vec::new();
        match self.conn.reader().read_to_end(&mut plain) {
            Ok(_) => {}
            Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {}
            Err(e) => panic!("{e}"),
        }
        let mut out = Vec::new();
        while self.conn.wants_write() {
            self.conn.write_tls(&mut out).unwrap();
        }
        outbound.send(&out);
        plain
    }
}

fn our_client_creds() -> Credentials {
    Credentials::client()
        .protocols(Protocols::TLS13_ONLY)
        .validation(ServerValidation::Roots(vec![pki(KeyKind::EcdsaP256)
            .ca
            .clone()]))
        .build()
        .unwrap()
}

fn handshake_with(ours: &mut Endpoint, peer: &mut RustlsPeer, we_are_client: bool) -> (Wire, Wire) {
    // (to_peer, from_peer)
    let (mut to_peer, mut from_peer) = (Wire::default(), Wire::default());
    for _ in 0..20 {
        if we_are_client || !to_peer.log.is_empty() || !from_peer.bytes.is_empty() {
            ours.handshake_step(&mut from_peer, &mut to_peer).unwrap();
        }
        peer.pump(&mut to_peer, &mut from_peer);
        if ours.handshake_done && !peer.conn.is_handshaking() {
            return (to_peer, from_peer);
        }
    }
    panic!("no handshake");
}

#[test]
fn tickets_and_a_peer_key_update_with_update_requested_as_a_client() {
    let mut peer = RustlsPeer::server();
    let mut ours = Endpoint::client(&our_client_creds(), usize::MAX);
    let (mut to_peer, mut from_peer) = handshake_with(&mut ours, &mut peer, true);

    // The server's tickets: SEC_I_RENEGOTIATE, serviced with an empty token.
    peer.conn.writer().write_all(b"hello").unwrap();
    peer.pump(&mut to_peer, &mut from_peer);
    let mut got = Vec::new();
    assert!(matches!(
        ours.recv(&mut from_peer, &mut to_peer, &mut got),
        RecvEnd::Starved(_)
    ));
    assert_eq!(got, b"hello");
    assert!(
        ours.statuses.contains(&Status::SEC_I_RENEGOTIATE),
        "{:?}",
        ours.statuses
    );
    assert!(to_peer.bytes.is_empty(), "tickets need no reply");

    // KeyUpdate(update_requested) then data under the new key.
    peer.conn.refresh_traffic_keys().unwrap();
    peer.conn.writer().write_all(b"after key update").unwrap();
    peer.pump(&mut to_peer, &mut from_peer);
    let mut inbox: Vec<u8> = from_peer.bytes.drain(..).collect();
    let d = ours.ctx.decrypt(&mut inbox).unwrap();
    let Decrypted::Renegotiate(layout) = d else {
        panic!("{d:?}")
    };
    inbox.drain(..layout.extra.start);
    // Until serviced: encrypt and decrypt both refuse, without failing the context.
    let mut rec = vec![0u8; 64];
    assert_eq!(
        ours.ctx.encrypt(&mut rec, 3).unwrap_err().status(),
        Status::SEC_E_CONTEXT_EXPIRED
    );
    let mut copy = inbox.clone();
    assert_eq!(
        ours.ctx.decrypt(&mut copy).unwrap_err().status(),
        Status::SEC_E_CONTEXT_EXPIRED
    );
    // Servicing: SEC_E_OK, the KeyUpdate reply as the token, all input left as extra.
    let mut token = Vec::new();
    let o = ours.ctx.handshake(&inbox, &mut token).unwrap();
    assert_eq!((o.status, o.consumed), (HandshakeStatus::Ok, 0));
    assert_eq!(
        token.len(),
        5 + (4 + 1) + 1 + 16,
        "one encrypted KeyUpdate record"
    );
    to_peer.send(&token);
    from_peer.bytes.extend(inbox);
    let mut got = Vec::new();
    ours.recv(&mut from_peer, &mut to_peer, &mut got);
    assert_eq!(got, b"after key update");

    // Both directions keep working: the peer decrypts our data under our new key.
    ours.send(b"reply under new keys", &mut to_peer).unwrap();
    let plain = peer.pump(&mut to_peer, &mut from_peer);
    assert_eq!(plain, b"reply under new keys");
    peer.conn.writer().write_all(b"and more").unwrap();
    peer.pump(&mut to_peer, &mut from_peer);
    let mut got = Vec::new();
    ours.recv(&mut from_peer, &mut to_peer, &mut got);
    assert_eq!(got, b"and more");
}

#[test]
fn a_peer_key_update_as_a_server() {
    let s = common::server_credentials(KeyKind::EcdsaP256, Protocols::TLS13_ONLY);
    let mut ours = Endpoint::server(&s, usize::MAX);
    let mut peer = RustlsPeer::client();
    // The client speaks first.
    let (mut to_peer, mut from_peer) = (Wire::default(), Wire::default());
    peer.pump(&mut to_peer, &mut from_peer);
    for _ in 0..10 {
        ours.handshake_step(&mut from_peer, &mut to_peer).unwrap();
        peer.pump(&mut to_peer, &mut from_peer);
        if ours.handshake_done && !peer.conn.is_handshaking() {
            break;
        }
    }
    assert!(ours.handshake_done);
    peer.conn.refresh_traffic_keys().unwrap();
    peer.conn.writer().write_all(b"client data").unwrap();
    peer.pump(&mut to_peer, &mut from_peer);
    let mut got = Vec::new();
    ours.recv(&mut from_peer, &mut to_peer, &mut got);
    assert_eq!(got, b"client data");
    assert!(ours.statuses.contains(&Status::SEC_I_RENEGOTIATE));
    ours.send(b"server data", &mut to_peer).unwrap();
    assert_eq!(peer.pump(&mut to_peer, &mut from_peer), b"server data");
}

#[test]
fn quiet_mode_reports_tickets_as_empty_data() {
    let c = our_client_creds();
    let s = common::server_credentials(KeyKind::EcdsaP256, Protocols::TLS13_ONLY);
    let options = ContextOptions {
        post_handshake: PostHandshake::Quiet,
        ..Default::default()
    };
    let ctx = SecurityContext::client(&c, Some("localhost"), options).unwrap();
    let mut p = Pair::new(&c, &s, usize::MAX);
    p.client = Endpoint::new(ctx, usize::MAX);
    p.handshake().unwrap();
    assert_eq!(p.server_to_client(b"x"), b"x");
    assert!(!p.client.statuses.contains(&Status::SEC_I_RENEGOTIATE));
    assert!(
        p.client
            .statuses
            .iter()
            .filter(|s| **s == Status::SEC_E_OK)
            .count()
            >= 2
    );
}

#[test]
fn the_credential_resumes_sessions_for_the_same_target() {
    for protocols in [Protocols::TLS12_ONLY, Protocols::TLS13_ONLY] {
        let c = common::client_credentials(KeyKind::EcdsaP256, protocols);
        let s = common::server_credentials(KeyKind::EcdsaP256, protocols);
        let mut first = Pair::new(&c, &s, usize::MAX);
        first.handshake().unwrap();
        assert!(!first.client.ctx.is_resumed());
        // TLS 1.3 tickets arrive after the handshake: decrypt them.
        assert_eq!(first.server_to_client(b"t"), b"t");
        let mut second = Pair::new(&c, &s, usize::MAX);
        second.handshake().unwrap();
        assert!(second.client.ctx.is_resumed(), "{protocols:?}");
        assert!(second.server.ctx.is_resumed(), "{protocols:?}");
        assert!(second.client.ctx.connection_info().unwrap().resumed);
        assert_eq!(second.client_to_server(b"again"), b"again");
    }
}
