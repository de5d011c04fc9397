"""Frameworks: the sets of duress themes a case's items are linked to.

A framework is data, not code: a TOML file with themes (each with a neutral
description, the public source it paraphrases, questions to explore for counsel
and the cues that suggest it), plus notes on the framework's limits and on how
duress differs from necessity and self-defense. The built-in frameworks ship in
the package's ``templates/`` folder; a user or firm can add files of their own.

Every loading problem is reported as a `FrameworkError` whose message is one
sentence naming the file, the field path and what is wrong.
"""

from __future__ import annotations

import re
import stat
import string
import tomllib
from collections.abc import Iterable
from importlib.resources import files
from pathlib import Path
from typing import Annotated, Any

import platformdirs
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    field_validator,
    model_validator,
)

MAX_FILE_BYTES = 1024 * 1024
BUILTIN_ORDER = ("general", "california", "federal", "mpc")

# The item kinds a cue may name; the same values as `items.Kind` (kept here so
# that loading a framework does not import the item models).
ITEM_KINDS = ("threat", "witness", "communication", "action", "event", "person", "exhibit")

# Placeholders a cue's reason may use; see `suggest.py` for how they are filled.
REASON_PLACEHOLDERS = frozenset({"words", "fields", "field", "value"})

SLUG_PATTERN = r"^[a-z][a-z0-9_]*$"
Slug = Annotated[str, StringConstraints(pattern=SLUG_PATTERN, max_length=64)]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
FieldName = Annotated[str, StringConstraints(pattern=SLUG_PATTERN, max_length=64)]


class FrameworkError(ValueError):
    """A framework file that cannot be used; the message is one plain sentence."""


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Cue(_Model):
    """What suggests a theme for an item.

    A cue matches an item when the item's kind passes `kinds` (empty: any kind)
    and every condition given matches: one of the `field_equals` values equals
    the field (or one of its comma-separated parts), every `field_present`
    field is non-empty, and one of `words` appears as a whole word or phrase
    (case-insensitive) in the text fields (only `in_fields`, when given).
    """

    kinds: list[str] = Field(default_factory=list)
    field_equals: dict[FieldName, list[Text]] = Field(default_factory=dict)
    field_present: list[FieldName] = Field(default_factory=list)
    words: list[Text] = Field(default_factory=list)
    in_fields: list[FieldName] = Field(default_factory=list)
    reason: str = ""

    @field_validator("kinds")
    @classmethod
    def _known_kinds(cls, kinds: list[str]) -> list[str]:
        for kind in kinds:
            if kind not in ITEM_KINDS:
                raise ValueError(
                    f'"{kind}" is not an item kind; use one of: {", ".join(ITEM_KINDS)}'
                )
        return kinds

    @field_validator("field_equals")
    @classmethod
    def _values_given(cls, value: dict[str, list[str]]) -> dict[str, list[str]]:
        for name, options in value.items():
            if not options:
                raise ValueError(f'the field "{name}" needs at least one value to compare with')
        return value

    @field_validator("reason")
    @classmethod
    def _known_placeholders(cls, reason: str) -> str:
        try:
            parsed = list(string.Formatter().parse(reason))
        except ValueError as exc:
            raise ValueError(f"has unbalanced braces ({exc})") from None
        for _literal, name, spec, conversion in parsed:
            if name is None:
                continue
            if name not in REASON_PLACEHOLDERS or spec or conversion:
                allowed = ", ".join("{" + p + "}" for p in sorted(REASON_PLACEHOLDERS))
                raise ValueError(f'uses "{{{name}}}"; the placeholders it may use are {allowed}')
        return reason.strip()

    @model_validator(mode="after")
    def _says_what_to_look_for(self) -> Cue:
        if not (self.field_equals or self.field_present or self.words):
            raise ValueError("needs words, field_equals or field_present to say what to look for")
        used = {name for _, name, _, _ in string.Formatter().parse(self.reason) if name}
        if used & {"words", "fields"} and not self.words:
            raise ValueError("reason uses {words} or {fields} but the cue has no words")
        if used & {"field", "value"} and not (self.field_equals or self.field_present):
            raise ValueError(
                "reason uses {field} or {value} but the cue has no field_equals or field_present"
            )
        return self


class Theme(_Model):
    id: Slug
    name: Text
    description: Text
    source: Text
    questions: list[Text] = Field(min_length=1)
    cues: list[Cue] = Field(default_factory=list)


class Note(_Model):
    topic: Text
    text: Text
    source: Text


class Framework(_Model):
    id: Slug
    name: Text
    jurisdiction: Text
    summary: Text
    sources: list[Text] = Field(min_length=1)
    themes: list[Theme] = Field(min_length=1)
    limits: list[Note] = Field(default_factory=list)
    distinctions: list[Note] = Field(default_factory=list)
    version: int = Field(default=1, ge=1)

    @field_validator("themes")
    @classmethod
    def _unique_theme_ids(cls, themes: list[Theme]) -> list[Theme]:
        first: dict[str, int] = {}
        for index, theme in enumerate(themes):
            if theme.id in first:
                raise ValueError(
                    f'the theme id "{theme.id}" is used twice '
                    f"(themes[{first[theme.id]}] and themes[{index}])"
                )
            first[theme.id] = index
        return themes

    def theme(self, theme_id: str) -> Theme | None:
        for theme in self.themes:
            if theme.id == theme_id:
                return theme
        return None


# --- Loading -----------------------------------------------------------------

def load_framework_file(path: Path | str) -> Framework:
    """Read and validate one framework file; raise FrameworkError if unusable."""
    path = Path(path)
    label = str(path)
    try:
        if path.is_dir():
            raise FrameworkError(f"{label}: is a folder, not a framework file.")
        if not stat.S_ISREG(path.stat().st_mode):  # a pipe or a device: reading could never end
            raise FrameworkError(f"{label}: is not a regular file, so not a framework file.")
        if path.stat().st_size > MAX_FILE_BYTES:
            raise FrameworkError(f"{label}: is larger than 1 MiB, too large for a framework file.")
        with path.open("rb") as handle:
            data = handle.read(MAX_FILE_BYTES + 1)
    except FrameworkError:
        raise
    except FileNotFoundError:
        raise FrameworkError(f"{label}: no such file.") from None
    except OSError as exc:
        reason = (exc.strerror or str(exc)).rstrip(".").lower()
        raise FrameworkError(f"{label}: cannot be read ({reason}).") from None
    return parse_framework(data, label)


def parse_framework(data: bytes, label: str) -> Framework:
    """Validate the bytes of a framework file; `label` names it in errors."""
    if len(data) > MAX_FILE_BYTES:
        raise FrameworkError(f"{label}: is larger than 1 MiB, too large for a framework file.")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise FrameworkError(
            f"{label}: is not UTF-8 text (the byte at position {exc.start} cannot be read)."
        ) from None
    try:
        document: Any = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise FrameworkError(f"{label}: {_toml_problem(str(exc))}") from None
    except RecursionError:  # tomllib is written in Python and recurses into nested values
        raise FrameworkError(f"{label}: is nested too deeply to be a framework file.") from None
    except ValueError:  # Python refuses integers of more than 4,300 digits
        raise FrameworkError(
            f"{label}: holds a number too long to be one of its values.") from None
    if not isinstance(document, dict):
        raise FrameworkError(f"{label}: the top level must be a table of fields.")
    try:
        return Framework.model_validate(document)
    except ValidationError as exc:
        raise FrameworkError(f"{label}: {_validation_problem(exc)}") from None


def builtin_framework_ids() -> list[str]:
    """Ids of the frameworks shipped in the package, in a fixed order."""
    folder = files("case_workbook") / "templates"
    found = {
        entry.name[: -len(".toml")]
        for entry in folder.iterdir()
        if entry.name.endswith(".toml") and entry.is_file()
    }
    ordered = [fid for fid in BUILTIN_ORDER if fid in found]
    return ordered + sorted(found - set(BUILTIN_ORDER))


def load_builtin(framework_id: str) -> Framework:
    """Load one of the frameworks shipped in the package."""
    known = builtin_framework_ids()
    if framework_id not in known:
        raise FrameworkError(
            f'"{framework_id}" is not a built-in framework; the built-in ones are {", ".join(known)}.'
        )
    name = f"{framework_id}.toml"
    data = (files("case_workbook") / "templates" / name).read_bytes()
    framework = parse_framework(data, f"templates/{name}")
    if framework.id != framework_id:
        raise FrameworkError(
            f'templates/{name}: id: is "{framework.id}" but the file name says "{framework_id}".'
        )
    return framework


def user_frameworks_dir() -> Path:
    """Where a user's own framework files are looked for (not created here)."""
    return platformdirs.user_data_path("case-workbook") / "frameworks"


def list_frameworks(extra_dirs: Iterable[Path] = ()) -> list[Framework]:
    """The built-in frameworks, then every ``*.toml`` file in `extra_dirs`.

    A folder that does not exist is skipped. A user file that cannot be loaded,
    or whose id repeats one already listed, raises FrameworkError.
    """
    frameworks = [load_builtin(fid) for fid in builtin_framework_ids()]
    seen = {fw.id: "the built-in framework" for fw in frameworks}
    for folder in extra_dirs:
        folder = Path(folder)
        if not folder.exists():
            continue
        if not folder.is_dir():
            raise FrameworkError(f"{folder}: is not a folder of framework files.")
        try:
            paths = sorted(p for p in folder.iterdir() if p.suffix.lower() == ".toml")
        except OSError as exc:
            reason = (exc.strerror or str(exc)).rstrip(".").lower()
            raise FrameworkError(f"{folder}: cannot be read ({reason}).") from None
        for path in paths:
            framework = load_framework_file(path)
            if framework.id in seen:
                raise FrameworkError(
                    f'{path}: id: "{framework.id}" is already used by {seen[framework.id]}; '
                    "give this framework another id."
                )
            seen[framework.id] = str(path)
            frameworks.append(framework)
    return frameworks


# --- Error messages -------------------------------------------------------------

_TOML_POSITION = re.compile(r"^(?P<what>.*?)\s*\(at line (?P<line>\d+), column (?P<col>\d+)\)$")
_TOML_END = re.compile(r"^(?P<what>.*?)\s*\(at end of document\)$")


def _toml_problem(message: str) -> str:
    if match := _TOML_POSITION.match(message):
        what = _lower_first(match["what"]).rstrip(".")
        return f"not valid TOML at line {match['line']}, column {match['col']}: {what}."
    if match := _TOML_END.match(message):
        what = _lower_first(match["what"]).rstrip(".")
        return f"not valid TOML at the end of the file: {what}."
    return f"not valid TOML: {_lower_first(message).rstrip('.')}."


def _field_path(loc: tuple[int | str, ...]) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        elif part == "[key]":  # pydantic's marker for a problem with a table's key
            out += " (the name)"
        elif len(part) > 64:  # no field is named so; not repeated back at length
            out += "[…]"
        elif re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", part):
            out += f".{part}" if out else part
        else:
            out += f"[{part!r}]"
    return out or "(top level)"


def _describe(error: Any) -> str:
    kind = error["type"]
    ctx = error.get("ctx") or {}
    if kind == "missing":
        return "is required"
    if kind == "extra_forbidden":
        return "is not a known field"
    if kind == "string_pattern_mismatch":
        return "must be lowercase letters, digits and underscores, starting with a letter"
    if kind == "string_type":
        return "must be text"
    if kind == "string_too_short":
        return "must not be empty"
    if kind == "string_too_long":
        return f"must be at most {ctx.get('max_length')} characters"
    if kind == "too_short":
        need = ctx.get("min_length", 1)
        return "must have at least one entry" if need == 1 else f"must have at least {need} entries"
    if kind == "list_type":
        return "must be a list"
    if kind in {"dict_type", "model_type", "model_attributes_type"}:
        return "must be a table"
    if kind in {"int_type", "int_parsing", "int_from_float"}:
        return "must be a whole number"
    if kind == "greater_than_equal":
        return f"must be {ctx.get('ge')} or more"
    if kind == "value_error":
        return str(ctx.get("error", error["msg"]))
    return _lower_first(str(error["msg"]))


def _validation_problem(exc: ValidationError) -> str:
    errors = exc.errors(include_url=False)
    first = errors[0]
    text = _describe(first).rstrip(".")
    more = len(errors) - 1
    if more:
        text += f" (and {more} more problem{'s' if more > 1 else ''} in the file)"
    return f"{_field_path(tuple(first['loc']))}: {text}."


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:] if text else text
