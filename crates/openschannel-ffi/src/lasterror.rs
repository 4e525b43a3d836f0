//! The thread's last-error code (`GetLastError` / `SetLastError`, kernel32).
//!
//! crypt32 and CryptoAPI functions report failure by returning `FALSE`/`NULL` and leaving a
//! Windows error code (`CRYPT_E_NOT_FOUND`, `ERROR_INVALID_PARAMETER`, `NTE_BAD_KEYSET`, …) for
//! the caller to read with `GetLastError`, as callers' error printers do. The code is per
//! thread, as on Windows. A program that links another implementation of these two kernel32
//! names (a Windows compatibility layer of its own) takes precedence over ours: the dynamic
//! linker binds the first definition it finds, and ours then simply goes unused.

use std::cell::Cell;

thread_local! {
    static LAST_ERROR: Cell<u32> = const { Cell::new(0) };
}

/// Sets the calling thread's last-error code.
pub(crate) fn set(code: u32) {
    LAST_ERROR.with(|e| e.set(code));
}

/// The calling thread's last-error code.
pub(crate) fn get() -> u32 {
    LAST_ERROR.with(Cell::get)
}

/// Sets the last-error code to `code` and returns `value` (for `return fail(FALSE, code)`).
#[allow(dead_code)] // for the crypt32 and CryptoAPI exports
pub(crate) fn fail<T>(value: T, code: u32) -> T {
    set(code);
    value
}

/// `GetLastError`: the calling thread's last-error code.
#[no_mangle]
pub extern "C" fn GetLastError() -> u32 {
    get()
}

/// `SetLastError`: sets the calling thread's last-error code.
#[no_mangle]
pub extern "C" fn SetLastError(code: u32) {
    set(code);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn last_error_is_per_thread() {
        SetLastError(0x8009_2004);
        assert_eq!(GetLastError(), 0x8009_2004);
        std::thread::spawn(|| assert_eq!(GetLastError(), 0))
            .join()
            .unwrap();
        assert_eq!(fail(0, 87), 0);
        assert_eq!(GetLastError(), 87);
    }
}
