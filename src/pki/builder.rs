//! CAs and leaves with sensible defaults, for tests that need "some PKI" rather than a
//! particular fixture: `Ca::new()` and `ca.issue(..)` as one-liners, like Python's trustme,
//! and builders to change a default or two (key type, validity, purpose, seed) without
//! spelling out every field of [`CaParams`] or [`LeafParams`].
//!
//! Without a seed, keys and serials come from the operating system's random source (and
//! keys from aws-lc-rs, which is fast). With one, they derive from the seed and a label, so
//! the same seed, names and validity give byte-identical certificates.

use crate::error::Error;
use crate::pki::ca::{Ca, CaParams};
use crate::pki::keys::{KeyPair, KeyType};
use crate::pki::leaf::{Leaf, LeafParams, Purpose};
use crate::pki::seed::Seed;
use crate::pki::serial::Serial;
use time::{Duration, OffsetDateTime};

/// The common name of a root CA nobody named, before its serial's first bytes: two
/// throwaway CAs never share a name, so a client trusting one finds no issuer for the
/// other's leaves (rather than a bad signature from the namesake it does trust).
const DEFAULT_ROOT_NAME: &str = "pkigen throwaway CA";
/// The same for an intermediate CA nobody named.
const DEFAULT_INTERMEDIATE_NAME: &str = "pkigen intermediate CA";
/// How long a CA nobody gave a validity lasts.
const DEFAULT_CA_LIFETIME: Duration = Duration::days(3650);
/// How far back a validity given as a length starts, so a client whose clock runs a little
/// behind still accepts the certificate.
const BACKDATE: Duration = Duration::days(1);

/// When a certificate is valid, as a builder was told.
#[derive(Debug, Clone, Copy)]
enum Validity {
    /// The builder's default: see each builder.
    Default,
    /// From [`BACKDATE`] ago until this long from now.
    For(Duration),
    /// Exactly these two times.
    Between(OffsetDateTime, OffsetDateTime),
}

impl Validity {
    fn resolve(
        self,
        default: impl FnOnce() -> (OffsetDateTime, OffsetDateTime),
    ) -> (OffsetDateTime, OffsetDateTime) {
        match self {
            Validity::Default => default(),
            Validity::For(length) => {
                let now = OffsetDateTime::now_utc();
                (now - BACKDATE, now + length)
            }
            Validity::Between(not_before, not_after) => (not_before, not_after),
        }
    }
}

/// The key `seed` gives for `label`, or a random one.
fn key(key_type: KeyType, seed: Option<Seed>, label: &str) -> Result<KeyPair, Error> {
    match seed {
        Some(seed) => KeyPair::from_seed(key_type, seed, label),
        None => KeyPair::random(key_type),
    }
}

/// The serial `seed` gives for `label`, or a random one.
fn serial(seed: Option<Seed>, label: &str) -> Serial {
    seed.map_or_else(Serial::random, |seed| seed.serial(label))
}

/// A root or intermediate CA to build: [`Ca::builder`] or [`Ca::intermediate`].
///
/// ```
/// use pkigen::{Ca, KeyType, Seed};
/// use time::Duration;
/// let root = Ca::builder()
///     .common_name("test root")
///     .key_type(KeyType::Rsa2048)
///     .valid_for(Duration::days(30))
///     .build()?;
/// let intermediate = root.intermediate().common_name("test issuing CA").build()?;
/// assert!(root.is_root() && !intermediate.is_root());
/// assert_eq!(intermediate.key().key_type(), KeyType::Rsa2048);
/// # Ok::<(), pkigen::Error>(())
/// ```
#[derive(Debug, Clone)]
#[must_use = "a builder does nothing until `build`"]
pub struct CaBuilder<'a> {
    issuer: Option<&'a Ca>,
    common_name: Option<String>,
    key_type: Option<KeyType>,
    validity: Validity,
    serial: Option<Serial>,
    path_len: Option<u8>,
    seed: Option<Seed>,
}

impl<'a> CaBuilder<'a> {
    fn new(issuer: Option<&'a Ca>) -> CaBuilder<'a> {
        CaBuilder {
            issuer,
            common_name: None,
            key_type: None,
            validity: Validity::Default,
            serial: None,
            path_len: None,
            seed: None,
        }
    }

    /// The subject's CN (default: `pkigen throwaway CA` for a root, `pkigen intermediate
    /// CA` for an intermediate, followed by the first bytes of its serial in hex).
    pub fn common_name(mut self, common_name: impl Into<String>) -> Self {
        self.common_name = Some(common_name.into());
        self
    }

    /// The CA key's algorithm (default: ECDSA P-256 for a root, the issuer's for an
    /// intermediate). Leaves of the CA get the same unless told otherwise.
    pub fn key_type(mut self, key_type: KeyType) -> Self {
        self.key_type = Some(key_type);
        self
    }

    /// Valid from a day ago until `length` from now (default: ten years for a root, the
    /// issuer's validity for an intermediate).
    pub fn valid_for(mut self, length: Duration) -> Self {
        self.validity = Validity::For(length);
        self
    }

    /// Valid from `not_before` to `not_after`, exactly: with a seed, the way to get the same
    /// bytes on every run. Nothing checks the order, so a CA that was never valid can be
    /// built too.
    pub fn validity(mut self, not_before: OffsetDateTime, not_after: OffsetDateTime) -> Self {
        self.validity = Validity::Between(not_before, not_after);
        self
    }

    /// The certificate's serial number (default: random, or from the seed).
    pub fn serial(mut self, serial: Serial) -> Self {
        self.serial = Some(serial);
        self
    }

    /// At most `n` intermediates may follow this CA in a chain (default: no limit).
    pub fn path_len(mut self, n: u8) -> Self {
        self.path_len = Some(n);
        self
    }

    /// Derives the CA's key and serial from `seed`, and by default those of everything it
    /// issues, instead of the operating system's random source (an intermediate without a
    /// seed of its own uses its issuer's). With [`validity`](CaBuilder::validity) too, every
    /// run gives the same bytes. Labels come from the names, so two unnamed intermediates of
    /// one seeded CA are the same CA: name them.
    pub fn seed(mut self, seed: Seed) -> Self {
        self.seed = Some(seed);
        self
    }

    /// Generates the key and signs the certificate: self-signed for a root, by the issuer
    /// for an intermediate.
    pub fn build(self) -> Result<Ca, Error> {
        let issuer = self.issuer;
        let seed = self.seed.or(issuer.and_then(Ca::seed));
        // A root's labels are the ones `Ca::new` has always used; an intermediate's name it.
        let label = match (issuer, &self.common_name) {
            (None, _) => "ca".to_string(),
            (Some(_), Some(name)) => format!("ca/{name}"),
            (Some(_), None) => "ca/intermediate".to_string(),
        };
        let serial = self.serial.unwrap_or_else(|| serial(seed, &label));
        let common_name = self.common_name.unwrap_or_else(|| {
            let prefix = match issuer {
                None => DEFAULT_ROOT_NAME,
                Some(_) => DEFAULT_INTERMEDIATE_NAME,
            };
            let bytes = serial.as_bytes();
            format!("{prefix} {}", hex::encode(&bytes[..bytes.len().min(6)]))
        });
        let key_type = self
            .key_type
            .or(issuer.map(|ca| ca.key().key_type()))
            .unwrap_or_default();
        let (not_before, not_after) = self.validity.resolve(|| match issuer {
            Some(ca) => ca.validity(),
            None => {
                let now = OffsetDateTime::now_utc();
                (now - BACKDATE, now + DEFAULT_CA_LIFETIME)
            }
        });
        let params = CaParams {
            serial,
            common_name,
            not_before,
            not_after,
            path_len: self.path_len,
        };
        let key = key(key_type, seed, &label)?;
        let ca = match issuer {
            None => params.self_signed(key)?,
            Some(issuer) => params.signed_by(key, issuer)?,
        };
        Ok(ca.with_seed(seed))
    }
}

/// A leaf certificate to build: [`Ca::leaf`].
///
/// ```
/// use pkigen::{Ca, Purpose};
/// let ca = Ca::new()?;
/// let client = ca.leaf(&[]).common_name("app").client_auth().build()?;
/// assert_eq!(client.purpose(), Purpose::ClientAuth);
/// # Ok::<(), pkigen::Error>(())
/// ```
#[derive(Debug, Clone)]
#[must_use = "a builder does nothing until `build`"]
pub struct LeafBuilder<'a> {
    ca: &'a Ca,
    names: Vec<String>,
    common_name: Option<String>,
    purpose: Purpose,
    key_type: Option<KeyType>,
    validity: Validity,
    serial: Option<Serial>,
    ocsp_url: Option<String>,
    must_staple: bool,
    seed: Option<Seed>,
}

impl LeafBuilder<'_> {
    /// The subject's CN (default: the first name, or `pkigen leaf` without names).
    pub fn common_name(mut self, common_name: impl Into<String>) -> Self {
        self.common_name = Some(common_name.into());
        self
    }

    /// What the certificate may be used for (default: a TLS server).
    pub fn purpose(mut self, purpose: Purpose) -> Self {
        self.purpose = purpose;
        self
    }

    /// A TLS client certificate, for mutual TLS: the same as
    /// `purpose(Purpose::ClientAuth)`.
    pub fn client_auth(self) -> Self {
        self.purpose(Purpose::ClientAuth)
    }

    /// The leaf key's algorithm (default: the CA's).
    pub fn key_type(mut self, key_type: KeyType) -> Self {
        self.key_type = Some(key_type);
        self
    }

    /// Valid from a day ago until `length` from now (default: as long as the CA).
    pub fn valid_for(mut self, length: Duration) -> Self {
        self.validity = Validity::For(length);
        self
    }

    /// Valid from `not_before` to `not_after`, exactly: an expired or not-yet-valid
    /// certificate is one call away.
    pub fn validity(mut self, not_before: OffsetDateTime, not_after: OffsetDateTime) -> Self {
        self.validity = Validity::Between(not_before, not_after);
        self
    }

    /// The certificate's serial number (default: random, or from the seed).
    pub fn serial(mut self, serial: Serial) -> Self {
        self.serial = Some(serial);
        self
    }

    /// An OCSP responder URL, in the Authority Information Access extension.
    pub fn ocsp_url(mut self, url: impl Into<String>) -> Self {
        self.ocsp_url = Some(url.into());
        self
    }

    /// The TLS Feature extension asking for a stapled OCSP response ("must-staple").
    pub fn must_staple(mut self) -> Self {
        self.must_staple = true;
        self
    }

    /// Derives the key and serial from `seed` and the common name (default: the CA's seed,
    /// if it has one; else random). Two leaves of one common name from one seed share
    /// their key and serial, so give them different seeds.
    pub fn seed(mut self, seed: Seed) -> Self {
        self.seed = Some(seed);
        self
    }

    /// Generates the key and has the CA sign the certificate.
    pub fn build(self) -> Result<Leaf, Error> {
        let ca = self.ca;
        let seed = self.seed.or(ca.seed());
        let common_name = self
            .common_name
            .or_else(|| self.names.first().cloned())
            .unwrap_or_else(|| "pkigen leaf".to_string());
        let label = format!("leaf/{common_name}");
        let (not_before, not_after) = self.validity.resolve(|| ca.validity());
        let params = LeafParams {
            serial: self.serial.unwrap_or_else(|| serial(seed, &label)),
            common_name,
            names: self.names,
            not_before,
            not_after,
            purpose: self.purpose,
            ocsp_url: self.ocsp_url,
            must_staple: self.must_staple,
        };
        let key_type = self.key_type.unwrap_or(ca.key().key_type());
        params.signed_by(key(key_type, seed, &label)?, ca)
    }
}

impl Ca {
    /// A throwaway root CA with a random key, valid from yesterday for ten years — the
    /// one-liner for tests that need "some CA", like Python's `trustme.CA()`.
    pub fn new() -> Result<Ca, Error> {
        Ca::builder().build()
    }

    /// A root CA with some defaults changed; see [`CaBuilder`].
    pub fn builder() -> CaBuilder<'static> {
        CaBuilder::new(None)
    }

    /// An intermediate CA signed by this one; see [`CaBuilder`]. Its leaves' chains carry
    /// it (and whatever intermediates stand above it).
    pub fn intermediate(&self) -> CaBuilder<'_> {
        CaBuilder::new(Some(self))
    }

    /// A leaf for `names` (DNS names or IP addresses) to be signed by this CA; see
    /// [`LeafBuilder`].
    pub fn leaf(&self, names: &[&str]) -> LeafBuilder<'_> {
        LeafBuilder {
            ca: self,
            names: names.iter().map(|n| n.to_string()).collect(),
            common_name: None,
            purpose: Purpose::ServerAuth,
            key_type: None,
            validity: Validity::Default,
            serial: None,
            ocsp_url: None,
            must_staple: false,
            seed: None,
        }
    }

    /// A server certificate for `names` (DNS names or IP addresses), valid as long as the
    /// CA: `trustme`'s `issue_cert`.
    pub fn issue(&self, names: &[&str]) -> Result<Leaf, Error> {
        self.leaf(names).build()
    }

    /// A client certificate (EKU clientAuth) named `common_name`, for mutual TLS.
    pub fn issue_client(&self, common_name: &str) -> Result<Leaf, Error> {
        self.leaf(&[])
            .common_name(common_name)
            .client_auth()
            .build()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ::time::macros::datetime;
    use sha2::{Digest, Sha256};
    use x509_parser::prelude::*;

    const NOW: OffsetDateTime = datetime!(2026-01-01 00:00 UTC);

    /// sha256 of a seeded CA's and leaf's certificates and keys, as pkigen has always made
    /// them: a change here changes every seeded fixture.
    const PINNED: [(KeyType, &str); 3] = [
        (
            KeyType::EcdsaP256,
            "1b3dbf665218aae38a3eac0d5a1b2f6446b055b7358dff47c2f1f76a2688c756",
        ),
        (
            KeyType::Ed25519,
            "052a3e73b64a68035e7bc69aebf7bd7d28244a4629495e95177d949217343f0f",
        ),
        (
            KeyType::Rsa2048,
            "cd2d780e62261cd3c20a9466bea9c7042623d9c206aaf4d2154af6dbd4567743",
        ),
    ];

    #[test]
    fn seeded_certificates_and_keys_keep_their_bytes() {
        let (not_before, not_after) = (NOW - BACKDATE, NOW + DEFAULT_CA_LIFETIME);
        for (key_type, pinned) in PINNED {
            let seed = Seed(5);
            let ca = CaParams {
                common_name: DEFAULT_ROOT_NAME.into(),
                not_before,
                not_after,
                serial: seed.serial("ca"),
                path_len: None,
            }
            .self_signed(KeyPair::from_seed(key_type, seed, "ca").unwrap())
            .unwrap();
            let leaf = LeafParams {
                common_name: "localhost".into(),
                names: vec!["localhost".into(), "127.0.0.1".into()],
                not_before,
                not_after,
                serial: seed.serial("leaf"),
                purpose: Purpose::ServerAuth,
                ocsp_url: None,
                must_staple: false,
            }
            .signed_by(KeyPair::from_seed(key_type, seed, "leaf").unwrap(), &ca)
            .unwrap();
            let mut digest = Sha256::new();
            for part in [
                ca.der(),
                ca.key().pkcs8_der(),
                leaf.der(),
                leaf.key().pkcs8_der(),
            ] {
                digest.update(part);
            }
            assert_eq!(hex::encode(digest.finalize()), pinned, "{key_type}");

            // The builder's seeded root of that name is that same CA.
            let built = Ca::builder()
                .common_name(DEFAULT_ROOT_NAME)
                .key_type(key_type)
                .seed(seed)
                .validity(not_before, not_after)
                .build()
                .unwrap();
            assert_eq!(built.der(), ca.der(), "{key_type}");
            assert_eq!(built.key().pkcs8_der(), ca.key().pkcs8_der(), "{key_type}");
        }
    }

    #[test]
    fn a_seeded_ca_issues_the_same_leaves_and_intermediates_every_time() {
        let build = || {
            let root = Ca::builder()
                .seed(Seed(9))
                .validity(NOW, NOW + Duration::days(30))
                .build()
                .unwrap();
            let intermediate = root.intermediate().build().unwrap();
            let leaf = intermediate.issue(&["localhost"]).unwrap();
            let client = intermediate.issue_client("app").unwrap();
            (intermediate, leaf, client)
        };
        let (a, b) = (build(), build());
        assert_eq!(a.0.der(), b.0.der());
        assert_eq!(a.1.der(), b.1.der());
        assert_eq!(a.1.key().pkcs8_der(), b.1.key().pkcs8_der());
        assert_eq!(a.2.der(), b.2.der());
        assert_ne!(a.1.serial(), a.2.serial());
    }

    #[test]
    fn unseeded_cas_differ_and_keys_of_every_type_sign_their_certificates() {
        assert_ne!(Ca::new().unwrap().der(), Ca::new().unwrap().der());
        for key_type in [
            KeyType::EcdsaP256,
            KeyType::EcdsaP384,
            KeyType::Ed25519,
            KeyType::Rsa2048,
        ] {
            let ca = Ca::builder().key_type(key_type).build().unwrap();
            let leaf = ca.issue(&["localhost"]).unwrap();
            assert_eq!(leaf.key().key_type(), key_type);
            let (_, ca_cert) = X509Certificate::from_der(ca.der()).unwrap();
            let (_, cert) = X509Certificate::from_der(leaf.der()).unwrap();
            assert!(ca_cert.verify_signature(None).is_ok(), "{key_type}");
            assert!(
                cert.verify_signature(Some(ca_cert.public_key())).is_ok(),
                "{key_type}"
            );
            // The key file loads back as the same key.
            let loaded = KeyPair::from_pkcs8_der(leaf.key().pkcs8_der()).unwrap();
            assert_eq!(loaded.key_type(), key_type);
            assert_eq!(loaded.spki_der(), cert.public_key().raw, "{key_type}");
        }
    }

    #[test]
    fn builders_write_what_they_are_told() {
        let root = Ca::builder()
            .common_name("root")
            .validity(NOW, NOW + Duration::days(2))
            .path_len(1)
            .serial(Serial::from_bytes(&[0x01, 0x02]))
            .build()
            .unwrap();
        let (_, cert) = X509Certificate::from_der(root.der()).unwrap();
        assert_eq!(cert.validity().not_before.timestamp(), NOW.unix_timestamp());
        assert_eq!(cert.raw_serial(), [0x01, 0x02]);
        let constraints = cert.basic_constraints().unwrap().unwrap().value;
        assert_eq!(constraints.path_len_constraint, Some(1));
        assert_eq!(root.validity(), (NOW, NOW + Duration::days(2)));

        let leaf = root
            .leaf(&["db.example", "10.0.0.1"])
            .client_auth()
            .key_type(KeyType::Ed25519)
            .valid_for(Duration::days(1))
            .build()
            .unwrap();
        let (_, cert) = X509Certificate::from_der(leaf.der()).unwrap();
        let eku = cert.extended_key_usage().unwrap().unwrap().value;
        assert!(eku.client_auth && !eku.server_auth);
        assert_eq!(leaf.common_name(), "db.example");
        assert_eq!(leaf.key().key_type(), KeyType::Ed25519);
        let lifetime = leaf.validity().1 - leaf.validity().0;
        assert_eq!(lifetime, BACKDATE + Duration::days(1));
    }

    #[test]
    fn key_and_chain_pem_holds_key_leaf_and_intermediates() {
        let root = Ca::new().unwrap();
        let intermediate = root.intermediate().build().unwrap();
        let leaf = intermediate.issue(&["localhost"]).unwrap();
        let blocks = ::pem::parse_many(leaf.key_and_chain_pem()).unwrap();
        let tags: Vec<&str> = blocks.iter().map(::pem::Pem::tag).collect();
        assert_eq!(tags, ["PRIVATE KEY", "CERTIFICATE", "CERTIFICATE"]);
        assert_eq!(blocks[0].contents(), leaf.key().pkcs8_der());
        assert_eq!(blocks[1].contents(), leaf.der());
        assert_eq!(blocks[2].contents(), intermediate.der());
        assert_eq!(root.root_der().as_ref(), root.der());
        assert_eq!(intermediate.root_der().as_ref(), root.der());
        // A leaf of the root: key and certificate only, as `combined_pem`.
        let direct = root.issue(&["localhost"]).unwrap();
        assert_eq!(direct.key_and_chain_pem(), direct.combined_pem());
    }

    #[test]
    fn a_refused_name_is_named_in_the_error_with_the_encoder_s_cause() {
        let error = Ca::new().unwrap().issue(&["bücher.example"]).unwrap_err();
        assert!(matches!(error, Error::Certificate { .. }), "{error:?}");
        assert_eq!(
            error.to_string(),
            "cannot build certificate 'bücher.example': name 'bücher.example'"
        );
        assert!(std::error::Error::source(&error).is_some());
    }

    #[test]
    fn debug_output_never_shows_the_key() {
        let ca = Ca::new().unwrap();
        let leaf = ca.issue(&["localhost"]).unwrap();
        for (text, key) in [
            (format!("{ca:?}"), ca.key()),
            (format!("{leaf:?}"), leaf.key()),
        ] {
            assert!(text.contains("EcdsaP256"), "{text}");
            let pem_body = key.pem().lines().nth(1).unwrap().to_string();
            assert!(!text.contains(&pem_body), "{text}");
            assert!(!text.contains(&hex::encode(key.pkcs8_der())), "{text}");
            assert!(!text.contains(&format!("{:?}", key.pkcs8_der())), "{text}");
        }
        assert!(format!("{leaf:?}").contains("localhost"));
    }
}
