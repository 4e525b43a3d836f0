//! `LocalAlloc` / `LocalFree` (kernel32): the allocator behind every buffer crypt32 hands the
//! caller to free (`CRYPT_DECODE_ALLOC_FLAG`, `CryptQueryObject`'s outputs do not use it).
//!
//! Blocks come from the Rust global allocator with a 16-byte header recording their size, and
//! every live block is registered: `LocalFree` on a pointer this library did not hand out (or
//! frees twice) fails with `ERROR_INVALID_HANDLE` and returns the pointer, as Windows reports a
//! bad handle, instead of corrupting the heap. A program that links another implementation of
//! these names (a Windows compatibility layer of its own) takes precedence over ours; memory
//! from our `CryptDecodeObjectEx` must then be released with that program's `LocalFree` only if
//! it is the same allocator, so such programs should pass `CRYPT_DECODE_PARA.pfnAlloc/pfnFree`.

use std::alloc::Layout;
use std::collections::HashSet;
use std::ffi::c_void;
use std::sync::{LazyLock, Mutex};

use crate::lasterror;

/// `LMEM_ZEROINIT`.
const LMEM_ZEROINIT: u32 = 0x40;
/// `LMEM_MOVEABLE` (handles are not supported; such a request fails).
const LMEM_MOVEABLE: u32 = 0x2;
/// `ERROR_INVALID_HANDLE`.
const ERROR_INVALID_HANDLE: u32 = 6;
/// `ERROR_NOT_ENOUGH_MEMORY`.
const ERROR_NOT_ENOUGH_MEMORY: u32 = 8;
/// `ERROR_INVALID_PARAMETER`.
const ERROR_INVALID_PARAMETER: u32 = 87;

/// Size of the header in front of each block (keeps the caller's pointer 16-byte aligned).
const HEADER: usize = 16;

static LIVE: LazyLock<Mutex<HashSet<usize>>> = LazyLock::new(|| Mutex::new(HashSet::new()));

fn layout(size: usize) -> Option<Layout> {
    Layout::from_size_align(size.checked_add(HEADER)?, HEADER).ok()
}

/// Allocates `size` zeroed bytes that the caller releases with `LocalFree`; NULL when the
/// allocation fails.
pub(crate) fn alloc(size: usize) -> *mut u8 {
    let Some(layout) = layout(size) else {
        return std::ptr::null_mut();
    };
    // SAFETY: the layout has a non-zero size (at least HEADER bytes).
    let base = unsafe { std::alloc::alloc_zeroed(layout) };
    if base.is_null() {
        return base;
    }
    // SAFETY: `base` is a fresh, HEADER-aligned block of at least HEADER bytes.
    unsafe { base.cast::<usize>().write(size) };
    let user = base.wrapping_add(HEADER);
    LIVE.lock()
        .unwrap_or_else(|e| e.into_inner())
        .insert(user as usize);
    user
}

/// Frees a block from [`alloc`]; false (nothing done) for a pointer that is not a live block.
pub(crate) fn free(p: *mut u8) -> bool {
    if !LIVE
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .remove(&(p as usize))
    {
        return false;
    }
    let base = p.wrapping_sub(HEADER);
    // SAFETY: `p` was registered by `alloc`, so `base` is the start of its block and holds the
    // size written there.
    let size = unsafe { base.cast::<usize>().read() };
    if let Some(layout) = layout(size) {
        // SAFETY: `base` was allocated by `alloc` with exactly this layout and is freed once
        // (it has just been removed from the registry).
        unsafe { std::alloc::dealloc(base, layout) };
    }
    true
}

/// `LocalAlloc`: `LMEM_FIXED` (optionally `LMEM_ZEROINIT`; memory is always zeroed) blocks;
/// `LMEM_MOVEABLE` is not supported (NULL, `ERROR_INVALID_PARAMETER`).
#[no_mangle]
pub extern "C" fn LocalAlloc(uFlags: u32, uBytes: usize) -> *mut c_void {
    crate::boundary::guard_value("LocalAlloc", std::ptr::null_mut(), || {
        if uFlags & !(LMEM_ZEROINIT) != 0 || uFlags & LMEM_MOVEABLE != 0 {
            return lasterror::fail(std::ptr::null_mut(), ERROR_INVALID_PARAMETER);
        }
        let p = alloc(uBytes);
        if p.is_null() {
            lasterror::set(ERROR_NOT_ENOUGH_MEMORY);
        }
        p.cast()
    })
}

/// `LocalFree`: frees a block from `LocalAlloc` or from a crypt32 function that allocates for
/// the caller. Returns NULL on success (and for NULL); the pointer itself, with
/// `ERROR_INVALID_HANDLE`, when it is not a live block of this library.
#[no_mangle]
pub extern "C" fn LocalFree(hMem: *mut c_void) -> *mut c_void {
    crate::boundary::guard_value("LocalFree", hMem, || {
        if hMem.is_null() || free(hMem.cast()) {
            std::ptr::null_mut()
        } else {
            lasterror::fail(hMem, ERROR_INVALID_HANDLE)
        }
    })
}

/// `CryptMemAlloc` (crypt32): `cbSize` zeroed bytes for `CryptMemFree`; the same blocks as
/// `LocalAlloc`'s.
#[no_mangle]
pub extern "C" fn CryptMemAlloc(cbSize: u32) -> *mut c_void {
    crate::boundary::guard_value("CryptMemAlloc", std::ptr::null_mut(), || {
        let p = alloc(cbSize as usize);
        if p.is_null() {
            lasterror::set(ERROR_NOT_ENOUGH_MEMORY);
        }
        p.cast()
    })
}

/// `CryptMemFree` (crypt32): frees a block from `CryptMemAlloc` (or `LocalAlloc`); NULL and
/// pointers this library did not hand out are ignored.
#[no_mangle]
pub extern "C" fn CryptMemFree(pv: *mut c_void) {
    crate::boundary::guard_value("CryptMemFree", (), || {
        if !pv.is_null() {
            free(pv.cast());
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_are_zeroed_and_freed_once() {
        let p = LocalAlloc(LMEM_ZEROINIT, 40);
        assert!(!p.is_null());
        assert_eq!(p as usize % 16, 0);
        // SAFETY: 40 bytes were just allocated at `p`.
        let bytes = unsafe { std::slice::from_raw_parts(p.cast::<u8>(), 40) };
        assert!(bytes.iter().all(|&b| b == 0));
        assert!(LocalFree(p).is_null());
        // A second free, and a foreign pointer, are refused.
        assert_eq!(LocalFree(p), p);
        assert_eq!(lasterror::get(), ERROR_INVALID_HANDLE);
        let mut local = 0u8;
        let foreign = (&mut local as *mut u8).cast::<c_void>();
        assert_eq!(LocalFree(foreign), foreign);
        assert!(LocalFree(std::ptr::null_mut()).is_null());
        assert!(LocalAlloc(LMEM_MOVEABLE, 4).is_null());
        let q = CryptMemAlloc(8);
        assert!(!q.is_null());
        CryptMemFree(q);
        assert_eq!(LocalFree(q), q);
        CryptMemFree(std::ptr::null_mut());
    }
}
