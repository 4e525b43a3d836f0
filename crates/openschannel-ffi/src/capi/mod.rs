//! The CryptoAPI subset (advapi32): providers and key containers, RSA private-key import, and
//! hashes — what `curl --pinnedpubkey` (SHA-256 through `CryptCreateHash`) and servers that
//! import their key blob (`CryptImportKey` + `CERT_KEY_PROV_INFO_PROP_ID`, as Wine's Schannel
//! test does) use.
//!
//! Providers: `MS_DEF_PROV`, `MS_ENHANCED_PROV`, `MS_STRONG_PROV` (`PROV_RSA_FULL`),
//! `MS_DEF_RSA_SCHANNEL_PROV` (`PROV_RSA_SCHANNEL`) and `MS_ENH_RSA_AES_PROV`
//! (`PROV_RSA_AES`); NULL picks the type's default. Named containers (per user, or per machine
//! with `CRYPT_MACHINE_KEYSET`) live in process memory for the life of the process; nothing is
//! persisted. `CRYPT_VERIFYCONTEXT` gives a provider without a container (hashing, ephemeral
//! imports). Handles are small integers looked up in a table, never addresses; every function
//! sets the Windows code (`NTE_BAD_KEYSET`, `NTE_BAD_UID`, `NTE_BAD_HASH`, …) on failure.

pub(crate) mod hash;
pub mod keys;

use std::collections::HashMap;
use std::ffi::c_char;
use std::sync::{LazyLock, Mutex, MutexGuard};

use zeroize::Zeroizing;

use crate::boundary::guard_value;
use crate::lasterror;
use crate::strings::SspiChar;
use hash::Hasher;

/// `PROV_RSA_FULL`.
const PROV_RSA_FULL: u32 = 1;
/// `PROV_RSA_SCHANNEL`.
const PROV_RSA_SCHANNEL: u32 = 12;
/// `PROV_RSA_AES`.
const PROV_RSA_AES: u32 = 24;

const CRYPT_VERIFYCONTEXT: u32 = 0xF000_0000;
const CRYPT_NEWKEYSET: u32 = 0x8;
const CRYPT_DELETEKEYSET: u32 = 0x10;
/// `CRYPT_MACHINE_KEYSET`.
pub(crate) const CRYPT_MACHINE_KEYSET: u32 = 0x20;
const CRYPT_SILENT: u32 = 0x40;
const CRYPT_DEFAULT_CONTAINER_OPTIONAL: u32 = 0x80;

/// `AT_KEYEXCHANGE`.
pub(crate) const AT_KEYEXCHANGE: u32 = 1;
/// `AT_SIGNATURE`.
pub(crate) const AT_SIGNATURE: u32 = 2;

const HP_ALGID: u32 = 1;
const HP_HASHVAL: u32 = 2;
const HP_HASHSIZE: u32 = 4;

pub(crate) const NTE_BAD_UID: u32 = 0x8009_0001;
const NTE_BAD_HASH: u32 = 0x8009_0002;
pub(crate) const NTE_BAD_KEY: u32 = 0x8009_0003;
pub(crate) const NTE_BAD_DATA: u32 = 0x8009_0005;
pub(crate) const NTE_BAD_FLAGS: u32 = 0x8009_0009;
pub(crate) const NTE_BAD_TYPE: u32 = 0x8009_000A;
const NTE_BAD_HASH_STATE: u32 = 0x8009_000C;
pub(crate) const NTE_BAD_VER: u32 = 0x8009_0007;
pub(crate) const NTE_BAD_ALGID: u32 = 0x8009_0008;
const NTE_NO_KEY: u32 = 0x8009_000D;
const NTE_EXISTS: u32 = 0x8009_000F;
const NTE_BAD_PROV_TYPE: u32 = 0x8009_0014;
const NTE_BAD_KEYSET: u32 = 0x8009_0016;
const NTE_KEYSET_NOT_DEF: u32 = 0x8009_0019;
const NTE_PROV_TYPE_NO_MATCH: u32 = 0x8009_001B;
pub(crate) const ERROR_INVALID_PARAMETER: u32 = 87;
const ERROR_MORE_DATA: u32 = 234;

const TRUE: i32 = 1;
const FALSE: i32 = 0;

/// Provider names and their types.
const PROVIDERS: &[(&str, u32)] = &[
    ("Microsoft Base Cryptographic Provider v1.0", PROV_RSA_FULL),
    (
        "Microsoft Enhanced Cryptographic Provider v1.0",
        PROV_RSA_FULL,
    ),
    ("Microsoft Strong Cryptographic Provider", PROV_RSA_FULL),
    (
        "Microsoft RSA SChannel Cryptographic Provider",
        PROV_RSA_SCHANNEL,
    ),
    (
        "Microsoft Enhanced RSA and AES Cryptographic Provider",
        PROV_RSA_AES,
    ),
    (
        "Microsoft Enhanced RSA and AES Cryptographic Provider (Prototype)",
        PROV_RSA_AES,
    ),
];

/// An RSA private key held by a container or a key handle.
#[derive(Clone)]
pub(crate) struct StoredKey {
    /// PKCS#1 `RSAPrivateKey` DER.
    pub(crate) pkcs1: Zeroizing<Vec<u8>>,
    /// The modulus (big-endian, no leading zeros), to match certificates.
    pub(crate) modulus: Vec<u8>,
    /// `CALG_RSA_KEYX` / `CALG_RSA_SIGN`.
    pub(crate) algid: u32,
    /// Modulus size in bits.
    pub(crate) bits: u32,
}

impl std::fmt::Debug for StoredKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "StoredKey(RSA-{}, algid {:#x})", self.bits, self.algid)
    }
}

#[derive(Default, Clone)]
struct Container {
    exchange: Option<StoredKey>,
    signature: Option<StoredKey>,
}

impl Container {
    fn key(&self, spec: u32) -> Option<&StoredKey> {
        match spec {
            AT_KEYEXCHANGE => self.exchange.as_ref(),
            AT_SIGNATURE => self.signature.as_ref(),
            _ => None,
        }
    }
}

struct Provider {
    /// (name, machine) of the container; None for a verify context.
    container: Option<(String, bool)>,
    refs: usize,
}

struct KeyObj {
    key: StoredKey,
}

struct HashObj {
    hasher: Hasher,
    finished: bool,
}

#[derive(Default)]
struct State {
    next: usize,
    containers: HashMap<(String, bool), Container>,
    providers: HashMap<usize, Provider>,
    keys: HashMap<usize, KeyObj>,
    hashes: HashMap<usize, HashObj>,
}

impl State {
    fn handle(&mut self) -> usize {
        // Handles start high and odd so that they are never mistaken for pointers or small
        // constants.
        self.next += 2;
        0x4f53_0001 + self.next
    }
}

static STATE: LazyLock<Mutex<State>> = LazyLock::new(|| Mutex::new(State::default()));

fn state() -> MutexGuard<'static, State> {
    STATE.lock().unwrap_or_else(|e| e.into_inner())
}

/// The default container's name (the user's login name, as Windows uses it).
fn default_container() -> String {
    std::env::var("USER").unwrap_or_else(|_| "openschannel".into())
}

fn acquire(
    ph: *mut usize,
    container: Option<String>,
    provider: Option<String>,
    prov_type: u32,
    flags: u32,
) -> i32 {
    if ph.is_null() || !ph.is_aligned() {
        return lasterror::fail(FALSE, ERROR_INVALID_PARAMETER);
    }
    let known = CRYPT_VERIFYCONTEXT
        | CRYPT_NEWKEYSET
        | CRYPT_DELETEKEYSET
        | CRYPT_MACHINE_KEYSET
        | CRYPT_SILENT
        | CRYPT_DEFAULT_CONTAINER_OPTIONAL;
    if flags & !known != 0 {
        return lasterror::fail(FALSE, NTE_BAD_FLAGS);
    }
    if ![PROV_RSA_FULL, PROV_RSA_SCHANNEL, PROV_RSA_AES].contains(&prov_type) {
        return lasterror::fail(FALSE, NTE_BAD_PROV_TYPE);
    }
    if let Some(name) = &provider {
        match PROVIDERS.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)) {
            None => return lasterror::fail(FALSE, NTE_KEYSET_NOT_DEF),
            Some((_, t)) if *t != prov_type => {
                return lasterror::fail(FALSE, NTE_PROV_TYPE_NO_MATCH)
            }
            Some(_) => {}
        }
    }
    let machine = flags & CRYPT_MACHINE_KEYSET != 0;
    let mut st = state();
    let container = if flags & CRYPT_VERIFYCONTEXT == CRYPT_VERIFYCONTEXT {
        None
    } else {
        let key = (container.unwrap_or_else(default_container), machine);
        if flags & CRYPT_DELETEKEYSET != 0 {
            if st.containers.remove(&key).is_none() {
                return lasterror::fail(FALSE, NTE_BAD_KEYSET);
            }
            // SAFETY: `ph` is non-NULL and aligned (checked above).
            unsafe { ph.write(0) };
            return TRUE;
        }
        if flags & CRYPT_NEWKEYSET != 0 {
            if st.containers.contains_key(&key) {
                return lasterror::fail(FALSE, NTE_EXISTS);
            }
            st.containers.insert(key.clone(), Container::default());
        } else if !st.containers.contains_key(&key) {
            return lasterror::fail(FALSE, NTE_BAD_KEYSET);
        }
        Some(key)
    };
    let h = st.handle();
    st.providers.insert(h, Provider { container, refs: 1 });
    // SAFETY: `ph` is non-NULL and aligned (checked above).
    unsafe { ph.write(h) };
    TRUE
}

/// `CryptAcquireContextA`: opens (or with `CRYPT_NEWKEYSET` creates, with
/// `CRYPT_DELETEKEYSET` deletes) the named key container (NULL: the user's default one) of a
/// provider; `CRYPT_VERIFYCONTEXT` opens none. Fails with `NTE_BAD_KEYSET` (no such
/// container), `NTE_EXISTS`, `NTE_BAD_PROV_TYPE`, `NTE_KEYSET_NOT_DEF` (unknown provider),
/// `NTE_PROV_TYPE_NO_MATCH`, `NTE_BAD_FLAGS`.
///
/// # Safety
/// `phProv` is writable; the strings are NULL or NUL-terminated.
#[no_mangle]
pub unsafe extern "C" fn CryptAcquireContextA(
    phProv: *mut usize,
    szContainer: *const c_char,
    szProvider: *const c_char,
    dwProvType: u32,
    dwFlags: u32,
) -> i32 {
    guard_value("CryptAcquireContextA", FALSE, || {
        // SAFETY: NULL or NUL-terminated (the contract).
        let container = unsafe { c_char::read_str(szContainer) };
        // SAFETY: as above.
        let provider = unsafe { c_char::read_str(szProvider) };
        acquire(phProv, container, provider, dwProvType, dwFlags)
    })
}

/// `CryptAcquireContextW`: as [`CryptAcquireContextA`], with UTF-16 names.
///
/// # Safety
/// As [`CryptAcquireContextA`].
#[no_mangle]
pub unsafe extern "C" fn CryptAcquireContextW(
    phProv: *mut usize,
    szContainer: *const u16,
    szProvider: *const u16,
    dwProvType: u32,
    dwFlags: u32,
) -> i32 {
    guard_value("CryptAcquireContextW", FALSE, || {
        // SAFETY: NULL or NUL-terminated (the contract).
        let container = unsafe { u16::read_str(szContainer) };
        // SAFETY: as above.
        let provider = unsafe { u16::read_str(szProvider) };
        acquire(phProv, container, provider, dwProvType, dwFlags)
    })
}

/// `CryptContextAddRef`: one more reference to a provider handle.
#[no_mangle]
pub extern "C" fn CryptContextAddRef(hProv: usize, pdwReserved: *mut u32, dwFlags: u32) -> i32 {
    guard_value("CryptContextAddRef", FALSE, || {
        if !pdwReserved.is_null() || dwFlags != 0 {
            return lasterror::fail(FALSE, ERROR_INVALID_PARAMETER);
        }
        match state().providers.get_mut(&hProv) {
            Some(p) => {
                p.refs += 1;
                TRUE
            }
            None => lasterror::fail(FALSE, NTE_BAD_UID),
        }
    })
}

/// `CryptReleaseContext`: drops one reference to a provider handle (`NTE_BAD_UID` for an
/// unknown or released one; `NTE_BAD_FLAGS` for non-zero flags).
#[no_mangle]
pub extern "C" fn CryptReleaseContext(hProv: usize, dwFlags: u32) -> i32 {
    guard_value("CryptReleaseContext", FALSE, || {
        let mut st = state();
        let Some(p) = st.providers.get_mut(&hProv) else {
            return lasterror::fail(FALSE, NTE_BAD_UID);
        };
        if dwFlags != 0 {
            return lasterror::fail(FALSE, NTE_BAD_FLAGS);
        }
        p.refs -= 1;
        if p.refs == 0 {
            st.providers.remove(&hProv);
        }
        TRUE
    })
}

/// Imports `key` through provider `h` (stored in its container unless it is a verify
/// context) and returns a new key handle.
pub(crate) fn import_key(h: usize, key: StoredKey, spec: u32) -> Result<usize, u32> {
    let mut st = state();
    let container = st.providers.get(&h).ok_or(NTE_BAD_UID)?.container.clone();
    if let Some(name) = container {
        let c = st.containers.entry(name).or_default();
        if spec == AT_SIGNATURE {
            c.signature = Some(key.clone());
        } else {
            c.exchange = Some(key.clone());
        }
    }
    let kh = st.handle();
    st.keys.insert(kh, KeyObj { key });
    Ok(kh)
}

/// `CryptGetUserKey`: a handle to the container's key pair `dwKeySpec` (`AT_KEYEXCHANGE`,
/// `AT_SIGNATURE`); `NTE_NO_KEY` when it has none.
///
/// # Safety
/// `phUserKey` is writable.
#[no_mangle]
pub unsafe extern "C" fn CryptGetUserKey(
    hProv: usize,
    dwKeySpec: u32,
    phUserKey: *mut usize,
) -> i32 {
    guard_value("CryptGetUserKey", FALSE, || {
        if phUserKey.is_null() || !phUserKey.is_aligned() {
            return lasterror::fail(FALSE, ERROR_INVALID_PARAMETER);
        }
        let mut st = state();
        let Some(p) = st.providers.get(&hProv) else {
            return lasterror::fail(FALSE, NTE_BAD_UID);
        };
        let key = p
            .container
            .as_ref()
            .and_then(|c| st.containers.get(c))
            .and_then(|c| c.key(dwKeySpec))
            .cloned();
        let Some(key) = key else {
            return lasterror::fail(FALSE, NTE_NO_KEY);
        };
        let kh = st.handle();
        st.keys.insert(kh, KeyObj { key });
        // SAFETY: non-NULL and aligned (checked above).
        unsafe { phUserKey.write(kh) };
        TRUE
    })
}

/// `CryptDestroyKey`: releases a key handle (the container keeps its key).
#[no_mangle]
pub extern "C" fn CryptDestroyKey(hKey: usize) -> i32 {
    guard_value("CryptDestroyKey", FALSE, || {
        if state().keys.remove(&hKey).is_some() {
            TRUE
        } else {
            lasterror::fail(FALSE, NTE_BAD_KEY)
        }
    })
}

/// `CryptGetKeyParam`: `KP_ALGID` and `KP_KEYLEN` (bits) of a key handle, as DWORDs, by the
/// size-query protocol.
///
/// # Safety
/// `pdwDataLen` is writable; `pbData` is NULL or holds `*pdwDataLen` bytes.
#[no_mangle]
pub unsafe extern "C" fn CryptGetKeyParam(
    hKey: usize,
    dwParam: u32,
    pbData: *mut u8,
    pdwDataLen: *mut u32,
    dwFlags: u32,
) -> i32 {
    const KP_ALGID: u32 = 7;
    const KP_KEYLEN: u32 = 9;
    guard_value("CryptGetKeyParam", FALSE, || {
        if dwFlags != 0 {
            return lasterror::fail(FALSE, NTE_BAD_FLAGS);
        }
        let value = {
            let st = state();
            let Some(k) = st.keys.get(&hKey) else {
                return lasterror::fail(FALSE, NTE_BAD_KEY);
            };
            match dwParam {
                KP_ALGID => k.key.algid,
                KP_KEYLEN => k.key.bits,
                _ => return lasterror::fail(FALSE, NTE_BAD_TYPE),
            }
        };
        // SAFETY: the caller's buffer contract.
        unsafe { put_value(&value.to_ne_bytes(), pbData, pdwDataLen) }
    })
}

/// Writes `value` by the size-query protocol.
///
/// # Safety
/// `pcb` is writable; `pb` is NULL or holds `*pcb` bytes.
unsafe fn put_value(value: &[u8], pb: *mut u8, pcb: *mut u32) -> i32 {
    let status = openschannel_core::Status::SEC_E_INVALID_PARAMETER;
    // SAFETY: the caller's in/out size, checked for NULL/alignment.
    let Ok(have) = (unsafe { crate::boundary::read(pcb.cast_const(), status) }) else {
        return lasterror::fail(FALSE, ERROR_INVALID_PARAMETER);
    };
    let len = u32::try_from(value.len()).unwrap_or(u32::MAX);
    // SAFETY: checked above.
    unsafe { pcb.write(len) };
    if pb.is_null() {
        return TRUE;
    }
    if have < len {
        return lasterror::fail(FALSE, ERROR_MORE_DATA);
    }
    // SAFETY: the caller's buffer holds `have` >= len bytes.
    unsafe { std::ptr::copy_nonoverlapping(value.as_ptr(), pb, value.len()) };
    TRUE
}

/// `CryptCreateHash`: a new MD5, SHA-1, SHA-256, SHA-384 or SHA-512 hash (`NTE_BAD_ALGID`
/// otherwise; keyed hashes are not supported: `NTE_BAD_KEY`).
///
/// # Safety
/// `phHash` is writable.
#[no_mangle]
pub unsafe extern "C" fn CryptCreateHash(
    hProv: usize,
    Algid: u32,
    hKey: usize,
    dwFlags: u32,
    phHash: *mut usize,
) -> i32 {
    guard_value("CryptCreateHash", FALSE, || {
        if phHash.is_null() || !phHash.is_aligned() {
            return lasterror::fail(FALSE, ERROR_INVALID_PARAMETER);
        }
        let mut st = state();
        if !st.providers.contains_key(&hProv) {
            return lasterror::fail(FALSE, NTE_BAD_UID);
        }
        if dwFlags != 0 {
            return lasterror::fail(FALSE, NTE_BAD_FLAGS);
        }
        let Some(hasher) = Hasher::new(Algid) else {
            return lasterror::fail(FALSE, NTE_BAD_ALGID);
        };
        if hKey != 0 {
            return lasterror::fail(FALSE, NTE_BAD_KEY);
        }
        let h = st.handle();
        st.hashes.insert(
            h,
            HashObj {
                hasher,
                finished: false,
            },
        );
        // SAFETY: non-NULL and aligned (checked above).
        unsafe { phHash.write(h) };
        TRUE
    })
}

/// `CryptHashData`: adds bytes (`NTE_BAD_HASH_STATE` once the value has been read).
///
/// # Safety
/// `pbData` holds `dwDataLen` bytes.
#[no_mangle]
pub unsafe extern "C" fn CryptHashData(
    hHash: usize,
    pbData: *const u8,
    dwDataLen: u32,
    dwFlags: u32,
) -> i32 {
    let _ = dwFlags;
    guard_value("CryptHashData", FALSE, || {
        let status = openschannel_core::Status::SEC_E_INVALID_PARAMETER;
        // SAFETY: `dwDataLen` readable bytes at `pbData`.
        let Ok(data) =
            (unsafe { crate::boundary::bytes(pbData.cast(), dwDataLen as usize, status) })
        else {
            return lasterror::fail(FALSE, ERROR_INVALID_PARAMETER);
        };
        let mut st = state();
        let Some(h) = st.hashes.get_mut(&hHash) else {
            return lasterror::fail(FALSE, NTE_BAD_HASH);
        };
        if h.finished {
            return lasterror::fail(FALSE, NTE_BAD_HASH_STATE);
        }
        h.hasher.update(data);
        TRUE
    })
}

/// `CryptGetHashParam`: `HP_ALGID`, `HP_HASHSIZE` (DWORDs) or `HP_HASHVAL` (the digest; the
/// hash then takes no more data). `pbData` NULL asks for the size; a short buffer fails with
/// `ERROR_MORE_DATA`.
///
/// # Safety
/// `pdwDataLen` is writable; `pbData` is NULL or holds `*pdwDataLen` bytes.
#[no_mangle]
pub unsafe extern "C" fn CryptGetHashParam(
    hHash: usize,
    dwParam: u32,
    pbData: *mut u8,
    pdwDataLen: *mut u32,
    dwFlags: u32,
) -> i32 {
    guard_value("CryptGetHashParam", FALSE, || {
        if dwFlags != 0 {
            return lasterror::fail(FALSE, NTE_BAD_FLAGS);
        }
        let mut st = state();
        let Some(h) = st.hashes.get_mut(&hHash) else {
            return lasterror::fail(FALSE, NTE_BAD_HASH);
        };
        let value = match dwParam {
            HP_ALGID => h.hasher.algid().to_ne_bytes().to_vec(),
            HP_HASHSIZE => (h.hasher.size() as u32).to_ne_bytes().to_vec(),
            HP_HASHVAL => h.hasher.value(),
            _ => return lasterror::fail(FALSE, NTE_BAD_TYPE),
        };
        // SAFETY: the caller's buffer contract.
        let ok = unsafe { put_value(&value, pbData, pdwDataLen) };
        if ok == TRUE && dwParam == HP_HASHVAL && !pbData.is_null() {
            h.finished = true;
        }
        ok
    })
}

/// `CryptDestroyHash`: releases a hash handle.
#[no_mangle]
pub extern "C" fn CryptDestroyHash(hHash: usize) -> i32 {
    guard_value("CryptDestroyHash", FALSE, || {
        if state().hashes.remove(&hHash).is_some() {
            TRUE
        } else {
            lasterror::fail(FALSE, NTE_BAD_HASH)
        }
    })
}

/// The private key a certificate's `CERT_KEY_PROV_INFO_PROP_ID` names: the container's key of
/// the given spec (either, for 0), if its modulus matches the certificate's public key. As
/// Windows reports it: `SEC_E_NO_CREDENTIALS` without the property, `SEC_E_UNKNOWN_CREDENTIALS`
/// when it names no usable key (no such container or key, or another key).
pub(crate) fn key_for_certificate(
    data: &crate::crypt32::CertData,
) -> Result<openschannel_core::PrivateKey, openschannel_core::Status> {
    use openschannel_core::Status;
    let info = data
        .props
        .key_prov_info()
        .ok_or(Status::SEC_E_NO_CREDENTIALS)?;
    let machine = info.flags & CRYPT_MACHINE_KEYSET != 0;
    let name = (info.container.unwrap_or_else(default_container), machine);
    let st = state();
    let c = st
        .containers
        .get(&name)
        .ok_or(Status::SEC_E_UNKNOWN_CREDENTIALS)?;
    let candidates: Vec<&StoredKey> = match info.key_spec {
        0 => [c.exchange.as_ref(), c.signature.as_ref()]
            .into_iter()
            .flatten()
            .collect(),
        spec => c.key(spec).into_iter().collect(),
    };
    let modulus =
        keys::rsa_modulus(data.public_key_bits()).ok_or(Status::SEC_E_UNKNOWN_CREDENTIALS)?;
    let key = candidates
        .into_iter()
        .find(|k| k.modulus == modulus)
        .ok_or(Status::SEC_E_UNKNOWN_CREDENTIALS)?;
    openschannel_core::PrivateKey::from_der(&key.pkcs1)
        .map_err(|_| Status::SEC_E_UNKNOWN_CREDENTIALS)
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
    fn containers_are_created_opened_and_deleted() {
        let name = c"openschannel-test-container";
        let mut h = 0usize;
        unsafe {
            assert_eq!(
                CryptAcquireContextA(&mut h, name.as_ptr(), std::ptr::null(), PROV_RSA_FULL, 0),
                FALSE
            );
            assert_eq!(lasterror::get(), NTE_BAD_KEYSET);
            assert_eq!(
                CryptAcquireContextA(
                    &mut h,
                    name.as_ptr(),
                    std::ptr::null(),
                    PROV_RSA_FULL,
                    CRYPT_NEWKEYSET
                ),
                TRUE
            );
            let mut again = 0usize;
            assert_eq!(
                CryptAcquireContextA(
                    &mut again,
                    name.as_ptr(),
                    std::ptr::null(),
                    PROV_RSA_FULL,
                    CRYPT_NEWKEYSET
                ),
                FALSE
            );
            assert_eq!(lasterror::get(), NTE_EXISTS);
            let mut key = 0usize;
            assert_eq!(CryptGetUserKey(h, AT_KEYEXCHANGE, &mut key), FALSE);
            assert_eq!(lasterror::get(), NTE_NO_KEY);
            assert_eq!(CryptReleaseContext(h, 0), TRUE);
            assert_eq!(CryptReleaseContext(h, 0), FALSE);
            assert_eq!(lasterror::get(), NTE_BAD_UID);
            let mut gone = 1usize;
            assert_eq!(
                CryptAcquireContextA(
                    &mut gone,
                    name.as_ptr(),
                    std::ptr::null(),
                    PROV_RSA_FULL,
                    CRYPT_DELETEKEYSET
                ),
                TRUE
            );
            assert_eq!(gone, 0);
            assert_eq!(
                CryptAcquireContextA(
                    &mut gone,
                    name.as_ptr(),
                    std::ptr::null(),
                    PROV_RSA_FULL,
                    CRYPT_DELETEKEYSET
                ),
                FALSE
            );
            assert_eq!(lasterror::get(), NTE_BAD_KEYSET);
            let aes = c"Microsoft Enhanced RSA and AES Cryptographic Provider";
            assert_eq!(
                CryptAcquireContextA(
                    &mut h,
                    std::ptr::null(),
                    aes.as_ptr(),
                    PROV_RSA_FULL,
                    CRYPT_VERIFYCONTEXT
                ),
                FALSE
            );
            assert_eq!(lasterror::get(), NTE_PROV_TYPE_NO_MATCH);
            assert_eq!(
                CryptAcquireContextA(
                    &mut h,
                    std::ptr::null(),
                    c"Nope".as_ptr(),
                    PROV_RSA_FULL,
                    CRYPT_VERIFYCONTEXT
                ),
                FALSE
            );
            assert_eq!(lasterror::get(), NTE_KEYSET_NOT_DEF);
            assert_eq!(
                CryptAcquireContextA(
                    &mut h,
                    std::ptr::null(),
                    std::ptr::null(),
                    99,
                    CRYPT_VERIFYCONTEXT
                ),
                FALSE
            );
            assert_eq!(lasterror::get(), NTE_BAD_PROV_TYPE);
        }
    }

    #[test]
    fn sha256_through_the_hash_api() {
        let mut prov = 0usize;
        let mut hash = 0usize;
        unsafe {
            assert_eq!(
                CryptAcquireContextW(
                    &mut prov,
                    std::ptr::null(),
                    std::ptr::null(),
                    PROV_RSA_AES,
                    CRYPT_VERIFYCONTEXT | CRYPT_SILENT
                ),
                TRUE
            );
            assert_eq!(
                CryptCreateHash(prov, hash::CALG_SHA_256, 0, 0, &mut hash),
                TRUE
            );
            assert_eq!(CryptHashData(hash, b"ab".as_ptr(), 2, 0), TRUE);
            assert_eq!(CryptHashData(hash, b"c".as_ptr(), 1, 0), TRUE);
            let mut size = 0u32;
            let mut len = 4u32;
            assert_eq!(
                CryptGetHashParam(
                    hash,
                    HP_HASHSIZE,
                    (&mut size as *mut u32).cast(),
                    &mut len,
                    0
                ),
                TRUE
            );
            assert_eq!(size, 32);
            let mut out = [0u8; 32];
            let mut len = 31u32;
            assert_eq!(
                CryptGetHashParam(hash, HP_HASHVAL, out.as_mut_ptr(), &mut len, 0),
                FALSE
            );
            assert_eq!((lasterror::get(), len), (ERROR_MORE_DATA, 32));
            assert_eq!(
                CryptGetHashParam(hash, HP_HASHVAL, out.as_mut_ptr(), &mut len, 0),
                TRUE
            );
            assert_eq!(&out[..4], &[0xba, 0x78, 0x16, 0xbf]);
            assert_eq!(CryptHashData(hash, b"c".as_ptr(), 1, 0), FALSE);
            assert_eq!(lasterror::get(), NTE_BAD_HASH_STATE);
            assert_eq!(CryptDestroyHash(hash), TRUE);
            assert_eq!(CryptDestroyHash(hash), FALSE);
            assert_eq!(lasterror::get(), NTE_BAD_HASH);
            assert_eq!(CryptCreateHash(prov, 0x6610, 0, 0, &mut hash), FALSE);
            assert_eq!(lasterror::get(), NTE_BAD_ALGID);
            assert_eq!(CryptReleaseContext(prov, 0), TRUE);
        }
    }
}
