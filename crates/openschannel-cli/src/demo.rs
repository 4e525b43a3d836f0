//! `openschannel demo`: a TLS client and server in one process, over real loopback TCP,
//! driven exactly as a Windows application drives Schannel, with every SSPI call printed.
//!
//! The server runs on its own thread, the client on the main thread; both run the same code
//! ([`Side`]), so every trace line comes from one place. The script:
//!
//! 1. `AcquireCredentialsHandle` for both (a self-signed certificate generated at start; the
//!    client trusts exactly that certificate, target name `localhost`);
//! 2. the handshake token loop on both sides (ISC / ASC);
//! 3. `QueryContextAttributes` (`STREAM_SIZES`, `CONNECTION_INFO`) on both sides;
//! 4. one application message each way (`EncryptMessage` / `DecryptMessage`, servicing
//!    `SEC_I_RENEGOTIATE` for TLS 1.3 session tickets);
//! 5. Schannel's five-step shutdown procedure, initiated by the client (or the server with
//!    `--server-first`); the peer recognises it by `SEC_I_CONTEXT_EXPIRED`, runs the same five
//!    steps, and the initiator reads the peer's close_notify before deleting its context.
//!
//! Every status is checked against the contract. The first deviation ends the demo with one
//! line, `demo: FAILED at <step>: expected <status>, got <status>`, on stderr and exit status 1.

use std::fmt;
use std::io;
use std::net::{Ipv4Addr, TcpListener, TcpStream};
use std::process::ExitCode;
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::Duration;

use clap::Args;
use openschannel::{
    Certificate, CipherSuite, ContextOptions, Credentials, Error, KeyExchangeGroup, Protocol,
    Protocols, Role, SecurityContext, ServerValidation, Status,
};

use crate::certgen;
use crate::trace::{self, Tracer};

mod side;

use side::Side;

/// Read and write timeout on both sockets: a bug can stall the demo, never hang it.
const IO_TIMEOUT: Duration = Duration::from_secs(10);

/// The target name the client connects to (SNI and certificate name check).
const TARGET: &str = "localhost";

/// The client's application message.
const REQUEST: &[u8] = b"GET / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n";

/// The server's application message.
const REPLY: &[u8] = concat!(
    "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 23\r\n\r\n",
    "hello from openschannel"
)
.as_bytes();

/// Options of `openschannel demo`.
#[derive(Debug, Args)]
pub struct DemoArgs {
    /// Negotiate TLS 1.2 (both sides enable only TLS 1.2).
    #[arg(long, conflicts_with = "tls13")]
    tls12: bool,
    /// Negotiate TLS 1.3 (both sides enable only TLS 1.3); the default.
    #[arg(long)]
    tls13: bool,
    /// Let the server initiate the shutdown procedure (default: the client does).
    #[arg(long)]
    server_first: bool,
    /// Print only the final summary line.
    #[arg(long, short)]
    quiet: bool,
}

/// What the demo sets up and expects, derived from the flags.
#[derive(Clone, Copy, Debug)]
struct Plan {
    /// The versions both credentials enable.
    protocols: Protocols,
    /// The version that must be negotiated.
    protocol: Protocol,
    /// Who starts the shutdown procedure.
    initiator: Role,
    /// Whether call lines are printed.
    verbose: bool,
}

impl Plan {
    /// Derives the plan from the command-line flags.
    fn new(args: &DemoArgs) -> Self {
        let (protocols, protocol) = if args.tls12 {
            (Protocols::TLS12_ONLY, Protocol::Tls12)
        } else {
            (Protocols::TLS13_ONLY, Protocol::Tls13)
        };
        Self {
            protocols,
            protocol,
            initiator: if args.server_first {
                Role::Server
            } else {
                Role::Client
            },
            verbose: !args.quiet,
        }
    }
}

/// One deviation from the contract: where, what was expected, what happened.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Failure {
    /// The step, prefixed with the party (`[server] DecryptMessage (request)`).
    at: String,
    /// What the contract says should have happened (usually a status).
    expected: String,
    /// What happened instead.
    got: String,
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "FAILED at {}: expected {}, got {}",
            self.at, self.expected, self.got
        )
    }
}

/// The first [`Failure`] of the run, shared by both threads.
///
/// A failure on one side usually causes a second one on the other (its peer closes the
/// socket); only the first is the real cause, so only the first is kept.
#[derive(Clone, Debug, Default)]
struct FirstFailure(Arc<Mutex<Option<Failure>>>);

impl FirstFailure {
    /// Keeps `failure` if it is the first one, and returns it for propagation.
    fn record(&self, failure: Failure) -> Failure {
        tracing::debug!(%failure, "demo deviation");
        let mut slot = self
            .0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        slot.get_or_insert_with(|| failure.clone());
        failure
    }

    /// The first failure recorded, if any.
    fn get(&self) -> Option<Failure> {
        self.0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .clone()
    }
}

/// Why the demo did not complete.
#[derive(Debug)]
enum DemoError {
    /// A call deviated from the contract (`demo: FAILED at …`).
    Failed(Failure),
    /// The environment failed: certificate generation, sockets, threads (`openschannel: …`).
    Setup(String),
}

impl From<Failure> for DemoError {
    fn from(failure: Failure) -> Self {
        Self::Failed(failure)
    }
}

/// What one side negotiated, as `QueryContextAttributes` reported it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Negotiated {
    /// Protocol version.
    protocol: Protocol,
    /// Cipher suite.
    suite: CipherSuite,
    /// Key-exchange group, if any.
    group: Option<KeyExchangeGroup>,
}

/// Runs `openschannel demo` and maps the outcome to the exit status (0 only if every step
/// returned exactly what the contract says).
pub fn run(args: &DemoArgs) -> ExitCode {
    let plan = Plan::new(args);
    match demo(plan) {
        Ok(negotiated) => {
            let initiator = match plan.initiator {
                Role::Client => "client",
                Role::Server => "server",
            };
            let group = negotiated
                .group
                .map(|g| format!(" ({g})"))
                .unwrap_or_default();
            trace::print_line(&format!(
                "demo: OK — {} {}{group}, shutdown initiated by {initiator}, both sides saw {}",
                negotiated.protocol,
                negotiated.suite,
                Status::SEC_I_CONTEXT_EXPIRED
            ));
            ExitCode::SUCCESS
        }
        Err(DemoError::Failed(failure)) => {
            trace::print_error_line(&format!("demo: {failure}"));
            ExitCode::FAILURE
        }
        Err(DemoError::Setup(message)) => {
            trace::print_error_line(&format!("openschannel: {message}"));
            ExitCode::FAILURE
        }
    }
}

/// The whole demo: set-up on the main thread, then the server thread and the client script.
fn demo(plan: Plan) -> Result<Negotiated, DemoError> {
    let identity = certgen::self_signed_localhost().map_err(|e| DemoError::Setup(e.to_string()))?;
    Tracer::new("demo", plan.verbose).note(format_args!(
        "generated a self-signed ECDSA P-256 certificate for {} ({} B DER)",
        certgen::SUBJECT_ALT_NAMES.join(", "),
        identity.certificate.der().len()
    ));
    let trusted = identity.certificate.clone();
    demo_with(plan, &identity, trusted)
}

/// The demo proper, with the server's identity and the client's single trust anchor given
/// (the demo passes the identity's own certificate; tests pass another to provoke a failure).
fn demo_with(
    plan: Plan,
    identity: &certgen::SelfSigned,
    trusted: Certificate,
) -> Result<Negotiated, DemoError> {
    let first = FirstFailure::default();
    let client_tracer = Tracer::new("client", plan.verbose);
    let server_tracer = Tracer::new("server", plan.verbose);
    let demo_tracer = Tracer::new("demo", plan.verbose);

    // 1. AcquireCredentialsHandle, both sides.
    let version = plan.protocol.name();
    let server_call = format!("AcquireCredentialsHandle(INBOUND, {version})");
    let server_credentials = Credentials::server(identity.chain(), identity.key.clone())
        .protocols(plan.protocols)
        .build();
    let server_credentials = acquired(
        &server_tracer,
        &first,
        &server_call,
        server_credentials,
        "certificate CN=localhost, ECDSA P-256 key",
    )?;
    let client_call = format!("AcquireCredentialsHandle(OUTBOUND, {version})");
    let client_credentials = Credentials::client()
        .protocols(plan.protocols)
        .validation(ServerValidation::Roots(vec![trusted]))
        .build();
    let client_credentials = acquired(
        &client_tracer,
        &first,
        &client_call,
        client_credentials,
        "trusts exactly one certificate",
    )?;

    // Loopback TCP: connect, then accept on this thread, so nothing can block forever.
    let setup = |what: &str, e: io::Error| DemoError::Setup(format!("{what}: {e}"));
    let listener =
        TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).map_err(|e| setup("binding 127.0.0.1:0", e))?;
    let address = listener
        .local_addr()
        .map_err(|e| setup("reading the listening address", e))?;
    demo_tracer.note(format_args!("server listening on {address}"));
    let client_tcp = TcpStream::connect(address).map_err(|e| setup("connecting", e))?;
    let (server_tcp, client_address) = listener.accept().map_err(|e| setup("accepting", e))?;
    configure(&client_tcp).map_err(|e| setup("configuring the client socket", e))?;
    configure(&server_tcp).map_err(|e| setup("configuring the server socket", e))?;
    demo_tracer.note(format_args!(
        "client {client_address} connected (read/write timeout {} s)",
        IO_TIMEOUT.as_secs()
    ));

    let client_ctx =
        SecurityContext::client(&client_credentials, Some(TARGET), ContextOptions::default());
    let client_ctx = new_context(&client_tracer, &first, client_ctx)?;
    let server_ctx = SecurityContext::server(&server_credentials, ContextOptions::default());
    let server_ctx = new_context(&server_tracer, &first, server_ctx)?;

    let server = Side::new(
        Role::Server,
        server_ctx,
        server_tcp,
        server_tracer,
        first.clone(),
    );
    let server_thread = thread::Builder::new()
        .name("server".into())
        .spawn(move || server.run(plan))
        .map_err(|e| setup("starting the server thread", e))?;

    let client = Side::new(
        Role::Client,
        client_ctx,
        client_tcp,
        client_tracer,
        first.clone(),
    );
    // `run` consumes the client: its socket is closed when it returns, so a failed client
    // unblocks the server thread at once.
    let client_result = client.run(plan);
    let server_result = server_thread
        .join()
        .map_err(|_| DemoError::Setup("the server thread panicked".into()))?;

    if let Some(failure) = first.get() {
        return Err(failure.into());
    }
    let client_negotiated = client_result?;
    let server_negotiated = server_result?;
    if client_negotiated != server_negotiated {
        return Err(DemoError::Failed(Failure {
            at: "QueryContextAttributes(SECPKG_ATTR_CONNECTION_INFO) on both sides".into(),
            expected: "the same protocol, cipher suite and group".into(),
            got: format!("client {client_negotiated:?}, server {server_negotiated:?}"),
        }));
    }
    Ok(client_negotiated)
}

/// Traces an `AcquireCredentialsHandle` result and turns an error into a [`Failure`].
fn acquired(
    tracer: &Tracer,
    first: &FirstFailure,
    call: &str,
    result: Result<Credentials, Error>,
    detail: &str,
) -> Result<Credentials, Failure> {
    match result {
        Ok(credentials) => {
            tracer.call(call, Status::SEC_E_OK, detail);
            Ok(credentials)
        }
        Err(e) => {
            tracer.call(call, e.status(), e.detail());
            Err(first.record(Failure {
                at: format!("[{}] {call}", tracer.who()),
                expected: Status::SEC_E_OK.to_string(),
                got: e.to_string(),
            }))
        }
    }
}

/// Turns a failed context creation (part of the first ISC / ASC call on Windows) into a
/// [`Failure`].
fn new_context(
    tracer: &Tracer,
    first: &FirstFailure,
    result: Result<SecurityContext, Error>,
) -> Result<SecurityContext, Failure> {
    result.map_err(|e| {
        first.record(Failure {
            at: format!("[{}] creating the security context", tracer.who()),
            expected: Status::SEC_E_OK.to_string(),
            got: e.to_string(),
        })
    })
}

/// Sets the timeouts (and disables Nagle, so every token leaves at once).
fn configure(tcp: &TcpStream) -> io::Result<()> {
    tcp.set_read_timeout(Some(IO_TIMEOUT))?;
    tcp.set_write_timeout(Some(IO_TIMEOUT))?;
    tcp.set_nodelay(true)
}

/// Unit tests, including whole demo runs in-process.
#[cfg(test)]
mod tests {
    use super::*;

    /// A quiet plan for the given flags.
    fn plan(tls12: bool, server_first: bool) -> Plan {
        Plan::new(&DemoArgs {
            tls12,
            tls13: !tls12,
            server_first,
            quiet: true,
        })
    }

    /// The flags select the protocol, the initiator and the verbosity.
    #[test]
    fn flags_make_the_plan() {
        let p = plan(false, false);
        assert_eq!(
            (p.protocol, p.initiator, p.verbose),
            (Protocol::Tls13, Role::Client, false)
        );
        let p = plan(true, true);
        assert_eq!((p.protocol, p.initiator), (Protocol::Tls12, Role::Server));
        assert_eq!(p.protocols, Protocols::TLS12_ONLY);
    }

    /// The failure line has the documented shape.
    #[test]
    fn failure_line_format() {
        let f = Failure {
            at: "[client] step 2 InitializeSecurityContext(empty input)".into(),
            expected: Status::SEC_E_OK.to_string(),
            got: Status::SEC_I_CONTINUE_NEEDED.to_string(),
        };
        assert_eq!(
            f.to_string(),
            "FAILED at [client] step 2 InitializeSecurityContext(empty input): \
             expected SEC_E_OK (0x00000000), got SEC_I_CONTINUE_NEEDED (0x00090312)"
        );
    }

    /// A second failure (the peer reacting to the first) never replaces the first.
    #[test]
    fn only_the_first_failure_is_kept() {
        let first = FirstFailure::default();
        let a = Failure {
            at: "a".into(),
            expected: "x".into(),
            got: "y".into(),
        };
        let b = Failure {
            at: "b".into(),
            ..a.clone()
        };
        assert_eq!(first.record(a.clone()), a);
        assert_eq!(first.record(b.clone()), b);
        assert_eq!(first.get(), Some(a));
    }

    /// All four modes complete in-process.
    #[test]
    fn every_mode_completes_the_contract() {
        for (tls12, server_first) in [(false, false), (true, false), (false, true), (true, true)] {
            let negotiated = demo(plan(tls12, server_first)).expect("demo succeeds");
            let expected = if tls12 {
                Protocol::Tls12
            } else {
                Protocol::Tls13
            };
            assert_eq!(negotiated.protocol, expected);
        }
    }

    /// A client that does not trust the server fails its handshake with SEC_E_UNTRUSTED_ROOT,
    /// and that is the failure reported (not the server's reaction to the alert).
    #[test]
    fn an_untrusted_server_is_reported_as_the_first_failure() {
        let identity = certgen::self_signed_localhost().expect("identity");
        // A trust anchor with another name and key: the server's certificate has no trusted
        // issuer. (One named CN=localhost too would make webpki report BadSignature, which the
        // core maps to SEC_E_CERT_UNKNOWN rather than SEC_E_UNTRUSTED_ROOT.)
        let key = rcgen::KeyPair::generate().expect("key");
        let mut params =
            rcgen::CertificateParams::new(vec!["stranger.invalid".to_string()]).expect("params");
        params
            .distinguished_name
            .push(rcgen::DnType::CommonName, "stranger.invalid");
        let stranger = params.self_signed(&key).expect("certificate");
        let stranger = Certificate::from_der(stranger.der().to_vec());
        for tls12 in [false, true] {
            let result = demo_with(plan(tls12, false), &identity, stranger.clone());
            let Err(DemoError::Failed(failure)) = result else {
                panic!("expected a contract failure, got {result:?}");
            };
            assert_eq!(failure.at, "[client] InitializeSecurityContext (handshake)");
            assert!(
                failure.got.starts_with("SEC_E_UNTRUSTED_ROOT (0x80090325)"),
                "{failure}"
            );
        }
    }
}
