//! Policy outcomes (error code, chain and element index) and the SSL name check.

use rcgen::{BasicConstraints, ExtendedKeyUsagePurpose, IsCa};

use super::super::chain::tests::{cand, leaf, now, root, sub};
use super::super::chain::{build, Pools, Request, Revocation};
use super::*;

fn pools(roots: &[Vec<u8>], others: &[Vec<u8>]) -> Pools {
    Pools {
        roots: roots.iter().map(|d| cand(d, 1)).collect(),
        others: others.iter().map(|d| cand(d, 2)).collect(),
        ..Pools::default()
    }
}

fn req() -> Request {
    Request {
        time: now(),
        ..Request::default()
    }
}

fn server(name: &str) -> SslPara {
    SslPara {
        auth_type: 2,
        checks: 0,
        server_name: Some(name.into()),
    }
}

#[test]
fn trusted_chain_passes_both_policies() {
    let ca = root("Root");
    let end = leaf(&["a.example"], &ca, |_| {});
    let b = build(cand(&end, 0), &pools(&[ca.der()], &[]), &req());
    assert_eq!(base(&b, 0), Outcome::OK);
    assert_eq!(ssl(&b, 0, Some(&server("a.example"))), Outcome::OK);
    assert_eq!(ssl(&b, 0, Some(&server("A.EXAMPLE."))), Outcome::OK);
    assert_eq!(ssl(&b, 0, None), Outcome::OK);
}

#[test]
fn untrusted_root_at_the_root_index_and_ignorable() {
    let ca = root("Root");
    let end = leaf(&["a.example"], &ca, |_| {});
    let b = build(cand(&end, 0), &pools(&[], &[ca.der()]), &req());
    assert_eq!(base(&b, 0), Outcome::at(CERT_E_UNTRUSTEDROOT, 1));
    assert_eq!(
        ssl(&b, 0, Some(&server("a.example"))),
        Outcome::at(CERT_E_UNTRUSTEDROOT, 1)
    );
    assert_eq!(base(&b, 0x10), Outcome::OK);
    let mut para = server("a.example");
    para.checks = 0x100;
    assert_eq!(ssl(&b, 0, Some(&para)), Outcome::OK);
}

#[test]
fn partial_chain_differs_between_base_and_ssl() {
    let ca = root("Root");
    let mid = sub("Mid", &ca, IsCa::Ca(BasicConstraints::Unconstrained));
    let end = leaf(&["a.example"], &mid, |_| {});
    let b = build(cand(&end, 0), &pools(&[ca.der()], &[]), &req());
    assert_eq!(base(&b, 0), Outcome::at(CERT_E_CHAINING, -1));
    assert_eq!(ssl(&b, 0, None), Outcome::at(CERT_E_UNTRUSTEDROOT, -1));
}

#[test]
fn signature_before_root_and_expiry() {
    let ca = root("Root");
    let mut end = leaf(&["a.example"], &ca, |p| {
        p.not_after = rcgen::date_time_ymd(2001, 1, 1);
        p.not_before = rcgen::date_time_ymd(2000, 1, 1);
    });
    let n = end.len();
    end[n - 2] ^= 1;
    let b = build(cand(&end, 0), &pools(&[], &[ca.der()]), &req());
    assert_eq!(base(&b, 0), Outcome::at(TRUST_E_CERT_SIGNATURE, 0));
}

#[test]
fn expired_leaf_with_matching_name_and_ignore_flags() {
    let ca = root("Root");
    let end = leaf(&["a.example"], &ca, |p| {
        p.not_before = rcgen::date_time_ymd(2000, 1, 1);
        p.not_after = rcgen::date_time_ymd(2001, 1, 1);
    });
    let b = build(cand(&end, 0), &pools(&[ca.der()], &[]), &req());
    assert_eq!(
        ssl(&b, 0, Some(&server("a.example"))),
        Outcome::at(CERT_E_EXPIRED, 0)
    );
    assert_eq!(base(&b, 0), Outcome::at(CERT_E_EXPIRED, 0));
    assert_eq!(base(&b, 1), Outcome::OK);
    let mut para = server("a.example");
    para.checks = 0x2000;
    assert_eq!(ssl(&b, 0, Some(&para)), Outcome::OK);
}

#[test]
fn wrong_name_after_trust_and_ignorable() {
    let ca = root("Root");
    let end = leaf(&["a.example"], &ca, |_| {});
    let b = build(cand(&end, 0), &pools(&[ca.der()], &[]), &req());
    assert_eq!(
        ssl(&b, 0, Some(&server("b.example"))),
        Outcome::at(CERT_E_CN_NO_MATCH, 0)
    );
    let mut para = server("b.example");
    para.checks = 0x1000;
    assert_eq!(ssl(&b, 0, Some(&para)), Outcome::OK);
    // A client's chain is not name-checked.
    para.checks = 0;
    para.auth_type = AUTHTYPE_CLIENT;
    assert_eq!(ssl(&b, 0, Some(&para)), Outcome::OK);
    // The base policy has no name.
    assert_eq!(base(&b, 0), Outcome::OK);
}

#[test]
fn server_auth_usage_for_servers_client_auth_for_clients() {
    let ca = root("Root");
    let end = leaf(&["a.example"], &ca, |p| {
        p.extended_key_usages = vec![ExtendedKeyUsagePurpose::ClientAuth]
    });
    let b = build(cand(&end, 0), &pools(&[ca.der()], &[]), &req());
    assert_eq!(
        ssl(&b, 0, Some(&server("a.example"))),
        Outcome::at(CERT_E_WRONG_USAGE, 0)
    );
    let mut para = server("a.example");
    para.auth_type = AUTHTYPE_CLIENT;
    assert_eq!(ssl(&b, 0, Some(&para)), Outcome::OK);
    para.auth_type = 2;
    para.checks = 0x200;
    assert_eq!(ssl(&b, 0, Some(&para)), Outcome::OK);
}

#[test]
fn revocation_unknown_maps_to_offline() {
    let ca = root("Root");
    let end = leaf(&["a.example"], &ca, |_| {});
    let mut r = req();
    r.revocation = Revocation::Chain;
    let b = build(cand(&end, 0), &pools(&[ca.der()], &[]), &r);
    assert_eq!(base(&b, 0), Outcome::at(CRYPT_E_REVOCATION_OFFLINE, 0));
    assert_eq!(base(&b, 0x100), Outcome::OK);
    let mut para = server("a.example");
    para.checks = 0x80;
    assert_eq!(ssl(&b, 0, Some(&para)), Outcome::OK);
}

#[test]
fn name_matching_rules() {
    let ca = root("Root");
    let f = |names: &[&str]| Facts::parse(&leaf(names, &ca, |_| {})).unwrap();
    let wild = f(&["*.example.com"]);
    assert!(name_matches(&wild, "www.example.com"));
    assert!(name_matches(&wild, "WWW.Example.COM"));
    assert!(!name_matches(&wild, "example.com"));
    assert!(!name_matches(&wild, "a.b.example.com"));
    let tld = f(&["*.com"]);
    assert!(!name_matches(&tld, "example.com"));
    // The second SAN counts as much as the first.
    let multi = f(&["one.example", "two.example"]);
    assert!(name_matches(&multi, "two.example"));
    // IP literals match iPAddress SANs only, never dNSName text.
    let ip = f(&["127.0.0.1", "::1", "localhost"]);
    assert!(name_matches(&ip, "127.0.0.1"));
    assert!(name_matches(&ip, "::1"));
    assert!(name_matches(&ip, "[::1]"));
    assert!(!name_matches(&ip, "127.0.0.2"));
    // CN is used only without any subjectAltName: rcgen always writes a SAN when given
    // names, so build one with a CN and no SAN.
    let no_san = Facts::parse(&leaf(&[], &ca, |p| {
        p.distinguished_name
            .push(rcgen::DnType::CommonName, "cn.example");
    }))
    .unwrap();
    assert!(!no_san.has_san);
    assert!(name_matches(&no_san, "cn.example"));
    // With a SAN, the CN is ignored.
    let with_san = Facts::parse(&leaf(&["san.example"], &ca, |p| {
        p.distinguished_name
            .push(rcgen::DnType::CommonName, "cn.example");
    }))
    .unwrap();
    assert!(!name_matches(&with_san, "cn.example"));
}
