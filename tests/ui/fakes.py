"""A prompter that answers as the test says and remembers what it was asked."""

from __future__ import annotations

from dataclasses import dataclass, field

from PySide6.QtWidgets import QWidget

from evacsupport.ui.prompts import Discard


@dataclass
class FakePrompter:
    unsaved_answer: Discard = Discard.CANCEL
    confirm_answer: bool = True
    asked: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    infos: list[str] = field(default_factory=list)
    confirms: list[str] = field(default_factory=list)
    text_answer: str | None = None
    password_answer: str | None = None
    texts: list[str] = field(default_factory=list)
    choice_answer: int | None = None
    choices: list[list[str]] = field(default_factory=list)

    def ask_unsaved(self, parent: QWidget | None) -> Discard:
        self.asked.append("unsaved")
        return self.unsaved_answer

    def confirm(self, parent: QWidget | None, title: str, text: str) -> bool:
        self.confirms.append(f"{title}\n{text}")
        return self.confirm_answer

    def error(self, parent: QWidget | None, text: str) -> None:
        self.errors.append(text)

    def info(self, parent: QWidget | None, title: str, text: str) -> None:
        self.infos.append(f"{title}\n{text}")

    def ask_text(
        self, parent: QWidget | None, title: str, label: str, text: str = ""
    ) -> str | None:
        self.texts.append(text)
        self.asked.append(f"text:{title}")
        return self.text_answer

    def ask_password(self, parent: QWidget | None, title: str, label: str) -> str | None:
        self.asked.append(f"password:{title}")
        return self.password_answer

    def choose(
        self, parent: QWidget | None, title: str, label: str, options: list[str]
    ) -> int | None:
        self.asked.append(f"choose:{title}")
        self.choices.append(list(options))
        return self.choice_answer
