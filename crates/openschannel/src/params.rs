//! Protocol versions, cipher suites and key-exchange groups, named as the wire (IANA) names them.
//!
//! These are openschannel's own types so that no rustls type appears in the public API.

use std::fmt;

/// A TLS protocol version openschannel can negotiate.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Protocol {
    /// TLS 1.2 (RFC 5246).
    Tls12,
    /// TLS 1.3 (RFC 8446).
    Tls13,
}

impl Protocol {
    /// The two-byte wire version: `0x0303` for TLS 1.2, `0x0304` for TLS 1.3
    /// (what Schannel reports in `SecPkgContext_CipherInfo.dwProtocol`).
    pub const fn wire_version(self) -> u16 {
        match self {
            Self::Tls12 => 0x0303,
            Self::Tls13 => 0x0304,
        }
    }

    /// The human name, e.g. `"TLSv1.3"`.
    pub const fn name(self) -> &'static str {
        match self {
            Self::Tls12 => "TLSv1.2",
            Self::Tls13 => "TLSv1.3",
        }
    }
}

impl fmt::Display for Protocol {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The set of protocol versions a credential enables.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Protocols {
    /// TLS 1.2 is enabled.
    pub tls12: bool,
    /// TLS 1.3 is enabled.
    pub tls13: bool,
}

impl Protocols {
    /// TLS 1.2 and TLS 1.3 (the default).
    pub const ALL: Self = Self {
        tls12: true,
        tls13: true,
    };
    /// TLS 1.2 only.
    pub const TLS12_ONLY: Self = Self {
        tls12: true,
        tls13: false,
    };
    /// TLS 1.3 only.
    pub const TLS13_ONLY: Self = Self {
        tls12: false,
        tls13: true,
    };

    /// True when no version is enabled (acquiring such a credential fails with
    /// `SEC_E_ALGORITHM_MISMATCH`).
    pub const fn is_empty(self) -> bool {
        !self.tls12 && !self.tls13
    }

    /// True when `protocol` is enabled.
    pub const fn contains(self, protocol: Protocol) -> bool {
        match protocol {
            Protocol::Tls12 => self.tls12,
            Protocol::Tls13 => self.tls13,
        }
    }
}

impl Default for Protocols {
    fn default() -> Self {
        Self::ALL
    }
}

/// The bulk (record-protection) algorithm of a cipher suite.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum BulkCipher {
    /// AES-128 in GCM mode.
    Aes128Gcm,
    /// AES-256 in GCM mode.
    Aes256Gcm,
    /// ChaCha20 with Poly1305.
    ChaCha20Poly1305,
}

impl BulkCipher {
    /// Key length in bits.
    pub const fn key_bits(self) -> u32 {
        match self {
            Self::Aes128Gcm => 128,
            Self::Aes256Gcm | Self::ChaCha20Poly1305 => 256,
        }
    }

    /// Cipher block length in bytes (16 for AES, 1 for the ChaCha20 stream cipher).
    pub const fn block_len(self) -> u32 {
        match self {
            Self::Aes128Gcm | Self::Aes256Gcm => 16,
            Self::ChaCha20Poly1305 => 1,
        }
    }
}

/// A TLS cipher suite, identified by its IANA number.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CipherSuite(pub u16);

/// Static facts about one suite openschannel can negotiate.
struct SuiteFacts {
    suite: CipherSuite,
    name: &'static str,
    protocol: Protocol,
    bulk: BulkCipher,
    /// PRF / HKDF hash length in bits.
    hash_bits: u32,
    /// `Some(true)` ECDSA, `Some(false)` RSA, `None` any (TLS 1.3 suites).
    ecdsa: Option<bool>,
}

macro_rules! suites {
    ($( $konst:ident = $val:literal, $proto:ident, $bulk:ident, $hash:literal, $ecdsa:expr; )*) => {
        impl CipherSuite {
            $(
                #[doc = concat!("`", stringify!($konst), "` (", stringify!($val), ").")]
                pub const $konst: CipherSuite = CipherSuite($val);
            )*
        }
        const SUITES: &[SuiteFacts] = &[
            $( SuiteFacts {
                suite: CipherSuite($val),
                name: stringify!($konst),
                protocol: Protocol::$proto,
                bulk: BulkCipher::$bulk,
                hash_bits: $hash,
                ecdsa: $ecdsa,
            }, )*
        ];
    };
}

suites! {
    TLS13_AES_128_GCM_SHA256 = 0x1301, Tls13, Aes128Gcm, 256, None;
    TLS13_AES_256_GCM_SHA384 = 0x1302, Tls13, Aes256Gcm, 384, None;
    TLS13_CHACHA20_POLY1305_SHA256 = 0x1303, Tls13, ChaCha20Poly1305, 256, None;
    TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256 = 0xC02B, Tls12, Aes128Gcm, 256, Some(true);
    TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384 = 0xC02C, Tls12, Aes256Gcm, 384, Some(true);
    TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256 = 0xC02F, Tls12, Aes128Gcm, 256, Some(false);
    TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384 = 0xC030, Tls12, Aes256Gcm, 384, Some(false);
    TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256 = 0xCCA9, Tls12, ChaCha20Poly1305, 256, Some(true);
    TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256 = 0xCCA8, Tls12, ChaCha20Poly1305, 256, Some(false);
}

impl CipherSuite {
    /// Every suite openschannel knows, TLS 1.3 first.
    pub fn all() -> impl Iterator<Item = CipherSuite> {
        SUITES.iter().map(|s| s.suite)
    }

    fn facts(self) -> Option<&'static SuiteFacts> {
        SUITES.iter().find(|s| s.suite == self)
    }

    /// The IANA name, e.g. `"TLS13_AES_128_GCM_SHA256"`, or `None` for a suite openschannel
    /// does not implement.
    pub fn name(self) -> Option<&'static str> {
        self.facts().map(|s| s.name)
    }

    /// The protocol version this suite belongs to.
    pub fn protocol(self) -> Option<Protocol> {
        self.facts().map(|s| s.protocol)
    }

    /// The bulk cipher.
    pub fn bulk(self) -> Option<BulkCipher> {
        self.facts().map(|s| s.bulk)
    }

    /// Length in bits of the suite's PRF/HKDF hash (256 or 384).
    pub fn hash_bits(self) -> Option<u32> {
        self.facts().map(|s| s.hash_bits)
    }

    /// For TLS 1.2 suites: whether the server's certificate key is ECDSA (`Some(true)`) or RSA
    /// (`Some(false)`). `None` for TLS 1.3 suites, which work with any key type.
    pub fn requires_ecdsa(self) -> Option<bool> {
        self.facts().and_then(|s| s.ecdsa)
    }
}

impl fmt::Debug for CipherSuite {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.name() {
            Some(name) => f.write_str(name),
            None => write!(f, "CipherSuite(0x{:04X})", self.0),
        }
    }
}

impl fmt::Display for CipherSuite {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self, f)
    }
}

/// A (EC)DHE key-exchange group, identified by its IANA `NamedGroup` number.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct KeyExchangeGroup(pub u16);

impl KeyExchangeGroup {
    /// secp256r1 (P-256).
    pub const SECP256R1: Self = Self(0x0017);
    /// secp384r1 (P-384).
    pub const SECP384R1: Self = Self(0x0018);
    /// secp521r1 (P-521).
    pub const SECP521R1: Self = Self(0x0019);
    /// X25519.
    pub const X25519: Self = Self(0x001D);
    /// The X25519 + ML-KEM-768 hybrid.
    pub const X25519MLKEM768: Self = Self(0x11EC);

    /// The IANA name, e.g. `"x25519"`.
    pub fn name(self) -> Option<&'static str> {
        Some(match self {
            Self::SECP256R1 => "secp256r1",
            Self::SECP384R1 => "secp384r1",
            Self::SECP521R1 => "secp521r1",
            Self::X25519 => "x25519",
            Self::X25519MLKEM768 => "X25519MLKEM768",
            _ => return None,
        })
    }

    /// The strength Schannel reports for the exchange, in bits (the field size of the curve).
    pub fn strength_bits(self) -> u32 {
        match self {
            Self::SECP384R1 => 384,
            Self::SECP521R1 => 521,
            Self::X25519MLKEM768 => 768,
            _ => 256,
        }
    }
}

impl fmt::Debug for KeyExchangeGroup {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.name() {
            Some(name) => f.write_str(name),
            None => write!(f, "KeyExchangeGroup(0x{:04X})", self.0),
        }
    }
}

impl fmt::Display for KeyExchangeGroup {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self, f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suites_know_their_facts() {
        let s = CipherSuite::TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384;
        assert_eq!(s.0, 0xC030);
        assert_eq!(s.name(), Some("TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384"));
        assert_eq!(s.protocol(), Some(Protocol::Tls12));
        assert_eq!(s.bulk(), Some(BulkCipher::Aes256Gcm));
        assert_eq!(s.requires_ecdsa(), Some(false));
        assert_eq!(CipherSuite(0x0001).name(), None);
        assert_eq!(format!("{:?}", CipherSuite(0x0001)), "CipherSuite(0x0001)");
        assert_eq!(CipherSuite::all().count(), 9);
    }

    #[test]
    fn protocol_sets() {
        assert!(Protocols {
            tls12: false,
            tls13: false
        }
        .is_empty());
        assert!(Protocols::TLS12_ONLY.contains(Protocol::Tls12));
        assert!(!Protocols::TLS12_ONLY.contains(Protocol::Tls13));
        assert_eq!(Protocol::Tls13.wire_version(), 0x0304);
    }
}

/// Bounds on what a peer may make an established connection do without sending application
/// data — the limits rustls 0.23 enforces on its own record layer (and BoringSSL before it),
/// kept by openschannel's in-place record layer. A peer that exceeds one fails the connection
/// with `SEC_E_ILLEGAL_MESSAGE` and a fatal `unexpected_message` alert (handed out by the next
/// `handshake` call, see [`SecurityContext::decrypt`](crate::SecurityContext::decrypt)).
///
/// The defaults are rustls' numbers; raise one only for a known peer that needs it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RecordLimits {
    /// Warning alerts in a row (TLS 1.2; TLS 1.3 allows only `user_canceled`) with no
    /// application data between them. Default 4 (rustls' number; rustls counts them over the
    /// whole connection, openschannel — as BoringSSL — restarts the count with application
    /// data).
    pub warning_alerts: u32,
    /// TLS 1.3 KeyUpdate messages (each one that requests an update costs a key derivation
    /// and a sealed reply) with no application data between them. Default 32.
    pub key_updates: u32,
    /// Records with an empty payload in a row. Default 32.
    pub empty_records: u32,
    /// TLS 1.2 renegotiation requests (a server's HelloRequest, a client's new ClientHello)
    /// over the connection's life, each declined with a `no_renegotiation` warning. Default 1.
    pub renegotiation_requests: u32,
}

impl Default for RecordLimits {
    fn default() -> Self {
        Self {
            warning_alerts: 4,
            key_updates: 32,
            empty_records: 32,
            renegotiation_requests: 1,
        }
    }
}
