"""No real modal dialog in a test: every blocking dialog call is faked, and one nobody expected fails the test.

A modal dialog opened by a test waits for a click that never comes: the run sits idle until CI's time
runs out. ``tests/ui/conftest.py`` installs :class:`DialogGuard` around every UI test (the ``dialogs``
fixture). A test that expects a dialog says so, with the answer the user gives::

    dialogs.expect("question", QMessageBox.StandardButton.Yes, containing="Delete")
    dialogs.expect("exec", lambda box: box.done(QDialog.DialogCode.Accepted) or 1)
    dialogs.expect("getOpenFileName", ("/tmp/roster.xlsx", ""))

Expectations are met in order. A call nobody expected is answered "no" (Cancel, rejected, an empty
name), recorded, and fails the test at its end, naming the dialog and its text. Tests that monkeypatch a
dialog function themselves keep working: their patch sits over this one.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from PySide6.QtWidgets import QDialog, QFileDialog, QInputDialog, QMessageBox

_BOX_STATICS = ("critical", "warning", "information", "question", "about")
_FILE_STATICS = ("getOpenFileName", "getOpenFileNames", "getSaveFileName", "getExistingDirectory")
_INPUT_STATICS = ("getText", "getInt", "getDouble", "getItem", "getMultiLineText")

_REFUSALS: dict[str, Any] = {
    "critical": QMessageBox.StandardButton.Ok,
    "warning": QMessageBox.StandardButton.Ok,
    "information": QMessageBox.StandardButton.Ok,
    "question": QMessageBox.StandardButton.No,
    "about": None,
    "exec": int(QDialog.DialogCode.Rejected),
    "getOpenFileName": ("", ""),
    "getOpenFileNames": ([], ""),
    "getSaveFileName": ("", ""),
    "getExistingDirectory": "",
    "getText": ("", False),
    "getInt": (0, False),
    "getDouble": (0.0, False),
    "getItem": ("", False),
    "getMultiLineText": ("", False),
}


@dataclass(frozen=True)
class DialogCall:
    """A dialog the code under test opened: its kind (``question``, ``exec``, ``getOpenFileName`` …) and texts."""

    kind: str
    title: str
    text: str
    expected: bool


@dataclass
class _Expectation:
    kind: str
    answer: Any
    containing: str


@dataclass
class DialogGuard:
    """Fakes for the blocking dialog calls; see the module docstring."""

    calls: list[DialogCall] = field(default_factory=list)
    reported: int = 0  # unexpected calls already reported
    _expected: list[_Expectation] = field(default_factory=list)

    def expect(self, kind: str, answer: Any = None, *, containing: str = "") -> None:
        """Expect a ``kind`` dialog (whose title or text contains ``containing``) and answer it with ``answer``.

        ``answer`` is returned as the dialog's result; a callable is called with the dialog (``exec``) or
        with the static function's arguments, and its return value is the result. None: the usual "no".
        """
        if kind not in _REFUSALS:
            raise ValueError(f"no such dialog kind: {kind!r} (one of {', '.join(_REFUSALS)})")
        self._expected.append(_Expectation(kind, answer, containing))

    @property
    def unexpected(self) -> list[DialogCall]:
        return [call for call in self.calls if not call.expected]

    @property
    def pending(self) -> list[str]:
        """The expected dialogs that did not open (a test may assert this is empty)."""
        return [expectation.kind for expectation in self._expected]

    def _answer(self, kind: str, title: str, text: str, argument: Any) -> Any:
        for index, expectation in enumerate(self._expected):
            if expectation.kind == kind and expectation.containing in f"{title}\n{text}":
                del self._expected[index]
                self.calls.append(DialogCall(kind, title, text, expected=True))
                if callable(expectation.answer):
                    return expectation.answer(argument)
                return _REFUSALS[kind] if expectation.answer is None else expectation.answer
        self.calls.append(DialogCall(kind, title, text, expected=False))
        if isinstance(argument, QDialog):
            argument.reject()  # as if closed: the dialog is not left open
        return _REFUSALS[kind]

    def install(self, monkeypatch: pytest.MonkeyPatch) -> None:
        for name in _BOX_STATICS:
            monkeypatch.setattr(QMessageBox, name, staticmethod(self._static(name, text_at=2)))
        for name in _FILE_STATICS:
            monkeypatch.setattr(QFileDialog, name, staticmethod(self._static(name, text_at=1)))
        for name in _INPUT_STATICS:
            monkeypatch.setattr(QInputDialog, name, staticmethod(self._static(name, text_at=2)))
        guard = self

        def exec_(dialog: QDialog) -> int:
            text = dialog.text() if isinstance(dialog, QMessageBox) else type(dialog).__name__
            return int(guard._answer("exec", dialog.windowTitle(), text, dialog))

        monkeypatch.setattr(QDialog, "exec", exec_)
        monkeypatch.setattr(QMessageBox, "exec", exec_)
        monkeypatch.setattr(QDialog, "exec_", exec_, raising=False)

    def _static(self, name: str, *, text_at: int) -> Callable[..., Any]:
        def fake(*args: Any, **kwargs: Any) -> Any:
            title = str(args[1]) if len(args) > 1 else str(kwargs.get("title", kwargs.get("caption", "")))
            text = str(args[text_at]) if len(args) > text_at else str(kwargs.get("text", kwargs.get("label", "")))
            return self._answer(name, title, text, args)

        return fake

    def fail_if_unexpected(self) -> None:
        """Fail the test if a dialog nobody expected opened since the last report."""
        unexpected = self.unexpected[self.reported :]
        if unexpected:
            self.reported += len(unexpected)
            pytest.fail(self.report(unexpected), pytrace=False)

    def report(self, calls: list[DialogCall] | None = None) -> str:
        lines = [f"  {call.kind}: {call.title!r} — {call.text!r}" for call in (calls or self.unexpected)]
        return "a test opened a modal dialog nobody expected (declare it with dialogs.expect):\n" + "\n".join(lines)
