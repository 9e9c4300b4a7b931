"""The venue registry: a filterable, sortable table of venues and the way into the editor.

Venues are few (tens), so the whole list is loaded and filtered client-side as the user types;
the list reloads when any view announces a venue change on the context's bus.
"""

from __future__ import annotations

import uuid

from PySide6.QtCore import QModelIndex, QSortFilterProxyModel, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from evacsupport.domain.normalize import search_key
from evacsupport.errors import EvacError
from evacsupport.services.assignment import AssignmentService
from evacsupport.services.changes import Kind
from evacsupport.ui.context import AppContext
from evacsupport.ui.models.venues import VenueTableModel
from evacsupport.ui.refresh import RefreshWhenShown
from evacsupport.ui.views.assignment.allocate_dialog import AllocateDialog
from evacsupport.ui.views.venues.editor import VenueEditor


class VenueListView(QWidget):
    """Filter box, 新しい会場 button and the venue table.

    Attributes:
        filter_box: narrows rows by name, operator or address (width, kana and case ignored).
        new_button: opens an editor for a new venue (Ctrl+N is the main window's, which
            opens a venue editor while this section shows).
        model: the :class:`VenueTableModel`; proxy: the filter/sort proxy the table shows.
        table: the table; Enter or double-click opens the venue under the cursor.
        count_label: how many venues are shown.
        editor: the editor opened last, or None.
        allocate_button: opens the bulk allocation dialog (allocate_dialog: the last one).
    """

    def __init__(
        self, ctx: AppContext, parent: QWidget | None = None, *, load: bool = True
    ) -> None:
        """``load=False``: filled when first shown (the main window refreshes a section when it
        is opened), so starting on a prefecture's 1,500 venues costs nothing until then."""
        super().__init__(parent)
        self._ctx = ctx
        self.editor: VenueEditor | None = None
        self.allocate_dialog: AllocateDialog | None = None

        self.filter_box = QLineEdit(self)
        self.filter_box.setObjectName("venueFilter")
        self.filter_box.setPlaceholderText(self.tr("名称・運営団体・住所で絞り込み"))
        self.filter_box.setClearButtonEnabled(True)
        self.count_label = QLabel(self)
        self.new_button = QPushButton(self.tr("新しい会場(&N)"), self)
        self.new_button.setToolTip(self.tr("新しい会場を登録（Ctrl+N）"))
        self.new_button.clicked.connect(self.open_new)
        self.allocate_button = QPushButton(self.tr("一括割り当て(&L)…"), self)
        self.allocate_button.setToolTip(
            self.tr("会場のない世帯を近くの会場に割り当てる案を作り、確認してから登録します")
        )
        self.allocate_button.clicked.connect(self.open_allocate)

        self.model = VenueTableModel(self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setFilterRole(VenueTableModel.SEARCH_ROLE)
        self.proxy.setFilterKeyColumn(0)
        self.proxy.setSortLocaleAware(True)
        self.proxy.setSortRole(VenueTableModel.SORT_ROLE)
        self.table = QTableView(self)
        self.table.setObjectName("venueTable")
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.setTabKeyNavigation(False)  # Tab leaves the table, arrows move in it
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        # The address gives way (elided, full text in its tooltip) so 利用状況 stays in view.
        header.setSectionResizeMode(
            VenueTableModel.COLUMNS.index("address"), QHeaderView.ResizeMode.Stretch
        )
        header.setStretchLastSection(False)
        self.table.activated.connect(self._on_activated)

        top = QHBoxLayout()
        filter_label = QLabel(self.tr("絞り込み(&F)"), self)
        filter_label.setBuddy(self.filter_box)
        top.addWidget(filter_label)
        top.addWidget(self.filter_box, 1)
        top.addWidget(self.count_label)
        top.addWidget(self.new_button)
        top.addWidget(self.allocate_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        QWidget.setTabOrder(self.filter_box, self.new_button)
        QWidget.setTabOrder(self.new_button, self.allocate_button)
        QWidget.setTabOrder(self.allocate_button, self.table)

        self.filter_box.textChanged.connect(self._apply_filter)
        self.filter_box.returnPressed.connect(self._focus_first_row)
        RefreshWhenShown(
            self,
            ctx.bus,
            lambda _changes: self.refresh(),
            (Kind.VENUE, Kind.HOUSEHOLD, Kind.ASSIGNMENT),  # how many use each venue
        )
        if load:
            self.refresh()

    def refresh(self) -> None:
        """Reload every venue (inactive ones too: they are greyed, not hidden) and their load.

        The load comes from one aggregate query for all venues, never one per row.
        """
        self.model.set_rows(self._ctx.venues.list(), AssignmentService(self._ctx.db).venues())
        self._update_count()

    def open_new(self) -> VenueEditor:
        return self._open(VenueEditor(self._ctx, None, self))

    def open_allocate(self) -> AllocateDialog:
        """The bulk allocation dialog (one at a time: a second request brings it forward)."""
        dialog = self.allocate_dialog
        if dialog is None or not dialog.isVisible():
            if dialog is not None:
                dialog.deleteLater()
            dialog = self.allocate_dialog = AllocateDialog(self._ctx, parent=self)
        dialog.show()
        dialog.raise_()
        dialog.activateWindow()
        return dialog

    def open_venue(self, venue_id: uuid.UUID) -> VenueEditor | None:
        """The editor for ``venue_id``; None (after telling the user) if it is gone."""
        try:
            editor = VenueEditor(self._ctx, venue_id, self)
        except EvacError as exc:
            self._ctx.prompter.error(self, exc.message())
            self.refresh()
            return None
        return self._open(editor)

    def visible_venue_ids(self) -> list[uuid.UUID]:
        """The venues shown, in display order (after filter and sort)."""
        return [
            self.proxy.index(row, 0).data(VenueTableModel.ROW_ROLE).id
            for row in range(self.proxy.rowCount())
        ]

    def _open(self, editor: VenueEditor) -> VenueEditor:
        # Editors are children of the view: drop the previous one once it is closed.
        if self.editor is not None and not self.editor.isVisible():
            self.editor.deleteLater()
        self.editor = editor
        editor.accepted.connect(self._select_saved)
        editor.open()
        return editor

    def _select_saved(self) -> None:
        """Put the cursor on the venue just saved, so Enter reopens it and arrows go on from it."""
        saved = self.editor.venue if self.editor is not None else None
        if saved is None:
            return
        ids = self.visible_venue_ids()
        if saved.id in ids:
            self.table.selectRow(ids.index(saved.id))

    def _apply_filter(self, text: str) -> None:
        self.proxy.setFilterFixedString(search_key(text))
        self._update_count()

    def _update_count(self) -> None:
        self.count_label.setText(self.tr("%n 件", "", self.proxy.rowCount()))

    def _focus_first_row(self) -> None:
        if self.proxy.rowCount():
            self.table.setFocus()
            self.table.selectRow(0)

    def _on_activated(self, index: QModelIndex) -> None:
        venue = index.siblingAtColumn(0).data(VenueTableModel.ROW_ROLE)
        if venue is not None:
            self.open_venue(venue.id)
