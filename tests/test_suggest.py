"""Theme suggestions: from the framework's cues only, with plain reasons, in the
framework's theme order, never for themes already linked."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from case_workbook.model.framework import ITEM_KINDS, Cue, Framework, Theme, load_builtin
from case_workbook.model.suggest import Suggestion, suggest_themes

BUILTINS = ["general", "california", "federal", "mpc"]
FRAMEWORKS = {fid: load_builtin(fid) for fid in BUILTINS}

# The theme in each framework that holds the timing question, and the one that
# holds the question of getting away or reporting.
IMMEDIACY = {"general": "immediacy", "california": "immediacy",
             "federal": "immediacy", "mpc": "timing_and_options"}
ESCAPE = {"general": "no_reasonable_escape", "california": "immediacy",
          "federal": "no_reasonable_escape", "mpc": "timing_and_options"}


def ids(suggestions: list[Suggestion]) -> list[str]:
    return [s.theme_id for s in suggestions]


def reasons_for(suggestions: list[Suggestion], theme_id: str) -> list[str]:
    return next(s.reasons for s in suggestions if s.theme_id == theme_id)


def one_theme(*cues: Cue) -> Framework:
    return Framework(
        id="test", name="Test", jurisdiction="Nowhere", summary="For tests.",
        sources=["Test Code §1"],
        themes=[Theme(id="only", name="Only theme", description="A theme. For tests.",
                      source="Test Code §1", questions=["What happened?"], cues=list(cues))],
    )


# --- Built-in frameworks -----------------------------------------------------------

@pytest.mark.parametrize("fid", BUILTINS)
def test_threat_in_person_suggests_immediacy(fid):
    found = suggest_themes("threat", {"delivery": "in person"}, FRAMEWORKS[fid])
    assert IMMEDIACY[fid] in ids(found)
    assert any("in person" in r for r in reasons_for(found, IMMEDIACY[fid]))


@pytest.mark.parametrize("fid", BUILTINS)
def test_called_911_suggests_escape_theme(fid):
    found = suggest_themes("action", {"action": "called 911"}, FRAMEWORKS[fid])
    assert ESCAPE[fid] in ids(found)
    assert any('"called 911"' in r for r in reasons_for(found, ESCAPE[fid]))


@pytest.mark.parametrize("fid", BUILTINS)
def test_911_in_details_suggests_escape_theme(fid):
    found = suggest_themes("communication", {"details": "I tried to call 911 but he took my phone."},
                           FRAMEWORKS[fid])
    reasons = reasons_for(found, ESCAPE[fid])
    assert any('"911"' in r and "details" in r for r in reasons)


def test_surrender_action_suggests_federal_surrender_theme():
    found = suggest_themes("action", {"action": "surrendered"}, FRAMEWORKS["federal"])
    assert "report_or_surrender" in ids(found)
    assert 'The post-event action recorded is "surrendered".' in reasons_for(
        found, "report_or_surrender")


def test_surrender_event_suggests_federal_surrender_theme():
    found = suggest_themes("event", {"key_moment": "surrender"}, FRAMEWORKS["federal"])
    assert "report_or_surrender" in ids(found)


@pytest.mark.parametrize("fid", ["general", "california", "mpc"])
def test_surrender_theme_only_where_the_framework_has_it(fid):
    framework = FRAMEWORKS[fid]
    assert framework.theme("report_or_surrender") is None
    found = suggest_themes("action", {"action": "surrendered"}, framework)
    assert "report_or_surrender" not in ids(found)
    assert all(framework.theme(s.theme_id) is not None for s in found)


@pytest.mark.parametrize("fid", BUILTINS)
def test_harm_and_family_words_suggest_the_threat_theme(fid):
    framework = FRAMEWORKS[fid]
    first = framework.themes[0].id  # every built-in starts with the nature of the threat
    found = suggest_themes("threat", {"harm_threatened": "said he would KILL my daughter"},
                           framework)
    reasons = reasons_for(found, first)
    assert any('"kill"' in r and "harm threatened" in r for r in reasons)
    assert any('"daughter"' in r for r in reasons)


@pytest.mark.parametrize("fid", BUILTINS)
def test_family_member_in_a_list_field(fid):
    framework = FRAMEWORKS[fid]
    found = suggest_themes("threat", {"against": "self, family member"}, framework)
    assert reasons_for(found, framework.themes[0].id) == ["The threat was against a family member."]


@pytest.mark.parametrize("fid", BUILTINS)
def test_demand_suggests_link_between_threat_and_act(fid):
    framework = FRAMEWORKS[fid]
    link = framework.theme("threat_and_act")
    if link is None:  # federal has no separate theme for it
        assert fid == "federal"
        return
    found = suggest_themes("threat", {"demand": "Drive the van to the warehouse."}, framework)
    assert "The threat records what was demanded." in reasons_for(found, "threat_and_act")
    assert "threat_and_act" not in ids(suggest_themes("threat", {"demand": "   "}, framework))


@pytest.mark.parametrize("fid", ["general", "mpc"])
def test_gang_words_suggest_placing_oneself(fid):
    framework = FRAMEWORKS[fid]
    theme = "own_fault" if fid == "general" else "recklessly_placed"
    found = suggest_themes("person", {"details": "He joined the gang in 2019."}, framework)
    assert theme in ids(found)


def test_enum_values_are_not_searched_as_words():
    found = suggest_themes("action", {"action": "went to police"}, FRAMEWORKS["general"])
    assert reasons_for(found, "no_reasonable_escape") == [
        'The post-event action recorded is "went to police".']


def test_right_now_is_one_phrase_not_two_words():
    found = suggest_themes("threat", {"details": "Do it RIGHT\n now."}, FRAMEWORKS["general"])
    assert reasons_for(found, "immediacy") == ['The text in details mentions a time: "right now".']


def test_already_linked_themes_are_left_out():
    fields = {"delivery": "in person", "harm_threatened": "shoot", "demand": "drive"}
    framework = FRAMEWORKS["general"]
    everything = ids(suggest_themes("threat", fields, framework))
    assert {"immediacy", "nature_of_threat", "threat_and_act"} <= set(everything)
    rest = ids(suggest_themes("threat", fields, framework, already=["immediacy", "nature_of_threat"]))
    assert rest == [t for t in everything if t not in {"immediacy", "nature_of_threat"}]
    assert suggest_themes("threat", fields, framework, already=everything) == []


def test_order_is_the_framework_order_and_deterministic():
    framework = FRAMEWORKS["federal"]
    fields = {"details": "He had a gun. I was terrified. Tonight I called 911 and surrendered.",
              "action": "surrendered"}
    first = suggest_themes("action", fields, framework)
    assert first == suggest_themes("action", dict(fields), framework)
    order = [t.id for t in framework.themes]
    assert ids(first) == sorted(ids(first), key=order.index)
    assert ids(first) == [t.id for t in framework.themes]  # each theme has a cue here


def test_no_fields_no_suggestions():
    for framework in FRAMEWORKS.values():
        for kind in ITEM_KINDS:
            assert suggest_themes(kind, {}, framework) == []


def test_suggestion_is_frozen():
    found = suggest_themes("threat", {"delivery": "in person"}, FRAMEWORKS["general"])
    with pytest.raises(ValidationError):
        found[0].theme_id = "other"


def test_with_a_real_threat_item():
    items = pytest.importorskip("case_workbook.model.items")
    threat = items.Threat(delivery=items.Delivery.IN_PERSON, against=[items.Target.FAMILY],
                          weapon_shown=True, demand="Carry the bag.")
    found = suggest_themes("threat", items.text_fields(threat), FRAMEWORKS["california"])
    assert ids(found) == ["nature_of_threat", "immediacy", "actual_reasonable_belief",
                          "threat_and_act"]
    assert "A weapon was shown." in reasons_for(found, "nature_of_threat")


# --- The matching rules, on a framework of one theme ---------------------------------

def test_words_match_whole_words_only():
    framework = one_theme(Cue(words=["police", "911"]))
    assert ids(suggest_themes("event", {"details": "then the police came"}, framework)) == ["only"]
    assert ids(suggest_themes("event", {"details": "Police!"}, framework)) == ["only"]
    assert ids(suggest_themes("event", {"details": "(911)"}, framework)) == ["only"]
    assert suggest_themes("event", {"details": "case 19110"}, framework) == []
    assert suggest_themes("event", {"details": "policeman"}, framework) == []
    assert suggest_themes("event", {"details": "the policies"}, framework) == []


def test_default_reason_names_the_words_and_fields():
    framework = one_theme(Cue(words=["911", "police"]))
    found = suggest_themes("event", {"details": "I called 911."}, framework)
    assert found[0].reasons == ['The word "911" appears in details.']
    found = suggest_themes("event", {"summary": "police", "place": "911 call centre"}, framework)
    assert found[0].reasons == ['The words "911" and "police" appear in summary and place.']


def test_default_reason_for_fields():
    framework = one_theme(Cue(kinds=["threat"], field_equals={"delivery": ["in person"]}),
                          Cue(field_present=["against_detail"]))
    found = suggest_themes("threat", {"delivery": "In Person", "against_detail": "my son"},
                           framework)
    assert found[0].reasons == ['The delivery is "in person".',
                                "The against detail is filled in."]


def test_kind_filter():
    framework = one_theme(Cue(kinds=["action"], words=["police"]))
    assert suggest_themes("threat", {"details": "police"}, framework) == []
    assert ids(suggest_themes("action", {"details": "police"}, framework)) == ["only"]


def test_in_fields_restricts_the_word_search():
    framework = one_theme(Cue(words=["police"], in_fields=["details"]))
    assert suggest_themes("action", {"place": "police station"}, framework) == []
    assert ids(suggest_themes("action", {"details": "police station"}, framework)) == ["only"]


def test_all_conditions_of_a_cue_must_hold():
    framework = one_theme(Cue(kinds=["threat"], field_equals={"delivery": ["in person"]},
                              words=["gun"], reason="In person, with {words} in {fields}."))
    assert suggest_themes("threat", {"delivery": "in person"}, framework) == []
    assert suggest_themes("threat", {"delivery": "text message", "weapon": "gun"}, framework) == []
    found = suggest_themes("threat", {"delivery": "in person", "weapon": "gun"}, framework)
    assert found[0].reasons == ['In person, with "gun" in weapon.']


def test_user_text_in_a_reason_is_not_a_template():
    framework = one_theme(Cue(field_present=["weapon"], reason="A weapon is described: {value}."))
    found = suggest_themes("threat", {"weapon": "{words} {0} {value!r}"}, framework)
    assert found[0].reasons == ["A weapon is described: {words} {0} {value!r}."]
    long = suggest_themes("threat", {"weapon": "x" * 5000}, framework)[0].reasons[0]
    assert len(long) < 120 and long.endswith("….")


# --- Never raises --------------------------------------------------------------------

field_names = st.sampled_from(["summary", "details", "notes", "delivery", "against", "action",
                               "key_moment", "demand", "weapon", "weapon_shown", "channel",
                               "role", "relation", "place", "content"]) | st.text(max_size=12)


@given(kind=st.sampled_from(ITEM_KINDS) | st.text(max_size=15),
       fields=st.dictionaries(field_names, st.text(max_size=200), max_size=8),
       fid=st.sampled_from(BUILTINS),
       already=st.lists(st.text(max_size=20), max_size=3))
def test_never_raises_and_only_suggests_existing_themes(kind, fields, fid, already):
    framework = FRAMEWORKS[fid]
    linked = already + [t.id for t in framework.themes[:1]]
    found = suggest_themes(kind, fields, framework, already=linked)
    found_ids = ids(found)
    assert len(found_ids) == len(set(found_ids))
    for suggestion in found:
        theme = framework.theme(suggestion.theme_id)
        assert theme is not None
        assert suggestion.theme_name == theme.name
        assert suggestion.theme_id not in linked
        assert suggestion.reasons and all(r.strip() for r in suggestion.reasons)


@given(words=st.lists(st.text(min_size=1, max_size=10).filter(str.strip), min_size=1, max_size=4),
       text=st.text(max_size=300))
def test_any_words_and_text_never_raise(words, text):
    framework = one_theme(Cue(words=words))
    found = suggest_themes("event", {"details": text}, framework)
    assert ids(found) in ([], ["only"])


def test_suggestions_for_an_item_use_its_fields_and_skip_linked_themes():
    from case_workbook.model.framework import load_builtin
    from case_workbook.model.items import Delivery, ThemeLink, Threat
    from case_workbook.model.suggest import suggestions_for

    federal = load_builtin("federal")
    threat = Threat(summary="He said he would shoot me", delivery=Delivery.IN_PERSON)
    found = {s.theme_id: s for s in suggestions_for(threat, federal)}
    assert "nature_of_threat" in found and "immediacy" in found
    assert any("shoot" in reason for reason in found["nature_of_threat"].reasons)
    linked = threat.model_copy(update={"themes": [ThemeLink(theme_id="immediacy")]})
    assert "immediacy" not in {s.theme_id for s in suggestions_for(linked, federal)}
