//! # openschannel-ffi
//!
//! The SSPI/Schannel C ABI of openschannel: `AcquireCredentialsHandle`,
//! `InitializeSecurityContext`, `AcceptSecurityContext`, `EncryptMessage`, `DecryptMessage`,
//! `ApplyControlToken`, `QueryContextAttributes`, `DeleteSecurityContext` and friends, exported
//! from `libopenschannel.so`/`.a` under their Windows names so that C code written for Windows
//! compiles and runs on Linux, plus the crypt32 subset that certificate-loading code needs.
//!
//! The Windows-compatible headers are in this crate's `include/` directory; the contract every
//! status and buffer layout follows is `docs/schannel-behaviour.md`.
//!
//! ## Map
//! * [`exports`]: the SSPI entry points, one module per concern (credentials, context,
//!   messages, query, packages, dispatch tables, `openschannel.h` extensions);
//! * [`crypt32`]: `CERT_CONTEXT`s, memory, system and file stores, PKCS#12 import; the chain
//!   engine (`crypt32::chain`: chain building and trust statuses, `crypt32::policy`: the
//!   BASE/SSL policies, both safe Rust; `crypt32::chain_exports`: the C layer); decoding and
//!   strings (`CryptStringToBinary`/`CryptBinaryToString`, `CryptQueryObject`,
//!   `CryptDecodeObjectEx`, `CertNameToStr`, `CertGetNameString`) and context properties;
//! * [`capi`]: the CryptoAPI (advapi32) subset: providers and in-memory key containers,
//!   `CryptImportKey`, hashes;
//! * [`localmem`], [`lasterror`]: the kernel32 names those functions rely on (`LocalAlloc`,
//!   `LocalFree`, `GetLastError`, `SetLastError`);
//! * `boundary`: the panic boundary and pointer helpers every export goes through;
//! * `handles`: the generation-checked handle tables (handles are never addresses; a lookup
//!   locks the object);
//! * `memory`: the registry behind `FreeContextBuffer`;
//! * `buffers`: copies of the caller's `SecBufferDesc`;
//! * `types`: `#[repr(C)]` mirrors of the header structures (public for the Rust callers of
//!   the exports: the fuzz targets, the CLI's `bench`, the ABI tests);
//! * `harness` (feature `bench-harness`, for the CLI's `bench`): the exports driven as C
//!   drives them, and a counting allocator.
//!
//! ## As a Rust dependency
//! The crate is also an rlib (`openschannel_ffi`): the exports are ordinary `unsafe extern "C"`
//! functions a Rust crate may call in-process, as the fuzz targets and `openschannel bench` do.
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
pub mod capi;
pub mod crypt32;
pub mod exports;
mod handles;
/// The unsafe half of the CLI's `openschannel bench` (a pair driven through the exports, a
/// counting allocator), behind the `bench-harness` feature so that the C library does not carry
/// it; its unit tests run whenever this crate's tests do.
#[cfg(any(test, feature = "bench-harness"))]
#[cfg_attr(not(feature = "bench-harness"), allow(dead_code))]
pub mod harness;
pub mod lasterror;
pub mod localmem;
mod memory;
mod strings;
#[doc(hidden)]
pub mod types;

/// Internal parsers of the C ABI, public only for the fuzz targets (`fuzz/`); not a stable API.
#[doc(hidden)]
pub mod fuzzing {
    use openschannel_core::Status;

    /// The `SECBUFFER_APPLICATION_PROTOCOLS` parser `InitializeSecurityContext` and
    /// `AcceptSecurityContext` run on the caller's ALPN buffer.
    pub fn parse_alpn(buf: &[u8]) -> Result<Option<Vec<Vec<u8>>>, Status> {
        crate::exports::context::parse_alpn(buf)
    }

    /// Chain building and the BASE/SSL policies on hostile certificates.
    pub fn chain(data: &[u8]) {
        crate::crypt32::chain::fuzz_chain(data)
    }

    /// The store file formats (certificate files, PKCS#7, serialized stores).
    pub fn store_formats(data: &[u8]) {
        crate::crypt32::store_formats::fuzz_store_formats(data)
    }
}

/// The core library this ABI exposes.
pub use openschannel_core as core;
