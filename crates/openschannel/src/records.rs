//! TLS record framing: the 5-byte header, one record at a time, missing-byte counts.
//!
//! rustls' unbuffered API reports neither how many bytes a partial record still needs nor where
//! one record ends, so openschannel frames records itself before handing exactly one complete
//! record to the engine. This is what lets `SEC_E_INCOMPLETE_MESSAGE` carry an exact
//! `SECBUFFER_MISSING` count and what keeps post-handshake records out of the handshake (they
//! are returned as `SECBUFFER_EXTRA`).

/// Length of a TLS record header: content type (1), legacy version (2), length (2).
pub(crate) const HEADER_LEN: usize = 5;

/// Largest TLS 1.2 `TLSCiphertext.length` (RFC 5246 §6.2.3: 2^14 + 2048).
pub(crate) const MAX_TLS12_PAYLOAD: usize = 16384 + 2048;

/// Largest TLS 1.3 `TLSCiphertext.length` (RFC 8446 §5.2: 2^14 + 256).
pub(crate) const MAX_TLS13_PAYLOAD: usize = 16384 + 256;

/// Largest `TLSPlaintext.length` (RFC 8446 §5.1, RFC 5246 §6.2.1: 2^14).
pub(crate) const MAX_PLAINTEXT: usize = 16384;

/// Record content types (RFC 8446 §5.1).
pub(crate) mod content_type {
    /// change_cipher_spec
    pub(crate) const CHANGE_CIPHER_SPEC: u8 = 20;
    /// alert
    pub(crate) const ALERT: u8 = 21;
    /// handshake
    pub(crate) const HANDSHAKE: u8 = 22;
    /// application_data
    pub(crate) const APPLICATION_DATA: u8 = 23;
}

/// What the front of a byte run holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Frame {
    /// One complete record of this many bytes (header included) starts the run.
    Complete(usize),
    /// The first record is incomplete; this many more bytes are needed to complete it
    /// (`5 - have` while the header itself is incomplete).
    Incomplete(usize),
    /// The bytes cannot be the start of a TLS record.
    Invalid(&'static str),
    /// The header announces more than `max_payload` bytes (`record_overflow`).
    Oversized,
}

/// Frames the record at the start of `buf`, allowing payloads up to `max_payload` bytes.
///
/// The header is checked byte by byte as far as it is present, so garbage is recognised as soon
/// as its first byte arrives rather than after a bogus length has been waited for.
pub(crate) fn frame(buf: &[u8], max_payload: usize) -> Frame {
    if let Some(&ty) = buf.first() {
        if !matches!(
            ty,
            content_type::CHANGE_CIPHER_SPEC
                | content_type::ALERT
                | content_type::HANDSHAKE
                | content_type::APPLICATION_DATA
        ) {
            return Frame::Invalid("unknown record content type");
        }
    }
    if let Some(&major) = buf.get(1) {
        if major != 3 {
            return Frame::Invalid("record version is not 3.x");
        }
    }
    if buf.len() < HEADER_LEN {
        return Frame::Incomplete(HEADER_LEN - buf.len());
    }
    let payload = usize::from(u16::from_be_bytes([buf[3], buf[4]]));
    if payload > max_payload {
        return Frame::Oversized;
    }
    let total = HEADER_LEN + payload;
    if buf.len() < total {
        Frame::Incomplete(total - buf.len())
    } else {
        Frame::Complete(total)
    }
}

/// A plaintext alert record (used before any keys exist), version 3.3.
pub(crate) fn plaintext_alert(level: u8, description: u8) -> [u8; 7] {
    plaintext_alert_as(3, level, description)
}

/// A plaintext alert record with record-layer version 3.`minor`: a client that has not yet
/// heard the ServerHello uses the version its ClientHello record carried (3.1, as Windows'
/// `15 03 01 00 02 01 00` close_notify in Wine's `test_connection_shutdown`).
pub(crate) fn plaintext_alert_as(minor: u8, level: u8, description: u8) -> [u8; 7] {
    [content_type::ALERT, 3, minor, 0, 2, level, description]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_counts_match_windows_examples() {
        // 26-byte record cut at 0/3/5/25 bytes -> missing 5/2/21/1.
        let mut rec = vec![23u8, 3, 3, 0, 21];
        rec.extend_from_slice(&[0u8; 21]);
        assert_eq!(frame(&rec[..0], MAX_TLS12_PAYLOAD), Frame::Incomplete(5));
        assert_eq!(frame(&rec[..3], MAX_TLS12_PAYLOAD), Frame::Incomplete(2));
        assert_eq!(frame(&rec[..4], MAX_TLS12_PAYLOAD), Frame::Incomplete(1));
        assert_eq!(frame(&rec[..5], MAX_TLS12_PAYLOAD), Frame::Incomplete(21));
        assert_eq!(frame(&rec[..25], MAX_TLS12_PAYLOAD), Frame::Incomplete(1));
        assert_eq!(frame(&rec, MAX_TLS12_PAYLOAD), Frame::Complete(26));
        rec.push(0xFF);
        assert_eq!(frame(&rec, MAX_TLS12_PAYLOAD), Frame::Complete(26));
    }

    #[test]
    fn garbage_is_recognised_early() {
        assert!(matches!(frame(b"G", MAX_TLS12_PAYLOAD), Frame::Invalid(_)));
        assert!(matches!(
            frame(b"\x16\x02", MAX_TLS12_PAYLOAD),
            Frame::Invalid(_)
        ));
        assert!(matches!(
            frame(&[24, 3, 3, 0, 1, 0], MAX_TLS12_PAYLOAD),
            Frame::Invalid(_)
        ));
        let over = [23u8, 3, 3, 0x41, 0x01]; // 16641 > 2^14 + 256
        assert_eq!(frame(&over, MAX_TLS13_PAYLOAD), Frame::Oversized);
        assert_eq!(frame(&over, MAX_TLS12_PAYLOAD), Frame::Incomplete(16641));
        let way_over = [23u8, 3, 3, 0x48, 0x01]; // 18433 > 2^14 + 2048
        assert_eq!(frame(&way_over, MAX_TLS12_PAYLOAD), Frame::Oversized);
    }
}
