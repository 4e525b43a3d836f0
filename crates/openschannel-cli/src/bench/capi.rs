//! openschannel through its C ABI: `AcquireCredentialsHandleW` with `SCH_CREDENTIALS`,
//! the `InitializeSecurityContextW`/`AcceptSecurityContext` token loop, `EncryptMessage` /
//! `DecryptMessage` over `SecBufferDesc`s, `ApplyControlToken` + ISC/ASC for the shutdown —
//! the exported functions called with raw descriptors exactly as a C program calls them. The
//! calls are made by `harness::capi` in the C ABI crate (they need `unsafe`); this is the
//! contender wrapped around it.

use std::any::Any;

use super::contender::{Connection, Connector, Contender, Pki, Setup, Version};
use openschannel_ffi::harness::capi::{CapiCredentials, CapiPair, CapiSetup};

/// openschannel's exported C functions.
pub struct CApi;

impl Contender for CApi {
    fn name(&self) -> &'static str {
        "openschannel-capi"
    }

    fn prepare(&self, pki: &Pki, setup: &Setup) -> Result<Box<dyn Connector>, String> {
        let id = pki.identity(setup.key);
        let creds = CapiCredentials::new(&CapiSetup {
            tls13: setup.version == Version::Tls13,
            cipher_suite: setup.aead.suite(setup.version, setup.key),
            x25519_only: true,
            cert_pem: &id.cert_pem,
            key_pem: &id.key_pem,
            resumption: setup.resumption,
        })?;
        Ok(Box::new(CapiConnector {
            creds,
            resumption: setup.resumption,
            connects: 0,
            suite: setup.aead.suite(setup.version, setup.key),
        }))
    }
}

struct CapiConnector {
    creds: CapiCredentials,
    resumption: bool,
    connects: u64,
    suite: u16,
}

impl Connector for CapiConnector {
    fn connect(&mut self) -> Box<dyn Connection> {
        let pair =
            CapiPair::connect(&self.creds).unwrap_or_else(|e| panic!("C ABI handshake: {e}"));
        assert_eq!(
            pair.resumed(),
            self.resumption && self.connects > 0,
            "C ABI resumption"
        );
        if self.connects == 0 {
            assert_eq!(pair.cipher_suite(), self.suite, "C ABI cipher suite");
        }
        self.connects += 1;
        Box::new(CapiConnection(pair))
    }
}

struct CapiConnection(CapiPair);

impl Connection for CapiConnection {
    fn encrypt(&mut self, plain: &[u8], out: &mut [u8]) -> usize {
        self.0.encrypt_into(plain, out)
    }

    fn decrypt(&mut self, record: &mut [u8], _plain_out: &mut [u8]) -> usize {
        self.0.decrypt(record)
    }

    fn shutdown(self: Box<Self>) {
        self.0.shutdown();
    }

    fn into_sides(self: Box<Self>) -> (Box<dyn Any>, Box<dyn Any>) {
        let (client, server) = self.0.into_sides();
        (Box::new(client), Box::new(server))
    }
}
