//! System and file stores: `CertOpenStore(CERT_STORE_PROV_SYSTEM*/FILENAME*)`,
//! `CertOpenSystemStoreA/W`.
//!
//! * `ROOT` (and `AuthRoot`) is the platform trust store — the certificates OpenSSL would
//!   trust (`SSL_CERT_FILE`/`SSL_CERT_DIR`, else the distribution bundle; see
//!   `openschannel_core::pki::platform_roots`), loaded once per process, read-only: adding to
//!   it fails with `E_ACCESSDENIED`.
//! * Every other name (`MY`, `CA`, `TrustedPeople`, …) is a directory:
//!   `$OPENSCHANNEL_CERTSTORE/<NAME>` (name upper-cased), by default
//!   `$XDG_CONFIG_HOME/openschannel/certstore/<NAME>` or `~/.config/openschannel/certstore/<NAME>`.
//!   All `CERT_SYSTEM_STORE_*` locations open the same tree. Its files are read at open:
//!   `*.pfx`/`*.p12` (empty password), `*.pem`/`*.crt`/`*.cer` (PEM or DER; a PEM file's own
//!   private key, or one in `<stem>.key` beside it, makes its first certificate usable as a
//!   credential, with the file's other certificates as its chain), `*.der`, and `*.p7b`/`*.p7c`
//!   (PKCS#7) and `*.sst` (serialized store) bundles. Adding a
//!   certificate to an opened directory store (unless `CERT_STORE_READONLY_FLAG`) also writes
//!   it there as `<sha1>.crt` (PEM); private keys are never written.
//! * `CERT_STORE_PROV_FILENAME_A/W` reads a certificate file into a store — PEM, DER, PKCS#7
//!   (`.p7b`) or a serialized store (see `store_formats`); a missing file gives an empty store
//!   unless `CERT_STORE_OPEN_EXISTING_FLAG`/`READONLY`; changes are not written back.
//! * `CERT_STORE_PROV_PKCS7` / `CERT_STORE_PROV_SERIALIZED` read a `CRYPT_DATA_BLOB`.

use std::collections::HashMap;
use std::ffi::{c_char, c_void};
use std::path::{Path, PathBuf};
use std::sync::{Arc, LazyLock, Mutex, OnceLock};

use openschannel_core::{Certificate, PrivateKey};

use super::parse::CertData;
use super::{state, store_formats};
use crate::lasterror;
use crate::strings::SspiChar;

/// `E_ACCESSDENIED`.
pub(crate) const E_ACCESSDENIED: u32 = 0x8007_0005;
/// `E_INVALIDARG`.
pub(crate) const E_INVALIDARG: u32 = 0x8007_0057;
/// `ERROR_FILE_NOT_FOUND`.
pub(crate) const ERROR_FILE_NOT_FOUND: u32 = 2;
/// `ERROR_INVALID_DATA`.
const ERROR_INVALID_DATA: u32 = 13;
/// `CRYPT_E_ASN1_BADTAG`: a blob that is not PKCS#7.
const CRYPT_E_ASN1_BADTAG: u32 = 0x8009_310B;
/// `ERROR_FILE_EXISTS`.
const ERROR_FILE_EXISTS: u32 = 80;
/// `ERROR_INVALID_PARAMETER`.
const ERROR_INVALID_PARAMETER: u32 = 87;

const PROV_PKCS7: usize = 5;
const PROV_SERIALIZED: usize = 6;
const PROV_FILENAME_A: usize = 7;
const PROV_FILENAME_W: usize = 8;
const PROV_SYSTEM_A: usize = 9;
const PROV_SYSTEM_W: usize = 10;

const CERT_STORE_DELETE_FLAG: u32 = 0x0000_0010;
const CERT_STORE_CREATE_NEW_FLAG: u32 = 0x0000_2000;
const CERT_STORE_OPEN_EXISTING_FLAG: u32 = 0x0000_4000;
const CERT_STORE_READONLY_FLAG: u32 = 0x0000_8000;
const CERT_FILE_STORE_COMMIT_ENABLE_FLAG: u32 = 0x0001_0000;
const LOCATION_MASK: u32 = 0x00FF_0000;
/// `CERT_SYSTEM_STORE_CURRENT_USER`.
pub(crate) const CERT_SYSTEM_STORE_CURRENT_USER: u32 = 0x0001_0000;

/// What backs an opened store.
#[derive(Clone, Debug)]
enum Backing {
    /// The platform trust store (read-only).
    Root,
    /// A certificate directory.
    Dir { path: PathBuf, readonly: bool },
}

static BACKING: LazyLock<Mutex<HashMap<usize, Backing>>> =
    LazyLock::new(|| Mutex::new(HashMap::new()));

fn backing() -> std::sync::MutexGuard<'static, HashMap<usize, Backing>> {
    BACKING.lock().unwrap_or_else(|e| e.into_inner())
}

/// Handles the process itself holds on the ROOT store.
const ROOT_PIN: usize = usize::MAX / 2;

/// The process's platform-roots store (created on first use, kept open for the process).
pub(crate) fn root_store() -> usize {
    static ROOT: OnceLock<usize> = OnceLock::new();
    *ROOT.get_or_init(|| {
        let datas: Vec<Arc<CertData>> = openschannel_core::pki::platform_roots()
            .into_iter()
            .filter_map(|c| CertData::parse(c.der().to_vec()).map(Arc::new))
            .collect();
        let mut st = state();
        // The process holds a practically unbounded number of handles, so that no sequence
        // of CertCloseStore calls (a program closing ROOT once too often) frees it and lets
        // another store reuse its address.
        let store = st.new_store(ROOT_PIN);
        for d in datas {
            st.add(store, d);
        }
        drop(st);
        backing().insert(store, Backing::Root);
        store
    })
}

/// The directory behind system store `name`.
pub(crate) fn store_dir(name: &str) -> Option<PathBuf> {
    let base = match std::env::var_os("OPENSCHANNEL_CERTSTORE") {
        Some(dir) if !dir.is_empty() => PathBuf::from(dir),
        _ => {
            let config = match std::env::var_os("XDG_CONFIG_HOME") {
                Some(dir) if !dir.is_empty() => PathBuf::from(dir),
                _ => PathBuf::from(std::env::var_os("HOME")?).join(".config"),
            };
            config.join("openschannel").join("certstore")
        }
    };
    let name = name
        .rsplit('\\')
        .next()
        .unwrap_or(name)
        .to_ascii_uppercase();
    if name.is_empty() || name.contains('/') || name == "." || name == ".." {
        return None;
    }
    Some(base.join(name))
}

fn is_root_name(name: &str) -> bool {
    let name = name.rsplit('\\').next().unwrap_or(name);
    name.eq_ignore_ascii_case("ROOT") || name.eq_ignore_ascii_case("AuthRoot")
}

/// The certificates of one file (see the module documentation).
pub(crate) fn load_file(path: &Path) -> Vec<Arc<CertData>> {
    let Ok(bytes) = std::fs::read(path) else {
        return Vec::new();
    };
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .unwrap_or_default();
    if ext == "pfx" || ext == "p12" {
        return super::pfx::import(&bytes, "").unwrap_or_default();
    }
    if matches!(ext.as_str(), "p7b" | "p7c" | "sst") {
        return parse_all(store_formats::certificates(&bytes).unwrap_or_default());
    }
    if !matches!(ext.as_str(), "pem" | "crt" | "cer" | "der") {
        return Vec::new();
    }
    let pem = bytes.windows(11).any(|w| w == b"-----BEGIN ");
    if !pem {
        return CertData::parse(bytes).map(Arc::new).into_iter().collect();
    }
    let Ok(certs) = Certificate::pem_chain(&bytes) else {
        return Vec::new();
    };
    let key = PrivateKey::from_pem(&bytes).ok().or_else(|| {
        let sibling = path.with_extension("key");
        let key_pem = zeroize::Zeroizing::new(std::fs::read(sibling).ok()?);
        PrivateKey::from_pem(&key_pem).ok()
    });
    let mut parsed: Vec<CertData> = certs
        .iter()
        .filter_map(|c| CertData::parse(c.der().to_vec()))
        .collect();
    if parsed.is_empty() {
        return Vec::new();
    }
    if let Some(key) = key {
        let mut first = parsed.remove(0);
        first.key = Some(key);
        first.chain = parsed.iter().map(|d| d.der.clone()).collect();
        return vec![Arc::new(first)];
    }
    parsed.into_iter().map(Arc::new).collect()
}

/// Every certificate of a directory store (files in name order, duplicates once).
pub(crate) fn load_dir(dir: &Path) -> Vec<Arc<CertData>> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut paths: Vec<PathBuf> = entries.filter_map(Result::ok).map(|e| e.path()).collect();
    paths.sort();
    let mut out: Vec<Arc<CertData>> = Vec::new();
    for p in paths.iter().filter(|p| p.is_file()) {
        for d in load_file(p) {
            if let Some(i) = out.iter().position(|o| o.der == d.der) {
                // The copy with a key wins.
                if out[i].key.is_none() && d.key.is_some() {
                    out[i] = d;
                }
            } else {
                out.push(d);
            }
        }
    }
    out
}

/// The certificates of system store `name` without opening a handle (chain building).
pub(crate) fn system_store_certs(name: &str) -> Vec<Arc<CertData>> {
    store_dir(name).map(|d| load_dir(&d)).unwrap_or_default()
}

fn new_store_with(datas: Vec<Arc<CertData>>) -> usize {
    let mut st = state();
    let store = st.new_store(1);
    for d in datas {
        st.add(store, d);
    }
    store
}

/// Opens system store `name` (`dwFlags` carries the location).
fn open_system(name: Option<String>, flags: u32) -> *mut c_void {
    // Windows answers a missing name and an invalid location (0, or two ORed together)
    // with ERROR_FILE_NOT_FOUND.
    let location = (flags & LOCATION_MASK) >> 16;
    if !matches!(location, 1 | 2 | 4..=9) {
        return lasterror::fail(std::ptr::null_mut(), ERROR_FILE_NOT_FOUND);
    }
    let Some(name) = name.filter(|n| !n.is_empty()) else {
        return lasterror::fail(std::ptr::null_mut(), ERROR_FILE_NOT_FOUND);
    };
    if flags & CERT_STORE_DELETE_FLAG != 0 {
        // Deleting returns NULL; the last error says whether it worked.
        if is_root_name(&name) {
            return lasterror::fail(std::ptr::null_mut(), E_ACCESSDENIED);
        }
        return match store_dir(&name) {
            Some(dir) if dir.is_dir() => match std::fs::remove_dir_all(&dir) {
                Ok(()) => lasterror::fail(std::ptr::null_mut(), 0),
                Err(_) => lasterror::fail(std::ptr::null_mut(), E_ACCESSDENIED),
            },
            _ => lasterror::fail(std::ptr::null_mut(), ERROR_FILE_NOT_FOUND),
        };
    }
    if is_root_name(&name) {
        if flags & CERT_STORE_CREATE_NEW_FLAG != 0 {
            return lasterror::fail(std::ptr::null_mut(), ERROR_FILE_EXISTS);
        }
        let store = root_store();
        if let Some(s) = state().stores.get_mut(&store) {
            s.open += 1;
        }
        return store as *mut c_void;
    }
    let Some(dir) = store_dir(&name) else {
        return lasterror::fail(std::ptr::null_mut(), ERROR_FILE_NOT_FOUND);
    };
    if flags & CERT_STORE_OPEN_EXISTING_FLAG != 0 && !dir.is_dir() {
        return lasterror::fail(std::ptr::null_mut(), ERROR_FILE_NOT_FOUND);
    }
    if flags & CERT_STORE_CREATE_NEW_FLAG != 0 && dir.is_dir() {
        return lasterror::fail(std::ptr::null_mut(), ERROR_FILE_EXISTS);
    }
    let store = new_store_with(load_dir(&dir));
    backing().insert(
        store,
        Backing::Dir {
            path: dir,
            readonly: flags & CERT_STORE_READONLY_FLAG != 0,
        },
    );
    store as *mut c_void
}

fn open_file(path: Option<String>, flags: u32) -> *mut c_void {
    let Some(path) = path.filter(|p| !p.is_empty()).map(PathBuf::from) else {
        return lasterror::fail(std::ptr::null_mut(), ERROR_INVALID_PARAMETER);
    };
    if flags & CERT_FILE_STORE_COMMIT_ENABLE_FLAG != 0 && flags & CERT_STORE_READONLY_FLAG != 0 {
        return lasterror::fail(std::ptr::null_mut(), E_INVALIDARG);
    }
    if !path.is_file() {
        // A new file store starts empty (nothing is written back); opening an existing
        // one requires it.
        if flags & (CERT_STORE_OPEN_EXISTING_FLAG | CERT_STORE_READONLY_FLAG) != 0 {
            return lasterror::fail(std::ptr::null_mut(), ERROR_FILE_NOT_FOUND);
        }
        return new_store_with(Vec::new()) as *mut c_void;
    }
    let Ok(bytes) = std::fs::read(&path) else {
        return lasterror::fail(std::ptr::null_mut(), ERROR_FILE_NOT_FOUND);
    };
    match store_formats::certificates(&bytes) {
        Some(certs) => new_store_with(parse_all(certs)) as *mut c_void,
        None => lasterror::fail(std::ptr::null_mut(), ERROR_INVALID_DATA),
    }
}

fn parse_all(certs: Vec<Vec<u8>>) -> Vec<Arc<CertData>> {
    certs
        .into_iter()
        .filter_map(|der| CertData::parse(der).map(Arc::new))
        .collect()
}

/// `CERT_STORE_PROV_PKCS7` / `CERT_STORE_PROV_SERIALIZED`: a store from a
/// `CRYPT_DATA_BLOB*`.
///
/// # Safety
/// `pv_para` is NULL or points to a blob describing readable bytes.
unsafe fn open_blob(pv_para: *const c_void, serialized: bool) -> *mut c_void {
    // SAFETY: NULL/alignment are checked by `read`.
    let blob = unsafe {
        crate::boundary::read(
            pv_para.cast::<crate::types::CRYPT_BLOB>(),
            openschannel_core::Status::SEC_E_INVALID_PARAMETER,
        )
    };
    // SAFETY: the blob describes cbData readable bytes (the caller's contract).
    let bytes = blob.and_then(|b| unsafe {
        crate::boundary::bytes(
            b.pbData.cast(),
            b.cbData as usize,
            openschannel_core::Status::SEC_E_INVALID_PARAMETER,
        )
    });
    let Ok(bytes) = bytes else {
        return lasterror::fail(std::ptr::null_mut(), E_INVALIDARG);
    };
    let certs = if serialized {
        store_formats::serialized(bytes)
    } else {
        store_formats::pkcs7(bytes)
    };
    match certs {
        Some(certs) => new_store_with(parse_all(certs)) as *mut c_void,
        None if serialized => lasterror::fail(std::ptr::null_mut(), ERROR_INVALID_DATA),
        None => lasterror::fail(std::ptr::null_mut(), CRYPT_E_ASN1_BADTAG),
    }
}

/// The named providers (`lpszStoreProvider` as a string) this module serves.
fn named_provider(name: &str) -> Option<usize> {
    match name.to_ascii_lowercase().as_str() {
        "system" => Some(PROV_SYSTEM_W),
        "filename" => Some(PROV_FILENAME_W),
        "pkcs7" => Some(PROV_PKCS7),
        "serialized" => Some(PROV_SERIALIZED),
        _ => None,
    }
}

/// `CertOpenStore` for the providers of this module; `None` for other providers.
///
/// # Safety
/// `provider` is a small integer or a NUL-terminated string; `pv_para` is what the provider
/// expects (a NUL-terminated string of the provider's character type).
pub(crate) unsafe fn open(
    provider: *const c_char,
    flags: u32,
    pv_para: *const c_void,
) -> Option<*mut c_void> {
    let mut id = provider as usize;
    if id > 0xFFFF {
        // SAFETY: a provider above 0xFFFF is a NUL-terminated name (wincrypt's sz_ forms).
        let name = unsafe { c_char::read_str(provider) }?;
        id = named_provider(&name)?;
    }
    match id {
        PROV_SYSTEM_A => {
            // SAFETY: pvPara is the store name, a char string, per the provider.
            let name = unsafe { c_char::read_str(pv_para.cast()) };
            Some(open_system(name, flags))
        }
        PROV_SYSTEM_W => {
            // SAFETY: pvPara is the store name, a WCHAR string, per the provider.
            let name = unsafe { u16::read_str(pv_para.cast()) };
            Some(open_system(name, flags))
        }
        PROV_PKCS7 | PROV_SERIALIZED => {
            // SAFETY: pvPara is a CRYPT_DATA_BLOB* for these providers.
            Some(unsafe { open_blob(pv_para, id == PROV_SERIALIZED) })
        }
        PROV_FILENAME_A => {
            // SAFETY: pvPara is the file name, a char string, per the provider.
            let path = unsafe { c_char::read_str(pv_para.cast()) };
            Some(open_file(path, flags))
        }
        PROV_FILENAME_W => {
            // SAFETY: pvPara is the file name, a WCHAR string, per the provider.
            let path = unsafe { u16::read_str(pv_para.cast()) };
            Some(open_file(path, flags))
        }
        _ => None,
    }
}

/// Opens system store `name` in `CERT_SYSTEM_STORE_CURRENT_USER` (`CertOpenSystemStore`).
pub(crate) fn open_named(name: Option<String>) -> *mut c_void {
    open_system(name, CERT_SYSTEM_STORE_CURRENT_USER)
}

/// Whether certificates may be added to `store`; sets the last error when not.
pub(crate) fn check_writable(store: usize) -> bool {
    match backing().get(&store) {
        Some(Backing::Root) | Some(Backing::Dir { readonly: true, .. }) => {
            lasterror::fail(false, E_ACCESSDENIED)
        }
        _ => true,
    }
}

/// Writes `data` into the directory behind `store`, if there is one. Failures to write are
/// reported as `FALSE` with `E_ACCESSDENIED`, as a registry store that cannot be written.
pub(crate) fn persist(store: usize, data: &CertData) -> bool {
    let dir = match backing().get(&store) {
        Some(Backing::Dir { path, .. }) => path.clone(),
        _ => return true,
    };
    let name: String = data.sha1.iter().map(|b| format!("{b:02x}")).collect();
    let file = dir.join(format!("{name}.crt"));
    if file.exists() {
        return true;
    }
    let written = std::fs::create_dir_all(&dir)
        .and_then(|()| std::fs::write(&file, pem_certificate(&data.der)));
    written.is_ok() || lasterror::fail(false, E_ACCESSDENIED)
}

/// Forgets the backing of a store being freed (called with the registry locked, so that a
/// new store at the same address never inherits it).
pub(crate) fn forget(store: usize) {
    backing().remove(&store);
}

/// Base64 of `der` in 64-column lines (for the format tests).
#[cfg(test)]
pub(crate) fn tests_base64(der: &[u8]) -> String {
    let pem = pem_certificate(der);
    pem.lines()
        .filter(|l| !l.starts_with("-----"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// A PEM `CERTIFICATE` block.
fn pem_certificate(der: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut b64 = String::new();
    for chunk in der.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |acc, (i, b)| acc | u32::from(*b) << (16 - 8 * i));
        for i in 0..4 {
            if i <= chunk.len() {
                b64.push(char::from(ALPHABET[(n >> (18 - 6 * i) & 63) as usize]));
            } else {
                b64.push('=');
            }
        }
    }
    let mut out = String::from("-----BEGIN CERTIFICATE-----\n");
    for line in b64.as_bytes().chunks(64) {
        out.push_str(std::str::from_utf8(line).unwrap_or_default());
        out.push('\n');
    }
    out.push_str("-----END CERTIFICATE-----\n");
    out
}

/// `CertOpenSystemStoreA`: `CertOpenStore(CERT_STORE_PROV_SYSTEM_A, 0, hProv,
/// CERT_SYSTEM_STORE_CURRENT_USER, szSubsystemProtocol)`.
///
/// # Safety
/// `szSubsystemProtocol` is NULL or NUL-terminated.
#[no_mangle]
pub unsafe extern "C" fn CertOpenSystemStoreA(
    hProv: usize,
    szSubsystemProtocol: *const c_char,
) -> *mut c_void {
    let _ = hProv;
    crate::boundary::guard_value("CertOpenSystemStoreA", std::ptr::null_mut(), || {
        // SAFETY: NULL or NUL-terminated (the caller's contract).
        open_named(unsafe { c_char::read_str(szSubsystemProtocol) })
    })
}

/// `CertOpenSystemStoreW`: as [`CertOpenSystemStoreA`], the name in UTF-16.
///
/// # Safety
/// `szSubsystemProtocol` is NULL or NUL-terminated.
#[no_mangle]
pub unsafe extern "C" fn CertOpenSystemStoreW(
    hProv: usize,
    szSubsystemProtocol: *const u16,
) -> *mut c_void {
    let _ = hProv;
    crate::boundary::guard_value("CertOpenSystemStoreW", std::ptr::null_mut(), || {
        // SAFETY: NULL or NUL-terminated (the caller's contract).
        open_named(unsafe { u16::read_str(szSubsystemProtocol) })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pem_round_trips_through_the_core_parser() {
        let key = rcgen::KeyPair::generate().unwrap();
        let der = rcgen::CertificateParams::new(vec!["x.example".to_string()])
            .unwrap()
            .self_signed(&key)
            .unwrap()
            .der()
            .to_vec();
        let pem = pem_certificate(&der);
        let back = Certificate::pem_chain(pem.as_bytes()).unwrap();
        assert_eq!(back[0].der(), &der[..]);
        // Every remainder length of base64 padding.
        for n in 1..4 {
            let pem = pem_certificate(&der[..der.len() - n]);
            assert!(pem.contains("-----END CERTIFICATE-----"));
        }
    }

    #[test]
    fn hostile_files_in_a_store_directory_are_skipped() {
        let dir = std::env::temp_dir().join(format!("openschannel-store-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let files: [(&str, &[u8]); 6] = [
            (
                "a.pem",
                b"-----BEGIN CERTIFICATE-----\n!!!!\n-----END CERTIFICATE-----\n",
            ),
            ("b.pfx", &[0x30, 0x82, 0xff, 0xff, 0x02]),
            ("c.der", &[0x30, 0x03, 0x02, 0x01, 0x00]),
            ("d.crt", b""),
            (
                "e.key",
                b"-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n",
            ),
            ("f.cer", &[0xff; 64]),
        ];
        for (name, data) in files {
            std::fs::write(dir.join(name), data).unwrap();
        }
        assert!(load_dir(&dir).is_empty());
        // A good certificate next to them is still found.
        let key = rcgen::KeyPair::generate().unwrap();
        let cert = rcgen::CertificateParams::new(vec!["x.example".to_string()])
            .unwrap()
            .self_signed(&key)
            .unwrap();
        std::fs::write(dir.join("good.pem"), cert.pem()).unwrap();
        std::fs::write(dir.join("good.key"), key.serialize_pem()).unwrap();
        let found = load_dir(&dir);
        assert_eq!(found.len(), 1);
        assert!(found[0].key.is_some());
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn store_names_are_confined_to_the_base_directory() {
        assert!(store_dir("..").is_none());
        assert!(store_dir("a/b").is_none());
        let my = store_dir("my").unwrap();
        assert!(my.ends_with("MY"));
        assert!(store_dir("S-1-5-18\\My").unwrap().ends_with("MY"));
        assert!(is_root_name("root") && is_root_name("S-1\\AuthRoot") && !is_root_name("CA"));
    }
}
