//! The one DER element splitter the core's certificate readers share (`cert_names.rs`,
//! `engine/bindings.rs`) and the ffi crate's chain engine uses through [`crate::pki::tlv`].

/// One DER TLV at the front of `input`: `(tag, contents, rest)`; `None` when `input` does not
/// start with a well-formed one (multi-byte tags and lengths over four bytes are refused, as
/// X.509 never needs them). Never panics on any input.
pub fn tlv(input: &[u8]) -> Option<(u8, &[u8], &[u8])> {
    let (&tag, rest) = input.split_first()?;
    if tag & 0x1f == 0x1f {
        return None;
    }
    let (&first, rest) = rest.split_first()?;
    let (len, rest) = if first < 0x80 {
        (usize::from(first), rest)
    } else {
        let n = usize::from(first & 0x7f);
        if n == 0 || n > 4 || rest.len() < n {
            return None;
        }
        let len = rest[..n]
            .iter()
            .fold(0usize, |acc, &b| (acc << 8) | usize::from(b));
        (len, &rest[n..])
    };
    if rest.len() < len {
        return None;
    }
    Some((tag, &rest[..len], &rest[len..]))
}
