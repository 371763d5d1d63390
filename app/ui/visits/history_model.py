"""The table model of a resident's visit history — 巡诊记录: a line per visit, newest first.

:class:`VisitHistoryModel`: date, outcome, the vital signs with abnormal values marked ▲ and urgent ones ‼
(never colour alone), the follow-up classification (each disease's: "高血压：控制满意 · 糖尿病：控制不满意", the
overall one where the visit followed up one disease), the version ("v2, corrects v1"), who recorded it, its sync
state, notes. With *show earlier versions* each corrected visit's replaced versions follow it, marked so.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont

from app.domain.follow_up import ChronicClass, Disease
from app.domain.visits import VisitEntry
from app.domain.vitals import FlagLevel, VitalsAssessment
from app.services.sync.overview import RecordSyncState
from app.services.visits.save import VisitChain, VisitRecord

ModelIndex = QModelIndex | QPersistentModelIndex

ABNORMAL_BACKGROUND = QColor("#fff3cd")
URGENT_BACKGROUND = QColor("#fde0e0")


@dataclass(frozen=True)
class HistoryRow:
    """One line of the table: a version of a visit, the chain it belongs to, whether it is in force."""

    record: VisitRecord
    chain: VisitChain
    latest: bool
    replaced_by: int | None = None


class VisitHistoryModel(QAbstractTableModel):
    """The visits of a resident, newest first; optionally each one's earlier versions under it.

    Args:
        parent: the owning object.
    """

    COLUMNS = (
        "date",
        "outcome",
        "bp",
        "pulse",
        "temperature",
        "spo2",
        "glucose",
        "weight",
        "chronic",
        "version",
        "recorded_by",
        "sync",
        "notes",
    )

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._chains: list[VisitChain] = []
        self._rows: list[HistoryRow] = []
        self._assessments: dict[str, VitalsAssessment] = {}
        self._sync_states: dict[str, str] = {}
        self.show_earlier = False

    def set_chains(
        self,
        chains: Sequence[VisitChain],
        *,
        show_earlier: bool | None = None,
        sync_states: Mapping[str, str] | None = None,
    ) -> None:
        """Show ``chains``; ``sync_states`` gives each version's sync state by visit id (kept when None)."""
        if show_earlier is not None:
            self.show_earlier = show_earlier
        if sync_states is not None:
            self._sync_states = dict(sync_states)
        self.beginResetModel()
        self._chains = list(chains)
        self._rows = []
        self._assessments = {}
        for chain in self._chains:
            self._rows.append(HistoryRow(chain.latest, chain, True))
            self._assessments[chain.latest.id] = chain.assessment()
            if self.show_earlier:
                newer = chain.latest.version
                for record in chain.earlier:
                    self._rows.append(HistoryRow(record, chain, False, newer))
                    self._assessments[record.id] = record.assessment(chain.previous_weight)
                    newer = record.version
        self.endResetModel()

    def row_at(self, row: int) -> HistoryRow:
        return self._rows[row]

    def rows(self) -> list[HistoryRow]:
        return list(self._rows)

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: ModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        return (
            self.tr("Date"),
            self.tr("Outcome"),
            self.tr("BP"),
            self.tr("Pulse"),
            self.tr("Temp."),
            self.tr("SpO₂"),
            self.tr("Glucose"),
            self.tr("Weight"),
            self.tr("Chronic"),
            self.tr("Version"),
            self.tr("Recorded by"),
            self.tr("Sync"),
            self.tr("Notes"),
        )[section]

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self._rows[index.row()]
        name = self.COLUMNS[index.column()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return self._text(row, name, role == Qt.ItemDataRole.ToolTipRole)
        if role == Qt.ItemDataRole.BackgroundRole and row.latest:
            level = self._level(row, name)
            if level is FlagLevel.URGENT:
                return QBrush(URGENT_BACKGROUND)
            if level is FlagLevel.ABNORMAL:
                return QBrush(ABNORMAL_BACKGROUND)
        if role == Qt.ItemDataRole.ForegroundRole:
            if not row.latest:
                return QBrush(QColor("#757575"))
            if self._level(row, name) is not None:
                return QBrush(QColor("#000000"))
        if role == Qt.ItemDataRole.FontRole and not row.latest:
            font = QFont()
            font.setItalic(True)
            return font
        if role == Qt.ItemDataRole.TextAlignmentRole and name in ("pulse", "temperature", "spo2", "glucose", "weight"):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.UserRole:
            return row
        return None

    def _level(self, row: HistoryRow, name: str) -> FlagLevel | None:
        fields = {
            "bp": ("sbp", "dbp"),
            "pulse": ("pulse",),
            "temperature": ("temperature",),
            "spo2": ("spo2",),
            "glucose": ("glucose",),
            "weight": ("weight",),
        }.get(name, ())
        assessment = self._assessments.get(row.record.id)
        if assessment is None:
            return None
        levels = [assessment.level(field) for field in fields]
        if FlagLevel.URGENT in levels:
            return FlagLevel.URGENT
        if FlagLevel.ABNORMAL in levels:
            return FlagLevel.ABNORMAL
        return None

    def _mark(self, row: HistoryRow, name: str, text: str) -> str:
        if not text:
            return text
        level = self._level(row, name)
        return f"‼ {text}" if level is FlagLevel.URGENT else f"▲ {text}" if level is FlagLevel.ABNORMAL else text

    def _text(self, row: HistoryRow, name: str, tooltip: bool) -> str:
        record = row.record
        entry = record.entry
        if name == "date":
            text = record.visit_date.isoformat()
            return text if row.latest else f"↳ {text}"
        if name == "outcome":
            return record.outcome.label
        if name == "bp":
            bp = f"{_n(entry.sbp)}/{_n(entry.dbp)}" if entry.sbp is not None or entry.dbp is not None else ""
            return self._mark(row, name, bp)
        if name in ("pulse", "temperature", "spo2", "weight"):
            return self._mark(row, name, _n(getattr(entry, name)))
        if name == "glucose":
            if entry.glucose is None:
                return ""
            kind = self.tr("F") if entry.glucose_fasting else self.tr("R")
            return self._mark(row, name, f"{_n(entry.glucose)} {kind}")
        if name == "chronic":  # each disease's class; the overall one where the visit followed up one disease
            return follow_up_text(entry, self.tr("{disease}: {value}"), name_one=tooltip)
        if name == "version":
            return self._version_text(row)
        if name == "recorded_by":
            return record.recorded_by_name or self.tr("command line")
        if name == "sync":
            return self.sync_text(self._sync_states.get(record.id, ""), tooltip)
        return self._notes(row, tooltip)

    def classes_sample(self) -> str:
        """Return the widest follow-up text usual: both diseases not controlled (to size the column)."""
        pattern = self.tr("{disease}: {value}")
        return " · ".join(
            pattern.format(disease=_capital(disease.label), value=ChronicClass.NOT_CONTROLLED.label)
            for disease in Disease
        )

    def sync_state(self, visit_id: str) -> str:
        """Return the sync state of the version ``visit_id`` (a ``RecordSyncState`` value, or "")."""
        return self._sync_states.get(visit_id, "")

    def sync_text(self, state: str, long: bool = False) -> str:
        """Return a sync state as a symbol and words (never a colour alone); the long form explains it."""
        if state == RecordSyncState.NOT_EXPORTED:
            return (
                self.tr("○ not yet exported: only on this computer until the next sync export")
                if long
                else self.tr("○ not yet exported")
            )
        if state == RecordSyncState.EXPORTED:
            return (
                self.tr("↗ exported: in a sync package, not yet confirmed by every device")
                if long
                else self.tr("↗ exported")
            )
        if state == RecordSyncState.ACKNOWLEDGED:
            return self.tr("✓ acknowledged: every known device has it") if long else self.tr("✓ acknowledged")
        return ""

    def _version_text(self, row: HistoryRow) -> str:
        record = row.record
        if not row.latest:
            return self.tr("v{version}, replaced by v{newer}").format(version=record.version, newer=row.replaced_by)
        if record.version > 1:
            text = self.tr("v{version}, corrects v{previous}").format(
                version=record.version, previous=record.version - 1
            )
            return text + (" ⚠" if row.chain.forked else "")
        return self.tr("v1")

    def _notes(self, row: HistoryRow, tooltip: bool) -> str:
        record = row.record
        parts = []
        if record.late:
            parts.append(
                self.tr("late entry: {reason}").format(reason=record.late_reason)
                if record.late_reason
                else self.tr("late entry")
            )
        if record.entry.referral is not None:
            parts.append(self.tr("referral → {destination}").format(destination=record.entry.referral.destination))
        if record.entry.findings:
            parts.append(record.entry.findings.replace("\n", " "))
        return ("\n" if tooltip else " · ").join(parts)


def follow_up_classes(entry: VisitEntry) -> list[tuple[Disease, ChronicClass]]:
    """Return the (disease, class) pairs of a visit's follow-up, in the order of :class:`Disease`."""
    found = dict(entry.follow_ups)
    pairs = []
    for disease in Disease:
        try:
            pairs.append((disease, ChronicClass(found[disease.value])))
        except (KeyError, ValueError):
            continue
    return pairs


def follow_up_text(entry: VisitEntry, pattern: str, *, name_one: bool = False) -> str:
    """Return a visit's follow-up classes: each disease's, ``pattern`` ("{disease}: {value}") joined by " · ", when
    it classified two; the one class when it classified one (named by ``pattern`` with ``name_one``); else the
    visit's single class (a visit of before the per-disease forms)."""
    pairs = follow_up_classes(entry)
    if len(pairs) > 1 or (pairs and name_one):
        return " · ".join(pattern.format(disease=_capital(d.label), value=c.label) for d, c in pairs)
    if pairs:
        return pairs[0][1].label
    try:
        return ChronicClass(entry.chronic_class).label if entry.chronic_class else ""
    except ValueError:
        return entry.chronic_class


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]  # "hypertension" heads its line in English; Chinese is unchanged


def _n(value: float | None) -> str:
    return "" if value is None else f"{value:g}"
