#!/usr/bin/env python3
"""Every case against the real driver: `pkigen serve --all` presents every case's server side,
and PyMongo connects with each case's own connection string and runs `ping`.

    python interop.py SERVED MODE DIR [DIR...]

SERVED is a file holding the first line `pkigen serve --all` printed: "scenario/case" →
{"address", "uri"}. MODE is `stdlib` (plain `pip install pymongo`: every case that does not
involve OCSP — CRL checking needs it, PyMongo refuses tlsCRLFile with PyOpenSSL) or `ocsp`
(`pymongo[ocsp]`: the cases that staple, run a responder, or expect an ocsp-* reason). Prints
one harness line per case of that mode (harness.py; engine `pymongo` or `pymongo-ocsp`,
subject `scenario/case`): what PyMongo observed, why the case is skipped, or a harness error
when `pkigen serve --all` does not present the case as its manifest says.

The observed `reason` is read from PyMongo's exception where it names one: OpenSSL's words for a refused
handshake, the exception's class and text for a configuration error (CONFIG_ERRORS), and
for an OCSP refusal, which PyMongo reports as "invalid status response" whatever the cause,
the debug log of `pymongo.ocsp_support` that says why its callback refused (OCSP_LOG_WORDS).
A text none of these name gives no reason, which the test counts as a disagreement.
"""

import json
import logging
import os
import subprocess
import sys
import threading
import warnings
from concurrent.futures import ThreadPoolExecutor

import pymongo
from pymongo import MongoClient

import harness

ENGINES = {"stdlib": "pymongo", "ocsp": "pymongo-ocsp"}

# Short, so the rejected cases do not dominate the run (a handshake on loopback takes
# milliseconds), with room for a loaded 2-core CI machine.
TIMEOUTS = {"serverSelectionTimeoutMS": 3000, "connectTimeoutMS": 3000, "socketTimeoutMS": 3000}

# PyMongo's error text (OpenSSL's and pymongo.ocsp_support's words) → pkigen's reason.
WORDS = [
    ("certificate has expired", "expired"),
    ("certificate is not yet valid", "not-yet-valid"),
    ("hostname mismatch", "hostname-mismatch"),
    ("ip address mismatch", "hostname-mismatch"),
    ("unable to get local issuer certificate", "unknown-issuer"),
    ("unable to get issuer certificate", "unknown-issuer"),  # a CA file holding no root
    ("self-signed certificate", "unknown-issuer"),
    ("self signed certificate", "unknown-issuer"),
    ("unsupported certificate purpose", "invalid-purpose"),
    ("unsuitable certificate purpose", "invalid-purpose"),
    ("certificate revoked", "revoked"),
    ("crl has expired", "crl-expired"),
    ("unable to get certificate crl", "crl-untrusted"),
    ("certificate required", "client-cert-required"),
    ("unknown ca", "client-cert-untrusted"),
    ("protocol version", "protocol-version"),
    ("unsupported protocol", "protocol-version"),
    ("handshake failure", "no-shared-cipher"),
]

# What PyMongo says for every refusal by its OCSP callback.
OCSP_REFUSAL = "invalid status response"

# The start of `f"{type(exc).__name__}: {exc}"` for the exception MongoClient raises → reason.
CONFIG_ERRORS = [
    ("InvalidURI: ", "invalid-options"),
    ("ConfigurationError: TLS has not been enabled but ", "invalid-options"),
    ("ConfigurationError: Private key doesn't match certificate: [X509: KEY_VALUES_MISMATCH]", "key-mismatch"),
    # load_cert_chain could not decrypt the key with the password given.
    ("ConfigurationError: Private key doesn't match certificate: [SSL] PEM lib", "bad-password"),
    # No password and no terminal for OpenSSL to ask on.
    ("OSError: [Errno 22] Invalid argument", "bad-password"),
    ("SSLError: [X509: NO_CERTIFICATE_OR_CRL_FOUND]", "unreadable-file"),
    ("FileNotFoundError: ", "unreadable-file"),
]

# pymongo.ocsp_support's debug messages that explain a refusal → reason, most decisive first
# (a refusal logs one of these just before its callback returns False).
OCSP_LOG_WORDS = [
    ("Must-staple cert with no stapled response", "ocsp-must-staple"),
    ("OCSP cert status: <OCSPCertStatus.REVOKED", "ocsp-revoked"),
    ("No issuer cert?", "ocsp-invalid-response"),
    ("OCSP response status: <OCSPResponseStatus.MALFORMED_REQUEST", "ocsp-invalid-response"),
    ("OCSP response status: <OCSPResponseStatus.INTERNAL_ERROR", "ocsp-invalid-response"),
    ("OCSP response status: <OCSPResponseStatus.TRY_LATER", "ocsp-invalid-response"),
    ("OCSP response status: <OCSPResponseStatus.SIG_REQUIRED", "ocsp-invalid-response"),
    ("OCSP response status: <OCSPResponseStatus.UNAUTHORIZED", "ocsp-invalid-response"),
    ("No matching or valid responder certs.", "ocsp-invalid-response"),
    ("Delegate not authorized for OCSP signing", "ocsp-invalid-response"),
    ("Delegate signature verification failed", "ocsp-invalid-response"),
    ("Response signature verification failed", "ocsp-invalid-response"),
    ("thisUpdate is in the future", "ocsp-invalid-response"),
    ("nextUpdate is in the past", "ocsp-invalid-response"),
]


# The port of the server pymongo.ocsp_support's callback is judging on this thread, if any.
_JUDGING = threading.local()


class _OcspLog(logging.Handler):
    """Keeps pymongo.ocsp_support's debug messages by the port of the server they are about
    (every case has a port of its own), so cases run at once, and a closed client's monitor
    still finishing a handshake, never mix their messages."""

    def __init__(self):
        super().__init__(logging.DEBUG)
        self.by_port = {}
        self.guard = threading.Lock()

    def emit(self, record):
        port = getattr(_JUDGING, "port", None)
        with self.guard:
            self.by_port.setdefault(port, []).append(record.getMessage())

    def messages(self, port):
        with self.guard:
            return list(self.by_port.get(port, []))


OCSP_LOG = _OcspLog()
_ocsp_logger = logging.getLogger("pymongo.ocsp_support")
_ocsp_logger.setLevel(logging.DEBUG)
_ocsp_logger.addHandler(OCSP_LOG)
_ocsp_logger.propagate = False


def _tag_ocsp_callback():
    """Wraps the OCSP callback PyMongo hands pyOpenSSL so that what it logs is tagged with the
    peer's port. OpenSSL calls it during the handshake, on the handshaking thread, and the
    logger calls the handler on that same thread. Without pymongo[ocsp] there is none."""
    try:
        from pymongo import pyopenssl_context
    except ImportError:
        return
    judge = pyopenssl_context._ocsp_callback

    def tagged(conn, ocsp_bytes, user_data):
        try:
            _JUDGING.port = conn.getpeername()[1]
        except OSError:
            _JUDGING.port = None
        try:
            return judge(conn, ocsp_bytes, user_data)
        finally:
            _JUDGING.port = None

    pyopenssl_context._ocsp_callback = tagged


_tag_ocsp_callback()


def ocsp_reason(messages):
    for words, reason in OCSP_LOG_WORDS:
        if any(m.startswith(words) for m in messages):
            return reason, words
    return None, None


def reason_in(text, ocsp_messages):
    """The reason of a refused handshake, and the words that named it."""
    if OCSP_REFUSAL in text.lower():
        return ocsp_reason(ocsp_messages)
    lowered = text.lower()
    for words, reason in WORDS:
        if words in lowered:
            return reason, words
    return None, None


def config_reason(text):
    for start, reason in CONFIG_ERRORS:
        if text.startswith(start):
            return reason
    return None


def needs_ocsp(case):
    server = case["server"]
    reason = case["expect"].get("reason") or ""
    return bool(server.get("ocsp_staple") or server.get("ocsp_responder") or reason.startswith("ocsp-"))


def served_uri(case, port):
    host = case["client"]["host"]
    uri = case["client"]["uri"]
    prefix = f"mongodb://{host}/"
    assert uri.startswith(prefix), uri
    return f"mongodb://{host}:{port}/" + uri[len(prefix):]


def run_case(served, scenario, case):
    if case["client"].get("tls_versions"):
        return harness.skipped("the case pins the client's TLS versions, which PyMongo cannot express")
    entry = served.get(harness.case_id(scenario, case["name"]))
    if entry is None:
        return harness.harness_error("pkigen serve --all does not serve this case")
    port = entry["address"].rsplit(":", 1)[1]
    uri = entry["uri"]
    if uri != served_uri(case, port):
        return harness.harness_error(f"pkigen serve --all gives {uri!r}, not the case's own URI with port {port}")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            client = MongoClient(uri, **TIMEOUTS)
        except Exception as exc:  # noqa: BLE001 - PyMongo's refusal is the observation
            text = f"{type(exc).__name__}: {exc}"
            return harness.observed("config-error", config_reason(text), text)
    try:
        client.admin.command("ping")
        return harness.observed("accept", None, "ping ok")
    except Exception as exc:  # noqa: BLE001
        text = f"{type(exc).__name__}: {exc}"
        reason, words = reason_in(text, OCSP_LOG.messages(int(port)))
        if OCSP_REFUSAL in text.lower():
            text = f"[pymongo.ocsp_support: {words or 'no message names a reason'}] {text}"
        return harness.observed("reject", reason, text[:600])
    finally:
        client.close()


def run_folder(served, mode, directory):
    """The cases of one folder in MODE, eight at a time, each reported as it is judged."""
    os.chdir(directory)  # the cases' file options are relative to their folder
    with open("manifest.json") as f:
        manifest = json.load(f)
    cases = [c for c in manifest["cases"] if needs_ocsp(c) == (mode == "ocsp")]
    with ThreadPoolExecutor(8) as pool:
        results = pool.map(lambda c: run_case(served, manifest["scenario"], c), cases)
        for case, result in zip(cases, results):
            harness.emit(ENGINES[mode], harness.case_id(manifest["scenario"], case["name"]), result)


def run_folders_at_once(served_file, mode, directories):
    """Each folder in a process of its own, all at once (a process has one working folder),
    their lines relayed in the folders' order; fails if any of them does."""
    children = [
        subprocess.Popen(
            [sys.executable, os.path.abspath(__file__), os.path.abspath(served_file), mode, os.path.abspath(d)],
            stdout=subprocess.PIPE, stdin=subprocess.DEVNULL, text=True,
        )
        for d in directories
    ]
    failed = False
    for child in children:
        out, _ = child.communicate()
        sys.stdout.write(out)
        failed |= child.returncode != 0
    return 1 if failed else 0


def main():
    served_file, mode, directories = sys.argv[1], sys.argv[2], sys.argv[3:]
    try:
        os.setsid()  # no terminal: OpenSSL must not prompt for a key password
    except OSError:
        pass
    if len(directories) > 1:
        sys.exit(run_folders_at_once(served_file, mode, directories))
    with open(served_file) as f:
        served = json.load(f)
    print(json.dumps({"pymongo": pymongo.version, "mode": mode, "has_ocsp": pymongo.ssl_support.HAVE_PYSSL if hasattr(pymongo.ssl_support, "HAVE_PYSSL") else None}), file=sys.stderr)
    for directory in directories:
        run_folder(served, mode, os.path.abspath(directory))


if __name__ == "__main__":
    main()
