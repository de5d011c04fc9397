"""The README's two set-up commands stay true, and .ci/run runs the second."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _commands() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    head = text[: text.index("## What it is")]
    return re.findall(r"```sh\n(.+?)\n```", head)


def test_readme_opens_with_the_demo_and_the_test_command():
    demo, tests = _commands()
    assert demo.endswith("case-workbook demo") and "pip install" in demo
    assert "pytest" in tests and "[test]" in tests


def test_ci_runs_the_readme_test_command_verbatim():
    _, tests = _commands()
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert tests in ci.splitlines()


def test_readme_names_every_subcommand():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    for command in ["new", "open", "frameworks", "demo", "check", "export", "import",
                    "schema"]:
        assert f"`case-workbook {command}" in text


def test_every_test_the_reliability_section_names_exists():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text[text.index("## Reliability and privacy"):text.index("## Performance")]
    named = re.findall(r"`(tests/[\w/]+\.py)(?:::(\w+))?`", section)
    named += [(path, test) for path, tests in
              re.findall(r"`(tests/[\w/]+\.py)` \(([^)]*)\)", section)
              for test in re.findall(r"`(\w+)`", tests)]
    assert len(named) >= 10
    for path, test in named:
        source = (ROOT / path).read_text(encoding="utf-8")
        assert not test or f"def {test}(" in source, f"{path}::{test}"
