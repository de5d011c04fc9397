"""The things a case catalogues: threats, witnesses, communications, post-event
actions, events, people and exhibits.

Every item shares a few fields (summary, details, notes, theme links, links to
people, exhibits and other items); each kind adds its own. Ids are assigned by
the store (`T-001`, `DX-0001`, ...) and never reused.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Annotated, Literal, Union

from pydantic import BaseModel, ConfigDict, Field

from case_workbook.model.when import When


class Kind(StrEnum):
    THREAT = "threat"
    WITNESS = "witness"
    COMMUNICATION = "communication"
    ACTION = "action"
    EVENT = "event"
    PERSON = "person"
    EXHIBIT = "exhibit"


KIND_LABELS: dict[Kind, str] = {
    Kind.THREAT: "Threat",
    Kind.WITNESS: "Witness",
    Kind.COMMUNICATION: "Communication",
    Kind.ACTION: "Post-event action",
    Kind.EVENT: "Event",
    Kind.PERSON: "Person",
    Kind.EXHIBIT: "Exhibit",
}

KIND_PLURALS: dict[Kind, str] = {
    Kind.THREAT: "threats",
    Kind.WITNESS: "witnesses",
    Kind.COMMUNICATION: "communications",
    Kind.ACTION: "post-event actions",
    Kind.EVENT: "events",
    Kind.PERSON: "people",
    Kind.EXHIBIT: "exhibits",
}


def count_text(kind: Kind, count: int) -> str:
    """'1 threat', '3 threats', '0 people': a plain count, nothing more."""
    return f"{count} {KIND_LABELS[kind].lower() if count == 1 else KIND_PLURALS[kind]}"


# Id prefixes per kind; the exhibit prefix is configurable per case.
ID_PREFIX: dict[Kind, str] = {
    Kind.THREAT: "T",
    Kind.WITNESS: "W",
    Kind.COMMUNICATION: "C",
    Kind.ACTION: "A",
    Kind.EVENT: "E",
    Kind.PERSON: "P",
}
DEFAULT_EXHIBIT_PREFIX = "DX"


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_assignment=True)


class ThemeLink(Strict):
    """An item linked to one theme of the case's framework, with the user's note."""

    theme_id: str = Field(min_length=1, max_length=64)
    note: str = ""


class ItemBase(Strict):
    id: str = ""
    summary: str = ""
    details: str = ""
    notes: str = ""  # the user's own notes
    counsel_notes: str = ""  # what counsel wrote in a returned workbook
    themes: list[ThemeLink] = Field(default_factory=list)
    people: list[str] = Field(default_factory=list)  # person ids linked in general
    exhibits: list[str] = Field(default_factory=list)  # exhibit ids
    related: list[str] = Field(default_factory=list)  # other item ids
    created: datetime | None = None
    edited: datetime | None = None

    def theme_ids(self) -> list[str]:
        return [link.theme_id for link in self.themes]

    def person_refs(self) -> list[str]:
        """Every person id this item names, in any field, without repeats."""
        seen: dict[str, None] = {}
        for pid in self.people + self._own_person_refs():
            seen.setdefault(pid, None)
        return list(seen)

    def _own_person_refs(self) -> list[str]:
        return []

    def when_value(self) -> When | None:
        return getattr(self, "when", None)


# --- Threat -----------------------------------------------------------------

class Target(StrEnum):
    SELF = "self"
    FAMILY = "family member"
    OTHER = "other person"


class Delivery(StrEnum):
    IN_PERSON = "in person"
    CALL = "phone call"
    TEXT = "text message"
    VOICEMAIL = "voicemail"
    SOCIAL_MEDIA = "social media"
    THROUGH_SOMEONE = "through someone"
    EMAIL = "email"
    LETTER = "letter or note"
    OTHER = "other"


class Threat(ItemBase):
    kind: Literal[Kind.THREAT] = Kind.THREAT
    when: When = Field(default_factory=When.unknown)
    made_by: list[str] = Field(default_factory=list)  # person ids
    against: list[Target] = Field(default_factory=list)
    against_detail: str = ""  # who exactly, in the user's words
    delivery: Delivery | None = None
    harm_threatened: str = ""
    demand: str = ""
    weapon_shown: bool | None = None
    weapon: str = ""
    place: str = ""
    present: list[str] = Field(default_factory=list)  # person ids

    def _own_person_refs(self) -> list[str]:
        return self.made_by + self.present


# --- Witness ----------------------------------------------------------------

class Witness(ItemBase):
    kind: Literal[Kind.WITNESS] = Kind.WITNESS
    person: str | None = None  # person id
    observed: str = ""  # what they saw or heard
    when: When = Field(default_factory=When.unknown)  # when they saw or heard it
    contact: str = ""  # how to reach them
    relation: str = ""  # relation to the defendant
    contacted: bool | None = None  # has anyone spoken to them yet

    def _own_person_refs(self) -> list[str]:
        return [self.person] if self.person else []


# --- Communication ----------------------------------------------------------

class Channel(StrEnum):
    TEXT = "text message"
    CALL = "phone call"
    VOICEMAIL = "voicemail"
    EMAIL = "email"
    MESSENGER = "messaging app"
    SOCIAL_MEDIA = "social media"
    LETTER = "letter or note"
    IN_PERSON = "in person"
    OTHER = "other"


class Direction(StrEnum):
    INCOMING = "received"
    OUTGOING = "sent"
    BETWEEN_OTHERS = "between others"


class Preserved(StrEnum):
    YES = "yes"
    NO = "no"
    UNKNOWN = "not known"


class MessageSource(Strict):
    """Where an imported message came from, as the importer read it."""

    format: str  # "WhatsApp chat export (iOS)"
    file_name: str
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$")  # of the file as given
    locator: str  # "line 14", "record 3"
    fingerprint: str = Field(pattern=r"^[0-9a-f]{64}$")  # tells a re-import of this message
    zone: str  # the zone the time is shown in
    zone_stated: bool  # the export records no zone; the person stated the device's
    day_order: str = ""  # "day-first" / "month-first", when the file's dates needed one
    day_order_stated: bool = False  # the person chose it; the file could not settle it


class Communication(ItemBase):
    kind: Literal[Kind.COMMUNICATION] = Kind.COMMUNICATION
    when: When = Field(default_factory=When.unknown)
    channel: Channel | None = None
    direction: Direction | None = None
    sender: list[str] = Field(default_factory=list)  # person ids
    recipients: list[str] = Field(default_factory=list)  # person ids
    content: str = ""  # verbatim
    original_location: str = ""  # device, account, file
    preserved: Preserved = Preserved.UNKNOWN
    provenance: str = ""  # where an imported message came from (file, hash, record)
    imported: MessageSource | None = None

    def _own_person_refs(self) -> list[str]:
        return self.sender + self.recipients


# --- Post-event action ------------------------------------------------------

class ActionType(StrEnum):
    TOLD_SOMEONE = "told someone"
    CALLED_911 = "called 911"
    WENT_TO_POLICE = "went to police"
    MEDICAL_CARE = "sought medical care"
    WENT_HOME = "went home"
    SURRENDERED = "surrendered"
    ARRESTED = "was arrested"
    STATEMENT = "made a statement"
    LAWYER = "contacted a lawyer"
    OTHER = "other"


class PostEventAction(ItemBase):
    kind: Literal[Kind.ACTION] = Kind.ACTION
    action: ActionType | None = None
    when: When = Field(default_factory=When.unknown)
    with_whom: list[str] = Field(default_factory=list)  # person ids
    place: str = ""

    def _own_person_refs(self) -> list[str]:
        return self.with_whom


# --- Event ------------------------------------------------------------------

class KeyMoment(StrEnum):
    ACT_START = "act start"
    ACT_END = "act end"
    THREAT_ENDED = "threat ended / coercer left"
    ARREST = "arrest"
    SURRENDER = "surrender"


class Event(ItemBase):
    kind: Literal[Kind.EVENT] = Kind.EVENT
    when: When = Field(default_factory=When.unknown)
    key_moment: KeyMoment | None = None
    place: str = ""


# --- Person -----------------------------------------------------------------

class Role(StrEnum):
    DEFENDANT = "defendant"
    COERCER = "coercer"
    FAMILY = "family member"
    WITNESS = "witness"
    OFFICER = "officer"
    OTHER = "other"


class Person(ItemBase):
    kind: Literal[Kind.PERSON] = Kind.PERSON
    name: str = Field(min_length=1)
    role: Role = Role.OTHER
    aliases: list[str] = Field(default_factory=list)
    contact: str = ""
    relation: str = ""  # relation to the defendant


# --- Exhibit ----------------------------------------------------------------

class ExhibitForm(StrEnum):
    FILE = "file"
    PHYSICAL = "physical object"


class Storage(StrEnum):
    COPY = "copy in case"  # bytes kept inside the case file
    REFERENCE = "reference"  # too large to copy: path kept, re-verified by hash
    NONE = "none"  # physical object, or file not available


class ExhibitFile(Strict):
    original_name: str
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$")
    size: int = Field(ge=0)
    modified: datetime | None = None
    storage: Storage = Storage.COPY
    reference_path: str = ""  # for Storage.REFERENCE


class Exhibit(ItemBase):
    kind: Literal[Kind.EXHIBIT] = Kind.EXHIBIT
    form: ExhibitForm = ExhibitForm.FILE
    file: ExhibitFile | None = None
    custody: str = ""  # chain-of-custody notes
    bates: str = ""  # prosecution's Bates range, if from discovery
    when: When = Field(default_factory=When.unknown)  # when made or taken, if known


Item = Annotated[
    Union[Threat, Witness, Communication, PostEventAction, Event, Person, Exhibit],
    Field(discriminator="kind"),
]
AnyItem = Threat | Witness | Communication | PostEventAction | Event | Person | Exhibit

MODEL_BY_KIND: dict[Kind, type[ItemBase]] = {
    Kind.THREAT: Threat,
    Kind.WITNESS: Witness,
    Kind.COMMUNICATION: Communication,
    Kind.ACTION: PostEventAction,
    Kind.EVENT: Event,
    Kind.PERSON: Person,
    Kind.EXHIBIT: Exhibit,
}


def text_fields(item: ItemBase) -> dict[str, str]:
    """The item's fields as plain text, for theme suggestions and searching."""
    out: dict[str, str] = {}
    for name, value in item:
        if name in {"id", "created", "edited", "themes", "kind", "counsel_notes", "imported"}:
            continue
        if value is None or value == "" or value == []:
            continue
        if isinstance(value, list):
            out[name] = ", ".join(str(v) for v in value)
        elif isinstance(value, bool):
            out[name] = "yes" if value else "no"
        elif isinstance(value, (When, ExhibitFile)):
            continue
        else:
            out[name] = str(value)
    return out
