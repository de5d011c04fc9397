"""A list of items that draws only the lines on screen.

DataTable lays out every cell before showing anything (seconds at 10,000 rows),
so this widget keeps the rows as a plain list and renders each visible line on
demand from the columns' text getters. User text is turned into segments
directly, never parsed as markup.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from case_workbook.model.items import AnyItem
from case_workbook.views.columns import Column

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
_SHOWN = {"\n": "⏎", "\r": "", "\t": " "}


def one_line(text: str) -> str:
    """User text on one line: line breaks shown as ⏎, control characters as
    visible symbols, so nothing can move the cursor or change the terminal."""
    return _CONTROL.sub(lambda m: _SHOWN.get(m.group(), _control_picture(m.group())), text)


_CONTROL_KEEP_LINES = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def visible(text: str) -> str:
    """User text for a multi-line view: line breaks kept, every other control
    character shown as a visible symbol, so that an escape sequence in a
    pasted message can never reach the terminal."""
    text = text.replace("\r\n", "\n").replace("\t", "    ")
    return _CONTROL_KEEP_LINES.sub(lambda m: _control_picture(m.group()), text)


def _control_picture(char: str) -> str:
    code = ord(char)
    if code < 0x20:
        return chr(0x2400 + code)  # ␀ ␁ … ␟
    return "␡" if code == 0x7F else "�"


def fit(text: str, width: int) -> str:
    """Cut or pad `text` to exactly `width` cells (wide characters counted)."""
    if width <= 0:
        return ""
    if cell_len(text) <= width:
        return text + " " * (width - cell_len(text))
    out, used = [], 0
    for char in text:
        size = cell_len(char)
        if used + size > width - 1:
            break
        out.append(char)
        used += size
    # Keep right-to-left runs from reordering the cell edge: isolate the text.
    cut = "".join(out)
    if any(unicodedata.bidirectional(c) in ("R", "AL") for c in cut):
        cut = "\u2068" + cut + "\u2069"
    return cut + "…" + " " * (width - used - 1)


@dataclass
class SortState:
    key: str
    descending: bool = False


class ItemTable(ScrollView, can_focus=True):
    """Rows of items under a header; a cursor row; sortable columns."""

    COMPONENT_CLASSES = {"item-table--header", "item-table--cursor", "item-table--stripe"}
    DEFAULT_CSS = """
    ItemTable { background: $surface; }
    ItemTable > .item-table--header { text-style: bold; background: $panel; }
    ItemTable > .item-table--cursor { background: $accent 40%; text-style: bold; }
    ItemTable:focus > .item-table--cursor { background: $accent; color: $text; }
    ItemTable > .item-table--stripe { background: $boost; }
    """
    BINDINGS = [
        Binding("up", "cursor(-1)", "Up", show=False, id="table.up"),
        Binding("down", "cursor(1)", "Down", show=False, id="table.down"),
        Binding("pageup", "page(-1)", "Page up", show=False, id="table.page_up"),
        Binding("pagedown", "page(1)", "Page down", show=False, id="table.page_down"),
        Binding("home", "jump(0)", "First", show=False, id="table.first"),
        Binding("left", "pan(-8)", "Scroll left", show=False, id="table.left"),
        Binding("right", "pan(8)", "Scroll right", show=False, id="table.right"),
        Binding("end", "jump(-1)", "Last", show=False, id="table.last"),
        Binding("enter", "select", "Open", show=False, id="table.select"),
        Binding("s", "next_sort", "Sort", show=False, id="table.sort"),
        Binding("S", "reverse_sort", "Reverse sort", show=False, id="table.reverse_sort"),
    ]

    cursor = reactive(0, always_update=True, init=False)

    class Highlighted(Message):
        def __init__(self, table: ItemTable, item: AnyItem | None) -> None:
            super().__init__()
            self.table, self.item = table, item

    class Selected(Message):
        def __init__(self, table: ItemTable, item: AnyItem) -> None:
            super().__init__()
            self.table, self.item = table, item

    class Sorted(Message):
        def __init__(self, table: ItemTable, sort: SortState | None) -> None:
            super().__init__()
            self.table, self.sort = table, sort

    def __init__(self, text_of: Callable[[Column, AnyItem], str], *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._text_of = text_of
        self.columns: list[Column] = []
        self.rows: list[AnyItem] = []
        self.sort: SortState | None = None
        self.empty_text = ""  # said on the list when it has no rows
        self._widths: list[int] = []
        self._line_cache: dict[int, list[str]] = {}

    # --- data --------------------------------------------------------------------

    def set_columns(self, columns: list[Column]) -> None:
        self.columns = columns
        self._layout_columns()

    def set_rows(self, rows: list[AnyItem], keep: str | None = None) -> None:
        """Show `rows`; keep the cursor on the item with id `keep` if present."""
        self.rows = rows
        self._line_cache.clear()
        self.virtual_size = Size(max(self._line_width(self._widths), self.size.width),
                                 len(rows) + 1)
        target = 0
        if keep is not None:
            target = next((n for n, item in enumerate(rows) if item.id == keep), 0)
        self.cursor = min(target, max(len(rows) - 1, 0))
        self.refresh()

    def redraw(self) -> None:
        """Draw the rows again: what their cells say changed, not the rows."""
        self._line_cache.clear()
        self.refresh()

    @property
    def current(self) -> AnyItem | None:
        return self.rows[self.cursor] if 0 <= self.cursor < len(self.rows) else None

    def watch_cursor(self, value: int) -> None:
        self._scroll_to_cursor()
        self.refresh()
        self.post_message(self.Highlighted(self, self.current))

    # --- layout ------------------------------------------------------------------

    def on_resize(self, event: events.Resize) -> None:
        self._layout_columns()

    def _layout_columns(self) -> None:
        """Columns get their preferred widths; spare room goes to the flexible
        ones. When they do not fit, the list scrolls sideways (left/right)
        rather than cutting every column down to a few letters."""
        width = max(self.size.width, 20)
        wanted = [c.width for c in self.columns]
        spare = width - self._line_width(wanted)
        flexible = [n for n, c in enumerate(self.columns) if c.flexible]
        if spare > 0 and flexible:
            for n in flexible:
                wanted[n] += spare // len(flexible)
        self._widths = wanted
        self.virtual_size = Size(max(self._line_width(wanted), width), len(self.rows) + 1)
        self._line_cache.clear()
        self.refresh()

    @staticmethod
    def _line_width(widths: list[int]) -> int:
        return 1 + sum(widths) + max(len(widths) - 1, 0)

    # --- drawing -----------------------------------------------------------------

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        if y == 0:
            return self._header_strip(width)
        index = self.scroll_offset.y + y - 1
        if not self.rows and y == 2 and self.empty_text:
            return self._visible_part("  " + self.empty_text, self.rich_style, width)
        if index >= len(self.rows):
            return Strip.blank(width, self.rich_style)
        if index == self.cursor:
            style = self.get_component_rich_style("item-table--cursor")
            marker = "▶"
        elif index % 2:
            style = self.get_component_rich_style("item-table--stripe")
            marker = " "
        else:
            style, marker = self.rich_style, " "
        cells = self._cells(index)
        text = marker + " ".join(fit(cell, w) for cell, w in zip(cells, self._widths))
        return self._visible_part(text, style, width)

    def _visible_part(self, text: str, style: Style, width: int) -> Strip:
        scroll_x = int(self.scroll_offset.x)
        strip = Strip([Segment(text, style)])
        return strip.crop_extend(scroll_x, scroll_x + width, style)

    def _cells(self, index: int) -> list[str]:
        cells = self._line_cache.get(index)
        if cells is None:
            item = self.rows[index]
            cells = [one_line(self._text_of(column, item)) for column in self.columns]
            if len(self._line_cache) > 2000:
                self._line_cache.clear()
            self._line_cache[index] = cells
        return cells

    def _header_strip(self, width: int) -> Strip:
        style = self.get_component_rich_style("item-table--header")
        titles = []
        for column in self.columns:
            arrow = ""
            if self.sort and self.sort.key == column.key:
                arrow = " ▼" if self.sort.descending else " ▲"
            titles.append(column.title + arrow)
        text = " " + " ".join(fit(t, w) for t, w in zip(titles, self._widths))
        return self._visible_part(text, style, width)

    def _scroll_to_cursor(self) -> None:
        visible = max(self.size.height - 1, 1)
        top = int(self.scroll_offset.y)
        if self.cursor < top:
            self.scroll_to(y=self.cursor, animate=False)
        elif self.cursor >= top + visible:
            self.scroll_to(y=self.cursor - visible + 1, animate=False)

    # --- input ---------------------------------------------------------------------

    def action_cursor(self, step: int) -> None:
        if self.rows:
            self.cursor = max(0, min(len(self.rows) - 1, self.cursor + step))

    def action_pan(self, step: int) -> None:
        self.scroll_to(x=max(0, self.scroll_offset.x + step), animate=False)

    def action_page(self, direction: int) -> None:
        self.action_cursor(direction * max(self.size.height - 2, 1))

    def action_jump(self, where: int) -> None:
        if self.rows:
            self.cursor = 0 if where == 0 else len(self.rows) - 1

    def action_select(self) -> None:
        if self.current is not None:
            self.post_message(self.Selected(self, self.current))

    def action_next_sort(self) -> None:
        if not self.columns:
            return
        keys = [c.key for c in self.columns]
        if self.sort is None:
            self.sort_by(keys[0])
        else:
            position = keys.index(self.sort.key) if self.sort.key in keys else -1
            if position + 1 >= len(keys):
                self.sort_by(None)
            else:
                self.sort_by(keys[position + 1])

    def action_reverse_sort(self) -> None:
        if self.sort is not None:
            self.sort = SortState(self.sort.key, not self.sort.descending)
            self.post_message(self.Sorted(self, self.sort))

    def sort_by(self, key: str | None) -> None:
        self.sort = SortState(key) if key else None
        self.post_message(self.Sorted(self, self.sort))

    def on_click(self, event: events.Click) -> None:
        self.focus()
        if event.y == 0:
            self._click_header(event.x + int(self.scroll_offset.x))
            return
        index = self.scroll_offset.y + event.y - 1
        if 0 <= index < len(self.rows):
            if index == self.cursor and event.chain >= 2:
                self.action_select()
            self.cursor = index

    def _click_header(self, x: int) -> None:
        edge = 1
        for column, width in zip(self.columns, self._widths):
            if edge <= x < edge + width + 1:
                if self.sort and self.sort.key == column.key:
                    self.action_reverse_sort()
                else:
                    self.sort_by(column.key)
                return
            edge += width + 1
