//! OCSP round trips through `verify_response`, each way a response can be refused, the
//! bytes' determinism, and cross-checks with `openssl ocsp` and Python's cryptography.

use super::build::{KeySigner, RawSignature};
use super::*;
use crate::{Ca, CaParams, KeyPair, KeyType, Leaf, LeafParams, Purpose, Seed};
use der::{Decode, Encode};
use rcgen::RevocationReason;
use std::path::Path;
use std::process::Command;
use time::macros::datetime;
use time::{Duration, OffsetDateTime};
use x509_cert::Certificate;
use x509_ocsp::builder::OcspResponseBuilder;

/// The tests' "now": responses are checked at this time unless a test says otherwise.
const NOW: OffsetDateTime = datetime!(2026-06-01 00:00 UTC);

/// The key types the brief names; rsa-3072/4096 take the rsa-2048 code path.
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
        reason: RevocationReason::KeyCompromise,
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
fn assert_not_authorised(result: Result<Status, ResponseError>, why: &str) {
    let Err(ResponseError::SignerNotAuthorized(reason)) = result else {
        panic!("{result:?}");
    };
    assert!(reason.contains(why), "{reason}");
}

/// The CA signs for itself, no certificates included.
fn by_ca(p: &OcspParams, ca: &Ca, leaf: &Leaf) -> Vec<u8> {
    p.sign(leaf.der(), ca.der(), ca.der(), ca.key(), false)
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
    let sign = |cert: &[u8], key: &KeyPair, include: bool| {
        p.sign(leaf.der(), ca.der(), cert, key, include)
            .unwrap()
            .der()
            .to_vec()
    };
    Broken {
        foreign_key_with_ca_name: sign(impostor.der(), impostor.key(), true),
        foreign_ca_name: sign(foreign.der(), foreign.key(), true),
        delegate_without_eku: sign(no_eku.der(), no_eku.key(), true),
        delegate: sign(delegate.der(), delegate.key(), true),
    }
}

#[test]
fn good_revoked_and_unknown_round_trip() {
    let (ca, leaf) = ca_and_leaf(KeyType::EcdsaP256);
    for (status, expected) in [
        (CertStatus::Good, Status::Good),
        (revoked(), Status::Revoked),
        (CertStatus::Unknown, Status::Unknown),
    ] {
        let der = by_ca(&params(status), &ca, &leaf);
        assert_eq!(
            verify_response(&der, leaf.der(), ca.der(), NOW),
            Ok(expected)
        );
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

#[test]
fn every_revocation_reason_is_written() {
    let (ca, leaf) = ca_and_leaf(KeyType::EcdsaP256);
    for (reason, name) in [
        (RevocationReason::Unspecified, "unspecified"),
        (RevocationReason::CaCompromise, "cACompromise"),
        (RevocationReason::Superseded, "superseded"),
        (RevocationReason::CertificateHold, "certificateHold"),
        (RevocationReason::RemoveFromCrl, "removeFromCRL"),
        (RevocationReason::AaCompromise, "aACompromise"),
    ] {
        let status = CertStatus::Revoked { at: NOW, reason };
        let info = describe(&by_ca(&params(status), &ca, &leaf)).unwrap();
        assert_eq!(info.responses[0].revocation_reason.as_deref(), Some(name));
    }
}

#[test]
fn a_stale_response_is_expired_from_the_second_after_next_update() {
    let (ca, leaf) = ca_and_leaf(KeyType::EcdsaP256);
    let p = OcspParams {
        next_update: Some(NOW - Duration::seconds(1)),
        this_update: NOW - Duration::days(8),
        ..params(CertStatus::Good)
    };
    let der = by_ca(&p, &ca, &leaf);
    assert_eq!(
        verify_response(&der, leaf.der(), ca.der(), NOW),
        Err(ResponseError::Expired)
    );
    // PyMongo compares `next_update < now`: the last second still counts.
    let at_next_update = NOW - Duration::seconds(1);
    assert_eq!(
        verify_response(&der, leaf.der(), ca.der(), at_next_update),
        Ok(Status::Good)
    );
    // Without nextUpdate a response never goes stale.
    let p = OcspParams {
        next_update: None,
        ..p
    };
    let der = by_ca(&p, &ca, &leaf);
    let far_future = NOW + Duration::days(3000);
    assert_eq!(
        verify_response(&der, leaf.der(), ca.der(), far_future),
        Ok(Status::Good)
    );
}

#[test]
fn a_response_from_the_future_is_not_yet_valid() {
    let (ca, leaf) = ca_and_leaf(KeyType::EcdsaP256);
    let p = OcspParams {
        this_update: NOW + Duration::minutes(5),
        ..params(CertStatus::Good)
    };
    let der = by_ca(&p, &ca, &leaf);
    assert_eq!(
        verify_response(&der, leaf.der(), ca.der(), NOW),
        Err(ResponseError::NotYetValid)
    );
    // `this_update > now` refuses; equal passes.
    assert_eq!(
        verify_response(&der, leaf.der(), ca.der(), NOW + Duration::minutes(5)),
        Ok(Status::Good)
    );
}

#[test]
fn a_foreign_key_under_the_cas_name_is_a_bad_signature() {
    let (ca, leaf) = ca_and_leaf(KeyType::EcdsaP256);
    let broken = broken(&ca, &leaf, &params(CertStatus::Good));
    assert_eq!(
        verify_response(&broken.foreign_key_with_ca_name, leaf.der(), ca.der(), NOW),
        Err(ResponseError::BadSignature)
    );
    // The CA's own certificate named as signer, another key signing.
    let other = KeyPair::generate(KeyType::EcdsaP256, &mut Seed(77).rng("k")).unwrap();
    let der = params(CertStatus::Good)
        .sign(leaf.der(), ca.der(), ca.der(), &other, false)
        .unwrap();
    assert_eq!(
        verify_response(der.der(), leaf.der(), ca.der(), NOW),
        Err(ResponseError::BadSignature)
    );
}

#[test]
fn a_tampered_signature_is_a_bad_signature() {
    for key_type in KEY_TYPES {
        let (ca, leaf) = ca_and_leaf(key_type);
        let mut der = by_ca(&params(CertStatus::Good), &ca, &leaf);
        // No certificates: the signature is the last thing in the response.
        *der.last_mut().unwrap() ^= 0x01;
        assert_eq!(
            verify_response(&der, leaf.der(), ca.der(), NOW),
            Err(ResponseError::BadSignature),
            "{key_type}"
        );
    }
}

#[test]
fn a_foreign_ca_is_not_authorised() {
    let (ca, leaf) = ca_and_leaf(KeyType::EcdsaP256);
    let broken = broken(&ca, &leaf, &params(CertStatus::Good));
    assert_not_authorised(
        verify_response(&broken.foreign_ca_name, leaf.der(), ca.der(), NOW),
        "someone else's CA",
    );
}

#[test]
fn a_delegate_with_ocsp_signing_issued_by_the_ca_is_accepted() {
    let (ca, leaf) = ca_and_leaf(KeyType::EcdsaP256);
    for (status, expected) in [
        (CertStatus::Good, Status::Good),
        (revoked(), Status::Revoked),
    ] {
        let broken = broken(&ca, &leaf, &params(status));
        assert_eq!(
            verify_response(&broken.delegate, leaf.der(), ca.der(), NOW),
            Ok(expected)
        );
    }
    // Without its certificate in the response, the client cannot know the delegate.
    let delegate = self::leaf(&ca, 904, Purpose::OcspSigning);
    let der = params(CertStatus::Good)
        .sign(leaf.der(), ca.der(), delegate.der(), delegate.key(), false)
        .unwrap();
    assert!(matches!(
        verify_response(der.der(), leaf.der(), ca.der(), NOW),
        Err(ResponseError::SignerNotAuthorized(_))
    ));
}

#[test]
fn a_delegate_without_ocsp_signing_is_not_authorised() {
    let (ca, leaf) = ca_and_leaf(KeyType::EcdsaP256);
    let broken = broken(&ca, &leaf, &params(CertStatus::Good));
    assert_not_authorised(
        verify_response(&broken.delegate_without_eku, leaf.der(), ca.der(), NOW),
        "OCSPSigning",
    );
}

#[test]
fn a_delegate_from_an_impostor_ca_with_the_same_name_is_not_authorised() {
    let (ca, leaf) = ca_and_leaf(KeyType::EcdsaP256);
    let impostor = self::ca(KeyType::EcdsaP256, 901, "pkigen OCSP CA");
    // Issuer name and EKU are right; only its signature gives it away.
    let delegate = self::leaf(&impostor, 905, Purpose::OcspSigning);
    let der = params(CertStatus::Good)
        .sign(leaf.der(), ca.der(), delegate.der(), delegate.key(), true)
        .unwrap();
    assert_not_authorised(
        verify_response(der.der(), leaf.der(), ca.der(), NOW),
        "signature",
    );
}

#[test]
fn a_response_about_another_certificate_does_not_match() {
    let (ca, leaf) = ca_and_leaf(KeyType::EcdsaP256);
    // Another serial from the same CA.
    let other = self::leaf(&ca, 3, Purpose::ServerAuth);
    let der = by_ca(&params(CertStatus::Good), &ca, &other);
    assert_eq!(
        verify_response(&der, leaf.der(), ca.der(), NOW),
        Err(ResponseError::NoMatchingCertId)
    );
    // The same serial from another CA: the issuer hashes differ.
    let other_ca = self::ca(KeyType::EcdsaP256, 5, "another CA");
    let twin = self::leaf(&other_ca, 2, Purpose::ServerAuth);
    assert_eq!(serial_of(twin.der()), serial_of(leaf.der()));
    let der = params(CertStatus::Good)
        .sign(twin.der(), other_ca.der(), ca.der(), ca.key(), false)
        .unwrap();
    assert_eq!(
        verify_response(der.der(), leaf.der(), ca.der(), NOW),
        Err(ResponseError::NoMatchingCertId)
    );
}

/// A response built by hand with `cert_id` and `responder`, signed by `ca`.
fn custom(ca: &Ca, cert_id: x509_ocsp::CertId, responder: x509_ocsp::ResponderId) -> Vec<u8> {
    let time = to_generalized(NOW - Duration::hours(1)).unwrap();
    let single = x509_ocsp::SingleResponse::new(cert_id, x509_ocsp::CertStatus::good(), time);
    OcspResponseBuilder::new(responder)
        .with_single_response(single)
        .sign::<_, RawSignature>(&mut KeySigner(ca.key()), None, time)
        .unwrap()
        .to_der()
        .unwrap()
}

#[test]
fn sha256_cert_ids_and_by_key_responders_are_accepted() {
    use der::asn1::{ObjectIdentifier, OctetString};
    use sha2::Digest;
    use x509_parser::prelude::{FromDer, X509Certificate};
    let (ca, leaf) = ca_and_leaf(KeyType::EcdsaP256);
    let serial = serial_of(leaf.der());
    // The hashes RFC 6960 asks for, from x509-parser's view of the CA and the hash crates
    // directly: its subject's DER, and its subjectPublicKey BIT STRING's value.
    let (_, x509) = X509Certificate::from_der(ca.der()).unwrap();
    let subject = x509.subject().as_raw();
    let key = &x509.public_key().subject_public_key.data;
    let octets = |bytes: &[u8]| OctetString::new(bytes).unwrap();
    let sha256 = x509_ocsp::CertId {
        hash_algorithm: spki::AlgorithmIdentifierOwned {
            oid: ObjectIdentifier::new_unwrap("2.16.840.1.101.3.4.2.1"),
            parameters: Some(der::asn1::Null.into()),
        },
        issuer_name_hash: octets(&sha2::Sha256::digest(subject)),
        issuer_key_hash: octets(&sha2::Sha256::digest(key)),
        serial_number: serial.clone(),
    };
    let issuer = Certificate::from_der(ca.der()).unwrap();
    assert_eq!(
        cert_id(CertIdHash::Sha256, &issuer, serial.clone()).unwrap(),
        sha256
    );
    let by_key = x509_ocsp::ResponderId::ByKey(octets(&sha1::Sha1::digest(key)));
    let der = custom(&ca, sha256.clone(), by_key);
    assert_eq!(
        verify_response(&der, leaf.der(), ca.der(), NOW),
        Ok(Status::Good)
    );
    let info = describe(&der).unwrap();
    assert_eq!(info.responses[0].hash_algorithm, "sha256");
    assert_eq!(
        info.responses[0].issuer_key_hash,
        hex::encode(sha2::Sha256::digest(key))
    );
    assert_eq!(
        info.responder_id.unwrap(),
        format!("byKey: {}", hex::encode(sha1::Sha1::digest(key)))
    );

    // MD5 CertIDs cannot be matched.
    let mut md5 = sha256;
    md5.hash_algorithm.oid = ObjectIdentifier::new_unwrap("1.2.840.113549.2.5");
    let by_name = x509_ocsp::ResponderId::ByName(issuer.tbs_certificate.subject.clone());
    let der = custom(&ca, md5, by_name);
    assert!(matches!(
        verify_response(&der, leaf.der(), ca.der(), NOW),
        Err(ResponseError::UnsupportedAlgorithm(_))
    ));
}

#[test]
fn unsuccessful_and_malformed_responses_are_refused() {
    let (ca, leaf) = ca_and_leaf(KeyType::EcdsaP256);
    let try_later = x509_ocsp::OcspResponse::try_later().to_der().unwrap();
    assert_eq!(
        verify_response(&try_later, leaf.der(), ca.der(), NOW),
        Err(ResponseError::Unsuccessful("tryLater".into()))
    );
    let info = describe(&try_later).unwrap();
    assert_eq!(info.response_status, "tryLater");
    assert!(info.responder_id.is_none() && info.responses.is_empty());

    let good = by_ca(&params(CertStatus::Good), &ca, &leaf);
    for garbage in [&b"not DER"[..], &good[..good.len() - 1], leaf.der()] {
        let result = verify_response(garbage, leaf.der(), ca.der(), NOW);
        assert!(
            matches!(result, Err(ResponseError::Malformed(_))),
            "{result:?}"
        );
        assert!(describe(garbage).is_err());
    }
    assert!(matches!(
        verify_response(&good, b"junk", ca.der(), NOW),
        Err(ResponseError::Malformed(_))
    ));
}

#[test]
fn errors_are_one_line_and_map_to_ocsp_invalid_response() {
    for error in [
        ResponseError::Malformed("x".into()),
        ResponseError::Unsuccessful("tryLater".into()),
        ResponseError::NoMatchingCertId,
        ResponseError::SignerNotAuthorized("x".into()),
        ResponseError::BadSignature,
        ResponseError::NotYetValid,
        ResponseError::Expired,
        ResponseError::UnsupportedAlgorithm("x".into()),
    ] {
        let text = error.to_string();
        assert!(!text.is_empty() && !text.contains('\n'), "{text}");
    }
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
            Ok(Status::Good),
            "{key_type}"
        );
        let broken = broken(&ca, &leaf, &params(CertStatus::Good));
        assert_eq!(
            verify_response(&broken.delegate, leaf.der(), ca.der(), NOW),
            Ok(Status::Good),
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
        .sign(leaf.der(), ca.der(), delegate.der(), delegate.key(), true)
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

// ---- Cross-checks with OpenSSL and Python's cryptography ----

fn tool(program: &str) -> Command {
    let mut command = Command::new(program);
    command.env("OPENSSL_CONF", "/dev/null");
    command
}

fn write(dir: &Path, name: &str, bytes: impl AsRef<[u8]>) -> String {
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    path.to_str().unwrap().to_string()
}

/// `openssl ocsp` on a response: (verified, output).
fn openssl_ocsp(dir: &Path, response: &[u8], name: &str) -> (bool, String) {
    let resp = write(dir, &format!("{name}.der"), response);
    let ca = dir.join("ca.pem");
    let leaf = dir.join("leaf.pem");
    let output = tool("openssl")
        .args(["ocsp", "-respin", &resp, "-resp_text"])
        .arg("-issuer")
        .arg(&ca)
        .arg("-cert")
        .arg(&leaf)
        .arg("-CAfile")
        .arg(&ca)
        .output()
        .expect("openssl must be installed for this test");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    (text.contains("Response verify OK"), text)
}

#[test]
fn openssl_verifies_what_we_accept_and_refuses_what_we_refuse() {
    // Response times around the real clock: openssl checks them against it.
    let now = OffsetDateTime::now_utc().replace_nanosecond(0).unwrap();
    let timely = |status| params_at(now, status);
    for key_type in KEY_TYPES {
        let dir = tempfile::tempdir().unwrap();
        let (ca, leaf) = ca_and_leaf(key_type);
        write(dir.path(), "ca.pem", ca.pem());
        write(dir.path(), "leaf.pem", leaf.pem());
        let statuses: &[(CertStatus, &str)] = if key_type == KeyType::EcdsaP256 {
            &[
                (CertStatus::Good, "good"),
                (revoked(), "revoked"),
                (CertStatus::Unknown, "unknown"),
            ]
        } else {
            &[(CertStatus::Good, "good")]
        };
        for (status, word) in statuses {
            let der = by_ca(&timely(*status), &ca, &leaf);
            let (ok, text) = openssl_ocsp(dir.path(), &der, word);
            assert!(ok, "{key_type} {word}: {text}");
            assert!(
                text.contains(&format!("leaf.pem: {word}")),
                "{key_type}: {text}"
            );
            assert!(!text.contains("Status times invalid"), "{key_type}: {text}");
        }
        let broken = broken(&ca, &leaf, &timely(CertStatus::Good));
        let (ok, text) = openssl_ocsp(dir.path(), &broken.delegate, "delegate");
        assert!(ok, "{key_type} delegate: {text}");
        assert!(text.contains("leaf.pem: good"), "{key_type}: {text}");
        for (name, der) in [
            ("foreign-key", &broken.foreign_key_with_ca_name),
            ("foreign-ca", &broken.foreign_ca_name),
            ("no-eku", &broken.delegate_without_eku),
        ] {
            let (ok, text) = openssl_ocsp(dir.path(), der, name);
            assert!(!ok, "{key_type} {name} verified: {text}");
            assert!(
                text.contains("Response Verify Failure"),
                "{key_type} {name}: {text}"
            );
        }
        // OpenSSL reads our request as one for the leaf.
        let req = write(
            dir.path(),
            "req.der",
            request_der(leaf.der(), ca.der()).unwrap(),
        );
        let output = tool("openssl")
            .args(["ocsp", "-reqin", &req, "-req_text", "-noverify"])
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&output.stdout);
        let serial = serial_of(leaf.der());
        let serial_hex = hex::encode_upper(serial.as_bytes());
        assert!(text.contains("Hash Algorithm: sha1"), "{text}");
        assert!(text.contains(&serial_hex), "{serial_hex} not in {text}");
    }
}

/// A Python that imports `module`: `$PKIGEN_PYTHON` (or `$PKIGEN_PYTHON_OCSP` for `ocsp`),
/// else the integration tests' venv of that flavour (`target/pyenv`: PyMongo 4.20.0 and
/// pyca/cryptography; `target/pyenv-ocsp`: `pymongo[ocsp]`), made by
/// `tests/python/ensure_venv.sh` if missing. A cross-check with no engine to run fails; it
/// never skips.
fn python_with(flavour: Flavour, module: &str) -> String {
    static PLAIN: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    static OCSP: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    let (cell, variable, dir, name) = match flavour {
        Flavour::Plain => (&PLAIN, "PKIGEN_PYTHON", "target/pyenv", "plain"),
        Flavour::Ocsp => (&OCSP, "PKIGEN_PYTHON_OCSP", "target/pyenv-ocsp", "ocsp"),
    };
    let python = cell.get_or_init(|| {
        if let Ok(python) = std::env::var(variable) {
            return python;
        }
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let venv = root.join(dir);
        let made = Command::new("sh")
            .arg(root.join("tests/python/ensure_venv.sh"))
            .arg(&venv)
            .arg(name)
            .stderr(std::process::Stdio::inherit())
            .output()
            .expect("run tests/python/ensure_venv.sh");
        assert!(
            made.status.success(),
            "ensure_venv.sh {dir} {name} failed; set {variable} to a prepared python"
        );
        venv.join("bin/python").to_string_lossy().into_owned()
    });
    let imports = tool(python)
        .args(["-c", &format!("import {module}")])
        .output()
        .is_ok_and(|o| o.status.success());
    assert!(imports, "{python} cannot import {module}");
    python.clone()
}

/// Which of the integration tests' venvs a cross-check runs in.
enum Flavour {
    Plain,
    Ocsp,
}

const PY_LOAD: &str = r#"
import sys
from cryptography.x509 import ocsp
for path in sys.argv[1:]:
    r = ocsp.load_der_ocsp_response(open(path, "rb").read())
    reason = r.revocation_reason.name if r.revocation_reason else None
    print(r.response_status.name, r.certificate_status.name, format(r.serial_number, "x"),
          r.signature_algorithm_oid.dotted_string, len(r.certificates), reason)
"#;

#[test]
fn python_cryptography_loads_every_response() {
    let python = python_with(Flavour::Plain, "cryptography.x509.ocsp");
    let dir = tempfile::tempdir().unwrap();
    let mut paths = Vec::new();
    let mut expected = Vec::new();
    for (key_type, oid) in KEY_TYPES.into_iter().zip([
        "1.2.840.10045.4.3.2",
        "1.2.840.10045.4.3.3",
        "1.3.101.112",
        "1.2.840.113549.1.1.11",
    ]) {
        let (ca, leaf) = ca_and_leaf(key_type);
        let serial = serial_of(leaf.der());
        let serial = hex::encode(serial.as_bytes())
            .trim_start_matches('0')
            .to_string();
        for (status, word) in [
            (CertStatus::Good, "GOOD None"),
            (revoked(), "REVOKED key_compromise"),
            (CertStatus::Unknown, "UNKNOWN None"),
        ] {
            let der = by_ca(&params(status), &ca, &leaf);
            paths.push(write(dir.path(), &format!("{key_type}-{word}.der"), der));
            let (status, reason) = word.split_once(' ').unwrap();
            expected.push(format!("SUCCESSFUL {status} {serial} {oid} 0 {reason}"));
        }
        let broken = broken(&ca, &leaf, &params(CertStatus::Good));
        for (name, der) in [
            ("delegate", &broken.delegate),
            ("foreign-key", &broken.foreign_key_with_ca_name),
            ("no-eku", &broken.delegate_without_eku),
        ] {
            paths.push(write(dir.path(), &format!("{key_type}-{name}.der"), der));
            expected.push(format!("SUCCESSFUL GOOD {serial} {oid} 1 None"));
        }
    }
    let output = tool(&python)
        .args(["-c", PY_LOAD])
        .args(&paths)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines, expected);
}

const PY_PYMONGO: &str = r#"
import sys
from cryptography import x509
from cryptography.x509 import ocsp
from pymongo.ocsp_support import _verify_response
issuer = x509.load_der_x509_certificate(open(sys.argv[1], "rb").read())
for path in sys.argv[2:]:
    try:
        r = ocsp.load_der_ocsp_response(open(path, "rb").read())
        ok = r.response_status == ocsp.OCSPResponseStatus.SUCCESSFUL and _verify_response(issuer, r)
        print("accept " + r.certificate_status.name if ok else "reject")
    except Exception as e:
        print("error " + type(e).__name__)
"#;

/// PyMongo's own `_verify_response` (pymongo/ocsp_support.py, the staple path's check after
/// the status) agrees with `verify_response` on every fixture, except the one documented
/// difference: PyMongo never compares the staple's CertID with the leaf.
#[test]
fn pymongo_verify_response_agrees() {
    let python = python_with(Flavour::Ocsp, "pymongo.ocsp_support");
    // PyMongo checks against the wall clock.
    let now = OffsetDateTime::now_utc().replace_nanosecond(0).unwrap();
    let timely = |status| params_at(now, status);
    let verdict = |result: Result<Status, ResponseError>| match result {
        Ok(Status::Good) => "accept GOOD",
        Ok(Status::Revoked) => "accept REVOKED",
        Ok(Status::Unknown) => "accept UNKNOWN",
        Err(_) => "reject",
    };
    for key_type in KEY_TYPES {
        let dir = tempfile::tempdir().unwrap();
        let (ca, leaf) = ca_and_leaf(key_type);
        let other = self::leaf(&ca, 3, Purpose::ServerAuth);
        let broken = broken(&ca, &leaf, &timely(CertStatus::Good));
        let impostor = self::ca(key_type, 901, "pkigen OCSP CA");
        let impostor_delegate = self::leaf(&impostor, 905, Purpose::OcspSigning);
        let mut tampered = by_ca(&timely(CertStatus::Good), &ca, &leaf);
        *tampered.last_mut().unwrap() ^= 1;
        let cases: Vec<(&str, Vec<u8>)> = vec![
            ("good", by_ca(&timely(CertStatus::Good), &ca, &leaf)),
            ("revoked", by_ca(&timely(revoked()), &ca, &leaf)),
            ("unknown", by_ca(&timely(CertStatus::Unknown), &ca, &leaf)),
            (
                "stale",
                by_ca(
                    &OcspParams {
                        this_update: now - Duration::days(2),
                        next_update: Some(now - Duration::days(1)),
                        ..timely(CertStatus::Good)
                    },
                    &ca,
                    &leaf,
                ),
            ),
            (
                "future",
                by_ca(
                    &OcspParams {
                        this_update: now + Duration::hours(1),
                        ..timely(CertStatus::Good)
                    },
                    &ca,
                    &leaf,
                ),
            ),
            ("tampered", tampered),
            ("foreign-key", broken.foreign_key_with_ca_name),
            ("foreign-ca", broken.foreign_ca_name),
            ("no-eku", broken.delegate_without_eku),
            ("delegate", broken.delegate),
            (
                "impostor-delegate",
                timely(CertStatus::Good)
                    .sign(
                        leaf.der(),
                        ca.der(),
                        impostor_delegate.der(),
                        impostor_delegate.key(),
                        true,
                    )
                    .unwrap()
                    .der()
                    .to_vec(),
            ),
            (
                "try-later",
                x509_ocsp::OcspResponse::try_later().to_der().unwrap(),
            ),
            (
                "other-serial",
                by_ca(&timely(CertStatus::Good), &ca, &other),
            ),
        ];
        let issuer = write(dir.path(), "ca.der", ca.der());
        let paths: Vec<String> = cases
            .iter()
            .map(|(name, der)| write(dir.path(), &format!("{name}.der"), der))
            .collect();
        let output = tool(&python)
            .args(["-c", PY_PYMONGO, &issuer])
            .args(&paths)
            .output()
            .unwrap();
        let stdout = String::from_utf8_lossy(&output.stdout);
        assert!(
            output.status.success(),
            "{stdout}{}",
            String::from_utf8_lossy(&output.stderr)
        );
        let pymongo: Vec<&str> = stdout.lines().collect();
        assert_eq!(pymongo.len(), cases.len(), "{stdout}");
        for ((name, der), pymongo) in cases.iter().zip(pymongo) {
            let ours = verify_response(der, leaf.der(), ca.der(), now);
            if *name == "other-serial" {
                // The documented difference: PyMongo takes a staple about another
                // certificate at its word.
                assert_eq!(ours, Err(ResponseError::NoMatchingCertId));
                assert_eq!(pymongo, "accept GOOD", "{key_type} {name}");
            } else {
                assert_eq!(
                    pymongo,
                    verdict(ours.clone()),
                    "{key_type} {name}: {ours:?}"
                );
            }
        }
    }
}
