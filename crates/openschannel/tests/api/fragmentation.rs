//! However the wire is split — 1 byte at a time, random chunks, or a cut at every offset of the
//! handshake — the plaintext, the record statuses and the handshake's flights are the same as
//! when everything arrives whole. Also handshake and post-handshake messages spanning records.

use openschannel_test_support as common;

use common::{client_credentials, pki, server_credentials, Chunking, KeyKind, Pair, RecvEnd};
use openschannel::{Credentials, Protocols, ServerValidation, Status};

/// What one conversation produced, independent of how bytes were chunked.
#[derive(PartialEq, Eq)]
struct Transcript {
    resumed: bool,
    client_records: Vec<Status>,
    server_records: Vec<Status>,
    client_got: Vec<u8>,
    server_got: Vec<u8>,
}

impl std::fmt::Debug for Transcript {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let digest = |d: &[u8]| d.iter().fold(0u64, |h, b| h.rotate_left(5) ^ u64::from(*b));
        f.debug_struct("Transcript")
            .field("resumed", &self.resumed)
            .field("client_records", &self.client_records)
            .field("server_records", &self.server_records)
            .field(
                "client_got",
                &(self.client_got.len(), digest(&self.client_got)),
            )
            .field(
                "server_got",
                &(self.server_got.len(), digest(&self.server_got)),
            )
            .finish()
    }
}

fn records(statuses: &[Status]) -> Vec<Status> {
    statuses
        .iter()
        .copied()
        .filter(|s| *s != Status::SEC_E_INCOMPLETE_MESSAGE)
        .collect()
}

/// Handshake, 3 messages each way (one over a record), then the shutdown both ways.
fn conversation(
    c: &Credentials,
    s: &Credentials,
    client: Chunking,
    server: Chunking,
) -> Transcript {
    let mut p = Pair::new(c, s, usize::MAX);
    p.client.chunking = client;
    p.server.chunking = server;
    p.handshake().unwrap();
    let hs_c = p.client.statuses.len();
    let hs_s = p.server.statuses.len();
    let (mut c_got, mut s_got) = (Vec::new(), Vec::new());
    for (i, len) in [10usize, 20_000, 333].into_iter().enumerate() {
        p.client
            .send(&common::pattern(len, i as u64), &mut p.c2s)
            .unwrap();
        p.server
            .send(&common::pattern(len, 50 + i as u64), &mut p.s2c)
            .unwrap();
    }
    p.client.shutdown(&mut p.c2s);
    assert_eq!(
        p.server.recv(&mut p.c2s, &mut p.s2c, &mut s_got),
        RecvEnd::Expired
    );
    p.server.shutdown(&mut p.s2c);
    assert_eq!(
        p.client.recv(&mut p.s2c, &mut p.c2s, &mut c_got),
        RecvEnd::Expired
    );
    // The handshake statuses are only ever CONTINUE_NEEDED / INCOMPLETE_MESSAGE, then OK.
    // (How many tokens it takes depends on the chunking: e.g. rustls emits its TLS 1.3
    // middlebox-compatibility CCS as soon as it has processed ServerHello alone.)
    for statuses in [&p.client.statuses[..hs_c], &p.server.statuses[..hs_s]] {
        let (last, rest) = statuses.split_last().unwrap();
        assert_eq!(*last, Status::SEC_E_OK);
        assert!(
            rest.iter()
                .all(|s| *s == Status::SEC_I_CONTINUE_NEEDED
                    || *s == Status::SEC_E_INCOMPLETE_MESSAGE)
        );
    }
    Transcript {
        resumed: p.client.ctx.is_resumed(),
        client_records: records(&p.client.statuses[hs_c..]),
        server_records: records(&p.server.statuses[hs_s..]),
        client_got: c_got,
        server_got: s_got,
    }
}

fn creds(protocols: Protocols) -> (Credentials, Credentials) {
    (
        client_credentials(KeyKind::EcdsaP256, protocols),
        server_credentials(KeyKind::EcdsaP256, protocols),
    )
}

const BOTH: [Protocols; 2] = [Protocols::TLS12_ONLY, Protocols::TLS13_ONLY];

#[test]
fn one_byte_and_random_chunks_give_the_same_conversation() {
    for protocols in BOTH {
        let (_, s) = creds(protocols);
        let c = fresh_client(protocols);
        let whole = conversation(
            &c,
            &s,
            Chunking::Fixed(usize::MAX),
            Chunking::Fixed(usize::MAX),
        );
        assert_eq!(whole.client_got.len(), 10 + 20_000 + 333);
        assert!(!whole.resumed);
        let c = fresh_client(protocols);
        let one = conversation(&c, &s, Chunking::Fixed(1), Chunking::Fixed(1));
        assert_eq!(one, whole, "{protocols:?} 1-byte");
        for seed in 1..=20u64 {
            let max = [3, 17, 300, 5000][seed as usize % 4];
            let c = fresh_client(protocols);
            let random = conversation(
                &c,
                &s,
                Chunking::Random { seed, max },
                Chunking::Random {
                    seed: seed * 31,
                    max,
                },
            );
            assert_eq!(random, whole, "{protocols:?} random seed {seed} max {max}");
        }
    }
}

#[test]
fn a_cut_at_every_offset_of_the_handshake_gives_the_same_conversation() {
    for protocols in BOTH {
        let (c, s) = creds(protocols);
        // Every run gets a fresh client credential (empty session cache): all full handshakes.
        let mut probe = Pair::new(&c, &s, usize::MAX);
        probe.handshake().unwrap();
        let to_client = probe.s2c.log.len();
        let to_server = probe.c2s.log.len();
        let reference = {
            let (c, s) = creds(protocols);
            conversation(
                &c,
                &s,
                Chunking::Fixed(usize::MAX),
                Chunking::Fixed(usize::MAX),
            )
        };
        for k in 0..=to_client + 64 {
            let (c, s) = (fresh_client(protocols), s.clone());
            let t = conversation(&c, &s, Chunking::SplitAt(k), Chunking::Fixed(usize::MAX));
            assert_eq!(t, reference, "{protocols:?} client-side cut at {k}");
        }
        for k in 0..=to_server + 64 {
            let (c, s) = (fresh_client(protocols), s.clone());
            let t = conversation(&c, &s, Chunking::Fixed(usize::MAX), Chunking::SplitAt(k));
            assert_eq!(t, reference, "{protocols:?} server-side cut at {k}");
        }
    }
}

/// A new client credential (empty session cache), so every run is a full handshake.
fn fresh_client(protocols: Protocols) -> Credentials {
    client_credentials(KeyKind::EcdsaP256, protocols)
}

#[test]
fn handshake_and_post_handshake_messages_spanning_many_records() {
    for protocols in BOTH {
        let p = pki(KeyKind::Rsa2048);
        let c = Credentials::client()
            .protocols(protocols)
            .max_fragment_size(64)
            .validation(ServerValidation::Roots(vec![p.ca.clone()]))
            .build()
            .unwrap();
        let s = Credentials::server(p.chain.clone(), p.key())
            .protocols(protocols)
            .max_fragment_size(64)
            .build()
            .unwrap();
        for chunking in [
            Chunking::Fixed(usize::MAX),
            Chunking::Fixed(1),
            Chunking::Fixed(13),
        ] {
            let mut pair = Pair::new(&c, &s, usize::MAX);
            pair.client.chunking = chunking.clone();
            pair.server.chunking = chunking.clone();
            pair.handshake().unwrap();
            assert_eq!(pair.client.ctx.stream_sizes().unwrap().max_message, 59);
            // Session tickets (TLS 1.3) arrive fragmented into 64-byte records.
            let data = common::pattern(1000, 9);
            assert_eq!(
                pair.server_to_client(&data),
                data,
                "{protocols:?} {chunking:?}"
            );
            assert_eq!(
                pair.client_to_server(&data),
                data,
                "{protocols:?} {chunking:?}"
            );
        }
    }
}
