"""No network use: every CLI command and a walk through the terminal screens
run with the network blocked (no_network.py), and none of them tries it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import no_network
import pytest
from openpyxl import load_workbook
from textual.widgets import Input

from case_workbook.model.items import Kind
from case_workbook.store.case_file import CaseFile
from case_workbook.tui.app import CaseWorkbookApp
from case_workbook.tui.screens.case_screen import CaseScreen
from case_workbook.tui.screens.export_screen import ExportScreen
from case_workbook.tui.screens.item_form import ItemFormScreen
from case_workbook.user_state import UserState

BLOCKER = Path(no_network.__file__)
FIXTURES = Path(__file__).resolve().parents[3] / "shared" / "fixtures"
# One export of each kind the importers read, brought into a case offline.
EXPORTS = ["whatsapp/pustur_ios_example_2019_export.zip", "signal/chatminer_signal_export.txt",
           "sms_backup_restore/sbr2_mms_attachments_base64.xml",
           "telegram/langchain_result.json", "instagram/chatminer_instagram_export.json",
           "imessage/langchain_imessage_chat.db", "email/mimekit_gmail_takeout_style.mbox"]


def offline(record: Path, *args: object, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(BLOCKER), str(record), *map(str, args)],
                          capture_output=True, text=True, cwd=cwd, timeout=300,
                          stdin=subprocess.DEVNULL)


def test_the_blocker_notices_a_connection(tmp_path):
    # Without this, a blocker that blocked nothing would pass every test below.
    record = tmp_path / "tried.txt"
    code = ("import sys, urllib.request; sys.path.insert(0, sys.argv[2]);"
            "import no_network; from pathlib import Path; no_network.block(Path(sys.argv[1]));"
            "urllib.request.urlopen('http://example.com', timeout=2)")
    result = subprocess.run([sys.executable, "-c", code, str(record), str(BLOCKER.parent)],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode != 0 and "blocked by the test" in result.stderr
    assert "create_connection" in record.read_text()


def test_every_command_runs_without_the_network(tmp_path):
    record = tmp_path / "tried.txt"
    steps = [
        ("demo", "d.cwb", "--no-open"),
        ("new", "n.cwb", "--title", "Offline"),
        ("frameworks",),
        ("schema",),
        ("check", "d.cwb"),
        ("open", "d.cwb"),  # no terminal: prints the case
        ("export", "d.cwb", "-o", "d.xlsx"),
        ("export", "d.cwb", "-o", "d.json"),
        ("import", "d.json", "-o", "from-json.cwb"),
        ("import", "d.xlsx", "-o", "from-xlsx.cwb"),
        *[("import-messages", FIXTURES / name, "--case", "n.cwb", "--zone", "UTC", "--all")
          for name in EXPORTS],
    ]
    for step in steps:
        result = offline(record, *step, cwd=tmp_path)
        assert result.returncode == 0, (step, result.stderr)
    assert (tmp_path / "from-xlsx.cwb").exists()
    with CaseFile.open(tmp_path / "n.cwb", readonly=True) as case:
        sources = {c.imported.file_name for c in case.items(Kind.COMMUNICATION)}
    assert sources == {Path(name).name for name in EXPORTS}
    assert not record.exists(), record.read_text()


@pytest.fixture
def blocked(tmp_path):
    """The network blocked in this process for one test, then given back."""
    record = tmp_path / "tried.txt"
    unblock = no_network.block(record)
    yield record
    unblock()


async def test_the_screens_run_without_the_network(tmp_path, blocked):
    from case_workbook.demo.build import build_demo

    build_demo(tmp_path / "d.cwb")
    app = CaseWorkbookApp(tmp_path / "d.cwb", state=UserState(notice_dismissed=True))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, CaseScreen)
        await pilot.press("2", "n")  # a threat, typed into the form
        await pilot.pause()
        assert isinstance(app.screen, ItemFormScreen)
        app.screen.query_one("#f-summary", Input).focus()
        await pilot.press(*"Offline threat", "ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, CaseScreen)
        await pilot.press("x")  # the workbook, through the export dialog
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, ExportScreen)
        out = Path(dialog.query_one("#path", Input).value)
        await pilot.press("enter")
        for _ in range(100):
            await pilot.pause(0.1)
            if isinstance(app.screen, CaseScreen) and out.exists():
                break
        await pilot.press("9")  # the Themes view
        await pilot.pause()
    assert load_workbook(out, read_only=True).sheetnames[0] == "Cover"
    with CaseFile.open(tmp_path / "d.cwb", readonly=True) as case:
        assert "Offline threat" in [item.summary for item in case.items()]
    assert not blocked.exists(), blocked.read_text()
