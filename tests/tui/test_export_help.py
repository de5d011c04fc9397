"""Adding an exhibit file, exporting, and the help screen, through the real app."""

from __future__ import annotations

import hashlib
import json
import os

import pytest
from pilot_helpers import own_home, replace_text
from textual.binding import Binding
from textual.widgets import Checkbox, Input, Static

from case_workbook.export.interchange import read_json
from case_workbook.model.items import Kind
from case_workbook.store.case_file import CaseFile
from case_workbook.tui.app import CaseWorkbookApp
from case_workbook.tui.screens.add_file import AddFileScreen
from case_workbook.tui.screens.case_screen import CaseScreen
from case_workbook.tui.screens.export_screen import ExportScreen
from case_workbook.tui.screens.help import HelpScreen
from case_workbook.tui.screens.start import StartScreen
from case_workbook.tui.widgets.item_table import ItemTable
from case_workbook.tui.widgets.timeline_view import TimelineView
from case_workbook.user_state import UserState

SIZE = (100, 30)
TRICKY = "Photo [/x] [bold]of[/bold] the note"


@pytest.fixture(autouse=True)
def home(tmp_path, monkeypatch):
    return own_home(tmp_path, monkeypatch)


@pytest.fixture
def closed_case(case, case_path):
    case.close()  # the app takes the lock
    return case_path


def make_app(path=None) -> CaseWorkbookApp:
    return CaseWorkbookApp(path, state=UserState(notice_dismissed=True))


def error_text(screen, selector: str) -> str:
    return str(screen.query_one(selector, Static).content)


async def settle(pilot, dialog) -> None:
    """Wait for the dialog's own work (the case screen's worker waits on the
    dialog, so waiting for every worker would wait for ever)."""
    await pilot.pause()
    own = [w for w in pilot.app.workers if w.node is dialog]
    if own:  # an empty list would mean "all workers" to wait_for_complete
        await pilot.app.workers.wait_for_complete(own)
    await pilot.pause()


# --- adding an exhibit file ---------------------------------------------------------


async def test_add_file_stores_a_numbered_hashed_exhibit(tmp_path, closed_case):
    data = os.urandom(200_000)
    source = tmp_path / "note photo.jpg"
    source.write_bytes(data)
    app = make_app(closed_case)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, CaseScreen)
        await pilot.press("a")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, AddFileScreen)
        await replace_text(pilot, dialog.query_one("#path", Input), str(source))
        dialog.query_one("#summary", Input).insert_text_at_cursor(TRICKY)
        dialog.query_one("#custody", Input).insert_text_at_cursor("From my phone")
        dialog.query_one("#bates", Input).insert_text_at_cursor("DEF-000101")
        dialog.query_one("#path", Input).focus()
        await pilot.press("enter")
        await settle(pilot, dialog)
        screen = app.screen
        assert isinstance(screen, CaseScreen)
        exhibits = screen.index.of_kind(Kind.EXHIBIT)
        assert [e.id for e in exhibits] == ["DX-0001"]
        exhibit = exhibits[0]
        assert exhibit.file.sha256 == hashlib.sha256(data).hexdigest()
        assert exhibit.file.size == len(data)
        assert (exhibit.summary, exhibit.custody, exhibit.bates) == (
            TRICKY, "From my phone", "DEF-000101")
    with CaseFile.open(closed_case, readonly=True) as case:
        stored = case.get("DX-0001")
        assert stored is not None and stored.file.sha256 == hashlib.sha256(data).hexdigest()


async def test_add_file_problem_is_said_under_the_path_and_kept(tmp_path, closed_case):
    missing = tmp_path / "not-there.pdf"
    app = make_app(closed_case)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("a")
        await pilot.pause()
        dialog = app.screen
        await replace_text(pilot, dialog.query_one("#path", Input), str(missing))
        await pilot.press("enter")
        await settle(pilot, dialog)
        assert app.screen is dialog
        message = error_text(dialog, "#path-error")
        assert "not-there.pdf" in message and message.endswith(".")
        assert dialog.query_one("#path", Input).value == str(missing)
        assert not dialog.busy
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, CaseScreen)
        assert app.screen.index.of_kind(Kind.EXHIBIT) == []


# --- export --------------------------------------------------------------------------


async def test_export_writes_the_workbook_by_default_and_json_when_chosen(closed_case):
    from openpyxl import load_workbook
    from textual.widgets import Select

    out = closed_case.with_name("case-export.xlsx")
    app = make_app(closed_case)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("x")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, ExportScreen)
        assert dialog.query_one("#path", Input).value == str(out)  # beside the case
        await pilot.press("enter")
        await settle(pilot, dialog)
        assert isinstance(app.screen, CaseScreen)
        assert any(f"Wrote {out}." in str(n.message) for n in app._notifications)
        assert load_workbook(out, read_only=True).sheetnames[:2] == ["Cover", "Chronology"]

        await pilot.press("x")
        await pilot.pause()
        dialog = app.screen
        dialog.query_one("#format", Select).value = "json"
        await pilot.pause()
        json_out = closed_case.with_name("case-export.json")
        assert dialog.query_one("#path", Input).value == str(json_out)  # ending follows
        dialog.query_one("#path", Input).focus()
        await pilot.press("enter")
        await settle(pilot, dialog)
    document = read_json(json_out)
    assert document.header.title == "Test case"
    assert json.loads(json_out.read_text(encoding="utf-8"))


async def test_export_refuses_an_existing_file_unless_replace_is_ticked(tmp_path, closed_case):
    out = tmp_path / "[odd] name.json"
    out.write_text("keep me", encoding="utf-8")
    app = make_app(closed_case)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("x")
        await pilot.pause()
        dialog = app.screen
        await replace_text(pilot, dialog.query_one("#path", Input), str(out))
        await pilot.press("enter")
        await settle(pilot, dialog)
        assert app.screen is dialog
        assert "already exists" in error_text(dialog, "#path-error")
        assert out.read_text(encoding="utf-8") == "keep me"
        dialog.query_one("#replace", Checkbox).focus()
        await pilot.press("space")
        await pilot.pause()
        assert dialog.query_one("#replace", Checkbox).value is True
        await pilot.click("#export")
        await settle(pilot, dialog)
        assert isinstance(app.screen, CaseScreen)
    assert read_json(out).header.title == "Test case"


async def test_export_to_a_missing_folder_is_said_in_the_dialog(tmp_path, closed_case):
    out = tmp_path / "nowhere" / "x.json"
    app = make_app(closed_case)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("x")
        await pilot.pause()
        dialog = app.screen
        await replace_text(pilot, dialog.query_one("#path", Input), str(out))
        await pilot.press("enter")
        await settle(pilot, dialog)
        assert app.screen is dialog
        assert "does not exist" in error_text(dialog, "#path-error")
    assert not out.exists()


# --- help ----------------------------------------------------------------------------


def help_text(screen: HelpScreen) -> str:
    return "\n".join(str(s.content) for s in screen.query("#help-body Static"))


async def test_help_lists_the_keys_and_closes(closed_case):
    app = make_app(closed_case)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("question_mark")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, HelpScreen)
        text = help_text(screen)
        lines = text.splitlines()
        assert any(line.strip().startswith("ctrl+z") and "Undo" in line for line in lines)
        assert any(line.strip().startswith("n ") and "New" in line for line in lines)
        assert any(line.strip().startswith("d / del ") and "Delete" in line for line in lines)
        assert "no legal advice" in text
        assert "Filter by theme" in text and "ctrl+p" in text
        groups = [str(label.content) for label in screen.query(".group")]
        assert groups[:5] == ["Moving", "Items", "Timeline", "Case", "App"]
        assert any(line.strip().startswith("] ") and "Next key moment" in line for line in lines)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, CaseScreen)
        await pilot.press("question_mark")
        await pilot.pause()
        await pilot.press("q")
        await pilot.pause()
        assert isinstance(app.screen, CaseScreen)
        assert app.is_running


async def test_help_never_falls_behind_the_bindings(closed_case):
    app = make_app(closed_case)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("question_mark")
        await pilot.pause()
        text = help_text(app.screen)
    for binding in Binding.make_bindings([*CaseScreen.BINDINGS, *ItemTable.BINDINGS,
                                          *TimelineView.BINDINGS, *CaseWorkbookApp.BINDINGS]):
        assert binding.description in text, binding.id


async def test_help_from_the_start_screen_fits_80x24():
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, StartScreen)
        await pilot.press("question_mark")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, HelpScreen)
        assert "New case" in help_text(screen)
        body = screen.query_one("#help-body")
        assert body.region.bottom <= 24 and body.region.height > 5
