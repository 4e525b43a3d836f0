//! Generated PKIs and the credentials built from them: one CA and one leaf for `localhost` and
//! 127.0.0.1 per [`KeyKind`], generated once per process.

use std::sync::OnceLock;

use openschannel::{
    Certificate, CipherSuite, Credentials, PrivateKey, Protocol, Protocols, ServerValidation,
};

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

fn generate(kind: KeyKind) -> Pki {
    use rcgen::{BasicConstraints, CertificateParams, CertifiedIssuer, DnType, IsCa, KeyPair};
    let ca_key = KeyPair::generate_for(&rcgen::PKCS_ECDSA_P256_SHA256).unwrap();
    let mut ca_params = CertificateParams::new(Vec::<String>::new()).unwrap();
    ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    ca_params.distinguished_name.push(
        DnType::CommonName,
        format!("openschannel test CA ({kind:?})"),
    );
    let ca = CertifiedIssuer::self_signed(ca_params, ca_key).unwrap();
    let leaf_key = match kind {
        KeyKind::EcdsaP256 => KeyPair::generate_for(&rcgen::PKCS_ECDSA_P256_SHA256),
        KeyKind::EcdsaP384 => KeyPair::generate_for(&rcgen::PKCS_ECDSA_P384_SHA384),
        KeyKind::Ed25519 => KeyPair::generate_for(&rcgen::PKCS_ED25519),
        KeyKind::Rsa2048 => {
            KeyPair::generate_rsa_for(&rcgen::PKCS_RSA_SHA256, rcgen::RsaKeySize::_2048)
        }
    }
    .unwrap();
    let mut params =
        CertificateParams::new(vec!["localhost".to_string(), "127.0.0.1".to_string()]).unwrap();
    params
        .distinguished_name
        .push(DnType::CommonName, "localhost");
    let leaf = params.signed_by(&leaf_key, &ca).unwrap();
    Pki {
        ca: Certificate::from_der(ca.der().to_vec()),
        chain: vec![
            Certificate::from_der(leaf.der().to_vec()),
            Certificate::from_der(ca.der().to_vec()),
        ],
        key_der: leaf_key.serialize_der(),
        cert_pem: leaf.pem() + &ca.pem(),
        key_pem: leaf_key.serialize_pem(),
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
