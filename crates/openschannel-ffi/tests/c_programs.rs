//! The C test programs, built with the system C compiler against `include/` and linked with
//! the built `libopenschannel.so`, run as processes:
//!
//! * `conformance.c`: the contract's §12.1 checklist (client and server in one process);
//! * `sspi_client.c` / `sspi_server.c`: Windows-style programs over TCP on 127.0.0.1, against
//!   each other (TLS 1.2 and 1.3, both shutdown initiators), against `openssl s_server` and
//!   against `openssl s_client` (skipped, with a message, when `openssl` is not installed);
//! * `crypt32.c`: the crypt32 subset and `PFXImportCertStore`;
//! * `abuse.c`: forged, stale, double-freed and wrong-kind handles on every export, and
//!   `DeleteSecurityContext` / `FreeCredentialsHandle` racing other calls on other threads;
//! * client certificates (`ASC_REQ_MUTUAL_AUTH`, `SEC_I_INCOMPLETE_CREDENTIALS`), keying
//!   material, endpoint bindings and alerts sealed after the handshake, between the C programs
//!   and against `openssl s_server` / `s_client` (`-Verify`, `-keymatexport`), which must
//!   report the exact alert received.
//!
//! With `OPENSCHANNEL_VALGRIND=1` every C program runs under valgrind memcheck and must
//! report no error and no definitely-lost bytes. With `OPENSCHANNEL_ASAN=1` the C programs
//! are built with AddressSanitizer (`-fsanitize=address`; the Rust library as built, its
//! allocations intercepted by the ASan runtime) and must report no error and no leak.

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::sync::{Mutex, OnceLock};
use std::time::{Duration, Instant};

/// `target/<profile>/`, where `libopenschannel.so` is.
fn target_dir() -> PathBuf {
    let exe = std::env::current_exe().expect("current exe");
    exe.parent()
        .and_then(Path::parent)
        .expect("target dir")
        .to_path_buf()
}

/// Builds (or refreshes) `libopenschannel.so` for this profile, once per test process.
///
/// `cargo test` does not build a cdylib-only library for integration tests, so on a fresh
/// clone the library would not exist — and after an edit a previously built one would be
/// stale. Running `cargo build` for the ffi crate here (a no-op when it is up to date) makes
/// `cargo test --workspace` self-sufficient and never tests old code.
fn ensure_library_built() {
    static BUILT: OnceLock<()> = OnceLock::new();
    BUILT.get_or_init(|| {
        let top = target_dir();
        let mut cargo = Command::new(env!("CARGO"));
        cargo
            .args(["build", "-p", "openschannel-ffi", "--lib", "--target-dir"])
            .arg(top.parent().expect("target dir has a parent"))
            .current_dir(env!("CARGO_MANIFEST_DIR"));
        if top.file_name().is_some_and(|n| n == "release") {
            cargo.arg("--release");
        }
        let out = cargo.output().expect("run cargo build for the ffi library");
        assert!(
            out.status.success(),
            "building libopenschannel failed:\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
    });
}

/// The directory holding `libopenschannel.so`: the uplifted copy in `target/<profile>/`, or
/// the one in `deps/` (always present once the library has been built).
fn lib_dir() -> PathBuf {
    ensure_library_built();
    let top = target_dir();
    if top.join("libopenschannel.so").exists() {
        top
    } else {
        top.join("deps")
    }
}

fn work_dir() -> PathBuf {
    let dir = target_dir().join("c-tests");
    std::fs::create_dir_all(&dir).expect("work dir");
    dir
}

fn valgrind() -> bool {
    std::env::var("OPENSCHANNEL_VALGRIND").is_ok_and(|v| v == "1")
}

fn asan() -> bool {
    std::env::var("OPENSCHANNEL_ASAN").is_ok_and(|v| v == "1")
}

/// Compiles `tests/c/<name>.c` once per test process.
fn program(name: &str) -> PathBuf {
    static BUILT: OnceLock<Mutex<HashMap<String, PathBuf>>> = OnceLock::new();
    let mut built = BUILT
        .get_or_init(Default::default)
        .lock()
        .unwrap_or_else(|e| e.into_inner());
    if let Some(p) = built.get(name) {
        return p.clone();
    }
    let crate_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    let lib = lib_dir();
    assert!(
        lib.join("libopenschannel.so").exists(),
        "libopenschannel.so not built in {}",
        lib.display()
    );
    let flavour = if asan() { "-asan" } else { "" };
    let out = work_dir().join(format!("{name}{flavour}-{}", std::process::id()));
    let cc = std::env::var("CC").unwrap_or_else(|_| "cc".into());
    let sanitizer: &[&str] = if asan() {
        &["-fsanitize=address", "-fno-omit-frame-pointer"]
    } else {
        &[]
    };
    let status = Command::new(cc)
        .args(["-std=c11", "-Wall", "-Wextra", "-Werror", "-g", "-pthread"])
        .args(sanitizer)
        .arg("-I")
        .arg(crate_dir.join("include"))
        .arg(crate_dir.join(format!("tests/c/{name}.c")))
        .arg("-o")
        .arg(&out)
        .arg("-L")
        .arg(&lib)
        .arg("-lopenschannel")
        .status()
        .expect("run cc");
    assert!(status.success(), "compiling {name}.c failed");
    built.insert(name.to_string(), out.clone());
    out
}

/// A command for a C program: under valgrind when asked, with `LD_LIBRARY_PATH` set.
fn c_command(name: &str, args: &[&str]) -> Command {
    assert!(
        !(valgrind() && asan()),
        "OPENSCHANNEL_VALGRIND and OPENSCHANNEL_ASAN are exclusive"
    );
    let bin = program(name);
    let mut cmd = if valgrind() {
        let mut c = Command::new("valgrind");
        c.args([
            "-q",
            "--error-exitcode=99",
            "--leak-check=full",
            "--errors-for-leak-kinds=definite",
        ])
        .arg(&bin);
        c
    } else {
        Command::new(&bin)
    };
    cmd.args(args).env("LD_LIBRARY_PATH", lib_dir());
    if asan() {
        cmd.env(
            "ASAN_OPTIONS",
            "detect_leaks=1:exitcode=98:strict_string_checks=1",
        );
    }
    cmd
}

/// Waits for `child` with a deadline, killing it when the deadline passes.
fn wait_bounded(mut child: Child, limit: Duration, what: &str) -> Output {
    let deadline = Instant::now() + limit;
    loop {
        match child.try_wait().expect("try_wait") {
            Some(_) => break,
            None if Instant::now() > deadline => {
                let _ = child.kill();
                let out = child.wait_with_output().expect("output");
                panic!(
                    "{what} timed out\nstdout:\n{}\nstderr:\n{}",
                    String::from_utf8_lossy(&out.stdout),
                    String::from_utf8_lossy(&out.stderr)
                );
            }
            None => std::thread::sleep(Duration::from_millis(20)),
        }
    }
    child.wait_with_output().expect("output")
}

fn limit() -> Duration {
    Duration::from_secs(if valgrind() {
        600
    } else if asan() {
        180
    } else {
        60
    })
}

/// Fails on sanitizer reports in a C program's standard error.
fn assert_clean(stderr: &str, what: &str) {
    if valgrind() {
        assert!(
            !stderr.contains("definitely lost: ") || stderr.contains("definitely lost: 0 bytes"),
            "{what}: leaks\n{stderr}"
        );
    }
    if asan() {
        assert!(
            !stderr.contains("ERROR: AddressSanitizer") && !stderr.contains("ERROR: LeakSanitizer"),
            "{what}: AddressSanitizer report\n{stderr}"
        );
    }
}

fn assert_success(out: &Output, what: &str) -> String {
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success(),
        "{what} failed ({:?})\nstdout:\n{stdout}\nstderr:\n{stderr}",
        out.status
    );
    assert_clean(&stderr, what);
    stdout
}

/// PEM files for a CA and a `localhost`/127.0.0.1 server certificate it signed.
struct Pki {
    chain: PathBuf,
    key: PathBuf,
    ca: PathBuf,
    leaf: PathBuf,
    p12: PathBuf,
    /// A self-signed certificate with CA:TRUE and only CN=localhost (what `openssl req -x509
    /// -subj /CN=localhost` makes), and its key.
    self_signed: (PathBuf, PathBuf),
}

fn pki() -> &'static Pki {
    static PKI: OnceLock<Pki> = OnceLock::new();
    PKI.get_or_init(|| {
        use rcgen::{BasicConstraints, CertificateParams, CertifiedIssuer, DnType, IsCa, KeyPair};
        let ca_key = KeyPair::generate_for(&rcgen::PKCS_ECDSA_P256_SHA256).unwrap();
        let mut ca_params = CertificateParams::new(Vec::<String>::new()).unwrap();
        ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        ca_params
            .distinguished_name
            .push(DnType::CommonName, "openschannel C test CA");
        let ca = CertifiedIssuer::self_signed(ca_params, ca_key).unwrap();
        let leaf_key = KeyPair::generate_for(&rcgen::PKCS_ECDSA_P256_SHA256).unwrap();
        let mut params =
            CertificateParams::new(vec!["localhost".into(), "127.0.0.1".into()]).unwrap();
        params
            .distinguished_name
            .push(DnType::CommonName, "localhost");
        let leaf = params.signed_by(&leaf_key, &ca).unwrap();
        let dir = work_dir().join(format!("pki-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let write = |name: &str, data: &[u8]| {
            let p = dir.join(name);
            std::fs::write(&p, data).unwrap();
            p
        };
        let p12 = {
            use p12_keystore::{
                Certificate, KeyStore, KeyStoreEntry, LocalKeyId, PrivateKey, PrivateKeyChain,
            };
            let chain = PrivateKeyChain::new(
                LocalKeyId(vec![1, 2, 3, 4]),
                PrivateKey::from_der(&leaf_key.serialize_der()).unwrap(),
                [
                    Certificate::from_der(leaf.der()).unwrap(),
                    Certificate::from_der(ca.der()).unwrap(),
                ],
            );
            let mut store = KeyStore::new();
            store.add_entry("server", KeyStoreEntry::PrivateKeyChain(chain));
            store.writer("secret").write().unwrap()
        };
        let self_signed_key = KeyPair::generate_for(&rcgen::PKCS_ECDSA_P256_SHA256).unwrap();
        // As `openssl req -x509 -subj /CN=localhost` makes it: CA:TRUE, no subjectAltName.
        let mut ss_params = CertificateParams::new(Vec::<String>::new()).unwrap();
        ss_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        ss_params
            .distinguished_name
            .push(DnType::CommonName, "localhost");
        let self_signed = ss_params.self_signed(&self_signed_key).unwrap();
        Pki {
            self_signed: (
                write("self-signed.pem", self_signed.pem().as_bytes()),
                write(
                    "self-signed.key",
                    self_signed_key.serialize_pem().as_bytes(),
                ),
            ),
            chain: write("chain.pem", (leaf.pem() + &ca.pem()).as_bytes()),
            key: write("server.key", leaf_key.serialize_pem().as_bytes()),
            ca: write("ca.pem", ca.pem().as_bytes()),
            leaf: write("leaf.pem", leaf.pem().as_bytes()),
            p12: write("server.p12", &p12),
        }
    })
}

fn s(p: &Path) -> &str {
    p.to_str().expect("utf-8 path")
}

#[test]
fn conformance_suite_passes() {
    let p = pki();
    let mut args = vec![
        s(&p.chain),
        s(&p.key),
        s(&p.ca),
        s(&p.self_signed.0),
        s(&p.self_signed.1),
    ];
    let v1 = have_openssl().then(|| v1_certificate(&p.chain.with_file_name("v1")));
    if let Some((cert, key)) = &v1 {
        args.extend([s(cert), s(key)]);
    }
    let child = c_command("conformance", &args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn conformance");
    let out = wait_bounded(child, limit(), "conformance");
    let stdout = assert_success(&out, "conformance");
    let last = stdout.lines().last().unwrap_or_default();
    assert!(last.ends_with(" 0 failed"), "{stdout}");
    println!("{last}");
    // SECPKG_ATTR_ENDPOINT_BINDINGS is the SHA-256 of the server certificate (ECDSA-SHA256
    // signature), as `openssl x509 -fingerprint -sha256` computes it.
    if have_openssl() {
        let fingerprint = openssl_fingerprint(&p.leaf);
        for tag in ["tls12", "tls13"] {
            let line = format!("endpoint binding {tag}: {fingerprint}");
            assert!(stdout.contains(&line), "{line}\n{stdout}");
        }
    }
}

/// A self-signed X.509 v1 `localhost` certificate and its key, made by `openssl x509 -req`
/// without extensions (rcgen makes only v3), as `stem.pem` / `stem.key`.
fn v1_certificate(stem: &Path) -> (PathBuf, PathBuf) {
    let (cert, key, csr) = (
        stem.with_extension("pem"),
        stem.with_extension("key"),
        stem.with_extension("csr"),
    );
    for args in [
        vec![
            "ecparam",
            "-name",
            "prime256v1",
            "-genkey",
            "-noout",
            "-out",
            s(&key),
        ],
        vec![
            "req",
            "-new",
            "-key",
            s(&key),
            "-subj",
            "/CN=localhost",
            "-out",
            s(&csr),
        ],
        vec![
            "x509",
            "-req",
            "-in",
            s(&csr),
            "-signkey",
            s(&key),
            "-days",
            "30",
            "-out",
            s(&cert),
        ],
    ] {
        let out = Command::new("openssl")
            .args(&args)
            .output()
            .expect("openssl");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    (cert, key)
}

/// `openssl x509 -fingerprint -sha256` of a PEM certificate, as uppercase hex without colons.
fn openssl_fingerprint(pem: &Path) -> String {
    let out = Command::new("openssl")
        .args(["x509", "-noout", "-fingerprint", "-sha256", "-in"])
        .arg(pem)
        .output()
        .expect("openssl x509");
    let text = String::from_utf8_lossy(&out.stdout);
    text.trim()
        .rsplit('=')
        .next()
        .unwrap_or_default()
        .replace(':', "")
}

fn have_openssl() -> bool {
    let found = Command::new("openssl")
        .arg("version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !found {
        // CI installs the peers (.ci/install-peers.sh): a missing one there is a failure.
        assert!(
            std::env::var_os("CI").is_none(),
            "the openssl command is not installed (CI is set)"
        );
        println!("skipped: the openssl command is not installed");
    }
    found
}

/// A process whose stdout lines arrive on a channel; killed if the test ends (or panics)
/// before it has exited.
struct Running {
    child: Child,
    lines: std::sync::mpsc::Receiver<String>,
    seen: Vec<String>,
    stderr: Option<std::thread::JoinHandle<String>>,
}

impl Drop for Running {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

impl Running {
    fn spawn(mut cmd: Command, what: &str) -> Self {
        let mut child = cmd
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap_or_else(|e| panic!("spawn {what}: {e}"));
        let stdout = child.stdout.take().expect("stdout");
        let mut stderr = child.stderr.take().expect("stderr");
        let (tx, lines) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        let stderr = std::thread::spawn(move || {
            let mut s = String::new();
            let _ = stderr.read_to_string(&mut s);
            s
        });
        Self {
            child,
            lines,
            seen: Vec::new(),
            stderr: Some(stderr),
        }
    }

    /// Waits for a stdout line starting with `prefix`.
    fn wait_line(&mut self, prefix: &str) -> String {
        let deadline = Instant::now() + limit();
        while Instant::now() < deadline {
            match self.lines.recv_timeout(Duration::from_millis(100)) {
                Ok(line) => {
                    self.seen.push(line.clone());
                    if line.starts_with(prefix) {
                        return line;
                    }
                }
                Err(std::sync::mpsc::RecvTimeoutError::Timeout) => {}
                Err(_) => break,
            }
        }
        let _ = self.child.kill();
        panic!("no line starting with {prefix:?}; saw {:?}", self.seen);
    }

    /// Waits for exit (killing after the deadline); returns (success, stdout, stderr).
    fn finish(mut self, what: &str) -> (bool, String, String) {
        drop(self.child.stdin.take());
        self.collect(what)
    }

    /// Like [`finish`](Self::finish), but standard input stays open until the process has
    /// exited on its own (`openssl s_server -naccept 1` treats end of input as a reason to
    /// close, which would race with what the peer is still sending).
    fn finish_unprompted(self, what: &str) -> (bool, String, String) {
        self.collect(what)
    }

    fn collect(mut self, what: &str) -> (bool, String, String) {
        let deadline = Instant::now() + limit();
        let status = loop {
            if let Some(status) = self.child.try_wait().expect("try_wait") {
                drop(self.child.stdin.take());
                break status;
            }
            if Instant::now() > deadline {
                let _ = self.child.kill();
                let _ = self.child.wait();
                panic!("{what} timed out; saw {:?}", self.seen);
            }
            std::thread::sleep(Duration::from_millis(20));
        };
        while let Ok(line) = self.lines.recv_timeout(Duration::from_millis(200)) {
            self.seen.push(line);
        }
        let stderr = self
            .stderr
            .take()
            .and_then(|h| h.join().ok())
            .unwrap_or_default();
        (status.success(), self.seen.join("\n"), stderr)
    }
}

fn run_client(args: &[&str]) -> String {
    let child = c_command("sspi_client", args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn sspi_client");
    let out = wait_bounded(child, limit(), "sspi_client");
    assert_success(&out, "sspi_client")
}

fn start_server(args: &[&str]) -> (Running, String) {
    let p = pki();
    let mut full = vec!["--cert", s(&p.chain), "--key", s(&p.key)];
    full.extend_from_slice(args);
    let mut server = Running::spawn(c_command("sspi_server", &full), "sspi_server");
    let line = server.wait_line("LISTENING ");
    let port = line["LISTENING ".len()..].trim().to_string();
    (server, port)
}

fn finish_server(server: Running) -> String {
    let (ok, stdout, stderr) = server.finish("sspi_server");
    assert!(
        ok,
        "sspi_server failed\nstdout:\n{stdout}\nstderr:\n{stderr}"
    );
    assert_clean(&stderr, "sspi_server");
    assert!(stdout.contains("SERVER OK"), "{stdout}");
    stdout
}

fn client_server(version: &str, client_closes: bool, legacy: bool) {
    let mut server_args = vec![version];
    let mut client_args = vec![version];
    if legacy {
        server_args.push("--legacy");
        client_args.push("--legacy");
    }
    if client_closes {
        client_args.push("--close-first");
    } else {
        server_args.push("--close-first");
    }
    let (server, port) = start_server(&server_args);
    let p = pki();
    let mut args = vec!["localhost", port.as_str(), "--ca", s(&p.ca)];
    args.extend_from_slice(&client_args);
    let client = run_client(&args);
    let server = finish_server(server);
    let proto = if version == "--tls13" {
        "TLSv1.3"
    } else {
        "TLSv1.2"
    };
    for out in [&client, &server] {
        assert!(out.contains(&format!("protocol={proto}")), "{out}");
        assert!(out.contains("shutdown: SEC_E_OK"), "{out}");
        assert!(
            out.contains("peer close_notify: SEC_I_CONTEXT_EXPIRED"),
            "{out}"
        );
    }
    assert!(
        client.contains("received: echo: hello from sspi_client"),
        "{client}"
    );
    assert!(
        client.contains("peer certificate: localhost (chain of 2)"),
        "{client}"
    );
    if version == "--tls13" {
        assert!(
            client.contains("renegotiations serviced: 1"),
            "session ticket → SEC_I_RENEGOTIATE\n{client}"
        );
    }
}

#[test]
fn client_and_server_tls13_client_shuts_down_first() {
    client_server("--tls13", true, false);
}

#[test]
fn client_and_server_tls13_server_shuts_down_first() {
    client_server("--tls13", false, false);
}

#[test]
fn client_and_server_tls12_client_shuts_down_first() {
    client_server("--tls12", true, true);
}

#[test]
fn client_and_server_tls12_server_shuts_down_first() {
    client_server("--tls12", false, true);
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .expect("bind")
        .local_addr()
        .expect("addr")
        .port()
}

fn client_vs_openssl_s_server(version: &str) {
    if !have_openssl() {
        return;
    }
    let p = pki();
    let port = free_port().to_string();
    let mut cmd = Command::new("openssl");
    cmd.args(["s_server", "-accept"])
        .arg(format!("127.0.0.1:{port}"))
        .args([
            "-cert",
            s(&p.leaf),
            "-key",
            s(&p.key),
            "-cert_chain",
            s(&p.ca),
            "-naccept",
            "1",
            version,
        ]);
    let mut server = Running::spawn(cmd, "openssl s_server");
    server.wait_line("ACCEPT");
    if let Some(stdin) = server.child.stdin.as_mut() {
        stdin
            .write_all(b"hello from s_server\n")
            .expect("write s_server stdin");
    }
    let client = run_client(&[
        "localhost",
        &port,
        "--ca",
        s(&p.ca),
        "--close-first",
        "--expect",
        "hello from s_server",
    ]);
    let (_, server_out, server_err) = server.finish("openssl s_server");
    assert!(
        server_out.contains("hello from sspi_client"),
        "{server_out}\n{server_err}"
    );
    assert!(
        client.contains("peer close_notify: SEC_I_CONTEXT_EXPIRED"),
        "{client}"
    );
    if version == "-tls1_3" {
        assert!(
            client.contains("protocol=TLSv1.3") && !client.contains("renegotiations serviced: 0"),
            "{client}"
        );
    } else {
        assert!(client.contains("protocol=TLSv1.2"), "{client}");
    }
}

#[test]
fn client_against_openssl_s_server_tls13() {
    client_vs_openssl_s_server("-tls1_3");
}

#[test]
fn client_against_openssl_s_server_tls12() {
    client_vs_openssl_s_server("-tls1_2");
}

fn server_vs_openssl_s_client(version: &str, server_closes: bool) {
    if !have_openssl() {
        return;
    }
    let p = pki();
    let args: &[&str] = if server_closes {
        &["--close-first", "--allow-eof"]
    } else {
        &[]
    };
    let (server, port) = start_server(args);
    let mut cmd = Command::new("openssl");
    cmd.args(["s_client", "-connect"])
        .arg(format!("127.0.0.1:{port}"))
        .args([
            "-servername",
            "localhost",
            "-CAfile",
            s(&p.ca),
            "-verify_return_error",
            "-quiet",
            version,
        ])
        .arg(if server_closes {
            "-ign_eof"
        } else {
            "-no_ign_eof"
        });
    let mut client = Running::spawn(cmd, "openssl s_client");
    if let Some(stdin) = client.child.stdin.as_mut() {
        stdin
            .write_all(b"hello from s_client\n")
            .expect("write s_client stdin");
    }
    client.wait_line("echo: hello from s_client");
    // With -no_ign_eof, closing stdin makes s_client send its close_notify first.
    let (ok, client_out, client_err) = client.finish("openssl s_client");
    assert!(ok, "s_client failed\n{client_out}\n{client_err}");
    let server = finish_server(server);
    assert!(server.contains("received: hello from s_client"), "{server}");
    if server_closes {
        assert!(server.contains("shutdown: SEC_E_OK"), "{server}");
    } else {
        assert!(
            server.contains("peer close_notify: SEC_I_CONTEXT_EXPIRED"),
            "{server}"
        );
    }
}

#[test]
fn server_against_openssl_s_client_tls13_server_shuts_down_first() {
    server_vs_openssl_s_client("-tls1_3", true);
}

#[test]
fn server_against_openssl_s_client_tls13_client_shuts_down_first() {
    server_vs_openssl_s_client("-tls1_3", false);
}

#[test]
fn server_against_openssl_s_client_tls12_server_shuts_down_first() {
    server_vs_openssl_s_client("-tls1_2", true);
}

#[test]
fn server_against_openssl_s_client_tls12_client_shuts_down_first() {
    server_vs_openssl_s_client("-tls1_2", false);
}

#[test]
fn crypt32_subset_and_pfx_import() {
    let p = pki();
    let child = c_command(
        "crypt32",
        &[s(&p.p12), "secret", s(&p.leaf), s(&p.chain), s(&p.key)],
    )
    .stdout(Stdio::piped())
    .stderr(Stdio::piped())
    .spawn()
    .expect("spawn crypt32");
    let out = wait_bounded(child, limit(), "crypt32");
    let stdout = assert_success(&out, "crypt32");
    assert!(
        stdout
            .lines()
            .last()
            .unwrap_or_default()
            .ends_with(" 0 failed"),
        "{stdout}"
    );
}

/// Hostile handles on every export and deletes racing other calls: `abuse.c` (fewer race
/// rounds under valgrind, which serialises threads).
#[test]
fn hostile_handles_and_racing_deletes() {
    let p = pki();
    let rounds = if valgrind() { "24" } else { "300" };
    let child = c_command("abuse", &[s(&p.chain), s(&p.key), rounds])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn abuse");
    let out = wait_bounded(child, limit(), "abuse");
    let stdout = assert_success(&out, "abuse");
    let last = stdout.lines().last().unwrap_or_default();
    assert!(last.ends_with(" 0 failed"), "{stdout}");
    println!("{stdout}");
}

/// The README's "Using from C" example compiles and links as documented, including through
/// the generated `openschannel.pc`.
#[test]
fn readme_c_example_compiles_and_links() {
    let readme =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("../../README.md"))
            .expect("README.md");
    let section = &readme[readme
        .find("## Using from C")
        .expect("Using from C section")..];
    let start = section.find("```c\n").expect("a C example") + 5;
    let code = &section[start..start + section[start..].find("```").expect("end of example")];
    let src = work_dir().join(format!("readme-example-{}.c", std::process::id()));
    std::fs::write(&src, code).expect("write example");
    let pc = target_dir().join("openschannel.pc");
    let pc_text = std::fs::read_to_string(&pc).expect("openschannel.pc generated by build.rs");
    assert!(
        pc_text.contains("-lopenschannel") && pc_text.contains("include"),
        "{pc_text}"
    );
    let cc = std::env::var("CC").unwrap_or_else(|_| "cc".into());
    let out = Command::new(cc)
        .args([
            "-std=c11",
            "-D_POSIX_C_SOURCE=200809L",
            "-Wall",
            "-Wextra",
            "-Werror",
        ])
        .arg("-I")
        .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("include"))
        .arg(&src)
        .arg("-o")
        .arg(src.with_extension(""))
        .arg("-L")
        .arg(lib_dir())
        .arg("-lopenschannel")
        .output()
        .expect("run cc");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Runs `sspi_client`, successful or not: (success, stdout + stderr).
fn run_client_any(args: &[&str]) -> (bool, String) {
    let child = c_command("sspi_client", args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn sspi_client");
    let out = wait_bounded(child, limit(), "sspi_client");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_clean(&stderr, "sspi_client");
    (
        out.status.success(),
        format!("{}{stderr}", String::from_utf8_lossy(&out.stdout)),
    )
}

/// `ASC_REQ_MUTUAL_AUTH` between the C programs: a certificate chaining to the server's
/// hRootStore is sent and seen; without one (and without `ISC_REQ_USE_SUPPLIED_CREDS`) the
/// client gets `SEC_I_INCOMPLETE_CREDENTIALS` with the issuer list and goes on as curl does.
fn mutual_auth_c_programs(version: &str) {
    let p = pki();
    let (server, port) = start_server(&["--mutual", "--client-ca", s(&p.ca), version]);
    let client = run_client(&[
        "localhost",
        &port,
        "--ca",
        s(&p.ca),
        "--cert",
        s(&p.chain),
        "--key",
        s(&p.key),
        "--close-first",
        version,
    ]);
    assert!(
        client.contains("client certificate sent: localhost"),
        "{client}"
    );
    assert!(!client.contains("incomplete credentials"), "{client}");
    let server = finish_server(server);
    assert!(server.contains("client certificate: localhost"), "{server}");

    let (server, port) = start_server(&["--mutual", "--client-ca", s(&p.ca), version]);
    let client = run_client(&[
        "localhost",
        &port,
        "--ca",
        s(&p.ca),
        "--default-creds",
        "--close-first",
        version,
    ]);
    assert!(
        client.contains("incomplete credentials: 1 acceptable issuer(s)"),
        "{client}"
    );
    let server = finish_server(server);
    assert!(server.contains("client certificate: none"), "{server}");
}

#[test]
fn mutual_auth_between_the_c_programs_tls13() {
    mutual_auth_c_programs("--tls13");
}

#[test]
fn mutual_auth_between_the_c_programs_tls12() {
    mutual_auth_c_programs("--tls12");
}

/// `sspi_server --mutual` against `openssl s_client -cert`.
fn mutual_auth_server_vs_openssl(version: &str) {
    if !have_openssl() {
        return;
    }
    let p = pki();
    let (server, port) = start_server(&["--mutual", "--client-ca", s(&p.ca)]);
    let mut cmd = Command::new("openssl");
    cmd.args(["s_client", "-connect"])
        .arg(format!("127.0.0.1:{port}"))
        .args(["-servername", "localhost", "-CAfile", s(&p.ca), "-cert"])
        .arg(&p.leaf)
        .arg("-key")
        .arg(&p.key)
        .args(["-verify_return_error", "-quiet", "-no_ign_eof", version]);
    let mut client = Running::spawn(cmd, "openssl s_client");
    if let Some(stdin) = client.child.stdin.as_mut() {
        stdin.write_all(b"hello from s_client\n").expect("write");
    }
    client.wait_line("echo: hello from s_client");
    let (ok, out, err) = client.finish("openssl s_client");
    assert!(ok, "{out}\n{err}");
    let server = finish_server(server);
    assert!(server.contains("client certificate: localhost"), "{server}");
}

#[test]
fn mutual_auth_server_against_openssl_s_client_tls13() {
    mutual_auth_server_vs_openssl("-tls1_3");
}

#[test]
fn mutual_auth_server_against_openssl_s_client_tls12() {
    mutual_auth_server_vs_openssl("-tls1_2");
}

/// `openssl s_server` with `-Verify`/`-verify` and `-keymatexport`; returns it once it
/// accepts.
fn openssl_server(port: &str, version: &str, extra: &[&str]) -> Running {
    let p = pki();
    let mut cmd = Command::new("openssl");
    cmd.args(["s_server", "-accept"])
        .arg(format!("127.0.0.1:{port}"))
        .args([
            "-cert",
            s(&p.leaf),
            "-key",
            s(&p.key),
            "-cert_chain",
            s(&p.ca),
        ])
        .args(["-naccept", "1", version])
        .args(extra);
    let mut server = Running::spawn(cmd, "openssl s_server");
    server.wait_line("ACCEPT");
    server
}

/// The C client's certificate checked by `openssl s_server -Verify 1`, and what a client
/// without one sees from a server requiring or only requesting one.
fn client_certificate_vs_openssl(version: &str) {
    if !have_openssl() {
        return;
    }
    let p = pki();
    let port = free_port().to_string();
    let mut server = openssl_server(&port, version, &["-Verify", "1", "-CAfile", s(&p.ca)]);
    let client = std::thread::spawn({
        let (ca, chain, key, port) = (
            s(&p.ca).to_owned(),
            s(&p.chain).to_owned(),
            s(&p.key).to_owned(),
            port.clone(),
        );
        let version = if version == "-tls1_3" {
            "--tls13"
        } else {
            "--tls12"
        };
        move || {
            run_client(&[
                "localhost",
                &port,
                "--ca",
                &ca,
                "--cert",
                &chain,
                "--key",
                &key,
                "--expect",
                "hello from s_server",
                "--close-first",
                "--allow-eof",
                version,
            ])
        }
    });
    server.wait_line("hello from sspi_client");
    if let Some(stdin) = server.child.stdin.as_mut() {
        stdin.write_all(b"hello from s_server\n").expect("write");
    }
    let client = client.join().expect("client thread");
    assert!(
        client.contains("client certificate sent: localhost"),
        "{client}"
    );
    let (_, out, err) = server.finish("openssl s_server");
    assert!(!err.contains("verify error"), "{out}\n{err}");

    // Required but missing: SEC_I_INCOMPLETE_CREDENTIALS, then the server's refusal
    // (handshake_failure in TLS 1.2, certificate_required in TLS 1.3 — read late, in
    // DecryptMessage): both are SEC_E_ILLEGAL_MESSAGE per the contract's table.
    let port = free_port().to_string();
    let server = openssl_server(&port, version, &["-Verify", "1", "-CAfile", s(&p.ca)]);
    let cversion = if version == "-tls1_3" {
        "--tls13"
    } else {
        "--tls12"
    };
    let (ok, client) = run_client_any(&[
        "localhost",
        &port,
        "--ca",
        s(&p.ca),
        "--default-creds",
        cversion,
    ]);
    assert!(!ok, "{client}");
    assert!(
        client.contains("incomplete credentials: 1 acceptable issuer(s)"),
        "{client}"
    );
    assert!(client.contains("SEC_E_ILLEGAL_MESSAGE"), "{client}");
    let _ = server.finish("openssl s_server");
}

#[test]
fn client_certificate_against_openssl_s_server_tls13() {
    client_certificate_vs_openssl("-tls1_3");
}

#[test]
fn client_certificate_against_openssl_s_server_tls12() {
    client_certificate_vs_openssl("-tls1_2");
}

/// RFC 5705 keying material and the endpoint binding agree with OpenSSL's, both ways.
fn keying_material_vs_openssl(version: &str) {
    if !have_openssl() {
        return;
    }
    let p = pki();
    let label = "EXPERIMENTAL-openschannel";
    let cversion = if version == "-tls1_3" {
        "--tls13"
    } else {
        "--tls12"
    };
    // Our client, OpenSSL's server.
    let port = free_port().to_string();
    let mut server = openssl_server(
        &port,
        version,
        &["-keymatexport", label, "-keymatexportlen", "32"],
    );
    let client = std::thread::spawn({
        let (ca, port) = (s(&p.ca).to_owned(), port.clone());
        move || {
            run_client(&[
                "localhost",
                &port,
                "--ca",
                &ca,
                "--export",
                label,
                "--expect",
                "hello from s_server",
                "--close-first",
                "--allow-eof",
                cversion,
            ])
        }
    });
    let theirs = server.wait_line("    Keying material:");
    if let Some(stdin) = server.child.stdin.as_mut() {
        stdin.write_all(b"hello from s_server\n").expect("write");
    }
    let client = client.join().expect("client thread");
    let _ = server.finish("openssl s_server");
    let theirs = theirs.trim().trim_start_matches("Keying material:").trim();
    assert_eq!(theirs.len(), 64, "{theirs}");
    assert!(
        client.contains(&format!("keying material: {theirs}")),
        "openssl: {theirs}\n{client}"
    );
    assert!(
        client.contains(&format!(
            "endpoint binding: {}",
            openssl_fingerprint(&p.leaf)
        )),
        "{client}"
    );

    // Our server, OpenSSL's client.
    let (server, port) = start_server(&["--export", label, cversion]);
    let mut cmd = Command::new("openssl");
    cmd.args(["s_client", "-connect"])
        .arg(format!("127.0.0.1:{port}"))
        .args(["-servername", "localhost", "-CAfile", s(&p.ca)])
        .args([
            "-keymatexport",
            label,
            "-keymatexportlen",
            "32",
            "-no_ign_eof",
            version,
        ]);
    let mut client = Running::spawn(cmd, "openssl s_client");
    let theirs = client.wait_line("    Keying material:");
    if let Some(stdin) = client.child.stdin.as_mut() {
        stdin.write_all(b"hello from s_client\n").expect("write");
    }
    client.wait_line("echo: hello from s_client");
    let _ = client.finish("openssl s_client");
    let server = finish_server(server);
    let theirs = theirs.trim().trim_start_matches("Keying material:").trim();
    assert!(
        server.contains(&format!("keying material: {theirs}")),
        "openssl: {theirs}\n{server}"
    );
}

#[test]
fn keying_material_matches_openssl_tls13() {
    keying_material_vs_openssl("-tls1_3");
}

#[test]
fn keying_material_matches_openssl_tls12() {
    keying_material_vs_openssl("-tls1_2");
}

/// `SCHANNEL_ALERT` + ISC/ASC after the handshake (as .NET rejects a certificate it validated
/// itself): OpenSSL decrypts the sealed alert and reports exactly it.
fn sealed_alerts_vs_openssl(version: &str) {
    if !have_openssl() {
        return;
    }
    let p = pki();
    let cversion = if version == "-tls1_3" {
        "--tls13"
    } else {
        "--tls12"
    };
    let port = free_port().to_string();
    let server = openssl_server(&port, version, &[]);
    let client = run_client(&["localhost", &port, "--insecure", "--alert", "42", cversion]);
    assert!(client.contains("alert 42 sent"), "{client}");
    let (_, out, err) = server.finish_unprompted("openssl s_server");
    assert!(
        err.contains("alert bad certificate") && err.contains("SSL alert number 42"),
        "openssl s_server did not report bad_certificate\n{out}\n{err}"
    );

    let (server, port) = start_server(&["--alert", "48", cversion]);
    let mut cmd = Command::new("openssl");
    cmd.args(["s_client", "-connect"])
        .arg(format!("127.0.0.1:{port}"))
        .args([
            "-servername",
            "localhost",
            "-CAfile",
            s(&p.ca),
            "-quiet",
            version,
        ]);
    let client = Running::spawn(cmd, "openssl s_client");
    let (_, out, err) = client.finish("openssl s_client");
    let server = finish_server(server);
    assert!(server.contains("alert 48 sent"), "{server}");
    assert!(
        err.contains("alert unknown ca") && err.contains("SSL alert number 48"),
        "openssl s_client did not report unknown_ca\n{out}\n{err}"
    );
}

#[test]
fn sealed_alerts_reach_openssl_tls13() {
    sealed_alerts_vs_openssl("-tls1_3");
}

#[test]
fn sealed_alerts_reach_openssl_tls12() {
    sealed_alerts_vs_openssl("-tls1_2");
}

/// `SSLKEYLOGFILE` is honoured by the C library when set (NSS key log lines for Wireshark).
#[test]
fn sslkeylogfile_is_honoured_when_set() {
    let p = pki();
    for version in ["--tls12", "--tls13"] {
        let log = work_dir().join(format!("keys-{version}-{}.log", std::process::id()));
        let _ = std::fs::remove_file(&log);
        let (server, port) = start_server(&[version]);
        let child = c_command(
            "sspi_client",
            &[
                "localhost",
                &port,
                "--ca",
                s(&p.ca),
                "--close-first",
                version,
            ],
        )
        .env("SSLKEYLOGFILE", &log)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn sspi_client");
        let out = wait_bounded(child, limit(), "sspi_client");
        assert_success(&out, "sspi_client");
        finish_server(server);
        let keys = std::fs::read_to_string(&log).expect("key log written");
        let label = if version == "--tls12" {
            "CLIENT_RANDOM "
        } else {
            "CLIENT_TRAFFIC_SECRET_0 "
        };
        assert!(keys.lines().any(|l| l.starts_with(label)), "{keys}");
        let _ = std::fs::remove_file(&log);
    }
}
