//! The chain engine and the certificate-store file formats on arbitrary bytes: hostile
//! certificates (split by 2-byte lengths) through chain building, the per-element trust
//! statuses and the BASE/SSL policies with a fuzzed server name (first byte even); the
//! store readers — certificate files (PEM/DER), PKCS#7 bundles, serialized stores — on the
//! rest (first byte odd).
//!
//! Checked: no crash, no unbounded work (the builder caps depth and candidates), no read
//! outside the input.
#![no_main]

use libfuzzer_sys::fuzz_target;
use openschannel_ffi::fuzzing;

fuzz_target!(|data: &[u8]| {
    let Some((&which, input)) = data.split_first() else {
        return;
    };
    if which % 2 == 0 {
        fuzzing::chain(input);
    } else {
        fuzzing::store_formats(input);
    }
});
