"""The main window: shows which database is open and the household list."""

from __future__ import annotations

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QLabel, QMainWindow, QWidget

from evacsupport.db.engine import Database
from evacsupport.services.households import HouseholdService
from evacsupport.ui.views.households.list_view import HouseholdListView


class MainWindow(QMainWindow):
    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.households = HouseholdService(db)
        self.setWindowTitle(self.tr("evacsupport 避難者支援ケース管理"))
        self.household_list = HouseholdListView(self.households, self)
        self.setCentralWidget(self.household_list)
        self.db_label = QLabel(self.tr("データベース：%1").replace("%1", db.description))
        self.statusBar().addPermanentWidget(self.db_label)

        find = QAction(self.tr("検索"), self)
        find.setShortcut(QKeySequence.StandardKey.Find)
        find.triggered.connect(self.focus_search)
        self.addAction(find)
        self.resize(1100, 700)
        self.household_list.refresh()

    def focus_search(self) -> None:
        self.household_list.search_box.setFocus()
        self.household_list.search_box.selectAll()
