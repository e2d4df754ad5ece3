//! An OCSP responder on loopback, as a real CA runs one (RFC 6960 Appendix A, RFC 5019),
//! and the client side that asks it.
//!
//! The responder signs nothing: it serves pre-signed `OCSPResponse`s from a table keyed by
//! certificate serial. It answers `POST` (the DER request as the body) and `GET` (the
//! request base64-encoded in the last part of the path), always with HTTP 200 and
//! `Content-Type: application/ocsp-response` as real responders do: an unknown serial gets
//! `unauthorized`, a request that does not parse gets `malformedRequest`.

use crate::os::connections::{DeadlineStream, Slot, Slots};
use base64::Engine;
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
use der::{Decode, Encode};
use std::collections::HashMap;
use std::fmt;
use std::io::{BufRead, Read, Write};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, Shutdown, SocketAddr, TcpListener, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::thread::JoinHandle;
use std::time::Duration;
use x509_ocsp::{OcspRequest, OcspResponse};

/// The largest OCSP request the responder reads and the largest response `fetch` accepts.
pub const MAX_MESSAGE: usize = 64 * 1024;
pub const OCSP_REQUEST_TYPE: &str = "application/ocsp-request";
pub const OCSP_RESPONSE_TYPE: &str = "application/ocsp-response";

/// Connections handled at once, each on its own thread; a new one past this closes one that
/// has not sent its request (see `Responder`).
pub const MAX_CONNECTIONS: usize = 64;
/// A request's line, headers and body must all have arrived this long after it connected.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(5);
/// Each write of an answer must make progress within this (a client that never reads).
const WRITE_TIMEOUT: Duration = Duration::from_secs(5);
/// After answering, what the client still sends is read and dropped for this long at most,
/// so that closing does not reset the connection under the answer.
const LINGER: Duration = Duration::from_secs(1);
/// ... and this much at most.
const MAX_DRAINED: u64 = 1024 * 1024;
/// The request line and headers together.
const MAX_HEAD: usize = 16 * 1024;
/// The request-target. RFC 5019 keeps GET for requests under 255 bytes once encoded; this
/// leaves room for hand-made URLs and refuses the rest with 414.
const MAX_TARGET: usize = 4 * 1024;
/// How many of the last `/` in a GET's path are tried as the start of the base64 request.
/// A real request's base64 holds a few (one character in 64 is one); trying every `/` of a
/// path made of slashes would decode it once per slash.
const MAX_PATH_SPLITS: usize = 32;
/// One line of chunked framing (a chunk's size and extensions, or a trailer).
const MAX_CHUNK_LINE: usize = 1024;
/// How long dropping a `Responder` tries to connect to it to wake its accepting thread.
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
/// from each of the last `MAX_PATH_SPLITS` `/` on, longest first; the first candidate that
/// parses as an OCSPRequest wins.
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
    let slashes: Vec<usize> = path.match_indices('/').map(|(i, _)| i).collect();
    let last = &slashes[slashes.len().saturating_sub(MAX_PATH_SPLITS)..];
    last.iter().find_map(|&i| {
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

/// An OCSP responder serving a `StatusTable` over HTTP/1.x in background threads, one
/// request per connection. Dropping it stops it: the accepting thread is joined and the port
/// is closed before `drop` returns.
///
/// Hostile clients cannot starve a real one: a request (line, headers and body) must arrive
/// within `REQUEST_TIMEOUT` of connecting, at most `MAX_CONNECTIONS` are handled at once, and
/// a new connection past that closes one that has sent nothing, else the quietest of those
/// mid-request; never one whose request waits to be read or is being answered. A real
/// request, which arrives whole in a moment, is so answered however many stalled ones came
/// before it and however many new ones come after it.
pub struct Responder {
    address: SocketAddr,
    served: Arc<AtomicUsize>,
    stopping: Arc<AtomicBool>,
    slots: Slots,
    acceptor: Option<JoinHandle<()>>,
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
        let served = Arc::new(AtomicUsize::new(0));
        let stopping = Arc::new(AtomicBool::new(false));
        let slots = Slots::new(MAX_CONNECTIONS);
        // `insert` is the only way in, so every key is already a `serial_key`.
        let table = Arc::new(table.0);
        let acceptor = {
            let (served, stopping, slots) = (served.clone(), stopping.clone(), slots.clone());
            std::thread::Builder::new()
                .name(format!("ocsp-responder {address}"))
                .spawn(move || accept(&listener, &table, &served, &stopping, &slots))?
        };
        Ok(Responder {
            address,
            served,
            stopping,
            slots,
            acceptor: Some(acceptor),
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
        self.stopping.store(true, Ordering::SeqCst);
        // The accepting thread waits in `accept`: connecting wakes it, it sees `stopping` and
        // returns, closing the listening socket. Should the connection fail (no descriptor
        // left), it is not waited for: the next client to arrive wakes it instead.
        let woken = TcpStream::connect_timeout(&reachable(self.address), RELEASE_WAIT).is_ok();
        if let Some(acceptor) = self.acceptor.take()
            && woken
        {
            let _ = acceptor.join();
        }
        self.slots.close_all();
    }
}

/// Where to connect to reach a listener bound to `address` (an unspecified address is
/// reachable on loopback).
fn reachable(address: SocketAddr) -> SocketAddr {
    let ip = match address.ip() {
        IpAddr::V4(ip) if ip.is_unspecified() => IpAddr::V4(Ipv4Addr::LOCALHOST),
        IpAddr::V6(ip) if ip.is_unspecified() => IpAddr::V6(Ipv6Addr::LOCALHOST),
        ip => ip,
    };
    SocketAddr::new(ip, address.port())
}

/// Takes connections until the responder stops, each handled in its own thread.
fn accept(
    listener: &TcpListener,
    table: &Arc<HashMap<Vec<u8>, Vec<u8>>>,
    served: &Arc<AtomicUsize>,
    stopping: &AtomicBool,
    slots: &Slots,
) {
    let (table, served) = (table.clone(), served.clone());
    crate::os::connections::accept_each(
        listener,
        slots,
        || stopping.load(Ordering::SeqCst),
        |_| "ocsp-request".into(),
        move |socket, slot, _| respond(socket, slot, &table, &served),
    );
}

/// What one HTTP request gets back.
enum Reply {
    /// 200 with an OCSPResponse.
    Ocsp(Vec<u8>),
    /// An HTTP error with no body.
    Status(u16),
}

impl Reply {
    fn to_http(&self) -> Vec<u8> {
        match self {
            Reply::Ocsp(der) => http_response(
                200,
                &[
                    ("Content-Type", OCSP_RESPONSE_TYPE),
                    ("Cache-Control", "no-cache"),
                ],
                der,
            ),
            Reply::Status(405) => http_response(405, &[("Allow", "GET, POST")], &[]),
            Reply::Status(status) => http_response(*status, &[], &[]),
        }
    }
}

/// A complete HTTP/1.1 response; the connection closes after it.
fn http_response(status: u16, headers: &[(&str, &str)], body: &[u8]) -> Vec<u8> {
    use std::fmt::Write as _;
    let reason = match status {
        200 => "OK",
        400 => "Bad Request",
        405 => "Method Not Allowed",
        413 => "Content Too Large",
        414 => "URI Too Long",
        431 => "Request Header Fields Too Large",
        _ => "",
    };
    let mut head = format!("HTTP/1.1 {status} {reason}\r\n");
    for (name, value) in headers {
        let _ = write!(head, "{name}: {value}\r\n");
    }
    let _ = write!(
        head,
        "Content-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    let mut bytes = head.into_bytes();
    bytes.extend_from_slice(body);
    bytes
}

/// Why a request gets no OCSP answer.
#[derive(Debug)]
enum Refusal {
    /// Answered with this HTTP status.
    Status(u16),
    /// Not answered: the client went away, broke the connection or ran out of time.
    Gone,
}

impl From<std::io::Error> for Refusal {
    fn from(_: std::io::Error) -> Refusal {
        Refusal::Gone
    }
}

/// One connection: read the request within the deadline, answer, close.
fn respond(
    socket: Arc<TcpStream>,
    slot: Slot,
    table: &HashMap<Vec<u8>, Vec<u8>>,
    served: &AtomicUsize,
) {
    if socket.set_write_timeout(Some(WRITE_TIMEOUT)).is_err() {
        return;
    }
    let mut stream = DeadlineStream::new(socket).reporting_to(slot.clone());
    stream.set_deadline(REQUEST_TIMEOUT);
    let reply = match reply_to(&mut stream, table) {
        Ok(reply) => reply,
        Err(Refusal::Status(status)) => Reply::Status(status),
        Err(Refusal::Gone) => return,
    };
    // Closed to make room while the request was read: no one to answer.
    if !slot.begin_answer() {
        return;
    }
    // Counted before the answer leaves, so a client holding it already sees the count.
    served.fetch_add(1, Ordering::SeqCst);
    let written = stream.write_all(&reply.to_http());
    slot.answered();
    if written.is_ok() {
        linger(&mut stream);
    }
}

/// Lets the client read the answer before the socket closes: closing while its unsent or
/// unread bytes are still queued (a refused body) sends a reset, which can destroy the
/// answer on its way.
fn linger(stream: &mut DeadlineStream) {
    let _ = stream.socket().shutdown(Shutdown::Write);
    stream.shorten_deadline(LINGER);
    let _ = std::io::copy(&mut stream.take(MAX_DRAINED), &mut std::io::sink());
}

fn reply_to(
    stream: &mut (impl Read + Write),
    table: &HashMap<Vec<u8>, Vec<u8>>,
) -> Result<Reply, Refusal> {
    let (head, received) = read_head(stream)?;
    match head.method.as_str() {
        "POST" => Ok(Reply::Ocsp(answer(
            &read_body(&head, received, stream)?,
            table,
        ))),
        "GET" => Ok(Reply::Ocsp(match request_from_path(&head.target) {
            Some(der) => answer(&der, table),
            None => status_only(OcspResponse::malformed_request()),
        })),
        _ => Ok(Reply::Status(405)),
    }
}

/// A request's line and headers (names in lower case).
struct Head {
    method: String,
    target: String,
    headers: Vec<(String, String)>,
}

impl Head {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// Reads up to the blank line ending the headers: the head, and whatever of the body came
/// with it.
fn read_head(stream: &mut impl Read) -> Result<(Head, Vec<u8>), Refusal> {
    const END: &[u8] = b"\r\n\r\n";
    let mut received = Vec::new();
    let mut chunk = [0u8; 4096];
    // Where the end may start among bytes not yet searched: each read's bytes are searched
    // once (with the few before them), however the head is split.
    let mut searched = 0;
    let end = loop {
        if let Some(at) = received[searched..]
            .windows(END.len())
            .position(|w| w == END)
        {
            break searched + at;
        }
        if received.len() > MAX_HEAD {
            return Err(Refusal::Status(431));
        }
        searched = received.len().saturating_sub(END.len() - 1);
        let n = stream.read(&mut chunk)?;
        if n == 0 {
            return Err(Refusal::Gone);
        }
        received.extend_from_slice(&chunk[..n]);
    };
    let rest = received.split_off(end + END.len());
    let bad = || Refusal::Status(400);
    let text = std::str::from_utf8(&received[..end]).map_err(|_| bad())?;
    let mut lines = text.split("\r\n");
    let mut parts = lines.next().unwrap_or_default().split(' ');
    let (Some(method), Some(target), Some(version), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(bad());
    };
    if !version.starts_with("HTTP/1.") {
        return Err(bad());
    }
    if target.len() > MAX_TARGET {
        return Err(Refusal::Status(414));
    }
    let headers = lines
        .map(|line| {
            let (name, value) = line.split_once(':').ok_or_else(bad)?;
            Ok((name.trim().to_ascii_lowercase(), value.trim().to_string()))
        })
        .collect::<Result<_, Refusal>>()?;
    let head = Head {
        method: method.to_string(),
        target: target.to_string(),
        headers,
    };
    Ok((head, rest))
}

/// The body of a POST (`Content-Length` or chunked), refused with 413 over `MAX_MESSAGE`,
/// 400 if malformed or broken off.
fn read_body(
    head: &Head,
    received: Vec<u8>,
    stream: &mut (impl Read + Write),
) -> Result<Vec<u8>, Refusal> {
    let chunked = head
        .header("transfer-encoding")
        .is_some_and(|v| v.to_ascii_lowercase().contains("chunked"));
    let length = head
        .header("content-length")
        .map(|v| v.parse::<usize>().map_err(|_| Refusal::Status(400)))
        .transpose()?;
    if !chunked && length.is_some_and(|n| n > MAX_MESSAGE) {
        return Err(Refusal::Status(413));
    }
    if head
        .header("expect")
        .is_some_and(|v| v.eq_ignore_ascii_case("100-continue"))
    {
        stream.write_all(b"HTTP/1.1 100 Continue\r\n\r\n")?;
    }
    let mut reader = std::io::Cursor::new(received).chain(stream);
    if chunked {
        return read_chunked(&mut std::io::BufReader::new(reader));
    }
    let length = length.unwrap_or(0);
    let mut body = Vec::with_capacity(length);
    (&mut reader).take(length as u64).read_to_end(&mut body)?;
    if body.len() < length {
        return Err(Refusal::Status(400));
    }
    Ok(body)
}

/// A chunked body (RFC 9112 section 7.1), trailers skipped.
fn read_chunked(reader: &mut impl BufRead) -> Result<Vec<u8>, Refusal> {
    let mut body = Vec::new();
    loop {
        let line = chunk_line(reader)?;
        let size = line.split(';').next().unwrap_or_default().trim();
        let size = usize::from_str_radix(size, 16).map_err(|_| Refusal::Status(400))?;
        if size == 0 {
            while !chunk_line(reader)?.is_empty() {}
            return Ok(body);
        }
        // `size` is the client's number: compared without adding, which could overflow.
        if size > MAX_MESSAGE.saturating_sub(body.len()) {
            return Err(Refusal::Status(413));
        }
        let start = body.len();
        body.resize(start + size, 0);
        reader.read_exact(&mut body[start..])?;
        if !chunk_line(reader)?.is_empty() {
            return Err(Refusal::Status(400));
        }
    }
}

/// One line of chunked framing, without its line ending.
fn chunk_line(reader: &mut impl BufRead) -> Result<String, Refusal> {
    let mut line = Vec::new();
    reader
        .take(MAX_CHUNK_LINE as u64)
        .read_until(b'\n', &mut line)?;
    let line = line.strip_suffix(b"\n").ok_or(Refusal::Status(400))?;
    let line = line.strip_suffix(b"\r").unwrap_or(line);
    Ok(String::from_utf8_lossy(line).into_owned())
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
    use crate::ocsp::{CertIdHash, cert_id};
    use crate::pki::ca::Ca;
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

    /// Whether the responder has closed `client`'s connection: an end of stream or a reset
    /// is already waiting for it (asked without waiting).
    fn closed_now(client: &TcpStream) -> bool {
        client.set_nonblocking(true).unwrap();
        let mut byte = [0u8; 1];
        let closed = match (&*client).read(&mut byte) {
            Ok(n) => n == 0,
            Err(e) => e.kind() != std::io::ErrorKind::WouldBlock,
        };
        client.set_nonblocking(false).unwrap();
        closed
    }

    /// Sends `request` raw and returns all the responder answers.
    fn raw_exchange(responder: &Responder, request: &[u8]) -> String {
        let mut socket = TcpStream::connect(responder.local_addr()).unwrap();
        socket.set_read_timeout(Some(TIMEOUT)).unwrap();
        socket.write_all(request).unwrap();
        let mut answer = Vec::new();
        let _ = socket.read_to_end(&mut answer);
        String::from_utf8_lossy(&answer).into_owned()
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

    /// A chunk size near `usize::MAX`, added to the body's length, would overflow (a panic in
    /// a debug build, a wrapped sum and then a slicing panic in release): it is refused with
    /// 413 and the responder goes on.
    #[test]
    fn a_huge_chunk_size_is_refused_not_overflowed() {
        let responder = Responder::start(loopback(), StatusTable::new()).unwrap();
        for size in ["ffffffffffffffff", "fffffffffffffff0", "10001"] {
            let answer = raw_exchange(
                &responder,
                format!(
                    "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n1\r\nA\r\n{size}\r\n"
                )
                .as_bytes(),
            );
            assert!(answer.starts_with("HTTP/1.1 413 "), "{size}: {answer}");
        }
        // A size that is no number at all, or past any integer, is malformed.
        let answer = raw_exchange(
            &responder,
            b"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n1ffffffffffffffff\r\n",
        );
        assert!(answer.starts_with("HTTP/1.1 400 "), "{answer}");
        // The responder is still up.
        let body = fetch(&responder.url(), b"x", TIMEOUT).unwrap();
        assert_eq!(status_of(&body), OcspResponseStatus::MalformedRequest);
    }

    /// A GET whose target is thousands of slashes would cost a decoding of the rest of the
    /// path per slash: a target past `MAX_TARGET` is refused with 414, and one under it is
    /// tried from its last few slashes only, still finding a request after many.
    #[test]
    fn a_long_request_target_is_refused_and_slashes_are_tried_a_few() {
        let responder = Responder::start(loopback(), table(&[0x42], canned())).unwrap();
        let slashes = "/".repeat(16 * 1000);
        let answer = raw_exchange(
            &responder,
            format!("GET {slashes} HTTP/1.1\r\nHost: x\r\n\r\n").as_bytes(),
        );
        assert!(answer.starts_with("HTTP/1.1 414 "), "{answer}");
        let answer = raw_exchange(
            &responder,
            format!(
                "POST /{} HTTP/1.1\r\nContent-Length: 0\r\n\r\n",
                "a".repeat(MAX_TARGET)
            )
            .as_bytes(),
        );
        assert!(answer.starts_with("HTTP/1.1 414 "), "{answer}");
        // Under the cap, many slashes before a real request: still found.
        let b64 = base64::engine::general_purpose::STANDARD.encode(request_for(&[&[0x42]]));
        let encoded =
            percent_encoding::utf8_percent_encode(&b64, percent_encoding::NON_ALPHANUMERIC);
        let target = format!("{}/ocsp/{encoded}", "/".repeat(MAX_TARGET / 2));
        assert!(target.len() <= MAX_TARGET);
        let answer = raw_exchange(
            &responder,
            format!("GET {target} HTTP/1.1\r\nHost: x\r\n\r\n").as_bytes(),
        );
        assert!(answer.starts_with("HTTP/1.1 200 "), "{answer}");
        assert_eq!(responder.requests_served(), 3);
    }

    /// The end of the head is found however the reads split it (it is searched for only
    /// among new bytes and the three before them).
    #[test]
    fn a_head_split_across_reads_is_read() {
        let responder = Responder::start(loopback(), table(&[0x42], canned())).unwrap();
        let request = request_for(&[&[0x42]]);
        let head = format!(
            "POST / HTTP/1.1\r\nContent-Type: {OCSP_REQUEST_TYPE}\r\nContent-Length: {}\r\n\r\n",
            request.len()
        );
        for split in [1, head.len() - 3, head.len() - 2, head.len() - 1] {
            let mut socket = TcpStream::connect(responder.local_addr()).unwrap();
            socket.set_nodelay(true).unwrap();
            socket.set_read_timeout(Some(TIMEOUT)).unwrap();
            socket.write_all(&head.as_bytes()[..split]).unwrap();
            std::thread::sleep(Duration::from_millis(50));
            socket.write_all(&head.as_bytes()[split..]).unwrap();
            socket.write_all(&request).unwrap();
            let mut answer = Vec::new();
            socket.read_to_end(&mut answer).unwrap();
            assert!(
                answer.starts_with(b"HTTP/1.1 200 OK\r\n"),
                "split at {split}"
            );
            assert!(answer.ends_with(&canned()), "split at {split}");
        }
    }

    #[test]
    fn a_slow_client_does_not_hold_up_others() {
        let responder = Responder::start(loopback(), table(&[0x42], canned())).unwrap();
        // Promises a body and sends only part of it.
        let mut stalled = TcpStream::connect(responder.local_addr()).unwrap();
        write!(
            stalled,
            "POST / HTTP/1.1\r\nHost: x\r\nContent-Type: {OCSP_REQUEST_TYPE}\r\nContent-Length: 4000\r\n\r\n0"
        )
        .unwrap();
        std::thread::sleep(Duration::from_millis(100));
        let body = fetch(&responder.url(), &request_for(&[&[0x42]]), TIMEOUT).unwrap();
        assert_eq!(body, canned());
        // Answered while the stalled one is still held, unanswered.
        assert!(
            !closed_now(&stalled),
            "the stalled client is still waited for"
        );
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

    /// More stalled clients than the responder handles at once, each holding a connection
    /// with a promised body that never comes: a real request after them is still answered,
    /// and the stalled ones are closed without an answer.
    #[test]
    fn stalled_clients_past_the_cap_do_not_starve_a_real_one() {
        let responder = Responder::start(loopback(), table(&[0x42], canned())).unwrap();
        let stalled: Vec<TcpStream> = (0..MAX_CONNECTIONS + 6)
            .map(|_| {
                let mut socket = TcpStream::connect(responder.local_addr()).unwrap();
                write!(
                    socket,
                    "POST / HTTP/1.1\r\nHost: x\r\nContent-Type: {OCSP_REQUEST_TYPE}\r\nContent-Length: 4000\r\n\r\n"
                )
                .unwrap();
                socket
            })
            .collect();
        let body = fetch(&responder.url(), &request_for(&[&[0x42]]), TIMEOUT).unwrap();
        assert_eq!(body, canned());
        assert_eq!(responder.requests_served(), 1);
        // Those past the cap, and one more for the real client, were closed to make room
        // (with no answer), long before `REQUEST_TIMEOUT` would close any: asked without
        // waiting, right after the real client was answered.
        let closed = stalled.iter().filter(|s| closed_now(s)).count();
        assert_eq!(closed, stalled.len() + 1 - MAX_CONNECTIONS);
    }

    /// However slowly the bytes keep coming, a request not complete within
    /// `REQUEST_TIMEOUT` is closed without an answer.
    #[test]
    fn a_request_trickled_past_the_deadline_is_dropped() {
        let responder = Responder::start(loopback(), table(&[0x42], canned())).unwrap();
        let mut socket = TcpStream::connect(responder.local_addr()).unwrap();
        socket.set_read_timeout(Some(REQUEST_TIMEOUT * 4)).unwrap();
        let mut writer = socket.try_clone().unwrap();
        let trickle = std::thread::spawn(move || {
            let _ = writer.write_all(b"POST / HTTP/1.1\r\nContent-Length: 4000\r\n\r\n");
            for sent in 0..4000 {
                std::thread::sleep(Duration::from_millis(100));
                if writer.write_all(b"x").is_err() {
                    return sent;
                }
            }
            4000
        });
        let mut answer = Vec::new();
        // Closed with the client's bytes still arriving: an end of stream or a reset.
        if let Err(e) = socket.read_to_end(&mut answer) {
            assert_eq!(e.kind(), std::io::ErrorKind::ConnectionReset, "{e:?}");
        }
        assert!(answer.is_empty(), "{}", String::from_utf8_lossy(&answer));
        drop(socket);
        let sent = trickle.join().unwrap();
        assert!(
            sent < 4000,
            "closed before the client was done sending: {sent}"
        );
        assert_eq!(responder.requests_served(), 0);
    }

    #[test]
    fn expect_100_continue_and_a_bad_request_line() {
        let responder = Responder::start(loopback(), table(&[0x42], canned())).unwrap();
        let request = request_for(&[&[0x42]]);
        let mut socket = TcpStream::connect(responder.local_addr()).unwrap();
        socket.set_read_timeout(Some(TIMEOUT)).unwrap();
        write!(
            socket,
            "POST / HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: {}\r\n\r\n",
            request.len()
        )
        .unwrap();
        let mut interim = [0u8; 25];
        socket.read_exact(&mut interim).unwrap();
        assert_eq!(&interim, b"HTTP/1.1 100 Continue\r\n\r\n");
        socket.write_all(&request).unwrap();
        let mut answer = Vec::new();
        socket.read_to_end(&mut answer).unwrap();
        assert!(answer.starts_with(b"HTTP/1.1 200 OK\r\n"));
        assert!(answer.ends_with(&canned()));

        let mut socket = TcpStream::connect(responder.local_addr()).unwrap();
        socket.set_read_timeout(Some(TIMEOUT)).unwrap();
        socket.write_all(b"NONSENSE\r\n\r\n").unwrap();
        let mut answer = String::new();
        socket.read_to_string(&mut answer).unwrap();
        assert!(answer.starts_with("HTTP/1.1 400 "), "{answer}");
        assert_eq!(responder.requests_served(), 2);
    }

    #[test]
    fn nothing_listening_is_refused() {
        let address = TcpListener::bind(loopback()).unwrap().local_addr().unwrap();
        let error = fetch(&format!("http://{address}/"), b"x", TIMEOUT).unwrap_err();
        assert!(matches!(error, FetchError::Refused { .. }), "{error:?}");
        assert!(error.to_string().contains("refused"), "{error}");
    }

    #[test]
    fn a_server_that_never_answers_times_out() {
        let listener = TcpListener::bind(loopback()).unwrap();
        let url = format!("http://{}/", listener.local_addr().unwrap());
        let timeout = Duration::from_millis(300);
        let error = fetch(&url, &request_for(&[&[0x42]]), timeout).unwrap_err();
        assert!(matches!(error, FetchError::Timeout { .. }), "{error:?}");
        assert!(error.to_string().contains("300 ms"), "{error}");
        // The client did reach the listener, sent its request and hung up on giving up.
        let (mut server, _) = listener.accept().unwrap();
        server.set_read_timeout(Some(TIMEOUT)).unwrap();
        let mut received = Vec::new();
        server.read_to_end(&mut received).unwrap();
        assert!(received.starts_with(b"POST / HTTP/1.1\r\n"), "{received:?}");
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
        drop(responder);
        let error = fetch(&format!("http://{address}/"), b"x", TIMEOUT).unwrap_err();
        assert!(matches!(error, FetchError::Refused { .. }), "{error:?}");
        // And the same fixed address can serve again.
        let again = Responder::start(address, StatusTable::new()).unwrap();
        assert_eq!(again.local_addr(), address);
        fetch(&again.url(), b"x", TIMEOUT).unwrap();
    }

    /// Fails the test when openssl is missing: a test that cannot run must not pass.
    fn require_openssl() {
        let found = Command::new("openssl")
            .arg("version")
            .output()
            .is_ok_and(|o| o.status.success());
        assert!(
            found,
            "this test runs openssl: install it (it must be on PATH)"
        );
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

    /// A directory with `ca.pem` and `leaf.pem` (issued by it), and the leaf's serial.
    fn ca_and_leaf() -> (tempfile::TempDir, Vec<u8>) {
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
        (dir, serial)
    }

    #[test]
    fn openssl_ocsp_reaches_the_responder() {
        require_openssl();
        let (dir, serial) = ca_and_leaf();

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
