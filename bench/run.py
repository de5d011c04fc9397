"""The benchmark: case-workbook at N items, each figure measured in fresh
processes, repeated, reported as median and p95.

    python bench/run.py --items 10000 [--repeat 3] [--out bench/results.json]

Needs the `bench` extra (XlsxWriter, the peer reference):
    pip install -e '.[bench]'

Metrics (names as in results.json):
  open_to_usable_s        process start until the case screen lists rows (headless Pilot)
  filter_keystroke_ms     one keystroke in the filter until the list has redrawn
  edit_commit_ms          one durable edit through the store
  export_xlsx_s           writing the workbook for counsel
  export_peak_rss_mib     the peak resident memory of the process that exported
  xlsxwriter_same_cells_s XlsxWriter writing the same cells and formats (bench/peer.py)
  export_vs_xlsxwriter    export_xlsx_s / xlsxwriter_same_cells_s, pair by pair
  import_xlsx_s           rebuilding the case from the workbook (round trip)
  export_json_s           writing the JSON interchange file
  import_json_s           reading it into a new case
Times are wall-clock on this machine; they vary with its load.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

METRICS = ["open_to_usable_s", "filter_keystroke_ms", "edit_commit_ms", "export_xlsx_s",
           "export_peak_rss_mib", "xlsxwriter_same_cells_s", "export_vs_xlsxwriter",
           "import_xlsx_s", "export_json_s", "import_json_s"]


# --- one step, in a fresh process ---------------------------------------------

def child(step: str, args: list[str]) -> dict:
    # Modules are loaded before the clock starts: the figures are the work,
    # not Python's start-up (open_to_usable_s is the one that includes it).
    import resource

    from peer import cells_of, write_with_xlsxwriter

    from case_workbook.core import import_case
    from case_workbook.export.interchange import export_json
    from case_workbook.export.workbook import write_workbook
    from case_workbook.export.workbook.returned import import_workbook
    from case_workbook.store.case_file import CaseFile

    start = time.perf_counter()
    out: dict = {}
    if step == "export_xlsx":
        with CaseFile.open(args[0], readonly=True) as case:
            write_workbook(case, Path(args[1]))
    elif step == "xlsxwriter":
        rows, tables, hidden = cells_of(Path(args[0]))
        out["seconds"] = write_with_xlsxwriter(rows, tables, hidden, Path(args[1]))
    elif step == "import_xlsx":
        import_workbook(Path(args[0]), Path(args[1]))
    elif step == "export_json":
        with CaseFile.open(args[0], readonly=True) as case:
            export_json(case, Path(args[1]))
    elif step == "import_json":
        import_case(Path(args[0]), Path(args[1]))
    elif step == "edit":
        out["samples"] = edit_samples(Path(args[0]), int(args[1]))
    else:
        raise SystemExit(f"unknown step {step}")
    out.setdefault("seconds", time.perf_counter() - start)
    out["rss_mib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return out


def edit_samples(path: Path, count: int) -> list[float]:
    from case_workbook.store.case_file import CaseFile

    with CaseFile.open(path) as case:
        target = case.items()[len(case.items()) // 2]
        samples = []
        for n in range(count):
            start = time.perf_counter()
            target = case.update(target.model_copy(update={"notes": f"bench edit {n}"}))
            samples.append((time.perf_counter() - start) * 1000)
    return samples


def run_child(step: str, *args: object) -> dict:
    result = subprocess.run([sys.executable, __file__, "--child", step, *map(str, args)],
                            capture_output=True, text=True, env=os.environ)
    if result.returncode != 0:
        raise SystemExit(f"bench step {step} failed:\n{result.stderr[-2000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def tui_child(case: Path) -> dict:
    result = subprocess.run([sys.executable, str(BENCH / "tui_timing.py"), str(case), "knife"],
                            capture_output=True, text=True, env=os.environ)
    if result.returncode != 0:
        raise SystemExit(f"bench step tui failed:\n{result.stderr[-2000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


# --- the whole run ---------------------------------------------------------------

def measure(items: int, repeat: int, folder: Path) -> dict[str, list[float]]:
    from synthetic import build_synthetic

    case = build_synthetic(folder / "bench.cwb", items)
    samples: dict[str, list[float]] = {name: [] for name in METRICS}
    for n in range(repeat):
        tui = tui_child(case)
        samples["open_to_usable_s"].append(tui["open_to_usable_s"])
        samples["filter_keystroke_ms"] += tui["filter_keystroke_ms"]
        xlsx, peer = folder / f"e{n}.xlsx", folder / f"p{n}.xlsx"
        exported = run_child("export_xlsx", case, xlsx)
        compared = run_child("xlsxwriter", case, peer)
        samples["export_xlsx_s"].append(exported["seconds"])
        samples["export_peak_rss_mib"].append(exported["rss_mib"])
        samples["xlsxwriter_same_cells_s"].append(compared["seconds"])
        samples["export_vs_xlsxwriter"].append(exported["seconds"] / compared["seconds"])
        samples["import_xlsx_s"].append(run_child("import_xlsx", xlsx, folder / f"x{n}.cwb")
                                        ["seconds"])
        json_file = folder / f"j{n}.json"
        samples["export_json_s"].append(run_child("export_json", case, json_file)["seconds"])
        samples["import_json_s"].append(run_child("import_json", json_file,
                                                  folder / f"j{n}.cwb")["seconds"])
        edit_case = folder / f"x{n}.cwb"  # a copy, so edits never pile up in one case
        samples["edit_commit_ms"] += run_child("edit", edit_case, 100)["samples"]
        for leftover in (xlsx, peer, json_file):
            leftover.unlink()
    return samples


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]


def summary(samples: dict[str, list[float]]) -> dict[str, dict]:
    return {name: {"median": round(statistics.median(values), 4), "p95": round(p95(values), 4),
                   "samples": len(values)} for name, values in samples.items()}


def machine() -> dict:
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return {"cores": os.cpu_count(), "memory_gib": round(memory, 1),
            "python": platform.python_version(), "system": platform.platform()}


def table(items: int, results: dict[str, dict]) -> str:
    lines = [f"{'metric':<26}{'median':>12}{'p95':>12}{'n':>5}   ({items:,} items)"]
    for name in METRICS:
        r = results[name]
        lines.append(f"{name:<26}{r['median']:>12.3f}{r['p95']:>12.3f}{r['samples']:>5}")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--out", type=Path, default=BENCH / "results.json")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="cw-bench-") as folder:
        results = summary(measure(args.items, args.repeat, Path(folder)))
    record = {"items": args.items, "repeat": args.repeat,
              "date": datetime.now(UTC).isoformat(timespec="seconds"),
              "machine": machine(), "metrics": results}
    args.out.write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")
    print(table(args.items, results))
    print(f"Wrote {args.out}.")
    return 0


if __name__ == "__main__":
    if sys.argv[1:2] == ["--child"]:
        print(json.dumps(child(sys.argv[2], sys.argv[3:])))
    else:
        raise SystemExit(main())
