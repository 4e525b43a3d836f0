//! The unsafe half of `openschannel bench`: a client/server pair driven only through the
//! exported C functions ([`capi`]), a counting allocator ([`alloc`]) and, with the
//! `bench-openssl` feature, the OpenSSL contender's session hand-over (`openssl_session`).
//!
//! # Why it lives here
//! Calling the exports as C does, counting heap allocations and `SSL_set_session` all need
//! `unsafe`, which the workspace allows only in this crate. The CLI depends on this crate with
//! the `bench-harness` feature (and `bench-openssl` under its own `openssl` feature) and
//! installs [`alloc::CountingAllocator`] as its global allocator itself: the library never
//! installs one, and without the feature it does not carry this module at all.

pub mod alloc;
pub mod capi;
#[cfg(feature = "bench-openssl")]
pub mod openssl_session;
