//! Generated certificates: an [`Authority`] issuing leaves to a [`LeafSpec`], the shared
//! [`Pki`] (one CA and one leaf for `localhost` and 127.0.0.1 per [`KeyKind`], generated once
//! per process) and the credentials built from it.

use std::sync::OnceLock;

use openschannel::{
    Certificate, CipherSuite, Credentials, PrivateKey, Protocol, Protocols, ServerValidation,
};
use rcgen::{BasicConstraints, CertifiedIssuer, DnType, IsCa, KeyPair};
pub use rcgen::{CertificateParams, ExtendedKeyUsagePurpose, KeyUsagePurpose};

/// The kind of key the server certificate carries.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum KeyKind {
    /// ECDSA on P-256 with SHA-256.
    EcdsaP256,
    /// ECDSA on P-384 with SHA-384.
    EcdsaP384,
    /// RSA, 2048 bits, PKCS#1 v1.5 with SHA-256.
    Rsa2048,
    /// Ed25519.
    Ed25519,
}

/// A CA and a leaf for `localhost` / 127.0.0.1 signed by it.
pub struct Pki {
    /// The CA certificate (P-256), the trust anchor of clients.
    pub ca: Certificate,
    /// The leaf, then the CA.
    pub chain: Vec<Certificate>,
    /// The leaf's private key, PKCS#8 DER.
    pub key_der: Vec<u8>,
    /// The leaf and the CA as PEM.
    pub cert_pem: String,
    /// The leaf's private key as PEM.
    pub key_pem: String,
}

impl Pki {
    /// The leaf's private key.
    pub fn key(&self) -> PrivateKey {
        PrivateKey::from_der(&self.key_der).expect("generated key")
    }
}

/// A certificate authority (P-256, self-signed, `CA:TRUE` without a path-length limit) that
/// issues leaves.
pub struct Authority {
    issuer: CertifiedIssuer<'static, KeyPair>,
}

impl Authority {
    /// A CA named `common_name`.
    pub fn new(common_name: &str) -> Self {
        Self::with_key_usages(common_name, Vec::new())
    }

    /// A CA named `common_name` whose certificate lists `usages` (none: no keyUsage
    /// extension).
    pub fn with_key_usages(common_name: &str, usages: Vec<KeyUsagePurpose>) -> Self {
        let key = KeyPair::generate_for(&rcgen::PKCS_ECDSA_P256_SHA256).expect("CA key");
        let mut params = CertificateParams::new(Vec::<String>::new()).expect("CA params");
        params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        params
            .distinguished_name
            .push(DnType::CommonName, common_name);
        params.key_usages = usages;
        Self {
            issuer: CertifiedIssuer::self_signed(params, key).expect("CA certificate"),
        }
    }

    /// The CA certificate as PEM.
    pub fn pem(&self) -> String {
        self.issuer.pem()
    }

    /// The CA certificate, DER.
    pub fn der(&self) -> &[u8] {
        self.issuer.der()
    }

    /// The CA certificate as a trust anchor.
    pub fn certificate(&self) -> Certificate {
        Certificate::from_der(self.der().to_vec())
    }

    /// A leaf signed by this CA.
    pub fn issue(&self, spec: &LeafSpec<'_>) -> Leaf {
        self.issue_with(spec, |_| {})
    }

    /// A leaf signed by this CA, its parameters adjusted by `edit` after `spec` has set them
    /// (validity, constraints, extensions a test needs).
    pub fn issue_with(
        &self,
        spec: &LeafSpec<'_>,
        edit: impl FnOnce(&mut CertificateParams),
    ) -> Leaf {
        let key = match spec.key {
            KeyKind::EcdsaP256 => KeyPair::generate_for(&rcgen::PKCS_ECDSA_P256_SHA256),
            KeyKind::EcdsaP384 => KeyPair::generate_for(&rcgen::PKCS_ECDSA_P384_SHA384),
            KeyKind::Ed25519 => KeyPair::generate_for(&rcgen::PKCS_ED25519),
            KeyKind::Rsa2048 => {
                KeyPair::generate_rsa_for(&rcgen::PKCS_RSA_SHA256, rcgen::RsaKeySize::_2048)
            }
        }
        .expect("leaf key");
        let names = spec.names.iter().map(|n| n.to_string()).collect::<Vec<_>>();
        let mut params = CertificateParams::new(names).expect("leaf params");
        params
            .distinguished_name
            .push(DnType::CommonName, spec.common_name);
        if let Some(usage) = &spec.usage {
            params.extended_key_usages = vec![usage.clone()];
        }
        if spec.expired {
            params.not_before = rcgen::date_time_ymd(2019, 1, 1);
            params.not_after = rcgen::date_time_ymd(2020, 1, 1);
        }
        edit(&mut params);
        let cert = params
            .signed_by(&key, &self.issuer)
            .expect("leaf certificate");
        Leaf {
            cert_pem: cert.pem(),
            key_pem: key.serialize_pem(),
            der: cert.der().to_vec(),
            key_der: key.serialize_der(),
        }
    }
}

/// What [`Authority::issue`] puts into a leaf.
#[derive(Clone, Debug)]
pub struct LeafSpec<'a> {
    /// The subjectAltNames: DNS names, and IP addresses written as such (`127.0.0.1`).
    pub names: &'a [&'a str],
    /// The subject's common name.
    pub common_name: &'a str,
    /// The one extendedKeyUsage purpose (`None`: no extension).
    pub usage: Option<ExtendedKeyUsagePurpose>,
    /// The key type.
    pub key: KeyKind,
    /// Valid only in 2019 (expired since 2020).
    pub expired: bool,
}

impl LeafSpec<'static> {
    /// A P-256 server leaf: `localhost` and 127.0.0.1, CN=localhost, no extendedKeyUsage.
    pub fn localhost() -> Self {
        Self {
            names: &["localhost", "127.0.0.1"],
            common_name: "localhost",
            usage: None,
            key: KeyKind::EcdsaP256,
            expired: false,
        }
    }
}

/// A leaf certificate and its key.
pub struct Leaf {
    /// The certificate as PEM.
    pub cert_pem: String,
    /// The private key as PEM (PKCS#8).
    pub key_pem: String,
    /// The certificate, DER.
    pub der: Vec<u8>,
    /// The private key, PKCS#8 DER.
    pub key_der: Vec<u8>,
}

fn generate(kind: KeyKind) -> Pki {
    let ca = Authority::new(&format!("openschannel test CA ({kind:?})"));
    let leaf = ca.issue(&LeafSpec {
        key: kind,
        ..LeafSpec::localhost()
    });
    Pki {
        ca: ca.certificate(),
        chain: vec![Certificate::from_der(leaf.der), ca.certificate()],
        key_der: leaf.key_der,
        cert_pem: leaf.cert_pem + &ca.pem(),
        key_pem: leaf.key_pem,
    }
}

/// A PKI per key kind, generated once per process.
pub fn pki(kind: KeyKind) -> &'static Pki {
    static P256: OnceLock<Pki> = OnceLock::new();
    static P384: OnceLock<Pki> = OnceLock::new();
    static RSA: OnceLock<Pki> = OnceLock::new();
    static ED: OnceLock<Pki> = OnceLock::new();
    let cell = match kind {
        KeyKind::EcdsaP256 => &P256,
        KeyKind::EcdsaP384 => &P384,
        KeyKind::Rsa2048 => &RSA,
        KeyKind::Ed25519 => &ED,
    };
    cell.get_or_init(|| generate(kind))
}

/// Server credentials for the leaf of `kind`'s PKI.
pub fn server_credentials(kind: KeyKind, protocols: Protocols) -> Credentials {
    let p = pki(kind);
    Credentials::server(p.chain.clone(), p.key())
        .protocols(protocols)
        .build()
        .unwrap()
}

/// Client credentials trusting only `kind`'s CA.
pub fn client_credentials(kind: KeyKind, protocols: Protocols) -> Credentials {
    Credentials::client()
        .protocols(protocols)
        .validation(ServerValidation::Roots(vec![pki(kind).ca.clone()]))
        .build()
        .unwrap()
}

/// Client and server credentials restricted to one suite (and its protocol version).
pub fn suite_credentials(kind: KeyKind, suite: CipherSuite) -> (Credentials, Credentials) {
    let protocols = match suite.protocol().unwrap() {
        Protocol::Tls12 => Protocols::TLS12_ONLY,
        Protocol::Tls13 => Protocols::TLS13_ONLY,
    };
    let p = pki(kind);
    let client = Credentials::client()
        .protocols(protocols)
        .cipher_suites(vec![suite])
        .validation(ServerValidation::Roots(vec![p.ca.clone()]))
        .build()
        .unwrap();
    let server = Credentials::server(p.chain.clone(), p.key())
        .protocols(protocols)
        .cipher_suites(vec![suite])
        .build()
        .unwrap();
    (client, server)
}
