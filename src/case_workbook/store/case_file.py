"""The .cwb case file: SQLite used as an application file format.

Durability: the file runs in WAL mode with `synchronous=FULL`, so each edit is
one transaction whose commit is fsync'ed to the write-ahead log before the call
returns; a crash or power cut at any moment leaves either the whole edit or
none of it. WAL was chosen over a rollback journal because a commit costs one
fsync instead of several, and readers (an export) never block the editor.
A clean close checkpoints and removes the log, leaving one self-contained file.
An encrypted case (a passphrase given at creation) is the same file written
through SQLCipher (see driver.py): everything else here works unchanged.
"""

from __future__ import annotations

import contextlib
import getpass
import json
import os
import sqlite3
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

from case_workbook import __version__
from case_workbook.model.case import CaseHeader, CaseSettings
from case_workbook.model.framework import Framework
from case_workbook.store import driver
from case_workbook.store.check_alongside import CheckAlongside
from case_workbook.store.driver import ERRORS, WrongPassphraseError
from case_workbook.store.errors import CaseFileError
from case_workbook.store.inspect import (
    check_case_header,
    check_log_beside,
    check_no_foreign_journal,
    is_encrypted_case,
)
from case_workbook.store.items_mixin import ItemsMixin
from case_workbook.store.lock import CaseLock
from case_workbook.store.schema import SCHEMA_VERSION, migrate
from case_workbook.store.sqlite_errors import case_error
from case_workbook.store.sqlite_file import (
    backup_copy,
    check_decrypted_header,
    connect_case,
    quick_check,
    transaction_on,
    verify_tables,
)


def _now() -> datetime:
    return datetime.now(UTC)


def _actor() -> str:
    with contextlib.suppress(Exception):
        return getpass.getuser()
    return "unknown"


class CaseFile(ItemsMixin):
    """An open case. Use `CaseFile.create(...)` or `CaseFile.open(...)`, and
    `close()` (or a `with` block) when done."""

    def __init__(self, path: Path, conn: sqlite3.Connection, lock: CaseLock | None,
                 actor: str, key: str | None = None) -> None:
        self.path = path
        self.conn = conn
        self._key = key  # the passphrase of an encrypted case, for its other connections
        self._lock = lock
        self.actor = actor
        self.readonly = lock is None
        self.migrated_from: int | None = None
        self.backup_path: Path | None = None
        self.last_saved: datetime | None = None
        self._identity = _file_identity(path)
        self._alongside: CheckAlongside | None = None
        self._load_meta()

    # --- opening and closing -------------------------------------------------

    @classmethod
    def create(cls, path: Path | str, header: CaseHeader, framework: Framework,
               settings: CaseSettings | None = None, actor: str | None = None,
               passphrase: str | None = None) -> CaseFile:
        """A new case file; encrypted when a `passphrase` is given."""
        path = Path(path)
        if passphrase is not None:
            driver.check_new_passphrase(passphrase)
            driver.cipher()  # one sentence now if encryption is not available here
        if path.exists() or path.is_symlink():
            raise CaseFileError(f"{path} already exists; choose another name.")
        lock = CaseLock(path)
        lock.acquire()
        try:
            # Create the file ourselves so it is owner-only from its first byte;
            # SQLite gives its -wal and -shm files the same mode.
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            os.close(fd)
        except OSError as error:
            lock.release()
            raise CaseFileError(f"Could not create {path}: {error.strerror}.") from None
        try:
            conn = connect_case(path, key=passphrase)
            migrate(conn)
            with transaction_on(conn, path, "create"):
                meta = {
                    "case_id": uuid.uuid4().hex,
                    "created": _now().isoformat(),
                    "created_by_version": __version__,
                    "header": header.model_dump(mode="json"),
                    "settings": (settings or CaseSettings()).model_dump(mode="json"),
                    "framework": framework.model_dump(mode="json"),
                }
                conn.executemany(
                    "INSERT INTO meta (key, value) VALUES (?, ?)",
                    [(key, json.dumps(value)) for key, value in meta.items()],
                )
            # The file's own header (application id, version) must be in the
            # main file, not only in the log: that is what marks it as ours.
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        except BaseException as error:
            with contextlib.suppress(Exception):
                conn.close()
            for leftover in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
                with contextlib.suppress(OSError):
                    leftover.unlink()
            lock.release()
            if isinstance(error, ERRORS):
                raise case_error(error, path, "create") from None
            raise
        return cls(path, conn, lock, actor or _actor(), key=passphrase)

    @classmethod
    def open(cls, path: Path | str, *, actor: str | None = None,
             readonly: bool = False, verify: bool = True,
             check_alongside: bool = False, passphrase: str | None = None) -> CaseFile:
        """Open a case for editing (one editor at a time), or read-only.
        `verify` runs SQLite's quick check first, so a damaged file is refused
        before anything reads or writes it; `check` turns it off to report.
        `check_alongside`: the check runs in a thread instead (unless the file
        must be upgraded first), and the caller may read while it runs but
        shows and writes nothing before `confirm_intact()`.
        `passphrase` opens an encrypted case (it is ignored for a plain one)."""
        path = Path(path)
        key = passphrase if passphrase is not None and is_encrypted_case(path) else None
        if key is None:
            check_case_header(path)
        else:
            driver.cipher()
            check_no_foreign_journal(path)
            check_log_beside(path)
        lock = None
        if not readonly:
            lock = CaseLock(path)
            lock.acquire()
        try:
            conn = connect_case(path, readonly=readonly, key=key)
            alongside: CheckAlongside | None = None
            try:
                if key is not None:
                    check_decrypted_header(conn, path)
                verify_tables(conn, path)
                backup = None
                # The log of a crashed session may hold a newer version than
                # the main file's header said.
                version = conn.execute("PRAGMA user_version").fetchone()[0]
                # Not read-only: the thread's connection could not open a file
                # that only SQLite's immutable mode reads (see _connect).
                if verify and check_alongside and version == SCHEMA_VERSION and not readonly:
                    alongside = CheckAlongside(path, key)
                elif verify:
                    quick_check(conn, path)
                if version > SCHEMA_VERSION:
                    raise CaseFileError(f"{path} was written by a newer version of "
                                        "case-workbook; update case-workbook to open it.")
                if version < SCHEMA_VERSION and not readonly:
                    backup = backup_copy(conn, path, version, key)
                    migrate(conn)
                    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
                case = cls(path, conn, lock, actor or _actor(), key=key)
                case._alongside = alongside
            except BaseException:
                if alongside is not None:
                    alongside.wait()
                conn.close()
                raise
        except ERRORS as error:
            if lock:
                lock.release()
            if key is not None and driver.is_not_a_database(error):
                raise WrongPassphraseError(
                    f"That passphrase does not open {path.name} (or the file is damaged); "
                    "nothing in it was changed.") from None
            raise case_error(error, path, "open") from None
        except BaseException:
            if lock:
                lock.release()
            raise
        if backup is not None:
            case.migrated_from, case.backup_path = version, backup
            case._log("migrate", "case", {"schema": version}, {"schema": SCHEMA_VERSION,
                                                              "backup": backup.name})
        return case

    def confirm_intact(self) -> None:
        """After `open(check_alongside=True)`: wait for the quick check;
        CaseFileError if the file is damaged (the caller closes the case)."""
        if self._alongside is not None:
            self._alongside.confirm()

    def close(self) -> None:
        if self.conn is None:
            return
        if self._alongside is not None:
            self._alongside.wait()
        with contextlib.suppress(*ERRORS):
            if not self.readonly:
                self.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        self.conn.close()
        self.conn = None  # type: ignore[assignment]
        if self._lock:
            self._lock.release()

    def __enter__(self) -> CaseFile:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- case-level data -----------------------------------------------------

    def _load_meta(self) -> None:
        rows = dict(self.conn.execute("SELECT key, value FROM meta").fetchall())
        try:
            self.case_id: str = json.loads(rows["case_id"])
            self.header = CaseHeader.model_validate(json.loads(rows["header"]))
            self.settings = CaseSettings.model_validate(json.loads(rows["settings"]))
            self.framework = Framework.model_validate(json.loads(rows["framework"]))
            self.created = datetime.fromisoformat(json.loads(rows["created"]))
            # Notes counsel wrote beside themes and questions in a returned
            # workbook ("theme:<id>", "question:<theme id>:<n>"); absent in older files.
            notes = json.loads(rows.get("counsel_notes", "{}"))
            if not isinstance(notes, dict) or not all(
                    isinstance(k, str) and isinstance(v, str) for k, v in notes.items()):
                raise ValueError("counsel_notes")
            self.counsel_notes: dict[str, str] = notes
        except (KeyError, ValueError) as error:
            raise CaseFileError(
                f"{self.path} is damaged: its case information cannot be read."
            ) from error

    @property
    def encrypted(self) -> bool:
        return self._key is not None

    def change_passphrase(self, new: str) -> None:
        """Re-encrypt the case under a new passphrase. SQLCipher rewrites every
        page in one transaction, so a crash leaves the old passphrase or the new
        one working, never neither; the log says when, never what."""
        if self._key is None:
            raise CaseFileError(f"{self.path.name} is not encrypted, so it has no passphrase "
                                "to change.")
        driver.check_new_passphrase(new)
        with self.transaction("change the passphrase of"):
            self._log("passphrase", "case", None, None)
        try:
            driver.rekey(self.conn, new)
        except ERRORS as error:
            raise case_error(error, self.path, "change the passphrase of") from None
        self._key = new
        # The main file then holds every page under the new key, with no log beside it.
        with contextlib.suppress(*ERRORS):
            self.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    @property
    def schema_version(self) -> int:
        return self.conn.execute("PRAGMA user_version").fetchone()[0]

    def set_header(self, header: CaseHeader) -> None:
        before = self.header.model_dump(mode="json")
        after = header.model_dump(mode="json")
        if before == after:
            return
        with self.transaction("save the case details to"):
            self.conn.execute("UPDATE meta SET value = ? WHERE key = 'header'",
                              (json.dumps(after),))
            self._log("header", "header", before, after)
        self.header = header

    def set_settings(self, settings: CaseSettings) -> None:
        before = self.settings.model_dump(mode="json")
        after = settings.model_dump(mode="json")
        with self.transaction("save the settings to"):
            self.conn.execute("UPDATE meta SET value = ? WHERE key = 'settings'",
                              (json.dumps(after),))
            self._log("settings", "case", before, after)
        self.settings = settings

    def set_counsel_notes(self, notes: dict[str, str]) -> None:
        """Replace the case-level counsel notes (themes, questions); logged."""
        before, after = dict(self.counsel_notes), {k: v for k, v in notes.items() if v}
        if before == after:
            return
        with self.transaction("save counsel's notes to"):
            self.conn.execute("INSERT OR REPLACE INTO meta (key, value) VALUES "
                              "('counsel_notes', ?)", (json.dumps(after),))
            self._log("counsel notes", "case", before, after)
        self.counsel_notes = after

    # --- transactions and the activity log -----------------------------------

    @contextlib.contextmanager
    def transaction(self, doing: str = "save to") -> Iterator[sqlite3.Connection]:
        if self.readonly:
            raise CaseFileError(f"{self.path.name} is open read-only; nothing was changed.")
        if _file_identity(self.path) != self._identity:
            # SQLite would go on writing into a file no longer at this path.
            raise CaseFileError(f"{self.path} was moved, replaced or deleted while it was "
                                "open, so this change was not saved; open the case again.")
        with transaction_on(self.conn, self.path, doing):
            yield self.conn
        self.last_saved = _now()

    def _log(self, action: str, entity: str, before: dict | None, after: dict | None,
             at: datetime | None = None) -> int:
        cursor = self.conn.execute(
            "INSERT INTO activity (at, actor, action, entity, before, after)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            ((at or _now()).isoformat(), self.actor, action, entity,
             None if before is None else json.dumps(before, ensure_ascii=False),
             None if after is None else json.dumps(after, ensure_ascii=False)),
        )
        return cursor.lastrowid or 0


def _file_identity(path: Path) -> tuple[int, int] | None:
    try:
        info = os.stat(path)
    except OSError:
        return None
    return info.st_dev, info.st_ino
