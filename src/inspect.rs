//! `pkigen inspect`: what a certificate, chain or key file holds, in words or JSON.
//! Anything else is refused with one line naming the file and what was found.

use crate::encoding::{looks_like_pem, one_line, parse_pem_blocks};
use crate::error::Error;
use crate::keys::KeyPair;
use serde::Serialize;
use std::fmt::Write as _;
use std::path::Path;
use x509_parser::prelude::{FromDer, GeneralName, X509Certificate};

/// One object found in a file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "type", rename_all = "kebab-case")]
pub enum Item {
    Certificate(CertificateInfo),
    PrivateKey(KeyInfo),
    Crl(CrlInfo),
    OcspResponse(crate::ocsp::OcspInfo),
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CrlInfo {
    pub issuer: String,
    pub this_update: String,
    pub next_update: Option<String>,
    pub crl_number: Option<String>,
    pub revoked: Vec<RevokedInfo>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RevokedInfo {
    pub serial: String,
    pub revoked_at: String,
    /// RFC 5280 reason name (`keyCompromise`…), if the entry gives one.
    pub reason: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CertificateInfo {
    pub subject: String,
    pub issuer: String,
    pub serial: String,
    pub not_before: String,
    pub not_after: String,
    pub subject_alt_names: Vec<String>,
    pub extended_key_usage: Vec<String>,
    pub is_ca: bool,
    pub self_signed: bool,
    pub key_type: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct KeyInfo {
    /// `pkcs8`, `pkcs8-encrypted`, `pkcs1` or `sec1`.
    pub format: String,
    /// Known only for unencrypted PKCS#8 keys.
    pub key_type: Option<String>,
    pub encrypted: bool,
}

/// Reads and describes `path`.
pub fn inspect_file(path: &Path) -> Result<Vec<Item>, Error> {
    let bytes = crate::input::read_bounded(path).map_err(|e| Error::io(path, e))?;
    inspect_bytes(path, &bytes)
}

/// Describes `bytes` (PEM or DER); `path` only names the file in errors.
pub fn inspect_bytes(path: &Path, bytes: &[u8]) -> Result<Vec<Item>, Error> {
    if !looks_like_pem(bytes) {
        return inspect_der(path, bytes).map(|item| vec![item]);
    }
    parse_pem_blocks(path, bytes)?
        .iter()
        .map(|block| match block.tag() {
            "CERTIFICATE" => certificate(path, block.contents()).map(Item::Certificate),
            "X509 CRL" => crl(path, block.contents()).map(Item::Crl),
            // Encrypted contents name no key type. Legacy encryption (Proc-Type headers) can
            // sit on any key tag: pkigen writes an Ed25519 key so under `PRIVATE KEY`.
            tag @ ("PRIVATE KEY" | "RSA PRIVATE KEY" | "EC PRIVATE KEY")
                if crate::encrypted::is_legacy_encrypted(block) =>
            {
                Ok(Item::PrivateKey(KeyInfo {
                    format: key_format(tag).into(),
                    key_type: None,
                    encrypted: true,
                }))
            }
            "ENCRYPTED PRIVATE KEY" => Ok(Item::PrivateKey(KeyInfo {
                format: "pkcs8-encrypted".into(),
                key_type: None,
                encrypted: true,
            })),
            "PRIVATE KEY" => Ok(Item::PrivateKey(pkcs8(path, block.contents())?)),
            "RSA PRIVATE KEY" => {
                traditional(path, Traditional::Pkcs1, block.contents()).map(Item::PrivateKey)
            }
            "EC PRIVATE KEY" => {
                traditional(path, Traditional::Sec1, block.contents()).map(Item::PrivateKey)
            }
            other => Err(Error::bad_file(
                path,
                format!(
                    "PEM block '{}' is not a certificate, CRL or private key: inspect takes those",
                    one_line(other)
                ),
            )),
        })
        .collect()
}

fn inspect_der(path: &Path, bytes: &[u8]) -> Result<Item, Error> {
    if let Ok(info) = certificate(path, bytes) {
        return Ok(Item::Certificate(info));
    }
    if let Ok(info) = crl(path, bytes) {
        return Ok(Item::Crl(info));
    }
    if let Ok(info) = crate::ocsp::describe(bytes) {
        return Ok(Item::OcspResponse(info));
    }
    pkcs8(path, bytes)
        .or_else(|_| traditional(path, Traditional::Sec1, bytes))
        .or_else(|_| traditional(path, Traditional::Pkcs1, bytes))
        .map(Item::PrivateKey)
        .map_err(|_| {
            Error::bad_file(
                path,
                "neither PEM nor a DER certificate, CRL, OCSP response or key: inspect takes those",
            )
        })
}

fn pkcs8(path: &Path, der: &[u8]) -> Result<KeyInfo, Error> {
    let key = KeyPair::from_pkcs8_der(der).map_err(|e| Error::bad_file(path, e.to_string()))?;
    Ok(KeyInfo {
        format: "pkcs8".into(),
        key_type: Some(key.key_type().to_string()),
        encrypted: false,
    })
}

/// OpenSSL's "traditional" unencrypted key forms, which carry no algorithm identifier.
#[derive(Clone, Copy)]
enum Traditional {
    /// `RSA PRIVATE KEY`, PKCS#1.
    Pkcs1,
    /// `EC PRIVATE KEY`, SEC1 (what `openssl ec -outform DER` writes).
    Sec1,
}

impl Traditional {
    fn name(self) -> &'static str {
        match self {
            Traditional::Pkcs1 => "pkcs1",
            Traditional::Sec1 => "sec1",
        }
    }
}

/// The `format` inspect reports for a key block's PEM tag.
fn key_format(tag: &str) -> &'static str {
    match tag {
        "RSA PRIVATE KEY" => Traditional::Pkcs1.name(),
        "EC PRIVATE KEY" => Traditional::Sec1.name(),
        _ => "pkcs8",
    }
}

/// A PKCS#1 or SEC1 key: its structure is parsed (not the key maths), which is enough to
/// name the key type and to refuse a corrupt file.
fn traditional(path: &Path, form: Traditional, der: &[u8]) -> Result<KeyInfo, Error> {
    use der::Decode;
    let key_type = match form {
        Traditional::Pkcs1 => {
            let key = rsa::pkcs1::RsaPrivateKey::from_der(der)
                .map_err(|e| Error::bad_file(path, format!("corrupt PKCS#1 RSA key: {e}")))?;
            let modulus = key.modulus.as_bytes();
            let leading = modulus.first().map_or(8, |b| b.leading_zeros() as usize);
            format!("rsa-{}", modulus.len() * 8 - leading.min(modulus.len() * 8))
        }
        Traditional::Sec1 => {
            let key = sec1::EcPrivateKey::from_der(der)
                .map_err(|e| Error::bad_file(path, format!("corrupt SEC1 EC key: {e}")))?;
            let curve = key
                .parameters
                .and_then(|p| p.named_curve())
                .map(|oid| oid.to_string());
            // Without parameters (RustCrypto writes none), the scalar's length names the curve.
            let by_length = match key.private_key.len() {
                32 => Some(P256_OID),
                48 => Some(P384_OID),
                _ => None,
            };
            ec_key_type(curve.as_deref().or(by_length))
        }
    };
    Ok(KeyInfo {
        format: form.name().into(),
        key_type: Some(key_type),
        encrypted: false,
    })
}

const P256_OID: &str = "1.2.840.10045.3.1.7";
const P384_OID: &str = "1.3.132.0.34";

/// pkigen's name for an EC key on the curve with this OID (dotted).
fn ec_key_type(curve: Option<&str>) -> String {
    match curve {
        Some(P256_OID) => "ecdsa-p256".into(),
        Some(P384_OID) => "ecdsa-p384".into(),
        Some(other) => format!("ecdsa ({other})"),
        None => "ecdsa".into(),
    }
}

fn certificate(path: &Path, der: &[u8]) -> Result<CertificateInfo, Error> {
    let (rest, cert) = X509Certificate::from_der(der)
        .map_err(|e| Error::bad_file(path, format!("corrupt certificate: {e}")))?;
    if !rest.is_empty() {
        return Err(Error::bad_file(
            path,
            "trailing bytes after the certificate",
        ));
    }
    let subject_alt_names = match cert.subject_alternative_name() {
        Ok(Some(san)) => san.value.general_names.iter().map(general_name).collect(),
        _ => Vec::new(),
    };
    let extended_key_usage = match cert.extended_key_usage() {
        Ok(Some(eku)) => {
            let eku = eku.value;
            let mut names: Vec<String> = [
                (eku.server_auth, "serverAuth"),
                (eku.client_auth, "clientAuth"),
                (eku.ocsp_signing, "OCSPSigning"),
            ]
            .into_iter()
            .filter(|(set, _)| *set)
            .map(|(_, name)| name.to_string())
            .collect();
            names.extend(eku.other.iter().map(|oid| oid.to_id_string()));
            names
        }
        _ => Vec::new(),
    };
    let validity = cert.validity();
    Ok(CertificateInfo {
        subject: cert.subject().to_string(),
        issuer: cert.issuer().to_string(),
        serial: cert.raw_serial_as_string(),
        not_before: rfc3339(validity.not_before.to_datetime()),
        not_after: rfc3339(validity.not_after.to_datetime()),
        subject_alt_names,
        extended_key_usage,
        is_ca: cert.is_ca(),
        self_signed: cert.subject() == cert.issuer() && cert.verify_signature(None).is_ok(),
        key_type: key_type(&cert),
    })
}

fn crl(path: &Path, der: &[u8]) -> Result<CrlInfo, Error> {
    use x509_parser::revocation_list::CertificateRevocationList;
    let (rest, crl) = CertificateRevocationList::from_der(der)
        .map_err(|e| Error::bad_file(path, format!("corrupt CRL: {e}")))?;
    if !rest.is_empty() {
        return Err(Error::bad_file(path, "trailing bytes after the CRL"));
    }
    let revoked = crl
        .iter_revoked_certificates()
        .map(|entry| RevokedInfo {
            serial: entry.raw_serial_as_string(),
            revoked_at: rfc3339(entry.revocation_date.to_datetime()),
            reason: entry
                .reason_code()
                .map(|(_, code)| crate::crl::reason_name(code.0).to_string()),
        })
        .collect();
    Ok(CrlInfo {
        issuer: crl.issuer().to_string(),
        this_update: rfc3339(crl.last_update().to_datetime()),
        next_update: crl.next_update().map(|t| rfc3339(t.to_datetime())),
        crl_number: crl.crl_number().map(|n| n.to_string()),
        revoked,
    })
}

fn rfc3339(t: time::OffsetDateTime) -> String {
    t.format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_else(|_| t.to_string())
}

fn general_name(name: &GeneralName<'_>) -> String {
    match name {
        GeneralName::DNSName(dns) => format!("DNS:{dns}"),
        GeneralName::IPAddress(bytes) => match bytes.len() {
            4 => format!(
                "IP:{}",
                std::net::Ipv4Addr::from(<[u8; 4]>::try_from(*bytes).expect("length 4"))
            ),
            16 => format!(
                "IP:{}",
                std::net::Ipv6Addr::from(<[u8; 16]>::try_from(*bytes).expect("length 16"))
            ),
            _ => format!("IP:{bytes:02x?}"),
        },
        other => other.to_string(),
    }
}

fn key_type(cert: &X509Certificate<'_>) -> String {
    use x509_parser::public_key::PublicKey;
    let spki = cert.public_key();
    match spki.parsed() {
        Ok(PublicKey::RSA(rsa)) => format!("rsa-{}", rsa.key_size()),
        Ok(PublicKey::EC(_)) => {
            let curve = spki
                .algorithm
                .parameters
                .as_ref()
                .and_then(|p| p.as_oid().ok())
                .map(|o| o.to_id_string());
            ec_key_type(curve.as_deref())
        }
        _ if spki.algorithm.algorithm.to_id_string() == "1.3.101.112" => "ed25519".into(),
        _ => spki.algorithm.algorithm.to_id_string(),
    }
}

/// The human-readable rendering of what `inspect` found in one file.
pub fn render_text(path: &Path, items: &[Item]) -> String {
    let mut out = String::new();
    for (i, item) in items.iter().enumerate() {
        let _ = writeln!(out, "{} [{}]", path.display(), i + 1);
        match item {
            Item::Certificate(c) => {
                let _ = writeln!(
                    out,
                    "  type:      certificate{}",
                    if c.is_ca { " (CA)" } else { "" }
                );
                let _ = writeln!(out, "  subject:   {}", c.subject);
                let _ = writeln!(
                    out,
                    "  issuer:    {}{}",
                    c.issuer,
                    if c.self_signed { " (self-signed)" } else { "" }
                );
                let _ = writeln!(out, "  serial:    {}", c.serial);
                let _ = writeln!(out, "  validity:  {} to {}", c.not_before, c.not_after);
                let _ = writeln!(out, "  names:     {}", or_none(&c.subject_alt_names));
                let _ = writeln!(out, "  purposes:  {}", or_none(&c.extended_key_usage));
                let _ = writeln!(out, "  key:       {}", c.key_type);
            }
            Item::Crl(c) => {
                let _ = writeln!(out, "  type:      certificate revocation list");
                let _ = writeln!(out, "  issuer:    {}", c.issuer);
                let _ = writeln!(out, "  updated:   {}", c.this_update);
                let _ = writeln!(
                    out,
                    "  next:      {}",
                    c.next_update.as_deref().unwrap_or("(none)")
                );
                let _ = writeln!(
                    out,
                    "  number:    {}",
                    c.crl_number.as_deref().unwrap_or("(none)")
                );
                let _ = writeln!(out, "  revoked:   {}", c.revoked.len());
                for r in &c.revoked {
                    let _ = writeln!(
                        out,
                        "    {}  {}  {}",
                        r.serial,
                        r.revoked_at,
                        r.reason.as_deref().unwrap_or("(no reason)")
                    );
                }
            }
            Item::OcspResponse(o) => {
                let _ = writeln!(out, "  type:      OCSP response ({})", o.response_status);
                if let Some(responder) = &o.responder_id {
                    let _ = writeln!(out, "  responder: {responder}");
                }
                if let Some(produced) = &o.produced_at {
                    let _ = writeln!(out, "  produced:  {produced}");
                }
                let _ = writeln!(out, "  certs:     {} included", o.certificates);
                for r in &o.responses {
                    let _ = writeln!(out, "  serial:    {}", r.serial);
                    let _ = writeln!(
                        out,
                        "  certid:    {} name {} key {}",
                        r.hash_algorithm, r.issuer_name_hash, r.issuer_key_hash
                    );
                    let revoked = match (&r.revocation_time, &r.revocation_reason) {
                        (Some(at), reason) => {
                            format!(" at {at} ({})", reason.as_deref().unwrap_or("no reason"))
                        }
                        _ => String::new(),
                    };
                    let _ = writeln!(out, "  status:    {}{revoked}", r.status);
                    let _ = writeln!(
                        out,
                        "  validity:  {} to {}",
                        r.this_update,
                        r.next_update.as_deref().unwrap_or("(no nextUpdate)")
                    );
                }
            }
            Item::PrivateKey(k) => {
                let _ = writeln!(out, "  type:      private key ({})", k.format);
                let _ = writeln!(
                    out,
                    "  key:       {}",
                    k.key_type
                        .as_deref()
                        .unwrap_or("(encrypted or legacy form)")
                );
                let _ = writeln!(out, "  encrypted: {}", k.encrypted);
            }
        }
    }
    out
}

fn or_none(list: &[String]) -> String {
    if list.is_empty() {
        "(none)".into()
    } else {
        list.join(", ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ca::Ca;

    /// Found by review: pkigen writes a legacy-encrypted Ed25519 key under `PRIVATE KEY`,
    /// which inspect tried to parse as a plain PKCS#8 key and refused.
    #[test]
    fn legacy_encrypted_keys_are_described_under_every_tag() {
        use crate::encrypted::{KeyEncryption, encrypt_pem};
        use crate::keys::{KeyPair, KeyType};
        for (key_type, format) in [
            (KeyType::Ed25519, "pkcs8"),
            (KeyType::EcdsaP256, "sec1"),
            (KeyType::Rsa2048, "pkcs1"),
        ] {
            let key = KeyPair::generate(key_type, &mut crate::Seed(3).rng("k")).unwrap();
            let pem = encrypt_pem(&key, "pw", KeyEncryption::LegacyPem).unwrap();
            let items = inspect_bytes(Path::new("k.pem"), pem.as_bytes()).unwrap();
            assert_eq!(
                items,
                [Item::PrivateKey(KeyInfo {
                    format: format.into(),
                    key_type: None,
                    encrypted: true
                })],
                "{key_type:?}"
            );
        }
    }

    #[test]
    fn describes_a_chain_and_a_key() {
        let ca = Ca::new().unwrap();
        let leaf = ca.issue(&["localhost", "127.0.0.1"]).unwrap();
        let items = inspect_bytes(Path::new("x.pem"), (leaf.pem() + &ca.pem()).as_bytes()).unwrap();
        let Item::Certificate(first) = &items[0] else {
            panic!("not a certificate")
        };
        assert_eq!(first.subject_alt_names, ["DNS:localhost", "IP:127.0.0.1"]);
        assert_eq!(first.extended_key_usage, ["serverAuth"]);
        assert_eq!(first.key_type, "ecdsa-p256");
        let Item::Certificate(second) = &items[1] else {
            panic!("not a certificate")
        };
        assert!(second.is_ca && second.self_signed);
        let key = inspect_bytes(Path::new("k.pem"), leaf.key_pem().as_bytes()).unwrap();
        assert_eq!(
            key[0],
            Item::PrivateKey(KeyInfo {
                format: "pkcs8".into(),
                key_type: Some("ecdsa-p256".into()),
                encrypted: false
            })
        );
    }

    #[test]
    fn refuses_other_things_in_one_line() {
        for (bytes, needle) in [
            (&b"hello"[..], "neither PEM nor"),
            (
                b"-----BEGIN X509 CRL-----\nMAA=\n-----END X509 CRL-----\n",
                "corrupt CRL",
            ),
            (
                b"-----BEGIN PKCS7-----\nMAA=\n-----END PKCS7-----\n",
                "'PKCS7' is not a certificate",
            ),
            (
                b"-----BEGIN CERTIFICATE-----\nMAA=\n-----END CERTIFICATE-----\n",
                "corrupt certificate",
            ),
            (b"-----BEGIN CERTIFICATE-----\nMAA", "corrupt PEM"),
        ] {
            let message = inspect_bytes(Path::new("f.pem"), bytes)
                .unwrap_err()
                .to_string();
            assert!(
                message.starts_with("f.pem: ") && message.contains(needle),
                "{message}"
            );
            assert!(!message.contains('\n'));
        }
    }
}
