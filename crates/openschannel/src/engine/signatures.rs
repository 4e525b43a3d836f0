//! X.509 signature verification and SHA-256 with the crypto provider rustls uses, for the
//! crypt32 chain engine (through [`crate::pki`]).

use std::sync::OnceLock;

use rustls::crypto::WebPkiSupportedAlgorithms;

fn algorithms() -> &'static WebPkiSupportedAlgorithms {
    static ALGS: OnceLock<WebPkiSupportedAlgorithms> = OnceLock::new();
    ALGS.get_or_init(|| {
        #[cfg(feature = "aws-lc-rs")]
        {
            rustls::crypto::aws_lc_rs::default_provider().signature_verification_algorithms
        }
        #[cfg(all(feature = "ring", not(feature = "aws-lc-rs")))]
        {
            rustls::crypto::ring::default_provider().signature_verification_algorithms
        }
    })
}

/// Verifies an X.509 signature (see [`crate::pki::verify_signature`]).
pub(crate) fn verify_signature(
    key_algorithm: &[u8],
    public_key: &[u8],
    signature_algorithm: &[u8],
    message: &[u8],
    signature: &[u8],
) -> bool {
    algorithms().all.iter().any(|alg| {
        *alg.public_key_alg_id() == *key_algorithm
            && *alg.signature_alg_id() == *signature_algorithm
            && alg.verify_signature(public_key, message, signature).is_ok()
    })
}

/// SHA-256 of `data`.
pub(crate) fn sha256(data: &[u8]) -> [u8; 32] {
    #[cfg(feature = "aws-lc-rs")]
    use aws_lc_rs::digest;
    #[cfg(all(feature = "ring", not(feature = "aws-lc-rs")))]
    use ring::digest;
    let d = digest::digest(&digest::SHA256, data);
    let mut out = [0u8; 32];
    out.copy_from_slice(d.as_ref());
    out
}
