#!/usr/bin/env python3
"""What PyMongo makes of TLS options, for cross-checking pkigen's `policy` module.

Reads JSON lines from stdin, each {"uri": "..."} or {"options": {...}} (MongoClient keyword
arguments; both keys together means MongoClient(uri, **options)), and prints one harness
line per input, in order (harness.py; engine `pymongo`, no subject): a `policy` result
(whether PyMongo would use TLS, what it verifies, the warnings it emitted) or a
`policy-error` (the exception's class name and str(exc), and the warnings emitted first).
Each warning is written as Python prints it, `Category: message` (`UserWarning: ...`).

The interpreter runs with PYTHONHASHSEED=0 (the script re-executes itself under it): a few
PyMongo messages list a frozenset, whose order depends on the hash seed, and seed 0 is the
order pkigen prints.

Nothing connects: MongoClient(..., connect=False). For mongodb+srv URIs the DNS lookup is
replaced by a resolver that returns the name itself and no TXT record, and the client's
SRV resolution step is run, so the result includes its `tls=true` default.
File options are opened by PyMongo, so paths must exist (a missing file is reported as
the FileNotFoundError PyMongo raises).
"""

import json
import os
import ssl
import sys
import warnings

import pymongo
import pymongo.synchronous.uri_parser as uri_parser
from pymongo import MongoClient

import harness


class _NoDnsResolver(uri_parser._SrvResolver):
    """The real resolver's constructor checks, without DNS."""

    def get_hosts(self):
        return [(self._SrvResolver__fqdn, 27017)]

    def get_options(self):
        return None


uri_parser._SrvResolver = _NoDnsResolver


def describe(client):
    """(tls, verify_certificates, verify_hostname, ocsp_endpoint_check) of a client."""
    pool = client.options.pool_options
    ctx = pool._ssl_context
    opts = client.options._ClientOptions__options
    if ctx is None:
        return False, False, False, False
    verify = ctx.verify_mode == ssl.CERT_REQUIRED
    # The stdlib context has no check_ocsp_endpoint (only PyOpenSSL's does); PyMongo sets
    # it to `not tlsDisableOCSPEndpointCheck`, so read the option where the attribute is missing.
    ocsp = getattr(ctx, "check_ocsp_endpoint", None)
    if ocsp is None:
        ocsp = not opts.get("tlsdisableocspendpointcheck", False)
    return True, verify, bool(ctx.check_hostname), bool(ocsp) and verify


def check(case):
    uri = case.get("uri")
    kwargs = dict(case.get("options") or {})
    kwargs["connect"] = False
    client = None
    answer = None
    error = None
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            client = MongoClient(uri if uri is not None else "localhost", **kwargs)
            if uri is not None and uri.startswith("mongodb+srv://"):
                client._resolve_srv()
            answer = describe(client)
        except Exception as exc:  # noqa: BLE001 - every exception is an answer here
            error = exc
        finally:
            if client is not None:
                client.close()
    emitted = [
        f"{w.category.__name__}: {w.message}"
        for w in caught
        if not issubclass(w.category, ResourceWarning)
    ]
    if error is not None:
        return harness.policy_error(type(error).__name__, str(error), emitted)
    return harness.policy(*answer, emitted)


def main():
    if os.environ.get("PYTHONHASHSEED") != "0":
        os.execve(sys.executable, [sys.executable, *sys.argv], {**os.environ, "PYTHONHASHSEED": "0"})
    # No controlling terminal: for an encrypted key without a password, OpenSSL must fail
    # rather than prompt (PyMongo then raises OSError EINVAL, which is the answer).
    try:
        os.setsid()
    except OSError:
        pass
    if pymongo.version != "4.20.1":
        print(f"warning: PyMongo {pymongo.version}, expected 4.20.1", file=sys.stderr)
    for line in sys.stdin:
        if not line.strip():
            continue
        harness.emit("pymongo", None, check(json.loads(line)))


if __name__ == "__main__":
    main()
