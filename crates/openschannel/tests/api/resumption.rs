//! Session resumption (contract §5.5, §10.3): the cache belongs to the credential and is keyed
//! by target name; it honours the session lifetime (`dwSessionLifespan`); a server can turn
//! reconnects off (`SCH_CRED_DISABLE_RECONNECTS`); threads sharing a credential resume each
//! other's sessions.

use openschannel_test_support as common;

use std::time::Duration;

use common::{pki, Endpoint, KeyKind, Pair};
use openschannel::{ContextOptions, Credentials, Protocols, SecurityContext, ServerValidation};

const BOTH: [Protocols; 2] = [Protocols::TLS12_ONLY, Protocols::TLS13_ONLY];

fn client(p: Protocols, lifetime: Option<Duration>) -> Credentials {
    let mut b = Credentials::client()
        .protocols(p)
        .validation(ServerValidation::Roots(vec![pki(KeyKind::EcdsaP256)
            .ca
            .clone()]));
    if let Some(l) = lifetime {
        b = b.session_lifetime(l);
    }
    b.build().unwrap()
}

fn server(p: Protocols, cache: usize) -> Credentials {
    let k = pki(KeyKind::EcdsaP256);
    Credentials::server(k.chain.clone(), k.key())
        .protocols(p)
        .session_cache_size(cache)
        .build()
        .unwrap()
}

/// One connection to `target`; returns whether both sides report a resumed session.
fn connect(c: &Credentials, s: &Credentials, target: &str) -> bool {
    let ctx = SecurityContext::client(c, Some(target), ContextOptions::default()).unwrap();
    let mut p = Pair::new(c, s, usize::MAX);
    p.client = Endpoint::new(ctx, usize::MAX);
    p.handshake().unwrap();
    // TLS 1.3 tickets arrive after the handshake.
    assert_eq!(p.server_to_client(b"ticket?"), b"ticket?");
    let (c, s) = (p.client.ctx.is_resumed(), p.server.ctx.is_resumed());
    assert_eq!(c, s, "both sides agree");
    assert_eq!(p.client.ctx.connection_info().unwrap().resumed, c);
    c
}

#[test]
fn sessions_resume_per_credential_and_target_name() {
    for p in BOTH {
        let (c, s) = (client(p, None), server(p, 256));
        assert!(!connect(&c, &s, "localhost"));
        assert!(connect(&c, &s, "localhost"), "{p:?}");
        assert!(connect(&c, &s, "localhost"), "{p:?}: tickets are renewed");
        // Another target name has its own cache entry.
        assert!(!connect(&c, &s, "127.0.0.1"));
        assert!(connect(&c, &s, "127.0.0.1"));
        // Another credential has its own cache.
        let other = client(p, None);
        assert!(!connect(&other, &s, "localhost"));
    }
}

#[test]
fn the_session_lifetime_is_honoured() {
    for p in BOTH {
        let s = server(p, 256);
        let c = client(p, Some(Duration::from_millis(300)));
        assert!(!connect(&c, &s, "localhost"));
        assert!(connect(&c, &s, "localhost"));
        std::thread::sleep(Duration::from_millis(400));
        assert!(!connect(&c, &s, "localhost"), "{p:?}: expired");
        // Zero disables the client's cache (.NET passes dwSessionLifespan = -1 for that).
        let c = client(p, Some(Duration::ZERO));
        assert!(!connect(&c, &s, "localhost"));
        assert!(!connect(&c, &s, "localhost"));
    }
}

#[test]
fn a_server_can_disable_reconnects() {
    for p in BOTH {
        let (c, s) = (client(p, None), server(p, 0));
        assert!(!connect(&c, &s, "localhost"));
        assert!(!connect(&c, &s, "localhost"), "{p:?}");
    }
    // No tickets either: a TLS 1.3 server without reconnects sends nothing after the
    // handshake.
    let (c, s) = (
        client(Protocols::TLS13_ONLY, None),
        server(Protocols::TLS13_ONLY, 0),
    );
    let mut pair = Pair::new(&c, &s, usize::MAX);
    pair.handshake().unwrap();
    assert!(pair.s2c.bytes.is_empty(), "no NewSessionTicket");
}

#[test]
fn threads_sharing_a_credential_resume_each_others_sessions() {
    for p in BOTH {
        let (c, s) = (client(p, None), server(p, 4096));
        assert!(!connect(&c, &s, "localhost"));
        let threads: Vec<_> = (0..6)
            .map(|_| {
                let (c, s) = (c.clone(), s.clone());
                std::thread::spawn(move || (0..4).filter(|_| connect(&c, &s, "localhost")).count())
            })
            .collect();
        let resumed: usize = threads.into_iter().map(|t| t.join().unwrap()).sum();
        // TLS 1.2 sessions are reusable. TLS 1.3 tickets are single-use: threads racing for
        // the tickets of one connection may miss, but every connection brings two new ones.
        let expected = if p == Protocols::TLS12_ONLY { 24 } else { 12 };
        assert!(resumed >= expected, "{p:?}: only {resumed} of 24 resumed");
    }
}

#[test]
fn manual_validation_contexts_do_not_share_sessions_with_validating_ones() {
    for p in BOTH {
        let (c, s) = (client(p, None), server(p, 256));
        let manual = ContextOptions {
            manual_validation: true,
            ..Default::default()
        };
        let ctx = SecurityContext::client(&c, Some("localhost"), manual.clone()).unwrap();
        let mut first = Pair::new(&c, &s, usize::MAX);
        first.client = Endpoint::new(ctx, usize::MAX);
        first.handshake().unwrap();
        assert_eq!(first.server_to_client(b"t"), b"t");
        // A validating context does not resume the manually accepted session…
        assert!(!connect(&c, &s, "localhost"), "{p:?}");
        // …but another manual one does.
        let ctx = SecurityContext::client(&c, Some("localhost"), manual).unwrap();
        let mut again = Pair::new(&c, &s, usize::MAX);
        again.client = Endpoint::new(ctx, usize::MAX);
        again.handshake().unwrap();
        assert!(again.client.ctx.is_resumed(), "{p:?}");
    }
}
