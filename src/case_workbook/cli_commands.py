"""One small class per subcommand: its arguments and what it runs."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from case_workbook.cli import EXIT_FAILED, EXIT_OK, path_arg, print_json
from case_workbook.cli_passphrase import (
    add_encrypt_options,
    add_passphrase_option,
    new_passphrase,
    passphrase_for,
)


class Command:
    name = ""
    help = ""

    @classmethod
    def register(cls, sub: argparse._SubParsersAction) -> None:
        parser = sub.add_parser(cls.name, help=cls.help, description=cls.help)
        cls.arguments(parser)
        parser.set_defaults(run=cls.run)

    @staticmethod
    def arguments(parser: argparse.ArgumentParser) -> None:
        pass

    @staticmethod
    def run(args: argparse.Namespace) -> int:
        raise NotImplementedError


class New(Command):
    name = "new"
    help = "Create a new, empty case file."

    @staticmethod
    def arguments(parser):
        parser.add_argument("path", type=path_arg, help="the new case file (NAME.cwb)")
        parser.add_argument("--framework", default="general",
                            help="framework id (see 'case-workbook frameworks'); default general")
        parser.add_argument("--framework-file", type=path_arg,
                            help="use your own framework file instead of a built-in one")
        parser.add_argument("--title", required=True, help="the case title")
        parser.add_argument("--defendant", default="", help="a name or a pseudonym")
        parser.add_argument("--charge", action="append", default=[], help="a charge (repeatable)")
        parser.add_argument("--jurisdiction", default="")
        parser.add_argument("--court", default="")
        parser.add_argument("--case-number", default="")
        parser.add_argument("--counsel", default="")
        parser.add_argument("--prepared-by", default="")
        parser.add_argument("--exhibit-prefix", default="DX",
                            help="exhibit number prefix, e.g. DX for DX-0001")
        parser.add_argument("--zone", default=None,
                            help="time zone for the dates you type, e.g. America/Los_Angeles "
                                 "(default: this computer's)")
        add_encrypt_options(parser)

    @staticmethod
    def run(args):
        from case_workbook.core import create_case

        passphrase = new_passphrase(args.passphrase_file, ask=args.encrypt)
        case_path = create_case(
            args.path, title=args.title, framework_id=args.framework,
            framework_file=args.framework_file, exhibit_prefix=args.exhibit_prefix,
            zone=args.zone, passphrase=passphrase,
            defendant=args.defendant, charges=args.charge, jurisdiction=args.jurisdiction,
            court=args.court, case_number=args.case_number, counsel=args.counsel,
            prepared_by=args.prepared_by)
        print(f"Created {case_path}" + (", encrypted: it opens only with its passphrase."
                                        if passphrase else "."))
        return EXIT_OK


class Frameworks(Command):
    name = "frameworks"
    help = "List the frameworks (sets of duress themes) a case can use."

    @staticmethod
    def arguments(parser):
        parser.add_argument("--json", action="store_true", help="print as JSON")

    @staticmethod
    def run(args):
        from case_workbook.model.framework import list_frameworks, user_frameworks_dir

        folder = user_frameworks_dir()
        frameworks = list_frameworks([folder] if folder.is_dir() else [])
        if args.json:
            print_json([{"id": f.id, "name": f.name, "jurisdiction": f.jurisdiction,
                         "sources": f.sources, "themes": [t.id for t in f.themes]}
                        for f in frameworks])
            return EXIT_OK
        for framework in frameworks:
            print(f"{framework.id}: {framework.name} — {len(framework.themes)} themes")
            print(f"    sources: {'; '.join(framework.sources)}")
        print(f"\nYour own framework files are read from {folder}.")
        return EXIT_OK


class Demo(Command):
    name = "demo"
    help = "Write the bundled, fictional demo case and open it."

    @staticmethod
    def arguments(parser):
        parser.add_argument("path", nargs="?", type=path_arg,
                            help="where to write it (default: demo.cwb in your data folder)")
        parser.add_argument("--no-open", action="store_true",
                            help="only write the file; do not open it")

    @staticmethod
    def run(args):
        from case_workbook.core import write_demo

        path, fresh = write_demo(args.path)
        print(("Wrote the demo case to " if fresh else "The demo case is at ") + f"{path}.")
        if args.no_open:
            return EXIT_OK
        return open_in_terminal_ui(path)


class Check(Command):
    name = "check"
    help = "Check a case file: integrity, format version and exhibit hashes."

    @staticmethod
    def arguments(parser):
        parser.add_argument("path", type=path_arg, help="the case file to check")
        add_passphrase_option(parser)

    @staticmethod
    def run(args):
        from case_workbook.store.check import check_case

        report = check_case(args.path, passphrase_for(args.path, args.passphrase_file))
        print("\n".join(report.lines()))
        return EXIT_OK if report.ok else EXIT_FAILED


class Export(Command):
    name = "export"
    help = ("Export a case: the workbook for counsel (.xlsx), or the whole case as JSON "
            "(.json, the interchange format).")

    @staticmethod
    def arguments(parser):
        parser.add_argument("path", type=path_arg, help="the case file")
        parser.add_argument("-o", "--output", type=path_arg, required=True,
                            help="the file to write (OUT.xlsx or OUT.json)")
        parser.add_argument("--format", choices=["xlsx", "json"], default=None,
                            help="default: from OUTPUT's ending (.json is JSON, else xlsx)")
        parser.add_argument("--force", action="store_true",
                            help="replace OUTPUT (and its exhibit folder) if it exists")
        parser.add_argument("--password-file", type=path_arg, metavar="F",
                            help="protect the workbook with the password on F's first line")
        parser.add_argument("--password", action="store_true",
                            help="protect the workbook with a password typed at a prompt")
        parser.add_argument("--with-exhibits", action="store_true",
                            help="also write the exhibit files into a folder beside the "
                                 "workbook ('OUT exhibits'), linked from the Exhibits sheet")
        add_passphrase_option(parser)

    @staticmethod
    def run(args):
        from case_workbook.core import export_case

        passphrase = passphrase_for(args.path, args.passphrase_file)
        password = ask_password(args.password_file, prompt=args.password, confirm=True)
        lines = export_case(args.path, args.output, fmt=args.format, overwrite=args.force,
                            password=password, with_exhibits=args.with_exhibits,
                            passphrase=passphrase)
        print("\n".join(lines))
        return EXIT_OK


def ask_password(password_file: Path | None, *, prompt: bool, confirm: bool = False,
                 name: str = "") -> str | None:
    """The password from a file, or typed at a prompt (not echoed); None for none."""
    from case_workbook.cli import UserError
    from case_workbook.export.workbook.crypt import read_password_file

    if password_file is not None:
        return read_password_file(password_file)
    if not prompt:
        return None
    if not sys.stdin.isatty():
        raise UserError("A password prompt needs a terminal; use --password-file F instead.")
    import getpass

    typed = getpass.getpass(f"Password{' for ' + name if name else ''}: ")
    if confirm and getpass.getpass("The same password again: ") != typed:
        raise UserError("The two passwords differ; nothing was written.")
    return typed


class Import(Command):
    name = "import"
    help = ("Create a new case file from a JSON export, or from a workbook for counsel "
            "(also one that counsel sent back with notes).")

    @staticmethod
    def arguments(parser):
        parser.add_argument("file", type=path_arg, help="the JSON file or workbook to read")
        parser.add_argument("-o", "--output", type=path_arg, required=True,
                            help="the new case file to create")
        parser.add_argument("--password-file", type=path_arg, metavar="F",
                            help="the workbook's password, on F's first line")
        add_encrypt_options(parser)

    @staticmethod
    def run(args):
        from case_workbook.core import import_case, needs_password

        password = ask_password(args.password_file, prompt=needs_password(args.file),
                                name=args.file.name)
        passphrase = new_passphrase(args.passphrase_file, ask=args.encrypt)
        report = import_case(args.file, args.output, password=password, passphrase=passphrase)
        print("\n".join(report.lines()))
        return EXIT_OK


class Schema(Command):
    name = "schema"
    help = "Print the JSON Schema of the JSON interchange format."

    @staticmethod
    def run(args):
        from case_workbook.model.document import CaseDocument

        print(json.dumps(CaseDocument.model_json_schema(), indent=2))
        return EXIT_OK


def open_in_terminal_ui(path: Path | None, *, workbook: bool = False,
                        passphrase_file: Path | None = None) -> int:
    """The terminal UI on a case (or the start screen, or the dialog that
    rebuilds a case from a `workbook`). Without a terminal (a script, a pipe)
    the case is printed as text instead; a workbook is refused in one sentence,
    since rebuilding needs answers (where, the password) and a script must not wait."""
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        if path is None:
            print("case-workbook needs a terminal for its screens; see 'case-workbook --help'.")
            return EXIT_OK
        if workbook:
            import shlex

            from case_workbook.cli import UserError

            raise UserError(f"{path.name} is a workbook; without a terminal, make a case file "
                            f"from it with: case-workbook import {shlex.quote(str(path))} "
                            "-o CASE.cwb")
        from case_workbook.core import case_overview

        print("\n".join(case_overview(path, passphrase=passphrase_for(path, passphrase_file))))
        return EXIT_OK
    from case_workbook.tui.app import run

    # An encrypted case without a passphrase file: the screens ask for it.
    return run(path, passphrase=passphrase_for(path, passphrase_file)
               if passphrase_file is not None else None)


class Open(Command):
    name = "open"
    help = ("Open a case file in the terminal screens, or a workbook from counsel "
            "(a new case file is made from it).")

    @staticmethod
    def arguments(parser):
        parser.add_argument("path", type=path_arg,
                            help="the case file (NAME.cwb) or a workbook (NAME.xlsx)")
        add_passphrase_option(parser)

    @staticmethod
    def run(args):
        from case_workbook.core import is_workbook_file
        from case_workbook.store.inspect import check_case_header, is_encrypted_case

        if args.path.is_file() and is_workbook_file(args.path):
            return open_in_terminal_ui(args.path, workbook=True)
        if not is_encrypted_case(args.path):
            check_case_header(args.path)  # a file that is not a case: one sentence, no screen
        return open_in_terminal_ui(args.path, passphrase_file=args.passphrase_file)


class Passphrase(Command):
    name = "passphrase"
    help = "Change the passphrase of an encrypted case file."

    @staticmethod
    def arguments(parser):
        parser.add_argument("path", type=path_arg, help="the encrypted case file")
        add_passphrase_option(parser)
        parser.add_argument("--new-passphrase-file", type=path_arg, metavar="F",
                            help="the new passphrase, on F's first line "
                                 "(without it, you are asked for it twice)")

    @staticmethod
    def run(args):
        from case_workbook.cli import UserError
        from case_workbook.store.case_file import CaseFile
        from case_workbook.store.inspect import is_encrypted_case

        if args.path.is_file() and not is_encrypted_case(args.path):
            raise UserError(f"{args.path.name} is not encrypted, so it has no passphrase "
                            "to change.")
        current = passphrase_for(args.path, args.passphrase_file)
        with CaseFile.open(args.path, passphrase=current) as case:
            new = new_passphrase(args.new_passphrase_file, ask=True)
            case.change_passphrase(new or "")
        print(f"The passphrase of {args.path.name} was changed; the old one no longer opens it.")
        return EXIT_OK


COMMANDS: list[type[Command]] = [New, Open, Frameworks, Demo, Check, Export, Import, Schema,
                                 Passphrase]

