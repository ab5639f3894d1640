#!/usr/bin/env bash
# Install Guanxi into .venv, load the bilingual demo into ./data (SQLite), print the logins, serve :8000.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/_common.sh
make_venv lock.txt
.venv/bin/guanxi demo "$@"
exec .venv/bin/guanxi serve
