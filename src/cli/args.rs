//! Flags, as clap sees them.

use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

#[derive(Debug, Parser)]
#[command(
    name = "pkigen",
    version,
    about = "Certificate and PKI test fixtures, proven with real TLS handshakes against PyMongo's TLS policy"
)]
pub struct Cli {
    /// Print nothing but errors (for CI logs); the exit code still tells the outcome.
    #[arg(short, long, global = true)]
    pub quiet: bool,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum Format {
    #[default]
    Text,
    Json,
}

/// `list --format`: beside text and JSON, a Markdown table (what the README's tables are
/// made of).
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum ListFormat {
    #[default]
    Text,
    Json,
    Markdown,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Generate a scenario's fixtures into OUT/NAME/ and prove each case in a real handshake.
    Scenario(ScenarioArgs),
    /// List the scenarios and their cases.
    List {
        /// Whose expectations to list: pymongo (PyMongo 4.20.1), node (the Node.js driver,
        /// npm mongodb 7.9.0) or rust (the Rust driver, mongodb 3.9.1, default features
        /// (rustls)); where one is not PyMongo's, the line says why.
        #[arg(long, value_name = "NAME", value_parser = super::driver::parser(), default_value = "pymongo")]
        driver: pkigen::policy::Driver,
        /// Only the cases where the drivers' expectations differ, every driver's side by side
        /// with why.
        #[arg(long, conflicts_with = "driver")]
        differences: bool,
        #[arg(long, value_enum, default_value_t)]
        format: ListFormat,
    },
    /// Re-run the cases of generated fixtures (a scenario folder, or a folder of them).
    Validate {
        #[arg(default_value = "out")]
        dir: PathBuf,
        /// Only cases whose name contains PATTERN (report.json is then left as it was).
        #[arg(long, value_name = "PATTERN")]
        case: Option<String>,
        /// Do not write report.json (fixtures in a read-only folder).
        #[arg(long)]
        no_report: bool,
        /// The clock certificate, CRL and OCSP times are judged at: `now` (the system clock:
        /// what a driver sees today), `generation` (the --now each folder was made for), or an
        /// RFC 3339 time.
        #[arg(long, value_name = "WHEN", default_value = "now")]
        at: String,
        /// The driver the fixtures were generated for (`scenario --driver`); a manifest of
        /// another is refused. Default: whichever each manifest names.
        #[arg(long, value_name = "NAME", value_parser = super::driver::parser())]
        driver: Option<pkigen::policy::Driver>,
        #[arg(long, value_enum, default_value_t)]
        format: Format,
    },
    /// Verify fixtures against their manifest (sha256) and an expiry horizon.
    Check {
        #[arg(default_value = "out")]
        dir: PathBuf,
        /// Fail if a fixture's behaviour would change within this many days.
        #[arg(long, value_name = "DAYS", default_value_t = 30)]
        expiring_within: u32,
        #[arg(long, value_enum, default_value_t)]
        format: Format,
    },
    /// Show the TLS policy a MongoDB URI resolves to, or the error the driver raises for it.
    Policy {
        uri: String,
        /// The driver whose reading of the URI to reproduce: pymongo (PyMongo 4.20.1), node
        /// (the Node.js driver, npm mongodb 7.9.0) or rust (the Rust driver, mongodb 3.9.1,
        /// default features (rustls)).
        #[arg(long, value_name = "NAME", value_parser = super::driver::parser(), default_value = "pymongo")]
        driver: pkigen::policy::Driver,
        #[arg(long, value_enum, default_value_t)]
        format: Format,
        /// Show tlsCertificateKeyFilePassword instead of "***", and the URI text some of
        /// the driver's errors quote (it may hold a mis-escaped password) instead of leaving it out.
        #[arg(long)]
        show_secrets: bool,
    },
    /// Render documentation pages (templates/) from generated fixtures and their reports.
    Docs {
        /// Fixtures made by `pkigen scenario` (a scenario folder, or a folder of them).
        #[arg(default_value = "out")]
        dir: PathBuf,
        /// Where the pages go: OUT/LANG/index.md and OUT/LANG/SCENARIO.md (default: DIR/docs).
        #[arg(long)]
        out: Option<PathBuf>,
        /// en, ja, zh or ko (default: all four).
        #[arg(long)]
        lang: Option<String>,
        /// Templates edited outside the built-in ones (same layout as templates/).
        #[arg(long, value_name = "DIR")]
        templates: Option<PathBuf>,
        /// Replace an output folder even if pkigen did not make it.
        #[arg(long)]
        force: bool,
        /// The driver the fixtures were generated for (`scenario --driver`), whose
        /// expectations the pages show; a manifest of another is refused. Default: whichever
        /// each manifest names.
        #[arg(long, value_name = "NAME", value_parser = super::driver::parser())]
        driver: Option<pkigen::policy::Driver>,
    },
    /// Serve a case's server side (TLS, MongoDB hello/ping, its OCSP responder) until Ctrl-C.
    Serve {
        /// A scenario folder made by `pkigen scenario` (with --all, also a folder of them).
        dir: PathBuf,
        /// The case whose server side to present.
        #[arg(long, value_name = "NAME", required_unless_present = "all")]
        case: Option<String>,
        /// Where to listen; the first line printed is the address actually bound.
        #[arg(long, default_value = "127.0.0.1:0")]
        listen: std::net::SocketAddr,
        /// Serve every case of every scenario folder, each on its own loopback port; the
        /// first line printed is a JSON object mapping each "scenario/case" to its
        /// "address" and "uri" (the case's connection string with that port).
        #[arg(long, conflicts_with_all = ["case", "listen"])]
        all: bool,
    },
    /// Describe certificates, chains, keys, CRLs and OCSP responses.
    Inspect {
        #[arg(required = true)]
        files: Vec<PathBuf>,
        #[arg(long, value_enum, default_value_t)]
        format: Format,
    },
    /// Print a shell completion script: `pkigen completions bash > /etc/bash_completion.d/pkigen`.
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the man page (roff): `pkigen man > pkigen.1`.
    Man {
        /// Write pkigen.1 and a pkigen-COMMAND.1 for each command into DIR (created if
        /// missing), and print each page's path.
        #[arg(long, value_name = "DIR")]
        out: Option<PathBuf>,
    },
}

#[derive(Debug, Args)]
pub struct ScenarioArgs {
    /// Scenario names (see `pkigen list`), or `all`.
    #[arg(required = true, value_name = "NAME")]
    pub names: Vec<String>,
    /// Parent folder: each scenario is written to OUT/NAME/.
    #[arg(long, default_value = "out")]
    pub out: PathBuf,
    /// Fixes every key, serial and signature (default: random, printed).
    #[arg(long)]
    pub seed: Option<u64>,
    /// Pins the generation clock, RFC 3339 (default: now).
    #[arg(long, value_name = "RFC3339")]
    pub now: Option<String>,
    /// ecdsa-p256, ecdsa-p384, ed25519, rsa-2048, rsa-3072 or rsa-4096.
    #[arg(long, default_value = "ecdsa-p256")]
    pub key_type: String,
    /// The driver whose expectations the manifests hold and whose TLS stack the handshakes
    /// model: pymongo (PyMongo 4.20.1), node (the Node.js driver, npm mongodb 7.9.0) or rust
    /// (the Rust driver, mongodb 3.9.1, default features (rustls)).
    #[arg(long, value_name = "NAME", value_parser = super::driver::parser(), default_value = "pymongo")]
    pub driver: pkigen::policy::Driver,
    /// Generate only; do not run the handshakes.
    #[arg(long)]
    pub no_validate: bool,
    /// Replace an output folder pkigen did not make; files in it that pkigen does not
    /// write are kept, and one it does write is refused, never overwritten.
    #[arg(long)]
    pub force: bool,
    /// Also write OUT/NAME.zip (OUT/all.zip for `all`), mode 0600: it holds the keys.
    ///
    /// The zip holds the fixtures, manifest.json and report.json (its messages left out);
    /// the same --seed and --now give a byte-identical zip.
    #[arg(long)]
    pub zip: bool,
    #[arg(long, value_enum, default_value_t)]
    pub format: Format,
}
