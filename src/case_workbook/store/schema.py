"""The .cwb schema as a list of ordered migration steps.

`PRAGMA user_version` holds the number of steps applied; `PRAGMA
application_id` marks the file as ours. Step N turns a version N-1 file into a
version N file. Steps are never edited once shipped: a change is a new step.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable

APPLICATION_ID = 0x43574231  # "CWB1"

_V1 = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE counters (prefix TEXT PRIMARY KEY, last INTEGER NOT NULL);
CREATE TABLE items (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    seq INTEGER NOT NULL,
    data TEXT NOT NULL,
    deleted INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX items_kind ON items (kind, seq);
CREATE TABLE activity (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    entity TEXT NOT NULL,
    before TEXT,
    after TEXT,
    undone INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE exhibit_blobs (
    id INTEGER PRIMARY KEY,
    sha256 TEXT NOT NULL,
    size INTEGER NOT NULL,
    content BLOB NOT NULL
);
CREATE INDEX exhibit_blobs_sha ON exhibit_blobs (sha256);
"""

# Version 2 adds searchable copies of what is inside each item's JSON (theme
# links, references, time bounds) so lists can be filtered in SQL at 10,000+
# items, and fills them from the items already in the file.
_V2 = """
CREATE TABLE item_themes (
    item_id TEXT NOT NULL REFERENCES items (id) ON DELETE CASCADE,
    theme_id TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (item_id, theme_id)
);
CREATE INDEX item_themes_theme ON item_themes (theme_id);
CREATE TABLE item_refs (
    item_id TEXT NOT NULL REFERENCES items (id) ON DELETE CASCADE,
    target_id TEXT NOT NULL,
    PRIMARY KEY (item_id, target_id)
);
CREATE INDEX item_refs_target ON item_refs (target_id);
ALTER TABLE items ADD COLUMN when_earliest REAL;
ALTER TABLE items ADD COLUMN when_latest REAL;
ALTER TABLE items ADD COLUMN search TEXT NOT NULL DEFAULT '';
"""


def _step_1(conn: sqlite3.Connection) -> None:
    for statement in _V1.split(";"):
        if statement.strip():
            conn.execute(statement)


def _step_2(conn: sqlite3.Connection) -> None:
    for statement in _V2.split(";"):
        if statement.strip():
            conn.execute(statement)
    # Local import: the index code needs the item models, the schema does not.
    from case_workbook.store.index import reindex_row

    rows = conn.execute("SELECT id, data FROM items").fetchall()
    for item_id, data in rows:
        reindex_row(conn, item_id, json.loads(data))


MIGRATIONS: list[Callable[[sqlite3.Connection], None]] = [_step_1, _step_2]
SCHEMA_VERSION = len(MIGRATIONS)


def migrate(conn: sqlite3.Connection, upto: int = SCHEMA_VERSION) -> int:
    """Apply the steps after the file's version up to `upto`, in one
    transaction. Returns the version the file had before."""
    start = conn.execute("PRAGMA user_version").fetchone()[0]
    if start >= upto:
        return start
    conn.execute("BEGIN IMMEDIATE")
    try:
        if start == 0:
            conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        for version in range(start + 1, upto + 1):
            MIGRATIONS[version - 1](conn)
        conn.execute(f"PRAGMA user_version = {upto}")
        conn.execute("COMMIT")
    except BaseException:
        # SQLite has already rolled back after some errors (a full disk): a
        # second ROLLBACK would fail and hide the error that says what happened.
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    return start
