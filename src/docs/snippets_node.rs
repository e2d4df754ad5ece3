//! The code examples of a case for the Node.js driver (npm `mongodb` 7.9.0): the case's
//! keyword options given to `new MongoClient(uri, options)`, and Node's own `tls.connect`
//! configured from the same files the way the driver configures it, so a reader who sees the
//! driver fail can try the TLS layer alone.
//!
//! Both are complete CommonJS scripts (`node ping.js`): `require` finds the driver through
//! `NODE_PATH` or a global install, which an ES module's `import` does not, and a script
//! needs no `package.json` to say which kind it is.
//!
//! What the `tls.connect` options are comes from [`policy::resolve`] with the Node profile:
//! where the driver refuses the options, that snippet is a comment naming the error instead,
//! and where TLS stays off (no `tls: true`) it says the driver connects in plaintext.

use crate::fixtures::manifest::Case;
use crate::policy::{self, Driver, PolicyError};
use serde_json::Value;
use std::fmt::Write as _;
use std::net::IpAddr;

use super::snippets::PORT;

/// `new MongoClient("mongodb://localhost:27017", { tls: true, tlsCAFile: "ca.pem" })`, a ping,
/// and `close()`.
pub(crate) fn mongoclient(case: &Case) -> String {
    let uri = uri(&case.client.host);
    let mut code =
        String::from("const { MongoClient } = require(\"mongodb\");\n\nasync function main() {\n");
    match policy::resolve(Driver::Node, Some(&uri), &case.client.options) {
        Err(e) => {
            let _ = writeln!(code, "  // {}", refusal(&e));
        }
        Ok(resolution) if !resolution.policy.tls => code += &format!("  // {PLAINTEXT}\n"),
        Ok(_) => {}
    }
    let options = case.client.options.as_json();
    if options.is_empty() {
        let _ = writeln!(
            code,
            "  const client = new MongoClient({});",
            js_string(&uri)
        );
    } else {
        let _ = writeln!(
            code,
            "  const client = new MongoClient({}, {{",
            js_string(&uri)
        );
        for (name, value) in options {
            let _ = writeln!(code, "    {}: {},", js_key(name), js_value(value));
        }
        code += "  });\n";
    }
    code + "  try {\n    const reply = await client.db(\"admin\").command({ ping: 1 });\n    \
            console.log(\"ping ok:\", reply);\n  } finally {\n    await client.close();\n  }\n}\n\n"
        + MAIN
}

/// Node's `tls.connect` with the options the driver would give it for the case, a TLS
/// handshake and a clean close.
pub(crate) fn tls_connect(case: &Case) -> String {
    let host = &case.client.host;
    let policy = match policy::resolve(Driver::Node, Some(&uri(host)), &case.client.options) {
        Ok(resolution) => resolution.policy,
        Err(e) if e.exception.is_driver_error() => {
            return format!("// {}, so there is no tls.connect to make", refusal(&e));
        }
        Err(e) => return format!("// {}: no tls.connect is shown", refusal(&e)),
    };
    if !policy.tls {
        return format!("// {PLAINTEXT}, with no tls.connect");
    }
    let mut code = String::from(
        "const fs = require(\"fs\");\nconst tls = require(\"tls\");\nconst { once } = require(\"events\");\n\nasync function main() {\n",
    );
    if let Some(file) = &policy.certificate_key_file {
        let _ = writeln!(
            code,
            "  const keyAndCert = fs.readFileSync({}); // tlsCertificateKeyFile: key and cert, one buffer",
            js_string(file)
        );
    }
    code += "  const socket = tls.connect({\n";
    let _ = writeln!(code, "    host: {},\n    port: {PORT},", js_string(host));
    if host.parse::<IpAddr>().is_err() {
        let _ = writeln!(
            code,
            "    servername: {}, // SNI and the name checked (the driver sends none to an IP address)",
            js_string(host)
        );
    }
    match &policy.ca_file {
        Some(file) => {
            let _ = writeln!(
                code,
                "    ca: fs.readFileSync({}), // tlsCAFile: these CAs instead of Node's bundled roots",
                js_string(file)
            );
        }
        None => code += "    // no tlsCAFile: Node's bundled Mozilla roots, not the system's\n",
    }
    if policy.certificate_key_file.is_some() {
        code += "    key: keyAndCert,\n    cert: keyAndCert,\n";
    }
    if let Some(password) = &policy.certificate_key_file_password {
        let _ = writeln!(
            code,
            "    passphrase: {}, // tlsCertificateKeyFilePassword",
            js_string(password)
        );
    }
    if let Some(file) = &policy.crl_file {
        let _ = writeln!(
            code,
            "    crl: fs.readFileSync({}), // tlsCRLFile: its first CRL; every certificate of the chain needs one",
            js_string(file)
        );
    }
    if policy.allow_invalid_certificates {
        code += "    rejectUnauthorized: false, // tlsAllowInvalidCertificates or tlsInsecure\n";
    }
    if policy.allow_invalid_hostnames {
        code += "    checkServerIdentity: () => undefined, // tlsAllowInvalidHostnames or tlsInsecure: no name check\n";
    }
    code + "  });\n  await once(socket, \"secureConnect\");\n  const protocol = socket.getProtocol();\n  \
            // Under TLS 1.3 a server that refuses the client's certificate says so after the\n  \
            // handshake: end, and wait for the server to close.\n  socket.end();\n  \
            await once(socket, \"close\");\n  console.log(\"handshake ok:\", protocol);\n}\n\n"
        + MAIN
}

/// How both scripts end: an error is printed and makes the exit status 1.
const MAIN: &str =
    "main().catch((error) => {\n  console.error(error);\n  process.exitCode = 1;\n});";

/// What the snippets say where the options leave TLS off.
const PLAINTEXT: &str = "TLS is off: the Node.js driver turns it on only for tls: true (or ssl: true), so it connects in plaintext";

/// The connection string the examples give the driver: the case's host, MongoDB's port.
fn uri(host: &str) -> String {
    if host.contains(':') && !host.starts_with('[') {
        format!("mongodb://[{host}]:{PORT}")
    } else {
        format!("mongodb://{host}:{PORT}")
    }
}

/// What a comment says for options the profile refuses: the error class and message
/// `new MongoClient` throws, or that pkigen cannot say. One line: a line break in a message
/// would end the comment.
fn refusal(e: &PolicyError) -> String {
    let text = if e.exception.is_driver_error() {
        format!(
            "The Node.js driver refuses these options (new MongoClient throws): {}: {}",
            e.exception.class_name(),
            e.redacted()
        )
    } else {
        format!(
            "pkigen does not model these options for the Node.js driver: {}",
            e.redacted()
        )
    };
    // JavaScript ends a comment at any of these.
    text.replace(['\n', '\r', '\u{2028}', '\u{2029}'], " ")
}

/// A JavaScript string literal (JSON's escapes are JavaScript's).
fn js_string(text: &str) -> String {
    Value::from(text).to_string()
}

/// A JSON value as a JavaScript literal: JSON is JavaScript's literal syntax.
fn js_value(value: &Value) -> String {
    value.to_string()
}

/// An object literal's key: bare where it is an identifier, quoted otherwise.
fn js_key(name: &str) -> String {
    let mut chars = name.chars();
    let start = |c: char| c.is_ascii_alphabetic() || c == '_' || c == '$';
    match chars.next() {
        Some(first) if start(first) && chars.all(|c| start(c) || c.is_ascii_digit()) => {
            name.to_string()
        }
        _ => js_string(name),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_bare_only_where_javascript_reads_them_so() {
        assert_eq!(js_key("tlsCAFile"), "tlsCAFile");
        assert_eq!(js_key("$x_1"), "$x_1");
        assert_eq!(js_key("1x"), "\"1x\"");
        assert_eq!(js_key("a-b"), "\"a-b\"");
        assert_eq!(js_key(""), "\"\"");
    }

    #[test]
    fn a_refusal_names_the_class_and_message_the_driver_throws() {
        let options = crate::policy::ClientOptions::new();
        let e = policy::resolve(Driver::Node, Some("mongodb://h/?tls=yes"), &options).unwrap_err();
        assert_eq!(
            refusal(&e),
            "The Node.js driver refuses these options (new MongoClient throws): MongoParseError: \
             tls/ssl must be either \"true\" or \"false\""
        );
    }

    #[test]
    fn an_ipv6_host_is_bracketed_in_the_uri() {
        assert_eq!(uri("::1"), "mongodb://[::1]:27017");
        assert_eq!(uri("localhost"), "mongodb://localhost:27017");
    }
}
