"""Small modal dialogs: confirm, error, choose a kind."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Label, LoadingIndicator, OptionList, Static
from textual.widgets.option_list import Option
from textual.worker import Worker, WorkerState

from case_workbook.model.items import KIND_LABELS, Kind

DIALOG_CSS = """
{name} {{ align: center middle; }}
{name} > Vertical {{ width: 70; max-width: 95%; height: auto; max-height: 90%;
                    border: thick $primary; background: $surface; padding: 1 2; }}
{name} .title {{ text-style: bold; margin-bottom: 1; }}
{name} .buttons {{ height: auto; margin-top: 1; align-horizontal: right; }}
{name} .buttons Button {{ margin-left: 2; }}
"""

FORM_CSS = """
{name} > Vertical {{ width: 90; }}
{name} .field {{ margin-top: 1; }}
{name} Input.-textual-compact {{ background: $panel; }}
{name} Input.-textual-compact:focus {{ background: $primary-muted; }}
{name} .hint {{ color: $text-muted; }}
{name} .error {{ color: $text-error; text-style: bold; display: none; }}
{name} .error.-shown {{ display: block; }}
"""


def form_css(name: str) -> str:
    """The dialog look plus field hints and error lines (hidden until needed)."""
    return DIALOG_CSS.format(name=name) + FORM_CSS.format(name=name)


def set_busy(screen, busy: bool) -> None:
    """While a dialog's job runs: its loading line shown, its form and buttons off."""
    screen.busy = busy
    screen.query_one("#busy").set_class(busy, "-shown")
    screen.query_one("#form").disabled = busy
    for button in screen.query(Button):
        button.disabled = busy


def show_field_error(label: Static, message: str) -> None:
    """Say a problem in words under a field (an empty message hides the line)."""
    label.update(Text(message))
    label.set_class(bool(message), "-shown")


class ConfirmScreen(ModalScreen[bool]):
    DEFAULT_CSS = DIALOG_CSS.format(name="ConfirmScreen")
    BINDINGS = [Binding("escape", "dismiss(False)", "Cancel", id="confirm.cancel"),
                Binding("y", "dismiss(True)", "Yes", show=False, id="confirm.yes")]

    def __init__(self, question: str, yes: str = "Yes", no: str = "Cancel") -> None:
        super().__init__()
        self.question, self.yes, self.no = question, yes, no

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Text(self.question), classes="title")
            with Horizontal(classes="buttons"):
                yield Button(self.no, id="no")
                yield Button(self.yes, id="yes", variant="primary")

    def on_mount(self) -> None:
        self.query_one("#no", Button).focus()

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")


class ErrorScreen(ModalScreen[None]):
    """A problem the person should read: what happened and what to do."""

    DEFAULT_CSS = DIALOG_CSS.format(name="ErrorScreen") + """
    ErrorScreen VerticalScroll { height: auto; max-height: 20; }
    """
    BINDINGS = [Binding("escape,enter", "dismiss", "Close", id="error.close")]

    def __init__(self, title: str, message: str) -> None:
        super().__init__()
        self.title_text, self.message = title, message

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(Text(self.title_text), classes="title")
            with VerticalScroll():
                yield Static(Text(self.message))
            with Horizontal(classes="buttons"):
                yield Button("Close", id="close", variant="primary")

    def on_mount(self) -> None:
        self.query_one(Button).focus()

    @on(Button.Pressed)
    def _pressed(self) -> None:
        self.dismiss()


class BusyScreen(ModalScreen[None]):
    """Work under way that nothing else may interrupt; dismissed by its caller."""

    DEFAULT_CSS = DIALOG_CSS.format(name="BusyScreen") + """
    BusyScreen LoadingIndicator { height: 1; }
    """

    def __init__(self, doing: str) -> None:
        super().__init__()
        self.doing = doing

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Text(self.doing), classes="title")
            yield LoadingIndicator()


class KindChooser(ModalScreen[Kind | None]):
    """Which kind of item to add (from the chronology, where any kind fits)."""

    DEFAULT_CSS = DIALOG_CSS.format(name="KindChooser") + """
    KindChooser OptionList { height: auto; }
    """
    BINDINGS = [Binding("escape", "dismiss(None)", "Cancel", id="kind.cancel")]

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label("What would you like to add?", classes="title")
            yield OptionList(*[Option(KIND_LABELS[k], id=k.value) for k in Kind])

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(Kind(event.option.id))


class ShowsWorkerErrors:
    """Mixed into screens and widgets that run workers with exit_on_error=False:
    an error nobody caught is shown in a dialog instead of vanishing."""

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state == WorkerState.ERROR and event.worker.error is not None:
            self.app.report_unexpected(event.worker.error)  # type: ignore[attr-defined]
