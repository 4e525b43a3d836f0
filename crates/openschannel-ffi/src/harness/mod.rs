//! The unsafe half of `openschannel bench`: a client/server pair driven only through the
//! exported C functions ([`capi`]) and a counting global allocator ([`alloc`]).
//!
//! # Why it lives here
//! Calling the exports as C does, and counting heap allocations, both need `unsafe`, which
//! the workspace allows only in this crate. The CLI cannot link this crate (it builds only
//! `libopenschannel.so`/`.a`; an rlib would collide with the core's `libopenschannel.rlib`),
//! so it compiles this crate's source files into itself with `#[path]` modules at its crate
//! root, as `fuzz/src/lib.rs` does. These modules therefore refer to the other ffi modules
//! only through `crate::` paths (`crate::exports`, `crate::crypt32`, `crate::types`), which
//! resolve in both crates, and to the core as `openschannel_core`.
//!
//! In this crate the module is compiled only for the unit tests (`#[cfg(test)]` in `lib.rs`),
//! so the shipped library does not carry it; the tests below each file exercise it there.
//! `openssl_session.rs` (the OpenSSL contender's `SSL_set_session`) sits beside these files but
//! is compiled only by the CLI, which has the `openssl` crate.

pub mod alloc;
pub mod capi;
