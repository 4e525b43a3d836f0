//! Secrets never leave the process except through `SSLKEYLOGFILE`.
//!
//! One test (the variable is read once per process): with `SSLKEYLOGFILE` set, every tracing
//! event and span of the library (captured at TRACE by a subscriber written here) and every
//! `log` record (rustls logs through `log`, enabled by the workspace's `logging` feature) is
//! recorded while TLS 1.2 and TLS 1.3 conversations run — in memory through `SecurityContext`
//! and over loopback TCP through `TlsStream` — with a known plaintext marker both ways, keying
//! material exported, failures provoked with the marker inside hostile records, and both
//! shutdown directions. Then:
//! * the key log file holds, for each session (found by the ClientHello random read off the
//!   wire), exactly NSS key-log lines (`LABEL <client random> <secret>`, hex) with the labels
//!   of its version — and they are the real secrets: RFC 5705 / RFC 8446 §7.5 exporters
//!   recomputed from the logged secret equal what `export_keying_material` returns;
//! * no captured log line, no `Debug` rendering of credentials, contexts, keys or errors, and no
//!   error message contains the marker, any logged secret, the exported keying material, or
//!   the private key (DER or PEM body);
//! * the key log file contains nothing but key-log lines.
//!
//! No `tracing-subscriber` or other new dependency: the capturing subscriber is a few lines
//! of `tracing::Subscriber`; `log` is a dev-dependency only to install a capturing logger.
#![cfg(feature = "aws-lc-rs")]

use openschannel_test_support as common;

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, LazyLock, Mutex};

use aws_lc_rs::{digest, hkdf, hmac};
use common::{pki, KeyKind, Pair};
use openschannel::{
    Credentials, PrivateKey, Protocol, Protocols, SecurityContext, ServerValidation, TlsStream,
};

const MARKER: &[u8] = b"PLAINTEXT-MARKER-5f1d9c3a-never-logged";

// ------------------------------------------------------------------------------------------
// Capturing everything that is logged

static CAPTURED: LazyLock<Mutex<String>> = LazyLock::new(|| Mutex::new(String::new()));

struct Visitor<'a>(&'a mut String);

impl tracing::field::Visit for Visitor<'_> {
    fn record_debug(&mut self, field: &tracing::field::Field, value: &dyn std::fmt::Debug) {
        use std::fmt::Write as _;
        let _ = write!(self.0, " {}={:?}", field.name(), value);
    }
}

struct Capture {
    next_id: AtomicU64,
}

impl tracing::Subscriber for Capture {
    fn enabled(&self, _: &tracing::Metadata<'_>) -> bool {
        true
    }
    fn max_level_hint(&self) -> Option<tracing::level_filters::LevelFilter> {
        Some(tracing::level_filters::LevelFilter::TRACE)
    }
    fn new_span(&self, span: &tracing::span::Attributes<'_>) -> tracing::span::Id {
        let mut line = format!("SPAN {}", span.metadata().name());
        span.record(&mut Visitor(&mut line));
        CAPTURED.lock().unwrap().push_str(&(line + "\n"));
        tracing::span::Id::from_u64(self.next_id.fetch_add(1, Ordering::Relaxed) + 1)
    }
    fn record(&self, _: &tracing::span::Id, values: &tracing::span::Record<'_>) {
        let mut line = String::from("RECORD");
        values.record(&mut Visitor(&mut line));
        CAPTURED.lock().unwrap().push_str(&(line + "\n"));
    }
    fn record_follows_from(&self, _: &tracing::span::Id, _: &tracing::span::Id) {}
    fn event(&self, event: &tracing::Event<'_>) {
        let m = event.metadata();
        let mut line = format!("EVENT {} {}", m.level(), m.target());
        event.record(&mut Visitor(&mut line));
        CAPTURED.lock().unwrap().push_str(&(line + "\n"));
    }
    fn enter(&self, _: &tracing::span::Id) {}
    fn exit(&self, _: &tracing::span::Id) {}
}

struct LogCapture;

impl log::Log for LogCapture {
    fn enabled(&self, _: &log::Metadata<'_>) -> bool {
        true
    }
    fn log(&self, record: &log::Record<'_>) {
        let line = format!(
            "LOG {} {} {}\n",
            record.level(),
            record.target(),
            record.args()
        );
        CAPTURED.lock().unwrap().push_str(&line);
    }
    fn flush(&self) {}
}

static LOGGER: LogCapture = LogCapture;

// ------------------------------------------------------------------------------------------
// RFC 5705 / RFC 8446 exporters, recomputed from a logged secret

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn unhex(s: &str) -> Vec<u8> {
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).expect("hex"))
        .collect()
}

struct Len(usize);

impl hkdf::KeyType for Len {
    fn len(&self) -> usize {
        self.0
    }
}

fn expand_label(
    alg: hkdf::Algorithm,
    secret: &[u8],
    label: &[u8],
    ctx: &[u8],
    len: usize,
) -> Vec<u8> {
    let prk = hkdf::Prk::new_less_safe(alg, secret);
    let full = [b"tls13 ".as_slice(), label].concat();
    let n = (len as u16).to_be_bytes();
    let info: [&[u8]; 5] = [&n, &[full.len() as u8], &full, &[ctx.len() as u8], ctx];
    let okm = prk.expand(&info, Len(len)).expect("expand");
    let mut out = vec![0u8; len];
    okm.fill(&mut out).expect("fill");
    out
}

/// RFC 8446 §7.5 TLS-Exporter from the exporter master secret.
fn tls13_exporter(sha384: bool, secret: &[u8], label: &[u8], ctx: &[u8], len: usize) -> Vec<u8> {
    let (alg, hash) = if sha384 {
        (hkdf::HKDF_SHA384, &digest::SHA384)
    } else {
        (hkdf::HKDF_SHA256, &digest::SHA256)
    };
    let empty = digest::digest(hash, b"");
    let derived = expand_label(alg, secret, label, empty.as_ref(), hash.output_len());
    let h_ctx = digest::digest(hash, ctx);
    expand_label(alg, &derived, b"exporter", h_ctx.as_ref(), len)
}

/// RFC 5246 P_hash PRF, RFC 5705 exporter seed (with context).
fn tls12_exporter(
    sha384: bool,
    master: &[u8],
    label: &[u8],
    randoms: &[u8],
    ctx: &[u8],
    len: usize,
) -> Vec<u8> {
    let alg = if sha384 {
        hmac::HMAC_SHA384
    } else {
        hmac::HMAC_SHA256
    };
    let key = hmac::Key::new(alg, master);
    let seed = [label, randoms, &(ctx.len() as u16).to_be_bytes(), ctx].concat();
    let mut a = hmac::sign(&key, &seed).as_ref().to_vec();
    let mut out = Vec::new();
    while out.len() < len {
        out.extend_from_slice(hmac::sign(&key, &[a.as_slice(), &seed].concat()).as_ref());
        a = hmac::sign(&key, &a).as_ref().to_vec();
    }
    out.truncate(len);
    out
}

/// The P-256 private scalar inside a PKCS#8 / SEC1 DER key (the OCTET STRING of 32 bytes).
fn private_scalar(der: &[u8]) -> &[u8] {
    let at = der
        .windows(2)
        .position(|w| w == [0x04, 0x20])
        .expect("an ECPrivateKey octet string");
    &der[at + 2..at + 34]
}

/// The 32-byte random of the first handshake message in `wire` (ClientHello / ServerHello).
fn hello_random(wire: &[u8]) -> Vec<u8> {
    assert_eq!(wire[0], 0x16, "a handshake record");
    wire[11..43].to_vec()
}

// ------------------------------------------------------------------------------------------

struct Session {
    version: Protocol,
    client_random: Vec<u8>,
    server_random: Vec<u8>,
    sha384: bool,
    exported: Vec<u8>,
}

const LABEL: &[u8] = b"EXPERIMENTAL openschannel secrets test";
const CONTEXT: &[u8] = b"context";

/// An in-memory conversation with the marker both ways, an export, both closes, and hostile
/// records carrying the marker at a third context (errors must not echo their input).
fn conversation(protocols: Protocols, errors: &mut Vec<String>) -> Session {
    let p = pki(KeyKind::EcdsaP256);
    let server = Credentials::server(p.chain.clone(), p.key())
        .protocols(protocols)
        .build()
        .unwrap();
    let client = Credentials::client()
        .protocols(protocols)
        .validation(ServerValidation::Roots(vec![p.ca.clone()]))
        .session_cache_size(0)
        .build()
        .unwrap();
    errors.push(format!("{server:?} {client:?} {:?}", p.key()));
    let mut pair = Pair::new(&client, &server, usize::MAX);
    pair.handshake().unwrap();
    let got = pair.client_to_server(MARKER);
    assert_eq!(got, MARKER);
    let got = pair.server_to_client(MARKER);
    assert_eq!(got, MARKER);
    let exported = pair
        .client
        .ctx
        .export_keying_material(LABEL, Some(CONTEXT), 48)
        .unwrap();
    assert_eq!(
        exported,
        pair.server
            .ctx
            .export_keying_material(LABEL, Some(CONTEXT), 48)
            .unwrap()
    );
    errors.push(format!("{:?} {:?}", pair.client.ctx, pair.server.ctx));
    let suite = pair.client.ctx.cipher_suite().unwrap();
    let session = Session {
        version: pair.client.ctx.protocol().unwrap(),
        client_random: hello_random(&pair.c2s.log),
        server_random: hello_random(&pair.s2c.log),
        sha384: suite.hash_bits() == Some(384),
        exported,
    };
    pair.client.shutdown(&mut pair.c2s);
    pair.server.shutdown(&mut pair.s2c);

    // Failures whose input is the marker: the error texts must not contain it.
    let mut ctx = SecurityContext::server(&server, Default::default()).unwrap();
    let mut out = Vec::new();
    let garbage = [b"\x16\x03\x01\x00\x40".as_slice(), MARKER].concat();
    if let Err(e) = ctx.handshake(&garbage, &mut out) {
        errors.push(format!("{e} {e:?}"));
    }
    let mut pair = Pair::new(&client, &server, usize::MAX);
    pair.handshake().unwrap();
    let mut record = [&[0x17u8, 0x03, 0x03, 0x00, MARKER.len() as u8][..], MARKER].concat();
    let e = pair.client.ctx.decrypt(&mut record).unwrap_err();
    errors.push(format!("{e} {e:?}"));
    let mut plain = [MARKER, MARKER].concat();
    let e = pair.client.ctx.decrypt(&mut plain).unwrap_err();
    errors.push(format!("{e} {e:?}"));
    session
}

/// The same over loopback TCP through `TlsStream`.
fn stream_conversation(errors: &mut Vec<String>) {
    let p = pki(KeyKind::EcdsaP256);
    let server = Arc::new(
        Credentials::server(p.chain.clone(), p.key())
            .build()
            .unwrap(),
    );
    let client = Credentials::client()
        .validation(ServerValidation::Roots(vec![p.ca.clone()]))
        .build()
        .unwrap();
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let srv = Arc::clone(&server);
    let echo = std::thread::spawn(move || {
        let (tcp, _) = listener.accept().unwrap();
        let mut tls = TlsStream::accept(&srv, tcp).unwrap();
        let mut buf = vec![0u8; MARKER.len()];
        tls.read_exact(&mut buf).unwrap();
        tls.write_all(&buf).unwrap();
        tls.flush().unwrap();
        let mut rest = Vec::new();
        tls.read_to_end(&mut rest).unwrap();
        tls.shutdown().unwrap();
    });
    let mut tls =
        TlsStream::connect(&client, "localhost", TcpStream::connect(addr).unwrap()).unwrap();
    tls.write_all(MARKER).unwrap();
    tls.flush().unwrap();
    let mut back = vec![0u8; MARKER.len()];
    tls.read_exact(&mut back).unwrap();
    assert_eq!(back, MARKER);
    tls.shutdown().unwrap();
    echo.join().unwrap();
    errors.push(format!(
        "{:?}",
        PrivateKey::from_pem(p.key_pem.as_bytes()).unwrap()
    ));
}

#[test]
fn keys_leave_only_through_sslkeylogfile() {
    let dir = std::env::temp_dir().join(format!("openschannel-secrets-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let keylog = dir.join("keylog.txt");
    // Read once per process, when the first credential is built: before anything else.
    std::env::set_var("SSLKEYLOGFILE", &keylog);
    tracing::subscriber::set_global_default(Capture {
        next_id: AtomicU64::new(0),
    })
    .expect("the only subscriber");
    log::set_logger(&LOGGER).expect("the only logger");
    log::set_max_level(log::LevelFilter::Trace);

    let mut errors = Vec::new();
    let sessions = [
        conversation(Protocols::TLS12_ONLY, &mut errors),
        conversation(Protocols::TLS13_ONLY, &mut errors),
    ];
    stream_conversation(&mut errors);

    // The key log: NSS lines only, the right labels per session, the real secrets.
    let text = std::fs::read_to_string(&keylog).expect("SSLKEYLOGFILE written");
    let mut secrets = Vec::new();
    for line in text.lines() {
        let fields: Vec<&str> = line.split(' ').collect();
        assert_eq!(fields.len(), 3, "not an NSS key-log line: {line:?}");
        assert!(
            [
                "CLIENT_RANDOM",
                "CLIENT_HANDSHAKE_TRAFFIC_SECRET",
                "SERVER_HANDSHAKE_TRAFFIC_SECRET",
                "CLIENT_TRAFFIC_SECRET_0",
                "SERVER_TRAFFIC_SECRET_0",
                "EXPORTER_SECRET",
            ]
            .contains(&fields[0]),
            "unexpected label: {line:?}"
        );
        assert_eq!(fields[1].len(), 64, "client random: {line:?}");
        assert!(matches!(fields[2].len(), 64 | 96), "secret: {line:?}");
        assert!(
            fields[1..]
                .iter()
                .all(|f| f.bytes().all(|b| b.is_ascii_hexdigit())),
            "{line:?}"
        );
        secrets.push(fields[2].to_owned());
    }
    assert!(!text.contains(&hex(MARKER)) && !text.contains("MARKER"));
    for s in &sessions {
        let random = hex(&s.client_random);
        let labels: Vec<&str> = text
            .lines()
            .filter(|l| l.split(' ').nth(1) == Some(random.as_str()))
            .map(|l| l.split(' ').next().unwrap())
            .collect();
        let secret = |label: &str| {
            text.lines()
                .find(|l| l.starts_with(label) && l.split(' ').nth(1) == Some(random.as_str()))
                .map(|l| unhex(l.split(' ').nth(2).unwrap()))
                .unwrap_or_else(|| panic!("{label} missing for {random}"))
        };
        match s.version {
            Protocol::Tls12 => {
                assert!(labels.iter().all(|&l| l == "CLIENT_RANDOM"), "{labels:?}");
                let randoms = [s.client_random.as_slice(), &s.server_random].concat();
                let recomputed = tls12_exporter(
                    s.sha384,
                    &secret("CLIENT_RANDOM"),
                    LABEL,
                    &randoms,
                    CONTEXT,
                    48,
                );
                assert_eq!(
                    recomputed, s.exported,
                    "TLS 1.2 master secret in the key log"
                );
            }
            Protocol::Tls13 => {
                for label in [
                    "CLIENT_HANDSHAKE_TRAFFIC_SECRET",
                    "SERVER_HANDSHAKE_TRAFFIC_SECRET",
                    "CLIENT_TRAFFIC_SECRET_0",
                    "SERVER_TRAFFIC_SECRET_0",
                    "EXPORTER_SECRET",
                ] {
                    assert!(labels.contains(&label), "{label} missing: {labels:?}");
                }
                let recomputed =
                    tls13_exporter(s.sha384, &secret("EXPORTER_SECRET"), LABEL, CONTEXT, 48);
                assert_eq!(
                    recomputed, s.exported,
                    "TLS 1.3 exporter secret in the key log"
                );
            }
        }
    }

    // Nothing secret anywhere else.
    let captured = CAPTURED.lock().unwrap().clone();
    assert!(
        captured.contains("handshake step") && captured.contains("decrypt"),
        "the capture works:\n{captured}"
    );
    let p = pki(KeyKind::EcdsaP256);
    let pem_body: Vec<&str> = p
        .key_pem
        .lines()
        .filter(|l| !l.starts_with("-----") && l.len() > 16)
        .collect();
    let mut forbidden: Vec<(String, String)> = vec![
        (
            "the plaintext marker".into(),
            String::from_utf8_lossy(MARKER).into_owned(),
        ),
        ("the plaintext marker (hex)".into(), hex(MARKER)),
        (
            "the private key (hex)".into(),
            hex(private_scalar(&p.key_der)),
        ),
    ];
    forbidden.extend(
        pem_body
            .iter()
            .map(|l| ("the private key (PEM)".to_owned(), l.to_string())),
    );
    forbidden.extend(
        secrets
            .iter()
            .map(|s| ("a logged secret".to_owned(), s.clone())),
    );
    forbidden.extend(
        sessions
            .iter()
            .map(|s| ("exported keying material".to_owned(), hex(&s.exported))),
    );
    let elsewhere = [
        ("the tracing/log capture", captured.as_str()),
        ("Debug and error texts", &errors.join("\n")),
    ];
    for (what, haystack) in elsewhere {
        for (name, needle) in &forbidden {
            assert!(
                !haystack.contains(needle.as_str()),
                "{name} found in {what}"
            );
            // Also the byte values printed as a Rust array (`[80, 76, ...]`).
            if name.starts_with("the plaintext") {
                let list = format!("{:?}", &MARKER[..12]);
                assert!(
                    !haystack.contains(&list[1..list.len() - 1]),
                    "{name} (as bytes) in {what}"
                );
            }
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
}
