"""Questions to the user behind one small object, so tests can answer them without a modal loop.

The app uses :class:`QtPrompter`; tests pass a fake that records each question and returns the
answer the test chose (as Picard's user_dialog_service does).
"""

from __future__ import annotations

from enum import Enum
from typing import Protocol

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QInputDialog, QLineEdit, QMessageBox, QWidget


class Discard(Enum):
    SAVE = "save"
    DISCARD = "discard"
    CANCEL = "cancel"


class Prompter(Protocol):
    def ask_unsaved(self, parent: QWidget | None) -> Discard: ...

    def confirm(self, parent: QWidget | None, title: str, text: str) -> bool:
        """Yes or no; the default answer (Enter) is no, the safe one."""
        ...

    def error(self, parent: QWidget | None, text: str) -> None: ...

    def info(self, parent: QWidget | None, title: str, text: str) -> None: ...

    def ask_text(
        self, parent: QWidget | None, title: str, label: str, text: str = ""
    ) -> str | None: ...

    def ask_password(self, parent: QWidget | None, title: str, label: str) -> str | None: ...

    def choose(
        self, parent: QWidget | None, title: str, label: str, options: list[str]
    ) -> int | None: ...


class QtPrompter:
    """Message boxes; each call blocks until the user answers."""

    def ask_unsaved(self, parent: QWidget | None) -> Discard:
        box = QMessageBox(parent)
        box.setIcon(QMessageBox.Icon.Warning)
        box.setWindowTitle(QCoreApplication.translate("Prompter", "保存されていない変更"))
        box.setText(
            QCoreApplication.translate("Prompter", "変更が保存されていません。保存しますか？")
        )
        save = box.addButton(
            QCoreApplication.translate("Prompter", "保存する"), QMessageBox.ButtonRole.AcceptRole
        )
        discard = box.addButton(
            QCoreApplication.translate("Prompter", "保存しないで閉じる"),
            QMessageBox.ButtonRole.DestructiveRole,
        )
        box.addButton(
            QCoreApplication.translate("Prompter", "編集を続ける"),
            QMessageBox.ButtonRole.RejectRole,
        )
        box.setDefaultButton(save)
        box.exec()
        clicked = box.clickedButton()
        if clicked is save:
            return Discard.SAVE
        if clicked is discard:
            return Discard.DISCARD
        return Discard.CANCEL

    def confirm(self, parent: QWidget | None, title: str, text: str) -> bool:
        """はい/いいえ with いいえ the default: every question the app asks would duplicate,
        overwrite, destroy or quit something, so a second Enter (or a scanner's trailing Enter)
        must leave things as they were. Qt alone would make はい the default."""
        answer = QMessageBox.question(
            parent,
            title,
            text,
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        return answer == QMessageBox.StandardButton.Yes

    def error(self, parent: QWidget | None, text: str) -> None:
        QMessageBox.warning(
            parent, QCoreApplication.translate("Prompter", "入力を確認してください"), text
        )

    def info(self, parent: QWidget | None, title: str, text: str) -> None:
        QMessageBox.information(parent, title, text)

    def ask_text(
        self, parent: QWidget | None, title: str, label: str, text: str = ""
    ) -> str | None:
        """One line of text, prefilled with ``text``; None when the user cancels."""
        value, ok = QInputDialog.getText(parent, title, label, QLineEdit.EchoMode.Normal, text)
        return value if ok else None

    def ask_password(self, parent: QWidget | None, title: str, label: str) -> str | None:
        """A secret typed without echo (a passphrase); None when the user cancels."""
        value, ok = QInputDialog.getText(parent, title, label, QLineEdit.EchoMode.Password)
        return value if ok else None

    def choose(
        self, parent: QWidget | None, title: str, label: str, options: list[str]
    ) -> int | None:
        """One of ``options`` (its index), picked from a list; None when the user cancels."""
        value, ok = QInputDialog.getItem(parent, title, label, options, 0, False)
        return options.index(value) if ok and value in options else None
