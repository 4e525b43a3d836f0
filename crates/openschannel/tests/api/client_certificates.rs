//! Client certificates beyond the basic policies (contract §10.1): `SEC_I_INCOMPLETE_CREDENTIALS`
//! and its retry, "use supplied credentials", the issuer list, per-context policies (what
//! `ASC_REQ_MUTUAL_AUTH` does), manual judgement of the client chain, and the local
//! certificate.

use openschannel_test_support as common;

use common::{pki, Endpoint, KeyKind, Pair};
use openschannel::{
    ClientAuth, ContextOptions, Credentials, HandshakeStatus, Protocols, SecurityContext,
    ServerValidation, Status,
};

const BOTH: [Protocols; 2] = [Protocols::TLS12_ONLY, Protocols::TLS13_ONLY];

fn server(p: Protocols, policy: ClientAuth) -> Credentials {
    let k = pki(KeyKind::EcdsaP256);
    Credentials::server(k.chain.clone(), k.key())
        .protocols(p)
        .client_auth(policy)
        .build()
        .unwrap()
}

fn client(p: Protocols, identity: Option<KeyKind>) -> Credentials {
    let mut b = Credentials::client()
        .protocols(p)
        .validation(ServerValidation::Roots(vec![pki(KeyKind::EcdsaP256)
            .ca
            .clone()]));
    if let Some(kind) = identity {
        b = b.client_certificate(pki(kind).chain.clone(), pki(kind).key());
    }
    b.build().unwrap()
}

fn roots() -> Vec<openschannel::Certificate> {
    vec![pki(KeyKind::Ed25519).ca.clone()]
}

/// Drives the client by hand until it reports `SEC_I_INCOMPLETE_CREDENTIALS` (or finishes);
/// returns the input that call got, the client and server contexts.
fn until_incomplete(
    c: &Credentials,
    s: &Credentials,
    options: ContextOptions,
) -> (Option<Vec<u8>>, SecurityContext, SecurityContext) {
    let mut client = SecurityContext::client(c, Some("localhost"), options).unwrap();
    let mut server = SecurityContext::server(s, Default::default()).unwrap();
    let mut to_server = Vec::new();
    client.handshake(&[], &mut to_server).unwrap();
    for _ in 0..10 {
        let mut to_client = Vec::new();
        server.handshake(&to_server, &mut to_client).unwrap();
        to_server.clear();
        let o = client.handshake(&to_client, &mut to_server).unwrap();
        match o.status {
            HandshakeStatus::IncompleteCredentials => {
                assert_eq!(o.consumed, 0, "nothing consumed");
                assert!(to_server.is_empty(), "nothing to send");
                return (Some(to_client), client, server);
            }
            HandshakeStatus::Ok => {
                if !to_server.is_empty() {
                    server.handshake(&to_server, &mut Vec::new()).unwrap();
                }
                return (None, client, server);
            }
            _ => {}
        }
    }
    panic!("handshake did not converge");
}

#[test]
fn a_request_the_client_cannot_answer_is_sec_i_incomplete_credentials() {
    for p in BOTH {
        let s = server(p, ClientAuth::Optional(roots()));
        let c = client(p, None);
        let (input, mut client, mut server) = until_incomplete(&c, &s, Default::default());
        let input = input.unwrap_or_else(|| panic!("{p:?}: no SEC_I_INCOMPLETE_CREDENTIALS"));
        assert!(!client.is_established());
        // The acceptable issuers are known now (SECPKG_ATTR_ISSUER_LIST_EX).
        let issuers = client.certificate_request_issuers().unwrap();
        assert_eq!(issuers.len(), 1, "{p:?}");
        // The retry with the same input continues without a certificate.
        let mut out = Vec::new();
        let o = client.handshake(&input, &mut out).unwrap();
        assert_eq!(o.consumed, input.len());
        assert_ne!(o.status, HandshakeStatus::IncompleteCredentials);
        if o.status == HandshakeStatus::ContinueNeeded {
            // TLS 1.2: the server's Finished is still to come.
            let mut back = Vec::new();
            assert_eq!(
                server.handshake(&out, &mut back).unwrap().status,
                HandshakeStatus::Ok
            );
            assert_eq!(
                client.handshake(&back, &mut Vec::new()).unwrap().status,
                HandshakeStatus::Ok
            );
        } else {
            assert_eq!(
                server.handshake(&out, &mut Vec::new()).unwrap().status,
                HandshakeStatus::Ok
            );
        }
        assert!(client.is_established() && server.is_established());
        assert!(server.peer_certificates().is_empty());
        assert!(client.local_certificates().is_empty());
    }
}

#[test]
fn supplied_credentials_or_a_certificate_avoid_the_status() {
    for p in BOTH {
        let s = server(p, ClientAuth::Optional(roots()));
        let supplied = ContextOptions {
            use_supplied_credentials: true,
            ..Default::default()
        };
        let (held, ctx, _) = until_incomplete(&client(p, None), &s, supplied);
        assert!(held.is_none(), "{p:?}");
        assert!(ctx.is_established());
        let (held, ctx, server) =
            until_incomplete(&client(p, Some(KeyKind::Ed25519)), &s, Default::default());
        assert!(held.is_none(), "{p:?}");
        assert_eq!(server.peer_certificates(), pki(KeyKind::Ed25519).chain);
        assert_eq!(ctx.local_certificates(), pki(KeyKind::Ed25519).chain);
        // A server that does not ask: nothing to report.
        let plain = server_without_auth(p);
        let (held, ctx, _) = until_incomplete(&client(p, None), &plain, Default::default());
        assert!(held.is_none());
        assert_eq!(ctx.certificate_request_issuers(), None);
    }
}

fn server_without_auth(p: Protocols) -> Credentials {
    server(p, ClientAuth::None)
}

#[test]
fn a_required_certificate_missing_after_the_retry_is_rejected() {
    for p in BOTH {
        let s = server(p, ClientAuth::Required(roots()));
        let c = client(p, None);
        let mut pair = Pair::new(&c, &s, usize::MAX);
        // The test endpoint retries SEC_I_INCOMPLETE_CREDENTIALS with the same input.
        let r = pair.handshake();
        if p == Protocols::TLS12_ONLY {
            assert!(r.is_err(), "{p:?}");
            assert!(pair
                .client
                .statuses
                .contains(&Status::SEC_I_INCOMPLETE_CREDENTIALS));
        } else {
            // TLS 1.3: the client's handshake completes; the server's verdict arrives later.
            let e = r.unwrap_err();
            assert_eq!(e, Status::SEC_E_CERT_UNKNOWN);
            assert!(pair
                .client
                .statuses
                .contains(&Status::SEC_I_INCOMPLETE_CREDENTIALS));
        }
    }
}

#[test]
fn a_context_can_ask_for_certificates_its_credential_does_not() {
    for p in BOTH {
        let s = server_without_auth(p);
        let c = client(p, Some(KeyKind::Ed25519));
        // ASC_REQ_MUTUAL_AUTH with trust anchors: verified.
        let options = ContextOptions {
            client_auth: Some(ClientAuth::Required(roots())),
            ..Default::default()
        };
        let mut pair = Pair::new(&c, &s, usize::MAX);
        pair.server = Endpoint::new(SecurityContext::server(&s, options).unwrap(), usize::MAX);
        pair.handshake().unwrap();
        assert_eq!(
            pair.server.ctx.peer_certificates(),
            pki(KeyKind::Ed25519).chain
        );
        // Without trust anchors (ClientAuth::Manual): any chain the client owns is accepted
        // and left to the application — here one from a CA nobody trusts.
        let stranger = client(p, Some(KeyKind::Rsa2048));
        let options = ContextOptions {
            client_auth: Some(ClientAuth::Manual),
            ..Default::default()
        };
        let mut pair = Pair::new(&stranger, &s, usize::MAX);
        pair.server = Endpoint::new(SecurityContext::server(&s, options).unwrap(), usize::MAX);
        pair.handshake().unwrap();
        assert_eq!(
            pair.server.ctx.peer_certificates(),
            pki(KeyKind::Rsa2048).chain
        );
        // The credential's own policy is untouched: other contexts do not ask.
        let mut pair = Pair::new(&c, &s, usize::MAX);
        pair.handshake().unwrap();
        assert!(pair.server.ctx.peer_certificates().is_empty());
    }
}

#[test]
fn sessions_do_not_resume_across_client_auth_policies() {
    let p = Protocols::TLS12_ONLY;
    let s = server_without_auth(p);
    let c = client(p, Some(KeyKind::Ed25519));
    let mut first = Pair::new(&c, &s, usize::MAX);
    first.handshake().unwrap();
    // A context requiring a client certificate must not resume a session without one.
    let options = ContextOptions {
        client_auth: Some(ClientAuth::Required(roots())),
        ..Default::default()
    };
    let mut second = Pair::new(&c, &s, usize::MAX);
    second.server = Endpoint::new(SecurityContext::server(&s, options).unwrap(), usize::MAX);
    second.handshake().unwrap();
    assert!(!second.server.ctx.is_resumed());
    assert_eq!(
        second.server.ctx.peer_certificates(),
        pki(KeyKind::Ed25519).chain
    );
}

#[test]
fn the_server_reports_its_own_certificate() {
    let s = server_without_auth(Protocols::ALL);
    let c = client(Protocols::ALL, None);
    let mut pair = Pair::new(&c, &s, usize::MAX);
    pair.handshake().unwrap();
    assert_eq!(
        pair.server.ctx.local_certificates(),
        pki(KeyKind::EcdsaP256).chain
    );
}

#[test]
fn an_empty_set_of_client_trust_anchors_trusts_no_certificate() {
    for p in BOTH {
        // Optional: a client without a certificate is fine, one with a certificate is refused.
        let s = server(p, ClientAuth::Optional(Vec::new()));
        let mut pair = Pair::new(&client(p, None), &s, usize::MAX);
        pair.handshake().unwrap();
        let mut pair = Pair::new(&client(p, Some(KeyKind::Ed25519)), &s, usize::MAX);
        assert_eq!(pair.handshake(), Err(Status::SEC_E_UNTRUSTED_ROOT), "{p:?}");
        // Required: nobody gets in.
        let s = server(p, ClientAuth::Required(Vec::new()));
        let mut pair = Pair::new(&client(p, Some(KeyKind::Ed25519)), &s, usize::MAX);
        assert_eq!(pair.handshake(), Err(Status::SEC_E_UNTRUSTED_ROOT), "{p:?}");
    }
}
