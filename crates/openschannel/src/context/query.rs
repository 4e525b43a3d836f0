//! Queries (≈ `QueryContextAttributes`).

use super::SecurityContext;
use crate::certs::Certificate;
use crate::error::Error;
use crate::params::{BulkCipher, CipherSuite, KeyExchangeGroup, Protocol};
use crate::records::HEADER_LEN;
use crate::status::Status;

/// `SecPkgContext_StreamSizes`: how to size `encrypt` buffers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct StreamSizes {
    /// `cbHeader`: record header bytes, plus the 8-byte explicit nonce for TLS 1.2 AES-GCM.
    pub header: usize,
    /// `cbTrailer`: the 16-byte tag, plus the inner content-type byte for TLS 1.3.
    pub trailer: usize,
    /// `cbMaximumMessage`: the largest plaintext one call may encrypt.
    pub max_message: usize,
    /// `cBuffers`: 4.
    pub buffers: u32,
    /// `cbBlockSize`: 16 for AES, 1 for ChaCha20.
    pub block_size: u32,
}

/// What was negotiated (`SECPKG_ATTR_CONNECTION_INFO` and friends).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConnectionInfo {
    /// Protocol version.
    pub protocol: Protocol,
    /// Cipher suite.
    pub cipher_suite: CipherSuite,
    /// Key-exchange group (absent for a resumed TLS 1.2 session).
    pub key_exchange_group: Option<KeyExchangeGroup>,
    /// Whether the session was resumed.
    pub resumed: bool,
    /// The negotiated ALPN protocol.
    pub alpn: Option<Vec<u8>>,
}

impl SecurityContext {
    /// `SECPKG_ATTR_STREAM_SIZES`. Fails with `SEC_E_INVALID_HANDLE` before the handshake
    /// has completed.
    pub fn stream_sizes(&self) -> Result<StreamSizes, Error> {
        self.check_established()?;
        let (protocol, bulk) = match (self.engine.protocol(), self.bulk()) {
            (Some(p), Some(b)) => (p, b),
            _ => {
                return Err(Error::new(
                    Status::SEC_E_INTERNAL_ERROR,
                    "negotiated suite unknown",
                ))
            }
        };
        let (header, trailer) = match (protocol, bulk) {
            (Protocol::Tls13, _) => (HEADER_LEN, 17),
            (Protocol::Tls12, BulkCipher::ChaCha20Poly1305) => (HEADER_LEN, 16),
            (Protocol::Tls12, _) => (HEADER_LEN + 8, 16),
        };
        Ok(StreamSizes {
            header,
            trailer,
            max_message: self.max_message,
            buffers: 4,
            block_size: bulk.block_len(),
        })
    }

    fn bulk(&self) -> Option<BulkCipher> {
        self.engine.cipher_suite().and_then(|s| s.bulk())
    }

    /// The negotiated protocol version, once known.
    pub fn protocol(&self) -> Option<Protocol> {
        self.engine.protocol()
    }

    /// The negotiated cipher suite, once known.
    pub fn cipher_suite(&self) -> Option<CipherSuite> {
        self.engine.cipher_suite()
    }

    /// The negotiated ALPN protocol, if any.
    pub fn alpn_protocol(&self) -> Option<&[u8]> {
        self.engine.alpn_protocol()
    }

    /// The peer's certificate chain, leaf first (empty when it sent none).
    pub fn peer_certificates(&self) -> Vec<Certificate> {
        self.engine
            .peer_certificates()
            .unwrap_or_default()
            .into_iter()
            .map(Certificate::from_der)
            .collect()
    }

    /// Whether the handshake resumed a cached session.
    pub fn is_resumed(&self) -> bool {
        self.engine.is_resumed()
    }

    /// Everything negotiated, once the handshake has completed.
    pub fn connection_info(&self) -> Result<ConnectionInfo, Error> {
        self.check_established()?;
        match (self.engine.protocol(), self.engine.cipher_suite()) {
            (Some(protocol), Some(cipher_suite)) => Ok(ConnectionInfo {
                protocol,
                cipher_suite,
                key_exchange_group: self.engine.key_exchange_group(),
                resumed: self.engine.is_resumed(),
                alpn: self.engine.alpn_protocol().map(<[u8]>::to_vec),
            }),
            _ => Err(Error::new(
                Status::SEC_E_INTERNAL_ERROR,
                "negotiated parameters unknown",
            )),
        }
    }
}
