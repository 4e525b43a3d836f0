//! Reading the first handshake message of each direction off the wire (plaintext records).
//!
//! rustls 0.23 exposes neither the ClientHello's ALPN offer before it answers it nor the
//! handshake randoms, but both are needed: a server must choose its ALPN list per connection
//! (Schannel succeeds with "no protocol" when the lists do not overlap, rustls would refuse),
//! and TLS 1.2 keying-material export (RFC 5705) mixes in both randoms. The ClientHello and
//! ServerHello always travel in plaintext handshake records, so the context reads them from
//! the records it frames anyway. Nothing here is security-relevant: rustls parses and checks
//! the same messages authoritatively; a sniffer that cannot make sense of the bytes just
//! reports so.

use crate::records::{content_type, HEADER_LEN};

/// The most bytes a sniffer keeps (a ClientHello larger than this is not inspected).
const MAX_MESSAGE: usize = 64 * 1024;

/// What a [`HelloSniffer`] has seen so far.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Sniffed<'a> {
    /// The first handshake message is not complete yet.
    NeedMore,
    /// The first handshake message (header included).
    Message(&'a [u8]),
    /// The stream does not start with a plaintext handshake message (or it is too large).
    NotHandshake,
}

/// Collects the first handshake message of one direction from whole plaintext records.
#[derive(Debug, Default)]
pub(crate) struct HelloSniffer {
    buf: Vec<u8>,
    failed: bool,
}

impl HelloSniffer {
    /// Feeds one complete record (header included), exactly as it was on the wire.
    pub(crate) fn push(&mut self, record: &[u8]) {
        if self.failed || self.message_len().is_some_and(|n| self.buf.len() >= n) {
            return;
        }
        match record.first() {
            Some(&content_type::HANDSHAKE) if record.len() >= HEADER_LEN => {
                if self.buf.len() + record.len() > MAX_MESSAGE {
                    self.failed = true;
                } else {
                    self.buf.extend_from_slice(&record[HEADER_LEN..]);
                }
            }
            _ => self.failed = true,
        }
    }

    fn message_len(&self) -> Option<usize> {
        let h = self.buf.get(..4)?;
        Some(4 + (usize::from(h[1]) << 16 | usize::from(h[2]) << 8 | usize::from(h[3])))
    }

    /// The state of the first message.
    pub(crate) fn state(&self) -> Sniffed<'_> {
        if self.failed {
            return Sniffed::NotHandshake;
        }
        match self.message_len() {
            Some(n) if n > MAX_MESSAGE => Sniffed::NotHandshake,
            Some(n) if self.buf.len() >= n => Sniffed::Message(&self.buf[..n]),
            _ => Sniffed::NeedMore,
        }
    }

    /// Whether the sniffer has reached a verdict (message or failure).
    pub(crate) fn is_done(&self) -> bool {
        !matches!(self.state(), Sniffed::NeedMore)
    }
}

/// A cursor over big-endian TLS structures.
struct Reader<'a>(&'a [u8]);

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        if self.0.len() < n {
            return None;
        }
        let (head, tail) = self.0.split_at(n);
        self.0 = tail;
        Some(head)
    }

    fn u8(&mut self) -> Option<usize> {
        self.take(1).map(|b| usize::from(b[0]))
    }

    fn u16(&mut self) -> Option<usize> {
        self.take(2)
            .map(|b| usize::from(u16::from_be_bytes([b[0], b[1]])))
    }

    fn vec8(&mut self) -> Option<&'a [u8]> {
        let n = self.u8()?;
        self.take(n)
    }

    fn vec16(&mut self) -> Option<&'a [u8]> {
        let n = self.u16()?;
        self.take(n)
    }
}

/// Handshake message types.
const CLIENT_HELLO: u8 = 1;
const SERVER_HELLO: u8 = 2;
/// The ALPN extension (RFC 7301).
const EXT_ALPN: usize = 16;

/// The `random` of a ClientHello or ServerHello message (header included).
pub(crate) fn hello_random(message: &[u8]) -> Option<[u8; 32]> {
    if !matches!(message.first(), Some(&CLIENT_HELLO | &SERVER_HELLO)) {
        return None;
    }
    let mut r = Reader(message.get(4..)?);
    r.take(2)?; // legacy_version
    r.take(32)?.try_into().ok()
}

/// The ALPN protocols a ClientHello offers: `Ok(None)` without the extension, `Err(())` when
/// the message cannot be parsed.
#[allow(clippy::result_unit_err)]
pub(crate) fn client_hello_alpn(message: &[u8]) -> Result<Option<Vec<Vec<u8>>>, ()> {
    parse_client_hello_alpn(message).ok_or(())
}

fn parse_client_hello_alpn(message: &[u8]) -> Option<Option<Vec<Vec<u8>>>> {
    if message.first() != Some(&CLIENT_HELLO) {
        return None;
    }
    let mut r = Reader(message.get(4..)?);
    r.take(2 + 32)?; // legacy_version, random
    r.vec8()?; // legacy_session_id
    r.vec16()?; // cipher_suites
    r.vec8()?; // legacy_compression_methods
    if r.0.is_empty() {
        return Some(None); // no extensions at all
    }
    let mut exts = Reader(r.vec16()?);
    while !exts.0.is_empty() {
        let ty = exts.u16()?;
        let body = exts.vec16()?;
        if ty != EXT_ALPN {
            continue;
        }
        let mut list = Reader(Reader(body).vec16()?);
        let mut names = Vec::new();
        while !list.0.is_empty() {
            names.push(list.vec8()?.to_vec());
        }
        return Some(Some(names));
    }
    Some(None)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(ty: u8, payload: &[u8]) -> Vec<u8> {
        let mut r = vec![ty, 3, 1];
        r.extend_from_slice(&(payload.len() as u16).to_be_bytes());
        r.extend_from_slice(payload);
        r
    }

    fn client_hello(alpn: Option<&[&[u8]]>) -> Vec<u8> {
        let mut body = vec![3, 3];
        body.extend_from_slice(&[7u8; 32]);
        body.push(0); // session id
        body.extend_from_slice(&[0, 2, 0x13, 0x01]); // one suite
        body.extend_from_slice(&[1, 0]); // null compression
        let mut exts = Vec::new();
        exts.extend_from_slice(&[0, 10, 0, 2, 0, 0]); // an unrelated extension
        if let Some(names) = alpn {
            let mut list = Vec::new();
            for n in names {
                list.push(n.len() as u8);
                list.extend_from_slice(n);
            }
            exts.extend_from_slice(&16u16.to_be_bytes());
            exts.extend_from_slice(&((list.len() + 2) as u16).to_be_bytes());
            exts.extend_from_slice(&(list.len() as u16).to_be_bytes());
            exts.extend_from_slice(&list);
        }
        body.extend_from_slice(&(exts.len() as u16).to_be_bytes());
        body.extend_from_slice(&exts);
        let mut msg = vec![CLIENT_HELLO, 0];
        msg.extend_from_slice(&(body.len() as u16).to_be_bytes());
        msg.extend_from_slice(&body);
        msg
    }

    #[test]
    fn a_client_hello_split_over_records_is_reassembled() {
        let msg = client_hello(Some(&[b"h2", b"http/1.1"]));
        let mut s = HelloSniffer::default();
        for chunk in msg.chunks(7) {
            assert!(!s.is_done());
            s.push(&record(22, chunk));
        }
        let Sniffed::Message(m) = s.state() else {
            panic!("incomplete");
        };
        assert_eq!(m, &msg[..]);
        assert_eq!(hello_random(m), Some([7u8; 32]));
        assert_eq!(
            client_hello_alpn(m),
            Ok(Some(vec![b"h2".to_vec(), b"http/1.1".to_vec()]))
        );
    }

    #[test]
    fn no_alpn_extension_and_garbage_are_told_apart() {
        assert_eq!(client_hello_alpn(&client_hello(None)), Ok(None));
        let mut bad = client_hello(Some(&[b"h2"]));
        bad.truncate(bad.len() - 1);
        assert_eq!(client_hello_alpn(&bad), Err(()));
        let mut s = HelloSniffer::default();
        s.push(&record(21, &[2, 40]));
        assert_eq!(s.state(), Sniffed::NotHandshake);
    }
}
