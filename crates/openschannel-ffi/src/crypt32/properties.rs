//! Certificate context properties (`CertSetCertificateContextProperty` /
//! `CertGetCertificateContextProperty`) and `CryptHashCertificate`.
//!
//! A certificate whose private key travels with it (PFX import, the PEM extension) reports a
//! `CERT_KEY_PROV_INFO_PROP_ID` naming a container after its SHA-1, as Windows reports the
//! container `PFXImportCertStore` created. Computed properties: `CERT_SHA1_HASH_PROP_ID`, `CERT_MD5_HASH_PROP_ID`,
//! `CERT_SHA256_HASH_PROP_ID` (digests of the DER) and `CERT_KEY_IDENTIFIER_PROP_ID` (the
//! subject key identifier extension, else the SHA-1 of the public key bits, RFC 5280 method
//! 1). Stored properties: `CERT_KEY_PROV_INFO_PROP_ID` (links the certificate to a CryptoAPI
//! key container: `AcquireCredentialsHandle` then takes the private key from it),
//! `CERT_FRIENDLY_NAME_PROP_ID` and any other id set with a `CRYPT_DATA_BLOB`. Properties live
//! with the certificate's data, so contexts added to other stores from it share them (as
//! they share its private key).

use std::collections::HashMap;
use std::ffi::c_void;
use std::sync::Mutex;

use super::layout::{deliver, Image};
use super::state;
use crate::boundary::guard_value;
use crate::capi::hash;
use crate::lasterror;
use crate::strings::SspiChar;
use crate::types::{CRYPT_BLOB, PCCERT_CONTEXT};

/// `CERT_KEY_PROV_HANDLE_PROP_ID`.
const CERT_KEY_PROV_HANDLE_PROP_ID: u32 = 1;
/// `CERT_KEY_PROV_INFO_PROP_ID`.
pub(crate) const CERT_KEY_PROV_INFO_PROP_ID: u32 = 2;
/// `CERT_SHA1_HASH_PROP_ID`.
const CERT_SHA1_HASH_PROP_ID: u32 = 3;
/// `CERT_MD5_HASH_PROP_ID`.
const CERT_MD5_HASH_PROP_ID: u32 = 4;
/// `CERT_KEY_CONTEXT_PROP_ID`.
const CERT_KEY_CONTEXT_PROP_ID: u32 = 5;
/// `CERT_FRIENDLY_NAME_PROP_ID`.
pub(crate) const CERT_FRIENDLY_NAME_PROP_ID: u32 = 11;
/// `CERT_KEY_IDENTIFIER_PROP_ID`.
const CERT_KEY_IDENTIFIER_PROP_ID: u32 = 20;
/// `CERT_SHA256_HASH_PROP_ID`.
const CERT_SHA256_HASH_PROP_ID: u32 = 107;

/// `CRYPT_E_NOT_FOUND`.
const CRYPT_E_NOT_FOUND: u32 = 0x8009_2004;
/// `E_INVALIDARG`.
const E_INVALIDARG: u32 = 0x8007_0057;
/// `ERROR_INVALID_PARAMETER`.
const ERROR_INVALID_PARAMETER: u32 = 87;
/// `NTE_BAD_ALGID`.
const NTE_BAD_ALGID: u32 = 0x8009_0008;

/// `CRYPT_KEY_PROV_INFO`.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct CRYPT_KEY_PROV_INFO {
    /// Key container name.
    pub pwszContainerName: *mut u16,
    /// Provider name.
    pub pwszProvName: *mut u16,
    /// `PROV_*`.
    pub dwProvType: u32,
    /// `CRYPT_MACHINE_KEYSET`, `CERT_SET_KEY_*`.
    pub dwFlags: u32,
    /// Number of provider parameters.
    pub cProvParam: u32,
    /// Provider parameters (`CRYPT_KEY_PROV_PARAM`).
    pub rgProvParam: *mut c_void,
    /// `AT_KEYEXCHANGE` / `AT_SIGNATURE`.
    pub dwKeySpec: u32,
}

/// A decoded `CRYPT_KEY_PROV_INFO`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct KeyProvInfo {
    /// Container name (NULL: the default container).
    pub(crate) container: Option<String>,
    /// Provider name.
    pub(crate) provider: Option<String>,
    /// `PROV_*`.
    pub(crate) prov_type: u32,
    /// Flags.
    pub(crate) flags: u32,
    /// Key spec.
    pub(crate) key_spec: u32,
}

/// One stored property.
#[derive(Clone, Debug)]
enum Prop {
    Bytes(Vec<u8>),
    KeyProv(KeyProvInfo),
}

/// The stored properties of a certificate.
#[derive(Default, Debug)]
pub(crate) struct Props(Mutex<HashMap<u32, Prop>>);

impl Props {
    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<u32, Prop>> {
        self.0.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The `CERT_KEY_PROV_INFO_PROP_ID` value, if set.
    pub(crate) fn key_prov_info(&self) -> Option<KeyProvInfo> {
        match self.lock().get(&CERT_KEY_PROV_INFO_PROP_ID) {
            Some(Prop::KeyProv(k)) => Some(k.clone()),
            _ => None,
        }
    }

    /// `CERT_FRIENDLY_NAME_PROP_ID` as text, if set.
    pub(crate) fn friendly_name(&self) -> Option<String> {
        match self.lock().get(&CERT_FRIENDLY_NAME_PROP_ID) {
            Some(Prop::Bytes(b)) => {
                let units: Vec<u16> = b
                    .chunks_exact(2)
                    .map(|c| u16::from_ne_bytes([c[0], c[1]]))
                    .take_while(|&u| u != 0)
                    .collect();
                Some(String::from_utf16_lossy(&units))
            }
            _ => None,
        }
    }
}

fn key_prov_image(k: &KeyProvInfo) -> Image {
    let mut img = Image::new(std::mem::size_of::<CRYPT_KEY_PROV_INFO>());
    if let Some(c) = &k.container {
        img.put_wstr(
            std::mem::offset_of!(CRYPT_KEY_PROV_INFO, pwszContainerName),
            c,
        );
    }
    if let Some(p) = &k.provider {
        img.put_wstr(std::mem::offset_of!(CRYPT_KEY_PROV_INFO, pwszProvName), p);
    }
    img.put_u32(
        std::mem::offset_of!(CRYPT_KEY_PROV_INFO, dwProvType),
        k.prov_type,
    );
    img.put_u32(std::mem::offset_of!(CRYPT_KEY_PROV_INFO, dwFlags), k.flags);
    img.put_u32(
        std::mem::offset_of!(CRYPT_KEY_PROV_INFO, dwKeySpec),
        k.key_spec,
    );
    img
}

fn bytes_image(b: &[u8]) -> Image {
    let mut img = Image::new(0);
    img.append(b, 1);
    img
}

/// The value of property `id` of `d` as an output image.
fn property(d: &super::CertData, id: u32) -> Option<Image> {
    if let Some(p) = d.props.lock().get(&id) {
        return Some(match p {
            Prop::Bytes(b) => bytes_image(b),
            Prop::KeyProv(k) => key_prov_image(k),
        });
    }
    if id == CERT_KEY_PROV_INFO_PROP_ID && d.key.is_some() {
        // A key that came with the certificate (PFX import, PEM extension): Windows names the
        // container it imported the key into; ours is named after the certificate.
        let hex: String = d.sha1.iter().map(|b| format!("{b:02x}")).collect();
        return Some(key_prov_image(&KeyProvInfo {
            container: Some(format!("openschannel-{hex}")),
            provider: Some("Microsoft Enhanced Cryptographic Provider v1.0".into()),
            prov_type: 1,
            flags: 0,
            key_spec: 1,
        }));
    }
    let computed = match id {
        CERT_SHA1_HASH_PROP_ID => d.sha1.to_vec(),
        CERT_MD5_HASH_PROP_ID => hash::digest(hash::CALG_MD5, &d.der)?,
        CERT_SHA256_HASH_PROP_ID => hash::digest(hash::CALG_SHA_256, &d.der)?,
        CERT_KEY_IDENTIFIER_PROP_ID => match d.extension_value(&["2.5.29.14"]) {
            Some(ski) => super::der::single(ski, super::der::tag::OCTET_STRING)
                .ok()?
                .value
                .to_vec(),
            None => hash::digest(hash::CALG_SHA1, d.public_key_bits())?,
        },
        _ => return None,
    };
    Some(bytes_image(&computed))
}

/// `CertGetCertificateContextProperty`: `pvData` NULL asks for the size in `*pcbData`; a
/// short buffer fails with `ERROR_MORE_DATA` (and the size); a property that is not set fails
/// with `CRYPT_E_NOT_FOUND`. `CERT_KEY_PROV_INFO_PROP_ID` is returned as a self-relative
/// `CRYPT_KEY_PROV_INFO`.
///
/// # Safety
/// `pcbData` is writable; `pvData` is NULL or holds `*pcbData` bytes.
#[no_mangle]
pub unsafe extern "C" fn CertGetCertificateContextProperty(
    pCertContext: PCCERT_CONTEXT,
    dwPropId: u32,
    pvData: *mut c_void,
    pcbData: *mut u32,
) -> i32 {
    guard_value("CertGetCertificateContextProperty", 0, || {
        let Some(data) = state().data(pCertContext as usize) else {
            return lasterror::fail(0, E_INVALIDARG);
        };
        let Some(img) = property(&data, dwPropId) else {
            return lasterror::fail(0, CRYPT_E_NOT_FOUND);
        };
        // SAFETY: the caller's buffer contract (the plain size-query protocol).
        unsafe { deliver(&img, 0, std::ptr::null(), pvData, pcbData) }
    })
}

/// Reads a caller's `CRYPT_KEY_PROV_INFO`.
///
/// # Safety
/// `p` points to a readable structure whose strings are NULL or NUL-terminated.
unsafe fn read_key_prov_info(p: *const CRYPT_KEY_PROV_INFO) -> Option<KeyProvInfo> {
    // SAFETY: checked for NULL/alignment; readable per the contract.
    let raw =
        unsafe { crate::boundary::read(p, openschannel_core::Status::SEC_E_INVALID_PARAMETER) }
            .ok()?;
    Some(KeyProvInfo {
        // SAFETY: NULL or NUL-terminated.
        container: unsafe { u16::read_str(raw.pwszContainerName) },
        // SAFETY: as above.
        provider: unsafe { u16::read_str(raw.pwszProvName) },
        prov_type: raw.dwProvType,
        flags: raw.dwFlags,
        key_spec: raw.dwKeySpec,
    })
}

/// `CertSetCertificateContextProperty`: sets (or, with `pvData` NULL, removes) a property.
/// `CERT_KEY_PROV_INFO_PROP_ID` takes a `CRYPT_KEY_PROV_INFO*`; other ids a
/// `CRYPT_DATA_BLOB*` (`CERT_FRIENDLY_NAME_PROP_ID`: a NUL-terminated UTF-16 string). The
/// handle properties (`CERT_KEY_PROV_HANDLE_PROP_ID`, `CERT_KEY_CONTEXT_PROP_ID`) are not
/// supported (`E_INVALIDARG`).
///
/// # Safety
/// `pvData` is NULL or points to the structure `dwPropId` names.
#[no_mangle]
pub unsafe extern "C" fn CertSetCertificateContextProperty(
    pCertContext: PCCERT_CONTEXT,
    dwPropId: u32,
    dwFlags: u32,
    pvData: *const c_void,
) -> i32 {
    let _ = dwFlags;
    guard_value("CertSetCertificateContextProperty", 0, || {
        let Some(data) = state().data(pCertContext as usize) else {
            return lasterror::fail(0, E_INVALIDARG);
        };
        if dwPropId == 0
            || dwPropId == CERT_KEY_PROV_HANDLE_PROP_ID
            || dwPropId == CERT_KEY_CONTEXT_PROP_ID
        {
            return lasterror::fail(0, E_INVALIDARG);
        }
        if pvData.is_null() {
            data.props.lock().remove(&dwPropId);
            return 1;
        }
        let prop = if dwPropId == CERT_KEY_PROV_INFO_PROP_ID {
            // SAFETY: for this id pvData is a CRYPT_KEY_PROV_INFO*.
            match unsafe { read_key_prov_info(pvData.cast()) } {
                Some(k) => Prop::KeyProv(k),
                None => return lasterror::fail(0, E_INVALIDARG),
            }
        } else {
            let status = openschannel_core::Status::SEC_E_INVALID_PARAMETER;
            // SAFETY: for these ids pvData is a CRYPT_DATA_BLOB*.
            let Ok(blob) = (unsafe { crate::boundary::read(pvData.cast::<CRYPT_BLOB>(), status) })
            else {
                return lasterror::fail(0, E_INVALIDARG);
            };
            // SAFETY: the blob describes cbData readable bytes.
            let Ok(bytes) = (unsafe {
                crate::boundary::bytes(blob.pbData.cast(), blob.cbData as usize, status)
            }) else {
                return lasterror::fail(0, E_INVALIDARG);
            };
            Prop::Bytes(bytes.to_vec())
        };
        data.props.lock().insert(dwPropId, prop);
        1
    })
}

/// `CryptHashCertificate`: the digest (`Algid` 0 = SHA-1; MD5, SHA-1, SHA-256/384/512) of
/// `cbEncoded` bytes, by the size-query protocol (`ERROR_MORE_DATA` for a short buffer).
///
/// # Safety
/// `pbEncoded` holds `cbEncoded` bytes; `pcbComputedHash` is writable; `pbComputedHash` is
/// NULL or holds `*pcbComputedHash` bytes.
#[no_mangle]
pub unsafe extern "C" fn CryptHashCertificate(
    hCryptProv: usize,
    Algid: u32,
    dwFlags: u32,
    pbEncoded: *const u8,
    cbEncoded: u32,
    pbComputedHash: *mut u8,
    pcbComputedHash: *mut u32,
) -> i32 {
    let _ = (hCryptProv, dwFlags);
    guard_value("CryptHashCertificate", 0, || {
        let status = openschannel_core::Status::SEC_E_INVALID_PARAMETER;
        // SAFETY: `cbEncoded` readable bytes at `pbEncoded` (NULL only with zero length).
        let Ok(input) =
            (unsafe { crate::boundary::bytes(pbEncoded.cast(), cbEncoded as usize, status) })
        else {
            return lasterror::fail(0, ERROR_INVALID_PARAMETER);
        };
        let algid = if Algid == 0 { hash::CALG_SHA1 } else { Algid };
        let Some(value) = hash::digest(algid, input) else {
            return lasterror::fail(0, NTE_BAD_ALGID);
        };
        // SAFETY: the caller's buffer contract.
        unsafe {
            deliver(
                &bytes_image(&value),
                0,
                std::ptr::null(),
                pbComputedHash.cast(),
                pcbComputedHash,
            )
        }
    })
}
