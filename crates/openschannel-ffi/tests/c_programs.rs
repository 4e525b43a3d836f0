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

use openschannel_test_support::files::openssl_v1_certificate;
use openschannel_test_support::peers::{free_port, have, wait_bounded};
use openschannel_test_support::{Authority, LeafSpec};

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
/// `cargo test` builds the library as this test's dependency, but a test binary run on its own
/// (or one whose library was rebuilt by another command since) could see a stale one. Running
/// `cargo build` for the ffi crate here, with the features this test was built with (so that it
/// is a no-op, not a rebuild with another feature set), never tests old code.
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
        if cfg!(feature = "bench-openssl") {
            cargo.args(["--features", "bench-openssl"]);
        } else if cfg!(feature = "bench-harness") {
            cargo.args(["--features", "bench-harness"]);
        }
        let out = cargo.output().expect("run cargo build for the ffi library");
        assert!(
            out.status.success(),
            "building libopenschannel failed:\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
    });
}

/// The directory holding `libopenschannel.so` (build.rs's link to cargo's
/// `deps/libopenschannel_ffi.so`).
fn lib_dir() -> PathBuf {
    ensure_library_built();
    target_dir()
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
        use rcgen::{BasicConstraints, CertificateParams, DnType, IsCa, KeyPair};
        let ca = Authority::new("openschannel C test CA");
        let leaf = ca.issue(&LeafSpec::localhost());
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
                PrivateKey::from_der(&leaf.key_der).unwrap(),
                [
                    Certificate::from_der(&leaf.der).unwrap(),
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
            chain: write("chain.pem", (leaf.cert_pem.clone() + &ca.pem()).as_bytes()),
            key: write("server.key", leaf.key_pem.as_bytes()),
            ca: write("ca.pem", ca.pem().as_bytes()),
            leaf: write("leaf.pem", leaf.cert_pem.as_bytes()),
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
    let dir = stem.parent().expect("a directory");
    let name = stem
        .file_name()
        .and_then(|n| n.to_str())
        .expect("a UTF-8 name");
    openssl_v1_certificate(dir, name, "localhost").expect("openssl")
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
    // CI installs the peers (.ci/install-peers.sh): a missing one there is a failure.
    have("openssl", "version")
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

/// The certificate-decoding half of the API, driven from C as curl and the SDK samples drive
/// it (`decode.c`): CryptStringToBinary of PEM, CryptQueryObject of a CA bundle (per block and
/// as a file) and of a PFX, CryptDecodeObjectEx(X509_ALT_NAME) and the SEARCH_ALL_NAMES list
/// on a DNS + IP multi-SAN certificate, the --pinnedpubkey SHA-256 through CryptCreateHash
/// (checked against the SPKI hashed here), names and properties, and a server credential from
/// CryptImportKey + CERT_KEY_PROV_INFO_PROP_ID completing an in-process handshake.
#[test]
fn decoding_strings_hashes_and_imported_keys_from_c() {
    use rcgen::{
        BasicConstraints, CertificateParams, CertifiedIssuer, DnType, IsCa, KeyPair, SanType,
    };
    use sha2::Digest;
    let p = pki();
    let ca_key = KeyPair::generate_for(&rcgen::PKCS_ECDSA_P256_SHA256).unwrap();
    let mut ca_params = CertificateParams::new(Vec::<String>::new()).unwrap();
    ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    ca_params
        .distinguished_name
        .push(DnType::CommonName, "openschannel C test CA");
    let ca = CertifiedIssuer::self_signed(ca_params, ca_key).unwrap();
    let leaf_key = KeyPair::generate_for(&rcgen::PKCS_ECDSA_P256_SHA256).unwrap();
    let mut params = CertificateParams::new(Vec::<String>::new()).unwrap();
    params.subject_alt_names = vec![
        SanType::DnsName("localhost".try_into().unwrap()),
        SanType::IpAddress("127.0.0.1".parse().unwrap()),
        SanType::DnsName("second.example".try_into().unwrap()),
        SanType::IpAddress("::1".parse().unwrap()),
    ];
    params
        .distinguished_name
        .push(DnType::CommonName, "localhost");
    params
        .distinguished_name
        .push(DnType::OrganizationName, "openschannel tests");
    let leaf = params.signed_by(&leaf_key, &ca).unwrap();
    let rsa_key = KeyPair::generate_for(&rcgen::PKCS_RSA_SHA256).unwrap();
    let mut rsa_params = CertificateParams::new(vec!["localhost".into()]).unwrap();
    rsa_params
        .distinguished_name
        .push(DnType::CommonName, "localhost");
    let rsa_cert = rsa_params.self_signed(&rsa_key).unwrap();

    let dir = work_dir().join(format!("decode-data-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let write = |name: &str, data: &[u8]| {
        let path = dir.join(name);
        std::fs::write(&path, data).unwrap();
        path
    };
    let leaf_pem = write("multi-san.pem", leaf.pem().as_bytes());
    let bundle = write("bundle.pem", (ca.pem() + &leaf.pem()).as_bytes());
    let rsa_pem = write("rsa.pem", rsa_cert.pem().as_bytes());
    let rsa_key_pem = write("rsa.key", rsa_key.serialize_pem().as_bytes());

    let (_, parsed) = x509_parser::parse_x509_certificate(leaf.der()).unwrap();
    let expected: String = sha2::Sha256::digest(parsed.tbs_certificate.subject_pki.raw)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();

    let child = c_command(
        "decode",
        &[
            s(&leaf_pem),
            s(&bundle),
            s(&p.p12),
            "secret",
            s(&rsa_pem),
            s(&rsa_key_pem),
        ],
    )
    .stdout(Stdio::piped())
    .stderr(Stdio::piped())
    .spawn()
    .expect("spawn decode");
    let out = wait_bounded(child, limit(), "decode");
    let stdout = assert_success(&out, "decode");
    assert!(
        stdout.contains(&format!("spki-sha256 {expected}")),
        "pinned-key hash differs from the SPKI's SHA-256 {expected}\n{stdout}"
    );
    for line in [
        "PASS handshake with the imported key completes",
        "PASS mutually authenticated handshake, both keys imported",
        "PASS CryptDecodeObjectEx(X509_ALT_NAME, ALLOC)",
        "PASS CertGetNameString(DNS, SEARCH_ALL) is the double-NUL list",
    ] {
        assert!(stdout.contains(line), "{line}\n{stdout}");
    }
    println!("{}", stdout.lines().last().unwrap_or_default());
    assert!(
        stdout
            .lines()
            .last()
            .unwrap_or_default()
            .ends_with(" 0 failed"),
        "{stdout}"
    );
}

/// Certificates for the chain-engine tests: a root, an intermediate under it, an unrelated
/// root, and leaves for `localhost` / 127.0.0.1 issued by each (one of them expired), plus a
/// client certificate; each as PEM files.
struct ChainPki {
    dir: PathBuf,
    root: PathBuf,
    intermediate: PathBuf,
    other_root: PathBuf,
    leaf: PathBuf,
    expired: PathBuf,
    leaf_by_intermediate: PathBuf,
    leaf_by_other: PathBuf,
    key: PathBuf,
    client_thumbprint: String,
    client_der: Vec<u8>,
    /// A PKCS#12 (empty password) with `leaf_by_other`, its key and the other root.
    other_pfx: Vec<u8>,
    /// A PKCS#12 (password "pfx secret") with the client certificate and its key.
    client_pfx: PathBuf,
}

fn chain_pki() -> &'static ChainPki {
    static PKI: OnceLock<ChainPki> = OnceLock::new();
    PKI.get_or_init(|| {
        use rcgen::{
            BasicConstraints, CertificateParams, CertifiedIssuer, DnType, ExtendedKeyUsagePurpose,
            IsCa, KeyPair,
        };
        let ca = |name: &str| {
            let mut p = CertificateParams::new(Vec::<String>::new()).unwrap();
            p.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
            p.distinguished_name.push(DnType::CommonName, name);
            p
        };
        let new_key = || KeyPair::generate_for(&rcgen::PKCS_ECDSA_P256_SHA256).unwrap();
        let root = CertifiedIssuer::self_signed(ca("chain test root"), new_key()).unwrap();
        let intermediate =
            CertifiedIssuer::signed_by(ca("chain test intermediate"), new_key(), &root).unwrap();
        let other = CertifiedIssuer::self_signed(ca("chain test stranger"), new_key()).unwrap();
        let key = new_key();
        let leaf_params = |expired: bool| {
            let mut p =
                CertificateParams::new(vec!["localhost".into(), "127.0.0.1".into()]).unwrap();
            p.distinguished_name.push(DnType::CommonName, "localhost");
            if expired {
                p.not_before = rcgen::date_time_ymd(2001, 1, 1);
                p.not_after = rcgen::date_time_ymd(2002, 1, 1);
            }
            p
        };
        let dir = work_dir().join(format!("chain-pki-{}", std::process::id()));
        let my = dir.join("certstore").join("MY");
        std::fs::create_dir_all(&my).unwrap();
        let write = |name: &str, data: &str| {
            let p = dir.join(name);
            std::fs::write(&p, data).unwrap();
            p
        };
        // The client certificate lives in the MY store directory, its key beside it.
        let client_key = new_key();
        let mut client = CertificateParams::new(vec!["chain-client".into()]).unwrap();
        client
            .distinguished_name
            .push(DnType::CommonName, "chain test client");
        client.extended_key_usages = vec![ExtendedKeyUsagePurpose::ClientAuth];
        let client = client.signed_by(&client_key, &root).unwrap();
        std::fs::write(my.join("client.pem"), client.pem()).unwrap();
        std::fs::write(my.join("client.key"), client_key.serialize_pem()).unwrap();
        let client_thumbprint = {
            use sha1::{Digest, Sha1};
            Sha1::digest(client.der())
                .iter()
                .map(|b| format!("{b:02x}"))
                .collect()
        };
        let client_pfx = {
            use p12_keystore::{
                Certificate, KeyStore, KeyStoreEntry, LocalKeyId, PrivateKey, PrivateKeyChain,
            };
            let chain = PrivateKeyChain::new(
                LocalKeyId(vec![7, 7]),
                PrivateKey::from_der(&client_key.serialize_der()).unwrap(),
                [Certificate::from_der(client.der()).unwrap()],
            );
            let mut store = KeyStore::new();
            store.add_entry("client", KeyStoreEntry::PrivateKeyChain(chain));
            let path = dir.join("client.pfx");
            std::fs::write(&path, store.writer("pfx secret").write().unwrap()).unwrap();
            path
        };
        let leaf_by_other = leaf_params(false).signed_by(&key, &other).unwrap();
        let other_pfx = {
            use p12_keystore::{
                Certificate, KeyStore, KeyStoreEntry, LocalKeyId, PrivateKey, PrivateKeyChain,
            };
            let chain = PrivateKeyChain::new(
                LocalKeyId(vec![9, 9]),
                PrivateKey::from_der(&key.serialize_der()).unwrap(),
                [
                    Certificate::from_der(leaf_by_other.der()).unwrap(),
                    Certificate::from_der(other.der()).unwrap(),
                ],
            );
            let mut store = KeyStore::new();
            store.add_entry("other", KeyStoreEntry::PrivateKeyChain(chain));
            store.writer("").write().unwrap()
        };
        ChainPki {
            other_pfx,
            client_pfx,
            root: write("root.pem", &root.pem()),
            intermediate: write("intermediate.pem", &intermediate.pem()),
            other_root: write("other-root.pem", &other.pem()),
            leaf: write(
                "leaf.pem",
                &leaf_params(false).signed_by(&key, &root).unwrap().pem(),
            ),
            expired: write(
                "expired.pem",
                &leaf_params(true).signed_by(&key, &root).unwrap().pem(),
            ),
            leaf_by_intermediate: write(
                "leaf-by-intermediate.pem",
                &leaf_params(false)
                    .signed_by(&key, &intermediate)
                    .unwrap()
                    .pem(),
            ),
            leaf_by_other: write("leaf-by-other.pem", &leaf_by_other.pem()),
            key: write("leaf.key", &key.serialize_pem()),
            client_thumbprint,
            client_der: client.der().to_vec(),
            dir,
        }
    })
}

/// `openssl s_server` (TLS 1.3) presenting `leaf` (and `chain`, when given).
fn chain_server(leaf: &Path, chain: Option<&Path>, extra: &[&str]) -> (Running, String) {
    let p = chain_pki();
    let port = free_port().to_string();
    let mut cmd = Command::new("openssl");
    cmd.args(["s_server", "-accept"])
        .arg(format!("127.0.0.1:{port}"))
        .args([
            "-cert",
            s(leaf),
            "-key",
            s(&p.key),
            "-naccept",
            "1",
            "-tls1_3",
        ]);
    if let Some(chain) = chain {
        cmd.args(["-cert_chain", s(chain)]);
    }
    cmd.args(extra);
    let mut server = Running::spawn(cmd, "openssl s_server");
    server.wait_line("ACCEPT");
    (server, port)
}

/// Runs `chain_verify` with the test's certificate store and platform roots.
fn run_chain_verify(args: &[&str]) -> String {
    let p = chain_pki();
    let child = c_command("chain_verify", args)
        .env("OPENSCHANNEL_CERTSTORE", p.dir.join("certstore"))
        .env("SSL_CERT_FILE", &p.root)
        .env_remove("SSL_CERT_DIR")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn chain_verify");
    let out = wait_bounded(child, limit(), "chain_verify");
    let stdout = assert_success(&out, "chain_verify");
    assert!(stdout.contains("CHAIN OK"), "{stdout}");
    stdout
}

/// One manual-validation case: the server presents `leaf` (+ `chain`), the client connects
/// to `host` and checks `name`; `verify` holds the expectations and engine options.
fn chain_case(
    leaf: &Path,
    chain: Option<&Path>,
    host: &str,
    name: &str,
    verify: &[&str],
) -> String {
    let (server, port) = chain_server(leaf, chain, &[]);
    let mut args = vec!["verify", host, &port, name];
    args.extend_from_slice(verify);
    let out = run_chain_verify(&args);
    let _ = server.finish("openssl s_server");
    println!("{out}");
    out
}

// CERT_TRUST_* bits and policy codes the cases expect (as Windows reports them).
const NAME_MATCH: &str = "info=0x00000104"; // HAS_NAME_MATCH_ISSUER | HAS_PREFERRED_ISSUER
const ROOT_INFO: &str = "info=0x0000010c"; // ... | IS_SELF_SIGNED

#[test]
fn chain_ca_issued_leaf_default_engine_and_exclusive_root() {
    if !have_openssl() {
        return;
    }
    let p = chain_pki();
    let ok = [
        "--chain",
        "0",
        "--elements",
        "2",
        "--ssl",
        "0",
        "--base",
        "0",
    ];
    // The default engine trusts the platform roots (SSL_CERT_FILE here).
    let out = chain_case(&p.leaf, None, "localhost", "localhost", &ok);
    assert!(
        out.contains(&format!(
            "element 0: error=0x00000000 {NAME_MATCH} subject=localhost"
        )),
        "{out}"
    );
    assert!(
        out.contains(&format!(
            "element 1: error=0x00000000 {ROOT_INFO} subject=chain test root"
        )),
        "{out}"
    );
    assert!(
        out.contains("ssl policy: error=0x00000000 chain=-1 element=-1"),
        "{out}"
    );
    // curl --cacert: an engine whose hExclusiveRoot holds the CA from a file.
    let mut args = vec!["--exclusive", s(&p.root)];
    args.extend_from_slice(&ok);
    let out = chain_case(&p.leaf, None, "localhost", "localhost", &args);
    // CERT_TRUST_IS_FROM_EXCLUSIVE_TRUST_STORE joins the chain's info bits.
    assert!(
        out.contains("chain: error=0x00000000 info=0x00002100"),
        "{out}"
    );
}

#[test]
fn chain_untrusted_ca() {
    if !have_openssl() {
        return;
    }
    let p = chain_pki();
    let out = chain_case(
        &p.leaf_by_other,
        Some(&p.other_root),
        "localhost",
        "localhost",
        &[
            "--exclusive",
            s(&p.root),
            "--chain",
            "20",
            "--elements",
            "2",
            "--ssl",
            "800B0109",
            "--ssl-element",
            "1",
            "--base",
            "800B0109",
        ],
    );
    assert!(out.contains("element 1: error=0x00000020"), "{out}");
    assert!(out.contains("subject=chain test stranger"), "{out}");
}

#[test]
fn chain_wrong_name_and_ip_target() {
    if !have_openssl() {
        return;
    }
    let p = chain_pki();
    chain_case(
        &p.leaf,
        None,
        "localhost",
        "wrong.example",
        &[
            "--chain",
            "0",
            "--elements",
            "2",
            "--ssl",
            "800B010F",
            "--ssl-element",
            "0",
            "--base",
            "0",
        ],
    );
    // An IP target matches the iPAddress SAN.
    let ok = [
        "--chain",
        "0",
        "--elements",
        "2",
        "--ssl",
        "0",
        "--base",
        "0",
    ];
    chain_case(&p.leaf, None, "127.0.0.1", "127.0.0.1", &ok);
    // ... and only it.
    chain_case(
        &p.leaf,
        None,
        "127.0.0.1",
        "127.0.0.2",
        &[
            "--chain",
            "0",
            "--elements",
            "2",
            "--ssl",
            "800B010F",
            "--base",
            "0",
        ],
    );
}

#[test]
fn chain_expired_leaf() {
    if !have_openssl() {
        return;
    }
    let p = chain_pki();
    let out = chain_case(
        &p.expired,
        None,
        "localhost",
        "localhost",
        &[
            "--chain",
            "1",
            "--elements",
            "2",
            "--ssl",
            "800B0101",
            "--ssl-element",
            "0",
            "--base",
            "800B0101",
        ],
    );
    assert!(out.contains("element 0: error=0x00000001"), "{out}");
}

#[test]
fn chain_intermediate_supplied_only_by_the_peer() {
    if !have_openssl() {
        return;
    }
    let p = chain_pki();
    // The intermediate is only in the peer's store (hAdditionalStore = the server
    // certificate's hCertStore).
    let out = chain_case(
        &p.leaf_by_intermediate,
        Some(&p.intermediate),
        "localhost",
        "localhost",
        &[
            "--exclusive",
            s(&p.root),
            "--chain",
            "0",
            "--elements",
            "3",
            "--ssl",
            "0",
            "--base",
            "0",
        ],
    );
    assert!(
        out.contains("element 1: error=0x00000000 info=0x00000104 subject=chain test intermediate"),
        "{out}"
    );
    // Without it the chain is partial: CERT_TRUST_IS_PARTIAL_CHAIN at chain level,
    // CERT_E_UNTRUSTEDROOT (SSL) / CERT_E_CHAINING (BASE), element index -1.
    chain_case(
        &p.leaf_by_intermediate,
        None,
        "localhost",
        "localhost",
        &[
            "--exclusive",
            s(&p.root),
            "--chain",
            "10000",
            "--elements",
            "1",
            "--ssl",
            "800B0109",
            "--ssl-element",
            "-1",
            "--base",
            "800B010A",
        ],
    );
    // With CERT_CHAIN_EXCLUSIVE_ENABLE_CA_FLAG the intermediate itself is an anchor.
    chain_case(
        &p.leaf_by_intermediate,
        None,
        "localhost",
        "localhost",
        &[
            "--exclusive",
            s(&p.intermediate),
            "--ca-flag",
            "--chain",
            "0",
            "--elements",
            "2",
            "--ssl",
            "0",
            "--base",
            "0",
        ],
    );
}

#[test]
fn chain_revocation_requested_is_reported_unknown() {
    if !have_openssl() {
        return;
    }
    let p = chain_pki();
    // CERT_TRUST_REVOCATION_STATUS_UNKNOWN | CERT_TRUST_IS_OFFLINE_REVOCATION on the leaf
    // (revocation is never checked); the SSL policy says CRYPT_E_REVOCATION_OFFLINE.
    let out = chain_case(
        &p.leaf,
        None,
        "localhost",
        "localhost",
        &[
            "--revocation",
            "--chain",
            "1000040",
            "--elements",
            "2",
            "--ssl",
            "80092013",
            "--base",
            "80092013",
        ],
    );
    assert!(out.contains("element 1: error=0x00000000"), "{out}");
}

#[test]
fn chain_client_certificate_from_the_my_store_by_thumbprint() {
    if !have_openssl() {
        return;
    }
    let p = chain_pki();
    let (mut server, port) = chain_server(&p.leaf, None, &["-Verify", "1", "-CAfile", s(&p.root)]);
    let client = std::thread::spawn({
        let (port, thumb) = (port.clone(), p.client_thumbprint.clone());
        move || run_chain_verify(&["client", "localhost", &port, &thumb])
    });
    server.wait_line("hello from chain_verify");
    let out = client.join().expect("client thread");
    assert!(
        out.contains("client certificate from MY: chain test client"),
        "{out}"
    );
    assert!(
        out.contains("client certificate sent: chain test client"),
        "{out}"
    );
    let (_, sout, serr) = server.finish("openssl s_server");
    assert!(!serr.contains("verify error"), "{sout}\n{serr}");
}

/// curl's client certificate from a PFX file: PFXImportCertStore + CERT_FIND_HAS_PRIVATE_KEY,
/// sent to an `openssl s_server -Verify` that trusts its issuer.
#[test]
fn chain_client_certificate_from_a_pfx_by_has_private_key() {
    if !have_openssl() {
        return;
    }
    let p = chain_pki();
    let (mut server, port) = chain_server(&p.leaf, None, &["-Verify", "1", "-CAfile", s(&p.root)]);
    let client = std::thread::spawn({
        let (port, pfx) = (port.clone(), p.client_pfx.clone());
        move || run_chain_verify(&["pfx-client", "localhost", &port, s(&pfx), "pfx secret"])
    });
    server.wait_line("hello from chain_verify");
    let out = client.join().expect("client thread");
    assert!(
        out.contains("client certificate from the PFX: chain test client"),
        "{out}"
    );
    let (_, sout, serr) = server.finish("openssl s_server");
    assert!(!serr.contains("verify error"), "{sout}\n{serr}");
}

#[test]
fn chain_stores_find_types_and_argument_checks() {
    let p = chain_pki();
    // A fresh store tree: MY with the client certificate and key, CA empty.
    let base = p.dir.join(format!("stores-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&base);
    std::fs::create_dir_all(base.join("MY")).unwrap();
    for f in ["client.pem", "client.key"] {
        std::fs::copy(p.dir.join("certstore/MY").join(f), base.join("MY").join(f)).unwrap();
    }
    std::fs::write(base.join("MY").join("other.pfx"), &p.other_pfx).unwrap();
    let sha256: String = openschannel_core::pki::sha256(&p.client_der)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    if !have_openssl() {
        return;
    }
    // A real .p7b, as openssl writes one.
    let p7b = base.join("bundle.p7b");
    let made = Command::new("openssl")
        .args(["crl2pkcs7", "-nocrl", "-outform", "DER", "-certfile"])
        .arg(&p.root)
        .arg("-certfile")
        .arg(&p.intermediate)
        .arg("-out")
        .arg(&p7b)
        .status()
        .expect("run openssl crl2pkcs7");
    assert!(made.success());
    let child = c_command(
        "stores",
        &[
            s(&p.root),
            s(&p.intermediate),
            s(&p.leaf_by_intermediate),
            &sha256,
            s(&p7b),
        ],
    )
    .env("OPENSCHANNEL_CERTSTORE", &base)
    .env("SSL_CERT_FILE", &p.root)
    .env_remove("SSL_CERT_DIR")
    .stdout(Stdio::piped())
    .stderr(Stdio::piped())
    .spawn()
    .expect("spawn stores");
    let out = wait_bounded(child, limit(), "stores");
    let stdout = assert_success(&out, "stores");
    assert!(stdout.contains("STORES OK"), "{stdout}");
    // The addition to CA was written as PEM, named by its SHA-1.
    let written: Vec<_> = std::fs::read_dir(base.join("CA")).unwrap().collect();
    assert_eq!(written.len(), 1);
}

#[test]
fn chain_client_certificate_chosen_by_the_servers_issuer_list() {
    if !have_openssl() {
        return;
    }
    let p = chain_pki();
    // Two connections: the first learns the acceptable issuers, the second sends the
    // certificate CertFindChainInStore picked.
    let port = free_port().to_string();
    let mut cmd = Command::new("openssl");
    cmd.args(["s_server", "-accept"])
        .arg(format!("127.0.0.1:{port}"))
        .args([
            "-cert",
            s(&p.leaf),
            "-key",
            s(&p.key),
            "-naccept",
            "2",
            "-tls1_2",
        ])
        .args(["-Verify", "1", "-CAfile", s(&p.root)]);
    let mut server = Running::spawn(cmd, "openssl s_server");
    server.wait_line("ACCEPT");
    let client = std::thread::spawn({
        let port = port.clone();
        move || run_chain_verify(&["sdk", "localhost", &port])
    });
    server.wait_line("hello from chain_verify");
    let out = client.join().expect("client thread");
    assert!(out.contains("acceptable issuers: 1"), "{out}");
    assert!(
        out.contains("certificate chosen by issuer: chain test client"),
        "{out}"
    );
    let (_, sout, serr) = server.finish("openssl s_server");
    assert!(!serr.contains("verify error"), "{sout}\n{serr}");
}
