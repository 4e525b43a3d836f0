//! The handle table: `CredHandle` / `CtxtHandle` values are table entries, never addresses.
//!
//! `dwLower` = `(slot index << 4) | 0x8 | kind`, `dwUpper` = the slot's generation XOR a
//! per-process random secret (top bit clear). A handle is honoured only if its index is in
//! range, its kind bits match the requested kind *and* the slot's kind, and its generation is
//! the slot's current one. Freeing bumps the generation, so NULL, forged, stale (freed),
//! double-freed and wrong-kind handles all yield `SEC_E_INVALID_HANDLE` — never undefined
//! behaviour. The invalid handle (`(ULONG_PTR)-1` twice) can never be issued: `dwUpper` has its
//! top bit clear.

use std::collections::hash_map::RandomState;
use std::hash::{BuildHasher, Hasher};
use std::sync::{Mutex, MutexGuard};

use crate::types::SecHandle;

/// What a handle designates.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Kind {
    /// A credential handle.
    Credential = 1,
    /// A security context handle.
    Context = 2,
}

const TAG: usize = 0x8;

struct Slot<T> {
    generation: u32,
    kind: Kind,
    value: Option<T>,
}

struct Inner<T> {
    slots: Vec<Slot<T>>,
    free: Vec<usize>,
}

/// A table of live objects addressed by generation-checked handles.
pub(crate) struct HandleTable<T> {
    inner: Mutex<Inner<T>>,
    secret: usize,
}

impl<T: Clone> HandleTable<T> {
    /// An empty table with a fresh random secret.
    pub(crate) fn new() -> Self {
        let mut hasher = RandomState::new().build_hasher();
        hasher.write_usize(std::process::id() as usize);
        let secret = (hasher.finish() as usize) & (usize::MAX >> 1);
        Self {
            inner: Mutex::new(Inner {
                slots: Vec::new(),
                free: Vec::new(),
            }),
            secret,
        }
    }

    fn lock(&self) -> MutexGuard<'_, Inner<T>> {
        // The table's own operations cannot panic half-way; a poisoned lock is still consistent.
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn encode(&self, index: usize, kind: Kind, generation: u32) -> SecHandle {
        SecHandle {
            dwLower: (index << 4) | TAG | kind as usize,
            dwUpper: self.secret ^ generation as usize,
        }
    }

    /// Decodes a handle into (index, generation) if its shape and kind are right.
    fn decode(&self, handle: &SecHandle, kind: Kind) -> Option<(usize, u32)> {
        let lower = handle.dwLower;
        if lower & 0xF != TAG | kind as usize {
            return None;
        }
        let generation = handle.dwUpper ^ self.secret;
        let generation = u32::try_from(generation).ok()?;
        Some((lower >> 4, generation))
    }

    /// Stores `value` and returns its new handle.
    pub(crate) fn insert(&self, kind: Kind, value: T) -> SecHandle {
        let mut inner = self.lock();
        let index = match inner.free.pop() {
            Some(index) => {
                let slot = &mut inner.slots[index];
                slot.kind = kind;
                slot.value = Some(value);
                index
            }
            None => {
                inner.slots.push(Slot {
                    generation: 1,
                    kind,
                    value: Some(value),
                });
                inner.slots.len() - 1
            }
        };
        let generation = inner.slots[index].generation;
        self.encode(index, kind, generation)
    }

    /// The object behind `handle`, if it is a live handle of `kind`.
    pub(crate) fn get(&self, kind: Kind, handle: &SecHandle) -> Option<T> {
        let (index, generation) = self.decode(handle, kind)?;
        let inner = self.lock();
        let slot = inner.slots.get(index)?;
        if slot.generation != generation || slot.kind != kind {
            return None;
        }
        slot.value.clone()
    }

    /// Removes the object behind `handle`; later uses of the handle fail.
    pub(crate) fn remove(&self, kind: Kind, handle: &SecHandle) -> Option<T> {
        let (index, generation) = self.decode(handle, kind)?;
        let mut inner = self.lock();
        let slot = inner.slots.get_mut(index)?;
        if slot.generation != generation || slot.kind != kind {
            return None;
        }
        let value = slot.value.take()?;
        slot.generation = slot.generation.wrapping_add(1).max(1);
        inner.free.push(index);
        Some(value)
    }

    /// Number of live entries (tests and diagnostics).
    #[cfg(test)]
    pub(crate) fn live(&self) -> usize {
        self.lock()
            .slots
            .iter()
            .filter(|s| s.value.is_some())
            .count()
    }
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
    fn live_handles_resolve_to_their_object() {
        let table = HandleTable::new();
        let a = table.insert(Kind::Credential, "cred");
        let b = table.insert(Kind::Context, "ctx");
        assert_eq!(table.get(Kind::Credential, &a), Some("cred"));
        assert_eq!(table.get(Kind::Context, &b), Some("ctx"));
        assert_ne!(a, b);
        assert_eq!(table.live(), 2);
    }

    #[test]
    fn wrong_kind_is_rejected() {
        let table = HandleTable::new();
        let a = table.insert(Kind::Credential, 1);
        assert_eq!(table.get(Kind::Context, &a), None);
        assert_eq!(table.remove(Kind::Context, &a), None);
        assert_eq!(table.get(Kind::Credential, &a), Some(1));
    }

    #[test]
    fn stale_and_double_freed_handles_are_rejected() {
        let table = HandleTable::new();
        let a = table.insert(Kind::Context, 1);
        assert_eq!(table.remove(Kind::Context, &a), Some(1));
        assert_eq!(table.get(Kind::Context, &a), None);
        assert_eq!(table.remove(Kind::Context, &a), None);
        // The slot is reused with a new generation: the old handle stays dead.
        let b = table.insert(Kind::Context, 2);
        assert_eq!(b.dwLower, a.dwLower);
        assert_ne!(b.dwUpper, a.dwUpper);
        assert_eq!(table.get(Kind::Context, &a), None);
        assert_eq!(table.get(Kind::Context, &b), Some(2));
    }

    #[test]
    fn forged_null_and_invalid_handles_are_rejected() {
        let table = HandleTable::new();
        let real = table.insert(Kind::Context, 1);
        for forged in [
            SecHandle::default(),
            SecHandle {
                dwLower: usize::MAX,
                dwUpper: usize::MAX,
            },
            SecHandle {
                dwLower: real.dwLower,
                dwUpper: real.dwUpper ^ 1,
            },
            SecHandle {
                dwLower: real.dwLower + 0x10,
                dwUpper: real.dwUpper,
            },
            SecHandle {
                dwLower: 1234,
                dwUpper: 5678,
            },
        ] {
            assert_eq!(table.get(Kind::Context, &forged), None, "{forged:?}");
        }
    }

    #[test]
    fn issued_handles_are_never_the_invalid_value() {
        let table = HandleTable::new();
        for i in 0..1000 {
            let h = table.insert(Kind::Credential, i);
            assert_ne!(h.dwUpper, usize::MAX);
            assert_ne!(h.dwLower, usize::MAX);
            if i % 2 == 0 {
                table.remove(Kind::Credential, &h);
            }
        }
    }
}
