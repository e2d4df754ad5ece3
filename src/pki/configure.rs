//! rustls configurations straight from a CA and its leaves, like trustme's
//! `configure_trust` and `configure_cert`: the trust store a client needs, and client and
//! server configs ready to hand to a TLS connection. All use pkigen's crypto provider
//! (aws-lc-rs) and rustls's safe default protocol versions (TLS 1.2 and 1.3).

use crate::error::Error;
use crate::pki::ca::Ca;
use crate::pki::crypto::provider;
use crate::pki::leaf::Leaf;
use rustls::server::WebPkiClientVerifier;
use rustls::{ClientConfig, RootCertStore, ServerConfig};
use std::sync::Arc;

impl Ca {
    /// A trust store holding the root at the top of this CA's chain: a client trusting it
    /// accepts this CA's leaves, from servers that send their intermediates.
    pub fn root_store(&self) -> RootCertStore {
        let mut roots = RootCertStore::empty();
        roots
            .add(self.root_der())
            .expect("a certificate pkigen signed parses as a trust anchor");
        roots
    }

    /// A client config trusting this CA's root, without a client certificate.
    pub fn client_config(&self) -> Result<ClientConfig, Error> {
        let what = || format!("client config trusting '{}'", self.common_name());
        Ok(ClientConfig::builder_with_provider(provider())
            .with_safe_default_protocol_versions()
            .map_err(|e| Error::tls_config(what(), e))?
            .with_root_certificates(self.root_store())
            .with_no_client_auth())
    }

    /// A client config trusting this CA's root and presenting `identity` (its chain and
    /// key) to servers that ask for a client certificate: mutual TLS.
    pub fn client_config_with_identity(&self, identity: &Leaf) -> Result<ClientConfig, Error> {
        let what = || {
            format!(
                "client config trusting '{}' with identity '{}'",
                self.common_name(),
                identity.common_name()
            )
        };
        ClientConfig::builder_with_provider(provider())
            .with_safe_default_protocol_versions()
            .map_err(|e| Error::tls_config(what(), e))?
            .with_root_certificates(self.root_store())
            .with_client_auth_cert(identity.chain(), identity.private_key_der())
            .map_err(|e| Error::tls_config(what(), e))
    }
}

impl Leaf {
    /// A server config presenting this leaf (its chain and key), asking no client
    /// certificate.
    pub fn server_config(&self) -> Result<ServerConfig, Error> {
        let what = || format!("server config for '{}'", self.common_name());
        ServerConfig::builder_with_provider(provider())
            .with_safe_default_protocol_versions()
            .map_err(|e| Error::tls_config(what(), e))?
            .with_no_client_auth()
            .with_single_cert(self.chain(), self.private_key_der())
            .map_err(|e| Error::tls_config(what(), e))
    }

    /// A server config presenting this leaf and requiring a client certificate issued
    /// under `client_ca`'s root: mutual TLS.
    pub fn server_config_requiring_client_cert(
        &self,
        client_ca: &Ca,
    ) -> Result<ServerConfig, Error> {
        let what = || {
            format!(
                "server config for '{}' requiring clients of '{}'",
                self.common_name(),
                client_ca.common_name()
            )
        };
        let verifier = WebPkiClientVerifier::builder_with_provider(
            Arc::new(client_ca.root_store()),
            provider(),
        )
        .build()
        .map_err(|e| Error::tls_config(what(), rustls::Error::General(e.to_string())))?;
        ServerConfig::builder_with_provider(provider())
            .with_safe_default_protocol_versions()
            .map_err(|e| Error::tls_config(what(), e))?
            .with_client_cert_verifier(verifier)
            .with_single_cert(self.chain(), self.private_key_der())
            .map_err(|e| Error::tls_config(what(), e))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rustls::pki_types::ServerName;
    use rustls::{CertificateError, ClientConnection, ServerConnection};

    /// A handshake between the two configs, in memory: bytes go from one side to the other
    /// until neither has anything left to say. The first error either side raises, or
    /// `Ok` once both have completed the handshake.
    fn handshake(
        client: ClientConfig,
        server: ServerConfig,
        name: &str,
    ) -> Result<(), rustls::Error> {
        let name = ServerName::try_from(name.to_string()).unwrap();
        let mut client = ClientConnection::new(Arc::new(client), name)?;
        let mut server = ServerConnection::new(Arc::new(server))?;
        for _ in 0..16 {
            let mut moved = false;
            while client.wants_write() {
                let mut bytes = Vec::new();
                client.write_tls(&mut bytes).unwrap();
                moved |= !bytes.is_empty();
                let mut read = &bytes[..];
                while !read.is_empty() {
                    server.read_tls(&mut read).unwrap();
                }
                server.process_new_packets()?;
            }
            while server.wants_write() {
                let mut bytes = Vec::new();
                server.write_tls(&mut bytes).unwrap();
                moved |= !bytes.is_empty();
                let mut read = &bytes[..];
                while !read.is_empty() {
                    client.read_tls(&mut read).unwrap();
                }
                client.process_new_packets()?;
            }
            if !client.is_handshaking() && !server.is_handshaking() {
                return Ok(());
            }
            if !moved {
                break;
            }
        }
        panic!("the handshake stalled without an error");
    }

    #[test]
    fn a_client_of_the_ca_accepts_its_leaf() {
        let ca = Ca::new().unwrap();
        let leaf = ca.issue(&["localhost"]).unwrap();
        handshake(
            ca.client_config().unwrap(),
            leaf.server_config().unwrap(),
            "localhost",
        )
        .unwrap();
    }

    #[test]
    fn a_leaf_behind_an_intermediate_is_accepted_with_the_chain_it_sends() {
        let root = Ca::new().unwrap();
        let intermediate = root.intermediate().build().unwrap();
        let leaf = intermediate.issue(&["127.0.0.1"]).unwrap();
        handshake(
            root.client_config().unwrap(),
            leaf.server_config().unwrap(),
            "127.0.0.1",
        )
        .unwrap();
    }

    #[test]
    fn a_leaf_of_another_ca_is_refused_as_unknown_issuer() {
        let trusted = Ca::new().unwrap();
        let other = Ca::new().unwrap();
        let leaf = other.issue(&["localhost"]).unwrap();
        let error = handshake(
            trusted.client_config().unwrap(),
            leaf.server_config().unwrap(),
            "localhost",
        )
        .unwrap_err();
        assert_eq!(
            error,
            rustls::Error::InvalidCertificate(CertificateError::UnknownIssuer)
        );
    }

    #[test]
    fn mutual_tls_accepts_the_ca_s_client_and_refuses_a_stranger() {
        let ca = Ca::new().unwrap();
        let server = ca.issue(&["localhost"]).unwrap();
        let client = ca.issue_client("app").unwrap();
        let requiring = || server.server_config_requiring_client_cert(&ca).unwrap();
        handshake(
            ca.client_config_with_identity(&client).unwrap(),
            requiring(),
            "localhost",
        )
        .unwrap();

        let stranger = Ca::new().unwrap().issue_client("intruder").unwrap();
        let error = handshake(
            ca.client_config_with_identity(&stranger).unwrap(),
            requiring(),
            "localhost",
        )
        .unwrap_err();
        assert_eq!(
            error,
            rustls::Error::InvalidCertificate(CertificateError::UnknownIssuer)
        );
        // Without a certificate at all, the server refuses too.
        assert!(handshake(ca.client_config().unwrap(), requiring(), "localhost").is_err());
    }
}
