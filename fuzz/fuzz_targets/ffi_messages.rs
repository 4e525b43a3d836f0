//! The C ABI with hostile `SecBufferDesc` shapes and handles, on real contexts at a
//! fuzzer-chosen stage.
//!
//! A client and a server are driven through the exported functions (ACH, ISC/ASC,
//! EncryptMessage/DecryptMessage, ApplyControlToken) to a stage — 0..5 handshake calls,
//! established with tickets pending, after a message each way, after a shutdown token, after
//! the peer's close_notify, with a shutdown armed — then up to eight calls follow whose every
//! argument is chosen by the fuzzer: the function (ISC, ASC, EncryptMessage, DecryptMessage,
//! ApplyControlToken, QueryContextAttributesA/W, DeleteSecurityContext, FreeContextBuffer,
//! FreeCredentialsHandle), the handle (live client/server, stale, forged, wrong kind, NULL,
//! misaligned), and the descriptors: a well-formed layout (genuine pending bytes as the input)
//! with 0..4 mutations — buffer types with attribute bits (READONLY...), sizes, NULL or shifted
//! pointers, added/removed/swapped buffers, NULL/misaligned descriptors and arrays, counts past
//! the limit, the same descriptor as input and output.
//!
//! Checked after every call: the status is a known one; SEC_E_INTERNAL_ERROR only where the
//! contract names it (NULL/misaligned attribute buffer, NULL ApplyControlToken input); bad
//! handles give SEC_E_INVALID_HANDLE; READONLY entries are untouched and attribute bits kept;
//! every pointer written into a descriptor is NULL, inside the caller's buffers, or a package
//! allocation that FreeContextBuffer frees exactly once; attribute allocations (KEY_INFO names,
//! PACKAGE_INFO, REMOTE_CERT_CONTEXT) are released. ASan checks every access; a panic aborts.
#![no_main]

use std::ffi::{c_char, c_void};

use libfuzzer_sys::arbitrary::{Result, Unstructured};
use libfuzzer_sys::fuzz_target;
use openschannel::Status;
use openschannel_fuzz::cabi::{self, consume_allocation, fixture, inside, known, raw, Pair, OK};
use openschannel_fuzz::crypt32::exports::CertFreeCertificateContext;
use openschannel_fuzz::exports::context::{
    AcceptSecurityContext, ApplyControlToken, DeleteSecurityContext, InitializeSecurityContextA,
    InitializeSecurityContextW,
};
use openschannel_fuzz::exports::credentials::FreeCredentialsHandle;
use openschannel_fuzz::exports::messages::{DecryptMessage, EncryptMessage};
use openschannel_fuzz::exports::packages::FreeContextBuffer;
use openschannel_fuzz::exports::query::{
    QueryContextAttributesA, QueryContextAttributesW, SetContextAttributesA, SetContextAttributesW,
};
use openschannel_fuzz::types::*;

const ARENA: usize = 48 * 1024;

fuzz_target!(|data: &[u8]| {
    let _ = run(data);
});

fn run(data: &[u8]) -> Result<()> {
    let mut u = Unstructured::new(data);
    let tls13 = u.arbitrary::<bool>()?;
    let stage = u.int_in_range(0..=10u8)?;
    let f = fixture(tls13);
    let mut pair = Pair::new(tls13);
    if stage <= 5 {
        pair.advance(usize::from(stage));
    } else {
        assert!(pair.establish(), "fixture handshake");
        let (c, s) = (&mut pair.client, &mut pair.server);
        match stage {
            6 => {}
            7 => {
                c.recv(&mut s.inbox, f);
                assert_eq!(c.send(b"hello server", &mut s.inbox), OK);
                assert_eq!(s.send(b"hello client", &mut c.inbox), OK);
            }
            8 => {
                c.recv(&mut s.inbox, f);
                assert_eq!(c.shutdown(&mut s.inbox, f), OK);
            }
            9 => {
                c.recv(&mut s.inbox, f);
                assert_eq!(s.shutdown(&mut c.inbox, f), OK);
                let (_, st) = c.recv(&mut s.inbox, f);
                assert_eq!(st, raw(Status::SEC_I_CONTEXT_EXPIRED));
            }
            _ => {
                c.recv(&mut s.inbox, f);
                let mut token = SCHANNEL_SHUTDOWN.to_le_bytes();
                let mut b = [SecBuffer {
                    cbBuffer: 4,
                    BufferType: SECBUFFER_TOKEN,
                    pvBuffer: token.as_mut_ptr().cast(),
                }];
                let mut d = desc(&mut b);
                let mut h = c.ctx.unwrap();
                // SAFETY: a valid descriptor and handle.
                assert_eq!(unsafe { ApplyControlToken(&mut h, &mut d) }, OK);
            }
        }
    }
    // The caller's memory: every buffer pointer the fuzzer makes points into this (or is NULL).
    let mut arena = vec![0u8; ARENA];
    let ops = u.int_in_range(1..=8u8)?;
    for _ in 0..ops {
        op(&mut u, &mut pair, &mut arena)?;
    }
    Ok(())
}

fn desc(b: &mut [SecBuffer]) -> SecBufferDesc {
    SecBufferDesc {
        ulVersion: 0,
        cBuffers: b.len() as u32,
        pBuffers: b.as_mut_ptr(),
    }
}

fn buf(kind: u32, cb: usize, pv: *mut u8) -> SecBuffer {
    SecBuffer {
        cbBuffer: cb as u32,
        BufferType: kind,
        pvBuffer: pv.cast(),
    }
}

/// Which handle a call gets.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum HandleArg {
    /// The live context of the client (false) or server (true), or NULL if it has none.
    Live(bool),
    Stale,
    Forged(usize, usize),
    /// A credential handle where a context is expected (or the reverse).
    WrongKind,
    Null,
    Misaligned,
}

fn handle_arg(u: &mut Unstructured) -> Result<HandleArg> {
    Ok(match u.int_in_range(0..=11u8)? {
        0..=3 => HandleArg::Live(false),
        4..=7 => HandleArg::Live(true),
        8 => HandleArg::Stale,
        9 => HandleArg::Forged(u.arbitrary()?, u.arbitrary()?),
        10 => HandleArg::WrongKind,
        _ => {
            if u.arbitrary()? {
                HandleArg::Null
            } else {
                HandleArg::Misaligned
            }
        }
    })
}

/// Storage for a handle argument; `ptr()` is what the call gets.
struct HandleSlot {
    value: SecHandle,
    raw: [u8; 40],
    kind: HandleArg,
    /// Whether the handle is one the library must reject.
    bad: bool,
}

impl HandleSlot {
    fn new(kind: HandleArg, pair: &Pair, context_expected: bool) -> Self {
        let f = fixture(pair.tls13);
        let (stale_cred, stale_ctx) = cabi::stale();
        let (value, bad) = match kind {
            HandleArg::Live(server) => {
                let side = if server { &pair.server } else { &pair.client };
                match side.ctx {
                    Some(h) if context_expected => (h, false),
                    None if context_expected => (SecHandle::default(), true),
                    _ => (if server { f.server } else { f.client }, false),
                }
            }
            HandleArg::Stale => (
                if context_expected {
                    stale_ctx
                } else {
                    stale_cred
                },
                true,
            ),
            HandleArg::Forged(a, b) => (
                SecHandle {
                    dwLower: a,
                    dwUpper: b,
                },
                true,
            ),
            HandleArg::WrongKind => (
                if context_expected {
                    f.client
                } else {
                    pair.client.ctx.unwrap_or_default()
                },
                true,
            ),
            HandleArg::Null | HandleArg::Misaligned => (SecHandle::default(), true),
        };
        let mut raw = [0u8; 40];
        // A copy of the handle at an odd address (rejected before any read).
        raw[1..1 + 16].copy_from_slice(&value.dwLower.to_ne_bytes().repeat(2)[..16]);
        Self {
            value,
            raw,
            kind,
            bad,
        }
    }

    fn ptr(&mut self) -> *mut SecHandle {
        match self.kind {
            HandleArg::Null => std::ptr::null_mut(),
            HandleArg::Misaligned => self.raw.as_mut_ptr().wrapping_add(1).cast(),
            _ => &mut self.value,
        }
    }
}

const KINDS: [u32; 16] = [
    SECBUFFER_EMPTY,
    SECBUFFER_DATA,
    SECBUFFER_TOKEN,
    3, // PKG_PARAMS
    SECBUFFER_MISSING,
    SECBUFFER_EXTRA,
    SECBUFFER_STREAM_TRAILER,
    SECBUFFER_STREAM_HEADER,
    9,  // PADDING
    10, // STREAM
    12, // MECHLIST
    14, // CHANNEL_BINDINGS
    SECBUFFER_ALERT,
    SECBUFFER_APPLICATION_PROTOCOLS,
    19, // SRTP_PROTECTION_PROFILES
    25, // TRAFFIC_SECRETS
];

const ATTRS: [u32; 6] = [
    0,
    0,
    SECBUFFER_READONLY,
    0x1000_0000,
    0x4000_0000,
    0x2000_0000,
];

/// How the descriptor itself is presented.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Shape {
    Normal,
    Null,
    Misaligned,
    NullArray,
    MisalignedArray,
    /// `cBuffers` beyond the package's limit (the array is not read).
    HugeCount(u32),
}

/// A descriptor argument: its buffers, and how it is presented.
struct DescArg {
    bufs: Vec<SecBuffer>,
    before: Vec<SecBuffer>,
    desc: SecBufferDesc,
    raw: Vec<u64>,
    shape: Shape,
}

impl DescArg {
    fn new(bufs: Vec<SecBuffer>) -> Self {
        Self {
            before: Vec::new(),
            bufs,
            desc: SecBufferDesc {
                ulVersion: 0,
                cBuffers: 0,
                pBuffers: std::ptr::null_mut(),
            },
            raw: vec![0; 8],
            shape: Shape::Normal,
        }
    }

    /// Applies 0..=4 fuzzer-chosen mutations. Returns whether any was applied.
    fn mutate(&mut self, u: &mut Unstructured, arena: &mut [u8]) -> Result<bool> {
        let n = u.int_in_range(0..=4u8)?;
        for _ in 0..n {
            match u.int_in_range(0..=11u8)? {
                0 | 1 => {
                    if let Some(b) = pick(u, &mut self.bufs)? {
                        let kind = if u.ratio(1, 6)? {
                            u.arbitrary::<u32>()?
                        } else {
                            *u.choose(&KINDS)?
                        };
                        b.BufferType = (kind & !SECBUFFER_ATTRMASK) | *u.choose(&ATTRS)?;
                    }
                }
                2 => {
                    if let Some(b) = pick(u, &mut self.bufs)? {
                        b.BufferType |= *u.choose(&ATTRS)?;
                    }
                }
                3 | 4 => {
                    let base = arena.as_mut_ptr();
                    if let Some(b) = pick(u, &mut self.bufs)? {
                        set_region(u, b, base, arena.len())?;
                    }
                }
                5 => {
                    if let Some(b) = pick(u, &mut self.bufs)? {
                        // Size only: shrink, or grow within the arena.
                        let base = arena.as_mut_ptr();
                        if b.pvBuffer.is_null() {
                            b.cbBuffer = if u.arbitrary()? { 0 } else { u.arbitrary()? };
                        } else if inside(b.pvBuffer, base, arena.len()) {
                            let room = arena.len() - (b.pvBuffer as usize - base as usize);
                            b.cbBuffer = u.int_in_range(0..=room as u32)?;
                        }
                    }
                }
                6 => {
                    if self.bufs.len() < 10 {
                        let mut b = buf(
                            *u.choose(&KINDS)? | *u.choose(&ATTRS)?,
                            0,
                            std::ptr::null_mut(),
                        );
                        set_region(u, &mut b, arena.as_mut_ptr(), arena.len())?;
                        let at = u.int_in_range(0..=self.bufs.len())?;
                        self.bufs.insert(at, b);
                    }
                }
                7 => {
                    if !self.bufs.is_empty() {
                        let at = u.choose_index(self.bufs.len())?;
                        self.bufs.remove(at);
                    }
                }
                8 => {
                    if self.bufs.len() >= 2 {
                        let a = u.choose_index(self.bufs.len())?;
                        let b = u.choose_index(self.bufs.len())?;
                        self.bufs.swap(a, b);
                    }
                }
                9 => {
                    self.shape = match u.int_in_range(0..=4u8)? {
                        0 => Shape::Null,
                        1 => Shape::Misaligned,
                        2 => Shape::NullArray,
                        3 => Shape::MisalignedArray,
                        _ => Shape::HugeCount(*u.choose(&[65, 1000, u32::MAX])?),
                    };
                }
                10 => self.desc.ulVersion = u.arbitrary()?,
                _ => {
                    // Fuzzer bytes into a buffer's region.
                    if let Some(b) = pick(u, &mut self.bufs)? {
                        let base = arena.as_mut_ptr();
                        if !b.pvBuffer.is_null() && inside(b.pvBuffer, base, arena.len()) {
                            let off = b.pvBuffer as usize - base as usize;
                            let end = (off + b.cbBuffer as usize).min(arena.len());
                            for byte in &mut arena[off..end] {
                                if u.ratio(1, 16)? {
                                    *byte = u.arbitrary()?;
                                }
                            }
                        }
                    }
                }
            }
        }
        Ok(n > 0)
    }

    /// The pointer passed to the call.
    fn ptr(&mut self) -> *mut SecBufferDesc {
        self.before = self.bufs.clone();
        self.desc.cBuffers = self.bufs.len() as u32;
        self.desc.pBuffers = self.bufs.as_mut_ptr();
        match self.shape {
            Shape::Normal => {}
            Shape::Null => return std::ptr::null_mut(),
            Shape::Misaligned => {
                // An odd address inside a buffer big enough for a descriptor.
                return self.raw.as_mut_ptr().cast::<u8>().wrapping_add(1).cast();
            }
            Shape::NullArray => {
                self.desc.pBuffers = std::ptr::null_mut();
                self.desc.cBuffers = self.desc.cBuffers.max(1);
            }
            Shape::MisalignedArray => {
                self.desc.pBuffers = self.raw.as_mut_ptr().cast::<u8>().wrapping_add(2).cast();
                self.desc.cBuffers = 1;
            }
            Shape::HugeCount(n) => self.desc.cBuffers = n,
        }
        &mut self.desc
    }

    /// Whether the package could read the descriptor (its entries may have changed).
    fn readable(&self) -> bool {
        self.shape == Shape::Normal && self.bufs.len() <= 64
    }

    /// Checks what the call wrote back; returns the package allocations' bytes by type
    /// (after freeing them).
    fn check(&self, arena: &[u8]) -> Vec<(u32, Vec<u8>)> {
        let mut allocations = Vec::new();
        if !self.readable() {
            return allocations;
        }
        let base = arena.as_ptr();
        for (b, a) in self.before.iter().zip(&self.bufs) {
            let same = b.BufferType == a.BufferType
                && b.cbBuffer == a.cbBuffer
                && b.pvBuffer == a.pvBuffer;
            if b.BufferType & SECBUFFER_READONLY != 0 {
                assert!(same, "a READONLY buffer was rewritten: {b:?} -> {a:?}");
            }
            if same {
                continue;
            }
            assert_eq!(
                a.BufferType & SECBUFFER_ATTRMASK,
                b.BufferType & SECBUFFER_ATTRMASK,
                "attribute bits lost: {b:?} -> {a:?}"
            );
            let kind = a.BufferType & !SECBUFFER_ATTRMASK;
            if a.pvBuffer.is_null() {
                continue;
            }
            if inside(a.pvBuffer, base, arena.len()) {
                // MISSING/EXTRA with an unchanged pointer are counts, not regions.
                let count =
                    matches!(kind, SECBUFFER_MISSING | SECBUFFER_EXTRA) && a.pvBuffer == b.pvBuffer;
                if !count {
                    let off = a.pvBuffer as usize - base as usize;
                    assert!(
                        off + a.cbBuffer as usize <= arena.len(),
                        "buffer beyond the caller's memory: {a:?}"
                    );
                }
            } else {
                assert_ne!(
                    a.pvBuffer, b.pvBuffer,
                    "pointer outside the caller's memory"
                );
                // SAFETY: a pointer the package handed out with cbBuffer bytes.
                let bytes = unsafe {
                    std::slice::from_raw_parts(a.pvBuffer.cast::<u8>(), a.cbBuffer as usize)
                }
                .to_vec();
                // SAFETY: as above.
                unsafe { consume_allocation(a.pvBuffer, 0) };
                allocations.push((kind, bytes));
            }
        }
        allocations
    }
}

fn pick<'a>(u: &mut Unstructured, bufs: &'a mut [SecBuffer]) -> Result<Option<&'a mut SecBuffer>> {
    if bufs.is_empty() {
        return Ok(None);
    }
    let i = u.choose_index(bufs.len())?;
    Ok(Some(&mut bufs[i]))
}

/// Points `b` at NULL (with a zero or arbitrary size) or at a region of the arena.
fn set_region(u: &mut Unstructured, b: &mut SecBuffer, base: *mut u8, len: usize) -> Result<()> {
    if u.ratio(1, 4)? {
        b.pvBuffer = std::ptr::null_mut();
        b.cbBuffer = if u.arbitrary()? { 0 } else { u.arbitrary()? };
    } else {
        let off = u.int_in_range(0..=len)?;
        let cb = match u.int_in_range(0..=3u8)? {
            0 => 0,
            1 => len - off,
            _ => u.int_in_range(0..=(len - off))?,
        };
        b.pvBuffer = base.wrapping_add(off).cast();
        b.cbBuffer = cb as u32;
    }
    Ok(())
}

/// Copies `bytes` to the arena at `off`, then up to `extra` fuzzer bytes; returns the length.
fn fill(
    u: &mut Unstructured,
    arena: &mut [u8],
    off: usize,
    bytes: &[u8],
    extra: usize,
) -> Result<usize> {
    let n = bytes.len().min(arena.len() - off);
    arena[off..off + n].copy_from_slice(&bytes[..n]);
    let want = extra.min(arena.len() - off - n);
    let take = u.int_in_range(0..=want)?;
    let tail = u.bytes(take)?;
    arena[off + n..off + n + tail.len()].copy_from_slice(tail);
    Ok(n + tail.len())
}

fn check_status(s: i32, what: &str) {
    assert!(known(s), "{what}: unknown status {s:#x}");
}

fn op(u: &mut Unstructured, pair: &mut Pair, arena: &mut [u8]) -> Result<()> {
    arena.fill(0);
    match u.int_in_range(0..=12u8)? {
        0..=2 => handshake_op(u, pair, arena, false),
        3 => handshake_op(u, pair, arena, true),
        4 | 5 => encrypt_op(u, pair, arena),
        6 | 7 => decrypt_op(u, pair, arena),
        8 => control_op(u, pair, arena),
        9 | 10 => query_op(u, pair),
        _ => misc_op(u, pair, arena),
    }
}

fn side_of(pair: &mut Pair, server: bool) -> (&mut cabi::Side, &mut cabi::Side) {
    if server {
        (&mut pair.server, &mut pair.client)
    } else {
        (&mut pair.client, &mut pair.server)
    }
}

/// ISC (`server` false) or ASC on a context or as a first call.
fn handshake_op(u: &mut Unstructured, pair: &mut Pair, arena: &mut [u8], wide: bool) -> Result<()> {
    let server = u.arbitrary::<bool>()?;
    let ctx_kind = handle_arg(u)?;
    // A NULL phContext is a first call whatever the fuzzer meant.
    let first = u.ratio(1, 4)?
        || ctx_kind == HandleArg::Null
        || matches!(ctx_kind, HandleArg::Live(s) if side_of(pair, s).0.ctx.is_none());
    let cred_kind = if u.ratio(3, 4)? {
        HandleArg::Live(server)
    } else {
        handle_arg(u)?
    };
    let mut ctx = HandleSlot::new(ctx_kind, pair, true);
    let mut cred = HandleSlot::new(cred_kind, pair, false);
    let own = match ctx_kind {
        HandleArg::Live(s) => Some(s),
        _ => None,
    };
    // Input: [TOKEN(genuine pending bytes + fuzz), EMPTY] (+ APPLICATION_PROTOCOLS).
    let base = arena.as_mut_ptr();
    let pending = own
        .map(|s| side_of(pair, s).0.inbox.clone())
        .unwrap_or_default();
    let n = fill(u, arena, 0, &pending, 64)?;
    let mut inbufs = vec![buf(SECBUFFER_TOKEN, n, base), cabi::empty()];
    if u.ratio(1, 4)? {
        let off = 20_000;
        let take = u.int_in_range(0..=64)?;
        let alpn = u.bytes(take)?;
        arena[off..off + alpn.len()].copy_from_slice(alpn);
        inbufs.push(buf(
            SECBUFFER_APPLICATION_PROTOCOLS,
            alpn.len(),
            base.wrapping_add(off),
        ));
    }
    let mut input = DescArg::new(inbufs);
    let mut mutated = input.mutate(u, arena)?;
    let allocate = u.ratio(3, 4)?;
    let req = if u.ratio(1, 8)? {
        u.arbitrary::<u32>()?
    } else if server {
        (if allocate { ASC_REQ_ALLOCATE_MEMORY } else { 0 }) | 0x1C | ASC_REQ_EXTENDED_ERROR
    } else {
        (if allocate { ISC_REQ_ALLOCATE_MEMORY } else { 0 })
            | ISC_REQ_MANUAL_CRED_VALIDATION
            | 0x801C
    };
    let outbufs = if allocate {
        vec![
            buf(SECBUFFER_TOKEN, 0, std::ptr::null_mut()),
            buf(SECBUFFER_ALERT, 0, std::ptr::null_mut()),
        ]
    } else {
        let size = u.int_in_range(0..=0x6000usize)?;
        vec![
            buf(SECBUFFER_TOKEN, size, base.wrapping_add(24_000)),
            buf(SECBUFFER_ALERT, 64, base.wrapping_add(24_000 + 0x6000)),
        ]
    };
    let mut output = DescArg::new(outbufs);
    mutated |= output.mutate(u, arena)?;
    let same_desc = u.ratio(1, 16)?;
    let in_null = first && !server && u.ratio(1, 2)?;
    let mut new_ctx = SecHandle::default();
    let good_new_ctx: *mut SecHandle = &mut new_ctx;
    let mut new_ctx_raw = [0u8; 40];
    let new_ctx_ptr: *mut SecHandle = match u.int_in_range(0..=9u8)? {
        0 => std::ptr::null_mut(),
        1 => new_ctx_raw.as_mut_ptr().wrapping_add(1).cast(),
        _ => good_new_ctx,
    };
    let mut attrs = 0u32;
    let mut expiry = 0i64;
    let attrs_ptr: *mut u32 = if u.ratio(1, 8)? {
        std::ptr::null_mut()
    } else {
        &mut attrs
    };
    let expiry_ptr: *mut i64 = if u.ratio(1, 8)? {
        std::ptr::null_mut()
    } else {
        &mut expiry
    };
    let target: Vec<u8> = match u.int_in_range(0..=5u8)? {
        0 => Vec::new(),
        1 => {
            let mut t: Vec<u8> = u
                .arbitrary::<Vec<u8>>()?
                .into_iter()
                .filter(|&b| b != 0)
                .collect();
            t.push(0);
            t
        }
        _ => b"localhost\0".to_vec(),
    };
    let wide_target: Vec<u16> = if target.is_empty() {
        Vec::new()
    } else {
        target.iter().map(|&b| u16::from(b)).collect()
    };
    let out_ptr = output.ptr();
    let in_ptr = if in_null {
        std::ptr::null_mut()
    } else if same_desc {
        out_ptr
    } else {
        input.ptr()
    };
    let ctx_ptr = if first {
        std::ptr::null_mut()
    } else {
        ctx.ptr()
    };
    // SAFETY: every pointer is NULL, misaligned (rejected unread) or valid for the call; buffer
    // regions lie in `arena`.
    let s = unsafe {
        if server {
            AcceptSecurityContext(
                cred.ptr(),
                ctx_ptr,
                in_ptr,
                req,
                0,
                new_ctx_ptr,
                out_ptr,
                attrs_ptr,
                expiry_ptr,
            )
        } else if wide {
            InitializeSecurityContextW(
                cred.ptr(),
                ctx_ptr,
                if wide_target.is_empty() {
                    std::ptr::null_mut()
                } else {
                    wide_target.as_ptr().cast_mut()
                },
                req,
                0,
                0,
                in_ptr,
                0,
                new_ctx_ptr,
                out_ptr,
                attrs_ptr,
                expiry_ptr,
            )
        } else {
            InitializeSecurityContextA(
                cred.ptr(),
                ctx_ptr,
                if target.is_empty() {
                    std::ptr::null_mut()
                } else {
                    target.as_ptr().cast::<c_char>().cast_mut()
                },
                req,
                0,
                0,
                in_ptr,
                0,
                new_ctx_ptr,
                out_ptr,
                attrs_ptr,
                expiry_ptr,
            )
        }
    };
    check_status(s, "ISC/ASC");
    let unsupported_flags = !server && req & (ISC_REQ_DELEGATE | ISC_REQ_PROMPT_FOR_CREDS) != 0;
    let bad_handle = if first { cred.bad } else { ctx.bad };
    if bad_handle && !unsupported_flags {
        assert_eq!(
            s,
            raw(Status::SEC_E_INVALID_HANDLE),
            "bad handle ({ctx_kind:?}/{cred_kind:?})"
        );
    }
    assert_ne!(
        s,
        raw(Status::SEC_E_INTERNAL_ERROR),
        "ISC/ASC internal error"
    );
    let produced = output.check(arena);
    if !same_desc && !in_null {
        input.check(arena);
    }
    let success = s == OK || s == raw(Status::SEC_I_CONTINUE_NEEDED);
    if first && success {
        // A new context was created and its handle written (phNewContext was usable).
        assert!(
            new_ctx_ptr == good_new_ctx,
            "context created without phNewContext"
        );
        // SAFETY: written by the call.
        let mut h = unsafe { good_new_ctx.read() };
        // Adopt it when this side had none and the call was the genuine one; else delete it.
        let adopt = own == Some(server)
            && side_of(pair, server).0.ctx.is_none()
            && !mutated
            && cred_kind == HandleArg::Live(server);
        if adopt {
            side_of(pair, server).0.ctx = Some(h);
        } else {
            // SAFETY: the handle just created.
            assert_eq!(unsafe { DeleteSecurityContext(&mut h) }, OK);
        }
    }
    let adopted = first
        && success
        && own == Some(server)
        && side_of(pair, server).0.ctx.is_some_and(|h| {
            // SAFETY: written by the call.
            h == unsafe { good_new_ctx.read() }
        });
    // Genuine calls keep the conversation going: tokens to the peer, EXTRA kept.
    if success
        && !mutated
        && !same_desc
        && !in_null
        && own == Some(server)
        && allocate
        && (!first || adopted)
    {
        let (me, peer) = side_of(pair, server);
        for (kind, bytes) in &produced {
            if *kind == SECBUFFER_TOKEN {
                peer.inbox.extend_from_slice(bytes);
            }
        }
        let extra = input
            .bufs
            .get(1)
            .filter(|b| b.BufferType == SECBUFFER_EXTRA)
            .map_or(0, |b| b.cbBuffer as usize)
            .min(n);
        me.inbox = arena[n - extra..n].to_vec();
        if s == OK {
            me.established = true;
        }
    }
    Ok(())
}

/// EncryptMessage with a stream layout (sized from the real stream sizes) and mutations.
fn encrypt_op(u: &mut Unstructured, pair: &mut Pair, arena: &mut [u8]) -> Result<()> {
    let kind = handle_arg(u)?;
    let mut h = HandleSlot::new(kind, pair, true);
    let server = matches!(kind, HandleArg::Live(true));
    let sizes = side_of(pair, server).0.sizes();
    let (hd, tr, max) = sizes.map_or((5, 16, 16384), |s| {
        (
            s.cbHeader as usize,
            s.cbTrailer as usize,
            s.cbMaximumMessage as usize,
        )
    });
    let n = if u.ratio(1, 16)? {
        max + 1
    } else {
        u.int_in_range(0..=max.min(2048))?
    };
    let off = u.int_in_range(0..=64usize)?;
    let base = arena.as_mut_ptr();
    let payload = u.bytes(n.min(u.len()))?.to_vec();
    arena[off + hd..off + hd + payload.len()].copy_from_slice(&payload);
    let mut d = DescArg::new(vec![
        buf(SECBUFFER_STREAM_HEADER, hd, base.wrapping_add(off)),
        buf(SECBUFFER_DATA, n, base.wrapping_add(off + hd)),
        buf(
            SECBUFFER_STREAM_TRAILER,
            tr,
            base.wrapping_add(off + hd + n),
        ),
        cabi::empty(),
    ]);
    let mutated = d.mutate(u, arena)?;
    let qop = if u.ratio(1, 16)? { u.arbitrary()? } else { 0 };
    // SAFETY: handle/descriptor pointers are NULL, misaligned or valid; regions in the arena.
    let s = unsafe { EncryptMessage(h.ptr(), qop, d.ptr(), u.arbitrary()?) };
    check_status(s, "EncryptMessage");
    if h.bad {
        assert_eq!(
            s,
            raw(Status::SEC_E_INVALID_HANDLE),
            "EncryptMessage bad handle {kind:?}"
        );
    }
    assert_ne!(
        s,
        raw(Status::SEC_E_INTERNAL_ERROR),
        "EncryptMessage internal error"
    );
    d.check(arena);
    if s == OK && !mutated && qop == 0 && !h.bad && n > 0 {
        let total =
            d.bufs[0].cbBuffer as usize + d.bufs[1].cbBuffer as usize + d.bufs[2].cbBuffer as usize;
        assert_eq!(
            total,
            hd + n + tr,
            "one record of exactly header + data + trailer"
        );
        let record = arena[off..off + total].to_vec();
        let (_, peer) = side_of(pair, server);
        peer.inbox.extend_from_slice(&record);
    }
    Ok(())
}

/// DecryptMessage on the genuine pending bytes (+ fuzz), with mutations.
fn decrypt_op(u: &mut Unstructured, pair: &mut Pair, arena: &mut [u8]) -> Result<()> {
    let kind = handle_arg(u)?;
    let mut h = HandleSlot::new(kind, pair, true);
    let server = matches!(kind, HandleArg::Live(true));
    let pending = side_of(pair, server).0.inbox.clone();
    let base = arena.as_mut_ptr();
    let n = fill(u, arena, 0, &pending, 20_000)?;
    let mut d = DescArg::new(vec![
        buf(SECBUFFER_DATA, n, base),
        cabi::empty(),
        cabi::empty(),
        cabi::empty(),
    ]);
    let mutated = d.mutate(u, arena)?;
    let mut qop = 0u32;
    let qop_ptr: *mut u32 = if u.ratio(1, 8)? {
        std::ptr::null_mut()
    } else {
        &mut qop
    };
    // SAFETY: as for EncryptMessage.
    let s = unsafe { DecryptMessage(h.ptr(), d.ptr(), u.arbitrary()?, qop_ptr) };
    check_status(s, "DecryptMessage");
    if h.bad {
        assert_eq!(
            s,
            raw(Status::SEC_E_INVALID_HANDLE),
            "DecryptMessage bad handle {kind:?}"
        );
    }
    d.check(arena);
    let good =
        s == OK || s == raw(Status::SEC_I_RENEGOTIATE) || s == raw(Status::SEC_I_CONTEXT_EXPIRED);
    if good && d.readable() {
        // The header, trailer and extra buffers lie in the DATA region.
        let at = d
            .before
            .iter()
            .position(|b| b.BufferType & !SECBUFFER_ATTRMASK == SECBUFFER_DATA);
        if let Some(i) = at {
            let region = (d.before[i].pvBuffer as usize, d.before[i].cbBuffer as usize);
            // (Only the entries the call rewrote: the fuzzer may have typed others EXTRA.)
            for (b, was) in d.bufs.iter().zip(&d.before) {
                if b.pvBuffer == was.pvBuffer
                    && b.cbBuffer == was.cbBuffer
                    && b.BufferType == was.BufferType
                {
                    continue;
                }
                let k = b.BufferType & !SECBUFFER_ATTRMASK;
                if matches!(
                    k,
                    SECBUFFER_STREAM_HEADER | SECBUFFER_STREAM_TRAILER | SECBUFFER_EXTRA
                ) && b.cbBuffer > 0
                {
                    let p = b.pvBuffer as usize;
                    assert!(
                        p >= region.0 && p + b.cbBuffer as usize <= region.0 + region.1,
                        "{b:?} outside DATA"
                    );
                }
            }
        }
    }
    if good && !mutated && !h.bad && n == pending.len() {
        let extra = d
            .bufs
            .iter()
            .find(|b| b.BufferType == SECBUFFER_EXTRA)
            .map_or(0, |b| b.cbBuffer as usize);
        let f = fixture(pair.tls13);
        let (me, peer) = side_of(pair, server);
        me.inbox = arena[n - extra..n].to_vec();
        if s == raw(Status::SEC_I_RENEGOTIATE) {
            me.step(&mut peer.inbox, f);
        }
    }
    Ok(())
}

/// ApplyControlToken with well-formed or arbitrary tokens and descriptors.
fn control_op(u: &mut Unstructured, pair: &mut Pair, arena: &mut [u8]) -> Result<()> {
    let kind = handle_arg(u)?;
    let mut h = HandleSlot::new(kind, pair, true);
    let base = arena.as_mut_ptr();
    let token: Vec<u8> = match u.int_in_range(0..=5u8)? {
        0 => SCHANNEL_SHUTDOWN.to_le_bytes().to_vec(),
        1 => [
            SCHANNEL_ALERT,
            u.int_in_range(0..=3)?,
            u.int_in_range(0..=300)?,
        ]
        .iter()
        .flat_map(|v| v.to_le_bytes())
        .collect(),
        2 => [SCHANNEL_SESSION, u.arbitrary()?]
            .iter()
            .flat_map(|v| v.to_le_bytes())
            .collect(),
        3 => SCHANNEL_RENEGOTIATE.to_le_bytes().to_vec(),
        _ => {
            let take = u.int_in_range(0..=16)?;
            u.bytes(take)?.to_vec()
        }
    };
    let off = u.int_in_range(0..=8usize)?;
    arena[off..off + token.len()].copy_from_slice(&token);
    let mut d = DescArg::new(vec![buf(
        SECBUFFER_TOKEN,
        token.len(),
        base.wrapping_add(off),
    )]);
    d.mutate(u, arena)?;
    let desc_null = d.shape == Shape::Null;
    // SAFETY: as for EncryptMessage.
    let s = unsafe { ApplyControlToken(h.ptr(), d.ptr()) };
    check_status(s, "ApplyControlToken");
    if h.bad {
        assert_eq!(
            s,
            raw(Status::SEC_E_INVALID_HANDLE),
            "ApplyControlToken bad handle {kind:?}"
        );
    }
    if s == raw(Status::SEC_E_INTERNAL_ERROR) {
        assert!(
            desc_null,
            "ApplyControlToken internal error with an input descriptor"
        );
    }
    d.check(arena);
    Ok(())
}

const ATTRIBUTES: [u32; 16] = [
    SECPKG_ATTR_SIZES,
    SECPKG_ATTR_STREAM_SIZES,
    SECPKG_ATTR_KEY_INFO,
    SECPKG_ATTR_PACKAGE_INFO,
    SECPKG_ATTR_NEGOTIATION_INFO,
    SECPKG_ATTR_APPLICATION_PROTOCOL,
    SECPKG_ATTR_REMOTE_CERT_CONTEXT,
    SECPKG_ATTR_SUPPORTED_PROTOCOLS,
    SECPKG_ATTR_CONNECTION_INFO,
    SECPKG_ATTR_SESSION_INFO,
    SECPKG_ATTR_CIPHER_INFO,
    SECPKG_ATTR_UNIQUE_BINDINGS,
    SECPKG_ATTR_ENDPOINT_BINDINGS,
    SECPKG_ATTR_LOCAL_CERT_CONTEXT,
    SECPKG_ATTR_ISSUER_LIST_EX,
    SECPKG_ATTR_KEYING_MATERIAL,
];

/// QueryContextAttributesA/W with NULL, aligned and misaligned attribute buffers.
fn query_op(u: &mut Unstructured, pair: &mut Pair) -> Result<()> {
    let kind = handle_arg(u)?;
    let mut h = HandleSlot::new(kind, pair, true);
    let attribute = if u.ratio(1, 8)? {
        u.arbitrary()?
    } else {
        *u.choose(&ATTRIBUTES)?
    };
    let wide = u.arbitrary::<bool>()?;
    let mut storage = vec![0u64; 160];
    let shift = match u.int_in_range(0..=9u8)? {
        0 => None,
        1 => Some(1),
        2 => Some(4),
        _ => Some(0),
    };
    let buf: *mut c_void = match shift {
        None => std::ptr::null_mut(),
        Some(k) => storage.as_mut_ptr().cast::<u8>().wrapping_add(k).cast(),
    };
    // SAFETY: `buf` is NULL, misaligned or 1280 writable bytes (more than any attribute).
    let s = unsafe {
        if wide {
            QueryContextAttributesW(h.ptr(), attribute, buf)
        } else {
            QueryContextAttributesA(h.ptr(), attribute, buf)
        }
    };
    check_status(s, "QueryContextAttributes");
    if h.bad {
        assert_eq!(
            s,
            raw(Status::SEC_E_INVALID_HANDLE),
            "QueryContextAttributes bad handle {kind:?}"
        );
    }
    if s == raw(Status::SEC_E_INTERNAL_ERROR) {
        assert!(
            shift != Some(0),
            "internal error with a good attribute buffer"
        );
    }
    if s == OK {
        // SAFETY: the package wrote the attribute's structure at `buf`.
        unsafe { release_attribute(attribute, buf, wide) };
    }
    Ok(())
}

/// Reads and releases what an attribute query handed out.
///
/// # Safety
/// `buf` holds the structure QueryContextAttributes wrote for `attribute`.
unsafe fn release_attribute(attribute: u32, buf: *mut c_void, wide: bool) {
    let unit = if wide { 2 } else { 1 };
    let strlen = |p: *mut c_void| -> usize {
        let mut n = 0;
        // SAFETY: NUL-terminated strings handed out by the package.
        unsafe {
            if wide {
                while *p.cast::<u16>().add(n) != 0 {
                    n += 1;
                }
            } else {
                while *p.cast::<u8>().add(n) != 0 {
                    n += 1;
                }
            }
        }
        (n + 1) * unit
    };
    match attribute {
        SECPKG_ATTR_KEY_INFO => {
            // SAFETY: the package wrote a SecPkgContext_KeyInfo.
            let info = unsafe { buf.cast::<SecPkgContext_KeyInfo>().read_unaligned() };
            for p in [info.sSignatureAlgorithmName, info.sEncryptAlgorithmName] {
                assert!(!p.is_null());
                // SAFETY: a package string.
                unsafe { consume_allocation(p, strlen(p)) };
            }
        }
        SECPKG_ATTR_PACKAGE_INFO => {
            // SAFETY: the package wrote a SecPkgContext_PackageInfo.
            let info = unsafe { buf.cast::<SecPkgContext_PackageInfo>().read_unaligned() };
            // SAFETY: one SecPkgInfo handed out.
            unsafe { consume_allocation(info.PackageInfo, 24) };
        }
        SECPKG_ATTR_ENDPOINT_BINDINGS => {
            // SAFETY: the package wrote a SecPkgContext_Bindings.
            let b = unsafe { buf.cast::<SecPkgContext_Bindings>().read_unaligned() };
            assert!(!b.Bindings.is_null() && b.BindingsLength >= 32);
            // SAFETY: one allocation of BindingsLength bytes.
            unsafe { consume_allocation(b.Bindings.cast(), b.BindingsLength as usize) };
        }
        SECPKG_ATTR_KEYING_MATERIAL => {
            // SAFETY: the package wrote a SecPkgContext_KeyingMaterial.
            let k = unsafe { buf.cast::<SecPkgContext_KeyingMaterial>().read_unaligned() };
            assert!(!k.pbKeyingMaterial.is_null() && k.cbKeyingMaterial > 0);
            // SAFETY: one allocation of cbKeyingMaterial bytes.
            unsafe { consume_allocation(k.pbKeyingMaterial.cast(), k.cbKeyingMaterial as usize) };
        }
        SECPKG_ATTR_ISSUER_LIST_EX => {
            // SAFETY: the package wrote a SecPkgContext_IssuerListInfoEx.
            let l = unsafe {
                buf.cast::<SecPkgContext_IssuerListInfoEx>()
                    .read_unaligned()
            };
            if l.cIssuers == 0 {
                assert!(l.aIssuers.is_null());
            } else {
                for i in 0..l.cIssuers as usize {
                    // SAFETY: aIssuers holds cIssuers blobs.
                    let blob = unsafe { l.aIssuers.add(i).read() };
                    assert!(blob.cbData == 0 || !blob.pbData.is_null());
                    if blob.cbData > 0 {
                        // SAFETY: each blob describes cbData readable bytes.
                        let name = unsafe {
                            std::slice::from_raw_parts(blob.pbData, blob.cbData as usize)
                        };
                        std::hint::black_box(name.iter().fold(0u8, |a, b| a ^ b));
                    }
                }
                // SAFETY: the array is the package allocation.
                unsafe { consume_allocation(l.aIssuers.cast(), 0) };
            }
        }
        SECPKG_ATTR_REMOTE_CERT_CONTEXT | SECPKG_ATTR_LOCAL_CERT_CONTEXT => {
            // SAFETY: the package wrote a PCCERT_CONTEXT.
            let cert = unsafe { buf.cast::<PCCERT_CONTEXT>().read_unaligned() };
            assert!(!cert.is_null());
            // SAFETY: a live certificate context.
            let c = unsafe { cert.read() };
            // SAFETY: its encoded bytes.
            let der =
                unsafe { std::slice::from_raw_parts(c.pbCertEncoded, c.cbCertEncoded as usize) };
            std::hint::black_box(der.iter().fold(0u8, |a, b| a ^ b));
            // SAFETY: the caller's reference.
            assert_eq!(unsafe { CertFreeCertificateContext(cert) }, 1);
            // SAFETY: a second free of the same context is rejected.
            assert_eq!(unsafe { CertFreeCertificateContext(cert) }, 0);
        }
        _ => {}
    }
}

/// DeleteSecurityContext, FreeContextBuffer and FreeCredentialsHandle with hostile arguments.
fn misc_op(u: &mut Unstructured, pair: &mut Pair, arena: &mut [u8]) -> Result<()> {
    match u.int_in_range(0..=4u8)? {
        3 | 4 => {
            // SetContextAttributes(KEYING_MATERIAL_INFO) with a fuzzer-made structure whose
            // pointers are NULL or in the arena; a later KEYING_MATERIAL query exports it.
            let kind = handle_arg(u)?;
            let mut h = HandleSlot::new(kind, pair, true);
            let base = arena.as_mut_ptr();
            let label_len = u.int_in_range(0..=40u16)?;
            let ctx_len = u.int_in_range(0..=40u16)?;
            let label = u.bytes(usize::from(label_len))?.to_vec();
            arena[100..100 + label.len()].copy_from_slice(&label);
            let context = u.bytes(usize::from(ctx_len))?.to_vec();
            arena[200..200 + context.len()].copy_from_slice(&context);
            let mut info = SecPkgContext_KeyingMaterialInfo {
                cbLabel: label.len() as u16,
                pszLabel: if u.ratio(1, 8)? {
                    std::ptr::null_mut()
                } else {
                    base.wrapping_add(100).cast()
                },
                cbContextValue: context.len() as u16,
                pbContextValue: if u.ratio(1, 8)? {
                    std::ptr::null_mut()
                } else {
                    base.wrapping_add(200)
                },
                cbKeyingMaterial: if u.ratio(1, 8)? {
                    u.arbitrary()?
                } else {
                    u.int_in_range(0..=256)?
                },
            };
            let size = std::mem::size_of::<SecPkgContext_KeyingMaterialInfo>() as u32;
            let len = if u.ratio(1, 8)? {
                u.int_in_range(0..=size)?
            } else {
                size
            };
            let ptr: *mut c_void = if u.ratio(1, 16)? {
                std::ptr::null_mut()
            } else {
                (&mut info as *mut SecPkgContext_KeyingMaterialInfo).cast()
            };
            let attribute = if u.ratio(1, 8)? {
                u.arbitrary()?
            } else {
                SECPKG_ATTR_KEYING_MATERIAL_INFO
            };
            // SAFETY: `ptr` is NULL or the structure; its pointers are NULL or in the arena.
            let s = unsafe {
                if u.arbitrary()? {
                    SetContextAttributesW(h.ptr(), attribute, ptr, len)
                } else {
                    SetContextAttributesA(h.ptr(), attribute, ptr, len)
                }
            };
            check_status(s, "SetContextAttributes");
            if h.bad {
                assert_eq!(
                    s,
                    raw(Status::SEC_E_INVALID_HANDLE),
                    "SetContextAttributes {kind:?}"
                );
            }
            assert_ne!(
                s,
                raw(Status::SEC_E_INTERNAL_ERROR),
                "SetContextAttributes internal error"
            );
        }
        0 => {
            let kind = handle_arg(u)?;
            let mut h = HandleSlot::new(kind, pair, true);
            // SAFETY: NULL, misaligned or a handle value.
            let s = unsafe { DeleteSecurityContext(h.ptr()) };
            if h.bad {
                assert_eq!(
                    s,
                    raw(Status::SEC_E_INVALID_HANDLE),
                    "DeleteSecurityContext {kind:?}"
                );
            } else {
                assert_eq!(s, OK);
                if let HandleArg::Live(server) = kind {
                    let side = side_of(pair, server).0;
                    let mut gone = side.ctx.take().unwrap();
                    // SAFETY: a deleted handle is rejected.
                    assert_eq!(
                        unsafe { DeleteSecurityContext(&mut gone) },
                        raw(Status::SEC_E_INVALID_HANDLE)
                    );
                }
            }
        }
        1 => {
            let off = u.int_in_range(0..=arena.len() - 1)?;
            let p: *mut c_void = arena.as_mut_ptr().wrapping_add(off).cast();
            // SAFETY: any pointer is accepted; unknown ones are rejected unread.
            let s = unsafe { FreeContextBuffer(p) };
            assert_eq!(
                s,
                raw(Status::SEC_E_INVALID_HANDLE),
                "FreeContextBuffer on caller memory"
            );
        }
        _ => {
            // A context handle (or worse) given to FreeCredentialsHandle: never frees anything.
            let kind = handle_arg(u)?;
            if matches!(kind, HandleArg::Live(_)) {
                return Ok(());
            }
            let mut h = HandleSlot::new(kind, pair, false);
            // SAFETY: as above.
            let s = unsafe { FreeCredentialsHandle(h.ptr()) };
            assert_eq!(
                s,
                raw(Status::SEC_E_INVALID_HANDLE),
                "FreeCredentialsHandle {kind:?}"
            );
        }
    }
    Ok(())
}
