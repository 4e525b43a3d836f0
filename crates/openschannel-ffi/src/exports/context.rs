//! `InitializeSecurityContextA/W`, `AcceptSecurityContext`, `DeleteSecurityContext`,
//! `ApplyControlToken` (contract §4, §5, §8).
//!
//! ISC and ASC share one body ([`handshake_call`]); they differ in the role, the flag bit
//! positions (§4.1/§4.2) and the target name.

use std::ffi::c_char;
use std::sync::Arc;

use openschannel_core::{
    AlertLevel, ClientAuth, ContextOptions, ControlToken, HandshakeStatus, SecurityContext, Status,
};

use super::credentials::CredentialEntry;
use super::{context, credential, read_handle, ContextGuard, CONTEXTS};
use crate::boundary::{self, guard, FfiResult};
use crate::buffers::BufferList;
use crate::memory;
use crate::strings::SspiChar;
use crate::types::*;

/// A context handle's object.
pub(crate) struct ContextEntry {
    /// The core context.
    pub(crate) ctx: SecurityContext,
    /// The credential it was created from (kept alive for queries).
    pub(crate) cred: Arc<CredentialEntry>,
    /// Whether an ALPN list was offered (for `SECPKG_ATTR_APPLICATION_PROTOCOL`).
    pub(crate) alpn_offered: bool,
    /// What `SetContextAttributes(SECPKG_ATTR_KEYING_MATERIAL_INFO)` asked for.
    pub(crate) keying: Option<KeyingInfo>,
    /// `cbHeader`, once the handshake has completed (0 before); see
    /// [`stream_header`](Self::stream_header).
    header_len: usize,
}

impl ContextEntry {
    /// The context's `cbHeader` (`None` before the handshake has completed), remembered after
    /// the first success: it depends only on the protocol version and the suite, which never
    /// change once negotiated (there is no renegotiation), so `EncryptMessage` asks the core
    /// once per context rather than once per record.
    #[inline]
    pub(crate) fn stream_header(&mut self) -> Option<usize> {
        if self.header_len == 0 {
            self.header_len = self.ctx.stream_sizes().map_or(0, |s| s.header);
        }
        (self.header_len != 0).then_some(self.header_len)
    }
}

/// A keying-material request (`SecPkgContext_KeyingMaterialInfo`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct KeyingInfo {
    /// The label without its NUL terminator.
    pub(crate) label: Vec<u8>,
    /// The context value (`None` when `cbContextValue` is 0).
    pub(crate) context: Option<Vec<u8>>,
    /// Bytes to export.
    pub(crate) len: usize,
}

/// Which entry point is running.
enum Side {
    Client { target: Option<String> },
    Server,
}

/// The attribute flags returned in `pfContextAttr` (contract §4.3): the stream-mode set is
/// always returned, plus the requested flags Schannel echoes.
pub(crate) fn returned_flags(client: bool, req: u32) -> u32 {
    if client {
        ISC_RET_REPLAY_DETECT
            | ISC_RET_SEQUENCE_DETECT
            | ISC_RET_CONFIDENTIALITY
            | ISC_RET_STREAM
            | (req
                & (ISC_REQ_ALLOCATE_MEMORY
                    | ISC_REQ_USE_SUPPLIED_CREDS
                    | ISC_REQ_MANUAL_CRED_VALIDATION
                    | ISC_REQ_EXTENDED_ERROR
                    | ISC_REQ_DATAGRAM
                    | ISC_REQ_MUTUAL_AUTH))
    } else {
        ASC_RET_REPLAY_DETECT
            | ASC_RET_SEQUENCE_DETECT
            | ASC_RET_CONFIDENTIALITY
            | ASC_RET_STREAM
            | (req & (ASC_REQ_ALLOCATE_MEMORY | ASC_REQ_EXTENDED_ERROR | ASC_REQ_DATAGRAM))
    }
}

/// Parses a `SECBUFFER_APPLICATION_PROTOCOLS` buffer (contract §5.6): `ULONG
/// ProtocolListsSize`, then `{ ULONG ext; USHORT size; list }` triples whose lists are in TLS
/// wire format. ALPN lists are collected; NPN lists are skipped; anything malformed is
/// `SEC_E_INVALID_TOKEN`. `None` when no protocol is offered.
pub(crate) fn parse_alpn(buf: &[u8]) -> FfiResult<Option<Vec<Vec<u8>>>> {
    let bad = Status::SEC_E_INVALID_TOKEN;
    let size = buf.get(..4).ok_or(bad)?;
    let size = u32::from_le_bytes([size[0], size[1], size[2], size[3]]) as usize;
    let mut rest = buf.get(4..4 + size).ok_or(bad)?;
    let mut protocols = Vec::new();
    while !rest.is_empty() {
        let head = rest.get(..6).ok_or(bad)?;
        let ext = u32::from_le_bytes([head[0], head[1], head[2], head[3]]);
        let len = usize::from(u16::from_le_bytes([head[4], head[5]]));
        let mut list = rest.get(6..6 + len).ok_or(bad)?;
        rest = &rest[6 + len..];
        match ext {
            2 => {
                while let Some((&n, tail)) = list.split_first() {
                    let n = usize::from(n);
                    if n == 0 || tail.len() < n {
                        return Err(bad);
                    }
                    protocols.push(tail[..n].to_vec());
                    list = &tail[n..];
                }
            }
            1 => {}
            _ => return Err(bad),
        }
    }
    Ok(if protocols.is_empty() {
        None
    } else {
        Some(protocols)
    })
}

/// What the input descriptor supplies.
struct Input {
    list: Option<BufferList>,
    token: Vec<u8>,
    alpn: Option<Vec<Vec<u8>>>,
    /// The buffer that receives `SECBUFFER_EXTRA` / `SECBUFFER_MISSING`.
    extra: Option<usize>,
}

/// Reads the input descriptor (contract §5.2): the TOKEN (copied), an optional
/// `APPLICATION_PROTOCOLS` buffer, and the EMPTY buffer for EXTRA/MISSING. An EMPTY input
/// buffer with a non-zero size is `SEC_E_INVALID_TOKEN` — except on a client's first call
/// (`lenient`), which reads nothing from the peer: there Windows ignores EMPTY buffers of any
/// size and pointer (Wine's `test_connection_shutdown` passes a 24-byte EMPTY buffer).
///
/// # Safety
/// `desc` is NULL or a valid descriptor whose buffers describe readable memory.
unsafe fn read_input(
    desc: *mut SecBufferDesc,
    first_call: bool,
    lenient: bool,
) -> FfiResult<Input> {
    // SAFETY: forwarded contract.
    let Some(list) = (unsafe { BufferList::read(desc) })? else {
        return Ok(Input {
            list: None,
            token: Vec::new(),
            alpn: None,
            extra: None,
        });
    };
    for i in 0..list.len() {
        if !lenient && list.kind(i) == SECBUFFER_EMPTY && list.entry(i).cbBuffer != 0 {
            return Err(Status::SEC_E_INVALID_TOKEN);
        }
    }
    let token_i = list.find_any(SECBUFFER_TOKEN);
    let token = match token_i {
        // SAFETY: the TOKEN buffer describes readable bytes (contract).
        Some(i) => unsafe { list.data(i) }?.to_vec(),
        None => Vec::new(),
    };
    let alpn = match list.find_any(SECBUFFER_APPLICATION_PROTOCOLS) {
        // SAFETY: as above.
        Some(i) if first_call => parse_alpn(unsafe { list.data(i) }?)?,
        _ => None,
    };
    let extra = (0..list.len()).find(|&i| {
        !lenient
            && Some(i) != token_i
            && !list.readonly(i)
            && matches!(
                list.kind(i),
                SECBUFFER_EMPTY | SECBUFFER_EXTRA | SECBUFFER_MISSING
            )
    });
    Ok(Input {
        list: Some(list),
        token,
        alpn,
        extra,
    })
}

/// Whether output buffer `i` is package-allocated: with ALLOCATE_MEMORY, and — as Windows does
/// without the flag — when the caller left `pvBuffer` NULL but gave a size (Wine's
/// `test_connection_shutdown`: a 1000-byte TOKEN with no memory behind it comes back allocated,
/// to be freed with `FreeContextBuffer`). A zero size without the flag stays
/// `SEC_E_INSUFFICIENT_MEMORY` (`test_context_output_buffer_size`).
fn package_allocates(out: &BufferList, i: usize, allocate: bool) -> bool {
    allocate || (out.entry(i).pvBuffer.is_null() && out.entry(i).cbBuffer != 0)
}

/// Writes `bytes` into output buffer `i`: package-allocated when `allocate` (see
/// [`package_allocates`]), else into the caller's buffer (`SEC_E_INSUFFICIENT_MEMORY` when it
/// is too small).
///
/// # Safety
/// Without `allocate`, buffer `i` must describe `cbBuffer` writable bytes.
unsafe fn put(
    out: &mut BufferList,
    i: usize,
    kind: u32,
    bytes: &[u8],
    allocate: bool,
) -> FfiResult<()> {
    let len = u32::try_from(bytes.len()).map_err(|_| Status::SEC_E_INSUFFICIENT_MEMORY)?;
    if allocate {
        out.set(i, kind, len, memory::copy_bytes(bytes));
        return Ok(());
    }
    if bytes.len() > out.entry(i).cbBuffer as usize {
        out.set(i, kind, 0, out.entry(i).pvBuffer);
        return Err(Status::SEC_E_INSUFFICIENT_MEMORY);
    }
    if !bytes.is_empty() {
        // SAFETY: forwarded contract (buffer `i` is the caller's writable output buffer).
        let dst = unsafe { out.data_mut(i) }?;
        dst[..bytes.len()].copy_from_slice(bytes);
    }
    let pv = out.entry(i).pvBuffer;
    out.set(i, kind, len, pv);
    Ok(())
}

/// The context an ISC/ASC call works on.
enum Target {
    /// The caller's `phContext`, locked.
    Existing(ContextGuard),
    /// The context a first call creates (given a handle once the call succeeds).
    New(Box<ContextEntry>),
}

impl Target {
    fn entry(&mut self) -> &mut ContextEntry {
        match self {
            Self::Existing(guard) => guard,
            Self::New(entry) => entry,
        }
    }
}

/// The shared body of ISC and ASC.
#[allow(clippy::too_many_arguments)]
unsafe fn handshake_call(
    side: Side,
    cred_h: *mut SecHandle,
    ctx_h: *mut SecHandle,
    req: u32,
    input_desc: *mut SecBufferDesc,
    new_ctx: *mut SecHandle,
    output_desc: *mut SecBufferDesc,
    attrs: *mut u32,
    expiry: *mut TimeStamp,
) -> FfiResult<Status> {
    let client = matches!(side, Side::Client { .. });
    if client && req & (ISC_REQ_DELEGATE | ISC_REQ_PROMPT_FOR_CREDS) != 0 {
        return Err(Status::SEC_E_UNSUPPORTED_FUNCTION);
    }
    let existing = if ctx_h.is_null() {
        None
    } else {
        // SAFETY: forwarded contract.
        Some(unsafe { context(ctx_h) }?)
    };
    let cred = match existing {
        // SAFETY: forwarded contract.
        None => Some(unsafe { credential(cred_h) }?),
        Some(_) => None,
    };
    // SAFETY: forwarded contract.
    let mut output =
        (unsafe { BufferList::read(output_desc) })?.ok_or(Status::SEC_E_INVALID_TOKEN)?;
    let allocate = req & ISC_REQ_ALLOCATE_MEMORY != 0;
    let token_i = output
        .find(SECBUFFER_TOKEN)
        .or_else(|| output.find(SECBUFFER_EMPTY))
        .ok_or(Status::SEC_E_INVALID_TOKEN)?;
    let alert_i = output.find(SECBUFFER_ALERT);
    if !allocate
        && (output.entry(token_i).cbBuffer == 0
            || alert_i.is_some_and(|i| output.entry(i).cbBuffer == 0))
    {
        return Err(Status::SEC_E_INSUFFICIENT_MEMORY);
    }
    let alloc_token = package_allocates(&output, token_i, allocate);
    let alloc_alert = alert_i.is_some_and(|i| package_allocates(&output, i, allocate));
    if existing.is_none() && !boundary::usable(new_ctx) {
        return Err(Status::SEC_E_INVALID_PARAMETER);
    }
    let first_call = existing.is_none();
    // SAFETY: forwarded contract.
    let mut input = unsafe { read_input(input_desc, first_call, first_call && client) }?;

    let mut target = match (existing, cred) {
        (Some(e), _) => Target::Existing(e),
        (None, Some(cred)) => {
            // ASC_REQ_MUTUAL_AUTH asks for a client certificate, judged against the
            // credential's hRootStore if it has one, else left to the caller.
            let client_auth =
                (!client && req & ASC_REQ_MUTUAL_AUTH != 0).then(|| match &cred.client_roots {
                    Some(roots) => ClientAuth::Optional(roots.clone()),
                    None => ClientAuth::Manual,
                });
            let options = ContextOptions {
                alpn: input.alpn.clone(),
                manual_validation: client && req & ISC_REQ_MANUAL_CRED_VALIDATION != 0,
                use_supplied_credentials: client
                    && (req & ISC_REQ_USE_SUPPLIED_CREDS != 0 || cred.no_default_creds),
                client_auth,
                alpn_required: !client && cred.alpn_required(),
                ..ContextOptions::default()
            };
            let ctx = match &side {
                Side::Client { target } => {
                    let creds = cred.client.as_ref().ok_or(Status::SEC_E_NO_CREDENTIALS)?;
                    SecurityContext::client(creds, target.as_deref(), options)
                }
                Side::Server => {
                    let creds = match &cred.server {
                        None => return Err(Status::SEC_E_NO_CREDENTIALS),
                        Some(Err(status)) => return Err(*status),
                        Some(Ok(c)) => c,
                    };
                    SecurityContext::server(creds, options)
                }
            }
            .map_err(|e| e.status())?;
            let entry = ContextEntry {
                ctx,
                cred,
                alpn_offered: input.alpn.is_some(),
                keying: None,
                header_len: 0,
            };
            Target::New(Box::new(entry))
        }
        (None, None) => return Err(Status::SEC_E_INVALID_HANDLE),
    };

    let mut produced = Vec::new();
    let result = target.entry().ctx.handshake(&input.token, &mut produced);
    // An existing context is unlocked now; a new one is inserted on success.
    let new_entry = match target {
        Target::Existing(guard) => {
            drop(guard);
            None
        }
        Target::New(entry) => Some(entry),
    };
    match result {
        Ok(outcome) => {
            if let HandshakeStatus::IncompleteMessage { missing } = outcome.status {
                // Output untouched; phNewContext not written; a first call creates nothing.
                if let (Some(list), Some(i)) = (input.list.as_mut(), input.extra) {
                    let pv = list.entry(i).pvBuffer;
                    list.set(
                        i,
                        SECBUFFER_MISSING,
                        u32::try_from(missing).unwrap_or(u32::MAX),
                        pv,
                    );
                }
                if let Some(mut list) = input.list {
                    // SAFETY: the caller's input descriptor is still valid.
                    unsafe { list.commit() };
                }
                return Err(Status::SEC_E_INCOMPLETE_MESSAGE);
            }
            // SAFETY: the output buffers are the caller's (contract).
            let written = unsafe {
                put(
                    &mut output,
                    token_i,
                    SECBUFFER_TOKEN,
                    &produced,
                    alloc_token,
                )
            };
            if let Some(i) = alert_i {
                output.set_len(i, 0);
            }
            if let Err(status) = written {
                // SAFETY: the caller's output descriptor is still valid.
                unsafe { output.commit() };
                return Err(status);
            }
            // SEC_I_INCOMPLETE_CREDENTIALS consumes nothing and reports no EXTRA: the caller
            // calls again with the same input.
            let leftover = match outcome.status {
                HandshakeStatus::IncompleteCredentials => 0,
                _ => input.token.len().saturating_sub(outcome.consumed),
            };
            if let (Some(list), Some(i)) = (input.list.as_mut(), input.extra) {
                if leftover > 0 {
                    let pv = list.entry(i).pvBuffer;
                    list.set(
                        i,
                        SECBUFFER_EXTRA,
                        u32::try_from(leftover).unwrap_or(u32::MAX),
                        pv,
                    );
                }
            }
            // SAFETY: the caller's descriptors are still valid.
            unsafe { output.commit() };
            if let Some(mut list) = input.list {
                // SAFETY: as above.
                unsafe { list.commit() };
            }
            let handle = if let Some(entry) = new_entry {
                CONTEXTS.insert(entry)
            } else {
                // SAFETY: `ctx_h` was read successfully above.
                unsafe { read_handle(ctx_h) }?
            };
            // SAFETY: optional out-parameters; NULL is skipped.
            unsafe { boundary::write(new_ctx, handle) };
            // SAFETY: as above.
            unsafe { boundary::write(attrs, returned_flags(client, req)) };
            // SAFETY: as above.
            unsafe { boundary::write(expiry, i64::MAX) };
            Ok(outcome.status.status())
        }
        Err(e) => {
            // The token is empty on failure; the alert (if any) goes to SECBUFFER_ALERT.
            let pv = if alloc_token {
                std::ptr::null_mut()
            } else {
                output.entry(token_i).pvBuffer
            };
            output.set(token_i, SECBUFFER_TOKEN, 0, pv);
            if let Some(i) = alert_i {
                // SAFETY: the ALERT buffer is the caller's output buffer.
                if unsafe { put(&mut output, i, SECBUFFER_ALERT, &produced, alloc_alert) }.is_err()
                {
                    output.set_len(i, 0);
                }
            }
            // SAFETY: the caller's output descriptor is still valid.
            unsafe { output.commit() };
            Err(e.status())
        }
    }
}

/// `InitializeSecurityContextW` (contract §5.2): the client's token loop, and the step that
/// emits a pending control token's record (§8.3).
///
/// # Safety
/// Handles are NULL or readable; `pszTargetName` is NULL or NUL-terminated UTF-16; the
/// descriptors are NULL or valid with their buffers describing accessible memory;
/// out-parameters are NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn InitializeSecurityContextW(
    phCredential: *mut SecHandle,
    phContext: *mut SecHandle,
    pszTargetName: *mut u16,
    fContextReq: u32,
    Reserved1: u32,
    TargetDataRep: u32,
    pInput: *mut SecBufferDesc,
    Reserved2: u32,
    phNewContext: *mut SecHandle,
    pOutput: *mut SecBufferDesc,
    pfContextAttr: *mut u32,
    ptsExpiry: *mut TimeStamp,
) -> SECURITY_STATUS {
    let _ = (Reserved1, TargetDataRep, Reserved2);
    guard("InitializeSecurityContextW", || {
        // SAFETY: NULL or NUL-terminated per the contract.
        let target = unsafe { u16::read_str(pszTargetName) };
        // SAFETY: forwarded contract.
        unsafe {
            handshake_call(
                Side::Client { target },
                phCredential,
                phContext,
                fContextReq,
                pInput,
                phNewContext,
                pOutput,
                pfContextAttr,
                ptsExpiry,
            )
        }
    })
}

/// `InitializeSecurityContextA`: as [`InitializeSecurityContextW`] with an ANSI target name.
///
/// # Safety
/// As [`InitializeSecurityContextW`], with a NUL-terminated `char` target.
#[no_mangle]
pub unsafe extern "C" fn InitializeSecurityContextA(
    phCredential: *mut SecHandle,
    phContext: *mut SecHandle,
    pszTargetName: *mut c_char,
    fContextReq: u32,
    Reserved1: u32,
    TargetDataRep: u32,
    pInput: *mut SecBufferDesc,
    Reserved2: u32,
    phNewContext: *mut SecHandle,
    pOutput: *mut SecBufferDesc,
    pfContextAttr: *mut u32,
    ptsExpiry: *mut TimeStamp,
) -> SECURITY_STATUS {
    let _ = (Reserved1, TargetDataRep, Reserved2);
    guard("InitializeSecurityContextA", || {
        // SAFETY: NULL or NUL-terminated per the contract.
        let target = unsafe { c_char::read_str(pszTargetName) };
        // SAFETY: forwarded contract.
        unsafe {
            handshake_call(
                Side::Client { target },
                phCredential,
                phContext,
                fContextReq,
                pInput,
                phNewContext,
                pOutput,
                pfContextAttr,
                ptsExpiry,
            )
        }
    })
}

/// `AcceptSecurityContext` (contract §5.3): the server's token loop (`ASC_REQ_*` bits). A
/// first call that returns `SEC_E_INCOMPLETE_MESSAGE` creates no context.
///
/// # Safety
/// As [`InitializeSecurityContextW`].
#[no_mangle]
pub unsafe extern "C" fn AcceptSecurityContext(
    phCredential: *mut SecHandle,
    phContext: *mut SecHandle,
    pInput: *mut SecBufferDesc,
    fContextReq: u32,
    TargetDataRep: u32,
    phNewContext: *mut SecHandle,
    pOutput: *mut SecBufferDesc,
    pfContextAttr: *mut u32,
    ptsExpiry: *mut TimeStamp,
) -> SECURITY_STATUS {
    let _ = TargetDataRep;
    guard("AcceptSecurityContext", || {
        // SAFETY: forwarded contract.
        unsafe {
            handshake_call(
                Side::Server,
                phCredential,
                phContext,
                fContextReq,
                pInput,
                phNewContext,
                pOutput,
                pfContextAttr,
                ptsExpiry,
            )
        }
    })
}

/// `DeleteSecurityContext`: frees the context (sends nothing — run the shutdown procedure
/// first). Every later use of the handle is `SEC_E_INVALID_HANDLE`; a call already running
/// on another thread finishes first.
///
/// # Safety
/// `phContext` is NULL or readable.
#[no_mangle]
pub unsafe extern "C" fn DeleteSecurityContext(phContext: *mut SecHandle) -> SECURITY_STATUS {
    guard("DeleteSecurityContext", || {
        // SAFETY: forwarded contract.
        let handle = unsafe { read_handle(phContext) }?;
        match CONTEXTS.remove(&handle) {
            Some(_) => Ok(Status::SEC_E_OK),
            None => Err(Status::SEC_E_INVALID_HANDLE),
        }
    })
}

/// Reads the little-endian DWORD at `offset`.
fn dword(bytes: &[u8], offset: usize) -> Option<u32> {
    let b = bytes.get(offset..offset + 4)?;
    Some(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
}

/// `ApplyControlToken` (contract §8.2): `SCHANNEL_SHUTDOWN` and `SCHANNEL_ALERT` arm the next
/// ISC/ASC call; `SCHANNEL_SESSION` is accepted (no effect: there are no session-ID
/// reconnects to disable per context); `SCHANNEL_RENEGOTIATE` and unknown types are
/// `SEC_E_UNSUPPORTED_FUNCTION`.
///
/// # Safety
/// `phContext` is NULL or readable; `pInput` is NULL or a valid descriptor.
#[no_mangle]
pub unsafe extern "C" fn ApplyControlToken(
    phContext: *mut SecHandle,
    pInput: *mut SecBufferDesc,
) -> SECURITY_STATUS {
    guard("ApplyControlToken", || {
        // SAFETY: forwarded contract.
        let mut entry = unsafe { context(phContext) }?;
        if pInput.is_null() {
            return Err(Status::SEC_E_INTERNAL_ERROR);
        }
        // SAFETY: forwarded contract.
        let list = (unsafe { BufferList::read(pInput) })?.ok_or(Status::SEC_E_INTERNAL_ERROR)?;
        if list.len() != 1 || list.kind(0) != SECBUFFER_TOKEN {
            return Err(Status::SEC_E_INVALID_TOKEN);
        }
        if list.entry(0).cbBuffer < 4 {
            return Err(Status::SEC_E_UNSUPPORTED_FUNCTION);
        }
        // SAFETY: the TOKEN buffer describes readable bytes.
        let token = unsafe { list.data(0) }?;
        let control = match dword(token, 0) {
            Some(SCHANNEL_SHUTDOWN) => ControlToken::Shutdown,
            Some(SCHANNEL_ALERT) => {
                let (Some(level), Some(number)) = (dword(token, 4), dword(token, 8)) else {
                    return Err(Status::SEC_E_INVALID_TOKEN);
                };
                let level = match level {
                    1 => AlertLevel::Warning,
                    2 => AlertLevel::Fatal,
                    _ => return Err(Status::SEC_E_INVALID_TOKEN),
                };
                let description = u8::try_from(number).map_err(|_| Status::SEC_E_INVALID_TOKEN)?;
                ControlToken::Alert { level, description }
            }
            Some(SCHANNEL_SESSION) => {
                if dword(token, 4).is_none() {
                    return Err(Status::SEC_E_INVALID_TOKEN);
                }
                return Ok(Status::SEC_E_OK);
            }
            Some(SCHANNEL_RENEGOTIATE) | Some(_) | None => {
                return Err(Status::SEC_E_UNSUPPORTED_FUNCTION)
            }
        };
        entry
            .ctx
            .apply_control_token(control)
            .map_err(|e| e.status())?;
        Ok(Status::SEC_E_OK)
    })
}

/// Runs `f` on the locked context behind a handle (used by the panic-boundary tests).
#[cfg(test)]
pub(crate) fn with_context<R>(
    h: &SecHandle,
    f: impl FnOnce(&mut ContextEntry) -> R,
) -> FfiResult<R> {
    // SAFETY: `h` is a valid reference.
    let mut entry = unsafe { context(h) }?;
    Ok(f(&mut entry))
}

#[cfg(test)]
// Tests call the exports with arguments that satisfy their contracts.
#[allow(
    clippy::undocumented_unsafe_blocks,
    clippy::multiple_unsafe_ops_per_block
)]
pub(crate) mod tests {
    use super::*;

    fn alpn_buffer(lists: &[(u32, &[&[u8]])]) -> Vec<u8> {
        let mut body = Vec::new();
        for (ext, names) in lists {
            let mut wire = Vec::new();
            for n in *names {
                wire.push(n.len() as u8);
                wire.extend_from_slice(n);
            }
            body.extend_from_slice(&ext.to_le_bytes());
            body.extend_from_slice(&(wire.len() as u16).to_le_bytes());
            body.extend_from_slice(&wire);
        }
        let mut buf = (body.len() as u32).to_le_bytes().to_vec();
        buf.extend_from_slice(&body);
        buf
    }

    #[test]
    fn alpn_buffers_parse() {
        let buf = alpn_buffer(&[(2, &[b"http/1.1", b"h2"])]);
        assert_eq!(buf.len(), 4 + 6 + 12);
        assert_eq!(
            parse_alpn(&buf),
            Ok(Some(vec![b"http/1.1".to_vec(), b"h2".to_vec()]))
        );
        // NPN lists are skipped; empty offers are "no ALPN".
        let buf = alpn_buffer(&[(1, &[b"spdy"]), (2, &[b"h2"])]);
        assert_eq!(parse_alpn(&buf), Ok(Some(vec![b"h2".to_vec()])));
        assert_eq!(parse_alpn(&alpn_buffer(&[(2, &[])])), Ok(None));
    }

    #[test]
    fn malformed_alpn_buffers_are_invalid_tokens() {
        let bad = Err(Status::SEC_E_INVALID_TOKEN);
        assert_eq!(parse_alpn(&[1, 0]), bad);
        let mut buf = alpn_buffer(&[(2, &[b"h2"])]);
        buf[0] += 1; // ProtocolListsSize beyond the buffer
        assert_eq!(parse_alpn(&buf), bad);
        let buf = alpn_buffer(&[(7, &[b"h2"])]); // unknown extension type
        assert_eq!(parse_alpn(&buf), bad);
        let mut buf = alpn_buffer(&[(2, &[b"h2"])]);
        buf[10] = 9; // name length past the list
        assert_eq!(parse_alpn(&buf), bad);
        let mut buf = alpn_buffer(&[(2, &[b"h2"])]);
        buf[10] = 0; // empty name
        assert_eq!(parse_alpn(&buf), bad);
    }

    #[test]
    fn flags_follow_contract_4_3() {
        // CONFIDENTIALITY | STREAM | USE_SUPPLIED_CREDS → 0x809C.
        assert_eq!(returned_flags(true, 0x10 | 0x8000 | 0x80), 0x809C);
        assert_eq!(returned_flags(true, 0), 0x801C);
        assert_eq!(
            returned_flags(true, ISC_REQ_ALLOCATE_MEMORY | ISC_REQ_DELEGATE),
            0x811C
        );
        assert_eq!(
            returned_flags(false, ASC_REQ_EXTENDED_ERROR | ASC_REQ_ALLOCATE_MEMORY),
            0x1811C
        );
        // ISC_REQ_STREAM on a server means EXTENDED_ERROR there.
        assert_eq!(returned_flags(false, 0x8000), 0x1801C);
    }

    /// A client context after its first ISC call (manual validation, package-allocated token).
    pub(crate) fn client_context() -> (SecHandle, SecHandle) {
        let mut cred = SecHandle::default();
        let name = c_char::encode("Schannel");
        let s = unsafe {
            super::super::credentials::AcquireCredentialsHandleA(
                std::ptr::null_mut(),
                name.as_ptr().cast_mut(),
                SECPKG_CRED_OUTBOUND,
                std::ptr::null_mut(),
                std::ptr::null_mut(),
                None,
                std::ptr::null_mut(),
                &mut cred,
                std::ptr::null_mut(),
            )
        };
        assert_eq!(s, 0);
        let mut out = [SecBuffer {
            cbBuffer: 0,
            BufferType: SECBUFFER_TOKEN,
            pvBuffer: std::ptr::null_mut(),
        }];
        let mut desc = SecBufferDesc {
            ulVersion: 0,
            cBuffers: 1,
            pBuffers: out.as_mut_ptr(),
        };
        let mut ctx = SecHandle::default();
        let target = c_char::encode("localhost");
        let s = unsafe {
            InitializeSecurityContextA(
                &mut cred,
                std::ptr::null_mut(),
                target.as_ptr().cast_mut(),
                ISC_REQ_ALLOCATE_MEMORY | ISC_REQ_MANUAL_CRED_VALIDATION,
                0,
                0,
                std::ptr::null_mut(),
                0,
                &mut ctx,
                &mut desc,
                std::ptr::null_mut(),
                std::ptr::null_mut(),
            )
        };
        assert_eq!(s, Status::SEC_I_CONTINUE_NEEDED.raw());
        assert!(out[0].cbBuffer > 0);
        assert_eq!(crate::memory::free(out[0].pvBuffer), Status::SEC_E_OK);
        (cred, ctx)
    }

    #[test]
    fn a_panic_inside_a_context_call_fails_that_context() {
        let (mut cred, mut ctx) = client_context();
        let status = crate::boundary::guard("test", || {
            with_context(&ctx, |_| panic!("boom"))?;
            Ok(Status::SEC_E_OK)
        });
        assert_eq!(status, Status::SEC_E_INTERNAL_ERROR.raw());
        // The context is poisoned: every later call reports the failure, nothing is UB.
        let mut sizes = [0u32; 5];
        let s = unsafe {
            super::super::query::QueryContextAttributesA(
                &mut ctx,
                SECPKG_ATTR_STREAM_SIZES,
                sizes.as_mut_ptr().cast(),
            )
        };
        assert_eq!(s, Status::SEC_E_INTERNAL_ERROR.raw());
        assert_eq!(unsafe { DeleteSecurityContext(&mut ctx) }, 0);
        assert_eq!(
            unsafe { DeleteSecurityContext(&mut ctx) },
            Status::SEC_E_INVALID_HANDLE.raw()
        );
        assert_eq!(
            unsafe { super::super::credentials::FreeCredentialsHandle(&mut cred) },
            0
        );
    }

    #[test]
    fn delete_racing_other_calls_is_safe() {
        let (mut cred, ctx) = client_context();
        let threads: Vec<_> = (0..4)
            .map(|i| {
                let mut h = ctx;
                std::thread::spawn(move || {
                    for _ in 0..200 {
                        let mut sizes = [0u32; 5];
                        let s = unsafe {
                            super::super::query::QueryContextAttributesA(
                                &mut h,
                                SECPKG_ATTR_STREAM_SIZES,
                                sizes.as_mut_ptr().cast(),
                            )
                        };
                        // Before the handshake: INVALID_HANDLE from the core; after delete: from the table.
                        assert_eq!(s, Status::SEC_E_INVALID_HANDLE.raw());
                        if i == 0 {
                            let _ = unsafe { DeleteSecurityContext(&mut h) };
                        }
                    }
                })
            })
            .collect();
        for t in threads {
            t.join().expect("thread");
        }
        assert_eq!(
            unsafe { super::super::credentials::FreeCredentialsHandle(&mut cred) },
            0
        );
    }

    #[test]
    fn dword_reads_little_endian() {
        assert_eq!(dword(&[1, 0, 0, 0, 9], 0), Some(1));
        assert_eq!(dword(&[1, 0], 0), None);
    }

    #[test]
    fn control_token_validation_without_a_context() {
        // SAFETY: NULL handle is rejected before use.
        assert_eq!(
            unsafe { ApplyControlToken(std::ptr::null_mut(), std::ptr::null_mut()) },
            Status::SEC_E_INVALID_HANDLE.raw()
        );
        let mut forged = SecHandle {
            dwLower: 0x1A,
            dwUpper: 77,
        };
        // SAFETY: forged handle is rejected by the table.
        assert_eq!(
            unsafe { DeleteSecurityContext(&mut forged) },
            Status::SEC_E_INVALID_HANDLE.raw()
        );
    }
}
