//! # openschannel
//!
//! The Windows **Schannel** security package — TLS driven through the SSPI calls
//! `AcquireCredentialsHandle`, `InitializeSecurityContext` / `AcceptSecurityContext`,
//! `EncryptMessage` / `DecryptMessage`, `ApplyControlToken`, `QueryContextAttributes` and
//! `DeleteSecurityContext` — rebuilt in safe Rust on rustls, with Schannel's exact semantics.
//!
//! This crate is the core: [`Credentials`] (≈ credential handles) and [`SecurityContext`]
//! (≈ context handles) with the statuses Schannel returns ([`Status`]). The C ABI lives in the
//! `openschannel-ffi` crate; the `openschannel` command-line tool in `openschannel-cli`.
//!
//! ## The lifecycle
//! * **Handshake**: call [`SecurityContext::handshake`] in a loop, sending each output token
//!   and feeding back what the peer sends, until it returns [`HandshakeStatus::Ok`].
//!   Unconsumed input after `Ok` holds records for [`SecurityContext::decrypt`].
//! * **Messages**: [`SecurityContext::encrypt`] turns plaintext into exactly one record, in
//!   place; [`SecurityContext::decrypt`] decrypts the one record at the start of a buffer, in
//!   place, and says where the next one starts.
//! * **Shutdown**, Schannel's documented procedure: [`SecurityContext::apply_control_token`]
//!   with [`ControlToken::Shutdown`], then `handshake` with empty input, which returns
//!   `SEC_E_OK` and the close_notify to send; then drop the context.
//! * **Recognising the peer's shutdown**: `decrypt` returns [`Decrypted::ContextExpired`]
//!   (`SEC_I_CONTEXT_EXPIRED`) for the peer's close_notify — and never for a stream that merely
//!   stops, which is how a clean close is told from truncation.
//!
//! ## Example: a client
//! ```no_run
//! use openschannel::{
//!     ContextOptions, ControlToken, Credentials, Decrypted, HandshakeStatus, SecurityContext,
//! };
//! use std::io::{Read, Write};
//!
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let credentials = Credentials::client().build()?; // platform trust store
//! let mut ctx = SecurityContext::client(&credentials, Some("example.com"), ContextOptions::default())?;
//! let mut tcp = std::net::TcpStream::connect("example.com:443")?;
//!
//! // 1. Handshake: the token loop.
//! let (mut input, mut token) = (Vec::new(), Vec::new());
//! loop {
//!     token.clear();
//!     let step = ctx.handshake(&input, &mut token)?;
//!     tcp.write_all(&token)?;
//!     input.drain(..step.consumed);
//!     match step.status {
//!         HandshakeStatus::Ok => break, // `input` now holds records for decrypt
//!         HandshakeStatus::ContinueNeeded if !input.is_empty() => continue,
//!         _ => {
//!             let mut buf = [0u8; 16384];
//!             let n = tcp.read(&mut buf)?;
//!             if n == 0 { return Err("peer closed during the handshake".into()); }
//!             input.extend_from_slice(&buf[..n]);
//!         }
//!     }
//! }
//!
//! // 2. One message each way.
//! let sizes = ctx.stream_sizes()?;
//! let request = b"GET / HTTP/1.0\r\nHost: example.com\r\n\r\n";
//! let mut record = vec![0u8; sizes.header + request.len() + sizes.trailer];
//! record[sizes.header..sizes.header + request.len()].copy_from_slice(request);
//! let written = ctx.encrypt(&mut record, request.len())?;
//! tcp.write_all(&record[..written.total()])?;
//!
//! loop {
//!     match ctx.decrypt(&mut input)? {
//!         Decrypted::Data(layout) => {
//!             std::io::stdout().write_all(&input[layout.data.clone()])?;
//!             input.drain(..layout.extra.start);
//!         }
//!         Decrypted::Renegotiate(layout) => {
//!             // A TLS 1.3 session ticket: service it, send what it produces.
//!             input.drain(..layout.extra.start);
//!             token.clear();
//!             ctx.handshake(&input, &mut token)?;
//!             tcp.write_all(&token)?;
//!         }
//!         Decrypted::ContextExpired(_) => break, // the server closed cleanly
//!         Decrypted::IncompleteMessage { .. } => {
//!             let mut buf = [0u8; 16384];
//!             let n = tcp.read(&mut buf)?;
//!             if n == 0 { return Err("truncated: the server closed without close_notify".into()); }
//!             input.extend_from_slice(&buf[..n]);
//!         }
//!     }
//! }
//!
//! // 3. The shutdown procedure.
//! ctx.apply_control_token(ControlToken::Shutdown)?;
//! token.clear();
//! ctx.handshake(&[], &mut token)?; // SEC_E_OK, token = close_notify
//! tcp.write_all(&token)?;
//! drop(ctx); // DeleteSecurityContext
//! # Ok(())
//! # }
//! ```
#![forbid(unsafe_code)]
#![cfg_attr(docsrs, feature(doc_cfg))]
#![deny(missing_docs)]
#![warn(unreachable_pub)]

mod cert_names;
mod certs;
mod context;
mod credentials;
mod der;
mod engine;
mod error;
mod params;
pub mod pki;
mod records;
pub mod status;
pub mod stream;

pub use certs::{Certificate, PrivateKey};
pub use context::{
    AlertLevel, ConnectionInfo, ContextOptions, ControlToken, Decrypted, Encrypted,
    HandshakeOutcome, HandshakeStatus, PostHandshake, RecordLayout, SecurityContext, StreamSizes,
};
pub use credentials::{
    ClientAuth, ClientCredentialsBuilder, Credentials, Role, ServerCredentialsBuilder,
    ServerValidation, DEFAULT_SESSION_CACHE_SIZE,
};
pub use error::Error;
pub use params::{BulkCipher, CipherSuite, KeyExchangeGroup, Protocol, Protocols, RecordLimits};
pub use status::Status;
pub use stream::{StreamOptions, TlsStream};

/// The README's examples, compiled as doctests so they stay true.
#[cfg(doctest)]
#[doc = include_str!("../../../README.md")]
pub struct ReadmeDoctests;
