#!/bin/sh
# ensure_venv.sh DIR [ocsp|trustme]
# Makes DIR a virtualenv with PyMongo 4.20.1 (the version whose TLS semantics src/policy
# reproduces) and prints its interpreter's path. Without a flavour: plus pyca/cryptography (to
# parse OCSP responses), deliberately without pyOpenSSL — with it PyMongo switches to its
# pyOpenSSL context, which refuses tlsCRLFile — and jsonschema, the validator that holds
# pkigen's JSON to tests/schemas/. With `ocsp`: `pymongo[ocsp]`, as the guide says to install for
# OCSP. With `trustme`: trustme alone, no PyMongo, the baseline of `pkigen-bench throwaway`.
# Needs python3 with venv, and PyPI the first time.
set -eu
dir="${1:-target/pyenv}"
flavour="${2:-plain}"
py="$dir/bin/python"
if [ ! -x "$py" ]; then
    python3 -m venv "$dir" >&2
fi
if [ "$flavour" = trustme ]; then
    check='import sys, importlib.metadata as m; sys.exit(m.version("trustme") != "1.2.1")'
    wanted='trustme==1.2.1'
elif [ "$flavour" = ocsp ]; then
    check='import sys, pymongo, OpenSSL, requests; sys.exit(pymongo.version != "4.20.1")'
    wanted='pymongo[ocsp]==4.20.1'
else
    check='import sys, importlib.metadata as m, pymongo, cryptography, jsonschema; sys.exit(pymongo.version != "4.20.1" or cryptography.__version__ != "50.0.2" or m.version("jsonschema") != "4.26.0")'
    wanted='pymongo==4.20.1 cryptography==50.0.2 jsonschema==4.26.0'
fi
if ! "$py" -c "$check" 2>/dev/null; then
    # shellcheck disable=SC2086 # several requirement words on purpose
    "$py" -m pip install --quiet --disable-pip-version-check $wanted >&2
fi
echo "$py"
