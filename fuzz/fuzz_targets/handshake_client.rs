//! InitializeSecurityContext on arbitrary peer tokens: the fuzzer's bytes replace (or follow a
//! prefix of) the genuine server flight, at every stage of the handshake.
#![no_main]

use libfuzzer_sys::fuzz_target;
use openschannel::{ContextOptions, HandshakeStatus, SecurityContext};
use openschannel_fuzz::{allowed_error, fixture};

fuzz_target!(|data: &[u8]| {
    let Some((&selector, rest)) = data.split_first() else {
        return;
    };
    let tls13 = selector & 1 == 1;
    let f = fixture(tls13);
    let mut client =
        SecurityContext::client(&f.client, Some("localhost"), ContextOptions::default()).unwrap();
    let mut server = SecurityContext::server(&f.server, ContextOptions::default()).unwrap();
    let mut hello = Vec::new();
    client.handshake(&[], &mut hello).unwrap();
    // Genuine server flight, truncated at a fuzzer-chosen point, then fuzzer bytes.
    let mut flight = Vec::new();
    server.handshake(&hello, &mut flight).unwrap();
    let keep = usize::from(selector >> 1) * 32;
    let mut input = flight[..keep.min(flight.len())].to_vec();
    input.extend_from_slice(rest);
    for _ in 0..256 {
        let mut out = Vec::new();
        match client.handshake(&input, &mut out) {
            Ok(o) => {
                assert!(o.consumed <= input.len());
                if let HandshakeStatus::IncompleteMessage { missing } = o.status {
                    assert_eq!(o.consumed, 0);
                    assert!(out.is_empty());
                    assert!(missing > 0);
                    return;
                }
                input.drain(..o.consumed);
                if o.status == HandshakeStatus::Ok || (o.consumed == 0 && out.is_empty()) {
                    return;
                }
            }
            Err(e) => {
                assert!(allowed_error(e.status()), "{e}");
                return;
            }
        }
    }
});
