"""The visit list's Qt models: visit ids in order, rows read only when they are shown.

As in Anki's browser table, the model holds ids, not rows: the database sorts (and, through
:class:`VisitListFilter`, filters) and gives the ids in order; the words of a row are read in
blocks as the view paints them. So a network database of ten thousand visits refreshes, sorts
and filters in milliseconds, and scrolling reads a block of rows at a time.

The models are given the functions that read (they call the visit list's use cases); they
hold no database session themselves.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QAbstractProxyModel,
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)

from nexus_review.domain.enums import VisitKind, VisitStatus, label_of

if TYPE_CHECKING:  # the rows' records load with the first rows, off the start path
    from nexus_review.domain.records import VisitSummary

Index = QModelIndex | QPersistentModelIndex
ROOT = QModelIndex()
DISPLAY = Qt.ItemDataRole.DisplayRole
ID_ROLE = Qt.ItemDataRole.UserRole + 3  # the same role as ui.visit.models.ID_ROLE

SHOWN_ROLES = frozenset({DISPLAY, ID_ROLE, Qt.ItemDataRole.ToolTipRole})

OrderFn = Callable[[int, bool], list[str]]  # (column, descending) -> ids in order
FetchFn = Callable[[list[str]], "list[VisitSummary]"]  # ids -> their rows
AcceptFn = Callable[[dict[str, Any]], "set[str] | None"]  # filters -> ids that pass (None: all)


def row_words(v: VisitSummary) -> tuple[str, ...]:
    return (
        v.visit_date.strftime("%a %d %b %Y"),
        v.host_school_name,
        label_of(VisitKind, v.kind),
        label_of(VisitStatus, v.status),
        ", ".join(v.reviewers),
        "; ".join(v.focus_areas),
    )


class VisitListModel(QAbstractTableModel):
    """Every live visit, in the order of the sorted column; rows read a block at a time."""

    HEADERS = ("Date", "Host school", "Kind", "Status", "Review team", "Focus")
    BLOCK = 100

    def __init__(self, order: OrderFn, fetch: FetchFn) -> None:
        super().__init__()
        self._order = order
        self._fetch = fetch
        self._ids: list[str] = []
        self._rows: dict[str, tuple[VisitSummary, tuple[str, ...]]] = {}
        self._sort: tuple[int, Qt.SortOrder] = (0, Qt.SortOrder.DescendingOrder)
        self._loaded = False

    def reload(self) -> None:
        """Read the ids afresh (after a change to the visits); rows are read again when shown."""
        self.beginResetModel()
        column, order = self._sort
        self._ids = self._order(column, order == Qt.SortOrder.DescendingOrder)
        self._rows.clear()
        self._loaded = True
        self.endResetModel()

    def show_first(self, visits: Sequence[VisitSummary]) -> None:
        """Show these rows (the newest visits, read while the database opens) until the first
        :meth:`reload`, which reads the list in full in the chosen order."""
        self.beginResetModel()
        self._ids = [v.id for v in visits]
        self._rows = {v.id: (v, row_words(v)) for v in visits}
        self.endResetModel()

    def ids(self) -> list[str]:
        return self._ids

    def visit_id(self, row: int) -> str:
        return self._ids[row]

    def _row(self, row: int) -> tuple[VisitSummary, tuple[str, ...]]:
        visit_id = self._ids[row]
        found = self._rows.get(visit_id)
        if found is None:
            start = row - row % self.BLOCK
            block = [i for i in self._ids[start : start + self.BLOCK] if i not in self._rows]
            for v in self._fetch(block):
                self._rows[v.id] = (v, row_words(v))
            found = self._rows[visit_id]
        return found

    def visit(self, row: int) -> VisitSummary:
        return self._row(row)[0]

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(self.HEADERS):
            return
        if not self._loaded:  # nothing read yet: the first reload reads in this order
            self._sort = (column, order)
            return
        self.layoutAboutToBeChanged.emit()
        before = self.persistentIndexList()
        moved = [self._ids[i.row()] if 0 <= i.row() < len(self._ids) else None for i in before]
        self._sort = (column, order)
        self._ids = self._order(column, order == Qt.SortOrder.DescendingOrder)
        where = {visit_id: row for row, visit_id in enumerate(self._ids)}
        after = [
            self.index(where[m], i.column()) if m is not None and m in where else QModelIndex()
            for m, i in zip(moved, before, strict=True)
        ]
        self.changePersistentIndexList(before, after)
        self.layoutChanged.emit()

    def rowCount(self, parent: Index = ROOT) -> int:
        return 0 if parent.isValid() else len(self._ids)

    def columnCount(self, parent: Index = ROOT) -> int:
        return 0 if parent.isValid() else len(self.HEADERS)

    def data(self, index: Index, role: int = DISPLAY) -> Any:
        if role not in SHOWN_ROLES or not index.isValid() or not 0 <= index.row() < len(self._ids):
            return None
        if role == ID_ROLE:
            return self._ids[index.row()]
        if role == DISPLAY or (role == Qt.ItemDataRole.ToolTipRole and index.column() in (4, 5)):
            return self._row(index.row())[1][index.column()]
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = DISPLAY) -> Any:
        if (
            orientation == Qt.Orientation.Horizontal
            and role == DISPLAY
            and 0 <= section < len(self.HEADERS)
        ):
            return self.HEADERS[section]
        return None


class VisitListFilter(QAbstractProxyModel):
    """The visits that pass the filters (school, academic year, kind, status) and the note
    search, in the list's order. Which pass is decided by the database; sorting is handed to
    the list itself."""

    FILTERS = ("school_id", "year", "kind", "status")

    def __init__(self, accept: AcceptFn) -> None:
        super().__init__()
        self._accept = accept
        self.filters: dict[str, str] = dict.fromkeys(self.FILTERS, "")
        self.matching_ids: set[str] | None = None  # None: no search
        self._passing: set[str] | None = None  # None: every visit
        self._rows: list[int] = []  # source row of each row shown
        self._where: dict[int, int] = {}  # source row -> row shown

    # ---- the source ------------------------------------------------------------------------

    def setSourceModel(self, source: Any) -> None:
        assert isinstance(source, VisitListModel)
        self.beginResetModel()
        super().setSourceModel(source)
        self._model = source
        source.modelAboutToBeReset.connect(self.beginResetModel)
        source.modelReset.connect(self._on_source_model_reset)
        source.layoutAboutToBeChanged.connect(self._on_source_layout_about_to_be_changed)
        source.layoutChanged.connect(self._on_source_layout_changed)
        self._remap()
        self.endResetModel()

    def _source(self) -> VisitListModel:
        return self._model

    def _remap(self) -> None:
        ids = self._source().ids()
        passing = self._passing
        if passing is None:
            self._rows = list(range(len(ids)))
        else:
            self._rows = [row for row, visit_id in enumerate(ids) if visit_id in passing]
        self._where = {}

    def _on_source_model_reset(self) -> None:
        self._passing = self._passing_ids()
        self._remap()
        self.endResetModel()

    def _on_source_layout_about_to_be_changed(self, *_args: Any) -> None:
        self.layoutAboutToBeChanged.emit()
        self._hold()

    def _on_source_layout_changed(self, *_args: Any) -> None:
        self._remap()
        self._restore()
        self.layoutChanged.emit()

    def _hold(self) -> None:
        ids = self._source().ids()
        self._held_before = self.persistentIndexList()
        self._held_ids = [
            ids[self._rows[i.row()]] if 0 <= i.row() < len(self._rows) else None
            for i in self._held_before
        ]

    def _restore(self) -> None:
        ids = self._source().ids()
        shown = {ids[source_row]: row for row, source_row in enumerate(self._rows)}
        after = [
            self.index(shown[v], i.column()) if v is not None and v in shown else QModelIndex()
            for v, i in zip(self._held_ids, self._held_before, strict=True)
        ]
        self.changePersistentIndexList(self._held_before, after)

    # ---- filtering -------------------------------------------------------------------------

    def _passing_ids(self) -> set[str] | None:
        narrowed = {k: v for k, v in self.filters.items() if v}
        passing = self._accept(narrowed) if narrowed else None
        if self.matching_ids is not None:
            passing = self.matching_ids if passing is None else passing & self.matching_ids
        return passing

    def set_filters(self, **filters: str) -> None:
        unknown = set(filters) - set(self.FILTERS)
        if unknown:
            raise TypeError(f"no visit list filter {', '.join(sorted(unknown))}")
        self.layoutAboutToBeChanged.emit()
        self._hold()
        self.filters.update(filters)
        self._passing = self._passing_ids()
        self._remap()
        self._restore()
        self.layoutChanged.emit()

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self._source().sort(column, order)

    # ---- the proxy's own shape ------------------------------------------------------------

    def mapToSource(self, proxy_index: Index) -> QModelIndex:
        if not proxy_index.isValid() or not 0 <= proxy_index.row() < len(self._rows):
            return QModelIndex()
        return self._source().index(self._rows[proxy_index.row()], proxy_index.column())

    def mapFromSource(self, source_index: Index) -> QModelIndex:
        if not source_index.isValid():
            return QModelIndex()
        if not self._where and self._rows:
            self._where = {source_row: row for row, source_row in enumerate(self._rows)}
        row = self._where.get(source_index.row())
        return QModelIndex() if row is None else self.index(row, source_index.column())

    def index(self, row: int, column: int, parent: Index = ROOT) -> QModelIndex:
        if parent.isValid() or not (
            0 <= row < len(self._rows) and 0 <= column < self.columnCount()
        ):
            return QModelIndex()
        return self.createIndex(row, column)

    def parent(self, *_args: Any) -> Any:
        # parent(index) -> the invalid index (a flat list); parent() -> the QObject parent.
        return QModelIndex() if _args else super().parent()

    def rowCount(self, parent: Index = ROOT) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = ROOT) -> int:
        return 0 if parent.isValid() else len(VisitListModel.HEADERS)

    def data(self, index: Index, role: int = DISPLAY) -> Any:
        if role not in SHOWN_ROLES:  # the view asks for many roles per cell; these have none
            return None
        return self._source().data(self.mapToSource(index), role)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = DISPLAY) -> Any:
        return self._source().headerData(section, orientation, role)

    def hasChildren(self, parent: Index = ROOT) -> bool:
        return not parent.isValid() and bool(self._rows)
