//! Test fixtures shared by the openschannel workspace's tests (`crates/openschannel/tests`,
//! `crates/openschannel-ffi/tests`, `crates/openschannel-cli/tests`) and by `fuzz/`.
//!
//! * [`certs`]: generated certificates — an [`Authority`] issuing leaves, the shared PKIs (a CA
//!   and a `localhost`/127.0.0.1 leaf per key kind) and the credentials built from them;
//! * [`memory`]: an in-memory client/server [`Pair`] over two [`Wire`]s, each [`Endpoint`]
//!   driving its `SecurityContext` the way a Windows application drives Schannel
//!   (`handshake_step`, `send`, `recv`, `shutdown`);
//! * [`files`]: temporary directories and certificate authorities whose certificates and keys
//!   are PEM files, for peers that run as processes;
//! * [`peers`]: finding and launching peer processes (`openssl`, `gnutls-*`, Python, tlslite-ng)
//!   with bounded waits;
//! * [`data`]: deterministic test bytes; [`statuses`]: the statuses hostile input may produce.
//!
//! Not published: it exists for this workspace's tests and may change with them.
#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod certs;
pub mod data;
pub mod files;
pub mod memory;
pub mod peers;
pub mod statuses;

pub use certs::{
    client_credentials, pki, server_credentials, suite_credentials, Authority,
    ExtendedKeyUsagePurpose, KeyKind, KeyUsagePurpose, Leaf, LeafSpec, Pki,
};
pub use data::pattern;
pub use memory::{Chunking, Endpoint, Pair, RecvEnd, Wire};
pub use statuses::allowed_error;
