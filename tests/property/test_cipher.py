"""Any passphrase a person may type (Japanese, quotes, spaces, emoji) opens its own encrypted
file and no other: the key goes through SQLCipher as hex, never as quoted text, and the app's
own derivation is SQLCipher's, so the passphrase alone also opens the file in SQLCipher."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from evacsupport.db import cipher
from evacsupport.errors import StorageError

passphrases = st.text(
    st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"),
    min_size=cipher.MIN_PASSPHRASE,
    max_size=40,
)


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(passphrase=passphrases, other=passphrases)
def test_a_passphrase_opens_its_own_file_and_no_other(passphrase: str, other: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "x.sqlite3"
        cipher.create(path, passphrase)
        cipher.forget_keys()
        cipher.unlock(path, passphrase)
        conn = cipher.connect(path)
        conn.execute("CREATE TABLE t (name TEXT)")
        conn.execute("INSERT INTO t VALUES ('能登 花子')")
        conn.commit()
        conn.close()
        assert "能登".encode() not in path.read_bytes()
        cipher.forget_keys()
        if other != passphrase:
            with pytest.raises(StorageError) as caught:
                cipher.unlock(path, other)
            assert caught.value.code == "db.wrong_key"
        # SQLCipher's own key derivation from the passphrase opens the file as well
        quoted = passphrase.replace("'", "''")
        raw = cipher.engine_module().connect(str(path))
        raw.execute(f"PRAGMA key = '{quoted}'")
        assert raw.execute("SELECT name FROM t").fetchone() == ("能登 花子",)
        raw.close()
