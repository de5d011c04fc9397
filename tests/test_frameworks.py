"""Frameworks: the built-in templates load and say what they must, user files
load too, and every broken file is refused with one sentence naming the file and
the field."""

from __future__ import annotations

import re
from importlib.resources import files
from pathlib import Path

import pytest

from case_workbook.model import framework as fw_module
from case_workbook.model.framework import (
    Cue,
    Framework,
    FrameworkError,
    builtin_framework_ids,
    list_frameworks,
    load_builtin,
    load_framework_file,
    user_frameworks_dir,
)

BUILTINS = ["general", "california", "federal", "mpc"]
SRC = Path(fw_module.__file__).resolve().parent
TEMPLATES = files("case_workbook") / "templates"

# Words of rating the product never uses (the same check the project's hook runs).
RATING_WORDS = re.compile(
    r"\b(score[sd]?|scoring|strength|likelihood|probabilit(y|ies)|odds|weak(ness)?|strong)\b",
    re.IGNORECASE,
)
# Further words a template's legal paraphrase must not drift into.
TEMPLATE_EXTRA_WORDS = re.compile(
    r"\b(weigh(s|ed|ing|t|ts|ted)?|points?|grades?|graded|percent(age)?|helps|hurts|rating|rated)\b",
    re.IGNORECASE,
)


@pytest.fixture(params=BUILTINS)
def builtin(request) -> Framework:
    return load_builtin(request.param)


# --- The built-in frameworks --------------------------------------------------------

def test_builtin_ids_in_order():
    assert builtin_framework_ids() == BUILTINS


def test_builtins_ship_inside_the_package():
    names = sorted(entry.name for entry in TEMPLATES.iterdir() if entry.name.endswith(".toml"))
    assert names == sorted(f"{fid}.toml" for fid in BUILTINS)


def test_builtin_loads_and_validates(builtin: Framework):
    assert builtin.id in BUILTINS
    assert builtin.name and builtin.jurisdiction and builtin.summary
    assert builtin.sources
    assert builtin.version >= 1
    # A framework is copied into each case: it must survive a dump and reload.
    assert Framework.model_validate(builtin.model_dump()) == builtin
    assert Framework.model_validate_json(builtin.model_dump_json()) == builtin


def test_every_theme_has_source_questions_and_cues(builtin: Framework):
    assert builtin.themes
    for theme in builtin.themes:
        assert theme.source.strip(), theme.id
        assert theme.description.count(".") >= 2, theme.id  # a few plain sentences
        assert 3 <= len(theme.questions) <= 5, theme.id
        assert all(q.endswith("?") for q in theme.questions), theme.id
        assert theme.cues, theme.id


def test_theme_ids_unique(builtin: Framework):
    ids = [t.id for t in builtin.themes]
    assert len(ids) == len(set(ids))


def test_framework_ids_unique():
    ids = [f.id for f in list_frameworks()]
    assert ids == BUILTINS


def test_theme_lookup(builtin: Framework):
    first = builtin.themes[0]
    assert builtin.theme(first.id) is first
    assert builtin.theme("no_such_theme") is None


def test_limits_cover_murder_fault_and_burden(builtin: Framework):
    topics = {note.topic for note in builtin.limits}
    assert {"Offense exclusions", "Placing oneself in the situation", "Burden of proof"} <= topics
    assert any("murder" in note.text.lower() for note in builtin.limits)
    assert all(note.source.strip() for note in builtin.limits)


def test_distinctions_cover_necessity_and_self_defense(builtin: Framework):
    text = " ".join(note.topic + " " + note.text for note in builtin.distinctions).lower()
    assert "necessity" in text
    assert "self-defense" in text
    assert all(note.source.strip() for note in builtin.distinctions)


def _limit(framework: Framework, topic: str):
    return next(note for note in framework.limits if note.topic == topic)


def test_california_murder_is_no_defense_and_no_reduction():
    note = _limit(load_builtin("california"), "Offense exclusions")
    text = note.text.lower()
    assert "not a defense to murder" in text
    assert "does not reduce murder to manslaughter" in text
    assert "People v. Anderson" in note.source and "28 Cal.4th 767" in note.source


def test_california_follows_its_primary_sources():
    california = load_builtin("california")
    assert any("CALCRIM 3402" in t.source for t in california.themes)
    assert any("§26" in s for s in california.sources)
    assert "beyond a reasonable doubt" in _limit(california, "Burden of proof").text


def test_federal_has_bailey_surrender_theme_and_dixon_burden():
    federal = load_builtin("federal")
    theme = federal.theme("report_or_surrender")
    assert theme is not None
    assert "United States v. Bailey, 444 U.S. 394" in theme.source
    assert any("9th Cir." in t.source for t in federal.themes)
    burden = _limit(federal, "Burden of proof")
    assert "Dixon v. United States, 548 U.S. 1" in burden.source
    assert "preponderance" in burden.text


def test_only_federal_has_a_surrender_theme():
    for fid in ("general", "california", "mpc"):
        assert load_builtin(fid).theme("report_or_surrender") is None


def test_mpc_allows_murder_and_bars_recklessly_placed():
    mpc = load_builtin("mpc")
    assert "murder" in _limit(mpc, "Offense exclusions").text
    assert "even on a charge of murder" in _limit(mpc, "Offense exclusions").text
    placed = mpc.theme("recklessly_placed")
    assert placed is not None and "§2.09(2)" in placed.source
    firmness = mpc.theme("reasonable_firmness")
    assert firmness is not None and "§2.09(1)" in firmness.source


def test_general_cites_a_treatise():
    general = load_builtin("general")
    assert all("LaFave" in t.source for t in general.themes)


def test_no_rating_words_in_templates_or_code():
    texts = {entry.name: entry.read_text("utf-8") for entry in TEMPLATES.iterdir()
             if entry.name.endswith(".toml")}
    for module in ("framework.py", "suggest.py"):
        texts[module] = (SRC / module).read_text("utf-8")
    for name, text in texts.items():
        assert not RATING_WORDS.findall(text), name
    for name, text in texts.items():
        if name.endswith(".toml"):
            assert not TEMPLATE_EXTRA_WORDS.findall(text), name


def test_cues_name_known_item_fields():
    """Every field a built-in cue names exists on the item models, and every
    value compared with an enum field is one of its values."""
    items = pytest.importorskip("case_workbook.model.items")

    assert set(fw_module.ITEM_KINDS) == {k.value for k in items.Kind}
    fields: dict[str, set[str]] = {}
    enum_values: dict[str, set[str]] = {"weapon_shown": {"yes", "no"}}
    for kind, model in items.MODEL_BY_KIND.items():
        for name, info in model.model_fields.items():
            fields.setdefault(kind.value, set()).add(name)
            for enum in _enum_types(info.annotation):
                enum_values.setdefault(name, set()).update(m.value for m in enum)
    all_fields = set().union(*fields.values())
    for framework in list_frameworks():
        for theme in framework.themes:
            for cue in theme.cues:
                where = (framework.id, theme.id)
                known = set().union(*(fields[k] for k in cue.kinds)) if cue.kinds else all_fields
                for name in [*cue.field_equals, *cue.field_present]:
                    assert name in known, (*where, name)
                for name in cue.in_fields:
                    assert name in all_fields, (*where, name)
                for name, values in cue.field_equals.items():
                    if name in enum_values:
                        assert set(values) <= enum_values[name], (*where, name)


def _enum_types(annotation):
    from enum import Enum
    from typing import get_args

    if isinstance(annotation, type) and issubclass(annotation, Enum):
        return [annotation]
    out = []
    for arg in get_args(annotation):
        out.extend(_enum_types(arg))
    return out


def test_load_builtin_unknown_id():
    with pytest.raises(FrameworkError, match="not a built-in framework"):
        load_builtin("atlantis")


# --- User frameworks ------------------------------------------------------------------

VALID = '''\
id = "firm_custom"
name = "Firm framework"
jurisdiction = "Anywhere"
summary = "A framework a firm wrote for its own cases."
sources = ["Test Code §1"]

[[themes]]
id = "first"
name = "First theme"
description = "The first theme. It is only for tests."
source = "Test Code §1(a)"
questions = ["What happened first?"]

[[themes.cues]]
words = ["911", "police"]
reason = "The text in {fields} mentions {words}."

[[themes]]
id = "second"
name = "Second theme"
description = "The second theme. It is only for tests."
source = "Test Code §1(b)"
questions = ["What happened next?", "Who was there?"]

[[themes.cues]]
kinds = ["threat"]
field_equals = { delivery = ["in person"] }
reason = "The threat was delivered in person."

[[limits]]
topic = "Offense exclusions"
text = "None listed."
source = "Test Code §2"
'''


def write(tmp_path: Path, text: str | bytes, name: str = "my.toml") -> Path:
    path = tmp_path / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def test_valid_user_file_loads(tmp_path):
    framework = load_framework_file(write(tmp_path, VALID))
    assert framework.id == "firm_custom"
    assert [t.id for t in framework.themes] == ["first", "second"]
    assert framework.distinctions == []
    assert framework.version == 1


def test_list_frameworks_adds_user_files(tmp_path):
    write(tmp_path, VALID)
    (tmp_path / "readme.txt").write_text("not a framework")
    frameworks = list_frameworks([tmp_path])
    assert [f.id for f in frameworks] == [*BUILTINS, "firm_custom"]


def test_list_frameworks_skips_missing_folder(tmp_path):
    assert [f.id for f in list_frameworks([tmp_path / "nowhere"])] == BUILTINS


def test_list_frameworks_raises_for_a_broken_user_file(tmp_path):
    write(tmp_path, VALID.replace('id = "first"', 'id = "First"'), "broken.toml")
    with pytest.raises(FrameworkError, match=r"broken\.toml: themes\[0\]\.id"):
        list_frameworks([tmp_path])


def test_list_frameworks_refuses_an_id_already_used(tmp_path):
    write(tmp_path, VALID.replace('id = "firm_custom"', 'id = "general"'), "mine.toml")
    with pytest.raises(FrameworkError, match=r"mine\.toml: id: .general. is already used"):
        list_frameworks([tmp_path])


def test_user_frameworks_dir_is_not_created(private_user_dirs):
    folder = user_frameworks_dir()
    assert folder.parts[-2:] == ("case-workbook", "frameworks")
    assert str(folder).startswith(str(private_user_dirs))
    assert not folder.exists()


# --- Broken files ---------------------------------------------------------------------

def _drop_line(text: str, start: str) -> str:
    return "".join(line for line in text.splitlines(keepends=True) if not line.startswith(start))


BROKEN = {
    "bad TOML": (VALID.replace('name = "Firm framework"', "name = Firm framework"),
                 r"not valid TOML at line 2, column \d+: "),
    "missing field": (_drop_line(VALID, "summary ="), r"summary: is required\."),
    "unknown field": (VALID.replace('sources = [', 'colour = "red"\nsources = ['),
                      r"colour: is not a known field\."),
    "bad theme id": (VALID.replace('id = "second"', 'id = "Second-Theme"'),
                     r"themes\[1\]\.id: must be lowercase letters, digits and underscores"),
    "duplicate theme ids": (VALID.replace('id = "second"', 'id = "first"'),
                            r"themes: the theme id \"first\" is used twice "
                            r"\(themes\[0\] and themes\[1\]\)\."),
    "empty questions": (VALID.replace('questions = ["What happened first?"]', "questions = []"),
                        r"themes\[0\]\.questions: must have at least one entry\."),
    "blank question": (VALID.replace('"What happened first?"', '"   "'),
                       r"themes\[0\]\.questions\[0\]: must not be empty\."),
    "cue with nothing to look for": (
        VALID.replace('words = ["911", "police"]\nreason = "The text in {fields} mentions {words}."',
                      'reason = "Something."'),
        r"themes\[0\]\.cues\[0\]: needs words, field_equals or field_present"),
    "cue with an unknown kind": (VALID.replace('kinds = ["threat"]', 'kinds = ["threats"]'),
                                 r"themes\[1\]\.cues\[0\]\.kinds: \"threats\" is not an item kind"),
    "unknown placeholder": (VALID.replace("mentions {words}", "mentions {word}"),
                            r"themes\[0\]\.cues\[0\]\.reason: uses \"\{word\}\""),
    "wrong type": (VALID.replace('sources = ["Test Code §1"]', "sources = 3"),
                   r"sources: must be a list\."),
    "bad field name": (VALID.replace("{ delivery =", '{ "Delivery Mode" ='),
                       r"themes\[1\]\.cues\[0\]\.field_equals\['Delivery Mode'\] \(the name\): "
                       r"must be lowercase"),
    "empty file": ("", r"id: is required \(and \d+ more problems in the file\)\."),
}


@pytest.mark.parametrize("case", list(BROKEN), ids=list(BROKEN))
def test_broken_file_is_refused_in_one_sentence(tmp_path, case):
    text, expected = BROKEN[case]
    path = write(tmp_path, text)
    with pytest.raises(FrameworkError) as caught:
        load_framework_file(path)
    message = str(caught.value)
    assert message.startswith(f"{path}: "), message
    assert re.search(expected, message), message
    assert "\n" not in message and message.endswith("."), message


def test_not_utf8(tmp_path):
    path = write(tmp_path, VALID.encode("utf-8").replace(b"Anywhere", b"Any\xffwhere"))
    with pytest.raises(FrameworkError, match=rf"^{re.escape(str(path))}: is not UTF-8 text"):
        load_framework_file(path)


def test_utf8_with_byte_order_mark_loads(tmp_path):
    path = write(tmp_path, b"\xef\xbb\xbf" + VALID.encode("utf-8"))
    assert load_framework_file(path).id == "firm_custom"


def test_file_over_one_mebibyte(tmp_path):
    path = write(tmp_path, VALID + "#" * (2 * 1024 * 1024) + "\n")
    with pytest.raises(FrameworkError, match=rf"^{re.escape(str(path))}: is larger than 1 MiB"):
        load_framework_file(path)


def test_directory_path(tmp_path):
    folder = tmp_path / "frameworks.toml"
    folder.mkdir()
    with pytest.raises(FrameworkError, match=rf"^{re.escape(str(folder))}: is a folder"):
        load_framework_file(folder)


def test_missing_file(tmp_path):
    path = tmp_path / "absent.toml"
    with pytest.raises(FrameworkError, match=rf"^{re.escape(str(path))}: no such file\.$"):
        load_framework_file(path)


def test_framework_error_is_a_value_error():
    assert issubclass(FrameworkError, ValueError)


def test_cue_needs_something_to_look_for_in_code():
    with pytest.raises(ValueError, match="needs words, field_equals or field_present"):
        Cue(kinds=["threat"], reason="Nothing.")
    with pytest.raises(ValueError, match=r"uses \{words\} or \{fields\}"):
        Cue(field_present=["demand"], reason="The text in {fields} mentions {words}.")
    assert Cue(field_present=["demand"]).reason == ""
