//! What `client` and `server` share: flag parsing helpers, PEM loading, fingerprints, error
//! classification and the `--trace` observer.

use std::fmt::Write as _;
use std::io;
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use openschannel::stream::{CallEvent, Observer};
use openschannel::{Certificate, PrivateKey, Protocols, SecurityContext, Status};

use crate::trace::{self, Tracer};

/// How long a blocking read waits before the caller gets control back to look at its other
/// duties (standard input, a stop request). Short enough for interactive use.
pub const POLL: Duration = Duration::from_millis(10);

/// Prints `openschannel: <message>` on standard error (one line, never a panic).
pub fn error_line(message: impl std::fmt::Display) {
    trace::print_error_line(&format!("openschannel: {message}"));
}

/// Parses a number of seconds (`5`, `0.5`) for `--timeout`.
pub fn parse_secs(text: &str) -> Result<Duration, String> {
    let secs: f64 = text
        .parse()
        .map_err(|_| format!("`{text}` is not a number of seconds"))?;
    if !secs.is_finite() || secs <= 0.0 || secs > 86_400.0 {
        return Err(format!("`{text}`: expected seconds between 0 and 86400"));
    }
    Ok(Duration::from_secs_f64(secs))
}

/// Parses one ALPN protocol name (`h2`, `http/1.1`): 1 to 255 bytes.
pub fn parse_alpn(text: &str) -> Result<String, String> {
    if text.is_empty() || text.len() > 255 {
        return Err(format!(
            "`{text}`: an ALPN protocol name has 1 to 255 bytes"
        ));
    }
    Ok(text.to_owned())
}

/// Parses `LABEL:LEN` for `--export-keying-material` (LEN 1..=65535 bytes).
pub fn parse_export(text: &str) -> Result<(String, usize), String> {
    let (label, len) = text
        .rsplit_once(':')
        .ok_or_else(|| format!("`{text}`: expected LABEL:LEN, e.g. EXPERIMENTAL-test:32"))?;
    let len: usize = len
        .parse()
        .map_err(|_| format!("`{len}` is not a number of bytes"))?;
    if label.is_empty() || !(1..=65535).contains(&len) {
        return Err(format!("`{text}`: a non-empty label and 1 to 65535 bytes"));
    }
    Ok((label.to_owned(), len))
}

/// Uppercase hex (what `openssl s_server -keymatexport` prints).
pub fn hex(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(2 * bytes.len());
    for b in bytes {
        let _ = write!(out, "{b:02X}");
    }
    out
}

/// The lines `--export-keying-material` and `--print-bindings` ask for (an error line for a
/// value that cannot be computed).
pub fn export_lines(
    ctx: &SecurityContext,
    export: Option<&(String, usize)>,
    bindings: bool,
) -> Vec<String> {
    let mut lines = Vec::new();
    if let Some((label, len)) = export {
        lines.push(
            match ctx.export_keying_material(label.as_bytes(), None, *len) {
                Ok(material) => format!("keying material {label} ({len} B): {}", hex(&material)),
                Err(e) => format!("keying material {label}: {e}"),
            },
        );
    }
    if bindings {
        lines.push(match ctx.endpoint_binding() {
            Ok(b) => format!("channel binding tls-server-end-point: {}", hex(&b)),
            Err(e) => format!("channel binding tls-server-end-point: {e}"),
        });
        lines.push(match ctx.tls_exporter_binding() {
            Ok(b) => format!("channel binding tls-exporter: {}", hex(&b)),
            Err(e) => format!("channel binding tls-exporter: {e}"),
        });
    }
    lines
}

/// `--trace`: the context attributes after the handshake, as `QueryContextAttributes` would
/// report them.
pub fn trace_attributes(tracer: &Tracer, ctx: &SecurityContext) {
    if !tracer.enabled() {
        return;
    }
    let query = |attribute: &str| format!("QueryContextAttributes({attribute})");
    match ctx.connection_info() {
        Ok(info) => tracer.call(
            query("SECPKG_ATTR_CONNECTION_INFO"),
            Status::SEC_E_OK,
            format_args!(
                "{}, {}, {}",
                info.protocol,
                info.cipher_suite,
                info.key_exchange_group
                    .map_or("no key exchange (resumed)".to_owned(), |g| g.to_string())
            ),
        ),
        Err(e) => tracer.call(query("SECPKG_ATTR_CONNECTION_INFO"), e.status(), e.detail()),
    }
    let alpn = match ctx.alpn_protocol() {
        Some(p) => format!("Success, {}", String::from_utf8_lossy(p)),
        None => "None".to_owned(),
    };
    tracer.call(
        query("SECPKG_ATTR_APPLICATION_PROTOCOL"),
        Status::SEC_E_OK,
        alpn,
    );
    tracer.call(
        query("SECPKG_ATTR_SESSION_INFO"),
        Status::SEC_E_OK,
        if ctx.is_resumed() {
            "SSL_SESSION_RECONNECT (resumed)"
        } else {
            "0 (new session)"
        },
    );
    for (attribute, chain) in [
        ("SECPKG_ATTR_REMOTE_CERT_CONTEXT", ctx.peer_certificates()),
        ("SECPKG_ATTR_LOCAL_CERT_CONTEXT", ctx.local_certificates()),
    ] {
        match chain.first() {
            Some(leaf) => tracer.call(
                query(attribute),
                Status::SEC_E_OK,
                format_args!(
                    "{} certificate(s), leaf SHA-256 {}",
                    chain.len(),
                    fingerprint(leaf.der())
                ),
            ),
            None => tracer.call(query(attribute), Status::SEC_E_NO_CREDENTIALS, "none"),
        }
    }
    if let Some(issuers) = ctx.certificate_request_issuers() {
        tracer.call(
            query("SECPKG_ATTR_ISSUER_LIST_EX"),
            Status::SEC_E_OK,
            format_args!("{} acceptable issuer(s)", issuers.len()),
        );
    }
    match ctx.endpoint_binding() {
        Ok(b) => tracer.call(
            query("SECPKG_ATTR_ENDPOINT_BINDINGS"),
            Status::SEC_E_OK,
            format_args!("tls-server-end-point:{}", hex(&b)),
        ),
        Err(e) => tracer.call(
            query("SECPKG_ATTR_ENDPOINT_BINDINGS"),
            e.status(),
            e.detail(),
        ),
    }
}

/// The ALPN list as the credential builders take it.
pub fn alpn_wire(names: &[String]) -> Vec<Vec<u8>> {
    names.iter().map(|n| n.as_bytes().to_vec()).collect()
}

/// The protocol versions selected by `--tls12` / `--tls13` (both when neither is given).
pub fn protocols(tls12: bool, tls13: bool) -> Protocols {
    match (tls12, tls13) {
        (true, false) => Protocols::TLS12_ONLY,
        (false, true) => Protocols::TLS13_ONLY,
        _ => Protocols::ALL,
    }
}

/// Names the enabled versions for trace lines: `TLSv1.2+TLSv1.3`.
pub fn describe_protocols(p: Protocols) -> &'static str {
    match (p.tls12, p.tls13) {
        (true, true) => "TLSv1.2+TLSv1.3",
        (true, false) => "TLSv1.2",
        (false, true) => "TLSv1.3",
        (false, false) => "none",
    }
}

/// Reads a PEM file holding one or more certificates (`--ca`, `--cert`).
pub fn load_certificates(flag: &str, path: &Path) -> Result<Vec<Certificate>, String> {
    let pem = std::fs::read(path).map_err(|e| format!("{flag} {}: {e}", path.display()))?;
    Certificate::pem_chain(&pem).map_err(|e| format!("{flag} {}: {}", path.display(), e.detail()))
}

/// Reads a PEM private key (`--key`).
pub fn load_key(path: &Path) -> Result<PrivateKey, String> {
    // The file's bytes are the key: wiped once parsed (the `PrivateKey` wipes its own copy).
    let pem = zeroize::Zeroizing::new(
        std::fs::read(path).map_err(|e| format!("--key {}: {e}", path.display()))?,
    );
    PrivateKey::from_pem(&pem).map_err(|e| format!("--key {}: {}", path.display(), e.detail()))
}

/// The SHA-256 fingerprint of a DER certificate, as `AB:CD:…` (what
/// `openssl x509 -fingerprint -sha256` prints).
pub fn fingerprint(der: &[u8]) -> String {
    let digest = aws_lc_rs::digest::digest(&aws_lc_rs::digest::SHA256, der);
    let mut out = String::with_capacity(95);
    for (i, byte) in digest.as_ref().iter().enumerate() {
        if i > 0 {
            out.push(':');
        }
        let _ = write!(out, "{byte:02X}");
    }
    out
}

/// The openschannel error inside an I/O error from a `TlsStream`, if the failure was TLS's.
pub fn tls_error(e: &io::Error) -> Option<&openschannel::Error> {
    e.get_ref()
        .and_then(|inner| inner.downcast_ref::<openschannel::Error>())
}

/// One line about an I/O error: `SEC_E_… (0x…): detail` for TLS failures, else the error.
pub fn describe(e: &io::Error) -> String {
    match tls_error(e) {
        Some(tls) => tls.to_string(),
        None => e.to_string(),
    }
}

/// Whether a stream error means the peer ended the connection without close_notify: the
/// transport ended (`UnexpectedEof`) or was reset, with no TLS error behind it.
pub fn is_truncation(e: &io::Error) -> bool {
    tls_error(e).is_none()
        && matches!(
            e.kind(),
            io::ErrorKind::UnexpectedEof
                | io::ErrorKind::ConnectionReset
                | io::ErrorKind::ConnectionAborted
                | io::ErrorKind::BrokenPipe
        )
}

/// Whether a read error is only the poll timeout expiring.
pub fn is_timeout(e: &io::Error) -> bool {
    matches!(
        e.kind(),
        io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
    ) && tls_error(e).is_none()
}

/// A stream observer printing every SSPI-level call on `tracer` (`[who] Call -> STATUS detail`).
///
/// A stream polled with short read timeouts calls `DecryptMessage` on the same incomplete
/// input after every timeout; such an identical `SEC_E_INCOMPLETE_MESSAGE` repeat is printed
/// once, not every few milliseconds.
pub fn observer(tracer: Tracer) -> Observer {
    let last: Mutex<Option<CallEvent>> = Mutex::new(None);
    Arc::new(move |event: &CallEvent| {
        let mut last = last.lock().unwrap_or_else(|p| p.into_inner());
        if event.status == Status::SEC_E_INCOMPLETE_MESSAGE && last.as_ref() == Some(event) {
            return;
        }
        tracer.call(event.call, event.status, &event.detail);
        *last = Some(event.clone());
    })
}

/// Unit tests.
#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seconds_parse() {
        assert_eq!(parse_secs("5"), Ok(Duration::from_secs(5)));
        assert_eq!(parse_secs("0.25"), Ok(Duration::from_millis(250)));
        assert!(parse_secs("0").is_err());
        assert!(parse_secs("-1").is_err());
        assert!(parse_secs("soon").is_err());
        assert!(parse_secs("inf").is_err());
    }

    #[test]
    fn alpn_names_are_checked() {
        assert_eq!(parse_alpn("h2").as_deref(), Ok("h2"));
        assert!(parse_alpn("").is_err());
        assert!(parse_alpn(&"x".repeat(256)).is_err());
        assert_eq!(
            alpn_wire(&["h2".into(), "http/1.1".into()]),
            vec![b"h2".to_vec(), b"http/1.1".to_vec()]
        );
    }

    #[test]
    fn exports_parse() {
        assert_eq!(
            parse_export("EXPERIMENTAL-x:32"),
            Ok(("EXPERIMENTAL-x".to_owned(), 32))
        );
        assert_eq!(parse_export("a:b:4"), Ok(("a:b".to_owned(), 4)));
        assert!(parse_export("nolength").is_err());
        assert!(parse_export(":32").is_err());
        assert!(parse_export("x:0").is_err());
        assert!(parse_export("x:70000").is_err());
        assert_eq!(hex(&[0x0a, 0xff]), "0AFF");
    }

    #[test]
    fn fingerprint_is_colon_hex_sha256() {
        // SHA-256 of the empty string.
        assert_eq!(
            fingerprint(b""),
            "E3:B0:C4:42:98:FC:1C:14:9A:FB:F4:C8:99:6F:B9:24:27:AE:41:E4:64:9B:93:4C:A4:95:99:1B:78:52:B8:55"
        );
    }

    #[test]
    fn truncation_and_tls_errors_are_told_apart() {
        let eof = io::Error::new(io::ErrorKind::UnexpectedEof, "no close_notify");
        assert!(is_truncation(&eof));
        let tls = io::Error::new(
            io::ErrorKind::ConnectionAborted,
            openschannel::Error::new(Status::SEC_E_ILLEGAL_MESSAGE, "received fatal alert"),
        );
        assert!(!is_truncation(&tls));
        assert_eq!(
            describe(&tls),
            "SEC_E_ILLEGAL_MESSAGE (0x80090326): received fatal alert"
        );
        assert!(is_timeout(&io::Error::from(io::ErrorKind::WouldBlock)));
    }
}
