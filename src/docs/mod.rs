//! `pkigen docs`: pages made from `templates/` (minijinja; files a writer can edit without
//! touching Rust) and the fixtures' manifests and reports. Nothing in an example is typed
//! by hand: connection strings, keywords, snippets and results all come from the data.

mod markdown;
mod snippets;
mod snippets_c;
mod snippets_node;
mod snippets_rust;

use crate::error::Error;
use crate::fixtures::inspect::{self, Item};
use crate::fixtures::manifest::{self, FileKind, Manifest, REPORT_FILE, Report};
use crate::policy::{Driver, Outcome, Reason};
use minijinja::value::Serde;
use serde::Serialize;
use std::collections::BTreeMap;
use std::path::Path;

/// The languages of the guide pkigen starts from, and English.
pub const LANGUAGES: [&str; 4] = ["en", "ja", "zh", "ko"];

/// The largest page `docs` writes. Pages are tens of kilobytes; one over this holds strings
/// a manifest or report should not have, and is refused rather than written.
pub const MAX_PAGE_BYTES: usize = 4 * 1024 * 1024;

/// What one page's rendering may spend, in minijinja's fuel (about one unit per template
/// instruction, and per 64 bytes a template allocates): the built-in templates spend under
/// 10,000 on the largest scenario, so a page of the most cases a manifest may hold fits many
/// times over, while a template that loops without end stops within a second.
const RENDER_FUEL: u64 = 2_000_000;

/// The most certificates, keys or responses a fixture's description names, and the longest
/// that description gets: a fixture holding thousands of certificates is summed up.
const MAX_ITEMS_DESCRIBED: usize = 8;
const MAX_ABOUT_CHARS: usize = 2000;

/// The templates, as files: built in, or read from a folder laid out like `templates/`.
pub struct Templates {
    scenario: String,
    index: String,
    drivers: String,
    ci_job: String,
    strings: BTreeMap<String, serde_json::Map<String, serde_json::Value>>,
}

impl Templates {
    /// The templates compiled into pkigen from the repository's `templates/`.
    pub fn builtin() -> Templates {
        let parse =
            |text: &str| serde_json::from_str(text).expect("built-in translations are valid JSON");
        Templates {
            scenario: include_str!("../../templates/scenario.md.j2").into(),
            index: include_str!("../../templates/index.md.j2").into(),
            drivers: include_str!("../../templates/drivers.md.j2").into(),
            ci_job: include_str!("../../templates/ci-job.yml").into(),
            strings: [
                ("en", parse(include_str!("../../templates/i18n/en.json"))),
                ("ja", parse(include_str!("../../templates/i18n/ja.json"))),
                ("zh", parse(include_str!("../../templates/i18n/zh.json"))),
                ("ko", parse(include_str!("../../templates/i18n/ko.json"))),
            ]
            .into_iter()
            .map(|(lang, strings)| (lang.to_string(), strings))
            .collect(),
        }
    }

    /// Templates edited in `dir` (same layout as `templates/`), without rebuilding pkigen.
    pub fn from_dir(dir: &Path) -> Result<Templates, Error> {
        let read = |name: &str| {
            let path = dir.join(name);
            crate::os::input::read_bounded_to_string(&path).map_err(|e| Error::io(&path, e))
        };
        let mut strings = BTreeMap::new();
        for lang in LANGUAGES {
            let path = dir.join("i18n").join(format!("{lang}.json"));
            let text = read(&format!("i18n/{lang}.json"))?;
            let map = serde_json::from_str(&text).map_err(|e| {
                Error::bad_file(&path, format!("not a JSON object of strings: {e}"))
            })?;
            strings.insert(lang.to_string(), map);
        }
        Ok(Templates {
            scenario: read("scenario.md.j2")?,
            index: read("index.md.j2")?,
            drivers: read("drivers.md.j2")?,
            ci_job: read("ci-job.yml")?,
            strings,
        })
    }
}

/// One rendered page: its file name and Markdown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page {
    /// `SCENARIO.md` for a scenario folder, `index.md` for the index; the caller writes it
    /// in a folder per language.
    pub file: String,
    /// The page's text, at most [`MAX_PAGE_BYTES`].
    pub markdown: String,
}

/// A scenario folder's data, as the templates see it.
#[derive(Serialize)]
struct ScenarioPage {
    /// Every driver the manifest holds expectations of, its clients' first (whose examples
    /// the page shows): more than one in a set made with `--driver all`, whose page adds the
    /// case × driver matrix.
    #[serde(skip)]
    drivers: Vec<Driver>,
    scenario: ScenarioInfo,
    fixtures: Vec<FixtureInfo>,
    cases: Vec<CaseInfo>,
}

impl ScenarioPage {
    /// The driver whose examples the page shows: its clients' (PyMongo's for a set without
    /// cases).
    fn driver(&self) -> Driver {
        self.drivers.first().copied().unwrap_or(Driver::PyMongo)
    }
}

#[derive(Serialize)]
struct ScenarioInfo {
    name: String,
    summary: String,
    generator: String,
    seed: u64,
    now: String,
    key_type: String,
    cases: usize,
    passing: String,
    /// The clock the report's cases were judged at (RFC 3339), and where it came from
    /// (`generation`, `system`, `given`): the observed messages quote that instant, so the
    /// page says which it was. Absent without a report, or from a report that predates them.
    validated_at: Option<String>,
    clock: Option<crate::fixtures::clock::ClockSource>,
}

#[derive(Serialize)]
struct FixtureInfo {
    path: String,
    kind: FileKind,
    encrypted: bool,
    about: String,
}

#[derive(Serialize)]
struct CaseInfo {
    name: String,
    anchor: String,
    description: String,
    /// Why the page's driver expects otherwise than PyMongo here, where it does.
    differs: Option<String>,
    server: manifest::ServerSide,
    client: manifest::ClientSide,
    mongod: Option<MongodInfo>,
    uri: String,
    /// The examples in the page's driver's language: PyMongo's `mongoclient`, `ssl_files`
    /// and `ssl_memory` (Python), Node's `node_mongoclient` and `node_tls_connect`
    /// (JavaScript), or libmongoc's `c_program`, `c_build` and, for a case with a CRL file,
    /// `c_crl_program` (C); the other drivers' are `None`.
    mongoclient: Option<String>,
    ssl_files: Option<String>,
    ssl_memory: Option<String>,
    node_mongoclient: Option<String>,
    node_tls_connect: Option<String>,
    /// The Rust driver's whole program (`src/main.rs`), for a Rust page.
    rust_program: Option<String>,
    c_program: Option<String>,
    c_build: Option<&'static str>,
    c_crl_program: Option<String>,
    expected: String,
    observed: Option<String>,
    verdict: Option<&'static str>,
    message: Option<String>,
    /// In a set for several drivers, one cell per driver (the page's own first); else empty.
    matrix: Vec<MatrixCell>,
}

/// What one driver must do with a case, and what its validation observed.
#[derive(Serialize, Clone)]
struct MatrixCell {
    driver: &'static str,
    expected: String,
    /// Whether the driver expects what the page's own driver does.
    same: bool,
    observed: Option<String>,
    verdict: Option<&'static str>,
    /// Why the driver expects otherwise than PyMongo, in the page's language.
    why: Option<String>,
}

/// A case of the overview page: where the drivers of a set for several drivers disagree.
#[derive(Serialize)]
struct OverviewRow {
    scenario: String,
    case: String,
    anchor: String,
    cells: Vec<MatrixCell>,
}

/// A case's server side as mongod takes it: its command line as a shell would run it, its
/// `mongod.conf`, and what mongod does otherwise.
#[derive(Serialize)]
struct MongodInfo {
    command: String,
    conf: String,
    /// One sentence per note, in the page's language.
    notes: Vec<String>,
}

/// Renders the index and one page per scenario folder in `dirs`, in `lang`, with the code
/// examples of the driver each manifest holds the expectations of (the templates see its
/// [`Driver::name`] as `driver`; the index sees the one driver of every page, or `pymongo`
/// where the folders hold several).
pub fn render(
    dirs: &[std::path::PathBuf],
    templates: &Templates,
    lang: &str,
) -> Result<Vec<Page>, Error> {
    let strings = templates
        .strings
        .get(lang)
        .ok_or_else(|| Error::UnknownLanguage(lang.to_string()))?;
    let mut env = minijinja::Environment::new();
    let syntax = minijinja::syntax::SyntaxConfig::builder()
        .trim_blocks(true)
        .lstrip_blocks(true)
        .keep_trailing_newline(true)
        .build()
        .expect("default delimiters");
    env.set_syntax(syntax);
    env.set_fuel(Some(RENDER_FUEL));
    // Strings from files stay text in the Markdown (see `markdown`).
    env.add_filter("md", |text: String| markdown::prose(&text));
    env.add_filter("cell", |text: String| markdown::prose(&text));
    env.add_filter("code", |text: String| markdown::code(&text));
    env.add_filter("cell_code", |text: String| markdown::cell_code(&text));
    env.add_filter("fenced", |text: String, language: String| {
        markdown::fenced(&text, &language)
    });
    env.add_filter("link", |text: String| markdown::link(&text));
    // minijinja's alternate form adds the template's source and every variable in scope:
    // the plain one names the problem and the line, in one line.
    let template_error = |name: &str, e: minijinja::Error| Error::Template {
        name: name.to_string(),
        problem: e.to_string(),
    };
    env.add_template_owned("scenario.md.j2", templates.scenario.clone())
        .map_err(|e| template_error("scenario.md.j2", e))?;
    env.add_template_owned("index.md.j2", templates.index.clone())
        .map_err(|e| template_error("index.md.j2", e))?;

    env.add_template_owned("drivers.md.j2", templates.drivers.clone())
        .map_err(|e| template_error("drivers.md.j2", e))?;

    let mut pages = Vec::new();
    let mut summaries = Vec::new();
    let mut page_dirs: BTreeMap<String, &Path> = BTreeMap::new();
    let mut drivers = std::collections::BTreeSet::new();
    let mut overview: Option<(Vec<Driver>, Vec<OverviewRow>)> = None;
    for dir in dirs {
        let page = scenario_page(dir, strings, lang)?;
        refuse_duplicate_page(&mut page_dirs, &page.scenario.name, dir)?;
        drivers.insert(page.driver());
        // A set for several drivers is named by `--driver all`, as its pages' command says.
        let driver_arg = match page.drivers.len() {
            0 | 1 => page.driver().name(),
            _ => "all",
        };
        if page.drivers.len() > 1 {
            let (columns, rows) =
                overview.get_or_insert_with(|| (page.drivers.clone(), Vec::new()));
            if *columns == page.drivers {
                rows.extend(
                    page.cases
                        .iter()
                        .filter(|c| c.matrix.iter().any(|m| !m.same))
                        .map(|c| OverviewRow {
                            scenario: page.scenario.name.clone(),
                            case: c.name.clone(),
                            anchor: c.anchor.clone(),
                            cells: c.matrix.clone(),
                        }),
                );
            } else {
                return Err(Error::manifest(
                    &dir.join(manifest::MANIFEST_FILE),
                    format!(
                        "it holds the expectations of {}, another folder's those of {}: one \
                         overview page compares one set of drivers; regenerate the fixtures \
                         with the same --driver",
                        Driver::names(&page.drivers),
                        Driver::names(columns)
                    ),
                ));
            }
        }
        let columns: Vec<&str> = page.drivers.iter().map(|d| d.name()).collect();
        let columns = if columns.len() > 1 {
            columns
        } else {
            Vec::new()
        };
        let context = minijinja::context! {
            t => Serde(strings), driver => driver_arg, drivers => Serde(&columns), scenario => Serde(&page.scenario), fixtures => Serde(&page.fixtures), cases => Serde(&page.cases),
        };
        let markdown = render_bounded(&env, "scenario.md.j2", context)
            .map_err(|e| template_error("scenario.md.j2", e))?
            .ok_or_else(|| oversized(dir))?;
        pages.push(Page {
            file: format!("{}.md", page.scenario.name),
            markdown,
        });
        summaries.push(page.scenario);
    }
    let index_driver = match drivers.len() {
        1 => drivers.first().copied().unwrap_or(Driver::PyMongo),
        _ => Driver::PyMongo,
    };
    if let Some((columns, rows)) = &overview {
        if page_dirs.contains_key(OVERVIEW_PAGE) {
            return Err(Error::DuplicatePage {
                page: OVERVIEW_PAGE.into(),
                first: None,
                second: page_dirs[OVERVIEW_PAGE].to_path_buf(),
            });
        }
        let columns: Vec<&str> = columns.iter().map(|d| d.name()).collect();
        let context = minijinja::context! {
            t => Serde(strings), drivers => Serde(&columns), rows => Serde(rows),
        };
        let markdown = render_bounded(&env, "drivers.md.j2", context)
            .map_err(|e| template_error("drivers.md.j2", e))?
            .ok_or_else(|| Error::Template {
                name: "drivers.md.j2".into(),
                problem: format!(
                    "the overview would be over the {MAX_PAGE_BYTES} bytes a page may be"
                ),
            })?;
        pages.push(Page {
            file: OVERVIEW_PAGE.into(),
            markdown,
        });
    }
    let context = minijinja::context! {
        t => Serde(strings), driver => index_driver.name(), scenarios => Serde(&summaries), languages => Serde(LANGUAGES), ci_job => templates.ci_job.trim_end(), overview => overview.is_some(),
    };
    let markdown = render_bounded(&env, "index.md.j2", context)
        .map_err(|e| template_error("index.md.j2", e))?
        .ok_or_else(|| Error::Template {
            name: "index.md.j2".into(),
            problem: format!("the index would be over the {MAX_PAGE_BYTES} bytes a page may be"),
        })?;
    pages.insert(
        0,
        Page {
            file: INDEX_PAGE.into(),
            markdown,
        },
    );
    Ok(pages)
}

/// Records that `dir`'s page is `NAME.md`, refusing a name another folder of the same run
/// already has (two copies of one scenario), or the index's own: one page would replace the
/// other.
fn refuse_duplicate_page<'a>(
    page_dirs: &mut BTreeMap<String, &'a Path>,
    name: &str,
    dir: &'a Path,
) -> Result<(), Error> {
    let page = format!("{name}.md");
    if page == INDEX_PAGE {
        return Err(Error::DuplicatePage {
            page,
            first: None,
            second: dir.to_path_buf(),
        });
    }
    if let Some(first) = page_dirs.insert(page.clone(), dir) {
        return Err(Error::DuplicatePage {
            page,
            first: Some(first.to_path_buf()),
            second: dir.to_path_buf(),
        });
    }
    Ok(())
}

/// The file name of the index page.
const INDEX_PAGE: &str = "index.md";

/// The file name of the page of every case where the drivers of a set for several drivers
/// disagree.
const OVERVIEW_PAGE: &str = "drivers.md";

/// `name` rendered with `context`, or `None` once the page passes [`MAX_PAGE_BYTES`]: the
/// rendering stops there, so a page never takes more memory than that.
fn render_bounded(
    env: &minijinja::Environment<'_>,
    name: &str,
    context: minijinja::Value,
) -> Result<Option<String>, minijinja::Error> {
    let mut page = BoundedPage::default();
    let rendered = env
        .get_template(name)
        .and_then(|t| t.render_captured_to(context, &mut page).map(drop));
    match rendered {
        Err(_) if page.overflowed => Ok(None),
        Err(e) => Err(e),
        // The templates write only strings, so the bytes are UTF-8.
        Ok(()) => Ok(Some(String::from_utf8_lossy(&page.bytes).into_owned())),
    }
}

/// A page being written, refusing bytes past [`MAX_PAGE_BYTES`].
#[derive(Default)]
struct BoundedPage {
    bytes: Vec<u8>,
    overflowed: bool,
}

impl std::io::Write for BoundedPage {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if self.bytes.len() + buf.len() > MAX_PAGE_BYTES {
            self.overflowed = true;
            return Err(std::io::Error::other("page too large"));
        }
        self.bytes.extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// A scenario page that would pass [`MAX_PAGE_BYTES`]: with the built-in templates only a
/// manifest's or report's strings can make it so large (embedded and described fixtures
/// are bounded).
fn oversized(dir: &Path) -> Error {
    Error::manifest(
        &dir.join(manifest::MANIFEST_FILE),
        format!(
            "its page would be over the {MAX_PAGE_BYTES} bytes `pkigen docs` writes: the \
             manifest or report.json holds oversized strings (or --templates writes that \
             much); regenerate the fixtures"
        ),
    )
}

/// `DIR/report.json`, or `None` if the fixtures were never validated. A report that is
/// there but unreadable is refused: the page would otherwise claim the cases never ran.
fn read_report(dir: &Path) -> Result<Option<Report>, Error> {
    let path = dir.join(REPORT_FILE);
    let bytes = match crate::os::input::read_bounded_no_symlink(&path) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(Error::io(&path, e)),
    };
    serde_json::from_slice(&bytes).map(Some).map_err(|e| {
        Error::bad_file(
            &path,
            format!(
                "not a pkigen report: {e}: rewrite it with `pkigen validate {}`",
                dir.display()
            ),
        )
    })
}

/// A scenario folder's page data in `lang`: the fixed prose comes from `t` (the templates'
/// strings), the summary, descriptions and results from the catalogue's translation into
/// `lang`, where it has one; the code examples are those of the manifest's driver.
fn scenario_page(
    dir: &Path,
    t: &serde_json::Map<String, serde_json::Value>,
    lang: &str,
) -> Result<ScenarioPage, Error> {
    let manifest = Manifest::load(dir)?;
    let driver = manifest.driver().unwrap_or(Driver::PyMongo);
    let drivers = manifest.drivers();
    let catalogue = crate::scenario::find(&manifest.scenario).ok();
    // The same check as `validate`: the pages describe the bytes the manifest describes.
    let mut contents = BTreeMap::new();
    for file in &manifest.files {
        let (path, bytes) = manifest::read_verified(dir, file)?;
        contents.insert(file.path.as_str(), (path, bytes));
    }
    let report = read_report(dir)?;
    // A set for several drivers reports each case once per driver, named.
    let several = drivers.len() > 1;
    let observed = |case: &str, driver: Driver| {
        report.as_ref().and_then(|r| {
            r.cases
                .iter()
                .find(|c| c.name == case && c.driver == several.then_some(driver))
        })
    };
    let read = |file: &str| {
        contents
            .get(file)
            .and_then(|(_, bytes)| String::from_utf8(bytes.clone()).ok())
    };
    let fixtures = manifest
        .files
        .iter()
        .map(|file| {
            let (path, bytes) = &contents[file.path.as_str()];
            FixtureInfo {
                path: file.path.clone(),
                kind: file.kind,
                encrypted: file.encrypted,
                about: about(path, bytes, t),
            }
        })
        .collect();
    let cases: Vec<CaseInfo> = manifest
        .cases
        .iter()
        .map(|case| {
            let seen = observed(&case.name, driver);
            let matrix = match several {
                false => Vec::new(),
                true => drivers
                    .iter()
                    .filter_map(|d| {
                        let own = case.for_driver(*d)?;
                        let seen = observed(&case.name, *d);
                        Some(MatrixCell {
                            driver: d.name(),
                            expected: outcome_in(lang, own.expect.outcome, own.expect.reason),
                            same: own.expect == case.expect,
                            observed: seen
                                .map(|c| outcome_in(lang, c.observed.outcome, c.observed.reason)),
                            verdict: seen.map(|c| c.verdict.as_str()),
                            why: catalogue
                                .as_ref()
                                .and_then(|s| {
                                    s.case_difference_in(&case.name, *d, own.expect, lang)
                                })
                                .map(str::to_string),
                        })
                    })
                    .collect(),
            };
            let (pymongo, node) = (driver == Driver::PyMongo, driver == Driver::Node);
            let rust = driver == Driver::Rust;
            let c = driver == Driver::C;
            CaseInfo {
                name: case.name.clone(),
                anchor: markdown::anchor(&case.name),
                description: catalogue
                    .as_ref()
                    .and_then(|s| s.case_description_in(&case.name, &case.description, lang))
                    .unwrap_or(&case.description)
                    .to_string(),
                differs: catalogue
                    .as_ref()
                    .and_then(|s| s.case_difference_in(&case.name, driver, case.expect, lang))
                    .map(str::to_string),
                server: case.server.clone(),
                client: case.client.clone(),
                mongod: case.mongod.as_ref().map(|mongod| MongodInfo {
                    command: snippets::shell_command(&mongod.args),
                    conf: mongod.conf.clone(),
                    notes: mongod
                        .notes
                        .iter()
                        .map(|n| mongod_note_in(lang, n))
                        .collect(),
                }),
                uri: case.client.uri.clone(),
                mongoclient: pymongo.then(|| snippets::mongoclient(case)),
                ssl_files: pymongo.then(|| snippets::ssl_from_files(case)),
                ssl_memory: pymongo.then(|| snippets::ssl_from_memory(case, &read)),
                node_mongoclient: node.then(|| snippets_node::mongoclient(case)),
                node_tls_connect: node.then(|| snippets_node::tls_connect(case)),
                rust_program: rust.then(|| snippets_rust::program(case)),
                c_program: c.then(|| snippets_c::program(case)),
                c_build: c.then_some(snippets_c::BUILD),
                c_crl_program: c.then(|| snippets_c::crl_program(case)).flatten(),
                expected: outcome_in(lang, case.expect.outcome, case.expect.reason),
                observed: seen.map(|c| outcome_in(lang, c.observed.outcome, c.observed.reason)),
                verdict: seen.map(|c| c.verdict.as_str()),
                message: seen.map(|c| c.observed.message.clone()),
                matrix,
            }
        })
        .collect();
    let passing = match &report {
        Some(r) => format!(
            "{}/{}",
            r.cases
                .iter()
                .filter(|c| c.verdict == manifest::Verdict::Pass)
                .count(),
            r.cases.len()
        ),
        None => "—".into(),
    };
    Ok(ScenarioPage {
        drivers,
        scenario: ScenarioInfo {
            summary: catalogue
                .as_ref()
                .map(|s| s.summary_in(lang).to_string())
                .unwrap_or_default(),
            name: manifest.scenario.clone(),
            generator: manifest.generator.clone(),
            seed: manifest.seed,
            now: crate::fixtures::clock::rfc3339(manifest.now),
            key_type: manifest.key_type.to_string(),
            cases: cases.len(),
            passing,
            validated_at: report
                .as_ref()
                .and_then(|r| r.validated_at)
                .map(crate::fixtures::clock::rfc3339),
            clock: report.as_ref().and_then(|r| r.clock),
        },
        fixtures,
        cases,
    })
}

/// A mongod note in `lang`: the catalogue's translation, or the note's own English.
fn mongod_note_in(lang: &str, note: &crate::fixtures::mongod::MongodNote) -> String {
    crate::scenario::translation(lang)
        .and_then(|t| t.mongod_note(note))
        .unwrap_or_else(|| note.to_string())
}

/// An outcome and its reason in `lang`: glossed by the catalogue's translation, or in
/// English as manifest.json and report.json spell it (`reject (unknown-issuer)`).
fn outcome_in(lang: &str, outcome: Outcome, reason: Option<Reason>) -> String {
    match crate::scenario::translation(lang) {
        Some(translation) => translation.outcome(outcome, reason),
        None => manifest::Expect { outcome, reason }.to_string(),
    }
}

/// What a fixture file is, in one line, in the page's language: read from the file itself.
/// At most [`MAX_ITEMS_DESCRIBED`] items and [`MAX_ABOUT_CHARS`] characters.
fn about(path: &Path, bytes: &[u8], t: &serde_json::Map<String, serde_json::Value>) -> String {
    let w_or = |key: &str, otherwise: &str| {
        t.get(key)
            .and_then(|v| v.as_str())
            .unwrap_or(otherwise)
            .to_string()
    };
    let w = |key: &str| w_or(key, key);
    let Ok(items) = inspect::inspect_bytes(path, bytes) else {
        return String::new();
    };
    let more = items.len().saturating_sub(MAX_ITEMS_DESCRIBED);
    let mut described: Vec<String> = items
        .iter()
        .take(MAX_ITEMS_DESCRIBED)
        .map(|item| match item {
            Item::Certificate(c) => {
                let issuer = if c.self_signed {
                    w("fx_self_signed")
                } else {
                    format!("{} {}", w("fx_issued_by"), c.issuer)
                };
                let mut line = format!(
                    "{} {}; {issuer}; {} {} {} {}",
                    if c.is_ca {
                        w("fx_ca")
                    } else {
                        w("fx_certificate")
                    },
                    c.subject,
                    w("fx_valid"),
                    &c.not_before[..10],
                    w("fx_to"),
                    &c.not_after[..10],
                );
                if !c.subject_alt_names.is_empty() {
                    line += &format!("; {}: {}", w("fx_names"), c.subject_alt_names.join(", "));
                }
                if !c.extended_key_usage.is_empty() {
                    line += &format!(
                        "; {}: {}",
                        w("fx_purposes"),
                        c.extended_key_usage.join(", ")
                    );
                }
                line + &format!("; {}: {}", w("fx_key"), c.key_type)
            }
            // An encrypted key's type is not readable without its password.
            Item::PrivateKey(k) => match &k.key_type {
                Some(key_type) => format!("{}: {key_type} ({})", w("fx_private_key"), k.format),
                None if k.encrypted => {
                    format!("{} ({}, {})", w("fx_private_key"), k.format, w("encrypted"))
                }
                None => format!("{} ({})", w("fx_private_key"), k.format),
            },
            Item::Crl(c) => {
                let revoked = if c.revoked.is_empty() {
                    w("fx_nothing")
                } else {
                    c.revoked
                        .iter()
                        .map(|r| format!("{} ({})", r.serial, r.reason.as_deref().unwrap_or("-")))
                        .collect::<Vec<_>>()
                        .join(", ")
                };
                format!(
                    "{} {}; {}: {revoked}; {}: {}",
                    w("fx_crl"),
                    c.issuer,
                    w("fx_revokes"),
                    w("fx_next_update"),
                    c.next_update.as_deref().unwrap_or("-")
                )
            }
            Item::OcspResponse(o) => {
                // A certificate's status (good, revoked, unknown) in the page's words; a
                // response status other than successful keeps RFC 6960's name.
                let status = o
                    .responses
                    .first()
                    .map(|r| w_or(&format!("fx_status_{}", r.status), &r.status))
                    .unwrap_or_else(|| o.response_status.clone());
                let next = o
                    .responses
                    .first()
                    .and_then(|r| r.next_update.clone())
                    .unwrap_or_else(|| "-".into());
                format!(
                    "{}: {} {status}; {}: {}; {}: {next}",
                    w("fx_ocsp"),
                    w("fx_status"),
                    w("fx_responder"),
                    o.responder_id.as_deref().unwrap_or("-"),
                    w("fx_next_update")
                )
            }
        })
        .collect();
    if more > 0 {
        described.push(format!("… (+{more})"));
    }
    let text = described.join(&format!("; {} ", w("fx_and_more")));
    match text.char_indices().nth(MAX_ABOUT_CHARS) {
        Some((end, _)) => format!("{}…", &text[..end]),
        None => text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixtures::manifest::Verdict;

    /// Every file kind, in the templates' spelling (`kind_` keys). The match fails to compile
    /// when a kind is added, so the list, and the words for it, follow.
    fn file_kinds() -> Vec<String> {
        let kinds = [
            FileKind::Certificate,
            FileKind::Chain,
            FileKind::PrivateKey,
            FileKind::KeyAndCertificate,
            FileKind::ChainAndKey,
            FileKind::Crl,
            FileKind::OcspResponse,
        ];
        for kind in kinds {
            match kind {
                FileKind::Certificate
                | FileKind::Chain
                | FileKind::PrivateKey
                | FileKind::KeyAndCertificate
                | FileKind::ChainAndKey
                | FileKind::Crl
                | FileKind::OcspResponse => {}
            }
        }
        kinds.iter().map(serde_name).collect()
    }

    /// Every verdict, in the templates' spelling (`verdict_` keys); kept whole as
    /// [`file_kinds`] is.
    fn verdicts() -> Vec<String> {
        let verdicts = [
            Verdict::Pass,
            Verdict::UnexpectedAccept,
            Verdict::UnexpectedReject,
            Verdict::WrongReason,
        ];
        for verdict in verdicts {
            match verdict {
                Verdict::Pass
                | Verdict::UnexpectedAccept
                | Verdict::UnexpectedReject
                | Verdict::WrongReason => {}
            }
        }
        verdicts.iter().map(serde_name).collect()
    }

    fn serde_name(value: &impl Serialize) -> String {
        serde_json::to_value(value)
            .unwrap()
            .as_str()
            .unwrap()
            .to_string()
    }

    /// Every language's fixed prose has English's keys and no others, among them a word for
    /// every file kind, verdict, OCSP certificate status and driver a page shows; and every language
    /// but English has the catalogue translated, so its pages are wholly in that language.
    #[test]
    fn every_language_has_every_string_a_page_shows() {
        let templates = Templates::builtin();
        let en = &templates.strings["en"];
        let needed = file_kinds()
            .into_iter()
            .map(|k| format!("kind_{k}"))
            .chain(verdicts().into_iter().map(|v| format!("verdict_{v}")))
            .chain(["good", "revoked", "unknown"].map(|s| format!("fx_status_{s}")))
            .chain(Driver::ALL.map(|d| format!("driver_title_{}", d.name())));
        for key in needed {
            assert!(en.contains_key(&key), "en: {key}");
        }
        for lang in LANGUAGES {
            let strings = &templates.strings[lang];
            let keys: Vec<&String> = strings.keys().collect();
            assert_eq!(
                keys,
                en.keys().collect::<Vec<_>>(),
                "{lang}: the keys of en"
            );
            assert!(
                strings
                    .values()
                    .all(|v| v.as_str().is_some_and(|s| !s.is_empty())),
                "{lang}: every value a non-empty string"
            );
            assert_eq!(
                crate::scenario::translation(lang).is_some(),
                lang != "en",
                "{lang}: the catalogue's translation"
            );
        }
    }
}
