"""The command line signs in: who is acting, each way of giving the password, each refusal, roles, audit.

The demo's logins (password ``demo1234``): admin, doctor1, nurse1, assistant1, ... (conftest signs in as
admin unless a test says otherwise).
"""

from __future__ import annotations

import argparse
import io
import json
import os
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from center_sql import connect, everything

from app.cli import signin
from app.cli.main import _check_signed_in, build_parser, main
from app.domain import i18n
from app.domain.idcard import make_id_number
from app.services.accounts import sign_in as accounts
from app.services.demo import DEMO_PASSWORD

Content = Callable[[Path], dict[str, list[tuple[object, ...]]]]

DAY = "2026-11-16"

NOT_SIGNING_IN = {("demo",), ("center", "join")}
"""The only commands that act as nobody (DESIGN §7): they make a database."""


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main(["--lang", "en", *argv])
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return code, out, err


def query(db: Path, sql: str, *params: object) -> list[tuple[Any, ...]]:
    with connect(db) as raw:
        return raw.execute(sql, params).fetchall()


def a_resident(db: Path) -> str:
    return str(query(db, "SELECT id FROM resident ORDER BY id LIMIT 1")[0][0])


def staff_name(db: Path, login: str) -> str:
    return str(query(db, "SELECT name FROM staff WHERE login = ?", login)[0][0])


def sign_ins(db: Path) -> list[tuple[str, str]]:
    """(action, staff_name) of the sign-in entries, oldest first."""
    return query(
        db,
        "SELECT action, e.staff_name FROM auditentry e WHERE action IN ('sign_in', 'sign_in_failed', 'account_locked') "
        "ORDER BY updated_at",
    )


def failed_attempts(db: Path, login: str) -> int:
    rows = query(db, "SELECT failed_attempts FROM sign_in_state WHERE login = ?", login)
    return int(rows[0][0]) if rows else 0


def secret_file(tmp_path: Path, text: str, mode: int = 0o600, name: str = "password.txt") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode("utf-8"))
    path.chmod(mode)
    return path


# --- every command signs in -----------------------------------------------------------------------------


def _leaf_commands(parser: argparse.ArgumentParser, prefix: tuple[str, ...] = ()) -> list[tuple[tuple[str, ...], Any]]:
    found = []
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                found += _leaf_commands(sub, (*prefix, name))
    return found or [(prefix, parser)]


def test_every_command_but_demo_and_center_join_takes_the_sign_in_options() -> None:
    leaves = _leaf_commands(build_parser())
    assert len(leaves) >= 15
    for name, parser in leaves:
        options = {option for action in parser._actions for option in action.option_strings}
        if name in NOT_SIGNING_IN:
            assert "--user" not in options, name
        elif name == ("center", "recover"):  # the recovery key opens the database instead of a password
            assert {"--user", "--recovery-key-file"} <= options and "--password-file" not in options
        else:
            assert {"--user", "--password-file"} <= options, name


def test_a_command_that_returns_without_signing_in_is_a_programming_error() -> None:
    args = argparse.Namespace(command="resident", action="list", user=None, password_file=None)
    with pytest.raises(RuntimeError, match="did not sign in"):
        _check_signed_in(args, 0)
    _check_signed_in(args, 2)  # refused before signing in (bad usage): fine
    signin.signing_in_skipped(args)
    _check_signed_in(args, 0)


# --- each way of giving the password ----------------------------------------------------------------------


def test_the_environment_signs_in_and_the_sign_in_is_audited_under_the_person(
    db: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CARE_USER", "nurse1")
    code, out, _ = run(capsys, "resident", "list", "--db", str(db))
    assert code == 0 and "resident(s)" in out
    assert sign_ins(db)[-1] == ("sign_in", staff_name(db, "nurse1"))


def test_the_sign_in_is_audited_with_the_command_and_read_in_words(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from app.services.admin.audit import describe_changes

    assert run(capsys, "resident", "list", "--db", str(db))[0] == 0
    [(changes,)] = query(db, "SELECT changes FROM auditentry WHERE action = 'sign_in' ORDER BY updated_at DESC LIMIT 1")
    assert json.loads(changes) == {"via": [None, "cli:resident list"]}
    out = tmp_path / "audit.xlsx"
    assert run(capsys, "export", "audit", "--db", str(db), "--out", str(out))[0] == 0
    [(exported,)] = query(
        db, "SELECT changes FROM auditentry WHERE action = 'sign_in' ORDER BY updated_at DESC LIMIT 1"
    )
    assert json.loads(exported) == {"via": [None, "cli:export audit"]}
    i18n.set_language("en")
    assert describe_changes(json.loads(changes), entity="staff") == "via: command line: resident list"
    i18n.set_language("zh_CN")
    assert "命令行：resident list" in describe_changes(json.loads(changes), entity="staff")


def test_user_option_wins_over_the_environment(
    db: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CARE_USER", "admin")
    assert run(capsys, "resident", "list", "--db", str(db), "--user", "Doctor1")[0] == 0  # login without case
    assert sign_ins(db)[-1] == ("sign_in", staff_name(db, "doctor1"))


@pytest.mark.parametrize(
    "text", [DEMO_PASSWORD, DEMO_PASSWORD + "\n", DEMO_PASSWORD + "\r\nsecond line\n", "\ufeff" + DEMO_PASSWORD]
)
def test_a_password_file_gives_its_first_line(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, text: str
) -> None:
    monkeypatch.setenv("CARE_PASSWORD", "not the password")  # the file wins over the environment
    file = secret_file(tmp_path, text)
    assert run(capsys, "resident", "list", "--db", str(db), "--password-file", str(file))[0] == 0


@pytest.mark.skipif(os.name != "posix", reason="permission bits")
@pytest.mark.parametrize("mode", [0o644, 0o640, 0o604, 0o660, 0o606])
def test_a_password_file_others_can_read_or_write_is_refused_before_anything(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], mode: int
) -> None:
    file = secret_file(tmp_path, DEMO_PASSWORD + "\n", mode)
    before = everything(db)
    code, out, err = run(capsys, "resident", "list", "--db", str(db), "--password-file", str(file))
    assert code == 2 and out == ""
    assert f"the password file {file} can be read by other users and is refused; run chmod 600 {file}" in err
    assert everything(db) == before  # the database was not even opened


@pytest.mark.skipif(not Path("/dev/fd").is_dir(), reason="needs /dev/fd")
def test_a_password_file_may_be_a_pipe(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """``--password-file /dev/stdin`` or ``<(pass show care)``: a pipe's mode says nothing about others."""
    read_end, write_end = os.pipe()
    try:
        os.write(write_end, (DEMO_PASSWORD + "\n").encode())
        os.close(write_end)
        assert run(capsys, "resident", "list", "--db", str(db), "--password-file", f"/dev/fd/{read_end}")[0] == 0
    finally:
        os.close(read_end)


@pytest.mark.parametrize(
    ("content", "said"),
    [
        (b"", "the first line of the password file {file} is empty"),
        (b"\n" + DEMO_PASSWORD.encode(), "the first line of the password file {file} is empty"),
        (b"\xff\xfe\x00bad", "the password file {file} is not UTF-8 text"),
        (b"demo\x1b1234\n", "the first line of the password file {file} holds a control character"),
        (b"x" * 1025, "the password file {file} is larger than 1024 bytes"),
    ],
)
def test_an_unusable_password_file_is_refused_naming_it(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], content: bytes, said: str
) -> None:
    file = tmp_path / "password.txt"
    file.write_bytes(content)
    file.chmod(0o600)
    code, _, err = run(capsys, "resident", "list", "--db", str(db), "--password-file", str(file))
    assert code == 2 and said.format(file=file) in err


def test_a_missing_password_file_is_named(db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "resident", "list", "--db", str(db), "--password-file", str(tmp_path / "nope"))
    assert code == 2 and f"there is no file {tmp_path / 'nope'}" in err


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_on_a_terminal_the_password_is_asked_with_getpass(
    db: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("CARE_PASSWORD")
    monkeypatch.delenv("CARE_USER")
    monkeypatch.setattr("sys.stdin", _Terminal("doctor1\n"))
    asked: list[str] = []

    def getpass(prompt: str) -> str:
        asked.append(prompt)
        return DEMO_PASSWORD

    monkeypatch.setattr("getpass.getpass", getpass)
    code, _, err = run(capsys, "resident", "list", "--db", str(db))
    assert code == 0
    assert "Login: " in err and asked == ["Password for doctor1: "]
    assert sign_ins(db)[-1] == ("sign_in", staff_name(db, "doctor1"))


def test_the_password_is_never_taken_from_the_command_line(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = everything(db)
    for option in (["--password", "demo1234"], ["--password=demo1234"]):
        code, out, err = run(capsys, "resident", "list", "--db", str(db), *option)
        assert code == 2 and "the password is never given on the command line" in err
        assert "demo1234" not in out + err
    assert everything(db) == before


# --- refusals: exit 2, one message, nothing changed -----------------------------------------------------------


@pytest.mark.parametrize(
    ("unset", "said"),
    [
        ("CARE_USER", "say who is acting: --user LOGIN (or the CARE_USER environment variable)"),
        ("CARE_PASSWORD", "no password for admin: set CARE_PASSWORD, give --password-file FILE, or run in a terminal"),
    ],
)
def test_missing_credentials_without_a_terminal_are_refused_before_the_database_is_opened(
    db: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, unset: str, said: str
) -> None:
    monkeypatch.delenv(unset)
    before = everything(db)
    code, out, err = run(capsys, "resident", "edit", a_resident(db), "--db", str(db), "--set", "bed=9")
    assert code == 2 and out == "" and said in err
    assert everything(db) == before


@pytest.mark.parametrize("login", ["admin", "nobody"])
def test_a_wrong_password_or_login_is_one_message_counted_like_the_windows(
    db: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    login: str,
    unchanged_but_sign_ins: Content,
) -> None:
    monkeypatch.setenv("CARE_USER", login)
    monkeypatch.setenv("CARE_PASSWORD", "wrong-password")
    before = unchanged_but_sign_ins(db)
    code, out, err = run(capsys, "resident", "edit", a_resident(db), "--db", str(db), "--set", "bed=9")
    assert (code, out, err) == (2, "", "Error: Wrong login or password.\n")
    assert unchanged_but_sign_ins(db) == before
    assert failed_attempts(db, login) == 1
    if login == "admin":  # attempts on logins that do not exist are not audited (typos, passwords)
        assert sign_ins(db)[-1] == ("sign_in_failed", "")


def test_five_wrong_passwords_lock_the_login_for_the_window_too(
    db: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from app.bootstrap import open_context

    monkeypatch.setenv("CARE_USER", "nurse1")
    monkeypatch.setenv("CARE_PASSWORD", "wrong-password")
    for _ in range(5):
        assert run(capsys, "plan", "--week", "2026-W47", "--db", str(db))[0] == 2
    assert sign_ins(db)[-1] == ("account_locked", "")
    monkeypatch.setenv("CARE_PASSWORD", DEMO_PASSWORD)  # the right one, now too late
    code, _, err = run(capsys, "plan", "--week", "2026-W47", "--db", str(db))
    assert code == 2 and "This account is locked after repeated failed sign-ins; try again in 5 min." in err
    context = open_context(db, create=False)  # the window's sign-in page: the same lock
    try:
        with pytest.raises(accounts.SignInFailed, match="locked"):
            accounts.sign_in(context.uow(), login="nurse1", password=DEMO_PASSWORD)
    finally:
        context.close()


def test_a_disabled_account_is_refused(
    db: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, unchanged_but_sign_ins: Content
) -> None:
    with connect(db) as raw:
        raw.execute("UPDATE staff SET active = ? WHERE login = 'doctor2'", (False,))
    monkeypatch.setenv("CARE_USER", "doctor2")
    before = unchanged_but_sign_ins(db)
    code, out, err = run(capsys, "resident", "edit", a_resident(db), "--db", str(db), "--set", "bed=9")
    assert (code, out, err) == (2, "", "Error: This account is disabled.\n")
    assert unchanged_but_sign_ins(db) == before


def test_an_account_that_must_choose_its_own_password_is_sent_to_the_window(
    db: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, unchanged_but_sign_ins: Content
) -> None:
    with connect(db) as raw:
        raw.execute("UPDATE staff SET must_change_password = ? WHERE login = 'doctor1'", (True,))
    monkeypatch.setenv("CARE_USER", "doctor1")
    before = unchanged_but_sign_ins(db)
    code, out, err = run(capsys, "resident", "edit", a_resident(db), "--db", str(db), "--set", "bed=9")
    assert code == 2 and out == ""
    assert "The account doctor1 must first sign in at the app's window and choose its own password" in err
    assert unchanged_but_sign_ins(db) == before


# --- roles: the window's permissions ---------------------------------------------------------------------------


ROLE_REFUSALS = [
    ("nurse1", "Community nurse", ["center", "invite", "--out", "{tmp}/join.crsync"], "add devices"),
    ("nurse1", "Community nurse", ["backup", "--out", "{tmp}/copy.sqlite"], "back up and restore"),
    ("nurse1", "Community nurse", ["restore", "{tmp}/copy.sqlite"], "back up and restore"),
    ("nurse1", "Community nurse", ["audit", "verify"], "view the audit trail"),
    ("nurse1", "Community nurse", ["resident", "edit", "{resident}", "--set", "bed=9"], "edit residents"),
    ("nurse1", "Community nurse", ["roster", "import", "{tmp}/roster.csv", "--institution", "x"], "import rosters"),
    ("doctor1", "Family doctor", ["backup"], "back up and restore"),
    ("doctor1", "Family doctor", ["center", "invite", "--out", "{tmp}/join.crsync"], "add devices"),
    ("assistant1", "Assistant", ["visit", "add", "--resident", "{resident}", "--date", "2026-11-16"], "record visits"),
    (
        "nurse1",
        "Community nurse",
        ["bed", "open", "--resident", "{resident}", "--indication", "x", "--date", "2026-11-16"],
        "open or close family beds",
    ),
    (
        "assistant1",
        "Assistant",
        ["bed", "check", "--resident", "{resident}", "--date", "2026-11-16", "--findings", "x"],
        "record family bed checks",
    ),
    (
        "assistant1",
        "Assistant",
        ["refill", "record", "--resident", "{resident}", "--medication", "x", "--quantity", "1", "--date", DAY],
        "record proxy refills",
    ),
]


@pytest.mark.parametrize(("login", "role", "argv", "action"), ROLE_REFUSALS)
def test_a_role_may_not_do_on_the_command_line_what_it_may_not_do_in_the_window(
    db: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    unchanged_but_sign_ins: Content,
    login: str,
    role: str,
    argv: list[str],
    action: str,
) -> None:
    number = make_id_number("310104", date(1940, 5, 6), 11, "M")
    (tmp_path / "roster.csv").write_text(f"姓名,身份证号\n王大伯,{number}\n", encoding="utf-8")
    monkeypatch.setenv("CARE_USER", login)
    monkeypatch.setenv("CARE_SYNC_PASSPHRASE", "Ward-7 round sheet")
    args = [part.format(tmp=tmp_path, resident=a_resident(db)) for part in argv]
    before = unchanged_but_sign_ins(db)
    code, out, err = run(capsys, *args, "--db", str(db))
    assert (code, out) == (2, "")
    assert f"Your role ({role}) may not {action}." in err
    assert unchanged_but_sign_ins(db) == before
    written = {p.name for p in tmp_path.iterdir()} - {"center.sqlite"}  # (the test's copy, on a file)
    assert written == {"roster.csv"}


def test_a_nurse_records_a_visit_audited_under_her_name(
    db: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CARE_USER", "nurse1")
    resident = a_resident(db)
    code, _, _ = run(capsys, "visit", "add", "--db", str(db), "--resident", resident, "--date", "2026-11-16")
    assert code in (0, 1)
    nurse = staff_name(db, "nurse1")
    [(recorded_by,)] = query(
        db,
        "SELECT s.name FROM visit v JOIN staff s ON s.id = v.recorded_by WHERE v.resident_id = ? "
        "ORDER BY v.updated_at DESC LIMIT 1",
        resident,
    )
    assert recorded_by == nurse
    assert query(db, "SELECT staff_name FROM auditentry WHERE entity = 'visit' ORDER BY updated_at DESC LIMIT 1") == [
        (nurse,)
    ]


# --- changes are audited under the person ---------------------------------------------------------------------


def test_a_change_is_audited_under_the_person_who_made_it(
    db: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Before, every command-line change was audited as "(not signed in)": no staff id, no name."""
    monkeypatch.setenv("CARE_USER", "doctor1")
    resident = a_resident(db)
    assert run(capsys, "resident", "edit", resident, "--db", str(db), "--set", "bed=9")[0] == 0
    [(staff_id, name, changes)] = query(
        db,
        "SELECT staff_id, staff_name, changes FROM auditentry WHERE action = 'update' AND entity_id = ? "
        "ORDER BY updated_at DESC LIMIT 1",
        resident,
    )
    [(doctor_id,)] = query(db, "SELECT id FROM staff WHERE login = 'doctor1'")
    assert (staff_id, name) == (doctor_id, staff_name(db, "doctor1"))
    assert '"bed"' in changes


def test_a_restore_is_audited_under_the_administrator(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    copy = tmp_path / "copy.sqlite"
    assert run(capsys, "backup", "--db", str(db), "--out", str(copy))[0] == 0
    assert run(capsys, "restore", str(copy), "--db", str(db))[0] == 0
    assert query(db, "SELECT staff_name FROM auditentry WHERE action = 'database_restored'") == [
        (staff_name(db, "admin"),)
    ]


def test_a_damaged_database_is_restored_without_a_sign_in_like_the_windows_recovery(
    db_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Nobody's password can be checked in a file SQLite cannot read: the restore goes on, and says so."""
    db = db_file  # file-only: damages the file's bytes
    copy = tmp_path / "copy.sqlite"
    assert run(capsys, "backup", "--db", str(db), "--out", str(copy))[0] == 0
    with open(db, "r+b") as damaged:  # the test's own copy; nothing in this process has it open
        damaged.seek(100)  # the first page's tree: "database disk image is malformed"
        damaged.write(b"\xff" * 4000)
    code, out, err = run(capsys, "restore", str(copy), "--db", str(db))
    assert code == 0 and "Restored" in out, err
    assert "cannot be read" in err and "restoring without a sign-in (recovery)" in err
    assert query(db, "SELECT staff_id, staff_name FROM auditentry WHERE action = 'database_restored'") == [(None, "")]
