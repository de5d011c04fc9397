"""Write-only sheets whose rows are serialised here, as text.

openpyxl still makes the workbook: the package, styles, tables, sheet views,
column widths, print settings, header and footer. Only the rows (and the
hyperlink list) are written by this module: openpyxl builds and serialises an
XML element per cell, which took about half of a 10,000-item export; a row
here is one formatted string.

A row is a sequence of: None (no cell); a `Fragment` (a cell already styled
and serialised by `text_cell`, `stamp_cell` or `number_cell` in cells.py); a
plain str (an unstyled text cell, verbatim: never a formula); an int or
float (a number). This leans on openpyxl's write-only internals, so
pyproject.toml pins openpyxl to 3.1.x.
"""

from __future__ import annotations

import contextlib
import io
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import NamedTuple
from zipfile import ZIP_DEFLATED, ZipFile

from openpyxl import Workbook
from openpyxl.compat import safe_string
from openpyxl.drawing.spreadsheet_drawing import SpreadsheetDrawing
from openpyxl.packaging.relationship import Relationship
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from openpyxl.worksheet._writer import WorksheetWriter
from openpyxl.writer.excel import ExcelWriter
from openpyxl.xml.constants import REL_NS, SHEET_MAIN_NS
from openpyxl.xml.functions import tostring

# The prefix openpyxl's own writer gives relationship ids ("r:id").
ET.register_namespace("r", REL_NS)

# Excel keeps at most this many hyperlinks in a sheet (and asks to repair a
# file with more); past it, a linked text stays as text without its link.
MAX_LINKS = 65_530
_LETTERS = [get_column_letter(n) for n in range(1, 16_385)]


class Fragment(NamedTuple):
    """One cell after its `<c r="…"`: attributes and content; and its link."""

    xml: str
    location: str | None = None
    target: str | None = None


def escape_text(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def escape_attribute(text: str) -> str:
    return escape_text(text).replace('"', "&quot;")


def inline_string(text: str) -> str:
    """`<is>` content for `text` (already free of XML-illegal characters);
    leading or trailing spaces are kept, as a spreadsheet would otherwise trim them."""
    if text != text.strip():
        return f'<is><t xml:space="preserve">{escape_text(text)}</t></is>'
    return f"<is><t>{escape_text(text)}</t></is>"


def number_text(value: float) -> str:
    return safe_string(value)


# The sheet's used range is known only at its end; its place is kept with
# the longest possible range and filled in then (readers such as openpyxl
# otherwise scan the whole sheet to find it).
_DIMENSION = '<dimension ref="{}"/>'
_DIMENSION_SPACE = len(_DIMENSION.format("A1:XFD1048576"))


class _RowSheetWriter(WorksheetWriter):
    """openpyxl's sheet writer, over a plain temporary file or (`out` an
    io.BytesIO) over memory, with a raw channel."""

    finishing = False  # set when the sheet is closed on purpose, not abandoned

    @property
    def in_memory(self) -> bool:
        return isinstance(self.out, io.BytesIO)

    def get_stream(self):
        # The buffer is read after the sheet is closed, so it stays open.
        out = _Unclosed(self.out) if self.in_memory else open(self.out, "wb")
        self.raw = lambda text: out.write(text.encode("utf-8"))
        self.tell = out.tell
        try:
            self.raw(f'<worksheet xmlns="{SHEET_MAIN_NS}">')
            try:
                while True:
                    element = yield
                    if element is not None:
                        self.raw(tostring(element, encoding="unicode"))
            except GeneratorExit:
                pass
            if self.finishing:
                self.raw("</worksheet>")
        except BaseException:
            _close_quietly(out)  # the error under way is the one to report
            raise
        if self.finishing:
            out.close()  # a failure here must fail the export: the sheet is cut short
        else:
            # Abandoned by an export that failed (a full disk): closing would
            # fail again, and at garbage collection print a traceback.
            _close_quietly(out)

    def write_dimensions(self) -> None:
        self.dimension_at = self.tell()
        self.raw(" " * _DIMENSION_SPACE)

    def fill_dimension(self, ref: str) -> None:
        """After `close`: the used range into the place kept for it."""
        text = _DIMENSION.format(ref).ljust(_DIMENSION_SPACE).encode("ascii")
        if self.in_memory:
            self.out.getbuffer()[self.dimension_at:self.dimension_at + len(text)] = text
            return
        with open(self.out, "r+b") as out:
            out.seek(self.dimension_at)
            out.write(text)

    def cleanup(self) -> None:
        if self.in_memory:
            self.out = io.BytesIO()  # let the sheet's text go
        else:
            super().cleanup()

    def write_hyperlinks(self) -> None:
        links: list[tuple[str, str | None, str | None]] = self.ws._row_links
        if not links:
            return
        parts = ["<hyperlinks>"]
        for ref, location, target in links:
            if target:
                rel = Relationship(type="hyperlink", TargetMode="External", Target=target)
                self._rels.append(rel)
                parts.append(f'<hyperlink xmlns:r="{REL_NS}" ref="{ref}" r:id="{rel.id}"/>')
            else:
                parts.append(f'<hyperlink ref="{ref}" location="{escape_attribute(location or "")}"/>')
        parts.append("</hyperlinks>")
        self.raw("".join(parts))
        self.ws._row_links = []


class RowSheet(WriteOnlyWorksheet):
    """A write-only sheet: `append` rows (with an optional height in points),
    then `close` (or let the workbook's save close it)."""

    def __init__(self, parent: Workbook, title: str) -> None:
        super().__init__(parent, title)
        self._row_links: list[tuple[str, str | None, str | None]] = []
        self._rows_written = self._columns = 0  # rows, and columns in use
        self._open = False
        self._done = False

    @property
    def closed(self) -> bool:
        return self._done

    def _start(self) -> None:
        if self._done:
            raise ValueError(f"sheet {self.title!r} is already written")
        if not self._open:
            self._writer = _RowSheetWriter(self, io.BytesIO() if self.parent.in_memory else None)
            self._writer.write_top()
            self._writer.raw("<sheetData>")
            self._open = True

    def append(self, row: Sequence, height: float | None = None) -> None:
        self._start()
        self._rows_written += 1
        number = self._rows_written
        cells: list[str] = []
        for column, value in enumerate(row):
            if value is None:
                continue
            ref = f"{_LETTERS[column]}{number}"
            if type(value) is Fragment:
                cells.append(f'<c r="{ref}"{value.xml}')
                if (value.location or value.target) and len(self._row_links) < MAX_LINKS:
                    self._row_links.append((ref, value.location, value.target))
            elif isinstance(value, str):
                cells.append(f'<c r="{ref}" t="inlineStr">{inline_string(value)}</c>')
            elif isinstance(value, (int, float)) and not isinstance(value, bool):
                cells.append(f'<c r="{ref}" t="n"><v>{number_text(value)}</v></c>')
            else:
                raise TypeError(f"a row cell cannot be {type(value).__name__}")
        if cells:
            self._columns = max(self._columns, column + 1)
        shape = f' ht="{height:g}" customHeight="1"' if height else ""
        self._writer.raw(f'<row r="{number}"{shape}>{"".join(cells)}</row>')

    def restart(self) -> None:
        """Forget every row written so far: the sheet starts again, empty."""
        if self._open:
            self._writer.close()
            self._writer.cleanup()
        self._writer = None
        self._open = False
        self._rows_written = self._columns = 0
        self._row_links = []

    def close(self) -> None:
        self._start()
        self._writer.raw("</sheetData>")
        self._writer.write_tail()
        self._writer.finishing = True
        self._writer.close()
        last = f"{_LETTERS[max(self._columns, 1) - 1]}{max(self._rows_written, 1)}"
        self._writer.fill_dimension("A1" if last == "A1" else f"A1:{last}")
        self._done = True


class RowWorkbook(Workbook):
    """A write-only workbook whose sheets are `RowSheet`s. `in_memory`: the
    sheets are kept in memory, not in temporary files, so that a workbook
    written to memory (to be encrypted) never puts its text on the disk."""

    def __init__(self, in_memory: bool = False) -> None:
        super().__init__(write_only=True)
        self.in_memory = in_memory

    def create_sheet(self, title: str | None = None, index: int | None = None) -> RowSheet:
        sheet = RowSheet(self, title)
        self._add_sheet(sheet, index)
        return sheet

    def save(self, filename) -> None:
        """As openpyxl saves, at zip level 1: half the time of the default
        level, for a file about a sixth larger (measured at 10,000 items)."""
        archive = ZipFile(filename, "w", ZIP_DEFLATED, allowZip64=True, compresslevel=1)
        self.properties.modified = datetime.now(tz=UTC).replace(tzinfo=None)
        try:
            _RowExcelWriter(self, archive).save()
        except BaseException:
            # A write failed (a full disk): let go of the archive now; left to
            # garbage collection, its close fails again and prints a traceback.
            with contextlib.suppress(Exception):
                archive.close()
            raise

    def discard(self) -> None:
        """After a failed write: remove the sheets' temporary files now (they
        hold case text), not when the process ends."""
        for ws in self._sheets:
            writer = getattr(ws, "_writer", None)
            if writer is None:
                continue
            with contextlib.suppress(Exception):
                writer.close()  # an abandoned sheet closes quietly (see get_stream)
            with contextlib.suppress(OSError, ValueError):  # already removed
                writer.cleanup()


class _RowExcelWriter(ExcelWriter):
    def write_worksheet(self, ws) -> None:
        if not isinstance(ws, RowSheet) or not ws.parent.in_memory:
            super().write_worksheet(ws)
            return
        # openpyxl's own steps, with the sheet's text taken from memory.
        if not ws.closed:
            ws.close()
        writer = ws._writer
        ws._drawing = SpreadsheetDrawing()
        ws._drawing.charts, ws._drawing.images = ws._charts, ws._images
        ws._rels = writer._rels
        self._archive.writestr(ws.path[1:], writer.out.getvalue())
        self.manifest.append(ws)
        writer.cleanup()


class _Unclosed:
    """A memory buffer seen through a file's write/tell/close, whose close
    leaves the buffer to be read."""

    def __init__(self, buffer: io.BytesIO) -> None:
        self.write, self.tell = buffer.write, buffer.tell

    def close(self) -> None:
        pass


def _close_quietly(handle) -> None:
    with contextlib.suppress(OSError, ValueError):
        handle.close()
