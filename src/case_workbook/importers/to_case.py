"""Chosen messages into the case: one Communication each, people and
attachment exhibits with them, in one transaction — all or nothing.

Each Communication keeps the message verbatim and says where it came from:
the export's name and SHA-256, the record, how its time was read. A message
already in the case (the same export read again, or a later export of the
same chat) is recognised by its fingerprint and not added twice.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from case_workbook.importers.parsed import Attachment, MessageKind, ParsedMessage, ParseResult
from case_workbook.importers.people import new_person
from case_workbook.importers.source import ExportZip, hash_file
from case_workbook.model.items import (
    Communication,
    Direction,
    Exhibit,
    Kind,
    MessageSource,
    Person,
    Preserved,
    Role,
)
from case_workbook.model.when import When, wall_time_kind
from case_workbook.store.case_file import CaseFile
from case_workbook.store.errors import CaseFileError
from case_workbook.store.exhibits import (
    insert_exhibit_bytes,
    insert_exhibit_file,
    insert_exhibit_stream,
)

SUMMARY_LIMIT = 80


@dataclass
class ImportChoices:
    """What the person decided before importing."""

    zone: str  # the device's zone for times with none; the zone all times are shown in
    people: dict[str, str | None] = field(default_factory=dict)  # participant -> person id or new
    me: str | None = None  # which participant is the person, when the export does not say


@dataclass
class ImportOutcome:
    communications: list[str] = field(default_factory=list)
    people: list[str] = field(default_factory=list)
    exhibits: list[str] = field(default_factory=list)
    already_there: int = 0  # chosen messages the case already had

    def sentence(self) -> str:
        parts = [f"{len(self.communications):,} message{'s' * (len(self.communications) != 1)}"]
        if self.people:
            noun = "person" if len(self.people) == 1 else "people"
            parts.append(f"{len(self.people):,} new {noun}")
        if self.exhibits:
            parts.append(f"{len(self.exhibits):,} attachment{'s' * (len(self.exhibits) != 1)} "
                         "as exhibits")
        text = "Imported " + ", ".join(parts) + "."
        if self.already_there:
            text += (f" {self.already_there:,} chosen message"
                     f"{'s were' if self.already_there != 1 else ' was'} already in the case.")
        return text


def fingerprints(result: ParseResult) -> list[str]:
    """One per message, in order: the same message read from this export or
    another export of the same chat gets the same one. Identical messages
    (two "ok" in the same minute) are told apart by their order."""
    seen: Counter[str] = Counter()
    out = []
    for message in result.messages:
        stamp = message.stamp
        when = stamp.instant.isoformat() if stamp.instant else (
            stamp.local.isoformat() if stamp.local else stamp.text)
        names = "\x1e".join(a.name for a in message.attachments)
        # Not the details: they can hold what changes between two exports of
        # one chat (when a message was read), and the message is the same. The chat
        # counts: the same words sent to two chats are two messages.
        base = "\x1f".join((message.channel.value, message.kind.value, message.chat, when,
                            message.sender, message.text, names))
        seen[base] += 1
        out.append(hashlib.sha256(f"{base}\x1f{seen[base]}".encode()).hexdigest())
    return out


def fingerprints_in(case: CaseFile) -> set[str]:
    """Fingerprints of the imported messages the case holds (not deleted)."""
    rows = case.conn.execute(
        "SELECT json_extract(data, '$.imported.fingerprint') FROM items"
        " WHERE kind = ? AND deleted = 0 AND json_extract(data, '$.imported') IS NOT NULL",
        (Kind.COMMUNICATION.value,))
    return {row[0] for row in rows if row[0]}


def import_messages(case: CaseFile, result: ParseResult, chosen: Sequence[int],
                    choices: ImportChoices) -> ImportOutcome:
    """Import the messages at indexes `chosen` of `result.messages`."""
    prints = fingerprints(result)
    outcome = ImportOutcome()
    with _Zips() as zips, case.transaction(f"import messages from {result.source.name} into"):
        have = fingerprints_in(case)
        persons: dict[str, str] = {}
        exhibits_by_hash: dict[str, str] = _exhibits_by_hash(case)
        defendants = {p.id for p in case.items(Kind.PERSON) if p.role is Role.DEFENDANT}
        for index in sorted(set(chosen)):
            message, fingerprint = result.messages[index], prints[index]
            if fingerprint in have:
                outcome.already_there += 1
                continue
            have.add(fingerprint)
            # A system line (group created, member added) is no one's message to anyone.
            names = () if message.kind is MessageKind.SYSTEM else message.participants
            ids = [_person(case, name, choices, persons, outcome, result.handles)
                   for name in names]
            when = _when(message, choices.zone)
            exhibit_ids = [_exhibit(case, att, message, when, result, exhibits_by_hash, outcome,
                                    zips) for att in message.attachments if att.available]
            sender = ids[:1] if message.sender and ids else []
            recipients = ids[1:] if sender else ids
            direction = _direction(message, choices, sender, recipients, defendants)
            item = Communication(
                summary=summary_of(message), when=when, channel=message.channel,
                direction=direction,
                sender=sender, recipients=[pid for pid in recipients if pid not in sender],
                content=message.text, details=_details(message),
                original_location=_location(result, message), preserved=Preserved.YES,
                provenance=provenance(result, message, choices.zone),
                imported=_source(result, message, fingerprint, choices.zone),
                exhibits=list(dict.fromkeys(exhibit_ids)))
            outcome.communications.append(case._insert(item).id)
        if outcome.communications:
            case._log("import", "case", None, {
                "source": result.source.name, "sha256": result.sha256,
                "items": outcome.communications + outcome.people + outcome.exhibits})
    return outcome


class _Zips:
    """The export's zip, opened once for all its attachments, closed at the end."""

    def __init__(self) -> None:
        self.opened: dict[Path, ExportZip] = {}

    def open(self, path: Path) -> ExportZip:
        if path not in self.opened:
            self.opened[path] = ExportZip(path)
        return self.opened[path]

    def __enter__(self) -> _Zips:
        return self

    def __exit__(self, *exc: object) -> None:
        for archive in self.opened.values():
            archive.close()


def summary_of(message: ParsedMessage) -> str:
    """The first line of the text, cut at a word near SUMMARY_LIMIT; for a
    message without text, what it is."""
    line = next((part.strip() for part in message.text.splitlines() if part.strip()), "")
    if not line:
        if message.attachments:
            return "Attachment: " + ", ".join(a.name for a in message.attachments)
        return message.details.splitlines()[0] if message.details else f"({message.kind.value})"
    if len(line) <= SUMMARY_LIMIT:
        return line
    cut = line[:SUMMARY_LIMIT].rsplit(" ", 1)[0]
    return (cut if len(cut) > SUMMARY_LIMIT // 2 else line[:SUMMARY_LIMIT]) + "…"


def _when(message: ParsedMessage, zone: str) -> When:
    """The message's time, exact; unknown (its text kept) when the export
    has none or one this tool cannot hold (a year like 2250 or 9999)."""
    stamp = message.stamp
    moment = stamp.instant or stamp.local
    if moment is not None:
        try:
            return When.exact(moment, zone, source_text=stamp.text)
        except (ValueError, OverflowError):
            pass
    return When.unknown(zone, source_text=stamp.text)


def _direction(message: ParsedMessage, choices: ImportChoices, sender: list[str],
               recipients: list[str], defendants: set[str]) -> Direction | None:
    """Sent or received as the export says; else as the person said which
    name is theirs; else by whether they (the defendant) sent or got it."""
    if message.kind is MessageKind.SYSTEM:
        return None
    if message.from_me is not None:
        return Direction.OUTGOING if message.from_me else Direction.INCOMING
    if choices.me is not None:
        if message.sender == choices.me:
            return Direction.OUTGOING
        if choices.me in message.recipients:
            return Direction.INCOMING
        return Direction.BETWEEN_OTHERS
    if defendants & set(sender):
        return Direction.OUTGOING
    if defendants & set(recipients):
        return Direction.INCOMING
    return None


def _person(case: CaseFile, name: str, choices: ImportChoices, made: dict[str, str],
            outcome: ImportOutcome, handles: dict[str, str]) -> str:
    chosen = choices.people.get(name)
    if chosen:
        if not case.exists(chosen) or case.get(chosen).kind is not Kind.PERSON:
            raise CaseFileError(f"{chosen}, chosen for {name!r}, is not a person in this case.")
        return chosen
    if name not in made:
        fresh = new_person(name, case.header.defendant, handles.get(name, ""))
        if name == choices.me:  # the name the person said is theirs
            fresh = fresh.model_copy(update={"role": Role.DEFENDANT})
        person: Person = case._insert(fresh)
        made[name] = person.id
        outcome.people.append(person.id)
    return made[name]


def _exhibits_by_hash(case: CaseFile) -> dict[str, str]:
    rows = case.conn.execute(
        "SELECT id, json_extract(data, '$.file.sha256') FROM items"
        " WHERE kind = ? AND deleted = 0", (Kind.EXHIBIT.value,))
    return {sha: item_id for item_id, sha in rows if sha}


def _exhibit(case: CaseFile, attachment: Attachment, message: ParsedMessage, when: When,
             result: ParseResult, by_hash: dict[str, str], outcome: ImportOutcome,
             zips: _Zips) -> str:
    if attachment.data is not None:
        sha = hashlib.sha256(attachment.data).hexdigest()
    elif attachment.member:
        sha = attachment.sha256
    else:
        assert attachment.path is not None
        sha, _ = hash_file(attachment.path)
    if sha in by_hash:  # the same file, attached again or already in the case: one exhibit
        return by_hash[sha]
    fields = {
        "summary": f"{attachment.name} — attached to a message"
                   + (f" from {message.sender}" if message.sender else ""),
        "when": when,
        "custody": (f"Taken from {result.source.name} (SHA-256 {result.sha256}), "
                    f"{message.locator}, by a message import."),
        "details": f"Content type: {attachment.content_type}" if attachment.content_type else "",
    }
    exhibit: Exhibit
    if attachment.data is not None:
        exhibit = insert_exhibit_bytes(case, file_name(attachment.name), attachment.data,
                                       **fields)
    elif attachment.member:
        exhibit = insert_exhibit_stream(case, file_name(attachment.name),
                                        zips.open(result.source).stream(attachment.member),
                                        attachment.size, **fields)
        assert exhibit.file is not None
        if exhibit.file.sha256 != sha:
            raise CaseFileError(f"{result.source.name} changed after it was read: "
                                f"{attachment.name} in it is not what it was; read it again.")
    else:
        exhibit = insert_exhibit_file(case, attachment.path, **fields)
    by_hash[sha] = exhibit.id
    outcome.exhibits.append(exhibit.id)
    return exhibit.id


def file_name(name: str) -> str:
    """An attachment's name as a file name: an email may call it "../../x"
    or "C:\\x"; only the last part is a name."""
    last = name.replace("\\", "/").rstrip("/").rsplit("/", 1)[-1].strip()
    return last if last not in ("", ".", "..") else "attachment"


def _details(message: ParsedMessage) -> str:
    lines = [message.details] if message.details else []
    for attachment in message.attachments:
        if not attachment.available:
            lines.append(f"Attachment {attachment.name}: {attachment.note or 'not available'}.")
    return "\n".join(lines)


def _location(result: ParseResult, message: ParsedMessage) -> str:
    chat = f", chat {message.chat!r}" if message.chat else ""
    return f"{result.format}: {result.source.name}{chat}"


def provenance(result: ParseResult, message: ParsedMessage, zone: str) -> str:
    """Where the message came from and how its time was read, in words."""
    text = (f"Imported from {result.source.name} ({result.format}; SHA-256 {result.sha256}), "
            f"{message.locator}.")
    stamp = message.stamp
    if stamp.instant is not None:
        text += f" The export records the time as an absolute instant; shown in {zone}."
    elif stamp.local is not None:
        text += (f" The export records the device's clock time only, with no time zone; "
                 f"the zone {zone} was stated by the person importing it.")
        kind = wall_time_kind(stamp.local, zone)
        if kind == "twice":
            text += (" That clock time happened twice that night (the clocks went back); "
                     "read as the first.")
        elif kind == "gap":
            text += " That clock time did not exist in that zone (clocks went forward)."
    else:
        text += " The export records no usable time for it."
    if result.day_order is not None:
        how = ("as stated by the person importing it (the file could not settle it)"
               if result.day_order_stated else "as the file itself shows")
        text += f" Dates read {result.day_order.value}, {how}."
    return text


def _source(result: ParseResult, message: ParsedMessage, fingerprint: str,
            zone: str) -> MessageSource:
    return MessageSource(
        format=result.format, file_name=result.source.name, sha256=result.sha256,
        locator=message.locator, fingerprint=fingerprint, zone=zone,
        zone_stated=message.stamp.instant is None and message.stamp.local is not None,
        day_order=result.day_order.value if result.day_order else "",
        day_order_stated=result.day_order_stated)
