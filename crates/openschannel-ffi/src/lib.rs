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
//! * [`crypt32`]: `CERT_CONTEXT`s, memory stores, PKCS#12 import;
//! * `boundary`: the panic boundary and pointer helpers every export goes through;
//! * `handles`: the generation-checked handle table (handles are never addresses);
//! * `memory`: the registry behind `FreeContextBuffer`;
//! * `buffers`: copies of the caller's `SecBufferDesc`;
//! * `types`: `#[repr(C)]` mirrors of the header structures, with size assertions.
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
mod memory;
mod strings;
mod types;

/// The core library this ABI exposes.
pub use openschannel_core as core;
