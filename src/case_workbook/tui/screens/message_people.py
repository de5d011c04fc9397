"""Import messages, step three: who the people in the messages are.

Each name the export uses is matched to a person already in the case when
the match is plain (same name, alias or phone number); the person confirms
it, picks another, or leaves it as a new person. They also say which name
is their own when the export does not, so messages read as sent or received.

The names are one list and each is changed in a picker that filters the
case's people as one types: a group chat of hundreds of names and a case of
hundreds of people show at once (one drop-down per name, each holding every
person, took seconds).
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, OptionList, Select, Static
from textual.widgets.option_list import Option

from case_workbook.importers.people import ME
from case_workbook.model.items import Person, Role
from case_workbook.tui.screens.dialogs import form_css
from case_workbook.tui.widgets.item_table import one_line

NEW_PERSON = "A new person"
_NEW = "\x00new"  # the picker's option for "a new person" (no person id looks like it)


@dataclass(frozen=True)
class PeopleChoice:
    people: dict[str, str | None]  # name in the export -> person id, or None for a new person
    me: str | None


def person_text(person: Person) -> str:
    return one_line(f"{person.id} {person.name} ({person.role.value})")


class MessagePeopleScreen(ModalScreen[PeopleChoice | None]):
    DEFAULT_CSS = form_css("MessagePeopleScreen") + """
    MessagePeopleScreen #names { height: auto; max-height: 50vh; margin-top: 1; }
    """
    BINDINGS = [Binding("escape", "cancel", "Back", id="people.cancel"),
                Binding("ctrl+s", "done", "Import", id="people.done")]

    def __init__(self, names: list[str], people: list[Person],
                 suggested: dict[str, str | None], ask_me: bool) -> None:
        super().__init__()
        self.names = names
        self.people = people
        self.by_id = {p.id: p for p in people}
        self.ask_me = ask_me
        self.chosen: dict[str, str | None] = {
            n: found if (found := suggested.get(n)) in self.by_id else None for n in names}

    def compose(self) -> ComposeResult:
        defendants = {p.id for p in self.people if p.role is Role.DEFENDANT}
        with Vertical():
            yield Label("Who are the people in these messages?", classes="title")
            yield Static("Each name is as the export writes it. A plain match with someone "
                         "already in the case is filled in; press enter on a name to choose "
                         "someone else, or leave it as a new person.", classes="hint")
            if self.ask_me:
                names = [n for n in self.names if n != ME]
                mine = next((n for n in names if self.chosen.get(n) in defendants), None)
                yield Label("Which of these names is you? (so messages show as sent or "
                            "received)", classes="field")
                # Names are shown as Text: one like "[/]" would otherwise be read as markup.
                yield Select([(Text(one_line(n)), n) for n in names], prompt="None of them",
                             value=mine if mine is not None else Select.NULL, id="me",
                             compact=True)
            yield OptionList(*[self._option(n) for n in self.names], id="names")
            with Horizontal(classes="buttons"):
                yield Button("Back", id="cancel", compact=True)
                yield Button("Import", id="done", variant="primary", compact=True)

    def _option(self, name: str) -> Option:
        shown = "You (the phone's owner)" if name == ME else name
        person = self.by_id.get(self.chosen[name] or "")
        text = Text(one_line(shown), style="bold")
        text.append("  →  ", style="not bold")
        text.append(person_text(person) if person is not None else NEW_PERSON, style="not bold")
        return Option(text, id=f"name-{self.names.index(name)}")

    def on_mount(self) -> None:
        self.query_one("#done", Button).focus()

    @on(OptionList.OptionSelected, "#names")
    def _change(self, event: OptionList.OptionSelected) -> None:
        number = event.option_index
        name = self.names[number]

        def picked(found: str | None) -> None:
            if found is None:  # the picker was closed without a choice
                return
            self.chosen[name] = None if found == _NEW else found
            names = self.query_one("#names", OptionList)
            names.replace_option_prompt_at_index(number, self._option(name).prompt)

        self.app.push_screen(PersonPicker(name, self.people, self.chosen[name]), picked)

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)

    @on(Button.Pressed, "#done")
    def action_done(self) -> None:
        me = None
        if self.ask_me:
            select = self.query_one("#me", Select)
            me = None if select.is_blank() else str(select.value)
        self.dismiss(PeopleChoice(dict(self.chosen), me))


class PersonPicker(ModalScreen[str | None]):
    """Who a name in the export is: a person of the case (found by typing part
    of a name, alias or id) or a new person. Returns a person id, `_NEW`, or
    None when closed without choosing."""

    DEFAULT_CSS = form_css("PersonPicker") + """
    PersonPicker #choices { height: auto; max-height: 50vh; margin-top: 1; }
    """
    BINDINGS = [Binding("escape", "cancel", "Back", id="picker.cancel"),
                Binding("down", "to_list", "To the list", show=False, id="picker.down")]

    def __init__(self, name: str, people: list[Person], current: str | None) -> None:
        super().__init__()
        self.name_in_export = name
        self.people = people
        self.current = current
        self._words = {p.id: " ".join([p.id, p.name, *p.aliases]).casefold() for p in people}

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(Text(f"Who is “{one_line(self.name_in_export)}”?"), classes="title")
            yield Input(placeholder="Type part of a name to find someone", id="find",
                        compact=True)
            yield OptionList(id="choices")
            yield Static("enter chooses the highlighted line · ↓ moves into the list · "
                         "esc goes back without changing it", classes="hint")

    def on_mount(self) -> None:
        self._fill("")
        self.query_one("#find", Input).focus()

    def _fill(self, typed: str) -> None:
        words = typed.casefold().split()
        found = [p for p in self.people if all(w in self._words[p.id] for w in words)]
        choices = self.query_one("#choices", OptionList)
        choices.clear_options()
        choices.add_options([Option(NEW_PERSON, id=_NEW)]
                            + [Option(Text(person_text(p)), id=p.id) for p in found])
        ids = [_NEW] + [p.id for p in found]
        wanted = self.current if self.current in ids and not words else (
            ids[1] if words and len(ids) > 1 else _NEW)
        choices.highlighted = ids.index(wanted)

    @on(Input.Changed, "#find")
    def _typed(self, event: Input.Changed) -> None:
        self._fill(event.value)

    @on(Input.Submitted, "#find")
    def _enter(self) -> None:
        choices = self.query_one("#choices", OptionList)
        if choices.highlighted is not None:
            self.dismiss(choices.get_option_at_index(choices.highlighted).id)

    @on(OptionList.OptionSelected, "#choices")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_to_list(self) -> None:
        self.query_one("#choices", OptionList).focus()

    def action_cancel(self) -> None:
        self.dismiss(None)
