//! The client side of OCSP over HTTP: what the TLS verifier does to ask a certificate's
//! responder when the server staples nothing. One POST, no redirects, bounded in time and
//! size, every failure named.

use super::http::{MAX_MESSAGE, OCSP_REQUEST_TYPE, OCSP_RESPONSE_TYPE};
use std::fmt;
use std::io::Read;
use std::time::Duration;

/// Why `fetch` got no OCSP response.
#[derive(Debug)]
pub enum FetchError {
    /// The URL cannot be used: malformed, or not `http://`.
    BadUrl {
        /// The responder URL asked, as the route gave it.
        url: String,
        /// What is wrong with it, in the HTTP client's words.
        problem: String,
    },
    /// Nothing listens there: the connection was refused.
    Refused {
        /// The responder URL asked, as the route gave it.
        url: String,
    },
    /// The connection could not be made for another reason (name lookup, unreachable…).
    Connect {
        /// The responder URL asked, as the route gave it.
        url: String,
        /// The HTTP client's account of the failure.
        problem: String,
    },
    /// No complete answer within the timeout.
    Timeout {
        /// The responder URL asked, as the route gave it.
        url: String,
        /// The time the whole exchange was given (`fetch`'s `timeout`).
        timeout: Duration,
    },
    /// The connection broke, or what came back was not HTTP.
    Transport {
        /// The responder URL asked, as the route gave it.
        url: String,
        /// The HTTP client's account of the failure.
        problem: String,
    },
    /// An HTTP status other than 200.
    Status {
        /// The responder URL asked, as the route gave it.
        url: String,
        /// The status code the responder answered with.
        status: u16,
    },
    /// A 200 whose Content-Type is not `application/ocsp-response`.
    ContentType {
        /// The responder URL asked, as the route gave it.
        url: String,
        /// The Content-Type header as sent; `None` when there was none.
        found: Option<String>,
    },
    /// An answer larger than `MAX_MESSAGE`.
    TooLarge {
        /// The responder URL asked, as the route gave it.
        url: String,
        /// The most accepted, in bytes.
        limit: usize,
    },
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
    use crate::pki::ca::Ca;
    use std::io::Write;
    use std::net::{Ipv4Addr, SocketAddr, TcpListener};
    use std::thread::JoinHandle;

    const TIMEOUT: Duration = Duration::from_secs(10);

    fn loopback() -> SocketAddr {
        SocketAddr::from((Ipv4Addr::LOCALHOST, 0))
    }

    /// A real OCSP request, about a certificate of a fresh CA.
    fn a_request() -> Vec<u8> {
        let ca = Ca::new().unwrap();
        let leaf = ca.issue(&["localhost"]).unwrap();
        crate::ocsp::request_der(leaf.der(), ca.der()).unwrap()
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
        let error = fetch(&url, &a_request(), timeout).unwrap_err();
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
}
