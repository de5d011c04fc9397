"""macOS Messages' database, `~/Library/Messages/chat.db` (SQLite): every
iMessage and SMS the Mac holds, in the order Messages stored them.

The file is opened read-only and "immutable", so SQLite writes nothing
beside it (no -wal or -shm). When a `chat.db-wal` lies beside it (Messages
was running), the two are copied to a temporary folder and read there, so
the latest messages are not missed and neither original is touched.

Times are `message.date`, counted from 2001-01-01 UTC in nanoseconds (in
seconds in older databases), so every message has an exact instant. The
database says which messages the Mac's owner sent (`is_from_me`): their
sender is `ME`. Text missing from `text` is read from `attributedBody`.
"""

from __future__ import annotations

import re
import shutil
import sqlite3
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from case_workbook.fileio import describe_os_error
from case_workbook.importers.imessage_rows import (
    MESSAGE_COLUMNS,
    SQLITE_FAILURES,
    Lookups,
    Tally,
    message_of,
    notes_of,
)
from case_workbook.importers.parsed import (
    DayOrder,
    ExportReadError,
    ParseResult,
    Skipped,
)
from case_workbook.importers.source import hash_file, regular_size

FORMAT_NAME = "macOS Messages database (chat.db)"
SQLITE_MAGIC = b"SQLite format 3\x00"
REQUIRED_COLUMNS = {"date", "is_from_me"}
_CREATE = r"CREATE\s+TABLE\s+[\"`\[]?{}[\"`\]]?\s*\("  # as the schema on page 1 spells it


def looks_like(path: Path, head: bytes) -> bool:
    """An SQLite file named chat.db, or one whose schema (in its first
    pages) makes both a `message` and a `handle` table, as Messages does."""
    try:
        if not head.startswith(SQLITE_MAGIC):
            return False
        if path.name.lower() == "chat.db":
            return True
        return all(re.search(_CREATE.format(table).encode(), head, re.IGNORECASE)
                   for table in ("message", "handle"))
    except Exception:  # detection never fails loudly
        return False


def read(path: Path, *, day_order: DayOrder | None = None) -> ParseResult:
    """Read a chat.db. `day_order` is not used: every time is an exact instant."""
    regular_size(path)
    try:
        with open(path, "rb") as handle:
            header = handle.read(100)
    except OSError as error:
        raise ExportReadError(describe_os_error(error, str(path), "read")) from None
    if not header.startswith(SQLITE_MAGIC):
        raise ExportReadError(f"{path.name} is not a Messages database (chat.db): it is not an "
                              "SQLite file.")
    sha256, size = hash_file(path)
    result = ParseResult(format=FORMAT_NAME, source=path, sha256=sha256, size=size)
    tally = Tally()
    with _connection(path, header, size, result.notes) as connection:
        columns = _message_columns(connection, path)
        lookups = Lookups.load(connection, path, tally)
        rows, damaged_between = _message_rows(connection, columns)
    for record, row in enumerate(rows, start=1):
        result.messages.append(message_of(row, record, lookups, tally))
    if damaged_between is not None:
        result.skipped.append(_damage(damaged_between))
    result.truncated = size < _stated_size(header)
    result.notes[:0] = notes_of(tally, len(rows))
    return result


# -- opening ---------------------------------------------------------------------------------

@contextmanager
def _connection(path: Path, header: bytes, size: int,
                notes: list[str]) -> Iterator[sqlite3.Connection]:
    """The database read-only. Read in place when it stands alone; from a
    temporary copy when a -wal file holds its latest changes, or when it is
    shorter than its header says (SQLite then refuses it whole; the copy's
    header is made to fit, so what is there can be read)."""
    wal = path.with_name(path.name + "-wal")
    try:
        has_wal = wal.is_file() and wal.stat().st_size > 0
    except OSError:
        has_wal = False
    stated = _stated_size(header)
    try:
        if has_wal or size < stated:
            with tempfile.TemporaryDirectory(prefix="case-workbook-") as folder:
                copy = Path(folder) / "chat.db"
                shutil.copyfile(path, copy)
                if has_wal:
                    shutil.copyfile(wal, Path(folder) / "chat.db-wal")
                    notes.append(f"Read together with {wal.name} beside it, which holds "
                                 "Messages' latest changes; both were copied first and read "
                                 f"from the copy, so neither was changed. The SHA-256 is of "
                                 f"{path.name} alone.")
                if size < stated:
                    _fit_header(copy, header, size)
                    notes.append(f"{path.name} is shorter than its own header says ({size:,} of "
                                 f"{stated:,} bytes): it looks copied in part. It was read from a "
                                 "copy, as far as it goes.")
                with _opened(copy.as_uri()) as connection:
                    yield connection
        else:
            with _opened(path.resolve().as_uri() + "?mode=ro&immutable=1") as connection:
                yield connection
    except OSError as error:
        raise ExportReadError(describe_os_error(error, str(path), "read")) from None
    except SQLITE_FAILURES:
        raise ExportReadError(f"{path.name} is damaged: SQLite cannot read its list of "
                              "tables, so no message in it could be read.") from None


def _fit_header(copy: Path, header: bytes, size: int) -> None:
    """Make the copy's stated page count the pages it really has."""
    page_size = _page_size(header)
    pages = size // page_size
    with open(copy, "r+b") as handle:
        handle.truncate(pages * page_size)
        handle.seek(28)
        handle.write(pages.to_bytes(4, "big"))


@contextmanager
def _opened(uri: str) -> Iterator[sqlite3.Connection]:
    connection = sqlite3.connect(uri, uri=True)
    try:
        connection.execute("PRAGMA query_only = ON")
        connection.execute("PRAGMA trusted_schema = OFF")  # views/triggers call no functions
        connection.text_factory = _text
        yield connection
    finally:
        connection.close()


def _text(data: bytes) -> str:
    """TEXT values as stored; bytes that are not UTF-8 become U+FFFD rather than failing."""
    return data.decode("utf-8", "replace")


def _message_columns(connection: sqlite3.Connection, path: Path) -> list[str]:
    tables = {row[0] for row in connection.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table'")}
    if "message" not in tables:
        raise ExportReadError(f"{path.name} is an SQLite database, but not a Messages chat.db: "
                              "it has no message table.")
    present = {row[1] for row in connection.execute("PRAGMA table_info(message)")}
    if not REQUIRED_COLUMNS <= present or not present & {"text", "attributedBody"}:
        raise ExportReadError(f"{path.name} has a table named message, but not the one macOS "
                              "Messages keeps; it was not read.")
    return [name for name in MESSAGE_COLUMNS if name in present]


# -- the messages, around any damage ---------------------------------------------------------

def _message_rows(connection: sqlite3.Connection, columns: list[str]
                  ) -> tuple[list[dict[str, object]], tuple[int | None, int | None] | None]:
    """Every message row in ROWID order. A damaged database is read from
    both ends up to the damage; the ROWIDs either side of it come back too."""
    select = ", ".join(f'"{name}"' for name in columns)
    forward: list[dict[str, object]] = []
    try:
        for row in connection.execute(f"SELECT ROWID, {select} FROM message ORDER BY ROWID"):
            forward.append(dict(zip(["ROWID", *columns], row, strict=True)))
        return forward, None
    except SQLITE_FAILURES:
        pass
    last = forward[-1]["ROWID"] if forward else None
    backward: list[dict[str, object]] = []
    try:
        query = f"SELECT ROWID, {select} FROM message WHERE ROWID > ? ORDER BY ROWID DESC"
        for row in connection.execute(query, (last if last is not None else -(2**63),)):
            backward.append(dict(zip(["ROWID", *columns], row, strict=True)))
    except SQLITE_FAILURES:
        pass
    backward.reverse()
    after = backward[0]["ROWID"] if backward else None
    return forward + backward, (_as_int(last), _as_int(after))


def _as_int(value: object) -> int | None:
    return value if isinstance(value, int) else None


def _damage(between: tuple[int | None, int | None]) -> Skipped:
    last, after = between
    if last is None and after is None:
        return Skipped("the message table", "the database is damaged where its messages are "
                                            "kept; no message could be read.")
    if after is None:
        return Skipped(f"after message row {last}", "the database is damaged from here on; the "
                                                    "messages after it could not be read.")
    if last is None:
        return Skipped(f"before message row {after}", "the database is damaged before this "
                                                      "row; the messages before it could not "
                                                      "be read.")
    return Skipped(f"between message rows {last} and {after}",
                   "the database is damaged here; the messages between these rows could not "
                   "be read.")


def _page_size(header: bytes) -> int:
    size = int.from_bytes(header[16:18], "big")
    size = 65536 if size == 1 else size
    return size if size >= 512 and size & (size - 1) == 0 else 0


def _stated_size(header: bytes) -> int:
    """The size the database's header says it has (page size x page count)."""
    if len(header) < 100 or header[24:28] != header[92:96]:
        return 0  # SQLite itself ignores a page count it cannot trust
    return _page_size(header) * int.from_bytes(header[28:32], "big")
