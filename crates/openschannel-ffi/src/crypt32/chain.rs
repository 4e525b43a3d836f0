//! Certificate chain building and the per-element trust statuses of `CertGetCertificateChain`
//! (`CERT_TRUST_STATUS.dwErrorStatus` / `dwInfoStatus`), in safe Rust.
//!
//! The exports (`chain_exports`) collect the candidate certificates (the caller's
//! `hAdditionalStore`, the engine's stores, the platform roots) and turn a [`Built`] chain into
//! a `CERT_CHAIN_CONTEXT`; everything that decides *which* certificates form the chain and
//! *what* Windows reports for each of them is here.
//!
//! What Windows sets, as its behaviour is recorded (Wine's crypt32 chain tests run on Windows):
//! * every element gets one issuer-match info bit from its own Authority Key Identifier:
//!   `HAS_KEY_MATCH_ISSUER` (key identifier), `HAS_EXACT_MATCH_ISSUER` (issuer and serial),
//!   otherwise `HAS_NAME_MATCH_ISSUER` — even the last element of a partial chain;
//! * a self-issued last element is `IS_SELF_SIGNED`, and `IS_UNTRUSTED_ROOT` unless it is a
//!   trust anchor; a chain that ends without finding an issuer is `IS_PARTIAL_CHAIN` at the
//!   chain level only;
//! * `IS_NOT_SIGNATURE_VALID` goes on the element whose signature fails (the subject);
//! * `IS_NOT_TIME_VALID` on each element outside its validity period;
//! * `INVALID_BASIC_CONSTRAINTS` on an issuer that is not a CA or whose path length is
//!   exceeded;
//! * `IS_NOT_VALID_FOR_USAGE` on each element whose extended key usage does not allow the
//!   requested usage;
//! * `REVOCATION_STATUS_UNKNOWN | IS_OFFLINE_REVOCATION` on the elements whose revocation was
//!   asked for: revocation is never checked (no CRL or OCSP fetching);
//! * the chain-level status is the OR of the element errors (plus `IS_PARTIAL_CHAIN`) and
//!   `HAS_PREFERRED_ISSUER`; `IS_COMPLEX_CHAIN` is never set (one simple chain is built).
//!
//! Not checked: revocation, name constraints, certificate policies, and no missing issuer is
//! fetched from the network (Authority Information Access).

use std::sync::Arc;

use x509_parser::extensions::{GeneralName, ParsedExtension};
use x509_parser::prelude::{FromDer, X509Certificate};

/// `CERT_TRUST_*` error bits.
pub(crate) mod error {
    /// The certificate is outside its validity period.
    pub(crate) const IS_NOT_TIME_VALID: u32 = 0x0000_0001;
    /// The certificate's signature does not verify with its issuer's key.
    pub(crate) const IS_NOT_SIGNATURE_VALID: u32 = 0x0000_0008;
    /// The certificate does not allow the requested usage.
    pub(crate) const IS_NOT_VALID_FOR_USAGE: u32 = 0x0000_0010;
    /// The chain ends in a self-signed certificate that is not trusted.
    pub(crate) const IS_UNTRUSTED_ROOT: u32 = 0x0000_0020;
    /// Revocation was requested and could not be determined.
    pub(crate) const REVOCATION_STATUS_UNKNOWN: u32 = 0x0000_0040;
    /// The issuer is not a CA, or its path length constraint is exceeded.
    pub(crate) const INVALID_BASIC_CONSTRAINTS: u32 = 0x0000_0400;
    /// No issuer was found for the last element.
    pub(crate) const IS_PARTIAL_CHAIN: u32 = 0x0001_0000;
    /// Revocation servers were not reachable (always with `REVOCATION_STATUS_UNKNOWN` here).
    pub(crate) const IS_OFFLINE_REVOCATION: u32 = 0x0100_0000;
    /// A critical extension this engine does not understand.
    pub(crate) const HAS_NOT_SUPPORTED_CRITICAL_EXT: u32 = 0x0800_0000;
}

/// `CERT_TRUST_*` info bits.
pub(crate) mod info {
    /// Issuer found through the Authority Key Identifier's issuer and serial number.
    pub(crate) const HAS_EXACT_MATCH_ISSUER: u32 = 0x0000_0001;
    /// Issuer found through the Authority Key Identifier's key identifier.
    pub(crate) const HAS_KEY_MATCH_ISSUER: u32 = 0x0000_0002;
    /// Issuer found by name.
    pub(crate) const HAS_NAME_MATCH_ISSUER: u32 = 0x0000_0004;
    /// Subject and issuer names are equal.
    pub(crate) const IS_SELF_SIGNED: u32 = 0x0000_0008;
    /// Set by Windows 7 and later on every chain.
    pub(crate) const HAS_PREFERRED_ISSUER: u32 = 0x0000_0100;
    /// The end certificate is in the engine's `hExclusiveTrustedPeople`.
    pub(crate) const IS_PEER_TRUSTED: u32 = 0x0000_0800;
    /// The anchor came from the engine's `hExclusiveRoot`.
    pub(crate) const IS_FROM_EXCLUSIVE_TRUST_STORE: u32 = 0x0000_2000;
    /// A CA (not self-signed) accepted as anchor (`CERT_CHAIN_EXCLUSIVE_ENABLE_CA_FLAG`).
    pub(crate) const IS_CA_TRUSTED: u32 = 0x0000_4000;
}

/// The anyExtendedKeyUsage OID.
const ANY_EKU: &str = "2.5.29.37.0";

/// Extensions whose semantics this engine applies or knowingly tolerates when critical.
const KNOWN_EXTENSIONS: &[&str] = &[
    "2.5.29.15",         // key usage
    "2.5.29.17",         // subject alternative name
    "2.5.29.19",         // basic constraints
    "2.5.29.37",         // extended key usage
    "2.5.29.14",         // subject key identifier
    "2.5.29.35",         // authority key identifier
    "2.5.29.32",         // certificate policies (not enforced)
    "2.5.29.30",         // name constraints (not enforced)
    "2.5.29.36",         // policy constraints (not enforced)
    "2.5.29.54",         // inhibit any policy (not enforced)
    "2.5.29.33",         // policy mappings (not enforced)
    "2.5.29.31",         // CRL distribution points
    "1.3.6.1.5.5.7.1.1", // authority information access
];

/// What the chain engine needs to know about one certificate, decoded once.
#[derive(Debug)]
pub(crate) struct Facts {
    /// The DER encoding.
    pub(crate) der: Vec<u8>,
    subject: Vec<u8>,
    issuer: Vec<u8>,
    serial: Vec<u8>,
    version: u32,
    /// Validity period, seconds since 1970.
    not_before: i64,
    not_after: i64,
    /// `Some((cA, pathLen))` when basic constraints are present.
    basic_constraints: Option<(bool, Option<u32>)>,
    /// Extended key usage OIDs; `None` when the extension is absent (any usage).
    eku: Option<Vec<String>>,
    ski: Option<Vec<u8>>,
    aki_key_id: Option<Vec<u8>>,
    aki_issuer_serial: bool,
    unsupported_critical: bool,
    /// Contents of the SubjectPublicKeyInfo's algorithm SEQUENCE.
    key_algorithm: Vec<u8>,
    /// The subjectPublicKey bits.
    public_key: Vec<u8>,
    /// Contents of the certificate's signatureAlgorithm SEQUENCE.
    signature_algorithm: Vec<u8>,
    tbs: Vec<u8>,
    signature: Vec<u8>,
    /// SAN dNSName entries.
    pub(crate) dns_names: Vec<String>,
    /// SAN iPAddress entries (4 or 16 bytes).
    pub(crate) ip_addresses: Vec<Vec<u8>>,
    /// Subject common names, for the name check of certificates without SAN.
    pub(crate) common_names: Vec<String>,
    /// Whether a subjectAltName extension is present.
    pub(crate) has_san: bool,
}

/// One DER TLV: (tag, contents, rest) — the core's splitter, shared with its readers.
pub(crate) use openschannel_core::pki::tlv;

/// (contents of the AlgorithmIdentifier, subjectPublicKey bits) of a raw SPKI.
fn split_spki(spki: &[u8]) -> Option<(Vec<u8>, Vec<u8>)> {
    let (0x30, body, _) = tlv(spki)? else {
        return None;
    };
    let (0x30, alg, rest) = tlv(body)? else {
        return None;
    };
    let (0x03, bits, _) = tlv(rest)? else {
        return None;
    };
    let (_, key) = bits.split_first()?;
    Some((alg.to_vec(), key.to_vec()))
}

/// (TBS DER, signature algorithm contents, signature bits) of a certificate.
fn split_certificate(der: &[u8]) -> Option<(Vec<u8>, Vec<u8>, Vec<u8>)> {
    let (0x30, body, _) = tlv(der)? else {
        return None;
    };
    let (0x30, _, after_tbs) = tlv(body)? else {
        return None;
    };
    let tbs = &body[..body.len() - after_tbs.len()];
    let (0x30, alg, rest) = tlv(after_tbs)? else {
        return None;
    };
    let (0x03, bits, _) = tlv(rest)? else {
        return None;
    };
    let (_, sig) = bits.split_first()?;
    Some((tbs.to_vec(), alg.to_vec(), sig.to_vec()))
}

impl Facts {
    /// Decodes `der`; `None` when it is not a certificate.
    pub(crate) fn parse(der: &[u8]) -> Option<Self> {
        let (rest, cert) = X509Certificate::from_der(der).ok()?;
        if !rest.is_empty() {
            return None;
        }
        let tbs = &cert.tbs_certificate;
        let (key_algorithm, public_key) = split_spki(tbs.subject_pki.raw)?;
        let (tbs_der, signature_algorithm, signature) = split_certificate(der)?;
        let mut facts = Self {
            der: der.to_vec(),
            subject: tbs.subject.as_raw().to_vec(),
            issuer: tbs.issuer.as_raw().to_vec(),
            serial: tbs.raw_serial().to_vec(),
            version: tbs.version.0,
            not_before: tbs.validity.not_before.timestamp(),
            not_after: tbs.validity.not_after.timestamp(),
            basic_constraints: None,
            eku: None,
            ski: None,
            aki_key_id: None,
            aki_issuer_serial: false,
            unsupported_critical: false,
            key_algorithm,
            public_key,
            signature_algorithm,
            tbs: tbs_der,
            signature,
            dns_names: Vec::new(),
            ip_addresses: Vec::new(),
            common_names: tbs
                .subject
                .iter_common_name()
                .filter_map(|a| a.as_str().ok().map(str::to_owned))
                .collect(),
            has_san: false,
        };
        for ext in tbs.extensions() {
            let oid = ext.oid.to_id_string();
            if ext.critical && !KNOWN_EXTENSIONS.contains(&oid.as_str()) {
                facts.unsupported_critical = true;
            }
            match ext.parsed_extension() {
                ParsedExtension::BasicConstraints(bc) => {
                    facts.basic_constraints = Some((bc.ca, bc.path_len_constraint));
                }
                ParsedExtension::ExtendedKeyUsage(eku) => {
                    let mut oids = Vec::new();
                    let known = [
                        (eku.any, ANY_EKU),
                        (eku.server_auth, "1.3.6.1.5.5.7.3.1"),
                        (eku.client_auth, "1.3.6.1.5.5.7.3.2"),
                        (eku.code_signing, "1.3.6.1.5.5.7.3.3"),
                        (eku.email_protection, "1.3.6.1.5.5.7.3.4"),
                        (eku.time_stamping, "1.3.6.1.5.5.7.3.8"),
                        (eku.ocsp_signing, "1.3.6.1.5.5.7.3.9"),
                    ];
                    oids.extend(known.iter().filter(|k| k.0).map(|k| k.1.to_owned()));
                    oids.extend(eku.other.iter().map(|o| o.to_id_string()));
                    facts.eku = Some(oids);
                }
                ParsedExtension::SubjectKeyIdentifier(id) => facts.ski = Some(id.0.to_vec()),
                ParsedExtension::AuthorityKeyIdentifier(aki) => {
                    facts.aki_key_id = aki.key_identifier.as_ref().map(|k| k.0.to_vec());
                    facts.aki_issuer_serial =
                        aki.authority_cert_issuer.is_some() && aki.authority_cert_serial.is_some();
                }
                ParsedExtension::SubjectAlternativeName(san) => {
                    facts.has_san = true;
                    for name in &san.general_names {
                        match name {
                            GeneralName::DNSName(s) => facts.dns_names.push((*s).to_owned()),
                            GeneralName::IPAddress(ip) => facts.ip_addresses.push(ip.to_vec()),
                            _ => {}
                        }
                    }
                }
                ParsedExtension::UnsupportedExtension { .. }
                | ParsedExtension::ParseError { .. }
                    if ext.critical =>
                {
                    facts.unsupported_critical = true;
                }
                _ => {}
            }
        }
        Some(facts)
    }

    fn self_issued(&self) -> bool {
        self.subject == self.issuer
            && match (&self.aki_key_id, &self.ski) {
                (Some(a), Some(s)) => a == s,
                _ => true,
            }
    }

    /// Whether `issuer`'s key verifies this certificate's signature.
    fn signed_by(&self, issuer: &Facts) -> bool {
        openschannel_core::pki::verify_signature(
            &issuer.key_algorithm,
            &issuer.public_key,
            &self.signature_algorithm,
            &self.tbs,
            &self.signature,
        )
    }

    /// Whether `candidate` may be this certificate's issuer (name, and key identifier when
    /// both sides carry one).
    fn could_be_issued_by(&self, candidate: &Facts) -> bool {
        self.issuer == candidate.subject
            && match (&self.aki_key_id, &candidate.ski) {
                (Some(a), Some(s)) => a == s,
                _ => true,
            }
    }

    fn issuer_match_info(&self) -> u32 {
        if self.aki_key_id.is_some() {
            info::HAS_KEY_MATCH_ISSUER
        } else if self.aki_issuer_serial {
            info::HAS_EXACT_MATCH_ISSUER
        } else {
            info::HAS_NAME_MATCH_ISSUER
        }
    }

    fn allows(&self, usage: &Usage) -> bool {
        let Some(eku) = &self.eku else {
            return true;
        };
        if eku.iter().any(|o| o == ANY_EKU) {
            return true;
        }
        let has = |oid: &String| eku.contains(oid);
        if usage.all {
            usage.oids.iter().all(has)
        } else {
            usage.oids.iter().any(has)
        }
    }

    /// Whether the extended key usage (absent = any) allows `oid`.
    pub(crate) fn allows_oid(&self, oid: &str) -> bool {
        self.allows(&Usage {
            all: true,
            oids: vec![oid.to_owned()],
        })
    }

    /// Serial number bytes (big-endian, as encoded).
    #[allow(dead_code)]
    pub(crate) fn serial(&self) -> &[u8] {
        &self.serial
    }
}

/// A certificate offered to the builder; `id` is the caller's handle for it (the address of
/// its `CERT_CONTEXT`).
#[derive(Clone, Debug)]
pub(crate) struct Candidate {
    /// The caller's identifier.
    pub(crate) id: usize,
    /// The decoded certificate.
    pub(crate) facts: Arc<Facts>,
}

/// The requested usage (`CERT_CHAIN_PARA.RequestedUsage`).
#[derive(Clone, Debug, Default)]
pub(crate) struct Usage {
    /// `USAGE_MATCH_TYPE_AND` (all) or `_OR` (any).
    pub(crate) all: bool,
    /// The OIDs; empty = no usage requested.
    pub(crate) oids: Vec<String>,
}

/// Which revocation checks were asked for (never performed).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub(crate) enum Revocation {
    /// None asked for.
    #[default]
    None,
    /// `CERT_CHAIN_REVOCATION_CHECK_END_CERT`.
    EndCert,
    /// `CERT_CHAIN_REVOCATION_CHECK_CHAIN`.
    Chain,
    /// `CERT_CHAIN_REVOCATION_CHECK_CHAIN_EXCLUDE_ROOT`.
    ChainExcludeRoot,
}

/// Where the builder looks.
#[derive(Clone, Debug, Default)]
pub(crate) struct Pools {
    /// Trusted self-signed roots (and, with `ca_anchors`, CAs).
    pub(crate) roots: Vec<Candidate>,
    /// Whether a non-self-signed certificate in `roots` is an anchor
    /// (`CERT_CHAIN_EXCLUSIVE_ENABLE_CA_FLAG`).
    pub(crate) ca_anchors: bool,
    /// Whether `roots` is the engine's `hExclusiveRoot`.
    pub(crate) exclusive: bool,
    /// End certificates trusted directly (`hExclusiveTrustedPeople`).
    pub(crate) trusted_people: Vec<Candidate>,
    /// Other certificates usable as intermediates (the caller's additional store first).
    pub(crate) others: Vec<Candidate>,
}

/// What to check.
#[derive(Clone, Debug, Default)]
pub(crate) struct Request {
    /// The verification time, seconds since 1970.
    pub(crate) time: i64,
    /// Requested usage.
    pub(crate) usage: Usage,
    /// Requested revocation checking.
    pub(crate) revocation: Revocation,
}

/// One element of a built chain.
#[derive(Clone, Debug)]
pub(crate) struct Element {
    /// The certificate.
    pub(crate) cert: Candidate,
    /// `dwErrorStatus`.
    pub(crate) error: u32,
    /// `dwInfoStatus`.
    pub(crate) info: u32,
}

/// A built chain: elements from the end certificate up, and the summary status.
#[derive(Clone, Debug)]
pub(crate) struct Built {
    /// Leaf first.
    pub(crate) elements: Vec<Element>,
    /// Chain-level `dwErrorStatus`.
    pub(crate) error: u32,
    /// Chain-level `dwInfoStatus`.
    pub(crate) info: u32,
}

/// Longest chain built (a longer one is reported as partial).
const MAX_DEPTH: usize = 16;

/// Issuer candidates tried per chain level.
const MAX_CANDIDATES: usize = 64;

/// Builds the chain of `end`.
pub(crate) fn build(end: Candidate, pools: &Pools, req: &Request) -> Built {
    let mut elements = vec![Element {
        cert: end,
        error: 0,
        info: 0,
    }];
    let mut chain_error = 0;
    let mut chain_info = info::HAS_PREFERRED_ISSUER;
    let in_roots = |f: &Facts| pools.roots.iter().any(|c| c.facts.der == f.der);

    let first = &elements[0].cert.facts;
    if pools
        .trusted_people
        .iter()
        .any(|c| c.facts.der == first.der)
    {
        elements[0].info |= info::IS_PEER_TRUSTED;
        chain_info |= info::IS_PEER_TRUSTED;
    } else {
        loop {
            let current = elements
                .last()
                .map(|e| e.cert.facts.clone())
                .unwrap_or_else(|| unreachable!("the chain always holds the end certificate"));
            let index = elements.len() - 1;
            if current.self_issued() {
                elements[index].info |= info::IS_SELF_SIGNED;
                if !current.signed_by(&current) {
                    elements[index].error |= error::IS_NOT_SIGNATURE_VALID;
                }
                if in_roots(&current) {
                    if pools.exclusive {
                        chain_info |= info::IS_FROM_EXCLUSIVE_TRUST_STORE;
                    }
                } else {
                    elements[index].error |= error::IS_UNTRUSTED_ROOT;
                }
                break;
            }
            if index > 0 && pools.ca_anchors && in_roots(&current) {
                elements[index].info |= info::IS_CA_TRUSTED;
                chain_info |= info::IS_FROM_EXCLUSIVE_TRUST_STORE;
                break;
            }
            if elements.len() >= MAX_DEPTH {
                chain_error |= error::IS_PARTIAL_CHAIN;
                break;
            }
            let used = |f: &Facts| elements.iter().any(|e| e.cert.facts.der == f.der);
            // The first of equally good candidates wins; a perfect one ends the search, and
            // at most MAX_CANDIDATES same-named certificates are tried per level (each costs
            // a signature verification), so a hostile additional store cannot stall the build.
            let mut best: Option<((bool, bool, bool), &Candidate)> = None;
            for c in pools
                .roots
                .iter()
                .chain(pools.others.iter())
                .filter(|c| current.could_be_issued_by(&c.facts) && !used(&c.facts))
                .take(MAX_CANDIDATES)
            {
                let verifies = current.signed_by(&c.facts);
                let trusted = in_roots(&c.facts);
                let timely = c.facts.not_before <= req.time && req.time <= c.facts.not_after;
                let score = (verifies, trusted, timely);
                if best.is_none_or(|(s, _)| score > s) {
                    best = Some((score, c));
                }
                if score == (true, true, true) {
                    break;
                }
            }
            let Some(((verifies, _, _), issuer)) = best else {
                // A certificate that names itself as issuer through a cycle ends up here too.
                chain_error |= error::IS_PARTIAL_CHAIN;
                break;
            };
            if !verifies {
                elements[index].error |= error::IS_NOT_SIGNATURE_VALID;
            }
            elements.push(Element {
                cert: issuer.clone(),
                error: 0,
                info: 0,
            });
        }
    }

    let count = elements.len();
    let complete = chain_error & error::IS_PARTIAL_CHAIN == 0;
    for (i, e) in elements.iter_mut().enumerate() {
        let f = e.cert.facts.clone();
        e.info |= f.issuer_match_info() | info::HAS_PREFERRED_ISSUER;
        if req.time < f.not_before || req.time > f.not_after {
            e.error |= error::IS_NOT_TIME_VALID;
        }
        if f.unsupported_critical {
            e.error |= error::HAS_NOT_SUPPORTED_CRITICAL_EXT;
        }
        if !req.usage.oids.is_empty() && !f.allows(&req.usage) {
            e.error |= error::IS_NOT_VALID_FOR_USAGE;
        }
        if i > 0 {
            // An issuer: must be a CA (a v1/v2 certificate without extensions is accepted
            // as one, as Windows does for old roots), within its path length.
            let below = i - 1;
            let ok = match f.basic_constraints {
                Some((true, Some(len))) => below <= len as usize,
                Some((true, None)) => true,
                Some((false, _)) => false,
                None => f.version < 2 || e.info & info::IS_SELF_SIGNED != 0,
            };
            if !ok {
                e.error |= error::INVALID_BASIC_CONSTRAINTS;
            }
        }
        let is_root = complete && i + 1 == count && e.info & info::IS_SELF_SIGNED != 0;
        let checked = match req.revocation {
            Revocation::None => false,
            Revocation::EndCert => i == 0,
            // A self-signed root has no issuer to revoke it.
            Revocation::Chain | Revocation::ChainExcludeRoot => !is_root,
        };
        if checked {
            e.error |= error::REVOCATION_STATUS_UNKNOWN | error::IS_OFFLINE_REVOCATION;
        }
    }
    if let Some(last) = elements.last_mut() {
        if !complete {
            // The end of a partial chain carries no root status.
            last.error &= !error::IS_UNTRUSTED_ROOT;
        }
    }
    chain_error |= elements.iter().fold(0, |acc, e| acc | e.error);
    Built {
        elements,
        error: chain_error,
        info: chain_info,
    }
}

#[cfg(test)]
pub(crate) mod tests;

/// Fuzz entry: hostile certificates through chain building and the BASE/SSL policies. The
/// input is split into DER certificates (2-byte big-endian lengths); the first is the end
/// certificate, the second a root, the rest intermediates; the last bytes choose the flags and
/// name the server.
#[doc(hidden)]
pub fn fuzz_chain(data: &[u8]) {
    let mut parts = Vec::new();
    let mut rest = data;
    while rest.len() >= 2 && parts.len() < 8 {
        let len = usize::from(u16::from_be_bytes([rest[0], rest[1]]));
        if rest.len() < 2 + len {
            break;
        }
        parts.push(&rest[2..2 + len]);
        rest = &rest[2 + len..];
    }
    let candidates: Vec<Candidate> = parts
        .iter()
        .enumerate()
        .filter_map(|(id, der)| {
            Facts::parse(der).map(|facts| Candidate {
                id,
                facts: Arc::new(facts),
            })
        })
        .collect();
    let Some((end, others)) = candidates.split_first() else {
        return;
    };
    let flags = rest.first().copied().unwrap_or(0);
    let pools = Pools {
        roots: others.iter().take(1).cloned().collect(),
        ca_anchors: flags & 1 != 0,
        exclusive: flags & 2 != 0,
        trusted_people: Vec::new(),
        others: others.iter().skip(1).cloned().collect(),
    };
    let req = Request {
        time: 1_700_000_000,
        usage: Usage {
            all: flags & 4 != 0,
            oids: vec!["1.3.6.1.5.5.7.3.1".into()],
        },
        revocation: if flags & 8 != 0 {
            Revocation::Chain
        } else {
            Revocation::None
        },
    };
    let built = build(end.clone(), &pools, &req);
    let name = String::from_utf8_lossy(rest.get(1..).unwrap_or_default()).into_owned();
    let para = super::policy::SslPara {
        auth_type: u32::from(flags >> 4 & 3),
        checks: u32::from(flags),
        server_name: Some(name),
    };
    let _ = super::policy::ssl(&built, 0, Some(&para));
    let _ = super::policy::base(&built, 0);
    let _ = super::policy::basic_constraints(&built);
}
