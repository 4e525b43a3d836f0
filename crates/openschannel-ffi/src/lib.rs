//! # openschannel-ffi
//!
//! The SSPI/Schannel C ABI of openschannel: `AcquireCredentialsHandle`,
//! `InitializeSecurityContext`, `AcceptSecurityContext`, `EncryptMessage`, `DecryptMessage`,
//! `ApplyControlToken`, `QueryContextAttributes`, `DeleteSecurityContext` and friends, exported
//! from `libopenschannel.so`/`.a` under their Windows names so that C code written for Windows
//! compiles and runs on Linux, plus the crypt32 subset that certificate-loading code needs.
//!
//! The Windows-compatible headers are in this crate's `include/` directory; the contract every
//! status and buffer layout follows is `shared/spec/schannel-contract.md`.
//!
//! ## Map
//! * [`exports`]: the SSPI entry points, one module per concern (credentials, context,
//!   messages, query, packages, dispatch tables, `openschannel.h` extensions);
//! * [`crypt32`]: `CERT_CONTEXT`s, memory, system and file stores, PKCS#12 import, and the
//!   chain engine (`crypt32::chain`: chain building and trust statuses, `crypt32::policy`:
//!   the BASE/SSL policies, both safe Rust; `crypt32::chain_exports`: the C layer);
//! * `boundary`: the panic boundary and pointer helpers every export goes through;
//! * `handles`: the generation-checked handle tables (handles are never addresses; a lookup
//!   locks the object);
//! * `memory`: the registry behind `FreeContextBuffer`;
//! * `buffers`: copies of the caller's `SecBufferDesc`;
//! * `types`: `#[repr(C)]` mirrors of the header structures, with size assertions;
//! * `harness` (unit tests only; compiled into the CLI for `bench`): the exports driven as C
//!   drives them, and a counting allocator.
//!
//! This is the only crate of the workspace with `unsafe` code; each block has a `SAFETY:`
//! comment and does one unsafe thing.
#![deny(missing_docs)]
#![deny(unsafe_op_in_unsafe_fn)]
#![warn(
    clippy::undocumented_unsafe_blocks,
    clippy::multiple_unsafe_ops_per_block
)]
#![allow(non_snake_case)]

mod boundary;
mod buffers;
pub mod crypt32;
pub mod exports;
mod handles;
/// The unsafe half of the CLI's `openschannel bench` (a pair driven through the exports, a
/// counting allocator). The CLI compiles these files into itself with `#[path]` modules at its
/// crate root, next to the other ffi modules they reach through `crate::` paths (it cannot
/// link this crate, which builds no rlib); here the module exists only for its unit tests, so
/// `libopenschannel.so`/`.a` do not carry it. Its API serves the CLI, hence `dead_code` is
/// allowed where the tests do not use an item.
#[cfg(test)]
#[allow(dead_code)]
mod harness;
pub mod lasterror;
mod memory;
mod strings;
mod types;

/// The core library this ABI exposes.
pub use openschannel_core as core;
