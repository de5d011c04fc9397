"""The passphrase of an encrypted case: asked before it opens, and changed."""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Static

from case_workbook.store.driver import check_new_passphrase
from case_workbook.store.errors import CaseFileError
from case_workbook.tui.screens.dialogs import form_css, show_field_error

KEEP_IT_SAFE = ("Nobody can open an encrypted case without its passphrase, and it cannot be "
                "recovered: keep it somewhere safe.")


def passphrase_problem(first: str, again: str) -> str:
    """Why a new passphrase (typed twice) cannot be used; '' when it can."""
    try:
        check_new_passphrase(first)
    except CaseFileError as error:
        return str(error)
    return "" if first == again else "The two passphrases differ; type the same one twice."


class NewPassphraseFields(Vertical):
    """A new passphrase typed twice, with the warning that it cannot be recovered."""

    DEFAULT_CSS = """
    NewPassphraseFields { height: auto; }
    NewPassphraseFields .hint { color: $text-muted; }
    """

    def compose(self) -> ComposeResult:
        yield Static(KEEP_IT_SAFE, classes="hint", markup=False)
        yield Label("Passphrase (at least 8 characters)", classes="field")
        yield Input(id="passphrase-first", password=True, compact=True)
        yield Label("The same passphrase again", classes="field")
        yield Input(id="passphrase-again", password=True, compact=True)
        yield Static(id="passphrase-error", classes="error", markup=False)

    def focus_first(self) -> None:
        self.query_one("#passphrase-first", Input).focus()

    def show(self, shown: bool) -> None:
        """Shown (and focused) when its form's encrypt box is ticked."""
        self.display = shown
        self.clear_problem()
        if shown:
            self.focus_first()

    def checked(self) -> str | None:
        """The passphrase, or None with the problem shown under the fields."""
        first = self.query_one("#passphrase-first", Input).value
        problem = passphrase_problem(first, self.query_one("#passphrase-again", Input).value)
        show_field_error(self.query_one("#passphrase-error", Static), problem)
        return None if problem else first

    def clear_problem(self) -> None:
        show_field_error(self.query_one("#passphrase-error", Static), "")


class AskPassphraseScreen(ModalScreen[str | None]):
    """Dismissed with the typed passphrase, or None when cancelled."""

    DEFAULT_CSS = form_css("AskPassphraseScreen")
    BINDINGS = [Binding("escape", "cancel", "Cancel", id="passphrase.cancel")]

    def __init__(self, path: Path, problem: str = "") -> None:
        super().__init__()
        self.path, self.problem = path, problem

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(Text(f"{self.path.name} is encrypted"), classes="title")
            yield Label("Type its passphrase to open it.")
            yield Input(id="passphrase", password=True, compact=True, classes="field")
            yield Static(id="passphrase-error", classes="error", markup=False)
            with Horizontal(classes="buttons"):
                yield Button("Cancel", id="cancel", compact=True)
                yield Button("Open", id="open", variant="primary", compact=True)

    def on_mount(self) -> None:
        show_field_error(self.query_one("#passphrase-error", Static), self.problem)
        self.query_one("#passphrase", Input).focus()

    @on(Input.Submitted)
    @on(Button.Pressed, "#open")
    def _open(self) -> None:
        typed = self.query_one("#passphrase", Input).value
        if not typed:
            show_field_error(self.query_one("#passphrase-error", Static),
                             "Type the passphrase first.")
            return
        self.dismiss(typed)

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)


class ChangePassphraseScreen(ModalScreen[str | None]):
    """Dismissed with the new passphrase (typed twice, checked), or None."""

    DEFAULT_CSS = form_css("ChangePassphraseScreen")
    BINDINGS = [Binding("escape", "cancel", "Cancel", id="change_passphrase.cancel")]

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label("A new passphrase for this case", classes="title")
            yield NewPassphraseFields()
            with Horizontal(classes="buttons"):
                yield Button("Cancel", id="cancel", compact=True)
                yield Button("Change it", id="change", variant="primary", compact=True)

    def on_mount(self) -> None:
        self.query_one(NewPassphraseFields).focus_first()

    @on(Input.Submitted, "#passphrase-first")
    def _next(self) -> None:
        self.query_one("#passphrase-again", Input).focus()

    @on(Input.Submitted, "#passphrase-again")
    @on(Button.Pressed, "#change")
    def _change(self) -> None:
        new = self.query_one(NewPassphraseFields).checked()
        if new is not None:
            self.dismiss(new)

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)
