//! `SECURITY_STATUS` codes returned by the Schannel SSPI entry points.
//!
//! [`Status`] wraps the 32-bit signed value Windows returns from every SSPI call
//! (negative means failure, as with `FAILED()`). Every named constant carries the
//! exact value from Windows' `winerror.h`, so callers can compare against the
//! numbers they already know. [`Status::from_alert`] maps received TLS alerts to
//! the status Schannel reports for them.

use core::fmt;

/// A Windows `SECURITY_STATUS` value (32-bit signed; negative = failure).
///
/// The named associated constants (for example [`Status::SEC_E_OK`]) hold the exact
/// `winerror.h` values; any other 32-bit value can be carried with
/// [`Status::from_raw`] and is reported as `UNKNOWN_STATUS`.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[repr(transparent)]
pub struct Status(i32);

/// Builds a [`Status`] from the unsigned spelling used in `winerror.h`.
const fn code(value: u32) -> Status {
    Status(value as i32)
}

/// Emits, from one list, the associated constants, [`Status::ALL`] and the private
/// name/message table, so the three can never disagree.
macro_rules! status_codes {
    ($( $(#[$extra:meta])* $name:ident = $value:literal, $message:literal; )*) => {
        impl Status {
            $(
                #[doc = concat!("`", stringify!($name), "` (`", stringify!($value), "`): ", $message)]
                $(#[$extra])*
                pub const $name: Status = code($value);
            )*

            /// Every named code, in the order of the contract's tables (§3.1, then §3.2).
            pub const ALL: &'static [Status] = &[$(Status::$name),*];
        }

        /// `(code, Windows name, short English description)` for every named code.
        const TABLE: &[(Status, &str, &str)] = &[
            $((Status::$name, stringify!($name), $message)),*
        ];
    };
}

status_codes! {
    // ---- §3.1 Success / informational -------------------------------------------------
    SEC_E_OK = 0x00000000,
        "The call succeeded; if it produced an output token, that token must still be sent to the peer.";
    SEC_I_CONTINUE_NEEDED = 0x00090312,
        "The handshake is not finished; send any output token to the peer and call again with the peer's next data.";
    SEC_I_COMPLETE_NEEDED = 0x00090313,
        "The caller would have to finish the token with CompleteAuthToken; the TLS handshake never asks for this.";
    SEC_I_COMPLETE_AND_CONTINUE = 0x00090314,
        "The caller would have to call CompleteAuthToken and then continue; the TLS handshake never asks for this.";
    SEC_I_CONTEXT_EXPIRED = 0x00090317,
        "The TLS connection has been closed (the peer sent close_notify or the local shutdown finished); no more data will arrive.";
    SEC_I_INCOMPLETE_CREDENTIALS = 0x00090320,
        "The server asked for a client certificate and none was supplied; provide one or call again to continue without it.";
    /// Shares its low 16 bits with [`Status::SEC_E_BUFFER_TOO_SMALL`]; always compare full values.
    SEC_I_RENEGOTIATE = 0x00090321,
        "The peer sent a post-handshake handshake message; pass it to the handshake function before decrypting more data.";
    SEC_I_GENERIC_EXTENSION_RECEIVED = 0x00090316,
        "A TLS extension the caller subscribed to was received and returned in an extension buffer.";
    SEC_I_NO_RENEGOTIATION = 0x00090360,
        "The peer declined the renegotiation request.";
    SEC_I_MESSAGE_FRAGMENT = 0x00090364,
        "Only part of the message fit in the output buffer (DTLS fragmentation); call again for the next fragment.";
    SEC_I_CONTINUE_NEEDED_MESSAGE_OK = 0x00090366,
        "The handshake must continue, but application data may already be sent.";
    SEC_I_ASYNC_CALL_PENDING = 0x00090368,
        "An asynchronous call was started and has not completed yet.";
    SEC_I_LOCAL_LOGON = 0x00090315,
        "The logon was completed locally without contacting an authority; TLS does not use this.";
    SEC_I_SIGNATURE_NEEDED = 0x0009035C,
        "A signature must be produced before authentication can continue; TLS does not use this.";

    // ---- §3.2 Errors -------------------------------------------------------------------
    SEC_E_INSUFFICIENT_MEMORY = 0x80090300,
        "Memory ran out, or an output buffer has zero size while ALLOCATE_MEMORY was not requested.";
    SEC_E_INVALID_HANDLE = 0x80090301,
        "The credential or context handle is null, unknown or already freed.";
    SEC_E_UNSUPPORTED_FUNCTION = 0x80090302,
        "The requested attribute, flag or control token is not supported, or the peer rejected the protocol version.";
    SEC_E_TARGET_UNKNOWN = 0x80090303,
        "The target named for the connection is not recognised.";
    SEC_E_INTERNAL_ERROR = 0x80090304,
        "An unexpected internal failure occurred, or the peer reported an internal error.";
    SEC_E_SECPKG_NOT_FOUND = 0x80090305,
        "The requested security package name is not known.";
    SEC_E_NOT_OWNER = 0x80090306,
        "The caller does not own the requested credentials.";
    SEC_E_INVALID_TOKEN = 0x80090308,
        "The input token or buffer layout is malformed, or the peer sent data that is not valid TLS.";
    SEC_E_QOP_NOT_SUPPORTED = 0x8009030A,
        "The requested quality-of-protection value is not supported.";
    SEC_E_LOGON_DENIED = 0x8009030C,
        "Access was refused, for example because the peer sent an access_denied alert.";
    SEC_E_UNKNOWN_CREDENTIALS = 0x8009030D,
        "The supplied credential structure or certificate is not recognised or not acceptable.";
    SEC_E_NO_CREDENTIALS = 0x8009030E,
        "No usable credentials are available, such as a server without a certificate or a certificate without a private key.";
    SEC_E_MESSAGE_ALTERED = 0x8009030F,
        "A received record failed its integrity check, so the data was altered or corrupted on the way.";
    SEC_E_OUT_OF_SEQUENCE = 0x80090310,
        "A received message arrived out of sequence.";
    SEC_E_NO_AUTHENTICATING_AUTHORITY = 0x80090311,
        "No authority could be reached to authenticate the connection.";
    SEC_E_CONTEXT_EXPIRED = 0x80090317,
        "The context is already closed or has a pending renegotiation to service first, so this call cannot proceed.";
    SEC_E_INCOMPLETE_MESSAGE = 0x80090318,
        "The input does not yet hold a complete TLS record; read more bytes and call again with all of them.";
    SEC_E_INCOMPLETE_CREDENTIALS = 0x80090320,
        "The credentials are incomplete; Schannel reports this situation as SEC_I_INCOMPLETE_CREDENTIALS instead.";
    /// Shares its low 16 bits with [`Status::SEC_I_RENEGOTIATE`]; always compare full values.
    SEC_E_BUFFER_TOO_SMALL = 0x80090321,
        "An output buffer is too small for the result; supply a larger one and call again.";
    SEC_E_WRONG_PRINCIPAL = 0x80090322,
        "The server's certificate does not match the expected target name.";
    SEC_E_TIME_SKEW = 0x80090324,
        "The clocks of the two machines differ by too much.";
    SEC_E_UNTRUSTED_ROOT = 0x80090325,
        "The certificate chain does not end in a trusted root authority.";
    SEC_E_ILLEGAL_MESSAGE = 0x80090326,
        "The peer sent a fatal alert or a message that breaks the TLS protocol.";
    SEC_E_CERT_UNKNOWN = 0x80090327,
        "A certificate was rejected as bad, unsupported or unknown by one side of the connection.";
    SEC_E_CERT_EXPIRED = 0x80090328,
        "A certificate has expired, either the peer's or, as the peer reported, our own.";
    SEC_E_ENCRYPT_FAILURE = 0x80090329,
        "Encrypting the outgoing data failed.";
    SEC_E_DECRYPT_FAILURE = 0x80090330,
        "A received record could not be decrypted, or the peer reported a decryption error.";
    SEC_E_ALGORITHM_MISMATCH = 0x80090331,
        "The two sides have no protocol version or cipher suite in common that both allow.";
    SEC_E_UNFINISHED_CONTEXT_DELETED = 0x80090333,
        "The connection was abandoned before the handshake finished, for example by a user_canceled alert.";
    SEC_E_CRYPTO_SYSTEM_INVALID = 0x80090337,
        "The cryptographic algorithm needed for this operation is not available.";
    SEC_E_APPLICATION_PROTOCOL_MISMATCH = 0x80090367,
        "The two sides have no application protocol (ALPN) in common.";
    SEC_E_CERT_WRONG_USAGE = 0x80090349,
        "The certificate is not valid for the requested use.";
    SEC_E_DOWNGRADE_DETECTED = 0x80090350,
        "A possible attempt to downgrade the connection's security was detected.";
    SEC_E_ISSUING_CA_UNTRUSTED = 0x80090352,
        "The authority that issued the client certificate is not trusted.";
    SEC_E_REVOCATION_OFFLINE_C = 0x80090353,
        "The revocation status of the client certificate could not be determined.";
    SEC_E_INVALID_PARAMETER = 0x8009035D,
        "One or more parameters passed to the function are not valid.";
    SEC_E_SHUTDOWN_IN_PROGRESS = 0x8009033F,
        "The system is shutting down, so the request cannot be served.";
    SEC_E_NO_CONTEXT = 0x80090361,
        "There is no security context for this operation.";
    SEC_E_MUTUAL_AUTH_FAILED = 0x80090363,
        "The other side could not be authenticated, so mutual authentication failed.";
    SEC_E_STRONG_CRYPTO_NOT_SUPPORTED = 0x8009033A,
        "The strong cryptography this operation requires is not available.";
    SEC_E_EXT_BUFFER_TOO_SMALL = 0x8009036A,
        "The buffer provided for extension data is too small.";
    SEC_E_INSUFFICIENT_BUFFERS = 0x8009036B,
        "Fewer security buffers were supplied than this call needs.";
    CRYPT_E_REVOKED = 0x80092010,
        "A certificate has been revoked by its issuer, either the peer's or, as the peer reported, our own.";
    CERT_E_EXPIRED = 0x800B0101,
        "Certificate chain policy check: a certificate is outside its validity period.";
    CERT_E_UNTRUSTEDROOT = 0x800B0109,
        "Certificate chain policy check: the chain ends in a root certificate that is not trusted.";
    CERT_E_CN_NO_MATCH = 0x800B010F,
        "Certificate chain policy check: the certificate's name does not match the expected host name.";
}

impl Status {
    /// Wraps a raw `SECURITY_STATUS` value (named or not).
    pub const fn from_raw(raw: i32) -> Status {
        Status(raw)
    }

    /// Returns the `SECURITY_STATUS` value as Windows returns it.
    pub const fn raw(self) -> i32 {
        self.0
    }

    /// Returns the same bits as an unsigned value, convenient for hex printing.
    pub const fn as_u32(self) -> u32 {
        self.0 as u32
    }

    /// `true` for failure codes (negative value; the `FAILED()` macro).
    pub const fn is_error(self) -> bool {
        self.0 < 0
    }

    /// `true` for success and informational codes (non-negative value; `SUCCEEDED()`).
    pub const fn is_success(self) -> bool {
        self.0 >= 0
    }

    /// The table entry for this value, if it is a named code.
    fn entry(self) -> Option<&'static (Status, &'static str, &'static str)> {
        TABLE.iter().find(|(status, _, _)| *status == self)
    }

    /// The Windows name of the code (e.g. `"SEC_E_INVALID_TOKEN"`), or
    /// `"UNKNOWN_STATUS"` for a value that is not a named code.
    pub fn name(self) -> &'static str {
        self.entry().map_or("UNKNOWN_STATUS", |(_, name, _)| name)
    }

    /// One short English sentence describing what the code means to a TLS caller,
    /// or `"Unknown SECURITY_STATUS value."` for a value that is not a named code.
    pub fn message(self) -> &'static str {
        self.entry()
            .map_or("Unknown SECURITY_STATUS value.", |(_, _, message)| message)
    }

    /// The status Schannel reports when a TLS alert with this `AlertDescription`
    /// byte is received (contract §3.3).
    ///
    /// `close_notify` (0) maps to [`Status::SEC_I_CONTEXT_EXPIRED`] (a normal close,
    /// not an error), `no_application_protocol` (120) to
    /// [`Status::SEC_E_APPLICATION_PROTOCOL_MISMATCH`], and every alert without a
    /// specific row to [`Status::SEC_E_ILLEGAL_MESSAGE`].
    pub fn from_alert(description: u8) -> Status {
        match description {
            0 => Status::SEC_I_CONTEXT_EXPIRED,
            20 | 30 => Status::SEC_E_MESSAGE_ALTERED,
            21 | 51 => Status::SEC_E_DECRYPT_FAILURE,
            42 | 43 | 46 => Status::SEC_E_CERT_UNKNOWN,
            44 => Status::CRYPT_E_REVOKED,
            45 => Status::SEC_E_CERT_EXPIRED,
            48 => Status::SEC_E_UNTRUSTED_ROOT,
            49 => Status::SEC_E_LOGON_DENIED,
            70 => Status::SEC_E_UNSUPPORTED_FUNCTION,
            71 => Status::SEC_E_ALGORITHM_MISMATCH,
            80 => Status::SEC_E_INTERNAL_ERROR,
            90 => Status::SEC_E_UNFINISHED_CONTEXT_DELETED,
            120 => Status::SEC_E_APPLICATION_PROTOCOL_MISMATCH,
            _ => Status::SEC_E_ILLEGAL_MESSAGE,
        }
    }
}

impl fmt::Display for Status {
    /// Formats as `NAME (0xXXXXXXXX)`, e.g. `SEC_E_INVALID_TOKEN (0x80090308)`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} (0x{:08X})", self.name(), self.as_u32())
    }
}

impl fmt::Debug for Status {
    /// Same text as [`fmt::Display`].
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

impl From<Status> for i32 {
    /// Returns the raw `SECURITY_STATUS` value.
    fn from(status: Status) -> i32 {
        status.raw()
    }
}

impl From<i32> for Status {
    /// Wraps a raw `SECURITY_STATUS` value.
    fn from(raw: i32) -> Status {
        Status::from_raw(raw)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn exact_values_from_contract() {
        let expected: &[(Status, u32)] = &[
            (Status::SEC_E_OK, 0x0000_0000),
            (Status::SEC_I_CONTINUE_NEEDED, 0x0009_0312),
            (Status::SEC_I_COMPLETE_NEEDED, 0x0009_0313),
            (Status::SEC_I_COMPLETE_AND_CONTINUE, 0x0009_0314),
            (Status::SEC_I_CONTEXT_EXPIRED, 0x0009_0317),
            (Status::SEC_I_INCOMPLETE_CREDENTIALS, 0x0009_0320),
            (Status::SEC_I_RENEGOTIATE, 0x0009_0321),
            (Status::SEC_I_CONTINUE_NEEDED_MESSAGE_OK, 0x0009_0366),
            (Status::SEC_I_SIGNATURE_NEEDED, 0x0009_035C),
            (Status::SEC_E_INSUFFICIENT_MEMORY, 0x8009_0300),
            (Status::SEC_E_INVALID_HANDLE, 0x8009_0301),
            (Status::SEC_E_UNSUPPORTED_FUNCTION, 0x8009_0302),
            (Status::SEC_E_INTERNAL_ERROR, 0x8009_0304),
            (Status::SEC_E_INVALID_TOKEN, 0x8009_0308),
            (Status::SEC_E_MESSAGE_ALTERED, 0x8009_030F),
            (Status::SEC_E_CONTEXT_EXPIRED, 0x8009_0317),
            (Status::SEC_E_INCOMPLETE_MESSAGE, 0x8009_0318),
            (Status::SEC_E_BUFFER_TOO_SMALL, 0x8009_0321),
            (Status::SEC_E_WRONG_PRINCIPAL, 0x8009_0322),
            (Status::SEC_E_UNTRUSTED_ROOT, 0x8009_0325),
            (Status::SEC_E_ILLEGAL_MESSAGE, 0x8009_0326),
            (Status::SEC_E_CERT_UNKNOWN, 0x8009_0327),
            (Status::SEC_E_CERT_EXPIRED, 0x8009_0328),
            (Status::SEC_E_DECRYPT_FAILURE, 0x8009_0330),
            (Status::SEC_E_ALGORITHM_MISMATCH, 0x8009_0331),
            (Status::SEC_E_UNFINISHED_CONTEXT_DELETED, 0x8009_0333),
            (Status::SEC_E_SHUTDOWN_IN_PROGRESS, 0x8009_033F),
            (Status::SEC_E_APPLICATION_PROTOCOL_MISMATCH, 0x8009_0367),
            (Status::SEC_E_INSUFFICIENT_BUFFERS, 0x8009_036B),
            (Status::CRYPT_E_REVOKED, 0x8009_2010),
            (Status::CERT_E_EXPIRED, 0x800B_0101),
            (Status::CERT_E_UNTRUSTEDROOT, 0x800B_0109),
            (Status::CERT_E_CN_NO_MATCH, 0x800B_010F),
        ];
        for &(status, value) in expected {
            assert_eq!(status.as_u32(), value, "{}", status.name());
            assert_eq!(status.raw(), value as i32, "{}", status.name());
        }
    }

    #[test]
    fn context_expired_and_buffer_too_small_pairs_are_distinct() {
        assert_ne!(Status::SEC_I_CONTEXT_EXPIRED, Status::SEC_E_CONTEXT_EXPIRED);
        assert!(Status::SEC_I_CONTEXT_EXPIRED.is_success());
        assert!(Status::SEC_E_CONTEXT_EXPIRED.is_error());
        assert_eq!(
            Status::SEC_I_CONTEXT_EXPIRED.name(),
            "SEC_I_CONTEXT_EXPIRED"
        );
        assert_eq!(
            Status::SEC_E_CONTEXT_EXPIRED.name(),
            "SEC_E_CONTEXT_EXPIRED"
        );

        assert_ne!(Status::SEC_E_BUFFER_TOO_SMALL, Status::SEC_I_RENEGOTIATE);
        assert_eq!(
            Status::SEC_E_BUFFER_TOO_SMALL.as_u32() & 0xFFFF,
            Status::SEC_I_RENEGOTIATE.as_u32() & 0xFFFF
        );
        assert_eq!(
            Status::SEC_E_BUFFER_TOO_SMALL.name(),
            "SEC_E_BUFFER_TOO_SMALL"
        );
        assert_eq!(Status::SEC_I_RENEGOTIATE.name(), "SEC_I_RENEGOTIATE");
    }

    #[test]
    fn table_is_consistent_with_all() {
        assert_eq!(Status::ALL.len(), TABLE.len());
        assert_eq!(Status::ALL.len(), 60);
        for (status, (table_status, name, message)) in Status::ALL.iter().zip(TABLE) {
            assert_eq!(status, table_status);
            assert_eq!(status.name(), *name);
            assert_eq!(status.message(), *message);
        }
    }

    #[test]
    fn names_and_values_are_unique_with_known_prefixes() {
        let mut names = HashSet::new();
        let mut values = HashSet::new();
        for status in Status::ALL {
            let name = status.name();
            assert!(names.insert(name), "duplicate name {name}");
            assert!(values.insert(status.raw()), "duplicate value {status}");
            assert!(
                ["SEC_E_", "SEC_I_", "CRYPT_E_", "CERT_E_"]
                    .iter()
                    .any(|prefix| name.starts_with(prefix)),
                "unexpected prefix: {name}"
            );
            assert_ne!(name, "UNKNOWN_STATUS");
        }
    }

    #[test]
    fn severity_matches_name() {
        for &status in Status::ALL {
            let name = status.name();
            assert_ne!(status.is_error(), status.is_success(), "{status}");
            if status == Status::SEC_E_OK || name.starts_with("SEC_I_") {
                assert!(status.is_success(), "{status}");
                assert!(!status.is_error(), "{status}");
            } else {
                // SEC_E_*, CRYPT_E_* and CERT_E_* are all failures.
                assert!(status.is_error(), "{status}");
                assert!(!status.is_success(), "{status}");
            }
        }
    }

    #[test]
    fn messages_are_short_sentences() {
        for status in Status::ALL {
            let message = status.message();
            assert!(!message.is_empty(), "{status}");
            assert!(message.ends_with('.'), "{status}");
            assert!(message.len() < 200, "{status}");
            assert!(message.starts_with(|c: char| c.is_ascii_uppercase()));
        }
        assert_eq!(
            Status::SEC_E_INCOMPLETE_MESSAGE.message(),
            "The input does not yet hold a complete TLS record; read more bytes and call again with all of them."
        );
    }

    #[test]
    fn alert_mapping_matches_contract_table() {
        let illegal = Status::SEC_E_ILLEGAL_MESSAGE;
        // Row 1: explicitly listed alerts with the default mapping.
        for alert in [10u8, 22, 40, 47, 50, 60, 100, 110] {
            assert_eq!(Status::from_alert(alert), illegal, "alert {alert}");
        }
        // Row 2.
        assert_eq!(Status::from_alert(20), Status::SEC_E_MESSAGE_ALTERED);
        assert_eq!(Status::from_alert(30), Status::SEC_E_MESSAGE_ALTERED);
        // Row 3.
        assert_eq!(Status::from_alert(21), Status::SEC_E_DECRYPT_FAILURE);
        assert_eq!(Status::from_alert(51), Status::SEC_E_DECRYPT_FAILURE);
        // Row 4.
        assert_eq!(Status::from_alert(42), Status::SEC_E_CERT_UNKNOWN);
        assert_eq!(Status::from_alert(43), Status::SEC_E_CERT_UNKNOWN);
        assert_eq!(Status::from_alert(46), Status::SEC_E_CERT_UNKNOWN);
        // Rows 5-12.
        assert_eq!(Status::from_alert(44), Status::CRYPT_E_REVOKED);
        assert_eq!(Status::from_alert(44).as_u32(), 0x8009_2010);
        assert_eq!(Status::from_alert(45), Status::SEC_E_CERT_EXPIRED);
        assert_eq!(Status::from_alert(48), Status::SEC_E_UNTRUSTED_ROOT);
        assert_eq!(Status::from_alert(49), Status::SEC_E_LOGON_DENIED);
        assert_eq!(Status::from_alert(70), Status::SEC_E_UNSUPPORTED_FUNCTION);
        assert_eq!(Status::from_alert(71), Status::SEC_E_ALGORITHM_MISMATCH);
        assert_eq!(Status::from_alert(80), Status::SEC_E_INTERNAL_ERROR);
        assert_eq!(
            Status::from_alert(90),
            Status::SEC_E_UNFINISHED_CONTEXT_DELETED
        );
        // Row 13: close_notify is a normal close, not an error.
        assert_eq!(Status::from_alert(0), Status::SEC_I_CONTEXT_EXPIRED);
        assert!(Status::from_alert(0).is_success());
        // TLS 1.3-era alerts: default row, except the [REC] for no_application_protocol.
        for alert in [109u8, 112, 113, 115, 116] {
            assert_eq!(Status::from_alert(alert), illegal, "alert {alert}");
        }
        assert_eq!(
            Status::from_alert(120),
            Status::SEC_E_APPLICATION_PROTOCOL_MISMATCH
        );
    }

    #[test]
    fn alert_mapping_defaults_for_every_unlisted_value() {
        let specific = [
            0u8, 20, 21, 30, 42, 43, 44, 45, 46, 48, 49, 51, 70, 71, 80, 90, 120,
        ];
        for alert in 0..=u8::MAX {
            let status = Status::from_alert(alert);
            if specific.contains(&alert) {
                assert_ne!(status, Status::SEC_E_ILLEGAL_MESSAGE, "alert {alert}");
            } else {
                assert_eq!(status, Status::SEC_E_ILLEGAL_MESSAGE, "alert {alert}");
            }
            if alert != 0 {
                assert!(status.is_error(), "alert {alert}");
            }
        }
    }

    #[test]
    fn display_and_debug_format() {
        assert_eq!(
            Status::SEC_E_INVALID_TOKEN.to_string(),
            "SEC_E_INVALID_TOKEN (0x80090308)"
        );
        assert_eq!(Status::SEC_E_OK.to_string(), "SEC_E_OK (0x00000000)");
        assert_eq!(
            Status::SEC_I_CONTINUE_NEEDED.to_string(),
            "SEC_I_CONTINUE_NEEDED (0x00090312)"
        );
        assert_eq!(
            Status::SEC_E_QOP_NOT_SUPPORTED.to_string(),
            "SEC_E_QOP_NOT_SUPPORTED (0x8009030A)"
        );
        assert_eq!(
            format!("{:?}", Status::SEC_E_INVALID_TOKEN),
            "SEC_E_INVALID_TOKEN (0x80090308)"
        );
        for status in Status::ALL {
            assert_eq!(format!("{status:?}"), status.to_string());
        }
    }

    #[test]
    fn unknown_values() {
        for raw in [
            1,
            -1,
            0x0009_0311,
            0x8009_0309_u32 as i32,
            i32::MIN,
            i32::MAX,
        ] {
            let status = Status::from_raw(raw);
            assert!(!Status::ALL.contains(&status));
            assert_eq!(status.name(), "UNKNOWN_STATUS");
            assert_eq!(status.message(), "Unknown SECURITY_STATUS value.");
            assert_eq!(status.raw(), raw);
        }
        assert_eq!(
            Status::from_raw(-1).to_string(),
            "UNKNOWN_STATUS (0xFFFFFFFF)"
        );
        assert_eq!(
            Status::from_raw(1).to_string(),
            "UNKNOWN_STATUS (0x00000001)"
        );
        assert!(Status::from_raw(-1).is_error());
        assert!(Status::from_raw(1).is_success());
    }

    #[test]
    fn conversions_round_trip() {
        for &status in Status::ALL {
            let raw: i32 = status.into();
            assert_eq!(raw, status.raw());
            assert_eq!(Status::from(raw), status);
            assert_eq!(Status::from_raw(raw), status);
            assert_eq!(status.as_u32(), raw as u32);
        }
        assert_eq!(
            i32::from(Status::SEC_E_INVALID_TOKEN),
            0x8009_0308_u32 as i32
        );
    }
}
