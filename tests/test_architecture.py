"""The shape of the code (docs/ARCHITECTURE.md): no import cycles; the layers are checked by lint-imports."""

from __future__ import annotations

import ast
import re
import sys
from pathlib import Path

import grimp


def _cycles(graph: grimp.ImportGraph) -> list[list[str]]:
    """Return the groups of modules that import each other, directly or through others (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(module: str) -> None:
        index[module] = low[module] = len(index)
        stack.append(module)
        on_stack.add(module)
        for imported in sorted(graph.find_modules_directly_imported_by(module)):
            if imported not in index:
                visit(imported)
                low[module] = min(low[module], low[imported])
            elif imported in on_stack:
                low[module] = min(low[module], index[imported])
        if low[module] == index[module]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == module:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(max(limit, 10_000))
    try:
        for module in sorted(graph.modules):
            if module not in index:
                visit(module)
    finally:
        sys.setrecursionlimit(limit)
    return found


def test_no_module_of_the_app_imports_itself_back_through_others() -> None:
    # typing-only imports count: the record's tabs once imported the dialog that imports them
    graph = grimp.build_graph("app", include_external_packages=False)
    assert _cycles(graph) == []


def test_every_test_file_ci_names_exists() -> None:
    # CI runs a list of date-sensitive test files by path; a file moved without the list fails CI only there
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    script = (root / ".ci" / "run").read_text(encoding="utf-8")
    import re

    named = sorted(set(re.findall(r"tests/[\w/]+\.py", script)))
    assert named, "no test files named in .ci/run"
    assert [path for path in named if not (root / path).is_file()] == []


SQL_WORDS = re.compile(
    r"\b(SELECT|INSERT\s+INTO|UPDATE\s+\w+\s+SET|DELETE\s+FROM|PRAGMA|BEGIN\s+IMMEDIATE|COMMIT|ROLLBACK|"
    r"CREATE\s+(TABLE|INDEX|TRIGGER)|DROP\s+(TABLE|INDEX)|VACUUM)\b"
)
DRIVERS = {"sqlalchemy", "sqlmodel", "sqlite3"}
SQL_CALLS = ("exec", "execute", "executemany", "exec_driver_sql", "fast_rows", "rows", "scalar", "scalars")


def _service_modules() -> list[Path]:
    root = Path(__file__).resolve().parents[1] / "app" / "services"
    return sorted(root.rglob("*.py"))


def test_no_service_module_holds_sql() -> None:
    # every statement lives in app/store (docs/ARCHITECTURE.md): no SQL text in a string, no statement run
    # from a service; the unit of work's own bookkeeping (session.add, session.get) stays in services
    found: list[str] = []
    for path in _service_modules():
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and SQL_WORDS.search(node.value):
                found.append(f"{path.name}:{node.lineno}: SQL text {node.value[:60]!r}")
            elif (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr in SQL_CALLS
                and not (isinstance(node.func.value, ast.Name) and node.func.value.id in {"queries", "self"})
            ):
                found.append(f"{path.name}:{node.lineno}: runs a statement (.{node.func.attr})")
            elif isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] in DRIVERS:
                found.append(f"{path.name}:{node.lineno}: imports {node.module}")
            elif isinstance(node, ast.Import) and any(
                a.name.split(".")[0] in {"sqlalchemy", "sqlmodel", "sqlite3"} for a in node.names
            ):
                found.append(f"{path.name}:{node.lineno}: imports {', '.join(a.name for a in node.names)}")
    assert found == []


MOST_LINES = 650
"""A module longer than this is several modules (issue 13: "no file over ~600 lines"); split it by responsibility.
Migrations are exempt: the first one writes the whole schema out, and a released migration is never edited."""


def test_no_module_is_a_hall() -> None:
    root = Path(__file__).resolve().parents[1]
    long = [
        f"{path.relative_to(root)}: {count} lines"
        for folder in ("app", "tools", "tests")
        for path in sorted((root / folder).rglob("*.py"))
        if (count := len(path.read_text(encoding="utf-8").splitlines())) > MOST_LINES and "perf" not in path.parts
    ]
    assert long == []


def test_no_two_test_modules_share_a_name() -> None:
    # the test folders are not packages: pytest imports each test module by its file name, so two files of one
    # name (tests/sync/test_kill.py and another test_kill.py) stop the whole run at collection
    root = Path(__file__).resolve().parent
    seen: dict[str, list[str]] = {}
    for path in sorted(root.rglob("*.py")):
        if path.name != "conftest.py" and "perf" not in path.parts:
            seen.setdefault(path.name, []).append(str(path.relative_to(root)))
    assert {name: paths for name, paths in seen.items() if len(paths) > 1} == {}
