//! The responder end to end over loopback: what each request gets back, how it holds up
//! against slow and stalled clients, and `openssl ocsp` asking it. The helpers serve the
//! request-reading tests too.

use super::*;
use crate::ocsp::fetch::{FetchError, fetch};
use crate::ocsp::http::{MAX_MESSAGE, OCSP_REQUEST_TYPE};
use crate::ocsp::{CertIdHash, cert_id};
use crate::pki::ca::Ca;
use std::io::Write;
use std::net::{Ipv4Addr, TcpStream};
use std::process::Command;
use x509_cert::Certificate;
use x509_cert::serial_number::SerialNumber;
use x509_ocsp::builder::OcspRequestBuilder;
use x509_ocsp::{OcspResponseStatus, Request, Version};

pub(super) const TIMEOUT: Duration = Duration::from_secs(10);

pub(super) fn loopback() -> SocketAddr {
    SocketAddr::from((Ipv4Addr::LOCALHOST, 0))
}

fn issuer() -> Certificate {
    Certificate::from_der(Ca::new().unwrap().der()).unwrap()
}

/// A real OCSP request (x509-ocsp's builder) about `serials`, DER-encoded, each CertID
/// hashed with SHA-1 as OpenSSL sends by default.
pub(super) fn request_for(serials: &[&[u8]]) -> Vec<u8> {
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
pub(super) fn raw_exchange(responder: &Responder, request: &[u8]) -> String {
    let mut socket = TcpStream::connect(responder.local_addr()).unwrap();
    socket.set_read_timeout(Some(TIMEOUT)).unwrap();
    socket.write_all(request).unwrap();
    let mut answer = Vec::new();
    let _ = socket.read_to_end(&mut answer);
    String::from_utf8_lossy(&answer).into_owned()
}

pub(super) fn status_of(der: &[u8]) -> OcspResponseStatus {
    OcspResponse::from_der(der).unwrap().response_status
}

/// Some DER OCSPResponse to stand for a signed answer: the responder never parses it.
pub(super) fn canned() -> Vec<u8> {
    status_only(OcspResponse::try_later())
}

pub(super) fn table(serial: &[u8], response: Vec<u8>) -> StatusTable {
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
