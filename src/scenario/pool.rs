//! The run's keys: one per role, generated once (in parallel) and shared by every fixture
//! of that role in every scenario. Only six keys are ever under test — the CA's, an
//! outsider's, the intermediate's, a server's, and two clients' (a key-mismatch needs two) —
//! so the rest of the catalogue costs signatures, not key generations, which matters for
//! RSA. Each key file's manifest entry names its `shared_key` role.

use super::Fixture;
use crate::error::Error;
use crate::pki::keys::{KeyPair, KeyType};
use crate::pki::seed::Seed;
use std::collections::HashMap;

/// Which shared key a fixture uses: fixtures of one role hold the same key in every
/// scenario of a run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum KeyRole {
    /// A scenario's own root CA (the fixture named `ca`).
    Ca,
    /// Any other root: a CA the client or server does not trust.
    ForeignCa,
    /// Every intermediate CA.
    Intermediate,
    /// Every server (and OCSP responder) leaf.
    Leaf,
    /// The client fixture named `client`.
    Client,
    /// Any other client: its key must differ from `client`'s.
    ForeignClient,
}

impl KeyRole {
    /// The role's kebab-case name: the key file's `shared_key` in the manifest, and the
    /// label the key is derived from the seed under.
    pub fn as_str(self) -> &'static str {
        match self {
            KeyRole::Ca => "ca",
            KeyRole::ForeignCa => "foreign-ca",
            KeyRole::Intermediate => "intermediate",
            KeyRole::Leaf => "leaf",
            KeyRole::Client => "client",
            KeyRole::ForeignClient => "foreign-client",
        }
    }

    /// The role of a fixture's key; `None` for fixtures without a key of their own.
    pub fn of(fixture: &Fixture) -> Option<KeyRole> {
        Some(match fixture {
            Fixture::Root { name: "ca", .. } => KeyRole::Ca,
            Fixture::Root { .. } => KeyRole::ForeignCa,
            Fixture::Intermediate { .. } => KeyRole::Intermediate,
            Fixture::Leaf(_) => KeyRole::Leaf,
            Fixture::Client { name: "client", .. } => KeyRole::Client,
            Fixture::Client { .. } => KeyRole::ForeignClient,
            Fixture::Bundle { .. }
            | Fixture::Crl(_)
            | Fixture::OcspResponse(_)
            | Fixture::Mismatched { .. }
            | Fixture::EncryptedKey { .. } => return None,
        })
    }
}

/// The keys of a run, by role.
pub struct KeyPool {
    keys: HashMap<KeyRole, KeyPair>,
}

impl KeyPool {
    /// Generates a key for each of `roles`, in parallel; the seed and role decide each key,
    /// so the order the threads finish in does not matter.
    pub fn generate(
        seed: Seed,
        key_type: KeyType,
        roles: impl IntoIterator<Item = KeyRole>,
    ) -> Result<KeyPool, Error> {
        let mut roles: Vec<KeyRole> = roles.into_iter().collect();
        roles.sort();
        roles.dedup();
        let keys = crate::os::parallel::par_map(&roles, |role| {
            let mut rng = seed.rng(&format!("key/{}", role.as_str()));
            Ok((*role, KeyPair::generate(key_type, &mut rng)?))
        });
        Ok(KeyPool {
            keys: keys.into_iter().collect::<Result<HashMap<_, _>, Error>>()?,
        })
    }

    /// The key of `role`'s fixtures.
    pub fn key(&self, role: KeyRole) -> KeyPair {
        self.keys
            .get(&role)
            .cloned()
            .expect("the pool was generated for every role its scenarios need")
    }
}
