"""Tagging through the dialog: suggestions with reasons, accepted or rejected by
the person, a note per link, saved to the case file at once."""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual.widgets import Input, OptionList, Static, TabbedContent

from case_workbook.model.case import CaseHeader
from case_workbook.model.framework import load_builtin
from case_workbook.model.items import Delivery, Threat, ThemeLink
from case_workbook.store.case_file import CaseFile
from case_workbook.tui.app import CaseWorkbookApp
from case_workbook.tui.screens.dialogs import ConfirmScreen
from case_workbook.tui.screens.tag_screen import TagScreen
from case_workbook.user_state import UserState

KNIFE = "He held a knife and said he would hurt my sister [/x] [bold] 🔪"


def make_case(path: Path, *threats: Threat) -> None:
    case = CaseFile.create(path, CaseHeader(title="Tagging"), load_builtin("general"),
                           actor="tester")
    for threat in threats or (Threat(summary=KNIFE, delivery=Delivery.IN_PERSON),):
        case.add(threat)
    case.close()


def stored_themes(path: Path, item_id: str = "T-001") -> list[ThemeLink]:
    with CaseFile.open(path, readonly=True) as case:
        return case.get(item_id).themes


async def type_text(pilot, text: str) -> None:
    for char in text:
        await pilot.press("space" if char == " " else char)


def prompt_text(dialog: TagScreen, theme_id: str) -> str:
    prompt = dialog.query_one("#theme-choices", OptionList).get_option(theme_id).prompt
    return prompt.plain if isinstance(prompt, Text) else str(prompt)


async def open_tag_dialog(app, pilot) -> TagScreen:
    await pilot.pause()
    app.screen.query_one(TabbedContent).active = "tab-threat"
    await pilot.pause()
    app.screen.current_list().table.focus()
    await pilot.press("t")
    await pilot.pause()
    assert isinstance(app.screen, TagScreen)
    return app.screen


def app_for(path: Path) -> CaseWorkbookApp:
    return CaseWorkbookApp(path, state=UserState(notice_dismissed=True))


async def test_accept_a_suggestion_with_a_note_and_reject_another(tmp_path):
    path = tmp_path / "case.cwb"
    make_case(path)
    app = app_for(path)
    async with app.run_test(size=(100, 30)) as pilot:
        dialog = await open_tag_dialog(app, pilot)
        # Both cues fire for an in-person threat with a knife; neither is a link yet.
        assert prompt_text(dialog, "nature_of_threat").endswith("[ ] not linked · suggested")
        assert prompt_text(dialog, "immediacy").endswith("[ ] not linked · suggested")
        assert prompt_text(dialog, "own_fault").endswith("[ ] not linked")
        reasons = dialog.query_one("#reasons", Static).content
        assert '"knife"' in str(reasons)

        await pilot.press("a")  # accept "Nature of the threat"; the note field gets focus
        assert prompt_text(dialog, "nature_of_threat").endswith("[x] linked")
        assert isinstance(app.focused, Input)
        await type_text(pilot, "[/x] I saw the knife")
        await pilot.press("enter")  # back to the list of themes
        await pilot.press("down")  # "Immediacy"
        await pilot.press("r")
        assert prompt_text(dialog, "immediacy").endswith("[ ] not linked · rejected")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert not isinstance(app.screen, TagScreen)
        themes = app.screen.case.get("T-001").themes
        assert themes == [ThemeLink(theme_id="nature_of_threat", note="[/x] I saw the knife")]
    assert stored_themes(path) == themes


async def test_a_suggestion_is_not_a_link_until_accepted(tmp_path):
    path = tmp_path / "case.cwb"
    make_case(path)
    app = app_for(path)
    async with app.run_test(size=(100, 30)) as pilot:
        dialog = await open_tag_dialog(app, pilot)
        assert dialog.links() == []
        await pilot.press("down", "down", "down", "down", "down")  # "Placing oneself…"
        await pilot.press("space")  # a theme that was not suggested, linked by hand
        assert prompt_text(dialog, "own_fault").endswith("[x] linked")
        await pilot.press("space", "space")  # off and on again
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen.case.get("T-001").theme_ids() == ["own_fault"]


async def test_links_keep_the_framework_order(tmp_path):
    path = tmp_path / "case.cwb"
    make_case(path)
    app = app_for(path)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_tag_dialog(app, pilot)
        await pilot.press("end", "space", "home", "a", "enter", "ctrl+s")
        await pilot.pause()
        assert app.screen.case.get("T-001").theme_ids() == ["nature_of_threat", "own_fault"]


async def test_cancelling_a_changed_dialog_asks_first(tmp_path):
    path = tmp_path / "case.cwb"
    make_case(path)
    app = app_for(path)
    async with app.run_test(size=(100, 30)) as pilot:
        dialog = await open_tag_dialog(app, pilot)
        await pilot.press("a")
        await type_text(pilot, "my words")
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("escape")  # keep editing: nothing is lost
        await pilot.pause()
        assert app.screen is dialog
        assert dialog.links() == [ThemeLink(theme_id="nature_of_threat", note="my words")]
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("y")  # discard
        await pilot.pause()
        assert not isinstance(app.screen, (TagScreen, ConfirmScreen))
        assert app.screen.case.get("T-001").themes == []
    assert stored_themes(path) == []


async def test_cancelling_an_unchanged_dialog_just_closes(tmp_path):
    path = tmp_path / "case.cwb"
    make_case(path)
    app = app_for(path)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_tag_dialog(app, pilot)
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, (TagScreen, ConfirmScreen))


async def test_existing_links_and_notes_show_and_survive_unlinking(tmp_path):
    path = tmp_path / "case.cwb"
    make_case(path, Threat(summary="A call at night", delivery=Delivery.CALL,
                           themes=[ThemeLink(theme_id="reasonable_fear", note="I shook")]))
    app = app_for(path)
    async with app.run_test(size=(100, 30)) as pilot:
        dialog = await open_tag_dialog(app, pilot)
        assert prompt_text(dialog, "reasonable_fear").endswith("[x] linked")
        await pilot.press("down", "down")  # "Reasonable fear"
        assert dialog.query_one("#note", Input).value == "I shook"
        await pilot.press("space", "space")  # unlink and link again: the note comes back
        assert dialog.query_one("#note", Input).value == "I shook"
        await pilot.press("space")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen.case.get("T-001").themes == []


async def test_a_store_error_is_shown_in_the_dialog_and_keeps_everything(tmp_path):
    path = tmp_path / "case.cwb"
    make_case(path)
    app = app_for(path)
    async with app.run_test(size=(100, 30)) as pilot:
        dialog = await open_tag_dialog(app, pilot)
        await pilot.press("a")
        await type_text(pilot, "kept")
        app.screen_stack[-2].case.delete("T-001")  # gone underneath the open dialog
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is dialog
        error = dialog.query_one("#tag-error", Static)
        assert error.display
        assert str(error.content).startswith("Not saved: ")
        assert "T-001" in str(error.content)
        assert dialog.query_one("#note", Input).value == "kept"
        assert dialog.links() == [ThemeLink(theme_id="nature_of_threat", note="kept")]


async def test_the_dialog_fits_a_small_terminal(tmp_path):
    path = tmp_path / "case.cwb"
    make_case(path)
    app = app_for(path)
    async with app.run_test(size=(80, 24)) as pilot:
        dialog = await open_tag_dialog(app, pilot)
        choices = dialog.query_one("#theme-choices", OptionList)
        assert choices.size.height >= 6 and choices.size.width >= 24
        assert dialog.query_one("#save").region.bottom <= 24
        await pilot.press("a")
        note = dialog.query_one("#note", Input)
        assert note.region.height > 0 and note.region.bottom <= 23
