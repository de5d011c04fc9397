"""A returned workbook's sheet as rows of plain values, read quickly.

openpyxl's read-only reader builds a rich-text object for every inline-string
cell, which was most of the time that reading back a 10,000-item workbook
took. `sheet_values` gives the same rows as openpyxl's
`iter_rows(values_only=True)` (tests compare the two on our own workbooks and
on LibreOffice re-saves): it takes the plain cells — a single text, a number,
a shared string — itself and hands every other cell (formulas, dates, rich
text, booleans, errors) to openpyxl's own cell parser. It relies on openpyxl's
read-only internals, which is why openpyxl is pinned to 3.1.x.
"""

from __future__ import annotations

from xml.etree.ElementTree import Element, iterparse

from openpyxl.utils.cell import coordinate_to_tuple
from openpyxl.worksheet._read_only import ReadOnlyWorksheet
from openpyxl.worksheet._reader import WorkSheetParser
from openpyxl.xml.constants import SHEET_MAIN_NS

_ROW = f"{{{SHEET_MAIN_NS}}}row"
_INLINE = f"{{{SHEET_MAIN_NS}}}is"
_TEXT = f"{{{SHEET_MAIN_NS}}}t"
_VALUE = f"{{{SHEET_MAIN_NS}}}v"
_HYPERLINKS = f"{{{SHEET_MAIN_NS}}}hyperlinks"
_DIGITS = "0123456789"
# A returned sheet is refused (as damaged) beyond Excel's own limits, and when
# padding its rows to the width it states would make more cells than any
# workbook of ours has (a 50,000-item export has about a million): a few
# bytes of XML must not become gigabytes of rows.
MAX_ROWS, MAX_COLUMNS = 1_048_576, 16_384
MAX_CELLS = 20_000_000


def _number(text: str) -> int | float:
    # As openpyxl reads a number: a float when it has a point or an exponent.
    if "." in text or "E" in text or "e" in text:
        return float(text)
    return int(text)


def _row_number(row: Element, previous: int) -> int:
    if (r := row.get("r")) is None:
        return previous + 1
    try:
        return int(r)
    except ValueError:
        number = float(r)  # a ValueError here is a damaged sheet, as in openpyxl
        if not number.is_integer():
            raise ValueError("not a valid row number") from None
        return int(number)


class _CellReader:
    def __init__(self, ws: ReadOnlyWorksheet) -> None:
        book = ws.parent
        self.strings = ws._shared_strings
        self.dates = book._date_formats
        self.openpyxl = WorkSheetParser(None, self.strings, data_only=book.data_only,
                                        epoch=book.epoch, date_formats=book._date_formats,
                                        timedelta_formats=book._timedelta_formats)
        self.columns: dict[str, int] = {}

    def column(self, reference: str) -> int:
        letters = reference.rstrip(_DIGITS)
        if (column := self.columns.get(letters)) is None:
            column = self.columns[letters] = coordinate_to_tuple(reference)[1]
        return column

    def value(self, cell: Element) -> object:
        if not len(cell):
            return None
        kind = cell.get("t")
        if len(cell) == 1:
            child = cell[0]
            if kind == "inlineStr":
                if child.tag == _INLINE and len(child) == 1 and child[0].tag == _TEXT \
                        and not len(child[0]):
                    return child[0].text or ""
            elif child.tag == _VALUE and not len(child):
                text = child.text
                if kind is None or kind == "n":
                    if not text:
                        return None
                    style = cell.get("s")
                    if (int(style) if style else 0) not in self.dates or style == "":
                        return _number(text)
                elif kind == "s" and text:
                    return self.strings[int(text)]
        return self.openpyxl.parse_cell(cell)["value"]

    def row(self, row: Element) -> list[tuple[int, object]]:
        cells = []
        column = 0
        for cell in row:
            reference = cell.get("r")
            column = self.column(reference) if reference else column + 1
            cells.append((column, self.value(cell)))
        return cells


def sheet_values(ws: ReadOnlyWorksheet) -> list[tuple]:
    """Every row of `ws` from row 1, each as wide as the sheet's stated size
    (missing cells and rows as None), as openpyxl's `iter_rows(values_only=True)`."""
    reader = _CellReader(ws)
    max_col, max_row = ws.max_column, ws.max_row
    if (max_col or 0) > MAX_COLUMNS or (max_row or 0) > MAX_ROWS:
        raise ValueError("the sheet states a size beyond Excel's limits")
    cells_left = MAX_CELLS
    empty: tuple = (None,) * max_col if max_col is not None else ()
    rows: list[tuple] = []
    counter, number, last = 1, 1, 0
    with ws._get_source() as source:
        for _, element in iterparse(source):
            if element.tag == _HYPERLINKS:
                element.clear()
            if element.tag != _ROW:
                continue
            number = last = _row_number(element, last)
            if number > MAX_ROWS:
                raise ValueError("a row beyond Excel's last row")
            cells = reader.row(element)
            element.clear()
            cells_left -= max(max_col or 0, cells[-1][0] if cells else 0)
            if cells_left < 0:
                raise ValueError("more cells than a workbook of ours holds")
            if max_row is not None and number > max_row:
                break
            while counter < number:
                rows.append(empty)
                counter += 1
            if counter == number:
                rows.append(_padded(cells, max_col))
                counter += 1
    if max_row is not None and max_row < number:  # stopped early: fill up to the stated size
        rows.extend(empty for _ in range(counter, max_row + 1))
    return rows


def _padded(cells: list[tuple[int, object]], width: int | None) -> tuple:
    if not cells and not width:
        return ()
    width = width or cells[-1][0]
    values: list[object] = [None] * width
    for column, value in cells:
        if column <= width:
            values[column - 1] = value
    return tuple(values)
