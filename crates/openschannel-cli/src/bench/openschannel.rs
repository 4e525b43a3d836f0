//! openschannel through its Rust API: `SecurityContext::handshake` (≈ ISC/ASC),
//! `encrypt`/`decrypt` in place (≈ EncryptMessage/DecryptMessage), and the five-step shutdown.

use std::any::Any;

use openschannel::{
    Certificate, CipherSuite, ContextOptions, ControlToken, Credentials, Decrypted,
    HandshakeStatus, KeyExchangeGroup, PrivateKey, Protocols, SecurityContext, ServerValidation,
    StreamSizes,
};

use super::contender::{Connection, Connector, Contender, Pki, Setup, Version};

/// openschannel's Rust API.
pub struct OpenSchannel;

impl Contender for OpenSchannel {
    fn name(&self) -> &'static str {
        "openschannel"
    }

    fn prepare(&self, pki: &Pki, setup: &Setup) -> Result<Box<dyn Connector>, String> {
        let id = pki.identity(setup.key);
        let cert = Certificate::from_der(id.cert_der.clone());
        let key = PrivateKey::from_der(&id.key_der).map_err(|e| e.to_string())?;
        let protocols = match setup.version {
            Version::Tls12 => Protocols::TLS12_ONLY,
            Version::Tls13 => Protocols::TLS13_ONLY,
        };
        let suites = vec![CipherSuite(setup.aead.suite(setup.version, setup.key))];
        let groups = vec![KeyExchangeGroup::X25519];
        let cache = if setup.resumption { 256 } else { 0 };
        let client = Credentials::client()
            .protocols(protocols)
            .cipher_suites(suites.clone())
            .key_exchange_groups(groups.clone())
            .validation(ServerValidation::Roots(vec![cert.clone()]))
            .session_cache_size(cache)
            .build()
            .map_err(|e| e.to_string())?;
        let server = Credentials::server(vec![cert], key)
            .protocols(protocols)
            .cipher_suites(suites)
            .key_exchange_groups(groups)
            .session_cache_size(cache)
            .build()
            .map_err(|e| e.to_string())?;
        Ok(Box::new(OpenSchannelConnector {
            client,
            server,
            resumption: setup.resumption,
            connects: 0,
            to_server: Vec::with_capacity(2048),
            to_client: Vec::with_capacity(8192),
        }))
    }
}

struct OpenSchannelConnector {
    client: Credentials,
    server: Credentials,
    resumption: bool,
    connects: u64,
    /// The handshake's byte queues, kept between connects (as an application reuses its I/O
    /// buffers), so that neither the handshake figures nor the memory figures count them.
    to_server: Vec<u8>,
    to_client: Vec<u8>,
}

/// Runs the token loop between a new client and server, then lets the client read the records
/// the server sent after its last handshake step (TLS 1.3 tickets). Returns both contexts;
/// the byte queues are left empty.
fn handshake(
    client: &Credentials,
    server: &Credentials,
    to_server: &mut Vec<u8>,
    to_client: &mut Vec<u8>,
) -> (SecurityContext, SecurityContext) {
    let mut c = SecurityContext::client(client, Some("localhost"), ContextOptions::default())
        .expect("client context");
    let mut s = SecurityContext::server(server, ContextOptions::default()).expect("server context");
    to_server.clear();
    to_client.clear();
    let first = c.handshake(&[], to_server).expect("ISC");
    assert_eq!(first.status, HandshakeStatus::ContinueNeeded);
    let (mut client_done, mut server_done) = (false, false);
    while !(client_done && server_done) {
        if !server_done && !to_server.is_empty() {
            let o = s.handshake(to_server, to_client).expect("ASC");
            to_server.drain(..o.consumed);
            match o.status {
                HandshakeStatus::Ok => server_done = true,
                HandshakeStatus::ContinueNeeded => {}
                other => panic!("ASC returned {other:?}"),
            }
        } else if !client_done && !to_client.is_empty() {
            let o = c.handshake(to_client, to_server).expect("ISC");
            to_client.drain(..o.consumed);
            match o.status {
                HandshakeStatus::Ok => client_done = true,
                HandshakeStatus::ContinueNeeded => {}
                other => panic!("ISC returned {other:?}"),
            }
        } else {
            panic!("handshake stalled: client done {client_done}, server done {server_done}");
        }
    }
    assert!(
        to_server.is_empty(),
        "client bytes left after the handshake"
    );
    // Post-handshake records (TLS 1.3 NewSessionTicket): SEC_I_RENEGOTIATE, then ISC.
    let mut out = Vec::new();
    while !to_client.is_empty() {
        match c.decrypt(to_client).expect("DecryptMessage") {
            Decrypted::Renegotiate(layout) => {
                let extra = layout.extra.clone();
                let o = c
                    .handshake(&to_client[extra.clone()], &mut out)
                    .expect("ISC");
                assert_eq!(o.status, HandshakeStatus::Ok);
                assert_eq!(o.consumed, 0);
                to_client.drain(..extra.start);
            }
            other => panic!("unexpected post-handshake result {other:?}"),
        }
    }
    assert!(out.is_empty(), "no reply is due to a session ticket");
    (c, s)
}

impl Connector for OpenSchannelConnector {
    fn connect(&mut self) -> Box<dyn Connection> {
        let (client, server) = handshake(
            &self.client,
            &self.server,
            &mut self.to_server,
            &mut self.to_client,
        );
        let expect_resumed = self.resumption && self.connects > 0;
        assert_eq!(client.is_resumed(), expect_resumed, "client resumption");
        assert_eq!(server.is_resumed(), expect_resumed, "server resumption");
        self.connects += 1;
        let sizes = client.stream_sizes().expect("stream sizes");
        Box::new(OpenSchannelConnection {
            client,
            server,
            sizes,
        })
    }
}

struct OpenSchannelConnection {
    client: SecurityContext,
    server: SecurityContext,
    sizes: StreamSizes,
}

impl Connection for OpenSchannelConnection {
    fn encrypt(&mut self, plain: &[u8], out: &mut [u8]) -> usize {
        let h = self.sizes.header;
        // The application writes its data after cbHeader bytes, then encrypts in place.
        out[h..h + plain.len()].copy_from_slice(plain);
        let written = self
            .client
            .encrypt(out, plain.len())
            .expect("EncryptMessage");
        written.total()
    }

    fn decrypt(&mut self, record: &mut [u8], _plain_out: &mut [u8]) -> usize {
        match self.server.decrypt(record) {
            Ok(Decrypted::Data(layout)) => {
                debug_assert!(layout.extra.is_empty());
                layout.data.len()
            }
            other => panic!("DecryptMessage: {other:?}"),
        }
    }

    fn shutdown(self: Box<Self>) {
        let Self {
            mut client,
            mut server,
            ..
        } = *self;
        close(&mut client, &mut server);
        close(&mut server, &mut client);
        drop(client);
        drop(server);
    }

    fn into_sides(self: Box<Self>) -> (Box<dyn Any>, Box<dyn Any>) {
        (Box::new(self.client), Box::new(self.server))
    }
}

/// Steps 1–4 of the shutdown procedure on `from`, and the recognition on `to`.
fn close(from: &mut SecurityContext, to: &mut SecurityContext) {
    from.apply_control_token(ControlToken::Shutdown)
        .expect("ApplyControlToken");
    let mut token = Vec::new();
    let o = from
        .handshake(&[], &mut token)
        .expect("ISC/ASC after shutdown");
    assert_eq!(o.status, HandshakeStatus::Ok);
    match to
        .decrypt(&mut token)
        .expect("DecryptMessage of close_notify")
    {
        Decrypted::ContextExpired(_) => {}
        other => panic!("close_notify gave {other:?}"),
    }
}
