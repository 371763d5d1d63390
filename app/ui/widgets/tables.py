"""read_only_table — the one way a list of records is shown: whole rows selected, nothing edited in place;
fit_columns — the one way its columns are sized to sample texts and to the theme's capitalised titles."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from PySide6.QtCore import QAbstractItemModel, Qt
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget


def read_only_table(
    parent: QWidget,
    model: QAbstractItemModel,
    object_name: str,
    *,
    several: bool = False,
    shaded: bool = True,
    grid: bool = True,
    fit_contents: bool = False,
    stretch: Sequence[int] = (),
) -> QTableView:
    """Return a read-only view of ``model``: rows selected whole, alternate shading, no row numbers.

    Tab leaves the table (the arrows move in it); rows keep the one height the view gives them; the titles do
    not turn bold when a row is selected.

    Args:
        parent: the owning widget.
        model: the rows to show.
        object_name: the view's object name (tests and style sheets find it by that).
        several: let Shift / Ctrl select several rows (for deciding about many at once).
        shaded: shade every other row.
        grid: draw the grid between cells.
        fit_contents: columns always as wide as their contents (for short lists); else the user resizes them.
        stretch: the columns that share the room left; the last column by default.
    """
    table = QTableView(parent)
    table.setObjectName(object_name)
    table.setModel(model)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    mode = QAbstractItemView.SelectionMode
    table.setSelectionMode(mode.ExtendedSelection if several else mode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setAlternatingRowColors(shaded)
    table.setShowGrid(grid)
    table.setWordWrap(False)
    table.setTabKeyNavigation(False)  # Tab leaves the table, arrows move in it
    vertical = table.verticalHeader()
    vertical.setVisible(False)
    vertical.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
    header = table.horizontalHeader()
    resize = QHeaderView.ResizeMode
    header.setSectionResizeMode(resize.ResizeToContents if fit_contents else resize.Interactive)
    header.setStretchLastSection(not stretch)
    for column in stretch:
        header.setSectionResizeMode(column, resize.Stretch)
    header.setHighlightSections(False)
    return table


def fit_columns(
    table: QTableView,
    samples: Sequence[str] | Mapping[int, str],
    *,
    header_padding: int = 56,
    sample_padding: int = 24,
    row_height: tuple[int, int] | None = None,
) -> list[int]:
    """Size the columns of ``table`` to sample texts and to their titles as the theme draws them.

    The theme shows titles in capitals with wide padding, so the title counts too; the rows never do (they
    may be 100 000), and a column is never made narrower than Qt's own size hint for its title.

    Args:
        samples: one sample text per column from the first, or {column: sample} for some columns.
        header_padding, sample_padding: room added around the title and the sample.
        row_height: (least height, padding over the font's height) for the rows, or None to leave them.

    Returns:
        The widths given, in the order of ``samples``.
    """
    metrics = table.fontMetrics()
    header = table.horizontalHeader()
    model = table.model()
    if row_height is not None:
        least, padding = row_height
        table.verticalHeader().setDefaultSectionSize(max(least, metrics.height() + padding))
    pairs = samples.items() if isinstance(samples, Mapping) else enumerate(samples)
    widths = []
    for column, sample in pairs:
        title = str(model.headerData(column, Qt.Orientation.Horizontal) or "").upper()
        width = max(
            metrics.horizontalAdvance(sample) + sample_padding,
            metrics.horizontalAdvance(title) + header_padding,
            header.sectionSizeHint(column),
        )
        header.resizeSection(column, width)
        widths.append(width)
    return widths
