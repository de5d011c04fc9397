"""Open a workbook that counsel sent back: a new case file is rebuilt from it
(the workbook itself is left as it is), counsel's notes are brought in, and
what was found is shown before the case is opened."""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, Input, Label, LoadingIndicator, Static

from case_workbook.core import import_case, needs_password
from case_workbook.export.workbook.crypt import WorkbookPasswordError
from case_workbook.store.errors import CaseFileError
from case_workbook.tui.screens.dialogs import (
    ShowsWorkerErrors,
    set_busy,
    show_field_error,
)
from case_workbook.tui.screens.new_case import (
    SUFFIX,
    form_css,
    new_case_path,
    shown_path,
)
from case_workbook.tui.screens.passphrase import NewPassphraseFields
from case_workbook.tui.widgets.item_table import one_line
from case_workbook.tui.widgets.path_suggester import PathInput

EXPLAIN = ("A new case file will be made from this workbook, with counsel's notes brought "
           "in; the workbook itself is not changed.")
# Changed cells are listed one per line; more than this many are counted instead.
REPORT_LIMIT = 200


def default_case_path(workbook: Path) -> Path:
    """Beside the workbook: `<stem>.cwb`, or `<stem> (2).cwb`, … when taken."""
    path = workbook.with_name(workbook.stem + SUFFIX)
    number = 2
    while path.exists():
        path = workbook.with_name(f"{workbook.stem} ({number}){SUFFIX}")
        number += 1
    return path


class OpenWorkbookScreen(ShowsWorkerErrors, ModalScreen[Path | None]):
    """Dismissed with the new case file's path to open it, or None."""

    DEFAULT_CSS = form_css("OpenWorkbookScreen") + """
    OpenWorkbookScreen #form { height: auto; }
    OpenWorkbookScreen #busy { height: auto; display: none; }
    OpenWorkbookScreen #busy.-shown { display: block; }
    OpenWorkbookScreen LoadingIndicator { height: 1; }
    OpenWorkbookScreen #report-box { height: auto; max-height: 50vh; display: none;
                                     background: $panel; padding: 0 1; }
    OpenWorkbookScreen #report-buttons { display: none; }
    OpenWorkbookScreen.-done #form, OpenWorkbookScreen.-done #form-buttons { display: none; }
    OpenWorkbookScreen.-done #report-box { display: block; }
    OpenWorkbookScreen.-done #report-buttons { display: block; }
    """
    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="open_workbook.cancel"),
        Binding("ctrl+s", "rebuild", "Rebuild", id="open_workbook.rebuild"),
    ]

    def __init__(self, workbook: Path) -> None:
        super().__init__()
        self.workbook = Path(workbook).expanduser().absolute()
        self.locked = needs_password(self.workbook)
        self.busy = False
        self.made: Path | None = None  # the new case file, once rebuilt
        self.passphrase: str | None = None  # the new case's, when encrypted

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label("Open a workbook from counsel", classes="title")
            with Vertical(id="form"):
                yield Static(Text(f"Workbook: {one_line(shown_path(self.workbook))}"))
                yield Static(EXPLAIN, classes="hint", markup=False)
                yield Label("Save the new case file as", classes="field")
                yield PathInput(shown_path(default_case_path(self.workbook)),
                                suffixes=(SUFFIX,), id="path", compact=True)
                yield Static(id="path-error", classes="error", markup=False)
                if self.locked:
                    yield Label("This workbook is protected by a password. Its password:",
                                classes="field")
                    yield Input(id="password", password=True, compact=True)
                    yield Static(id="password-error", classes="error", markup=False)
                yield Checkbox("Encrypt the new case file with a passphrase", id="encrypt",
                               compact=True, classes="field")
                yield NewPassphraseFields(id="passphrase-fields")
            yield Static(id="form-error", classes="error", markup=False)
            with Vertical(id="busy"):
                yield Static("Rebuilding the case from the workbook…", markup=False)
                yield LoadingIndicator()
            with VerticalScroll(id="report-box"):
                yield Static(id="report")
            with Horizontal(classes="buttons", id="form-buttons"):
                yield Button("Cancel", id="cancel", compact=True)
                yield Button("Rebuild the case", id="rebuild", variant="primary", compact=True)
            with Horizontal(classes="buttons", id="report-buttons"):
                yield Button("Close", id="close", compact=True)
                yield Button("Open the case", id="open", variant="primary", compact=True)

    def on_mount(self) -> None:
        self.query_one("#passphrase-fields").display = False
        self.query_one("#password" if self.locked else "#path", Input).focus()

    @on(Checkbox.Changed, "#encrypt")
    def _encrypt_changed(self, event: Checkbox.Changed) -> None:
        self.query_one("#passphrase-fields", NewPassphraseFields).show(event.value)

    def _show_error(self, widget_id: str, message: str) -> None:
        show_field_error(self.query_one(f"#{widget_id}", Static), message)

    def _set_busy(self, busy: bool) -> None:
        set_busy(self, busy)

    @on(Input.Changed)
    def _typed(self, event: Input.Changed) -> None:
        self._show_error("form-error", "")
        self._show_error("password-error" if event.input.id == "password" else "path-error", "")

    @on(Button.Pressed, "#cancel")
    @on(Button.Pressed, "#close")
    def action_cancel(self) -> None:
        # While rebuilding, the case file is being written: that finishes first.
        if not self.busy:
            self.dismiss(None)

    @on(Button.Pressed, "#open")
    def _open(self) -> None:
        self.dismiss(self.made)

    # --- rebuilding ------------------------------------------------------------------

    def target_path(self) -> Path | None:
        """The new case file's path, with a problem said under the field; None if any."""
        path, problem = new_case_path(self.query_one("#path", PathInput).value,
                                      "(so that no case file is replaced)")
        self._show_error("path-error", problem)
        return path

    def password(self) -> str | None:
        """The typed password ("" when it is missing and was asked for), or None
        when the workbook has none."""
        if not self.locked:
            return None
        password = self.query_one("#password", Input).value
        if not password:
            self._show_error("password-error", "Type the workbook's password; counsel or "
                                               "whoever sent the workbook can tell you.")
        return password

    @on(Input.Submitted)
    @on(Button.Pressed, "#rebuild")
    def action_rebuild(self) -> None:
        if self.busy or self.made is not None:
            return
        target, password = self.target_path(), self.password()
        passphrase = None
        if self.query_one("#encrypt", Checkbox).value:
            passphrase = self.query_one("#passphrase-fields", NewPassphraseFields).checked()
            if passphrase is None:
                return
        if target is None or password == "":
            return
        self._set_busy(True)
        self._rebuild(target, password, passphrase)

    @work(thread=True, exit_on_error=False)
    def _rebuild(self, target: Path, password: str | None, passphrase: str | None) -> None:
        from case_workbook.cli import user_message

        try:
            report = import_case(self.workbook, target, password=password,
                                 passphrase=passphrase)
            self.passphrase = passphrase
        except WorkbookPasswordError as error:
            where = "password-error" if self.locked else "form-error"
            self.app.call_from_thread(self._failed, where, str(error))
        except Exception as error:
            message = user_message(error)
            if message is None:  # not one we can put in words: the error dialog says so
                self.app.call_from_thread(self._set_busy, False)
                raise
            where = "path-error" if isinstance(error, CaseFileError | OSError) else "form-error"
            self.app.call_from_thread(self._failed, where, message)
        else:
            self.app.call_from_thread(self._done, report.path, report.lines(REPORT_LIMIT))

    def _failed(self, where: str, message: str) -> None:
        self._set_busy(False)
        self._show_error(where, message)
        field = {"password-error": "#password", "path-error": "#path"}.get(where)
        if field is not None:
            self.query_one(field, Input).focus()

    def _done(self, made: Path, lines: list[str]) -> None:
        self._set_busy(False)
        self.made = Path(made)
        self.query_one("#report", Static).update(Text("\n".join(one_line(s) for s in lines)))
        self.add_class("-done")
        self.query_one("#open", Button).focus()
