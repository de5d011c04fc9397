"""The SQLite steps under a case file: connecting (plain or keyed), the
checks made before anything is read, transactions, and the copy kept before
an upgrade. Each SQLite error leaves as one sentence (sqlite_errors.py)."""

from __future__ import annotations

import contextlib
import os
import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

from case_workbook.store import driver
from case_workbook.store.check_alongside import damaged_sentence
from case_workbook.store.driver import ERRORS
from case_workbook.store.errors import CaseFileError
from case_workbook.store.schema import APPLICATION_ID
from case_workbook.store.sqlite_errors import case_error


def connect_case(path: Path, readonly: bool = False, key: str | None = None) -> sqlite3.Connection:
    """A connection in WAL mode. A read-only one still opens the file for
    writing at the SQLite level (then refuses writes with query_only), because
    only such a connection removes the -wal and -shm files when it closes; on
    a read-only disk it falls back to SQLite's immutable mode."""
    beside = [Path(f"{path}-wal"), Path(f"{path}-shm")]
    existed = [file.exists() for file in beside]
    conn = driver.connect(path, key=key)
    try:
        if readonly:
            conn.execute("PRAGMA query_only = ON")
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        else:
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = FULL")
    except ERRORS as error:
        conn.close()
        if not readonly or driver.is_not_a_database(error):
            raise
        _remove_made_beside(beside, existed)
        uri = f"{path.resolve().as_uri()}?mode=ro&immutable=1"
        conn = driver.connect(uri, key=key, uri=True)
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("PRAGMA trusted_schema = OFF")
    return conn


def _remove_made_beside(beside: list[Path], existed: list[bool]) -> None:
    """A read-only open that failed (a full disk, a read-only folder) may
    have left an empty log and a partial index beside the case: they held
    nothing, and only this open had made them."""
    wal, shm = beside
    if existed[0] or not wal.exists() or wal.stat().st_size:
        return  # not ours, or it holds pages: part of the case
    for file, was_there in zip(beside, existed):
        if not was_there:
            with contextlib.suppress(OSError):
                file.unlink()


def check_decrypted_header(conn: sqlite3.Connection, path: Path) -> None:
    """What check_case_header reads from a plain file's bytes, read through
    the key (the first read is also where a wrong passphrase shows)."""
    if conn.execute("PRAGMA application_id").fetchone()[0] != APPLICATION_ID:
        raise CaseFileError(f"{path} is a database but not a case-workbook case file.")
    if conn.execute("PRAGMA user_version").fetchone()[0] == 0:
        raise CaseFileError(f"{path} is damaged: it holds no case-workbook data.")


def verify_tables(conn: sqlite3.Connection, path: Path) -> None:
    names = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    if not {"meta", "items", "activity", "counters"} <= names:
        raise CaseFileError(f"{path} is damaged: parts of the case are missing.")


def quick_check(conn: sqlite3.Connection, path: Path) -> None:
    """Refuse a damaged file before anything is written to it."""
    result = conn.execute("PRAGMA quick_check(1)").fetchone()
    if result is None or result[0] != "ok":
        raise CaseFileError(damaged_sentence(path))


@contextlib.contextmanager
def transaction_on(conn: sqlite3.Connection, path: Path, doing: str) -> Iterator[None]:
    try:
        conn.execute("BEGIN IMMEDIATE")
    except ERRORS as error:
        raise case_error(error, path, doing) from None
    try:
        yield
        conn.execute("COMMIT")
    except BaseException as error:
        with contextlib.suppress(*ERRORS):
            conn.execute("ROLLBACK")
        if isinstance(error, ERRORS):
            raise case_error(error, path, doing) from None
        raise


def backup_copy(conn: sqlite3.Connection, path: Path, version: int, key: str | None) -> Path:
    """Copy the case, as it is, before a migration changes it (encrypted with
    the same passphrase when the case is)."""
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    for attempt in range(1, 100):
        # A second try within the same second (after a full disk) gets "-2".
        extra = "" if attempt == 1 else f"-{attempt}"
        target = path.with_name(f"{path.stem}.schema{version}-backup-{stamp}{extra}{path.suffix}")
        try:
            fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            continue
        os.close(fd)
        break
    else:
        raise CaseFileError(f"Could not name a backup copy of {path.name} before upgrading it; "
                            "nothing was changed.")
    try:
        dest = driver.connect(target, key=key)
        with contextlib.closing(dest):
            conn.backup(dest)
            dest.execute("PRAGMA journal_mode = DELETE")
    except BaseException:
        # The copy is in WAL mode until its last step: its log files go too.
        for leftover in (target, Path(f"{target}-wal"), Path(f"{target}-shm")):
            with contextlib.suppress(OSError):
                leftover.unlink()
        raise
    return target
