//! Per-connection secrets: keying-material export (RFC 5705 / RFC 8446 §7.5), the key log
//! (`SSLKEYLOGFILE`), and sealing one alert record with the connection's traffic keys.
//!
//! rustls 0.23's unbuffered connections expose neither `export_keying_material` nor a way to
//! send an arbitrary alert, so both are rebuilt here from what rustls does expose:
//! * every connection gets its own [`KeyLog`] ([`ConnKeyLog`]) that keeps the TLS 1.3 exporter
//!   master secret or the TLS 1.2 master secret (and forwards every line to a key-log file when
//!   one is configured); the exporter is then computed with the negotiated suite's own HKDF or
//!   PRF from the crypto provider;
//! * a fatal alert after the handshake is sealed with the traffic keys rustls hands over through
//!   `dangerous_into_kernel_connection`, using the suite's own record encrypter — exactly the
//!   record rustls itself would have produced at that sequence number.

use std::fs::{File, OpenOptions};
use std::io::Write as _;
use std::path::Path;
use std::sync::{Arc, Mutex, MutexGuard, OnceLock};

use rustls::crypto::tls13::{HkdfExpander, OkmBlock};
use rustls::{KeyLog, SupportedCipherSuite};
use zeroize::Zeroize;

use crate::error::Error;
use crate::status::Status;

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// An NSS key log file (`CLIENT_RANDOM …` / `CLIENT_TRAFFIC_SECRET_0 …` lines) that Wireshark
/// reads to decrypt a capture. Anyone who can read it can decrypt the traffic.
pub(crate) struct KeyLogFile {
    file: Mutex<File>,
}

impl std::fmt::Debug for KeyLogFile {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("KeyLogFile")
    }
}

impl KeyLogFile {
    /// Opens (creates, appends to) a key log file.
    pub(crate) fn open(path: &Path) -> Result<Arc<Self>, Error> {
        let file = OpenOptions::new()
            .append(true)
            .create(true)
            .open(path)
            .map_err(|e| {
                Error::new(
                    Status::SEC_E_INVALID_PARAMETER,
                    format!("cannot open key log file {}: {e}", path.display()),
                )
            })?;
        tracing::warn!(
            path = %path.display(),
            "TLS secrets are being written to a key log file: anyone who can read it can decrypt the traffic"
        );
        Ok(Arc::new(Self {
            file: Mutex::new(file),
        }))
    }

    /// The process-wide file named by `SSLKEYLOGFILE`, if that variable is set (read once).
    pub(crate) fn from_env() -> Option<Arc<Self>> {
        static ENV: OnceLock<Option<Arc<KeyLogFile>>> = OnceLock::new();
        ENV.get_or_init(|| {
            let path = std::env::var_os("SSLKEYLOGFILE")?;
            if path.is_empty() {
                return None;
            }
            match Self::open(Path::new(&path)) {
                Ok(f) => Some(f),
                Err(e) => {
                    tracing::warn!("SSLKEYLOGFILE ignored: {e}");
                    None
                }
            }
        })
        .clone()
    }

    fn write(&self, label: &str, client_random: &[u8], secret: &[u8]) {
        let mut line =
            String::with_capacity(label.len() + 2 * (client_random.len() + secret.len()) + 3);
        line.push_str(label);
        line.push(' ');
        hex(&mut line, client_random);
        line.push(' ');
        hex(&mut line, secret);
        line.push('\n');
        let _ = lock(&self.file).write_all(line.as_bytes());
        // The line holds the secret in hex: wipe it (the file is the only place it may go).
        line.zeroize();
    }
}

fn hex(out: &mut String, bytes: &[u8]) {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    for b in bytes {
        out.push(char::from(DIGITS[usize::from(b >> 4)]));
        out.push(char::from(DIGITS[usize::from(b & 15)]));
    }
}

/// What one connection's key log captured.
#[derive(Default)]
pub(crate) struct Captured {
    /// The ClientHello random the secrets belong to.
    pub(crate) client_random: Option<[u8; 32]>,
    /// TLS 1.2: the master secret.
    pub(crate) master_secret: Option<Vec<u8>>,
    /// TLS 1.3: the exporter master secret.
    pub(crate) exporter_secret: Option<Vec<u8>>,
}

impl Drop for Captured {
    fn drop(&mut self) {
        // Volatile writes: a plain loop over memory about to be freed may be optimised away.
        for s in [&mut self.master_secret, &mut self.exporter_secret]
            .into_iter()
            .flatten()
        {
            s.zeroize();
        }
    }
}

/// Replaces a captured secret, wiping the one it replaces.
fn store(slot: &mut Option<Vec<u8>>, secret: &[u8]) {
    if let Some(old) = slot.as_mut() {
        old.zeroize();
    }
    *slot = Some(secret.to_vec());
}

/// The key log of one connection: keeps what keying-material export needs and forwards every
/// line to the key log file, if any.
pub(crate) struct ConnKeyLog {
    captured: Mutex<Captured>,
    file: Option<Arc<KeyLogFile>>,
}

impl std::fmt::Debug for ConnKeyLog {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ConnKeyLog")
            .field("file", &self.file.is_some())
            .finish_non_exhaustive()
    }
}

impl ConnKeyLog {
    pub(crate) fn new(file: Option<Arc<KeyLogFile>>) -> Arc<Self> {
        Arc::new(Self {
            captured: Mutex::new(Captured::default()),
            file,
        })
    }

    pub(crate) fn captured(&self) -> MutexGuard<'_, Captured> {
        lock(&self.captured)
    }
}

impl KeyLog for ConnKeyLog {
    fn log(&self, label: &str, client_random: &[u8], secret: &[u8]) {
        {
            let mut c = lock(&self.captured);
            match label {
                "EXPORTER_SECRET" => store(&mut c.exporter_secret, secret),
                "CLIENT_RANDOM" => store(&mut c.master_secret, secret),
                _ => {}
            }
            if let Ok(random) = client_random.try_into() {
                c.client_random = Some(random);
            }
        }
        if let Some(file) = &self.file {
            file.write(label, client_random, secret);
        }
    }

    fn will_log(&self, label: &str) -> bool {
        self.file.is_some() || matches!(label, "EXPORTER_SECRET" | "CLIENT_RANDOM")
    }
}

/// Longest keying-material export accepted (RFC 5705 sets no limit; TLS 1.3's HKDF stops at
/// 255 hash blocks: 8160 bytes for SHA-256 suites, 12240 for SHA-384).
pub(crate) const MAX_EXPORT: usize = 0xFFFF;

fn export_error(detail: &'static str) -> Error {
    Error::new(Status::SEC_E_INVALID_PARAMETER, detail)
}

/// RFC 8446 §7.1 HKDF-Expand-Label into `out`.
fn expand_label(
    expander: &dyn HkdfExpander,
    label: &[u8],
    context: &[u8],
    out: &mut [u8],
) -> Result<(), Error> {
    const PREFIX: &[u8] = b"tls13 ";
    let (Ok(n), Ok(label_len), Ok(context_len)) = (
        u16::try_from(out.len()),
        u8::try_from(PREFIX.len() + label.len()),
        u8::try_from(context.len()),
    ) else {
        return Err(export_error("exporter label or length too long"));
    };
    let n = n.to_be_bytes();
    let info: [&[u8]; 6] = [&n, &[label_len], PREFIX, label, &[context_len], context];
    expander
        .expand_slice(&info, out)
        .map_err(|_| export_error("too much keying material requested"))
}

/// Fills `out` with keying material (RFC 5705 for TLS 1.2, RFC 8446 §7.5 for TLS 1.3).
pub(crate) fn export(
    suite: SupportedCipherSuite,
    captured: &Captured,
    server_random: Option<[u8; 32]>,
    label: &[u8],
    context: Option<&[u8]>,
    out: &mut [u8],
) -> Result<(), Error> {
    if out.is_empty() || out.len() > MAX_EXPORT {
        return Err(export_error(
            "keying material length must be 1..=65535 bytes",
        ));
    }
    let missing = || {
        Error::new(
            Status::SEC_E_INTERNAL_ERROR,
            "the connection's secrets were not captured",
        )
    };
    match suite {
        SupportedCipherSuite::Tls13(s) => {
            let secret = captured.exporter_secret.as_deref().ok_or_else(missing)?;
            let hash = s.common.hash_provider;
            let expander = s.hkdf_provider.expander_for_okm(&OkmBlock::new(secret));
            let mut derived = vec![0u8; expander.hash_len()];
            expand_label(
                expander.as_ref(),
                label,
                hash.hash(&[]).as_ref(),
                &mut derived,
            )?;
            let expander = s.hkdf_provider.expander_for_okm(&OkmBlock::new(&derived));
            derived.zeroize();
            let h_context = hash.hash(context.unwrap_or(&[]));
            expand_label(expander.as_ref(), b"exporter", h_context.as_ref(), out)
        }
        SupportedCipherSuite::Tls12(s) => {
            let master = captured.master_secret.as_deref().ok_or_else(missing)?;
            let client_random = captured.client_random.ok_or_else(missing)?;
            let server_random = server_random.ok_or_else(missing)?;
            let mut seed = Vec::with_capacity(64 + 2 + context.map_or(0, <[u8]>::len));
            seed.extend_from_slice(&client_random);
            seed.extend_from_slice(&server_random);
            if let Some(context) = context {
                let len = u16::try_from(context.len())
                    .map_err(|_| export_error("exporter context longer than 65535 bytes"))?;
                seed.extend_from_slice(&len.to_be_bytes());
                seed.extend_from_slice(context);
            }
            s.prf_provider.for_secret(out, master, label, &seed);
            Ok(())
        }
    }
}
