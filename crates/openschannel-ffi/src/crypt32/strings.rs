//! `CryptStringToBinaryA/W` and `CryptBinaryToStringA/W`: base64 (with or without a PEM
//! header), hexadecimal and binary conversions, with Windows' exact output layout, line breaks
//! and size-query protocol (as Wine's `crypt32/tests/base64.c` records Windows' behaviour).
//!
//! Both directions work on one implementation: A strings are read byte by byte, W strings as
//! UTF-16 units, and the output text is ASCII, written as bytes or as UTF-16 units.

use std::ffi::{c_char, CStr};

use crate::boundary::guard_value;
use crate::lasterror;

/// `CRYPT_STRING_*` formats and flags.
pub(crate) mod fmt {
    pub(crate) const BASE64HEADER: u32 = 0x0;
    pub(crate) const BASE64: u32 = 0x1;
    pub(crate) const BINARY: u32 = 0x2;
    pub(crate) const BASE64REQUESTHEADER: u32 = 0x3;
    pub(crate) const HEX: u32 = 0x4;
    pub(crate) const BASE64_ANY: u32 = 0x6;
    pub(crate) const ANY: u32 = 0x7;
    pub(crate) const HEX_ANY: u32 = 0x8;
    pub(crate) const BASE64X509CRLHEADER: u32 = 0x9;
    pub(crate) const HEXRAW: u32 = 0xc;
    pub(crate) const STRICT: u32 = 0x2000_0000;
    pub(crate) const NOCRLF: u32 = 0x4000_0000;
    pub(crate) const NOCR: u32 = 0x8000_0000;
}

/// `ERROR_INVALID_PARAMETER`.
pub(crate) const ERROR_INVALID_PARAMETER: u32 = 87;
/// `ERROR_INVALID_DATA`.
pub(crate) const ERROR_INVALID_DATA: u32 = 13;
/// `ERROR_MORE_DATA`.
pub(crate) const ERROR_MORE_DATA: u32 = 234;

const TRUE: i32 = 1;
const FALSE: i32 = 0;

const B64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// A successful decode: the bytes, the characters skipped before the data, the format used.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Decoded {
    pub(crate) bytes: Vec<u8>,
    pub(crate) skipped: u32,
    pub(crate) used: u32,
}

fn b64_value(c: u16) -> Option<u32> {
    let c = u8::try_from(c).ok()?;
    B64.iter().position(|&b| b == c).map(|p| p as u32)
}

fn is_space(c: u16) -> bool {
    matches!(c, 0x20 | 0x09 | 0x0d | 0x0a)
}

/// Base64 as Windows reads it: white space anywhere, a final partial group is accepted (one or
/// two characters give one byte, three give two), padding must complete its group and ends the
/// data (anything after it is ignored).
pub(crate) fn base64_decode(units: &[u16]) -> Result<Vec<u8>, u32> {
    let mut out = Vec::with_capacity(units.len() / 4 * 3 + 3);
    let mut group = [0u32; 4];
    let mut k = 0usize;
    let mut i = 0;
    let mut padded = false;
    while i < units.len() {
        let c = units[i];
        i += 1;
        if is_space(c) {
            continue;
        }
        if c == u16::from(b'=') {
            let mut pads = 1;
            while i < units.len() && (units[i] == u16::from(b'=') || is_space(units[i])) {
                if units[i] == u16::from(b'=') {
                    pads += 1;
                }
                i += 1;
            }
            if k != 0 && pads < 4 - k {
                return Err(ERROR_INVALID_DATA);
            }
            padded = true;
            break;
        }
        group[k] = b64_value(c).ok_or(ERROR_INVALID_DATA)?;
        k += 1;
        if k == 4 {
            let v = (group[0] << 18) | (group[1] << 12) | (group[2] << 6) | group[3];
            out.extend_from_slice(&[(v >> 16) as u8, (v >> 8) as u8, v as u8]);
            k = 0;
        }
    }
    let _ = padded;
    match k {
        1 => out.push((group[0] << 2) as u8),
        2 => out.push(((group[0] << 2) | (group[1] >> 4)) as u8),
        3 => out.extend_from_slice(&[
            ((group[0] << 2) | (group[1] >> 4)) as u8,
            (((group[1] & 0xf) << 4) | (group[2] >> 2)) as u8,
        ]),
        _ => {}
    }
    Ok(out)
}

fn find(hay: &[u16], needle: &str, from: usize) -> Option<usize> {
    let n: Vec<u16> = needle.encode_utf16().collect();
    if hay.len() < n.len() || from > hay.len() - n.len() {
        return None;
    }
    (from..=hay.len() - n.len()).find(|&i| hay[i..i + n.len()] == n[..])
}

/// A PEM block: `-----BEGIN <label>-----`, base64, `-----END <label>-----` (any labels; the
/// header may follow other text, whose length is reported as skipped).
fn base64_header_decode(units: &[u16]) -> Result<Decoded, u32> {
    let begin = find(units, "-----BEGIN ", 0).ok_or(ERROR_INVALID_DATA)?;
    let header_end = find(units, "-----", begin + 11).ok_or(ERROR_INVALID_DATA)? + 5;
    let end = find(units, "-----END ", header_end).ok_or(ERROR_INVALID_DATA)?;
    find(units, "-----", end + 9).ok_or(ERROR_INVALID_DATA)?;
    Ok(Decoded {
        bytes: base64_decode(&units[header_end..end])?,
        skipped: u32::try_from(begin).unwrap_or(u32::MAX),
        used: fmt::BASE64HEADER,
    })
}

fn hex_digit(c: u16) -> Option<u8> {
    match c {
        0x30..=0x39 => Some((c - 0x30) as u8),
        0x41..=0x46 => Some((c - 0x41 + 10) as u8),
        0x61..=0x66 => Some((c - 0x61 + 10) as u8),
        _ => None,
    }
}

fn hex_separator(c: u16) -> bool {
    is_space(c) || c == u16::from(b'-') || c == u16::from(b',')
}

/// Hexadecimal: pairs of digits, separated by white space, `-` or `,`. On malformed input
/// the error comes with the bytes decoded before it (Windows writes those).
pub(crate) fn hex_decode(units: &[u16]) -> Result<Vec<u8>, (u32, Vec<u8>)> {
    let mut out = Vec::with_capacity(units.len() / 2);
    let mut i = 0;
    while i < units.len() {
        let c = units[i];
        if hex_separator(c) {
            i += 1;
            continue;
        }
        let Some(hi) = hex_digit(c) else {
            return Err((ERROR_INVALID_DATA, out));
        };
        let Some(lo) = units.get(i + 1).copied().and_then(hex_digit) else {
            out.push(hi << 4);
            return Err((ERROR_INVALID_DATA, out));
        };
        out.push((hi << 4) | lo);
        i += 2;
    }
    Ok(out)
}

/// Decodes `units` in the given format (the `ANY` formats try base64 with header, plain base64
/// and, for `ANY`, the raw bytes).
pub(crate) fn string_to_binary(units: &[u16], format: u32) -> Result<Decoded, (u32, Vec<u8>)> {
    let plain = |bytes| Decoded {
        bytes,
        skipped: 0,
        used: format,
    };
    let no_partial = |e: u32| (e, Vec::new());
    match format & !fmt::STRICT {
        fmt::BASE64HEADER | fmt::BASE64REQUESTHEADER | fmt::BASE64X509CRLHEADER => {
            base64_header_decode(units)
                .map(|d| Decoded { used: format, ..d })
                .map_err(no_partial)
        }
        fmt::BASE64 => base64_decode(units).map(plain).map_err(no_partial),
        fmt::BASE64_ANY | fmt::ANY => base64_header_decode(units)
            .or_else(|_| {
                base64_decode(units).map(|bytes| Decoded {
                    bytes,
                    skipped: 0,
                    used: fmt::BASE64,
                })
            })
            .or_else(|e| {
                if format == fmt::ANY {
                    Ok(Decoded {
                        bytes: units.iter().map(|&u| u as u8).collect(),
                        skipped: 0,
                        used: fmt::BINARY,
                    })
                } else {
                    Err(e)
                }
            })
            .map_err(no_partial),
        fmt::BINARY => Ok(plain(units.iter().map(|&u| u as u8).collect())),
        fmt::HEX | fmt::HEXRAW | fmt::HEX_ANY => hex_decode(units).map(|bytes| Decoded {
            bytes,
            skipped: 0,
            used: fmt::HEX,
        }),
        _ => Err((ERROR_INVALID_DATA, Vec::new())),
    }
}

/// The line ending the flags select.
fn eol(flags: u32) -> &'static str {
    if flags & fmt::NOCRLF != 0 {
        ""
    } else if flags & fmt::NOCR != 0 {
        "\n"
    } else {
        "\r\n"
    }
}

/// Base64 in lines of 64 characters, each (the last too) ended by `eol`.
pub(crate) fn base64_encode(data: &[u8], eol: &str) -> String {
    let mut chars = String::with_capacity(data.len() / 3 * 4 + 4);
    for chunk in data.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let v = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                chars.push(B64[((v >> (18 - 6 * i)) & 0x3f) as usize] as char);
            } else {
                chars.push('=');
            }
        }
    }
    if eol.is_empty() {
        return chars;
    }
    let mut out = String::with_capacity(chars.len() + chars.len() / 64 * 2 + 2);
    for line in chars.as_bytes().chunks(64) {
        out.push_str(std::str::from_utf8(line).unwrap_or_default());
        out.push_str(eol);
    }
    out
}

/// `CRYPT_STRING_HEX`: bytes separated by a space, two spaces after the eighth of a line,
/// sixteen bytes a line; without line breaks (`NOCRLF`) all on one line, single-spaced.
fn hex_encode(data: &[u8], flags: u32) -> String {
    let eol = eol(flags);
    let mut out = String::with_capacity(data.len() * 3 + 4);
    for (j, b) in data.iter().enumerate() {
        out.push_str(&format!("{b:02x}"));
        if j + 1 == data.len() {
            break;
        }
        if !eol.is_empty() && (j + 1) % 16 == 0 {
            out.push_str(eol);
            continue;
        }
        if !eol.is_empty() && (j + 1) % 8 == 0 {
            out.push(' ');
        }
        out.push(' ');
    }
    out.push_str(eol);
    out
}

/// The text `CryptBinaryToString` produces, or `ERROR_INVALID_PARAMETER` for an unsupported
/// format or flag.
pub(crate) fn binary_to_string(data: &[u8], flags: u32) -> Result<String, u32> {
    let extra = flags & 0xffff_0000 & !(fmt::NOCR | fmt::NOCRLF | fmt::STRICT);
    if extra != 0 {
        return Err(ERROR_INVALID_PARAMETER);
    }
    let eol = eol(flags);
    let pem = |label: &str| {
        format!(
            "-----BEGIN {label}-----{eol}{}-----END {label}-----{eol}",
            base64_encode(data, eol)
        )
    };
    match flags & 0xffff {
        fmt::BASE64 => Ok(base64_encode(data, eol)),
        fmt::BASE64HEADER => Ok(pem("CERTIFICATE")),
        fmt::BASE64REQUESTHEADER => Ok(pem("NEW CERTIFICATE REQUEST")),
        fmt::BASE64X509CRLHEADER => Ok(pem("X509 CRL")),
        fmt::HEX => Ok(hex_encode(data, flags)),
        fmt::HEXRAW => {
            let mut s: String = data.iter().map(|b| format!("{b:02x}")).collect();
            s.push_str(eol);
            Ok(s)
        }
        _ => Err(ERROR_INVALID_PARAMETER),
    }
}

/// Reads the caller's string as units: `cch` of them, or up to the NUL when `cch` is 0.
///
/// # Safety
/// `p` is NULL or points to `cch` characters (a NUL-terminated string when `cch` is 0).
unsafe fn read_units<C: Unit>(p: *const C, cch: u32) -> Option<Vec<u16>> {
    if p.is_null() || !p.is_aligned() {
        return None;
    }
    if cch > 0 {
        // SAFETY: the caller passes `cch` readable characters at `p` (checked non-NULL and
        // aligned above).
        let s = unsafe { std::slice::from_raw_parts(p, cch as usize) };
        return Some(s.iter().map(|c| c.unit()).collect());
    }
    // SAFETY: NUL-terminated per the contract.
    Some(unsafe { C::terminated(p) })
}

/// A character type of these entry points: `c_char` (A) or `u16` (W).
pub(crate) trait Unit: Copy {
    /// The character as a UTF-16 unit (A bytes map one to one).
    fn unit(self) -> u16;
    /// The ASCII character `b`.
    fn from_ascii(b: u8) -> Self;
    /// Reads a NUL-terminated string.
    ///
    /// # Safety
    /// `p` is non-NULL, aligned and NUL-terminated.
    unsafe fn terminated(p: *const Self) -> Vec<u16>;
}

impl Unit for c_char {
    fn unit(self) -> u16 {
        u16::from(self as u8)
    }
    fn from_ascii(b: u8) -> Self {
        b as c_char
    }
    unsafe fn terminated(p: *const Self) -> Vec<u16> {
        // SAFETY: NUL-terminated per the contract.
        unsafe { CStr::from_ptr(p) }
            .to_bytes()
            .iter()
            .map(|&b| u16::from(b))
            .collect()
    }
}

impl Unit for u16 {
    fn unit(self) -> u16 {
        self
    }
    fn from_ascii(b: u8) -> Self {
        u16::from(b)
    }
    unsafe fn terminated(p: *const Self) -> Vec<u16> {
        let mut out = Vec::new();
        let mut i = 0;
        loop {
            // SAFETY: the string is NUL-terminated and we stop at the NUL.
            let c = unsafe { p.wrapping_add(i).read() };
            if c == 0 {
                return out;
            }
            out.push(c);
            i += 1;
        }
    }
}

fn read_u32(p: *const u32) -> Option<u32> {
    // SAFETY: checked for NULL/alignment; the caller's in/out DWORD.
    unsafe { crate::boundary::read(p, openschannel_core::Status::SEC_E_INVALID_PARAMETER) }.ok()
}

fn write_u32(p: *mut u32, v: u32) {
    // SAFETY: checked for NULL/alignment by the helper; an optional out-parameter.
    unsafe { crate::boundary::write(p, v) };
}

fn string_to_binary_impl<C: Unit>(
    psz: *const C,
    cch: u32,
    flags: u32,
    pb: *mut u8,
    pcb: *mut u32,
    pskip: *mut u32,
    pflags: *mut u32,
) -> i32 {
    let Some(cap) = read_u32(pcb) else {
        return lasterror::fail(FALSE, ERROR_INVALID_PARAMETER);
    };
    // SAFETY: the caller's string contract (cch characters, or NUL-terminated).
    let Some(units) = (unsafe { read_units(psz, cch) }) else {
        return lasterror::fail(FALSE, ERROR_INVALID_PARAMETER);
    };
    let hex = matches!(flags & !fmt::STRICT, fmt::HEX | fmt::HEXRAW | fmt::HEX_ANY);
    if hex {
        if units.is_empty() && std::mem::size_of::<C>() == 2 {
            return lasterror::fail(FALSE, ERROR_INVALID_PARAMETER);
        }
        write_u32(pskip, 0);
        write_u32(pflags, 0);
    }
    let write_bytes = |bytes: &[u8]| {
        let n = bytes.len().min(cap as usize);
        if n > 0 {
            // SAFETY: `pb` holds `cap` >= n writable bytes (the caller's contract).
            unsafe { std::ptr::copy_nonoverlapping(bytes.as_ptr(), pb, n) };
        }
    };
    match string_to_binary(&units, flags) {
        Ok(d) => {
            let len = u32::try_from(d.bytes.len()).unwrap_or(u32::MAX);
            if !pb.is_null() {
                if len > cap {
                    if hex {
                        write_bytes(&d.bytes);
                    }
                    return lasterror::fail(FALSE, ERROR_MORE_DATA);
                }
                write_bytes(&d.bytes);
            }
            write_u32(pcb, len);
            write_u32(pskip, d.skipped);
            write_u32(pflags, d.used);
            TRUE
        }
        Err((code, partial)) => {
            if hex {
                if pb.is_null() {
                    write_u32(pcb, 0);
                } else {
                    write_bytes(&partial);
                }
            }
            lasterror::fail(FALSE, code)
        }
    }
}

/// `CryptStringToBinaryA`: decodes `cchString` characters (0: up to the NUL) of base64 (plain,
/// with a PEM header, or either: `CRYPT_STRING_BASE64`, `BASE64HEADER`, `BASE64REQUESTHEADER`,
/// `BASE64X509CRLHEADER`, `BASE64_ANY`), hexadecimal (`HEX`, `HEXRAW`, `HEX_ANY`), raw bytes
/// (`BINARY`) or any of them (`ANY`). With `pbBinary` NULL, `*pcbBinary` receives the size;
/// a short buffer fails with `ERROR_MORE_DATA`; malformed input with `ERROR_INVALID_DATA`.
///
/// # Safety
/// `pszString` holds `cchString` characters (NUL-terminated when 0); `pbBinary` is NULL or has
/// `*pcbBinary` writable bytes; `pcbBinary` is writable; `pdwSkip`/`pdwFlags` NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn CryptStringToBinaryA(
    pszString: *const c_char,
    cchString: u32,
    dwFlags: u32,
    pbBinary: *mut u8,
    pcbBinary: *mut u32,
    pdwSkip: *mut u32,
    pdwFlags: *mut u32,
) -> i32 {
    guard_value("CryptStringToBinaryA", FALSE, || {
        string_to_binary_impl(
            pszString, cchString, dwFlags, pbBinary, pcbBinary, pdwSkip, pdwFlags,
        )
    })
}

/// `CryptStringToBinaryW`: as [`CryptStringToBinaryA`], for a UTF-16 string.
///
/// # Safety
/// As [`CryptStringToBinaryA`], with `cchString` UTF-16 units.
#[no_mangle]
pub unsafe extern "C" fn CryptStringToBinaryW(
    pszString: *const u16,
    cchString: u32,
    dwFlags: u32,
    pbBinary: *mut u8,
    pcbBinary: *mut u32,
    pdwSkip: *mut u32,
    pdwFlags: *mut u32,
) -> i32 {
    guard_value("CryptStringToBinaryW", FALSE, || {
        string_to_binary_impl(
            pszString, cchString, dwFlags, pbBinary, pcbBinary, pdwSkip, pdwFlags,
        )
    })
}

fn binary_to_string_impl<C: Unit>(
    pb: *const u8,
    cb: u32,
    flags: u32,
    out: *mut C,
    pcch: *mut u32,
) -> i32 {
    let Some(cap) = read_u32(pcch) else {
        return lasterror::fail(FALSE, ERROR_INVALID_PARAMETER);
    };
    if pb.is_null() || cb == 0 {
        return lasterror::fail(FALSE, ERROR_INVALID_PARAMETER);
    }
    // SAFETY: the caller passes `cb` readable bytes at `pb` (non-NULL checked above).
    let data = unsafe { std::slice::from_raw_parts(pb, cb as usize) };
    if flags & 0xffff == fmt::BINARY {
        if !out.is_null() {
            if cap < cb {
                write_u32(pcch, cb);
                return lasterror::fail(FALSE, ERROR_MORE_DATA);
            }
            // SAFETY: the caller's buffer has `cap` >= cb bytes (for W: bytes, as Windows
            // counts them for this format).
            unsafe { std::ptr::copy_nonoverlapping(pb, out.cast::<u8>(), cb as usize) };
        }
        write_u32(pcch, cb);
        return TRUE;
    }
    let text = match binary_to_string(data, flags) {
        Ok(t) => t,
        Err(code) => return lasterror::fail(FALSE, code),
    };
    let len = u32::try_from(text.len()).unwrap_or(u32::MAX);
    let needed = len.saturating_add(1);
    if out.is_null() {
        write_u32(pcch, needed);
        return TRUE;
    }
    let write = |chars: &[u8], nul_at: usize| {
        for (i, &b) in chars.iter().enumerate() {
            // SAFETY: `out` has `cap` characters and `i < nul_at < cap`.
            unsafe { out.wrapping_add(i).write(C::from_ascii(b)) };
        }
        // SAFETY: as above, `nul_at < cap`.
        unsafe { out.wrapping_add(nul_at).write(C::from_ascii(0)) };
    };
    if cap < needed {
        let kind = flags & 0xffff;
        if kind == fmt::HEX || kind == fmt::HEXRAW {
            // Windows leaves the size as it was; the A function writes the whole bytes that
            // fit (HEXRAW), NUL-terminated, when at least one does.
            if kind == fmt::HEXRAW && std::mem::size_of::<C>() == 1 && cap >= 3 {
                let n = ((cap - 1) & !1) as usize;
                write(&text.as_bytes()[..n], n);
            }
        } else {
            write_u32(pcch, needed);
        }
        return lasterror::fail(FALSE, ERROR_MORE_DATA);
    }
    write(text.as_bytes(), text.len());
    write_u32(pcch, len);
    TRUE
}

/// `CryptBinaryToStringA`: encodes `cbBinary` bytes as base64 (`CRYPT_STRING_BASE64`, or with
/// a `CERTIFICATE` / `NEW CERTIFICATE REQUEST` / `X509 CRL` PEM header), hexadecimal (`HEX`,
/// `HEXRAW`) or a copy (`BINARY`). Lines end in CR LF, LF (`CRYPT_STRING_NOCR`) or not at all
/// (`CRYPT_STRING_NOCRLF`). With `pszString` NULL, `*pcchString` receives the size including
/// the NUL; on success it holds the length without it; a short buffer fails with
/// `ERROR_MORE_DATA`. Other formats fail with `ERROR_INVALID_PARAMETER`.
///
/// # Safety
/// `pbBinary` holds `cbBinary` bytes; `pszString` is NULL or has `*pcchString` characters;
/// `pcchString` is writable.
#[no_mangle]
pub unsafe extern "C" fn CryptBinaryToStringA(
    pbBinary: *const u8,
    cbBinary: u32,
    dwFlags: u32,
    pszString: *mut c_char,
    pcchString: *mut u32,
) -> i32 {
    guard_value("CryptBinaryToStringA", FALSE, || {
        binary_to_string_impl(pbBinary, cbBinary, dwFlags, pszString, pcchString)
    })
}

/// `CryptBinaryToStringW`: as [`CryptBinaryToStringA`], in UTF-16.
///
/// # Safety
/// As [`CryptBinaryToStringA`], with `*pcchString` UTF-16 units.
#[no_mangle]
pub unsafe extern "C" fn CryptBinaryToStringW(
    pbBinary: *const u8,
    cbBinary: u32,
    dwFlags: u32,
    pszString: *mut u16,
    pcchString: *mut u32,
) -> i32 {
    guard_value("CryptBinaryToStringW", FALSE, || {
        binary_to_string_impl(pbBinary, cbBinary, dwFlags, pszString, pcchString)
    })
}

/// Fuzz entry: every decoding format on hostile text (as A and W), and the encoders' output
/// decoded back to the input.
#[doc(hidden)]
pub fn fuzz_string_to_binary(data: &[u8]) {
    let units: Vec<u16> = data.iter().map(|&b| u16::from(b)).collect();
    for format in 0..=0xc {
        let _ = string_to_binary(&units, format);
    }
    let mut a: Vec<c_char> = data.iter().map(|&b| b as c_char).collect();
    a.push(0);
    let mut w = units.clone();
    w.push(0);
    let mut buf = [0u8; 64];
    for format in [fmt::ANY, fmt::HEX, fmt::BASE64HEADER] {
        let mut cb = buf.len() as u32;
        let (mut skip, mut used) = (0u32, 0u32);
        // SAFETY: NUL-terminated strings and a 64-byte buffer.
        unsafe {
            CryptStringToBinaryA(
                a.as_ptr(),
                0,
                format,
                buf.as_mut_ptr(),
                &mut cb,
                &mut skip,
                &mut used,
            );
        }
        let mut cb = buf.len() as u32;
        // SAFETY: as above.
        unsafe {
            CryptStringToBinaryW(
                w.as_ptr(),
                0,
                format,
                buf.as_mut_ptr(),
                &mut cb,
                std::ptr::null_mut(),
                std::ptr::null_mut(),
            );
        }
    }
    if !data.is_empty() {
        let text = binary_to_string(data, fmt::BASE64HEADER).unwrap_or_default();
        let units: Vec<u16> = text.encode_utf16().collect();
        let back = string_to_binary(&units, fmt::BASE64_ANY).map(|d| d.bytes);
        assert_eq!(back.ok().as_deref(), Some(data));
        let hex = binary_to_string(data, fmt::HEX).unwrap_or_default();
        let units: Vec<u16> = hex.encode_utf16().collect();
        assert_eq!(hex_decode(&units).ok().as_deref(), Some(data));
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

    fn w(s: &str) -> Vec<u16> {
        s.encode_utf16().collect()
    }

    fn dec(s: &str, format: u32) -> Result<Vec<u8>, u32> {
        string_to_binary(&w(s), format)
            .map(|d| d.bytes)
            .map_err(|e| e.0)
    }

    #[test]
    fn base64_edge_cases_match_windows() {
        for bad in ["V=", "VV=", "V=="] {
            assert_eq!(dec(bad, fmt::BASE64), Err(ERROR_INVALID_DATA), "{bad}");
        }
        for (s, want) in [
            ("V", "T"),
            ("VV", "U"),
            ("VVV", "UU"),
            ("V===", "T"),
            ("V========", "T"),
            ("V\nVVV", "UUU"),
            ("VV    VV", "UUU"),
            ("V===VVVV", "T"),
            ("VV==VVVV", "U"),
            ("VVV=VVVV", "UU"),
            ("VVVV=VVVV", "UUU"),
        ] {
            assert_eq!(dec(s, fmt::BASE64).unwrap(), want.as_bytes(), "{s}");
        }
        assert_eq!(
            dec("garbage\r\nAA==\r\n", fmt::BASE64),
            Err(ERROR_INVALID_DATA)
        );
        assert_eq!(dec("AA==", 0x8000_0001), Err(ERROR_INVALID_DATA));
    }

    #[test]
    fn pem_headers_need_a_space_and_a_trailer() {
        for bad in [
            "-----BEGIN-----VVVV-----END-----",
            "-----BEGIN-----VVVV-----END -----",
            "-----BEGIN -----VVVV-----END-----",
            "-----BEGIN X509 CRL-----\r\nAA==\r\n",
        ] {
            assert_eq!(
                dec(bad, fmt::BASE64HEADER),
                Err(ERROR_INVALID_DATA),
                "{bad}"
            );
        }
        assert_eq!(
            dec("-----BEGIN -----VVVV-----END -----", fmt::BASE64HEADER).unwrap(),
            b"UUU"
        );
        let text = "garbage\r\n-----BEGIN foo-----V-----END foo-----";
        let d = string_to_binary(&w(text), fmt::BASE64_ANY).unwrap();
        assert_eq!(
            (d.bytes, d.skipped, d.used),
            (b"T".to_vec(), 9, fmt::BASE64HEADER)
        );
        let d = string_to_binary(&w("AQI=\r\n"), fmt::ANY).unwrap();
        assert_eq!((d.bytes, d.used), (vec![1, 2], fmt::BASE64));
    }

    #[test]
    fn encodes_as_windows_lays_it_out() {
        assert_eq!(binary_to_string(&[0], fmt::BASE64).unwrap(), "AA==\r\n");
        assert_eq!(
            binary_to_string(&[1, 2], fmt::BASE64HEADER | fmt::NOCR).unwrap(),
            "-----BEGIN CERTIFICATE-----\nAQI=\n-----END CERTIFICATE-----\n"
        );
        let long = binary_to_string(&[0xab; 100], fmt::BASE64).unwrap();
        let lines: Vec<&str> = long.split("\r\n").collect();
        assert_eq!(lines[0].len(), 64);
        assert_eq!(lines.last(), Some(&""));
        assert_eq!(
            binary_to_string(&[0, 1, 2], fmt::HEXRAW).unwrap(),
            "000102\r\n"
        );
        let data: Vec<u8> = (0..17).collect();
        assert_eq!(
            binary_to_string(&data, fmt::HEX).unwrap(),
            "00 01 02 03 04 05 06 07  08 09 0a 0b 0c 0d 0e 0f\r\n10\r\n"
        );
        assert_eq!(
            binary_to_string(&data[..3], fmt::HEX | fmt::NOCRLF).unwrap(),
            "00 01 02"
        );
        assert_eq!(binary_to_string(&data, 0xa), Err(ERROR_INVALID_PARAMETER));
    }

    #[test]
    fn hex_decoding() {
        assert_eq!(dec(" aE\t\n\r\n", fmt::HEX).unwrap(), vec![0xae]);
        assert_eq!(
            dec("aa,BB-ff,-,", fmt::HEX).unwrap(),
            vec![0xaa, 0xbb, 0xff]
        );
        assert_eq!(dec("", fmt::HEX).unwrap(), Vec::<u8>::new());
        for bad in ["0", "000", "1-2", "010-02", "1122q", "q1122"] {
            assert_eq!(dec(bad, fmt::HEX), Err(ERROR_INVALID_DATA), "{bad}");
        }
        assert_eq!(hex_decode(&w("0102q")).unwrap_err().1, vec![1, 2]);
    }

    #[test]
    fn size_protocol_of_the_exports() {
        let data = [1u8, 2];
        let mut cch = 0u32;
        unsafe {
            assert_eq!(
                CryptBinaryToStringA(
                    data.as_ptr(),
                    2,
                    fmt::BASE64,
                    std::ptr::null_mut(),
                    &mut cch
                ),
                TRUE
            );
        }
        assert_eq!(cch, 7); // "AQI=\r\n" + NUL
        let mut buf = [0 as c_char; 7];
        let mut short = 6u32;
        unsafe {
            assert_eq!(
                CryptBinaryToStringA(data.as_ptr(), 2, fmt::BASE64, buf.as_mut_ptr(), &mut short),
                FALSE
            );
        }
        assert_eq!((lasterror::get(), short), (ERROR_MORE_DATA, 7));
        unsafe {
            assert_eq!(
                CryptBinaryToStringA(data.as_ptr(), 2, fmt::BASE64, buf.as_mut_ptr(), &mut cch),
                TRUE
            );
        }
        assert_eq!(cch, 6);
        assert_eq!(
            buf[..6].iter().map(|&c| c as u8).collect::<Vec<_>>(),
            b"AQI=\r\n"
        );
        unsafe {
            assert_eq!(
                CryptBinaryToStringW(std::ptr::null(), 0, 0, std::ptr::null_mut(), &mut cch),
                FALSE
            );
        }
        assert_eq!(lasterror::get(), ERROR_INVALID_PARAMETER);

        let text = b"VVVVVVVV\0";
        let mut out = [0u8; 8];
        let mut cb = 4u32;
        unsafe {
            assert_eq!(
                CryptStringToBinaryA(
                    text.as_ptr().cast(),
                    8,
                    fmt::BASE64,
                    out.as_mut_ptr(),
                    &mut cb,
                    std::ptr::null_mut(),
                    std::ptr::null_mut()
                ),
                FALSE
            );
        }
        assert_eq!((cb, out[0], lasterror::get()), (4, 0, ERROR_MORE_DATA));
        let wide = w("0102");
        let mut cb = 8u32;
        unsafe {
            assert_eq!(
                CryptStringToBinaryW(
                    wide.as_ptr(),
                    3,
                    fmt::HEX,
                    std::ptr::null_mut(),
                    &mut cb,
                    std::ptr::null_mut(),
                    std::ptr::null_mut()
                ),
                FALSE
            );
        }
        assert_eq!((cb, lasterror::get()), (0, ERROR_INVALID_DATA));
    }

    #[test]
    fn fuzz_body_runs() {
        fuzz_string_to_binary(b"-----BEGIN X-----\nAAEC\n-----END X-----\n");
        fuzz_string_to_binary(&[0xff, 0, 0x2d, 0x2d]);
        fuzz_string_to_binary(b"");
    }
}
