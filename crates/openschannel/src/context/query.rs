//! Queries (≈ `QueryContextAttributes`).

use super::SecurityContext;
use crate::certs::Certificate;
use crate::credentials::Role;
use crate::engine;
use crate::error::Error;
use crate::params::{CipherSuite, KeyExchangeGroup, Protocol};
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
        let Some((header, trailer, block_size)) = self.engine.record_sizes() else {
            return Err(Error::new(
                Status::SEC_E_INTERNAL_ERROR,
                "the connection has no record layer",
            ));
        };
        Ok(StreamSizes {
            header,
            trailer,
            max_message: self.max_message,
            buffers: 4,
            block_size,
        })
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

    /// The chain this side presented, leaf first: a server's certificate, or a client's
    /// certificate once it was sent at the server's request (`SECPKG_ATTR_LOCAL_CERT_CONTEXT`).
    /// Empty otherwise.
    pub fn local_certificates(&self) -> Vec<Certificate> {
        match self.role {
            Role::Server => self.credentials.certificate_chain().to_vec(),
            Role::Client => match self.engine.certificate_request() {
                Some(request) if request.sent => self.credentials.certificate_chain().to_vec(),
                _ => Vec::new(),
            },
        }
    }

    /// Client: the distinguished names (DER) of the certificate authorities the server named
    /// when it asked for a client certificate (`SECPKG_ATTR_ISSUER_LIST_EX`); `None` when it did
    /// not ask (so far). The list may be empty: the server accepts any issuer.
    pub fn certificate_request_issuers(&self) -> Option<Vec<Vec<u8>>> {
        self.engine.certificate_request().map(|r| r.issuers)
    }

    /// RFC 5705 / RFC 8446 §7.5 keying-material export: `len` bytes derived from the
    /// connection's secrets with `label` and an optional `context`
    /// (`SECPKG_ATTR_KEYING_MATERIAL`). Both ends of a connection obtain the same bytes. In
    /// TLS 1.3 an absent context equals an empty one; in TLS 1.2 they differ.
    ///
    /// # Errors
    /// `SEC_E_INVALID_HANDLE` before the handshake has completed; `SEC_E_INVALID_PARAMETER`
    /// for a zero or too large `len` (TLS 1.3 allows 255 hash blocks), or a label longer than
    /// 249 bytes; the latched error of a failed context.
    pub fn export_keying_material(
        &self,
        label: &[u8],
        context: Option<&[u8]>,
        len: usize,
    ) -> Result<Vec<u8>, Error> {
        self.check_failed()?;
        self.check_established()?;
        if len == 0 || len > engine::MAX_EXPORT {
            return Err(Error::new(
                Status::SEC_E_INVALID_PARAMETER,
                format!("cannot export {len} bytes of keying material"),
            ));
        }
        let mut out = vec![0u8; len];
        self.engine
            .export_keying_material(label, context, &mut out)?;
        Ok(out)
    }

    /// The RFC 9266 `tls-exporter` channel binding: 32 bytes exported with the label
    /// `EXPORTER-Channel-Binding` and no context. Meant for TLS 1.3 (RFC 9266 requires the
    /// extended master secret for TLS 1.2, which rustls always negotiates).
    pub fn tls_exporter_binding(&self) -> Result<Vec<u8>, Error> {
        self.export_keying_material(b"EXPORTER-Channel-Binding", None, 32)
    }

    /// The RFC 5929 `tls-server-end-point` channel binding (the application-data part of
    /// `SECPKG_ATTR_ENDPOINT_BINDINGS`, without its `tls-server-end-point:` prefix): the hash of
    /// the server's certificate, with the hash function of the certificate's signature
    /// algorithm (SHA-256 for MD5, SHA-1, SHA-224 and algorithms without a hash such as
    /// Ed25519).
    ///
    /// # Errors
    /// `SEC_E_INVALID_HANDLE` before the handshake has completed; `SEC_E_NO_CREDENTIALS` if
    /// no server certificate is known.
    pub fn endpoint_binding(&self) -> Result<Vec<u8>, Error> {
        self.check_established()?;
        let leaf = match self.role {
            Role::Client => self
                .engine
                .peer_certificates()
                .and_then(|chain| chain.first().map(|c| c.to_vec())),
            Role::Server => self
                .credentials
                .certificate_chain()
                .first()
                .map(|c| c.der().to_vec()),
        };
        let leaf =
            leaf.ok_or_else(|| Error::new(Status::SEC_E_NO_CREDENTIALS, "no server certificate"))?;
        Ok(engine::server_end_point(&leaf))
    }
}
