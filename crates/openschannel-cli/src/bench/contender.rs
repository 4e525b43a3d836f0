//! What every contender implements: set up one case, connect a client/server pair in memory,
//! move records through it, shut it down.
//!
//! A contender owns both ends of a connection in one process and one thread. Records travel
//! through plain byte buffers handed in by the harness, so the figures measure the TLS
//! libraries and nothing else (no sockets, no threads, no copies the harness could avoid).

use std::any::Any;

/// The protocol version of a case.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Version {
    /// TLS 1.2 (ECDHE with the certificate's signature algorithm).
    Tls12,
    /// TLS 1.3.
    Tls13,
}

impl Version {
    /// `"TLS1.2"` / `"TLS1.3"`.
    pub fn label(self) -> &'static str {
        match self {
            Self::Tls12 => "TLS1.2",
            Self::Tls13 => "TLS1.3",
        }
    }
}

/// The AEAD of a case. With TLS 1.2 the suite is `TLS_ECDHE_{ECDSA|RSA}_WITH_<AEAD>` (the
/// authentication following the certificate); with TLS 1.3 `TLS_AES_128_GCM_SHA256`,
/// `TLS_AES_256_GCM_SHA384` or `TLS_CHACHA20_POLY1305_SHA256`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Aead {
    /// AES-128-GCM.
    Aes128Gcm,
    /// AES-256-GCM.
    Aes256Gcm,
    /// ChaCha20-Poly1305.
    Chacha20Poly1305,
}

impl Aead {
    /// `"AES-128-GCM"`, ...
    pub fn label(self) -> &'static str {
        match self {
            Self::Aes128Gcm => "AES-128-GCM",
            Self::Aes256Gcm => "AES-256-GCM",
            Self::Chacha20Poly1305 => "CHACHA20-POLY1305",
        }
    }

    /// The IANA cipher suite number for `version` with a certificate of type `key`.
    pub fn suite(self, version: Version, key: KeyType) -> u16 {
        match (version, self, key) {
            (Version::Tls13, Self::Aes128Gcm, _) => 0x1301,
            (Version::Tls13, Self::Aes256Gcm, _) => 0x1302,
            (Version::Tls13, Self::Chacha20Poly1305, _) => 0x1303,
            (Version::Tls12, Self::Aes128Gcm, KeyType::EcdsaP256) => 0xC02B,
            (Version::Tls12, Self::Aes256Gcm, KeyType::EcdsaP256) => 0xC02C,
            (Version::Tls12, Self::Chacha20Poly1305, KeyType::EcdsaP256) => 0xCCA9,
            (Version::Tls12, Self::Aes128Gcm, KeyType::Rsa2048) => 0xC02F,
            (Version::Tls12, Self::Aes256Gcm, KeyType::Rsa2048) => 0xC030,
            (Version::Tls12, Self::Chacha20Poly1305, KeyType::Rsa2048) => 0xCCA8,
        }
    }

    /// The OpenSSL name of the suite (`set_ciphersuites` for TLS 1.3, `set_cipher_list` for
    /// TLS 1.2).
    #[cfg(feature = "openssl")]
    pub fn openssl_name(self, version: Version, key: KeyType) -> &'static str {
        match (version, self, key) {
            (Version::Tls13, Self::Aes128Gcm, _) => "TLS_AES_128_GCM_SHA256",
            (Version::Tls13, Self::Aes256Gcm, _) => "TLS_AES_256_GCM_SHA384",
            (Version::Tls13, Self::Chacha20Poly1305, _) => "TLS_CHACHA20_POLY1305_SHA256",
            (Version::Tls12, Self::Aes128Gcm, KeyType::EcdsaP256) => {
                "ECDHE-ECDSA-AES128-GCM-SHA256"
            }
            (Version::Tls12, Self::Aes256Gcm, KeyType::EcdsaP256) => {
                "ECDHE-ECDSA-AES256-GCM-SHA384"
            }
            (Version::Tls12, Self::Chacha20Poly1305, KeyType::EcdsaP256) => {
                "ECDHE-ECDSA-CHACHA20-POLY1305"
            }
            (Version::Tls12, Self::Aes128Gcm, KeyType::Rsa2048) => "ECDHE-RSA-AES128-GCM-SHA256",
            (Version::Tls12, Self::Aes256Gcm, KeyType::Rsa2048) => "ECDHE-RSA-AES256-GCM-SHA384",
            (Version::Tls12, Self::Chacha20Poly1305, KeyType::Rsa2048) => {
                "ECDHE-RSA-CHACHA20-POLY1305"
            }
        }
    }
}

/// The server certificate's key.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum KeyType {
    /// ECDSA on P-256 (signatures ecdsa_secp256r1_sha256).
    EcdsaP256,
    /// RSA-2048 (RSA-PSS signatures with TLS 1.3, PKCS#1 or PSS with TLS 1.2).
    Rsa2048,
}

impl KeyType {
    /// `"ECDSA-P256"` / `"RSA-2048"`.
    pub fn label(self) -> &'static str {
        match self {
            Self::EcdsaP256 => "ECDSA-P256",
            Self::Rsa2048 => "RSA-2048",
        }
    }
}

/// What a case asks of a contender. Key exchange is always X25519 alone (on both sides), so
/// that every library does the same work.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Setup {
    /// The one protocol version both sides enable.
    pub version: Version,
    /// The one cipher suite both sides enable.
    pub aead: Aead,
    /// The server certificate.
    pub key: KeyType,
    /// When true, both sides keep sessions (TLS 1.3 tickets, TLS 1.2 session ids — not TLS 1.2
    /// tickets) and every [`Connector::connect`] after the first must resume; when false every
    /// connect must be a full handshake (no session caches, no tickets).
    pub resumption: bool,
}

/// One server identity: a self-signed `localhost` certificate and its key, as DER and PEM.
pub struct Identity {
    /// The certificate, DER.
    pub cert_der: Vec<u8>,
    /// The private key, PKCS#8 DER.
    pub key_der: Vec<u8>,
    /// The certificate, PEM.
    pub cert_pem: String,
    /// The private key, PKCS#8 PEM.
    pub key_pem: String,
}

/// The identities every contender uses (clients trust exactly the certificate they connect to
/// and check the name `localhost`).
pub struct Pki {
    /// ECDSA P-256.
    pub ecdsa: Identity,
    /// RSA-2048.
    pub rsa: Identity,
}

impl Pki {
    /// The identity for `key`.
    pub fn identity(&self, key: KeyType) -> &Identity {
        match key {
            KeyType::EcdsaP256 => &self.ecdsa,
            KeyType::Rsa2048 => &self.rsa,
        }
    }
}

/// A library (or a face of ours) under test.
pub trait Contender {
    /// The name in tables and JSON (`"openschannel"`, `"openschannel-capi"`, `"rustls-unbuffered"`,
    /// `"rustls-buffered"`, `"openssl"`, `"aws-lc-rs-aead"`).
    fn name(&self) -> &'static str;

    /// Builds client and server configurations for `setup`. `Err` (a reason) when this
    /// contender cannot run the case; the harness reports it as skipped.
    fn prepare(&self, pki: &Pki, setup: &Setup) -> Result<Box<dyn Connector>, String>;

    /// Whether the contender does handshakes and shutdowns (false only for the raw AEAD).
    fn handshakes(&self) -> bool {
        true
    }
}

/// Client and server configurations for one case.
pub trait Connector {
    /// One complete handshake between a new client and a new server, in memory. Includes the
    /// client processing what the server sends right after the handshake (TLS 1.3
    /// NewSessionTicket records), so that the next connect can resume and the connection is
    /// idle afterwards: nothing is left in flight either way.
    ///
    /// Panics when anything fails, when `resumption` was asked and this connect (other than
    /// the first one on this connector) did not resume, or when a full handshake resumed.
    fn connect(&mut self) -> Box<dyn Connection>;
}

/// An established, idle client/server pair.
pub trait Connection {
    /// The client seals `plain` (1..=16384 bytes) as exactly one TLS record written at the
    /// start of `out` (at least `plain.len() + 256` bytes, already initialised: no zero-fill is
    /// needed), and returns the record's length. The plaintext is first placed where the
    /// library wants it, as an application would (for in-place libraries: copied into the
    /// record's data region of `out`). Must not allocate on the contender's side. Panics on
    /// failure.
    fn encrypt(&mut self, plain: &[u8], out: &mut [u8]) -> usize;

    /// The server opens `record`, exactly one record sealed by [`encrypt`](Self::encrypt) on
    /// this connection, in order. The plaintext is left in `record` (libraries that decrypt in
    /// place) or copied into `plain_out` (at least 16384 bytes); returns its length. Panics on
    /// failure.
    fn decrypt(&mut self, record: &mut [u8], plain_out: &mut [u8]) -> usize;

    /// Closes both directions cleanly: the client sends close_notify, the server recognises it
    /// and answers with its own, the client recognises that. For the SSPI faces this is the
    /// five-step shutdown procedure on each side (ApplyControlToken(SCHANNEL_SHUTDOWN), ISC/ASC
    /// with empty input, DecryptMessage → SEC_I_CONTEXT_EXPIRED, DeleteSecurityContext). Panics
    /// when either side does not see a clean close.
    fn shutdown(self: Box<Self>);

    /// Splits the pair into its client and its server (each with everything only it owns), so
    /// that the memory harness can drop one side and see what the other holds.
    fn into_sides(self: Box<Self>) -> (Box<dyn Any>, Box<dyn Any>);
}
