"""Import messages, step three: who the people in the messages are.

Each name the export uses is matched to a person already in the case when
the match is plain (same name, alias or phone number); the person confirms
it, picks another, or leaves it as a new person. They also say which name
is their own when the export does not, so messages read as sent or received.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Label, Select, Static

from case_workbook.importers.people import ME
from case_workbook.model.items import Person, Role
from case_workbook.tui.screens.dialogs import form_css
from case_workbook.tui.widgets.item_table import one_line


@dataclass(frozen=True)
class PeopleChoice:
    people: dict[str, str | None]  # name in the export -> person id, or None for a new person
    me: str | None


class MessagePeopleScreen(ModalScreen[PeopleChoice | None]):
    DEFAULT_CSS = form_css("MessagePeopleScreen") + """
    MessagePeopleScreen VerticalScroll { height: auto; max-height: 60vh; }
    MessagePeopleScreen .row { height: 1; margin-top: 1; }
    MessagePeopleScreen .row Label { width: 30; }
    MessagePeopleScreen .row Select { width: 1fr; }
    """
    BINDINGS = [Binding("escape", "cancel", "Back", id="people.cancel"),
                Binding("ctrl+s", "done", "Import", id="people.done")]

    def __init__(self, names: list[str], people: list[Person],
                 suggested: dict[str, str | None], ask_me: bool) -> None:
        super().__init__()
        self.names = names
        self.people = people
        self.suggested = suggested
        self.ask_me = ask_me

    def compose(self) -> ComposeResult:
        # Names are shown as Text: one like "[/]" would otherwise be read as markup.
        options = [(Text(one_line(f"{p.id} {p.name} ({p.role.value})")), p.id)
                   for p in self.people]
        defendants = {p.id for p in self.people if p.role is Role.DEFENDANT}
        with Vertical():
            yield Label("Who are the people in these messages?", classes="title")
            yield Static("Each name is as the export writes it. A plain match with someone "
                         "already in the case is filled in; change it or leave it as a new "
                         "person.", classes="hint")
            with VerticalScroll(id="form"):
                if self.ask_me:
                    names = [n for n in self.names if n != ME]
                    mine = next((n for n in names if self.suggested.get(n) in defendants), None)
                    yield Label("Which of these names is you? (so messages show as sent or "
                                "received)", classes="field")
                    yield Select([(Text(one_line(n)), n) for n in names], prompt="None of them",
                                 value=mine if mine is not None else Select.NULL, id="me",
                                 compact=True)
                for number, name in enumerate(self.names):
                    with Horizontal(classes="row"):
                        yield Label(Text(one_line("You (the phone's owner)" if name == ME
                                                  else name)))
                        match = self.suggested.get(name)
                        yield Select(options, prompt="A new person", id=f"person-{number}",
                                     value=match if match is not None else Select.NULL,
                                     compact=True)
            with Horizontal(classes="buttons"):
                yield Button("Back", id="cancel", compact=True)
                yield Button("Import", id="done", variant="primary", compact=True)

    def on_mount(self) -> None:
        self.query_one("#done", Button).focus()

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)

    @on(Button.Pressed, "#done")
    def action_done(self) -> None:
        people: dict[str, str | None] = {}
        for number, name in enumerate(self.names):
            select = self.query_one(f"#person-{number}", Select)
            people[name] = None if select.is_blank() else str(select.value)
        me = None
        if self.ask_me:
            select = self.query_one("#me", Select)
            me = None if select.is_blank() else str(select.value)
        self.dismiss(PeopleChoice(people, me))
