"""The log file: private to its owner, rotated, and where the platform keeps such files."""

from __future__ import annotations

import logging
import os
import stat
import sys
from pathlib import Path

import pytest

from evacsupport import logs


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


posix_only = pytest.mark.skipif(sys.platform == "win32", reason="POSIX permission bits")


def test_the_default_log_is_in_the_users_state_folder() -> None:
    # conftest points XDG_STATE_HOME at the test sandbox; platformdirs honours it
    assert logs.default_log_path().is_relative_to(Path(os.environ["XDG_STATE_HOME"]))
    assert logs.default_log_path().name == "evacsupport.log"


@posix_only
def test_the_file_and_its_folder_are_created_private_whatever_the_umask(log_file: Path) -> None:
    old = os.umask(0o022)
    try:
        logging.getLogger("evacsupport.test").warning("a line")
    finally:
        os.umask(old)
    assert mode(log_file) == 0o600
    assert mode(log_file.parent) == 0o700
    assert "a line" in log_file.read_text(encoding="utf-8")


@posix_only
def test_rotated_files_stay_private(log_file: Path) -> None:
    old = os.umask(0o022)
    try:
        handler = next(
            h
            for h in logging.getLogger().handlers
            if isinstance(h, logs.PrivateRotatingFileHandler)
        )
        logging.getLogger("evacsupport.test").warning("before rotating")
        handler.doRollover()
        logging.getLogger("evacsupport.test").warning("after rotating")
    finally:
        os.umask(old)
    rotated = log_file.with_name(log_file.name + ".1")
    assert "before rotating" in rotated.read_text(encoding="utf-8")
    assert mode(rotated) == 0o600 and mode(log_file) == 0o600


@posix_only
def test_a_file_left_readable_by_others_is_made_private(tmp_path: Path, log_file: Path) -> None:
    older = tmp_path / "older" / "evacsupport.log"
    older.parent.mkdir()
    older.write_text("from an older version\n", encoding="utf-8")
    older.chmod(0o644)
    logs.setup(older)
    assert mode(older) == 0o600
    assert logs.current_log_file() == older


def test_setting_up_again_keeps_one_handler(log_file: Path) -> None:
    assert logs.setup() == log_file  # without a path: the log already set up is kept
    assert logs.setup(log_file) == log_file
    ours = [
        h for h in logging.getLogger().handlers if isinstance(h, logs.PrivateRotatingFileHandler)
    ]
    assert len(ours) == 1


def test_an_unwritable_folder_leaves_the_app_running(
    tmp_path: Path, log_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    blocker = tmp_path / "a file, not a folder"
    blocker.write_text("", encoding="utf-8")
    assert logs.setup(blocker / "evacsupport.log") == log_file  # the previous log stays
    assert "cannot write the log file" in capsys.readouterr().err
