//! `CryptQueryObject`: what a file or blob holds — a certificate (DER, or base64 with or
//! without a PEM header), a PKCS#7 `SignedData` bundle (`.p7b`/`.p7c`) or a PFX — and the
//! store and/or context for it, as curl loads `--cacert` blocks and certificate files.
//!
//! Content types: `CERT_QUERY_CONTENT_CERT` (store with the certificate, and the context),
//! `CERT_QUERY_CONTENT_PKCS7_SIGNED` (store with its certificates; no message handle: `*phMsg`
//! is set to NULL), `CERT_QUERY_CONTENT_PFX` (recognised only, as on Windows: the caller
//! imports it with `PFXImportCertStore`; `CERT_QUERY_CONTENT_FLAG_PFX_AND_LOAD` loads one with
//! an empty password), `CERT_QUERY_CONTENT_SERIALIZED_CERT` (the certificate; its serialized
//! properties are not kept) and `CERT_QUERY_CONTENT_SERIALIZED_STORE` (its certificates).
//! Formats: binary and base64 (`CERT_QUERY_FORMAT_FLAG_BINARY`, `BASE64_ENCODED`). CRLs, CTLs
//! and PKCS#10 requests are not recognised (`CRYPT_E_NO_MATCH`).

use std::ffi::c_void;
use std::sync::Arc;

use super::der::{self, tag};
use super::parse::CertData;
use super::state;
use super::strings::{fmt, string_to_binary};
use crate::boundary::guard_value;
use crate::lasterror;
use crate::strings::SspiChar;
use crate::types::{CRYPT_BLOB, HCERTSTORE, PCCERT_CONTEXT};

const CERT_QUERY_OBJECT_FILE: u32 = 1;
const CERT_QUERY_OBJECT_BLOB: u32 = 2;

const CERT_QUERY_CONTENT_CERT: u32 = 1;
const CERT_QUERY_CONTENT_SERIALIZED_STORE: u32 = 4;
const CERT_QUERY_CONTENT_SERIALIZED_CERT: u32 = 5;
const CERT_QUERY_CONTENT_PKCS7_SIGNED: u32 = 8;
const CERT_QUERY_CONTENT_PFX: u32 = 12;
const CERT_QUERY_CONTENT_PFX_AND_LOAD: u32 = 14;

const CERT_QUERY_FORMAT_BINARY: u32 = 1;
const CERT_QUERY_FORMAT_BASE64_ENCODED: u32 = 2;

/// `CRYPT_E_NO_MATCH`.
const CRYPT_E_NO_MATCH: u32 = 0x8009_2009;
/// `E_INVALIDARG`.
const E_INVALIDARG: u32 = 0x8007_0057;
/// `ERROR_FILE_NOT_FOUND`.
const ERROR_FILE_NOT_FOUND: u32 = 2;
/// `ERROR_ACCESS_DENIED`.
const ERROR_ACCESS_DENIED: u32 = 5;

/// `szOID_RSA_signedData`.
const SIGNED_DATA: &str = "1.2.840.113549.1.7.2";
/// `szOID_RSA_data`.
const DATA: &str = "1.2.840.113549.1.7.1";

/// The certificates of a PKCS#7 `ContentInfo` holding `SignedData`, or `None` when the bytes
/// are not one.
pub(crate) fn pkcs7_certificates(input: &[u8]) -> Option<Vec<Vec<u8>>> {
    let ci = der::single(input, tag::SEQUENCE).ok()?;
    let (oid, rest) = der::read(ci.value).ok()?;
    if oid.tag != tag::OID || der::oid_string(oid.value).ok()? != SIGNED_DATA {
        return None;
    }
    let explicit = der::single(rest, 0xa0).ok()?;
    let sd = der::single(explicit.value, tag::SEQUENCE).ok()?;
    let items = der::children(sd.value).ok()?;
    // version, digestAlgorithms, encapContentInfo, [0] certificates?, [1] crls?, signerInfos
    if items.len() < 4 || items[0].tag != tag::INTEGER || items[1].tag != tag::SET {
        return None;
    }
    let certs = items.iter().find(|t| t.tag == 0xa0);
    Some(match certs {
        Some(set) => der::children(set.value)
            .ok()?
            .into_iter()
            .filter(|t| t.tag == tag::SEQUENCE)
            .map(|t| t.raw.to_vec())
            .collect(),
        None => Vec::new(),
    })
}

/// `CERT_CERT_PROP_ID`: the element of a serialized store that holds a certificate's DER.
const CERT_CERT_PROP_ID: u32 = 32;
/// The serialized-store file header: a reserved zero and "CERT".
const STORE_HEADER: [u8; 8] = [0, 0, 0, 0, b'C', b'E', b'R', b'T'];

/// The elements of a serialized certificate or store (each `{ DWORD id; DWORD encoding;
/// DWORD length; BYTE data[length] }`, little-endian), up to an end marker (id 0) or the end
/// of the input; `None` when one is truncated.
fn serialized_elements(mut input: &[u8]) -> Option<Vec<(u32, &[u8])>> {
    let mut out = Vec::new();
    while !input.is_empty() {
        if input.len() < 12 {
            return None;
        }
        let word =
            |i: usize| u32::from_le_bytes([input[i], input[i + 1], input[i + 2], input[i + 3]]);
        let (id, len) = (word(0), word(8) as usize);
        if id == 0 {
            break;
        }
        let data = input.get(12..12usize.checked_add(len)?)?;
        out.push((id, data));
        input = &input[12 + len..];
    }
    Some(out)
}

/// A serialized certificate (`CertSerializeCertificateStoreElement`): properties, then the
/// certificate element last. Properties other than the certificate are not kept.
pub(crate) fn serialized_certificate(input: &[u8]) -> Option<Vec<u8>> {
    if input.starts_with(&STORE_HEADER) {
        return None;
    }
    let elements = serialized_elements(input)?;
    match elements.last() {
        Some((CERT_CERT_PROP_ID, der)) => Some(der.to_vec()),
        _ => None,
    }
}

/// The certificates of a serialized store (`CERT_STORE_SAVE_AS_STORE`); CRLs and CTLs in it
/// are skipped.
pub(crate) fn serialized_store(input: &[u8]) -> Option<Vec<Vec<u8>>> {
    let body = input.strip_prefix(&STORE_HEADER[..])?;
    Some(
        serialized_elements(body)?
            .into_iter()
            .filter(|(id, _)| *id == CERT_CERT_PROP_ID)
            .map(|(_, der)| der.to_vec())
            .collect(),
    )
}

/// Whether the bytes look like a PFX (`PFX ::= SEQUENCE { version 3, authSafe ContentInfo
/// (data or signedData), ... }`).
pub(crate) fn is_pfx(input: &[u8]) -> bool {
    let Ok(pfx) = der::single(input, tag::SEQUENCE) else {
        return false;
    };
    let Ok(items) = der::children(pfx.value) else {
        return false;
    };
    let version_3 = items
        .first()
        .is_some_and(|t| t.tag == tag::INTEGER && der::small_uint(t) == Ok(3));
    let auth_safe = items.get(1).and_then(|t| {
        let (oid, _) = der::read(t.value).ok()?;
        (oid.tag == tag::OID).then(|| der::oid_string(oid.value).ok())?
    });
    version_3 && matches!(auth_safe.as_deref(), Some(DATA | SIGNED_DATA))
}

/// What was found.
pub(crate) enum Found {
    /// One certificate.
    Cert(Box<CertData>),
    /// A PKCS#7 bundle's (or serialized store's) certificates.
    Pkcs7(Vec<CertData>),
    /// A PFX (its bytes).
    Pfx(Vec<u8>),
}

/// Recognises `bytes` per the expected content and format flags: (found, content type,
/// format type).
pub(crate) fn recognise(bytes: &[u8], content: u32, format: u32) -> Option<(Found, u32, u32)> {
    let mut candidates: Vec<(Vec<u8>, u32)> = Vec::new();
    if format & (1 << CERT_QUERY_FORMAT_BINARY) != 0 {
        candidates.push((bytes.to_vec(), CERT_QUERY_FORMAT_BINARY));
    }
    if format & (1 << CERT_QUERY_FORMAT_BASE64_ENCODED) != 0 {
        let units: Vec<u16> = bytes
            .iter()
            .take_while(|&&b| b != 0)
            .map(|&b| u16::from(b))
            .collect();
        if let Ok(d) = string_to_binary(&units, fmt::BASE64_ANY) {
            if !d.bytes.is_empty() {
                candidates.push((d.bytes, CERT_QUERY_FORMAT_BASE64_ENCODED));
            }
        }
    }
    let want = |ty: u32| content & (1 << ty) != 0;
    for (der, format_type) in candidates {
        if want(CERT_QUERY_CONTENT_CERT) {
            if let Some(cert) = CertData::parse(der.clone()) {
                return Some((
                    Found::Cert(Box::new(cert)),
                    CERT_QUERY_CONTENT_CERT,
                    format_type,
                ));
            }
        }
        if want(CERT_QUERY_CONTENT_PKCS7_SIGNED) {
            if let Some(certs) = pkcs7_certificates(&der) {
                let parsed: Option<Vec<CertData>> =
                    certs.into_iter().map(CertData::parse).collect();
                if let Some(parsed) = parsed {
                    return Some((
                        Found::Pkcs7(parsed),
                        CERT_QUERY_CONTENT_PKCS7_SIGNED,
                        format_type,
                    ));
                }
            }
        }
        if want(CERT_QUERY_CONTENT_SERIALIZED_CERT) {
            if let Some(cert) = serialized_certificate(&der).and_then(CertData::parse) {
                return Some((
                    Found::Cert(Box::new(cert)),
                    CERT_QUERY_CONTENT_SERIALIZED_CERT,
                    format_type,
                ));
            }
        }
        if want(CERT_QUERY_CONTENT_SERIALIZED_STORE) {
            if let Some(certs) = serialized_store(&der) {
                let parsed: Option<Vec<CertData>> =
                    certs.into_iter().map(CertData::parse).collect();
                if let Some(parsed) = parsed {
                    return Some((
                        Found::Pkcs7(parsed),
                        CERT_QUERY_CONTENT_SERIALIZED_STORE,
                        format_type,
                    ));
                }
            }
        }
        if (want(CERT_QUERY_CONTENT_PFX) || want(CERT_QUERY_CONTENT_PFX_AND_LOAD)) && is_pfx(&der) {
            let ty = if want(CERT_QUERY_CONTENT_PFX_AND_LOAD) {
                CERT_QUERY_CONTENT_PFX_AND_LOAD
            } else {
                CERT_QUERY_CONTENT_PFX
            };
            return Some((Found::Pfx(der), ty, format_type));
        }
    }
    None
}

fn write_opt<T>(p: *mut T, v: T) {
    // SAFETY: optional out-parameter; checked for NULL/alignment by the helper.
    unsafe { crate::boundary::write(p, v) };
}

/// Reads the object: a file (its UTF-16 name) or a `CERT_BLOB`.
///
/// # Safety
/// `pv` matches `object_type`.
unsafe fn object_bytes(object_type: u32, pv: *const c_void) -> Result<Vec<u8>, u32> {
    match object_type {
        CERT_QUERY_OBJECT_FILE => {
            // SAFETY: for this type pvObject is a NUL-terminated UTF-16 file name.
            let name = unsafe { u16::read_str(pv.cast()) }.ok_or(E_INVALIDARG)?;
            std::fs::read(&name).map_err(|e| match e.kind() {
                std::io::ErrorKind::PermissionDenied => ERROR_ACCESS_DENIED,
                _ => ERROR_FILE_NOT_FOUND,
            })
        }
        CERT_QUERY_OBJECT_BLOB => {
            let status = openschannel_core::Status::SEC_E_INVALID_PARAMETER;
            // SAFETY: for this type pvObject is a CERT_BLOB*.
            let blob = unsafe { crate::boundary::read(pv.cast::<CRYPT_BLOB>(), status) }
                .map_err(|_| E_INVALIDARG)?;
            // SAFETY: the blob describes cbData readable bytes.
            unsafe { crate::boundary::bytes(blob.pbData.cast(), blob.cbData as usize, status) }
                .map(<[u8]>::to_vec)
                .map_err(|_| E_INVALIDARG)
        }
        _ => Err(E_INVALIDARG),
    }
}

/// `CryptQueryObject`: recognises a certificate (DER or base64/PEM), a PKCS#7 bundle or a PFX
/// in a file (`CERT_QUERY_OBJECT_FILE`, `pvObject` a UTF-16 path) or blob
/// (`CERT_QUERY_OBJECT_BLOB`, a `CERT_BLOB*`), among the expected content and format types.
/// Returns the encoding, content and format types, a new store holding the certificates
/// (close it with `CertCloseStore`), and for a certificate its context (free it with
/// `CertFreeCertificateContext`); `*phMsg` is always NULL. Fails with `CRYPT_E_NO_MATCH` when
/// nothing expected is found, `ERROR_FILE_NOT_FOUND` for a missing file, `E_INVALIDARG` for a
/// bad object type or pointer.
///
/// # Safety
/// `pvObject` matches `dwObjectType`; the out-pointers are NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn CryptQueryObject(
    dwObjectType: u32,
    pvObject: *const c_void,
    dwExpectedContentTypeFlags: u32,
    dwExpectedFormatTypeFlags: u32,
    dwFlags: u32,
    pdwMsgAndCertEncodingType: *mut u32,
    pdwContentType: *mut u32,
    pdwFormatType: *mut u32,
    phCertStore: *mut HCERTSTORE,
    phMsg: *mut *mut c_void,
    ppvContext: *mut *const c_void,
) -> i32 {
    let _ = dwFlags;
    guard_value("CryptQueryObject", 0, || {
        if pvObject.is_null() {
            return lasterror::fail(0, E_INVALIDARG);
        }
        // SAFETY: the caller's object contract.
        let bytes = match unsafe { object_bytes(dwObjectType, pvObject) } {
            Ok(b) => b,
            Err(code) => return lasterror::fail(0, code),
        };
        let Some((found, content, format)) = recognise(
            &bytes,
            dwExpectedContentTypeFlags,
            dwExpectedFormatTypeFlags,
        ) else {
            return lasterror::fail(0, CRYPT_E_NO_MATCH);
        };
        let certs: Vec<Arc<CertData>> = match found {
            Found::Cert(c) => vec![Arc::new(*c)],
            Found::Pkcs7(certs) => certs.into_iter().map(Arc::new).collect(),
            Found::Pfx(der) if content == CERT_QUERY_CONTENT_PFX_AND_LOAD => {
                match super::pfx::import(&der, "") {
                    Some(certs) => certs,
                    None => return lasterror::fail(0, CRYPT_E_NO_MATCH),
                }
            }
            Found::Pfx(_) => Vec::new(),
        };
        write_opt(pdwMsgAndCertEncodingType, 0x0001_0001);
        write_opt(pdwContentType, content);
        write_opt(pdwFormatType, format);
        write_opt(phMsg, std::ptr::null_mut());
        write_opt(phCertStore, std::ptr::null_mut());
        write_opt(ppvContext, std::ptr::null());
        if certs.is_empty() {
            return 1;
        }
        let want_store = !phCertStore.is_null();
        let want_context = !ppvContext.is_null()
            && (content == CERT_QUERY_CONTENT_CERT
                || content == CERT_QUERY_CONTENT_SERIALIZED_CERT);
        if !want_store && !want_context {
            return 1;
        }
        let mut st = state();
        let store = st.new_store(usize::from(want_store));
        let mut first = None;
        for data in certs {
            if let Some(addr) = st.add(store, data) {
                first.get_or_insert(addr);
            }
        }
        if want_context {
            if let Some(addr) = first {
                st.duplicate(addr);
                write_opt(ppvContext, addr as PCCERT_CONTEXT as *const c_void);
            }
        }
        if want_store {
            write_opt(phCertStore, store as HCERTSTORE);
        }
        1
    })
}

/// `PFXIsPFXBlob`: whether the blob is a PKCS#12 (PFX) structure.
///
/// # Safety
/// `pPFX` points to a `CRYPT_DATA_BLOB` describing readable bytes.
#[no_mangle]
pub unsafe extern "C" fn PFXIsPFXBlob(pPFX: *const CRYPT_BLOB) -> i32 {
    guard_value("PFXIsPFXBlob", 0, || {
        // SAFETY: a CERT_BLOB* per the contract (checked by the helper).
        match unsafe { object_bytes(CERT_QUERY_OBJECT_BLOB, pPFX.cast()) } {
            Ok(bytes) => i32::from(is_pfx(&bytes)),
            Err(code) => lasterror::fail(0, code),
        }
    })
}

/// Fuzz entry: a hostile blob through every content and format type, outputs released.
#[doc(hidden)]
pub fn fuzz_query(data: &[u8]) {
    let blob = CRYPT_BLOB {
        cbData: u32::try_from(data.len()).unwrap_or(u32::MAX),
        pbData: data.as_ptr().cast_mut(),
    };
    let mut store: HCERTSTORE = std::ptr::null_mut();
    let mut ctx: *const c_void = std::ptr::null();
    let mut content = 0u32;
    // SAFETY: a valid blob and writable out-parameters.
    let ok = unsafe {
        CryptQueryObject(
            CERT_QUERY_OBJECT_BLOB,
            (&blob as *const CRYPT_BLOB).cast(),
            0x3ffe,
            0xe,
            0,
            std::ptr::null_mut(),
            &mut content,
            std::ptr::null_mut(),
            &mut store,
            std::ptr::null_mut(),
            &mut ctx,
        )
    };
    if ok != 0 {
        // SAFETY: the context was just handed out (or is NULL).
        unsafe { super::exports::CertFreeCertificateContext(ctx.cast()) };
        // SAFETY: the store was just handed out (or is NULL).
        unsafe { super::exports::CertCloseStore(store, 0) };
    }
}

#[cfg(test)]
// Tests call the export with arguments that satisfy its contract.
#[allow(
    clippy::undocumented_unsafe_blocks,
    clippy::multiple_unsafe_ops_per_block
)]
mod tests {
    use super::*;

    #[test]
    fn recognises_nothing_in_garbage() {
        assert!(recognise(b"hello", 0x3ffe, 0xe).is_none());
        assert!(pkcs7_certificates(&[0x30, 0x00]).is_none());
        assert!(!is_pfx(&[0x30, 0x03, 0x02, 0x01, 0x03]));
        let blob = CRYPT_BLOB {
            cbData: 5,
            pbData: [0x30u8, 0x03, 0x02, 0x01, 0x03].as_ptr().cast_mut(),
        };
        assert_eq!(unsafe { PFXIsPFXBlob(&blob) }, 0);
        fuzz_query(b"-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n");
        fuzz_query(&[]);
    }

    fn element(id: u32, data: &[u8]) -> Vec<u8> {
        let mut v = id.to_le_bytes().to_vec();
        v.extend(1u32.to_le_bytes());
        v.extend((data.len() as u32).to_le_bytes());
        v.extend_from_slice(data);
        v
    }

    #[test]
    fn serialized_certificates_and_stores() {
        use rcgen::{CertificateParams, KeyPair};
        let key = KeyPair::generate_for(&rcgen::PKCS_ECDSA_P256_SHA256).unwrap();
        let cert = CertificateParams::new(vec!["s.example".into()])
            .unwrap()
            .self_signed(&key)
            .unwrap();
        let der = cert.der().to_vec();
        let one = [element(11, &[b'x', 0, 0, 0]), element(32, &der)].concat();
        assert_eq!(serialized_certificate(&one), Some(der.clone()));
        let (found, content, _) = recognise(&one, 0x3ffe, 0xe).unwrap();
        assert!(matches!(found, Found::Cert(_)));
        assert_eq!(content, CERT_QUERY_CONTENT_SERIALIZED_CERT);
        let store = [
            STORE_HEADER.to_vec(),
            element(32, &der),
            element(11, &[0, 0]),
            element(32, &der),
            vec![0; 12],
        ]
        .concat();
        assert_eq!(serialized_store(&store).map(|v| v.len()), Some(2));
        let (_, content, _) = recognise(&store, 0x3ffe, 0xe).unwrap();
        assert_eq!(content, CERT_QUERY_CONTENT_SERIALIZED_STORE);
        assert_eq!(serialized_certificate(&one[..one.len() - 1]), None);
        fuzz_query(&store);
    }

    #[test]
    fn an_empty_signed_data_bundle_is_pkcs7() {
        // ContentInfo { signedData, [0] { version 1, digestAlgorithms {}, { data }, signerInfos {} } }
        let encap = der::encode(
            0x30,
            &der::encode(0x06, &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 1, 7, 1]),
        );
        let sd = der::encode(
            0x30,
            &[
                der::encode(0x02, &[1]),
                der::encode(0x31, &[]),
                encap,
                der::encode(0x31, &[]),
            ]
            .concat(),
        );
        let ci = der::encode(
            0x30,
            &[
                der::encode(0x06, &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 1, 7, 2]),
                der::encode(0xa0, &sd),
            ]
            .concat(),
        );
        assert_eq!(pkcs7_certificates(&ci), Some(Vec::new()));
        let (found, content, format) = recognise(&ci, 1 << 8, 1 << 1).unwrap();
        assert!(matches!(found, Found::Pkcs7(ref v) if v.is_empty()));
        assert_eq!((content, format), (CERT_QUERY_CONTENT_PKCS7_SIGNED, 1));
        let mut ct = 0u32;
        let blob = CRYPT_BLOB {
            cbData: 5,
            pbData: b"hello".as_ptr().cast_mut(),
        };
        let ok = unsafe {
            CryptQueryObject(
                CERT_QUERY_OBJECT_BLOB,
                (&blob as *const CRYPT_BLOB).cast(),
                0x3ffe,
                0xe,
                0,
                std::ptr::null_mut(),
                &mut ct,
                std::ptr::null_mut(),
                std::ptr::null_mut(),
                std::ptr::null_mut(),
                std::ptr::null_mut(),
            )
        };
        assert_eq!((ok, lasterror::get()), (0, CRYPT_E_NO_MATCH));
    }
}
