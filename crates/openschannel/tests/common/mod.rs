//! Shared vocabulary for the integration tests: generated PKIs, credentials, and an in-memory
//! SSPI-style endpoint that drives a context exactly as a Windows application drives Schannel.
#![allow(dead_code)]

use std::collections::VecDeque;
use std::sync::OnceLock;

use openschannel::{
    Certificate, CipherSuite, ContextOptions, ControlToken, Credentials, Decrypted,
    HandshakeStatus, PrivateKey, Protocols, SecurityContext, ServerValidation, Status,
};

/// The kind of key the server certificate carries.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum KeyKind {
    EcdsaP256,
    EcdsaP384,
    Rsa2048,
    Ed25519,
}

/// A CA and a leaf for `localhost` / 127.0.0.1 signed by it.
pub struct Pki {
    pub ca: Certificate,
    pub chain: Vec<Certificate>,
    pub key_der: Vec<u8>,
    pub cert_pem: String,
    pub key_pem: String,
}

impl Pki {
    pub fn key(&self) -> PrivateKey {
        PrivateKey::from_der(&self.key_der).expect("generated key")
    }
}

fn generate(kind: KeyKind) -> Pki {
    use rcgen::{BasicConstraints, CertificateParams, CertifiedIssuer, DnType, IsCa, KeyPair};
    let ca_key = KeyPair::generate_for(&rcgen::PKCS_ECDSA_P256_SHA256).unwrap();
    let mut ca_params = CertificateParams::new(Vec::<String>::new()).unwrap();
    ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    ca_params.distinguished_name.push(
        DnType::CommonName,
        format!("openschannel test CA ({kind:?})"),
    );
    let ca = CertifiedIssuer::self_signed(ca_params, ca_key).unwrap();
    let leaf_key = match kind {
        KeyKind::EcdsaP256 => KeyPair::generate_for(&rcgen::PKCS_ECDSA_P256_SHA256),
        KeyKind::EcdsaP384 => KeyPair::generate_for(&rcgen::PKCS_ECDSA_P384_SHA384),
        KeyKind::Ed25519 => KeyPair::generate_for(&rcgen::PKCS_ED25519),
        KeyKind::Rsa2048 => {
            KeyPair::generate_rsa_for(&rcgen::PKCS_RSA_SHA256, rcgen::RsaKeySize::_2048)
        }
    }
    .unwrap();
    let mut params =
        CertificateParams::new(vec!["localhost".to_string(), "127.0.0.1".to_string()]).unwrap();
    params
        .distinguished_name
        .push(DnType::CommonName, "localhost");
    let leaf = params.signed_by(&leaf_key, &ca).unwrap();
    Pki {
        ca: Certificate::from_der(ca.der().to_vec()),
        chain: vec![
            Certificate::from_der(leaf.der().to_vec()),
            Certificate::from_der(ca.der().to_vec()),
        ],
        key_der: leaf_key.serialize_der(),
        cert_pem: leaf.pem() + &ca.pem(),
        key_pem: leaf_key.serialize_pem(),
    }
}

/// A PKI per key kind, generated once per test binary.
pub fn pki(kind: KeyKind) -> &'static Pki {
    static P256: OnceLock<Pki> = OnceLock::new();
    static P384: OnceLock<Pki> = OnceLock::new();
    static RSA: OnceLock<Pki> = OnceLock::new();
    static ED: OnceLock<Pki> = OnceLock::new();
    let cell = match kind {
        KeyKind::EcdsaP256 => &P256,
        KeyKind::EcdsaP384 => &P384,
        KeyKind::Rsa2048 => &RSA,
        KeyKind::Ed25519 => &ED,
    };
    cell.get_or_init(|| generate(kind))
}

pub fn server_credentials(kind: KeyKind, protocols: Protocols) -> Credentials {
    let p = pki(kind);
    Credentials::server(p.chain.clone(), p.key())
        .protocols(protocols)
        .build()
        .unwrap()
}

pub fn client_credentials(kind: KeyKind, protocols: Protocols) -> Credentials {
    Credentials::client()
        .protocols(protocols)
        .validation(ServerValidation::Roots(vec![pki(kind).ca.clone()]))
        .build()
        .unwrap()
}

/// Client and server credentials restricted to one suite.
pub fn suite_credentials(kind: KeyKind, suite: CipherSuite) -> (Credentials, Credentials) {
    let protocols = match suite.protocol().unwrap() {
        openschannel::Protocol::Tls12 => Protocols::TLS12_ONLY,
        openschannel::Protocol::Tls13 => Protocols::TLS13_ONLY,
    };
    let p = pki(kind);
    let client = Credentials::client()
        .protocols(protocols)
        .cipher_suites(vec![suite])
        .validation(ServerValidation::Roots(vec![p.ca.clone()]))
        .build()
        .unwrap();
    let server = Credentials::server(p.chain.clone(), p.key())
        .protocols(protocols)
        .cipher_suites(vec![suite])
        .build()
        .unwrap();
    (client, server)
}

/// One direction of an in-memory connection.
#[derive(Default)]
pub struct Wire {
    pub bytes: VecDeque<u8>,
    /// Everything ever written (the recorded conversation).
    pub log: Vec<u8>,
}

impl Wire {
    pub fn send(&mut self, data: &[u8]) {
        self.bytes.extend(data);
        self.log.extend_from_slice(data);
    }
}

/// What a receive loop ended with.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RecvEnd {
    /// `SEC_I_CONTEXT_EXPIRED`.
    Expired,
    /// The wire ran dry inside or before a record (the missing count of the last call).
    Starved(usize),
    /// A fatal error.
    Failed(Status),
}

/// How an endpoint's `recv` splits the incoming byte stream.
#[derive(Clone, Debug)]
pub enum Chunking {
    /// At most this many bytes per read.
    Fixed(usize),
    /// Random read sizes in 1..=max, from a seed.
    Random { seed: u64, max: usize },
    /// Everything available, except that one read ends exactly at this stream offset.
    SplitAt(usize),
}

/// An SSPI application endpoint: a context plus its receive buffer, reading from the wire as
/// `recv` would (see [`Chunking`]).
pub struct Endpoint {
    pub ctx: SecurityContext,
    pub inbox: Vec<u8>,
    pub chunking: Chunking,
    /// Bytes read from the wire so far.
    pub received: usize,
    /// Non-empty handshake output tokens sent.
    pub tokens_sent: usize,
    /// Every status returned by handshake/decrypt, in order (SEC_E_INCOMPLETE_MESSAGE too).
    pub statuses: Vec<Status>,
    pub handshake_done: bool,
}

impl Endpoint {
    pub fn new(ctx: SecurityContext, chunk: usize) -> Self {
        Self {
            ctx,
            inbox: Vec::new(),
            chunking: Chunking::Fixed(chunk),
            received: 0,
            tokens_sent: 0,
            statuses: Vec::new(),
            handshake_done: false,
        }
    }

    pub fn client(creds: &Credentials, chunk: usize) -> Self {
        Self::new(
            SecurityContext::client(creds, Some("localhost"), ContextOptions::default()).unwrap(),
            chunk,
        )
    }

    pub fn server(creds: &Credentials, chunk: usize) -> Self {
        Self::new(
            SecurityContext::server(creds, ContextOptions::default()).unwrap(),
            chunk,
        )
    }

    /// Reads from `wire` per the chunking policy; false if it was empty.
    pub fn read(&mut self, wire: &mut Wire) -> bool {
        let want = match &mut self.chunking {
            Chunking::Fixed(n) => *n,
            Chunking::Random { seed, max } => {
                *seed ^= *seed << 13;
                *seed ^= *seed >> 7;
                *seed ^= *seed << 17;
                1 + (*seed as usize) % *max
            }
            Chunking::SplitAt(k) if self.received < *k => *k - self.received,
            Chunking::SplitAt(_) => usize::MAX,
        };
        let n = wire.bytes.len().min(want);
        if n == 0 {
            return false;
        }
        self.inbox.extend(wire.bytes.drain(..n));
        self.received += n;
        true
    }

    /// Runs handshake steps until it needs bytes the wire does not have, or completes.
    pub fn handshake_step(
        &mut self,
        inbound: &mut Wire,
        outbound: &mut Wire,
    ) -> Result<(), Status> {
        loop {
            if self.handshake_done {
                return Ok(());
            }
            let mut token = Vec::new();
            let r = self.ctx.handshake(&self.inbox, &mut token);
            match r {
                Err(e) => {
                    self.statuses.push(e.status());
                    outbound.send(&token);
                    return Err(e.status());
                }
                Ok(o) => {
                    self.statuses.push(o.status.status());
                    if !token.is_empty() {
                        self.tokens_sent += 1;
                    }
                    outbound.send(&token);
                    self.inbox.drain(..o.consumed);
                    match o.status {
                        HandshakeStatus::Ok => {
                            self.handshake_done = true;
                            return Ok(());
                        }
                        HandshakeStatus::ContinueNeeded if !self.inbox.is_empty() => continue,
                        // Continue without a client certificate: the same input again.
                        HandshakeStatus::IncompleteCredentials => continue,
                        HandshakeStatus::ContinueNeeded
                        | HandshakeStatus::IncompleteMessage { .. } => {
                            if !self.read(inbound) {
                                return Ok(());
                            }
                        }
                    }
                }
            }
        }
    }

    /// Encrypts `data` as records of at most `cbMaximumMessage` bytes onto `outbound`.
    pub fn send(&mut self, data: &[u8], outbound: &mut Wire) -> Result<(), openschannel::Error> {
        let sizes = self.ctx.stream_sizes()?;
        for chunk in data.chunks(sizes.max_message) {
            let mut record = vec![0u8; sizes.header + chunk.len() + sizes.trailer];
            record[sizes.header..sizes.header + chunk.len()].copy_from_slice(chunk);
            let written = self.ctx.encrypt(&mut record, chunk.len())?;
            assert_eq!(written.header, sizes.header, "header is exactly cbHeader");
            assert_eq!(written.total(), record.len(), "exactly one record");
            outbound.send(&record[..written.total()]);
        }
        Ok(())
    }

    /// The caller's receive loop: decrypts until the wire runs dry or the peer closes,
    /// servicing SEC_I_RENEGOTIATE through handshake() (its output goes to `outbound`).
    pub fn recv(
        &mut self,
        inbound: &mut Wire,
        outbound: &mut Wire,
        plain: &mut Vec<u8>,
    ) -> RecvEnd {
        loop {
            match self.ctx.decrypt(&mut self.inbox) {
                Err(e) => {
                    self.statuses.push(e.status());
                    return RecvEnd::Failed(e.status());
                }
                Ok(d) => {
                    self.statuses.push(d.status());
                    match d {
                        Decrypted::Data(l) => {
                            plain.extend_from_slice(&self.inbox[l.data.clone()]);
                            self.inbox.drain(..l.extra.start);
                        }
                        Decrypted::Renegotiate(l) => {
                            self.inbox.drain(..l.extra.start);
                            let mut token = Vec::new();
                            let o = self.ctx.handshake(&self.inbox, &mut token).unwrap();
                            assert_eq!(o.status, HandshakeStatus::Ok);
                            assert_eq!(o.consumed, 0, "post-handshake step consumes nothing");
                            outbound.send(&token);
                        }
                        Decrypted::ContextExpired(l) => {
                            assert!(l.data.is_empty());
                            self.inbox.drain(..l.extra.start);
                            return RecvEnd::Expired;
                        }
                        Decrypted::IncompleteMessage { missing } => {
                            if !self.read(inbound) {
                                return RecvEnd::Starved(missing);
                            }
                        }
                    }
                }
            }
        }
    }

    /// Steps 1–2 of the shutdown procedure; returns the token (sent to `outbound`).
    pub fn shutdown(&mut self, outbound: &mut Wire) -> Vec<u8> {
        self.ctx
            .apply_control_token(ControlToken::Shutdown)
            .unwrap();
        let mut token = Vec::new();
        let o = self.ctx.handshake(&[], &mut token).unwrap();
        assert_eq!(
            o.status,
            HandshakeStatus::Ok,
            "shutdown ISC/ASC returns SEC_E_OK"
        );
        assert!(!token.is_empty());
        outbound.send(&token);
        token
    }
}

/// A client and a server over two in-memory wires.
pub struct Pair {
    pub client: Endpoint,
    pub server: Endpoint,
    pub c2s: Wire,
    pub s2c: Wire,
}

impl Pair {
    pub fn new(client_creds: &Credentials, server_creds: &Credentials, chunk: usize) -> Self {
        Self {
            client: Endpoint::client(client_creds, chunk),
            server: Endpoint::server(server_creds, chunk),
            c2s: Wire::default(),
            s2c: Wire::default(),
        }
    }

    /// Runs both handshakes to completion.
    pub fn handshake(&mut self) -> Result<(), Status> {
        for _ in 0..100_000 {
            self.client.handshake_step(&mut self.s2c, &mut self.c2s)?;
            self.server.handshake_step(&mut self.c2s, &mut self.s2c)?;
            if self.client.handshake_done && self.server.handshake_done {
                return Ok(());
            }
        }
        panic!("handshake did not converge");
    }

    /// Client → server: sends `data`, receives it all on the server.
    pub fn client_to_server(&mut self, data: &[u8]) -> Vec<u8> {
        self.client.send(data, &mut self.c2s).unwrap();
        let mut got = Vec::new();
        let end = self.server.recv(&mut self.c2s, &mut self.s2c, &mut got);
        assert!(matches!(end, RecvEnd::Starved(_)), "{end:?}");
        got
    }

    /// Server → client.
    pub fn server_to_client(&mut self, data: &[u8]) -> Vec<u8> {
        self.server.send(data, &mut self.s2c).unwrap();
        let mut got = Vec::new();
        let end = self.client.recv(&mut self.s2c, &mut self.c2s, &mut got);
        assert!(matches!(end, RecvEnd::Starved(_)), "{end:?}");
        got
    }
}

/// Deterministic pseudo-random bytes.
pub fn pattern(len: usize, seed: u64) -> Vec<u8> {
    let mut x = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    (0..len)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x as u8
        })
        .collect()
}
