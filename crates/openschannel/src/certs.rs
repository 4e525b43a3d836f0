//! Certificates and private keys, loaded from PEM or DER.

use std::fmt;

use crate::engine;
use crate::error::Error;
use crate::status::Status;

/// One X.509 certificate in DER encoding.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Certificate {
    der: Vec<u8>,
}

impl Certificate {
    /// Wraps DER bytes. The encoding is checked when the certificate is used in a credential.
    pub fn from_der(der: impl Into<Vec<u8>>) -> Self {
        Self { der: der.into() }
    }

    /// Parses every `CERTIFICATE` block of a PEM document, in order (leaf first for a chain).
    ///
    /// Fails with `SEC_E_UNKNOWN_CREDENTIALS` when the document holds no certificate or a
    /// malformed one.
    pub fn pem_chain(pem: &[u8]) -> Result<Vec<Certificate>, Error> {
        let chain = engine::pem_certificates(pem)?;
        if chain.is_empty() {
            return Err(Error::new(
                Status::SEC_E_UNKNOWN_CREDENTIALS,
                "no CERTIFICATE block in PEM input",
            ));
        }
        Ok(chain.into_iter().map(Certificate::from_der).collect())
    }

    /// The DER bytes.
    pub fn der(&self) -> &[u8] {
        &self.der
    }

    /// The subject's common names (commonName, 2.5.4.3), in order — what Windows' server-name
    /// check falls back to when the certificate has no subjectAltName. Empty when the DER
    /// cannot be read or the subject has none.
    pub fn subject_common_names(&self) -> Vec<String> {
        crate::cert_names::subject_common_names(&self.der)
    }
}

impl fmt::Debug for Certificate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Certificate({} bytes DER)", self.der.len())
    }
}

impl AsRef<[u8]> for Certificate {
    fn as_ref(&self) -> &[u8] {
        &self.der
    }
}

/// A private key (PKCS#8, SEC1 or PKCS#1) in DER form.
///
/// The bytes are kept in memory only as long as the key is alive and are never printed.
#[derive(Clone)]
pub struct PrivateKey {
    pub(crate) der: engine::KeyDer,
}

impl PrivateKey {
    /// Parses the first private-key block (`PRIVATE KEY`, `EC PRIVATE KEY` or
    /// `RSA PRIVATE KEY`) of a PEM document.
    ///
    /// Fails with `SEC_E_NO_CREDENTIALS` when there is none.
    pub fn from_pem(pem: &[u8]) -> Result<Self, Error> {
        Ok(Self {
            der: engine::pem_private_key(pem)?,
        })
    }

    /// Wraps DER bytes, recognising PKCS#8, SEC1 and PKCS#1 encodings.
    ///
    /// Fails with `SEC_E_NO_CREDENTIALS` when the bytes are none of those.
    pub fn from_der(der: &[u8]) -> Result<Self, Error> {
        Ok(Self {
            der: engine::der_private_key(der)?,
        })
    }
}

impl fmt::Debug for PrivateKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("PrivateKey(..)")
    }
}
