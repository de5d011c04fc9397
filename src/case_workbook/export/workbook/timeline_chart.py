"""The Timeline sheet's charts: native scatter charts drawn from the rows of
the sheet's own tables (see `timeline_sheet`), which a spreadsheet program
redraws from the cells.

What is drawn, and how it stays neutral
    x is the time (Excel date serials, the case's wall clock); y is a lane per
    kind, top to bottom in `LANES` order. The y numbers mean nothing and are
    not shown: each lane is named at its left end, and the legend shows each
    kind's marker. Kinds differ by marker shape first, then by black or grey
    fill, never by a colour that could read as a signal; no lines join marks.
    A span is an x error bar from the table's Minus/Plus columns (in days).
    A key moment is its own series: a dashed vertical line down through the
    lanes, labelled with its name at the top, each a little higher than the
    one before so that moments close in time keep their labels apart.

LibreOffice draws series from cell ranges only (not from literal values in
the chart), so even the lane names are read from cells.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from openpyxl.chart import ScatterChart
from openpyxl.chart.data_source import AxDataSource, NumDataSource, NumFmt, NumRef
from openpyxl.chart.error_bar import ErrorBars
from openpyxl.chart.label import DataLabel, DataLabelList
from openpyxl.chart.layout import Layout, ManualLayout
from openpyxl.chart.legend import Legend, LegendEntry
from openpyxl.chart.marker import Marker
from openpyxl.chart.series import SeriesLabel, XYSeries
from openpyxl.chart.shapes import GraphicalProperties
from openpyxl.chart.text import RichText
from openpyxl.descriptors import Typed
from openpyxl.drawing.line import LineProperties
from openpyxl.drawing.text import CharacterProperties, Paragraph, ParagraphProperties

from case_workbook.model.items import Kind

MARKERS: dict[Kind, tuple[str, str]] = {  # kind -> (marker shape, fill)
    Kind.THREAT: ("triangle", "000000"),
    Kind.WITNESS: ("circle", "808080"),
    Kind.COMMUNICATION: ("square", "B0B0B0"),
    Kind.ACTION: ("diamond", "000000"),
    Kind.EVENT: ("x", "000000"),
    Kind.EXHIBIT: ("star", "404040"),
}
INK, GREY, LIGHT = "000000", "606060", "D0D0D0"

# Tick spacing in days: the first that gives at most MAX_TICKS ticks is used
# (MAX_CLOCK_TICKS for ticks within a day, whose labels carry a time and are longer).
TICKS = [1 / 24, 2 / 24, 3 / 24, 6 / 24, 12 / 24, 1, 2, 7, 14, 28, 91, 182, 365, 730, 1826,
         3652, 7305, 18262, 36524]
MAX_TICKS, MAX_CLOCK_TICKS = 10, 7


@dataclass(frozen=True)
class Rows:
    """A range of rows in one column block of the sheet."""

    first: int
    last: int


@dataclass(frozen=True)
class Lane:
    """One kind's series: its name, its rows in the item table, its height."""

    kind: Kind
    name: str  # in the legend
    label: str  # at the lane's left end
    rows: Rows
    height: int
    has_spans: bool  # any mark with a span: only then are error bars drawn


@dataclass(frozen=True)
class MomentLine:
    """One key moment's series: its row in the key-moment table, its label."""

    name: str
    row: int
    height: float  # where its label sits; its line runs down below the lowest lane


@dataclass(frozen=True)
class Columns:
    """The sheet, and the letters of the columns the charts read."""

    sheet: str
    at: str  # the time of each mark (and of each lane name: an axis start)
    height: str
    minus: str
    plus: str


@dataclass(frozen=True)
class Scale:
    """An x axis: first and last Excel serial, the tick spacing."""

    low: float
    high: float
    unit: float

    @property
    def number_format(self) -> str:
        return "yyyy-mm-dd" if self.unit >= 1 else "yyyy-mm-dd hh:mm"


def scale_for(first: float, last: float) -> Scale:
    """Ticks on whole hours or days, at most MAX_TICKS of them, the ends on ticks."""
    span = max(last - first, 1 / 24)
    unit = next((u for u in TICKS if span / u <= (MAX_TICKS if u >= 1 else MAX_CLOCK_TICKS)),
                None)
    if unit is None:
        unit = float(math.ceil(span / MAX_TICKS))
    low = math.floor(first / unit) * unit if unit < 1 else float(math.floor(first))
    steps = max(1, math.ceil((last - low) / unit - 1e-9))
    return Scale(low, low + steps * unit, unit)


@dataclass(frozen=True)
class Drawing:
    """What one chart shows: its title, its x axis, where its lane names sit."""

    title: str
    scale: Scale
    lane_names: Rows  # rows of the lane table
    lane_name_column: str  # that table's column holding this chart's axis start
    legend: bool = True


class _TextLabel(DataLabel):
    """A data label whose number format is not the source's: LibreOffice
    applies a label's own format only when told the format is not linked."""

    numFmt = Typed(expected_type=NumFmt, allow_none=True)
    __elements__ = DataLabel.__elements__
    __attrs__ = ()
    __nested__ = tuple(n for n in DataLabel.__nested__ if n != "numFmt")


def _ref(cols: Columns, column: str, rows: Rows, source=NumDataSource):
    quoted = cols.sheet.replace("'", "''")
    return source(numRef=NumRef(f=f"'{quoted}'!${column}${rows.first}:${column}${rows.last}"))


def _line(colour: str, width_pt: float = 0.75, dash: str | None = None) -> LineProperties:
    return LineProperties(solidFill=colour, w=int(width_pt * 12700), prstDash=dash)


def _text(size_pt: float, bold: bool = False) -> RichText:
    props = CharacterProperties(sz=int(size_pt * 100), b=bold, solidFill=INK)
    return RichText(p=[Paragraph(pPr=ParagraphProperties(defRPr=props), endParaRPr=props)])


_QUIET = dict(showVal=False, showSerName=False, showLegendKey=False, showCatName=False,
              showPercent=False, showBubbleSize=False)


def _series(cols: Columns, name: str, rows: Rows, x_column: str | None = None) -> XYSeries:
    series = XYSeries(xVal=_ref(cols, x_column or cols.at, rows, AxDataSource),
                      yVal=_ref(cols, cols.height, rows), tx=SeriesLabel(v=name))
    series.graphicalProperties = GraphicalProperties(ln=LineProperties(noFill=True))
    series.smooth = False
    return series


def lane_series(cols: Columns, lane: Lane) -> XYSeries:
    series = _series(cols, lane.name, lane.rows)
    symbol, fill = MARKERS[lane.kind]
    series.marker = Marker(symbol=symbol, size=7,
                           spPr=GraphicalProperties(solidFill=fill, ln=_line(INK)))
    if lane.has_spans:
        series.errBars = ErrorBars(
            errDir="x", errBarType="both", errValType="cust", noEndCap=False,
            plus=_ref(cols, cols.plus, lane.rows), minus=_ref(cols, cols.minus, lane.rows),
            spPr=GraphicalProperties(ln=_line(GREY, 1.25)))
    return series


def moment_series(cols: Columns, moment: MomentLine) -> XYSeries:
    """A dashed line from the moment's label down through every lane."""
    series = _series(cols, moment.name, Rows(moment.row, moment.row))
    series.marker = Marker(symbol="none")
    series.errBars = ErrorBars(errDir="y", errBarType="minus", errValType="fixedVal",
                               val=round(moment.height - 0.5, 6), noEndCap=True,
                               spPr=GraphicalProperties(ln=_line(GREY, 1, "dash")))
    series.dLbls = DataLabelList(**{**_QUIET, "showSerName": True}, dLblPos="r",
                                 txPr=_text(8))
    return series


def lane_name_series(cols: Columns, lanes: list[Lane], drawing: Drawing) -> XYSeries:
    """Each lane's name left of the axis: a point per lane at the axis start,
    labelled with a number format that is the name itself (a label can show
    only a point's own values)."""
    series = _series(cols, "Lanes", drawing.lane_names, drawing.lane_name_column)
    series.marker = Marker(symbol="none")
    labels = [_TextLabel(idx=n, numFmt=NumFmt(formatCode=f'"{lane.label}"', sourceLinked=False),
                         **{**_QUIET, "showVal": True}, dLblPos="l", txPr=_text(8))
              for n, lane in enumerate(lanes)]
    series.dLbls = DataLabelList(dLbl=labels, **_QUIET)
    return series


def timeline_chart(cols: Columns, lanes: list[Lane], moments: list[MomentLine],
                   top: float, drawing: Drawing) -> ScatterChart:
    """A series per lane, one per key moment, then the lane names; `top` is
    the y axis maximum (lanes sit at 1…n, the moment labels above them)."""
    chart = ScatterChart(scatterStyle="lineMarker")
    chart.title = drawing.title
    chart.title.tx.rich.p[0].pPr.defRPr = CharacterProperties(sz=1100, b=True, solidFill=INK)
    chart.display_blanks = "gap"
    chart.series = ([lane_series(cols, lane) for lane in lanes]
                    + [moment_series(cols, moment) for moment in moments]
                    + [lane_name_series(cols, lanes, drawing)])
    scale = drawing.scale
    x = chart.x_axis
    x.scaling.min, x.scaling.max, x.majorUnit = scale.low, scale.high, scale.unit
    x.number_format = scale.number_format
    x.delete = False
    x.majorGridlines = None
    x.txPr = _text(8)
    x.spPr = GraphicalProperties(ln=_line(INK))
    y = chart.y_axis
    y.scaling.min, y.scaling.max, y.majorUnit = 0, top, 1
    y.delete = False
    y.number_format = ";;;"  # the lane numbers mean nothing: the lanes are named
    y.majorTickMark = "none"
    y.majorGridlines.spPr = GraphicalProperties(ln=_line(LIGHT, 0.5))
    y.spPr = GraphicalProperties(ln=_line(INK))
    if drawing.legend:
        chart.legend = Legend(legendPos="b", txPr=_text(9))
        # The key moments and lane names are written on the chart itself.
        chart.legend.legendEntry = [LegendEntry(idx=n, delete=True)
                                    for n in range(len(lanes), len(chart.series))]
    else:
        chart.legend = None
    chart.plot_area.layout = Layout(manualLayout=ManualLayout(
        layoutTarget="inner", xMode="edge", yMode="edge", x=0.09, y=0.11, w=0.88,
        h=0.72 if drawing.legend else 0.78))
    return chart
