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
// The C ABI, compiled into this crate.
//
// `openschannel-ffi` builds only a cdylib and a staticlib (an rlib would collide with the core's
// `libopenschannel.rlib`), so it cannot be a dependency here. Instead its source files are
// compiled as modules of *this* crate, declared exactly as in its `lib.rs`: every
// `crate::boundary`, `crate::types`, ... path in them then resolves here, and the
// `extern crate` below gives them the core under the name they use (`openschannel_core`). The
// exports are ordinary functions of this crate that the targets call in-process, with ASan
// watching every byte they touch. A module added to the ffi crate's `lib.rs` and used through
// `crate::` makes this build fail until it is declared here too.

extern crate openschannel as openschannel_core;

#[allow(dead_code, non_snake_case)]
#[path = "../../crates/openschannel-ffi/src/boundary.rs"]
mod boundary;
#[allow(dead_code, non_snake_case)]
#[path = "../../crates/openschannel-ffi/src/buffers.rs"]
mod buffers;
#[allow(dead_code, non_snake_case)]
#[path = "../../crates/openschannel-ffi/src/crypt32/mod.rs"]
pub mod crypt32;
#[allow(dead_code, non_snake_case)]
#[path = "../../crates/openschannel-ffi/src/exports/mod.rs"]
pub mod exports;
#[allow(dead_code, non_snake_case)]
#[path = "../../crates/openschannel-ffi/src/handles.rs"]
mod handles;
#[allow(dead_code, non_snake_case)]
#[path = "../../crates/openschannel-ffi/src/memory.rs"]
mod memory;
#[allow(dead_code, non_snake_case)]
#[path = "../../crates/openschannel-ffi/src/strings.rs"]
mod strings;
#[path = "../../crates/openschannel-ffi/src/types.rs"]
pub mod types;

pub mod cabi;
