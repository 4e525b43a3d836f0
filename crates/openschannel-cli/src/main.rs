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

/// Schannel's SSPI semantics (TLS through InitializeSecurityContext / AcceptSecurityContext,
/// EncryptMessage / DecryptMessage, ApplyControlToken) rebuilt in Rust on rustls.
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
    /// Run a TLS client and server over loopback TCP in one process, printing every SSPI call:
    /// handshake, one message each way, and Schannel's five-step shutdown procedure.
    Demo(demo::DemoArgs),
}

/// Parses the command line (clap exits with status 2 on a usage error) and runs the subcommand.
fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Demo(args) => demo::run(&args),
    }
}
