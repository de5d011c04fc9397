"""The demo case and its workbook, written into a test folder."""

from __future__ import annotations

from pathlib import Path

from case_workbook.demo.build import build_demo
from case_workbook.export.workbook import write_workbook
from case_workbook.store.case_file import CaseFile


def write_demo_workbook(folder: Path, name: str) -> Path:
    build_demo(folder / "d.cwb")
    with CaseFile.open(folder / "d.cwb", readonly=True) as case:
        write_workbook(case, folder / name)
    return folder / name
