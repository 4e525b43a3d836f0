//! Decoding a DER certificate into the owned buffers a `CERT_INFO` points into.

use std::ffi::CString;

use openschannel_core::PrivateKey;
use sha1::{Digest, Sha1};
use x509_parser::prelude::{FromDer, GeneralName, X509Certificate, X509Name};

use crate::types::{
    CERT_EXTENSION, CERT_INFO, CERT_PUBLIC_KEY_INFO, CRYPT_ALGORITHM_IDENTIFIER, CRYPT_BIT_BLOB,
    CRYPT_BLOB, FILETIME,
};

/// Seconds between 1601-01-01 and 1970-01-01.
const EPOCH_DIFF: i64 = 11_644_473_600;

/// The public-key algorithm of a certificate.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum KeyKind {
    /// rsaEncryption.
    Rsa,
    /// id-ecPublicKey.
    Ecdsa,
    /// Ed25519 / Ed448.
    EdDsa,
    /// Anything else.
    Other,
}

/// One certificate: its DER, the decoded fields, and (optionally) its private key and chain.
pub(crate) struct CertData {
    /// DER encoding.
    pub(crate) der: Vec<u8>,
    /// The private key, when the context was made from PEM/PKCS#12 with one.
    pub(crate) key: Option<PrivateKey>,
    /// Further certificates sent with this one (DER, issuer order), for credentials.
    pub(crate) chain: Vec<Vec<u8>>,
    /// `NotAfter` in FILETIME units.
    pub(crate) not_after: i64,
    not_before: i64,
    version: u32,
    serial_le: Vec<u8>,
    sig_oid: CString,
    issuer_raw: Vec<u8>,
    subject_raw: Vec<u8>,
    spki_oid: CString,
    spki_key: Vec<u8>,
    spki_unused: u32,
    ext: Vec<(CString, bool, Vec<u8>)>,
    /// SHA-1 of the DER (`CERT_SHA1_HASH_PROP_ID`).
    pub(crate) sha1: [u8; 20],
    /// Subject as a display string (`CN=..., O=...`).
    pub(crate) subject_str: String,
    /// Issuer as a display string.
    pub(crate) issuer_str: String,
    /// Subject / issuer attributes used by `CertGetNameString`.
    pub(crate) subject_names: Names,
    pub(crate) issuer_names: Names,
    /// SAN dNSName entries.
    #[allow(dead_code)] // CertGetNameString reads the extension itself (names.rs)
    pub(crate) dns_names: Vec<String>,
    /// SAN rfc822Name entries.
    #[allow(dead_code)] // as `dns_names`
    pub(crate) emails: Vec<String>,
    /// Public-key algorithm and size in bits.
    pub(crate) key_kind: KeyKind,
    pub(crate) key_bits: u32,
    /// Context properties set by the caller (`CertSetCertificateContextProperty`); shared by
    /// the contexts that share this data, as the private key is.
    pub(crate) props: super::properties::Props,
}

/// Selected attributes of a distinguished name.
#[derive(Default)]
pub(crate) struct Names {
    pub(crate) common_name: Option<String>,
    pub(crate) organization: Option<String>,
    #[allow(dead_code)] // as `CertData::dns_names`
    pub(crate) organizational_unit: Option<String>,
    pub(crate) email: Option<String>,
}

fn names(name: &X509Name<'_>) -> Names {
    Names {
        common_name: name
            .iter_common_name()
            .find_map(|a| a.as_str().ok().map(str::to_owned)),
        organization: name
            .iter_organization()
            .find_map(|a| a.as_str().ok().map(str::to_owned)),
        organizational_unit: name
            .iter_organizational_unit()
            .find_map(|a| a.as_str().ok().map(str::to_owned)),
        email: name
            .iter_email()
            .find_map(|a| a.as_str().ok().map(str::to_owned)),
    }
}

fn filetime(unix: i64) -> i64 {
    unix.saturating_add(EPOCH_DIFF).saturating_mul(10_000_000)
}

fn ft(value: i64) -> FILETIME {
    FILETIME {
        dwLowDateTime: value as u32,
        dwHighDateTime: (value >> 32) as u32,
    }
}

fn cstring(s: String) -> CString {
    CString::new(s).unwrap_or_default()
}

fn blob(data: &[u8]) -> CRYPT_BLOB {
    CRYPT_BLOB {
        cbData: u32::try_from(data.len()).unwrap_or(0),
        pbData: if data.is_empty() {
            std::ptr::null_mut()
        } else {
            data.as_ptr().cast_mut()
        },
    }
}

impl CertData {
    /// Decodes `der`; `None` when it is not an X.509 certificate.
    pub(crate) fn parse(der: Vec<u8>) -> Option<Self> {
        let (rest, cert) = X509Certificate::from_der(&der).ok()?;
        if !rest.is_empty() {
            return None;
        }
        let tbs = &cert.tbs_certificate;
        let mut serial_le = tbs.raw_serial().to_vec();
        serial_le.reverse();
        let spki = &tbs.subject_pki;
        let spki_oid = spki.algorithm.algorithm.to_id_string();
        let key_kind = match spki_oid.as_str() {
            "1.2.840.113549.1.1.1" => KeyKind::Rsa,
            "1.2.840.10045.2.1" => KeyKind::Ecdsa,
            "1.3.101.112" | "1.3.101.113" => KeyKind::EdDsa,
            _ => KeyKind::Other,
        };
        let key_bits = match spki.parsed() {
            Ok(pk) => u32::try_from(pk.key_size()).unwrap_or(0),
            Err(_) => 0,
        };
        let mut dns_names = Vec::new();
        let mut emails = Vec::new();
        if let Ok(Some(san)) = cert.subject_alternative_name() {
            for name in &san.value.general_names {
                match name {
                    GeneralName::DNSName(s) => dns_names.push((*s).to_owned()),
                    GeneralName::RFC822Name(s) => emails.push((*s).to_owned()),
                    _ => {}
                }
            }
        }
        let ext = tbs
            .extensions()
            .iter()
            .map(|e| (cstring(e.oid.to_id_string()), e.critical, e.value.to_vec()))
            .collect();
        let sha1: [u8; 20] = Sha1::digest(&der).into();
        Some(Self {
            not_after: filetime(tbs.validity.not_after.timestamp()),
            not_before: filetime(tbs.validity.not_before.timestamp()),
            version: tbs.version.0,
            serial_le,
            sig_oid: cstring(tbs.signature.algorithm.to_id_string()),
            issuer_raw: tbs.issuer.as_raw().to_vec(),
            subject_raw: tbs.subject.as_raw().to_vec(),
            spki_oid: cstring(spki_oid),
            spki_key: spki.subject_public_key.data.to_vec(),
            spki_unused: u32::from(spki.subject_public_key.unused_bits),
            ext,
            sha1,
            subject_str: tbs.subject.to_string(),
            issuer_str: tbs.issuer.to_string(),
            subject_names: names(&tbs.subject),
            issuer_names: names(&tbs.issuer),
            dns_names,
            emails,
            key_kind,
            key_bits,
            der,
            key: None,
            chain: Vec::new(),
            props: Default::default(),
        })
    }

    /// A `CERT_INFO` whose pointers refer to this value's buffers (valid while it lives).
    pub(crate) fn cert_info(&self) -> CERT_INFO {
        let no_bits = CRYPT_BIT_BLOB {
            cbData: 0,
            pbData: std::ptr::null_mut(),
            cUnusedBits: 0,
        };
        CERT_INFO {
            dwVersion: self.version,
            SerialNumber: blob(&self.serial_le),
            SignatureAlgorithm: CRYPT_ALGORITHM_IDENTIFIER {
                pszObjId: self.sig_oid.as_ptr().cast_mut(),
                Parameters: blob(&[]),
            },
            Issuer: blob(&self.issuer_raw),
            NotBefore: ft(self.not_before),
            NotAfter: ft(self.not_after),
            Subject: blob(&self.subject_raw),
            SubjectPublicKeyInfo: CERT_PUBLIC_KEY_INFO {
                Algorithm: CRYPT_ALGORITHM_IDENTIFIER {
                    pszObjId: self.spki_oid.as_ptr().cast_mut(),
                    Parameters: blob(&[]),
                },
                PublicKey: CRYPT_BIT_BLOB {
                    cbData: u32::try_from(self.spki_key.len()).unwrap_or(0),
                    pbData: self.spki_key.as_ptr().cast_mut(),
                    cUnusedBits: self.spki_unused,
                },
            },
            IssuerUniqueId: no_bits,
            SubjectUniqueId: no_bits,
            cExtension: 0,
            rgExtension: std::ptr::null_mut(),
        }
    }

    /// The `CERT_EXTENSION` array (pointers into this value).
    pub(crate) fn extensions(&self) -> Vec<CERT_EXTENSION> {
        self.ext
            .iter()
            .map(|(oid, critical, value)| CERT_EXTENSION {
                pszObjId: oid.as_ptr().cast_mut(),
                fCritical: i32::from(*critical),
                Value: blob(value),
            })
            .collect()
    }
}

/// Raw fields for the decoders (`names`, `properties`).
impl CertData {
    /// The subject `Name` (DER).
    pub(crate) fn subject_der(&self) -> &[u8] {
        &self.subject_raw
    }

    /// The issuer `Name` (DER).
    pub(crate) fn issuer_der(&self) -> &[u8] {
        &self.issuer_raw
    }

    /// The value of the first extension with one of `oids`.
    pub(crate) fn extension_value(&self, oids: &[&str]) -> Option<&[u8]> {
        oids.iter().find_map(|want| {
            self.ext
                .iter()
                .find(|(oid, _, _)| oid.to_bytes() == want.as_bytes())
                .map(|(_, _, v)| v.as_slice())
        })
    }

    /// The subject public key's BIT STRING contents (without the unused-bits octet).
    pub(crate) fn public_key_bits(&self) -> &[u8] {
        &self.spki_key
    }
}
