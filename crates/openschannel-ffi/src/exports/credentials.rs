//! `AcquireCredentialsHandleA/W`, `FreeCredentialsHandle`, `QueryCredentialsAttributesA/W`
//! (contract §1.4–§1.7, §5.1).
//!
//! Algorithm restrictions honoured at ACH (both directions; see [`Algorithms`]):
//! * `SCH_CREDENTIALS`: the `CRYPTO_SETTINGS` of the `TLS_PARAMETERS` entry that applies to
//!   every ALPN id, each of which *disables* something — ciphers (`"AES"` with GCM or no
//!   chaining mode, within the bit-length range; `"CHACHA20_POLY1305"`) and key exchanges
//!   (`"ECDH_P256"`, `"ECDH_P384"`, `"ECDH_P521"`, `"curve25519"`, `"ML-KEM"`, `"ECDH"`,
//!   `"ECDHE"`). Unknown algorithm ids, and the Signature, Digest and CertSig usages (including
//!   .NET's `"SCH_RSA_PKCS_PAD"` / `"SCH_RSA_PSS_PAD"`), are accepted and ignored for now.
//! * `SCHANNEL_CRED`: `palgSupportedAlgs`, a CAPI `ALG_ID` allow-list (`CALG_AES_128`,
//!   `CALG_AES_256`, `CALG_AES`, `CALG_ECDH_EPHEM`, `CALG_ECDH`).
//!
//! Nothing left enabled → `SEC_E_ALGORITHM_MISMATCH`; more than 16 settings or chaining modes
//! (or more than 256 `ALG_ID`s), or unusable pointers → `SEC_E_UNKNOWN_CREDENTIALS`.

use std::ffi::{c_char, c_void};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use openschannel_core::{
    BulkCipher, Certificate, CipherSuite, Credentials, KeyExchangeGroup, Protocols, Role,
    ServerValidation, Status,
};

use super::{read_handle, CREDENTIALS};
use crate::boundary::{self, guard, FfiResult};
use crate::crypt32;
use crate::memory;
use crate::strings::SspiChar;
use crate::types::*;

/// Package names accepted by ACH and `QuerySecurityPackageInfo` (case-insensitive).
pub(crate) const PACKAGE_NAMES: [&str; 3] = [
    "Microsoft Unified Security Protocol Provider",
    "Schannel",
    "Default TLS SSP",
];

/// Whether `name` is one of this package's names.
pub(crate) fn is_our_package(name: &str) -> bool {
    PACKAGE_NAMES.iter().any(|n| n.eq_ignore_ascii_case(name))
}

/// "Maximum time" for `ptsExpiry` when no certificate bounds the credential.
const MAX_TIME: i64 = i64::MAX;

/// A credential handle's object: per-role core credentials.
pub(crate) struct CredentialEntry {
    /// Outbound credentials (ISC).
    pub(crate) client: Option<Credentials>,
    /// Inbound credentials (ASC); `Err` when the handle was acquired without a certificate
    /// (allowed by Windows at ACH time; ASC then fails with this status).
    pub(crate) server: Option<Result<Credentials, Status>>,
    /// DER of the credential's own certificate (for `KEY_INFO`/`CIPHER_INFO` on the server).
    pub(crate) local_cert: Option<Vec<u8>>,
    /// `SP_PROT_*` bits enabled (`SECPKG_ATTR_SUPPORTED_PROTOCOLS`).
    pub(crate) protocol_bits: u32,
    /// `SCH_CRED_NO_DEFAULT_CREDS`: clients go on without a certificate when one is requested
    /// (no `SEC_I_INCOMPLETE_CREDENTIALS`).
    pub(crate) no_default_creds: bool,
    /// Inbound: the trust anchors for client certificates (`hRootStore`), used when a context
    /// asks for one (`ASC_REQ_MUTUAL_AUTH`); without them the chain is left to the caller.
    pub(crate) client_roots: Option<Vec<Certificate>>,
    /// Inbound: clients must offer a common ALPN protocol
    /// (`OPENSCHANNEL_CRED_ATTR_ALPN_REQUIRED`, an openschannel extension).
    pub(crate) alpn_required: AtomicBool,
    /// `SECPKG_ATTR_SUPPORTED_ALGS`: the `ALG_ID`s of what the credential can negotiate.
    pub(crate) supported_algs: Vec<u32>,
    /// `SECPKG_ATTR_CIPHER_STRENGTHS`: the weakest and strongest bulk-cipher key, in bits.
    pub(crate) strengths: (u32, u32),
}

impl CredentialEntry {
    /// Whether inbound contexts require a common ALPN protocol.
    pub(crate) fn alpn_required(&self) -> bool {
        self.alpn_required.load(Ordering::Relaxed)
    }
}

/// The client session lifetime for a `dwSessionLifespan` (milliseconds): 0 = the default
/// 10 hours, `0xFFFFFFFF` (.NET's -1) = no resumption.
pub(crate) fn session_lifetime(lifespan: u32) -> Option<Duration> {
    match lifespan {
        0 => None,
        u32::MAX => Some(Duration::ZERO),
        ms => Some(Duration::from_millis(u64::from(ms))),
    }
}

/// Which protocols a credential structure asks for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum ProtocolRequest {
    /// `grbitEnabledProtocols` of a `SCHANNEL_CRED` that opted into TLS 1.3
    /// (`OPENSCHANNEL_SCH_CRED_ENABLE_TLS13`), or of no structure at all (0 = defaults).
    Enabled(u32),
    /// `SCHANNEL_CRED.grbitEnabledProtocols` as Windows reads it: TLS 1.2 at most (only
    /// `SCH_CREDENTIALS` negotiates TLS 1.3 there), 0 = TLS 1.2; TLS 1.3 bits alone are
    /// `SEC_E_ALGORITHM_MISMATCH` (what aws-c-io#609 and others report from ACH).
    Legacy(u32),
    /// `TLS_PARAMETERS.grbitDisabledProtocols` (0 = nothing disabled).
    Disabled(u32),
}

/// The fields ACH uses from either credential structure.
pub(crate) struct CredSpec {
    certs: Vec<PCCERT_CONTEXT>,
    root_store: HCERTSTORE,
    flags: u32,
    lifespan: u32,
    protocols: ProtocolRequest,
    algorithms: Algorithms,
}

impl Default for CredSpec {
    fn default() -> Self {
        Self {
            certs: Vec::new(),
            root_store: std::ptr::null_mut(),
            flags: 0,
            lifespan: 0,
            protocols: ProtocolRequest::Enabled(0),
            algorithms: Algorithms::default(),
        }
    }
}

/// The key-exchange groups in the crypto provider's default order of preference (rustls'
/// aws-lc-rs `DEFAULT_KX_GROUPS` without its `prefer-post-quantum` feature: X25519, P-256,
/// P-384, then the X25519MLKEM768 hybrid; P-521 last, which the core ignores while the
/// provider lacks it). A restricted list is passed in this order, so the preference of what
/// remains is the provider's.
const DEFAULT_GROUPS: [KeyExchangeGroup; 5] = [
    KeyExchangeGroup::X25519,
    KeyExchangeGroup::SECP256R1,
    KeyExchangeGroup::SECP384R1,
    KeyExchangeGroup::X25519MLKEM768,
    KeyExchangeGroup::SECP521R1,
];

/// The CNG chaining mode of the AEAD suites (`BCRYPT_CHAIN_MODE_GCM`).
const CHAIN_MODE_GCM: &str = "ChainingModeGCM";

/// One `CRYPTO_SETTINGS` entry, copied out of the caller's memory.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct CryptoSetting {
    /// `eAlgorithmUsage` (`TlsParametersCngAlgUsage*`).
    pub(crate) usage: i32,
    /// `strCngAlgId` (e.g. `"AES"`, `"ECDH_P256"`).
    pub(crate) algorithm: String,
    /// `rgstrChainingModes` (e.g. `"ChainingModeGCM"`); empty = every mode.
    pub(crate) chaining_modes: Vec<String>,
    /// `dwMinBitLength` (0 = no lower bound).
    pub(crate) min_bits: u32,
    /// `dwMaxBitLength` (0 = no upper bound).
    pub(crate) max_bits: u32,
}

impl CryptoSetting {
    /// Whether `bits` lies within `[dwMinBitLength, dwMaxBitLength]` (0 = unbounded side).
    fn covers(&self, bits: u32) -> bool {
        (self.min_bits == 0 || bits >= self.min_bits)
            && (self.max_bits == 0 || bits <= self.max_bits)
    }

    fn is(&self, name: &str) -> bool {
        self.algorithm.eq_ignore_ascii_case(name)
    }
}

/// The size CNG gives a group's (EC)DH key, for the bit range of an `"ECDH"` setting (the
/// hybrid counts as its X25519 half).
fn group_bits(g: KeyExchangeGroup) -> u32 {
    match g {
        KeyExchangeGroup::SECP384R1 => 384,
        KeyExchangeGroup::SECP521R1 => 521,
        KeyExchangeGroup::X25519 | KeyExchangeGroup::X25519MLKEM768 => 255,
        _ => 256,
    }
}

/// The cipher suites and key-exchange groups a credential structure leaves enabled (default:
/// everything, in the provider's order).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Algorithms {
    suites: Vec<CipherSuite>,
    groups: Vec<KeyExchangeGroup>,
}

impl Default for Algorithms {
    fn default() -> Self {
        Self {
            suites: CipherSuite::all().collect(),
            groups: DEFAULT_GROUPS.to_vec(),
        }
    }
}

impl Algorithms {
    /// Applies one `CRYPTO_SETTINGS` entry (it disables what it names; Windows ignores a
    /// setting whose algorithm no enabled suite uses, so unknown ids are ignored here).
    #[allow(non_upper_case_globals)] // the header's enumerator names
    pub(crate) fn disable(&mut self, s: &CryptoSetting) {
        match s.usage {
            TlsParametersCngAlgUsageCipher => {
                let aes = s.is("AES")
                    && (s.chaining_modes.is_empty()
                        || s.chaining_modes
                            .iter()
                            .any(|m| m.eq_ignore_ascii_case(CHAIN_MODE_GCM)));
                let chacha = s.is("CHACHA20_POLY1305");
                self.suites.retain(|suite| {
                    let Some(bulk) = suite.bulk() else {
                        return true;
                    };
                    let hit = match bulk {
                        BulkCipher::Aes128Gcm | BulkCipher::Aes256Gcm => aes,
                        BulkCipher::ChaCha20Poly1305 => chacha,
                    };
                    !(hit && s.covers(bulk.key_bits()))
                });
            }
            TlsParametersCngAlgUsageKeyExchange => {
                let off = |g: KeyExchangeGroup| {
                    if s.is("ECDH_P256") {
                        g == KeyExchangeGroup::SECP256R1
                    } else if s.is("ECDH_P384") {
                        g == KeyExchangeGroup::SECP384R1
                    } else if s.is("ECDH_P521") {
                        g == KeyExchangeGroup::SECP521R1
                    } else if s.is("curve25519") {
                        // The hybrid's classical half is X25519.
                        g == KeyExchangeGroup::X25519 || g == KeyExchangeGroup::X25519MLKEM768
                    } else if s.is("ML-KEM") {
                        g == KeyExchangeGroup::X25519MLKEM768 && s.covers(768)
                    } else if s.is("ECDH") || s.is("ECDHE") {
                        s.covers(group_bits(g))
                    } else {
                        false
                    }
                };
                self.groups.retain(|&g| !off(g));
            }
            // Signature, Digest, CertSig (and the RSA padding pseudo-ids .NET sends there):
            // accepted, not honoured yet.
            _ => {}
        }
    }

    /// The restrictions of a `SCHANNEL_CRED.palgSupportedAlgs` allow-list. The list restricts
    /// ciphers only when it names at least one `ALG_ID` of the data-encryption class
    /// (`CALG_AES_128` → AES-128-GCM, `CALG_AES_256` → AES-256-GCM, `CALG_AES` → both;
    /// ChaCha20-Poly1305 has no `ALG_ID`, and ciphers not implemented here, such as 3DES or RC4,
    /// enable nothing), and key exchanges only when it names one of the key-exchange class
    /// (`CALG_ECDH_EPHEM` / `CALG_ECDH` keep the ECDHE groups; RSA or DH key exchange enable
    /// nothing). Other `ALG_ID`s (hashes, signatures, unknown values) are ignored.
    pub(crate) fn from_supported_algs(algs: &[u32]) -> Self {
        let mut a = Self::default();
        let has = |id: u32| algs.contains(&id);
        if algs
            .iter()
            .any(|&id| id & ALG_CLASS_MASK == ALG_CLASS_DATA_ENCRYPT)
        {
            let aes128 = has(CALG_AES_128) || has(CALG_AES);
            let aes256 = has(CALG_AES_256) || has(CALG_AES);
            a.suites.retain(|s| match s.bulk() {
                Some(BulkCipher::Aes128Gcm) => aes128,
                Some(BulkCipher::Aes256Gcm) => aes256,
                _ => false,
            });
        }
        if algs
            .iter()
            .any(|&id| id & ALG_CLASS_MASK == ALG_CLASS_KEY_EXCHANGE)
            && !(has(CALG_ECDH_EPHEM) || has(CALG_ECDH))
        {
            a.groups.clear();
        }
        a
    }

    /// The suites to pass to the core, `None` when nothing was disabled.
    pub(crate) fn restricted_suites(&self) -> Option<Vec<CipherSuite>> {
        (self.suites.len() != CipherSuite::all().count()).then(|| self.suites.clone())
    }

    /// The groups to pass to the core (provider order), `None` when nothing was disabled.
    pub(crate) fn restricted_groups(&self) -> Option<Vec<KeyExchangeGroup>> {
        (self.groups[..] != DEFAULT_GROUPS[..]).then(|| self.groups.clone())
    }
}

/// What a credential can negotiate, as Windows' `SECPKG_ATTR_SUPPORTED_ALGS` and
/// `SECPKG_ATTR_CIPHER_STRENGTHS` report it: the suites left for the enabled protocol versions
/// give the bulk ciphers (`CALG_AES_128`/`CALG_AES_256`; ChaCha20 has no `ALG_ID`) and hashes
/// (`CALG_SHA_256`/`CALG_SHA_384`); the groups left give `CALG_ECDH_EPHEM`; the signatures are
/// `CALG_RSA_SIGN` and `CALG_ECDSA`. Strengths are the bulk key sizes (ChaCha20: 256 bits).
pub(crate) fn negotiable(algorithms: &Algorithms, p: Protocols) -> (Vec<u32>, (u32, u32)) {
    let suites: Vec<CipherSuite> = algorithms
        .suites
        .iter()
        .copied()
        .filter(|s| s.protocol().is_some_and(|v| p.contains(v)))
        .collect();
    let mut algs = Vec::new();
    let mut push = |alg: u32| {
        if !algs.contains(&alg) {
            algs.push(alg);
        }
    };
    for want in [CALG_AES_256, CALG_AES_128] {
        let bulk = if want == CALG_AES_256 {
            BulkCipher::Aes256Gcm
        } else {
            BulkCipher::Aes128Gcm
        };
        if suites.iter().any(|s| s.bulk() == Some(bulk)) {
            push(want);
        }
    }
    for (bits, alg) in [(384, CALG_SHA_384), (256, CALG_SHA_256)] {
        if suites.iter().any(|s| s.hash_bits() == Some(bits)) {
            push(alg);
        }
    }
    if !algorithms.groups.is_empty() {
        push(CALG_ECDH_EPHEM);
    }
    push(CALG_RSA_SIGN);
    push(CALG_ECDSA);
    let bits = |s: &CipherSuite| match s.bulk() {
        Some(BulkCipher::Aes128Gcm) => 128,
        _ => 256,
    };
    let strengths = (
        suites.iter().map(bits).min().unwrap_or(0),
        suites.iter().map(bits).max().unwrap_or(0),
    );
    (algs, strengths)
}

/// Reads a `UNICODE_STRING` (UTF-16, `Length` in bytes); a NULL `Buffer` with a non-zero
/// `Length` is `SEC_E_UNKNOWN_CREDENTIALS`.
///
/// # Safety
/// `Buffer` points to `Length` readable bytes when non-NULL.
unsafe fn read_unicode(s: &UNICODE_STRING) -> FfiResult<String> {
    // SAFETY: forwarded caller contract; NULL with a length → UNKNOWN_CREDENTIALS.
    let bytes = unsafe {
        boundary::bytes(
            s.Buffer.cast(),
            usize::from(s.Length),
            Status::SEC_E_UNKNOWN_CREDENTIALS,
        )
    }?;
    let units: Vec<u16> = bytes
        .chunks_exact(2)
        .map(|c| u16::from_ne_bytes([c[0], c[1]]))
        .collect();
    Ok(String::from_utf16_lossy(&units))
}

/// Reads `n` `CRYPTO_SETTINGS` entries (at most `SCH_CRED_MAX_SUPPORTED_CRYPTO_SETTINGS`, each
/// with at most `SCH_CRED_MAX_SUPPORTED_CHAINING_MODES` modes; else, or for an unusable
/// pointer, `SEC_E_UNKNOWN_CREDENTIALS`).
///
/// # Safety
/// `p` holds `n` entries whose strings and mode arrays are readable as their counts say.
unsafe fn read_crypto_settings(p: *const CRYPTO_SETTINGS, n: u32) -> FfiResult<Vec<CryptoSetting>> {
    let bad = Status::SEC_E_UNKNOWN_CREDENTIALS;
    if n > SCH_CRED_MAX_SUPPORTED_CRYPTO_SETTINGS || (n > 0 && !boundary::usable(p)) {
        return Err(bad);
    }
    let mut out = Vec::with_capacity(n as usize);
    for i in 0..n as usize {
        // SAFETY: `p` holds `n` entries (checked non-NULL/aligned).
        let cs = unsafe { p.wrapping_add(i).read() };
        if cs.cChainingModes > SCH_CRED_MAX_SUPPORTED_CHAINING_MODES
            || (cs.cChainingModes > 0 && !boundary::usable(cs.rgstrChainingModes))
        {
            return Err(bad);
        }
        let mut chaining_modes = Vec::with_capacity(cs.cChainingModes as usize);
        for j in 0..cs.cChainingModes as usize {
            // SAFETY: rgstrChainingModes holds cChainingModes entries (checked non-NULL/aligned).
            let mode = unsafe { cs.rgstrChainingModes.wrapping_add(j).read() };
            // SAFETY: the string's buffer holds `Length` bytes (structure contract).
            chaining_modes.push(unsafe { read_unicode(&mode) }?);
        }
        out.push(CryptoSetting {
            usage: cs.eAlgorithmUsage,
            // SAFETY: as above.
            algorithm: unsafe { read_unicode(&cs.strCngAlgId) }?,
            chaining_modes,
            min_bits: cs.dwMinBitLength,
            max_bits: cs.dwMaxBitLength,
        });
    }
    Ok(out)
}

/// Reads `SCHANNEL_CRED.palgSupportedAlgs` (at most `SCH_CRED_MAX_SUPPORTED_ALGS` entries;
/// else, or for an unusable pointer, `SEC_E_UNKNOWN_CREDENTIALS`).
///
/// # Safety
/// `p` holds `n` readable `ALG_ID`s.
unsafe fn read_supported_algs(p: *const u32, n: u32) -> FfiResult<Vec<u32>> {
    if n > SCH_CRED_MAX_SUPPORTED_ALGS || (n > 0 && !boundary::usable(p)) {
        return Err(Status::SEC_E_UNKNOWN_CREDENTIALS);
    }
    Ok((0..n as usize)
        .map(|i| {
            // SAFETY: `p` holds `n` entries (checked non-NULL/aligned).
            unsafe { p.wrapping_add(i).read() }
        })
        .collect())
}

/// The protocol versions a request enables for `role`, or `SEC_E_ALGORITHM_MISMATCH` when
/// none is usable (contract §1.7: direction matters; TLS mixed with DTLS fails; only TLS 1.2
/// and 1.3 exist here).
pub(crate) fn protocols_for(request: ProtocolRequest, role: Role) -> FfiResult<Protocols> {
    let (tls12, tls13) = match role {
        Role::Client => (SP_PROT_TLS1_2_CLIENT, SP_PROT_TLS1_3_CLIENT),
        Role::Server => (SP_PROT_TLS1_2_SERVER, SP_PROT_TLS1_3_SERVER),
    };
    let p = match request {
        ProtocolRequest::Enabled(0) => Protocols::ALL,
        ProtocolRequest::Enabled(bits) => {
            let mixed =
                bits & SP_PROT_DTLS_ALL != 0 && bits & !SP_PROT_DTLS_ALL & !SP_PROT_UNI != 0;
            if mixed && bits != SP_PROT_ALL {
                return Err(Status::SEC_E_ALGORITHM_MISMATCH);
            }
            Protocols {
                tls12: bits & tls12 != 0,
                tls13: bits & tls13 != 0,
            }
        }
        ProtocolRequest::Legacy(0) => Protocols::TLS12_ONLY,
        ProtocolRequest::Legacy(bits) => Protocols {
            tls13: false,
            ..protocols_for(ProtocolRequest::Enabled(bits), role)?
        },
        ProtocolRequest::Disabled(bits) => Protocols {
            tls12: bits & tls12 == 0,
            tls13: bits & tls13 == 0,
        },
    };
    if p.is_empty() {
        Err(Status::SEC_E_ALGORITHM_MISMATCH)
    } else {
        Ok(p)
    }
}

fn protocol_bits(p: Protocols, role: Role) -> u32 {
    let (tls12, tls13) = match role {
        Role::Client => (SP_PROT_TLS1_2_CLIENT, SP_PROT_TLS1_3_CLIENT),
        Role::Server => (SP_PROT_TLS1_2_SERVER, SP_PROT_TLS1_3_SERVER),
    };
    (if p.tls12 { tls12 } else { 0 }) | (if p.tls13 { tls13 } else { 0 })
}

/// Reads `n` certificate pointers of `paCred`.
///
/// # Safety
/// `pa` holds `n` readable pointers (checked for NULL/alignment).
unsafe fn read_certs(
    pa: *const PCCERT_CONTEXT,
    n: u32,
    format: u32,
) -> FfiResult<Vec<PCCERT_CONTEXT>> {
    if n == 0 {
        return Ok(Vec::new());
    }
    if n > 1 || format != SCH_CRED_FORMAT_CERT_CONTEXT {
        return Err(Status::SEC_E_UNKNOWN_CREDENTIALS);
    }
    // SAFETY: forwarded caller contract; NULL/misaligned → UNKNOWN_CREDENTIALS.
    let cert = unsafe { boundary::read(pa, Status::SEC_E_UNKNOWN_CREDENTIALS) }?;
    Ok(vec![cert])
}

/// Reads a `SCHANNEL_CRED` (v4) or `SCH_CREDENTIALS` (v5).
///
/// # Safety
/// `auth` points to one of the two structures (its `dwVersion` says which).
pub(crate) unsafe fn read_spec(auth: *const c_void) -> FfiResult<CredSpec> {
    // SAFETY: forwarded caller contract.
    let version = unsafe { boundary::read(auth.cast::<u32>(), Status::SEC_E_UNKNOWN_CREDENTIALS) }?;
    match version {
        SCHANNEL_CRED_VERSION => {
            // SAFETY: dwVersion 4 says `auth` is a SCHANNEL_CRED.
            let c = unsafe {
                boundary::read(
                    auth.cast::<SCHANNEL_CRED>(),
                    Status::SEC_E_UNKNOWN_CREDENTIALS,
                )
            }?;
            // SAFETY: palgSupportedAlgs holds cSupportedAlgs entries per the structure.
            let algs = unsafe { read_supported_algs(c.palgSupportedAlgs, c.cSupportedAlgs) }?;
            Ok(CredSpec {
                // SAFETY: paCred holds cCreds pointers per the structure's contract.
                certs: unsafe { read_certs(c.paCred, c.cCreds, c.dwCredFormat) }?,
                root_store: c.hRootStore,
                flags: c.dwFlags,
                lifespan: c.dwSessionLifespan,
                protocols: if c.dwFlags & OPENSCHANNEL_SCH_CRED_ENABLE_TLS13 != 0 {
                    ProtocolRequest::Enabled(c.grbitEnabledProtocols)
                } else {
                    ProtocolRequest::Legacy(c.grbitEnabledProtocols)
                },
                algorithms: Algorithms::from_supported_algs(&algs),
            })
        }
        SCH_CREDENTIALS_VERSION => {
            // SAFETY: dwVersion 5 says `auth` is a SCH_CREDENTIALS.
            let c = unsafe {
                boundary::read(
                    auth.cast::<SCH_CREDENTIALS>(),
                    Status::SEC_E_UNKNOWN_CREDENTIALS,
                )
            }?;
            if c.cTlsParameters > SCH_CRED_MAX_SUPPORTED_PARAMETERS
                || (c.cTlsParameters > 0 && !boundary::usable(c.pTlsParameters))
            {
                return Err(Status::SEC_E_UNKNOWN_CREDENTIALS);
            }
            let mut disabled = None;
            let mut algorithms = Algorithms::default();
            for i in 0..c.cTlsParameters as usize {
                let p = c.pTlsParameters.wrapping_add(i);
                // SAFETY: pTlsParameters holds cTlsParameters entries (checked non-NULL/aligned).
                let tp = unsafe { p.read() };
                if tp.cDisabledCrypto > SCH_CRED_MAX_SUPPORTED_CRYPTO_SETTINGS {
                    return Err(Status::SEC_E_UNKNOWN_CREDENTIALS);
                }
                if tp.cAlpnIds == 0 {
                    if disabled.is_some() {
                        // At most one entry may apply to all ALPN IDs.
                        return Err(Status::SEC_E_UNKNOWN_CREDENTIALS);
                    }
                    disabled = Some(tp.grbitDisabledProtocols);
                    // SAFETY: pDisabledCrypto holds cDisabledCrypto entries per the structure.
                    let settings =
                        unsafe { read_crypto_settings(tp.pDisabledCrypto, tp.cDisabledCrypto) }?;
                    for setting in &settings {
                        algorithms.disable(setting);
                    }
                }
            }
            Ok(CredSpec {
                // SAFETY: paCred holds cCreds pointers per the structure's contract.
                certs: unsafe { read_certs(c.paCred, c.cCreds, c.dwCredFormat) }?,
                root_store: c.hRootStore,
                flags: c.dwFlags,
                lifespan: c.dwSessionLifespan,
                protocols: ProtocolRequest::Disabled(disabled.unwrap_or(0)),
                algorithms,
            })
        }
        SCH_CRED_V3 => {
            // The v3 layout starts as v4 does (dwVersion, cCreds); Windows 10 answers a v3
            // structure carrying a certificate with SEC_E_INSUFFICIENT_MEMORY (Wine's
            // testAcquireSecurityContext, "Succeeds on V3 or higher"), any other with
            // SEC_E_UNKNOWN_CREDENTIALS.
            // SAFETY: a v3 structure is at least two DWORDs long.
            let creds = unsafe {
                boundary::read(
                    auth.cast::<u32>().wrapping_add(1),
                    Status::SEC_E_UNKNOWN_CREDENTIALS,
                )
            }?;
            Err(if creds > 0 {
                Status::SEC_E_INSUFFICIENT_MEMORY
            } else {
                Status::SEC_E_UNKNOWN_CREDENTIALS
            })
        }
        _ => Err(Status::SEC_E_UNKNOWN_CREDENTIALS),
    }
}

/// Builds a credential entry for the requested directions from a spec.
pub(crate) fn build(
    spec: &CredSpec,
    inbound: bool,
    outbound: bool,
) -> FfiResult<(CredentialEntry, i64)> {
    let material = match spec.certs.first() {
        Some(&cert) => Some(crypt32::credential_material(cert)?),
        None => None,
    };
    let expiry = spec
        .certs
        .first()
        .and_then(|&c| crypt32::not_after(c))
        .unwrap_or(MAX_TIME);
    let roots = if spec.root_store.is_null() {
        None
    } else {
        Some(crypt32::store_certificates(spec.root_store)?)
    };
    let mut entry = CredentialEntry {
        client: None,
        server: None,
        local_cert: material.as_ref().map(|(_, _, der)| der.clone()),
        protocol_bits: 0,
        no_default_creds: spec.flags & SCH_CRED_NO_DEFAULT_CREDS != 0,
        client_roots: if inbound { roots.clone() } else { None },
        alpn_required: AtomicBool::new(false),
        supported_algs: Vec::new(),
        strengths: (0, 0),
    };
    let mut enabled = Protocols {
        tls12: false,
        tls13: false,
    };
    if outbound {
        let p = protocols_for(spec.protocols, Role::Client)?;
        let validation = if spec.flags & SCH_CRED_MANUAL_CRED_VALIDATION != 0 {
            ServerValidation::Manual
        } else if let Some(roots) = &roots {
            ServerValidation::Roots(roots.clone())
        } else {
            ServerValidation::Platform
        };
        let mut b = Credentials::client()
            .protocols(p)
            .validation(validation)
            .check_server_name(spec.flags & SCH_CRED_NO_SERVERNAME_CHECK == 0);
        if let Some(lifetime) = session_lifetime(spec.lifespan) {
            b = b.session_lifetime(lifetime);
        }
        if let Some((chain, key, _)) = &material {
            b = b.client_certificate(chain.clone(), key.clone());
        }
        if let Some(suites) = spec.algorithms.restricted_suites() {
            b = b.cipher_suites(suites);
        }
        if let Some(groups) = spec.algorithms.restricted_groups() {
            b = b.key_exchange_groups(groups);
        }
        entry.client = Some(b.build().map_err(|e| e.status())?);
        entry.protocol_bits |= protocol_bits(p, Role::Client);
        enabled.tls12 |= p.tls12;
        enabled.tls13 |= p.tls13;
    }
    if inbound {
        let p = protocols_for(spec.protocols, Role::Server)?;
        entry.server = Some(match &material {
            None => Err(Status::SEC_E_NO_CREDENTIALS),
            Some((chain, key, _)) => {
                let mut b = Credentials::server(chain.clone(), key.clone()).protocols(p);
                if spec.flags & SCH_CRED_DISABLE_RECONNECTS != 0 {
                    b = b.session_cache_size(0);
                }
                if let Some(suites) = spec.algorithms.restricted_suites() {
                    b = b.cipher_suites(suites);
                }
                if let Some(groups) = spec.algorithms.restricted_groups() {
                    b = b.key_exchange_groups(groups);
                }
                Ok(b.build().map_err(|e| e.status())?)
            }
        });
        entry.protocol_bits |= protocol_bits(p, Role::Server);
        enabled.tls12 |= p.tls12;
        enabled.tls13 |= p.tls13;
    }
    (entry.supported_algs, entry.strengths) = negotiable(&spec.algorithms, enabled);
    Ok((entry, expiry))
}

/// The shared body of `AcquireCredentialsHandleA/W`.
unsafe fn acquire(
    package: Option<String>,
    use_: u32,
    auth: *mut c_void,
    out: *mut SecHandle,
    expiry: *mut TimeStamp,
) -> FfiResult<Status> {
    // Windows judges the credential data before the output handle (Wine's
    // testAcquireSecurityContext: NULL phCredential with no auth data inbound, a bad
    // dwVersion or a bogus certificate all get the credential's status); only a credential
    // that would be issued meets the NULL-handle check.
    if !package.as_deref().is_some_and(is_our_package) {
        return Err(Status::SEC_E_SECPKG_NOT_FOUND);
    }
    let inbound = use_ & SECPKG_CRED_INBOUND != 0;
    let outbound = use_ & SECPKG_CRED_OUTBOUND != 0;
    if !inbound && !outbound {
        return Err(Status::SEC_E_NO_CREDENTIALS);
    }
    let spec = if auth.is_null() {
        if inbound {
            return Err(Status::SEC_E_NO_CREDENTIALS);
        }
        CredSpec::default()
    } else {
        // SAFETY: a non-NULL pAuthData points to a SCHANNEL_CRED or SCH_CREDENTIALS.
        unsafe { read_spec(auth) }?
    };
    let (entry, exp) = build(&spec, inbound, outbound)?;
    if !boundary::usable(out) {
        return Err(Status::SEC_E_INVALID_PARAMETER);
    }
    let handle = CREDENTIALS.insert(Arc::new(entry));
    // SAFETY: `out` is usable (checked above) and is the caller's out-parameter.
    unsafe { boundary::write(out, handle) };
    // SAFETY: optional out-parameter; NULL is skipped.
    unsafe { boundary::write(expiry, exp) };
    Ok(Status::SEC_E_OK)
}

/// `AcquireCredentialsHandleW` (contract §5.1): `pszPackage` must name this package;
/// `pAuthData` is NULL (outbound defaults), a `SCHANNEL_CRED` (v4) or `SCH_CREDENTIALS` (v5).
///
/// # Safety
/// String arguments are NULL or NUL-terminated UTF-16; `pAuthData` is NULL or one of the two
/// credential structures; `phCredential` is writable; `ptsExpiry` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn AcquireCredentialsHandleW(
    pszPrincipal: *mut u16,
    pszPackage: *mut u16,
    fCredentialUse: u32,
    pvLogonId: *mut c_void,
    pAuthData: *mut c_void,
    pGetKeyFn: SEC_GET_KEY_FN,
    pvGetKeyArgument: *mut c_void,
    phCredential: *mut SecHandle,
    ptsExpiry: *mut TimeStamp,
) -> SECURITY_STATUS {
    let _ = (pszPrincipal, pvLogonId, pGetKeyFn, pvGetKeyArgument);
    guard("AcquireCredentialsHandleW", || {
        // SAFETY: NULL or NUL-terminated per the contract.
        let package = unsafe { u16::read_str(pszPackage) };
        // SAFETY: forwarded contract.
        unsafe { acquire(package, fCredentialUse, pAuthData, phCredential, ptsExpiry) }
    })
}

/// `AcquireCredentialsHandleA`: as [`AcquireCredentialsHandleW`] with ANSI strings.
///
/// # Safety
/// As [`AcquireCredentialsHandleW`], with NUL-terminated `char` strings.
#[no_mangle]
pub unsafe extern "C" fn AcquireCredentialsHandleA(
    pszPrincipal: *mut c_char,
    pszPackage: *mut c_char,
    fCredentialUse: u32,
    pvLogonId: *mut c_void,
    pAuthData: *mut c_void,
    pGetKeyFn: SEC_GET_KEY_FN,
    pvGetKeyArgument: *mut c_void,
    phCredential: *mut SecHandle,
    ptsExpiry: *mut TimeStamp,
) -> SECURITY_STATUS {
    let _ = (pszPrincipal, pvLogonId, pGetKeyFn, pvGetKeyArgument);
    guard("AcquireCredentialsHandleA", || {
        // SAFETY: NULL or NUL-terminated per the contract.
        let package = unsafe { c_char::read_str(pszPackage) };
        // SAFETY: forwarded contract.
        unsafe { acquire(package, fCredentialUse, pAuthData, phCredential, ptsExpiry) }
    })
}

/// `FreeCredentialsHandle`: contexts created from the credential stay usable. NULL, unknown,
/// freed or context handles → `SEC_E_INVALID_HANDLE`.
///
/// # Safety
/// `phCredential` is NULL or points to a readable `CredHandle`.
#[no_mangle]
pub unsafe extern "C" fn FreeCredentialsHandle(phCredential: *mut SecHandle) -> SECURITY_STATUS {
    guard("FreeCredentialsHandle", || {
        // SAFETY: forwarded contract.
        let handle = unsafe { read_handle(phCredential) }?;
        match CREDENTIALS.remove(&handle) {
            Some(_) => Ok(Status::SEC_E_OK),
            None => Err(Status::SEC_E_INVALID_HANDLE),
        }
    })
}

unsafe fn query_credentials(
    h: *mut SecHandle,
    attribute: u32,
    buffer: *mut c_void,
) -> FfiResult<Status> {
    // SAFETY: forwarded contract.
    let cred = unsafe { super::credential(h) }?;
    if buffer.is_null() {
        return Err(Status::SEC_E_INTERNAL_ERROR);
    }
    match attribute {
        SECPKG_ATTR_SUPPORTED_PROTOCOLS => {
            let value = SecPkgCred_SupportedProtocols {
                grbitProtocol: cred.protocol_bits,
            };
            // SAFETY: the caller passes a SecPkgCred_SupportedProtocols for this attribute.
            unsafe {
                boundary::write_required(buffer.cast(), value, Status::SEC_E_INTERNAL_ERROR)
            }?;
            Ok(Status::SEC_E_OK)
        }
        SECPKG_ATTR_SUPPORTED_ALGS => {
            // One package allocation (freed with FreeContextBuffer), as Windows hands it out.
            let bytes: Vec<u8> = cred
                .supported_algs
                .iter()
                .flat_map(|a| a.to_ne_bytes())
                .collect();
            let value = SecPkgCred_SupportedAlgs {
                cSupportedAlgs: u32::try_from(cred.supported_algs.len()).unwrap_or(u32::MAX),
                palgSupportedAlgs: memory::copy_aligned(&bytes).cast(),
            };
            // SAFETY: the caller passes a SecPkgCred_SupportedAlgs for this attribute.
            let written = unsafe {
                boundary::write_required(buffer.cast(), value, Status::SEC_E_INTERNAL_ERROR)
            };
            if written.is_err() {
                let _ = memory::free(value.palgSupportedAlgs.cast());
            }
            written?;
            Ok(Status::SEC_E_OK)
        }
        SECPKG_ATTR_CIPHER_STRENGTHS => {
            let value = SecPkgCred_CipherStrengths {
                dwMinimumCipherStrength: cred.strengths.0,
                dwMaximumCipherStrength: cred.strengths.1,
            };
            // SAFETY: the caller passes a SecPkgCred_CipherStrengths for this attribute.
            unsafe {
                boundary::write_required(buffer.cast(), value, Status::SEC_E_INTERNAL_ERROR)
            }?;
            Ok(Status::SEC_E_OK)
        }
        SECPKG_CRED_ATTR_NAMES => Err(Status::SEC_E_NO_CREDENTIALS),
        _ => Err(Status::SEC_E_UNSUPPORTED_FUNCTION),
    }
}

/// `QueryCredentialsAttributesW`: `SECPKG_ATTR_SUPPORTED_PROTOCOLS` (the `SP_PROT_*` bits
/// enabled for this credential), `SECPKG_ATTR_SUPPORTED_ALGS` (the `ALG_ID`s it can negotiate,
/// `palgSupportedAlgs` freed with `FreeContextBuffer`), `SECPKG_ATTR_CIPHER_STRENGTHS` (bulk
/// key sizes, see [`negotiable`]); NULL buffer → `SEC_E_INTERNAL_ERROR`;
/// `SECPKG_CRED_ATTR_NAMES` → `SEC_E_NO_CREDENTIALS`; others → `SEC_E_UNSUPPORTED_FUNCTION`
/// (contract §5.1).
///
/// # Safety
/// `phCredential` is NULL or readable; `pBuffer` is NULL or the attribute's structure.
#[no_mangle]
pub unsafe extern "C" fn QueryCredentialsAttributesW(
    phCredential: *mut SecHandle,
    ulAttribute: u32,
    pBuffer: *mut c_void,
) -> SECURITY_STATUS {
    // SAFETY: forwarded contract.
    guard("QueryCredentialsAttributesW", || unsafe {
        query_credentials(phCredential, ulAttribute, pBuffer)
    })
}

/// `QueryCredentialsAttributesA`: as [`QueryCredentialsAttributesW`] (no string attributes).
///
/// # Safety
/// As [`QueryCredentialsAttributesW`].
#[no_mangle]
pub unsafe extern "C" fn QueryCredentialsAttributesA(
    phCredential: *mut SecHandle,
    ulAttribute: u32,
    pBuffer: *mut c_void,
) -> SECURITY_STATUS {
    // SAFETY: forwarded contract.
    guard("QueryCredentialsAttributesA", || unsafe {
        query_credentials(phCredential, ulAttribute, pBuffer)
    })
}

unsafe fn set_credentials(
    h: *mut SecHandle,
    attribute: u32,
    buffer: *mut c_void,
    len: u32,
) -> FfiResult<Status> {
    // SAFETY: forwarded contract.
    let cred = unsafe { super::credential(h) }?;
    match attribute {
        OPENSCHANNEL_CRED_ATTR_ALPN_REQUIRED => {
            if len < 4 {
                return Err(Status::SEC_E_INVALID_PARAMETER);
            }
            // SAFETY: the caller passes a BOOL (32-bit) for this attribute.
            let value =
                unsafe { boundary::read(buffer.cast::<i32>(), Status::SEC_E_INVALID_PARAMETER) }?;
            if cred.server.is_none() {
                return Err(Status::SEC_E_UNSUPPORTED_FUNCTION);
            }
            cred.alpn_required.store(value != 0, Ordering::Relaxed);
            Ok(Status::SEC_E_OK)
        }
        _ => Err(Status::SEC_E_UNSUPPORTED_FUNCTION),
    }
}

/// `SetCredentialsAttributesW`: only the openschannel extension
/// `OPENSCHANNEL_CRED_ATTR_ALPN_REQUIRED` (a `BOOL`, inbound credentials: contexts accepted
/// afterwards fail with `SEC_E_APPLICATION_PROTOCOL_MISMATCH` unless the client offers one of
/// the server's ALPN protocols); other attributes → `SEC_E_UNSUPPORTED_FUNCTION`.
///
/// # Safety
/// `phCredential` is NULL or readable; `pBuffer` is the attribute's value of `cbBuffer` bytes.
#[no_mangle]
pub unsafe extern "C" fn SetCredentialsAttributesW(
    phCredential: *mut SecHandle,
    ulAttribute: u32,
    pBuffer: *mut c_void,
    cbBuffer: u32,
) -> SECURITY_STATUS {
    // SAFETY: forwarded contract.
    guard("SetCredentialsAttributesW", || unsafe {
        set_credentials(phCredential, ulAttribute, pBuffer, cbBuffer)
    })
}

/// `SetCredentialsAttributesA`: as [`SetCredentialsAttributesW`].
///
/// # Safety
/// As [`SetCredentialsAttributesW`].
#[no_mangle]
pub unsafe extern "C" fn SetCredentialsAttributesA(
    phCredential: *mut SecHandle,
    ulAttribute: u32,
    pBuffer: *mut c_void,
    cbBuffer: u32,
) -> SECURITY_STATUS {
    // SAFETY: forwarded contract.
    guard("SetCredentialsAttributesA", || unsafe {
        set_credentials(phCredential, ulAttribute, pBuffer, cbBuffer)
    })
}

#[cfg(test)]
// Tests call the exports with arguments that satisfy their contracts.
#[allow(
    clippy::undocumented_unsafe_blocks,
    clippy::multiple_unsafe_ops_per_block
)]
mod crypto_tests;

#[cfg(test)]
// Tests call the exports with arguments that satisfy their contracts.
#[allow(
    clippy::undocumented_unsafe_blocks,
    clippy::multiple_unsafe_ops_per_block
)]
mod tests {
    use super::*;

    #[test]
    fn protocol_table() {
        use ProtocolRequest::*;
        let mismatch = Err(Status::SEC_E_ALGORITHM_MISMATCH);
        assert_eq!(protocols_for(Enabled(0), Role::Client), Ok(Protocols::ALL));
        // SCHANNEL_CRED without the openschannel opt-in stops at TLS 1.2, as on Windows.
        assert_eq!(
            protocols_for(Legacy(0), Role::Server),
            Ok(Protocols::TLS12_ONLY)
        );
        assert_eq!(
            protocols_for(
                Legacy(SP_PROT_TLS1_2_CLIENT | SP_PROT_TLS1_3_CLIENT),
                Role::Client
            ),
            Ok(Protocols::TLS12_ONLY)
        );
        assert_eq!(
            protocols_for(Legacy(SP_PROT_TLS1_3_CLIENT), Role::Client),
            mismatch
        );
        assert_eq!(
            protocols_for(Legacy(SP_PROT_TLS1_2_SERVER), Role::Client),
            mismatch
        );
        assert_eq!(
            protocols_for(Enabled(SP_PROT_TLS1_2_CLIENT), Role::Client),
            Ok(Protocols::TLS12_ONLY)
        );
        // Server bits only on an outbound credential, and vice versa.
        assert_eq!(
            protocols_for(Enabled(SP_PROT_TLS1_2_SERVER), Role::Client),
            mismatch
        );
        assert_eq!(
            protocols_for(Enabled(SP_PROT_TLS1_2_CLIENT), Role::Server),
            mismatch
        );
        // TLS mixed with DTLS; old protocols only.
        assert_eq!(
            protocols_for(Enabled(SP_PROT_TLS1_2_CLIENT | 0x20000), Role::Client),
            mismatch
        );
        assert_eq!(protocols_for(Enabled(0x80 | 0x200), Role::Client), mismatch);
        assert_eq!(
            protocols_for(Enabled(SP_PROT_ALL), Role::Server),
            Ok(Protocols::ALL)
        );
        // SCH_CREDENTIALS: disabled masks.
        assert_eq!(protocols_for(Disabled(0), Role::Server), Ok(Protocols::ALL));
        assert_eq!(
            protocols_for(Disabled(SP_PROT_TLS1_3_CLIENT), Role::Client),
            Ok(Protocols::TLS12_ONLY)
        );
        assert_eq!(
            protocols_for(Disabled(!SP_PROT_TLS1_3_SERVER), Role::Server),
            Ok(Protocols::TLS13_ONLY)
        );
        assert_eq!(protocols_for(Disabled(SP_PROT_ALL), Role::Client), mismatch);
    }

    fn ach(package: &str, use_: u32, auth: *mut c_void) -> (i32, SecHandle) {
        let name = c_char::encode(package);
        let mut h = SecHandle::default();
        // SAFETY: valid NUL-terminated name, valid out-pointer, auth per the test.
        let s = unsafe {
            AcquireCredentialsHandleA(
                std::ptr::null_mut(),
                name.as_ptr().cast_mut(),
                use_,
                std::ptr::null_mut(),
                auth,
                None,
                std::ptr::null_mut(),
                &mut h,
                std::ptr::null_mut(),
            )
        };
        (s, h)
    }

    fn schannel_cred(version: u32, protocols: u32) -> SCHANNEL_CRED {
        SCHANNEL_CRED {
            dwVersion: version,
            cCreds: 0,
            paCred: std::ptr::null(),
            hRootStore: std::ptr::null_mut(),
            cMappers: 0,
            aphMappers: std::ptr::null_mut(),
            cSupportedAlgs: 0,
            palgSupportedAlgs: std::ptr::null_mut(),
            grbitEnabledProtocols: protocols,
            dwMinimumCipherStrength: 0,
            dwMaximumCipherStrength: 0,
            dwSessionLifespan: 0,
            dwFlags: SCH_CRED_MANUAL_CRED_VALIDATION,
            dwCredFormat: 0,
        }
    }

    #[test]
    fn ach_table() {
        let unisp = PACKAGE_NAMES[0];
        assert_eq!(
            ach("Kerberos", 2, std::ptr::null_mut()).0,
            Status::SEC_E_SECPKG_NOT_FOUND.raw()
        );
        for use_ in [0, 1, 3] {
            assert_eq!(
                ach(unisp, use_, std::ptr::null_mut()).0,
                Status::SEC_E_NO_CREDENTIALS.raw()
            );
        }
        for version in [0, 1, 2, 3] {
            let mut c = schannel_cred(version, 0);
            assert_eq!(
                ach(unisp, 2, (&mut c as *mut SCHANNEL_CRED).cast()).0,
                Status::SEC_E_UNKNOWN_CREDENTIALS.raw()
            );
        }
        for use_ in [1, 2] {
            let mut c = schannel_cred(4, 0);
            let (s, mut h) = ach("schannel", use_, (&mut c as *mut SCHANNEL_CRED).cast());
            assert_eq!(s, 0, "version 4 without certificates, use {use_}");
            // SAFETY: a live handle.
            assert_eq!(unsafe { FreeCredentialsHandle(&mut h) }, 0);
            // SAFETY: a freed handle is rejected, not dereferenced.
            assert_eq!(
                unsafe { FreeCredentialsHandle(&mut h) },
                Status::SEC_E_INVALID_HANDLE.raw()
            );
        }
        let mut c = schannel_cred(4, SP_PROT_TLS1_2_SERVER);
        assert_eq!(
            ach(unisp, 2, (&mut c as *mut SCHANNEL_CRED).cast()).0,
            Status::SEC_E_ALGORITHM_MISMATCH.raw()
        );
        let bogus = 0x1234usize as PCCERT_CONTEXT;
        let mut c = schannel_cred(4, 0);
        c.cCreds = 1;
        c.paCred = &bogus;
        assert_eq!(
            ach(unisp, 1, (&mut c as *mut SCHANNEL_CRED).cast()).0,
            Status::SEC_E_UNKNOWN_CREDENTIALS.raw()
        );
        c.cCreds = 2;
        assert_eq!(
            ach(unisp, 1, (&mut c as *mut SCHANNEL_CRED).cast()).0,
            Status::SEC_E_UNKNOWN_CREDENTIALS.raw()
        );
    }

    #[test]
    fn negotiable_algorithms_follow_the_suites_left() {
        let (algs, strengths) = negotiable(&Algorithms::default(), Protocols::ALL);
        assert_eq!(
            algs,
            [
                CALG_AES_256,
                CALG_AES_128,
                CALG_SHA_384,
                CALG_SHA_256,
                CALG_ECDH_EPHEM,
                CALG_RSA_SIGN,
                CALG_ECDSA
            ]
        );
        assert_eq!(strengths, (128, 256));
        // Only ChaCha20 left: no cipher ALG_ID exists for it, 256-bit keys.
        let chacha = Algorithms {
            suites: CipherSuite::all()
                .filter(|s| s.bulk() == Some(BulkCipher::ChaCha20Poly1305))
                .collect(),
            groups: DEFAULT_GROUPS.to_vec(),
        };
        let (algs, strengths) = negotiable(&chacha, Protocols::ALL);
        assert!(!algs.contains(&CALG_AES_128) && !algs.contains(&CALG_AES_256));
        assert_eq!(strengths, (256, 256));
        // Nothing left for the protocols: no strengths.
        let none = Algorithms {
            suites: Vec::new(),
            groups: Vec::new(),
        };
        assert_eq!(negotiable(&none, Protocols::ALL).1, (0, 0));
    }

    #[test]
    fn session_lifespans_follow_schannel() {
        assert_eq!(session_lifetime(0), None);
        assert_eq!(session_lifetime(u32::MAX), Some(Duration::ZERO));
        assert_eq!(session_lifetime(1500), Some(Duration::from_millis(1500)));
    }

    #[test]
    fn query_supported_protocols() {
        let mut c = schannel_cred(4, SP_PROT_TLS1_2_CLIENT);
        let (s, mut h) = ach(PACKAGE_NAMES[1], 2, (&mut c as *mut SCHANNEL_CRED).cast());
        assert_eq!(s, 0);
        let mut p = SecPkgCred_SupportedProtocols { grbitProtocol: 0 };
        // SAFETY: live handle and a correctly typed buffer.
        let s = unsafe {
            QueryCredentialsAttributesA(
                &mut h,
                SECPKG_ATTR_SUPPORTED_PROTOCOLS,
                (&mut p as *mut SecPkgCred_SupportedProtocols).cast(),
            )
        };
        assert_eq!((s, p.grbitProtocol), (0, SP_PROT_TLS1_2_CLIENT));
        // SAFETY: NULL buffer is rejected before use.
        let s = unsafe {
            QueryCredentialsAttributesA(
                &mut h,
                SECPKG_ATTR_SUPPORTED_PROTOCOLS,
                std::ptr::null_mut(),
            )
        };
        assert_eq!(s, Status::SEC_E_INTERNAL_ERROR.raw());
        // SAFETY: as above.
        let s = unsafe {
            QueryCredentialsAttributesA(
                &mut h,
                SECPKG_CRED_ATTR_NAMES,
                (&mut p as *mut SecPkgCred_SupportedProtocols).cast(),
            )
        };
        assert_eq!(s, Status::SEC_E_NO_CREDENTIALS.raw());
        // SAFETY: live handle.
        assert_eq!(unsafe { FreeCredentialsHandle(&mut h) }, 0);
    }
}
