//! The files a fixture writes, named after the fixture. Cases refer to fixtures by name and
//! the build writes the files; both take the file names from here, so a case can never
//! point at a file its fixture does not write under that name.

/// `NAME.pem`: a certificate, or a CA bundle.
pub(super) fn certificate(fixture: &str) -> String {
    format!("{fixture}.pem")
}

/// `NAME.key.pem`: the private key of a CA, leaf or client fixture.
pub(super) fn private_key(fixture: &str) -> String {
    format!("{fixture}.key.pem")
}

/// `NAME.chain.pem`: a leaf followed by its intermediates, as a server sends them.
pub(super) fn chain(leaf: &str) -> String {
    format!("{leaf}.chain.pem")
}

/// `NAME.cert-key.pem`: the leaf's certificate, then its key: the one file a server that reads
/// both from one place (mongod's `--tlsCertificateKeyFile`) takes, for a server that sends
/// its certificate alone.
pub(super) fn certificate_then_key(leaf: &str) -> String {
    format!("{leaf}.cert-key.pem")
}

/// `NAME.chain-key.pem`: the leaf and its intermediates, as a server sends them, then the
/// leaf's key: the same one file, for a server that sends its chain.
pub(super) fn chain_then_key(leaf: &str) -> String {
    format!("{leaf}.chain-key.pem")
}

/// `NAME.crt.pem`: a client's certificate alone.
pub(super) fn client_certificate(client: &str) -> String {
    format!("{client}.crt.pem")
}

/// `NAME.pem`: key then certificate in one file, what `tlsCertificateKeyFile` takes.
pub(super) fn key_and_certificate(fixture: &str) -> String {
    format!("{fixture}.pem")
}

/// `NAME.pem`: a CRL as PEM, the only form PyMongo's `tlsCRLFile` reads.
pub(super) fn crl_pem(crl: &str) -> String {
    format!("{crl}.pem")
}

/// `NAME.der`: the same CRL as DER.
pub(super) fn crl_der(crl: &str) -> String {
    format!("{crl}.der")
}

/// `NAME.der`: a DER OCSP response, as a server staples it.
pub(super) fn ocsp_response(response: &str) -> String {
    format!("{response}.der")
}
