"""The .cwb case file: items of every kind, ids, links, undo, activity log."""

from __future__ import annotations

import sqlite3
from contextlib import closing
import stat

import pytest

from case_workbook.model.case import CaseHeader, CaseSettings
from case_workbook.model.items import (
    ActionType,
    Communication,
    Delivery,
    Direction,
    Event,
    KeyMoment,
    Kind,
    Person,
    PostEventAction,
    Role,
    Target,
    ThemeLink,
    Threat,
    Witness,
)
from case_workbook.model.when import parse_when
from case_workbook.store.case_file import CaseFile
from case_workbook.store.errors import CaseFileError, ItemError
from case_workbook.store.exhibits import add_exhibit_file
from case_workbook.store.schema import APPLICATION_ID, SCHEMA_VERSION


def test_new_case_is_owner_only_sqlite_with_schema(case, case_path):
    assert stat.S_IMODE(case_path.stat().st_mode) == 0o600
    case.close()
    with closing(sqlite3.connect(case_path)) as raw:
        assert raw.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert raw.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
        assert raw.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert not (case_path.parent / "case.cwb-wal").exists()
    assert not (case_path.parent / "case.cwb.lock").exists()


def test_create_refuses_existing_file(case_path, framework):
    case_path.write_bytes(b"keep me")
    with pytest.raises(CaseFileError, match="already exists"):
        CaseFile.create(case_path, CaseHeader(title="x"), framework)
    assert case_path.read_bytes() == b"keep me"


def _every_kind(case: CaseFile, tmp_path) -> dict[Kind, object]:
    theme = case.framework.themes[0].id
    coercer = case.add(Person(name="R. Coercer", role=Role.COERCER, aliases=["Ray"]))
    friend = case.add(Person(name="A. Friend", role=Role.WITNESS, contact="555-0100"))
    photo = tmp_path / "photo.jpg"
    photo.write_bytes(b"\xff\xd8 not really a jpeg " * 100)
    exhibit = add_exhibit_file(case, photo, summary="Photo of the note", bates="PROS-0001")
    threat = case.add(Threat(
        summary="Told me to drive or my sister gets hurt [really]",
        when=parse_when("about 21:00 on 2026-03-14", "Europe/Berlin"),
        made_by=[coercer.id], against=[Target.FAMILY], against_detail="my sister",
        delivery=Delivery.IN_PERSON, harm_threatened="hurt her", demand="drive the car",
        weapon_shown=True, weapon="knife", place="parking lot", present=[friend.id],
        themes=[ThemeLink(theme_id=theme, note="said it right there")],
        exhibits=[exhibit.id]))
    witness = case.add(Witness(summary="Friend saw it", person=friend.id,
                               observed="Saw him hold the knife",
                               when=parse_when("2026-03-14 21:05", "Europe/Berlin"),
                               contacted=False, related=[threat.id]))
    message = case.add(Communication(
        summary="Text", when=parse_when("2026-03-14 18:02", "Europe/Berlin"),
        direction=Direction.INCOMING, sender=[coercer.id], content="=HYPERLINK(\"x\")\n😀"))
    action = case.add(PostEventAction(summary="Called 911", action=ActionType.CALLED_911,
                                      when=parse_when("2026-03-15 01:10", "Europe/Berlin")))
    event = case.add(Event(summary="Drove the car", key_moment=KeyMoment.ACT_START,
                           when=parse_when("2026-03-14 22:00", "Europe/Berlin")))
    return {Kind.PERSON: coercer, Kind.EXHIBIT: exhibit, Kind.THREAT: threat,
            Kind.WITNESS: witness, Kind.COMMUNICATION: message, Kind.ACTION: action,
            Kind.EVENT: event}


def test_every_kind_round_trips_through_the_file(case, case_path, tmp_path):
    stored = _every_kind(case, tmp_path)
    case.close()
    with CaseFile.open(case_path) as again:
        for item in stored.values():
            assert again.get(item.id) == item
        assert again.counts()[Kind.PERSON] == 2
        assert again.theme_counts()[again.framework.themes[0].id] == 1


def test_ids_are_per_kind_readable_and_never_reused(case, tmp_path):
    first = case.add(Threat(summary="one"))
    second = case.add(Threat(summary="two"))
    person = case.add(Person(name="P"))
    assert (first.id, second.id, person.id) == ("T-001", "T-002", "P-001")
    case.delete(second.id)
    assert case.add(Threat(summary="three")).id == "T-003"
    doc = tmp_path / "doc.txt"
    doc.write_text("hello")
    assert add_exhibit_file(case, doc).id == "DX-0001"


def test_custom_exhibit_prefix(tmp_path, framework):
    with CaseFile.create(tmp_path / "c.cwb", CaseHeader(title="t"), framework,
                         CaseSettings(exhibit_prefix="DEF")) as case:
        doc = tmp_path / "doc.txt"
        doc.write_text("hello")
        assert add_exhibit_file(case, doc).id == "DEF-0001"


def test_links_must_point_at_existing_things_of_the_right_kind(case):
    person = case.add(Person(name="P"))
    threat = case.add(Threat(summary="t"))
    with pytest.raises(ItemError, match="P-009"):
        case.add(Threat(made_by=["P-009"]))
    with pytest.raises(ItemError, match="person is expected"):
        case.add(Threat(made_by=[threat.id]))
    with pytest.raises(ItemError, match="framework"):
        case.add(Threat(themes=[ThemeLink(theme_id="no_such_theme")]))
    with pytest.raises(ItemError, match="itself"):
        case.update(threat.model_copy(update={"related": [threat.id]}))
    linked = case.add(Threat(made_by=[person.id]))
    with pytest.raises(ItemError, match=linked.id):
        case.delete(person.id)
    assert case.exists(person.id)


def test_edit_delete_and_undo(case, case_path):
    threat = case.add(Threat(summary="before"))
    case.update(threat.model_copy(update={"summary": "after"}))
    assert case.get(threat.id).summary == "after"
    case.delete(threat.id)
    assert not case.exists(threat.id)

    assert case.undo() == f"Brought back {threat.id}."
    assert case.get(threat.id).summary == "after"
    assert case.undo() == f"Undid the edit of {threat.id}."
    assert case.get(threat.id).summary == "before"
    case.close()
    with CaseFile.open(case_path) as again:  # undo survives closing the case
        assert again.undo() == f"Undid adding {threat.id}."
        assert not again.exists(threat.id)
        assert again.undo() is None


def test_activity_log_records_before_and_after(case):
    threat = case.add(Threat(summary="first words"))
    case.update(threat.model_copy(update={"notes": "my note"}))
    case.delete(threat.id)
    case.undo()
    log = case.activity(threat.id)
    assert [entry.action for entry in log] == ["create", "edit", "delete", "undo"]
    assert log[0].before is None and log[0].after["summary"] == "first words"
    assert log[1].before["notes"] == "" and log[1].after["notes"] == "my note"
    assert log[2].undone is True
    assert all(entry.actor == "tester" for entry in log)


def test_an_edit_that_changes_nothing_is_not_logged(case):
    threat = case.add(Threat(summary="same"))
    case.update(threat)
    assert [e.action for e in case.activity(threat.id)] == ["create"]


def test_header_change_is_logged_and_undoable(case):
    case.set_header(CaseHeader(title="New title", defendant="J. Doe"))
    assert case.header.defendant == "J. Doe"
    assert case.undo() == "Undid the change to the case details."
    assert case.header.title == "Test case"


def test_readonly_open_cannot_change_anything(case, case_path):
    case.add(Threat(summary="x"))
    case.close()
    before = case_path.read_bytes()
    with CaseFile.open(case_path, readonly=True) as viewer:
        assert viewer.get("T-001").summary == "x"
        with pytest.raises(CaseFileError, match="read-only"):
            viewer.add(Threat(summary="y"))
    assert case_path.read_bytes() == before


def test_every_file_beside_an_open_case_is_owner_only(case, case_path):
    case.add(Threat(summary="x"))
    beside = sorted(case_path.parent.iterdir())
    assert [p.name for p in beside] == ["case.cwb", "case.cwb-shm", "case.cwb-wal",
                                        "case.cwb.lock"]
    for path in beside:
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path.name


def test_a_case_file_removed_while_open_refuses_edits(case, case_path):
    case.add(Threat(summary="kept"))
    moved = case_path.with_name("moved.cwb")
    case_path.rename(moved)
    with pytest.raises(CaseFileError, match="moved, replaced or deleted"):
        case.add(Threat(summary="would be lost"))
    case.close()
    with CaseFile.open(moved) as again:
        assert [t.summary for t in again.items()] == ["kept"]
