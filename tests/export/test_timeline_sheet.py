"""The workbook's Timeline sheet, read back from real files: its charts (series,
axes, title, error bars, print setup), the rows they are drawn from, and the
page LibreOffice prints."""

from __future__ import annotations

import io
import os
import re
import shutil
import stat
import subprocess
import zipfile
from datetime import datetime, timedelta
from pathlib import Path

import openpyxl
import pytest
from demo_workbook import write_demo_workbook
from openpyxl.chart.axis import NumericAxis

from case_workbook.export.workbook import SHEETS, join_cell_text, write_workbook
from case_workbook.export.workbook.returned import import_workbook
from case_workbook.export.workbook.timeline_chart import MAX_TICKS, scale_for
from case_workbook.export.workbook.timeline_sheet import NOTHING_DATED
from case_workbook.model.case import CaseHeader, CaseSettings
from case_workbook.model.interval import Interval
from case_workbook.model.items import Communication, Event, KeyMoment, Threat, Witness
from case_workbook.model.when import When
from case_workbook.store.case_file import CaseFile
from case_workbook.views.timeline import span_words

ZONE = "America/New_York"  # UTC-4 in mid-March 2026
FORMULA = "=SUM(A1)+1"
LANES = ["Threat", "Witness", "Communication", "Post-event action", "Event", "Exhibit"]


@pytest.fixture(scope="module")
def demo_xlsx(tmp_path_factory) -> Path:
    return write_demo_workbook(tmp_path_factory.mktemp("tl"), "demo.xlsx")


@pytest.fixture(scope="module")
def demo(demo_xlsx):
    return openpyxl.load_workbook(demo_xlsx)


def _small_case(folder: Path, framework) -> Path:
    """Two threats (one about 21:00 ± 1 h, one exact in UTC with a formula-like
    summary), a message known only as before a time, the act, an undated witness."""
    path = folder / "small.cwb"
    with CaseFile.create(path, CaseHeader(title="State v. Roe =1+1\x07"), framework,
                         CaseSettings(default_tz=ZONE), actor="tester") as case:
        case.add(Threat(summary="He said he would be waiting",
                        when=When.approximate(datetime(2026, 3, 14, 21, 0), 60, tz=ZONE)))
        case.add(Threat(summary=FORMULA, when=When.exact(datetime(2026, 3, 10, 9, 0), "UTC")))
        case.add(Communication(summary="Voicemail",
                               when=When.before(datetime(2026, 3, 14, 20, 0), tz=ZONE)))
        case.add(Event(summary="I drove the car", key_moment=KeyMoment.ACT_START,
                       when=When.exact(datetime(2026, 3, 14, 22, 0), tz=ZONE)))
        case.add(Witness(summary="Not dated yet"))
    return path


@pytest.fixture
def small_xlsx(tmp_path, framework) -> Path:
    case_path = _small_case(tmp_path, framework)
    with CaseFile.open(case_path, readonly=True) as case:
        write_workbook(case, tmp_path / "small.xlsx")
    return tmp_path / "small.xlsx"


def _rows(ws) -> list[tuple]:
    return [tuple(row) for row in ws.iter_rows(values_only=True)]


def _row_of(ws, first: str, header: str = "Id") -> dict:
    """The row whose first cell is `first`, under the table headed `header`, by title."""
    rows = _rows(ws)
    titles = next(r for r in rows if r[0] == header)
    row = next(r for r in rows[rows.index(titles):] if r[0] == first)
    return {title: value for title, value in zip(titles, row) if title}


def _title(chart) -> str:
    return "".join(run.t for p in chart.title.tx.rich.p for run in (p.r or []))


def test_the_timeline_follows_the_chronology(demo):
    assert SHEETS.index("Timeline") == SHEETS.index("Chronology") + 1
    assert demo.sheetnames[:3] == ["Cover", "Chronology", "Timeline"]


def test_the_chart_reads_back_with_a_series_per_kind_and_per_key_moment(demo):
    ws = demo["Timeline"]
    whole = ws._charts[0]
    names = [s.tx.v for s in whole.series]
    moments = ["◆ act began", "◆ act ended", "◆ threat ended", "◆ arrest"]
    # One series per kind present, one per key moment, and the lanes' names.
    assert names == LANES + moments + ["Lanes"]
    assert isinstance(whole.x_axis, NumericAxis) and isinstance(whole.y_axis, NumericAxis)
    assert whole.x_axis.number_format.formatCode in ("yyyy-mm-dd", "yyyy-mm-dd hh:mm")
    assert whole.x_axis.delete is False
    assert whole.x_axis.scaling.min < whole.x_axis.scaling.max
    assert whole.y_axis.number_format.formatCode == ";;;"  # no numbers on the lanes
    assert _title(whole) == "Timeline — People v. Doe (demo) — General (common law)"
    # Each kind its own marker shape; no lines join the marks.
    lanes = whole.series[:len(LANES)]
    assert len({s.marker.symbol for s in lanes}) == len(LANES)
    assert all(s.graphicalProperties.line.noFill for s in whole.series)
    # Key moments: a vertical line through the lanes, labelled with their name.
    for series in whole.series[len(LANES):-1]:
        assert series.errBars.errDir == "y" and series.dLbls.showSerName
    # Only the kinds are in the legend.
    deleted = {entry.idx for entry in whole.legend.legendEntry if entry.delete}
    assert deleted == set(range(len(LANES), len(names)))


def test_key_moments_close_together_get_a_close_up(demo):
    whole, near = demo["Timeline"]._charts
    assert [s.tx.v for s in near.series] == [s.tx.v for s in whole.series]
    assert _title(near) == "Close-up around the key moments, 2026-03-14 18:00 to 2026-03-15 06:00"
    assert whole.x_axis.scaling.min < near.x_axis.scaling.min < near.x_axis.scaling.max \
        < whole.x_axis.scaling.max
    assert near.x_axis.number_format.formatCode == "yyyy-mm-dd hh:mm"


def test_an_approximate_when_has_an_error_bar_of_its_tolerance(small_xlsx):
    ws = openpyxl.load_workbook(small_xlsx)["Timeline"]
    about = _row_of(ws, "T-001")
    assert about["Plotted at"] == datetime(2026, 3, 14, 21, 0)
    assert about["Minus (days)"] == pytest.approx(1 / 24) and about["Plus (days)"] == \
        pytest.approx(1 / 24)
    assert about["When (in words)"].startswith("Sat 14 Mar 2026, about 21:00 ± 1 h")
    threats = ws._charts[0].series[0]
    bars = threats.errBars
    assert (bars.errDir, bars.errBarType, bars.errValType) == ("x", "both", "cust")
    first, last = (int(n) for n in re.findall(r"\$(\d+)", bars.plus.numRef.f))
    row = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == "T-001")
    assert first <= row <= last and bars.plus.numRef.f.startswith("'Timeline'!$H$")
    assert bars.minus.numRef.f == bars.plus.numRef.f.replace("$H$", "$G$")
    assert threats.xVal.numRef.f == bars.plus.numRef.f.replace("$H$", "$D$")


def test_an_open_ended_when_has_no_bar(small_xlsx):
    ws = openpyxl.load_workbook(small_xlsx)["Timeline"]
    before = _row_of(ws, "C-001")
    assert before["Earliest"] == "none known" and before["Latest"] == datetime(2026, 3, 14, 20)
    assert before["Minus (days)"] is None and before["Plus (days)"] == 0
    messages = next(s for s in ws._charts[0].series if s.tx.v == "Communication")
    assert messages.errBars is None


def test_times_are_the_case_zones_wall_clock(small_xlsx):
    ws = openpyxl.load_workbook(small_xlsx)["Timeline"]
    exact = _row_of(ws, "T-002")  # 09:00 UTC
    assert exact["Plotted at"] == exact["Earliest"] == datetime(2026, 3, 10, 5, 0)
    assert exact["Minus (days)"] == exact["Plus (days)"] == 0
    assert any(ZONE in (r[0] or "") for r in _rows(ws)[:4])  # the caption names the zone


def test_the_rows_list_lanes_key_moments_and_gaps(small_xlsx):
    ws = openpyxl.load_workbook(small_xlsx)["Timeline"]
    rows = _rows(ws)
    drawn = [r[:2] for r in rows if r[0] in ("T-001", "T-002", "C-001", "E-001")][:4]
    assert drawn == [("T-002", "Threat"), ("T-001", "Threat"), ("C-001", "Communication"),
                     ("E-001", "Event")]  # lane by lane, each in time order
    lanes = [_row_of(ws, name, "Lane") for name in ("Threats", "Comms", "Events")]
    assert [lane["Chart height"] for lane in lanes] == [3, 2, 1]
    assert [lane["Items drawn"] for lane in lanes] == [2, 1, 1]
    moment = _row_of(ws, "E-001")
    assert moment["Kind"] == "Event"
    act = [r for r in rows if r[1] == "◆ act began"]
    assert act[0][0] == "E-001" and act[0][3] == datetime(2026, 3, 14, 22, 0)
    assert act[1][0] == "T-001"  # the threat nearest to the act
    assert act[1][3] == datetime(2026, 3, 14, 21, 0)
    assert act[1][8] == span_words(Interval(timedelta(hours=-2), timedelta(0)))  # as the view
    assert act[1][9] == "between 0 and 2 h before the act began"


def test_printed_on_one_landscape_page(small_xlsx):
    ws = openpyxl.load_workbook(small_xlsx)["Timeline"]
    assert ws.page_setup.orientation == "landscape"
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.page_setup.fitToWidth == 1 and ws.page_setup.fitToHeight == 1
    assert ws.print_area == "'Timeline'!$A$1:$I$46"
    for chart in ws._charts:  # every chart inside the print area
        assert chart.anchor._from.row >= 4 and chart.anchor.to.row <= 46
        assert chart.anchor._from.col == 0 and chart.anchor.to.col == 9
    assert "Privileged && Confidential" in ws.oddHeader.center.text
    assert stat.S_IMODE(os.stat(small_xlsx).st_mode) == 0o600


def test_text_arrives_as_text(small_xlsx):
    ws = openpyxl.load_workbook(small_xlsx)["Timeline"]
    cells = [c for row in ws.iter_rows() for c in row if c.value is not None]
    assert all(c.data_type != "f" for c in cells)
    summary = next(c for c in cells if c.value == FORMULA)
    assert summary.data_type == "s"
    assert join_cell_text([ws["A1"].value]) == ("Timeline — State v. Roe =1+1\x07 — "
                                                "General (common law)")
    # The chart's title cannot hold a control character: it is left out there.
    assert _title(ws._charts[0]) == "Timeline — State v. Roe =1+1 — General (common law)"


def test_only_black_white_and_greys(small_xlsx):
    with zipfile.ZipFile(small_xlsx) as z:
        charts = [z.read(n).decode() for n in z.namelist() if n.startswith("xl/charts/")]
    colours = {c for xml in charts for c in re.findall(r'srgbClr val="([0-9A-Fa-f]{6})"', xml)}
    assert colours and all(c[0:2] == c[2:4] == c[4:6] for c in colours), colours


def test_nothing_dated_says_so_and_draws_nothing(tmp_path, case):
    case.add(Threat(summary="Not dated yet"))
    write_workbook(case, tmp_path / "empty.xlsx")
    ws = openpyxl.load_workbook(tmp_path / "empty.xlsx")["Timeline"]
    assert ws._charts == []
    assert [r[0] for r in _rows(ws)] == ["Timeline — Test case — General (common law)",
                                         NOTHING_DATED]


def test_a_workbook_written_to_memory_keeps_its_charts(tmp_path, framework):
    # The path an encrypted export takes: the sheets never touch the disk.
    with CaseFile.open(_small_case(tmp_path, framework), readonly=True) as case:
        out = io.BytesIO()
        write_workbook(case, out)
    assert len(openpyxl.load_workbook(io.BytesIO(out.getvalue()))["Timeline"]._charts) == 2


def test_a_returned_timeline_compares_cell_by_cell(small_xlsx, tmp_path):
    untouched = import_workbook(small_xlsx, tmp_path / "a.cwb")
    assert untouched.changes == []
    wb = openpyxl.load_workbook(small_xlsx)
    ws = wb["Timeline"]
    cell = next(c for row in ws.iter_rows() for c in row if c.value == FORMULA)
    cell.value = "changed"
    wb.save(tmp_path / "edited.xlsx")
    edited = import_workbook(tmp_path / "edited.xlsx", tmp_path / "b.cwb")
    assert [(c.sheet, c.cell, c.old, c.new) for c in edited.changes] == [
        ("Timeline", cell.coordinate, FORMULA, "changed")]
    del wb["Timeline"]
    wb.save(tmp_path / "removed.xlsx")
    removed = import_workbook(tmp_path / "removed.xlsx", tmp_path / "c.cwb")
    assert [(c.sheet, c.new) for c in removed.changes] == [("Timeline", "removed")]


def test_ticks_on_whole_hours_or_days():
    hours = scale_for(46_000.3, 46_000.45)  # under four hours
    assert hours.unit == 1 / 24 and hours.low <= 46_000.3 and hours.high >= 46_000.45
    assert round(hours.low * 24, 9) == int(round(hours.low * 24))
    days = scale_for(46_000.5, 46_008.2)
    assert days.unit == 1 and days.low == 46_000 and days.high == 46_009
    for first, last in [(0.0, 0.0), (10.0, 40_000.0), (46_000.0, 46_000.001)]:
        scale = scale_for(first, last)
        assert scale.low <= first and scale.high >= last and scale.high > scale.low
        assert (scale.high - scale.low) / scale.unit <= MAX_TICKS + 1e-9


def test_libreoffice_prints_the_timeline_on_one_page(demo_xlsx, tmp_path):
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.skip("LibreOffice is not installed")
    env = dict(os.environ, HOME=str(tmp_path / "home"))
    subprocess.run([soffice, "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path),
                    str(demo_xlsx)], env=env, timeout=180, capture_output=True, check=False)
    pdf = tmp_path / "demo.pdf"
    assert pdf.exists() and pdf.read_bytes().startswith(b"%PDF")
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext is not installed")
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True,
                          text=True, check=True).stdout
    pages = [page for page in text.split("\f") if re.search(r"^\s*Timeline\s+Page", page, re.M)]
    assert len(pages) == 1, "the Timeline prints on one page"
    page = pages[0]
    # Drawn by LibreOffice from the chart: its title, the lane names, the key moments.
    assert "Timeline — People v. Doe (demo) — General (common law)" in page
    assert "Close-up around the key moments" in page
    for words in ("Threats", "Witnesses", "Exhibits", "◆ act began", "◆ arrest",
                  "Post-event action"):
        assert words in page, words
    look = os.environ.get("WORKBOOK_LOOK_DIR")
    if look:  # for a person to look at the page: WORKBOOK_LOOK_DIR=/tmp/wb_look
        shutil.copy(pdf, Path(look) / "timeline.pdf")
