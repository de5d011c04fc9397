"""Look at a file's first bytes before SQLite touches it.

A foreign, newer, truncated or damaged file must be refused without a single
byte changing, so the decision is made from the raw SQLite header (see
sqlite.org/fileformat.html) with the file opened read-only by plain Python.
"""

from __future__ import annotations

import os
import stat
import struct
import zipfile
from pathlib import Path

from case_workbook.store.errors import CaseFileError
from case_workbook.store.schema import APPLICATION_ID, SCHEMA_VERSION

SQLITE_MAGIC = b"SQLite format 3\x00"
HEADER_SIZE = 100
# An encrypted file shows no header at all: its first page is ciphertext. It
# is told from a foreign file by its size (whole pages) and by its first
# 4 KiB using nearly every byte value, as random bytes do and text never does.
ENCRYPTED_SAMPLE = 4096
ENCRYPTED_MIN_DISTINCT = 200


class NeedsPassphraseError(CaseFileError):
    """An encrypted case was opened without its passphrase."""


def check_case_header(path: Path) -> int:
    """Return the file's schema version, or raise CaseFileError with one
    sentence saying why this is not a case file we can open."""
    try:
        info = path.stat()
    except FileNotFoundError:
        raise CaseFileError(f"There is no file at {path}.") from None
    except OSError as error:
        raise CaseFileError(f"Could not look at {path}: {error.strerror}.") from None
    if stat.S_ISDIR(info.st_mode):
        raise CaseFileError(f"{path} is a folder, not a case file.")
    if not stat.S_ISREG(info.st_mode):
        raise CaseFileError(f"{path} is not a regular file, so it cannot be a case file.")
    if info.st_size == 0:
        raise CaseFileError(f"{path} is empty, so it is not a case file.")
    try:
        with open(path, "rb") as handle:
            header = handle.read(HEADER_SIZE)
    except OSError as error:
        raise CaseFileError(f"Could not read {path}: {error.strerror}.") from None

    if not header.startswith(SQLITE_MAGIC):
        if header.startswith(b"PK\x03\x04") and zipfile.is_zipfile(path):
            raise CaseFileError(
                f"{path} is a zip archive (perhaps a workbook), not a case file; "
                "to start a case from a workbook use 'case-workbook import'."
            )
        if _looks_encrypted(path, info.st_size):
            # Random bytes look the same as ciphertext, so the sentence allows both.
            raise NeedsPassphraseError(f"{path} is not a plain case file; if it is an "
                                       "encrypted case, it opens only with its passphrase.")
        raise CaseFileError(f"{path} is not a case-workbook case file.")
    if len(header) < HEADER_SIZE:
        raise CaseFileError(f"{path} is damaged: it is shorter than a database header.")

    page_size = struct.unpack(">H", header[16:18])[0]
    page_size = 65536 if page_size == 1 else page_size
    if page_size < 512 or page_size & (page_size - 1):
        raise CaseFileError(f"{path} is damaged: its header is not valid.")
    (change_counter, page_count) = struct.unpack(">II", header[24:32])
    (valid_for,) = struct.unpack(">I", header[92:96])
    (user_version,) = struct.unpack(">I", header[60:64])
    (application_id,) = struct.unpack(">I", header[68:72])

    if application_id != APPLICATION_ID:
        raise CaseFileError(
            f"{path} is an SQLite database but not a case-workbook case file."
        )
    if user_version > SCHEMA_VERSION:
        raise CaseFileError(
            f"{path} was written by a newer version of case-workbook "
            f"(file format {user_version}, this version reads up to {SCHEMA_VERSION}); "
            "update case-workbook to open it."
        )
    if user_version == 0:
        raise CaseFileError(f"{path} is damaged: it holds no case-workbook data.")
    size = info.st_size
    # The page count in the header is trustworthy only when written by the same
    # change as the counter (SQLite's own rule). With a log beside, the file may
    # be shorter than its header says: a copy from the log into it was cut short
    # (a full disk), the log still holds every page, and SQLite's check decides.
    if (size % page_size or (valid_for == change_counter and size < page_count * page_size)) \
            and not check_log_beside(path):
        raise CaseFileError(
            f"{path} is damaged: it is shorter than its own header says (truncated)."
        )
    check_no_foreign_journal(path)
    check_log_beside(path)
    return user_version


def is_encrypted_case(path: Path) -> bool:
    """Whether `path` looks like an encrypted case file (see ENCRYPTED_SAMPLE);
    False for anything else, including a file that cannot be read."""
    try:
        info = path.stat()
    except OSError:
        return False
    return stat.S_ISREG(info.st_mode) and _looks_encrypted(path, info.st_size)


WAL_MAGIC = (0x377F0682, 0x377F0683)  # checksums little- or big-endian
WAL_VERSION = 3007000
WAL_HEADER = 32


def check_log_beside(path: Path) -> bool:
    """Whether a write-ahead log with pages is beside the case; CaseFileError
    when one is there but its header is not SQLite's. SQLite would ignore such
    a log and delete it on closing, and it might have held the latest edits,
    so the case is not opened at all. (SQLCipher leaves the header in clear.)"""
    log = Path(f"{path}-wal")
    try:
        size = log.stat().st_size
        if size == 0:
            return False
        with open(log, "rb") as handle:
            header = handle.read(WAL_HEADER)
    except FileNotFoundError:
        return False
    except OSError as error:
        raise CaseFileError(f"Could not read {log.name} beside the case: "
                            f"{(error.strerror or 'the system refused').lower()}.") from None
    if not _valid_wal_header(header):
        raise CaseFileError(f"{path} has a damaged log file beside it ({log.name}), so it was "
                            "not opened and nothing changed; keep both files for whoever "
                            "helps you recover them.")
    return True


def _valid_wal_header(header: bytes) -> bool:
    if len(header) < WAL_HEADER:
        return False
    magic, version = struct.unpack(">II", header[:8])
    if magic not in WAL_MAGIC or version != WAL_VERSION:
        return False
    words = struct.unpack((">" if magic & 1 else "<") + "6I", header[:24])
    s0 = s1 = 0
    for i in range(0, 6, 2):  # SQLite's own checksum over the header's first 24 bytes
        s0 = (s0 + words[i] + s1) & 0xFFFFFFFF
        s1 = (s1 + words[i + 1] + s0) & 0xFFFFFFFF
    return (s0, s1) == struct.unpack(">II", header[24:32])


def check_no_foreign_journal(path: Path) -> None:
    """A rollback journal left by a crash would be replayed into the file on
    open; ours are WAL files, so such a journal means someone else's edit."""
    if _has_hot_journal(path):
        raise CaseFileError(
            f"{path} has a leftover journal from another program; "
            "it was not opened so nothing changes."
        )


def _looks_encrypted(path: Path, size: int) -> bool:
    if size < ENCRYPTED_SAMPLE or size % 512:
        return False
    try:
        with open(path, "rb") as handle:
            sample = handle.read(ENCRYPTED_SAMPLE)
    except OSError:
        return False
    if sample.startswith(SQLITE_MAGIC) or sample.startswith(b"PK\x03\x04"):
        return False
    return len(set(sample)) >= ENCRYPTED_MIN_DISTINCT


def _has_hot_journal(path: Path) -> bool:
    journal = Path(f"{path}-journal")
    try:
        return journal.stat().st_size > 0
    except OSError:
        return False


def is_owner_only(path: Path) -> bool:
    return stat.S_IMODE(os.stat(path).st_mode) & 0o077 == 0
