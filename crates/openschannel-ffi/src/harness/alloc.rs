//! A global allocator that counts (`bench`'s memory figures), and glibc's view of the heap.
//!
//! [`CountingAllocator`] forwards every call to [`System`]. Counting is off by default; while
//! [`set_counting`]`(true)` is in force it records, with relaxed atomics, the number of
//! allocations (`alloc`, `alloc_zeroed` and `realloc` each count one), of deallocations, the
//! live byte balance and its peak. With counting off the only cost is one relaxed load per
//! call, so speed runs are not distorted. Blocks allocated before counting was switched on and
//! freed while it is on make the balance go down (it is signed for that reason).

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicBool, AtomicI64, AtomicU64, Ordering::Relaxed};

static COUNTING: AtomicBool = AtomicBool::new(false);
static ALLOCATIONS: AtomicU64 = AtomicU64::new(0);
static DEALLOCATIONS: AtomicU64 = AtomicU64::new(0);
static LIVE: AtomicI64 = AtomicI64::new(0);
static PEAK: AtomicI64 = AtomicI64::new(0);

/// A [`GlobalAlloc`] over [`System`] that counts while [`set_counting`] is on. Install it with
/// `#[global_allocator] static A: CountingAllocator = CountingAllocator;`.
#[derive(Clone, Copy, Debug, Default)]
pub struct CountingAllocator;

/// What the allocator counted since the last [`reset`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct AllocStats {
    /// Successful `alloc`, `alloc_zeroed` and `realloc` calls.
    pub allocations: u64,
    /// `dealloc` calls.
    pub deallocations: u64,
    /// Bytes allocated minus bytes freed (negative when more was freed than allocated).
    pub live_bytes: i64,
    /// The highest `live_bytes` reached (see [`reset_peak`]).
    pub peak_bytes: i64,
}

/// Switches counting on or off (off at start).
pub fn set_counting(on: bool) {
    COUNTING.store(on, Relaxed);
}

/// The counters.
pub fn stats() -> AllocStats {
    AllocStats {
        allocations: ALLOCATIONS.load(Relaxed),
        deallocations: DEALLOCATIONS.load(Relaxed),
        live_bytes: LIVE.load(Relaxed),
        peak_bytes: PEAK.load(Relaxed),
    }
}

/// Zeroes every counter.
pub fn reset() {
    ALLOCATIONS.store(0, Relaxed);
    DEALLOCATIONS.store(0, Relaxed);
    LIVE.store(0, Relaxed);
    PEAK.store(0, Relaxed);
}

/// Sets the peak to the current live balance (to measure the peak of one phase).
pub fn reset_peak() {
    PEAK.store(LIVE.load(Relaxed), Relaxed);
}

fn size(bytes: usize) -> i64 {
    i64::try_from(bytes).unwrap_or(i64::MAX)
}

/// Adds `delta` to the live balance, raising the peak when it grows.
fn add_live(delta: i64) {
    let now = LIVE.fetch_add(delta, Relaxed).wrapping_add(delta);
    if delta > 0 {
        PEAK.fetch_max(now, Relaxed);
    }
}

fn counted_allocation(p: *mut u8, bytes: usize) {
    if !p.is_null() && COUNTING.load(Relaxed) {
        ALLOCATIONS.fetch_add(1, Relaxed);
        add_live(size(bytes));
    }
}

// SAFETY: every method forwards to `System` with the caller's arguments unchanged and returns
// its result; the counting touches only atomics and never allocates.
unsafe impl GlobalAlloc for CountingAllocator {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: forwarded `GlobalAlloc::alloc` contract (non-zero-sized layout).
        let p = unsafe { System.alloc(layout) };
        counted_allocation(p, layout.size());
        p
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        // SAFETY: forwarded `GlobalAlloc::alloc_zeroed` contract.
        let p = unsafe { System.alloc_zeroed(layout) };
        counted_allocation(p, layout.size());
        p
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: forwarded `GlobalAlloc::dealloc` contract (`ptr` came from this allocator,
        // i.e. from `System`, with `layout`).
        unsafe { System.dealloc(ptr, layout) };
        if COUNTING.load(Relaxed) {
            DEALLOCATIONS.fetch_add(1, Relaxed);
            add_live(-size(layout.size()));
        }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: forwarded `GlobalAlloc::realloc` contract.
        let p = unsafe { System.realloc(ptr, layout, new_size) };
        if !p.is_null() && COUNTING.load(Relaxed) {
            ALLOCATIONS.fetch_add(1, Relaxed);
            add_live(size(new_size) - size(layout.size()));
        }
        p
    }
}

/// Bytes glibc's `malloc` has handed out and not taken back (`mallinfo2()`: `uordblks +
/// hblkhd`, all arenas, mmapped chunks included) — the heap of code that does not go through
/// Rust's allocator, such as OpenSSL. `None` off Linux/glibc.
pub fn malloc_in_use() -> Option<u64> {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        // SAFETY: `mallinfo2` takes no arguments and returns a plain structure (glibc ≥ 2.33).
        let info = unsafe { glibc::mallinfo2() };
        Some((info.uordblks as u64).saturating_add(info.hblkhd as u64))
    }
    #[cfg(not(all(target_os = "linux", target_env = "gnu")))]
    {
        None
    }
}

#[cfg(all(target_os = "linux", target_env = "gnu"))]
mod glibc {
    /// glibc's `struct mallinfo2` (ten `size_t` fields).
    #[repr(C)]
    pub(super) struct Mallinfo2 {
        /// Non-mmapped space allocated (bytes).
        pub(super) arena: usize,
        /// Number of free chunks.
        pub(super) ordblks: usize,
        /// Number of free fastbin blocks.
        pub(super) smblks: usize,
        /// Number of mmapped regions.
        pub(super) hblks: usize,
        /// Space allocated in mmapped regions (bytes).
        pub(super) hblkhd: usize,
        /// Unused (always 0).
        pub(super) usmblks: usize,
        /// Space in freed fastbin blocks (bytes).
        pub(super) fsmblks: usize,
        /// Total allocated space (bytes).
        pub(super) uordblks: usize,
        /// Total free space (bytes).
        pub(super) fordblks: usize,
        /// Top-most, releasable space (bytes).
        pub(super) keepcost: usize,
    }

    extern "C" {
        /// `struct mallinfo2 mallinfo2(void)`.
        pub(super) fn mallinfo2() -> Mallinfo2;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Mutex;

    /// The counters are process-wide: tests that switch counting on run one at a time.
    static SERIAL: Mutex<()> = Mutex::new(());

    #[test]
    fn counts_allocations_and_live_bytes() {
        let _guard = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
        // Not the global allocator in this test binary: call it directly, so that only these
        // calls are counted (other tests' threads go to `System` untouched).
        let a = CountingAllocator;
        reset();
        set_counting(true);
        let layout = Layout::from_size_align(1000, 8).expect("layout");
        // SAFETY: a non-zero-sized layout.
        let p = unsafe { a.alloc(layout) };
        assert!(!p.is_null());
        let after_alloc = stats();
        // SAFETY: `p` came from `a.alloc(layout)`.
        let q = unsafe { a.realloc(p, layout, 3000) };
        assert!(!q.is_null());
        let grown = Layout::from_size_align(3000, 8).expect("layout");
        let after_realloc = stats();
        // SAFETY: `q` is the reallocated block, now of layout `grown`.
        unsafe { a.dealloc(q, grown) };
        // SAFETY: a non-zero-sized layout.
        let z = unsafe { a.alloc_zeroed(layout) };
        assert!(!z.is_null());
        // SAFETY: `z` came from `a.alloc_zeroed(layout)`.
        unsafe { a.dealloc(z, layout) };
        set_counting(false);
        let end = stats();
        // Not counted: counting is off.
        // SAFETY: as above.
        let r = unsafe { a.alloc(layout) };
        // SAFETY: as above.
        unsafe { a.dealloc(r, layout) };
        assert_eq!(stats(), end);

        assert_eq!(after_alloc.allocations, 1);
        assert!(after_alloc.live_bytes >= 1000);
        assert_eq!(after_realloc.allocations, 2);
        assert_eq!(after_realloc.live_bytes, 3000);
        assert_eq!(after_realloc.peak_bytes, 3000);
        assert_eq!(
            end,
            AllocStats {
                allocations: 3,
                deallocations: 2,
                live_bytes: 0,
                peak_bytes: 3000,
            }
        );
        reset_peak();
        assert_eq!(stats().peak_bytes, 0);
        reset();
        assert_eq!(stats(), AllocStats::default());
    }

    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    #[test]
    fn mallinfo_sees_a_mebibyte() {
        const MIB: u64 = 1 << 20;
        // Other tests allocate and free on other threads meanwhile: a few tries.
        let grew = (0..8).any(|_| {
            let before = malloc_in_use().expect("glibc");
            let block = std::hint::black_box(vec![1u8; MIB as usize].into_boxed_slice());
            let during = malloc_in_use().expect("glibc");
            drop(block);
            during.saturating_sub(before) >= MIB
        });
        assert!(grew, "mallinfo2 did not grow by 1 MiB");
    }
}
