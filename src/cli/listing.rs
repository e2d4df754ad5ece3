//! `list`: the catalogue as one driver expects it, or every driver's expectations side by
//! side (every case, or those where the drivers differ). Aligned text for people, JSON for programs, Markdown for pages (the
//! README's table of differences is this output, and a test holds it to it).

use super::args::ListFormat;
use super::json::{CaseListing, DifferenceListing, ScenarioListing};
use pkigen::fixtures::manifest::json_text;
use pkigen::policy::Driver;
use pkigen::scenario::{CaseSpec, REFERENCE_DRIVER, Scenario};
use std::fmt::Write as _;

/// Every scenario and case with `driver`'s expectation; where it is not PyMongo's, why.
pub fn list(scenarios: &[Scenario], driver: Driver, format: ListFormat) -> String {
    let why = |case: &CaseSpec| case.difference(driver).map(|d| d.why);
    let mut out = String::new();
    match format {
        ListFormat::Json => {
            let listing: Vec<_> = scenarios
                .iter()
                .map(|s| ScenarioListing {
                    name: s.name,
                    summary: s.summary,
                    cases: s
                        .cases
                        .iter()
                        .map(|c| CaseListing {
                            name: &c.name,
                            description: &c.description,
                            expect: c.expect_for(driver),
                            why: why(c),
                        })
                        .collect(),
                })
                .collect();
            return json_text(&listing);
        }
        ListFormat::Text => {
            for s in scenarios {
                let _ = writeln!(
                    out,
                    "{:<14} {:>2} cases  {}",
                    s.name,
                    s.cases.len(),
                    s.summary
                );
                for c in &s.cases {
                    let _ = writeln!(
                        out,
                        "  {:<52} {:<28} {}",
                        c.name,
                        c.expect_for(driver).to_string(),
                        described(c, driver)
                    );
                }
            }
        }
        ListFormat::Markdown => {
            out.push_str("| case | expectation | description |\n|---|---|---|\n");
            for s in scenarios {
                for c in &s.cases {
                    let _ = writeln!(
                        out,
                        "| `{}/{}` | {} | {} |",
                        s.name,
                        c.name,
                        c.expect_for(driver),
                        cell(&described(c, driver))
                    );
                }
            }
        }
    }
    out
}

/// The case's description, and where `driver` expects otherwise than PyMongo, why.
fn described(case: &CaseSpec, driver: Driver) -> String {
    match case.difference(driver) {
        Some(d) => format!("{} ({driver}: {})", case.description, d.why),
        None => case.description.clone(),
    }
}

/// Every driver other than the reference one, whose expectations may differ from it.
fn other_drivers() -> impl Iterator<Item = Driver> {
    Driver::ALL.into_iter().filter(|d| *d != REFERENCE_DRIVER)
}

/// Every case side by side for every driver (`list --driver all`), or only those where some
/// driver's expectation is not PyMongo's (`list --differences`): each driver's expectation,
/// then why for each that differs.
pub fn differences(scenarios: &[Scenario], format: ListFormat, only_differing: bool) -> String {
    let rows: Vec<(&Scenario, &CaseSpec)> = scenarios
        .iter()
        .flat_map(|s| s.cases.iter().map(move |c| (s, c)))
        .filter(|(_, c)| !only_differing || !c.differences().is_empty())
        .collect();
    let mut out = String::new();
    match format {
        ListFormat::Json => {
            let listing: Vec<DifferenceListing> = rows
                .iter()
                .map(|(s, c)| DifferenceListing {
                    scenario: s.name,
                    case: &c.name,
                    expect: Driver::ALL
                        .iter()
                        .map(|d| (d.name(), c.expect_for(*d)))
                        .collect(),
                    why: c
                        .differences()
                        .iter()
                        .map(|d| (d.driver.name(), d.why))
                        .collect(),
                })
                .collect();
            return json_text(&listing);
        }
        ListFormat::Text => {
            let _ = write!(out, "{:<60}", "case");
            for driver in Driver::ALL {
                let _ = write!(out, " {:<30}", driver.name());
            }
            for driver in other_drivers() {
                let _ = write!(out, " why ({driver})");
            }
            out.push('\n');
            for (s, c) in &rows {
                let _ = write!(out, "{:<60}", format!("{}/{}", s.name, c.name));
                for driver in Driver::ALL {
                    let _ = write!(out, " {:<30}", c.expect_for(driver).to_string());
                }
                for driver in other_drivers() {
                    let why = c.difference(driver).map_or("-", |d| d.why);
                    let _ = write!(out, " {why}");
                }
                out.push('\n');
            }
        }
        ListFormat::Markdown => {
            out.push_str("| case |");
            for driver in Driver::ALL {
                let _ = write!(out, " {driver} |");
            }
            for driver in other_drivers() {
                let _ = write!(out, " why ({driver}) |");
            }
            out.push_str("\n|---|");
            for _ in Driver::ALL
                .iter()
                .chain(other_drivers().collect::<Vec<_>>().iter())
            {
                out.push_str("---|");
            }
            out.push('\n');
            for (s, c) in &rows {
                let _ = write!(out, "| `{}/{}` |", s.name, c.name);
                for driver in Driver::ALL {
                    let _ = write!(out, " {} |", c.expect_for(driver));
                }
                for driver in other_drivers() {
                    let why = c.difference(driver).map_or("", |d| d.why);
                    let _ = write!(out, " {} |", cell(why));
                }
                out.push('\n');
            }
        }
    }
    out
}

/// Text in a Markdown table cell: a `|` would end the cell.
fn cell(text: &str) -> String {
    text.replace('|', "\\|")
}
