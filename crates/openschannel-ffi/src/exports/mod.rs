//! The SSPI exports, one module per concern, and the handle tables they share.

pub mod context;
pub mod credentials;
pub mod extensions;
pub mod messages;
pub mod packages;
pub mod query;
pub mod tables;

use std::sync::{Arc, LazyLock};

use openschannel_core::Status;

use crate::boundary::{self, FfiResult};
use crate::handles::{Entry, HandleTable, Kind};
use crate::types::SecHandle;

pub(crate) use context::ContextEntry;
pub(crate) use credentials::CredentialEntry;

/// Every live credential handle of the process.
pub(crate) static CREDENTIALS: LazyLock<HandleTable<Arc<CredentialEntry>>> =
    LazyLock::new(|| HandleTable::new(Kind::Credential));

/// Every live context handle of the process. A context is locked by looking it up: the
/// [`ContextGuard`] holds its slot's lock.
pub(crate) static CONTEXTS: LazyLock<HandleTable<Box<ContextEntry>>> =
    LazyLock::new(|| HandleTable::new(Kind::Context));

/// A context, locked for the duration of a call (derefs to [`ContextEntry`]).
pub(crate) type ContextGuard = Entry<'static, Box<ContextEntry>>;

/// Reads a handle argument: NULL or misaligned → `SEC_E_INVALID_HANDLE`.
///
/// # Safety
/// `h` is NULL or points to a readable `SecHandle`.
#[inline]
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
    let entry = CREDENTIALS.get(&handle)?;
    Ok(Arc::clone(&entry))
}

/// The context behind `h`, locked until the guard is dropped. Not a live context handle →
/// `SEC_E_INVALID_HANDLE`; a context poisoned by a panic inside an earlier call is failed for
/// good → `SEC_E_INTERNAL_ERROR`.
///
/// # Safety
/// As [`read_handle`].
#[inline]
pub(crate) unsafe fn context(h: *const SecHandle) -> FfiResult<ContextGuard> {
    // SAFETY: forwarded caller contract.
    let handle = unsafe { read_handle(h) }?;
    CONTEXTS.get(&handle)
}
