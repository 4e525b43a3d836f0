//! Views of a caller's `SecBufferDesc`.
//!
//! The descriptor's `SecBuffer` array is copied in on entry ([`BufferList::read`]) and only the
//! entries the call changed are written back ([`BufferList::commit`]), so the package never
//! holds a Rust reference into the caller's descriptor while it works on the data buffers.
//! Buffer types are classified with the attribute bits masked off (`& 0x0FFFFFFF`); attribute
//! bits are preserved on rewritten entries, and `SECBUFFER_READONLY` buffers are never written.

use std::ffi::c_void;

use openschannel_core::Status;

use crate::boundary::{self, FfiResult};
use crate::types::{SecBuffer, SecBufferDesc, SECBUFFER_ATTRMASK, SECBUFFER_READONLY};

/// Most buffers one descriptor may hold (Schannel calls use at most a handful).
const MAX_BUFFERS: u32 = 64;

/// A caller's buffer descriptor, copied in.
pub(crate) struct BufferList {
    desc: *mut SecBufferDesc,
    pBuffers: *mut SecBuffer,
    /// The buffers (changes are written back by `commit`).
    pub(crate) bufs: Vec<SecBuffer>,
    dirty: Vec<bool>,
}

impl BufferList {
    /// Copies the descriptor at `desc`; `Ok(None)` for NULL. A descriptor that cannot be read
    /// (misaligned, too many buffers, NULL array) is `SEC_E_INVALID_TOKEN`.
    ///
    /// # Safety
    /// `desc` is NULL or points to a `SecBufferDesc` whose `pBuffers` holds `cBuffers` entries.
    pub(crate) unsafe fn read(desc: *mut SecBufferDesc) -> FfiResult<Option<Self>> {
        // SAFETY: forwarded caller contract.
        let Some(d) = (unsafe { boundary::read_opt(desc, Status::SEC_E_INVALID_TOKEN) })? else {
            return Ok(None);
        };
        if d.cBuffers > MAX_BUFFERS || (d.cBuffers > 0 && !boundary::usable(d.pBuffers)) {
            return Err(Status::SEC_E_INVALID_TOKEN);
        }
        let mut bufs = Vec::with_capacity(d.cBuffers as usize);
        for i in 0..d.cBuffers as usize {
            let p = d.pBuffers.wrapping_add(i);
            // SAFETY: `pBuffers` is aligned, non-NULL and holds `cBuffers` entries.
            bufs.push(unsafe { p.read() });
        }
        Ok(Some(Self {
            desc,
            pBuffers: d.pBuffers,
            dirty: vec![false; bufs.len()],
            bufs,
        }))
    }

    /// Number of buffers.
    pub(crate) fn len(&self) -> usize {
        self.bufs.len()
    }

    /// The buffer type without attribute bits.
    pub(crate) fn kind(&self, i: usize) -> u32 {
        self.bufs[i].BufferType & !SECBUFFER_ATTRMASK
    }

    /// Whether the buffer is `SECBUFFER_READONLY`.
    pub(crate) fn readonly(&self, i: usize) -> bool {
        self.bufs[i].BufferType & SECBUFFER_READONLY != 0
    }

    /// The first writable buffer of type `kind`.
    pub(crate) fn find(&self, kind: u32) -> Option<usize> {
        (0..self.len()).find(|&i| self.kind(i) == kind && !self.readonly(i))
    }

    /// The first buffer of type `kind`, read-only or not (input buffers).
    pub(crate) fn find_any(&self, kind: u32) -> Option<usize> {
        (0..self.len()).find(|&i| self.kind(i) == kind)
    }

    /// Indices of the writable buffers of type `kind`, in order.
    pub(crate) fn all(&self, kind: u32) -> Vec<usize> {
        (0..self.len())
            .filter(|&i| self.kind(i) == kind && !self.readonly(i))
            .collect()
    }

    /// Rewrites buffer `i` (type, size, pointer), keeping its attribute bits. Read-only buffers
    /// are left alone.
    pub(crate) fn set(&mut self, i: usize, kind: u32, cb: u32, pv: *mut c_void) {
        if self.readonly(i) {
            return;
        }
        let attrs = self.bufs[i].BufferType & SECBUFFER_ATTRMASK;
        self.bufs[i] = SecBuffer {
            cbBuffer: cb,
            BufferType: kind | attrs,
            pvBuffer: pv,
        };
        self.dirty[i] = true;
    }

    /// Sets the size of buffer `i` only.
    pub(crate) fn set_len(&mut self, i: usize, cb: u32) {
        let b = self.bufs[i];
        self.set(i, b.BufferType & !SECBUFFER_ATTRMASK, cb, b.pvBuffer);
    }

    /// Borrows the bytes of buffer `i`.
    ///
    /// # Safety
    /// The caller's buffer `i` must describe `cbBuffer` readable bytes at `pvBuffer` that stay
    /// valid for `'a`.
    pub(crate) unsafe fn data<'a>(&self, i: usize) -> FfiResult<&'a [u8]> {
        let b = self.bufs[i];
        // SAFETY: forwarded caller contract.
        unsafe { boundary::bytes(b.pvBuffer, b.cbBuffer as usize, Status::SEC_E_INVALID_TOKEN) }
    }

    /// Mutably borrows the bytes of buffer `i`.
    ///
    /// # Safety
    /// As [`data`](Self::data), and the bytes must not be aliased by another live reference.
    pub(crate) unsafe fn data_mut<'a>(&self, i: usize) -> FfiResult<&'a mut [u8]> {
        let b = self.bufs[i];
        // SAFETY: forwarded caller contract.
        unsafe { boundary::bytes_mut(b.pvBuffer, b.cbBuffer as usize, Status::SEC_E_INVALID_TOKEN) }
    }

    /// Byte range `[start, end)` of buffer `i` as addresses.
    pub(crate) fn span(&self, i: usize) -> (usize, usize) {
        let b = self.bufs[i];
        let start = b.pvBuffer as usize;
        (start, start.saturating_add(b.cbBuffer as usize))
    }

    /// Writes the changed entries back into the caller's descriptor.
    ///
    /// # Safety
    /// The descriptor passed to [`read`](Self::read) must still be valid and writable.
    pub(crate) unsafe fn commit(self) {
        let _ = self.desc;
        for (i, b) in self.bufs.iter().enumerate() {
            if self.dirty[i] {
                let p = self.pBuffers.wrapping_add(i);
                // SAFETY: entry `i` of the caller's array (validated by `read`) is writable.
                unsafe { p.write(*b) };
            }
        }
    }
}

/// True when the non-empty address ranges overlap.
pub(crate) fn overlap(a: (usize, usize), b: (usize, usize)) -> bool {
    a.0 < a.1 && b.0 < b.1 && a.0 < b.1 && b.0 < a.1
}
