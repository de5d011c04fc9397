"""One item's history from the case's activity log: newest first, who did what,
and for an edit each field that changed, before → after, one line each."""

from __future__ import annotations

from datetime import UTC
from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Label, Static

from case_workbook.model.activity import ActivityEntry
from case_workbook.model.when import When
from case_workbook.tui.screens.dialogs import DIALOG_CSS
from case_workbook.tui.widgets.item_table import one_line

VALUE_LIMIT = 30  # cells per value, so "field: before → after" fits one line
SKIPPED = {"created", "edited"}  # set by the store on every save; not the person's change

ACTION_WORDS = {
    "create": "created",
    "edit": "edited",
    "delete": "deleted",
    "restore": "restored",
    "undo": "undone",
    "import": "imported",
    "migrate": "file upgraded",
    "passphrase": "passphrase changed",
}


def short(value: Any, limit: int = VALUE_LIMIT) -> str:
    """A field value as short plain text on one line."""
    if value is None:
        text = "(not set)"
    elif isinstance(value, bool):
        text = "yes" if value else "no"
    elif isinstance(value, str):
        text = f'"{value}"' if value else "(empty)"
    elif isinstance(value, dict) and "precision" in value:
        text = _when(value)
    elif isinstance(value, dict):
        text = ", ".join(f"{k}: {short(v, limit)}" for k, v in value.items() if v not in ("", None))
    elif isinstance(value, list):
        text = ", ".join(_list_part(v) for v in value) if value else "(none)"
    else:
        text = str(value)
    text = one_line(text)
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _list_part(value: Any) -> str:
    if isinstance(value, dict) and "theme_id" in value:  # a theme link
        note = value.get("note") or ""
        return f"{value['theme_id']} ({note})" if note else str(value["theme_id"])
    return value if isinstance(value, str) else short(value)


def _when(value: dict) -> str:
    try:
        when = When.model_validate(value)
    except ValueError:
        return str(value)
    return when.describe() if when.is_dated() else "not known"


def changed_fields(before: dict | None, after: dict | None) -> list[tuple[str, Any, Any]]:
    before, after = before or {}, after or {}
    names = [k for k in after if k not in SKIPPED] + [
        k for k in before if k not in after and k not in SKIPPED]
    return [(name, before.get(name), after.get(name)) for name in names
            if before.get(name) != after.get(name)]


def when_text(entry: ActivityEntry) -> str:
    at = entry.at if entry.at.tzinfo is not None else entry.at.replace(tzinfo=UTC)
    return at.astimezone().strftime("%a %d %b %Y %H:%M")


def _undo_words(entry: ActivityEntry) -> str:
    if entry.before is None:
        return "the delete was undone; the item is back"
    if entry.after is None:
        return "adding it was undone; the item is removed"
    return "an edit was undone"


def entry_text(entry: ActivityEntry) -> Text:
    what = ACTION_WORDS.get(entry.action, entry.action)
    text = Text(f"{when_text(entry)} · {one_line(entry.actor)} · ")
    text.append(what, style="bold")
    if entry.action == "undo":
        text.append(" · " + _undo_words(entry))
    if entry.undone:
        text.append(" (later undone)")
    if entry.action == "edit" or (entry.action == "undo" and entry.before and entry.after):
        changes = changed_fields(entry.before, entry.after)
        for name, old, new in changes:
            text.append(f"\n  {name.replace('_', ' ')}: {short(old)} → {short(new)}")
        if not changes:
            text.append("\n  (no field changed)")
    return text


class HistoryScreen(ModalScreen[None]):
    DEFAULT_CSS = DIALOG_CSS.format(name="HistoryScreen") + """
    HistoryScreen > Vertical { width: 100; }
    HistoryScreen VerticalScroll { height: auto; max-height: 1fr; }
    HistoryScreen .entry { margin-bottom: 1; }
    """
    BINDINGS = [Binding("escape,enter", "close", "Close", id="history.close")]

    def __init__(self, item_id: str, entries: list[ActivityEntry]) -> None:
        super().__init__()
        self.item_id = item_id
        self.entries = sorted(entries, key=lambda e: (e.at, e.id), reverse=True)

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(Text(f"History of {self.item_id}, newest first"), classes="title")
            with VerticalScroll(id="history-entries"):
                if not self.entries:
                    yield Static(Text("No changes are recorded for this item."))
                for entry in self.entries:
                    yield Static(entry_text(entry), classes="entry")
            with Horizontal(classes="buttons"):
                yield Button("Close", id="close", variant="primary", compact=True)

    def on_mount(self) -> None:
        self.query_one("#history-entries").focus()

    def action_close(self) -> None:
        self.dismiss(None)

    @on(Button.Pressed)
    def _pressed(self) -> None:
        self.dismiss(None)
