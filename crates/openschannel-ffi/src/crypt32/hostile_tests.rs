//! The decoders' fuzz bodies over deterministic mutations of valid inputs (bit flips,
//! truncations, insertions, length-byte damage): none may panic, and every allocation they
//! hand out is released (the bodies free what they get).

use super::der;

/// A small deterministic generator (xorshift), so failures reproduce.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

fn mutate(rng: &mut Rng, seed: &[u8]) -> Vec<u8> {
    let mut v = seed.to_vec();
    for _ in 0..=rng.below(3) {
        match rng.below(5) {
            0 if !v.is_empty() => {
                let i = rng.below(v.len());
                v[i] ^= 1 << rng.below(8);
            }
            1 => v.truncate(rng.below(v.len() + 1)),
            2 => {
                let i = rng.below(v.len() + 1);
                v.insert(i, rng.next() as u8);
            }
            3 if v.len() > 1 => {
                // Damage a length octet: DER lengths follow tags.
                let i = 1 + rng.below(v.len() - 1);
                v[i] = [0x00, 0x7f, 0x80, 0x81, 0x84, 0xff][rng.below(6)];
            }
            _ => {
                let i = rng.below(v.len() + 1);
                let j = rng.below(v.len() + 1);
                let (a, b) = (i.min(j), i.max(j));
                let copy = v[a..b].to_vec();
                v.splice(a..a, copy);
            }
        }
    }
    v
}

fn seeds() -> Vec<Vec<u8>> {
    use rcgen::{CertificateParams, DnType, KeyPair, SanType};
    let key = KeyPair::generate_for(&rcgen::PKCS_ECDSA_P256_SHA256).unwrap();
    let mut params = CertificateParams::new(vec!["a.example".into()]).unwrap();
    params
        .subject_alt_names
        .push(SanType::IpAddress("::1".parse().unwrap()));
    params
        .distinguished_name
        .push(DnType::CommonName, "hostile");
    params
        .distinguished_name
        .push(DnType::OrganizationName, "openschannel");
    let cert = params.self_signed(&key).unwrap();
    let d = super::CertData::parse(cert.der().to_vec()).unwrap();
    let san = d.extension_value(&["2.5.29.17"]).unwrap().to_vec();
    vec![
        cert.der().to_vec(),
        cert.pem().into_bytes(),
        san,
        d.subject_der().to_vec(),
        key.serialize_der(),
        der::encode(0x30, &[0x01, 0x01, 0xff, 0x02, 0x01, 0x05]),
        der::encode(0x03, &[0x05, 0xa0]),
    ]
}

#[test]
fn mutated_inputs_never_panic() {
    let mut rng = Rng(0x5eed_1234_abcd_0001);
    for seed in seeds() {
        super::decode::fuzz_decode(&seed);
        super::query::fuzz_query(&seed);
        super::strings::fuzz_string_to_binary(&seed);
        super::names::fuzz_name_to_str(&seed);
        for _ in 0..300 {
            let input = mutate(&mut rng, &seed);
            super::decode::fuzz_decode(&input);
            super::query::fuzz_query(&input);
            super::strings::fuzz_string_to_binary(&input);
            super::names::fuzz_name_to_str(&input);
            crate::capi::keys::fuzz_key_blob(&input);
        }
    }
}
