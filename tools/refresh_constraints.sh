#!/usr/bin/env bash
# Rewrite constraints.txt, the tested versions CI installs (pip install -c constraints.txt -e ".[test]").
#
#   tools/refresh_constraints.sh              newest versions pyproject.toml allows (extras test and build),
#                                             resolved in a fresh virtual environment
#   tools/refresh_constraints.sh VENV         the versions installed in VENV (e.g. one the suite just passed in)
#
# Then run the tests (.ci/run, or the README's test command in a venv installed with -c constraints.txt) and
# commit constraints.txt only if they pass. PYTHON picks the interpreter (default python3).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
python=${PYTHON:-python3}
venv=${1:-}
if [ -z "$venv" ]; then
  work=$(mktemp -d "${TMPDIR:-/tmp}/carerounds-constraints-XXXXXX")
  trap 'rm -rf "$work"' EXIT
  "$python" -m venv "$work/venv"
  "$work/venv/bin/python" -m pip install -q --upgrade pip
  "$work/venv/bin/python" -m pip install -q "$root[test,build]"
  venv="$work/venv"
  source="the newest versions pyproject.toml allowed"
else
  source="the virtual environment $venv"
fi
pins=$("$venv/bin/python" -m pip freeze --all --exclude-editable \
  | grep -v -i -E '^(carerounds|setuptools|wheel)( |=|@)' | grep -v ' @ ')
{
  echo "# Tested versions of every package CI installs: pip install -c constraints.txt -e \".[test]\" (and .[build])."
  echo "# Refresh with tools/refresh_constraints.sh (README, \"Dependencies\"); made on $(date -u +%Y-%m-%d) from"
  echo "# $source with $("$venv/bin/python" -V)."
  echo "$pins"
} >"$root/constraints.txt"
echo "wrote $root/constraints.txt ($(echo "$pins" | wc -l) packages)"
