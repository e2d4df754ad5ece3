//! The code examples of a case, written from its options: `MongoClient(...)` keywords, and
//! Python `ssl` set up as PyMongo's `get_ssl_context` sets it up — from files, and from
//! memory (`cadata=`, as the App Engine guide loads what it has in memory); and its server's
//! mongod command line as a shell runs it.

use crate::fixtures::manifest::Case;
use crate::policy::{Driver, TlsPolicy};
use serde_json::Value;
use std::fmt::Write as _;

/// The port the examples connect to: MongoDB's.
pub(super) const PORT: u16 = 27017;

/// A JSON value as a Python literal.
fn python(value: &Value) -> String {
    match value {
        Value::Bool(true) => "True".into(),
        Value::Bool(false) => "False".into(),
        Value::Null => "None".into(),
        // JSON string escapes are valid Python for the strings fixtures use.
        other => other.to_string(),
    }
}

/// `MongoClient("localhost", tls=True, tlsCAFile="ca.pem")`.
pub(crate) fn mongoclient(case: &Case) -> String {
    let mut call = format!(
        "from pymongo import MongoClient\n\nclient = MongoClient(\n    {},\n",
        python(&Value::from(case.client.host.as_str()))
    );
    for (name, value) in case.client.options.as_json() {
        let _ = writeln!(call, "    {name}={},", python(value));
    }
    call + ")\nclient.admin.command(\"ping\")"
}

/// The name the from-memory snippet gives the CA certificates' PEM text.
const CA_VARIABLE: &str = "CA_PEM";

/// Python `ssl` configured from the case's options as PyMongo would, from files.
pub(crate) fn ssl_from_files(case: &Case) -> String {
    ssl_snippet(case, false)
}

/// The most of a CA file the from-memory snippet embeds; a larger one (a big bundle) is
/// loaded from its file instead, with a comment saying so, so a page stays readable.
pub(crate) const MAX_EMBEDDED_BYTES: usize = 64 * 1024;

/// The same, with the CA certificates' PEM text in the code (`cadata=`).
pub(crate) fn ssl_from_memory(case: &Case, read: &dyn Fn(&str) -> Option<String>) -> String {
    let file = case.client.options.get_str("tlsCAFile");
    match file.and_then(|file| Some((file, read(file)?))) {
        Some((file, pem)) if pem.len() > MAX_EMBEDDED_BYTES => format!(
            "# {} is over {} KiB: loaded from the file rather than written out here\n{}",
            python(&Value::from(file)),
            MAX_EMBEDDED_BYTES / 1024,
            ssl_snippet(case, false)
        ),
        Some((_, pem)) => {
            let snippet = ssl_snippet(case, true);
            format!("{CA_VARIABLE} = \"\"\"\\\n{pem}\"\"\"\n\n{snippet}")
        }
        None => ssl_snippet(case, false),
    }
}

fn ssl_snippet(case: &Case, ca_in_memory: bool) -> String {
    let policy = match TlsPolicy::from_options(Driver::PyMongo, &case.client.options) {
        Ok(policy) => policy,
        Err(e) => {
            return format!(
                "# PyMongo refuses these options before connecting, so there is no context to build:\n# {}: {}",
                e.exception.class_name(),
                e.message
            );
        }
    };
    let mut code = String::from(
        "import socket\nimport ssl\n\ncontext = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)\n",
    );
    if policy.verify_certificates() {
        let _ = writeln!(
            code,
            "context.check_hostname = {}",
            if policy.verify_hostname() {
                "True"
            } else {
                "False"
            }
        );
        if let Some(crl) = &policy.crl_file {
            code +=
                "context.verify_flags |= ssl.VERIFY_CRL_CHECK_LEAF  # tlsCRLFile: the leaf only\n";
            let _ = writeln!(
                code,
                "context.load_verify_locations({})",
                python(&Value::from(crl.as_str()))
            );
        }
        match policy.ca_file.as_deref() {
            Some(_) if ca_in_memory => {
                let _ = writeln!(code, "context.load_verify_locations(cadata={CA_VARIABLE})");
            }
            Some(file) => {
                let _ = writeln!(
                    code,
                    "context.load_verify_locations({})",
                    python(&Value::from(file))
                );
            }
            None => code += "context.load_default_certs()  # no tlsCAFile: the system's roots\n",
        }
    } else {
        code += "context.check_hostname = False\ncontext.verify_mode = ssl.CERT_NONE  # tlsAllowInvalidCertificates / tlsInsecure\n";
    }
    if let Some(key_file) = &policy.certificate_key_file {
        let password = policy
            .certificate_key_file_password
            .as_deref()
            .map(|p| format!(", password={}", python(&Value::from(p))))
            .unwrap_or_default();
        let _ = writeln!(
            code,
            "context.load_cert_chain({}{password})",
            python(&Value::from(key_file.as_str()))
        );
    }
    if let Some(versions) = &case.client.tls_versions {
        let name = |v: &String| format!("ssl.TLSVersion.TLSv{}", v.replace('.', "_"));
        let _ = writeln!(
            code,
            "context.minimum_version = {}",
            versions.iter().map(name).min().unwrap_or_default()
        );
        let _ = writeln!(
            code,
            "context.maximum_version = {}",
            versions.iter().map(name).max().unwrap_or_default()
        );
    }
    let host = python(&Value::from(case.client.host.as_str()));
    let _ = write!(
        code,
        "\nwith socket.create_connection(({host}, {PORT})) as sock:\n    with context.wrap_socket(sock, server_hostname={host}) as tls:\n"
    );
    if case.server.client_ca.is_some() {
        // TLS 1.3: a server that refuses the client's certificate says so after the handshake.
        code += "        tls.settimeout(1)\n        try:\n            tls.recv(1)  # a refused client certificate is reported here (TLS 1.3)\n        except TimeoutError:\n            pass  # nothing to read: the server accepted us\n";
    }
    code + "        print(tls.version(), tls.cipher())"
}

/// `args` as a POSIX shell command: the program, then each option (with its value) on a line
/// of its own, continued with `\`; a word a shell would split or expand is single-quoted.
pub(crate) fn shell_command(args: &[String]) -> String {
    let mut lines: Vec<String> = Vec::new();
    for arg in args {
        let word = shell_word(arg);
        match lines.last_mut() {
            // An option's value, on its option's line (the program stands alone).
            Some(line) if !arg.starts_with('-') && line.starts_with('-') => {
                line.push(' ');
                line.push_str(&word);
            }
            _ => lines.push(word),
        }
    }
    lines.join(" \\\n  ")
}

/// `word` as one shell word.
fn shell_word(word: &str) -> String {
    let plain = |c: char| c.is_ascii_alphanumeric() || "_-.,/=:@%+".contains(c);
    if !word.is_empty() && word.chars().all(plain) {
        word.to_string()
    } else {
        format!("'{}'", word.replace('\'', "'\\''"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_command_puts_each_option_and_its_value_on_a_line() {
        let args = [
            "mongod",
            "--tlsMode",
            "requireTLS",
            "--tlsAllowConnectionsWithoutCertificates",
            "--setParameter",
            "opensslCipherConfig=A:B",
            "--tlsCAFile",
            "it's a file.pem",
        ]
        .map(String::from);
        assert_eq!(
            shell_command(&args),
            "mongod \\\n  --tlsMode requireTLS \\\n  --tlsAllowConnectionsWithoutCertificates \\\n  \
             --setParameter opensslCipherConfig=A:B \\\n  --tlsCAFile 'it'\\''s a file.pem'"
        );
    }
}
