//! Each way `verify_response` refuses a response, and the forms it accepts beyond the ones
//! signed here (SHA-256 CertIDs, byKey responder IDs).

use super::*;
use crate::ocsp::build::{KeySigner, RawSignature};
use der::Encode;
use x509_ocsp::builder::OcspResponseBuilder;

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
        Ok(CertStatus::Good)
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
        Ok(CertStatus::Good)
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
        Ok(CertStatus::Good)
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
        .signed_by(
            &leaf,
            &ca,
            Signer::Forged {
                named: &ca,
                key: &other,
            },
            SignerCertificate::Omitted,
        )
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
    for status in [CertStatus::Good, revoked()] {
        let broken = broken(&ca, &leaf, &params(status));
        assert_eq!(
            verify_response(&broken.delegate, leaf.der(), ca.der(), NOW),
            Ok(status)
        );
    }
    // Without its certificate in the response, the client cannot know the delegate.
    let delegate = self::leaf(&ca, 904, Purpose::OcspSigning);
    let der = params(CertStatus::Good)
        .signed_by(
            &leaf,
            &ca,
            Signer::Delegate(&delegate),
            SignerCertificate::Omitted,
        )
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
        .signed_by(
            &leaf,
            &ca,
            Signer::Delegate(&delegate),
            SignerCertificate::Included,
        )
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
        .signed_by(
            &twin,
            &other_ca,
            Signer::OtherCa(&ca),
            SignerCertificate::Omitted,
        )
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
        Ok(CertStatus::Good)
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
