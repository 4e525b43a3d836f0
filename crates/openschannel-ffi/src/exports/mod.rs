//! The SSPI exports, one module per concern, and the handle table they share.

pub mod context;
pub mod credentials;
pub mod extensions;
pub mod messages;
pub mod packages;
pub mod query;
pub mod tables;

use std::sync::{Arc, LazyLock, Mutex};

use openschannel_core::Status;

use crate::boundary::{self, FfiResult};
use crate::handles::{HandleTable, Kind};
use crate::types::SecHandle;

pub(crate) use context::ContextEntry;
pub(crate) use credentials::CredentialEntry;

/// What a handle designates.
#[derive(Clone)]
pub(crate) enum Object {
    Credential(Arc<CredentialEntry>),
    Context(Arc<Mutex<ContextEntry>>),
}

/// Every live credential and context handle of the process.
pub(crate) static HANDLES: LazyLock<HandleTable<Object>> = LazyLock::new(HandleTable::new);

/// Reads a handle argument: NULL or misaligned → `SEC_E_INVALID_HANDLE`.
///
/// # Safety
/// `h` is NULL or points to a readable `SecHandle`.
pub(crate) unsafe fn read_handle(h: *const SecHandle) -> FfiResult<SecHandle> {
    // SAFETY: forwarded caller contract.
    unsafe { boundary::read(h, Status::SEC_E_INVALID_HANDLE) }
}

/// The credential behind `h`.
///
/// # Safety
/// As [`read_handle`].
pub(crate) unsafe fn credential(h: *const SecHandle) -> FfiResult<Arc<CredentialEntry>> {
    // SAFETY: forwarded caller contract.
    let handle = unsafe { read_handle(h) }?;
    match HANDLES.get(Kind::Credential, &handle) {
        Some(Object::Credential(c)) => Ok(c),
        _ => Err(Status::SEC_E_INVALID_HANDLE),
    }
}

/// The context behind `h`.
///
/// # Safety
/// As [`read_handle`].
pub(crate) unsafe fn context(h: *const SecHandle) -> FfiResult<Arc<Mutex<ContextEntry>>> {
    // SAFETY: forwarded caller contract.
    let handle = unsafe { read_handle(h) }?;
    match HANDLES.get(Kind::Context, &handle) {
        Some(Object::Context(c)) => Ok(c),
        _ => Err(Status::SEC_E_INVALID_HANDLE),
    }
}

/// Locks a context. A context poisoned by a panic inside a call is failed for good:
/// `SEC_E_INTERNAL_ERROR`.
pub(crate) fn lock(
    ctx: &Mutex<ContextEntry>,
) -> FfiResult<std::sync::MutexGuard<'_, ContextEntry>> {
    ctx.lock().map_err(|_| Status::SEC_E_INTERNAL_ERROR)
}
