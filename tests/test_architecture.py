"""The shape of the code (docs/ARCHITECTURE.md): no import cycles; the layers are checked by lint-imports."""

from __future__ import annotations

import sys

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
