"""A full disk under the terminal screens: saving an item when the disk has
filled shows one sentence on the form, keeps what was typed, and the app goes
on; once there is room, the same save works. (The failures of the store and
the command line are in test_full_disk.py.)"""

from __future__ import annotations

import sqlite3
from contextlib import closing
from datetime import UTC, datetime, timedelta

import pytest
from disk_support import fill, listing, mounted_small_disk, one_sentence
from test_full_disk import _version_1_case
from textual.widgets import Input, Static, TabbedContent

from case_workbook.model.case import CaseHeader
from case_workbook.model.framework import load_builtin
from case_workbook.model.items import Threat
from case_workbook.store.case_file import CaseFile
from case_workbook.tui.app import CaseWorkbookApp
from case_workbook.tui.screens.case_screen import CaseScreen
from case_workbook.tui.screens.item_form import ItemFormScreen
from case_workbook.user_state import UserState


@pytest.fixture
def small_disk(tmp_path):
    with mounted_small_disk(tmp_path / "disk", "4m") as disk:
        yield disk


async def _until(pilot, check, tries: int = 60) -> None:
    for _ in range(tries):
        if check():
            return
        await pilot.pause()
    assert check(), "the screen did not get there"


async def test_saving_an_item_on_a_full_disk_says_so_and_the_app_goes_on(small_disk):
    path = small_disk / "case.cwb"
    with CaseFile.create(path, CaseHeader(title="Full disk"), load_builtin("general")) as case:
        case.add(Threat(summary="saved before"))
    app = CaseWorkbookApp(path, state=UserState(notice_dismissed=True))
    typed = "Said he would come back " + "x" * 60_000  # more than the log has room for
    async with app.run_test(size=(100, 30)) as pilot:
        await _until(pilot, lambda: isinstance(app.screen, CaseScreen))
        app.screen.query_one(TabbedContent).active = "tab-threat"
        await pilot.pause()
        filler = fill(small_disk)
        await pilot.press("n")
        await _until(pilot, lambda: isinstance(app.screen, ItemFormScreen))
        form = app.screen
        form.query_one("#f-summary", Input).value = typed
        await pilot.press("ctrl+s")
        await _until(pilot, lambda: form.query_one("#form-error", Static).display)
        shown = str(form.query_one("#form-error", Static).render())
        assert shown.startswith("✗ Not saved: ")
        assert "disk is full" in one_sentence(shown.removeprefix("✗ Not saved: "))
        assert app.screen is form and form.query_one("#f-summary", Input).value == typed

        filler.unlink()  # the person frees some space and saves again
        await pilot.press("ctrl+s")
        await _until(pilot, lambda: isinstance(app.screen, CaseScreen))
        await pilot.press("q")
    with closing(sqlite3.connect(path)) as raw:
        assert raw.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    with CaseFile.open(path) as case:
        assert sorted(t.summary for t in case.items()) == sorted(["saved before", typed])
    assert listing(small_disk) == ["case.cwb"]


async def test_an_upgrade_whose_backup_name_is_taken_is_one_sentence(tmp_path):
    path = tmp_path / "old.cwb"
    _version_1_case(path, 3)
    now = datetime.now(UTC)
    for second in range(30):  # as left by tries that the full disk stopped
        stamp = (now + timedelta(seconds=second)).strftime("%Y%m%d-%H%M%S")
        (tmp_path / f"old.schema1-backup-{stamp}.cwb").write_bytes(b"an earlier try")
    app = CaseWorkbookApp(path, state=UserState(notice_dismissed=True))
    async with app.run_test(size=(100, 30)) as pilot:
        for _ in range(20):
            await pilot.pause()
        assert app.is_running
