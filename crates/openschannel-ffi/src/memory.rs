//! Package-allocated memory handed to the caller and released with `FreeContextBuffer`.
//!
//! Every pointer given out (ALLOCATE_MEMORY tokens and alerts, `SecPkgInfo` arrays, attribute
//! strings) is registered here with the Rust object that owns it. `FreeContextBuffer` frees only
//! registered pointers: NULL → `SEC_E_OK`, an unknown pointer or a second free →
//! `SEC_E_INVALID_HANDLE`, never undefined behaviour.

use std::any::Any;
use std::collections::HashMap;
use std::ffi::c_void;
use std::sync::{LazyLock, Mutex, MutexGuard};

use openschannel_core::Status;

type Registry = HashMap<usize, Box<dyn Any + Send>>;

static REGISTRY: LazyLock<Mutex<Registry>> = LazyLock::new(|| Mutex::new(HashMap::new()));

fn registry() -> MutexGuard<'static, Registry> {
    REGISTRY.lock().unwrap_or_else(|e| e.into_inner())
}

/// Hands out `owner`, whose heap data starts at `ptr`, to the caller. `ptr` must point into
/// memory owned by `owner` that does not move when `owner` is moved (a `Vec`'s or `Box`'s
/// heap buffer).
pub(crate) fn hand_out<T: Send + 'static>(owner: T, ptr: *mut c_void) -> *mut c_void {
    registry().insert(ptr as usize, Box::new(owner));
    ptr
}

/// Copies `data` into a new package allocation; `NULL` for empty data.
pub(crate) fn copy_bytes(data: &[u8]) -> *mut c_void {
    if data.is_empty() {
        return std::ptr::null_mut();
    }
    let mut owned: Box<[u8]> = data.into();
    let ptr = owned.as_mut_ptr().cast::<c_void>();
    hand_out(owned, ptr)
}

/// Copies `data` into a new package allocation aligned for any structure it starts with (8
/// bytes); `NULL` for empty data.
pub(crate) fn copy_aligned(data: &[u8]) -> *mut c_void {
    if data.is_empty() {
        return std::ptr::null_mut();
    }
    let mut words: Box<[u64]> = data
        .chunks(8)
        .map(|chunk| {
            let mut word = [0u8; 8];
            word[..chunk.len()].copy_from_slice(chunk);
            u64::from_ne_bytes(word)
        })
        .collect();
    let ptr = words.as_mut_ptr().cast::<c_void>();
    hand_out(words, ptr)
}

/// Copies a NUL-terminated string of `A` or `W` characters into a new package allocation.
pub(crate) fn copy_units<C: Copy + Send + 'static>(units: Vec<C>) -> *mut c_void {
    let mut owned = units.into_boxed_slice();
    let ptr = owned.as_mut_ptr().cast::<c_void>();
    hand_out(owned, ptr)
}

/// `FreeContextBuffer`: releases a registered allocation.
pub(crate) fn free(ptr: *mut c_void) -> Status {
    if ptr.is_null() {
        return Status::SEC_E_OK;
    }
    let owner = registry().remove(&(ptr as usize));
    match owner {
        Some(owner) => {
            drop(owner);
            Status::SEC_E_OK
        }
        None => Status::SEC_E_INVALID_HANDLE,
    }
}

/// Number of live package allocations (tests).
#[cfg(test)]
pub(crate) fn live_count() -> usize {
    registry().len()
}

/// Whether `ptr` is a live package allocation (tests).
#[cfg(test)]
pub(crate) fn is_live(ptr: *mut c_void) -> bool {
    registry().contains_key(&(ptr as usize))
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
    fn registered_memory_is_freed_once() {
        let p = copy_bytes(b"token");
        assert!(is_live(p));
        assert_eq!(free(p), Status::SEC_E_OK);
        assert!(!is_live(p));
        assert_eq!(free(p), Status::SEC_E_INVALID_HANDLE);
    }

    #[test]
    fn null_is_ok_and_unknown_is_rejected() {
        assert_eq!(free(std::ptr::null_mut()), Status::SEC_E_OK);
        let mut local = 0u64;
        assert_eq!(
            free((&mut local as *mut u64).cast()),
            Status::SEC_E_INVALID_HANDLE
        );
        assert!(copy_bytes(&[]).is_null());
    }

    #[test]
    fn aligned_copies_keep_every_byte() {
        let data: Vec<u8> = (0..21).collect();
        let p = copy_aligned(&data);
        assert_eq!(p as usize % 8, 0);
        // SAFETY: the allocation holds at least the 21 bytes just copied.
        let back = unsafe { std::slice::from_raw_parts(p.cast::<u8>(), data.len()) };
        assert_eq!(back, &data[..]);
        assert_eq!(free(p), Status::SEC_E_OK);
    }

    #[test]
    fn strings_are_registered() {
        let p = copy_units(vec![b'a', 0]);
        assert!(is_live(p));
        assert_eq!(free(p), Status::SEC_E_OK);
    }
}
