//! The crypt32 and CryptoAPI parsers of outside input, on arbitrary bytes: the first byte
//! picks one, the rest is its input. `CryptDecodeObjectEx` of every supported structure type
//! (size query and allocating path), `CryptStringToBinary` in every format, `CertNameToStr`
//! of a hostile name, `CryptImportKey` of a hostile key blob, `CryptQueryObject` of a hostile
//! blob.
//!
//! Checked: no crash, no leak, no read outside the input (AddressSanitizer).
#![no_main]

use libfuzzer_sys::fuzz_target;
use openschannel_ffi::capi::keys::fuzz_key_blob;
use openschannel_ffi::crypt32::decode::fuzz_decode;
use openschannel_ffi::crypt32::names::fuzz_name_to_str;
use openschannel_ffi::crypt32::query::fuzz_query;
use openschannel_ffi::crypt32::strings::fuzz_string_to_binary;

fuzz_target!(|data: &[u8]| {
    let Some((&which, input)) = data.split_first() else {
        return;
    };
    match which % 5 {
        0 => fuzz_decode(input),
        1 => fuzz_string_to_binary(input),
        2 => fuzz_name_to_str(input),
        3 => fuzz_key_blob(input),
        _ => fuzz_query(input),
    }
});
