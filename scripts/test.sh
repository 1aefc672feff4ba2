#!/usr/bin/env bash
# Install everything from scratch into .venv, then run the quality gates and the whole suite,
# first on SQLite (the embedded default) and again on PostgreSQL (production).
set -euo pipefail
cd "$(dirname "$0")/.."

# Browser tests drive Debian's Chromium through Playwright; never a downloaded browser.
if [ ! -x /usr/bin/chromium ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "== installing Debian's chromium for the browser tests"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    echo "!! /usr/bin/chromium is missing (apt-get install chromium): browser tests will skip here, fail in CI"
  fi
fi

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
lint-imports --no-cache

echo "== tests on SQLite"
python -m pytest -q -n 2 --dist loadfile
echo "== tests on PostgreSQL (every test that touches the database)"
CAREER_TOOLKIT_TEST_DATABASE=postgresql python -m pytest -q -n 2 --dist loadfile -m "not browser" \
  $(ls -d tests/*/ | grep -v -e tests/core/ -e tests/xblocks/ -e tests/browser/ -e __pycache__)
