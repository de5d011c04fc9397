"""`case-workbook import-messages`: a phone or email export into a case.

Without --all it only shows what it read and which messages the filters
keep, and changes nothing; with --all it imports those messages.
"""

from __future__ import annotations

import argparse

from case_workbook.cli import EXIT_OK, UserError, path_arg, visible
from case_workbook.cli_commands import Command
from case_workbook.cli_passphrase import add_passphrase_option, passphrase_for

PREVIEW_LINES = 20


class ImportMessages(Command):
    name = "import-messages"
    help = ("Import messages from a phone or email export (WhatsApp, SMS Backup & Restore, "
            "Telegram, Signal, Instagram, Messenger, iMessage, .eml, .mbox) into a case as "
            "communications. Without --all it only shows what it would import.")

    @staticmethod
    def arguments(parser):
        parser.add_argument("file", type=path_arg, help="the export file")
        parser.add_argument("--case", type=path_arg, required=True, help="the case file")
        parser.add_argument("--zone", help="the time zone the phone was set to, for exports "
                                           "that record none, e.g. America/Chicago")
        parser.add_argument("--from", dest="start", metavar="DATE",
                            help="only messages from this date or time on")
        parser.add_argument("--to", dest="end", metavar="DATE",
                            help="only messages up to this date (the whole day) or time")
        parser.add_argument("--participant", metavar="NAME",
                            help="only messages NAME sent, or that were sent to NAME alone "
                                 "(as the export names them)")
        parser.add_argument("--text", metavar="WORDS", help="only messages containing WORDS")
        parser.add_argument("--all", action="store_true",
                            help="import every message the filters keep (without it, nothing "
                                 "is imported)")
        parser.add_argument("--dates", choices=["day-first", "month-first"],
                            help="how to read dates like 03/04/24 when the file does not settle it")
        parser.add_argument("--me", metavar="NAME",
                            help="which participant is you, so messages show as sent or received")
        parser.add_argument("--person", action="append", default=[], metavar="NAME=ID",
                            help="count participant NAME as the existing person ID (e.g. "
                                 "'Alex=P-002'), or NAME=new for a new person; repeatable")
        parser.add_argument("--accept-skipped", action="store_true",
                            help="import what was read even when parts of the file could not be")
        add_passphrase_option(parser)

    @staticmethod
    def run(args):
        from case_workbook.importers.detect import read_export
        from case_workbook.importers.parsed import DayOrder, NeedsDayOrder
        from case_workbook.store.case_file import CaseFile

        passphrase = passphrase_for(args.case, args.passphrase_file)
        order = DayOrder(args.dates) if args.dates else None
        try:
            result = read_export(args.file, day_order=order)
        except NeedsDayOrder as error:  # other ExportReadErrors are one sentence as they are
            raise UserError(f"{error} Add --dates day-first or --dates month-first.") from None
        with CaseFile.open(args.case, passphrase=passphrase) as case:
            return _go_on(args, case, result)


def _go_on(args: argparse.Namespace, case, result) -> int:
    from case_workbook.importers.filters import MessageFilter, date_bound
    from case_workbook.importers.people import name_key
    from case_workbook.importers.to_case import (
        ImportChoices,
        fingerprints,
        fingerprints_in,
        import_messages,
    )

    zone = _zone(args, case, result)
    for line in report_lines(result):
        print(visible(line))
    keys = {name_key(n) for n in result.participants()}
    if args.participant and name_key(args.participant) not in keys:
        raise UserError(f"No one called {args.participant!r} takes part in {result.source.name}; "
                        f"the participants are {_names(result.participants())}.")
    keep = MessageFilter(participant=args.participant or "", text=args.text or "", zone=zone,
                         start=date_bound(args.start, zone, end=False) if args.start else None,
                         end=date_bound(args.end, zone, end=True) if args.end else None)
    chosen = keep.apply(result.messages)
    have = fingerprints_in(case)
    prints = fingerprints(result)
    new = [i for i in chosen if prints[i] not in have]
    print(f"{len(chosen):,} of {len(result.messages):,} messages match"
          + (" the filters" if keep.active else "")
          + (f"; {len(chosen) - len(new):,} of them are already in the case." if len(new)
             < len(chosen) else "."))
    if not args.all:
        _preview(result, new, zone)
        print("Nothing was imported. Add --all to import "
              + (f"these {len(new):,} messages." if new else "messages once some match."))
        return EXIT_OK
    if not result.clean and not args.accept_skipped:
        raise UserError(f"{result.source.name} was read only in part (see above), so nothing "
                        "was imported; add --accept-skipped to import what was read.")
    if args.me and args.me not in result.participants():
        raise UserError(f"--me {args.me!r} is not one of the participants: "
                        f"{_names(result.participants())}.")
    people = _people(args, case, result, new)
    outcome = import_messages(case, result, new,
                              ImportChoices(zone=zone, people=people, me=args.me))
    print(outcome.sentence())
    return EXIT_OK


def _zone(args: argparse.Namespace, case, result) -> str:
    from case_workbook.model.when import get_zone

    if args.zone:
        get_zone(args.zone)  # one sentence naming an unknown zone
        return args.zone
    if result.needs_zone:
        raise UserError(f"{result.source.name} records times by the phone's clock with no time "
                        "zone; say which zone the phone was set to with --zone (for example "
                        "--zone America/Chicago).")
    return case.settings.default_tz


def report_lines(result) -> list[str]:
    """What was read and how, and what was skipped with where."""
    lines = [f"Read {len(result.messages):,} messages from {result.source.name} "
             f"({result.format}; SHA-256 {result.sha256})."]
    lines += [f"  {note}" for note in result.notes]
    if result.day_order is not None:
        how = "as you said" if result.day_order_stated else "as the file shows"
        lines.append(f"  Dates read {result.day_order.value}, {how}.")
    if result.truncated:
        lines.append("  The file ends part way through a record: it may be cut short.")
    if result.skipped:
        lines.append(f"  Skipped {len(result.skipped):,} part"
                     f"{'s' if len(result.skipped) != 1 else ''} that could not be read:")
        lines += [f"    {s.locator}: {s.reason}" for s in result.skipped[:50]]
        if len(result.skipped) > 50:
            lines.append(f"    … and {len(result.skipped) - 50:,} more.")
    return lines


def _preview(result, chosen: list[int], zone: str) -> None:
    from case_workbook.importers.to_case import summary_of

    for index in chosen[:PREVIEW_LINES]:
        message = result.messages[index]
        who = message.sender or "(system)"
        print(visible(f"  {message.locator}  {message.stamp.text}  {who}: {summary_of(message)}"))
    if len(chosen) > PREVIEW_LINES:
        print(f"  … and {len(chosen) - PREVIEW_LINES:,} more.")


def _people(args: argparse.Namespace, case, result, chosen: list[int]) -> dict[str, str | None]:
    from case_workbook.importers.people import suggest_people
    from case_workbook.model.items import Kind

    names = list(dict.fromkeys(n for i in chosen for n in result.messages[i].participants))
    people = suggest_people(names, case.items(Kind.PERSON), result.handles)
    for given in args.person if names else ():  # nothing new: no one to map
        name, sep, target = given.rpartition("=")  # a name may hold "="; an id does not
        if not sep or name not in names:
            raise UserError(f"--person {given!r} does not name a participant of the chosen "
                            f"messages as NAME=ID; they are {_names(names)}.")
        if target.strip().lower() == "new":
            people[name] = None
        elif not case.exists(target) or case.get(target).kind is not Kind.PERSON:
            raise UserError(f"--person {given!r}: {target!r} is not a person in the case.")
        else:
            people[name] = target
    for name in names:
        match = people.get(name)
        print(visible(f"  {name} → " + (f"{match} {case.get(match).name}" if match
                                          else "a new person")))
    return people


def _names(names: list[str]) -> str:
    shown = ", ".join(repr(n) for n in names[:10])
    return shown + (f" and {len(names) - 10:,} more" if len(names) > 10 else "")
