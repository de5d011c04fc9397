"""Adding, changing, deleting and undoing items in an open case.

Each public method is one user action: one transaction, one activity-log line.
Deletes are soft (the row stays, marked deleted) so that undo can bring an item
back exactly as it was.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from case_workbook.model.activity import ActivityEntry
from case_workbook.model.items import (
    ID_PREFIX,
    AnyItem,
    Exhibit,
    ItemBase,
    Kind,
    Storage,
)
from case_workbook.store.driver import INTEGRITY_ERRORS
from case_workbook.store.errors import DamagedItemError, ItemError
from case_workbook.store.index import ITEM_ADAPTER, reindex_item

if TYPE_CHECKING:
    from pathlib import Path

    from case_workbook.model.case import CaseSettings
    from case_workbook.model.framework import Framework

UNDOABLE = ("create", "edit", "delete", "restore", "header", "import")


class ItemsMixin:
    conn: sqlite3.Connection
    framework: Framework
    settings: CaseSettings
    path: Path

    # --- reading ---------------------------------------------------------------

    def _damaged(self, error: ValueError) -> DamagedItemError:
        # The store writes only valid items: one that does not read was changed
        # outside the app (or the disk failed). ValidationError is a ValueError.
        damaged = DamagedItemError(f"{self.path} is damaged: one of its items cannot be read; "
                                   "'case-workbook check' tells more.")
        damaged.__cause__ = error
        return damaged

    def _damaged_log(self, error: Exception) -> DamagedItemError:
        damaged = DamagedItemError(f"{self.path} is damaged: its record of changes cannot be "
                                   "read; 'case-workbook check' tells more.")
        damaged.__cause__ = error
        return damaged

    def _read(self, data: str) -> AnyItem:
        try:
            return ITEM_ADAPTER.validate_json(data)
        except ValueError as error:
            raise self._damaged(error) from error

    def get(self, item_id: str, *, include_deleted: bool = False) -> AnyItem:
        row = self.conn.execute("SELECT data, deleted FROM items WHERE id = ?",
                                (item_id,)).fetchone()
        if row is None or (row[1] and not include_deleted):
            raise ItemError(f"There is no item {item_id} in this case.")
        return self._read(row[0])

    def exists(self, item_id: str) -> bool:
        row = self.conn.execute("SELECT 1 FROM items WHERE id = ? AND deleted = 0",
                                (item_id,)).fetchone()
        return row is not None

    def items(self, kind: Kind | None = None) -> list[AnyItem]:
        """Every live item (of one kind, if given), in id order within each kind."""
        sql = "SELECT data FROM items WHERE deleted = 0"
        params: tuple = ()
        if kind is not None:
            sql += " AND kind = ?"
            params = (kind.value,)
        sql += " ORDER BY kind, seq"
        return [self._read(row[0]) for row in self.conn.execute(sql, params)]

    def iter_items(self, kind: Kind | None = None) -> Iterator[AnyItem]:
        """Like `items`, one at a time (a large case need not be held whole)."""
        sql = "SELECT data FROM items WHERE deleted = 0"
        params: tuple = ()
        if kind is not None:
            sql, params = sql + " AND kind = ?", (kind.value,)
        for (data,) in self.conn.execute(sql + " ORDER BY kind, seq", params):
            yield self._read(data)

    def iter_item_json(self) -> Iterator[str]:
        """Each live item as its stored JSON text (in `iter_items` order),
        for copying out without parsing."""
        for (data,) in self.conn.execute(
                "SELECT data FROM items WHERE deleted = 0 ORDER BY kind, seq"):
            yield data

    def items_by_ids(self, ids: list[str]) -> list[AnyItem]:
        """The live items with these ids, in the order given."""
        found: dict[str, AnyItem] = {}
        for start in range(0, len(ids), 500):  # SQLite's limit on parameters
            chunk = ids[start:start + 500]
            marks = ", ".join("?" * len(chunk))
            for (data,) in self.conn.execute(
                    f"SELECT data FROM items WHERE deleted = 0 AND id IN ({marks})", chunk):
                item = self._read(data)
                found[item.id] = item
        return [found[i] for i in ids if i in found]

    def items_with_search(self) -> list[tuple[AnyItem, str]]:
        """Every live item with its lower-case search text (kept by the store
        on every write, so a list needs not build it again)."""
        rows = self.conn.execute(
            "SELECT data, search FROM items WHERE deleted = 0 ORDER BY kind, seq")
        try:  # one try for the whole list: this reads every item of a large case
            return [(ITEM_ADAPTER.validate_json(data), search) for data, search in rows]
        except ValueError as error:
            raise self._damaged(error) from error

    def counts(self) -> dict[Kind, int]:
        rows = self.conn.execute(
            "SELECT kind, count(*) FROM items WHERE deleted = 0 GROUP BY kind").fetchall()
        found = dict(rows)
        return {kind: found.get(kind.value, 0) for kind in Kind}

    def theme_counts(self) -> dict[str, int]:
        rows = self.conn.execute(
            "SELECT t.theme_id, count(*) FROM item_themes t JOIN items i ON i.id = t.item_id"
            " WHERE i.deleted = 0 GROUP BY t.theme_id").fetchall()
        found = dict(rows)
        return {theme.id: found.get(theme.id, 0) for theme in self.framework.themes}

    def referrers(self, target_id: str) -> list[str]:
        """Ids of live items that link to `target_id`."""
        rows = self.conn.execute(
            "SELECT r.item_id FROM item_refs r JOIN items i ON i.id = r.item_id"
            " WHERE r.target_id = ? AND i.deleted = 0 ORDER BY i.kind, i.seq", (target_id,))
        return [row[0] for row in rows]

    def counters(self) -> dict[str, int]:
        return dict(self.conn.execute("SELECT prefix, last FROM counters").fetchall())

    def activity(self, entity: str | None = None) -> list[ActivityEntry]:
        return list(self.iter_activity(entity))

    def iter_activity(self, entity: str | None = None) -> Iterator[ActivityEntry]:
        """The change log, oldest first, one entry at a time (it can be long)."""
        sql = "SELECT id, at, actor, action, entity, before, after, undone FROM activity"
        params: tuple = ()
        if entity is not None:
            sql, params = sql + " WHERE entity = ?", (entity,)
        for r in self.conn.execute(sql + " ORDER BY id", params):
            try:  # a row changed outside the app: not JSON, not text, not an entry
                entry = ActivityEntry(id=r[0], at=r[1], actor=r[2], action=r[3], entity=r[4],
                                      before=json.loads(r[5]) if r[5] else None,
                                      after=json.loads(r[6]) if r[6] else None,
                                      undone=bool(r[7]))
            except (ValueError, TypeError) as error:
                raise self._damaged_log(error) from None
            yield entry

    # --- writing ---------------------------------------------------------------

    def add(self, item: AnyItem) -> AnyItem:
        """Store a new item; it gets the next id of its kind and is returned."""
        with self.transaction(f"add the {item.kind.value} to"):
            return self._insert(item)

    def update(self, item: AnyItem) -> AnyItem:
        """Replace an existing item with `item` (same id); returns what was stored."""
        with self.transaction(f"save {item.id} to"):
            before = self.get(item.id)
            if before.kind != item.kind:
                raise ItemError(f"{item.id} is a {before.kind.value}; its kind cannot change.")
            stored = item.model_copy(update={"created": before.created,
                                             "edited": datetime.now(UTC)})
            stored = type(item).model_validate(stored.model_dump())
            self._check_references(stored)
            if isinstance(stored, Exhibit) and stored.file != before.file:
                raise ItemError(f"The file of {item.id} cannot be replaced; add a new exhibit.")
            old, new = _dump(before), _dump(stored)
            if _without_times(old) == _without_times(new):
                return before
            self._write(stored)
            self._log("edit", stored.id, old, new)
        return stored

    def point_file_to(self, item_id: str, path: str) -> AnyItem:
        """A copied exhibit file that is not in the case (one rebuilt from a
        workbook whose files did not come with it) becomes a reference to
        where the file is expected; `check` then says whether it is there."""
        with self.transaction(f"save {item_id} to"):
            before = self.get(item_id)
            if not isinstance(before, Exhibit) or before.file is None:
                raise ItemError(f"{item_id} is not an exhibit with a file.")
            if self.conn.execute("SELECT 1 FROM exhibit_blobs WHERE sha256 = ?",
                                 (before.file.sha256,)).fetchone():
                raise ItemError(f"The file of {item_id} is in the case already.")
            stored = before.model_copy(update={"file": before.file.model_copy(update={
                "storage": Storage.REFERENCE, "reference_path": path})})
            self._write(stored)
            self._log("edit", item_id, _dump(before), _dump(stored))
        return stored

    def delete(self, item_id: str) -> None:
        with self.transaction(f"delete {item_id} from"):
            item = self.get(item_id)
            users = self.referrers(item_id)
            if users:
                shown = ", ".join(users[:5]) + (" and others" if len(users) > 5 else "")
                raise ItemError(f"{item_id} is linked from {shown}; remove those links first.")
            self.conn.execute("UPDATE items SET deleted = 1 WHERE id = ?", (item_id,))
            self._log("delete", item_id, _dump(item), None)

    def restore(self, item_id: str) -> AnyItem:
        with self.transaction(f"restore {item_id} in"):
            item = self.get(item_id, include_deleted=True)
            self._check_references(item)
            self.conn.execute("UPDATE items SET deleted = 0 WHERE id = ?", (item_id,))
            self._log("restore", item_id, None, _dump(item))
        return item

    def undo(self) -> str | None:
        """Reverse the most recent change not yet undone. Returns a sentence
        saying what was undone, or None when there is nothing to undo."""
        marks = ", ".join("?" * len(UNDOABLE))
        with self.transaction("undo in"):
            row = self.conn.execute(
                f"SELECT id, action, entity, before, after FROM activity"
                f" WHERE undone = 0 AND action IN ({marks}) ORDER BY id DESC LIMIT 1",
                UNDOABLE).fetchone()
            if row is None:
                return None
            entry_id, action, entity, before, after = row
            try:
                before = json.loads(before) if before else None
                after = json.loads(after) if after else None
                message = self._reverse(action, entity, before, after)
            except (ValueError, TypeError) as error:  # not what the store wrote
                raise self._damaged_log(error) from None
            self.conn.execute("UPDATE activity SET undone = 1 WHERE id = ?", (entry_id,))
            self._log("undo", entity, after, before)
        return message

    def _reverse(self, action: str, entity: str, before: dict | None,
                 after: dict | None = None) -> str:
        if action == "import":
            return self._reverse_import(after)
        if action == "header":
            from case_workbook.model.case import CaseHeader

            header = CaseHeader.model_validate(before)
            self.conn.execute("UPDATE meta SET value = ? WHERE key = 'header'",
                              (json.dumps(before),))
            self.header = header
            return "Undid the change to the case details."
        if action == "create":
            if self.referrers(entity):
                raise ItemError(f"{entity} is now linked from other items, so adding it "
                                "cannot be undone; remove those links first.")
            self.conn.execute("UPDATE items SET deleted = 1 WHERE id = ?", (entity,))
            return f"Undid adding {entity}."
        if action == "delete":
            self.conn.execute("UPDATE items SET deleted = 0 WHERE id = ?", (entity,))
            return f"Brought back {entity}."
        if action == "restore":
            self.conn.execute("UPDATE items SET deleted = 1 WHERE id = ?", (entity,))
            return f"Undid bringing back {entity}."
        item = ITEM_ADAPTER.validate_python(before)
        self._write(item)
        return f"Undid the edit of {entity}."

    def _reverse_import(self, imported: dict | None) -> str:
        """Undo a whole message import: every item it added, at once."""
        ids = imported.get("items") if isinstance(imported, dict) else None
        if not isinstance(ids, list) or not all(isinstance(i, str) for i in ids):
            raise ValueError("an import entry without its list of items")
        ours = set(ids)
        for item_id in ids:
            if outside := [r for r in self.referrers(item_id) if r not in ours]:
                raise ItemError(f"{item_id}, added by the import, is now linked from "
                                f"{', '.join(outside[:3])}, so the import cannot be undone; "
                                "remove those links first.")
        for start in range(0, len(ids), 500):  # SQLite's limit on bound values
            part = ids[start:start + 500]
            marks = ", ".join("?" * len(part))
            self.conn.execute(f"UPDATE items SET deleted = 1 WHERE id IN ({marks})", part)
            self.conn.execute(f"UPDATE activity SET undone = 1 WHERE action = 'create'"
                              f" AND undone = 0 AND entity IN ({marks})", part)
        source = imported.get("source") or "a file"
        return f"Undid the import from {source}: {len(ids):,} items removed."

    # --- internals -----------------------------------------------------------

    def _insert(self, item: AnyItem, *, keep_id: bool = False, check: bool = True,
                at: datetime | None = None) -> AnyItem:
        now = at or datetime.now(UTC)
        if keep_id:  # an item of an imported document, validated as it was read
            prefix, seq = split_id(item.id)
            self._bump_counter(prefix, seq)
            stored = item
        else:
            prefix = self.id_prefix(item.kind)
            seq = self._next_seq(prefix)
            width = 4 if item.kind == Kind.EXHIBIT else 3
            stored = item.model_copy(update={"id": f"{prefix}-{seq:0{width}d}",
                                             "created": now, "edited": now})
            stored = type(item).model_validate(stored.model_dump())
        if check:
            self._check_references(stored, file=True)
        try:
            self.conn.execute("INSERT INTO items (id, kind, seq, data) VALUES (?, ?, ?, ?)",
                              (stored.id, stored.kind.value, seq, stored.model_dump_json()))
        except INTEGRITY_ERRORS:
            raise ItemError(f"The id {stored.id} is already used in this case.") from None
        reindex_item(self.conn, stored)
        if not keep_id:
            self._log("create", stored.id, None, _dump(stored))
        return stored

    def _write(self, item: ItemBase) -> None:
        self.conn.execute("UPDATE items SET data = ? WHERE id = ?",
                          (item.model_dump_json(), item.id))
        reindex_item(self.conn, item)

    def id_prefix(self, kind: Kind) -> str:
        return self.settings.exhibit_prefix if kind == Kind.EXHIBIT else ID_PREFIX[kind]

    def _next_seq(self, prefix: str) -> int:
        row = self.conn.execute(
            "INSERT INTO counters (prefix, last) VALUES (?, 1)"
            " ON CONFLICT (prefix) DO UPDATE SET last = last + 1 RETURNING last",
            (prefix,)).fetchone()
        return row[0]

    def _bump_counter(self, prefix: str, seq: int) -> None:
        self.conn.execute(
            "INSERT INTO counters (prefix, last) VALUES (?, ?)"
            " ON CONFLICT (prefix) DO UPDATE SET last = max(last, excluded.last)",
            (prefix, seq))

    def set_counters(self, counters: dict[str, int]) -> None:
        """Raise counters so that ids used before (even of items since removed)
        are never handed out again."""
        for prefix, last in counters.items():
            self._bump_counter(prefix, last)

    def _check_references(self, item: ItemBase, *, file: bool = False) -> None:
        """Themes, people, exhibits and related items exist; with `file`, a new
        exhibit's copied file is in the case. (An edit cannot change the file,
        and a case rebuilt from a workbook may lack files that did not come
        back with it: `check` reports those.)"""
        for link in item.themes:
            if self.framework.theme(link.theme_id) is None:
                raise ItemError(f"{item.id or 'The item'} is linked to the theme "
                                f"'{link.theme_id}', which this case's framework does not have.")
        if len({link.theme_id for link in item.themes}) != len(item.themes):
            raise ItemError(f"{item.id or 'The item'} is linked to the same theme twice.")
        self._expect(item, item.person_refs(), Kind.PERSON)
        self._expect(item, item.exhibits, Kind.EXHIBIT)
        self._expect(item, item.related, None)
        if file and isinstance(item, Exhibit) and item.file and item.file.storage == Storage.COPY:
            row = self.conn.execute("SELECT 1 FROM exhibit_blobs WHERE sha256 = ?",
                                    (item.file.sha256,)).fetchone()
            if row is None:
                raise ItemError(f"The file of {item.id or 'the exhibit'} is not in this case.")

    def _expect(self, item: ItemBase, ids: Iterable[str], kind: Kind | None) -> None:
        ids = list(ids)
        if not ids:
            return
        marks = ", ".join("?" * len(ids))
        found = dict(self.conn.execute(
            f"SELECT id, kind FROM items WHERE deleted = 0 AND id IN ({marks})", ids))
        for ref in ids:
            if ref == item.id:
                raise ItemError(f"{item.id} cannot be linked to itself.")
            if ref not in found:
                raise ItemError(f"{item.id or 'The item'} refers to {ref}, "
                                "which is not in this case.")
            if kind is not None and found[ref] != kind.value:
                raise ItemError(f"{item.id or 'The item'} names {ref} where a "
                                f"{kind.value} is expected.")


def split_id(item_id: str) -> tuple[str, int]:
    prefix, _, number = item_id.rpartition("-")
    if not prefix or not number.isdigit():
        raise ItemError(f"'{item_id}' is not a valid item id.")
    return prefix, int(number)


def _dump(item: ItemBase) -> dict[str, Any]:
    return item.model_dump(mode="json")


def _without_times(data: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in data.items() if k not in ("created", "edited")}

