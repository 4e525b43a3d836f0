//! X.509 v1 certificates as a credential's own certificate (issue 12, item 2): Windows sends
//! one — the peer judges it — so a v1 certificate with its key makes a usable server and
//! client credential; a key that does not belong to it is still refused. The certificates
//! come from `openssl x509 -req` without extensions (v1); the tests are skipped, with a
//! message, when `openssl` is not installed.

use openschannel_test_support as common;

use common::Pair;
use openschannel::{Certificate, Credentials, PrivateKey, Protocols, ServerValidation, Status};
use std::path::{Path, PathBuf};

const BOTH: [Protocols; 2] = [Protocols::TLS12_ONLY, Protocols::TLS13_ONLY];

/// A self-signed v1 certificate for `cn` and its key, made by openssl in `dir`; `None` when
/// openssl is missing.
fn v1_identity(dir: &Path, cn: &str) -> Option<(Certificate, PrivateKey)> {
    let (cert, key) = common::files::openssl_v1_certificate(dir, cn, cn)?;
    let chain = Certificate::pem_chain(&std::fs::read(&cert).unwrap()).unwrap();
    // DER: SEQUENCE { SEQUENCE (tbs) { INTEGER serial ... } } — no [0] version tag: v1.
    let der = chain[0].der();
    let tbs = if der[1] & 0x80 != 0 {
        2 + usize::from(der[1] & 0x7f)
    } else {
        2
    };
    let first = if der[tbs + 1] & 0x80 != 0 {
        tbs + 2 + usize::from(der[tbs + 1] & 0x7f)
    } else {
        tbs + 2
    };
    assert_eq!(der[first], 0x02, "openssl made a v3 certificate");
    let key = PrivateKey::from_pem(&std::fs::read(&key).unwrap()).unwrap();
    Some((chain.into_iter().next().unwrap(), key))
}

fn temp_dir(tag: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("openschannel-v1-{tag}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn a_v1_certificate_is_a_usable_server_and_client_credential() {
    let dir = temp_dir("usable");
    let (Some(server_id), Some(client_id)) = (
        v1_identity(&dir, "localhost"),
        v1_identity(&dir, "v1 client"),
    ) else {
        eprintln!("skipped: openssl is not installed");
        return;
    };
    for protocols in BOTH {
        Credentials::server(vec![server_id.0.clone()], server_id.1.clone())
            .protocols(protocols)
            .build()
            .expect("a v1 server certificate with its key");
        Credentials::client()
            .protocols(protocols)
            .client_certificate(vec![client_id.0.clone()], client_id.1.clone())
            .build()
            .expect("a v1 client certificate with its key");
    }
    // The server sends it: TLS 1.2's Certificate message is in the clear.
    let s = Credentials::server(vec![server_id.0.clone()], server_id.1.clone())
        .protocols(Protocols::TLS12_ONLY)
        .build()
        .unwrap();
    let c = Credentials::client()
        .protocols(Protocols::TLS12_ONLY)
        .validation(ServerValidation::Manual)
        .build()
        .unwrap();
    let mut p = Pair::new(&c, &s, usize::MAX);
    let result = p.handshake();
    let der = server_id.0.der();
    assert!(
        p.s2c.log.windows(der.len()).any(|w| w == der),
        "the v1 certificate was not sent"
    );
    // A rustls peer cannot check the handshake signature against a v1 certificate (webpki
    // does not parse v1), even with manual validation: README "Deviations".
    assert_eq!(result, Err(Status::SEC_E_CERT_UNKNOWN));
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn a_v1_certificate_with_another_key_is_unknown_credentials() {
    let dir = temp_dir("mismatch");
    let (Some(a), Some(b)) = (v1_identity(&dir, "a"), v1_identity(&dir, "b")) else {
        eprintln!("skipped: openssl is not installed");
        return;
    };
    let e = Credentials::server(vec![a.0.clone()], b.1.clone())
        .build()
        .unwrap_err();
    assert_eq!(e.status(), Status::SEC_E_UNKNOWN_CREDENTIALS);
    let e = Credentials::client()
        .client_certificate(vec![a.0], b.1)
        .build()
        .unwrap_err();
    assert_eq!(e.status(), Status::SEC_E_UNKNOWN_CREDENTIALS);
    std::fs::remove_dir_all(&dir).ok();
}
