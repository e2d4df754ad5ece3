//! What each driver must do with a case. A case's `expect` is PyMongo's, the reference
//! profile the catalogue was written for; another driver expects the same unless the case
//! declares otherwise with `differs_for`, with the reason in a sentence. Those declarations
//! are written from the driver's measured behaviour, never computed from the policy model or
//! the validator, which they are there to check.

use super::CaseSpec;
use crate::fixtures::manifest::Expect;
use crate::policy::Driver;

/// The profile whose expectation every case states first (`.expect(..)`): a case's
/// expectation for any other driver is this one's unless declared otherwise.
pub const REFERENCE_DRIVER: Driver = Driver::PyMongo;

/// A driver's expectation where it is not the reference driver's, and why.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DriverExpectation {
    /// The driver that behaves otherwise.
    pub driver: Driver,
    /// What it does with the case.
    pub expect: Expect,
    /// Why, in a sentence: what the driver does that the reference driver does not.
    pub why: &'static str,
}

impl CaseSpec {
    /// What `driver` must do with the case: the reference driver's expectation, unless the
    /// case declares another for `driver`.
    pub fn expect_for(&self, driver: Driver) -> Expect {
        self.difference(driver).map_or(self.expect, |d| d.expect)
    }

    /// `driver`'s expectation and why, where it is not the reference driver's.
    pub fn difference(&self, driver: Driver) -> Option<&DriverExpectation> {
        self.differences.iter().find(|d| d.driver == driver)
    }

    /// Every driver that expects something else than the reference driver, in declaration
    /// order.
    pub fn differences(&self) -> &[DriverExpectation] {
        &self.differences
    }

    /// Declares that `driver` expects `expect` here, for the reason `why`. A declaration
    /// that is no difference (the reference driver's own, a second one for a driver, or the
    /// reference driver's expectation again) is a mistake in the catalogue: a panic that
    /// names the case.
    pub(super) fn differs_for(
        mut self,
        driver: Driver,
        expect: Expect,
        why: &'static str,
    ) -> CaseSpec {
        assert!(
            driver != REFERENCE_DRIVER,
            "case {}: {driver}'s expectation is the case's own (`.expect`)",
            self.name
        );
        assert!(
            self.difference(driver).is_none(),
            "case {}: a second expectation for {driver}",
            self.name
        );
        assert!(
            expect != self.expect,
            "case {}: {driver} expects {expect}, as {REFERENCE_DRIVER} does: no difference",
            self.name
        );
        self.differences.push(DriverExpectation {
            driver,
            expect,
            why,
        });
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::{Outcome, Reason};
    use crate::scenario::{Case, all};
    use std::collections::BTreeMap;

    fn demo() -> CaseSpec {
        Case::new("demo", "a case")
            .server("server")
            .trusting_ca()
            .expect(Expect::reject(Reason::OcspRevoked))
    }

    #[test]
    fn a_driver_without_a_declaration_expects_what_the_reference_driver_does() {
        let case = demo();
        for driver in Driver::ALL {
            assert_eq!(case.expect_for(driver), case.expect);
        }
        let case = demo().differs_for(Driver::Node, Expect::ACCEPT, "no OCSP");
        assert_eq!(case.expect_for(Driver::PyMongo), case.expect);
        assert_eq!(case.expect_for(Driver::Node), Expect::ACCEPT);
        assert_eq!(case.difference(Driver::Node).unwrap().why, "no OCSP");
        assert!(case.difference(Driver::PyMongo).is_none());
    }

    #[test]
    #[should_panic(expected = "case demo: a second expectation for node")]
    fn a_second_declaration_for_a_driver_is_refused() {
        let _ = demo()
            .differs_for(Driver::Node, Expect::ACCEPT, "a")
            .differs_for(Driver::Node, Expect::reject(Reason::Other), "b");
    }

    #[test]
    #[should_panic(expected = "as pymongo does: no difference")]
    fn a_declaration_equal_to_the_reference_is_refused() {
        let _ = demo().differs_for(Driver::Node, Expect::reject(Reason::OcspRevoked), "same");
    }

    #[test]
    #[should_panic(expected = "pymongo's expectation is the case's own")]
    fn the_reference_driver_declares_no_difference() {
        let _ = demo().differs_for(Driver::PyMongo, Expect::ACCEPT, "x");
    }

    /// Every case has exactly one expectation per driver: the reference driver's own, and
    /// for each other driver at most one declaration, which differs from it and says why.
    #[test]
    fn every_case_has_one_expectation_per_driver() {
        for scenario in all() {
            for case in &scenario.cases {
                for driver in Driver::ALL {
                    let declared = case
                        .differences()
                        .iter()
                        .filter(|d| d.driver == driver)
                        .count();
                    let stated = usize::from(driver == REFERENCE_DRIVER) + declared;
                    assert!(
                        stated <= 1 && (driver != REFERENCE_DRIVER || stated == 1),
                        "{}/{}: {stated} expectations for {driver}",
                        scenario.name,
                        case.name
                    );
                    if let Some(d) = case.difference(driver) {
                        assert_ne!(d.expect, case.expect, "{}/{}", scenario.name, case.name);
                        assert!(!d.why.is_empty(), "{}/{}", scenario.name, case.name);
                    }
                    let expect = case.expect_for(driver);
                    assert_eq!(
                        expect.reason.is_none(),
                        expect.outcome == Outcome::Accept,
                        "{}/{}: {driver} expects {expect}",
                        scenario.name,
                        case.name
                    );
                }
            }
        }
    }

    /// Node checks a DNS host against the subject CN of a certificate without a DNS SAN, and
    /// rustls-webpki, on which `validate` models it, never does: no case may serve such a
    /// certificate to a DNS host, or the two could part without a test noticing.
    #[test]
    fn no_case_needs_nodes_common_name_fallback() {
        use crate::scenario::Fixture;
        for scenario in all() {
            for case in &scenario.cases {
                if case.host.parse::<std::net::IpAddr>().is_ok() {
                    continue;
                }
                let leaf = scenario
                    .fixtures
                    .iter()
                    .find_map(|f| match f {
                        Fixture::Leaf(leaf) if leaf.name == case.server_leaf => Some(leaf),
                        _ => None,
                    })
                    .unwrap_or_else(|| panic!("{}: no leaf {}", case.name, case.server_leaf));
                assert!(
                    leaf.names
                        .iter()
                        .any(|n| n.parse::<std::net::IpAddr>().is_err()),
                    "{}/{}: {} has no DNS name",
                    scenario.name,
                    case.name,
                    leaf.name
                );
            }
        }
    }

    /// The cases where the Node.js driver does not do what PyMongo does, derived from the
    /// catalogue: its missing OCSP, the option it does not know, the option rules it lacks,
    /// and the TLS-version pin its URI options cannot express.
    #[test]
    fn the_cases_where_node_differs_are_derivable() {
        let mut differing: BTreeMap<String, (Expect, Expect)> = BTreeMap::new();
        for scenario in all() {
            for case in &scenario.cases {
                if let Some(d) = case.difference(Driver::Node) {
                    differing.insert(
                        format!("{}/{}", scenario.name, case.name),
                        (case.expect, d.expect),
                    );
                }
            }
        }
        let accept = Expect::ACCEPT;
        let invalid = Expect::config_error(Reason::InvalidOptions);
        let ocsp = |reason| (Expect::reject(reason), accept);
        let expected: BTreeMap<String, (Expect, Expect)> = [
            ("crl/crl-with-allow-invalid-certificates", (invalid, accept)),
            ("crl/crl-with-insecure", (invalid, accept)),
            (
                "insecure-tls/conflict-tls-false-with-ca-file",
                (invalid, Expect::reject(Reason::Other)),
            ),
            (
                "ocsp/delegated-no-eku-staple",
                ocsp(Reason::OcspInvalidResponse),
            ),
            ("ocsp/foreign-staple", ocsp(Reason::OcspInvalidResponse)),
            (
                "ocsp/malicious-must-staple-delegate-responder",
                ocsp(Reason::OcspMustStaple),
            ),
            (
                "ocsp/malicious-must-staple-no-responder",
                ocsp(Reason::OcspMustStaple),
            ),
            (
                "ocsp/malicious-must-staple-responder",
                ocsp(Reason::OcspMustStaple),
            ),
            ("ocsp/revoked-delegate-responder", ocsp(Reason::OcspRevoked)),
            ("ocsp/revoked-delegate-stapled", ocsp(Reason::OcspRevoked)),
            ("ocsp/revoked-responder", ocsp(Reason::OcspRevoked)),
            (
                "ocsp/revoked-responder-endpoint-check-disabled",
                (accept, invalid),
            ),
            ("ocsp/revoked-stapled", ocsp(Reason::OcspRevoked)),
            (
                "ocsp/revoked-stapled-endpoint-check-disabled",
                (Expect::reject(Reason::OcspRevoked), invalid),
            ),
            ("ocsp/stale-staple", ocsp(Reason::OcspInvalidResponse)),
            (
                "troubleshooting/invalid-status-response",
                ocsp(Reason::OcspRevoked),
            ),
            (
                "troubleshooting/tlsv1-alert-protocol-version",
                (Expect::reject(Reason::ProtocolVersion), accept),
            ),
        ]
        .into_iter()
        .map(|(id, pair)| (id.to_string(), pair))
        .collect();
        assert_eq!(differing, expected);
    }
}
