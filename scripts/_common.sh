# Shared by scripts/demo.sh and scripts/test.sh. Sourced, not run.
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

apt_install() {
  # apt_install PKG...: install the Debian packages that are missing.
  local missing=()
  for p in "$@"; do dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p"); done
  if [ ${#missing[@]} -gt 0 ]; then
    echo "==> Installing Debian packages: ${missing[*]}"
    as_root apt-get update -qq
    DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
}

make_venv() {
  # make_venv LOCK: a virtualenv in .venv with the locked packages of requirements/LOCK (lock.txt to run,
  # lock-test.txt for the tests too), then Guanxi itself, editable, without resolving anything else.
  # After changing a dependency in pyproject.toml, re-make the locks: bash scripts/lock.sh
  if ! python3 -c 'import ensurepip, venv' 2>/dev/null; then apt_install python3-venv; fi
  [ -x .venv/bin/python ] || python3 -m venv .venv
  echo "==> Installing Python packages into .venv (requirements/$1)"
  pip_quiet install -q --upgrade pip
  pip_quiet install -q -r "requirements/$1"
  pip_quiet install -q --no-deps -e .
  # A dependency added to pyproject.toml but not to the lock shows here, not as an ImportError later.
  if ! problems=$(.venv/bin/python -m pip check 2>&1); then
    echo "$problems" >&2
    echo "requirements/$1 does not match pyproject.toml: run bash scripts/lock.sh and commit the locks" >&2
    exit 1
  fi
  .venv/bin/guanxi version >/dev/null || { echo "Installing Python packages failed" >&2; exit 1; }
}

pip_quiet() {
  # pip_quiet ARGS...: pip in .venv, silent when it works; on failure print everything it said and stop.
  local out
  if ! out=$(.venv/bin/python -m pip "$@" 2>&1); then
    echo "$out" >&2
    echo "pip $* failed" >&2
    exit 1
  fi
}
