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

impl TlsBehaviour {
    /// PyMongo 4.20.1 on CPython's `ssl`.
    pub const PYMONGO: TlsBehaviour = TlsBehaviour {
        ocsp: Ocsp::StapleAndResponder,
        crl_scope: CrlScope::Leaf,
        crls_loaded: CrlsLoaded::All,
        crl_pem_only: true,
        files_read: FilesRead::AtConstruction,
        ca_file_without_pem: CaFileWithoutPem::Error,
    };

    /// The Node.js driver 7.9.0 on Node's `tls`: no OCSP code, the CRL file handed to
    /// `tls.createSecureContext` as one `crl` buffer (one `PEM_read_bio_X509_CRL`, then
    /// `X509_V_FLAG_CRL_CHECK_ALL`), files read by `MongoClient.connect()` only when `tls`
    /// is on, and a `ca` buffer with no PEM certificate taken as an empty list of CAs.
    pub const NODE: TlsBehaviour = TlsBehaviour {
        ocsp: Ocsp::None,
        crl_scope: CrlScope::Chain,
        crls_loaded: CrlsLoaded::FirstOnly,
        crl_pem_only: true,
        files_read: FilesRead::AtConnect,
        ca_file_without_pem: CaFileWithoutPem::EmptyTrustStore,
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
        crl_scope: CrlScope::Leaf,
        crls_loaded: CrlsLoaded::All,
        crl_pem_only: true,
        files_read: FilesRead::AtConnect,
        ca_file_without_pem: CaFileWithoutPem::Error,
    };
}
