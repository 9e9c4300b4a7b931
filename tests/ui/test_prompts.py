"""The real message boxes behind the prompter: what Enter answers."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from evacsupport.ui.prompts import QtPrompter


def press_enter_on_the_question(qtbot: QtBot, seen: list[str]) -> None:
    """When the question opens, note its default button and press Enter as a hurried user (or a
    scanner's trailing Enter) would."""

    def answer() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(20, answer)
            return
        default = box.defaultButton()
        seen.append(box.standardButton(default).name if default else "")
        qtbot.keyClick(box, Qt.Key.Key_Return)

    QTimer.singleShot(0, answer)


def test_enter_on_a_question_answers_no(qtbot: QtBot) -> None:
    seen: list[str] = []
    press_enter_on_the_question(qtbot, seen)
    assert QtPrompter().confirm(None, "同じ世帯の2回目です", "記録しますか？") is False
    assert seen == ["No"]
