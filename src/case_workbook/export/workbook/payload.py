"""The whole case, carried inside the workbook, so a returned workbook
rebuilds the case exactly.

The visible sheets are for people and cannot hold everything (time
tolerances, id counters, the activity log). So the workbook also carries the
case as JSON in one very hidden sheet, "case-workbook data":

    A1  "case-workbook data"        B1  format version (1)
    A2  "sha256"                    B2  SHA-256 of the JSON bytes
    A3  "pieces"                    B3  number of pieces
    A4… one piece per row: the JSON, zlib-compressed, base64, cut in 32,000
        character pieces

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
from collections.abc import Iterator

from pydantic import ValidationError

from case_workbook.model.document import CaseDocument

SHEET = "case-workbook data"
MARK = "case-workbook data"
VERSION = 1
PIECE = 32_000  # under Excel's 32,767-character cell limit


class PayloadError(Exception):
    """The hidden case data is absent, damaged or of another version."""


def payload_rows(document: CaseDocument) -> Iterator[list]:
    """The rows of the hidden sheet for `document` (its `files` are left out)."""
    body = document.model_dump(mode="json", exclude={"files"})
    raw = json.dumps(body, ensure_ascii=True, separators=(",", ":")).encode("ascii")
    packed = base64.b64encode(zlib.compress(raw, 6)).decode("ascii")
    pieces = [packed[i:i + PIECE] for i in range(0, len(packed), PIECE)]
    yield [MARK, VERSION]
    yield ["sha256", hashlib.sha256(raw).hexdigest()]
    yield ["pieces", len(pieces)]
    for piece in pieces:
        yield [piece]


def write_payload(wb, document: CaseDocument) -> None:
    ws = wb.create_sheet(SHEET)
    ws.sheet_state = "veryHidden"  # not listed among the sheets a person unhides
    for row in payload_rows(document):
        ws.append(row)


def read_payload(rows: Iterator[tuple], name: str) -> CaseDocument:
    """The case from the hidden sheet's rows (first two columns of each);
    `name` is the workbook's file name, for the messages."""
    head = [next(rows, None) for _ in range(3)]
    if head[0] is None or _text(head[0][0]) != MARK:
        raise PayloadError(f"{name} was not written by case-workbook: its case data is missing.")
    if _number(head[0][1]) != VERSION:
        raise PayloadError(f"{name} was written by a newer version of case-workbook; "
                           "update case-workbook to read it.")
    digest = _text(head[1][1]) if head[1] else ""
    count = _number(head[2][1]) if head[2] else None
    pieces = [_text(row[0]) for row in rows if row and row[0] is not None]
    packed = "".join(pieces)
    damaged = f"The case data inside {name} is damaged, so the case cannot be rebuilt from it."
    if count != len(pieces):
        raise PayloadError(damaged)
    try:
        raw = zlib.decompress(base64.b64decode(packed, validate=True))
    except (ValueError, zlib.error):
        raise PayloadError(damaged) from None
    if hashlib.sha256(raw).hexdigest() != digest:
        raise PayloadError(damaged)
    try:
        return CaseDocument.model_validate_json(raw)
    except ValidationError:
        raise PayloadError(damaged) from None


def _text(value: object) -> str:
    return value if isinstance(value, str) else ""


def _number(value: object) -> int | None:
    # A spreadsheet program may save 1 as 1.0.
    if isinstance(value, (int, float)) and not isinstance(value, bool) and value == int(value):
        return int(value)
    return None
