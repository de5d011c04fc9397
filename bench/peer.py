"""The peer reference for the workbook export: XlsxWriter writing the same
cells and formats that case-workbook writes for a case.

The cells come from the product itself (`sent_rows`, the values of every
visible sheet, and the hidden case-data rows), worked out before the clock
starts; the clock covers only XlsxWriter writing them: the same sheets, wrap
and date formats, bold headers, column widths, Excel tables, frozen headers
and print settings. XlsxWriter's constant-memory mode cannot add tables, so
its default mode is used (it holds the sheets in memory until closing).
"""

from __future__ import annotations

import time
from datetime import datetime
from pathlib import Path

from case_workbook.export.workbook import sent_rows
from case_workbook.export.workbook.payload import SHEET, payload_rows
from case_workbook.export.workbook.recording import LinkedText
from case_workbook.model.document import CaseDocument
from case_workbook.model.items import Kind
from case_workbook.store.case_file import CaseFile


def cells_of(case_path: Path) -> tuple[dict[str, list[tuple]], dict[str, list], list[list]]:
    now = datetime.now().astimezone()
    with CaseFile.open(case_path, readonly=True) as case:
        rows, tables = sent_rows(case, now=now, version="bench", keep_links=True)
        head = CaseDocument(exported_at=now, case_id=case.case_id, created=case.created,
                            header=case.header, settings=case.settings,
                            framework=case.framework, counters=case.counters())
        items = [item for kind in Kind for item in case.items(kind)]
        hidden = list(payload_rows(head, items, case.iter_activity()))
    return rows, tables, hidden


def write_with_xlsxwriter(rows: dict[str, list[tuple]], tables: dict[str, list],
                          hidden: list[list], out: Path) -> float:
    import xlsxwriter

    start = time.perf_counter()
    wb = xlsxwriter.Workbook(str(out), {"strings_to_formulas": False,
                                        "strings_to_numbers": False, "strings_to_urls": False})
    wrap = wb.add_format({"text_wrap": True, "valign": "top"})
    bold = wb.add_format({"text_wrap": True, "valign": "top", "bold": True})
    link = wb.add_format({"text_wrap": True, "valign": "top", "underline": 1,
                          "font_color": "#404040"})
    date = wb.add_format({"text_wrap": True, "valign": "top", "num_format": "yyyy-mm-dd hh:mm"})
    for number, (title, values) in enumerate(rows.items()):
        ws = wb.add_worksheet(title)
        width = max((len(r) for r in values), default=1)
        ws.set_column(0, width - 1, 18)
        ws.freeze_panes(1, 0)
        ws.set_landscape()
        ws.fit_to_pages(1, 0)
        ws.repeat_rows(0)
        ws.set_header("&CPrivileged && Confidential")
        ws.set_footer("&CPage &P of &N")
        headers = {tuple(h) for h in tables.get(title, [])}
        for r, row in enumerate(values):
            is_header = tuple(row) in headers
            for c, value in enumerate(row):
                if value is None:
                    continue
                if isinstance(value, datetime):
                    ws.write_datetime(r, c, value, date)
                elif isinstance(value, (int, float)):
                    ws.write_number(r, c, value, wrap)
                elif isinstance(value, LinkedText):  # the same links, to a place or a file
                    url = value.target or f"internal:{value.location}"
                    ws.write_url(r, c, url, link, string=value)
                else:
                    ws.write_string(r, c, value, bold if is_header else wrap)
            ws.set_row(r, 30)
        for n, header in enumerate(tables.get(title, [])):
            first = next(i for i, row in enumerate(values) if tuple(row) == tuple(header))
            last = first + 1
            while last + 1 < len(values) and any(v is not None for v in values[last + 1]):
                last += 1
            ws.add_table(first, 0, max(last, first + 1), len(header) - 1,
                         {"name": f"Table{number}_{n}",
                          "style": "Table Style Light 1",
                          "columns": [{"header": h} for h in header]})
    data = wb.add_worksheet(SHEET)
    data.very_hidden()
    for r, row in enumerate(hidden):
        for c, value in enumerate(row):
            data.write(r, c, value)
    wb.close()
    return time.perf_counter() - start
