//! AcceptSecurityContext on arbitrary client tokens: a genuine ClientHello prefix (or none)
//! followed by fuzzer bytes, fed in fuzzer-chosen chunks.
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
    let mut input = Vec::new();
    if selector & 2 == 2 {
        let mut client =
            SecurityContext::client(&f.client, Some("localhost"), ContextOptions::default())
                .unwrap();
        client.handshake(&[], &mut input).unwrap();
        input.truncate(usize::from(selector >> 2) * 8);
    }
    input.extend_from_slice(rest);
    let chunk = 1 + usize::from(selector >> 4) * 17;
    let mut server = SecurityContext::server(&f.server, ContextOptions::default()).unwrap();
    let mut inbox = Vec::new();
    let mut fed = 0;
    for _ in 0..4096 {
        let mut out = Vec::new();
        match server.handshake(&inbox, &mut out) {
            Ok(o) => {
                assert!(o.consumed <= inbox.len());
                inbox.drain(..o.consumed);
                let starved = matches!(o.status, HandshakeStatus::IncompleteMessage { .. })
                    || (o.status == HandshakeStatus::ContinueNeeded && inbox.is_empty());
                if o.status == HandshakeStatus::Ok {
                    return;
                }
                if starved {
                    if fed == input.len() {
                        return;
                    }
                    let n = chunk.min(input.len() - fed);
                    inbox.extend_from_slice(&input[fed..fed + n]);
                    fed += n;
                }
            }
            Err(e) => {
                assert!(allowed_error(e.status()), "{e}");
                return;
            }
        }
    }
});
