//! `openschannel`: the command-line tool of openschannel, a Rust reimplementation of the
//! Windows Schannel security package.
//!
//! Each subcommand lives in its own module with a clap `Args` struct and a `run` function
//! returning an [`ExitCode`]; `main` only parses the command line and dispatches. Today there
//! is one subcommand, `demo`; `client`, `server` and `bench` are meant to join it as sibling
//! modules sharing [`trace`] and [`certgen`].
//!
//! Exit status: 0 on success, 1 when the command failed (one line on stderr says why), 2 for
//! command-line usage errors (reported by clap).

#![forbid(unsafe_code)]

mod certgen;
mod demo;
mod trace;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// The Windows Schannel security package, rebuilt in Rust on rustls.
///
/// TLS driven through SSPI semantics: AcquireCredentialsHandle, InitializeSecurityContext /
/// AcceptSecurityContext, EncryptMessage / DecryptMessage, ApplyControlToken,
/// QueryContextAttributes and DeleteSecurityContext, with the statuses Schannel returns.
#[derive(Debug, Parser)]
#[command(name = "openschannel", version, propagate_version = true)]
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
}

/// Parses the command line (clap exits with status 2 on a usage error) and runs the subcommand.
fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Demo(args) => demo::run(&args),
    }
}
