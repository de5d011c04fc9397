"""The two SQLite drivers: Python's own for a plain case file, SQLCipher's for
an encrypted one.

SQLCipher encrypts every page of the file and of its write-ahead log with a
key derived from the passphrase (PBKDF2-HMAC-SHA512, SQLCipher 4's defaults),
so without the passphrase no byte of the content is readable. Its package
(`sqlcipher3-binary`) has builds for Linux on x86-64; elsewhere plain cases
work as before and an encrypted one is refused in one sentence.

The two drivers raise unrelated exception classes, so code that catches a
database error catches `ERRORS`, never `sqlite3.Error` alone.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from types import ModuleType

from case_workbook.store.errors import CaseFileError

try:
    from sqlcipher3 import dbapi2 as _cipher
except ImportError:  # no build of it for this platform
    _cipher = None

ERRORS: tuple[type[Exception], ...] = (sqlite3.Error,) + (
    (_cipher.Error,) if _cipher is not None else ())
INTEGRITY_ERRORS: tuple[type[Exception], ...] = (sqlite3.IntegrityError,) + (
    (_cipher.IntegrityError,) if _cipher is not None else ())

Connection = sqlite3.Connection  # for type hints; SQLCipher's has the same methods

MIN_PASSPHRASE = 8


class WrongPassphraseError(CaseFileError):
    """The passphrase does not open this encrypted case."""


def encryption_available() -> bool:
    return _cipher is not None


def cipher() -> ModuleType:
    if _cipher is None:
        raise CaseFileError("Encrypted case files need the sqlcipher3 package, which has no "
                            "build for this computer; this case cannot be opened here.")
    return _cipher


def check_new_passphrase(passphrase: str) -> None:
    """A passphrase for a new or re-keyed case: one sentence if it cannot be used."""
    if len(passphrase) < MIN_PASSPHRASE:
        raise CaseFileError(f"A passphrase needs at least {MIN_PASSPHRASE} characters.")
    if "\x00" in passphrase:
        raise CaseFileError("A passphrase cannot contain a NUL character.")
    if passphrase != passphrase.strip():
        raise CaseFileError("A passphrase cannot begin or end with a space, so that what is "
                            "typed and what is in a passphrase file mean the same.")


def connect(target: Path | str, *, key: str | None, uri: bool = False) -> sqlite3.Connection:
    """A connection in autocommit mode (transactions are begun explicitly),
    usable from the quick-check thread; keyed when `key` is given."""
    if key is None:
        return sqlite3.connect(target, uri=uri, isolation_level=None, check_same_thread=False)
    module = cipher()
    conn = module.connect(str(target), uri=uri, isolation_level=None, check_same_thread=False)
    try:
        # SQLCipher writes its own messages (a failed page check) to stderr;
        # the person gets our sentence instead.
        conn.execute("PRAGMA cipher_log_level = NONE")
        conn.execute(f"PRAGMA key = {_literal(key)}")
    except BaseException:
        conn.close()
        raise
    return conn


def rekey(conn: sqlite3.Connection, new_key: str) -> None:
    conn.execute(f"PRAGMA rekey = {_literal(new_key)}")


def _literal(text: str) -> str:
    """An SQL string literal: PRAGMA key takes no bound parameters."""
    if "\x00" in text:
        raise WrongPassphraseError("A passphrase cannot contain a NUL character.")
    return "'" + text.replace("'", "''") + "'"


def is_not_a_database(error: Exception) -> bool:
    """SQLite's answer to a wrong key: the first page does not decrypt."""
    code = getattr(error, "sqlite_errorcode", None)
    return isinstance(code, int) and code & 0xFF == 26
