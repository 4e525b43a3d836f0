//! What a [`TlsStream`](super::TlsStream) needs from the byte transport under it.

use std::io::{self, Read, Write};
use std::net::TcpStream;
use std::time::Duration;

/// A byte transport: `Read + Write`, plus (optionally) read timeouts, which bound how long
/// [`TlsStream::shutdown`](super::TlsStream::shutdown) waits for the peer's close_notify.
///
/// Implemented for `TcpStream`, `UnixStream` (Unix), mutable references and boxes of
/// transports, and [`NoTimeout`] for any other `Read + Write` (an in-memory pipe, a serial
/// line). Implementing it for your own type takes one line when it has no timeouts:
/// `impl Transport for MyPipe {}`.
pub trait Transport: Read + Write {
    /// The current read timeout, if the transport has one.
    fn read_timeout(&self) -> io::Result<Option<Duration>> {
        Ok(None)
    }

    /// Sets the read timeout; returns false when the transport cannot time out reads.
    fn set_read_timeout(&mut self, timeout: Option<Duration>) -> io::Result<bool> {
        let _ = timeout;
        Ok(false)
    }

    /// Closes the sending direction only (TCP `shutdown(SHUT_WR)`), keeping the receiving
    /// one open. Returns `Ok(false)` when the transport cannot (the default).
    fn shutdown_write(&mut self) -> io::Result<bool> {
        Ok(false)
    }
}

impl Transport for TcpStream {
    fn read_timeout(&self) -> io::Result<Option<Duration>> {
        TcpStream::read_timeout(self)
    }

    fn set_read_timeout(&mut self, timeout: Option<Duration>) -> io::Result<bool> {
        TcpStream::set_read_timeout(self, timeout).map(|()| true)
    }

    fn shutdown_write(&mut self) -> io::Result<bool> {
        TcpStream::shutdown(self, std::net::Shutdown::Write).map(|()| true)
    }
}

#[cfg(unix)]
impl Transport for std::os::unix::net::UnixStream {
    fn read_timeout(&self) -> io::Result<Option<Duration>> {
        std::os::unix::net::UnixStream::read_timeout(self)
    }

    fn set_read_timeout(&mut self, timeout: Option<Duration>) -> io::Result<bool> {
        std::os::unix::net::UnixStream::set_read_timeout(self, timeout).map(|()| true)
    }

    fn shutdown_write(&mut self) -> io::Result<bool> {
        std::os::unix::net::UnixStream::shutdown(self, std::net::Shutdown::Write).map(|()| true)
    }
}

impl<T: Transport + ?Sized> Transport for &mut T {
    fn read_timeout(&self) -> io::Result<Option<Duration>> {
        (**self).read_timeout()
    }

    fn set_read_timeout(&mut self, timeout: Option<Duration>) -> io::Result<bool> {
        (**self).set_read_timeout(timeout)
    }

    fn shutdown_write(&mut self) -> io::Result<bool> {
        (**self).shutdown_write()
    }
}

impl<T: Transport + ?Sized> Transport for Box<T> {
    fn read_timeout(&self) -> io::Result<Option<Duration>> {
        (**self).read_timeout()
    }

    fn set_read_timeout(&mut self, timeout: Option<Duration>) -> io::Result<bool> {
        (**self).set_read_timeout(timeout)
    }

    fn shutdown_write(&mut self) -> io::Result<bool> {
        (**self).shutdown_write()
    }
}

/// Adapts any `Read + Write` that has no read timeouts.
#[derive(Debug, Default)]
pub struct NoTimeout<T>(pub T);

impl<T: Read> Read for NoTimeout<T> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.0.read(buf)
    }
}

impl<T: Write> Write for NoTimeout<T> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0.write(buf)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.0.flush()
    }
}

impl<T: Read + Write> Transport for NoTimeout<T> {}
