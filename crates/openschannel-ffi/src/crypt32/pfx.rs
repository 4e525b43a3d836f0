//! PKCS#12 import through p12-keystore.

use std::sync::Arc;

use openschannel_core::PrivateKey;
use p12_keystore::{KeyStore, KeyStoreEntry, Pkcs12ImportPolicy};

use super::parse::CertData;

/// Parses `bytes` with `password`: key-bearing certificates first (each carrying its key and
/// the rest of its chain), then the other certificates. `None` on any failure.
pub(crate) fn import(bytes: &[u8], password: &str) -> Option<Vec<Arc<CertData>>> {
    let store = KeyStore::from_pkcs12(bytes, password, Pkcs12ImportPolicy::Relaxed).ok()?;
    let mut with_keys = Vec::new();
    let mut others = Vec::new();
    for (_, entry) in store.entries() {
        match entry {
            KeyStoreEntry::PrivateKeyChain(chain) => {
                let Some((leaf, rest)) = chain.certs().split_first() else {
                    continue;
                };
                let mut data = CertData::parse(leaf.as_der().to_vec())?;
                data.key = Some(PrivateKey::from_der(chain.key().as_der()).ok()?);
                data.chain = rest.iter().map(|c| c.as_der().to_vec()).collect();
                with_keys.push(Arc::new(data));
                for cert in rest {
                    others.push(Arc::new(CertData::parse(cert.as_der().to_vec())?));
                }
            }
            KeyStoreEntry::Certificate(cert) => {
                others.push(Arc::new(CertData::parse(cert.as_der().to_vec())?));
            }
            KeyStoreEntry::Secret(_) => {}
        }
    }
    // One copy per certificate: a CA listed both in a chain and on its own appears once.
    let mut seen: Vec<Vec<u8>> = with_keys.iter().map(|d| d.der.clone()).collect();
    others.retain(|d| {
        if seen.contains(&d.der) {
            false
        } else {
            seen.push(d.der.clone());
            true
        }
    });
    with_keys.extend(others);
    Some(with_keys)
}
