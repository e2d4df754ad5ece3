#!/usr/bin/env python3
"""Runs every case of pkigen manifests through OpenSSL, as PyMongo would use it.

    python ssl_cases.py DIR [DIR...]     (each DIR holds a pkigen manifest.json)

For each case the client context is PyMongo's own: MongoClient(case URI, connect=False)
builds it (option parsing, conflicts, load_cert_chain with the password), and a Python ssl
server on 127.0.0.1 presents the case's server side (chain, key, required client CA, TLS
versions). The client wraps the socket as PyMongo's pool does (server_hostname=host) and
exchanges one message. Prints one harness line per case (harness.py; engine `openssl`,
subject `scenario/case`): what OpenSSL observed, with the reason named in pkigen's
vocabulary from OpenSSL's own verify code or alert so the two engines can be compared
reason by reason, or why the case is skipped. Needs no MongoDB server and no
pkigen code: only the manifest and the files.
"""

import errno
import json
import os
import socket
import ssl
import sys
import threading
import warnings

from pymongo import MongoClient

import harness

ENGINE = "openssl"

TIMEOUT = 10

# OpenSSL X509_V_ERR_* codes, as Python's SSLCertVerificationError.verify_code reports them.
VERIFY_CODES = {
    9: "not-yet-valid",
    10: "expired",
    18: "unknown-issuer",  # self-signed certificate
    19: "unknown-issuer",  # self-signed certificate in chain
    20: "unknown-issuer",  # unable to get local issuer certificate
    21: "unknown-issuer",  # unable to verify the first certificate
    2: "unknown-issuer",  # unable to get issuer certificate
    26: "invalid-purpose",
    23: "revoked",
    12: "crl-expired",
    3: "crl-untrusted",  # unable to get certificate CRL
    62: "hostname-mismatch",
    64: "hostname-mismatch",  # IP address mismatch
}

# OpenSSL reason strings (SSLError.reason) seen by the client.
ALERTS = {
    "TLSV13_ALERT_CERTIFICATE_REQUIRED": "client-cert-required",
    "SSLV3_ALERT_HANDSHAKE_FAILURE": "no-shared-cipher",
    "TLSV1_ALERT_UNKNOWN_CA": "client-cert-untrusted",
    "SSLV3_ALERT_BAD_CERTIFICATE": "client-cert-untrusted",
    "TLSV1_ALERT_PROTOCOL_VERSION": "protocol-version",
    "UNSUPPORTED_PROTOCOL": "protocol-version",
    "NO_PROTOCOLS_AVAILABLE": "protocol-version",
}

# IANA names (the manifest's) → OpenSSL's, for the suites pkigen restricts servers to.
OPENSSL_SUITE_NAMES = {
    "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384": "ECDHE-RSA-AES256-GCM-SHA384",
    "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384": "ECDHE-ECDSA-AES256-GCM-SHA384",
}

VERSIONS = {"1.2": ssl.TLSVersion.TLSv1_2, "1.3": ssl.TLSVersion.TLSv1_3}


def server_context(case):
    server = case["server"]
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(server["certificate_chain"], server["private_key"])
    versions = [VERSIONS[v] for v in server["tls_versions"]]
    ctx.minimum_version, ctx.maximum_version = min(versions), max(versions)
    if server.get("cipher_suites"):
        ctx.set_ciphers(":".join(OPENSSL_SUITE_NAMES[name] for name in server["cipher_suites"]))
    if server.get("client_ca"):
        ctx.verify_mode = ssl.CERT_REQUIRED
        ctx.load_verify_locations(server["client_ca"])
    return ctx


def serve_once(listener, ctx):
    try:
        conn, _ = listener.accept()
    except OSError:
        return
    conn.settimeout(TIMEOUT)
    tls = ctx.wrap_socket(conn, server_side=True, do_handshake_on_connect=False)
    try:
        tls.do_handshake()
        if tls.recv(5) == b"ping\n":
            tls.sendall(b"pong\n")
    except (OSError, ssl.SSLError):
        # The client's view is the observation. Close gently: closing with the client's
        # data unread makes the kernel send a reset that can overtake the TLS alert.
        try:
            tls.shutdown(socket.SHUT_WR)
            tls.settimeout(1)
            while socket.socket.recv(tls, 4096):
                pass
        except OSError:
            pass
    finally:
        tls.close()


def reason_of(exc):
    if isinstance(exc, ssl.SSLCertVerificationError):
        return VERIFY_CODES.get(exc.verify_code, "other")
    if isinstance(exc, ssl.SSLError):
        return ALERTS.get(exc.reason, "other")
    return "other"


def config_reason(exc):
    text = str(exc)
    if "Private key doesn't match certificate" in text:
        # PyMongo wraps every load_cert_chain failure in this one message; OpenSSL's part
        # tells a key that does not match from one it could not decrypt.
        return "key-mismatch" if "KEY_VALUES_MISMATCH" in text else "bad-password"
    if isinstance(exc, OSError) and exc.errno == errno.EINVAL:
        # No password for an encrypted key: PyMongo lets OpenSSL prompt for one, and with no
        # terminal to prompt on, load_cert_chain fails with EINVAL (not an SSLError, so
        # PyMongo does not wrap it in a ConfigurationError).
        return "bad-password"
    if isinstance(exc, (FileNotFoundError, IsADirectoryError)) or "NO_CERTIFICATE_OR_CRL_FOUND" in text:
        return "unreadable-file"
    return "invalid-options"


def unsupported(case):
    """Why this harness cannot judge a case, or None. Python's ssl cannot staple on the
    server side, and PyMongo without pymongo[ocsp] ignores OCSP: OCSP cases are judged by
    pkigen's validator and by openssl ocsp here, and by PyMongo with pymongo[ocsp] in the
    interop suite."""
    server = case["server"]
    reason = case["expect"].get("reason") or ""
    if server.get("ocsp_staple") or server.get("ocsp_responder") or reason.startswith("ocsp-"):
        return "OCSP: needs a stapling server and pymongo[ocsp]"
    return None


def client_context(case):
    """PyMongo's SSLContext for the case, or the observation of PyMongo refusing its options."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            client = MongoClient(case["client"]["uri"], connect=False)
        except Exception as exc:  # noqa: BLE001 - PyMongo's refusal is the observation
            return None, harness.observed("config-error", config_reason(exc), f"{type(exc).__name__}: {exc}")
    ctx = client.options.pool_options._ssl_context
    client.close()
    if ctx is None:
        return None, harness.observed("reject", "other", "PyMongo would not use TLS")
    if case["client"].get("tls_versions"):
        pinned = [VERSIONS[v] for v in case["client"]["tls_versions"]]
        ctx.minimum_version, ctx.maximum_version = min(pinned), max(pinned)
    return ctx, None


def run_case(case):
    ctx, refused = client_context(case)
    if refused:
        return refused

    listener = socket.create_server(("127.0.0.1", 0))
    listener.settimeout(TIMEOUT)
    server = threading.Thread(target=serve_once, args=(listener, server_context(case)), daemon=True)
    server.start()
    try:
        with socket.create_connection(listener.getsockname(), timeout=TIMEOUT) as raw:
            with ctx.wrap_socket(raw, server_hostname=case["client"]["host"]) as tls:
                tls.sendall(b"ping\n")
                if tls.recv(5) != b"pong\n":
                    raise ssl.SSLError("connection closed without a response")
        return harness.observed("accept", None, "handshake completed and data exchanged")
    except (OSError, ssl.SSLError) as exc:
        return harness.observed("reject", reason_of(exc), f"{type(exc).__name__}: {exc}")
    finally:
        server.join(TIMEOUT)
        listener.close()


def main():
    # No controlling terminal: OpenSSL must fail, not prompt, for a missing key password.
    try:
        os.setsid()
    except OSError:
        pass
    for directory in sys.argv[1:]:
        os.chdir(os.path.abspath(directory))
        with open("manifest.json") as f:
            manifest = json.load(f)
        for case in manifest["cases"]:
            why = unsupported(case)
            result = harness.skipped(why) if why else run_case(case)
            harness.emit(ENGINE, harness.case_id(manifest["scenario"], case["name"]), result)


if __name__ == "__main__":
    main()
