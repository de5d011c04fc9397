"""Theme suggestions: which themes of a framework an item's fields bring up, and why.

Suggestions come only from the cues written in the framework file. Each one
lists the plain reasons that produced it. A suggestion is never a tag until the
user accepts it; suggestions come in the framework's theme order, unranked.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache

from pydantic import BaseModel, ConfigDict

from case_workbook.model.framework import Cue, Framework
from case_workbook.model.items import ItemBase, text_fields

_VALUE_LIMIT = 80  # a field value quoted in a reason is cut to this many characters


class Suggestion(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    theme_id: str
    theme_name: str
    reasons: list[str]


def suggest_themes(
    kind: str,
    fields: Mapping[str, str],
    framework: Framework,
    already: Iterable[str] = (),
) -> list[Suggestion]:
    """The themes whose cues match an item, each with its reasons.

    `fields` is the item's text fields (see `items.text_fields`); themes in
    `already` (the ones the item is linked to) are left out.
    """
    linked = set(already)
    out: list[Suggestion] = []
    for theme in framework.themes:
        if theme.id in linked:
            continue
        reasons: list[str] = []
        for cue in theme.cues:
            match = _match(cue, kind, fields)
            if match is not None:
                reason = match.reason(cue)
                if reason not in reasons:
                    reasons.append(reason)
        if reasons:
            out.append(Suggestion(theme_id=theme.id, theme_name=theme.name, reasons=reasons))
    return out


@dataclass(frozen=True)
class _Match:
    field: str = ""  # the field that equals a value or is filled in
    value: str = ""
    words: tuple[str, ...] = ()  # the cue's words found, in the cue's order
    word_fields: tuple[str, ...] = ()  # the fields they were found in
    by_equals: bool = False

    def reason(self, cue: Cue) -> str:
        values = {
            "field": _plain_name(self.field),
            "value": _cut(self.value),
            "words": _join([f'"{w}"' for w in self.words]),
            "fields": _join([_plain_name(f) for f in self.word_fields]),
        }
        if cue.reason:
            return cue.reason.format(**values)
        sentences = []
        if self.field:
            template = 'The {field} is "{value}".' if self.by_equals else "The {field} is filled in."
            sentences.append(template.format(**values))
        if self.words:
            template = (
                "The word {words} appears in {fields}."
                if len(self.words) == 1
                else "The words {words} appear in {fields}."
            )
            sentences.append(template.format(**values))
        return " ".join(sentences)


def _match(cue: Cue, kind: str, fields: Mapping[str, str]) -> _Match | None:
    if cue.kinds and kind not in cue.kinds:
        return None
    field = value = ""
    by_equals = False
    if cue.field_equals:
        found = _equals(cue.field_equals, fields)
        if found is None:
            return None
        field, value = found
        by_equals = True
    if cue.field_present:
        texts = [(fields.get(name) or "").strip() for name in cue.field_present]
        if not all(texts):
            return None
        if not field:
            field, value = cue.field_present[0], texts[0]
    words: tuple[str, ...] = ()
    word_fields: tuple[str, ...] = ()
    if cue.words:
        words, word_fields = _find_words(cue, fields)
        if not words:
            return None
    return _Match(field, value, words, word_fields, by_equals)


def _equals(wanted: Mapping[str, list[str]], fields: Mapping[str, str]) -> tuple[str, str] | None:
    """The first (field, value) pair where the field's text, or one of its
    comma-separated parts (list fields are joined with ", "), equals a value."""
    for name, options in wanted.items():
        text = fields.get(name) or ""
        if not text.strip():
            continue
        parts = {_key(text)} | {_key(part) for part in text.split(",")}
        for option in options:
            if _key(option) in parts:
                return name, option
    return None


def _find_words(cue: Cue, fields: Mapping[str, str]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    pattern, by_key = _compile(tuple(cue.words))
    names = cue.in_fields or list(fields)
    found: set[str] = set()
    where: list[str] = []
    for name in names:
        text = fields.get(name)
        if not text:
            continue
        hit = False
        for m in pattern.finditer(text):
            word = by_key.get(_key(m.group())) or _which(cue.words, m.group())
            if word is not None:
                found.add(word)
                hit = True
        if hit and name not in where:
            where.append(name)
    ordered = tuple(dict.fromkeys(w for w in cue.words if w in found))
    return ordered, tuple(where)


@lru_cache(maxsize=512)
def _compile(words: tuple[str, ...]) -> tuple[re.Pattern[str], dict[str, str]]:
    """One pattern finding any of `words` as a whole word or phrase (longest
    first, so "right now" is found rather than "now" inside it)."""
    alternatives = "|".join(_phrase(w) for w in sorted(set(words), key=len, reverse=True))
    pattern = re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE)
    by_key: dict[str, str] = {}
    for word in words:
        by_key.setdefault(_key(word), word)
    return pattern, by_key


def _which(words: Iterable[str], matched: str) -> str | None:
    """The cue word a match came from, when case folding hides it from the key."""
    for word in words:
        if re.fullmatch(_phrase(word), matched, re.IGNORECASE):
            return word
    return None


def _phrase(word: str) -> str:
    return r"\s+".join(re.escape(part) for part in word.split())


def _key(text: str) -> str:
    return " ".join(text.split()).casefold()


def _plain_name(field: str) -> str:
    return field.replace("_", " ")


def _cut(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= _VALUE_LIMIT else text[: _VALUE_LIMIT - 1].rstrip() + "…"


def _join(parts: list[str]) -> str:
    if len(parts) <= 1:
        return "".join(parts)
    return ", ".join(parts[:-1]) + " and " + parts[-1]


def suggestions_for(item: ItemBase, framework: Framework) -> list[Suggestion]:
    """Themes the framework's cues point to for this item, not yet linked."""
    return suggest_themes(item.kind.value, text_fields(item), framework, item.theme_ids())
