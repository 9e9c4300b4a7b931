"""Make the app icon's PNG sizes, Windows .ico and macOS .icns from resources/icons/evacsupport.svg.

Run after changing the SVG (headless is fine):
    QT_QPA_PLATFORM=offscreen .venv/bin/python tools/make_icons.py

Qt renders the SVG at each size (so small sizes are drawn, not shrunk from a big bitmap); Pillow
(installed with reportlab) packs them into the .ico and .icns that build.spec gives PyInstaller.
"""

from __future__ import annotations

import sys
from pathlib import Path

from PIL import Image
from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QGuiApplication, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

ROOT = Path(__file__).resolve().parent.parent
ICONS = ROOT / "resources" / "icons"
SVG = ICONS / "evacsupport.svg"
SIZES = (16, 24, 32, 48, 64, 128, 256)
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)
ICNS_SIZES = (16, 32, 64, 128, 256)


def render(renderer: QSvgRenderer, size: int) -> QImage:
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter, QRectF(0, 0, size, size))
    painter.end()
    return image


def main() -> int:
    _app = QGuiApplication.instance() or QGuiApplication(sys.argv)
    renderer = QSvgRenderer(str(SVG))
    if not renderer.isValid():
        print(f"cannot read {SVG}", file=sys.stderr)
        return 1
    images: dict[int, Image.Image] = {}
    for size in SIZES:
        image = render(renderer, size)
        path = ICONS / f"evacsupport-{size}.png"
        image.save(str(path))  # PNG, from the name
        with Image.open(path) as png:
            images[size] = png.convert("RGBA")
        print(path.relative_to(ROOT))
    largest = images[max(SIZES)]
    largest.save(
        ICONS / "evacsupport.ico",
        sizes=[(s, s) for s in ICO_SIZES],
        append_images=[images[s] for s in ICO_SIZES if s != max(SIZES)],
    )
    print((ICONS / "evacsupport.ico").relative_to(ROOT))
    largest.save(
        ICONS / "evacsupport.icns",
        append_images=[images[s] for s in ICNS_SIZES if s != max(SIZES)],
    )
    print((ICONS / "evacsupport.icns").relative_to(ROOT))
    return 0


if __name__ == "__main__":
    sys.exit(main())
