"""Time a large message import: a generated WhatsApp chat of N messages read,
shown in the preview, filtered by a word, and all of it imported.

    python bench/messages.py --messages 50000 [--out results-messages.json]

Reading runs in a worker thread in the app; what the person waits for on
screen is the preview's first rows and each filter keystroke, measured here
headless through Textual's Pilot, as in tui_timing.py.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

WORDS = ("money tonight call me now where are you the car keys police door sorry "
         "tomorrow bring it alone do not tell anyone ok yes no later").split()


def write_chat(path: Path, count: int, seed: int = 7) -> None:
    rng = random.Random(seed)
    at = datetime(2024, 1, 13, 8, 0)  # a day above 12: the file settles day-first
    lines = []
    for n in range(count):
        at += timedelta(minutes=rng.randint(0, 30))
        who = ("Alex", "Sam", "Jordan")[rng.randrange(3)]
        text = " ".join(rng.choice(WORDS) for _ in range(rng.randint(1, 14)))
        lines.append(f"{at:%d/%m/%Y}, {at:%H:%M} - {who}: {text}")
        if n % 50 == 0:
            lines.append("a second line of the same message")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


async def _preview(chat: Path, case_path: Path) -> dict:
    from textual.widgets import Input

    from case_workbook.tui.app import CaseWorkbookApp
    from case_workbook.tui.screens.case_screen import CaseScreen
    from case_workbook.tui.screens.import_file import ImportFileScreen
    from case_workbook.tui.screens.message_preview import MessagePreviewScreen
    from case_workbook.tui.widgets.item_table import ItemTable
    from case_workbook.user_state import UserState

    async def wait_for(check, limit=120.0):
        start = time.perf_counter()
        while not check():
            if time.perf_counter() - start > limit:
                raise TimeoutError("the screen did not get there")
            await asyncio.sleep(0.005)

    out: dict = {}
    app = CaseWorkbookApp(case_path, state=UserState(notice_dismissed=True))
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(lambda: isinstance(app.screen, CaseScreen))
        await pilot.press("i")
        await wait_for(lambda: isinstance(app.screen, ImportFileScreen))
        app.screen.query_one("#path", Input).value = str(chat)
        start = time.perf_counter()
        await pilot.press("enter")
        await wait_for(lambda: isinstance(app.screen, MessagePreviewScreen)
                       and len(app.screen.query_one(ItemTable).rows) > 0)
        out["file_to_preview_s"] = time.perf_counter() - start
        screen = app.screen
        table = screen.query_one(ItemTable)
        field = screen.query_one("#text", Input)
        field.focus()
        keys = []
        for key in "police":
            before = table.rows
            start = time.perf_counter()
            await pilot.press(key)
            await wait_for(lambda: table.rows is not before)  # set_rows gives a new list
            keys.append((time.perf_counter() - start) * 1000)
        out["filter_keystroke_ms"] = keys
        out["shown_after_filter"] = len(table.rows)
    return out


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--messages", type=int, default=50_000)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()

    from case_workbook.core import create_case
    from case_workbook.importers.detect import read_export
    from case_workbook.importers.parsed import DayOrder
    from case_workbook.importers.to_case import ImportChoices, fingerprints, import_messages
    from case_workbook.store.case_file import CaseFile

    with tempfile.TemporaryDirectory() as folder:
        chat = Path(folder) / "WhatsApp Chat with Alex.txt"
        write_chat(chat, args.messages)
        record: dict = {"messages": args.messages, "bytes": chat.stat().st_size}
        start = time.perf_counter()
        result = read_export(chat, day_order=DayOrder.DAY_FIRST)
        record["read_s"] = time.perf_counter() - start
        start = time.perf_counter()
        fingerprints(result)
        record["fingerprints_s"] = time.perf_counter() - start
        case_path = Path(folder) / "bench.cwb"
        create_case(case_path, title="Bench", framework_id="general", zone="UTC")
        record.update(asyncio.run(_preview(chat, case_path)))
        with CaseFile.open(case_path) as case:
            start = time.perf_counter()
            outcome = import_messages(case, result, range(len(result.messages)),
                                      ImportChoices(zone="UTC"))
            record["import_all_s"] = time.perf_counter() - start
            record["imported"] = len(outcome.communications)
    print(json.dumps(record))
    if args.out:
        args.out.write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
