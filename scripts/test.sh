#!/usr/bin/env bash
# Install what the tests need (Debian packages, .venv) and run every check and the whole suite,
# on SQLite and then on PostgreSQL. A missing PostgreSQL or browser fails the run; nothing is skipped.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/_common.sh
start=$(date +%s)

apt_install postgresql chromium fonts-noto-cjk libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 \
  poppler-utils gettext
make_venv lock-test.txt

# PostgreSQL: start it when it is not running; make sure we can log in over TCP.
if ! pg_isready -q -h 127.0.0.1 -p 5432; then
  echo "==> Starting PostgreSQL"
  as_root pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | sort -V | tail -1)" main start
  for _ in $(seq 30); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 1; done
fi
PG_URL=${TEST_POSTGRES_URL:-postgres://postgres:postgres@127.0.0.1:5432/guanxi}
if ! psql "${PG_URL%/*}/postgres" -qtAc 'select 1' >/dev/null 2>&1; then
  # A fresh Debian cluster has no password for postgres: give it the one the tests use.
  as_root runuser -u postgres -- psql -qc "ALTER USER postgres PASSWORD 'postgres'" >/dev/null
fi
psql "${PG_URL%/*}/postgres" -qtAc 'select 1' >/dev/null || { echo "PostgreSQL is not reachable at $PG_URL" >&2; exit 1; }
test -x /usr/bin/chromium || { echo "Chromium is missing" >&2; exit 1; }

echo "==> Lint, format, types, import layers, migrations, translations"
.venv/bin/ruff check .
.venv/bin/ruff format --check .
.venv/bin/mypy  # what it checks and why: [tool.mypy] in pyproject.toml
.venv/bin/lint-imports --no-cache
.venv/bin/python manage.py makemigrations --check --dry-run >/dev/null || { echo "Migrations are missing: run makemigrations" >&2; exit 1; }

# The two suites run side by side (two cores: one each); each writes to its own log, shown when it ends.
# What does not depend on the database runs in one of them (GUANXI_TEST_PASS: see conftest.py): the `guanxi`
# command in embedded mode, the browser journeys (but the apps' Chinese ones) and the page tests on the SQLite
# side; the apps' Chinese browser journeys, the apps' API tests and the schemathesis runs of the API on the
# PostgreSQL side. Everything else (services, selectors, core's API) runs on both.
echo "==> Tests on SQLite and on PostgreSQL, side by side"
logs=$(mktemp -d)
env -u DATABASE_URL GUANXI_TEST_PASS=sqlite .venv/bin/pytest -q -p no:randomly "$@" >"$logs/sqlite.log" 2>&1 &
sqlite_pid=$!
DATABASE_URL=$PG_URL GUANXI_TEST_PASS=postgresql .venv/bin/pytest -q -p no:randomly "$@" >"$logs/postgresql.log" 2>&1 &
pg_pid=$!
status=0
wait $sqlite_pid || status=1
echo "==> Tests on SQLite"; cat "$logs/sqlite.log"
wait $pg_pid || status=1
echo "==> Tests on PostgreSQL"; cat "$logs/postgresql.log"
[ $status -eq 0 ] || { echo "==> Tests failed" >&2; exit 1; }
echo "==> All checks passed in $(( $(date +%s) - start ))s"
