//! The core's integration tests as one test binary (one link instead of one per file): a
//! module per concern, named as the test files were, so `cargo test -p openschannel --test api
//! matrix::` runs what `--test matrix` ran. The fixtures (generated PKIs, the in-memory
//! [`Pair`](openschannel_test_support::Pair)) come from `openschannel-test-support`.
//!
//! `tests/secrets.rs` stays a binary of its own: it sets `SSLKEYLOGFILE` (read once per
//! process) and installs a process-wide logger.

mod alerts;
mod alpn;
mod async_stream;
mod bad_input;
mod bindings;
mod client_auth;
mod client_certificates;
mod fragmentation;
mod matrix;
mod post_handshake;
mod properties;
mod queries_and_threads;
mod record_failures;
mod record_layer;
mod resumption;
mod robustness;
mod shutdown;
mod stream;
mod tcp;
mod v1_certificates;
mod validation;
