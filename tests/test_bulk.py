"""The collector pause used by bulk work always switches the collector back on."""

from __future__ import annotations

import gc

import pytest

from case_workbook.bulk import collector_paused


def test_paused_inside_and_running_after():
    assert gc.isenabled()
    with collector_paused():
        assert not gc.isenabled()
        with collector_paused():  # nested: the inner block leaves it paused
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()


def test_running_again_after_an_error():
    with pytest.raises(ValueError), collector_paused():
        raise ValueError("boom")
    assert gc.isenabled()


def test_a_decorated_export_leaves_it_running(tmp_path):
    from case_workbook.demo.build import build_demo
    from case_workbook.export.workbook import write_workbook
    from case_workbook.store.case_file import CaseFile

    build_demo(tmp_path / "d.cwb")
    with CaseFile.open(tmp_path / "d.cwb", readonly=True) as case:
        write_workbook(case, tmp_path / "d.xlsx")
    assert gc.isenabled() and (tmp_path / "d.xlsx").exists()
