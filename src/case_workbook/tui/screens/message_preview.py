"""Import messages, step two: every message the export holds, filtered by
who, when and words, for the person to choose the ones to bring in.

Only the lines on screen are drawn (the list is an ItemTable), so an export
of 50,000 messages scrolls and filters without stalling. Messages already in
the case are marked and cannot be chosen again.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Button, Footer, Input, Label, Select, Static

from case_workbook.importers.filters import MessageFilter, date_bound, message_instant
from case_workbook.importers.parsed import ParsedMessage, ParseResult
from case_workbook.importers.to_case import summary_of
from case_workbook.model.when import WhenError, get_zone
from case_workbook.tui.screens.dialogs import ShowsWorkerErrors, show_field_error
from case_workbook.tui.widgets.item_table import ItemTable, one_line, visible
from case_workbook.views.columns import Column


@dataclass(frozen=True)
class Chosen:
    indexes: list[int]
    zone: str


def _columns(screen: MessagePreviewScreen) -> list[Column]:
    messages = screen.result.messages

    def mark(row: int, _index: object) -> str:
        if row in screen.have:
            return "="
        return "✔" if row in screen.chosen else "·"

    return [
        Column("mark", "", mark, 1),
        Column("where", "Where", lambda r, _: messages[r].locator, 12),
        Column("when", "Time", lambda r, _: shown_time(messages[r], screen.zone), 19),
        Column("from", "From", lambda r, _: messages[r].sender or "(system)", 16),
        Column("text", "Message", lambda r, _: summary_of(messages[r]), 30, flexible=True),
    ]


def shown_time(message: ParsedMessage, zone: str) -> str:
    """An instant in the zone the case shows times in; a phone's clock time as
    the export wrote it (its zone is what the person states)."""
    stamp = message.stamp
    if stamp.instant is not None:
        try:
            return stamp.instant.astimezone(get_zone(zone)).strftime("%Y-%m-%d %H:%M:%S")
        except (OverflowError, ValueError):
            pass
    return stamp.text or "—"


_ISO_DAY = re.compile(r"\d{4}-\d\d-\d\d")


def _first_and_last_day(messages: list[ParsedMessage], zone: str) -> tuple[str, str]:
    """The export's first and last dates, for the date fields' hints: an
    example the person can see fits their file."""
    days = [shown_time(m, zone)[:10] if m.stamp.instant is not None
            else m.stamp.local.date().isoformat()
            for m in messages if m.stamp.instant is not None or m.stamp.local is not None]
    days = [d for d in days if _ISO_DAY.fullmatch(d)]  # an instant out of range shows its text
    if not days:
        return "2024-03-05", "2024-03-07"
    return min(days), max(days)


def message_text(message: ParsedMessage) -> str:
    """The whole message for the panel under the list."""
    lines = [f"{message.locator} · as written in the export: "
             f"{message.stamp.text or 'no time recorded'}",
             f"From: {message.sender or '(no sender: a system message)'}"]
    if message.recipients and message.sender:
        lines.append("To: " + ", ".join(message.recipients))
    if message.chat:
        lines.append(f"Chat: {message.chat}")
    lines += ["", message.text or "(no text)"]
    for attachment in message.attachments:
        state = "in the export" if attachment.available else (attachment.note or "not available")
        lines.append(f"Attachment: {attachment.name} ({state})")
    if message.details:
        lines += ["", message.details]
    return "\n".join(lines)


class MessagePreviewScreen(ShowsWorkerErrors, Screen[Chosen | None]):
    DEFAULT_CSS = """
    MessagePreviewScreen { layout: vertical; }
    MessagePreviewScreen #heading { height: auto; padding: 0 1; text-style: bold; }
    MessagePreviewScreen .hint { height: auto; padding: 0 1; color: $text-muted; }
    MessagePreviewScreen .bar { height: 1; margin: 0 1; }
    MessagePreviewScreen .bar Input { width: 1fr; min-width: 12; margin-right: 1; }
    MessagePreviewScreen .bar Select { width: 24; margin-right: 1; }
    MessagePreviewScreen .bar Label { width: auto; margin-right: 1; }
    MessagePreviewScreen .error { color: $text-error; text-style: bold; display: none;
                                  padding: 0 1; height: auto; }
    MessagePreviewScreen .error.-shown { display: block; }
    MessagePreviewScreen ItemTable { height: 2fr; }
    MessagePreviewScreen #detail-box { height: 1fr; border-top: tall $panel; padding: 0 1; }
    MessagePreviewScreen #count { height: 1; padding: 0 1; background: $panel; }
    MessagePreviewScreen .buttons { height: auto; align-horizontal: right; padding: 0 1; }
    MessagePreviewScreen .buttons Button { margin-left: 2; }
    """
    BINDINGS = [
        Binding("space", "toggle", "Choose", id="preview.toggle"),
        Binding("ctrl+a", "choose_shown(True)", "Choose all shown", id="preview.all"),
        Binding("ctrl+x", "choose_shown(False)", "Clear shown", id="preview.none"),
        Binding("ctrl+s", "import", "Import chosen", id="preview.import"),
        Binding("escape", "cancel", "Cancel", id="preview.cancel"),
    ]

    def __init__(self, result: ParseResult, zone: str, have: set[int],
                 chosen: set[int] | None = None) -> None:
        super().__init__()
        self.result = result
        self.zone = zone
        self.have = have  # indexes of messages the case already holds
        self.chosen: set[int] = set(chosen or ())  # kept when coming back from the next step
        self.shown: list[int] = list(range(len(result.messages)))

    def compose(self) -> ComposeResult:
        result = self.result
        yield Static(Text(f"Import messages from {result.source.name} — {result.format}"),
                     id="heading")
        if result.needs_zone:
            with Horizontal(classes="bar"):
                yield Label("The phone's time zone:")
                yield Input(self.zone, id="zone", compact=True)
            yield Static("This export records clock times with no time zone; say which zone "
                         "the phone was set to. It is recorded with each message.",
                         classes="hint")
        else:
            yield Static(Text(f"The export records exact instants; they are shown in "
                              f"{self.zone}."), classes="hint")
        yield Static(id="zone-error", classes="error", markup=False)
        with Horizontal(classes="bar"):
            yield Select([(Text(one_line(n)), n) for n in result.participants()],
                         prompt="Anyone", id="participant", compact=True)
            # Examples that fit 80 columns; a "to" date takes in its whole day.
            first, last = _first_and_last_day(result.messages, self.zone)
            yield Input(placeholder=f"from {first}", id="from", compact=True)
            yield Input(placeholder=f"to {last}", id="to", compact=True)
            yield Input(placeholder="words in the message", id="text", compact=True)
        yield Static(id="filter-error", classes="error", markup=False)
        table = ItemTable(lambda column, row: column.text(row, None), id="messages")
        yield table
        with VerticalScroll(id="detail-box"):
            yield Static(id="detail", markup=False)
        yield Static(id="count", markup=False)
        with Horizontal(classes="buttons"):
            yield Button("Cancel", id="cancel", compact=True)
            yield Button("Import the chosen messages", id="import", variant="primary",
                         compact=True)
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(ItemTable)
        table.set_columns(_columns(self))
        table.empty_text = "No message matches the filters."
        self._show()
        table.focus()

    # --- filtering ----------------------------------------------------------------

    def _current_zone(self) -> str | None:
        if not self.result.needs_zone:
            return self.zone
        text = self.query_one("#zone", Input).value.strip()
        try:
            get_zone(text)
        except WhenError as error:
            show_field_error(self.query_one("#zone-error", Static), str(error))
            return None
        show_field_error(self.query_one("#zone-error", Static), "")
        return text

    @on(Input.Changed)
    @on(Input.Submitted)
    @on(Select.Changed)
    def _filters_changed(self, event: Input.Changed | Input.Submitted | Select.Changed) -> None:
        # A date half typed is not an error yet: it is said on enter.
        typing_date = isinstance(event, Input.Changed) and event.input.id in ("from", "to")
        self._show(quiet=typing_date)

    def _show(self, quiet: bool = False) -> None:
        zone = self._current_zone()
        if zone is None:
            return
        self.zone = zone
        error = self.query_one("#filter-error", Static)
        select = self.query_one("#participant", Select)
        start, end = (self.query_one(f"#{n}", Input).value.strip() for n in ("from", "to"))
        try:
            keep = MessageFilter(
                participant="" if select.is_blank() else str(select.value),
                text=self.query_one("#text", Input).value.strip(), zone=zone,
                start=date_bound(start, zone, end=False) if start else None,
                end=date_bound(end, zone, end=True) if end else None)
        except WhenError as problem:
            if not quiet:
                show_field_error(error, str(problem))
            return
        show_field_error(error, "")
        self.shown = self._sorted(keep.apply(self.result.messages))
        self.query_one(ItemTable).set_rows(self.shown)  # type: ignore[arg-type]
        self._count()

    def _sorted(self, rows: list[int]) -> list[int]:
        sort = self.query_one(ItemTable).sort
        if sort is None:
            return rows  # the export's own order
        messages, zone = self.result.messages, self.zone
        far = datetime.max.replace(tzinfo=UTC)
        keys = {
            "mark": lambda r: (r in self.have, r not in self.chosen),
            "where": lambda r: r,
            "when": lambda r: (message_instant(messages[r], zone) or far, r),
            "from": lambda r: messages[r].sender.casefold(),
            "text": lambda r: summary_of(messages[r]).casefold(),
        }
        return sorted(rows, key=keys[sort.key], reverse=sort.descending)

    @on(ItemTable.Sorted)
    def _sort_changed(self) -> None:
        self._show()

    def _count(self) -> None:
        total = len(self.result.messages)
        text = f"{len(self.shown):,} of {total:,} shown · {len(self.chosen):,} chosen"
        if self.have:
            text += f" · {len(self.have):,} already in the case (=)"
        self.query_one("#count", Static).update(text)

    # --- choosing -------------------------------------------------------------------

    @on(ItemTable.Highlighted)
    def _highlighted(self, event: ItemTable.Highlighted) -> None:
        row = event.item
        detail = "" if row is None else visible(message_text(self.result.messages[row]))
        self.query_one("#detail", Static).update(Text(detail))

    @on(ItemTable.Selected)
    def _selected(self) -> None:
        self.action_toggle()

    def _redraw(self) -> None:
        self.query_one(ItemTable).redraw()
        self._count()

    def action_toggle(self) -> None:
        table = self.query_one(ItemTable)
        row = table.current
        if row is None or row in self.have:
            return
        self.chosen.symmetric_difference_update({row})
        self._redraw()
        table.action_cursor(1)

    def action_choose_shown(self, choose: bool) -> None:
        rows = {r for r in self.shown if r not in self.have}
        if choose:
            self.chosen |= rows
        else:
            self.chosen -= rows
        self._redraw()

    # --- leaving ----------------------------------------------------------------------

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)

    @on(Button.Pressed, "#import")
    def action_import(self) -> None:
        zone = self._current_zone()
        if zone is None:
            return
        if not self.chosen:
            self.notify("Choose messages first: space chooses one, ctrl+a all shown.",
                        markup=False)
            return
        self.dismiss(Chosen(sorted(self.chosen), zone))
