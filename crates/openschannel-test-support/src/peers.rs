//! Peer processes: whether a peer tool is installed (a missing one is a failure under `CI`,
//! which installs every peer with `.ci/install-peers.sh`), free ports, pipes copied into
//! buffers, and bounded waits.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::sync::{Arc, Mutex};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

/// The longest any single wait for a peer may take.
pub const DEADLINE: Duration = Duration::from_secs(30);

/// Whether `program args` runs and exits successfully (output discarded).
pub fn runs(program: impl AsRef<Path>, args: &[&str]) -> bool {
    Command::new(program.as_ref())
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

/// `present`, or — when a peer is missing — a panic under `CI` and otherwise a loud `SKIPPED`
/// line and `false`, so the caller can return from its test.
pub fn available(what: &str, present: bool) -> bool {
    if present {
        return true;
    }
    if std::env::var_os("CI").is_some() {
        panic!("{what} is missing, but CI installs every peer (bash .ci/install-peers.sh)");
    }
    eprintln!(
        "SKIPPED: {what} is not installed; install the interop peers with \
         `bash .ci/install-peers.sh` (openssl, gnutls-bin, python3, tlslite-ng venv)"
    );
    false
}

/// Whether `program version_arg` runs, per [`available`].
pub fn have(program: &str, version_arg: &str) -> bool {
    available(program, runs(program, &[version_arg]))
}

/// The Python that has tlslite-ng: `$OPENSCHANNEL_TLSLITE_PYTHON`, else the venv
/// `.ci/install-peers.sh` creates in the workspace's `target/interop-venv`.
pub fn tlslite_python() -> PathBuf {
    match std::env::var_os("OPENSCHANNEL_TLSLITE_PYTHON") {
        Some(p) => PathBuf::from(p),
        None => Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/interop-venv/bin/python"),
    }
}

/// Whether [`tlslite_python`] can import tlslite-ng (not judged by [`available`]).
pub fn have_tlslite() -> bool {
    runs(tlslite_python(), &["-c", "import tlslite"])
}

/// A free TCP port on 127.0.0.1 (bound to port 0, then released) for peers that cannot
/// report the port they got.
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("bind 127.0.0.1:0")
        .port()
}

/// Copies a pipe into a shared buffer until it closes.
pub fn collect(mut pipe: impl Read + Send + 'static, into: Arc<Mutex<Vec<u8>>>) -> JoinHandle<()> {
    thread::spawn(move || {
        let mut buf = [0u8; 65536];
        while let Ok(n) = pipe.read(&mut buf) {
            if n == 0 {
                break;
            }
            into.lock().unwrap().extend_from_slice(&buf[..n]);
        }
    })
}

/// Waits for `child` at most `limit`, then kills it and panics with its output (`what` names
/// it); returns its output when it exits in time.
pub fn wait_bounded(mut child: Child, limit: Duration, what: &str) -> Output {
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
            None => thread::sleep(Duration::from_millis(20)),
        }
    }
    child.wait_with_output().expect("output")
}
