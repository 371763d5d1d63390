"""Run work off the GUI thread: the one task runner of the user interface.

Modelled on Anki's ``CollectionOp``. A screen's slot starts an :class:`Op`; the function runs on a
worker thread, and its result or error comes back to the GUI thread through a queued signal::

    Op(self, lambda: services.plan_week(uow, week=week)) \\
        .with_progress(self.tr("Planning the week…")) \\
        .success(self.show_plan) \\
        .run()

Rules the runner keeps, so screens do not have to:

- Database work runs on one dedicated thread (:func:`database_pool`, at most one thread, never
  expiring), so SQLite writes are serialised and thread-bound connections stay on one thread.
  Pass ``pool=`` for other work.
- A progress dialog appears only if the work takes longer than :data:`PROGRESS_DELAY_MS`, so quick
  operations never flash a window.
- Cancellable work receives a :class:`CancelToken` (when the function has a ``token`` parameter,
  or through :meth:`Op.with_token`); it polls ``token.cancelled`` or calls
  ``token.raise_if_cancelled()``, and reports progress with ``token.report(done, total)``.
- Worker code never touches widgets; callbacks run on the GUI thread.
- Without a failure callback, a :class:`~app.domain.errors.DomainError` is shown as a warning with
  its message; any other exception is logged with its traceback and shown as "unexpected error".
  Nothing ends as an unhandled traceback.
- If the parent object was destroyed meanwhile, the result is dropped silently.
- Ops started with :meth:`Op.latest_only` under the same key (search as you type) deliver only the
  newest result; older ones still waiting are skipped before they run.

Tests can run ops synchronously with ``with run_sync_for_tests(): ...``.
"""

from __future__ import annotations

import inspect
import logging
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from enum import Enum
from typing import Any, Generic, Literal, TypeVar, cast

import shiboken6
from PySide6.QtCore import (
    QCoreApplication,
    QObject,
    QRunnable,
    Qt,
    QThreadPool,
    QTimer,
    Signal,
    Slot,
)
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QMessageBox, QProgressDialog, QWidget

from app.domain.errors import DomainError
from app.services.failures import store_error

log = logging.getLogger(__name__)

T = TypeVar("T")

PROGRESS_DELAY_MS = 500
"""Work shorter than this never shows a progress dialog."""

_REPORT_INTERVAL_S = 0.05
"""Progress reports closer together than this are not sent to the GUI (except the last one)."""

_sync_mode = False
_database_pool: QThreadPool | None = None
_active: set[Op[Any]] = set()
_latest: dict[str, Op[Any]] = {}


class CancelledError(Exception):
    """Stop cancelled work; raised by :meth:`CancelToken.raise_if_cancelled`."""


class CancelToken:
    """Carry a cancel request to worker code and progress reports back from it.

    Plain Python and thread-safe: the GUI thread cancels, the worker thread polls and reports.
    """

    def __init__(self) -> None:
        self._event = threading.Event()
        self._on_report: Callable[[int, int], None] | None = None
        self._last_report = 0.0

    @property
    def cancelled(self) -> bool:
        """Whether cancellation was requested."""
        return self._event.is_set()

    def cancel(self) -> None:
        """Request cancellation; the worker stops at its next check."""
        self._event.set()

    def wait_cancelled(self, timeout: float) -> bool:
        """Block the worker until cancellation is requested or ``timeout`` seconds pass; return whether it was."""
        return self._event.wait(timeout)

    def raise_if_cancelled(self) -> None:
        """Raise :class:`CancelledError` if cancellation was requested.

        Raises:
            CancelledError: the work should stop (and roll back what it started).
        """
        if self._event.is_set():
            raise CancelledError

    def report(self, done: int, total: int) -> None:
        """Report progress; the dialog shows ``done`` of ``total`` (a busy bar while ``total`` is 0).

        Args:
            done: units of work finished so far.
            total: units of work in all, or 0 if unknown.
        """
        now = time.monotonic()
        if done < total and now - self._last_report < _REPORT_INTERVAL_S:
            return
        self._last_report = now
        if self._on_report is not None:
            self._on_report(done, total)


def database_pool() -> QThreadPool:
    """Return the pool for database work: one thread, kept alive, so SQLite writes are serialised."""
    global _database_pool
    if _database_pool is None or not shiboken6.isValid(_database_pool):
        _database_pool = QThreadPool(QCoreApplication.instance())
        _database_pool.setObjectName("carerounds-database")
        _database_pool.setMaxThreadCount(1)
        _database_pool.setExpiryTimeout(-1)
    return _database_pool


@contextmanager
def run_sync_for_tests() -> Iterator[None]:
    """Run every op started inside the ``with`` block on the calling thread, callbacks included."""
    global _sync_mode
    previous = _sync_mode
    _sync_mode = True
    try:
        yield
    finally:
        _sync_mode = previous


def shutdown(msecs: int = 5000) -> bool:
    """Cancel running cancellable ops and wait for the database thread; call before the app quits.

    Args:
        msecs: how long to wait at most.

    Returns:
        Whether every worker finished in time.
    """
    for op in list(_active):
        if op._cancellable:
            op._token.cancel()
    return _database_pool is None or not shiboken6.isValid(_database_pool) or _database_pool.waitForDone(msecs)


class _Kind(Enum):
    SUCCEEDED = "succeeded"
    FAILED = "failed"
    CANCELLED = "cancelled"
    SKIPPED = "skipped"


@dataclass(frozen=True)
class _Outcome:
    kind: _Kind
    value: object = None


class _Dispatcher(QObject):
    """Lives on the GUI thread and hands each outcome to its op there.

    The worker lets go of its op *before* it reports, so the last reference to an op (a QObject
    with timers and a parent) is always dropped on the GUI thread, never on a worker thread, where
    destroying it would stop GUI-thread timers from the wrong thread and crash.

    Signals:
        completed(object, object): the id of an op and its outcome, sent from a worker thread.
    """

    completed = Signal(object, object)

    def __init__(self) -> None:
        super().__init__()
        self.completed.connect(self._route, Qt.ConnectionType.QueuedConnection)

    @Slot(object, object)
    def _route(self, key: int, outcome: _Outcome) -> None:
        op = _running.pop(key, None)
        if op is not None:
            op._deliver(outcome)


_dispatcher: _Dispatcher | None = None
_running: dict[int, Op[Any]] = {}


def _get_dispatcher() -> _Dispatcher:
    """Return the dispatcher, creating it on first use (always from the GUI thread)."""
    global _dispatcher
    if _dispatcher is None:
        _dispatcher = _Dispatcher()
    return _dispatcher


class _Job(QRunnable):
    def __init__(self, op: Op[Any], dispatcher: _Dispatcher) -> None:
        super().__init__()
        self._op: Op[Any] | None = op
        self._key = id(op)
        self._dispatcher = dispatcher
        self.setAutoDelete(True)

    def run(self) -> None:
        op, self._op = self._op, None
        assert op is not None
        outcome = op._execute()
        del op  # the GUI thread holds the op in _running until it is delivered there
        try:
            self._dispatcher.completed.emit(self._key, outcome)
        except RuntimeError:  # the application is shutting down: nobody is left to deliver to
            log.debug("dropping the outcome of an op finished after shutdown")


class _ProgressDialog(QProgressDialog):
    """Show an op's progress; closing it only cancels when the op allows it."""

    def __init__(self, label: str, cancellable: bool, parent: QWidget | None) -> None:
        super().__init__(label, "", 0, 0, parent)
        self._cancellable = cancellable
        self.setWindowTitle(QCoreApplication.translate("Op", "CareRounds"))
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.setAutoReset(False)
        self.setAutoClose(False)
        self.setMinimumDuration(0)
        if cancellable:
            self.setCancelButtonText(QCoreApplication.translate("Op", "Cancel"))
        else:
            self.setCancelButton(None)

    def closeEvent(self, event: QCloseEvent) -> None:
        if self._cancellable:
            super().closeEvent(event)
        else:
            event.ignore()

    def reject(self) -> None:
        # Escape: cancel like the button does, or do nothing when the work cannot be cancelled.
        if self._cancellable:
            self.canceled.emit()


class Op(QObject, Generic[T]):
    """Run ``fn`` on a worker thread and deliver its result on the GUI thread.

    Configure with the chainable methods, then call :meth:`run` once. The op keeps itself alive
    until it has finished, so callers need not hold a reference.

    Args:
        parent: the object the result is for, usually the widget that started the work. If it is
            destroyed before the work ends, the result is dropped. Dialogs are parented to its window.
        fn: the work. If it has a ``token`` parameter it is called as ``fn(token=CancelToken)``.
        pool: the thread pool to run on; :func:`database_pool` by default.

    Signals:
        finished: emitted on the GUI thread once the op is over, whether its result was delivered,
            failed, cancelled, skipped or dropped.
        _progressed(int, int): worker to GUI thread progress reports (internal).
    """

    finished = Signal()
    _progressed = Signal(int, int)

    def __init__(self, parent: QObject, fn: Callable[..., T], *, pool: QThreadPool | None = None) -> None:
        super().__init__()
        self._parent = parent
        self._fn = fn
        self._pool = pool
        self._token = CancelToken()
        self._token_arg: Literal["none", "keyword", "positional"] = "keyword" if _accepts_token_keyword(fn) else "none"
        self._label: str | None = None
        self._on_success: Callable[[T], object] | None = None
        self._on_failure: Callable[[BaseException], None] | None = None
        self._on_cancel: Callable[[], None] | None = None
        self._cancellable = False
        self._latest_key: str | None = None
        self._superseded = False
        self._started = False
        self._done = False
        self._dialog: _ProgressDialog | None = None
        self._last_progress = (0, 0)
        self._timer: QTimer | None = None
        self._progressed.connect(self._show_progress, Qt.ConnectionType.QueuedConnection)

    @classmethod
    def with_token(cls, parent: QObject, fn: Callable[[CancelToken], T], *, pool: QThreadPool | None = None) -> Op[T]:
        """Make an op whose function takes the :class:`CancelToken` as its only argument.

        Args:
            parent: as for :class:`Op`.
            fn: the work, called as ``fn(token)``.
            pool: as for :class:`Op`.

        Returns:
            The new op, not yet started.
        """
        op: Op[T] = cls(parent, fn, pool=pool)
        op._token_arg = "positional"
        return op

    def with_progress(self, label: str) -> Op[T]:
        """Show a progress dialog with ``label`` if the work takes longer than :data:`PROGRESS_DELAY_MS`.

        Args:
            label: what is being done, already translated (e.g. ``self.tr("Printing…")``).

        Returns:
            This op, for chaining.
        """
        self._label = label
        return self

    def success(self, callback: Callable[[T], object]) -> Op[T]:
        """Call ``callback(result)`` on the GUI thread when the work returns.

        Args:
            callback: receives the function's return value.

        Returns:
            This op, for chaining.
        """
        self._on_success = callback
        return self

    def failure(self, callback: Callable[[BaseException], None]) -> Op[T]:
        """Call ``callback(error)`` on the GUI thread instead of showing the default error dialog.

        Args:
            callback: receives the exception the function raised.

        Returns:
            This op, for chaining.
        """
        self._on_failure = callback
        return self

    def cancellable(self) -> Op[T]:
        """Let the user cancel: the progress dialog gets a Cancel button (and Escape) wired to the token.

        The dialog closes at once; the work stops at its next token check and its result is dropped.
        Without this, the dialog has no Cancel button and ignores Escape and the close button.

        Returns:
            This op, for chaining.
        """
        self._cancellable = True
        return self

    def on_cancel(self, callback: Callable[[], None]) -> Op[T]:
        """Call ``callback()`` on the GUI thread if the op was cancelled.

        Args:
            callback: takes no arguments.

        Returns:
            This op, for chaining.
        """
        self._on_cancel = callback
        return self

    def latest_only(self, key: str) -> Op[T]:
        """Deliver only the newest op started with ``key``; older ones are skipped or their results dropped.

        Starting an op with the key cancels the token of the previous one; if that one has not started
        yet it never runs, and whatever it returns is dropped without calling any callback.

        Args:
            key: names the stream of ops, e.g. ``"resident-search"``.

        Returns:
            This op, for chaining.
        """
        self._latest_key = key
        return self

    @property
    def token(self) -> CancelToken:
        """The op's cancel token."""
        return self._token

    @property
    def progress_dialog(self) -> QProgressDialog | None:
        """The progress dialog while it is shown, else ``None``."""
        return self._dialog

    def is_finished(self) -> bool:
        """Return whether the op is over (its callbacks, if any, have run)."""
        return self._done

    def cancel(self) -> None:
        """Cancel the op: the worker sees ``token.cancelled`` and the result is not delivered."""
        self._token.cancel()

    def run(self) -> Op[T]:
        """Start the work; call once, on the GUI thread.

        Returns:
            This op (to wait on :attr:`finished` or cancel it later).

        Raises:
            RuntimeError: the op was already started.
        """
        if self._started:
            raise RuntimeError("an Op runs only once")
        self._started = True
        if self._latest_key is not None:
            previous = _latest.get(self._latest_key)
            if previous is not None and not previous._done:
                previous._superseded = True
                previous._token.cancel()
            _latest[self._latest_key] = self
        if _sync_mode:
            self._deliver(self._execute())
            return self
        _active.add(self)
        self._token._on_report = self._progressed.emit
        if self._label is not None:
            self._timer = QTimer(self)
            self._timer.setSingleShot(True)
            self._timer.setTimerType(Qt.TimerType.PreciseTimer)
            self._timer.timeout.connect(self._open_dialog)
            self._timer.start(PROGRESS_DELAY_MS)
        pool = self._pool if self._pool is not None else database_pool()
        dispatcher = _get_dispatcher()
        _running[id(self)] = self
        pool.start(_Job(self, dispatcher))
        return self

    def _execute(self) -> _Outcome:
        """Run the function on the current (worker) thread; touch no widget here."""
        if self._token.cancelled:
            return _Outcome(_Kind.SKIPPED if self._superseded else _Kind.CANCELLED)
        try:
            if self._token_arg == "keyword":
                result = self._fn(token=self._token)
            elif self._token_arg == "positional":
                result = self._fn(self._token)
            else:
                result = self._fn()
        except CancelledError:
            return _Outcome(_Kind.CANCELLED)
        except BaseException as exc:  # every error is handed to the GUI thread, none escapes
            if self._token.cancelled:
                log.warning("cancelled op failed while stopping", exc_info=exc)
                return _Outcome(_Kind.CANCELLED)
            return _Outcome(_Kind.FAILED, exc)
        if self._token.cancelled:
            return _Outcome(_Kind.CANCELLED)
        return _Outcome(_Kind.SUCCEEDED, result)

    @Slot(object)
    def _deliver(self, outcome: _Outcome) -> None:
        self._close_dialog()
        try:
            if self._superseded or outcome.kind is _Kind.SKIPPED:
                return
            parent_alive = shiboken6.isValid(self._parent)
            if outcome.kind is _Kind.FAILED:
                assert isinstance(outcome.value, BaseException)
                self._handle_failure(outcome.value, parent_alive)
            elif not parent_alive:
                log.debug("dropping the result of an op whose parent was destroyed")
            elif outcome.kind is _Kind.CANCELLED:
                if self._on_cancel is not None:
                    self._call_safely(self._on_cancel)
            elif self._on_success is not None:
                on_success = self._on_success
                value = cast(T, outcome.value)  # a succeeded outcome holds what the work returned
                self._call_safely(lambda: on_success(value))
        finally:
            self._done = True
            if self._latest_key is not None and _latest.get(self._latest_key) is self:
                del _latest[self._latest_key]
            self._token._on_report = None
            self.finished.emit()
            _active.discard(self)

    def _handle_failure(self, error: BaseException, parent_alive: bool) -> None:
        error = store_error(error) or error  # SQLite's busy / disk full / I/O error, said plainly
        if not parent_alive:
            if not isinstance(error, DomainError):
                log.error("op failed after its window closed", exc_info=error)
            return
        if self._on_failure is not None:
            on_failure = self._on_failure
            self._call_safely(lambda: on_failure(error))
        else:
            show_error(self._dialog_parent(), error)

    def _call_safely(self, callback: Callable[[], object]) -> None:
        try:
            callback()
        except Exception as exc:
            show_error(self._dialog_parent(), exc)

    def _dialog_parent(self) -> QWidget | None:
        parent = self._parent
        if isinstance(parent, QWidget) and shiboken6.isValid(parent):
            return parent.window()
        return None

    @Slot()
    def _open_dialog(self) -> None:
        if self._done or self._label is None or self._superseded or self._token.cancelled:
            return
        if not shiboken6.isValid(self._parent):
            return  # nobody waits for this result any more
        dialog = _ProgressDialog(self._label, self._cancellable, self._dialog_parent())
        if self._cancellable:
            dialog.canceled.connect(self._token.cancel)
        self._dialog = dialog
        self._apply_progress(*self._last_progress)
        dialog.show()

    @Slot(int, int)
    def _show_progress(self, done: int, total: int) -> None:
        self._last_progress = (done, total)
        if self._dialog is not None:
            self._apply_progress(done, total)

    def _apply_progress(self, done: int, total: int) -> None:
        dialog = self._dialog
        if dialog is None:
            return
        if total <= 0:
            dialog.setRange(0, 0)
        else:
            dialog.setRange(0, total)
            dialog.setValue(min(done, total))

    def _close_dialog(self) -> None:
        if self._timer is not None:
            self._timer.stop()
        dialog, self._dialog = self._dialog, None
        if dialog is not None:
            dialog.hide()
            dialog.deleteLater()


def show_error(parent: QWidget | None, error: BaseException) -> None:
    """Show ``error`` to the user: its message for a domain error, else log it and say it was unexpected.

    Args:
        parent: the window the message box belongs to, or ``None``.
        error: the exception to show.
    """
    error = store_error(error) or error
    if isinstance(error, DomainError):
        QMessageBox.warning(parent, QCoreApplication.translate("Op", "CareRounds"), str(error))
        return
    log.error("unexpected error in an operation", exc_info=error)
    text = QCoreApplication.translate("Op", "An unexpected error occurred:\n{error}").format(
        error=f"{type(error).__name__}: {error}"
    )
    QMessageBox.critical(parent, QCoreApplication.translate("Op", "Unexpected error"), text)


def _accepts_token_keyword(fn: Callable[..., object]) -> bool:
    try:
        parameter = inspect.signature(fn).parameters.get("token")
    except (TypeError, ValueError):
        return False
    return parameter is not None and parameter.kind in (
        inspect.Parameter.KEYWORD_ONLY,
        inspect.Parameter.POSITIONAL_OR_KEYWORD,
    )
