//! The PEM and DER loaders on arbitrary bytes, building a server credential from whatever
//! they accept, and the subject common-name reader (the server-name check's fallback).
#![no_main]

use libfuzzer_sys::fuzz_target;
use openschannel::{Certificate, Credentials, PrivateKey};

fuzz_target!(|data: &[u8]| {
    for name in Certificate::from_der(data.to_vec()).subject_common_names() {
        assert!(name.len() <= data.len() * 2);
    }
    let chain = Certificate::pem_chain(data);
    let key_pem = PrivateKey::from_pem(data);
    let key_der = PrivateKey::from_der(data);
    if let (Ok(chain), Ok(key)) = (chain, key_pem.or(key_der)) {
        let _ = Credentials::server(chain, key).build();
    }
    let _ = Credentials::server(vec![Certificate::from_der(data.to_vec())], {
        match PrivateKey::from_der(data) {
            Ok(k) => k,
            Err(_) => return,
        }
    })
    .build();
});
