//! The subject common names of an X.509 certificate, read from its DER with a minimal reader
//! (no dependency parses subjects for us: webpki does not expose them).
//!
//! Only what Windows' name check needs is read: the tbsCertificate's fields up to the subject,
//! and each `AttributeTypeAndValue` of the subject whose type is commonName (2.5.4.3), decoded
//! from UTF8String, PrintableString, IA5String, T61String (as Latin-1) or BMPString. Anything
//! malformed yields no names. The reader never panics on any input (fuzzed through
//! [`Certificate::subject_common_names`](crate::Certificate::subject_common_names) in the `pem`
//! target).

use crate::der::tlv;

/// The commonName OID, 2.5.4.3.
const CN_OID: [u8; 3] = [0x55, 0x04, 0x03];

/// Decodes a directory string value.
fn text(tag: u8, value: &[u8]) -> Option<String> {
    match tag {
        // UTF8String, PrintableString, IA5String
        0x0c | 0x13 | 0x16 => String::from_utf8(value.to_vec()).ok(),
        // T61String: Latin-1 in practice.
        0x14 => Some(value.iter().map(|&b| char::from(b)).collect()),
        // BMPString: UTF-16BE.
        0x1e if value.len() % 2 == 0 => {
            let units: Vec<u16> = value
                .chunks_exact(2)
                .map(|c| u16::from_be_bytes([c[0], c[1]]))
                .collect();
            String::from_utf16(&units).ok()
        }
        _ => None,
    }
}

/// The subject's common names, in order; empty when `der` is not a certificate this reader
/// understands or its subject has none.
pub(crate) fn subject_common_names(der: &[u8]) -> Vec<String> {
    let names = || -> Option<Vec<String>> {
        let (0x30, cert, _) = tlv(der)? else {
            return None;
        };
        let (0x30, mut tbs, _) = tlv(cert)? else {
            return None;
        };
        // [0] version (optional), serialNumber, signature, issuer, validity, then subject.
        let (tag, _, rest) = tlv(tbs)?;
        if tag == 0xa0 {
            tbs = rest;
        }
        for expected in [0x02, 0x30, 0x30, 0x30] {
            let (tag, _, rest) = tlv(tbs)?;
            if tag != expected {
                return None;
            }
            tbs = rest;
        }
        let (0x30, mut rdns, _) = tlv(tbs)? else {
            return None;
        };
        let mut out = Vec::new();
        while !rdns.is_empty() {
            let (tag, mut set, rest) = tlv(rdns)?;
            rdns = rest;
            if tag != 0x31 {
                return None;
            }
            while !set.is_empty() {
                let (tag, atv, rest) = tlv(set)?;
                set = rest;
                if tag != 0x30 {
                    return None;
                }
                let (0x06, oid, value) = tlv(atv)? else {
                    return None;
                };
                if oid == CN_OID {
                    let (tag, value, _) = tlv(value)?;
                    if let Some(name) = text(tag, value) {
                        out.push(name);
                    }
                }
            }
        }
        Some(out)
    };
    names().unwrap_or_default()
}

/// Whether a common name matches a DNS reference name as Windows' SSL policy compares them:
/// ASCII case-insensitively, a trailing dot ignored, a leftmost `*` label matching exactly one
/// label.
pub(crate) fn common_name_matches(common_name: &str, reference: &str) -> bool {
    let cn = common_name.trim_end_matches('.');
    let reference = reference.trim_end_matches('.');
    if cn.is_empty() || reference.is_empty() {
        return false;
    }
    match cn.strip_prefix("*.") {
        Some(suffix) => match reference.split_once('.') {
            Some((label, rest)) => {
                !label.is_empty() && suffix.contains('.') && rest.eq_ignore_ascii_case(suffix)
            }
            None => false,
        },
        None => cn.eq_ignore_ascii_case(reference),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A DER TLV with a definite length.
    fn der(tag: u8, value: &[u8]) -> Vec<u8> {
        let mut out = vec![tag];
        if value.len() < 0x80 {
            out.push(value.len() as u8);
        } else {
            out.extend_from_slice(&[0x82, (value.len() >> 8) as u8, value.len() as u8]);
        }
        out.extend_from_slice(value);
        out
    }

    fn atv(oid: &[u8], tag: u8, value: &[u8]) -> Vec<u8> {
        der(
            0x31,
            &der(0x30, &[der(0x06, oid), der(tag, value)].concat()),
        )
    }

    /// A certificate skeleton with `subject` (the fields before it are placeholders).
    fn cert(version: bool, subject: &[u8]) -> Vec<u8> {
        let mut tbs = Vec::new();
        if version {
            tbs.extend(der(0xa0, &der(0x02, &[2])));
        }
        tbs.extend(der(0x02, &[1]));
        tbs.extend(der(0x30, &[]));
        tbs.extend(der(0x30, &[]));
        tbs.extend(der(0x30, &[]));
        tbs.extend(der(0x30, subject));
        tbs.extend(der(0x30, &[0; 200])); // SPKI placeholder, long-form length
        der(
            0x30,
            &[der(0x30, &tbs), der(0x30, &[]), der(0x03, &[0])].concat(),
        )
    }

    #[test]
    fn common_names_are_read_in_order_from_v1_and_v3() {
        let subject = [
            atv(&[0x55, 0x04, 0x0a], 0x0c, b"Org"),
            atv(&CN_OID, 0x13, b"localhost"),
            atv(&CN_OID, 0x0c, "h\u{e9}.example".as_bytes()),
        ]
        .concat();
        for version in [false, true] {
            assert_eq!(
                subject_common_names(&cert(version, &subject)),
                ["localhost", "h\u{e9}.example"]
            );
        }
        let bmp: Vec<u8> = "bmp".encode_utf16().flat_map(u16::to_be_bytes).collect();
        assert_eq!(
            subject_common_names(&cert(true, &atv(&CN_OID, 0x1e, &bmp))),
            ["bmp"]
        );
        assert_eq!(
            subject_common_names(&cert(true, &atv(&CN_OID, 0x14, &[0x41, 0xe9]))),
            ["A\u{e9}"]
        );
    }

    #[test]
    fn malformed_input_yields_no_names() {
        let good = cert(true, &atv(&CN_OID, 0x13, b"localhost"));
        for cut in 0..good.len() {
            assert!(subject_common_names(&good[..cut]).is_empty(), "{cut}");
        }
        assert!(subject_common_names(&[]).is_empty());
        assert!(subject_common_names(&[0x30, 0x84, 0xff, 0xff, 0xff, 0xff]).is_empty());
        assert!(subject_common_names(&[0x30, 0x85, 1, 1, 1, 1, 1]).is_empty());
        assert!(subject_common_names(&[0x1f, 0x01, 0x00]).is_empty());
        // Invalid UTF-8 in a UTF8String: that name is skipped.
        assert!(subject_common_names(&cert(true, &atv(&CN_OID, 0x0c, &[0xff]))).is_empty());
    }

    #[test]
    fn common_names_match_like_windows() {
        assert!(common_name_matches("localhost", "LOCALHOST"));
        assert!(common_name_matches("localhost.", "localhost"));
        assert!(common_name_matches("*.example.com", "a.example.com"));
        assert!(!common_name_matches("*.example.com", "a.b.example.com"));
        assert!(!common_name_matches("*.example.com", "example.com"));
        assert!(!common_name_matches("*.com", "example.com"));
        assert!(!common_name_matches("", ""));
        assert!(!common_name_matches("other", "localhost"));
    }
}
