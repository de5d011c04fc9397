"""Time the terminal UI on a case file, headless: process start until the case
screen lists rows, and one filter keystroke until the list has updated.

Run in a fresh process per measurement: python bench/tui_timing.py CASE.cwb
Prints one JSON line: {"open_to_usable_s": ..., "filter_keystroke_ms": [...]}.
"""

from __future__ import annotations

import time

STARTED = time.perf_counter()

import asyncio  # noqa: E402
import json  # noqa: E402
import sys  # noqa: E402
from pathlib import Path  # noqa: E402

from case_workbook.tui.app import CaseWorkbookApp  # noqa: E402
from case_workbook.tui.widgets.list_pane import ListPane  # noqa: E402
from case_workbook.user_state import UserState  # noqa: E402


def _watch_drawing() -> dict:
    """Note when the list last drew a line, so the clock can stop at the
    first redraw after the rows changed (what the person sees)."""
    from case_workbook.tui.widgets.item_table import ItemTable

    seen = {"drawn_at": 0.0}
    draw = ItemTable.render_line

    def render_line(self, y):
        seen["drawn_at"] = time.perf_counter()
        return draw(self, y)

    ItemTable.render_line = render_line
    return seen


async def measure(path: Path, keystrokes: str) -> dict:
    from textual import events

    seen = _watch_drawing()
    app = CaseWorkbookApp(path, state=UserState(notice_dismissed=True))
    result: dict = {}
    async with app.run_test(size=(120, 40)) as pilot:
        pane = None
        while pane is None or not pane.table.rows:
            await asyncio.sleep(0.005)
            panes = app.screen.query(ListPane)
            pane = panes.first() if panes else None
        result["open_to_usable_s"] = time.perf_counter() - STARTED
        result["rows"] = len(pane.table.rows)
        await pilot.press("slash")
        await pilot.pause(0.2)
        timings = []
        for key in keystrokes:
            before = pane.table.rows
            start = time.perf_counter()
            # The key goes in as the terminal driver would deliver it; the
            # clock stops at the first redraw of the list after its rows change.
            app.post_message(events.Key(key, key))
            while pane.table.rows is before:
                await asyncio.sleep(0)
            changed = time.perf_counter()
            while seen["drawn_at"] < changed:
                await asyncio.sleep(0.001)
            timings.append((seen["drawn_at"] - start) * 1000)
            await pilot.pause(0.05)
        result["filter_keystroke_ms"] = timings
        result["rows_after_filter"] = len(pane.table.rows)
    return result


if __name__ == "__main__":
    print(json.dumps(asyncio.run(measure(Path(sys.argv[1]), sys.argv[2] if len(sys.argv) > 2
                                         else "knife"))))
