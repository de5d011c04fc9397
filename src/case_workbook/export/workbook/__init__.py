"""The workbook for counsel: one organized, print-ready .xlsx per case.

Sheets, in order: Cover, Chronology, Threats, Witnesses, Communications,
Post-Event Actions, Events, People, Exhibits, Themes, Questions for Counsel.
It records information as entered; it contains no assessment. Text safety
(formulas, XML-illegal characters, over-long text) is described in `cells`.

Rows are streamed (openpyxl write-only mode): tables, frozen panes, internal
hyperlinks, row heights and print settings all work there; the Excel table's
column names are given explicitly, as write-only mode requires.
"""

from __future__ import annotations

import warnings
from datetime import datetime
from pathlib import Path

from openpyxl import Workbook

from case_workbook.fileio import atomic_write
from case_workbook.store.case_file import CaseFile
from case_workbook.views.index import CaseIndex

from . import sheets
from .cells import (
    LEGEND,
    NO_ASSESSMENT,
    decode_cell_text,
    encode_cell_text,
    join_cell_text,
)
from .layout import Context

__all__ = [
    "LEGEND",
    "NO_ASSESSMENT",
    "SHEETS",
    "decode_cell_text",
    "encode_cell_text",
    "join_cell_text",
    "write_workbook",
]

SHEETS = sheets.SHEETS


def write_workbook(case: CaseFile, out: Path, *, now: datetime | None = None) -> None:
    """Write the workbook for `case` to `out`, atomically and owner-only."""
    ctx = Context(CaseIndex(case))
    exported = now or datetime.now().astimezone()
    wb = Workbook(write_only=True)
    wb.properties.title = case.header.title[:255]
    wb.properties.creator = "case-workbook"
    with warnings.catch_warnings():
        # openpyxl warns that write-only tables need their columns named: they are.
        warnings.filterwarnings("ignore", message="In write-only mode")
        sheets.cover(wb, ctx, exported)
        sheets.chronology(wb, ctx)
        for kind in sheets.KIND_SHEETS:
            sheets.kind_sheet(wb, ctx, kind)
        sheets.themes(wb, ctx)
        sheets.questions(wb, ctx)
    with atomic_write(Path(out), "wb") as handle:
        wb.save(handle)
