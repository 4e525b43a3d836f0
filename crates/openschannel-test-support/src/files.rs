//! Temporary directories for PEM files and other inputs of peer processes, and certificates
//! that only the `openssl` command makes as the tests need them (X.509 v1, `req -x509`).

use std::ops::Deref;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::atomic::{AtomicUsize, Ordering};

/// A fresh directory under the system's temporary directory, removed (with its contents) on
/// drop. Its name holds `tag`, the process id and a counter, so tests running in parallel and
/// test binaries running at once never share one.
pub struct TempDir {
    path: PathBuf,
}

impl TempDir {
    /// Creates `$TMPDIR/openschannel-<tag>-<pid>-<n>`.
    pub fn new(tag: &str) -> Self {
        static COUNTER: AtomicUsize = AtomicUsize::new(0);
        let path = std::env::temp_dir().join(format!(
            "openschannel-{tag}-{}-{}",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::SeqCst)
        ));
        std::fs::create_dir_all(&path).expect("temporary directory");
        Self { path }
    }

    /// The directory.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Writes `bytes` to `name` in the directory and returns its path.
    pub fn file(&self, name: &str, bytes: impl AsRef<[u8]>) -> PathBuf {
        let path = self.path.join(name);
        std::fs::write(&path, bytes).expect("write into the temporary directory");
        path
    }
}

impl Deref for TempDir {
    type Target = Path;

    fn deref(&self) -> &Path {
        &self.path
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.path);
    }
}

/// `path` as a command-line argument (the temporary paths are UTF-8).
pub fn arg(path: &Path) -> &str {
    path.to_str().expect("UTF-8 path")
}

/// Runs `openssl args`: `None` when the command cannot be started (not installed); a panic
/// with its standard error when it fails.
fn openssl(args: &[&str]) -> Option<Output> {
    let out = Command::new("openssl").args(args).output().ok()?;
    assert!(
        out.status.success(),
        "openssl {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    Some(out)
}

/// A self-signed X.509 **v1** certificate for `/CN=cn` with a P-256 key, as `openssl x509 -req`
/// makes it without extensions (rcgen makes only v3): `dir/stem.pem` and `dir/stem.key` (and
/// the request, `dir/stem.csr`). Returns (certificate, key); `None` when openssl is not
/// installed. The caller checks the version if it relies on it.
pub fn openssl_v1_certificate(dir: &Path, stem: &str, cn: &str) -> Option<(PathBuf, PathBuf)> {
    let (cert, key, csr) = (
        dir.join(format!("{stem}.pem")),
        dir.join(format!("{stem}.key")),
        dir.join(format!("{stem}.csr")),
    );
    let subject = format!("/CN={cn}");
    openssl(&[
        "ecparam",
        "-name",
        "prime256v1",
        "-genkey",
        "-noout",
        "-out",
        arg(&key),
    ])?;
    openssl(&[
        "req",
        "-new",
        "-key",
        arg(&key),
        "-subj",
        &subject,
        "-out",
        arg(&csr),
    ])?;
    openssl(&[
        "x509",
        "-req",
        "-in",
        arg(&csr),
        "-signkey",
        arg(&key),
        "-days",
        "30",
        "-out",
        arg(&cert),
    ])?;
    Some((cert, key))
}

/// `openssl req -x509` for `/CN=localhost` with a P-256 key, valid 30 days (basicConstraints
/// CA:TRUE, openssl's default), plus `extra` arguments, written to `cert` and `key`; `None`
/// when openssl is not installed.
pub fn openssl_req_x509(cert: &Path, key: &Path, extra: &[&str]) -> Option<()> {
    let mut args = vec![
        "req",
        "-x509",
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:prime256v1",
        "-nodes",
        "-days",
        "30",
        "-subj",
        "/CN=localhost",
    ];
    args.extend_from_slice(extra);
    args.extend_from_slice(&["-keyout", arg(key), "-out", arg(cert)]);
    openssl(&args).map(drop)
}
