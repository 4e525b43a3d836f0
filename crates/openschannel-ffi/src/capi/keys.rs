//! `CryptImportKey` for RSA `PRIVATEKEYBLOB`s: the CryptoAPI blob (little-endian numbers after
//! a `BLOBHEADER` and `RSAPUBKEY`) is re-encoded as a PKCS#1 `RSAPrivateKey`, which the TLS
//! engine signs with.

use zeroize::Zeroizing;

use super::{
    import_key, StoredKey, AT_KEYEXCHANGE, AT_SIGNATURE, ERROR_INVALID_PARAMETER, NTE_BAD_ALGID,
    NTE_BAD_DATA, NTE_BAD_KEY, NTE_BAD_TYPE, NTE_BAD_VER,
};
use crate::boundary::guard_value;
use crate::crypt32::der;
use crate::lasterror;

/// `PRIVATEKEYBLOB`.
const PRIVATEKEYBLOB: u8 = 0x7;
/// `CUR_BLOB_VERSION`.
const CUR_BLOB_VERSION: u8 = 2;
/// `CALG_RSA_KEYX`.
const CALG_RSA_KEYX: u32 = 0xa400;
/// `CALG_RSA_SIGN`.
const CALG_RSA_SIGN: u32 = 0x2400;
/// "RSA2": the private-key magic.
const RSA2: u32 = 0x3241_5352;

fn le_to_be(le: &[u8]) -> Vec<u8> {
    let mut v = le.to_vec();
    v.reverse();
    let skip = v.iter().take_while(|&&b| b == 0).count();
    v.drain(..skip.min(v.len().saturating_sub(1)));
    v
}

/// Parses a `PRIVATEKEYBLOB` into a key (and its key spec), or the `NTE_*` code.
pub(crate) fn parse_private_key_blob(blob: &[u8]) -> Result<(StoredKey, u32), u32> {
    if blob.len() < 20 {
        return Err(NTE_BAD_DATA);
    }
    if blob[0] != PRIVATEKEYBLOB {
        return Err(NTE_BAD_TYPE);
    }
    if blob[1] != CUR_BLOB_VERSION {
        return Err(NTE_BAD_VER);
    }
    let u32_at = |i: usize| u32::from_le_bytes([blob[i], blob[i + 1], blob[i + 2], blob[i + 3]]);
    let algid = u32_at(4);
    let spec = match algid {
        CALG_RSA_KEYX => AT_KEYEXCHANGE,
        CALG_RSA_SIGN => AT_SIGNATURE,
        _ => return Err(NTE_BAD_ALGID),
    };
    if u32_at(8) != RSA2 {
        return Err(NTE_BAD_DATA);
    }
    let bits = u32_at(12);
    let pubexp = u32_at(16);
    if bits == 0 || bits % 16 != 0 || bits > 16384 || pubexp == 0 {
        return Err(NTE_BAD_DATA);
    }
    let (full, half) = ((bits / 8) as usize, (bits / 16) as usize);
    let sizes = [full, half, half, half, half, half, full];
    if blob.len() < 20 + sizes.iter().sum::<usize>() {
        return Err(NTE_BAD_DATA);
    }
    let mut at = 20;
    let mut parts = Vec::with_capacity(7);
    for size in sizes {
        parts.push(Zeroizing::new(le_to_be(&blob[at..at + size])));
        at += size;
    }
    // RSAPrivateKey ::= SEQUENCE { version, n, e, d, p, q, dp, dq, qinv }
    let [n, p, q, dp, dq, qinv, d] = [0, 1, 2, 3, 4, 5, 6].map(|i| parts[i].clone());
    let mut body = Zeroizing::new(der::encode_uint(&[0]));
    for value in [
        &n[..],
        &pubexp.to_be_bytes(),
        &d[..],
        &p[..],
        &q[..],
        &dp[..],
        &dq[..],
        &qinv[..],
    ] {
        body.extend_from_slice(&der::encode_uint(value));
    }
    Ok((
        StoredKey {
            pkcs1: Zeroizing::new(der::encode(der::tag::SEQUENCE, &body)),
            modulus: n.to_vec(),
            algid,
            bits,
        },
        spec,
    ))
}

/// The modulus of an `RSAPublicKey` (the subject public key of an RSA certificate).
pub(crate) fn rsa_modulus(public_key: &[u8]) -> Option<Vec<u8>> {
    let seq = der::single(public_key, der::tag::SEQUENCE).ok()?;
    let (n, _) = der::read(seq.value).ok()?;
    if n.tag != der::tag::INTEGER {
        return None;
    }
    let skip = n.value.iter().take_while(|&&b| b == 0).count();
    Some(n.value[skip.min(n.value.len().saturating_sub(1))..].to_vec())
}

/// `CryptImportKey`: imports an RSA `PRIVATEKEYBLOB` (unencrypted: `hPubKey` must be 0) into
/// the provider's container (kept there for `CryptGetUserKey` and for certificates whose
/// `CERT_KEY_PROV_INFO_PROP_ID` names it) and returns a key handle. Fails with `NTE_BAD_TYPE`
/// (another blob type), `NTE_BAD_VER`, `NTE_BAD_ALGID`, `NTE_BAD_DATA` (malformed),
/// `NTE_BAD_UID` (unknown provider), `NTE_BAD_KEY` (an import key).
///
/// # Safety
/// `pbData` holds `dwDataLen` bytes; `phKey` is writable.
#[no_mangle]
pub unsafe extern "C" fn CryptImportKey(
    hProv: usize,
    pbData: *const u8,
    dwDataLen: u32,
    hPubKey: usize,
    dwFlags: u32,
    phKey: *mut usize,
) -> i32 {
    let _ = dwFlags;
    guard_value("CryptImportKey", 0, || {
        if phKey.is_null() || !phKey.is_aligned() {
            return lasterror::fail(0, ERROR_INVALID_PARAMETER);
        }
        let status = openschannel_core::Status::SEC_E_INVALID_PARAMETER;
        // SAFETY: `dwDataLen` readable bytes at `pbData`.
        let Ok(blob) =
            (unsafe { crate::boundary::bytes(pbData.cast(), dwDataLen as usize, status) })
        else {
            return lasterror::fail(0, ERROR_INVALID_PARAMETER);
        };
        if hPubKey != 0 {
            return lasterror::fail(0, NTE_BAD_KEY);
        }
        let (key, spec) = match parse_private_key_blob(blob) {
            Ok(k) => k,
            Err(code) => return lasterror::fail(0, code),
        };
        match import_key(hProv, key, spec) {
            Ok(h) => {
                // SAFETY: non-NULL and aligned (checked above).
                unsafe { phKey.write(h) };
                1
            }
            Err(code) => lasterror::fail(0, code),
        }
    })
}

/// Fuzz entry: hostile key blobs.
#[doc(hidden)]
pub fn fuzz_key_blob(data: &[u8]) {
    if let Ok((key, _)) = parse_private_key_blob(data) {
        assert!(der::single(&key.pkcs1, der::tag::SEQUENCE).is_ok());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A 64-bit toy key blob (numbers are not a real key; only the layout matters here).
    fn blob() -> Vec<u8> {
        let mut b = vec![PRIVATEKEYBLOB, 2, 0, 0];
        b.extend(CALG_RSA_KEYX.to_le_bytes());
        b.extend(RSA2.to_le_bytes());
        b.extend(64u32.to_le_bytes());
        b.extend(65537u32.to_le_bytes());
        for (i, size) in [8usize, 4, 4, 4, 4, 4, 8].into_iter().enumerate() {
            b.extend((0..size).map(|j| (i * 16 + j + 1) as u8));
        }
        b
    }

    #[test]
    fn blob_becomes_pkcs1() {
        let (key, spec) = parse_private_key_blob(&blob()).unwrap();
        assert_eq!((spec, key.bits), (AT_KEYEXCHANGE, 64));
        // Modulus: the first 8 bytes, reversed.
        assert_eq!(key.modulus, vec![8, 7, 6, 5, 4, 3, 2, 1]);
        let seq = der::single(&key.pkcs1, der::tag::SEQUENCE).unwrap();
        let items = der::children(seq.value).unwrap();
        assert_eq!(items.len(), 9);
        assert_eq!(items[2].value, &[0x01, 0x00, 0x01]);
        let mut bad = blob();
        bad[0] = 6;
        assert_eq!(parse_private_key_blob(&bad).unwrap_err(), NTE_BAD_TYPE);
        assert_eq!(
            parse_private_key_blob(&blob()[..40]).unwrap_err(),
            NTE_BAD_DATA
        );
        fuzz_key_blob(&blob());
    }
}

#[cfg(test)]
mod roundtrip {
    use super::*;

    #[test]
    fn pkcs1_to_blob_to_pkcs1_keeps_every_number() {
        // A toy RSAPrivateKey with a 64-bit modulus.
        let ints: [&[u8]; 9] = [
            &[0],
            &[0xc1, 2, 3, 4, 5, 6, 7, 8],
            &[1, 0, 1],
            &[0x51, 2, 3, 4, 5, 6, 7, 9],
            &[0xe1, 2, 3, 4],
            &[0x71, 2, 3, 5],
            &[0x41, 2, 3, 6],
            &[0x31, 2, 3, 7],
            &[0x21, 2, 3, 8],
        ];
        let body: Vec<u8> = ints.iter().flat_map(|v| der::encode_uint(v)).collect();
        let pkcs1 = der::encode(der::tag::SEQUENCE, &body);
        let blob = crate::crypt32::decode::rsa_private_key_blob(&pkcs1).unwrap();
        let (key, spec) = parse_private_key_blob(&blob).unwrap();
        assert_eq!(spec, AT_KEYEXCHANGE);
        assert_eq!(&key.pkcs1[..], &pkcs1[..]);
    }
}
