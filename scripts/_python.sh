# shellcheck shell=bash
# Sourced by scripts/demo.sh and scripts/test.sh (never run directly):
#   - finds a Python >= 3.12 (Django 6 needs it);
#   - creates .venv with it when .venv is missing or holds an older Python;
#   - installs the project with its test extras from requirements.lock (exact versions and file
#     hashes; see _maillage_install), again only when pyproject.toml or requirements.lock has
#     changed since the last install;
#   - puts .venv/bin first on PATH, and moves to the repository root.
# Set MAILLAGE_PYTHON=/path/to/python3.13 to choose the interpreter yourself.

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  echo "scripts/_python.sh is meant to be sourced: use scripts/demo.sh or scripts/test.sh." >&2
  exit 2
fi

MAILLAGE_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export MAILLAGE_ROOT

_maillage_say() { printf '[maillage] %s\n' "$*" >&2; }

# Prints the interpreter's real path if "$@" runs a Python >= 3.12 with venv and ensurepip.
# "$@" is a command (e.g. `python3.13`, or `env PYENV_VERSION=3.13.0 python3.13`). A pyenv
# shim whose version is not selected fails here, as it should.
_maillage_probe() {
  "$@" -c '
import sys
if sys.version_info < (3, 12):
    sys.exit(1)
import ensurepip, venv  # Debian/Ubuntu ship these apart (python3.X-venv)
print(sys.executable)
' 2>/dev/null
}

_maillage_find_python() {
  local candidate found pyenv_root dir minor
  if [ -n "${MAILLAGE_PYTHON:-}" ]; then
    if found=$(_maillage_probe "$MAILLAGE_PYTHON") && [ -n "$found" ]; then
      printf '%s\n' "$found"
      return 0
    fi
    _maillage_say "MAILLAGE_PYTHON=$MAILLAGE_PYTHON is not a working Python >= 3.12 with venv."
    return 1
  fi
  # 1. On PATH (a user's machine usually has one of these).
  for candidate in python3.13 python3.12 python3; do
    if command -v "$candidate" >/dev/null 2>&1 \
      && found=$(_maillage_probe "$candidate") && [ -n "$found" ]; then
      printf '%s\n' "$found"
      return 0
    fi
  done
  # 2. Versions installed by pyenv, newest first (these machines default to 3.11).
  if command -v pyenv >/dev/null 2>&1; then
    pyenv_root=$(pyenv root 2>/dev/null) || pyenv_root=""
  fi
  pyenv_root="${pyenv_root:-${PYENV_ROOT:-$HOME/.pyenv}}"
  if [ -d "$pyenv_root/versions" ]; then
    for minor in 3.13 3.12; do
      while IFS= read -r dir; do
        [ -n "$dir" ] || continue
        case "$dir" in *t) continue ;; esac # free-threaded builds: wheels are missing
        if [ -x "$dir/bin/python3" ] \
          && found=$(_maillage_probe "$dir/bin/python3") && [ -n "$found" ]; then
          printf '%s\n' "$found"
          return 0
        fi
      done < <(find "$pyenv_root/versions" -mindepth 1 -maxdepth 1 -name "$minor*" 2>/dev/null \
        | sort -rV)
    done
  fi
  # 3. The pyenv shim, with the version selected for this one call.
  if command -v pyenv >/dev/null 2>&1 \
    && found=$(_maillage_probe env PYENV_VERSION=3.13.0 python3.13) && [ -n "$found" ]; then
    printf '%s\n' "$found"
    return 0
  fi
  return 1
}

_maillage_hash() {
  "$1" -c 'import hashlib, sys; print(hashlib.sha256(open(sys.argv[1], "rb").read()).hexdigest())' \
    "$2"
}

# Installs the project and its test tools with the Python $1, from the current directory.
# requirements.lock pins every package with the sha256 of its file for Linux x86_64 and CPython
# 3.13: there, pip installs exactly those files (--require-hashes), then the project itself
# without dependencies; elsewhere the lock's versions are constraints (no hashes: compiled
# wheels differ by platform). Without the lock: `pip install -e '.[test]'`.
_maillage_install() {
  local python="$1" platform constraints status
  export PIP_NO_INPUT=1 PIP_DISABLE_PIP_VERSION_CHECK=1
  if [ ! -f requirements.lock ]; then
    _maillage_say "Installing Maillage and its test tools into .venv (pip install -e '.[test]')..."
    "$python" -m pip install --quiet -e '.[test]'
    return
  fi
  platform=$("$python" -c \
    'import sys, sysconfig; print(sysconfig.get_platform(), *sys.version_info[:2])')
  if [ "$platform" = "linux-x86_64 3 13" ]; then
    _maillage_say "Installing the locked packages into .venv (requirements.lock, --require-hashes)..."
    "$python" -m pip install --quiet --require-hashes -r requirements.lock \
      && "$python" -m pip install --quiet --no-deps -e . \
      && "$python" -m pip check
    return
  fi
  _maillage_say "Installing into .venv the versions of requirements.lock (no hashes on $platform)..."
  constraints=$(mktemp)
  sed -e 's/ --hash=[^ ]*//g' requirements.lock >"$constraints"
  status=0
  "$python" -m pip install --quiet -e '.[test]' -c "$constraints" || status=$?
  rm -f "$constraints"
  return "$status"
}

_maillage_setup() {
  local venv="$MAILLAGE_ROOT/.venv" python stamp want have
  # Keep an existing .venv when its Python still runs and is recent enough.
  if [ -x "$venv/bin/python" ] && _maillage_probe "$venv/bin/python" >/dev/null; then
    :
  else
    if ! python=$(_maillage_find_python); then
      _maillage_say "ERROR: no Python >= 3.12 (with its venv module) was found."
      _maillage_say "Tried: python3.13, python3.12, python3 on PATH; pyenv's 3.13.* and 3.12.*;"
      _maillage_say "PYENV_VERSION=3.13.0 python3.13. Install Python 3.13 (or 3.12), e.g."
      _maillage_say "'apt-get install python3.13 python3.13-venv', 'pyenv install 3.13', or set"
      _maillage_say "MAILLAGE_PYTHON=/path/to/python3.13."
      return 1
    fi
    if [ -e "$venv" ]; then
      _maillage_say "Recreating .venv with $python (the old one is missing or older than 3.12)."
    else
      _maillage_say "Creating .venv with $python."
    fi
    if ! "$python" -m venv --clear "$venv"; then
      _maillage_say "ERROR: '$python -m venv $venv' failed."
      return 1
    fi
  fi

  # Install (or update) the project when pyproject.toml or requirements.lock changed since the
  # last install.
  stamp="$venv/.maillage-installed"
  want=$(_maillage_hash "$venv/bin/python" "$MAILLAGE_ROOT/pyproject.toml") || return 1
  if [ -f "$MAILLAGE_ROOT/requirements.lock" ]; then
    want="$want $(_maillage_hash "$venv/bin/python" "$MAILLAGE_ROOT/requirements.lock")" \
      || return 1
  fi
  have=$(cat "$stamp" 2>/dev/null || true)
  if [ "$want" != "$have" ] || [ ! -x "$venv/bin/maillage" ]; then
    if ! (cd "$MAILLAGE_ROOT" && _maillage_install "$venv/bin/python"); then
      _maillage_say "ERROR: the installation into .venv failed (see above)."
      return 1
    fi
    printf '%s\n' "$want" >"$stamp"
  fi

  export VIRTUAL_ENV="$venv"
  export PATH="$venv/bin:$PATH"
  unset PYTHONHOME
  _maillage_say "Python: $("$venv/bin/python" -c 'import sys; print(sys.version.split()[0])') (.venv)"
}

_maillage_setup || return 1
cd "$MAILLAGE_ROOT" || return 1
