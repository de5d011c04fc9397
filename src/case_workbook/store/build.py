"""Build a new case file from a whole-case document (a JSON import, the demo,
a returned workbook): all or nothing.

The case is written to a temporary file beside the target and linked into
place only when complete, so a failure at any point leaves no partial case.
"""

from __future__ import annotations

import base64
import contextlib
import json
import os
from collections.abc import Callable, Iterator
from pathlib import Path

from case_workbook.fileio import fsync_dir
from case_workbook.model.case import CaseHeader, CaseSettings
from case_workbook.model.document import CaseDocument
from case_workbook.model.framework import Framework
from case_workbook.store.case_file import CaseFile
from case_workbook.store.errors import CaseFileError
from case_workbook.store.exhibits import store_blob

B64_CHUNK = 4 * 1024 * 1024  # a multiple of 4: base64 pieces decode separately


def build_case(document: CaseDocument, target: Path | str, actor: str | None = None,
               passphrase: str | None = None) -> Path:
    """A new case file at `target` holding exactly what `document` holds
    (encrypted when a `passphrase` is given)."""
    return build_case_with(target, document.header, document.framework, document.settings,
                           lambda case: fill_case(case, document), actor=actor,
                           passphrase=passphrase)


def build_case_with(target: Path | str, header: CaseHeader, framework: Framework,
                    settings: CaseSettings, fill: Callable[[CaseFile], None],
                    actor: str | None = None, passphrase: str | None = None) -> Path:
    """Create a case at a temporary name, let `fill` write into it, and put it
    at `target` only once complete."""
    target = Path(target)
    if target.exists() or target.is_symlink():
        raise CaseFileError(f"{target} already exists; choose another name.")
    if not target.parent.is_dir():
        raise CaseFileError(f"The folder {target.parent} does not exist.")
    temp = target.with_name(f".{target.name}.{os.getpid()}.building")
    try:
        try:
            case = CaseFile.create(temp, header, framework, settings, actor=actor,
                                   passphrase=passphrase)
            try:
                fill(case)
            finally:
                case.close()
        except CaseFileError as error:
            # The person asked for `target`; the hidden name is ours.
            raise type(error)(str(error).replace(temp.name, target.name)) from None
        try:
            os.link(temp, target)  # fails rather than replace a file made meanwhile
        except FileExistsError:
            raise CaseFileError(f"{target} already exists; choose another name.") from None
        except OSError as error:
            raise CaseFileError(f"Could not create {target}: {error.strerror}.") from None
        fsync_dir(target.parent)
    finally:
        for leftover in (temp, Path(f"{temp}-wal"), Path(f"{temp}-shm")):
            with contextlib.suppress(OSError):
                leftover.unlink()
    return target


def fill_case(case: CaseFile, document: CaseDocument) -> None:
    """Write everything `document` holds into the new, empty `case`."""
    _check_prefixes(case, document)
    with case.transaction("import into"):
        conn = case.conn
        conn.execute("UPDATE meta SET value = ? WHERE key = 'case_id'",
                     (json.dumps(document.case_id),))
        conn.execute("UPDATE meta SET value = ? WHERE key = 'created'",
                     (json.dumps(document.created.isoformat()),))
        for sha, encoded in document.files.items():
            size = _decoded_size(encoded)
            store_blob(conn, sha, _decode_chunks(encoded), size)
        case.set_counters(document.counters)
        if document.counsel_notes:
            conn.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('counsel_notes', ?)",
                         (json.dumps(document.counsel_notes),))
        # Insert everything first, then check links: items may refer forward.
        stored = [case._insert(item, keep_id=True, check=False) for item in document.items]
        for item in stored:
            case._check_references(item)
        for entry in document.activity:
            conn.execute(
                "INSERT INTO activity (at, actor, action, entity, before, after, undone)"
                " VALUES (?, ?, ?, ?, ?, ?, ?)",
                (entry.at.isoformat(), entry.actor, entry.action, entity_or(entry.entity),
                 _json_or_none(entry.before), _json_or_none(entry.after), int(entry.undone)))
    case.case_id, case.created = document.case_id, document.created
    case.counsel_notes = dict(document.counsel_notes)


def _check_prefixes(case: CaseFile, document: CaseDocument) -> None:
    for number, item in enumerate(document.items, start=1):
        expected = case.id_prefix(item.kind)
        if not item.id.startswith(expected + "-"):
            # An id from a file can be anything: only a short, plain one is named.
            named = f"The id {item.id}" if len(item.id) <= 24 and item.id.isprintable() \
                else f"The id of item {number}"
            raise CaseFileError(f"{named} does not fit its kind "
                                f"({item.kind.value} ids start with {expected}-).")


def entity_or(entity: str) -> str:
    return entity or "case"


def _json_or_none(value: dict | None) -> str | None:
    return None if value is None else json.dumps(value, ensure_ascii=False)


def _decoded_size(encoded: str) -> int:
    padding = len(encoded) - len(encoded.rstrip("="))
    return len(encoded) * 3 // 4 - padding


def _decode_chunks(encoded: str) -> Iterator[bytes]:
    for start in range(0, len(encoded), B64_CHUNK):
        try:
            yield base64.b64decode(encoded[start:start + B64_CHUNK], validate=True)
        except ValueError:
            raise CaseFileError("An exhibit file in the import is not valid base64.") from None

