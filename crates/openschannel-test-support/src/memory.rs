//! An in-memory connection: a client and a server [`Endpoint`] over two [`Wire`]s, each
//! endpoint driving its `SecurityContext` exactly as a Windows application drives Schannel
//! (the handshake loop, `EncryptMessage` per record, the receive loop servicing
//! `SEC_I_RENEGOTIATE`, the shutdown procedure).

use std::collections::VecDeque;

use openschannel::{
    ContextOptions, ControlToken, Credentials, Decrypted, HandshakeStatus, SecurityContext, Status,
};

/// One direction of an in-memory connection.
#[derive(Default)]
pub struct Wire {
    /// Bytes written and not yet read.
    pub bytes: VecDeque<u8>,
    /// Everything ever written (the recorded conversation).
    pub log: Vec<u8>,
}

impl Wire {
    /// Writes `data` (and records it in [`Wire::log`]).
    pub fn send(&mut self, data: &[u8]) {
        self.bytes.extend(data);
        self.log.extend_from_slice(data);
    }
}

/// What a receive loop ended with.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RecvEnd {
    /// `SEC_I_CONTEXT_EXPIRED`.
    Expired,
    /// The wire ran dry inside or before a record (the missing count of the last call).
    Starved(usize),
    /// A fatal error.
    Failed(Status),
}

/// How an endpoint's `recv` splits the incoming byte stream.
#[derive(Clone, Debug)]
pub enum Chunking {
    /// At most this many bytes per read.
    Fixed(usize),
    /// Random read sizes in 1..=max, from a seed.
    Random {
        /// The xorshift state (changes with every read).
        seed: u64,
        /// The largest read.
        max: usize,
    },
    /// Everything available, except that one read ends exactly at this stream offset.
    SplitAt(usize),
}

/// An SSPI application endpoint: a context plus its receive buffer, reading from the wire as
/// `recv` would (see [`Chunking`]).
pub struct Endpoint {
    /// The context.
    pub ctx: SecurityContext,
    /// Bytes read from the wire and not yet consumed by the context.
    pub inbox: Vec<u8>,
    /// How reads split the wire.
    pub chunking: Chunking,
    /// Bytes read from the wire so far.
    pub received: usize,
    /// Non-empty handshake output tokens sent.
    pub tokens_sent: usize,
    /// Every status returned by handshake/decrypt, in order (SEC_E_INCOMPLETE_MESSAGE too).
    pub statuses: Vec<Status>,
    /// Whether the handshake returned `SEC_E_OK`.
    pub handshake_done: bool,
}

impl Endpoint {
    /// An endpoint around `ctx` reading at most `chunk` bytes at a time.
    pub fn new(ctx: SecurityContext, chunk: usize) -> Self {
        Self {
            ctx,
            inbox: Vec::new(),
            chunking: Chunking::Fixed(chunk),
            received: 0,
            tokens_sent: 0,
            statuses: Vec::new(),
            handshake_done: false,
        }
    }

    /// A client context for target `localhost` with default options.
    pub fn client(creds: &Credentials, chunk: usize) -> Self {
        Self::new(
            SecurityContext::client(creds, Some("localhost"), ContextOptions::default()).unwrap(),
            chunk,
        )
    }

    /// A server context with default options.
    pub fn server(creds: &Credentials, chunk: usize) -> Self {
        Self::new(
            SecurityContext::server(creds, ContextOptions::default()).unwrap(),
            chunk,
        )
    }

    /// Reads from `wire` per the chunking policy; false if it was empty.
    pub fn read(&mut self, wire: &mut Wire) -> bool {
        let want = match &mut self.chunking {
            Chunking::Fixed(n) => *n,
            Chunking::Random { seed, max } => {
                *seed ^= *seed << 13;
                *seed ^= *seed >> 7;
                *seed ^= *seed << 17;
                1 + (*seed as usize) % *max
            }
            Chunking::SplitAt(k) if self.received < *k => *k - self.received,
            Chunking::SplitAt(_) => usize::MAX,
        };
        let n = wire.bytes.len().min(want);
        if n == 0 {
            return false;
        }
        self.inbox.extend(wire.bytes.drain(..n));
        self.received += n;
        true
    }

    /// Runs handshake steps until it needs bytes the wire does not have, or completes.
    pub fn handshake_step(
        &mut self,
        inbound: &mut Wire,
        outbound: &mut Wire,
    ) -> Result<(), Status> {
        loop {
            if self.handshake_done {
                return Ok(());
            }
            let mut token = Vec::new();
            let r = self.ctx.handshake(&self.inbox, &mut token);
            match r {
                Err(e) => {
                    self.statuses.push(e.status());
                    outbound.send(&token);
                    return Err(e.status());
                }
                Ok(o) => {
                    self.statuses.push(o.status.status());
                    if !token.is_empty() {
                        self.tokens_sent += 1;
                    }
                    outbound.send(&token);
                    self.inbox.drain(..o.consumed);
                    match o.status {
                        HandshakeStatus::Ok => {
                            self.handshake_done = true;
                            return Ok(());
                        }
                        HandshakeStatus::ContinueNeeded if !self.inbox.is_empty() => continue,
                        // Continue without a client certificate: the same input again.
                        HandshakeStatus::IncompleteCredentials => continue,
                        HandshakeStatus::ContinueNeeded
                        | HandshakeStatus::IncompleteMessage { .. } => {
                            if !self.read(inbound) {
                                return Ok(());
                            }
                        }
                    }
                }
            }
        }
    }

    /// Encrypts `data` as records of at most `cbMaximumMessage` bytes onto `outbound`.
    pub fn send(&mut self, data: &[u8], outbound: &mut Wire) -> Result<(), openschannel::Error> {
        let sizes = self.ctx.stream_sizes()?;
        for chunk in data.chunks(sizes.max_message) {
            let mut record = vec![0u8; sizes.header + chunk.len() + sizes.trailer];
            record[sizes.header..sizes.header + chunk.len()].copy_from_slice(chunk);
            let written = self.ctx.encrypt(&mut record, chunk.len())?;
            assert_eq!(written.header, sizes.header, "header is exactly cbHeader");
            assert_eq!(written.total(), record.len(), "exactly one record");
            outbound.send(&record[..written.total()]);
        }
        Ok(())
    }

    /// The caller's receive loop: decrypts until the wire runs dry or the peer closes,
    /// servicing SEC_I_RENEGOTIATE through handshake() (its output goes to `outbound`).
    pub fn recv(
        &mut self,
        inbound: &mut Wire,
        outbound: &mut Wire,
        plain: &mut Vec<u8>,
    ) -> RecvEnd {
        loop {
            match self.ctx.decrypt(&mut self.inbox) {
                Err(e) => {
                    self.statuses.push(e.status());
                    return RecvEnd::Failed(e.status());
                }
                Ok(d) => {
                    self.statuses.push(d.status());
                    match d {
                        Decrypted::Data(l) => {
                            plain.extend_from_slice(&self.inbox[l.data.clone()]);
                            self.inbox.drain(..l.extra.start);
                        }
                        Decrypted::Renegotiate(l) => {
                            self.inbox.drain(..l.extra.start);
                            let mut token = Vec::new();
                            let o = self.ctx.handshake(&self.inbox, &mut token).unwrap();
                            assert_eq!(o.status, HandshakeStatus::Ok);
                            assert_eq!(o.consumed, 0, "post-handshake step consumes nothing");
                            outbound.send(&token);
                        }
                        Decrypted::ContextExpired(l) => {
                            assert!(l.data.is_empty());
                            self.inbox.drain(..l.extra.start);
                            return RecvEnd::Expired;
                        }
                        Decrypted::IncompleteMessage { missing } => {
                            if !self.read(inbound) {
                                return RecvEnd::Starved(missing);
                            }
                        }
                    }
                }
            }
        }
    }

    /// Steps 1–2 of the shutdown procedure; returns the token (sent to `outbound`).
    pub fn shutdown(&mut self, outbound: &mut Wire) -> Vec<u8> {
        self.ctx
            .apply_control_token(ControlToken::Shutdown)
            .unwrap();
        let mut token = Vec::new();
        let o = self.ctx.handshake(&[], &mut token).unwrap();
        assert_eq!(
            o.status,
            HandshakeStatus::Ok,
            "shutdown ISC/ASC returns SEC_E_OK"
        );
        assert!(!token.is_empty());
        outbound.send(&token);
        token
    }
}

/// A client and a server over two in-memory wires.
pub struct Pair {
    /// The client.
    pub client: Endpoint,
    /// The server.
    pub server: Endpoint,
    /// Client to server.
    pub c2s: Wire,
    /// Server to client.
    pub s2c: Wire,
}

impl Pair {
    /// A client (target `localhost`) and a server, both reading `chunk` bytes at a time.
    pub fn new(client_creds: &Credentials, server_creds: &Credentials, chunk: usize) -> Self {
        Self {
            client: Endpoint::client(client_creds, chunk),
            server: Endpoint::server(server_creds, chunk),
            c2s: Wire::default(),
            s2c: Wire::default(),
        }
    }

    /// Runs both handshakes to completion.
    pub fn handshake(&mut self) -> Result<(), Status> {
        for _ in 0..100_000 {
            self.client.handshake_step(&mut self.s2c, &mut self.c2s)?;
            self.server.handshake_step(&mut self.c2s, &mut self.s2c)?;
            if self.client.handshake_done && self.server.handshake_done {
                return Ok(());
            }
        }
        panic!("handshake did not converge");
    }

    /// Client → server: sends `data`, receives it all on the server.
    pub fn client_to_server(&mut self, data: &[u8]) -> Vec<u8> {
        self.client.send(data, &mut self.c2s).unwrap();
        let mut got = Vec::new();
        let end = self.server.recv(&mut self.c2s, &mut self.s2c, &mut got);
        assert!(matches!(end, RecvEnd::Starved(_)), "{end:?}");
        got
    }

    /// Server → client.
    pub fn server_to_client(&mut self, data: &[u8]) -> Vec<u8> {
        self.server.send(data, &mut self.s2c).unwrap();
        let mut got = Vec::new();
        let end = self.client.recv(&mut self.s2c, &mut self.c2s, &mut got);
        assert!(matches!(end, RecvEnd::Starved(_)), "{end:?}");
        got
    }
}
