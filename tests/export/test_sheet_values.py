"""The quick sheet reader gives exactly the rows openpyxl's own reader gives:
on our workbook, on LibreOffice's re-save of it, and on a workbook holding
every kind of cell a spreadsheet program can write."""

from __future__ import annotations

import re
import zipfile
from datetime import date, datetime, time, timedelta
from pathlib import Path

import openpyxl
import pytest
from demo_workbook import write_demo_workbook
from openpyxl.cell.rich_text import CellRichText, TextBlock
from openpyxl.cell.text import InlineFont
from test_workbook_roundtrip import soffice

from case_workbook.export.workbook.sheet_values import sheet_values


def both_readings(path: Path) -> dict[str, tuple[list, list]]:
    wb = openpyxl.load_workbook(path, read_only=True)
    try:
        return {title: ([tuple(r) for r in wb[title].iter_rows(values_only=True)],
                        sheet_values(wb[title]))
                for title in wb.sheetnames}
    finally:
        wb.close()


def assert_same_rows(path: Path) -> dict[str, list]:
    readings = both_readings(path)
    for title, (theirs, ours) in readings.items():
        assert ours == theirs, title
        # Same values and the same types (1 and 1.0 and True are equal in Python).
        assert [list(map(type, r)) for r in ours] == [list(map(type, r)) for r in theirs]
    return {title: ours for title, (_, ours) in readings.items()}


@pytest.fixture(scope="module")
def demo_xlsx(tmp_path_factory) -> Path:
    return write_demo_workbook(tmp_path_factory.mktemp("sv"), "demo.xlsx")


def test_our_workbook_reads_the_same(demo_xlsx):
    rows = assert_same_rows(demo_xlsx)
    assert len(rows["Chronology"]) > 20
    assert any(isinstance(v, datetime) for r in rows["Chronology"] for v in r)


def test_libreoffice_resave_reads_the_same(demo_xlsx, tmp_path):
    (tmp_path / "lo").mkdir()
    soffice(tmp_path, "--convert-to", "xlsx", "--outdir", str(tmp_path / "lo"), str(demo_xlsx))
    resaved = tmp_path / "lo" / "demo.xlsx"
    assert resaved.exists(), "LibreOffice wrote nothing"
    with zipfile.ZipFile(resaved) as z:  # shared strings, LibreOffice's styles
        assert "xl/sharedStrings.xml" in z.namelist()
    rows = assert_same_rows(resaved)
    assert len(rows["Chronology"]) > 20


def every_kind_of_cell(path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Cells"
    ws["A1"] = "plain"
    ws["B1"] = ""
    ws["C1"] = "_x0041_ and _x005F_x0041_"
    ws["A2"], ws["B2"], ws["C2"], ws["D2"] = 7, -2.5, 1e-12, 12345678901234
    ws["A3"] = datetime(2026, 3, 4, 21, 15, 30)
    ws["B3"] = date(2026, 3, 4)
    ws["C3"] = time(21, 15)
    ws["D3"] = timedelta(hours=26)
    ws["A4"], ws["B4"] = True, False
    ws["C4"] = "=SUM(A2:B2)"
    ws["D4"] = "=A1&\"x\""
    ws["A6"] = CellRichText("bold ", TextBlock(InlineFont(b=True), "part"), " end")
    ws["E7"] = "far out"
    ws["F7"] = 0
    ws["A9"] = 3
    ws["A9"].number_format = "0.00%"
    wb.create_sheet("Empty")
    wb.save(path)


def test_every_kind_of_cell_reads_the_same(tmp_path):
    every_kind_of_cell(tmp_path / "cells.xlsx")
    rows = assert_same_rows(tmp_path / "cells.xlsx")["Cells"]
    assert rows[0][:3] == ("plain", None, "_x0041_ and _x005F_x0041_")  # "" is not kept
    assert rows[1][:4] == (7, -2.5, 1e-12, 12345678901234)
    assert rows[2][:4] == (datetime(2026, 3, 4, 21, 15, 30), datetime(2026, 3, 4),
                           time(21, 15), timedelta(hours=26))
    assert rows[3][:4] == (True, False, "=SUM(A2:B2)", "=A1&\"x\"")
    assert rows[4] == (None,) * 6  # a missing row comes as empty cells
    assert rows[5][0] == "bold part end"
    assert rows[6][4:] == ("far out", 0)


def _rewrite_sheet(source: Path, out: Path, change) -> None:
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(out, "w") as zout:
        for info in zin.infolist():
            data = zin.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = change(data.decode()).encode()
            zout.writestr(info, data)


@pytest.mark.parametrize("change", [
    lambda xml: re.sub(r'<c r="[A-Z]+\d+"', "<c", xml),  # cells without their address
    lambda xml: re.sub(r'<row r="\d+"', "<row", xml),  # rows without their number
    lambda xml: re.sub(r"<dimension[^>]*/>", "", xml),  # no stated size
    lambda xml: re.sub(r'<dimension ref="[^"]*"', '<dimension ref="A1:B3"', xml),  # too small
    lambda xml: re.sub(r'<dimension ref="[^"]*"', '<dimension ref="A1:K40"', xml),  # too big
    lambda xml: xml.replace('<row r="7"', '<row r="7.0"'),  # a row number as a float
], ids=["no-cell-address", "no-row-number", "no-dimension", "small-dimension",
        "big-dimension", "float-row"])
def test_unusual_sheet_xml_reads_the_same(tmp_path, change):
    every_kind_of_cell(tmp_path / "cells.xlsx")
    _rewrite_sheet(tmp_path / "cells.xlsx", tmp_path / "odd.xlsx", change)
    assert_same_rows(tmp_path / "odd.xlsx")


def test_a_bad_row_number_fails_like_openpyxl(tmp_path):
    every_kind_of_cell(tmp_path / "cells.xlsx")
    _rewrite_sheet(tmp_path / "cells.xlsx", tmp_path / "bad.xlsx",
                   lambda xml: xml.replace('<row r="7"', '<row r="7.5"'))
    wb = openpyxl.load_workbook(tmp_path / "bad.xlsx", read_only=True)
    with pytest.raises(ValueError):
        list(wb["Cells"].iter_rows(values_only=True))
    with pytest.raises(ValueError):
        sheet_values(wb["Cells"])
    wb.close()
