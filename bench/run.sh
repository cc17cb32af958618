#!/usr/bin/env bash
# The national-scale directory benchmark (DESIGN.md §5), on SQLite then on PostgreSQL.
#
#   bench/run.sh                      # 150,000 services, 100,000 structures, 35,000 communes
#   SERVICES=30000 STRUCTURES=20000 bench/run.sh
#   ENGINES=sqlite bench/run.sh       # or ENGINES=postgresql
#   REPEAT=30 SEARCH_ARGS="--variants" bench/run.sh
#
# Each engine gets a throwaway database (a temporary folder for SQLite, `maillage_bench` on the
# PostgreSQL at PGHOST, created then dropped), filled by bench.generate then searched by
# bench.search. Figures are printed, never asserted: the machine is shared and has 2 cores.
set -euo pipefail
cd "$(dirname "$0")/.."

SERVICES=${SERVICES:-150000}
STRUCTURES=${STRUCTURES:-100000}
COMMUNES=${COMMUNES:-35000}
SEED=${SEED:-1}
REPEAT=${REPEAT:-30}
ENGINES=${ENGINES:-"sqlite postgresql"}
SEARCH_ARGS=${SEARCH_ARGS:-}
PGHOST=${PGHOST:-127.0.0.1}
PGUSER=${PGUSER:-postgres}
PYTHON=${PYTHON:-.venv/bin/python}
export DJANGO_SETTINGS_MODULE=maillage.settings DEBUG=1

# The official list of communes (npm, MIT), unpacked once under /tmp; synthesised without it.
if [ ! -f /tmp/package/data/communes.json ] && command -v npm >/dev/null; then
    (cd /tmp && npm pack --silent @etalab/decoupage-administratif >/dev/null \
        && tar xzf etalab-decoupage-administratif-*.tgz) || echo "no npm package: synthetic communes"
fi

generate() {
    "$PYTHON" -m bench.generate \
        --services "$SERVICES" --structures "$STRUCTURES" --communes "$COMMUNES" --seed "$SEED"
}

search() {
    # shellcheck disable=SC2086 # SEARCH_ARGS is a list of options
    "$PYTHON" -m bench.search --repeat "$REPEAT" $SEARCH_ARGS
}

for engine in $ENGINES; do
    echo "=== $engine ==="
    case $engine in
    sqlite)
        MAILLAGE_VAR_DIR=$(mktemp -d /tmp/maillage-bench.XXXXXX)
        export MAILLAGE_VAR_DIR
        generate
        search
        rm -rf "$MAILLAGE_VAR_DIR"
        unset MAILLAGE_VAR_DIR
        ;;
    postgresql)
        dropdb --if-exists -h "$PGHOST" -U "$PGUSER" maillage_bench
        createdb -h "$PGHOST" -U "$PGUSER" maillage_bench
        export DATABASE_URL="postgres://$PGUSER@$PGHOST:5432/maillage_bench"
        generate
        search
        unset DATABASE_URL
        dropdb -h "$PGHOST" -U "$PGUSER" maillage_bench
        ;;
    *) echo "unknown engine: $engine" >&2 && exit 2 ;;
    esac
done
