//! `openschannel`: the command-line tool of openschannel, a Rust reimplementation of the
//! Windows Schannel security package.
//!
//! Each subcommand lives in its own module with a clap `Args` struct and a `run` function
//! returning an [`ExitCode`]; `main` only parses the command line and dispatches: `demo`,
//! `client` and `server`, sharing [`trace`], [`certgen`] and [`common`].
//!
//! Exit status: 0 on success, 1 when the command failed (one line on stderr says why), 2 for
//! command-line usage errors (reported by clap). `client` adds 2 for a failed handshake and 3
//! for truncation.

// No unsafe code of its own: `bench` calls the C ABI (crates/openschannel-ffi, with its
// `bench-harness` feature), where every unsafe block has its SAFETY comment.
#![deny(unsafe_code)]

mod bench;
mod certgen;
mod client;
mod common;
mod demo;
mod server;
mod signals;
mod trace;

/// Counts heap allocations for `bench`'s memory figures; counting is off (one relaxed load per
/// call) except while a memory sample runs. The allocator is the ffi crate's
/// (`bench-harness`), installed here by the binary: the library never installs one.
#[global_allocator]
static ALLOCATOR: openschannel_ffi::harness::alloc::CountingAllocator =
    openschannel_ffi::harness::alloc::CountingAllocator;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// The Windows Schannel security package, rebuilt in Rust on rustls.
///
/// TLS driven through SSPI semantics: AcquireCredentialsHandle, InitializeSecurityContext /
/// AcceptSecurityContext, EncryptMessage / DecryptMessage, ApplyControlToken,
/// QueryContextAttributes and DeleteSecurityContext, with the statuses Schannel returns.
#[derive(Debug, Parser)]
#[command(
    name = "openschannel",
    version,
    long_version = env!("OPENSCHANNEL_LONG_VERSION"),
    propagate_version = true
)]
struct Cli {
    /// What to do.
    #[command(subcommand)]
    command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
enum Command {
    /// Run a client and a server over loopback TCP, printing every SSPI call.
    ///
    /// One process, real TCP on 127.0.0.1, a self-signed certificate generated at start: the
    /// handshake token loop, the negotiated parameters, one message each way, and Schannel's
    /// five-step shutdown procedure on both sides. Every status is checked against the
    /// contract; the exit status is 0 only if all of them are as expected.
    Demo(demo::DemoArgs),
    /// Connect to a TLS server: standard input to the server, the server to standard output.
    ///
    /// Like `openssl s_client`, driven through Schannel's SSPI calls. At end of input the
    /// shutdown procedure runs and the client waits for the server's close_notify; the exit
    /// status tells a clean close (0) from truncation (3) and a failed handshake (2).
    Client(client::ClientArgs),
    /// Serve TLS connections: echo, sink or source, one log line per connection.
    ///
    /// Like `openssl s_server`, driven through Schannel's SSPI calls; many connections at
    /// once, each logged with its protocol, cipher suite, byte counts and how it ended
    /// (clean both ways, peer truncated, or the SEC_E_* error).
    Server(server::ServerArgs),
    /// Measure openschannel against rustls, OpenSSL and the raw AEAD, in one process.
    ///
    /// Bulk records (TLS 1.2/1.3 x AES-128-GCM, AES-256-GCM, ChaCha20-Poly1305 x 16384, 1024,
    /// 64 bytes; encrypt, decrypt, round trip), full and resumed handshakes, the shutdown
    /// procedure, and memory (heap per idle context, handshake peak, allocations per record),
    /// contenders interleaved, each figure the median of several runs with min and max; then
    /// the ratios the project's targets are stated in. Build with --release.
    Bench(bench::BenchArgs),
}

/// Parses the command line (clap exits with status 2 on a usage error) and runs the subcommand.
fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Demo(args) => demo::run(&args),
        Command::Client(args) => client::run(&args),
        Command::Server(args) => server::run(&args),
        Command::Bench(args) => bench::run(&args),
    }
}
