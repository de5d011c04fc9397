"""Chosen messages into a real case file on disk: verbatim, with provenance,
people and exhibits, once only, all or nothing, and undone as one."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from pathlib import Path

import pytest

from case_workbook.importers.parsed import (
    Attachment,
    DayOrder,
    MessageKind,
    ParsedMessage,
    ParseResult,
    Stamp,
)
from case_workbook.importers.people import ME, suggest_people
from case_workbook.importers.to_case import ImportChoices, fingerprints, import_messages
from case_workbook.model.items import Channel, Direction, Kind, Person, Role
from case_workbook.store.case_file import CaseFile
from case_workbook.store.errors import CaseFileError
from case_workbook.store.exhibits import read_blob

PHOTO = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4


def _result(tmp_path: Path, messages: list[ParsedMessage], **extra) -> ParseResult:
    source = tmp_path / "WhatsApp Chat with Alex.txt"
    source.write_bytes(b"the export")
    return ParseResult(format="WhatsApp chat export (Android)", source=source,
                       sha256=hashlib.sha256(b"the export").hexdigest(), size=10,
                       messages=messages, **extra)


def _at(minute: int) -> Stamp:
    return Stamp(local=datetime(2024, 3, 5, 21, minute), text=f"05/03/2024, 21:{minute}")


def _chat(tmp_path: Path) -> ParseResult:
    return _result(tmp_path, [
        ParsedMessage(1, "line 1", _at(14),
                      "Alex", "If you don't do it\ntonight, you know what happens.",
                      recipients=("Sam",)),
        ParsedMessage(2, "line 3", _at(15),
                      "Sam", "ok", recipients=("Alex",)),
        ParsedMessage(3, "line 4", _at(16),
                      "Alex", "", recipients=("Sam",),
                      attachments=(Attachment("IMG-1.jpg", data=PHOTO, content_type="image/jpeg"),
                                   Attachment("VID-2.mp4", note="left out of the export"))),
        ParsedMessage(4, "line 5", _at(17),
                      "", "Alex changed the group name", kind=MessageKind.SYSTEM),
    ], day_order=DayOrder.DAY_FIRST, day_order_stated=True)


def test_each_message_becomes_a_verbatim_communication_with_its_provenance(case, tmp_path):
    result = _chat(tmp_path)
    outcome = import_messages(case, result, [0, 1, 2, 3],
                              ImportChoices(zone="Europe/Berlin", me="Sam"))
    assert len(outcome.communications) == 4
    first = case.get(outcome.communications[0])
    assert first.content == "If you don't do it\ntonight, you know what happens."
    assert first.summary == "If you don't do it"
    assert first.when.start == datetime(2024, 3, 5, 21, 14) and first.when.tz == "Europe/Berlin"
    assert first.when.source_text == "05/03/2024, 21:14"
    assert first.channel is Channel.MESSENGER and first.direction is Direction.INCOMING
    assert first.imported.zone_stated and first.imported.day_order_stated
    assert first.imported.sha256 == result.sha256 and first.imported.locator == "line 1"
    assert "SHA-256 " + result.sha256 in first.provenance and "line 1" in first.provenance
    assert "Europe/Berlin was stated by the person importing it" in first.provenance
    assert "Dates read day-first, as stated" in first.provenance
    assert case.get(outcome.communications[1]).direction is Direction.OUTGOING
    system = case.get(outcome.communications[3])
    assert system.direction is None and system.sender == []


def test_people_are_made_once_and_linked_as_sender_and_recipients(case, tmp_path):
    outcome = import_messages(case, _chat(tmp_path), [0, 1, 2], ImportChoices(zone="UTC"))
    names = {case.get(pid).name: pid for pid in outcome.people}
    assert set(names) == {"Alex", "Sam"}
    first = case.get(outcome.communications[0])
    assert first.sender == [names["Alex"]] and first.recipients == [names["Sam"]]
    assert first.direction is None  # nobody said which of them is the person


def test_an_existing_person_is_suggested_and_used(case, tmp_path):
    alex = case.add(Person(name="Alex Doe", aliases=["alex"], role=Role.COERCER))
    me = case.add(Person(name="Sam Roe", role=Role.DEFENDANT))
    suggested = suggest_people(["~ Alex", "Sam", ME], case.items(Kind.PERSON))
    assert suggested == {"~ Alex": alex.id, "Sam": None, ME: me.id}
    choices = ImportChoices(zone="UTC", people={"Alex": alex.id, "Sam": me.id})
    outcome = import_messages(case, _chat(tmp_path), [0], choices)
    assert outcome.people == []
    assert case.get(outcome.communications[0]).sender == [alex.id]


def test_a_phone_number_matches_a_person_whose_contact_has_it(case):
    person = case.add(Person(name="Landlord", contact="+1 (555) 010-2030; landlord@example.org"))
    assert suggest_people(["555-010-2030", "5550102031"], case.items(Kind.PERSON)) == {
        "555-010-2030": person.id, "5550102031": None}


def test_attachments_become_exhibits_with_their_hash_and_missing_ones_are_said(case, tmp_path):
    outcome = import_messages(case, _chat(tmp_path), [2], ImportChoices(zone="UTC"))
    [exhibit_id] = outcome.exhibits
    exhibit = case.get(exhibit_id)
    assert exhibit.file.sha256 == hashlib.sha256(PHOTO).hexdigest()
    assert b"".join(read_blob(case, exhibit.file.sha256)) == PHOTO
    assert "line 4" in exhibit.custody
    message = case.get(outcome.communications[0])
    assert message.exhibits == [exhibit_id]
    assert message.summary == "Attachment: IMG-1.jpg, VID-2.mp4"
    assert "VID-2.mp4: left out of the export" in message.details


def test_reimporting_the_same_file_adds_nothing(case, tmp_path):
    result = _chat(tmp_path)
    first = import_messages(case, result, [0, 1, 2, 3], ImportChoices(zone="UTC"))
    again = import_messages(case, _chat(tmp_path), [0, 1, 2, 3], ImportChoices(zone="UTC"))
    assert again.communications == [] and again.people == [] and again.exhibits == []
    assert again.already_there == 4
    assert len(case.items(Kind.COMMUNICATION)) == len(first.communications) == 4
    assert "4 chosen messages were already in the case" in again.sentence()


def test_identical_messages_in_one_minute_are_both_kept(tmp_path):
    same = ParsedMessage(1, "line 1", Stamp(local=datetime(2024, 1, 1, 9, 0)), "Alex", "ok")
    result = _result(tmp_path, [same, same])
    assert len(set(fingerprints(result))) == 2


def test_an_export_with_absolute_times_says_so(case, tmp_path):
    at = datetime(2024, 3, 5, 20, 14, tzinfo=UTC)
    sent = ParsedMessage(1, "record 1", Stamp(instant=at, text="1709669640000"), ME, "on my way",
                         from_me=True, channel=Channel.TEXT, recipients=("+15550102030",))
    result = _result(tmp_path, [sent])
    [cid] = import_messages(case, result, [0], ImportChoices(zone="America/Chicago")).communications
    item = case.get(cid)
    assert item.when.bounds()[0] == at and item.when.tz == "America/Chicago"
    assert not item.imported.zone_stated and "absolute instant" in item.provenance
    assert item.direction is Direction.OUTGOING


def test_the_import_is_all_or_nothing(case, tmp_path):
    bad = ImportChoices(zone="UTC", people={"Sam": "P-999"})
    with pytest.raises(CaseFileError, match="P-999"):
        import_messages(case, _chat(tmp_path), [0, 1, 2], bad)
    assert case.items() == []
    assert case.conn.execute("SELECT COUNT(*) FROM exhibit_blobs").fetchone()[0] == 0


def test_one_undo_takes_the_whole_import_back_and_it_survives_reopening(case, case_path, tmp_path):
    outcome = import_messages(case, _chat(tmp_path), [0, 1, 2, 3], ImportChoices(zone="UTC"))
    assert len(case.items()) == 4 + 2 + 1
    case.close()
    with CaseFile.open(case_path) as reopened:
        assert reopened.undo() == ("Undid the import from WhatsApp Chat with Alex.txt: "
                                   "7 items removed.")
        assert reopened.items() == []
        assert all(not reopened.exists(i) for i in outcome.communications)
        assert reopened.undo() is None  # the single creates were part of it
        again = import_messages(reopened, _chat(tmp_path), [0], ImportChoices(zone="UTC"))
        assert len(again.communications) == 1  # an undone import can be made again


def test_an_attachment_named_like_a_path_keeps_only_its_last_part(case, tmp_path):
    sneaky = ParsedMessage(1, "message 1", _at(20), "Alex", "see file",
                           attachments=(Attachment("../../home/x/.bashrc", data=b"echo hi"),
                                        Attachment("C:\\Users\\x\\photo.jpg", data=PHOTO)))
    outcome = import_messages(case, _result(tmp_path, [sneaky]), [0], ImportChoices(zone="UTC"))
    names = sorted(case.get(e).file.original_name for e in outcome.exhibits)
    assert names == [".bashrc", "photo.jpg"]
