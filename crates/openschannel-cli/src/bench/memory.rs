//! Memory figures: heap held by an established idle context on each side, the heap peak of a
//! handshake, and heap allocations per record in steady state.
//!
//! Two instruments: the process's global allocator counts every allocation Rust code makes
//! (openschannel, its C ABI, rustls, aws-lc-rs' Rust side) while counting is switched on; glibc's
//! `mallinfo2` gives the bytes malloc has handed out, which also sees C libraries that bypass
//! Rust's allocator (OpenSSL, and aws-lc's own C allocations). Both live in the C ABI crate's
//! `harness::alloc` (they need `unsafe`).

use std::any::Any;

use super::contender::Connector;
use super::runner::{plaintext, OVERHEAD};
use openschannel_ffi::harness::alloc;

/// Established pairs held at once for the idle figures.
const PAIRS: usize = 32;
/// Records per allocation count.
const RECORDS: usize = 256;
/// The record each idle pair carries before it is measured.
const PROBE: usize = 16;

/// One memory sample of one contender.
#[derive(Clone, Copy, Debug, Default)]
pub struct Sample {
    /// Heap (counting allocator) per idle client context, bytes.
    pub idle_client_heap: f64,
    /// Heap (counting allocator) per idle server context, bytes.
    pub idle_server_heap: f64,
    /// malloc'd bytes per idle client context.
    pub idle_client_malloc: Option<f64>,
    /// malloc'd bytes per idle server context.
    pub idle_server_malloc: Option<f64>,
    /// Heap peak above the starting point during one handshake (client and server together).
    pub handshake_peak: f64,
    /// Heap allocations per encrypted record.
    pub allocs_per_encrypt: f64,
    /// Heap allocations per decrypted record.
    pub allocs_per_decrypt: f64,
}

/// Takes one sample on `connector` with records of `size` bytes.
pub fn sample(connector: &mut dyn Connector, size: usize) -> Sample {
    // Warm up lazily created state (thread-local scratch, provider tables) first.
    let mut warm = connector.connect();
    let plain = plaintext(size);
    let mut record = vec![0u8; size + OVERHEAD];
    let mut plain_out = vec![0u8; 16384 + OVERHEAD];
    for _ in 0..4 {
        let n = warm.encrypt(&plain, &mut record);
        warm.decrypt(&mut record[..n], &mut plain_out);
    }
    drop(warm);

    let mut out = Sample::default();
    let mut clients: Vec<Box<dyn Any>> = Vec::with_capacity(PAIRS);
    let mut servers: Vec<Box<dyn Any>> = Vec::with_capacity(PAIRS);

    alloc::reset();
    alloc::set_counting(true);
    let s0 = alloc::stats().live_bytes;

    // Handshake peak: one connection, both sides. Every pair then carries one small record
    // (so each side holds what an established connection that has seen traffic holds — for
    // openschannel, its in-place record layer) and is left idle.
    alloc::reset_peak();
    let first = connector.connect();
    out.handshake_peak = (alloc::stats().peak_bytes - s0) as f64;
    let mut pending = Some(first);
    for _ in 0..PAIRS {
        let mut conn = pending.take().unwrap_or_else(|| connector.connect());
        let n = conn.encrypt(&plain[..PROBE], &mut record);
        conn.decrypt(&mut record[..n], &mut plain_out);
        let (c, s) = conn.into_sides();
        clients.push(c);
        servers.push(s);
    }
    let s1 = alloc::stats().live_bytes;
    let m1 = alloc::malloc_in_use();
    servers.clear();
    let s2 = alloc::stats().live_bytes;
    let m2 = alloc::malloc_in_use();
    clients.clear();
    let s3 = alloc::stats().live_bytes;
    let m3 = alloc::malloc_in_use();
    out.idle_server_heap = (s1 - s2) as f64 / PAIRS as f64;
    out.idle_client_heap = (s2 - s3) as f64 / PAIRS as f64;
    if let (Some(m1), Some(m2), Some(m3)) = (m1, m2, m3) {
        out.idle_server_malloc = Some((m1 as f64 - m2 as f64) / PAIRS as f64);
        out.idle_client_malloc = Some((m2 as f64 - m3 as f64) / PAIRS as f64);
    }

    // Allocations per record, steady state.
    alloc::set_counting(false);
    let mut conn = connector.connect();
    for _ in 0..16 {
        let n = conn.encrypt(&plain, &mut record);
        conn.decrypt(&mut record[..n], &mut plain_out);
    }
    alloc::reset();
    alloc::set_counting(true);
    for _ in 0..RECORDS {
        conn.encrypt(&plain, &mut record);
    }
    alloc::set_counting(false);
    out.allocs_per_encrypt = alloc::stats().allocations as f64 / RECORDS as f64;

    // The connection's client is now RECORDS records ahead: a fresh one for decrypt.
    let mut conn = connector.connect();
    let mut batch = vec![0u8; RECORDS * (size + OVERHEAD)];
    let mut ranges = Vec::with_capacity(RECORDS + 16);
    let mut at = 0;
    for _ in 0..RECORDS + 16 {
        let n = conn.encrypt(&plain, &mut batch[at..]);
        ranges.push((at, n));
        at += n;
        if at + size + OVERHEAD > batch.len() {
            batch.resize(batch.len() + 16 * (size + OVERHEAD), 0);
        }
    }
    for &(at, n) in &ranges[..16] {
        conn.decrypt(&mut batch[at..at + n], &mut plain_out);
    }
    alloc::reset();
    alloc::set_counting(true);
    for &(at, n) in &ranges[16..] {
        conn.decrypt(&mut batch[at..at + n], &mut plain_out);
    }
    alloc::set_counting(false);
    out.allocs_per_decrypt = alloc::stats().allocations as f64 / RECORDS as f64;
    out
}
