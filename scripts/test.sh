#!/usr/bin/env bash
# Runs the whole Maillage test suite on this machine: lint, migrations check, pytest (on every
# core, with pytest-xdist).
#   scripts/test.sh                       on SQLite (in memory)
#   DATABASE_URL=postgres://postgres@127.0.0.1:5432/maillage scripts/test.sh
#   REDIS_URL=redis://127.0.0.1:6379 scripts/test.sh        the cache in Redis, not the database
#   scripts/test.sh -k quick_exit -x      arguments go to pytest (-n0: one process)
#   MAILLAGE_TEST_CHECKS=0 scripts/test.sh -m "not engine_independent"
#                                         pytest alone, the tests that depend on the database
#   MAILLAGE_CLOCK_SHIFT_DAYS=400 scripts/test.sh -m clock    the date-sensitive tests, 400 days on
# As root it installs the Debian packages the browser and PDF tests need (Chromium, Pango...).
set -euo pipefail

debian_packages=(chromium fonts-dejavu-core libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0
  poppler-utils)

# The dynamic loader's list of shared libraries (read once; grep -q on a pipe would SIGPIPE).
loader_cache=$("$(command -v ldconfig || echo /sbin/ldconfig)" -p 2>/dev/null || true)
# True when the shared library $1 (e.g. libpango-1.0.so.0) is known to the dynamic loader.
has_lib() {
  grep -qF "$1 " <<<"$loader_cache"
}

system_missing() {
  [ -x /usr/bin/chromium ] || return 0
  has_lib libpango-1.0.so.0 || return 0
  has_lib libpangoft2-1.0.so.0 || return 0
  has_lib libharfbuzz-subset.so.0 || return 0
  [ -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || return 0
  command -v pdftotext >/dev/null 2>&1 || return 0
  return 1
}

if system_missing; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "Installing Debian packages for the browser and PDF tests: ${debian_packages[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq </dev/null
    apt-get install -y -qq --no-install-recommends "${debian_packages[@]}" </dev/null >/dev/null
  else
    {
      echo "WARNING: Chromium, WeasyPrint's libraries, DejaVu fonts or poppler-utils are missing;"
      echo "the browser and PDF tests will fail. On Debian or Ubuntu, install them with:"
      echo "  sudo apt-get install --no-install-recommends ${debian_packages[*]}"
    } >&2
  fi
fi

# shellcheck source=scripts/_python.sh
. "$(dirname "${BASH_SOURCE[0]}")/_python.sh"

if [ -n "${DATABASE_URL:-}" ]; then
  echo "Database: DATABASE_URL=$(printf '%s' "$DATABASE_URL" | sed -E 's#(://[^:/@]*):[^@]*@#\1:***@#')"
else
  echo "Database: SQLite (DATABASE_URL is not set)"
fi

started=$SECONDS
# The checks that do not depend on the database (MAILLAGE_TEST_CHECKS=0 skips them: CI runs them
# once, with the SQLite run).
if [ "${MAILLAGE_TEST_CHECKS:-1}" != 0 ]; then
  echo "== ruff check"
  ruff check .
  echo "== ruff format --check"
  ruff format --check .
  echo "== bandit (medium and high severity)"
  # False positives carry "# nosec BXXX" with the reason on their line; bandit then warns of
  # every other node of that line ("nosec encountered ... but no failed test"): dropped.
  bandit --quiet --recursive maillage --severity-level medium \
    2> >(grep -v "nosec encountered" >&2)
  echo "== makemigrations --check"
  SECRET_KEY="makemigrations-check-only-not-a-real-key" EMAIL_URL="${EMAIL_URL:-console://}" \
    maillage makemigrations --check --dry-run
fi
# pa11y and the MDN HTTP Observatory scanner (package.json), installed again only when
# package-lock.json is newer than the last install. --ignore-scripts: no browser download and
# no postinstall; the scanner's HSTS preload list, which its postinstall downloads, is replaced
# offline by an empty JSON object (no host preloaded, true of the local server it scans).
echo "== npm ci (pa11y, MDN HTTP Observatory)"
npm_stamp=node_modules/.package-lock.json # written by npm ci
if [ ! -f "$npm_stamp" ] || [ package-lock.json -nt "$npm_stamp" ]; then
  if command -v npm >/dev/null 2>&1; then
    PUPPETEER_SKIP_DOWNLOAD=1 npm ci --ignore-scripts --no-audit --no-fund
  else
    echo "WARNING: npm (Node 20 or newer) is missing: the pa11y and Observatory tests will fail." >&2
  fi
fi
observatory_conf=node_modules/@mdn/mdn-http-observatory/conf
if [ -d "$observatory_conf" ] && [ ! -f "$observatory_conf/hsts-preload.json" ]; then
  echo '{}' >"$observatory_conf/hsts-preload.json"
fi
# pytest on every core (pytest-xdist: one process per core, each with its own test database;
# --dist loadfile: a file's tests on one worker, so a costly module fixture, such as the
# accessibility crawl of every page, is built once), the 25 slowest steps listed at the end.
# MAILLAGE_TEST_WORKERS=0 runs in this process alone.
echo "== pytest"
status=0
pytest -n "${MAILLAGE_TEST_WORKERS:-auto}" --dist loadfile --durations=25 "$@" || status=$?
echo "== scripts/test.sh: $((SECONDS - started)) s"
exit "$status"
