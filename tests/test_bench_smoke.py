"""The benchmarks run end to end on tiny data sets (their full runs are by hand)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_bench_allocation_smoke_run() -> None:
    result = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "bench_allocation.py"), "--smoke"],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=ROOT,
    )
    assert result.returncode == 0, result.stderr
    assert "| suggestions for one household" in result.stdout
    assert "200 households" in result.stdout and "to 20 venues" in result.stdout
    assert "wrote" not in result.stdout  # the smoke run never touches docs/PERFORMANCE.md


def test_bench_counter_smoke_run() -> None:
    result = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "bench_counter.py"), "--smoke"],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=ROOT,
    )
    assert result.returncode == 0, result.stderr
    assert "| one meal logged at the counter" in result.stdout
    assert "200 households" in result.stdout


def test_bench_reports_smoke_run() -> None:
    result = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "bench_reports.py"), "--smoke"],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
    )
    assert result.returncode == 0, result.stderr
    assert "| monthly municipal report PDF" in result.stdout
