//! `openschannel server --listen ADDR`: a TLS server for testing peers, one thread per
//! connection, one log line per connection saying how it ended.
//!
//! Every connection thread owns its blocking [`TlsStream`]; its socket has a 100 ms read
//! timeout so the thread notices a stop request (Ctrl-C / SIGTERM) between reads. On a stop,
//! the accept loop ends and every open connection gets our close_notify
//! (`TlsStream::shutdown_send`); the process exits 0 once they are done (waiting at most
//! `--timeout` + 1 s).
//!
//! How a connection ended, as logged:
//! * `clean both ways` — both close_notify alerts were exchanged, whoever started;
//! * `peer truncated` — the client's side ended (FIN or reset) without close_notify;
//! * `no close_notify from the peer within N s` — ours was sent, theirs never came;
//! * `stopped: our close_notify sent` — the server was stopped with the connection open;
//! * `error SEC_E_… (0x…): detail` — a TLS failure (handshake or later), or `error: …` for
//!   another I/O failure; `error (timeout): …` for a client that did not complete the
//!   handshake within `--handshake-timeout`.

use std::io::{self, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;
use std::thread;
use std::time::{Duration, Instant};

use clap::Args;
use openschannel::{ClientAuth, Credentials, Status, StreamOptions, TlsStream};

use crate::certgen;
use crate::common::{self, error_line};
use crate::signals;
use crate::trace::Tracer;

/// Read timeout of connection sockets: how quickly a connection notices a stop request.
const CONNECTION_POLL: Duration = Duration::from_millis(100);
/// How often the accept loop looks for a stop request.
const ACCEPT_POLL: Duration = Duration::from_millis(20);
/// Largest plaintext chunk read or written at once.
const CHUNK: usize = 16 * 1024;

/// The bytes `--source` sends, repeated: 63 printable characters and a newline.
pub const SOURCE_PATTERN: &[u8; 64] =
    b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+\n";

const EXAMPLES: &str = "\
Examples:
  # An echo server with a fresh self-signed certificate (its SHA-256 fingerprint is printed):
  openschannel server --listen 127.0.0.1:4433
  # Talk to it with OpenSSL (type lines; Ctrl-D sends close_notify):
  openssl s_client -connect 127.0.0.1:4433 -servername localhost
  # Your own certificate, TLS 1.2 only, offering h2 and http/1.1 by ALPN, calls traced:
  openschannel server --listen 0.0.0.0:8443 --cert chain.pem --key key.pem --tls12 \\
    --alpn h2,http/1.1 --trace
  # Send 1 MiB to each client, then close first (our close_notify, then wait for theirs):
  openschannel server --source 1048576
  # Serve exactly two connections, then exit (for scripts):
  openschannel server --listen 127.0.0.1:0 --max-connections 2
  # Ask for client certificates issued by ca.pem (and refuse clients without one):
  openschannel server --client-ca ca.pem --require-client-cert
  # Only clients speaking h2; no session resumption; channel bindings logged:
  openschannel server --alpn h2 --alpn-required --no-reconnects --print-bindings

Standard error gets `listening on ADDR` (the real port when ADDR has port 0), the certificate's
SHA-256 fingerprint, and one line per connection:
  #1 127.0.0.1:50312: TLSv1.3, TLS13_AES_256_GCM_SHA384, no ALPN, in 6 B, out 6 B: clean both ways
The end is one of: clean both ways | peer truncated | no close_notify from the peer within N s
| stopped: our close_notify sent | error SEC_E_... (0x...): detail. After the ALPN come
`, resumed` for a resumed session and `, client certificate SHA-256 ...` when the client sent
one.

Ctrl-C (or SIGTERM) stops accepting, sends close_notify on every open connection and exits 0;
a second Ctrl-C exits at once (130).

Exit status: 0 after a stop or --max-connections; 1 when the server cannot start (bad file,
address in use); 2 for command-line usage errors.";

/// Options of `openschannel server`.
#[derive(Debug, Args)]
#[command(after_help = EXAMPLES)]
pub struct ServerArgs {
    /// Address to listen on (port 0: any free port, printed at start).
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1:4433")]
    listen: String,
    /// Certificate chain (PEM, leaf first); default: a generated self-signed certificate for
    /// localhost and 127.0.0.1.
    #[arg(long, value_name = "FILE", requires = "key")]
    cert: Option<PathBuf>,
    /// Private key (PEM) of --cert.
    #[arg(long, value_name = "FILE", requires = "cert")]
    key: Option<PathBuf>,
    /// Send back everything received (the default mode).
    #[arg(long, group = "mode")]
    echo: bool,
    /// Read and discard everything received.
    #[arg(long, group = "mode")]
    sink: bool,
    /// Send BYTES bytes (a repeated printable pattern), then close (our close_notify first).
    #[arg(long, group = "mode", value_name = "BYTES")]
    source: Option<u64>,
    /// Initiate the shutdown procedure after the first reply (--echo) or the first data
    /// received (--sink), instead of waiting for the client to close.
    #[arg(long)]
    close_first: bool,
    /// ALPN protocols to accept, in preference order (comma-separated).
    #[arg(long, value_name = "LIST", value_delimiter = ',', value_parser = common::parse_alpn)]
    alpn: Vec<String>,
    /// Require a client certificate chaining to --client-ca (without this flag, --client-ca
    /// alone makes a certificate optional but verified when sent).
    #[arg(long, requires = "client_ca")]
    require_client_cert: bool,
    /// Trust anchors (PEM) for client certificates; the server then asks clients for one.
    #[arg(long, value_name = "FILE")]
    client_ca: Option<PathBuf>,
    /// Accept TLS 1.2 only.
    #[arg(long, conflicts_with = "tls13")]
    tls12: bool,
    /// Accept TLS 1.3 only.
    #[arg(long)]
    tls13: bool,
    /// Print every SSPI-level call of every connection on stderr (`[server #N] …`).
    #[arg(long)]
    trace: bool,
    /// Exit after serving N connections.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..))]
    max_connections: Option<u64>,
    /// Seconds to wait for the client's close_notify after ours.
    #[arg(long, value_name = "SECS", default_value = "5", value_parser = common::parse_secs)]
    timeout: Duration,
    /// Seconds a client may stay silent during the handshake before it is dropped.
    #[arg(long, value_name = "SECS", default_value = "30", value_parser = common::parse_secs)]
    handshake_timeout: Duration,
    /// Refuse clients that offer none of the --alpn protocols (or no ALPN at all):
    /// SEC_E_APPLICATION_PROTOCOL_MISMATCH, alert no_application_protocol. Without it such
    /// clients connect without an application protocol, as on Windows.
    #[arg(long, requires = "alpn")]
    alpn_required: bool,
    /// No session resumption (SCH_CRED_DISABLE_RECONNECTS): no session cache, no tickets.
    #[arg(long)]
    no_reconnects: bool,
    /// Log LEN bytes of RFC 5705 keying material exported with LABEL for every connection.
    #[arg(long, value_name = "LABEL:LEN", value_parser = common::parse_export)]
    export_keying_material: Option<(String, usize)>,
    /// Log the channel bindings (tls-server-end-point, tls-exporter) of every connection.
    #[arg(long)]
    print_bindings: bool,
    /// Append the TLS secrets to FILE in NSS key log format, for Wireshark (default: the file
    /// named by SSLKEYLOGFILE, if set). Anyone who can read FILE can decrypt the traffic.
    #[arg(long, value_name = "FILE")]
    keylog: Option<PathBuf>,
}

/// What a connection does with the data.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Mode {
    Echo,
    Sink,
    Source(u64),
}

/// Settings and state shared by all connection threads.
struct Shared {
    credentials: Credentials,
    mode: Mode,
    close_first: bool,
    timeout: Duration,
    handshake_timeout: Duration,
    trace: bool,
    export_keying_material: Option<(String, usize)>,
    print_bindings: bool,
    /// Raised by Ctrl-C / SIGTERM.
    stop: Arc<AtomicBool>,
    /// Connections being served.
    active: AtomicUsize,
}

/// Runs `openschannel server`.
pub fn run(args: &ServerArgs) -> ExitCode {
    match serve(args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            error_line(message);
            ExitCode::FAILURE
        }
    }
}

fn serve(args: &ServerArgs) -> Result<(), String> {
    let tracer = Tracer::stderr("server", args.trace);
    let (chain, key, origin) = match (&args.cert, &args.key) {
        (Some(cert), Some(key)) => (
            common::load_certificates("--cert", cert)?,
            common::load_key(key)?,
            cert.display().to_string(),
        ),
        _ => {
            let id = certgen::self_signed_localhost().map_err(|e| e.to_string())?;
            let origin = format!(
                "generated self-signed for {}",
                certgen::SUBJECT_ALT_NAMES.join(", ")
            );
            (id.chain(), id.key, origin)
        }
    };
    let leaf = common::fingerprint(chain[0].der());
    let protocols = common::protocols(args.tls12, args.tls13);
    let call = format!(
        "AcquireCredentialsHandle(INBOUND, {})",
        common::describe_protocols(protocols)
    );
    let client_auth = match &args.client_ca {
        None => ClientAuth::None,
        Some(path) => {
            let roots = common::load_certificates("--client-ca", path)?;
            if args.require_client_cert {
                ClientAuth::Required(roots)
            } else {
                ClientAuth::Optional(roots)
            }
        }
    };
    let mut builder = Credentials::server(chain, key)
        .protocols(protocols)
        .alpn(common::alpn_wire(&args.alpn))
        .alpn_required(args.alpn_required)
        .client_auth(client_auth);
    if args.no_reconnects {
        builder = builder.session_cache_size(0);
    }
    if let Some(path) = &args.keylog {
        builder = builder.key_log_file(path);
    }
    let credentials = match builder.build() {
        Ok(c) => {
            tracer.call(call, Status::SEC_E_OK, &origin);
            c
        }
        Err(e) => {
            tracer.call(call, e.status(), e.detail());
            return Err(format!("server credentials: {e}"));
        }
    };
    let mode = match (args.sink, args.source) {
        (true, _) => Mode::Sink,
        (_, Some(n)) => Mode::Source(n),
        _ => Mode::Echo,
    };

    let listener = TcpListener::bind(&args.listen)
        .map_err(|e| format!("cannot listen on {}: {e}", args.listen))?;
    let local = listener
        .local_addr()
        .map_err(|e| format!("cannot listen on {}: {e}", args.listen))?;
    listener
        .set_nonblocking(true)
        .map_err(|e| format!("listening socket: {e}"))?;
    let stop = signals::watch().map_err(|e| format!("cannot watch for Ctrl-C: {e}"))?;
    let shared = Arc::new(Shared {
        credentials,
        mode,
        close_first: args.close_first,
        timeout: args.timeout,
        handshake_timeout: args.handshake_timeout,
        trace: args.trace,
        export_keying_material: args.export_keying_material.clone(),
        print_bindings: args.print_bindings,
        stop,
        active: AtomicUsize::new(0),
    });

    error_line(format_args!("certificate: {origin}; SHA-256 {leaf}"));
    let mode_name = match mode {
        Mode::Echo => "echo".to_owned(),
        Mode::Sink => "sink".to_owned(),
        Mode::Source(n) => format!("source {n} B"),
    };
    error_line(format_args!(
        "listening on {local} ({mode_name}, {})",
        common::describe_protocols(protocols)
    ));

    let served = accept_loop(&listener, &shared, args.max_connections);
    drop(listener);
    wait_for_connections(&shared);
    error_line(format_args!("stopped after {served} connection(s)"));
    Ok(())
}

/// Accepts until a stop request or `max` connections; returns how many were accepted.
fn accept_loop(listener: &TcpListener, shared: &Arc<Shared>, max: Option<u64>) -> u64 {
    let mut accepted = 0;
    while !shared.stop.load(Ordering::SeqCst) && max.is_none_or(|max| accepted < max) {
        match listener.accept() {
            Ok((tcp, peer)) => {
                accepted += 1;
                shared.active.fetch_add(1, Ordering::SeqCst);
                let id = accepted;
                let conn_shared = Arc::clone(shared);
                let spawned = thread::Builder::new()
                    .name(format!("connection {id}"))
                    .spawn(move || {
                        let _guard = ActiveGuard(&conn_shared.active);
                        connection(id, tcp, peer, &conn_shared);
                    });
                if let Err(e) = spawned {
                    shared.active.fetch_sub(1, Ordering::SeqCst);
                    error_line(format_args!("#{id} {peer}: cannot start a thread: {e}"));
                }
            }
            Err(e) if e.kind() == io::ErrorKind::WouldBlock => thread::sleep(ACCEPT_POLL),
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => {
                error_line(format_args!("accept failed: {e}"));
                thread::sleep(ACCEPT_POLL);
            }
        }
    }
    accepted
}

/// Waits for the connection threads: without limit while serving normally, at most
/// `timeout + 1 s` once a stop was requested.
fn wait_for_connections(shared: &Shared) {
    let mut deadline = None;
    while shared.active.load(Ordering::SeqCst) > 0 {
        if shared.stop.load(Ordering::SeqCst) {
            let deadline = *deadline
                .get_or_insert_with(|| Instant::now() + shared.timeout + Duration::from_secs(1));
            if Instant::now() >= deadline {
                error_line(format_args!(
                    "{} connection(s) still busy; exiting anyway",
                    shared.active.load(Ordering::SeqCst)
                ));
                return;
            }
        }
        thread::sleep(ACCEPT_POLL);
    }
}

/// Decrements the active-connection count when a connection thread ends, even by a panic.
struct ActiveGuard<'a>(&'a AtomicUsize);

impl Drop for ActiveGuard<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

/// How a connection ended (see the module docs for the logged words).
#[derive(Debug)]
enum Outcome {
    CleanBothWays,
    PeerTruncated,
    NoAnswer(Duration),
    Stopped,
    /// The client closed cleanly but our answering close_notify could not be sent.
    PeerClosedReplyFailed(String),
    Error(String),
}

impl std::fmt::Display for Outcome {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::CleanBothWays => f.write_str("clean both ways"),
            Self::PeerTruncated => f.write_str("peer truncated"),
            Self::NoAnswer(t) => write!(
                f,
                "no close_notify from the peer within {} s",
                t.as_secs_f64()
            ),
            Self::Stopped => f.write_str("stopped: our close_notify sent"),
            Self::PeerClosedReplyFailed(e) => write!(
                f,
                "peer closed cleanly; our close_notify could not be sent: {e}"
            ),
            Self::Error(e) => write!(f, "error {e}"),
        }
    }
}

impl Outcome {
    /// The outcome of a failed stream operation.
    fn from_error(e: &io::Error) -> Self {
        if common::is_truncation(e) {
            Self::PeerTruncated
        } else if common::tls_error(e).is_some() {
            Self::Error(common::describe(e))
        } else {
            Self::Error(format!("(I/O): {e}"))
        }
    }
}

/// Byte counts of one connection.
#[derive(Debug, Default)]
struct Counts {
    received: u64,
    sent: u64,
}

/// Serves one connection and logs its line.
fn connection(id: u64, tcp: TcpStream, peer: SocketAddr, shared: &Shared) {
    let tracer = Tracer::stderr(format!("server #{id}"), shared.trace);
    tracer.io(format_args!("tcp accepted from {peer}"));
    let mut counts = Counts::default();
    let (params, outcome) = match handshake(tcp, shared, &tracer) {
        Ok(mut tls) => {
            let params = parameters(&tls);
            common::trace_attributes(&tracer, tls.context());
            for line in common::export_lines(
                tls.context(),
                shared.export_keying_material.as_ref(),
                shared.print_bindings,
            ) {
                error_line(format_args!("#{id} {line}"));
            }
            let outcome = exchange(&mut tls, shared, &mut counts);
            tracer.event("DeleteSecurityContext", "");
            (params, outcome)
        }
        Err(outcome) => ("handshake failed".to_owned(), outcome),
    };
    error_line(format_args!(
        "#{id} {peer}: {params}, in {} B, out {} B: {outcome}",
        counts.received, counts.sent
    ));
}

fn handshake(
    tcp: TcpStream,
    shared: &Shared,
    tracer: &Tracer,
) -> Result<TlsStream<TcpStream>, Outcome> {
    let setup = |e: io::Error| Outcome::Error(format!("(I/O): {e}"));
    // Accepted sockets must block (the listener does not).
    tcp.set_nonblocking(false).map_err(setup)?;
    tcp.set_read_timeout(Some(shared.handshake_timeout))
        .map_err(setup)?;
    let _ = tcp.set_nodelay(true);
    let options = StreamOptions {
        shutdown_timeout: Some(shared.timeout),
        observer: shared.trace.then(|| common::observer(tracer.clone())),
        ..StreamOptions::default()
    };
    let tls = TlsStream::accept_with(&shared.credentials, tcp, options).map_err(|e| {
        if common::tls_error(&e).is_some() {
            Outcome::Error(common::describe(&e))
        } else if common::is_timeout(&e) {
            Outcome::Error(format!(
                "(timeout): the handshake was not completed within {} s",
                shared.handshake_timeout.as_secs_f64()
            ))
        } else {
            Outcome::Error(format!("(I/O): {e}"))
        }
    })?;
    tls.get_ref()
        .set_read_timeout(Some(CONNECTION_POLL))
        .map_err(setup)?;
    Ok(tls)
}

/// `TLSv1.3, TLS13_AES_256_GCM_SHA384, ALPN h2`, then `, resumed` for a resumed session and
/// `, client certificate SHA-256 …` when the client sent one.
fn parameters(tls: &TlsStream<TcpStream>) -> String {
    let protocol = tls.protocol().map_or("?".to_owned(), |p| p.to_string());
    let suite = tls.cipher_suite().map_or("?".to_owned(), |s| s.to_string());
    let alpn = match tls.alpn_protocol() {
        Some(p) => format!("ALPN {}", String::from_utf8_lossy(p)),
        None => "no ALPN".to_owned(),
    };
    let mut line = format!("{protocol}, {suite}, {alpn}");
    if tls.is_resumed() {
        line.push_str(", resumed");
    }
    if let Some(leaf) = tls.peer_certificates().first() {
        line.push_str(&format!(
            ", client certificate SHA-256 {}",
            common::fingerprint(leaf.der())
        ));
    }
    line
}

/// The data phase and the close, per mode.
fn exchange(tls: &mut TlsStream<TcpStream>, shared: &Shared, counts: &mut Counts) -> Outcome {
    if let Mode::Source(total) = shared.mode {
        return source(tls, shared, counts, total);
    }
    let mut buf = vec![0; CHUNK];
    loop {
        if shared.stop.load(Ordering::SeqCst) {
            return stop(tls);
        }
        match tls.read(&mut buf) {
            Ok(0) => return peer_closed(tls),
            Ok(n) => {
                counts.received += n as u64;
                if shared.mode == Mode::Echo {
                    if let Err(e) = tls.write_all(&buf[..n]).and_then(|()| tls.flush()) {
                        return Outcome::from_error(&e);
                    }
                    counts.sent += n as u64;
                }
                if shared.close_first {
                    return close(tls, shared);
                }
            }
            Err(e) if common::is_timeout(&e) || e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Outcome::from_error(&e),
        }
    }
}

/// `--source`: send the pattern, then close first.
fn source(
    tls: &mut TlsStream<TcpStream>,
    shared: &Shared,
    counts: &mut Counts,
    total: u64,
) -> Outcome {
    let block: Vec<u8> = SOURCE_PATTERN.iter().copied().cycle().take(CHUNK).collect();
    while counts.sent < total {
        if shared.stop.load(Ordering::SeqCst) {
            return stop(tls);
        }
        // The pattern is aligned on the total count, so chunks concatenate seamlessly.
        let n = (total - counts.sent).min(CHUNK as u64) as usize;
        if let Err(e) = tls.write_all(&block[..n]) {
            return Outcome::from_error(&e);
        }
        counts.sent += n as u64;
    }
    if let Err(e) = tls.flush() {
        return Outcome::from_error(&e);
    }
    close(tls, shared)
}

/// We close first: the shutdown procedure, then the bounded wait for the client's
/// close_notify (application data arriving meanwhile is discarded).
fn close(tls: &mut TlsStream<TcpStream>, shared: &Shared) -> Outcome {
    match tls.shutdown() {
        Ok(()) => Outcome::CleanBothWays,
        Err(e) if e.kind() == io::ErrorKind::TimedOut && common::tls_error(&e).is_none() => {
            Outcome::NoAnswer(shared.timeout)
        }
        Err(e) => Outcome::from_error(&e),
    }
}

/// The client closed first: answer with our close_notify (a TLS 1.2 stream already did).
fn peer_closed(tls: &mut TlsStream<TcpStream>) -> Outcome {
    match tls.shutdown_send() {
        Ok(()) => Outcome::CleanBothWays,
        Err(e) => Outcome::PeerClosedReplyFailed(common::describe(&e)),
    }
}

/// A stop request with the connection open: send our close_notify and go.
fn stop(tls: &mut TlsStream<TcpStream>) -> Outcome {
    match tls.shutdown_send() {
        Ok(()) => Outcome::Stopped,
        Err(e) => Outcome::from_error(&e),
    }
}

/// Unit tests.
#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn outcomes_read_as_documented() {
        assert_eq!(Outcome::CleanBothWays.to_string(), "clean both ways");
        assert_eq!(Outcome::PeerTruncated.to_string(), "peer truncated");
        let tls = io::Error::new(
            io::ErrorKind::InvalidData,
            openschannel::Error::new(Status::SEC_E_ILLEGAL_MESSAGE, "bad"),
        );
        assert_eq!(
            Outcome::from_error(&tls).to_string(),
            "error SEC_E_ILLEGAL_MESSAGE (0x80090326): bad"
        );
        let eof = io::Error::new(io::ErrorKind::UnexpectedEof, "gone");
        assert_eq!(Outcome::from_error(&eof).to_string(), "peer truncated");
        assert_eq!(
            Outcome::NoAnswer(Duration::from_millis(1500)).to_string(),
            "no close_notify from the peer within 1.5 s"
        );
    }

    #[test]
    fn source_pattern_is_printable_lines() {
        assert_eq!(SOURCE_PATTERN.len(), 64);
        assert_eq!(SOURCE_PATTERN[63], b'\n');
        assert!(SOURCE_PATTERN[..63].iter().all(|b| b.is_ascii_graphic()));
    }
}
