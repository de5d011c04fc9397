"""The workbook for counsel, read back with openpyxl (and printed by LibreOffice)."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
from datetime import datetime
from pathlib import Path

import openpyxl
import pytest
from demo_workbook import write_demo_workbook
from hostile_text import HOSTILE, LONG

from case_workbook.export.workbook import LEGEND, SHEETS, join_cell_text, write_workbook
from case_workbook.export.workbook.layout import (
    KIND_MODELS,
    SHEET_OF_KIND,
    kind_columns,
)
from case_workbook.model.items import (
    Communication,
    Exhibit,
    Kind,
    Person,
    ThemeLink,
    Threat,
)
from case_workbook.model.when import When

ORDER = ["Cover", "Chronology", "Timeline", "Threats", "Witnesses", "Communications",
         "Post-Event Actions", "Events", "People", "Exhibits", "Themes", "Questions for Counsel"]
DATA_SHEETS = [name for name in ORDER[1:] if name != "Timeline"]  # the Timeline is a chart



@pytest.fixture(scope="module")
def demo_xlsx(tmp_path_factory) -> Path:
    return write_demo_workbook(tmp_path_factory.mktemp("wb"), "demo.xlsx")


@pytest.fixture(scope="module")
def demo(demo_xlsx):
    return openpyxl.load_workbook(demo_xlsx)


def _headers(ws, row=1):
    return [c.value for c in ws[row]]


def _row_of(ws, item_id):
    for row in ws.iter_rows(min_row=2):
        if row[0].value == item_id:
            return row
    raise AssertionError(f"{item_id} not on {ws.title}")


def test_sheets_in_order(demo):
    # The visible sheets, then the case data that lets a returned workbook rebuild the case.
    assert demo.sheetnames == ORDER + ["case-workbook data"]
    assert ORDER == SHEETS
    assert [ws.sheet_state for ws in demo.worksheets] == ["visible"] * 12 + ["veryHidden"]
    assert demo.active.title == "Cover"


def test_owner_only(demo_xlsx):
    assert stat.S_IMODE(os.stat(demo_xlsx).st_mode) == 0o600


def test_every_field_has_a_column():
    for kind, model in KIND_MODELS.items():
        titles = " ".join(c.title for c in kind_columns(kind))
        assert titles.split()[0] in ("Id", "Number")
        assert "Counsel notes" in titles
        assert len(kind_columns(kind)) >= len(model.model_fields) - 1  # kind is the sheet
        assert len({c.title for c in kind_columns(kind)}) == len(kind_columns(kind))


def test_headers(demo):
    assert _headers(demo["Threats"])[:2] == ["Id", "Summary"]
    assert "Made by" in _headers(demo["Threats"])
    assert {"Number", "Description", "Original file name", "SHA-256", "Size (bytes)",
            "Bates range", "Linked from"} <= set(_headers(demo["Exhibits"]))
    chrono = _headers(demo["Chronology"])
    assert chrono[:7] == ["When", "Precision", "Kind", "Id", "Summary", "People", "Themes"]
    assert chrono[-3:] == ["Counsel notes", "Time zone", "Exhibits"]
    assert any(h.startswith("From ") for h in chrono)
    assert _headers(demo["Questions for Counsel"]) == [
        "Theme", "Source", "No.", "Question", "Related items", "Counsel notes"]
    assert _headers(demo["Themes"])[:5] == ["Theme id", "Theme", "Description", "Source",
                                            "Questions to explore"]
    for name in DATA_SHEETS:
        assert "Counsel notes" in _headers(demo[name]) or name == "Themes"


def test_each_sheet_prints_its_main_columns_up_to_counsel_notes(demo):
    for name in DATA_SHEETS:
        ws = demo[name]
        headers = _headers(ws)
        if name in ("Themes", "Questions for Counsel"):
            assert not ws.print_area, name  # every column prints
            continue
        area = ws.print_area.replace("$", "").split("!")[1]
        start, end = area.split(":")
        last = openpyxl.utils.column_index_from_string(end.rstrip("0123456789"))
        assert start == "A1" and headers[last - 1] == "Counsel notes", name
        assert int(end.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ")) == ws.max_row
        printed = sum(ws.column_dimensions[openpyxl.utils.get_column_letter(n)].width
                      for n in range(1, last + 1))
        assert printed <= 200, (name, printed)  # legible when fitted to a landscape page


def test_tables_freeze_and_print(demo):
    names = set()
    for name in DATA_SHEETS:
        ws = demo[name]
        tables = list(ws.tables.values())
        assert tables, name
        first = tables[0]
        width = len([h for h in _headers(ws) if h is not None])
        last = ws.max_row if name != "Themes" else None
        start, end = first.ref.split(":")
        assert start == "A1"
        assert end.rstrip("0123456789") == openpyxl.utils.get_column_letter(width)
        if last is not None:
            assert int(end.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ")) == last
        assert [c.name for c in first.tableColumns] == [h for h in _headers(ws) if h is not None]
        assert first.tableStyleInfo.name.startswith("TableStyleLight")
        names.update(t.displayName for t in tables)
        assert ws.freeze_panes == "A2"
        assert ws.print_title_rows == "$1:$1"
        assert ws.page_setup.orientation == "landscape"
        assert ws.page_setup.fitToWidth == 1 and ws.page_setup.fitToHeight == 0
        assert ws.sheet_properties.pageSetUpPr.fitToPage
        assert "Privileged && Confidential" in ws.oddHeader.center.text
        assert "&P" in ws.oddFooter.center.text and "&N" in ws.oddFooter.center.text
        assert ws.column_dimensions["A"].width > 0
    assert len(names) == len(DATA_SHEETS) + 1  # plus the theme matrix
    themes = demo["Themes"].tables
    assert set(themes) == {"Themes", "ThemeMatrix"}


def test_data_rows_cover_the_table(demo):
    ws = demo["Threats"]
    table = ws.tables["Threats"]
    last = int(table.ref.split(":")[1].lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ"))
    assert last == ws.max_row
    assert all(ws.cell(r, 1).value.startswith("T-") for r in range(2, last + 1))


def test_dates_are_real_datetimes(demo):
    ws = demo["Chronology"]
    values = [ws.cell(r, 1) for r in range(2, ws.max_row + 1)]
    assert values and all(c.is_date and isinstance(c.value, datetime) for c in values)


def test_ids_link_to_their_rows(demo):
    ws = demo["Chronology"]
    for r in range(2, ws.max_row + 1):
        cell = ws.cell(r, _headers(ws).index("Id") + 1)
        sheet, ref = cell.hyperlink.location.rsplit("!", 1)
        target = demo[sheet.strip("'")][ref]
        assert target.value == cell.value
    exhibits = [c for row in demo["Threats"].iter_rows(min_row=2) for c in row
                if c.hyperlink and "'Exhibits'" in (c.hyperlink.location or "")]
    communications = [c for row in demo["Communications"].iter_rows(min_row=2) for c in row
                       if c.hyperlink and "'Exhibits'" in (c.hyperlink.location or "")]
    assert exhibits or communications


def test_cover(demo):
    text = "\n".join(str(c.value) for row in demo["Cover"].iter_rows() for c in row
                     if c.value is not None)
    assert LEGEND in text
    assert "contains no assessment and gives no legal advice" in text
    assert "case-workbook 0." in text
    links = [c.hyperlink.location for row in demo["Cover"].iter_rows() for c in row
             if c.hyperlink]
    assert links == [f"'{name}'!A1" for name in ORDER[1:]]
    for word in ("score", "strong", "weak", "percent", "odds", "grade"):
        assert word not in text.lower()


def test_no_colour_fills(demo):
    for ws in demo:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.fill.fill_type in (None, "none")


@pytest.fixture
def hostile_xlsx(tmp_path, case) -> tuple[Path, dict[str, dict[str, str]]]:
    person = case.add(Person(name="=cmd|' /C calc'!A0", aliases=HOSTILE[:4]))
    exhibit = case.add(Exhibit(summary="@SUM(1)", bates="-DEF-0001", form="physical object"))
    threat = case.add(Threat(summary=HOSTILE[0], details=LONG, notes="\x00\x07\x1b",
                             demand="_x001B_ literal", harm_threatened="👨‍👩‍👧 שלום",
                             when=When.exact(datetime(2026, 3, 14, 21, 0), "UTC"),
                             made_by=[person.id], exhibits=[exhibit.id],
                             themes=[ThemeLink(theme_id=case.framework.themes[0].id,
                                               note=" =1+1")]))
    comms = [case.add(Communication(summary=text, content=text + LONG[:100]))
             for text in HOSTILE]
    out = tmp_path / "hostile.xlsx"
    write_workbook(case, out)
    expected = {
        threat.id: {"Summary": HOSTILE[0], "Details": LONG, "My notes": "\x00\x07\x1b",
                    "Demanded": "_x001B_ literal", "Harm threatened": "👨‍👩‍👧 שלום"},
        person.id: {"Name": person.name, "Aliases": "\n".join(HOSTILE[:4])},
        exhibit.id: {"Description": "@SUM(1)", "Bates range": "-DEF-0001"},
    }
    for c in comms:
        expected[c.id] = {"Summary": c.summary, "Content (verbatim)": c.content}
    return out, expected


def _value(ws, row, title):
    """A column's text, its continuation columns joined (the documented rule)."""
    headers = _headers(ws)
    pieces = []
    for n, header in enumerate(headers):
        if header == title or (header or "").startswith(f"{title} (continued "):
            cell = row[n]
            assert cell.value is None or cell.data_type == "s", (title, cell.data_type)
            pieces.append(cell.value)
    return join_cell_text(pieces)


def test_hostile_strings_arrive_verbatim(hostile_xlsx):
    out, expected = hostile_xlsx
    wb = openpyxl.load_workbook(out)
    assert stat.S_IMODE(os.stat(out).st_mode) == 0o600
    for item_id, fields in expected.items():
        sheet = SHEET_OF_KIND[Kind(_kind_of(item_id))]
        row = _row_of(wb[sheet], item_id)
        for title, text in fields.items():
            assert _value(wb[sheet], row, title) == text, (item_id, title)
    for ws in wb:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (ws.title, cell.coordinate, cell.value)
    headers = _headers(wb["Threats"])
    assert "Details (continued 2)" in headers


def _kind_of(item_id: str) -> str:
    return {"T": "threat", "C": "communication", "P": "person", "DX": "exhibit"}[
        item_id.split("-")[0]]


def test_libreoffice_prints_the_demo(demo_xlsx, tmp_path):
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    assert soffice, "LibreOffice (libreoffice-calc) is required"
    env = dict(os.environ, HOME=str(tmp_path / "home"))
    subprocess.run([soffice, "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path),
                    str(demo_xlsx)], env=env, timeout=120, capture_output=True, check=False)
    pdf = tmp_path / "demo.pdf"
    assert pdf.exists() and pdf.stat().st_size > 1000
    assert pdf.read_bytes().startswith(b"%PDF")
    look = os.environ.get("WORKBOOK_LOOK_DIR")
    if look:  # for a person to look at the pages: WORKBOOK_LOOK_DIR=/tmp/wb_look
        shutil.copy(pdf, Path(look) / "demo.pdf")


def test_readme_documents_every_column():
    from case_workbook.export.workbook.layout import printed_count
    from case_workbook.export.workbook.sheets import (
        KIND_SHEETS,
        QUESTION_COLS,
        THEME_COLS,
    )

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    section = " ".join(readme.split("## The workbook for counsel")[1]
                       .split("## The JSON interchange format")[0].split())
    for kind in KIND_SHEETS:
        sheet = SHEET_OF_KIND[kind]
        entry = section.split(f"**{sheet}** —")[1].split("- **")[0]
        cols = kind_columns(kind)
        printed = entry.split("Then:")[0]
        for n, col in enumerate(cols):
            title = col.title.removeprefix("When made").removeprefix("When") or "When"
            where = printed if n < printed_count(cols) else entry
            assert col.title in where or (title.startswith(":") and "When" in entry), \
                (sheet, col.title)
    for col in THEME_COLS + QUESTION_COLS:
        assert col.title in section, col.title
