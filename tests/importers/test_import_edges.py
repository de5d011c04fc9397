"""Edges of the message import found by trying it: the same words in two
chats, times no calendar here can hold, who a participant filter means,
links out of an export's folder, and text that looks like markup."""

from __future__ import annotations

import os
from datetime import UTC, datetime

from case_workbook.cli import visible
from case_workbook.importers.detect import read_export
from case_workbook.importers.filters import MessageFilter, date_bound, message_instant
from case_workbook.importers.parsed import ParsedMessage, Stamp
from case_workbook.importers.people import suggest_people
from case_workbook.importers.to_case import ImportChoices, import_messages
from case_workbook.model.items import Direction, Kind, Person, Role


def _chat(folder, name: str, lines: list[str]):
    path = folder / f"WhatsApp Chat with {name}.txt"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_the_same_words_in_two_chats_are_two_messages(case, tmp_path):
    line = "13/02/2024, 10:00 - Alex: I know where your sister lives"
    first = read_export(_chat(tmp_path, "Alex", [line]))
    second = read_export(_chat(tmp_path, "Family", [line, "13/02/2024, 10:01 - Sam: stop"]))
    assert len(import_messages(case, first, [0], ImportChoices(zone="UTC")).communications) == 1
    outcome = import_messages(case, second, [0], ImportChoices(zone="UTC"))
    assert len(outcome.communications) == 1 and outcome.already_there == 0


def test_a_time_beyond_the_calendar_is_kept_as_text_with_an_unknown_when(case, tmp_path):
    mail = tmp_path / "future.eml"
    mail.write_bytes(b"From: a@example.org\r\nTo: b@example.org\r\nSubject: s\r\n"
                     b"Date: Mon, 1 Jan 2250 10:00:00 +0000\r\n\r\nbody\r\n")
    result = read_export(mail)
    [cid] = import_messages(case, result, [0], ImportChoices(zone="UTC")).communications
    item = case.get(cid)
    assert not item.when.is_dated() and "2250" in item.when.source_text
    late = ParsedMessage(1, "line 1", Stamp(local=datetime(9999, 12, 31, 23, 59)), "A", "x")
    assert message_instant(late, "America/Chicago") is None
    start = date_bound("2000-01-01", "America/Chicago", end=False)
    assert not MessageFilter(start=start, zone="America/Chicago").matches(late)


def test_a_participant_is_whoever_sent_it_or_the_one_it_went_to():
    group = ParsedMessage(1, "l1", Stamp(), "Alex", "hi", recipients=("Sam", "Kim"))
    direct = ParsedMessage(2, "l2", Stamp(), "Me", "hi", recipients=("~ sam",))
    sam = MessageFilter(participant="Sam")
    assert [sam.matches(m) for m in (group, direct)] == [False, True]
    assert MessageFilter(participant="alex").matches(group)


def test_an_end_with_seconds_ends_at_that_second():
    end = date_bound("2020-06-10 15:54:59", "UTC", end=True)
    assert end == datetime(2020, 6, 10, 15, 55, tzinfo=UTC)
    assert date_bound("2020-06-10 15:54", "UTC", end=True) == datetime(2020, 6, 10, 15, 55,
                                                                          tzinfo=UTC)


def test_media_beside_a_chat_is_not_followed_out_of_its_folder(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("not yours")
    folder = tmp_path / "export"
    folder.mkdir()
    os.symlink(secret, folder / "IMG-20240213-WA0001.jpg")
    (folder / "IMG-20240213-WA0002.jpg").write_bytes(b"\xff\xd8real")
    chat = _chat(folder, "Alex", [
        "13/02/2024, 10:00 - Alex: IMG-20240213-WA0001.jpg (file attached)",
        "13/02/2024, 10:01 - Alex: IMG-20240213-WA0002.jpg (file attached)"])
    first, second = read_export(chat).messages
    assert not first.attachments[0].available
    assert second.attachments[0].path == folder / "IMG-20240213-WA0002.jpg"


def test_a_defendant_chosen_as_a_person_makes_messages_sent_or_received(case, tmp_path):
    me = case.add(Person(name="Jo Doe", role=Role.DEFENDANT))
    chat = read_export(_chat(tmp_path, "Alex", ["13/02/2024, 10:00 - Jo: on my way",
                                                "13/02/2024, 10:01 - Alex: hurry"]))
    choices = ImportChoices(zone="UTC", people={"Jo": me.id})
    ids = import_messages(case, chat, [0, 1], choices).communications
    assert [case.get(i).direction for i in ids] == [Direction.OUTGOING, Direction.INCOMING]
    assert len(case.items(Kind.PERSON)) == 2


def test_command_line_output_shows_direction_overrides_as_escapes():
    assert visible("Alex\u202egnp.exe") == "Alex\\u202egnp.exe"
    assert visible("\x1b[31mred") == "\\x1b[31mred"


def test_a_contact_keeps_the_number_the_backup_names_them_by(case, fixtures, tmp_path):
    sms = read_export(fixtures / "sms_backup_restore" / "sbr2_sms_small.xml")
    named = {m.sender for m in sms.messages if m.sender in sms.handles}
    assert named, "the fixture names senders by their contact name"
    outcome = import_messages(case, sms, range(len(sms.messages)), ImportChoices(zone="UTC"))
    people = {case.get(p).name: case.get(p) for p in outcome.people}
    for name in named:
        assert people[name].contact == sms.handles[name]
    # A call log that knows only the number finds the same person.
    name = sorted(named)[0]
    number = sms.handles[name]
    calls = tmp_path / "calls.xml"
    calls.write_text("<?xml version='1.0' encoding='UTF-8' standalone='yes' ?>\n"
                     f'<calls count="1"><call number="{number}" duration="65" '
                     'date="1700000000000" type="2" presentation="1" /></calls>\n',
                     encoding="utf-8")
    log = read_export(calls)
    assert suggest_people([number], case.items(Kind.PERSON)) == {number: people[name].id}
    assert log.messages[0].recipients == (number,)


def test_an_email_address_matches_with_or_without_its_name(case):
    bob = case.add(Person(name="Robert Roe", contact="bob@example.org"))
    found = suggest_people(["Bob <BOB@example.org>", "bob@example.org", "Rob <rob@x.org>"],
                           case.items(Kind.PERSON))
    assert found == {"Bob <BOB@example.org>": bob.id, "bob@example.org": bob.id,
                     "Rob <rob@x.org>": None}


def test_the_name_said_to_be_yours_becomes_the_defendant_when_new(case, tmp_path):
    chat = read_export(_chat(tmp_path, "Alex", ["13/02/2024, 10:00 - Jo: on my way",
                                                "13/02/2024, 10:01 - Alex: hurry"]))
    outcome = import_messages(case, chat, [0, 1], ImportChoices(zone="UTC", me="Jo"))
    roles = {case.get(p).name: case.get(p).role for p in outcome.people}
    assert roles == {"Jo": Role.DEFENDANT, "Alex": Role.OTHER}


def _zip_chat(tmp_path, photo: bytes):
    import zipfile

    archive = tmp_path / "WhatsApp Chat - Alex.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as out:
        out.writestr("_chat.txt", "[13/02/2024, 10:00:00] Alex: <attached: 00000001-PHOTO.jpg>\r\n")
        out.writestr("00000001-PHOTO.jpg", photo)
    return archive


def test_a_zip_member_is_copied_into_the_case_at_import(case, tmp_path):
    from case_workbook.store.exhibits import read_blob

    photo = os.urandom(3 * 1024 * 1024)  # more than one block
    result = read_export(_zip_chat(tmp_path, photo))
    [attachment] = result.messages[0].attachments
    assert attachment.data is None and attachment.member  # not held in memory
    outcome = import_messages(case, result, [0], ImportChoices(zone="UTC"))
    exhibit = case.get(outcome.exhibits[0])
    assert b"".join(read_blob(case, exhibit.file.sha256)) == photo
    assert exhibit.file.size == len(photo)


def test_a_zip_changed_after_reading_imports_nothing(case, tmp_path):
    import pytest

    from case_workbook.store.errors import CaseFileError

    archive = _zip_chat(tmp_path, b"\xff\xd8 first")
    result = read_export(archive)
    _zip_chat(tmp_path, b"\xff\xd8 other")  # the same name, other bytes
    with pytest.raises(CaseFileError, match="changed after it was read"):
        import_messages(case, result, [0], ImportChoices(zone="UTC"))
    assert case.items() == []
