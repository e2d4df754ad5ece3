#!/bin/sh
# Makes DIR (default: target/pyenv) a virtualenv with PyMongo 4.20.0, the version whose TLS
# option semantics src/policy reproduces, and pyca/cryptography (to parse OCSP responses),
# and prints its interpreter's path. Deliberately without pyOpenSSL: with it, PyMongo would
# switch to its pyOpenSSL context (pymongo[ocsp]), which refuses tlsCRLFile.
# Needs python3 (with the venv module) and network access to PyPI the first time.
set -eu
dir="${1:-target/pyenv}"
py="$dir/bin/python"
if [ ! -x "$py" ]; then
    python3 -m venv "$dir" >&2
fi
if ! "$py" -c 'import sys, pymongo, cryptography; sys.exit(pymongo.version != "4.20.0" or cryptography.__version__ != "50.0.2")' 2>/dev/null; then
    "$py" -m pip install --quiet --disable-pip-version-check 'pymongo==4.20.0' 'cryptography==50.0.2' >&2
fi
echo "$py"
