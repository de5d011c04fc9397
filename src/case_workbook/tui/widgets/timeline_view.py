"""The chronology as a picture: items on lanes along one time axis, drawn by
`views.timeline_draw` from what is on screen only, so zooming and moving
stay quick in a case of 10,000 items.

Keys: ←/→ the previous/next item, ↑/↓ the nearest item on the lane above or
below, [ and ] the previous/next key moment, + and - zoom around the
selected item, < and > move the view, f fits the whole case, enter opens the
item. The styles only add weight or reverse video: kinds are told apart by
letters and lanes, and nothing is coloured as good or bad.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from case_workbook.model.chronology import KeyMomentRef
from case_workbook.model.items import AnyItem, KeyMoment
from case_workbook.tui.widgets.item_table import one_line
from case_workbook.views.timeline import Mark, Timeline
from case_workbook.views.timeline_draw import GUTTER, Row, draw
from case_workbook.views.timeline_scale import Scale, fit

ROLES = ["plain", "info", "selected-line", "heading", "tick", "axis", "moment",
         "moment-name", "lane-name", "mark", "many", "span", "selected", "selected-span", "gap",
         "gap-label", "legend"]
EMPTY = ("Nothing dated to draw yet. Items with a date or time appear here on a lane "
         "for their kind. Press l for the list.")


class TimelineView(ScrollView, can_focus=True):
    COMPONENT_CLASSES = {f"timeline--{role}" for role in ROLES}
    DEFAULT_CSS = """
    TimelineView { background: $surface; }
    TimelineView > .timeline--info { color: $text-muted; }
    TimelineView > .timeline--selected-line { text-style: bold; }
    TimelineView > .timeline--heading { text-style: bold; }
    TimelineView > .timeline--tick { color: $text; }
    TimelineView > .timeline--axis { color: $text-muted; }
    TimelineView > .timeline--moment { text-style: bold; }
    TimelineView > .timeline--moment-name { text-style: bold; }
    TimelineView > .timeline--lane-name { text-style: bold; }
    TimelineView > .timeline--mark { text-style: bold; }
    TimelineView > .timeline--many { text-style: bold underline; }
    TimelineView > .timeline--span { color: $text-muted; }
    TimelineView > .timeline--selected { background: $accent 40%; text-style: bold reverse; }
    TimelineView:focus > .timeline--selected { background: $accent; color: $text;
                                               text-style: bold; }
    TimelineView > .timeline--selected-span { text-style: bold; }
    TimelineView > .timeline--gap { color: $text-muted; }
    TimelineView > .timeline--gap-label { text-style: italic; }
    TimelineView > .timeline--legend { color: $text-muted; }
    """
    BINDINGS = [
        Binding("right", "step(1)", "Next item", id="timeline.next"),
        Binding("left", "step(-1)", "Previous item", id="timeline.previous"),
        Binding("up", "lane(-1)", "Lane above", show=False, id="timeline.lane_up"),
        Binding("down", "lane(1)", "Lane below", show=False, id="timeline.lane_down"),
        Binding("right_square_bracket", "moment(1)", "Next key moment",
                id="timeline.next_moment"),
        Binding("left_square_bracket", "moment(-1)", "Previous key moment", show=False,
                id="timeline.previous_moment"),
        Binding("plus,equals_sign", "zoom(1)", "Zoom in", id="timeline.zoom_in"),
        Binding("minus", "zoom(-1)", "Zoom out", id="timeline.zoom_out"),
        Binding("greater_than_sign,shift+right", "pan(0.25)", "Later", show=False,
                id="timeline.pan_later"),
        Binding("less_than_sign,shift+left", "pan(-0.25)", "Earlier", show=False,
                id="timeline.pan_earlier"),
        Binding("home", "edge(0)", "First item", show=False, id="timeline.first"),
        Binding("end", "edge(-1)", "Last item", show=False, id="timeline.last"),
        Binding("f", "fit", "Fit the case", show=False, id="timeline.fit"),
        Binding("enter", "open", "Open", show=False, id="timeline.open"),
    ]

    class Highlighted(Message):
        def __init__(self, view: TimelineView, item_id: str | None) -> None:
            super().__init__()
            self.view, self.item_id = view, item_id

    class Selected(Message):
        def __init__(self, view: TimelineView, item_id: str) -> None:
            super().__init__()
            self.view, self.item_id = view, item_id

    def __init__(self, describe: Callable[[str], str] | None = None, *,
                 id: str | None = None) -> None:
        super().__init__(id=id)
        self.timeline = Timeline([], {})
        self.zone = "UTC"
        self.scale: Scale | None = None  # None: fitted to the case once the width is known
        self.fitted = True  # the scale is the whole case's, until a zoom or a move
        self.selected: str | None = None
        self.describe = describe or (lambda item_id: item_id)
        self._rows: list[Row] | None = None
        self._known: dict = {}  # marks by item id, reused from one filter keystroke to the next

    # --- data ------------------------------------------------------------------

    def set_items(self, items: list[AnyItem], moments: dict[KeyMoment, KeyMomentRef],
                  zone: str, keep: str | None = None, *, in_order: bool = False) -> None:
        """Draw `items` (the filtered chronology; `in_order` when it is in
        chronology order); keep the selection on `keep` if it is among them,
        else on the first item."""
        self.timeline = Timeline(items, moments, in_order=in_order, known=self._known)
        self.zone = zone
        marks = self.timeline.marks
        if keep not in self.timeline.position:
            keep = marks[0].item_id if marks else None
        if self.fitted:
            self.scale = None
        self._select(keep, announce=False)

    def _fitted(self) -> Scale | None:
        extent = self.timeline.extent()
        if extent is None:
            return None
        return fit(extent[0], extent[1], self._span())

    def _span(self) -> int:
        return max(self.scrollable_content_region.width - GUTTER, 10)

    @property
    def current(self) -> Mark | None:
        at = self.timeline.position.get(self.selected or "")
        return self.timeline.marks[at] if at is not None else None

    def _ready(self) -> bool:
        """Whether there is a scale to draw with (fitted once the width is known)."""
        if self.scale is None and self.timeline.marks and self.scrollable_content_region.width:
            self.scale = self._fitted()
        return self.scale is not None

    def _select(self, item_id: str | None, *, announce: bool = True) -> None:
        self.selected = item_id
        mark = self.current
        if mark is not None and self._ready():
            column = self.scale.column(mark.at)
            if not 1 <= column < self._span() - 1:
                self.fitted = False
                self.scale = self.scale.centred_on(mark.at, self._span())
            self._rows = None
            self._keep_lane_in_view(mark)
        self._changed()
        if announce:
            self.post_message(self.Highlighted(self, item_id))

    def _changed(self) -> None:
        self._rows = None
        self.virtual_size = Size(self.scrollable_content_region.width, len(self._picture()))
        self.refresh()

    def _picture(self) -> list[Row]:
        if self._rows is None:
            width = self.scrollable_content_region.width
            if not self._ready():
                self._rows = [Row("info", [(line, "info")]) for line in _wrap(EMPTY, width)]
            else:
                rows = draw(self.timeline, self.scale, width, self.zone, self.selected)
                if self.selected is not None:
                    said = "▶ " + one_line(self.describe(self.selected))
                    rows.insert(1, Row("selected", [(said[:width].ljust(width), "selected-line")]))
                self._rows = rows
        return self._rows

    def _keep_lane_in_view(self, mark: Mark) -> None:
        for y, row in enumerate(self._picture()):
            if row.tag == "lane" and row.lane is mark.kind:
                top = self.scroll_offset.y
                height = self.scrollable_content_region.height
                if not top <= y < top + height:
                    self.scroll_to(y=max(y - height // 2, 0), animate=False)
                return

    # --- drawing ---------------------------------------------------------------

    def on_resize(self, event: events.Resize) -> None:
        if self.fitted:
            self.scale = None
        self._changed()

    def render_line(self, y: int) -> Strip:
        rows = self._picture()
        width = self.scrollable_content_region.width
        index = self.scroll_offset.y + y
        base = self.rich_style
        if index >= len(rows):
            return Strip([Segment(" " * width, base)], width)
        segments = [Segment(text, base + self._style(role)) for text, role in rows[index].runs]
        return Strip(segments).crop_extend(0, width, base)

    def _style(self, role: str) -> Style:
        return self.get_component_rich_style(f"timeline--{role}", partial=True)

    # --- moving ----------------------------------------------------------------

    def action_step(self, by: int) -> None:
        marks = self.timeline.marks
        if not marks:
            return
        at = self.timeline.position.get(self.selected or "", -1 if by > 0 else len(marks))
        self._select(marks[min(max(at + by, 0), len(marks) - 1)].item_id)

    def action_edge(self, end: int) -> None:
        if self.timeline.marks:
            self._select(self.timeline.marks[end].item_id)

    def action_lane(self, by: int) -> None:
        mark, lanes = self.current, self.timeline.lanes
        if mark is None or mark.kind not in lanes:
            return
        at = lanes.index(mark.kind) + by
        if 0 <= at < len(lanes):
            found = self.timeline.nearest_in_lane(lanes[at], mark.at)
            if found is not None:
                self._select(found.item_id)

    def action_moment(self, by: int) -> None:
        moments = self.timeline.moments
        if not moments:
            self.notify("This case has no key moments yet (an event marked as the act, "
                        "the threat ending, arrest or surrender).", markup=False)
            return
        mark = self.current
        here = mark.at if mark is not None else moments[0].mark.at
        current = self.selected
        ahead = [m for m in moments if (m.mark.at > here or (m.mark.at == here and by > 0
                                                              and m.mark.item_id != current))]
        behind = [m for m in moments if m.mark.at < here]
        found = (ahead[0] if ahead else None) if by > 0 else (behind[-1] if behind else None)
        if found is None:
            return
        if found.mark.item_id in self.timeline.position:
            self._select(found.mark.item_id)
        elif self.scale is not None:  # filtered out of the picture: show where it is
            self.scale = self.scale.centred_on(found.mark.at, self._span())
            self._changed()

    def action_zoom(self, by: int) -> None:
        if self.scale is None:
            return
        mark = self.current
        anchor: datetime = mark.at if mark is not None else self.scale.instant(self._span() / 2)
        self.fitted = False
        self.scale = self.scale.zoomed(by, anchor, self.scale.column(anchor))
        if not 0 <= self.scale.column(anchor) < self._span():
            self.scale = self.scale.centred_on(anchor, self._span())
        self._changed()

    def action_pan(self, share: float) -> None:
        if self.scale is not None:
            self.fitted = False
            self.scale = self.scale.panned(share * self._span())
            self._changed()

    def action_fit(self) -> None:
        self.fitted = True
        self.scale = self._fitted()
        self._changed()

    def action_open(self) -> None:
        if self.selected is not None:
            self.post_message(self.Selected(self, self.selected))

    def on_click(self, event: events.Click) -> None:
        rows = self._picture()
        index = self.scroll_offset.y + event.y
        if self.scale is None or not 0 <= index < len(rows) or rows[index].tag != "lane":
            return
        column = event.x - GUTTER
        marks = [m for m in self.timeline.lane_marks(rows[index].lane)
                 if abs(self.scale.column(m.at) - column - 0.5) <= 1.5]
        if marks:
            best = min(marks, key=lambda m: abs(self.scale.column(m.at) - column - 0.5))
            self._select(best.item_id)
        if event.chain == 2 and self.selected is not None:
            self.action_open()


def _wrap(text: str, width: int) -> list[str]:
    words, lines, line = text.split(), [], ""
    for word in words:
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    return lines + [line]
