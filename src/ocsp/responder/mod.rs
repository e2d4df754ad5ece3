//! An OCSP responder on loopback, as a real CA runs one (RFC 6960 Appendix A, RFC 5019).
//!
//! The responder signs nothing: it serves pre-signed `OCSPResponse`s from a table keyed by
//! certificate serial. It answers `POST` (the DER request as the body) and `GET` (the
//! request base64-encoded in the last part of the path), always with HTTP 200 and
//! `Content-Type: application/ocsp-response` as real responders do: an unknown serial gets
//! `unauthorized`, a request that does not parse gets `malformedRequest`. The client side,
//! asking a responder, is `ocsp::fetch`.

mod request;

#[cfg(test)]
mod tests;

pub use request::request_from_path;

use crate::ocsp::http::OCSP_RESPONSE_TYPE;
use crate::os::connections::{DeadlineStream, Slot, Slots};
use der::{Decode, Encode};
use request::{Refusal, read_body, read_head};
use std::collections::HashMap;
use std::fmt;
use std::io::{Read, Write};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, Shutdown, SocketAddr, TcpListener, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::thread::JoinHandle;
use std::time::Duration;
use x509_ocsp::{OcspRequest, OcspResponse};

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
/// How long dropping a `Responder` tries to connect to it to wake its accepting thread.
const RELEASE_WAIT: Duration = Duration::from_secs(2);

/// Pre-signed answers keyed by certificate serial (the big-endian magnitude bytes, no
/// leading zero).
#[derive(Debug, Clone, Default)]
pub struct StatusTable(HashMap<Vec<u8>, Vec<u8> /* DER OCSPResponse */>);

impl StatusTable {
    /// A table with no answers: every well-formed request gets `unauthorized`.
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
pub(crate) fn status_only(response: OcspResponse) -> Vec<u8> {
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

    /// The address actually bound: with port 0 in `listen`, the port the system chose.
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
