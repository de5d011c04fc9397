"""Add a file to the case as a numbered exhibit: copied in and hashed."""

from __future__ import annotations

from pathlib import Path

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, LoadingIndicator, Static

from case_workbook.model.items import Exhibit
from case_workbook.store.case_file import CaseFile
from case_workbook.store.errors import CaseFileError
from case_workbook.store.exhibits import add_exhibit_file
from case_workbook.tui.screens.dialogs import (
    ShowsWorkerErrors,
    set_busy,
    show_field_error,
)
from case_workbook.tui.screens.new_case import form_css
from case_workbook.tui.widgets.path_suggester import (
    PathInput,
    TypedPathError,
    required_path,
)


class AddFileScreen(ShowsWorkerErrors, ModalScreen[Exhibit | None]):
    """Dismissed with the stored exhibit (the caller shows its number), or None."""

    DEFAULT_CSS = form_css("AddFileScreen") + """
    AddFileScreen VerticalScroll { height: auto; max-height: 60vh; }
    AddFileScreen #busy { height: auto; display: none; }
    AddFileScreen #busy.-shown { display: block; }
    AddFileScreen LoadingIndicator { height: 1; }
    """
    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="add_file.cancel"),
        Binding("ctrl+s", "add", "Add", id="add_file.add"),
    ]

    def __init__(self, case: CaseFile) -> None:
        super().__init__()
        self.case = case
        self.busy = False

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label("Add a file as an exhibit", classes="title")
            with VerticalScroll(id="form"):
                yield Label("The file (tab completes the path)")
                yield PathInput(id="path", compact=True,
                                placeholder="for example ~/Documents/photo-of-message.jpg")
                yield Static(id="path-error", classes="error", markup=False)
                yield Label("What it is (optional; the file name is used if empty)",
                            classes="field")
                yield Input(id="summary", compact=True)
                yield Label("Custody: where it came from, who has held it (optional)",
                            classes="field")
                yield Input(id="custody", compact=True)
                yield Label("Bates range (optional)", classes="field")
                yield Input(id="bates", compact=True,
                            placeholder="for example DEF-000101 to DEF-000140")
            with Vertical(id="busy"):
                yield Static("Copying and hashing…", markup=False)
                yield LoadingIndicator()
            with Horizontal(classes="buttons"):
                yield Button("Cancel", id="cancel", compact=True)
                yield Button("Add the file", id="add", variant="primary", compact=True)

    def on_mount(self) -> None:
        self.query_one("#path", PathInput).focus()

    def _show_error(self, message: str) -> None:
        show_field_error(self.query_one("#path-error", Static), message)

    def _set_busy(self, busy: bool) -> None:
        set_busy(self, busy)

    @on(Input.Changed, "#path")
    def _typed(self) -> None:
        self._show_error("")

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        if not self.busy:  # the copy finishes either way; wait for its result
            self.dismiss(None)

    @on(Input.Submitted)
    @on(Button.Pressed, "#add")
    def action_add(self) -> None:
        if self.busy:
            return
        try:
            path = required_path(self.query_one("#path", PathInput).value,
                                 "Type the path of the file to add.")
        except TypedPathError as error:
            self._show_error(str(error))
            return
        if path.is_dir():
            self._show_error(f"{path} is a folder; choose a file inside it.")
            return
        self._show_error("")
        self._set_busy(True)
        self._add(path, self.query_one("#summary", Input).value.strip(),
                  self.query_one("#custody", Input).value.strip(),
                  self.query_one("#bates", Input).value.strip())

    @work(thread=True, exit_on_error=False)
    def _add(self, path: Path, summary: str, custody: str, bates: str) -> None:
        try:
            exhibit = add_exhibit_file(self.case, path, summary=summary, custody=custody,
                                       bates=bates)
        except CaseFileError as error:
            self.app.call_from_thread(self._failed, str(error))
        except OSError as error:
            self.app.call_from_thread(
                self._failed, f"Could not add {path}: {(error.strerror or str(error)).lower()}.")
        else:
            self.app.call_from_thread(self.dismiss, exhibit)

    def _failed(self, message: str) -> None:
        self._set_busy(False)
        self._show_error(message)
        self.query_one("#path", PathInput).focus()
