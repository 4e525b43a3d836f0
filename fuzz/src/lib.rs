//! Shared set-up for the fuzz targets: one PKI and credentials per process, real contexts
//! driven to a chosen stage, and the statuses a target may legitimately see.

use std::sync::OnceLock;

use openschannel::{
    Certificate, ContextOptions, Credentials, HandshakeStatus, PrivateKey, Protocols,
    SecurityContext, ServerValidation, Status,
};

/// Client and server credentials for one protocol set, built once per process.
pub struct Fixture {
    pub client: Credentials,
    pub server: Credentials,
}

fn build(protocols: Protocols) -> Fixture {
    let key = rcgen::KeyPair::generate().expect("key");
    let cert = rcgen::CertificateParams::new(vec!["localhost".to_string()])
        .expect("params")
        .self_signed(&key)
        .expect("certificate");
    let cert = Certificate::from_der(cert.der().to_vec());
    let server = Credentials::server(
        vec![cert.clone()],
        PrivateKey::from_der(&key.serialize_der()).expect("key der"),
    )
    .protocols(protocols)
    .build()
    .expect("server credentials");
    let client = Credentials::client()
        .protocols(protocols)
        .validation(ServerValidation::Roots(vec![cert]))
        // Every run must be a full handshake.
        .session_cache_size(0)
        .build()
        .expect("client credentials");
    Fixture { client, server }
}

/// The fixture for TLS 1.3 (`tls13`) or TLS 1.2.
pub fn fixture(tls13: bool) -> &'static Fixture {
    static T12: OnceLock<Fixture> = OnceLock::new();
    static T13: OnceLock<Fixture> = OnceLock::new();
    if tls13 {
        T13.get_or_init(|| build(Protocols::TLS13_ONLY))
    } else {
        T12.get_or_init(|| build(Protocols::TLS12_ONLY))
    }
}

/// A connected client/server pair after a complete handshake, with the bytes each side still
/// has to read (post-handshake records).
pub struct Established {
    pub client: SecurityContext,
    pub server: SecurityContext,
    pub to_client: Vec<u8>,
    pub to_server: Vec<u8>,
}

/// Runs a full in-memory handshake.
pub fn establish(tls13: bool) -> Established {
    let f = fixture(tls13);
    let mut client =
        SecurityContext::client(&f.client, Some("localhost"), ContextOptions::default()).unwrap();
    let mut server = SecurityContext::server(&f.server, ContextOptions::default()).unwrap();
    let (mut to_server, mut to_client) = (Vec::new(), Vec::new());
    client.handshake(&[], &mut to_server).unwrap();
    let (mut c_done, mut s_done) = (false, false);
    for _ in 0..16 {
        if !s_done {
            let mut out = Vec::new();
            let o = server.handshake(&to_server, &mut out).unwrap();
            to_server.drain(..o.consumed);
            to_client.extend_from_slice(&out);
            s_done = o.status == HandshakeStatus::Ok;
        }
        if !c_done {
            let mut out = Vec::new();
            let o = client.handshake(&to_client, &mut out).unwrap();
            to_client.drain(..o.consumed);
            to_server.extend_from_slice(&out);
            c_done = o.status == HandshakeStatus::Ok;
        }
        if c_done && s_done {
            break;
        }
    }
    assert!(c_done && s_done, "fixture handshake");
    Established {
        client,
        server,
        to_client,
        to_server,
    }
}

/// Statuses a context may return for hostile input. Anything else is a finding.
pub fn allowed_error(s: Status) -> bool {
    [
        Status::SEC_E_INVALID_TOKEN,
        Status::SEC_E_ILLEGAL_MESSAGE,
        Status::SEC_E_MESSAGE_ALTERED,
        Status::SEC_E_DECRYPT_FAILURE,
        Status::SEC_E_ALGORITHM_MISMATCH,
        Status::SEC_E_UNSUPPORTED_FUNCTION,
        Status::SEC_E_CERT_UNKNOWN,
        Status::SEC_E_UNTRUSTED_ROOT,
        Status::SEC_E_WRONG_PRINCIPAL,
        Status::SEC_E_CERT_EXPIRED,
        Status::SEC_E_LOGON_DENIED,
        Status::SEC_E_UNFINISHED_CONTEXT_DELETED,
        Status::SEC_E_APPLICATION_PROTOCOL_MISMATCH,
        Status::SEC_E_CONTEXT_EXPIRED,
        Status::SEC_E_INTERNAL_ERROR,
        Status::CRYPT_E_REVOKED,
    ]
    .contains(&s)
}

// ---------------------------------------------------------------------------------------------
// The C ABI, a normal dependency: its exports are ordinary `unsafe extern "C"` functions the
// targets call in-process, with ASan watching every byte they touch.

pub use openschannel_ffi::{crypt32, exports, types};

pub mod cabi;
