//! Property tests of whole conversations: arbitrary application data (several messages of
//! 0..50 KiB each way) × arbitrary chunking of the wire in both directions (a byte at a time,
//! small, random or everything at once, interleaved at random) × which side shuts down first
//! (client, server, both at once) × TLS version × truncation (either direction cut at any
//! point after the handshake — inside data, inside or after the close_notify).
//!
//! Invariants, for each direction X → Y:
//! * the plaintext Y receives is exactly the records X sent, record by record: each
//!   DecryptMessage that returns data returns exactly one record's plaintext, in order — no
//!   record decrypted twice, none skipped — and all of them unless the stream was cut, in
//!   which case exactly those records that arrived whole;
//! * Y sees `SEC_I_CONTEXT_EXPIRED` if and only if X sent a close_notify and it arrived
//!   whole; a cut stream ends with `SEC_E_INCOMPLETE_MESSAGE`, never with a clean close;
//! * no call fails or panics.
//!
//! `PROPTEST_CASES` overrides the number of cases (default 1000).

use openschannel_test_support as common;

use common::{client_credentials, pattern, server_credentials, KeyKind};
use openschannel::{
    ContextOptions, ControlToken, Credentials, Decrypted, HandshakeStatus, Protocols,
    SecurityContext,
};
use proptest::prelude::*;

/// How the bytes of one direction are handed to the receiver.
#[derive(Clone, Debug)]
enum Chunking {
    /// One byte per delivery.
    One,
    /// 1..=n bytes per delivery (from the case's random stream).
    UpTo(usize),
    /// Everything available at once.
    All,
}

/// Who starts the shutdown procedure.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum First {
    Client,
    Server,
    Both,
}

/// One direction's ending: whether its close_notify is sent, and where (if anywhere) the
/// stream is cut, as a fraction (per mille) of its post-handshake bytes plus 40.
#[derive(Clone, Copy, Debug)]
struct Ending {
    close_notify: bool,
    cut: Option<u16>,
}

#[derive(Clone, Debug)]
struct Case {
    tls13: bool,
    /// (length, seed) of each message, client → server and server → client.
    c2s: Vec<(usize, u64)>,
    s2c: Vec<(usize, u64)>,
    /// Record boundaries: each message is split into records of at most this many bytes
    /// (also bounded by cbMaximumMessage).
    record_max: usize,
    chunk_c2s: Chunking,
    chunk_s2c: Chunking,
    first: First,
    client_end: Ending,
    server_end: Ending,
    /// Drives the random choices (delivery order and sizes).
    seed: u64,
}

fn message() -> impl Strategy<Value = (usize, u64)> {
    (
        prop_oneof![
            3 => 0usize..64,
            3 => 64usize..4096,
            2 => 4096usize..20_000,
            1 => 20_000usize..=50 * 1024,
        ],
        any::<u64>(),
    )
}

fn chunking() -> impl Strategy<Value = Chunking> {
    prop_oneof![
        1 => Just(Chunking::One),
        3 => (1usize..64).prop_map(Chunking::UpTo),
        3 => (64usize..40_000).prop_map(Chunking::UpTo),
        2 => Just(Chunking::All),
    ]
}

fn ending() -> impl Strategy<Value = Ending> {
    (
        prop::bool::weighted(0.8),
        prop::option::weighted(0.3, 0u16..=1000),
    )
        .prop_map(|(close_notify, cut)| Ending { close_notify, cut })
}

fn case() -> impl Strategy<Value = Case> {
    (
        any::<bool>(),
        prop::collection::vec(message(), 0..5),
        prop::collection::vec(message(), 0..5),
        prop_oneof![Just(usize::MAX), 1usize..20_000],
        chunking(),
        chunking(),
        prop_oneof![Just(First::Client), Just(First::Server), Just(First::Both)],
        ending(),
        ending(),
        any::<u64>(),
    )
        .prop_map(
            |(tls13, c2s, s2c, record_max, chunk_c2s, chunk_s2c, first, ce, se, seed)| Case {
                tls13,
                c2s,
                s2c,
                record_max,
                chunk_c2s,
                chunk_s2c,
                first,
                client_end: ce,
                server_end: se,
                seed,
            },
        )
}

/// A tiny deterministic generator for the delivery schedule.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// One direction of the connection: every byte the sender ever wrote, how far the receiver
/// got, and where the stream ends for the receiver (a cut), if anywhere.
#[derive(Default)]
struct Wire {
    bytes: Vec<u8>,
    delivered: usize,
    /// The sender's handshake ends at this offset.
    handshake_end: usize,
    /// End offset of each application-data record, in order.
    record_ends: Vec<usize>,
    /// The receiver never gets bytes at or beyond this offset.
    cut: Option<usize>,
    /// End offset of the sender's close_notify, once sent.
    close_end: Option<usize>,
}

impl Wire {
    fn limit(&self) -> usize {
        self.cut
            .map_or(self.bytes.len(), |c| c.min(self.bytes.len()))
    }

    fn available(&self) -> usize {
        self.limit().saturating_sub(self.delivered)
    }
}

/// One application endpoint: a context, its receive buffer and what it has seen.
struct Side {
    ctx: SecurityContext,
    inbox: Vec<u8>,
    established: bool,
    /// Plaintext of every DecryptMessage that returned data, one entry per call.
    records: Vec<Vec<u8>>,
    expired: bool,
    renegotiations: usize,
    /// The last DecryptMessage status was SEC_E_INCOMPLETE_MESSAGE (or nothing to decrypt).
    starved: bool,
}

impl Side {
    fn new(ctx: SecurityContext) -> Self {
        Self {
            ctx,
            inbox: Vec::new(),
            established: false,
            records: Vec::new(),
            expired: false,
            renegotiations: 0,
            starved: true,
        }
    }

    /// Handshake steps and/or DecryptMessage until the inbox is exhausted; tokens go to `out`.
    fn process(&mut self, out: &mut Wire) {
        loop {
            if !self.established {
                let mut token = Vec::new();
                let o = self
                    .ctx
                    .handshake(&self.inbox, &mut token)
                    .unwrap_or_else(|e| panic!("handshake failed: {e}"));
                out.bytes.extend_from_slice(&token);
                self.inbox.drain(..o.consumed);
                match o.status {
                    HandshakeStatus::Ok => {
                        self.established = true;
                        out.handshake_end = out.bytes.len();
                    }
                    HandshakeStatus::ContinueNeeded if !self.inbox.is_empty() => continue,
                    _ => return,
                }
                continue;
            }
            let d = self
                .ctx
                .decrypt(&mut self.inbox)
                .unwrap_or_else(|e| panic!("DecryptMessage failed: {e}"));
            self.starved = false;
            match d {
                Decrypted::Data(l) => {
                    assert!(!self.expired, "data after SEC_I_CONTEXT_EXPIRED");
                    if !l.data.is_empty() {
                        self.records.push(self.inbox[l.data.clone()].to_vec());
                    }
                    self.inbox.drain(..l.extra.start);
                }
                Decrypted::Renegotiate(l) => {
                    self.renegotiations += 1;
                    self.inbox.drain(..l.extra.start);
                    let mut token = Vec::new();
                    let o = self
                        .ctx
                        .handshake(&self.inbox, &mut token)
                        .unwrap_or_else(|e| panic!("servicing SEC_I_RENEGOTIATE failed: {e}"));
                    assert_eq!(o.status, HandshakeStatus::Ok);
                    out.bytes.extend_from_slice(&token);
                }
                Decrypted::ContextExpired(l) => {
                    assert!(l.data.is_empty());
                    if self.expired {
                        // Reported again for whatever follows: nothing must follow here.
                        assert!(self.inbox.is_empty(), "bytes after close_notify");
                        return;
                    }
                    self.expired = true;
                    self.inbox.drain(..l.extra.start);
                    if self.inbox.is_empty() {
                        return;
                    }
                }
                Decrypted::IncompleteMessage { missing } => {
                    assert!(missing > 0);
                    self.starved = true;
                    return;
                }
            }
        }
    }

    /// EncryptMessage of `data` as records of at most `record_max` bytes; returns each
    /// record's plaintext.
    fn send(&mut self, data: &[u8], record_max: usize, out: &mut Wire) -> Vec<Vec<u8>> {
        let sizes = self.ctx.stream_sizes().expect("stream sizes");
        let mut records = Vec::new();
        for chunk in data.chunks(record_max.min(sizes.max_message).max(1)) {
            let mut record = vec![0u8; sizes.header + chunk.len() + sizes.trailer];
            record[sizes.header..sizes.header + chunk.len()].copy_from_slice(chunk);
            let written = self.ctx.encrypt(&mut record, chunk.len()).expect("encrypt");
            assert_eq!(written.total(), record.len(), "exactly one record");
            out.bytes.extend_from_slice(&record);
            out.record_ends.push(out.bytes.len());
            records.push(chunk.to_vec());
        }
        records
    }

    /// The shutdown procedure's first steps: the close_notify goes to `out`.
    fn shutdown(&mut self, out: &mut Wire) {
        self.ctx
            .apply_control_token(ControlToken::Shutdown)
            .expect("ApplyControlToken(SCHANNEL_SHUTDOWN)");
        let mut token = Vec::new();
        let o = self.ctx.handshake(&[], &mut token).expect("shutdown step");
        assert_eq!(o.status, HandshakeStatus::Ok);
        assert!(!token.is_empty(), "close_notify produced");
        out.bytes.extend_from_slice(&token);
        out.close_end = Some(out.bytes.len());
    }
}

/// Moves at most one chunk from `wire` to `to` (per `chunking`) and lets it process; returns
/// whether anything moved.
fn deliver(
    wire: &mut Wire,
    to: &mut Side,
    back: &mut Wire,
    chunking: &Chunking,
    rng: &mut Rng,
) -> bool {
    let available = wire.available();
    if available == 0 {
        return false;
    }
    let n = match chunking {
        Chunking::One => 1,
        Chunking::UpTo(max) => 1 + rng.below(*max),
        Chunking::All => available,
    }
    .min(available);
    to.inbox
        .extend_from_slice(&wire.bytes[wire.delivered..wire.delivered + n]);
    wire.delivered += n;
    to.process(back);
    true
}

/// Both endpoints, both directions and the schedule's random stream.
struct Conn {
    client: Side,
    server: Side,
    c2s: Wire,
    s2c: Wire,
    rng: Rng,
}

impl Conn {
    /// Delivers in both directions, in random order, until nothing moves (or `budget` rounds).
    fn pump(&mut self, case: &Case, budget: Option<usize>) {
        let mut rounds = 0;
        loop {
            if budget.is_some_and(|b| rounds >= b) {
                return;
            }
            rounds += 1;
            let Self {
                client,
                server,
                c2s,
                s2c,
                rng,
            } = self;
            // One chunk in a random direction, or in the other one if that has nothing.
            let c2s_first = rng.below(2) == 0;
            let moved = (0..2).any(|turn| {
                if (turn == 0) == c2s_first {
                    deliver(c2s, server, s2c, &case.chunk_c2s, rng)
                } else {
                    deliver(s2c, client, c2s, &case.chunk_s2c, rng)
                }
            });
            if !moved {
                return;
            }
        }
    }
}

fn credentials(tls13: bool) -> &'static (Credentials, Credentials) {
    use std::sync::OnceLock;
    static T12: OnceLock<(Credentials, Credentials)> = OnceLock::new();
    static T13: OnceLock<(Credentials, Credentials)> = OnceLock::new();
    let (cell, protocols) = if tls13 {
        (&T13, Protocols::TLS13_ONLY)
    } else {
        (&T12, Protocols::TLS12_ONLY)
    };
    cell.get_or_init(|| {
        (
            client_credentials(KeyKind::EcdsaP256, protocols),
            server_credentials(KeyKind::EcdsaP256, protocols),
        )
    })
}

/// Per-direction results, for the invariants.
struct Outcome {
    sent: Vec<Vec<u8>>,
    received: Vec<Vec<u8>>,
    /// Whole records that reached the receiver.
    arrived: usize,
    close_notify_arrived: bool,
    expired: bool,
    starved: bool,
}

fn run(case: &Case) -> (Outcome, Outcome) {
    let (cc, sc) = credentials(case.tls13);
    let mut c = Conn {
        client: Side::new(
            SecurityContext::client(cc, Some("localhost"), ContextOptions::default()).unwrap(),
        ),
        server: Side::new(SecurityContext::server(sc, ContextOptions::default()).unwrap()),
        c2s: Wire::default(),
        s2c: Wire::default(),
        rng: Rng(case.seed | 1),
    };

    // The handshake, through the same chunked deliveries.
    c.client.process(&mut c.c2s);
    c.pump(case, None);
    assert!(c.client.established && c.server.established, "handshake");

    // Application data, with deliveries interleaved at random between the messages.
    let make = |msgs: &[(usize, u64)]| -> Vec<Vec<u8>> {
        msgs.iter().map(|&(len, seed)| pattern(len, seed)).collect()
    };
    let (c_msgs, s_msgs) = (make(&case.c2s), make(&case.s2c));
    let (mut sent_c, mut sent_s) = (Vec::new(), Vec::new());
    let (mut ci, mut si) = (0, 0);
    while ci < c_msgs.len() || si < s_msgs.len() {
        if si == s_msgs.len() || (ci < c_msgs.len() && c.rng.below(2) == 0) {
            sent_c.extend(c.client.send(&c_msgs[ci], case.record_max, &mut c.c2s));
            ci += 1;
        } else {
            sent_s.extend(c.server.send(&s_msgs[si], case.record_max, &mut c.s2c));
            si += 1;
        }
        let budget = c.rng.below(8);
        c.pump(case, Some(budget));
    }

    // Cuts: a fraction of each direction's post-handshake bytes (+ room for the close_notify),
    // never before what was already delivered.
    let cut_at = |wire: &Wire, ending: Ending| {
        ending.cut.map(|per_mille| {
            let post = wire.bytes.len() - wire.handshake_end + 40;
            (wire.handshake_end + post * usize::from(per_mille) / 1000).max(wire.delivered)
        })
    };
    c.c2s.cut = cut_at(&c.c2s, case.client_end);
    c.s2c.cut = cut_at(&c.s2c, case.server_end);

    // The shutdown, in the case's order; a side whose ending has no close_notify just stops.
    let (client_closes, server_closes) =
        (case.client_end.close_notify, case.server_end.close_notify);
    match case.first {
        First::Client => {
            if client_closes {
                c.client.shutdown(&mut c.c2s);
            }
            c.pump(case, None);
            if server_closes {
                c.server.shutdown(&mut c.s2c);
            }
        }
        First::Server => {
            if server_closes {
                c.server.shutdown(&mut c.s2c);
            }
            c.pump(case, None);
            if client_closes {
                c.client.shutdown(&mut c.c2s);
            }
        }
        First::Both => {
            if client_closes {
                c.client.shutdown(&mut c.c2s);
            }
            if server_closes {
                c.server.shutdown(&mut c.s2c);
            }
        }
    }
    c.pump(case, None);

    let outcome = |wire: &Wire, sent: Vec<Vec<u8>>, to: &Side| {
        let limit = wire.limit();
        Outcome {
            arrived: wire.record_ends.iter().filter(|&&end| end <= limit).count(),
            close_notify_arrived: wire.close_end.is_some_and(|end| end <= limit),
            received: to.records.clone(),
            expired: to.expired,
            starved: to.starved,
            sent,
        }
    };
    (
        outcome(&c.c2s, sent_c, &c.server),
        outcome(&c.s2c, sent_s, &c.client),
    )
}

fn check(direction: &str, o: &Outcome) -> Result<(), TestCaseError> {
    prop_assert!(
        o.received.len() == o.arrived && o.received[..] == o.sent[..o.arrived],
        "{direction}: {} records decrypted, {} arrived whole, {} sent; plaintext differs: {}",
        o.received.len(),
        o.arrived,
        o.sent.len(),
        o.received.iter().zip(&o.sent).any(|(a, b)| a != b)
    );
    prop_assert_eq!(
        o.expired,
        o.close_notify_arrived,
        "{}: SEC_I_CONTEXT_EXPIRED iff a whole close_notify arrived",
        direction
    );
    if !o.close_notify_arrived {
        prop_assert!(o.starved, "{direction}: a cut stream ends incomplete");
    }
    Ok(())
}

fn cases() -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1000)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(), ..ProptestConfig::default() })]

    #[test]
    fn conversations_deliver_every_record_once_and_close_iff_close_notify(case in case()) {
        // Byte-at-a-time delivery of megabytes is slow in debug builds and adds nothing.
        let mut case = case;
        let total: usize = case.c2s.iter().chain(&case.s2c).map(|m| m.0).sum();
        if total > 16 * 1024 {
            for c in [&mut case.chunk_c2s, &mut case.chunk_s2c] {
                if matches!(c, Chunking::One) {
                    *c = Chunking::UpTo(16);
                }
            }
        }
        let (c2s, s2c) = run(&case);
        check("client → server", &c2s)?;
        check("server → client", &s2c)?;
    }
}

/// A few fixed corner cases, run every time (empty conversations, a cut exactly at the end of
/// the data, a cut inside the close_notify).
#[test]
fn fixed_corner_cases() {
    let base = Case {
        tls13: true,
        c2s: vec![],
        s2c: vec![],
        record_max: usize::MAX,
        chunk_c2s: Chunking::All,
        chunk_s2c: Chunking::All,
        first: First::Both,
        client_end: Ending {
            close_notify: true,
            cut: None,
        },
        server_end: Ending {
            close_notify: true,
            cut: None,
        },
        seed: 7,
    };
    for tls13 in [false, true] {
        for first in [First::Client, First::Server, First::Both] {
            for cut in [None, Some(0), Some(999), Some(1000)] {
                for close_notify in [true, false] {
                    let case = Case {
                        tls13,
                        c2s: vec![(1000, 1), (0, 2), (17_000, 3)],
                        s2c: vec![(5, 4)],
                        first,
                        client_end: Ending { close_notify, cut },
                        ..base.clone()
                    };
                    let (c2s, s2c) = run(&case);
                    check("client → server", &c2s).unwrap_or_else(|e| panic!("{case:?}: {e}"));
                    check("server → client", &s2c).unwrap_or_else(|e| panic!("{case:?}: {e}"));
                }
            }
        }
    }
    // No data at all, both closes clean.
    let (c2s, s2c) = run(&base);
    assert!(c2s.expired && s2c.expired);
}

/// The tally of runs kept honest: one run with counted records (a sanity check of the
/// harness itself, so that the invariants cannot pass vacuously).
#[test]
fn harness_counts_records() {
    let case = Case {
        tls13: false,
        c2s: vec![(40_000, 1)],
        s2c: vec![(100, 2), (100, 3)],
        record_max: 10_000,
        chunk_c2s: Chunking::UpTo(700),
        chunk_s2c: Chunking::One,
        first: First::Server,
        client_end: Ending {
            close_notify: true,
            cut: None,
        },
        server_end: Ending {
            close_notify: false,
            cut: None,
        },
        seed: 99,
    };
    let (c2s, s2c) = run(&case);
    assert_eq!(c2s.sent.len(), 4);
    assert_eq!(c2s.received.len(), 4);
    assert!(c2s.expired);
    assert_eq!(s2c.received.len(), 2);
    assert!(!s2c.expired && s2c.starved);
    assert_eq!(c2s.received.concat(), pattern(40_000, 1));
}
