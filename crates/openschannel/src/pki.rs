//! Certificate-level primitives for the crypt32 chain engine: signature verification with the
//! crypto provider rustls already uses, SHA-256, and the platform's trust anchors.
//!
//! Chain building and trust statuses live in the ffi crate (`crypt32::chain`); this module
//! only offers the cryptography and the file-system lookup it needs, so that the ffi crate
//! does not depend on a crypto library of its own.

use std::path::{Path, PathBuf};

use crate::certs::Certificate;

pub use crate::der::tlv;

/// Verifies an X.509 signature.
///
/// * `key_algorithm`: the contents (without tag and length) of the signer's
///   `SubjectPublicKeyInfo.algorithm` SEQUENCE;
/// * `public_key`: the `subjectPublicKey` BIT STRING's bytes (without the unused-bits octet);
/// * `signature_algorithm`: the contents of the signed object's `signatureAlgorithm` SEQUENCE;
/// * `message`: the signed bytes (a `TBSCertificate`'s full DER);
/// * `signature`: the `signatureValue` BIT STRING's bytes.
///
/// `false` for a wrong signature and for an algorithm pair the provider does not support
/// (as webpki treats them).
pub fn verify_signature(
    key_algorithm: &[u8],
    public_key: &[u8],
    signature_algorithm: &[u8],
    message: &[u8],
    signature: &[u8],
) -> bool {
    crate::engine::verify_signature(
        key_algorithm,
        public_key,
        signature_algorithm,
        message,
        signature,
    )
}

/// SHA-256 of `data`.
pub fn sha256(data: &[u8]) -> [u8; 32] {
    crate::engine::sha256(data)
}

/// The CA bundle files distributions install (the first one present is used).
const BUNDLES: &[&str] = &[
    "/etc/ssl/certs/ca-certificates.crt",
    "/etc/pki/tls/certs/ca-bundle.crt",
    "/etc/pki/ca-trust/extracted/pem/tls-ca-bundle.pem",
    "/etc/ssl/ca-bundle.pem",
    "/etc/pki/tls/cacert.pem",
    "/etc/ssl/cert.pem",
];

/// The platform's trust anchors, found the way OpenSSL (and rustls-native-certs, behind the
/// platform verifier the core uses for automatic validation) finds them: `SSL_CERT_FILE`
/// and/or `SSL_CERT_DIR` (colon-separated) when set, otherwise the first distribution bundle
/// present, otherwise the certificates in `/etc/ssl/certs`. Unreadable files and malformed
/// blocks are skipped; duplicates are removed.
pub fn platform_roots() -> Vec<Certificate> {
    let file = std::env::var_os("SSL_CERT_FILE").map(PathBuf::from);
    let dirs = std::env::var_os("SSL_CERT_DIR");
    let mut out = Vec::new();
    if file.is_some() || dirs.is_some() {
        if let Some(file) = file {
            out.extend(read_pem(&file));
        }
        if let Some(dirs) = dirs {
            for dir in std::env::split_paths(&dirs) {
                out.extend(read_dir(&dir));
            }
        }
    } else if let Some(bundle) = BUNDLES.iter().map(Path::new).find(|p| p.is_file()) {
        out.extend(read_pem(bundle));
    } else {
        out.extend(read_dir(Path::new("/etc/ssl/certs")));
    }
    let mut seen = std::collections::HashSet::new();
    out.retain(|c| seen.insert(c.der().to_vec()));
    out
}

fn read_pem(path: &Path) -> Vec<Certificate> {
    std::fs::read(path)
        .ok()
        .and_then(|bytes| Certificate::pem_chain(&bytes).ok())
        .unwrap_or_default()
}

fn read_dir(dir: &Path) -> Vec<Certificate> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut paths: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.is_file())
        .collect();
    paths.sort();
    paths.iter().flat_map(|p| read_pem(p)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sha256_of_abc() {
        assert_eq!(
            sha256(b"abc")[..4],
            [0xba, 0x78, 0x16, 0xbf],
            "FIPS 180-2 test vector"
        );
    }

    #[test]
    fn unknown_algorithms_do_not_verify() {
        assert!(!verify_signature(b"", b"", b"", b"message", b"sig"));
    }
}
