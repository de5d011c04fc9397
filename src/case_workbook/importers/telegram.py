"""Telegram Desktop's JSON export ("Export chat history", format JSON): one
chat's `result.json`, or the whole account's, every chat in file order.

Times come from `date_unixtime` (UTC) when the export has it; older exports
have only `date`, the exporting computer's clock, kept as a wall clock. A
one-chat export does not say which messages the exporting person sent; the
whole-account export names its owner's user id, which settles it.
"""

from __future__ import annotations

import mimetypes
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath

from case_workbook.importers.json_source import (
    counted,
    file_inside,
    json_start,
    load_json_export,
    relative_parts,
)
from case_workbook.importers.parsed import (
    Attachment,
    DayOrder,
    ExportReadError,
    MessageKind,
    ParsedMessage,
    ParseResult,
    Skipped,
    Stamp,
)
from case_workbook.importers.source import regular_size
from case_workbook.importers.telegram_text import (
    call_details,
    epoch_utc,
    joined_text,
    message_details,
    service_description,
)
from case_workbook.model.items import Channel

FORMAT_ONE_CHAT = "Telegram Desktop export (one chat)"
FORMAT_ACCOUNT = "Telegram Desktop export (whole account)"
UNNAMED_CHATS = {"saved_messages": "Saved Messages", "replies": "Replies"}
ONE_TO_ONE = {"personal_chat", "bot_chat"}
NO_RECIPIENTS = {"saved_messages", "replies", "private_channel", "public_channel"}
ATTACHMENT_FIELDS = ("photo", "file", "thumbnail", "contact_vcard")
HOW_TO_EXPORT = ("in Telegram Desktop, use Export chat history and choose the format "
                 "'Machine-readable JSON'")


def looks_like(path: Path, head: bytes) -> bool:
    """A JSON object with Telegram's message keys, or a list saved through
    Telegram's API (claimed so `read` can say what it is)."""
    try:
        start = json_start(head)
        if start.startswith(b"["):
            return is_telethon_list(head)
        if not start.startswith(b"{"):
            return False
        if b'"timestamp_ms"' in head:  # a Meta download
            return False
        messages = b'"messages"' in head and (b'"date_unixtime"' in head or b'"from_id"' in head)
        account = b'"personal_information"' in head or (b'"chats"' in head and b'"list"' in head)
        return messages or account
    except Exception:  # detection never fails loudly
        return False


def is_telethon_list(head: bytes) -> bool:
    return json_start(head).startswith(b"[") and b'"sender_id"' in head and b'"date"' in head


def is_telegram_html(head: bytes) -> bool:
    """Telegram Desktop's HTML export (messages.html), which is not read:
    the dispatcher suggests the JSON export instead."""
    lowered = head[:65536].lower()
    return b"<title>exported data</title>" in lowered and b'class="message' in lowered


@dataclass
class _Chat:
    name: str
    kind: str
    people: list[str]
    _others: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def recipients(self, sender: str) -> tuple[str, ...]:
        if self.kind in NO_RECIPIENTS:
            return ()
        if sender not in self._others:
            others = tuple(p for p in self.people if p != sender)
            # One-to-one: the chat is named after the other person, who may never write.
            if not others and self.kind in ONE_TO_ONE and self.name and self.name != sender:
                others = (self.name,)
            self._others[sender] = others
        return self._others[sender]


@dataclass
class _Tally:
    local_only: int = 0
    no_time: int = 0
    actions: Counter = field(default_factory=Counter)
    calls: int = 0
    unsupported: int = 0
    not_included: int = 0
    not_found: int = 0
    outside: int = 0
    entries: int = 0  # message entries met so far, read or not: the record number


def read(path: Path, *, day_order: DayOrder | None = None) -> ParseResult:
    """Every message of the export; `day_order` is not needed (ISO dates)."""
    path = Path(path)
    try:
        loaded = load_json_export(path, hex_escapes=True)
    except ExportReadError:
        if is_telegram_html(_head(path)):
            raise ExportReadError(f"{path.name} is Telegram Desktop's HTML export, which is not "
                                  f"read; {HOW_TO_EXPORT}.") from None
        raise
    data = loaded.data
    if isinstance(data, list) and any(isinstance(m, dict) and "sender_id" in m for m in data):
        raise ExportReadError(f"{path.name} is a list of messages saved by another program "
                              f"through Telegram's API, not a Telegram Desktop export; "
                              f"{HOW_TO_EXPORT}.")
    if not isinstance(data, dict):
        raise ExportReadError(f"{path.name} is not a Telegram Desktop export; {HOW_TO_EXPORT}.")
    result = ParseResult(format="", source=path, sha256=loaded.sha256, size=loaded.size,
                         notes=list(loaded.notes))
    if isinstance(data.get("messages"), list):
        result.format, chats, owner = FORMAT_ONE_CHAT, [("", data)], None
    elif isinstance(data.get("chats"), dict | list) or isinstance(data.get("left_chats"), dict):
        result.format = FORMAT_ACCOUNT
        chats, owner = _account_chats(data, result), _owner_id(data)
    else:
        raise ExportReadError(f"{path.name} is JSON but not a Telegram Desktop export (it has "
                              f"no messages or chats); {HOW_TO_EXPORT}.")
    tally = _Tally()
    for where, chat in chats:
        _read_chat(chat, where, path.parent, owner, result, tally)
    result.notes.extend(_notes(result, tally, owner))
    return result


def _head(path: Path) -> bytes:
    try:
        regular_size(path)  # never open a pipe or a device
        with open(path, "rb") as handle:
            return handle.read(65536)
    except (OSError, ExportReadError):
        return b""


def _account_chats(data: dict, result: ParseResult) -> list[tuple[str, dict]]:
    chats = []
    for section in ("chats", "left_chats"):
        listing = data.get(section)
        entries = listing.get("list") if isinstance(listing, dict) else listing
        if not isinstance(entries, list):
            continue
        for number, chat in enumerate(entries, 1):
            where = f"{section.replace('_', ' ')} entry {number}"
            if isinstance(chat, dict):
                chats.append((where, chat))
            else:
                result.skipped.append(Skipped(where, "this entry is not a chat"))
    return chats


def _owner_id(data: dict) -> str | None:
    info = data.get("personal_information")
    user_id = info.get("user_id") if isinstance(info, dict) else None
    return _peer_number(user_id)


def _peer_number(value: object) -> str | None:
    """A user's number from `user123`, 123 or "123"; None for anything
    else (a channel or group id is never the exporting person)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        match = re.fullmatch(r"(?:user)?(\d{1,30})", value)
        return match.group(1) if match else None
    return None


def _chat_name(chat: dict) -> str:
    name = chat.get("name")
    if isinstance(name, str) and name:
        return name
    kind = chat.get("type")
    if isinstance(kind, str) and kind in UNNAMED_CHATS:
        return UNNAMED_CHATS[kind]
    ident = chat.get("id")
    return f"chat {ident}" if isinstance(ident, int | str) and not isinstance(ident, bool) else ""


def _person(message: dict, name_key: str, id_key: str) -> str:
    name = message.get(name_key)
    if isinstance(name, str) and name:
        return name
    ident = message.get(id_key)
    if isinstance(ident, str):
        return ident
    return str(ident) if isinstance(ident, int) and not isinstance(ident, bool) else ""


def _sender(message: dict) -> str:
    if message.get("type") == "service":
        return _person(message, "actor", "actor_id") or _person(message, "from", "from_id")
    return _person(message, "from", "from_id")


def _read_chat(chat: dict, where: str, folder: Path, owner: str | None,
               result: ParseResult, tally: _Tally) -> None:
    name = _chat_name(chat)
    label = f"chat '{name}'" if name else where
    messages = chat.get("messages")
    if not isinstance(messages, list):
        if "messages" in chat:
            result.skipped.append(Skipped(label, "its messages are not a list, so none were read"))
        return
    records = [m for m in messages if isinstance(m, dict)]
    people = list(dict.fromkeys(s for m in records if (s := _sender(m))))
    info = _Chat(name, chat.get("type") if isinstance(chat.get("type"), str) else "", people)
    for position, message in enumerate(messages, 1):
        tally.entries += 1
        record = tally.entries
        ident = message.get("id") if isinstance(message, dict) else None
        shown = ident if isinstance(ident, int | str) and not isinstance(ident, bool) else None
        place = f"message id {shown}" if shown is not None else f"message {position}"
        locator = f"{label}, {place}" if label else place
        if not isinstance(message, dict):
            result.skipped.append(Skipped(locator, "this entry is not a message"))
            continue
        result.messages.append(_message(message, record, locator, info, folder, owner, tally))


def _message(message: dict, record: int, locator: str, chat: _Chat, folder: Path,
             owner: str | None, tally: _Tally) -> ParsedMessage:
    sender = _sender(message)
    kind, channel = MessageKind.MESSAGE, Channel.MESSENGER
    kind_of = message.get("type")
    if kind_of == "service":
        action = message.get("action")
        if action == "phone_call":
            kind, channel, text = MessageKind.CALL, Channel.CALL, ""
            details = [call_details(message)]
            tally.calls += 1
        else:
            kind, text, details = MessageKind.SYSTEM, service_description(message), []
            tally.actions[action if isinstance(action, str) else "service"] += 1
    elif kind_of == "unsupported":
        kind, text = MessageKind.SYSTEM, ""
        details = ["a message Telegram could not export"]
        tally.unsupported += 1
    else:
        text = joined_text(message)
        details = message_details(message)
        if kind_of != "message" and isinstance(kind_of, str | int):
            details.insert(0, f"recorded as type '{kind_of}'")
    sender_id = message.get("actor_id" if kind_of == "service" else "from_id")
    from_me = None
    if owner is not None and sender_id is not None:
        from_me = _peer_number(sender_id) == owner
    return ParsedMessage(
        record=record, locator=locator, stamp=_stamp(message, tally), sender=sender,
        text=text, kind=kind, channel=channel, recipients=chat.recipients(sender),
        from_me=from_me, attachments=_attachments(message, folder, tally), chat=chat.name,
        details="; ".join(d for d in details if d))


def _stamp(message: dict, tally: _Tally) -> Stamp:
    written, epoch = message.get("date"), message.get("date_unixtime")
    shown = written if isinstance(written, str) else (
        str(epoch) if isinstance(epoch, str | int) and not isinstance(epoch, bool) else "")
    if instant := epoch_utc(epoch):
        return Stamp(instant=instant, text=shown)
    if isinstance(written, str) and 8 <= len(written) <= 40:
        try:
            when = datetime.fromisoformat(written)
        except ValueError:
            when = None
        if when is not None and when.tzinfo is None:
            tally.local_only += 1
            return Stamp(local=when, text=shown)
        if when is not None:
            return Stamp(instant=when.astimezone(UTC), text=shown)
    tally.no_time += 1
    return Stamp(text=shown)


def _attachments(message: dict, folder: Path, tally: _Tally) -> tuple[Attachment, ...]:
    found = []
    for key in ATTACHMENT_FIELDS:
        written = message.get(key)
        if not isinstance(written, str) or not written:
            continue
        file_name = message.get("file_name") if key == "file" else None
        base = PurePosixPath(written.replace("\\", "/")).name
        name = file_name if isinstance(file_name, str) and file_name else base
        mime = message.get("mime_type") if key == "file" else None
        content_type = mime if isinstance(mime, str) else ""
        if written.startswith("(") and written.endswith(")"):
            tally.not_included += 1
            found.append(Attachment(name or key, content_type=content_type, note=written))
            continue
        content_type = content_type or (mimetypes.guess_type(base, strict=False)[0] or "")
        parts = relative_parts(written)
        if parts is None:
            tally.outside += 1
            found.append(Attachment(name or key, content_type=content_type,
                                    note=f"{written!r} points outside the export, so it was "
                                         "not looked for"))
            continue
        located = file_inside(folder, parts)
        if located is None:
            tally.not_found += 1
        found.append(Attachment(name or key, path=located, content_type=content_type,
                                note="" if located else "not found beside the export"))
    return tuple(found)


def _notes(result: ParseResult, tally: _Tally, owner: str | None) -> list[str]:
    count = len(result.messages)
    notes = [f"{counted(count, 'message', 'messages')} read."]
    if count and not (tally.local_only or tally.no_time):
        notes.append("Times come from date_unixtime, which Telegram records in UTC.")
    if tally.local_only:
        notes.append(f"Only the exporting computer's clock time (no date_unixtime) is recorded "
                     f"for {counted(tally.local_only, 'message', 'messages')}; state that "
                     "computer's time zone.")
    if tally.no_time:
        notes.append(f"No time could be read for {counted(tally.no_time, 'message', 'messages')}.")
    if result.format == FORMAT_ONE_CHAT:
        notes.append("A one-chat Telegram export does not say which messages the exporting "
                     "person sent.")
    elif owner is None:
        notes.append("The export does not name its owner's user id, so which messages they "
                     "sent is not marked.")
    else:
        notes.append(f"Messages from the account's owner (user id {owner}) are marked as "
                     "sent by them.")
    if tally.actions:
        shown = ", ".join(action for action, _ in tally.actions.most_common(5))
        notes.append(f"Service lines ({shown}) are listed as system messages: "
                     f"{sum(tally.actions.values()):,}.")
    if tally.calls:
        notes.append(f"Phone calls are listed as calls: {tally.calls:,}.")
    if tally.unsupported:
        notes.append(f"Messages Telegram could not export are listed as empty system messages: "
                     f"{tally.unsupported:,}.")
    for number, why in ((tally.not_included, "Not included in the export"),
                        (tally.not_found, "Not found beside the export"),
                        (tally.outside, "Pointing outside the export, so not followed")):
        if number:
            notes.append(f"{why}: {counted(number, 'attached file', 'attached files')}.")
    return notes
