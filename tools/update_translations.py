"""Refresh the translation files after UI texts change.

UI texts are written in Japanese inside ``tr()``; English lives in
``resources/translations/evacsupport_en.ts`` (edit it with pyside6-linguist or by hand) and is
compiled to the ``.qm`` file the app loads. Run after changing any UI text:

    python tools/update_translations.py            # lupdate, then lrelease
    python tools/update_translations.py --fill F   # also fill unfinished entries from a JSON map

``tests/ui/test_translations.py`` fails while a text has no English or the .qm is stale.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TS = ROOT / "resources" / "translations" / "evacsupport_en.ts"
QM = TS.with_suffix(".qm")


def tool(name: str) -> str:
    found = shutil.which(name) or str(Path(sys.executable).parent / name)
    return found


def sources() -> list[str]:
    return sorted(str(p.relative_to(ROOT)) for p in (ROOT / "evacsupport" / "ui").rglob("*.py"))


def lupdate(ts: Path = TS) -> None:
    subprocess.run(
        [tool("pyside6-lupdate"), *sources(), "-no-obsolete", "-locations", "none", "-ts", str(ts)],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )


def lrelease(ts: Path = TS, qm: Path = QM) -> None:
    subprocess.run(
        [tool("pyside6-lrelease"), str(ts), "-qm", str(qm)],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )


def fill(ts: Path, mapping: dict[str, str]) -> int:
    tree = ET.parse(ts)
    filled = 0
    for message in tree.getroot().iter("message"):
        translation = message.find("translation")
        source = message.findtext("source") or ""
        if translation is None or translation.get("type") != "unfinished":
            continue
        if source in mapping:
            if message.get("numerus") == "yes":
                for form in translation.findall("numerusform"):
                    form.text = mapping[source]
            else:
                translation.text = mapping[source]
            del translation.attrib["type"]
            filled += 1
    tree.write(ts, encoding="utf-8", xml_declaration=True)
    return filled


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fill", type=Path, help="JSON object: Japanese source → English")
    args = parser.parse_args()
    lupdate()
    if args.fill:
        print(f"filled {fill(TS, json.loads(args.fill.read_text(encoding='utf-8')))} texts")
    lrelease()
    print(f"updated {TS.relative_to(ROOT)} and {QM.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
