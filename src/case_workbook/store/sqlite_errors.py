"""Turn SQLite's errors into one plain sentence each."""

from __future__ import annotations

from pathlib import Path

from case_workbook.store.errors import CaseFileError

_SQLITE_READONLY = 8
_SQLITE_IOERR = 10
_SQLITE_CORRUPT = 11
_SQLITE_FULL = 13
_SQLITE_CANTOPEN = 14
_SQLITE_NOTADB = 26
_SQLITE_BUSY = 5
# The shared-memory index beside the case could not grow: on Linux, a full disk.
_SQLITE_IOERR_SHMSIZE = _SQLITE_IOERR | (19 << 8)


def case_error(error: Exception, path: Path, doing: str) -> CaseFileError:
    """`error`: either driver's database error (see driver.py)."""
    code = getattr(error, "sqlite_errorcode", None)
    primary = code & 0xFF if isinstance(code, int) else None
    if primary == _SQLITE_FULL or code == _SQLITE_IOERR_SHMSIZE:
        what = "the disk is full; free some space and try again — nothing was lost"
    elif primary == _SQLITE_READONLY:
        what = "the file or its folder is read-only"
    elif primary == _SQLITE_IOERR:
        what = "the disk reported an input/output error; the last change was not saved"
    elif primary in (_SQLITE_CORRUPT, _SQLITE_NOTADB):
        what = "the file is damaged; run 'case-workbook check' on it"
    elif primary == _SQLITE_CANTOPEN:
        what = "the file could not be opened (was it moved or its folder removed?)"
    elif primary == _SQLITE_BUSY:
        what = "another program is using the file"
    else:
        what = str(error).rstrip(".") or "SQLite reported an error"
    return CaseFileError(f"Could not {doing} {path.name}: {what}.")
