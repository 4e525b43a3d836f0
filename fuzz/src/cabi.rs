//! Driving real contexts through the exported C functions, exactly as a C caller does, for the
//! `ffi_*` targets: credentials from `OpenSchannelCertContextFromPem` + `SCHANNEL_CRED`, the
//! ISC/ASC token loop with `[TOKEN, EMPTY]` in and `[TOKEN, ALERT]` out, EncryptMessage /
//! DecryptMessage with the stream layouts, and the checks every call result must pass
//! (statuses, rewritten descriptors, package allocations).

use std::ffi::{c_char, c_void};
use std::sync::OnceLock;

use openschannel::Status;

use crate::crypt32::exports::CertFreeCertificateContext;
use crate::exports::context::{
    AcceptSecurityContext, ApplyControlToken, DeleteSecurityContext, InitializeSecurityContextA,
};
use crate::exports::credentials::{AcquireCredentialsHandleA, FreeCredentialsHandle};
use crate::exports::extensions::OpenSchannelCertContextFromPem;
use crate::exports::messages::{DecryptMessage, EncryptMessage};
use crate::exports::packages::FreeContextBuffer;
use crate::exports::query::QueryContextAttributesA;
use crate::types::*;

/// `SEC_E_OK` and friends as raw values.
pub const OK: i32 = 0;

/// The raw value of `s`.
pub fn raw(s: Status) -> i32 {
    s.raw()
}

/// Whether `r` is a status the library knows (anything else is a finding).
pub fn known(r: i32) -> bool {
    Status::ALL.iter().any(|s| s.raw() == r)
}

/// `ALPN` buffer parser of the C ABI.
pub fn parse_alpn(buf: &[u8]) -> Result<Option<Vec<Vec<u8>>>, Status> {
    openschannel_ffi::fuzzing::parse_alpn(buf)
}

/// Client and server credential handles for one protocol version, acquired once per process.
pub struct Fixture {
    pub client: SecHandle,
    pub server: SecHandle,
}

fn ach(use_: u32, cred: &SCHANNEL_CRED) -> SecHandle {
    let mut h = SecHandle::default();
    let name = b"Schannel\0";
    // SAFETY: valid NUL-terminated name, a valid SCHANNEL_CRED, a writable handle.
    let s = unsafe {
        AcquireCredentialsHandleA(
            std::ptr::null_mut(),
            name.as_ptr().cast::<c_char>().cast_mut(),
            use_,
            std::ptr::null_mut(),
            (cred as *const SCHANNEL_CRED).cast_mut().cast(),
            None,
            std::ptr::null_mut(),
            &mut h,
            std::ptr::null_mut(),
        )
    };
    assert_eq!(s, OK, "AcquireCredentialsHandle");
    h
}

fn schannel_cred(protocols: u32, flags: u32, cert: Option<&PCCERT_CONTEXT>) -> SCHANNEL_CRED {
    SCHANNEL_CRED {
        dwVersion: SCHANNEL_CRED_VERSION,
        cCreds: u32::from(cert.is_some()),
        paCred: cert.map_or(std::ptr::null(), |c| c as *const PCCERT_CONTEXT),
        hRootStore: std::ptr::null_mut(),
        cMappers: 0,
        aphMappers: std::ptr::null_mut(),
        cSupportedAlgs: 0,
        palgSupportedAlgs: std::ptr::null_mut(),
        grbitEnabledProtocols: protocols,
        dwMinimumCipherStrength: 0,
        dwMaximumCipherStrength: 0,
        // Disables the client's session cache: every pair does a full handshake.
        dwSessionLifespan: u32::MAX,
        // A SCHANNEL_CRED stops at TLS 1.2, as on Windows; the TLS 1.3 fixtures opt in.
        dwFlags: flags | OPENSCHANNEL_SCH_CRED_ENABLE_TLS13,
        dwCredFormat: 0,
    }
}

/// A self-signed `localhost` certificate and key as PEM.
pub fn pem_identity() -> &'static (String, String) {
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

fn protocol_bits(tls13: bool) -> (u32, u32) {
    if tls13 {
        (SP_PROT_TLS1_3_SERVER, SP_PROT_TLS1_3_CLIENT)
    } else {
        (SP_PROT_TLS1_2_SERVER, SP_PROT_TLS1_2_CLIENT)
    }
}

fn build(tls13: bool) -> Fixture {
    let (cert_pem, key_pem) = pem_identity();
    let mut cert: PCCERT_CONTEXT = std::ptr::null();
    // SAFETY: two readable PEM buffers and a writable out-pointer.
    let s = unsafe {
        OpenSchannelCertContextFromPem(
            cert_pem.as_ptr(),
            cert_pem.len() as u32,
            key_pem.as_ptr(),
            key_pem.len() as u32,
            &mut cert,
        )
    };
    assert_eq!(s, OK, "OpenSchannelCertContextFromPem");
    let (sp, cp) = protocol_bits(tls13);
    let server = ach(SECPKG_CRED_INBOUND, &schannel_cred(sp, 0, Some(&cert)));
    let client = ach(
        SECPKG_CRED_OUTBOUND,
        &schannel_cred(cp, SCH_CRED_MANUAL_CRED_VALIDATION, None),
    );
    // The credential holds its own reference to the certificate.
    // SAFETY: `cert` is the reference OpenSchannelCertContextFromPem returned.
    assert_eq!(unsafe { CertFreeCertificateContext(cert) }, 1);
    Fixture { client, server }
}

/// The credential handles for TLS 1.3 (`tls13`) or TLS 1.2.
pub fn fixture(tls13: bool) -> &'static Fixture {
    static T12: OnceLock<Fixture> = OnceLock::new();
    static T13: OnceLock<Fixture> = OnceLock::new();
    if tls13 {
        T13.get_or_init(|| build(true))
    } else {
        T12.get_or_init(|| build(false))
    }
}

/// A freed credential handle and a deleted context handle (made once per process).
pub fn stale() -> (SecHandle, SecHandle) {
    static STALE: OnceLock<(SecHandle, SecHandle)> = OnceLock::new();
    *STALE.get_or_init(|| {
        let (_, cp) = protocol_bits(true);
        let mut cred = ach(
            SECPKG_CRED_OUTBOUND,
            &schannel_cred(cp, SCH_CRED_MANUAL_CRED_VALIDATION, None),
        );
        // SAFETY: a live credential handle.
        assert_eq!(unsafe { FreeCredentialsHandle(&mut cred) }, OK);
        let mut side = Side::new(false, true);
        side.step(&mut Vec::new(), fixture(true));
        let ctx = side.ctx.expect("client context");
        side.delete();
        (cred, ctx)
    })
}

/// Reads a package-allocated buffer (so ASan checks it) and frees it; the free must succeed.
///
/// # Safety
/// `p` is a pointer the package handed out, with `len` readable bytes.
pub unsafe fn consume_allocation(p: *mut c_void, len: usize) {
    if len > 0 {
        // SAFETY: forwarded contract.
        let bytes = unsafe { std::slice::from_raw_parts(p.cast::<u8>(), len) };
        std::hint::black_box(bytes.iter().fold(0u8, |a, b| a ^ b));
    }
    // SAFETY: any pointer is accepted by FreeContextBuffer.
    let s = unsafe { FreeContextBuffer(p) };
    assert_eq!(
        s, OK,
        "a pointer the package wrote into a descriptor must be freeable"
    );
    // SAFETY: as above.
    let again = unsafe { FreeContextBuffer(p) };
    assert_eq!(again, raw(Status::SEC_E_INVALID_HANDLE), "double free");
}

/// One side of a connection driven through the C functions.
pub struct Side {
    pub server: bool,
    pub tls13: bool,
    pub ctx: Option<SecHandle>,
    /// Bytes received from the peer, not yet consumed.
    pub inbox: Vec<u8>,
    pub established: bool,
    pub failed: bool,
}

const ISC_REQ: u32 =
    ISC_REQ_ALLOCATE_MEMORY | ISC_REQ_MANUAL_CRED_VALIDATION | 0x8 | 0x4 | 0x10 | 0x8000;
const ASC_REQ: u32 = ASC_REQ_ALLOCATE_MEMORY | 0x8 | 0x4 | 0x10 | ASC_REQ_EXTENDED_ERROR;

impl Side {
    fn new(server: bool, tls13: bool) -> Self {
        Self {
            server,
            tls13,
            ctx: None,
            inbox: Vec::new(),
            established: false,
            failed: false,
        }
    }

    /// One ISC/ASC call on the inbox; the token goes to `peer_inbox`. Returns the status.
    pub fn step(&mut self, peer_inbox: &mut Vec<u8>, f: &Fixture) -> i32 {
        let mut cred = if self.server { f.server } else { f.client };
        let mut inb = [
            SecBuffer {
                cbBuffer: self.inbox.len() as u32,
                BufferType: SECBUFFER_TOKEN,
                pvBuffer: self.inbox.as_mut_ptr().cast(),
            },
            SecBuffer {
                cbBuffer: 0,
                BufferType: SECBUFFER_EMPTY,
                pvBuffer: std::ptr::null_mut(),
            },
        ];
        let mut outb = [
            SecBuffer {
                cbBuffer: 0,
                BufferType: SECBUFFER_TOKEN,
                pvBuffer: std::ptr::null_mut(),
            },
            SecBuffer {
                cbBuffer: 0,
                BufferType: SECBUFFER_ALERT,
                pvBuffer: std::ptr::null_mut(),
            },
        ];
        let mut ind = SecBufferDesc {
            ulVersion: 0,
            cBuffers: 2,
            pBuffers: inb.as_mut_ptr(),
        };
        let mut outd = SecBufferDesc {
            ulVersion: 0,
            cBuffers: 2,
            pBuffers: outb.as_mut_ptr(),
        };
        let first = self.ctx.is_none();
        let mut ctx = self.ctx.unwrap_or_default();
        let mut new_ctx = SecHandle::default();
        let mut attrs = 0u32;
        let target = b"localhost\0";
        let in_ptr: *mut SecBufferDesc = if first && !self.server {
            std::ptr::null_mut()
        } else {
            &mut ind
        };
        let ctx_ptr: *mut SecHandle = if first {
            std::ptr::null_mut()
        } else {
            &mut ctx
        };
        // SAFETY: valid handles, descriptors and out-parameters for the duration of the call.
        let s = unsafe {
            if self.server {
                AcceptSecurityContext(
                    &mut cred,
                    ctx_ptr,
                    in_ptr,
                    ASC_REQ,
                    0,
                    &mut new_ctx,
                    &mut outd,
                    &mut attrs,
                    std::ptr::null_mut(),
                )
            } else {
                InitializeSecurityContextA(
                    &mut cred,
                    ctx_ptr,
                    target.as_ptr().cast::<c_char>().cast_mut(),
                    ISC_REQ,
                    0,
                    0,
                    in_ptr,
                    0,
                    &mut new_ctx,
                    &mut outd,
                    &mut attrs,
                    std::ptr::null_mut(),
                )
            }
        };
        for b in &outb {
            if !b.pvBuffer.is_null() {
                // SAFETY: ALLOCATE_MEMORY: the package handed these out with cbBuffer bytes.
                let bytes = unsafe {
                    std::slice::from_raw_parts(b.pvBuffer.cast::<u8>(), b.cbBuffer as usize)
                };
                if b.BufferType == SECBUFFER_TOKEN || b.BufferType == SECBUFFER_ALERT {
                    peer_inbox.extend_from_slice(bytes);
                }
                // SAFETY: as above.
                unsafe { consume_allocation(b.pvBuffer, 0) };
            }
        }
        if s == OK || s == raw(Status::SEC_I_CONTINUE_NEEDED) {
            if first {
                self.ctx = Some(new_ctx);
            }
            let extra = if inb[1].BufferType == SECBUFFER_EXTRA {
                inb[1].cbBuffer as usize
            } else {
                0
            };
            let start = self.inbox.len() - extra.min(self.inbox.len());
            self.inbox.drain(..start);
            if s == OK {
                self.established = true;
            }
        } else if s != raw(Status::SEC_E_INCOMPLETE_MESSAGE) {
            self.failed = true;
        }
        s
    }

    /// The stream sizes (established contexts).
    pub fn sizes(&self) -> Option<SecPkgContext_StreamSizes> {
        let mut ctx = self.ctx?;
        let mut sizes = SecPkgContext_StreamSizes {
            cbHeader: 0,
            cbTrailer: 0,
            cbMaximumMessage: 0,
            cBuffers: 0,
            cbBlockSize: 0,
        };
        // SAFETY: a handle and a writable StreamSizes.
        let s = unsafe {
            QueryContextAttributesA(
                &mut ctx,
                SECPKG_ATTR_STREAM_SIZES,
                (&mut sizes as *mut SecPkgContext_StreamSizes).cast(),
            )
        };
        (s == OK).then_some(sizes)
    }

    /// Encrypts `data` (one record) through EncryptMessage; the record goes to `peer_inbox`.
    pub fn send(&mut self, data: &[u8], peer_inbox: &mut Vec<u8>) -> i32 {
        let Some(sz) = self.sizes() else {
            return raw(Status::SEC_E_INVALID_HANDLE);
        };
        let n = data.len().min(sz.cbMaximumMessage as usize);
        let (h, t) = (sz.cbHeader as usize, sz.cbTrailer as usize);
        let mut rec = vec![0u8; h + n + t];
        rec[h..h + n].copy_from_slice(&data[..n]);
        let base = rec.as_mut_ptr();
        let mut bufs = [
            SecBuffer {
                cbBuffer: h as u32,
                BufferType: SECBUFFER_STREAM_HEADER,
                pvBuffer: base.cast(),
            },
            SecBuffer {
                cbBuffer: n as u32,
                BufferType: SECBUFFER_DATA,
                pvBuffer: base.wrapping_add(h).cast(),
            },
            SecBuffer {
                cbBuffer: t as u32,
                BufferType: SECBUFFER_STREAM_TRAILER,
                pvBuffer: base.wrapping_add(h + n).cast(),
            },
            SecBuffer {
                cbBuffer: 0,
                BufferType: SECBUFFER_EMPTY,
                pvBuffer: std::ptr::null_mut(),
            },
        ];
        let mut desc = SecBufferDesc {
            ulVersion: 0,
            cBuffers: 4,
            pBuffers: bufs.as_mut_ptr(),
        };
        let mut ctx = self.ctx.unwrap_or_default();
        // SAFETY: the descriptor describes `rec`, alive for the call.
        let s = unsafe { EncryptMessage(&mut ctx, 0, &mut desc, 0) };
        if s == OK {
            let total = (bufs[0].cbBuffer + bufs[1].cbBuffer + bufs[2].cbBuffer) as usize;
            peer_inbox.extend_from_slice(&rec[..total]);
        }
        s
    }

    /// DecryptMessage until the inbox runs dry; SEC_I_RENEGOTIATE is serviced. Returns the
    /// plaintext and the last status.
    pub fn recv(&mut self, peer_inbox: &mut Vec<u8>, f: &Fixture) -> (Vec<u8>, i32) {
        let mut plain = Vec::new();
        for _ in 0..64 {
            let mut ctx = self.ctx.unwrap_or_default();
            let base = self.inbox.as_mut_ptr();
            let mut bufs = [
                SecBuffer {
                    cbBuffer: self.inbox.len() as u32,
                    BufferType: SECBUFFER_DATA,
                    pvBuffer: base.cast(),
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
            // SAFETY: the descriptor describes the inbox, alive for the call.
            let s = unsafe { DecryptMessage(&mut ctx, &mut desc, 0, std::ptr::null_mut()) };
            let ok = s == OK
                || s == raw(Status::SEC_I_RENEGOTIATE)
                || s == raw(Status::SEC_I_CONTEXT_EXPIRED);
            if !ok {
                return (plain, s);
            }
            let mut extra = 0;
            for b in &bufs {
                if b.BufferType == SECBUFFER_DATA && b.cbBuffer > 0 {
                    let off = (b.pvBuffer as usize) - (base as usize);
                    plain.extend_from_slice(&self.inbox[off..off + b.cbBuffer as usize]);
                }
                if b.BufferType == SECBUFFER_EXTRA {
                    extra = b.cbBuffer as usize;
                }
            }
            let start = self.inbox.len() - extra;
            self.inbox.drain(..start);
            if s == raw(Status::SEC_I_RENEGOTIATE) {
                self.step(peer_inbox, f);
            }
            if s == raw(Status::SEC_I_CONTEXT_EXPIRED) || self.inbox.is_empty() {
                return (plain, s);
            }
        }
        (plain, OK)
    }

    /// ApplyControlToken(SCHANNEL_SHUTDOWN) then the ISC/ASC call producing close_notify.
    pub fn shutdown(&mut self, peer_inbox: &mut Vec<u8>, f: &Fixture) -> i32 {
        let Some(mut ctx) = self.ctx else {
            return raw(Status::SEC_E_INVALID_HANDLE);
        };
        let mut token = SCHANNEL_SHUTDOWN.to_le_bytes();
        let mut b = [SecBuffer {
            cbBuffer: 4,
            BufferType: SECBUFFER_TOKEN,
            pvBuffer: token.as_mut_ptr().cast(),
        }];
        let mut d = SecBufferDesc {
            ulVersion: 0,
            cBuffers: 1,
            pBuffers: b.as_mut_ptr(),
        };
        // SAFETY: a valid descriptor.
        let s = unsafe { ApplyControlToken(&mut ctx, &mut d) };
        if s != OK {
            return s;
        }
        let saved = std::mem::take(&mut self.inbox);
        let s = self.step(peer_inbox, f);
        self.inbox = saved;
        s
    }

    /// DeleteSecurityContext (if any); later uses must be SEC_E_INVALID_HANDLE.
    pub fn delete(&mut self) {
        if let Some(mut h) = self.ctx.take() {
            // SAFETY: a handle value; stale ones are rejected.
            let s = unsafe { DeleteSecurityContext(&mut h) };
            assert!(s == OK || s == raw(Status::SEC_E_INVALID_HANDLE), "{s:#x}");
            // SAFETY: as above.
            let again = unsafe { DeleteSecurityContext(&mut h) };
            assert_eq!(again, raw(Status::SEC_E_INVALID_HANDLE), "double delete");
        }
    }
}

/// An EMPTY buffer.
pub fn empty() -> SecBuffer {
    SecBuffer {
        cbBuffer: 0,
        BufferType: SECBUFFER_EMPTY,
        pvBuffer: std::ptr::null_mut(),
    }
}

/// A client and a server context driven through the C functions.
pub struct Pair {
    pub tls13: bool,
    pub client: Side,
    pub server: Side,
}

impl Pair {
    pub fn new(tls13: bool) -> Self {
        Self {
            tls13,
            client: Side::new(false, tls13),
            server: Side::new(true, tls13),
        }
    }

    /// Makes up to `calls` handshake calls (client first, then whoever has input).
    pub fn advance(&mut self, calls: usize) {
        let f = fixture(self.tls13);
        for i in 0..calls {
            let client_turn = self.client.ctx.is_none()
                || self.server.inbox.is_empty()
                || (!self.client.inbox.is_empty() && i % 2 == 0);
            let (me, peer) = if client_turn {
                (&mut self.client, &mut self.server)
            } else {
                (&mut self.server, &mut self.client)
            };
            if me.established || me.failed || (me.ctx.is_some() && me.inbox.is_empty()) {
                if self.client.inbox.is_empty() && self.server.inbox.is_empty() {
                    return;
                }
                continue;
            }
            me.step(&mut peer.inbox, f);
        }
    }

    /// Completes the handshake (both sides established).
    pub fn establish(&mut self) -> bool {
        self.advance(32);
        self.client.established && self.server.established
    }

    /// Deletes both contexts.
    pub fn delete(&mut self) {
        self.client.delete();
        self.server.delete();
    }
}

impl Drop for Pair {
    fn drop(&mut self) {
        self.delete();
    }
}

/// Whether `p` is inside `[base, base + len)`.
pub fn inside(p: *const c_void, base: *const u8, len: usize) -> bool {
    let (p, b) = (p as usize, base as usize);
    p >= b && p < b + len.max(1)
}

/// Reads every byte a `CERT_CONTEXT` and its `CERT_INFO` point to (ASan checks the pointers
/// and lengths), asks for every name type both ways with NULL, short and exact buffers, and
/// the SHA-1 property.
///
/// # Safety
/// `cert` is NULL or a live context handed out by the package.
pub unsafe fn walk_certificate(cert: PCCERT_CONTEXT) {
    use crate::crypt32::exports::{
        CertGetCertificateContextProperty, CertGetNameStringA, CertGetNameStringW,
    };
    if cert.is_null() {
        return;
    }
    let touch = |p: *const u8, n: usize| {
        if n > 0 {
            assert!(!p.is_null(), "a non-empty blob with a NULL pointer");
            // SAFETY: the package's structures describe `n` readable bytes at `p`.
            let bytes = unsafe { std::slice::from_raw_parts(p, n) };
            std::hint::black_box(bytes.iter().fold(0u8, |a, b| a ^ b));
        }
    };
    let cstr = |p: *const c_char| {
        if !p.is_null() {
            // SAFETY: NUL-terminated OID strings.
            std::hint::black_box(unsafe { std::ffi::CStr::from_ptr(p) }.to_bytes().len());
        }
    };
    // SAFETY: a live context (caller contract).
    let c = unsafe { cert.read() };
    touch(c.pbCertEncoded, c.cbCertEncoded as usize);
    assert!(!c.pCertInfo.is_null());
    // SAFETY: the context's CERT_INFO.
    let info = unsafe { c.pCertInfo.read() };
    touch(info.SerialNumber.pbData, info.SerialNumber.cbData as usize);
    cstr(info.SignatureAlgorithm.pszObjId);
    touch(
        info.SignatureAlgorithm.Parameters.pbData,
        info.SignatureAlgorithm.Parameters.cbData as usize,
    );
    touch(info.Issuer.pbData, info.Issuer.cbData as usize);
    touch(info.Subject.pbData, info.Subject.cbData as usize);
    cstr(info.SubjectPublicKeyInfo.Algorithm.pszObjId);
    touch(
        info.SubjectPublicKeyInfo.PublicKey.pbData,
        info.SubjectPublicKeyInfo.PublicKey.cbData as usize,
    );
    touch(
        info.IssuerUniqueId.pbData,
        info.IssuerUniqueId.cbData as usize,
    );
    touch(
        info.SubjectUniqueId.pbData,
        info.SubjectUniqueId.cbData as usize,
    );
    if info.cExtension > 0 {
        assert!(!info.rgExtension.is_null());
    }
    for i in 0..info.cExtension as usize {
        // SAFETY: rgExtension holds cExtension entries.
        let e = unsafe { info.rgExtension.add(i).read() };
        cstr(e.pszObjId);
        touch(e.Value.pbData, e.Value.cbData as usize);
    }
    for ty in 0..=8u32 {
        for flags in [0u32, 1] {
            // SAFETY: NULL buffer: the size is reported.
            let need = unsafe {
                CertGetNameStringA(
                    cert,
                    ty,
                    flags,
                    std::ptr::null_mut(),
                    std::ptr::null_mut(),
                    0,
                )
            };
            assert!(need >= 1, "the size includes the NUL");
            for cch in [1, need / 2, need] {
                let cch = cch.max(1);
                let mut a = vec![0x55u8; cch as usize];
                // SAFETY: `a` holds `cch` characters.
                let n = unsafe {
                    CertGetNameStringA(
                        cert,
                        ty,
                        flags,
                        std::ptr::null_mut(),
                        a.as_mut_ptr().cast(),
                        cch,
                    )
                };
                assert!(
                    n >= 1 && n <= cch && a[n as usize - 1] == 0,
                    "A string not terminated"
                );
                let mut w = vec![0x5555u16; cch as usize];
                // SAFETY: `w` holds `cch` units.
                let n = unsafe {
                    CertGetNameStringW(cert, ty, flags, std::ptr::null_mut(), w.as_mut_ptr(), cch)
                };
                assert!(
                    n >= 1 && n <= cch && w[n as usize - 1] == 0,
                    "W string not terminated"
                );
            }
        }
    }
    let mut size = 0u32;
    // SAFETY: size query.
    assert_eq!(
        unsafe { CertGetCertificateContextProperty(cert, 3, std::ptr::null_mut(), &mut size) },
        1
    );
    assert_eq!(size, 20);
    let mut hash = [0u8; 20];
    // SAFETY: 20 writable bytes.
    assert_eq!(
        unsafe { CertGetCertificateContextProperty(cert, 3, hash.as_mut_ptr().cast(), &mut size) },
        1
    );
}

/// Tries `cert` as a server credential's certificate (ACH inbound, both credential
/// structures); frees whatever was acquired. Returns whether ACH accepted it.
///
/// # Safety
/// `cert` is a live context handed out by the package.
pub unsafe fn try_as_server_certificate(cert: PCCERT_CONTEXT) -> bool {
    let mut h = SecHandle::default();
    let name = b"Schannel\0";
    let cred = schannel_cred(0, 0, Some(&cert));
    // SAFETY: valid arguments.
    let s = unsafe {
        AcquireCredentialsHandleA(
            std::ptr::null_mut(),
            name.as_ptr().cast::<c_char>().cast_mut(),
            SECPKG_CRED_INBOUND | SECPKG_CRED_OUTBOUND,
            std::ptr::null_mut(),
            (&cred as *const SCHANNEL_CRED).cast_mut().cast(),
            None,
            std::ptr::null_mut(),
            &mut h,
            std::ptr::null_mut(),
        )
    };
    assert!(known(s), "ACH: unknown status {s:#x}");
    assert_ne!(s, raw(Status::SEC_E_INTERNAL_ERROR), "ACH internal error");
    if s == OK {
        // SAFETY: the handle just acquired.
        assert_eq!(unsafe { FreeCredentialsHandle(&mut h) }, OK);
        // SAFETY: freed: rejected.
        assert_eq!(
            unsafe { FreeCredentialsHandle(&mut h) },
            raw(Status::SEC_E_INVALID_HANDLE)
        );
    }
    s == OK
}
