//! The clocks: the generation clock a set is made for (`--now`, within what X.509 can
//! express), the validation clock its handshakes are judged at (named in the output and in
//! report.json), and `check`'s horizon.

use crate::util;
use std::path::Path;
use time::format_description::well_known::Rfc3339;
use time::{Duration, OffsetDateTime};

fn rfc3339(t: OffsetDateTime) -> String {
    t.format(&Rfc3339).unwrap()
}

fn parse(text: &str) -> OffsetDateTime {
    OffsetDateTime::parse(text, &Rfc3339).unwrap_or_else(|e| panic!("{text}: {e}"))
}

/// The real clock to the second, as a start for clocks the tests pick relative to it.
fn today() -> OffsetDateTime {
    OffsetDateTime::now_utc().replace_nanosecond(0).unwrap()
}

/// `pkigen scenario NAMES --now NOW` (validated) into `out`: the run's output.
fn scenario_at(out: &Path, names: &[&str], now: &str) -> std::process::Output {
    let mut args = vec!["scenario"];
    args.extend(names);
    args.extend(["--seed", "3", "--now", now, "--out", util::path_arg(out)]);
    util::run(args)
}

#[track_caller]
fn assert_no_panic(output: &std::process::Output, what: &str) {
    assert!(
        !util::stderr(output).contains("panicked"),
        "{what}\n{}",
        util::describe(output)
    );
}

/// Every case of every report under `out` passed, judged at `clock` from `source`.
#[track_caller]
fn assert_all_pass_at(out: &Path, at: &str, source: &str) {
    let dirs = util::scenario_dirs(out);
    assert_eq!(dirs.len(), util::SCENARIOS.len(), "{}", out.display());
    for dir in dirs {
        let report = util::read_json(&dir.join("report.json"));
        assert_eq!(report["validated_at"], at, "{}", dir.display());
        assert_eq!(report["clock"], source, "{}", dir.display());
        for case in report["cases"].as_array().unwrap() {
            assert_eq!(case["verdict"], "pass", "{}: {case}", dir.display());
        }
    }
}

/// The first and last `--now` accepted, as the refusal of one outside them names them.
fn accepted_range() -> (OffsetDateTime, OffsetDateTime) {
    let out = util::tempdir();
    let refused = scenario_at(&out.path().join("x"), &["crl"], "0001-01-01T00:00:00Z");
    let line = util::assert_usage_error(
        &refused,
        &["out of range", "give a --now between"],
        "year 1",
    );
    let range = line.rsplit("between ").next().unwrap();
    let (first, last) = range.split_once(" and ").unwrap();
    (parse(first), parse(last))
}

#[test]
fn a_now_beyond_what_certificates_express_is_refused_naming_the_range_that_works() {
    let (first, last) = accepted_range();
    // The catalogue's own span: three years back (CAs) to thirty ahead (CAs), inside 1970–9999.
    assert!(
        first.year() >= 1970 && last.year() <= 9999,
        "{first} {last}"
    );
    let second = Duration::seconds(1);
    let out = util::tempdir();
    let target = out.path().join("refused");
    for now in [
        "0001-01-01T00:00:00Z".to_string(),
        "1949-12-31T23:59:59Z".into(),
        "9970-12-31T00:00:00Z".into(),
        "9999-12-31T23:59:59Z".into(),
        rfc3339(first - second),
        rfc3339(last + second),
    ] {
        let output = scenario_at(&target, &["all"], &now);
        util::assert_usage_error(
            &output,
            &["out of range", &rfc3339(first), &rfc3339(last)],
            &format!("--now {now}"),
        );
        assert_no_panic(&output, &now);
        assert!(!target.exists(), "--now {now}: nothing may be written");
    }
    for now in [first, last] {
        let now = rfc3339(now);
        let set = util::tempdir();
        let output = scenario_at(set.path(), &["all"], &now);
        util::assert_exit(&output, 0, &format!("scenario all --now {now}"));
        assert_all_pass_at(set.path(), &now, "generation");
    }
}

#[test]
fn sets_made_at_the_edges_can_be_validated_checked_and_documented() {
    let (first, last) = accepted_range();
    for now in [first, last] {
        let now = rfc3339(now);
        let set = util::tempdir();
        util::assert_exit(&scenario_at(set.path(), &["insecure-tls"], &now), 0, &now);
        let dir = set.path().join("insecure-tls");
        let dir_arg = util::path_arg(&dir);
        // Today lies decades after the first set's leaves end and before the last set's begin.
        let today = util::run(["validate", dir_arg]);
        util::assert_exit(&today, 1, &format!("validate {now} at the system clock"));
        let at_generation = util::run(["validate", dir_arg, "--at", "generation"]);
        util::assert_exit(
            &at_generation,
            0,
            &format!("validate {now} --at generation"),
        );
        let check = util::run(["check", dir_arg, "--expiring-within", "4294967295"]);
        util::assert_exit(&check, 1, &format!("check {now}"));
        let docs = util::run(["docs", dir_arg, "--lang", "en"]);
        util::assert_exit(&docs, 0, &format!("docs {now}"));
        for output in [&today, &at_generation, &check, &docs] {
            assert_no_panic(output, &now);
        }
    }
}

#[test]
fn check_takes_the_largest_horizon_clap_accepts() {
    let (_out, dir) = util::scenario("insecure-tls", 1, &[]);
    let output = util::run([
        "check",
        util::path_arg(&dir),
        "--expiring-within",
        "4294967295",
    ]);
    assert_no_panic(&output, "check --expiring-within 4294967295");
    // Every valid certificate ends before the year 9999: all of them are named.
    util::assert_exit(&output, 1, "check --expiring-within 4294967295");
    let text = util::stdout(&output);
    assert!(
        text.contains("server.pem: valid certificate expires on")
            && text.contains("inside the 4294967295-day horizon"),
        "{text}"
    );
}

#[test]
fn a_set_made_for_another_day_proves_itself_at_its_own_clock() {
    let today = today();
    let clocks = [
        today + Duration::days(1),
        today - Duration::days(20 * 365),
        today + Duration::days(200 * 365),
    ];
    for now in clocks {
        let now = rfc3339(now);
        let out = util::tempdir();
        let output = scenario_at(out.path(), &["all"], &now);
        util::assert_exit(&output, 0, &format!("scenario all --now {now}"));
        assert!(
            util::stdout(&output).contains(&format!(
                "validated at {now} (the fixtures' generation clock)"
            )),
            "{}",
            util::describe(&output)
        );
        assert_all_pass_at(out.path(), &now, "generation");
    }
}

#[test]
fn validate_names_its_clock_and_takes_another() {
    let now = rfc3339(today() + Duration::days(200 * 365));
    let out = util::tempdir();
    util::assert_exit(&scenario_at(out.path(), &["all"], &now), 0, &now);
    let out_arg = util::path_arg(out.path());

    // By default, the system clock: what a driver sees today, and why the set fails there.
    let today = util::run(["validate", out_arg]);
    util::assert_exit(&today, 1, "validate at the system clock");
    let text = util::stdout(&today);
    assert!(text.contains("(the system clock)"), "{text}");
    assert!(
        text.contains(&format!(
            "these fixtures were made for {now}: `pkigen validate --at generation`"
        )),
        "{text}"
    );
    let report = util::read_json(&out.path().join("crl/report.json"));
    assert_eq!(report["clock"], "system");
    assert!(parse(report["validated_at"].as_str().unwrap()) < parse(&now));

    // At the clock the set was made for, given as a time or by name.
    let given = util::run(["validate", out_arg, "--at", &now]);
    util::assert_exit(&given, 0, "validate --at NOW");
    assert!(
        util::stdout(&given).contains(&format!("validated at {now} (given with --at)")),
        "{}",
        util::describe(&given)
    );
    assert_all_pass_at(out.path(), &now, "given");
    let named = util::run([
        "validate",
        out_arg,
        "--at",
        "generation",
        "--format",
        "json",
    ]);
    util::assert_exit(&named, 0, "validate --at generation");
    let json = util::parse_json(&util::stdout(&named), "validate --format json");
    for scenario in json["scenarios"].as_array().unwrap() {
        assert_eq!(scenario["validated_at"], now.as_str(), "{scenario}");
        assert_eq!(scenario["clock"], "generation", "{scenario}");
    }
    assert_all_pass_at(out.path(), &now, "generation");
}

#[test]
fn an_unusable_validation_clock_is_refused_and_nothing_changes() {
    let (_out, dir) = util::scenario("crl", 1, &[]);
    let dir_arg = util::path_arg(&dir);
    let before = util::snapshot(&dir);
    let early = util::run(["validate", dir_arg, "--at", "1969-12-31T23:59:59Z"]);
    util::assert_usage_error(&early, &["--at 1969-12-31T23:59:59Z", "1970"], "--at 1969");
    let garbled = util::run(["validate", dir_arg, "--at", "tomorrow"]);
    util::assert_usage_error(&garbled, &["'tomorrow'", "generation"], "--at tomorrow");
    assert_eq!(util::snapshot(&dir), before);
}

#[test]
fn observed_messages_depend_on_the_validation_clock_not_the_day() {
    let now = "2030-01-01T00:00:00Z";
    let out = util::tempdir();
    util::assert_exit(&scenario_at(out.path(), &["insecure-tls"], now), 0, now);
    let report = util::read_json(&out.path().join("insecure-tls/report.json"));
    let expired = report["cases"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == "expired-default")
        .expect("the expired case");
    let message = expired["observed"]["message"].as_str().unwrap();
    // rustls prints the verification time it was given: the generation clock's.
    let unix = parse(now).unix_timestamp();
    assert!(
        message.contains(&format!("verification time {unix} (UNIX)")),
        "{message}"
    );
}
