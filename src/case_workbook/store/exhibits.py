"""Exhibit files: hashed, numbered, and kept inside the case.

A file is streamed into the case in chunks (never read whole into memory),
hashed with SHA-256 on the way in. Files above the case's copy limit are not
copied: their path is kept and their hash re-verified by `check`.
"""

from __future__ import annotations

import hashlib
import io
import os
import sqlite3
import stat
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

from case_workbook.model.items import Exhibit, ExhibitFile, ExhibitForm, Kind, Storage
from case_workbook.store.errors import CaseFileError

if TYPE_CHECKING:
    from case_workbook.store.case_file import CaseFile

CHUNK = 1024 * 1024


def add_exhibit_file(case: CaseFile, source: Path | str, *, summary: str = "",
                     details: str = "", custody: str = "", bates: str = "") -> Exhibit:
    """Add a file as a new exhibit: one transaction, numbered, hashed, copied."""
    source = Path(source)
    with case.transaction(f"add the exhibit {source.name} to"):
        return insert_exhibit_file(case, source, summary=summary, details=details,
                                   custody=custody, bates=bates)


def insert_exhibit_file(case: CaseFile, source: Path, **fields: Any) -> Exhibit:
    """`add_exhibit_file` inside the caller's transaction (an import adds
    many exhibits, and all or none)."""
    try:
        handle = open(source, "rb")
    except OSError as error:
        raise CaseFileError(f"Could not read {source}: {_reason(error)}.") from None
    with handle:
        info = os.fstat(handle.fileno())
        if not stat.S_ISREG(info.st_mode):
            raise CaseFileError(f"{source} is not a regular file.")
        modified = datetime.fromtimestamp(info.st_mtime, UTC)
        if info.st_size <= case.settings.copy_limit_bytes:
            digest = _copy_in(case.conn, handle, info.st_size, source)
            storage, reference = Storage.COPY, ""
        else:
            digest = _hash_stream(handle)
            storage, reference = Storage.REFERENCE, str(source.resolve())
        return _insert_exhibit(case, ExhibitFile(
            original_name=source.name, sha256=digest, size=info.st_size, modified=modified,
            storage=storage, reference_path=reference), fields)


def insert_exhibit_bytes(case: CaseFile, name: str, data: bytes, **fields: Any) -> Exhibit:
    """Bytes that arrived inside another file (a zip member, an MMS part, an
    email attachment) as a new exhibit, inside the caller's transaction.
    They are always copied: there is no file of their own to refer to."""
    digest = _copy_in(case.conn, io.BytesIO(data), len(data), Path(name))
    return _insert_exhibit(case, ExhibitFile(original_name=name, sha256=digest,
                                             size=len(data)), fields)


def insert_exhibit_stream(case: CaseFile, name: str, handle: BinaryIO, size: int,
                          **fields: Any) -> Exhibit:
    """Like `insert_exhibit_bytes`, for bytes read in blocks (a zip member)."""
    digest = _copy_in(case.conn, handle, size, Path(name))
    return _insert_exhibit(case, ExhibitFile(original_name=name, sha256=digest, size=size),
                           fields)


def _insert_exhibit(case: CaseFile, file: ExhibitFile, fields: dict[str, Any]) -> Exhibit:
    fields["summary"] = fields.get("summary") or file.original_name
    return case._insert(Exhibit(form=ExhibitForm.FILE, file=file, **fields))


def _copy_in(conn: sqlite3.Connection, handle: BinaryIO, size: int, source: Path) -> str:
    rowid = conn.execute(
        "INSERT INTO exhibit_blobs (sha256, size, content) VALUES ('', ?, zeroblob(?))",
        (size, size)).lastrowid
    digest = hashlib.sha256()
    written = 0
    with conn.blobopen("exhibit_blobs", "content", rowid) as blob:
        while chunk := handle.read(CHUNK):
            if written + len(chunk) > size:
                raise CaseFileError(f"{source} grew while it was being copied; try again.")
            blob.write(chunk)
            digest.update(chunk)
            written += len(chunk)
    if written != size:
        raise CaseFileError(f"{source} shrank while it was being copied; try again.")
    hexdigest = digest.hexdigest()
    duplicate = conn.execute("SELECT id FROM exhibit_blobs WHERE sha256 = ? AND id != ?",
                             (hexdigest, rowid)).fetchone()
    if duplicate:  # the same bytes are already in the case: keep one copy
        conn.execute("DELETE FROM exhibit_blobs WHERE id = ?", (rowid,))
    else:
        conn.execute("UPDATE exhibit_blobs SET sha256 = ? WHERE id = ?", (hexdigest, rowid))
    return hexdigest


def store_blob(conn: sqlite3.Connection, sha256: str, chunks: Iterator[bytes], size: int) -> None:
    """Store bytes that arrive in pieces (from an import), checking their hash."""
    if conn.execute("SELECT 1 FROM exhibit_blobs WHERE sha256 = ?", (sha256,)).fetchone():
        return
    rowid = conn.execute(
        "INSERT INTO exhibit_blobs (sha256, size, content) VALUES (?, ?, zeroblob(?))",
        (sha256, size, size)).lastrowid
    digest = hashlib.sha256()
    written = 0
    with conn.blobopen("exhibit_blobs", "content", rowid) as blob:
        for chunk in chunks:
            if written + len(chunk) > size:
                raise CaseFileError("An exhibit file is longer than its recorded size.")
            blob.write(chunk)
            digest.update(chunk)
            written += len(chunk)
    if written != size or digest.hexdigest() != sha256:
        raise CaseFileError("An exhibit file does not match its recorded SHA-256 hash.")


def read_blob(case: CaseFile, sha256: str) -> Iterator[bytes]:
    """The bytes of a copied exhibit file, in chunks."""
    row = case.conn.execute("SELECT id, size FROM exhibit_blobs WHERE sha256 = ?",
                            (sha256,)).fetchone()
    if row is None:
        raise CaseFileError("An exhibit's file is missing from the case.")
    rowid, size = row
    with case.conn.blobopen("exhibit_blobs", "content", rowid, readonly=True) as blob:
        offset = 0
        while offset < size:
            chunk = blob.read(CHUNK)
            if not chunk:
                break
            offset += len(chunk)
            yield chunk


def _hash_stream(handle: BinaryIO) -> str:
    digest = hashlib.sha256()
    while chunk := handle.read(CHUNK):
        digest.update(chunk)
    return digest.hexdigest()


@dataclass(frozen=True)
class ExhibitCheck:
    exhibit_id: str
    status: str  # "ok", "changed", "missing"
    detail: str


def verify_exhibits(case: CaseFile) -> list[ExhibitCheck]:
    """Re-hash every exhibit file, copied or referenced."""
    results = []
    for exhibit in case.items(Kind.EXHIBIT):
        assert isinstance(exhibit, Exhibit)
        if exhibit.file is None or exhibit.file.storage == Storage.NONE:
            continue
        results.append(_verify_one(case, exhibit))
    return results


def _verify_one(case: CaseFile, exhibit: Exhibit) -> ExhibitCheck:
    file = exhibit.file
    assert file is not None
    if file.storage == Storage.COPY:
        try:
            digest = hashlib.sha256()
            for chunk in read_blob(case, file.sha256):
                digest.update(chunk)
        except CaseFileError:
            return ExhibitCheck(exhibit.id, "missing", "the copy inside the case is missing")
        actual = digest.hexdigest()
        where = "the copy inside the case"
    else:
        try:
            with open(file.reference_path, "rb") as handle:
                actual = _hash_stream(handle)
        except OSError as error:
            return ExhibitCheck(exhibit.id, "missing",
                                f"{file.reference_path}: {_reason(error)}")
        where = file.reference_path
    if actual != file.sha256:
        return ExhibitCheck(exhibit.id, "changed", f"{where} no longer matches its SHA-256")
    return ExhibitCheck(exhibit.id, "ok", where)


def _reason(error: OSError) -> str:
    return (error.strerror or "it cannot be read").lower()
