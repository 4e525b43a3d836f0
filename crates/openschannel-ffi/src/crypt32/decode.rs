//! `CryptDecodeObjectEx` / `CryptDecodeObject` for the structures TLS code decodes, and
//! `CertFindExtension`.
//!
//! Supported `lpszStructType`s: `X509_ALT_NAME` (and `szOID_SUBJECT_ALT_NAME2`,
//! `szOID_ISSUER_ALT_NAME2`, the legacy `szOID_SUBJECT_ALT_NAME`/`ISSUER_ALT_NAME`),
//! `X509_BASIC_CONSTRAINTS2` (`szOID_BASIC_CONSTRAINTS2`), `X509_ENHANCED_KEY_USAGE`
//! (`szOID_ENHANCED_KEY_USAGE`), `X509_KEY_USAGE` (`szOID_KEY_USAGE`), `X509_NAME` and
//! `X509_UNICODE_NAME`. Others fail with `ERROR_FILE_NOT_FOUND` (no decoder, as Windows
//! reports it). The result is one self-relative block (see `layout.rs`).

use std::ffi::{c_char, c_void, CStr};

use super::der::{
    self, tag, Tlv, CRYPT_E_ASN1_BADTAG, CRYPT_E_ASN1_CORRUPT, CRYPT_E_ASN1_EOD, CRYPT_E_ASN1_LARGE,
};
use super::layout::{deliver, Image, CRYPT_DECODE_ALLOC_FLAG, CRYPT_DECODE_PARA};
use crate::boundary::guard_value;
use crate::lasterror;
use crate::types::{CERT_EXTENSION, CRYPT_BLOB};

/// `lpszStructType` constants (small integers in the pointer).
pub(crate) mod st {
    pub(crate) const X509_NAME: usize = 7;
    pub(crate) const X509_ALT_NAME: usize = 12;
    pub(crate) const X509_KEY_USAGE: usize = 14;
    pub(crate) const X509_BASIC_CONSTRAINTS2: usize = 15;
    pub(crate) const X509_UNICODE_NAME: usize = 20;
    pub(crate) const X509_ENHANCED_KEY_USAGE: usize = 36;
    pub(crate) const PKCS_RSA_PRIVATE_KEY: usize = 43;
    pub(crate) const PKCS_PRIVATE_KEY_INFO: usize = 44;
}

/// `ERROR_FILE_NOT_FOUND`: no decoder for the structure type or encoding.
const ERROR_FILE_NOT_FOUND: u32 = 2;
/// `ERROR_INVALID_PARAMETER`.
const ERROR_INVALID_PARAMETER: u32 = 87;
/// `CRYPT_E_NOT_FOUND`.
const CRYPT_E_NOT_FOUND: u32 = 0x8009_2004;

/// `CERT_ALT_NAME_*` choices.
pub(crate) mod alt {
    pub(crate) const OTHER_NAME: u32 = 1;
    pub(crate) const RFC822_NAME: u32 = 2;
    pub(crate) const DNS_NAME: u32 = 3;
    pub(crate) const DIRECTORY_NAME: u32 = 5;
    pub(crate) const URL: u32 = 7;
    pub(crate) const IP_ADDRESS: u32 = 8;
    pub(crate) const REGISTERED_ID: u32 = 9;
}

/// `CERT_RDN_*` value types.
pub(crate) mod rdn {
    pub(crate) const ENCODED_BLOB: u32 = 1;
    pub(crate) const OCTET_STRING: u32 = 2;
    pub(crate) const NUMERIC_STRING: u32 = 3;
    pub(crate) const PRINTABLE_STRING: u32 = 4;
    pub(crate) const TELETEX_STRING: u32 = 5;
    pub(crate) const VIDEOTEX_STRING: u32 = 6;
    pub(crate) const IA5_STRING: u32 = 7;
    pub(crate) const GRAPHIC_STRING: u32 = 8;
    pub(crate) const VISIBLE_STRING: u32 = 9;
    pub(crate) const GENERAL_STRING: u32 = 10;
    pub(crate) const UNIVERSAL_STRING: u32 = 11;
    pub(crate) const BMP_STRING: u32 = 12;
    pub(crate) const UTF8_STRING: u32 = 13;
}

/// `CERT_ALT_NAME_INFO`.
#[repr(C)]
pub struct CERT_ALT_NAME_INFO {
    /// Number of entries.
    pub cAltEntry: u32,
    /// The entries.
    pub rgAltEntry: *mut CERT_ALT_NAME_ENTRY,
}

/// `CERT_ALT_NAME_ENTRY`: `dwAltNameChoice` and a union whose largest member is a
/// `CRYPT_BLOB`; the string, OID and other-name choices keep a pointer at its start.
#[repr(C)]
pub struct CERT_ALT_NAME_ENTRY {
    /// `CERT_ALT_NAME_*`.
    pub dwAltNameChoice: u32,
    /// The union: a pointer for the string/OID/other-name choices, a blob for directory
    /// names and IP addresses.
    pub u: CRYPT_BLOB,
}

/// `CERT_OTHER_NAME`.
#[repr(C)]
pub struct CERT_OTHER_NAME {
    /// The type OID.
    pub pszObjId: *mut c_char,
    /// The encoded value.
    pub Value: CRYPT_BLOB,
}

/// `CERT_BASIC_CONSTRAINTS2_INFO`.
#[repr(C)]
pub struct CERT_BASIC_CONSTRAINTS2_INFO {
    /// The subject is a CA.
    pub fCA: i32,
    /// `dwPathLenConstraint` is present.
    pub fPathLenConstraint: i32,
    /// Maximum number of intermediate CAs below.
    pub dwPathLenConstraint: u32,
}

/// `CERT_ENHKEY_USAGE` (`CTL_USAGE`).
#[repr(C)]
pub struct CERT_ENHKEY_USAGE {
    /// Number of OIDs.
    pub cUsageIdentifier: u32,
    /// The OIDs.
    pub rgpszUsageIdentifier: *mut *mut c_char,
}

/// `CERT_NAME_INFO`.
#[repr(C)]
pub struct CERT_NAME_INFO {
    /// Number of RDNs.
    pub cRDN: u32,
    /// The RDNs, most significant first (encoding order).
    pub rgRDN: *mut CERT_RDN,
}

/// `CERT_RDN`.
#[repr(C)]
pub struct CERT_RDN {
    /// Number of attributes.
    pub cRDNAttr: u32,
    /// The attributes.
    pub rgRDNAttr: *mut CERT_RDN_ATTR,
}

/// `CERT_RDN_ATTR`.
#[repr(C)]
pub struct CERT_RDN_ATTR {
    /// Attribute type OID.
    pub pszObjId: *mut c_char,
    /// `CERT_RDN_*`.
    pub dwValueType: u32,
    /// The value (see the module docs for its form).
    pub Value: CRYPT_BLOB,
}

/// `CRYPT_PRIVATE_KEY_INFO` (PKCS#8).
#[repr(C)]
pub struct CRYPT_PRIVATE_KEY_INFO {
    /// Version (0).
    pub Version: u32,
    /// Key algorithm: OID and encoded parameters.
    pub Algorithm: crate::types::CRYPT_ALGORITHM_IDENTIFIER,
    /// The algorithm's private key encoding (PKCS#1 for RSA).
    pub PrivateKey: CRYPT_BLOB,
    /// Attributes (not decoded: NULL).
    pub pAttributes: *mut c_void,
}

/// `CRYPT_BIT_BLOB` (key usage).
#[repr(C)]
pub struct CRYPT_BIT_BLOB_OUT {
    /// Bytes.
    pub cbData: u32,
    /// Data.
    pub pbData: *mut u8,
    /// Unused bits in the last byte.
    pub cUnusedBits: u32,
}

const PTR: usize = std::mem::size_of::<usize>();

/// One general name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum AltName {
    /// otherName: type OID and encoded value.
    Other(String, Vec<u8>),
    /// rfc822Name.
    Rfc822(String),
    /// dNSName.
    Dns(String),
    /// directoryName (the Name's encoding).
    Directory(Vec<u8>),
    /// uniformResourceIdentifier.
    Url(String),
    /// iPAddress (4 or 16 bytes, or 8/32 with a mask in name constraints).
    Ip(Vec<u8>),
    /// registeredID.
    RegisteredId(String),
}

fn latin1(bytes: &[u8]) -> String {
    bytes.iter().map(|&b| char::from(b)).collect()
}

/// Parses `GeneralNames` (a SubjectAltName / IssuerAltName extension value).
pub(crate) fn parse_alt_names(input: &[u8]) -> Result<Vec<AltName>, u32> {
    let seq = der::single(input, tag::SEQUENCE)?;
    der::children(seq.value)?
        .into_iter()
        .map(|gn| {
            Ok(match gn.tag {
                0xa0 => {
                    let (oid, rest) = der::read(gn.value)?;
                    if oid.tag != tag::OID {
                        return Err(CRYPT_E_ASN1_BADTAG);
                    }
                    let value = der::single(rest, 0xa0)?;
                    AltName::Other(der::oid_string(oid.value)?, value.value.to_vec())
                }
                0x81 => AltName::Rfc822(latin1(gn.value)),
                0x82 => AltName::Dns(latin1(gn.value)),
                0xa4 => {
                    let name = der::single(gn.value, tag::SEQUENCE)?;
                    AltName::Directory(name.raw.to_vec())
                }
                0x86 => AltName::Url(latin1(gn.value)),
                0x87 => AltName::Ip(gn.value.to_vec()),
                0x88 => AltName::RegisteredId(der::oid_string(gn.value)?),
                _ => return Err(CRYPT_E_ASN1_BADTAG),
            })
        })
        .collect()
}

fn alt_names_image(names: &[AltName]) -> Image {
    let entry = std::mem::size_of::<CERT_ALT_NAME_ENTRY>();
    let union = std::mem::offset_of!(CERT_ALT_NAME_ENTRY, u);
    let mut img = Image::new(std::mem::size_of::<CERT_ALT_NAME_INFO>());
    img.put_u32(0, u32::try_from(names.len()).unwrap_or(0));
    if names.is_empty() {
        return img;
    }
    let array = img.reserve(entry * names.len(), PTR);
    img.put_ptr(std::mem::offset_of!(CERT_ALT_NAME_INFO, rgAltEntry), array);
    for (i, name) in names.iter().enumerate() {
        let at = array + i * entry;
        let (choice, u) = (at, at + union);
        match name {
            AltName::Other(oid, value) => {
                img.put_u32(choice, alt::OTHER_NAME);
                let other = img.reserve(std::mem::size_of::<CERT_OTHER_NAME>(), PTR);
                img.put_ptr(u, other);
                img.put_cstr(other, oid);
                img.put_blob(other + std::mem::offset_of!(CERT_OTHER_NAME, Value), value);
            }
            AltName::Rfc822(s) => {
                img.put_u32(choice, alt::RFC822_NAME);
                img.put_wstr(u, s);
            }
            AltName::Dns(s) => {
                img.put_u32(choice, alt::DNS_NAME);
                img.put_wstr(u, s);
            }
            AltName::Url(s) => {
                img.put_u32(choice, alt::URL);
                img.put_wstr(u, s);
            }
            AltName::Directory(d) => {
                img.put_u32(choice, alt::DIRECTORY_NAME);
                img.put_blob(u, d);
            }
            AltName::Ip(d) => {
                img.put_u32(choice, alt::IP_ADDRESS);
                img.put_blob(u, d);
            }
            AltName::RegisteredId(oid) => {
                img.put_u32(choice, alt::REGISTERED_ID);
                img.put_cstr(u, oid);
            }
        }
    }
    img
}

/// Parses `BasicConstraints`: (cA, pathLenConstraint).
pub(crate) fn parse_basic_constraints(input: &[u8]) -> Result<(bool, Option<u32>), u32> {
    let seq = der::single(input, tag::SEQUENCE)?;
    let mut items = der::children(seq.value)?.into_iter().peekable();
    let mut ca = false;
    if let Some(t) = items.next_if(|t| t.tag == tag::BOOLEAN) {
        ca = der::boolean(&t)?;
    }
    let mut path = None;
    if let Some(t) = items.next_if(|t| t.tag == tag::INTEGER) {
        path = Some(der::small_uint(&t)?);
    }
    if items.next().is_some() {
        return Err(CRYPT_E_ASN1_CORRUPT);
    }
    Ok((ca, path))
}

/// Parses `ExtKeyUsageSyntax`: the purpose OIDs.
pub(crate) fn parse_eku(input: &[u8]) -> Result<Vec<String>, u32> {
    let seq = der::single(input, tag::SEQUENCE)?;
    der::children(seq.value)?
        .iter()
        .map(|t| {
            if t.tag != tag::OID {
                return Err(CRYPT_E_ASN1_BADTAG);
            }
            der::oid_string(t.value)
        })
        .collect()
}

/// One attribute of a distinguished name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Attr {
    /// Attribute type OID.
    pub(crate) oid: String,
    /// `CERT_RDN_*`.
    pub(crate) kind: u32,
    /// Contents octets (the whole encoding for `CERT_RDN_ENCODED_BLOB`).
    pub(crate) raw: Vec<u8>,
    /// The value as text (string types only).
    pub(crate) text: Option<String>,
}

fn string_text(kind: u32, raw: &[u8]) -> Option<String> {
    Some(match kind {
        rdn::UTF8_STRING => String::from_utf8_lossy(raw).into_owned(),
        rdn::BMP_STRING => String::from_utf16_lossy(
            &raw.chunks(2)
                .map(|c| u16::from_be_bytes([c[0], *c.get(1).unwrap_or(&0)]))
                .collect::<Vec<_>>(),
        ),
        rdn::UNIVERSAL_STRING => raw
            .chunks(4)
            .map(|c| {
                let mut b = [0u8; 4];
                b[..c.len()].copy_from_slice(c);
                char::from_u32(u32::from_be_bytes(b)).unwrap_or('\u{fffd}')
            })
            .collect(),
        rdn::NUMERIC_STRING..=rdn::GENERAL_STRING => latin1(raw),
        _ => return None,
    })
}

fn rdn_kind(t: &Tlv<'_>) -> u32 {
    match t.tag {
        tag::OCTET_STRING => rdn::OCTET_STRING,
        tag::NUMERIC_STRING => rdn::NUMERIC_STRING,
        tag::PRINTABLE_STRING => rdn::PRINTABLE_STRING,
        tag::T61_STRING => rdn::TELETEX_STRING,
        tag::VIDEOTEX_STRING => rdn::VIDEOTEX_STRING,
        tag::IA5_STRING => rdn::IA5_STRING,
        tag::GRAPHIC_STRING => rdn::GRAPHIC_STRING,
        tag::VISIBLE_STRING => rdn::VISIBLE_STRING,
        tag::GENERAL_STRING => rdn::GENERAL_STRING,
        tag::UNIVERSAL_STRING => rdn::UNIVERSAL_STRING,
        tag::BMP_STRING => rdn::BMP_STRING,
        tag::UTF8_STRING => rdn::UTF8_STRING,
        _ => rdn::ENCODED_BLOB,
    }
}

/// Parses a `Name`: its RDNs in encoding order, each a set of attributes.
pub(crate) fn parse_name(input: &[u8]) -> Result<Vec<Vec<Attr>>, u32> {
    let seq = der::single(input, tag::SEQUENCE)?;
    der::children(seq.value)?
        .into_iter()
        .map(|set| {
            if set.tag != tag::SET {
                return Err(CRYPT_E_ASN1_BADTAG);
            }
            der::children(set.value)?
                .into_iter()
                .map(|atv| {
                    if atv.tag != tag::SEQUENCE {
                        return Err(CRYPT_E_ASN1_BADTAG);
                    }
                    let (oid, rest) = der::read(atv.value)?;
                    if oid.tag != tag::OID {
                        return Err(CRYPT_E_ASN1_BADTAG);
                    }
                    let (value, rest) = der::read(rest)?;
                    if !rest.is_empty() {
                        return Err(CRYPT_E_ASN1_CORRUPT);
                    }
                    let kind = rdn_kind(&value);
                    let raw = if kind == rdn::ENCODED_BLOB {
                        value.raw.to_vec()
                    } else {
                        value.value.to_vec()
                    };
                    Ok(Attr {
                        oid: der::oid_string(oid.value)?,
                        kind,
                        text: string_text(kind, &raw),
                        raw,
                    })
                })
                .collect()
        })
        .collect()
}

fn utf16le(s: &str) -> Vec<u8> {
    s.encode_utf16().flat_map(u16::to_le_bytes).collect()
}

fn name_image(name: &[Vec<Attr>], unicode: bool) -> Image {
    let rdn_size = std::mem::size_of::<CERT_RDN>();
    let attr_size = std::mem::size_of::<CERT_RDN_ATTR>();
    let mut img = Image::new(std::mem::size_of::<CERT_NAME_INFO>());
    img.put_u32(0, u32::try_from(name.len()).unwrap_or(0));
    if name.is_empty() {
        return img;
    }
    let rdns = img.reserve(rdn_size * name.len(), PTR);
    img.put_ptr(std::mem::offset_of!(CERT_NAME_INFO, rgRDN), rdns);
    for (i, attrs) in name.iter().enumerate() {
        let r = rdns + i * rdn_size;
        img.put_u32(r, u32::try_from(attrs.len()).unwrap_or(0));
        if attrs.is_empty() {
            continue;
        }
        let array = img.reserve(attr_size * attrs.len(), PTR);
        img.put_ptr(r + std::mem::offset_of!(CERT_RDN, rgRDNAttr), array);
        for (j, a) in attrs.iter().enumerate() {
            let at = array + j * attr_size;
            img.put_cstr(at, &a.oid);
            img.put_u32(
                at + std::mem::offset_of!(CERT_RDN_ATTR, dwValueType),
                a.kind,
            );
            let value = at + std::mem::offset_of!(CERT_RDN_ATTR, Value);
            let wide = matches!(
                a.kind,
                rdn::BMP_STRING | rdn::UTF8_STRING | rdn::UNIVERSAL_STRING
            );
            match &a.text {
                Some(text) if unicode || wide => {
                    img.put_blob_terminated(value, &utf16le(text), 2);
                }
                Some(_) => img.put_blob_terminated(value, &a.raw, 1),
                None => img.put_blob(value, &a.raw),
            }
        }
    }
    img
}

/// A PKCS#1 `RSAPrivateKey` as a CryptoAPI `PRIVATEKEYBLOB` (`CALG_RSA_KEYX`, numbers
/// little-endian, each padded to its field size).
pub(crate) fn rsa_private_key_blob(input: &[u8]) -> Result<Vec<u8>, u32> {
    let seq = der::single(input, tag::SEQUENCE)?;
    let items = der::children(seq.value)?;
    if items.len() < 9 || items.iter().take(9).any(|t| t.tag != tag::INTEGER) {
        return Err(CRYPT_E_ASN1_CORRUPT);
    }
    let mag = |t: &Tlv<'_>| {
        let v = t.value;
        let skip = v.iter().take_while(|&&b| b == 0).count();
        v[skip.min(v.len())..].to_vec()
    };
    let n = mag(&items[1]);
    let bits = u32::try_from(n.len() * 8).map_err(|_| CRYPT_E_ASN1_LARGE)?;
    if n.is_empty() || bits % 16 != 0 || bits > 16384 {
        return Err(CRYPT_E_ASN1_CORRUPT);
    }
    let e = der::small_uint(&items[2])?;
    let (full, half) = (n.len(), n.len() / 2);
    let mut out = vec![0x07, 0x02, 0, 0];
    out.extend(0xa400u32.to_le_bytes());
    out.extend(0x3241_5352u32.to_le_bytes());
    out.extend(bits.to_le_bytes());
    out.extend(e.to_le_bytes());
    // modulus, prime1, prime2, exponent1, exponent2, coefficient, privateExponent
    for (index, size) in [
        (1, full),
        (4, half),
        (5, half),
        (6, half),
        (7, half),
        (8, half),
        (3, full),
    ] {
        let be = mag(&items[index]);
        if be.len() > size {
            return Err(CRYPT_E_ASN1_LARGE);
        }
        let mut le: Vec<u8> = be.into_iter().rev().collect();
        le.resize(size, 0);
        out.extend(le);
    }
    Ok(out)
}

/// Decodes `input` as the structure `ty` (a small constant, or an OID string).
pub(crate) fn decode_image(ty: StructType<'_>, input: &[u8]) -> Result<Image, u32> {
    let int = match ty {
        StructType::Int(n) => n,
        StructType::Oid(oid) => match oid {
            "2.5.29.17" | "2.5.29.18" | "2.5.29.7" | "2.5.29.8" => st::X509_ALT_NAME,
            "2.5.29.19" => st::X509_BASIC_CONSTRAINTS2,
            "2.5.29.37" => st::X509_ENHANCED_KEY_USAGE,
            "2.5.29.15" => st::X509_KEY_USAGE,
            _ => return Err(ERROR_FILE_NOT_FOUND),
        },
    };
    match int {
        st::X509_ALT_NAME => Ok(alt_names_image(&parse_alt_names(input)?)),
        st::X509_BASIC_CONSTRAINTS2 => {
            let (ca, path) = parse_basic_constraints(input)?;
            let mut img = Image::new(std::mem::size_of::<CERT_BASIC_CONSTRAINTS2_INFO>());
            img.put_u32(0, u32::from(ca));
            img.put_u32(4, u32::from(path.is_some()));
            img.put_u32(8, path.unwrap_or(0));
            Ok(img)
        }
        st::X509_ENHANCED_KEY_USAGE => {
            let oids = parse_eku(input)?;
            let mut img = Image::new(std::mem::size_of::<CERT_ENHKEY_USAGE>());
            img.put_u32(0, u32::try_from(oids.len()).unwrap_or(0));
            if !oids.is_empty() {
                let array = img.reserve(PTR * oids.len(), PTR);
                img.put_ptr(
                    std::mem::offset_of!(CERT_ENHKEY_USAGE, rgpszUsageIdentifier),
                    array,
                );
                for (i, oid) in oids.iter().enumerate() {
                    img.put_cstr(array + i * PTR, oid);
                }
            }
            Ok(img)
        }
        st::X509_KEY_USAGE => {
            let bits = der::single(input, tag::BIT_STRING)?;
            let (&unused, data) = bits.value.split_first().ok_or(CRYPT_E_ASN1_CORRUPT)?;
            if unused > 7 || (data.is_empty() && unused != 0) {
                return Err(CRYPT_E_ASN1_CORRUPT);
            }
            let mut img = Image::new(std::mem::size_of::<CRYPT_BIT_BLOB_OUT>());
            img.put_blob(0, data);
            img.put_u32(
                std::mem::offset_of!(CRYPT_BIT_BLOB_OUT, cUnusedBits),
                u32::from(unused),
            );
            Ok(img)
        }
        st::PKCS_PRIVATE_KEY_INFO => {
            let seq = der::single(input, tag::SEQUENCE)?;
            let items = der::children(seq.value)?;
            let [version, alg, key, ..] = items.as_slice() else {
                return Err(CRYPT_E_ASN1_CORRUPT);
            };
            if version.tag != tag::INTEGER
                || alg.tag != tag::SEQUENCE
                || key.tag != tag::OCTET_STRING
            {
                return Err(CRYPT_E_ASN1_BADTAG);
            }
            let (oid, params) = der::read(alg.value)?;
            if oid.tag != tag::OID {
                return Err(CRYPT_E_ASN1_BADTAG);
            }
            let mut img = Image::new(std::mem::size_of::<CRYPT_PRIVATE_KEY_INFO>());
            img.put_u32(0, der::small_uint(version)?);
            let a = std::mem::offset_of!(CRYPT_PRIVATE_KEY_INFO, Algorithm);
            img.put_cstr(a, &der::oid_string(oid.value)?);
            img.put_blob(a + PTR, params);
            img.put_blob(
                std::mem::offset_of!(CRYPT_PRIVATE_KEY_INFO, PrivateKey),
                key.value,
            );
            Ok(img)
        }
        st::PKCS_RSA_PRIVATE_KEY => {
            let blob = rsa_private_key_blob(input)?;
            let mut img = Image::new(0);
            img.append(&blob, 1);
            Ok(img)
        }
        st::X509_NAME => Ok(name_image(&parse_name(input)?, false)),
        st::X509_UNICODE_NAME => Ok(name_image(&parse_name(input)?, true)),
        _ => Err(ERROR_FILE_NOT_FOUND),
    }
}

/// An `lpszStructType`: a predefined constant or an OID.
#[derive(Clone, Copy, Debug)]
pub(crate) enum StructType<'a> {
    /// `X509_*` constant.
    Int(usize),
    /// `szOID_*`.
    Oid(&'a str),
}

/// Reads `lpszStructType`.
///
/// # Safety
/// Values above 0xffff must be NUL-terminated strings.
unsafe fn struct_type<'a>(p: *const c_char) -> Option<StructType<'a>> {
    if (p as usize) >> 16 == 0 {
        return Some(StructType::Int(p as usize));
    }
    // SAFETY: a non-small value is a NUL-terminated OID string (the caller's contract).
    unsafe { CStr::from_ptr(p) }
        .to_str()
        .ok()
        .map(StructType::Oid)
}

/// The shared body of both decode exports.
///
/// # Safety
/// As [`CryptDecodeObjectEx`].
#[allow(clippy::too_many_arguments)] // the Windows signature
unsafe fn decode_export(
    encoding: u32,
    ty: *const c_char,
    pb: *const u8,
    cb: u32,
    flags: u32,
    para: *const CRYPT_DECODE_PARA,
    pv: *mut c_void,
    pcb: *mut u32,
) -> i32 {
    if flags & CRYPT_DECODE_ALLOC_FLAG == 0 && pcb.is_null() {
        return lasterror::fail(0, ERROR_INVALID_PARAMETER);
    }
    if encoding & 0xffff != 1 {
        return lasterror::fail(0, ERROR_FILE_NOT_FOUND);
    }
    // SAFETY: the caller's contract for lpszStructType.
    let Some(ty) = (unsafe { struct_type(ty) }) else {
        return lasterror::fail(0, ERROR_FILE_NOT_FOUND);
    };
    if pb.is_null() || cb == 0 {
        return lasterror::fail(0, CRYPT_E_ASN1_EOD);
    }
    // SAFETY: `cb` readable bytes at `pb` (non-NULL checked).
    let input = unsafe { std::slice::from_raw_parts(pb, cb as usize) };
    match decode_image(ty, input) {
        // SAFETY: forwarded output contract.
        Ok(img) => unsafe { deliver(&img, flags, para, pv, pcb) },
        Err(code) => lasterror::fail(0, code),
    }
}

/// `CryptDecodeObjectEx`: decodes `pbEncoded` as `lpszStructType` into one self-relative
/// block. With `CRYPT_DECODE_ALLOC_FLAG`, `pvStructInfo` is a `void**` receiving memory to
/// release with `LocalFree` (or `pDecodePara->pfnAlloc`'s partner); otherwise `pvStructInfo`
/// NULL asks for the size in `*pcbStructInfo`, and a short buffer fails with
/// `ERROR_MORE_DATA`. Malformed input fails with `CRYPT_E_ASN1_*`.
///
/// # Safety
/// `pbEncoded` holds `cbEncoded` bytes; `lpszStructType` is a constant or an OID string;
/// `pvStructInfo`/`pcbStructInfo` follow the protocol above.
#[no_mangle]
pub unsafe extern "C" fn CryptDecodeObjectEx(
    dwCertEncodingType: u32,
    lpszStructType: *const c_char,
    pbEncoded: *const u8,
    cbEncoded: u32,
    dwFlags: u32,
    pDecodePara: *const CRYPT_DECODE_PARA,
    pvStructInfo: *mut c_void,
    pcbStructInfo: *mut u32,
) -> i32 {
    guard_value("CryptDecodeObjectEx", 0, || {
        // SAFETY: forwarded contract.
        unsafe {
            decode_export(
                dwCertEncodingType,
                lpszStructType,
                pbEncoded,
                cbEncoded,
                dwFlags,
                pDecodePara,
                pvStructInfo,
                pcbStructInfo,
            )
        }
    })
}

/// `CryptDecodeObject`: [`CryptDecodeObjectEx`] into a caller buffer (no allocation).
///
/// # Safety
/// As [`CryptDecodeObjectEx`].
#[no_mangle]
pub unsafe extern "C" fn CryptDecodeObject(
    dwCertEncodingType: u32,
    lpszStructType: *const c_char,
    pbEncoded: *const u8,
    cbEncoded: u32,
    dwFlags: u32,
    pvStructInfo: *mut c_void,
    pcbStructInfo: *mut u32,
) -> i32 {
    guard_value("CryptDecodeObject", 0, || {
        // SAFETY: forwarded contract.
        unsafe {
            decode_export(
                dwCertEncodingType,
                lpszStructType,
                pbEncoded,
                cbEncoded,
                dwFlags & !CRYPT_DECODE_ALLOC_FLAG,
                std::ptr::null(),
                pvStructInfo,
                pcbStructInfo,
            )
        }
    })
}

/// `CertFindExtension`: the extension with OID `pszObjId` in the array, or NULL
/// (`CRYPT_E_NOT_FOUND`).
///
/// # Safety
/// `pszObjId` is NUL-terminated; `rgExtensions` holds `cExtensions` extensions whose OIDs are
/// NUL-terminated.
#[no_mangle]
pub unsafe extern "C" fn CertFindExtension(
    pszObjId: *const c_char,
    cExtensions: u32,
    rgExtensions: *mut CERT_EXTENSION,
) -> *mut CERT_EXTENSION {
    guard_value("CertFindExtension", std::ptr::null_mut(), || {
        if pszObjId.is_null() || (cExtensions > 0 && rgExtensions.is_null()) {
            return lasterror::fail(std::ptr::null_mut(), ERROR_INVALID_PARAMETER);
        }
        // SAFETY: NUL-terminated per the contract.
        let want = unsafe { CStr::from_ptr(pszObjId) };
        for i in 0..cExtensions as usize {
            let ext = rgExtensions.wrapping_add(i);
            // SAFETY: `i < cExtensions` elements of the caller's array.
            let oid = unsafe { (*ext).pszObjId };
            // SAFETY: the extension's OID is NULL or NUL-terminated.
            if !oid.is_null() && unsafe { CStr::from_ptr(oid) } == want {
                return ext;
            }
        }
        lasterror::fail(std::ptr::null_mut(), CRYPT_E_NOT_FOUND)
    })
}

/// Fuzz entry: every supported structure type on hostile DER, through the size query and the
/// allocating path.
#[doc(hidden)]
pub fn fuzz_decode(data: &[u8]) {
    for ty in [
        st::X509_ALT_NAME,
        st::X509_BASIC_CONSTRAINTS2,
        st::X509_ENHANCED_KEY_USAGE,
        st::X509_KEY_USAGE,
        st::X509_NAME,
        st::X509_UNICODE_NAME,
        st::PKCS_PRIVATE_KEY_INFO,
        st::PKCS_RSA_PRIVATE_KEY,
    ] {
        let mut size = 0u32;
        let len = u32::try_from(data.len()).unwrap_or(u32::MAX);
        // SAFETY: `data` holds `len` bytes; a size query writes only `size`.
        let ok = unsafe {
            CryptDecodeObjectEx(
                1,
                ty as *const c_char,
                data.as_ptr(),
                len,
                0,
                std::ptr::null(),
                std::ptr::null_mut(),
                &mut size,
            )
        };
        if ok == 0 {
            continue;
        }
        let mut block: *mut c_void = std::ptr::null_mut();
        // SAFETY: the allocating form writes the block pointer to `block`.
        let ok = unsafe {
            CryptDecodeObjectEx(
                1,
                ty as *const c_char,
                data.as_ptr(),
                len,
                CRYPT_DECODE_ALLOC_FLAG,
                std::ptr::null(),
                (&mut block as *mut *mut c_void).cast(),
                &mut size,
            )
        };
        assert_eq!(ok, 1);
        assert!(crate::localmem::free(block.cast()));
    }
}

#[cfg(test)]
// Tests read the structures the decoder laid out.
#[allow(
    clippy::undocumented_unsafe_blocks,
    clippy::multiple_unsafe_ops_per_block
)]
mod tests {
    use super::*;

    /// SAN: DNS "a.example", DNS "b.example", IP 127.0.0.1, IP ::1, email, URI, RID 1.2.3.
    fn san() -> Vec<u8> {
        let mut body = Vec::new();
        body.extend(der::encode(0x82, b"a.example"));
        body.extend(der::encode(0x82, b"b.example"));
        body.extend(der::encode(0x87, &[127, 0, 0, 1]));
        let mut v6 = [0u8; 16];
        v6[15] = 1;
        body.extend(der::encode(0x87, &v6));
        body.extend(der::encode(0x81, b"me@example.org"));
        body.extend(der::encode(0x86, b"https://example.org/"));
        body.extend(der::encode(0x88, &[0x2a, 0x03]));
        der::encode(0x30, &body)
    }

    unsafe fn wide(p: *const u16) -> String {
        let mut v = Vec::new();
        let mut i = 0;
        while unsafe { *p.add(i) } != 0 {
            v.push(unsafe { *p.add(i) });
            i += 1;
        }
        String::from_utf16(&v).unwrap()
    }

    #[test]
    fn alt_names_decode_into_windows_structures() {
        let img = decode_image(StructType::Int(st::X509_ALT_NAME), &san()).unwrap();
        let mem = img.materialise();
        let info = unsafe { &*(mem.as_ptr() as *const CERT_ALT_NAME_INFO) };
        assert_eq!(info.cAltEntry, 7);
        let e = unsafe { std::slice::from_raw_parts(info.rgAltEntry, 7) };
        assert_eq!(e[0].dwAltNameChoice, alt::DNS_NAME);
        // The string choices keep their pointer at the start of the union.
        let p0 = unsafe { *(std::ptr::addr_of!(e[0].u) as *const *const u16) };
        assert_eq!(unsafe { wide(p0) }, "a.example");
        let p1 = unsafe { *(std::ptr::addr_of!(e[1].u) as *const *const u16) };
        assert_eq!(unsafe { wide(p1) }, "b.example");
        assert_eq!(e[2].dwAltNameChoice, alt::IP_ADDRESS);
        assert_eq!(
            unsafe { std::slice::from_raw_parts(e[2].u.pbData, e[2].u.cbData as usize) },
            &[127, 0, 0, 1]
        );
        assert_eq!(e[3].u.cbData, 16);
        assert_eq!(e[4].dwAltNameChoice, alt::RFC822_NAME);
        assert_eq!(e[5].dwAltNameChoice, alt::URL);
        assert_eq!(e[6].dwAltNameChoice, alt::REGISTERED_ID);
        let rid = unsafe { *(std::ptr::addr_of!(e[6].u) as *const *const c_char) };
        assert_eq!(unsafe { CStr::from_ptr(rid) }.to_str().unwrap(), "1.2.3");
    }

    #[test]
    fn size_query_alloc_and_more_data() {
        let enc = san();
        let oid = c"2.5.29.17";
        let mut size = 0u32;
        unsafe {
            assert_eq!(
                CryptDecodeObjectEx(
                    1,
                    oid.as_ptr(),
                    enc.as_ptr(),
                    enc.len() as u32,
                    0,
                    std::ptr::null(),
                    std::ptr::null_mut(),
                    &mut size
                ),
                1
            );
        }
        assert!(size as usize > std::mem::size_of::<CERT_ALT_NAME_INFO>());
        let mut buf = vec![0u64; size as usize / 8 + 1];
        let mut short = size - 1;
        unsafe {
            assert_eq!(
                CryptDecodeObject(
                    1,
                    oid.as_ptr(),
                    enc.as_ptr(),
                    enc.len() as u32,
                    0,
                    buf.as_mut_ptr().cast(),
                    &mut short
                ),
                0
            );
        }
        assert_eq!((lasterror::get(), short), (234, size));
        let mut block: *mut c_void = std::ptr::null_mut();
        unsafe {
            assert_eq!(
                CryptDecodeObjectEx(
                    1,
                    st::X509_ALT_NAME as *const c_char,
                    enc.as_ptr(),
                    enc.len() as u32,
                    CRYPT_DECODE_ALLOC_FLAG,
                    std::ptr::null(),
                    (&mut block as *mut *mut c_void).cast(),
                    &mut size
                ),
                1
            );
            assert_eq!((*(block as *const CERT_ALT_NAME_INFO)).cAltEntry, 7);
        }
        assert!(crate::localmem::LocalFree(block).is_null());
        // Truncated input, trailing garbage, wrong encoding type, unknown structure.
        let cases: [(u32, usize, &[u8], u32); 4] = [
            (
                1,
                st::X509_ALT_NAME,
                &enc[..enc.len() - 1],
                CRYPT_E_ASN1_EOD,
            ),
            (
                1,
                st::X509_BASIC_CONSTRAINTS2,
                &[0x30, 0x00, 0x00],
                CRYPT_E_ASN1_CORRUPT,
            ),
            (2, st::X509_ALT_NAME, &enc, ERROR_FILE_NOT_FOUND),
            (1, 999, &enc, ERROR_FILE_NOT_FOUND),
        ];
        for (encoding, ty, input, code) in cases {
            let mut size = 0u32;
            unsafe {
                assert_eq!(
                    CryptDecodeObjectEx(
                        encoding,
                        ty as *const c_char,
                        input.as_ptr(),
                        input.len() as u32,
                        0,
                        std::ptr::null(),
                        std::ptr::null_mut(),
                        &mut size
                    ),
                    0
                );
            }
            assert_eq!(lasterror::get(), code, "{ty}");
        }
    }

    #[test]
    fn basic_constraints_eku_and_key_usage() {
        assert_eq!(
            parse_basic_constraints(&[0x30, 0x00]).unwrap(),
            (false, None)
        );
        assert_eq!(
            parse_basic_constraints(&[0x30, 0x06, 0x01, 0x01, 0xff, 0x02, 0x01, 0x01]).unwrap(),
            (true, Some(1))
        );
        let img = decode_image(
            StructType::Oid("2.5.29.19"),
            &[0x30, 0x03, 0x01, 0x01, 0xff],
        )
        .unwrap();
        let mem = img.materialise();
        let bc = unsafe { &*(mem.as_ptr() as *const CERT_BASIC_CONSTRAINTS2_INFO) };
        assert_eq!((bc.fCA, bc.fPathLenConstraint), (1, 0));
        let eku = der::encode(
            0x30,
            &[
                der::encode(0x06, &[0x2b, 6, 1, 5, 5, 7, 3, 1]),
                der::encode(0x06, &[0x2b, 6, 1, 5, 5, 7, 3, 2]),
            ]
            .concat(),
        );
        let mem = decode_image(StructType::Int(st::X509_ENHANCED_KEY_USAGE), &eku)
            .unwrap()
            .materialise();
        let u = unsafe { &*(mem.as_ptr() as *const CERT_ENHKEY_USAGE) };
        assert_eq!(u.cUsageIdentifier, 2);
        let second = unsafe { CStr::from_ptr(*u.rgpszUsageIdentifier.add(1)) };
        assert_eq!(second.to_str().unwrap(), "1.3.6.1.5.5.7.3.2");
        let mem = decode_image(
            StructType::Int(st::X509_KEY_USAGE),
            &[0x03, 0x02, 0x05, 0xa0],
        )
        .unwrap()
        .materialise();
        let ku = unsafe { &*(mem.as_ptr() as *const CRYPT_BIT_BLOB_OUT) };
        assert_eq!(
            (ku.cbData, unsafe { *ku.pbData }, ku.cUnusedBits),
            (1, 0xa0, 5)
        );
    }

    fn name_der() -> Vec<u8> {
        let atv = |oid: &[u8], tag: u8, v: &[u8]| {
            der::encode(
                0x31,
                &der::encode(
                    0x30,
                    &[der::encode(0x06, oid), der::encode(tag, v)].concat(),
                ),
            )
        };
        der::encode(
            0x30,
            &[
                atv(&[0x55, 4, 6], 0x13, b"US"),
                atv(&[0x55, 4, 10], 0x0c, "Caf\u{e9}".as_bytes()),
                atv(&[0x55, 4, 3], 0x1e, &[0, b'h', 0, b'i']),
            ]
            .concat(),
        )
    }

    #[test]
    fn names_decode_in_both_forms() {
        let name = parse_name(&name_der()).unwrap();
        assert_eq!(name.len(), 3);
        assert_eq!(name[1][0].text.as_deref(), Some("Caf\u{e9}"));
        assert_eq!(name[2][0].kind, rdn::BMP_STRING);
        let mem = decode_image(StructType::Int(st::X509_NAME), &name_der())
            .unwrap()
            .materialise();
        let info = unsafe { &*(mem.as_ptr() as *const CERT_NAME_INFO) };
        let rdns = unsafe { std::slice::from_raw_parts(info.rgRDN, 3) };
        let c = unsafe { &*rdns[0].rgRDNAttr };
        assert_eq!(
            unsafe { CStr::from_ptr(c.pszObjId) }.to_str().unwrap(),
            "2.5.4.6"
        );
        assert_eq!((c.dwValueType, c.Value.cbData), (rdn::PRINTABLE_STRING, 2));
        let o = unsafe { &*rdns[1].rgRDNAttr };
        // UTF8String values are UTF-16 even in X509_NAME.
        assert_eq!(o.Value.cbData, 8);
        let mem = decode_image(StructType::Int(st::X509_UNICODE_NAME), &name_der())
            .unwrap()
            .materialise();
        let info = unsafe { &*(mem.as_ptr() as *const CERT_NAME_INFO) };
        let c = unsafe { &*(*info.rgRDN).rgRDNAttr };
        assert_eq!(c.Value.cbData, 4);
        assert_eq!(unsafe { wide(c.Value.pbData as *const u16) }, "US");
    }

    #[test]
    fn find_extension() {
        let oid = c"2.5.29.17";
        let other = c"2.5.29.19";
        let mut exts = [
            CERT_EXTENSION {
                pszObjId: other.as_ptr().cast_mut(),
                fCritical: 0,
                Value: CRYPT_BLOB {
                    cbData: 0,
                    pbData: std::ptr::null_mut(),
                },
            },
            CERT_EXTENSION {
                pszObjId: oid.as_ptr().cast_mut(),
                fCritical: 0,
                Value: CRYPT_BLOB {
                    cbData: 0,
                    pbData: std::ptr::null_mut(),
                },
            },
        ];
        let found = unsafe { CertFindExtension(oid.as_ptr(), 2, exts.as_mut_ptr()) };
        assert_eq!(found, &mut exts[1] as *mut CERT_EXTENSION);
        let missing = unsafe { CertFindExtension(c"1.2".as_ptr(), 2, exts.as_mut_ptr()) };
        assert!(missing.is_null());
        assert_eq!(lasterror::get(), CRYPT_E_NOT_FOUND);
    }

    #[test]
    fn fuzz_body_runs() {
        fuzz_decode(&san());
        fuzz_decode(&name_der());
        fuzz_decode(&[0x30, 0x03, 0x01, 0x01]);
        fuzz_decode(&[]);
    }
}
