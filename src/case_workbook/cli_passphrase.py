"""Passphrases of encrypted case files on the command line: read from a file
(`--passphrase-file F`, its first line) or typed at a prompt, never an argument,
so a passphrase never shows in the shell's history or the process list."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from case_workbook.cli import UserError, path_arg


def add_passphrase_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--passphrase-file", type=path_arg, metavar="F",
                        help="an encrypted case's passphrase, on F's first line "
                             "(without it, you are asked for it)")


def add_encrypt_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--encrypt", action="store_true",
                        help="encrypt the case file; you choose its passphrase at a prompt")
    parser.add_argument("--passphrase-file", type=path_arg, metavar="F",
                        help="encrypt the case file with the passphrase on F's first line")


def passphrase_for(path: Path, passphrase_file: Path | None) -> str | None:
    """The passphrase to open the case at `path`: None for a plain case."""
    from case_workbook.store.inspect import is_encrypted_case

    if not is_encrypted_case(path):
        return None
    if passphrase_file is not None:
        return _read(passphrase_file)
    if not sys.stdin.isatty():
        raise UserError(f"{path.name} is an encrypted case; give its passphrase with "
                        "--passphrase-file F.")
    return _typed(f"Passphrase for {path.name}: ")


def new_passphrase(passphrase_file: Path | None, *, ask: bool) -> str | None:
    """A new passphrase (a case being created with --encrypt or --passphrase-file,
    or re-keyed): from the file, else typed twice if `ask`, since a mistyped
    one locks the case; None for a plain case."""
    from case_workbook.store.driver import check_new_passphrase

    if passphrase_file is not None:
        passphrase = _read(passphrase_file)
    elif ask:
        if not sys.stdin.isatty():
            raise UserError("A passphrase prompt needs a terminal; use --passphrase-file F "
                            "instead.")
        passphrase = _typed("New passphrase: ")
        check_new_passphrase(passphrase)
        if _typed("The same passphrase again: ") != passphrase:
            raise UserError("The two passphrases differ; nothing was written.")
    else:
        return None
    check_new_passphrase(passphrase)
    return passphrase


def _read(passphrase_file: Path) -> str:
    from case_workbook.export.workbook.crypt import read_password_file

    return read_password_file(passphrase_file, word="passphrase")


def _typed(prompt: str) -> str:
    import getpass

    return getpass.getpass(prompt)
