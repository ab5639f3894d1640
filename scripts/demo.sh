#!/usr/bin/env bash
# Install Guanxi into .venv, load the bilingual demo into ./data (SQLite), print the logins, serve :8000.
# A background worker (tasks such as exports, and the scheduled jobs) runs beside the server; Ctrl+C stops
# both, and the worker stops when the server does.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/_common.sh
# Printable documents (WeasyPrint): Pango and the Chinese fonts.
apt_install libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-noto-cjk
make_venv lock.txt
.venv/bin/guanxi demo "$@"
.venv/bin/guanxi worker &
worker=$!
.venv/bin/guanxi serve &
server=$!
trap 'kill "$server" "$worker" 2>/dev/null || true; wait || true' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
wait "$server"
