"""A process that edits a case through the store until it is killed.

    python edit_driver.py CASE JOURNAL SEED

It makes a seeded sequence of edits — add, change, delete, undo — each one a
store call (one transaction). Before each call it appends "begin" with what the
call will do to JOURNAL, and after the call has returned "done": so whoever
kills the process knows every edit that was committed, and the one that may
have been under way. Lines are single `os.write` calls to a file opened for
appending, which a killed process cannot leave half-written.
"""

from __future__ import annotations

import json
import os
import random
import sys

from case_workbook.model.items import ThemeLink, Threat
from case_workbook.store.case_file import CaseFile

THEMES = ["nature_of_threat", "immediacy", "reasonable_fear", "no_reasonable_escape",
          "threat_and_act", "own_fault"]
ACTOR = "crash-driver"
WORDS = "he said call car knife phone later door money family street van told".split()


def themes_for(rng: random.Random, k: int) -> list[ThemeLink]:
    chosen = rng.sample(THEMES, rng.randint(0, 3))
    return [ThemeLink(theme_id=t, note=f"note {k} on {t}") for t in sorted(chosen)]


def text(rng: random.Random, k: int, seed: int) -> str:
    # Unique per edit, so that every change really changes the item.
    return f"s{seed}-{k} " + " ".join(rng.choice(WORDS) for _ in range(rng.randint(3, 60)))


def main(case_path: str, journal_path: str, seed: int) -> None:
    rng = random.Random(seed)
    journal = os.open(journal_path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)

    def log(entry: dict) -> None:
        os.write(journal, (json.dumps(entry) + "\n").encode())

    case = CaseFile.open(case_path, actor=ACTOR)
    live = [row[0] for row in case.conn.execute(
        "SELECT id FROM items WHERE deleted = 0 ORDER BY kind, seq")]
    print("ready", flush=True)
    for k in range(1_000_000):
        roll = rng.random()
        if roll < 0.35 or not live:
            item = Threat(summary=text(rng, k, seed), themes=themes_for(rng, k))
            log({"k": k, "begin": "add", "summary": item.summary,
                 "themes": [t.theme_id for t in item.themes]})
            stored = case.add(item)
            live.append(stored.id)
            log({"k": k, "done": "add", "id": stored.id})
        elif roll < 0.65:
            target = rng.choice(live)
            changed = case.get(target).model_copy(update={
                "summary": text(rng, k, seed), "themes": themes_for(rng, k)})
            log({"k": k, "begin": "edit", "id": target, "summary": changed.summary,
                 "themes": [t.theme_id for t in changed.themes]})
            case.update(changed)
            log({"k": k, "done": "edit", "id": target})
        elif roll < 0.9:
            target = rng.choice(live)
            log({"k": k, "begin": "delete", "id": target})
            case.delete(target)
            live.remove(target)
            log({"k": k, "done": "delete", "id": target})
        else:
            log({"k": k, "begin": "undo"})
            said = case.undo()
            live = [row[0] for row in case.conn.execute(
                "SELECT id FROM items WHERE deleted = 0 ORDER BY kind, seq")]
            log({"k": k, "done": "undo", "said": said})


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], int(sys.argv[3]))
