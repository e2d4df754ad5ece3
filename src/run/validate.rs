//! Runs a manifest's cases: for each, the client is configured as the case's driver would
//! (`client`), a real handshake is made on loopback, and what happened is recorded beside
//! what the manifest expects. The observation is measured here; the expectation is only read.

use crate::error::Error;
use crate::fixtures::clock::ValidationClock;
use crate::fixtures::manifest::{
    self, Case, CaseReport, Manifest, Observed, OcspResponder, Report, Verdict,
};
use crate::ocsp::responder::{Responder, StatusTable};
use crate::pki::encoding::pem_contents;
use crate::policy::{Driver, Outcome, Reason};
use crate::run::client::{Client, asks_for_staple, client_setup};
use crate::tls::classify::classify;
use crate::tls::handshake::{self, ServerSetup};
use crate::tls::params;
use rustls::ServerConfig;
use rustls::pki_types::{CertificateDer, CertificateRevocationListDer, PrivateKeyDer, ServerName};
use rustls::time_provider::{DefaultTimeProvider, TimeProvider};
use std::path::Path;
use std::sync::Arc;

/// Validates every case of the manifest in `dir` whose name contains `filter`, at the
/// machine's clock (see `validate_at`).
pub fn validate(dir: &Path, manifest: &Manifest, filter: Option<&str>) -> Result<Report, Error> {
    validate_at(dir, manifest, filter, ValidationClock::system())
}

/// Validates several folders at once, on as many threads as there are cores: each with its
/// manifest and the clock its cases are judged at, `filter` as for [`validate_at`]. The
/// reports come back in the folders' order.
pub fn validate_many(
    folders: &[(&Path, &Manifest, ValidationClock)],
    filter: Option<&str>,
) -> Result<Vec<Report>, Error> {
    crate::os::parallel::par_map(folders, |(dir, manifest, clock)| {
        validate_at(dir, manifest, filter, *clock)
    })
    .into_iter()
    .collect()
}

/// Validates every case of the manifest in `dir` whose name contains `filter`, in parallel,
/// with every certificate, CRL and OCSP time judged at `clock`, which the report records.
/// The fixtures must still be the bytes the manifest describes: an edited file is refused
/// (exit 2) rather than reported as a case that failed.
pub fn validate_at(
    dir: &Path,
    manifest: &Manifest,
    filter: Option<&str>,
    clock: ValidationClock,
) -> Result<Report, Error> {
    manifest.verify_files(dir)?;
    // A set made for several drivers runs each case once per driver, as that driver's client.
    let drivers = manifest.drivers();
    let label = drivers.len() > 1;
    let cases: Vec<(Option<Driver>, Case)> = manifest
        .cases
        .iter()
        .filter(|c| filter.is_none_or(|pattern| c.name.contains(pattern)))
        .flat_map(|c| {
            drivers.iter().filter_map(move |driver| {
                let case = c.for_driver(*driver)?;
                Some((label.then_some(*driver), case))
            })
        })
        .collect();
    let results = crate::os::parallel::par_map(&cases, |(driver, case)| {
        run_case(dir, case, &clock).map(|report| CaseReport {
            driver: *driver,
            ..report
        })
    });
    Ok(Report {
        schema: manifest::SCHEMA,
        generator: manifest::generator(),
        scenario: manifest.scenario.clone(),
        validated_at: Some(clock.at),
        clock: Some(clock.source),
        cases: results.into_iter().collect::<Result<_, _>>()?,
    })
}

fn run_case(dir: &Path, case: &Case, clock: &ValidationClock) -> Result<CaseReport, Error> {
    let observed = observe(dir, case, clock)?;
    Ok(CaseReport {
        name: case.name.clone(),
        driver: None,
        expected: case.expect,
        verdict: Verdict::judge(&case.expect, &observed),
        observed,
    })
}

fn observed(outcome: Outcome, reason: Option<Reason>, message: impl Into<String>) -> Observed {
    Observed {
        outcome,
        reason,
        message: message.into(),
    }
}

/// Resolves the client's policy as its driver does and makes the handshake (or, with TLS
/// off, sends plaintext to the TLS server). Problems with the server's own files are errors
/// in the fixture set, not observations about the client.
fn observe(dir: &Path, case: &Case, clock: &ValidationClock) -> Result<Observed, Error> {
    let mut client = match client_setup(dir, case)? {
        Ok(Client::Tls(setup)) => *setup,
        Ok(Client::Plaintext) => {
            let server = server_config_at(dir, case, clock)?;
            return Ok(match handshake::connect_plaintext(server) {
                Ok(()) => observed(Outcome::Accept, None, "plaintext data exchanged"),
                Err(failure) => observed(
                    Outcome::Reject,
                    Some(Reason::Other),
                    format!("tls is off: the client sent plaintext and the TLS server {failure}"),
                ),
            });
        }
        Err(refusal) => return Ok(refusal),
    };
    let server = if asks_for_staple(case) {
        server_config_at(dir, case, clock)?
    } else {
        unstapled_server_config_at(dir, case, clock)?
    };
    // The responder runs on a free port; the URL the certificates name is routed to it.
    let responder = match &case.server.ocsp_responder {
        None => None,
        Some(spec) => {
            let responder = start_responder(dir, spec)?;
            if let Some(ocsp) = &mut client.ocsp {
                ocsp.routes.insert(
                    spec.url.clone(),
                    format!("http://{}/ocsp", responder.local_addr()),
                );
            }
            Some(responder)
        }
    };
    let client = match handshake::client_config_at(client, clock.time_provider()) {
        Ok(config) => config,
        Err(e) => return Ok(refused(Reason::UnreadableFile, e.to_string())),
    };
    let server_name = ServerName::try_from(case.client.host.clone())
        .map_err(|e| Error::manifest(dir, format!("case {}: bad host: {e}", case.name)))?;

    let mut result = match handshake::connect(server, client, server_name) {
        Ok(()) => observed(
            Outcome::Accept,
            None,
            "handshake completed and data exchanged",
        ),
        Err(failure) => observed(
            Outcome::Reject,
            Some(classify(&failure)),
            failure.to_string(),
        ),
    };
    if let Some(responder) = responder {
        result.message += &format!(
            " (OCSP responder asked {} times)",
            responder.requests_served()
        );
    }
    Ok(result)
}

/// A configuration error, observed before any connection (PyMongo raises at `MongoClient`,
/// the Node.js driver at `connect()`).
pub(super) fn refused(reason: Reason, message: impl Into<String>) -> Observed {
    observed(Outcome::ConfigError, Some(reason), message)
}

/// A configuration error about one of the client's files, naming every file of the fixture
/// folder `dir` as the manifest does (relative to the folder), never by the path the folder
/// was reached at: the report, and the pages made from it, then say the same wherever the
/// folder is (another `--out`, a copy, a staging folder).
pub(super) fn refused_file(dir: &Path, reason: Reason, message: String) -> Observed {
    refused(reason, within_folder(dir, &message))
}

/// `message` with `dir`'s path taken off every path in it that starts with it (at the start,
/// or after a space, quote, bracket or backtick): `DIR/crl.der` reads `crl.der`.
fn within_folder(dir: &Path, message: &str) -> String {
    let folder = dir.join("").display().to_string();
    if folder.is_empty() {
        return message.to_string();
    }
    let mut shown = String::with_capacity(message.len());
    let mut copied = 0;
    for (at, _) in message.match_indices(&folder) {
        let starts_a_path = message[..at]
            .chars()
            .next_back()
            .is_none_or(|c| c.is_whitespace() || "'\"(`".contains(c));
        if starts_a_path {
            shown.push_str(&message[copied..at]);
            copied = at + folder.len();
        }
    }
    shown.push_str(&message[copied..]);
    shown
}

/// The case's server side as rustls runs it, judging client certificates at the machine's
/// live clock (a server that runs for hours must not stop its clock; see `server_config_at`).
pub fn server_config(dir: &Path, case: &Case) -> Result<Arc<ServerConfig>, Error> {
    server_config_with(dir, case, Arc::new(DefaultTimeProvider), true)
}

/// The case's server side as rustls runs it, judging client certificates at `clock`.
pub fn server_config_at(
    dir: &Path,
    case: &Case,
    clock: &ValidationClock,
) -> Result<Arc<ServerConfig>, Error> {
    server_config_with(dir, case, clock.time_provider(), true)
}

/// The case's server side for a client that asks for no OCSP status: it staples nothing,
/// as a server only staples for a client that asks (rustls' client always asks, so the
/// staple is left out here).
fn unstapled_server_config_at(
    dir: &Path,
    case: &Case,
    clock: &ValidationClock,
) -> Result<Arc<ServerConfig>, Error> {
    server_config_with(dir, case, clock.time_provider(), false)
}

/// A server side rustls will not take is an error in the fixture set, named after the file
/// that is wrong: see [`unusable_server_file`]. Without `stapling`, the case's staple is
/// left out.
fn server_config_with(
    dir: &Path,
    case: &Case,
    time: Arc<dyn TimeProvider>,
    stapling: bool,
) -> Result<Arc<ServerConfig>, Error> {
    let mut setup = server_setup(dir, case)?;
    unusable_server_file(dir, case, &setup)?;
    if !stapling {
        setup.staple = None;
    }
    handshake::server_config_at(setup, time).map_err(|e| unusable_server_side(dir, case, e))
}

/// What rustls said of a server side [`unusable_server_file`] let through, on its chain.
fn unusable_server_side(dir: &Path, case: &Case, e: rustls::Error) -> Error {
    Error::bad_file(
        &dir.join(&case.server.certificate_chain),
        format!("unusable server side: {e}"),
    )
}

/// Refuses the file rustls would refuse, by name: a private key that does not load or is not
/// the key of the chain's certificate (the key file), a certificate that does not parse (the
/// chain), a client CA that cannot anchor a verifier (the client CA file).
fn unusable_server_file(dir: &Path, case: &Case, setup: &ServerSetup) -> Result<(), Error> {
    let server = &case.server;
    let unusable = |file: &str, problem: String| {
        Error::bad_file(
            &dir.join(file),
            format!("{problem}: regenerate the fixtures"),
        )
    };
    let key = crate::pki::crypto::provider()
        .key_provider
        .load_private_key(setup.key.clone_key())
        .map_err(|e| unusable(&server.private_key, format!("unusable private key: {e}")))?;
    match rustls::sign::CertifiedKey::new(setup.chain.clone(), key).keys_match() {
        Ok(()) | Err(rustls::Error::InconsistentKeys(rustls::InconsistentKeys::Unknown)) => {}
        Err(rustls::Error::InconsistentKeys(_)) => {
            return Err(unusable(
                &server.private_key,
                format!(
                    "not the private key of the certificate in {}",
                    server.certificate_chain
                ),
            ));
        }
        Err(e) => {
            return Err(unusable(
                &server.certificate_chain,
                format!("unusable certificate: {e}"),
            ));
        }
    }
    if let (Some(file), Some(cas)) = (&server.client_ca, &setup.client_ca) {
        let mut roots = rustls::RootCertStore::empty();
        for ca in cas {
            roots
                .add(ca.clone())
                .map_err(|e| unusable(file, format!("unusable CA certificate: {e}")))?;
        }
    }
    Ok(())
}

/// The case's server side, from the fixture files.
pub fn server_setup(dir: &Path, case: &Case) -> Result<ServerSetup, Error> {
    let server = &case.server;
    let read = |file: &str| manifest::read_listed(dir, file).map(|(_, bytes)| bytes);
    Ok(ServerSetup {
        chain: read_certificates(dir, &server.certificate_chain)?,
        key: read_private_key(dir, &server.private_key)?,
        tls_versions: params::versions(&server.tls_versions)
            .map_err(|e| Error::manifest(dir, e))?,
        client_ca: server
            .client_ca
            .as_deref()
            .map(|file| read_certificates(dir, file))
            .transpose()?,
        staple: server.ocsp_staple.as_deref().map(read).transpose()?,
        cipher_suites: server
            .cipher_suites
            .as_deref()
            .map(params::cipher_suites)
            .transpose()
            .map_err(|e| Error::manifest(dir, e))?,
    })
}

/// Starts the case's OCSP responder on a free loopback port, answering from its table.
pub fn start_responder(dir: &Path, spec: &OcspResponder) -> Result<Responder, Error> {
    start_responder_at(
        dir,
        spec,
        Some(std::net::SocketAddr::from((
            std::net::Ipv4Addr::LOCALHOST,
            0,
        ))),
    )
}

/// Starts the case's OCSP responder at `listen`, or (`None`) at the address its URL names.
pub fn start_responder_at(
    dir: &Path,
    spec: &OcspResponder,
    listen: Option<std::net::SocketAddr>,
) -> Result<Responder, Error> {
    let mut table = StatusTable::new();
    for answer in responder_answers(dir, spec)? {
        table.insert(&answer.serial, answer.response);
    }
    let listen = match listen {
        Some(address) => address,
        None => responder_address(dir, spec)?,
    };
    start_responder_on(dir, listen, table)
}

/// Starts a responder serving `table` at `listen`; a refusal to bind names the folder whose
/// manifest asked for it.
pub fn start_responder_on(
    dir: &Path,
    listen: std::net::SocketAddr,
    table: StatusTable,
) -> Result<Responder, Error> {
    Responder::start(listen, table).map_err(|e| {
        Error::manifest(
            dir,
            format!("cannot run the OCSP responder at {listen}: {e} (is another `pkigen serve` of these fixtures running?)"),
        )
    })
}

/// One answer a case's responder gives.
pub struct OcspAnswer {
    /// The certificate serial asked about, as the manifest writes it (big-endian bytes).
    pub serial: Vec<u8>,
    /// The DER `OCSPResponse` given for it.
    pub response: Vec<u8>,
}

/// What the case's responder answers, read from the fixture files.
pub fn responder_answers(dir: &Path, spec: &OcspResponder) -> Result<Vec<OcspAnswer>, Error> {
    spec.responses
        .iter()
        .map(|(serial, file)| {
            let serial = hex::decode(serial)
                .map_err(|_| Error::manifest(dir, format!("bad OCSP serial '{serial}'")))?;
            let response = manifest::read_listed(dir, file)?.1;
            Ok(OcspAnswer { serial, response })
        })
        .collect()
}

/// The address the responder's URL names, where a client that fetches the URL itself
/// connects (`http://IP:PORT/…`).
pub fn responder_address(dir: &Path, spec: &OcspResponder) -> Result<std::net::SocketAddr, Error> {
    spec.url
        .strip_prefix("http://")
        .and_then(|rest| rest.split('/').next())
        .and_then(|authority| authority.parse().ok())
        .ok_or_else(|| {
            Error::manifest(
                dir,
                format!("OCSP responder URL '{}' is not http://IP:PORT/…", spec.url),
            )
        })
}

/// Every certificate in a PEM file named by the manifest; other blocks are skipped. (OpenSSL's
/// `load_verify_locations` skips keys too, but would also load a CRL found in a CA file;
/// no fixture has one.) The pem crate, unlike rustls' reader, takes the RFC 1421 headers of
/// a legacy encrypted key in the same file, as OpenSSL does.
pub fn read_certificates(
    dir: &Path,
    relative: &str,
) -> Result<Vec<CertificateDer<'static>>, Error> {
    let (path, bytes) = manifest::read_listed(dir, relative)?;
    let certs = pem_contents(&path, &bytes, "CERTIFICATE", "no certificate in this file")?;
    Ok(certs.into_iter().map(CertificateDer::from).collect())
}

/// Who reads `tlsCRLFile` as PEM only in PyMongo, and how.
pub(super) const PYMONGO_READS_PEM_CRLS: &str =
    "PyMongo reads tlsCRLFile as PEM only (OpenSSL's load_verify_locations)";

/// The CRLs of a `tlsCRLFile`. PEM only, as PyMongo: it hands the file to OpenSSL's
/// `load_verify_locations`, which reads PEM; DER is recognised by its content and refused
/// with the command that converts it.
pub fn read_crls(
    dir: &Path,
    relative: &str,
) -> Result<Vec<CertificateRevocationListDer<'static>>, Error> {
    read_pem_crls(dir, relative, PYMONGO_READS_PEM_CRLS)
}

/// The CRLs of a PEM `tlsCRLFile`; a DER one is refused, saying that `reader` (who reads
/// only PEM, and how) would not read it, and with the command that converts it.
pub(super) fn read_pem_crls(
    dir: &Path,
    relative: &str,
    reader: &str,
) -> Result<Vec<CertificateRevocationListDer<'static>>, Error> {
    let (path, bytes) = manifest::read_listed(dir, relative)?;
    if !crate::pki::encoding::looks_like_pem(&bytes) {
        return Err(Error::bad_file(
            &path,
            format!(
                "a DER CRL: {reader}; convert it with `openssl crl -inform DER -in FILE -out \
                 FILE.pem`"
            ),
        ));
    }
    let crls = pem_contents(&path, &bytes, "X509 CRL", "no X509 CRL block in this file")?;
    Ok(crls
        .into_iter()
        .map(CertificateRevocationListDer::from)
        .collect())
}

/// The first private key in a PEM file named by the manifest (a server's key: never
/// encrypted in a fixture, and refused with a reason if it is).
pub fn read_private_key(dir: &Path, relative: &str) -> Result<PrivateKeyDer<'static>, Error> {
    let (path, bytes) = manifest::read_listed(dir, relative)?;
    let blocks = crate::pki::encoding::parse_pem_blocks(&path, &bytes)?;
    let block = blocks
        .iter()
        .find(|b| crate::pki::encrypted::is_key_block(b))
        .ok_or_else(|| Error::bad_file(&path, "no private key in this file"))?;
    crate::pki::encrypted::decrypt_block(block, None)
        .map_err(|e| Error::bad_file(&path, e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::within_folder;
    use std::path::Path;

    #[test]
    fn messages_name_files_from_the_fixture_folder() {
        let dir = Path::new("out/crl");
        assert_eq!(
            within_folder(dir, "out/crl/crl.der: a DER CRL"),
            "crl.der: a DER CRL"
        );
        assert_eq!(
            within_folder(dir, "reading 'out/crl/a.pem' and (out/crl/b.pem)"),
            "reading 'a.pem' and (b.pem)"
        );
        // Only a path that starts with the folder's: not one that merely ends with it.
        assert_eq!(
            within_folder(dir, "/tmp/out/crl/crl.der"),
            "/tmp/out/crl/crl.der"
        );
        assert_eq!(
            within_folder(Path::new("."), "./ca.pem: file path '../x' points outside"),
            "ca.pem: file path '../x' points outside"
        );
        assert_eq!(within_folder(Path::new(""), "a/b: c"), "a/b: c");
    }
}
