//! The `CertFindCertificateInStore` find types beyond strings and SHA-1: `CERT_FIND_HAS_PRIVATE_KEY`,
//! `CERT_FIND_SUBJECT_NAME` / `CERT_FIND_ISSUER_NAME` (exact DER name), `CERT_FIND_SHA256_HASH`,
//! `CERT_FIND_EXISTING` and `CERT_FIND_ISSUER_OF`.

use std::sync::Arc;

use x509_parser::prelude::{FromDer, X509Certificate};

use super::parse::CertData;
use super::state;
use crate::boundary;
use crate::types::{CERT_CONTEXT, CRYPT_BLOB};

/// `CRYPT_E_NOT_FOUND`.
pub(crate) const CRYPT_E_NOT_FOUND: u32 = 0x8009_2004;

const CERT_FIND_ISSUER_NAME: u32 = 0x0002_0004;
const CERT_FIND_SUBJECT_NAME: u32 = 0x0002_0007;
const CERT_FIND_SUBJECT_CERT: u32 = 0x000B_0000;
const CERT_FIND_ISSUER_OF: u32 = 0x000C_0000;
const CERT_FIND_EXISTING: u32 = 0x000D_0000;
const CERT_FIND_HAS_PRIVATE_KEY: u32 = 0x0015_0000;
const CERT_FIND_SHA256_HASH: u32 = 0x0020_0000;

/// A find predicate.
pub(crate) type Predicate = Box<dyn Fn(&CertData) -> bool>;

/// (subject, issuer) DER names of a certificate.
pub(crate) fn names(der: &[u8]) -> Option<(Vec<u8>, Vec<u8>)> {
    let (_, cert) = X509Certificate::from_der(der).ok()?;
    Some((
        cert.tbs_certificate.subject.as_raw().to_vec(),
        cert.tbs_certificate.issuer.as_raw().to_vec(),
    ))
}

/// The bytes of a `CRYPT_DATA_BLOB*`.
///
/// # Safety
/// `p` is NULL or points to a blob describing readable bytes.
unsafe fn blob_bytes(p: *const std::ffi::c_void) -> Option<Vec<u8>> {
    // SAFETY: NULL/alignment are checked by `read`.
    let blob = unsafe {
        boundary::read(
            p.cast::<CRYPT_BLOB>(),
            openschannel_core::Status::SEC_E_INVALID_PARAMETER,
        )
    }
    .ok()?;
    // SAFETY: the blob describes cbData readable bytes (the caller's contract).
    let bytes = unsafe {
        boundary::bytes(
            blob.pbData.cast(),
            blob.cbData as usize,
            openschannel_core::Status::SEC_E_INVALID_PARAMETER,
        )
    }
    .ok()?;
    Some(bytes.to_vec())
}

/// The registered certificate `p` points to (never dereferenced otherwise).
fn context_data(p: *const std::ffi::c_void) -> Option<Arc<CertData>> {
    state().data(p.cast::<CERT_CONTEXT>() as usize)
}

/// The predicate for `find_type`; `None` for a find type not handled here (or a bad
/// parameter: a NULL blob or an unknown context).
///
/// # Safety
/// `para` matches `find_type`: a `CERT_NAME_BLOB*` / `CRYPT_HASH_BLOB*` for the name and hash
/// types, a `PCCERT_CONTEXT` for `EXISTING` / `ISSUER_OF` (checked against the registry).
pub(crate) unsafe fn predicate(find_type: u32, para: *const std::ffi::c_void) -> Option<Predicate> {
    match find_type {
        // A key that travels with the context (PFX, PEM) or one a CERT_KEY_PROV_INFO_PROP_ID
        // names in a CryptoAPI container.
        CERT_FIND_HAS_PRIVATE_KEY => Some(Box::new(|d: &CertData| {
            d.key.is_some() || crate::capi::key_for_certificate(d).is_ok()
        })),
        CERT_FIND_SUBJECT_NAME | CERT_FIND_ISSUER_NAME => {
            // SAFETY: para is a CERT_NAME_BLOB* for these types.
            let want = unsafe { blob_bytes(para) }?;
            let subject = find_type == CERT_FIND_SUBJECT_NAME;
            Some(Box::new(move |d: &CertData| {
                names(&d.der).is_some_and(|(s, i)| if subject { s == want } else { i == want })
            }))
        }
        CERT_FIND_SHA256_HASH => {
            // SAFETY: para is a CRYPT_HASH_BLOB* for this type.
            let want = unsafe { blob_bytes(para) }?;
            Some(Box::new(move |d: &CertData| {
                openschannel_core::pki::sha256(&d.der)[..] == want[..]
            }))
        }
        CERT_FIND_EXISTING => {
            let want = context_data(para)?;
            Some(Box::new(move |d: &CertData| d.der == want.der))
        }
        CERT_FIND_ISSUER_OF => {
            let (_, issuer) = names(&context_data(para)?.der)?;
            Some(Box::new(move |d: &CertData| {
                names(&d.der).is_some_and(|(s, _)| s == issuer)
            }))
        }
        CERT_FIND_SUBJECT_CERT => None,
        _ => None,
    }
}
