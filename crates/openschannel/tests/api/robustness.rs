//! Property tests: whatever bytes arrive — garbage, or a real conversation with bits flipped,
//! bytes dropped or inserted, cut anywhere — no call panics, statuses come from the contract's
//! set, and a fatal error stays latched.

use openschannel_test_support as common;

use common::{allowed_error, client_credentials, server_credentials, KeyKind, Pair};
use openschannel::{ContextOptions, Decrypted, Protocols, SecurityContext, Status};
use proptest::prelude::*;

/// A recorded conversation: the server's bytes to the client (handshake flight, tickets, data,
/// close_notify), produced by a real server.
fn recorded(protocols: Protocols) -> (Vec<u8>, Vec<u8>) {
    let c = client_credentials(KeyKind::EcdsaP256, protocols);
    let s = server_credentials(KeyKind::EcdsaP256, protocols);
    let mut p = Pair::new(&c, &s, usize::MAX);
    p.handshake().unwrap();
    p.server
        .send(&common::pattern(5000, 1), &mut p.s2c)
        .unwrap();
    p.server.shutdown(&mut p.s2c);
    (p.c2s.log.clone(), p.s2c.log.clone())
}

#[derive(Clone, Debug)]
enum Mutation {
    Flip(usize, u8),
    Drop(usize, usize),
    Insert(usize, Vec<u8>),
    Truncate(usize),
}

fn apply(mut bytes: Vec<u8>, m: &Mutation) -> Vec<u8> {
    let n = bytes.len();
    match m {
        Mutation::Flip(i, mask) => {
            if n > 0 {
                bytes[i % n] ^= mask | 1;
            }
        }
        Mutation::Drop(i, len) => {
            let start = i % (n + 1);
            let end = (start + len).min(n);
            bytes.drain(start..end);
        }
        Mutation::Insert(i, data) => {
            let at = i % (n + 1);
            bytes.splice(at..at, data.iter().copied());
        }
        Mutation::Truncate(i) => bytes.truncate(i % (n + 1)),
    }
    bytes
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        (any::<usize>(), any::<u8>()).prop_map(|(i, m)| Mutation::Flip(i, m)),
        (any::<usize>(), 1usize..40).prop_map(|(i, l)| Mutation::Drop(i, l)),
        (
            any::<usize>(),
            proptest::collection::vec(any::<u8>(), 1..40)
        )
            .prop_map(|(i, d)| Mutation::Insert(i, d)),
        any::<usize>().prop_map(Mutation::Truncate),
    ]
}

/// Feeds `wire` to a fresh client in `chunk`-byte reads the way an application does, and
/// checks every result.
fn drive_client(protocols: Protocols, wire: &[u8], chunk: usize) {
    let c = client_credentials(KeyKind::EcdsaP256, protocols);
    let mut ctx =
        SecurityContext::client(&c, Some("localhost"), ContextOptions::default()).unwrap();
    let mut token = Vec::new();
    ctx.handshake(&[], &mut token).unwrap();
    let mut inbox = Vec::new();
    let mut fed = 0;
    let mut failed: Option<Status> = None;
    let mut established = false;
    for _ in 0..10_000 {
        if let Some(status) = failed {
            // Latched: everything returns the same error.
            let mut t = Vec::new();
            assert_eq!(ctx.handshake(&inbox, &mut t).unwrap_err().status(), status);
            assert_eq!(ctx.decrypt(&mut inbox).unwrap_err().status(), status);
            return;
        }
        let progress = if !established {
            let mut t = Vec::new();
            match ctx.handshake(&inbox, &mut t) {
                Ok(o) => {
                    inbox.drain(..o.consumed);
                    established = o.status == openschannel::HandshakeStatus::Ok;
                    o.consumed > 0 || established
                }
                Err(e) => {
                    assert!(allowed_error(e.status()), "{e}");
                    failed = Some(e.status());
                    true
                }
            }
        } else {
            match ctx.decrypt(&mut inbox) {
                Ok(Decrypted::Data(l)) => {
                    inbox.drain(..l.extra.start);
                    true
                }
                Ok(Decrypted::Renegotiate(l)) => {
                    inbox.drain(..l.extra.start);
                    let mut t = Vec::new();
                    ctx.handshake(&inbox, &mut t).unwrap();
                    true
                }
                Ok(Decrypted::ContextExpired(_)) => return,
                Ok(Decrypted::IncompleteMessage { .. }) => false,
                Err(e) => {
                    assert!(allowed_error(e.status()), "{e}");
                    failed = Some(e.status());
                    true
                }
            }
        };
        if !progress {
            if fed == wire.len() {
                return;
            }
            let n = chunk.min(wire.len() - fed);
            inbox.extend_from_slice(&wire[fed..fed + n]);
            fed += n;
        }
    }
    panic!("no progress");
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn mutated_server_streams_never_panic(
        tls13 in any::<bool>(),
        mutations in proptest::collection::vec(mutation(), 1..4),
        chunk in prop_oneof![Just(1usize), 2usize..64, Just(usize::MAX)],
    ) {
        let protocols = if tls13 { Protocols::TLS13_ONLY } else { Protocols::TLS12_ONLY };
        let (_, s2c) = recorded(protocols);
        let wire = mutations.iter().fold(s2c, apply);
        drive_client(protocols, &wire, chunk);
    }

    #[test]
    fn garbage_into_accept_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..600)) {
        let s = server_credentials(KeyKind::EcdsaP256, Protocols::ALL);
        let mut ctx = SecurityContext::server(&s, ContextOptions::default()).unwrap();
        let mut out = Vec::new();
        match ctx.handshake(&bytes, &mut out) {
            Ok(o) => prop_assert!(o.consumed <= bytes.len()),
            Err(e) => prop_assert!(allowed_error(e.status()), "{}", e),
        }
    }

    #[test]
    fn mutated_client_hellos_never_panic(m in mutation()) {
        let (c2s, _) = recorded(Protocols::ALL);
        let wire = apply(c2s, &m);
        let s = server_credentials(KeyKind::EcdsaP256, Protocols::ALL);
        let mut ctx = SecurityContext::server(&s, ContextOptions::default()).unwrap();
        let mut inbox = wire;
        for _ in 0..64 {
            let mut out = Vec::new();
            match ctx.handshake(&inbox, &mut out) {
                Ok(o) if o.consumed == 0 => break,
                Ok(o) => { inbox.drain(..o.consumed); }
                Err(e) => { prop_assert!(allowed_error(e.status()), "{}", e); break; }
            }
        }
    }
}
