//! What a driver's TLS stack does with a resolved [`TlsPolicy`](super::TlsPolicy) beyond the
//! options themselves: the same options verify differently in two drivers (one checks OCSP,
//! the other has none; one checks a CRL for the leaf, the other for every certificate), and
//! a validator that predicts a handshake has to know which.
//!
//! Serialized (for reports) with the fields' names and kebab-case values: `{"ocsp": "none",
//! "crl_scope": "chain", …}`.

use serde::Serialize;

/// How one driver verifies a server and loads its files, as data; see
/// [`Driver::tls_behaviour`](super::Driver::tls_behaviour).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub struct TlsBehaviour {
    /// What the driver does about OCSP.
    pub ocsp: Ocsp,
    /// Whether the driver takes a CRL file at all; the three CRL fields below say how, where
    /// it does.
    pub crl_file: CrlFile,
    /// Which certificates of the server's chain need a CRL when `tlsCRLFile` is given.
    pub crl_scope: CrlScope,
    /// Which of the CRLs in the `tlsCRLFile` file are loaded.
    pub crls_loaded: CrlsLoaded,
    /// Whether a CRL file must be PEM: a DER CRL is then a configuration error, raised when
    /// the files are read ([`TlsBehaviour::files_read`]).
    pub crl_pem_only: bool,
    /// When `tlsCAFile`, `tlsCertificateKeyFile` and `tlsCRLFile` are read, and so where an
    /// unreadable one is reported.
    pub files_read: FilesRead,
    /// What a `tlsCAFile` with no PEM certificate in it (DER, empty, a key) does.
    pub ca_file_without_pem: CaFileWithoutPem,
    /// Which certificates of a `tlsCAFile` a server's chain may end at.
    pub ca_file_anchors: CaFileAnchors,
    /// What an encrypted private key in `tlsCertificateKeyFile` is to the driver.
    pub encrypted_keys: EncryptedKeys,
}

/// What a driver does about OCSP.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Ocsp {
    /// No OCSP at all: no status request, no stapled response checked, must-staple not
    /// enforced, no responder asked; a case is judged on its chain alone.
    None,
    /// PyMongo's rules: a stapled response is checked, a must-staple certificate without a
    /// staple is refused, and without a staple the certificate's responder is asked (unless
    /// `tlsDisableOCSPEndpointCheck`), failing soft when it cannot be reached.
    StapleAndResponder,
}

/// Whether the driver takes `tlsCRLFile`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum CrlFile {
    /// It reads the file and checks the chain against its CRLs.
    Read,
    /// `tlsCRLFile` is an option it does not know (refused with the URI, or ignored with a
    /// warning, as the driver's parser does): no connection string makes it check a CRL, and
    /// the other CRL fields never apply to one.
    UnknownOption,
}

/// Which certificates of the server's chain are checked against the CRL file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum CrlScope {
    /// The leaf only (OpenSSL's `X509_V_FLAG_CRL_CHECK`).
    Leaf,
    /// Every certificate of the chain needs a CRL from its issuer (`X509_V_FLAG_CRL_CHECK`
    /// with `X509_V_FLAG_CRL_CHECK_ALL`): with one CRL file, a chain with an intermediate
    /// never verifies.
    Chain,
}

/// Which CRLs of the `tlsCRLFile` file the driver loads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum CrlsLoaded {
    /// Every CRL in the file.
    All,
    /// The first CRL in the file; the others are ignored, so their order matters.
    FirstOnly,
}

/// When the driver reads its TLS files.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum FilesRead {
    /// While the client is constructed: an unreadable file is a configuration error raised
    /// by the constructor, whether or not the client ever connects.
    AtConstruction,
    /// When the client connects, and only with TLS on: an unreadable file is the error
    /// `connect()` (or the first operation) fails with, and with TLS off it is never noticed.
    AtConnect,
}

/// What a `tlsCAFile` holding no PEM certificate does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum CaFileWithoutPem {
    /// Loading it fails: a configuration error when the files are read.
    Error,
    /// It loads nothing, silently: the trust store is empty and every server is refused
    /// as an unknown issuer.
    EmptyTrustStore,
}

/// Which certificates of a `tlsCAFile` are trust anchors.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum CaFileAnchors {
    /// The self-signed ones (OpenSSL without `X509_V_FLAG_PARTIAL_CHAIN`): the others may
    /// complete a chain but not end one, so an intermediate alone trusts nothing.
    SelfSigned,
    /// Every one, intermediates and leaves included (rustls's `RootCertStore`): a chain may
    /// end at any certificate of the file.
    Every,
}

/// What an encrypted private key in the client's key file is to the driver.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum EncryptedKeys {
    /// A key it decrypts with `tlsCertificateKeyFilePassword`: without the password, or with
    /// the wrong one, a bad password.
    Decrypted,
    /// No key at all: the driver reads no encrypted key (and has no password option), so the
    /// file is unreadable to it.
    NotRead,
}

impl TlsBehaviour {
    /// PyMongo 4.20.1 on CPython's `ssl`.
    pub const PYMONGO: TlsBehaviour = TlsBehaviour {
        ocsp: Ocsp::StapleAndResponder,
        crl_file: CrlFile::Read,
        crl_scope: CrlScope::Leaf,
        crls_loaded: CrlsLoaded::All,
        crl_pem_only: true,
        files_read: FilesRead::AtConstruction,
        ca_file_without_pem: CaFileWithoutPem::Error,
        ca_file_anchors: CaFileAnchors::SelfSigned,
        encrypted_keys: EncryptedKeys::Decrypted,
    };

    /// The Node.js driver 7.9.0 on Node's `tls`: no OCSP code, the CRL file handed to
    /// `tls.createSecureContext` as one `crl` buffer (one `PEM_read_bio_X509_CRL`, then
    /// `X509_V_FLAG_CRL_CHECK_ALL`), files read by `MongoClient.connect()` only when `tls`
    /// is on, and a `ca` buffer with no PEM certificate taken as an empty list of CAs.
    pub const NODE: TlsBehaviour = TlsBehaviour {
        ocsp: Ocsp::None,
        crl_file: CrlFile::Read,
        crl_scope: CrlScope::Chain,
        crls_loaded: CrlsLoaded::FirstOnly,
        crl_pem_only: true,
        files_read: FilesRead::AtConnect,
        ca_file_without_pem: CaFileWithoutPem::EmptyTrustStore,
        ca_file_anchors: CaFileAnchors::SelfSigned,
        encrypted_keys: EncryptedKeys::Decrypted,
    };

    /// The Rust driver 3.9.1 with its default features, on rustls: no OCSP checking (a
    /// staple is asked for and ignored), no CRL (`tlsCRLFile` is an unknown option, so the
    /// other CRL fields never apply), files read by `Client::with_options`, every `tlsCAFile`
    /// certificate a trust anchor and a file without one an empty store, and no encrypted
    /// key read (`PrivateKeyDer::from_pem_reader` finds no key in an `ENCRYPTED PRIVATE KEY`
    /// block, and a legacy encrypted key's headers break the file's PEM).
    pub const RUST: TlsBehaviour = TlsBehaviour {
        ocsp: Ocsp::None,
        crl_file: CrlFile::UnknownOption,
        crl_scope: CrlScope::Leaf,
        crls_loaded: CrlsLoaded::All,
        crl_pem_only: true,
        files_read: FilesRead::AtConstruction,
        ca_file_without_pem: CaFileWithoutPem::EmptyTrustStore,
        ca_file_anchors: CaFileAnchors::Every,
        encrypted_keys: EncryptedKeys::NotRead,
    };

    /// libmongoc 1.23.1 on OpenSSL 3: PyMongo's OCSP rules (a staple checked, must-staple,
    /// the responder asked without one and failing soft; `tlsDisableCertificateRevocationCheck`
    /// turns all of it off), an `SSL_CTX` built from the files at every new connection and
    /// only with TLS on (`_mongoc_openssl_ctx_new`), a CA file OpenSSL cannot load refused.
    /// No URI option names a CRL file (`tlsCRLFile` is an unknown option there), so the CRL
    /// dimensions only say what OpenSSL would do with the C API's `crl_file`: the leaf
    /// checked (`X509_V_FLAG_CRL_CHECK`) against every PEM CRL of the file.
    pub const LIBMONGOC: TlsBehaviour = TlsBehaviour {
        ocsp: Ocsp::StapleAndResponder,
        crl_file: CrlFile::UnknownOption,
        crl_scope: CrlScope::Leaf,
        crls_loaded: CrlsLoaded::All,
        crl_pem_only: true,
        files_read: FilesRead::AtConnect,
        ca_file_without_pem: CaFileWithoutPem::Error,
        ca_file_anchors: CaFileAnchors::SelfSigned,
        encrypted_keys: EncryptedKeys::Decrypted,
    };
}
