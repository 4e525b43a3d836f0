//! `EncryptMessage` / `DecryptMessage` (contract §6, §7), in place in the caller's buffers.

use std::ffi::c_void;

use openschannel_core::{Decrypted, Status};

use super::context;
use crate::boundary::{self, guard, FfiResult};
use crate::buffers::{overlap, span_of, BufferList};
use crate::types::*;

unsafe fn encrypt(h: *mut SecHandle, qop: u32, desc: *mut SecBufferDesc) -> FfiResult<Status> {
    // SAFETY: forwarded contract.
    let mut entry = unsafe { context(h) }?;
    let mut list = BufferList::new();
    // SAFETY: forwarded contract.
    if !unsafe { list.load(desc) }? {
        return Err(Status::SEC_E_INVALID_TOKEN);
    }
    if qop != 0 {
        return Err(Status::SEC_E_QOP_NOT_SUPPORTED);
    }
    // One pass over the copied entries: the first writable DATA, STREAM_HEADER and
    // STREAM_TRAILER buffer (`usize::MAX`: none).
    let bufs: &[SecBuffer] = list.entries();
    let (mut data_i, mut header_i, mut trailer_i) = (usize::MAX, usize::MAX, usize::MAX);
    for (i, b) in bufs.iter().enumerate() {
        if b.BufferType & SECBUFFER_READONLY != 0 {
            continue;
        }
        let slot = match b.BufferType & !SECBUFFER_ATTRMASK {
            SECBUFFER_DATA => &mut data_i,
            SECBUFFER_STREAM_HEADER => &mut header_i,
            SECBUFFER_STREAM_TRAILER => &mut trailer_i,
            _ => continue,
        };
        if *slot == usize::MAX {
            *slot = i;
        }
    }
    let (Some(d), Some(hd), Some(tr)) = (bufs.get(data_i), bufs.get(header_i), bufs.get(trailer_i))
    else {
        return Err(Status::SEC_E_INVALID_TOKEN);
    };
    let (hs, ds, ts) = (span_of(hd), span_of(d), span_of(tr));
    if overlap(hs, ds) || overlap(hs, ts) || overlap(ds, ts) {
        return Err(Status::SEC_E_INVALID_TOKEN);
    }
    // The usual layout: header | data | trailer back to back, the header exactly cbHeader
    // bytes. The record is then sealed in one contiguous buffer (in place in the core);
    // any other layout goes through the three separate regions.
    let contiguous = hs.1 == ds.0 && ds.1 == ts.0 && entry.stream_header() == Some(hs.1 - hs.0);
    let ctx = &mut entry.ctx;
    let bad = Status::SEC_E_INVALID_TOKEN;
    let written = if contiguous {
        let data_len = ds.1 - ds.0;
        // SAFETY: the three buffers each describe writable caller memory (contract), do not
        // overlap (checked above) and are adjacent in the order header, data, trailer (checked
        // here): together they are the one writable region [header start, trailer end) of the
        // caller's record buffer, referenced by nothing else during the call.
        let buf = unsafe { boundary::bytes_mut(hd.pvBuffer, ts.1 - hs.0, bad) }?;
        ctx.encrypt(buf, data_len)
    } else {
        // SAFETY: the three buffers describe writable caller memory (contract) and do not
        // overlap (checked above), so the three mutable slices never alias.
        let header = unsafe { boundary::bytes_mut(hd.pvBuffer, hd.cbBuffer as usize, bad) }?;
        // SAFETY: as above.
        let data = unsafe { boundary::bytes_mut(d.pvBuffer, d.cbBuffer as usize, bad) }?;
        // SAFETY: as above.
        let trailer = unsafe { boundary::bytes_mut(tr.pvBuffer, tr.cbBuffer as usize, bad) }?;
        ctx.encrypt_parts(header, data, trailer)
    }
    .map_err(|e| e.status())?;
    drop(entry);
    let len = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
    // The three sizes, written straight into the caller's entries (type, attributes and
    // pointer unchanged).
    for (i, b, n) in [
        (header_i, hd, written.header),
        (data_i, d, written.data),
        (trailer_i, tr, written.trailer),
    ] {
        let kind = b.BufferType & !SECBUFFER_ATTRMASK;
        // SAFETY: the caller's descriptor is still valid; `i` indexes it.
        unsafe { list.store(i, b, kind, len(n), b.pvBuffer) };
    }
    Ok(Status::SEC_E_OK)
}

/// `EncryptMessage` (contract §6): `pMessage` = `[STREAM_HEADER(cbHeader), DATA(plaintext ≤
/// cbMaximumMessage), STREAM_TRAILER(cbTrailer), EMPTY]`; the DATA bytes are encrypted in
/// place into exactly one record, the header gets exactly `cbHeader` bytes, and the three
/// `cbBuffer`s give the record's parts. Buffers are matched by type (attribute bits masked);
/// `SECBUFFER_READONLY` buffers are skipped. No DATA (or header/trailer) buffer, or
/// overlapping regions → `SEC_E_INVALID_TOKEN`; `fQOP` ≠ 0 → `SEC_E_QOP_NOT_SUPPORTED`.
/// The usual layout — header (exactly `cbHeader` bytes), data and trailer back to back in one
/// buffer — is sealed in place as one region; any other layout (gaps, separate buffers, a
/// larger header buffer) is encrypted through the three regions, with the same results.
///
/// # Safety
/// `phContext` is NULL or readable; `pMessage` is NULL or a valid descriptor whose buffers
/// describe writable memory.
#[no_mangle]
pub unsafe extern "C" fn EncryptMessage(
    phContext: *mut SecHandle,
    fQOP: u32,
    pMessage: *mut SecBufferDesc,
    MessageSeqNo: u32,
) -> SECURITY_STATUS {
    let _ = MessageSeqNo;
    // SAFETY: forwarded contract.
    guard("EncryptMessage", || unsafe {
        encrypt(phContext, fQOP, pMessage)
    })
}

unsafe fn decrypt(h: *mut SecHandle, desc: *mut SecBufferDesc, qop: *mut u32) -> FfiResult<Status> {
    // SAFETY: forwarded contract.
    let mut entry = unsafe { context(h) }?;
    let mut list = BufferList::new();
    // SAFETY: forwarded contract.
    if !unsafe { list.load(desc) }? {
        return Err(Status::SEC_E_INVALID_TOKEN);
    }
    // Layout checks (contract §7.1): ≥ 4 buffers, exactly one DATA, ≥ 3 writable EMPTY.
    let scan = list.scan::<3>(SECBUFFER_DATA, SECBUFFER_EMPTY);
    let bufs: &[SecBuffer] = list.entries();
    let Some(data_i) = scan.first_counted else {
        return Err(Status::SEC_E_INVALID_TOKEN);
    };
    let d = bufs[data_i];
    if bufs.len() < 4
        || scan.counted != 1
        || scan.frees < 3
        || d.BufferType & SECBUFFER_READONLY != 0
    {
        return Err(Status::SEC_E_INVALID_TOKEN);
    }
    let [e0, e1, e2] = scan.free;
    // SAFETY: the DATA buffer describes writable caller memory (contract); nothing else
    // references it during the call.
    let buf = unsafe {
        boundary::bytes_mut(d.pvBuffer, d.cbBuffer as usize, Status::SEC_E_INVALID_TOKEN)
    }?;
    let result = entry.ctx.decrypt(buf).map_err(|e| e.status())?;
    drop(entry);
    // Returned pointers are offsets into the caller's DATA buffer. (Not `buf.as_mut_ptr()`: for
    // an empty buffer that is a dangling placeholder, which must never reach the caller.)
    let base = d.pvBuffer.cast::<u8>();
    let len = |r: &std::ops::Range<usize>| u32::try_from(r.len()).unwrap_or(u32::MAX);
    let at = |offset: usize| base.wrapping_add(offset).cast::<c_void>();
    // The entries are rewritten straight into the caller's descriptor; the DATA buffer's
    // borrow ended with the call above.
    let layout = match &result {
        Decrypted::IncompleteMessage { missing } => {
            let missing = u32::try_from(*missing).unwrap_or(u32::MAX);
            // SAFETY: the caller's descriptor is still valid; the indices are its entries.
            unsafe { list.store(data_i, &d, SECBUFFER_MISSING, missing, d.pvBuffer) };
            let b = &bufs[e0];
            // SAFETY: as above.
            unsafe { list.store(e0, b, SECBUFFER_MISSING, missing, b.pvBuffer) };
            return Err(Status::SEC_E_INCOMPLETE_MESSAGE);
        }
        Decrypted::Data(l) | Decrypted::Renegotiate(l) | Decrypted::ContextExpired(l) => l,
    };
    let header = (SECBUFFER_STREAM_HEADER, &layout.header);
    let data = (SECBUFFER_DATA, &layout.data);
    let trailer = (SECBUFFER_STREAM_TRAILER, &layout.trailer);
    for (i, (kind, range)) in [(data_i, header), (e0, data), (e1, trailer)] {
        // SAFETY: the caller's descriptor is still valid; the indices are its entries.
        unsafe { list.store(i, &bufs[i], kind, len(range), at(range.start)) };
    }
    if !layout.extra.is_empty() {
        let extra = &layout.extra;
        // SAFETY: as above.
        unsafe { list.store(e2, &bufs[e2], SECBUFFER_EXTRA, len(extra), at(extra.start)) };
    }
    // SAFETY: optional out-parameter; NULL is skipped.
    unsafe { boundary::write(qop, 0) };
    Ok(result.status())
}

/// `DecryptMessage` (contract §7): `pMessage` = `[DATA(received bytes), EMPTY, EMPTY, EMPTY]`.
/// Decrypts the one record at the start of DATA in place and rewrites the descriptor as
/// `[STREAM_HEADER, DATA(plaintext), STREAM_TRAILER, EXTRA (only if bytes remain)]`, the
/// pointers pointing into the caller's buffer. Returns `SEC_E_OK`, `SEC_I_RENEGOTIATE` (a
/// post-handshake message: call ISC/ASC with the EXTRA bytes), `SEC_I_CONTEXT_EXPIRED` (the
/// peer's close_notify) or `SEC_E_INCOMPLETE_MESSAGE` (DATA and the first EMPTY become
/// `SECBUFFER_MISSING` with the count). Fewer than 4 buffers, no or two DATA buffers, or
/// fewer than 3 EMPTY buffers → `SEC_E_INVALID_TOKEN`.
///
/// # Safety
/// `phContext` is NULL or readable; `pMessage` is NULL or a valid descriptor whose DATA
/// buffer describes writable memory; `pfQOP` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn DecryptMessage(
    phContext: *mut SecHandle,
    pMessage: *mut SecBufferDesc,
    MessageSeqNo: u32,
    pfQOP: *mut u32,
) -> SECURITY_STATUS {
    let _ = MessageSeqNo;
    // SAFETY: forwarded contract.
    guard("DecryptMessage", || unsafe {
        decrypt(phContext, pMessage, pfQOP)
    })
}
