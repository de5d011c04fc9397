"""Which reader an export file needs, told from its name and first bytes.

The person does not have to know what kind of file their phone made: each
reader says whether a file looks like its format, most specific first, and
the first that recognises it reads it.
"""

from __future__ import annotations

import importlib
from pathlib import Path
from types import ModuleType

from case_workbook.fileio import describe_os_error
from case_workbook.importers.parsed import DayOrder, ExportReadError, ParseResult
from case_workbook.importers.source import regular_size

HEAD = 64 * 1024

# Most specific first: a SQLite file, XML, JSON shapes, then the line formats.
READERS = ("imessage", "sms_backup", "telegram", "meta_json", "whatsapp", "signal_text",
           "email_mail")

KNOWN = ("WhatsApp chat exports (.txt or .zip), SMS Backup & Restore XML, Telegram Desktop "
         "JSON, Signal text exports, Instagram or Messenger JSON, an iMessage chat.db, and "
         "email (.eml or .mbox)")


def _reader(name: str) -> ModuleType:
    return importlib.import_module(f"case_workbook.importers.{name}")


def read_head(path: Path) -> bytes:
    regular_size(path)
    try:
        with open(path, "rb") as handle:
            return handle.read(HEAD)
    except OSError as error:
        raise ExportReadError(describe_os_error(error, str(path), "read")) from None


def reader_for(path: Path) -> ModuleType:
    head = read_head(path)
    if not head:
        raise ExportReadError(f"{path.name} is empty; there is nothing in it to import.")
    for name in READERS:
        reader = _reader(name)
        if reader.looks_like(path, head):
            return reader
    telegram = _reader("telegram")
    if getattr(telegram, "is_telegram_html", None) and telegram.is_telegram_html(head):
        raise ExportReadError(f"{path.name} is Telegram's HTML export, which is made for "
                              "reading, not importing; in Telegram Desktop, export the chat "
                              "again with the format 'Machine-readable JSON'.")
    raise ExportReadError(f"{path.name} is not a message export this tool can read; it reads "
                          f"{KNOWN}.")


def read_export(path: Path, *, day_order: DayOrder | None = None) -> ParseResult:
    """Read any supported export. Raises ExportReadError (one sentence) for a
    file that cannot be read at all, NeedsDayOrder when its dates read both
    ways and `day_order` was not given."""
    return reader_for(path).read(path, day_order=day_order)
