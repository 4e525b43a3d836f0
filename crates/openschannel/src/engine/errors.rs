//! rustls errors → Schannel statuses.

use rustls::{CertificateError, Error as E};

use crate::error::Error;
use crate::status::Status;

/// Maps a rustls error to the status Schannel returns for the same condition (contract §3).
pub(crate) fn map(e: E) -> Error {
    let status = match &e {
        E::AlertReceived(d) => match Status::from_alert(u8::from(*d)) {
            // A close_notify that rustls rejects (fatal level, unknown level, or before the
            // handshake completed) ends the connection: an error, never SEC_I_CONTEXT_EXPIRED.
            s if s.is_success() => Status::SEC_E_ILLEGAL_MESSAGE,
            s => s,
        },
        E::InvalidCertificate(c) => certificate_status(c),
        E::DecryptError => Status::SEC_E_MESSAGE_ALTERED,
        E::EncryptError => Status::SEC_E_ENCRYPT_FAILURE,
        E::InvalidMessage(_) => Status::SEC_E_INVALID_TOKEN,
        E::InappropriateMessage { .. }
        | E::InappropriateHandshakeMessage { .. }
        | E::PeerMisbehaved(_)
        | E::PeerSentOversizedRecord
        | E::InvalidEncryptedClientHello(_) => Status::SEC_E_ILLEGAL_MESSAGE,
        E::PeerIncompatible(_) => Status::SEC_E_ALGORITHM_MISMATCH,
        E::NoApplicationProtocol => Status::SEC_E_APPLICATION_PROTOCOL_MISMATCH,
        E::NoCertificatesPresented => Status::SEC_E_CERT_UNKNOWN,
        E::UnsupportedNameType => Status::SEC_E_TARGET_UNKNOWN,
        E::BadMaxFragmentSize => Status::SEC_E_INVALID_PARAMETER,
        E::InconsistentKeys(_) => Status::SEC_E_UNKNOWN_CREDENTIALS,
        _ => Status::SEC_E_INTERNAL_ERROR,
    };
    let error = match (&e, super::verify::take_detail()) {
        // A chain failure folded into UnknownIssuer: say what webpki actually found.
        (E::InvalidCertificate(_), Some(detail)) => Error::new(status, format!("{e} ({detail})")),
        _ => Error::new(status, e.to_string()),
    };
    match e {
        E::AlertReceived(d) => error.with_received_alert(u8::from(d)),
        _ => error,
    }
}

/// Windows' status for a certificate verdict (contract §3.2, §5.5): no trusted path →
/// `SEC_E_UNTRUSTED_ROOT` (the verifiers fold every such case into `UnknownIssuer`, see
/// `verify.rs`), name mismatch → `SEC_E_WRONG_PRINCIPAL`, outside the validity period →
/// `SEC_E_CERT_EXPIRED`; anything else about the certificate → `SEC_E_CERT_UNKNOWN`.
fn certificate_status(c: &CertificateError) -> Status {
    use CertificateError as C;
    match c {
        C::UnknownIssuer => Status::SEC_E_UNTRUSTED_ROOT,
        C::NotValidForName | C::NotValidForNameContext { .. } => Status::SEC_E_WRONG_PRINCIPAL,
        C::Expired | C::ExpiredContext { .. } | C::NotValidYet | C::NotValidYetContext { .. } => {
            Status::SEC_E_CERT_EXPIRED
        }
        C::Revoked => Status::CRYPT_E_REVOKED,
        C::UnknownRevocationStatus => Status::SEC_E_REVOCATION_OFFLINE_C,
        C::InvalidPurpose | C::InvalidPurposeContext { .. } => Status::SEC_E_CERT_WRONG_USAGE,
        _ => Status::SEC_E_CERT_UNKNOWN,
    }
}
