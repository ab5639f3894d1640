#!/usr/bin/env bash
# Re-make the lock files from pyproject.toml after changing a dependency (Python 3.11, Linux):
#   requirements/lock.txt       what Guanxi needs to run (scripts/demo.sh installs it)
#   requirements/lock-test.txt  plus the test and bench extras (scripts/test.sh installs it)
# Versions already locked are kept when they still fit; `bash scripts/lock.sh --upgrade` takes the newest.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/python -m pip install -q "pip-tools>=7.4,<8" 2>&1 | grep -v WARNING || true
compile() {
  .venv/bin/pip-compile --quiet --strip-extras --no-emit-index-url --no-emit-find-links --allow-unsafe \
    --no-header "$@" pyproject.toml
}
compile --output-file requirements/lock.txt "$@"
compile --extra test --extra bench --output-file requirements/lock-test.txt "$@"
for f in requirements/lock.txt requirements/lock-test.txt; do
  { echo "# Made by \`bash scripts/lock.sh\` from pyproject.toml for Python 3.11 on Linux: do not edit by hand."
    cat "$f"; } > "$f.tmp" && mv "$f.tmp" "$f"
done
echo "Locked: requirements/lock.txt, requirements/lock-test.txt"
