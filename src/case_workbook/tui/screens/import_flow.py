"""Import messages, start to end: the file, the preview, the people, then
one transaction in the background. Each step can be left with escape and
nothing is added until the last."""

from __future__ import annotations

from typing import TYPE_CHECKING

from case_workbook.fileio import describe_os_error
from case_workbook.importers.parsed import ExportReadError, MessageKind
from case_workbook.importers.people import suggest_people
from case_workbook.importers.to_case import (
    ImportChoices,
    ImportOutcome,
    fingerprints,
    fingerprints_in,
    import_messages,
)
from case_workbook.model.items import Kind
from case_workbook.store.errors import CaseFileError
from case_workbook.tui.screens.dialogs import BusyScreen
from case_workbook.tui.screens.import_file import ImportFileScreen
from case_workbook.tui.screens.message_people import MessagePeopleScreen
from case_workbook.tui.screens.message_preview import MessagePreviewScreen

if TYPE_CHECKING:
    from case_workbook.tui.screens.case_screen import CaseScreen


async def import_messages_flow(screen: CaseScreen) -> None:
    """Run from a worker of the case screen (push_screen_wait needs one)."""
    app, case = screen.app, screen.case
    result = await app.push_screen_wait(ImportFileScreen())
    if result is None:
        return
    prints = fingerprints(result)
    held = fingerprints_in(case)
    have = {i for i, p in enumerate(prints) if p in held}
    zone = case.settings.default_tz
    picked: set[int] = set()
    while True:
        chosen = await app.push_screen_wait(MessagePreviewScreen(result, zone, have, picked))
        if chosen is None:
            return
        zone, picked = chosen.zone, set(chosen.indexes)
        messages = [result.messages[i] for i in chosen.indexes]
        names = list(dict.fromkeys(n for m in messages for n in m.participants))
        people = case.items(Kind.PERSON)
        ask_me = any(m.from_me is None and m.kind is not MessageKind.SYSTEM for m in messages)
        who = await app.push_screen_wait(MessagePeopleScreen(
            names, people, suggest_people(names, people, result.handles), ask_me))
        if who is not None:
            break  # back from the people step returns to the preview
    choices = ImportChoices(zone=zone, people=who.people, me=who.me)
    # The import writes on the case's connection in a thread: the case stays
    # behind a busy dialog until it is done, so no other change can start.
    busy = BusyScreen(f"Importing {len(chosen.indexes):,} messages…")
    await app.push_screen(busy)
    worker = screen.run_worker(lambda: _run(case, result, chosen.indexes, choices),
                               thread=True, exit_on_error=False)
    try:
        outcome = await worker.wait()
    finally:
        busy.dismiss()
    if isinstance(outcome, str):
        app.show_error("Could not import the messages", outcome)
        return
    screen.index.reload()
    screen.refresh_lists()
    if outcome.communications:
        screen.go_to(outcome.communications[0])
    screen.notify(outcome.sentence() + " Press ctrl+z to undo the whole import.", markup=False)


def _run(case, result, chosen, choices) -> ImportOutcome | str:
    """The outcome, or the sentence saying why nothing was imported."""
    try:
        return import_messages(case, result, chosen, choices)
    except (CaseFileError, ExportReadError) as error:  # an attachment gone since reading
        return str(error)
    except OSError as error:
        return describe_os_error(error, error.filename or "a file", "read")
