"""Android "SMS Backup & Restore" (SyncTech) XML backups: a message backup
(`<smses>`: `<sms>` and `<mms>` records) or a call log (`<calls>`).

The file is streamed through expat in blocks (backups with media run to
GB), every attribute is kept as the string written, and a DOCTYPE or entity
declaration is refused, since the app never writes one. A backup broken or
cut off part way gives the records before the break, and those after it
when a later record can be found; each break is listed in `skipped`.
"""

from __future__ import annotations

import re
from pathlib import Path

from case_workbook.fileio import describe_os_error
from case_workbook.importers.parsed import DayOrder, ExportReadError, ParseResult, Skipped
from case_workbook.importers.safe_xml import (
    Break,
    DeclaresEntities,
    End,
    NotXml,
    Start,
    UnknownEncoding,
    XmlStream,
)
from case_workbook.importers.sms_records import (
    ADDRESS_ROLES,
    MmsRecord,
    Tally,
    call_message,
    mms_message,
    mms_part,
    sms_message,
)
from case_workbook.importers.source import regular_size

FORMAT_MESSAGES = "SMS Backup & Restore (messages)"
FORMAT_CALLS = "SMS Backup & Restore (call log)"
ROOTS = {"smses": FORMAT_MESSAGES, "calls": FORMAT_CALLS}
RECORDS = ("sms", "mms", "call")
RECORD_START = re.compile(rb"<(?:sms|mms|call)[\s/>]")
_HEAD_ROOT = re.compile(rb"<(?:smses|calls)[\s>]")


def looks_like(path: Path, head: bytes) -> bool:
    """XML whose root, within the first 64 KiB, is `<smses` or `<calls`."""
    try:
        start = head[:4096].lstrip(b"\xef\xbb\xbf \t\r\n")
        return start.startswith(b"<") and _HEAD_ROOT.search(head[:65536]) is not None
    except Exception:  # detection never fails loudly
        return False


def read(path: Path, *, day_order: DayOrder | None = None) -> ParseResult:
    """Read a backup. `day_order` is not used: every record carries epoch times."""
    regular_size(path)
    try:
        with open(path, "rb") as handle:
            return _read_stream(path, XmlStream(handle, resume=RECORD_START))
    except OSError as error:
        raise ExportReadError(describe_os_error(error, str(path), "read")) from None


def _not_read(path: Path, why: str) -> ExportReadError:
    return ExportReadError(f"{path.name} was not read: {why}.")


class _Records:
    """Turns the element events of a backup into messages, in file order."""

    def __init__(self, path: Path, stream: XmlStream) -> None:
        self.path, self.stream, self.tally = path, stream, Tally()
        self.result = ParseResult(format=FORMAT_MESSAGES, source=path, sha256="", size=0)
        self.record = 0
        self.declared: str | None = None  # the root's `count`; None until the root is seen
        self.mms: MmsRecord | None = None  # the MMS being read, until its end tag

    def start(self, event: Start) -> None:
        name = event.name
        if self.declared is None:  # the root element
            if name not in ROOTS:
                raise _not_read(self.path, f"it is XML, but its root element is <{name[:40]}>, "
                                           "not an SMS Backup & Restore backup's <smses> or "
                                           "<calls>")
            self.result.format = ROOTS[name]
            self.declared = event.attrs.get("count", "")
        elif name in RECORDS:
            if self.mms is not None:  # the MMS before it was never closed: keep what it held
                self.tally.unclosed += 1
                self._finish_mms(unclosed=True)
            self.record += 1
            if name == "mms":
                self.mms = MmsRecord(event.attrs, event.line, self.record)
            else:
                build = sms_message if name == "sms" else call_message
                self.result.messages.append(build(event.attrs, self.record, event.line,
                                                  self.tally))
        elif name == "part" and self.mms is not None:
            if part := mms_part(event.attrs, self.tally):
                self.mms.parts.append(part)
        elif name == "addr" and self.mms is not None:
            if role := ADDRESS_ROLES.get(event.attrs.get("type", "")):
                self.mms.addresses.append((role, event.attrs.get("address", "")))

    def end(self, event: End) -> None:
        if event.name == "mms" and self.mms is not None:
            self._finish_mms()

    def broken(self, event: Break) -> None:
        start = self.mms.line if self.mms else event.started_line
        self.result.skipped.append(_skipped(event, start))
        self.result.truncated = self.result.truncated or event.at_end
        self.mms = None

    def _finish_mms(self, *, unclosed: bool = False) -> None:
        assert self.mms is not None
        self.result.messages.append(mms_message(self.mms, self.tally, unclosed=unclosed))
        self.mms = None

    def finish(self) -> ParseResult:
        self.result.sha256, self.result.size = self.stream.sha256, self.stream.size
        self.result.handles = dict(self.tally.handles)
        self.result.notes = _notes(self.result, self.tally, self.stream, self.declared or "")
        return self.result


def _read_stream(path: Path, stream: XmlStream) -> ParseResult:
    records = _Records(path, stream)
    try:
        for event in stream.events():
            if isinstance(event, Start):
                records.start(event)
            elif isinstance(event, End):
                records.end(event)
            elif isinstance(event, Break):
                records.broken(event)
    except DeclaresEntities as refused:
        what = "a document type" if refused.only_doctype else "entities"
        raise _not_read(path, f"it declares {what}, which SMS Backup & Restore never "
                              "writes") from None
    except UnknownEncoding as error:
        raise _not_read(path, f"it says it is written in the character encoding {str(error)!r}, "
                              "which cannot be read") from None
    except NotXml as error:
        raise _not_xml(path, stream, str(error)) from None
    except RecursionError:
        raise _not_read(path, "its elements are nested too deeply") from None
    return records.finish()


def _not_xml(path: Path, stream: XmlStream, why: str) -> ExportReadError:
    if stream.size == 0:
        return ExportReadError(f"{path.name} is empty; there is nothing in it to import.")
    stream.handle.seek(0)
    if stream.handle.read(4) == b"PK\x03\x04":
        return ExportReadError(f"{path.name} is a zip file, not the XML backup; unpack it first "
                               "(SMS Backup & Restore asks for its password when it set one).")
    return ExportReadError(f"{path.name} is not an SMS Backup & Restore backup: it is not "
                           f"XML ({why}, at its start).")


def _skipped(event: Break, open_line: int | None) -> Skipped:
    where = f"line {open_line or event.line}"
    what = (f"the record starting on line {open_line} breaks on line {event.line}"
            if open_line and open_line != event.line else f"line {event.line}")
    if event.resumed_line is not None:
        rest = f"; reading picked up again at the record on line {event.resumed_line}"
    elif event.at_end:
        rest = "; the file ends without the backup's closing tag, so it was cut off"
    else:
        rest = "; nothing after it could be read"
    lost = "that record was not read" if open_line else "what it held was not read"
    return Skipped(where, f"{what}: {event.reason}; {lost}{rest}.")


def _notes(result: ParseResult, tally: Tally, stream: XmlStream, declared: str) -> list[str]:
    notes = []
    read = tally.calls if result.format == FORMAT_CALLS else tally.sms + tally.mms
    kinds = (f"{tally.calls:,} call{'s' * (tally.calls != 1)}" if result.format == FORMAT_CALLS
             else f"{tally.sms:,} SMS and {tally.mms:,} MMS")
    notes.append(f"Read {kinds}. Times are exact (from the backup's UTC 'date'); the time "
                 "shown with each is the phone's own wording ('readable_date').")
    if declared.isdigit() and int(declared) != read:
        notes.append(f"The backup says it holds {int(declared):,} record"
                     f"{'s' * (int(declared) != 1)}; {read:,} {_were(read)} read.")
    if tally.unsent:
        notes.append(f"{tally.unsent:,} draft or unsent message{'s' * (tally.unsent != 1)} "
                     f"{_are(tally.unsent)} included; each says so.")
    if tally.damaged:
        notes.append(f"{tally.damaged:,} attachment{'s' * (tally.damaged != 1)} could not be "
                     "decoded (the backup's copy is damaged or too large); listed with a note.")
    if tally.not_included:
        notes.append(f"{tally.not_included:,} attachment{'s' * (tally.not_included != 1)} "
                     f"{_are(tally.not_included)} named but not included in the backup.")
    if tally.no_time:
        notes.append(f"{tally.no_time:,} record{'s' * (tally.no_time != 1)} "
                     f"{'has' if tally.no_time == 1 else 'have'} no time that could be read.")
    if stream.mender.paired:
        notes.append(f"{stream.mender.paired:,} characters (emoji and the like) written as "
                     "UTF-16 halves were read as the characters they stand for.")
    if stream.mender.lone:
        notes.append(f"{stream.mender.lone:,} unpaired UTF-16 half{'s' * (stream.mender.lone != 1)}"
                     ", which stand for no character, are shown as \ufffd.")
    if tally.unclosed:
        notes.append(f"{tally.unclosed:,} MMS record{'s' * (tally.unclosed != 1)} "
                     f"{_are(tally.unclosed)} not closed before the next record; each was read "
                     "as far as it goes and says so.")
    return notes


def _are(count: int) -> str:
    return "is" if count == 1 else "are"


def _were(count: int) -> str:
    return "was" if count == 1 else "were"
