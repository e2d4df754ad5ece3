#!/usr/bin/env python3
"""Every case against the real driver: `pkigen serve` presents the case's server side, and
PyMongo connects with the case's own connection string and runs `ping`.

    python interop.py PKIGEN MODE DIR [DIR...]

MODE is `stdlib` (plain `pip install pymongo`: every case that does not involve OCSP — CRL
checking needs it, PyMongo refuses tlsCRLFile with PyOpenSSL) or `ocsp` (`pymongo[ocsp]`:
the cases that staple, run a responder, or expect an ocsp-* reason). Prints one JSON line
per case of that mode:

    {"scenario", "name", "outcome": accept|reject|config-error, "reason", "message"}
    {"scenario", "name", "skipped": "why"}

`reason` is read from PyMongo's error text (OpenSSL's words) where it names one.
"""

import json
import os
import subprocess
import sys
import warnings
from concurrent.futures import ThreadPoolExecutor

import pymongo
from pymongo import MongoClient

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
    ("invalid status response", "ocsp"),  # PyMongo says this for every OCSP refusal
]


def reason_in(text):
    lowered = text.lower()
    for words, reason in WORDS:
        if words in lowered:
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
        return {"skipped": "the case pins the client's TLS versions, which PyMongo cannot express"}
    serve = subprocess.Popen(
        [pkigen, "serve", directory, "--case", case["name"]],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL, text=True,
    )
    try:
        first = serve.stdout.readline().strip()
        if not first:
            return {"outcome": "serve-failed", "reason": None, "message": serve.stderr.read()}
        port = first.rsplit(":", 1)[1]
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            try:
                client = MongoClient(served_uri(case, port), **TIMEOUTS)
            except Exception as exc:  # noqa: BLE001 - PyMongo's refusal is the observation
                return {"outcome": "config-error", "reason": None, "message": f"{type(exc).__name__}: {exc}"}
        try:
            client.admin.command("ping")
            return {"outcome": "accept", "reason": None, "message": "ping ok"}
        except Exception as exc:  # noqa: BLE001
            text = f"{type(exc).__name__}: {exc}"
            return {"outcome": "reject", "reason": reason_in(text), "message": text[:600]}
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
                print(json.dumps({"scenario": manifest["scenario"], "name": case["name"], **result}), flush=True)


if __name__ == "__main__":
    main()
