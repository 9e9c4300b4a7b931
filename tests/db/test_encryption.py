"""An encrypted database as its user meets it: made with ``init --encrypt``, filled, searched
for personal text in every file it leaves (database, WAL, backups), opened with its key,
refused in one line without it, converted, re-keyed, backed up, restored and checked."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import text

from evacsupport.cli import main
from evacsupport.config import sqlite_url
from evacsupport.db import Database, cipher
from evacsupport.errors import StorageError
from evacsupport.services import backup, demo, encryption, integrity
from evacsupport.services.backup import BackupPolicy
from tests.pg import sqlite_only

pytestmark = sqlite_only("encryption at rest is the SQLite file's")

KEY = "のと-2024-key"  # Japanese in the passphrase: derived from its UTF-8 bytes
ADMIN = {"EVACSUPPORT_USER": "admin", "EVACSUPPORT_PASSWORD": "demo"}


@pytest.fixture(autouse=True)
def _no_keys(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test starts with no key in the process and none in the environment."""
    cipher.forget_keys()
    monkeypatch.delenv(cipher.KEY_ENV, raising=False)


@pytest.fixture(scope="module")
def encrypted_demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An encrypted demo database with accounts (admin/demo), made once for the module."""
    path = tmp_path_factory.mktemp("encrypted") / "office.sqlite3"
    encryption.create_encrypted(path, KEY, KEY)
    db = Database(sqlite_url(path))
    demo.generate(db, households=40, seed=3, today=date(2024, 6, 30), accounts=True)
    db.close()
    cipher.forget_keys()
    return path


@pytest.fixture
def office(encrypted_demo: Path, tmp_path: Path) -> Path:
    path = tmp_path / "office.sqlite3"
    shutil.copyfile(encrypted_demo, path)
    return path


def _unlocked(path: Path) -> Database:
    cipher.unlock(path, KEY)
    db = Database(sqlite_url(path))
    from tests.factories import signed_in

    return signed_in(db, "admin", "demo")


def _personal_texts(db: Database) -> list[bytes]:
    """Names, furigana and phone numbers as they would appear in a plain file."""
    with db.read() as session:
        rows = session.execute(
            text("SELECT family_name || given_name, family_kana, given_kana FROM member LIMIT 20")
        ).all()
        phones = session.scalars(text("SELECT phone FROM household WHERE phone != '' LIMIT 10"))
        found = [value for row in rows for value in row if value] + [p for p in phones if p]
    assert found
    return [value.encode("utf-8") for value in found]


def _readable(folder: Path, texts: list[bytes]) -> list[str]:
    hits = []
    for path in folder.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            hits += [f"{path.name}: {t.decode()}" for t in texts if t in data]
    return hits


def _cli(monkeypatch: pytest.MonkeyPatch, *argv: str, **env: str) -> int:
    for name, value in {**ADMIN, **env}.items():
        monkeypatch.setenv(name, value)
    return main(list(argv))


def test_init_encrypt_makes_a_file_with_no_readable_personal_text(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "new.sqlite3"
    monkeypatch.setenv(cipher.KEY_ENV, KEY)
    code = _cli(
        monkeypatch, "--db", str(path), "init", "--encrypt", EVACSUPPORT_PASSWORD="first admin pw"
    )
    assert code == 0, capsys.readouterr().err
    assert "管理者 admin を作りました" in capsys.readouterr().out
    assert cipher.is_encrypted(path)
    assert not path.read_bytes().startswith(cipher.SQLITE_MAGIC)
    from tests.factories import signed_in

    db = signed_in(Database(sqlite_url(path)), "admin", "first admin pw")
    demo.generate(db, households=25, seed=2, today=date(2024, 6, 30))
    texts = _personal_texts(db)
    assert (tmp_path / "new.sqlite3-wal").exists()  # the WAL is written while the db is open
    assert not _readable(tmp_path, texts), "personal text readable with the database open"
    made = backup.make_backup(db, BackupPolicy(folder=tmp_path / "backups", name="new"))
    db.close()
    assert cipher.is_encrypted(made)
    assert not _readable(tmp_path, texts), "personal text readable in the file or a backup"


def test_without_the_key_one_line_says_so_never_damaged(
    office: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr("sys.stdin.isatty", lambda: False)
    assert _cli(monkeypatch, "--db", str(office), "check") == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "暗号化されています" in err[0] and "EVACSUPPORT_DB_KEY" in err[0]
    assert "壊れ" not in err[0]
    assert _cli(monkeypatch, "--db", str(office), "check", **{cipher.KEY_ENV: "wrong key!"}) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "鍵（パスフレーズ）が違います" in err[0]
    assert "壊れ" not in err[0]


def test_with_the_key_every_check_passes(
    office: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _cli(monkeypatch, "--db", str(office), "check", **{cipher.KEY_ENV: KEY}) == 0
    assert integrity.quick_check(office)
    assert integrity.start_check(office)


def test_start_checks_leave_the_key_question_to_opening(office: Path) -> None:
    """A file whose key is not given yet is not "damaged": opening asks for the key."""
    assert integrity.quick_check(office) is True
    assert integrity.start_check(office) is True
    with pytest.raises(StorageError) as caught:
        Database(sqlite_url(office))
    assert caught.value.code == "db.key_needed"


def test_a_damaged_encrypted_file_is_damaged(office: Path) -> None:
    cipher.unlock(office, KEY)
    data = bytearray(office.read_bytes())
    data[4096 * 3 + 100 : 4096 * 3 + 140] = bytes(40)  # a page's bytes overwritten
    office.write_bytes(bytes(data))
    assert integrity.quick_check(office) is False


def test_wrong_key_in_the_window_path_is_refused(office: Path) -> None:
    with pytest.raises(StorageError) as caught:
        cipher.unlock(office, "not the key")
    assert caught.value.code == "db.wrong_key"
    assert "壊れ" not in caught.value.message()


def test_encrypt_converts_a_plain_database(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "plain.sqlite3"
    db = Database(sqlite_url(path))
    demo.generate(db, households=20, seed=4, today=date(2024, 6, 30), accounts=True)
    texts = _personal_texts(db)
    with db.read() as session:
        before = session.scalar(text("SELECT count(*) FROM member"))
    db.close()
    assert any(t in path.read_bytes() for t in texts)  # plain: the names can be read

    code = _cli(monkeypatch, "encrypt", str(path), EVACSUPPORT_NEW_DB_KEY=KEY)
    assert code == 0, capsys.readouterr().err
    assert "暗号化しました" in capsys.readouterr().out
    assert cipher.is_encrypted(path)
    assert not _readable(tmp_path, texts)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plain.sqlite3"]  # nothing left over
    cipher.forget_keys()
    db = _unlocked(path)
    with db.read() as session:
        assert session.scalar(text("SELECT count(*) FROM member")) == before
        actions = list(session.scalars(text("SELECT action FROM audit_entry")))
    db.close()
    assert "encrypt" in actions
    assert _cli(monkeypatch, "encrypt", str(path), **{cipher.KEY_ENV: KEY}) == 1
    assert "すでに暗号化されています" in capsys.readouterr().err


def test_encrypt_refuses_a_short_or_mistyped_key(tmp_path: Path) -> None:
    path = tmp_path / "plain.sqlite3"
    db = Database(sqlite_url(path))
    with pytest.raises(StorageError) as caught:
        encryption.encrypt(db, "short", "short")
    assert caught.value.code == "db.passphrase_short"
    assert "8文字以上" in caught.value.message()
    with pytest.raises(StorageError) as caught:
        encryption.encrypt(db, "long enough", "long enougj")
    assert caught.value.code == "db.passphrase_mismatch"
    db.close()
    assert not cipher.is_encrypted(path)


def test_rekey_changes_the_key(
    office: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    new = "新しい鍵-2025"
    code = _cli(
        monkeypatch, "rekey", str(office), **{cipher.KEY_ENV: KEY, "EVACSUPPORT_NEW_DB_KEY": new}
    )
    assert code == 0, capsys.readouterr().err
    cipher.forget_keys()
    with pytest.raises(StorageError):
        cipher.unlock(office, KEY)
    cipher.unlock(office, new)
    db = Database(sqlite_url(office))
    with db.read() as session:
        assert session.scalar(text("SELECT count(*) FROM household")) == 40
        assert "rekey" in list(session.scalars(text("SELECT action FROM audit_entry")))
    db.close()


def test_rekey_needs_the_current_key(office: Path) -> None:
    db = _unlocked(office)
    with pytest.raises(StorageError) as caught:
        encryption.rekey(db, "not the key", "new key 2025", "new key 2025")
    assert caught.value.code == "db.wrong_key"
    with db.read() as session:  # refused before anything: the database is still open
        assert session.scalar(text("SELECT count(*) FROM household")) == 40
    db.close()


def test_backups_stay_encrypted_and_restore(office: Path, tmp_path: Path) -> None:
    db = _unlocked(office)
    texts = _personal_texts(db)
    policy = BackupPolicy(folder=tmp_path / "backups", name="office")
    plain_copy = backup.make_backup(db, policy)
    sealed = backup.make_backup(db, policy, passphrase="team passphrase", now=None)
    chosen = backup.backup_to(db, tmp_path / "chosen.sqlite3")
    for made in (plain_copy, chosen):
        assert cipher.is_encrypted(made)
    assert backup.is_sealed(sealed)
    assert not _readable(tmp_path, texts)
    with db.session() as session:
        session.execute(text("DELETE FROM meal_log"))
    restored = backup.restore(db, chosen)
    assert restored.database == office
    assert cipher.is_encrypted(office)
    assert not list(tmp_path.glob(".office*")), "a decrypted or temporary copy was left"
    cipher.forget_keys()
    reopened = _unlocked(office)
    with reopened.read() as session:
        assert session.scalar(text("SELECT count(*) FROM meal_log"))
    reopened.close()


def test_a_sealed_backup_of_an_encrypted_database_restores(office: Path, tmp_path: Path) -> None:
    db = _unlocked(office)
    policy = BackupPolicy(folder=tmp_path / "backups", name="office")
    sealed = backup.make_backup(db, policy, passphrase="team passphrase")
    backup.restore(db, sealed, "team passphrase")
    assert cipher.is_encrypted(office)
    reopened = _unlocked(office)
    with reopened.read() as session:
        assert session.scalar(text("SELECT count(*) FROM household")) == 40
    reopened.close()


def test_recovery_of_a_damaged_encrypted_file(office: Path, tmp_path: Path) -> None:
    db = _unlocked(office)
    policy = BackupPolicy(folder=tmp_path / "backups", name="office")
    backup.make_backup(db, policy)
    db.close()
    office.write_bytes(bytes(8192))  # damaged beyond reading
    restored = backup.recover_latest_good(office, policy, credentials=("admin", "demo"))
    assert restored.username == "admin"
    reopened = _unlocked(office)
    with reopened.read() as session:
        assert session.scalar(text("SELECT count(*) FROM household")) == 40
    reopened.close()


def test_reports_and_sync_work_on_an_encrypted_file(
    office: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    env = {cipher.KEY_ENV: KEY, "EVACSUPPORT_PASSPHRASE": "noto-team-2024"}
    out = tmp_path / "monthly.pdf"
    assert _cli(monkeypatch, "--db", str(office), "report", "monthly", "--month", "2024-06",
                "--out", str(out), **env) == 0  # fmt: skip
    assert out.read_bytes().startswith(b"%PDF")
    package = tmp_path / "office.evsync"
    assert _cli(monkeypatch, "--db", str(office), "sync", "export", "--to", "other", "--out",
                str(package), **env) == 0  # fmt: skip
    other = tmp_path / "other.sqlite3"
    encryption.create_encrypted(other, "other laptop key", "other laptop key")
    monkeypatch.setenv(cipher.KEY_ENV, "other laptop key")
    cipher.forget_keys()
    assert _cli(monkeypatch, "--db", str(other), "sync", "import", str(package),
                "--accept-unknown", **{**env, cipher.KEY_ENV: "other laptop key"}) == 0  # fmt: skip
    db = Database(sqlite_url(other))
    with db.read() as session:
        assert session.scalar(text("SELECT count(*) FROM household")) == 40
    db.close()
    assert cipher.is_encrypted(other)


def test_plain_databases_keep_working(demo_db: Database) -> None:
    assert not encryption.is_encrypted(demo_db)
    assert not cipher.is_encrypted(demo_db.url.database or "")


def test_many_threads_read_an_encrypted_database_at_once(office: Path) -> None:
    """The window's pool threads and a report's parallel reads share the engine: each gets a
    connection of its own, none is closed under another (SQLAlchemy's default pool for the
    SQLCipher dialect keeps one per thread and closes them when more threads come)."""
    import threading

    db = _unlocked(office)
    start = threading.Barrier(12)
    counts: list[int] = []
    failures: list[BaseException] = []

    def read() -> None:
        try:
            start.wait()
            for _ in range(5):
                with db.read() as session:
                    counts.append(int(session.scalar(text("SELECT count(*) FROM meal_log")) or 0))
        except BaseException as exc:  # reported below, in the test's thread
            failures.append(exc)

    threads = [threading.Thread(target=read) for _ in range(12)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    db.close()
    assert not failures, failures[0]
    assert len(counts) == 60 and len(set(counts)) == 1


def test_the_monthly_report_reads_in_parallel_on_an_encrypted_database(office: Path) -> None:
    from evacsupport.services.reporting import monthly_figures

    db = _unlocked(office)
    for _ in range(3):
        figures = monthly_figures(db, date(2024, 6, 1))
        assert figures.groups and figures.venues  # the demo month has meals by origin
    db.close()
