"""Build the bundled demo case: a fictional duress case, complete with people,
threats, messages, key moments and a few small exhibit files.

The exhibit files are written at build time into a temporary folder (nothing
binary is kept in the source tree), added to the case like any user's file,
and the folder is removed afterwards. The story itself is in `content.py`.
"""

from __future__ import annotations

import os
import struct
import tempfile
import zlib
from datetime import datetime
from pathlib import Path
from typing import Any

from case_workbook.demo import content
from case_workbook.model.case import CaseSettings
from case_workbook.model.framework import load_builtin
from case_workbook.model.items import (
    Communication,
    Event,
    Exhibit,
    Person,
    PostEventAction,
    ThemeLink,
    Threat,
    Witness,
)
from case_workbook.model.when import get_zone, parse_when
from case_workbook.store.build import build_case_with
from case_workbook.store.case_file import CaseFile
from case_workbook.store.exhibits import add_exhibit_file

ACTOR = "demo"
# The exhibit files get this modification time, so every build holds the same files.
FILES_MODIFIED = datetime(2026, 3, 18, 10, 0)

# Fields whose values are keys of other demo entries, to be turned into ids.
_REF_LISTS = ("people", "exhibits", "related", "made_by", "present",
              "sender", "recipients", "with_whom")


def build_demo(target: Path | str) -> Path:
    """Create the demo case at `target` (which must not exist yet)."""
    settings = CaseSettings(default_tz=content.TZ)
    return build_case_with(target, content.HEADER, load_builtin(content.FRAMEWORK),
                           settings, fill_demo, actor=ACTOR)


def fill_demo(case: CaseFile) -> None:
    """Add the whole demo story to an open, empty case."""
    ids: dict[str, str] = {}
    for key, fields in content.PEOPLE.items():
        ids[key] = case.add(Person(**_resolve(fields, ids))).id
    _add_exhibits(case, ids)
    for model, entries in ((Threat, content.THREATS),
                           (Communication, content.COMMUNICATIONS),
                           (Event, content.EVENTS),
                           (Witness, content.WITNESSES),
                           (PostEventAction, content.ACTIONS)):
        for key, fields in entries.items():
            ids[key] = case.add(model(**_resolve(fields, ids))).id


def _add_exhibits(case: CaseFile, ids: dict[str, str]) -> None:
    stamp = FILES_MODIFIED.replace(tzinfo=get_zone(content.TZ)).timestamp()
    with tempfile.TemporaryDirectory(prefix="case-workbook-demo-") as folder:
        for key, (name, body, fields) in content.EXHIBITS.items():
            path = Path(folder) / name
            path.write_bytes(grey_png(16, 16) if body == "png" else body.encode("utf-8"))
            os.utime(path, (stamp, stamp))
            rest = dict(fields)
            exhibit = add_exhibit_file(case, path, summary=rest.pop("summary"),
                                       details=rest.pop("details", ""),
                                       custody=rest.pop("custody", ""),
                                       bates=rest.pop("bates", ""))
            ids[key] = exhibit.id
            extra = _resolve(rest, ids)
            case.update(Exhibit.model_validate({**exhibit.model_dump(), **extra}))


def _resolve(fields: dict[str, Any], ids: dict[str, str]) -> dict[str, Any]:
    """Content fields as model fields: keys become ids, typed whens become Whens,
    theme notes become ThemeLinks."""
    out = dict(fields)
    for name in _REF_LISTS:
        if name in out:
            out[name] = [ids[key] for key in out[name]]
    if "person" in out:
        out["person"] = ids[out["person"]]
    if "when" in out:
        out["when"] = parse_when(out["when"], content.TZ)
    if "themes" in out:
        out["themes"] = [ThemeLink(theme_id=theme, note=note)
                         for theme, note in out["themes"].items()]
    return out


def grey_png(width: int, height: int, level: int = 0x80) -> bytes:
    """A small valid PNG: one flat shade of grey, 8-bit greyscale."""
    def chunk(tag: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + tag + data
                + struct.pack(">I", zlib.crc32(tag + data) & 0xFFFFFFFF))

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    rows = b"".join(b"\x00" + bytes([level]) * width for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(rows, 9)) + chunk(b"IEND", b""))


__all__ = ["build_demo", "fill_demo", "grey_png"]
