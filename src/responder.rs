//! An OCSP responder on loopback, as a real CA runs one (RFC 6960 Appendix A, RFC 5019),
//! and the client side that asks it.
//!
//! The responder signs nothing: it serves pre-signed `OCSPResponse`s from a table keyed by
//! certificate serial. It answers `POST` (the DER request as the body) and `GET` (the
//! request base64-encoded in the last part of the path), always with HTTP 200 and
//! `Content-Type: application/ocsp-response` as real responders do: an unknown serial gets
//! `unauthorized`, a request that does not parse gets `malformedRequest`.

use base64::Engine;
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
use der::{Decode, Encode};
use std::collections::HashMap;
use std::fmt;
use std::io::Read;
use std::net::{SocketAddr, TcpListener};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};
use x509_ocsp::{OcspRequest, OcspResponse};

/// The largest OCSP request the responder reads and the largest response `fetch` accepts.
pub const MAX_MESSAGE: usize = 64 * 1024;
pub const OCSP_REQUEST_TYPE: &str = "application/ocsp-request";
pub const OCSP_RESPONSE_TYPE: &str = "application/ocsp-response";

/// Requests handled at once; past this the responder stops taking new ones until one ends,
/// so a flood of stalled clients costs threads up to here and no further.
const MAX_IN_FLIGHT: usize = 64;
/// How long dropping a `Responder` waits for the listening socket to close.
const RELEASE_WAIT: Duration = Duration::from_secs(2);

/// Pre-signed answers keyed by certificate serial (the big-endian magnitude bytes, no
/// leading zero).
#[derive(Debug, Clone, Default)]
pub struct StatusTable(HashMap<Vec<u8>, Vec<u8> /* DER OCSPResponse */>);

impl StatusTable {
    pub fn new() -> StatusTable {
        StatusTable::default()
    }

    /// Adds the answer for `serial`, given as magnitude bytes or as DER INTEGER content
    /// (a leading zero byte is ignored either way).
    pub fn insert(&mut self, serial: &[u8], response_der: Vec<u8>) -> &mut StatusTable {
        self.0.insert(serial_key(serial).to_vec(), response_der);
        self
    }
}

/// A serial as the table keys it: the DER INTEGER content without the leading zero bytes
/// that keep a positive number positive (zero itself stays one byte).
pub fn serial_key(bytes: &[u8]) -> &[u8] {
    let zeros = bytes.iter().take_while(|&&b| b == 0).count();
    &bytes[zeros.min(bytes.len().saturating_sub(1))..]
}

/// An `OCSPResponse` with only a status (no responseBytes), DER-encoded.
pub fn status_only(response: OcspResponse) -> Vec<u8> {
    response
        .to_der()
        .expect("an OCSPResponse of a status alone always encodes")
}

/// The answer to one OCSP request (DER): the table's response for the first serial asked
/// that the table knows, `unauthorized` if it knows none, `malformedRequest` if the request
/// does not parse or asks about nothing.
pub fn answer(request_der: &[u8], table: &HashMap<Vec<u8>, Vec<u8>>) -> Vec<u8> {
    let Ok(request) = OcspRequest::from_der(request_der) else {
        return status_only(OcspResponse::malformed_request());
    };
    let serials = &request.tbs_request.request_list;
    if serials.is_empty() {
        return status_only(OcspResponse::malformed_request());
    }
    serials
        .iter()
        .find_map(|r| table.get(serial_key(r.req_cert.serial_number.as_bytes())))
        .cloned()
        .unwrap_or_else(|| status_only(OcspResponse::unauthorized()))
}

/// The DER request carried by a GET's request-target: the base64 of the request, URL-encoded,
/// as the last part of the path. A base64 `/` may be sent unencoded, so the path is tried
/// from each `/` on, longest first; the first candidate that parses as an OCSPRequest wins.
pub fn request_from_path(target: &str) -> Option<Vec<u8>> {
    // Absolute form (`http://host/path`), as sent to proxies: keep the path.
    let path = match target.split_once("://") {
        Some((_, rest)) => rest.find('/').map_or("/", |i| &rest[i..]),
        None => target,
    };
    let path = path.split(['?', '#']).next().unwrap_or_default();
    let lenient = GeneralPurpose::new(
        &base64::alphabet::STANDARD,
        GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent),
    );
    path.match_indices('/').find_map(|(i, _)| {
        let encoded = percent_encoding::percent_decode_str(&path[i + 1..]).collect::<Vec<u8>>();
        // Tolerate the URL-safe alphabet and stray whitespace from hand-made URLs.
        let encoded: Vec<u8> = encoded
            .into_iter()
            .filter(|b| !b.is_ascii_whitespace())
            .map(|b| match b {
                b'-' => b'+',
                b'_' => b'/',
                other => other,
            })
            .collect();
        let der = lenient.decode(&encoded).ok()?;
        OcspRequest::from_der(&der).is_ok().then_some(der)
    })
}

/// An OCSP responder serving a `StatusTable` over HTTP in background threads. Dropping it
/// stops it: the dispatching thread is joined and the port is closed before `drop` returns.
pub struct Responder {
    server: Option<Arc<tiny_http::Server>>,
    dispatcher: Option<JoinHandle<()>>,
    address: SocketAddr,
    served: Arc<AtomicUsize>,
}

impl fmt::Debug for Responder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Responder")
            .field("address", &self.address)
            .field("served", &self.requests_served())
            .finish()
    }
}

impl Responder {
    /// Binds `listen` (e.g. 127.0.0.1:0 or a fixed address) and serves in a background thread.
    pub fn start(listen: SocketAddr, table: StatusTable) -> std::io::Result<Responder> {
        let listener = TcpListener::bind(listen)?;
        let address = listener.local_addr()?;
        let server = tiny_http::Server::from_listener(listener, None)
            .map_err(|e| std::io::Error::other(format!("cannot serve on {address}: {e}")))?;
        let server = Arc::new(server);
        let served = Arc::new(AtomicUsize::new(0));
        // `insert` is the only way in, so every key is already a `serial_key`.
        let table = Arc::new(table.0);
        let dispatcher = {
            let server = server.clone();
            let served = served.clone();
            std::thread::Builder::new()
                .name(format!("ocsp-responder {address}"))
                .spawn(move || dispatch(&server, &table, &served))?
        };
        Ok(Responder {
            server: Some(server),
            dispatcher: Some(dispatcher),
            address,
            served,
        })
    }

    pub fn local_addr(&self) -> SocketAddr {
        self.address
    }

    /// The responder's URL, for an AIA extension or `openssl ocsp -url`.
    pub fn url(&self) -> String {
        format!("http://{}/", self.address)
    }

    /// How many requests it has answered (any method, any outcome).
    pub fn requests_served(&self) -> usize {
        self.served.load(Ordering::SeqCst)
    }
}

impl Drop for Responder {
    fn drop(&mut self) {
        if let Some(server) = &self.server {
            server.unblock();
        }
        if let Some(dispatcher) = self.dispatcher.take() {
            let _ = dispatcher.join();
        }
        // The dispatcher held the only other reference: this drop closes the server, whose
        // accept thread then lets go of the listening socket. Wait until it has, so the
        // port can be bound again as soon as we return.
        drop(self.server.take());
        let deadline = Instant::now() + RELEASE_WAIT;
        while TcpListener::bind(self.address).is_err() && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(5));
        }
    }
}

/// Counts the requests being handled; the dispatcher waits while there are too many.
#[derive(Default)]
struct InFlight {
    count: Mutex<usize>,
    changed: Condvar,
}

impl InFlight {
    fn enter(self: &Arc<Self>) -> InFlightGuard {
        let mut count = self.count.lock().unwrap_or_else(|e| e.into_inner());
        while *count >= MAX_IN_FLIGHT {
            count = self.changed.wait(count).unwrap_or_else(|e| e.into_inner());
        }
        *count += 1;
        InFlightGuard(self.clone())
    }
}

/// One request in flight; leaving (even by panic) frees its place.
struct InFlightGuard(Arc<InFlight>);

impl Drop for InFlightGuard {
    fn drop(&mut self) {
        let mut count = self.0.count.lock().unwrap_or_else(|e| e.into_inner());
        *count -= 1;
        self.0.changed.notify_one();
    }
}

/// Takes requests off the server's queue until `unblock`, each handled in its own thread so
/// that a client slow to send its body holds up nobody else.
fn dispatch(
    server: &tiny_http::Server,
    table: &Arc<HashMap<Vec<u8>, Vec<u8>>>,
    served: &Arc<AtomicUsize>,
) {
    let in_flight = Arc::new(InFlight::default());
    while let Ok(request) = server.recv() {
        let guard = in_flight.enter();
        let (table, served) = (table.clone(), served.clone());
        // Should no thread be available, the request is dropped and tiny_http answers 500.
        let _ = std::thread::Builder::new()
            .name("ocsp-request".into())
            .spawn(move || {
                let _guard = guard;
                handle(request, &table, &served);
            });
    }
}

fn header(name: &str, value: &str) -> tiny_http::Header {
    tiny_http::Header::from_bytes(name.as_bytes(), value.as_bytes())
        .expect("fixed ASCII header names and values")
}

/// What one HTTP request gets back.
enum Reply {
    /// 200 with an OCSPResponse.
    Ocsp(Vec<u8>),
    /// An HTTP error with no body.
    Status(u16),
}

fn handle(
    mut request: tiny_http::Request,
    table: &HashMap<Vec<u8>, Vec<u8>>,
    served: &AtomicUsize,
) {
    let reply = match request.method() {
        tiny_http::Method::Post => match read_body(&mut request) {
            Ok(body) => Reply::Ocsp(answer(&body, table)),
            Err(status) => Reply::Status(status),
        },
        tiny_http::Method::Get => Reply::Ocsp(match request_from_path(request.url()) {
            Some(der) => answer(&der, table),
            None => status_only(OcspResponse::malformed_request()),
        }),
        _ => Reply::Status(405),
    };
    let response = match reply {
        Reply::Ocsp(der) => tiny_http::Response::from_data(der)
            .with_header(header("Content-Type", OCSP_RESPONSE_TYPE))
            .with_header(header("Cache-Control", "no-cache")),
        Reply::Status(status) => {
            let response = tiny_http::Response::from_data(Vec::new()).with_status_code(status);
            match status {
                405 => response.with_header(header("Allow", "GET, POST")),
                _ => response.with_header(header("Connection", "close")),
            }
        }
    };
    // Counted before the answer leaves, so a client holding it already sees the count.
    served.fetch_add(1, Ordering::SeqCst);
    let _ = request.respond(response);
}

/// The body of a POST, or the HTTP status refusing it: 413 over `MAX_MESSAGE`, 400 if the
/// client broke off.
fn read_body(request: &mut tiny_http::Request) -> Result<Vec<u8>, u16> {
    if request.body_length().is_some_and(|n| n > MAX_MESSAGE) {
        return Err(413);
    }
    let mut body = Vec::new();
    request
        .as_reader()
        .take(MAX_MESSAGE as u64 + 1)
        .read_to_end(&mut body)
        .map_err(|_| 400u16)?;
    if body.len() > MAX_MESSAGE {
        return Err(413);
    }
    Ok(body)
}

/// Why `fetch` got no OCSP response.
#[derive(Debug)]
pub enum FetchError {
    /// The URL cannot be used: malformed, or not `http://`.
    BadUrl { url: String, problem: String },
    /// Nothing listens there: the connection was refused.
    Refused { url: String },
    /// The connection could not be made for another reason (name lookup, unreachable…).
    Connect { url: String, problem: String },
    /// No complete answer within the timeout.
    Timeout { url: String, timeout: Duration },
    /// The connection broke, or what came back was not HTTP.
    Transport { url: String, problem: String },
    /// An HTTP status other than 200.
    Status { url: String, status: u16 },
    /// A 200 whose Content-Type is not `application/ocsp-response`.
    ContentType { url: String, found: Option<String> },
    /// An answer larger than `MAX_MESSAGE`.
    TooLarge { url: String, limit: usize },
}

impl fmt::Display for FetchError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FetchError::BadUrl { url, problem } => {
                write!(f, "OCSP responder URL '{url}' is unusable: {problem}")
            }
            FetchError::Refused { url } => {
                write!(
                    f,
                    "OCSP responder {url} refused the connection (nothing listens there)"
                )
            }
            FetchError::Connect { url, problem } => {
                write!(f, "cannot connect to OCSP responder {url}: {problem}")
            }
            FetchError::Timeout { url, timeout } => write!(
                f,
                "OCSP responder {url} did not answer within {} ms",
                timeout.as_millis()
            ),
            FetchError::Transport { url, problem } => {
                write!(f, "OCSP responder {url}: {problem}")
            }
            FetchError::Status { url, status } => {
                write!(f, "OCSP responder {url} answered HTTP {status}, not 200")
            }
            FetchError::ContentType { url, found } => write!(
                f,
                "OCSP responder {url} answered with Content-Type {}, not {OCSP_RESPONSE_TYPE}",
                found.as_deref().unwrap_or("(none)")
            ),
            FetchError::TooLarge { url, limit } => write!(
                f,
                "OCSP responder {url} sent more than {} KiB",
                limit / 1024
            ),
        }
    }
}

impl std::error::Error for FetchError {}

/// The first `std::io::Error` in an error's chain of causes.
fn io_cause<'a>(error: &'a (dyn std::error::Error + 'static)) -> Option<&'a std::io::Error> {
    let mut cause = Some(error);
    while let Some(e) = cause {
        if let Some(io) = e.downcast_ref::<std::io::Error>() {
            return Some(io);
        }
        cause = e.source();
    }
    None
}

fn is_timeout(e: &std::io::Error) -> bool {
    matches!(
        e.kind(),
        std::io::ErrorKind::TimedOut | std::io::ErrorKind::WouldBlock
    )
}

fn transport_error(url: &str, timeout: Duration, error: ureq::Transport) -> FetchError {
    use ureq::ErrorKind as Kind;
    let url = url.to_string();
    let io = io_cause(&error);
    if io.is_some_and(is_timeout) {
        return FetchError::Timeout { url, timeout };
    }
    match error.kind() {
        Kind::InvalidUrl | Kind::UnknownScheme | Kind::InsecureRequestHttpsOnly => {
            FetchError::BadUrl {
                url,
                problem: error.to_string(),
            }
        }
        Kind::ConnectionFailed
            if io.is_some_and(|e| e.kind() == std::io::ErrorKind::ConnectionRefused) =>
        {
            FetchError::Refused { url }
        }
        Kind::ConnectionFailed | Kind::Dns | Kind::ProxyConnect => FetchError::Connect {
            url,
            problem: error.to_string(),
        },
        _ => FetchError::Transport {
            url,
            problem: error.to_string(),
        },
    }
}

/// POSTs `request_der` (Content-Type application/ocsp-request) to `url` and returns the body
/// of a 200 answer with Content-Type application/ocsp-response; every failure (refused,
/// timeout, other status, wrong type, oversized > 64 KiB) is an error that says which.
/// Redirects are not followed (a 3xx is an error), as OCSP clients do.
pub fn fetch(url: &str, request_der: &[u8], timeout: Duration) -> Result<Vec<u8>, FetchError> {
    // Built without TLS, ureq would connect to an https:// URL before failing.
    if !url
        .get(..7)
        .is_some_and(|s| s.eq_ignore_ascii_case("http://"))
    {
        return Err(FetchError::BadUrl {
            url: url.to_string(),
            problem: "only http:// URLs are supported (OCSP is served over plain HTTP)".into(),
        });
    }
    let agent = ureq::AgentBuilder::new()
        .timeout(timeout)
        .redirects(0)
        .build();
    let response = match agent
        .post(url)
        .set("Content-Type", OCSP_REQUEST_TYPE)
        .set("Accept", OCSP_RESPONSE_TYPE)
        .send_bytes(request_der)
    {
        Ok(response) => response,
        Err(ureq::Error::Status(status, _)) => {
            return Err(FetchError::Status {
                url: url.to_string(),
                status,
            });
        }
        Err(ureq::Error::Transport(error)) => return Err(transport_error(url, timeout, error)),
    };
    if response.status() != 200 {
        return Err(FetchError::Status {
            url: url.to_string(),
            status: response.status(),
        });
    }
    let content_type = response.header("Content-Type").map(str::to_string);
    let essence = content_type
        .as_deref()
        .map(|value| value.split(';').next().unwrap_or_default().trim());
    if !essence.is_some_and(|t| t.eq_ignore_ascii_case(OCSP_RESPONSE_TYPE)) {
        return Err(FetchError::ContentType {
            url: url.to_string(),
            found: content_type,
        });
    }
    let too_large = || FetchError::TooLarge {
        url: url.to_string(),
        limit: MAX_MESSAGE,
    };
    let declared = response
        .header("Content-Length")
        .and_then(|n| n.trim().parse::<u64>().ok());
    if declared.is_some_and(|n| n > MAX_MESSAGE as u64) {
        return Err(too_large());
    }
    let mut body = Vec::new();
    response
        .into_reader()
        .take(MAX_MESSAGE as u64 + 1)
        .read_to_end(&mut body)
        .map_err(|e| match is_timeout(&e) {
            true => FetchError::Timeout {
                url: url.to_string(),
                timeout,
            },
            false => FetchError::Transport {
                url: url.to_string(),
                problem: format!("reading the answer failed: {e}"),
            },
        })?;
    if body.len() > MAX_MESSAGE {
        return Err(too_large());
    }
    Ok(body)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ca::Ca;
    use crate::ocsp::{CertIdHash, cert_id};
    use std::io::Write;
    use std::net::{Ipv4Addr, TcpStream};
    use std::process::Command;
    use x509_cert::Certificate;
    use x509_cert::serial_number::SerialNumber;
    use x509_ocsp::builder::OcspRequestBuilder;
    use x509_ocsp::{OcspResponseStatus, Request, Version};

    const TIMEOUT: Duration = Duration::from_secs(10);

    fn loopback() -> SocketAddr {
        SocketAddr::from((Ipv4Addr::LOCALHOST, 0))
    }

    fn issuer() -> Certificate {
        Certificate::from_der(Ca::new().unwrap().der()).unwrap()
    }

    /// A real OCSP request (x509-ocsp's builder) about `serials`, DER-encoded, each CertID
    /// hashed with SHA-1 as OpenSSL sends by default.
    fn request_for(serials: &[&[u8]]) -> Vec<u8> {
        let issuer = issuer();
        let mut builder = OcspRequestBuilder::new(Version::V1);
        for serial in serials {
            let serial = SerialNumber::new(serial).unwrap();
            builder = builder.with_request(Request {
                req_cert: cert_id(CertIdHash::Sha1, &issuer, serial).unwrap(),
                single_request_extensions: None,
            });
        }
        builder.build().to_der().unwrap()
    }

    fn status_of(der: &[u8]) -> OcspResponseStatus {
        OcspResponse::from_der(der).unwrap().response_status
    }

    /// Some DER OCSPResponse to stand for a signed answer: the responder never parses it.
    fn canned() -> Vec<u8> {
        status_only(OcspResponse::try_later())
    }

    fn table(serial: &[u8], response: Vec<u8>) -> StatusTable {
        let mut table = StatusTable::new();
        table.insert(serial, response);
        table
    }

    #[test]
    fn a_posted_request_gets_the_tables_answer_for_its_serial() {
        let responder = Responder::start(loopback(), table(&[0x42, 0x17], canned())).unwrap();
        let body = fetch(&responder.url(), &request_for(&[&[0x42, 0x17]]), TIMEOUT).unwrap();
        assert_eq!(body, canned());
        // Any path works for POST.
        let url = format!("http://{}/ocsp/ca1", responder.local_addr());
        assert_eq!(
            fetch(&url, &request_for(&[&[0x42, 0x17]]), TIMEOUT).unwrap(),
            canned()
        );
        assert_eq!(responder.requests_served(), 2);
    }

    #[test]
    fn the_first_known_serial_asked_is_answered() {
        let responder = Responder::start(loopback(), table(&[0x07], canned())).unwrap();
        let body = fetch(&responder.url(), &request_for(&[&[0x99], &[0x07]]), TIMEOUT).unwrap();
        assert_eq!(body, canned());
    }

    #[test]
    fn serials_match_with_or_without_the_sign_byte() {
        // 0x80 needs a leading zero in DER; the table is keyed by magnitude.
        let responder = Responder::start(loopback(), table(&[0x80, 0x01], canned())).unwrap();
        let body = fetch(
            &responder.url(),
            &request_for(&[&[0x00, 0x80, 0x01]]),
            TIMEOUT,
        );
        assert_eq!(body.unwrap(), canned());
        let responder = Responder::start(loopback(), table(&[0x00, 0x80, 0x01], canned())).unwrap();
        let body = fetch(
            &responder.url(),
            &request_for(&[&[0x00, 0x80, 0x01]]),
            TIMEOUT,
        );
        assert_eq!(body.unwrap(), canned());
        assert_eq!(serial_key(&[0, 0, 5]), [5]);
        assert_eq!(serial_key(&[0]), [0]);
    }

    #[test]
    fn get_with_the_base64_request_in_the_path() {
        let responder = Responder::start(loopback(), table(&[0x42], canned())).unwrap();
        let der = request_for(&[&[0x42]]);
        let b64 = base64::engine::general_purpose::STANDARD.encode(&der);
        let encoded =
            percent_encoding::utf8_percent_encode(&b64, percent_encoding::NON_ALPHANUMERIC)
                .to_string();
        let agent = ureq::AgentBuilder::new().timeout(TIMEOUT).build();
        for path in [
            format!("/{encoded}"),
            format!("/ocsp/{encoded}"),
            // Unencoded, `/`, `+` and `=` as they are.
            format!("/a/b/{b64}"),
        ] {
            let url = format!("http://{}{path}", responder.local_addr());
            let response = agent.get(&url).call().unwrap();
            assert_eq!(response.status(), 200);
            assert_eq!(response.content_type(), OCSP_RESPONSE_TYPE);
            let mut body = Vec::new();
            response.into_reader().read_to_end(&mut body).unwrap();
            assert_eq!(body, canned(), "{path}");
        }
        // A path that is no request is a malformed one.
        let url = format!("http://{}/not-a-request", responder.local_addr());
        let mut body = Vec::new();
        agent
            .get(&url)
            .call()
            .unwrap()
            .into_reader()
            .read_to_end(&mut body)
            .unwrap();
        assert_eq!(status_of(&body), OcspResponseStatus::MalformedRequest);
        assert_eq!(responder.requests_served(), 4);
    }

    #[test]
    fn a_serial_unknown_to_the_table_is_unauthorized() {
        let responder = Responder::start(loopback(), table(&[0x42], canned())).unwrap();
        let body = fetch(&responder.url(), &request_for(&[&[0x43]]), TIMEOUT).unwrap();
        assert_eq!(status_of(&body), OcspResponseStatus::Unauthorized);
        assert_eq!(OcspResponse::from_der(&body).unwrap().response_bytes, None);
        // Built from x509-ocsp's types, not counted bytes: 30 03 0a 01 06.
        assert_eq!(body, [0x30, 0x03, 0x0a, 0x01, 0x06]);
    }

    #[test]
    fn a_request_that_does_not_parse_is_malformed() {
        let responder = Responder::start(loopback(), table(&[0x42], canned())).unwrap();
        for garbage in [&b"not DER at all"[..], &[], &[0x30, 0x00]] {
            let body = fetch(&responder.url(), garbage, TIMEOUT).unwrap();
            assert_eq!(status_of(&body), OcspResponseStatus::MalformedRequest);
        }
        // A request asking about no certificate at all.
        let empty = OcspRequestBuilder::new(Version::V1)
            .build()
            .to_der()
            .unwrap();
        let body = fetch(&responder.url(), &empty, TIMEOUT).unwrap();
        assert_eq!(status_of(&body), OcspResponseStatus::MalformedRequest);
        // A valid request with trailing bytes is not a valid request.
        let mut trailing = request_for(&[&[0x42]]);
        trailing.push(0);
        let body = fetch(&responder.url(), &trailing, TIMEOUT).unwrap();
        assert_eq!(status_of(&body), OcspResponseStatus::MalformedRequest);
    }

    #[test]
    fn other_methods_get_405_and_oversized_bodies_413() {
        let responder = Responder::start(loopback(), StatusTable::new()).unwrap();
        let agent = ureq::AgentBuilder::new().timeout(TIMEOUT).build();
        match agent.put(&responder.url()).send_bytes(b"x") {
            Err(ureq::Error::Status(405, response)) => {
                assert_eq!(response.header("Allow"), Some("GET, POST"));
            }
            other => panic!("expected 405, got {other:?}"),
        }
        let big = vec![0u8; MAX_MESSAGE + 1];
        let error = fetch(&responder.url(), &big, TIMEOUT).unwrap_err();
        assert!(
            matches!(error, FetchError::Status { status: 413, .. }),
            "{error}"
        );
        assert!(error.to_string().contains("413"), "{error}");
        // Exactly the limit is read (and is malformed).
        let body = fetch(&responder.url(), &vec![0u8; MAX_MESSAGE], TIMEOUT).unwrap();
        assert_eq!(status_of(&body), OcspResponseStatus::MalformedRequest);
        assert_eq!(responder.requests_served(), 3);
    }

    #[test]
    fn a_chunked_body_over_the_limit_is_refused_too() {
        let responder = Responder::start(loopback(), StatusTable::new()).unwrap();
        let mut socket = TcpStream::connect(responder.local_addr()).unwrap();
        socket.set_read_timeout(Some(TIMEOUT)).unwrap();
        write!(
            socket,
            "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
        )
        .unwrap();
        let chunk = vec![b'a'; 8192];
        for _ in 0..(MAX_MESSAGE / chunk.len() + 1) {
            write!(socket, "{:x}\r\n", chunk.len()).unwrap();
            socket.write_all(&chunk).unwrap();
            socket.write_all(b"\r\n").unwrap();
        }
        socket.write_all(b"0\r\n\r\n").unwrap();
        let mut answer = String::new();
        let _ = socket.read_to_string(&mut answer);
        assert!(answer.starts_with("HTTP/1.1 413"), "{answer}");
    }

    #[test]
    fn a_slow_client_does_not_hold_up_others() {
        let responder = Responder::start(loopback(), table(&[0x42], canned())).unwrap();
        // Promises a body and sends only part of it (tiny_http itself reads bodies up to
        // 1 KiB before queueing the request; a larger one is read by the handler).
        let mut stalled = TcpStream::connect(responder.local_addr()).unwrap();
        write!(
            stalled,
            "POST / HTTP/1.1\r\nHost: x\r\nContent-Type: {OCSP_REQUEST_TYPE}\r\nContent-Length: 4000\r\n\r\n0"
        )
        .unwrap();
        std::thread::sleep(Duration::from_millis(100));
        let started = Instant::now();
        let body = fetch(&responder.url(), &request_for(&[&[0x42]]), TIMEOUT).unwrap();
        assert_eq!(body, canned());
        assert!(started.elapsed() < Duration::from_secs(2));
        // Many at once.
        let url = responder.url();
        let clients: Vec<_> = (0..16)
            .map(|_| {
                let url = url.clone();
                std::thread::spawn(move || fetch(&url, &request_for(&[&[0x42]]), TIMEOUT))
            })
            .collect();
        for client in clients {
            assert_eq!(client.join().unwrap().unwrap(), canned());
        }
        assert_eq!(responder.requests_served(), 17);
    }

    #[test]
    fn nothing_listening_is_refused_quickly() {
        let address = TcpListener::bind(loopback()).unwrap().local_addr().unwrap();
        let started = Instant::now();
        let error = fetch(&format!("http://{address}/"), b"x", TIMEOUT).unwrap_err();
        assert!(matches!(error, FetchError::Refused { .. }), "{error:?}");
        assert!(error.to_string().contains("refused"), "{error}");
        assert!(started.elapsed() < Duration::from_secs(2));
    }

    #[test]
    fn a_server_that_never_answers_times_out() {
        let listener = TcpListener::bind(loopback()).unwrap();
        let url = format!("http://{}/", listener.local_addr().unwrap());
        let timeout = Duration::from_millis(300);
        let started = Instant::now();
        let error = fetch(&url, &request_for(&[&[0x42]]), timeout).unwrap_err();
        let elapsed = started.elapsed();
        assert!(matches!(error, FetchError::Timeout { .. }), "{error:?}");
        assert!(error.to_string().contains("300 ms"), "{error}");
        assert!(
            elapsed >= Duration::from_millis(250) && elapsed < Duration::from_secs(3),
            "{elapsed:?}"
        );
        drop(listener);
    }

    /// Serves one canned HTTP answer on a raw socket, for the client's error paths.
    fn one_answer(answer: &'static [u8]) -> (String, JoinHandle<()>) {
        let listener = TcpListener::bind(loopback()).unwrap();
        let url = format!("http://{}/", listener.local_addr().unwrap());
        let server = std::thread::spawn(move || {
            let (mut socket, _) = listener.accept().unwrap();
            socket
                .set_read_timeout(Some(Duration::from_millis(200)))
                .unwrap();
            let mut sink = [0u8; 4096];
            let _ = socket.read(&mut sink);
            socket.write_all(answer).unwrap();
        });
        (url, server)
    }

    #[test]
    fn fetch_rejects_wrong_statuses_types_and_sizes() {
        type Expected = fn(&FetchError) -> bool;
        let cases: [(&'static [u8], Expected); 5] = [
            (
                b"HTTP/1.1 500 Oops\r\nContent-Length: 0\r\n\r\n",
                |e| matches!(e, FetchError::Status { status: 500, .. }),
            ),
            (
                b"HTTP/1.1 302 Found\r\nLocation: http://127.0.0.1:1/\r\nContent-Length: 0\r\n\r\n",
                |e| matches!(e, FetchError::Status { status: 302, .. }),
            ),
            (
                b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 2\r\n\r\nhi",
                |e| matches!(e, FetchError::ContentType { found: Some(t), .. } if t == "text/html"),
            ),
            (
                b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nhi",
                |e| matches!(e, FetchError::ContentType { found: None, .. }),
            ),
            (
                b"HTTP/1.1 200 OK\r\nContent-Type: application/ocsp-response\r\nContent-Length: 70000\r\n\r\n",
                |e| matches!(e, FetchError::TooLarge { .. }),
            ),
        ];
        for (answer, expected) in cases {
            let (url, server) = one_answer(answer);
            let error = fetch(&url, b"x", TIMEOUT).unwrap_err();
            assert!(expected(&error), "{error:?}");
            server.join().unwrap();
        }
        // Without a Content-Length the body is counted as it comes.
        let mut answer = b"HTTP/1.1 200 OK\r\nContent-Type: Application/OCSP-Response; x=y\r\nConnection: close\r\n\r\n".to_vec();
        answer.extend(vec![0u8; MAX_MESSAGE + 1]);
        let (url, server) = one_answer(answer.leak());
        let error = fetch(&url, b"x", TIMEOUT).unwrap_err();
        assert!(matches!(error, FetchError::TooLarge { .. }), "{error:?}");
        server.join().unwrap();
        // Parameters and case in the Content-Type are fine.
        let (url, server) = one_answer(
            b"HTTP/1.1 200 OK\r\nContent-Type: Application/OCSP-Response; x=y\r\nContent-Length: 2\r\n\r\nok",
        );
        assert_eq!(fetch(&url, b"x", TIMEOUT).unwrap(), b"ok");
        server.join().unwrap();
        let error = fetch("https://127.0.0.1:1/", b"x", TIMEOUT).unwrap_err();
        assert!(matches!(error, FetchError::BadUrl { .. }), "{error:?}");
    }

    #[test]
    fn dropping_the_responder_releases_its_port() {
        let responder = Responder::start(loopback(), StatusTable::new()).unwrap();
        let address = responder.local_addr();
        fetch(&responder.url(), b"x", TIMEOUT).unwrap();
        let started = Instant::now();
        drop(responder);
        assert!(started.elapsed() < RELEASE_WAIT);
        let error = fetch(&format!("http://{address}/"), b"x", TIMEOUT).unwrap_err();
        assert!(matches!(error, FetchError::Refused { .. }), "{error:?}");
        // And the same fixed address can serve again.
        let again = Responder::start(address, StatusTable::new()).unwrap();
        assert_eq!(again.local_addr(), address);
        fetch(&again.url(), b"x", TIMEOUT).unwrap();
    }

    fn openssl() -> bool {
        Command::new("openssl")
            .arg("version")
            .output()
            .is_ok_and(|o| o.status.success())
    }

    /// Runs `openssl ocsp` for `leaf` against `url`; returns its combined output.
    fn openssl_ocsp(dir: &std::path::Path, url: &str) -> String {
        let output = Command::new("openssl")
            .env("OPENSSL_CONF", "/dev/null")
            .args(["ocsp", "-issuer"])
            .arg(dir.join("ca.pem"))
            .arg("-cert")
            .arg(dir.join("leaf.pem"))
            .args(["-url", url, "-noverify", "-resp_text", "-timeout", "10"])
            .output()
            .unwrap();
        format!(
            "{}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        )
    }

    #[test]
    fn openssl_ocsp_reaches_the_responder() {
        if !openssl() {
            eprintln!("skipped: no openssl on PATH");
            return;
        }
        let ca = Ca::new().unwrap();
        let leaf = ca.issue(&["localhost"]).unwrap();
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("ca.pem"), ca.pem()).unwrap();
        std::fs::write(dir.path().join("leaf.pem"), leaf.pem()).unwrap();
        let serial = Certificate::from_der(leaf.der())
            .unwrap()
            .tbs_certificate
            .serial_number
            .as_bytes()
            .to_vec();

        // Known serial: openssl gets the table's bytes (tryLater here, as nothing is signed).
        let responder = Responder::start(loopback(), table(&serial, canned())).unwrap();
        let output = openssl_ocsp(dir.path(), &responder.url());
        assert_eq!(responder.requests_served(), 1, "{output}");
        assert!(output.contains("Responder Error: trylater"), "{output}");

        // Unknown serial: unauthorized.
        let responder = Responder::start(loopback(), table(&[0x01], canned())).unwrap();
        let output = openssl_ocsp(dir.path(), &responder.url());
        assert_eq!(responder.requests_served(), 1, "{output}");
        assert!(output.contains("Responder Error: unauthorized"), "{output}");
    }
}
