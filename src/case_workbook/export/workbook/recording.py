"""A stand-in workbook that keeps each sheet's row values instead of writing
XML: reading a returned workbook compares it with these, which costs a
fraction of writing the workbook again and parsing it.

The sheets are openpyxl write-only sheets whose `append` records values, so
the sheet code runs unchanged (widths, print settings and tables are set and
ignored); styles are registered with a real workbook that is never saved.
"""

from __future__ import annotations

from collections.abc import Callable

from openpyxl import Workbook
from openpyxl.worksheet._write_only import WriteOnlyWorksheet


class LinkedText(str):
    """Recorded text of a cell that carries a hyperlink (kept on request)."""

    location: str | None
    target: str | None


class RecordingSheet(WriteOnlyWorksheet):
    records_values = True  # cells.py then gives plain values, not styled cells

    def __init__(self, parent: Workbook, title: str, rows: list[tuple],
                 keep_links: bool) -> None:
        super().__init__(parent, title)
        self._recorded = rows
        self.keep_links = keep_links

    def text(self, text: str, location: str | None, target: str | None) -> str:
        if not (self.keep_links and (location or target)):
            return text
        linked = LinkedText(text)
        linked.location, linked.target = location, target
        return linked

    def append(self, row, height: float | None = None) -> None:
        # Each value as a reader returns it: the text as stored (escapes and
        # all), a date-time, a number, or None.
        self._recorded.append(tuple(row))

    def restart(self) -> None:
        self._recorded.clear()


class RecordingWorkbook:
    """`keep_links`: linked texts are recorded as `LinkedText` (for bench/peer.py).
    `finished`: called with each sheet's title and rows once the sheet is
    complete (when the next one starts, or at `close`); its rows are then let
    go rather than kept in `rows`, so that a large workbook is held one sheet
    at a time."""

    def __init__(self, keep_links: bool = False,
                 finished: Callable[[str, list[tuple]], None] | None = None) -> None:
        self.styles = Workbook(write_only=True)  # where cell styles are registered
        self.rows: dict[str, list[tuple]] = {}
        self.keep_links = keep_links
        self.finished = finished

    def create_sheet(self, title: str) -> RecordingSheet:
        self.close()
        self.rows[title] = []
        return RecordingSheet(self.styles, title, self.rows[title], self.keep_links)

    def close(self) -> None:
        """The last sheet is complete."""
        if self.finished is not None and self.rows:
            title, rows = self.rows.popitem()
            self.finished(title, rows)
