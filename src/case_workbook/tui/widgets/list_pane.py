"""One tab's list: a filter bar, a count, the items, and the selected item's detail."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.widgets import Input, Label, Select, Static

from case_workbook.model.items import KIND_LABELS, KIND_PLURALS, AnyItem, Kind
from case_workbook.tui.widgets.item_table import ItemTable, visible
from case_workbook.tui.widgets.timeline_view import TimelineView
from case_workbook.views.columns import Column
from case_workbook.views.detail import detail_lines
from case_workbook.views.index import CaseIndex, Filter


class DetailPane(VerticalScroll, can_focus=False):
    """Every field, link, theme (with its note) and exhibit of one item.

    One Static holding one Text: rebuilding a widget per line on every cursor
    move would cost more than the whole list's redraw."""

    DEFAULT_CSS = """
    DetailPane { border-left: tall $panel; padding: 0 1; }
    """

    def compose(self) -> ComposeResult:
        yield Static(id="detail-text")

    def show(self, item: AnyItem | None, index: CaseIndex) -> None:
        text = Text()
        if item is None:
            text.append("Nothing selected.")
        for n, line in enumerate(detail_lines(item, index) if item is not None else []):
            if n:
                text.append("\n\n")
            text.append(line.label, style="bold")
            text.append("\n")
            text.append(visible(line.value))
        self.query_one("#detail-text", Static).update(text)
        self.scroll_home(animate=False)


class ListPane(Vertical):
    """The list of one kind (or, with kind None, the chronology)."""

    DEFAULT_CSS = """
    ListPane .filter-bar { height: 1; margin: 0; }
    ListPane .filter-bar Input { width: 1fr; min-width: 16; margin-right: 1; }
    ListPane .filter-bar Select { width: 20; margin-right: 1; }
    ListPane .count { width: auto; min-width: 8; padding: 0 1; color: $text-muted; }
    ListPane .body { height: 1fr; }
    ListPane ItemTable { width: 2fr; }
    ListPane DetailPane { width: 1fr; min-width: 30; }
    ListPane.narrow .body { layout: vertical; }
    ListPane.narrow ItemTable { width: 1fr; height: 2fr; }
    ListPane.narrow DetailPane { width: 1fr; height: 1fr; border-left: none;
                                 border-top: tall $panel; }
    ListPane TimelineView { width: 2fr; display: none; }
    ListPane.narrow TimelineView { width: 1fr; height: 3fr; }
    ListPane.-timeline TimelineView { display: block; }
    ListPane.-timeline ItemTable { display: none; }
    """

    class ItemChosen(Message):
        """Enter or a double click on a row: open it."""

        def __init__(self, item: AnyItem) -> None:
            super().__init__()
            self.item = item

    def __init__(self, kind: Kind | None, index: CaseIndex, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.kind = kind
        self.index = index
        self.filter = Filter()
        self._total = 0
        self._base: list[AnyItem] | None = None
        self._stale = True

    def compose(self) -> ComposeResult:
        noun = "the chronology" if self.kind is None else KIND_PLURALS[self.kind]
        with Horizontal(classes="filter-bar"):
            yield Input(placeholder=f"/ Filter {noun} by words…", id="filter-text",
                        compact=True)
            yield Select([], prompt="Any theme", id="filter-theme", compact=True)
            yield Select([], prompt="Any person", id="filter-person", compact=True)
            if self.kind is None:
                yield Select([(KIND_LABELS[k], k) for k in Kind if k != Kind.PERSON],
                             prompt="Any kind", id="filter-kind", compact=True)
            yield Label("", classes="count")
        with Horizontal(classes="body"):
            yield ItemTable(self._cell_text)
            if self.kind is None:
                yield TimelineView(self._describe)
            yield DetailPane()

    def on_mount(self) -> None:
        # Lists behind other tabs are filled when first shown (ensure_fresh),
        # so opening a large case builds one list, not eight.
        self._stale = True

    def mark_stale(self) -> None:
        self._stale = True

    def ensure_fresh(self, keep: str | None = None) -> None:
        if self._stale:
            self._stale = False
            self.refresh_choices()
            self.reload(keep=keep)

    def on_resize(self) -> None:
        self.set_class(self.size.width < 110, "narrow")

    @property
    def table(self) -> ItemTable:
        return self.query_one(ItemTable)

    @property
    def showing_timeline(self) -> bool:
        return self.has_class("-timeline")

    def focus_main(self) -> None:
        """Focus what the tab shows: its list, or the timeline."""
        if self.showing_timeline:
            self.query_one(TimelineView).focus()
        else:
            self.table.focus()

    def toggle_timeline(self) -> None:
        """The chronology as a list or as a picture on a time axis; the same
        filter, the same selected item."""
        if self.kind is not None:
            return
        self.toggle_class("-timeline")
        if self.showing_timeline:
            self._fill_timeline()
        elif (current := self.query_one(TimelineView).selected) is not None:
            self.select_item(current)
        self.focus_main()

    def _describe(self, item_id: str) -> str:
        """The selected item in one line over the timeline: what, when exactly."""
        item = self.index.get(item_id)
        if item is None:
            return item_id
        when = item.when_value()
        words = when.describe() if when is not None and hasattr(when, "describe") else ""
        return f"{item.id} · {KIND_LABELS[item.kind]} · {words} · {item.summary}"

    def _fill_timeline(self) -> None:
        current = self.table.current
        self.query_one(TimelineView).set_items(
            self.table.rows, self.index.key_moments(), self.index.case.settings.default_tz,
            keep=current.id if current is not None else None, in_order=self.table.sort is None)

    def _cell_text(self, column: Column, item: AnyItem) -> str:
        return column.text(item, self.index)

    def refresh_choices(self) -> None:
        """Theme and person choices follow the case's framework and people."""
        themes = self.query_one("#filter-theme", Select)
        themes.set_options([(t.name, t.id) for t in self.index.case.framework.themes])
        people = self.query_one("#filter-person", Select)
        people.set_options([(f"{p.name} ({p.id})", p.id) for p in self.index.people()])

    def reload(self, keep: str | None = None, *, data_changed: bool = True) -> None:
        """Rebuild the rows: from the index after an edit, or only re-filter
        and re-sort the same items when just the filter or sort changed."""
        table = self.table
        if keep is None and table.current is not None:
            keep = table.current.id
        if data_changed or self._base is None:
            table.set_columns(self.index.columns(self.kind))
            self._base = self.index.listing(self.kind)
        base = self._base
        self._total = len(base)
        rows = self.index.apply(base, self.filter)
        if table.sort is not None:
            column = next((c for c in table.columns if c.key == table.sort.key), None)
            if column is not None:
                rows = self.index.sort(rows, column, table.sort.descending)
        table.empty_text = self._empty_text()
        table.set_rows(rows, keep=keep)
        self._show_count(len(rows))
        if self.kind is None and self.showing_timeline:
            self._fill_timeline()

    def _empty_text(self) -> str:
        if self._total and self.filter.active:
            return "Nothing matches this filter. Press / to change it."
        if self.kind is None:
            return ("Nothing dated yet. Add threats, messages, events and more from their "
                    "tabs (keys 2-8), or press n here.")
        if self.kind == Kind.EXHIBIT:
            return "No exhibits yet. Press a to add a file, or n for a physical object."
        noun = KIND_LABELS[self.kind].lower()
        article = "an" if noun[0] in "aeiou" else "a"
        return f"No {KIND_PLURALS[self.kind]} yet. Press n to add {article} {noun}."

    def _show_count(self, shown: int) -> None:
        text = f"{shown} of {self._total}" if self.filter.active else f"{self._total}"
        self.query_one(".count", Label).update(Text(text))

    def focus_filter(self) -> None:
        self.query_one("#filter-text", Input).focus()

    def set_filter(self, **changes) -> None:
        values = {"text": self.filter.text, "theme": self.filter.theme,
                  "person": self.filter.person, "kind": self.filter.kind, **changes}
        self.filter = Filter(**values)
        self.reload(data_changed=False)

    def show_theme(self, theme_id: str | None) -> None:
        select = self.query_one("#filter-theme", Select)
        select.value = theme_id if theme_id else Select.NULL

    @on(Input.Changed, "#filter-text")
    def _text_changed(self, event: Input.Changed) -> None:
        self.set_filter(text=event.value)

    @on(Select.Changed)
    def _select_changed(self, event: Select.Changed) -> None:
        value = None if event.select.is_blank() else event.value
        field = {"filter-theme": "theme", "filter-person": "person",
                 "filter-kind": "kind"}.get(event.select.id or "")
        if field:
            self.set_filter(**{field: value})

    @on(ItemTable.Highlighted)
    def _highlighted(self, event: ItemTable.Highlighted) -> None:
        self.query_one(DetailPane).show(event.item, self.index)

    @on(ItemTable.Selected)
    def _selected(self, event: ItemTable.Selected) -> None:
        self.post_message(self.ItemChosen(event.item))

    @on(TimelineView.Highlighted)
    def _timeline_highlighted(self, event: TimelineView.Highlighted) -> None:
        # The list's cursor follows, so edit, tag and delete act on this item.
        event.stop()
        if event.item_id is not None:
            self.select_item(event.item_id)

    @on(TimelineView.Selected)
    def _timeline_selected(self, event: TimelineView.Selected) -> None:
        event.stop()
        item = self.index.get(event.item_id)
        if item is not None:
            self.post_message(self.ItemChosen(item))

    @on(ItemTable.Sorted)
    def _sorted(self, event: ItemTable.Sorted) -> None:
        self.reload(data_changed=False)

    def select_item(self, item_id: str) -> bool:
        """Put the cursor on an item, clearing the filter if it hides it."""
        table = self.table
        for n, item in enumerate(table.rows):
            if item.id == item_id:
                table.cursor = n
                return True
        if self.filter.active:
            self.clear_filter()
            self.reload(keep=item_id, data_changed=False)
            return table.current is not None and table.current.id == item_id
        return False

    def clear_filter(self) -> None:
        with self.prevent(Input.Changed, Select.Changed):
            self.query_one("#filter-text", Input).value = ""
            for select in self.query(Select):
                select.clear()
        self.filter = Filter()

