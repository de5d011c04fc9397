"""A when field: what the person types, and a live line saying how it was read.

The line says in words (with a ✓ or ✗, never colour alone) what was understood,
or why it could not be, so a date is never saved as something the person did
not mean.
"""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Input, Static

from case_workbook.model.when import When, WhenError, parse_when, zone_label

UNDERSTOOD = "✓ Understood: "
NOT_UNDERSTOOD = "✗ Not understood: "


def prefill_text(when: When | None) -> str:
    """What an edit form shows for a stored when: the person's own words if kept."""
    if when is None or not when.is_dated():
        return when.source_text if when is not None else ""
    return when.source_text or when.canonical_text()


class WhenField(Vertical):
    """An Input plus a line that reads it back (`When.describe()`) as you type."""

    DEFAULT_CSS = """
    WhenField { height: auto; }
    WhenField .when-reading { padding: 0 1; color: $text-muted; }
    WhenField.-invalid .when-reading { color: $text-error; text-style: bold; }
    """

    def __init__(self, tz: str, when: When | None = None, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.tz = tz
        self.original = when
        self.original_text = prefill_text(when)
        self.reading = ""  # the line under the input, as plain text

    def compose(self) -> ComposeResult:
        yield Input(self.original_text, placeholder="e.g. 14 March 2026 21:30 · about 9 pm yesterday "
                    "· empty if not known", select_on_focus=False)
        yield Static(self._reading(self.original_text), classes="when-reading")

    @property
    def input(self) -> Input:
        return self.query_one(Input)

    @property
    def text(self) -> str:
        return self.input.value

    def value(self) -> When:
        """The when as typed; raises WhenError (one sentence) if it cannot be read.

        Unchanged text keeps the stored when exactly: words like "yesterday"
        would otherwise move on each edit."""
        if self.original is not None and self.text == self.original_text:
            return self.original
        return parse_when(self.text, self.tz)

    def _reading(self, text: str) -> Text:
        line = self._read(text)
        self.reading = line
        return Text(line)

    def _read(self, text: str) -> str:
        try:
            if self.original is not None and text == self.original_text:
                when = self.original
            else:
                when = parse_when(text, self.tz)
        except WhenError as error:
            self.set_class(True, "-invalid")
            return NOT_UNDERSTOOD + str(error)
        self.set_class(False, "-invalid")
        if not when.is_dated():
            return (f"{UNDERSTOOD}not known yet (times are read in "
                    f"{zone_label(self.tz)} unless you type a zone)")
        return UNDERSTOOD + when.describe()

    @on(Input.Changed)
    def _changed(self, event: Input.Changed) -> None:
        event.stop()
        self.query_one(".when-reading", Static).update(self._reading(event.value))
