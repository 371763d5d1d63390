"""Entry point: ``python -m app`` opens the GUI; ``python -m app COMMAND`` runs a command.

Kept light on purpose: only the standard library is imported before we know which one is wanted. The
GUI imports one thing before Qt: pydantic (through sqlmodel), see ``preload_before_qt``.
"""

from __future__ import annotations

import sys

GUI_OPTIONS = ("--db", "--lang", "--demo", "--theme")


def _wants_gui(argv: list[str]) -> bool:
    positional = [a for i, a in enumerate(argv) if not a.startswith("-") and (i == 0 or argv[i - 1] not in GUI_OPTIONS)]
    return not positional and "--version" not in argv and "-h" not in argv and "--help" not in argv


def preload_before_qt() -> None:
    """Import sqlmodel, and with it pydantic and SQLAlchemy, before PySide6 is imported.

    Once PySide6 is loaded, shiboken checks every newly imported module with ``inspect.getsource``, which
    asks the module for ``__wrapped__``. pydantic's modules answer unknown attributes by importing
    ``pydantic._internal._validators``; asked while that very module is being imported (it imports
    ``pydantic.errors``), the import fails as circular. Whether shiboken asks at that moment depended on
    what the GUI thread was importing at the same time, so the installed app failed to open its database
    on some starts (seen in CI). Imported here, before the check exists, pydantic is complete before
    anyone asks. It costs about 0.3 s before the first window, which the database thread no longer
    spends, so the sign-in is ready no later.
    """
    import sqlmodel  # noqa: F401  (imported for its side effect: pydantic fully initialized)


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if "--version" in argv and not any(not a.startswith("-") for a in argv):
        from app import __version__

        print(f"CareRounds {__version__}")
        return 0
    if _wants_gui(argv) and not ("-h" in argv or "--help" in argv):
        preload_before_qt()
        from app.ui.shell.launch import run_gui

        return int(run_gui(argv))
    from app.cli.main import main as cli_main

    code = cli_main(argv)
    _before_exit()
    return code


def _before_exit() -> None:
    """Spare the end of a command the interpreter's last sweep of every object (``main`` ends the process).

    At exit CPython clears each module and collects the cycles that leaves: the models', SQLAlchemy's and
    pydantic's hundreds of thousands of objects, some 0.2 s of every command (issue 19). The command's own
    garbage is collected here first, so that a connection or a file left in a cycle is still closed as before;
    what is still alive is then frozen and left to the operating system, which takes a process's memory back
    at once. ``atexit`` handlers and the flushing of standard output run as before.
    """
    import gc

    gc.collect()
    gc.freeze()


if __name__ == "__main__":
    sys.exit(main())
