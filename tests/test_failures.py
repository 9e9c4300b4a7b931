"""What the user is told for each kind of failure, and what the log file gets instead."""

from __future__ import annotations

import errno
import sqlite3
from pathlib import Path

from sqlalchemy.exc import IntegrityError, OperationalError

from evacsupport import logs
from evacsupport.config import sqlite_url
from evacsupport.errors import EvacError, FileProblem, StorageError, UnexpectedError
from evacsupport.failures import explain
from evacsupport.i18n import set_language


def integrity_error() -> IntegrityError:
    """A violated constraint as SQLAlchemy reports it: the row's values in its text."""
    return IntegrityError(
        "INSERT INTO member (family_name, given_name, phone) VALUES (?, ?, ?)",
        ("能登", "花子", "09087654321"),
        sqlite3.IntegrityError("CHECK constraint failed: member"),
    )


def raised(exc: BaseException) -> BaseException:
    """``exc`` with a traceback, as a caught exception has."""
    try:
        raise exc
    except BaseException as caught:
        return caught


def test_our_own_errors_pass_unchanged_and_are_not_logged(log_file: Path) -> None:
    error = EvacError("household.case_number_race")
    assert explain(error) is error
    assert log_file.read_text(encoding="utf-8") == ""


def test_a_bug_is_logged_with_its_traceback_and_shown_as_unexpected(log_file: Path) -> None:
    error = explain(raised(integrity_error()), where="household save")
    assert isinstance(error, UnexpectedError)
    for lang, start in (("ja", "予期しないエラーが起きました"), ("en", "An unexpected error")):
        set_language(lang)
        shown = error.message()
        assert shown.startswith(start)
        assert str(log_file) in shown
        assert "能登" not in shown and "09087654321" not in shown and "INSERT" not in shown
    logged = log_file.read_text(encoding="utf-8")
    assert "unexpected error (household save)" in logged
    assert "Traceback (most recent call last)" in logged
    assert "09087654321" in logged  # the details a developer needs, in the private file only


def test_without_a_log_file_the_message_says_so() -> None:
    previous = logs.current_log_file()
    logs.stop()
    try:
        error = explain(raised(RuntimeError("boom")))
        assert error.code == "error.unexpected_no_log"
    finally:
        if previous is not None:
            logs.setup(previous)


def test_an_environment_fault_gets_its_message_and_one_log_line(log_file: Path) -> None:
    orig = sqlite3.OperationalError("database or disk is full")
    orig.sqlite_errorcode = 13  # type: ignore[attr-defined]
    orig.sqlite_errorname = "SQLITE_FULL"  # type: ignore[attr-defined]
    wrapped = OperationalError("INSERT ... phone", ("09087654321",), orig)
    error = explain(wrapped, sqlite_url("/data/cases.sqlite3"), where="meal counter")
    assert isinstance(error, StorageError) and error.code == "db.disk_full"
    logged = log_file.read_text(encoding="utf-8")
    assert "database fault (meal counter): db.disk_full, SQLITE_FULL" in logged
    assert "09087654321" not in logged and "Traceback" not in logged


def test_a_file_that_cannot_be_written_says_why_in_our_words(log_file: Path) -> None:
    exc = PermissionError(errno.EACCES, "Permission denied", "/mnt/usb/report.pdf")
    error = explain(exc)
    assert isinstance(error, FileProblem)
    assert error.message() == (
        "ファイル「/mnt/usb/report.pdf」を読み書きできません：アクセスが許可されていません"
    )
    set_language("en")
    full = explain(OSError(errno.ENOSPC, "No space left on device"))
    assert full.message() == "Cannot read or write a file: the disk is full"
    assert "file problem: PermissionError EACCES" in log_file.read_text(encoding="utf-8")
