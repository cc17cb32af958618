#!/usr/bin/env bash
# Runs the Maillage demo on this machine: http://127.0.0.1:8000 (PORT=8080 to change the port).
# Creates .venv and installs what is needed on the first run, migrates the SQLite database
# under var/ (or DATABASE_URL's), loads the demo data (it prints the demo logins), then serves.
set -euo pipefail

# shellcheck source=scripts/_python.sh
. "$(dirname "${BASH_SOURCE[0]}")/_python.sh"

export DEBUG="${DEBUG:-1}"
export EMAIL_URL="${EMAIL_URL:-consolemail://}"
export SECRET_KEY="${SECRET_KEY:-demo-only-secret-key-never-use-in-production-0123456789}"
port="${PORT:-8000}"

if [ -n "${DATABASE_URL:-}" ]; then
  echo "Database: DATABASE_URL=$(printf '%s' "$DATABASE_URL" | sed -E 's#(://[^:/@]*):[^@]*@#\1:***@#')"
else
  echo "Database: SQLite under var/"
fi

maillage migrate --noinput
maillage collectstatic --noinput
maillage demo-data

echo "Maillage demo: http://127.0.0.1:${port}/ (Ctrl+C to stop)"
exec maillage serve --bind "127.0.0.1:${port}"
