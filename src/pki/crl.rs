//! Certificate revocation lists, signed by a CA with rcgen. Params in, signed `Crl` out;
//! the same content as PEM (`tlsCRLFile`) and DER.

use crate::error::Error;
use crate::pki::ca::Ca;
use crate::pki::encoding::pem_block;
use crate::pki::serial::Serial;
use rcgen::{CertificateRevocationListParams, KeyIdMethod, RevokedCertParams, SerialNumber};
use time::OffsetDateTime;

/// Why a certificate was revoked: the RFC 5280 §5.3.1 CRLReason codes a CRL entry may carry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum RevocationReason {
    /// No reason given (code 0).
    Unspecified,
    /// The certificate's private key leaked (code 1).
    KeyCompromise,
    /// The issuing CA's private key leaked (code 2).
    CaCompromise,
    /// The subject's name or other information changed (code 3).
    AffiliationChanged,
    /// A new certificate replaces this one (code 4).
    Superseded,
    /// The certificate is no longer needed (code 5).
    CessationOfOperation,
    /// Suspended, and may be reinstated (code 6).
    CertificateHold,
    /// A delta CRL lifts an earlier hold (code 8).
    RemoveFromCrl,
    /// A privilege the certificate carried was withdrawn (code 9).
    PrivilegeWithdrawn,
    /// The attribute authority's key leaked (code 10).
    AaCompromise,
}

impl RevocationReason {
    /// The RFC 5280 name, as CRLs and OCSP responses print it (`keyCompromise`).
    pub fn name(self) -> &'static str {
        reason_name(self.code())
    }

    /// The CRLReason code as encoded in a CRL entry.
    pub fn code(self) -> u8 {
        match self {
            RevocationReason::Unspecified => 0,
            RevocationReason::KeyCompromise => 1,
            RevocationReason::CaCompromise => 2,
            RevocationReason::AffiliationChanged => 3,
            RevocationReason::Superseded => 4,
            RevocationReason::CessationOfOperation => 5,
            RevocationReason::CertificateHold => 6,
            RevocationReason::RemoveFromCrl => 8,
            RevocationReason::PrivilegeWithdrawn => 9,
            RevocationReason::AaCompromise => 10,
        }
    }

    fn to_rcgen(self) -> rcgen::RevocationReason {
        use rcgen::RevocationReason as R;
        match self {
            RevocationReason::Unspecified => R::Unspecified,
            RevocationReason::KeyCompromise => R::KeyCompromise,
            RevocationReason::CaCompromise => R::CaCompromise,
            RevocationReason::AffiliationChanged => R::AffiliationChanged,
            RevocationReason::Superseded => R::Superseded,
            RevocationReason::CessationOfOperation => R::CessationOfOperation,
            RevocationReason::CertificateHold => R::CertificateHold,
            RevocationReason::RemoveFromCrl => R::RemoveFromCrl,
            RevocationReason::PrivilegeWithdrawn => R::PrivilegeWithdrawn,
            RevocationReason::AaCompromise => R::AaCompromise,
        }
    }
}

/// One revoked certificate.
#[derive(Debug, Clone)]
pub struct Revoked {
    /// The revoked certificate's serial number.
    pub serial: Serial,
    /// When it was revoked.
    pub revoked_at: OffsetDateTime,
    /// Why it was revoked.
    pub reason: RevocationReason,
}

/// What a CRL says.
#[derive(Debug, Clone)]
pub struct CrlParams {
    /// When the CRL was issued; after the validation time, OpenSSL refuses it as not yet valid.
    pub this_update: OffsetDateTime,
    /// Past `nextUpdate`, OpenSSL (and so PyMongo) refuses the CRL as expired.
    pub next_update: OffsetDateTime,
    /// The CRL number extension: a later CRL of the same CA carries a larger one.
    pub number: u64,
    /// The certificates it lists.
    pub revoked: Vec<Revoked>,
}

impl CrlParams {
    /// Signs the CRL with `ca`'s key (rcgen checks that the CA may sign CRLs).
    pub fn signed_by(&self, ca: &Ca) -> Result<Crl, Error> {
        let params = CertificateRevocationListParams {
            this_update: self.this_update,
            next_update: self.next_update,
            crl_number: SerialNumber::from(self.number),
            issuing_distribution_point: None,
            revoked_certs: self
                .revoked
                .iter()
                .map(|r| RevokedCertParams {
                    serial_number: r.serial.to_rcgen(),
                    revocation_time: r.revoked_at,
                    reason_code: Some(r.reason.to_rcgen()),
                    invalidity_date: None,
                })
                .collect(),
            key_identifier_method: KeyIdMethod::Sha256,
        };
        let crl = params.signed_by(&ca.issuer()).map_err(|e| {
            Error::certificate(format!("CRL {} of {}", self.number, ca.common_name()), e)
        })?;
        Ok(Crl {
            der: crl.der().to_vec(),
        })
    }
}

/// RFC 5280 §5.3.1 CRLReason names by code, as CRLs and OCSP responses encode the reason;
/// `unknown` for a code RFC 5280 does not define.
pub(crate) fn reason_name(code: u8) -> &'static str {
    match code {
        0 => "unspecified",
        1 => "keyCompromise",
        2 => "cACompromise",
        3 => "affiliationChanged",
        4 => "superseded",
        5 => "cessationOfOperation",
        6 => "certificateHold",
        8 => "removeFromCRL",
        9 => "privilegeWithdrawn",
        10 => "aACompromise",
        _ => "unknown",
    }
}

/// A signed CRL.
#[derive(Debug, Clone)]
pub struct Crl {
    der: Vec<u8>,
}

impl Crl {
    /// The CRL, DER: what `CertificateRevocationListDer` and `openssl crl -inform DER` take.
    pub fn der(&self) -> &[u8] {
        &self.der
    }

    /// `-----BEGIN X509 CRL-----`, what `openssl crl` writes.
    pub fn pem(&self) -> String {
        pem_block("X509 CRL", &self.der)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use x509_parser::prelude::{FromDer, X509Certificate};
    use x509_parser::revocation_list::CertificateRevocationList;

    #[test]
    fn reasons_carry_their_rfc_5280_codes_and_names() {
        for (reason, code, name) in [
            (RevocationReason::Unspecified, 0, "unspecified"),
            (RevocationReason::KeyCompromise, 1, "keyCompromise"),
            (RevocationReason::CertificateHold, 6, "certificateHold"),
            (RevocationReason::RemoveFromCrl, 8, "removeFromCRL"),
            (RevocationReason::AaCompromise, 10, "aACompromise"),
        ] {
            assert_eq!((reason.code(), reason.name()), (code, name));
        }
    }

    #[test]
    fn a_crl_lists_its_serials_and_is_signed_by_its_ca() {
        let ca = Ca::new().unwrap();
        let now = OffsetDateTime::now_utc().replace_nanosecond(0).unwrap();
        let crl = CrlParams {
            this_update: now,
            next_update: now + time::Duration::days(30),
            number: 7,
            revoked: vec![Revoked {
                serial: Serial::from(0x42u64),
                revoked_at: now - time::Duration::hours(1),
                reason: RevocationReason::KeyCompromise,
            }],
        }
        .signed_by(&ca)
        .unwrap();
        let (_, parsed) = CertificateRevocationList::from_der(crl.der()).unwrap();
        let (_, ca_cert) = X509Certificate::from_der(ca.der()).unwrap();
        assert!(parsed.verify_signature(ca_cert.public_key()).is_ok());
        assert_eq!(parsed.issuer(), ca_cert.subject());
        let serials: Vec<_> = parsed
            .iter_revoked_certificates()
            .map(|r| r.raw_serial().to_vec())
            .collect();
        assert_eq!(serials, [vec![0x42]]);
        let reasons: Vec<u8> = parsed
            .iter_revoked_certificates()
            .filter_map(|r| r.reason_code().map(|(_, code)| code.0))
            .collect();
        assert_eq!(reasons, [RevocationReason::KeyCompromise.code()]);
        assert!(crl.pem().starts_with("-----BEGIN X509 CRL-----\n"));
    }
}
