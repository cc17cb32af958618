#!/usr/bin/env bash
# Every DESIGN.md §5 figure in one run, on SQLite then on PostgreSQL, printed as one table
# (bench/summary.py) after each benchmark's own output:
#
#   bench/all.sh                         # national scale: 150,000 services
#   SERVICES=20000 STRUCTURES=15000 IMPORT_SERVICES=20000 bench/all.sh     # smaller
#   ENGINES=sqlite bench/all.sh
#
# Per engine: bench.guide (printed guide of 300 services, on a database of its own), then on
# the national-scale directory of bench.generate: bench.search (search, naive baseline, search
# page), bench.guide again (for information: every territory's guide there also lists the
# national services), bench.dashboard (10 years of trainings), bench.load (gunicorn 2 workers
# under wrk, trivial view as reference: the Angers demo is loaded on top of the national data);
# then bench.imports (150,000 services imported twice); and bench.page_weight once (Chromium, on
# the SQLite database). Each engine works on throwaway databases (a temporary folder;
# `$BENCH_DB`, `${BENCH_DB}_guide` and `${BENCH_DB}_import`, by default `maillage_bench*`, on
# the PostgreSQL at PGHOST, created then dropped; the name must contain "bench"). Needs wrk and
# chromium (Debian packages). Figures are printed, never asserted: the machine is shared.
set -euo pipefail
cd "$(dirname "$0")/.."

SERVICES=${SERVICES:-150000}
STRUCTURES=${STRUCTURES:-100000}
COMMUNES=${COMMUNES:-35000}
IMPORT_SERVICES=${IMPORT_SERVICES:-150000}
REPEAT=${REPEAT:-30}
LOAD_SECONDS=${LOAD_SECONDS:-15}
PORT=${PORT:-8791}  # gunicorn of bench.load (bench.page_weight: PORT + 2)
ENGINES=${ENGINES:-"sqlite postgresql"}
PGHOST=${PGHOST:-127.0.0.1}
PGUSER=${PGUSER:-postgres}
BENCH_DB=${BENCH_DB:-maillage_bench}  # PostgreSQL: BENCH_DB, then BENCH_DB_import (dropped)
PYTHON=${PYTHON:-.venv/bin/python}
export DJANGO_SETTINGS_MODULE=maillage.settings DEBUG=1
KEEP_SUMMARY=${BENCH_SUMMARY:+1}  # a file named by the caller is kept (figures appended)
BENCH_SUMMARY=${BENCH_SUMMARY:-$(mktemp /tmp/maillage-bench-summary.XXXXXX)}
export BENCH_SUMMARY

if [ ! -f /tmp/package/data/communes.json ] && command -v npm >/dev/null; then
    (cd /tmp && npm pack --silent @etalab/decoupage-administratif >/dev/null \
        && tar xzf etalab-decoupage-administratif-*.tgz) || echo "no npm package: synthetic communes"
fi

FAILED=()
step() {
    # One benchmark; a failure is reported at the end instead of stopping the others.
    echo "--- $* ($(date -u +%H:%M:%S) UTC, load average $(cut -d' ' -f1 /proc/loadavg))"
    "$@" || FAILED+=("$engine: $*")
}

guide_alone() {
    # The §5 guide of 300 services, on a database of its own: on the national one, every
    # territory's guide also lists the 330 national services (bench.guide prints it there too,
    # for information).
    case $engine in
    sqlite)
        local folder
        folder=$(mktemp -d /tmp/maillage-bench-guide.XXXXXX)
        MAILLAGE_VAR_DIR=$folder step "$PYTHON" -m bench.guide --services 300 --repeat 5
        rm -rf "$folder"
        ;;
    postgresql)
        dropdb --if-exists -h "$PGHOST" -U "$PGUSER" "${BENCH_DB}_guide"
        createdb -h "$PGHOST" -U "$PGUSER" "${BENCH_DB}_guide"
        DATABASE_URL="postgres://$PGUSER@$PGHOST:5432/${BENCH_DB}_guide" \
            step "$PYTHON" -m bench.guide --services 300 --repeat 5
        dropdb -h "$PGHOST" -U "$PGUSER" "${BENCH_DB}_guide"
        ;;
    esac
}

national() {
    step "$PYTHON" -m bench.generate \
        --services "$SERVICES" --structures "$STRUCTURES" --communes "$COMMUNES" --seed 1
    step "$PYTHON" -m bench.search --repeat "$REPEAT"
    step "$PYTHON" -m bench.guide --services 300 --repeat 5
    step "$PYTHON" -m bench.dashboard --repeat "$REPEAT"
    step "$PYTHON" -m bench.load --duration "$LOAD_SECONDS" --port "$PORT"
}

for engine in $ENGINES; do
    echo "=== $engine ==="
    guide_alone
    case $engine in
    sqlite)
        MAILLAGE_VAR_DIR=$(mktemp -d /tmp/maillage-bench.XXXXXX)
        export MAILLAGE_VAR_DIR
        national
        step "$PYTHON" -m bench.page_weight --port $((PORT + 2))
        rm -rf "$MAILLAGE_VAR_DIR"
        unset MAILLAGE_VAR_DIR
        step "$PYTHON" -m bench.imports --services "$IMPORT_SERVICES"
        ;;
    postgresql)
        dropdb --if-exists -h "$PGHOST" -U "$PGUSER" "$BENCH_DB"
        createdb -h "$PGHOST" -U "$PGUSER" "$BENCH_DB"
        export DATABASE_URL="postgres://$PGUSER@$PGHOST:5432/$BENCH_DB"
        national
        unset DATABASE_URL
        dropdb -h "$PGHOST" -U "$PGUSER" "$BENCH_DB"
        step "$PYTHON" -m bench.imports --services "$IMPORT_SERVICES" \
            --database-url "postgres://$PGUSER@$PGHOST:5432/${BENCH_DB}_import"
        ;;
    *) echo "unknown engine: $engine" >&2 && exit 2 ;;
    esac
done

echo
echo "=== Summary: DESIGN.md §5 ==="
echo "Machine: $(nproc) cores, load average at the end $(cut -d' ' -f1-3 /proc/loadavg)"
"$PYTHON" -m bench.summary "$BENCH_SUMMARY"
[ -n "$KEEP_SUMMARY" ] || rm -f "$BENCH_SUMMARY"
if [ ${#FAILED[@]} -gt 0 ]; then
    printf 'FAILED: %s\n' "${FAILED[@]}"
    exit 1
fi
