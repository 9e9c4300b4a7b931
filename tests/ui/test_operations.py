"""Background operations: writes one at a time in the order started, progress and cancel."""

from __future__ import annotations

import itertools
import threading
import time
from typing import Any

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QLineEdit, QProgressDialog
from pytestqt.qtbot import QtBot

from evacsupport.errors import EvacError
from evacsupport.ui.operations import WAIT_NOTICE_MS, Cancelled, Operation, Progress, write_now


def timed(log: list[tuple[str, float, float]], name: str, seconds: float) -> Any:
    def work(progress: Progress, cancelled: Cancelled) -> str:
        start = time.perf_counter()
        time.sleep(seconds)
        log.append((name, start, time.perf_counter()))
        return name

    return work


def test_writes_run_one_at_a_time_in_the_order_started(qtbot: QtBot) -> None:
    log: list[tuple[str, float, float]] = []
    done: list[str] = []
    failures: list[EvacError] = []
    for name in ("import", "editor save", "sync merge"):
        Operation(timed(log, name, 0.1), write=True).start(done.append, failures.append)
    qtbot.waitUntil(lambda: len(done) == 3, timeout=5000)
    assert done == ["import", "editor save", "sync merge"]
    assert [name for name, _, _ in log] == done
    for (_, _, first_end), (_, second_start, _) in itertools.pairwise(log):
        assert second_start >= first_end  # never side by side
    assert failures == []


def test_a_read_does_not_wait_for_a_write(qtbot: QtBot) -> None:
    release = threading.Event()
    order: list[str] = []

    def long_write(progress: Progress, cancelled: Cancelled) -> None:
        release.wait(5)
        order.append("write")

    def read(progress: Progress, cancelled: Cancelled) -> None:
        order.append("read")
        release.set()

    Operation(long_write, write=True).start(lambda _r: None, lambda _e: None)
    Operation(read, write=False).start(lambda _r: None, lambda _e: None)
    qtbot.waitUntil(lambda: order == ["read", "write"], timeout=5000)


def test_progress_reaches_the_ui_and_stop_is_seen_by_the_work(qtbot: QtBot) -> None:
    seen: list[tuple[int, int]] = []
    answers: list[Any] = []

    def work(progress: Progress, cancelled: Cancelled) -> str:
        for step in range(1, 101):
            progress(step, 100)
            if cancelled():
                raise EvacError("import.cancelled")
            time.sleep(0.002)
        return "finished"

    op = Operation(work, write=True)
    op.progressed.connect(lambda done, total: seen.append((done, total)))
    op.start(answers.append, answers.append)
    qtbot.waitUntil(lambda: len(seen) >= 3, timeout=5000)
    op.stop()
    qtbot.waitUntil(lambda: bool(answers), timeout=5000)
    (answer,) = answers
    assert isinstance(answer, EvacError) and answer.code == "import.cancelled"
    assert seen[0] == (1, 100) and seen[-1][0] < 100
    assert not op.running()


def test_a_cancelled_operation_delivers_nothing(qtbot: QtBot) -> None:
    answers: list[Any] = []
    op = Operation(timed([], "late", 0.1), write=True).start(answers.append, answers.append)
    op.cancel()
    qtbot.wait(300)
    assert answers == []


def test_write_now_answers_like_a_call_and_raises_our_errors(qtbot: QtBot) -> None:
    assert write_now(lambda: 6 * 7) == 42

    def refused() -> None:
        raise EvacError("meal.not_found")

    with pytest.raises(EvacError) as raised:
        write_now(refused)
    assert raised.value.code == "meal.not_found"


def test_write_now_behind_a_long_write_keeps_the_window_alive_and_says_why(
    qtbot: QtBot,
) -> None:
    """An editor's save queued behind an import: it waits its turn on the writer (no lock
    failure); the window's timers run meanwhile and a notice tells why after a moment."""
    release = threading.Event()
    Operation(lambda p, c: release.wait(10), write=True).start(lambda _r: None, lambda _e: None)
    form = QLineEdit()
    qtbot.addWidget(form)
    form.show()
    qtbot.waitExposed(form)
    beats: list[float] = []
    heartbeat = QTimer()
    heartbeat.timeout.connect(lambda: beats.append(time.perf_counter()))
    heartbeat.start(5)
    notices: list[str] = []

    def look() -> None:
        notices.extend(w.labelText() for w in QApplication.topLevelWidgets()
                       if isinstance(w, QProgressDialog) and w.isVisible())  # fmt: skip
        release.set()

    QTimer.singleShot(WAIT_NOTICE_MS + 300, look)
    started = time.perf_counter()
    assert write_now(lambda: "saved", form) == "saved"
    heartbeat.stop()
    assert time.perf_counter() - started >= WAIT_NOTICE_MS / 1000
    assert notices and "先の書き込みの終わりを待っています" in notices[0]
    gaps = [b - a for a, b in itertools.pairwise(beats)]
    assert len(beats) > 20 and max(gaps) < 0.25  # never frozen
    assert not any(isinstance(w, QProgressDialog) and w.isVisible()
                   for w in QApplication.topLevelWidgets())  # fmt: skip
