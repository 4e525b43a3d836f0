//! Unit tests of the context's phases (`state.rs`) through the public calls, on an in-memory
//! client/server pair.

use crate::{
    Certificate, ContextOptions, ControlToken, Credentials, Decrypted, HandshakeStatus, PrivateKey,
    Protocols, SecurityContext, ServerValidation, Status,
};

/// A client and a server context, with the bytes in flight each way.
pub(crate) struct Pair {
    pub(crate) client: SecurityContext,
    pub(crate) server: SecurityContext,
    /// Client → server bytes not yet consumed.
    pub(crate) to_server: Vec<u8>,
    /// Server → client bytes not yet consumed.
    pub(crate) to_client: Vec<u8>,
}

impl Pair {
    /// A fresh pair (self-signed `localhost` certificate, trusted by the client), the
    /// ClientHello in flight.
    pub(crate) fn new(protocols: Protocols) -> Self {
        let key = rcgen::KeyPair::generate().unwrap();
        let cert = rcgen::CertificateParams::new(vec!["localhost".into()])
            .unwrap()
            .self_signed(&key)
            .unwrap();
        let cert = Certificate::from_der(cert.der().to_vec());
        let key = PrivateKey::from_der(&key.serialize_der()).unwrap();
        let server = Credentials::server(vec![cert.clone()], key)
            .protocols(protocols)
            .build()
            .unwrap();
        let client = Credentials::client()
            .protocols(protocols)
            .validation(ServerValidation::Roots(vec![cert]))
            .build()
            .unwrap();
        let opts = ContextOptions::default;
        let mut p = Self {
            client: SecurityContext::client(&client, Some("localhost"), opts()).unwrap(),
            server: SecurityContext::server(&server, opts()).unwrap(),
            to_server: Vec::new(),
            to_client: Vec::new(),
        };
        let o = p.client.handshake(&[], &mut p.to_server).unwrap();
        assert_eq!(o.status, HandshakeStatus::ContinueNeeded);
        p
    }

    /// A pair whose handshake has completed on both sides.
    pub(crate) fn established(protocols: Protocols) -> Self {
        let mut p = Self::new(protocols);
        let (mut c_done, mut s_done) = (false, false);
        while !(c_done && s_done) {
            if !s_done {
                let mut out = Vec::new();
                let o = p.server.handshake(&p.to_server, &mut out).unwrap();
                p.to_server.drain(..o.consumed);
                p.to_client.extend(out);
                s_done = o.status == HandshakeStatus::Ok;
            }
            if !c_done {
                let mut out = Vec::new();
                let o = p.client.handshake(&p.to_client, &mut out).unwrap();
                p.to_client.drain(..o.consumed);
                p.to_server.extend(out);
                c_done = o.status == HandshakeStatus::Ok;
            }
        }
        p
    }

    /// The server's bytes in flight to the client followed by one record of `data`.
    pub(crate) fn seal_from_server(&mut self, data: &[u8]) -> Vec<u8> {
        let sizes = self.server.stream_sizes().unwrap();
        let mut record = vec![0u8; sizes.header + data.len() + sizes.trailer];
        record[sizes.header..sizes.header + data.len()].copy_from_slice(data);
        let n = self
            .server
            .encrypt(&mut record, data.len())
            .unwrap()
            .total();
        let mut wire = std::mem::take(&mut self.to_client);
        wire.extend_from_slice(&record[..n]);
        wire
    }
}

/// Runs the shutdown procedure on `ctx`: its close_notify token.
fn shut_down(ctx: &mut SecurityContext) -> Vec<u8> {
    ctx.apply_control_token(ControlToken::Shutdown).unwrap();
    let mut token = Vec::new();
    let o = ctx.handshake(&[], &mut token).unwrap();
    assert_eq!((o.status, o.consumed), (HandshakeStatus::Ok, 0));
    token
}

/// A close_notify produced before the handshake completed is carried into the open phase:
/// the context stays write-closed, EncryptMessage refuses, a repeated shutdown re-emits the
/// same plaintext record.
#[test]
fn a_mid_handshake_close_notify_is_carried_into_the_open_phase() {
    let mut p = Pair::new(Protocols::TLS12_ONLY);
    let first = shut_down(&mut p.client);
    // A plaintext warning close_notify at the ClientHello's record version.
    assert_eq!(first, [21, 3, 1, 0, 2, 1, 0]);
    assert!(p.client.is_write_closed() && !p.client.is_established());
    // The server answers the ClientHello; the client goes on with its handshake.
    let mut out = Vec::new();
    let o = p.server.handshake(&p.to_server, &mut out).unwrap();
    assert_eq!(o.status, HandshakeStatus::ContinueNeeded);
    let mut token = Vec::new();
    let o = p.client.handshake(&out, &mut token).unwrap();
    assert_eq!(o.status, HandshakeStatus::ContinueNeeded);
    let mut to_client = Vec::new();
    let o = p.server.handshake(&token, &mut to_client).unwrap();
    assert_eq!(o.status, HandshakeStatus::Ok);
    let o = p.client.handshake(&to_client, &mut Vec::new()).unwrap();
    assert_eq!(o.status, HandshakeStatus::Ok);
    assert!(p.client.is_established() && p.client.is_write_closed());
    let mut buf = vec![0u8; 64];
    let e = p.client.encrypt(&mut buf, 4).unwrap_err();
    assert_eq!(e.status(), Status::SEC_E_CONTEXT_EXPIRED);
    assert_eq!(shut_down(&mut p.client), first);
    assert!(p.client.failure().is_none());
}

/// The failed phase keeps what had been reached: a context that read the peer's close_notify
/// and then sent a fatal alert of its own is read-closed, write-closed, established and failed
/// at once, and every later call reports the latched error.
#[test]
fn a_failed_context_keeps_what_it_had_reached() {
    for protocols in [Protocols::TLS12_ONLY, Protocols::TLS13_ONLY] {
        let mut p = Pair::established(protocols);
        let mut wire = std::mem::take(&mut p.to_client);
        wire.extend(shut_down(&mut p.server));
        let status = loop {
            let d = p.client.decrypt(&mut wire).unwrap();
            let Some(layout) = d.layout() else {
                panic!("{d:?}")
            };
            let extra = layout.extra.start;
            match d {
                Decrypted::ContextExpired(_) => break d.status(),
                Decrypted::Renegotiate(_) => {
                    wire.drain(..extra);
                    p.client.handshake(&[], &mut Vec::new()).unwrap();
                }
                _ => {
                    wire.drain(..extra);
                }
            }
        };
        assert_eq!(status, Status::SEC_I_CONTEXT_EXPIRED);
        assert!(p.client.is_read_closed() && !p.client.is_write_closed());
        p.client
            .apply_control_token(ControlToken::Alert {
                level: crate::AlertLevel::Fatal,
                description: 80,
            })
            .unwrap();
        let mut alert = Vec::new();
        p.client.handshake(&[], &mut alert).unwrap();
        // Sealed under the traffic keys: TLS 1.3 hides the content type, TLS 1.2 encrypts
        // the two alert bytes behind an explicit nonce and before a tag.
        let sealed_type = if protocols == Protocols::TLS13_ONLY {
            23
        } else {
            21
        };
        assert_eq!(alert[0], sealed_type, "{alert:?}");
        assert!(alert.len() > 7, "not a plaintext alert: {alert:?}");
        assert!(p.client.is_read_closed() && p.client.is_write_closed());
        assert!(p.client.is_established());
        let failure = p.client.failure().unwrap().status();
        assert_eq!(failure, Status::SEC_E_CONTEXT_EXPIRED);
        assert!(p.client.stream_sizes().is_ok(), "sizes stay queryable");
        let e = p.client.decrypt(&mut [23, 3, 3, 0, 0]).unwrap_err();
        assert_eq!(e.status(), failure);
        let e = p.client.handshake(&[], &mut Vec::new()).unwrap_err();
        assert_eq!(e.status(), failure);
        assert!(
            p.client.failure_alert().is_empty(),
            "nothing owed: it was sent"
        );
        assert!(format!("{:?}", p.client).contains("failed"));
    }
}

/// A pending `SEC_I_RENEGOTIATE` belongs to the open phase: EncryptMessage and DecryptMessage
/// refuse (not fatally) until ISC/ASC services it, which hands out the records it holds.
#[test]
fn a_pending_renegotiate_blocks_both_directions_until_serviced() {
    let mut p = Pair::established(Protocols::TLS13_ONLY);
    // The server's session tickets reach the client as SEC_I_RENEGOTIATE.
    let mut wire = std::mem::take(&mut p.to_client);
    assert!(!wire.is_empty(), "TLS 1.3 tickets in flight");
    let d = p.client.decrypt(&mut wire).unwrap();
    let Decrypted::Renegotiate(layout) = d else {
        panic!("{d:?}")
    };
    assert!(format!("{:?}", p.client).contains("SEC_I_RENEGOTIATE pending"));
    wire.drain(..layout.extra.start);
    let mut buf = vec![0u8; 64];
    let e = p.client.encrypt(&mut buf, 4).unwrap_err();
    assert_eq!(e.status(), Status::SEC_E_CONTEXT_EXPIRED);
    let e = p.client.decrypt(&mut wire.clone()).unwrap_err();
    assert_eq!(e.status(), Status::SEC_E_CONTEXT_EXPIRED);
    assert!(p.client.failure().is_none(), "not fatal");
    let mut token = Vec::new();
    let o = p.client.handshake(&[], &mut token).unwrap();
    assert_eq!((o.status, o.consumed), (HandshakeStatus::Ok, 0));
    assert!(token.is_empty(), "a ticket needs no answer");
    let sizes = p.client.stream_sizes().unwrap();
    let mut record = vec![0u8; sizes.header + 4 + sizes.trailer];
    assert_eq!(p.client.encrypt(&mut record, 4).unwrap().data, 4);
}
