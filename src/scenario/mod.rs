//! Scenarios as data: one per part of the PyMongo TLS guide. Each declares its fixtures
//! (what to issue) and its cases (server side + client policy + expected outcome) once, in
//! its file of `catalogue`; `build` turns a scenario into files and a manifest, in memory.
//!
//! A scenario is written with builders (`Scenario::new`, `Case`, and the fixture
//! constructors in `fixture`) that name fixtures, never files: `naming` turns a fixture's
//! name into its files' names for both the cases and the build.

mod build;
mod case;
mod cases;
mod catalogue;
mod expectation;
mod fixture;
mod mongod;
mod naming;
mod pool;
mod translation;

pub use crate::fixtures::generated::{Generated, OutputFile};
pub use crate::fixtures::output::ALL;
pub use build::{
    add_drivers, build, build_many, build_with, check_clock, clock_range, earliest_expressible,
    latest_expressible, time_span,
};
pub use cases::Cases;
pub use catalogue::{all, find};
pub use expectation::{DriverExpectation, REFERENCE_DRIVER};
pub use pool::{KeyPool, KeyRole};
pub use translation::{TRANSLATED_LANGUAGES, Translation, translation};

use case::{Case, ServedCase};

use crate::fixtures::manifest::Expect;
use crate::pki::encrypted::KeyEncryption;
use crate::pki::leaf::Purpose;

/// The scenario's own root CA: the issuer of its other fixtures unless they name another,
/// and the CA its clients trust unless a case names another.
const OWN_CA: &str = "ca";

/// One part of the guide, reproduced.
#[derive(Debug, Clone)]
pub struct Scenario {
    /// What `pkigen scenario` takes and the folder under `--out` is called; also labels
    /// what the seed derives for this scenario, so a rename changes its bytes.
    pub name: &'static str,
    /// The guide's section this scenario reproduces.
    pub summary: &'static str,
    /// What to issue, in the order it is built and listed in the manifest.
    pub fixtures: Vec<Fixture>,
    /// The handshakes that prove what the fixtures do, in declaration order.
    pub cases: Cases,
}

impl Scenario {
    /// A scenario with nothing declared yet; fixtures and cases follow in the order they
    /// are written out and listed in the manifest.
    fn new(name: &'static str, summary: &'static str) -> Scenario {
        Scenario {
            name,
            summary,
            fixtures: Vec::new(),
            cases: Cases::default(),
        }
    }

    /// Adds a fixture. Every file a fixture writes is named after it, so a second fixture
    /// of the same name would overwrite the first one's files: refused, with a panic that
    /// names both scenario and fixture.
    fn fixture(mut self, fixture: impl Into<Fixture>) -> Scenario {
        let fixture = fixture.into();
        assert!(
            self.fixtures.iter().all(|f| f.name() != fixture.name()),
            "scenario {}: a second fixture named {}",
            self.name,
            fixture.name()
        );
        self.fixtures.push(fixture);
        self
    }

    /// Adds fixtures in order, each as `fixture` does.
    fn fixtures(self, fixtures: impl IntoIterator<Item = impl Into<Fixture>>) -> Scenario {
        fixtures.into_iter().fold(self, Scenario::fixture)
    }

    /// Adds a case. A case is addressed by its name (`serve --case`, the report, the
    /// documentation pages; a manifest with a repeated name is refused as corrupt), so a
    /// second case of the same name is refused, with a panic that names both scenario and
    /// case.
    fn case(mut self, case: CaseSpec) -> Scenario {
        if let Err(name) = self.cases.insert(case) {
            panic!("scenario {}: a second case named {name}", self.name);
        }
        self
    }

    /// Adds cases in order, each as `case` does.
    fn cases(self, cases: impl IntoIterator<Item = CaseSpec>) -> Scenario {
        cases.into_iter().fold(self, Scenario::case)
    }

    /// The summary in `lang`, or in English (the catalogue's own words) where `lang` has no
    /// translation.
    pub fn summary_in(&self, lang: &str) -> &str {
        translation(lang)
            .and_then(|t| t.summary(self.name))
            .unwrap_or(self.summary)
    }

    /// Case `case`'s description in `lang`, if `english` is what the catalogue says of that
    /// case: a translation renders the catalogue's words, so a manifest that says something
    /// else (written by another version) keeps its own.
    pub fn case_description_in(&self, case: &str, english: &str, lang: &str) -> Option<&str> {
        let spec = self.cases.named(case)?;
        if spec.description != english {
            return None;
        }
        translation(lang)?.case_description(self.name, case)
    }

    /// Why `driver` expects `expect` in case `case` where PyMongo expects otherwise, in
    /// `lang`: `None` where the catalogue declares no difference for `driver`, or declares
    /// another expectation than `expect` (a manifest written by another version).
    pub fn case_difference_in(
        &self,
        case: &str,
        driver: crate::policy::Driver,
        expect: crate::fixtures::manifest::Expect,
        lang: &str,
    ) -> Option<&str> {
        let difference = self.cases.named(case)?.difference(driver)?;
        if difference.expect != expect {
            return None;
        }
        Some(
            translation(lang)
                .and_then(|t| t.difference(driver, self.name, case))
                .unwrap_or(difference.why),
        )
    }
}

/// Something to issue. Each fixture writes `NAME.pem` (certificate) and `NAME.key.pem`.
#[derive(Debug, Clone)]
pub enum Fixture {
    /// A self-signed root CA.
    Root {
        /// The fixture's name: its files are named after it, and other fixtures and cases
        /// refer to it by this name.
        name: &'static str,
        /// The certificate's subject CN.
        common_name: &'static str,
    },
    /// An intermediate CA signed by the CA fixture `issuer`.
    Intermediate {
        /// The fixture's name, which its files and references to it take.
        name: &'static str,
        /// The certificate's subject CN.
        common_name: &'static str,
        /// The name of the CA fixture that signs it, declared before it.
        issuer: &'static str,
    },
    /// An end-entity certificate. When its issuer is an intermediate, `NAME.chain.pem`
    /// holds the leaf followed by the intermediates, as a server sends them.
    Leaf(LeafSpec),
    /// Certificates of earlier fixtures concatenated into `NAME.pem`, e.g. a CA bundle.
    Bundle {
        /// The fixture's name, which its files and references to it take.
        name: &'static str,
        /// The certificate fixtures to concatenate, in file order.
        parts: &'static [&'static str],
    },
    /// A CRL signed by the CA fixture `issuer`: `NAME.pem` and `NAME.der`, same content.
    Crl(CrlSpec),
    /// A DER OCSP response about a leaf fixture: `NAME.der`.
    OcspResponse(OcspSpec),
    /// A client certificate (EKU clientAuth) from the CA fixture `issuer`: `NAME.key.pem`,
    /// `NAME.crt.pem`, and `NAME.pem` = key then certificate, the bytes of
    /// `cat NAME.key.pem NAME.crt.pem`, which is what `tlsCertificateKeyFile` takes.
    Client {
        /// The fixture's name, which its files and references to it take.
        name: &'static str,
        /// The name of the CA fixture that signs it.
        issuer: &'static str,
    },
    /// A combined key+certificate file, `NAME.pem`, whose key (of client `key_of`) does not
    /// match its certificate (of client `cert_of`).
    Mismatched {
        /// The fixture's name, which its files and references to it take.
        name: &'static str,
        /// The client fixture whose private key goes in the file.
        key_of: &'static str,
        /// The client fixture whose certificate goes in the file.
        cert_of: &'static str,
    },
    /// Client `of`'s key encrypted with `password`, followed by its certificate: `NAME.pem`.
    EncryptedKey {
        /// The fixture's name, which its files and references to it take.
        name: &'static str,
        /// The client fixture whose key and certificate the file holds.
        of: &'static str,
        /// The password the key is encrypted with; the manifest records it for the cases.
        password: &'static str,
        /// The encryption: PKCS#8 (`ENCRYPTED PRIVATE KEY`) or OpenSSL's legacy PEM form.
        format: KeyEncryption,
    },
}

/// An end-entity certificate to issue: for a server, or an OCSP responder.
#[derive(Debug, Clone)]
pub struct LeafSpec {
    /// The fixture's name, which its files and references to it take; also its subject CN
    /// when it has no names.
    pub name: &'static str,
    /// Who signs it: a CA fixture, or its own key.
    pub issuer: Signer,
    /// DNS names and IP addresses for the subject alternative name.
    pub names: &'static [&'static str],
    /// Where its validity window lies relative to `--now`.
    pub validity: Validity,
    /// Its extended key usage: server, client or OCSP signing.
    pub purpose: Purpose,
    /// The OCSP responder its Authority Information Access extension names, if any.
    pub ocsp: OcspUrl,
    /// TLS Feature `status_request` (must-staple).
    pub must_staple: bool,
}

/// Where a certificate's AIA extension sends OCSP clients.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OcspUrl {
    /// No AIA extension.
    None,
    /// One of the scenario's own responders, by name: its address derives from the seed,
    /// the scenario and that name (see `build::responder_url`), so each responder a
    /// scenario declares answers at an address of its own.
    Responder(&'static str),
    /// A loopback port where nothing listens: the soft-fail case.
    Unreachable,
}

/// A CRL to sign.
#[derive(Debug, Clone)]
pub struct CrlSpec {
    /// The fixture's name, which its files and references to it take.
    pub name: &'static str,
    /// The CA fixture that signs it; it covers that CA's certificates.
    pub issuer: &'static str,
    /// Leaf fixtures this CRL revokes (reason keyCompromise, revoked shortly before `--now`).
    pub revokes: &'static [&'static str],
    /// Whether its nextUpdate is still ahead of `--now`.
    pub freshness: Freshness,
    /// The CRL number extension's value.
    pub number: u64,
}

/// Whether a CRL's `nextUpdate` lies ahead of `--now` or behind it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Freshness {
    /// Next update years after `--now`: fixtures made once keep working.
    Current,
    /// Next update passed before `--now`: OpenSSL refuses the CRL as expired.
    Stale,
}

/// An OCSP response to sign.
#[derive(Debug, Clone)]
pub struct OcspSpec {
    /// The fixture's name, which its file and references to it take.
    pub name: &'static str,
    /// The leaf fixture the response is about (its issuer is `issuer`).
    pub about: &'static str,
    /// The CA fixture that issued `about`: its name and key are hashed into the CertID.
    pub issuer: &'static str,
    /// What the response says about `about`.
    pub status: OcspStatus,
    /// Who signs the response.
    pub signer: OcspSigner,
    /// Whether its nextUpdate is still ahead of `--now`.
    pub freshness: Freshness,
    /// The scenario's responder (by name, as `OcspUrl::Responder`) that answers with this
    /// response for the leaf's serial, if any. A responder gives one answer per serial, so
    /// a leaf asked about in two ways needs a twin at another responder.
    pub served_by: Option<&'static str>,
}

/// What a response says about its certificate, a revocation time given as an offset from
/// `--now`, which the build adds (an offset other than `REVOKED`'s must join the build's list
/// of the offsets it writes).
pub type OcspStatus = crate::ocsp::CertStatus<time::Duration>;

/// Revoked shortly before `--now` (when the CRLs revoke), reason keyCompromise.
pub const REVOKED: OcspStatus = OcspStatus::Revoked {
    at: build::REVOKED_AT,
    reason: Some(crate::pki::crl::RevocationReason::KeyCompromise),
};

/// Who signs an OCSP response.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OcspSigner {
    /// The issuing CA itself.
    Issuer,
    /// A responder certificate (a leaf fixture) issued by the CA, included in the response.
    Delegate(&'static str),
    /// Another CA (a root fixture): not entitled to speak for this certificate.
    Foreign(&'static str),
}

/// Who signs a leaf fixture's certificate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Signer {
    /// Issued by the CA fixture of that name.
    Ca(&'static str),
    /// Signed with its own key.
    SelfSigned,
}

/// Where a certificate's validity window lies relative to `--now`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Validity {
    /// Valid at `--now` and for years after.
    Current,
    /// Ended before `--now`.
    Expired,
    /// Starts decades after `--now`.
    NotYetValid,
}

/// A case: what the server presents, what the client asks for, what must happen.
#[derive(Debug, Clone)]
pub struct CaseSpec {
    /// Unique within the scenario: the manifest, the report, `serve --case` and the
    /// documentation pages address the case by it.
    pub name: String,
    /// What the case shows, in a sentence; the manifest and the documentation carry it.
    pub description: String,
    /// The leaf fixture the server presents.
    pub server_leaf: String,
    /// The file the server sends as its certificate chain.
    pub server_chain: String,
    /// The server's private key file.
    pub server_key: String,
    /// The chain, then the key, in one file: what mongod reads its certificate from.
    pub server_chain_and_key: String,
    /// The CA file whose clients the server accepts; `None`: no client certificate asked.
    pub client_ca: Option<String>,
    /// The OCSP response file the server staples.
    pub staple: Option<String>,
    /// The scenario's OCSP responder (by name, as `OcspUrl::Responder`) that runs for this
    /// case, if any.
    pub responder: Option<&'static str>,
    /// The TLS versions the server offers (`None`: 1.2 and 1.3).
    pub server_tls_versions: Option<&'static [&'static str]>,
    /// A pin on the client's TLS versions, beyond what PyMongo can express.
    pub client_tls_versions: Option<&'static [&'static str]>,
    /// Restrict the server to cipher suites its own key cannot use: no shared cipher.
    pub unusable_cipher_suites: bool,
    /// The host name the client connects to (and checks the certificate against).
    pub host: &'static str,
    /// PyMongo connection options, in the order they appear in the URI.
    pub options: Vec<(&'static str, OptionValue)>,
    /// What must happen with the reference driver, PyMongo: the outcome, and for a refusal
    /// the reason. Another driver's is [`CaseSpec::expect_for`].
    pub expect: Expect,
    /// The drivers that expect something else, and why (see `expectation`).
    differences: Vec<DriverExpectation>,
}

/// A connection option's value, as a URI spells it and a manifest records it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OptionValue {
    /// `true` or `false` (`tlsInsecure=true`).
    Bool(bool),
    /// Any other value, usually a file of the scenario (`tlsCAFile=ca.pem`).
    Str(String),
}

impl OptionValue {
    /// The value as the manifest's `options` object holds it: a JSON boolean or string.
    pub(crate) fn to_json(&self) -> serde_json::Value {
        match self {
            OptionValue::Bool(b) => serde_json::Value::Bool(*b),
            OptionValue::Str(s) => serde_json::Value::String(s.clone()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn case(name: &str) -> CaseSpec {
        Case::new(name, "a case")
            .server("server")
            .trusting_ca()
            .expect(Expect::ACCEPT)
    }

    #[test]
    #[should_panic(expected = "scenario demo: a second case named twice")]
    fn a_second_case_of_the_same_name_is_refused() {
        let _ = Scenario::new("demo", "a scenario")
            .case(case("twice"))
            .case(case("other"))
            .case(case("twice"));
    }

    #[test]
    #[should_panic(expected = "scenario demo: a second fixture named server")]
    fn a_second_fixture_of_the_same_name_is_refused() {
        let _ = Scenario::new("demo", "a scenario")
            .fixture(Fixture::root("ca", "a CA"))
            .fixture(LeafSpec::server("server"))
            .fixture(LeafSpec::server("server").expired());
    }

    #[test]
    fn cases_keep_their_declaration_order() {
        let scenario = Scenario::new("demo", "a scenario")
            .case(case("b"))
            .cases([case("a"), case("c")]);
        let names: Vec<&str> = scenario.cases.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(names, ["b", "a", "c"]);
    }
}
