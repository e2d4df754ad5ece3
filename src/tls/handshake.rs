//! Real TLS handshakes on loopback: a rustls server presenting a case's server side, a
//! rustls client configured from a case's policy, and data exchanged both ways before a
//! connection counts as accepted (in TLS 1.3 a client learns of some rejections only on
//! its first read).

use crate::policy::CrlScope;
use crate::tls::identity::ClientIdentity;
use crate::tls::ocsp_rules::OcspPolicy;
use crate::tls::verifier::{Checks, PolicyVerifier, VerifierSetup};
use rustls::crypto::CryptoProvider;
use rustls::pki_types::{CertificateDer, CertificateRevocationListDer, PrivateKeyDer, ServerName};
use rustls::server::WebPkiClientVerifier;
use rustls::time_provider::{DefaultTimeProvider, TimeProvider};
use rustls::{
    ClientConfig, ClientConnection, RootCertStore, ServerConfig, ServerConnection, StreamOwned,
};
use std::io::{Read, Write};
use std::net::{Ipv4Addr, TcpListener, TcpStream};
use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};

/// Long enough for a debug build on a loaded 2-core machine, short enough that a hung
/// case does not hold up the matrix.
const IO_TIMEOUT: Duration = Duration::from_secs(10);
const REQUEST: &[u8] = b"ping\n";
const RESPONSE: &[u8] = b"pong\n";

use crate::pki::crypto::provider;

/// Whom the client trusts.
#[derive(Debug, Clone)]
pub enum Trust {
    /// The certificates of a `tlsCAFile`, of which the self-signed ones are trust anchors
    /// ([`CaFileAnchors::SelfSigned`](crate::policy::CaFileAnchors::SelfSigned)).
    Certificates(Vec<CertificateDer<'static>>),
    /// The certificates of a `tlsCAFile`, every one a trust anchor
    /// ([`CaFileAnchors::Every`](crate::policy::CaFileAnchors::Every)); those that do not
    /// parse as one are left out.
    EveryCertificate(Vec<CertificateDer<'static>>),
    /// The operating system's roots, as PyMongo's `load_default_certs()`.
    System,
}

/// The system's trust anchors, loaded once per process.
fn system_certificates() -> Vec<CertificateDer<'static>> {
    static CERTS: OnceLock<Vec<CertificateDer<'static>>> = OnceLock::new();
    CERTS
        .get_or_init(|| rustls_native_certs::load_native_certs().certs)
        .clone()
}

fn system_roots() -> RootCertStore {
    static ROOTS: OnceLock<RootCertStore> = OnceLock::new();
    ROOTS
        .get_or_init(|| {
            let mut roots = RootCertStore::empty();
            roots.add_parsable_certificates(system_certificates());
            roots
        })
        .clone()
}

/// What a case's server presents and asks for.
pub struct ServerSetup {
    /// The certificates sent in the handshake, leaf first, then any intermediates.
    pub chain: Vec<CertificateDer<'static>>,
    /// The leaf's private key, which signs the handshake.
    pub key: PrivateKeyDer<'static>,
    /// The TLS versions the server accepts (a case may narrow them to test a mismatch).
    pub tls_versions: Vec<&'static rustls::SupportedProtocolVersion>,
    /// Require a client certificate issued by one of these CAs (webpki's client verifier).
    pub client_ca: Option<Vec<CertificateDer<'static>>>,
    /// A DER OCSP response to staple.
    pub staple: Option<Vec<u8>>,
    /// Offer only these cipher suites (`None`: the provider's all).
    pub cipher_suites: Option<Vec<rustls::SupportedCipherSuite>>,
}

/// The server side at the machine's clock (which judges client certificates).
pub fn server_config(setup: ServerSetup) -> Result<Arc<ServerConfig>, rustls::Error> {
    server_config_at(setup, Arc::new(DefaultTimeProvider))
}

/// The server side with client certificates judged at `clock`'s time.
pub fn server_config_at(
    setup: ServerSetup,
    clock: Arc<dyn TimeProvider>,
) -> Result<Arc<ServerConfig>, rustls::Error> {
    let suites_offered = match setup.cipher_suites {
        None => provider(),
        Some(cipher_suites) => Arc::new(CryptoProvider {
            cipher_suites,
            ..(*provider()).clone()
        }),
    };
    let builder = ServerConfig::builder_with_details(suites_offered, clock)
        .with_protocol_versions(&setup.tls_versions)?;
    let builder = match &setup.client_ca {
        None => builder.with_no_client_auth(),
        Some(cas) => {
            let roots = root_store(cas)?;
            let verifier = WebPkiClientVerifier::builder_with_provider(Arc::new(roots), provider())
                .build()
                .map_err(|e| rustls::Error::General(format!("unusable client CA: {e}")))?;
            builder.with_client_cert_verifier(verifier)
        }
    };
    let config = match setup.staple {
        None => builder.with_single_cert(setup.chain, setup.key)?,
        Some(staple) => builder.with_single_cert_with_ocsp(setup.chain, setup.key, staple)?,
    };
    Ok(Arc::new(config))
}

/// Issued by itself: its issuer is its subject and its own key verifies its signature.
fn is_self_signed(cert: &CertificateDer<'_>) -> bool {
    use x509_parser::prelude::{FromDer, X509Certificate};
    X509Certificate::from_der(cert).is_ok_and(|(_, c)| {
        c.subject().as_raw() == c.issuer().as_raw() && c.verify_signature(None).is_ok()
    })
}

fn root_store(certs: &[CertificateDer<'static>]) -> Result<RootCertStore, rustls::Error> {
    let mut roots = RootCertStore::empty();
    for cert in certs {
        roots
            .add(cert.clone())
            .map_err(|e| rustls::Error::General(format!("unusable CA certificate: {e}")))?;
    }
    Ok(roots)
}

/// What a case's client trusts, checks and presents: the policy made concrete.
pub struct ClientSetup {
    /// The anchors the server's chain must end at.
    pub trust: Trust,
    /// Which checks on the server's certificate the policy keeps (`tlsInsecure`,
    /// `tlsAllowInvalidCertificates`, `tlsAllowInvalidHostnames` turn them off).
    pub checks: Checks,
    /// The TLS versions the client offers.
    pub tls_versions: Vec<&'static rustls::SupportedProtocolVersion>,
    /// Presented when the server asks for a certificate.
    pub identity: Option<ClientIdentity>,
    /// `tlsCRLFile`'s CRLs, as the driver loads them.
    pub crls: Vec<CertificateRevocationListDer<'static>>,
    /// Which certificates of the chain the CRLs are checked for.
    pub crl_scope: CrlScope,
    /// PyMongo's OCSP rules; `None` when certificates are not verified at all, or the driver
    /// has no OCSP.
    pub ocsp: Option<OcspPolicy>,
}

/// The client at the machine's clock.
pub fn client_config(setup: ClientSetup) -> Result<Arc<ClientConfig>, rustls::Error> {
    client_config_at(setup, Arc::new(DefaultTimeProvider))
}

/// The client with the server's certificates, CRLs and OCSP responses judged at `clock`'s
/// time (rustls hands it to the verifier as `now`).
pub fn client_config_at(
    setup: ClientSetup,
    clock: Arc<dyn TimeProvider>,
) -> Result<Arc<ClientConfig>, rustls::Error> {
    // As OpenSSL (and so PyMongo) without partial-chain: only self-signed certificates of
    // the CA file are trust anchors; the others may complete a chain, but not end one.
    let (anchors, extra_intermediates) = match &setup.trust {
        Trust::System => (system_certificates(), Vec::new()),
        Trust::Certificates(certs) => certs.iter().cloned().partition(|cert| is_self_signed(cert)),
        Trust::EveryCertificate(certs) => (certs.clone(), Vec::new()),
    };
    let roots = match &setup.trust {
        Trust::System => system_roots(),
        Trust::Certificates(_) => root_store(&anchors)?,
        Trust::EveryCertificate(_) => {
            // As rustls's own `add_parsable_certificates`, which the driver calls.
            let mut roots = RootCertStore::empty();
            roots.add_parsable_certificates(anchors.iter().cloned());
            roots
        }
    };
    let verifier = PolicyVerifier::new(
        VerifierSetup {
            roots,
            anchors,
            extra_intermediates,
            checks: setup.checks,
            crls: setup.crls,
            crl_scope: setup.crl_scope,
            ocsp: setup.ocsp,
        },
        provider(),
    )?;
    let builder = ClientConfig::builder_with_details(provider(), clock)
        .with_protocol_versions(&setup.tls_versions)?
        .dangerous()
        .with_custom_certificate_verifier(Arc::new(verifier));
    let config = match setup.identity {
        None => builder.with_no_client_auth(),
        Some(identity) => builder.with_client_auth_cert(identity.chain, identity.key)?,
    };
    Ok(Arc::new(config))
}

/// Why a handshake did not complete: the client's own error if it has one.
#[derive(Debug)]
pub enum Failure {
    /// rustls refused: a certificate, an alert from the peer, no version or cipher in
    /// common. `classify` names it.
    Tls(rustls::Error),
    /// The connection itself failed (refused, reset, timed out) without a TLS error.
    Io(std::io::Error),
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            // A policy refusal (OCSP) carries its own words; rustls would print its Debug form.
            Failure::Tls(rustls::Error::InvalidCertificate(rustls::CertificateError::Other(
                other,
            ))) => {
                write!(f, "invalid peer certificate: {}", other.0)
            }
            Failure::Tls(e) => write!(f, "{e}"),
            Failure::Io(e) => write!(f, "{e}"),
        }
    }
}

impl From<std::io::Error> for Failure {
    fn from(e: std::io::Error) -> Self {
        match e
            .get_ref()
            .and_then(|inner| inner.downcast_ref::<rustls::Error>())
        {
            Some(tls) => Failure::Tls(tls.clone()),
            None => Failure::Io(e),
        }
    }
}

/// After a failed handshake rustls has sent its alert; closing now, with the client's data
/// unread, would make the kernel send a reset that can overtake the alert. Stop writing and
/// drain until the client hangs up (or a second passes).
fn close_gently(socket: &TcpStream) {
    let _ = socket.shutdown(std::net::Shutdown::Write);
    let _ = socket.set_read_timeout(Some(Duration::from_secs(1)));
    let mut sink = [0u8; 4096];
    while matches!((&*socket).read(&mut sink), Ok(n) if n > 0) {}
}

/// Accepts one connection, or gives up after `timeout` (the client may never come).
fn accept_within(listener: &TcpListener, timeout: Duration) -> std::io::Result<TcpStream> {
    listener.set_nonblocking(true)?;
    let deadline = Instant::now() + timeout;
    loop {
        match listener.accept() {
            Ok((socket, _)) => {
                socket.set_nonblocking(false)?;
                return Ok(socket);
            }
            Err(e) if e.kind() == std::io::ErrorKind::WouldBlock && Instant::now() < deadline => {
                std::thread::sleep(Duration::from_millis(2));
            }
            Err(e) => return Err(e),
        }
    }
}

/// The one connection `listener` gets within [`IO_TIMEOUT`], as the TLS server `server`
/// configures, its reads and writes bounded by the same timeout.
fn accept_tls(
    listener: &TcpListener,
    server: Arc<ServerConfig>,
) -> Result<StreamOwned<ServerConnection, TcpStream>, Failure> {
    let socket = accept_within(listener, IO_TIMEOUT)?;
    socket.set_read_timeout(Some(IO_TIMEOUT))?;
    socket.set_write_timeout(Some(IO_TIMEOUT))?;
    let connection = ServerConnection::new(server).map_err(Failure::Tls)?;
    Ok(StreamOwned::new(connection, socket))
}

/// Connects a client to a fresh loopback server, handshakes and exchanges one request and
/// response. `Ok` only if both directions carried application data.
pub fn connect(
    server: Arc<ServerConfig>,
    client: Arc<ClientConfig>,
    server_name: ServerName<'static>,
) -> Result<(), Failure> {
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0))?;
    let address = listener.local_addr()?;
    let server_thread = std::thread::spawn(move || -> Result<(), Failure> {
        let mut stream = accept_tls(&listener, server)?;
        let served = (|| -> Result<(), Failure> {
            let mut request = [0u8; REQUEST.len()];
            stream.read_exact(&mut request)?;
            stream.write_all(RESPONSE)?;
            stream.conn.send_close_notify();
            stream.flush()?;
            Ok(())
        })();
        if served.is_err() {
            close_gently(&stream.sock);
        }
        served
    });

    let outcome = (|| -> Result<(), Failure> {
        let socket = TcpStream::connect(address)?;
        socket.set_read_timeout(Some(IO_TIMEOUT))?;
        socket.set_write_timeout(Some(IO_TIMEOUT))?;
        let connection = ClientConnection::new(client, server_name).map_err(Failure::Tls)?;
        let mut stream = StreamOwned::new(connection, socket);
        stream.write_all(REQUEST)?;
        stream.flush()?;
        let mut response = [0u8; RESPONSE.len()];
        stream.read_exact(&mut response)?;
        if response != RESPONSE {
            return Err(Failure::Io(std::io::Error::other(
                "server answered with unexpected data",
            )));
        }
        Ok(())
    })();
    // The server's side of a failure is the client's failure seen from the other end; the
    // client's error is the observation, the server thread only has to finish.
    let _ = server_thread.join();
    outcome
}

/// A client without TLS against a fresh loopback TLS server: it sends its request in
/// plaintext and reads. `Ok` only if the server answered it, which a TLS server cannot: it
/// takes the bytes for a TLS record, refuses them, and closes the connection.
pub fn connect_plaintext(server: Arc<ServerConfig>) -> Result<(), Failure> {
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0))?;
    let address = listener.local_addr()?;
    let server_thread = std::thread::spawn(move || -> Result<(), Failure> {
        let mut stream = accept_tls(&listener, server)?;
        let mut request = [0u8; REQUEST.len()];
        let served = stream.read_exact(&mut request).map_err(Failure::from);
        close_gently(&stream.sock);
        served
    });
    let outcome = (|| -> Result<(), Failure> {
        let mut socket = TcpStream::connect(address)?;
        socket.set_read_timeout(Some(IO_TIMEOUT))?;
        socket.set_write_timeout(Some(IO_TIMEOUT))?;
        socket.write_all(REQUEST)?;
        let mut answer = Vec::new();
        // A reset after the server's last bytes is the same refusal as a clean close.
        let _ = socket.read_to_end(&mut answer);
        if answer.starts_with(RESPONSE) {
            return Ok(());
        }
        Err(Failure::Io(std::io::Error::other(match answer.first() {
            None => "closed the connection without a word".to_string(),
            // 21: a TLS alert record.
            Some(21) => "answered with a TLS alert and closed the connection".to_string(),
            Some(_) => format!(
                "answered {} bytes that are no response and closed the connection",
                answer.len()
            ),
        })))
    })();
    let _ = server_thread.join();
    outcome
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pki::ca::Ca;
    use crate::policy::Reason;
    use crate::tls::classify::classify;
    use crate::tls::params::versions;
    use rustls::pki_types::PrivatePkcs8KeyDer;

    const ALL: &[&rustls::SupportedProtocolVersion] =
        &[&rustls::version::TLS12, &rustls::version::TLS13];
    const STRICT: Checks = Checks {
        certificates: true,
        hostname: true,
    };

    struct Pki {
        ca: Ca,
        server: Arc<ServerConfig>,
    }

    fn pki(names: &[&str]) -> Pki {
        let ca = Ca::new().unwrap();
        let leaf = ca.issue(names).unwrap();
        let server = serving(&leaf, vec![CertificateDer::from(leaf.der().to_vec())]);
        Pki { ca, server }
    }

    /// A server presenting `chain` with `leaf`'s key, every TLS version, no client CA.
    fn serving(leaf: &crate::pki::Leaf, chain: Vec<CertificateDer<'static>>) -> Arc<ServerConfig> {
        let key = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(leaf.key().pkcs8_der().to_vec()));
        server_config(ServerSetup {
            chain,
            key,
            tls_versions: ALL.to_vec(),
            client_ca: None,
            staple: None,
            cipher_suites: None,
        })
        .unwrap()
    }

    fn run(
        server: &Arc<ServerConfig>,
        trust: Trust,
        checks: Checks,
        host: &str,
    ) -> Result<(), Failure> {
        let client = client_config(ClientSetup {
            trust,
            checks,
            tls_versions: ALL.to_vec(),
            identity: None,
            crls: Vec::new(),
            crl_scope: CrlScope::Leaf,
            ocsp: None,
        })
        .unwrap();
        connect(
            server.clone(),
            client,
            ServerName::try_from(host.to_string()).unwrap(),
        )
    }

    fn trusting(ca: &Ca) -> Trust {
        Trust::Certificates(vec![CertificateDer::from(ca.der().to_vec())])
    }

    #[test]
    fn a_trusted_server_is_accepted_by_name_and_by_ip() {
        let pki = pki(&["localhost", "127.0.0.1"]);
        run(&pki.server, trusting(&pki.ca), STRICT, "localhost").unwrap();
        run(&pki.server, trusting(&pki.ca), STRICT, "127.0.0.1").unwrap();
    }

    #[test]
    fn a_name_mismatch_is_rejected_unless_hostnames_are_not_checked() {
        let pki = pki(&["wrong.example"]);
        let failure = run(&pki.server, trusting(&pki.ca), STRICT, "localhost").unwrap_err();
        assert_eq!(classify(&failure), Reason::HostnameMismatch, "{failure}");
        let relaxed = Checks {
            certificates: true,
            hostname: false,
        };
        run(&pki.server, trusting(&pki.ca), relaxed, "localhost").unwrap();
    }

    #[test]
    fn an_untrusted_issuer_is_rejected_unless_certificates_are_not_checked() {
        let pki = pki(&["localhost"]);
        let stranger = Ca::new().unwrap();
        let failure = run(&pki.server, trusting(&stranger), STRICT, "localhost").unwrap_err();
        assert_eq!(classify(&failure), Reason::UnknownIssuer, "{failure}");
        let empty = Trust::Certificates(Vec::new());
        let failure = run(&pki.server, empty, STRICT, "localhost").unwrap_err();
        assert_eq!(classify(&failure), Reason::UnknownIssuer, "{failure}");
        let off = Checks {
            certificates: false,
            hostname: false,
        };
        run(&pki.server, trusting(&stranger), off, "localhost").unwrap();
    }

    /// A CRL signed by `ca`, current, revoking nothing.
    fn empty_crl(ca: &Ca) -> CertificateRevocationListDer<'static> {
        let now = time::OffsetDateTime::now_utc();
        let crl = crate::pki::crl::CrlParams {
            this_update: now - time::Duration::hours(1),
            next_update: now + time::Duration::days(1),
            number: 1,
            revoked: Vec::new(),
        }
        .signed_by(ca)
        .unwrap();
        CertificateRevocationListDer::from(crl.der().to_vec())
    }

    /// With a chain root → intermediate → leaf, a leaf-only check needs the intermediate's
    /// CRL alone; a whole-chain check also needs the root's for the intermediate, and refuses
    /// the server with either CRL alone (OpenSSL's `CRL_CHECK_ALL`: "unable to get
    /// certificate CRL").
    #[test]
    fn a_chain_scope_needs_a_crl_for_every_certificate_below_the_root() {
        let root = Ca::new().unwrap();
        let intermediate = root.intermediate().build().unwrap();
        let leaf = intermediate.issue(&["localhost"]).unwrap();
        let server = serving(&leaf, leaf.chain());
        let run = |crls: Vec<CertificateRevocationListDer<'static>>, crl_scope| {
            let client = client_config(ClientSetup {
                trust: trusting(&root),
                checks: STRICT,
                tls_versions: ALL.to_vec(),
                identity: None,
                crls,
                crl_scope,
                ocsp: None,
            })
            .unwrap();
            connect(
                server.clone(),
                client,
                ServerName::try_from("localhost").unwrap(),
            )
        };
        let (of_root, of_intermediate) = (empty_crl(&root), empty_crl(&intermediate));
        run(vec![of_intermediate.clone()], CrlScope::Leaf).unwrap();
        for crls in [vec![of_intermediate.clone()], vec![of_root.clone()]] {
            let failure = run(crls, CrlScope::Chain).unwrap_err();
            assert_eq!(classify(&failure), Reason::CrlUntrusted, "{failure}");
        }
        run(vec![of_root, of_intermediate], CrlScope::Chain).unwrap();
    }

    #[test]
    fn a_plaintext_client_is_refused_by_a_tls_server() {
        let pki = pki(&["localhost"]);
        let failure = connect_plaintext(pki.server.clone()).unwrap_err();
        assert_eq!(classify(&failure), Reason::Other, "{failure}");
        assert!(
            failure.to_string().contains("closed the connection"),
            "{failure}"
        );
    }

    #[test]
    fn version_names() {
        assert_eq!(
            versions(&["1.3".into()]).unwrap(),
            [&rustls::version::TLS13]
        );
        assert!(versions(&["1.1".into()]).is_err());
    }
}
