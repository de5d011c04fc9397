"""The whole case, carried inside the workbook, so a returned workbook
rebuilds the case exactly.

The visible sheets are for people and cannot hold everything (time
tolerances, id counters, the activity log). So the workbook also carries the
case as JSON in one very hidden sheet, "case-workbook data":

    A1  "case-workbook data"        B1  format version (1)
    A2… one piece per row: the JSON, zlib-compressed, base64, cut in 32,000
        character pieces
    last row: A "sha256", B the SHA-256 of the JSON bytes, C "pieces", D their number

The JSON is the interchange document (see model/document.py) without its
`files`. It is written as it is compressed, item by item and log entry by log
entry, so the whole case is never held as one text in memory; the hash and
the count come last for that reason.

Base64 has no "_", "<" or "&", so no spreadsheet program re-escapes it on
saving, and the hash tells a damaged or edited copy from a whole one.
Exhibit files themselves do not travel in the workbook (they can be large);
`--with-exhibits` writes them beside it.
"""

from __future__ import annotations

import base64
import hashlib
import json
import zlib
from collections.abc import Iterable, Iterator
from itertools import chain

from pydantic import BaseModel, ValidationError

from case_workbook.model.document import CaseDocument

SHEET = "case-workbook data"
MARK = "case-workbook data"
VERSION = 1
PIECE = 32_000  # under Excel's 32,767-character cell limit
# The case JSON inflates about 5 times (zlib level 1); a zlib bomb, 1,000
# times. More than this is refused before it is held in memory.
MAX_RATIO, RATIO_FLOOR = 40, 64 * 1024**2


class PayloadError(Exception):
    """The hidden case data is absent, damaged or of another version."""


class _Packer:
    """JSON text in, 32,000-character base64 pieces of its zlib stream out."""

    def __init__(self) -> None:
        self.zlib = zlib.compressobj(1)  # a quarter of level 6's time; a third larger
        self.digest = hashlib.sha256()
        self.pending = b""  # compressed bytes not yet a multiple of 3
        self.text = ""  # base64 not yet a whole piece

    def feed(self, text: str) -> Iterator[str]:
        raw = text.encode("utf-8")
        self.digest.update(raw)
        yield from self._pieces(self.zlib.compress(raw))

    def finish(self) -> Iterator[str]:
        yield from self._pieces(self.zlib.flush())
        self.text += base64.b64encode(self.pending).decode("ascii")
        if self.text:
            yield self.text

    def _pieces(self, data: bytes) -> Iterator[str]:
        self.pending += data
        usable = len(self.pending) - len(self.pending) % 3  # base64 joins cleanly
        self.text += base64.b64encode(self.pending[:usable]).decode("ascii")
        self.pending = self.pending[usable:]
        while len(self.text) >= PIECE:
            yield self.text[:PIECE]
            self.text = self.text[PIECE:]


def _json(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def payload_rows(head: CaseDocument, items: Iterable[BaseModel | str],
                 activity: Iterable[BaseModel]) -> Iterator[list]:
    """The rows of the hidden sheet: `head` gives everything but the items and
    the log (its own are ignored), which arrive one at a time; an item may
    come as its JSON text already (as the case file stores it)."""
    packer = _Packer()
    body = _json(head.model_dump(mode="json", exclude={"files", "items", "activity"}))
    parts: Iterator[str] = chain(
        [body[:-1], ',"items":['],
        _joined(item if isinstance(item, str) else _json(item.model_dump(mode="json"))
                for item in items),
        ['],"activity":['],
        _joined(_json(entry.model_dump(mode="json")) for entry in activity),
        ["]}"])
    yield [MARK, VERSION]
    count = 0
    for part in parts:
        for piece in packer.feed(part):
            count += 1
            yield [piece]
    for piece in packer.finish():
        count += 1
        yield [piece]
    yield ["sha256", packer.digest.hexdigest(), "pieces", count]


def _joined(texts: Iterable[str]) -> Iterator[str]:
    for n, text in enumerate(texts):
        yield ("," if n else "") + text


def write_payload(wb, head: CaseDocument, items: Iterable[BaseModel | str],
                  activity: Iterable[BaseModel]) -> None:
    ws = wb.create_sheet(SHEET)
    ws.sheet_state = "veryHidden"  # not listed among the sheets a person unhides
    for row in payload_rows(head, items, activity):
        ws.append(row)


def read_payload(rows: Iterator[tuple], name: str) -> CaseDocument:
    """The case from the hidden sheet's rows (first four columns of each);
    `name` is the workbook's file name, for the messages."""
    first = next(rows, None)
    if first is None or _text(first[0]) != MARK:
        raise PayloadError(f"{name} was not written by case-workbook: its case data is missing.")
    if _number(first[1]) != VERSION:
        raise PayloadError(f"{name} was written by a newer version of case-workbook; "
                           "update case-workbook to read it.")
    damaged = f"The case data inside {name} is damaged, so the case cannot be rebuilt from it."
    pieces: list[str] = []
    last: tuple = ()
    for row in rows:
        if row and _text(row[0]) == "sha256":
            last = tuple(row) + (None,) * 4
            break
        if row and row[0] is not None:
            pieces.append(_text(row[0]))
    if not last or _number(last[3]) != len(pieces):
        raise PayloadError(damaged)
    try:
        packed = base64.b64decode("".join(pieces), validate=True)
        raw = _inflate(packed, max(RATIO_FLOOR, MAX_RATIO * len(packed)))
    except (ValueError, zlib.error):
        raise PayloadError(damaged) from None
    if raw is None:
        raise PayloadError(f"The case data inside {name} would expand to far more than a case "
                           "holds, so it was not read.")
    if hashlib.sha256(raw).hexdigest() != _text(last[1]):
        raise PayloadError(damaged)
    try:
        return CaseDocument.model_validate_json(raw)
    except ValidationError:
        raise PayloadError(damaged) from None


def _inflate(packed: bytes, limit: int) -> bytes | None:
    """The zlib stream `packed` inflated, or None if that is over `limit`
    bytes. Measured first a block at a time and let go, so a bomb is never
    held; only what is within the limit is inflated whole."""
    unpack, size, rest = zlib.decompressobj(), 0, packed
    while rest:
        size += len(unpack.decompress(rest, _BLOCK))
        rest = unpack.unconsumed_tail
        if size > limit:
            return None
    return zlib.decompress(packed)


_BLOCK = 16 * 1024**2


def _text(value: object) -> str:
    return value if isinstance(value, str) else ""


def _number(value: object) -> int | None:
    # A spreadsheet program may save 1 as 1.0.
    if isinstance(value, (int, float)) and not isinstance(value, bool) and value == int(value):
        return int(value)
    return None
