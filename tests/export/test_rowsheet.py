"""The row writer: rows read back by openpyxl exactly as written, the
hyperlink cap Excel needs, and a restarted sheet holding only its new rows."""

from __future__ import annotations

from datetime import datetime

import openpyxl
import pytest

from case_workbook.export.workbook.cells import Stamp, stamp_cell, text_cell
from case_workbook.export.workbook.rowsheet import MAX_LINKS, RowWorkbook


def _save(wb, tmp_path):
    path = tmp_path / "rows.xlsx"
    wb.save(path)
    return openpyxl.load_workbook(path)


def test_values_and_types_read_back_exactly(tmp_path):
    wb = RowWorkbook()
    ws = wb.create_sheet("Rows")
    texts = ["=SUM(A1)", "  padded  ", "a < b & c > d", "\"quoted\" 'single'", "#N/A", "😀‍👩"]
    ws.append([text_cell(ws, t) for t in texts], height=47)
    ws.append(["plain", 3, 2.5, None, stamp_cell(ws, Stamp(datetime(2026, 3, 1, 21, 5)))])
    ws.close()
    back = _save(wb, tmp_path)["Rows"]
    first = [c.value for c in back[1]]
    assert first == texts
    assert all(c.data_type == "s" for c in back[1])
    assert back.row_dimensions[1].height == 47
    second = back[2]
    assert [c.value for c in second[:3]] == ["plain", 3, 2.5]
    assert second[3].value is None
    assert second[4].value == datetime(2026, 3, 1, 21, 5)
    assert second[4].number_format == "yyyy-mm-dd hh:mm"


def test_links_stop_at_excels_limit(tmp_path):
    wb = RowWorkbook()
    ws = wb.create_sheet("Links")
    for n in range(MAX_LINKS + 5):
        ws.append([text_cell(ws, f"T-{n}", link="'Links'!A1")])
    ws.close()
    back = _save(wb, tmp_path)["Links"]
    assert back.cell(MAX_LINKS, 1).hyperlink.location == "'Links'!A1"
    assert back.cell(MAX_LINKS + 1, 1).hyperlink is None
    assert back.cell(MAX_LINKS + 5, 1).value == f"T-{MAX_LINKS + 4}"


def test_restart_forgets_earlier_rows(tmp_path):
    wb = RowWorkbook()
    ws = wb.create_sheet("Again")
    ws.append([text_cell(ws, "first try", link="'Again'!A1")])
    ws.restart()
    ws.append([text_cell(ws, "second try")])
    ws.close()
    back = _save(wb, tmp_path)["Again"]
    assert [[c.value for c in row] for row in back.iter_rows()] == [["second try"]]
    assert back.cell(1, 1).hyperlink is None


def test_a_closed_sheet_takes_no_more_rows():
    wb = RowWorkbook()
    ws = wb.create_sheet("Done")
    ws.close()
    with pytest.raises(ValueError):
        ws.append(["late"])
