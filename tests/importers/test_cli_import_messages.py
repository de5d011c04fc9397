"""`case-workbook import-messages` through real processes, on real exports
from ../shared/fixtures and a real case file on disk."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from contextlib import closing
from pathlib import Path

import pytest

from case_workbook.model.items import Kind
from case_workbook.store.case_file import CaseFile

EXE = Path(sys.executable).parent / "case-workbook"


def run(*args, ok=True):
    result = subprocess.run([str(EXE), *map(str, args)], capture_output=True, text=True,
                            timeout=120, stdin=subprocess.DEVNULL)
    both = result.stdout + result.stderr
    assert "Traceback" not in both, both
    if ok:
        assert result.returncode == 0, both
    else:
        assert result.returncode == 1, both
        assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    return result


@pytest.fixture
def case_file(tmp_path):
    path = tmp_path / "case.cwb"
    run("new", path, "--title", "Messages", "--zone", "America/Chicago")
    return path


def _communications(path: Path):
    with CaseFile.open(path, readonly=True) as case:
        return case.items(Kind.COMMUNICATION)


def _rows(path: Path) -> int:
    with closing(sqlite3.connect(path)) as conn:
        return conn.execute("SELECT COUNT(*) FROM items").fetchone()[0]


def test_without_all_it_shows_and_changes_nothing(fixtures, case_file):
    sms = fixtures / "sms_backup_restore" / "sbr2_sms_small.xml"
    result = run("import-messages", sms, "--case", case_file)
    assert "Read 12 messages from sbr2_sms_small.xml" in result.stdout
    assert "12 of 12 messages match." in result.stdout
    assert "Nothing was imported. Add --all to import these 12 messages." in result.stdout
    assert _rows(case_file) == 0


def test_all_imports_and_a_second_run_adds_nothing(fixtures, case_file):
    sms = fixtures / "sms_backup_restore" / "sbr2_sms_small.xml"
    result = run("import-messages", sms, "--case", case_file, "--all")
    assert "Imported 12 messages" in result.stdout
    items = _communications(case_file)
    assert len(items) == 12
    assert all(i.imported and not i.imported.zone_stated for i in items)
    assert {i.when.tz for i in items} == {"America/Chicago"}  # the case's zone
    again = run("import-messages", sms, "--case", case_file, "--all")
    assert "12 of them are already in the case" in again.stdout
    assert "Imported 0 messages" in again.stdout
    assert len(_communications(case_file)) == 12


def test_a_chat_without_zones_needs_the_phones_zone(fixtures, case_file):
    chat = fixtures / "whatsapp" / "pustur_ios_example_2024_chat.txt"
    refused = run("import-messages", chat, "--case", case_file, "--all", ok=False)
    assert "--zone" in refused.stderr and "no time zone" in refused.stderr
    assert _rows(case_file) == 0
    run("import-messages", chat, "--case", case_file, "--all", "--zone", "Europe/Rome")
    items = _communications(case_file)
    assert items and all(i.imported.zone_stated and i.when.tz == "Europe/Rome" for i in items)
    assert all("Europe/Rome was stated by the person importing it" in i.provenance
               for i in items)


def test_filters_narrow_what_is_imported(fixtures, case_file):
    sms = fixtures / "sms_backup_restore" / "sbr2_sms_small.xml"
    everything = run("import-messages", sms, "--case", case_file)
    assert "12 of 12" in everything.stdout
    narrowed = run("import-messages", sms, "--case", case_file, "--text", "e", "--all")
    first_line = next(line for line in narrowed.stdout.splitlines() if " match" in line)
    matched = int(first_line.split(" of ")[0])
    assert 0 < matched <= 12
    assert len(_communications(case_file)) == matched
    assert all("e" in i.content.casefold() or "e" in i.details.casefold()
               for i in _communications(case_file))


def test_an_unknown_participant_and_a_bad_date_are_one_sentence(fixtures, case_file):
    sms = fixtures / "sms_backup_restore" / "sbr2_sms_small.xml"
    who = run("import-messages", sms, "--case", case_file, "--participant", "Nobody Here",
              ok=False)
    assert "No one called 'Nobody Here'" in who.stderr
    when = run("import-messages", sms, "--case", case_file, "--from", "the day after never",
               ok=False)
    assert when.stderr.startswith("case-workbook: ")
    assert _rows(case_file) == 0


def test_a_file_read_in_part_imports_only_when_accepted(fixtures, case_file, tmp_path):
    whole = (fixtures / "sms_backup_restore" / "sbr2_sms_small.xml").read_bytes()
    cut = tmp_path / "sms-cut.xml"
    cut.write_bytes(whole[: int(len(whole) * 0.7)])
    shown = run("import-messages", cut, "--case", case_file)
    assert "cut short" in shown.stdout or "could not be read" in shown.stdout
    refused = run("import-messages", cut, "--case", case_file, "--all", ok=False)
    assert "--accept-skipped" in refused.stderr
    assert _rows(case_file) == 0
    run("import-messages", cut, "--case", case_file, "--all", "--accept-skipped")
    assert 0 < len(_communications(case_file)) < 12


def test_a_file_that_is_no_export_is_refused_in_one_sentence(case_file, tmp_path):
    junk = tmp_path / "notes.txt"
    junk.write_text("shopping list\nmilk\n")
    result = run("import-messages", junk, "--case", case_file, ok=False)
    assert "notes.txt is not a message export" in result.stderr


def test_ambiguous_dates_are_asked_for(case_file, tmp_path):
    chat = tmp_path / "WhatsApp Chat with Alex.txt"
    chat.write_text("03/04/24, 21:14 - Alex: first\n05/06/24, 09:00 - Sam: second\n",
                    encoding="utf-8")
    asked = run("import-messages", chat, "--case", case_file, "--zone", "UTC", ok=False)
    assert "--dates day-first or --dates month-first" in asked.stderr
    run("import-messages", chat, "--case", case_file, "--zone", "UTC", "--dates", "day-first",
        "--all")
    first = min(_communications(case_file), key=lambda i: i.when.sort_key())
    assert (first.when.start.month, first.when.start.day) == (4, 3)
    assert first.imported.day_order == "day-first" and first.imported.day_order_stated
