//! # openschannel-ffi
//!
//! The SSPI/Schannel C ABI of openschannel: `AcquireCredentialsHandle`,
//! `InitializeSecurityContext`, `AcceptSecurityContext`, `EncryptMessage`, `DecryptMessage`,
//! `ApplyControlToken`, `QueryContextAttributes`, `DeleteSecurityContext` and friends, exported
//! under their Windows names so that C code written for Windows compiles and runs on Linux.
//!
//! The Windows-compatible headers (`sspi.h`, `schannel.h`, `security.h`, a `wincrypt.h`
//! subset and `openschannel.h`) are in this crate's `include/` directory and are checked by the
//! `headers` test. The exports themselves are being built on top of the `openschannel` core
//! crate; this crate is the only one in the workspace allowed to contain `unsafe` code.
#![deny(missing_docs)]

/// The core library this ABI exposes.
pub use openschannel_core as core;
