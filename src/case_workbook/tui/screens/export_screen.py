"""Export the case to a file for counsel: where, which format, and whether to
replace a file already there. The writing runs in a worker."""

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
from case_workbook.export.interchange import InterchangeError
from case_workbook.store.case_file import CaseFile
from case_workbook.store.errors import CaseFileError
from case_workbook.tui.screens.dialogs import ShowsWorkerErrors, show_field_error
from case_workbook.tui.screens.new_case import form_css, shown_path
from case_workbook.tui.screens.notice import MarkedCheckbox
from case_workbook.tui.widgets.path_suggester import PathInput

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
            with Vertical(id="form"):
                yield Label("Write to")
                yield PathInput(shown_path(default), id="path", compact=True)
                yield Static(id="path-error", classes="error", markup=False)
                yield Label("Format", classes="field")
                yield Select([(label, value) for label, value, _ in FORMATS], id="format",
                             value=FORMATS[0][1], allow_blank=False, compact=True)
                yield MarkedCheckbox("Replace the file if it exists", False, id="replace",
                               classes="field", compact=True)
            yield Static(id="form-error", classes="error", markup=False)
            with Vertical(id="busy"):
                yield Static("Exporting…", markup=False)
                yield LoadingIndicator()
            with Horizontal(classes="buttons"):
                yield Button("Cancel", id="cancel", compact=True)
                yield Button("Export", id="export", variant="primary", compact=True)

    def on_mount(self) -> None:
        self.query_one("#path", PathInput).focus()

    def _show_error(self, widget_id: str, message: str) -> None:
        show_field_error(self.query_one(f"#{widget_id}", Static), message)

    def _set_busy(self, busy: bool) -> None:
        # The case's connection is shared with the app: one thing at a time.
        self.busy = busy
        self.query_one("#busy").set_class(busy, "-shown")
        self.query_one("#form").disabled = busy
        for button in self.query(Button):
            button.disabled = busy

    @on(Input.Changed, "#path")
    @on(Checkbox.Changed)
    def _changed(self) -> None:
        self._show_error("path-error", "")
        self._show_error("form-error", "")

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        if not self.busy:
            self.dismiss(None)

    def target_path(self) -> Path | None:
        text = self.query_one("#path", PathInput).value.strip()
        if not text:
            self._show_error("path-error", "Type where to write the export.")
            return None
        path = Path(text).expanduser()
        if not path.suffix:
            path = path.with_name(path.name + self._format_suffix())
        if path.is_dir():
            self._show_error("path-error", f"{path} is a folder; add a file name to write.")
            return None
        if not path.parent.is_dir():
            self._show_error("path-error", f"The folder {path.parent} does not exist; "
                                           "create it first or choose another folder.")
            return None
        if path.exists() and not self.query_one("#replace", Checkbox).value:
            self._show_error("path-error", f"{path} already exists; tick \"Replace the file "
                                           "if it exists\" or choose another name.")
            return None
        return path.absolute()

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

    @on(Input.Submitted)
    @on(Button.Pressed, "#export")
    def action_export(self) -> None:
        if self.busy:
            return
        path = self.target_path()
        if path is None:
            return
        self._set_busy(True)
        self._export(path, self._format_of(path))

    @work(thread=True, exit_on_error=False)
    def _export(self, out: Path, fmt: str) -> None:
        try:
            export_to(self.case, out, fmt)
        except (InterchangeError, CaseFileError) as error:
            self.app.call_from_thread(self._failed, str(error))
        except OSError as error:
            self.app.call_from_thread(
                self._failed, f"Could not write {out}: {(error.strerror or str(error)).lower()}.")
        else:
            self.app.call_from_thread(self._done, out)

    def _done(self, out: Path) -> None:
        self.dismiss(None)
        self.app.notify(f"Exported to {out}", markup=False)

    def _failed(self, message: str) -> None:
        self._set_busy(False)
        self._show_error("form-error", message)
