//! `openschannel client HOST:PORT`: standard input → TLS, TLS → standard output, with a close
//! that tells a clean end from truncation.
//!
//! ## Concurrency
//!
//! A blocking [`TlsStream`] cannot be split into a reading and a writing half (both directions
//! share one security context), so one thread — the main thread — owns the stream and does all
//! TLS work. Standard input, which cannot be read with a timeout, is read by a helper thread
//! that hands chunks of at most 16 KiB to the main thread over a bounded channel (so a fast
//! producer is slowed down, never buffered without limit). The main thread alternates:
//!
//! 1. read from the stream until nothing is available — the socket has a short read timeout
//!    ([`POLL`], 10 ms), and a timed-out read leaves the stream intact (a partial record stays
//!    buffered inside it) — copying plaintext to standard output;
//! 2. encrypt and send whatever standard input produced meanwhile (at most 64 KiB per turn,
//!    so reading is never starved and an echoing peer can never fill both socket buffers and
//!    deadlock with us).
//!
//! At standard-input EOF the shutdown procedure runs (`ApplyControlToken(SCHANNEL_SHUTDOWN)`,
//! the close_notify produced and sent), then the client keeps copying what the server still
//! sends until the server's close_notify, the end of the connection, or `--timeout`. Plaintext
//! that arrives after our close_notify is delivered, unlike `TlsStream::shutdown`, which
//! discards it. When the server closes first, the client answers with its own close_notify
//! and exits; input not yet sent is dropped.

use std::io::{self, Read, Write};
use std::net::TcpStream;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::mpsc::{self, Receiver, TryRecvError};
use std::thread;
use std::time::{Duration, Instant};

use clap::Args;
use openschannel::{
    ContextOptions, Credentials, ServerValidation, Status, StreamOptions, TlsStream,
};

use crate::common::{self, error_line, POLL};
use crate::trace::Tracer;

/// Exit status: the connection failed for any other reason.
const EXIT_FAILED: u8 = 1;
/// Exit status: the handshake (or certificate validation) failed.
const EXIT_HANDSHAKE: u8 = 2;
/// Exit status: the server ended the connection without close_notify.
const EXIT_TRUNCATED: u8 = 3;

/// Largest chunk read from standard input (one TLS record's worth of plaintext).
const CHUNK: usize = 16 * 1024;
/// At most this much input is sent before the client reads again.
const SEND_BUDGET: usize = 64 * 1024;
/// At most this much output is copied before the client looks at its input again.
const RECEIVE_BUDGET: usize = 256 * 1024;

const EXAMPLES: &str = "\
Examples:
  # Talk to openssl s_server (openssl s_server -accept 4433 -cert c.pem -key k.pem):
  openschannel client localhost:4433 --ca c.pem
  # (a self-signed c.pem from `openssl req -x509` needs
  #  `-addext basicConstraints=critical,CA:FALSE`: a CA certificate is refused as the
  #  server's own certificate, SEC_E_UNTRUSTED_ROOT ... CaUsedAsEndEntity)
  # An HTTPS request, trusting the platform store, offering HTTP/1.1 by ALPN:
  printf 'GET / HTTP/1.1\\r\\nHost: example.com\\r\\nConnection: close\\r\\n\\r\\n' \\
    | openschannel client example.com:443 --alpn http/1.1
  # Against `openschannel server` and its self-signed certificate, every SSPI call shown:
  echo hello | openschannel client 127.0.0.1:4433 --insecure --trace
  # Session resumption: two more connections with the same credential (one line each):
  openschannel client localhost:4433 --ca c.pem --reconnect 2 </dev/null
  # RFC 5705 keying material and the channel bindings (compare with openssl s_server
  # -keymatexport EXPERIMENTAL-mine -keymatexportlen 32):
  openschannel client localhost:4433 --ca c.pem \\
    --export-keying-material EXPERIMENTAL-mine:32 --print-bindings </dev/null
  # Decrypt a capture in Wireshark: the TLS secrets, NSS key log format (or SSLKEYLOGFILE):
  openschannel client localhost:4433 --ca c.pem --keylog /tmp/keys.log

Certificate validation (without --insecure) fails the handshake with Windows' statuses:
SEC_E_UNTRUSTED_ROOT (no chain to a trusted root; also a CA certificate used as the server's
own), SEC_E_WRONG_PRINCIPAL (name mismatch; an IP address HOST is matched against the
certificate's IP addresses and sends no SNI), SEC_E_CERT_EXPIRED (outside the validity
period); the server receives the matching alert (unknown_ca, bad_certificate,
certificate_expired).

Closing: at end of input the client runs Schannel's shutdown procedure (close_notify sent),
then copies what the server still sends until the server's close_notify arrives (at most
--timeout seconds). With --no-wait, a server that stays silent past the timeout is not an
error.

Exit status:
  0  clean close: the server's close_notify was received (both ways closed)
  1  any other failure (connection refused, bad file, TLS error after the handshake,
     no close_notify within --timeout)
  2  the handshake or certificate validation failed (the SEC_E_* status is printed);
     also command-line usage errors
  3  truncation: the server ended the connection without close_notify, so the data
     received may be incomplete";

/// Options of `openschannel client`.
#[derive(Debug, Args)]
#[command(after_help = EXAMPLES)]
pub struct ClientArgs {
    /// The server, as HOST:PORT (`[::1]:443` for IPv6).
    #[arg(value_name = "HOST:PORT", value_parser = parse_address)]
    address: String,
    /// Target name for SNI and the certificate name check (default: HOST).
    #[arg(long, value_name = "NAME")]
    servername: Option<String>,
    /// ALPN protocols to offer, in preference order (comma-separated).
    #[arg(long, value_name = "LIST", value_delimiter = ',', value_parser = common::parse_alpn)]
    alpn: Vec<String>,
    /// Offer TLS 1.2 only.
    #[arg(long, conflicts_with = "tls13")]
    tls12: bool,
    /// Offer TLS 1.3 only.
    #[arg(long)]
    tls13: bool,
    /// Trust exactly the certificates in this PEM file (default: the platform trust store).
    #[arg(long, value_name = "FILE", conflicts_with = "insecure")]
    ca: Option<PathBuf>,
    /// Do not validate the server's certificate (manual validation; its fingerprint is shown).
    #[arg(long)]
    insecure: bool,
    /// Client certificate chain (PEM, leaf first), sent when the server asks for one.
    #[arg(long, value_name = "FILE", requires = "key")]
    cert: Option<PathBuf>,
    /// Private key (PEM) of --cert.
    #[arg(long, value_name = "FILE", requires = "cert")]
    key: Option<PathBuf>,
    /// Print every SSPI-level call (status name, hex value, buffer summary) on stderr.
    #[arg(long)]
    trace: bool,
    /// No connection summary on stderr (errors are still printed).
    #[arg(long, short)]
    quiet: bool,
    /// Seconds to wait for the server's close_notify after ours.
    #[arg(long, value_name = "SECS", default_value = "5", value_parser = common::parse_secs)]
    timeout: Duration,
    /// Only send our close_notify: a server that does not answer within --timeout is fine.
    #[arg(long)]
    no_wait: bool,
    /// Seconds the server may stay silent during the handshake (then exit 2).
    #[arg(long, value_name = "SECS", default_value = "30", value_parser = common::parse_secs)]
    handshake_timeout: Duration,
    /// Make N more connections first, with the same credential (and so its session cache),
    /// each closed cleanly; print `connection I: resumed: yes|no` for every connection.
    /// Standard input goes to the last one.
    #[arg(long, value_name = "N", default_value = "0")]
    reconnect: u32,
    /// Print LEN bytes of RFC 5705 keying material exported with LABEL (no context) after the
    /// handshake (`SECPKG_ATTR_KEYING_MATERIAL`), as uppercase hex.
    #[arg(long, value_name = "LABEL:LEN", value_parser = common::parse_export)]
    export_keying_material: Option<(String, usize)>,
    /// Print the channel bindings after the handshake: tls-server-end-point (RFC 5929,
    /// `SECPKG_ATTR_ENDPOINT_BINDINGS`) and tls-exporter (RFC 9266).
    #[arg(long)]
    print_bindings: bool,
    /// Append the TLS secrets to FILE in NSS key log format, for Wireshark (default: the file
    /// named by SSLKEYLOGFILE, if set). Anyone who can read FILE can decrypt the traffic.
    #[arg(long, value_name = "FILE")]
    keylog: Option<PathBuf>,
}

/// Checks `HOST:PORT`.
fn parse_address(text: &str) -> Result<String, String> {
    match split_address(text) {
        Some(_) => Ok(text.to_owned()),
        None => Err("expected HOST:PORT, e.g. localhost:4433".to_owned()),
    }
}

/// Splits `HOST:PORT` (`[v6]:PORT`) into the host without brackets and the port.
fn split_address(text: &str) -> Option<(&str, u16)> {
    let (host, port) = text.rsplit_once(':')?;
    let port = port.parse().ok()?;
    let host = host
        .strip_prefix('[')
        .and_then(|h| h.strip_suffix(']'))
        .unwrap_or(host);
    (!host.is_empty()).then_some((host, port))
}

/// Why the client stops with a non-zero status: the status and the one line explaining it.
#[derive(Debug)]
struct Failure {
    code: u8,
    message: String,
}

impl Failure {
    fn new(code: u8, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
        }
    }

    /// A failure of the established connection: truncation (3) or anything else (1).
    fn connection(e: &io::Error) -> Self {
        if common::is_truncation(e) {
            let how = if e.kind() == io::ErrorKind::UnexpectedEof {
                "closed"
            } else {
                "reset"
            };
            Self::new(
                EXIT_TRUNCATED,
                format!(
                    "the server {how} the connection without close_notify (truncation): \
                     the data received may be incomplete"
                ),
            )
        } else {
            Self::new(
                EXIT_FAILED,
                format!("connection failed: {}", common::describe(e)),
            )
        }
    }
}

/// How the connection ended well.
#[derive(Debug, PartialEq, Eq)]
enum End {
    /// Both close_notify alerts were exchanged; `server_first` if the server started.
    Clean { server_first: bool },
    /// Our close_notify was sent; the server's did not come within the timeout (`--no-wait`).
    NotAnswered,
}

/// Runs `openschannel client`.
pub fn run(args: &ClientArgs) -> ExitCode {
    match session(args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => {
            error_line(&failure.message);
            ExitCode::from(failure.code)
        }
    }
}

fn session(args: &ClientArgs) -> Result<(), Failure> {
    let tracer = Tracer::stderr("client", args.trace);
    let (host, _) = split_address(&args.address)
        .ok_or_else(|| Failure::new(EXIT_FAILED, "expected HOST:PORT"))?;
    let server_name = args.servername.clone().unwrap_or_else(|| host.to_owned());
    let credentials = credentials(args, &tracer)?;

    // --reconnect: earlier connections, each closed cleanly, so the last can resume.
    for i in 1..=args.reconnect {
        let mut tls = connect(args, &credentials, &server_name, &tracer, i)?;
        // The shutdown reads until the server's close_notify, storing the TLS 1.3 tickets
        // that arrive first.
        if let Err(e) = tls.shutdown() {
            tracer.note(format_args!(
                "connection {i}: no clean close: {}",
                common::describe(&e)
            ));
        }
        tracer.event("DeleteSecurityContext", "");
    }
    let mut tls = connect(
        args,
        &credentials,
        &server_name,
        &tracer,
        args.reconnect + 1,
    )?;

    let mut pump = Pump {
        tls: &mut tls,
        tracer: &tracer,
        sent: 0,
        received: 0,
    };
    let result = pump.run(args);
    let (sent, received) = (pump.sent, pump.received);
    tracer.event("DeleteSecurityContext", "");
    drop(tls);
    let end = result?;
    if !args.quiet {
        let how = match end {
            End::Clean {
                server_first: false,
            } => "closed cleanly both ways".to_owned(),
            End::Clean { server_first: true } => {
                "closed cleanly both ways (the server closed first)".to_owned()
            }
            End::NotAnswered => format!(
                "close_notify sent; the server's did not arrive within {} s (--no-wait)",
                args.timeout.as_secs_f64()
            ),
        };
        error_line(format_args!("{how}; sent {sent} B, received {received} B"));
    }
    Ok(())
}

/// Connects and runs the handshake (connection number `n`), then prints what was asked for.
fn connect(
    args: &ClientArgs,
    credentials: &Credentials,
    server_name: &str,
    tracer: &Tracer,
    n: u32,
) -> Result<TlsStream<TcpStream>, Failure> {
    let tcp = TcpStream::connect(&args.address).map_err(|e| {
        Failure::new(
            EXIT_FAILED,
            format!("cannot connect to {}: {e}", args.address),
        )
    })?;
    let _ = tcp.set_nodelay(true);
    // A silent server must not hang the handshake (the copy loop sets its own timeouts).
    tcp.set_read_timeout(Some(args.handshake_timeout))
        .map_err(|e| Failure::new(EXIT_FAILED, format!("socket: {e}")))?;
    if let Ok(peer) = tcp.peer_addr() {
        tracer.io(format_args!("tcp connected to {peer}"));
    }
    let options = StreamOptions {
        context: ContextOptions {
            manual_validation: args.insecure,
            ..ContextOptions::default()
        },
        shutdown_timeout: Some(args.timeout),
        observer: args.trace.then(|| common::observer(tracer.clone())),
        ..StreamOptions::default()
    };
    let tls = TlsStream::connect_with(credentials, server_name, tcp, options).map_err(|e| {
        let why = if common::is_timeout(&e) {
            format!(
                "no answer from the server within {} s (--handshake-timeout)",
                args.handshake_timeout.as_secs_f64()
            )
        } else {
            common::describe(&e)
        };
        Failure::new(
            EXIT_HANDSHAKE,
            format!(
                "handshake with {} ({server_name}) failed: {why}",
                args.address
            ),
        )
    })?;
    common::trace_attributes(tracer, tls.context());
    if !args.quiet {
        error_line(connected_summary(args, server_name, &tls));
    }
    if args.reconnect > 0 {
        let resumed = if tls.is_resumed() { "yes" } else { "no" };
        error_line(format_args!("connection {n}: resumed: {resumed}"));
    }
    for line in common::export_lines(
        tls.context(),
        args.export_keying_material.as_ref(),
        args.print_bindings,
    ) {
        error_line(line);
    }
    Ok(tls)
}

/// AcquireCredentialsHandle(OUTBOUND) from the flags.
fn credentials(args: &ClientArgs, tracer: &Tracer) -> Result<Credentials, Failure> {
    let fail = |message: String| Failure::new(EXIT_FAILED, message);
    let protocols = common::protocols(args.tls12, args.tls13);
    let (validation, trust) = if args.insecure {
        (ServerValidation::Manual, "manual validation".to_owned())
    } else if let Some(path) = &args.ca {
        let roots = common::load_certificates("--ca", path).map_err(fail)?;
        let trust = format!("{} root(s) from {}", roots.len(), path.display());
        (ServerValidation::Roots(roots), trust)
    } else {
        (
            ServerValidation::Platform,
            "platform trust store".to_owned(),
        )
    };
    let mut builder = Credentials::client()
        .protocols(protocols)
        .validation(validation)
        .check_server_name(!args.insecure)
        .alpn(common::alpn_wire(&args.alpn));
    if let Some(path) = &args.keylog {
        builder = builder.key_log_file(path);
    }
    if let (Some(cert), Some(key)) = (&args.cert, &args.key) {
        let chain = common::load_certificates("--cert", cert).map_err(fail)?;
        let key = common::load_key(key).map_err(fail)?;
        builder = builder.client_certificate(chain, key);
    }
    let call = format!(
        "AcquireCredentialsHandle(OUTBOUND, {})",
        common::describe_protocols(protocols)
    );
    match builder.build() {
        Ok(credentials) => {
            tracer.call(call, Status::SEC_E_OK, trust);
            Ok(credentials)
        }
        Err(e) => {
            tracer.call(call, e.status(), e.detail());
            Err(fail(format!("client credentials: {e}")))
        }
    }
}

/// `connected to …: TLSv1.3, TLS13_AES_256_GCM_SHA384, ALPN h2, new session; server
/// certificate SHA-256 …`.
fn connected_summary(args: &ClientArgs, server_name: &str, tls: &TlsStream<TcpStream>) -> String {
    let protocol = tls.protocol().map_or("?".to_owned(), |p| p.to_string());
    let suite = tls.cipher_suite().map_or("?".to_owned(), |s| s.to_string());
    let alpn = match tls.alpn_protocol() {
        Some(p) => format!("ALPN {}", String::from_utf8_lossy(p)),
        None => "no ALPN".to_owned(),
    };
    let session = if tls.is_resumed() {
        "resumed session"
    } else {
        "new session"
    };
    let certificate = match tls.peer_certificates().first() {
        Some(leaf) => format!(
            "server certificate SHA-256 {}{}",
            common::fingerprint(leaf.der()),
            if args.insecure {
                " (NOT validated: --insecure)"
            } else {
                ""
            }
        ),
        None => "no server certificate".to_owned(),
    };
    format!(
        "connected to {} as {server_name}: {protocol}, {suite}, {alpn}, {session}; {certificate}",
        args.address
    )
}

/// What the standard-input thread hands over.
enum Input {
    Data(Vec<u8>),
    Eof,
    Error(io::Error),
}

/// Reads standard input on a helper thread (it cannot be read with a timeout).
fn spawn_stdin_reader() -> Receiver<Input> {
    let (tx, rx) = mpsc::sync_channel(4);
    thread::spawn(move || {
        let mut stdin = io::stdin().lock();
        loop {
            let mut chunk = vec![0; CHUNK];
            let input = match stdin.read(&mut chunk) {
                Ok(0) => Input::Eof,
                Ok(n) => {
                    chunk.truncate(n);
                    Input::Data(chunk)
                }
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => Input::Error(e),
            };
            let last = !matches!(input, Input::Data(_));
            if tx.send(input).is_err() || last {
                return;
            }
        }
    });
    rx
}

/// What one round of reading found.
enum Burst {
    /// Nothing more is available right now (or the budget was used).
    Idle,
    /// The server's close_notify arrived: the stream returns `Ok(0)`.
    PeerClosed,
}

/// The copy loop; see the [module docs](self).
struct Pump<'a> {
    tls: &'a mut TlsStream<TcpStream>,
    tracer: &'a Tracer,
    sent: u64,
    received: u64,
}

impl Pump<'_> {
    fn run(&mut self, args: &ClientArgs) -> Result<End, Failure> {
        self.set_read_timeout(POLL)?;
        let input = spawn_stdin_reader();
        let mut buf = vec![0; CHUNK + 1024];
        loop {
            if let Burst::PeerClosed = self.read_burst(&mut buf)? {
                return Ok(self.peer_closed_first());
            }
            let mut budget = SEND_BUDGET;
            while budget > 0 {
                match input.try_recv() {
                    Ok(Input::Data(chunk)) => {
                        budget = budget.saturating_sub(chunk.len());
                        self.send(&chunk, &mut buf)?;
                    }
                    Ok(Input::Eof) | Err(TryRecvError::Disconnected) => {
                        return self.close(args, &mut buf)
                    }
                    Ok(Input::Error(e)) => {
                        return Err(Failure::new(
                            EXIT_FAILED,
                            format!("reading standard input failed: {e}"),
                        ))
                    }
                    Err(TryRecvError::Empty) => break,
                }
            }
        }
    }

    fn set_read_timeout(&mut self, timeout: Duration) -> Result<(), Failure> {
        self.tls
            .get_ref()
            .set_read_timeout(Some(timeout.max(Duration::from_millis(1))))
            .map_err(|e| Failure::new(EXIT_FAILED, format!("socket: {e}")))
    }

    /// Copies plaintext to standard output until a read times out.
    fn read_burst(&mut self, buf: &mut [u8]) -> Result<Burst, Failure> {
        let mut out = io::stdout().lock();
        let mut copied = 0;
        let burst = loop {
            if copied >= RECEIVE_BUDGET {
                break Burst::Idle;
            }
            match self.tls.read(buf) {
                Ok(0) => break Burst::PeerClosed,
                Ok(n) => {
                    out.write_all(&buf[..n]).map_err(stdout_failure)?;
                    self.received += n as u64;
                    copied += n;
                }
                Err(e) if common::is_timeout(&e) => break Burst::Idle,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => {
                    let _ = out.flush();
                    return Err(Failure::connection(&e));
                }
            }
        };
        out.flush().map_err(stdout_failure)?;
        Ok(burst)
    }

    /// Sends one chunk of input. If the connection is gone, what the server sent last
    /// decides the exit status.
    fn send(&mut self, chunk: &[u8], buf: &mut [u8]) -> Result<(), Failure> {
        match self.tls.write_all(chunk).and_then(|()| self.tls.flush()) {
            Ok(()) => {
                self.sent += chunk.len() as u64;
                Ok(())
            }
            Err(e) if common::tls_error(&e).is_none() => {
                // The transport failed: find out whether the server had closed cleanly.
                let _ = self.set_read_timeout(Duration::from_secs(1));
                match self.read_burst(buf) {
                    Ok(Burst::PeerClosed) => Err(Failure::new(
                        EXIT_FAILED,
                        "the server closed the connection (close_notify) before all input was sent",
                    )),
                    Err(failure) if failure.code == EXIT_TRUNCATED => Err(failure),
                    _ => Err(Failure::new(EXIT_FAILED, format!("sending failed: {e}"))),
                }
            }
            Err(e) => Err(Failure::new(
                EXIT_FAILED,
                format!("sending failed: {}", common::describe(&e)),
            )),
        }
    }

    /// The server closed first: answer with our close_notify (TLS 1.2 streams already did)
    /// and stop. The server may be gone already; that is not an error (contract §8.5).
    fn peer_closed_first(&mut self) -> End {
        self.tracer
            .note("the server's close_notify arrived; answering with ours");
        if let Err(e) = self.tls.shutdown_send() {
            self.tracer.note(format_args!(
                "our close_notify could not be sent: {}",
                common::describe(&e)
            ));
        }
        End::Clean { server_first: true }
    }

    /// End of input: the shutdown procedure, then read until the server's close_notify.
    fn close(&mut self, args: &ClientArgs, buf: &mut [u8]) -> Result<End, Failure> {
        self.tracer
            .note("end of input: running the shutdown procedure");
        let sent = self.tls.shutdown_send();
        if let Err(e) = &sent {
            self.tracer.note(format_args!(
                "sending close_notify failed: {}",
                common::describe(e)
            ));
        }
        let deadline = Instant::now() + args.timeout;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                break;
            }
            self.set_read_timeout(left)?;
            match self.read_burst(buf)? {
                Burst::PeerClosed => {
                    return Ok(End::Clean {
                        server_first: false,
                    })
                }
                Burst::Idle => {}
            }
        }
        match sent {
            Err(e) => Err(Failure::new(
                EXIT_FAILED,
                format!("sending close_notify failed: {}", common::describe(&e)),
            )),
            Ok(()) if args.no_wait => Ok(End::NotAnswered),
            Ok(()) => Err(Failure::new(
                EXIT_FAILED,
                format!(
                    "the server did not answer our close_notify within {} s \
                     (use --timeout SECS to wait longer, --no-wait to accept this)",
                    args.timeout.as_secs_f64()
                ),
            )),
        }
    }
}

fn stdout_failure(e: io::Error) -> Failure {
    Failure::new(
        EXIT_FAILED,
        format!("writing to standard output failed: {e}"),
    )
}

/// Unit tests.
#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_split() {
        assert_eq!(split_address("localhost:4433"), Some(("localhost", 4433)));
        assert_eq!(split_address("[::1]:443"), Some(("::1", 443)));
        assert_eq!(split_address("127.0.0.1:0"), Some(("127.0.0.1", 0)));
        assert_eq!(split_address("localhost"), None);
        assert_eq!(split_address(":443"), None);
        assert_eq!(split_address("host:port"), None);
    }

    #[test]
    fn truncation_exits_3_other_failures_1() {
        let eof = io::Error::new(io::ErrorKind::UnexpectedEof, "truncated");
        let failure = Failure::connection(&eof);
        assert_eq!(failure.code, EXIT_TRUNCATED);
        assert!(failure.message.contains("without close_notify"));
        let reset = io::Error::from(io::ErrorKind::ConnectionReset);
        assert_eq!(Failure::connection(&reset).code, EXIT_TRUNCATED);
        let tls = io::Error::new(
            io::ErrorKind::InvalidData,
            openschannel::Error::new(Status::SEC_E_DECRYPT_FAILURE, "bad record mac"),
        );
        let failure = Failure::connection(&tls);
        assert_eq!(failure.code, EXIT_FAILED);
        assert!(failure
            .message
            .contains("SEC_E_DECRYPT_FAILURE (0x80090330)"));
    }
}
