"""A process that changes an encrypted case's passphrase, back and forth,
until it is killed.

    python rekey_driver.py CASE JOURNAL FIRST_PASSPHRASE

The passphrases are FIRST_PASSPHRASE and KEYS; before each change it appends
"begin N" to JOURNAL and after it has returned "done N" (N: the passphrase
now in force), as single appending writes a kill cannot leave half-written.
"""

from __future__ import annotations

import os
import sys

from case_workbook.store.case_file import CaseFile

KEYS = ["first passphrase", "second passphrase", "third 'quoted' one"]


def main(case_path: str, journal_path: str) -> None:
    journal = os.open(journal_path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    current = 0
    with CaseFile.open(case_path, passphrase=KEYS[current], actor="rekey-driver") as case:
        while True:
            new = (current + 1) % len(KEYS)
            os.write(journal, f"begin {new}\n".encode())
            case.change_passphrase(KEYS[new])
            os.write(journal, f"done {new}\n".encode())
            current = new


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
