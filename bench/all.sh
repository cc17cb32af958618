#!/usr/bin/env bash
# Every DESIGN.md §5 figure in one run, on SQLite then on PostgreSQL, printed as one table
# (bench/summary.py) after each benchmark's own output:
#
#   bench/all.sh                         # national scale: 150,000 services
#   SERVICES=20000 STRUCTURES=15000 IMPORT_SERVICES=20000 bench/all.sh     # smaller
#   ENGINES=sqlite bench/all.sh
#
# Per engine: bench.generate (the national-scale directory), bench.search (search, naive
# baseline, search page), bench.guide (printed guide of 300 services), bench.dashboard (10 years
# of trainings), bench.load (gunicorn 2 workers under wrk, trivial view as reference: the
# Angers demo is loaded on top of the national data), bench.imports (150,000 services imported
# twice); and bench.page_weight once (Chromium, on the SQLite database). Each engine works on
# throwaway databases (a temporary folder; `maillage_bench*` on the PostgreSQL at PGHOST,
# created then dropped). Needs wrk and chromium (Debian packages). Figures are printed, never
# asserted: the machine is shared.
set -euo pipefail
cd "$(dirname "$0")/.."

SERVICES=${SERVICES:-150000}
STRUCTURES=${STRUCTURES:-100000}
COMMUNES=${COMMUNES:-35000}
IMPORT_SERVICES=${IMPORT_SERVICES:-150000}
REPEAT=${REPEAT:-30}
LOAD_SECONDS=${LOAD_SECONDS:-15}
ENGINES=${ENGINES:-"sqlite postgresql"}
PGHOST=${PGHOST:-127.0.0.1}
PGUSER=${PGUSER:-postgres}
PYTHON=${PYTHON:-.venv/bin/python}
export DJANGO_SETTINGS_MODULE=maillage.settings DEBUG=1
BENCH_SUMMARY=$(mktemp /tmp/maillage-bench-summary.XXXXXX)
export BENCH_SUMMARY

if [ ! -f /tmp/package/data/communes.json ] && command -v npm >/dev/null; then
    (cd /tmp && npm pack --silent @etalab/decoupage-administratif >/dev/null \
        && tar xzf etalab-decoupage-administratif-*.tgz) || echo "no npm package: synthetic communes"
fi

national() {
    "$PYTHON" -m bench.generate \
        --services "$SERVICES" --structures "$STRUCTURES" --communes "$COMMUNES" --seed 1
    "$PYTHON" -m bench.search --repeat "$REPEAT"
    "$PYTHON" -m bench.guide --services 300 --repeat 5
    "$PYTHON" -m bench.dashboard --repeat "$REPEAT"
    "$PYTHON" -m bench.load --duration "$LOAD_SECONDS"
}

for engine in $ENGINES; do
    echo "=== $engine ==="
    case $engine in
    sqlite)
        MAILLAGE_VAR_DIR=$(mktemp -d /tmp/maillage-bench.XXXXXX)
        export MAILLAGE_VAR_DIR
        national
        "$PYTHON" -m bench.page_weight
        rm -rf "$MAILLAGE_VAR_DIR"
        unset MAILLAGE_VAR_DIR
        "$PYTHON" -m bench.imports --services "$IMPORT_SERVICES"
        ;;
    postgresql)
        dropdb --if-exists -h "$PGHOST" -U "$PGUSER" maillage_bench
        createdb -h "$PGHOST" -U "$PGUSER" maillage_bench
        export DATABASE_URL="postgres://$PGUSER@$PGHOST:5432/maillage_bench"
        national
        unset DATABASE_URL
        dropdb -h "$PGHOST" -U "$PGUSER" maillage_bench
        "$PYTHON" -m bench.imports --services "$IMPORT_SERVICES" \
            --database-url "postgres://$PGUSER@$PGHOST:5432/maillage_bench_import"
        ;;
    *) echo "unknown engine: $engine" >&2 && exit 2 ;;
    esac
done

echo
echo "=== Summary: DESIGN.md §5 ==="
"$PYTHON" -m bench.summary "$BENCH_SUMMARY"
rm -f "$BENCH_SUMMARY"
