//! The `rustls-buffered` contender: rustls 0.23's ordinary `ClientConnection` /
//! `ServerConnection` over memory (`read_tls` / `process_new_packets` / `reader()` and
//! `writer()` / `write_tls`), as most rustls applications use it.

use std::any::Any;
use std::io::{ErrorKind, Read, Write};

use rustls::{ClientConnection, ConnectionCommon, ServerConnection};

use super::contender::{Connection, Connector, Contender, Pki, Setup};
use super::rustls_unbuffered::{check_established, expect_resumed, rustls_configs, RustlsConfigs};

/// rustls' buffered API, driven directly.
pub struct RustlsBuffered;

impl Contender for RustlsBuffered {
    fn name(&self) -> &'static str {
        "rustls-buffered"
    }

    fn prepare(&self, pki: &Pki, setup: &Setup) -> Result<Box<dyn Connector>, String> {
        Ok(Box::new(BufferedConnector::new(pki, setup)?))
    }
}

/// The largest close_notify record (TLS 1.2 AES-GCM: 31 bytes), with room.
const ALERT_ROOM: usize = 64;

/// Client and server configurations of one case, plus the buffer the handshake's flights
/// travel through (reused by every connect).
struct BufferedConnector {
    /// The configurations (shared with the unbuffered contender's builder).
    configs: RustlsConfigs,
    /// How many connects happened (the first one is always full).
    connects: u64,
    /// One flight in transit.
    flight: Vec<u8>,
}

impl BufferedConnector {
    /// The connector of `setup`.
    fn new(pki: &Pki, setup: &Setup) -> Result<Self, String> {
        Ok(Self {
            configs: rustls_configs(pki, setup)?,
            connects: 0,
            flight: Vec::with_capacity(16 * 1024),
        })
    }

    /// One handshake, as [`Connector::connect`], returning the concrete pair.
    fn establish(&mut self) -> BufferedPair {
        let resumed = expect_resumed(self.configs.resumption, &mut self.connects);
        let mut client = ClientConnection::new(
            self.configs.client.clone(),
            self.configs.server_name.clone(),
        )
        .expect("client connection");
        let mut server =
            ServerConnection::new(self.configs.server.clone()).expect("server connection");
        // Flights go client → server → client ... until a round moves nothing: the last one
        // the client takes is what the server sends after the handshake (TLS 1.3
        // NewSessionTickets), so nothing is left in flight.
        let mut rounds = 0;
        loop {
            let sent = transfer(&mut client, &mut server, &mut self.flight);
            let answered = transfer(&mut server, &mut client, &mut self.flight);
            if !sent && !answered {
                break;
            }
            rounds += 1;
            assert!(rounds < 16, "the handshake does not converge");
        }
        check_established(&client, "client", &self.configs, resumed);
        check_established(&server, "server", &self.configs, resumed);
        BufferedPair { client, server }
    }
}

impl Connector for BufferedConnector {
    fn connect(&mut self) -> Box<dyn Connection> {
        Box::new(self.establish())
    }
}

/// Moves everything `from` has to send into `to`, which processes it; returns whether
/// anything moved.
fn transfer<A, B>(
    from: &mut ConnectionCommon<A>,
    to: &mut ConnectionCommon<B>,
    flight: &mut Vec<u8>,
) -> bool {
    flight.clear();
    while from.wants_write() {
        from.write_tls(flight).expect("write_tls");
    }
    if flight.is_empty() {
        return false;
    }
    let mut rest = &flight[..];
    while !rest.is_empty() {
        to.read_tls(&mut rest).expect("read_tls");
        // After each read: the deframer holds at most one maximal record and a bit.
        to.process_new_packets()
            .unwrap_or_else(|e| panic!("handshake failed: {e}"));
    }
    true
}

/// An established, idle pair.
struct BufferedPair {
    /// The client.
    client: ClientConnection,
    /// The server.
    server: ServerConnection,
}

#[cfg(test)]
impl BufferedPair {
    /// The client's negotiated suite (IANA number).
    fn suite_id(&self) -> u16 {
        self.client
            .negotiated_cipher_suite()
            .map_or(0, |s| u16::from(s.suite()))
    }

    /// Whether the client resumed.
    fn resumed(&self) -> bool {
        self.client.handshake_kind() == Some(rustls::HandshakeKind::Resumed)
    }
}

impl Connection for BufferedPair {
    fn encrypt(&mut self, plain: &[u8], out: &mut [u8]) -> usize {
        // The plaintext is copied into rustls' buffer, sealed into a record rustls keeps, and
        // that record copied into `out`.
        self.client.writer().write_all(plain).expect("write");
        let mut room: &mut [u8] = out;
        let n = self.client.write_tls(&mut room).expect("write_tls");
        assert!(!self.client.wants_write(), "more than one record");
        n
    }

    fn decrypt(&mut self, record: &mut [u8], plain_out: &mut [u8]) -> usize {
        let mut rest: &[u8] = record;
        while !rest.is_empty() {
            // rustls reads at most 4 KiB per call.
            self.server.read_tls(&mut rest).expect("read_tls");
        }
        let io = self
            .server
            .process_new_packets()
            .unwrap_or_else(|e| panic!("decrypt: {e}"));
        let want = io.plaintext_bytes_to_read();
        let n = self.server.reader().read(plain_out).expect("read");
        assert_eq!(n, want, "the plaintext was not read whole");
        n
    }

    fn shutdown(self: Box<Self>) {
        let BufferedPair {
            mut client,
            mut server,
        } = *self;
        let mut alert = [0u8; ALERT_ROOM];
        client.send_close_notify();
        close_notify_between(&mut client, &mut server, &mut alert, "server");
        server.send_close_notify();
        close_notify_between(&mut server, &mut client, &mut alert, "client");
    }

    fn into_sides(self: Box<Self>) -> (Box<dyn Any>, Box<dyn Any>) {
        (Box::new(self.client), Box::new(self.server))
    }
}

/// Moves the close_notify `from` queued to `to` (`who`), which must see the clean end of the
/// stream: `reader().read` returning `Ok(0)`.
fn close_notify_between<A, B>(
    from: &mut ConnectionCommon<A>,
    to: &mut ConnectionCommon<B>,
    alert: &mut [u8],
    who: &str,
) {
    let mut room: &mut [u8] = alert;
    let n = from.write_tls(&mut room).expect("write_tls");
    assert!(!from.wants_write(), "more than the alert to send");
    let mut rest: &[u8] = &alert[..n];
    while !rest.is_empty() {
        to.read_tls(&mut rest).expect("read_tls");
    }
    let io = to
        .process_new_packets()
        .unwrap_or_else(|e| panic!("{who}: {e}"));
    assert!(io.peer_has_closed(), "{who}: no close_notify seen");
    let mut byte = [0u8; 1];
    match to.reader().read(&mut byte) {
        Ok(0) => {}
        Ok(_) => panic!("{who}: data instead of close_notify"),
        Err(e) if e.kind() == ErrorKind::WouldBlock => panic!("{who}: stream not closed"),
        Err(e) => panic!("{who}: unclean close: {e}"),
    }
}

/// Unit tests.
#[cfg(test)]
mod tests {
    use super::*;
    use crate::bench::rustls_unbuffered::{exercise, test_pki, test_setups};

    /// Three connects on one connector: suite and resumption as asked, records round-trip,
    /// clean shutdown.
    fn run(setup: Setup) {
        let pki = test_pki();
        let mut connector = BufferedConnector::new(&pki, &setup).expect("prepare");
        for i in 0..3 {
            let pair = connector.establish();
            assert_eq!(
                pair.suite_id(),
                setup.aead.suite(setup.version, setup.key),
                "{setup:?}"
            );
            assert_eq!(pair.resumed(), setup.resumption && i > 0, "{setup:?} #{i}");
            exercise(Box::new(pair), &setup);
        }
    }

    /// Every case, full handshakes only.
    #[test]
    fn full_handshakes() {
        for setup in test_setups(false) {
            run(setup);
        }
    }

    /// Every case, later connects resuming.
    #[test]
    fn resumed_handshakes() {
        for setup in test_setups(true) {
            run(setup);
        }
    }

    /// Through the `Contender` trait: name, prepare, connect.
    #[test]
    fn through_the_trait() {
        let pki = test_pki();
        assert_eq!(RustlsBuffered.name(), "rustls-buffered");
        let setup = test_setups(true)[3];
        let mut connector = RustlsBuffered.prepare(&pki, &setup).expect("prepare");
        for _ in 0..2 {
            exercise(connector.connect(), &setup);
        }
    }
}
