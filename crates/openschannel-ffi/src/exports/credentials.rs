//! `AcquireCredentialsHandleA/W`, `FreeCredentialsHandle`, `QueryCredentialsAttributesA/W`
//! (contract §1.4–§1.7, §5.1).

use std::ffi::{c_char, c_void};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use openschannel_core::{Certificate, Credentials, Protocols, Role, ServerValidation, Status};

use super::{read_handle, Object, HANDLES};
use crate::boundary::{self, guard, FfiResult};
use crate::crypt32;
use crate::handles::Kind;
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
    /// `SCHANNEL_CRED.grbitEnabledProtocols` (0 = defaults).
    Enabled(u32),
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
}

impl Default for CredSpec {
    fn default() -> Self {
        Self {
            certs: Vec::new(),
            root_store: std::ptr::null_mut(),
            flags: 0,
            lifespan: 0,
            protocols: ProtocolRequest::Enabled(0),
        }
    }
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
            Ok(CredSpec {
                // SAFETY: paCred holds cCreds pointers per the structure's contract.
                certs: unsafe { read_certs(c.paCred, c.cCreds, c.dwCredFormat) }?,
                root_store: c.hRootStore,
                flags: c.dwFlags,
                lifespan: c.dwSessionLifespan,
                protocols: ProtocolRequest::Enabled(c.grbitEnabledProtocols),
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
            if c.cTlsParameters > 16
                || (c.cTlsParameters > 0 && !boundary::usable(c.pTlsParameters))
            {
                return Err(Status::SEC_E_UNKNOWN_CREDENTIALS);
            }
            let mut disabled = None;
            for i in 0..c.cTlsParameters as usize {
                let p = c.pTlsParameters.wrapping_add(i);
                // SAFETY: pTlsParameters holds cTlsParameters entries (checked non-NULL/aligned).
                let tp = unsafe { p.read() };
                if tp.cAlpnIds == 0 {
                    if disabled.is_some() {
                        // At most one entry may apply to all ALPN IDs.
                        return Err(Status::SEC_E_UNKNOWN_CREDENTIALS);
                    }
                    disabled = Some(tp.grbitDisabledProtocols);
                }
            }
            Ok(CredSpec {
                // SAFETY: paCred holds cCreds pointers per the structure's contract.
                certs: unsafe { read_certs(c.paCred, c.cCreds, c.dwCredFormat) }?,
                root_store: c.hRootStore,
                flags: c.dwFlags,
                lifespan: c.dwSessionLifespan,
                protocols: ProtocolRequest::Disabled(disabled.unwrap_or(0)),
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
        entry.client = Some(b.build().map_err(|e| e.status())?);
        entry.protocol_bits |= protocol_bits(p, Role::Client);
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
                Ok(b.build().map_err(|e| e.status())?)
            }
        });
        entry.protocol_bits |= protocol_bits(p, Role::Server);
    }
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
    if !package.as_deref().is_some_and(is_our_package) {
        return Err(Status::SEC_E_SECPKG_NOT_FOUND);
    }
    if !boundary::usable(out) {
        return Err(Status::SEC_E_INVALID_PARAMETER);
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
    let handle = HANDLES.insert(Kind::Credential, Object::Credential(Arc::new(entry)));
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
        match HANDLES.remove(Kind::Credential, &handle) {
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
        SECPKG_CRED_ATTR_NAMES => Err(Status::SEC_E_NO_CREDENTIALS),
        _ => Err(Status::SEC_E_UNSUPPORTED_FUNCTION),
    }
}

/// `QueryCredentialsAttributesW`: `SECPKG_ATTR_SUPPORTED_PROTOCOLS` (the `SP_PROT_*` bits
/// enabled for this credential); NULL buffer → `SEC_E_INTERNAL_ERROR`; `SECPKG_CRED_ATTR_NAMES`
/// → `SEC_E_NO_CREDENTIALS`; others → `SEC_E_UNSUPPORTED_FUNCTION` (contract §5.1).
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
mod tests {
    use super::*;

    #[test]
    fn protocol_table() {
        use ProtocolRequest::*;
        let mismatch = Err(Status::SEC_E_ALGORITHM_MISMATCH);
        assert_eq!(protocols_for(Enabled(0), Role::Client), Ok(Protocols::ALL));
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
