//! The Schannel features of issue 5 through the command line, against real peers: session
//! resumption (`--reconnect`), keying material and channel bindings, certificate validation
//! with Windows' statuses and the alerts the peer hears, client certificates, ALPN
//! (`--alpn-required`), received alerts mapped per the contract's §3.3 table, `--keylog`
//! and `--trace`'s attribute lines.
//!
//! Peers: `openssl s_server` / `s_client`, `gnutls-serv`, and our own `openschannel server`.
//! A missing peer skips its test with a message, except under `CI`, where it fails.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread;
use std::time::{Duration, Instant};

use openschannel_test_support::files::{
    arg as a, openssl_req_x509, openssl_v1_certificate, TempDir,
};
use openschannel_test_support::peers::{free_port, have, DEADLINE};
use openschannel_test_support::{Authority, ExtendedKeyUsagePurpose, KeyKind, LeafSpec};

fn openschannel() -> Command {
    Command::new(env!("CARGO_BIN_EXE_openschannel"))
}

fn have_openssl() -> bool {
    have("openssl", "version")
}

fn have_gnutls() -> bool {
    have("gnutls-serv", "--version")
}

// ------------------------------------------------------------------------------------------
// Certificates

/// PEM files for the tests (removed on drop).
struct Pki {
    dir: TempDir,
    ca: PathBuf,
    /// localhost + 127.0.0.1.
    server: (PathBuf, PathBuf),
    /// localhost only (no IP address).
    dns_only: (PathBuf, PathBuf),
    /// Expired in 2020.
    expired: (PathBuf, PathBuf),
    /// A client certificate from the CA.
    client: (PathBuf, PathBuf),
    /// A client certificate from another CA.
    stranger: (PathBuf, PathBuf),
}

impl Pki {
    fn new() -> Self {
        let dir = TempDir::new("features");
        let issuer = Authority::new("openschannel features CA");
        let other = Authority::new("some other CA");
        let write = |name: &str, text: &str| dir.file(name, text);
        let leaf = |name: &str,
                    sans: &[&str],
                    usage: ExtendedKeyUsagePurpose,
                    by: &Authority,
                    expired: bool| {
            let leaf = by.issue(&LeafSpec {
                names: sans,
                common_name: sans.first().copied().unwrap_or(name),
                usage: Some(usage),
                key: KeyKind::EcdsaP256,
                expired,
            });
            (
                write(&format!("{name}.pem"), &leaf.cert_pem),
                write(&format!("{name}.key"), &leaf.key_pem),
            )
        };
        let server_auth = || ExtendedKeyUsagePurpose::ServerAuth;
        let pki_server = leaf(
            "server",
            &["localhost", "127.0.0.1"],
            server_auth(),
            &issuer,
            false,
        );
        let dns_only = leaf("dns-only", &["localhost"], server_auth(), &issuer, false);
        let expired = leaf(
            "expired",
            &["localhost", "127.0.0.1"],
            server_auth(),
            &issuer,
            true,
        );
        let client = leaf(
            "client",
            &["openschannel test client"],
            ExtendedKeyUsagePurpose::ClientAuth,
            &issuer,
            false,
        );
        let stranger = leaf(
            "stranger",
            &["stranger"],
            ExtendedKeyUsagePurpose::ClientAuth,
            &other,
            false,
        );
        Self {
            ca: write("ca.pem", &issuer.pem()),
            server: pki_server,
            dns_only,
            expired,
            client,
            stranger,
            dir,
        }
    }
}

// ------------------------------------------------------------------------------------------
// Processes

/// A background process whose output goes to files (killed on drop).
struct Bg {
    child: Child,
    out: PathBuf,
    err: PathBuf,
}

static RUNS: AtomicUsize = AtomicUsize::new(0);

impl Bg {
    fn spawn(pki: &Pki, mut cmd: Command) -> Self {
        let n = RUNS.fetch_add(1, Ordering::SeqCst);
        let out = pki.dir.join(format!("bg{n}.out"));
        let err = pki.dir.join(format!("bg{n}.err"));
        let child = cmd
            .stdin(Stdio::piped())
            .stdout(std::fs::File::create(&out).unwrap())
            .stderr(std::fs::File::create(&err).unwrap())
            .spawn()
            .expect("spawn peer");
        Self { child, out, err }
    }

    fn text(&self) -> String {
        std::fs::read_to_string(&self.out).unwrap_or_default()
            + &std::fs::read_to_string(&self.err).unwrap_or_default()
    }

    fn wait_for(&self, needle: &str) {
        let start = Instant::now();
        while !self.text().contains(needle) {
            assert!(
                start.elapsed() < DEADLINE,
                "no {needle:?} in the peer's output:\n{}",
                self.text()
            );
            thread::sleep(Duration::from_millis(20));
        }
    }

    /// Waits for the process to end (closing its input); kills it after the deadline.
    fn finish(&mut self) -> String {
        drop(self.child.stdin.take());
        let start = Instant::now();
        while self.child.try_wait().unwrap().is_none() {
            if start.elapsed() > DEADLINE {
                let _ = self.child.kill();
                break;
            }
            thread::sleep(Duration::from_millis(20));
        }
        self.text()
    }
}

impl Drop for Bg {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Runs a command to completion with `input` on stdin: (status, stdout + stderr).
fn run(mut cmd: Command, input: &[u8]) -> (ExitStatus, String) {
    let mut child = cmd
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    let mut stdin = child.stdin.take().unwrap();
    let input = input.to_vec();
    let writer = thread::spawn(move || {
        let _ = stdin.write_all(&input);
    });
    let start = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if start.elapsed() > DEADLINE {
            let _ = child.kill();
            break;
        }
        thread::sleep(Duration::from_millis(20));
    }
    let _ = writer.join();
    let out = child.wait_with_output().unwrap();
    (
        out.status,
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr),
    )
}

/// `openssl s_server` with `cert`, plus `extra`, ready to accept.
fn s_server(pki: &Pki, cert: &(PathBuf, PathBuf), extra: &[&str]) -> (Bg, u16) {
    let port = free_port();
    let mut cmd = Command::new("openssl");
    cmd.args(["s_server", "-accept", &format!("127.0.0.1:{port}")])
        .args(["-cert", a(&cert.0), "-key", a(&cert.1)])
        .args(extra);
    let server = Bg::spawn(pki, cmd);
    server.wait_for("ACCEPT");
    (server, port)
}

/// `openschannel server` on a free port with the test's server certificate plus `extra`.
fn our_server(pki: &Pki, extra: &[&str]) -> (Bg, u16) {
    let mut cmd = openschannel();
    cmd.args(["server", "--listen", "127.0.0.1:0"])
        .args(["--cert", a(&pki.server.0), "--key", a(&pki.server.1)])
        .args(extra);
    let server = Bg::spawn(pki, cmd);
    server.wait_for("listening on 127.0.0.1:");
    let text = server.text();
    let port = text
        .split("listening on 127.0.0.1:")
        .nth(1)
        .and_then(|r| r.split(|c: char| !c.is_ascii_digit()).next())
        .and_then(|p| p.parse().ok())
        .unwrap();
    (server, port)
}

/// `openschannel client 127.0.0.1:PORT` plus `args`, with `input`.
fn our_client(port: u16, args: &[&str], input: &[u8]) -> (ExitStatus, String) {
    let mut cmd = openschannel();
    cmd.arg("client")
        .arg(format!("127.0.0.1:{port}"))
        .args(["--timeout", "10"])
        .args(args);
    run(cmd, input)
}

#[track_caller]
fn assert_has(text: &str, parts: &[&str]) {
    for part in parts {
        assert!(text.contains(part), "{part:?} missing from:\n{text}");
    }
}

/// Asserts one line of `text` contains every part.
#[track_caller]
fn assert_line(text: &str, parts: &[&str]) {
    assert!(
        text.lines().any(|l| parts.iter().all(|p| l.contains(p))),
        "no line with {parts:?} in:\n{text}"
    );
}

const VERSIONS: [(&str, &str); 2] = [("--tls12", "-tls1_2"), ("--tls13", "-tls1_3")];

// ------------------------------------------------------------------------------------------
// Session resumption

/// `--reconnect 2` against `openssl s_server`: TLS 1.2 tickets, TLS 1.2 session IDs
/// (`-no_ticket`) and TLS 1.3 tickets; the second and third connections are resumed.
#[test]
fn reconnect_resumes_against_openssl_s_server() {
    if !have_openssl() {
        return;
    }
    let pki = Pki::new();
    for extra in [&["-tls1_2"][..], &["-tls1_2", "-no_ticket"], &["-tls1_3"]] {
        let args = [&["-naccept", "3"][..], extra].concat();
        let (mut server, port) = s_server(&pki, &pki.server, &args);
        let (status, out) = our_client(
            port,
            &[
                "--servername",
                "localhost",
                "--ca",
                a(&pki.ca),
                "--reconnect",
                "2",
                "-q",
            ],
            b"",
        );
        assert!(status.success(), "{extra:?}\n{out}");
        assert_has(
            &out,
            &[
                "connection 1: resumed: no",
                "connection 2: resumed: yes",
                "connection 3: resumed: yes",
            ],
        );
        server.finish();
    }
}

/// `openssl s_client -reconnect` (TLS 1.2) and `-sess_out` / `-sess_in` (TLS 1.3) against our
/// server, whose log says `resumed`; with `--no-reconnects` nothing resumes.
#[test]
fn openssl_s_client_resumes_with_our_server() {
    if !have_openssl() {
        return;
    }
    let pki = Pki::new();
    let (mut server, port) = our_server(&pki, &["--max-connections", "6"]);
    let mut cmd = Command::new("openssl");
    cmd.args(["s_client", "-connect", &format!("127.0.0.1:{port}")])
        .args([
            "-servername",
            "localhost",
            "-CAfile",
            a(&pki.ca),
            "-reconnect",
            "-tls1_2",
        ]);
    let (_, out) = run(cmd, b"");
    assert_eq!(out.matches("Reused, TLSv1.2").count(), 5, "{out}");
    let log = server.finish();
    assert_eq!(log.matches(", resumed,").count(), 5, "{log}");

    let sess = pki.dir.join("session.pem");
    for no_reconnects in [false, true] {
        let extra: &[&str] = if no_reconnects {
            &["--max-connections", "2", "--no-reconnects"]
        } else {
            &["--max-connections", "2"]
        };
        let (mut server, port) = our_server(&pki, extra);
        let s_client = |flag: &str| {
            let mut cmd = Command::new("openssl");
            cmd.args(["s_client", "-connect", &format!("127.0.0.1:{port}")])
                .args(["-servername", "localhost", "-CAfile", a(&pki.ca), "-tls1_3"])
                .args([flag, a(&sess)]);
            // A moment of input keeps the connection open until the tickets have arrived.
            let mut child = cmd
                .stdin(Stdio::piped())
                .stdout(Stdio::piped())
                .stderr(Stdio::null())
                .spawn()
                .unwrap();
            thread::sleep(Duration::from_millis(500));
            drop(child.stdin.take());
            let out = child.wait_with_output().unwrap();
            String::from_utf8_lossy(&out.stdout).into_owned()
        };
        assert_has(&s_client("-sess_out"), &["New, TLSv1.3"]);
        let second = s_client("-sess_in");
        let log = server.finish();
        if no_reconnects {
            assert_has(&second, &["New, TLSv1.3"]);
            assert!(!log.contains(", resumed,"), "{log}");
        } else {
            assert_has(&second, &["Reused, TLSv1.3"]);
            assert!(log.contains(", resumed,"), "{log}");
        }
    }
}

/// Our client and our server: `--reconnect` resumes; `--no-reconnects` turns it off.
#[test]
fn reconnect_with_our_server_and_no_reconnects() {
    let pki = Pki::new();
    for (ours, _) in VERSIONS {
        for no_reconnects in [false, true] {
            let mut extra = vec!["--max-connections", "2", ours];
            if no_reconnects {
                extra.push("--no-reconnects");
            }
            let (mut server, port) = our_server(&pki, &extra);
            let (status, out) = our_client(
                port,
                &[
                    "--servername",
                    "localhost",
                    "--ca",
                    a(&pki.ca),
                    "--reconnect",
                    "1",
                    "-q",
                ],
                b"",
            );
            assert!(status.success(), "{out}");
            let second = if no_reconnects { "no" } else { "yes" };
            assert_has(
                &out,
                &[
                    "connection 1: resumed: no",
                    &format!("connection 2: resumed: {second}"),
                ],
            );
            server.finish();
        }
    }
}

// ------------------------------------------------------------------------------------------
// Keying material and channel bindings

/// `--export-keying-material` equals `openssl s_server -keymatexport`; the
/// tls-server-end-point binding is the SHA-256 `openssl x509 -fingerprint` computes; our
/// server's log agrees with `openssl s_client -keymatexport`.
#[test]
fn keying_material_and_bindings_match_openssl() {
    if !have_openssl() {
        return;
    }
    let pki = Pki::new();
    let (_, fp) = run(
        {
            let mut c = Command::new("openssl");
            c.args([
                "x509",
                "-noout",
                "-fingerprint",
                "-sha256",
                "-in",
                a(&pki.server.0),
            ]);
            c
        },
        b"",
    );
    let fingerprint = fp.trim().rsplit('=').next().unwrap().replace(':', "");
    for (ours, theirs) in VERSIONS {
        let (mut server, port) = s_server(
            &pki,
            &pki.server,
            &[
                "-naccept",
                "1",
                theirs,
                "-keymatexport",
                "EXPERIMENTAL-cli",
                "-keymatexportlen",
                "40",
            ],
        );
        let (status, out) = our_client(
            port,
            &[
                "--servername",
                "localhost",
                "--ca",
                a(&pki.ca),
                ours,
                "--export-keying-material",
                "EXPERIMENTAL-cli:40",
                "--print-bindings",
            ],
            b"",
        );
        assert!(status.success(), "{out}");
        let log = server.finish();
        let material = log
            .lines()
            .find_map(|l| l.trim().strip_prefix("Keying material: "))
            .unwrap_or_else(|| panic!("no keying material from s_server:\n{log}"))
            .to_owned();
        assert_eq!(material.len(), 80);
        assert_has(
            &out,
            &[
                &format!("keying material EXPERIMENTAL-cli (40 B): {material}"),
                &format!("channel binding tls-server-end-point: {fingerprint}"),
                "channel binding tls-exporter: ",
            ],
        );

        // Our server, OpenSSL's client.
        let (mut server, port) = our_server(
            &pki,
            &[
                "--max-connections",
                "1",
                "--export-keying-material",
                "EXPERIMENTAL-cli:40",
            ],
        );
        let mut cmd = Command::new("openssl");
        cmd.args(["s_client", "-connect", &format!("127.0.0.1:{port}")])
            .args(["-servername", "localhost", "-CAfile", a(&pki.ca), theirs])
            .args([
                "-keymatexport",
                "EXPERIMENTAL-cli",
                "-keymatexportlen",
                "40",
            ]);
        let (_, client) = run(cmd, b"");
        let material = client
            .lines()
            .find_map(|l| l.trim().strip_prefix("Keying material: "))
            .unwrap_or_else(|| panic!("no keying material from s_client:\n{client}"))
            .to_owned();
        let log = server.finish();
        assert_has(
            &log,
            &[&format!(
                "keying material EXPERIMENTAL-cli (40 B): {material}"
            )],
        );
    }
}

// ------------------------------------------------------------------------------------------
// Certificate validation, with the alert the server hears

/// Our client refuses bad server certificates with Windows' statuses (exit 2) and
/// `openssl s_server` reports the alert it received.
#[test]
fn validation_failures_name_the_status_and_send_the_alert() {
    if !have_openssl() {
        return;
    }
    let pki = Pki::new();
    let other_ca = pki.dir.join("other-ca.pem");
    std::fs::write(&other_ca, std::fs::read(&pki.stranger.0).unwrap()).unwrap();
    // (server certificate, target name, trust anchors, our status, the alert s_server reads)
    type Case<'a> = (&'a (PathBuf, PathBuf), &'a str, &'a Path, &'a str, &'a str);
    let cases: [Case<'_>; 3] = [
        (
            &pki.server,
            "localhost",
            &other_ca,
            "SEC_E_UNTRUSTED_ROOT",
            "unknown ca",
        ),
        (
            &pki.expired,
            "localhost",
            &pki.ca,
            "SEC_E_CERT_EXPIRED",
            "certificate expired",
        ),
        (
            &pki.server,
            "wrong.example",
            &pki.ca,
            "SEC_E_WRONG_PRINCIPAL",
            "bad certificate",
        ),
    ];
    for (ours, theirs) in VERSIONS {
        for (cert, name, ca, status, alert) in cases {
            let (mut server, port) = s_server(&pki, cert, &["-naccept", "1", theirs]);
            let (code, out) = our_client(port, &["--servername", name, "--ca", a(ca), ours], b"");
            assert_eq!(code.code(), Some(2), "{out}");
            assert_has(&out, &["handshake with", status]);
            let log = server.finish();
            assert_has(&log, &[&format!("alert {alert}")]);
        }
    }
}

/// A server certificate made by `openssl req -x509` (self-signed, CA:TRUE) and given as `--ca`
/// is trusted, as Windows and OpenSSL trust it; its name is still checked.
#[test]
fn a_req_x509_certificate_given_as_ca_is_trusted() {
    if !have_openssl() {
        return;
    }
    let pki = Pki::new();
    // As typed (the CN is the only name, which Windows falls back to), and with a SAN.
    for (tag, extra) in [
        ("plain", &[][..]),
        (
            "san",
            &["-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1"][..],
        ),
    ] {
        req_x509_round(&pki, tag, extra);
    }
}

fn req_x509_round(pki: &Pki, tag: &str, extra: &[&str]) {
    let cert = (
        pki.dir.join(format!("req-x509-{tag}.pem")),
        pki.dir.join(format!("req-x509-{tag}.key")),
    );
    openssl_req_x509(&cert.0, &cert.1, extra).expect("openssl");
    for (ours, theirs) in VERSIONS {
        let (mut server, port) = s_server(pki, &cert, &["-naccept", "1", theirs]);
        let (code, out) = our_client(
            port,
            &["--servername", "localhost", "--ca", a(&cert.0), ours],
            b"",
        );
        assert!(code.success(), "{out}");
        server.finish();
        let (mut server, port) = s_server(pki, &cert, &["-naccept", "1", theirs]);
        let (code, out) = our_client(
            port,
            &["--servername", "wrong.example", "--ca", a(&cert.0), ours],
            b"",
        );
        assert_eq!(code.code(), Some(2), "{out}");
        assert_has(&out, &["SEC_E_WRONG_PRINCIPAL"]);
        server.finish();
    }
}

/// An IP-address target sends no SNI and is checked against the certificate's IP addresses.
#[test]
fn ip_address_targets_check_the_ip_san() {
    if !have_openssl() {
        return;
    }
    let pki = Pki::new();
    // -tlsextdebug: s_server lists the ClientHello's extensions (server_name is id 0).
    let (mut server, port) = s_server(&pki, &pki.server, &["-naccept", "1", "-tlsextdebug"]);
    let (code, out) = our_client(port, &["--ca", a(&pki.ca)], b"");
    assert!(code.success(), "{out}");
    let log = server.finish();
    assert_has(&log, &["TLS client extension"]);
    assert!(!log.contains("(id=0)"), "SNI sent to an IP address:\n{log}");
    let (mut server, port) = s_server(&pki, &pki.server, &["-naccept", "1", "-tlsextdebug"]);
    let (code, out) = our_client(
        port,
        &["--servername", "localhost", "--ca", a(&pki.ca)],
        b"",
    );
    assert!(code.success(), "{out}");
    let log = server.finish();
    assert_has(&log, &["(id=0)"]);
    let (mut server, port) = s_server(&pki, &pki.dns_only, &["-naccept", "1"]);
    let (code, out) = our_client(port, &["--ca", a(&pki.ca)], b"");
    assert_eq!(code.code(), Some(2), "{out}");
    assert_has(&out, &["SEC_E_WRONG_PRINCIPAL"]);
    server.finish();
}

/// `--insecure` (manual validation) accepts the expired certificate and shows its fingerprint.
#[test]
fn insecure_accepts_and_shows_the_certificate() {
    if !have_openssl() {
        return;
    }
    let pki = Pki::new();
    let (mut server, port) = s_server(&pki, &pki.expired, &["-naccept", "1"]);
    let (code, out) = our_client(port, &["--servername", "localhost", "--insecure"], b"");
    assert!(code.success(), "{out}");
    assert_has(&out, &["NOT validated: --insecure"]);
    server.finish();
}

// ------------------------------------------------------------------------------------------
// Client certificates

/// Our server asks for client certificates (`--client-ca`): `openssl s_client -cert` with a
/// trusted one connects (its fingerprint logged); an untrusted one is refused with
/// SEC_E_UNTRUSTED_ROOT and s_client hears unknown_ca; `--require-client-cert` refuses a
/// client without one.
#[test]
fn our_server_verifies_client_certificates_from_openssl() {
    if !have_openssl() {
        return;
    }
    let pki = Pki::new();
    for (_, theirs) in VERSIONS {
        let (mut server, port) =
            our_server(&pki, &["--max-connections", "1", "--client-ca", a(&pki.ca)]);
        let mut cmd = Command::new("openssl");
        cmd.args(["s_client", "-connect", &format!("127.0.0.1:{port}")])
            .args(["-servername", "localhost", "-CAfile", a(&pki.ca), theirs])
            .args(["-cert", a(&pki.client.0), "-key", a(&pki.client.1)]);
        let (_, _) = run(cmd, b"hello\n");
        let log = server.finish();
        assert_has(&log, &["client certificate SHA-256"]);

        let (mut server, port) =
            our_server(&pki, &["--max-connections", "1", "--client-ca", a(&pki.ca)]);
        let mut cmd = Command::new("openssl");
        cmd.args(["s_client", "-connect", &format!("127.0.0.1:{port}")])
            .args(["-servername", "localhost", "-CAfile", a(&pki.ca), theirs])
            .args(["-cert", a(&pki.stranger.0), "-key", a(&pki.stranger.1)])
            // Read on after the input ends: TLS 1.3 refuses the certificate after the
            // client's Finished.
            .arg("-ign_eof");
        let (_, client) = run(cmd, b"hello\n");
        let log = server.finish();
        assert_has(&log, &["handshake failed", "SEC_E_UNTRUSTED_ROOT"]);
        assert_has(&client, &["alert unknown ca"]);

        let (mut server, port) = our_server(
            &pki,
            &[
                "--max-connections",
                "1",
                "--client-ca",
                a(&pki.ca),
                "--require-client-cert",
            ],
        );
        let mut cmd = Command::new("openssl");
        cmd.args(["s_client", "-connect", &format!("127.0.0.1:{port}")])
            .args([
                "-servername",
                "localhost",
                "-CAfile",
                a(&pki.ca),
                theirs,
                "-ign_eof",
            ]);
        let (_, _) = run(cmd, b"hello\n");
        let log = server.finish();
        assert_has(&log, &["handshake failed", "SEC_E_CERT_UNKNOWN"]);
    }
}

/// A self-signed X.509 v1 certificate (`openssl x509 -req` without extensions) and its key, in
/// the test's directory.
fn v1_certificate(pki: &Pki, cn: &str) -> (PathBuf, PathBuf) {
    let stem = format!("{}-v1", cn.replace(' ', "-"));
    let (cert, key) = openssl_v1_certificate(&pki.dir, &stem, cn).expect("openssl");
    let text = Command::new("openssl")
        .args(["x509", "-noout", "-text", "-in", a(&cert)])
        .output()
        .unwrap();
    assert_has(
        &String::from_utf8_lossy(&text.stdout),
        &["Version: 1 (0x0)"],
    );
    (cert, key)
}

/// X.509 v1 certificates are usable as our own certificate (Windows sends them; the peer
/// judges them): our client sends one to `openssl s_server -verify`, our server serves one to
/// `openssl s_client`.
#[test]
fn v1_certificates_are_sent_as_our_own() {
    if !have_openssl() {
        return;
    }
    let pki = Pki::new();
    let client_v1 = v1_certificate(&pki, "v1 client");
    let server_v1 = v1_certificate(&pki, "localhost");
    for (ours, theirs) in VERSIONS {
        let (mut server, port) = s_server(
            &pki,
            &pki.server,
            &["-naccept", "1", "-verify", "1", theirs],
        );
        let args = [
            "--servername",
            "localhost",
            "--ca",
            a(&pki.ca),
            ours,
            "--cert",
            a(&client_v1.0),
            "--key",
            a(&client_v1.1),
        ];
        let (code, out) = our_client(port, &args, b"");
        assert!(code.success(), "{out}");
        let log = server.finish();
        assert_has(&log, &["CN = v1 client"]);

        let mut cmd = openschannel();
        cmd.args([
            "server",
            "--listen",
            "127.0.0.1:0",
            "--max-connections",
            "1",
        ])
        .args(["--cert", a(&server_v1.0), "--key", a(&server_v1.1), ours]);
        let mut server = Bg::spawn(&pki, cmd);
        server.wait_for("listening on 127.0.0.1:");
        let port: u16 = server
            .text()
            .split("listening on 127.0.0.1:")
            .nth(1)
            .and_then(|r| r.split(|c: char| !c.is_ascii_digit()).next())
            .and_then(|p| p.parse().ok())
            .unwrap();
        let mut cmd = Command::new("openssl");
        cmd.args(["s_client", "-connect", &format!("127.0.0.1:{port}")])
            .args(["-servername", "localhost", theirs]);
        let (_, client) = run(cmd, b"hello\n");
        server.finish();
        assert_has(&client, &["CN = localhost", "Cipher is"]);
        assert!(!client.contains("Cipher is (NONE)"), "{client}");
    }
}

/// Our client against a server requiring a certificate it does not have: the refusal is
/// mapped per the table (handshake_failure / certificate_required → SEC_E_ILLEGAL_MESSAGE);
/// one it has is sent and verified by s_server.
#[test]
fn client_certificates_against_openssl_s_server() {
    if !have_openssl() {
        return;
    }
    let pki = Pki::new();
    for (ours, theirs) in VERSIONS {
        let (mut server, port) = s_server(
            &pki,
            &pki.server,
            &[
                "-naccept",
                "1",
                "-Verify",
                "1",
                "-CAfile",
                a(&pki.ca),
                theirs,
            ],
        );
        let (code, out) = our_client(
            port,
            &[
                "--servername",
                "localhost",
                "--ca",
                a(&pki.ca),
                ours,
                "--cert",
                a(&pki.client.0),
                "--key",
                a(&pki.client.1),
                "--trace",
            ],
            b"",
        );
        assert!(code.success(), "{out}");
        assert_line(
            &out,
            &[
                "QueryContextAttributes(SECPKG_ATTR_LOCAL_CERT_CONTEXT)",
                "-> SEC_E_OK",
            ],
        );
        let log = server.finish();
        assert_has(&log, &["CN = openschannel test client", "verify return:1"]);

        let (mut server, port) = s_server(
            &pki,
            &pki.server,
            &[
                "-naccept",
                "1",
                "-Verify",
                "1",
                "-CAfile",
                a(&pki.ca),
                theirs,
            ],
        );
        let (code, out) = our_client(
            port,
            &[
                "--servername",
                "localhost",
                "--ca",
                a(&pki.ca),
                ours,
                "--trace",
            ],
            b"hello\n",
        );
        assert_ne!(code.code(), Some(0), "{out}");
        // The CertificateRequest was seen (the issuer list), and the refusal mapped.
        assert_has(
            &out,
            &["SEC_I_INCOMPLETE_CREDENTIALS", "SEC_E_ILLEGAL_MESSAGE"],
        );
        server.finish();
    }
}

// ------------------------------------------------------------------------------------------
// ALPN and received alerts

/// ALPN without overlap: success without a protocol with our server; a server requiring one
/// (our `--alpn-required`, `openssl s_server -alpn`, `gnutls-serv --alpn-fatal`) refuses with
/// no_application_protocol → SEC_E_APPLICATION_PROTOCOL_MISMATCH on our client, and
/// `openssl s_client` reports the alert our server sends.
#[test]
fn alpn_without_overlap_and_required() {
    let pki = Pki::new();
    let client_args = [
        "--servername",
        "localhost",
        "--ca",
        a(&pki.ca),
        "--alpn",
        "imap",
    ];
    let (mut server, port) = our_server(&pki, &["--max-connections", "1", "--alpn", "h2"]);
    let (code, out) = our_client(port, &client_args, b"");
    assert!(code.success(), "{out}");
    assert_has(&out, &["no ALPN"]);
    server.finish();

    let (mut server, port) = our_server(
        &pki,
        &["--max-connections", "1", "--alpn", "h2", "--alpn-required"],
    );
    let (code, out) = our_client(port, &client_args, b"");
    assert_eq!(code.code(), Some(2), "{out}");
    assert_has(&out, &["SEC_E_APPLICATION_PROTOCOL_MISMATCH"]);
    let log = server.finish();
    assert_has(
        &log,
        &["handshake failed", "SEC_E_APPLICATION_PROTOCOL_MISMATCH"],
    );

    if have_openssl() {
        let (mut server, port) = our_server(
            &pki,
            &["--max-connections", "1", "--alpn", "h2", "--alpn-required"],
        );
        let mut cmd = Command::new("openssl");
        cmd.args(["s_client", "-connect", &format!("127.0.0.1:{port}")])
            .args([
                "-servername",
                "localhost",
                "-CAfile",
                a(&pki.ca),
                "-alpn",
                "imap",
            ]);
        let (_, client) = run(cmd, b"");
        assert_has(&client, &["alert no application protocol"]);
        server.finish();

        // OpenSSL's s_server refuses a client without a common protocol itself: the
        // no_application_protocol alert it sends maps to the same status.
        let (mut server, port) = s_server(&pki, &pki.server, &["-naccept", "1", "-alpn", "h2"]);
        let (code, out) = our_client(port, &client_args, b"");
        assert_eq!(code.code(), Some(2), "{out}");
        assert_has(
            &out,
            &[
                "SEC_E_APPLICATION_PROTOCOL_MISMATCH",
                "NoApplicationProtocol",
            ],
        );
        server.finish();
        // With an overlap the protocol is agreed.
        let (mut server, port) = s_server(&pki, &pki.server, &["-naccept", "1", "-alpn", "h2"]);
        let (code, out) = our_client(
            port,
            &[
                "--servername",
                "localhost",
                "--ca",
                a(&pki.ca),
                "--alpn",
                "imap,h2",
            ],
            b"",
        );
        assert!(code.success(), "{out}");
        assert_has(&out, &["ALPN h2"]);
        server.finish();
    }
    if have_gnutls() {
        let port = free_port();
        let mut cmd = Command::new("gnutls-serv");
        cmd.args(["--port", &port.to_string()])
            .args([
                "--x509certfile",
                a(&pki.server.0),
                "--x509keyfile",
                a(&pki.server.1),
            ])
            .args(["--alpn", "h2", "--alpn-fatal", "--echo"]);
        let server = Bg::spawn(&pki, cmd);
        server.wait_for("Echo Server listening");
        let (code, out) = our_client(port, &client_args, b"");
        assert_eq!(code.code(), Some(2), "{out}");
        assert_has(&out, &["SEC_E_APPLICATION_PROTOCOL_MISMATCH"]);
    }
}

/// A refused version: s_server -tls1_2 sends protocol_version to a TLS 1.3-only client →
/// SEC_E_UNSUPPORTED_FUNCTION (contract §3.3).
#[test]
fn a_refused_version_is_sec_e_unsupported_function() {
    if !have_openssl() {
        return;
    }
    let pki = Pki::new();
    let (mut server, port) = s_server(&pki, &pki.server, &["-naccept", "1", "-tls1_2"]);
    let (code, out) = our_client(
        port,
        &["--servername", "localhost", "--ca", a(&pki.ca), "--tls13"],
        b"",
    );
    assert_eq!(code.code(), Some(2), "{out}");
    assert_has(&out, &["SEC_E_UNSUPPORTED_FUNCTION", "ProtocolVersion"]);
    server.finish();
}

// ------------------------------------------------------------------------------------------
// Key log and trace

/// `--keylog FILE` and `SSLKEYLOGFILE` write NSS key log lines for the connection's client
/// random; without either, nothing is written.
#[test]
fn keylog_file_and_sslkeylogfile() {
    let pki = Pki::new();
    for (ours, label) in [
        ("--tls12", "CLIENT_RANDOM "),
        ("--tls13", "CLIENT_TRAFFIC_SECRET_0 "),
    ] {
        let file = pki.dir.join(format!("keys{ours}.log"));
        let (mut server, port) = our_server(&pki, &["--max-connections", "1"]);
        let (code, out) = our_client(
            port,
            &[
                "--servername",
                "localhost",
                "--ca",
                a(&pki.ca),
                ours,
                "--keylog",
                a(&file),
            ],
            b"",
        );
        assert!(code.success(), "{out}");
        server.finish();
        let keys = std::fs::read_to_string(&file).unwrap();
        let line = keys.lines().find(|l| l.starts_with(label)).expect(&keys);
        let fields: Vec<&str> = line.split(' ').collect();
        assert_eq!(fields.len(), 3, "{line}");
        assert_eq!(fields[1].len(), 64, "client random");
        assert!(fields[2].len() >= 64, "secret");

        let env_file = pki.dir.join(format!("env{ours}.log"));
        let (mut server, port) = our_server(&pki, &["--max-connections", "1"]);
        let mut cmd = openschannel();
        cmd.arg("client")
            .arg(format!("127.0.0.1:{port}"))
            .args(["--servername", "localhost", "--ca", a(&pki.ca), ours])
            .env("SSLKEYLOGFILE", &env_file);
        let (code, out) = run(cmd, b"");
        assert!(code.success(), "{out}");
        server.finish();
        let keys = std::fs::read_to_string(&env_file).unwrap();
        assert!(keys.lines().any(|l| l.starts_with(label)), "{keys}");
    }
}

/// `--trace` shows the context attributes after the handshake.
#[test]
fn trace_shows_the_attributes() {
    let pki = Pki::new();
    let (mut server, port) = our_server(&pki, &["--max-connections", "1", "--alpn", "h2"]);
    let (code, out) = our_client(
        port,
        &[
            "--servername",
            "localhost",
            "--ca",
            a(&pki.ca),
            "--alpn",
            "h2",
            "--trace",
        ],
        b"",
    );
    assert!(code.success(), "{out}");
    for attribute in [
        "CONNECTION_INFO",
        "APPLICATION_PROTOCOL",
        "SESSION_INFO",
        "REMOTE_CERT_CONTEXT",
        "ENDPOINT_BINDINGS",
    ] {
        assert_line(
            &out,
            &[
                &format!("QueryContextAttributes(SECPKG_ATTR_{attribute})"),
                "-> SEC_E_OK",
            ],
        );
    }
    assert_line(&out, &["SECPKG_ATTR_APPLICATION_PROTOCOL", "Success, h2"]);
    assert_line(&out, &["SECPKG_ATTR_SESSION_INFO", "new session"]);
    server.finish();
}
