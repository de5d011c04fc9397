"""Import messages, step one: which export file, read in the background.

A file whose dates read both ways is asked about here (day-first or
month-first), and a file read only in part shows what was skipped, with
where, before anything else; the person decides whether to go on.
"""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, LoadingIndicator, Static

from case_workbook.importers.detect import KNOWN, read_export
from case_workbook.importers.parsed import DayOrder, ExportReadError, NeedsDayOrder, ParseResult
from case_workbook.tui.screens.dialogs import (
    DIALOG_CSS,
    ShowsWorkerErrors,
    set_busy,
    show_field_error,
)
from case_workbook.tui.screens.new_case import form_css
from case_workbook.tui.widgets.item_table import visible
from case_workbook.tui.widgets.path_suggester import PathInput, TypedPathError, required_path


def report_text(result: ParseResult) -> str:
    """What was read and what was not, with where, in plain lines."""
    lines = [f"Read {len(result.messages):,} messages from {result.source.name} "
             f"({result.format})."]
    lines += result.notes
    if result.truncated:
        lines.append("The file ends part way through a record: it may have been cut short.")
    if result.skipped:
        lines.append(f"{len(result.skipped):,} part{'s' if len(result.skipped) != 1 else ''} "
                     "could not be read and would be left out:")
        lines += [f"  {s.locator}: {s.reason}" for s in result.skipped[:500]]
        if len(result.skipped) > 500:
            lines.append(f"  … and {len(result.skipped) - 500:,} more.")
    return "\n".join(lines)


class ImportFileScreen(ShowsWorkerErrors, ModalScreen[ParseResult | None]):
    """Dismissed with the export as read (the person agreed to any gaps), or None."""

    DEFAULT_CSS = form_css("ImportFileScreen") + """
    ImportFileScreen #form { height: auto; }
    ImportFileScreen #busy { height: auto; display: none; }
    ImportFileScreen #busy.-shown { display: block; }
    ImportFileScreen LoadingIndicator { height: 1; }
    """
    BINDINGS = [Binding("escape", "cancel", "Cancel", id="import_file.cancel")]

    def __init__(self) -> None:
        super().__init__()
        self.busy = False

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label("Import messages from an export", classes="title")
            with Vertical(id="form"):
                yield Static(Text(f"This reads {KNOWN}. You choose which messages to bring "
                                  "in on the next screen; nothing is added before that."),
                             classes="hint")
                yield Label("The export file (tab completes the path)", classes="field")
                yield PathInput(id="path", compact=True,
                                placeholder="for example ~/Downloads/WhatsApp Chat with Alex.zip")
                yield Static(id="path-error", classes="error", markup=False)
            with Vertical(id="busy"):
                yield Static("Reading the export…", markup=False)
                yield LoadingIndicator()
            with Horizontal(classes="buttons"):
                yield Button("Cancel", id="cancel", compact=True)
                yield Button("Read it", id="read", variant="primary", compact=True)

    def on_mount(self) -> None:
        self.query_one("#path", PathInput).focus()

    def _show_error(self, message: str) -> None:
        show_field_error(self.query_one("#path-error", Static), message)

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        if not self.busy:
            self.dismiss(None)

    @on(Input.Submitted)
    @on(Button.Pressed, "#read")
    def _read_pressed(self) -> None:
        if self.busy:
            return
        try:
            path = required_path(self.query_one("#path", PathInput).value,
                                 "Type the path of the export file.")
        except TypedPathError as error:
            self._show_error(str(error))
            return
        self._show_error("")
        self._read(path)

    @work(exit_on_error=False)
    async def _read(self, path: Path, order: DayOrder | None = None) -> None:
        set_busy(self, True)
        worker = self._parse(path, order)
        try:
            await worker.wait()
        finally:
            set_busy(self, False)
        outcome = worker.result
        if isinstance(outcome, NeedsDayOrder):
            chosen = await self.app.push_screen_wait(DayOrderScreen(path.name, outcome.examples))
            if chosen is not None:
                self._read(path, chosen)
            return
        if isinstance(outcome, ExportReadError):
            self._show_error(str(outcome))
            self.query_one("#path", PathInput).focus()
            return
        assert isinstance(outcome, ParseResult)
        if not outcome.messages:
            self._show_error(f"{path.name} holds no messages to import.")
            return
        if not outcome.clean and not await self.app.push_screen_wait(GapsScreen(outcome)):
            return
        self.dismiss(outcome)

    @work(thread=True, exit_on_error=False)
    def _parse(self, path: Path, order: DayOrder | None) -> ParseResult | ExportReadError:
        try:
            return read_export(path, day_order=order)
        except ExportReadError as error:  # NeedsDayOrder too: the screen asks
            return error


class DayOrderScreen(ModalScreen[DayOrder | None]):
    """The dates read both ways: the person says which way the phone wrote them."""

    DEFAULT_CSS = DIALOG_CSS.format(name="DayOrderScreen")
    BINDINGS = [Binding("escape", "dismiss(None)", "Cancel", id="day_order.cancel")]

    def __init__(self, name: str, examples: list[str]) -> None:
        super().__init__()
        self.file_name, self.examples = name, examples

    def compose(self) -> ComposeResult:
        shown = ", ".join(self.examples[:3])
        with Vertical():
            yield Label("How does this export write dates?", classes="title")
            yield Static(Text(f"The dates in {self.file_name} (for example {shown}) could be "
                              "day first (5/3 is 5 March) or month first (5/3 is May 3), and the "
                              "file does not settle which. The phone's language settings "
                              "decide it; the choice is recorded with every message."))
            with Horizontal(classes="buttons"):
                yield Button("Cancel", id="cancel", compact=True)
                yield Button("Day first (5/3 = 5 March)", id="day-first", compact=True)
                yield Button("Month first (5/3 = May 3)", id="month-first", compact=True)

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(None if event.button.id == "cancel" else DayOrder(str(event.button.id)))


class GapsScreen(ModalScreen[bool]):
    """A file read only in part: what was read, what was not, and a choice."""

    DEFAULT_CSS = DIALOG_CSS.format(name="GapsScreen") + """
    GapsScreen > Vertical { width: 100; }
    GapsScreen VerticalScroll { height: auto; max-height: 20; background: $panel; }
    """
    BINDINGS = [Binding("escape", "dismiss(False)", "Cancel", id="gaps.cancel")]

    def __init__(self, result: ParseResult) -> None:
        super().__init__()
        self.result = result

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(Text(f"{self.result.source.name} could be read only in part"),
                        classes="title")
            with VerticalScroll():
                yield Static(Text(visible(report_text(self.result))))
            yield Static("Nothing has been imported. You can go on with the messages that "
                         "were read, or stop and get a new export.", markup=False)
            with Horizontal(classes="buttons"):
                yield Button("Stop", id="stop", compact=True)
                yield Button("Go on with what was read", id="go", variant="primary",
                             compact=True)

    def on_mount(self) -> None:
        self.query_one("#stop", Button).focus()

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "go")
