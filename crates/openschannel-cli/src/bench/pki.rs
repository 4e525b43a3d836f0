//! The certificates every contender uses: fresh self-signed `localhost` identities, one per
//! key type, made once per run.

use rcgen::{CertificateParams, DnType, ExtendedKeyUsagePurpose, KeyPair, SignatureAlgorithm};

use super::contender::{Identity, Pki};

/// Generates the ECDSA P-256 and RSA-2048 identities.
pub fn generate() -> Result<Pki, String> {
    Ok(Pki {
        ecdsa: identity(&rcgen::PKCS_ECDSA_P256_SHA256)?,
        rsa: identity(&rcgen::PKCS_RSA_SHA256)?,
    })
}

fn identity(alg: &'static SignatureAlgorithm) -> Result<Identity, String> {
    let fail = |e: rcgen::Error| format!("generating the benchmark certificate: {e}");
    let key = KeyPair::generate_for(alg).map_err(fail)?;
    let mut params = CertificateParams::new(vec!["localhost".to_string()]).map_err(fail)?;
    params
        .distinguished_name
        .push(DnType::CommonName, "localhost");
    params.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
    let cert = params.self_signed(&key).map_err(fail)?;
    Ok(Identity {
        cert_der: cert.der().to_vec(),
        key_der: key.serialize_der(),
        cert_pem: cert.pem(),
        key_pem: key.serialize_pem(),
    })
}
