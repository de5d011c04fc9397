"""A workbook counsel sent back, opened from the command line and the Open
dialog; and the export dialog's password and exhibit folder. Real files, the
real app."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pilot_helpers import own_home, replace_text
from textual.widgets import Button, Checkbox, Input, Static

from case_workbook.core import export_case, import_case, needs_password
from case_workbook.demo.build import build_demo
from case_workbook.export.exhibit_folder import folder_for
from case_workbook.model.items import Exhibit, Kind
from case_workbook.store.case_file import CaseFile
from case_workbook.tui.app import CaseWorkbookApp
from case_workbook.tui.screens.case_screen import CaseScreen
from case_workbook.tui.screens.export_screen import ExportScreen
from case_workbook.tui.screens.open_file import OpenFileScreen
from case_workbook.tui.screens.open_workbook import (
    OpenWorkbookScreen,
    default_case_path,
)
from case_workbook.tui.screens.start import StartScreen
from case_workbook.tui.widgets.themes_pane import ThemesPane
from case_workbook.user_state import UserState

SIZE = (100, 30)
SMALL = (80, 24)
NOTE = "Ask about [/x] [bold]the lot[/bold] camera 🙂"
THEME_NOTE = "Compare with [red]the timeline[/red]"
EXE = Path(sys.executable).parent / "case-workbook"


@pytest.fixture(autouse=True)
def home(tmp_path, monkeypatch):
    return own_home(tmp_path, monkeypatch)


@pytest.fixture
def demo(tmp_path) -> Path:
    return build_demo(tmp_path / "demo.cwb")


def write_cell(workbook: Path, sheet: str, header: str, row: int, value: str) -> str:
    """Type into the column headed `header` as counsel would; returns the cell."""
    wb = load_workbook(workbook)
    ws = wb[sheet]
    column = next(c.column_letter for c in ws[1] if c.value == header)
    ws[f"{column}{row}"] = value
    wb.save(workbook)
    return f"{column}{row}"


@pytest.fixture
def returned(tmp_path, demo) -> Path:
    """The demo exported for counsel, with a note on T-001, one on the first
    theme, and a summary counsel changed (listed, never applied)."""
    out = tmp_path / "for counsel [1].xlsx"
    export_case(demo, out)
    write_cell(out, "Threats", "Counsel notes", 2, NOTE)
    write_cell(out, "Themes", "Counsel notes", 2, THEME_NOTE)
    write_cell(out, "Threats", "Summary", 3, "Changed by counsel")
    return out


@pytest.fixture
def locked(tmp_path, demo) -> Path:
    out = tmp_path / "locked.xlsx"
    export_case(demo, out, password="pw")
    return out


def make_app(path=None) -> CaseWorkbookApp:
    return CaseWorkbookApp(path, state=UserState(notice_dismissed=True))


def text_of(screen, selector: str) -> str:
    return str(screen.query_one(selector, Static).content)


def shown(widget) -> bool:
    """Displayed, with every container above it displayed too."""
    node = widget
    while node is not None:
        if not node.display:
            return False
        node = node.parent
    return True


def fully_visible(widget, size) -> bool:
    region = widget.region
    return (region.width > 0 and region.height > 0 and region.right <= size[0]
            and region.bottom <= size[1])


async def settle(pilot, dialog) -> None:
    """Wait for the dialog's own work only (other workers may wait on it)."""
    await pilot.pause()
    own = [w for w in pilot.app.workers if w.node is dialog]
    if own:  # an empty list would mean "all workers"
        await pilot.app.workers.wait_for_complete(own)
    await pilot.pause()


# --- the command line -----------------------------------------------------------------


def test_open_a_workbook_without_a_terminal_says_how_to_import(tmp_path, returned):
    result = subprocess.run([str(EXE), "open", str(returned)], capture_output=True, text=True,
                            check=False, timeout=120, stdin=subprocess.DEVNULL)
    assert result.returncode == 1
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in result.stderr
    assert "case-workbook import" in lines[0] and "-o CASE.cwb" in lines[0]
    assert sorted(p.suffix for p in tmp_path.glob("*.cwb")) == [".cwb"]  # only demo.cwb


# --- rebuilding from a returned workbook -------------------------------------------------


async def test_returned_workbook_is_rebuilt_with_counsels_notes(returned):
    app = make_app(returned)
    target = returned.with_name("for counsel [1].cwb")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, OpenWorkbookScreen)
        assert not dialog.query("#password")  # this workbook has no password
        assert Path(dialog.query_one("#path", Input).value).expanduser() == target
        await pilot.press("ctrl+s")
        await settle(pilot, dialog)
        assert app.screen is dialog
        report = text_of(dialog, "#report")
        assert f"Created {target} with" in report
        assert "Counsel's notes brought in: 2." in report
        assert "Threats, cell B3" in report and "Changed by counsel" in report
        assert "listed, not applied" in report
        assert shown(dialog.query_one("#open", Button))
        assert not shown(dialog.query_one("#rebuild", Button))
        assert app.focused is dialog.query_one("#open", Button)

        await pilot.press("enter")  # Open the case
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, CaseScreen)
        assert screen.case.path.resolve() == target.resolve()
        screen.go_to("T-001")
        await pilot.pause()
        detail = text_of(screen, "#list-threat #detail-text")
        assert "Counsel notes" in detail and NOTE in detail
        assert "Changed by counsel" not in str(screen.index.get("T-002").summary)

        await pilot.press("9")  # the Themes tab
        await pilot.pause()
        pane = screen.query_one(ThemesPane)
        assert pane.current_theme().id == "nature_of_threat"
        assert f"Counsel's note: {THEME_NOTE}" in text_of(pane, "#theme-about")
    assert returned.exists()  # the workbook itself is left as it was


async def test_the_open_dialog_leads_to_the_workbook_screen_and_escape_makes_nothing(
        returned):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("o")
        await pilot.pause()
        assert isinstance(app.screen, OpenFileScreen)
        await replace_text(pilot, app.screen.query_one("#path", Input), str(returned))
        await pilot.press("enter")
        await pilot.pause()
        await pilot.pause()
        assert isinstance(app.screen, OpenWorkbookScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, StartScreen)
    assert not list(returned.parent.glob("for counsel*.cwb"))


async def test_the_default_name_steps_past_a_taken_one(returned):
    taken = returned.with_name("for counsel [1].cwb")
    taken.write_bytes(b"someone's file")
    assert default_case_path(returned) == returned.with_name("for counsel [1] (2).cwb")
    returned.with_name("for counsel [1] (2).cwb").write_bytes(b"another")
    assert default_case_path(returned) == returned.with_name("for counsel [1] (3).cwb")

    app = make_app(returned)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        dialog = app.screen
        field = dialog.query_one("#path", Input)
        assert field.value.endswith("for counsel [1] (3).cwb")
        await replace_text(pilot, field, str(taken))  # typed over an existing file
        await pilot.press("enter")
        await settle(pilot, dialog)
        assert app.screen is dialog
        assert "already exists" in text_of(dialog, "#path-error")
        await replace_text(pilot, field, str(returned.parent / "nowhere" / "x.cwb"))
        assert text_of(dialog, "#path-error") == ""  # typing clears the sentence
        await pilot.press("enter")
        await settle(pilot, dialog)
        assert "does not exist" in text_of(dialog, "#path-error")
    assert taken.read_bytes() == b"someone's file"


async def test_a_file_that_is_not_a_workbook_is_said_in_the_dialog(tmp_path):
    junk = tmp_path / "returned.xlsx"
    junk.write_bytes(b"PK not really")
    app = make_app(junk)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, OpenWorkbookScreen)
        await pilot.press("enter")
        await settle(pilot, dialog)
        assert app.screen is dialog
        message = text_of(dialog, "#form-error")
        assert "returned.xlsx" in message and "Traceback" not in message
        assert not dialog.busy and not dialog.query_one("#rebuild", Button).disabled
    assert not (tmp_path / "returned.cwb").exists()


async def test_a_wrong_password_is_said_and_the_right_one_rebuilds(locked):
    target = locked.with_name("locked.cwb")
    app = make_app(locked)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, OpenWorkbookScreen)
        password = dialog.query_one("#password", Input)
        assert password.password and app.focused is password

        await pilot.press("enter")  # nothing typed
        await settle(pilot, dialog)
        assert "Type the workbook's password" in text_of(dialog, "#password-error")

        await pilot.press(*"nope", "enter")
        await settle(pilot, dialog)
        assert app.screen is dialog
        assert text_of(dialog, "#password-error") == \
            "The password for locked.xlsx is not correct."
        assert not target.exists()
        assert app.focused is password

        await replace_text(pilot, password, "pw")
        assert text_of(dialog, "#password-error") == ""
        await pilot.click("#rebuild")
        await settle(pilot, dialog)
        assert f"Created {target} with" in text_of(dialog, "#report")
        await pilot.click("#close")  # made, but not opened
        await pilot.pause()
        assert isinstance(app.screen, StartScreen)
    with CaseFile.open(target, readonly=True) as case:
        assert case.items(Kind.THREAT)


async def test_the_report_and_its_button_fit_a_small_terminal(returned):
    # Many changed cells: the report scrolls and the button stays in view.
    wb = load_workbook(returned)
    ws = wb["Chronology"]
    for row in range(2, 40):
        ws.cell(row=row, column=2, value=f"changed {row}")
    wb.save(returned)
    app = make_app(returned)
    async with app.run_test(size=SMALL) as pilot:
        await pilot.pause()
        dialog = app.screen
        assert fully_visible(dialog.query_one("#rebuild", Button), SMALL)
        await pilot.press("ctrl+s")
        await settle(pilot, dialog)
        assert "changed 39" in text_of(dialog, "#report")
        assert fully_visible(dialog.query_one("#open", Button), SMALL)
        box = dialog.query_one("#report-box")
        assert box.max_scroll_y > 0


# --- the export dialog: password and exhibit folder ----------------------------------------


async def open_export(pilot, app, out: Path) -> ExportScreen:
    await pilot.press("x")
    await pilot.pause()
    dialog = app.screen
    assert isinstance(dialog, ExportScreen)
    await replace_text(pilot, dialog.query_one("#path", Input), str(out))
    return dialog


async def tick(pilot, dialog, selector: str) -> None:
    dialog.query_one(selector, Checkbox).focus()
    await pilot.press("space")
    await pilot.pause()


async def test_export_with_a_password_and_the_exhibit_files(tmp_path, demo):
    out = tmp_path / "sent.xlsx"
    with CaseFile.open(demo, readonly=True) as case:
        with_files = [e.id for e in case.items(Kind.EXHIBIT)
                      if isinstance(e, Exhibit) and e.file is not None]
    assert with_files
    app = make_app(demo)
    async with app.run_test(size=SIZE) as pilot:
        dialog = await open_export(pilot, app, out)
        assert not shown(dialog.query_one("#password", Input))  # until asked for
        await tick(pilot, dialog, "#protect")
        assert shown(dialog.query_one("#password", Input))
        await tick(pilot, dialog, "#exhibits")

        await pilot.press("ctrl+s")  # no password typed yet
        await settle(pilot, dialog)
        assert app.screen is dialog
        assert "Type a password" in text_of(dialog, "#password-error")

        await replace_text(pilot, dialog.query_one("#password", Input), "pw [x]")
        await replace_text(pilot, dialog.query_one("#confirm", Input), "pw [y]")
        await pilot.press("enter")
        await settle(pilot, dialog)
        assert app.screen is dialog
        assert "differ" in text_of(dialog, "#password-error")
        assert not out.exists()

        await replace_text(pilot, dialog.query_one("#confirm", Input), "pw [x]")
        await pilot.press("enter")
        await settle(pilot, dialog)
        assert isinstance(app.screen, CaseScreen)
        messages = "\n".join(str(n.message) for n in app._notifications)
        assert f"Wrote {out}, protected by a password." in messages
        assert f"exhibit files to {folder_for(out)}" in messages
    assert needs_password(out)
    assert len(list(folder_for(out).iterdir())) == len(with_files)
    back = import_case(out, tmp_path / "back.cwb", password="pw [x]")
    assert not back.files_missing and back.files_restored


async def test_json_hides_the_workbook_choices_and_a_taken_folder_is_refused(tmp_path, demo):
    out = tmp_path / "sent.xlsx"
    folder_for(out).mkdir()
    (folder_for(out) / "keep.txt").write_text("keep")
    app = make_app(demo)
    async with app.run_test(size=SIZE) as pilot:
        dialog = await open_export(pilot, app, str(tmp_path / "sent.json"))
        assert not shown(dialog.query_one("#protect", Checkbox))
        assert not shown(dialog.query_one("#exhibits", Checkbox))
        await replace_text(pilot, dialog.query_one("#path", Input), str(out))
        assert shown(dialog.query_one("#exhibits", Checkbox))
        await tick(pilot, dialog, "#exhibits")
        assert "exhibit folder" in str(dialog.query_one("#replace", Checkbox).label)
        await pilot.press("ctrl+s")
        await settle(pilot, dialog)
        assert app.screen is dialog
        assert "already exists" in text_of(dialog, "#path-error")
    assert not out.exists()
    assert (folder_for(out) / "keep.txt").read_text() == "keep"


async def test_the_export_dialog_with_passwords_fits_a_small_terminal(demo):
    app = make_app(demo)
    async with app.run_test(size=SMALL) as pilot:
        await pilot.press("x")
        await pilot.pause()
        dialog = app.screen
        await tick(pilot, dialog, "#protect")
        await tick(pilot, dialog, "#exhibits")
        await pilot.press("ctrl+s")  # no password: its sentence takes a line too
        await settle(pilot, dialog)
        assert "Type a password" in text_of(dialog, "#password-error")
        for selector in ("#confirm", "#password-error", "#exhibits", "#export"):
            assert fully_visible(dialog.query_one(selector), SMALL), selector
