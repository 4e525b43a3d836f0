//! The handle tables: `CredHandle` / `CtxtHandle` values are table entries, never addresses.
//!
//! `dwLower` = `(slot index << 4) | 0x8 | kind`, `dwUpper` = the slot's generation XOR a
//! per-table random secret (top bit clear). A handle is honoured only if its kind bits match
//! the table's kind, its index names an allocated slot and its generation is the slot's current
//! one. Freeing bumps the generation, so NULL, forged, stale (freed), double-freed and
//! wrong-kind handles all yield `SEC_E_INVALID_HANDLE` — never undefined behaviour. The
//! invalid handle (`(ULONG_PTR)-1` twice) can never be issued: `dwUpper` has its top bit clear.
//!
//! Each slot is its own `Mutex`, and slots never move: they live in chunks of doubling size
//! (chunk `k` holds `FIRST_CHUNK << k` slots), each created once through a `OnceLock` and kept
//! for the life of the process. A lookup is therefore one acquire load (the chunk) and one lock
//! of the slot — no table-wide lock, no reference count — and the returned [`Entry`] *is* the
//! slot's lock: a context is locked for exactly as long as a call uses it, and
//! [`remove`](HandleTable::remove) (`DeleteSecurityContext`) waits for a call running on
//! another thread to finish, then takes the object out, so it is dropped outside any call. The
//! free list has its own lock, never held together with a slot's.
//!
//! A panic while an [`Entry`] is held poisons that slot: later lookups of its handle fail with
//! `SEC_E_INTERNAL_ERROR` (the object is failed for good) until the handle is removed, which
//! clears the poison for the slot's next occupant.

use std::collections::hash_map::RandomState;
use std::hash::{BuildHasher, Hasher};
use std::ops::{Deref, DerefMut};
use std::sync::{Mutex, MutexGuard, OnceLock};

use openschannel_core::Status;

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

/// Slots in the first chunk; chunk `k` holds `FIRST_CHUNK << k`.
const FIRST_CHUNK: usize = 32;

/// Number of chunks: room for `FIRST_CHUNK * (2^CHUNKS - 1)` (about 4.3 billion) live handles;
/// memory runs out long before.
const CHUNKS: usize = 27;

struct Slot<T> {
    generation: u32,
    value: Option<T>,
}

/// One chunk of slots, created once and never moved or freed.
type Chunk<T> = OnceLock<Box<[Mutex<Slot<T>>]>>;

struct Free {
    /// Indices of emptied slots, reused first.
    reuse: Vec<usize>,
    /// The next never-used index.
    next: usize,
}

/// A table of live objects of one [`Kind`], addressed by generation-checked handles.
pub(crate) struct HandleTable<T> {
    kind: Kind,
    chunks: [Chunk<T>; CHUNKS],
    free: Mutex<Free>,
    secret: usize,
}

/// A live object of a table, locked: the slot's lock is held until the entry is dropped.
pub(crate) struct Entry<'a, T>(MutexGuard<'a, Slot<T>>);

impl<T> Deref for Entry<'_, T> {
    type Target = T;

    #[inline]
    fn deref(&self) -> &T {
        match &self.0.value {
            Some(value) => value,
            // An `Entry` is only made for an occupied slot, and its lock is held.
            None => unreachable!("an Entry's slot is occupied"),
        }
    }
}

impl<T> DerefMut for Entry<'_, T> {
    #[inline]
    fn deref_mut(&mut self) -> &mut T {
        match &mut self.0.value {
            Some(value) => value,
            None => unreachable!("an Entry's slot is occupied"),
        }
    }
}

/// Where slot `index` lives: (chunk, offset in the chunk).
#[inline]
fn position(index: usize) -> (usize, usize) {
    // Chunk k starts at FIRST_CHUNK * (2^k - 1): k = floor(log2(index / FIRST_CHUNK + 1)).
    let q = index / FIRST_CHUNK + 1;
    let k = (usize::BITS - 1 - q.leading_zeros()) as usize;
    // `q` ≥ 1, so `k` < usize::BITS; for chunks beyond CHUNKS the offset is never used.
    let start = FIRST_CHUNK.wrapping_mul((1usize << k) - 1);
    (k, index.wrapping_sub(start))
}

impl<T> HandleTable<T> {
    /// An empty table for handles of `kind`, with a fresh random secret.
    pub(crate) fn new(kind: Kind) -> Self {
        let mut hasher = RandomState::new().build_hasher();
        hasher.write_usize(std::process::id() as usize);
        let secret = (hasher.finish() as usize) & (usize::MAX >> 1);
        Self {
            kind,
            chunks: std::array::from_fn(|_| OnceLock::new()),
            free: Mutex::new(Free {
                reuse: Vec::new(),
                next: 0,
            }),
            secret,
        }
    }

    fn encode(&self, index: usize, generation: u32) -> SecHandle {
        SecHandle {
            dwLower: (index << 4) | TAG | self.kind as usize,
            dwUpper: self.secret ^ generation as usize,
        }
    }

    /// Decodes a handle into (index, generation) if its shape and kind are right.
    #[inline]
    fn decode(&self, handle: &SecHandle) -> Option<(usize, u32)> {
        let lower = handle.dwLower;
        if lower & 0xF != TAG | self.kind as usize {
            return None;
        }
        let generation = handle.dwUpper ^ self.secret;
        let generation = u32::try_from(generation).ok()?;
        Some((lower >> 4, generation))
    }

    /// Slot `index`, if its chunk exists.
    #[inline]
    fn slot(&self, index: usize) -> Option<&Mutex<Slot<T>>> {
        let (chunk, offset) = position(index);
        self.chunks.get(chunk)?.get()?.get(offset)
    }

    /// Slot `index`, creating its chunk if need be (`index` < capacity).
    fn slot_or_create(&self, index: usize) -> &Mutex<Slot<T>> {
        let (chunk, offset) = position(index);
        let slots = self.chunks[chunk].get_or_init(|| {
            (0..FIRST_CHUNK << chunk)
                .map(|_| {
                    Mutex::new(Slot {
                        generation: 1,
                        value: None,
                    })
                })
                .collect()
        });
        &slots[offset]
    }

    fn free_list(&self) -> MutexGuard<'_, Free> {
        // The free list's operations cannot panic half-way; a poisoned lock is still consistent.
        self.free.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Stores `value` and returns its new handle.
    ///
    /// # Panics
    /// When the table is full (billions of live handles).
    pub(crate) fn insert(&self, value: T) -> SecHandle {
        let index = {
            let mut free = self.free_list();
            match free.reuse.pop() {
                Some(index) => index,
                None => {
                    let index = free.next;
                    assert!(
                        position(index).0 < CHUNKS && index <= usize::MAX >> 4,
                        "handle table full"
                    );
                    free.next += 1;
                    index
                }
            }
        };
        // The slot is empty and ours: it left the free list (or was never used), and only
        // `insert` fills slots. A lookup of a stale handle may hold its lock for a moment.
        let mut slot = self
            .slot_or_create(index)
            .lock()
            .unwrap_or_else(|e| e.into_inner());
        slot.value = Some(value);
        self.encode(index, slot.generation)
    }

    /// The object behind `handle`, locked: `SEC_E_INVALID_HANDLE` unless it is a live handle
    /// of this table's kind; `SEC_E_INTERNAL_ERROR` when a panic poisoned the object.
    #[inline]
    pub(crate) fn get(&self, handle: &SecHandle) -> Result<Entry<'_, T>, Status> {
        let invalid = Status::SEC_E_INVALID_HANDLE;
        let (index, generation) = self.decode(handle).ok_or(invalid)?;
        let slot = self.slot(index).ok_or(invalid)?;
        let (guard, poisoned) = match slot.lock() {
            Ok(guard) => (guard, false),
            Err(e) => (e.into_inner(), true),
        };
        if guard.generation != generation || guard.value.is_none() {
            return Err(invalid);
        }
        if poisoned {
            return Err(Status::SEC_E_INTERNAL_ERROR);
        }
        Ok(Entry(guard))
    }

    /// Removes the object behind `handle` (waiting for a call that holds it to finish); later
    /// uses of the handle fail.
    pub(crate) fn remove(&self, handle: &SecHandle) -> Option<T> {
        let (index, generation) = self.decode(handle)?;
        let slot = self.slot(index)?;
        let value = {
            let mut guard = slot.lock().unwrap_or_else(|e| e.into_inner());
            if guard.generation != generation {
                return None;
            }
            let value = guard.value.take()?;
            guard.generation = guard.generation.wrapping_add(1).max(1);
            // The failed object is gone; the slot's next occupant starts clean.
            slot.clear_poison();
            value
        };
        self.free_list().reuse.push(index);
        Some(value)
    }

    /// Number of live entries (tests and diagnostics).
    #[cfg(test)]
    pub(crate) fn live(&self) -> usize {
        self.chunks
            .iter()
            .filter_map(OnceLock::get)
            .flat_map(|slots| slots.iter())
            .filter(|s| s.lock().unwrap_or_else(|e| e.into_inner()).value.is_some())
            .count()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn live_handles_resolve_to_their_object() {
        let creds = HandleTable::new(Kind::Credential);
        let ctxs = HandleTable::new(Kind::Context);
        let a = creds.insert("cred");
        let b = ctxs.insert("ctx");
        assert_eq!(creds.get(&a).map(|e| *e), Ok("cred"));
        assert_eq!(ctxs.get(&b).map(|e| *e), Ok("ctx"));
        assert_ne!(a, b);
        assert_eq!(creds.live() + ctxs.live(), 2);
        *ctxs.get(&b).unwrap() = "changed";
        assert_eq!(ctxs.get(&b).map(|e| *e), Ok("changed"));
    }

    #[test]
    fn wrong_kind_is_rejected() {
        let creds = HandleTable::new(Kind::Credential);
        let ctxs = HandleTable::new(Kind::Context);
        let a = creds.insert(1);
        let b = ctxs.insert(2);
        let invalid = Err(Status::SEC_E_INVALID_HANDLE);
        assert_eq!(ctxs.get(&a).map(|e| *e), invalid);
        assert_eq!(ctxs.remove(&a), None);
        assert_eq!(creds.get(&b).map(|e| *e), invalid);
        assert_eq!(creds.remove(&b), None);
        // Same index, same generation, same secret: only the kind bits differ.
        let other_kind = SecHandle {
            dwLower: (a.dwLower & !0xF) | TAG | Kind::Context as usize,
            dwUpper: a.dwUpper,
        };
        assert_eq!(creds.get(&other_kind).map(|e| *e), invalid);
        assert_eq!(creds.get(&a).map(|e| *e), Ok(1));
        assert_eq!(ctxs.get(&b).map(|e| *e), Ok(2));
    }

    #[test]
    fn stale_and_double_freed_handles_are_rejected() {
        let table = HandleTable::new(Kind::Context);
        let invalid = Err(Status::SEC_E_INVALID_HANDLE);
        let a = table.insert(1);
        assert_eq!(table.remove(&a), Some(1));
        assert_eq!(table.get(&a).map(|e| *e), invalid);
        assert_eq!(table.remove(&a), None);
        // The slot is reused with a new generation: the old handle stays dead.
        let b = table.insert(2);
        assert_eq!(b.dwLower, a.dwLower);
        assert_ne!(b.dwUpper, a.dwUpper);
        assert_eq!(table.get(&a).map(|e| *e), invalid);
        assert_eq!(table.remove(&a), None);
        assert_eq!(table.get(&b).map(|e| *e), Ok(2));
    }

    #[test]
    fn forged_null_and_invalid_handles_are_rejected() {
        let table = HandleTable::new(Kind::Context);
        let real = table.insert(1);
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
            // The next index: inside the first chunk, never used.
            SecHandle {
                dwLower: real.dwLower + 0x10,
                dwUpper: real.dwUpper,
            },
            // An index in a chunk that does not exist, and one beyond every chunk.
            SecHandle {
                dwLower: (5000 << 4) | TAG | Kind::Context as usize,
                dwUpper: real.dwUpper,
            },
            SecHandle {
                dwLower: (usize::MAX & !0xF) | TAG | Kind::Context as usize,
                dwUpper: real.dwUpper,
            },
            SecHandle {
                dwLower: 1234,
                dwUpper: 5678,
            },
        ] {
            assert!(table.get(&forged).is_err(), "{forged:?}");
            assert_eq!(table.remove(&forged), None, "{forged:?}");
        }
        assert_eq!(table.get(&real).map(|e| *e), Ok(1));
    }

    #[test]
    fn issued_handles_are_never_the_invalid_value() {
        let table = HandleTable::new(Kind::Credential);
        for i in 0..1000 {
            let h = table.insert(i);
            assert_ne!(h.dwUpper, usize::MAX);
            assert_ne!(h.dwLower, usize::MAX);
            if i % 2 == 0 {
                table.remove(&h);
            }
        }
    }

    #[test]
    fn chunks_double_and_every_slot_has_one_place() {
        assert_eq!(position(0), (0, 0));
        assert_eq!(position(31), (0, 31));
        assert_eq!(position(32), (1, 0));
        assert_eq!(position(95), (1, 63));
        assert_eq!(position(96), (2, 0));
        assert_eq!(position(223), (2, 127));
        assert_eq!(position(224), (3, 0));
        let mut expected = (0, 0);
        for index in 0..5000 {
            assert_eq!(position(index), expected, "{index}");
            expected.1 += 1;
            if expected.1 == FIRST_CHUNK << expected.0 {
                expected = (expected.0 + 1, 0);
            }
        }
        // Handles spread over several chunks all resolve to their own object.
        let table = HandleTable::new(Kind::Context);
        let handles: Vec<_> = (0..500).map(|i| (table.insert(i), i)).collect();
        assert_eq!(table.live(), 500);
        for (h, i) in &handles {
            assert_eq!(table.get(h).map(|e| *e), Ok(*i));
        }
        for (h, i) in &handles {
            assert_eq!(table.remove(h), Some(*i));
        }
        assert_eq!(table.live(), 0);
    }

    #[test]
    fn a_poisoned_entry_fails_until_removed() {
        let table = HandleTable::new(Kind::Context);
        let a = table.insert(7);
        let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            let _entry = table.get(&a).unwrap();
            panic!("boom");
        }));
        assert!(result.is_err());
        assert_eq!(table.get(&a).map(|e| *e), Err(Status::SEC_E_INTERNAL_ERROR));
        assert_eq!(table.remove(&a), Some(7));
        assert_eq!(table.get(&a).map(|e| *e), Err(Status::SEC_E_INVALID_HANDLE));
        // The slot's next occupant starts clean.
        let b = table.insert(8);
        assert_eq!(b.dwLower, a.dwLower);
        assert_eq!(table.get(&b).map(|e| *e), Ok(8));
    }

    #[test]
    fn remove_waits_for_the_holder_of_an_entry() {
        use std::sync::atomic::{AtomicBool, Ordering};
        let table = HandleTable::new(Kind::Context);
        let h = table.insert(String::from("live"));
        let released = AtomicBool::new(false);
        std::thread::scope(|s| {
            let entry = table.get(&h).unwrap();
            let remover = s.spawn(|| {
                let value = table.remove(&h);
                // The holder released its entry before the removal could take the object.
                assert!(released.load(Ordering::SeqCst));
                value
            });
            std::thread::sleep(std::time::Duration::from_millis(50));
            assert_eq!(*entry, "live");
            released.store(true, Ordering::SeqCst);
            drop(entry);
            assert_eq!(remover.join().unwrap().as_deref(), Some("live"));
        });
        assert!(table.get(&h).is_err());
    }
}
