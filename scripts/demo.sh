#!/usr/bin/env bash
# Install the tool into .venv and run the embedded demo (SQLite, sample data, a bundled demo LMS).
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m venv .venv
. .venv/bin/activate
python -m pip install --quiet --upgrade pip
python -m pip install --quiet -e ".[lti]"
exec career-toolkit demo "$@"
