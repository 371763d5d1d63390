"""Entry point: ``python -m app`` opens the GUI; ``python -m app COMMAND`` runs a command.

Kept light on purpose: only the standard library is imported before we know which one is wanted, so
the GUI's first window is not held back by the database layers (see app.ui.launch).
"""

from __future__ import annotations

import sys

GUI_OPTIONS = ("--db", "--lang", "--demo", "--theme")


def _wants_gui(argv: list[str]) -> bool:
    positional = [a for i, a in enumerate(argv) if not a.startswith("-") and (i == 0 or argv[i - 1] not in GUI_OPTIONS)]
    return not positional and "--version" not in argv and "-h" not in argv and "--help" not in argv


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if "--version" in argv and not any(not a.startswith("-") for a in argv):
        from app import __version__

        print(f"CareRounds {__version__}")
        return 0
    if _wants_gui(argv) and not ("-h" in argv or "--help" in argv):
        from app.ui.launch import run_gui

        return int(run_gui(argv))
    from app.cli.main import main as cli_main

    return cli_main(argv)


if __name__ == "__main__":
    sys.exit(main())
