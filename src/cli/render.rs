//! What the commands print: aligned text for people, JSON (documented in README) for programs.

use super::args::Format;
use pkigen::fixtures::check::Finding;
use pkigen::fixtures::inspect::{self, Item};

use pkigen::fixtures::clock::{ClockSource, rfc3339};
use pkigen::fixtures::manifest::{Manifest, Report, Verdict, json_text};
use pkigen::policy::TlsPolicy;
use pkigen::scenario::Scenario;
use serde_json::json;
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

pub fn list(scenarios: &[Scenario], format: Format) -> String {
    let mut out = String::new();
    if format == Format::Json {
        let value: Vec<_> = scenarios
            .iter()
            .map(|s| {
                let cases: Vec<_> = s
                    .cases
                    .iter()
                    .map(|c| json!({ "name": c.name, "description": c.description, "expect": c.expect }))
                    .collect();
                json!({ "name": s.name, "summary": s.summary, "cases": cases })
            })
            .collect();
        return json_text(&json!(value));
    }
    for s in scenarios {
        outln!(
            out,
            "{:<14} {:>2} cases  {}",
            s.name,
            s.cases.len(),
            s.summary
        );
        for c in &s.cases {
            outln!(
                out,
                "  {:<52} {:<28} {}",
                c.name,
                c.expect.to_string(),
                c.description
            );
        }
    }
    out
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
        let dirs: Vec<_> = dirs.iter().map(|d| d.display().to_string()).collect();
        let mut value = json!({ "written": dirs });
        if !zips.is_empty() {
            let zips: Vec<_> = zips.iter().map(|z| z.display().to_string()).collect();
            value["zips"] = json!(zips);
        }
        return json_text(&value);
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
        let value: Vec<_> = dirs
            .iter()
            .zip(manifests)
            .zip(reports)
            .zip(zips)
            .map(|(((dir, m), r), zip)| {
                let mut value = json!({ "scenario": m.scenario, "dir": dir.display().to_string(), "seed": m.seed,
                        "now": rfc3339(m.now), "key_type": m.key_type.as_str(), "validated_at": r.validated_at.map(rfc3339),
                        "clock": r.clock, "cases": r.cases });
                if let Some(zip) = zip {
                    value["zip"] = json!(zip.display().to_string());
                }
                value
            })
            .collect();
        return json_text(&json!({ "scenarios": value }));
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
            outln!(
                out,
                "  {:<52} {:<32} {:<32} {}",
                c.name,
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
        let value: Vec<_> = results
            .iter()
            .map(|(dir, files, findings)| json!({ "dir": dir.display().to_string(), "files": files, "findings": findings }))
            .collect();
        return json_text(&json!({ "expiring_within_days": days, "results": value }));
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

/// The resolved policy; the key password stays "***" unless `show_secrets`.
pub fn policy(policy: &TlsPolicy, format: Format, show_secrets: bool) -> String {
    let mut out = String::new();
    let mut options = policy.resolved_options();
    if show_secrets && let Some(password) = &policy.certificate_key_file_password {
        options.insert("tlsCertificateKeyFilePassword".into(), json!(password));
    }
    let value = json!({
        "valid": true,
        "options": options.clone(),
        "verify_certificates": policy.verify_certificates(),
        "verify_hostname": policy.verify_hostname(),
        "ocsp_endpoint_check": policy.ocsp_endpoint_check(),
    });
    if format == Format::Json {
        return json_text(&value);
    }
    for (name, option) in options {
        outln!(out, "{name:<32} {option}");
    }
    outln!(
        out,
        "{:<32} {}",
        "verify certificates",
        policy.verify_certificates()
    );
    outln!(
        out,
        "{:<32} {}",
        "verify host name",
        policy.verify_hostname()
    );
    outln!(
        out,
        "{:<32} {}",
        "OCSP endpoint check",
        policy.ocsp_endpoint_check()
    );
    out
}

/// `{"valid": false, "error": …}` plus the Python exception class PyMongo raises; the
/// message leaves out the URI text it would quote unless `show_secrets`.
pub fn policy_error(error: &pkigen::policy::PolicyError, show_secrets: bool) -> String {
    let message = if show_secrets {
        &error.message
    } else {
        error.redacted()
    };
    json_text(
        &json!({ "valid": false, "exception": error.exception.class_name(), "error": message }),
    )
}

pub fn inspected(found: &[(PathBuf, Vec<Item>)], format: Format) -> String {
    let mut out = String::new();
    if format == Format::Json {
        let value: Vec<_> = found
            .iter()
            .map(|(p, items)| json!({ "file": p.display().to_string(), "items": items }))
            .collect();
        return json_text(&json!(value));
    }
    for (path, items) in found {
        outw!(out, "{}", inspect::render_text(Path::new(path), items));
    }
    out
}
