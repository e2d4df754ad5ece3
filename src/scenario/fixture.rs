//! Declaring fixtures: each kind starts from what most scenarios want (issued by the
//! scenario's own CA, the fixture `ca`; valid at `--now`), and a scenario names only what
//! makes its fixture different, so a declaration reads as the one thing under test.

use super::{
    CrlSpec, Fixture, Freshness, LeafSpec, OWN_CA, OcspSigner, OcspSpec, OcspStatus, OcspUrl,
    REVOKED, Signer, Validity,
};
use crate::pki::leaf::Purpose;

/// The names a server certificate for this machine carries.
const LOOPBACK_NAMES: &[&str] = &["localhost", "127.0.0.1", "::1"];

impl Fixture {
    /// A self-signed root CA.
    pub(super) fn root(name: &'static str, common_name: &'static str) -> Fixture {
        Fixture::Root { name, common_name }
    }

    /// The name its files are named after (see `naming`).
    pub(super) fn name(&self) -> &'static str {
        match self {
            Fixture::Root { name, .. }
            | Fixture::Intermediate { name, .. }
            | Fixture::Bundle { name, .. }
            | Fixture::Client { name, .. }
            | Fixture::Mismatched { name, .. }
            | Fixture::EncryptedKey { name, .. } => name,
            Fixture::Leaf(spec) => spec.name,
            Fixture::Crl(spec) => spec.name,
            Fixture::OcspResponse(spec) => spec.name,
        }
    }
}

impl From<LeafSpec> for Fixture {
    fn from(spec: LeafSpec) -> Fixture {
        Fixture::Leaf(spec)
    }
}

impl From<CrlSpec> for Fixture {
    fn from(spec: CrlSpec) -> Fixture {
        Fixture::Crl(spec)
    }
}

impl From<OcspSpec> for Fixture {
    fn from(spec: OcspSpec) -> Fixture {
        Fixture::OcspResponse(spec)
    }
}

impl LeafSpec {
    /// A server certificate for this machine's loopback names, from the scenario's CA,
    /// valid at `--now`, with no OCSP extension.
    pub(super) fn server(name: &'static str) -> LeafSpec {
        LeafSpec {
            name,
            issuer: Signer::Ca(OWN_CA),
            names: LOOPBACK_NAMES,
            validity: Validity::Current,
            purpose: Purpose::ServerAuth,
            ocsp: OcspUrl::None,
            must_staple: false,
        }
    }

    /// An OCSP responder's certificate from the scenario's CA (EKU OCSPSigning), which the
    /// CA delegates its answers to. No client connects to it, so it names no host.
    pub(super) fn ocsp_responder(name: &'static str) -> LeafSpec {
        LeafSpec::server(name)
            .for_names(&[])
            .purpose(Purpose::OcspSigning)
    }

    /// Issued by the CA fixture `ca` instead of the scenario's own.
    pub(super) fn issued_by(self, ca: &'static str) -> LeafSpec {
        LeafSpec {
            issuer: Signer::Ca(ca),
            ..self
        }
    }

    /// Signed with its own key: no CA vouches for it.
    pub(super) fn self_signed(self) -> LeafSpec {
        LeafSpec {
            issuer: Signer::SelfSigned,
            ..self
        }
    }

    /// For these DNS names and IP addresses instead of the loopback ones.
    pub(super) fn for_names(self, names: &'static [&'static str]) -> LeafSpec {
        LeafSpec { names, ..self }
    }

    /// Ended before `--now`.
    pub(super) fn expired(self) -> LeafSpec {
        LeafSpec {
            validity: Validity::Expired,
            ..self
        }
    }

    /// Starts decades after `--now`.
    pub(super) fn not_yet_valid(self) -> LeafSpec {
        LeafSpec {
            validity: Validity::NotYetValid,
            ..self
        }
    }

    /// Its extended key usage allows `purpose` only.
    pub(super) fn purpose(self, purpose: Purpose) -> LeafSpec {
        LeafSpec { purpose, ..self }
    }

    /// Its AIA extension sends OCSP clients to `url`.
    pub(super) fn ocsp(self, url: OcspUrl) -> LeafSpec {
        LeafSpec { ocsp: url, ..self }
    }

    /// Carries the TLS Feature `status_request`: a client must insist on a stapled response.
    pub(super) fn must_staple(self) -> LeafSpec {
        LeafSpec {
            must_staple: true,
            ..self
        }
    }
}

impl CrlSpec {
    /// CRL number 1 from the scenario's CA, current at `--now`, revoking nothing.
    pub(super) fn new(name: &'static str) -> CrlSpec {
        CrlSpec {
            name,
            issuer: OWN_CA,
            revokes: &[],
            freshness: Freshness::Current,
            number: 1,
        }
    }

    /// Signed by the CA fixture `ca` instead of the scenario's own.
    pub(super) fn issued_by(self, ca: &'static str) -> CrlSpec {
        CrlSpec { issuer: ca, ..self }
    }

    /// Lists these leaf fixtures as revoked.
    pub(super) fn revoking(self, revokes: &'static [&'static str]) -> CrlSpec {
        CrlSpec { revokes, ..self }
    }

    /// With this CRL number (a CA numbers its CRLs in the order it issues them).
    pub(super) fn number(self, number: u64) -> CrlSpec {
        CrlSpec { number, ..self }
    }

    /// Its `nextUpdate` passed before `--now`.
    pub(super) fn stale(self) -> CrlSpec {
        CrlSpec {
            freshness: Freshness::Stale,
            ..self
        }
    }
}

impl OcspSpec {
    /// A response `name` from the scenario's CA saying that the leaf fixture `about` is good.
    pub(super) fn good(name: &'static str, about: &'static str) -> OcspSpec {
        OcspSpec::saying(name, about, OcspStatus::Good)
    }

    /// …that `about` is revoked.
    pub(super) fn revoked(name: &'static str, about: &'static str) -> OcspSpec {
        OcspSpec::saying(name, about, REVOKED)
    }

    /// …that `about` is unknown to it.
    pub(super) fn unknown(name: &'static str, about: &'static str) -> OcspSpec {
        OcspSpec::saying(name, about, OcspStatus::Unknown)
    }

    /// Signed by the CA itself, current at `--now`, and kept off the scenario's responders.
    fn saying(name: &'static str, about: &'static str, status: OcspStatus) -> OcspSpec {
        OcspSpec {
            name,
            about,
            issuer: OWN_CA,
            status,
            signer: OcspSigner::Issuer,
            freshness: Freshness::Current,
            served_by: None,
        }
    }

    /// Signed by `signer` instead of the issuing CA.
    pub(super) fn signed_by(self, signer: OcspSigner) -> OcspSpec {
        OcspSpec { signer, ..self }
    }

    /// Its `nextUpdate` passed before `--now`.
    pub(super) fn stale(self) -> OcspSpec {
        OcspSpec {
            freshness: Freshness::Stale,
            ..self
        }
    }

    /// The scenario's responder `responder` answers with it when asked about its leaf.
    pub(super) fn served_by(self, responder: &'static str) -> OcspSpec {
        OcspSpec {
            served_by: Some(responder),
            ..self
        }
    }
}
