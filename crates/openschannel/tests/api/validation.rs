//! Automatic certificate validation with Windows' verdicts (contract §3.2, §5.5, §10): the
//! status on the validating side, and the alert the other side receives (mapped per §3.3).
//! Manual validation, the name-check switch and IP-address targets.

use openschannel_test_support as common;

use common::{Authority, Endpoint, KeyKind, LeafSpec, Wire};
use openschannel::{
    Certificate, ContextOptions, Credentials, PrivateKey, Protocols, SecurityContext,
    ServerValidation, Status,
};
use rcgen::{BasicConstraints, CertificateParams, DnType, IsCa, KeyPair, PKCS_ECDSA_P256_SHA256};

const BOTH: [Protocols; 2] = [Protocols::TLS12_ONLY, Protocols::TLS13_ONLY];

struct Ca(Authority);

impl Ca {
    fn new(name: &str) -> Self {
        Self(Authority::new(name))
    }

    fn cert(&self) -> Certificate {
        self.0.certificate()
    }

    /// A leaf for `sans`, adjusted by `edit`, with its chain (leaf, CA).
    fn leaf(&self, sans: &[&str], edit: impl FnOnce(&mut CertificateParams)) -> Identity {
        let spec = LeafSpec {
            names: sans,
            common_name: sans.first().copied().unwrap_or("leaf"),
            usage: None,
            key: KeyKind::EcdsaP256,
            expired: false,
        };
        let leaf = self.0.issue_with(&spec, edit);
        Identity {
            chain: vec![Certificate::from_der(leaf.der), self.cert()],
            key: PrivateKey::from_der(&leaf.key_der).unwrap(),
        }
    }
}

struct Identity {
    chain: Vec<Certificate>,
    key: PrivateKey,
}

fn server(id: &Identity, protocols: Protocols) -> Credentials {
    Credentials::server(id.chain.clone(), id.key.clone())
        .protocols(protocols)
        .build()
        .unwrap()
}

fn client(roots: Vec<Certificate>, protocols: Protocols) -> Credentials {
    Credentials::client()
        .protocols(protocols)
        .validation(ServerValidation::Roots(roots))
        .build()
        .unwrap()
}

/// Runs a handshake to `target`; returns (client result, server result, ClientHello bytes).
fn run(
    c: &Credentials,
    s: &Credentials,
    target: &str,
    options: ContextOptions,
) -> (Result<(), Status>, Result<(), Status>, Vec<u8>) {
    let ctx = SecurityContext::client(c, Some(target), options).unwrap();
    let mut client = Endpoint::new(ctx, usize::MAX);
    let mut server = Endpoint::server(s, usize::MAX);
    let (mut c2s, mut s2c) = (Wire::default(), Wire::default());
    let (mut cr, mut sr) = (None, None);
    for _ in 0..20 {
        if cr.is_none() && !client.handshake_done {
            cr = client.handshake_step(&mut s2c, &mut c2s).err();
        }
        if sr.is_none() && !server.handshake_done {
            sr = server.handshake_step(&mut c2s, &mut s2c).err();
        }
        let client_over = client.handshake_done || cr.is_some();
        let server_over = server.handshake_done || sr.is_some();
        if client_over && server_over {
            break;
        }
    }
    let hello = c2s.log.clone();
    (cr.map_or(Ok(()), Err), sr.map_or(Ok(()), Err), hello)
}

#[test]
fn a_trusted_chain_is_accepted() {
    let ca = Ca::new("trusted CA");
    let id = ca.leaf(&["localhost"], |_| {});
    for p in BOTH {
        let (c, s, _) = run(
            &client(vec![ca.cert()], p),
            &server(&id, p),
            "localhost",
            Default::default(),
        );
        assert_eq!((c, s), (Ok(()), Ok(())), "{p:?}");
    }
}

/// The verdicts a client reaches and what the server hears.
fn verdict(roots: Vec<Certificate>, id: &Identity, target: &str) -> Vec<(Status, Status)> {
    BOTH.iter()
        .map(|&p| {
            let (c, s, _) = run(
                &client(roots.clone(), p),
                &server(id, p),
                target,
                Default::default(),
            );
            (c.unwrap_err(), s.unwrap_err())
        })
        .collect()
}

#[test]
fn an_untrusted_chain_is_sec_e_untrusted_root_and_unknown_ca() {
    let ca = Ca::new("some CA");
    let other = Ca::new("another CA");
    let id = ca.leaf(&["localhost"], |_| {});
    for v in verdict(vec![other.cert()], &id, "localhost") {
        assert_eq!(
            v,
            (Status::SEC_E_UNTRUSTED_ROOT, Status::SEC_E_UNTRUSTED_ROOT)
        );
    }
}

#[test]
fn an_empty_set_of_trust_anchors_trusts_nothing() {
    // An empty hRootStore: the credential is usable, every chain is untrusted.
    let ca = Ca::new("CA");
    let id = ca.leaf(&["localhost"], |_| {});
    for v in verdict(Vec::new(), &id, "localhost") {
        assert_eq!(
            v,
            (Status::SEC_E_UNTRUSTED_ROOT, Status::SEC_E_UNTRUSTED_ROOT)
        );
    }
}

#[test]
fn an_issuer_whose_signature_does_not_verify_is_untrusted() {
    // Same name, different key: the issuer is found by name, its signature does not verify.
    let real = Ca::new("twin CA");
    let twin = Ca::new("twin CA");
    let id = real.leaf(&["localhost"], |_| {});
    let mut server_chain_without_ca = id.chain.clone();
    server_chain_without_ca.truncate(1);
    let id = Identity {
        chain: server_chain_without_ca,
        key: id.key,
    };
    for v in verdict(vec![twin.cert()], &id, "localhost") {
        assert_eq!(
            v,
            (Status::SEC_E_UNTRUSTED_ROOT, Status::SEC_E_UNTRUSTED_ROOT)
        );
    }
}

/// A self-signed certificate with CA:TRUE for `localhost` (what `openssl req -x509` makes by
/// default), valid from `not_before` to `not_after`, with its key.
fn self_signed_ca_leaf(years: (i32, i32)) -> Identity {
    let mut params = CertificateParams::new(vec!["localhost".to_string()]).unwrap();
    params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    params
        .distinguished_name
        .push(DnType::CommonName, "localhost");
    params.not_before = rcgen::date_time_ymd(years.0, 1, 1);
    params.not_after = rcgen::date_time_ymd(years.1, 1, 1);
    let key = KeyPair::generate_for(&PKCS_ECDSA_P256_SHA256).unwrap();
    let cert = params.self_signed(&key).unwrap();
    Identity {
        chain: vec![Certificate::from_der(cert.der().to_vec())],
        key: PrivateKey::from_der(&key.serialize_der()).unwrap(),
    }
}

/// The client's and server's verdicts for a server using `id` against trust anchors `roots`.
fn verdicts(
    roots: &[Certificate],
    id: &Identity,
    target: &str,
) -> Vec<(Result<(), Status>, Result<(), Status>)> {
    BOTH.iter()
        .map(|&p| {
            let (c, s, _) = run(
                &client(roots.to_vec(), p),
                &server(id, p),
                target,
                Default::default(),
            );
            (c, s)
        })
        .collect()
}

#[test]
fn a_trust_anchor_used_as_the_server_certificate_is_trusted() {
    // Windows' chain engine and OpenSSL accept a peer certificate that is itself a trust
    // anchor, even self-signed with CA:TRUE; webpki alone would call it CaUsedAsEndEntity.
    let id = self_signed_ca_leaf((2020, 2090));
    let anchor = id.chain[0].clone();
    for v in verdicts(std::slice::from_ref(&anchor), &id, "localhost") {
        assert_eq!(v, (Ok(()), Ok(())));
    }
    // Among other anchors too.
    let other = Ca::new("another CA");
    for v in verdicts(&[other.cert(), anchor.clone()], &id, "localhost") {
        assert_eq!(v, (Ok(()), Ok(())));
    }
    // The name is still checked...
    for v in verdicts(std::slice::from_ref(&anchor), &id, "other.example") {
        assert_eq!(
            v,
            (
                Err(Status::SEC_E_WRONG_PRINCIPAL),
                Err(Status::SEC_E_CERT_UNKNOWN)
            )
        );
    }
    // ...and so is the time.
    for years in [(2019, 2020), (2098, 2099)] {
        let id = self_signed_ca_leaf(years);
        let anchor = id.chain[0].clone();
        for v in verdicts(&[anchor], &id, "localhost") {
            assert_eq!(
                v,
                (
                    Err(Status::SEC_E_CERT_EXPIRED),
                    Err(Status::SEC_E_CERT_EXPIRED)
                )
            );
        }
    }
}

#[test]
fn a_self_signed_ca_certificate_that_is_not_an_anchor_is_untrusted() {
    let id = self_signed_ca_leaf((2020, 2090));
    let other = Ca::new("another CA");
    for v in verdicts(&[other.cert()], &id, "localhost") {
        assert_eq!(
            v,
            (
                Err(Status::SEC_E_UNTRUSTED_ROOT),
                Err(Status::SEC_E_UNTRUSTED_ROOT)
            )
        );
    }
    // A different certificate with the same name and key usage is not the anchor either.
    let twin = self_signed_ca_leaf((2020, 2090));
    for v in verdicts(&twin.chain, &id, "localhost") {
        assert_eq!(
            v,
            (
                Err(Status::SEC_E_UNTRUSTED_ROOT),
                Err(Status::SEC_E_UNTRUSTED_ROOT)
            )
        );
    }
    // The detail names what webpki found.
    let (c, s) = (
        client(twin.chain.clone(), Protocols::ALL),
        server(&id, Protocols::ALL),
    );
    let mut ctx = SecurityContext::client(&c, Some("localhost"), Default::default()).unwrap();
    let mut sctx = SecurityContext::server(&s, Default::default()).unwrap();
    let (mut hello, mut flight, mut out) = (Vec::new(), Vec::new(), Vec::new());
    ctx.handshake(&[], &mut hello).unwrap();
    sctx.handshake(&hello, &mut flight).unwrap();
    let e = ctx.handshake(&flight, &mut out).unwrap_err();
    assert_eq!(e.status(), Status::SEC_E_UNTRUSTED_ROOT);
    assert!(e.detail().contains("CaUsedAsEndEntity"), "{e}");
}

/// `openssl req -x509` for CN=localhost (basicConstraints CA:TRUE by default), with `extra`
/// arguments; `None` when openssl is not installed.
fn openssl_req_x509(tag: &str, extra: &[&str]) -> Option<Identity> {
    let dir = common::files::TempDir::new(&format!("req-x509-{tag}"));
    let (cert_path, key_path) = (dir.join("cert.pem"), dir.join("key.pem"));
    common::files::openssl_req_x509(&cert_path, &key_path, extra)?;
    let chain = Certificate::pem_chain(&std::fs::read(&cert_path).unwrap()).unwrap();
    let key = PrivateKey::from_pem(&std::fs::read(&key_path).unwrap()).unwrap();
    Some(Identity { chain, key })
}

#[test]
fn an_openssl_req_x509_certificate_in_the_roots_is_trusted() {
    // As typed (no subjectAltName: the name is the CN) and with a subjectAltName.
    for (tag, extra) in [
        ("plain", &[][..]),
        ("san", &["-addext", "subjectAltName=DNS:localhost"][..]),
    ] {
        let Some(id) = openssl_req_x509(tag, extra) else {
            eprintln!("skipped: openssl is not installed");
            return;
        };
        assert_eq!(id.chain[0].subject_common_names(), ["localhost"]);
        let anchor = id.chain[0].clone();
        for v in verdicts(std::slice::from_ref(&anchor), &id, "localhost") {
            assert_eq!(v, (Ok(()), Ok(())), "{tag}");
        }
        for v in verdicts(&[anchor], &id, "wrong.example") {
            assert_eq!(v.0, Err(Status::SEC_E_WRONG_PRINCIPAL), "{tag}");
        }
    }
}

#[test]
fn without_a_subject_alt_name_the_common_name_is_the_name() {
    // Windows' SSL policy falls back to the subject CN when there is no subjectAltName; with
    // one, only its names count.
    let ca = Ca::new("CA");
    let cn_only = ca.leaf(&[], |p| {
        p.distinguished_name = rcgen::DistinguishedName::new();
        p.distinguished_name.push(DnType::CommonName, "LocalHost");
    });
    for v in verdicts(&[ca.cert()], &cn_only, "localhost") {
        assert_eq!(v, (Ok(()), Ok(())));
    }
    for v in verdicts(&[ca.cert()], &cn_only, "other.example") {
        assert_eq!(
            v,
            (
                Err(Status::SEC_E_WRONG_PRINCIPAL),
                Err(Status::SEC_E_CERT_UNKNOWN)
            )
        );
    }
    let san_elsewhere = ca.leaf(&["other.example"], |p| {
        p.distinguished_name = rcgen::DistinguishedName::new();
        p.distinguished_name.push(DnType::CommonName, "localhost");
    });
    for v in verdicts(&[ca.cert()], &san_elsewhere, "localhost") {
        assert_eq!(
            v,
            (
                Err(Status::SEC_E_WRONG_PRINCIPAL),
                Err(Status::SEC_E_CERT_UNKNOWN)
            )
        );
    }
    // An untrusted chain stays untrusted whatever its CN says.
    let other = Ca::new("other CA");
    for v in verdicts(&[other.cert()], &cn_only, "localhost") {
        assert_eq!(
            v,
            (
                Err(Status::SEC_E_UNTRUSTED_ROOT),
                Err(Status::SEC_E_UNTRUSTED_ROOT)
            )
        );
    }
}

#[test]
fn an_expired_certificate_is_sec_e_cert_expired_on_both_sides() {
    let ca = Ca::new("CA");
    let expired = ca.leaf(&["localhost"], |p| {
        p.not_before = rcgen::date_time_ymd(2019, 1, 1);
        p.not_after = rcgen::date_time_ymd(2020, 1, 1);
    });
    let future = ca.leaf(&["localhost"], |p| {
        p.not_before = rcgen::date_time_ymd(2098, 1, 1);
        p.not_after = rcgen::date_time_ymd(2099, 1, 1);
    });
    for id in [&expired, &future] {
        for v in verdict(vec![ca.cert()], id, "localhost") {
            assert_eq!(v, (Status::SEC_E_CERT_EXPIRED, Status::SEC_E_CERT_EXPIRED));
        }
    }
}

#[test]
fn a_name_mismatch_is_sec_e_wrong_principal_and_bad_certificate() {
    let ca = Ca::new("CA");
    let id = ca.leaf(&["other.example"], |_| {});
    for v in verdict(vec![ca.cert()], &id, "localhost") {
        // bad_certificate (42) → SEC_E_CERT_UNKNOWN on the server.
        assert_eq!(
            v,
            (Status::SEC_E_WRONG_PRINCIPAL, Status::SEC_E_CERT_UNKNOWN)
        );
    }
}

#[test]
fn no_servername_check_forgives_only_the_name() {
    let ca = Ca::new("CA");
    let other = Ca::new("other CA");
    let id = ca.leaf(&["other.example"], |_| {});
    for p in BOTH {
        let c = Credentials::client()
            .protocols(p)
            .validation(ServerValidation::Roots(vec![ca.cert()]))
            .check_server_name(false)
            .build()
            .unwrap();
        let (cr, sr, _) = run(&c, &server(&id, p), "localhost", Default::default());
        assert_eq!((cr, sr), (Ok(()), Ok(())));
        let c = Credentials::client()
            .protocols(p)
            .validation(ServerValidation::Roots(vec![other.cert()]))
            .check_server_name(false)
            .build()
            .unwrap();
        let (cr, _, _) = run(&c, &server(&id, p), "localhost", Default::default());
        assert_eq!(cr, Err(Status::SEC_E_UNTRUSTED_ROOT));
    }
}

#[test]
fn manual_validation_accepts_any_chain_and_shows_it() {
    let ca = Ca::new("CA");
    let expired_wrong_name = ca.leaf(&["other.example"], |p| {
        p.not_before = rcgen::date_time_ymd(2019, 1, 1);
        p.not_after = rcgen::date_time_ymd(2020, 1, 1);
    });
    for p in BOTH {
        // Per credential (SCH_CRED_MANUAL_CRED_VALIDATION)…
        let c = Credentials::client()
            .protocols(p)
            .validation(ServerValidation::Manual)
            .build()
            .unwrap();
        let (cr, sr, _) = run(
            &c,
            &server(&expired_wrong_name, p),
            "localhost",
            Default::default(),
        );
        assert_eq!((cr, sr), (Ok(()), Ok(())));
        // …and per context (ISC_REQ_MANUAL_CRED_VALIDATION) on a validating credential.
        let c = client(vec![Ca::new("unrelated").cert()], p);
        let options = ContextOptions {
            manual_validation: true,
            ..Default::default()
        };
        let mut ctx = SecurityContext::client(&c, Some("localhost"), options).unwrap();
        let s = server(&expired_wrong_name, p);
        let mut sctx = SecurityContext::server(&s, Default::default()).unwrap();
        let mut a = Vec::new();
        ctx.handshake(&[], &mut a).unwrap();
        loop {
            let mut b = Vec::new();
            let so = sctx.handshake(&a, &mut b).unwrap();
            a.clear();
            let co = ctx.handshake(&b, &mut a).unwrap();
            if co.status == openschannel::HandshakeStatus::Ok {
                if !a.is_empty() {
                    sctx.handshake(&a, &mut Vec::new()).unwrap();
                }
                break;
            }
            assert_ne!(so.status, openschannel::HandshakeStatus::Ok);
        }
        assert_eq!(ctx.peer_certificates(), expired_wrong_name.chain, "{p:?}");
    }
}

/// The extension types of a ClientHello record.
fn client_hello_extensions(record: &[u8]) -> Vec<u16> {
    let body = &record[5 + 4..];
    let mut i = 2 + 32;
    i += 1 + usize::from(body[i]); // session id
    i += 2 + usize::from(u16::from_be_bytes([body[i], body[i + 1]])); // suites
    i += 1 + usize::from(body[i]); // compression
    let end = i + 2 + usize::from(u16::from_be_bytes([body[i], body[i + 1]]));
    i += 2;
    let mut types = Vec::new();
    while i < end {
        types.push(u16::from_be_bytes([body[i], body[i + 1]]));
        i += 4 + usize::from(u16::from_be_bytes([body[i + 2], body[i + 3]]));
    }
    types
}

#[test]
fn ip_address_targets_send_no_sni_and_check_the_ip_san() {
    let ca = Ca::new("CA");
    let id = ca.leaf(&["localhost", "127.0.0.1"], |_| {});
    for p in BOTH {
        let c = client(vec![ca.cert()], p);
        let (cr, sr, hello) = run(&c, &server(&id, p), "127.0.0.1", Default::default());
        assert_eq!((cr, sr), (Ok(()), Ok(())), "{p:?}");
        assert!(
            !client_hello_extensions(&hello).contains(&0),
            "no server_name"
        );
        let (cr, _, hello) = run(&c, &server(&id, p), "localhost", Default::default());
        assert_eq!(cr, Ok(()));
        assert!(
            client_hello_extensions(&hello).contains(&0),
            "server_name sent"
        );
        // An address the certificate does not name.
        let (cr, _, _) = run(&c, &server(&id, p), "127.0.0.2", Default::default());
        assert_eq!(cr, Err(Status::SEC_E_WRONG_PRINCIPAL));
        // A DNS-only certificate does not match an IP target.
        let dns_only = ca.leaf(&["localhost"], |_| {});
        let (cr, _, _) = run(&c, &server(&dns_only, p), "127.0.0.1", Default::default());
        assert_eq!(cr, Err(Status::SEC_E_WRONG_PRINCIPAL));
    }
}
