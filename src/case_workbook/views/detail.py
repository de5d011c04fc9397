"""Everything about one item as labelled plain-text lines, for the detail pane."""

from __future__ import annotations

from dataclasses import dataclass

from case_workbook.model.items import (
    KIND_LABELS,
    AnyItem,
    Communication,
    Event,
    Exhibit,
    Person,
    PostEventAction,
    Threat,
    Witness,
)
from case_workbook.views.columns import size_text, yes_no
from case_workbook.views.index import CaseIndex


@dataclass(frozen=True)
class DetailLine:
    label: str
    value: str
    link: str | None = None  # an item id the line refers to, if any


def _people(ids: list[str], index: CaseIndex) -> str:
    return ", ".join(f"{index.person_name(p)} ({p})" for p in ids)


def _kind_fields(item: AnyItem, index: CaseIndex) -> list[tuple[str, str]]:
    when = item.when_value()
    when_text = when.describe() if when is not None and when.is_dated() else "not known"
    if isinstance(item, Threat):
        return [("When", when_text), ("Made by", _people(item.made_by, index)),
                ("Against", ", ".join(item.against)), ("Who exactly", item.against_detail),
                ("How delivered", item.delivery or ""), ("Harm threatened", item.harm_threatened),
                ("Demanded", item.demand), ("Weapon shown", yes_no(item.weapon_shown)),
                ("Weapon", item.weapon), ("Where", item.place),
                ("Present", _people(item.present, index))]
    if isinstance(item, Witness):
        person = _people([item.person], index) if item.person else ""
        return [("Person", person), ("Saw or heard", item.observed), ("When", when_text),
                ("How to reach", item.contact), ("Relation", item.relation),
                ("Contacted yet", yes_no(item.contacted))]
    if isinstance(item, Communication):
        return [("When", when_text), ("Channel", item.channel or ""),
                ("Direction", item.direction or ""), ("From", _people(item.sender, index)),
                ("To", _people(item.recipients, index)), ("Content (verbatim)", item.content),
                ("Original kept at", item.original_location), ("Preserved", item.preserved),
                ("Came from", item.provenance)]
    if isinstance(item, PostEventAction):
        return [("Action", item.action or ""), ("When", when_text),
                ("With whom", _people(item.with_whom, index)), ("Where", item.place)]
    if isinstance(item, Event):
        moment = f"◆ {item.key_moment.value}" if item.key_moment else ""
        return [("When", when_text), ("Key moment", moment), ("Where", item.place)]
    if isinstance(item, Person):
        return [("Name", item.name), ("Role", item.role), ("Aliases", ", ".join(item.aliases)),
                ("Contact", item.contact), ("Relation", item.relation)]
    if isinstance(item, Exhibit):
        lines = [("Form", item.form)]
        if item.file:
            lines += [("Original file name", item.file.original_name),
                      ("SHA-256", item.file.sha256), ("Size", size_text(item.file.size)),
                      ("File modified", item.file.modified.isoformat(timespec="seconds")
                       if item.file.modified else ""),
                      ("Kept as", item.file.storage + (f": {item.file.reference_path}"
                                                        if item.file.reference_path else ""))]
        lines += [("Custody", item.custody), ("Bates range", item.bates),
                  ("When made", when_text if when is not None and when.is_dated() else "")]
        return lines
    return []


def detail_lines(item: AnyItem, index: CaseIndex) -> list[DetailLine]:
    """Every field that has a value, then links, themes and notes."""
    lines = [DetailLine("Id", f"{item.id} ({KIND_LABELS[item.kind]})")]
    if item.summary:
        lines.append(DetailLine("Summary", item.summary))
    lines += [DetailLine(label, str(value)) for label, value in _kind_fields(item, index)
              if value]
    if item.details:
        lines.append(DetailLine("Details", item.details))
    for link in item.themes:
        note = f" — {link.note}" if link.note else ""
        lines.append(DetailLine("Theme", index.theme_name(link.theme_id) + note))
    for person_id in item.people:
        lines.append(DetailLine("Linked person", f"{index.person_name(person_id)} ({person_id})",
                                person_id))
    for exhibit_id in item.exhibits:
        exhibit = index.get(exhibit_id)
        lines.append(DetailLine("Exhibit", f"{exhibit_id} {exhibit.summary if exhibit else ''}"
                                .rstrip(), exhibit_id))
    for related_id in item.related:
        other = index.get(related_id)
        lines.append(DetailLine("Related", f"{related_id} {other.summary if other else ''}"
                                .rstrip(), related_id))
    for referrer in index.referrers(item.id):
        other = index.get(referrer)
        lines.append(DetailLine("Linked from", f"{referrer} {other.summary if other else ''}"
                                .rstrip(), referrer))
    if item.notes:
        lines.append(DetailLine("My notes", item.notes))
    if item.counsel_notes:
        lines.append(DetailLine("Counsel notes", item.counsel_notes))
    if item.edited:
        lines.append(DetailLine("Last changed", item.edited.isoformat(timespec="seconds")))
    return lines
