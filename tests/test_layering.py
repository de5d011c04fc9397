"""The core (model, store, export) never imports Textual, nor network modules."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "case_workbook"
CORE = ["model", "store", "export", "importers", "views"]
FORBIDDEN_IN_CORE = {"textual", "rich"}
FORBIDDEN_ANYWHERE = {"socket", "urllib.request", "http.client", "requests", "httpx",
                      "aiohttp", "ftplib", "smtplib"}


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
    return found


def _core_files():
    files = [f for part in CORE if (PACKAGE / part).is_dir()
             for f in sorted((PACKAGE / part).rglob("*.py"))]
    assert len(files) > 10  # the walk really found the core
    return files


@pytest.mark.parametrize("path", _core_files(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_core_module_does_not_import_the_ui(path):
    bad = {name for name in _imports(path)
           if name.split(".")[0] in FORBIDDEN_IN_CORE or name.startswith("case_workbook.tui")}
    assert not bad, f"{path.name} imports {bad}"


def test_nothing_in_the_product_opens_network_connections():
    for path in PACKAGE.rglob("*.py"):
        bad = {name for name in _imports(path)
               if name in FORBIDDEN_ANYWHERE or name.split(".")[0] in FORBIDDEN_ANYWHERE}
        assert not bad, f"{path.name} imports {bad}"


def test_the_checker_sees_a_textual_import(tmp_path):
    sample = tmp_path / "x.py"
    sample.write_text("from textual.app import App\nimport os\n")
    assert "textual.app" in _imports(sample)
