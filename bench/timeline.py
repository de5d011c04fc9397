"""Time the timeline view on a synthetic case, headless at 120x40: the key
that shows it until it has drawn, a zoom, a move to the next item, and a
filter keystroke while it is shown. Each is measured to the first redraw of
the timeline after the key.

    python bench/timeline.py [ITEMS]     (default 10,000)

Prints one JSON line of milliseconds.
"""

from __future__ import annotations

import asyncio
import json
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from synthetic import build_synthetic  # noqa: E402

from case_workbook.tui.app import CaseWorkbookApp  # noqa: E402
from case_workbook.tui.screens.case_screen import CaseScreen  # noqa: E402
from case_workbook.tui.widgets.timeline_view import TimelineView  # noqa: E402
from case_workbook.user_state import UserState  # noqa: E402


def _watch_drawing() -> dict:
    seen = {"drawn_at": 0.0}
    draw = TimelineView.render_line

    def render_line(self, y):
        seen["drawn_at"] = time.perf_counter()
        return draw(self, y)

    TimelineView.render_line = render_line
    return seen


async def _timed(app, seen, key: str) -> float:
    from textual import events

    start = time.perf_counter()
    app.post_message(events.Key(key, key if len(key) == 1 else None))
    while seen["drawn_at"] < start:
        await asyncio.sleep(0.001)
    await asyncio.sleep(0.05)  # let the frame finish before the next key
    return round((seen["drawn_at"] - start) * 1000, 1)


async def measure(path: Path) -> dict:
    seen = _watch_drawing()
    app = CaseWorkbookApp(path, state=UserState(notice_dismissed=True))
    result: dict = {}
    async with app.run_test(size=(120, 40)) as pilot:
        while not (isinstance(app.screen, CaseScreen) and app.screen._filled):
            await asyncio.sleep(0.01)
        await pilot.pause(0.2)
        view = app.screen.query_one(TimelineView)
        result["show_ms"] = await _timed(app, seen, "l")
        result["marks"] = len(view.timeline.marks)
        result["zoom_in_ms"] = [await _timed(app, seen, "plus") for _ in range(3)]
        result["next_item_ms"] = [await _timed(app, seen, "right") for _ in range(3)]
        result["zoom_out_ms"] = [await _timed(app, seen, "minus") for _ in range(3)]
        await pilot.press("slash")
        await pilot.pause(0.2)
        result["filter_keystroke_ms"] = [await _timed(app, seen, key) for key in "knife"]
        result["marks_after_filter"] = len(view.timeline.marks)
    return result


def main(items: int) -> dict:
    with tempfile.TemporaryDirectory() as folder:
        path = build_synthetic(Path(folder) / "timeline.cwb", items)
        return asyncio.run(measure(path))


if __name__ == "__main__":
    print(json.dumps(main(int(sys.argv[1]) if len(sys.argv) > 1 else 10_000)))
