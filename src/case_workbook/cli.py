"""The command line: a thin face over the core functions.

Every failure is one sentence on stderr and a non-zero exit; no traceback.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from case_workbook import __version__

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 70


class UserError(Exception):
    """A problem the person can fix; str() is one sentence."""


def visible(text: str) -> str:
    """`text` with its control characters written out (a line break as \\n,
    others as \\xNN): a path or value named in a sentence keeps it on one
    line and cannot send escape sequences to the terminal."""
    named = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}
    return "".join(named.get(ch) or (_escaped(ch) if _is_control(ch) else ch)
                   for ch in text)


def _escaped(ch: str) -> str:
    code = ord(ch)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def _is_control(ch: str) -> bool:
    code = ord(ch)
    # Also the bidirectional overrides and isolates: a name holding one could
    # make a line of output read in a different order than it is written.
    return code < 0x20 or 0x7F <= code < 0xA0 or 0x202A <= code <= 0x202E \
        or 0x2066 <= code <= 0x2069


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # one sentence, not a usage dump
        self.exit(EXIT_USAGE, f"{self.prog}: {visible(message.rstrip('.'))}. "
                              f"See '{self.prog} --help'.\n")


def build_parser() -> argparse.ArgumentParser:
    from case_workbook.cli_commands import COMMANDS
    from case_workbook.cli_messages import ImportMessages

    parser = _Parser(
        prog="case-workbook",
        description="Catalogue the material behind a duress defense and export one organized "
                    "workbook for counsel. It organizes information; it gives no legal advice "
                    "and never rates anything. Everything stays on this machine.")
    parser.add_argument("--version", action="version", version=f"case-workbook {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for command in [*COMMANDS, ImportMessages]:
        command.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "run", None):
        from case_workbook.cli_commands import open_in_terminal_ui

        if sys.stdin.isatty() and sys.stdout.isatty():
            return open_in_terminal_ui(None)
        parser.print_help()
        return EXIT_OK
    try:
        return args.run(args)
    except KeyboardInterrupt:
        print("case-workbook: stopped.", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return EXIT_FAILED
    except Exception as error:  # every error the person can act on has a sentence
        message = user_message(error)
        if message is None:
            print(f"case-workbook: something unexpected went wrong ({type(error).__name__}); "
                  "the case file was not changed by this command.", file=sys.stderr)
            return EXIT_INTERNAL
        print(f"case-workbook: {visible(message)}", file=sys.stderr)
        return EXIT_FAILED


def user_message(error: Exception) -> str | None:
    from case_workbook.export.exhibit_folder import ExhibitFolderError
    from case_workbook.export.interchange import InterchangeError
    from case_workbook.export.workbook.crypt import WorkbookPasswordError
    from case_workbook.export.workbook.returned import WorkbookReadError
    from case_workbook.fileio import describe_os_error
    from case_workbook.importers.parsed import ExportReadError
    from case_workbook.model.framework import FrameworkError
    from case_workbook.model.when import WhenError
    from case_workbook.store.errors import CaseFileError

    if isinstance(error, (UserError, CaseFileError, InterchangeError, FrameworkError,
                          WhenError, ExhibitFolderError, WorkbookPasswordError,
                          WorkbookReadError, ExportReadError)):
        return str(error)
    if isinstance(error, OSError):
        return describe_os_error(error, error.filename or "a file")
    if isinstance(error, MemoryError):
        return ("This computer ran out of memory for that; nothing was changed. Close other "
                "programs and try again.")
    return None


def print_json(value: object) -> None:
    print(json.dumps(value, indent=2, ensure_ascii=False))


def path_arg(text: str) -> Path:
    if "\x00" in text:
        raise argparse.ArgumentTypeError("a path cannot contain a NUL character")
    return Path(text).expanduser()


if __name__ == "__main__":
    raise SystemExit(main())
