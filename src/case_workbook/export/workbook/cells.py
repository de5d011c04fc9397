"""Text safety for the workbook: every user string arrives as the same text.

Rules (the round-trip reader relies on them; `decode_cell_text` is the exact
inverse of `encode_cell_text`):

1. **Never a formula.** Every text is written as a string cell (`data_type "s"`,
   an inline string), so "=SUM(A1)", " =1+1", "+1 555", "-- x", "@here" or
   "#N/A" stay text. openpyxl would otherwise turn a leading "=" into a formula
   and "#N/A" into an error value.
2. **Characters XML 1.0 cannot hold** — C0 controls other than TAB and LF,
   U+FFFE, U+FFFF and lone surrogates — and CR (which an XML reader would turn
   into LF) are written as `_xHHHH_` (four upper-case hex digits of the code
   point), the escape that Excel and LibreOffice themselves read in cell text.
   So that a literal `_xHHHH` in the user's text is not read as an escape, an
   underscore followed by `x` and four hex digits is written as `_x005F_`
   (Excel's escape of "_"). Example: "a\\x1bb" → "a_x001B_b";
   "_x001B_" → "_x005F_x001B_".
   Decoding replaces every `_xHHHH_`, scanning left to right, by its character.
3. **Long text.** A cell holds at most 32,767 characters (counted as Excel
   counts them, in UTF-16 units). A longer encoded text is cut, between escapes
   and between characters, into pieces that fit; the first piece goes in the
   column, the others in the columns immediately to its right headed
   "<title> (continued 2)", "<title> (continued 3)", …  The full text is the
   pieces concatenated left to right, then decoded.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font
from openpyxl.utils.datetime import to_excel

from .rowsheet import Fragment, inline_string, number_text

LEGEND = ("Privileged & Confidential — Attorney-Client Communication / "
          "Attorney Work Product")
NO_ASSESSMENT = ("This workbook records information as entered; it contains no "
                 "assessment and gives no legal advice.")
CELL_LIMIT = 32_767  # Excel's limit, in UTF-16 code units

_UNSAFE = re.compile("[\x00-\x08\x0b\x0c\x0d\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_LITERAL = re.compile("_(?=x[0-9A-Fa-f]{4})")
_SPECIAL = re.compile(f"{_UNSAFE.pattern}|{_LITERAL.pattern}")
_TOKEN = re.compile("_x[0-9A-Fa-f]{4}_|.", re.DOTALL)
_ESCAPE = re.compile("_x([0-9A-Fa-f]{4})_")

WRAP = Alignment(wrap_text=True, vertical="top")
NO_WRAP = Alignment(vertical="top")  # a caption that runs on over empty cells
BOLD = Font(bold=True)
LINK_FONT = Font(underline="single", color="FF404040")  # dark grey, never a signal colour


def encode_cell_text(text: str) -> str:
    """The text as written into a cell (rule 2 of the module docstring)."""
    if _SPECIAL.search(text) is None:  # most text: one scan, no copy
        return text
    text = _LITERAL.sub("_x005F_", text)
    return _UNSAFE.sub(lambda m: f"_x{ord(m.group()):04X}_", text)


def decode_cell_text(text: str) -> str:
    """The exact inverse of `encode_cell_text` (and of Excel's own escaping)."""
    if "_x" not in text:
        return text
    return _ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), text)


def _units(piece: str) -> int:
    return 2 if ord(piece[0]) > 0xFFFF else len(piece)


def split_cell_text(text: str, limit: int = CELL_LIMIT) -> list[str]:
    """Encode `text` and cut it into cell-sized pieces (rule 3); [] for ''."""
    encoded = encode_cell_text(text)
    if len(encoded) <= limit // 2:
        return [encoded] if encoded else []
    units = len(encoded.encode("utf-16-le")) // 2
    if units <= limit:
        return [encoded]
    if units == len(encoded):  # one unit per character: cut by position
        return _split_by_position(encoded, limit)
    pieces: list[str] = []
    current: list[str] = []
    size = 0
    for token in _TOKEN.findall(encoded):
        units = _units(token) if len(token) == 1 else len(token)
        if size + units > limit:
            pieces.append("".join(current))
            current, size = [], 0
        current.append(token)
        size += units
    if current:
        pieces.append("".join(current))
    return pieces


def _split_by_position(encoded: str, limit: int) -> list[str]:
    """`split_cell_text` for text without characters beyond U+FFFF: each piece
    is `limit` characters, or fewer where the cut would fall inside an escape
    (then the escape starts the next piece). Escapes are found scanning from
    the start of each piece, as the tokens are, so `_x005F_x001B_` is one
    escape and then plain text."""
    pieces: list[str] = []
    start = 0
    while len(encoded) - start > limit:
        end = start + limit
        for escape in _ESCAPE.finditer(encoded, start, end + 7):
            if escape.start() < end < escape.end():
                end = escape.start() if escape.start() > start else escape.end()
                break
        pieces.append(encoded[start:end])
        start = end
    pieces.append(encoded[start:])
    return pieces


def join_cell_text(pieces: list[str | None]) -> str:
    """Reassemble a text from its cell pieces (None for empty cells)."""
    return decode_cell_text("".join(p for p in pieces if p))


@dataclass(frozen=True)
class Link:
    """A text cell that links inside the workbook (`location`, e.g.
    "'Threats'!A5") or to a file beside it (`target`, a relative URL)."""

    text: str
    location: str | None = None
    target: str | None = None


@dataclass(frozen=True)
class Stamp:
    """A real Excel date-time cell."""

    value: datetime
    number_format: str = "yyyy-mm-dd hh:mm"


def location(sheet: str, row: int, column: str = "A") -> str:
    return f"'{sheet}'!{column}{row}"


def _recording(ws) -> bool:
    """A sheet that only records values (see `recording`) gets plain values."""
    return getattr(ws, "records_values", False)


def _style_id(ws, key: tuple, **style) -> int:
    """The workbook's index of a cell style. Registering a style costs more
    than writing a cell, so each combination is registered once per workbook."""
    cache = ws.parent.__dict__.setdefault("_case_workbook_styles", {})
    if key not in cache:
        cell = WriteOnlyCell(ws)
        for name, value in style.items():
            setattr(cell, name, value)
        cache[key] = ws.parent._cell_styles.add(cell._style)
    return cache[key]


def _text_style(ws, bold: bool, linked: bool, wrap: bool) -> int:
    style = {"alignment": WRAP if wrap else NO_WRAP}
    if bold or linked:
        style["font"] = LINK_FONT if linked else BOLD
    return _style_id(ws, ("text", bold, linked, wrap), **style)


def text_cell(ws, text: str, *, bold: bool = False, link: str | None = None,
              target: str | None = None, wrap: bool = True) -> Fragment | str:
    """A string cell holding `text` exactly as given (already encoded, one piece)."""
    if _recording(ws):
        return ws.text(text, link, target)
    linked = bool(link or target)
    # The style dict is built only the first time: this runs for every cell.
    sid = (ws.parent.__dict__.get("_case_workbook_styles", {}).get(("text", bold, linked, wrap))
           or _text_style(ws, bold, linked, wrap))
    # An inline string: never read as a formula or an error value.
    return Fragment(f' s="{sid}" t="inlineStr">{inline_string(text)}</c>', link, target)


def stamp_cell(ws, stamp: Stamp) -> Fragment | datetime:
    if _recording(ws):
        return stamp.value
    sid = _style_id(ws, ("stamp", stamp.number_format), alignment=WRAP,
                    number_format=stamp.number_format)
    return Fragment(f' s="{sid}" t="n"><v>{number_text(to_excel(stamp.value))}</v></c>')


def number_cell(ws, value: float) -> Fragment | float:
    if _recording(ws):
        return value
    sid = _style_id(ws, ("number",), alignment=WRAP)
    return Fragment(f' s="{sid}" t="n"><v>{number_text(value)}</v></c>')


def line_count(text: str, width: float, limit: int | None = None) -> int:
    """How many printed lines `text` takes in a wrapped column `width` units
    wide, wrapping at spaces as a spreadsheet does (a unit is about one
    character; a little is kept for the cell's padding). Counting may stop
    once `limit` lines are reached."""
    per_line = max(1, int(width * 1.05) - 1)
    if len(text) <= per_line and "\n" not in text:
        return 1
    total = 0
    for paragraph in text.split("\n"):
        total += 1 if len(paragraph) <= per_line else _wrapped(paragraph, per_line)
        if limit is not None and total >= limit:
            break
    return total


def _wrapped(paragraph: str, per_line: int) -> int:
    lines, used = 1, 0
    for word in paragraph.split(" "):
        size = len(word)
        if used and used + 1 + size > per_line:
            lines, used = lines + 1, 0
        if size > per_line:  # a word longer than the column is broken
            extra, size = divmod(size, per_line)
            lines += extra - (0 if size else 1)
            size = size or per_line
        used += size + (1 if used else 0)
    return lines


MAX_LINES = 28  # row_height reaches its cap here: more lines change nothing


def row_height(lines: int, cap: float = 409.0) -> float:
    """Points for a row of `lines` wrapped lines (LibreOffice does not grow rows)."""
    return min(cap, max(15.0, 15.0 * lines + 2))
