//! Building rustls configurations from openschannel settings; PEM/DER loading.

use std::sync::{Arc, OnceLock};

use rustls::client::danger::ServerCertVerifier;
use rustls::client::{Resumption, UnbufferedClientConnection};
use rustls::crypto::CryptoProvider;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer, ServerName};
use rustls::server::UnbufferedServerConnection;
use rustls::{ClientConfig, RootCertStore, ServerConfig, SupportedProtocolVersion};

use super::verify::{AcceptAnyChain, IgnoreServerName};
use super::{errors, Conn, Engine};
use crate::certs::{Certificate, PrivateKey};
use crate::error::Error;
use crate::params::{CipherSuite, Protocols};
use crate::status::Status;

#[cfg(not(any(feature = "aws-lc-rs", feature = "ring")))]
compile_error!(
    "openschannel needs a crypto provider: enable the `aws-lc-rs` (default) or `ring` feature"
);

/// The crypto provider, selected explicitly by Cargo feature (aws-lc-rs wins when both are
/// enabled); process-wide rustls defaults are never consulted.
fn base_provider() -> &'static CryptoProvider {
    static PROVIDER: OnceLock<CryptoProvider> = OnceLock::new();
    PROVIDER.get_or_init(|| {
        #[cfg(feature = "aws-lc-rs")]
        {
            rustls::crypto::aws_lc_rs::default_provider()
        }
        #[cfg(all(feature = "ring", not(feature = "aws-lc-rs")))]
        {
            rustls::crypto::ring::default_provider()
        }
    })
}

/// A provider restricted to `suites` (all suites when `None`).
fn provider_for(suites: Option<&[CipherSuite]>) -> Result<Arc<CryptoProvider>, Error> {
    let mut provider = base_provider().clone();
    if let Some(wanted) = suites {
        provider
            .cipher_suites
            .retain(|s| wanted.contains(&CipherSuite(u16::from(s.suite()))));
        if provider.cipher_suites.is_empty() {
            return Err(Error::new(
                Status::SEC_E_ALGORITHM_MISMATCH,
                "none of the requested cipher suites is available",
            ));
        }
    }
    Ok(Arc::new(provider))
}

fn versions(protocols: Protocols) -> Result<Vec<&'static SupportedProtocolVersion>, Error> {
    let mut v = Vec::new();
    if protocols.tls13 {
        v.push(&rustls::version::TLS13);
    }
    if protocols.tls12 {
        v.push(&rustls::version::TLS12);
    }
    if v.is_empty() {
        return Err(Error::new(
            Status::SEC_E_ALGORITHM_MISMATCH,
            "no protocol version enabled (openschannel supports TLS 1.2 and TLS 1.3)",
        ));
    }
    Ok(v)
}

fn version_error(e: rustls::Error) -> Error {
    Error::new(
        Status::SEC_E_ALGORITHM_MISMATCH,
        format!("no cipher suite for the enabled protocol versions: {e}"),
    )
}

fn check_fragment_size(size: Option<usize>) -> Result<(), Error> {
    match size {
        Some(n) if !(32..=16384 + 5).contains(&n) => Err(Error::new(
            Status::SEC_E_INVALID_PARAMETER,
            format!("max fragment size {n} is outside 32..=16389"),
        )),
        _ => Ok(()),
    }
}

/// A private key in DER form (PKCS#8, SEC1 or PKCS#1).
pub(crate) struct KeyDer(PrivateKeyDer<'static>);

impl Clone for KeyDer {
    fn clone(&self) -> Self {
        Self(self.0.clone_key())
    }
}

/// Parses every CERTIFICATE block of `pem`.
pub(crate) fn pem_certificates(pem: &[u8]) -> Result<Vec<Vec<u8>>, Error> {
    CertificateDer::pem_slice_iter(pem)
        .map(|c| c.map(|c| c.as_ref().to_vec()))
        .collect::<Result<_, _>>()
        .map_err(|e| {
            Error::new(
                Status::SEC_E_UNKNOWN_CREDENTIALS,
                format!("bad certificate PEM: {e}"),
            )
        })
}

/// Parses the first private-key block of `pem`.
pub(crate) fn pem_private_key(pem: &[u8]) -> Result<KeyDer, Error> {
    PrivateKeyDer::from_pem_slice(pem).map(KeyDer).map_err(|e| {
        Error::new(
            Status::SEC_E_NO_CREDENTIALS,
            format!("no usable private key in PEM input: {e}"),
        )
    })
}

/// Recognises a DER private key.
pub(crate) fn der_private_key(der: &[u8]) -> Result<KeyDer, Error> {
    PrivateKeyDer::try_from(der)
        .map(|k| KeyDer(k.clone_key()))
        .map_err(|e| {
            Error::new(
                Status::SEC_E_NO_CREDENTIALS,
                format!("bad private key: {e}"),
            )
        })
}

fn cert_chain(chain: &[Certificate]) -> Vec<CertificateDer<'static>> {
    chain
        .iter()
        .map(|c| CertificateDer::from(c.der().to_vec()))
        .collect()
}

/// How a client credential judges the server's certificate.
pub(crate) enum Verification<'a> {
    /// The operating system's trust store (rustls-platform-verifier).
    Platform,
    /// Exactly these trust anchors.
    Roots(&'a [Certificate]),
    /// Accept any chain (the caller validates), but still verify handshake signatures.
    Manual,
}

/// Settings for a client (outbound) credential.
pub(crate) struct ClientSettings<'a> {
    pub(crate) protocols: Protocols,
    pub(crate) cipher_suites: Option<&'a [CipherSuite]>,
    pub(crate) verification: Verification<'a>,
    pub(crate) check_server_name: bool,
    pub(crate) client_certificate: Option<(&'a [Certificate], &'a PrivateKey)>,
    pub(crate) max_fragment_size: Option<usize>,
    pub(crate) session_cache_size: usize,
}

/// A built client configuration, shared by every context of one credential.
pub(crate) struct ClientEngineConfig {
    config: Arc<ClientConfig>,
    provider: Arc<CryptoProvider>,
}

impl ClientEngineConfig {
    pub(crate) fn build(s: &ClientSettings<'_>) -> Result<Self, Error> {
        check_fragment_size(s.max_fragment_size)?;
        let provider = provider_for(s.cipher_suites)?;
        let versions = versions(s.protocols)?;
        let verifier: Arc<dyn ServerCertVerifier> = match s.verification {
            Verification::Manual => Arc::new(AcceptAnyChain::new(&provider)),
            Verification::Platform => Arc::new(
                rustls_platform_verifier::Verifier::new(provider.clone()).map_err(|e| {
                    Error::new(
                        Status::SEC_E_NO_AUTHENTICATING_AUTHORITY,
                        format!("platform certificate verifier unavailable: {e}"),
                    )
                })?,
            ),
            Verification::Roots(roots) => {
                rustls::client::WebPkiServerVerifier::builder_with_provider(
                    Arc::new(root_store(roots)?),
                    provider.clone(),
                )
                .build()
                .map_err(|e| {
                    Error::new(
                        Status::SEC_E_UNKNOWN_CREDENTIALS,
                        format!("unusable trust anchors: {e}"),
                    )
                })?
            }
        };
        let verifier: Arc<dyn ServerCertVerifier> =
            if s.check_server_name || matches!(s.verification, Verification::Manual) {
                verifier
            } else {
                Arc::new(IgnoreServerName::new(verifier))
            };
        let builder = ClientConfig::builder_with_provider(provider.clone())
            .with_protocol_versions(&versions)
            .map_err(version_error)?
            .dangerous()
            .with_custom_certificate_verifier(verifier);
        let mut config = match s.client_certificate {
            None => builder.with_no_client_auth(),
            Some((chain, key)) => builder
                .with_client_auth_cert(cert_chain(chain), key.der.0.clone_key())
                .map_err(credential_error)?,
        };
        config.max_fragment_size = s.max_fragment_size;
        config.resumption = Resumption::in_memory_sessions(s.session_cache_size.max(1));
        if s.session_cache_size == 0 {
            config.resumption = Resumption::disabled();
        }
        Ok(Self {
            config: Arc::new(config),
            provider,
        })
    }

    /// Creates a client connection to `target` (SNI and name check; `None` sends no SNI and
    /// matches no name). `alpn` overrides the credential's ALPN offer; `manual` switches this
    /// one connection to manual validation.
    pub(crate) fn connect(
        &self,
        target: Option<&str>,
        alpn: Option<&[Vec<u8>]>,
        manual: bool,
    ) -> Result<Engine, Error> {
        let name = match target {
            Some(t) if !t.is_empty() => ServerName::try_from(t.to_string()).map_err(|_| {
                Error::new(
                    Status::SEC_E_TARGET_UNKNOWN,
                    format!("target name {t:?} is neither a DNS name nor an IP address"),
                )
            })?,
            // No target: no SNI, and no certificate can match the unspecified address.
            _ => ServerName::IpAddress(std::net::Ipv4Addr::UNSPECIFIED.into()),
        };
        let config = if alpn.is_some() || manual {
            let mut c = (*self.config).clone();
            if let Some(alpn) = alpn {
                c.alpn_protocols = alpn.to_vec();
            }
            if manual {
                c.dangerous()
                    .set_certificate_verifier(Arc::new(AcceptAnyChain::new(&self.provider)));
            }
            Arc::new(c)
        } else {
            self.config.clone()
        };
        let conn = UnbufferedClientConnection::new(config, name).map_err(errors::map)?;
        Ok(Engine {
            conn: Conn::Client(conn),
        })
    }
}

/// Whether and how a server asks for client certificates.
pub(crate) enum ClientCertPolicy<'a> {
    /// Never ask.
    None,
    /// Ask; a client may send none, but a certificate it sends must chain to these roots.
    Optional(&'a [Certificate]),
    /// Ask and require a certificate chaining to these roots.
    Required(&'a [Certificate]),
}

/// Settings for a server (inbound) credential.
pub(crate) struct ServerSettings<'a> {
    pub(crate) client_certs: ClientCertPolicy<'a>,
    pub(crate) protocols: Protocols,
    pub(crate) cipher_suites: Option<&'a [CipherSuite]>,
    pub(crate) chain: &'a [Certificate],
    pub(crate) key: &'a PrivateKey,
    pub(crate) max_fragment_size: Option<usize>,
    pub(crate) alpn: &'a [Vec<u8>],
    pub(crate) session_cache_size: usize,
}

/// A built server configuration, shared by every context of one credential.
pub(crate) struct ServerEngineConfig {
    config: Arc<ServerConfig>,
}

impl ServerEngineConfig {
    pub(crate) fn build(s: &ServerSettings<'_>) -> Result<Self, Error> {
        check_fragment_size(s.max_fragment_size)?;
        if s.chain.is_empty() {
            return Err(Error::new(
                Status::SEC_E_NO_CREDENTIALS,
                "a server credential needs a certificate",
            ));
        }
        let provider = provider_for(s.cipher_suites)?;
        let versions = versions(s.protocols)?;
        let builder = ServerConfig::builder_with_provider(provider.clone())
            .with_protocol_versions(&versions)
            .map_err(version_error)?;
        let builder = match s.client_certs {
            ClientCertPolicy::None => builder.with_no_client_auth(),
            ClientCertPolicy::Optional(roots) | ClientCertPolicy::Required(roots) => {
                let store = root_store(roots)?;
                let verifier = rustls::server::WebPkiClientVerifier::builder_with_provider(
                    Arc::new(store),
                    provider,
                );
                let verifier = if matches!(s.client_certs, ClientCertPolicy::Optional(_)) {
                    verifier.allow_unauthenticated()
                } else {
                    verifier
                };
                builder.with_client_cert_verifier(verifier.build().map_err(|e| {
                    Error::new(
                        Status::SEC_E_UNKNOWN_CREDENTIALS,
                        format!("unusable client-certificate trust anchors: {e}"),
                    )
                })?)
            }
        };
        let mut config = builder
            .with_single_cert(cert_chain(s.chain), s.key.der.0.clone_key())
            .map_err(credential_error)?;
        config.max_fragment_size = s.max_fragment_size;
        config.alpn_protocols = s.alpn.to_vec();
        config.session_storage = if s.session_cache_size == 0 {
            Arc::new(rustls::server::NoServerSessionStorage {})
        } else {
            rustls::server::ServerSessionMemoryCache::new(s.session_cache_size)
        };
        Ok(Self {
            config: Arc::new(config),
        })
    }

    /// Creates a server connection; `alpn` overrides the credential's ALPN list.
    pub(crate) fn accept(&self, alpn: Option<&[Vec<u8>]>) -> Result<Engine, Error> {
        let config = match alpn {
            Some(alpn) => {
                let mut c = (*self.config).clone();
                c.alpn_protocols = alpn.to_vec();
                Arc::new(c)
            }
            None => self.config.clone(),
        };
        let conn = UnbufferedServerConnection::new(config).map_err(errors::map)?;
        Ok(Engine {
            conn: Conn::Server(conn),
        })
    }
}

fn root_store(roots: &[Certificate]) -> Result<RootCertStore, Error> {
    let mut store = RootCertStore::empty();
    for root in roots {
        store
            .add(CertificateDer::from(root.der().to_vec()))
            .map_err(|e| {
                Error::new(
                    Status::SEC_E_UNKNOWN_CREDENTIALS,
                    format!("unusable trust anchor: {e}"),
                )
            })?;
    }
    Ok(store)
}

fn credential_error(e: rustls::Error) -> Error {
    Error::new(
        Status::SEC_E_UNKNOWN_CREDENTIALS,
        format!("certificate or key unusable: {e}"),
    )
}
