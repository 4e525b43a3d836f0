//! A throw-away server identity: a self-signed ECDSA P-256 certificate for `localhost` and
//! `127.0.0.1`, generated with rcgen.
//!
//! The certificate is its own trust anchor: a client that trusts exactly
//! [`SelfSigned::certificate`] (`ServerValidation::Roots(vec![cert])`) accepts it for the
//! target name `localhost` or `127.0.0.1` and nothing else.

use std::fmt;

use openschannel::{Certificate, PrivateKey};
use rcgen::{CertificateParams, DnType, ExtendedKeyUsagePurpose, KeyPair};

/// The names the generated certificate is valid for (subjectAltName entries).
pub const SUBJECT_ALT_NAMES: [&str; 2] = ["localhost", "127.0.0.1"];

/// A generated self-signed certificate and its private key.
pub struct SelfSigned {
    /// The certificate (DER via [`Certificate::der`], e.g. to compute a fingerprint).
    pub certificate: Certificate,
    /// The matching private key (PKCS#8).
    pub key: PrivateKey,
}

impl SelfSigned {
    /// The chain to hand to server credentials: just the certificate itself.
    pub fn chain(&self) -> Vec<Certificate> {
        vec![self.certificate.clone()]
    }
}

impl fmt::Debug for SelfSigned {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SelfSigned")
            .field("certificate", &self.certificate)
            .finish_non_exhaustive()
    }
}

/// Why generating the certificate failed.
#[derive(Debug)]
pub struct CertgenError(String);

impl fmt::Display for CertgenError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "generating the self-signed certificate failed: {}",
            self.0
        )
    }
}

impl std::error::Error for CertgenError {}

/// Generates a fresh ECDSA P-256 key and a self-signed certificate for
/// [`SUBJECT_ALT_NAMES`] (common name `localhost`, extended key usage serverAuth).
pub fn self_signed_localhost() -> Result<SelfSigned, CertgenError> {
    let fail = |e: rcgen::Error| CertgenError(e.to_string());
    let key_pair = KeyPair::generate_for(&rcgen::PKCS_ECDSA_P256_SHA256).map_err(fail)?;
    let names: Vec<String> = SUBJECT_ALT_NAMES.iter().map(|s| s.to_string()).collect();
    let mut params = CertificateParams::new(names).map_err(fail)?;
    params
        .distinguished_name
        .push(DnType::CommonName, SUBJECT_ALT_NAMES[0]);
    params.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
    let cert = params.self_signed(&key_pair).map_err(fail)?;
    let key = PrivateKey::from_der(&key_pair.serialize_der())
        .map_err(|e| CertgenError(format!("the generated key was not accepted: {e}")))?;
    Ok(SelfSigned {
        certificate: Certificate::from_der(cert.der().to_vec()),
        key,
    })
}

/// Unit tests.
#[cfg(test)]
mod tests {
    use super::*;
    use openschannel::{Credentials, Protocols, ServerValidation};

    /// The generated certificate and key are accepted by server and client credentials.
    #[test]
    fn generated_identity_builds_credentials_for_both_sides() {
        let id = self_signed_localhost().expect("certificate");
        assert!(!id.certificate.der().is_empty());
        Credentials::server(id.chain(), id.key.clone())
            .protocols(Protocols::ALL)
            .build()
            .expect("server credentials");
        Credentials::client()
            .validation(ServerValidation::Roots(vec![id.certificate.clone()]))
            .build()
            .expect("client credentials");
    }
}
