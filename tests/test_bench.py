"""The benchmark runs end to end on a small case (a smoke test: it checks that
the benchmark works and writes its results, not how fast anything is)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parents[1] / "bench" / "run.py"
METRICS = {"open_to_usable_s", "filter_keystroke_ms", "edit_commit_ms", "export_xlsx_s",
           "export_peak_rss_mib", "xlsxwriter_same_cells_s", "export_vs_xlsxwriter",
           "import_xlsx_s", "export_json_s", "import_json_s"}


def test_benchmark_smoke(tmp_path):
    out = tmp_path / "results.json"
    result = subprocess.run([sys.executable, str(BENCH), "--items", "200", "--repeat", "1",
                             "--out", str(out)], capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr[-2000:]
    record = json.loads(out.read_text(encoding="utf-8"))
    assert record["items"] == 200
    assert set(record["metrics"]) == METRICS
    assert {"cores", "memory_gib", "python"} <= set(record["machine"])
    for name, figure in record["metrics"].items():
        assert figure["samples"] >= 1 and figure["median"] > 0, name
        assert figure["p95"] >= figure["median"], name
    assert "export_vs_xlsxwriter" in result.stdout


def test_message_import_benchmark_smoke(tmp_path):
    out = tmp_path / "messages.json"
    script = BENCH.parent / "messages.py"
    result = subprocess.run([sys.executable, str(script), "--messages", "300", "--out", str(out)],
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr[-2000:]
    record = json.loads(out.read_text(encoding="utf-8"))
    assert record["messages"] == 300 and record["imported"] == 300
    for name in ("read_s", "file_to_preview_s", "import_all_s"):
        assert record[name] > 0, name
    assert len(record["filter_keystroke_ms"]) == 6


def test_timeline_benchmark_smoke():
    script = BENCH.parent / "timeline.py"
    result = subprocess.run([sys.executable, str(script), "300"], capture_output=True, text=True,
                            timeout=600)
    assert result.returncode == 0, result.stderr[-2000:]
    record = json.loads(result.stdout)
    assert 0 < record["marks"] <= 300
    assert record["show_ms"] > 0 and len(record["filter_keystroke_ms"]) == 5
    assert all(ms > 0 for ms in record["zoom_in_ms"] + record["next_item_ms"])
