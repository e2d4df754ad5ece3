#!/usr/bin/env python3
"""Connects each case's client, as PyMongo builds it, to a server already running for the case.

    python mongod_clients.py SERVERS.json DIR [DIR...]     (each DIR holds a pkigen manifest.json)

SERVERS.json maps `scenario/case` to `host:port`: a server started from the files the case's
mongod command line names (`openssl s_server -rev`, which answers a line with the line
reversed). For each case the client context is PyMongo's own: MongoClient(case URI,
connect=False) parses the options and loads the files, and a pin beyond PyMongo's options is
applied as in ssl_cases.py. The client sends `ping` and must read `gnip` back. Prints one
harness line per case (harness.py; engine `openssl`, subject `scenario/case`): what OpenSSL
observed, the reason named as ssl_cases.py names it. A case without a server in the map is
a harness error: every case is run.
"""

import json
import os
import socket
import ssl
import sys

import harness
from ssl_cases import ENGINE, TIMEOUT, client_context, reason_of


def run_case(case, address):
    ctx, refused = client_context(case)
    if refused:
        return refused
    host, port = address.rsplit(":", 1)
    try:
        with socket.create_connection((host, int(port)), timeout=TIMEOUT) as raw:
            with ctx.wrap_socket(raw, server_hostname=case["client"]["host"]) as tls:
                tls.sendall(b"ping\n")
                answer = b""
                while len(answer) < 5:
                    chunk = tls.recv(5 - len(answer))
                    if not chunk:
                        break
                    answer += chunk
                if answer != b"gnip\n":
                    raise ssl.SSLError(f"the server answered {answer!r}, not b'gnip\\n'")
        return harness.observed("accept", None, "handshake completed and data exchanged")
    except (OSError, ssl.SSLError) as exc:
        return harness.observed("reject", reason_of(exc), f"{type(exc).__name__}: {exc}")


def main():
    # No controlling terminal: OpenSSL must fail, not prompt, for a missing key password.
    try:
        os.setsid()
    except OSError:
        pass
    with open(sys.argv[1]) as f:
        servers = json.load(f)
    for directory in sys.argv[2:]:
        os.chdir(os.path.abspath(directory))
        with open("manifest.json") as f:
            manifest = json.load(f)
        for case in manifest["cases"]:
            subject = harness.case_id(manifest["scenario"], case["name"])
            address = servers.get(subject)
            if address is None:
                result = harness.harness_error("no server was started for this case")
            else:
                result = run_case(case, address)
            harness.emit(ENGINE, subject, result)


if __name__ == "__main__":
    main()
