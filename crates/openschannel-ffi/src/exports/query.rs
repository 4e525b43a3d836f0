//! `QueryContextAttributesA/W` (contract §9).

use std::ffi::{c_char, c_void};

use openschannel_core::{BulkCipher, CipherSuite, Protocol, Role, SecurityContext, Status};

use super::context;
use super::context::{ContextEntry, KeyingInfo};
use super::packages::{package_infos, MAX_TOKEN};
use crate::boundary::{self, guard, FfiResult};
use crate::crypt32::{self, parse::KeyKind, CertData};
use crate::memory;
use crate::strings::SspiChar;
use crate::types::*;

/// `SSL_SESSION_RECONNECT`.
const SSL_SESSION_RECONNECT: u32 = 1;

fn wide<const N: usize>(s: &str) -> [u16; N] {
    let mut out = [0u16; N];
    for (slot, unit) in out.iter_mut().take(N - 1).zip(s.encode_utf16()) {
        *slot = unit;
    }
    out
}

/// Windows' suite name (`TLS_AES_128_GCM_SHA256`, `TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384`).
fn suite_name(suite: CipherSuite) -> String {
    let name = suite.name().unwrap_or("");
    match name.strip_prefix("TLS13_") {
        Some(rest) => format!("TLS_{rest}"),
        None => name.to_owned(),
    }
}

fn cipher_name(bulk: Option<BulkCipher>) -> &'static str {
    match bulk {
        Some(BulkCipher::Aes128Gcm | BulkCipher::Aes256Gcm) => "AES",
        Some(BulkCipher::ChaCha20Poly1305) => "CHACHA20_POLY1305",
        None => "",
    }
}

fn cipher_alg(bulk: Option<BulkCipher>) -> u32 {
    match bulk {
        Some(BulkCipher::Aes128Gcm) => CALG_AES_128,
        Some(BulkCipher::Aes256Gcm) => CALG_AES_256,
        _ => 0,
    }
}

fn protocol_bit(p: Protocol, role: Role) -> u32 {
    match (p, role) {
        (Protocol::Tls12, Role::Client) => SP_PROT_TLS1_2_CLIENT,
        (Protocol::Tls12, Role::Server) => SP_PROT_TLS1_2_SERVER,
        (Protocol::Tls13, Role::Client) => SP_PROT_TLS1_3_CLIENT,
        (Protocol::Tls13, Role::Server) => SP_PROT_TLS1_3_SERVER,
    }
}

/// The server certificate's key type (ours on the server, the peer's on the client).
fn server_key(entry: &ContextEntry) -> (KeyKind, u32) {
    let der = match entry.ctx.role() {
        Role::Server => entry.cred.local_cert.clone(),
        Role::Client => entry
            .ctx
            .peer_certificates()
            .first()
            .map(|c| c.der().to_vec()),
    };
    der.and_then(CertData::parse)
        .map_or((KeyKind::Other, 0), |d| (d.key_kind, d.key_bits))
}

fn key_name(kind: KeyKind) -> &'static str {
    match kind {
        KeyKind::Rsa => "RSA",
        KeyKind::Ecdsa => "ECDSA",
        KeyKind::EdDsa => "EDDSA",
        KeyKind::Other => "",
    }
}

fn established(ctx: &SecurityContext) -> FfiResult<(Protocol, CipherSuite)> {
    let info = ctx.connection_info().map_err(|e| e.status())?;
    Ok((info.protocol, info.cipher_suite))
}

/// Writes `value` into the caller's attribute buffer.
///
/// # Safety
/// `buf` is the caller's buffer for this attribute (a `T`).
unsafe fn out<T>(buf: *mut c_void, value: T) -> FfiResult<Status> {
    // SAFETY: forwarded contract; NULL/misalignment → SEC_E_INTERNAL_ERROR.
    unsafe { boundary::write_required(buf.cast::<T>(), value, Status::SEC_E_INTERNAL_ERROR) }?;
    Ok(Status::SEC_E_OK)
}

unsafe fn query<C: SspiChar>(
    h: *mut SecHandle,
    attribute: u32,
    buf: *mut c_void,
) -> FfiResult<Status> {
    // SAFETY: forwarded contract.
    let guard = unsafe { context(h) }?;
    if buf.is_null() {
        return Err(Status::SEC_E_INTERNAL_ERROR);
    }
    let e: &ContextEntry = &guard;
    match attribute {
        SECPKG_ATTR_STREAM_SIZES => {
            let s = e.ctx.stream_sizes().map_err(|e| e.status())?;
            let n = |v: usize| u32::try_from(v).unwrap_or(u32::MAX);
            // SAFETY: the caller passes a SecPkgContext_StreamSizes.
            unsafe {
                out(
                    buf,
                    SecPkgContext_StreamSizes {
                        cbHeader: n(s.header),
                        cbTrailer: n(s.trailer),
                        cbMaximumMessage: n(s.max_message),
                        cBuffers: s.buffers,
                        cbBlockSize: s.block_size,
                    },
                )
            }
        }
        SECPKG_ATTR_CONNECTION_INFO => {
            let info = e.ctx.connection_info().map_err(|e| e.status())?;
            let bulk = info.cipher_suite.bulk();
            let hash = match info.cipher_suite.hash_bits() {
                Some(384) => CALG_SHA_384,
                _ => CALG_SHA_256,
            };
            // SAFETY: the caller passes a SecPkgContext_ConnectionInfo.
            unsafe {
                out(
                    buf,
                    SecPkgContext_ConnectionInfo {
                        dwProtocol: protocol_bit(info.protocol, e.ctx.role()),
                        aiCipher: cipher_alg(bulk),
                        dwCipherStrength: bulk.map_or(0, |b| b.key_bits()),
                        aiHash: hash,
                        dwHashStrength: 0,
                        aiExch: CALG_ECDH_EPHEM,
                        dwExchStrength: info.key_exchange_group.map_or(0, |g| g.strength_bits()),
                    },
                )
            }
        }
        SECPKG_ATTR_CIPHER_INFO => {
            let info = e.ctx.connection_info().map_err(|e| e.status())?;
            let bulk = info.cipher_suite.bulk();
            let (kind, _) = server_key(e);
            // SAFETY: the caller passes a SecPkgContext_CipherInfo.
            unsafe {
                out(
                    buf,
                    SecPkgContext_CipherInfo {
                        dwVersion: 1,
                        dwProtocol: u32::from(info.protocol.wire_version()),
                        dwCipherSuite: u32::from(info.cipher_suite.0),
                        dwBaseCipherSuite: u32::from(info.cipher_suite.0),
                        szCipherSuite: wide(&suite_name(info.cipher_suite)),
                        szCipher: wide(cipher_name(bulk)),
                        dwCipherLen: bulk.map_or(0, |b| b.key_bits()),
                        dwCipherBlockLen: bulk.map_or(0, |b| b.block_len()),
                        szHash: wide(""),
                        dwHashLen: 0,
                        szExchange: wide("ECDH"),
                        dwMinExchangeLen: 0,
                        dwMaxExchangeLen: 65536,
                        szCertificate: wide(key_name(kind)),
                        dwKeyType: info.key_exchange_group.map_or(0, |g| u32::from(g.0)),
                    },
                )
            }
        }
        SECPKG_ATTR_APPLICATION_PROTOCOL => {
            let mut value = SecPkgContext_ApplicationProtocol {
                ProtoNegoStatus: 0,
                ProtoNegoExt: if e.alpn_offered { 2 } else { 0 },
                ProtocolIdSize: 0,
                ProtocolId: [0; 255],
            };
            if let Some(id) = e.ctx.alpn_protocol() {
                let n = id.len().min(255);
                value.ProtoNegoStatus = 1;
                value.ProtoNegoExt = 2;
                value.ProtocolIdSize = n as u8;
                value.ProtocolId[..n].copy_from_slice(&id[..n]);
            }
            // SAFETY: the caller passes a SecPkgContext_ApplicationProtocol.
            unsafe { out(buf, value) }
        }
        SECPKG_ATTR_REMOTE_CERT_CONTEXT => {
            let chain: Vec<Vec<u8>> = e
                .ctx
                .peer_certificates()
                .iter()
                .map(|c| c.der().to_vec())
                .collect();
            if chain.is_empty() {
                return Err(Status::SEC_E_NO_CREDENTIALS);
            }
            let leaf = crypt32::chain_context(&chain)?;
            // SAFETY: the caller passes a PCCERT_CONTEXT*.
            let written = unsafe { boundary::write(buf.cast::<PCCERT_CONTEXT>(), leaf) };
            if !written {
                // SAFETY: `leaf` is the reference just created; release it.
                unsafe { crypt32::exports::CertFreeCertificateContext(leaf) };
                return Err(Status::SEC_E_INTERNAL_ERROR);
            }
            Ok(Status::SEC_E_OK)
        }
        SECPKG_ATTR_SESSION_INFO => {
            established(&e.ctx)?;
            // SAFETY: the caller passes a SecPkgContext_SessionInfo.
            unsafe {
                out(
                    buf,
                    SecPkgContext_SessionInfo {
                        dwFlags: if e.ctx.is_resumed() {
                            SSL_SESSION_RECONNECT
                        } else {
                            0
                        },
                        cbSessionId: 0,
                        rgbSessionId: [0; 32],
                    },
                )
            }
        }
        SECPKG_ATTR_KEY_INFO => {
            let (_, suite) = established(&e.ctx)?;
            let bulk = suite.bulk();
            let (kind, _) = server_key(e);
            let sig = memory::copy_units(C::encode(key_name(kind)));
            let enc = memory::copy_units(C::encode(cipher_name(bulk)));
            // SAFETY: the caller passes a SecPkgContext_KeyInfoA/W.
            let written = unsafe {
                out(
                    buf,
                    SecPkgContext_KeyInfo {
                        sSignatureAlgorithmName: sig,
                        sEncryptAlgorithmName: enc,
                        KeySize: bulk.map_or(0, |b| b.key_bits()),
                        SignatureAlgorithm: match kind {
                            KeyKind::Rsa => CALG_RSA_SIGN,
                            KeyKind::Ecdsa => CALG_ECDSA,
                            _ => 0,
                        },
                        EncryptAlgorithm: cipher_alg(bulk),
                    },
                )
            };
            if written.is_err() {
                // A misaligned attribute buffer: the names never reached the caller.
                memory::free(sig);
                memory::free(enc);
            }
            written
        }
        SECPKG_ATTR_SIZES => {
            // SAFETY: the caller passes a SecPkgContext_Sizes.
            unsafe {
                out(
                    buf,
                    SecPkgContext_Sizes {
                        cbMaxToken: MAX_TOKEN,
                        cbMaxSignature: 16,
                        cbBlockSize: 0,
                        cbSecurityTrailer: 16,
                    },
                )
            }
        }
        SECPKG_ATTR_PACKAGE_INFO => {
            let info = package_infos::<C>(&[super::credentials::PACKAGE_NAMES[0]]);
            // SAFETY: the caller passes a SecPkgContext_PackageInfoA/W.
            let written = unsafe { out(buf, SecPkgContext_PackageInfo { PackageInfo: info }) };
            if written.is_err() {
                memory::free(info);
            }
            written
        }
        SECPKG_ATTR_ENDPOINT_BINDINGS => {
            let hash = e.ctx.endpoint_binding().map_err(|e| e.status())?;
            let bindings = endpoint_bindings(&hash);
            let len = u32::try_from(bindings.len()).map_err(|_| Status::SEC_E_INTERNAL_ERROR)?;
            let ptr = memory::copy_aligned(&bindings);
            let value = SecPkgContext_Bindings {
                BindingsLength: len,
                Bindings: ptr.cast(),
            };
            // SAFETY: the caller passes a SecPkgContext_Bindings.
            let written = unsafe { out(buf, value) };
            if written.is_err() {
                memory::free(ptr);
            }
            written
        }
        // rustls exposes no Finished message, and tls-unique is undefined for TLS 1.3.
        SECPKG_ATTR_UNIQUE_BINDINGS => Err(Status::SEC_E_UNSUPPORTED_FUNCTION),
        SECPKG_ATTR_KEYING_MATERIAL => {
            let Some(info) = &e.keying else {
                return Err(Status::SEC_E_INVALID_PARAMETER);
            };
            let material = e
                .ctx
                .export_keying_material(&info.label, info.context.as_deref(), info.len)
                .map_err(|e| e.status())?;
            let len = u32::try_from(material.len()).map_err(|_| Status::SEC_E_INTERNAL_ERROR)?;
            let ptr = memory::copy_bytes(&material);
            let value = SecPkgContext_KeyingMaterial {
                cbKeyingMaterial: len,
                pbKeyingMaterial: ptr.cast(),
            };
            // SAFETY: the caller passes a SecPkgContext_KeyingMaterial.
            let written = unsafe { out(buf, value) };
            if written.is_err() {
                memory::free(ptr);
            }
            written
        }
        SECPKG_ATTR_LOCAL_CERT_CONTEXT => {
            let chain: Vec<Vec<u8>> = e
                .ctx
                .local_certificates()
                .iter()
                .map(|c| c.der().to_vec())
                .collect();
            if chain.is_empty() {
                return Err(Status::SEC_E_NO_CREDENTIALS);
            }
            let leaf = crypt32::chain_context(&chain)?;
            // SAFETY: the caller passes a PCCERT_CONTEXT*.
            let written = unsafe { boundary::write(buf.cast::<PCCERT_CONTEXT>(), leaf) };
            if !written {
                // SAFETY: `leaf` is the reference just created; release it.
                unsafe { crypt32::exports::CertFreeCertificateContext(leaf) };
                return Err(Status::SEC_E_INTERNAL_ERROR);
            }
            Ok(Status::SEC_E_OK)
        }
        SECPKG_ATTR_ISSUER_LIST_EX => {
            let issuers = e.ctx.certificate_request_issuers().unwrap_or_default();
            let (ptr, count) = issuer_list(issuers);
            let value = SecPkgContext_IssuerListInfoEx {
                aIssuers: ptr.cast(),
                cIssuers: count,
            };
            // SAFETY: the caller passes a SecPkgContext_IssuerListInfoEx.
            let written = unsafe { out(buf, value) };
            if written.is_err() {
                memory::free(ptr);
            }
            written
        }
        _ => Err(Status::SEC_E_UNSUPPORTED_FUNCTION),
    }
}

/// The `SECPKG_ATTR_ENDPOINT_BINDINGS` allocation (contract §9): a 32-byte
/// `SEC_CHANNEL_BINDINGS` header with only the application data set, then
/// `"tls-server-end-point:"` and the certificate hash.
pub(crate) fn endpoint_bindings(hash: &[u8]) -> Vec<u8> {
    const PREFIX: &[u8] = b"tls-server-end-point:";
    const HEADER: usize = std::mem::size_of::<SEC_CHANNEL_BINDINGS>();
    let data_len = (PREFIX.len() + hash.len()) as u32;
    let mut out = Vec::with_capacity(HEADER + data_len as usize);
    for field in [0, 0, 0, 0, 0, 0, data_len, HEADER as u32] {
        out.extend_from_slice(&field.to_ne_bytes());
    }
    out.extend_from_slice(PREFIX);
    out.extend_from_slice(hash);
    out
}

/// The `aIssuers` array and the names it points to, in one package allocation.
struct IssuerList {
    _blobs: Vec<CRYPT_BLOB>,
    _names: Vec<Vec<u8>>,
}

// SAFETY: the blob pointers point into `_names`, whose heap buffers never move and are owned by
// this value; nothing is tied to a thread.
unsafe impl Send for IssuerList {}

/// `SECPKG_ATTR_ISSUER_LIST_EX`: the DER names as `CERT_NAME_BLOB`s (NULL when there are none).
fn issuer_list(mut names: Vec<Vec<u8>>) -> (*mut std::ffi::c_void, u32) {
    if names.is_empty() {
        return (std::ptr::null_mut(), 0);
    }
    let mut blobs: Vec<CRYPT_BLOB> = names
        .iter_mut()
        .map(|n| CRYPT_BLOB {
            cbData: u32::try_from(n.len()).unwrap_or(0),
            // An empty name (a hostile server may send one) has no bytes to point at: NULL,
            // never the dangling placeholder of an empty Vec.
            pbData: if n.is_empty() {
                std::ptr::null_mut()
            } else {
                n.as_mut_ptr()
            },
        })
        .collect();
    let count = u32::try_from(blobs.len()).unwrap_or(0);
    let ptr = blobs.as_mut_ptr().cast();
    (
        memory::hand_out(
            IssuerList {
                _blobs: blobs,
                _names: names,
            },
            ptr,
        ),
        count,
    )
}

/// `SetContextAttributes` (shared body): `SECPKG_ATTR_KEYING_MATERIAL_INFO` records what a
/// later `SECPKG_ATTR_KEYING_MATERIAL` query exports; other attributes are
/// `SEC_E_UNSUPPORTED_FUNCTION`.
unsafe fn set_attribute(
    h: *mut SecHandle,
    attribute: u32,
    buf: *mut c_void,
    len: u32,
) -> FfiResult<Status> {
    // SAFETY: forwarded contract.
    let mut entry = unsafe { context(h) }?;
    match attribute {
        SECPKG_ATTR_KEYING_MATERIAL_INFO => {
            if (len as usize) < std::mem::size_of::<SecPkgContext_KeyingMaterialInfo>() {
                return Err(Status::SEC_E_INVALID_PARAMETER);
            }
            // SAFETY: the caller passes a SecPkgContext_KeyingMaterialInfo of `len` bytes.
            let info = unsafe {
                boundary::read(
                    buf.cast::<SecPkgContext_KeyingMaterialInfo>(),
                    Status::SEC_E_INVALID_PARAMETER,
                )
            }?;
            let bad = Status::SEC_E_INVALID_PARAMETER;
            if info.cbLabel == 0 || info.cbKeyingMaterial == 0 {
                return Err(bad);
            }
            // SAFETY: pszLabel holds cbLabel bytes (the NUL terminator included).
            let label = unsafe { boundary::bytes(info.pszLabel.cast(), info.cbLabel.into(), bad) }?;
            let label = label.strip_suffix(&[0]).unwrap_or(label).to_vec();
            let context = if info.cbContextValue == 0 {
                None
            } else {
                // SAFETY: pbContextValue holds cbContextValue bytes.
                let ctx = unsafe {
                    boundary::bytes(info.pbContextValue.cast(), info.cbContextValue.into(), bad)
                }?;
                Some(ctx.to_vec())
            };
            entry.keying = Some(KeyingInfo {
                label,
                context,
                len: info.cbKeyingMaterial as usize,
            });
            Ok(Status::SEC_E_OK)
        }
        _ => Err(Status::SEC_E_UNSUPPORTED_FUNCTION),
    }
}

/// `SetContextAttributesW` (contract §9): `SECPKG_ATTR_KEYING_MATERIAL_INFO` (label, context
/// value and length of the keying material a later `SECPKG_ATTR_KEYING_MATERIAL` query
/// exports; it may be set before or after the handshake completes). A too-short buffer, an
/// empty label or a zero length → `SEC_E_INVALID_PARAMETER`; other attributes →
/// `SEC_E_UNSUPPORTED_FUNCTION`.
///
/// # Safety
/// `phContext` is NULL or readable; `pBuffer` is the attribute's structure of `cbBuffer` bytes
/// whose pointers describe readable memory.
#[no_mangle]
pub unsafe extern "C" fn SetContextAttributesW(
    phContext: *mut SecHandle,
    ulAttribute: u32,
    pBuffer: *mut c_void,
    cbBuffer: u32,
) -> SECURITY_STATUS {
    // SAFETY: forwarded contract.
    guard("SetContextAttributesW", || unsafe {
        set_attribute(phContext, ulAttribute, pBuffer, cbBuffer)
    })
}

/// `SetContextAttributesA`: as [`SetContextAttributesW`] (the keying-material label is ANSI
/// in both).
///
/// # Safety
/// As [`SetContextAttributesW`].
#[no_mangle]
pub unsafe extern "C" fn SetContextAttributesA(
    phContext: *mut SecHandle,
    ulAttribute: u32,
    pBuffer: *mut c_void,
    cbBuffer: u32,
) -> SECURITY_STATUS {
    // SAFETY: forwarded contract.
    guard("SetContextAttributesA", || unsafe {
        set_attribute(phContext, ulAttribute, pBuffer, cbBuffer)
    })
}

/// `QueryContextAttributesW` (contract §9): `SECPKG_ATTR_STREAM_SIZES`, `CONNECTION_INFO`,
/// `CIPHER_INFO`, `APPLICATION_PROTOCOL`, `REMOTE_CERT_CONTEXT` and `LOCAL_CERT_CONTEXT` (free
/// with `CertFreeCertificateContext`; `hCertStore` holds the chain), `SESSION_INFO`,
/// `KEY_INFO` (names freed with `FreeContextBuffer`), `SIZES`, `PACKAGE_INFO`,
/// `ENDPOINT_BINDINGS` (tls-server-end-point), `KEYING_MATERIAL` (after
/// `SetContextAttributes(KEYING_MATERIAL_INFO)`, else `SEC_E_INVALID_PARAMETER`) and
/// `ISSUER_LIST_EX` (all four freed with `FreeContextBuffer`). `UNIQUE_BINDINGS`,
/// `NEGOTIATION_INFO` and unknown attributes → `SEC_E_UNSUPPORTED_FUNCTION`; a deleted context
/// → `SEC_E_INVALID_HANDLE`.
///
/// # Safety
/// `phContext` is NULL or readable; `pBuffer` is NULL or the attribute's structure.
#[no_mangle]
pub unsafe extern "C" fn QueryContextAttributesW(
    phContext: *mut SecHandle,
    ulAttribute: u32,
    pBuffer: *mut c_void,
) -> SECURITY_STATUS {
    // SAFETY: forwarded contract.
    guard("QueryContextAttributesW", || unsafe {
        query::<u16>(phContext, ulAttribute, pBuffer)
    })
}

/// `QueryContextAttributesA`: as [`QueryContextAttributesW`] with ANSI strings.
///
/// # Safety
/// As [`QueryContextAttributesW`].
#[no_mangle]
pub unsafe extern "C" fn QueryContextAttributesA(
    phContext: *mut SecHandle,
    ulAttribute: u32,
    pBuffer: *mut c_void,
) -> SECURITY_STATUS {
    // SAFETY: forwarded contract.
    guard("QueryContextAttributesA", || unsafe {
        query::<c_char>(phContext, ulAttribute, pBuffer)
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

    /// Regression: an empty distinguished name in a CertificateRequest became a blob whose
    /// `pbData` was an empty Vec's dangling placeholder pointer.
    #[test]
    fn empty_issuer_names_have_null_data_pointers() {
        let (ptr, count) = issuer_list(vec![vec![], b"\x30\x00".to_vec()]);
        assert_eq!(count, 2);
        let blobs = unsafe { std::slice::from_raw_parts(ptr.cast::<CRYPT_BLOB>(), 2) };
        assert_eq!(blobs[0].cbData, 0);
        assert!(blobs[0].pbData.is_null());
        assert_eq!(blobs[1].cbData, 2);
        assert_eq!(
            unsafe { std::slice::from_raw_parts(blobs[1].pbData, 2) },
            b"\x30\x00"
        );
        assert_eq!(memory::free(ptr), Status::SEC_E_OK);
        assert_eq!(issuer_list(Vec::new()), (std::ptr::null_mut(), 0));
    }

    /// Regression: a misaligned attribute buffer made PACKAGE_INFO (and KEY_INFO) allocate
    /// the strings, fail to write the structure, and keep the allocations for ever.
    #[test]
    fn a_misaligned_attribute_buffer_allocates_nothing() {
        let (mut cred, mut ctx) = crate::exports::context::tests::client_context();
        let mut storage = [0u64; 8];
        let misaligned = storage
            .as_mut_ptr()
            .cast::<u8>()
            .wrapping_add(1)
            .cast::<c_void>();
        let before = memory::live_count();
        for _ in 0..100 {
            let s =
                unsafe { QueryContextAttributesA(&mut ctx, SECPKG_ATTR_PACKAGE_INFO, misaligned) };
            assert_eq!(s, Status::SEC_E_INTERNAL_ERROR.raw());
        }
        // Other tests allocate concurrently; 100 leaks would show as at least +100.
        let after = memory::live_count();
        assert!(
            after < before + 50,
            "{before} -> {after} live package allocations"
        );
        let mut ok = SecPkgContext_PackageInfo {
            PackageInfo: std::ptr::null_mut(),
        };
        let s = unsafe {
            QueryContextAttributesA(
                &mut ctx,
                SECPKG_ATTR_PACKAGE_INFO,
                (&mut ok as *mut SecPkgContext_PackageInfo).cast(),
            )
        };
        assert_eq!(s, 0);
        assert_eq!(memory::free(ok.PackageInfo), Status::SEC_E_OK);
        unsafe {
            crate::exports::context::DeleteSecurityContext(&mut ctx);
            crate::exports::credentials::FreeCredentialsHandle(&mut cred);
        }
    }
}
