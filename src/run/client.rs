//! A case's client as its driver configures it: the options resolved by the driver's profile
//! (`policy::resolve`), then the files read and the checks kept as the driver's TLS stack
//! does ([`TlsBehaviour`]): when files are read and what an unreadable one is, what a CA file
//! without a certificate does, which CRLs of the file count and for which certificates, and
//! whether OCSP is checked at all. Whatever the driver refuses before connecting comes back
//! as the observation.
//!
//! Not modelled: the Node.js driver's trust store without `tlsCAFile` is Node's bundled
//! Mozilla roots, not the system's (no catalogue server is issued by either), and Node
//! checks a DNS host against the subject CN of a certificate without a DNS SAN, which
//! rustls-webpki never does (every catalogue server certificate has one, which a catalogue
//! test holds). libmongoc's OpenSSL does the same CN fallback, and its OCSP cache, shared by
//! every client of a process, is not modelled: each case is judged as a process of its own.
//! The Rust driver's (rustls) trust store without `tlsCAFile` is the Mozilla roots compiled
//! into it (webpki-roots), and its `tlsCAFile` reader skips a PEM block it cannot read and
//! goes on, where the model stops at the first (no catalogue CA file holds one).

use super::validate::{
    PYMONGO_READS_PEM_CRLS, read_certificates, read_crls, read_pem_crls, refused, refused_file,
};
use crate::error::Error;
use crate::fixtures::manifest::{self, Case, Observed};
use crate::pki::encoding::looks_like_pem;
use crate::pki::encrypted::KeyLoadError;
use crate::policy::{
    CaFileAnchors, CaFileWithoutPem, CrlsLoaded, Driver, EncryptedKeys, FilesRead, Ocsp, Reason,
    TlsBehaviour, TlsPolicy,
};
use crate::tls::handshake::{ClientSetup, Trust};
use crate::tls::identity::{ClientIdentity, KeyFileError, load_key_file};
use crate::tls::ocsp_rules::{self, OcspPolicy};
use crate::tls::params;
use crate::tls::verifier::Checks;
use rustls::pki_types::{CertificateDer, CertificateRevocationListDer};
use std::path::Path;

/// How the client talks to the server.
pub(super) enum Client {
    /// With TLS, as configured.
    Tls(Box<ClientSetup>),
    /// In plaintext (`tls` off): whatever it sends, a TLS server cannot read.
    Plaintext,
}

/// The client as the case's driver would configure it from the case's connection string (the
/// form the real-driver tests connect with; the manifest holds it equal to the options), or
/// its refusal to. Options the driver's profile does not model are no refusal of the driver:
/// the manifest cannot be judged, an error of pkigen's.
pub(super) fn client_setup(dir: &Path, case: &Case) -> Result<Result<Client, Observed>, Error> {
    let driver = case.client.driver;
    let behaviour = driver.tls_behaviour();
    let policy = match TlsPolicy::from_uri(driver, &case.client.uri) {
        Ok(policy) => policy,
        Err(e) if !e.exception.is_driver_error() => {
            return Err(Error::manifest(
                &dir.join(manifest::MANIFEST_FILE),
                format!("case {}: {}", case.name, e.redacted()),
            ));
        }
        Err(e) => return Ok(Err(refused(Reason::InvalidOptions, e.to_string()))),
    };
    if !policy.tls {
        return Ok(Ok(Client::Plaintext));
    }
    let files = match behaviour.files_read {
        FilesRead::AtConstruction => files_at_construction(dir, &policy, driver),
        FilesRead::AtConnect => files_at_connect(dir, &policy, driver),
    };
    let files = match files {
        Ok(files) => files,
        Err(refusal) => return Ok(Err(refusal)),
    };
    let versions = case
        .client
        .tls_versions
        .clone()
        .unwrap_or_else(|| vec!["1.2".into(), "1.3".into()]);
    let checks = Checks {
        certificates: policy.verify_certificates(),
        hostname: policy.verify_hostname(),
    };
    let ocsp = match behaviour.ocsp {
        Ocsp::None => None,
        // PyMongo's OCSP callback runs only when certificates are verified; libmongoc's also
        // not under tlsDisableCertificateRevocationCheck.
        Ocsp::StapleAndResponder => policy.ocsp_checked().then(|| OcspPolicy {
            endpoint_check: policy.ocsp_endpoint_check(),
            routes: Default::default(),
            timeout: ocsp_rules::FETCH_TIMEOUT,
        }),
    };
    Ok(Ok(Client::Tls(Box::new(ClientSetup {
        trust: files.trust,
        checks,
        tls_versions: params::versions(&versions).map_err(|e| Error::manifest(dir, e))?,
        identity: files.identity,
        crls: files.crls,
        crl_scope: behaviour.crl_scope,
        ocsp,
    }))))
}

/// Whether the server staples: only to a client that asks for a status (`status_request`),
/// which a driver without OCSP never does.
pub(super) fn asks_for_staple(case: &Case) -> bool {
    case.client.driver.tls_behaviour().ocsp != Ocsp::None
}

/// What the client's files give it.
struct ClientFiles {
    trust: Trust,
    identity: Option<ClientIdentity>,
    crls: Vec<CertificateRevocationListDer<'static>>,
}

/// Files read while the client is built (PyMongo's `MongoClient(...)`): the CA file, then the
/// key file, then the CRL file, each refused as it is read.
fn files_at_construction(
    dir: &Path,
    policy: &TlsPolicy,
    driver: Driver,
) -> Result<ClientFiles, Observed> {
    let behaviour = driver.tls_behaviour();
    let trust = match &policy.ca_file {
        None => Trust::System,
        Some(file) => {
            let certificates = trusted(dir, file, behaviour)?;
            match behaviour.ca_file_anchors {
                CaFileAnchors::SelfSigned => Trust::Certificates(certificates),
                CaFileAnchors::Every => Trust::EveryCertificate(certificates),
            }
        }
    };
    let identity = match &policy.certificate_key_file {
        None => None,
        Some(file) => Some(identity(dir, file, policy, behaviour)?),
    };
    let crls = match &policy.crl_file {
        None => Vec::new(),
        Some(file) => crls(dir, file, driver)?,
    };
    Ok(ClientFiles {
        trust,
        identity,
        crls,
    })
}

/// Files read when the client connects (libmongoc: for every new connection, in
/// `_mongoc_openssl_ctx_new`; the Node.js driver's `connect()`: `tlsCAFile`,
/// `tlsCRLFile` then `tlsCertificateKeyFile` read as they are, any error failing the
/// connection at once), then made into the TLS context (`tls.createSecureContext`: the CA
/// certificates, the certificate and key, then the CRL), whose errors fail it too. Either way
/// the driver raises before a byte reaches the server: a configuration error.
fn files_at_connect(
    dir: &Path,
    policy: &TlsPolicy,
    driver: Driver,
) -> Result<ClientFiles, Observed> {
    let named = [
        &policy.ca_file,
        &policy.crl_file,
        &policy.certificate_key_file,
    ];
    let fails = match driver {
        Driver::C => "the connection fails building its SSL_CTX: cannot read",
        _ => "connect() fails reading",
    };
    for file in named.into_iter().flatten() {
        if let Err(e) = manifest::read_listed(dir, file) {
            return Err(refused_file(
                dir,
                Reason::UnreadableFile,
                format!("{fails} {file}: {}", e.with_causes()),
            ));
        }
    }
    files_at_construction(dir, policy, driver)
}

/// The certificates of the CA file: refused without one, or (a driver that then trusts
/// nothing) whatever PEM certificates it holds, perhaps none.
fn trusted(
    dir: &Path,
    file: &str,
    behaviour: TlsBehaviour,
) -> Result<Vec<CertificateDer<'static>>, Observed> {
    match behaviour.ca_file_without_pem {
        CaFileWithoutPem::Error => read_certificates(dir, file)
            .map_err(|e| refused_file(dir, Reason::UnreadableFile, e.with_causes())),
        CaFileWithoutPem::EmptyTrustStore => {
            let (_, bytes) = manifest::read_listed(dir, file)
                .map_err(|e| refused_file(dir, Reason::UnreadableFile, e.with_causes()))?;
            Ok(pem_certificates(&bytes))
        }
    }
}

/// The PEM certificates in `bytes` up to the first block that does not parse, none if it is
/// not PEM at all: as OpenSSL's `PEM_read_bio_X509_AUX` loop, which passes over other kinds
/// of block, keeps what it read, and ends at the first thing it cannot read.
fn pem_certificates(bytes: &[u8]) -> Vec<CertificateDer<'static>> {
    const BEGIN: &[u8] = b"-----BEGIN ";
    const END: &[u8] = b"-----END ";
    const DASHES: &[u8] = b"-----";
    let find = |haystack: &[u8], needle: &[u8]| {
        haystack
            .windows(needle.len())
            .position(|window| window == needle)
    };
    let mut certificates = Vec::new();
    let mut rest = bytes;
    while let Some(start) = find(rest, BEGIN) {
        let block = &rest[start..];
        let Some(end) = find(block, END).and_then(|end| {
            let after = end + END.len();
            find(&block[after..], DASHES).map(|dashes| after + dashes + DASHES.len())
        }) else {
            break;
        };
        match pem::parse(&block[..end]) {
            Ok(parsed) if parsed.tag() == "CERTIFICATE" => {
                certificates.push(CertificateDer::from(parsed.into_contents()));
            }
            Ok(_) => {}
            Err(_) => break,
        }
        rest = &block[end..];
    }
    certificates
}

/// The client's certificate and key from `tlsCertificateKeyFile`, with its password. A driver
/// that reads no encrypted key ([`EncryptedKeys::NotRead`]) has no password to give, and finds
/// no key where an encrypted one is: the file is unreadable to it.
fn identity(
    dir: &Path,
    file: &str,
    policy: &TlsPolicy,
    behaviour: TlsBehaviour,
) -> Result<ClientIdentity, Observed> {
    let password = policy.certificate_key_file_password.as_deref();
    manifest::manifest_relative(dir, file)
        .map_err(|e| KeyFileError::Unreadable(e.with_causes()))
        .and_then(|path| load_key_file(&path, password))
        .map_err(|e| match (&e, behaviour.encrypted_keys) {
            (KeyFileError::Key(KeyLoadError::PasswordRequired), EncryptedKeys::NotRead) => {
                refused_file(
                    dir,
                    Reason::UnreadableFile,
                    format!(
                        "{file}: its private key is encrypted, and the driver reads no \
                         encrypted key (rustls finds no key in the file)"
                    ),
                )
            }
            _ => refused_file(dir, e.reason(), e.to_string()),
        })
}

/// The CRLs of `tlsCRLFile` the driver loads: PEM only where it reads no other form (DER is
/// refused with the command that converts it), every one of the file or the first.
fn crls(
    dir: &Path,
    file: &str,
    driver: Driver,
) -> Result<Vec<CertificateRevocationListDer<'static>>, Observed> {
    let behaviour = driver.tls_behaviour();
    let refuse = |e: Error| refused_file(dir, Reason::UnreadableFile, e.with_causes());
    let mut crls = if behaviour.crl_pem_only {
        read_pem_crls(dir, file, pem_only_reader(driver)).map_err(refuse)?
    } else {
        let (_, bytes) = manifest::read_listed(dir, file).map_err(refuse)?;
        if looks_like_pem(&bytes) {
            read_crls(dir, file).map_err(refuse)?
        } else {
            vec![CertificateRevocationListDer::from(bytes)]
        }
    };
    if behaviour.crls_loaded == CrlsLoaded::FirstOnly {
        crls.truncate(1);
    }
    Ok(crls)
}

/// Who reads `tlsCRLFile` as PEM only, and how, for the refusal of a DER one.
fn pem_only_reader(driver: Driver) -> &'static str {
    match driver {
        Driver::PyMongo => PYMONGO_READS_PEM_CRLS,
        Driver::Node => {
            "the Node.js driver hands tlsCRLFile to tls.createSecureContext, which reads one PEM \
             CRL ('Failed to parse CRL')"
        }
        // Never asked: the Rust profile refuses tlsCRLFile as an unknown option.
        Driver::Rust => "the Rust driver has no tlsCRLFile",
        Driver::C => {
            "libmongoc's crl_file (a mongoc_ssl_opt_t field, no URI option) is read with \
             X509_load_crl_file(..., X509_FILETYPE_PEM)"
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_ca_file_without_pem_certificates_trusts_nothing() {
        assert!(pem_certificates(b"").is_empty());
        assert!(pem_certificates(&[0x30, 0x82, 0x01, 0x00]).is_empty());
        let key = b"-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n";
        assert!(pem_certificates(key).is_empty());
        let cert = b"-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n";
        assert_eq!(pem_certificates(&[&key[..], &cert[..]].concat()).len(), 1);
    }

    /// A block that does not parse ends the reading; what came before it stays trusted.
    #[test]
    fn a_corrupt_block_keeps_the_certificates_before_it() {
        let cert = b"-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n";
        let corrupt = b"-----BEGIN CERTIFICATE-----\n!!not base64!!\n-----END CERTIFICATE-----\n";
        let file = [&cert[..], &corrupt[..], &cert[..]].concat();
        assert_eq!(pem_certificates(&file).len(), 1);
        assert_eq!(pem_certificates(&[&cert[..], &cert[..]].concat()).len(), 2);
        assert!(pem_certificates(&[&corrupt[..], &cert[..]].concat()).is_empty());
    }
}
