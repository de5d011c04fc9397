"""Export the case to a file for counsel: where, which format, whether to
replace a file already there and, for the workbook, a password and the exhibit
files in a folder beside it. The writing runs in a worker."""

from __future__ import annotations

from pathlib import Path

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import (
    Button,
    Checkbox,
    Input,
    Label,
    LoadingIndicator,
    Select,
    Static,
)

from case_workbook.core import export_to
from case_workbook.export.exhibit_folder import ExhibitFolderError, folder_for
from case_workbook.export.workbook.crypt import WorkbookPasswordError
from case_workbook.store.case_file import CaseFile
from case_workbook.tui.screens.dialogs import (
    ShowsWorkerErrors,
    set_busy,
    show_field_error,
)
from case_workbook.tui.screens.new_case import form_css, shown_path
from case_workbook.tui.screens.notice import MarkedCheckbox
from case_workbook.tui.widgets.path_suggester import (
    PathInput,
    TypedPathError,
    typed_path,
)

REPLACE_FILE = "Replace the file if it exists"
REPLACE_BOTH = "Replace the file and its exhibit folder if they exist"

# (label, value, suffix); the first is the default.
FORMATS = [("Excel workbook for counsel (.xlsx)", "xlsx", ".xlsx"),
           ("JSON: the whole case, for moving or backing up (.json)", "json", ".json")]


class ExportScreen(ShowsWorkerErrors, ModalScreen[None]):
    DEFAULT_CSS = form_css("ExportScreen") + """
    ExportScreen #form { height: auto; }
    ExportScreen #busy { height: auto; display: none; }
    ExportScreen #busy.-shown { display: block; }
    ExportScreen LoadingIndicator { height: 1; }
    ExportScreen Select { width: 60; }
    ExportScreen #workbook-options { height: auto; }
    ExportScreen #workbook-options.-hidden { display: none; }
    ExportScreen #passwords { height: auto; padding-left: 4; }
    ExportScreen #passwords.-hidden { display: none; }
    ExportScreen #passwords Horizontal { height: 1; }
    ExportScreen #passwords Label { width: 24; }
    ExportScreen #passwords Input { width: 1fr; }
    """
    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="export.cancel"),
        Binding("ctrl+s", "export", "Export", id="export.run"),
    ]

    def __init__(self, case: CaseFile) -> None:
        super().__init__()
        self.case = case
        self.busy = False

    def compose(self) -> ComposeResult:
        default = self.case.path.with_name(f"{self.case.path.stem}-export{FORMATS[0][2]}")
        with Vertical():
            yield Label("Export the case", classes="title")
            if self.case.encrypted:
                yield Static("This case is encrypted; what you export is not, unless the "
                             "workbook is protected with a password.", classes="hint",
                             id="unencrypted-export", markup=False)
            with Vertical(id="form"):
                yield Label("Write to")
                yield PathInput(shown_path(default), id="path", compact=True)
                yield Static(id="path-error", classes="error", markup=False)
                yield Label("Format", classes="field")
                yield Select([(label, value) for label, value, _ in FORMATS], id="format",
                             value=FORMATS[0][1], allow_blank=False, compact=True)
                yield MarkedCheckbox(REPLACE_FILE, False, id="replace",
                                     classes="field", compact=True)
                with Vertical(id="workbook-options"):
                    yield MarkedCheckbox("Protect with a password", False, id="protect",
                                         compact=True)
                    with Vertical(id="passwords", classes="-hidden"):
                        with Horizontal():
                            yield Label("Password")
                            yield Input(id="password", password=True, compact=True)
                        with Horizontal():
                            yield Label("The same password again")
                            yield Input(id="confirm", password=True, compact=True)
                        yield Static(id="password-error", classes="error", markup=False)
                        yield Static("Counsel needs this password to open the workbook; "
                                     "give it to them apart from the file.", classes="hint",
                                     markup=False)
                    yield MarkedCheckbox("Also write the exhibit files into a folder beside "
                                         "the workbook", False, id="exhibits", compact=True)
            yield Static(id="form-error", classes="error", markup=False)
            with Vertical(id="busy"):
                yield Static("Exporting…", markup=False)
                yield LoadingIndicator()
            with Horizontal(classes="buttons"):
                yield Button("Cancel", id="cancel", compact=True)
                yield Button("Export", id="export", variant="primary", compact=True)

    def on_mount(self) -> None:
        self._show_options()
        self.query_one("#path", PathInput).focus()

    def _show_error(self, widget_id: str, message: str) -> None:
        show_field_error(self.query_one(f"#{widget_id}", Static), message)

    def _set_busy(self, busy: bool) -> None:
        set_busy(self, busy)

    @on(Input.Changed, "#path")
    @on(Checkbox.Changed)
    def _changed(self) -> None:
        self._show_error("path-error", "")
        self._show_error("form-error", "")
        self._show_error("password-error", "")
        self._show_options()

    @on(Input.Changed, "#password")
    @on(Input.Changed, "#confirm")
    def _password_typed(self) -> None:
        self._show_error("password-error", "")
        self._show_error("form-error", "")

    def _workbook_chosen(self) -> bool:
        text = self.query_one("#path", PathInput).value.strip()
        return self._format_of(Path(text or "export")) == "xlsx"

    def _show_options(self) -> None:
        """The password and exhibit choices belong to the workbook only."""
        workbook = self._workbook_chosen()
        self.query_one("#workbook-options").set_class(not workbook, "-hidden")
        protect = self.query_one("#protect", Checkbox).value
        self.query_one("#passwords").set_class(not protect, "-hidden")
        both = workbook and self.query_one("#exhibits", Checkbox).value
        self.query_one("#replace", Checkbox).label = REPLACE_BOTH if both else REPLACE_FILE

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        if not self.busy:
            self.dismiss(None)

    def target_path(self) -> Path | None:
        text = self.query_one("#path", PathInput).value.strip()
        if not text:
            self._show_error("path-error", "Type where to write the export.")
            return None
        try:
            path = typed_path(text)
        except TypedPathError as error:
            self._show_error("path-error", str(error))
            return None
        # A folder (or a name ending in a slash) is checked before an ending is
        # added: "out/" must not become a file "out.xlsx" beside the folder.
        if path.is_dir() or text.endswith("/"):
            self._show_error("path-error", f"{path} is a folder; add a file name to write.")
            return None
        if not path.suffix:
            path = path.with_name(path.name + self._format_suffix())
        if path.is_dir():
            self._show_error("path-error", f"{path} is a folder; add a file name to write.")
            return None
        if not path.parent.is_dir():
            self._show_error("path-error", f"The folder {path.parent} does not exist; "
                                           "create it first or choose another folder.")
            return None
        replace = self.query_one("#replace", Checkbox).value
        label = REPLACE_BOTH if self._exhibits(path) else REPLACE_FILE
        if path.exists() and not replace:
            self._show_error("path-error", f"{path} already exists; tick \"{label}\" "
                                           "or choose another name.")
            return None
        folder = folder_for(path)
        if self._exhibits(path) and folder.exists() and not replace:
            self._show_error("path-error", f"The folder {folder} already exists; tick "
                                           f"\"{label}\" or choose another name.")
            return None
        return path.absolute()

    def _exhibits(self, path: Path) -> bool:
        return self._format_of(path) == "xlsx" and self.query_one("#exhibits", Checkbox).value

    def password(self, path: Path) -> str | None | bool:
        """The password to protect the workbook with, None for none, or False
        when what was typed cannot be used (said under the fields)."""
        if self._format_of(path) != "xlsx" or not self.query_one("#protect", Checkbox).value:
            return None
        password = self.query_one("#password", Input).value
        if not password:
            self._show_error("password-error", "Type a password, or untick \"Protect with "
                                               "a password\".")
            self.query_one("#password", Input).focus()
            return False
        if self.query_one("#confirm", Input).value != password:
            self._show_error("password-error", "The two passwords differ; type the same "
                                               "password in both fields.")
            self.query_one("#confirm", Input).focus()
            return False
        return password

    def _format_suffix(self) -> str:
        value = self.query_one("#format", Select).value
        return next((suffix for _, fmt, suffix in FORMATS if fmt == value), FORMATS[0][2])

    def _format_of(self, path: Path) -> str:
        """A typed ending (.xlsx, .json) wins over the list, so the file's
        name never disagrees with what is inside it."""
        for _, fmt, suffix in FORMATS:
            if path.suffix.lower() == suffix:
                return fmt
        return str(self.query_one("#format", Select).value)

    @on(Select.Changed, "#format")
    def _format_changed(self) -> None:
        """Keep the file name's ending in step with the chosen format."""
        field = self.query_one("#path", PathInput)
        path = Path(field.value.strip())
        if path.suffix.lower() in {suffix for _, _, suffix in FORMATS}:
            with field.prevent(Input.Changed):
                field.value = str(path.with_suffix(self._format_suffix()))
        self._show_options()

    @on(Input.Submitted)
    @on(Button.Pressed, "#export")
    def action_export(self) -> None:
        if self.busy:
            return
        path = self.target_path()
        if path is None:
            return
        password = self.password(path)
        if password is False:
            return
        self._set_busy(True)
        self._export(path, self._format_of(path), password or None, self._exhibits(path),
                     self.query_one("#replace", Checkbox).value)

    @work(thread=True, exit_on_error=False)
    def _export(self, out: Path, fmt: str, password: str | None, with_exhibits: bool,
                overwrite: bool) -> None:
        from case_workbook.cli import user_message

        try:
            lines = export_to(self.case, out, fmt, password=password,
                              with_exhibits=with_exhibits, overwrite=overwrite)
        except Exception as error:
            message = user_message(error)
            if message is None:  # not one we can put in words: the error dialog says so
                self.app.call_from_thread(self._set_busy, False)
                raise
            where = ("password-error" if isinstance(error, WorkbookPasswordError)
                     else "path-error" if isinstance(error, ExhibitFolderError)
                     else "form-error")
            self.app.call_from_thread(self._failed, where, message)
        else:
            self.app.call_from_thread(self._done, lines)

    def _done(self, lines: list[str]) -> None:
        self.dismiss(None)
        self.app.notify("\n".join(lines), title="Exported", markup=False, timeout=10)

    def _failed(self, where: str, message: str) -> None:
        self._set_busy(False)
        self._show_error(where, message)
