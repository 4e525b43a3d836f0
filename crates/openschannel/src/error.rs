//! The error type: a Schannel status plus a human explanation.

use std::borrow::Cow;
use std::fmt;

use crate::status::Status;

/// A failed call: the exact `SEC_E_*` status Schannel would return, and what went wrong.
///
/// The status is what C callers see; the detail is for logs and humans and never contains key
/// material or application plaintext.
#[derive(Clone, PartialEq, Eq)]
pub struct Error {
    status: Status,
    detail: Cow<'static, str>,
    /// The fatal alert the peer sent, when that is what failed.
    received_alert: Option<u8>,
}

impl Error {
    /// Creates an error with `status` and an explanation.
    pub fn new(status: Status, detail: impl Into<Cow<'static, str>>) -> Self {
        Self {
            status,
            detail: detail.into(),
            received_alert: None,
        }
    }

    /// The error is the peer's fatal alert `description` (`TLS1_ALERT_*`).
    pub(crate) fn with_received_alert(mut self, description: u8) -> Self {
        self.received_alert = Some(description);
        self
    }

    /// The alert description, when the error is a fatal alert the peer sent (the connection
    /// was aborted by the peer rather than failed by this side).
    pub fn received_alert(&self) -> Option<u8> {
        self.received_alert
    }

    /// The Schannel status code.
    pub fn status(&self) -> Status {
        self.status
    }

    /// A human-readable explanation.
    pub fn detail(&self) -> &str {
        &self.detail
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.status, self.detail)
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

impl std::error::Error for Error {}

impl From<Error> for std::io::Error {
    fn from(e: Error) -> Self {
        std::io::Error::other(e)
    }
}
