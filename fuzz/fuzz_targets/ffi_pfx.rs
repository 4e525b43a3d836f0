//! `PFXImportCertStore` on arbitrary bytes (empty, "secret" or fuzzer-chosen password, or a
//! NULL password), then everything a caller does with an imported store: enumerate it, read
//! every field of every context, ask for every name, find by subject and hash, use each
//! key-bearing certificate in a credential, and close the store.
//!
//! Checked: no crash or leak (ASan/LSan), every pointer in the returned structures is readable
//! for its stated length, names are NUL-terminated in every buffer size, the store closes once.
#![no_main]

use libfuzzer_sys::fuzz_target;
use openschannel_fuzz::cabi::{try_as_server_certificate, walk_certificate};
use openschannel_fuzz::crypt32::exports::{
    CertCloseStore, CertEnumCertificatesInStore, CertFindCertificateInStore,
    CertFreeCertificateContext, PFXImportCertStore,
};
use openschannel_fuzz::types::*;

fuzz_target!(|data: &[u8]| {
    let Some((&selector, rest)) = data.split_first() else {
        return;
    };
    let (password, blob): (Option<Vec<u16>>, &[u8]) = match selector % 4 {
        0 => (None, rest),
        1 => (Some(vec![0]), rest),
        2 => (Some("secret\0".encode_utf16().collect()), rest),
        _ => {
            let n = usize::from(selector >> 2).min(rest.len());
            let mut pw: Vec<u16> = rest[..n].iter().map(|&b| u16::from(b.max(1))).collect();
            pw.push(0);
            (Some(pw), &rest[n..])
        }
    };
    let mut bytes = blob.to_vec();
    let pfx = CRYPT_BLOB {
        cbData: bytes.len() as u32,
        pbData: bytes.as_mut_ptr(),
    };
    // SAFETY: a valid blob and a NULL or NUL-terminated password.
    let store = unsafe {
        PFXImportCertStore(
            &pfx,
            password.as_ref().map_or(std::ptr::null(), |p| p.as_ptr()),
            0,
        )
    };
    if store.is_null() {
        return;
    }
    let mut prev: PCCERT_CONTEXT = std::ptr::null();
    let mut count = 0;
    loop {
        // SAFETY: a live store; `prev` is the previous result (released by the call).
        let cert = unsafe { CertEnumCertificatesInStore(store, prev) };
        if cert.is_null() {
            break;
        }
        count += 1;
        // SAFETY: a live context.
        unsafe {
            walk_certificate(cert);
            try_as_server_certificate(cert);
        }
        prev = cert;
        assert!(count < 10_000);
    }
    let subject = b"localhost\0";
    // SAFETY: a NUL-terminated string parameter.
    let found = unsafe {
        CertFindCertificateInStore(
            store,
            1,
            0,
            0x0007_0007,
            subject.as_ptr().cast(),
            std::ptr::null(),
        )
    };
    if !found.is_null() {
        // SAFETY: the reference just returned.
        assert_eq!(unsafe { CertFreeCertificateContext(found) }, 1);
    }
    // SAFETY: the store handle from the import.
    assert_eq!(unsafe { CertCloseStore(store, 0) }, 1);
    // SAFETY: closed: rejected.
    assert_eq!(unsafe { CertCloseStore(store, 0) }, 0);
});
