//! The certificate containers a file or blob store may hold, in safe Rust: PEM (`CERTIFICATE`
//! and `PKCS7` blocks), a DER certificate, PKCS#7 SignedData (`.p7b`, DER or PEM), and
//! Windows' serialized store format (`CERT` magic, then property records of which
//! `CERT_CERT_PROP_ID` carries a certificate). CRLs, CTLs and other properties are skipped.

use openschannel_core::Certificate;
use x509_parser::prelude::{FromDer, X509Certificate};

use super::chain::tlv;

/// The DER of `id-signedData`'s OID (1.2.840.113549.1.7.2) with its tag and length.
const SIGNED_DATA_OID: &[u8] = &[
    0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x02,
];
/// Serialized store header: a zero DWORD and "CERT".
const SERIALIZED_MAGIC: &[u8] = &[0, 0, 0, 0, b'C', b'E', b'R', b'T'];
/// `CERT_CERT_PROP_ID` in a serialized store: the certificate's DER.
const CERT_CERT_PROP_ID: u32 = 32;

/// One whole TLV at the start of `input` and the rest.
fn whole_tlv(input: &[u8]) -> Option<(u8, &[u8], &[u8])> {
    let (tag, _, rest) = tlv(input)?;
    Some((tag, &input[..input.len() - rest.len()], rest))
}

/// The certificates of a PKCS#7 SignedData (`None` when `der` is not one).
pub(crate) fn pkcs7(der: &[u8]) -> Option<Vec<Vec<u8>>> {
    let (0x30, content_info, _) = tlv(der)? else {
        return None;
    };
    let rest = content_info.strip_prefix(SIGNED_DATA_OID)?;
    let (0xa0, explicit, _) = tlv(rest)? else {
        return None;
    };
    let (0x30, signed_data, _) = tlv(explicit)? else {
        return None;
    };
    // version, digestAlgorithms, encapContentInfo, then [0] IMPLICIT certificates.
    let (0x02, _, rest) = tlv(signed_data)? else {
        return None;
    };
    let (0x31, _, rest) = tlv(rest)? else {
        return None;
    };
    let (0x30, _, rest) = tlv(rest)? else {
        return None;
    };
    let mut out = Vec::new();
    if let Some((0xa0, mut certs, _)) = tlv(rest) {
        while !certs.is_empty() {
            let (tag, whole, next) = whole_tlv(certs)?;
            // Other CertificateChoices (attribute certificates) are skipped.
            if tag == 0x30 {
                out.push(whole.to_vec());
            }
            certs = next;
        }
    }
    Some(out)
}

/// The certificates of a serialized store (`None` when `bytes` is not one).
pub(crate) fn serialized(bytes: &[u8]) -> Option<Vec<Vec<u8>>> {
    let mut rest = bytes.strip_prefix(SERIALIZED_MAGIC)?;
    let mut out = Vec::new();
    let u32_at = |b: &[u8], i: usize| -> Option<u32> {
        Some(u32::from_le_bytes(b.get(i..i + 4)?.try_into().ok()?))
    };
    while rest.len() >= 12 {
        let prop = u32_at(rest, 0)?;
        let len = usize::try_from(u32_at(rest, 8)?).ok()?;
        let data = rest.get(12..12usize.checked_add(len)?)?;
        if prop == CERT_CERT_PROP_ID {
            out.push(data.to_vec());
        }
        rest = &rest[12 + len..];
    }
    // Trailing bytes shorter than a record header: an end marker (zeros) or truncation.
    if rest.iter().any(|b| *b != 0) {
        return None;
    }
    Some(out)
}

/// Standard base64 (whitespace ignored); `None` on another character.
fn base64(text: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    let mut acc = 0u32;
    let mut bits = 0;
    for &c in text {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            b'=' | b' ' | b'\t' | b'\r' | b'\n' => continue,
            _ => return None,
        };
        acc = (acc << 6) | u32::from(v);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    Some(out)
}

/// The bodies of the PEM blocks labelled `label`.
fn pem_blocks(text: &[u8], label: &str) -> Vec<Vec<u8>> {
    let begin = format!("-----BEGIN {label}-----");
    let end = format!("-----END {label}-----");
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(start) = find(rest, begin.as_bytes()) {
        let body = &rest[start + begin.len()..];
        let Some(stop) = find(body, end.as_bytes()) else {
            break;
        };
        if let Some(der) = base64(&body[..stop]) {
            out.push(der);
        }
        rest = &body[stop + end.len()..];
    }
    out
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

fn is_certificate(der: &[u8]) -> bool {
    matches!(X509Certificate::from_der(der), Ok((rest, _)) if rest.is_empty())
}

/// The certificates in a file's or blob's bytes, whatever the container; `None` when the
/// bytes are none of the formats.
pub(crate) fn certificates(bytes: &[u8]) -> Option<Vec<Vec<u8>>> {
    if let Some(certs) = serialized(bytes) {
        return Some(certs);
    }
    if find(bytes, b"-----BEGIN ").is_some() {
        let mut out: Vec<Vec<u8>> = Certificate::pem_chain(bytes)
            .map(|c| c.into_iter().map(|c| c.der().to_vec()).collect())
            .unwrap_or_default();
        for block in pem_blocks(bytes, "PKCS7") {
            out.extend(pkcs7(&block).unwrap_or_default());
        }
        return (!out.is_empty()).then_some(out);
    }
    if is_certificate(bytes) {
        return Some(vec![bytes.to_vec()]);
    }
    pkcs7(bytes)
}

/// Fuzz entry: hostile bytes as a certificate file, a PKCS#7 bundle and a serialized store.
#[doc(hidden)]
pub fn fuzz_store_formats(data: &[u8]) {
    let _ = certificates(data);
    let _ = pkcs7(data);
    let _ = serialized(data);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cert() -> Vec<u8> {
        let key = rcgen::KeyPair::generate().unwrap();
        rcgen::CertificateParams::new(vec!["x.example".to_string()])
            .unwrap()
            .self_signed(&key)
            .unwrap()
            .der()
            .to_vec()
    }

    fn der_len(n: usize) -> Vec<u8> {
        if n < 0x80 {
            vec![n as u8]
        } else {
            let bytes: Vec<u8> = n
                .to_be_bytes()
                .iter()
                .copied()
                .skip_while(|b| *b == 0)
                .collect();
            let mut v = vec![0x80 | bytes.len() as u8];
            v.extend(bytes);
            v
        }
    }

    fn wrap(tag: u8, body: &[u8]) -> Vec<u8> {
        let mut v = vec![tag];
        v.extend(der_len(body.len()));
        v.extend_from_slice(body);
        v
    }

    /// A degenerate SignedData holding `certs` (what `openssl crl2pkcs7 -nocrl` writes).
    fn p7b(certs: &[Vec<u8>]) -> Vec<u8> {
        let data_oid = [
            0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x01,
        ];
        let mut signed = wrap(0x02, &[1]);
        signed.extend(wrap(0x31, &[]));
        signed.extend(wrap(0x30, &data_oid));
        signed.extend(wrap(0xa0, &certs.concat()));
        signed.extend(wrap(0x31, &[]));
        let mut ci = SIGNED_DATA_OID.to_vec();
        ci.extend(wrap(0xa0, &wrap(0x30, &signed)));
        wrap(0x30, &ci)
    }

    #[test]
    fn pkcs7_der_and_pem() {
        let (a, b) = (cert(), cert());
        let p7 = p7b(&[a.clone(), b.clone()]);
        assert_eq!(pkcs7(&p7).unwrap(), vec![a.clone(), b.clone()]);
        assert_eq!(certificates(&p7).unwrap(), vec![a.clone(), b]);
        let pem = format!(
            "-----BEGIN PKCS7-----\n{}\n-----END PKCS7-----\n",
            crate::crypt32::system_store::tests_base64(&p7b(std::slice::from_ref(&a)))
        );
        assert_eq!(certificates(pem.as_bytes()).unwrap(), vec![a]);
    }

    #[test]
    fn serialized_store_records() {
        let a = cert();
        let mut s = SERIALIZED_MAGIC.to_vec();
        // A friendly-name property first, then the certificate, then an end marker.
        for (prop, data) in [(11u32, b"n\0a\0".to_vec()), (CERT_CERT_PROP_ID, a.clone())] {
            s.extend(prop.to_le_bytes());
            s.extend(1u32.to_le_bytes());
            s.extend((data.len() as u32).to_le_bytes());
            s.extend(data);
        }
        s.extend([0u8; 8]);
        assert_eq!(serialized(&s).unwrap(), vec![a.clone()]);
        assert_eq!(certificates(&s).unwrap(), vec![a]);
        // A record claiming more bytes than there are.
        let mut bad = SERIALIZED_MAGIC.to_vec();
        bad.extend(CERT_CERT_PROP_ID.to_le_bytes());
        bad.extend(1u32.to_le_bytes());
        bad.extend(u32::MAX.to_le_bytes());
        assert!(serialized(&bad).is_none());
    }

    #[test]
    fn hostile_bytes_are_rejected_without_panicking() {
        let p7 = p7b(&[cert()]);
        for i in 0..p7.len() {
            let _ = certificates(&p7[..i]);
            let mut flipped = p7.clone();
            flipped[i] ^= 0xa5;
            let _ = certificates(&flipped);
        }
        assert!(certificates(b"").is_none());
        assert!(certificates(&[0x30, 0x80, 0, 0]).is_none());
        assert!(certificates(b"-----BEGIN PKCS7-----\n!!\n-----END PKCS7-----").is_none());
    }
}
