"""The timeline as rows of characters, for a terminal: an axis with ticks,
the key moments as ◆ and vertical lines, a lane per kind with each item's
letter (a span as a bracket), and the gaps between key moments and the
nearest threat as labelled brackets. No UI code: each row is a list of
(text, role) runs; the terminal view gives each role a style. Kinds are told
apart by letters and lanes, never by colour alone.

Only what falls inside the visible columns is looked at (see
`Timeline.visible`), so drawing costs the same in a case of any size.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import datetime

from case_workbook.views.timeline import LANE_NAME, LETTER, Mark, Timeline
from case_workbook.views.timeline_scale import Scale, first_heading, step_words, ticks

GUTTER = 10  # "T Threats│"
TAIL = 3  # columns of an open end's tail: ◂┈┈T
LEGEND = ["[─T─] the time lies somewhere in the bracket", "◂┈T before", "T┈▸ after",
          "2 two items in one column", "◆│ key moment", "├─┤ time to the nearest threat"]


@dataclass
class Row:
    """One line of the picture. `lane` is the kind of a lane row, for clicks."""

    tag: str  # "info", "heading", "ticks", "axis", "moments", "lane", "gap", "legend"
    runs: list[tuple[str, str]] = field(default_factory=list)
    lane: object = None

    @property
    def text(self) -> str:
        return "".join(t for t, _ in self.runs)


class _Line:
    """A row being drawn: one character and one role per column."""

    def __init__(self, width: int) -> None:
        self.chars = [" "] * width
        self.roles = ["plain"] * width

    def put(self, column: int, text: str, role: str, *, over: bool = True) -> None:
        for n, char in enumerate(text):
            c = column + n
            if 0 <= c < len(self.chars) and (over or self.chars[c] == " "):
                self.chars[c], self.roles[c] = char, role

    def free(self, first: int, last: int) -> bool:
        columns = range(max(first, 0), min(last + 1, len(self.chars)))
        return all(self.chars[c] == " " for c in columns)

    def runs(self) -> list[tuple[str, str]]:
        out: list[tuple[str, str]] = []
        for char, role in zip(self.chars, self.roles):
            if out and out[-1][1] == role:
                out[-1] = (out[-1][0] + char, role)
            else:
                out.append((char, role))
        return out


def _column(scale: Scale, when: datetime) -> int:
    return math.floor(scale.column(when))


def draw(timeline: Timeline, scale: Scale, width: int, zone: str,
         selected: str | None = None, *, legend: bool = True) -> list[Row]:
    """The whole picture `width` characters wide (the lane names included)."""
    span = max(width - GUTTER, 1)
    rows = [_info(scale, span, zone, width)]
    tick_list = ticks(scale, span, zone)
    rows += _axis(scale, span, zone, tick_list, timeline)
    moment_columns = [_column(scale, m.mark.at) for m in timeline.moments]
    rows += _moment_labels(timeline, scale, span)
    start, end = scale.instant(-TAIL), scale.instant(span + TAIL)
    for kind in timeline.lanes:
        line = _Line(span)
        for column in moment_columns:
            line.put(column, "│", "moment")
        _lane(line, timeline.visible(kind, start, end), scale, selected)
        name = f"{LETTER[kind]} {LANE_NAME[kind]}"[:GUTTER - 1].ljust(GUTTER - 1)
        rows.append(Row("lane", [(name, "lane-name"), ("│", "axis"), *line.runs()], kind))
    rows += _gaps(timeline, scale, span, moment_columns)
    if legend:
        rows += _legend(width)
    return rows


def _info(scale: Scale, span: int, zone: str, width: int) -> Row:
    first = scale.instant(0).astimezone(_zone(zone))
    last = scale.instant(span).astimezone(_zone(zone))
    text = (f"One column is {step_words(scale.seconds)} · {_short(first)} to {_short(last)} "
            f"· {zone}")
    return Row("info", [(text[:width].ljust(width), "info")])


def _short(t: datetime) -> str:
    from case_workbook.model.clock import MONTH_SHORT

    return f"{t.day} {MONTH_SHORT[t.month - 1]} {t.year} {t:%H:%M}"


def _zone(zone: str):
    from case_workbook.model.clock import get_zone

    return get_zone(zone)


def _axis(scale: Scale, span: int, zone: str, tick_list, timeline: Timeline) -> list[Row]:
    heading, labels, axis = _Line(span), _Line(span), _Line(span)
    axis.put(0, "─" * span, "axis")
    # The left edge says which day (month, year) the picture starts in,
    # unless a tick's own heading begins too close to it.
    first = first_heading(scale, zone)
    headed = [t for t in tick_list if t.heading]
    if first and not (headed and headed[0].column <= len(first) + 1):
        heading.put(0, first, "heading")
    for tick in tick_list:
        axis.put(tick.column, "┬", "axis")
        if labels.free(tick.column - 1, tick.column + len(tick.label)):
            labels.put(tick.column, tick.label, "tick")
        if tick.heading and heading.free(tick.column - 1, tick.column + len(tick.heading)):
            heading.put(tick.column, "┊" + tick.heading[:span], "heading")
    for moment in timeline.moments:
        axis.put(_column(scale, moment.mark.at), "◆", "moment")
    pad = [(" " * GUTTER, "plain")]
    return [Row("heading", pad + heading.runs()), Row("ticks", pad + labels.runs()),
            Row("axis", [(" " * (GUTTER - 1), "plain"), ("┼", "axis")] + axis.runs())]


def _moment_labels(timeline: Timeline, scale: Scale, span: int) -> list[Row]:
    """The key moments' names by their columns; moments too close together
    for separate labels share one ("◆ act began, act ended, arrest")."""
    groups: list[tuple[int, str]] = []
    for moment in timeline.moments:
        column = _column(scale, moment.mark.at)
        if not 0 <= column < span:
            continue
        if groups and column <= groups[-1][0] + len(groups[-1][1]) + 1:
            groups[-1] = (groups[-1][0], f"{groups[-1][1]}, {moment.label}")
        else:
            groups.append((column, "◆ " + moment.label))
    lines: list[_Line] = []
    for column, text in groups:
        text = text if len(text) <= span else text[:span - 1] + "…"
        start = min(column, span - len(text))
        for line in lines:
            if line.free(start - 1, start + len(text)):
                break
        else:
            line = _Line(span)
            lines.append(line)
        line.put(start, text, "moment-name")
    pad = [(" " * GUTTER, "plain")]
    return [Row("moments", pad + line.runs()) for line in lines]


def _lane(line: _Line, marks: list[Mark], scale: Scale, selected: str | None) -> None:
    spans: list[tuple[int, int]] = []
    at: dict[int, list[Mark]] = {}
    chosen: Mark | None = None
    for mark in marks:
        column = _column(scale, mark.at)
        at.setdefault(column, []).append(mark)
        if mark.item_id == selected:
            chosen = mark
        if mark.low is not None and mark.high is not None:
            first, last = scale.cells(mark.low, mark.high)
            if last > first:
                spans.append((first, last))
        elif mark.low is None:  # before: the tail points back into the past
            line.put(column - TAIL, "◂" + "┈" * (TAIL - 1), "span", over=False)
        else:
            line.put(column + 1, "┈" * (TAIL - 1) + "▸", "span", over=False)
    for first, last in spans:
        _bracket(line, first, last, "span")
    for column, found in at.items():
        char = LETTER[found[0].kind] if len(found) == 1 else (
            str(len(found)) if len(found) < 10 else "+")
        line.put(column, char, "mark" if len(found) == 1 else "many")
    if chosen is not None:  # drawn last, so the selected item is never hidden
        if chosen.low is not None and chosen.high is not None:
            first, last = scale.cells(chosen.low, chosen.high)
            if last > first:
                _bracket(line, first, last, "selected-span", keep=set(at))
        line.put(_column(scale, chosen.at), LETTER[chosen.kind], "selected")


def _bracket(line: _Line, first: int, last: int, role: str, keep: set[int] = frozenset()) -> None:
    """`[───]` from `first` to `last`, leaving the columns in `keep` (other
    items' letters) as they are."""
    for column in range(max(first, -1), min(last, len(line.chars)) + 1):
        if column in keep:
            continue
        char = "[" if column == first else "]" if column == last else "─"
        line.put(column, char, role)


def _gaps(timeline: Timeline, scale: Scale, span: int, moment_columns: list[int]) -> list[Row]:
    lines: list[_Line] = []
    for gap in timeline.gaps:
        a, b = _column(scale, gap.threat.at), _column(scale, gap.moment.mark.at)
        low, high = min(a, b), max(a, b)
        if high < 0 or low >= span:
            continue
        room = high - low - 1
        # The whole sentence inside the bracket if it fits, else the size
        # alone inside it (the bracket's end shows the moment), else beside it.
        label = f" {gap.words} "
        if room < len(label) + 2 and room >= len(gap.label) + 4:
            label = f" {gap.label} "
        if room >= len(label) + 2:
            where = low + 1 + (room - len(label)) // 2
        elif high + 1 + len(label) <= span or low - len(label) < 0:
            where = high + 1  # beside it; cut at the right edge rather than lose its start
        else:
            where = low - len(label)
        extent = (min(low, where), max(high, where + len(label) - 1))
        for line in lines:
            if line.free(extent[0] - 1, extent[1] + 1):
                break
        else:
            line = _Line(span)
            for column in moment_columns:
                line.put(column, "│", "moment")
            lines.append(line)
        if high == low:
            line.put(low, "┼", "gap")
        else:
            line.put(low, "├" + "─" * (high - low - 1) + "┤", "gap")
        line.put(where, label, "gap-label")
    pad = [(" " * (GUTTER - 1), "plain"), ("│", "axis")]
    return [Row("gap", pad + line.runs()) for line in lines]


def _legend(width: int) -> list[Row]:
    rows: list[str] = []
    current = ""
    for piece in LEGEND:
        joined = f"{current}   {piece}" if current else piece
        if len(joined) <= width or not current:
            current = joined
        else:
            rows.append(current)
            current = piece
    rows.append(current)
    return [Row("legend", [(text[:width].ljust(width), "legend")]) for text in rows]
