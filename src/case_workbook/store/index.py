"""Searchable copies of what lives inside each item's JSON.

The item's JSON in `items.data` is the truth; these rows are derived from it on
every write so that lists can be filtered by theme, person and time in SQL.
"""

from __future__ import annotations

import sqlite3
from typing import Any

from pydantic import TypeAdapter

from case_workbook.model.items import Item, ItemBase, text_fields

ITEM_ADAPTER: TypeAdapter[Any] = TypeAdapter(Item)


def search_text(item: ItemBase) -> str:
    """Lower-cased text of every field, for the free-text filter."""
    parts = [item.id, *text_fields(item).values(), item.counsel_notes]
    parts += [link.note for link in item.themes]
    return "\n".join(p for p in parts if p).casefold()


def _timestamp(value) -> float | None:
    return value.timestamp() if value is not None else None


def reindex_item(conn: sqlite3.Connection, item: ItemBase) -> None:
    when = item.when_value()
    earliest = _timestamp(when.earliest()) if when is not None else None
    latest = _timestamp(when.latest()) if when is not None else None
    conn.execute(
        "UPDATE items SET when_earliest = ?, when_latest = ?, search = ? WHERE id = ?",
        (earliest, latest, search_text(item), item.id),
    )
    conn.execute("DELETE FROM item_themes WHERE item_id = ?", (item.id,))
    conn.executemany(
        "INSERT INTO item_themes (item_id, theme_id, note) VALUES (?, ?, ?)",
        [(item.id, link.theme_id, link.note) for link in item.themes],
    )
    conn.execute("DELETE FROM item_refs WHERE item_id = ?", (item.id,))
    targets = dict.fromkeys(item.person_refs() + item.exhibits + item.related)
    conn.executemany(
        "INSERT INTO item_refs (item_id, target_id) VALUES (?, ?)",
        [(item.id, target) for target in targets],
    )


def reindex_row(conn: sqlite3.Connection, item_id: str, data: dict) -> None:
    item = ITEM_ADAPTER.validate_python(data)
    if item.id != item_id:
        raise ValueError(f"item {item_id} holds the data of {item.id}")
    reindex_item(conn, item)
