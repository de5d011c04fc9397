"""Choosing linked items in a form: people (with "New person…"), exhibits, and
related items of any kind.

A picker keeps its own ordered list of chosen ids. It shows the chosen ones
first, then the others that match its filter, at most LIMIT at a time, so a
case with thousands of items stays quick to pick from.
"""

from __future__ import annotations

from collections.abc import Callable

from rich.segment import Segment
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.strip import Strip
from textual.widgets import Button, Input, Label, Select, SelectionList, Static
from textual.widgets._toggle_button import ToggleButton
from textual.widgets.option_list import OptionDoesNotExist
from textual.widgets.selection_list import Selection

from case_workbook.model.items import KIND_LABELS, AnyItem, Kind, Person, Role
from case_workbook.store.errors import CaseFileError
from case_workbook.tui.screens.dialogs import DIALOG_CSS, ShowsWorkerErrors
from case_workbook.tui.widgets.item_table import one_line
from case_workbook.views.index import CaseIndex

Choices = Callable[[], list[tuple[str, str]]]


class CheckList(SelectionList[str]):
    """A SelectionList whose boxes show ✓ when chosen: its own boxes differ only by colour."""

    def render_line(self, y: int) -> Strip:
        strip = super().render_line(y)
        segments = list(strip)
        try:
            selection = self.get_option_at_index(self.scroll_offset.y + y)
        except OptionDoesNotExist:
            return strip
        if len(segments) < 2 or segments[1].text != ToggleButton.BUTTON_INNER:
            return strip
        mark = "✓" if selection.value in self.selected else " "
        segments[1] = Segment(mark, segments[1].style, segments[1].control)
        return Strip(segments, strip.cell_length)


def _cut(text: str, width: int = 70) -> str:
    text = one_line(text)
    return text if len(text) <= width else text[: width - 1] + "…"


def person_label(person: Person) -> str:
    return f"{_cut(person.name, 50)} ({person.id})"


def item_label(item: AnyItem) -> str:
    """'T-004 threat: summary' (people by name, file exhibits by file name if no summary)."""
    text = item.summary
    if isinstance(item, Person):
        text = item.name
    elif not text and getattr(item, "file", None) is not None:
        text = item.file.original_name
    return f"{item.id} {KIND_LABELS[item.kind].lower()}: {_cut(text or '(no summary)', 60)}"


def person_choices(index: CaseIndex, exclude: str = "") -> Choices:
    return lambda: [(p.id, person_label(p)) for p in index.people() if p.id != exclude]


def exhibit_choices(index: CaseIndex, exclude: str = "") -> Choices:
    return lambda: [(e.id, item_label(e)) for e in index.of_kind(Kind.EXHIBIT) if e.id != exclude]


def item_choices(index: CaseIndex, exclude: str = "") -> Choices:
    def build() -> list[tuple[str, str]]:
        return [(i.id, item_label(i)) for kind in Kind for i in index.of_kind(kind)
                if i.id != exclude]
    return build


class ItemPicker(ShowsWorkerErrors, Vertical):
    """Choose one (multiple=False) or several ids from `choices`."""

    DEFAULT_CSS = """
    ItemPicker { height: auto; }
    ItemPicker SelectionList { height: auto; max-height: 8; }
    ItemPicker .picker-note { color: $text-muted; padding: 0 1; }
    ItemPicker .picker-row { height: auto; }
    ItemPicker .picker-row Input { width: 1fr; }
    """
    LIMIT = 60
    FILTER_FROM = 8  # a filter only when the list is longer than this

    def __init__(self, choices: Choices, selected: list[str], *, multiple: bool = True,
                 noun: str = "items", id: str | None = None) -> None:
        super().__init__(id=id)
        self.choices = choices
        self.selected: list[str] = list(dict.fromkeys(selected))
        self.multiple = multiple
        self.noun = noun
        self._labels: dict[str, str] = {}
        self._folded: dict[str, str] = {}
        self._filter = ""

    def compose(self) -> ComposeResult:
        with Horizontal(classes="picker-row"):
            yield Input(placeholder=f"Filter {self.noun}…", classes="picker-filter")
            yield from self.extra_buttons()
        yield CheckList()
        yield Static("", classes="picker-note")

    def extra_buttons(self) -> ComposeResult:
        return iter(())

    def on_mount(self) -> None:
        self.rebuild()

    @property
    def options(self) -> CheckList:
        return self.query_one(CheckList)

    def rebuild(self, reload: bool = True) -> None:
        """Fill the list again: chosen first, then others that match the filter.
        The choices are read again only when asked (not on each filter keystroke)."""
        if reload or not self._labels:
            self._labels = dict(self.choices())
            self._folded = {i: label.casefold() for i, label in self._labels.items()}
        terms = self._filter.casefold().split()
        chosen = set(self.selected)
        shown = [(i, self._labels.get(i, i)) for i in self.selected]
        others = [(i, label) for i, label in self._labels.items() if i not in chosen
                  and all(t in self._folded[i] for t in terms)]
        shown += others[: self.LIMIT]
        selection_list = self.options
        with selection_list.prevent(SelectionList.SelectedChanged):
            selection_list.clear_options()
            selection_list.add_options([Selection(Text(label), item_id, item_id in self.selected)
                                        for item_id, label in shown])
        selection_list.display = bool(shown)
        self.query_one(".picker-filter", Input).display = (
            len(self._labels) > self.FILTER_FROM or bool(self._filter))
        text = self._note(len(others))
        note = self.query_one(".picker-note", Static)
        note.update(Text(text))
        note.display = bool(text)

    def shown_ids(self) -> list[str]:
        """The ids listed now, in order."""
        options = self.options
        return [options.get_option_at_index(i).value for i in range(options.option_count)]

    def _note(self, matching: int) -> str:
        if not self._labels and not self.selected:
            return f"No {self.noun} in this case yet."
        if matching > self.LIMIT:
            return (f"Showing {self.LIMIT} of {matching} other {self.noun}; "
                    "type in the filter to find the one you want.")
        if self._filter and not matching:
            return f"No other {self.noun} match the filter."
        return ""

    def choose(self, item_id: str) -> None:
        """Add an id to the choice (a single picker replaces its choice)."""
        self.selected = (self.selected + [item_id]) if self.multiple else [item_id]
        self.selected = list(dict.fromkeys(self.selected))
        self.rebuild()

    @on(Input.Changed, ".picker-filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        event.stop()
        self._filter = event.value
        self.rebuild(reload=False)

    @on(SelectionList.SelectedChanged)
    def _changed(self, event: SelectionList.SelectedChanged) -> None:
        """Keep the chosen ids in the order they were chosen (a click, a key or code)."""
        event.stop()
        now = event.selection_list.selected
        kept = [i for i in self.selected if i in now]
        added = [i for i in now if i not in self.selected]
        if self.multiple or not added:
            self.selected = kept + added
            return
        self.selected = [added[-1]]
        with event.selection_list.prevent(SelectionList.SelectedChanged):
            for other in now:
                if other != added[-1]:
                    event.selection_list.deselect(other)


class PersonPicker(ItemPicker):
    """People, with a "New person…" button that adds one to the case at once."""

    def __init__(self, index: CaseIndex, selected: list[str], save: Callable[[AnyItem], AnyItem],
                 *, multiple: bool = True, exclude: str = "", id: str | None = None) -> None:
        super().__init__(person_choices(index, exclude), selected, multiple=multiple,
                         noun="people", id=id)
        self.save = save

    def extra_buttons(self) -> ComposeResult:
        yield Button("New person…", classes="new-person", compact=True)

    @on(Button.Pressed, ".new-person")
    def _new_person(self, event: Button.Pressed) -> None:
        event.stop()
        self.create_person()

    @work(exit_on_error=False)
    async def create_person(self) -> None:
        person = await self.app.push_screen_wait(NewPersonScreen(self.save))
        if person is not None:
            for picker in self.screen.query(PersonPicker):
                if picker is not self:
                    picker.rebuild()  # the new person can be chosen there too
            self.choose(person.id)
            self.options.focus()


class ExhibitPicker(ItemPicker):
    """Exhibits, with an "Add a file…" button that copies a file into the case
    as a new numbered exhibit and chooses it."""

    def __init__(self, index: CaseIndex, selected: list[str], *, exclude: str = "",
                 id: str | None = None) -> None:
        super().__init__(exhibit_choices(index, exclude), selected, noun="exhibits", id=id)
        self.index = index

    def extra_buttons(self) -> ComposeResult:
        yield Button("Add a file…", classes="new-exhibit", compact=True)

    @on(Button.Pressed, ".new-exhibit")
    def _new_exhibit(self, event: Button.Pressed) -> None:
        event.stop()
        self.add_file()

    @work(exit_on_error=False)
    async def add_file(self) -> None:
        from case_workbook.tui.screens.add_file import AddFileScreen

        exhibit = await self.app.push_screen_wait(AddFileScreen(self.index.case))
        if exhibit is not None:
            self.index.put(exhibit)  # the lists and other pickers see it too
            self.choose(exhibit.id)
            self.options.focus()


class NewPersonScreen(ModalScreen[Person | None]):
    """Name and role of a new person; saved to the case before it closes."""

    DEFAULT_CSS = DIALOG_CSS.format(name="NewPersonScreen") + """
    NewPersonScreen .field-label { text-style: bold; margin-top: 1; }
    NewPersonScreen .error { color: $text-error; text-style: bold; }
    """
    BINDINGS = [Binding("ctrl+s", "save", "Save", id="person.save", priority=True),
                Binding("escape", "cancel", "Cancel", id="person.cancel")]

    def __init__(self, save: Callable[[AnyItem], AnyItem]) -> None:
        super().__init__()
        self.save = save

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label("New person", classes="title")
            yield Static("", classes="error", id="person-error")
            yield Label("Name", classes="field-label")
            yield Input(id="person-name", placeholder="Name as you know them")
            yield Static("", classes="error", id="person-name-error")
            yield Label("Role", classes="field-label")
            yield Select([(role.value, role) for role in Role], value=Role.OTHER,
                         allow_blank=False, id="person-role")
            with Horizontal(classes="buttons"):
                yield Button("Cancel", id="cancel")
                yield Button("Save", id="save", variant="primary")

    def on_mount(self) -> None:
        self.query_one("#person-error").display = False
        self.query_one("#person-name-error").display = False
        self.query_one("#person-name", Input).focus()

    def _show(self, selector: str, message: str) -> None:
        widget = self.query_one(selector, Static)
        widget.update(Text(message))
        widget.display = bool(message)

    def action_save(self) -> None:
        name = self.query_one("#person-name", Input).value
        if not name.strip():
            self._show("#person-name-error", "✗ A person needs a name.")
            self.query_one("#person-name", Input).focus()
            return
        self._show("#person-name-error", "")
        role = self.query_one("#person-role", Select).value
        try:
            stored = self.save(Person(name=name, role=role if isinstance(role, Role) else Role.OTHER))
        except (CaseFileError, ValueError) as error:
            self._show("#person-error", f"✗ Not saved: {error}")
            return
        self.dismiss(stored)

    def action_cancel(self) -> None:
        self.dismiss(None)

    @on(Input.Submitted, "#person-name")
    def _submitted(self) -> None:
        self.action_save()

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "save":
            self.action_save()
        else:
            self.action_cancel()
