//! The library as a C user gets it: `install.sh` into a temporary prefix (the library built
//! on its own for this profile, as install.sh builds it), the layout and the shared object's SONAME and exports
//! checked, and the porting guide's worked example — `examples/webclient/`, an SDK-web-client
//! shaped HTTPS client — compiled against the *installed* copy through its `openschannel.pc`
//! (shared and static) and run against `openssl s_server -WWW` with TLS 1.3 and TLS 1.2: the
//! file it fetches must arrive byte for byte, ended by the server's close_notify
//! (`SEC_I_CONTEXT_EXPIRED`), followed by the shutdown procedure.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use openschannel_test_support::peers::free_port;
use openschannel_test_support::{Authority, LeafSpec};

/// `target/<profile>/`.
fn target_dir() -> PathBuf {
    let exe = std::env::current_exe().expect("current exe");
    exe.parent()
        .and_then(Path::parent)
        .expect("target dir")
        .to_path_buf()
}

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .ancestors()
        .nth(2)
        .expect("repository root")
        .to_path_buf()
}

fn have(tool: &str, arg: &str) -> bool {
    let found = Command::new(tool)
        .arg(arg)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok();
    if !found {
        // CI installs every tool (.ci/install-peers.sh): a missing one there is a failure.
        assert!(
            std::env::var_os("CI").is_none(),
            "{tool} is not installed (CI is set)"
        );
        println!("skipped: {tool} is not installed");
    }
    found
}

/// The prefix `install.sh` filled, once per test process.
fn prefix() -> &'static Path {
    static PREFIX: OnceLock<PathBuf> = OnceLock::new();
    PREFIX.get_or_init(|| {
        let top = target_dir();
        let prefix = top.join("installed");
        let _ = std::fs::remove_dir_all(&prefix);
        let profile = match top.file_name().and_then(|n| n.to_str()) {
            Some("debug") => "dev".to_string(),
            Some(other) => other.to_string(),
            None => "dev".to_string(),
        };
        let out = Command::new("sh")
            .arg(repo().join("install.sh"))
            .env("PREFIX", &prefix)
            // install.sh builds the library itself, on its own: inside `cargo test
            // --workspace` the profile's artefacts may carry the CLI's bench features
            // (feature unification), which no installed library does.
            .env_remove("OPENSCHANNEL_NO_BUILD")
            .env("OPENSCHANNEL_INSTALL_CLI", "0")
            .env("OPENSCHANNEL_PROFILE", profile)
            .env("CARGO_TARGET_DIR", top.parent().expect("target"))
            .env_remove("DESTDIR")
            .output()
            .expect("run install.sh");
        assert!(
            out.status.success(),
            "install.sh failed:\n{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        prefix
    })
}

/// The prefix's files: versioned shared object with SONAME and links, static library,
/// headers under `include/openschannel/`, pkg-config and CMake metadata for the prefix.
#[test]
fn install_sh_lays_out_the_prefix() {
    if !have("cc", "--version") || !have("readelf", "--version") {
        return;
    }
    let p = prefix();
    let lib = p.join("lib");
    let real = lib.join("libopenschannel.so.0.1.0");
    assert!(real.is_file());
    assert_eq!(
        std::fs::read_link(lib.join("libopenschannel.so.0")).expect("so.0 link"),
        Path::new("libopenschannel.so.0.1.0")
    );
    assert_eq!(
        std::fs::read_link(lib.join("libopenschannel.so")).expect("so link"),
        Path::new("libopenschannel.so.0")
    );
    assert!(lib.join("libopenschannel.a").is_file());
    for h in [
        "sspi.h",
        "schannel.h",
        "security.h",
        "wincrypt.h",
        "openschannel.h",
    ] {
        assert!(p.join("include/openschannel").join(h).is_file(), "{h}");
    }
    let dynamic = Command::new("readelf")
        .arg("-d")
        .arg(&real)
        .output()
        .expect("readelf");
    let dynamic = String::from_utf8_lossy(&dynamic.stdout);
    assert!(
        dynamic.contains("Library soname: [libopenschannel.so.0]"),
        "{dynamic}"
    );
    // Stripped: no debug sections (install.sh also checked the exports against the list).
    let sections = Command::new("readelf")
        .arg("-S")
        .arg(&real)
        .output()
        .expect("readelf");
    assert!(!String::from_utf8_lossy(&sections.stdout).contains(".debug_info"));

    let pc = std::fs::read_to_string(lib.join("pkgconfig/openschannel.pc")).expect("pc");
    assert!(pc.contains(&format!("prefix={}\n", p.display())), "{pc}");
    assert!(
        pc.contains("includedir=${prefix}/include/openschannel\n"),
        "{pc}"
    );
    assert!(pc.contains("\nLibs.private: "), "{pc}");
    let cmake = lib.join("cmake/openschannel");
    let config = std::fs::read_to_string(cmake.join("openschannelConfig.cmake")).expect("config");
    assert!(config.contains("openschannel::openschannel"));
    assert!(cmake.join("openschannelConfigVersion.cmake").is_file());
}

/// Kills the server when the test ends.
struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// A CA, a `localhost` certificate it issued, and the file the server serves.
struct Site {
    dir: PathBuf,
    body: Vec<u8>,
}

fn site() -> &'static Site {
    static SITE: OnceLock<Site> = OnceLock::new();
    SITE.get_or_init(|| {
        let dir = target_dir().join("webclient-site");
        std::fs::create_dir_all(&dir).expect("site dir");
        let ca = Authority::new("openschannel webclient test CA");
        let leaf = ca.issue(&LeafSpec {
            names: &["localhost"],
            ..LeafSpec::localhost()
        });
        std::fs::write(dir.join("ca.der"), ca.der()).expect("ca.der");
        std::fs::write(dir.join("server.pem"), &leaf.cert_pem).expect("server.pem");
        std::fs::write(dir.join("server.key"), &leaf.key_pem).expect("server.key");
        // Several records' worth, so that the DecryptMessage loop keeps EXTRA bytes.
        let body: Vec<u8> = (0..60_000u32)
            .flat_map(|i| format!("line {i:05} of the page\n").into_bytes())
            .take(150_000)
            .collect();
        std::fs::write(dir.join("page.txt"), &body).expect("page");
        Site { dir, body }
    })
}

/// `openssl s_server -WWW` for `version` (`-tls1_3`/`-tls1_2`), serving the site directory,
/// once it accepts connections.
fn web_server(version: &str) -> (Server, u16) {
    let s = site();
    let port = free_port();
    let mut child = Command::new("openssl")
        .args(["s_server", "-WWW", version, "-accept"])
        .arg(format!("127.0.0.1:{port}"))
        .args(["-cert", "server.pem", "-key", "server.key"])
        .current_dir(&s.dir)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn openssl s_server");
    let stdout = child.stdout.take().expect("stdout");
    let server = Server(child);
    let mut lines = BufReader::new(stdout).lines();
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        match lines.next() {
            Some(Ok(l)) if l.starts_with("ACCEPT") => break,
            Some(Ok(_)) if Instant::now() < deadline => continue,
            _ => panic!("openssl s_server did not start"),
        }
    }
    // Keep draining its stdout so that it never blocks on a full pipe.
    std::thread::spawn(move || lines.for_each(drop));
    (server, port)
}

/// `examples/webclient` built by its Makefile (`make` target `flavour`) against the installed
/// prefix, through pkg-config only.
fn webclient(flavour: &str) -> PathBuf {
    let p = prefix();
    let out = target_dir().join("webclient");
    std::fs::create_dir_all(&out).expect("out dir");
    let status = Command::new("make")
        .arg("-s")
        .arg("-C")
        .arg(repo().join("examples/webclient"))
        .arg(format!("OUT={}", out.display()))
        .arg(flavour)
        .env("PKG_CONFIG_PATH", p.join("lib/pkgconfig"))
        .env_remove("PKG_CONFIG_LIBDIR")
        .status()
        .expect("run make");
    assert!(
        status.success(),
        "building the web client ({flavour}) failed"
    );
    out.join(if flavour == "static" {
        "webclient-static"
    } else {
        "webclient"
    })
}

/// Runs `client` against a fresh server for `version`; asserts the page arrived whole and the
/// connection ended cleanly.
fn fetch(client: &Path, version: &str, expect_protocol: &str) {
    let (server, port) = web_server(version);
    let out = Command::new(client)
        .args([
            "-s",
            "localhost",
            "-p",
            &port.to_string(),
            "-f",
            "/page.txt",
            "-c",
        ])
        .arg(site().dir.join("ca.der"))
        .arg("-v")
        .env("LD_LIBRARY_PATH", prefix().join("lib"))
        .output()
        .expect("run webclient");
    drop(server);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "webclient failed:\n{stderr}");
    let response = out.stdout;
    let split = response
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .unwrap_or_else(|| panic!("no HTTP header in the response; stderr:\n{stderr}"));
    assert!(
        response.starts_with(b"HTTP/1.0 200 ok"),
        "{:?}",
        String::from_utf8_lossy(&response[..split])
    );
    assert!(
        response[split + 4..] == site().body[..],
        "the page differs ({} bytes, expected {}); stderr:\n{stderr}",
        response.len() - split - 4,
        site().body.len()
    );
    for line in [
        "handshake: SEC_E_OK",
        &format!("protocol: {expect_protocol}"),
        "server certificate: localhost",
        "DecryptMessage: SEC_I_CONTEXT_EXPIRED (close_notify)",
        "ApplyControlToken(SCHANNEL_SHUTDOWN): SEC_E_OK",
        "InitializeSecurityContext (shutdown): SEC_E_OK",
        "webclient: clean close",
    ] {
        assert!(stderr.contains(line), "{line:?} missing from:\n{stderr}");
    }
    if expect_protocol == "TLS 1.3" {
        // OpenSSL sends session tickets after the handshake: SEC_I_RENEGOTIATE, serviced.
        assert!(
            stderr.contains("DecryptMessage: SEC_I_RENEGOTIATE"),
            "{stderr}"
        );
    }
}

fn ready() -> bool {
    have("cc", "--version")
        && have("make", "--version")
        && have("pkg-config", "--version")
        && have("openssl", "version")
}

/// The example, linked with the installed shared library, against s_server (TLS 1.3, 1.2).
#[test]
fn webclient_from_the_installed_prefix_fetches_a_page() {
    if !ready() {
        return;
    }
    let client = webclient("all");
    fetch(&client, "-tls1_3", "TLS 1.3");
    fetch(&client, "-tls1_2", "TLS 1.2");
}

/// The example linked statically (`Libs.private`), so it needs no shared library at run time.
#[test]
fn webclient_linked_statically_from_the_installed_prefix() {
    if !ready() {
        return;
    }
    let client = webclient("static");
    let needed = Command::new("readelf")
        .arg("-d")
        .arg(&client)
        .output()
        .expect("readelf");
    assert!(!String::from_utf8_lossy(&needed.stdout).contains("libopenschannel"));
    fetch(&client, "-tls1_3", "TLS 1.3");
}
