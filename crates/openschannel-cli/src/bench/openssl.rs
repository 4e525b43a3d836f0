//! The `openssl` contender: the system libssl through the `openssl` crate's safe API
//! (`SslStream` over an in-memory duplex that answers `WouldBlock` when empty, i.e. memory
//! BIOs), both ends in this thread.
//!
//! Resumed cases: TLS 1.3 by stateless tickets, TLS 1.2 by session ids (`SSL_OP_NO_TICKET`);
//! the client is handed its previous session through `openssl_session::SessionSlot` (the
//! crate's `set_session` is `unsafe`, and unsafe code lives in the C ABI crate's directory).

use std::any::Any;
use std::cell::RefCell;
use std::io::{self, ErrorKind, Read, Write};
use std::rc::Rc;

use openssl::error::ErrorStack;
use openssl::pkey::PKey;
use openssl::ssl::{
    ErrorCode, ShutdownResult, ShutdownState, Ssl, SslContext, SslContextBuilder, SslMethod,
    SslOptions, SslSessionCacheMode, SslStream, SslVerifyMode, SslVersion,
};
use openssl::x509::X509;

use super::contender::{Connection, Connector, Contender, KeyType, Pki, Setup, Version};
use openschannel_ffi::harness::openssl_session::SessionSlot;

/// OpenSSL through the `openssl` crate.
pub struct OpenSsl;

impl Contender for OpenSsl {
    fn name(&self) -> &'static str {
        "openssl"
    }

    fn prepare(&self, pki: &Pki, setup: &Setup) -> Result<Box<dyn Connector>, String> {
        Ok(Box::new(OpenSslConnector::new(pki, setup)?))
    }
}

/// The room the handshake buffers start with, enough for any flight here.
const FLIGHT_ROOM: usize = 4096;

/// Client and server contexts of one case, plus the buffers handshakes run through (lent to
/// each new pair's pipes and taken back once it is established, so a connect allocates none).
struct OpenSslConnector {
    /// The client context (the one version and suite, X25519, the certificate as the only
    /// trusted root, host name `localhost` checked) and the session the next connection
    /// resumes (none for full-handshake cases).
    client: SessionSlot,
    /// Whether connections after the first must resume.
    resumption: bool,
    /// Connections made so far.
    connects: u64,
    /// The server context: likewise, with the identity; session cache and tickets only for
    /// resumed cases.
    server: SslContext,
    /// The IANA number of the one suite.
    suite: u16,
    /// The one version.
    version: SslVersion,
    /// The client → server buffer between handshakes.
    spare_to_server: Vec<u8>,
    /// The server → client buffer between handshakes.
    spare_to_client: Vec<u8>,
}

impl OpenSslConnector {
    /// The connector of `setup`.
    fn new(pki: &Pki, setup: &Setup) -> Result<Self, String> {
        let fail = |e: ErrorStack| format!("OpenSSL configuration: {e}");
        let identity = pki.identity(setup.key);
        let cert = X509::from_der(&identity.cert_der).map_err(fail)?;

        let mut server = context(SslMethod::tls_server(), setup).map_err(fail)?;
        server.set_certificate(&cert).map_err(fail)?;
        let key = PKey::private_key_from_pkcs8(&identity.key_der).map_err(fail)?;
        server.set_private_key(&key).map_err(fail)?;
        server.check_private_key().map_err(fail)?;
        if !setup.resumption {
            // TLS 1.3 sends tickets even with SSL_OP_NO_TICKET (stateful ones): none at all.
            server.set_num_tickets(0).map_err(fail)?;
        }

        let mut client = context(SslMethod::tls_client(), setup).map_err(fail)?;
        client.set_verify(SslVerifyMode::PEER);
        client.cert_store_mut().add_cert(cert).map_err(fail)?;
        client
            .verify_param_mut()
            .set_host("localhost")
            .map_err(fail)?;

        Ok(Self {
            client: SessionSlot::new(client.build()),
            resumption: setup.resumption,
            connects: 0,
            server: server.build(),
            suite: setup.aead.suite(setup.version, setup.key),
            version: ssl_version(setup.version),
            spare_to_server: Vec::with_capacity(FLIGHT_ROOM),
            spare_to_client: Vec::with_capacity(FLIGHT_ROOM),
        })
    }

    /// One handshake, as [`Connector::connect`], returning the concrete pair.
    fn establish(&mut self) -> OpenSslPair {
        let to_server = Pipe::shared(std::mem::take(&mut self.spare_to_server));
        let to_client = Pipe::shared(std::mem::take(&mut self.spare_to_client));
        let mut ssl = self.client.new_ssl().expect("client SSL");
        ssl.set_hostname("localhost").expect("SNI");
        let mut client = SslStream::new(
            ssl,
            End {
                inbound: to_client.clone(),
                outbound: to_server.clone(),
            },
        )
        .expect("client stream");
        let mut server = SslStream::new(
            Ssl::new(&self.server).expect("server SSL"),
            End {
                inbound: to_server.clone(),
                outbound: to_client.clone(),
            },
        )
        .expect("server stream");

        let (mut client_done, mut server_done) = (false, false);
        let mut rounds = 0;
        while !(client_done && server_done) {
            if !client_done {
                client_done = stepped(client.connect(), "client");
            }
            if !server_done {
                server_done = stepped(server.accept(), "server");
            }
            rounds += 1;
            assert!(rounds < 16, "the handshake does not converge");
        }
        // Whatever the server sent after its last handshake step (NewSessionTickets, were
        // there any) is consumed by the client, which then has nothing to read.
        if !to_client.borrow().is_empty() {
            match client.ssl_read(&mut [0u8; 1]) {
                Err(e) if e.code() == ErrorCode::WANT_READ => {}
                Ok(_) => panic!("client: application data after the handshake"),
                Err(e) => panic!("client: after the handshake: {e}"),
            }
        }
        assert!(
            to_client.borrow().is_empty() && to_server.borrow().is_empty(),
            "bytes left in flight after the handshake"
        );
        let resumed = self.resumption && self.connects > 0;
        for (side, who) in [(client.ssl(), "client"), (server.ssl(), "server")] {
            assert_eq!(side.version2(), Some(self.version), "{who}: version");
            let suite = side.current_cipher().map(|c| c.protocol_id());
            assert_eq!(suite, Some(self.suite.to_be_bytes()), "{who}: cipher suite");
            assert_eq!(side.session_reused(), resumed, "{who}: resumed");
        }
        if self.resumption {
            assert!(self.client.remember(client.ssl()), "client session");
        }
        self.connects += 1;
        // The handshake buffers go back to the connector: an idle pair holds none of ours.
        self.spare_to_client = to_client.borrow_mut().take_buffer();
        self.spare_to_server = to_server.borrow_mut().take_buffer();
        OpenSslPair {
            client: Quiet(client),
            server: Quiet(server),
            to_server,
            to_client,
        }
    }
}

impl Connector for OpenSslConnector {
    fn connect(&mut self) -> Box<dyn Connection> {
        Box::new(self.establish())
    }
}

/// The OpenSSL constant of `version`.
fn ssl_version(version: Version) -> SslVersion {
    match version {
        Version::Tls12 => SslVersion::TLS1_2,
        Version::Tls13 => SslVersion::TLS1_3,
    }
}

/// What client and server contexts share: the one version, the one suite (the other
/// version's list emptied), the groups of [`groups`], no session cache, no tickets.
fn context(method: SslMethod, setup: &Setup) -> Result<SslContextBuilder, ErrorStack> {
    let mut ctx = SslContextBuilder::new(method)?;
    let version = ssl_version(setup.version);
    ctx.set_min_proto_version(Some(version))?;
    ctx.set_max_proto_version(Some(version))?;
    let suite = setup.aead.openssl_name(setup.version, setup.key);
    match setup.version {
        Version::Tls13 => ctx.set_ciphersuites(suite)?,
        Version::Tls12 => {
            ctx.set_cipher_list(suite)?;
            ctx.set_ciphersuites("")?;
        }
    }
    ctx.set_groups_list(groups(setup))?;
    if !setup.resumption {
        ctx.set_session_cache_mode(SslSessionCacheMode::OFF);
    }
    if !setup.resumption || setup.version == Version::Tls12 {
        // TLS 1.2 resumes by session id (no tickets); full-handshake cases keep nothing.
        ctx.set_options(SslOptions::NO_TICKET);
    }
    Ok(ctx)
}

/// The supported groups of both sides. X25519 alone, except with TLS 1.2 and an ECDSA
/// certificate: there OpenSSL also needs the certificate's curve among the supported groups
/// of both sides (RFC 8422 §5.1: the list also governs ECDSA certificates) and refuses the
/// suite otherwise. P-256 is then listed after X25519, so the key exchange still takes X25519
/// (checked in the tests).
fn groups(setup: &Setup) -> &'static str {
    match (setup.version, setup.key) {
        (Version::Tls12, KeyType::EcdsaP256) => "X25519:P-256",
        _ => "X25519",
    }
}

/// The outcome of one `SSL_connect` / `SSL_accept` call: done (true), waiting for the peer
/// (false), or a panic.
fn stepped(result: Result<(), openssl::ssl::Error>, who: &str) -> bool {
    match result {
        Ok(()) => true,
        Err(e) if e.code() == ErrorCode::WANT_READ => false,
        Err(e) => panic!("{who}: handshake failed: {e}"),
    }
}

/// Bytes in flight towards one side: appended at the end, read from `start`.
#[derive(Default)]
struct Pipe {
    /// The bytes.
    buf: Vec<u8>,
    /// How many leading bytes were read.
    start: usize,
}

/// A pipe both ends hold.
type SharedPipe = Rc<RefCell<Pipe>>;

impl Pipe {
    /// A pipe over `buf` (emptied first; its capacity is what counts).
    fn shared(mut buf: Vec<u8>) -> SharedPipe {
        buf.clear();
        Rc::new(RefCell::new(Pipe { buf, start: 0 }))
    }

    /// The bytes not read yet.
    fn pending(&self) -> &[u8] {
        &self.buf[self.start..]
    }

    /// Whether everything was read.
    fn is_empty(&self) -> bool {
        self.start == self.buf.len()
    }

    /// Marks `n` more bytes read, emptying the pipe (keeping its capacity) once all are.
    fn consume(&mut self, n: usize) {
        self.start += n;
        if self.start == self.buf.len() {
            self.buf.clear();
            self.start = 0;
        }
    }

    /// Takes the buffer out of an empty pipe, leaving it one without capacity.
    fn take_buffer(&mut self) -> Vec<u8> {
        debug_assert!(self.is_empty());
        self.start = 0;
        std::mem::take(&mut self.buf)
    }
}

/// One side's end of the duplex: it reads what its peer wrote and writes what its peer reads.
struct End {
    /// Towards this side.
    inbound: SharedPipe,
    /// Towards the peer.
    outbound: SharedPipe,
}

impl Read for End {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        let mut pipe = self.inbound.borrow_mut();
        let pending = pipe.pending();
        if pending.is_empty() {
            return Err(ErrorKind::WouldBlock.into());
        }
        let n = pending.len().min(out.len());
        out[..n].copy_from_slice(&pending[..n]);
        pipe.consume(n);
        Ok(n)
    }
}

impl Write for End {
    fn write(&mut self, data: &[u8]) -> io::Result<usize> {
        self.outbound.borrow_mut().buf.extend_from_slice(data);
        Ok(data.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// An established, idle pair.
struct OpenSslPair {
    /// The client.
    client: Quiet,
    /// The server.
    server: Quiet,
    /// Client → server bytes (also in the ends; kept here for direct access).
    to_server: SharedPipe,
    /// Server → client bytes.
    to_client: SharedPipe,
}

impl Connection for OpenSslPair {
    fn encrypt(&mut self, plain: &[u8], out: &mut [u8]) -> usize {
        // OpenSSL seals into its write buffer and hands the record to the duplex (one copy,
        // the "send"); the record is then copied from there into `out`.
        let n = self.client.ssl_write(plain).expect("SSL_write");
        assert_eq!(n, plain.len(), "partial write");
        let mut pipe = self.to_server.borrow_mut();
        let record = pipe.pending();
        let len = record.len();
        assert!(
            len >= 5 && usize::from(u16::from_be_bytes([record[3], record[4]])) + 5 == len,
            "SSL_write did not produce exactly one record"
        );
        out[..len].copy_from_slice(record);
        pipe.consume(len);
        len
    }

    fn decrypt(&mut self, record: &mut [u8], plain_out: &mut [u8]) -> usize {
        // The record goes into the server's inbound pipe (a copy), OpenSSL reads it into its
        // read buffer (the "recv"), opens it there and copies the plaintext into `plain_out`.
        self.to_server.borrow_mut().buf.extend_from_slice(record);
        let n = self.server.ssl_read(plain_out).expect("SSL_read");
        assert!(
            self.to_server.borrow().is_empty(),
            "the record was not consumed whole"
        );
        n
    }

    fn shutdown(self: Box<Self>) {
        let OpenSslPair {
            mut client,
            mut server,
            to_server,
            to_client,
        } = *self;
        match client.shutdown() {
            Ok(ShutdownResult::Sent) => {}
            Ok(ShutdownResult::Received) => panic!("client: close_notify received too early"),
            Err(e) => panic!("client: SSL_shutdown: {e}"),
        }
        expect_close_notify(&mut server, "server");
        match server.shutdown() {
            Ok(ShutdownResult::Received) => {}
            Ok(ShutdownResult::Sent) => panic!("server: shutdown not complete"),
            Err(e) => panic!("server: SSL_shutdown: {e}"),
        }
        expect_close_notify(&mut client, "client");
        assert!(
            to_server.borrow().is_empty() && to_client.borrow().is_empty(),
            "bytes left in flight after the shutdown"
        );
    }

    fn into_sides(self: Box<Self>) -> (Box<dyn Any>, Box<dyn Any>) {
        (Box::new(self.client), Box::new(self.server))
    }
}

/// One side's stream. Dropped without `SSL_shutdown`, OpenSSL would mark its session as not
/// resumable (`ssl_clear_bad_session`); an application that closes quietly tells OpenSSL the
/// connection ended properly (`SSL_set_shutdown`), which dropping this does, so the bench's
/// connect-and-drop loop can resume like the other contenders' loops.
struct Quiet(SslStream<End>);

impl std::ops::Deref for Quiet {
    type Target = SslStream<End>;

    fn deref(&self) -> &SslStream<End> {
        &self.0
    }
}

impl std::ops::DerefMut for Quiet {
    fn deref_mut(&mut self) -> &mut SslStream<End> {
        &mut self.0
    }
}

impl Drop for Quiet {
    fn drop(&mut self) {
        self.0
            .set_shutdown(ShutdownState::SENT | ShutdownState::RECEIVED);
    }
}

/// `who` reads its peer's close_notify: `SSL_read` reports the clean end of the stream and
/// the shutdown state has `RECEIVED`.
fn expect_close_notify(side: &mut SslStream<End>, who: &str) {
    match side.ssl_read(&mut [0u8; 1]) {
        Err(e) if e.code() == ErrorCode::ZERO_RETURN => {}
        Ok(_) => panic!("{who}: data instead of close_notify"),
        Err(e) => panic!("{who}: no clean close: {e}"),
    }
    assert!(
        side.get_shutdown().contains(ShutdownState::RECEIVED),
        "{who}: close_notify not recorded"
    );
}

/// Unit tests.
#[cfg(test)]
mod tests {
    use super::*;
    use crate::bench::rustls_unbuffered::{exercise, test_pki, test_setups};

    /// Three connects on one connector: version and suite as asked (checked inside
    /// `establish`, and again here), never resumed, records round-trip, clean shutdown.
    #[test]
    fn full_handshakes() {
        let pki = test_pki();
        for setup in test_setups(false) {
            let mut connector = OpenSslConnector::new(&pki, &setup).expect("prepare");
            for _ in 0..3 {
                let pair = connector.establish();
                let ssl = pair.client.ssl();
                assert_eq!(
                    ssl.current_cipher().map(|c| c.protocol_id()),
                    Some(setup.aead.suite(setup.version, setup.key).to_be_bytes()),
                    "{setup:?}"
                );
                assert_eq!(
                    ssl.current_cipher().map(|c| c.name()),
                    Some(setup.aead.openssl_name(setup.version, setup.key)),
                    "{setup:?}"
                );
                assert!(!ssl.session_reused(), "{setup:?}");
                let kx = ssl.peer_tmp_key().expect("the server's key share");
                assert_eq!(
                    kx.id(),
                    openssl::pkey::Id::X25519,
                    "{setup:?}: key exchange"
                );
                exercise(Box::new(pair), &setup);
            }
        }
    }

    /// Resumption cases are declined with a reason.
    #[test]
    fn resumed_handshakes() {
        let pki = test_pki();
        for setup in test_setups(true) {
            let mut connector = OpenSsl.prepare(&pki, &setup).expect("prepare");
            // connect() asserts full first, resumed afterwards, on both sides — also after a
            // connection dropped without a shutdown (as the handshake benchmark does).
            drop(connector.connect());
            drop(connector.connect());
            for _ in 0..3 {
                let mut conn = connector.connect();
                let mut record = vec![0u8; 64 + 256];
                let mut plain_out = vec![0u8; 16384 + 256];
                let n = conn.encrypt(b"resumed", &mut record);
                assert_eq!(conn.decrypt(&mut record[..n], &mut plain_out), 7);
                assert_eq!(&plain_out[..7], b"resumed");
                conn.shutdown();
            }
        }
    }

    /// Through the `Contender` trait: name, prepare, connect.
    #[test]
    fn through_the_trait() {
        let pki = test_pki();
        assert_eq!(OpenSsl.name(), "openssl");
        let setup = test_setups(false)[4];
        let mut connector = OpenSsl.prepare(&pki, &setup).expect("prepare");
        for _ in 0..2 {
            exercise(connector.connect(), &setup);
        }
    }
}
