//! The manifest (`manifest.json`) and report (`report.json`): versioned JSON.
//! The validator sees fixtures only through the manifest, so everything a case needs is here.

use crate::error::Error;
use crate::reason::{Outcome, Reason};
use serde::{Deserialize, Serialize};
use std::path::{Component, Path, PathBuf};

/// Bumped on any incompatible change to the manifest or report layout.
pub const SCHEMA: u32 = 1;
pub const MANIFEST_FILE: &str = "manifest.json";
pub const REPORT_FILE: &str = "report.json";

/// `pkigen X.Y.Z`: marks a folder as pkigen's own (see `output`).
pub fn generator() -> String {
    format!("pkigen {}", env!("CARGO_PKG_VERSION"))
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Manifest {
    pub schema: u32,
    pub generator: String,
    pub scenario: String,
    pub seed: u64,
    pub now: String,
    pub key_type: String,
    pub files: Vec<FileEntry>,
    pub cases: Vec<Case>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum FileKind {
    Certificate,
    Chain,
    PrivateKey,
    KeyAndCertificate,
    Crl,
    OcspResponse,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FileEntry {
    pub path: String,
    pub sha256: String,
    pub kind: FileKind,
    pub encrypted: bool,
    /// Key files: the run's shared key they hold; files with the same value hold the same
    /// key (only keys not under test are shared, see `scenario::pool`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shared_key: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Case {
    pub name: String,
    pub description: String,
    pub server: ServerSide,
    pub client: ClientSide,
    pub expect: Expect,
}

impl Case {
    /// Every file the case names, relative to the fixture folder: the server's, and those
    /// the client's PyMongo options open (option names in any case, as PyMongo reads them;
    /// an empty value opens nothing). Each goes through `manifest_relative` when used.
    pub fn files(&self) -> Vec<&str> {
        let server = &self.server;
        let mut files = vec![
            server.certificate_chain.as_str(),
            server.private_key.as_str(),
        ];
        files.extend(server.ocsp_staple.as_deref());
        files.extend(server.client_ca.as_deref());
        let responses = server
            .ocsp_responder
            .iter()
            .flat_map(|r| r.responses.values());
        files.extend(responses.map(String::as_str));
        let client_files = ["tlsCAFile", "tlsCertificateKeyFile", "tlsCRLFile"];
        let opened = self
            .client
            .options
            .iter()
            .filter(|(name, _)| client_files.iter().any(|o| o.eq_ignore_ascii_case(name)))
            .filter_map(|(_, value)| value.as_str())
            .filter(|path| !path.is_empty());
        files.extend(opened);
        files
    }

    /// What in the case's settings no handshake could use (a TLS version, cipher suite, host
    /// name or OCSP serial pkigen cannot read), so the case is refused before any runs.
    fn unusable_setting(&self) -> Option<String> {
        let server = &self.server;
        let suites = server.cipher_suites.as_deref().unwrap_or_default();
        let versions = server
            .tls_versions
            .iter()
            .chain(self.client.tls_versions.iter().flatten());
        let mut serials = server
            .ocsp_responder
            .iter()
            .flat_map(|r| r.responses.keys());
        crate::handshake::versions(&versions.cloned().collect::<Vec<_>>())
            .err()
            .or_else(|| crate::handshake::cipher_suites(suites).err())
            .or_else(|| {
                rustls::pki_types::ServerName::try_from(self.client.host.as_str())
                    .err()
                    .map(|e| format!("bad host '{}': {e}", self.client.host))
            })
            .or_else(|| {
                serials
                    .find(|serial| hex::decode(serial).is_err())
                    .map(|serial| format!("OCSP serial '{serial}' is not hex"))
            })
            .map(|problem| format!("{problem}: regenerate the fixtures"))
    }
}

/// What the server of a case presents and accepts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ServerSide {
    pub certificate_chain: String,
    pub private_key: String,
    pub ocsp_staple: Option<String>,
    pub ocsp_responder: Option<OcspResponder>,
    pub client_ca: Option<String>,
    pub tls_versions: Vec<String>,
    pub cipher_suites: Option<Vec<String>>,
}

/// An OCSP responder a case runs: the URL its certificates name, and what it answers for
/// each serial it knows (any other serial gets `unauthorized`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OcspResponder {
    pub url: String,
    /// Serial (lower-case hex, no separators) → DER response file.
    pub responses: std::collections::BTreeMap<String, String>,
}

/// The client of a case: PyMongo options (PyMongo's names and JSON types) and the
/// equivalent connection string.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClientSide {
    pub host: String,
    pub options: serde_json::Map<String, serde_json::Value>,
    pub uri: String,
    /// Set only where a case pins the client beyond what PyMongo can express.
    pub tls_versions: Option<Vec<String>>,
}

/// An outcome and, unless it is `accept`, the reason for it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Expect {
    pub outcome: Outcome,
    pub reason: Option<Reason>,
}

impl Expect {
    pub const ACCEPT: Expect = Expect {
        outcome: Outcome::Accept,
        reason: None,
    };

    pub fn reject(reason: Reason) -> Expect {
        Expect {
            outcome: Outcome::Reject,
            reason: Some(reason),
        }
    }

    pub fn config_error(reason: Reason) -> Expect {
        Expect {
            outcome: Outcome::ConfigError,
            reason: Some(reason),
        }
    }
}

/// `accept`, or `reject (unknown-issuer)`: how expectations and observations are shown.
fn outcome_text(
    f: &mut std::fmt::Formatter<'_>,
    outcome: Outcome,
    reason: Option<Reason>,
) -> std::fmt::Result {
    match reason {
        Some(reason) => write!(f, "{outcome} ({reason})"),
        None => write!(f, "{outcome}"),
    }
}

impl std::fmt::Display for Expect {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        outcome_text(f, self.outcome, self.reason)
    }
}

/// The outcome and reason only; the message is shown apart.
impl std::fmt::Display for Observed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        outcome_text(f, self.outcome, self.reason)
    }
}

impl Manifest {
    /// Reads `DIR/manifest.json`, refusing other schemas, a manifest that is a symbolic link
    /// and one that breaks the rules of [`Manifest::refuse_broken`], before anything runs.
    pub fn load(dir: &Path) -> Result<Manifest, Error> {
        let path = dir.join(MANIFEST_FILE);
        if path
            .symlink_metadata()
            .is_ok_and(|m| m.file_type().is_symlink())
        {
            return Err(Error::manifest(
                &path,
                "a symbolic link: pkigen reads only the manifest it wrote in the folder; \
                 replace the link with the file, or regenerate the fixtures",
            ));
        }
        let bytes = crate::input::read_bounded_no_symlink(&path).map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => Error::manifest(
                &path,
                "no manifest here: generate fixtures first with `pkigen scenario NAME --out DIR`",
            ),
            _ => Error::io(&path, e),
        })?;
        let manifest: Manifest = serde_json::from_slice(&bytes)
            .map_err(|e| Error::manifest(&path, format!("not a pkigen manifest: {e}")))?;
        if manifest.schema != SCHEMA {
            return Err(Error::manifest(
                &path,
                format!(
                    "manifest schema {} is not supported (this pkigen reads schema {SCHEMA}): regenerate the fixtures",
                    manifest.schema
                ),
            ));
        }
        manifest.refuse_broken(dir)?;
        Ok(manifest)
    }

    /// The rules every command relies on, checked once so that none runs half a manifest:
    /// case names and file paths are unique (`serve --case` and the sha256 check each find
    /// one), every path stays inside `dir`, and every file a case opens is listed (so its
    /// sha256 is checked before it is used).
    fn refuse_broken(&self, dir: &Path) -> Result<(), Error> {
        let broken = |problem: String| Error::manifest(&dir.join(MANIFEST_FILE), problem);
        // The name becomes a file name (`docs` writes NAME.md) and a folder name.
        if !is_plain_name(&self.scenario) {
            return Err(broken(format!(
                "scenario name '{}' is not a plain name (letters, digits, '-', '_', '.'): \
                 regenerate the fixtures",
                self.scenario
            )));
        }
        // The generation clock: `validate --at generation` and `check` judge the set at it,
        // and TLS libraries count time from 1970 (`scenario` never writes an earlier one).
        let generated_at = ::time::OffsetDateTime::parse(
            &self.now,
            &::time::format_description::well_known::Rfc3339,
        );
        if !generated_at.is_ok_and(|t| t >= ::time::OffsetDateTime::UNIX_EPOCH) {
            return Err(broken(format!(
                "'now' {:?} is not an RFC 3339 time from 1970 on, as pkigen writes it: \
                 regenerate the fixtures",
                self.now
            )));
        }
        // The catalogue has about a hundred cases and files: a manifest of thousands was not
        // written by pkigen, and each case costs a handshake and threads.
        if self.cases.len() > MAX_ENTRIES || self.files.len() > MAX_ENTRIES {
            return Err(broken(format!(
                "{} cases and {} files, more than the {MAX_ENTRIES} of each pkigen reads: \
                 regenerate the fixtures",
                self.cases.len(),
                self.files.len()
            )));
        }
        // Case names are printed in tables and pages, and matched by `--case`.
        if let Some(case) = self.cases.iter().find(|c| !is_plain_name(&c.name)) {
            return Err(broken(format!(
                "case name {:?} is not a plain name (letters, digits, '-', '_', '.'): \
                 regenerate the fixtures",
                case.name
            )));
        }
        if let Some(name) = first_repeated(self.cases.iter().map(|c| c.name.as_str())) {
            return Err(broken(format!(
                "case name '{name}' appears more than once: each case needs its own name; \
                 regenerate the fixtures"
            )));
        }
        if let Some(path) = first_repeated(self.files.iter().map(|f| f.path.as_str())) {
            return Err(broken(format!(
                "file '{path}' is listed more than once: regenerate the fixtures"
            )));
        }
        for file in &self.files {
            manifest_relative(dir, &file.path)?;
        }
        let listed: std::collections::HashSet<&str> =
            self.files.iter().map(|f| f.path.as_str()).collect();
        for case in &self.cases {
            for file in case.files() {
                manifest_relative(dir, file)?;
                if !listed.contains(file) {
                    return Err(broken(format!(
                        "case '{}' uses '{file}', which is not in the manifest's files (so \
                         its sha256 cannot be checked): regenerate the fixtures",
                        case.name
                    )));
                }
            }
            // `docs` shows the URI and `validate` runs the options: they must be one thing.
            if case.client.uri != crate::policy::uri_for(&case.client.host, &case.client.options) {
                return Err(broken(format!(
                    "case '{}': its uri is not the connection string of its host and \
                     options: regenerate the fixtures",
                    case.name
                )));
            }
            case.unusable_setting().map_or(Ok(()), |problem| {
                Err(broken(format!("case '{}': {problem}", case.name)))
            })?;
        }
        Ok(())
    }

    /// Refuses the set if any listed file is no longer the bytes the manifest describes:
    /// whatever runs the fixtures (`validate`, `serve`) runs what was generated, or nothing.
    pub fn verify_files(&self, dir: &Path) -> Result<(), Error> {
        for file in &self.files {
            read_verified(dir, file)?;
        }
        Ok(())
    }

    pub fn case(&self, name: &str) -> Option<&Case> {
        self.cases.iter().find(|c| c.name == name)
    }
}

/// The most cases, and the most files, a manifest may list.
const MAX_ENTRIES: usize = 1000;

/// A name that is safe as a file name, in a terminal and in Markdown: ASCII letters, digits,
/// `-`, `_` and `.`, not starting with a dot.
fn is_plain_name(name: &str) -> bool {
    let plain = |c: char| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.');
    !name.is_empty() && !name.starts_with('.') && name.chars().all(plain)
}

/// The first item of `items` seen before.
fn first_repeated<'a>(items: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    let mut seen = std::collections::HashSet::new();
    items.into_iter().find(|item| !seen.insert(*item))
}

/// Resolves a path named by a manifest inside `dir`, refusing absolute paths, `..` and
/// symbolic links, so an edited manifest cannot make pkigen read or replace files elsewhere.
pub fn manifest_relative(dir: &Path, relative: &str) -> Result<PathBuf, Error> {
    let path = Path::new(relative);
    let inside =
        !relative.is_empty() && path.components().all(|c| matches!(c, Component::Normal(_)));
    if !inside {
        return Err(Error::manifest(
            &dir.join(MANIFEST_FILE),
            format!(
                "file path '{relative}' points outside the fixture folder: regenerate the fixtures"
            ),
        ));
    }
    // A symbolic link (the file, or a folder on the way) could point anywhere.
    let mut at = dir.to_path_buf();
    for component in path.components() {
        at.push(component);
        if at
            .symlink_metadata()
            .is_ok_and(|m| m.file_type().is_symlink())
        {
            return Err(Error::manifest(
                &dir.join(MANIFEST_FILE),
                format!(
                    "'{relative}' is a symbolic link: pkigen reads only the files it wrote; regenerate the fixtures"
                ),
            ));
        }
    }
    Ok(at)
}

/// Reads a file the manifest names (see `manifest_relative`), returning its path for error
/// messages and its bytes.
pub fn read_listed(dir: &Path, relative: &str) -> Result<(PathBuf, Vec<u8>), Error> {
    let path = manifest_relative(dir, relative)?;
    let bytes = crate::input::read_bounded_no_symlink(&path).map_err(|e| Error::io(&path, e))?;
    Ok((path, bytes))
}

/// Reads a file the manifest lists and refuses it when its bytes are no longer the ones
/// generated: every expectation in the manifest is about those bytes.
pub fn read_verified(dir: &Path, file: &FileEntry) -> Result<(PathBuf, Vec<u8>), Error> {
    let (path, bytes) = read_listed(dir, &file.path)?;
    if !file.digest_matches(&bytes) {
        return Err(Error::bad_file(
            &path,
            "changed since it was generated (sha256 differs from manifest.json): regenerate \
             the scenario with `pkigen scenario NAME --out PARENT`; `pkigen check` lists every \
             change",
        ));
    }
    Ok((path, bytes))
}

impl FileEntry {
    /// The `sha256` an entry records for `bytes`: lower-case hex.
    pub fn digest_of(bytes: &[u8]) -> String {
        use sha2::{Digest, Sha256};
        hex::encode(Sha256::digest(bytes))
    }

    /// Whether `bytes` are the ones this entry's sha256 was taken of.
    pub fn digest_matches(&self, bytes: &[u8]) -> bool {
        FileEntry::digest_of(bytes) == self.sha256
    }
}

/// The layout of every JSON file and JSON output pkigen writes: pretty, with a trailing
/// newline.
pub fn json_text(value: &impl Serialize) -> String {
    serde_json::to_string_pretty(value).expect("pkigen's JSON types always serialize") + "\n"
}

/// `report.json`: each case's expectation beside what was observed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Report {
    pub schema: u32,
    pub generator: String,
    pub scenario: String,
    /// The instant the handshakes were judged at (RFC 3339): certificate, CRL and OCSP times
    /// are compared with it. Absent from reports written before it was recorded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub validated_at: Option<String>,
    /// Where that instant came from: `generation`, `system` or `given`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub clock: Option<crate::clock::ClockSource>,
    pub cases: Vec<CaseReport>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CaseReport {
    pub name: String,
    pub expected: Expect,
    pub observed: Observed,
    pub verdict: Verdict,
}

/// What actually happened, measured by the validator; never copied from `Expect`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Observed {
    pub outcome: Outcome,
    pub reason: Option<Reason>,
    /// The TLS library's (or policy parser's) own words.
    pub message: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Verdict {
    Pass,
    UnexpectedAccept,
    UnexpectedReject,
    WrongReason,
}

impl Verdict {
    pub fn judge(expected: &Expect, observed: &Observed) -> Verdict {
        match (expected.outcome, observed.outcome) {
            (e, o)
                if e == o && (expected.reason.is_none() || expected.reason == observed.reason) =>
            {
                Verdict::Pass
            }
            (_, Outcome::Accept) => Verdict::UnexpectedAccept,
            (Outcome::Accept, _) => Verdict::UnexpectedReject,
            _ => Verdict::WrongReason,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Pass => "pass",
            Verdict::UnexpectedAccept => "unexpected-accept",
            Verdict::UnexpectedReject => "unexpected-reject",
            Verdict::WrongReason => "wrong-reason",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn observed(outcome: Outcome, reason: Option<Reason>) -> Observed {
        Observed {
            outcome,
            reason,
            message: String::new(),
        }
    }

    #[test]
    fn verdicts() {
        let expired = Expect::reject(Reason::Expired);
        assert_eq!(
            Verdict::judge(&expired, &observed(Outcome::Reject, Some(Reason::Expired))),
            Verdict::Pass
        );
        assert_eq!(
            Verdict::judge(
                &expired,
                &observed(Outcome::Reject, Some(Reason::UnknownIssuer))
            ),
            Verdict::WrongReason
        );
        assert_eq!(
            Verdict::judge(&expired, &observed(Outcome::Accept, None)),
            Verdict::UnexpectedAccept
        );
        assert_eq!(
            Verdict::judge(
                &Expect::ACCEPT,
                &observed(Outcome::Reject, Some(Reason::Expired))
            ),
            Verdict::UnexpectedReject
        );
        assert_eq!(
            Verdict::judge(&Expect::ACCEPT, &observed(Outcome::Accept, None)),
            Verdict::Pass
        );
    }

    #[test]
    fn symbolic_links_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        std::os::unix::fs::symlink("/etc/passwd", dir.path().join("ca.pem")).unwrap();
        std::fs::create_dir(dir.path().join("real")).unwrap();
        std::os::unix::fs::symlink(dir.path().join("real"), dir.path().join("linked")).unwrap();
        std::fs::write(dir.path().join("real/ok.pem"), "x").unwrap();
        for bad in ["ca.pem", "linked/ok.pem"] {
            let message = manifest_relative(dir.path(), bad).unwrap_err().to_string();
            assert!(message.contains("symbolic link"), "{message}");
        }
        assert!(manifest_relative(dir.path(), "real/ok.pem").is_ok());
    }

    #[test]
    fn paths_outside_the_folder_are_refused() {
        let dir = Path::new("/tmp/x");
        assert!(manifest_relative(dir, "ca.pem").is_ok());
        assert!(manifest_relative(dir, "sub/ca.pem").is_ok());
        for bad in [
            "../../etc/passwd",
            "/etc/passwd",
            "",
            "a/../../b",
            "./ca.pem",
        ] {
            assert!(manifest_relative(dir, bad).is_err(), "{bad}");
        }
    }
}
