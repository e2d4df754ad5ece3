//! A line of `tests/c/connect.c` (what libmongoc did with one connection string) read into
//! pkigen's outcome and reason. libmongoc fails every connection with one domain and code
//! (15/13053, server selection) and puts the per-server error in the message; the cause of
//! a configuration error is only in its `ERROR` log line and OpenSSL's error queue, and the
//! cause of an OCSP refusal only in the log. The first rule that matches wins:
//!
//! - the URI or the client refused (domain 11, code 22): config-error, invalid-options;
//! - the ping worked: accept;
//! - "connection error" (the `SSL_CTX` could not be built from the files): config-error, the
//!   reason from the log line (`Cannot load Certificate Authorities…`, `Cannot find
//!   certificate in…`: unreadable-file; `Cannot find private key in…`: OpenSSL 3 checks the
//!   key against the certificate there too, so the queue tells key-mismatch (`key values
//!   mismatch`) from bad-password (`bad decrypt`, `bad password read`, `problems getting
//!   password`) from unreadable-file (anything else));
//! - "TLS handshake failed: Failed OCSP verification": reject, the reason from the log
//!   (`Revoked`, `must contain a stapled response`, a response that failed verification or
//!   expired);
//! - "TLS handshake failed: certificate verify failed (N)": reject, the reason from
//!   OpenSSL's `X509_V_ERR_*` N;
//! - otherwise a TLS alert in the message or the queue names the reason (the server's
//!   refusal of the client's certificate, a cipher or version mismatch);
//! - anything else ("Server closed connection." for a plaintext hello): reject, other.

use serde_json::Value;

/// `X509_V_ERR_*` → reason.
const VERIFY_ERRORS: [(u32, &str); 16] = [
    (2, "unknown-issuer"),
    (3, "crl-untrusted"),
    (7, "unknown-issuer"),
    (8, "crl-untrusted"),
    (9, "not-yet-valid"),
    (10, "expired"),
    (11, "crl-untrusted"),
    (12, "crl-expired"),
    (18, "unknown-issuer"),
    (19, "unknown-issuer"),
    (20, "unknown-issuer"),
    (21, "unknown-issuer"),
    (23, "revoked"),
    (26, "invalid-purpose"),
    (62, "hostname-mismatch"),
    (64, "hostname-mismatch"),
];

/// An alert or OpenSSL reason text → reason.
const ALERTS: [(&str, &str); 8] = [
    ("tlsv13 alert certificate required", "client-cert-required"),
    ("sslv3 alert handshake failure", "no-shared-cipher"),
    ("no shared cipher", "no-shared-cipher"),
    ("tlsv1 alert unknown ca", "client-cert-untrusted"),
    ("sslv3 alert bad certificate", "client-cert-untrusted"),
    ("tlsv1 alert protocol version", "protocol-version"),
    ("unsupported protocol", "protocol-version"),
    ("wrong version number", "protocol-version"),
];

const OCSP_LOGS: [(&str, &str); 8] = [
    ("OCSP Certificate Status: Revoked", "ocsp-revoked"),
    ("Server must contain a stapled response", "ocsp-must-staple"),
    ("OCSP response failed verification", "ocsp-invalid-response"),
    ("OCSP response has expired", "ocsp-invalid-response"),
    ("No OCSP response found", "ocsp-invalid-response"),
    ("Could not find BasicOCSPResponse", "ocsp-invalid-response"),
    ("OCSP response error", "ocsp-invalid-response"),
    ("Failed to parse OCSP response", "ocsp-invalid-response"),
];

/// What libmongoc did, in pkigen's words: outcome, reason, and the message it came from.
pub struct Classified {
    pub outcome: &'static str,
    pub reason: Option<&'static str>,
    pub message: String,
}

/// The per-server error inside a server selection failure's
/// `No suitable servers found (…): [ERROR calling hello on 'HOST:PORT']`.
fn per_server(message: &str) -> &str {
    let inner = message
        .rsplit_once('[')
        .map_or(message, |(_, rest)| rest.trim_end_matches(']'));
    inner
        .split_once(" calling hello on '")
        .map_or(inner, |(error, _)| error)
}

pub fn classify(line: &Value) -> Classified {
    let done = |outcome, reason, message: String| Classified {
        outcome,
        reason,
        message,
    };
    if line["ok"] == true {
        return done("accept", None, "ok (ping)".into());
    }
    let message = line["error"]["message"].as_str().unwrap_or("").to_string();
    let texts = |field: &str| -> Vec<String> {
        line[field]
            .as_array()
            .map(|a| {
                a.iter()
                    .map(|v| {
                        v.get("message")
                            .unwrap_or(v)
                            .as_str()
                            .unwrap_or("")
                            .to_string()
                    })
                    .collect()
            })
            .unwrap_or_default()
    };
    let logs: Vec<String> = line["logs"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter(|l| l["level"] == "ERROR" || l["level"] == "CRITICAL")
                .map(|l| l["message"].as_str().unwrap_or("").to_string())
                .collect()
        })
        .unwrap_or_default();
    let queue = texts("openssl_queue");
    let logged = |needle: &str| logs.iter().any(|l| l.contains(needle));
    let queued = |needle: &str| queue.iter().any(|q| q.contains(needle));
    if line["stage"] != "ping" {
        // Refused before any connection: only the URI's errors (domain 11, code 22) are.
        let code = (&line["error"]["domain"], &line["error"]["code"]);
        if code != (&Value::from(11), &Value::from(22)) {
            return done(
                "config-error",
                Some("other"),
                format!("refused at {}: {message}", line["stage"]),
            );
        }
        return done("config-error", Some("invalid-options"), message);
    }
    let error = per_server(&message).to_string();
    let detail = format!("{error} | {} | {}", logs.join("; "), queue.join("; "));
    if error == "connection error" {
        let reason = if logged("Cannot find private key in") {
            if queued("key values mismatch") {
                "key-mismatch"
            } else if [
                "bad decrypt",
                "bad password read",
                "problems getting password",
            ]
            .iter()
            .any(|n| queued(n))
            {
                "bad-password"
            } else {
                "unreadable-file"
            }
        } else {
            "unreadable-file"
        };
        return done("config-error", Some(reason), detail);
    }
    if error.starts_with("TLS handshake failed: Failed OCSP verification") {
        let reason = OCSP_LOGS
            .iter()
            .find(|(needle, _)| logged(needle))
            .map_or("other", |(_, reason)| reason);
        return done("reject", Some(reason), detail);
    }
    if let Some(rest) = error.strip_prefix("TLS handshake failed: certificate verify failed (") {
        let code: Option<u32> = rest.split(')').next().and_then(|n| n.parse().ok());
        let reason = VERIFY_ERRORS
            .iter()
            .find(|(n, _)| Some(*n) == code)
            .map_or("other", |(_, reason)| reason);
        return done("reject", Some(reason), detail);
    }
    let low = format!("{error} {}", queue.join(" ")).to_lowercase();
    let reason = ALERTS
        .iter()
        .find(|(needle, _)| low.contains(needle))
        .map_or("other", |(_, reason)| reason);
    done("reject", Some(reason), detail)
}
