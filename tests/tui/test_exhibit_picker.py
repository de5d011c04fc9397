"""A form's exhibit picker can add a file as a new exhibit without leaving the form."""

from __future__ import annotations

import hashlib

from textual.widgets import Input, TabbedContent

from case_workbook.core import create_case
from case_workbook.store.case_file import CaseFile
from case_workbook.tui.app import CaseWorkbookApp
from case_workbook.tui.screens.add_file import AddFileScreen
from case_workbook.tui.screens.case_screen import CaseScreen
from case_workbook.tui.screens.item_form import ItemFormScreen
from case_workbook.tui.widgets.pickers import ExhibitPicker
from case_workbook.user_state import UserState


async def until(pilot, check, tries: int = 80) -> None:
    for _ in range(tries):
        if check():
            return
        await pilot.pause()
    assert check(), "the screen did not get there"


async def test_add_a_file_from_the_form_and_link_it(tmp_path):
    path = tmp_path / "pick.cwb"
    create_case(path, title="Picker", framework_id="general")
    photo = tmp_path / "bruise photo.jpg"
    photo.write_bytes(b"\xff\xd8 photo bytes " * 500)
    app = CaseWorkbookApp(path, state=UserState(notice_dismissed=True))
    async with app.run_test(size=(100, 40)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, CaseScreen))
        app.screen.query_one(TabbedContent).active = "tab-threat"
        await pilot.pause()
        await pilot.press("n")
        await until(pilot, lambda: isinstance(app.screen, ItemFormScreen))
        form = app.screen
        form.query_one("#f-summary", Input).value = "Threat with a photo"
        picker = form.query_one("#f-exhibits", ExhibitPicker)
        picker.add_file()
        await until(pilot, lambda: isinstance(app.screen, AddFileScreen))
        dialog = app.screen
        dialog.query_one("#path", Input).value = str(photo)
        dialog.query_one("#path", Input).focus()
        await pilot.press("enter")
        await until(pilot, lambda: app.screen is form)
        assert picker.selected == ["DX-0001"]
        await pilot.press("ctrl+s")
        await until(pilot, lambda: isinstance(app.screen, CaseScreen))
        await pilot.press("q")
    with CaseFile.open(path, readonly=True) as case:
        assert case.get("T-001").exhibits == ["DX-0001"]
        exhibit = case.get("DX-0001")
        assert exhibit.file.sha256 == hashlib.sha256(photo.read_bytes()).hexdigest()
