"""Streaming data sheets: columns planned, rows written one at a time
(`rowsheet`), then the Excel table laid over them.

Continuation columns (text over Excel's cell limit, see `cells`) must be known
before the header is written; `plan` finds them with a pass over the records
that keeps nothing but the counts. Data sheets skip that pass unless a text
turns out to need one (`data_sheet`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from openpyxl.utils import get_column_letter
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.table import Table, TableColumn, TableStyleInfo

from .cells import (
    CELL_LIMIT,
    LEGEND,
    MAX_LINES,
    Link,
    Stamp,
    encode_cell_text,
    line_count,
    number_cell,
    row_height,
    split_cell_text,
    stamp_cell,
    text_cell,
)
from .layout import Col, Context

TABLE_STYLE = "TableStyleLight1"  # black and grey only


class NeedsMoreColumns(Exception):
    """A text needs more continuation columns than its column was given."""


@dataclass
class Planned:
    col: Col
    pieces: int = 1  # 1 + continuation columns

    def titles(self) -> list[str]:
        return [self.col.title] + [f"{self.col.title} (continued {n})"
                                   for n in range(2, self.pieces + 1)]


def plan(cols: Sequence[Col], records: Iterable[Any], ctx: Context) -> list[Planned]:
    planned = [Planned(c) for c in cols]
    for record in records:
        for p in planned:
            value = p.col.get(record, ctx)
            text = value.text if isinstance(value, Link) else value
            if isinstance(text, str) and len(text) > 16_000:
                p.pieces = max(p.pieces, len(split_cell_text(text)))
    return planned


def widths(planned: Sequence[Planned]) -> list[float]:
    return [p.col.width for p in planned for _ in range(p.pieces)]


def prepare(ws, column_widths: Sequence[float], *, freeze: str | None = "A2",
            title_rows: str | None = "1:1") -> None:
    """Widths, frozen header, print setup. Must run before the first row."""
    for n, width in enumerate(column_widths, start=1):
        ws.column_dimensions[get_column_letter(n)].width = width
    if freeze:
        ws.freeze_panes = freeze
    if title_rows:
        ws.print_title_rows = title_rows
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.print_options.gridLines = True
    # "&&" is a literal "&" in header/footer codes.
    ws.oddHeader.center.text = LEGEND.replace("&", "&&")
    ws.oddHeader.center.size = 9
    ws.oddFooter.left.text = "&A"
    ws.oddFooter.left.size = 9
    ws.oddFooter.center.text = "Page &P of &N"
    ws.oddFooter.center.size = 9


def _cells(ws, planned: Planned, value: Any, measure: bool = True) -> tuple[list, int]:
    """Cells for one planned column, and the lines its text takes (1 unless
    `measure`: only the columns that set the row height are measured)."""
    width = planned.col.width
    if value is None:
        return [None] * planned.pieces, 1
    if type(value) is str and planned.pieces == 1:  # the common case, kept short
        text = encode_cell_text(value)
        if len(text) <= CELL_LIMIT // 2:  # one piece whatever its UTF-16 length
            if not text:
                return [None], 1
            return [text_cell(ws, text)], line_count(text, width, MAX_LINES) if measure else 1
    if isinstance(value, Stamp):
        return [stamp_cell(ws, value)] + [None] * (planned.pieces - 1), 1
    if isinstance(value, int):
        return [number_cell(ws, value)] + [None] * (planned.pieces - 1), 1
    link = value.location if isinstance(value, Link) else None
    target = value.target if isinstance(value, Link) else None
    text = value.text if isinstance(value, Link) else str(value)
    pieces = split_cell_text(text)
    if len(pieces) > planned.pieces:  # never drop text: the sheet is planned and written again
        raise NeedsMoreColumns(planned.col.title)
    out = [text_cell(ws, piece, link=link if n == 0 else None,
                     target=target if n == 0 else None) for n, piece in enumerate(pieces)]
    lines = (max((line_count(piece, width, MAX_LINES) for piece in pieces), default=1)
             if measure else 1)
    return out + [None] * (planned.pieces - len(out)), lines


def header_row(ws, planned: Sequence[Planned], first_row: int) -> list[str]:
    titles = [t for p in planned for t in p.titles()]
    cells = [text_cell(ws, split_cell_text(t)[0], bold=True) for t in titles]
    lines = max(line_count(t, w) for t, w in zip(titles, widths(planned)))
    ws.append(cells, height=row_height(lines))
    return titles


def write_block(ws, planned: Sequence[Planned], records: Iterable[Any], ctx: Context,
                table_name: str, first_row: int = 1, printed: int | None = None) -> int:
    """Header, rows and an Excel table from `first_row`; returns the next free row.
    Row heights fit the first `printed` columns (all when None): the columns
    beyond the print area would otherwise make printed rows needlessly tall."""
    titles = header_row(ws, planned, first_row)
    recording = getattr(ws, "records_values", False)  # row heights do not matter then
    row = first_row + 1
    for record in records:
        cells: list = []
        lines = 1
        for number, p in enumerate(planned):
            measure = not recording and (printed is None or number < printed)
            got, n = _cells(ws, p, p.col.get(record, ctx), measure)
            cells += got
            lines = max(lines, n)
        ws.append(cells, height=row_height(lines))
        row += 1
    if row == first_row + 1:  # a table needs one data row, even an empty one
        ws.append([None] * len(titles))
        row += 1
    add_table(ws, table_name, titles, first_row, row - 1)
    ctx.tables.setdefault(ws.title, []).append(tuple(titles))
    return row


def add_table(ws, name: str, titles: list[str], first_row: int, last_row: int) -> None:
    ref = f"A{first_row}:{get_column_letter(len(titles))}{last_row}"
    table = Table(displayName=name, ref=ref)
    table.tableStyleInfo = TableStyleInfo(name=TABLE_STYLE, showRowStripes=True,
                                          showColumnStripes=False)
    table._initialise_columns()  # write-only mode: the names must be given here
    for column, title in zip(table.tableColumns, titles):
        column.name = title
    assert all(isinstance(c, TableColumn) for c in table.tableColumns)
    ws.add_table(table)


def data_sheet(wb, title: str, table_name: str, cols: Sequence[Col],
               records: Sequence[Any], ctx: Context, printed: int | None = None) -> None:
    """One sheet holding one table; only its first `printed` columns print.

    Written in one pass, on the likely guess that no text needs continuation
    columns; if one does, the sheet is planned (a pass over every record) and
    written again."""
    ws = wb.create_sheet(title)
    try:
        _fill(ws, [Planned(c) for c in cols], records, ctx, table_name, printed)
    except NeedsMoreColumns:
        ws.restart()
        _fill(ws, plan(cols, records, ctx), records, ctx, table_name, printed)
    finish(ws)


def _fill(ws, planned: list[Planned], records: Sequence[Any], ctx: Context,
          table_name: str, printed: int | None) -> None:
    prepare(ws, widths(planned))
    if printed is not None:
        last = sum(p.pieces for p in planned[:printed])
        ws.print_area = f"A1:{get_column_letter(last)}{max(2, len(records) + 1)}"
    write_block(ws, planned, records, ctx, table_name, printed=printed)


def finish(ws) -> None:
    """Close a finished sheet now rather than when the workbook is saved:
    a sheet keeps its hyperlinks in memory until it is closed."""
    if getattr(ws, "records_values", False):
        return
    ws.close()
