"""The cost of one durable edit through the store, on a case of N items.

python bench/edit_cost.py [N]   (default 10,000); prints median and p95 in ms.
Each edit is one transaction committed with synchronous=FULL in WAL mode.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

from case_workbook.model.items import Threat
from case_workbook.store.case_file import CaseFile

sys.path.insert(0, str(Path(__file__).parent))
from synthetic import build_synthetic  # noqa: E402


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * share))]


def main(items: int) -> None:
    with tempfile.TemporaryDirectory(dir=Path.cwd()) as folder:
        path = build_synthetic(Path(folder) / "edits.cwb", items)
        with CaseFile.open(path) as case:
            target = case.items()[items // 2]
            edits, adds = [], []
            for n in range(300):
                start = time.perf_counter()
                target = case.update(target.model_copy(update={"notes": f"note {n}"}))
                edits.append((time.perf_counter() - start) * 1000)
                start = time.perf_counter()
                case.add(Threat(summary=f"added {n}"))
                adds.append((time.perf_counter() - start) * 1000)
    for name, values in (("edit", edits), ("add", adds)):
        print(f"{name}: median {statistics.median(values):.2f} ms, "
              f"p95 {percentile(values, 0.95):.2f} ms ({len(values)} runs, {items} items)")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 10_000)
