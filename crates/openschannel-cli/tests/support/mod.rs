//! Shared by `hostile.rs` and `load.rs` (on top of `openschannel-test-support`'s temporary
//! directories, pipes and test data): certificates, the `openschannel server` process with
//! its per-connection log, the server's memory from `/proc`, a well-behaved `TlsStream`
//! client, and a raw handshake driven through a `SecurityContext` so that a test can then
//! put any bytes it likes on the socket.
#![allow(dead_code)]

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

pub use openschannel_test_support::data::random_bytes as pattern;
pub use openschannel_test_support::files::{arg, TempDir};
pub use openschannel_test_support::peers::{collect, DEADLINE};
use openschannel_test_support::{Authority, LeafSpec};

use openschannel::{
    Certificate, ContextOptions, ControlToken, Credentials, Decrypted, HandshakeStatus, Protocols,
    SecurityContext, ServerValidation, TlsStream,
};

/// The `openschannel` binary under test.
pub fn openschannel() -> Command {
    Command::new(env!("CARGO_BIN_EXE_openschannel"))
}

/// A CA and a `localhost`/127.0.0.1 server certificate as PEM files (removed on drop), and
/// the CA for in-process clients.
pub struct Pki {
    pub dir: TempDir,
    pub ca: PathBuf,
    pub cert: PathBuf,
    pub key: PathBuf,
    pub ca_cert: Certificate,
    pub chain: Vec<Certificate>,
    pub key_pem: String,
}

impl Pki {
    pub fn new() -> Self {
        let dir = TempDir::new("cli");
        let ca = Authority::new("openschannel hostile-peer test CA");
        let leaf = ca.issue(&LeafSpec::localhost());
        let pki = Self {
            ca: dir.join("ca.pem"),
            cert: dir.join("server.pem"),
            key: dir.join("server.key"),
            ca_cert: ca.certificate(),
            chain: vec![Certificate::from_der(leaf.der)],
            key_pem: leaf.key_pem,
            dir,
        };
        std::fs::write(&pki.ca, ca.pem()).unwrap();
        std::fs::write(&pki.cert, leaf.cert_pem).unwrap();
        std::fs::write(&pki.key, &pki.key_pem).unwrap();
        pki
    }

    /// Client credentials trusting the CA.
    pub fn client(&self, protocols: Protocols) -> Credentials {
        Credentials::client()
            .protocols(protocols)
            .validation(ServerValidation::Roots(vec![self.ca_cert.clone()]))
            .build()
            .expect("client credentials")
    }

    /// Server credentials for the leaf (for hostile *servers* written in Rust).
    pub fn server(&self, protocols: Protocols) -> Credentials {
        let key = openschannel::PrivateKey::from_pem(self.key_pem.as_bytes()).unwrap();
        Credentials::server(self.chain.clone(), key)
            .protocols(protocols)
            .build()
            .expect("server credentials")
    }
}

/// A running `openschannel server`, killed on drop.
pub struct Server {
    pub child: Child,
    pub port: u16,
    err: Arc<Mutex<Vec<u8>>>,
}

impl Server {
    /// `openschannel server --listen 127.0.0.1:0 --cert --key` plus `extra`.
    pub fn start(pki: &Pki, extra: &[&str]) -> Self {
        let mut child = openschannel()
            .args(["server", "--listen", "127.0.0.1:0"])
            .args(["--cert", arg(&pki.cert), "--key", arg(&pki.key)])
            .args(extra)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start openschannel server");
        let err = Arc::new(Mutex::new(Vec::new()));
        collect(child.stderr.take().unwrap(), Arc::clone(&err));
        let mut server = Self {
            child,
            port: 0,
            err,
        };
        server.wait_for("the listening line", |log| {
            log.contains("listening on 127.0.0.1:")
        });
        let log = server.log();
        server.port = log
            .split("listening on 127.0.0.1:")
            .nth(1)
            .and_then(|rest| rest.split(|c: char| !c.is_ascii_digit()).next())
            .and_then(|p| p.parse().ok())
            .unwrap_or_else(|| panic!("no port in the server's log:\n{log}"));
        server
    }

    pub fn log(&self) -> String {
        String::from_utf8_lossy(&self.err.lock().unwrap()).into_owned()
    }

    /// Waits until `done(log)`; panics with the log after `DEADLINE`.
    #[track_caller]
    pub fn wait_for(&self, what: &str, done: impl Fn(&str) -> bool) {
        let start = Instant::now();
        while !done(&self.log()) {
            assert!(
                start.elapsed() < DEADLINE,
                "timed out waiting for {what}; server log:\n{}",
                self.log()
            );
            thread::sleep(Duration::from_millis(10));
        }
    }

    /// The per-connection log line of the connection from `peer` (waits for it).
    #[track_caller]
    pub fn line_for(&self, peer: SocketAddr) -> String {
        let needle = format!(" {peer}: ");
        self.wait_for(&format!("the log line of {peer}"), |log| {
            log.lines().any(|l| l.contains(&needle))
        });
        self.log()
            .lines()
            .find(|l| l.contains(&needle))
            .unwrap()
            .to_owned()
    }

    /// Number of per-connection lines logged so far.
    pub fn connections_logged(&self) -> usize {
        self.log()
            .lines()
            .filter(|l| l.starts_with("openschannel: #"))
            .count()
    }

    /// A field of `/proc/PID/status` in KiB (`VmRSS`, `VmHWM`).
    pub fn memory_kib(&self, field: &str) -> u64 {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id()))
            .expect("/proc/PID/status");
        status
            .lines()
            .find_map(|l| l.strip_prefix(field)?.strip_prefix(':'))
            .and_then(|v| v.split_whitespace().next()?.parse().ok())
            .unwrap_or_else(|| panic!("{field} missing from /proc status"))
    }

    /// Threads of the server process (`/proc/PID/status` `Threads`).
    pub fn threads(&self) -> u64 {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id())).unwrap();
        status
            .lines()
            .find_map(|l| l.strip_prefix("Threads:"))
            .and_then(|v| v.trim().parse().ok())
            .unwrap()
    }

    pub fn addr(&self) -> SocketAddr {
        SocketAddr::from(([127, 0, 0, 1], self.port))
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A TCP connection to `addr` with bounded reads and writes.
pub fn connect(addr: SocketAddr) -> TcpStream {
    let tcp = TcpStream::connect(addr).expect("connect");
    tcp.set_read_timeout(Some(DEADLINE)).unwrap();
    tcp.set_write_timeout(Some(DEADLINE)).unwrap();
    let _ = tcp.set_nodelay(true);
    tcp
}

/// A well-behaved client against the echo server: `len` bytes each way checked, then a
/// clean bidirectional close. Returns the bytes echoed.
pub fn good_client(addr: SocketAddr, credentials: &Credentials, len: usize, seed: u64) -> Vec<u8> {
    let mut tls = TlsStream::connect(credentials, "localhost", connect(addr)).expect("handshake");
    let data = pattern(len, seed);
    let mut echoed = vec![0u8; len];
    // Write and read in chunks so neither side's socket buffer can fill up.
    let mut read = 0;
    for chunk in data.chunks(16 * 1024) {
        tls.write_all(chunk).expect("write");
        tls.flush().expect("flush");
        let end = read + chunk.len();
        tls.read_exact(&mut echoed[read..end]).expect("read echo");
        read = end;
    }
    assert!(echoed == data, "echo differs");
    tls.shutdown().expect("clean bidirectional close");
    echoed
}

/// Lower-case hex SHA-256.
pub fn sha256_hex(data: &[u8]) -> String {
    let digest = aws_lc_rs::digest::digest(&aws_lc_rs::digest::SHA256, data);
    digest.as_ref().iter().map(|b| format!("{b:02x}")).collect()
}

/// A client context driven by hand over a raw socket, so the test controls every byte.
pub struct RawClient {
    pub tcp: TcpStream,
    pub ctx: SecurityContext,
    pub inbox: Vec<u8>,
}

impl RawClient {
    /// Connects and completes the handshake (TLS 1.3 tickets are left in the inbox).
    pub fn handshake(addr: SocketAddr, credentials: &Credentials) -> Self {
        let mut c = Self::start(addr, credentials);
        c.finish_handshake();
        c
    }

    /// Connects and sends the ClientHello only.
    pub fn start(addr: SocketAddr, credentials: &Credentials) -> Self {
        let mut ctx =
            SecurityContext::client(credentials, Some("localhost"), ContextOptions::default())
                .unwrap();
        let mut tcp = connect(addr);
        let mut hello = Vec::new();
        ctx.handshake(&[], &mut hello).unwrap();
        tcp.write_all(&hello).unwrap();
        Self {
            tcp,
            ctx,
            inbox: Vec::new(),
        }
    }

    /// Reads until the server's first flight is complete enough for the next client token,
    /// and returns that token without sending it.
    pub fn next_token(&mut self) -> (HandshakeStatus, Vec<u8>) {
        loop {
            let mut token = Vec::new();
            let o = self
                .ctx
                .handshake(&self.inbox, &mut token)
                .expect("handshake");
            self.inbox.drain(..o.consumed);
            match o.status {
                HandshakeStatus::ContinueNeeded if token.is_empty() && self.inbox.is_empty() => {
                    self.read_more()
                }
                HandshakeStatus::IncompleteMessage { .. } => self.read_more(),
                status if !token.is_empty() || status == HandshakeStatus::Ok => {
                    return (status, token)
                }
                _ => {}
            }
        }
    }

    fn read_more(&mut self) {
        let mut buf = [0u8; 16384];
        let n = self.tcp.read(&mut buf).expect("read from the server");
        assert!(n > 0, "the server closed during the handshake");
        self.inbox.extend_from_slice(&buf[..n]);
    }

    pub fn finish_handshake(&mut self) {
        loop {
            let (status, token) = self.next_token();
            self.tcp.write_all(&token).unwrap();
            if status == HandshakeStatus::Ok {
                return;
            }
        }
    }

    /// One encrypted application-data record.
    pub fn record(&mut self, data: &[u8]) -> Vec<u8> {
        let sizes = self.ctx.stream_sizes().unwrap();
        let mut rec = vec![0u8; sizes.header + data.len() + sizes.trailer];
        rec[sizes.header..sizes.header + data.len()].copy_from_slice(data);
        let n = self.ctx.encrypt(&mut rec, data.len()).unwrap().total();
        rec.truncate(n);
        rec
    }

    /// Our close_notify record (steps 1–3 of the shutdown procedure).
    pub fn close_notify(&mut self) -> Vec<u8> {
        self.ctx
            .apply_control_token(ControlToken::Shutdown)
            .unwrap();
        let mut token = Vec::new();
        self.ctx.handshake(&[], &mut token).unwrap();
        token
    }

    /// Reads and decrypts until `want` plaintext bytes arrived or the server closed
    /// (close_notify: `true`).
    pub fn read_plain(&mut self, want: usize) -> (Vec<u8>, bool) {
        let mut plain = Vec::new();
        loop {
            match self.ctx.decrypt(&mut self.inbox).expect("decrypt") {
                Decrypted::Data(l) => {
                    plain.extend_from_slice(&self.inbox[l.data.clone()]);
                    self.inbox.drain(..l.extra.start);
                    if plain.len() >= want {
                        return (plain, false);
                    }
                }
                Decrypted::Renegotiate(l) => {
                    self.inbox.drain(..l.extra.start);
                    let mut token = Vec::new();
                    self.ctx.handshake(&self.inbox, &mut token).unwrap();
                    self.tcp.write_all(&token).unwrap();
                }
                Decrypted::ContextExpired(_) => return (plain, true),
                Decrypted::IncompleteMessage { .. } => self.read_more(),
            }
        }
    }

    /// Closes the socket with a TCP reset (SO_LINGER 0) instead of a FIN.
    pub fn reset(self) {
        reset(self.tcp);
    }
}

/// Closes `tcp` with a TCP reset: SO_LINGER with a zero timeout, then close.
pub fn reset(tcp: TcpStream) {
    socket2::SockRef::from(&tcp)
        .set_linger(Some(Duration::ZERO))
        .expect("SO_LINGER");
    drop(tcp);
}
