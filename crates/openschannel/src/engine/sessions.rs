//! The client session cache a credential owns: keyed by target name (rustls' `ServerName`), with
//! Schannel's per-entry lifetime (`dwSessionLifespan`, default 10 hours).

use std::collections::{HashMap, VecDeque};
use std::sync::{Mutex, MutexGuard};
use std::time::{Duration, Instant};

use rustls::client::{ClientSessionStore, Tls12ClientSessionValue, Tls13ClientSessionValue};
use rustls::pki_types::ServerName;
use rustls::NamedGroup;

/// TLS 1.3 tickets kept per server (as rustls' own cache does).
const TICKETS_PER_SERVER: usize = 8;

#[derive(Default)]
struct ServerData {
    kx_hint: Option<NamedGroup>,
    tls12: Option<(Tls12ClientSessionValue, Instant)>,
    /// Oldest first.
    tls13: VecDeque<(Tls13ClientSessionValue, Instant)>,
}

struct Inner {
    servers: HashMap<ServerName<'static>, ServerData>,
    /// Insertion order, for evicting the oldest server when full.
    order: VecDeque<ServerName<'static>>,
}

/// A bounded in-memory [`ClientSessionStore`] whose sessions and tickets expire `lifetime`
/// after they were stored.
pub(crate) struct ExpiringSessionStore {
    lifetime: Duration,
    max_servers: usize,
    inner: Mutex<Inner>,
}

impl std::fmt::Debug for ExpiringSessionStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The sessions themselves are secret.
        f.debug_struct("ExpiringSessionStore")
            .field("lifetime", &self.lifetime)
            .field("max_servers", &self.max_servers)
            .finish_non_exhaustive()
    }
}

impl ExpiringSessionStore {
    /// A store for about `size` sessions (servers × tickets, as rustls counts) living
    /// `lifetime` each.
    pub(crate) fn new(size: usize, lifetime: Duration) -> Self {
        Self {
            lifetime,
            max_servers: size.div_ceil(TICKETS_PER_SERVER).max(1),
            inner: Mutex::new(Inner {
                servers: HashMap::new(),
                order: VecDeque::new(),
            }),
        }
    }

    fn lock(&self) -> MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn fresh(&self, stored: Instant) -> bool {
        stored.elapsed() < self.lifetime
    }

    fn edit(&self, name: ServerName<'static>, f: impl FnOnce(&mut ServerData)) {
        let mut inner = self.lock();
        if !inner.servers.contains_key(&name) {
            while inner.servers.len() >= self.max_servers {
                let Some(oldest) = inner.order.pop_front() else {
                    break;
                };
                inner.servers.remove(&oldest);
            }
            inner.order.push_back(name.clone());
        }
        f(inner.servers.entry(name).or_default());
    }
}

impl ClientSessionStore for ExpiringSessionStore {
    fn set_kx_hint(&self, server_name: ServerName<'static>, group: NamedGroup) {
        self.edit(server_name, |d| d.kx_hint = Some(group));
    }

    fn kx_hint(&self, server_name: &ServerName<'_>) -> Option<NamedGroup> {
        self.lock()
            .servers
            .get(&server_name.to_owned())
            .and_then(|d| d.kx_hint)
    }

    fn set_tls12_session(&self, server_name: ServerName<'static>, value: Tls12ClientSessionValue) {
        self.edit(server_name, |d| d.tls12 = Some((value, Instant::now())));
    }

    fn tls12_session(&self, server_name: &ServerName<'_>) -> Option<Tls12ClientSessionValue> {
        let mut inner = self.lock();
        let data = inner.servers.get_mut(&server_name.to_owned())?;
        match &data.tls12 {
            Some((value, stored)) if self.fresh(*stored) => Some(value.clone()),
            Some(_) => {
                data.tls12 = None;
                None
            }
            None => None,
        }
    }

    fn remove_tls12_session(&self, server_name: &ServerName<'static>) {
        if let Some(d) = self.lock().servers.get_mut(server_name) {
            d.tls12 = None;
        }
    }

    fn insert_tls13_ticket(
        &self,
        server_name: ServerName<'static>,
        value: Tls13ClientSessionValue,
    ) {
        self.edit(server_name, |d| {
            if d.tls13.len() >= TICKETS_PER_SERVER {
                d.tls13.pop_front();
            }
            d.tls13.push_back((value, Instant::now()));
        });
    }

    fn take_tls13_ticket(
        &self,
        server_name: &ServerName<'static>,
    ) -> Option<Tls13ClientSessionValue> {
        let mut inner = self.lock();
        let data = inner.servers.get_mut(server_name)?;
        // Tickets are stored in arrival order, so expired ones are at the front.
        while data
            .tls13
            .front()
            .is_some_and(|(_, stored)| !self.fresh(*stored))
        {
            data.tls13.pop_front();
        }
        data.tls13.pop_back().map(|(value, _)| value)
    }
}
