"""Starting a command imports only what that command needs (#19: ``plan --week --json`` spent seconds importing
every command's dependencies), and its JSON is written by the json module's C encoder below the top levels."""

from __future__ import annotations

import argparse
import ast
import importlib
import json
import subprocess
import sys
from datetime import date
from pathlib import Path

from app.cli.main import COMMAND_MODULES, COMMANDS, EncodedItems, _command_named, _json_text, build_parser

ROOT = Path(__file__).resolve().parents[2]


def test_the_command_table_names_each_module_s_commands() -> None:
    found: dict[str, str] = {}
    for name in COMMAND_MODULES:
        parser = argparse.ArgumentParser()
        commands = parser.add_subparsers()
        importlib.import_module(name).add_commands(commands)
        found.update(dict.fromkeys(commands.choices, name))
    assert found == COMMANDS


def test_the_command_is_found_after_the_language_and_not_when_help_comes_first() -> None:
    assert _command_named(["plan", "--week", "2026-W47"]) == "plan"
    assert _command_named(["--lang", "en", "plan"]) == "plan"
    assert _command_named(["--lang=en", "report", "quarter"]) == "report"
    assert _command_named(["--help", "plan"]) is None
    assert _command_named(["nonsense"]) is None
    assert _command_named([]) is None
    parser = build_parser(["plan", "--week", "2026-W47"])
    assert parser.parse_args(["plan", "--week", "2026-W47", "--db", "x.sqlite"]).command == "plan"


def test_plan_imports_no_other_command_and_no_qt_pdf_or_spreadsheet_library(tmp_path: Path) -> None:
    script = (
        "import sys\n"
        "from app.cli.main import main\n"
        f"code = main(['plan', '--week', '2026-W47', '--db', {str(tmp_path / 'none.sqlite')!r}, '--json'])\n"
        "print(sorted(m for m in sys.modules if m.startswith(('PySide6', 'reportlab', 'openpyxl', 'app.cli.', "
        "'app.services.institutions', 'app.services.records'))))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=True, timeout=120
    )
    loaded = set(ast.literal_eval(done.stdout.strip().splitlines()[-1]))
    # nor the institutions service (and the record editing it brings) unless --institution names one
    assert not {name for name in loaded if not name.startswith("app.cli.")}
    assert "app.cli.plan" in loaded
    others = {module for module in COMMANDS.values() if module not in ("app.cli.plan", "app.cli.triage")}
    assert not loaded & others


def test_json_is_indented_as_before_down_to_four_levels_and_one_line_below() -> None:
    shallow = {"week": "2026-W47", "rounds": [{"id": "r", "due": [], "day": date(2026, 11, 16)}], "n": {1: None}}
    assert _json_text(shallow) == json.dumps(shallow, ensure_ascii=False, indent=2, default=str)
    deep = {"rounds": [{"due": [{"name": "王\x1b", "reasons": [{"text": "红色"}]}]}]}
    text = _json_text(deep)
    assert json.loads(text) == {"rounds": [{"due": [{"name": "王\x1b", "reasons": [{"text": "红色"}]}]}]}
    assert '        {"name": "王\\u001b", "reasons": [{"text": "红色"}]}' in text.splitlines()


def test_items_already_encoded_are_written_as_the_encoder_writes_them() -> None:
    lines = ['{"name": "王\x85", "reasons": [{"text": "红色"}]}', '{"age": 80}']
    encoded = {"rounds": [{"due": EncodedItems(lines), "none": EncodedItems()}], "deep": [[[EncodedItems(["1", "2"])]]]}
    plain = {"rounds": [{"due": [json.loads(line) for line in lines], "none": []}], "deep": [[[[1, 2]]]]}
    assert _json_text(encoded) == _json_text(plain)
    assert '        {"name": "王\\u0085", "reasons": [{"text": "红色"}]},' in _json_text(encoded).splitlines()
