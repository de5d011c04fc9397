"""A full disk while a new case file is made: `new`, `demo`, and importing a
JSON export or a workbook. Each fails in one sentence and leaves no case,
no half-built temporary case and nothing else behind. (Editing, exporting
and upgrading are in test_full_disk.py.)"""

from __future__ import annotations

import pytest
from disk_support import (
    cli_failed_in_one_sentence,
    fill,
    listing,
    mounted_small_disk,
    run_cli,
)


@pytest.fixture(scope="module")
def exports(tmp_path_factory):
    folder = tmp_path_factory.mktemp("exports")
    for args in (("demo", folder / "demo.cwb", "--no-open"),
                 ("export", folder / "demo.cwb", "-o", folder / "demo.json"),
                 ("export", folder / "demo.cwb", "-o", folder / "demo.xlsx")):
        assert run_cli(*args).returncode == 0
    return folder


def _making(exports, target):
    return {"new": ("new", target, "--title", "New case"),
            "demo": ("demo", target, "--no-open"),
            "import json": ("import", exports / "demo.json", "-o", target),
            "import workbook": ("import", exports / "demo.xlsx", "-o", target)}


@pytest.fixture(scope="module")
def small_disk(tmp_path_factory):
    with mounted_small_disk(tmp_path_factory.mktemp("mount") / "disk", "4m") as disk:
        yield disk


@pytest.mark.parametrize("slack", [0, 100_000, 400_000])
def test_making_a_case_on_a_full_disk_leaves_nothing(exports, small_disk, slack, request):
    if slack == 100_000 and not request.config.getoption("--long"):
        pytest.skip("one more amount of room left, with --long")
    filler = fill(small_disk, leave=slack)
    try:
        refused = 0
        for flow, args in _making(exports, small_disk / "made.cwb").items():
            result = run_cli(*args)
            if result.returncode == 0:  # it fitted: a whole case, nothing else
                assert listing(small_disk) == ["filler", "made.cwb"], flow
                assert run_cli("check", small_disk / "made.cwb").returncode == 0, flow
                (small_disk / "made.cwb").unlink()
                continue
            refused += 1
            assert "disk is full" in cli_failed_in_one_sentence(result), flow
            assert listing(small_disk) == ["filler"], flow
        assert refused >= 2
    finally:
        filler.unlink()


@pytest.mark.parametrize("limit", [40_000, 100_000])
def test_making_a_case_past_the_file_size_limit_leaves_nothing(exports, tmp_path, limit):
    for flow, args in _making(exports, tmp_path / "made.cwb").items():
        result = run_cli(*args, limit=limit)
        if result.returncode == 0:
            assert listing(tmp_path) == ["made.cwb"], flow
            (tmp_path / "made.cwb").unlink()
            continue
        cli_failed_in_one_sentence(result)
        assert listing(tmp_path) == [], flow


def test_the_sentence_names_the_file_asked_for(exports, small_disk):
    filler = fill(small_disk)
    try:
        result = run_cli(*_making(exports, small_disk / "made.cwb")["import json"])
        sentence = cli_failed_in_one_sentence(result)
        assert ".building" not in sentence and "made.cwb" in sentence, sentence
    finally:
        filler.unlink()
