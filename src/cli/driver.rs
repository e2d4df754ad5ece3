//! `--driver NAME`: which driver's TLS option semantics a command speaks for. The names are
//! the library's [`Driver::name`]s, so a new profile is a new value here without more code.

use clap::builder::{PossibleValuesParser, TypedValueParser};
use pkigen::policy::Driver;

/// The parser for a `--driver` flag: one of [`Driver::ALL`] by name (clap lists them in
/// `--help` and in its error for another name).
pub fn parser() -> impl TypedValueParser<Value = Driver> {
    PossibleValuesParser::new(Driver::ALL.map(Driver::name)).map(|name| {
        name.parse::<Driver>()
            .expect("the possible values are the drivers' names")
    })
}
