//! Turns a scenario into files and a manifest, in memory: pure, no I/O.

use super::pool::{KeyPool, KeyRole};
use super::{
    CaseSpec, CrlSpec, Fixture, Freshness, LeafSpec, OcspSigner, OcspSpec, OcspUrl, Scenario,
    Signer, Validity,
};
use super::{mongod, naming};
use crate::error::Error;
use crate::fixtures::clock::{rfc3339, whole_seconds};
use crate::fixtures::generated::{Generated, OutputFile};
use crate::fixtures::manifest::{
    self, Case, ClientSide, FileEntry, FileKind, Manifest, OcspResponder, ServerSide,
};
use crate::ocsp::{self, OcspParams, SignerCertificate};
use crate::pki::ca::{Ca, CaParams};
use crate::pki::crl::{CrlParams, RevocationReason, Revoked};
use crate::pki::encoding::pem_block;
use crate::pki::keys::{KeyPair, KeyType};
use crate::pki::leaf::{Leaf, LeafParams, Purpose};
use crate::pki::seed::Seed;
use crate::pki::serial::Serial;
use crate::policy::{self, Driver};
use std::collections::{BTreeMap, HashMap};
use time::{Duration, OffsetDateTime};

/// CAs start three years before `--now`, so the expired leaf's whole life lies inside its
/// issuer's (a chain whose CA was born after its leaf would fail for the wrong reason).
const CA_BACKDATE: Duration = Duration::days(3 * 365);
/// CAs end thirty years after `--now`: past the not-yet-valid leaf's start, so that leaf is
/// refused for its own dates only.
const CA_LIFETIME_AHEAD: Duration = Duration::days(30 * 365);
/// Valid leaves start a day early, so a machine whose clock lags a little still accepts them…
const LEAF_BACKDATE: Duration = Duration::days(1);
/// …and last ten years: fixtures made once keep working (`pkigen check` warns before the end).
const LEAF_LIFETIME_AHEAD: Duration = Duration::days(10 * 365);
/// The expired leaf lived from two years to one year before `--now`.
const EXPIRED_WINDOW: (Duration, Duration) = (Duration::days(-2 * 365), Duration::days(-365));
/// The not-yet-valid leaf starts twenty years after `--now`, for five years.
const NOT_YET_VALID_WINDOW: (Duration, Duration) =
    (Duration::days(20 * 365), Duration::days(25 * 365));
/// A current CRL was issued an hour before `--now`, its revocations two hours before (after
/// the revoked leaf's start, a day before `--now`), and is next updated when valid leaves end.
const CRL_THIS_UPDATE: Duration = Duration::hours(-1);
pub(super) const REVOKED_AT: Duration = Duration::hours(-2);
/// A stale CRL was issued sixty days before `--now` and due for renewal thirty days before.
const STALE_CRL_WINDOW: (Duration, Duration) = (Duration::days(-60), Duration::days(-30));
/// Every offset from `--now` at which a fixture puts a time: certificate validity, CRL and
/// OCSP update times, revocation times. `time_span` is taken from this list, so a fixture
/// time added above must be added here too (a test checks every time a build writes).
fn offsets() -> [Duration; 12] {
    [
        -CA_BACKDATE,
        CA_LIFETIME_AHEAD,
        -LEAF_BACKDATE,
        LEAF_LIFETIME_AHEAD,
        EXPIRED_WINDOW.0,
        EXPIRED_WINDOW.1,
        NOT_YET_VALID_WINDOW.0,
        NOT_YET_VALID_WINDOW.1,
        CRL_THIS_UPDATE,
        REVOKED_AT,
        STALE_CRL_WINDOW.0,
        STALE_CRL_WINDOW.1,
    ]
}

/// The earliest and latest offset from `--now` of any time the catalogue writes.
pub fn time_span() -> (Duration, Duration) {
    let offsets = offsets();
    let earliest = offsets.iter().copied().min().unwrap_or(Duration::ZERO);
    let latest = offsets.iter().copied().max().unwrap_or(Duration::ZERO);
    (earliest, latest)
}

/// The earliest time a fixture file can hold: webpki and the DER encoder count time from the
/// Unix epoch, and rustls' own clock cannot go before it.
pub fn earliest_expressible() -> OffsetDateTime {
    OffsetDateTime::UNIX_EPOCH
}

/// The latest time a fixture file can hold: GeneralizedTime has four year digits.
pub fn latest_expressible() -> OffsetDateTime {
    time::macros::datetime!(9999-12-31 23:59:59 UTC)
}

/// The `--now` values whose every fixture time can be written and read: the first and the
/// last accepted.
pub fn clock_range() -> (OffsetDateTime, OffsetDateTime) {
    let (before, after) = time_span();
    (
        earliest_expressible() - before,
        latest_expressible() - after,
    )
}

/// Refuses a generation clock at which some fixture time could not be expressed.
pub fn check_clock(now: OffsetDateTime) -> Result<(), Error> {
    let (first, last) = clock_range();
    let now = whole_seconds(now);
    if first <= now && now <= last {
        return Ok(());
    }
    let (before, after) = time_span();
    Err(Error::ClockOutOfRange {
        value: rfc3339(now),
        days_before: -before.whole_days(),
        days_after: after.whole_days(),
        first: rfc3339(first),
        last: rfc3339(last),
    })
}

/// An OCSP URL where nothing listens: port 1 (tcpmux) is privileged and unused on loopback,
/// so a client's request is refused at once — the soft-fail case.
const UNREACHABLE_OCSP_URL: &str = "http://127.0.0.1:1/ocsp";

/// The URL of the scenario's OCSP responder `responder`, baked into its certificates: an
/// address in 127.0.0.0/8 and a port, both derived from the seed, scenario and responder, so
/// that fixture sets made with other seeds, and a scenario's other responders, never claim
/// the same address. (`pkigen validate` does not bind it: it runs its
/// responder on a free port and routes this URL there, so parallel runs never collide;
/// `pkigen serve` binds it, for clients that fetch the URL themselves.)
fn responder_url(seed: Seed, scenario: &str, responder: &str) -> String {
    let h = seed.derive(&format!("{scenario}/{responder}"));
    let ip = std::net::Ipv4Addr::new(127, h[0], h[1], h[2] % 254 + 1);
    /// Above the registered ports most services use, below the ephemeral range.
    const PORT_BASE: u16 = 20000;
    let port = PORT_BASE + u16::from_be_bytes([h[3], h[4]]) % 12000;
    format!("http://{ip}:{port}/ocsp")
}

/// The TLS versions a case's server offers unless the case says otherwise.
const DEFAULT_TLS_VERSIONS: [&str; 2] = ["1.2", "1.3"];

/// Issues every fixture of `scenario` and describes its cases, with keys of its own, each
/// case expecting what `driver` must do with it.
pub fn build(
    scenario: &Scenario,
    seed: Seed,
    now: OffsetDateTime,
    key_type: KeyType,
    driver: Driver,
) -> Result<Generated, Error> {
    let pool = KeyPool::generate(
        seed,
        key_type,
        scenario.fixtures.iter().filter_map(KeyRole::of),
    )?;
    build_with(scenario, seed, now, &pool, key_type, driver)
}

/// Builds several scenarios at once, on as many threads as there are cores, with one key per
/// role for the whole run (RSA key generation dominates otherwise). Same seed, clock and key
/// type, same bytes as building each alone would give when the roles coincide. The driver
/// changes only the manifests: what each case expects, and of which client.
pub fn build_many(
    scenarios: &[Scenario],
    seed: Seed,
    now: OffsetDateTime,
    key_type: KeyType,
    driver: Driver,
) -> Result<Vec<Generated>, Error> {
    let roles = scenarios
        .iter()
        .flat_map(|s| s.fixtures.iter().filter_map(KeyRole::of));
    let pool = KeyPool::generate(seed, key_type, roles)?;
    crate::os::parallel::par_map(scenarios, |s| {
        build_with(s, seed, now, &pool, key_type, driver)
    })
    .into_iter()
    .collect()
}

/// Issues every fixture of `scenario` with the run's shared keys (see `pool`), its cases
/// for `driver`'s client.
pub fn build_with(
    scenario: &Scenario,
    seed: Seed,
    now: OffsetDateTime,
    pool: &KeyPool,
    key_type: KeyType,
    driver: Driver,
) -> Result<Generated, Error> {
    check_clock(now)?;
    let now = whole_seconds(now);
    let label = |name: &str| format!("{}/{name}", scenario.name);
    let mut cas: HashMap<&str, Ca> = HashMap::new();
    let mut certificates: HashMap<&str, Vec<u8>> = HashMap::new();
    let mut leaves: HashMap<&str, Leaf> = HashMap::new();
    let mut serials: HashMap<&str, Serial> = HashMap::new();
    let responder_url = |responder: &str| responder_url(seed, scenario.name, responder);
    // What each of the scenario's OCSP responders answers, by serial.
    let mut responses: HashMap<&str, BTreeMap<String, String>> = HashMap::new();
    let mut files = Vec::new();

    for fixture in &scenario.fixtures {
        match fixture {
            Fixture::Root { name, common_name }
            | Fixture::Intermediate {
                name, common_name, ..
            } => {
                let params = CaParams {
                    common_name: common_name.to_string(),
                    not_before: now - CA_BACKDATE,
                    not_after: now + CA_LIFETIME_AHEAD,
                    serial: seed.serial(&label(name)),
                    path_len: None,
                };
                let role = KeyRole::of(fixture).expect("this fixture has a key");
                let key = pool.key(role);
                let ca = match fixture {
                    Fixture::Intermediate { issuer, .. } => {
                        let params = CaParams {
                            path_len: Some(0),
                            ..params
                        };
                        params.signed_by(key, find_ca(&cas, issuer)?)?
                    }
                    _ => params.self_signed(key)?,
                };
                files.push(certificate_file(name, ca.der()));
                files.push(key_file(name, ca.key(), role));
                certificates.insert(name, ca.der().to_vec());
                cas.insert(name, ca);
            }
            Fixture::Leaf(spec) => {
                let role = KeyRole::of(fixture).expect("this fixture has a key");
                let key = pool.key(role);
                let serial = seed.serial(&label(spec.name));
                serials.insert(spec.name, serial.clone());
                let leaf = issue_leaf(spec, key, &cas, serial, now, &responder_url)?;
                files.push(certificate_file(spec.name, leaf.der()));
                files.push(key_file(spec.name, leaf.key(), role));
                if leaf.chain_pem() != leaf.pem() {
                    files.push(public_file(
                        naming::chain(spec.name),
                        leaf.chain_pem().into_bytes(),
                        FileKind::Chain,
                    ));
                }
                certificates.insert(spec.name, leaf.der().to_vec());
                leaves.insert(spec.name, leaf);
            }
            Fixture::Bundle { name, parts } => {
                let pem: String = parts
                    .iter()
                    .map(|part| {
                        certificates
                            .get(part)
                            .map(|der| pem_block("CERTIFICATE", der))
                            .ok_or_else(|| {
                                Error::Crypto(format!("bundle {name} names unknown fixture {part}"))
                            })
                    })
                    .collect::<Result<_, _>>()?;
                files.push(public_file(
                    naming::certificate(name),
                    pem.into_bytes(),
                    FileKind::Chain,
                ));
            }
            Fixture::Crl(spec) => {
                let crl =
                    crl_params(spec, &serials, now)?.signed_by(find_ca(&cas, spec.issuer)?)?;
                let file = |path: String, bytes: Vec<u8>| public_file(path, bytes, FileKind::Crl);
                files.push(file(naming::crl_pem(spec.name), crl.pem().into_bytes()));
                files.push(file(naming::crl_der(spec.name), crl.der().to_vec()));
            }
            Fixture::OcspResponse(spec) => {
                let response = sign_ocsp(spec, &cas, &leaves, now)?;
                files.push(public_file(
                    naming::ocsp_response(spec.name),
                    response,
                    FileKind::OcspResponse,
                ));
                if let Some(responder) = spec.served_by {
                    let serial = serials
                        .get(spec.about)
                        .expect("an OCSP response is about an issued leaf");
                    responses.entry(responder).or_default().insert(
                        hex::encode(serial.to_bytes()),
                        naming::ocsp_response(spec.name),
                    );
                }
            }
            Fixture::Client { name, issuer } => {
                let spec = LeafSpec {
                    name,
                    issuer: Signer::Ca(issuer),
                    names: &[],
                    validity: Validity::Current,
                    purpose: Purpose::ClientAuth,
                    ocsp: OcspUrl::None,
                    must_staple: false,
                };
                let role = KeyRole::of(fixture).expect("this fixture has a key");
                let key = pool.key(role);
                let client = issue_leaf(
                    &spec,
                    key,
                    &cas,
                    seed.serial(&label(name)),
                    now,
                    &responder_url,
                )?;
                files.push(key_file(name, client.key(), role));
                files.push(OutputFile {
                    path: naming::client_certificate(name),
                    ..certificate_file(name, client.der())
                });
                files.push(combined_file(
                    &naming::key_and_certificate(name),
                    client.combined_pem(),
                    false,
                ));
                leaves.insert(name, client);
            }
            Fixture::Mismatched {
                name,
                key_of,
                cert_of,
            } => {
                let pem =
                    find_leaf(&leaves, key_of)?.key_pem() + &find_leaf(&leaves, cert_of)?.pem();
                files.push(combined_file(
                    &naming::key_and_certificate(name),
                    pem,
                    false,
                ));
            }
            Fixture::EncryptedKey {
                name,
                of,
                password,
                format,
            } => {
                let client = find_leaf(&leaves, of)?;
                files.push(combined_file(
                    &naming::key_and_certificate(name),
                    client.encrypted_pem(password, *format)? + &client.pem(),
                    true,
                ));
            }
        }
    }

    files.extend(mongod::chain_and_key_files(scenario, &files)?);
    let cases = scenario
        .cases
        .iter()
        .map(|spec| {
            let responder = spec.responder.map(|responder| OcspResponder {
                url: responder_url(responder),
                responses: responses.get(responder).cloned().unwrap_or_default(),
            });
            let mut case = manifest_case(spec, responder, key_type, driver);
            let leaf = mongod::leaf_of(scenario, spec)?;
            let serial = serials
                .get(leaf.name)
                .expect("every leaf fixture was issued with a serial");
            let answered = |responder: &str| {
                let serial = hex::encode(serial.to_bytes());
                responses.get(responder)?.get(&serial).cloned()
            };
            case.mongod = Some(mongod::side(spec, &case.server, leaf, answered));
            Ok(case)
        })
        .collect::<Result<_, Error>>()?;
    let manifest = Manifest {
        schema: manifest::SCHEMA,
        generator: manifest::generator(),
        scenario: scenario.name.to_string(),
        seed: seed.0,
        // `check_clock` kept it within what RFC 3339 spells (years 1972 to 9970).
        now,
        key_type,
        files: files.iter().map(file_entry).collect(),
        cases,
    };
    Ok(Generated { manifest, files })
}

fn find_ca<'a>(cas: &'a HashMap<&str, Ca>, name: &str) -> Result<&'a Ca, Error> {
    cas.get(name)
        .ok_or_else(|| Error::Crypto(format!("fixture names unknown issuer {name}")))
}

fn issue_leaf(
    spec: &LeafSpec,
    key: KeyPair,
    cas: &HashMap<&str, Ca>,
    serial: Serial,
    now: OffsetDateTime,
    responder_url: &impl Fn(&str) -> String,
) -> Result<Leaf, Error> {
    let (not_before, not_after) = match spec.validity {
        Validity::Current => (now - LEAF_BACKDATE, now + LEAF_LIFETIME_AHEAD),
        Validity::Expired => (now + EXPIRED_WINDOW.0, now + EXPIRED_WINDOW.1),
        Validity::NotYetValid => (now + NOT_YET_VALID_WINDOW.0, now + NOT_YET_VALID_WINDOW.1),
    };
    let params = LeafParams {
        common_name: spec.names.first().unwrap_or(&spec.name).to_string(),
        names: spec.names.iter().map(|n| n.to_string()).collect(),
        not_before,
        not_after,
        serial,
        purpose: spec.purpose,
        ocsp_url: match spec.ocsp {
            OcspUrl::None => None,
            OcspUrl::Responder(responder) => Some(responder_url(responder)),
            OcspUrl::Unreachable => Some(UNREACHABLE_OCSP_URL.to_string()),
        },
        must_staple: spec.must_staple,
    };
    match spec.issuer {
        Signer::Ca(issuer) => params.signed_by(key, find_ca(cas, issuer)?),
        Signer::SelfSigned => params.self_signed(key),
    }
}

fn crl_params(
    spec: &CrlSpec,
    serials: &HashMap<&str, Serial>,
    now: OffsetDateTime,
) -> Result<CrlParams, Error> {
    let revoked = spec
        .revokes
        .iter()
        .map(|name| {
            let serial = serials.get(name).ok_or_else(|| {
                Error::Crypto(format!("CRL {} names unknown leaf {name}", spec.name))
            })?;
            Ok(Revoked {
                serial: serial.clone(),
                revoked_at: now + REVOKED_AT,
                reason: RevocationReason::KeyCompromise,
            })
        })
        .collect::<Result<_, Error>>()?;
    let (this_update, next_update) = update_window(spec.freshness, now);
    Ok(CrlParams {
        this_update,
        next_update,
        number: spec.number,
        revoked,
    })
}

/// thisUpdate and nextUpdate of a CRL or OCSP response: current ones last as long as the
/// leaves; stale ones ended before `now`.
fn update_window(freshness: Freshness, now: OffsetDateTime) -> (OffsetDateTime, OffsetDateTime) {
    match freshness {
        Freshness::Current => (now + CRL_THIS_UPDATE, now + LEAF_LIFETIME_AHEAD),
        Freshness::Stale => (now + STALE_CRL_WINDOW.0, now + STALE_CRL_WINDOW.1),
    }
}

/// OCSP responses last as long as the leaves: fixtures made once keep working. Issued an
/// hour before `--now`; a revoked certificate was revoked when its status says (the
/// catalogue's `REVOKED`: two hours before, `REVOKED_AT`).
fn sign_ocsp(
    spec: &OcspSpec,
    cas: &HashMap<&str, Ca>,
    leaves: &HashMap<&str, Leaf>,
    now: OffsetDateTime,
) -> Result<Vec<u8>, Error> {
    let issuer = find_ca(cas, spec.issuer)?;
    let leaf = find_leaf(leaves, spec.about)?;
    let (this_update, next_update) = update_window(spec.freshness, now);
    let params = OcspParams {
        status: spec.status.map_time(|offset| now + offset),
        this_update,
        next_update: Some(next_update),
        produced_at: this_update,
    };
    let (signer, certificate) = match spec.signer {
        OcspSigner::Issuer => (ocsp::Signer::Issuer, SignerCertificate::Omitted),
        OcspSigner::Delegate(name) => (
            ocsp::Signer::Delegate(find_leaf(leaves, name)?),
            SignerCertificate::Included,
        ),
        OcspSigner::Foreign(name) => (
            ocsp::Signer::OtherCa(find_ca(cas, name)?),
            SignerCertificate::Omitted,
        ),
    };
    let response = params.signed_by(leaf, issuer, signer, certificate)?;
    Ok(response.der().to_vec())
}

fn find_leaf<'a>(leaves: &'a HashMap<&str, Leaf>, name: &str) -> Result<&'a Leaf, Error> {
    leaves
        .get(name)
        .ok_or_else(|| Error::Crypto(format!("fixture names unknown leaf {name}")))
}

/// Key and certificate in one file: private (0600), since it holds the key.
fn combined_file(path: &str, pem: String, encrypted: bool) -> OutputFile {
    OutputFile {
        path: path.to_string(),
        bytes: pem.into_bytes(),
        kind: FileKind::KeyAndCertificate,
        encrypted,
        shared_key: None,
    }
}

/// A file without a key: a certificate, chain, CRL or OCSP response.
fn public_file(path: String, bytes: Vec<u8>, kind: FileKind) -> OutputFile {
    OutputFile {
        path,
        bytes,
        kind,
        encrypted: false,
        shared_key: None,
    }
}

fn certificate_file(name: &str, der: &[u8]) -> OutputFile {
    public_file(
        naming::certificate(name),
        pem_block("CERTIFICATE", der).into_bytes(),
        FileKind::Certificate,
    )
}

fn key_file(name: &str, key: &KeyPair, role: KeyRole) -> OutputFile {
    OutputFile {
        path: naming::private_key(name),
        bytes: key.pem().into_bytes(),
        kind: FileKind::PrivateKey,
        encrypted: false,
        shared_key: Some(role),
    }
}

fn file_entry(file: &OutputFile) -> FileEntry {
    FileEntry {
        path: file.path.clone(),
        sha256: FileEntry::digest_of(&file.bytes),
        kind: file.kind,
        encrypted: file.encrypted,
        shared_key: file.shared_key,
    }
}

/// TLS 1.2 suites whose signatures a key of `key_type` cannot make: offered alone, they
/// leave client and server no suite in common.
fn unusable_suites(key_type: KeyType) -> Vec<String> {
    let suite = match key_type {
        KeyType::Rsa2048 | KeyType::Rsa3072 | KeyType::Rsa4096 => {
            "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384"
        }
        KeyType::EcdsaP256 | KeyType::EcdsaP384 | KeyType::Ed25519 => {
            "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384"
        }
    };
    vec![suite.to_string()]
}

/// Makes a set for several drivers out of one made for its first: every case also holds,
/// for each of `others`, that driver's client of the same connection string and what the
/// driver must do with it (`Case::other_drivers`), as the scenario's definition declares.
pub fn add_drivers(scenario: &Scenario, generated: &mut Generated, others: &[Driver]) {
    for case in &mut generated.manifest.cases {
        let Some(spec) = scenario.cases.named(&case.name) else {
            continue;
        };
        case.other_drivers = others
            .iter()
            .filter(|driver| **driver != case.client.driver)
            .map(|driver| manifest::DriverCase {
                client: client_side(spec, *driver),
                expect: spec.expect_for(*driver),
            })
            .collect();
    }
}

fn manifest_case(
    spec: &CaseSpec,
    responder: Option<OcspResponder>,
    key_type: KeyType,
    driver: Driver,
) -> Case {
    Case {
        name: spec.name.clone(),
        description: spec.description.clone(),
        server: ServerSide {
            certificate_chain: spec.server_chain.clone(),
            private_key: spec.server_key.clone(),
            ocsp_staple: spec.staple.clone(),
            ocsp_responder: responder,
            client_ca: spec.client_ca.clone(),
            tls_versions: spec
                .server_tls_versions
                .unwrap_or(&DEFAULT_TLS_VERSIONS)
                .iter()
                .map(|v| v.to_string())
                .collect(),
            cipher_suites: spec
                .unusable_cipher_suites
                .then(|| unusable_suites(key_type)),
        },
        client: client_side(spec, driver),
        expect: spec.expect_for(driver),
        mongod: None,
        other_drivers: Vec::new(),
    }
}

/// The case's client as `driver` configures it.
fn client_side(spec: &CaseSpec, driver: Driver) -> ClientSide {
    let options = policy::ClientOptions::from_json(
        spec.options
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_json()))
            .collect(),
    );
    ClientSide {
        driver,
        host: spec.host.to_string(),
        uri: policy::uri_for(spec.host, &options),
        options,
        // The pin is set on PyMongo's `ssl.SSLContext`; every other driver's client has its
        // URI alone, which cannot carry it, so it connects unpinned.
        tls_versions: spec
            .client_tls_versions
            .filter(|_| driver == Driver::PyMongo)
            .map(|versions| versions.iter().map(|v| v.to_string()).collect()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::find;
    use time::format_description::well_known::Rfc3339;

    fn at(rfc3339: &str) -> OffsetDateTime {
        OffsetDateTime::parse(rfc3339, &Rfc3339).unwrap()
    }

    #[test]
    fn same_seed_and_clock_give_identical_files() {
        let scenario = find("ca-file").unwrap();
        let a = build(
            &scenario,
            Seed(7),
            at("2026-01-01T00:00:00Z"),
            KeyType::EcdsaP256,
            Driver::PyMongo,
        )
        .unwrap();
        let b = build(
            &scenario,
            Seed(7),
            at("2026-01-01T00:00:00Z"),
            KeyType::EcdsaP256,
            Driver::PyMongo,
        )
        .unwrap();
        assert_eq!(a.files, b.files);
        assert_eq!(a.manifest_json(), b.manifest_json());
        let c = build(
            &scenario,
            Seed(8),
            at("2026-01-01T00:00:00Z"),
            KeyType::EcdsaP256,
            Driver::PyMongo,
        )
        .unwrap();
        assert_ne!(a.files, c.files);
    }

    /// Every time written in a certificate, CRL or OCSP response of the catalogue.
    fn times_in(file: &OutputFile) -> Vec<OffsetDateTime> {
        use x509_parser::prelude::{CertificateRevocationList, FromDer, X509Certificate};
        let parse = |s: &str| OffsetDateTime::parse(s, &Rfc3339).unwrap();
        match file.kind {
            FileKind::OcspResponse => {
                let info = crate::ocsp::describe(&file.bytes).unwrap();
                let mut times: Vec<_> = info.produced_at.iter().map(|t| parse(t)).collect();
                for single in &info.responses {
                    times.push(parse(&single.this_update));
                    times.extend(single.next_update.iter().map(|t| parse(t)));
                    times.extend(single.revocation_time.iter().map(|t| parse(t)));
                }
                times
            }
            FileKind::Crl if file.path.ends_with(".der") => {
                let (_, crl) = CertificateRevocationList::from_der(&file.bytes).unwrap();
                let mut times = vec![crl.last_update().to_datetime()];
                times.extend(crl.next_update().map(|t| t.to_datetime()));
                times.extend(
                    crl.iter_revoked_certificates()
                        .map(|r| r.revocation_date.to_datetime()),
                );
                times
            }
            FileKind::Certificate | FileKind::Chain | FileKind::KeyAndCertificate => {
                crate::pki::encoding::parse_pem_blocks(
                    std::path::Path::new(&file.path),
                    &file.bytes,
                )
                .unwrap()
                .iter()
                .filter(|b| b.tag() == "CERTIFICATE")
                .flat_map(|b| {
                    let (_, cert) = X509Certificate::from_der(b.contents()).unwrap();
                    let validity = cert.validity();
                    [
                        validity.not_before.to_datetime(),
                        validity.not_after.to_datetime(),
                    ]
                })
                .collect()
            }
            _ => Vec::new(),
        }
    }

    #[test]
    fn every_fixture_time_lies_within_the_declared_span() {
        let now = at("2026-01-01T00:00:00Z");
        let (before, after) = time_span();
        let mut seen = (now, now);
        for scenario in crate::scenario::all() {
            let generated =
                build(&scenario, Seed(1), now, KeyType::EcdsaP256, Driver::PyMongo).unwrap();
            for file in &generated.files {
                for t in times_in(file) {
                    assert!(
                        now + before <= t && t <= now + after,
                        "{}/{}: {t} lies outside the span",
                        scenario.name,
                        file.path
                    );
                    seen = (seen.0.min(t), seen.1.max(t));
                }
            }
        }
        // The span is what the catalogue uses, not a looser guess.
        assert_eq!(seen, (now + before, now + after));
    }

    #[test]
    fn the_first_and_last_accepted_clocks_build_and_their_neighbours_are_refused() {
        let scenario = find("crl").unwrap();
        let (first, last) = clock_range();
        let second = time::Duration::seconds(1);
        for now in [first, last] {
            build(&scenario, Seed(1), now, KeyType::EcdsaP256, Driver::PyMongo).unwrap();
        }
        for now in [first - second, last + second] {
            let error =
                build(&scenario, Seed(1), now, KeyType::EcdsaP256, Driver::PyMongo).unwrap_err();
            assert!(matches!(error, Error::ClockOutOfRange { .. }), "{error}");
        }
    }

    #[test]
    fn every_case_refers_to_a_generated_file() {
        for scenario in crate::scenario::all() {
            let generated = build(
                &scenario,
                Seed(1),
                at("2026-01-01T00:00:00Z"),
                KeyType::EcdsaP256,
                Driver::PyMongo,
            )
            .unwrap();
            let paths: Vec<&str> = generated.files.iter().map(|f| f.path.as_str()).collect();
            for case in &generated.manifest.cases {
                // Case::files lists every file the case uses: the chain and key, the staple,
                // the client CA, the responder's answers and the client's file options.
                for file in case.files() {
                    assert!(
                        paths.contains(&file),
                        "{}/{}: {file} is not generated",
                        scenario.name,
                        case.name
                    );
                }
            }
        }
    }
}

#[cfg(test)]
mod uri_tests {
    use super::*;
    use crate::fixtures::manifest::Expect;
    use crate::policy::TlsPolicy;

    /// The manifest offers each client two ways (URI and keyword options); each driver must
    /// make the same policy, or the same refusal, of both.
    #[test]
    fn each_case_uri_resolves_like_its_options() {
        for driver in Driver::ALL {
            for scenario in crate::scenario::all() {
                for spec in &scenario.cases {
                    let case = manifest_case(spec, None, KeyType::EcdsaP256, driver);
                    let from_uri = TlsPolicy::from_uri(driver, &case.client.uri);
                    let from_options = TlsPolicy::from_options(driver, &case.client.options);
                    assert_eq!(
                        from_uri, from_options,
                        "{driver} {}: {}",
                        case.name, case.client.uri
                    );
                }
            }
        }
    }

    /// A driver's manifest holds its own expectation for every case, and names it as the
    /// client's driver; only PyMongo's client carries a TLS-version pin.
    #[test]
    fn each_drivers_manifest_holds_its_expectations() {
        for driver in Driver::ALL {
            for scenario in crate::scenario::all() {
                for spec in &scenario.cases {
                    let case = manifest_case(spec, None, KeyType::EcdsaP256, driver);
                    assert_eq!(case.expect, spec.expect_for(driver), "{}", case.name);
                    assert_eq!(case.client.driver, driver);
                    let pinned = spec.client_tls_versions.is_some() && driver == Driver::PyMongo;
                    assert_eq!(case.client.tls_versions.is_some(), pinned, "{}", case.name);
                }
            }
        }
        // And the data itself, for one case where the drivers part ways.
        let ocsp = crate::scenario::find("ocsp").unwrap();
        let spec = ocsp.cases.named("revoked-stapled").unwrap();
        let expect = |driver| manifest_case(spec, None, KeyType::EcdsaP256, driver).expect;
        assert_eq!(expect(Driver::Node), Expect::ACCEPT);
        assert_eq!(
            expect(Driver::PyMongo),
            Expect::reject(crate::policy::Reason::OcspRevoked)
        );
    }
}
