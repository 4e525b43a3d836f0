//! What hostile input may legitimately make a context return.

use openschannel::Status;

/// Whether `s` is one of the statuses a context may return for hostile input (garbage, a
/// mutated conversation, a cut stream). Anything else is a finding.
pub fn allowed_error(s: Status) -> bool {
    [
        Status::SEC_E_INVALID_TOKEN,
        Status::SEC_E_ILLEGAL_MESSAGE,
        Status::SEC_E_MESSAGE_ALTERED,
        Status::SEC_E_DECRYPT_FAILURE,
        Status::SEC_E_ALGORITHM_MISMATCH,
        Status::SEC_E_UNSUPPORTED_FUNCTION,
        Status::SEC_E_INTERNAL_ERROR,
        Status::SEC_E_CERT_UNKNOWN,
        Status::SEC_E_UNTRUSTED_ROOT,
        Status::SEC_E_WRONG_PRINCIPAL,
        Status::SEC_E_CERT_EXPIRED,
        Status::SEC_E_LOGON_DENIED,
        Status::SEC_E_UNFINISHED_CONTEXT_DELETED,
        Status::SEC_E_APPLICATION_PROTOCOL_MISMATCH,
        Status::SEC_E_CONTEXT_EXPIRED,
        Status::CRYPT_E_REVOKED,
    ]
    .contains(&s)
}
