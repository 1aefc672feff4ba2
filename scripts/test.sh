#!/usr/bin/env bash
# Install everything from scratch into .venv, then run the quality gates and the whole suite,
# first on SQLite (the embedded default) and again on PostgreSQL (production).
set -euo pipefail
cd "$(dirname "$0")/.."

python3 -m venv .venv
. .venv/bin/activate
python -m pip install --quiet --upgrade pip
python -m pip install --quiet -e ".[dev]"

echo "== ruff"
ruff check .
ruff format --check .
echo "== mypy"
mypy
echo "== architecture: the dependency arrows"
python -m pytest -q -p no:cacheprovider tests/test_architecture.py

echo "== tests on SQLite"
python -m pytest -q -n 2 --dist loadfile
echo "== tests on PostgreSQL"
CAREER_TOOLKIT_TEST_DATABASE=postgresql python -m pytest -q -n 2 --dist loadfile
