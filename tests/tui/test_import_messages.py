"""Issue 7 in the terminal: choose an export, filter the preview, choose
messages, say who is who, import — and find them in the Communications tab
and the Chronology. The export is a real WhatsApp file from ../shared/fixtures."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input, Static, TabbedContent

from case_workbook.core import create_case
from case_workbook.model.items import Kind, Person, Role
from case_workbook.store.case_file import CaseFile
from case_workbook.tui.app import CaseWorkbookApp
from case_workbook.tui.screens.case_screen import CaseScreen
from case_workbook.tui.screens.import_file import DayOrderScreen, ImportFileScreen
from case_workbook.tui.screens.message_people import MessagePeopleScreen
from case_workbook.tui.screens.message_preview import MessagePreviewScreen
from case_workbook.tui.widgets.item_table import ItemTable
from case_workbook.tui.widgets.list_pane import ListPane
from case_workbook.user_state import UserState
from tests.tui.pilot_helpers import replace_text
from tests.tui.test_end_to_end import until

FIXTURES = Path(__file__).resolve().parents[3] / "shared" / "fixtures"
CHAT = FIXTURES / "whatsapp" / "pustur_ios_example_2024_chat.txt"


def _case(tmp_path: Path) -> Path:
    path = tmp_path / "messages.cwb"
    create_case(path, title="Messages", framework_id="general", zone="Europe/Rome")
    return path


async def _to_preview(pilot, app, export: Path) -> MessagePreviewScreen:
    await until(pilot, lambda: isinstance(app.screen, CaseScreen))
    await pilot.press("i")
    await until(pilot, lambda: isinstance(app.screen, ImportFileScreen))
    await replace_text(pilot, app.screen.query_one("#path", Input), str(export))
    await pilot.press("enter")
    await until(pilot, lambda: isinstance(app.screen, (MessagePreviewScreen, DayOrderScreen)),
                tries=200)
    if isinstance(app.screen, DayOrderScreen):
        await pilot.click("#day-first")
        await until(pilot, lambda: isinstance(app.screen, MessagePreviewScreen), tries=200)
    return app.screen


async def test_preview_filter_choose_import_and_find_them(tmp_path):
    path = _case(tmp_path)
    with CaseFile.open(path) as case:
        case.add(Person(name="Me Myself", role=Role.DEFENDANT))
    app = CaseWorkbookApp(path, state=UserState(notice_dismissed=True))
    async with app.run_test(size=(120, 40)) as pilot:
        preview = await _to_preview(pilot, app, CHAT)
        table = preview.query_one(ItemTable)
        total = len(preview.result.messages)
        assert total > 10 and len(table.rows) == total

        # The zone is asked (the export records none); the case's is offered.
        assert preview.query_one("#zone", Input).value == "Europe/Rome"
        # The date fields' hints are the export's own first and last days.
        days = sorted(m.stamp.local.date().isoformat() for m in preview.result.messages)
        assert preview.query_one("#from", Input).placeholder == f"from {days[0]}"
        assert preview.query_one("#to", Input).placeholder == f"to {days[-1]}"
        # Filter by words, choose everything shown.
        word = "POLL"
        await replace_text(pilot, preview.query_one("#text", Input), word)
        await until(pilot, lambda: 0 < len(table.rows) < total)
        shown = list(table.rows)
        assert all(word.casefold() in preview.result.messages[i].text.casefold()
                   for i in shown)
        table.focus()
        await pilot.press("ctrl+a")
        assert preview.chosen == set(shown)
        # Clear the filter; choose one more by hand with space.
        await replace_text(pilot, preview.query_one("#text", Input), "")
        await until(pilot, lambda: len(table.rows) == total)
        table.focus()
        first_other = next(i for i in range(total) if i not in shown
                           and preview.result.messages[i].sender)
        table.cursor = first_other
        await pilot.press("space")
        chosen = preview.chosen | set()
        assert first_other in chosen and len(chosen) == len(shown) + 1
        count = preview.query_one("#count", Static).render()
        assert f"{len(chosen)} chosen" in str(count)
        await pilot.press("ctrl+s")

        await until(pilot, lambda: isinstance(app.screen, MessagePeopleScreen))
        people = app.screen
        await pilot.click("#done")
        await until(pilot, lambda: isinstance(app.screen, CaseScreen), tries=200)
        screen = app.screen
        await until(pilot, lambda: len(screen.case.items(Kind.COMMUNICATION)) == len(chosen))
        assert people.names  # the senders were offered

        # In the Communications tab…
        await pilot.press("4")
        await until(pilot, lambda: screen.query_one(TabbedContent).active == "tab-communication")
        pane = screen.query_one("#list-communication", ListPane)
        await until(pilot, lambda: len(pane.table.rows) == len(chosen))
        item = pane.table.rows[0]
        assert item.imported is not None and item.imported.zone == "Europe/Rome"
        assert item.imported.zone_stated
        # …and the Chronology.
        await pilot.press("1")
        chronology = screen.query_one("#list-chronology", ListPane)
        await until(pilot, lambda: {i.id for i in chronology.table.rows}
                    >= {i.id for i in pane.table.rows})


async def test_a_second_import_of_the_same_file_offers_nothing_new(tmp_path):
    path = _case(tmp_path)
    app = CaseWorkbookApp(path, state=UserState(notice_dismissed=True))
    async with app.run_test(size=(100, 30)) as pilot:
        preview = await _to_preview(pilot, app, CHAT)
        preview.query_one(ItemTable).focus()
        await pilot.press("ctrl+a", "ctrl+s")
        await until(pilot, lambda: isinstance(app.screen, MessagePeopleScreen))
        await pilot.click("#done")
        await until(pilot, lambda: isinstance(app.screen, CaseScreen), tries=200)
        screen = app.screen
        count = len(preview.result.messages)
        await until(pilot, lambda: len(screen.case.items(Kind.COMMUNICATION)) == count)

        again = await _to_preview(pilot, app, CHAT)
        assert again.have == set(range(count))
        again.query_one(ItemTable).focus()
        await pilot.press("ctrl+a")
        assert again.chosen == set()
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, CaseScreen))
        assert len(screen.case.items(Kind.COMMUNICATION)) == count


async def test_a_file_that_is_not_an_export_is_one_sentence_under_the_field(tmp_path):
    path = _case(tmp_path)
    junk = tmp_path / "notes.txt"
    junk.write_text("just some notes\nnothing like a chat\n")
    app = CaseWorkbookApp(path, state=UserState(notice_dismissed=True))
    async with app.run_test(size=(100, 30)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, CaseScreen))
        await pilot.press("i")
        await until(pilot, lambda: isinstance(app.screen, ImportFileScreen))
        await replace_text(pilot, app.screen.query_one("#path", Input), str(junk))
        await pilot.press("enter")
        error = app.screen.query_one("#path-error", Static)
        await until(pilot, lambda: error.has_class("-shown"), tries=200)
        assert "notes.txt is not a message export" in str(error.render())
        assert isinstance(app.screen, ImportFileScreen)


async def test_the_preview_sorts_by_time_though_the_export_is_newest_first(tmp_path):
    from case_workbook.importers.filters import message_instant

    path = _case(tmp_path)
    export = FIXTURES / "facebook_messenger" / "langchain_facebook_chat.json"
    app = CaseWorkbookApp(path, state=UserState(notice_dismissed=True))
    async with app.run_test(size=(100, 30)) as pilot:
        preview = await _to_preview(pilot, app, export)
        table = preview.query_one(ItemTable)
        messages = preview.result.messages

        def times():
            return [message_instant(messages[r], "UTC") for r in table.rows]

        assert times() == sorted(times(), reverse=True)  # as the file has them
        table.focus()
        await pilot.press("s", "s", "s")  # mark, where, when
        await until(pilot, lambda: table.sort is not None and table.sort.key == "when")
        await until(pilot, lambda: times() == sorted(times()) and times() != times()[::-1])
        await pilot.press("S")
        await until(pilot, lambda: times() == sorted(times(), reverse=True))


async def test_names_like_markup_and_going_back_from_the_people_step(tmp_path):
    from textual.widgets import Select

    path = _case(tmp_path)
    with CaseFile.open(path) as case:
        case.add(Person(name="[/b]", role=Role.OTHER))
    chat = tmp_path / "WhatsApp Chat with X.txt"
    chat.write_text("13/02/2024, 10:00 - [/]: [bold]not markup[/bold]\n"
                    "13/02/2024, 10:01 - [/b]: a reply\n"
                    "13/02/2024, 10:02 - Kim: a group of three\n", encoding="utf-8")
    app = CaseWorkbookApp(path, state=UserState(notice_dismissed=True))
    async with app.run_test(size=(100, 30)) as pilot:
        preview = await _to_preview(pilot, app, chat)
        table = preview.query_one(ItemTable)
        preview.query_one("#participant", Select).value = "[/]"
        await until(pilot, lambda: len(table.rows) == 1)
        table.focus()
        await pilot.press("ctrl+a", "ctrl+s")
        await until(pilot, lambda: isinstance(app.screen, MessagePeopleScreen))
        await pilot.press("escape")  # back to the preview: the choice is still there
        await until(pilot, lambda: isinstance(app.screen, MessagePreviewScreen))
        assert app.screen.chosen == {0}
        app.screen.query_one(ItemTable).focus()
        await pilot.press("ctrl+s")
        await until(pilot, lambda: isinstance(app.screen, MessagePeopleScreen))
        await pilot.click("#done")
        await until(pilot, lambda: isinstance(app.screen, CaseScreen), tries=200)
        [item] = app.screen.case.items(Kind.COMMUNICATION)
        assert item.content == "[bold]not markup[/bold]"
        assert app.screen.case.get(item.sender[0]).name == "[/]"


async def test_a_name_is_matched_to_a_person_found_by_typing(tmp_path):
    from textual.widgets import OptionList

    from case_workbook.tui.screens.message_people import PersonPicker

    path = _case(tmp_path)
    with CaseFile.open(path) as case:
        for n in range(120):  # a case with many people: the picker finds one by typing
            case.add(Person(name=f"Witness number {n}", role=Role.WITNESS))
        case.add(Person(name="Loris Marchetti", role=Role.OTHER, aliases=["Lor"]))
    app = CaseWorkbookApp(path, state=UserState(notice_dismissed=True))
    async with app.run_test(size=(100, 30)) as pilot:
        preview = await _to_preview(pilot, app, CHAT)
        preview.query_one(ItemTable).focus()
        await pilot.press("ctrl+a", "ctrl+s")
        await until(pilot, lambda: isinstance(app.screen, MessagePeopleScreen))
        people = app.screen
        names = people.query_one("#names", OptionList)
        loris = people.names.index("Loris")
        assert people.chosen["Loris"] is None  # "Loris" alone is not a plain match
        names.focus()
        names.highlighted = loris
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, PersonPicker))
        await replace_text(pilot, app.screen.query_one("#find", Input), "marchet")
        choices = app.screen.query_one("#choices", OptionList)
        assert choices.option_count == 2  # "A new person" and the one found
        await pilot.press("enter")
        await until(pilot, lambda: app.screen is people)
        marchetti = next(p for p in people.people if p.name == "Loris Marchetti")
        assert people.chosen["Loris"] == marchetti.id
        assert "Loris Marchetti" in str(names.get_option_at_index(loris).prompt)
        # Escape in the picker changes nothing.
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, PersonPicker))
        await pilot.press("escape")
        await until(pilot, lambda: app.screen is people)
        assert people.chosen["Loris"] == marchetti.id

        await pilot.click("#done")
        await until(pilot, lambda: isinstance(app.screen, CaseScreen), tries=200)
        screen = app.screen
        await until(pilot, lambda: len(screen.case.items(Kind.COMMUNICATION)) > 0)
        from_loris = [c for c in screen.case.items(Kind.COMMUNICATION)
                      if c.sender == [marchetti.id]]
        assert from_loris
        assert len(screen.case.items(Kind.PERSON)) == 121 + len(people.names) - 1
