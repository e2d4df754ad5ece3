//! What the commands print: aligned text for people, JSON for programs (the documents of
//! `json`, described in README and by the schemas in `tests/schemas/`).

use super::args::Format;
use super::json::{self, shown};
use pkigen::fixtures::check::Finding;
use pkigen::fixtures::inspect::{self, Item};

use pkigen::fixtures::clock::{ClockSource, rfc3339};
use pkigen::fixtures::manifest::{Manifest, Report, Verdict, json_text};
use pkigen::policy::{
    CaFileAnchors, CaFileWithoutPem, CrlFile, CrlScope, CrlsLoaded, Driver, EncryptedKeys,
    FilesRead, Ocsp, Resolution, TlsBehaviour,
};
use std::path::{Path, PathBuf};

/// Appends a line to a `String` (which cannot fail to take it).
macro_rules! outln {
    ($out:ident $(, $($arg:tt)*)?) => {{
        use std::fmt::Write as _;
        let _ = writeln!($out $(, $($arg)*)?);
    }};
}

/// Appends text to a `String`.
macro_rules! outw {
    ($out:ident, $($arg:tt)*) => {{
        use std::fmt::Write as _;
        let _ = write!($out, $($arg)*);
    }};
}

/// Each zip once, in order: `all.zip` stands beside every scenario it holds.
fn distinct(zips: &[Option<PathBuf>]) -> Vec<&PathBuf> {
    let mut seen: Vec<&PathBuf> = Vec::new();
    for zip in zips.iter().flatten() {
        if !seen.contains(&zip) {
            seen.push(zip);
        }
    }
    seen
}

/// `scenario --no-validate`: the folders written and, with `--zip`, the zips (`zips` holds
/// the zip of each folder, if any).
pub fn written(dirs: &[PathBuf], zips: &[Option<PathBuf>], format: Format) -> String {
    let mut out = String::new();
    let zips = distinct(zips);
    if format == Format::Json {
        return json_text(&json::Written::new(dirs, zips));
    }
    for dir in dirs {
        outln!(out, "wrote {}", dir.display());
    }
    for zip in zips {
        outln!(out, "wrote {}", zip.display());
    }
    out
}

/// The case matrix of each folder; `zips` holds the zip of each folder, if one was written.
pub fn reports(
    dirs: &[PathBuf],
    manifests: &[Manifest],
    reports: &[Report],
    zips: &[Option<PathBuf>],
    format: Format,
) -> String {
    let mut out = String::new();
    if format == Format::Json {
        let scenarios = dirs
            .iter()
            .zip(manifests)
            .zip(reports)
            .zip(zips)
            .map(|(((dir, m), r), zip)| json::FolderResults {
                scenario: &m.scenario,
                dir: shown(dir),
                seed: m.seed,
                now: m.now,
                key_type: m.key_type,
                validated_at: r.validated_at,
                clock: r.clock,
                cases: &r.cases,
                zip: zip.as_deref().map(shown),
            })
            .collect();
        return json_text(&json::Results { scenarios });
    }
    let mut total = 0;
    let mut failed = 0;
    for ((dir, m), r) in dirs.iter().zip(manifests).zip(reports) {
        outln!(
            out,
            "{}  ({}, seed {}, now {}, {})",
            m.scenario,
            dir.display(),
            m.seed,
            rfc3339(m.now),
            m.key_type
        );
        clock_lines(&mut out, m, r);
        outln!(
            out,
            "  {:<52} {:<32} {:<32} VERDICT",
            "CASE",
            "EXPECTED",
            "OBSERVED"
        );
        for c in &r.cases {
            let observed = c.observed.to_string();
            let case = match c.driver {
                Some(driver) => format!("{} [{driver}]", c.name),
                None => c.name.clone(),
            };
            outln!(
                out,
                "  {:<52} {:<32} {:<32} {}",
                case,
                c.expected.to_string(),
                observed,
                c.verdict.as_str()
            );
            if c.verdict != Verdict::Pass {
                outln!(out, "      {}", c.observed.message);
                failed += 1;
            }
            total += 1;
        }
        outln!(out);
    }
    outln!(out, "{total} cases: {} pass, {failed} fail", total - failed);
    for zip in distinct(zips) {
        outln!(out, "wrote {}", zip.display());
    }
    out
}

/// The clock a folder's cases were judged at and, when some failed at a clock other than
/// the one the fixtures were made for, how to judge them at theirs.
fn clock_lines(out: &mut String, m: &Manifest, r: &Report) {
    let (Some(at), Some(source)) = (r.validated_at.map(rfc3339), r.clock) else {
        return;
    };
    outln!(
        out,
        "  validated at {at} ({})",
        pkigen::fixtures::clock::describe(source)
    );
    let failed = r.cases.iter().any(|c| c.verdict != Verdict::Pass);
    let made_at = rfc3339(m.now);
    if failed && source != ClockSource::Generation && at != made_at {
        outln!(
            out,
            "  these fixtures were made for {made_at}: `pkigen validate --at generation` judges them at that clock"
        );
    }
}

pub fn check(results: &[(PathBuf, usize, Vec<Finding>)], days: u32, format: Format) -> String {
    let mut out = String::new();
    if format == Format::Json {
        let results = results
            .iter()
            .map(|(dir, files, findings)| json::FolderCheck::new(dir, *files, findings))
            .collect();
        return json_text(&json::CheckResults {
            expiring_within_days: days,
            results,
        });
    }
    for (dir, files, findings) in results {
        if findings.is_empty() {
            outln!(
                out,
                "{}: {files} files intact, nothing changes within {days} days",
                dir.display()
            );
        }
        for f in findings {
            outln!(out, "{}: {}", dir.join(&f.path).display(), f.problem);
        }
    }
    out
}

/// The resolved policy (and, in JSON, the warnings on the way); the key password stays
/// "***" unless `show_secrets`.
pub fn policy(
    driver: Driver,
    resolution: &Resolution,
    format: Format,
    show_secrets: bool,
) -> String {
    let mut out = String::new();
    let policy = &resolution.policy;
    let answer = json::PolicyAnswer::new(driver, resolution, show_secrets);
    if format == Format::Json {
        return json_text(&answer);
    }
    // Each option as JSON, under the driver's name: the lines say what the document says.
    let options = serde_json::to_value(&answer.options).expect("options always serialize");
    for (name, option) in options.as_object().into_iter().flatten() {
        outln!(out, "{name:<32} {option}");
    }
    let rows = [
        (
            "verify certificates",
            policy.verify_certificates().to_string(),
        ),
        ("verify host name", policy.verify_hostname().to_string()),
        (
            "OCSP endpoint check",
            policy.ocsp_endpoint_check().to_string(),
        ),
    ];
    for (label, value) in rows
        .into_iter()
        .chain(behaviour_rows(driver.tls_behaviour()))
    {
        outln!(out, "{label:<32} {value}");
    }
    out
}

/// `policy --driver all`: JSON, the array of each driver's document as `policy --driver
/// NAME --format json` gives it; text, one column per driver of what every driver resolves
/// (TLS on, the files, the checks), then each refusal and warning in the driver's words.
pub fn policy_all(
    answers: &[(Driver, Result<Resolution, pkigen::policy::PolicyError>)],
    format: Format,
    show_secrets: bool,
) -> String {
    let mut out = String::new();
    if format == Format::Json {
        let documents: Vec<serde_json::Value> = answers
            .iter()
            .map(|(driver, answer)| {
                let document = match answer {
                    Ok(resolution) => serde_json::to_value(json::PolicyAnswer::new(
                        *driver,
                        resolution,
                        show_secrets,
                    )),
                    Err(e) if !e.exception.is_driver_error() => {
                        serde_json::to_value(json::NotModelled::new(*driver, e, show_secrets))
                    }
                    Err(e) => {
                        serde_json::to_value(json::PolicyRefusal::new(*driver, e, show_secrets))
                    }
                };
                document.expect("pkigen's JSON types always serialize")
            })
            .collect();
        return json_text(&documents);
    }
    let header = std::iter::once(String::new())
        .chain(answers.iter().map(|(d, _)| d.name().to_string()))
        .collect();
    let verdicts = std::iter::once("answer".to_string())
        .chain(answers.iter().map(|(_, answer)| match answer {
            Ok(_) => "valid".to_string(),
            Err(e) if !e.exception.is_driver_error() => "not modelled".to_string(),
            Err(e) => format!("refused ({})", e.exception.class_name()),
        }))
        .collect();
    let columns: Vec<Option<Vec<String>>> = answers
        .iter()
        .map(|(_, answer)| {
            let resolution = answer.as_ref().ok()?;
            Some(resolved_values(&resolution.policy, show_secrets))
        })
        .collect();
    let cells: Vec<Vec<String>> = [header, verdicts]
        .into_iter()
        .chain(RESOLVED.iter().enumerate().map(|(row, label)| {
            std::iter::once(label.to_string())
                .chain(columns.iter().map(|column| match column {
                    Some(values) => values[row].clone(),
                    None => "-".to_string(),
                }))
                .collect()
        }))
        .collect();
    let widths: Vec<usize> = (0..cells[0].len())
        .map(|column| {
            cells
                .iter()
                .map(|row| row[column].chars().count())
                .max()
                .unwrap_or(0)
        })
        .collect();
    for row in &cells {
        let line: Vec<String> = row
            .iter()
            .zip(&widths)
            .map(|(cell, width)| format!("{cell:<width$}"))
            .collect();
        outln!(out, "{}", line.join("  ").trim_end());
    }
    for (driver, answer) in answers {
        let (warnings, refusal) = match answer {
            Ok(resolution) => (&resolution.warnings, None),
            Err(e) => (&e.warnings, Some(e)),
        };
        for warning in warnings {
            outln!(out, "{driver}: warning: {}", one_line(&warning.to_string()));
        }
        if let Some(e) = refusal {
            let message = if show_secrets {
                &e.message
            } else {
                e.redacted()
            };
            let what = match e.exception.is_driver_error() {
                true => "refused",
                false => "not modelled",
            };
            outln!(out, "{driver}: {what}: {}", one_line(message));
        }
    }
    out
}

/// What every driver resolves, as `policy --driver all` lines it up: the rows' labels…
const RESOLVED: [&str; 8] = [
    "tls",
    "CA file",
    "certificate key file",
    "key file password",
    "CRL file",
    "verify certificates",
    "verify host name",
    "OCSP endpoint check",
];

/// …and one driver's values, in that order.
fn resolved_values(policy: &pkigen::policy::TlsPolicy, show_secrets: bool) -> Vec<String> {
    let file = |value: &Option<String>| value.clone().unwrap_or_else(|| "-".into());
    let password = match &policy.certificate_key_file_password {
        None => "-".into(),
        Some(password) if show_secrets => password.clone(),
        Some(_) => json::REDACTED.into(),
    };
    vec![
        policy.tls.to_string(),
        file(&policy.ca_file),
        file(&policy.certificate_key_file),
        password,
        file(&policy.crl_file),
        policy.verify_certificates().to_string(),
        policy.verify_hostname().to_string(),
        policy.ocsp_endpoint_check().to_string(),
    ]
}

/// Control characters escaped, so that a driver's message stays one line.
pub fn one_line(text: &str) -> String {
    let mut line = String::new();
    for c in text.chars() {
        if c.is_control() {
            line.extend(c.escape_debug());
        } else {
            line.push(c);
        }
    }
    line
}

/// What the driver's TLS stack does beyond the options, one line each.
fn behaviour_rows(behaviour: TlsBehaviour) -> [(&'static str, String); 8] {
    const NO_CRL: &str = "none: tlsCRLFile is an unknown option";
    let ocsp = match behaviour.ocsp {
        Ocsp::None => "none",
        Ocsp::StapleAndResponder => "stapled response, else the responder",
    };
    let crl_scope = match behaviour.crl_scope {
        CrlScope::Leaf => "the server's certificate",
        CrlScope::Chain => "every certificate of the chain",
    };
    let crls_loaded = match behaviour.crls_loaded {
        CrlsLoaded::All => "all",
        CrlsLoaded::FirstOnly => "the first only",
    };
    let crl_encoding = if behaviour.crl_pem_only {
        "PEM only"
    } else {
        "PEM or DER"
    };
    let files_read = match behaviour.files_read {
        FilesRead::AtConstruction => "when the client is built",
        FilesRead::AtConnect => "at connect(), with TLS on",
    };
    let ca_file = match behaviour.ca_file_without_pem {
        CaFileWithoutPem::Error => "an error",
        CaFileWithoutPem::EmptyTrustStore => "no CA: every server refused",
    };
    let anchors = match behaviour.ca_file_anchors {
        CaFileAnchors::SelfSigned => "its self-signed certificates",
        CaFileAnchors::Every => "every certificate in it",
    };
    let encrypted_keys = match behaviour.encrypted_keys {
        EncryptedKeys::Decrypted => "decrypted with the password",
        EncryptedKeys::NotRead => "not read: the key file is unreadable",
    };
    let (crl_scope, crls_loaded, crl_encoding) = match behaviour.crl_file {
        CrlFile::Read => (crl_scope, crls_loaded, crl_encoding),
        CrlFile::UnknownOption => (NO_CRL, NO_CRL, NO_CRL),
    };
    [
        ("OCSP", ocsp.to_string()),
        ("CRL checked for", crl_scope.to_string()),
        ("CRLs of the file loaded", crls_loaded.to_string()),
        ("CRL encoding", crl_encoding.to_string()),
        ("TLS files read", files_read.to_string()),
        ("a tlsCAFile without PEM gives", ca_file.to_string()),
        ("trust anchors of a tlsCAFile", anchors.to_string()),
        ("an encrypted client key is", encrypted_keys.to_string()),
    ]
}

/// `{"valid": false, "error": …}` plus the exception class the driver raises and the
/// warnings it emitted first; the message leaves out the URI text it would quote unless
/// `show_secrets`.
pub fn policy_error(
    driver: Driver,
    error: &pkigen::policy::PolicyError,
    show_secrets: bool,
) -> String {
    json_text(&json::PolicyRefusal::new(driver, error, show_secrets))
}

pub fn inspected(found: &[(PathBuf, Vec<Item>)], format: Format) -> String {
    let mut out = String::new();
    if format == Format::Json {
        let files: Vec<_> = found
            .iter()
            .map(|(path, items)| json::InspectedFile::new(path, items))
            .collect();
        return json_text(&files);
    }
    for (path, items) in found {
        outw!(out, "{}", inspect::render_text(Path::new(path), items));
    }
    out
}

/// `serve --all`'s first line: `{"scenario/case": {"address": …, "uri": …}, …}` in the
/// folders' and manifests' order, on one line so a script reads it with one `readline`.
pub fn served(endpoints: &[pkigen::run::serve_all::Endpoint]) -> String {
    let entries: serde_json::Map<String, serde_json::Value> = endpoints
        .iter()
        .map(|e| {
            let entry = json::ServedCase {
                address: e.address.to_string(),
                uri: &e.uri,
            };
            let value = serde_json::to_value(entry).expect("an entry always serializes");
            (e.id.clone(), value)
        })
        .collect();
    serde_json::to_string(&entries).expect("the map always serializes") + "\n"
}
