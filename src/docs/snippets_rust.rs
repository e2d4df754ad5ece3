//! The code example of a case for the Rust driver (crate `mongodb` 3.9.1, default features):
//! a complete program, the `src/main.rs` of a binary crate whose `Cargo.toml` dependencies
//! its first comment gives, that parses the case's connection string with
//! `ClientOptions::parse`, builds the client with `Client::with_options` (which reads the TLS
//! files, relative to the working directory) and runs `ping` on tokio.
//!
//! The driver has no keyword options beside the connection string, so the case's URI is the
//! whole configuration. What the driver does with it comes from [`policy::resolve`] with the
//! Rust profile: where the parser refuses the URI, a comment above the parse names the error;
//! where TLS stays off, it says the client connects in plaintext.

use crate::fixtures::manifest::Case;
use crate::policy::{self, ClientOptions, Driver, PolicyError};
use std::fmt::Write as _;

use super::snippets::PORT;

/// The dependencies the program needs, as `Cargo.toml` lines.
pub(crate) const CARGO_DEPENDENCIES: &str = "mongodb = \"=3.9.1\"\ntokio = { version = \"1\", features = [\"macros\", \"rt-multi-thread\"] }";

/// The program for `case`: parse, build, ping.
pub(crate) fn program(case: &Case) -> String {
    let uri = uri(case);
    let mut code = String::from("// Cargo.toml, [dependencies]:\n");
    for line in CARGO_DEPENDENCIES.lines() {
        let _ = writeln!(code, "//   {line}");
    }
    code += "use mongodb::bson::doc;\nuse mongodb::options::ClientOptions;\nuse mongodb::Client;\n\n\
             #[tokio::main]\nasync fn main() -> mongodb::error::Result<()> {\n";
    match policy::resolve(Driver::Rust, Some(&uri), &ClientOptions::new()) {
        Err(e) => {
            let _ = writeln!(code, "    // {}", refusal(&e));
        }
        Ok(resolution) if !resolution.policy.tls => code += &format!("    // {PLAINTEXT}\n"),
        Ok(_) => {}
    }
    let _ = writeln!(
        code,
        "    let options = ClientOptions::parse({}).await?;",
        rust_string(&uri)
    );
    code + "    // Reads the TLS files now, relative to the working directory.\n    \
            let client = Client::with_options(options)?;\n    \
            let reply = client.database(\"admin\").run_command(doc! { \"ping\": 1 }).await?;\n    \
            println!(\"ping ok: {reply}\");\n    Ok(())\n}\n"
}

/// What the program says where the options leave TLS off.
const PLAINTEXT: &str = "TLS is off (tls=false): the client connects in plaintext";

/// The case's connection string with MongoDB's port after its host.
fn uri(case: &Case) -> String {
    let host = &case.client.host;
    let with_port = if host.contains(':') && !host.starts_with('[') {
        format!("mongodb://[{host}]:{PORT}")
    } else {
        format!("mongodb://{host}:{PORT}")
    };
    let given = &case.client.uri;
    match given.strip_prefix(&format!("mongodb://{host}")) {
        Some(rest) => format!("{with_port}{rest}"),
        None => given.clone(),
    }
}

/// What a comment says for a connection string the profile refuses: the error kind and
/// message `ClientOptions::parse` returns, or that pkigen cannot say. One line.
fn refusal(e: &PolicyError) -> String {
    let text = if e.exception.is_driver_error() {
        format!(
            "The Rust driver refuses this connection string (ClientOptions::parse returns {}): {}",
            e.exception.class_name(),
            e.redacted()
        )
    } else {
        format!(
            "pkigen does not model this connection string for the Rust driver: {}",
            e.redacted()
        )
    };
    text.replace(['\n', '\r'], " ")
}

/// A Rust string literal: `Debug` of a `str` escapes exactly what the literal needs.
fn rust_string(text: &str) -> String {
    format!("{text:?}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_refusal_names_the_kind_and_message_the_parser_returns() {
        let options = ClientOptions::new();
        let e = policy::resolve(Driver::Rust, Some("mongodb://h/?tls=yes"), &options).unwrap_err();
        assert_eq!(
            refusal(&e),
            "The Rust driver refuses this connection string (ClientOptions::parse returns \
             InvalidArgument): connection string `tls` option must be a boolean"
        );
    }

    #[test]
    fn strings_are_rust_literals() {
        assert_eq!(rust_string("a\"b\\c"), r#""a\"b\\c""#);
    }
}
