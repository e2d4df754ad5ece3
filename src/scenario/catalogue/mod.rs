//! Every scenario, declared once, one file per part of the guide. Expectations are written
//! in those files, from the guide and PyMongo's documented behaviour, never computed by the
//! validator that checks them.

mod ca_file;
mod client_cert;
mod crl;
mod enable_tls;
mod insecure_tls;
mod key_password;
mod ocsp;
mod rust;
mod troubleshooting;

use super::Scenario;
use crate::error::Error;

/// All scenarios, in the order of the guide's parts.
pub fn all() -> Vec<Scenario> {
    vec![
        enable_tls::scenario(),
        ca_file::scenario(),
        crl::scenario(),
        ocsp::scenario(),
        client_cert::scenario(),
        key_password::scenario(),
        insecure_tls::scenario(),
        troubleshooting::scenario(),
    ]
    .into_iter()
    .map(rust::judged)
    .collect()
}

/// The scenario called `name`.
pub fn find(name: &str) -> Result<Scenario, Error> {
    all()
        .into_iter()
        .find(|s| s.name == name)
        .ok_or_else(|| Error::UnknownScenario {
            name: name.to_string(),
            known: all().iter().map(|s| s.name).collect(),
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixtures::manifest::Expect;
    use crate::policy::Reason;
    use std::collections::HashSet;

    /// Case names are unique by construction (`Scenario::case` refuses a repeat); scenario
    /// names are checked here, and case names again as a safety net.
    #[test]
    fn scenario_and_case_names_are_unique() {
        let mut scenario_names = HashSet::new();
        for scenario in all() {
            assert!(scenario_names.insert(scenario.name));
            let mut case_names = HashSet::new();
            for case in &scenario.cases {
                assert!(
                    case_names.insert(case.name.clone()),
                    "{}: duplicate case {}",
                    scenario.name,
                    case.name
                );
            }
        }
    }

    #[test]
    fn unknown_scenario_error_lists_the_known_ones() {
        let message = find("nope").unwrap_err().to_string();
        assert!(
            message.contains("unknown scenario 'nope'") && message.contains("insecure-tls"),
            "{message}"
        );
    }

    #[test]
    fn insecure_tls_has_every_failure_under_every_policy() {
        let scenario = find("insecure-tls").unwrap();
        assert_eq!(scenario.cases.len(), 7 * 4 + 4);
        let expired_default = scenario.cases.named("expired-default").unwrap();
        assert_eq!(expired_default.expect, Expect::reject(Reason::Expired));
        let mismatch = scenario
            .cases
            .named("wrong-host-allow-invalid-hostnames")
            .unwrap();
        assert_eq!(mismatch.expect, Expect::ACCEPT);
    }
}
