"""The benchmarks run end to end on tiny data sets (their full runs are by hand)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize(
    ("script", "expected"),
    [
        (
            "bench_allocation.py",
            ["| suggestions for one household", "200 households", "to 20 venues"],
        ),
        ("bench_counter.py", ["| one meal logged at the counter", "200 households"]),
        ("bench_reports.py", ["| monthly municipal report PDF"]),
        ("bench_import.py", ["| first import into a fresh database"]),
        ("bench_sync.py", ["| import (merge) of one month's package"]),
        ("bench_ui_stall.py", ["UI stall while logging meals", "scan → ready for the next"]),
    ],
)
def test_benchmark_smoke_run(script: str, expected: list[str]) -> None:
    doc = ROOT / "docs" / "PERFORMANCE.md"
    before = doc.read_text(encoding="utf-8") if doc.exists() else ""
    result = subprocess.run(
        [sys.executable, str(ROOT / "bench" / script), "--smoke"],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
    )
    assert result.returncode == 0, result.stderr
    for text in expected:
        assert text in result.stdout
    after = doc.read_text(encoding="utf-8") if doc.exists() else ""
    assert after == before  # a smoke run never touches docs/PERFORMANCE.md


def test_suite_smoke_run_on_the_small_data_set() -> None:
    """bench/run_all.py end to end on the small generated set (no timing asserted)."""
    doc = ROOT / "docs" / "PERFORMANCE.md"
    before = doc.read_text(encoding="utf-8") if doc.exists() else ""
    result = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "run_all.py"), "--smoke", "--write"],
        capture_output=True,
        text=True,
        timeout=180,
        cwd=ROOT,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    for text in (
        "### small",
        "| GUI cold start to the first painted household list",
        "| search-as-you-type, p95 per keystroke",
        "| opening a household with a year of history",
        "| one meal logged at the counter",
        "| ranked venue suggestions",
        "| bulk allocation",
        "| monthly municipal report PDF",
        "| importing a 300-row CSV",
        "| sync: import (merge)",
        "| sync: first full package into an empty laptop",
        "| UI stall while logging meals at the counter",
        "| UI stall while a month's sync package merges",
        "| peak RSS",
    ):
        assert text in result.stdout
    after = doc.read_text(encoding="utf-8") if doc.exists() else ""
    assert after == before  # --smoke never writes, even with --write


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
