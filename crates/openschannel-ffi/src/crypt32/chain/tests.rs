//! Trust statuses of built chains, one test per status.

use std::sync::Arc;

use rcgen::{
    BasicConstraints, CertificateParams, CertifiedIssuer, DnType, ExtendedKeyUsagePurpose, IsCa,
    KeyPair,
};

use super::*;

pub(crate) struct Ca {
    pub(crate) issuer: CertifiedIssuer<'static, KeyPair>,
}

impl Ca {
    pub(crate) fn der(&self) -> Vec<u8> {
        self.issuer.der().to_vec()
    }
}

fn ca_params(name: &str, ca: IsCa) -> CertificateParams {
    let mut p = CertificateParams::new(Vec::<String>::new()).unwrap();
    p.is_ca = ca;
    p.distinguished_name.push(DnType::CommonName, name);
    p
}

/// A self-signed CA.
pub(crate) fn root(name: &str) -> Ca {
    let key = KeyPair::generate_for(&rcgen::PKCS_ECDSA_P256_SHA256).unwrap();
    Ca {
        issuer: CertifiedIssuer::self_signed(
            ca_params(name, IsCa::Ca(BasicConstraints::Unconstrained)),
            key,
        )
        .unwrap(),
    }
}

/// A CA (or, with `IsCa::ExplicitNoCa`, a non-CA) signed by `parent`.
pub(crate) fn sub(name: &str, parent: &Ca, ca: IsCa) -> Ca {
    let key = KeyPair::generate_for(&rcgen::PKCS_ECDSA_P256_SHA256).unwrap();
    Ca {
        issuer: CertifiedIssuer::signed_by(ca_params(name, ca), key, &parent.issuer).unwrap(),
    }
}

/// An end certificate for `names`, adjusted by `f`.
pub(crate) fn leaf(names: &[&str], parent: &Ca, f: impl FnOnce(&mut CertificateParams)) -> Vec<u8> {
    let key = KeyPair::generate_for(&rcgen::PKCS_ECDSA_P256_SHA256).unwrap();
    let mut p =
        CertificateParams::new(names.iter().map(|s| s.to_string()).collect::<Vec<_>>()).unwrap();
    p.distinguished_name
        .push(DnType::CommonName, names.first().copied().unwrap_or("leaf"));
    f(&mut p);
    p.signed_by(&key, &parent.issuer).unwrap().der().to_vec()
}

pub(crate) fn cand(der: &[u8], id: usize) -> Candidate {
    Candidate {
        id,
        facts: Arc::new(Facts::parse(der).expect("certificate")),
    }
}

pub(crate) fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}

fn request() -> Request {
    Request {
        time: now(),
        ..Request::default()
    }
}

fn trusting(roots: &[&Ca], others: &[Vec<u8>]) -> Pools {
    Pools {
        roots: roots
            .iter()
            .enumerate()
            .map(|(i, r)| cand(&r.der(), 100 + i))
            .collect(),
        others: others
            .iter()
            .enumerate()
            .map(|(i, d)| cand(d, 200 + i))
            .collect(),
        ..Pools::default()
    }
}

fn statuses(b: &Built) -> Vec<(u32, u32)> {
    b.elements.iter().map(|e| (e.error, e.info)).collect()
}

const NAME: u32 = info::HAS_NAME_MATCH_ISSUER | info::HAS_PREFERRED_ISSUER;
const KEY: u32 = info::HAS_KEY_MATCH_ISSUER | info::HAS_PREFERRED_ISSUER;
const ROOT: u32 = NAME | info::IS_SELF_SIGNED;

#[test]
fn trusted_chain_has_no_error() {
    let ca = root("Root");
    let end = leaf(&["a.example"], &ca, |_| {});
    let b = build(cand(&end, 1), &trusting(&[&ca], &[]), &request());
    assert_eq!(statuses(&b), vec![(0, NAME), (0, ROOT)]);
    assert_eq!(b.elements[1].cert.id, 100);
    assert_eq!((b.error, b.info), (0, info::HAS_PREFERRED_ISSUER));
}

#[test]
fn key_identifier_gives_key_match() {
    let ca = root("Root");
    let end = leaf(&["a.example"], &ca, |p| {
        p.use_authority_key_identifier_extension = true
    });
    let b = build(cand(&end, 1), &trusting(&[&ca], &[]), &request());
    assert_eq!(statuses(&b), vec![(0, KEY), (0, ROOT)]);
}

#[test]
fn untrusted_root_is_flagged_on_the_root() {
    let ca = root("Root");
    let end = leaf(&["a.example"], &ca, |_| {});
    let pools = trusting(&[], &[ca.der()]);
    let b = build(cand(&end, 1), &pools, &request());
    assert_eq!(
        statuses(&b),
        vec![(0, NAME), (error::IS_UNTRUSTED_ROOT, ROOT)]
    );
    assert_eq!(b.error, error::IS_UNTRUSTED_ROOT);
}

#[test]
fn missing_issuer_is_a_partial_chain_at_chain_level_only() {
    let ca = root("Root");
    let mid = sub("Mid", &ca, IsCa::Ca(BasicConstraints::Unconstrained));
    let end = leaf(&["a.example"], &mid, |_| {});
    let b = build(cand(&end, 1), &trusting(&[&ca], &[]), &request());
    assert_eq!(statuses(&b), vec![(0, NAME)]);
    assert_eq!(b.error, error::IS_PARTIAL_CHAIN);
    // Supplied as an additional certificate, the intermediate completes the chain.
    let b = build(cand(&end, 1), &trusting(&[&ca], &[mid.der()]), &request());
    assert_eq!(statuses(&b), vec![(0, NAME), (0, NAME), (0, ROOT)]);
    assert_eq!(b.error, 0);
}

#[test]
fn expired_and_not_yet_valid_certificates() {
    let ca = root("Root");
    let expired = leaf(&["a.example"], &ca, |p| {
        p.not_before = rcgen::date_time_ymd(2000, 1, 1);
        p.not_after = rcgen::date_time_ymd(2001, 1, 1);
    });
    let b = build(cand(&expired, 1), &trusting(&[&ca], &[]), &request());
    assert_eq!(
        statuses(&b),
        vec![(error::IS_NOT_TIME_VALID, NAME), (0, ROOT)]
    );
    assert_eq!(b.error, error::IS_NOT_TIME_VALID);
    let mut early = request();
    early.time = 0;
    let fresh = leaf(&["a.example"], &ca, |_| {});
    let b = build(cand(&fresh, 1), &trusting(&[&ca], &[]), &early);
    assert!(b
        .elements
        .iter()
        .all(|e| e.error == error::IS_NOT_TIME_VALID));
}

#[test]
fn bad_signature_is_flagged_on_the_subject() {
    let ca = root("Root");
    let mut end = leaf(&["a.example"], &ca, |_| {});
    let n = end.len();
    end[n - 3] ^= 0x55;
    let b = build(cand(&end, 1), &trusting(&[&ca], &[]), &request());
    assert_eq!(
        statuses(&b),
        vec![(error::IS_NOT_SIGNATURE_VALID, NAME), (0, ROOT)]
    );
    // A root whose self-signature fails.
    let other = root("Root");
    let mut forged = other.der();
    let n = forged.len();
    forged[n - 3] ^= 0x55;
    let b = build(cand(&forged, 1), &Pools::default(), &request());
    assert_eq!(
        statuses(&b),
        vec![(
            error::IS_NOT_SIGNATURE_VALID | error::IS_UNTRUSTED_ROOT,
            ROOT
        )]
    );
}

#[test]
fn a_signature_that_verifies_is_preferred_among_same_named_issuers() {
    let ca = root("Root");
    let impostor = root("Root");
    let end = leaf(&["a.example"], &ca, |_| {});
    let pools = trusting(&[&impostor, &ca], &[]);
    let b = build(cand(&end, 1), &pools, &request());
    assert_eq!(b.elements[1].cert.id, 101);
    assert_eq!(b.error, 0);
}

#[test]
fn non_ca_issuer_breaks_basic_constraints() {
    let ca = root("Root");
    let not_ca = sub("NotCA", &ca, IsCa::ExplicitNoCa);
    let end = leaf(&["a.example"], &not_ca, |_| {});
    let b = build(
        cand(&end, 1),
        &trusting(&[&ca], &[not_ca.der()]),
        &request(),
    );
    assert_eq!(
        statuses(&b),
        vec![
            (0, NAME),
            (error::INVALID_BASIC_CONSTRAINTS, NAME),
            (0, ROOT)
        ]
    );
}

#[test]
fn path_length_is_enforced() {
    let ca = root("Root");
    let m1 = sub("M1", &ca, IsCa::Ca(BasicConstraints::Constrained(0)));
    let m2 = sub("M2", &m1, IsCa::Ca(BasicConstraints::Unconstrained));
    let end = leaf(&["a.example"], &m2, |_| {});
    let b = build(
        cand(&end, 1),
        &trusting(&[&ca], &[m1.der(), m2.der()]),
        &request(),
    );
    assert_eq!(b.elements.len(), 4);
    assert_eq!(b.elements[2].error, error::INVALID_BASIC_CONSTRAINTS);
    assert_eq!(b.elements[1].error, 0);
}

#[test]
fn requested_usage_and_or() {
    let ca = root("Root");
    let client_only = leaf(&["a.example"], &ca, |p| {
        p.extended_key_usages = vec![ExtendedKeyUsagePurpose::ClientAuth]
    });
    let pools = trusting(&[&ca], &[]);
    let mut req = request();
    req.usage = Usage {
        all: true,
        oids: vec!["1.3.6.1.5.5.7.3.1".into()],
    };
    let b = build(cand(&client_only, 1), &pools, &req);
    assert_eq!(
        statuses(&b),
        vec![(error::IS_NOT_VALID_FOR_USAGE, NAME), (0, ROOT)]
    );
    req.usage = Usage {
        all: false,
        oids: vec!["1.3.6.1.5.5.7.3.1".into(), "1.3.6.1.5.5.7.3.2".into()],
    };
    assert_eq!(build(cand(&client_only, 1), &pools, &req).error, 0);
    req.usage.all = true;
    assert_eq!(
        build(cand(&client_only, 1), &pools, &req).error,
        error::IS_NOT_VALID_FOR_USAGE
    );
}

#[test]
fn revocation_requested_is_unknown_except_on_the_root() {
    let ca = root("Root");
    let end = leaf(&["a.example"], &ca, |_| {});
    let pools = trusting(&[&ca], &[]);
    let unknown = error::REVOCATION_STATUS_UNKNOWN | error::IS_OFFLINE_REVOCATION;
    for (rev, want) in [
        (Revocation::None, vec![0, 0]),
        (Revocation::EndCert, vec![unknown, 0]),
        (Revocation::Chain, vec![unknown, 0]),
        (Revocation::ChainExcludeRoot, vec![unknown, 0]),
    ] {
        let mut req = request();
        req.revocation = rev;
        let b = build(cand(&end, 1), &pools, &req);
        assert_eq!(
            b.elements.iter().map(|e| e.error).collect::<Vec<_>>(),
            want,
            "{rev:?}"
        );
    }
}

#[test]
fn exclusive_ca_anchor_needs_the_flag() {
    let ca = root("Root");
    let mid = sub("Mid", &ca, IsCa::Ca(BasicConstraints::Unconstrained));
    let end = leaf(&["a.example"], &mid, |_| {});
    let mut pools = Pools {
        roots: vec![cand(&mid.der(), 7)],
        exclusive: true,
        ..Pools::default()
    };
    let b = build(cand(&end, 1), &pools, &request());
    assert_eq!(b.elements.len(), 2);
    assert_eq!(b.error, error::IS_PARTIAL_CHAIN);
    pools.ca_anchors = true;
    let b = build(cand(&end, 1), &pools, &request());
    assert_eq!(b.error, 0);
    assert_eq!(
        b.elements[1].info & info::IS_CA_TRUSTED,
        info::IS_CA_TRUSTED
    );
    assert_ne!(b.info & info::IS_FROM_EXCLUSIVE_TRUST_STORE, 0);
}

#[test]
fn trusted_people_end_the_chain_at_the_end_certificate() {
    let ca = root("Root");
    let end = leaf(&["a.example"], &ca, |_| {});
    let pools = Pools {
        trusted_people: vec![cand(&end, 9)],
        ..Pools::default()
    };
    let b = build(cand(&end, 1), &pools, &request());
    assert_eq!(b.elements.len(), 1);
    assert_eq!(b.error, 0);
    assert_ne!(b.elements[0].info & info::IS_PEER_TRUSTED, 0);
}

#[test]
fn cycles_end_as_partial_chains() {
    // Two CAs that name each other as issuer (cross-signed without a root).
    let a = root("A");
    let b_ca = sub("B", &a, IsCa::Ca(BasicConstraints::Unconstrained));
    let a_by_b = sub("A", &b_ca, IsCa::Ca(BasicConstraints::Unconstrained));
    let end = leaf(&["x.example"], &b_ca, |_| {});
    let pools = trusting(&[], &[b_ca.der(), a_by_b.der()]);
    let b = build(cand(&end, 1), &pools, &request());
    assert!(b.elements.len() <= 3);
    assert_eq!(b.error & error::IS_PARTIAL_CHAIN, error::IS_PARTIAL_CHAIN);
}

#[test]
fn garbage_is_not_a_certificate() {
    assert!(Facts::parse(&[0x30, 0x03, 1, 2, 3]).is_none());
    assert!(Facts::parse(&[]).is_none());
    assert!(tlv(&[0x30, 0x84, 0xff, 0xff, 0xff, 0xff]).is_none());
    assert!(tlv(&[0x30, 0x80]).is_none());
}

#[test]
fn many_same_named_impostors_do_not_stall_the_build() {
    let ca = root("Root");
    let end = leaf(&["a.example"], &ca, |_| {});
    // 200 certificates named like the issuer, none with its key: bounded work, and the
    // subject is reported with a signature that does not verify.
    let impostors: Vec<Vec<u8>> = (0..200).map(|_| root("Root").der()).collect();
    let pools = trusting(&[], &impostors);
    let start = std::time::Instant::now();
    let b = build(cand(&end, 1), &pools, &request());
    assert!(start.elapsed() < std::time::Duration::from_secs(10));
    assert_eq!(b.elements.len(), 2);
    assert_ne!(b.elements[0].error & error::IS_NOT_SIGNATURE_VALID, 0);
}

#[test]
fn mutated_certificates_never_panic() {
    let ca = root("Root");
    let end = leaf(&["a.example"], &ca, |p| {
        p.use_authority_key_identifier_extension = true
    });
    let pools = trusting(&[&ca], &[]);
    let req = request();
    let mut parsed = 0;
    for i in 0..end.len() {
        for variant in [end[..i].to_vec(), {
            let mut v = end.clone();
            v[i] ^= 0xff;
            v
        }] {
            if let Some(f) = Facts::parse(&variant) {
                parsed += 1;
                let b = build(
                    Candidate {
                        id: 1,
                        facts: Arc::new(f),
                    },
                    &pools,
                    &req,
                );
                assert!(!b.elements.is_empty());
            }
        }
    }
    // Flipping bytes inside the signature or names still parses (and then fails to verify).
    assert!(parsed > 0);
}
