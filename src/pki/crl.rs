//! Certificate revocation lists, signed by a CA with rcgen. Params in, signed `Crl` out;
//! the same content as PEM (`tlsCRLFile`) and DER.

use crate::error::Error;
use crate::pki::ca::Ca;
use crate::pki::encoding::pem_block;
use rcgen::{
    CertificateRevocationListParams, KeyIdMethod, RevocationReason, RevokedCertParams, SerialNumber,
};
use time::OffsetDateTime;

/// One revoked certificate.
#[derive(Debug, Clone)]
pub struct Revoked {
    pub serial: SerialNumber,
    pub revoked_at: OffsetDateTime,
    pub reason: RevocationReason,
}

/// What a CRL says.
#[derive(Debug, Clone)]
pub struct CrlParams {
    pub this_update: OffsetDateTime,
    /// Past `nextUpdate`, OpenSSL (and so PyMongo) refuses the CRL as expired.
    pub next_update: OffsetDateTime,
    pub number: u64,
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
                    serial_number: r.serial.clone(),
                    revocation_time: r.revoked_at,
                    reason_code: Some(r.reason),
                    invalidity_date: None,
                })
                .collect(),
            key_identifier_method: KeyIdMethod::Sha256,
        };
        let crl = params.signed_by(&ca.issuer())?;
        Ok(Crl {
            der: crl.der().to_vec(),
        })
    }
}

/// RFC 5280 §5.3.1 CRLReason names, as CRLs and OCSP responses encode the reason.
pub fn reason_name(code: u8) -> &'static str {
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
    fn a_crl_lists_its_serials_and_is_signed_by_its_ca() {
        let ca = Ca::new().unwrap();
        let now = OffsetDateTime::now_utc().replace_nanosecond(0).unwrap();
        let crl = CrlParams {
            this_update: now,
            next_update: now + time::Duration::days(30),
            number: 7,
            revoked: vec![Revoked {
                serial: SerialNumber::from(0x42u64),
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
        assert!(crl.pem().starts_with("-----BEGIN X509 CRL-----\n"));
    }
}
