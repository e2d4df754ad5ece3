//! Password-protected private keys in the two forms PyMongo's `tlsCertificateKeyFilePassword`
//! meets in practice: PKCS#8 (`ENCRYPTED PRIVATE KEY`, PBES2 with PBKDF2-SHA256 and
//! AES-256-CBC, what `openssl pkcs8 -topk8 -v2 aes-256-cbc` writes) and OpenSSL's legacy
//! PEM encryption (`Proc-Type: 4,ENCRYPTED` + `DEK-Info: AES-256-CBC,IV`, what
//! `openssl rsa -aes256` writes). Both directions live here so each can be checked
//! against the other, and both are checked against OpenSSL in the tests.
//!
//! Decryption serves validation (reading `tlsCertificateKeyFile`), so a build without the
//! `validate` feature does not call it.
#![cfg_attr(not(feature = "validate"), allow(dead_code))]

use crate::error::Error;
use crate::pki::encoding::pem_block;
use crate::pki::keys::{KeyPair, KeyType};
use aes::cipher::{BlockDecryptMut, BlockEncryptMut, KeyIvInit, block_padding::Pkcs7};
use md5::{Digest, Md5};
use pkcs8::pkcs5::pbes2;
use rustls::pki_types::{PrivateKeyDer, PrivatePkcs1KeyDer, PrivatePkcs8KeyDer, PrivateSec1KeyDer};
use sha2::Sha256;

/// PBKDF2 rounds: OpenSSL 3's default for `openssl pkcs8 -topk8`. (pkcs8's own default,
/// scrypt with N=2^17, is refused by OpenSSL's memory limit even with the right password.)
const PBKDF2_ITERATIONS: u32 = 2048;

/// OpenSSL's scrypt memory ceiling when it decrypts a key (`SCRYPT_MAX_MEM`, 32 MiB, counted
/// as `128·r·(N+2) + 128·r·p`). A key needing more is refused by OpenSSL, so by PyMongo, and
/// by pkigen before it allocates anything: a hostile file could otherwise ask for terabytes.
const SCRYPT_MAX_MEMORY: u64 = 32 * 1024 * 1024;

/// The most PBKDF2 rounds pkigen runs to open a key. OpenSSL has no ceiling; this one is the
/// count RFC 8018 §4.2 calls appropriate for critical keys (seconds of work), so that a
/// hostile file cannot keep `validate` busy for hours with 2^32 - 1 rounds.
const PBKDF2_MAX_ITERATIONS: u32 = 10_000_000;

/// How a key file is protected.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum KeyEncryption {
    /// `-----BEGIN ENCRYPTED PRIVATE KEY-----`: PKCS#8, PBES2, PBKDF2-SHA256, AES-256-CBC.
    Pkcs8,
    /// `-----BEGIN RSA/EC PRIVATE KEY-----` with `Proc-Type: 4,ENCRYPTED` and
    /// `DEK-Info: AES-256-CBC,…`: OpenSSL's traditional format.
    LegacyPem,
}

type Aes256CbcEnc = cbc::Encryptor<aes::Aes256>;
type Aes256CbcDec = cbc::Decryptor<aes::Aes256>;

/// Salt and IV derived from the key, password and format, so the same key encrypted the
/// same way gives the same bytes (fixtures are reproducible); never reused across keys.
fn salt_and_iv(key: &KeyPair, password: &str, format: KeyEncryption) -> ([u8; 16], [u8; 16]) {
    let mut hasher = Sha256::new();
    hasher.update(b"pkigen key encryption salt/iv v1\0");
    hasher.update([format as u8]);
    hasher.update(key.pkcs8_der());
    hasher.update(password.as_bytes());
    let digest: [u8; 32] = hasher.finalize().into();
    let (salt, iv) = digest.split_at(16);
    (
        salt.try_into().expect("16 bytes"),
        iv.try_into().expect("16 bytes"),
    )
}

/// The key, encrypted with `password`, as PEM.
pub fn encrypt_pem(key: &KeyPair, password: &str, format: KeyEncryption) -> Result<String, Error> {
    let (salt, iv) = salt_and_iv(key, password, format);
    let crypto = |e: &dyn std::fmt::Display| Error::Crypto(format!("key encryption failed: {e}"));
    match format {
        KeyEncryption::Pkcs8 => {
            let params = pbes2::Parameters::pbkdf2_sha256_aes256cbc(PBKDF2_ITERATIONS, &salt, &iv)
                .map_err(|e| crypto(&e))?;
            let info = pkcs8::PrivateKeyInfo::try_from(key.pkcs8_der()).map_err(|e| crypto(&e))?;
            let encrypted = info
                .encrypt_with_params(params, password)
                .map_err(|e| crypto(&e))?;
            Ok(pem_block("ENCRYPTED PRIVATE KEY", encrypted.as_bytes()))
        }
        KeyEncryption::LegacyPem => {
            let (tag, plain) = traditional_der(key)?;
            let cipher = Aes256CbcEnc::new(&legacy_key(password, &iv).into(), &iv.into());
            let encrypted = cipher.encrypt_padded_vec_mut::<Pkcs7>(&plain);
            let mut block = pem::Pem::new(tag, encrypted);
            block
                .headers_mut()
                .add("Proc-Type", "4,ENCRYPTED")
                .map_err(|e| crypto(&e))?;
            block
                .headers_mut()
                .add(
                    "DEK-Info",
                    &format!("AES-256-CBC,{}", hex::encode_upper(iv)),
                )
                .map_err(|e| crypto(&e))?;
            Ok(crate::pki::encoding::encode_pem(&block))
        }
    }
}

/// The key in OpenSSL's traditional form and its PEM label: PKCS#1 for RSA, SEC1 for EC.
/// Ed25519 has no traditional form; OpenSSL writes (and reads) PKCS#8 under `PRIVATE KEY`.
fn traditional_der(key: &KeyPair) -> Result<(&'static str, Vec<u8>), Error> {
    use pkcs8::AssociatedOid;
    let crypto = |e: &dyn std::fmt::Display| Error::Crypto(format!("cannot re-encode key: {e}"));
    // Inside PKCS#8, the privateKey octets already are the traditional form: PKCS#1 for
    // RSA, SEC1 (without the curve) for EC.
    let info = pkcs8::PrivateKeyInfo::try_from(key.pkcs8_der()).map_err(|e| crypto(&e))?;
    Ok(match key.key_type() {
        KeyType::EcdsaP256 => (
            "EC PRIVATE KEY",
            with_named_curve(info.private_key, p256::NistP256::OID)?,
        ),
        KeyType::EcdsaP384 => (
            "EC PRIVATE KEY",
            with_named_curve(info.private_key, p384::NistP384::OID)?,
        ),
        KeyType::Ed25519 => ("PRIVATE KEY", key.pkcs8_der().to_vec()),
        KeyType::Rsa2048 | KeyType::Rsa3072 | KeyType::Rsa4096 => {
            ("RSA PRIVATE KEY", info.private_key.to_vec())
        }
    })
}

/// RustCrypto writes SEC1 without the optional `[0] parameters`, as it is inside PKCS#8;
/// a standalone `EC PRIVATE KEY` needs them, or OpenSSL cannot tell the curve.
fn with_named_curve(sec1_der: &[u8], curve: pkcs8::ObjectIdentifier) -> Result<Vec<u8>, Error> {
    use der::Encode;
    let crypto = |e: &dyn std::fmt::Display| Error::Crypto(format!("cannot re-encode EC key: {e}"));
    let mut key = sec1::EcPrivateKey::try_from(sec1_der).map_err(|e| crypto(&e))?;
    key.parameters = Some(sec1::EcParameters::NamedCurve(curve));
    key.to_der().map_err(|e| crypto(&e))
}

/// OpenSSL's `EVP_BytesToKey(AES-256-CBC, MD5, salt = IV[..8], count = 1)`.
fn legacy_key(password: &str, iv: &[u8; 16]) -> [u8; 32] {
    let salt = &iv[..8];
    let first = Md5::new()
        .chain_update(password.as_bytes())
        .chain_update(salt)
        .finalize();
    let second = Md5::new()
        .chain_update(first)
        .chain_update(password.as_bytes())
        .chain_update(salt)
        .finalize();
    let mut key = [0u8; 32];
    key[..16].copy_from_slice(&first);
    key[16..].copy_from_slice(&second);
    key
}

/// Why a private key could not be loaded.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(not(feature = "validate"), allow(unreachable_pub))]
pub enum KeyLoadError {
    /// The key is encrypted and no password was given.
    PasswordRequired,
    /// The password does not decrypt the key.
    WrongPassword,
    /// The block is not a key pkigen (or OpenSSL) can read.
    Unsupported(String),
}

impl std::fmt::Display for KeyLoadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            KeyLoadError::PasswordRequired => {
                f.write_str("the private key is encrypted and no password was given")
            }
            KeyLoadError::WrongPassword => {
                f.write_str("the password does not decrypt the private key")
            }
            KeyLoadError::Unsupported(what) => write!(f, "unusable private key: {what}"),
        }
    }
}

/// Reads one PEM key block, decrypting it with `password` where it is encrypted. As with
/// OpenSSL, a password given for an unencrypted key is ignored.
pub(crate) fn decrypt_block(
    block: &pem::Pem,
    password: Option<&str>,
) -> Result<PrivateKeyDer<'static>, KeyLoadError> {
    let unsupported = |e: &dyn std::fmt::Display| KeyLoadError::Unsupported(e.to_string());
    let legacy = is_legacy_encrypted(block);
    let der = match (block.tag(), legacy) {
        ("ENCRYPTED PRIVATE KEY", _) => {
            let password = password.ok_or(KeyLoadError::PasswordRequired)?;
            let info = pkcs8::EncryptedPrivateKeyInfo::try_from(block.contents())
                .map_err(|e| unsupported(&e))?;
            refuse_costly_kdf(&info.encryption_algorithm).map_err(|e| unsupported(&e))?;
            let plain = info
                .decrypt(password)
                .map_err(|_| KeyLoadError::WrongPassword)?;
            return Ok(PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(
                plain.as_bytes().to_vec(),
            )));
        }
        (_, true) => {
            let password = password.ok_or(KeyLoadError::PasswordRequired)?;
            let dek = block
                .headers()
                .get("DEK-Info")
                .ok_or_else(|| unsupported(&"Proc-Type without DEK-Info"))?;
            let iv_hex = dek.strip_prefix("AES-256-CBC,").ok_or_else(|| {
                unsupported(&format!(
                    "unsupported legacy cipher '{dek}' (pkigen reads AES-256-CBC)"
                ))
            })?;
            let iv: [u8; 16] = hex::decode(iv_hex)
                .ok()
                .and_then(|v| v.try_into().ok())
                .ok_or_else(|| unsupported(&"bad DEK-Info IV"))?;
            let cipher = Aes256CbcDec::new(&legacy_key(password, &iv).into(), &iv.into());
            let plain = cipher
                .decrypt_padded_vec_mut::<Pkcs7>(block.contents())
                .map_err(|_| KeyLoadError::WrongPassword)?;
            // A wrong password that happens to leave valid padding gives garbage: it must
            // still parse as a key of the declared form.
            if der::Document::try_from(plain.as_slice()).is_err() {
                return Err(KeyLoadError::WrongPassword);
            }
            plain
        }
        (_, false) => block.contents().to_vec(),
    };
    match block.tag() {
        "PRIVATE KEY" => Ok(PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(der))),
        "RSA PRIVATE KEY" => Ok(PrivateKeyDer::Pkcs1(PrivatePkcs1KeyDer::from(der))),
        "EC PRIVATE KEY" => Ok(PrivateKeyDer::Sec1(PrivateSec1KeyDer::from(der))),
        other => Err(unsupported(&format!(
            "PEM block '{other}' is not a private key"
        ))),
    }
}

/// Refuses key-derivation parameters that would cost more than OpenSSL (scrypt) or pkigen
/// (PBKDF2) is willing to spend, before any of the work is done.
fn refuse_costly_kdf(scheme: &pkcs8::pkcs5::EncryptionScheme<'_>) -> Result<(), String> {
    let pkcs8::pkcs5::EncryptionScheme::Pbes2(params) = scheme else {
        return Ok(());
    };
    const REENCRYPT: &str = "re-encrypt the key with `openssl pkcs8 -topk8 -v2 aes-256-cbc`";
    match &params.kdf {
        pbes2::Kdf::Pbkdf2(p) if p.iteration_count == 0 => Err(format!(
            "PBKDF2 with 0 iterations, which OpenSSL refuses too; {REENCRYPT}"
        )),
        pbes2::Kdf::Pbkdf2(p) if p.iteration_count > PBKDF2_MAX_ITERATIONS => Err(format!(
            "PBKDF2 with {} iterations, over pkigen's limit of {PBKDF2_MAX_ITERATIONS}; {REENCRYPT}",
            p.iteration_count
        )),
        pbes2::Kdf::Scrypt(p) => {
            let (n, r, parallel) = (
                p.cost_parameter,
                u64::from(p.block_size),
                u64::from(p.parallelization),
            );
            // OpenSSL's scrypt_alg checks, in its order: N a power of two from 2, r and p
            // from 1, p·r under 2^30, N under 2^(16·r).
            if r == 0
                || parallel == 0
                || n < 2
                || !n.is_power_of_two()
                || parallel > ((1 << 30) - 1) / r
                || (16 * r <= 63 && n >= 1 << (16 * r))
            {
                return Err(format!(
                    "scrypt parameters N={n}, r={r}, p={parallel} are invalid, and OpenSSL refuses \
                     them too; {REENCRYPT}"
                ));
            }
            let block = 128 * u128::from(r);
            let memory = block * (u128::from(n) + 2) + block * u128::from(parallel);
            if memory > u128::from(SCRYPT_MAX_MEMORY) {
                return Err(format!(
                    "scrypt needs {} MiB, over OpenSSL's 32 MiB limit (PyMongo cannot open this \
                     key either); {REENCRYPT}",
                    memory.div_ceil(1024 * 1024)
                ));
            }
            Ok(())
        }
        _ => Ok(()),
    }
}

/// Whether a PEM block carries OpenSSL's legacy encryption headers (`Proc-Type: 4,ENCRYPTED`).
pub(crate) fn is_legacy_encrypted(block: &pem::Pem) -> bool {
    block
        .headers()
        .get("Proc-Type")
        .is_some_and(|v| v.contains("ENCRYPTED"))
}

/// Whether a PEM block is a private key of any form pkigen reads.
pub(crate) fn is_key_block(block: &pem::Pem) -> bool {
    matches!(
        block.tag(),
        "PRIVATE KEY" | "ENCRYPTED PRIVATE KEY" | "RSA PRIVATE KEY" | "EC PRIVATE KEY"
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pki::seed::Seed;

    fn roundtrip(key_type: KeyType, format: KeyEncryption) {
        let key = KeyPair::generate(key_type, &mut Seed(9).rng("k")).unwrap();
        let pem_text = encrypt_pem(&key, "s3cret", format).unwrap();
        assert_eq!(
            pem_text,
            encrypt_pem(&key, "s3cret", format).unwrap(),
            "deterministic"
        );
        let block = pem::parse(&pem_text).unwrap();
        let plain = decrypt_block(&block, Some("s3cret")).unwrap();
        let signer = crate::pki::crypto::provider()
            .key_provider
            .load_private_key(plain)
            .unwrap();
        assert_eq!(
            signer.public_key().unwrap().as_ref(),
            key.spki_der().as_slice(),
            "{key_type:?} {format:?}"
        );
        assert_eq!(
            decrypt_block(&block, Some("wrong")),
            Err(KeyLoadError::WrongPassword)
        );
        assert_eq!(
            decrypt_block(&block, None),
            Err(KeyLoadError::PasswordRequired)
        );
    }

    #[test]
    fn both_formats_round_trip_for_ec_and_ed25519() {
        for key_type in [KeyType::EcdsaP256, KeyType::EcdsaP384, KeyType::Ed25519] {
            roundtrip(key_type, KeyEncryption::Pkcs8);
            roundtrip(key_type, KeyEncryption::LegacyPem);
        }
    }

    #[test]
    fn both_formats_round_trip_for_rsa() {
        roundtrip(KeyType::Rsa2048, KeyEncryption::Pkcs8);
        roundtrip(KeyType::Rsa2048, KeyEncryption::LegacyPem);
    }

    /// A PKCS#8 key encrypted with the given PBES2 parameters, as PEM.
    fn encrypted_with(params: pbes2::Parameters<'_>) -> String {
        let key = KeyPair::generate(KeyType::EcdsaP256, &mut Seed(9).rng("k")).unwrap();
        let info = pkcs8::PrivateKeyInfo::try_from(key.pkcs8_der()).unwrap();
        let encrypted = info.encrypt_with_params(params, "pw").unwrap();
        pem_block("ENCRYPTED PRIVATE KEY", encrypted.as_bytes())
    }

    /// A PKCS#8 block whose KDF parameters were never used to encrypt anything: pkigen must
    /// refuse them from the parameters alone, before doing the work they ask for.
    fn hostile_block(kdf: pbes2::Kdf<'_>) -> pem::Pem {
        use pkcs8::der::Encode;
        let params = pbes2::Parameters {
            kdf,
            encryption: pbes2::EncryptionScheme::Aes256Cbc { iv: &[7; 16] },
        };
        let info = pkcs8::EncryptedPrivateKeyInfo {
            encryption_algorithm: pkcs8::pkcs5::EncryptionScheme::Pbes2(params),
            encrypted_data: &[0; 48],
        };
        pem::Pem::new("ENCRYPTED PRIVATE KEY", info.to_der().unwrap())
    }

    /// OpenSSL's own verdict on an encrypted key file: `None` when it opens, else its error.
    fn openssl_opens(pem_text: &str) -> Option<String> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("key.pem");
        std::fs::write(&path, pem_text).unwrap();
        let out = std::process::Command::new("openssl")
            .args(["pkey", "-noout", "-passin", "pass:pw", "-in"])
            .arg(&path)
            .output()
            .expect("openssl on PATH");
        (!out.status.success()).then(|| String::from_utf8_lossy(&out.stderr).into_owned())
    }

    #[test]
    fn scrypt_keys_open_exactly_where_openssl_opens_them() {
        // r = 8: N = 2^14 needs 16 MiB and opens; N = 2^15 needs just over 32 MiB.
        for (log_n, opens) in [(14, true), (15, false)] {
            let cost = pkcs8::pkcs5::scrypt::Params::new(log_n, 8, 1, 32).unwrap();
            let text = encrypted_with(
                pbes2::Parameters::scrypt_aes256cbc(cost, &[1; 16], &[2; 16]).unwrap(),
            );
            let ours = decrypt_block(&pem::parse(&text).unwrap(), Some("pw"));
            let openssl = openssl_opens(&text);
            assert_eq!(ours.is_ok(), opens, "pkigen, log_n={log_n}: {ours:?}");
            assert_eq!(
                openssl.is_none(),
                opens,
                "openssl, log_n={log_n}: {openssl:?}"
            );
            if !opens {
                assert!(openssl.unwrap().contains("memory limit exceeded"));
                let Err(KeyLoadError::Unsupported(why)) = ours else {
                    unreachable!()
                };
                assert!(
                    why.contains("scrypt needs 33 MiB, over OpenSSL's 32 MiB limit"),
                    "{why}"
                );
            }
        }
    }

    #[test]
    fn hostile_kdf_parameters_are_refused_before_any_work() {
        let started = std::time::Instant::now();
        let scrypt = |cost_parameter, block_size, parallelization| {
            pbes2::Kdf::Scrypt(pbes2::ScryptParams {
                salt: &[1; 16],
                cost_parameter,
                block_size,
                parallelization,
                key_length: None,
            })
        };
        let pbkdf2 = |iteration_count| {
            pbes2::Kdf::Pbkdf2(pbes2::Pbkdf2Params {
                salt: &[1; 16],
                iteration_count,
                key_length: None,
                prf: pbes2::Pbkdf2Prf::HmacWithSha256,
            })
        };
        let invalid = "are invalid, and OpenSSL refuses them too";
        for (kdf, why) in [
            (
                scrypt(1 << 40, 8, 1),
                "scrypt needs 1073741825 MiB, over OpenSSL's 32 MiB limit",
            ),
            (scrypt(0, 8, 1), invalid),
            (scrypt(1, 8, 1), invalid),
            (scrypt(3, 8, 1), invalid),
            (scrypt(1 << 10, 0, 1), invalid),
            (scrypt(1 << 10, 8, 0), invalid),
            (scrypt(1 << 16, 1, 1), invalid),
            (scrypt(2, u16::MAX, u16::MAX), invalid),
            (pbkdf2(0), "PBKDF2 with 0 iterations"),
            (pbkdf2(u32::MAX), "PBKDF2 with 4294967295 iterations"),
            (
                pbkdf2(PBKDF2_MAX_ITERATIONS + 1),
                "over pkigen's limit of 10000000",
            ),
        ] {
            match decrypt_block(&hostile_block(kdf), Some("pw")) {
                Err(KeyLoadError::Unsupported(msg)) => {
                    assert!(msg.contains(why), "{msg}");
                    assert!(!msg.contains('\n'), "{msg}");
                }
                other => panic!("expected a refusal naming {why:?}, got {other:?}"),
            }
        }
        // Refused from the parameters: no round of PBKDF2 or scrypt ran (either would take
        // minutes or abort on allocation).
        assert!(started.elapsed() < std::time::Duration::from_secs(5));
        // The largest accepted parameters, checked without running them.
        for kdf in [
            pbkdf2(PBKDF2_MAX_ITERATIONS),
            pbkdf2(1),
            scrypt(1 << 14, 8, 1),
            scrypt(2, 1, 1),
        ] {
            let scheme = pkcs8::pkcs5::EncryptionScheme::Pbes2(pbes2::Parameters {
                kdf,
                encryption: pbes2::EncryptionScheme::Aes256Cbc { iv: &[7; 16] },
            });
            assert_eq!(refuse_costly_kdf(&scheme), Ok(()));
        }
        // Accepted parameters then run; the made-up data fails to decrypt.
        assert_eq!(
            decrypt_block(&hostile_block(pbkdf2(2048)), Some("pw")),
            Err(KeyLoadError::WrongPassword)
        );
    }

    #[test]
    fn legacy_headers_are_openssls() {
        let key = KeyPair::generate(KeyType::EcdsaP256, &mut Seed(9).rng("k")).unwrap();
        let text = encrypt_pem(&key, "pw", KeyEncryption::LegacyPem).unwrap();
        let mut lines = text.lines();
        assert_eq!(lines.next(), Some("-----BEGIN EC PRIVATE KEY-----"));
        assert_eq!(lines.next(), Some("Proc-Type: 4,ENCRYPTED"));
        assert!(lines.next().unwrap().starts_with("DEK-Info: AES-256-CBC,"));
    }
}
