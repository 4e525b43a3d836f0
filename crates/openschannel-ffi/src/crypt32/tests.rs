//! Unit tests of the context/store registry.

use super::exports::*;
use crate::types::PCCERT_CONTEXT;

fn sample_der() -> Vec<u8> {
    let key = rcgen::KeyPair::generate().expect("key");
    let params = rcgen::CertificateParams::new(vec!["localhost".to_string()]).expect("params");
    params.self_signed(&key).expect("cert").der().to_vec()
}

#[test]
fn contexts_are_reference_counted_and_validated() {
    let der = sample_der();
    // SAFETY: valid DER buffer.
    let ctx = unsafe { CertCreateCertificateContext(1, der.as_ptr(), der.len() as u32) };
    assert!(!ctx.is_null());
    // SAFETY: a registered context.
    let c = unsafe { &*ctx };
    assert_eq!(c.cbCertEncoded as usize, der.len());
    assert!(!c.hCertStore.is_null());
    // SAFETY: registry-checked calls.
    unsafe {
        assert_eq!(CertDuplicateCertificateContext(ctx), ctx);
        assert_eq!(CertFreeCertificateContext(ctx), 1);
        assert_eq!(CertFreeCertificateContext(ctx), 1);
        // The last reference is gone: the pointer is unknown now.
        assert_eq!(CertFreeCertificateContext(ctx), 0);
        assert!(CertDuplicateCertificateContext(ctx).is_null());
        assert_eq!(CertFreeCertificateContext(0x1000 as PCCERT_CONTEXT), 0);
        assert_eq!(CertFreeCertificateContext(std::ptr::null()), 1);
    }
}

#[test]
fn garbage_is_not_a_certificate() {
    let junk = [0x30u8, 0x03, 1, 2, 3];
    // SAFETY: valid buffer.
    assert!(unsafe { CertCreateCertificateContext(1, junk.as_ptr(), 5) }.is_null());
}

#[test]
fn memory_store_enumeration_and_close() {
    let der = sample_der();
    // SAFETY: registry-checked calls with valid buffers.
    unsafe {
        let store = CertOpenStore(2 as *const std::ffi::c_char, 0, 0, 0, std::ptr::null());
        assert!(!store.is_null());
        let mut added: PCCERT_CONTEXT = std::ptr::null();
        assert_eq!(
            CertAddEncodedCertificateToStore(
                store,
                1,
                der.as_ptr(),
                der.len() as u32,
                4,
                &mut added
            ),
            1
        );
        // ADD_NEW refuses a duplicate.
        assert_eq!(
            CertAddEncodedCertificateToStore(
                store,
                1,
                der.as_ptr(),
                der.len() as u32,
                1,
                std::ptr::null_mut()
            ),
            0
        );
        let first = CertEnumCertificatesInStore(store, std::ptr::null());
        assert_eq!(first, added);
        assert!(CertEnumCertificatesInStore(store, first).is_null());
        assert_eq!(CertCloseStore(store, 0), 1);
        // The context we hold keeps the store alive.
        assert_eq!((*added).hCertStore, store);
        assert_eq!(CertFreeCertificateContext(added), 1);
        assert_eq!(CertCloseStore(store, 0), 0);
    }
}
