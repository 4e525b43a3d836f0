//! A small printer for "SSPI-level call" lines.
//!
//! Every line names who made the call, what was called with a summary of its arguments and
//! buffers, and — for calls that return a `SECURITY_STATUS` — the status name and hex value,
//! in aligned columns:
//!
//! ```text
//! [who] Function(argument summary)   -> STATUS_NAME (0xHHHHHHHH)   detail (buffers, sizes)
//! [who] step 4 send the token           24 bytes (close_notify)
//! [who]   tcp recv 663 B
//! ```
//!
//! The function column is 52 characters wide and the status column 38, so statuses and details
//! line up; an event (a step without a status) puts its detail where the status would be, and
//! transport traffic is indented under the calls.
//!
//! Lines go to standard output ([`Tracer::new`], the demo) or standard error
//! ([`Tracer::stderr`], `client` and `server`, whose standard output carries data), one `write`
//! per line under the stream's lock, so lines printed by several threads never tear. A write error (a closed pipe) is ignored rather than turned into
//! a panic: the trace is a view of the work, never a reason for it to fail.

use std::fmt;
use std::io::{self, Write};
use std::sync::Arc;

use openschannel::Status;

/// Width of the "call" column (function name and argument summary).
const CALL_WIDTH: usize = 52;
/// Width of the status column: `SEC_E_INCOMPLETE_MESSAGE (0x80090318)` fits.
const STATUS_WIDTH: usize = 38;

/// Where a [`Tracer`] prints.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Sink {
    Stdout,
    Stderr,
}

/// Prints call lines for one party (`[client]`, `[server]`, …), or nothing when disabled.
#[derive(Clone, Debug)]
pub struct Tracer {
    /// The party's name, printed in brackets at the start of every line.
    who: Arc<str>,
    /// False in quiet mode: every method is a no-op.
    enabled: bool,
    /// Standard output or standard error.
    sink: Sink,
}

impl Tracer {
    /// A tracer for `who` that prints to standard output when `enabled` is true.
    pub fn new(who: impl Into<Arc<str>>, enabled: bool) -> Self {
        Self {
            who: who.into(),
            enabled,
            sink: Sink::Stdout,
        }
    }

    /// A tracer for `who` that prints to standard error when `enabled` is true.
    pub fn stderr(who: impl Into<Arc<str>>, enabled: bool) -> Self {
        Self {
            sink: Sink::Stderr,
            ..Self::new(who, enabled)
        }
    }

    /// Whether lines are printed.
    pub fn enabled(&self) -> bool {
        self.enabled
    }

    /// The party's name (without brackets).
    pub fn who(&self) -> &str {
        &self.who
    }

    /// An SSPI call that returned `status`: `[who] call -> STATUS (0x…)  detail`.
    pub fn call(&self, call: impl fmt::Display, status: Status, detail: impl fmt::Display) {
        if self.enabled {
            self.emit(&format_call(&self.who, call, status, detail));
        }
    }

    /// A step without a `SECURITY_STATUS` (sending a token, deleting a context):
    /// `[who] what  detail`, the detail where a status would stand.
    pub fn event(&self, what: impl fmt::Display, detail: impl fmt::Display) {
        if self.enabled {
            self.emit(&format_event(&self.who, what, detail));
        }
    }

    /// Transport traffic, indented under the calls: `[who]   tcp send 24 B`.
    pub fn io(&self, what: impl fmt::Display) {
        if self.enabled {
            self.emit(&format!("[{}]   {}", self.who, what));
        }
    }

    /// A free-form line about this party: `[who] text`.
    pub fn note(&self, text: impl fmt::Display) {
        if self.enabled {
            self.emit(&format!("[{}] {}", self.who, text));
        }
    }

    /// Writes one finished line to the tracer's stream.
    fn emit(&self, line: &str) {
        match self.sink {
            Sink::Stdout => print_line(line.trim_end()),
            Sink::Stderr => print_error_line(line.trim_end()),
        }
    }
}

/// Writes one line to standard output, ignoring a closed stdout (no panic, unlike `println!`).
pub fn print_line(line: &str) {
    let _ = writeln!(io::stdout().lock(), "{line}");
}

/// Writes one line to standard error, ignoring a closed stderr (no panic, unlike `eprintln!`).
pub fn print_error_line(line: &str) {
    let _ = writeln!(io::stderr().lock(), "{line}");
}

/// Formats a call line (see [`Tracer::call`]).
pub fn format_call(
    who: &str,
    call: impl fmt::Display,
    status: Status,
    detail: impl fmt::Display,
) -> String {
    // `to_string` first: padding is ignored when formatting `fmt::Arguments` directly.
    let (call, status) = (call.to_string(), status.to_string());
    format!("[{who}] {call:<CALL_WIDTH$} -> {status:<STATUS_WIDTH$} {detail}")
}

/// Formats an event line (see [`Tracer::event`]): the detail starts in the status column.
pub fn format_event(who: &str, what: impl fmt::Display, detail: impl fmt::Display) -> String {
    let what = what.to_string();
    format!("[{who}] {what:<CALL_WIDTH$}    {detail}")
}

/// Unit tests.
#[cfg(test)]
mod tests {
    use super::*;

    /// Status and detail columns line up whatever the call text.
    #[test]
    fn call_lines_align_status_and_detail() {
        let a = format_call("client", "EncryptMessage(data 4 B)", Status::SEC_E_OK, "x");
        let b = format_call(
            "server",
            "DecryptMessage(input 40 B)",
            Status::SEC_E_INCOMPLETE_MESSAGE,
            "missing 3",
        );
        assert_eq!(a.find("->"), b.find("->"));
        assert!(a.contains("-> SEC_E_OK (0x00000000)"));
        assert!(b.contains("-> SEC_E_INCOMPLETE_MESSAGE (0x80090318)  missing 3"));
        assert!(a.ends_with(" x"));
        assert_eq!(a.len(), b.len() - "missing 3".len() + 1);
    }

    /// `format_args!` calls are padded like strings.
    #[test]
    fn format_arguments_are_padded_too() {
        let plain = format_call("client", "f(x)", Status::SEC_E_OK, "");
        let args = format_call("client", format_args!("f({})", "x"), Status::SEC_E_OK, "");
        assert_eq!(plain, args);
    }

    /// An event's detail starts in the status column.
    #[test]
    fn event_detail_starts_where_a_status_would() {
        let call = format_call("client", "f()", Status::SEC_E_OK, "");
        let event = format_event("client", "step 4 send close_notify", "24 B");
        assert_eq!(call.find("SEC_E_OK"), event.find("24 B"));
    }
}
