//! Shared set-up for the fuzz targets: one PKI and credentials per process, real contexts
//! driven to a chosen stage, and the statuses a target may legitimately see (the PKI, the
//! in-memory pair and the status list come from `openschannel-test-support`).

use std::sync::OnceLock;

use openschannel::{Credentials, Protocols, SecurityContext, ServerValidation};
use openschannel_test_support::{pki, KeyKind, Pair};

pub use openschannel_test_support::allowed_error;

/// Client and server credentials for one protocol set, built once per process.
pub struct Fixture {
    pub client: Credentials,
    pub server: Credentials,
}

/// Credentials over the shared test PKI (`openschannel-test-support`): the P-256 leaf for
/// `localhost` and a client trusting its CA.
fn build(protocols: Protocols) -> Fixture {
    let p = pki(KeyKind::EcdsaP256);
    let server = Credentials::server(p.chain.clone(), p.key())
        .protocols(protocols)
        .build()
        .expect("server credentials");
    let client = Credentials::client()
        .protocols(protocols)
        .validation(ServerValidation::Roots(vec![p.ca.clone()]))
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

/// Runs a full in-memory handshake (the shared [`Pair`], reading whole flights).
pub fn establish(tls13: bool) -> Established {
    let f = fixture(tls13);
    let mut pair = Pair::new(&f.client, &f.server, usize::MAX);
    pair.handshake().expect("fixture handshake");
    let Pair {
        client,
        server,
        c2s,
        s2c,
    } = pair;
    let mut to_client = client.inbox;
    to_client.extend(s2c.bytes);
    let mut to_server = server.inbox;
    to_server.extend(c2s.bytes);
    Established {
        client: client.ctx,
        server: server.ctx,
        to_client,
        to_server,
    }
}

// ---------------------------------------------------------------------------------------------
// The C ABI, a normal dependency: its exports are ordinary `unsafe extern "C"` functions the
// targets call in-process, with ASan watching every byte they touch.

pub use openschannel_ffi::{crypt32, exports, types};

pub mod cabi;
