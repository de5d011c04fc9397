"""The start screen, the first-run notice, new case and open file, through the
real app on real files."""

from __future__ import annotations

import os
import stat

import pytest
from pilot_helpers import own_home, replace_text
from textual.widgets import Button, Checkbox, Input, OptionList, Static

from case_workbook.core import data_dir
from case_workbook.store.case_file import CaseFile
from case_workbook.tui.app import CaseWorkbookApp
from case_workbook.tui.screens.case_screen import CaseScreen
from case_workbook.tui.screens.dialogs import ErrorScreen
from case_workbook.tui.screens.new_case import NewCaseScreen, file_name_for
from case_workbook.tui.screens.notice import NoticeScreen
from case_workbook.tui.screens.open_file import OpenFileScreen
from case_workbook.tui.screens.open_workbook import OpenWorkbookScreen
from case_workbook.tui.screens.start import MISSING, StartScreen
from case_workbook.tui.widgets.path_suggester import PathInput, complete_path
from case_workbook.user_state import UserState, load_state

SIZE = (100, 30)
TRICKY = "State v. [/x] [bold]Doe[/bold] 🙂"


@pytest.fixture(autouse=True)
def home(tmp_path, monkeypatch):
    return own_home(tmp_path, monkeypatch, "Documents")


def quiet_app(path=None, state=None) -> CaseWorkbookApp:
    return CaseWorkbookApp(path, state=state or UserState(notice_dismissed=True))


async def type_text(pilot, text: str) -> None:
    """Key by key; what a key cannot carry (emoji) is inserted as a paste would."""
    for char in text:
        if char.isascii():
            await pilot.press(char)
        else:
            pilot.app.focused.insert_text_at_cursor(char)
    await pilot.pause()


def static_text(screen, selector: str) -> str:
    return str(screen.query_one(selector, Static).content)


def fully_visible(widget, size) -> bool:
    region = widget.region
    return (region.width > 0 and region.height > 0 and region.right <= size[0]
            and region.bottom <= size[1])


# --- the first-run notice -----------------------------------------------------------


async def test_first_run_shows_the_notice_and_remembers_it():
    app = CaseWorkbookApp(state=UserState())
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, NoticeScreen)
        words = " ".join(str(s.content) for s in app.screen.query(".point"))
        assert "no legal advice" in words
        assert "Nothing is sent anywhere" in words
        assert app.screen.query_one("#remember", Checkbox).value is True
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, StartScreen)
    assert load_state().notice_dismissed is True

    again = CaseWorkbookApp(state=load_state())
    async with again.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(again.screen, StartScreen)
        assert not any(isinstance(s, NoticeScreen) for s in again.screen_stack)


async def test_notice_unticked_is_shown_again():
    app = CaseWorkbookApp(state=UserState())
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.click("#remember")
        await pilot.pause()
        assert app.screen.query_one("#remember", Checkbox).value is False
        await pilot.click("#ok")
        await pilot.pause()
        assert isinstance(app.screen, StartScreen)
    assert load_state().notice_dismissed is False


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_notice_and_start_fit_small_and_large(size):
    app = CaseWorkbookApp(state=UserState())
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        notice = app.screen
        assert isinstance(notice, NoticeScreen)
        assert fully_visible(notice.query_one("#ok", Button), size)
        assert fully_visible(notice.query_one("#remember", Checkbox), size)
        await pilot.press("enter")
        await pilot.pause()
        start = app.screen
        assert isinstance(start, StartScreen)
        for button_id in ("#new", "#open", "#demo"):
            assert fully_visible(start.query_one(button_id, Button), size)


# --- recent cases ----------------------------------------------------------------------


async def test_start_lists_a_recent_case_and_enter_opens_it(case, case_path):
    case.close()
    state = UserState(notice_dismissed=True)
    state.remember(case_path, TRICKY)
    app = quiet_app(state=state)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        recent = app.screen.query_one("#recent", OptionList)
        prompt = recent.get_option_at_index(0).prompt
        assert TRICKY in prompt.plain and str(case_path.resolve()) in prompt.plain
        assert MISSING not in prompt.plain
        assert recent.has_focus
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, CaseScreen)
        assert app.screen.case.path.resolve() == case_path.resolve()


async def test_a_missing_recent_case_is_marked_and_can_be_removed(tmp_path, case, case_path):
    case.close()
    state = UserState(notice_dismissed=True)
    state.remember(tmp_path / "gone.cwb", "Gone case")
    state.remember(case_path, "Still here")
    app = quiet_app(state=state)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        recent = app.screen.query_one("#recent", OptionList)
        assert recent.option_count == 2
        gone = recent.get_option_at_index(1).prompt.plain
        assert "Gone case" in gone and MISSING in gone
        await pilot.press("down", "enter")
        await pilot.pause()
        assert isinstance(app.screen, ErrorScreen)  # said in words, nothing opened
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("r")
        await pilot.pause()
        assert recent.option_count == 1
        assert "Still here" in recent.get_option_at_index(0).prompt.plain
    assert [r.title for r in load_state().recent] == ["Still here"]
    assert case_path.exists()


# --- a new case ------------------------------------------------------------------------


async def test_n_creates_a_case_with_the_chosen_framework(tmp_path):
    target = tmp_path / "cases" / "my-case.cwb"
    target.parent.mkdir()
    app = quiet_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("n")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, NewCaseScreen)
        await type_text(pilot, "Notes for counsel")
        await pilot.press("tab")
        await type_text(pilot, "J. Doe")
        frameworks = form.query_one("#frameworks", OptionList)
        frameworks.focus()
        await pilot.pause()
        await pilot.press("down")
        await pilot.pause()
        assert "California  (chosen)" in frameworks.get_option_at_index(1).prompt.plain
        assert "(chosen)" not in frameworks.get_option_at_index(0).prompt.plain
        assert "CALCRIM 3402" in frameworks.get_option_at_index(1).prompt.plain
        await replace_text(pilot, form.query_one("#path", Input), str(target.with_suffix("")))
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, CaseScreen)
        assert app.screen.case.framework.id == "california"
        assert app.screen.case.header.title == "Notes for counsel"
        assert app.screen.case.header.defendant == "J. Doe"
    assert target.exists()  # ".cwb" was added
    assert stat.S_IMODE(os.stat(target).st_mode) == 0o600
    assert load_state().recent[0].path == str(target.resolve())


async def test_new_case_path_follows_the_title_until_edited(home):
    app = quiet_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("n")
        await pilot.pause()
        path_input = app.screen.query_one("#path", Input)
        assert path_input.value == "~/Documents/case.cwb"
        await type_text(pilot, "Doe / March")
        await pilot.pause()
        assert path_input.value == "~/Documents/Doe-March.cwb"
        await replace_text(pilot, path_input, "~/mine.cwb")
        app.screen.query_one("#title", Input).focus()
        await type_text(pilot, " more")
        await pilot.pause()
        assert path_input.value == "~/mine.cwb"


async def test_new_case_problems_are_said_under_the_fields_and_keep_the_input(tmp_path):
    existing = tmp_path / "taken.cwb"
    existing.write_bytes(b"already here")
    app = quiet_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("n")
        await pilot.pause()
        form = app.screen
        path_input = form.query_one("#path", Input)
        await replace_text(pilot, path_input, str(tmp_path / "no-such-folder" / "x.cwb"))
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, NewCaseScreen)
        assert "needs a title" in static_text(form, "#title-error")
        assert "does not exist" in static_text(form, "#path-error")
        assert path_input.value == str(tmp_path / "no-such-folder" / "x.cwb")

        form.query_one("#title", Input).focus()
        await type_text(pilot, TRICKY)
        await replace_text(pilot, path_input, str(existing))
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, NewCaseScreen)
        assert static_text(form, "#title-error") == ""
        assert "already exists" in static_text(form, "#path-error")
        assert form.query_one("#title", Input).value == TRICKY
    assert existing.read_bytes() == b"already here"


def test_file_names_from_titles():
    assert file_name_for("State v. Doe") == "State-v-Doe.cwb"
    assert file_name_for("[/x] ???") == "x.cwb"
    assert file_name_for("   ") == "case.cwb"


# --- opening a file ----------------------------------------------------------------------


async def open_path(pilot, app, text: str) -> None:
    await pilot.press("o")
    await pilot.pause()
    assert isinstance(app.screen, OpenFileScreen)
    await replace_text(pilot, app.screen.query_one("#path", Input), text)
    await pilot.press("enter")
    await pilot.pause()


async def test_open_a_file_by_typing_its_path(case, case_path):
    case.close()
    app = quiet_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_path(pilot, app, str(case_path))
        assert isinstance(app.screen, CaseScreen)
        assert app.screen.case.path.resolve() == case_path.resolve()


async def test_a_file_that_is_not_a_case_says_so_and_the_app_goes_on(tmp_path):
    junk = tmp_path / "junk.cwb"
    junk.write_bytes(os.urandom(3000))
    app = quiet_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_path(pilot, app, str(junk))
        error = app.screen
        assert isinstance(error, ErrorScreen)
        message = error.message
        assert message.strip() and message.count(". ") == 0 and "\n" not in message
        assert "Traceback" not in message
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, StartScreen)
        assert app.is_running


async def test_open_refuses_missing_files_and_hands_workbooks_on(tmp_path):
    workbook = tmp_path / "returned.xlsx"
    workbook.write_bytes(b"PK")
    app = quiet_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_path(pilot, app, str(tmp_path / "nope.cwb"))
        assert isinstance(app.screen, OpenFileScreen)
        assert "There is no file at" in static_text(app.screen, "#path-error")
        await replace_text(pilot, app.screen.query_one("#path", Input), str(workbook))
        await pilot.press("enter")
        await pilot.pause()
        # the dialog that rebuilds a case from it (see test_open_workbook.py)
        assert isinstance(app.screen, OpenWorkbookScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, StartScreen)


async def test_tab_completes_the_path(tmp_path, case, case_path):
    case.close()
    app = quiet_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("o")
        await pilot.pause()
        path_input = app.screen.query_one("#path", PathInput)
        await replace_text(pilot, path_input, str(tmp_path / "ca"))
        await pilot.pause(0.2)
        await pilot.press("tab")
        await pilot.pause()
        assert path_input.value == str(case_path)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, CaseScreen)


def test_complete_path(tmp_path):
    (tmp_path / "cases").mkdir()
    (tmp_path / "case-a.cwb").write_text("")
    (tmp_path / "case-b.cwb").write_text("")
    (tmp_path / "notes.txt").write_text("")
    (tmp_path / ".hidden.cwb").write_text("")
    (tmp_path / "report-2025-a.cwb").write_text("")
    (tmp_path / "report-2025-b.cwb").write_text("")
    folder = str(tmp_path) + os.sep
    assert complete_path(folder + "case-a") == folder + "case-a.cwb"
    assert complete_path(folder + "cases") == folder + "cases/"
    assert complete_path(folder + "rep", (".cwb",)) == folder + "report-2025-"
    assert complete_path(folder + "case-", (".cwb",)) == folder + "case-a.cwb"
    assert complete_path(folder + "n", (".cwb",)) is None
    assert complete_path(folder + "n") == folder + "notes.txt"
    assert complete_path(folder + ".h") == folder + ".hidden.cwb"
    assert complete_path(folder + "zzz") is None
    assert complete_path(str(tmp_path / "missing" / "x")) is None


# --- the demo ----------------------------------------------------------------------------


async def test_d_opens_the_demo_case():
    app = quiet_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("d")
        await pilot.pause()
        assert isinstance(app.screen, CaseScreen)
        assert app.screen.case.path == data_dir() / "demo.cwb"
        assert app.screen.index.items  # the demo holds items
    with CaseFile.open(data_dir() / "demo.cwb", readonly=True) as demo:
        assert demo.header.title
