//! A small, strict DER reader (and the few encoders CryptoAPI key import needs).
//!
//! The decoders of `CryptDecodeObjectEx` work on outside input, so every step is checked:
//! definite lengths only (at most four length octets, minimal form not required), low tag
//! numbers only, no reading past the end. Errors carry the CryptoAPI code the caller sees.

/// `CRYPT_E_ASN1_EOD`: the input ends inside an element.
pub(crate) const CRYPT_E_ASN1_EOD: u32 = 0x8009_3102;
/// `CRYPT_E_ASN1_CORRUPT`: malformed encoding.
pub(crate) const CRYPT_E_ASN1_CORRUPT: u32 = 0x8009_3100;
/// `CRYPT_E_ASN1_BADTAG`: an element of the wrong type.
pub(crate) const CRYPT_E_ASN1_BADTAG: u32 = 0x8009_310b;
/// `CRYPT_E_ASN1_LARGE`: a value too large for its field.
pub(crate) const CRYPT_E_ASN1_LARGE: u32 = 0x8009_3104;

/// Universal tags used by the decoders.
pub(crate) mod tag {
    pub(crate) const BOOLEAN: u8 = 0x01;
    pub(crate) const INTEGER: u8 = 0x02;
    pub(crate) const BIT_STRING: u8 = 0x03;
    pub(crate) const OCTET_STRING: u8 = 0x04;
    pub(crate) const OID: u8 = 0x06;
    pub(crate) const UTF8_STRING: u8 = 0x0c;
    pub(crate) const NUMERIC_STRING: u8 = 0x12;
    pub(crate) const PRINTABLE_STRING: u8 = 0x13;
    pub(crate) const T61_STRING: u8 = 0x14;
    pub(crate) const VIDEOTEX_STRING: u8 = 0x15;
    pub(crate) const IA5_STRING: u8 = 0x16;
    pub(crate) const GRAPHIC_STRING: u8 = 0x19;
    pub(crate) const VISIBLE_STRING: u8 = 0x1a;
    pub(crate) const GENERAL_STRING: u8 = 0x1b;
    pub(crate) const UNIVERSAL_STRING: u8 = 0x1c;
    pub(crate) const BMP_STRING: u8 = 0x1e;
    pub(crate) const SEQUENCE: u8 = 0x30;
    pub(crate) const SET: u8 = 0x31;
}

/// One element: its identifier octet, contents and whole encoding.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Tlv<'a> {
    /// The identifier octet (class, constructed bit, tag number < 31).
    pub(crate) tag: u8,
    /// The contents octets.
    pub(crate) value: &'a [u8],
    /// Identifier, length and contents.
    pub(crate) raw: &'a [u8],
}

/// Reads one element from the front of `input`, returning it and the rest.
pub(crate) fn read(input: &[u8]) -> Result<(Tlv<'_>, &[u8]), u32> {
    let (&tag, rest) = input.split_first().ok_or(CRYPT_E_ASN1_EOD)?;
    if tag & 0x1f == 0x1f {
        return Err(CRYPT_E_ASN1_BADTAG);
    }
    let (&first, mut rest) = rest.split_first().ok_or(CRYPT_E_ASN1_EOD)?;
    let len = if first < 0x80 {
        usize::from(first)
    } else {
        let n = usize::from(first & 0x7f);
        if n == 0 || n > 4 {
            return Err(CRYPT_E_ASN1_CORRUPT);
        }
        if rest.len() < n {
            return Err(CRYPT_E_ASN1_EOD);
        }
        let mut len = 0usize;
        for &b in &rest[..n] {
            len = (len << 8) | usize::from(b);
        }
        rest = &rest[n..];
        len
    };
    if rest.len() < len {
        return Err(CRYPT_E_ASN1_EOD);
    }
    let header = input.len() - rest.len();
    Ok((
        Tlv {
            tag,
            value: &rest[..len],
            raw: &input[..header + len],
        },
        &rest[len..],
    ))
}

/// Reads exactly one element of type `want` that fills `input`.
pub(crate) fn single(input: &[u8], want: u8) -> Result<Tlv<'_>, u32> {
    let (tlv, rest) = read(input)?;
    if tlv.tag != want {
        return Err(CRYPT_E_ASN1_BADTAG);
    }
    if !rest.is_empty() {
        return Err(CRYPT_E_ASN1_CORRUPT);
    }
    Ok(tlv)
}

/// The elements of a constructed value's contents, in order.
pub(crate) fn children(mut contents: &[u8]) -> Result<Vec<Tlv<'_>>, u32> {
    let mut out = Vec::new();
    while !contents.is_empty() {
        let (tlv, rest) = read(contents)?;
        out.push(tlv);
        contents = rest;
    }
    Ok(out)
}

/// The dotted form of an OBJECT IDENTIFIER's contents.
pub(crate) fn oid_string(contents: &[u8]) -> Result<String, u32> {
    if contents.is_empty() || contents[contents.len() - 1] & 0x80 != 0 {
        return Err(CRYPT_E_ASN1_CORRUPT);
    }
    let mut arcs: Vec<u64> = Vec::new();
    let mut value: u64 = 0;
    for &b in contents {
        if value > (u64::MAX >> 7) {
            return Err(CRYPT_E_ASN1_LARGE);
        }
        value = (value << 7) | u64::from(b & 0x7f);
        if b & 0x80 == 0 {
            arcs.push(value);
            value = 0;
        }
    }
    let first = arcs[0];
    let (a, b) = match first {
        0..=39 => (0, first),
        40..=79 => (1, first - 40),
        _ => (2, first - 80),
    };
    let mut s = format!("{a}.{b}");
    for arc in &arcs[1..] {
        s.push('.');
        s.push_str(&arc.to_string());
    }
    Ok(s)
}

/// A DER BOOLEAN's value.
pub(crate) fn boolean(tlv: &Tlv<'_>) -> Result<bool, u32> {
    match tlv.value {
        [v] => Ok(*v != 0),
        _ => Err(CRYPT_E_ASN1_CORRUPT),
    }
}

/// A non-negative INTEGER that fits in a `u32`.
pub(crate) fn small_uint(tlv: &Tlv<'_>) -> Result<u32, u32> {
    let v = tlv.value;
    if v.is_empty() {
        return Err(CRYPT_E_ASN1_CORRUPT);
    }
    if v[0] & 0x80 != 0 {
        return Err(CRYPT_E_ASN1_LARGE);
    }
    let digits = if v[0] == 0 { &v[1..] } else { v };
    if digits.len() > 4 {
        return Err(CRYPT_E_ASN1_LARGE);
    }
    Ok(digits
        .iter()
        .fold(0u32, |acc, &b| (acc << 8) | u32::from(b)))
}

/// Encodes a definite length.
fn push_len(out: &mut Vec<u8>, len: usize) {
    if len < 0x80 {
        out.push(len as u8);
    } else {
        let bytes = len.to_be_bytes();
        let skip = bytes.iter().take_while(|&&b| b == 0).count();
        out.push(0x80 | (bytes.len() - skip) as u8);
        out.extend_from_slice(&bytes[skip..]);
    }
}

/// Encodes one element.
pub(crate) fn encode(tag: u8, contents: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(contents.len() + 6);
    out.push(tag);
    push_len(&mut out, contents.len());
    out.extend_from_slice(contents);
    out
}

/// Encodes an unsigned big-endian magnitude as a DER INTEGER.
pub(crate) fn encode_uint(be: &[u8]) -> Vec<u8> {
    let skip = be.iter().take_while(|&&b| b == 0).count();
    let digits = &be[skip.min(be.len())..];
    let mut contents = Vec::with_capacity(digits.len() + 1);
    if digits.is_empty() || digits[0] & 0x80 != 0 {
        contents.push(0);
    }
    contents.extend_from_slice(digits);
    encode(tag::INTEGER, &contents)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_short_and_long_forms() {
        let (t, rest) = read(&[0x04, 0x02, 0xaa, 0xbb, 0x05, 0x00]).unwrap();
        assert_eq!(
            (t.tag, t.value, rest),
            (0x04, &[0xaa, 0xbb][..], &[0x05, 0x00][..])
        );
        let long = encode(0x04, &[7u8; 300]);
        assert_eq!(&long[..4], &[0x04, 0x82, 0x01, 0x2c]);
        assert_eq!(read(&long).unwrap().0.value.len(), 300);
    }

    #[test]
    fn rejects_truncation_and_indefinite_lengths() {
        assert_eq!(read(&[]).unwrap_err(), CRYPT_E_ASN1_EOD);
        assert_eq!(read(&[0x04, 0x03, 1]).unwrap_err(), CRYPT_E_ASN1_EOD);
        assert_eq!(read(&[0x30, 0x80, 0, 0]).unwrap_err(), CRYPT_E_ASN1_CORRUPT);
        assert_eq!(read(&[0x1f, 0x01, 0]).unwrap_err(), CRYPT_E_ASN1_BADTAG);
        assert_eq!(
            read(&[0x04, 0x85, 1, 1, 1, 1, 1]).unwrap_err(),
            CRYPT_E_ASN1_CORRUPT
        );
    }

    #[test]
    fn oids_and_integers() {
        assert_eq!(oid_string(&[0x55, 0x1d, 0x11]).unwrap(), "2.5.29.17");
        assert_eq!(
            oid_string(&[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x09, 0x01]).unwrap(),
            "1.2.840.113549.1.9.1"
        );
        assert!(oid_string(&[0x2a, 0x86]).is_err());
        let t = single(&[0x02, 0x02, 0x00, 0x80], tag::INTEGER).unwrap();
        assert_eq!(small_uint(&t).unwrap(), 128);
        assert_eq!(encode_uint(&[0x00, 0x80]), vec![0x02, 0x02, 0x00, 0x80]);
        assert_eq!(encode_uint(&[0x01, 0x00]), vec![0x02, 0x02, 0x01, 0x00]);
    }
}
