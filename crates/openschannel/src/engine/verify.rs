//! Certificate verifiers: manual validation, skipping the name check, and the wrappers that
//! make chain-building failures read as Windows reports them.
//!
//! # Windows' verdicts
//! CryptoAPI reports a chain that does not reach a trusted root as `CERT_E_UNTRUSTEDROOT`,
//! which Schannel returns as `SEC_E_UNTRUSTED_ROOT` and announces to the peer as `unknown_ca`.
//! webpki tells several such cases apart (unknown issuer, an issuer whose signature does not
//! verify, a CA certificate used as the end entity, path-length limits, …); the
//! [`TrustPathServer`] / [`TrustPathClient`] wrappers fold them into rustls'
//! `CertificateError::UnknownIssuer`, so that rustls sends `unknown_ca` and
//! [`errors::map`](super::errors::map) returns `SEC_E_UNTRUSTED_ROOT`. The original reason is
//! kept for the error's detail text ([`take_detail`]).
//!
//! # A trusted certificate is trusted
//! A peer certificate that is byte-equal to one of the trust anchors validates even when it is
//! self-signed with `CA:TRUE` (what `openssl req -x509` makes), as Windows' chain engine and
//! OpenSSL accept it; webpki refuses it as `CaUsedAsEndEntity`. The wrappers then accept it
//! themselves: the validity period has already been checked by then (webpki checks time before
//! basic constraints, so an expired one fails as expired), and the server name is checked
//! here (`SEC_E_WRONG_PRINCIPAL` on mismatch). As on Windows, a certificate without a
//! subjectAltName is matched against its subject's common names. Only the explicit anchors (`hRootStore`,
//! `ServerValidation::Roots`, `--ca`) are known to the wrappers; the platform store's are not.

use std::cell::RefCell;
use std::sync::Arc;

use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::WebPkiSupportedAlgorithms;
use rustls::crypto::{verify_tls12_signature, verify_tls13_signature, CryptoProvider};
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::server::danger::{ClientCertVerified, ClientCertVerifier};
use rustls::{CertificateError, DigitallySignedStruct, DistinguishedName, Error, SignatureScheme};

thread_local! {
    /// Why the last verification on this thread was folded into `UnknownIssuer`. Verifiers run
    /// synchronously inside the engine call, on the caller's thread.
    static DETAIL: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// The handshake-signature checks of a verifier that judges signatures itself (with the
/// provider's algorithms in `self.algorithms`), shared by every such verifier below.
macro_rules! own_signature_checks {
    () => {
        fn verify_tls12_signature(
            &self,
            message: &[u8],
            cert: &CertificateDer<'_>,
            dss: &DigitallySignedStruct,
        ) -> Result<HandshakeSignatureValid, Error> {
            verify_tls12_signature(message, cert, dss, &self.algorithms)
        }

        fn verify_tls13_signature(
            &self,
            message: &[u8],
            cert: &CertificateDer<'_>,
            dss: &DigitallySignedStruct,
        ) -> Result<HandshakeSignatureValid, Error> {
            verify_tls13_signature(message, cert, dss, &self.algorithms)
        }

        fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
            self.algorithms.supported_schemes()
        }
    };
}

/// The handshake-signature checks (and raw-key switch) of a wrapper that defers them to
/// `self.inner`, shared by every wrapping verifier below.
macro_rules! delegated_signature_checks {
    () => {
        fn verify_tls12_signature(
            &self,
            message: &[u8],
            cert: &CertificateDer<'_>,
            dss: &DigitallySignedStruct,
        ) -> Result<HandshakeSignatureValid, Error> {
            self.inner.verify_tls12_signature(message, cert, dss)
        }

        fn verify_tls13_signature(
            &self,
            message: &[u8],
            cert: &CertificateDer<'_>,
            dss: &DigitallySignedStruct,
        ) -> Result<HandshakeSignatureValid, Error> {
            self.inner.verify_tls13_signature(message, cert, dss)
        }

        fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
            self.inner.supported_verify_schemes()
        }

        fn requires_raw_public_keys(&self) -> bool {
            self.inner.requires_raw_public_keys()
        }
    };
}

/// Clears the detail before an engine call.
pub(crate) fn clear_detail() {
    DETAIL.with(|d| d.borrow_mut().take());
}

/// The detail recorded by the last folded verification on this thread.
pub(crate) fn take_detail() -> Option<String> {
    DETAIL.with(|d| d.borrow_mut().take())
}

/// Folds "no trusted path" failures into `UnknownIssuer` (see the module docs).
fn trust_path(e: Error) -> Error {
    let Error::InvalidCertificate(c) = &e else {
        return e;
    };
    #[allow(deprecated)]
    let untrusted = match c {
        CertificateError::UnknownIssuer => return e,
        CertificateError::BadSignature
        | CertificateError::UnsupportedSignatureAlgorithm
        | CertificateError::UnsupportedSignatureAlgorithmContext { .. }
        | CertificateError::UnsupportedSignatureAlgorithmForPublicKeyContext { .. } => true,
        CertificateError::Other(other) => {
            other.0.downcast_ref::<webpki::Error>().is_some_and(|w| {
                matches!(
                    w,
                    webpki::Error::CaUsedAsEndEntity
                        | webpki::Error::EndEntityUsedAsCa
                        | webpki::Error::MaximumPathDepthExceeded
                        | webpki::Error::MaximumPathBuildCallsExceeded
                        | webpki::Error::PathLenConstraintViolated
                )
            })
        }
        _ => false,
    };
    if !untrusted {
        return e;
    }
    let detail = format!("no trusted certificate path: {c:?}");
    tracing::debug!("{detail}");
    DETAIL.with(|d| *d.borrow_mut() = Some(detail));
    Error::InvalidCertificate(CertificateError::UnknownIssuer)
}

/// Whether `e` is webpki's refusal of a CA certificate as the end entity.
fn ca_used_as_end_entity(e: &Error) -> bool {
    matches!(e, Error::InvalidCertificate(CertificateError::Other(other))
        if matches!(other.0.downcast_ref::<webpki::Error>(), Some(webpki::Error::CaUsedAsEndEntity)))
}

/// Windows' name check falls back to the subject's common name when the certificate has no
/// subjectAltName (what `openssl req -x509 -subj /CN=host` makes): a name mismatch `e` that
/// webpki reports with no presented names is forgiven when a common name matches a DNS
/// `server_name`. webpki reports the name only after the chain verified, so nothing else is
/// skipped. Every other error is returned as it is.
fn common_name_fallback(
    e: Error,
    end_entity: &CertificateDer<'_>,
    server_name: &ServerName<'_>,
) -> Result<(), Error> {
    let no_alt_names = matches!(&e, Error::InvalidCertificate(
        CertificateError::NotValidForNameContext { presented, .. }) if presented.is_empty());
    let ServerName::DnsName(dns) = server_name else {
        return Err(e);
    };
    if no_alt_names
        && crate::cert_names::subject_common_names(end_entity.as_ref())
            .iter()
            .any(|cn| crate::cert_names::common_name_matches(cn, dns.as_ref()))
    {
        tracing::debug!("server name matched the certificate's common name (no subjectAltName)");
        return Ok(());
    }
    Err(e)
}

/// Whether `cert` is byte-equal to one of `anchors`.
fn is_anchor(anchors: &[CertificateDer<'static>], cert: &CertificateDer<'_>) -> bool {
    anchors.iter().any(|a| a.as_ref() == cert.as_ref())
}

/// A server-certificate verifier whose chain failures read as Windows reports them, and that
/// trusts a certificate which is itself one of `anchors` (see the module docs).
#[derive(Debug)]
pub(crate) struct TrustPathServer {
    inner: Arc<dyn ServerCertVerifier>,
    anchors: Vec<CertificateDer<'static>>,
}

impl TrustPathServer {
    pub(crate) fn new(inner: Arc<dyn ServerCertVerifier>) -> Self {
        Self::with_anchors(inner, Vec::new())
    }

    /// As [`new`](Self::new), accepting a peer certificate byte-equal to one of `anchors`.
    pub(crate) fn with_anchors(
        inner: Arc<dyn ServerCertVerifier>,
        anchors: Vec<CertificateDer<'static>>,
    ) -> Self {
        Self { inner, anchors }
    }
}

impl ServerCertVerifier for TrustPathServer {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp_response: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, Error> {
        match self.inner.verify_server_cert(
            end_entity,
            intermediates,
            server_name,
            ocsp_response,
            now,
        ) {
            Err(e) if ca_used_as_end_entity(&e) && is_anchor(&self.anchors, end_entity) => {
                // The time was checked before the CA flag; the name is checked here.
                let cert = rustls::server::ParsedCertificate::try_from(end_entity)?;
                rustls::client::verify_server_name(&cert, server_name)
                    .or_else(|e| common_name_fallback(e, end_entity, server_name))?;
                tracing::debug!("the server certificate is itself a trust anchor");
                Ok(ServerCertVerified::assertion())
            }
            Err(e) => common_name_fallback(e, end_entity, server_name)
                .map(|()| ServerCertVerified::assertion())
                .map_err(trust_path),
            Ok(v) => Ok(v),
        }
    }

    delegated_signature_checks!();

    fn root_hint_subjects(&self) -> Option<&[DistinguishedName]> {
        self.inner.root_hint_subjects()
    }
}

/// A client-certificate verifier whose chain failures read as Windows reports them.
#[derive(Debug)]
pub(crate) struct TrustPathClient {
    inner: Arc<dyn ClientCertVerifier>,
    anchors: Vec<CertificateDer<'static>>,
}

impl TrustPathClient {
    /// The wrapper around `inner`, accepting a client certificate byte-equal to one of
    /// `anchors` (see the module docs; there is no name to check).
    pub(crate) fn new(
        inner: Arc<dyn ClientCertVerifier>,
        anchors: Vec<CertificateDer<'static>>,
    ) -> Self {
        Self { inner, anchors }
    }
}

impl ClientCertVerifier for TrustPathClient {
    fn offer_client_auth(&self) -> bool {
        self.inner.offer_client_auth()
    }

    fn client_auth_mandatory(&self) -> bool {
        self.inner.client_auth_mandatory()
    }

    fn root_hint_subjects(&self) -> &[DistinguishedName] {
        self.inner.root_hint_subjects()
    }

    fn verify_client_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        now: UnixTime,
    ) -> Result<ClientCertVerified, Error> {
        match self
            .inner
            .verify_client_cert(end_entity, intermediates, now)
        {
            Err(e) if ca_used_as_end_entity(&e) && is_anchor(&self.anchors, end_entity) => {
                tracing::debug!("the client certificate is itself a trust anchor");
                Ok(ClientCertVerified::assertion())
            }
            other => other.map_err(trust_path),
        }
    }

    delegated_signature_checks!();
}

/// `SCH_CRED_MANUAL_CRED_VALIDATION`: accepts any certificate chain — judging it is the
/// caller's job — but still checks that the peer holds the key of the certificate it sent
/// (the handshake signature), so the chain the caller inspects is the peer's own.
#[derive(Debug)]
pub(crate) struct AcceptAnyChain {
    algorithms: WebPkiSupportedAlgorithms,
}

impl AcceptAnyChain {
    pub(crate) fn new(provider: &CryptoProvider) -> Self {
        Self {
            algorithms: provider.signature_verification_algorithms,
        }
    }
}

impl ServerCertVerifier for AcceptAnyChain {
    fn verify_server_cert(
        &self,
        _end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp_response: &[u8],
        _now: UnixTime,
    ) -> Result<ServerCertVerified, Error> {
        Ok(ServerCertVerified::assertion())
    }

    own_signature_checks!();
}

/// A server asking for a client certificate it does not judge itself (`ASC_REQ_MUTUAL_AUTH`
/// without client trust anchors): any chain is accepted — the application inspects it — but the
/// client must prove it holds the certificate's key. Clients may send none.
#[derive(Debug)]
pub(crate) struct AcceptAnyClientChain {
    algorithms: WebPkiSupportedAlgorithms,
}

impl AcceptAnyClientChain {
    pub(crate) fn new(provider: &CryptoProvider) -> Self {
        Self {
            algorithms: provider.signature_verification_algorithms,
        }
    }
}

impl ClientCertVerifier for AcceptAnyClientChain {
    fn client_auth_mandatory(&self) -> bool {
        false
    }

    fn root_hint_subjects(&self) -> &[DistinguishedName] {
        &[]
    }

    fn verify_client_cert(
        &self,
        _end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _now: UnixTime,
    ) -> Result<ClientCertVerified, Error> {
        Ok(ClientCertVerified::assertion())
    }

    own_signature_checks!();
}

/// A client validating against an empty set of trust anchors (an empty `hRootStore`): no
/// server chain can be trusted (`SEC_E_UNTRUSTED_ROOT`, alert `unknown_ca`). webpki cannot be
/// built without anchors, hence this verifier.
#[derive(Debug)]
pub(crate) struct NoTrustedServerChain {
    algorithms: WebPkiSupportedAlgorithms,
}

impl NoTrustedServerChain {
    pub(crate) fn new(provider: &CryptoProvider) -> Self {
        Self {
            algorithms: provider.signature_verification_algorithms,
        }
    }
}

impl ServerCertVerifier for NoTrustedServerChain {
    fn verify_server_cert(
        &self,
        _end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp_response: &[u8],
        _now: UnixTime,
    ) -> Result<ServerCertVerified, Error> {
        Err(Error::InvalidCertificate(CertificateError::UnknownIssuer))
    }

    own_signature_checks!();
}

/// A server asking for client certificates with an empty set of trust anchors (an empty
/// `hRootStore`): no chain can be trusted, so every certificate a client sends is refused as
/// `UnknownIssuer` (`SEC_E_UNTRUSTED_ROOT`, alert `unknown_ca`). webpki cannot be built without
/// anchors, hence this verifier.
#[derive(Debug)]
pub(crate) struct NoTrustedClientChain {
    mandatory: bool,
    algorithms: WebPkiSupportedAlgorithms,
}

impl NoTrustedClientChain {
    pub(crate) fn new(provider: &CryptoProvider, mandatory: bool) -> Self {
        Self {
            mandatory,
            algorithms: provider.signature_verification_algorithms,
        }
    }
}

impl ClientCertVerifier for NoTrustedClientChain {
    fn client_auth_mandatory(&self) -> bool {
        self.mandatory
    }

    fn root_hint_subjects(&self) -> &[DistinguishedName] {
        &[]
    }

    fn verify_client_cert(
        &self,
        _end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _now: UnixTime,
    ) -> Result<ClientCertVerified, Error> {
        Err(Error::InvalidCertificate(CertificateError::UnknownIssuer))
    }

    own_signature_checks!();
}

/// `SCH_CRED_NO_SERVERNAME_CHECK`: full chain validation, but a name mismatch is forgiven.
#[derive(Debug)]
pub(crate) struct IgnoreServerName {
    inner: Arc<dyn ServerCertVerifier>,
}

impl IgnoreServerName {
    pub(crate) fn new(inner: Arc<dyn ServerCertVerifier>) -> Self {
        Self { inner }
    }
}

impl ServerCertVerifier for IgnoreServerName {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp_response: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, Error> {
        match self.inner.verify_server_cert(
            end_entity,
            intermediates,
            server_name,
            ocsp_response,
            now,
        ) {
            Err(Error::InvalidCertificate(
                CertificateError::NotValidForName | CertificateError::NotValidForNameContext { .. },
            )) => Ok(ServerCertVerified::assertion()),
            other => other,
        }
    }

    delegated_signature_checks!();
}
