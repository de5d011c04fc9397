"""Compare a returned workbook's visible sheets with what was sent.

Counsel may sort or filter a table, insert a column, or move the tables down,
so rows are matched by their key (an item's id, a theme id, a question's theme
and number), not by position, and columns by their header. What differs in a
*Counsel notes* column is a note; what differs anywhere else is reported as a
changed cell — never applied, because the case itself travels in the hidden
data sheet.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from operator import itemgetter

from openpyxl.utils import get_column_letter

from .cells import decode_cell_text, join_cell_text

NOTES = "Counsel notes"

Row = tuple  # the values of one row, as openpyxl's values_only gives them


@dataclass(frozen=True)
class CellChange:
    """A cell whose content differs from what was sent; `cell` is an address
    in the returned workbook (or a short description for a missing row)."""

    sheet: str
    cell: str
    old: str
    new: str

    def line(self) -> str:
        return f"{self.sheet}, cell {self.cell}: {_quote(self.old)} → {_quote(self.new)}"


@dataclass(frozen=True)
class NoteFound:
    sheet: str
    cell: str
    key: tuple  # the row's key, e.g. ("T-0001",)
    old: str
    new: str


@dataclass
class SheetDiff:
    notes: list[NoteFound] = field(default_factory=list)
    changes: list[CellChange] = field(default_factory=list)


def cell_text(value: object) -> str:
    """A cell's value as the text it shows, escapes decoded; '' when empty."""
    if value is None:
        return ""
    if isinstance(value, str):
        return decode_cell_text(value)
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.isoformat(sep=" ")
    return str(value)


def _quote(text: str, limit: int = 80) -> str:
    if not text:
        return "(empty)"
    shown = text if len(text) <= limit else text[:limit - 1] + "…"
    return '"' + shown.replace("\n", " ⏎ ") + '"'


_INVISIBLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")


def _comparable(text: str) -> str:
    """Text as a spreadsheet program keeps it. LibreOffice, re-saving, turns CR
    into LF, drops some control characters and does not re-escape a literal
    "_x001B_": such differences are not counsel's changes."""
    text = decode_cell_text(text).replace("\r\n", "\n").replace("\r", "\n")
    return _INVISIBLE.sub("", text)


def _same(a: object, b: object) -> bool:
    if isinstance(a, datetime) and isinstance(b, datetime):
        # A spreadsheet program stores times as fractions of a day: allow a millisecond.
        return abs((a - b).total_seconds()) < 0.001
    return _comparable(cell_text(a)) == _comparable(cell_text(b))


@dataclass(frozen=True)
class Block:
    """One table on a sheet: its header titles and the titles that key a row."""

    titles: tuple[str, ...]
    keys: tuple[str, ...]


def _header_at(rows: Sequence[Row], block: Block, start: int = 0) -> tuple[int, dict[str, int]]:
    """The index of the row holding every title of `block`, and title → column."""
    wanted = set(block.titles)
    for index in range(start, len(rows)):
        texts = [cell_text(v) for v in rows[index]]
        if wanted <= set(texts):
            columns: dict[str, int] = {}
            for column, text in enumerate(texts):
                columns.setdefault(text, column)
            return index, columns
    return -1, {}


def _body(rows: Sequence[Row], header: int, stops: set[int]) -> range:
    """The data rows under a header: up to the first empty row or next header."""
    end = header + 1
    while end < len(rows) and end not in stops and any(
            cell_text(v) for v in rows[end]):
        end += 1
    return range(header + 1, end)


def _value(row: Row, column: int | None) -> object:
    return row[column] if column is not None and column < len(row) else None


def compare_sheet(sheet: str, sent: Sequence[Row], back: Sequence[Row],
                  blocks: Sequence[Block]) -> SheetDiff:
    diff = SheetDiff()
    used_sent: set[int] = set()
    used_back: set[int] = set()
    found = []
    for block in blocks:
        s_head, s_cols = _header_at(sent, block)
        b_head, b_cols = _header_at(back, block)
        found.append((block, s_head, s_cols, b_head, b_cols))
    s_stops = {f[1] for f in found}
    b_stops = {f[3] for f in found if f[3] >= 0}
    for block, s_head, s_cols, b_head, b_cols in found:
        s_body = _body(sent, s_head, s_stops)
        used_sent.update([s_head, *s_body])
        if b_head < 0:
            diff.changes.append(CellChange(sheet, f"table with {block.titles[0]!r}",
                                           "present", "not found"))
            continue
        b_body = _body(back, b_head, b_stops)
        used_back.update([b_head, *b_body])
        _compare_block(sheet, block, [sent[i] for i in s_body], s_cols,
                       back, b_body, b_cols, diff)
    _compare_loose(sheet, sent, back, used_sent, used_back, diff)
    return diff


def _key(row: Row, block: Block, columns: dict[str, int]) -> tuple:
    return tuple(cell_text(_value(row, columns.get(k))) for k in block.keys)


def _compare_block(sheet: str, block: Block, sent_rows: list[Row], s_cols: dict[str, int],
                   back: Sequence[Row], b_body: range, b_cols: dict[str, int],
                   diff: SheetDiff) -> None:
    expected = {_key(row, block, s_cols): row for row in sent_rows}
    note_titles = [t for t in block.titles if t == NOTES or t.startswith(NOTES + " (continued")]
    extra = [t for t in b_cols if t and t not in set(block.titles)]
    seen: set[tuple] = set()
    unchanged = _unchanged_test(block, note_titles, s_cols, b_cols)
    for index in b_body:
        row = back[index]
        key = _key(row, block, b_cols)
        old = expected.get(key) if key not in seen else None
        seen.add(key)
        for title in () if unchanged(old, row) else block.titles:
            column = b_cols[title]
            new_value = _value(row, column)
            old_value = _value(old, s_cols[title]) if old is not None else None
            if title in note_titles or _same(old_value, new_value):
                continue
            diff.changes.append(CellChange(sheet, f"{get_column_letter(column + 1)}{index + 1}",
                                           cell_text(old_value), cell_text(new_value)))
        for title in extra:
            if text := cell_text(_value(row, b_cols[title])):
                cell = f"{get_column_letter(b_cols[title] + 1)}{index + 1}"
                diff.changes.append(CellChange(sheet, cell, "", text))
        if old is not None and note_titles:
            old_note = join_cell_text([_value(old, s_cols[t]) for t in note_titles])
            new_note = join_cell_text([_note_piece(_value(row, b_cols[t])) for t in note_titles])
            if old_note != new_note:
                cell = f"{get_column_letter(b_cols[note_titles[0]] + 1)}{index + 1}"
                diff.notes.append(NoteFound(sheet, cell, key, old_note, new_note))
    for key in expected:
        if key not in seen:
            diff.changes.append(CellChange(sheet, f"row of {' '.join(key)}", "present",
                                           "removed"))


def _unchanged_test(block: Block, note_titles: list[str], s_cols: dict[str, int],
                    b_cols: dict[str, int]) -> Callable[[Row | None, Row], bool]:
    """A quick test that a returned row has exactly the values sent outside its
    notes columns: most rows come back untouched, and then the cell-by-cell
    comparison can be skipped. A row it does not vouch for is compared cell by
    cell. Types are compared too, since True == 1 and 1 == 1.0 in Python but not
    on a sheet."""
    columns = [s_cols[t] for t in block.titles if t not in note_titles]
    if len(columns) < 2 or any(b_cols[t] != s_cols[t] for t in block.titles):
        return lambda old, row: False
    pick = itemgetter(*columns)

    def unchanged(old: Row | None, row: Row) -> bool:
        if old is None:
            return False
        try:
            a, b = pick(old), pick(row)
        except IndexError:
            return False
        return a == b and list(map(type, a)) == list(map(type, b))
    return unchanged


def _note_piece(value: object) -> str | None:
    # A note is text; a number or date typed as a note is kept as it shows.
    if value is None or isinstance(value, str):
        return value
    return cell_text(value)


def _compare_loose(sheet: str, sent: Sequence[Row], back: Sequence[Row],
                   used_sent: set[int], used_back: set[int], diff: SheetDiff) -> None:
    """Cells outside the tables (the Cover, captions) compared by position."""
    for index in range(max(len(sent), len(back))):
        if index in used_back:
            continue
        row = back[index] if index < len(back) else ()
        old_row = sent[index] if index < len(sent) and index not in used_sent else ()
        if _came_back_as_sent(old_row, row):
            continue
        for column in range(max(len(row), len(old_row))):
            old, new = _value(old_row, column), _value(row, column)
            if not _same(old, new):
                diff.changes.append(CellChange(
                    sheet, f"{get_column_letter(column + 1)}{index + 1}",
                    cell_text(old), cell_text(new)))


def _came_back_as_sent(old: Row, new: Row) -> bool:
    """A quick test that a row outside the tables came back exactly as sent
    (padded with empty cells): most do, and then no cell needs comparing. A row
    it does not vouch for is compared cell by cell. A boolean is never vouched
    for, since True == 1 in Python but not on a sheet."""
    n = len(old)
    if len(new) < n or new[:n] != old or any(v is not None for v in new[n:]):
        return False
    return not any(type(v) is bool for v in new)
