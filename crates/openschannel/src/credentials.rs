//! Credentials (≈ `AcquireCredentialsHandle`): who we are, what we trust, which protocols.
//!
//! A [`Credentials`] value is cheap to clone, `Send + Sync`, shared by any number of security
//! contexts on any number of threads, and owns the session cache: contexts created from the same
//! credential (and, for clients, the same target name) resume each other's sessions, exactly as
//! Schannel keys its cache on the credential handle.

use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use crate::certs::{Certificate, PrivateKey};
use crate::engine::{
    ClientCertPolicy, ClientEngineConfig, ClientSettings, ServerEngineConfig, ServerSettings,
    Verification, DEFAULT_SESSION_LIFETIME,
};
use crate::error::Error;
use crate::params::{CipherSuite, KeyExchangeGroup, Protocols};

/// Which side of a connection a credential (or context) is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Role {
    /// Outbound (`SECPKG_CRED_OUTBOUND`): the TLS client, driven by `InitializeSecurityContext`.
    Client,
    /// Inbound (`SECPKG_CRED_INBOUND`): the TLS server, driven by `AcceptSecurityContext`.
    Server,
}

/// How a client credential judges the server's certificate chain.
#[derive(Clone, Debug, Default)]
pub enum ServerValidation {
    /// The platform's trust store and verifier (default, as Schannel uses the machine store).
    #[default]
    Platform,
    /// Exactly these trust anchors.
    Roots(Vec<Certificate>),
    /// `SCH_CRED_MANUAL_CRED_VALIDATION`: accept any chain and leave judging it to the caller,
    /// who must inspect [`SecurityContext::peer_certificates`](crate::SecurityContext::peer_certificates)
    /// before trusting the connection. Handshake signatures are still verified, so the chain is
    /// at least the peer's own.
    Manual,
}

/// Whether a server asks clients for certificates (Schannel's `ASC_REQ_MUTUAL_AUTH` with the
/// server's trusted client CAs).
#[derive(Clone, Debug, Default)]
pub enum ClientAuth {
    /// Do not ask (default).
    #[default]
    None,
    /// Ask; a client may send no certificate, but one it sends must chain to these roots. The
    /// server application sees the chain through
    /// [`SecurityContext::peer_certificates`](crate::SecurityContext::peer_certificates).
    Optional(Vec<Certificate>),
    /// Ask, and fail the handshake unless the client sends a certificate chaining to these roots.
    Required(Vec<Certificate>),
    /// Ask, and accept whatever chain the client sends (it must still prove it holds the
    /// certificate's key); judging the chain is the application's job, through
    /// [`SecurityContext::peer_certificates`](crate::SecurityContext::peer_certificates). A
    /// client may send none. This is `ASC_REQ_MUTUAL_AUTH` on a credential without
    /// client trust anchors.
    Manual,
}

impl ClientAuth {
    pub(crate) fn policy(&self) -> ClientCertPolicy<'_> {
        match self {
            ClientAuth::None => ClientCertPolicy::None,
            ClientAuth::Optional(roots) => ClientCertPolicy::Optional(roots),
            ClientAuth::Required(roots) => ClientCertPolicy::Required(roots),
            ClientAuth::Manual => ClientCertPolicy::Manual,
        }
    }
}

/// The default number of sessions a credential's cache holds.
pub const DEFAULT_SESSION_CACHE_SIZE: usize = 256;

/// A set of credentials for one role. Cheap to clone, `Send + Sync`, shared by many contexts; owns the session cache.
#[derive(Clone)]
pub struct Credentials {
    inner: Arc<Inner>,
}

enum Inner {
    Client {
        engine: ClientEngineConfig,
        protocols: Protocols,
        alpn: Vec<Vec<u8>>,
        max_message: usize,
        client_chain: Vec<Certificate>,
    },
    Server {
        engine: ServerEngineConfig,
        protocols: Protocols,
        max_message: usize,
        alpn_required: bool,
        chain: Vec<Certificate>,
    },
}

/// `cbMaximumMessage` for a maximum fragment size (rustls 0.23 subtracts only the header).
fn max_message(max_fragment_size: Option<usize>) -> usize {
    max_fragment_size.map_or(16384, |n| (n - 5).min(16384))
}

impl Credentials {
    /// Starts building outbound (client) credentials.
    pub fn client() -> ClientCredentialsBuilder {
        ClientCredentialsBuilder::default()
    }

    /// Starts building inbound (server) credentials for this certificate chain (leaf first) and
    /// its private key (RSA, ECDSA P-256/P-384 or Ed25519).
    pub fn server(chain: Vec<Certificate>, key: PrivateKey) -> ServerCredentialsBuilder {
        ServerCredentialsBuilder {
            chain,
            key,
            protocols: Protocols::ALL,
            cipher_suites: None,
            key_exchange_groups: None,
            max_fragment_size: None,
            alpn: Vec::new(),
            alpn_required: false,
            session_cache_size: DEFAULT_SESSION_CACHE_SIZE,
            client_auth: ClientAuth::None,
            key_log: None,
        }
    }

    /// The role these credentials serve.
    pub fn role(&self) -> Role {
        match *self.inner {
            Inner::Client { .. } => Role::Client,
            Inner::Server { .. } => Role::Server,
        }
    }

    /// The protocol versions enabled (what `SECPKG_ATTR_SUPPORTED_PROTOCOLS` reports).
    pub fn protocols(&self) -> Protocols {
        match *self.inner {
            Inner::Client { protocols, .. } | Inner::Server { protocols, .. } => protocols,
        }
    }

    /// `cbMaximumMessage` for contexts of this credential.
    pub(crate) fn max_message(&self) -> usize {
        match *self.inner {
            Inner::Client { max_message, .. } | Inner::Server { max_message, .. } => max_message,
        }
    }

    pub(crate) fn client_engine(&self) -> Option<(&ClientEngineConfig, &[Vec<u8>])> {
        match &*self.inner {
            Inner::Client { engine, alpn, .. } => Some((engine, alpn)),
            Inner::Server { .. } => None,
        }
    }

    pub(crate) fn server_engine(&self) -> Option<(&ServerEngineConfig, bool)> {
        match &*self.inner {
            Inner::Server {
                engine,
                alpn_required,
                ..
            } => Some((engine, *alpn_required)),
            Inner::Client { .. } => None,
        }
    }

    /// The credential's own certificate chain (servers), leaf first; empty for clients without
    /// a client certificate.
    pub fn certificate_chain(&self) -> &[Certificate] {
        match &*self.inner {
            Inner::Server { chain, .. } => chain,
            Inner::Client { client_chain, .. } => client_chain,
        }
    }
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials")
            .field("role", &self.role())
            .field("protocols", &self.protocols())
            .finish_non_exhaustive()
    }
}

/// Builder for client credentials; see [`Credentials::client`].
#[derive(Debug)]
pub struct ClientCredentialsBuilder {
    protocols: Protocols,
    cipher_suites: Option<Vec<CipherSuite>>,
    key_exchange_groups: Option<Vec<KeyExchangeGroup>>,
    validation: ServerValidation,
    check_server_name: bool,
    client_certificate: Option<(Vec<Certificate>, PrivateKey)>,
    max_fragment_size: Option<usize>,
    alpn: Vec<Vec<u8>>,
    session_cache_size: usize,
    session_lifetime: Duration,
    key_log: Option<PathBuf>,
}

impl Default for ClientCredentialsBuilder {
    fn default() -> Self {
        Self {
            protocols: Protocols::ALL,
            cipher_suites: None,
            key_exchange_groups: None,
            validation: ServerValidation::Platform,
            check_server_name: true,
            client_certificate: None,
            max_fragment_size: None,
            alpn: Vec::new(),
            session_cache_size: DEFAULT_SESSION_CACHE_SIZE,
            session_lifetime: DEFAULT_SESSION_LIFETIME,
            key_log: None,
        }
    }
}

impl ClientCredentialsBuilder {
    /// The protocol versions to enable (default: TLS 1.2 and 1.3).
    pub fn protocols(mut self, protocols: Protocols) -> Self {
        self.protocols = protocols;
        self
    }

    /// Restricts the cipher suites offered (default: all openschannel implements).
    pub fn cipher_suites(mut self, suites: Vec<CipherSuite>) -> Self {
        self.cipher_suites = Some(suites);
        self
    }

    /// Restricts the key-exchange groups, in order of preference (default: those of the crypto
    /// provider, in its order: X25519, P-256, P-384, then the X25519MLKEM768 hybrid and P-521
    /// with aws-lc-rs). Groups the provider does not implement are ignored; none left fails
    /// `build` with `SEC_E_ALGORITHM_MISMATCH`.
    pub fn key_exchange_groups(mut self, groups: Vec<KeyExchangeGroup>) -> Self {
        self.key_exchange_groups = Some(groups);
        self
    }

    /// How to judge the server's certificate (default: the platform trust store).
    pub fn validation(mut self, validation: ServerValidation) -> Self {
        self.validation = validation;
        self
    }

    /// Whether the server certificate must match the target name (default: true;
    /// `SCH_CRED_NO_SERVERNAME_CHECK` turns it off).
    pub fn check_server_name(mut self, check: bool) -> Self {
        self.check_server_name = check;
        self
    }

    /// A client certificate chain (leaf first) and its key, sent when the server asks for one.
    pub fn client_certificate(mut self, chain: Vec<Certificate>, key: PrivateKey) -> Self {
        self.client_certificate = Some((chain, key));
        self
    }

    /// Largest TLS record this side sends, header included (32..=16389). Smaller records also
    /// shrink `cbMaximumMessage` to `size - 5`.
    pub fn max_fragment_size(mut self, size: usize) -> Self {
        self.max_fragment_size = Some(size);
        self
    }

    /// ALPN protocols offered by every context of this credential unless a context overrides
    /// them.
    pub fn alpn(mut self, protocols: Vec<Vec<u8>>) -> Self {
        self.alpn = protocols;
        self
    }

    /// How many sessions the credential's cache keeps (0 disables resumption).
    pub fn session_cache_size(mut self, size: usize) -> Self {
        self.session_cache_size = size;
        self
    }

    /// How long a cached session may be resumed (`dwSessionLifespan`; default 10 hours).
    /// `Duration::ZERO` disables resumption.
    pub fn session_lifetime(mut self, lifetime: Duration) -> Self {
        self.session_lifetime = lifetime;
        self
    }

    /// Appends the connections' TLS secrets to this NSS key log file (what Wireshark reads to
    /// decrypt a capture). Without it, the file named by the `SSLKEYLOGFILE` environment
    /// variable is used when that variable is set. **Anyone who can read the file can decrypt
    /// the traffic**: a debugging aid only.
    pub fn key_log_file(mut self, path: impl AsRef<Path>) -> Self {
        self.key_log = Some(path.as_ref().to_path_buf());
        self
    }

    /// Builds the credential.
    ///
    /// Fails with `SEC_E_ALGORITHM_MISMATCH` when no protocol (or no cipher suite) is left
    /// enabled, `SEC_E_UNKNOWN_CREDENTIALS` for an unusable certificate, key or trust anchor,
    /// `SEC_E_INVALID_PARAMETER` for a key log file that cannot be opened.
    pub fn build(self) -> Result<Credentials, Error> {
        let verification = match &self.validation {
            ServerValidation::Platform => Verification::Platform,
            ServerValidation::Roots(roots) => Verification::Roots(roots),
            ServerValidation::Manual => Verification::Manual,
        };
        let engine = ClientEngineConfig::build(&ClientSettings {
            protocols: self.protocols,
            cipher_suites: self.cipher_suites.as_deref(),
            key_exchange_groups: self.key_exchange_groups.as_deref(),
            verification,
            check_server_name: self.check_server_name,
            client_certificate: self
                .client_certificate
                .as_ref()
                .map(|(chain, key)| (chain.as_slice(), key)),
            max_fragment_size: self.max_fragment_size,
            session_cache_size: self.session_cache_size,
            session_lifetime: self.session_lifetime,
            key_log: self.key_log.as_deref(),
        })?;
        Ok(Credentials {
            inner: Arc::new(Inner::Client {
                engine,
                protocols: self.protocols,
                alpn: self.alpn,
                max_message: max_message(self.max_fragment_size),
                client_chain: self
                    .client_certificate
                    .map(|(chain, _)| chain)
                    .unwrap_or_default(),
            }),
        })
    }
}

/// Builder for server credentials; see [`Credentials::server`].
#[derive(Debug)]
pub struct ServerCredentialsBuilder {
    chain: Vec<Certificate>,
    key: PrivateKey,
    protocols: Protocols,
    cipher_suites: Option<Vec<CipherSuite>>,
    key_exchange_groups: Option<Vec<KeyExchangeGroup>>,
    max_fragment_size: Option<usize>,
    alpn: Vec<Vec<u8>>,
    alpn_required: bool,
    session_cache_size: usize,
    client_auth: ClientAuth,
    key_log: Option<PathBuf>,
}

impl ServerCredentialsBuilder {
    /// Whether to ask clients for certificates, and which roots they must chain to
    /// (default: [`ClientAuth::None`]).
    pub fn client_auth(mut self, policy: ClientAuth) -> Self {
        self.client_auth = policy;
        self
    }

    /// The protocol versions to enable (default: TLS 1.2 and 1.3).
    pub fn protocols(mut self, protocols: Protocols) -> Self {
        self.protocols = protocols;
        self
    }

    /// Restricts the cipher suites accepted (default: all openschannel implements).
    pub fn cipher_suites(mut self, suites: Vec<CipherSuite>) -> Self {
        self.cipher_suites = Some(suites);
        self
    }

    /// Restricts the key-exchange groups, in order of preference (default: those of the crypto
    /// provider, in its order: X25519, P-256, P-384, then the X25519MLKEM768 hybrid and P-521
    /// with aws-lc-rs). Groups the provider does not implement are ignored; none left fails
    /// `build` with `SEC_E_ALGORITHM_MISMATCH`.
    pub fn key_exchange_groups(mut self, groups: Vec<KeyExchangeGroup>) -> Self {
        self.key_exchange_groups = Some(groups);
        self
    }

    /// Largest TLS record this side sends, header included (32..=16389).
    pub fn max_fragment_size(mut self, size: usize) -> Self {
        self.max_fragment_size = Some(size);
        self
    }

    /// ALPN protocols the server accepts, in preference order. A client offering none of
    /// them still connects, without an application protocol (as Schannel does), unless
    /// [`alpn_required`](Self::alpn_required) is set.
    pub fn alpn(mut self, protocols: Vec<Vec<u8>>) -> Self {
        self.alpn = protocols;
        self
    }

    /// Refuse clients that offer none of the [`alpn`](Self::alpn) protocols (or no ALPN at
    /// all): the handshake fails with `SEC_E_APPLICATION_PROTOCOL_MISMATCH` and the client
    /// receives `no_application_protocol`. Default: false.
    pub fn alpn_required(mut self, required: bool) -> Self {
        self.alpn_required = required;
        self
    }

    /// How many sessions the server's cache keeps (0 disables resumption — no session cache
    /// and no session tickets — like `SCH_CRED_DISABLE_RECONNECTS`).
    pub fn session_cache_size(mut self, size: usize) -> Self {
        self.session_cache_size = size;
        self
    }

    /// Appends the connections' TLS secrets to this NSS key log file; see
    /// [`ClientCredentialsBuilder::key_log_file`].
    pub fn key_log_file(mut self, path: impl AsRef<Path>) -> Self {
        self.key_log = Some(path.as_ref().to_path_buf());
        self
    }

    /// Builds the credential.
    ///
    /// Fails with `SEC_E_ALGORITHM_MISMATCH` when no protocol (or no cipher suite) is left
    /// enabled, `SEC_E_NO_CREDENTIALS` without a certificate, and
    /// `SEC_E_UNKNOWN_CREDENTIALS` when the certificate or key is unusable or they do not match.
    pub fn build(self) -> Result<Credentials, Error> {
        let engine = ServerEngineConfig::build(&ServerSettings {
            client_certs: self.client_auth.policy(),
            protocols: self.protocols,
            cipher_suites: self.cipher_suites.as_deref(),
            key_exchange_groups: self.key_exchange_groups.as_deref(),
            chain: &self.chain,
            key: &self.key,
            max_fragment_size: self.max_fragment_size,
            alpn: &self.alpn,
            session_cache_size: self.session_cache_size,
            key_log: self.key_log.as_deref(),
        })?;
        Ok(Credentials {
            inner: Arc::new(Inner::Server {
                engine,
                protocols: self.protocols,
                max_message: max_message(self.max_fragment_size),
                alpn_required: self.alpn_required,
                chain: self.chain,
            }),
        })
    }
}
