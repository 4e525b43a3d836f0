//! Handing an OpenSSL client the session of its previous connection, for the resumed-handshake
//! cases of `openschannel bench`'s OpenSSL contender.
//!
//! The `openssl` crate offers this only as the `unsafe` `SslRef::set_session` (the session must
//! come from the same `SSL_CTX`), and unsafe code lives only in this crate; the module exists
//! with the `bench-openssl` feature, which the CLI's `openssl` feature turns on.
//! [`SessionSlot`] makes the call safe by construction: it owns the client context,
//! makes every client `Ssl` itself and accepts a session only from an `Ssl` of that context.

use openssl::error::ErrorStack;
use openssl::ssl::{Ssl, SslContext, SslContextRef, SslRef, SslSession};

/// A client context and the session its next connection resumes.
pub struct SessionSlot {
    ctx: SslContext,
    session: Option<SslSession>,
}

impl SessionSlot {
    /// A slot for client connections of `ctx`, with no session yet.
    pub fn new(ctx: SslContext) -> Self {
        Self { ctx, session: None }
    }

    /// A new client `Ssl` of this context, set to resume the remembered session, if any.
    pub fn new_ssl(&self) -> Result<Ssl, ErrorStack> {
        let mut ssl = Ssl::new(&self.ctx)?;
        if let Some(session) = &self.session {
            // SAFETY: `session` was taken (by `remember`) from an `Ssl` whose context is
            // `self.ctx`, the context `ssl` was just created from — the one requirement of
            // SSL_set_session.
            unsafe { ssl.set_session(session)? };
        }
        Ok(ssl)
    }

    /// Remembers the current session of `ssl` for the next connection — only when `ssl`
    /// belongs to this slot's context (anything else is ignored). Returns whether it did.
    pub fn remember(&mut self, ssl: &SslRef) -> bool {
        let ours: &SslContextRef = &self.ctx;
        if !std::ptr::eq(ssl.ssl_context(), ours) {
            return false;
        }
        match ssl.session() {
            Some(session) => {
                self.session = Some(session.to_owned());
                true
            }
            None => false,
        }
    }
}
