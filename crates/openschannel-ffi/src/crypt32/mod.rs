//! The crypt32 subset: certificate contexts, memory stores and PKCS#12 import; system and
//! file stores (`system_store`); the chain engine (`chain`, `policy`, `chain_exports`).
//!
//! `CERT_CONTEXT`s are real heap structures (C code reads their fields), so their addresses are
//! handed out — but only addresses recorded in this module's registry are ever dereferenced:
//! freeing or duplicating an unknown pointer fails instead of being undefined behaviour.
//!
//! # Ownership model (as on Windows)
//! Every context belongs to exactly one store (`hCertStore`). A store lives while it has an
//! open handle (`CertOpenStore`, `PFXImportCertStore`) or any caller-held reference to one of
//! its contexts; when both reach zero the store and all its contexts are freed. Functions that
//! return a context on its own (`CertCreateCertificateContext`, the PEM extension,
//! `SECPKG_ATTR_REMOTE_CERT_CONTEXT`) create an unopened store holding the context (and its
//! chain), so `CertFreeCertificateContext` on the returned context releases everything.
//! A context's private key (PEM extension, PFX import) travels with it: adding it to another
//! store shares the key, and `SCHANNEL_CRED.paCred` picks it up.

pub(crate) mod chain;
pub mod chain_exports;
pub mod decode;
pub(crate) mod der;
pub mod exports;
mod find;
pub(crate) mod layout;
pub mod names;
pub(crate) mod parse;
mod pfx;
pub(crate) mod policy;
pub mod properties;
pub mod query;
pub(crate) mod store_formats;
pub mod strings;
pub mod system_store;

use std::collections::HashMap;
use std::sync::{Arc, LazyLock, Mutex, MutexGuard};

use openschannel_core::{Certificate, PrivateKey, Status};

use crate::types::{
    CERT_CONTEXT, CERT_EXTENSION, CERT_INFO, PKCS_7_ASN_ENCODING, X509_ASN_ENCODING,
};

pub(crate) use parse::CertData;

/// One `CERT_CONTEXT` and the data its pointers refer to. `ctx` is the first field of this
/// `repr(C)` struct, so the box's address is the `PCCERT_CONTEXT` handed out.
#[repr(C)]
struct CertBox {
    ctx: CERT_CONTEXT,
    info: CERT_INFO,
    extensions: Vec<CERT_EXTENSION>,
    data: Arc<CertData>,
    /// References held by the caller.
    refs: usize,
}

// SAFETY: the raw pointers in `ctx`, `info` and `extensions` point only into `data` (an `Arc`
// whose heap buffers never move or change) and into this box itself; nothing in a `CertBox` is
// tied to a thread, and all access goes through the registry mutex.
unsafe impl Send for CertBox {}

struct Store {
    /// Open handles (`CertOpenStore`/`PFXImportCertStore` minus `CertCloseStore`).
    open: usize,
    /// Boxed so that a context's address never changes when the vector grows.
    #[allow(clippy::vec_box)]
    members: Vec<Box<CertBox>>,
}

#[derive(Default)]
struct State {
    stores: HashMap<usize, Box<Store>>,
    /// Context address → owning store address.
    certs: HashMap<usize, usize>,
}

static STATE: LazyLock<Mutex<State>> = LazyLock::new(|| Mutex::new(State::default()));

fn state() -> MutexGuard<'static, State> {
    STATE.lock().unwrap_or_else(|e| e.into_inner())
}

fn new_box(data: Arc<CertData>, store: usize) -> Box<CertBox> {
    let mut b = Box::new(CertBox {
        ctx: CERT_CONTEXT {
            dwCertEncodingType: X509_ASN_ENCODING | PKCS_7_ASN_ENCODING,
            pbCertEncoded: data.der.as_ptr().cast_mut(),
            cbCertEncoded: u32::try_from(data.der.len()).unwrap_or(u32::MAX),
            pCertInfo: std::ptr::null_mut(),
            hCertStore: store as *mut std::ffi::c_void,
        },
        info: data.cert_info(),
        extensions: data.extensions(),
        data,
        refs: 0,
    });
    b.info.cExtension = u32::try_from(b.extensions.len()).unwrap_or(0);
    b.info.rgExtension = if b.extensions.is_empty() {
        std::ptr::null_mut()
    } else {
        b.extensions.as_mut_ptr()
    };
    b.ctx.pCertInfo = &mut b.info;
    b
}

impl State {
    fn new_store(&mut self, open: usize) -> usize {
        let store = Box::new(Store {
            open,
            members: Vec::new(),
        });
        let addr = &*store as *const Store as usize;
        self.stores.insert(addr, store);
        addr
    }

    fn add(&mut self, store: usize, data: Arc<CertData>) -> Option<usize> {
        let s = self.stores.get_mut(&store)?;
        let b = new_box(data, store);
        let addr = &b.ctx as *const CERT_CONTEXT as usize;
        s.members.push(b);
        self.certs.insert(addr, store);
        Some(addr)
    }

    fn cert_mut(&mut self, cert: usize) -> Option<(&mut Store, usize)> {
        let store = *self.certs.get(&cert)?;
        let s = self.stores.get_mut(&store)?;
        let index = s
            .members
            .iter()
            .position(|b| &b.ctx as *const CERT_CONTEXT as usize == cert)?;
        Some((s, index))
    }

    fn duplicate(&mut self, cert: usize) -> bool {
        match self.cert_mut(cert) {
            Some((s, i)) => {
                s.members[i].refs += 1;
                true
            }
            None => false,
        }
    }

    fn release(&mut self, cert: usize) -> bool {
        let Some(store) = self.certs.get(&cert).copied() else {
            return false;
        };
        let Some((s, i)) = self.cert_mut(cert) else {
            return false;
        };
        if s.members[i].refs == 0 {
            return false;
        }
        s.members[i].refs -= 1;
        self.maybe_drop(store);
        true
    }

    fn maybe_drop(&mut self, store: usize) {
        let dead = self
            .stores
            .get(&store)
            .is_some_and(|s| s.open == 0 && s.members.iter().all(|b| b.refs == 0));
        if dead {
            if let Some(s) = self.stores.remove(&store) {
                system_store::forget(store);
                for b in &s.members {
                    self.certs.remove(&(&b.ctx as *const CERT_CONTEXT as usize));
                }
            }
        }
    }

    fn data(&self, cert: usize) -> Option<Arc<CertData>> {
        let store = self.certs.get(&cert)?;
        self.stores
            .get(store)?
            .members
            .iter()
            .find(|b| &b.ctx as *const CERT_CONTEXT as usize == cert)
            .map(|b| b.data.clone())
    }

    fn members(&self, store: usize) -> Option<Vec<(usize, Arc<CertData>)>> {
        Some(
            self.stores
                .get(&store)?
                .members
                .iter()
                .map(|b| (&b.ctx as *const CERT_CONTEXT as usize, b.data.clone()))
                .collect(),
        )
    }
}

/// Creates an unopened store holding `certs` (first one first) and returns a caller reference
/// to the first context; freeing that reference frees the store.
pub(crate) fn standalone(certs: Vec<Arc<CertData>>) -> Option<*const CERT_CONTEXT> {
    let mut st = state();
    let store = st.new_store(0);
    let mut first = None;
    for data in certs {
        let addr = st.add(store, data)?;
        first.get_or_insert(addr);
    }
    let Some(first) = first else {
        st.stores.remove(&store);
        return None;
    };
    st.duplicate(first);
    Some(first as *const CERT_CONTEXT)
}

/// `SECPKG_ATTR_REMOTE_CERT_CONTEXT`: the leaf of `chain` (DER, leaf first) in a store holding
/// the whole chain.
pub(crate) fn chain_context(chain: &[Vec<u8>]) -> Result<*const CERT_CONTEXT, Status> {
    let datas = chain
        .iter()
        .map(|der| CertData::parse(der.clone()).map(Arc::new))
        .collect::<Option<Vec<_>>>()
        .ok_or(Status::SEC_E_INTERNAL_ERROR)?;
    standalone(datas).ok_or(Status::SEC_E_NO_CREDENTIALS)
}

/// What `SCHANNEL_CRED.paCred[0]` provides to a credential: the chain (leaf first) and key.
pub(crate) fn credential_material(
    cert: *const CERT_CONTEXT,
) -> Result<(Vec<Certificate>, PrivateKey, Vec<u8>), Status> {
    let data = state()
        .data(cert as usize)
        .ok_or(Status::SEC_E_UNKNOWN_CREDENTIALS)?;
    // A key that travels with the context (PEM, PFX), else the CryptoAPI container its
    // CERT_KEY_PROV_INFO_PROP_ID names.
    let key = match data.key.clone() {
        Some(key) => key,
        None => crate::capi::key_for_certificate(&data)?,
    };
    let mut chain = vec![Certificate::from_der(data.der.clone())];
    chain.extend(data.chain.iter().map(|d| Certificate::from_der(d.clone())));
    Ok((chain, key, data.der.clone()))
}

/// The certificates of a store handle (`hRootStore`); `SEC_E_UNKNOWN_CREDENTIALS` for an
/// unknown handle.
pub(crate) fn store_certificates(store: *mut std::ffi::c_void) -> Result<Vec<Certificate>, Status> {
    state()
        .members(store as usize)
        .map(|m| {
            m.into_iter()
                .map(|(_, d)| Certificate::from_der(d.der.clone()))
                .collect()
        })
        .ok_or(Status::SEC_E_UNKNOWN_CREDENTIALS)
}

/// Expiry (`NotAfter`, FILETIME units) of a registered context.
pub(crate) fn not_after(cert: *const CERT_CONTEXT) -> Option<i64> {
    state().data(cert as usize).map(|d| d.not_after)
}

#[cfg(test)]
mod hostile_tests;
#[cfg(test)]
// Tests call the exports with arguments that satisfy their contracts.
#[allow(
    clippy::undocumented_unsafe_blocks,
    clippy::multiple_unsafe_ops_per_block
)]
mod tests;
