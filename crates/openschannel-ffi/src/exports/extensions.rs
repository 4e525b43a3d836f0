//! The `openschannel.h` extensions: certificate contexts with keys from PEM, status names.

use std::collections::HashMap;
use std::ffi::{c_char, CString};
use std::sync::{Arc, LazyLock};

use openschannel_core::{Certificate, Credentials, PrivateKey, Status};

use crate::boundary::{self, guard, guard_value, FfiResult};
use crate::crypt32::{self, CertData};
use crate::strings::SspiChar;
use crate::types::{PCCERT_CONTEXT, SECURITY_STATUS};

/// Makes a context (leaf first, whole chain in its store) carrying `key`.
fn context_from_pem(cert_pem: &[u8], key_pem: &[u8]) -> FfiResult<PCCERT_CONTEXT> {
    let chain = Certificate::pem_chain(cert_pem).map_err(|e| e.status())?;
    let key = PrivateKey::from_pem(key_pem).map_err(|e| e.status())?;
    // Building a throwaway server credential checks that the key matches the certificate.
    Credentials::server(chain.clone(), key.clone())
        .build()
        .map_err(|e| e.status())?;
    let mut datas = Vec::new();
    for cert in &chain {
        datas.push(CertData::parse(cert.der().to_vec()).ok_or(Status::SEC_E_UNKNOWN_CREDENTIALS)?);
    }
    let rest: Vec<Vec<u8>> = chain[1..].iter().map(|c| c.der().to_vec()).collect();
    datas[0].key = Some(key);
    datas[0].chain = rest;
    crypt32::standalone(datas.into_iter().map(Arc::new).collect())
        .ok_or(Status::SEC_E_UNKNOWN_CREDENTIALS)
}

/// Writes the new context to `pp`, releasing it if `pp` is unusable.
///
/// # Safety
/// `pp` is the caller's out-parameter.
unsafe fn hand_out(pp: *mut PCCERT_CONTEXT, ctx: PCCERT_CONTEXT) -> FfiResult<Status> {
    // SAFETY: forwarded contract; checked for NULL/alignment.
    if unsafe { boundary::write(pp, ctx) } {
        Ok(Status::SEC_E_OK)
    } else {
        // SAFETY: `ctx` is the reference just created.
        unsafe { crypt32::exports::CertFreeCertificateContext(ctx) };
        Err(Status::SEC_E_INVALID_PARAMETER)
    }
}

/// `OpenSchannelCertContextFromPemFiles` (see `openschannel.h`): a certificate context with
/// its private key, for `SCHANNEL_CRED.paCred`. `SEC_E_INVALID_PARAMETER` for NULL
/// arguments; `SEC_E_UNKNOWN_CREDENTIALS` for an unreadable/unparsable certificate file or a
/// key that does not match; `SEC_E_NO_CREDENTIALS` for an unreadable key file or no key.
///
/// # Safety
/// The paths are NULL or NUL-terminated; `ppCert` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn OpenSchannelCertContextFromPemFiles(
    cert_path: *const c_char,
    key_path: *const c_char,
    ppCert: *mut PCCERT_CONTEXT,
) -> SECURITY_STATUS {
    guard("OpenSchannelCertContextFromPemFiles", || {
        // SAFETY: NULL or NUL-terminated per the contract.
        let cert_path = unsafe { c_char::read_str(cert_path) };
        // SAFETY: as above.
        let key_path = unsafe { c_char::read_str(key_path) };
        let (Some(cert_path), Some(key_path)) = (cert_path, key_path) else {
            return Err(Status::SEC_E_INVALID_PARAMETER);
        };
        if !boundary::usable(ppCert) {
            return Err(Status::SEC_E_INVALID_PARAMETER);
        }
        let cert = std::fs::read(&cert_path).map_err(|_| Status::SEC_E_UNKNOWN_CREDENTIALS)?;
        // The key file's bytes, wiped once parsed (the `PrivateKey` wipes its own copy).
        let key = zeroize::Zeroizing::new(
            std::fs::read(&key_path).map_err(|_| Status::SEC_E_NO_CREDENTIALS)?,
        );
        let ctx = context_from_pem(&cert, &key)?;
        // SAFETY: `ppCert` is usable (checked above).
        unsafe { hand_out(ppCert, ctx) }
    })
}

/// `OpenSchannelCertContextFromPem` (see `openschannel.h`): as the file variant, from memory.
///
/// # Safety
/// `cert_pem`/`key_pem` point to `cert_len`/`key_len` readable bytes; `ppCert` is writable.
#[no_mangle]
pub unsafe extern "C" fn OpenSchannelCertContextFromPem(
    cert_pem: *const u8,
    cert_len: u32,
    key_pem: *const u8,
    key_len: u32,
    ppCert: *mut PCCERT_CONTEXT,
) -> SECURITY_STATUS {
    guard("OpenSchannelCertContextFromPem", || {
        if cert_pem.is_null() || key_pem.is_null() || !boundary::usable(ppCert) {
            return Err(Status::SEC_E_INVALID_PARAMETER);
        }
        // SAFETY: `cert_len` readable bytes per the contract.
        let cert = unsafe {
            boundary::bytes(
                cert_pem.cast(),
                cert_len as usize,
                Status::SEC_E_INVALID_PARAMETER,
            )
        }?;
        // SAFETY: `key_len` readable bytes per the contract.
        let key = unsafe {
            boundary::bytes(
                key_pem.cast(),
                key_len as usize,
                Status::SEC_E_INVALID_PARAMETER,
            )
        }?;
        let ctx = context_from_pem(cert, key)?;
        // SAFETY: `ppCert` is usable (checked above).
        unsafe { hand_out(ppCert, ctx) }
    })
}

/// Static NUL-terminated names of every known status.
static NAMES: LazyLock<HashMap<i32, CString>> = LazyLock::new(|| {
    Status::ALL
        .iter()
        .map(|s| (s.raw(), CString::new(s.name()).unwrap_or_default()))
        .collect()
});

const UNKNOWN: &std::ffi::CStr = c"UNKNOWN_STATUS";

/// `OpenSchannelStatusName`: the symbolic name of a status (e.g. `"SEC_E_INVALID_TOKEN"`), or
/// `"UNKNOWN_STATUS"`; a static string, never NULL, never to be freed.
#[no_mangle]
pub extern "C" fn OpenSchannelStatusName(status: SECURITY_STATUS) -> *const c_char {
    guard_value("OpenSchannelStatusName", UNKNOWN.as_ptr(), || {
        NAMES.get(&status).map_or(UNKNOWN.as_ptr(), |s| s.as_ptr())
    })
}

#[cfg(test)]
// Tests call the exports with arguments that satisfy their contracts.
#[allow(
    clippy::undocumented_unsafe_blocks,
    clippy::multiple_unsafe_ops_per_block
)]
mod tests {
    use super::*;

    #[test]
    fn status_names_are_static_strings() {
        let name = OpenSchannelStatusName(Status::SEC_I_CONTEXT_EXPIRED.raw());
        // SAFETY: the function returns a NUL-terminated static string.
        assert_eq!(
            unsafe { c_char::read_str(name) }.as_deref(),
            Some("SEC_I_CONTEXT_EXPIRED")
        );
        let name = OpenSchannelStatusName(0x1234);
        // SAFETY: as above.
        assert_eq!(
            unsafe { c_char::read_str(name) }.as_deref(),
            Some("UNKNOWN_STATUS")
        );
    }

    #[test]
    fn null_arguments_are_invalid_parameters() {
        // SAFETY: NULL arguments are rejected before use.
        let s = unsafe {
            OpenSchannelCertContextFromPemFiles(
                std::ptr::null(),
                std::ptr::null(),
                std::ptr::null_mut(),
            )
        };
        assert_eq!(s, Status::SEC_E_INVALID_PARAMETER.raw());
    }
}
