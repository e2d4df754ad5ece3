//! The official Rust driver (crate `mongodb` 3.9.1, default features: rustls) as pkigen's
//! integration tests run it.
//!
//!   rust-driver parse                 stdin: one JSON string (a URI) a line; stdout: one JSON
//!                                     line each, what `ClientOptions::parse` made of it
//!   rust-driver connect SERVED DIR…   every case of each scenario folder DIR, connected with
//!                                     its own connection string (the port `pkigen serve --all`
//!                                     serves it on, from SERVED) from its folder, then `ping`;
//!                                     one harness line each (engine `rust`)
//!
//! `parse` answers `{"ok": true, "tls": …, "allow_invalid_certificates": …, "ca_file": …,
//! "cert_key_file": …}` (`tls` true for `Tls::Enabled`, the others that `TlsOptions`' fields,
//! null when unset) or `{"ok": false, "kind": …, "message": …}` (the `ErrorKind` variant and,
//! for `InvalidArgument`, its own message, without the `An invalid argument was provided: `
//! the kind's Display puts before it).
//!
//! `connect` reads the driver's errors into pkigen's outcome and reason ([`classify`]): a
//! refusal by `ClientOptions::parse` or `Client::with_options` (which reads the TLS files) is
//! a configuration error; a TLS refusal surfaces as the ping's `ServerSelection` error once
//! `serverSelectionTimeoutMS` (here 2 s) has passed, carrying only text, so the reason is read
//! from the `rustls::Error` of the first SDAM `ServerHeartbeatFailed` event instead.

use mongodb::bson::doc;
use mongodb::error::{Error, ErrorKind};
use mongodb::event::sdam::SdamEvent;
use mongodb::event::EventHandler;
use mongodb::options::{ClientOptions, Tls};
use mongodb::Client;
use serde_json::{json, Map, Value};
use std::io::{BufRead, Write};
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// Short: every TLS refusal is reported only when server selection gives up.
const SERVER_SELECTION_TIMEOUT: Duration = Duration::from_secs(2);

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("a tokio runtime");
    match args.first().map(String::as_str) {
        Some("parse") => runtime.block_on(parse_all()),
        Some("connect") if args.len() >= 3 => runtime.block_on(connect_all(&args[1], &args[2..])),
        _ => {
            eprintln!("usage: rust-driver parse < URIS.jsonl | connect SERVED DIR...");
            std::process::exit(2);
        }
    }
}

async fn parse_all() {
    let stdout = std::io::stdout();
    for line in std::io::stdin().lock().lines() {
        let line = line.expect("stdin");
        let uri: String = serde_json::from_str(&line).expect("each line a JSON string");
        let answer = match ClientOptions::parse(&uri).await {
            Ok(options) => resolved(&options),
            Err(e) => json!({"ok": false, "kind": kind_name(&e.kind), "message": message(&e)}),
        };
        writeln!(stdout.lock(), "{answer}").expect("stdout");
    }
}

/// The TLS fields of parsed options.
fn resolved(options: &ClientOptions) -> Value {
    let (tls, fields) = match &options.tls {
        Some(Tls::Enabled(o)) => (true, Some(o)),
        Some(Tls::Disabled) | None => (false, None),
    };
    let path = |p: Option<&std::path::PathBuf>| p.map(|p| p.to_string_lossy().into_owned());
    json!({
        "ok": true,
        "tls": tls,
        "allow_invalid_certificates": fields.and_then(|o| o.allow_invalid_certificates),
        "ca_file": path(fields.and_then(|o| o.ca_file_path.as_ref())),
        "cert_key_file": path(fields.and_then(|o| o.cert_key_file_path.as_ref())),
    })
}

/// The `ErrorKind` variant's name, from its Debug form.
fn kind_name(kind: &ErrorKind) -> String {
    format!("{kind:?}")
        .chars()
        .take_while(|c| c.is_alphanumeric() || *c == '_')
        .collect()
}

/// The driver's own words: an `InvalidArgument`'s or `InvalidTlsConfig`'s message, else the
/// kind's Display.
fn message(e: &Error) -> String {
    match e.kind.as_ref() {
        ErrorKind::InvalidArgument { message, .. } => message.clone(),
        ErrorKind::InvalidTlsConfig { message, .. } => message.clone(),
        kind => kind.to_string(),
    }
}

/// What happened to one case.
enum Ended {
    Parse(Error),
    WithOptions(Error),
    Pinged,
    Ping(Error, Option<Error>),
}

/// pkigen's outcome, reason (null when the error names none) and a message.
fn classify(ended: &Ended) -> (&'static str, Option<&'static str>, String) {
    match ended {
        Ended::Pinged => ("accept", None, "ping ok".into()),
        Ended::Parse(e) => {
            let reason = match e.kind.as_ref() {
                ErrorKind::InvalidArgument { .. } => "invalid-options",
                _ => "other",
            };
            ("config-error", Some(reason), format!("ClientOptions::parse: {}", message(e)))
        }
        Ended::WithOptions(e) => {
            let text = message(e);
            let reason = if text.contains("KeyMismatch") {
                "key-mismatch"
            } else if text.contains("PKCS#5 decryption failed") {
                "bad-password"
            } else if matches!(
                e.kind.as_ref(),
                ErrorKind::InvalidTlsConfig { .. } | ErrorKind::Io(_)
            ) {
                "unreadable-file"
            } else {
                "other"
            };
            ("config-error", Some(reason), format!("Client::with_options: {text}"))
        }
        Ended::Ping(e, heartbeat) => match heartbeat {
            None => ("reject", None, format!("ping: {}", e.kind)),
            Some(h) => {
                let inner = tls_error(h);
                ("reject", tls_reason(&inner), format!("ping: ServerSelection after heartbeat failure {inner}"))
            }
        },
    }
}

/// The Debug form of the error under a heartbeat failure's I/O error: rustls's own
/// (`InvalidCertificate(UnknownIssuer)`, `AlertReceived(CertificateRequired)`…), whose Debug is
/// stable where the returned error's text is not.
fn tls_error(e: &Error) -> String {
    match e.kind.as_ref() {
        ErrorKind::Io(io) => match io.get_ref() {
            Some(inner) => format!("{inner:?}"),
            None => format!("{io:?}"),
        },
        kind => format!("{kind:?}"),
    }
}

/// rustls's error, as pkigen's reason.
fn tls_reason(debug: &str) -> Option<&'static str> {
    const TABLE: &[(&str, &str)] = &[
        ("InvalidCertificate(UnknownIssuer)", "unknown-issuer"),
        ("InvalidCertificate(BadSignature)", "unknown-issuer"),
        ("InvalidCertificate(NotValidForName", "hostname-mismatch"),
        ("InvalidCertificate(Expired", "expired"),
        ("InvalidCertificate(NotValidYet", "not-yet-valid"),
        ("InvalidCertificate(InvalidPurpose", "invalid-purpose"),
        ("AlertReceived(CertificateRequired)", "client-cert-required"),
        ("AlertReceived(UnknownCA)", "client-cert-untrusted"),
        ("AlertReceived(BadCertificate)", "client-cert-untrusted"),
        ("AlertReceived(CertificateUnknown)", "client-cert-untrusted"),
        ("AlertReceived(DecryptError)", "client-cert-untrusted"),
        ("AlertReceived(ProtocolVersion)", "protocol-version"),
        ("PeerIncompatible(Supported", "protocol-version"),
        ("AlertReceived(HandshakeFailure)", "no-shared-cipher"),
        ("PeerIncompatible(NoCipherSuitesInCommon)", "no-shared-cipher"),
    ];
    TABLE
        .iter()
        .find(|(prefix, _)| debug.starts_with(prefix))
        .map(|(_, reason)| *reason)
}

/// `ClientOptions::parse`, then `Client::with_options` (which reads the files, relative to the
/// working directory), with the first heartbeat failure kept.
async fn build(uri: &str) -> Result<(Client, Arc<Mutex<Option<Error>>>), Ended> {
    let mut options = ClientOptions::parse(uri).await.map_err(Ended::Parse)?;
    options.server_selection_timeout = Some(SERVER_SELECTION_TIMEOUT);
    options.connect_timeout = Some(SERVER_SELECTION_TIMEOUT);
    let failure: Arc<Mutex<Option<Error>>> = Arc::default();
    let kept = failure.clone();
    options.sdam_event_handler = Some(EventHandler::callback(move |event: SdamEvent| {
        if let SdamEvent::ServerHeartbeatFailed(h) = event {
            kept.lock().unwrap().get_or_insert(h.failure);
        }
    }));
    let client = Client::with_options(options).map_err(Ended::WithOptions)?;
    Ok((client, failure))
}

async fn ping(client: Client, failure: Arc<Mutex<Option<Error>>>) -> Ended {
    let result = client.database("admin").run_command(doc! {"ping": 1}).await;
    client.shutdown().immediate(true).await;
    match result {
        Ok(_) => Ended::Pinged,
        Err(e) => Ended::Ping(e, failure.lock().unwrap().take()),
    }
}

fn emit(subject: &str, result: Value) {
    let line = json!({"engine": "rust", "subject": subject, "result": result});
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    writeln!(out, "{line}").expect("stdout");
    out.flush().expect("stdout");
}

fn harness_error(subject: &str, message: String) {
    emit(subject, json!({"kind": "harness-error", "message": message}));
}

/// The case's own URI with the port it is served on, or why not.
fn served_uri(served: &Map<String, Value>, id: &str, case: &Value) -> Result<String, String> {
    let entry = served
        .get(id)
        .ok_or("pkigen serve --all does not serve this case")?;
    let driver = case["client"]["driver"].as_str().unwrap_or("");
    if driver != "rust" {
        return Err(format!("the manifest's client is {driver}'s, not rust's"));
    }
    let (host, uri) = (
        case["client"]["host"].as_str().unwrap_or(""),
        case["client"]["uri"].as_str().unwrap_or(""),
    );
    let (address, served_uri) = (
        entry["address"].as_str().unwrap_or(""),
        entry["uri"].as_str().unwrap_or(""),
    );
    let port = address.rsplit(':').next().unwrap_or("");
    let prefix = format!("mongodb://{host}/");
    match uri.strip_prefix(&prefix) {
        Some(rest) if served_uri == format!("mongodb://{host}:{port}/{rest}") => {
            Ok(served_uri.to_string())
        }
        _ => Err(format!("served uri {served_uri} is not the case's own ({uri})")),
    }
}

async fn connect_all(served: &str, dirs: &[String]) {
    let served: Value = serde_json::from_str(&std::fs::read_to_string(served).expect("SERVED"))
        .expect("SERVED is JSON");
    let served = served.as_object().expect("SERVED is an object").clone();
    for dir in dirs {
        let dir = Path::new(dir).canonicalize().expect("a scenario folder");
        // The files are read by Client::with_options, relative to the working directory.
        std::env::set_current_dir(&dir).expect("chdir to the scenario folder");
        let manifest: Value =
            serde_json::from_str(&std::fs::read_to_string("manifest.json").expect("manifest.json"))
                .expect("manifest.json is JSON");
        let scenario = manifest["scenario"].as_str().expect("scenario").to_string();
        let mut running = Vec::new();
        for case in manifest["cases"].as_array().expect("cases") {
            let id = format!("{scenario}/{}", case["name"].as_str().expect("name"));
            let uri = match served_uri(&served, &id, case) {
                Ok(uri) => uri,
                Err(message) => {
                    harness_error(&id, message);
                    continue;
                }
            };
            let ended = match build(&uri).await {
                Err(ended) => tokio::spawn(async move { ended }),
                Ok((client, failure)) => tokio::spawn(ping(client, failure)),
            };
            running.push((id, ended));
        }
        for (id, ended) in running {
            match ended.await {
                Ok(ended) => {
                    let (outcome, reason, message) = classify(&ended);
                    emit(
                        &id,
                        json!({"kind": "observed", "outcome": outcome, "reason": reason, "message": message}),
                    );
                }
                Err(e) => harness_error(&id, format!("the case's task failed: {e}")),
            }
        }
    }
}
