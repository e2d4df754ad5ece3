//! The code examples of a case for libmongoc 1.23 (the C driver): a complete program that
//! parses the case's connection string (`mongoc_uri_new_with_error`), makes a client
//! (`mongoc_client_new_from_uri_with_error`), runs `ping` (`mongoc_client_command_simple`)
//! and cleans up, with the `cc` command line that builds it; and, where the case names a CRL
//! file, the same program handing it to the C API (`mongoc_ssl_opt_t.crl_file`), the only
//! way libmongoc 1.23 checks a CRL: its URI has no `tlsCRLFile` option.
//!
//! A C program has no options object: the case's options are its connection string. What
//! the comments say (a refusal, TLS left off, the CRL ignored) comes from [`policy::resolve`]
//! with the libmongoc profile.

use crate::fixtures::manifest::Case;
use crate::policy::{self, ClientOptions, Driver};
use std::fmt::Write as _;

use super::snippets::PORT;

/// The command that builds and runs a program (Debian: `apt-get install libmongoc-dev
/// pkg-config gcc`).
pub(crate) const BUILD: &str =
    "cc ping.c -o ping $(pkg-config --cflags --libs libmongoc-1.0) && ./ping";

/// The program for the case's connection string.
pub(crate) fn program(case: &Case) -> String {
    let uri = uri(&case.client.host, &case.client.options);
    let mut notes = Vec::new();
    match policy::resolve(Driver::C, Some(&uri), &ClientOptions::new()) {
        Err(e) if e.exception.is_driver_error() => notes.push(format!(
            "libmongoc refuses this connection string: mongoc_uri_new_with_error fails with \
             domain 11, code 22: {}",
            e.redacted()
        )),
        Err(e) => notes.push(format!(
            "pkigen does not model this connection string for libmongoc: {}",
            e.redacted()
        )),
        Ok(resolution) => {
            if !resolution.policy.tls {
                notes.push(PLAINTEXT.to_string());
            }
            if has_crl_file(&case.client.options) {
                notes.push(CRL_IGNORED.to_string());
            }
        }
    }
    let mut code = format!("{HEADER}\nint\nmain (void)\n{{\n");
    for note in notes {
        let _ = writeln!(code, "   /* {} */", comment(&note));
    }
    let _ = writeln!(code, "   const char *uri_string = {};", c_string(&uri));
    code + BODY_START + BODY_END
}

/// The program with the case's CRL file given through `mongoc_ssl_opt_t`, where the case
/// names one; `None` otherwise.
pub(crate) fn crl_program(case: &Case) -> Option<String> {
    let options = case.client.options.as_json();
    let crl_file = options
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case("tlsCRLFile"))
        .and_then(|(_, v)| v.as_str())?;
    let without: serde_json::Map<_, _> = options
        .iter()
        .filter(|(k, _)| !k.eq_ignore_ascii_case("tlsCRLFile"))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    let without = ClientOptions::from_json(without);
    let uri = uri(&case.client.host, &without);
    let policy = policy::resolve(Driver::C, Some(&uri), &ClientOptions::new())
        .ok()?
        .policy;
    let mut code = format!("{HEADER}\nint\nmain (void)\n{{\n");
    let _ = writeln!(code, "   const char *uri_string = {};", c_string(&uri));
    code += "   mongoc_ssl_opt_t ssl_opts = {0};\n";
    code += BODY_START;
    code += "   /* The URI's TLS settings, which mongoc_client_set_ssl_opts replaces, and the CRL\n    \
             * file: the server's certificate is checked against its CRLs (PEM). */\n";
    for (field, value) in [
        ("ca_file", &policy.ca_file),
        ("pem_file", &policy.certificate_key_file),
        ("pem_pwd", &policy.certificate_key_file_password),
    ] {
        if let Some(value) = value {
            let _ = writeln!(code, "   ssl_opts.{field} = {};", c_string(value));
        }
    }
    let _ = writeln!(code, "   ssl_opts.crl_file = {};", c_string(crl_file));
    if policy.allow_invalid_certificates {
        code += "   ssl_opts.weak_cert_validation = true;\n";
    }
    if policy.allow_invalid_hostnames {
        code += "   ssl_opts.allow_invalid_hostname = true;\n";
    }
    code += "   mongoc_client_set_ssl_opts (client, &ssl_opts);\n\n";
    Some(code + BODY_END)
}

const HEADER: &str = "#include <mongoc/mongoc.h>\n#include <stdio.h>\n";

/// From the declarations to a client, which the CRL program configures before its ping.
const BODY_START: &str = "   bson_error_t error;
   mongoc_uri_t *uri;
   mongoc_client_t *client;
   bson_t *ping;
   bool ok;

   mongoc_init ();
   uri = mongoc_uri_new_with_error (uri_string, &error);
   if (!uri) {
      fprintf (stderr,
               \"invalid connection string (domain %u, code %u): %s\\n\",
               error.domain,
               error.code,
               error.message);
      mongoc_cleanup ();
      return 1;
   }
   client = mongoc_client_new_from_uri_with_error (uri, &error);
   if (!client) {
      fprintf (stderr,
               \"no client (domain %u, code %u): %s\\n\",
               error.domain,
               error.code,
               error.message);
      mongoc_uri_destroy (uri);
      mongoc_cleanup ();
      return 1;
   }
";

/// The ping and the cleanup.
const BODY_END: &str = "   ping = BCON_NEW (\"ping\", BCON_INT32 (1));
   ok = mongoc_client_command_simple (client, \"admin\", ping, NULL, NULL, &error);
   if (ok) {
      printf (\"ping ok\\n\");
   } else {
      fprintf (stderr, \"ping failed: %s\\n\", error.message);
   }
   bson_destroy (ping);
   mongoc_client_destroy (client);
   mongoc_uri_destroy (uri);
   mongoc_cleanup ();
   return ok ? 0 : 1;
}
";

/// What the program says where the connection string leaves TLS off.
const PLAINTEXT: &str = "TLS is off: an explicit tls=false (or ssl=false) wins over every \
     other TLS option, so libmongoc connects in plaintext and reads none of the files";

/// What the program says where the case names a CRL file.
const CRL_IGNORED: &str = "libmongoc 1.23 has no tlsCRLFile URI option: it logs \
     'Unsupported URI option \"tlscrlfile\"' and checks no CRL (mongoc_ssl_opt_t.crl_file \
     does, below)";

fn has_crl_file(options: &ClientOptions) -> bool {
    options
        .as_json()
        .keys()
        .any(|k| k.eq_ignore_ascii_case("tlsCRLFile"))
}

/// The case's connection string with MongoDB's port on its host.
fn uri(host: &str, options: &ClientOptions) -> String {
    let host = if host.contains(':') && !host.starts_with('[') {
        format!("[{host}]:{PORT}")
    } else {
        format!("{host}:{PORT}")
    };
    policy::uri_for(&host, options)
}

/// Text for a `/* … */` comment: one line, never closing the comment early.
fn comment(text: &str) -> String {
    text.replace(['\n', '\r'], " ").replace("*/", "* /")
}

/// A C string literal: quotes, backslashes and control characters escaped, a `?` after a
/// `?` too (no trigraph), the rest as UTF-8 (a C compiler passes it through).
fn c_string(text: &str) -> String {
    let mut out = String::from("\"");
    let mut previous = None;
    for c in text.chars() {
        match c {
            '"' => out += "\\\"",
            '\\' => out += "\\\\",
            '?' if previous == Some('?') => out += "\\?",
            c if (c as u32) < 0x20 || c == '\u{7f}' => {
                let _ = write!(out, "\\{:03o}", c as u32);
            }
            c => out.push(c),
        }
        previous = Some(c);
    }
    out + "\""
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_and_comments_stay_c() {
        assert_eq!(c_string("a\"b\\c?\n??"), "\"a\\\"b\\\\c?\\012?\\?\"");
        assert_eq!(comment("a */ b\nc"), "a * / b c");
    }

    #[test]
    fn the_uri_carries_the_port_and_the_options() {
        let options = ClientOptions::from_json(
            serde_json::json!({"tls": true, "tlsCAFile": "ca.pem"})
                .as_object()
                .unwrap()
                .clone(),
        );
        assert_eq!(
            uri("localhost", &options),
            "mongodb://localhost:27017/?tls=true&tlsCAFile=ca.pem"
        );
        assert_eq!(uri("::1", &ClientOptions::new()), "mongodb://[::1]:27017/");
    }
}
