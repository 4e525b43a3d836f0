//! Timing: one sample of one case for one contender. The orchestration (which cases, which
//! contenders, interleaving, medians) is in the parent module.

use std::hint::black_box;
use std::time::{Duration, Instant};

use super::contender::{Connection, Connector};

/// Largest record plaintext.
pub const MAX_RECORD: usize = 16384;
/// Room every record buffer leaves beyond its plaintext (header, explicit nonce, trailer).
pub const OVERHEAD: usize = 256;

/// What a bulk sample measures.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BulkMode {
    /// The client seals records; nothing is opened.
    Encrypt,
    /// The server opens records sealed beforehand (untimed).
    Decrypt,
    /// Seal then open each record.
    RoundTrip,
}

impl BulkMode {
    /// `"encrypt"`, `"decrypt"`, `"roundtrip"`.
    pub fn label(self) -> &'static str {
        match self {
            Self::Encrypt => "encrypt",
            Self::Decrypt => "decrypt",
            Self::RoundTrip => "roundtrip",
        }
    }

    /// Every mode.
    pub const ALL: [Self; 3] = [Self::Encrypt, Self::Decrypt, Self::RoundTrip];
}

/// Plaintext bytes of a recognisable pattern.
pub fn plaintext(len: usize) -> Vec<u8> {
    (0..len).map(|i| (i * 31 + 7) as u8).collect()
}

/// Records of `size` bytes sealed by `conn`'s client into one buffer; returns the buffer and
/// each record's range. Untimed preparation for decrypt samples.
fn sealed_batch(
    conn: &mut dyn Connection,
    plain: &[u8],
    count: usize,
) -> (Vec<u8>, Vec<(usize, usize)>) {
    let mut buf = vec![0u8; count * (plain.len() + OVERHEAD)];
    let mut ranges = Vec::with_capacity(count);
    let mut at = 0;
    for _ in 0..count {
        let n = conn.encrypt(plain, &mut buf[at..]);
        ranges.push((at, n));
        at += n;
    }
    buf.truncate(at);
    (buf, ranges)
}

/// How many records a decrypt batch holds (about 4 MiB of plaintext, at least 64 records).
fn batch_len(size: usize) -> usize {
    (4 << 20) / size.max(1).max(64)
}

/// One bulk sample on a fresh connection from `connector`: MB/s of plaintext (10^6 bytes/s)
/// over at least `duration` of timed work.
pub fn bulk(connector: &mut dyn Connector, mode: BulkMode, size: usize, duration: Duration) -> f64 {
    let mut conn = connector.connect();
    let plain = plaintext(size);
    let mut record = vec![0u8; size + OVERHEAD];
    let mut plain_out = vec![0u8; MAX_RECORD + OVERHEAD];
    // Warm-up (caches, lazily grown buffers), then the timed part.
    let (bytes, elapsed) = match mode {
        BulkMode::Encrypt => {
            for _ in 0..16 {
                black_box(conn.encrypt(&plain, &mut record));
            }
            let check = chunk(size);
            let start = Instant::now();
            let mut records = 0u64;
            loop {
                for _ in 0..check {
                    black_box(conn.encrypt(black_box(&plain), &mut record));
                }
                records += check;
                if start.elapsed() >= duration {
                    break;
                }
            }
            (records * size as u64, start.elapsed())
        }
        BulkMode::RoundTrip => {
            for _ in 0..16 {
                let n = conn.encrypt(&plain, &mut record);
                black_box(conn.decrypt(&mut record[..n], &mut plain_out));
            }
            let check = chunk(size);
            let start = Instant::now();
            let mut records = 0u64;
            loop {
                for _ in 0..check {
                    let n = conn.encrypt(black_box(&plain), &mut record);
                    let got = conn.decrypt(&mut record[..n], &mut plain_out);
                    debug_assert_eq!(got, size);
                    black_box(got);
                }
                records += check;
                if start.elapsed() >= duration {
                    break;
                }
            }
            (records * size as u64, start.elapsed())
        }
        BulkMode::Decrypt => {
            let mut timed = Duration::ZERO;
            let mut records = 0u64;
            let mut first = true;
            while timed < duration {
                let (mut buf, ranges) = sealed_batch(conn.as_mut(), &plain, batch_len(size));
                let start = Instant::now();
                for &(at, n) in &ranges {
                    let got = conn.decrypt(&mut buf[at..at + n], &mut plain_out);
                    debug_assert_eq!(got, size);
                    black_box(got);
                }
                let t = start.elapsed();
                // The first batch warms up; it is not counted.
                if !first {
                    timed += t;
                    records += ranges.len() as u64;
                }
                first = false;
            }
            (records * size as u64, timed)
        }
    };
    bytes as f64 / elapsed.as_secs_f64() / 1e6
}

/// Records between two clock reads: about 64 KiB of plaintext.
fn chunk(size: usize) -> u64 {
    ((64 << 10) / size.max(1)).max(1) as u64
}

/// One handshake sample: complete connections (client + server, each then dropped) per
/// second over at least `duration`.
pub fn handshakes(connector: &mut dyn Connector, duration: Duration) -> f64 {
    drop(connector.connect());
    let start = Instant::now();
    let mut n = 0u64;
    while start.elapsed() < duration {
        drop(black_box(connector.connect()));
        n += 1;
    }
    n as f64 / start.elapsed().as_secs_f64()
}

/// One shutdown sample: microseconds per connection for the whole close (both sides), timed
/// alone; connections are set up untimed.
pub fn shutdowns(connector: &mut dyn Connector, duration: Duration) -> f64 {
    let mut timed = Duration::ZERO;
    let mut n = 0u64;
    let wall = Instant::now();
    while timed < duration && wall.elapsed() < duration * 20 {
        let conn = connector.connect();
        let start = Instant::now();
        conn.shutdown();
        timed += start.elapsed();
        n += 1;
    }
    timed.as_secs_f64() * 1e6 / n as f64
}
