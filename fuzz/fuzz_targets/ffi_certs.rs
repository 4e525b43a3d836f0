//! The crypt32 certificate parser and the PEM extension of the C ABI on arbitrary bytes:
//! `CertCreateCertificateContext` (our X.509 → CERT_INFO decoding), then every field and name
//! read back; `OpenSchannelCertContextFromPem` with the input split into certificate and key
//! text, then the context used in a credential; a memory store with the certificate added.
//!
//! Checked: no crash or leak, every CERT_INFO pointer readable for its length, names
//! NUL-terminated, statuses known, references released exactly once.
#![no_main]

use libfuzzer_sys::fuzz_target;
use openschannel::Status;
use openschannel_fuzz::cabi::{known, raw, try_as_server_certificate, walk_certificate};
use openschannel_fuzz::crypt32::exports::{
    CertAddEncodedCertificateToStore, CertCloseStore, CertCreateCertificateContext,
    CertEnumCertificatesInStore, CertFreeCertificateContext, CertOpenStore,
};
use openschannel_fuzz::exports::extensions::OpenSchannelCertContextFromPem;
use openschannel_fuzz::types::*;

fuzz_target!(|data: &[u8]| {
    // 1. DER → CERT_CONTEXT.
    // SAFETY: `data` is readable for its length.
    let cert = unsafe { CertCreateCertificateContext(1, data.as_ptr(), data.len() as u32) };
    if !cert.is_null() {
        // SAFETY: a live context.
        unsafe { walk_certificate(cert) };
        // SAFETY: the reference returned above; a second release fails.
        assert_eq!(unsafe { CertFreeCertificateContext(cert) }, 1);
        assert_eq!(unsafe { CertFreeCertificateContext(cert) }, 0);
        // The same bytes in a memory store.
        // SAFETY: CERT_STORE_PROV_MEMORY.
        let store = unsafe { CertOpenStore(2 as *const _, 0, 0, 0, std::ptr::null()) };
        assert!(!store.is_null());
        let mut added: PCCERT_CONTEXT = std::ptr::null();
        // SAFETY: valid arguments.
        let ok = unsafe {
            CertAddEncodedCertificateToStore(
                store,
                1,
                data.as_ptr(),
                data.len() as u32,
                4,
                &mut added,
            )
        };
        assert_eq!(ok, 1);
        // SAFETY: a live store and context.
        unsafe {
            let first = CertEnumCertificatesInStore(store, std::ptr::null());
            assert!(!first.is_null());
            assert!(CertEnumCertificatesInStore(store, first).is_null());
            assert_eq!(CertCloseStore(store, 0), 1);
            walk_certificate(added);
            assert_eq!(CertFreeCertificateContext(added), 1);
        }
    }

    // 2. PEM text: split at a fuzzer-chosen point into certificate and key.
    let split = data
        .first()
        .map_or(0, |&b| usize::from(b) * data.len() / 256);
    let (cert_pem, key_pem) = data.split_at(split.min(data.len()));
    let mut ctx: PCCERT_CONTEXT = std::ptr::null();
    // SAFETY: readable buffers and a writable out-pointer.
    let s = unsafe {
        OpenSchannelCertContextFromPem(
            cert_pem.as_ptr(),
            cert_pem.len() as u32,
            key_pem.as_ptr(),
            key_pem.len() as u32,
            &mut ctx,
        )
    };
    assert!(known(s), "unknown status {s:#x}");
    assert_ne!(s, raw(Status::SEC_E_INTERNAL_ERROR));
    if s == 0 {
        // SAFETY: the context just made.
        unsafe {
            walk_certificate(ctx);
            assert!(
                try_as_server_certificate(ctx),
                "a context with a matching key"
            );
            assert_eq!(CertFreeCertificateContext(ctx), 1);
        }
    } else {
        assert!(ctx.is_null(), "out-parameter written on failure");
    }
});
