//! One function per subcommand: turn flags into library calls, then hand results to `render`.

use super::args::{Cli, Command, Format, ScenarioArgs};
use super::console::{self, Progress};
use super::driver::DriverChoice;
use super::{listing, manual, render};
use anyhow::{Context, Result, bail};
use pkigen::fixtures::clock::ClockChoice;
use pkigen::fixtures::manifest::{MANIFEST_FILE, Manifest, Report};
use pkigen::fixtures::{bundle, check, inspect, output};
use pkigen::policy::{self, ClientOptions, Driver, DriverWarning};
use pkigen::run::validate;
use pkigen::scenario::{self, Scenario};
use pkigen::{KeyType, Seed};
use std::path::{Path, PathBuf};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

/// How a command ended, beyond "it failed to run at all" (an `Err`, exit 2).
pub enum Status {
    /// Every case or check held: exit 0.
    Held,
    /// Something did not hold: exit 1.
    Failed,
    /// The input was refused and the refusal was already printed: exit 2.
    Refused,
}

pub fn run(cli: Cli) -> Result<Status> {
    console::set_quiet(cli.quiet);
    match cli.command {
        Command::Scenario(args) => scenario(args),
        Command::List {
            driver,
            differences,
            format,
        } => {
            let scenarios = scenario::all();
            emit(match driver {
                _ if differences => listing::differences(&scenarios, format, true),
                DriverChoice::All => listing::differences(&scenarios, format, false),
                DriverChoice::One(driver) => listing::list(&scenarios, driver, format),
            })?;
            Ok(Status::Held)
        }
        Command::Validate {
            dir,
            case,
            no_report,
            at,
            driver,
            format,
        } => validate_dirs(&dir, case.as_deref(), no_report, &at, driver, format),
        Command::Check {
            dir,
            expiring_within,
            format,
        } => check_dirs(&dir, expiring_within, format),
        Command::Policy {
            uri,
            driver,
            format,
            show_secrets,
        } => match driver {
            DriverChoice::One(driver) => policy(driver, &uri, format, show_secrets),
            DriverChoice::All => policy_all(&uri, format, show_secrets),
        },
        Command::Inspect { files, format } => inspect_files(&files, format),
        Command::Serve {
            dir,
            case,
            listen,
            all,
        } => match case {
            _ if all => serve_all(&dir),
            Some(case) => serve(&dir, &case, listen),
            None => bail!("`pkigen serve` needs --case NAME or --all (see `pkigen serve --help`)"),
        },
        Command::Docs {
            dir,
            out,
            lang,
            templates,
            force,
            driver,
        } => docs(&dir, out, lang, templates.as_deref(), force, driver),
        Command::Completions { shell } => {
            emit(manual::completions(shell))?;
            Ok(Status::Held)
        }
        Command::Man { out: None } => {
            emit(manual::man_page()?)?;
            Ok(Status::Held)
        }
        Command::Man { out: Some(dir) } => {
            // Every page is written before any path is printed: a reader that goes away
            // (`| head -1`) must not stop the writing.
            let written = manual::write_pages(&dir, &manual::man_pages()?)?;
            let lines: String = written
                .iter()
                .map(|page| format!("{}\n", page.display()))
                .collect();
            emit(lines)?;
            Ok(Status::Held)
        }
    }
}

/// Writes a command's output. A reader that went away (`pkigen list | head -1`) is not an
/// error worth a message: `main` ends quietly on `BrokenPipe`. Under `--quiet`, nothing.
fn emit(text: impl AsRef<[u8]>) -> std::io::Result<()> {
    use std::io::Write;
    if console::quiet() {
        return Ok(());
    }
    let mut stdout = std::io::stdout().lock();
    stdout.write_all(text.as_ref())?;
    stdout.flush()
}

fn parse_now(value: &str) -> Result<OffsetDateTime> {
    let parsed = OffsetDateTime::parse(value, &Rfc3339).map_err(|e| pkigen::Error::BadTime {
        value: value.to_string(),
        problem: e.to_string(),
    })?;
    Ok(parsed.to_offset(time::UtcOffset::UTC))
}

/// The scenarios named on the command line, `all` expanded, each once, unknown names refused
/// before any work is done.
fn resolve_scenarios(names: &[String]) -> Result<Vec<Scenario>> {
    let mut chosen: Vec<Scenario> = Vec::new();
    for name in names {
        let found = if name == scenario::ALL {
            scenario::all()
        } else {
            vec![scenario::find(name)?]
        };
        for s in found {
            if !chosen.iter().any(|c| c.name == s.name) {
                chosen.push(s);
            }
        }
    }
    Ok(chosen)
}

fn scenario(args: ScenarioArgs) -> Result<Status> {
    let key_type: KeyType = args.key_type.parse()?;
    let now = args
        .now
        .as_deref()
        .map(parse_now)
        .transpose()?
        .unwrap_or_else(OffsetDateTime::now_utc);
    scenario::check_clock(now)?;
    let scenarios = resolve_scenarios(&args.names)?;
    // Refuse a foreign folder or zip before generating anything, so no scenario is half done.
    for s in &scenarios {
        output::refuse_to_replace(&args.out.join(s.name), args.force)?;
    }
    let zip_all = args.names.iter().any(|n| n == scenario::ALL);
    if args.zip {
        let names: Vec<&str> = if zip_all {
            vec![scenario::ALL]
        } else {
            scenarios.iter().map(|s| s.name).collect()
        };
        for name in names {
            bundle::refuse_to_replace(&bundle::zip_path(&args.out, name))?;
        }
    }
    let seed = args.seed.map(Seed).unwrap_or_else(Seed::random);

    let progress = Progress::start(&match scenarios.len() {
        1 => format!("generating {}…", scenarios[0].name),
        n => format!("generating {n} scenarios…"),
    });
    let drivers = args.driver.drivers();
    let mut generated = scenario::build_many(&scenarios, seed, now, key_type, drivers[0])?;
    for (s, g) in scenarios.iter().zip(&mut generated) {
        scenario::add_drivers(s, g, &drivers[1..]);
    }
    drop(progress);
    // The write phase is all or nothing, and the only one that touches OUT: one run at a time.
    let lock = output::OutputLock::acquire(&args.out, || {
        console::note(&format!(
            "waiting for another pkigen to finish writing {}…",
            args.out.display()
        ))
    })?;
    output::remove_leftovers(&args.out, &lock);
    // Every scenario written, validated, reported and zipped in its staging folder before
    // anything is swapped in: a failure — or Ctrl-C, SIGTERM, `kill -9` — until then leaves
    // the previous set as it was, and only staging folders the next run removes.
    let staged = generated
        .iter()
        .map(|g| output::stage_scenario(&args.out, g, args.force))
        .collect::<Result<Vec<_>, _>>()?;
    let staging: Vec<PathBuf> = staged.iter().map(|s| s.path().to_path_buf()).collect();
    let dirs: Vec<PathBuf> = generated
        .iter()
        .map(|g| args.out.join(&g.manifest.scenario))
        .collect();
    let validated = if args.no_validate {
        None
    } else {
        // The zip holds report.json whatever the verdicts: it says which cases failed.
        // A generated set proves its own design at its own clock.
        // Messages name files relative to their folder, so the staging folder the cases
        // ran in shows nowhere in the reports.
        let (manifests, reports) = run_cases(&staging, None, ClockChoice::Generation, None)?;
        for (folder, report) in staged.iter().zip(&reports) {
            folder.write_report(report)?;
        }
        Some((manifests, reports))
    };
    let zips = stage_zips(&args, zip_all, &staging)?;
    let zip_paths = install_everything(staged, zips)?;
    drop(lock);
    // Said once the set is in place: a refused run (exit 2, one line) wrote nothing to
    // reproduce.
    if args.seed.is_none() {
        console::note(&format!(
            "seed: {} (pass --seed {} to reproduce these fixtures)",
            seed.0, seed.0
        ));
    }
    let zips_of_dirs = zips_of_dirs(&zip_paths, zip_all, dirs.len());
    emit(match &validated {
        None => render::written(&dirs, &zips_of_dirs, args.format),
        Some((manifests, reports)) => {
            render::reports(&dirs, manifests, reports, &zips_of_dirs, args.format)
        }
    })?;
    Ok(validated.map_or(Status::Held, |(_, reports)| verdict(&reports)))
}

/// The one short step that changes OUT: every staged folder and zip swapped in, each
/// previous one kept aside until all are in place, then removed. A failure puts every
/// previous one back. Ctrl-C or SIGTERM during it waits for it to end, then stops the run
/// (exit 130), the new set in place. Returns the zips' paths.
fn install_everything(
    staged: Vec<output::Staged>,
    zips: Vec<bundle::StagedZip>,
) -> Result<Vec<PathBuf>> {
    let held = console::hold_interruptions();
    let mut installed = output::install(staged)?;
    let zips = zips
        .into_iter()
        .map(|zip| zip.install(&mut installed))
        .collect::<Result<Vec<_>, _>>()?;
    installed.commit();
    if held.release() {
        console::note("pkigen: interrupted; the new fixtures were already in place");
        std::process::exit(130);
    }
    Ok(zips)
}

/// With `--zip`, writes the bundles of the staging folders `staging` beside their
/// destinations (`OUT/all.zip` for all of them when the names included `all`, else
/// `OUT/NAME.zip` each), not yet in place.
fn stage_zips(
    args: &ScenarioArgs,
    zip_all: bool,
    staging: &[PathBuf],
) -> Result<Vec<bundle::StagedZip>> {
    if !args.zip {
        return Ok(Vec::new());
    }
    let _progress = Progress::start("writing zip…");
    if zip_all {
        return Ok(vec![bundle::stage_zip_of_all(&args.out, staging)?]);
    }
    Ok(staging
        .iter()
        .map(|d| bundle::stage_zip(d))
        .collect::<Result<Vec<_>, _>>()?)
}

/// For each of `count` scenario folders, the zip holding it: the one zip of all, one each,
/// or none without `--zip`.
fn zips_of_dirs(zips: &[PathBuf], zip_all: bool, count: usize) -> Vec<Option<PathBuf>> {
    match zips {
        [] => vec![None; count],
        [all] if zip_all => vec![Some(all.clone()); count],
        each => each.iter().cloned().map(Some).collect(),
    }
}

/// The scenario folders under `dir`: `dir` itself if it holds a manifest, else its
/// subfolders that do, other than dot-folders.
fn fixture_dirs(dir: &Path) -> Result<Vec<PathBuf>> {
    if dir.join(MANIFEST_FILE).exists() {
        return Ok(vec![dir.to_path_buf()]);
    }
    let entries = std::fs::read_dir(dir)
        .map_err(|e| pkigen::Error::io(dir, e))
        .with_context(|| "give a folder made by `pkigen scenario`".to_string())?;
    // A dot-folder is never a scenario: it is hidden, or a run's staging folder. Nor is a
    // symbolic link: `scenario` never makes one, and it could lead reports anywhere.
    let mut dirs: Vec<PathBuf> = entries
        .filter_map(|e| e.ok())
        .filter(|e| !e.file_name().to_string_lossy().starts_with('.'))
        .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
        .map(|e| e.path())
        .filter(|p| p.join(MANIFEST_FILE).exists())
        .collect();
    dirs.sort();
    if dirs.is_empty() {
        bail!(
            "{}: no pkigen fixtures here: generate some with `pkigen scenario NAME --out {}`",
            dir.display(),
            dir.display()
        );
    }
    Ok(dirs)
}

/// Runs the cases, then, for a full run without `--no-report`, saves each folder's
/// `report.json`, and prints the results once the fixtures are unlocked (a reader slow to
/// take them does not hold up a `scenario` run). A report that cannot be saved does not hide
/// the results: they are printed first, then the failure, and the exit code is 2 (an output
/// promised by the command is missing).
fn validate_dirs(
    dir: &Path,
    case: Option<&str>,
    no_report: bool,
    at: &str,
    driver: Option<DriverChoice>,
    format: Format,
) -> Result<Status> {
    let clock = ClockChoice::parse(at)?;
    // A `scenario` run swaps folders under this lock: validating beside it would read a set
    // mid-swap. Taken before the folders are listed, so the list is of one set too.
    let lock = lock_fixtures(dir, "validate")?;
    let dirs = fixture_dirs(dir)?;
    let (manifests, reports) = run_cases(&dirs, case, clock, driver)?;
    // A filtered run is a partial one: it must not replace the full report.
    let unsaved: Vec<String> = if case.is_some() || no_report {
        Vec::new()
    } else {
        dirs.iter()
            .zip(&reports)
            .filter_map(|(dir, report)| {
                let e = output::write_report(dir, report).err()?;
                Some(unsaved_report(dir, &e))
            })
            .collect()
    };
    drop(lock);
    let zips = vec![None; dirs.len()];
    emit(render::reports(&dirs, &manifests, &reports, &zips, format))?;
    if unsaved.is_empty() {
        return Ok(verdict(&reports));
    }
    // Printed whatever --quiet says, as `main` prints errors: one line.
    eprintln!(
        "error: {}: the results above were not saved; make the folder writable, or pass \
         --no-report to validate without writing report.json",
        unsaved.join("; ")
    );
    Ok(Status::Refused)
}

/// A shared hold on the folder a `scenario` run locks while it writes the fixtures of `dir`
/// (the scenario folder's parent when `dir` is one, else `dir`): readers share it, and a run
/// waits for them as they wait for it. A folder that cannot be locked (missing, not
/// readable, or on a filesystem without `flock`) is read unlocked; `fixture_dirs` says what
/// is wrong with a missing one.
fn lock_fixtures(dir: &Path, command: &str) -> Result<Option<output::OutputLock>> {
    let Ok(dir) = dir.canonicalize() else {
        return Ok(None);
    };
    // A scenario folder is locked through the folder that holds it, as `scenario` locks it.
    let out = if dir.join(MANIFEST_FILE).exists() {
        dir.parent().unwrap_or(&dir).to_path_buf()
    } else {
        dir.clone()
    };
    let note = || {
        console::note(&format!(
            "waiting for another pkigen to finish writing {}…",
            out.display()
        ))
    };
    match output::OutputLock::acquire_shared(&out, note) {
        Ok(lock) => Ok(Some(lock)),
        Err(pkigen::Error::Busy {
            path,
            waited_seconds,
        }) => bail!(
            "another pkigen is writing {} (waited {waited_seconds} s): run {command} again once it has finished",
            path.display()
        ),
        Err(e @ pkigen::Error::BadSetting { .. }) => Err(e.into()),
        Err(_) => Ok(None),
    }
}

/// `cannot write DIR/report.json: CAUSE`, the cause once.
fn unsaved_report(dir: &Path, e: &pkigen::Error) -> String {
    let cause = match e {
        pkigen::Error::Unwritable { source, .. }
        | pkigen::Error::WriteFailed { source, .. }
        | pkigen::Error::Io { source, .. } => source.to_string(),
        other => super::errors::message(other),
    };
    format!(
        "cannot write {}: {cause}",
        dir.join(pkigen::fixtures::manifest::REPORT_FILE).display()
    )
}

/// Runs the cases of every folder of `dirs` (those whose name contains `case`, if given) at
/// the chosen clock, each judged by its manifest's driver, which must be `driver` if given.
fn run_cases(
    dirs: &[PathBuf],
    case: Option<&str>,
    clock: ClockChoice,
    driver: Option<DriverChoice>,
) -> Result<(Vec<Manifest>, Vec<Report>)> {
    let manifests = dirs
        .iter()
        .map(|d| Manifest::load(d))
        .collect::<Result<Vec<_>, _>>()?;
    refuse_other_drivers(dirs, &manifests, driver, "validate")?;
    let clocks = manifests
        .iter()
        .map(|m| clock.for_set_made_at(m.now))
        .collect::<Vec<_>>();
    let cases = manifests
        .iter()
        .flat_map(|m| &m.cases)
        .filter(|c| case.is_none_or(|pattern| c.name.contains(pattern)))
        .count();
    let _progress = Progress::start(&format!("validating {cases} cases…"));
    let folders: Vec<_> = dirs
        .iter()
        .zip(&manifests)
        .zip(clocks)
        .map(|((dir, manifest), clock)| (dir.as_path(), manifest, clock))
        .collect();
    let reports = validate::validate_many(&folders, case)?;
    if let Some(pattern) = case
        && reports.iter().all(|r| r.cases.is_empty())
    {
        bail!("no case name contains '{pattern}': see the case names with `pkigen list`");
    }
    Ok((manifests, reports))
}

/// With `--driver`, every manifest must hold that driver's expectations: a set made for
/// another is refused before anything runs, naming both ways out.
fn refuse_other_drivers(
    dirs: &[PathBuf],
    manifests: &[Manifest],
    driver: Option<DriverChoice>,
    command: &str,
) -> Result<()> {
    let Some(wanted) = driver else {
        return Ok(());
    };
    for (dir, manifest) in dirs.iter().zip(manifests) {
        let held = manifest.drivers();
        if !held.is_empty() && held != wanted.drivers() {
            let held = match held.as_slice() {
                [one] => format!("{one}'s expectations"),
                several => format!("the expectations of {}", Driver::names(several)),
            };
            let (wanted, whose) = match wanted {
                DriverChoice::All => ("all", "every driver's".to_string()),
                DriverChoice::One(driver) => (driver.name(), format!("{driver}'s")),
            };
            bail!(
                "{}: its manifest holds {held}, not {whose}: {command} it without --driver, \
                 or regenerate it with `pkigen scenario {} --driver {wanted}`",
                dir.display(),
                manifest.scenario
            )
        }
    }
    Ok(())
}

/// Held if every case passed, else failed.
fn verdict(reports: &[Report]) -> Status {
    let all_pass = reports
        .iter()
        .flat_map(|r| &r.cases)
        .all(|c| c.verdict == pkigen::fixtures::manifest::Verdict::Pass);
    if all_pass {
        Status::Held
    } else {
        Status::Failed
    }
}

fn check_dirs(dir: &Path, days: u32, format: Format) -> Result<Status> {
    let now = OffsetDateTime::now_utc();
    let lock = lock_fixtures(dir, "check")?;
    let mut all = Vec::new();
    for dir in fixture_dirs(dir)? {
        let manifest = Manifest::load(&dir)?;
        let findings = check::check(&dir, &manifest, now, time::Duration::days(days.into()))?;
        all.push((dir, manifest.files.len(), findings));
    }
    drop(lock);
    emit(render::check(&all, days, format))?;
    Ok(if all.iter().all(|(_, _, f)| f.is_empty()) {
        Status::Held
    } else {
        Status::Failed
    })
}

/// `policy --driver all`: every driver's answer side by side (JSON: each driver's document
/// as `policy --driver NAME` gives it), exit 2 when any driver refuses the URI or any
/// profile does not model it.
fn policy_all(uri: &str, format: Format, show_secrets: bool) -> Result<Status> {
    let answers: Vec<(Driver, Result<policy::Resolution, policy::PolicyError>)> = Driver::ALL
        .into_iter()
        .map(|driver| {
            (
                driver,
                policy::resolve(driver, Some(uri), &ClientOptions::new()),
            )
        })
        .collect();
    // A URI beyond one profile's model is that column's answer ("not modelled"), not the end
    // of the others'.
    emit(render::policy_all(&answers, format, show_secrets))?;
    Ok(if answers.iter().all(|(_, answer)| answer.is_ok()) {
        Status::Held
    } else {
        Status::Refused
    })
}

fn policy(driver: Driver, uri: &str, format: Format, show_secrets: bool) -> Result<Status> {
    match policy::resolve(driver, Some(uri), &ClientOptions::new()) {
        Ok(resolution) => {
            if format == Format::Text {
                note_warnings(&resolution.warnings);
            }
            emit(render::policy(driver, &resolution, format, show_secrets))?;
            Ok(Status::Held)
        }
        // Beyond the profile's model: pkigen's own error, in every format.
        Err(e) if !e.exception.is_driver_error() => {
            bail!(
                "{}",
                if show_secrets {
                    &e.message
                } else {
                    e.redacted()
                }
            )
        }
        Err(e) if format == Format::Json => {
            emit(render::policy_error(driver, &e, show_secrets))?;
            Ok(Status::Refused)
        }
        // A refusal is one line, as every usage error; `--format json` lists the warnings
        // the driver emitted before raising.
        Err(e) => {
            if show_secrets || !e.is_redacted() {
                bail!("{}", e.message)
            }
            let (who, encoder) = match driver {
                Driver::PyMongo => ("PyMongo", "urllib.parse.quote_plus"),
                Driver::Node => ("the Node.js driver", "encodeURIComponent"),
                Driver::Rust => ("the Rust driver", "percent_encoding::utf8_percent_encode"),
                Driver::C => ("libmongoc", "an RFC 3986 percent-encoder"),
            };
            bail!(
                "{e} (the URI text {who} quotes here is left out, as it may hold a password: \
                 --show-secrets shows it; percent-encode a password's reserved characters, \
                 e.g. with {encoder})"
            )
        }
    }
}

/// The driver's warnings on stderr, one line each as Python starts its warning lines
/// (`UserWarning: ...`), control characters escaped so that each stays one line.
fn note_warnings(warnings: &[DriverWarning]) {
    for warning in warnings {
        console::note(&render::one_line(&warning.to_string()));
    }
}

fn inspect_files(files: &[PathBuf], format: Format) -> Result<Status> {
    let found = files
        .iter()
        .map(|f| Ok((f.clone(), inspect::inspect_file(f)?)))
        .collect::<Result<Vec<_>, pkigen::Error>>()?;
    emit(render::inspected(&found, format))?;
    Ok(Status::Held)
}

/// Ctrl-C and SIGTERM end `serve` at once, exit 0: it holds nothing that needs saving.
/// Installed before anything is printed: a script may interrupt as soon as it reads the
/// address.
fn stop_serving_on_interrupt() -> Result<()> {
    ctrlc::set_handler(|| {
        console::note("pkigen serve: stopped");
        std::process::exit(0);
    })
    .context("cannot install the Ctrl-C handler")
}

fn serve(dir: &Path, case_name: &str, listen: std::net::SocketAddr) -> Result<Status> {
    stop_serving_on_interrupt()?;
    let manifest = Manifest::load(dir)?;
    let Some(case) = manifest.case(case_name) else {
        bail!(
            "no case '{case_name}' in {}: see its cases with `pkigen list` or in manifest.json",
            dir.display()
        );
    };
    manifest.verify_files(dir)?;
    let server = pkigen::run::serve::Server::bind(dir, case, listen)?;
    // The first line is the address, for scripts; then what else runs, for people.
    emit(format!("{}\n", server.local_addr()))?;
    if let Some(responder) = server.responder_addr() {
        emit(format!("OCSP responder on {responder}\n"))?;
    }
    server.run()
}

/// `serve --all`: every case of every scenario folder under `dir`, from this one process.
fn serve_all(dir: &Path) -> Result<Status> {
    stop_serving_on_interrupt()?;
    let dirs = fixture_dirs(dir)?;
    let manifests = dirs
        .iter()
        .map(|d| Manifest::load(d))
        .collect::<Result<Vec<_>, _>>()?;
    let folders: Vec<(&Path, &Manifest)> =
        dirs.iter().map(PathBuf::as_path).zip(&manifests).collect();
    let servers = pkigen::run::serve_all::Servers::bind(&folders)?;
    // The first line of stdout is the whole map, for scripts; what else runs goes to stderr,
    // and before the map, so a script that reads the map and then stops serve has it all.
    for responder in servers.responder_addrs() {
        console::note(&format!("OCSP responder on {responder}"));
    }
    emit(render::served(servers.endpoints()))?;
    servers.run()
}

fn docs(
    dir: &Path,
    out: Option<PathBuf>,
    lang: Option<String>,
    templates: Option<&Path>,
    force: bool,
    driver: Option<DriverChoice>,
) -> Result<Status> {
    let templates = match templates {
        Some(folder) => pkigen::docs::Templates::from_dir(folder)?,
        None => pkigen::docs::Templates::builtin(),
    };
    let languages: Vec<String> = match lang {
        Some(lang) => vec![lang],
        None => pkigen::docs::LANGUAGES
            .iter()
            .map(|l| l.to_string())
            .collect(),
    };
    // The pages describe one set: none swapped in mid-read by a `scenario` run.
    let lock = lock_fixtures(dir, "docs")?;
    let dirs = fixture_dirs(dir)?;
    if driver.is_some() {
        let manifests = dirs
            .iter()
            .map(|d| Manifest::load(d))
            .collect::<Result<Vec<_>, _>>()?;
        refuse_other_drivers(&dirs, &manifests, driver, "document")?;
    }
    let out = out.unwrap_or_else(|| dir.join("docs"));
    // Every language written before any is swapped in, and swapped in together: a failure
    // leaves every language as it was.
    let mut staged = Vec::new();
    for lang in &languages {
        let pages = pkigen::docs::render(&dirs, &templates, lang)?;
        let files: Vec<(String, String)> =
            pages.into_iter().map(|p| (p.file, p.markdown)).collect();
        staged.push(output::stage_pages(&out, lang, &files, force)?);
    }
    let installed = output::install(staged)?;
    let written = installed.dirs();
    installed.commit();
    drop(lock);
    emit(render::written(
        &written
            .iter()
            .map(|d| d.join("index.md"))
            .collect::<Vec<_>>(),
        &[],
        Format::Text,
    ))?;
    Ok(Status::Held)
}
