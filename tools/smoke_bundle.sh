#!/usr/bin/env bash
# Build the desktop bundle (build.spec) in a temporary folder, report its size, and run it from another folder:
# --version, demo, print rounds (a PDF with the bundled CJK font embedded), the GUI offscreen (started, then
# signed in: the Reports page's charts and a resident's record with its BP chart, app.ui.shell.page_probe),
# and, when $CARE_TEST_PG_URL names a PostgreSQL server (tools/pg_cluster.sh), a center created on a new
# database of that server through psycopg's binary implementation, then read back.
#   pip install -c constraints.txt -e ".[build]" && tools/smoke_bundle.sh
# KEEP=DIR keeps the bundle there (DIR/CareRounds) instead of deleting it. PYTHON: the environment with PyInstaller.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
python=${PYTHON:-python}
work=$(mktemp -d "${TMPDIR:-/tmp}/carerounds-bundle-XXXXXX")
pg_database=""  # the server database this run made (dropped at exit)

# CARE_TEST_PG_URL with another database name ($1), or "DROP"/"CREATE" of that database ($2) through psycopg
pg() {
  "$python" - "$1" "${2:-}" <<'PY'
import os, sys
from sqlalchemy.engine import make_url
server = make_url(os.environ["CARE_TEST_PG_URL"]).set(drivername="postgresql")
name, action = sys.argv[1], sys.argv[2]
if not action:
    print(server.set(database=name).render_as_string(hide_password=False))
else:
    import psycopg
    with psycopg.connect(server.render_as_string(hide_password=False), autocommit=True) as admin:
        admin.execute(f'{action} DATABASE "{name}"' + (" WITH (FORCE)" if action == "DROP" else ""))
PY
}
cleanup() {
  if [ -n "$pg_database" ]; then pg "$pg_database" DROP || echo "could not drop the database $pg_database" >&2; fi
  rm -rf "$work"
}
trap cleanup EXIT

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
# the Reports page's charts (QtCharts), and psycopg's own libpq for --db postgresql://… (issue 20)
test -n "$(find "$bundle" -name 'libQt6Charts.so*' -o -name 'Qt6Charts.dll' -o -name 'QtCharts' -type f)" \
  || { echo "no QtCharts library in the bundle" >&2; exit 1; }
test -n "$(find "$bundle/_internal/psycopg_binary" -name '_psycopg*' 2>/dev/null)" \
  || { echo "no psycopg binary implementation in the bundle" >&2; exit 1; }
test -f "$bundle/_internal/app/_db/versions/0012_pg_recheck.py" || { echo "no PostgreSQL migration" >&2; exit 1; }

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
# signed in (CARE_USER/CARE_PASSWORD): the Reports page until its charts are drawn, a resident's record until
# its visits and BP chart are loaded, each chart rendered; prints "page reports charts=N", "page record points=N"
CARE_STARTUP_PROBE=1 CARE_STARTUP_PAGES=1 timeout 300 "$app" --db demo.sqlite --lang zh_CN >pages.out 2>pages.err \
  || { cat pages.out pages.err >&2; echo "the bundled GUI could not show the Reports page or a record" >&2; exit 1; }
grep -q "^page reports charts=3$" pages.out && grep -q "^page record points=[0-9][0-9]*$" pages.out \
  || { cat pages.out pages.err >&2; echo "the charts were not all drawn" >&2; exit 1; }
if grep -E "WARNING|Traceback|not found|failed" pages.err >&2; then echo "the bundled GUI complained" >&2; exit 1; fi
pages=$(grep "^page " pages.out | tr '\n' ' ')
server="no PostgreSQL server (CARE_TEST_PG_URL unset)"
if [ -n "${CARE_TEST_PG_URL:-}" ]; then
  # a new database on the server; PSYCOPG_IMPL=binary: the bundled binary implementation or an error, never
  # a libpq that happens to be installed on this machine
  pg_database="carerounds_bundle_$(date +%s)_$$"
  pg "$pg_database" CREATE
  url=$(pg "$pg_database")
  PSYCOPG_IMPL=binary "$app" center create --db "$url" --name 示范中心 --code SMOKE1 --user admin --json >created.json
  PSYCOPG_IMPL=binary "$app" report --db "$url" --period "$(date +%Y)" --json >report.json
  PSYCOPG_IMPL=binary "$app" audit verify --db "$url" >/dev/null
  "$python" - <<'PY' || { cat created.json report.json >&2; echo "the server's center does not read back" >&2; exit 1; }
import json
created, report = json.load(open("created.json")), json.load(open("report.json"))
assert (created["name"], created["code"], report["center"]) == ("示范中心", "SMOKE1", "示范中心"), (created, report)
PY
  server="center created and read back on PostgreSQL ($pg_database)"
fi
echo "bundle OK: --version, demo, print rounds ($institution $day), GUI $(tr '\n' ' ' <gui.out), pages: $pages, $server"
if [ -n "${KEEP:-}" ]; then
  mkdir -p "$KEEP" && rm -rf "${KEEP:?}/CareRounds" && mv "$bundle" "$KEEP/"
  echo "kept in $KEEP/CareRounds"
fi
