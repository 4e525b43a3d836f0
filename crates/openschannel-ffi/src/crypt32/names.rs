//! Names as text: `CertNameToStrA/W` and `CertGetNameStringA/W`.
//!
//! `CertNameToStr` formats a DER `Name` as Windows does (str.c of Wine's crypt32 tests records
//! the layouts): `CERT_SIMPLE_NAME_STR` (values only), `CERT_OID_NAME_STR` (`2.5.4.3=...`),
//! `CERT_X500_NAME_STR` (`CN=...`, `OID.1.2.3=...` for unnamed types), RDNs joined by `, `
//! (`; ` with `CERT_NAME_STR_SEMICOLON_FLAG`, CR LF with `CERT_NAME_STR_CRLF_FLAG`),
//! multi-valued RDNs by ` + ` (a space with `CERT_NAME_STR_NO_PLUS_FLAG`), optionally reversed
//! (`CERT_NAME_STR_REVERSE_FLAG`), values quoted with doubled `"` when they hold a separator
//! or start/end with a space (unless `CERT_NAME_STR_NO_QUOTING_FLAG`). Non-string values are
//! written as `#` and the hex of their encoding.

use std::ffi::{c_char, c_void, CStr};

use super::decode::{parse_alt_names, parse_name, rdn, AltName, Attr};
use super::state;
use crate::boundary::guard_value;
use crate::strings::SspiChar;
use crate::types::{CRYPT_BLOB, PCCERT_CONTEXT};

/// `CERT_SIMPLE_NAME_STR`.
pub(crate) const CERT_SIMPLE_NAME_STR: u32 = 1;
/// `CERT_OID_NAME_STR`.
pub(crate) const CERT_OID_NAME_STR: u32 = 2;
/// `CERT_X500_NAME_STR`.
pub(crate) const CERT_X500_NAME_STR: u32 = 3;
const CERT_NAME_STR_SEMICOLON_FLAG: u32 = 0x4000_0000;
const CERT_NAME_STR_NO_PLUS_FLAG: u32 = 0x2000_0000;
const CERT_NAME_STR_NO_QUOTING_FLAG: u32 = 0x1000_0000;
const CERT_NAME_STR_CRLF_FLAG: u32 = 0x0800_0000;
const CERT_NAME_STR_REVERSE_FLAG: u32 = 0x0200_0000;
/// `CERT_NAME_DISABLE_IE4_UTF8_FLAG` (also `CERT_NAME_STR_DISABLE_IE4_UTF8_FLAG`): T.61
/// strings are not tried as UTF-8 first.
const CERT_NAME_DISABLE_IE4_UTF8_FLAG: u32 = 0x0001_0000;

const CERT_NAME_EMAIL_TYPE: u32 = 1;
const CERT_NAME_RDN_TYPE: u32 = 2;
const CERT_NAME_ATTR_TYPE: u32 = 3;
const CERT_NAME_SIMPLE_DISPLAY_TYPE: u32 = 4;
const CERT_NAME_FRIENDLY_DISPLAY_TYPE: u32 = 5;
const CERT_NAME_DNS_TYPE: u32 = 6;
const CERT_NAME_URL_TYPE: u32 = 7;
const CERT_NAME_UPN_TYPE: u32 = 8;
const CERT_NAME_ISSUER_FLAG: u32 = 0x1;
const CERT_NAME_SEARCH_ALL_NAMES_FLAG: u32 = 0x2;

const OID_CN: &str = "2.5.4.3";
const OID_OU: &str = "2.5.4.11";
const OID_O: &str = "2.5.4.10";
const OID_EMAIL: &str = "1.2.840.113549.1.9.1";
const OID_UPN: &str = "1.3.6.1.4.1.311.20.2.3";

/// The X.500 keys Windows prints for `CERT_X500_NAME_STR`.
const X500_KEYS: &[(&str, &str)] = &[
    (OID_CN, "CN"),
    ("2.5.4.7", "L"),
    (OID_O, "O"),
    (OID_OU, "OU"),
    (OID_EMAIL, "E"),
    ("2.5.4.6", "C"),
    ("2.5.4.8", "S"),
    ("2.5.4.9", "STREET"),
    ("2.5.4.12", "T"),
    ("2.5.4.42", "G"),
    ("2.5.4.43", "I"),
    ("2.5.4.4", "SN"),
    ("0.9.2342.19200300.100.1.25", "DC"),
    ("2.5.4.5", "SERIALNUMBER"),
    ("2.5.4.13", "Description"),
    ("2.5.4.17", "PostalCode"),
    ("2.5.4.18", "POBox"),
    ("2.5.4.20", "Phone"),
];

/// An attribute's value as text, as Windows shows it.
fn attr_text(a: &Attr, flags: u32) -> String {
    if a.kind == rdn::TELETEX_STRING && flags & CERT_NAME_DISABLE_IE4_UTF8_FLAG == 0 {
        if let Ok(s) = std::str::from_utf8(&a.raw) {
            return s.to_owned();
        }
    }
    match &a.text {
        Some(t) => t.clone(),
        None => {
            let mut s = String::from("#");
            for b in &a.raw {
                s.push_str(&format!("{b:02X}"));
            }
            s
        }
    }
}

fn needs_quotes(v: &str) -> bool {
    v.starts_with(' ')
        || v.ends_with(' ')
        || v.chars().any(|c| {
            matches!(
                c,
                ',' | '+' | '=' | '"' | '\n' | '\r' | '\t' | '<' | '>' | '#' | ';'
            )
        })
}

/// Formats a decoded name per `str_type` (`CERT_*_NAME_STR` and `CERT_NAME_STR_*` flags).
pub(crate) fn name_to_str(name: &[Vec<Attr>], str_type: u32) -> String {
    let kind = str_type & 0xffff;
    let rdn_sep = if str_type & CERT_NAME_STR_SEMICOLON_FLAG != 0 {
        "; "
    } else if str_type & CERT_NAME_STR_CRLF_FLAG != 0 {
        "\r\n"
    } else {
        ", "
    };
    let attr_sep = if str_type & CERT_NAME_STR_NO_PLUS_FLAG != 0 {
        " "
    } else {
        " + "
    };
    let quote = str_type & CERT_NAME_STR_NO_QUOTING_FLAG == 0;
    let mut rdns: Vec<&Vec<Attr>> = name.iter().collect();
    if str_type & CERT_NAME_STR_REVERSE_FLAG != 0 {
        rdns.reverse();
    }
    let parts: Vec<String> = rdns
        .into_iter()
        .map(|attrs| {
            attrs
                .iter()
                .map(|a| {
                    let mut v = attr_text(a, str_type);
                    if quote && a.text.is_some() && needs_quotes(&v) {
                        v = format!("\"{}\"", v.replace('"', "\"\""));
                    }
                    match kind {
                        CERT_OID_NAME_STR => format!("{}={v}", a.oid),
                        CERT_X500_NAME_STR => {
                            match X500_KEYS.iter().find(|(oid, _)| *oid == a.oid) {
                                Some((_, key)) => format!("{key}={v}"),
                                None => format!("OID.{}={v}", a.oid),
                            }
                        }
                        _ => v,
                    }
                })
                .collect::<Vec<_>>()
                .join(attr_sep)
        })
        .collect();
    parts.join(rdn_sep)
}

/// Writes `units` (NUL-terminated) to the caller's buffer by the `CertNameToStr` /
/// `CertGetNameString` rule: NULL or zero size returns the size needed; a short buffer gets
/// what fits and a NUL (two NULs for a multi-string); the result counts the NUL(s) written.
fn put<C: Copy + Default>(units: &[C], multi: bool, out: *mut C, cch: u32) -> u32 {
    let needed = u32::try_from(units.len()).unwrap_or(u32::MAX);
    if out.is_null() || cch == 0 {
        return needed;
    }
    let n = units.len().min(cch as usize);
    let terminators = if multi && n >= 2 { 2 } else { 1 };
    for (i, &u) in units[..n - terminators].iter().enumerate() {
        // SAFETY: `out` holds `cch` >= n units (the caller's contract) and `i < n`.
        unsafe { out.wrapping_add(i).write(u) };
    }
    for i in n - terminators..n {
        // SAFETY: as above.
        unsafe { out.wrapping_add(i).write(C::default()) };
    }
    u32::try_from(n).unwrap_or(u32::MAX)
}

fn name_to_str_impl<C: SspiChar + Default>(
    blob: *const CRYPT_BLOB,
    str_type: u32,
    out: *mut C,
    cch: u32,
) -> u32 {
    let status = openschannel_core::Status::SEC_E_INVALID_PARAMETER;
    // SAFETY: NULL or a readable CERT_NAME_BLOB (checked for NULL/alignment).
    let text = match unsafe { crate::boundary::read(blob, status) } {
        Ok(b) => {
            // SAFETY: the blob describes cbData readable bytes.
            match unsafe { crate::boundary::bytes(b.pbData.cast(), b.cbData as usize, status) } {
                Ok(der) => parse_name(der)
                    .map(|n| name_to_str(&n, str_type))
                    .unwrap_or_default(),
                Err(_) => String::new(),
            }
        }
        Err(_) => String::new(),
    };
    put(&C::encode(&text), false, out, cch)
}

/// `CertNameToStrA`: formats a DER `Name` (`CERT_NAME_BLOB`); returns the characters written
/// including the NUL (the size needed when `psz` is NULL or `csz` 0). A malformed name gives
/// the empty string.
///
/// # Safety
/// `pName` points to a blob of readable bytes; `psz` is NULL or holds `csz` characters.
#[no_mangle]
pub unsafe extern "C" fn CertNameToStrA(
    dwCertEncodingType: u32,
    pName: *const CRYPT_BLOB,
    dwStrType: u32,
    psz: *mut c_char,
    csz: u32,
) -> u32 {
    let _ = dwCertEncodingType;
    guard_value("CertNameToStrA", 1, || {
        name_to_str_impl(pName, dwStrType, psz, csz)
    })
}

/// `CertNameToStrW`: as [`CertNameToStrA`], in UTF-16.
///
/// # Safety
/// As [`CertNameToStrA`], with `csz` UTF-16 units.
#[no_mangle]
pub unsafe extern "C" fn CertNameToStrW(
    dwCertEncodingType: u32,
    pName: *const CRYPT_BLOB,
    dwStrType: u32,
    psz: *mut u16,
    csz: u32,
) -> u32 {
    let _ = dwCertEncodingType;
    guard_value("CertNameToStrW", 1, || {
        name_to_str_impl(pName, dwStrType, psz, csz)
    })
}

/// What `CertGetNameString` asks for, decoded from the caller's `pvTypePara`.
pub(crate) enum TypePara {
    /// Nothing (or not applicable).
    None,
    /// `CERT_NAME_RDN_TYPE`: a `CERT_*_NAME_STR` value.
    StrType(u32),
    /// `CERT_NAME_ATTR_TYPE`: an OID.
    Oid(String),
}

/// The names `CertGetNameString` reports for `d` (one, or the list for
/// `CERT_NAME_SEARCH_ALL_NAMES_FLAG` with `CERT_NAME_DNS_TYPE`).
pub(crate) fn name_strings(
    d: &super::CertData,
    ty: u32,
    flags: u32,
    para: &TypePara,
) -> Vec<String> {
    let issuer = flags & CERT_NAME_ISSUER_FLAG != 0;
    let all = flags & CERT_NAME_SEARCH_ALL_NAMES_FLAG != 0;
    let name_der = if issuer {
        d.issuer_der()
    } else {
        d.subject_der()
    };
    let name = parse_name(name_der).unwrap_or_default();
    let alt_oids: &[&str] = if issuer {
        &["2.5.29.18", "2.5.29.8"]
    } else {
        &["2.5.29.17", "2.5.29.7"]
    };
    let alts = d
        .extension_value(alt_oids)
        .and_then(|v| parse_alt_names(v).ok())
        .unwrap_or_default();
    let attr = |oid: &str| {
        name.iter()
            .flatten()
            .find(|a| a.oid == oid)
            .map(|a| attr_text(a, flags))
    };
    let one = |v: Option<String>| v.into_iter().collect::<Vec<_>>();
    let simple_display = || {
        attr(OID_CN)
            .or_else(|| attr(OID_OU))
            .or_else(|| attr(OID_O))
            .or_else(|| attr(OID_EMAIL))
            .or_else(|| {
                alts.iter().find_map(|a| match a {
                    AltName::Rfc822(s) => Some(s.clone()),
                    _ => None,
                })
            })
    };
    if all && ty != CERT_NAME_DNS_TYPE {
        return Vec::new();
    }
    match ty {
        CERT_NAME_EMAIL_TYPE => one(alts
            .iter()
            .find_map(|a| match a {
                AltName::Rfc822(s) => Some(s.clone()),
                _ => None,
            })
            .or_else(|| attr(OID_EMAIL))),
        CERT_NAME_RDN_TYPE => {
            let str_type = match para {
                TypePara::StrType(t) if *t != 0 => *t,
                TypePara::StrType(t) => CERT_SIMPLE_NAME_STR | t,
                _ => CERT_SIMPLE_NAME_STR,
            };
            let str_type = if flags & CERT_NAME_DISABLE_IE4_UTF8_FLAG != 0 {
                str_type | CERT_NAME_DISABLE_IE4_UTF8_FLAG
            } else {
                str_type
            };
            vec![name_to_str(&name, str_type)]
        }
        CERT_NAME_ATTR_TYPE => one(match para {
            TypePara::Oid(oid) => attr(oid),
            _ => attr(OID_EMAIL).or_else(|| attr(OID_CN)),
        }),
        CERT_NAME_SIMPLE_DISPLAY_TYPE => one(simple_display()),
        CERT_NAME_FRIENDLY_DISPLAY_TYPE => one(d.props.friendly_name().or_else(simple_display)),
        CERT_NAME_DNS_TYPE => {
            let dns: Vec<String> = alts
                .iter()
                .filter_map(|a| match a {
                    AltName::Dns(s) => Some(s.clone()),
                    _ => None,
                })
                .collect();
            if dns.is_empty() {
                one(attr(OID_CN))
            } else if all {
                dns
            } else {
                dns.into_iter().take(1).collect()
            }
        }
        CERT_NAME_URL_TYPE => one(alts.iter().find_map(|a| match a {
            AltName::Url(s) => Some(s.clone()),
            _ => None,
        })),
        CERT_NAME_UPN_TYPE => one(alts.iter().find_map(|a| match a {
            AltName::Other(oid, value) if oid == OID_UPN => {
                super::der::single(value, super::der::tag::UTF8_STRING)
                    .ok()
                    .map(|t| String::from_utf8_lossy(t.value).into_owned())
            }
            _ => None,
        })),
        _ => Vec::new(),
    }
}

fn get_name_string<C: SspiChar + Default>(
    ctx: PCCERT_CONTEXT,
    ty: u32,
    flags: u32,
    para: *const c_void,
    out: *mut C,
    cch: u32,
) -> u32 {
    let names = match state().data(ctx as usize) {
        Some(data) => {
            let para = match ty {
                CERT_NAME_RDN_TYPE if !para.is_null() && para.cast::<u32>().is_aligned() => {
                    // SAFETY: for this type pvTypePara is a DWORD* (non-NULL, aligned).
                    TypePara::StrType(unsafe { para.cast::<u32>().read() })
                }
                CERT_NAME_ATTR_TYPE if !para.is_null() => {
                    // SAFETY: for this type pvTypePara is an OID string.
                    let oid = unsafe { CStr::from_ptr(para.cast::<c_char>()) };
                    TypePara::Oid(oid.to_string_lossy().into_owned())
                }
                _ => TypePara::None,
            };
            name_strings(&data, ty, flags, &para)
        }
        None => Vec::new(),
    };
    let multi = flags & CERT_NAME_SEARCH_ALL_NAMES_FLAG != 0 && ty == CERT_NAME_DNS_TYPE;
    let mut units: Vec<C> = Vec::new();
    if multi {
        for n in &names {
            units.extend(C::encode(n));
        }
        units.push(C::default());
        if names.is_empty() {
            // An empty list is one NUL, as Windows returns it.
            units.truncate(1);
        }
    } else {
        units = C::encode(names.first().map(String::as_str).unwrap_or(""));
    }
    put(&units, multi && !names.is_empty(), out, cch)
}

/// `CertGetNameStringA`: a name of the certificate's subject (issuer with
/// `CERT_NAME_ISSUER_FLAG`): `CERT_NAME_EMAIL_TYPE`, `CERT_NAME_RDN_TYPE` (`pvTypePara`: a
/// `DWORD*` string type), `CERT_NAME_ATTR_TYPE` (`pvTypePara`: an OID; NULL: e-mail, else
/// CN), `CERT_NAME_SIMPLE_DISPLAY_TYPE`, `CERT_NAME_FRIENDLY_DISPLAY_TYPE` (the friendly-name
/// property first), `CERT_NAME_DNS_TYPE` (the first DNS SAN, else the CN; with
/// `CERT_NAME_SEARCH_ALL_NAMES_FLAG` every DNS SAN as a double-NUL-terminated list),
/// `CERT_NAME_URL_TYPE`, `CERT_NAME_UPN_TYPE`. Returns the characters including the NUL(s)
/// (the size needed when `pszNameString` is NULL); 1 (the empty string) when there is none.
///
/// # Safety
/// `pvTypePara` matches `dwType`; `pszNameString` is NULL or has room for `cchNameString`
/// characters.
#[no_mangle]
pub unsafe extern "C" fn CertGetNameStringA(
    pCertContext: PCCERT_CONTEXT,
    dwType: u32,
    dwFlags: u32,
    pvTypePara: *mut c_void,
    pszNameString: *mut c_char,
    cchNameString: u32,
) -> u32 {
    guard_value("CertGetNameStringA", 1, || {
        get_name_string(
            pCertContext,
            dwType,
            dwFlags,
            pvTypePara,
            pszNameString,
            cchNameString,
        )
    })
}

/// `CertGetNameStringW`: as [`CertGetNameStringA`], in UTF-16.
///
/// # Safety
/// As [`CertGetNameStringA`], with `cchNameString` UTF-16 units.
#[no_mangle]
pub unsafe extern "C" fn CertGetNameStringW(
    pCertContext: PCCERT_CONTEXT,
    dwType: u32,
    dwFlags: u32,
    pvTypePara: *mut c_void,
    pszNameString: *mut u16,
    cchNameString: u32,
) -> u32 {
    guard_value("CertGetNameStringW", 1, || {
        get_name_string(
            pCertContext,
            dwType,
            dwFlags,
            pvTypePara,
            pszNameString,
            cchNameString,
        )
    })
}

/// Fuzz entry: a hostile `Name` through every string type and flag combination.
#[doc(hidden)]
pub fn fuzz_name_to_str(data: &[u8]) {
    if let Ok(name) = parse_name(data) {
        for kind in [
            0,
            CERT_SIMPLE_NAME_STR,
            CERT_OID_NAME_STR,
            CERT_X500_NAME_STR,
        ] {
            for flags in [
                0,
                CERT_NAME_STR_SEMICOLON_FLAG | CERT_NAME_STR_REVERSE_FLAG,
                CERT_NAME_STR_CRLF_FLAG | CERT_NAME_STR_NO_QUOTING_FLAG,
                CERT_NAME_STR_NO_PLUS_FLAG,
            ] {
                let _ = name_to_str(&name, kind | flags);
            }
        }
    }
}

#[cfg(test)]
// Tests call the exports with arguments that satisfy their contracts.
#[allow(
    clippy::undocumented_unsafe_blocks,
    clippy::multiple_unsafe_ops_per_block
)]
mod tests {
    use super::*;
    use crate::crypt32::der;

    fn attr(oid: &str, value: &str) -> Attr {
        Attr {
            oid: oid.into(),
            kind: rdn::PRINTABLE_STRING,
            raw: value.as_bytes().to_vec(),
            text: Some(value.into()),
        }
    }

    fn sample() -> Vec<Vec<Attr>> {
        vec![
            vec![attr("2.5.4.6", "US")],
            vec![attr("2.5.4.8", "Minnesota")],
            vec![attr(OID_CN, "localhost")],
            vec![attr(OID_EMAIL, "aric@codeweavers.com")],
        ]
    }

    #[test]
    fn layouts_match_windows() {
        let n = sample();
        assert_eq!(
            name_to_str(&n, CERT_SIMPLE_NAME_STR),
            "US, Minnesota, localhost, aric@codeweavers.com"
        );
        assert_eq!(
            name_to_str(&n, CERT_OID_NAME_STR | CERT_NAME_STR_CRLF_FLAG),
            "2.5.4.6=US\r\n2.5.4.8=Minnesota\r\n2.5.4.3=localhost\r\n1.2.840.113549.1.9.1=aric@codeweavers.com"
        );
        assert_eq!(
            name_to_str(
                &n,
                CERT_X500_NAME_STR | CERT_NAME_STR_SEMICOLON_FLAG | CERT_NAME_STR_REVERSE_FLAG
            ),
            "E=aric@codeweavers.com; CN=localhost; S=Minnesota; C=US"
        );
        let multi = vec![vec![attr(OID_CN, "a"), attr("1.2.3", "b")]];
        assert_eq!(
            name_to_str(&multi, CERT_X500_NAME_STR),
            "CN=a + OID.1.2.3=b"
        );
        assert_eq!(
            name_to_str(&multi, CERT_X500_NAME_STR | CERT_NAME_STR_NO_PLUS_FLAG),
            "CN=a OID.1.2.3=b"
        );
    }

    #[test]
    fn quoting_matches_windows() {
        for (value, quoted) in [
            ("1", "1"),
            (" 1", "\" 1\""),
            ("1 ", "\"1 \""),
            ("\"1\"", "\"\"\"1\"\"\""),
            ("1+", "\"1+\""),
            ("1=", "\"1=\""),
            ("1<", "\"1<\""),
            ("1#", "\"1#\""),
            ("1\n", "\"1\n\""),
            ("1\u{a0}", "1\u{a0}"),
        ] {
            let n = vec![vec![attr(OID_CN, value)]];
            assert_eq!(
                name_to_str(&n, CERT_X500_NAME_STR),
                format!("CN={quoted}"),
                "{value:?}"
            );
            assert_eq!(
                name_to_str(&n, CERT_X500_NAME_STR | CERT_NAME_STR_NO_QUOTING_FLAG),
                format!("CN={value}")
            );
        }
        let blob = vec![vec![Attr {
            oid: "1.2.3".into(),
            kind: rdn::ENCODED_BLOB,
            raw: vec![0x30, 0x00],
            text: None,
        }]];
        assert_eq!(name_to_str(&blob, CERT_OID_NAME_STR), "1.2.3=#3000");
    }

    #[test]
    fn multi_string_truncation_keeps_two_nuls() {
        let units: Vec<u16> = "ex1.org\0*.ex2.org\0\0".encode_utf16().collect();
        let mut out = [0xccccu16; 32];
        assert_eq!(put(&units, true, out.as_mut_ptr(), 0), 19);
        assert_eq!(put(&units, true, out.as_mut_ptr(), 18), 18);
        assert_eq!((out[16], out[17]), (0, 0));
        assert_eq!(&out[..8], &units[..8]);
        assert_eq!(put(&units, true, out.as_mut_ptr(), 1), 1);
        assert_eq!(out[0], 0);
        assert_eq!(put(&units, false, out.as_mut_ptr(), 3), 3);
        assert_eq!(&out[..3], &[u16::from(b'e'), u16::from(b'x'), 0]);
    }

    #[test]
    fn certificate_names() {
        use rcgen::{CertificateParams, DnType, KeyPair, SanType};
        let key = KeyPair::generate_for(&rcgen::PKCS_ECDSA_P256_SHA256).unwrap();
        let mut params = CertificateParams::new(Vec::<String>::new()).unwrap();
        params.subject_alt_names = vec![
            SanType::DnsName("ex1.org".try_into().unwrap()),
            SanType::IpAddress("10.0.0.1".parse().unwrap()),
            SanType::DnsName("*.ex2.org".try_into().unwrap()),
            SanType::Rfc822Name("who@ex1.org".try_into().unwrap()),
        ];
        params
            .distinguished_name
            .push(DnType::CommonName, "server_cn.org");
        let cert = params.self_signed(&key).unwrap();
        let d = crate::crypt32::CertData::parse(cert.der().to_vec()).unwrap();
        let get = |ty, flags| name_strings(&d, ty, flags, &TypePara::None);
        assert_eq!(get(CERT_NAME_DNS_TYPE, 0), vec!["ex1.org"]);
        assert_eq!(
            get(CERT_NAME_DNS_TYPE, CERT_NAME_SEARCH_ALL_NAMES_FLAG),
            vec!["ex1.org", "*.ex2.org"]
        );
        assert!(get(CERT_NAME_EMAIL_TYPE, CERT_NAME_SEARCH_ALL_NAMES_FLAG).is_empty());
        assert_eq!(get(CERT_NAME_EMAIL_TYPE, 0), vec!["who@ex1.org"]);
        assert_eq!(get(CERT_NAME_SIMPLE_DISPLAY_TYPE, 0), vec!["server_cn.org"]);
        assert_eq!(get(CERT_NAME_ATTR_TYPE, 0), vec!["server_cn.org"]);
        assert_eq!(
            name_strings(&d, CERT_NAME_ATTR_TYPE, 0, &TypePara::Oid("2.5.4.4".into())),
            Vec::<String>::new()
        );
        assert_eq!(get(CERT_NAME_RDN_TYPE, 0), vec!["server_cn.org"]);
        assert!(get(99, 0).is_empty());
        // The SAN itself decodes to the same names.
        let alts = parse_alt_names(d.extension_value(&["2.5.29.17"]).unwrap()).unwrap();
        assert_eq!(alts[1], AltName::Ip(vec![10, 0, 0, 1]));
        let _ = der::tag::SEQUENCE;
        let mut buf = [0 as c_char; 4];
        assert_eq!(
            unsafe {
                CertGetNameStringA(
                    std::ptr::null(),
                    4,
                    0,
                    std::ptr::null_mut(),
                    buf.as_mut_ptr(),
                    4,
                )
            },
            1
        );
        assert_eq!(buf[0], 0);
    }

    #[test]
    fn fuzz_body_runs() {
        fuzz_name_to_str(&der::encode(
            0x30,
            &der::encode(
                0x31,
                &der::encode(
                    0x30,
                    &[
                        der::encode(0x06, &[0x55, 4, 3]),
                        der::encode(0x14, "é".as_bytes()),
                    ]
                    .concat(),
                ),
            ),
        ));
        fuzz_name_to_str(&[0x30, 0x80]);
    }
}
