//! The crypt32 exports (`wincrypt.h`): contexts and stores. Functions return `NULL`/`FALSE`
//! on failure, as on Windows.

use std::ffi::{c_char, c_void};
use std::sync::Arc;

use super::parse::CertData;
use super::{standalone, state, State};
use crate::boundary::{self, guard_value};
use crate::strings::SspiChar;
use crate::types::{CRYPT_BLOB, HCERTSTORE, PCCERT_CONTEXT};

/// `BOOL` TRUE / FALSE.
const TRUE: i32 = 1;
const FALSE: i32 = 0;

const CERT_STORE_PROV_MEMORY: usize = 2;
const CERT_CLOSE_STORE_CHECK_FLAG: u32 = 2;
const CERT_FIND_ANY: u32 = 0;
const CERT_FIND_SHA1_HASH: u32 = 0x0001_0000;
const CERT_FIND_SUBJECT_STR_A: u32 = 0x0007_0007;
const CERT_FIND_SUBJECT_STR_W: u32 = 0x0008_0007;
const CERT_FIND_ISSUER_STR_A: u32 = 0x0007_0004;
const CERT_FIND_ISSUER_STR_W: u32 = 0x0008_0004;

fn der_of(pb: *const u8, cb: u32) -> Option<Vec<u8>> {
    // SAFETY: the caller passes `cb` readable bytes at `pb` (CertCreateCertificateContext's
    // contract); NULL/zero is rejected by the helper.
    let bytes = unsafe {
        boundary::bytes(
            pb.cast(),
            cb as usize,
            openschannel_core::Status::SEC_E_INVALID_TOKEN,
        )
    };
    match bytes {
        Ok(b) if !b.is_empty() => Some(b.to_vec()),
        _ => None,
    }
}

/// `CertCreateCertificateContext`: a new context (in its own store) for the DER bytes, which
/// are copied. `NULL` when the bytes are not an X.509 certificate.
///
/// # Safety
/// `pbCertEncoded` must point to `cbCertEncoded` readable bytes.
#[no_mangle]
pub unsafe extern "C" fn CertCreateCertificateContext(
    dwCertEncodingType: u32,
    pbCertEncoded: *const u8,
    cbCertEncoded: u32,
) -> PCCERT_CONTEXT {
    let _ = dwCertEncodingType;
    guard_value("CertCreateCertificateContext", std::ptr::null(), || {
        der_of(pbCertEncoded, cbCertEncoded)
            .and_then(CertData::parse)
            .and_then(|d| standalone(vec![Arc::new(d)]))
            .unwrap_or(std::ptr::null())
    })
}

/// `CertDuplicateCertificateContext`: adds a reference and returns the same pointer; `NULL` for
/// `NULL` or a pointer this library did not hand out.
///
/// # Safety
/// Any pointer value is accepted; only registered contexts are touched.
#[no_mangle]
pub unsafe extern "C" fn CertDuplicateCertificateContext(
    pCertContext: PCCERT_CONTEXT,
) -> PCCERT_CONTEXT {
    guard_value("CertDuplicateCertificateContext", std::ptr::null(), || {
        if state().duplicate(pCertContext as usize) {
            pCertContext
        } else {
            std::ptr::null()
        }
    })
}

/// `CertFreeCertificateContext`: drops one reference (`NULL` is accepted). Returns `FALSE` for a
/// pointer that is not a live context or has no reference left (double free).
///
/// # Safety
/// Any pointer value is accepted; only registered contexts are touched.
#[no_mangle]
pub unsafe extern "C" fn CertFreeCertificateContext(pCertContext: PCCERT_CONTEXT) -> i32 {
    guard_value("CertFreeCertificateContext", FALSE, || {
        if pCertContext.is_null() || state().release(pCertContext as usize) {
            TRUE
        } else {
            FALSE
        }
    })
}

/// `CertOpenStore`: `CERT_STORE_PROV_MEMORY`, `CERT_STORE_PROV_SYSTEM(_A/_W)` and
/// `CERT_STORE_PROV_FILENAME(_A/_W)` (see `system_store`); other providers give `NULL` with
/// `ERROR_FILE_NOT_FOUND`.
///
/// # Safety
/// `lpszStoreProvider` is a provider number or a NUL-terminated provider name; `pvPara` is
/// what the provider expects (the store or file name).
#[no_mangle]
pub unsafe extern "C" fn CertOpenStore(
    lpszStoreProvider: *const c_char,
    dwEncodingType: u32,
    hCryptProv: usize,
    dwFlags: u32,
    pvPara: *const c_void,
) -> HCERTSTORE {
    let _ = (dwEncodingType, hCryptProv);
    guard_value("CertOpenStore", std::ptr::null_mut(), || {
        if lpszStoreProvider as usize == CERT_STORE_PROV_MEMORY {
            return state().new_store(1) as HCERTSTORE;
        }
        // SAFETY: the provider's pvPara contract is passed on unchanged.
        match unsafe { super::system_store::open(lpszStoreProvider, dwFlags, pvPara) } {
            Some(store) => store,
            None => crate::lasterror::fail(
                std::ptr::null_mut(),
                super::system_store::ERROR_FILE_NOT_FOUND,
            ),
        }
    })
}

/// `CertCloseStore`: closes one open handle. The store's memory lives on while contexts from it
/// are referenced (`CERT_CLOSE_STORE_FORCE_FLAG` behaves the same way; with
/// `CERT_CLOSE_STORE_CHECK_FLAG` the result is `FALSE` when references remain). `FALSE` for an
/// unknown or already closed store.
///
/// # Safety
/// Any pointer value is accepted; only registered stores are touched.
#[no_mangle]
pub unsafe extern "C" fn CertCloseStore(hCertStore: HCERTSTORE, dwFlags: u32) -> i32 {
    guard_value("CertCloseStore", FALSE, || {
        if hCertStore.is_null() {
            return TRUE;
        }
        let addr = hCertStore as usize;
        let mut st = state();
        let Some(s) = st.stores.get_mut(&addr) else {
            return FALSE;
        };
        if s.open == 0 {
            return FALSE;
        }
        s.open -= 1;
        st.maybe_drop(addr);
        if dwFlags & CERT_CLOSE_STORE_CHECK_FLAG != 0 && st.stores.contains_key(&addr) {
            FALSE
        } else {
            TRUE
        }
    })
}

/// Adds `data` to `store` per the add disposition, returning the context in the store.
fn add_with_disposition(
    st: &mut State,
    store: usize,
    data: Arc<CertData>,
    disposition: u32,
) -> Option<usize> {
    let existing = st
        .members(store)?
        .into_iter()
        .find(|(_, d)| d.der == data.der)
        .map(|(addr, _)| addr);
    match (disposition, existing) {
        (1, Some(_)) => None,
        (1..=3 | 5..=7, Some(addr)) => Some(addr),
        (1..=7, _) => {
            if !super::system_store::check_writable(store)
                || !super::system_store::persist(store, &data)
            {
                return None;
            }
            st.add(store, data)
        }
        _ => None,
    }
}

/// Writes a new caller reference to `addr` into `pp` (when non-NULL).
fn hand_back(st: &mut State, addr: usize, pp: *mut PCCERT_CONTEXT) {
    if pp.is_null() {
        return;
    }
    st.duplicate(addr);
    // SAFETY: `pp` is the caller's out-parameter; NULL and misalignment are checked by `write`.
    if !unsafe { boundary::write(pp, addr as PCCERT_CONTEXT) } {
        st.release(addr);
    }
}

/// `CertAddEncodedCertificateToStore`.
///
/// # Safety
/// `pbCertEncoded` must point to `cbCertEncoded` bytes; `ppCertContext` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn CertAddEncodedCertificateToStore(
    hCertStore: HCERTSTORE,
    dwCertEncodingType: u32,
    pbCertEncoded: *const u8,
    cbCertEncoded: u32,
    dwAddDisposition: u32,
    ppCertContext: *mut PCCERT_CONTEXT,
) -> i32 {
    let _ = dwCertEncodingType;
    guard_value("CertAddEncodedCertificateToStore", FALSE, || {
        let Some(data) = der_of(pbCertEncoded, cbCertEncoded).and_then(CertData::parse) else {
            return FALSE;
        };
        let mut st = state();
        match add_with_disposition(
            &mut st,
            hCertStore as usize,
            Arc::new(data),
            dwAddDisposition,
        ) {
            Some(addr) => {
                hand_back(&mut st, addr, ppCertContext);
                TRUE
            }
            None => FALSE,
        }
    })
}

/// `CertAddCertificateContextToStore`: the new context shares the source's data, including its
/// private key.
///
/// # Safety
/// `ppStoreContext` is NULL or writable; the other pointers are checked against the registry.
#[no_mangle]
pub unsafe extern "C" fn CertAddCertificateContextToStore(
    hCertStore: HCERTSTORE,
    pCertContext: PCCERT_CONTEXT,
    dwAddDisposition: u32,
    ppStoreContext: *mut PCCERT_CONTEXT,
) -> i32 {
    guard_value("CertAddCertificateContextToStore", FALSE, || {
        let mut st = state();
        let Some(data) = st.data(pCertContext as usize) else {
            return FALSE;
        };
        match add_with_disposition(&mut st, hCertStore as usize, data, dwAddDisposition) {
            Some(addr) => {
                hand_back(&mut st, addr, ppStoreContext);
                TRUE
            }
            None => FALSE,
        }
    })
}

/// The next context after `prev` in `store` that satisfies `pred` (a new reference), releasing
/// `prev` as Windows does.
fn next_match(
    store: HCERTSTORE,
    prev: PCCERT_CONTEXT,
    pred: impl Fn(&CertData) -> bool,
) -> PCCERT_CONTEXT {
    let mut st = state();
    let Some(members) = st.members(store as usize) else {
        return std::ptr::null();
    };
    let start = if prev.is_null() {
        0
    } else {
        match members.iter().position(|(addr, _)| *addr == prev as usize) {
            Some(i) => i + 1,
            None => return std::ptr::null(),
        }
    };
    let found = members[start..]
        .iter()
        .find(|(_, d)| pred(d))
        .map(|(a, _)| *a);
    if let Some(addr) = found {
        st.duplicate(addr);
    }
    if !prev.is_null() {
        st.release(prev as usize);
    }
    found.map_or(std::ptr::null(), |a| a as PCCERT_CONTEXT)
}

/// `CertEnumCertificatesInStore`: pass `NULL` first, then the previous result (which is
/// released). Returns `NULL` at the end.
///
/// # Safety
/// Any pointer values are accepted; only registered stores and contexts are touched.
#[no_mangle]
pub unsafe extern "C" fn CertEnumCertificatesInStore(
    hCertStore: HCERTSTORE,
    pPrevCertContext: PCCERT_CONTEXT,
) -> PCCERT_CONTEXT {
    guard_value("CertEnumCertificatesInStore", std::ptr::null(), || {
        next_match(hCertStore, pPrevCertContext, |_| true)
    })
}

/// `CertFindCertificateInStore`: `CERT_FIND_ANY`, `CERT_FIND_SUBJECT_STR_A/W`,
/// `CERT_FIND_ISSUER_STR_A/W` (case-insensitive substring of the name),
/// `CERT_FIND_SHA1_HASH`, and the find types of `find` (`HAS_PRIVATE_KEY`, `SUBJECT_NAME`,
/// `ISSUER_NAME`, `SHA256_HASH`, `EXISTING`, `ISSUER_OF`). `NULL` with `CRYPT_E_NOT_FOUND`
/// when nothing (more) matches; other find types give `NULL` with `E_INVALIDARG`.
///
/// # Safety
/// `pvFindPara` must match `dwFindType` (a NUL-terminated string, or a `CRYPT_HASH_BLOB*`).
#[no_mangle]
pub unsafe extern "C" fn CertFindCertificateInStore(
    hCertStore: HCERTSTORE,
    dwCertEncodingType: u32,
    dwFindFlags: u32,
    dwFindType: u32,
    pvFindPara: *const c_void,
    pPrevCertContext: PCCERT_CONTEXT,
) -> PCCERT_CONTEXT {
    let _ = (dwCertEncodingType, dwFindFlags);
    guard_value("CertFindCertificateInStore", std::ptr::null(), || {
        let text = |issuer: bool, needle: Option<String>| {
            let needle = needle.unwrap_or_default().to_lowercase();
            move |d: &CertData| {
                let (full, names) = if issuer {
                    (&d.issuer_str, &d.issuer_names)
                } else {
                    (&d.subject_str, &d.subject_names)
                };
                full.to_lowercase().contains(&needle)
                    || [&names.common_name, &names.organization, &names.email]
                        .into_iter()
                        .flatten()
                        .any(|n| n.to_lowercase().contains(&needle))
            }
        };
        let found = match dwFindType {
            CERT_FIND_ANY => next_match(hCertStore, pPrevCertContext, |_| true),
            CERT_FIND_SUBJECT_STR_A | CERT_FIND_ISSUER_STR_A => {
                // SAFETY: for these find types pvFindPara is a NUL-terminated char string.
                let needle = unsafe { c_char::read_str(pvFindPara.cast()) };
                next_match(
                    hCertStore,
                    pPrevCertContext,
                    text(dwFindType == CERT_FIND_ISSUER_STR_A, needle),
                )
            }
            CERT_FIND_SUBJECT_STR_W | CERT_FIND_ISSUER_STR_W => {
                // SAFETY: for these find types pvFindPara is a NUL-terminated UTF-16 string.
                let needle = unsafe { u16::read_str(pvFindPara.cast()) };
                next_match(
                    hCertStore,
                    pPrevCertContext,
                    text(dwFindType == CERT_FIND_ISSUER_STR_W, needle),
                )
            }
            CERT_FIND_SHA1_HASH => {
                // SAFETY: for this find type pvFindPara is a CRYPT_HASH_BLOB*.
                let Ok(blob) = (unsafe {
                    boundary::read(
                        pvFindPara.cast::<CRYPT_BLOB>(),
                        openschannel_core::Status::SEC_E_INVALID_PARAMETER,
                    )
                }) else {
                    return std::ptr::null();
                };
                // SAFETY: the blob describes cbData readable bytes.
                let Ok(hash) = (unsafe {
                    boundary::bytes(
                        blob.pbData.cast(),
                        blob.cbData as usize,
                        openschannel_core::Status::SEC_E_INVALID_PARAMETER,
                    )
                }) else {
                    return std::ptr::null();
                };
                let hash = hash.to_vec();
                next_match(hCertStore, pPrevCertContext, move |d| {
                    d.sha1[..] == hash[..]
                })
            }
            _ => {
                // SAFETY: pvFindPara matches dwFindType (the caller's contract).
                let Some(pred) = (unsafe { super::find::predicate(dwFindType, pvFindPara) }) else {
                    return crate::lasterror::fail(
                        std::ptr::null(),
                        super::system_store::E_INVALIDARG,
                    );
                };
                next_match(hCertStore, pPrevCertContext, pred)
            }
        };
        if found.is_null() {
            crate::lasterror::set(super::find::CRYPT_E_NOT_FOUND);
        }
        found
    })
}

// Implemented in names.rs and properties.rs; re-exported so that `crypt32::exports` keeps
// naming every crypt32 entry point it did.
pub use super::names::{CertGetNameStringA, CertGetNameStringW};
pub use super::properties::CertGetCertificateContextProperty;

/// `PFXImportCertStore`: parses a PKCS#12 blob (UTF-16 password; NULL = empty) into a new
/// memory store. Certificates with a private key come first and carry the key (and their
/// chain), so they can be used in `SCHANNEL_CRED.paCred`. `NULL` on a bad blob or password.
///
/// # Safety
/// `pPFX` points to a `CRYPT_DATA_BLOB` describing readable bytes; `szPassword` is NULL or
/// NUL-terminated.
#[no_mangle]
pub unsafe extern "C" fn PFXImportCertStore(
    pPFX: *const CRYPT_BLOB,
    szPassword: *const u16,
    dwFlags: u32,
) -> HCERTSTORE {
    let _ = dwFlags;
    guard_value("PFXImportCertStore", std::ptr::null_mut(), || {
        // SAFETY: `pPFX` is checked for NULL/alignment.
        let Ok(blob) =
            (unsafe { boundary::read(pPFX, openschannel_core::Status::SEC_E_INVALID_PARAMETER) })
        else {
            return std::ptr::null_mut();
        };
        // SAFETY: the blob describes cbData readable bytes.
        let Ok(bytes) = (unsafe {
            boundary::bytes(
                blob.pbData.cast(),
                blob.cbData as usize,
                openschannel_core::Status::SEC_E_INVALID_PARAMETER,
            )
        }) else {
            return std::ptr::null_mut();
        };
        // SAFETY: NULL or NUL-terminated per the contract.
        let password = unsafe { u16::read_str(szPassword) }.unwrap_or_default();
        match super::pfx::import(bytes, &password) {
            Some(certs) => {
                let mut st = state();
                let store = st.new_store(1);
                for data in certs {
                    st.add(store, data);
                }
                store as HCERTSTORE
            }
            None => std::ptr::null_mut(),
        }
    })
}
