//! The catalogue in the documentation's other languages: each scenario's summary, each
//! case's description, and a gloss for every outcome and reason, so a page in Japanese,
//! Chinese or Korean reads wholly in that language. English stays where it is written, in
//! the catalogue (and so in every manifest); the translations are data beside it,
//! `catalogue/i18n/LANG.json`, that a writer edits without touching Rust, compiled in and
//! parsed once. A test holds them to the catalogue: nothing missing, nothing stale.

use crate::fixtures::mongod::MongodNote;
use crate::policy::{Driver, Outcome, Reason};
use serde::Deserialize;
use std::collections::{BTreeMap, HashMap};
use std::sync::LazyLock;

/// The languages the catalogue is translated into. English needs no translation: it is the
/// catalogue itself.
pub const TRANSLATED_LANGUAGES: [&str; 3] = ["ja", "zh", "ko"];

/// The built-in translations, parsed on first use. They are compiled in, so a file that does
/// not parse is a bug of the build, caught by the tests, never a user's error.
static TRANSLATIONS: LazyLock<BTreeMap<&'static str, Translation>> = LazyLock::new(|| {
    [
        ("ja", include_str!("catalogue/i18n/ja.json")),
        ("zh", include_str!("catalogue/i18n/zh.json")),
        ("ko", include_str!("catalogue/i18n/ko.json")),
    ]
    .into_iter()
    .map(|(lang, text)| {
        let translation = serde_json::from_str(text)
            .unwrap_or_else(|e| panic!("catalogue/i18n/{lang}.json: {e}"));
        (lang, translation)
    })
    .collect()
});

/// The translation of the catalogue into `lang`, or `None` for English (the catalogue's own
/// language) and any language without one.
pub fn translation(lang: &str) -> Option<&'static Translation> {
    TRANSLATIONS.get(lang)
}

/// The catalogue's words in one language.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Translation {
    /// A gloss per outcome (`accept`, `reject`, `config-error`).
    outcomes: HashMap<Outcome, String>,
    /// How a refusal reads with its reason: `{outcome}`, `{reason}` (the reason's name, as
    /// manifest.json and report.json spell it, kept so a reader can search for it) and
    /// `{gloss}` (what the reason means), punctuated as the language writes it.
    refusal: String,
    /// A gloss per reason, keyed by its name.
    reasons: HashMap<Reason, String>,
    /// Per scenario, by name: its summary and its cases' descriptions.
    scenarios: BTreeMap<String, ScenarioText>,
    /// Per kind of mongod note, its sentence, with `{url}`, `{staple}` and `{suites}` where
    /// the note quotes them.
    mongod_notes: HashMap<String, String>,
    /// Per driver (by name), why it expects otherwise than PyMongo, keyed `scenario/case`.
    differences: BTreeMap<String, BTreeMap<String, String>>,
}

/// One scenario's words.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ScenarioText {
    summary: String,
    /// Each case's description, keyed by the case's name.
    cases: BTreeMap<String, String>,
}

impl Translation {
    /// The summary of scenario `scenario`.
    pub fn summary(&self, scenario: &str) -> Option<&str> {
        self.scenarios.get(scenario).map(|s| s.summary.as_str())
    }

    /// The description of case `case` of scenario `scenario`.
    pub fn case_description(&self, scenario: &str, case: &str) -> Option<&str> {
        self.scenarios
            .get(scenario)?
            .cases
            .get(case)
            .map(String::as_str)
    }

    /// Why `driver` expects otherwise than the catalogue's reference driver in case `case` of
    /// scenario `scenario`.
    pub fn difference(&self, driver: Driver, scenario: &str, case: &str) -> Option<&str> {
        self.differences
            .get(driver.name())?
            .get(&format!("{scenario}/{case}"))
            .map(String::as_str)
    }

    /// What a mongod note says, in this language.
    pub fn mongod_note(&self, note: &MongodNote) -> Option<String> {
        let sentence = self.mongod_notes.get(note.kind())?;
        Some(
            note.fields()
                .iter()
                .fold(sentence.clone(), |text, (name, value)| {
                    text.replace(&format!("{{{name}}}"), value)
                }),
        )
    }

    /// An outcome, with its reason if it has one: `拒否（hostname-mismatch：…）` in Japanese.
    /// The reason's name stays as it is, beside its gloss.
    pub fn outcome(&self, outcome: Outcome, reason: Option<Reason>) -> String {
        let outcome_text = self.outcomes.get(&outcome).map_or(outcome.as_str(), |s| s);
        match reason {
            None => outcome_text.to_string(),
            Some(reason) => self
                .refusal
                .replace("{outcome}", outcome_text)
                .replace("{reason}", reason.as_str())
                .replace("{gloss}", self.reasons.get(&reason).map_or("", |s| s)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::catalogue;

    /// Every scenario and case of the catalogue, every outcome and every reason has its words
    /// in every language, and no translation names a scenario or case the catalogue no longer
    /// has. The catalogue does not depend on the key type (`all` takes none, and a manifest
    /// holds one case per declared case), so its cases are the ones every key type writes.
    #[test]
    fn every_language_translates_the_whole_catalogue_and_nothing_else() {
        let scenarios = catalogue::all();
        let mut problems = Vec::new();
        for lang in TRANSLATED_LANGUAGES {
            let Some(t) = translation(lang) else {
                problems.push(format!("{lang}: no translation"));
                continue;
            };
            for outcome in Outcome::ALL {
                if t.outcomes.get(outcome).is_none_or(|s| s.trim().is_empty()) {
                    problems.push(format!("{lang}: outcome {outcome}"));
                }
            }
            for reason in Reason::ALL {
                if t.reasons.get(reason).is_none_or(|s| s.trim().is_empty()) {
                    problems.push(format!("{lang}: reason {reason}"));
                }
            }
            for placeholder in ["{outcome}", "{reason}", "{gloss}"] {
                if !t.refusal.contains(placeholder) {
                    problems.push(format!("{lang}: refusal without {placeholder}"));
                }
            }
            for note in MongodNote::examples() {
                let kind = note.kind();
                match t.mongod_notes.get(kind) {
                    Some(text) if !text.trim().is_empty() => {
                        for (name, _) in note.fields() {
                            if !text.contains(&format!("{{{name}}}")) {
                                problems
                                    .push(format!("{lang}: mongod note {kind} without {{{name}}}"));
                            }
                        }
                    }
                    _ => problems.push(format!("{lang}: mongod note {kind}")),
                }
            }
            for kind in t.mongod_notes.keys() {
                if !MongodNote::KINDS.contains(&kind.as_str()) {
                    problems.push(format!("{lang}: stale mongod note {kind}"));
                }
            }
            for scenario in &scenarios {
                if t.summary(scenario.name).is_none_or(|s| s.trim().is_empty()) {
                    problems.push(format!("{lang}: summary of {}", scenario.name));
                }
                for case in &scenario.cases {
                    let text = t.case_description(scenario.name, &case.name);
                    if text.is_none_or(|s| s.trim().is_empty()) {
                        problems.push(format!("{lang}: {}/{}", scenario.name, case.name));
                    }
                    for difference in case.differences() {
                        let text = t.difference(difference.driver, scenario.name, &case.name);
                        if text.is_none_or(|s| s.trim().is_empty()) {
                            problems.push(format!(
                                "{lang}: why {} differs in {}/{}",
                                difference.driver, scenario.name, case.name
                            ));
                        }
                    }
                }
            }
            for (driver, cases) in &t.differences {
                for id in cases.keys() {
                    let declared = driver.parse::<Driver>().ok().and_then(|driver| {
                        let (scenario, case) = id.split_once('/')?;
                        let scenario = scenarios.iter().find(|s| s.name == scenario)?;
                        scenario.cases.named(case)?.difference(driver)
                    });
                    if declared.is_none() {
                        problems.push(format!("{lang}: stale difference {driver} {id}"));
                    }
                }
            }
            for (name, text) in &t.scenarios {
                let Some(scenario) = scenarios.iter().find(|s| s.name == name) else {
                    problems.push(format!("{lang}: stale scenario {name}"));
                    continue;
                };
                for case in text.cases.keys() {
                    if scenario.cases.named(case).is_none() {
                        problems.push(format!("{lang}: stale case {name}/{case}"));
                    }
                }
            }
        }
        assert!(
            problems.is_empty(),
            "catalogue/i18n is out of step with the catalogue:\n{}",
            problems.join("\n")
        );
    }

    /// The English every translation was made from, as `catalogue/i18n/source.json` records
    /// it: each summary, case description and mongod note (its fields as `{name}`).
    fn current_english() -> serde_json::Value {
        let mut scenarios = serde_json::Map::new();
        for scenario in catalogue::all() {
            let cases: serde_json::Map<String, serde_json::Value> = scenario
                .cases
                .iter()
                .map(|case| (case.name.clone(), case.description.clone().into()))
                .collect();
            scenarios.insert(
                scenario.name.into(),
                serde_json::json!({ "summary": scenario.summary, "cases": cases }),
            );
        }
        let notes: serde_json::Map<String, serde_json::Value> = MongodNote::examples()
            .iter()
            .map(|note| {
                let english = note
                    .fields()
                    .iter()
                    .fold(note.to_string(), |text, (name, value)| {
                        text.replace(value, &format!("{{{name}}}"))
                    });
                (note.kind().to_string(), english.into())
            })
            .collect();
        let mut differences = serde_json::Map::new();
        for scenario in catalogue::all() {
            for case in scenario.cases.iter() {
                for difference in case.differences() {
                    let driver = differences
                        .entry(difference.driver.name())
                        .or_insert_with(|| serde_json::json!({}));
                    driver[format!("{}/{}", scenario.name, case.name)] = difference.why.into();
                }
            }
        }
        serde_json::json!({
            "scenarios": scenarios,
            "mongod_notes": notes,
            "differences": differences,
        })
    }

    /// A translation is of the English it was made from: when the catalogue's English
    /// changes, this fails until the translations are redone and `source.json` records the
    /// new English (`PKIGEN_BLESS_TRANSLATION_SOURCE=1` rewrites it, once they are).
    #[test]
    fn translations_are_of_the_current_english() {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/src/scenario/catalogue/i18n/source.json"
        );
        let current = current_english();
        if std::env::var_os("PKIGEN_BLESS_TRANSLATION_SOURCE").is_some() {
            let text = serde_json::to_string_pretty(&current).unwrap() + "\n";
            std::fs::write(path, text).unwrap();
        }
        let recorded: serde_json::Value =
            serde_json::from_str(include_str!("catalogue/i18n/source.json")).unwrap();
        let mut changed = Vec::new();
        for (scenario, text) in current["scenarios"].as_object().unwrap() {
            let was = &recorded["scenarios"][scenario];
            if was["summary"] != text["summary"] {
                changed.push(format!("summary of {scenario}"));
            }
            for (case, english) in text["cases"].as_object().unwrap() {
                if was["cases"][case] != *english {
                    changed.push(format!("{scenario}/{case}"));
                }
            }
        }
        for (driver, cases) in current["differences"].as_object().unwrap() {
            for (id, english) in cases.as_object().unwrap() {
                if recorded["differences"][driver][id] != *english {
                    changed.push(format!("why {driver} differs in {id}"));
                }
            }
        }
        for (kind, english) in current["mongod_notes"].as_object().unwrap() {
            if recorded["mongod_notes"][kind] != *english {
                changed.push(format!("mongod note {kind}"));
            }
        }
        assert!(
            changed.is_empty(),
            "the English of these changed since they were translated: update them in \
             catalogue/i18n/{{ja,zh,ko}}.json, then record the new English with \
             PKIGEN_BLESS_TRANSLATION_SOURCE=1 cargo test --lib translation:\n{}",
            changed.join("\n")
        );
    }

    #[test]
    fn an_outcome_reads_with_its_reason_named_beside_its_gloss() {
        let ja = translation("ja").unwrap();
        assert_eq!(
            ja.outcome(Outcome::Reject, Some(Reason::HostnameMismatch)),
            "拒否（hostname-mismatch：ホスト名が証明書と一致しない）"
        );
        assert_eq!(ja.outcome(Outcome::Accept, None), "受け入れ");
        let ko = translation("ko").unwrap();
        assert_eq!(
            ko.outcome(Outcome::ConfigError, Some(Reason::BadPassword)),
            "구성 오류(bad-password: 비공개 키 비밀번호가 없거나 틀림)"
        );
        assert!(translation("en").is_none());
    }
}
