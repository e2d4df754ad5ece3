#!/usr/bin/env python3
"""Every case against the real driver: `pkigen serve` presents the case's server side, and
PyMongo connects with the case's own connection string and runs `ping`.

    python interop.py PKIGEN MODE DIR [DIR...]

MODE is `stdlib` (plain `pip install pymongo`: every case that does not involve OCSP — CRL
checking needs it, PyMongo refuses tlsCRLFile with PyOpenSSL) or `ocsp` (`pymongo[ocsp]`:
the cases that staple, run a responder, or expect an ocsp-* reason). Prints one harness
line per case of that mode (harness.py; engine `pymongo` or `pymongo-ocsp`, subject
`scenario/case`): what PyMongo observed, why the case is skipped, or a harness error when
`pkigen serve` could not present the case.

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


class _OcspLog(logging.Handler):
    """Keeps pymongo.ocsp_support's debug messages (OCSP cases run one at a time)."""

    def __init__(self):
        super().__init__(logging.DEBUG)
        self.messages = []

    def emit(self, record):
        self.messages.append(record.getMessage())


OCSP_LOG = _OcspLog()
_ocsp_logger = logging.getLogger("pymongo.ocsp_support")
_ocsp_logger.setLevel(logging.DEBUG)
_ocsp_logger.addHandler(OCSP_LOG)
_ocsp_logger.propagate = False


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


def run_case(pkigen, directory, case):
    if case["client"].get("tls_versions"):
        return harness.skipped("the case pins the client's TLS versions, which PyMongo cannot express")
    serve = subprocess.Popen(
        [pkigen, "serve", directory, "--case", case["name"]],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL, text=True,
    )
    OCSP_LOG.messages = []
    try:
        first = serve.stdout.readline().strip()
        if not first:
            return harness.harness_error(f"pkigen serve printed no address: {serve.stderr.read()}")
        port = first.rsplit(":", 1)[1]
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            try:
                client = MongoClient(served_uri(case, port), **TIMEOUTS)
            except Exception as exc:  # noqa: BLE001 - PyMongo's refusal is the observation
                text = f"{type(exc).__name__}: {exc}"
                return harness.observed("config-error", config_reason(text), text)
        try:
            client.admin.command("ping")
            return harness.observed("accept", None, "ping ok")
        except Exception as exc:  # noqa: BLE001
            text = f"{type(exc).__name__}: {exc}"
            reason, words = reason_in(text, list(OCSP_LOG.messages))
            if OCSP_REFUSAL in text.lower():
                text = f"[pymongo.ocsp_support: {words or 'no message names a reason'}] {text}"
            return harness.observed("reject", reason, text[:600])
        finally:
            client.close()
    finally:
        serve.terminate()
        serve.wait()


def main():
    pkigen, mode, directories = sys.argv[1], sys.argv[2], sys.argv[3:]
    try:
        os.setsid()  # no terminal: OpenSSL must not prompt for a key password
    except OSError:
        pass
    print(json.dumps({"pymongo": pymongo.version, "mode": mode, "has_ocsp": pymongo.ssl_support.HAVE_PYSSL if hasattr(pymongo.ssl_support, "HAVE_PYSSL") else None}), file=sys.stderr)
    for directory in directories:
        directory = os.path.abspath(directory)
        os.chdir(directory)  # the cases' file options are relative to their folder
        with open("manifest.json") as f:
            manifest = json.load(f)
        cases = [c for c in manifest["cases"] if needs_ocsp(c) == (mode == "ocsp")]
        # OCSP cases share their responder's address: one at a time.
        workers = 1 if mode == "ocsp" else 8
        with ThreadPoolExecutor(workers) as pool:
            results = pool.map(lambda c: run_case(pkigen, directory, c), cases)
            for case, result in zip(cases, results):
                harness.emit(ENGINES[mode], harness.case_id(manifest["scenario"], case["name"]), result)


if __name__ == "__main__":
    main()
