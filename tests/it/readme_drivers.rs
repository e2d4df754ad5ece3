//! The README's table of the cases where the drivers' expectations differ is the output of
//! `pkigen list --differences --format markdown`, generated from the catalogue: a case whose
//! expectation changes for one driver changes the table, and this test says so.

use crate::util;

const README: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/README.md");
const START: &str = "<!-- differences: pkigen list --differences --format markdown -->\n";
const END: &str = "<!-- end of differences -->";

#[test]
fn the_readme_table_of_differences_is_the_generated_one() {
    let readme = std::fs::read_to_string(README).expect("read README.md");
    let table = readme
        .split_once(START)
        .and_then(|(_, rest)| rest.split_once(END))
        .map(|(table, _)| table)
        .expect("README.md holds the table between its two markers");
    let output = util::run(["list", "--differences", "--format", "markdown"]);
    util::assert_exit(&output, 0, "list --differences --format markdown");
    let generated = util::stdout(&output);
    assert!(generated.lines().count() > 2, "{generated}");
    assert_eq!(
        table, generated,
        "README.md's table of differences is not what `pkigen list --differences --format \
         markdown` prints: paste that output between the markers"
    );
}
