//! Servers asking for client certificates: required and optional policies, the client chain
//! visible to the server, and rejections with their statuses — including TLS 1.3's late
//! surfacing of the server's verdict in the client's DecryptMessage.

use openschannel_test_support as common;

use common::{pki, KeyKind, Pair, RecvEnd};
use openschannel::{ClientAuth, Credentials, Protocols, ServerValidation, Status};

fn server(protocols: Protocols, policy: ClientAuth) -> Credentials {
    let p = pki(KeyKind::EcdsaP256);
    Credentials::server(p.chain.clone(), p.key())
        .protocols(protocols)
        .client_auth(policy)
        .build()
        .unwrap()
}

/// A client trusting the server's CA, presenting the certificate of `identity` (if any).
fn client(protocols: Protocols, identity: Option<KeyKind>) -> Credentials {
    let mut b = Credentials::client()
        .protocols(protocols)
        .validation(ServerValidation::Roots(vec![pki(KeyKind::EcdsaP256)
            .ca
            .clone()]));
    if let Some(kind) = identity {
        let p = pki(kind);
        b = b.client_certificate(p.chain.clone(), p.key());
    }
    b.build().unwrap()
}

const BOTH: [Protocols; 2] = [Protocols::TLS12_ONLY, Protocols::TLS13_ONLY];

fn trusted_roots() -> Vec<openschannel::Certificate> {
    vec![pki(KeyKind::Ed25519).ca.clone()]
}

#[test]
fn a_required_certificate_is_sent_verified_and_visible_to_the_server() {
    for protocols in BOTH {
        let s = server(protocols, ClientAuth::Required(trusted_roots()));
        let c = client(protocols, Some(KeyKind::Ed25519));
        let mut p = Pair::new(&c, &s, usize::MAX);
        p.handshake().unwrap();
        let chain = p.server.ctx.peer_certificates();
        assert_eq!(
            chain.first(),
            pki(KeyKind::Ed25519).chain.first(),
            "{protocols:?}"
        );
        assert_eq!(p.client_to_server(b"authenticated"), b"authenticated");
    }
}

#[test]
fn optional_policy_accepts_a_client_without_certificate() {
    for protocols in BOTH {
        let s = server(protocols, ClientAuth::Optional(trusted_roots()));
        let c = client(protocols, None);
        let mut p = Pair::new(&c, &s, usize::MAX);
        p.handshake().unwrap();
        assert!(p.server.ctx.peer_certificates().is_empty());
        assert_eq!(p.server_to_client(b"hello anonymous"), b"hello anonymous");
    }
}

/// Runs a handshake expected to fail on the server; returns (server status, the status the
/// client sees — from ISC under TLS 1.2, from its first DecryptMessage under TLS 1.3).
fn rejected(protocols: Protocols, identity: Option<KeyKind>) -> (Status, Status) {
    let s = server(protocols, ClientAuth::Required(trusted_roots()));
    let c = client(protocols, identity);
    let mut p = Pair::new(&c, &s, usize::MAX);
    let server_status = loop {
        if let Err(st) = p.client.handshake_step(&mut p.s2c, &mut p.c2s) {
            panic!("client failed first: {st}");
        }
        match p.server.handshake_step(&mut p.c2s, &mut p.s2c) {
            Err(st) => break st,
            Ok(()) => assert!(!p.server.handshake_done, "server accepted"),
        }
    };
    // The server's alert reaches the client.
    let client_status = if p.client.handshake_done {
        let mut got = Vec::new();
        match p.client.recv(&mut p.s2c, &mut p.c2s, &mut got) {
            RecvEnd::Failed(st) => st,
            other => panic!("client did not see the rejection: {other:?}"),
        }
    } else {
        p.client.handshake_step(&mut p.s2c, &mut p.c2s).unwrap_err()
    };
    (server_status, client_status)
}

#[test]
fn a_missing_certificate_is_rejected_when_required() {
    // TLS 1.2: the client learns it during the handshake.
    let (s, c) = rejected(Protocols::TLS12_ONLY, None);
    assert_eq!(s, Status::SEC_E_CERT_UNKNOWN);
    assert!(c.is_error());
    // TLS 1.3: the client's handshake has completed; the verdict surfaces in DecryptMessage
    // (certificate_required, alert 116 → the default row of §3.3).
    let (s, c) = rejected(Protocols::TLS13_ONLY, None);
    assert_eq!(s, Status::SEC_E_CERT_UNKNOWN);
    assert_eq!(c, Status::SEC_E_ILLEGAL_MESSAGE);
}

#[test]
fn a_certificate_from_an_untrusted_ca_is_rejected() {
    for protocols in BOTH {
        let (s, c) = rejected(protocols, Some(KeyKind::Rsa2048));
        assert_eq!(s, Status::SEC_E_UNTRUSTED_ROOT, "{protocols:?}");
        // unknown_ca (48) → SEC_E_UNTRUSTED_ROOT on the client too (late under TLS 1.3).
        assert_eq!(c, Status::SEC_E_UNTRUSTED_ROOT, "{protocols:?}");
    }
}

#[test]
fn a_client_certificate_that_is_itself_a_trust_anchor_is_accepted() {
    // Self-signed with CA:TRUE (as `openssl req -x509` makes it) and listed among the server's
    // trust anchors: accepted, as Windows does; a server trusting other anchors refuses it.
    use rcgen::{BasicConstraints, CertificateParams, DnType, IsCa, KeyPair};
    let mut params = CertificateParams::new(Vec::<String>::new()).unwrap();
    params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    params
        .distinguished_name
        .push(DnType::CommonName, "self-signed client");
    let key = KeyPair::generate_for(&rcgen::PKCS_ECDSA_P256_SHA256).unwrap();
    let cert =
        openschannel::Certificate::from_der(params.self_signed(&key).unwrap().der().to_vec());
    let key = openschannel::PrivateKey::from_der(&key.serialize_der()).unwrap();
    for protocols in BOTH {
        let c = Credentials::client()
            .protocols(protocols)
            .validation(ServerValidation::Roots(vec![pki(KeyKind::EcdsaP256)
                .ca
                .clone()]))
            .client_certificate(vec![cert.clone()], key.clone())
            .build()
            .unwrap();
        let s = server(protocols, ClientAuth::Required(vec![cert.clone()]));
        let mut p = Pair::new(&c, &s, usize::MAX);
        p.handshake().unwrap();
        assert_eq!(p.server.ctx.peer_certificates().first(), Some(&cert));
        let s = server(protocols, ClientAuth::Required(trusted_roots()));
        let mut p = Pair::new(&c, &s, usize::MAX);
        let refused = p.handshake().is_err() || {
            // TLS 1.3: the server's verdict reaches the client after its Finished.
            p.server.ctx.failure().is_some()
        };
        assert!(refused, "{protocols:?}");
    }
}
