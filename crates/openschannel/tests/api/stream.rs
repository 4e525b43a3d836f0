//! `TlsStream`: a clean close reads as `Ok(0)`, truncation as `UnexpectedEof`; data before the
//! close_notify is all returned; shutdown is bidirectional (or send-only); TLS 1.3 half-close;
//! TLS 1.2 answers a close_notify; `WouldBlock` never duplicates a record.

use openschannel_test_support as common;

use std::collections::VecDeque;
use std::io::{self, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use common::{client_credentials, pattern, server_credentials, KeyKind};
use openschannel::stream::{NoTimeout, Transport};
use openschannel::{Protocol, Protocols, StreamOptions, TlsStream};

fn tcp_pair(
    protocols: Protocols,
    server: impl FnOnce(TlsStream<TcpStream>) + Send + 'static,
) -> (TlsStream<TcpStream>, std::thread::JoinHandle<()>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let s = server_credentials(KeyKind::EcdsaP256, protocols);
    let handle = std::thread::spawn(move || {
        let (tcp, _) = listener.accept().unwrap();
        tcp.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
        server(TlsStream::accept(&s, tcp).unwrap());
    });
    let c = client_credentials(KeyKind::EcdsaP256, protocols);
    let tcp = TcpStream::connect(addr).unwrap();
    tcp.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
    (TlsStream::connect(&c, "localhost", tcp).unwrap(), handle)
}

const BOTH: [Protocols; 2] = [Protocols::TLS12_ONLY, Protocols::TLS13_ONLY];

#[test]
fn clean_close_is_ok_zero_after_all_data() {
    for protocols in BOTH {
        let (mut client, server) = tcp_pair(protocols, |mut s| {
            s.write_all(&pattern(100_000, 5)).unwrap();
            s.shutdown().unwrap(); // waits for the client's close_notify
            assert!(s.peer_closed());
        });
        let mut got = Vec::new();
        client.read_to_end(&mut got).unwrap(); // Ok(0) ends it: a clean close
        assert_eq!(got, pattern(100_000, 5));
        assert!(client.peer_closed());
        assert_eq!(client.read(&mut [0u8; 10]).unwrap(), 0, "EOF repeats");
        if protocols == Protocols::TLS13_ONLY {
            // TLS 1.3 half-close: we may still write, then close our side.
            client.write_all(b"bye").unwrap_or(());
        }
        client.shutdown().unwrap();
        server.join().unwrap();
    }
}

#[test]
fn truncation_is_unexpected_eof_never_ok_zero() {
    for protocols in BOTH {
        let (mut client, server) = tcp_pair(protocols, |mut s| {
            s.write_all(b"partial answer").unwrap();
            s.flush().unwrap();
            // Drop the TCP connection without close_notify.
            s.get_mut().shutdown(std::net::Shutdown::Both).unwrap();
        });
        server.join().unwrap();
        let mut buf = [0u8; 64];
        let n = client.read(&mut buf).unwrap();
        assert_eq!(&buf[..n], b"partial answer");
        let e = client.read(&mut buf).unwrap_err();
        assert_eq!(e.kind(), io::ErrorKind::UnexpectedEof);
        assert!(e.to_string().contains("close_notify"), "{e}");
        // And it stays that way.
        assert_eq!(
            client.read(&mut buf).unwrap_err().kind(),
            io::ErrorKind::UnexpectedEof
        );
        // read_to_end reports it too.
        assert_eq!(
            client.read_to_end(&mut Vec::new()).unwrap_err().kind(),
            io::ErrorKind::UnexpectedEof
        );
    }
}

#[test]
fn shutdown_send_only_then_the_peer_answers() {
    for protocols in BOTH {
        let (mut client, server) = tcp_pair(protocols, |mut s| {
            let mut got = Vec::new();
            s.read_to_end(&mut got).unwrap();
            assert_eq!(got, b"request");
            if s.protocol() == Some(Protocol::Tls13) {
                // Half-close: the server still answers after the client's close_notify.
                s.write_all(b"response after your close").unwrap();
            }
            s.shutdown_send().unwrap();
        });
        client.write_all(b"request").unwrap();
        client.shutdown_send().unwrap();
        assert!(client.write(b"more").is_err(), "writes after shutdown fail");
        let mut got = Vec::new();
        client.read_to_end(&mut got).unwrap();
        if protocols == Protocols::TLS13_ONLY {
            assert_eq!(got, b"response after your close");
        } else {
            assert!(got.is_empty());
        }
        server.join().unwrap();
    }
}

#[test]
fn tls12_answers_the_peers_close_notify() {
    let (mut client, server) = tcp_pair(Protocols::TLS12_ONLY, |mut s| {
        s.shutdown_send().unwrap();
        // The client answers by itself: the server's read sees a clean EOF.
        let mut got = Vec::new();
        s.read_to_end(&mut got).unwrap();
        assert!(s.peer_closed());
    });
    assert_eq!(client.read(&mut [0u8; 8]).unwrap(), 0);
    server.join().unwrap();
    // Our own close_notify was already sent: writing now is refused.
    assert_eq!(
        client.write(b"x").unwrap_err().kind(),
        io::ErrorKind::BrokenPipe
    );
}

fn client_with(options: StreamOptions, addr: std::net::SocketAddr) -> TlsStream<TcpStream> {
    let c = client_credentials(KeyKind::EcdsaP256, Protocols::TLS13_ONLY);
    TlsStream::connect_with(&c, "localhost", TcpStream::connect(addr).unwrap(), options).unwrap()
}

fn server_thread(
    body: impl FnOnce(TlsStream<TcpStream>) + Send + 'static,
) -> (std::net::SocketAddr, std::thread::JoinHandle<()>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let s = server_credentials(KeyKind::EcdsaP256, Protocols::TLS13_ONLY);
    let t = std::thread::spawn(move || {
        let (tcp, _) = listener.accept().unwrap();
        body(TlsStream::accept(&s, tcp).unwrap());
    });
    (addr, t)
}

#[test]
fn shutdown_times_out_when_the_peer_stays_silent() {
    let (tx, rx) = std::sync::mpsc::channel::<()>();
    let (addr, server) = server_thread(move |s| {
        let _ = rx.recv_timeout(Duration::from_secs(10)); // silent until the client is done
        drop(s);
    });
    let options = StreamOptions {
        shutdown_timeout: Some(Duration::from_millis(300)),
        ..Default::default()
    };
    let mut client = client_with(options, addr);
    let started = std::time::Instant::now();
    let e = client.shutdown().unwrap_err();
    assert_eq!(e.kind(), io::ErrorKind::TimedOut, "{e}");
    assert!(started.elapsed() < Duration::from_secs(5));
    // The transport's own timeout is restored afterwards.
    assert_eq!(client.get_ref().read_timeout().unwrap(), None);
    tx.send(()).unwrap();
    server.join().unwrap();
}

#[test]
fn shutdown_reports_truncation_when_the_peer_leaves_without_answering() {
    let (addr, server) = server_thread(|mut s| {
        let mut got = Vec::new();
        s.read_to_end(&mut got).unwrap(); // sees our close_notify: Ok(0)
        assert!(s.peer_closed());
        // TLS 1.3 does not force an answer: close TCP without one.
        s.get_mut().shutdown(std::net::Shutdown::Both).unwrap();
    });
    let mut client = client_with(StreamOptions::default(), addr);
    let e = client.shutdown().unwrap_err();
    assert_eq!(e.kind(), io::ErrorKind::UnexpectedEof, "{e}");
    server.join().unwrap();
}

/// A transport over shared in-memory queues whose writes can be made to fail with
/// `WouldBlock` and whose reads never block (returning `WouldBlock` when empty).
#[derive(Clone)]
struct Pipe {
    rx: Arc<Mutex<VecDeque<u8>>>,
    tx: Arc<Mutex<VecDeque<u8>>>,
    write_budget: Arc<Mutex<Option<usize>>>,
}

impl Read for Pipe {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let mut rx = self.rx.lock().unwrap();
        if rx.is_empty() {
            return Err(io::ErrorKind::WouldBlock.into());
        }
        let n = buf.len().min(rx.len());
        for (b, v) in buf.iter_mut().zip(rx.drain(..n)) {
            *b = v;
        }
        Ok(n)
    }
}

impl Write for Pipe {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let mut budget = self.write_budget.lock().unwrap();
        let n = match *budget {
            Some(0) => return Err(io::ErrorKind::WouldBlock.into()),
            Some(b) => buf.len().min(b),
            None => buf.len(),
        };
        if let Some(b) = budget.as_mut() {
            *b -= n;
        }
        self.tx.lock().unwrap().extend(&buf[..n]);
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

impl Transport for Pipe {}

fn pipes() -> (Pipe, Pipe) {
    let a = Arc::new(Mutex::new(VecDeque::new()));
    let b = Arc::new(Mutex::new(VecDeque::new()));
    (
        Pipe {
            rx: a.clone(),
            tx: b.clone(),
            write_budget: Arc::new(Mutex::new(None)),
        },
        Pipe {
            rx: b,
            tx: a,
            write_budget: Arc::new(Mutex::new(None)),
        },
    )
}

/// A client and a server over in-memory pipes; the handshake runs on two threads with a
/// retrying adapter, then the streams use the raw non-blocking pipes.
fn nonblocking_pair(protocols: Protocols) -> (TlsStream<Pipe>, TlsStream<Pipe>, Pipe) {
    let (cp, sp) = pipes();
    let s = server_credentials(KeyKind::EcdsaP256, protocols);
    let c = client_credentials(KeyKind::EcdsaP256, protocols);
    // Blocking handshakes need a peer running concurrently: use threads with a retrying pipe.
    let server = std::thread::spawn(move || TlsStream::accept(&s, Retry(sp)).unwrap());
    let client = TlsStream::connect(&c, "localhost", Retry(cp.clone())).unwrap();
    let server = server.join().unwrap();
    // After the handshake, use the raw non-blocking pipes: WouldBlock reaches the stream.
    (
        client.map_transport(|r| r.0),
        server.map_transport(|r| r.0),
        cp,
    )
}

/// Turns `WouldBlock` reads into short sleeps, for the handshake phase.
struct Retry(Pipe);

impl Read for Retry {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        loop {
            match self.0.read(buf) {
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => {
                    std::thread::sleep(Duration::from_millis(1))
                }
                other => return other,
            }
        }
    }
}

impl Write for Retry {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0.write(buf)
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

impl Transport for Retry {}

#[test]
fn would_block_never_duplicates_or_loses_a_record() {
    for protocols in BOTH {
        let (mut client, mut server, client_pipe) = nonblocking_pair(protocols);
        // Let the client's writes stall after 100 bytes.
        *client_pipe.write_budget.lock().unwrap() = Some(100);
        let data = pattern(50_000, 77);
        let mut sent = 0;
        let mut stalls = 0;
        let mut received = Vec::new();
        while sent < data.len() || received.len() < data.len() {
            if sent < data.len() {
                match client.write(&data[sent..]) {
                    Ok(n) => sent += n,
                    Err(e) if e.kind() == io::ErrorKind::WouldBlock => {
                        stalls += 1;
                        *client_pipe.write_budget.lock().unwrap() = Some(3000);
                    }
                    Err(e) => panic!("{e}"),
                }
            } else {
                *client_pipe.write_budget.lock().unwrap() = None;
                client.flush().unwrap();
            }
            let mut buf = [0u8; 4096];
            loop {
                match server.read(&mut buf) {
                    Ok(0) => panic!("unexpected EOF"),
                    Ok(n) => received.extend_from_slice(&buf[..n]),
                    Err(e) if e.kind() == io::ErrorKind::WouldBlock => break,
                    Err(e) => panic!("{e}"),
                }
            }
        }
        assert!(stalls > 0, "the test must exercise WouldBlock");
        assert_eq!(received, data, "every byte exactly once, in order");
    }
}

#[test]
fn in_memory_transport_with_no_timeouts() {
    // NoTimeout adapts any Read + Write; here a TCP pair stands in for an arbitrary pipe.
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let s = server_credentials(KeyKind::EcdsaP256, Protocols::ALL);
    let t = std::thread::spawn(move || {
        let (tcp, _) = listener.accept().unwrap();
        let mut s = TlsStream::accept(&s, NoTimeout(tcp)).unwrap();
        let mut got = String::new();
        s.read_to_string(&mut got).unwrap();
        got
    });
    let c = client_credentials(KeyKind::EcdsaP256, Protocols::ALL);
    let mut client = TlsStream::connect(
        &c,
        "localhost",
        NoTimeout(TcpStream::connect(addr).unwrap()),
    )
    .unwrap();
    client.write_all(b"over any transport").unwrap();
    client.shutdown_send().unwrap();
    assert_eq!(t.join().unwrap(), "over any transport");
}

#[test]
fn the_observer_sees_every_sspi_call_in_order() {
    let events = Arc::new(Mutex::new(Vec::<openschannel::stream::CallEvent>::new()));
    let sink = events.clone();
    let options = StreamOptions {
        observer: Some(Arc::new(move |e: &openschannel::stream::CallEvent| {
            sink.lock().unwrap().push(e.clone())
        })),
        ..Default::default()
    };
    let (addr, server) = server_thread(|mut s| {
        s.write_all(b"hello").unwrap();
        s.shutdown().unwrap();
    });
    let mut client = client_with(options, addr);
    let mut got = Vec::new();
    client.read_to_end(&mut got).unwrap();
    client.shutdown().unwrap();
    server.join().unwrap();
    let events = events.lock().unwrap();
    let calls: Vec<(&str, openschannel::Status)> =
        events.iter().map(|e| (e.call, e.status)).collect();
    use openschannel::Status as S;
    assert_eq!(
        calls[0],
        ("InitializeSecurityContext", S::SEC_I_CONTINUE_NEEDED)
    );
    assert!(calls.contains(&("InitializeSecurityContext", S::SEC_E_OK)));
    assert!(
        calls.contains(&("DecryptMessage", S::SEC_I_RENEGOTIATE)),
        "TLS 1.3 tickets"
    );
    assert!(calls.contains(&("DecryptMessage", S::SEC_E_OK)));
    let expired = calls
        .iter()
        .position(|c| *c == ("DecryptMessage", S::SEC_I_CONTEXT_EXPIRED))
        .unwrap();
    let control = calls
        .iter()
        .position(|c| *c == ("ApplyControlToken", S::SEC_E_OK))
        .unwrap();
    assert!(expired < control, "the server closed first");
    assert_eq!(
        calls[control + 1],
        ("InitializeSecurityContext", S::SEC_E_OK)
    );
    assert!(
        events[control + 1].detail.contains("token 24 B"),
        "{}",
        events[control + 1].detail
    );
}

/// One read returns the plaintext of every record already received (as rustls' reader does),
/// without waiting for the transport again.
#[test]
fn one_read_returns_every_record_already_received() {
    for protocols in BOTH {
        let (mut client, mut server, _) = nonblocking_pair(protocols);
        for part in [&b"GET / HTTP/1.0\r\n"[..], b"Host: x\r\n", b"\r\n"] {
            assert_eq!(client.write(part).unwrap(), part.len());
        }
        client.flush().unwrap();
        let mut buf = [0u8; 4096];
        let n = server.read(&mut buf).unwrap();
        assert_eq!(
            &buf[..n],
            b"GET / HTTP/1.0\r\nHost: x\r\n\r\n",
            "{protocols:?}"
        );
        // A buffer smaller than what arrived: the rest comes with the next read.
        for part in [&b"0123456789"[..], b"abcdef"] {
            client.write_all(part).unwrap();
        }
        let mut small = [0u8; 12];
        let n = server.read(&mut small).unwrap();
        assert_eq!(&small[..n], b"0123456789ab");
        let n = server.read(&mut small).unwrap();
        assert_eq!(&small[..n], b"cdef");
        assert_eq!(
            server.read(&mut small).unwrap_err().kind(),
            io::ErrorKind::WouldBlock
        );
    }
}
