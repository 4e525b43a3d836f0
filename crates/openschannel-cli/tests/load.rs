//! Load: N concurrent connections against `openschannel server` (echo) on loopback. Each
//! connection is a `TlsStream` client thread: handshake, 64 KiB each way (sent and echoed,
//! compared by SHA-256), then `shutdown()` — our close_notify and the server's — so both
//! directions close cleanly. All N connect at once (a barrier), all stay open until every
//! handshake is done (a second barrier), so the server really holds N at a time.
//!
//! Asserted: zero failures, zero lost or corrupted bytes (every hash matches), and the server
//! logs N `clean both ways` lines with 64 KiB in and out. Reported: wall time, handshakes/s,
//! the server's peak RSS (`VmHWM`) and thread count.
//!
//! `N` is `OPENSCHANNEL_LOAD_CONNECTIONS` (default 100, what CI runs). For 1,000:
//! `OPENSCHANNEL_LOAD_CONNECTIONS=1000 cargo test --release -p openschannel-cli --test load -- --nocapture`
//! (needs ~2,100 file descriptors: `ulimit -n 4096` first if the limit is lower).

mod support;

use std::io::{Read, Write};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Barrier, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use openschannel::{Protocols, TlsStream};
use support::*;

const PER_DIRECTION: usize = 64 * 1024;

fn connections() -> usize {
    std::env::var("OPENSCHANNEL_LOAD_CONNECTIONS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100)
}

/// What one client thread measured.
struct Done {
    handshake: Duration,
    sent_hash: String,
    echo_hash: String,
}

#[test]
fn concurrent_connections_each_64_kib_both_ways_clean_close() {
    let n = connections();
    let pki = Pki::new();
    let server = Server::start(&pki, &[]);
    let addr = server.addr();
    let credentials = Arc::new(pki.client(Protocols::ALL));
    let all_connected = Arc::new(Barrier::new(n + 1));
    let all_handshaken = Arc::new(Barrier::new(n + 1));
    let failures = Arc::new(Mutex::new(Vec::<String>::new()));
    let handshakes = Arc::new(AtomicUsize::new(0));
    let idle_threads = server.threads();

    let clients: Vec<_> = (0..n)
        .map(|i| {
            let credentials = Arc::clone(&credentials);
            let (connected, handshaken) = (Arc::clone(&all_connected), Arc::clone(&all_handshaken));
            let failures = Arc::clone(&failures);
            let handshakes = Arc::clone(&handshakes);
            thread::Builder::new()
                .stack_size(256 * 1024)
                .spawn(move || {
                    connected.wait();
                    let start = Instant::now();
                    let tls = std::net::TcpStream::connect(addr).and_then(|tcp| {
                        tcp.set_read_timeout(Some(Duration::from_secs(60)))?;
                        tcp.set_write_timeout(Some(Duration::from_secs(60)))?;
                        TlsStream::connect(&credentials, "localhost", tcp)
                    });
                    let handshake = start.elapsed();
                    handshakes.fetch_add(1, Ordering::SeqCst);
                    // Hold the connection until every client has one: N at a time.
                    handshaken.wait();
                    let result = tls.and_then(|mut tls| {
                        let data = pattern(PER_DIRECTION, i as u64);
                        let mut echo = vec![0u8; PER_DIRECTION];
                        let mut got = 0;
                        for chunk in data.chunks(16 * 1024) {
                            tls.write_all(chunk)?;
                            tls.flush()?;
                            let end = got + chunk.len();
                            tls.read_exact(&mut echo[got..end])?;
                            got = end;
                        }
                        tls.shutdown()?;
                        Ok(Done {
                            handshake,
                            sent_hash: sha256_hex(&data),
                            echo_hash: sha256_hex(&echo),
                        })
                    });
                    if let Err(e) = &result {
                        failures
                            .lock()
                            .unwrap()
                            .push(format!("connection {i}: {e}"));
                    }
                    result.ok()
                })
                .expect("client thread")
        })
        .collect();

    all_connected.wait();
    let start = Instant::now();
    // Every client holds its connection now: sample the server before releasing them.
    while handshakes.load(Ordering::SeqCst) < n && start.elapsed() < DEADLINE * 4 {
        thread::sleep(Duration::from_millis(1));
    }
    let handshakes_done = start.elapsed();
    let peak_threads = server.threads();
    all_handshaken.wait();
    let done: Vec<Done> = clients
        .into_iter()
        .filter_map(|c| c.join().expect("client thread panicked"))
        .collect();
    let wall = start.elapsed();

    let failures = failures.lock().unwrap().clone();
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert_eq!(done.len(), n);
    let corrupted = done.iter().filter(|d| d.sent_hash != d.echo_hash).count();
    assert_eq!(
        corrupted, 0,
        "{corrupted} connections got back different bytes"
    );

    // The server's view: N clean connections with every byte.
    server.wait_for(&format!("{n} connection lines"), |log| {
        log.lines()
            .filter(|l| l.starts_with("openschannel: #"))
            .count()
            >= n
    });
    let log = server.log();
    let expected = format!("in {PER_DIRECTION} B, out {PER_DIRECTION} B: clean both ways");
    let clean = log.lines().filter(|l| l.ends_with(&expected)).count();
    assert_eq!(clean, n, "server log:\n{log}");

    let slowest = done.iter().map(|d| d.handshake).max().unwrap_or_default();
    let peak_rss = server.memory_kib("VmHWM");
    println!(
        "load: {n} concurrent connections, {} KiB each way, 0 failures, 0 corrupted; \
         wall {:.2} s; all handshakes done after {:.2} s ({:.0} handshakes/s, slowest {:.2} s); \
         {:.0} connections/s end to end; server peak RSS {} KiB ({:.1} KiB per connection), \
         {} server threads with all N open",
        PER_DIRECTION / 1024,
        wall.as_secs_f64(),
        handshakes_done.as_secs_f64(),
        n as f64 / handshakes_done.as_secs_f64(),
        slowest.as_secs_f64(),
        n as f64 / wall.as_secs_f64(),
        peak_rss,
        peak_rss as f64 / n as f64,
        peak_threads,
    );
    // Every connection thread is gone afterwards.
    let start = Instant::now();
    while server.threads() > idle_threads && start.elapsed() < DEADLINE {
        thread::sleep(Duration::from_millis(20));
    }
    assert_eq!(
        server.threads(),
        idle_threads,
        "connection threads left behind"
    );
}
