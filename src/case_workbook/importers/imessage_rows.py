"""One row of chat.db's `message` table into one ParsedMessage, with the
small tables that name its people, its chat and its attachments.

Reactions ("tapbacks": Loved, Liked, ...) are rows of their own; they are
kept, as system messages that still name who reacted, and say which
reaction in `details`. Conversation events (a member added, the group
renamed) are system messages too. Nothing is left out.
"""

from __future__ import annotations

import math
import sqlite3
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path, PurePosixPath

from case_workbook.importers.parsed import Attachment, MessageKind, ParsedMessage, Stamp
from case_workbook.importers.people import ME
from case_workbook.importers.typedstream import attributed_text
from case_workbook.model.items import Channel

APPLE_EPOCH = datetime(2001, 1, 1, tzinfo=UTC)
MESSAGE_COLUMNS = (
    "text", "attributedBody", "handle_id", "is_from_me", "service", "date", "date_read",
    "date_delivered", "date_edited", "date_retracted", "subject", "associated_message_type",
    "item_type", "group_title", "group_action_type", "is_audio_message",
    "destination_caller_id")
TEXT_SERVICES = {"SMS", "MMS", "RCS"}
REACTIONS = {0: "loved", 1: "liked", 2: "disliked", 3: "laughed at", 4: "emphasized",
             5: "questioned", 6: "reacted with an emoji"}
UNREADABLE_TEXT = "its text is stored in a form that could not be read"
NOT_HERE = "not on this computer"
MESSAGES_FOLDER = ("Library", "Messages")
# a damaged database fails as an sqlite3 error, or as undecodable text in SQLite's own message
SQLITE_FAILURES = (sqlite3.Error, UnicodeDecodeError)


@dataclass
class Tally:
    from_body: int = 0  # texts read from attributedBody
    unreadable: int = 0
    reactions: int = 0
    events: int = 0
    unknown_handles: int = 0
    attachments_missing: int = 0
    attachments_found: int = 0
    no_time: int = 0
    tables_unread: list[str] = field(default_factory=list)


def _rows(connection: sqlite3.Connection, sql: str, what: str, tally: Tally) -> list[tuple]:
    try:
        return list(connection.execute(sql))
    except SQLITE_FAILURES:
        tally.tables_unread.append(what)
        return []


@dataclass
class Lookups:
    """The small tables, read once: handle ids, each message's chat, each
    chat's people and name, each message's attachments."""

    folder: Path
    handles: dict[int, str] = field(default_factory=dict)
    chat_of: dict[int, int] = field(default_factory=dict)
    chat_people: dict[int, list[int]] = field(default_factory=dict)
    chat_names: dict[int, str] = field(default_factory=dict)
    files: dict[int, list[tuple[object, object, object]]] = field(default_factory=dict)

    @classmethod
    def load(cls, connection: sqlite3.Connection, path: Path, tally: Tally) -> Lookups:
        tables = {row[0] for row in _rows(
            connection, "SELECT name FROM sqlite_master WHERE type = 'table'", "tables", tally)}
        found = cls(folder=path.resolve().parent)
        if "handle" in tables:
            for rowid, name in _rows(connection, "SELECT ROWID, id FROM handle", "people", tally):
                found.handles[rowid] = name if isinstance(name, str) else str(name)
        if "chat_message_join" in tables:
            for message, chat in _rows(connection, "SELECT message_id, chat_id FROM "
                                       "chat_message_join ORDER BY chat_id", "chats", tally):
                found.chat_of.setdefault(message, chat)
        if "chat_handle_join" in tables:
            for chat, handle in _rows(connection, "SELECT chat_id, handle_id FROM "
                                      "chat_handle_join ORDER BY rowid", "chat members", tally):
                found.chat_people.setdefault(chat, []).append(handle)
        if "chat" in tables:
            for chat, name, identifier in _rows(connection, "SELECT ROWID, display_name, "
                                                "chat_identifier FROM chat", "chats", tally):
                label = name or identifier
                if isinstance(label, str) and label:
                    found.chat_names[chat] = label
        if {"attachment", "message_attachment_join"} <= tables:
            sql = ("SELECT j.message_id, a.filename, a.transfer_name, a.mime_type FROM "
                   "message_attachment_join j JOIN attachment a ON a.ROWID = j.attachment_id "
                   "ORDER BY j.message_id, a.ROWID")
            for message, *attachment in _rows(connection, sql, "attachments", tally):
                found.files.setdefault(message, []).append(tuple(attachment))
        return found

    def people_of(self, chat: int | None) -> list[str]:
        return [self.handles[h] for h in self.chat_people.get(chat, []) if h in self.handles] \
            if chat is not None else []


def apple_instant(raw: object) -> datetime | None:
    """`date` counted from 2001-01-01 UTC: nanoseconds, or seconds in old databases."""
    if isinstance(raw, bool) or raw is None:
        return None
    if isinstance(raw, float):
        if not math.isfinite(raw):
            return None
        raw = int(raw)
    if isinstance(raw, str):
        try:
            raw = int(raw.strip())
        except ValueError:
            return None
    if not isinstance(raw, int) or raw == 0:
        return None
    try:
        return APPLE_EPOCH + (timedelta(microseconds=raw // 1000) if abs(raw) >= 10**11
                              else timedelta(seconds=raw))
    except OverflowError:
        return None


def utc_text(instant: datetime) -> str:
    return instant.strftime("%Y-%m-%d %H:%M:%S UTC")


def _number(value: object) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


def _text_of(row: dict[str, object], tally: Tally) -> tuple[str, list[str]]:
    text = row.get("text")
    if isinstance(text, str):
        return text, []
    if text is not None:  # a value of another type where text belongs: shown as stored
        return str(text), []
    blob = row.get("attributedBody")
    if blob is None:
        return "", []
    extracted = attributed_text(blob)
    if extracted is None:
        tally.unreadable += 1
        return "", [UNREADABLE_TEXT]
    tally.from_body += 1
    return extracted, []


def _people(row: dict[str, object], lookups: Lookups, tally: Tally
            ) -> tuple[str, tuple[str, ...], bool | None, str, list[str]]:
    """Sender, recipients, from_me, chat label and notes for one row."""
    raw = row.get("handle_id")
    handle = lookups.handles.get(raw, "") if isinstance(raw, int) else ""
    notes = []
    if not handle and raw not in (0, None):
        tally.unknown_handles += 1
        notes.append(f"the contact it is linked to (handle {raw!r}) is not in the database")
    chat_id = lookups.chat_of.get(_number(row.get("ROWID")))
    members = lookups.people_of(chat_id)
    chat = lookups.chat_names.get(chat_id, "") if chat_id is not None else ""
    chat = chat or ", ".join(members) or handle
    mine = row.get("is_from_me")
    if mine == 1:
        return ME, tuple(members) or ((handle,) if handle else ()), True, chat, notes
    if mine == 0:
        others = tuple(name for name in members if name != handle) if handle else ()
        return handle, (ME, *others), False, chat, notes
    notes.append(f"the database does not say who sent it (is_from_me is {mine!r})")
    return handle, (), None, chat, notes


def _kind(row: dict[str, object], tally: Tally) -> tuple[MessageKind, list[str]]:
    reaction = _number(row.get("associated_message_type"))
    if 2000 <= reaction <= 2006 or 3000 <= reaction <= 3006:
        tally.reactions += 1
        what = REACTIONS[reaction % 1000]
        return MessageKind.SYSTEM, [f"a reaction (tapback) to another message: {what}"
                                    if reaction < 3000 else
                                    f"a reaction (tapback) taken back: no longer {what}"]
    item = _number(row.get("item_type"))
    if item:
        tally.events += 1
        words = [f"a conversation event recorded by Messages (item type {item}, action "
                 f"{_number(row.get('group_action_type'))})"]
        if isinstance(title := row.get("group_title"), str) and title:
            words.append(f"group name: {title}")
        return MessageKind.SYSTEM, words
    return MessageKind.MESSAGE, []


def _times(row: dict[str, object]) -> list[str]:
    words = []
    for column, label in (("date_delivered", "delivered"), ("date_read", "read"),
                          ("date_edited", "edited"), ("date_retracted", "unsent")):
        if (instant := apple_instant(row.get(column))) is not None:
            words.append(f"{label} at {utc_text(instant)}")
    return words


def _attachments(row: dict[str, object], lookups: Lookups, tally: Tally
                 ) -> tuple[Attachment, ...]:
    out = []
    for filename, transfer_name, mime in lookups.files.get(_number(row.get("ROWID")), []):
        stored = filename if isinstance(filename, str) else ""
        name = transfer_name if isinstance(transfer_name, str) and transfer_name else (
            PurePosixPath(stored).name or "attachment")
        found = _find_file(stored, lookups.folder)
        tally.attachments_found += found is not None
        tally.attachments_missing += found is None
        out.append(Attachment(name, path=found, content_type=mime if isinstance(mime, str) else "",
                              note="" if found else NOT_HERE))
    return tuple(out)


def _find_file(stored: str, folder: Path) -> Path | None:
    """The attachment's file, looked for only inside a Messages folder: the
    one chat.db sits in (a copied ~/Library/Messages), then this computer's.
    A path leading anywhere else is not followed: the database comes from outside."""
    parts = PurePosixPath(stored).parts
    if not stored or ".." in parts:
        return None
    tail = parts
    for index in range(len(parts) - 1):
        if parts[index:index + 2] == MESSAGES_FOLDER:
            tail = parts[index + 2:]
            break
    else:
        if parts and parts[0] in ("/", "~"):
            return None
    candidates = [(folder, folder.joinpath(*tail))] if tail else []
    home_messages = Path.home().joinpath(*MESSAGES_FOLDER)
    if tail:
        candidates.append((home_messages, home_messages.joinpath(*tail)))
    for root, candidate in candidates:
        try:
            resolved = candidate.resolve()
            if resolved.is_relative_to(root.resolve()) and resolved.is_file():
                return resolved
        except (OSError, RuntimeError, ValueError):
            continue
    return None


def message_of(row: dict[str, object], record: int, lookups: Lookups,
               tally: Tally) -> ParsedMessage:
    text, details = _text_of(row, tally)
    sender, recipients, from_me, chat, people_notes = _people(row, lookups, tally)
    kind, kind_details = _kind(row, tally)
    raw_date = row.get("date")
    instant = apple_instant(raw_date)
    if instant is None:
        tally.no_time += 1
        details.append("no time that could be read")
    service = row.get("service")
    channel = Channel.TEXT if service in TEXT_SERVICES else Channel.MESSENGER
    if service not in TEXT_SERVICES | {"iMessage", None}:
        details.append(f"service: {service!r}")
    elif service in TEXT_SERVICES:
        details.append(f"sent as {service}")
    if isinstance(subject := row.get("subject"), str) and subject:
        details.append(f"subject: {subject}")
    if _number(row.get("is_audio_message")):
        details.append("an audio message")
    if isinstance(own := row.get("destination_caller_id"), str) and own:
        details.append(f"owner's address: {own}")
    return ParsedMessage(
        record=record, locator=f"message row {row.get('ROWID')}",
        stamp=Stamp(instant=instant, text="" if raw_date is None else str(raw_date)),
        sender=sender, text=text, kind=kind, channel=channel, recipients=recipients,
        from_me=from_me, attachments=_attachments(row, lookups, tally), chat=chat,
        details="; ".join(kind_details + details + _times(row) + people_notes))


def notes_of(tally: Tally, count: int) -> list[str]:
    notes = [f"Read {count:,} message{'s' * (count != 1)}. Times are exact (Messages records "
             "them in UTC)."]
    if tally.from_body:
        notes.append(f"{tally.from_body:,} text{'s were' if tally.from_body != 1 else ' was'} "
                     "read from the formatted copy Messages keeps (attributedBody), as the "
                     "plain text column was empty.")
    if tally.unreadable:
        notes.append(f"{tally.unreadable:,} message{'s' * (tally.unreadable != 1)} "
                     f"{'have' if tally.unreadable != 1 else 'has'} text stored in a form that "
                     "could not be read; each is kept with empty text and says so.")
    if tally.reactions:
        notes.append(f"{tally.reactions:,} reaction{'s' * (tally.reactions != 1)} (tapbacks) "
                     "are listed as system messages naming who reacted.")
    if tally.events:
        notes.append(f"{tally.events:,} conversation event{'s' * (tally.events != 1)} (members, "
                     "group names) are listed as system messages.")
    if tally.unknown_handles:
        notes.append(f"{tally.unknown_handles:,} message{'s' * (tally.unknown_handles != 1)} "
                     "are linked to a contact the database does not list; their sender is left "
                     "blank and each says so.")
    if tally.attachments_found or tally.attachments_missing:
        notes.append(f"Attachments: {tally.attachments_found:,} found in a Messages folder, "
                     f"{tally.attachments_missing:,} not on this computer.")
    if tally.no_time:
        notes.append(f"{tally.no_time:,} message{'s' * (tally.no_time != 1)} have no time "
                     "that could be read.")
    for what in tally.tables_unread:
        notes.append(f"The database's list of {what} could not be read (it is damaged there).")
    return notes
