//! The guide's "provide a key password": the client key encrypted both ways OpenSSL
//! writes, with the right password, a wrong one and none.

use super::client_cert::mutual;
use crate::fixtures::manifest::Expect;
use crate::pki::encrypted::KeyEncryption;
use crate::policy::{Driver, Reason};
use crate::scenario::{CaseSpec, Fixture, LeafSpec, Scenario};

/// The password of the encrypted client keys; the fuzz targets decrypt with it too.
const KEY_PASSWORD: &str = "test-password";

pub(super) fn scenario() -> Scenario {
    Scenario::new(
        "key-password",
        "Provide a key password: tlsCertificateKeyFilePassword for PKCS#8 and legacy encrypted keys",
    )
    .fixture(Fixture::root("ca", "pkigen key-password CA"))
    .fixture(LeafSpec::server("server"))
    .fixture(Fixture::Client {
        name: "client",
        issuer: "ca",
    })
    .fixture(Fixture::EncryptedKey {
        name: "client-pkcs8-encrypted",
        of: "client",
        password: KEY_PASSWORD,
        format: KeyEncryption::Pkcs8,
    })
    .fixture(Fixture::EncryptedKey {
        name: "client-legacy-encrypted",
        of: "client",
        password: KEY_PASSWORD,
        format: KeyEncryption::LegacyPem,
    })
    .cases(
        Encrypted {
            stem: "pkcs8",
            fixture: "client-pkcs8-encrypted",
            form: "PKCS#8 (PBES2, AES-256-CBC)",
            rust_without_password: super::rust::RUST_FINDS_NO_ENCRYPTED_PKCS8_KEY,
        }
        .cases(),
    )
    .cases(
        Encrypted {
            stem: "legacy",
            fixture: "client-legacy-encrypted",
            form: "legacy OpenSSL PEM (Proc-Type: 4,ENCRYPTED, AES-256-CBC)",
            rust_without_password: super::rust::RUST_CANNOT_READ_LEGACY_ENCRYPTED_KEY,
        }
        .cases(),
    )
    .case(
        mutual(
            "password-for-plain-key",
            "A password is given for an unencrypted key: OpenSSL, and so PyMongo, ignores it",
        )
        .key_file("client")
        .key_password(KEY_PASSWORD)
        .expect(Expect::ACCEPT),
    )
}

/// An encrypted copy of the client's key file.
struct Encrypted {
    /// The first word of its cases' names.
    stem: &'static str,
    /// Its key-and-certificate fixture.
    fixture: &'static str,
    /// The encryption, as the case descriptions name it.
    form: &'static str,
    /// Why the Rust driver, which reads no encrypted key, cannot read the file without a
    /// password.
    rust_without_password: &'static str,
}

impl Encrypted {
    /// The three passwords a client can give for it: the right one, a wrong one, none.
    fn cases(&self) -> [CaseSpec; 3] {
        let Encrypted {
            stem,
            fixture,
            form,
            ..
        } = self;
        [
            mutual(
                format!("{stem}-right-password"),
                format!("The key is encrypted as {form} and tlsCertificateKeyFilePassword is right"),
            )
            .key_file(fixture)
            .key_password(KEY_PASSWORD)
            .expect(Expect::ACCEPT),
            mutual(
                format!("{stem}-wrong-password"),
                format!("The key is encrypted as {form} and tlsCertificateKeyFilePassword is wrong"),
            )
            .key_file(fixture)
            .key_password("not-the-password")
            .expect(Expect::config_error(Reason::BadPassword)),
            mutual(
                format!("{stem}-missing-password"),
                format!(
                    "The key is encrypted as {form} and no tlsCertificateKeyFilePassword is given \
                     (PyMongo lets OpenSSL prompt on a terminal; without one MongoClient raises OSError EINVAL)"
                ),
            )
            .key_file(fixture)
            .expect(Expect::config_error(Reason::BadPassword))
            .differs_for(
                Driver::Rust,
                Expect::config_error(Reason::UnreadableFile),
                self.rust_without_password,
            ),
        ]
    }
}
