"""A wheel installed into a fresh virtual environment, run from another
folder, finds every framework (the templates ship inside the package)."""

from __future__ import annotations

import os
import subprocess
import sys
import venv
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.slow
def test_wheel_in_fresh_venv_lists_all_frameworks(tmp_path):
    wheels = tmp_path / "wheels"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(wheels),
                    str(ROOT)], check=True, timeout=600, capture_output=True)
    wheel = next(wheels.glob("case_workbook-*.whl"))
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=True)
    python = env_dir / "bin" / "python"
    subprocess.run([str(python), "-m", "pip", "install", "-q", str(wheel)], check=True,
                   timeout=900, capture_output=True)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    result = subprocess.run([str(env_dir / "bin" / "case-workbook"), "frameworks"],
                            cwd=elsewhere, capture_output=True, text=True, env=env, timeout=120)
    assert result.returncode == 0, result.stderr
    for framework_id in ("general", "california", "federal", "mpc"):
        assert f"{framework_id}: " in result.stdout
    demo = subprocess.run([str(env_dir / "bin" / "case-workbook"), "demo", "d.cwb", "--no-open"],
                          cwd=elsewhere, capture_output=True, text=True, env=env, timeout=120)
    assert demo.returncode == 0, demo.stderr
    assert (elsewhere / "d.cwb").exists()
