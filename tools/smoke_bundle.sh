#!/usr/bin/env bash
# Build the desktop bundle (build.spec) in a temporary folder, report its size, and run it from another folder:
# --version, demo, print rounds (a PDF with the bundled CJK font embedded) and the GUI offscreen.
#   pip install -c constraints.txt -e ".[build]" && tools/smoke_bundle.sh
# KEEP=DIR keeps the bundle there (DIR/CareRounds) instead of deleting it. PYTHON: the environment with PyInstaller.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
python=${PYTHON:-python}
work=$(mktemp -d "${TMPDIR:-/tmp}/carerounds-bundle-XXXXXX")
trap 'rm -rf "$work"' EXIT

start=$(date +%s)
"$python" -m PyInstaller --noconfirm --log-level WARN --distpath "$work/dist" --workpath "$work/build" \
  "$root/build.spec" >"$work/build.log" 2>&1 || { cat "$work/build.log" >&2; exit 1; }
bundle="$work/dist/CareRounds"
echo "bundle built in $(($(date +%s) - start)) s: $(du -sb "$bundle" | cut -f1) bytes ($(du -sh "$bundle" | cut -f1)), $(find "$bundle" -type f | wc -l) files"
if [ -n "$(find "$bundle" -name '*Qt6Qml*' -o -name '*Qt6Quick*' -o -name '*VirtualKeyboard*' -o -name '*qwayland*')" ]; then
  echo "the bundle carries Qt modules it should not (Qml, Quick, VirtualKeyboard, Wayland)" >&2; exit 1
fi
test -f "$bundle/_internal/app/_resources/fonts/wqy-microhei.ttc" || { echo "no CJK font in the bundle" >&2; exit 1; }
test -f "$bundle/_internal/app/_resources/fonts/wqy-microhei.LICENSE.txt" || { echo "no font licence" >&2; exit 1; }

mkdir "$work/run" && cd "$work/run"
export QT_QPA_PLATFORM=offscreen XDG_CONFIG_HOME="$work/config" XDG_DATA_HOME="$work/data" XDG_CACHE_HOME="$work/cache"
unset PYTHONPATH CARE_PDF_FONT
app="$bundle/CareRounds"
"$app" --version
"$app" demo --db demo.sqlite --residents 60 --seed 1 >/dev/null
export CARE_USER=admin CARE_PASSWORD=demo1234  # the demo's administrator: every command but demo signs in
read -r institution day < <("$app" plan --week "$(date +%G-W%V)" --db demo.sqlite --json \
  | "$python" -c 'import json, sys; r = json.load(sys.stdin)["rounds"][0]; print(r["institution"], r["date"])')
"$app" print rounds --institution "$institution" --date "$day" --out rounds.pdf --db demo.sqlite
test "$(head -c 5 rounds.pdf)" = "%PDF-" || { echo "rounds.pdf is not a PDF" >&2; exit 1; }
if command -v pdffonts >/dev/null; then
  pdffonts rounds.pdf | grep -q "WenQuanYiMicroHei.* yes yes" || { pdffonts rounds.pdf >&2; echo "font not embedded" >&2; exit 1; }
fi
CARE_STARTUP_PROBE=1 CARE_STARTUP_EXIT=1 timeout 120 "$app" --db demo.sqlite --lang zh_CN >gui.out 2>gui.err \
  || { cat gui.out gui.err >&2; echo "the bundled GUI did not start" >&2; exit 1; }
grep -q "^ready " gui.out || { cat gui.out gui.err >&2; exit 1; }
if grep -E "WARNING|Traceback|not found" gui.err >&2; then echo "the bundled GUI complained" >&2; exit 1; fi
echo "bundle OK: --version, demo, print rounds ($institution $day), GUI $(tr '\n' ' ' <gui.out)"
if [ -n "${KEEP:-}" ]; then
  mkdir -p "$KEEP" && rm -rf "${KEEP:?}/CareRounds" && mv "$bundle" "$KEEP/"
  echo "kept in $KEEP/CareRounds"
fi
