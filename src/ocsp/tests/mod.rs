//! OCSP round trips: what is signed is what `verify_response` and `describe` read back, the
//! same bytes from the same inputs, every key type, and the request matching the response.
//! The helpers here serve the refusals (`verify`) and the cross-checks with other engines
//! (`cross_checks`).

mod cross_checks;
mod verify;

use super::*;
use crate::pki::crl::RevocationReason;
use crate::{Ca, CaParams, KeyPair, KeyType, Leaf, LeafParams, Purpose, Seed};
use der::Decode;
use std::path::Path;
use std::process::Command;
use time::macros::datetime;
use time::{Duration, OffsetDateTime};
use x509_cert::Certificate;

/// The tests' "now": responses are checked at this time unless a test says otherwise.
const NOW: OffsetDateTime = datetime!(2026-06-01 00:00 UTC);

/// One key type per signing code path: rsa-3072/4096 take the rsa-2048 one.
const KEY_TYPES: [KeyType; 4] = [
    KeyType::EcdsaP256,
    KeyType::EcdsaP384,
    KeyType::Ed25519,
    KeyType::Rsa2048,
];

fn ca(key_type: KeyType, seed: u64, name: &str) -> Ca {
    let key = KeyPair::generate(key_type, &mut Seed(seed).rng("ca")).unwrap();
    CaParams {
        common_name: name.into(),
        not_before: NOW - Duration::days(365),
        not_after: NOW + Duration::days(3650),
        serial: Seed(seed).serial("ca"),
        path_len: None,
    }
    .self_signed(key)
    .unwrap()
}

fn leaf(ca: &Ca, seed: u64, purpose: Purpose) -> Leaf {
    let key = KeyPair::generate(ca.key().key_type(), &mut Seed(seed).rng("leaf")).unwrap();
    LeafParams {
        common_name: format!("leaf {seed}"),
        names: vec!["localhost".into()],
        not_before: NOW - Duration::days(30),
        not_after: NOW + Duration::days(365),
        serial: Seed(seed).serial("leaf"),
        purpose,
        ocsp_url: None,
        must_staple: false,
    }
    .signed_by(key, ca)
    .unwrap()
}

fn params(status: CertStatus) -> OcspParams {
    params_at(NOW, status)
}

/// A response produced an hour before `now`, good for a week after it.
fn params_at(now: OffsetDateTime, status: CertStatus) -> OcspParams {
    OcspParams {
        status,
        this_update: now - Duration::hours(1),
        next_update: Some(now + Duration::days(7)),
        produced_at: now - Duration::hours(1),
    }
}

fn revoked() -> CertStatus {
    CertStatus::Revoked {
        at: NOW - Duration::days(2),
        reason: Some(RevocationReason::KeyCompromise),
    }
}

/// The CA and server leaf the tests are about (P-256 unless a test goes through the key
/// types); the same seeds give the same certificates.
fn ca_and_leaf(key_type: KeyType) -> (Ca, Leaf) {
    let ca = ca(key_type, 1, "pkigen OCSP CA");
    let leaf = leaf(&ca, 2, Purpose::ServerAuth);
    (ca, leaf)
}

/// The serial number of the DER certificate `der`.
fn serial_of(der: &[u8]) -> x509_cert::serial_number::SerialNumber {
    Certificate::from_der(der)
        .unwrap()
        .tbs_certificate
        .serial_number
}

/// Refused as signed by someone not authorised, for the reason `why` names.
#[track_caller]
fn assert_not_authorised(result: Result<CertStatus, ResponseError>, why: &str) {
    let Err(ResponseError::SignerNotAuthorized(reason)) = result else {
        panic!("{result:?}");
    };
    assert!(reason.contains(why), "{reason}");
}

/// The CA signs for itself, no certificates included.
fn by_ca(p: &OcspParams, ca: &Ca, leaf: &Leaf) -> Vec<u8> {
    p.signed_by(leaf, ca, Signer::Issuer, SignerCertificate::Omitted)
        .unwrap()
        .der()
        .to_vec()
}

/// The ways a response goes wrong, signed for `leaf` of `ca`. The same set goes through
/// `verify_response` and `openssl ocsp`.
struct Broken {
    foreign_key_with_ca_name: Vec<u8>,
    foreign_ca_name: Vec<u8>,
    delegate_without_eku: Vec<u8>,
    delegate: Vec<u8>,
}

fn broken(ca: &Ca, leaf: &Leaf, p: &OcspParams) -> Broken {
    let key_type = ca.key().key_type();
    // Same name as the real CA, another key: the response names the CA but is not its.
    let impostor = self::ca(key_type, 901, "pkigen OCSP CA");
    let foreign = self::ca(key_type, 902, "someone else's CA");
    let no_eku = self::leaf(ca, 903, Purpose::ServerAuth);
    let delegate = self::leaf(ca, 904, Purpose::OcspSigning);
    // Each carries its signer's certificate.
    let sign = |signer| {
        p.signed_by(leaf, ca, signer, SignerCertificate::Included)
            .unwrap()
            .der()
            .to_vec()
    };
    Broken {
        foreign_key_with_ca_name: sign(Signer::OtherCa(&impostor)),
        foreign_ca_name: sign(Signer::OtherCa(&foreign)),
        delegate_without_eku: sign(Signer::Delegate(&no_eku)),
        delegate: sign(Signer::Delegate(&delegate)),
    }
}

/// `program`, with OpenSSL's configuration file out of the way.
fn tool(program: &str) -> Command {
    let mut command = Command::new(program);
    command.env("OPENSSL_CONF", "/dev/null");
    command
}

/// Writes `bytes` to `name` in `dir`; returns the path.
fn write(dir: &Path, name: &str, bytes: impl AsRef<[u8]>) -> String {
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    path.to_str().unwrap().to_string()
}

#[test]
fn good_revoked_and_unknown_round_trip() {
    let (ca, leaf) = ca_and_leaf(KeyType::EcdsaP256);
    for status in [CertStatus::Good, revoked(), CertStatus::Unknown] {
        let der = by_ca(&params(status), &ca, &leaf);
        assert_eq!(verify_response(&der, leaf.der(), ca.der(), NOW), Ok(status));
    }
    let info = describe(&by_ca(&params(revoked()), &ca, &leaf)).unwrap();
    let single = &info.responses[0];
    assert_eq!(single.status, "revoked");
    assert_eq!(
        single.revocation_time.as_deref(),
        Some("2026-05-30T00:00:00Z")
    );
    assert_eq!(single.revocation_reason.as_deref(), Some("keyCompromise"));
}

/// Each reason is written under its RFC 5280 name and read back by `verify_response`; a
/// revocation without a reason is written without one.
#[test]
fn every_revocation_reason_is_written_and_read_back() {
    let (ca, leaf) = ca_and_leaf(KeyType::EcdsaP256);
    for (reason, name) in [
        (Some(RevocationReason::Unspecified), Some("unspecified")),
        (Some(RevocationReason::KeyCompromise), Some("keyCompromise")),
        (Some(RevocationReason::CaCompromise), Some("cACompromise")),
        (
            Some(RevocationReason::AffiliationChanged),
            Some("affiliationChanged"),
        ),
        (Some(RevocationReason::Superseded), Some("superseded")),
        (
            Some(RevocationReason::CessationOfOperation),
            Some("cessationOfOperation"),
        ),
        (
            Some(RevocationReason::CertificateHold),
            Some("certificateHold"),
        ),
        (Some(RevocationReason::RemoveFromCrl), Some("removeFromCRL")),
        (
            Some(RevocationReason::PrivilegeWithdrawn),
            Some("privilegeWithdrawn"),
        ),
        (Some(RevocationReason::AaCompromise), Some("aACompromise")),
        (None, None),
    ] {
        let status = CertStatus::Revoked { at: NOW, reason };
        let der = by_ca(&params(status), &ca, &leaf);
        let info = describe(&der).unwrap();
        assert_eq!(info.responses[0].revocation_reason.as_deref(), name);
        assert_eq!(verify_response(&der, leaf.der(), ca.der(), NOW), Ok(status));
    }
    // A response holds whole seconds: a fraction is dropped on the way.
    let at = NOW - Duration::milliseconds(1500);
    let status = CertStatus::Revoked { at, reason: None };
    let der = by_ca(&params(status), &ca, &leaf);
    assert_eq!(
        verify_response(&der, leaf.der(), ca.der(), NOW),
        Ok(CertStatus::Revoked {
            at: NOW - Duration::seconds(2),
            reason: None
        })
    );
}

#[test]
fn the_same_inputs_give_the_same_bytes() {
    for key_type in KEY_TYPES {
        let (ca, leaf) = ca_and_leaf(key_type);
        let a = by_ca(&params(revoked()), &ca, &leaf);
        let b = by_ca(&params(revoked()), &ca, &leaf);
        assert_eq!(a, b, "{key_type}");
        // And from a CA rebuilt from the same seed.
        let (ca2, leaf2) = ca_and_leaf(key_type);
        assert_eq!(a, by_ca(&params(revoked()), &ca2, &leaf2), "{key_type}");
        let later = OcspParams {
            produced_at: NOW,
            ..params(revoked())
        };
        assert_ne!(a, by_ca(&later, &ca, &leaf), "{key_type}");
    }
}

#[test]
fn every_key_type_signs_and_verifies() {
    for (key_type, algorithm) in KEY_TYPES.into_iter().zip([
        "ecdsa-with-SHA256",
        "ecdsa-with-SHA384",
        "id-Ed25519",
        "sha256WithRSAEncryption",
    ]) {
        let (ca, leaf) = ca_and_leaf(key_type);
        let der = by_ca(&params(CertStatus::Good), &ca, &leaf);
        assert_eq!(
            verify_response(&der, leaf.der(), ca.der(), NOW),
            Ok(CertStatus::Good),
            "{key_type}"
        );
        let broken = broken(&ca, &leaf, &params(CertStatus::Good));
        assert_eq!(
            verify_response(&broken.delegate, leaf.der(), ca.der(), NOW),
            Ok(CertStatus::Good),
            "{key_type}"
        );
        assert_eq!(
            verify_response(&broken.foreign_key_with_ca_name, leaf.der(), ca.der(), NOW),
            Err(ResponseError::BadSignature),
            "{key_type}"
        );
        let info = describe(&der).unwrap();
        assert_eq!(info.signature_algorithm.as_deref(), Some(algorithm));
    }
}

#[test]
fn describe_names_the_responder_and_the_certificate() {
    use x509_parser::prelude::{FromDer, X509Certificate};
    let (ca, leaf) = ca_and_leaf(KeyType::EcdsaP256);
    let delegate = self::leaf(&ca, 904, Purpose::OcspSigning);
    let der = params(CertStatus::Good)
        .signed_by(
            &leaf,
            &ca,
            Signer::Delegate(&delegate),
            SignerCertificate::Included,
        )
        .unwrap();
    let info = describe(der.der()).unwrap();
    let (_, leaf_cert) = X509Certificate::from_der(leaf.der()).unwrap();
    let (_, delegate_cert) = X509Certificate::from_der(delegate.der()).unwrap();
    assert_eq!(info.response_status, "successful");
    assert_eq!(
        info.responder_id,
        Some(format!("byName: {}", delegate_cert.subject()))
    );
    assert_eq!(info.produced_at.as_deref(), Some("2026-05-31T23:00:00Z"));
    assert_eq!(info.certificates, 1);
    let [single] = &info.responses[..] else {
        panic!("{info:?}")
    };
    assert_eq!(single.hash_algorithm, "sha1");
    assert_eq!(single.serial, leaf_cert.raw_serial_as_string());
    assert_eq!(single.issuer_name_hash.len(), 40);
    assert_eq!(single.status, "good");
    assert_eq!(single.this_update, "2026-05-31T23:00:00Z");
    assert_eq!(single.next_update.as_deref(), Some("2026-06-08T00:00:00Z"));
    let json = serde_json::to_value(&info).unwrap();
    assert_eq!(json["responses"][0]["status"], "good");
}

/// A serial whose first byte has the high bit set is written with a leading zero, and
/// `describe` shows that zero as x509-parser does for certificates.
#[test]
fn describe_keeps_the_serials_leading_zero() {
    use x509_parser::prelude::{FromDer, X509Certificate};
    let ca = ca(KeyType::EcdsaP256, 1, "pkigen OCSP CA");
    let key = KeyPair::generate(KeyType::EcdsaP256, &mut Seed(2).rng("leaf")).unwrap();
    let leaf = LeafParams {
        common_name: "leaf with a high serial".into(),
        names: vec!["localhost".into()],
        not_before: NOW - Duration::days(30),
        not_after: NOW + Duration::days(365),
        serial: crate::Serial::from_bytes(&[0x80, 0x01, 0xfe]),
        purpose: Purpose::ServerAuth,
        ocsp_url: None,
        must_staple: false,
    }
    .signed_by(key, &ca)
    .unwrap();
    let (_, leaf_cert) = X509Certificate::from_der(leaf.der()).unwrap();
    assert_eq!(leaf_cert.raw_serial_as_string(), "00:80:01:fe");
    let info = describe(&by_ca(&params(CertStatus::Good), &ca, &leaf)).unwrap();
    assert_eq!(info.responses[0].serial, "00:80:01:fe");
}

#[test]
fn the_request_carries_the_responses_cert_id() {
    let (ca, leaf) = ca_and_leaf(KeyType::Rsa2048);
    let request =
        x509_ocsp::OcspRequest::from_der(&request_der(leaf.der(), ca.der()).unwrap()).unwrap();
    assert!(request.optional_signature.is_none());
    assert!(request.tbs_request.request_extensions.is_none()); // no nonce
    let [single] = &request.tbs_request.request_list[..] else {
        panic!("{request:?}")
    };
    let response = by_ca(&params(CertStatus::Good), &ca, &leaf);
    let basic = x509_ocsp::OcspResponse::from_der(&response)
        .unwrap()
        .response_bytes
        .unwrap();
    let basic = x509_ocsp::BasicOcspResponse::from_der(basic.response.as_bytes()).unwrap();
    assert_eq!(
        single.req_cert,
        basic.tbs_response_data.responses[0].cert_id
    );
    assert_eq!(single.req_cert.hash_algorithm.oid, SHA1);

    // The same request from OpenSSL's own CertID code (`-no_nonce`: no extensions), byte for
    // byte, for each key type's issuer hashes.
    for key_type in KEY_TYPES {
        let (ca, leaf) = ca_and_leaf(key_type);
        let dir = tempfile::tempdir().unwrap();
        let ca_pem = write(dir.path(), "ca.pem", ca.pem());
        let leaf_pem = write(dir.path(), "leaf.pem", leaf.pem());
        let req = dir.path().join("req.der");
        let output = tool("openssl")
            .args(["ocsp", "-no_nonce", "-issuer", &ca_pem, "-cert", &leaf_pem])
            .arg("-reqout")
            .arg(&req)
            .output()
            .expect("openssl must be installed for this test");
        assert!(
            output.status.success(),
            "{key_type}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        assert_eq!(
            hex::encode(request_der(leaf.der(), ca.der()).unwrap()),
            hex::encode(std::fs::read(&req).unwrap()),
            "{key_type}"
        );
    }
}
