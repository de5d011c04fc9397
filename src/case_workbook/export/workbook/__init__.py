"""The workbook for counsel: one organized, print-ready .xlsx per case.

Sheets, in order: Cover, Chronology, Timeline (charts, see `timeline_sheet`),
Threats, Witnesses, Communications, Post-Event Actions, Events, People,
Exhibits, Themes, Questions for Counsel.
It records information as entered; it contains no assessment. Text safety
(formulas, XML-illegal characters, over-long text) is described in `cells`.

Rows are streamed (openpyxl write-only mode, rows serialised by `rowsheet`):
tables, frozen panes, internal hyperlinks, row heights and print settings all
work there; the Excel table's column names are given explicitly, as
write-only mode requires.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path
from typing import IO

import case_workbook
from case_workbook.bulk import collector_paused
from case_workbook.fileio import atomic_write
from case_workbook.model.document import CaseDocument
from case_workbook.model.items import AnyItem
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
from .payload import write_payload
from .rowsheet import RowWorkbook
from .timeline_sheet import timeline_sheet

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


def write_sheets(wb, ctx: Context, exported: datetime, version: str) -> None:
    """The visible sheets, in order."""
    sheets.cover(wb, ctx, exported, version)
    sheets.chronology(wb, ctx)
    timeline_sheet(wb, ctx)
    for kind in sheets.KIND_SHEETS:
        sheets.kind_sheet(wb, ctx, kind)
    sheets.themes(wb, ctx)
    sheets.questions(wb, ctx)


def sent_rows(case: CaseFile, *, now: datetime, version: str, keep_links: bool = False,
              items: Sequence[AnyItem] | None = None
              ) -> tuple[dict[str, list[tuple]], dict[str, list[tuple[str, ...]]]]:
    """The values of every visible sheet's rows as a spreadsheet reader gets
    them back, and each sheet's table headers: the workbook as it was sent,
    worked out again without writing (or parsing) a file. With `keep_links`,
    linked texts come as `recording.LinkedText`. `items`: the case's items in
    its order, when they are in memory already (then none is read again)."""
    rows: dict[str, list[tuple]] = {}
    tables: dict[str, list[tuple[str, ...]]] = {}

    def keep(title: str, sheet: list[tuple], headers: list[tuple[str, ...]]) -> None:
        rows[title], tables[title] = sheet, headers
    each_sent_sheet(case, keep, now=now, version=version, keep_links=keep_links, items=items)
    return rows, tables


SentSheet = Callable[[str, list[tuple], list[tuple[str, ...]]], None]


def each_sent_sheet(case: CaseFile, finished: SentSheet, *, now: datetime, version: str,
                    keep_links: bool = False, items: Sequence[AnyItem] | None = None) -> None:
    """`sent_rows` one sheet at a time: `finished(title, rows, table headers)`
    is called as each sheet is complete, and the rows are not kept, so a large
    workbook is held one sheet at a time."""
    from .recording import RecordingWorkbook

    whole = {item.id: item for item in items} if items is not None else None
    ctx = Context(CaseIndex(case, slim=True, whole=whole))
    wb = RecordingWorkbook(keep_links, lambda title, sheet: finished(
        title, sheet, ctx.tables.get(title, [])))
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="In write-only mode")
        write_sheets(wb, ctx, now, version)
        wb.close()


@collector_paused()
def write_workbook(case: CaseFile, out: Path | IO[bytes], *, now: datetime | None = None,
                   exhibit_links: dict[str, str] | None = None,
                   version: str | None = None) -> dict[str, list[tuple[str, ...]]]:
    """Write the workbook for `case` to `out` (a path: atomically and owner-only).

    `exhibit_links` maps exhibit ids to relative links of their files beside the
    workbook. `now` and `version` are the export time and tool version shown on
    the Cover; reading a returned workbook passes the original ones, to write
    again exactly what counsel received. Returns each sheet's table headers.
    """
    exported = now or datetime.now().astimezone()
    version = version or case_workbook.__version__
    ctx = Context(CaseIndex(case, slim=True), exhibit_links or {})
    head = CaseDocument(tool_version=version, exported_at=exported, case_id=case.case_id,
                        created=case.created, header=case.header, settings=case.settings,
                        framework=case.framework, counters=case.counters(),
                        counsel_notes=case.counsel_notes)
    # Written to memory (to be encrypted): the sheets stay in memory too.
    wb = RowWorkbook(in_memory=not isinstance(out, (str, Path)))
    # File properties are metadata, not case data: XML-illegal characters are dropped.
    wb.properties.title = "".join(ch for ch in case.header.title[:255]
                                  if encode_cell_text(ch) == ch or ch in "_\r")
    wb.properties.creator = "case-workbook"
    try:
        with warnings.catch_warnings():
            # openpyxl warns that write-only tables need their columns named: they are.
            warnings.filterwarnings("ignore", message="In write-only mode")
            write_sheets(wb, ctx, exported, version)
            write_payload(wb, head, case.iter_item_json(), case.iter_activity())
        if not isinstance(out, (str, Path)):
            wb.save(out)
            return ctx.tables
        with atomic_write(Path(out), "wb") as handle:
            wb.save(handle)
    except BaseException:
        wb.discard()  # a failed export (a full disk) leaves no sheet text in the temp folder
        raise
    return ctx.tables
