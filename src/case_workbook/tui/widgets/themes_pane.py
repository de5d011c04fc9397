"""The Themes tab: each theme of the case's framework, what it is about, where it
comes from, questions to explore, and the items linked to it with their notes.

Counts are plain ("3 items"); themes stay in the framework's order and nothing
is weighed. The framework's notes on its limits and on related defenses are
shown read-only as a last entry.
"""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Label, OptionList, Static
from textual.widgets.option_list import Option

from case_workbook.model.framework import Note, Theme
from case_workbook.model.items import KIND_LABELS, AnyItem
from case_workbook.tui.widgets.item_table import ItemTable, visible
from case_workbook.views.columns import Column
from case_workbook.views.index import CaseIndex

NOTES_ID = "framework-notes"


def item_count(count: int) -> str:
    return f"{count} item" if count == 1 else f"{count} items"


def _label(item: AnyItem) -> str:
    return item.summary or getattr(item, "name", "")


def _note_for(theme_id: str):
    def text(item: AnyItem, index: CaseIndex) -> str:
        return next((link.note for link in item.themes if link.theme_id == theme_id), "")
    return text


def _columns(theme_id: str) -> list[Column]:
    return [
        Column("id", "Id", lambda item, index: item.id, 8),
        Column("kind", "Kind", lambda item, index: KIND_LABELS[item.kind], 13),
        Column("summary", "Summary", lambda item, index: _label(item), 16, flexible=True),
        Column("note", "Note", _note_for(theme_id), 16, flexible=True),
    ]


class ThemesPane(Widget):
    DEFAULT_CSS = """
    ThemesPane { layout: horizontal; height: 1fr; }
    ThemesPane #theme-list { width: 32; max-width: 40%; height: 1fr;
                             border-right: tall $panel; }
    ThemesPane #theme-side { width: 1fr; height: 1fr; }
    ThemesPane #theme-text { height: auto; padding: 0 1; }
    ThemesPane #linked-title { width: 1fr; padding: 0 1; text-style: bold;
                               background: $panel; }
    ThemesPane #theme-items { height: 2; }
    """
    BINDINGS = [
        Binding("escape", "back_to_themes", "To themes", show=False, id="themes.back"),
    ]

    class JumpTo(Message):
        """Show this item in its own tab."""

        def __init__(self, item_id: str) -> None:
            super().__init__()
            self.item_id = item_id

    def __init__(self, index: CaseIndex, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.index = index
        self.framework = index.case.framework
        self.counts: dict[str, int] = {}
        # The linked items are worked out when the tab is first shown (the
        # case screen calls refresh_view then), not while the case opens.
        self._shown = False

    def compose(self) -> ComposeResult:
        self._count()
        options = [Option(self._prompt(t), id=t.id) for t in self.framework.themes]
        if self.framework.limits or self.framework.distinctions:
            options.append(Option(Text("Framework notes", style="italic")
                                  + Text("\n  limits, distinctions"), id=NOTES_ID))
        yield OptionList(*options, id="theme-list")
        with Vertical(id="theme-side"):
            with VerticalScroll(id="theme-text"):
                yield Static(id="theme-about")
            yield Label(id="linked-title")
            yield ItemTable(self._cell, id="theme-items")

    def on_mount(self) -> None:
        self.query_one("#theme-list", OptionList).highlighted = 0
        self._show()

    # --- data --------------------------------------------------------------------

    def _count(self) -> None:
        counts = {t.id: 0 for t in self.framework.themes}
        for item in self.index.items.values():
            for theme_id in item.theme_ids():
                if theme_id in counts:
                    counts[theme_id] += 1
        self.counts = counts

    def _prompt(self, theme: Theme) -> Text:
        return Text(theme.name, style="bold") + Text("\n  " + item_count(self.counts[theme.id]))

    def _cell(self, column: Column, item: AnyItem) -> str:
        return column.text(item, self.index)

    @property
    def table(self) -> ItemTable:
        return self.query_one("#theme-items", ItemTable)

    def current_theme(self) -> Theme | None:
        option = self.query_one("#theme-list", OptionList).highlighted_option
        return self.framework.theme(option.id) if option is not None and option.id else None

    def refresh_view(self) -> None:
        """When first shown, and after any change to the case: new counts and
        linked items."""
        self._shown = True
        self._count()
        choices = self.query_one("#theme-list", OptionList)
        for theme in self.framework.themes:
            choices.replace_option_prompt(theme.id, self._prompt(theme))
        self._show()

    # --- showing -----------------------------------------------------------------------

    def _show(self) -> None:
        if not self._shown:
            return
        option = self.query_one("#theme-list", OptionList).highlighted_option
        if option is not None and option.id == NOTES_ID:
            self._show_notes()
            return
        theme = self.current_theme()
        if theme is None:
            return
        count = self.counts.get(theme.id, 0)
        about = Text(theme.name, style="bold")
        about.append(f"\n{item_count(count)}")
        about.append("\n\n" + theme.description)
        notes = self.index.case.counsel_notes  # from a workbook counsel sent back
        if note := notes.get(f"theme:{theme.id}"):
            about.append("\n\nCounsel's note: ", style="bold")
            about.append(visible(note))
        about.append("\n\nSource: ", style="italic")
        about.append(theme.source)
        about.append("\n\nQuestions to explore", style="bold")
        for number, question in enumerate(theme.questions, start=1):
            about.append(f"\n• {question}")
            if note := notes.get(f"question:{theme.id}:{number}"):
                about.append("\n  Counsel's note: ", style="bold")
                about.append(visible(note))
        self.query_one("#theme-about", Static).update(about)
        self.query_one("#theme-text", VerticalScroll).scroll_home(animate=False)

        table = self.table
        keep = table.current.id if table.current is not None else None
        table.set_columns(_columns(theme.id))
        rows = self.index.theme_items(theme.id)
        if table.sort is not None:
            column = next((c for c in table.columns if c.key == table.sort.key), None)
            if column is not None:
                rows = self.index.sort(rows, column, table.sort.descending)
        table.set_rows(rows, keep=keep)
        title = (f"Linked items: {item_count(len(rows))} (enter shows one)" if rows
                 else "Linked items: 0 items. Tag an item with t in its list to link it here.")
        self.query_one("#linked-title", Label).update(Text(title))
        self.query_one("#linked-title").display = True
        table.display = bool(rows)
        self._fit()

    def _show_notes(self) -> None:
        about = Text("Framework notes", style="bold")
        about.append(f"\n{self.framework.name}")
        sections: list[tuple[str, list[Note]]] = [
            ("What this framework does not cover", self.framework.limits),
            ("How duress differs from related defenses", self.framework.distinctions)]
        for heading, notes in sections:
            if not notes:
                continue
            about.append(f"\n\n{heading}", style="bold underline")
            for note in notes:
                about.append(f"\n\n{note.topic}", style="bold")
                about.append(f"\n{note.text}")
                about.append("\nSource: ", style="italic")
                about.append(note.source)
        self.query_one("#theme-about", Static).update(about)
        self.query_one("#theme-text", VerticalScroll).scroll_home(animate=False)
        self.query_one("#linked-title").display = False
        self.table.display = False
        self._fit()

    def on_resize(self) -> None:
        self._fit()

    def _fit(self) -> None:
        """The text takes what it needs and the linked items the rest, so both
        stay in view on a small terminal: the list gets up to 60% when long."""
        side = self.query_one("#theme-side").size.height
        table = self.table
        wanted = len(table.rows) + 1 if table.display else 0
        table_height = min(wanted, max(int(side * 0.6), 2)) if wanted else 0
        if wanted:
            table.styles.height = table_height
        title = 1 if self.query_one("#linked-title").display else 0
        text = self.query_one("#theme-text", VerticalScroll)
        text.styles.max_height = max(side - table_height - title, 3) if side else None

    # --- moving around ---------------------------------------------------------------------

    @on(OptionList.OptionHighlighted, "#theme-list")
    def _highlighted(self) -> None:
        self._show()

    @on(OptionList.OptionSelected, "#theme-list")
    def _selected(self) -> None:
        if self.table.display and self.table.rows:
            self.table.focus()

    @on(ItemTable.Sorted)
    def _sorted(self, event: ItemTable.Sorted) -> None:
        event.stop()
        self._show()

    @on(ItemTable.Highlighted)
    def _row_highlighted(self, event: ItemTable.Highlighted) -> None:
        event.stop()

    @on(ItemTable.Selected)
    def _row_selected(self, event: ItemTable.Selected) -> None:
        event.stop()
        self.post_message(self.JumpTo(event.item.id))

    def on_themes_pane_jump_to(self, message: ThemesPane.JumpTo) -> None:
        go_to = getattr(self.screen, "go_to", None)
        if callable(go_to):
            go_to(message.item_id)

    def action_back_to_themes(self) -> None:
        self.query_one("#theme-list", OptionList).focus()
