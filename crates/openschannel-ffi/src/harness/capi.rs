//! A client/server pair driven only through the exported SSPI functions, the way a C program
//! drives Schannel: credentials from `SCH_CREDENTIALS` (protocols through
//! `grbitDisabledProtocols`, the cipher suite and groups through `CRYPTO_SETTINGS` disables,
//! the server certificate trusted through an `hRootStore` memory store), the ISC/ASC token
//! loop in memory, `EncryptMessage` / `DecryptMessage` in place, and the shutdown procedure.
//!
//! Written for speed: after [`CapiPair::connect`], [`CapiPair::encrypt_into`],
//! [`CapiPair::encrypt`] (once `wire` has the capacity) and [`CapiPair::decrypt`] allocate
//! nothing on this side — the `SecBuffer` arrays live on the stack. Unexpected statuses panic
//! with their names (this is a benchmark driver; nothing here is called from C).

use std::ffi::c_char;
use std::ops::Range;

use openschannel_core::Status;

use crate::crypt32::exports::{
    CertAddCertificateContextToStore, CertCloseStore, CertFreeCertificateContext, CertOpenStore,
};
use crate::exports::context::{
    AcceptSecurityContext, ApplyControlToken, DeleteSecurityContext, InitializeSecurityContextW,
};
use crate::exports::credentials::{AcquireCredentialsHandleW, FreeCredentialsHandle};
use crate::exports::extensions::OpenSchannelCertContextFromPem;
use crate::exports::messages::{DecryptMessage, EncryptMessage};
use crate::exports::packages::FreeContextBuffer;
use crate::exports::query::QueryContextAttributesW;
use crate::types::*;

const ISC_REQ_REPLAY_DETECT: u32 = 0x4;
const ISC_REQ_SEQUENCE_DETECT: u32 = 0x8;
const ISC_REQ_CONFIDENTIALITY: u32 = 0x10;
const ISC_REQ_STREAM: u32 = 0x8000;
const ASC_REQ_REPLAY_DETECT: u32 = 0x4;
const ASC_REQ_SEQUENCE_DETECT: u32 = 0x8;
const ASC_REQ_CONFIDENTIALITY: u32 = 0x10;
const ASC_REQ_STREAM: u32 = 0x10000;

/// The client's `fContextReq`.
const ISC_FLAGS: u32 = ISC_REQ_SEQUENCE_DETECT
    | ISC_REQ_REPLAY_DETECT
    | ISC_REQ_CONFIDENTIALITY
    | ISC_REQ_ALLOCATE_MEMORY
    | ISC_REQ_STREAM;
/// The server's `fContextReq` (the `ASC_REQ_*` equivalents).
const ASC_FLAGS: u32 = ASC_REQ_SEQUENCE_DETECT
    | ASC_REQ_REPLAY_DETECT
    | ASC_REQ_CONFIDENTIALITY
    | ASC_REQ_ALLOCATE_MEMORY
    | ASC_REQ_STREAM;

/// `CERT_STORE_PROV_MEMORY` (an integer passed as the provider "string").
const CERT_STORE_PROV_MEMORY: usize = 2;
/// `CERT_STORE_ADD_ALWAYS`.
const CERT_STORE_ADD_ALWAYS: u32 = 4;
/// `SecPkgContext_SessionInfo.dwFlags`: the session was resumed.
const SSL_SESSION_RECONNECT: u32 = 1;

const OK: i32 = Status::SEC_E_OK.raw();
const CONTINUE: i32 = Status::SEC_I_CONTINUE_NEEDED.raw();
const RENEGOTIATE: i32 = Status::SEC_I_RENEGOTIATE.raw();
const EXPIRED: i32 = Status::SEC_I_CONTEXT_EXPIRED.raw();

/// The symbolic name of a raw status (for messages).
fn name(s: i32) -> &'static str {
    Status::from_raw(s).name()
}

/// A NUL-terminated UTF-16 copy of an ASCII string, at compile time.
const fn wide<const N: usize>(s: &str) -> [u16; N] {
    let bytes = s.as_bytes();
    let mut out = [0u16; N];
    let mut i = 0;
    while i < bytes.len() && i + 1 < N {
        out[i] = bytes[i] as u16;
        i += 1;
    }
    out
}

/// `UNISP_NAME_W`.
const PACKAGE: [u16; 45] = wide("Microsoft Unified Security Protocol Provider");
/// The target name the client checks the certificate against.
const TARGET: [u16; 10] = wide("localhost");

/// What a pair is set up for.
#[derive(Clone, Copy, Debug)]
pub struct CapiSetup<'a> {
    /// TLS 1.3 only (`true`) or TLS 1.2 only: the other version's `SP_PROT_*` bits are in
    /// `grbitDisabledProtocols` (`!enabled`, as callers write it).
    pub tls13: bool,
    /// The IANA number of the one cipher suite both sides may use (0x1301–0x1303 with TLS
    /// 1.3; 0xC02B/0xC02C/0xCCA9 or 0xC02F/0xC030/0xCCA8 with TLS 1.2, following the key),
    /// realised through `CRYPTO_SETTINGS` disables of the other AEADs on both sides.
    pub cipher_suite: u16,
    /// X25519 alone: `"ECDH_P256"`, `"ECDH_P384"`, `"ECDH_P521"` and `"ML-KEM"` are disabled
    /// through `CRYPTO_SETTINGS` on both sides.
    pub x25519_only: bool,
    /// The server certificate (PEM) for `localhost`, also the client's only trust anchor.
    pub cert_pem: &'a str,
    /// Its private key (PKCS#8 PEM).
    pub key_pem: &'a str,
    /// `true`: default session caching on both sides, so every connect after the first
    /// resumes. `false`: `SCH_CRED_DISABLE_RECONNECTS` on the server (no session cache, no
    /// tickets) and `dwSessionLifespan = 0xFFFFFFFF` on the client (no client cache), so every
    /// handshake is a full one.
    pub resumption: bool,
}

/// One `CRYPTO_SETTINGS` disable: usage, CNG name, whether the GCM chaining mode is listed,
/// min bits, max bits.
type Disable = (i32, &'static str, bool, u32, u32);

/// The `CRYPTO_SETTINGS` disables realising `setup`.
fn disables(setup: &CapiSetup<'_>) -> Result<Vec<Disable>, String> {
    let cipher = TlsParametersCngAlgUsageCipher;
    let chacha = (cipher, "CHACHA20_POLY1305", false, 0, 0);
    let tls13_suite = setup.cipher_suite >> 8 == 0x13;
    if tls13_suite != setup.tls13 {
        return Err(format!(
            "cipher suite {:#06x} does not belong to TLS {}",
            setup.cipher_suite,
            if setup.tls13 { "1.3" } else { "1.2" }
        ));
    }
    let mut v = match setup.cipher_suite {
        0x1301 | 0xC02B | 0xC02F => vec![(cipher, "AES", true, 256, 256), chacha],
        0x1302 | 0xC02C | 0xC030 => vec![(cipher, "AES", true, 128, 128), chacha],
        0x1303 | 0xCCA9 | 0xCCA8 => vec![(cipher, "AES", false, 0, 0)],
        other => return Err(format!("cipher suite {other:#06x} is not supported")),
    };
    if setup.x25519_only {
        let kx = TlsParametersCngAlgUsageKeyExchange;
        for group in ["ECDH_P256", "ECDH_P384", "ECDH_P521", "ML-KEM"] {
            v.push((kx, group, false, 0, 0));
        }
    }
    Ok(v)
}

fn ustr(units: &mut [u16]) -> UNICODE_STRING {
    let bytes = u16::try_from(units.len() * 2).unwrap_or(u16::MAX);
    UNICODE_STRING {
        Length: bytes,
        MaximumLength: bytes,
        Buffer: units.as_mut_ptr(),
    }
}

/// `AcquireCredentialsHandleW` with a `SCH_CREDENTIALS` for one side of `setup`.
fn acquire(
    setup: &CapiSetup<'_>,
    server: bool,
    cert: PCCERT_CONTEXT,
    root_store: HCERTSTORE,
) -> Result<SecHandle, String> {
    let specs = disables(setup)?;
    // Everything the structures point to lives in these locals until ACH returns.
    let mut names: Vec<Vec<u16>> = specs.iter().map(|s| s.1.encode_utf16().collect()).collect();
    let mut gcm: Vec<u16> = "ChainingModeGCM".encode_utf16().collect();
    let mut gcm_modes = vec![ustr(&mut gcm)];
    let modes = gcm_modes.as_mut_ptr();
    let mut settings: Vec<CRYPTO_SETTINGS> = specs
        .iter()
        .zip(names.iter_mut())
        .map(|(s, name)| CRYPTO_SETTINGS {
            eAlgorithmUsage: s.0,
            strCngAlgId: ustr(name),
            cChainingModes: u32::from(s.2),
            rgstrChainingModes: if s.2 { modes } else { std::ptr::null_mut() },
            dwMinBitLength: s.3,
            dwMaxBitLength: s.4,
        })
        .collect();
    let enabled = match (setup.tls13, server) {
        (true, true) => SP_PROT_TLS1_3_SERVER,
        (true, false) => SP_PROT_TLS1_3_CLIENT,
        (false, true) => SP_PROT_TLS1_2_SERVER,
        (false, false) => SP_PROT_TLS1_2_CLIENT,
    };
    let mut params = TLS_PARAMETERS {
        cAlpnIds: 0,
        rgstrAlpnIds: std::ptr::null_mut(),
        grbitDisabledProtocols: !enabled,
        cDisabledCrypto: u32::try_from(settings.len()).unwrap_or(u32::MAX),
        pDisabledCrypto: settings.as_mut_ptr(),
        dwFlags: 0,
    };
    let certs = [cert];
    let mut cred = SCH_CREDENTIALS {
        dwVersion: SCH_CREDENTIALS_VERSION,
        dwCredFormat: SCH_CRED_FORMAT_CERT_CONTEXT,
        cCreds: u32::from(server),
        paCred: if server {
            certs.as_ptr()
        } else {
            std::ptr::null()
        },
        hRootStore: if server {
            std::ptr::null_mut()
        } else {
            root_store
        },
        cMappers: 0,
        aphMappers: std::ptr::null_mut(),
        dwSessionLifespan: if server || setup.resumption {
            0
        } else {
            u32::MAX
        },
        dwFlags: if server && !setup.resumption {
            SCH_CRED_DISABLE_RECONNECTS
        } else {
            0
        },
        cTlsParameters: 1,
        pTlsParameters: &mut params,
    };
    let mut package = PACKAGE;
    let mut handle = SecHandle::default();
    let mut expiry: TimeStamp = 0;
    // SAFETY: a NUL-terminated package name, a SCH_CREDENTIALS whose every pointer refers to
    // the locals above (alive for the call), a writable handle and expiry.
    let s = unsafe {
        AcquireCredentialsHandleW(
            std::ptr::null_mut(),
            package.as_mut_ptr(),
            if server {
                SECPKG_CRED_INBOUND
            } else {
                SECPKG_CRED_OUTBOUND
            },
            std::ptr::null_mut(),
            (&mut cred as *mut SCH_CREDENTIALS).cast(),
            None,
            std::ptr::null_mut(),
            &mut handle,
            &mut expiry,
        )
    };
    if s == OK {
        Ok(handle)
    } else {
        Err(format!(
            "AcquireCredentialsHandleW ({}): {}",
            if server { "server" } else { "client" },
            name(s)
        ))
    }
}

/// A client and a server credential handle for one [`CapiSetup`], with the certificate
/// context and the client's root store. Dropping it frees them all (`FreeCredentialsHandle`,
/// `CertFreeCertificateContext`, `CertCloseStore`); pairs already connected keep working.
pub struct CapiCredentials {
    client: Option<SecHandle>,
    server: Option<SecHandle>,
    cert: PCCERT_CONTEXT,
    root_store: HCERTSTORE,
}

impl CapiCredentials {
    /// Loads the certificate (`OpenSchannelCertContextFromPem`), puts it in a memory store
    /// (`CertOpenStore(CERT_STORE_PROV_MEMORY)` + `CertAddCertificateContextToStore`) that
    /// becomes the client's `hRootStore`, and acquires both credentials. `Err` names the call
    /// that failed and its status.
    pub fn new(setup: &CapiSetup<'_>) -> Result<Self, String> {
        let len = |s: &str| u32::try_from(s.len()).map_err(|_| "PEM too large".to_string());
        let mut cert: PCCERT_CONTEXT = std::ptr::null();
        // SAFETY: two readable PEM buffers of the given lengths and a writable out-pointer.
        let s = unsafe {
            OpenSchannelCertContextFromPem(
                setup.cert_pem.as_ptr(),
                len(setup.cert_pem)?,
                setup.key_pem.as_ptr(),
                len(setup.key_pem)?,
                &mut cert,
            )
        };
        if s != OK {
            return Err(format!("OpenSchannelCertContextFromPem: {}", name(s)));
        }
        let mut creds = Self {
            client: None,
            server: None,
            cert,
            root_store: std::ptr::null_mut(),
        };
        // SAFETY: the provider is the integer CERT_STORE_PROV_MEMORY (compared, never
        // dereferenced); the other arguments are unused by the memory provider.
        creds.root_store = unsafe {
            CertOpenStore(
                std::ptr::without_provenance::<c_char>(CERT_STORE_PROV_MEMORY),
                0,
                0,
                0,
                std::ptr::null(),
            )
        };
        if creds.root_store.is_null() {
            return Err("CertOpenStore(CERT_STORE_PROV_MEMORY) failed".into());
        }
        // SAFETY: a live store and certificate context; NULL: no context handed back.
        let added = unsafe {
            CertAddCertificateContextToStore(
                creds.root_store,
                cert,
                CERT_STORE_ADD_ALWAYS,
                std::ptr::null_mut(),
            )
        };
        if added == 0 {
            return Err("CertAddCertificateContextToStore failed".into());
        }
        creds.server = Some(acquire(setup, true, cert, creds.root_store)?);
        creds.client = Some(acquire(setup, false, cert, creds.root_store)?);
        Ok(creds)
    }
}

impl Drop for CapiCredentials {
    fn drop(&mut self) {
        for h in [self.client.take(), self.server.take()]
            .into_iter()
            .flatten()
        {
            let mut h = h;
            // SAFETY: a handle this value acquired and has not freed.
            let s = unsafe { FreeCredentialsHandle(&mut h) };
            debug_assert_eq!(s, OK, "FreeCredentialsHandle: {}", name(s));
        }
        if !self.root_store.is_null() {
            // SAFETY: the store this value opened, closed once.
            unsafe { CertCloseStore(self.root_store, 0) };
        }
        // SAFETY: the reference OpenSchannelCertContextFromPem handed out, released once.
        unsafe { CertFreeCertificateContext(self.cert) };
    }
}

/// An `EMPTY` buffer.
fn empty() -> SecBuffer {
    SecBuffer {
        cbBuffer: 0,
        BufferType: SECBUFFER_EMPTY,
        pvBuffer: std::ptr::null_mut(),
    }
}

fn len32(n: usize) -> u32 {
    u32::try_from(n).expect("buffer larger than 4 GiB")
}

/// One ISC (client) or ASC (server) call. `ctx` is `None` before the first call and set by
/// it. With `input`, `inbox` is passed as `[TOKEN, EMPTY]` and afterwards holds only the
/// `SECBUFFER_EXTRA` bytes; without, `pInput` is NULL (the client's first call, shutdown).
/// The output token (package-allocated) is appended to `outbox` and freed with
/// `FreeContextBuffer`. Returns the status.
fn token_step(
    server: bool,
    cred: SecHandle,
    ctx: &mut Option<SecHandle>,
    inbox: &mut Vec<u8>,
    outbox: &mut Vec<u8>,
    input: bool,
) -> i32 {
    let mut cred = cred;
    let mut inb = [
        SecBuffer {
            cbBuffer: len32(inbox.len()),
            BufferType: SECBUFFER_TOKEN,
            pvBuffer: inbox.as_mut_ptr().cast(),
        },
        empty(),
    ];
    let mut outb = [SecBuffer {
        cbBuffer: 0,
        BufferType: SECBUFFER_TOKEN,
        pvBuffer: std::ptr::null_mut(),
    }];
    let mut in_desc = SecBufferDesc {
        ulVersion: 0,
        cBuffers: 2,
        pBuffers: inb.as_mut_ptr(),
    };
    let mut out_desc = SecBufferDesc {
        ulVersion: 0,
        cBuffers: 1,
        pBuffers: outb.as_mut_ptr(),
    };
    let in_ptr: *mut SecBufferDesc = if input {
        &mut in_desc
    } else {
        std::ptr::null_mut()
    };
    let mut existing = ctx.unwrap_or_default();
    let ctx_ptr: *mut SecHandle = if ctx.is_some() {
        &mut existing
    } else {
        std::ptr::null_mut()
    };
    let mut new_ctx = SecHandle::default();
    let mut attrs = 0u32;
    let mut expiry: TimeStamp = 0;
    let s = if server {
        // SAFETY: live handles (or NULL for the first call), descriptors whose buffers point to
        // `inbox` and to nothing (package-allocated output), writable out-parameters.
        unsafe {
            AcceptSecurityContext(
                &mut cred,
                ctx_ptr,
                in_ptr,
                ASC_FLAGS,
                0,
                &mut new_ctx,
                &mut out_desc,
                &mut attrs,
                &mut expiry,
            )
        }
    } else {
        let mut target = TARGET;
        // SAFETY: as above, with a NUL-terminated UTF-16 target name.
        unsafe {
            InitializeSecurityContextW(
                &mut cred,
                ctx_ptr,
                target.as_mut_ptr(),
                ISC_FLAGS,
                0,
                0,
                in_ptr,
                0,
                &mut new_ctx,
                &mut out_desc,
                &mut attrs,
                &mut expiry,
            )
        }
    };
    let token = outb[0];
    if !token.pvBuffer.is_null() {
        if token.cbBuffer > 0 {
            // SAFETY: ALLOCATE_MEMORY: the package handed out `cbBuffer` readable bytes.
            let bytes = unsafe {
                std::slice::from_raw_parts(token.pvBuffer.cast::<u8>(), token.cbBuffer as usize)
            };
            outbox.extend_from_slice(bytes);
        }
        // SAFETY: a package allocation, freed once.
        let freed = unsafe { FreeContextBuffer(token.pvBuffer) };
        assert_eq!(freed, OK, "FreeContextBuffer: {}", name(freed));
    }
    if s == OK || s == CONTINUE {
        if ctx.is_none() {
            *ctx = Some(new_ctx);
        }
        if input {
            let extra = if inb[1].BufferType == SECBUFFER_EXTRA {
                (inb[1].cbBuffer as usize).min(inbox.len())
            } else {
                0
            };
            inbox.drain(..inbox.len() - extra);
        }
    }
    s
}

/// `DecryptMessage` of `data` in place with `[DATA, EMPTY, EMPTY, EMPTY]`; returns the status
/// and the rewritten buffers.
fn decrypt_raw(ctx: SecHandle, data: &mut [u8]) -> (i32, [SecBuffer; 4]) {
    let mut ctx = ctx;
    let mut bufs = [
        SecBuffer {
            cbBuffer: len32(data.len()),
            BufferType: SECBUFFER_DATA,
            pvBuffer: data.as_mut_ptr().cast(),
        },
        empty(),
        empty(),
        empty(),
    ];
    let mut desc = SecBufferDesc {
        ulVersion: 0,
        cBuffers: 4,
        pBuffers: bufs.as_mut_ptr(),
    };
    // SAFETY: a context handle value and a descriptor whose DATA buffer is `data` (writable,
    // not otherwise referenced during the call).
    let s = unsafe { DecryptMessage(&mut ctx, &mut desc, 0, std::ptr::null_mut()) };
    (s, bufs)
}

/// The length of the `SECBUFFER_EXTRA` buffer among `bufs` (0 without one).
fn extra_len(bufs: &[SecBuffer]) -> usize {
    bufs.iter()
        .find(|b| b.BufferType == SECBUFFER_EXTRA)
        .map_or(0, |b| b.cbBuffer as usize)
}

/// `ApplyControlToken(SCHANNEL_SHUTDOWN)`.
fn apply_shutdown(ctx: SecHandle) -> i32 {
    let mut ctx = ctx;
    let mut token = SCHANNEL_SHUTDOWN.to_le_bytes();
    let mut buf = [SecBuffer {
        cbBuffer: 4,
        BufferType: SECBUFFER_TOKEN,
        pvBuffer: token.as_mut_ptr().cast(),
    }];
    let mut desc = SecBufferDesc {
        ulVersion: 0,
        cBuffers: 1,
        pBuffers: buf.as_mut_ptr(),
    };
    // SAFETY: a context handle value and a one-buffer descriptor over `token`.
    unsafe { ApplyControlToken(&mut ctx, &mut desc) }
}

/// One attribute of a context (`QueryContextAttributesW`); panics unless `SEC_E_OK`.
fn query<T>(ctx: SecHandle, attribute: u32, value: &mut T) {
    let mut ctx = ctx;
    // SAFETY: a context handle value and a writable `T`, the attribute's structure.
    let s = unsafe { QueryContextAttributesW(&mut ctx, attribute, (value as *mut T).cast()) };
    assert_eq!(
        s,
        OK,
        "QueryContextAttributesW({attribute:#x}): {}",
        name(s)
    );
}

/// One context of a pair on its own (see [`CapiPair::into_sides`]); dropping it deletes the
/// context (`DeleteSecurityContext`).
pub struct CapiEnd {
    handle: SecHandle,
}

impl Drop for CapiEnd {
    fn drop(&mut self) {
        // SAFETY: a context handle this value owns, deleted once.
        unsafe { DeleteSecurityContext(&mut self.handle) };
    }
}

/// A connected client/server pair: the two context handles, the credential handles they came
/// from, and the client's stream sizes.
pub struct CapiPair {
    client: Option<SecHandle>,
    server: Option<SecHandle>,
    client_cred: SecHandle,
    server_cred: SecHandle,
    header: usize,
    trailer: usize,
    max_message: usize,
    resumed: bool,
}

impl CapiPair {
    /// Full ISC/ASC token loop in memory: the client calls `InitializeSecurityContextW`
    /// (target `"localhost"`, `ISC_REQ_SEQUENCE_DETECT | REPLAY_DETECT | CONFIDENTIALITY |
    /// ALLOCATE_MEMORY | STREAM`), the server `AcceptSecurityContext` with the `ASC_REQ_*`
    /// equivalents, input `[TOKEN, EMPTY]` (EXTRA bytes kept for the next call), output tokens
    /// freed with `FreeContextBuffer`, until both return `SEC_E_OK`. Then the client reads
    /// what the server still sent (TLS 1.3 NewSessionTicket records): `DecryptMessage` →
    /// `SEC_I_RENEGOTIATE` → ISC with the EXTRA bytes as input, until nothing is left. The
    /// client validates the server's certificate against the credential's root store.
    pub fn connect(creds: &CapiCredentials) -> Result<Self, String> {
        let (Some(client_cred), Some(server_cred)) = (creds.client, creds.server) else {
            return Err("credentials not acquired".into());
        };
        let mut pair = Self {
            client: None,
            server: None,
            client_cred,
            server_cred,
            header: 0,
            trailer: 0,
            max_message: 0,
            resumed: false,
        };
        let mut to_server = Vec::with_capacity(4096);
        let mut to_client = Vec::with_capacity(8192);
        let s = token_step(
            false,
            client_cred,
            &mut pair.client,
            &mut to_client,
            &mut to_server,
            false,
        );
        if s != CONTINUE {
            return Err(format!("first InitializeSecurityContextW: {}", name(s)));
        }
        let (mut client_done, mut server_done) = (false, false);
        for _ in 0..32 {
            if !server_done && !to_server.is_empty() {
                let s = token_step(
                    true,
                    server_cred,
                    &mut pair.server,
                    &mut to_server,
                    &mut to_client,
                    true,
                );
                match s {
                    OK => server_done = true,
                    CONTINUE => {}
                    _ => return Err(format!("AcceptSecurityContext: {}", name(s))),
                }
            }
            if !client_done && !to_client.is_empty() {
                let s = token_step(
                    false,
                    client_cred,
                    &mut pair.client,
                    &mut to_client,
                    &mut to_server,
                    true,
                );
                match s {
                    OK => client_done = true,
                    CONTINUE => {}
                    _ => return Err(format!("InitializeSecurityContextW: {}", name(s))),
                }
            }
            if client_done && server_done {
                break;
            }
            let client_waits = client_done || to_client.is_empty();
            let server_waits = server_done || to_server.is_empty();
            if client_waits && server_waits {
                return Err("the handshake stalled".into());
            }
        }
        if !(client_done && server_done) {
            return Err("the handshake did not finish".into());
        }
        pair.client_reads_post_handshake(&mut to_client, &mut to_server)?;
        if !to_server.is_empty() {
            return Err(format!(
                "{} bytes for the server left after the handshake",
                to_server.len()
            ));
        }
        let client = pair.client.expect("client context");
        let mut sizes = SecPkgContext_StreamSizes {
            cbHeader: 0,
            cbTrailer: 0,
            cbMaximumMessage: 0,
            cBuffers: 0,
            cbBlockSize: 0,
        };
        query(client, SECPKG_ATTR_STREAM_SIZES, &mut sizes);
        pair.header = sizes.cbHeader as usize;
        pair.trailer = sizes.cbTrailer as usize;
        pair.max_message = sizes.cbMaximumMessage as usize;
        let mut session = SecPkgContext_SessionInfo {
            dwFlags: 0,
            cbSessionId: 0,
            rgbSessionId: [0; 32],
        };
        query(client, SECPKG_ATTR_SESSION_INFO, &mut session);
        pair.resumed = session.dwFlags & SSL_SESSION_RECONNECT != 0;
        Ok(pair)
    }

    /// The client decrypts the records the server sent after the handshake, servicing each
    /// `SEC_I_RENEGOTIATE` with an ISC call on the EXTRA bytes.
    fn client_reads_post_handshake(
        &mut self,
        to_client: &mut Vec<u8>,
        to_server: &mut Vec<u8>,
    ) -> Result<(), String> {
        let client = self.client.expect("client context");
        for _ in 0..16 {
            if to_client.is_empty() {
                return Ok(());
            }
            let (s, bufs) = decrypt_raw(client, to_client);
            let extra = extra_len(&bufs).min(to_client.len());
            match s {
                RENEGOTIATE => {
                    to_client.drain(..to_client.len() - extra);
                    let s = token_step(
                        false,
                        self.client_cred,
                        &mut self.client,
                        to_client,
                        to_server,
                        true,
                    );
                    if s != OK {
                        return Err(format!(
                            "InitializeSecurityContextW after SEC_I_RENEGOTIATE: {}",
                            name(s)
                        ));
                    }
                }
                OK if bufs[1].cbBuffer == 0 => {
                    to_client.drain(..to_client.len() - extra);
                }
                _ => {
                    return Err(format!(
                        "client DecryptMessage after the handshake: {}",
                        name(s)
                    ))
                }
            }
        }
        Err("too many post-handshake records".into())
    }

    /// Whether this connection resumed a session (`SECPKG_ATTR_SESSION_INFO.dwFlags &
    /// SSL_SESSION_RECONNECT` on the client).
    pub fn resumed(&self) -> bool {
        self.resumed
    }

    /// `SecPkgContext_StreamSizes.cbHeader` (the bytes before the plaintext in a record).
    pub fn header_len(&self) -> usize {
        self.header
    }

    /// `SecPkgContext_StreamSizes.cbTrailer` (the most bytes after the plaintext).
    pub fn trailer_len(&self) -> usize {
        self.trailer
    }

    /// `SecPkgContext_StreamSizes.cbMaximumMessage` (the largest plaintext of one record).
    pub fn max_message(&self) -> usize {
        self.max_message
    }

    /// The negotiated cipher suite (`SECPKG_ATTR_CIPHER_INFO.dwCipherSuite`, client side).
    pub fn cipher_suite(&self) -> u16 {
        self.cipher_info().0
    }

    /// The negotiated key-exchange group's IANA number (`SECPKG_ATTR_CIPHER_INFO.dwKeyType`,
    /// client side).
    pub fn key_exchange_group(&self) -> u16 {
        self.cipher_info().1
    }

    fn cipher_info(&self) -> (u16, u16) {
        // SAFETY: `SecPkgContext_CipherInfo` is plain data (integers and UTF-16 arrays), for
        // which all-zero bytes are a valid value.
        let mut info: SecPkgContext_CipherInfo = unsafe { std::mem::zeroed() };
        query(
            self.client.expect("client context"),
            SECPKG_ATTR_CIPHER_INFO,
            &mut info,
        );
        let id = |v: u32| u16::try_from(v).unwrap_or(u16::MAX);
        (id(info.dwCipherSuite), id(info.dwKeyType))
    }

    /// Client `EncryptMessage` of `plain` (at most [`max_message`](Self::max_message) bytes)
    /// as one record at the start of `out`, which must hold `header_len + plain.len() +
    /// trailer_len` bytes: `plain` is copied into the data region, `[STREAM_HEADER, DATA,
    /// STREAM_TRAILER, EMPTY]` point into `out`, and the record's length (header + data +
    /// trailer as returned) is returned. Allocates nothing on this side.
    pub fn encrypt_into(&mut self, plain: &[u8], out: &mut [u8]) -> usize {
        let (h, n, t) = (self.header, plain.len(), self.trailer);
        assert!(n <= self.max_message, "{n} bytes exceed cbMaximumMessage");
        assert!(out.len() >= h + n + t, "record buffer too small");
        out[h..h + n].copy_from_slice(plain);
        let base = out.as_mut_ptr();
        let mut bufs = [
            SecBuffer {
                cbBuffer: len32(h),
                BufferType: SECBUFFER_STREAM_HEADER,
                pvBuffer: base.cast(),
            },
            SecBuffer {
                cbBuffer: len32(n),
                BufferType: SECBUFFER_DATA,
                pvBuffer: base.wrapping_add(h).cast(),
            },
            SecBuffer {
                cbBuffer: len32(t),
                BufferType: SECBUFFER_STREAM_TRAILER,
                pvBuffer: base.wrapping_add(h + n).cast(),
            },
            empty(),
        ];
        let mut desc = SecBufferDesc {
            ulVersion: 0,
            cBuffers: 4,
            pBuffers: bufs.as_mut_ptr(),
        };
        let mut ctx = self.client.expect("client context");
        // SAFETY: a live context and a descriptor whose three regions lie inside `out`
        // (checked above), which nothing else references during the call.
        let s = unsafe { EncryptMessage(&mut ctx, 0, &mut desc, 0) };
        assert_eq!(s, OK, "EncryptMessage: {}", name(s));
        (bufs[0].cbBuffer + bufs[1].cbBuffer + bufs[2].cbBuffer) as usize
    }

    /// Client `EncryptMessage` of `plain` (at most [`max_message`](Self::max_message) bytes)
    /// as one record appended to `wire`: `wire` grows by `cbHeader + len + cbTrailer`, `plain`
    /// is copied into the data region, `EncryptMessage` runs with `[STREAM_HEADER, DATA,
    /// STREAM_TRAILER, EMPTY]` pointing into `wire`, and `wire` is truncated to header + data
    /// + trailer as returned. Allocates nothing once `wire` has the capacity.
    pub fn encrypt(&mut self, plain: &[u8], wire: &mut Vec<u8>) {
        let start = wire.len();
        wire.resize(start + self.header + plain.len() + self.trailer, 0);
        let n = self.encrypt_into(plain, &mut wire[start..]);
        wire.truncate(start + n);
    }

    /// Server `DecryptMessage` of exactly one record in place (`[DATA = record, EMPTY, EMPTY,
    /// EMPTY]`); asserts `SEC_E_OK` and no EXTRA. Returns where the plaintext now is in
    /// `record`.
    pub fn decrypt_in_place(&mut self, record: &mut [u8]) -> Range<usize> {
        let base = record.as_ptr() as usize;
        let (s, bufs) = decrypt_raw(self.server.expect("server context"), record);
        assert_eq!(s, OK, "DecryptMessage: {}", name(s));
        assert_eq!(extra_len(&bufs), 0, "DecryptMessage: more than one record");
        let data = bufs[1];
        assert_eq!(data.BufferType, SECBUFFER_DATA, "DecryptMessage layout");
        if data.cbBuffer == 0 {
            return 0..0;
        }
        let start = (data.pvBuffer as usize)
            .checked_sub(base)
            .expect("plaintext inside the record");
        start..start + data.cbBuffer as usize
    }

    /// Server `DecryptMessage` of exactly one record in place (`[DATA = record, EMPTY, EMPTY,
    /// EMPTY]`); asserts `SEC_E_OK` and no EXTRA; returns the plaintext length (the plaintext
    /// is left in `record`, after the `header_len` bytes of the header).
    pub fn decrypt(&mut self, record: &mut [u8]) -> usize {
        self.decrypt_in_place(record).len()
    }

    /// The shutdown procedure on both sides: client `ApplyControlToken(SCHANNEL_SHUTDOWN)` and
    /// ISC with no input → its close_notify; server `DecryptMessage` → `SEC_I_CONTEXT_EXPIRED`;
    /// server `ApplyControlToken` + ASC → its close_notify; client `DecryptMessage` →
    /// `SEC_I_CONTEXT_EXPIRED`; `DeleteSecurityContext` on both. Panics if any status
    /// differs.
    pub fn shutdown(mut self) {
        let client = self.client.expect("client context");
        let server = self.server.expect("server context");
        let (mut to_server, mut to_client, mut nothing) = (Vec::new(), Vec::new(), Vec::new());

        let s = apply_shutdown(client);
        assert_eq!(s, OK, "client ApplyControlToken: {}", name(s));
        let s = token_step(
            false,
            self.client_cred,
            &mut self.client,
            &mut nothing,
            &mut to_server,
            false,
        );
        assert_eq!(s, OK, "client shutdown ISC: {}", name(s));
        assert!(!to_server.is_empty(), "the client sent no close_notify");
        let (s, bufs) = decrypt_raw(server, &mut to_server);
        assert_eq!(
            s,
            EXPIRED,
            "server DecryptMessage(close_notify): {}",
            name(s)
        );
        assert_eq!(extra_len(&bufs), 0, "bytes after the client's close_notify");

        let s = apply_shutdown(server);
        assert_eq!(s, OK, "server ApplyControlToken: {}", name(s));
        let s = token_step(
            true,
            self.server_cred,
            &mut self.server,
            &mut nothing,
            &mut to_client,
            false,
        );
        assert_eq!(s, OK, "server shutdown ASC: {}", name(s));
        assert!(!to_client.is_empty(), "the server sent no close_notify");
        let (s, bufs) = decrypt_raw(client, &mut to_client);
        assert_eq!(
            s,
            EXPIRED,
            "client DecryptMessage(close_notify): {}",
            name(s)
        );
        assert_eq!(extra_len(&bufs), 0, "bytes after the server's close_notify");

        for h in [self.client.take(), self.server.take()]
            .into_iter()
            .flatten()
        {
            let mut h = h;
            // SAFETY: a live context handle, deleted once.
            let s = unsafe { DeleteSecurityContext(&mut h) };
            assert_eq!(s, OK, "DeleteSecurityContext: {}", name(s));
        }
    }

    /// Splits the pair into its client and its server context, each deleted when dropped
    /// (for measuring what one side holds).
    pub fn into_sides(mut self) -> (CapiEnd, CapiEnd) {
        let client = self.client.take().expect("client context");
        let server = self.server.take().expect("server context");
        (CapiEnd { handle: client }, CapiEnd { handle: server })
    }
}

impl Drop for CapiPair {
    fn drop(&mut self) {
        for h in [self.client.take(), self.server.take()]
            .into_iter()
            .flatten()
        {
            let mut h = h;
            // SAFETY: a context handle this pair owns, deleted once.
            unsafe { DeleteSecurityContext(&mut h) };
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::OnceLock;

    /// A self-signed `localhost` certificate (ECDSA P-256) and its key, as PEM.
    fn identity() -> &'static (String, String) {
        static PEM: OnceLock<(String, String)> = OnceLock::new();
        PEM.get_or_init(|| {
            let key = rcgen::KeyPair::generate().expect("key");
            let cert = rcgen::CertificateParams::new(vec!["localhost".to_string()])
                .expect("params")
                .self_signed(&key)
                .expect("certificate");
            (cert.pem(), key.serialize_pem())
        })
    }

    fn setup(tls13: bool, cipher_suite: u16, resumption: bool) -> CapiSetup<'static> {
        let (cert_pem, key_pem) = identity();
        CapiSetup {
            tls13,
            cipher_suite,
            x25519_only: true,
            cert_pem,
            key_pem,
            resumption,
        }
    }

    fn round_trips(pair: &mut CapiPair) {
        let mut wire = Vec::with_capacity(16384 + 256);
        for len in [1usize, 1024, 16384] {
            let plain: Vec<u8> = (0..len).map(|i| (i * 7 + len) as u8).collect();
            wire.clear();
            pair.encrypt(&plain, &mut wire);
            assert_eq!(wire.len(), pair.header_len() + len + pair.trailer_len());
            let range = pair.decrypt_in_place(&mut wire);
            assert_eq!(&wire[range], &plain[..], "{len} bytes");
            // The slice form, and `decrypt`'s length.
            let mut out = vec![0u8; len + 256];
            let n = pair.encrypt_into(&plain, &mut out);
            assert_eq!(pair.decrypt(&mut out[..n]), len);
            let h = pair.header_len();
            assert_eq!(&out[h..h + len], &plain[..]);
        }
    }

    #[test]
    fn every_suite_connects_round_trips_and_shuts_down() {
        let cases = [
            (true, 0x1301),
            (true, 0x1302),
            (true, 0x1303),
            (false, 0xC02B),
            (false, 0xC02C),
            (false, 0xCCA9),
        ];
        for (tls13, suite) in cases {
            let creds = CapiCredentials::new(&setup(tls13, suite, false)).expect("credentials");
            let mut pair = CapiPair::connect(&creds).expect("connect");
            assert_eq!(pair.cipher_suite(), suite);
            assert_eq!(pair.key_exchange_group(), 0x1D, "X25519");
            assert!(!pair.resumed());
            assert!(pair.max_message() >= 16384);
            round_trips(&mut pair);
            pair.shutdown();
        }
    }

    #[test]
    fn resumption_on_and_off() {
        for tls13 in [true, false] {
            let suite = if tls13 { 0x1301 } else { 0xC02B };
            let creds = CapiCredentials::new(&setup(tls13, suite, true)).expect("credentials");
            let first = CapiPair::connect(&creds).expect("first connect");
            assert!(!first.resumed(), "a first connect is a full handshake");
            first.shutdown();
            for _ in 0..2 {
                let mut again = CapiPair::connect(&creds).expect("second connect");
                assert!(again.resumed(), "TLS 1.3 = {tls13}: resumed");
                round_trips(&mut again);
                again.shutdown();
            }

            let creds = CapiCredentials::new(&setup(tls13, suite, false)).expect("credentials");
            for _ in 0..2 {
                let pair = CapiPair::connect(&creds).expect("connect");
                assert!(!pair.resumed(), "TLS 1.3 = {tls13}: full handshake");
                pair.shutdown();
            }
        }
    }

    #[test]
    fn pairs_outlive_their_credentials_and_split() {
        let creds = CapiCredentials::new(&setup(true, 0x1303, false)).expect("credentials");
        let mut pair = CapiPair::connect(&creds).expect("connect");
        drop(creds);
        round_trips(&mut pair);
        let (client, server) = pair.into_sides();
        drop(server);
        drop(client);
    }

    #[test]
    fn bad_setups_are_errors() {
        let err = CapiCredentials::new(&setup(true, 0xC02B, false)).err();
        assert!(err.is_some_and(|e| e.contains("TLS 1.3")));
        let err = CapiCredentials::new(&setup(false, 0x0035, false)).err();
        assert!(err.is_some_and(|e| e.contains("not supported")));
        let mut s = setup(true, 0x1301, false);
        s.key_pem = "not a key";
        let err = CapiCredentials::new(&s).err();
        assert!(err.is_some_and(|e| e.starts_with("OpenSchannelCertContextFromPem")));
    }
}
