//! The algorithm restrictions of both credential structures (`SCH_CREDENTIALS` →
//! `CRYPTO_SETTINGS`, `SCHANNEL_CRED` → `palgSupportedAlgs`), checked end to end: credentials
//! acquired through `AcquireCredentialsHandle`, a real handshake through ISC/ASC, and the
//! negotiated suite and group read back with `QueryContextAttributes(SECPKG_ATTR_CIPHER_INFO)`.

use std::ffi::{c_char, c_void};
use std::sync::OnceLock;

use openschannel_core::Status;

use super::*;
use crate::exports::context::{
    AcceptSecurityContext, DeleteSecurityContext, InitializeSecurityContextA,
};
use crate::exports::extensions::OpenSchannelCertContextFromPem;
use crate::exports::packages::FreeContextBuffer;
use crate::exports::query::QueryContextAttributesW;

const TLS13_AES_128: u32 = 0x1301;
const TLS13_AES_256: u32 = 0x1302;
const TLS13_CHACHA: u32 = 0x1303;
const ECDSA_AES_128: u32 = 0xC02B;
const ECDSA_AES_256: u32 = 0xC02C;
const ECDSA_CHACHA: u32 = 0xCCA9;
const P256: u32 = 0x17;
const P384: u32 = 0x18;
const X25519: u32 = 0x1D;

const KX: i32 = TlsParametersCngAlgUsageKeyExchange;
const CIPHER: i32 = TlsParametersCngAlgUsageCipher;

/// A server certificate context (ECDSA P-256, `localhost`), made once per process.
fn server_cert() -> PCCERT_CONTEXT {
    static CERT: OnceLock<usize> = OnceLock::new();
    *CERT.get_or_init(|| {
        let key = rcgen::KeyPair::generate().expect("key");
        let cert = rcgen::CertificateParams::new(vec!["localhost".to_string()])
            .expect("params")
            .self_signed(&key)
            .expect("certificate");
        let (cert_pem, key_pem) = (cert.pem(), key.serialize_pem());
        let mut ctx: PCCERT_CONTEXT = std::ptr::null();
        // SAFETY: two readable PEM buffers and a writable out-pointer.
        let s = unsafe {
            OpenSchannelCertContextFromPem(
                cert_pem.as_ptr(),
                cert_pem.len() as u32,
                key_pem.as_ptr(),
                key_pem.len() as u32,
                &mut ctx,
            )
        };
        assert_eq!(s, 0, "OpenSchannelCertContextFromPem");
        ctx as usize
    }) as PCCERT_CONTEXT
}

/// `CRYPTO_SETTINGS` entries and the UTF-16 strings they point to.
struct Settings {
    _names: Vec<Vec<u16>>,
    _modes: Vec<Vec<u16>>,
    _mode_arrays: Vec<Vec<UNICODE_STRING>>,
    entries: Vec<CRYPTO_SETTINGS>,
}

/// One setting: usage, algorithm, chaining modes, min and max bits.
type Spec<'a> = (i32, &'a str, &'a [&'a str], u32, u32);

fn ustr(units: &mut [u16]) -> UNICODE_STRING {
    UNICODE_STRING {
        Length: (units.len() * 2) as u16,
        MaximumLength: (units.len() * 2) as u16,
        Buffer: units.as_mut_ptr(),
    }
}

fn utf16(s: &str) -> Vec<u16> {
    s.encode_utf16().collect()
}

impl Settings {
    fn new(specs: &[Spec<'_>]) -> Self {
        let mut names: Vec<Vec<u16>> = specs.iter().map(|s| utf16(s.1)).collect();
        let mut modes: Vec<Vec<u16>> = specs
            .iter()
            .flat_map(|s| s.2.iter().map(|m| utf16(m)))
            .collect();
        let mut mode_arrays = Vec::new();
        let mut next = 0;
        for s in specs {
            let arr: Vec<UNICODE_STRING> = modes[next..next + s.2.len()]
                .iter_mut()
                .map(|m| ustr(m))
                .collect();
            next += s.2.len();
            mode_arrays.push(arr);
        }
        let entries = specs
            .iter()
            .zip(names.iter_mut())
            .zip(mode_arrays.iter_mut())
            .map(|((s, name), arr)| CRYPTO_SETTINGS {
                eAlgorithmUsage: s.0,
                strCngAlgId: ustr(name),
                cChainingModes: arr.len() as u32,
                rgstrChainingModes: if arr.is_empty() {
                    std::ptr::null_mut()
                } else {
                    arr.as_mut_ptr()
                },
                dwMinBitLength: s.3,
                dwMaxBitLength: s.4,
            })
            .collect();
        Self {
            _names: names,
            _modes: modes,
            _mode_arrays: mode_arrays,
            entries,
        }
    }
}

/// ACH (W) with a `SCH_CREDENTIALS` whose single `TLS_PARAMETERS` (all ALPN ids) enables
/// only TLS 1.3 or 1.2 and disables `entries`.
fn ach_v5(use_: u32, tls13: bool, entries: &mut [CRYPTO_SETTINGS]) -> Result<SecHandle, i32> {
    let cert = server_cert();
    let enabled = if tls13 {
        SP_PROT_TLS1_3_CLIENT | SP_PROT_TLS1_3_SERVER
    } else {
        SP_PROT_TLS1_2_CLIENT | SP_PROT_TLS1_2_SERVER
    };
    let mut tp = TLS_PARAMETERS {
        cAlpnIds: 0,
        rgstrAlpnIds: std::ptr::null_mut(),
        grbitDisabledProtocols: !enabled,
        cDisabledCrypto: entries.len() as u32,
        pDisabledCrypto: if entries.is_empty() {
            std::ptr::null_mut()
        } else {
            entries.as_mut_ptr()
        },
        dwFlags: 0,
    };
    let server = use_ == SECPKG_CRED_INBOUND;
    let mut c = sch_credentials(server.then_some(&cert), &mut tp, 1);
    ach_w(use_, (&mut c as *mut SCH_CREDENTIALS).cast())
}

fn sch_credentials(
    cert: Option<&PCCERT_CONTEXT>,
    tp: &mut TLS_PARAMETERS,
    count: u32,
) -> SCH_CREDENTIALS {
    SCH_CREDENTIALS {
        dwVersion: SCH_CREDENTIALS_VERSION,
        dwCredFormat: 0,
        cCreds: u32::from(cert.is_some()),
        paCred: cert.map_or(std::ptr::null(), |c| c as *const PCCERT_CONTEXT),
        hRootStore: std::ptr::null_mut(),
        cMappers: 0,
        aphMappers: std::ptr::null_mut(),
        dwSessionLifespan: 0,
        dwFlags: SCH_CRED_MANUAL_CRED_VALIDATION,
        cTlsParameters: count,
        pTlsParameters: tp,
    }
}

fn ach_w(use_: u32, auth: *mut c_void) -> Result<SecHandle, i32> {
    let name = u16::encode("Microsoft Unified Security Protocol Provider");
    let mut h = SecHandle::default();
    // SAFETY: valid NUL-terminated name, a credential structure, a writable handle.
    let s = unsafe {
        AcquireCredentialsHandleW(
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
    if s == 0 {
        Ok(h)
    } else {
        Err(s)
    }
}

/// ACH (A) with a `SCHANNEL_CRED` enabling only TLS 1.3 (opted in with
/// `OPENSCHANNEL_SCH_CRED_ENABLE_TLS13`) or 1.2, with `algs` as `palgSupportedAlgs`.
fn ach_v4(use_: u32, tls13: bool, algs: &mut [u32]) -> Result<SecHandle, i32> {
    let cert = server_cert();
    let server = use_ == SECPKG_CRED_INBOUND;
    let protocols = match (tls13, server) {
        (true, true) => SP_PROT_TLS1_3_SERVER,
        (true, false) => SP_PROT_TLS1_3_CLIENT,
        (false, true) => SP_PROT_TLS1_2_SERVER,
        (false, false) => SP_PROT_TLS1_2_CLIENT,
    };
    let mut c = SCHANNEL_CRED {
        dwVersion: SCHANNEL_CRED_VERSION,
        cCreds: u32::from(server),
        paCred: if server { &cert } else { std::ptr::null() },
        hRootStore: std::ptr::null_mut(),
        cMappers: 0,
        aphMappers: std::ptr::null_mut(),
        cSupportedAlgs: algs.len() as u32,
        palgSupportedAlgs: if algs.is_empty() {
            std::ptr::null_mut()
        } else {
            algs.as_mut_ptr()
        },
        grbitEnabledProtocols: protocols,
        dwMinimumCipherStrength: 0,
        dwMaximumCipherStrength: 0,
        dwSessionLifespan: 0,
        dwFlags: SCH_CRED_MANUAL_CRED_VALIDATION
            | if tls13 {
                OPENSCHANNEL_SCH_CRED_ENABLE_TLS13
            } else {
                0
            },
        dwCredFormat: 0,
    };
    let name = c_char::encode("Schannel");
    let mut h = SecHandle::default();
    // SAFETY: valid NUL-terminated name, a SCHANNEL_CRED, a writable handle.
    let s = unsafe {
        AcquireCredentialsHandleA(
            std::ptr::null_mut(),
            name.as_ptr().cast_mut(),
            use_,
            std::ptr::null_mut(),
            (&mut c as *mut SCHANNEL_CRED).cast(),
            None,
            std::ptr::null_mut(),
            &mut h,
            std::ptr::null_mut(),
        )
    };
    if s == 0 {
        Ok(h)
    } else {
        Err(s)
    }
}

/// One ISC/ASC call: input `[TOKEN(inbox), EMPTY]`, output `[TOKEN]` allocated by the package
/// and appended to `peer`; EXTRA bytes stay in `inbox`.
fn step(
    server: bool,
    cred: &mut SecHandle,
    ctx: &mut Option<SecHandle>,
    inbox: &mut Vec<u8>,
    peer: &mut Vec<u8>,
) -> i32 {
    let mut inb = [
        SecBuffer {
            cbBuffer: inbox.len() as u32,
            BufferType: SECBUFFER_TOKEN,
            pvBuffer: inbox.as_mut_ptr().cast(),
        },
        SecBuffer {
            cbBuffer: 0,
            BufferType: SECBUFFER_EMPTY,
            pvBuffer: std::ptr::null_mut(),
        },
    ];
    let mut outb = [SecBuffer {
        cbBuffer: 0,
        BufferType: SECBUFFER_TOKEN,
        pvBuffer: std::ptr::null_mut(),
    }];
    let mut ind = SecBufferDesc {
        ulVersion: 0,
        cBuffers: 2,
        pBuffers: inb.as_mut_ptr(),
    };
    let mut outd = SecBufferDesc {
        ulVersion: 0,
        cBuffers: 1,
        pBuffers: outb.as_mut_ptr(),
    };
    let first = ctx.is_none();
    let mut handle = ctx.unwrap_or_default();
    let ctx_ptr: *mut SecHandle = if first {
        std::ptr::null_mut()
    } else {
        &mut handle
    };
    let mut attrs = 0u32;
    let target = c_char::encode("localhost");
    // SAFETY: valid handles, descriptors and out-parameters for the duration of the call.
    let s = unsafe {
        if server {
            AcceptSecurityContext(
                cred,
                ctx_ptr,
                &mut ind,
                ASC_REQ_ALLOCATE_MEMORY | 0x1C,
                0,
                &mut handle,
                &mut outd,
                &mut attrs,
                std::ptr::null_mut(),
            )
        } else {
            InitializeSecurityContextA(
                cred,
                ctx_ptr,
                target.as_ptr().cast_mut(),
                ISC_REQ_ALLOCATE_MEMORY | 0x801C,
                0,
                0,
                if first {
                    std::ptr::null_mut()
                } else {
                    &mut ind
                },
                0,
                &mut handle,
                &mut outd,
                &mut attrs,
                std::ptr::null_mut(),
            )
        }
    };
    if !outb[0].pvBuffer.is_null() {
        // SAFETY: ALLOCATE_MEMORY: the package handed out cbBuffer bytes.
        let token = unsafe {
            std::slice::from_raw_parts(outb[0].pvBuffer.cast::<u8>(), outb[0].cbBuffer as usize)
        };
        peer.extend_from_slice(token);
        // SAFETY: a package allocation.
        assert_eq!(unsafe { FreeContextBuffer(outb[0].pvBuffer) }, 0);
    }
    if s == 0 || s == Status::SEC_I_CONTINUE_NEEDED.raw() {
        *ctx = Some(handle);
        // A client's first call has no input.
        let had_input = server || !first;
        let extra = if had_input && inb[1].BufferType == SECBUFFER_EXTRA {
            inb[1].cbBuffer as usize
        } else {
            0
        };
        if had_input {
            inbox.drain(..inbox.len() - extra);
        }
    }
    s
}

fn delete(ctx: Option<SecHandle>) {
    if let Some(mut h) = ctx {
        // SAFETY: a live context handle.
        assert_eq!(unsafe { DeleteSecurityContext(&mut h) }, 0);
    }
}

/// Runs a handshake between the two credentials; returns the suite and group both sides
/// report (`CIPHER_INFO.dwCipherSuite`, `dwKeyType`), or the first failing status.
fn negotiate(mut client: SecHandle, mut server: SecHandle) -> Result<(u32, u32), i32> {
    let (mut cctx, mut sctx) = (None, None);
    let (mut to_client, mut to_server) = (Vec::new(), Vec::new());
    let mut result = Err(-1);
    let (mut c_done, mut s_done) = (false, false);
    for _ in 0..16 {
        if !c_done && (cctx.is_none() || !to_client.is_empty()) {
            let s = step(
                false,
                &mut client,
                &mut cctx,
                &mut to_client,
                &mut to_server,
            );
            c_done = s == 0;
            if s != 0 && s != Status::SEC_I_CONTINUE_NEEDED.raw() {
                result = Err(s);
                break;
            }
        }
        if !s_done && !to_server.is_empty() {
            let s = step(true, &mut server, &mut sctx, &mut to_server, &mut to_client);
            s_done = s == 0;
            if s != 0 && s != Status::SEC_I_CONTINUE_NEEDED.raw() {
                result = Err(s);
                break;
            }
        }
        if c_done && s_done {
            let c = cipher_info(cctx.as_mut().expect("client context"));
            let s = cipher_info(sctx.as_mut().expect("server context"));
            assert_eq!(c, s, "both sides report the same suite and group");
            result = Ok(c);
            break;
        }
    }
    delete(cctx);
    delete(sctx);
    // SAFETY: live credential handles.
    unsafe {
        assert_eq!(FreeCredentialsHandle(&mut client), 0);
        assert_eq!(FreeCredentialsHandle(&mut server), 0);
    }
    result
}

fn cipher_info(ctx: &mut SecHandle) -> (u32, u32) {
    // SAFETY: a plain-data structure; all-zero is a valid value.
    let mut info: SecPkgContext_CipherInfo = unsafe { std::mem::zeroed() };
    // SAFETY: a live context and a correctly typed buffer.
    let s = unsafe {
        QueryContextAttributesW(
            ctx,
            SECPKG_ATTR_CIPHER_INFO,
            (&mut info as *mut SecPkgContext_CipherInfo).cast(),
        )
    };
    assert_eq!(s, 0, "QueryContextAttributes(CIPHER_INFO)");
    (info.dwCipherSuite, info.dwKeyType)
}

/// Both sides with the same `CRYPTO_SETTINGS`: the negotiated (suite, group), or the status.
fn v5(tls13: bool, specs: &[Spec<'_>]) -> Result<(u32, u32), i32> {
    let mut cs = Settings::new(specs);
    let client = ach_v5(SECPKG_CRED_OUTBOUND, tls13, &mut cs.entries)?;
    let mut ss = Settings::new(specs);
    let server = match ach_v5(SECPKG_CRED_INBOUND, tls13, &mut ss.entries) {
        Ok(h) => h,
        Err(s) => {
            let mut client = client;
            // SAFETY: a live credential handle.
            assert_eq!(unsafe { FreeCredentialsHandle(&mut client) }, 0);
            return Err(s);
        }
    };
    negotiate(client, server)
}

const MISMATCH: i32 = Status::SEC_E_ALGORITHM_MISMATCH.raw();
const UNKNOWN_CREDENTIALS: i32 = Status::SEC_E_UNKNOWN_CREDENTIALS.raw();

#[test]
fn defaults_are_unrestricted() {
    assert_eq!(v5(true, &[]), Ok((TLS13_AES_256, X25519)));
    assert_eq!(v5(false, &[]), Ok((ECDSA_AES_256, X25519)));
}

#[test]
fn aes_by_key_length_and_chaining_mode() {
    let gcm: &[&str] = &["ChainingModeGCM"];
    // min = max = 256 disables only the AES-256-GCM suites.
    assert_eq!(
        v5(true, &[(CIPHER, "AES", gcm, 256, 256)]),
        Ok((TLS13_AES_128, X25519))
    );
    assert_eq!(
        v5(false, &[(CIPHER, "AES", gcm, 256, 256)]),
        Ok((ECDSA_AES_128, X25519))
    );
    // A lower bound alone; the CNG name is matched case-insensitively.
    assert_eq!(
        v5(true, &[(CIPHER, "aes", &[], 129, 0)]),
        Ok((TLS13_AES_128, X25519))
    );
    // min = max = 128: AES-128 goes, AES-256 (preferred anyway) stays.
    assert_eq!(
        v5(
            true,
            &[
                (CIPHER, "AES", gcm, 128, 128),
                (CIPHER, "CHACHA20_POLY1305", &[], 0, 0)
            ]
        ),
        Ok((TLS13_AES_256, X25519))
    );
    // No chaining mode and no bounds: every AES suite.
    assert_eq!(
        v5(true, &[(CIPHER, "AES", &[], 0, 0)]),
        Ok((TLS13_CHACHA, X25519))
    );
    assert_eq!(
        v5(false, &[(CIPHER, "AES", &[], 0, 0)]),
        Ok((ECDSA_CHACHA, X25519))
    );
    // A chaining mode no suite uses disables nothing.
    assert_eq!(
        v5(true, &[(CIPHER, "AES", &["ChainingModeCBC"], 0, 0)]),
        Ok((TLS13_AES_256, X25519))
    );
    assert_eq!(
        v5(
            true,
            &[(CIPHER, "AES", &["ChainingModeCBC", "ChainingModeGCM"], 0, 0)]
        ),
        Ok((TLS13_CHACHA, X25519))
    );
}

#[test]
fn chacha_and_everything_disabled() {
    assert_eq!(
        v5(
            true,
            &[
                (CIPHER, "CHACHA20_POLY1305", &[], 0, 0),
                (CIPHER, "AES", &[], 256, 256)
            ]
        ),
        Ok((TLS13_AES_128, X25519))
    );
    let all: &[Spec<'_>] = &[
        (CIPHER, "CHACHA20_POLY1305", &[], 0, 0),
        (CIPHER, "AES", &["ChainingModeGCM"], 0, 0),
    ];
    assert_eq!(v5(true, all), Err(MISMATCH));
    assert_eq!(v5(false, all), Err(MISMATCH));
}

#[test]
fn key_exchange_groups() {
    // Without the hybrid (last in the provider's order) X25519 stays first.
    assert_eq!(
        v5(true, &[(KX, "ML-KEM", &[], 0, 0)]),
        Ok((TLS13_AES_256, X25519))
    );
    // curve25519 takes the hybrid with it.
    assert_eq!(
        v5(true, &[(KX, "curve25519", &[], 0, 0)]),
        Ok((TLS13_AES_256, P256))
    );
    assert_eq!(
        v5(false, &[(KX, "curve25519", &[], 0, 0)]),
        Ok((ECDSA_AES_256, P256))
    );
    let no_25519_p256: &[Spec<'_>] = &[(KX, "curve25519", &[], 0, 0), (KX, "ECDH_P256", &[], 0, 0)];
    assert_eq!(v5(true, no_25519_p256), Ok((TLS13_AES_256, P384)));
    assert_eq!(v5(false, no_25519_p256), Ok((ECDSA_AES_256, P384)));
    // P-521 is all that would be left, and the provider does not offer it.
    let only_p521: &[Spec<'_>] = &[
        (KX, "curve25519", &[], 0, 0),
        (KX, "ECDH_P256", &[], 0, 0),
        (KX, "ECDH_P384", &[], 0, 0),
    ];
    assert_eq!(v5(true, only_p521), Err(MISMATCH));
    // Disabling P-521 alone passes a restricted list that keeps the provider's order.
    assert_eq!(
        v5(true, &[(KX, "ECDH_P521", &[], 0, 0)]),
        Ok((TLS13_AES_256, X25519))
    );
    assert_eq!(
        v5(false, &[(KX, "ECDH_P521", &[], 0, 0)]),
        Ok((ECDSA_AES_256, X25519))
    );
    // "ECDH" / "ECDHE": every group, or those within the bit range.
    assert_eq!(v5(true, &[(KX, "ECDH", &[], 0, 0)]), Err(MISMATCH));
    assert_eq!(v5(false, &[(KX, "ECDHE", &[], 0, 0)]), Err(MISMATCH));
    assert_eq!(
        v5(true, &[(KX, "ECDH", &[], 0, 255)]),
        Ok((TLS13_AES_256, P256))
    );
}

#[test]
fn unknown_algorithms_and_other_usages_are_ignored() {
    let ignored: &[Spec<'_>] = &[
        (CIPHER, "RC4", &[], 0, 0),
        (CIPHER, "3DES", &["ChainingModeCBC"], 0, 0),
        (KX, "DH", &[], 0, 0),
        (KX, "RSA", &[], 0, 0),
        (TlsParametersCngAlgUsageSignature, "ECDSA", &[], 0, 0),
        (TlsParametersCngAlgUsageDigest, "SHA384", &[], 0, 0),
        (
            TlsParametersCngAlgUsageCertSig,
            "SCH_RSA_PKCS_PAD",
            &[],
            0,
            0,
        ),
        (
            TlsParametersCngAlgUsageCertSig,
            "SCH_RSA_PSS_PAD",
            &[],
            0,
            0,
        ),
        (99, "AES", &[], 0, 0),
        (CIPHER, "", &[], 0, 0),
    ];
    assert_eq!(v5(true, ignored), Ok((TLS13_AES_256, X25519)));
    assert_eq!(v5(false, ignored), Ok((ECDSA_AES_256, X25519)));
}

#[test]
fn each_side_applies_its_own_restrictions() {
    let gcm: &[&str] = &["ChainingModeGCM"];
    // Only the server refuses AES-256: the client's first choice is not taken.
    let mut none = Settings::new(&[]);
    let mut off = Settings::new(&[(CIPHER, "AES", gcm, 256, 256)]);
    let client = ach_v5(SECPKG_CRED_OUTBOUND, true, &mut none.entries).expect("client");
    let server = ach_v5(SECPKG_CRED_INBOUND, true, &mut off.entries).expect("server");
    assert_eq!(negotiate(client, server), Ok((TLS13_AES_128, X25519)));
    // Only the client refuses the hybrid and X25519.
    let mut off = Settings::new(&[(KX, "curve25519", &[], 0, 0)]);
    let client = ach_v5(SECPKG_CRED_OUTBOUND, false, &mut off.entries).expect("client");
    let server = ach_v5(SECPKG_CRED_INBOUND, false, &mut none.entries).expect("server");
    assert_eq!(negotiate(client, server), Ok((ECDSA_AES_256, P256)));
}

#[test]
fn malformed_crypto_settings_are_unknown_credentials() {
    let seventeen: Vec<Spec<'_>> = vec![(CIPHER, "RC4", &[], 0, 0); 17];
    let mut s = Settings::new(&seventeen);
    assert_eq!(
        ach_v5(SECPKG_CRED_OUTBOUND, true, &mut s.entries),
        Err(UNKNOWN_CREDENTIALS)
    );
    let sixteen: Vec<Spec<'_>> = vec![(CIPHER, "RC4", &[], 0, 0); 16];
    let mut s = Settings::new(&sixteen);
    let mut h = ach_v5(SECPKG_CRED_OUTBOUND, true, &mut s.entries).expect("16 settings");
    // SAFETY: a live credential handle.
    assert_eq!(unsafe { FreeCredentialsHandle(&mut h) }, 0);

    let modes = ["ChainingModeGCM"; 17];
    let mut s = Settings::new(&[(CIPHER, "AES", &modes, 0, 0)]);
    assert_eq!(
        ach_v5(SECPKG_CRED_OUTBOUND, true, &mut s.entries),
        Err(UNKNOWN_CREDENTIALS)
    );
    // A mode count without the array; a name length without the buffer.
    let mut s = Settings::new(&[(CIPHER, "AES", &[], 0, 0)]);
    s.entries[0].cChainingModes = 1;
    assert_eq!(
        ach_v5(SECPKG_CRED_OUTBOUND, true, &mut s.entries),
        Err(UNKNOWN_CREDENTIALS)
    );
    let mut s = Settings::new(&[(CIPHER, "AES", &[], 0, 0)]);
    s.entries[0].strCngAlgId.Buffer = std::ptr::null_mut();
    assert_eq!(
        ach_v5(SECPKG_CRED_OUTBOUND, true, &mut s.entries),
        Err(UNKNOWN_CREDENTIALS)
    );
    // A setting count without the array.
    let mut tp = TLS_PARAMETERS {
        cAlpnIds: 0,
        rgstrAlpnIds: std::ptr::null_mut(),
        grbitDisabledProtocols: 0,
        cDisabledCrypto: 1,
        pDisabledCrypto: std::ptr::null_mut(),
        dwFlags: 0,
    };
    let mut c = sch_credentials(None, &mut tp, 1);
    assert_eq!(
        ach_w(
            SECPKG_CRED_OUTBOUND,
            (&mut c as *mut SCH_CREDENTIALS).cast()
        ),
        Err(UNKNOWN_CREDENTIALS)
    );
}

#[test]
fn settings_of_alpn_specific_parameters_are_not_applied() {
    let mut off = Settings::new(&[(CIPHER, "AES", &[], 0, 0)]);
    let mut alpn = utf16("h2");
    let mut ids = [ustr(&mut alpn)];
    let mut tps = [
        TLS_PARAMETERS {
            cAlpnIds: 1,
            rgstrAlpnIds: ids.as_mut_ptr(),
            grbitDisabledProtocols: 0,
            cDisabledCrypto: 1,
            pDisabledCrypto: off.entries.as_mut_ptr(),
            dwFlags: 0,
        },
        TLS_PARAMETERS {
            cAlpnIds: 0,
            rgstrAlpnIds: std::ptr::null_mut(),
            grbitDisabledProtocols: !(SP_PROT_TLS1_3_CLIENT | SP_PROT_TLS1_3_SERVER),
            cDisabledCrypto: 0,
            pDisabledCrypto: std::ptr::null_mut(),
            dwFlags: 0,
        },
    ];
    let mut c = sch_credentials(None, &mut tps[0], 2);
    let client = ach_w(
        SECPKG_CRED_OUTBOUND,
        (&mut c as *mut SCH_CREDENTIALS).cast(),
    )
    .expect("client");
    let cert = server_cert();
    let mut c = sch_credentials(Some(&cert), &mut tps[0], 2);
    let server =
        ach_w(SECPKG_CRED_INBOUND, (&mut c as *mut SCH_CREDENTIALS).cast()).expect("server");
    assert_eq!(negotiate(client, server), Ok((TLS13_AES_256, X25519)));
}

/// Both sides with `SCHANNEL_CRED` and the same `palgSupportedAlgs`.
fn v4(tls13: bool, algs: &[u32]) -> Result<(u32, u32), i32> {
    let client = ach_v4(SECPKG_CRED_OUTBOUND, tls13, &mut algs.to_vec())?;
    let server = match ach_v4(SECPKG_CRED_INBOUND, tls13, &mut algs.to_vec()) {
        Ok(h) => h,
        Err(s) => {
            let mut client = client;
            // SAFETY: a live credential handle.
            assert_eq!(unsafe { FreeCredentialsHandle(&mut client) }, 0);
            return Err(s);
        }
    };
    negotiate(client, server)
}

#[test]
fn supported_algs_allow_list() {
    assert_eq!(v4(true, &[]), Ok((TLS13_AES_256, X25519)));
    assert_eq!(v4(true, &[CALG_AES_128]), Ok((TLS13_AES_128, X25519)));
    assert_eq!(v4(false, &[CALG_AES_128]), Ok((ECDSA_AES_128, X25519)));
    assert_eq!(
        v4(true, &[CALG_AES_256, CALG_ECDH_EPHEM, CALG_SHA_384]),
        Ok((TLS13_AES_256, X25519))
    );
    assert_eq!(
        v4(false, &[CALG_ECDH, CALG_AES_128, CALG_AES_256]),
        Ok((ECDSA_AES_256, X25519))
    );
    // Hashes, signatures and unknown values restrict nothing.
    assert_eq!(
        v4(true, &[CALG_SHA_256, CALG_ECDSA, 0x1234]),
        Ok((TLS13_AES_256, X25519))
    );
    // Only algorithms this library lacks: nothing of that class is left.
    assert_eq!(v4(true, &[0x6603 /* CALG_3DES */]), Err(MISMATCH));
    assert_eq!(
        v4(false, &[0xA400 /* CALG_RSA_KEYX */, CALG_AES_128]),
        Err(MISMATCH)
    );
}

#[test]
fn supported_algs_keep_chacha_only_without_cipher_ids() {
    // The server refuses AES; a client list without a cipher ALG_ID still offers ChaCha...
    let mut off = Settings::new(&[(CIPHER, "AES", &[], 0, 0)]);
    let server = ach_v5(SECPKG_CRED_INBOUND, true, &mut off.entries).expect("server");
    let client = ach_v4(
        SECPKG_CRED_OUTBOUND,
        true,
        &mut [CALG_ECDH_EPHEM, CALG_SHA_256],
    )
    .expect("client");
    assert_eq!(negotiate(client, server), Ok((TLS13_CHACHA, X25519)));
    // ...but CALG_AES alone leaves the client only AES: no common suite.
    let server = ach_v5(SECPKG_CRED_INBOUND, true, &mut off.entries).expect("server");
    let client = ach_v4(SECPKG_CRED_OUTBOUND, true, &mut [CALG_AES]).expect("client");
    let status = negotiate(client, server).expect_err("no common suite");
    assert!(
        status < 0,
        "the handshake fails, got {status:#x} ({:?})",
        Status::from_raw(status)
    );
}

#[test]
fn malformed_supported_algs_are_unknown_credentials() {
    let mut c = SCHANNEL_CRED {
        dwVersion: SCHANNEL_CRED_VERSION,
        cCreds: 0,
        paCred: std::ptr::null(),
        hRootStore: std::ptr::null_mut(),
        cMappers: 0,
        aphMappers: std::ptr::null_mut(),
        cSupportedAlgs: 1,
        palgSupportedAlgs: std::ptr::null_mut(),
        grbitEnabledProtocols: 0,
        dwMinimumCipherStrength: 0,
        dwMaximumCipherStrength: 0,
        dwSessionLifespan: 0,
        dwFlags: SCH_CRED_MANUAL_CRED_VALIDATION,
        dwCredFormat: 0,
    };
    assert_eq!(
        ach_w(SECPKG_CRED_OUTBOUND, (&mut c as *mut SCHANNEL_CRED).cast()),
        Err(UNKNOWN_CREDENTIALS)
    );
    let mut many = vec![CALG_AES; 257];
    c.cSupportedAlgs = 257;
    c.palgSupportedAlgs = many.as_mut_ptr();
    assert_eq!(
        ach_w(SECPKG_CRED_OUTBOUND, (&mut c as *mut SCHANNEL_CRED).cast()),
        Err(UNKNOWN_CREDENTIALS)
    );
}

#[test]
fn restriction_lists_keep_the_default_order() {
    let mut a = Algorithms::default();
    assert_eq!(a.restricted_suites(), None);
    assert_eq!(a.restricted_groups(), None);
    a.disable(&CryptoSetting {
        usage: KX,
        algorithm: "ECDH_P256".into(),
        ..CryptoSetting::default()
    });
    assert_eq!(
        a.restricted_groups(),
        Some(vec![
            KeyExchangeGroup::X25519,
            KeyExchangeGroup::SECP384R1,
            KeyExchangeGroup::X25519MLKEM768,
            KeyExchangeGroup::SECP521R1,
        ])
    );
    a.disable(&CryptoSetting {
        usage: KX,
        algorithm: "ML-KEM".into(),
        ..CryptoSetting::default()
    });
    assert_eq!(
        a.restricted_groups(),
        Some(vec![
            KeyExchangeGroup::X25519,
            KeyExchangeGroup::SECP384R1,
            KeyExchangeGroup::SECP521R1,
        ])
    );
    let mut c = Algorithms::default();
    c.disable(&CryptoSetting {
        usage: KX,
        algorithm: "curve25519".into(),
        ..CryptoSetting::default()
    });
    assert_eq!(
        c.restricted_groups(),
        Some(vec![
            KeyExchangeGroup::SECP256R1,
            KeyExchangeGroup::SECP384R1,
            KeyExchangeGroup::SECP521R1,
        ])
    );
    assert_eq!(a.restricted_suites(), None);
    let b = Algorithms::from_supported_algs(&[CALG_AES_256]);
    assert_eq!(
        b.restricted_suites(),
        Some(vec![
            CipherSuite::TLS13_AES_256_GCM_SHA384,
            CipherSuite::TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
            CipherSuite::TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,
        ])
    );
    assert_eq!(b.restricted_groups(), None);
}
