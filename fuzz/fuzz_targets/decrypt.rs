//! DecryptMessage on arbitrary bytes after a real handshake (both versions), fed in
//! fuzzer-chosen chunks, with SEC_I_RENEGOTIATE serviced as an application would. Also
//! encrypts after every step: state must stay consistent and nothing may panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use openschannel::Decrypted;
use openschannel_fuzz::{allowed_error, establish};

fuzz_target!(|data: &[u8]| {
    let Some((&selector, rest)) = data.split_first() else {
        return;
    };
    let tls13 = selector & 1 == 1;
    let chunk = 1 + usize::from(selector >> 1) * 64;
    let mut e = establish(tls13);
    // Sometimes start with the genuine post-handshake records (tickets), sometimes without.
    let mut wire = if selector & 2 == 2 {
        e.to_client.clone()
    } else {
        Vec::new()
    };
    wire.extend_from_slice(rest);
    let mut inbox = Vec::new();
    let mut fed = 0;
    for _ in 0..4096 {
        let result = e.client.decrypt(&mut inbox);
        let mut record = vec![0u8; 64];
        let _ = e.client.encrypt(&mut record, 8);
        match result {
            Ok(Decrypted::Data(l)) => {
                assert!(l.header.end <= l.data.start && l.data.end <= l.trailer.end);
                assert!(l.trailer.end == l.extra.start && l.extra.end == inbox.len());
                inbox.drain(..l.extra.start);
            }
            Ok(Decrypted::Renegotiate(l)) => {
                inbox.drain(..l.extra.start);
                let mut token = Vec::new();
                let _ = e.client.handshake(&inbox, &mut token);
            }
            Ok(Decrypted::ContextExpired(_)) => return,
            Ok(Decrypted::IncompleteMessage { missing }) => {
                assert!(missing > 0);
                if fed == wire.len() {
                    return;
                }
                let n = chunk.min(wire.len() - fed);
                inbox.extend_from_slice(&wire[fed..fed + n]);
                fed += n;
            }
            Err(err) => {
                assert!(allowed_error(err.status()), "{err}");
                // Latched.
                assert_eq!(
                    e.client.decrypt(&mut inbox).unwrap_err().status(),
                    err.status()
                );
                return;
            }
        }
    }
});
