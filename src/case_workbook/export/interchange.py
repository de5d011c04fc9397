"""Write a case to the JSON interchange format and read such a file back.

Writing streams the exhibit files into the JSON in base64 chunks, so a large
exhibit is never held in memory whole while exporting.
"""

from __future__ import annotations

import base64
import json
import re
import stat
from datetime import UTC, datetime
from pathlib import Path
from typing import IO

from pydantic import ValidationError

from case_workbook import __version__
from case_workbook.bulk import collector_paused
from case_workbook.fileio import atomic_write, describe_os_error
from case_workbook.model.document import CaseDocument
from case_workbook.model.items import Exhibit, Kind, Storage
from case_workbook.store.case_file import CaseFile
from case_workbook.store.exhibits import read_blob

MAX_JSON_BYTES = 2 * 1024**3  # refuse larger files before reading them


class InterchangeError(Exception):
    """A JSON file cannot be written or read; str() is one sentence."""


def case_document(case: CaseFile, *, with_files: bool = False) -> CaseDocument:
    """The case as a document. File contents are left out unless asked for
    (they are streamed separately by `export_json`)."""
    items = [item for kind in Kind for item in case.items(kind)]
    files = {}
    if with_files:
        for sha in _copied_hashes(items):
            files[sha] = base64.b64encode(b"".join(read_blob(case, sha))).decode("ascii")
    return CaseDocument(
        tool_version=__version__, exported_at=datetime.now(UTC), case_id=case.case_id,
        created=case.created, header=case.header, settings=case.settings,
        framework=case.framework, counters=case.counters(), items=items,
        activity=case.activity(), counsel_notes=case.counsel_notes, files=files)


def _copied_hashes(items) -> list[str]:
    hashes: dict[str, None] = {}
    for item in items:
        if isinstance(item, Exhibit) and item.file and item.file.storage == Storage.COPY:
            hashes.setdefault(item.file.sha256, None)
    return list(hashes)


@collector_paused()
def export_json(case: CaseFile, out: Path) -> None:
    out = Path(out)
    document = case_document(case)
    body = document.model_dump(mode="json", exclude={"files"})
    try:
        with atomic_write(out, "w") as handle:
            text = json.dumps(body, indent=2, ensure_ascii=False)
            handle.write(text[: text.rfind("}")].rstrip())
            handle.write(',\n  "files": {')
            _write_files(case, _copied_hashes(document.items), handle)
            handle.write("}\n}\n")
    except OSError as error:
        raise InterchangeError(describe_os_error(error, out, "write")) from None


def _write_files(case: CaseFile, hashes: list[str], handle: IO[str]) -> None:
    for index, sha in enumerate(hashes):
        handle.write(("," if index else "") + f'\n    "{sha}": "')
        pending = b""
        for chunk in read_blob(case, sha):
            pending += chunk
            usable = len(pending) - len(pending) % 3  # base64 pieces join cleanly
            handle.write(base64.b64encode(pending[:usable]).decode("ascii"))
            pending = pending[usable:]
        handle.write(base64.b64encode(pending).decode("ascii") + '"')
    if hashes:
        handle.write("\n  ")


def read_json(path: Path) -> CaseDocument:
    """Read and validate an interchange file; InterchangeError says what is wrong."""
    path = Path(path)
    try:
        if path.is_dir():
            raise InterchangeError(f"{path} is a folder, not a JSON file.")
        if not stat.S_ISREG(path.stat().st_mode):  # a pipe or a device: reading could never end
            raise InterchangeError(f"{path} is not a regular file, so it is not a case export.")
        if path.stat().st_size > MAX_JSON_BYTES:
            raise InterchangeError(f"{path} is too large to be a case export.")
        with open(path, "rb") as handle:
            raw = handle.read()
    except OSError as error:
        raise InterchangeError(describe_os_error(error, path, "read")) from None
    except MemoryError:
        raise _too_large(path) from None
    try:
        text = raw.decode("utf-8")
        del raw  # a large file is not held twice while it is parsed
        if text.startswith("\ufeff"):  # json's own message names a Python codec
            raise InterchangeError(f"{path} starts with a byte order mark, which a case export "
                                   "never has; save it as UTF-8 without one.")
        data = json.loads(text, object_pairs_hook=_unique_keys)
    except UnicodeDecodeError:
        raise InterchangeError(f"{path} is not UTF-8 text, so it is not a case export.") from None
    except json.JSONDecodeError as error:
        raise InterchangeError(
            f"{path} is not valid JSON (line {error.lineno}, column {error.colno}: "
            f"{error.msg.lower()}).") from None
    except _DuplicateKey:
        raise InterchangeError(f"{path} is not a valid case export: a name appears twice in "
                               "the same object, so which value counts is unclear.") from None
    except RecursionError:
        raise InterchangeError(f"{path} is nested too deeply to be a case export.") from None
    except MemoryError:
        raise _too_large(path) from None
    except ValueError:  # Python refuses integers of more than 4,300 digits
        raise InterchangeError(f"{path} is not a valid case export: it holds a number too "
                               "long to be one of its values.") from None
    if not isinstance(data, dict) or data.get("format") != "case-workbook":
        raise InterchangeError(f"{path} is not a case-workbook export (no \"format\": "
                               "\"case-workbook\" at the top).")
    version = data.get("version")
    if version != 1 or isinstance(version, bool | float):
        # Only a whole number is named back: any other value is the file's content.
        named = f"version {version}" if type(version) is int and abs(version) < 10**6 \
            else "an unknown version"
        raise InterchangeError(f"{path} uses export format {named}; "
                               "this version of case-workbook reads version 1.")
    _check_kinds(data.get("items"), path)
    try:
        document = CaseDocument.model_validate(data)
    except ValidationError as error:
        raise InterchangeError(f"{path} is not a valid case export: {explain(error)}.") from None
    except RecursionError:
        raise InterchangeError(f"{path} is nested too deeply to be a case export.") from None
    except MemoryError:
        raise _too_large(path) from None
    if missing := document.missing_files():
        raise InterchangeError(f"{path} is not a valid case export: the file of exhibit "
                               f"{missing[0]} is missing from \"files\".")
    return document


def _check_kinds(items: object, path: Path) -> None:
    # Said here rather than by pydantic, which copies an unknown kind (any
    # text, a 100 MB one too) into its error more than once.
    known = {kind.value for kind in Kind}
    for index, item in enumerate(items if isinstance(items, list) else ()):
        kind = item.get("kind") if isinstance(item, dict) else None
        if isinstance(kind, str) and kind not in known:
            raise InterchangeError(f"{path} is not a valid case export: items[{index}]: its "
                                   "kind is not one this version of case-workbook knows.")


class _DuplicateKey(Exception):
    pass


def _unique_keys(pairs: list[tuple[str, object]]) -> dict[str, object]:
    # json keeps the last of two equal names silently; a case export never repeats one.
    data = dict(pairs)
    if len(data) != len(pairs):
        raise _DuplicateKey
    return data


def _too_large(path: Path) -> InterchangeError:
    return InterchangeError(f"{path} is too large to read with the memory this computer has.")


def explain(error: ValidationError, *, from_file: bool = True) -> str:
    """The first problem of a pydantic error as 'where: what', plus a count.
    A value read `from_file` is not repeated (it is the case's content); a
    value the person typed is, so they see what was not understood."""
    problems = error.errors(include_url=False)
    first = problems[0]
    loc = first["loc"]
    # An unknown field's name is the file's own text, which is never repeated.
    unknown = first["type"] == "extra_forbidden"
    where = ""
    for part in loc[:-1] if unknown else loc:
        if isinstance(part, int):
            where += f"[{part}]"
        elif not _FIELD_NAME.fullmatch(part):  # a name the file chose (a key of a table)
            where += "[…]"
        elif not _is_tag(part):
            where += f".{part}" if where else str(part)
    message = first["msg"]
    given = first.get("input")
    if from_file and isinstance(given, str) and given and given in message:
        message = message.replace(given, "…")  # the file's own text (a zone name) is not repeated
    message = message[0].lower() + message[1:] if message else "not valid"
    if unknown:
        message = "it has a field this version of case-workbook does not know"
    elif first["type"] == "union_tag_invalid":  # pydantic's message repeats the kind given
        message = "its kind is not one this version of case-workbook knows"
    elif len(message) > 200:  # a message that carries the file's own text along
        message = "its value is not valid"
    more = len(problems) - 1
    suffix = f" (and {more} more problem{'s' if more > 1 else ''})" if more else ""
    return f"{where or 'the top level'}: {message}{suffix}"


_FIELD_NAME = re.compile(r"[a-z][a-z0-9_]{0,39}")


def _is_tag(part: object) -> bool:
    # pydantic puts the discriminator value ('threat', ...) into union paths
    return isinstance(part, str) and part in {k.value for k in Kind}
