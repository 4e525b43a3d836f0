//! The hash algorithms behind `CryptCreateHash` and `CryptHashCertificate`.

use md5::Md5;
use sha1::Sha1;
use sha2::{Digest, Sha256, Sha384, Sha512};

/// `CALG_MD5`.
pub(crate) const CALG_MD5: u32 = 0x8003;
/// `CALG_SHA1`.
pub(crate) const CALG_SHA1: u32 = 0x8004;
/// `CALG_SHA_256`.
pub(crate) const CALG_SHA_256: u32 = 0x800c;
/// `CALG_SHA_384`.
pub(crate) const CALG_SHA_384: u32 = 0x800d;
/// `CALG_SHA_512`.
pub(crate) const CALG_SHA_512: u32 = 0x800e;

/// A running hash of one of the supported algorithms.
#[derive(Clone)]
pub(crate) enum Hasher {
    /// MD5.
    Md5(Md5),
    /// SHA-1.
    Sha1(Sha1),
    /// SHA-256.
    Sha256(Sha256),
    /// SHA-384.
    Sha384(Sha384),
    /// SHA-512.
    Sha512(Sha512),
}

impl Hasher {
    /// A new hash for `ALG_ID` `algid`; `None` for an unsupported algorithm.
    pub(crate) fn new(algid: u32) -> Option<Self> {
        Some(match algid {
            CALG_MD5 => Self::Md5(Md5::new()),
            CALG_SHA1 => Self::Sha1(Sha1::new()),
            CALG_SHA_256 => Self::Sha256(Sha256::new()),
            CALG_SHA_384 => Self::Sha384(Sha384::new()),
            CALG_SHA_512 => Self::Sha512(Sha512::new()),
            _ => return None,
        })
    }

    /// The `ALG_ID`.
    pub(crate) fn algid(&self) -> u32 {
        match self {
            Self::Md5(_) => CALG_MD5,
            Self::Sha1(_) => CALG_SHA1,
            Self::Sha256(_) => CALG_SHA_256,
            Self::Sha384(_) => CALG_SHA_384,
            Self::Sha512(_) => CALG_SHA_512,
        }
    }

    /// Digest size in bytes.
    pub(crate) fn size(&self) -> usize {
        match self {
            Self::Md5(_) => 16,
            Self::Sha1(_) => 20,
            Self::Sha256(_) => 32,
            Self::Sha384(_) => 48,
            Self::Sha512(_) => 64,
        }
    }

    /// Adds data.
    pub(crate) fn update(&mut self, data: &[u8]) {
        match self {
            Self::Md5(h) => h.update(data),
            Self::Sha1(h) => h.update(data),
            Self::Sha256(h) => h.update(data),
            Self::Sha384(h) => h.update(data),
            Self::Sha512(h) => h.update(data),
        }
    }

    /// The digest of everything added so far (the hash itself is left unchanged).
    pub(crate) fn value(&self) -> Vec<u8> {
        match self.clone() {
            Self::Md5(h) => h.finalize().to_vec(),
            Self::Sha1(h) => h.finalize().to_vec(),
            Self::Sha256(h) => h.finalize().to_vec(),
            Self::Sha384(h) => h.finalize().to_vec(),
            Self::Sha512(h) => h.finalize().to_vec(),
        }
    }
}

/// One-shot digest.
pub(crate) fn digest(algid: u32, data: &[u8]) -> Option<Vec<u8>> {
    let mut h = Hasher::new(algid)?;
    h.update(data);
    Some(h.value())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hex(v: &[u8]) -> String {
        v.iter().map(|b| format!("{b:02x}")).collect()
    }

    #[test]
    fn known_answers() {
        assert_eq!(
            hex(&digest(CALG_MD5, b"abc").unwrap()),
            "900150983cd24fb0d6963f7d28e17f72"
        );
        assert_eq!(
            hex(&digest(CALG_SHA1, b"abc").unwrap()),
            "a9993e364706816aba3e25717850c26c9cd0d89d"
        );
        assert_eq!(
            hex(&digest(CALG_SHA_256, b"abc").unwrap()),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert_eq!(digest(CALG_SHA_384, b"").unwrap().len(), 48);
        assert_eq!(digest(CALG_SHA_512, b"").unwrap().len(), 64);
        assert!(Hasher::new(0x6610).is_none());
    }
}
