//! Building rustls configurations from openschannel settings; PEM/DER loading.

use std::path::Path;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

use rustls::client::danger::ServerCertVerifier;
use rustls::client::{ResolvesClientCert, Resumption, UnbufferedClientConnection};
use rustls::crypto::CryptoProvider;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer, ServerName};
use rustls::server::danger::ClientCertVerifier;
use rustls::server::ResolvesServerCert;
use rustls::sign::CertifiedKey;
use rustls::{
    ClientConfig, RootCertStore, ServerConfig, SignatureScheme, SupportedProtocolVersion,
};

use super::secrets::{ConnKeyLog, KeyLogFile};
use super::sessions::ExpiringSessionStore;
use super::verify::{
    AcceptAnyChain, AcceptAnyClientChain, IgnoreServerName, NoTrustedClientChain,
    NoTrustedServerChain, TrustPathClient, TrustPathServer,
};
use super::{errors, Conn, Engine, PendingServer};
use crate::certs::{Certificate, PrivateKey};
use crate::error::Error;
use crate::params::{CipherSuite, KeyExchangeGroup, Protocols};
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

/// A provider restricted to `suites` and `groups` (`None`: all the provider has), groups in
/// the order given.
fn provider_for(
    suites: Option<&[CipherSuite]>,
    groups: Option<&[KeyExchangeGroup]>,
) -> Result<Arc<CryptoProvider>, Error> {
    let mut provider = base_provider().clone();
    if let Some(wanted) = groups {
        let available = std::mem::take(&mut provider.kx_groups);
        provider.kx_groups = wanted
            .iter()
            .filter_map(|w| {
                available
                    .iter()
                    .find(|g| u16::from(g.name()) == w.0)
                    .copied()
            })
            .collect();
        if provider.kx_groups.is_empty() {
            return Err(Error::new(
                Status::SEC_E_ALGORITHM_MISMATCH,
                "none of the requested key-exchange groups is available",
            ));
        }
    }
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

/// The key bytes are wiped when the last holder (a `PrivateKey`, a credential builder, a
/// crypt32 certificate context) lets go. The copy handed to rustls is wiped by rustls itself
/// once it has built its signing key.
impl Drop for KeyDer {
    fn drop(&mut self) {
        zeroize::Zeroize::zeroize(&mut self.0);
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
    pub(crate) key_exchange_groups: Option<&'a [KeyExchangeGroup]>,
    pub(crate) verification: Verification<'a>,
    pub(crate) check_server_name: bool,
    pub(crate) client_certificate: Option<(&'a [Certificate], &'a PrivateKey)>,
    pub(crate) max_fragment_size: Option<usize>,
    pub(crate) session_cache_size: usize,
    /// How long a cached session may be resumed.
    pub(crate) session_lifetime: Duration,
    /// An explicit key log file; `None` = `SSLKEYLOGFILE` if set.
    pub(crate) key_log: Option<&'a Path>,
}

/// A built client configuration, shared by every context of one credential.
pub(crate) struct ClientEngineConfig {
    config: Arc<ClientConfig>,
    /// The credential validates manually itself.
    manual: bool,
    /// For contexts that ask for manual validation when the credential does not: their own
    /// verifier and their own session cache, so that a session accepted without validation is
    /// never resumed by a context that validates.
    manual_verifier: Arc<dyn ServerCertVerifier>,
    manual_resumption: Resumption,
    key_log: Option<Arc<KeyLogFile>>,
}

/// The default `dwSessionLifespan`: 10 hours.
pub(crate) const DEFAULT_SESSION_LIFETIME: Duration = Duration::from_secs(10 * 3600);

fn resumption(size: usize, lifetime: Duration) -> Resumption {
    if size == 0 || lifetime.is_zero() {
        Resumption::disabled()
    } else {
        Resumption::store(Arc::new(ExpiringSessionStore::new(size, lifetime)))
    }
}

fn key_log_file(path: Option<&Path>) -> Result<Option<Arc<KeyLogFile>>, Error> {
    match path {
        Some(path) => KeyLogFile::open(path).map(Some),
        None => Ok(KeyLogFile::from_env()),
    }
}

impl ClientEngineConfig {
    pub(crate) fn build(s: &ClientSettings<'_>) -> Result<Self, Error> {
        check_fragment_size(s.max_fragment_size)?;
        let provider = provider_for(s.cipher_suites, s.key_exchange_groups)?;
        let versions = versions(s.protocols)?;
        let manual = matches!(s.verification, Verification::Manual);
        let verifier: Arc<dyn ServerCertVerifier> = match s.verification {
            Verification::Manual => Arc::new(AcceptAnyChain::new(&provider)),
            Verification::Platform => Arc::new(TrustPathServer::new(Arc::new(
                rustls_platform_verifier::Verifier::new(provider.clone()).map_err(|e| {
                    Error::new(
                        Status::SEC_E_NO_AUTHENTICATING_AUTHORITY,
                        format!("platform certificate verifier unavailable: {e}"),
                    )
                })?,
            ))),
            Verification::Roots([]) => Arc::new(NoTrustedServerChain::new(&provider)),
            Verification::Roots(roots) => Arc::new(TrustPathServer::with_anchors(
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
                })?,
                anchor_ders(roots),
            )),
        };
        let verifier: Arc<dyn ServerCertVerifier> = if s.check_server_name || manual {
            verifier
        } else {
            Arc::new(IgnoreServerName::new(verifier))
        };
        let certified_key = match s.client_certificate {
            None => None,
            Some((chain, key)) => Some(Arc::new(certified_key(
                cert_chain(chain),
                key.der.0.clone_key(),
                &provider,
            )?)),
        };
        let mut config = ClientConfig::builder_with_provider(provider.clone())
            .with_protocol_versions(&versions)
            .map_err(version_error)?
            .dangerous()
            .with_custom_certificate_verifier(verifier)
            .with_client_cert_resolver(Arc::new(RecordingResolver { key: certified_key }));
        config.max_fragment_size = s.max_fragment_size;
        config.resumption = resumption(s.session_cache_size, s.session_lifetime);
        config.enable_secret_extraction = true;
        Ok(Self {
            config: Arc::new(config),
            manual,
            manual_verifier: Arc::new(AcceptAnyChain::new(&provider)),
            manual_resumption: resumption(s.session_cache_size, s.session_lifetime),
            key_log: key_log_file(s.key_log)?,
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
        // Every connection has its own key log, so the configuration is copied; its session
        // cache, verifier and certificate resolver stay shared `Arc`s (rustls resumes a session
        // only with the very verifier and resolver that established it).
        let mut c = (*self.config).clone();
        if let Some(alpn) = alpn {
            c.alpn_protocols = alpn.to_vec();
        }
        if manual && !self.manual {
            c.dangerous()
                .set_certificate_verifier(self.manual_verifier.clone());
            c.resumption = self.manual_resumption.clone();
        }
        let key_log = ConnKeyLog::new(self.key_log.clone());
        c.key_log = key_log.clone();
        let conn = UnbufferedClientConnection::new(Arc::new(c), name).map_err(errors::map)?;
        Ok(Engine::new(Conn::Client(Box::new(conn)), key_log))
    }
}

/// What a server learnt about a client-certificate request (client side).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct CertRequest {
    /// DER distinguished names of the CAs the server accepts (may be empty).
    pub(crate) issuers: Vec<Vec<u8>>,
    /// Whether a certificate is being sent in answer.
    pub(crate) sent: bool,
}

thread_local! {
    /// The certificate request the resolver saw during the current engine call. The resolver
    /// is shared by all contexts of a credential (rustls resumes a session only with the very
    /// resolver that established it), and it runs synchronously on the calling thread, so the
    /// engine collects what it recorded after each call.
    static REQUEST: std::cell::RefCell<Option<CertRequest>> = const { std::cell::RefCell::new(None) };
}

/// Forgets a request recorded by an earlier engine call on this thread.
pub(crate) fn clear_certificate_request() {
    REQUEST.with(|r| r.borrow_mut().take());
}

/// The request recorded during the engine call that just returned.
pub(crate) fn take_certificate_request() -> Option<CertRequest> {
    REQUEST.with(|r| r.borrow_mut().take())
}

/// The client-certificate resolver of a credential: answers with the credential's certificate
/// (if any) and records that the server asked, and for which CAs.
#[derive(Debug)]
pub(crate) struct RecordingResolver {
    key: Option<Arc<CertifiedKey>>,
}

impl ResolvesClientCert for RecordingResolver {
    fn resolve(
        &self,
        root_hint_subjects: &[&[u8]],
        sigschemes: &[SignatureScheme],
    ) -> Option<Arc<CertifiedKey>> {
        let sent = self
            .key
            .as_ref()
            .is_some_and(|k| k.key.choose_scheme(sigschemes).is_some());
        REQUEST.with(|r| {
            *r.borrow_mut() = Some(CertRequest {
                issuers: root_hint_subjects.iter().map(|s| s.to_vec()).collect(),
                sent,
            })
        });
        self.key.clone()
    }

    fn has_certs(&self) -> bool {
        self.key.is_some()
    }
}

/// Whether and how a server asks for client certificates.
#[derive(Clone, Copy)]
pub(crate) enum ClientCertPolicy<'a> {
    /// Never ask.
    None,
    /// Ask; a client may send none, but a certificate it sends must chain to these roots.
    Optional(&'a [Certificate]),
    /// Ask and require a certificate chaining to these roots.
    Required(&'a [Certificate]),
    /// Ask; accept any chain the client proves it owns (the application judges it).
    Manual,
}

/// An owned, comparable form of a [`ClientCertPolicy`] (the key of derived configurations).
#[derive(Clone, Debug, PartialEq, Eq)]
enum PolicyKey {
    None,
    Optional(Vec<Vec<u8>>),
    Required(Vec<Vec<u8>>),
    Manual,
}

impl PolicyKey {
    fn of(policy: ClientCertPolicy<'_>) -> Self {
        let ders = |roots: &[Certificate]| roots.iter().map(|r| r.der().to_vec()).collect();
        match policy {
            ClientCertPolicy::None => Self::None,
            ClientCertPolicy::Optional(r) => Self::Optional(ders(r)),
            ClientCertPolicy::Required(r) => Self::Required(ders(r)),
            ClientCertPolicy::Manual => Self::Manual,
        }
    }
}

/// Settings for a server (inbound) credential.
pub(crate) struct ServerSettings<'a> {
    pub(crate) client_certs: ClientCertPolicy<'a>,
    pub(crate) protocols: Protocols,
    pub(crate) cipher_suites: Option<&'a [CipherSuite]>,
    pub(crate) key_exchange_groups: Option<&'a [KeyExchangeGroup]>,
    pub(crate) chain: &'a [Certificate],
    pub(crate) key: &'a PrivateKey,
    pub(crate) max_fragment_size: Option<usize>,
    pub(crate) alpn: &'a [Vec<u8>],
    pub(crate) session_cache_size: usize,
    /// An explicit key log file; `None` = `SSLKEYLOGFILE` if set.
    pub(crate) key_log: Option<&'a Path>,
}

/// At most this many per-context client-authentication variants are kept per credential.
const MAX_DERIVED: usize = 8;

/// A built server configuration, shared by every context of one credential.
pub(crate) struct ServerEngineConfig {
    config: Arc<ServerConfig>,
    policy: PolicyKey,
    provider: Arc<CryptoProvider>,
    versions: Vec<&'static SupportedProtocolVersion>,
    session_cache_size: usize,
    /// Configurations for contexts that override the client-certificate policy, each with its
    /// own session cache and ticket keys (a session must never resume under another policy).
    derived: Mutex<Vec<(PolicyKey, Arc<ServerConfig>)>>,
    key_log: Option<Arc<KeyLogFile>>,
}

/// A ticketer from the selected provider (TLS 1.2 tickets, stateless TLS 1.3 tickets).
fn ticketer() -> Result<Arc<dyn rustls::server::ProducesTickets>, Error> {
    #[cfg(feature = "aws-lc-rs")]
    let t = rustls::crypto::aws_lc_rs::Ticketer::new();
    #[cfg(all(feature = "ring", not(feature = "aws-lc-rs")))]
    let t = rustls::crypto::ring::Ticketer::new();
    t.map_err(|e| {
        Error::new(
            Status::SEC_E_INTERNAL_ERROR,
            format!("cannot create session-ticket keys: {e}"),
        )
    })
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
        let provider = provider_for(s.cipher_suites, s.key_exchange_groups)?;
        let versions = versions(s.protocols)?;
        let certified = Arc::new(certified_key(
            cert_chain(s.chain),
            s.key.der.0.clone_key(),
            &provider,
        )?);
        let resolver: Arc<dyn ResolvesServerCert> =
            Arc::new(rustls::sign::SingleCertAndKey::from(certified));
        let mut config = ServerConfig::builder_with_provider(provider.clone())
            .with_protocol_versions(&versions)
            .map_err(version_error)?
            .with_client_cert_verifier(client_verifier(s.client_certs, &provider)?)
            .with_cert_resolver(resolver);
        config.max_fragment_size = s.max_fragment_size;
        config.alpn_protocols = s.alpn.to_vec();
        config.enable_secret_extraction = true;
        set_resumption(&mut config, s.session_cache_size)?;
        Ok(Self {
            config: Arc::new(config),
            policy: PolicyKey::of(s.client_certs),
            provider,
            versions,
            session_cache_size: s.session_cache_size,
            derived: Mutex::new(Vec::new()),
            key_log: key_log_file(s.key_log)?,
        })
    }

    /// The configuration for a context asking for client certificates per `policy`.
    fn for_policy(&self, policy: ClientCertPolicy<'_>) -> Result<Arc<ServerConfig>, Error> {
        let key = PolicyKey::of(policy);
        if key == self.policy {
            return Ok(self.config.clone());
        }
        let mut derived = self.derived.lock().unwrap_or_else(|e| e.into_inner());
        if let Some((_, c)) = derived.iter().find(|(k, _)| *k == key) {
            return Ok(c.clone());
        }
        let base = &self.config;
        let mut c = ServerConfig::builder_with_provider(self.provider.clone())
            .with_protocol_versions(&self.versions)
            .map_err(version_error)?
            .with_client_cert_verifier(client_verifier(policy, &self.provider)?)
            .with_cert_resolver(base.cert_resolver.clone());
        c.max_fragment_size = base.max_fragment_size;
        c.alpn_protocols = base.alpn_protocols.clone();
        c.enable_secret_extraction = true;
        set_resumption(&mut c, self.session_cache_size)?;
        let c = Arc::new(c);
        if derived.len() >= MAX_DERIVED {
            derived.remove(0);
        }
        derived.push((key, c.clone()));
        Ok(c)
    }

    /// Creates a server connection. `alpn` overrides the credential's ALPN list;
    /// `alpn_required` refuses clients without a common protocol; `client_auth` overrides the
    /// credential's client-certificate policy. The connection starts once the ClientHello is
    /// complete ([`Engine::start_server`]).
    pub(crate) fn accept(
        &self,
        alpn: Option<&[Vec<u8>]>,
        alpn_required: bool,
        client_auth: Option<ClientCertPolicy<'_>>,
    ) -> Result<Engine, Error> {
        let base = match client_auth {
            Some(policy) => self.for_policy(policy)?,
            None => self.config.clone(),
        };
        let mut config = (*base).clone();
        if let Some(alpn) = alpn {
            config.alpn_protocols = alpn.to_vec();
        }
        let key_log = ConnKeyLog::new(self.key_log.clone());
        config.key_log = key_log.clone();
        Ok(Engine::new(
            Conn::PendingServer(Box::new(PendingServer {
                config,
                alpn_required,
            })),
            key_log,
        ))
    }
}

/// Session resumption for a server configuration: a session-ID cache and ticket keys, or
/// neither (`SCH_CRED_DISABLE_RECONNECTS`).
fn set_resumption(config: &mut ServerConfig, cache_size: usize) -> Result<(), Error> {
    if cache_size == 0 {
        config.session_storage = Arc::new(rustls::server::NoServerSessionStorage {});
        config.send_tls13_tickets = 0;
    } else {
        config.session_storage = rustls::server::ServerSessionMemoryCache::new(cache_size);
        config.ticketer = ticketer()?;
    }
    Ok(())
}

fn client_verifier(
    policy: ClientCertPolicy<'_>,
    provider: &Arc<CryptoProvider>,
) -> Result<Arc<dyn ClientCertVerifier>, Error> {
    let (roots, optional) = match policy {
        ClientCertPolicy::None => return Ok(rustls::server::WebPkiClientVerifier::no_client_auth()),
        ClientCertPolicy::Manual => return Ok(Arc::new(AcceptAnyClientChain::new(provider))),
        ClientCertPolicy::Optional(roots) => (roots, true),
        ClientCertPolicy::Required(roots) => (roots, false),
    };
    if roots.is_empty() {
        return Ok(Arc::new(NoTrustedClientChain::new(provider, !optional)));
    }
    let builder = rustls::server::WebPkiClientVerifier::builder_with_provider(
        Arc::new(root_store(roots)?),
        provider.clone(),
    );
    let builder = if optional {
        builder.allow_unauthenticated()
    } else {
        builder
    };
    let verifier = builder.build().map_err(|e| {
        Error::new(
            Status::SEC_E_UNKNOWN_CREDENTIALS,
            format!("unusable client-certificate trust anchors: {e}"),
        )
    })?;
    Ok(Arc::new(TrustPathClient::new(verifier, anchor_ders(roots))))
}

/// The trust anchors' DER, for the "a trusted certificate is trusted" check of the wrappers.
fn anchor_ders(roots: &[Certificate]) -> Vec<CertificateDer<'static>> {
    roots
        .iter()
        .map(|r| CertificateDer::from(r.der().to_vec()))
        .collect()
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

/// Our own certificate and key, checked to belong together.
///
/// rustls checks that through webpki, which cannot parse an X.509 v1 certificate; Windows
/// sends one (we only send it, the peer judges it). For a v1 leaf the check is that the key's
/// `SubjectPublicKeyInfo`, as the provider encodes it (the same encoding rustls compares for
/// v3), occurs in the certificate's DER.
fn certified_key(
    chain: Vec<CertificateDer<'static>>,
    key: PrivateKeyDer<'static>,
    provider: &CryptoProvider,
) -> Result<CertifiedKey, Error> {
    match CertifiedKey::from_der(chain.clone(), key.clone_key(), provider) {
        Err(rustls::Error::InvalidCertificate(rustls::CertificateError::Other(other)))
            if matches!(
                other.0.downcast_ref::<webpki::Error>(),
                Some(webpki::Error::UnsupportedCertVersion)
            ) =>
        {
            let signing = provider
                .key_provider
                .load_private_key(key)
                .map_err(credential_error)?;
            let spki = signing.public_key().ok_or_else(|| {
                Error::new(
                    Status::SEC_E_UNKNOWN_CREDENTIALS,
                    "the private key of an X.509 v1 certificate has no public key to compare",
                )
            })?;
            let leaf = chain.first().map(|c| c.as_ref()).unwrap_or_default();
            let spki = spki.as_ref();
            if spki.is_empty() || !leaf.windows(spki.len()).any(|w| w == spki) {
                return Err(Error::new(
                    Status::SEC_E_UNKNOWN_CREDENTIALS,
                    "certificate or key unusable: the key does not belong to the X.509 v1 certificate",
                ));
            }
            Ok(CertifiedKey::new(chain, signing))
        }
        other => other.map_err(credential_error),
    }
}

fn credential_error(e: rustls::Error) -> Error {
    Error::new(
        Status::SEC_E_UNKNOWN_CREDENTIALS,
        format!("certificate or key unusable: {e}"),
    )
}
