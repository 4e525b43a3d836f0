//! The physical limit of the record path: aws-lc-rs sealing and opening a TLS-shaped record in
//! place — header, plaintext (plus the TLS 1.3 inner content type), tag; a TLS 1.2 record also
//! carries its 8-byte explicit nonce — with nothing else around it: no handshake, no state
//! machine, no copies but the application placing its plaintext.

use std::any::Any;

use aws_lc_rs::aead::{
    Aad, LessSafeKey, Nonce, UnboundKey, AES_128_GCM, AES_256_GCM, CHACHA20_POLY1305,
};

use super::contender::{Aead, Connection, Connector, Contender, Pki, Setup, Version};

/// aws-lc-rs `seal_in_place_separate_tag` / `open_in_place` on the same record shapes.
pub struct RawAead;

impl Contender for RawAead {
    fn name(&self) -> &'static str {
        "aws-lc-rs-aead"
    }

    fn prepare(&self, _pki: &Pki, setup: &Setup) -> Result<Box<dyn Connector>, String> {
        Ok(Box::new(RawConnector { setup: *setup }))
    }

    fn handshakes(&self) -> bool {
        false
    }
}

struct RawConnector {
    setup: Setup,
}

impl Connector for RawConnector {
    fn connect(&mut self) -> Box<dyn Connection> {
        let (alg, key_len) = match self.setup.aead {
            Aead::Aes128Gcm => (&AES_128_GCM, 16),
            Aead::Aes256Gcm => (&AES_256_GCM, 32),
            Aead::Chacha20Poly1305 => (&CHACHA20_POLY1305, 32),
        };
        // Fixed keys: the figures do not depend on key values.
        let key = [0x42u8; 32];
        let make = || LessSafeKey::new(UnboundKey::new(alg, &key[..key_len]).expect("AEAD key"));
        Box::new(RawConnection {
            version: self.setup.version,
            // TLS 1.2 ChaCha20-Poly1305 has no explicit nonce (RFC 7905).
            explicit: match (self.setup.version, self.setup.aead) {
                (Version::Tls12, Aead::Aes128Gcm | Aead::Aes256Gcm) => EXPLICIT,
                _ => 0,
            },
            seal: make(),
            open: make(),
            iv: [0x24; 12],
            seal_seq: 0,
            open_seq: 0,
        })
    }
}

struct RawConnection {
    version: Version,
    explicit: usize,
    seal: LessSafeKey,
    open: LessSafeKey,
    iv: [u8; 12],
    seal_seq: u64,
    open_seq: u64,
}

const TAG: usize = 16;
const HEADER: usize = 5;
/// The TLS 1.2 AES-GCM explicit nonce.
const EXPLICIT: usize = 8;

impl RawConnection {
    fn nonce(&self, seq: u64) -> Nonce {
        let mut n = self.iv;
        for (b, s) in n[4..].iter_mut().zip(seq.to_be_bytes()) {
            *b ^= s;
        }
        Nonce::assume_unique_for_key(n)
    }
}

impl Connection for RawConnection {
    fn encrypt(&mut self, plain: &[u8], out: &mut [u8]) -> usize {
        let start = HEADER + self.explicit;
        let mut sealed = plain.len();
        out[start..start + sealed].copy_from_slice(plain);
        if self.version == Version::Tls13 {
            out[start + sealed] = 23; // inner content type: application_data
            sealed += 1;
        }
        let total = start + sealed + TAG;
        let body = (total - HEADER) as u16;
        let header = [23, 3, 3, (body >> 8) as u8, body as u8];
        out[..HEADER].copy_from_slice(&header);
        let seq = self.seal_seq;
        self.seal_seq += 1;
        let nonce = self.nonce(seq);
        let tag = match self.version {
            Version::Tls13 => self.seal.seal_in_place_separate_tag(
                nonce,
                Aad::from(header),
                &mut out[start..start + sealed],
            ),
            Version::Tls12 => {
                out[HEADER..start].copy_from_slice(&seq.to_be_bytes()[..self.explicit]);
                let aad = tls12_aad(seq, plain.len());
                self.seal.seal_in_place_separate_tag(
                    nonce,
                    Aad::from(aad),
                    &mut out[start..start + sealed],
                )
            }
        }
        .expect("seal");
        out[start + sealed..total].copy_from_slice(tag.as_ref());
        total
    }

    fn decrypt(&mut self, record: &mut [u8], _plain_out: &mut [u8]) -> usize {
        let start = HEADER + self.explicit;
        let seq = self.open_seq;
        self.open_seq += 1;
        let nonce = self.nonce(seq);
        let header: [u8; HEADER] = record[..HEADER].try_into().expect("header");
        let n = match self.version {
            Version::Tls13 => {
                let plain = self
                    .open
                    .open_in_place(nonce, Aad::from(header), &mut record[start..])
                    .expect("open");
                plain.len() - 1
            }
            Version::Tls12 => {
                let aad = tls12_aad(seq, record.len() - start - TAG);
                self.open
                    .open_in_place(nonce, Aad::from(aad), &mut record[start..])
                    .expect("open")
                    .len()
            }
        };
        n
    }

    fn shutdown(self: Box<Self>) {}

    fn into_sides(self: Box<Self>) -> (Box<dyn Any>, Box<dyn Any>) {
        (Box::new(self.seal), Box::new(self.open))
    }
}

/// The TLS 1.2 additional data: sequence number, type, version, plaintext length.
fn tls12_aad(seq: u64, len: usize) -> [u8; 13] {
    let mut aad = [0u8; 13];
    aad[..8].copy_from_slice(&seq.to_be_bytes());
    aad[8..11].copy_from_slice(&[23, 3, 3]);
    aad[11..].copy_from_slice(&(len as u16).to_be_bytes());
    aad
}
