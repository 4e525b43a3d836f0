//! Interop tests: the `openschannel` binary's `client` and `server` against real TLS stacks,
//! as processes on 127.0.0.1 — OpenSSL (`s_server`, `s_client`), GnuTLS (`gnutls-serv`,
//! `gnutls-cli`), Python's `ssl` module and tlslite-ng (scripts in `tests/peers/`).
//!
//! Every test is bounded: each wait has a deadline, and every child process is killed when its
//! handle drops, so a misbehaving peer fails a test instead of hanging it. Certificates are
//! generated per test with rcgen (a CA, a server leaf for localhost/127.0.0.1 and a client
//! leaf) and written as PEM into a temporary directory.
//!
//! A missing peer tool skips the test with a loud `SKIPPED` line — except when the `CI`
//! environment variable is set, where it fails the test (CI installs every peer with
//! `.ci/install-peers.sh`).

use std::io::Write;
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::{mpsc, Arc, Mutex};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

use openschannel_test_support::certs::{ExtendedKeyUsagePurpose, KeyUsagePurpose};
use openschannel_test_support::data::random_bytes;
use openschannel_test_support::files::{arg, TempDir};
use openschannel_test_support::peers::{
    available, collect, free_port, have_tlslite, runs, tlslite_python, DEADLINE,
};
use openschannel_test_support::{Authority, LeafSpec};

/// The `openschannel` binary under test.
fn openschannel() -> Command {
    Command::new(env!("CARGO_BIN_EXE_openschannel"))
}

// ------------------------------------------------------------------------------------------
// Peer availability

/// Returns from the test when a peer is missing (see [`available`]).
macro_rules! need {
    ($what:expr, $present:expr) => {
        if !available($what, $present) {
            return;
        }
    };
}

fn have_openssl() -> bool {
    runs(Path::new("openssl"), &["version"])
}

fn have_gnutls() -> bool {
    runs(Path::new("gnutls-serv"), &["--version"]) && runs(Path::new("gnutls-cli"), &["--version"])
}

fn have_python() -> bool {
    runs(Path::new("python3"), &["-c", "import ssl"])
}

/// A helper script under `tests/peers/`.
fn peer_script(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/peers")
        .join(name)
}

// ------------------------------------------------------------------------------------------
// Data

/// `len` bytes of random printable text in lines of 64 (63 characters and `\n`).
fn random_lines(len: usize, seed: u64) -> Vec<u8> {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out: Vec<u8> = random_bytes(len, seed)
        .iter()
        .map(|b| ALPHABET[usize::from(b & 63)])
        .collect();
    for i in (63..len).step_by(64) {
        out[i] = b'\n';
    }
    if let Some(last) = out.last_mut() {
        *last = b'\n';
    }
    out
}

/// Lower-case hex SHA-256 (what the peer scripts print).
fn sha256_hex(data: &[u8]) -> String {
    let digest = aws_lc_rs::digest::digest(&aws_lc_rs::digest::SHA256, data);
    digest.as_ref().iter().map(|b| format!("{b:02x}")).collect()
}

/// Asserts two byte strings are equal without dumping megabytes.
#[track_caller]
fn assert_same_bytes(got: &[u8], expected: &[u8], what: &str) {
    assert!(
        got == expected,
        "{what}: got {} bytes (sha256 {}), expected {} bytes (sha256 {})",
        got.len(),
        sha256_hex(got),
        expected.len(),
        sha256_hex(expected)
    );
}

/// The bytes `openschannel server --source N` sends.
fn source_pattern(len: usize) -> Vec<u8> {
    const PATTERN: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+\n";
    PATTERN.iter().copied().cycle().take(len).collect()
}

// ------------------------------------------------------------------------------------------
// Certificates and a temporary directory

/// A temporary directory with a CA, a server certificate (localhost, 127.0.0.1) and a client
/// certificate, as PEM files; removed on drop.
struct Pki {
    dir: TempDir,
    ca: PathBuf,
    server_cert: PathBuf,
    server_key: PathBuf,
    client_cert: PathBuf,
    client_key: PathBuf,
}

impl Pki {
    fn new() -> Self {
        let dir = TempDir::new("interop");
        let ca = Authority::with_key_usages(
            "openschannel interop test CA",
            vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign],
        );
        let server = ca.issue(&LeafSpec {
            usage: Some(ExtendedKeyUsagePurpose::ServerAuth),
            ..LeafSpec::localhost()
        });
        let client = ca.issue(&LeafSpec {
            names: &[],
            common_name: "openschannel test client",
            usage: Some(ExtendedKeyUsagePurpose::ClientAuth),
            ..LeafSpec::localhost()
        });
        let pki = Self {
            ca: dir.join("ca.pem"),
            server_cert: dir.join("server.pem"),
            server_key: dir.join("server.key"),
            client_cert: dir.join("client.pem"),
            client_key: dir.join("client.key"),
            dir,
        };
        std::fs::write(&pki.ca, ca.pem()).unwrap();
        std::fs::write(&pki.server_cert, server.cert_pem).unwrap();
        std::fs::write(&pki.server_key, server.key_pem).unwrap();
        std::fs::write(&pki.client_cert, client.cert_pem).unwrap();
        std::fs::write(&pki.client_key, client.key_pem).unwrap();
        pki
    }

    /// Writes `bytes` to a file in the directory and returns its path.
    fn file(&self, name: &str, bytes: &[u8]) -> PathBuf {
        self.dir.file(name, bytes)
    }
}

// ------------------------------------------------------------------------------------------
// Processes

/// A child process with captured output and a writable standard input, killed on drop.
struct Proc {
    name: String,
    child: Child,
    /// `Some(bytes)` writes, `None` closes standard input.
    stdin: Option<mpsc::Sender<Option<Vec<u8>>>>,
    out: Arc<Mutex<Vec<u8>>>,
    err: Arc<Mutex<Vec<u8>>>,
    readers: Vec<JoinHandle<()>>,
}

impl Proc {
    fn spawn(name: &str, mut command: Command) -> Self {
        command
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let mut child = command
            .spawn()
            .unwrap_or_else(|e| panic!("starting {name}: {e}"));
        let out = Arc::new(Mutex::new(Vec::new()));
        let err = Arc::new(Mutex::new(Vec::new()));
        let readers = vec![
            collect(child.stdout.take().unwrap(), Arc::clone(&out)),
            collect(child.stderr.take().unwrap(), Arc::clone(&err)),
        ];
        let mut stdin = child.stdin.take().unwrap();
        let (tx, rx) = mpsc::channel::<Option<Vec<u8>>>();
        thread::spawn(move || {
            while let Ok(Some(bytes)) = rx.recv() {
                if stdin
                    .write_all(&bytes)
                    .and_then(|()| stdin.flush())
                    .is_err()
                {
                    break;
                }
            }
        });
        Self {
            name: name.to_owned(),
            child,
            stdin: Some(tx),
            out,
            err,
            readers,
        }
    }

    fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Queues bytes for standard input.
    fn send(&self, bytes: &[u8]) {
        if let Some(tx) = &self.stdin {
            let _ = tx.send(Some(bytes.to_vec()));
        }
    }

    /// Closes standard input once everything queued is written.
    fn close_stdin(&mut self) {
        if let Some(tx) = self.stdin.take() {
            let _ = tx.send(None);
        }
    }

    fn stdout(&self) -> Vec<u8> {
        self.out.lock().unwrap().clone()
    }

    fn stdout_text(&self) -> String {
        String::from_utf8_lossy(&self.stdout()).into_owned()
    }

    fn stderr(&self) -> String {
        String::from_utf8_lossy(&self.err.lock().unwrap()).into_owned()
    }

    /// Both outputs, for failure messages (standard output cut to 3000 characters).
    fn dump(&self) -> String {
        let out = self.stdout_text();
        let cut: String = out.chars().take(3000).collect();
        format!(
            "--- {} stdout ({} bytes):\n{cut}\n--- {} stderr:\n{}",
            self.name,
            out.len(),
            self.name,
            self.stderr()
        )
    }

    /// Waits until `done(self)` holds; panics (with the outputs) after [`DEADLINE`].
    #[track_caller]
    fn wait_for(&self, what: &str, done: impl Fn(&Self) -> bool) {
        let start = Instant::now();
        while !done(self) {
            assert!(
                start.elapsed() < DEADLINE,
                "timed out waiting for {what}\n{}",
                self.dump()
            );
            thread::sleep(Duration::from_millis(10));
        }
    }

    #[track_caller]
    fn wait_stdout(&self, needle: &str) {
        self.wait_for(&format!("{needle:?} on {}'s stdout", self.name), |p| {
            p.stdout_text().contains(needle)
        });
    }

    #[track_caller]
    fn wait_stderr(&self, needle: &str) {
        self.wait_for(&format!("{needle:?} on {}'s stderr", self.name), |p| {
            p.stderr().contains(needle)
        });
    }

    #[track_caller]
    fn wait_stdout_len(&self, len: usize) {
        self.wait_for(&format!("{len} bytes on {}'s stdout", self.name), |p| {
            p.out.lock().unwrap().len() >= len
        });
    }

    /// Waits for the process to exit (killing it after [`DEADLINE`]) and for its output.
    #[track_caller]
    fn finish(&mut self) -> ExitStatus {
        let start = Instant::now();
        let status = loop {
            if let Some(status) = self.child.try_wait().expect("try_wait") {
                break status;
            }
            if start.elapsed() > DEADLINE {
                let _ = self.child.kill();
                let _ = self.child.wait();
                panic!("{} did not exit in time\n{}", self.name, self.dump());
            }
            thread::sleep(Duration::from_millis(10));
        };
        for reader in self.readers.drain(..) {
            let _ = reader.join();
        }
        status
    }

    /// Waits for the exit and asserts its status code.
    #[track_caller]
    fn expect_exit(&mut self, code: i32) {
        let status = self.finish();
        assert_eq!(
            status.code(),
            Some(code),
            "{} exited with {status}, expected {code}\n{}",
            self.name,
            self.dump()
        );
    }

    /// Kills the process (SIGKILL) and reaps it.
    fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Proc {
    fn drop(&mut self) {
        self.kill();
    }
}

/// Waits until something listens on `port` (Linux: `/proc/net/tcp*`, without connecting, so
/// a one-shot peer's single accept is not wasted; elsewhere a fixed pause).
#[track_caller]
fn wait_listening(port: u16, peer: &Proc) {
    let needle = format!(":{port:04X} ");
    let start = Instant::now();
    loop {
        let tables: Vec<String> = ["/proc/net/tcp", "/proc/net/tcp6"]
            .iter()
            .filter_map(|p| std::fs::read_to_string(p).ok())
            .collect();
        if tables.is_empty() {
            thread::sleep(Duration::from_secs(1));
            return;
        }
        let listening = tables.iter().flat_map(|t| t.lines()).any(|line| {
            let fields: Vec<&str> = line.split_whitespace().collect();
            fields.len() > 3 && format!("{} ", fields[1]).ends_with(&needle) && fields[3] == "0A"
        });
        if listening {
            return;
        }
        assert!(
            start.elapsed() < DEADLINE,
            "nothing listens on port {port}\n{}",
            peer.dump()
        );
        thread::sleep(Duration::from_millis(20));
    }
}

// ------------------------------------------------------------------------------------------
// Our client and server

/// `openschannel client 127.0.0.1:PORT --servername localhost --ca CA` plus `extra`.
fn our_client(pki: &Pki, port: u16, extra: &[&str]) -> Proc {
    let mut command = openschannel();
    command
        .arg("client")
        .arg(format!("127.0.0.1:{port}"))
        .args(["--servername", "localhost", "--ca", arg(&pki.ca)])
        .args(extra);
    Proc::spawn("openschannel client", command)
}

/// `openschannel server --listen 127.0.0.1:0 --cert --key` plus `extra`; returns it and its port.
fn our_server(pki: &Pki, extra: &[&str]) -> (Proc, u16) {
    let mut command = openschannel();
    command
        .args(["server", "--listen", "127.0.0.1:0"])
        .args([
            "--cert",
            arg(&pki.server_cert),
            "--key",
            arg(&pki.server_key),
        ])
        .args(extra);
    let server = Proc::spawn("openschannel server", command);
    server.wait_stderr("listening on 127.0.0.1:");
    let log = server.stderr();
    let port = log
        .split("listening on 127.0.0.1:")
        .nth(1)
        .and_then(|rest| rest.split(|c: char| !c.is_ascii_digit()).next())
        .and_then(|p| p.parse().ok())
        .unwrap_or_else(|| panic!("no port in the server's log:\n{log}"));
    (server, port)
}

/// The server's log line for connection `#id` (waits for it).
#[track_caller]
fn connection_line(server: &Proc, id: u32) -> String {
    let prefix = format!("openschannel: #{id} ");
    server.wait_for(&format!("the log line of connection #{id}"), |s| {
        s.stderr().lines().any(|l| l.starts_with(&prefix))
    });
    server
        .stderr()
        .lines()
        .find(|l| l.starts_with(&prefix))
        .unwrap()
        .to_owned()
}

/// Asserts `line` contains every part.
#[track_caller]
fn assert_has(line: &str, parts: &[&str]) {
    for part in parts {
        assert!(line.contains(part), "{part:?} missing from:\n{line}");
    }
}

/// Version flags: (`openschannel`, OpenSSL, GnuTLS priority, script, log name).
#[derive(Clone, Copy)]
struct Version {
    ours: &'static str,
    openssl: &'static str,
    gnutls: &'static str,
    script: &'static str,
    name: &'static str,
}

const TLS12: Version = Version {
    ours: "--tls12",
    openssl: "-tls1_2",
    gnutls: "NORMAL:-VERS-ALL:+VERS-TLS1.2",
    script: "1.2",
    name: "TLSv1.2",
};

const TLS13: Version = Version {
    ours: "--tls13",
    openssl: "-tls1_3",
    gnutls: "NORMAL:-VERS-ALL:+VERS-TLS1.3",
    script: "1.3",
    name: "TLSv1.3",
};

const MIB: usize = 1024 * 1024;

// ------------------------------------------------------------------------------------------
// OpenSSL

/// `openssl s_server` on a free port with the test's server certificate plus `extra`.
fn s_server(pki: &Pki, extra: &[&str]) -> (Proc, u16) {
    let port = free_port();
    let mut command = Command::new("openssl");
    command
        .arg("s_server")
        .args(["-accept", &format!("127.0.0.1:{port}")])
        .args(["-cert", arg(&pki.server_cert), "-key", arg(&pki.server_key)])
        .args(extra);
    let server = Proc::spawn("openssl s_server", command);
    wait_listening(port, &server);
    (server, port)
}

/// Our client ↔ `openssl s_server`: 1 MiB of random bytes each way, checked byte for byte,
/// ALPN agreed, then our close at end of input answered by s_server's close_notify → exit 0.
fn client_vs_s_server(v: Version) {
    need!("openssl", have_openssl());
    let pki = Pki::new();
    let (mut server, port) = s_server(
        &pki,
        &["-quiet", "-naccept", "1", "-alpn", "http/1.1", v.openssl],
    );
    let mut client = our_client(&pki, port, &[v.ours, "--alpn", "h2,http/1.1"]);
    let (down, up) = (random_bytes(MIB, 1), random_bytes(MIB, 2));
    server.send(&down);
    client.send(&up);
    client.wait_stdout_len(MIB);
    server.wait_stdout_len(MIB);
    client.close_stdin();
    client.expect_exit(0);
    assert_same_bytes(&client.stdout(), &down, "s_server → our client");
    assert_same_bytes(&server.stdout(), &up, "our client → s_server");
    let log = client.stderr();
    assert_has(&log, &[v.name, "ALPN http/1.1", "closed cleanly both ways"]);
    assert_has(&log, &[&format!("sent {MIB} B, received {MIB} B")]);
    // -naccept 1: s_server ends once the connection is done.
    server.finish();
}

#[test]
fn openssl_s_server_1mib_each_way_clean_close_tls12() {
    client_vs_s_server(TLS12);
}

#[test]
fn openssl_s_server_1mib_each_way_clean_close_tls13() {
    client_vs_s_server(TLS13);
}

/// s_server killed mid-connection (the kernel closes its socket, no close_notify): our
/// client delivers what arrived, explains the truncation in one line and exits 3.
fn s_server_killed(v: Version) {
    need!("openssl", have_openssl());
    let pki = Pki::new();
    let (mut server, port) = s_server(&pki, &["-quiet", "-naccept", "1", v.openssl]);
    let mut client = our_client(&pki, port, &[v.ours]);
    server.send(b"partial data\n");
    client.wait_stdout("partial data\n");
    server.kill();
    client.expect_exit(3);
    assert_eq!(client.stdout(), b"partial data\n");
    let log = client.stderr();
    let explanation: Vec<&str> = log.lines().filter(|l| l.contains("truncation")).collect();
    assert_eq!(explanation.len(), 1, "one truncation line:\n{log}");
    assert_has(explanation[0], &["openschannel: ", "without close_notify"]);
    assert!(
        !log.contains("closed cleanly"),
        "never a clean close:\n{log}"
    );
}

#[test]
fn openssl_s_server_killed_is_truncation_exit_3_tls12() {
    s_server_killed(TLS12);
}

#[test]
fn openssl_s_server_killed_is_truncation_exit_3_tls13() {
    s_server_killed(TLS13);
}

/// `openssl s_client` ↔ our echo server: the echo comes back, ALPN h2 is agreed, and
/// s_client's close_notify at its end of input is logged as `clean both ways`.
fn s_client_vs_server(v: Version) {
    need!("openssl", have_openssl());
    let pki = Pki::new();
    let (mut server, port) = our_server(&pki, &["--alpn", "h2,http/1.1", "--max-connections", "1"]);
    let mut command = Command::new("openssl");
    command
        .arg("s_client")
        .args(["-connect", &format!("127.0.0.1:{port}")])
        .args(["-servername", "localhost", "-CAfile", arg(&pki.ca)])
        .args(["-verify_return_error", "-alpn", "h2", v.openssl]);
    let mut client = Proc::spawn("openssl s_client", command);
    let line = b"hello from s_client\n";
    client.send(line);
    client.wait_stdout("hello from s_client");
    client.close_stdin();
    client.finish();
    let out = client.stdout_text();
    assert_has(&out, &["ALPN protocol: h2", "Verify return code: 0 (ok)"]);
    let logged = connection_line(&server, 1);
    assert_has(
        &logged,
        &[v.name, "ALPN h2", "in 20 B, out 20 B", ": clean both ways"],
    );
    server.expect_exit(0);
}

#[test]
fn openssl_s_client_echo_and_clean_close_tls12() {
    s_client_vs_server(TLS12);
}

#[test]
fn openssl_s_client_echo_and_clean_close_tls13() {
    s_client_vs_server(TLS13);
}

/// A client that completes the handshake, sends some data and then drops the TCP connection
/// in the middle of a record is logged as `peer truncated` (no TLS peer tool needed).
#[test]
fn raw_client_dropping_mid_record_is_logged_as_peer_truncated() {
    use openschannel::{Certificate, Credentials, ServerValidation, TlsStream};
    use std::io::Read;
    let pki = Pki::new();
    let (mut server, port) = our_server(&pki, &["--max-connections", "1"]);
    let ca = Certificate::pem_chain(&std::fs::read(&pki.ca).unwrap()).unwrap();
    let credentials = Credentials::client()
        .validation(ServerValidation::Roots(ca))
        .build()
        .unwrap();
    let tcp = TcpStream::connect(("127.0.0.1", port)).unwrap();
    tcp.set_read_timeout(Some(DEADLINE)).unwrap();
    let mut tls = TlsStream::connect(&credentials, "localhost", tcp).unwrap();
    tls.write_all(b"abc").unwrap();
    let mut echo = [0u8; 3];
    tls.read_exact(&mut echo).unwrap();
    assert_eq!(&echo, b"abc");
    // The first 8 bytes of an application-data record announcing 64 bytes, then FIN.
    tls.get_mut()
        .write_all(&[0x17, 0x03, 0x03, 0x00, 0x40, 1, 2, 3])
        .unwrap();
    drop(tls);
    let logged = connection_line(&server, 1);
    assert_has(&logged, &["in 3 B, out 3 B", ": peer truncated"]);
    server.expect_exit(0);
}

/// OpenSSL's interactive `k` (KeyUpdate) and `K` (KeyUpdate with update_requested) in the
/// middle of a TLS 1.3 connection: our client services them (`SEC_I_RENEGOTIATE`, the reply
/// KeyUpdate for `K`) and data keeps flowing both ways.
#[test]
fn openssl_key_update_k_and_big_k_mid_stream() {
    need!("openssl", have_openssl());
    let pki = Pki::new();
    // Not -quiet: the interactive commands need it.
    let (server, port) = s_server(&pki, &["-naccept", "1", "-tls1_3"]);
    let mut client = our_client(&pki, port, &["--tls13", "--trace"]);
    let mut expected_down = Vec::new();
    let mut key_updates = 0;
    for (round, command) in [("one", Some("k\n")), ("two", Some("K\n")), ("three", None)] {
        let down = format!("down {round}\n");
        let up = format!("up {round}\n");
        server.send(down.as_bytes());
        client.send(up.as_bytes());
        expected_down.extend_from_slice(down.as_bytes());
        client.wait_stdout(&down);
        server.wait_stdout(&up);
        if let Some(command) = command {
            server.send(command.as_bytes());
            key_updates += 1;
            // s_server's own report is block-buffered on a pipe: wait until our client has
            // serviced the KeyUpdate (so `k` is never merged with the next line's read).
            client.wait_for("the KeyUpdate at our client", |c| {
                key_update_lines(&c.stderr()) >= key_updates
            });
        }
    }
    client.close_stdin();
    client.expect_exit(0);
    assert_eq!(client.stdout(), expected_down);
    let trace = client.stderr();
    // A KeyUpdate record: header 5 | KeyUpdate 5 + content type 1 + tag 16 = trailer 22.
    assert_eq!(key_update_lines(&trace), 2, "two KeyUpdates:\n{trace}");
    // `K` asks for our own KeyUpdate: an InitializeSecurityContext after SEC_I_RENEGOTIATE
    // with a non-empty token (not the close_notify after ApplyControlToken).
    let lines: Vec<&str> = trace.lines().collect();
    let replies = lines
        .windows(2)
        .filter(|w| {
            w[0].contains("SEC_I_RENEGOTIATE")
                && w[1].contains("InitializeSecurityContext")
                && w[1].contains("input 0 B: token ")
                && !w[1].contains("input 0 B: token 0 B")
        })
        .count();
    assert_eq!(replies, 1, "one KeyUpdate reply (for K):\n{trace}");
    assert_has(&trace, &["closed cleanly both ways"]);
    drop(server);
}

/// DecryptMessage trace lines reporting a KeyUpdate (`SEC_I_RENEGOTIATE`, a 22-byte
/// "trailer": the message, its content type and the AEAD tag; tickets are much longer).
fn key_update_lines(trace: &str) -> usize {
    trace
        .lines()
        .filter(|l| {
            l.contains("DecryptMessage")
                && l.contains("SEC_I_RENEGOTIATE (0x00090321)")
                && l.contains("| trailer 22,")
        })
        .count()
}

/// Our client presents a client certificate to an `openssl s_server` that requires one
/// (`-Verify 1`); s_server verifies it against the CA. Without `--cert` the TLS 1.2 handshake
/// fails: exit 2, the SEC_E_ status named.
#[test]
fn client_certificate_required_by_openssl_s_server() {
    need!("openssl", have_openssl());
    let pki = Pki::new();
    let require = [
        "-naccept",
        "1",
        "-Verify",
        "1",
        "-verify_return_error",
        "-tls1_2",
    ];
    let (server, port) = s_server(&pki, &[&require[..], &["-CAfile", arg(&pki.ca)]].concat());
    let mut client = our_client(
        &pki,
        port,
        &[
            "--cert",
            arg(&pki.client_cert),
            "--key",
            arg(&pki.client_key),
        ],
    );
    client.send(b"with a certificate\n");
    server.wait_stdout("with a certificate");
    server.send(b"verified\n");
    client.wait_stdout("verified\n");
    client.close_stdin();
    client.expect_exit(0);
    let out = server.stdout_text() + &server.stderr();
    assert_has(&out, &["CN = openschannel test client", "verify return:1"]);
    drop(server);

    let (server, port) = s_server(&pki, &[&require[..], &["-CAfile", arg(&pki.ca)]].concat());
    let mut client = our_client(&pki, port, &[]);
    client.expect_exit(2);
    let log = client.stderr();
    assert_has(
        &log,
        &["openschannel: handshake with", "failed: SEC_E_", " (0x8009"],
    );
    assert_eq!(log.lines().count(), 1, "one line:\n{log}");
    drop(server);
}

// ------------------------------------------------------------------------------------------
// GnuTLS

/// Our client ↔ `gnutls-serv --echo`: 1 MiB echoed back byte for byte, then a clean close.
fn client_vs_gnutls_serv(v: Version) {
    need!("gnutls-serv and gnutls-cli", have_gnutls());
    let pki = Pki::new();
    let port = free_port();
    let mut command = Command::new("gnutls-serv");
    command
        .args(["--echo", "-p", &port.to_string()])
        .args(["--x509certfile", arg(&pki.server_cert)])
        .args(["--x509keyfile", arg(&pki.server_key)])
        .args(["--priority", v.gnutls]);
    let server = Proc::spawn("gnutls-serv", command);
    wait_listening(port, &server);
    let mut client = our_client(&pki, port, &[v.ours]);
    // gnutls-serv --echo echoes complete lines only: random text, one line per 64 bytes.
    let data = random_lines(MIB, 3);
    client.send(&data);
    client.wait_stdout_len(MIB);
    client.close_stdin();
    client.expect_exit(0);
    assert_same_bytes(&client.stdout(), &data, "gnutls-serv echo");
    assert_has(&client.stderr(), &[v.name, "closed cleanly both ways"]);
}

#[test]
fn gnutls_serv_echo_1mib_clean_close_tls12() {
    client_vs_gnutls_serv(TLS12);
}

#[test]
fn gnutls_serv_echo_1mib_clean_close_tls13() {
    client_vs_gnutls_serv(TLS13);
}

/// `gnutls-cli --insecure` ↔ our server: echo, and gnutls-cli's close at end of input (bye)
/// is answered by ours — both sides see a clean close.
fn gnutls_cli_vs_server(v: Version) {
    need!("gnutls-serv and gnutls-cli", have_gnutls());
    let pki = Pki::new();
    let (mut server, port) = our_server(&pki, &["--max-connections", "1"]);
    let mut command = Command::new("gnutls-cli");
    command
        .args(["--insecure", "-p", &port.to_string(), "127.0.0.1"])
        .args(["--priority", v.gnutls]);
    let mut client = Proc::spawn("gnutls-cli", command);
    client.send(b"hello from gnutls-cli\n");
    client.wait_stdout("hello from gnutls-cli");
    client.close_stdin();
    client.expect_exit(0);
    let logged = connection_line(&server, 1);
    assert_has(&logged, &[v.name, "in 22 B, out 22 B", ": clean both ways"]);
    // gnutls-cli saw our close_notify.
    let out = client.stdout_text() + &client.stderr();
    assert_has(&out, &["Peer has closed the GnuTLS connection"]);
    server.expect_exit(0);
}

#[test]
fn gnutls_cli_echo_and_clean_close_tls12() {
    gnutls_cli_vs_server(TLS12);
}

#[test]
fn gnutls_cli_echo_and_clean_close_tls13() {
    gnutls_cli_vs_server(TLS13);
}

// ------------------------------------------------------------------------------------------
// Python ssl

/// Starts `pyssl_peer.py server MODE` and returns it and its port.
fn python_server(pki: &Pki, mode: &str, v: Version, data: &Path) -> (Proc, u16) {
    let mut command = Command::new("python3");
    command
        .arg(peer_script("pyssl_peer.py"))
        .args(["server", mode, "--tls", v.script])
        .args([
            "--cert",
            arg(&pki.server_cert),
            "--key",
            arg(&pki.server_key),
        ])
        .args(["--data", arg(data)]);
    script_server("python ssl server", command)
}

/// Starts a peer script that prints `LISTENING <port>`.
fn script_server(name: &str, command: Command) -> (Proc, u16) {
    let server = Proc::spawn(name, command);
    server.wait_stdout("LISTENING ");
    let out = server.stdout_text();
    let port = out
        .lines()
        .find_map(|l| l.strip_prefix("LISTENING "))
        .and_then(|p| p.trim().parse().ok())
        .unwrap_or_else(|| panic!("no port from {name}:\n{out}"));
    (server, port)
}

/// A Python server sends data, then `unwrap()`s (close_notify, and waits for ours): our
/// client delivers every byte and exits 0; Python saw our close_notify.
fn python_server_unwrap(v: Version) {
    need!("python3 with ssl", have_python());
    let pki = Pki::new();
    let data = random_bytes(256 * 1024, 4);
    let (mut server, port) = python_server(&pki, "unwrap", v, &pki.file("data", &data));
    // Standard input stays open: the server closes first.
    let mut client = our_client(&pki, port, &[v.ours]);
    client.expect_exit(0);
    assert_same_bytes(&client.stdout(), &data, "python server → our client");
    assert_has(
        &client.stderr(),
        &["closed cleanly both ways (the server closed first)"],
    );
    server.expect_exit(0);
    assert_has(&server.stdout_text(), &["UNWRAPPED"]);
}

#[test]
fn python_server_unwrap_is_clean_close_exit_0_tls12() {
    python_server_unwrap(TLS12);
}

#[test]
fn python_server_unwrap_is_clean_close_exit_0_tls13() {
    python_server_unwrap(TLS13);
}

/// A Python server sends data, then closes the socket without close_notify: our client
/// delivers the data, then exits 3.
fn python_server_abrupt(v: Version) {
    need!("python3 with ssl", have_python());
    let pki = Pki::new();
    let data = random_bytes(100_000, 5);
    let (_server, port) = python_server(&pki, "abrupt", v, &pki.file("data", &data));
    let mut client = our_client(&pki, port, &[v.ours]);
    client.expect_exit(3);
    assert_same_bytes(&client.stdout(), &data, "data before the truncation");
    assert_has(&client.stderr(), &["without close_notify (truncation)"]);
}

#[test]
fn python_server_closing_without_close_notify_is_exit_3_tls12() {
    python_server_abrupt(TLS12);
}

#[test]
fn python_server_closing_without_close_notify_is_exit_3_tls13() {
    python_server_abrupt(TLS13);
}

/// A Python server that reads our close_notify but never answers: by default the client
/// waits `--timeout` and exits 1 naming the missing answer; with `--no-wait` that is fine (0).
#[test]
fn python_server_never_answering_close_notify_timeout_and_no_wait() {
    need!("python3 with ssl", have_python());
    let pki = Pki::new();
    let data = pki.file("data", b"");
    for (flags, code, message) in [
        (
            &["--timeout", "1"][..],
            1,
            "did not answer our close_notify within 1 s",
        ),
        (
            &["--timeout", "1", "--no-wait"][..],
            0,
            "the server's did not arrive within 1 s (--no-wait)",
        ),
    ] {
        let (_server, port) = python_server(&pki, "silent", TLS13, &data);
        let mut client = our_client(&pki, port, flags);
        client.close_stdin();
        let start = Instant::now();
        client.expect_exit(code);
        assert!(start.elapsed() >= Duration::from_millis(900));
        assert_has(&client.stderr(), &[message]);
    }
}

/// A Python client against our echo server: echo byte for byte, `unwrap()` answered by our
/// close_notify, logged as `clean both ways` with the byte counts.
fn python_client(v: Version) {
    need!("python3 with ssl", have_python());
    let pki = Pki::new();
    let (mut server, port) = our_server(&pki, &["--max-connections", "1"]);
    let data = random_bytes(300_000, 6);
    let mut command = Command::new("python3");
    command
        .arg(peer_script("pyssl_peer.py"))
        .args(["client", "echo", "--tls", v.script, "--ca", arg(&pki.ca)])
        .args([
            "--port",
            &port.to_string(),
            "--data",
            arg(&pki.file("data", &data)),
        ]);
    let mut client = Proc::spawn("python ssl client", command);
    client.expect_exit(0);
    let out = client.stdout_text();
    assert_has(
        &out,
        &[
            &format!("RECEIVED 300000 {}", sha256_hex(&data)),
            "UNWRAPPED",
        ],
    );
    let logged = connection_line(&server, 1);
    assert_has(
        &logged,
        &[v.name, "in 300000 B, out 300000 B", ": clean both ways"],
    );
    server.expect_exit(0);
}

#[test]
fn python_client_echo_clean_close_tls12() {
    python_client(TLS12);
}

#[test]
fn python_client_echo_clean_close_tls13() {
    python_client(TLS13);
}

/// `--source N`: the server sends N pattern bytes, then closes first; the Python client gets
/// every byte and the server's close_notify, answers with its own: `clean both ways`.
#[test]
fn server_source_closes_first_python_client_reads_all() {
    need!("python3 with ssl", have_python());
    let pki = Pki::new();
    let (mut server, port) = our_server(&pki, &["--source", "100000", "--max-connections", "1"]);
    let mut command = Command::new("python3");
    command
        .arg(peer_script("pyssl_peer.py"))
        .args(["client", "read-all", "--ca", arg(&pki.ca)])
        .args(["--port", &port.to_string()]);
    let mut client = Proc::spawn("python ssl client", command);
    client.expect_exit(0);
    let expected = source_pattern(100_000);
    assert_has(
        &client.stdout_text(),
        &[
            &format!("RECEIVED 100000 {}", sha256_hex(&expected)),
            "PEER_CLOSE_NOTIFY",
            "UNWRAPPED",
        ],
    );
    let logged = connection_line(&server, 1);
    assert_has(&logged, &["in 0 B, out 100000 B", ": clean both ways"]);
    server.expect_exit(0);
}

/// Ctrl-C (SIGINT) with a connection open: the server stops accepting, sends close_notify on
/// the open connection (the Python client reads it as a clean end), logs it and exits 0.
#[test]
fn ctrl_c_sends_close_notify_to_open_connections() {
    need!("python3 with ssl", have_python());
    let pki = Pki::new();
    let (mut server, port) = our_server(&pki, &[]);
    let mut command = Command::new("python3");
    command
        .arg(peer_script("pyssl_peer.py"))
        .args(["client", "wait-close", "--ca", arg(&pki.ca)])
        .args(["--port", &port.to_string()]);
    let mut client = Proc::spawn("python ssl client", command);
    client.wait_stdout("READY");
    let sent = Command::new("kill")
        .args(["-INT", &server.pid().to_string()])
        .status()
        .expect("kill -INT");
    assert!(sent.success());
    server.expect_exit(0);
    client.expect_exit(0);
    assert_has(&client.stdout_text(), &["PEER_CLOSE_NOTIFY"]);
    let logged = connection_line(&server, 1);
    assert_has(
        &logged,
        &["in 4 B, out 4 B", ": stopped: our close_notify sent"],
    );
    assert_has(
        &server.stderr(),
        &[
            "interrupted (Ctrl-C): stopping",
            "stopped after 1 connection(s)",
        ],
    );
    // Nothing listens any more.
    assert!(TcpStream::connect(("127.0.0.1", port)).is_err());
}

// ------------------------------------------------------------------------------------------
// tlslite-ng

/// Starts `tlslite_peer.py server SCENARIO`.
fn tlslite_server(
    pki: &Pki,
    scenario: &str,
    v: Version,
    data: &Path,
    extra: &[&str],
) -> (Proc, u16) {
    let mut command = Command::new(tlslite_python());
    command
        .arg(peer_script("tlslite_peer.py"))
        .args(["server", scenario, "--tls", v.script])
        .args([
            "--cert",
            arg(&pki.server_cert),
            "--key",
            arg(&pki.server_key),
        ])
        .args(["--data", arg(data)])
        .args(extra);
    script_server("tlslite-ng server", command)
}

/// Runs `tlslite_peer.py client SCENARIO` against `port` to completion.
fn tlslite_client(v: Version, scenario: &str, port: u16, data: &Path, extra: &[&str]) -> Proc {
    let mut command = Command::new(tlslite_python());
    command
        .arg(peer_script("tlslite_peer.py"))
        .args(["client", scenario, "--tls", v.script])
        .args(["--port", &port.to_string(), "--data", arg(data)])
        .args(extra);
    let mut client = Proc::spawn("tlslite-ng client", command);
    client.expect_exit(0);
    client
}

/// tlslite-ng sends data, close_notify and then more application data, all in one TCP
/// write: our client delivers the data, never what follows the close_notify, and exits 0.
fn tlslite_data_after_close_notify(v: Version) {
    need!("tlslite-ng", have_tlslite());
    let pki = Pki::new();
    let data = random_bytes(50_000, 7);
    let (mut server, port) =
        tlslite_server(&pki, "after-close-notify", v, &pki.file("data", &data), &[]);
    let mut client = our_client(&pki, port, &[v.ours]);
    client.expect_exit(0);
    assert_same_bytes(&client.stdout(), &data, "data before close_notify only");
    server.expect_exit(0);
    assert_has(&server.stdout_text(), &["PEER_CLOSE_NOTIFY"]);
}

#[test]
fn tlslite_data_after_close_notify_is_not_delivered_tls12() {
    tlslite_data_after_close_notify(TLS12);
}

#[test]
fn tlslite_data_after_close_notify_is_not_delivered_tls13() {
    tlslite_data_after_close_notify(TLS13);
}

/// The last data records and close_notify in the same TCP segment: all data, then a clean
/// close (the server closed first).
fn tlslite_same_segment(v: Version) {
    need!("tlslite-ng", have_tlslite());
    let pki = Pki::new();
    let data = random_bytes(100_000, 8);
    let (mut server, port) = tlslite_server(&pki, "same-segment", v, &pki.file("data", &data), &[]);
    let mut client = our_client(&pki, port, &[v.ours]);
    client.expect_exit(0);
    assert_same_bytes(&client.stdout(), &data, "data sent with the close_notify");
    assert_has(
        &client.stderr(),
        &["closed cleanly both ways (the server closed first)"],
    );
    server.expect_exit(0);
    assert_has(&server.stdout_text(), &["PEER_CLOSE_NOTIFY"]);
}

#[test]
fn tlslite_close_notify_in_same_segment_as_last_data_tls12() {
    tlslite_same_segment(TLS12);
}

#[test]
fn tlslite_close_notify_in_same_segment_as_last_data_tls13() {
    tlslite_same_segment(TLS13);
}

/// The connection ends in the middle of a record: the complete data is delivered, then
/// exit 3 — never a clean close.
fn tlslite_truncated_mid_record(v: Version) {
    need!("tlslite-ng", have_tlslite());
    let pki = Pki::new();
    let data = random_bytes(20_000, 9);
    let (_server, port) = tlslite_server(&pki, "truncate", v, &pki.file("data", &data), &[]);
    let mut client = our_client(&pki, port, &[v.ours]);
    client.expect_exit(3);
    assert_same_bytes(&client.stdout(), &data, "complete records before the cut");
    let log = client.stderr();
    assert_has(&log, &["without close_notify (truncation)"]);
    assert!(!log.contains("closed cleanly"), "{log}");
}

#[test]
fn tlslite_truncation_mid_record_is_exit_3_tls12() {
    tlslite_truncated_mid_record(TLS12);
}

#[test]
fn tlslite_truncation_mid_record_is_exit_3_tls13() {
    tlslite_truncated_mid_record(TLS13);
}

/// Every byte of the connection (handshake, data, close_notify) in its own TCP send, both
/// roles: our client and our server reassemble everything and close cleanly.
fn tlslite_one_byte(v: Version) {
    need!("tlslite-ng", have_tlslite());
    let pki = Pki::new();
    let data = random_bytes(3000, 10);
    let data_file = pki.file("data", &data);

    let (mut server, port) = tlslite_server(&pki, "send-close", v, &data_file, &["--one-byte"]);
    let mut client = our_client(&pki, port, &[v.ours]);
    client.expect_exit(0);
    assert_same_bytes(&client.stdout(), &data, "one byte at a time to our client");
    server.expect_exit(0);
    assert_has(&server.stdout_text(), &["PEER_CLOSE_NOTIFY"]);

    let (mut ours, port) = our_server(&pki, &["--max-connections", "1"]);
    let client = tlslite_client(v, "echo", port, &data_file, &["--one-byte"]);
    assert_has(
        &client.stdout_text(),
        &[
            &format!("RECEIVED 3000 {}", sha256_hex(&data)),
            "PEER_CLOSE_NOTIFY",
        ],
    );
    assert_has(
        &connection_line(&ours, 1),
        &[v.name, "in 3000 B, out 3000 B", ": clean both ways"],
    );
    ours.expect_exit(0);
}

#[test]
fn tlslite_one_byte_at_a_time_tls12() {
    tlslite_one_byte(TLS12);
}

#[test]
fn tlslite_one_byte_at_a_time_tls13() {
    tlslite_one_byte(TLS13);
}

/// Clean close in both directions with tlslite-ng on the other side:
/// * our client closes first (end of input) against an echoing tlslite server: tlslite reads
///   our close_notify and answers; exit 0, `closed cleanly both ways`;
/// * a tlslite client closes first against our echo server: our close_notify answers it;
/// * our server closes first (`--source --close-first`): tlslite reads everything and our
///   close_notify, answers; `clean both ways`;
/// * a tlslite client cutting a record in half is logged as `peer truncated`.
fn tlslite_clean_close_both_directions(v: Version) {
    need!("tlslite-ng", have_tlslite());
    let pki = Pki::new();
    let data = random_bytes(200_000, 11);
    let data_file = pki.file("data", &data);

    let (mut server, port) = tlslite_server(&pki, "echo", v, &data_file, &[]);
    let mut client = our_client(&pki, port, &[v.ours]);
    client.send(&data);
    client.wait_stdout_len(data.len());
    client.close_stdin();
    client.expect_exit(0);
    assert_same_bytes(&client.stdout(), &data, "tlslite echo");
    assert_has(
        &client.stderr(),
        &["closed cleanly both ways; sent 200000 B"],
    );
    server.expect_exit(0);
    assert_has(
        &server.stdout_text(),
        &[
            &format!("RECEIVED 200000 {}", sha256_hex(&data)),
            "PEER_CLOSE_NOTIFY",
        ],
    );

    let (mut ours, port) = our_server(&pki, &["--max-connections", "3"]);
    let client = tlslite_client(v, "echo", port, &data_file, &[]);
    assert_has(&client.stdout_text(), &["PEER_CLOSE_NOTIFY"]);
    assert_has(
        &connection_line(&ours, 1),
        &["in 200000 B, out 200000 B", ": clean both ways"],
    );
    let client = tlslite_client(v, "truncate", port, &data_file, &[]);
    assert_has(&client.stdout_text(), &["SENT_HALF_RECORD"]);
    assert_has(
        &connection_line(&ours, 2),
        &["in 200000 B, out 200000 B", ": peer truncated"],
    );
    // Connection 3 would need another client: stop the server with Ctrl-C instead.
    let _ = Command::new("kill")
        .args(["-INT", &ours.pid().to_string()])
        .status();
    ours.expect_exit(0);

    let (mut ours, port) = our_server(
        &pki,
        &[
            "--source",
            "70000",
            "--close-first",
            "--max-connections",
            "1",
        ],
    );
    let client = tlslite_client(v, "read-all", port, &data_file, &[]);
    let expected = source_pattern(70_000);
    assert_has(
        &client.stdout_text(),
        &[
            &format!("RECEIVED 70000 {}", sha256_hex(&expected)),
            "PEER_CLOSE_NOTIFY",
        ],
    );
    assert_has(
        &connection_line(&ours, 1),
        &["out 70000 B", ": clean both ways"],
    );
    ours.expect_exit(0);
}

#[test]
fn tlslite_clean_close_both_directions_tls12() {
    tlslite_clean_close_both_directions(TLS12);
}

#[test]
fn tlslite_clean_close_both_directions_tls13() {
    tlslite_clean_close_both_directions(TLS13);
}

// ------------------------------------------------------------------------------------------
// No peer needed

/// Our client against our server, both with the generated certificate: the client's summary
/// shows the same SHA-256 fingerprint the server printed; `--servername` mismatch and an
/// untrusted certificate are handshake failures (exit 2, one line naming the SEC_E_ status).
#[test]
fn our_client_and_server_fingerprint_and_validation_failures() {
    let mut command = openschannel();
    command.args([
        "server",
        "--listen",
        "127.0.0.1:0",
        "--max-connections",
        "3",
    ]);
    let mut server = Proc::spawn("openschannel server", command);
    server.wait_stderr("listening on 127.0.0.1:");
    let log = server.stderr();
    let fingerprint = log
        .split("SHA-256 ")
        .nth(1)
        .map(|rest| rest.lines().next().unwrap().to_owned())
        .expect("fingerprint line");
    assert_eq!(fingerprint.len(), 95, "{fingerprint}");
    let port: u16 = log
        .split("listening on 127.0.0.1:")
        .nth(1)
        .and_then(|r| r.split(' ').next())
        .and_then(|p| p.parse().ok())
        .unwrap();
    let address = format!("127.0.0.1:{port}");

    let mut client = Proc::spawn("openschannel client", {
        let mut c = openschannel();
        c.args(["client", &address, "--insecure"]);
        c
    });
    client.send(b"ping\n");
    client.close_stdin();
    client.expect_exit(0);
    assert_eq!(client.stdout(), b"ping\n");
    assert_has(
        &client.stderr(),
        &[&format!(
            "server certificate SHA-256 {fingerprint} (NOT validated: --insecure)"
        )],
    );

    // The platform store does not trust a fresh self-signed certificate.
    let mut client = Proc::spawn("openschannel client", {
        let mut c = openschannel();
        c.args(["client", &address, "--quiet"]);
        c
    });
    client.expect_exit(2);
    let log = client.stderr();
    assert_eq!(log.lines().count(), 1, "{log}");
    assert_has(
        &log,
        &["openschannel: handshake with", "failed: SEC_E_", "(0x8009"],
    );

    // --quiet: no summary, only data.
    let mut client = Proc::spawn("openschannel client", {
        let mut c = openschannel();
        c.args(["client", &address, "--insecure", "--quiet"]);
        c
    });
    client.close_stdin();
    client.expect_exit(0);
    assert_eq!(client.stderr(), "");
    server.expect_exit(0);
}

/// `server --require-client-cert --client-ca`: our client with a certificate from that CA gets
/// through (so does `openssl s_client -cert`); without one the TLS 1.2 handshake fails on both
/// sides; `--client-ca` alone makes the certificate optional.
#[test]
fn server_requires_client_certificates() {
    need!("openssl", have_openssl());
    let pki = Pki::new();
    let required = [
        "--require-client-cert",
        "--client-ca",
        arg(&pki.ca),
        "--tls12",
    ];
    let (server, port) = our_server(&pki, &[&required[..], &["--max-connections", "3"]].concat());
    let cert = [
        "--cert",
        arg(&pki.client_cert),
        "--key",
        arg(&pki.client_key),
    ];
    let mut client = our_client(&pki, port, &cert);
    client.send(b"authenticated\n");
    client.wait_stdout("authenticated\n");
    client.close_stdin();
    client.expect_exit(0);
    assert_has(&connection_line(&server, 1), &["clean both ways"]);

    let mut command = Command::new("openssl");
    command
        .args([
            "s_client",
            "-connect",
            &format!("127.0.0.1:{port}"),
            "-quiet",
        ])
        .args(["-CAfile", arg(&pki.ca), "-verify_return_error"])
        .args(["-cert", arg(&pki.client_cert), "-key", arg(&pki.client_key)]);
    let s_client = Proc::spawn("openssl s_client", command);
    s_client.send(b"from openssl\n");
    s_client.wait_stdout("from openssl\n");
    drop(s_client);

    let mut client = our_client(&pki, port, &[]);
    client.close_stdin();
    client.expect_exit(2);
    assert_has(&client.stderr(), &["failed: SEC_E_"]);
    assert_has(&connection_line(&server, 3), &["error SEC_E_CERT_UNKNOWN"]);
    drop(server);

    // Optional: a client without a certificate is served.
    let optional = ["--client-ca", arg(&pki.ca), "--max-connections", "1"];
    let (server, port) = our_server(&pki, &optional);
    let mut client = our_client(&pki, port, &[]);
    client.send(b"anonymous\n");
    client.wait_stdout("anonymous\n");
    client.close_stdin();
    client.expect_exit(0);
    drop(server);
}

/// Errors are one `openschannel: …` line: connection refused (1), a missing --ca file (1).
#[test]
fn client_errors_are_one_line() {
    let port = free_port();
    let output = openschannel()
        .args(["client", &format!("127.0.0.1:{port}"), "--insecure"])
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let err = String::from_utf8_lossy(&output.stderr);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert_has(
        &err,
        &[&format!("openschannel: cannot connect to 127.0.0.1:{port}")],
    );

    let output = openschannel()
        .args(["client", "127.0.0.1:1", "--ca", "/nonexistent/ca.pem"])
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let err = String::from_utf8_lossy(&output.stderr);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert_has(&err, &["openschannel: --ca /nonexistent/ca.pem: "]);

    let output = openschannel().args(["client", "no-port"]).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
}

/// `--help` of both commands has examples and the exit statuses.
#[test]
fn help_texts_have_examples() {
    for (command, parts) in [
        (
            "client",
            &["Examples:", "Exit status:", "3  truncation", "--no-wait"][..],
        ),
        (
            "server",
            &["Examples:", "clean both ways", "peer truncated", "Ctrl-C"][..],
        ),
    ] {
        let output = openschannel().args([command, "--help"]).output().unwrap();
        assert!(output.status.success());
        assert_has(&String::from_utf8_lossy(&output.stdout), parts);
    }
}
