"""Encrypted cases in the screens: made from the new-case form, opened after
the passphrase is asked (a wrong one is said in the dialog), the passphrase
changed from the command palette, and the title never written outside the case."""

from __future__ import annotations

import pytest
from pilot_helpers import own_home, replace_text
from textual.widgets import Checkbox, Input, Static

from case_workbook.model.case import CaseHeader
from case_workbook.store import driver
from case_workbook.store.case_file import CaseFile
from case_workbook.store.inspect import is_encrypted_case
from case_workbook.tui.app import CaseWorkbookApp
from case_workbook.tui.screens.case_screen import CaseScreen
from case_workbook.tui.screens.export_screen import ExportScreen
from case_workbook.tui.screens.new_case import NewCaseScreen
from case_workbook.tui.screens.passphrase import (
    AskPassphraseScreen,
    ChangePassphraseScreen,
)
from case_workbook.user_state import UserState, load_state, state_path

SIZE = (100, 36)
TITLE = "Quillfeather notes"
PASS = "eight or more"

pytestmark = pytest.mark.skipif(not driver.encryption_available(),
                                reason="sqlcipher3 has no build for this platform")


@pytest.fixture(autouse=True)
def home(tmp_path, monkeypatch):
    return own_home(tmp_path, monkeypatch, "Documents")


def quiet_app(path=None) -> CaseWorkbookApp:
    return CaseWorkbookApp(path, state=UserState(notice_dismissed=True))


def error_text(screen) -> str:
    return str(screen.query_one("#passphrase-error", Static).content)


async def test_new_case_form_makes_an_encrypted_case(tmp_path):
    target = tmp_path / "secret.cwb"
    app = quiet_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("n")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, NewCaseScreen)
        fields = form.query_one("#passphrase-fields")
        assert not fields.display
        form.query_one("#title", Input).insert_text_at_cursor(TITLE)
        await replace_text(pilot, form.query_one("#path", Input), str(target))
        form.query_one("#encrypt", Checkbox).value = True
        await pilot.pause()
        assert fields.display and app.focused.id == "passphrase-first"
        app.focused.insert_text_at_cursor(PASS)
        await pilot.press("enter")  # the form's enter creates: the second field is empty
        await pilot.pause()
        assert "differ" in error_text(form) and not target.exists()
        form.query_one("#passphrase-again", Input).insert_text_at_cursor(PASS)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, CaseScreen)  # opened without asking again
        assert app.screen.case.encrypted
    assert is_encrypted_case(target) and TITLE.encode() not in target.read_bytes()
    assert load_state().recent[0].title == ""
    assert TITLE not in state_path().read_text()
    with CaseFile.open(target, passphrase=PASS) as case:
        assert case.header.title == TITLE


async def test_opening_asks_the_passphrase_and_says_when_it_is_wrong(tmp_path, framework):
    path = tmp_path / "secret.cwb"
    CaseFile.create(path, CaseHeader(title=TITLE), framework, passphrase=PASS).close()
    app = quiet_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, AskPassphraseScreen)
        assert error_text(dialog) == ""
        await pilot.press("enter")
        assert "Type the passphrase" in error_text(dialog)
        dialog.query_one("#passphrase", Input).insert_text_at_cursor("wrong one!")
        await pilot.press("enter")
        await pilot.pause()
        again = app.screen
        assert isinstance(again, AskPassphraseScreen) and again is not dialog
        assert "does not open secret.cwb" in error_text(again)
        again.query_one("#passphrase", Input).insert_text_at_cursor(PASS)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, CaseScreen)
        assert app.screen.case.header.title == TITLE
        app.push_screen(ExportScreen(app.screen.case))
        await pilot.pause()
        warning = str(app.screen.query_one("#unencrypted-export", Static).content)
        assert "what you export is not" in warning


async def test_passphrase_changed_from_the_palette(tmp_path, framework):
    path = tmp_path / "secret.cwb"
    CaseFile.create(path, CaseHeader(title=TITLE), framework, passphrase=PASS).close()
    app = quiet_app(path)
    new = "a new passphrase"
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.screen.query_one("#passphrase", Input).insert_text_at_cursor(PASS)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, CaseScreen)
        await pilot.press("ctrl+p")
        await pilot.pause()
        app.screen.query_one(Input).insert_text_at_cursor("Change passphrase")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, ChangePassphraseScreen)
        form.query_one("#passphrase-first", Input).insert_text_at_cursor("short")
        form.query_one("#passphrase-again", Input).insert_text_at_cursor("short")
        await pilot.click("#change")
        assert "at least 8" in error_text(form)
        for field in ("#passphrase-first", "#passphrase-again"):
            await replace_text(pilot, form.query_one(field, Input), new)
        await pilot.click("#change")
        await pilot.pause()
        assert isinstance(app.screen, CaseScreen)
    with pytest.raises(driver.WrongPassphraseError):
        CaseFile.open(path, passphrase=PASS)
    with CaseFile.open(path, passphrase=new) as case:
        assert case.activity("case")[-1].action == "passphrase"


async def test_a_workbook_from_counsel_is_rebuilt_into_an_encrypted_case(tmp_path):
    from case_workbook.core import export_case
    from case_workbook.demo.build import build_demo
    from case_workbook.tui.screens.open_workbook import OpenWorkbookScreen

    demo = build_demo(tmp_path / "demo.cwb")
    workbook = tmp_path / "back.xlsx"
    export_case(demo, workbook)
    app = quiet_app(workbook)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, OpenWorkbookScreen)
        target = dialog.target_path()
        dialog.query_one("#encrypt", Checkbox).value = True
        await pilot.pause()
        for field in ("#passphrase-first", "#passphrase-again"):
            dialog.query_one(field, Input).insert_text_at_cursor(PASS)
        await pilot.press("ctrl+s")
        await pilot.pause()
        await app.workers.wait_for_complete([w for w in app.workers if w.node is dialog])
        await pilot.pause()
        await pilot.click("#open")
        await pilot.pause()
        assert isinstance(app.screen, CaseScreen)  # opened without asking again
        assert app.screen.case.encrypted and len(app.screen.case.items()) > 20
    assert target is not None and is_encrypted_case(target)
    with CaseFile.open(demo, readonly=True) as plain:
        assert plain.header.title.encode() not in target.read_bytes()
