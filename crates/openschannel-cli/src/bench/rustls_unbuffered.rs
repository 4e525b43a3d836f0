//! The `rustls-unbuffered` contender: rustls 0.23's unbuffered API
//! (`UnbufferedClientConnection` / `UnbufferedServerConnection`) driven directly over in-memory
//! buffers, the API openschannel itself is built on.
//!
//! Also home of what the two rustls contenders share: the configurations of a case
//! ([`rustls_configs`]) and the checks of an established pair ([`check_established`]).

use std::any::Any;
use std::sync::Arc;

use rustls::client::{
    ClientConnectionData, Resumption, Tls12Resumption, UnbufferedClientConnection,
};
use rustls::crypto::CryptoProvider;
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer, ServerName};
use rustls::server::{NoServerSessionStorage, ServerConnectionData, UnbufferedServerConnection};
use rustls::unbuffered::{ConnectionState, EncodeError, EncodeTlsData, UnbufferedStatus};
use rustls::{
    CipherSuite, ClientConfig, CommonState, HandshakeKind, ProtocolVersion, RootCertStore,
    ServerConfig,
};

use super::contender::{Connection, Connector, Contender, Pki, Setup, Version};

/// rustls' unbuffered API, driven directly.
pub struct RustlsUnbuffered;

impl Contender for RustlsUnbuffered {
    fn name(&self) -> &'static str {
        "rustls-unbuffered"
    }

    fn prepare(&self, pki: &Pki, setup: &Setup) -> Result<Box<dyn Connector>, String> {
        Ok(Box::new(UnbufferedConnector::new(pki, setup)?))
    }
}

/// The rustls configurations of one case, shared by both rustls contenders.
pub(crate) struct RustlsConfigs {
    /// The client configuration (trusting exactly the case's certificate).
    pub(crate) client: Arc<ClientConfig>,
    /// The server configuration.
    pub(crate) server: Arc<ServerConfig>,
    /// The name the client connects to: `localhost`.
    pub(crate) server_name: ServerName<'static>,
    /// The one cipher suite enabled.
    pub(crate) suite: CipherSuite,
    /// The one protocol version enabled.
    pub(crate) version: ProtocolVersion,
    /// Whether sessions are kept (every connect after the first must resume).
    pub(crate) resumption: bool,
}

/// Builds the client and server configurations of `setup`: aws-lc-rs with X25519 and the one
/// suite alone, one protocol version, the client trusting exactly the identity's certificate.
///
/// Sessions: with `setup.resumption` false, none anywhere (client `Resumption::disabled()`, no
/// server session storage, no tickets). With it true, TLS 1.3 resumes by tickets (the aws-lc-rs
/// ticketer, default ticket count) and TLS 1.2 by session id (server session cache, no ticketer;
/// client `Tls12Resumption::SessionIdOnly`, so it never asks for a TLS 1.2 ticket).
pub(crate) fn rustls_configs(pki: &Pki, setup: &Setup) -> Result<RustlsConfigs, String> {
    let suite = CipherSuite::from(setup.aead.suite(setup.version, setup.key));
    let (version, protocol) = match setup.version {
        Version::Tls12 => (&rustls::version::TLS12, ProtocolVersion::TLSv1_2),
        Version::Tls13 => (&rustls::version::TLS13, ProtocolVersion::TLSv1_3),
    };
    let mut provider = rustls::crypto::aws_lc_rs::default_provider();
    provider.kx_groups = vec![rustls::crypto::aws_lc_rs::kx_group::X25519];
    provider.cipher_suites.retain(|s| s.suite() == suite);
    if provider.cipher_suites.len() != 1 {
        return Err(format!("aws-lc-rs has no suite {suite:?}"));
    }
    let provider: Arc<CryptoProvider> = Arc::new(provider);
    let identity = pki.identity(setup.key);
    let cert = CertificateDer::from(identity.cert_der.clone());

    let mut roots = RootCertStore::empty();
    roots
        .add(cert.clone())
        .map_err(|e| format!("the certificate is not a usable root: {e}"))?;
    let mut client = ClientConfig::builder_with_provider(provider.clone())
        .with_protocol_versions(&[version])
        .map_err(|e| format!("client configuration: {e}"))?
        .with_root_certificates(roots)
        .with_no_client_auth();

    let key = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(identity.key_der.clone()));
    let mut server = ServerConfig::builder_with_provider(provider)
        .with_protocol_versions(&[version])
        .map_err(|e| format!("server configuration: {e}"))?
        .with_no_client_auth()
        .with_single_cert(vec![cert], key)
        .map_err(|e| format!("server certificate: {e}"))?;

    if !setup.resumption {
        client.resumption = Resumption::disabled();
        server.session_storage = Arc::new(NoServerSessionStorage {});
        server.send_tls13_tickets = 0;
    } else {
        client.resumption =
            Resumption::in_memory_sessions(256).tls12_resumption(Tls12Resumption::SessionIdOnly);
        match setup.version {
            Version::Tls13 => {
                // Stateless tickets; the session cache would only serve stateful ones.
                server.ticketer = rustls::crypto::aws_lc_rs::Ticketer::new()
                    .map_err(|e| format!("ticketer: {e}"))?;
                server.session_storage = Arc::new(NoServerSessionStorage {});
            }
            // The default server configuration already keeps 256 sessions by id and has no
            // ticketer, so no TLS 1.2 ticket is ever issued.
            Version::Tls12 => {}
        }
    }

    Ok(RustlsConfigs {
        client: Arc::new(client),
        server: Arc::new(server),
        server_name: ServerName::try_from("localhost").expect("a valid DNS name"),
        suite,
        version: protocol,
        resumption: setup.resumption,
    })
}

/// Whether the next connect on a connector must resume: never on the first one, and on every
/// later one exactly when the case keeps sessions. Counts the connect.
pub(crate) fn expect_resumed(resumption: bool, connects: &mut u64) -> bool {
    let resumed = resumption && *connects > 0;
    *connects += 1;
    resumed
}

/// Panics unless `side` (`"client"` or `"server"`) finished its handshake with the case's
/// version and suite, resumed exactly when `resumed`.
pub(crate) fn check_established(
    side: &CommonState,
    who: &str,
    configs: &RustlsConfigs,
    resumed: bool,
) {
    assert!(!side.is_handshaking(), "{who}: still handshaking");
    assert_eq!(
        side.protocol_version(),
        Some(configs.version),
        "{who}: protocol version"
    );
    assert_eq!(
        side.negotiated_cipher_suite().map(|s| s.suite()),
        Some(configs.suite),
        "{who}: cipher suite"
    );
    let kind = if resumed {
        HandshakeKind::Resumed
    } else {
        HandshakeKind::Full
    };
    assert_eq!(side.handshake_kind(), Some(kind), "{who}: handshake kind");
}

/// The largest close_notify record (TLS 1.2 AES-GCM: 5 + 8 + 2 + 16 = 31 bytes), with room.
const ALERT_ROOM: usize = 64;

/// Client and server configurations of one case, plus the handshake's in-memory buffers
/// (reused by every connect, so a connect allocates nothing on this side).
struct UnbufferedConnector {
    /// The configurations.
    configs: RustlsConfigs,
    /// How many connects happened (the first one is always full).
    connects: u64,
    /// Bytes in flight towards the client.
    to_client: Inbox,
    /// Bytes in flight towards the server.
    to_server: Inbox,
}

impl UnbufferedConnector {
    /// The connector of `setup`.
    fn new(pki: &Pki, setup: &Setup) -> Result<Self, String> {
        Ok(Self {
            configs: rustls_configs(pki, setup)?,
            connects: 0,
            to_client: Inbox::default(),
            to_server: Inbox::default(),
        })
    }

    /// One handshake, as [`Connector::connect`], returning the concrete pair.
    fn establish(&mut self) -> UnbufferedPair {
        let resumed = expect_resumed(self.configs.resumption, &mut self.connects);
        let mut client = UnbufferedClientConnection::new(
            self.configs.client.clone(),
            self.configs.server_name.clone(),
        )
        .expect("client connection");
        let mut server = UnbufferedServerConnection::new(self.configs.server.clone())
            .expect("server connection");
        self.to_client.clear();
        self.to_server.clear();
        // Each round lets the client, then the server, consume everything sent to it and send
        // what it has. The client goes last on what the server sends after the handshake
        // (TLS 1.3 NewSessionTickets): the loop ends once a round leaves nothing in flight.
        let mut rounds = 0;
        loop {
            pump(&mut client, &mut self.to_client, &mut self.to_server);
            pump(&mut server, &mut self.to_server, &mut self.to_client);
            if self.to_client.is_empty() && self.to_server.is_empty() {
                break;
            }
            rounds += 1;
            assert!(rounds < 16, "the handshake does not converge");
        }
        check_established(&client, "client", &self.configs, resumed);
        check_established(&server, "server", &self.configs, resumed);
        UnbufferedPair { client, server }
    }
}

impl Connector for UnbufferedConnector {
    fn connect(&mut self) -> Box<dyn Connection> {
        Box::new(self.establish())
    }
}

/// Bytes in flight towards one side. The side has discarded `buf[..start]`; what follows may
/// include a prefix rustls retained (a handshake message spanning records), which is handed
/// back unchanged, extended by whatever arrives later.
#[derive(Default)]
struct Inbox {
    /// The bytes, appended at the end.
    buf: Vec<u8>,
    /// How many leading bytes were discarded.
    start: usize,
}

impl Inbox {
    /// The bytes not yet discarded.
    fn pending(&mut self) -> &mut [u8] {
        &mut self.buf[self.start..]
    }

    /// Drops `n` more leading bytes, resetting the buffer (keeping its capacity) once all are.
    fn discard(&mut self, n: usize) {
        self.start += n;
        if self.start == self.buf.len() {
            self.clear();
        }
    }

    /// Whether nothing is left.
    fn is_empty(&self) -> bool {
        self.start == self.buf.len()
    }

    /// Empties the buffer, keeping its capacity.
    fn clear(&mut self) {
        self.buf.clear();
        self.start = 0;
    }
}

/// One side of an unbuffered connection, so that one loop drives both (rustls has
/// `process_tls_records` on each type, not on a trait).
trait Side {
    /// `ClientConnectionData` or `ServerConnectionData`.
    type Data;

    /// `process_tls_records`.
    fn process<'c, 'i>(
        &'c mut self,
        incoming: &'i mut [u8],
    ) -> UnbufferedStatus<'c, 'i, Self::Data>;
}

impl Side for UnbufferedClientConnection {
    type Data = ClientConnectionData;

    fn process<'c, 'i>(
        &'c mut self,
        incoming: &'i mut [u8],
    ) -> UnbufferedStatus<'c, 'i, Self::Data> {
        self.process_tls_records(incoming)
    }
}

impl Side for UnbufferedServerConnection {
    type Data = ServerConnectionData;

    fn process<'c, 'i>(
        &'c mut self,
        incoming: &'i mut [u8],
    ) -> UnbufferedStatus<'c, 'i, Self::Data> {
        self.process_tls_records(incoming)
    }
}

/// Runs one side of the handshake until it waits for its peer (`BlockedHandshake`) or is done
/// (`WriteTraffic`): it consumes `inbox` and appends what it sends to `outbox`.
fn pump<S: Side>(conn: &mut S, inbox: &mut Inbox, outbox: &mut Inbox) {
    loop {
        let UnbufferedStatus { discard, state } = conn.process(inbox.pending());
        let more = match state.unwrap_or_else(|e| panic!("handshake failed: {e}")) {
            ConnectionState::EncodeTlsData(mut encode) => {
                encode_into(&mut encode, &mut outbox.buf);
                true
            }
            ConnectionState::TransmitTlsData(transmit) => {
                // Everything encoded is already in the peer's inbox.
                transmit.done();
                true
            }
            ConnectionState::BlockedHandshake | ConnectionState::WriteTraffic(_) => false,
            other => panic!("unexpected {other:?} during the handshake"),
        };
        inbox.discard(discard);
        if !more {
            return;
        }
    }
}

/// Appends the chunk `encode` holds to `out`, growing it by exactly the chunk's size.
fn encode_into<D>(encode: &mut EncodeTlsData<'_, D>, out: &mut Vec<u8>) {
    let need = match encode.encode(&mut []) {
        Ok(_) => return,
        Err(EncodeError::InsufficientSize(e)) => e.required_size,
        Err(e) => panic!("encode: {e}"),
    };
    let at = out.len();
    out.resize(at + need, 0);
    let wrote = encode.encode(&mut out[at..]).expect("encode");
    assert_eq!(wrote, need, "encode wrote a different size");
}

/// An established, idle pair.
struct UnbufferedPair {
    /// The client.
    client: UnbufferedClientConnection,
    /// The server.
    server: UnbufferedServerConnection,
}

#[cfg(test)]
impl UnbufferedPair {
    /// The client's negotiated suite (IANA number).
    fn suite_id(&self) -> u16 {
        self.client
            .negotiated_cipher_suite()
            .map_or(0, |s| u16::from(s.suite()))
    }

    /// Whether the client resumed.
    fn resumed(&self) -> bool {
        self.client.handshake_kind() == Some(HandshakeKind::Resumed)
    }
}

impl Connection for UnbufferedPair {
    fn encrypt(&mut self, plain: &[u8], out: &mut [u8]) -> usize {
        let UnbufferedStatus { discard, state } = self.client.process_tls_records(&mut []);
        debug_assert_eq!(discard, 0);
        match state {
            // rustls seals into a Vec of its own and copies the record into `out`.
            Ok(ConnectionState::WriteTraffic(mut traffic)) => traffic
                .encrypt(plain, out)
                .unwrap_or_else(|e| panic!("encrypt: {e}")),
            Ok(other) => panic!("client not ready to write: {other:?}"),
            Err(e) => panic!("encrypt: {e}"),
        }
    }

    fn decrypt(&mut self, record: &mut [u8], plain_out: &mut [u8]) -> usize {
        let len = record.len();
        let UnbufferedStatus { discard, state } = self.server.process_tls_records(record);
        let n = match state {
            Ok(ConnectionState::ReadTraffic(mut traffic)) => {
                let app = traffic
                    .next_record()
                    .expect("one application-data record")
                    .unwrap_or_else(|e| panic!("decrypt: {e}"));
                debug_assert_eq!(app.discard, 0);
                plain_out[..app.payload.len()].copy_from_slice(app.payload);
                app.payload.len()
            }
            Ok(other) => panic!("server read no application data: {other:?}"),
            Err(e) => panic!("decrypt: {e}"),
        };
        assert_eq!(discard, len, "the record was not consumed whole");
        n
    }

    fn shutdown(self: Box<Self>) {
        let UnbufferedPair {
            mut client,
            mut server,
        } = *self;
        let mut alert = [0u8; ALERT_ROOM];
        let n = send_close_notify(&mut client, &mut alert, "client");
        receive_close_notify(&mut server, &mut alert[..n], "server");
        let n = send_close_notify(&mut server, &mut alert, "server");
        expect_closed(&mut server, "server");
        receive_close_notify(&mut client, &mut alert[..n], "client");
        expect_closed(&mut client, "client");
    }

    fn into_sides(self: Box<Self>) -> (Box<dyn Any>, Box<dyn Any>) {
        (Box::new(self.client), Box::new(self.server))
    }
}

/// `who` seals a close_notify alert into `out`; returns its length.
fn send_close_notify<S: Side>(conn: &mut S, out: &mut [u8], who: &str) -> usize {
    let UnbufferedStatus { state, .. } = conn.process(&mut []);
    match state {
        Ok(ConnectionState::WriteTraffic(mut traffic)) => traffic
            .queue_close_notify(out)
            .unwrap_or_else(|e| panic!("{who}: close_notify: {e}")),
        Ok(other) => panic!("{who}: cannot close in {other:?}"),
        Err(e) => panic!("{who}: {e}"),
    }
}

/// `who` reads `alert`, which must be a close_notify and nothing else.
fn receive_close_notify<S: Side>(conn: &mut S, alert: &mut [u8], who: &str) {
    let len = alert.len();
    let UnbufferedStatus { discard, state } = conn.process(alert);
    match state {
        Ok(ConnectionState::PeerClosed) => {}
        Ok(other) => panic!("{who}: no close_notify seen: {other:?}"),
        Err(e) => panic!("{who}: {e}"),
    }
    assert_eq!(discard, len, "{who}: the alert was not consumed whole");
}

/// `who`, having sent and received close_notify, must be `Closed`.
fn expect_closed<S: Side>(conn: &mut S, who: &str) {
    let UnbufferedStatus { state, .. } = conn.process(&mut []);
    match state {
        Ok(ConnectionState::Closed) => {}
        Ok(other) => panic!("{who}: not closed: {other:?}"),
        Err(e) => panic!("{who}: {e}"),
    }
}

/// A fresh ECDSA P-256 and RSA-2048 identity pair for tests (made once per test binary and
/// copied, as RSA key generation is slow).
#[cfg(test)]
pub(crate) fn test_pki() -> Pki {
    use std::sync::OnceLock;

    use super::contender::Identity;

    /// Copies an identity.
    fn copy(id: &Identity) -> Identity {
        Identity {
            cert_der: id.cert_der.clone(),
            key_der: id.key_der.clone(),
            cert_pem: id.cert_pem.clone(),
            key_pem: id.key_pem.clone(),
        }
    }

    /// A self-signed `localhost` certificate (serverAuth) for `key`.
    fn identity(key: rcgen::KeyPair) -> Identity {
        let mut params =
            rcgen::CertificateParams::new(vec!["localhost".to_string()]).expect("params");
        params
            .distinguished_name
            .push(rcgen::DnType::CommonName, "localhost");
        params.extended_key_usages = vec![rcgen::ExtendedKeyUsagePurpose::ServerAuth];
        let cert = params.self_signed(&key).expect("self-signed certificate");
        Identity {
            cert_der: cert.der().to_vec(),
            key_der: key.serialize_der(),
            cert_pem: cert.pem(),
            key_pem: key.serialize_pem(),
        }
    }

    static PKI: OnceLock<Pki> = OnceLock::new();
    let pki = PKI.get_or_init(|| Pki {
        ecdsa: identity(
            rcgen::KeyPair::generate_for(&rcgen::PKCS_ECDSA_P256_SHA256).expect("ECDSA key"),
        ),
        rsa: identity(
            rcgen::KeyPair::generate_rsa_for(&rcgen::PKCS_RSA_SHA256, rcgen::RsaKeySize::_2048)
                .expect("RSA key"),
        ),
    });
    Pki {
        ecdsa: copy(&pki.ecdsa),
        rsa: copy(&pki.rsa),
    }
}

/// The test matrix: TLS 1.2 and 1.3 × the three AEADs with ECDSA, plus one RSA case per
/// version.
#[cfg(test)]
pub(crate) fn test_setups(resumption: bool) -> Vec<Setup> {
    use super::contender::{Aead, KeyType};

    let mut setups = Vec::new();
    for version in [Version::Tls12, Version::Tls13] {
        for aead in [Aead::Aes128Gcm, Aead::Aes256Gcm, Aead::Chacha20Poly1305] {
            setups.push(Setup {
                version,
                aead,
                key: KeyType::EcdsaP256,
                resumption,
            });
        }
    }
    setups.push(Setup {
        version: Version::Tls12,
        aead: Aead::Aes128Gcm,
        key: KeyType::Rsa2048,
        resumption,
    });
    setups.push(Setup {
        version: Version::Tls13,
        aead: Aead::Aes256Gcm,
        key: KeyType::Rsa2048,
        resumption,
    });
    setups
}

/// Moves records of 1, 64, 1024 and 16384 bytes (each size twice) through `conn`, checking
/// that `encrypt` writes exactly one record of the exact expected size at the start of `out`
/// and that `decrypt` gives the plaintext back (in `plain_out`); then shuts `conn` down.
#[cfg(test)]
pub(crate) fn exercise(mut conn: Box<dyn Connection>, setup: &Setup) {
    use super::contender::Aead;

    let overhead = match (setup.version, setup.aead) {
        (Version::Tls13, _) => 22,
        (Version::Tls12, Aead::Chacha20Poly1305) => 21,
        (Version::Tls12, _) => 29,
    };
    let mut out = vec![0xA5u8; 16384 + 256];
    let mut plain_out = vec![0u8; 16384];
    for (i, size) in [1usize, 64, 1024, 16384, 1, 64, 1024, 16384]
        .into_iter()
        .enumerate()
    {
        let plain: Vec<u8> = (0..size).map(|j| (j * 7 + i) as u8).collect();
        let n = conn.encrypt(&plain, &mut out[..size + 256]);
        let record = &mut out[..n];
        assert_eq!(record.len(), size + overhead, "{setup:?}: record size");
        assert_eq!(record[0], 0x17, "{setup:?}: application_data");
        assert_eq!(&record[1..3], &[3, 3], "{setup:?}: legacy version");
        let len = usize::from(u16::from_be_bytes([record[3], record[4]]));
        assert_eq!(len + 5, record.len(), "{setup:?}: exactly one record");
        plain_out.fill(0);
        let n = conn.decrypt(record, &mut plain_out);
        assert_eq!(n, size, "{setup:?}: plaintext length");
        assert_eq!(&plain_out[..n], &plain[..], "{setup:?}: plaintext");
    }
    conn.shutdown();
}

/// Unit tests.
#[cfg(test)]
mod tests {
    use super::*;

    /// Three connects on one connector: suite and resumption as asked, records round-trip,
    /// clean shutdown.
    fn run(setup: Setup) {
        let pki = test_pki();
        let mut connector = UnbufferedConnector::new(&pki, &setup).expect("prepare");
        for i in 0..3 {
            let pair = connector.establish();
            assert_eq!(
                pair.suite_id(),
                setup.aead.suite(setup.version, setup.key),
                "{setup:?}"
            );
            assert_eq!(pair.resumed(), setup.resumption && i > 0, "{setup:?} #{i}");
            exercise(Box::new(pair), &setup);
        }
    }

    /// Every case, full handshakes only.
    #[test]
    fn full_handshakes() {
        for setup in test_setups(false) {
            run(setup);
        }
    }

    /// Every case, later connects resuming.
    #[test]
    fn resumed_handshakes() {
        for setup in test_setups(true) {
            run(setup);
        }
    }

    /// Through the `Contender` trait: name, prepare, connect.
    #[test]
    fn through_the_trait() {
        let pki = test_pki();
        assert_eq!(RustlsUnbuffered.name(), "rustls-unbuffered");
        assert!(RustlsUnbuffered.handshakes());
        let setup = test_setups(true)[0];
        let mut connector = RustlsUnbuffered.prepare(&pki, &setup).expect("prepare");
        for _ in 0..2 {
            exercise(connector.connect(), &setup);
        }
    }
}
