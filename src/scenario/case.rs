//! Declaring a case by the fixtures it uses. A case names the server's leaf fixture, the CA
//! it trusts, the CRL or staple it uses; the file names come from `naming`, the same place
//! the build takes them from, so a case and the files written always agree.
//!
//! A case starts with its server (`Case::new(..).server(..)`) and ends with what must happen
//! (`.expect(..)`, which yields the finished `CaseSpec`): neither can be left out. Client
//! options are added in the order they appear in the URI.

use super::{CaseSpec, OWN_CA, OptionValue, naming};
use crate::fixtures::manifest::Expect;

/// The host every case's client connects to, unless the case says otherwise.
const HOST: &str = "localhost";

/// A case with a name and a description, still to say which certificate its server sends.
#[must_use]
pub(super) struct Case {
    name: String,
    description: String,
}

impl Case {
    pub(super) fn new(name: impl Into<String>, description: impl Into<String>) -> Case {
        Case {
            name: name.into(),
            description: description.into(),
        }
    }

    /// The server sends the leaf fixture's certificate alone, `NAME.pem`.
    pub(super) fn server(self, leaf: &str) -> ServedCase {
        let files = (
            naming::certificate(leaf),
            naming::certificate_then_key(leaf),
        );
        self.serving(files, leaf)
    }

    /// The server sends the leaf fixture's certificate followed by its intermediates,
    /// `NAME.chain.pem`.
    pub(super) fn server_with_chain(self, leaf: &str) -> ServedCase {
        let files = (naming::chain(leaf), naming::chain_then_key(leaf));
        self.serving(files, leaf)
    }

    /// Either way the server's key is the leaf's own; `files` are the chain it sends and the
    /// one file holding that chain and the key.
    fn serving(self, (chain_file, chain_and_key_file): (String, String), leaf: &str) -> ServedCase {
        ServedCase {
            spec: PartialCase {
                name: self.name,
                description: self.description,
                server_leaf: leaf.to_string(),
                server_chain: chain_file,
                server_key: naming::private_key(leaf),
                server_chain_and_key: chain_and_key_file,
                client_ca: None,
                staple: None,
                responder: None,
                server_tls_versions: None,
                client_tls_versions: None,
                unusable_cipher_suites: false,
                host: HOST,
                options: Vec::new(),
            },
        }
    }
}

/// A case whose server is chosen: the server's other settings, the client's options, and
/// finally its expectation.
#[must_use]
pub(super) struct ServedCase {
    spec: PartialCase,
}

/// Every field of `CaseSpec` but the expectation, which `ServedCase::expect` supplies last.
struct PartialCase {
    name: String,
    description: String,
    server_leaf: String,
    server_chain: String,
    server_key: String,
    server_chain_and_key: String,
    client_ca: Option<String>,
    staple: Option<String>,
    responder: Option<&'static str>,
    server_tls_versions: Option<&'static [&'static str]>,
    client_tls_versions: Option<&'static [&'static str]>,
    unusable_cipher_suites: bool,
    host: &'static str,
    options: Vec<(&'static str, OptionValue)>,
}

impl ServedCase {
    /// The server requires a client certificate issued by the CA fixture `ca`.
    pub(super) fn client_ca(mut self, ca: &str) -> ServedCase {
        self.spec.client_ca = Some(naming::certificate(ca));
        self
    }

    /// The server staples the OCSP response fixture `response`.
    pub(super) fn staple(mut self, response: &str) -> ServedCase {
        self.spec.staple = Some(naming::ocsp_response(response));
        self
    }

    /// The scenario's OCSP responder `responder` (the one its certificate's AIA names) runs
    /// while this case does.
    pub(super) fn responder(mut self, responder: &'static str) -> ServedCase {
        self.spec.responder = Some(responder);
        self
    }

    /// The server offers only these TLS versions (otherwise 1.2 and 1.3).
    pub(super) fn server_tls_versions(mut self, versions: &'static [&'static str]) -> ServedCase {
        self.spec.server_tls_versions = Some(versions);
        self
    }

    /// The server offers only cipher suites its own key cannot sign for.
    pub(super) fn unusable_cipher_suites(mut self) -> ServedCase {
        self.spec.unusable_cipher_suites = true;
        self
    }

    /// The client connects to `host` (and checks the certificate against it).
    pub(super) fn host(mut self, host: &'static str) -> ServedCase {
        self.spec.host = host;
        self
    }

    /// The client is pinned to these TLS versions: beyond PyMongo's options, an
    /// `ssl.SSLContext` setting.
    pub(super) fn client_tls_versions(mut self, versions: &'static [&'static str]) -> ServedCase {
        self.spec.client_tls_versions = Some(versions);
        self
    }

    /// A boolean PyMongo option.
    pub(super) fn option(mut self, name: &'static str, value: bool) -> ServedCase {
        self.spec.options.push((name, OptionValue::Bool(value)));
        self
    }

    /// `tls=true` and `tlsCAFile` naming the scenario's CA: how the guide has a client trust
    /// a private CA.
    pub(super) fn trusting_ca(self) -> ServedCase {
        self.trusting(OWN_CA)
    }

    /// `tls=true` and `tlsCAFile` naming the certificate or bundle fixture `ca`.
    pub(super) fn trusting(self, ca: &str) -> ServedCase {
        self.option("tls", true).ca_file(ca)
    }

    /// `tlsCAFile` naming the certificate or bundle fixture `ca`.
    pub(super) fn ca_file(self, ca: &str) -> ServedCase {
        self.file_option("tlsCAFile", naming::certificate(ca))
    }

    /// `tlsCRLFile` naming the CRL fixture `crl` as PEM.
    pub(super) fn crl_file(self, crl: &str) -> ServedCase {
        self.file_option("tlsCRLFile", naming::crl_pem(crl))
    }

    /// `tlsCRLFile` naming the CRL fixture `crl` as DER, which PyMongo cannot read.
    pub(super) fn crl_file_der(self, crl: &str) -> ServedCase {
        self.file_option("tlsCRLFile", naming::crl_der(crl))
    }

    /// `tlsCertificateKeyFile` naming the key-and-certificate file of the fixture `fixture`.
    pub(super) fn key_file(self, fixture: &str) -> ServedCase {
        self.file_option(
            "tlsCertificateKeyFile",
            naming::key_and_certificate(fixture),
        )
    }

    /// `tlsCertificateKeyFilePassword`.
    pub(super) fn key_password(mut self, password: &'static str) -> ServedCase {
        let value = OptionValue::Str(password.to_string());
        self.spec
            .options
            .push(("tlsCertificateKeyFilePassword", value));
        self
    }

    fn file_option(mut self, name: &'static str, file: String) -> ServedCase {
        self.spec.options.push((name, OptionValue::Str(file)));
        self
    }

    /// What must happen with PyMongo, written from the guide and PyMongo's documented
    /// behaviour: the finished case (another driver's expectation, where it differs, follows
    /// with `differs_for`).
    pub(super) fn expect(self, expect: Expect) -> CaseSpec {
        let s = self.spec;
        CaseSpec {
            name: s.name,
            description: s.description,
            server_leaf: s.server_leaf,
            server_chain: s.server_chain,
            server_key: s.server_key,
            server_chain_and_key: s.server_chain_and_key,
            client_ca: s.client_ca,
            staple: s.staple,
            responder: s.responder,
            server_tls_versions: s.server_tls_versions,
            client_tls_versions: s.client_tls_versions,
            unusable_cipher_suites: s.unusable_cipher_suites,
            host: s.host,
            options: s.options,
            expect,
            differences: Vec::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A server sends its leaf alone or with its chain; its key is the leaf's either way, and
    /// the one file holding both follows what it sends.
    #[test]
    fn the_server_key_is_the_leaf_fixtures_own() {
        let files = |case: &CaseSpec| {
            (
                case.server_leaf.clone(),
                case.server_chain.clone(),
                case.server_key.clone(),
                case.server_chain_and_key.clone(),
            )
        };
        let alone = Case::new("a", "d").server("server").expect(Expect::ACCEPT);
        assert_eq!(
            files(&alone),
            (
                "server".into(),
                "server.pem".into(),
                "server.key.pem".into(),
                "server.cert-key.pem".into()
            )
        );
        let chained = Case::new("b", "d")
            .server_with_chain("server")
            .expect(Expect::ACCEPT);
        assert_eq!(
            files(&chained),
            (
                "server".into(),
                "server.chain.pem".into(),
                "server.key.pem".into(),
                "server.chain-key.pem".into()
            )
        );
    }

    /// Client options keep the order they were declared in: the order of the URI.
    #[test]
    fn options_name_fixture_files_in_declaration_order() {
        let case = Case::new("c", "d")
            .server("server")
            .client_ca("ca")
            .staple("ocsp-good")
            .trusting("ca-bundle")
            .crl_file("crl")
            .crl_file_der("crl")
            .key_file("client")
            .key_password("pw")
            .option("tlsInsecure", true)
            .expect(Expect::ACCEPT);
        let text = |s: &str| OptionValue::Str(s.to_string());
        assert_eq!(
            case.options,
            [
                ("tls", OptionValue::Bool(true)),
                ("tlsCAFile", text("ca-bundle.pem")),
                ("tlsCRLFile", text("crl.pem")),
                ("tlsCRLFile", text("crl.der")),
                ("tlsCertificateKeyFile", text("client.pem")),
                ("tlsCertificateKeyFilePassword", text("pw")),
                ("tlsInsecure", OptionValue::Bool(true)),
            ]
        );
        assert_eq!(case.client_ca.as_deref(), Some("ca.pem"));
        assert_eq!(case.staple.as_deref(), Some("ocsp-good.der"));
    }
}
