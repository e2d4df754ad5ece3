//! Reading one HTTP/1.x request as the responder must: the head within bounds, a POST's body
//! (`Content-Length` or chunked, at most `MAX_MESSAGE`), and the OCSP request a GET carries in
//! its path. Whatever cannot be read is a `Refusal`: an HTTP error status, or no answer.

use crate::ocsp::http::MAX_MESSAGE;
use base64::Engine;
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
use der::Decode;
use std::io::{BufRead, Read, Write};
use x509_ocsp::OcspRequest;

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

/// Why a request gets no OCSP answer.
#[derive(Debug)]
pub(super) enum Refusal {
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

/// A request's line and headers (names in lower case).
pub(super) struct Head {
    pub(super) method: String,
    pub(super) target: String,
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
pub(super) fn read_head(stream: &mut impl Read) -> Result<(Head, Vec<u8>), Refusal> {
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
pub(super) fn read_body(
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

#[cfg(test)]
mod tests {
    use super::super::tests::{
        TIMEOUT, canned, loopback, raw_exchange, request_for, status_of, table,
    };
    use super::*;
    use crate::ocsp::fetch::fetch;
    use crate::ocsp::http::{OCSP_REQUEST_TYPE, OCSP_RESPONSE_TYPE};
    use crate::ocsp::responder::{Responder, StatusTable};
    use std::io::Write;
    use std::net::TcpStream;
    use std::time::Duration;
    use x509_ocsp::OcspResponseStatus;

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
}
