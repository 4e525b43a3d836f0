//! The chain-engine exports: `CertCreateCertificateChainEngine`,
//! `CertFreeCertificateChainEngine`, `CertGetCertificateChain`, `CertFreeCertificateChain`,
//! `CertDuplicateCertificateChain`, `CertVerifyCertificateChainPolicy`, `CertFindChainInStore`.
//!
//! A thin layer: the caller's structures are read here, the chain is built by
//! `chain::build` and judged by `policy`, and the
//! result is laid out as a real `CERT_CHAIN_CONTEXT`. Chain contexts and engines are heap
//! objects whose addresses are handed out, but only addresses recorded in this module's
//! registries are ever dereferenced or freed. Each element holds a reference to its
//! `CERT_CONTEXT` (released by `CertFreeCertificateChain`).
//!
//! Engines: `HCCE_CURRENT_USER` (NULL) and `HCCE_LOCAL_MACHINE` trust the platform roots (the
//! `ROOT` system store) and take intermediates from the `CA` and `MY` system stores; an engine
//! from `CertCreateCertificateChainEngine` may restrict the roots (`hRestrictedRoot`, which
//! must be a subset of the platform roots), replace them (`hExclusiveRoot`, with
//! `CERT_CHAIN_EXCLUSIVE_ENABLE_CA_FLAG` in `dwExclusiveFlags` making its CAs anchors too),
//! trust end certificates directly (`hExclusiveTrustedPeople`), and replace or extend the
//! intermediates (`hRestrictedOther`, `rghAdditionalStore`). `hRestrictedTrust` (CTLs) is
//! accepted and unused.

use std::collections::HashMap;
use std::ffi::{c_char, c_void};
use std::sync::{Arc, LazyLock, Mutex, MutexGuard};

use openschannel_core::Status;

use super::chain::{self, Built, Candidate, Facts, Pools, Request, Revocation, Usage};
use super::find::CRYPT_E_NOT_FOUND;
use super::parse::CertData;
use super::policy::{self, SslPara};
use super::system_store::{self, ERROR_FILE_NOT_FOUND, E_INVALIDARG};
use super::{state, State};
use crate::boundary::{self, guard_value};
use crate::lasterror;
use crate::strings::SspiChar;
use crate::types::{CRYPT_BLOB, FILETIME, HCERTSTORE, PCCERT_CONTEXT};

const TRUE: i32 = 1;
const FALSE: i32 = 0;
/// `ERROR_INVALID_DATA`: the end certificate cannot be decoded.
const ERROR_INVALID_DATA: u32 = 13;

/// `CERT_TRUST_STATUS`.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default)]
pub struct CERT_TRUST_STATUS {
    /// `CERT_TRUST_*` error bits.
    pub dwErrorStatus: u32,
    /// `CERT_TRUST_*` info bits.
    pub dwInfoStatus: u32,
}

/// `CERT_CHAIN_ELEMENT`.
#[repr(C)]
pub struct CERT_CHAIN_ELEMENT {
    /// `sizeof(CERT_CHAIN_ELEMENT)`.
    pub cbSize: u32,
    /// The certificate.
    pub pCertContext: PCCERT_CONTEXT,
    /// Its trust status.
    pub TrustStatus: CERT_TRUST_STATUS,
    /// Always NULL (revocation is not checked).
    pub pRevocationInfo: *mut c_void,
    /// Always NULL.
    pub pIssuanceUsage: *mut c_void,
    /// Always NULL.
    pub pApplicationUsage: *mut c_void,
    /// Always NULL.
    pub pwszExtendedErrorInfo: *const u16,
}

/// `CERT_SIMPLE_CHAIN`.
#[repr(C)]
pub struct CERT_SIMPLE_CHAIN {
    /// `sizeof(CERT_SIMPLE_CHAIN)`.
    pub cbSize: u32,
    /// The chain's summary status.
    pub TrustStatus: CERT_TRUST_STATUS,
    /// Number of elements.
    pub cElement: u32,
    /// The elements, end certificate first.
    pub rgpElement: *mut *mut CERT_CHAIN_ELEMENT,
    /// Always NULL (no CTLs).
    pub pTrustListInfo: *mut c_void,
    /// Always FALSE.
    pub fHasRevocationFreshnessTime: i32,
    /// Always 0.
    pub dwRevocationFreshnessTime: u32,
}

/// `CERT_CHAIN_CONTEXT`.
#[repr(C)]
pub struct CERT_CHAIN_CONTEXT {
    /// `sizeof(CERT_CHAIN_CONTEXT)`.
    pub cbSize: u32,
    /// The summary status.
    pub TrustStatus: CERT_TRUST_STATUS,
    /// Always 1.
    pub cChain: u32,
    /// The simple chains.
    pub rgpChain: *mut *mut CERT_SIMPLE_CHAIN,
    /// Always 0.
    pub cLowerQualityChainContext: u32,
    /// Always NULL.
    pub rgpLowerQualityChainContext: *mut *const CERT_CHAIN_CONTEXT,
    /// Always FALSE.
    pub fHasRevocationFreshnessTime: i32,
    /// Always 0.
    pub dwRevocationFreshnessTime: u32,
    /// Always 0.
    pub dwCreateFlags: u32,
    /// A GUID unique to this chain.
    pub ChainId: [u8; 16],
}

const _: () = assert!(std::mem::size_of::<CERT_CHAIN_ELEMENT>() == 56);
const _: () = assert!(std::mem::size_of::<CERT_SIMPLE_CHAIN>() == 40);
const _: () = assert!(std::mem::size_of::<CERT_CHAIN_CONTEXT>() == 72);

/// `CERT_ENHKEY_USAGE`.
#[repr(C)]
#[derive(Clone, Copy)]
struct CertEnhkeyUsage {
    c_usage_identifier: u32,
    rgpsz_usage_identifier: *const *const c_char,
}

/// `CERT_USAGE_MATCH`.
#[repr(C)]
#[derive(Clone, Copy)]
struct UsageMatch {
    dw_type: u32,
    usage: CertEnhkeyUsage,
}

/// The fixed head of `CERT_CHAIN_PARA` (`cbSize` + `RequestedUsage`).
#[repr(C)]
#[derive(Clone, Copy)]
struct ChainParaHead {
    cb_size: u32,
    requested: UsageMatch,
}

/// The pre-Windows 7 `CERT_CHAIN_ENGINE_CONFIG` (64 bytes).
#[repr(C)]
#[derive(Clone, Copy)]
struct EngineConfigHead {
    cb_size: u32,
    h_restricted_root: HCERTSTORE,
    h_restricted_trust: HCERTSTORE,
    h_restricted_other: HCERTSTORE,
    c_additional_store: u32,
    rgh_additional_store: *const HCERTSTORE,
    dw_flags: u32,
    dw_url_retrieval_timeout: u32,
    maximum_cached_certificates: u32,
    cycle_detection_modulus: u32,
}

/// The Windows 7 and 8 additions.
#[repr(C)]
#[derive(Clone, Copy)]
struct EngineConfigExclusive {
    h_exclusive_root: HCERTSTORE,
    h_exclusive_trusted_people: HCERTSTORE,
}

/// The whole Windows 8 `CERT_CHAIN_ENGINE_CONFIG` (for its size).
#[repr(C)]
struct EngineConfigFull {
    head: EngineConfigHead,
    exclusive: EngineConfigExclusive,
    dw_exclusive_flags: u32,
}

const _: () = assert!(std::mem::size_of::<EngineConfigHead>() == 64);
const _: () = assert!(std::mem::size_of::<EngineConfigFull>() == 88);
const _: () = assert!(std::mem::size_of::<ChainParaHead>() == 32);

/// `CERT_CHAIN_POLICY_PARA`.
#[repr(C)]
#[derive(Clone, Copy)]
struct PolicyPara {
    cb_size: u32,
    dw_flags: u32,
    pv_extra_policy_para: *const c_void,
}

/// `SSL_EXTRA_CERT_CHAIN_POLICY_PARA`.
#[repr(C)]
#[derive(Clone, Copy)]
struct SslExtraPara {
    cb_size: u32,
    dw_auth_type: u32,
    fdw_checks: u32,
    pwsz_server_name: *const u16,
}

/// `CERT_CHAIN_POLICY_STATUS`.
#[repr(C)]
#[derive(Clone, Copy)]
struct PolicyStatus {
    cb_size: u32,
    dw_error: u32,
    l_chain_index: i32,
    l_element_index: i32,
    pv_extra_policy_status: *mut c_void,
}

/// `CERT_CHAIN_FIND_BY_ISSUER_PARA` (with the optional index pointers).
#[repr(C)]
#[derive(Clone, Copy)]
struct FindByIssuerHead {
    cb_size: u32,
    psz_usage_identifier: *const c_char,
    dw_key_spec: u32,
    dw_acquire_private_key_flags: u32,
    c_issuer: u32,
    rg_issuer: *const CRYPT_BLOB,
    pfn_find_callback: Option<unsafe extern "C" fn(PCCERT_CONTEXT, *mut c_void) -> i32>,
    pv_find_arg: *mut c_void,
}

#[repr(C)]
#[derive(Clone, Copy)]
struct FindByIssuerIndexes {
    pdw_issuer_chain_index: *mut u32,
    pdw_issuer_element_index: *mut u32,
}

const _: () = assert!(std::mem::size_of::<FindByIssuerHead>() == 56);

/// A chain engine's configuration; the stores it names are held open while it lives.
struct Engine {
    restricted_root: Option<usize>,
    exclusive_root: Option<usize>,
    trusted_people: Option<usize>,
    other: Option<usize>,
    additional: Vec<usize>,
    ca_anchors: bool,
}

impl Engine {
    fn stores(&self) -> impl Iterator<Item = usize> + '_ {
        self.restricted_root
            .iter()
            .chain(&self.exclusive_root)
            .chain(&self.trusted_people)
            .chain(&self.other)
            .chain(&self.additional)
            .copied()
    }
}

/// One chain context and everything its pointers refer to; `ctx` first, so the box's address
/// is the `PCCERT_CHAIN_CONTEXT`.
#[repr(C)]
struct ChainBox {
    ctx: CERT_CHAIN_CONTEXT,
    simple: CERT_SIMPLE_CHAIN,
    simple_ptr: *mut CERT_SIMPLE_CHAIN,
    elements: Vec<CERT_CHAIN_ELEMENT>,
    element_ptrs: Vec<*mut CERT_CHAIN_ELEMENT>,
    built: Built,
    /// The end certificate's context (also `elements[0].pCertContext`).
    end: usize,
    refs: usize,
}

// SAFETY: the raw pointers in a `ChainBox` point into the box itself or at registered
// certificate contexts (kept alive by the references the box holds); nothing is tied to a
// thread and all access goes through the registry mutex.
unsafe impl Send for ChainBox {}

#[derive(Default)]
struct Registry {
    engines: HashMap<usize, Box<Engine>>,
    chains: HashMap<usize, Box<ChainBox>>,
}

static REGISTRY: LazyLock<Mutex<Registry>> = LazyLock::new(|| Mutex::new(Registry::default()));

/// The registry; never held while taking the certificate registry's lock (the certificate
/// registry may be held while taking this one).
fn registry() -> MutexGuard<'static, Registry> {
    REGISTRY.lock().unwrap_or_else(|e| e.into_inner())
}

fn candidates(st: &State, store: usize) -> Vec<(usize, Arc<CertData>)> {
    st.members(store).unwrap_or_default()
}

fn facts_of(list: Vec<(usize, Arc<CertData>)>) -> Vec<Candidate> {
    list.into_iter()
        .filter_map(|(id, d)| {
            Facts::parse(&d.der).map(|f| Candidate {
                id,
                facts: Arc::new(f),
            })
        })
        .collect()
}

/// Which engine a chain is built with.
#[derive(Clone, Copy)]
enum EngineRef {
    Default,
    Handle(usize),
}

fn engine_ref(handle: *mut c_void) -> Option<EngineRef> {
    match handle as usize {
        0..=2 => Some(EngineRef::Default),
        h if registry().engines.contains_key(&h) => Some(EngineRef::Handle(h)),
        _ => None,
    }
}

/// Builds the chain of context `end` and registers a chain context for it (with a reference
/// for the caller). `Err` carries the last-error code.
fn get_chain(
    engine: EngineRef,
    end: usize,
    additional: Option<usize>,
    req: &Request,
) -> Result<usize, u32> {
    // The engine's configuration (copied out so that no two registries are locked at once).
    let config = match engine {
        EngineRef::Default => None,
        EngineRef::Handle(h) => {
            let reg = registry();
            let e = reg.engines.get(&h).ok_or(E_INVALIDARG)?;
            Some((
                e.restricted_root,
                e.exclusive_root,
                e.trusted_people,
                e.other,
                e.additional.clone(),
                e.ca_anchors,
            ))
        }
    };
    let root_store = system_store::root_store();
    let default_others = match config {
        Some((_, _, _, Some(_), _, _)) => Vec::new(),
        _ => {
            let mut v = system_store::system_store_certs("CA");
            v.extend(system_store::system_store_certs("MY"));
            v
        }
    };
    let mut st = state();
    let end_data = st.data(end).ok_or(E_INVALIDARG)?;
    if let Some(store) = additional {
        if !st.stores.contains_key(&store) {
            return Err(E_INVALIDARG);
        }
    }
    // Intermediates from the CA and MY system stores live in a store of their own, freed
    // below unless an element keeps one of them.
    let temp = st.new_store(0);
    for d in default_others {
        st.add(temp, d);
    }
    let mut others = additional.map_or_else(Vec::new, |s| candidates(&st, s));
    let (roots, exclusive, ca_anchors, people) = match &config {
        None => (candidates(&st, root_store), false, false, Vec::new()),
        Some((restricted, exclusive_root, people, other, extra, ca)) => {
            for s in other.iter().chain(extra) {
                others.extend(candidates(&st, *s));
            }
            let people = people.map_or_else(Vec::new, |s| candidates(&st, s));
            match (exclusive_root, restricted) {
                (Some(x), _) => (candidates(&st, *x), true, *ca, people),
                (None, Some(r)) => (candidates(&st, *r), false, false, people),
                (None, None) => (candidates(&st, root_store), false, false, people),
            }
        }
    };
    others.extend(candidates(&st, temp));
    drop(st);

    let Some(end_facts) = Facts::parse(&end_data.der) else {
        let mut st = state();
        st.maybe_drop(temp);
        return Err(ERROR_INVALID_DATA);
    };
    let pools = Pools {
        roots: facts_of(roots),
        ca_anchors,
        exclusive,
        trusted_people: facts_of(people),
        others: facts_of(others),
    };
    let built = chain::build(
        Candidate {
            id: end,
            facts: Arc::new(end_facts),
        },
        &pools,
        req,
    );

    let mut st = state();
    for e in &built.elements {
        st.duplicate(e.cert.id);
    }
    st.maybe_drop(temp);
    drop(st);
    Ok(register_chain(built, end))
}

fn register_chain(built: Built, end: usize) -> usize {
    let status = |error, info| CERT_TRUST_STATUS {
        dwErrorStatus: error,
        dwInfoStatus: info,
    };
    let elements: Vec<CERT_CHAIN_ELEMENT> = built
        .elements
        .iter()
        .map(|e| CERT_CHAIN_ELEMENT {
            cbSize: std::mem::size_of::<CERT_CHAIN_ELEMENT>() as u32,
            pCertContext: e.cert.id as PCCERT_CONTEXT,
            TrustStatus: status(e.error, e.info),
            pRevocationInfo: std::ptr::null_mut(),
            pIssuanceUsage: std::ptr::null_mut(),
            pApplicationUsage: std::ptr::null_mut(),
            pwszExtendedErrorInfo: std::ptr::null(),
        })
        .collect();
    static NEXT_ID: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);
    let id = NEXT_ID.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let mut chain_id = [0u8; 16];
    chain_id[..8].copy_from_slice(&id.to_le_bytes());
    chain_id[8..].copy_from_slice(&(std::process::id() as u64).to_le_bytes());
    let mut b = Box::new(ChainBox {
        ctx: CERT_CHAIN_CONTEXT {
            cbSize: std::mem::size_of::<CERT_CHAIN_CONTEXT>() as u32,
            TrustStatus: status(built.error, built.info),
            cChain: 1,
            rgpChain: std::ptr::null_mut(),
            cLowerQualityChainContext: 0,
            rgpLowerQualityChainContext: std::ptr::null_mut(),
            fHasRevocationFreshnessTime: FALSE,
            dwRevocationFreshnessTime: 0,
            dwCreateFlags: 0,
            ChainId: chain_id,
        },
        simple: CERT_SIMPLE_CHAIN {
            cbSize: std::mem::size_of::<CERT_SIMPLE_CHAIN>() as u32,
            TrustStatus: status(built.error, built.info),
            cElement: u32::try_from(elements.len()).unwrap_or(0),
            rgpElement: std::ptr::null_mut(),
            pTrustListInfo: std::ptr::null_mut(),
            fHasRevocationFreshnessTime: FALSE,
            dwRevocationFreshnessTime: 0,
        },
        simple_ptr: std::ptr::null_mut(),
        elements,
        element_ptrs: Vec::new(),
        built,
        end,
        refs: 1,
    });
    b.element_ptrs = b.elements.iter_mut().map(|e| e as *mut _).collect();
    b.simple.rgpElement = b.element_ptrs.as_mut_ptr();
    b.simple_ptr = &mut b.simple;
    b.ctx.rgpChain = &mut b.simple_ptr;
    let addr = &b.ctx as *const CERT_CHAIN_CONTEXT as usize;
    registry().chains.insert(addr, b);
    addr
}

/// Drops one reference to a chain context; at zero, frees it and its certificate references.
fn release_chain(addr: usize) -> bool {
    let freed = {
        let mut reg = registry();
        let Some(b) = reg.chains.get_mut(&addr) else {
            return false;
        };
        b.refs -= 1;
        if b.refs > 0 {
            return true;
        }
        reg.chains.remove(&addr)
    };
    if let Some(b) = freed {
        let mut st = state();
        for e in &b.built.elements {
            st.release(e.cert.id);
        }
    }
    true
}

/// FILETIME (100 ns since 1601) to seconds since 1970.
fn unix_time(ft: FILETIME) -> i64 {
    let v = (i64::from(ft.dwHighDateTime) << 32) | i64::from(ft.dwLowDateTime);
    v / 10_000_000 - 11_644_473_600
}

fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
}

/// The requested usage of a `CERT_CHAIN_PARA`.
///
/// # Safety
/// `para` points to a `CERT_CHAIN_PARA` of at least `cbSize` bytes whose usage array (when
/// present) holds `cUsageIdentifier` NUL-terminated strings.
unsafe fn usage_of(para: *const c_void) -> Result<Usage, u32> {
    // SAFETY: checked for NULL/alignment; cbSize is the first field.
    let cb = unsafe { boundary::read(para.cast::<u32>(), Status::SEC_E_INVALID_PARAMETER) }
        .map_err(|_| E_INVALIDARG)?;
    if (cb as usize) < std::mem::size_of::<ChainParaHead>() {
        return Ok(Usage::default());
    }
    // SAFETY: the caller's struct holds at least the head (cbSize says so).
    let head = unsafe {
        boundary::read(
            para.cast::<ChainParaHead>(),
            Status::SEC_E_INVALID_PARAMETER,
        )
    }
    .map_err(|_| E_INVALIDARG)?;
    let mut oids = Vec::new();
    if head.requested.usage.c_usage_identifier > 0 {
        if head.requested.usage.rgpsz_usage_identifier.is_null() {
            return Err(E_INVALIDARG);
        }
        for i in 0..head.requested.usage.c_usage_identifier as usize {
            // SAFETY: the array holds cUsageIdentifier pointers (the caller's contract).
            let p = unsafe {
                boundary::read(
                    head.requested.usage.rgpsz_usage_identifier.wrapping_add(i),
                    Status::SEC_E_INVALID_PARAMETER,
                )
            }
            .map_err(|_| E_INVALIDARG)?;
            // SAFETY: each entry is a NUL-terminated OID string.
            oids.push(unsafe { c_char::read_str(p) }.ok_or(E_INVALIDARG)?);
        }
    }
    Ok(Usage {
        all: head.requested.dw_type == 0,
        oids,
    })
}

fn revocation_of(flags: u32) -> Revocation {
    if flags & 0x4000_0000 != 0 {
        Revocation::ChainExcludeRoot
    } else if flags & 0x2000_0000 != 0 {
        Revocation::Chain
    } else if flags & 0x1000_0000 != 0 {
        Revocation::EndCert
    } else {
        Revocation::None
    }
}

/// `CertCreateCertificateChainEngine`. `E_INVALIDARG` for a wrong `cbSize` or an unknown
/// store; `CRYPT_E_NOT_FOUND` when `hRestrictedRoot` holds a certificate that is not a
/// platform root.
///
/// # Safety
/// `pConfig` points to a `CERT_CHAIN_ENGINE_CONFIG` of `cbSize` bytes (its additional-store
/// array holding `cAdditionalStore` handles); `phChainEngine` is writable.
#[no_mangle]
pub unsafe extern "C" fn CertCreateCertificateChainEngine(
    pConfig: *const c_void,
    phChainEngine: *mut *mut c_void,
) -> i32 {
    guard_value("CertCreateCertificateChainEngine", FALSE, || {
        // SAFETY: checked for NULL/alignment; cbSize is the first field.
        let Ok(cb) =
            (unsafe { boundary::read(pConfig.cast::<u32>(), Status::SEC_E_INVALID_PARAMETER) })
        else {
            return lasterror::fail(FALSE, E_INVALIDARG);
        };
        // Only the three sizes Windows has defined are accepted (curl relies on a wrong size
        // being refused): before Windows 7, Windows 7 (exclusive stores), Windows 8
        // (dwExclusiveFlags).
        let head_len = std::mem::size_of::<EngineConfigHead>();
        let win7 = head_len + std::mem::size_of::<EngineConfigExclusive>();
        let win8 = std::mem::size_of::<EngineConfigFull>();
        if ![head_len, win7, win8].contains(&(cb as usize)) || phChainEngine.is_null() {
            return lasterror::fail(FALSE, E_INVALIDARG);
        }
        // SAFETY: cbSize covers the head.
        let Ok(head) = (unsafe {
            boundary::read(
                pConfig.cast::<EngineConfigHead>(),
                Status::SEC_E_INVALID_PARAMETER,
            )
        }) else {
            return lasterror::fail(FALSE, E_INVALIDARG);
        };
        let mut exclusive = EngineConfigExclusive {
            h_exclusive_root: std::ptr::null_mut(),
            h_exclusive_trusted_people: std::ptr::null_mut(),
        };
        let mut exclusive_flags = 0u32;
        if cb as usize >= win7 {
            // SAFETY: cbSize covers the Windows 7 fields right after the head.
            match unsafe {
                boundary::read(
                    pConfig
                        .cast::<u8>()
                        .wrapping_add(head_len)
                        .cast::<EngineConfigExclusive>(),
                    Status::SEC_E_INVALID_PARAMETER,
                )
            } {
                Ok(x) => exclusive = x,
                Err(_) => return lasterror::fail(FALSE, E_INVALIDARG),
            }
        }
        let flags_at = head_len + std::mem::size_of::<EngineConfigExclusive>();
        if cb as usize >= flags_at + 4 {
            // SAFETY: cbSize covers dwExclusiveFlags.
            exclusive_flags = unsafe {
                boundary::read(
                    pConfig.cast::<u8>().wrapping_add(flags_at).cast::<u32>(),
                    Status::SEC_E_INVALID_PARAMETER,
                )
            }
            .unwrap_or(0);
        }
        let mut additional = Vec::new();
        for i in 0..head.c_additional_store as usize {
            // SAFETY: the array holds cAdditionalStore handles (the caller's contract).
            match unsafe {
                boundary::read(
                    head.rgh_additional_store.wrapping_add(i),
                    Status::SEC_E_INVALID_PARAMETER,
                )
            } {
                Ok(h) if !h.is_null() => additional.push(h as usize),
                Ok(_) => {}
                Err(_) => return lasterror::fail(FALSE, E_INVALIDARG),
            }
        }
        let opt = |h: HCERTSTORE| (!h.is_null()).then_some(h as usize);
        let engine = Engine {
            restricted_root: opt(head.h_restricted_root),
            exclusive_root: opt(exclusive.h_exclusive_root),
            trusted_people: opt(exclusive.h_exclusive_trusted_people),
            other: opt(head.h_restricted_other),
            additional,
            ca_anchors: exclusive_flags & 1 != 0,
        };
        let _ = (head.h_restricted_trust, head.dw_flags);
        let root_store = system_store::root_store();
        let mut st = state();
        if engine.stores().any(|s| !st.stores.contains_key(&s)) {
            return lasterror::fail(FALSE, E_INVALIDARG);
        }
        if let Some(r) = engine.restricted_root {
            let platform: Vec<Vec<u8>> = candidates(&st, root_store)
                .into_iter()
                .map(|(_, d)| d.der.clone())
                .collect();
            if candidates(&st, r)
                .iter()
                .any(|(_, d)| !platform.contains(&d.der))
            {
                return lasterror::fail(FALSE, CRYPT_E_NOT_FOUND);
            }
        }
        for s in engine.stores() {
            if let Some(store) = st.stores.get_mut(&s) {
                store.open += 1;
            }
        }
        drop(st);
        let engine = Box::new(engine);
        let addr = &*engine as *const Engine as usize;
        registry().engines.insert(addr, engine);
        // SAFETY: checked non-NULL above; alignment is checked by `write`.
        if !unsafe { boundary::write(phChainEngine, addr as *mut c_void) } {
            free_engine(addr);
            return lasterror::fail(FALSE, E_INVALIDARG);
        }
        TRUE
    })
}

fn free_engine(addr: usize) {
    let Some(engine) = registry().engines.remove(&addr) else {
        return;
    };
    let mut st = state();
    for s in engine.stores() {
        if let Some(store) = st.stores.get_mut(&s) {
            store.open = store.open.saturating_sub(1);
        }
        st.maybe_drop(s);
    }
}

/// `CertFreeCertificateChainEngine`: NULL, `HCCE_*` and unknown handles are ignored.
///
/// # Safety
/// Any value is accepted; only registered engines are touched.
#[no_mangle]
pub unsafe extern "C" fn CertFreeCertificateChainEngine(hChainEngine: *mut c_void) {
    guard_value("CertFreeCertificateChainEngine", (), || {
        free_engine(hChainEngine as usize)
    });
}

/// `CertGetCertificateChain`: builds the chain of `pCertContext` (see `chain`) through
/// `hAdditionalStore` and the engine's stores, at `pTime` (NULL: now). The chain context is
/// returned even when the chain fails; its statuses say why. `FALSE` with `E_INVALIDARG` for
/// NULL/unknown arguments, `ERROR_INVALID_DATA` for an undecodable certificate.
///
/// # Safety
/// `pTime` is NULL or readable; `pChainPara` points to a `CERT_CHAIN_PARA` of `cbSize` bytes;
/// `ppChainContext` is writable.
#[no_mangle]
pub unsafe extern "C" fn CertGetCertificateChain(
    hChainEngine: *mut c_void,
    pCertContext: PCCERT_CONTEXT,
    pTime: *const FILETIME,
    hAdditionalStore: HCERTSTORE,
    pChainPara: *const c_void,
    dwFlags: u32,
    pvReserved: *mut c_void,
    ppChainContext: *mut *const CERT_CHAIN_CONTEXT,
) -> i32 {
    let _ = pvReserved;
    guard_value("CertGetCertificateChain", FALSE, || {
        if ppChainContext.is_null() || pCertContext.is_null() || pChainPara.is_null() {
            return lasterror::fail(FALSE, E_INVALIDARG);
        }
        let Some(engine) = engine_ref(hChainEngine) else {
            return lasterror::fail(FALSE, E_INVALIDARG);
        };
        // SAFETY: the caller's CERT_CHAIN_PARA (contract above).
        let usage = match unsafe { usage_of(pChainPara) } {
            Ok(u) => u,
            Err(code) => return lasterror::fail(FALSE, code),
        };
        // SAFETY: NULL or a readable FILETIME.
        let time = match unsafe { boundary::read_opt(pTime, Status::SEC_E_INVALID_PARAMETER) } {
            Ok(Some(ft)) => unix_time(ft),
            Ok(None) => now(),
            Err(_) => return lasterror::fail(FALSE, E_INVALIDARG),
        };
        let req = Request {
            time,
            usage,
            revocation: revocation_of(dwFlags),
        };
        let additional = (!hAdditionalStore.is_null()).then_some(hAdditionalStore as usize);
        match get_chain(engine, pCertContext as usize, additional, &req) {
            Ok(addr) => {
                // SAFETY: checked non-NULL; alignment is checked by `write`.
                if unsafe { boundary::write(ppChainContext, addr as *const CERT_CHAIN_CONTEXT) } {
                    TRUE
                } else {
                    release_chain(addr);
                    lasterror::fail(FALSE, E_INVALIDARG)
                }
            }
            Err(code) => lasterror::fail(FALSE, code),
        }
    })
}

/// `CertFreeCertificateChain`: drops one reference (NULL and unknown pointers are ignored).
///
/// # Safety
/// Any value is accepted; only registered chain contexts are touched.
#[no_mangle]
pub unsafe extern "C" fn CertFreeCertificateChain(pChainContext: *const CERT_CHAIN_CONTEXT) {
    guard_value("CertFreeCertificateChain", (), || {
        release_chain(pChainContext as usize);
    });
}

/// `CertDuplicateCertificateChain`: adds a reference and returns the same pointer; NULL for an
/// unknown pointer.
///
/// # Safety
/// Any value is accepted; only registered chain contexts are touched.
#[no_mangle]
pub unsafe extern "C" fn CertDuplicateCertificateChain(
    pChainContext: *const CERT_CHAIN_CONTEXT,
) -> *const CERT_CHAIN_CONTEXT {
    guard_value(
        "CertDuplicateCertificateChain",
        std::ptr::null(),
        || match registry().chains.get_mut(&(pChainContext as usize)) {
            Some(b) => {
                b.refs += 1;
                pChainContext
            }
            None => std::ptr::null(),
        },
    )
}

const CERT_CHAIN_POLICY_BASE: usize = 1;
const CERT_CHAIN_POLICY_AUTHENTICODE: usize = 2;
const CERT_CHAIN_POLICY_SSL: usize = 4;
const CERT_CHAIN_POLICY_BASIC_CONSTRAINTS: usize = 5;

/// `CertVerifyCertificateChainPolicy` for `CERT_CHAIN_POLICY_BASE`, `_SSL`, `_AUTHENTICODE`
/// (as BASE) and `_BASIC_CONSTRAINTS`: `TRUE` with the verdict in `pPolicyStatus` (`dwError`,
/// `lChainIndex`, `lElementIndex`; 0/-1/-1 on success). `FALSE` with `ERROR_FILE_NOT_FOUND`
/// for another policy, `E_INVALIDARG` for an unknown chain context or a NULL status.
///
/// # Safety
/// `pPolicyPara` is NULL or a `CERT_CHAIN_POLICY_PARA` (for SSL its `pvExtraPolicyPara` NULL
/// or an `SSL_EXTRA_CERT_CHAIN_POLICY_PARA` with a NUL-terminated `pwszServerName`);
/// `pPolicyStatus` is writable.
#[no_mangle]
pub unsafe extern "C" fn CertVerifyCertificateChainPolicy(
    pszPolicyOID: *const c_char,
    pChainContext: *const CERT_CHAIN_CONTEXT,
    pPolicyPara: *const c_void,
    pPolicyStatus: *mut c_void,
) -> i32 {
    guard_value("CertVerifyCertificateChainPolicy", FALSE, || {
        let policy = pszPolicyOID as usize;
        if !matches!(
            policy,
            CERT_CHAIN_POLICY_BASE
                | CERT_CHAIN_POLICY_AUTHENTICODE
                | CERT_CHAIN_POLICY_SSL
                | CERT_CHAIN_POLICY_BASIC_CONSTRAINTS
        ) {
            return lasterror::fail(FALSE, ERROR_FILE_NOT_FOUND);
        }
        let Some(built) = registry()
            .chains
            .get(&(pChainContext as usize))
            .map(|b| b.built.clone())
        else {
            return lasterror::fail(FALSE, E_INVALIDARG);
        };
        // SAFETY: NULL or the caller's CERT_CHAIN_POLICY_PARA.
        let para = match unsafe {
            boundary::read_opt(
                pPolicyPara.cast::<PolicyPara>(),
                Status::SEC_E_INVALID_PARAMETER,
            )
        } {
            Ok(p) => p,
            Err(_) => return lasterror::fail(FALSE, E_INVALIDARG),
        };
        let _ = para.map(|p| p.cb_size);
        let flags = para.map_or(0, |p| p.dw_flags);
        let outcome = match policy {
            CERT_CHAIN_POLICY_SSL => {
                let extra = para.map_or(std::ptr::null(), |p| p.pv_extra_policy_para);
                // SAFETY: NULL or the caller's SSL_EXTRA_CERT_CHAIN_POLICY_PARA.
                let ssl = match unsafe {
                    boundary::read_opt(
                        extra.cast::<SslExtraPara>(),
                        Status::SEC_E_INVALID_PARAMETER,
                    )
                } {
                    Ok(s) => s,
                    Err(_) => return lasterror::fail(FALSE, E_INVALIDARG),
                };
                let ssl = ssl.map(|s| SslPara {
                    auth_type: s.dw_auth_type,
                    checks: s.fdw_checks,
                    // SAFETY: NULL or NUL-terminated (the caller's contract).
                    server_name: unsafe { u16::read_str(s.pwsz_server_name) },
                });
                let _ = ssl.as_ref().map(|_| ());
                policy::ssl(&built, flags, ssl.as_ref())
            }
            CERT_CHAIN_POLICY_BASIC_CONSTRAINTS => policy::basic_constraints(&built),
            _ => policy::base(&built, flags),
        };
        if pPolicyStatus.is_null() {
            return lasterror::fail(FALSE, E_INVALIDARG);
        }
        // SAFETY: the caller's CERT_CHAIN_POLICY_STATUS (checked for NULL/alignment).
        let Ok(mut status) = (unsafe {
            boundary::read(
                pPolicyStatus.cast::<PolicyStatus>().cast_const(),
                Status::SEC_E_INVALID_PARAMETER,
            )
        }) else {
            return lasterror::fail(FALSE, E_INVALIDARG);
        };
        let _ = (status.cb_size, status.pv_extra_policy_status);
        status.dw_error = outcome.error;
        status.l_chain_index = outcome.chain;
        status.l_element_index = outcome.element;
        // SAFETY: as above.
        if unsafe { boundary::write(pPolicyStatus.cast::<PolicyStatus>(), status) } {
            TRUE
        } else {
            lasterror::fail(FALSE, E_INVALIDARG)
        }
    })
}

const CERT_CHAIN_FIND_BY_ISSUER: u32 = 1;
const CERT_CHAIN_FIND_BY_ISSUER_NO_KEY_FLAG: u32 = 0x4000;

/// `CertFindChainInStore` with `CERT_CHAIN_FIND_BY_ISSUER`: the next certificate of
/// `hCertStore` after the end certificate of `pPrevChainContext` (which is freed) that has a
/// private key (unless `CERT_CHAIN_FIND_BY_ISSUER_NO_KEY_FLAG`), allows
/// `pszUsageIdentifier`, passes `pfnFindCallback`, and whose chain (default engine, the store
/// as additional store) has an element issued by one of `rgIssuer` (any, when `cIssuer` is
/// 0). `NULL` with `CRYPT_E_NOT_FOUND` at the end.
///
/// # Safety
/// `pvFindPara` points to a `CERT_CHAIN_FIND_BY_ISSUER_PARA` of `cbSize` bytes whose issuer
/// array holds `cIssuer` blobs; its callback, when set, is callable.
#[no_mangle]
pub unsafe extern "C" fn CertFindChainInStore(
    hCertStore: HCERTSTORE,
    dwCertEncodingType: u32,
    dwFindFlags: u32,
    dwFindType: u32,
    pvFindPara: *const c_void,
    pPrevChainContext: *const CERT_CHAIN_CONTEXT,
) -> *const CERT_CHAIN_CONTEXT {
    let _ = dwCertEncodingType;
    guard_value("CertFindChainInStore", std::ptr::null(), || {
        let prev_end = if pPrevChainContext.is_null() {
            None
        } else {
            let end = registry()
                .chains
                .get(&(pPrevChainContext as usize))
                .map(|b| b.end);
            release_chain(pPrevChainContext as usize);
            match end {
                Some(e) => Some(e),
                None => return lasterror::fail(std::ptr::null(), E_INVALIDARG),
            }
        };
        if dwFindType != CERT_CHAIN_FIND_BY_ISSUER {
            return lasterror::fail(std::ptr::null(), E_INVALIDARG);
        }
        // SAFETY: the caller's CERT_CHAIN_FIND_BY_ISSUER_PARA.
        let Ok(head) = (unsafe {
            boundary::read(
                pvFindPara.cast::<FindByIssuerHead>(),
                Status::SEC_E_INVALID_PARAMETER,
            )
        }) else {
            return lasterror::fail(std::ptr::null(), E_INVALIDARG);
        };
        let mut issuers = Vec::new();
        for i in 0..head.c_issuer as usize {
            // SAFETY: rgIssuer holds cIssuer blobs (the caller's contract).
            let blob = unsafe {
                boundary::read(
                    head.rg_issuer.wrapping_add(i),
                    Status::SEC_E_INVALID_PARAMETER,
                )
            };
            // SAFETY: each blob describes cbData readable bytes.
            let bytes = blob.and_then(|b| unsafe {
                boundary::bytes(
                    b.pbData.cast(),
                    b.cbData as usize,
                    Status::SEC_E_INVALID_PARAMETER,
                )
            });
            match bytes {
                Ok(b) => issuers.push(b.to_vec()),
                Err(_) => return lasterror::fail(std::ptr::null(), E_INVALIDARG),
            }
        }
        // SAFETY: NULL or a NUL-terminated OID.
        let usage = unsafe { c_char::read_str(head.psz_usage_identifier) };
        let indexes = if head.cb_size as usize
            >= std::mem::size_of::<FindByIssuerHead>() + std::mem::size_of::<FindByIssuerIndexes>()
        {
            // SAFETY: cbSize covers the optional index pointers.
            unsafe {
                boundary::read(
                    pvFindPara
                        .cast::<u8>()
                        .wrapping_add(std::mem::size_of::<FindByIssuerHead>())
                        .cast::<FindByIssuerIndexes>(),
                    Status::SEC_E_INVALID_PARAMETER,
                )
            }
            .ok()
        } else {
            None
        };
        let _ = (head.dw_key_spec, head.dw_acquire_private_key_flags);
        let Some(members) = state().members(hCertStore as usize) else {
            return lasterror::fail(std::ptr::null(), E_INVALIDARG);
        };
        let start = match prev_end {
            None => 0,
            Some(e) => members
                .iter()
                .position(|(a, _)| *a == e)
                .map_or(members.len(), |i| i + 1),
        };
        let req = Request {
            time: now(),
            ..Request::default()
        };
        for (addr, data) in &members[start..] {
            if data.key.is_none() && dwFindFlags & CERT_CHAIN_FIND_BY_ISSUER_NO_KEY_FLAG == 0 {
                continue;
            }
            if let Some(oid) = &usage {
                if !Facts::parse(&data.der).is_some_and(|f| f.allows_oid(oid)) {
                    continue;
                }
            }
            if let Some(callback) = head.pfn_find_callback {
                // SAFETY: the caller's callback, given a registered context and its argument.
                if unsafe { callback(*addr as PCCERT_CONTEXT, head.pv_find_arg) } == FALSE {
                    continue;
                }
            }
            let Ok(chain) = get_chain(EngineRef::Default, *addr, Some(hCertStore as usize), &req)
            else {
                continue;
            };
            let hit = {
                let reg = registry();
                reg.chains.get(&chain).and_then(|b| {
                    if issuers.is_empty() {
                        return Some(0);
                    }
                    b.built.elements.iter().position(|e| {
                        super::find::names(&e.cert.facts.der)
                            .is_some_and(|(_, issuer)| issuers.contains(&issuer))
                    })
                })
            };
            match hit {
                Some(element) => {
                    if let Some(ix) = indexes {
                        // SAFETY: NULL or writable DWORDs (the caller's contract).
                        unsafe {
                            boundary::write(ix.pdw_issuer_chain_index, 0);
                        }
                        // SAFETY: as above.
                        unsafe {
                            boundary::write(
                                ix.pdw_issuer_element_index,
                                u32::try_from(element).unwrap_or(0),
                            );
                        }
                    }
                    return chain as *const CERT_CHAIN_CONTEXT;
                }
                None => {
                    release_chain(chain);
                }
            }
        }
        lasterror::fail(std::ptr::null(), CRYPT_E_NOT_FOUND)
    })
}
