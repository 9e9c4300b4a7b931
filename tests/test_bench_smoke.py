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


def test_each_benchmark_rewrites_only_its_own_section(tmp_path: Path) -> None:
    from bench.perfdoc import write_section

    doc = tmp_path / "PERFORMANCE.md"
    write_section("a", "## A\n\n1 s", doc)
    write_section("b", "## B\n\n2 s", doc)
    write_section("a", "## A\n\n0.5 s", doc)
    text = doc.read_text(encoding="utf-8")
    assert text.startswith("# Performance")
    assert "0.5 s" in text and "1 s" not in text and "2 s" in text
    assert text.index("## A") < text.index("## B")
