//! The in-place record layer (engine/record.rs) on its own terms: every record gets a fresh
//! nonce, replayed and reordered records are refused, contiguous and separate buffers share one
//! sequence, and the plaintext is opened where it lies.

use openschannel_test_support as common;

use common::{pattern, pki, suite_credentials, KeyKind, Pair};
use openschannel::{CipherSuite, Decrypted, SecurityContext, Status};

fn suites() -> Vec<CipherSuite> {
    CipherSuite::all()
        .filter(|s| s.requires_ecdsa() != Some(false))
        .collect()
}

fn established(suite: CipherSuite) -> Pair {
    let _ = pki(KeyKind::EcdsaP256);
    let (c, s) = suite_credentials(KeyKind::EcdsaP256, suite);
    let mut pair = Pair::new(&c, &s, usize::MAX);
    pair.handshake()
        .unwrap_or_else(|e| panic!("{suite:?}: {e}"));
    pair
}

/// EncryptMessage over one contiguous buffer; returns the record.
fn seal(ctx: &mut SecurityContext, plain: &[u8]) -> Vec<u8> {
    let sizes = ctx.stream_sizes().unwrap();
    let mut buf = vec![0u8; sizes.header + plain.len() + sizes.trailer];
    buf[sizes.header..sizes.header + plain.len()].copy_from_slice(plain);
    let written = ctx.encrypt(&mut buf, plain.len()).unwrap();
    assert_eq!(written.total(), buf.len());
    buf
}

/// EncryptMessage over three separate regions; returns the record.
fn seal_parts(ctx: &mut SecurityContext, plain: &[u8]) -> Vec<u8> {
    let sizes = ctx.stream_sizes().unwrap();
    let (mut header, mut data, mut trailer) = (
        vec![0u8; sizes.header],
        plain.to_vec(),
        vec![0u8; sizes.trailer + 7],
    );
    let w = ctx
        .encrypt_parts(&mut header, &mut data, &mut trailer)
        .unwrap();
    assert_eq!(
        (w.header, w.data, w.trailer),
        (sizes.header, plain.len(), sizes.trailer)
    );
    [&header[..], &data[..], &trailer[..w.trailer]].concat()
}

/// DecryptMessage of one record; the plaintext must lie inside the record.
fn open(ctx: &mut SecurityContext, record: &[u8]) -> Result<Vec<u8>, Status> {
    let mut buf = record.to_vec();
    match ctx.decrypt(&mut buf) {
        Ok(Decrypted::Data(l)) => {
            assert!(l.extra.is_empty());
            assert_eq!(l.header.start, 0);
            assert_eq!(l.trailer.end, record.len());
            Ok(buf[l.data].to_vec())
        }
        Ok(other) => panic!("unexpected {other:?}"),
        Err(e) => Err(e.status()),
    }
}

#[test]
fn every_record_gets_a_fresh_nonce() {
    for suite in suites() {
        let mut pair = established(suite);
        let plain = pattern(1000, 7);
        let records: Vec<Vec<u8>> = (0..4).map(|_| seal(&mut pair.client.ctx, &plain)).collect();
        for i in 0..records.len() {
            for j in i + 1..records.len() {
                assert_ne!(
                    records[i], records[j],
                    "{suite:?}: records {i} and {j} are equal"
                );
            }
        }
        for r in &records {
            assert_eq!(open(&mut pair.server.ctx, r).unwrap(), plain, "{suite:?}");
        }
    }
}

#[test]
fn a_replayed_record_is_refused() {
    for suite in suites() {
        let mut pair = established(suite);
        let r = seal(&mut pair.client.ctx, b"once only");
        assert_eq!(open(&mut pair.server.ctx, &r).unwrap(), b"once only");
        assert_eq!(
            open(&mut pair.server.ctx, &r),
            Err(Status::SEC_E_MESSAGE_ALTERED),
            "{suite:?}"
        );
        // The failure is latched.
        let next = seal(&mut pair.client.ctx, b"after");
        assert_eq!(
            open(&mut pair.server.ctx, &next),
            Err(Status::SEC_E_MESSAGE_ALTERED)
        );
    }
}

#[test]
fn reordered_records_are_refused() {
    for suite in suites() {
        let mut pair = established(suite);
        let _first = seal(&mut pair.client.ctx, b"first");
        let second = seal(&mut pair.client.ctx, b"second");
        assert_eq!(
            open(&mut pair.server.ctx, &second),
            Err(Status::SEC_E_MESSAGE_ALTERED),
            "{suite:?}"
        );
    }
}

#[test]
fn contiguous_and_separate_buffers_share_one_sequence() {
    for suite in suites() {
        let mut pair = established(suite);
        for i in 0..8u64 {
            let plain = pattern(1 + (i as usize * 997) % 16384, i);
            let record = if i % 2 == 0 {
                seal(&mut pair.client.ctx, &plain)
            } else {
                seal_parts(&mut pair.client.ctx, &plain)
            };
            assert_eq!(
                open(&mut pair.server.ctx, &record).unwrap(),
                plain,
                "{suite:?} #{i}"
            );
        }
        // And the other way, after the server's own switch.
        let back = seal(&mut pair.server.ctx, b"and back");
        let mut got = Vec::new();
        let mut wire: Vec<u8> = pair.s2c.bytes.drain(..).collect();
        wire.extend_from_slice(&back);
        // Session tickets (TLS 1.3) come first: SEC_I_RENEGOTIATE, serviced by handshake().
        while got.is_empty() {
            match pair.client.ctx.decrypt(&mut wire).unwrap() {
                Decrypted::Data(l) => {
                    got = wire[l.data.clone()].to_vec();
                    wire.drain(..l.extra.start);
                }
                Decrypted::Renegotiate(l) => {
                    wire.drain(..l.extra.start);
                    let mut out = Vec::new();
                    pair.client.ctx.handshake(&[], &mut out).unwrap();
                    assert!(out.is_empty());
                }
                other => panic!("{other:?}"),
            }
        }
        assert_eq!(got, b"and back", "{suite:?}");
        assert!(wire.is_empty());
    }
}

#[test]
fn tampering_anywhere_in_a_record_is_detected() {
    for suite in suites() {
        let plain = pattern(300, 3);
        let probe = {
            let mut pair = established(suite);
            seal(&mut pair.client.ctx, &plain)
        };
        // Every byte after the length field: type-specific bytes, nonce, ciphertext, tag.
        for at in (5..probe.len()).step_by(37).chain([probe.len() - 1]) {
            let mut pair = established(suite);
            let mut r = seal(&mut pair.client.ctx, &plain);
            r[at] ^= 0x40;
            assert_eq!(
                open(&mut pair.server.ctx, &r),
                Err(Status::SEC_E_MESSAGE_ALTERED),
                "{suite:?} byte {at}"
            );
        }
    }
}
