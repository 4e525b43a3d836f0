//! Channel bindings and keying-material export (contract §9): both ends derive the same
//! bytes for every suite, before and after resumption; the statuses for misuse.

use openschannel_test_support as common;

use common::{pki, suite_credentials, KeyKind, Pair};
use openschannel::{CipherSuite, Credentials, Protocols, SecurityContext, Status};

fn suites() -> Vec<CipherSuite> {
    [
        0x1301u16, 0x1302, 0x1303, // TLS 1.3
        0xC02B, 0xC02C, 0xCCA9, // TLS 1.2 ECDHE-ECDSA AES-128/256-GCM, ChaCha20
    ]
    .into_iter()
    .map(CipherSuite)
    .collect()
}

#[test]
fn both_ends_export_the_same_keying_material_for_every_suite() {
    for suite in suites() {
        let (c, s) = suite_credentials(KeyKind::EcdsaP256, suite);
        let mut p = Pair::new(&c, &s, usize::MAX);
        p.handshake().unwrap();
        let (client, server) = (&p.client.ctx, &p.server.ctx);
        for (label, context, len) in [
            (&b"EXPERIMENTAL test"[..], None, 32),
            (b"EXPERIMENTAL test", Some(&b"ctx"[..]), 64),
            (b"EXPORTER-Channel-Binding", None, 32),
            (b"x", Some(&b""[..]), 1),
            (b"long", None, 4000),
        ] {
            let a = client.export_keying_material(label, context, len).unwrap();
            let b = server.export_keying_material(label, context, len).unwrap();
            assert_eq!(a.len(), len);
            assert_eq!(a, b, "{suite:?} {label:?}");
        }
        // Labels and contexts separate the outputs.
        let base = client.export_keying_material(b"a", None, 32).unwrap();
        assert_ne!(base, client.export_keying_material(b"b", None, 32).unwrap());
        assert_ne!(
            base,
            client.export_keying_material(b"a", Some(b"c"), 32).unwrap()
        );
        // RFC 8446 §7.5: no context = empty context; RFC 5705: they differ.
        let empty = client.export_keying_material(b"a", Some(b""), 32).unwrap();
        assert_eq!(
            base == empty,
            suite.protocol() == Some(openschannel::Protocol::Tls13),
            "{suite:?}"
        );
        // RFC 9266 tls-exporter.
        let binding = client.tls_exporter_binding().unwrap();
        assert_eq!(binding.len(), 32);
        assert_eq!(binding, server.tls_exporter_binding().unwrap());
        // Different connections derive different material.
        let mut q = Pair::new(&c, &s, usize::MAX);
        q.handshake().unwrap();
        assert_ne!(binding, q.client.ctx.tls_exporter_binding().unwrap());
    }
}

#[test]
fn resumed_sessions_export_matching_material() {
    for protocols in [Protocols::TLS12_ONLY, Protocols::TLS13_ONLY] {
        let c = common::client_credentials(KeyKind::EcdsaP256, protocols);
        let s = common::server_credentials(KeyKind::EcdsaP256, protocols);
        let mut first = Pair::new(&c, &s, usize::MAX);
        first.handshake().unwrap();
        assert_eq!(first.server_to_client(b"t"), b"t"); // TLS 1.3 tickets
        let mut second = Pair::new(&c, &s, usize::MAX);
        second.handshake().unwrap();
        assert!(second.client.ctx.is_resumed());
        let a = second.client.ctx.tls_exporter_binding().unwrap();
        assert_eq!(a, second.server.ctx.tls_exporter_binding().unwrap());
        assert_ne!(a, first.client.ctx.tls_exporter_binding().unwrap());
    }
}

#[test]
fn misuse_is_reported() {
    let (c, s) = suite_credentials(KeyKind::EcdsaP256, CipherSuite(0x1301));
    let ctx = SecurityContext::client(&c, Some("localhost"), Default::default()).unwrap();
    // Before the handshake: no master secret yet.
    let e = ctx.export_keying_material(b"a", None, 32).unwrap_err();
    assert_eq!(e.status(), Status::SEC_E_INVALID_HANDLE);
    assert_eq!(
        ctx.endpoint_binding().unwrap_err().status(),
        Status::SEC_E_INVALID_HANDLE
    );
    let mut p = Pair::new(&c, &s, usize::MAX);
    p.handshake().unwrap();
    for len in [0, 65536] {
        let e = p
            .client
            .ctx
            .export_keying_material(b"a", None, len)
            .unwrap_err();
        assert_eq!(e.status(), Status::SEC_E_INVALID_PARAMETER, "{len}");
    }
    // TLS 1.3 HKDF stops at 255 blocks of SHA-256.
    assert!(p
        .client
        .ctx
        .export_keying_material(b"a", None, 255 * 32)
        .is_ok());
    let e = p
        .client
        .ctx
        .export_keying_material(b"a", None, 255 * 32 + 1)
        .unwrap_err();
    assert_eq!(e.status(), Status::SEC_E_INVALID_PARAMETER);
    let e = p
        .client
        .ctx
        .export_keying_material(&[b'x'; 250], None, 32)
        .unwrap_err();
    assert_eq!(e.status(), Status::SEC_E_INVALID_PARAMETER);
}

/// A server whose certificate is signed by a CA of `kind` (the signature algorithm RFC 5929
/// takes its hash from).
fn signed_by(kind: KeyKind) -> (Credentials, Credentials, Vec<u8>) {
    use rcgen::{BasicConstraints, CertificateParams, CertifiedIssuer, IsCa, KeyPair};
    let alg = match kind {
        KeyKind::EcdsaP384 => &rcgen::PKCS_ECDSA_P384_SHA384,
        KeyKind::Ed25519 => &rcgen::PKCS_ED25519,
        _ => &rcgen::PKCS_ECDSA_P256_SHA256,
    };
    let mut ca = CertificateParams::new(Vec::<String>::new()).unwrap();
    ca.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    let ca = CertifiedIssuer::self_signed(ca, KeyPair::generate_for(alg).unwrap()).unwrap();
    let key = KeyPair::generate_for(&rcgen::PKCS_ECDSA_P256_SHA256).unwrap();
    let leaf = CertificateParams::new(vec!["localhost".to_string()])
        .unwrap()
        .signed_by(&key, &ca)
        .unwrap();
    let ca_cert = openschannel::Certificate::from_der(ca.der().to_vec());
    let s = Credentials::server(
        vec![openschannel::Certificate::from_der(leaf.der().to_vec())],
        openschannel::PrivateKey::from_der(&key.serialize_der()).unwrap(),
    )
    .build()
    .unwrap();
    let c = Credentials::client()
        .validation(openschannel::ServerValidation::Roots(vec![ca_cert]))
        .build()
        .unwrap();
    (c, s, leaf.der().to_vec())
}

#[test]
fn endpoint_bindings_hash_the_server_certificate_with_its_signature_hash() {
    for (kind, len) in [
        (KeyKind::EcdsaP256, 32),
        (KeyKind::EcdsaP384, 48),
        (KeyKind::Ed25519, 32),
    ] {
        let (c, s, _) = signed_by(kind);
        let mut p = Pair::new(&c, &s, usize::MAX);
        p.handshake().unwrap();
        let a = p.client.ctx.endpoint_binding().unwrap();
        let b = p.server.ctx.endpoint_binding().unwrap();
        assert_eq!(a.len(), len, "{kind:?}");
        assert_eq!(a, b, "both ends bind to the server certificate");
    }
    // The client's own certificate plays no part: the same server, another client.
    let p = pki(KeyKind::EcdsaP256);
    let s = Credentials::server(p.chain.clone(), p.key())
        .build()
        .unwrap();
    let c1 = common::client_credentials(KeyKind::EcdsaP256, Protocols::ALL);
    let mut one = Pair::new(&c1, &s, usize::MAX);
    one.handshake().unwrap();
    let mut two = Pair::new(&c1, &s, usize::MAX);
    two.handshake().unwrap();
    assert_eq!(
        one.client.ctx.endpoint_binding().unwrap(),
        two.client.ctx.endpoint_binding().unwrap()
    );
}
