"""A new case: its title, the defendant, the framework and where to save it."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from case_workbook.model.framework import (
    Framework,
    FrameworkError,
    list_frameworks,
    load_framework_file,
    user_frameworks_dir,
)
from case_workbook.store.errors import CaseFileError
from case_workbook.tui.screens.dialogs import form_css, show_field_error
from case_workbook.tui.screens.passphrase import NewPassphraseFields
from case_workbook.tui.widgets.path_suggester import (
    PathInput,
    TypedPathError,
    typed_path,
)

SUFFIX = ".cwb"

@dataclass(frozen=True)
class Choice:
    framework: Framework
    file: Path | None  # None: built in


def available_frameworks() -> tuple[list[Choice], list[str]]:
    """The built-in frameworks, then each readable file in the user's folder.
    A file that cannot be used is reported in one sentence and skipped, so one
    broken file does not hide the others."""
    choices = [Choice(fw, None) for fw in list_frameworks([])]
    problems: list[str] = []
    folder = user_frameworks_dir()
    if not folder.is_dir():
        return choices, problems
    try:
        files = sorted(p for p in folder.iterdir() if p.suffix.lower() == ".toml")
    except OSError as error:
        return choices, [f"{folder}: cannot be read ({(error.strerror or str(error)).lower()})."]
    seen = {c.framework.id for c in choices}
    for path in files:
        try:
            framework = load_framework_file(path)
        except FrameworkError as error:
            problems.append(str(error))
            continue
        if framework.id in seen:
            problems.append(f'{path}: id: "{framework.id}" is already used; '
                            "give this framework another id.")
            continue
        seen.add(framework.id)
        choices.append(Choice(framework, path))
    return choices, problems


def file_name_for(title: str) -> str:
    """A calm file name from a title: letters, digits and dashes."""
    name = re.sub(r"[^\w\- ]+", "", title, flags=re.UNICODE).strip()
    name = re.sub(r"[\s_]+", "-", name)[:60].strip("-")
    return (name or "case") + SUFFIX


def new_case_path(text: str, exists_hint: str) -> tuple[Path | None, str]:
    """Where a new case file goes (".cwb" added when missing), or None and the
    sentence that says why it cannot go there."""
    text = text.strip()
    if not text:
        return None, "Type where to save the case file, for example ~/Documents/my-case.cwb."
    try:
        path = typed_path(text)
    except TypedPathError as error:
        return None, str(error)
    if path.is_dir() or text.endswith("/"):  # not a file "Documents.cwb" beside the folder
        return None, f"{path} is a folder; add a name for the case file, such as my-case.cwb."
    if path.suffix.lower() != SUFFIX:
        path = path.with_name(path.name + SUFFIX)
    if not path.parent.is_dir():
        return None, (f"The folder {path.parent} does not exist; create it first or "
                      "choose another folder.")
    if path.exists():
        return None, f"{path} already exists; choose another name {exists_hint}."
    return path.absolute(), ""


def default_folder() -> Path:
    documents = Path.home() / "Documents"
    return documents if documents.is_dir() else Path.home()


def shown_path(path: Path) -> str:
    """The path as a person would type it: the home folder as ~."""
    try:
        inside = path.relative_to(Path.home())
    except ValueError:
        return str(path)
    return "~" if inside == Path(".") else f"~/{inside}"


def framework_prompt(choice: Choice, chosen: bool) -> Text:
    """Name and sources; the chosen one is marked by a symbol and a word, not
    only by the highlight colour."""
    framework = choice.framework
    text = Text("● " if chosen else "○ ")
    text.append(framework.name, style="bold")
    if chosen:
        text.append("  (chosen)")
    if choice.file is not None:
        text.append(f"  (your file: {choice.file.name})")
    text.append("\n    Sources: " + "; ".join(framework.sources), style="dim")
    return text


class NewCaseScreen(ModalScreen[Path | None]):
    """Dismissed with the new case's path, or None when cancelled."""

    DEFAULT_CSS = form_css("NewCaseScreen") + """
    NewCaseScreen > Vertical { height: 100%; max-height: 36; }
    NewCaseScreen #fields { height: 1fr; overflow-y: auto; }
    NewCaseScreen #frameworks { height: 1fr; min-height: 6; }
    """
    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="new_case.cancel"),
        Binding("ctrl+s", "create", "Create", id="new_case.create"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.choices, self.problems = available_frameworks()
        self.path_edited = False  # once the person types a path, the title no longer sets it
        self.auto_path = shown_path(default_folder() / file_name_for(""))
        self.passphrase: str | None = None

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label("A new case", classes="title")
            with Vertical(id="fields"):
                yield Label("Title (required)")
                yield Input(id="title", placeholder="for example: Notes for my attorney",
                            compact=True)
                yield Static(id="title-error", classes="error", markup=False)
                yield Label("Defendant's name or a pseudonym (optional)", classes="field")
                yield Input(id="defendant", compact=True)
                yield Label("Save the case file as", classes="field")
                yield PathInput(self.auto_path,
                                suffixes=(SUFFIX,), id="path", compact=True)
                yield Static(id="path-error", classes="error", markup=False)
                yield Checkbox("Encrypt the case file with a passphrase", id="encrypt",
                               compact=True, classes="field")
                yield NewPassphraseFields(id="passphrase-fields")
                yield Label("Framework: the themes your items can be linked to "
                            "(↑ ↓ to choose)", classes="field")
                for problem in self.problems:
                    yield Static(f"Not offered: {problem}", classes="hint", markup=False)
                yield OptionList(*[Option(framework_prompt(c, i == 0), id=str(i))
                                   for i, c in enumerate(self.choices)], id="frameworks")
            yield Static(id="form-error", classes="error", markup=False)
            with Horizontal(classes="buttons"):
                yield Button("Cancel", id="cancel", compact=True)
                yield Button("Create the case", id="create", variant="primary", compact=True)

    def on_mount(self) -> None:
        self.query_one("#frameworks", OptionList).highlighted = 0
        self.query_one("#passphrase-fields").display = False
        self.query_one("#title", Input).focus()

    @on(Checkbox.Changed, "#encrypt")
    def _encrypt_changed(self, event: Checkbox.Changed) -> None:
        self.query_one("#passphrase-fields", NewPassphraseFields).show(event.value)

    @on(OptionList.OptionHighlighted, "#frameworks")
    def _framework_moved(self, event: OptionList.OptionHighlighted) -> None:
        frameworks = event.option_list
        for index, choice in enumerate(self.choices):
            frameworks.replace_option_prompt_at_index(
                index, framework_prompt(choice, index == event.option_index))

    # --- keeping the path in step with the title ------------------------------------

    @on(Input.Changed, "#title")
    def _title_changed(self, event: Input.Changed) -> None:
        self._show_error("title-error", "")
        if self.path_edited:
            return
        path_input = self.query_one("#path", PathInput)
        folder = (Path(path_input.value).parent if path_input.value.strip()
                  else Path(shown_path(default_folder())))
        self.auto_path = str(folder / file_name_for(event.value))
        path_input.value = self.auto_path

    @on(Input.Changed, "#path")
    def _path_changed(self, event: Input.Changed) -> None:
        # Input also reports its first value and the ones set above: only a
        # different value is the person's own.
        if event.value != self.auto_path:
            self.path_edited = True
            self._show_error("path-error", "")

    @on(Input.Submitted)
    def _submitted(self) -> None:
        self.action_create()

    @on(Button.Pressed, "#create")
    def _create_pressed(self) -> None:
        self.action_create()

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)

    # --- creating ------------------------------------------------------------------

    def _show_error(self, widget_id: str, message: str) -> None:
        show_field_error(self.query_one(f"#{widget_id}", Static), message)

    def chosen(self) -> Choice | None:
        index = self.query_one("#frameworks", OptionList).highlighted
        return self.choices[index] if index is not None else None

    def target_path(self) -> Path | None:
        """The path to create, with problems shown under the field; None if any."""
        path, problem = new_case_path(self.query_one("#path", PathInput).value,
                                      "(to open that case, use Open a file)")
        self._show_error("path-error", problem)
        return path

    def action_create(self) -> None:
        self._show_error("form-error", "")
        title = self.query_one("#title", Input).value.strip()
        if not title:
            self._show_error("title-error", "A case needs a title; any name you will "
                                            "recognise is fine.")
        path = self.target_path()
        choice = self.chosen()
        if choice is None:
            self._show_error("form-error", "Choose a framework from the list.")
        passphrase = None
        if self.query_one("#encrypt", Checkbox).value:
            passphrase = self.query_one("#passphrase-fields", NewPassphraseFields).checked()
            if passphrase is None:
                return
        if not title or path is None or choice is None:
            return
        defendant = self.query_one("#defendant", Input).value.strip()
        from case_workbook.core import create_case

        try:
            create_case(path, title=title, framework_id=choice.framework.id,
                        framework_file=choice.file, defendant=defendant,
                        passphrase=passphrase)
        except (CaseFileError, FrameworkError) as error:
            self._show_error("form-error", str(error))
            return
        except OSError as error:
            self._show_error("form-error", f"The case file could not be written "
                                           f"({(error.strerror or str(error)).lower()}).")
            return
        self.passphrase = passphrase  # the app opens the new case with it
        self.dismiss(path)
