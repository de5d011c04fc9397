"""Matching the names an export uses to the people already in a case.

A chat names people as the exporting phone saved them ("Mum", "~ Alex",
"+1 555 010 2030"); the case may already have them. A match is only offered
when it is plain — the same name, alias or phone number — and the person
confirms or changes it; nothing is merged behind their back.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from case_workbook.model.items import Person, Role

# What the person's own messages are labelled, by readers whose export says
# which messages the phone's owner sent (SMS backups, iMessage).
ME = "Me"

_INVISIBLE = dict.fromkeys(map(ord, "\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067"
                                    "\u2068\u2069\ufeff"), None)


def name_key(name: str) -> str:
    """A name as compared: invisible marks, a leading "~" (WhatsApp's mark
    for an unsaved contact), case and runs of spaces do not count."""
    text = unicodedata.normalize("NFKC", name.translate(_INVISIBLE)).strip()
    text = text.removeprefix("~").strip()
    return " ".join(text.split()).casefold()


def phone_key(text: str) -> str:
    """The last ten digits of something that looks like a phone number, else ""."""
    if re.search(r"[^\d\s()+.\-/]", text.translate(_INVISIBLE).strip()):
        return ""
    digits = re.sub(r"\D", "", text)
    return digits[-10:] if len(digits) >= 7 else ""


def email_key(text: str) -> str:
    """The address in "Name <a@b.org>" or "a@b.org", lower-cased; else ""."""
    found = re.search(r"<([^<>@\s]+@[^<>@\s]+)>", text) or re.fullmatch(
        r"\s*([^<>@\s]+@[^<>@\s]+)\s*", text)
    return found.group(1).casefold() if found else ""


def _keys(text: str) -> list[str]:
    """What a name, alias, contact or handle can be matched by besides its name."""
    return [key for key in (phone_key(text) and f"tel:{phone_key(text)}",
                            email_key(text) and f"mail:{email_key(text)}") if key]


def suggest_people(names: Iterable[str], people: list[Person],
                   handles: dict[str, str] | None = None) -> dict[str, str | None]:
    """For each participant name, the id of the one existing person it plainly
    is (the same name or alias, or the same phone number or email address,
    also by the `handles` the export records), or None (a new person). Two or
    more candidates give None: the person chooses."""
    handles = handles or {}
    by_name: dict[str, set[str]] = {}
    by_key: dict[str, set[str]] = {}
    defendants = [p.id for p in people if p.role is Role.DEFENDANT]
    for person in people:
        for label in (person.name, *person.aliases):
            by_name.setdefault(name_key(label), set()).add(person.id)
        for part in [person.name, *person.aliases, *re.split(r"[,;]", person.contact)]:
            for key in _keys(part):
                by_key.setdefault(key, set()).add(person.id)
    out: dict[str, str | None] = {}
    for name in names:
        if name == ME:
            out[name] = defendants[0] if len(defendants) == 1 else None
            continue
        found = set(by_name.get(name_key(name), ()))
        for key in _keys(name) + _keys(handles.get(name, "")):
            found |= by_key.get(key, set())
        out[name] = next(iter(found)) if len(found) == 1 else None
    return out


def new_person(name: str, defendant_name: str, handle: str = "") -> Person:
    """The person a participant becomes when no existing one was chosen;
    their number or address, when the export gives one, is their contact."""
    if name == ME:
        return Person(name=defendant_name or ME, role=Role.DEFENDANT,
                      notes="Added by a message import: the exporting phone's owner.")
    contact = handle or (name if _keys(name) else "")
    return Person(name=name, contact=contact, notes="Added by a message import.")
