//! `CertVerifyCertificateChainPolicy` for `CERT_CHAIN_POLICY_BASE` and `CERT_CHAIN_POLICY_SSL`,
//! in safe Rust: which error a built chain maps to, at which chain and element index, and the
//! SSL server-name check.
//!
//! The order follows Windows (as Wine's crypt32 tests record it): a bad signature is reported
//! before an untrusted root, an untrusted root before an expired certificate; a partial chain
//! is `CERT_E_CHAINING` for the base policy and `CERT_E_UNTRUSTEDROOT` for the SSL policy, both
//! with element index -1; success is `dwError` 0 with both indexes -1.

use std::net::IpAddr;

use super::chain::{error, Built, Facts};

/// `CERT_E_EXPIRED`.
pub(crate) const CERT_E_EXPIRED: u32 = 0x800B_0101;
/// `CERT_E_CRITICAL`.
pub(crate) const CERT_E_CRITICAL: u32 = 0x800B_0105;
/// `CERT_E_UNTRUSTEDROOT`.
pub(crate) const CERT_E_UNTRUSTEDROOT: u32 = 0x800B_0109;
/// `CERT_E_CHAINING`.
pub(crate) const CERT_E_CHAINING: u32 = 0x800B_010A;
/// `CERT_E_CN_NO_MATCH`.
pub(crate) const CERT_E_CN_NO_MATCH: u32 = 0x800B_010F;
/// `CERT_E_WRONG_USAGE`.
pub(crate) const CERT_E_WRONG_USAGE: u32 = 0x800B_0110;
/// `TRUST_E_CERT_SIGNATURE`.
pub(crate) const TRUST_E_CERT_SIGNATURE: u32 = 0x8009_6004;
/// `TRUST_E_BASIC_CONSTRAINTS`.
pub(crate) const TRUST_E_BASIC_CONSTRAINTS: u32 = 0x8009_6019;
/// `CRYPT_E_NO_REVOCATION_CHECK`.
pub(crate) const CRYPT_E_NO_REVOCATION_CHECK: u32 = 0x8009_2012;
/// `CRYPT_E_REVOCATION_OFFLINE`.
pub(crate) const CRYPT_E_REVOCATION_OFFLINE: u32 = 0x8009_2013;

/// `CERT_CHAIN_POLICY_PARA.dwFlags` bits.
mod flags {
    pub(super) const IGNORE_NOT_TIME_VALID: u32 = 0x0000_0001;
    pub(super) const IGNORE_INVALID_BASIC_CONSTRAINTS: u32 = 0x0000_0008;
    pub(super) const ALLOW_UNKNOWN_CA: u32 = 0x0000_0010;
    pub(super) const IGNORE_WRONG_USAGE: u32 = 0x0000_0020;
    pub(super) const IGNORE_INVALID_NAME: u32 = 0x0000_0040;
    pub(super) const IGNORE_END_REV_UNKNOWN: u32 = 0x0000_0100;
    pub(super) const IGNORE_CA_REV_UNKNOWN: u32 = 0x0000_0400;
    pub(super) const IGNORE_ROOT_REV_UNKNOWN: u32 = 0x0000_0800;
    pub(super) const IGNORE_NOT_SUPPORTED_CRITICAL_EXT: u32 = 0x0000_2000;
}

/// `SSL_EXTRA_CERT_CHAIN_POLICY_PARA.fdwChecks` bits (`SECURITY_FLAG_IGNORE_*`).
mod checks {
    pub(super) const IGNORE_REVOCATION: u32 = 0x0000_0080;
    pub(super) const IGNORE_UNKNOWN_CA: u32 = 0x0000_0100;
    pub(super) const IGNORE_WRONG_USAGE: u32 = 0x0000_0200;
    pub(super) const IGNORE_CERT_CN_INVALID: u32 = 0x0000_1000;
    pub(super) const IGNORE_CERT_DATE_INVALID: u32 = 0x0000_2000;
}

/// `AUTHTYPE_CLIENT`: the chain is a client's (checked for client authentication).
pub(crate) const AUTHTYPE_CLIENT: u32 = 1;

/// `SSL_EXTRA_CERT_CHAIN_POLICY_PARA` as read from the caller.
#[derive(Clone, Debug, Default)]
pub(crate) struct SslPara {
    /// `dwAuthType` (`AUTHTYPE_SERVER` = 2, `AUTHTYPE_CLIENT` = 1; 0 counts as server).
    pub(crate) auth_type: u32,
    /// `fdwChecks`.
    pub(crate) checks: u32,
    /// `pwszServerName`; `None` or empty: no name check.
    pub(crate) server_name: Option<String>,
}

/// `CERT_CHAIN_POLICY_STATUS` contents.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Outcome {
    /// `dwError`.
    pub(crate) error: u32,
    /// `lChainIndex`.
    pub(crate) chain: i32,
    /// `lElementIndex`.
    pub(crate) element: i32,
}

impl Outcome {
    const OK: Self = Self {
        error: 0,
        chain: -1,
        element: -1,
    };

    fn at(error: u32, element: i32) -> Self {
        Self {
            error,
            chain: 0,
            element,
        }
    }
}

/// The first element carrying `bit`.
fn first(built: &Built, bit: u32) -> Option<i32> {
    built
        .elements
        .iter()
        .position(|e| e.error & bit != 0)
        .and_then(|i| i32::try_from(i).ok())
}

/// What both policies check: signature, root, chaining, time, usage, basic constraints,
/// critical extensions, revocation. `ssl` selects the SSL policy's mapping of a partial
/// chain and its `fdwChecks` ignore bits.
fn common(built: &Built, dw_flags: u32, ssl: Option<&SslPara>) -> Option<Outcome> {
    let fdw = ssl.map_or(0, |s| s.checks);
    if let Some(i) = first(built, error::IS_NOT_SIGNATURE_VALID) {
        return Some(Outcome::at(TRUST_E_CERT_SIGNATURE, i));
    }
    let unknown_ca_ok = fdw & checks::IGNORE_UNKNOWN_CA != 0;
    if let Some(i) = first(built, error::IS_UNTRUSTED_ROOT) {
        if dw_flags & flags::ALLOW_UNKNOWN_CA == 0 && !unknown_ca_ok {
            return Some(Outcome::at(CERT_E_UNTRUSTEDROOT, i));
        }
    }
    if built.error & error::IS_PARTIAL_CHAIN != 0 && !unknown_ca_ok {
        let code = if ssl.is_some() {
            CERT_E_UNTRUSTEDROOT
        } else {
            CERT_E_CHAINING
        };
        return Some(Outcome::at(code, -1));
    }
    if let Some(i) = first(built, error::IS_NOT_TIME_VALID) {
        if dw_flags & flags::IGNORE_NOT_TIME_VALID == 0
            && fdw & checks::IGNORE_CERT_DATE_INVALID == 0
        {
            return Some(Outcome::at(CERT_E_EXPIRED, i));
        }
    }
    let usage_ok =
        dw_flags & flags::IGNORE_WRONG_USAGE != 0 || fdw & checks::IGNORE_WRONG_USAGE != 0;
    if let Some(i) = first(built, error::IS_NOT_VALID_FOR_USAGE) {
        if !usage_ok {
            return Some(Outcome::at(CERT_E_WRONG_USAGE, i));
        }
    }
    if let Some(i) = first(built, error::INVALID_BASIC_CONSTRAINTS) {
        if dw_flags & flags::IGNORE_INVALID_BASIC_CONSTRAINTS == 0 {
            return Some(Outcome::at(TRUST_E_BASIC_CONSTRAINTS, i));
        }
    }
    if let Some(i) = first(built, error::HAS_NOT_SUPPORTED_CRITICAL_EXT) {
        if dw_flags & flags::IGNORE_NOT_SUPPORTED_CRITICAL_EXT == 0 {
            return Some(Outcome::at(CERT_E_CRITICAL, i));
        }
    }
    if fdw & checks::IGNORE_REVOCATION == 0 {
        let last = built.elements.len().saturating_sub(1);
        for (i, e) in built.elements.iter().enumerate() {
            if e.error & error::REVOCATION_STATUS_UNKNOWN == 0 {
                continue;
            }
            let ignore = match i {
                0 => flags::IGNORE_END_REV_UNKNOWN,
                i if i == last => flags::IGNORE_ROOT_REV_UNKNOWN,
                _ => flags::IGNORE_CA_REV_UNKNOWN,
            };
            if dw_flags & ignore == 0 {
                let code = if e.error & error::IS_OFFLINE_REVOCATION != 0 {
                    CRYPT_E_REVOCATION_OFFLINE
                } else {
                    CRYPT_E_NO_REVOCATION_CHECK
                };
                return Some(Outcome::at(code, i32::try_from(i).unwrap_or(-1)));
            }
        }
    }
    if !usage_ok {
        if let Some(para) = ssl {
            // The SSL policy needs the end certificate to allow the TLS role.
            let oid = if para.auth_type == AUTHTYPE_CLIENT {
                "1.3.6.1.5.5.7.3.2"
            } else {
                "1.3.6.1.5.5.7.3.1"
            };
            if let Some(leaf) = built.elements.first() {
                if !leaf.cert.facts.allows_oid(oid) {
                    return Some(Outcome::at(CERT_E_WRONG_USAGE, 0));
                }
            }
        }
    }
    None
}

/// `CERT_CHAIN_POLICY_BASE`.
pub(crate) fn base(built: &Built, dw_flags: u32) -> Outcome {
    common(built, dw_flags, None).unwrap_or(Outcome::OK)
}

/// `CERT_CHAIN_POLICY_BASIC_CONSTRAINTS`: only the basic constraints.
pub(crate) fn basic_constraints(built: &Built) -> Outcome {
    first(built, error::INVALID_BASIC_CONSTRAINTS)
        .map_or(Outcome::OK, |i| Outcome::at(TRUST_E_BASIC_CONSTRAINTS, i))
}

/// `CERT_CHAIN_POLICY_SSL`; `para` is `None` when the caller passed no extra parameter (then
/// the chain is checked as a server's, without a name).
pub(crate) fn ssl(built: &Built, dw_flags: u32, para: Option<&SslPara>) -> Outcome {
    let default = SslPara::default();
    let para = para.unwrap_or(&default);
    if let Some(outcome) = common(built, dw_flags, Some(para)) {
        return outcome;
    }
    let name_ok = para.checks & checks::IGNORE_CERT_CN_INVALID != 0
        || dw_flags & flags::IGNORE_INVALID_NAME != 0
        || para.auth_type == AUTHTYPE_CLIENT;
    if !name_ok {
        if let (Some(name), Some(leaf)) = (&para.server_name, built.elements.first()) {
            if !name.is_empty() && !name_matches(&leaf.cert.facts, name) {
                return Outcome::at(CERT_E_CN_NO_MATCH, 0);
            }
        }
    }
    Outcome::OK
}

/// Whether the certificate is valid for `host`: an IP address literal against the iPAddress
/// SANs; a DNS name against the dNSName SANs (case-insensitive, a `*` leftmost label matching
/// exactly one label), and against the subject's common names only when the certificate has
/// no subjectAltName extension at all.
pub(crate) fn name_matches(facts: &Facts, host: &str) -> bool {
    let host = host.strip_suffix('.').unwrap_or(host);
    let bracketless = host
        .strip_prefix('[')
        .and_then(|h| h.strip_suffix(']'))
        .unwrap_or(host);
    if let Ok(ip) = bracketless.parse::<IpAddr>() {
        let want: Vec<u8> = match ip {
            IpAddr::V4(v4) => v4.octets().to_vec(),
            IpAddr::V6(v6) => v6.octets().to_vec(),
        };
        return facts.ip_addresses.contains(&want)
            || (!facts.has_san && facts.common_names.iter().any(|cn| cn == bracketless));
    }
    if facts.has_san {
        facts.dns_names.iter().any(|p| dns_matches(p, host))
    } else {
        facts.common_names.iter().any(|p| dns_matches(p, host))
    }
}

/// One reference name against one host name.
fn dns_matches(pattern: &str, host: &str) -> bool {
    let pattern = pattern.strip_suffix('.').unwrap_or(pattern);
    if pattern.eq_ignore_ascii_case(host) {
        return true;
    }
    let Some(suffix) = pattern.strip_prefix("*.") else {
        return false;
    };
    // The wildcard must cover one whole label, below at least two more labels.
    if suffix.split('.').count() < 2 || suffix.contains('*') {
        return false;
    }
    match host.split_once('.') {
        Some((label, rest)) => !label.is_empty() && rest.eq_ignore_ascii_case(suffix),
        None => false,
    }
}

#[cfg(test)]
mod tests;
