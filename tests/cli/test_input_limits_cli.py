"""Issue 12 §7: input that crashed or was echoed raw. Each test failed on the code before the fix:

- a search text of 50 000 characters raised ``OperationalError: LIKE or GLOB pattern too complex``;
- a binary ``--passphrase-file`` raised ``UnicodeDecodeError`` (a traceback);
- ``audit verify --against`` a missing, foreign or unreadable file was skipped silently (exit 0);
- ESC, BEL and bidi overrides were saved in free text and printed raw by the CLI.
"""

from __future__ import annotations

import json
import shutil
from datetime import date
from pathlib import Path

import pytest
from center_sql import connect, on_server

from app.bootstrap import open_context
from app.cli.main import main, printable
from app.domain.errors import ValidationError
from app.domain.i18n import set_language
from app.domain.records import clean
from app.domain.search import MAX_QUERY_CHARS
from app.domain.validation import strip_controls, to_half_width
from app.services.admin.audit import search_audit
from app.services.records.residents import search_residents
from app.store import cipher

TODAY = date(2026, 11, 16)
ESC_NAME = "\x1b[2J\x1b]0;pwned\x07王\u202e建国\u2066"


@pytest.fixture(autouse=True)
def _english() -> None:
    set_language("en")


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(["--lang", "en", *argv])
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return code, out, err


# --- search text ------------------------------------------------------------------------------------------


def test_a_huge_search_text_is_refused_naming_the_limit(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "resident", "list", "--db", str(db), "--search", "张" * 50_000)
    assert code == 2 and f"at most {MAX_QUERY_CHARS} characters" in err and "50000 given" in err
    assert len(err) < 500  # the text itself is not echoed back


def test_search_text_up_to_the_limit_works(db: Path) -> None:
    context = open_context(db)
    try:
        assert search_residents(context.uow(), text="%_" * (MAX_QUERY_CHARS // 2)) == []
        with pytest.raises(ValidationError, match=str(MAX_QUERY_CHARS)):
            search_residents(context.uow(), text="x" * (MAX_QUERY_CHARS + 1))
        with pytest.raises(ValidationError, match=str(MAX_QUERY_CHARS)):
            search_audit(context.uow(), resident_text="x" * 50_000)
    finally:
        context.close()


# --- passphrase files -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (bytes(range(256)), "not UTF-8 text"),
        (b"\xff\xfe\x00a\x00b", "not UTF-8 text"),
        (b"Ward-7\x00round sheet", "a control character or more than one line"),
        (b"Ward-7 \x1b[2Jround sheet\n", "a control character or more than one line"),
        (b"Ward-7 round sheet\nsecond line\n", "a control character or more than one line"),
        (b"Ward-7 round sheet\n" * 1000, "larger than 1024 bytes"),
    ],
)
def test_a_passphrase_file_that_is_no_passphrase_exits_2(
    db: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    content: bytes,
    message: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("CARE_SYNC_PASSPHRASE", raising=False)
    secret = tmp_path / "pass.bin"
    secret.write_bytes(content)
    out = tmp_path / "join.crsync"
    code, _, err = run(capsys, "center", "invite", "--out", str(out), "--db", str(db), "--passphrase-file", str(secret))
    assert code == 2 and message in err and str(secret) in err and not out.exists()


def test_a_passphrase_file_saved_by_notepad_with_a_bom_works(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("CARE_SYNC_PASSPHRASE", raising=False)
    secret = tmp_path / "pass.txt"
    secret.write_bytes("\ufeffWard-7 round sheet\r\n".encode())
    out = tmp_path / "join.crsync"
    assert run(capsys, "center", "invite", "--out", str(out), "--db", str(db), "--passphrase-file", str(secret))[0] == 0
    join = tmp_path / "laptop.sqlite"
    monkeypatch.setenv("CARE_SYNC_PASSPHRASE", "Ward-7 round sheet")
    assert run(capsys, "center", "join", str(out), "--db", str(join))[0] == 0


# --- audit verify --against -------------------------------------------------------------------------------


def test_against_a_missing_foreign_or_unreadable_file_exits_2(
    db: Path, tmp_path: Path, template: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = tmp_path / "notes.sqlite"
    text.write_text("not a database", encoding="utf-8")
    plain = tmp_path / "plain.sqlite"
    cipher.connect(plain).execute("CREATE TABLE t (x)").connection.close()
    other_center = tmp_path / "other-center.sqlite"
    shutil.copyfile(template, other_center)  # (the center's file; on a server, the file it was moved from)
    with cipher.connect(other_center) as raw:
        raw.execute("UPDATE center SET id = 'another-center', name = '另一个中心'")
    cases: dict[Path | str, str] = {
        tmp_path / "missing.sqlite": "does not exist",
        text: "not a database",
        plain: "not a CareRounds database",
        other_center: "another center (另一个中心)",
    }
    if not on_server(db):  # the database file itself (a server's database is no file)
        cases[db] = "the database being checked"
    for anchor, reason in cases.items():
        code, out, err = run(capsys, "audit", "verify", "--db", str(db), "--against", str(anchor))
        assert code == 2 and str(anchor) in err and reason in err, (anchor, err)
    good = tmp_path / "backup.sqlite"
    shutil.copyfile(template, good)
    code, out, _ = run(capsys, "audit", "verify", "--db", str(db), "--against", str(good))
    assert code == 0 and "backup.sqlite" in out


# --- control characters -----------------------------------------------------------------------------------


def test_free_text_loses_control_and_bidi_characters() -> None:
    assert strip_controls("a\x1b[31mb\x07c\x00d\x7fe\x85f") == "a[31mbcdef"
    assert strip_controls("护\u202e理\u2066记\u2069录\u200f") == "护理记录"
    assert strip_controls("line one\nline two\tend\r\n") == "line one\nline two\tend\r\n"
    assert to_half_width("Ａ\x1bＢ") == "AB"
    assert clean("床\x1b位\u202d", field="bed", maximum=10) == "床位"


def test_a_saved_field_is_stripped_and_the_cli_never_prints_controls_raw(
    db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    person = json.loads(run(capsys, "resident", "list", "--db", str(db), "--json")[1])[0]
    code, out, _ = run(capsys, "resident", "edit", person["id"], "--db", str(db), "--set", "bed=\x1b[31m7\u202e")
    assert code == 0 and "\x1b" not in out and "\u202e" not in out
    listed = json.loads(run(capsys, "resident", "list", "--db", str(db), "--json")[1])
    assert [row["bed"] for row in listed if row["id"] == person["id"]] == ["[31m7"]
    # a value that came in before the fix (or from an older device) is shown escaped, never raw
    with connect(db) as raw:
        raw.execute("UPDATE resident SET name = ? WHERE id = ?", (ESC_NAME, person["id"]))
    for argv in (["resident", "list", "--db", str(db)], ["resident", "list", "--db", str(db), "--json"]):
        _, out, _ = run(capsys, *argv)
        assert not any(char in out for char in "\x1b\x07\u202e\u2066"), argv
        assert "\\x1b" in out or "\\u001b" in out
    code, _, err = run(capsys, "resident", "edit", ESC_NAME, "--db", str(db), "--set", "bed=1")
    assert code == 2 and "\x1b" not in err and "\\x1b" in err


def test_printable_escapes_controls_but_keeps_line_ends() -> None:
    assert printable("a\x1bb\u202ec\nd\te") == "a\\x1bb\\u202ec\nd\te"


def test_the_pattern_of_unsafe_controls_is_the_rule() -> None:
    """Issue 19: JSON output is escaped through a pattern, which must find exactly the characters of the rule."""
    from app.cli.main import _json_text
    from app.domain.validation import UNSAFE_CONTROLS, is_unsafe_control

    for code in range(0x3000):
        assert bool(UNSAFE_CONTROLS.fullmatch(chr(code))) == is_unsafe_control(chr(code)), hex(code)
    for char in "\u061c\u200e\u200f\u202a\u202e\u2066\u2069":
        assert UNSAFE_CONTROLS.fullmatch(char) and is_unsafe_control(char)
    assert _json_text({"a": "x\x85y\u202ez\u00e9\n"}, indent=None) == '{"a": "x\\u0085y\\u202ez\u00e9\\n"}'
