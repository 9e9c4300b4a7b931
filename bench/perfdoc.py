"""docs/PERFORMANCE.md is shared by the benchmark scripts: each owns one marked section and
rewrites only that, so running one benchmark never erases another's numbers."""

from __future__ import annotations

from pathlib import Path

DOC = Path(__file__).resolve().parents[1] / "docs" / "PERFORMANCE.md"
HEADER = (
    "# Performance\n\nTargets and measurements. Each section is written by its script in "
    "`bench/` with `--write`,\nwhich rewrites only its own section.\n"
)


def write_section(name: str, body: str, doc: Path = DOC) -> None:
    """Replace (or append) the section between ``<!-- name:start -->`` and ``:end``."""
    start, end = f"<!-- {name}:start -->", f"<!-- {name}:end -->"
    block = f"{start}\n{body.strip()}\n{end}"
    text = doc.read_text(encoding="utf-8") if doc.exists() else HEADER
    if start in text and end in text:
        head, rest = text.split(start, 1)
        text = head + block + rest.split(end, 1)[1]
    else:
        text = text.rstrip() + "\n\n" + block + "\n"
    doc.parent.mkdir(parents=True, exist_ok=True)
    doc.write_text(text, encoding="utf-8")
