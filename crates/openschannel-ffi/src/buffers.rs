//! Views of a caller's `SecBufferDesc`.
//!
//! The descriptor's `SecBuffer` array is copied in on entry ([`BufferList::read`]) and only the
//! entries the call changed are written back ([`BufferList::commit`], or entry by entry with
//! [`BufferList::store`] once the work is done, as `EncryptMessage` / `DecryptMessage` do), so
//! the package never holds a Rust reference into the caller's descriptor while it works on the
//! data buffers.
//! Buffer types are classified with the attribute bits masked off (`& 0x0FFFFFFF`); attribute
//! bits are preserved on rewritten entries, and `SECBUFFER_READONLY` buffers are never written.

use std::ffi::c_void;
use std::ops::{Deref, DerefMut};

use openschannel_core::Status;

use crate::boundary::{self, FfiResult};
use crate::types::{SecBuffer, SecBufferDesc, SECBUFFER_ATTRMASK, SECBUFFER_READONLY};

/// Most buffers one descriptor may hold (Schannel calls use at most a handful). At most 64:
/// [`BufferList`] keeps one dirty bit per buffer in a `u64`.
const MAX_BUFFERS: u32 = 64;

/// Descriptors up to this many buffers are copied onto the stack: EncryptMessage and
/// DecryptMessage (4 buffers) allocate nothing here.
const INLINE: usize = 8;

const NO_BUFFER: SecBuffer = SecBuffer {
    cbBuffer: 0,
    BufferType: 0,
    pvBuffer: std::ptr::null_mut(),
};

/// The copied `SecBuffer` array: inline for small descriptors, on the heap beyond
/// [`INLINE`] entries.
pub(crate) enum Buffers {
    /// The first `len` entries are the caller's.
    Inline([SecBuffer; INLINE], usize),
    /// More than [`INLINE`] buffers.
    Heap(Vec<SecBuffer>),
}

impl Deref for Buffers {
    type Target = [SecBuffer];

    #[inline]
    fn deref(&self) -> &[SecBuffer] {
        match self {
            Self::Inline(items, len) => &items[..*len],
            Self::Heap(v) => v,
        }
    }
}

impl DerefMut for Buffers {
    #[inline]
    fn deref_mut(&mut self) -> &mut [SecBuffer] {
        match self {
            Self::Inline(items, len) => &mut items[..*len],
            Self::Heap(v) => v,
        }
    }
}

/// A caller's buffer descriptor, copied in.
pub(crate) struct BufferList {
    pBuffers: *mut SecBuffer,
    /// The buffers (changed only through `load` and `set`; written back by `commit`/`store`).
    bufs: Buffers,
    /// Bit `i` set: entry `i` changed and is written back.
    dirty: u64,
}

impl BufferList {
    /// A list holding no descriptor, for [`load`](Self::load) to fill in place.
    #[inline]
    pub(crate) const fn new() -> Self {
        Self {
            pBuffers: std::ptr::null_mut(),
            bufs: Buffers::Inline([NO_BUFFER; INLINE], 0),
            dirty: 0,
        }
    }

    /// Copies the descriptor at `desc`; `Ok(None)` for NULL. A descriptor that cannot be read
    /// (misaligned, too many buffers, NULL array) is `SEC_E_INVALID_TOKEN`.
    ///
    /// # Safety
    /// `desc` is NULL or points to a `SecBufferDesc` whose `pBuffers` holds `cBuffers` entries.
    pub(crate) unsafe fn read(desc: *mut SecBufferDesc) -> FfiResult<Option<Self>> {
        let mut list = Self::new();
        // SAFETY: forwarded caller contract.
        Ok(unsafe { list.load(desc) }?.then_some(list))
    }

    /// [`read`](Self::read) into this list, in place (the per-record exports use it: the list
    /// is never moved, so it is never copied): `Ok(false)` for NULL, and the same errors.
    ///
    /// # Safety
    /// As [`read`](Self::read).
    #[inline]
    pub(crate) unsafe fn load(&mut self, desc: *mut SecBufferDesc) -> FfiResult<bool> {
        // SAFETY: forwarded caller contract.
        let Some(d) = (unsafe { boundary::read_opt(desc, Status::SEC_E_INVALID_TOKEN) })? else {
            return Ok(false);
        };
        if d.cBuffers > MAX_BUFFERS || (d.cBuffers > 0 && !boundary::usable(d.pBuffers)) {
            return Err(Status::SEC_E_INVALID_TOKEN);
        }
        let n = d.cBuffers as usize;
        if n <= INLINE {
            match &mut self.bufs {
                Buffers::Inline(_, len) => *len = n,
                heap => *heap = Buffers::Inline([NO_BUFFER; INLINE], n),
            }
        } else {
            self.bufs = Buffers::Heap(vec![NO_BUFFER; n]);
        }
        for (i, b) in self.bufs.iter_mut().enumerate() {
            let p = d.pBuffers.wrapping_add(i);
            // SAFETY: `pBuffers` is aligned, non-NULL and holds `cBuffers` entries.
            *b = unsafe { p.read() };
        }
        self.pBuffers = d.pBuffers;
        self.dirty = 0;
        Ok(true)
    }

    /// The copied entries, as the caller passed them (plus this call's changes).
    #[inline]
    pub(crate) fn entries(&self) -> &[SecBuffer] {
        &self.bufs
    }

    /// Entry `i` (panics past [`len`](Self::len), as indexing does).
    #[inline]
    pub(crate) fn entry(&self, i: usize) -> &SecBuffer {
        &self.bufs[i]
    }

    /// Number of buffers.
    #[inline]
    pub(crate) fn len(&self) -> usize {
        self.bufs.len()
    }

    /// The buffer type without attribute bits.
    #[inline]
    pub(crate) fn kind(&self, i: usize) -> u32 {
        self.bufs[i].BufferType & !SECBUFFER_ATTRMASK
    }

    /// Whether the buffer is `SECBUFFER_READONLY`.
    #[inline]
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

    /// One pass for `DecryptMessage`'s layout checks: how many buffers (read-only or not) have
    /// type `counted` and the first of them, and the first `N` writable buffers of type `free`
    /// (unused slots hold `usize::MAX`) with how many such buffers there are in all.
    #[inline]
    pub(crate) fn scan<const N: usize>(&self, counted: u32, free: u32) -> Scan<N> {
        debug_assert_ne!(counted, free);
        let mut scan = Scan {
            counted: 0,
            first_counted: None,
            free: [usize::MAX; N],
            frees: 0,
        };
        for (i, b) in self.bufs.iter().enumerate() {
            let kind = b.BufferType & !SECBUFFER_ATTRMASK;
            if kind == counted {
                if scan.counted == 0 {
                    scan.first_counted = Some(i);
                }
                scan.counted += 1;
            } else if kind == free && b.BufferType & SECBUFFER_READONLY == 0 {
                if scan.frees < N {
                    scan.free[scan.frees] = i;
                }
                scan.frees += 1;
            }
        }
        scan
    }

    /// Rewrites buffer `i` (type, size, pointer), keeping its attribute bits. Read-only buffers
    /// are left alone.
    #[inline]
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
        self.dirty |= 1 << i;
    }

    /// Writes entry `i` of the caller's descriptor as `kind` / `cb` / `pv`, keeping the
    /// attribute bits of `old` (the copy of that entry); a read-only `old` is left alone. The
    /// same result as [`set`](Self::set) then [`commit`](Self::commit) for that entry (the copy
    /// is not updated): for `EncryptMessage` / `DecryptMessage`, which rewrite a few entries
    /// once, after the work on the data buffers is done.
    ///
    /// # Safety
    /// As [`commit`](Self::commit); `i` is an index of the loaded descriptor.
    #[inline(always)]
    pub(crate) unsafe fn store(
        &self,
        i: usize,
        old: &SecBuffer,
        kind: u32,
        cb: u32,
        pv: *mut c_void,
    ) {
        if old.BufferType & SECBUFFER_READONLY != 0 {
            return;
        }
        let value = SecBuffer {
            cbBuffer: cb,
            BufferType: kind | (old.BufferType & SECBUFFER_ATTRMASK),
            pvBuffer: pv,
        };
        // SAFETY: entry `i` of the caller's array (validated by `load`) is writable.
        unsafe { self.pBuffers.wrapping_add(i).write(value) };
    }

    /// Sets the size of buffer `i` only.
    #[inline]
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
    #[inline]
    pub(crate) unsafe fn data_mut<'a>(&self, i: usize) -> FfiResult<&'a mut [u8]> {
        let b = self.bufs[i];
        // SAFETY: forwarded caller contract.
        unsafe { boundary::bytes_mut(b.pvBuffer, b.cbBuffer as usize, Status::SEC_E_INVALID_TOKEN) }
    }

    /// Writes the changed entries back into the caller's descriptor (once: they are clean
    /// afterwards).
    ///
    /// # Safety
    /// The descriptor passed to [`read`](Self::read) must still be valid and writable.
    #[inline]
    pub(crate) unsafe fn commit(&mut self) {
        let mut dirty = std::mem::take(&mut self.dirty);
        while dirty != 0 {
            let i = dirty.trailing_zeros() as usize;
            dirty &= dirty - 1;
            let p = self.pBuffers.wrapping_add(i);
            // SAFETY: entry `i` of the caller's array (validated by `read`) is writable.
            unsafe { p.write(self.bufs[i]) };
        }
    }
}

/// What [`BufferList::scan`] found.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Scan<const N: usize> {
    /// Buffers of the counted type, read-only or not.
    pub(crate) counted: usize,
    /// The first of them.
    pub(crate) first_counted: Option<usize>,
    /// The first `N` writable buffers of the free type, in order (`usize::MAX` when unused).
    pub(crate) free: [usize; N],
    /// Writable buffers of the free type, in all.
    pub(crate) frees: usize,
}

/// Byte range `[start, end)` of a buffer as addresses.
#[inline(always)]
pub(crate) fn span_of(b: &SecBuffer) -> (usize, usize) {
    let start = b.pvBuffer as usize;
    (start, start.saturating_add(b.cbBuffer as usize))
}

/// True when the non-empty address ranges overlap.
pub(crate) fn overlap(a: (usize, usize), b: (usize, usize)) -> bool {
    a.0 < a.1 && b.0 < b.1 && a.0 < b.1 && b.0 < a.1
}
