//! The cases' server sides as a real mongod takes them: the one file holding the chain a
//! server sends and its key, and the mongod settings and notes of each case (see
//! `fixtures::mongod` for how settings become a command line and `mongod.conf`). Made here,
//! where the leaf's validity, its OCSP responder and the responders' answers are known.

use super::{CaseSpec, Fixture, LeafSpec, OWN_CA, OcspUrl, Scenario, Validity, naming};
use crate::error::Error;
use crate::fixtures::generated::OutputFile;
use crate::fixtures::manifest::{FileKind, ServerSide};
use crate::fixtures::mongod::{MongodNote, MongodSide};
use crate::policy::Reason;

/// The one file per chain and key the cases' servers send: the chain's bytes, then the key's,
/// as mongod reads them from its `--tlsCertificateKeyFile` (cases with the same server share
/// it).
pub(super) fn chain_and_key_files(
    scenario: &Scenario,
    files: &[OutputFile],
) -> Result<Vec<OutputFile>, Error> {
    let bytes_of = |case: &CaseSpec, path: &str| {
        files
            .iter()
            .find(|f| f.path == path)
            .map(|f| f.bytes.as_slice())
            .ok_or_else(|| Error::Crypto(format!("case {} names unknown file {path}", case.name)))
    };
    let mut written: Vec<OutputFile> = Vec::new();
    for case in &scenario.cases {
        if written.iter().any(|f| f.path == case.server_chain_and_key) {
            continue;
        }
        let bytes = [
            bytes_of(case, &case.server_chain)?,
            bytes_of(case, &case.server_key)?,
        ]
        .concat();
        written.push(OutputFile {
            path: case.server_chain_and_key.clone(),
            bytes,
            kind: FileKind::ChainAndKey,
            encrypted: false,
            shared_key: None,
        });
    }
    Ok(written)
}

/// The leaf fixture a case's server presents.
pub(super) fn leaf_of<'a>(scenario: &'a Scenario, case: &CaseSpec) -> Result<&'a LeafSpec, Error> {
    let name = &case.server_leaf;
    scenario
        .fixtures
        .iter()
        .find_map(|fixture| match fixture {
            Fixture::Leaf(spec) if spec.name == name => Some(spec),
            _ => None,
        })
        .ok_or_else(|| Error::Crypto(format!("a case's server names unknown leaf {name}")))
}

/// A case's server side as mongod: the chain-and-key file, the client CA or else the
/// scenario's own root CA (mongod needs one; a root, so the chain OpenSSL builds from it for a
/// leaf sent alone adds no intermediate the case's server does not send), stapling as the case
/// does, and a note for each thing mongod does otherwise. `answered` is what a responder of
/// the scenario answers for the leaf.
pub(super) fn side(
    spec: &CaseSpec,
    server: &ServerSide,
    leaf: &LeafSpec,
    answered: impl Fn(&str) -> Option<String>,
) -> MongodSide {
    let ocsp_enabled = match (&server.ocsp_staple, leaf.ocsp) {
        (Some(_), _) => Some(true),
        (None, OcspUrl::None) => None,
        (None, _) => Some(false),
    };
    let mut notes = Vec::new();
    if leaf.validity != Validity::Current {
        notes.push(MongodNote::CertificateNotCurrent);
    }
    let client_certificate_refused = matches!(
        spec.expect.reason,
        Some(Reason::ClientCertRequired | Reason::ClientCertUntrusted)
    );
    if client_certificate_refused {
        notes.push(MongodNote::ClientRefusedAfterHandshake);
    }
    if let Some(staple) = &server.ocsp_staple {
        let fetched = match (leaf.ocsp, spec.responder, &server.ocsp_responder) {
            (OcspUrl::Responder(named), Some(running), Some(responder)) if named == running => {
                answered(named).map(|answer| (answer, &responder.url))
            }
            _ => None,
        };
        let staple = staple.clone();
        notes.push(match fetched {
            Some((answer, url)) if answer == staple => MongodNote::StaplesFromResponder {
                url: url.clone(),
                staple,
            },
            _ if leaf.ocsp == OcspUrl::None => MongodNote::NoResponderToStaple { staple },
            _ => MongodNote::CannotStaple { staple },
        });
    }
    let ca_file = server
        .client_ca
        .clone()
        .unwrap_or_else(|| naming::certificate(OWN_CA));
    MongodSide::for_server(
        server,
        &spec.server_chain_and_key,
        &ca_file,
        ocsp_enabled,
        notes,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixtures::generated::Generated;
    use crate::pki::keys::KeyType;
    use crate::pki::seed::Seed;
    use crate::scenario::build;

    fn generated(scenario: &str) -> Generated {
        let now = time::macros::datetime!(2026-01-01 00:00 UTC);
        build(
            &crate::scenario::find(scenario).unwrap(),
            Seed(1),
            now,
            KeyType::EcdsaP256,
            crate::policy::Driver::PyMongo,
        )
        .unwrap()
    }

    /// Each case's mongod reads the chain its server sends, then the key, from one private
    /// file, shared by the cases that serve the same chain and key.
    #[test]
    fn every_case_has_its_chain_then_its_key_in_one_file() {
        for scenario in crate::scenario::all() {
            let generated = generated(scenario.name);
            let bytes = |path: &str| {
                let file = generated.files.iter().find(|f| f.path == path).unwrap();
                (file.bytes.clone(), file.kind)
            };
            for case in &generated.manifest.cases {
                let mongod = case.mongod.as_ref().unwrap();
                let (combined, kind) = bytes(&mongod.certificate_key_file);
                let chain_then_key = [
                    bytes(&case.server.certificate_chain).0,
                    bytes(&case.server.private_key).0,
                ]
                .concat();
                assert_eq!(combined, chain_then_key, "{}", case.name);
                assert_eq!(kind, FileKind::ChainAndKey);
                assert_eq!(mongod.disagreement(&case.server), None, "{}", case.name);
            }
            let combined = generated
                .files
                .iter()
                .filter(|f| f.kind == FileKind::ChainAndKey)
                .count();
            let servers: std::collections::BTreeSet<_> = generated
                .manifest
                .cases
                .iter()
                .map(|c| (&c.server.certificate_chain, &c.server.private_key))
                .collect();
            assert_eq!(combined, servers.len(), "{}", scenario.name);
        }
    }

    fn case<'a>(generated: &'a Generated, name: &str) -> &'a MongodSide {
        let case = generated.manifest.case(name).unwrap();
        case.mongod.as_ref().unwrap()
    }

    #[test]
    fn what_mongod_cannot_do_is_noted() {
        let insecure = generated("insecure-tls");
        assert_eq!(
            case(&insecure, "expired-default").notes,
            [MongodNote::CertificateNotCurrent]
        );
        assert_eq!(case(&insecure, "server-default").notes, []);
        let mutual = generated("client-cert");
        assert_eq!(
            case(&mutual, "no-client-certificate").notes,
            [MongodNote::ClientRefusedAfterHandshake]
        );
        let client_pem = case(&mutual, "client-pem");
        assert_eq!(client_pem.notes, []);
        assert!(
            !client_pem
                .args
                .iter()
                .any(|a| a.contains("WithoutCertificates"))
        );
        let ocsp = generated("ocsp");
        let stapled = case(&ocsp, "valid-stapled");
        assert_eq!(stapled.ocsp_enabled, Some(true));
        assert!(matches!(
            &stapled.notes[..],
            [MongodNote::StaplesFromResponder { staple, .. }] if staple == "ocsp-good.der"
        ));
        assert_eq!(
            case(&ocsp, "stale-staple").notes,
            [MongodNote::CannotStaple {
                staple: "ocsp-stale.der".into()
            }]
        );
        assert_eq!(case(&ocsp, "valid-responder").ocsp_enabled, Some(false));
        assert_eq!(case(&ocsp, "soft-fail").ocsp_enabled, Some(false));
        let troubleshooting = generated("troubleshooting");
        let unstapled = case(&troubleshooting, "invalid-status-response");
        assert!(matches!(
            &unstapled.notes[..],
            [MongodNote::NoResponderToStaple { .. }]
        ));
        let tls13_only = case(&troubleshooting, "tlsv1-alert-protocol-version");
        assert_eq!(tls13_only.ocsp_enabled, None);
        assert!(
            tls13_only
                .args
                .contains(&"TLS1_0,TLS1_1,TLS1_2".to_string())
        );
    }
}
