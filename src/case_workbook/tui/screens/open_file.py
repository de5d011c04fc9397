"""Open a case file, or a workbook from counsel (the app rebuilds a case from
it): type its path (with completion) or pick it from folders."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, DirectoryTree, Input, Label, Static

from case_workbook.tui.screens.dialogs import show_field_error
from case_workbook.tui.screens.new_case import default_folder, form_css, shown_path
from case_workbook.tui.widgets.path_suggester import (
    PathInput,
    TypedPathError,
    typed_path,
)

CASE_SUFFIX = ".cwb"
WORKBOOK_SUFFIX = ".xlsx"


class CaseFileTree(DirectoryTree):
    """Folders, case files and workbooks; nothing hidden, nothing else."""

    def filter_paths(self, paths: Iterable[Path]) -> Iterable[Path]:
        for path in paths:
            if path.name.startswith("."):
                continue
            try:
                if path.is_dir() or path.suffix.lower() in (CASE_SUFFIX, WORKBOOK_SUFFIX):
                    yield path
            except OSError:
                continue


class OpenFileScreen(ModalScreen[Path | None]):
    """Dismissed with the chosen path (the caller opens it), or None."""

    DEFAULT_CSS = form_css("OpenFileScreen") + """
    OpenFileScreen > Vertical { height: 100%; max-height: 32; }
    OpenFileScreen CaseFileTree { height: 1fr; margin-top: 1; background: $panel; }
    """
    BINDINGS = [Binding("escape", "cancel", "Cancel", id="open.cancel")]

    def __init__(self, folder: Path | None = None) -> None:
        super().__init__()
        self.folder = folder or default_folder()

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label("Open a case file, or a workbook from counsel", classes="title")
            yield Label("Type the path (tab completes it) or choose below")
            yield PathInput(shown_path(self.folder) + "/", suffixes=(CASE_SUFFIX, WORKBOOK_SUFFIX),
                            id="path", compact=True,
                            placeholder="for example ~/Documents/my-case.cwb")
            yield Static(id="path-error", classes="error", markup=False)
            yield CaseFileTree(Path.home(), id="tree")
            with Horizontal(classes="buttons"):
                yield Button("Cancel", id="cancel", compact=True)
                yield Button("Open", id="open", variant="primary", compact=True)

    def on_mount(self) -> None:
        self.query_one("#path", PathInput).focus()

    def _show_error(self, message: str) -> None:
        show_field_error(self.query_one("#path-error", Static), message)

    @on(Input.Changed, "#path")
    def _typed(self) -> None:
        self._show_error("")

    @on(DirectoryTree.DirectorySelected)
    def _folder_chosen(self, event: DirectoryTree.DirectorySelected) -> None:
        path_input = self.query_one("#path", PathInput)
        path_input.value = shown_path(event.path) + "/"
        path_input.cursor_position = len(path_input.value)

    @on(DirectoryTree.FileSelected)
    def _file_chosen(self, event: DirectoryTree.FileSelected) -> None:
        path_input = self.query_one("#path", PathInput)
        path_input.value = shown_path(event.path)
        self.choose(event.path)

    @on(Input.Submitted, "#path")
    @on(Button.Pressed, "#open")
    def _open(self) -> None:
        text = self.query_one("#path", PathInput).value.strip()
        if not text:
            self._show_error("Type the path of a case file, or choose one in the list.")
            return
        try:
            self.choose(typed_path(text))
        except TypedPathError as error:
            self._show_error(str(error))

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)

    def choose(self, path: Path) -> None:
        """Dismiss with `path` if it can be opened; otherwise say why and stay."""
        if path.is_dir():
            self._show_error(f"{path} is a folder; choose a {CASE_SUFFIX} case file inside it.")
            return
        if not path.exists():
            self._show_error(f"There is no file at {path}; check the name and the folder.")
            return
        self.dismiss(path.absolute())
