"""The cost of the workbook for counsel on a case of N items: writing it, and
reading it back (rebuild + compare), in seconds and peak memory.

python bench/workbook_cost.py [N]   (default 10,000)
OPENPYXL_LXML=False python bench/workbook_cost.py [N]   openpyxl without lxml

Each measurement runs in a fresh process, so the peak resident memory
(ru_maxrss) belongs to that one step. Whether lxml is used is printed:
openpyxl uses it when installed.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from synthetic import build_synthetic  # noqa: E402


def step(action: str, *paths: str) -> dict:
    """Run one step in this process and report its cost (called in a child)."""
    from openpyxl.xml import LXML

    from case_workbook.export.workbook import write_workbook
    from case_workbook.export.workbook.returned import import_workbook
    from case_workbook.store.case_file import CaseFile

    start = time.perf_counter()
    if action == "write":
        with CaseFile.open(paths[0], readonly=True) as case:
            write_workbook(case, Path(paths[1]))
    else:
        import_workbook(Path(paths[0]), Path(paths[1]))
    seconds = time.perf_counter() - start
    rss_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {"step": action, "seconds": round(seconds, 2), "lxml": LXML,
            "rss_peak_mb": round(rss_kib / 1024, 1)}


def measure(items: int) -> list[dict]:
    with tempfile.TemporaryDirectory(dir=Path.cwd()) as folder:
        case = build_synthetic(Path(folder) / "w.cwb", items)
        xlsx = Path(folder) / "w.xlsx"
        results = []
        for action, args in (("write", [case, xlsx]), ("read", [xlsx, Path(folder) / "b.cwb"])):
            out = subprocess.run([sys.executable, __file__, "--step", action, *map(str, args)],
                                 capture_output=True, text=True, check=True, env=os.environ)
            results.append(json.loads(out.stdout))
        results[0]["file_mb"] = round(xlsx.stat().st_size / 2**20, 2)
        return results


if __name__ == "__main__":
    if sys.argv[1:2] == ["--step"]:
        print(json.dumps(step(sys.argv[2], *sys.argv[3:])))
    else:
        count = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
        for result in measure(count):
            print(f"{count} items: " + ", ".join(f"{k} {v}" for k, v in result.items()))
