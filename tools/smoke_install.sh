#!/usr/bin/env bash
# Build the wheel, install it in a fresh virtual environment outside the checkout and run the installed app
# from another folder: --version, demo, print rounds (a PDF with the embedded CJK font) and the GUI offscreen.
#   tools/smoke_install.sh            (PYTHON=python3.12 tools/smoke_install.sh for another interpreter)
# Dependencies come from constraints.txt. Everything happens in a temporary folder, removed at the end.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
python=${PYTHON:-python3}
work=$(mktemp -d "${TMPDIR:-/tmp}/carerounds-wheel-XXXXXX")
trap 'rm -rf "$work"' EXIT

# Build from a copy of what the wheel is made of: an in-tree build would reuse build/lib, where files
# deleted from the checkout live on.
mkdir -p "$work/src" "$work/dist" "$work/run"
tar -C "$root" --exclude=__pycache__ --exclude='*.pyc' -cf - pyproject.toml README.md app db resources \
  | tar -xf - -C "$work/src"
"$python" -m pip wheel -q --no-deps -w "$work/dist" "$work/src"
wheel=$(ls "$work/dist"/carerounds-*.whl)
"$python" "$root/tools/check_wheel.py" "$wheel"

"$python" -m venv "$work/venv"
"$work/venv/bin/python" -m pip install -q -c "$root/constraints.txt" "$wheel"

cd "$work/run"  # not the checkout: nothing may come from it
export QT_QPA_PLATFORM=offscreen XDG_CONFIG_HOME="$work/config" XDG_DATA_HOME="$work/data" XDG_CACHE_HOME="$work/cache"
unset PYTHONPATH CARE_PDF_FONT
app="$work/venv/bin/carerounds"

"$work/venv/bin/python" - "$work/venv" <<'EOF'
import sys
from pathlib import Path

from app import package_data

venv = Path(sys.argv[1]).resolve()
for path in (package_data.package_root(), package_data.migrations_dir(), package_data.bundled_font()):
    assert venv in path.resolve().parents, f"{path} is not inside the installed package"
assert (package_data.migrations_dir() / "env.py").is_file()
print("package data:", package_data.migrations_dir().parent)
EOF

"$app" --version
"$app" demo --db demo.sqlite --residents 60 --seed 1 >/dev/null
export CARE_USER=admin CARE_PASSWORD=demo1234  # the demo's administrator: every command but demo signs in
# the first round of this week (the demo's weeks are planned around the day it was made)
read -r institution day < <("$app" plan --week "$(date +%G-W%V)" --db demo.sqlite --json \
  | "$work/venv/bin/python" -c 'import json, sys; r = json.load(sys.stdin)["rounds"][0]; print(r["institution"], r["date"])')
"$app" print rounds --institution "$institution" --date "$day" --out rounds.pdf --db demo.sqlite
test "$(head -c 5 rounds.pdf)" = "%PDF-" || { echo "rounds.pdf is not a PDF" >&2; exit 1; }
if command -v pdffonts >/dev/null; then
  pdffonts rounds.pdf | grep -q "WenQuanYiMicroHei.* yes yes" || { pdffonts rounds.pdf >&2; echo "font not embedded" >&2; exit 1; }
fi

# The GUI, offscreen: the start-up probe quits once the window is shown and the database is open.
CARE_STARTUP_PROBE=1 CARE_STARTUP_EXIT=1 timeout 120 "$app" --db demo.sqlite --lang zh_CN >gui.out 2>gui.err \
  || { cat gui.out gui.err >&2; echo "the GUI did not start" >&2; exit 1; }
grep -q "^ready " gui.out || { cat gui.out gui.err >&2; exit 1; }
if grep -E "WARNING|Traceback|not found" gui.err >&2; then echo "the GUI complained" >&2; exit 1; fi
echo "installed app OK: --version, demo, print rounds ($institution $day), GUI $(tr '\n' ' ' <gui.out)"
