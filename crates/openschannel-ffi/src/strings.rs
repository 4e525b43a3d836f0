//! A and W strings at the edge: one implementation serves both entry points.
//!
//! `A` strings are read as UTF-8 (falling back to Latin-1 byte by byte when they are not valid
//! UTF-8 — the "ANSI code page" of this port); `W` strings are UTF-16 `u16` units, never the
//! 32-bit Linux `wchar_t`.

use std::ffi::{c_char, CStr};

/// Longest string the W reader scans for its terminating NUL (in UTF-16 units).
const MAX_WIDE: usize = 1 << 16;

/// A character type of the SSPI entry points: `c_char` (A) or `u16` (W).
pub(crate) trait SspiChar: Copy + Send + 'static {
    /// Reads a NUL-terminated string; `None` for NULL (or an unterminated W string).
    ///
    /// # Safety
    /// `p` is NULL or points to a NUL-terminated string of this character type.
    unsafe fn read_str(p: *const Self) -> Option<String>;

    /// Encodes `s`, NUL-terminated.
    fn encode(s: &str) -> Vec<Self>;
}

impl SspiChar for c_char {
    unsafe fn read_str(p: *const Self) -> Option<String> {
        if p.is_null() {
            return None;
        }
        // SAFETY: non-NULL and NUL-terminated per the caller's contract.
        let bytes = unsafe { CStr::from_ptr(p) }.to_bytes();
        Some(match std::str::from_utf8(bytes) {
            Ok(s) => s.to_owned(),
            Err(_) => bytes.iter().map(|&b| char::from(b)).collect(),
        })
    }

    fn encode(s: &str) -> Vec<Self> {
        s.bytes()
            .chain(std::iter::once(0))
            .map(|b| b as c_char)
            .collect()
    }
}

impl SspiChar for u16 {
    unsafe fn read_str(p: *const Self) -> Option<String> {
        if p.is_null() || !p.is_aligned() {
            return None;
        }
        let mut units = Vec::new();
        for i in 0..MAX_WIDE {
            let q = p.wrapping_add(i);
            // SAFETY: the string is NUL-terminated, and we stop at the NUL, so `q` is in bounds.
            let unit = unsafe { q.read() };
            if unit == 0 {
                return Some(String::from_utf16_lossy(&units));
            }
            units.push(unit);
        }
        None
    }

    fn encode(s: &str) -> Vec<Self> {
        s.encode_utf16().chain(std::iter::once(0)).collect()
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
    fn both_flavours_round_trip() {
        let a = c_char::encode("Schannel");
        // SAFETY: NUL-terminated buffer.
        assert_eq!(
            unsafe { c_char::read_str(a.as_ptr()) }.as_deref(),
            Some("Schannel")
        );
        let w = u16::encode("Default TLS SSP");
        // SAFETY: NUL-terminated buffer.
        assert_eq!(
            unsafe { u16::read_str(w.as_ptr()) }.as_deref(),
            Some("Default TLS SSP")
        );
        // SAFETY: NULL is allowed.
        assert_eq!(unsafe { u16::read_str(std::ptr::null()) }, None);
    }

    #[test]
    fn ansi_falls_back_to_latin1() {
        let bytes = [b'c' as c_char, 0xE9u8 as c_char, 0];
        // SAFETY: NUL-terminated buffer.
        assert_eq!(
            unsafe { c_char::read_str(bytes.as_ptr()) }.as_deref(),
            Some("c\u{e9}")
        );
    }
}
