#!/bin/sh
# Makes DIR (default: target/pyenv) a virtualenv with PyMongo 4.20.0, the version whose TLS
# option semantics src/policy reproduces, and prints its interpreter's path.
# Needs python3 (with the venv module) and network access to PyPI the first time.
set -eu
dir="${1:-target/pyenv}"
py="$dir/bin/python"
if [ ! -x "$py" ]; then
    python3 -m venv "$dir" >&2
fi
if ! "$py" -c 'import sys, pymongo; sys.exit(pymongo.version != "4.20.0")' 2>/dev/null; then
    "$py" -m pip install --quiet --disable-pip-version-check 'pymongo==4.20.0' >&2
fi
echo "$py"
