"""Streaming data sheets: columns planned, rows written one at a time
(openpyxl write-only mode), then the Excel table laid over them.

Each record is turned into cells twice: once to find which columns need
continuation columns (text over Excel's cell limit, see `cells`), once to write.
Nothing but the counts is kept between the passes.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from openpyxl.utils import get_column_letter
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.table import Table, TableColumn, TableStyleInfo

from .cells import (
    LEGEND,
    Link,
    Stamp,
    line_count,
    number_cell,
    row_height,
    split_cell_text,
    stamp_cell,
    text_cell,
)
from .layout import Col, Context

TABLE_STYLE = "TableStyleLight1"  # black and grey only


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
    if isinstance(value, Stamp):
        return [stamp_cell(ws, value)] + [None] * (planned.pieces - 1), 1
    if isinstance(value, int):
        return [number_cell(ws, value)] + [None] * (planned.pieces - 1), 1
    link = value.location if isinstance(value, Link) else None
    target = value.target if isinstance(value, Link) else None
    text = value.text if isinstance(value, Link) else str(value)
    pieces = split_cell_text(text)
    if len(pieces) > planned.pieces:  # cannot happen after plan(); never drop text
        raise AssertionError(f"column {planned.col.title!r} needs more continuation columns")
    out = [text_cell(ws, piece, link=link if n == 0 else None,
                     target=target if n == 0 else None) for n, piece in enumerate(pieces)]
    lines = max((line_count(piece, width) for piece in pieces), default=1) if measure else 1
    return out + [None] * (planned.pieces - len(out)), lines


def header_row(ws, planned: Sequence[Planned], first_row: int) -> list[str]:
    titles = [t for p in planned for t in p.titles()]
    cells = [text_cell(ws, split_cell_text(t)[0], bold=True) for t in titles]
    lines = max(line_count(t, w) for t, w in zip(titles, widths(planned)))
    ws.row_dimensions[first_row].height = row_height(lines)
    ws.append(cells)
    del ws.row_dimensions[first_row]
    return titles


def write_block(ws, planned: Sequence[Planned], records: Iterable[Any], ctx: Context,
                table_name: str, first_row: int = 1, printed: int | None = None) -> int:
    """Header, rows and an Excel table from `first_row`; returns the next free row.
    Row heights fit the first `printed` columns (all when None): the columns
    beyond the print area would otherwise make printed rows needlessly tall."""
    titles = header_row(ws, planned, first_row)
    recording = getattr(ws, "records_values", False)  # row heights do not matter then
    ctx.tables.setdefault(ws.title, []).append(tuple(titles))
    row = first_row + 1
    for record in records:
        cells: list = []
        lines = 1
        for number, p in enumerate(planned):
            measure = not recording and (printed is None or number < printed)
            got, n = _cells(ws, p, p.col.get(record, ctx), measure)
            cells += got
            lines = max(lines, n)
        ws.row_dimensions[row].height = row_height(lines)
        ws.append(cells)
        del ws.row_dimensions[row]  # keep memory flat: the row is on disk now
        row += 1
    if row == first_row + 1:  # a table needs one data row, even an empty one
        ws.append([None] * len(titles))
        row += 1
    add_table(ws, table_name, titles, first_row, row - 1)
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
    """One sheet holding one table; only its first `printed` columns print."""
    ws = wb.create_sheet(title)
    planned = plan(cols, records, ctx)
    prepare(ws, widths(planned))
    if printed is not None:
        last = sum(p.pieces for p in planned[:printed])
        ws.print_area = f"A1:{get_column_letter(last)}{max(2, len(records) + 1)}"
    write_block(ws, planned, records, ctx, table_name, printed=printed)
    finish(ws)


def finish(ws) -> None:
    """Close a finished sheet now rather than when the workbook is saved:
    openpyxl keeps every hyperlink of an open sheet in memory until then."""
    if getattr(ws, "records_values", False):
        return
    ws.close()
    ws._hyperlinks = []  # written with the sheet; nothing reads them later
