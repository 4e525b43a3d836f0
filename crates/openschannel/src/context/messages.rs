//! In-place messages (≈ `EncryptMessage` / `DecryptMessage`).

use std::cell::RefCell;
use std::ops::Range;

use super::query::StreamSizes;
use super::{Open, Phase, PostHandshake, SecurityContext, Service};
use crate::engine::Opened;
use crate::error::Error;
use crate::params::Protocol;
use crate::records::{self, Frame};
use crate::status::Status;

thread_local! {
    /// Per-thread scratch for one record's plaintext or ciphertext, so that steady-state
    /// traffic allocates nothing in openschannel and idle contexts hold no record buffers.
    static SCRATCH: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) };
}

/// Where one decrypted record lies in the caller's buffer (the four `SecBuffer`s
/// `DecryptMessage` returns). Ranges index the buffer passed to
/// [`SecurityContext::decrypt`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RecordLayout {
    /// `SECBUFFER_STREAM_HEADER`: the record header (and TLS 1.2 explicit nonce).
    pub header: Range<usize>,
    /// `SECBUFFER_DATA`: the plaintext, decrypted in place (may be empty).
    pub data: Range<usize>,
    /// `SECBUFFER_STREAM_TRAILER`: the rest of the record (tag, inner content type, padding).
    pub trailer: Range<usize>,
    /// `SECBUFFER_EXTRA`: bytes after the record, not yet processed (may be empty).
    pub extra: Range<usize>,
}

impl RecordLayout {
    fn record(header_len: usize, data_len: usize, record_len: usize, total: usize) -> Self {
        let header_len = header_len.min(record_len);
        let data_end = header_len + data_len;
        Self {
            header: 0..header_len,
            data: header_len..data_end,
            trailer: data_end..record_len,
            extra: record_len..total,
        }
    }

    /// The layout of a record whose plaintext lies at `data` (decrypted in place).
    fn around(data: Range<usize>, record_len: usize, total: usize) -> Self {
        Self {
            header: 0..data.start,
            trailer: data.end..record_len,
            data,
            extra: record_len..total,
        }
    }

    /// A layout that processed nothing: every byte is extra.
    fn unprocessed(total: usize) -> Self {
        Self {
            header: 0..0,
            data: 0..0,
            trailer: 0..0,
            extra: 0..total,
        }
    }
}

/// The non-error result of [`SecurityContext::decrypt`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Decrypted {
    /// `SEC_E_OK`: one record was decrypted in place; its plaintext (possibly empty) is at
    /// `layout.data`.
    Data(RecordLayout),
    /// `SEC_I_RENEGOTIATE`: the record carried a post-handshake message (TLS 1.3
    /// NewSessionTicket or KeyUpdate, a TLS 1.2 HelloRequest). Call
    /// [`SecurityContext::handshake`] with the extra bytes as input before decrypting again,
    /// and send its output.
    Renegotiate(RecordLayout),
    /// `SEC_I_CONTEXT_EXPIRED`: the peer sent close_notify. Bytes after it (`layout.extra`) are
    /// never decrypted. Every later call returns this again. Run the shutdown procedure.
    ContextExpired(RecordLayout),
    /// `SEC_E_INCOMPLETE_MESSAGE`: the buffer does not start with a complete record. Nothing
    /// was consumed or modified; read at least `missing` more bytes and call again.
    IncompleteMessage {
        /// Bytes still needed (`SECBUFFER_MISSING`).
        missing: usize,
    },
}

impl Decrypted {
    /// The Schannel status code.
    pub fn status(&self) -> Status {
        match self {
            Self::Data(_) => Status::SEC_E_OK,
            Self::Renegotiate(_) => Status::SEC_I_RENEGOTIATE,
            Self::ContextExpired(_) => Status::SEC_I_CONTEXT_EXPIRED,
            Self::IncompleteMessage { .. } => Status::SEC_E_INCOMPLETE_MESSAGE,
        }
    }

    /// The buffer layout, for every status but `IncompleteMessage`.
    pub fn layout(&self) -> Option<&RecordLayout> {
        match self {
            Self::Data(l) | Self::Renegotiate(l) | Self::ContextExpired(l) => Some(l),
            Self::IncompleteMessage { .. } => None,
        }
    }
}

/// What [`SecurityContext::encrypt_parts`] wrote: the `cbBuffer` of each region.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Encrypted {
    /// Bytes written at the start of the header region (always the stream-sizes header).
    pub header: usize,
    /// Bytes of ciphertext in the data region (equal to the plaintext length).
    pub data: usize,
    /// Bytes written at the start of the trailer region.
    pub trailer: usize,
}

impl Encrypted {
    /// The record's length on the wire.
    pub fn total(&self) -> usize {
        self.header + self.data + self.trailer
    }
}

impl SecurityContext {
    /// `EncryptMessage` over one contiguous buffer laid out as
    /// `header (cbHeader) | data (data_len) | trailer (≥ cbTrailer)`, where the data region
    /// holds the plaintext. On success `buf[..returned.total()]` is exactly one TLS record.
    ///
    /// See [`encrypt_parts`](Self::encrypt_parts) for the rules and errors.
    pub fn encrypt(&mut self, buf: &mut [u8], data_len: usize) -> Result<Encrypted, Error> {
        let sizes = self.stream_sizes()?;
        if buf.len() < sizes.header + data_len {
            return Err(Error::new(
                Status::SEC_E_BUFFER_TOO_SMALL,
                "buffer shorter than header + data",
            ));
        }
        let trailer_room = buf.len() - sizes.header - data_len;
        let Some(sizes) = self.encrypt_checks(sizes, sizes.header, data_len, trailer_room)? else {
            return Ok(Encrypted {
                header: 0,
                data: 0,
                trailer: 0,
            });
        };
        // The record is sealed where it lies: no copy, no allocation.
        let total = sizes.header + data_len + sizes.trailer;
        match self.engine.seal_in_place(&mut buf[..total], data_len) {
            Ok(_) => Ok(Encrypted {
                header: sizes.header,
                data: data_len,
                trailer: sizes.trailer,
            }),
            Err(e) => Err(self.fail(e, &mut Vec::new())),
        }
    }

    /// The state and size checks of `EncryptMessage`; `None` for empty data (no record).
    fn encrypt_checks(
        &mut self,
        sizes: StreamSizes,
        header_room: usize,
        data_len: usize,
        trailer_room: usize,
    ) -> Result<Option<StreamSizes>, Error> {
        let open = match &self.phase {
            Phase::Failed(f) => return Err(f.error.clone()),
            Phase::Open(open) => open,
            Phase::Handshaking(_) => unreachable!("stream_sizes() refuses before the handshake"),
        };
        if open.close_notify.is_some() {
            return Err(Error::new(
                Status::SEC_E_CONTEXT_EXPIRED,
                "this side has already sent close_notify",
            ));
        }
        if let Service::Renegotiate(_) = open.service {
            return Err(Error::new(
                Status::SEC_E_CONTEXT_EXPIRED,
                "a post-handshake message must be serviced by handshake() before encrypting",
            ));
        }
        if data_len > sizes.max_message {
            return Err(Error::new(
                Status::SEC_E_INVALID_PARAMETER,
                format!(
                    "{} bytes of data exceed cbMaximumMessage ({})",
                    data_len, sizes.max_message
                ),
            ));
        }
        if header_room < sizes.header || trailer_room < sizes.trailer {
            return Err(Error::new(
                Status::SEC_E_BUFFER_TOO_SMALL,
                format!(
                    "header/trailer regions must hold {} and {} bytes",
                    sizes.header, sizes.trailer
                ),
            ));
        }
        if data_len == 0 {
            return Ok(None);
        }
        Ok(Some(sizes))
    }

    /// `EncryptMessage`: encrypts `data` in place as exactly one TLS record, writing the record
    /// header into `header` and the tag (and TLS 1.3 inner content type) into `trailer`.
    ///
    /// `header` must be at least `cbHeader` and `trailer` at least `cbTrailer` bytes
    /// ([`stream_sizes`](Self::stream_sizes)); exactly `cbHeader` header bytes are written, so a
    /// caller that lays the three regions out contiguously can send
    /// `header + data + trailer` as returned. `data` may hold up to `cbMaximumMessage` bytes.
    /// An empty `data` produces no record (all three lengths 0).
    ///
    /// # Errors
    /// * `SEC_E_CONTEXT_EXPIRED` once this side has sent close_notify, and while a
    ///   `SEC_I_RENEGOTIATE` has not been serviced by [`handshake`](Self::handshake) (a record
    ///   that must precede ours is waiting); neither is fatal.
    /// * `SEC_E_INVALID_PARAMETER` for more than `cbMaximumMessage` bytes of data;
    ///   `SEC_E_BUFFER_TOO_SMALL` for short header or trailer regions (not fatal).
    /// * `SEC_E_INVALID_HANDLE` before the handshake has completed.
    pub fn encrypt_parts(
        &mut self,
        header: &mut [u8],
        data: &mut [u8],
        trailer: &mut [u8],
    ) -> Result<Encrypted, Error> {
        let sizes = self.stream_sizes()?;
        let Some(sizes) = self.encrypt_checks(sizes, header.len(), data.len(), trailer.len())?
        else {
            return Ok(Encrypted {
                header: 0,
                data: 0,
                trailer: 0,
            });
        };
        let n = data.len();
        let total = sizes.header + n + sizes.trailer;
        SCRATCH.with(|scratch| {
            // Sealed in the per-thread scratch, then scattered into the three regions; the
            // scratch holds only ciphertext afterwards.
            let mut scratch = scratch.borrow_mut();
            scratch.resize(total, 0);
            scratch[sizes.header..sizes.header + n].copy_from_slice(data);
            if let Err(e) = self.engine.seal_in_place(&mut scratch[..total], n) {
                scratch.fill(0);
                return Err(self.fail(e, &mut Vec::new()));
            }
            header[..sizes.header].copy_from_slice(&scratch[..sizes.header]);
            data.copy_from_slice(&scratch[sizes.header..sizes.header + n]);
            trailer[..sizes.trailer].copy_from_slice(&scratch[sizes.header + n..total]);
            Ok(Encrypted {
                header: sizes.header,
                data: n,
                trailer: sizes.trailer,
            })
        })
    }

    /// `DecryptMessage`: decrypts the one record at the start of `buf` in place.
    ///
    /// On success the plaintext sits inside `buf` at the returned layout's `data` range; bytes
    /// after the record are reported as `extra` and left untouched — move them to the front
    /// and call again. See [`Decrypted`] for the statuses.
    ///
    /// # Errors
    /// * `SEC_E_MESSAGE_ALTERED` when the record fails authentication; `SEC_E_INVALID_TOKEN`
    ///   for bytes that are not a TLS record; the status mapped from a received fatal alert
    ///   (contract §3.3). These are fatal: the context stays failed.
    /// * `SEC_E_CONTEXT_EXPIRED` while a `SEC_I_RENEGOTIATE` has not been serviced (not fatal).
    /// * `SEC_E_INVALID_HANDLE` before the handshake has completed.
    pub fn decrypt(&mut self, buf: &mut [u8]) -> Result<Decrypted, Error> {
        let result = self.decrypt_inner(buf);
        tracing::trace!(
            role = ?self.role,
            input = buf.len(),
            result = ?result.as_ref().map(|d| d.status()).map_err(|e| e.status()),
            "decrypt"
        );
        result
    }

    fn decrypt_inner(&mut self, buf: &mut [u8]) -> Result<Decrypted, Error> {
        let open = match &self.phase {
            Phase::Failed(f) => return Err(f.error.clone()),
            Phase::Open(open) => open,
            Phase::Handshaking(_) => {
                return Err(Error::new(
                    Status::SEC_E_INVALID_HANDLE,
                    "the handshake has not completed",
                ))
            }
        };
        if open.peer_closed {
            return Ok(Decrypted::ContextExpired(RecordLayout::unprocessed(
                buf.len(),
            )));
        }
        if let Service::Renegotiate(_) = open.service {
            return Err(Error::new(
                Status::SEC_E_CONTEXT_EXPIRED,
                "SEC_I_RENEGOTIATE must be serviced by handshake() before decrypting again",
            ));
        }
        let may_reply = open.close_notify.is_none();
        let protocol = self.engine.protocol();
        let max_payload = match protocol {
            Some(Protocol::Tls13) => records::MAX_TLS13_PAYLOAD,
            _ => records::MAX_TLS12_PAYLOAD,
        };
        let record_len = match records::frame(buf, max_payload) {
            Frame::Complete(n) => n,
            Frame::Incomplete(missing) => return Ok(Decrypted::IncompleteMessage { missing }),
            Frame::Invalid(why) => return Err(self.unframeable_record(false, why)),
            Frame::Oversized => {
                return Err(self.unframeable_record(true, "record longer than the protocol allows"))
            }
        };
        self.open_in_place(buf, record_len, may_reply)
    }

    /// DecryptMessage on the in-place record layer: the record is opened where it lies.
    /// Records to send in answer (`may_reply`: our close_notify is not out yet) are kept for
    /// the `handshake` call that services the `SEC_I_RENEGOTIATE`.
    fn open_in_place(
        &mut self,
        buf: &mut [u8],
        record_len: usize,
        may_reply: bool,
    ) -> Result<Decrypted, Error> {
        let total = buf.len();
        let mut out = Vec::new();
        match self
            .engine
            .open_in_place(&mut buf[..record_len], &mut out, may_reply)
        {
            Ok(Opened::Data(range)) => Ok(Decrypted::Data(RecordLayout::around(
                range, record_len, total,
            ))),
            Ok(Opened::CloseNotify) => {
                self.open_mut().peer_closed = true;
                let layout = RecordLayout::record(self.header_len(), 0, record_len, total);
                Ok(Decrypted::ContextExpired(layout))
            }
            Ok(Opened::Control) => {
                let layout = RecordLayout::record(self.header_len(), 0, record_len, total);
                Ok(self.control_record(layout, out))
            }
            // The record layer sealed the alert into `out`.
            Err(e) => Err(self.fail_decrypt(e, out)),
        }
    }

    /// `cbHeader`, for the layout of a record without data (asked only then: the data path
    /// takes the plaintext's place from the record layer).
    fn header_len(&self) -> usize {
        self.engine
            .record_sizes()
            .map_or(0, |(header, _, _)| header)
    }

    /// A fatal DecryptMessage error. DecryptMessage has no output buffer for the alert the
    /// peer must see, so the context keeps it (after any record that must precede it) and
    /// every later `handshake` call hands it out: as the error's `SECBUFFER_ALERT`, or as the
    /// output token of the shutdown procedure (contract: docs/schannel-behaviour.md, "After
    /// a fatal error").
    fn fail_decrypt(&mut self, e: Error, mut out: Vec<u8>) -> Error {
        self.engine.drain_after_failure(&mut out);
        self.latch(e.clone(), false).owed = out;
        e
    }

    /// The bytes at the front of DecryptMessage's buffer are no TLS record (`oversized`: the
    /// header announces more than the protocol allows): fatal, with `record_overflow` or
    /// `decode_error` sealed for the peer.
    fn unframeable_record(&mut self, oversized: bool, why: &'static str) -> Error {
        let mut out = Vec::new();
        self.engine.framing_failed(oversized, &mut out);
        self.fail_decrypt(Error::new(Status::SEC_E_INVALID_TOKEN, why), out)
    }

    /// The open phase (decrypt has checked it).
    fn open_mut(&mut self) -> &mut Open {
        match &mut self.phase {
            Phase::Open(open) => open,
            _ => unreachable!("records are opened on an open context only"),
        }
    }

    /// A record without application data (post-handshake messages, a tolerated warning
    /// alert): `SEC_I_RENEGOTIATE` when something must be sent in answer (`out`) or the
    /// context reports every such record, else `SEC_E_OK` with no data.
    fn control_record(&mut self, layout: RecordLayout, out: Vec<u8>) -> Decrypted {
        if !out.is_empty() || self.post_handshake == PostHandshake::Renegotiate {
            self.open_mut().service = Service::Renegotiate(out);
            Decrypted::Renegotiate(layout)
        } else {
            Decrypted::Data(layout)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::SCRATCH;
    use crate::context::tests::Pair;
    use crate::{Decrypted, Protocols};

    /// The per-thread scratch buffer never keeps a record's plaintext after DecryptMessage.
    #[test]
    fn decrypted_plaintext_does_not_linger_in_the_scratch_buffer() {
        for protocols in [Protocols::TLS12_ONLY, Protocols::TLS13_ONLY] {
            let mut p = Pair::established(protocols);
            let secret = b"a secret the scratch must forget";
            let mut to_c = p.seal_from_server(secret);
            loop {
                match p.client.decrypt(&mut to_c).unwrap() {
                    Decrypted::Data(l) if !l.data.is_empty() => {
                        assert_eq!(&to_c[l.data.clone()], secret);
                        break;
                    }
                    Decrypted::Data(l) | Decrypted::Renegotiate(l) => {
                        to_c.drain(..l.extra.start);
                        let mut t = Vec::new();
                        let _ = p.client.handshake(&to_c, &mut t);
                    }
                    other => panic!("{other:?}"),
                }
            }
            SCRATCH.with(|scratch| {
                // Records are opened in place now (the scratch serves only while a handshake
                // message spans records); whatever it holds must not be plaintext.
                let scratch = scratch.borrow();
                assert!(
                    scratch.iter().all(|&b| b == 0),
                    "plaintext left in the scratch"
                );
            });
        }
    }
}
