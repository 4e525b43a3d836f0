//! Self-relative output images: a structure followed by the arrays and strings it points to,
//! in one caller-visible block, as `CryptDecodeObjectEx` and
//! `CertGetCertificateContextProperty(CERT_KEY_PROV_INFO_PROP_ID)` return them.
//!
//! An [`Image`] is built with offsets; pointers are recorded as fix-ups and become absolute
//! addresses only when the image is copied to its destination, so the size is known before
//! any caller memory is touched (the size-query protocol).

use std::ffi::c_void;

use crate::lasterror;
use crate::localmem;

/// `CRYPT_DECODE_ALLOC_FLAG`: the callee allocates (LocalAlloc, or `CRYPT_DECODE_PARA`).
pub(crate) const CRYPT_DECODE_ALLOC_FLAG: u32 = 0x8000;
/// `ERROR_INVALID_PARAMETER`.
const ERROR_INVALID_PARAMETER: u32 = 87;
/// `ERROR_MORE_DATA`.
const ERROR_MORE_DATA: u32 = 234;
/// `ERROR_OUTOFMEMORY`.
const ERROR_OUTOFMEMORY: u32 = 14;

const PTR: usize = std::mem::size_of::<usize>();

/// A structure image under construction.
#[derive(Default, Debug)]
pub(crate) struct Image {
    buf: Vec<u8>,
    fixups: Vec<(usize, usize)>,
}

/// `CRYPT_DECODE_PARA`: a caller-supplied allocator for `CRYPT_DECODE_ALLOC_FLAG`.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct CRYPT_DECODE_PARA {
    /// Size of this structure.
    pub cbSize: u32,
    /// Allocator (`NULL`: `LocalAlloc`).
    pub pfnAlloc: Option<unsafe extern "C" fn(usize) -> *mut c_void>,
    /// Matching free function (not called by the decoder).
    pub pfnFree: Option<unsafe extern "C" fn(*mut c_void)>,
}

impl Image {
    /// A new image whose root structure (`size` zero bytes) is at offset 0.
    pub(crate) fn new(size: usize) -> Self {
        Self {
            buf: vec![0; size],
            fixups: Vec::new(),
        }
    }

    /// Total size in bytes.
    pub(crate) fn len(&self) -> usize {
        self.buf.len()
    }

    /// Appends `size` zero bytes aligned to `align`, returning their offset.
    pub(crate) fn reserve(&mut self, size: usize, align: usize) -> usize {
        let at = self.buf.len().next_multiple_of(align.max(1));
        self.buf.resize(at + size, 0);
        at
    }

    /// Appends `data` (aligned to `align`), returning its offset.
    pub(crate) fn append(&mut self, data: &[u8], align: usize) -> usize {
        let at = self.reserve(data.len(), align);
        self.buf[at..at + data.len()].copy_from_slice(data);
        at
    }

    /// Writes a `DWORD` at `at`.
    pub(crate) fn put_u32(&mut self, at: usize, v: u32) {
        self.buf[at..at + 4].copy_from_slice(&v.to_ne_bytes());
    }

    /// Makes the pointer field at `at` point to offset `target`.
    pub(crate) fn put_ptr(&mut self, at: usize, target: usize) {
        self.fixups.push((at, target));
    }

    /// A `CRYPT_*_BLOB` at `at` describing a copy of `data` (`pbData` NULL when empty).
    pub(crate) fn put_blob(&mut self, at: usize, data: &[u8]) {
        self.put_u32(at, u32::try_from(data.len()).unwrap_or(u32::MAX));
        if !data.is_empty() {
            let target = self.append(data, 1);
            self.put_ptr(at + PTR, target);
        }
    }

    /// A blob whose data is followed by a NUL (not counted), for string values.
    pub(crate) fn put_blob_terminated(&mut self, at: usize, data: &[u8], nul: usize) {
        self.put_u32(at, u32::try_from(data.len()).unwrap_or(u32::MAX));
        let target = self.append(data, 2);
        self.reserve(nul, 1);
        self.put_ptr(at + PTR, target);
    }

    /// An `LPSTR` field at `at` pointing to a NUL-terminated copy of `s`.
    pub(crate) fn put_cstr(&mut self, at: usize, s: &str) {
        let target = self.append(s.as_bytes(), 1);
        self.reserve(1, 1);
        self.put_ptr(at, target);
    }

    /// An `LPWSTR` field at `at` pointing to a NUL-terminated UTF-16 copy of `s`.
    pub(crate) fn put_wstr(&mut self, at: usize, s: &str) {
        let bytes: Vec<u8> = s
            .encode_utf16()
            .chain(std::iter::once(0))
            .flat_map(u16::to_ne_bytes)
            .collect();
        let target = self.append(&bytes, 2);
        self.put_ptr(at, target);
    }

    /// Copies the image to `dest` and turns the fix-ups into addresses inside it.
    ///
    /// # Safety
    /// `dest` points to at least `self.len()` writable bytes.
    pub(crate) unsafe fn emit(&self, dest: *mut u8) {
        // SAFETY: `dest` has room for the whole image (the caller's contract); the image is a
        // separate Rust allocation, so the regions do not overlap.
        unsafe { std::ptr::copy_nonoverlapping(self.buf.as_ptr(), dest, self.buf.len()) };
        for &(at, target) in &self.fixups {
            let addr = dest as usize + target;
            // SAFETY: `at + PTR <= len` (every pointer field lies inside its structure), so
            // the write is inside `dest`'s block; unaligned in case `dest` is.
            unsafe { dest.wrapping_add(at).cast::<usize>().write_unaligned(addr) };
        }
    }

    /// The image with its fix-ups applied at the address of `buf` (for tests and for callers
    /// inside the library).
    #[cfg(test)]
    pub(crate) fn materialise(&self) -> Vec<u64> {
        let mut out = vec![0u64; self.len().div_ceil(8).max(1)];
        // SAFETY: `out` has at least `self.len()` bytes.
        unsafe { self.emit(out.as_mut_ptr().cast()) };
        out
    }
}

/// Hands an image to the caller by the crypt32 protocol: with `CRYPT_DECODE_ALLOC_FLAG`,
/// `pv` is a `void**` that receives a new block (`LocalFree` it, or the `pfnFree` matching
/// `pDecodePara->pfnAlloc`); otherwise `pv` NULL asks for the size, a short `*pcb` fails with
/// `ERROR_MORE_DATA` (and the size needed), and a large enough one receives the image.
///
/// # Safety
/// `pv`/`pcb` follow the protocol above; `para` is NULL or a readable `CRYPT_DECODE_PARA`.
pub(crate) unsafe fn deliver(
    img: &Image,
    flags: u32,
    para: *const CRYPT_DECODE_PARA,
    pv: *mut c_void,
    pcb: *mut u32,
) -> i32 {
    let needed = u32::try_from(img.len()).unwrap_or(u32::MAX);
    let status = openschannel_core::Status::SEC_E_INVALID_PARAMETER;
    if flags & CRYPT_DECODE_ALLOC_FLAG != 0 {
        if pv.is_null() || !pv.cast::<*mut c_void>().is_aligned() {
            return lasterror::fail(0, ERROR_INVALID_PARAMETER);
        }
        // SAFETY: NULL or a readable CRYPT_DECODE_PARA (the caller's contract).
        let para = unsafe { crate::boundary::read_opt(para, status) }
            .ok()
            .flatten();
        let block = match para.and_then(|p| p.pfnAlloc) {
            // SAFETY: the caller's allocator, called with a size as its contract says.
            Some(alloc) => unsafe { alloc(img.len()) }.cast::<u8>(),
            None => localmem::alloc(img.len()),
        };
        if block.is_null() {
            return lasterror::fail(0, ERROR_OUTOFMEMORY);
        }
        // SAFETY: `block` was just allocated with room for the image.
        unsafe { img.emit(block) };
        // SAFETY: `pv` is the caller's `void**` (non-NULL and aligned, checked above).
        unsafe { pv.cast::<*mut c_void>().write(block.cast()) };
        // SAFETY: optional out-parameter, checked by the helper.
        unsafe { crate::boundary::write(pcb, needed) };
        return 1;
    }
    // SAFETY: the caller's in/out size, checked for NULL/alignment.
    let Ok(have) = (unsafe { crate::boundary::read(pcb.cast_const(), status) }) else {
        return lasterror::fail(0, ERROR_INVALID_PARAMETER);
    };
    // SAFETY: as above.
    unsafe { crate::boundary::write(pcb, needed) };
    if pv.is_null() {
        return 1;
    }
    if have < needed {
        return lasterror::fail(0, ERROR_MORE_DATA);
    }
    // SAFETY: the caller's buffer holds `have` >= needed bytes.
    unsafe { img.emit(pv.cast()) };
    1
}
