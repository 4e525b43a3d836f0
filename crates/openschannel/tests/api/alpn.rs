//! ALPN (contract §5.6): the server's preference wins; no overlap → the handshake succeeds
//! without a protocol, unless the server requires one → `SEC_E_APPLICATION_PROTOCOL_MISMATCH`
//! on the server and (through `no_application_protocol`) on the client.

use openschannel_test_support as common;

use common::{pki, Endpoint, KeyKind, Pair};
use openschannel::{
    ContextOptions, Credentials, Protocols, SecurityContext, ServerValidation, Status,
};

const BOTH: [Protocols; 2] = [Protocols::TLS12_ONLY, Protocols::TLS13_ONLY];

fn names(list: &[&str]) -> Vec<Vec<u8>> {
    list.iter().map(|n| n.as_bytes().to_vec()).collect()
}

fn client(p: Protocols, offer: &[&str]) -> Credentials {
    Credentials::client()
        .protocols(p)
        .validation(ServerValidation::Roots(vec![pki(KeyKind::EcdsaP256)
            .ca
            .clone()]))
        .alpn(names(offer))
        .build()
        .unwrap()
}

fn server(p: Protocols, accept: &[&str], required: bool) -> Credentials {
    let k = pki(KeyKind::EcdsaP256);
    Credentials::server(k.chain.clone(), k.key())
        .protocols(p)
        .alpn(names(accept))
        .alpn_required(required)
        .build()
        .unwrap()
}

/// (client result, server result, client's protocol, server's protocol).
type Outcome = (
    Result<(), Status>,
    Result<(), Status>,
    Option<Vec<u8>>,
    Option<Vec<u8>>,
);

fn run(c: &Credentials, s: &Credentials) -> Outcome {
    let mut p = Pair::new(c, s, usize::MAX);
    let (mut cr, mut sr) = (None, None);
    for _ in 0..20 {
        if cr.is_none() && !p.client.handshake_done {
            cr = p.client.handshake_step(&mut p.s2c, &mut p.c2s).err();
        }
        if sr.is_none() && !p.server.handshake_done {
            sr = p.server.handshake_step(&mut p.c2s, &mut p.s2c).err();
        }
    }
    let protocol = |e: &Endpoint| e.ctx.alpn_protocol().map(<[u8]>::to_vec);
    (
        cr.map_or(Ok(()), Err),
        sr.map_or(Ok(()), Err),
        protocol(&p.client),
        protocol(&p.server),
    )
}

#[test]
fn the_server_preference_is_selected() {
    for p in BOTH {
        let (cr, sr, a, b) = run(
            &client(p, &["http/1.1", "h2"]),
            &server(p, &["h2", "http/1.1"], false),
        );
        assert_eq!((cr, sr), (Ok(()), Ok(())));
        assert_eq!(a.as_deref(), Some(&b"h2"[..]));
        assert_eq!(b.as_deref(), Some(&b"h2"[..]));
    }
}

#[test]
fn no_overlap_succeeds_without_a_protocol() {
    for p in BOTH {
        for (offer, accept) in [
            (&["imap"][..], &["h2"][..]),
            (&["h2"][..], &[][..]),
            (&[][..], &["h2"][..]),
        ] {
            let (cr, sr, a, b) = run(&client(p, offer), &server(p, accept, false));
            assert_eq!((cr, sr), (Ok(()), Ok(())), "{offer:?} / {accept:?}");
            assert_eq!((a, b), (None, None));
        }
    }
}

#[test]
fn a_server_requiring_a_protocol_refuses_clients_without_overlap() {
    for p in BOTH {
        for offer in [&["imap"][..], &[][..]] {
            let (cr, sr, _, _) = run(&client(p, offer), &server(p, &["h2"], true));
            assert_eq!(
                sr,
                Err(Status::SEC_E_APPLICATION_PROTOCOL_MISMATCH),
                "{offer:?}"
            );
            // no_application_protocol (120) reaches the client.
            assert_eq!(
                cr,
                Err(Status::SEC_E_APPLICATION_PROTOCOL_MISMATCH),
                "{offer:?}"
            );
        }
        // With overlap a requiring server is happy.
        let (cr, sr, a, _) = run(&client(p, &["x", "h2"]), &server(p, &["h2"], true));
        assert_eq!((cr, sr), (Ok(()), Ok(())));
        assert_eq!(a.as_deref(), Some(&b"h2"[..]));
    }
}

#[test]
fn per_context_lists_and_requirement() {
    let c = client(Protocols::ALL, &["h2"]);
    let s = server(Protocols::ALL, &["h2"], false);
    // A context may require a protocol although its credential does not.
    let mut p = Pair::new(&c, &s, usize::MAX);
    let options = ContextOptions {
        alpn: Some(names(&["spdy/3"])),
        alpn_required: true,
        ..Default::default()
    };
    p.server = Endpoint::new(SecurityContext::server(&s, options).unwrap(), usize::MAX);
    assert_eq!(
        p.handshake(),
        Err(Status::SEC_E_APPLICATION_PROTOCOL_MISMATCH)
    );
    // A client context's own offer replaces the credential's.
    let mut p = Pair::new(&c, &s, usize::MAX);
    let options = ContextOptions {
        alpn: Some(names(&["imap", "h2"])),
        ..Default::default()
    };
    p.client = Endpoint::new(
        SecurityContext::client(&c, Some("localhost"), options).unwrap(),
        usize::MAX,
    );
    p.handshake().unwrap();
    assert_eq!(p.server.ctx.alpn_protocol(), Some(&b"h2"[..]));
}

#[test]
fn a_client_hello_spread_over_records_is_read_whole() {
    // A client with small records: the ClientHello spans several, and the server waits for
    // all of them before choosing its ALPN list.
    let k = pki(KeyKind::EcdsaP256);
    let c = Credentials::client()
        .validation(ServerValidation::Roots(vec![k.ca.clone()]))
        .alpn(names(&["imap", "pop3", "x".repeat(200).as_str()]))
        .max_fragment_size(64)
        .build()
        .unwrap();
    let s = server(Protocols::ALL, &["h2"], false);
    let mut p = Pair::new(&c, &s, 7);
    p.handshake().unwrap();
    assert_eq!(p.server.ctx.alpn_protocol(), None);
    let s = server(Protocols::ALL, &["h2"], true);
    let mut p = Pair::new(&c, &s, 7);
    assert_eq!(
        p.handshake(),
        Err(Status::SEC_E_APPLICATION_PROTOCOL_MISMATCH)
    );
}
