//! `tls-server-end-point` channel bindings (RFC 5929 §4.1): the hash of the server's
//! certificate, with the hash function of the certificate's own signature algorithm — MD5 and
//! SHA-1 upgraded to SHA-256.

use crate::der::tlv;
#[cfg(feature = "aws-lc-rs")]
use aws_lc_rs::digest;
#[cfg(all(feature = "ring", not(feature = "aws-lc-rs")))]
use ring::digest;

/// The hash functions RFC 5929 can select.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum EndPointHash {
    Sha256,
    Sha384,
    Sha512,
}

const SEQUENCE: u8 = 0x30;
const OID: u8 = 0x06;

// Signature algorithm OIDs (DER content bytes).
const RSA_PKCS1_PREFIX: &[u8] = &[0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x01];
const ECDSA_SHA2_PREFIX: &[u8] = &[0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x04, 0x03];
const HASH_PREFIX: &[u8] = &[0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02];
const DSA_SHA2_PREFIX: &[u8] = &[0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x03];

/// The hash the certificate's `signatureAlgorithm` uses, per RFC 5929 (MD5, SHA-1 and
/// anything unrecognised or hash-less, such as Ed25519, give SHA-256).
pub(crate) fn end_point_hash(cert_der: &[u8]) -> EndPointHash {
    signature_hash(cert_der).unwrap_or(EndPointHash::Sha256)
}

fn signature_hash(cert_der: &[u8]) -> Option<EndPointHash> {
    let (SEQUENCE, cert, _) = tlv(cert_der)? else {
        return None;
    };
    let (SEQUENCE, _tbs, rest) = tlv(cert)? else {
        return None;
    };
    let (SEQUENCE, alg, _) = tlv(rest)? else {
        return None;
    };
    let (OID, oid, params) = tlv(alg)? else {
        return None;
    };
    let by_last = |last: u8| match last {
        // sha384WithRSAEncryption / sha512WithRSAEncryption (MD5, SHA-1, SHA-224 and SHA-256
        // variants all give SHA-256)
        0x0C => Some(EndPointHash::Sha384),
        0x0D => Some(EndPointHash::Sha512),
        _ => None,
    };
    if let Some(rest) = oid.strip_prefix(RSA_PKCS1_PREFIX) {
        return match rest {
            [0x0A] => pss_hash(params),
            [last] => by_last(*last),
            _ => None,
        };
    }
    if let Some([last]) = oid
        .strip_prefix(ECDSA_SHA2_PREFIX)
        .or_else(|| oid.strip_prefix(DSA_SHA2_PREFIX))
    {
        return match last {
            3 => Some(EndPointHash::Sha384),
            4 => Some(EndPointHash::Sha512),
            _ => None,
        };
    }
    None
}

/// RSASSA-PSS: the hash in the parameters (`[0] hashAlgorithm`, default SHA-1).
fn pss_hash(params: &[u8]) -> Option<EndPointHash> {
    let (SEQUENCE, params, _) = tlv(params)? else {
        return None;
    };
    let (0xA0, hash_alg, _) = tlv(params)? else {
        return None; // absent: SHA-1 → SHA-256
    };
    let (SEQUENCE, hash_alg, _) = tlv(hash_alg)? else {
        return None;
    };
    let (OID, oid, _) = tlv(hash_alg)? else {
        return None;
    };
    match oid.strip_prefix(HASH_PREFIX)? {
        [2] => Some(EndPointHash::Sha384),
        [3] => Some(EndPointHash::Sha512),
        _ => None,
    }
}

/// The `tls-server-end-point` channel-binding value of a server certificate (DER).
pub(crate) fn server_end_point(cert_der: &[u8]) -> Vec<u8> {
    let algorithm = match end_point_hash(cert_der) {
        EndPointHash::Sha256 => &digest::SHA256,
        EndPointHash::Sha384 => &digest::SHA384,
        EndPointHash::Sha512 => &digest::SHA512,
    };
    digest::digest(algorithm, cert_der).as_ref().to_vec()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A certificate skeleton with the given signatureAlgorithm content.
    fn cert_with(alg: &[u8]) -> Vec<u8> {
        let tbs = [SEQUENCE, 0];
        let mut alg_seq = vec![SEQUENCE, alg.len() as u8];
        alg_seq.extend_from_slice(alg);
        let mut body = tbs.to_vec();
        body.extend_from_slice(&alg_seq);
        body.extend_from_slice(&[0x03, 1, 0]);
        let mut cert = vec![SEQUENCE, body.len() as u8];
        cert.extend_from_slice(&body);
        cert
    }

    fn oid(bytes: &[u8]) -> Vec<u8> {
        let mut v = vec![OID, bytes.len() as u8];
        v.extend_from_slice(bytes);
        v
    }

    #[test]
    fn hashes_follow_rfc_5929() {
        let rsa = |last: u8| {
            let mut o = RSA_PKCS1_PREFIX.to_vec();
            o.push(last);
            cert_with(&oid(&o))
        };
        assert_eq!(end_point_hash(&rsa(0x04)), EndPointHash::Sha256); // MD5
        assert_eq!(end_point_hash(&rsa(0x05)), EndPointHash::Sha256); // SHA-1
        assert_eq!(end_point_hash(&rsa(0x0B)), EndPointHash::Sha256);
        assert_eq!(end_point_hash(&rsa(0x0C)), EndPointHash::Sha384);
        assert_eq!(end_point_hash(&rsa(0x0D)), EndPointHash::Sha512);
        let ecdsa = |last: u8| {
            let mut o = ECDSA_SHA2_PREFIX.to_vec();
            o.push(last);
            cert_with(&oid(&o))
        };
        assert_eq!(end_point_hash(&ecdsa(2)), EndPointHash::Sha256);
        assert_eq!(end_point_hash(&ecdsa(3)), EndPointHash::Sha384);
        assert_eq!(end_point_hash(&ecdsa(4)), EndPointHash::Sha512);
        // Ed25519 has no separate hash: SHA-256.
        assert_eq!(
            end_point_hash(&cert_with(&oid(&[0x2B, 0x65, 0x70]))),
            EndPointHash::Sha256
        );
        // RSASSA-PSS with SHA-384 in its parameters.
        let mut pss = RSA_PKCS1_PREFIX.to_vec();
        pss.push(0x0A);
        let mut hash = oid(&[HASH_PREFIX, &[2]].concat());
        hash.extend_from_slice(&[0x05, 0]);
        let mut hash_seq = vec![SEQUENCE, hash.len() as u8];
        hash_seq.extend_from_slice(&hash);
        let mut tagged = vec![0xA0, hash_seq.len() as u8];
        tagged.extend_from_slice(&hash_seq);
        let mut params = vec![SEQUENCE, tagged.len() as u8];
        params.extend_from_slice(&tagged);
        let mut alg = oid(&pss);
        alg.extend_from_slice(&params);
        assert_eq!(end_point_hash(&cert_with(&alg)), EndPointHash::Sha384);
        // Garbage: SHA-256.
        assert_eq!(end_point_hash(b"nonsense"), EndPointHash::Sha256);
        assert_eq!(server_end_point(b"x").len(), 32);
    }
}
