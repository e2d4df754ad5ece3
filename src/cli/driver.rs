//! `--driver NAME`: which driver's TLS option semantics a command speaks for. The names are
//! the library's [`Driver::name`]s, so a new profile is a new value here without more code;
//! `all` (where a command takes it) is every profile at once.

use clap::builder::{PossibleValuesParser, TypedValueParser};
use pkigen::policy::Driver;
use pkigen::scenario::REFERENCE_DRIVER;

/// The name that picks every profile.
pub const ALL: &str = "all";

/// One driver, or every driver side by side.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DriverChoice {
    One(Driver),
    All,
}

impl DriverChoice {
    /// The drivers chosen: for `all`, the reference driver (whose client a set's cases
    /// have) first, then the others in [`Driver::ALL`]'s order.
    pub fn drivers(self) -> Vec<Driver> {
        match self {
            DriverChoice::One(driver) => vec![driver],
            DriverChoice::All => std::iter::once(REFERENCE_DRIVER)
                .chain(Driver::ALL.into_iter().filter(|d| *d != REFERENCE_DRIVER))
                .collect(),
        }
    }
}

/// The parser for a `--driver` flag: one of [`Driver::ALL`] by name, or `all` (clap lists
/// them in `--help` and in its error for another name).
pub fn choice_parser() -> impl TypedValueParser<Value = DriverChoice> {
    let names = Driver::ALL.map(Driver::name).into_iter().chain([ALL]);
    PossibleValuesParser::new(names).map(|name| match name.as_str() {
        ALL => DriverChoice::All,
        name => DriverChoice::One(
            name.parse::<Driver>()
                .expect("the possible values are the drivers' names"),
        ),
    })
}
