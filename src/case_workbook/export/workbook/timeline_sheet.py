"""The Timeline sheet: every dated item on a time axis, a lane per kind, the
key moments marked (native charts, `timeline_chart`), and below them the
rows the charts are drawn from.

Rows, from the top: the title; three caption lines; CHART_ROWS rows of fixed
height under the charts (the print area: one landscape page) — the whole
timeline and, when the key moments sit close together, a close-up around
them; then four tables, each a bold heading and a header row: the dated
items lane by lane (a series reads one range of rows), the lanes, the key
moments, and the time between each key moment and the threat nearest to it.
They are not Excel tables: sorting one would move rows under the charts'
cell ranges. The rows depend only on the case, so a returned workbook's
Timeline compares cell by cell with the one sent.

Times are the case zone's wall clock (a spreadsheet has no time zones), so
the axis reads as local time; the words beside each item keep its own zone.
"""

from __future__ import annotations

import math
from datetime import datetime, timedelta

from openpyxl.drawing.spreadsheet_drawing import AnchorMarker, TwoCellAnchor
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import from_excel, to_excel

from case_workbook.model.chronology import KEY_MOMENT_MARK, KEY_MOMENT_PHRASE, KeyMomentRef
from case_workbook.model.clock import get_zone
from case_workbook.model.items import KeyMoment
from case_workbook.views.timeline import LANE_NAME, SERIES_NAME, Mark, Timeline

from .cells import (
    MAX_LINES,
    Stamp,
    encode_cell_text,
    line_count,
    number_cell,
    row_height,
    split_cell_text,
    stamp_cell,
    text_cell,
)
from .layout import Context, WholeItems
from .timeline_chart import (
    Columns,
    Drawing,
    Lane,
    MomentLine,
    Rows,
    Scale,
    scale_for,
    timeline_chart,
)
from .writer import finish, prepare

SHEET = "Timeline"
NOTHING_DATED = ("Nothing in this case is dated yet, so there is no timeline to draw. "
                 "Items with a when (even a day or a month only) appear here.")

# (title, width) of the item table's columns; the other tables use the same columns.
COLUMNS = [("Id", 10), ("Kind", 14), ("Chart height", 8), ("Plotted at", 17),
           ("Earliest", 17), ("Latest", 17), ("Minus (days)", 10), ("Plus (days)", 10),
           ("When (in words)", 34), ("Summary", 40)]
READ = Columns(SHEET, at="D", height="C", minus="G", plus="H")
LANE_HEADER = ["Lane", "Kind", "Chart height", "Name drawn at", "In the close-up",
               "Items drawn"]
MOMENT_HEADER = ["Id", "Key moment", "Chart height", "Plotted at", "Earliest", "Latest",
                 None, None, "When (in words)", "Summary"]
GAP_HEADER = ["Threat", "Key moment", None, "Threat plotted at", "Key moment plotted at",
              None, None, None, "Time between", "Threat relative to the key moment"]

CHART_TOP = 5  # after the title and three caption lines
CHART_ROWS = 42  # the charts' rows, all of them the print area: one landscape page
ROW_POINTS = 15.0  # the charts' rows are this tall, so their height is known
CHART_COLUMNS_WIDE = 9  # A to I: the charts' width, and the print area's
TITLE_LIMIT = 120  # characters of the case title in headings (the Cover has all of it)
STAMP_FORMAT = "yyyy-mm-dd hh:mm"
CLOSE_UP = 0.4  # a close-up is drawn when the key moments span less than this of the whole
CLOSE_UP_MARGIN = 3 / 24  # days shown at least, each side of the key moments, in a close-up


def timeline_sheet(wb, ctx: Context) -> None:
    ws = wb.create_sheet(SHEET)
    prepare(ws, [w for _, w in COLUMNS], freeze=None, title_rows=None)
    ws.page_setup.fitToHeight = 1  # the charts on one landscape page
    ws.print_options.gridLines = False
    case = ctx.index.case
    refs = ctx.index.key_moments()
    drawn = Timeline(ctx.index.items.values(), refs)
    names = [case.header.title, case.framework.name]
    _line(ws, " — ".join(["Timeline"] + [n for n in names if n]), bold=True)  # verbatim
    if not drawn.marks:
        _line(ws, NOTHING_DATED)
        finish(ws)
        return
    clock = Clock(case.settings.default_tz)
    plan = Plan(drawn, clock, chart_title(*names))
    for sentence in caption(clock.name, close_up=len(plan.charts) > 1):
        _line(ws, sentence)
    if not getattr(ws, "records_values", False):  # a sheet that records values draws nothing
        for top, rows, drawing in plan.charts:
            chart = timeline_chart(READ, plan.lanes, plan.moments, plan.top, drawing)
            ws.add_chart(chart, _cells_under(top, rows))
        last = get_column_letter(CHART_COLUMNS_WIDE)
        ws.print_area = f"A1:{last}{CHART_TOP + CHART_ROWS - 1}"
    for _ in range(CHART_ROWS):
        ws.append([], height=ROW_POINTS)
    _write_items(ws, ctx, plan, clock)
    _write_lanes(ws, plan)
    _write_moments(ws, ctx, plan, drawn, refs, clock)
    _write_gaps(ws, ctx, drawn, clock)
    finish(ws)


def chart_title(title: str, framework: str) -> str:
    """'Timeline — <case> — <framework>', on one line, short, without the
    characters a chart's XML cannot hold (the title row above has the text as typed)."""
    parts = [_printable(p) for p in (title, framework)]
    parts = [p if len(p) <= TITLE_LIMIT else p[:TITLE_LIMIT - 1] + "…" for p in parts if p]
    return " — ".join(["Timeline"] + parts)


def _printable(text: str) -> str:
    return " ".join("".join(ch for ch in text if encode_cell_text(ch) == ch).split())


def caption(zone: str, close_up: bool) -> list[str]:
    return [
        "Each dated item is a mark on its kind's lane, at its time; a bar across a mark is "
        "the span its time may lie in.",
        "An item known only as before or after a time has no bar. Dashed lines are the key "
        "moments" + ("; the second chart is a close-up around them." if close_up else "."),
        f"Times are wall-clock times in the case's zone, {zone} (a spreadsheet has no time "
        "zones). The charts are drawn from the rows below them.",
    ]


class Clock:
    """Instants as the case zone's wall clock, naive, for date cells."""

    def __init__(self, zone: str) -> None:
        self.name, self.zone = zone, get_zone(zone)

    def wall(self, instant: datetime) -> datetime:
        return instant.astimezone(self.zone).replace(tzinfo=None)

    def serial(self, instant: datetime) -> float:
        return to_excel(self.wall(instant))

    def stamp(self, instant: datetime | None) -> Stamp | None:
        return Stamp(self.wall(instant), STAMP_FORMAT) if instant is not None else None

    def place(self, mark: Mark) -> tuple[datetime, datetime | None, datetime | None]:
        """Where a mark is drawn and its earliest and latest times, as wall clock."""
        return (self.wall(mark.at), self.wall(mark.low) if mark.low is not None else None,
                self.wall(mark.high) if mark.high is not None else None)


def days(start: datetime | None, end: datetime | None) -> float | None:
    """The wall-clock time from start to end in days (as the axis measures it)."""
    if start is None or end is None:
        return None
    # Rounded: written and read back as the same number (9 places is 0.1 ms).
    return round(max((end - start).total_seconds() / 86_400, 0.0), 9)


class Plan:
    """Where each table's rows go, and the charts that read them."""

    def __init__(self, drawn: Timeline, clock: Clock, title: str) -> None:
        row = CHART_TOP + CHART_ROWS + 3  # after a blank row, a heading and a header
        self.lanes: list[Lane] = []
        self.marks: list[Mark] = []  # lane by lane, in chronology order within each
        count = len(drawn.lanes)
        for n, kind in enumerate(drawn.lanes):
            own = [m for m in drawn.marks if m.kind is kind]
            self.lanes.append(Lane(kind, SERIES_NAME[kind], LANE_NAME[kind],
                                   Rows(row, row + len(own) - 1), count - n,
                                   any(_has_span(m) for m in own)))
            self.marks += own
            row += len(own)
        lane_rows = Rows(row + 3, row + 2 + count)
        row = lane_rows.last + 4
        # Each key moment's label a little higher than the one before.
        self.moments = [MomentLine(f"{KEY_MOMENT_MARK} {moment.label}", row + n,
                                   round(count + 0.8 + 0.45 * n, 2))
                        for n, moment in enumerate(drawn.moments)]
        self.top = math.ceil(max([m.height for m in self.moments] + [count]) + 0.5)
        first, last = drawn.extent()  # type: ignore[misc]  # there are marks
        whole = _padded(clock.serial(first), clock.serial(last), 0.02, at_least=1 / 24)
        drawings = [Drawing(title, whole, lane_rows, "D")]
        if drawn.moments:
            low = min(clock.serial(m.mark.first) for m in drawn.moments)
            high = max(clock.serial(m.mark.last) for m in drawn.moments)
            near = _padded(low, high, 0.25, at_least=CLOSE_UP_MARGIN)
            if near.high - near.low < CLOSE_UP * (whole.high - whole.low):
                words = f"{_serial_text(near.low)} to {_serial_text(near.high)}"
                drawings.append(Drawing(f"Close-up around the key moments, {words}", near,
                                        lane_rows, "E", legend=False))
        self.close_up = drawings[1].scale if len(drawings) > 1 else None
        rows = CHART_ROWS // len(drawings)
        self.charts = [(CHART_TOP + n * rows, rows, d) for n, d in enumerate(drawings)]
        self.axis_start = whole.low


def _has_span(mark: Mark) -> bool:
    """Both ends known and apart: an open-ended when has no bar."""
    return mark.low is not None and mark.high is not None and mark.low != mark.high


def _padded(low: float, high: float, share: float, at_least: float = 0.0) -> Scale:
    pad = max((high - low) * share, at_least)
    return scale_for(low - pad, high + pad)


def _serial_text(serial: float) -> str:
    return f"{from_excel(serial):%Y-%m-%d %H:%M}"


def _cells_under(top: int, rows: int) -> TwoCellAnchor:
    """A chart over columns A to CHART_COLUMNS_WIDE of its rows: sized by the
    cells, it fills the print area whatever width a program gives a column."""
    anchor = TwoCellAnchor()
    anchor._from = AnchorMarker(col=0, row=top - 1)
    anchor.to = AnchorMarker(col=CHART_COLUMNS_WIDE, row=top - 1 + rows)
    return anchor


def _line(ws, text: str, *, bold: bool = False) -> None:
    ws.append([text_cell(ws, split_cell_text(text)[0], bold=bold, wrap=False)],
              height=18.0 if bold else None)


def _text(ws, text: str | None, link: str | None = None, bold: bool = False):
    if not text:
        return None
    return text_cell(ws, split_cell_text(text)[0], link=link, bold=bold)


def _header(ws, heading: str, titles: list[str | None]) -> None:
    ws.append([])
    ws.append([text_cell(ws, heading, bold=True, wrap=False)])
    ws.append([_text(ws, t, bold=True) for t in titles])


def _number(ws, value: float | None):
    return number_cell(ws, value) if value is not None else None


def _height(*texts: tuple[str | None, float]) -> float:
    lines = max(line_count(t, w, MAX_LINES) if t else 1 for t, w in texts)
    return row_height(lines)


def _write_items(ws, ctx: Context, plan: Plan, clock: Clock) -> None:
    _header(ws, "Dated items as drawn, each kind's rows together in time order (the charts "
            "read these rows: sorting them changes the charts)",
            [t for t, _ in COLUMNS])
    heights = {lane.kind: number_cell(ws, lane.height) for lane in plan.lanes}
    kinds = {lane.kind: _text(ws, lane.name) for lane in plan.lanes}
    measure = not getattr(ws, "records_values", False)  # row heights matter on paper only
    # Read whole for their words (the index holds briefs), a batch at a time.
    items = WholeItems(ctx.index, [m.item_id for m in plan.marks])
    for mark, item in zip(plan.marks, items, strict=True):
        when = item.when_value()
        words = when.describe() if when is not None else None
        at, low, high = clock.place(mark)
        ws.append([
            _text(ws, mark.item_id, link=ctx.link(mark.item_id).location),
            kinds[mark.kind],
            heights[mark.kind],
            *_times(ws, at, low, high),
            _number(ws, days(low, at)),
            _number(ws, days(at, high)),
            _text(ws, words),
            _text(ws, item.summary),
        ], height=_height((words, 34), (item.summary, 40)) if measure else None)


def _times(ws, at: datetime, low: datetime | None, high: datetime | None) -> list:
    """Plotted at, earliest, latest: date cells (an open side says so)."""
    return [stamp_cell(ws, Stamp(at, STAMP_FORMAT)),
            _stamp_or(ws, low, "none known"), _stamp_or(ws, high, "none known")]


def _stamp_or(ws, wall: datetime | None, missing: str):
    return stamp_cell(ws, Stamp(wall, STAMP_FORMAT)) if wall is not None else text_cell(ws, missing)


def _write_lanes(ws, plan: Plan) -> None:
    _header(ws, "Lanes, top to bottom (each name is drawn at the start of the time axis)",
            LANE_HEADER)
    counts = {lane.kind: lane.rows.last - lane.rows.first + 1 for lane in plan.lanes}
    for lane in plan.lanes:
        ws.append([
            _text(ws, lane.label),
            _text(ws, lane.name),
            number_cell(ws, lane.height),
            _axis_start(ws, plan.axis_start),
            _axis_start(ws, plan.close_up.low) if plan.close_up else None,
            number_cell(ws, counts[lane.kind]),
        ])


def _axis_start(ws, serial: float):
    # A minute inside the axis: a point that rounding put just before it would not be drawn.
    return stamp_cell(ws, Stamp(from_excel(serial) + timedelta(minutes=1), STAMP_FORMAT))


def _write_moments(ws, ctx: Context, layout: Plan, drawn: Timeline,
                   refs: dict[KeyMoment, KeyMomentRef], clock: Clock) -> None:
    _header(ws, "Key moments: the dashed lines", MOMENT_HEADER)
    for moment, line in zip(drawn.moments, layout.moments, strict=True):
        event = refs[moment.moment].event  # key-moment events are held whole
        words = event.when.describe()
        ws.append([
            _text(ws, event.id, link=ctx.link(event.id).location),
            _text(ws, line.name),
            number_cell(ws, line.height),
            *_times(ws, *clock.place(moment.mark)),
            None, None,
            _text(ws, words),
            _text(ws, event.summary),
        ], height=_height((words, 34), (event.summary, 40)))
    if not drawn.moments:
        ws.append([_text(ws, "None: no event is marked as a key moment.")])


def _write_gaps(ws, ctx: Context, drawn: Timeline, clock: Clock) -> None:
    _header(ws, "Time between each key moment and the threat nearest to it", GAP_HEADER)
    for gap in drawn.gaps:
        words = gap.interval.describe(KEY_MOMENT_PHRASE[gap.moment.moment])
        ws.append([
            _text(ws, gap.threat.item_id, link=ctx.link(gap.threat.item_id).location),
            _text(ws, f"{KEY_MOMENT_MARK} {gap.moment.label}"),
            None,
            stamp_cell(ws, clock.stamp(gap.threat.at)),
            stamp_cell(ws, clock.stamp(gap.moment.mark.at)),
            None, None, None,
            _text(ws, gap.label),
            _text(ws, words),
        ])
    if not drawn.gaps:
        ws.append([_text(ws, "None: the case has no key moment, or no dated threat.")])
