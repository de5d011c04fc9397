"""Instagram and Facebook Messenger messages from Meta's "Download your
information" (JSON): one thread's `message_N.json`, newest message first.

Meta writes every non-ASCII string double-encoded (each UTF-8 byte as its
own `\\u00XX` character); such strings are read back as the text they
encode, and only when they decode cleanly. Times are `timestamp_ms` (UTC).
The download does not say which messages its owner sent.
"""

from __future__ import annotations

import mimetypes
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path, PurePosixPath

from case_workbook.importers.json_source import (
    counted,
    file_inside,
    json_start,
    load_json_export,
    relative_parts,
    scalar,
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
from case_workbook.model.items import Channel

FORMAT_INSTAGRAM = "Instagram messages (Meta download)"
FORMAT_MESSENGER = "Facebook Messenger messages (Meta download)"
FORMAT_UNSURE = "Meta (Instagram or Messenger) messages"
MEDIA_LISTS = ("photos", "videos", "audio_files", "gifs", "files")
ROOT_LEVELS = 6  # how far above the JSON the export's root folder may be
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def looks_like(path: Path, head: bytes) -> bool:
    try:
        return (json_start(head).startswith(b"{") and b'"timestamp_ms"' in head
                and (b'"sender_name"' in head or b'"participants"' in head))
    except Exception:  # detection never fails loudly
        return False


class _Redecoder:
    """Undo Meta's double encoding where the string decodes cleanly."""

    def __init__(self) -> None:
        self.count = 0

    def __call__(self, value: object) -> str:
        if not isinstance(value, str):
            return scalar(value)
        if value.isascii():
            return value
        try:
            fixed = value.encode("latin-1").decode("utf-8")
        except UnicodeError:
            return value
        self.count += 1
        return fixed


class _Tally:
    def __init__(self) -> None:
        self.no_time = self.not_found = self.web = self.outside = self.calls = 0
        self.system = self.unsent = 0


def read(path: Path, *, day_order: DayOrder | None = None) -> ParseResult:
    """Every message of the thread, in the file's order (newest first)."""
    path = Path(path)
    loaded = load_json_export(path)
    data = loaded.data
    if not isinstance(data, dict) or not isinstance(data.get("messages"), list):
        raise ExportReadError(f"{path.name} is not a Meta (Instagram or Messenger) message "
                              "file: it has no list of messages.")
    fix, tally = _Redecoder(), _Tally()
    named = data.get("participants") if isinstance(data.get("participants"), list) else []
    participants = [fix(p.get("name")) for p in named if isinstance(p, dict)]
    participants = list(dict.fromkeys(p for p in participants if p))
    messages = data["messages"]
    if not participants:
        participants = list(dict.fromkeys(fix(m.get("sender_name")) for m in messages
                                          if isinstance(m, dict) and m.get("sender_name")))
    chat = fix(data.get("title")) or fix(data.get("thread_path"))
    service = _service(path, data, messages)
    result = ParseResult(
        format={"instagram": FORMAT_INSTAGRAM, "messenger": FORMAT_MESSENGER}.get(
            service, FORMAT_UNSURE),
        source=path, sha256=loaded.sha256, size=loaded.size, notes=list(loaded.notes))
    channel = Channel.SOCIAL_MEDIA if service == "instagram" else Channel.MESSENGER
    others: dict[str, tuple[str, ...]] = {}
    folder = path.parent.absolute()
    for number, message in enumerate(messages, 1):
        locator = f"message {number}"
        if not isinstance(message, dict):
            result.skipped.append(Skipped(locator, "this entry is not a message"))
            continue
        sender = fix(message.get("sender_name"))
        if sender not in others:
            others[sender] = tuple(p for p in participants if p != sender)
        result.messages.append(_message(message, number, locator, sender, others[sender],
                                        chat, channel, folder, fix, tally))
    result.notes.extend(_notes(path, result, tally, fix, service, bool(named)))
    return result


def _message(message: dict, number: int, locator: str, sender: str,
             recipients: tuple[str, ...], chat: str, channel: Channel, folder: Path,
             fix: _Redecoder, tally: _Tally) -> ParsedMessage:
    kind_of = scalar(message.get("type"))
    kind, details = MessageKind.MESSAGE, []
    if kind_of == "Call":
        kind, channel = MessageKind.CALL, Channel.CALL
        tally.calls += 1
        seconds = scalar(message.get("call_duration"))
        details.append("call" + (f", lasted {seconds} seconds" if seconds else ""))
        if message.get("missed") is True:
            details.append("missed")
    elif kind_of in ("Subscribe", "Unsubscribe"):
        kind = MessageKind.SYSTEM
        tally.system += 1
        users = message.get("users") if isinstance(message.get("users"), list) else []
        names = [fix(u.get("name")) for u in users if isinstance(u, dict)]
        verb = "joined" if kind_of == "Subscribe" else "left"
        details.append(f"{verb} the conversation" + (f": {', '.join(names)}" if names else ""))
    elif kind_of not in ("", "Generic", "Share"):
        details.append(f"recorded as type '{kind_of}'")
    if message.get("is_unsent") is True:
        tally.unsent += 1
        details.append("unsent by the sender")
    details.extend(_share(message.get("share"), fix))
    details.extend(_reactions(message.get("reactions"), fix))
    if message.get("is_geoblocked_for_viewer") is True:
        details.append("marked by Meta as hidden from the viewer in their region")
    if ip := scalar(message.get("ip")):
        details.append(f"sent from IP address {ip}")
    return ParsedMessage(
        record=number, locator=locator, stamp=_stamp(message.get("timestamp_ms"), tally),
        sender=sender, text=fix(message.get("content")), kind=kind, channel=channel,
        recipients=recipients, attachments=_attachments(message, folder, fix, tally),
        chat=chat, details="; ".join(details))


def _stamp(value: object, tally: _Tally) -> Stamp:
    if isinstance(value, str) and value.isascii() and value.isdigit() and len(value) <= 16:
        value = int(value)
    if isinstance(value, int) and not isinstance(value, bool):
        try:
            return Stamp(instant=EPOCH + timedelta(milliseconds=value), text=str(value))
        except OverflowError:
            pass
    tally.no_time += 1
    return Stamp(text=scalar(value))


def _share(share: object, fix: _Redecoder) -> list[str]:
    if not isinstance(share, dict):
        return []
    facts = [f"{words} {fix(share.get(key))}" for key, words in (
        ("link", "shared link"), ("share_text", "shared text:"),
        ("original_content_owner", "shared from")) if fix(share.get(key))]
    return facts


def _reactions(reactions: object, fix: _Redecoder) -> list[str]:
    if not isinstance(reactions, list):
        return []
    shown = [fix(r.get("reaction")) + (f" by {fix(r.get('actor'))}" if r.get("actor") else "")
             for r in reactions if isinstance(r, dict)]
    shown = [s for s in shown if s]
    return ["reactions: " + ", ".join(shown)] if shown else []


def _uris(message: dict) -> list[str]:
    entries = [e for key in MEDIA_LISTS if isinstance(message.get(key), list)
               for e in message[key]]
    if isinstance(message.get("sticker"), dict):
        entries.append(message["sticker"])
    return [e["uri"] for e in entries if isinstance(e, dict) and isinstance(e.get("uri"), str)]


def _attachments(message: dict, folder: Path, fix: _Redecoder,
                 tally: _Tally) -> tuple[Attachment, ...]:
    found = []
    for written in _uris(message):
        uri = fix(written)
        name = PurePosixPath(uri.replace("\\", "/")).name or uri
        content_type = mimetypes.guess_type(name, strict=False)[0] or ""
        if re.match(r"[a-zA-Z][a-zA-Z0-9+.-]*://", uri):
            tally.web += 1
            found.append(Attachment(name, content_type=content_type,
                                    note=f"a web address ({uri}), not a file in the export"))
            continue
        parts = relative_parts(uri)
        if parts is None:
            tally.outside += 1
            found.append(Attachment(name, content_type=content_type,
                                    note=f"{uri!r} points outside the export, so it was not "
                                         "looked for"))
            continue
        located = _locate(folder, parts)
        if located is None:
            tally.not_found += 1
        found.append(Attachment(name, path=located, content_type=content_type,
                                note="" if located else "not found beside the export"))
    return tuple(found)


def _locate(folder: Path, parts: tuple[str, ...]) -> Path | None:
    """The file a uri names. Meta writes uris from the download's root
    (`messages/inbox/...`, `your_instagram_activity/...`): the root is the
    folder above the JSON where the uri's first folder is on the JSON's own
    path, at most ROOT_LEVELS up. Also tried: beside the JSON, and the part
    of the uri after the JSON's folder's name (a thread folder moved out)."""
    tries = [(folder, parts)]
    steps = folder.parts
    for level in range(1, min(ROOT_LEVELS, len(steps) - 1) + 1):
        if steps[-level] == parts[0]:
            tries.append((Path(*steps[:-level]), parts))
    if folder.name in parts[:-1]:
        after = len(parts) - 1 - parts[::-1].index(folder.name)
        tries.append((folder, parts[after + 1:]))
    for root, steps_inside in tries:
        if steps_inside and (found := file_inside(root, steps_inside)) is not None:
            return found
    return None


def _service(path: Path, data: dict, messages: list) -> str:
    """"instagram", "messenger" or "" from the folder names and uris."""
    words = [part.lower() for part in path.absolute().parts[-(ROOT_LEVELS + 2):]]
    thread_path = data.get("thread_path")
    if isinstance(thread_path, str):
        words.append(thread_path.lower())
    for message in messages[:200]:
        if isinstance(message, dict):
            words.extend(uri.lower()[:100] for uri in _uris(message)[:3])
    instagram = any("instagram" in word for word in words)
    messenger = any("facebook" in word or "messenger" in word for word in words)
    if instagram != messenger:
        return "instagram" if instagram else "messenger"
    return ""


def _notes(path: Path, result: ParseResult, tally: _Tally, fix: _Redecoder, service: str,
           named: bool) -> list[str]:
    notes = [f"{counted(len(result.messages), 'message', 'messages')} read, in the file's "
             "order (Meta lists the newest first)."]
    if result.messages and tally.no_time < len(result.messages):
        notes.append("Times come from timestamp_ms, which Meta records in UTC.")
    if tally.no_time:
        notes.append(f"No time could be read for {counted(tally.no_time, 'message', 'messages')}.")
    notes.append("Meta downloads do not say which messages the account's owner sent.")
    if not service:
        notes.append("Whether these are Instagram or Messenger messages could not be told "
                     "from the file or its folders.")
    if fix.count:
        notes.append(f"{counted(fix.count, 'name or text was', 'names and texts were')} stored "
                     "by Meta with each UTF-8 byte as a separate character (a known quirk of "
                     "its downloads) and read back as the text they encode.")
    if not named:
        notes.append("The file names no participants; everyone who wrote in it is taken as "
                     "a participant.")
    if tally.calls:
        notes.append(f"Calls are listed as calls: {tally.calls:,}.")
    if tally.system:
        notes.append(f"People joining or leaving are listed as system messages: "
                     f"{tally.system:,}.")
    if tally.unsent:
        notes.append(f"Unsent by their sender (Meta keeps no text for them): "
                     f"{counted(tally.unsent, 'message', 'messages')}.")
    if tally.not_found:
        notes.append(f"Not found beside the export: "
                     f"{counted(tally.not_found, 'attached file', 'attached files')}.")
    if tally.web:
        notes.append(f"Web addresses, which are not fetched: "
                     f"{counted(tally.web, 'attachment', 'attachments')}.")
    if tally.outside:
        notes.append(f"Pointing outside the export, so not followed: "
                     f"{counted(tally.outside, 'attachment path', 'attachment paths')}.")
    if match := re.fullmatch(r"message_(\d+)\.json", path.name):
        siblings = sorted(p.name for p in _siblings(path) if p.name != path.name)
        if siblings:
            notes.append(f"This thread continues in {', '.join(siblings[:5])} beside this "
                         f"file (part {match.group(1)}); each part is read on its own.")
    return notes


def _siblings(path: Path) -> list[Path]:
    try:
        return [p for p in path.parent.glob("message_*.json")
                if re.fullmatch(r"message_\d+\.json", p.name)][:50]
    except OSError:
        return []
