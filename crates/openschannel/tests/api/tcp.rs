//! Over real 127.0.0.1 TCP with blocking sockets: handshake, 1 MiB each way, and the shutdown
//! procedure in both directions, each side written the way a Windows application drives
//! Schannel.

use openschannel_test_support as common;

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::time::Duration;

use common::{client_credentials, pattern, server_credentials, KeyKind};
use openschannel::{
    ContextOptions, ControlToken, Decrypted, HandshakeStatus, Protocols, SecurityContext, Status,
};

struct Side {
    ctx: SecurityContext,
    tcp: TcpStream,
    inbox: Vec<u8>,
}

enum Got {
    Data(Vec<u8>),
    Expired,
}

impl Side {
    fn new(ctx: SecurityContext, tcp: TcpStream) -> Self {
        tcp.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
        Self {
            ctx,
            tcp,
            inbox: Vec::new(),
        }
    }

    fn fill(&mut self) {
        let mut buf = [0u8; 8192];
        let n = self.tcp.read(&mut buf).unwrap();
        assert!(n > 0, "unexpected EOF");
        self.inbox.extend_from_slice(&buf[..n]);
    }

    fn handshake(&mut self, client: bool) {
        let mut need_read = !client;
        loop {
            if need_read {
                self.fill();
            }
            let mut token = Vec::new();
            let o = self.ctx.handshake(&self.inbox, &mut token).unwrap();
            self.tcp.write_all(&token).unwrap();
            self.inbox.drain(..o.consumed);
            match o.status {
                HandshakeStatus::Ok => return,
                HandshakeStatus::ContinueNeeded => need_read = self.inbox.is_empty(),
                HandshakeStatus::IncompleteMessage { .. } => need_read = true,
                // Go on without a client certificate: the same input again.
                HandshakeStatus::IncompleteCredentials => need_read = false,
            }
        }
    }

    fn send(&mut self, data: &[u8]) {
        let sizes = self.ctx.stream_sizes().unwrap();
        let mut record = vec![0u8; sizes.header + sizes.max_message + sizes.trailer];
        for chunk in data.chunks(sizes.max_message) {
            record[sizes.header..sizes.header + chunk.len()].copy_from_slice(chunk);
            let w = self.ctx.encrypt(&mut record, chunk.len()).unwrap();
            self.tcp.write_all(&record[..w.total()]).unwrap();
        }
    }

    fn recv(&mut self) -> Got {
        loop {
            match self.ctx.decrypt(&mut self.inbox).unwrap() {
                Decrypted::Data(l) => {
                    let data = self.inbox[l.data.clone()].to_vec();
                    self.inbox.drain(..l.extra.start);
                    if !data.is_empty() {
                        return Got::Data(data);
                    }
                }
                Decrypted::Renegotiate(l) => {
                    self.inbox.drain(..l.extra.start);
                    let mut token = Vec::new();
                    self.ctx.handshake(&self.inbox, &mut token).unwrap();
                    self.tcp.write_all(&token).unwrap();
                }
                Decrypted::ContextExpired(l) => {
                    self.inbox.drain(..l.extra.start);
                    return Got::Expired;
                }
                Decrypted::IncompleteMessage { .. } => self.fill(),
            }
        }
    }

    fn recv_exact(&mut self, n: usize) -> Vec<u8> {
        let mut out = Vec::with_capacity(n);
        while out.len() < n {
            match self.recv() {
                Got::Data(d) => out.extend_from_slice(&d),
                Got::Expired => panic!("closed early"),
            }
        }
        out
    }

    fn shutdown(&mut self) {
        self.ctx
            .apply_control_token(ControlToken::Shutdown)
            .unwrap();
        let mut token = Vec::new();
        let o = self.ctx.handshake(&[], &mut token).unwrap();
        assert_eq!(o.status, HandshakeStatus::Ok);
        self.tcp.write_all(&token).unwrap();
    }

    fn expect_expired(&mut self) {
        assert!(matches!(self.recv(), Got::Expired));
        assert!(self.ctx.is_read_closed());
    }
}

fn session(protocols: Protocols, client_closes_first: bool) {
    const MIB: usize = 1 << 20;
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let s_creds = server_credentials(KeyKind::EcdsaP256, protocols);
    let server = std::thread::spawn(move || {
        let (tcp, _) = listener.accept().unwrap();
        let ctx = SecurityContext::server(&s_creds, ContextOptions::default()).unwrap();
        let mut side = Side::new(ctx, tcp);
        side.handshake(false);
        let got = side.recv_exact(MIB);
        assert_eq!(got, pattern(MIB, 1));
        side.send(&pattern(MIB, 2));
        if client_closes_first {
            side.expect_expired();
            side.shutdown();
        } else {
            side.shutdown();
            side.expect_expired();
        }
        side.ctx.protocol()
    });
    let c_creds = client_credentials(KeyKind::EcdsaP256, protocols);
    let ctx =
        SecurityContext::client(&c_creds, Some("localhost"), ContextOptions::default()).unwrap();
    let mut side = Side::new(ctx, TcpStream::connect(addr).unwrap());
    side.handshake(true);
    side.send(&pattern(MIB, 1));
    assert_eq!(side.recv_exact(MIB), pattern(MIB, 2));
    if client_closes_first {
        side.shutdown();
        side.expect_expired();
    } else {
        side.expect_expired();
        side.shutdown();
    }
    let mut rec = vec![0u8; 64];
    assert_eq!(
        side.ctx.encrypt(&mut rec, 1).unwrap_err().status(),
        Status::SEC_E_CONTEXT_EXPIRED
    );
    let server_protocol = server.join().unwrap();
    assert_eq!(server_protocol, side.ctx.protocol());
}

#[test]
fn tcp_sessions_both_versions_both_shutdown_initiators() {
    for protocols in [Protocols::TLS12_ONLY, Protocols::TLS13_ONLY] {
        for client_first in [true, false] {
            session(protocols, client_first);
        }
    }
}
