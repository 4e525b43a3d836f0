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
use std::io::{self, Read, Write};
use std::net::{Ipv4Addr, TcpListener, TcpStream};
use std::process::ExitCode;
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::Duration;

use clap::Args;
use openschannel::{
    CipherSuite, ContextOptions, ControlToken, Credentials, Decrypted, Error, HandshakeStatus,
    KeyExchangeGroup, Protocol, Protocols, RecordLayout, Role, SecurityContext, ServerValidation,
    Status,
};

use crate::certgen;
use crate::trace::{self, Tracer};

/// Read and write timeout on both sockets: a bug can stall the demo, never hang it.
const IO_TIMEOUT: Duration = Duration::from_secs(10);

/// The target name the client connects to (SNI and certificate name check).
const TARGET: &str = "localhost";

/// Upper bound on handshake calls per side; a correct TLS handshake needs far fewer.
const MAX_HANDSHAKE_CALLS: usize = 64;

/// The client's application message.
const REQUEST: &[u8] = b"GET / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n";

/// The server's application message.
const REPLY: &[u8] =
    b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 22\r\n\r\nhello from openschannel";

/// The plaintext offered to `EncryptMessage` after the shutdown, which must refuse it.
const PROBE: &[u8] = b"late";

/// Options of `openschannel demo`.
#[derive(Debug, Args)]
pub struct DemoArgs {
    /// Negotiate TLS 1.2 (both sides enable only TLS 1.2).
    #[arg(long, conflicts_with = "tls13")]
    tls12: bool,
    /// Negotiate TLS 1.3 (both sides enable only TLS 1.3) [default].
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
    let first = FirstFailure::default();
    let client_tracer = Tracer::new("client", plan.verbose);
    let server_tracer = Tracer::new("server", plan.verbose);
    let demo_tracer = Tracer::new("demo", plan.verbose);

    let identity = certgen::self_signed_localhost().map_err(|e| DemoError::Setup(e.to_string()))?;
    demo_tracer.note(format_args!(
        "generated a self-signed ECDSA P-256 certificate for {} ({} B DER)",
        certgen::SUBJECT_ALT_NAMES.join(", "),
        identity.certificate.der().len()
    ));

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
        .validation(ServerValidation::Roots(vec![identity.certificate.clone()]))
        .build();
    let client_credentials = acquired(
        &client_tracer,
        &first,
        &client_call,
        client_credentials,
        "trusts exactly that certificate",
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

/// What [`Side::recv`] delivered.
#[derive(Debug, PartialEq, Eq)]
enum Received {
    /// `SEC_E_OK` with application data (one record's plaintext, never empty).
    Data(Vec<u8>),
    /// `SEC_I_CONTEXT_EXPIRED`: the peer sent close_notify.
    ContextExpired,
}

/// One party of the connection: its security context, socket, receive buffer and tracer.
///
/// Client and server run exactly the same code; only the function names (ISC vs ASC) and the
/// order of the script's steps differ.
struct Side {
    /// Client or server.
    role: Role,
    /// The security context (dropping it is `DeleteSecurityContext`).
    ctx: SecurityContext,
    /// The connection.
    tcp: TcpStream,
    /// Bytes received and not yet consumed by ISC / ASC / `DecryptMessage`.
    inbox: Vec<u8>,
    /// Prints this side's call lines.
    tracer: Tracer,
    /// Where this side's first deviation is recorded.
    first: FirstFailure,
}

impl Side {
    /// A side ready to start its handshake.
    fn new(
        role: Role,
        ctx: SecurityContext,
        tcp: TcpStream,
        tracer: Tracer,
        first: FirstFailure,
    ) -> Self {
        Self {
            role,
            ctx,
            tcp,
            inbox: Vec::new(),
            tracer,
            first,
        }
    }

    /// The whole script for this side; consumes it (the context and socket are gone after).
    fn run(mut self, plan: Plan) -> Result<Negotiated, Failure> {
        self.handshake()?;
        let negotiated = self.query(plan.protocol)?;
        match self.role {
            Role::Client => {
                self.send(REQUEST, "request")?;
                self.expect_data(REPLY, "reply")?;
            }
            Role::Server => {
                self.expect_data(REQUEST, "request")?;
                self.send(REPLY, "reply")?;
            }
        }
        let initiator = plan.initiator == self.role;
        self.close(initiator)?;
        Ok(negotiated)
    }

    /// The handshake function of this side's role.
    fn function(&self) -> &'static str {
        match self.role {
            Role::Client => "InitializeSecurityContext",
            Role::Server => "AcceptSecurityContext",
        }
    }

    /// Records a deviation (first one wins) and returns it.
    fn fail(
        &self,
        at: impl fmt::Display,
        expected: impl fmt::Display,
        got: impl fmt::Display,
    ) -> Failure {
        self.first.record(Failure {
            at: format!("[{}] {at}", self.tracer.who()),
            expected: expected.to_string(),
            got: got.to_string(),
        })
    }

    /// Sends bytes on the socket.
    fn write(&mut self, bytes: &[u8], what: &str) -> Result<(), Failure> {
        self.tracer
            .io(format_args!("tcp send {} B ({what})", bytes.len()));
        self.tcp.write_all(bytes).map_err(|e| {
            self.fail(
                format_args!("tcp send ({what})"),
                "the bytes to be written",
                describe_io(&e),
            )
        })
    }

    /// Reads whatever the peer sent next (at least one byte) into the receive buffer.
    fn read_more(&mut self, why: &str) -> Result<(), Failure> {
        let mut buf = [0u8; 16 * 1024];
        loop {
            match self.tcp.read(&mut buf) {
                Ok(0) => {
                    return Err(self.fail(
                        format_args!("tcp recv ({why})"),
                        "more bytes from the peer",
                        "end of stream: the peer closed the TCP connection",
                    ))
                }
                Ok(n) => {
                    self.tracer.io(format_args!("tcp recv {n} B"));
                    self.inbox.extend_from_slice(&buf[..n]);
                    return Ok(());
                }
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => {
                    return Err(self.fail(
                        format_args!("tcp recv ({why})"),
                        "more bytes from the peer",
                        describe_io(&e),
                    ))
                }
            }
        }
    }

    /// Step 2: the handshake token loop, until ISC / ASC returns `SEC_E_OK`.
    ///
    /// Each call gets every unconsumed byte; its token is sent at once. `SEC_I_CONTINUE_NEEDED`
    /// with EXTRA bytes calls again without reading; otherwise the next call waits for more
    /// bytes. Bytes left after `SEC_E_OK` stay in the buffer for `DecryptMessage`.
    fn handshake(&mut self) -> Result<(), Failure> {
        let function = self.function();
        if self.role == Role::Server {
            // A server calls ASC once the client's first bytes have arrived.
            self.read_more("waiting for the ClientHello")?;
        }
        for _ in 0..MAX_HANDSHAKE_CALLS {
            let input = self.inbox.len();
            let call = format!("{function}(input {input} B)");
            let mut token = Vec::new();
            let outcome = match self.ctx.handshake(&self.inbox, &mut token) {
                Ok(outcome) => outcome,
                Err(e) => {
                    let alert = if token.is_empty() {
                        String::new()
                    } else {
                        format!("alert {} B; ", token.len())
                    };
                    self.tracer
                        .call(&call, e.status(), format_args!("{alert}{}", e.detail()));
                    if !token.is_empty() {
                        // Schannel's SECBUFFER_ALERT: tell the peer before giving up.
                        let _ = self.write(&token, "alert");
                    }
                    return Err(self.fail(
                        format_args!("{function} (handshake)"),
                        "SEC_I_CONTINUE_NEEDED, SEC_E_OK or SEC_E_INCOMPLETE_MESSAGE",
                        e,
                    ));
                }
            };
            let extra = input - outcome.consumed.min(input);
            match outcome.status {
                HandshakeStatus::IncompleteMessage { missing } => {
                    self.tracer.call(
                        &call,
                        outcome.status.status(),
                        format_args!("missing {missing} B"),
                    );
                    if outcome.consumed != 0 || !token.is_empty() {
                        return Err(self.fail(
                            format_args!("{function} (handshake)"),
                            "nothing consumed and no token with SEC_E_INCOMPLETE_MESSAGE",
                            format_args!(
                                "{} B consumed, token {} B",
                                outcome.consumed,
                                token.len()
                            ),
                        ));
                    }
                }
                HandshakeStatus::ContinueNeeded | HandshakeStatus::Ok => {
                    self.tracer.call(
                        &call,
                        outcome.status.status(),
                        format_args!("token {} B, extra {extra} B", token.len()),
                    );
                }
            }
            if !token.is_empty() {
                self.write(&token, "token")?;
            }
            self.inbox.drain(..outcome.consumed.min(input));
            match outcome.status {
                HandshakeStatus::Ok => return Ok(()),
                HandshakeStatus::ContinueNeeded if extra > 0 => continue,
                HandshakeStatus::ContinueNeeded | HandshakeStatus::IncompleteMessage { .. } => {
                    self.read_more("handshake")?;
                }
            }
        }
        Err(self.fail(
            format_args!("{function} (handshake)"),
            format_args!("SEC_E_OK within {MAX_HANDSHAKE_CALLS} calls"),
            "a handshake that never completed",
        ))
    }

    /// Step 3: `QueryContextAttributes` for the stream sizes and the connection info; checks
    /// that `expected` was negotiated.
    fn query(&mut self, expected: Protocol) -> Result<Negotiated, Failure> {
        let call = "QueryContextAttributes(SECPKG_ATTR_STREAM_SIZES)";
        match self.ctx.stream_sizes() {
            Ok(s) => self.tracer.call(
                call,
                Status::SEC_E_OK,
                format_args!(
                    "header {}, trailer {}, max message {}, buffers {}, block {}",
                    s.header, s.trailer, s.max_message, s.buffers, s.block_size
                ),
            ),
            Err(e) => {
                self.tracer.call(call, e.status(), e.detail());
                return Err(self.fail(call, Status::SEC_E_OK, e));
            }
        }
        let call = "QueryContextAttributes(SECPKG_ATTR_CONNECTION_INFO)";
        let info = match self.ctx.connection_info() {
            Ok(info) => info,
            Err(e) => {
                self.tracer.call(call, e.status(), e.detail());
                return Err(self.fail(call, Status::SEC_E_OK, e));
            }
        };
        let group = info
            .key_exchange_group
            .map_or_else(|| "none".to_string(), |g| g.to_string());
        self.tracer.call(
            call,
            Status::SEC_E_OK,
            format_args!(
                "{}, {}, group {group}, resumed {}",
                info.protocol,
                info.cipher_suite,
                if info.resumed { "yes" } else { "no" }
            ),
        );
        if info.protocol != expected {
            return Err(self.fail(call, expected, info.protocol));
        }
        Ok(Negotiated {
            protocol: info.protocol,
            suite: info.cipher_suite,
            group: info.key_exchange_group,
        })
    }

    /// Step 4: `EncryptMessage` for one message (one record) and sends it.
    fn send(&mut self, message: &[u8], what: &str) -> Result<(), Failure> {
        let call = format!("EncryptMessage(data {} B)", message.len());
        let sizes = match self.ctx.stream_sizes() {
            Ok(sizes) => sizes,
            Err(e) => return Err(self.fail(format_args!("{call} ({what})"), Status::SEC_E_OK, e)),
        };
        if message.len() > sizes.max_message {
            return Err(self.fail(
                format_args!("{call} ({what})"),
                format_args!("at most cbMaximumMessage = {} B", sizes.max_message),
                format_args!("{} B", message.len()),
            ));
        }
        let mut record = vec![0u8; sizes.header + message.len() + sizes.trailer];
        record[sizes.header..sizes.header + message.len()].copy_from_slice(message);
        match self.ctx.encrypt(&mut record, message.len()) {
            Ok(written) => {
                self.tracer.call(
                    &call,
                    Status::SEC_E_OK,
                    format_args!(
                        "header {} | data {} | trailer {} = record {} B ({what})",
                        written.header,
                        written.data,
                        written.trailer,
                        written.total()
                    ),
                );
                self.write(&record[..written.total()], what)
            }
            Err(e) => {
                self.tracer.call(&call, e.status(), e.detail());
                Err(self.fail(format_args!("{call} ({what})"), Status::SEC_E_OK, e))
            }
        }
    }

    /// The receive loop: `DecryptMessage` until one record of application data or the peer's
    /// close_notify arrives, reading more on `SEC_E_INCOMPLETE_MESSAGE`, keeping EXTRA bytes,
    /// and servicing `SEC_I_RENEGOTIATE` with an ISC / ASC call whose token is sent.
    fn recv(&mut self, what: &str) -> Result<Received, Failure> {
        loop {
            let call = format!("DecryptMessage(input {} B)", self.inbox.len());
            let decrypted = match self.ctx.decrypt(&mut self.inbox) {
                Ok(decrypted) => decrypted,
                Err(e) => {
                    self.tracer.call(&call, e.status(), e.detail());
                    return Err(self.fail(
                        format_args!("DecryptMessage ({what})"),
                        "SEC_E_OK, SEC_I_RENEGOTIATE, SEC_I_CONTEXT_EXPIRED or SEC_E_INCOMPLETE_MESSAGE",
                        e,
                    ));
                }
            };
            let status = decrypted.status();
            match decrypted {
                Decrypted::IncompleteMessage { missing } => {
                    self.tracer
                        .call(&call, status, format_args!("missing {missing} B"));
                    self.read_more(what)?;
                }
                Decrypted::Data(layout) => {
                    self.tracer.call(&call, status, describe_layout(&layout));
                    let data = self.inbox[layout.data.clone()].to_vec();
                    self.inbox.drain(..layout.extra.start);
                    if !data.is_empty() {
                        return Ok(Received::Data(data));
                    }
                }
                Decrypted::Renegotiate(layout) => {
                    self.tracer.call(
                        &call,
                        status,
                        format_args!("{} (post-handshake message)", describe_layout(&layout)),
                    );
                    self.inbox.drain(..layout.extra.start);
                    self.service_renegotiate()?;
                }
                Decrypted::ContextExpired(layout) => {
                    self.tracer.call(
                        &call,
                        status,
                        format_args!("{} (close_notify)", describe_layout(&layout)),
                    );
                    self.inbox.drain(..layout.extra.start);
                    return Ok(Received::ContextExpired);
                }
            }
        }
    }

    /// Services `SEC_I_RENEGOTIATE`: ISC / ASC with the EXTRA bytes as input must return
    /// `SEC_E_OK`, consume nothing, and produce the token (maybe empty) to send.
    fn service_renegotiate(&mut self) -> Result<(), Failure> {
        let function = self.function();
        let call = format!("{function}(input {} B)", self.inbox.len());
        let at = format!("{function} (servicing SEC_I_RENEGOTIATE)");
        let mut token = Vec::new();
        match self.ctx.handshake(&self.inbox, &mut token) {
            Ok(outcome) => {
                self.tracer.call(
                    &call,
                    outcome.status.status(),
                    format_args!(
                        "token {} B, consumed {} B (services SEC_I_RENEGOTIATE)",
                        token.len(),
                        outcome.consumed
                    ),
                );
                if outcome.status != HandshakeStatus::Ok {
                    return Err(self.fail(at, Status::SEC_E_OK, outcome.status.status()));
                }
                if outcome.consumed != 0 {
                    return Err(self.fail(
                        at,
                        "SEC_E_OK consuming nothing",
                        format_args!("{} B consumed", outcome.consumed),
                    ));
                }
                if !token.is_empty() {
                    self.write(&token, "post-handshake reply")?;
                }
                Ok(())
            }
            Err(e) => {
                self.tracer.call(&call, e.status(), e.detail());
                Err(self.fail(at, Status::SEC_E_OK, e))
            }
        }
    }

    /// Receives one message, which must equal `expected` byte for byte.
    fn expect_data(&mut self, expected: &[u8], what: &str) -> Result<(), Failure> {
        match self.recv(what)? {
            Received::Data(data) if data == expected => {
                self.tracer.event(
                    format_args!("received the {what}"),
                    format_args!(
                        "{} B match byte for byte: {}",
                        data.len(),
                        first_line(&data)
                    ),
                );
                Ok(())
            }
            Received::Data(data) => Err(self.fail(
                format_args!("DecryptMessage ({what})"),
                format_args!("the {} B the peer sent", expected.len()),
                format_args!("{} different bytes: {}", data.len(), first_line(&data)),
            )),
            Received::ContextExpired => Err(self.fail(
                format_args!("DecryptMessage ({what})"),
                format_args!("{} with the {what}", Status::SEC_E_OK),
                Status::SEC_I_CONTEXT_EXPIRED,
            )),
        }
    }

    /// Receives until the peer's close_notify, which must be the next thing to arrive.
    fn expect_context_expired(&mut self, what: &str) -> Result<(), Failure> {
        match self.recv(what)? {
            Received::ContextExpired => Ok(()),
            Received::Data(data) => Err(self.fail(
                format_args!("DecryptMessage ({what})"),
                Status::SEC_I_CONTEXT_EXPIRED,
                format_args!("{} with {} B of data", Status::SEC_E_OK, data.len()),
            )),
        }
    }

    /// Step 5: ends the connection, as the initiator or as the peer.
    ///
    /// The initiator runs steps 1–4, checks that `EncryptMessage` now refuses, then reads the
    /// peer's close_notify (`SEC_I_CONTEXT_EXPIRED`: a bidirectional close) and deletes its
    /// context. The peer recognises the shutdown by `SEC_I_CONTEXT_EXPIRED`, then runs the same
    /// five steps.
    fn close(mut self, initiator: bool) -> Result<(), Failure> {
        if initiator {
            self.shutdown()?;
            self.encrypt_after_shutdown()?;
            self.expect_context_expired("the peer's close_notify")?;
            self.tracer
                .note("the peer closed too: bidirectional close complete");
        } else {
            self.expect_context_expired("the peer's close_notify")?;
            self.tracer
                .note("peer initiated the shutdown: running the shutdown procedure");
            self.shutdown()?;
            self.encrypt_after_shutdown()?;
        }
        self.delete();
        Ok(())
    }

    /// Steps 1–4 of the shutdown procedure: `ApplyControlToken(SCHANNEL_SHUTDOWN)`, ISC / ASC
    /// with empty input until `SEC_E_OK`, and sending its token (the close_notify).
    fn shutdown(&mut self) -> Result<(), Failure> {
        let step1 = "step 1 ApplyControlToken(SCHANNEL_SHUTDOWN)";
        match self.ctx.apply_control_token(ControlToken::Shutdown) {
            Ok(()) => self.tracer.call(step1, Status::SEC_E_OK, ""),
            Err(e) => {
                self.tracer.call(step1, e.status(), e.detail());
                return Err(self.fail(step1, Status::SEC_E_OK, e));
            }
        }

        let step2 = format!("step 2 {}(empty input)", self.function());
        let mut token = Vec::new();
        let outcome = match self.ctx.handshake(&[], &mut token) {
            Ok(outcome) => outcome,
            Err(e) => {
                self.tracer.call(&step2, e.status(), e.detail());
                return Err(self.fail(&step2, Status::SEC_E_OK, e));
            }
        };
        let status = outcome.status.status();
        self.tracer
            .call(&step2, status, format_args!("token {} B", token.len()));
        // Step 3: the contract says the first call already returns SEC_E_OK (never
        // SEC_I_CONTINUE_NEEDED), so the loop must end after one call.
        if outcome.status != HandshakeStatus::Ok {
            return Err(self.fail(&step2, Status::SEC_E_OK, status));
        }
        if token.is_empty() {
            return Err(self.fail(
                &step2,
                format_args!("{status} with a non-empty token (the close_notify)"),
                format_args!("{status} with an empty token"),
            ));
        }
        self.tracer.event(
            "step 3 until SEC_E_OK or SEC_I_CONTEXT_EXPIRED",
            format_args!("{status} after 1 call: done"),
        );

        self.tracer.event(
            "step 4 send the token",
            format_args!("{} bytes (close_notify)", token.len()),
        );
        self.write(&token, "close_notify")
    }

    /// After step 4, `EncryptMessage` must refuse with `SEC_E_CONTEXT_EXPIRED` (not fatal).
    fn encrypt_after_shutdown(&mut self) -> Result<(), Failure> {
        let call = format!("EncryptMessage(data {} B) after shutdown", PROBE.len());
        let at = format!("{call} (must be refused)");
        let sizes = match self.ctx.stream_sizes() {
            Ok(sizes) => sizes,
            Err(e) => return Err(self.fail(at, Status::SEC_E_CONTEXT_EXPIRED, e)),
        };
        let mut record = vec![0u8; sizes.header + PROBE.len() + sizes.trailer];
        record[sizes.header..sizes.header + PROBE.len()].copy_from_slice(PROBE);
        match self.ctx.encrypt(&mut record, PROBE.len()) {
            Err(e) if e.status() == Status::SEC_E_CONTEXT_EXPIRED => {
                self.tracer.call(
                    &call,
                    e.status(),
                    "refused as the contract says: nothing sent",
                );
                Ok(())
            }
            Err(e) => {
                self.tracer.call(&call, e.status(), e.detail());
                Err(self.fail(at, Status::SEC_E_CONTEXT_EXPIRED, e))
            }
            Ok(written) => {
                self.tracer.call(
                    &call,
                    Status::SEC_E_OK,
                    format_args!("record {} B produced (not sent)", written.total()),
                );
                Err(self.fail(
                    at,
                    Status::SEC_E_CONTEXT_EXPIRED,
                    format_args!("{} and a {} B record", Status::SEC_E_OK, written.total()),
                ))
            }
        }
    }

    /// Step 5: `DeleteSecurityContext` (dropping the context), then closing the socket.
    fn delete(self) {
        let Self {
            ctx, tcp, tracer, ..
        } = self;
        drop(ctx);
        tracer.event("step 5 DeleteSecurityContext", "context deleted");
        drop(tcp);
        tracer.io("tcp close");
    }
}

/// `header H | data D | trailer T, extra E B` for a `DecryptMessage` result.
fn describe_layout(layout: &RecordLayout) -> String {
    format!(
        "header {} | data {} | trailer {}, extra {} B",
        layout.header.len(),
        layout.data.len(),
        layout.trailer.len(),
        layout.extra.len()
    )
}

/// The first line of a message, quoted and escaped, for the trace.
fn first_line(data: &[u8]) -> String {
    let line = data.split(|&b| b == b'\n').next().unwrap_or_default();
    let line = line.strip_suffix(b"\r").unwrap_or(line);
    format!("{:?}", String::from_utf8_lossy(line))
}

/// A socket error in words, naming timeouts plainly.
fn describe_io(e: &io::Error) -> String {
    match e.kind() {
        io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut => {
            format!("no progress within {} s (timeout)", IO_TIMEOUT.as_secs())
        }
        _ => e.to_string(),
    }
}
