#!/usr/bin/env bash
# Set up everything, then run the whole test suite (replay tests and the real embedded-model test).
# Extra arguments go to pytest, e.g. scripts/test.sh -m "not model" for the fast tests only.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec .venv/bin/python -m pytest "$@"
