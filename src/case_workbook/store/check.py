"""`check`: is a case file whole, readable, and are its exhibit files unchanged?

It opens the case read-only, so checking never changes a byte of the file.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from case_workbook.model.items import Kind, count_text
from case_workbook.store.case_file import CaseFile
from case_workbook.store.driver import ERRORS
from case_workbook.store.errors import DamagedItemError
from case_workbook.store.exhibits import ExhibitCheck, verify_exhibits
from case_workbook.store.schema import SCHEMA_VERSION
from case_workbook.store.sqlite_errors import case_error


@dataclass
class CheckReport:
    path: Path
    schema_version: int = 0
    encrypted: bool = False
    integrity: str = ""
    counts: dict[Kind, int] = field(default_factory=dict)
    exhibits: list[ExhibitCheck] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def lines(self) -> list[str]:
        total = sum(self.counts.values())
        parts = ", ".join(count_text(k, n) for k, n in self.counts.items() if n)
        version = "current" if self.schema_version == SCHEMA_VERSION else \
            "older; it is upgraded, after a backup copy, when the case is next opened"
        out = [
            f"Case file: {self.path}",
            f"  File format: {self.schema_version} ({version})",
            "  Encrypted: " + ("yes (SQLCipher)" if self.encrypted else "no"),
            f"  Database integrity: {self.integrity}",
            f"  Items: {total}" + (f" ({parts})" if parts else ""),
        ]
        by_status = {s: sum(1 for e in self.exhibits if e.status == s)
                     for s in ("ok", "changed", "missing")}
        out.append(f"  Exhibit files: {by_status['ok']} unchanged, {by_status['changed']} "
                   f"changed, {by_status['missing']} missing")
        out += [f"  {e.exhibit_id}: {e.status} — {e.detail}" for e in self.exhibits
                if e.status != "ok"]
        out += [f"  Problem: {p}" for p in self.problems if not p.startswith("exhibit")]
        out.append("All checks passed." if self.ok else
                   f"{len(self.problems)} problem(s) found.")
        return out


def check_case(path: Path | str, passphrase: str | None = None) -> CheckReport:
    """Raises CaseFileError when the file cannot be opened at all."""
    path = Path(path)
    report = CheckReport(path)
    with CaseFile.open(path, readonly=True, verify=False, passphrase=passphrase) as case:
        report.schema_version = case.schema_version
        report.encrypted = case.encrypted
        try:
            rows = [r[0] for r in case.conn.execute("PRAGMA integrity_check(20)")]
        except ERRORS as error:
            raise case_error(error, path, "check") from None
        report.integrity = rows[0] if rows == ["ok"] else "damaged"
        if rows != ["ok"]:
            report.problems.append("the database is damaged: " + "; ".join(rows[:3]))
            return report
        try:
            report.counts = case.counts()
            case.items()  # every item must still read and validate
        except DamagedItemError as error:
            report.problems.append(f"an item cannot be read ({type(error.__cause__).__name__})")
            return report
        report.exhibits = verify_exhibits(case)
        for result in report.exhibits:
            if result.status != "ok":
                report.problems.append(f"exhibit {result.exhibit_id} is {result.status}")
    return report
