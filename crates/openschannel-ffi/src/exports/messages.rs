//! `EncryptMessage` / `DecryptMessage` (contract §6, §7), in place in the caller's buffers.

use std::ffi::c_void;

use openschannel_core::{Decrypted, Status};

use super::context;
use crate::boundary::{self, guard, FfiResult};
use crate::buffers::{overlap, BufferList};
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
    let [data_i, header_i, trailer_i] = list.find_each([
        SECBUFFER_DATA,
        SECBUFFER_STREAM_HEADER,
        SECBUFFER_STREAM_TRAILER,
    ]);
    let data_i = data_i.ok_or(Status::SEC_E_INVALID_TOKEN)?;
    let header_i = header_i.ok_or(Status::SEC_E_INVALID_TOKEN)?;
    let trailer_i = trailer_i.ok_or(Status::SEC_E_INVALID_TOKEN)?;
    let (hs, ds, ts) = (list.span(header_i), list.span(data_i), list.span(trailer_i));
    if overlap(hs, ds) || overlap(hs, ts) || overlap(ds, ts) {
        return Err(Status::SEC_E_INVALID_TOKEN);
    }
    // The usual layout: header | data | trailer back to back, the header exactly cbHeader
    // bytes. The record is then sealed in one contiguous buffer (in place in the core);
    // any other layout goes through the three separate regions.
    let contiguous = hs.1 == ds.0 && ds.1 == ts.0 && entry.stream_header() == Some(hs.1 - hs.0);
    let ctx = &mut entry.ctx;
    let written = if contiguous {
        let data_len = ds.1 - ds.0;
        // SAFETY: the three buffers each describe writable caller memory (contract), do not
        // overlap (checked above) and are adjacent in the order header, data, trailer (checked
        // here): together they are the one writable region [header start, trailer end) of the
        // caller's record buffer, referenced by nothing else during the call.
        let buf = unsafe { list.region_mut(header_i, ts.1 - hs.0) }?;
        ctx.encrypt(buf, data_len)
    } else {
        // SAFETY: the three buffers describe writable caller memory (contract) and do not
        // overlap (checked above), so the three mutable slices never alias.
        let header = unsafe { list.data_mut(header_i) }?;
        // SAFETY: as above.
        let data = unsafe { list.data_mut(data_i) }?;
        // SAFETY: as above.
        let trailer = unsafe { list.data_mut(trailer_i) }?;
        ctx.encrypt_parts(header, data, trailer)
    }
    .map_err(|e| e.status())?;
    drop(entry);
    let len = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
    list.set_len(header_i, len(written.header));
    list.set_len(data_i, len(written.data));
    list.set_len(trailer_i, len(written.trailer));
    // SAFETY: the caller's descriptor is still valid.
    unsafe { list.commit() };
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
    let (datas, data_i) = list.count_any(SECBUFFER_DATA);
    let (empties, n_empty) = list.first::<3>(SECBUFFER_EMPTY);
    let Some(data_i) = data_i else {
        return Err(Status::SEC_E_INVALID_TOKEN);
    };
    if list.len() < 4 || datas != 1 || n_empty < 3 || list.readonly(data_i) {
        return Err(Status::SEC_E_INVALID_TOKEN);
    }
    // SAFETY: the DATA buffer describes writable caller memory (contract); nothing else
    // references it during the call.
    let buf = unsafe { list.data_mut(data_i) }?;
    // Returned pointers are offsets into the caller's DATA buffer. (Not `buf.as_mut_ptr()`: for
    // an empty buffer that is a dangling placeholder, which must never reach the caller.)
    let base = list.bufs[data_i].pvBuffer.cast::<u8>();
    let result = entry.ctx.decrypt(buf).map_err(|e| e.status())?;
    drop(entry);
    let len = |r: &std::ops::Range<usize>| u32::try_from(r.len()).unwrap_or(u32::MAX);
    let at = |offset: usize| base.wrapping_add(offset).cast::<c_void>();
    let layout = match &result {
        Decrypted::IncompleteMessage { missing } => {
            let missing = u32::try_from(*missing).unwrap_or(u32::MAX);
            let pv = list.bufs[data_i].pvBuffer;
            list.set(data_i, SECBUFFER_MISSING, missing, pv);
            let pv = list.bufs[empties[0]].pvBuffer;
            list.set(empties[0], SECBUFFER_MISSING, missing, pv);
            // SAFETY: the caller's descriptor is still valid.
            unsafe { list.commit() };
            return Err(Status::SEC_E_INCOMPLETE_MESSAGE);
        }
        Decrypted::Data(l) | Decrypted::Renegotiate(l) | Decrypted::ContextExpired(l) => l.clone(),
    };
    list.set(
        data_i,
        SECBUFFER_STREAM_HEADER,
        len(&layout.header),
        at(layout.header.start),
    );
    list.set(
        empties[0],
        SECBUFFER_DATA,
        len(&layout.data),
        at(layout.data.start),
    );
    list.set(
        empties[1],
        SECBUFFER_STREAM_TRAILER,
        len(&layout.trailer),
        at(layout.trailer.start),
    );
    if !layout.extra.is_empty() {
        list.set(
            empties[2],
            SECBUFFER_EXTRA,
            len(&layout.extra),
            at(layout.extra.start),
        );
    }
    // SAFETY: the caller's descriptor is still valid.
    unsafe { list.commit() };
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
