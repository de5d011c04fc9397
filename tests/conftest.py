"""Shared fixtures: real case files on disk in a temporary folder, and the
user's data/config folders pointed into it so tests never touch the real ones."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

settings.register_profile(
    "default", deadline=None, max_examples=100,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))

def pytest_addoption(parser):
    parser.addoption("--long", action="store_true",
                     help="the long reliability runs (tests/reliability): 500 kills, ...")


SHARED = Path(__file__).resolve().parents[2] / "shared"
FIXTURES = SHARED / "fixtures"


@pytest.fixture(autouse=True)
def private_user_dirs(tmp_path_factory, monkeypatch):
    home = tmp_path_factory.mktemp("home")
    for var in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME"):
        monkeypatch.setenv(var, str(home / var.lower()))
    return home


@pytest.fixture
def framework():
    from case_workbook.model.framework import load_builtin

    return load_builtin("general")


@pytest.fixture
def case_path(tmp_path) -> Path:
    return tmp_path / "case.cwb"


@pytest.fixture
def case(case_path, framework):
    from case_workbook.model.case import CaseHeader
    from case_workbook.store.case_file import CaseFile

    opened = CaseFile.create(case_path, CaseHeader(title="Test case"), framework, actor="tester")
    yield opened
    opened.close()
