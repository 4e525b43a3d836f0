//! The panic boundary and the pointer helpers every export goes through.
//!
//! Every `extern "C"` function body runs inside [`guard`] (status-returning exports) or
//! [`guard_value`] (crypt32 exports returning pointers or `BOOL`): a panic never unwinds into C,
//! it becomes `SEC_E_INTERNAL_ERROR` (or the export's failure value). A context whose lock was
//! held by the panicking call (its handle-table slot, see `handles`) is poisoned, and every
//! later call on it returns `SEC_E_INTERNAL_ERROR` — the context is failed.
//!
//! The pointer helpers check NULL and alignment before any dereference and report the status
//! the contract names for the situation, so export bodies contain no unchecked casts.

use std::ffi::c_void;
use std::panic::{catch_unwind, AssertUnwindSafe};

use openschannel_core::Status;

/// Result of an export body: `Err` carries the status to return.
pub(crate) type FfiResult<T> = Result<T, Status>;

/// Runs an export body, converting panics to `SEC_E_INTERNAL_ERROR`, and returns the raw
/// `SECURITY_STATUS`.
pub(crate) fn guard(name: &'static str, body: impl FnOnce() -> FfiResult<Status>) -> i32 {
    let status = match catch_unwind(AssertUnwindSafe(body)) {
        Ok(Ok(status)) | Ok(Err(status)) => status,
        Err(_) => {
            tracing::error!(call = name, "panic caught at the C boundary");
            Status::SEC_E_INTERNAL_ERROR
        }
    };
    tracing::debug!(call = name, status = %status, "ffi call");
    status.raw()
}

/// Runs an export body that returns a plain value; a panic yields `fallback`.
pub(crate) fn guard_value<T>(name: &'static str, fallback: T, body: impl FnOnce() -> T) -> T {
    match catch_unwind(AssertUnwindSafe(body)) {
        Ok(value) => value,
        Err(_) => {
            tracing::error!(call = name, "panic caught at the C boundary");
            fallback
        }
    }
}

/// True when `p` is non-NULL and aligned for `T`.
pub(crate) fn usable<T>(p: *const T) -> bool {
    !p.is_null() && p.is_aligned()
}

/// Reads `*p`, or returns `on_bad` for a NULL or misaligned pointer.
///
/// # Safety
/// When non-NULL and aligned, `p` must point to a readable, initialised `T`.
pub(crate) unsafe fn read<T: Copy>(p: *const T, on_bad: Status) -> FfiResult<T> {
    if !usable(p) {
        return Err(on_bad);
    }
    // SAFETY: non-NULL and aligned (checked above); readable per the caller's contract.
    Ok(unsafe { p.read() })
}

/// Reads `*p` when it is non-NULL; `Ok(None)` for NULL; `on_bad` when misaligned.
///
/// # Safety
/// As [`read`].
pub(crate) unsafe fn read_opt<T: Copy>(p: *const T, on_bad: Status) -> FfiResult<Option<T>> {
    if p.is_null() {
        return Ok(None);
    }
    // SAFETY: forwarded caller contract.
    unsafe { read(p, on_bad) }.map(Some)
}

/// Writes `value` to `*p` when `p` is usable; returns whether it wrote.
///
/// # Safety
/// When non-NULL and aligned, `p` must point to writable memory for a `T`.
pub(crate) unsafe fn write<T>(p: *mut T, value: T) -> bool {
    if !usable(p) {
        return false;
    }
    // SAFETY: non-NULL and aligned (checked above); writable per the caller's contract.
    unsafe { p.write(value) };
    true
}

/// Like [`write`], but a NULL or misaligned pointer is the error `on_bad`.
///
/// # Safety
/// As [`write`].
pub(crate) unsafe fn write_required<T>(p: *mut T, value: T, on_bad: Status) -> FfiResult<()> {
    // SAFETY: forwarded caller contract.
    if unsafe { write(p, value) } {
        Ok(())
    } else {
        Err(on_bad)
    }
}

/// Borrows `len` bytes at `p`. A zero length yields an empty slice whatever `p` is; a NULL `p`
/// with a non-zero length is `on_bad`.
///
/// # Safety
/// For `len > 0`, `p` must point to `len` readable bytes that stay valid and unmodified
/// (except through the returned slice's owner) for `'a`.
pub(crate) unsafe fn bytes<'a>(
    p: *const c_void,
    len: usize,
    on_bad: Status,
) -> FfiResult<&'a [u8]> {
    if len == 0 {
        return Ok(&[]);
    }
    if p.is_null() || len > isize::MAX as usize {
        return Err(on_bad);
    }
    // SAFETY: non-NULL, `len` readable bytes per the caller's contract; u8 has alignment 1.
    Ok(unsafe { std::slice::from_raw_parts(p.cast::<u8>(), len) })
}

/// Mutably borrows `len` bytes at `p`; see [`bytes`].
///
/// # Safety
/// For `len > 0`, `p` must point to `len` writable bytes not aliased by any other live
/// reference for `'a`.
pub(crate) unsafe fn bytes_mut<'a>(
    p: *mut c_void,
    len: usize,
    on_bad: Status,
) -> FfiResult<&'a mut [u8]> {
    if len == 0 {
        return Ok(&mut []);
    }
    if p.is_null() || len > isize::MAX as usize {
        return Err(on_bad);
    }
    // SAFETY: non-NULL, `len` writable and unaliased bytes per the caller's contract.
    Ok(unsafe { std::slice::from_raw_parts_mut(p.cast::<u8>(), len) })
}

#[cfg(test)]
// Tests call the exports with arguments that satisfy their contracts.
#[allow(
    clippy::undocumented_unsafe_blocks,
    clippy::multiple_unsafe_ops_per_block
)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_becomes_internal_error() {
        let status = guard("test", || panic!("boom"));
        assert_eq!(status, Status::SEC_E_INTERNAL_ERROR.raw());
        assert_eq!(guard_value("test", 7, || panic!("boom")), 7);
    }

    #[test]
    fn errors_and_successes_pass_through() {
        assert_eq!(
            guard("t", || Err(Status::SEC_E_INVALID_TOKEN)),
            Status::SEC_E_INVALID_TOKEN.raw()
        );
        assert_eq!(
            guard("t", || Ok(Status::SEC_I_CONTINUE_NEEDED)),
            Status::SEC_I_CONTINUE_NEEDED.raw()
        );
    }

    #[test]
    fn pointer_helpers_reject_null_and_misalignment() {
        let value = 5u32;
        // SAFETY: NULL and a valid pointer are both allowed inputs.
        assert_eq!(
            unsafe { read(std::ptr::null::<u32>(), Status::SEC_E_INTERNAL_ERROR) },
            Err(Status::SEC_E_INTERNAL_ERROR)
        );
        // SAFETY: points to a live u32.
        assert_eq!(
            unsafe { read(&value as *const u32, Status::SEC_E_INTERNAL_ERROR) },
            Ok(5)
        );
        let words = [0u32; 2];
        let misaligned = (words.as_ptr() as usize + 1) as *const u32;
        // SAFETY: misaligned pointers are rejected before any access.
        assert!(unsafe { read(misaligned, Status::SEC_E_INVALID_TOKEN) }.is_err());
        // SAFETY: zero length never dereferences.
        assert_eq!(
            unsafe { bytes(std::ptr::null(), 0, Status::SEC_E_INVALID_TOKEN) },
            Ok(&[][..])
        );
        // SAFETY: NULL with a length is rejected before any access.
        assert!(unsafe { bytes(std::ptr::null(), 3, Status::SEC_E_INVALID_TOKEN) }.is_err());
    }
}
