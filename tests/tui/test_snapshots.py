"""How the screens look, at 80x24 and 120x40 (pytest-textual-snapshot).

The pictures were looked at before being accepted. The demo case's timestamps
are fixed so that the pictures do not change from one run to the next.
"""

from __future__ import annotations

import json
import sqlite3
from contextlib import closing
from datetime import datetime

import pytest
from textual.widgets import Input, TextArea

from case_workbook.demo.build import build_demo
from case_workbook.tui.app import CaseWorkbookApp
from case_workbook.user_state import RecentCase, UserState

SIZES = [(80, 24), (120, 40)]
FIXED = "2026-03-20T10:00:00Z"


@pytest.fixture
def demo_path(tmp_path):
    path = build_demo(tmp_path / "demo.cwb")
    with closing(sqlite3.connect(path)) as conn:
        for item_id, data in conn.execute("SELECT id, data FROM items").fetchall():
            item = json.loads(data)
            item["created"] = item["edited"] = FIXED
            conn.execute("UPDATE items SET data = ? WHERE id = ?", (json.dumps(item), item_id))
        conn.commit()
    return path


def quiet_state(**changes) -> UserState:
    return UserState(notice_dismissed=True, theme="textual-dark", **changes)


def steps(*keys: str, typed: str | None = None):
    """Press keys, optionally type into the focused field, then stop every
    blinking cursor so the picture is the same each time."""

    async def run(pilot) -> None:
        await pilot.pause()
        for key in keys:
            await pilot.press(key)
            await pilot.pause()
        if typed is not None:
            await pilot.press(*typed)
        await pilot.pause()
        for widget in pilot.app.screen.query("Input, TextArea"):
            if isinstance(widget, (Input, TextArea)):
                widget.cursor_blink = False
        await pilot.pause()

    return run


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_start_screen(snap_compare, size):
    recent = [RecentCase(path="/cases/people-v-doe.cwb", title="People v. Doe (demo)",
                         opened=datetime.fromisoformat("2026-03-20T10:00:00+00:00"))]
    app = CaseWorkbookApp(None, state=quiet_state(recent=recent))
    assert snap_compare(app, terminal_size=size, run_before=steps())


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_chronology_tab(snap_compare, demo_path, size):
    app = CaseWorkbookApp(demo_path, state=quiet_state())
    assert snap_compare(app, terminal_size=size, run_before=steps())


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_threats_tab(snap_compare, demo_path, size):
    app = CaseWorkbookApp(demo_path, state=quiet_state())
    assert snap_compare(app, terminal_size=size, run_before=steps("2", "down"))


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_form_with_a_date_error(snap_compare, demo_path, size):
    app = CaseWorkbookApp(demo_path, state=quiet_state())

    async def run(pilot) -> None:
        await steps("2", "n")(pilot)
        pilot.app.screen.query_one("#f-when Input", Input).focus()
        await steps(typed="03/04/2026")(pilot)
        await steps("ctrl+s")(pilot)

    assert snap_compare(app, terminal_size=size, run_before=run)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_tag_dialog(snap_compare, demo_path, size):
    app = CaseWorkbookApp(demo_path, state=quiet_state())
    assert snap_compare(app, terminal_size=size, run_before=steps("2", "t"))


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_help_screen(snap_compare, demo_path, size):
    app = CaseWorkbookApp(demo_path, state=quiet_state())
    assert snap_compare(app, terminal_size=size, run_before=steps("question_mark"))


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_timeline(snap_compare, demo_path, size):
    app = CaseWorkbookApp(demo_path, state=quiet_state())
    assert snap_compare(app, terminal_size=size, run_before=steps("l"))


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_timeline_zoomed_on_the_hours_around_the_act(snap_compare, demo_path, size):
    # ] goes to the first key moment (the act began); each + is one step finer.
    app = CaseWorkbookApp(demo_path, state=quiet_state())
    assert snap_compare(app, terminal_size=size,
                        run_before=steps("l", "right_square_bracket", "plus", "plus", "plus",
                                         "plus", "plus"))
