#!/usr/bin/env bash
# Set up everything, then extract data/articles into summit.db with the embedded model.
# Extra arguments go to `summit-extract run`, e.g. scripts/extract.sh --db other.db
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec .venv/bin/summit-extract run data/articles --db summit.db "$@"
