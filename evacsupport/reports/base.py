"""What every report shares: the embedded Japanese font, A4 pages with a header and a footer
(organisation, date made, page N of M, and a confidentiality line on pages with personal data),
tables that repeat their header, and small-cell suppression (:class:`Counts`, over the one
algorithm in :mod:`evacsupport.domain.suppression`).

The font is IPAexGothic shipped under resources/fonts and embedded (as a subset) in every PDF:
reportlab's built-in Japanese CID fonts are not embedded and show as boxes on machines without
the Adobe-Japan1 data.
"""

from __future__ import annotations

import functools
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from html import unescape
from io import BytesIO
from pathlib import Path
from types import MappingProxyType
from typing import Any, BinaryIO
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate, Table, TableStyle

from evacsupport.domain.suppression import HIDDEN, SMALL_CELL, Line, suppression_mask
from evacsupport.i18n import current_language
from evacsupport.resources import resource_path

FONT = "IPAexGothic"
PAGE = A4
MARGIN = 15 * mm


@functools.cache
def register_fonts() -> str:
    pdfmetrics.registerFont(TTFont(FONT, str(resource_path("fonts", "ipaexg.ttf"))))
    return FONT


@functools.cache
def styles() -> dict[str, ParagraphStyle]:
    register_fonts()
    base = ParagraphStyle("body", fontName=FONT, fontSize=9.5, leading=14, wordWrap="CJK")
    return {
        "body": base,
        "small": ParagraphStyle("small", parent=base, fontSize=8, leading=11),
        "cell": ParagraphStyle("cell", parent=base, fontSize=8.5, leading=11),
        "cell_right": ParagraphStyle(
            "cell_right", parent=base, fontSize=8.5, leading=11, alignment=TA_RIGHT
        ),
        "title": ParagraphStyle("title", parent=base, fontSize=16, leading=22, spaceAfter=6),
        "h2": ParagraphStyle(
            "h2", parent=base, fontSize=12, leading=17, spaceBefore=10, spaceAfter=4
        ),
        "note": ParagraphStyle(
            "note", parent=base, fontSize=8, leading=11, textColor=colors.HexColor("#444444")
        ),
    }


def _t(ja: str, en: str) -> str:
    return ja if current_language() == "ja" else en


class Counts:
    """Every count one report prints, the sums a reader can check between them, and how each
    count prints: "<5" when hidden, else as it is (with thousands separators).

    A report first declares all its figures (:meth:`add`, one key per figure: a figure printed
    in two places, or as a chart label, is added under the same key) and every sum its pages
    let a reader check (:meth:`line`: rows and columns with their totals, a second table's
    total row, a chart label that adds table cells). The mask is then computed once over the
    whole report, so nothing hidden in one table comes back from another. Primary and
    complementary hidden counts print alike, so a reader cannot tell which was the small one.
    With suppression off every count prints as it is.
    """

    def __init__(self, suppress_small: bool = True) -> None:
        self.on = suppress_small
        self._values: dict[Hashable, int] = {}
        self._lines: list[Line[Hashable]] = []
        self._hidden: frozenset[Hashable] | None = None

    def add(self, key: Hashable, value: int) -> Hashable:
        """Declare a printed count; the same key again must carry the same count."""
        if self._hidden is not None:
            raise RuntimeError("every count must be declared before the first is printed")
        known = self._values.setdefault(key, int(value))
        if known != value:
            raise ValueError(f"{key!r} declared as {known} and as {value}")
        return key

    def line(self, whole: Hashable, parts: Iterable[Hashable]) -> None:
        """Declare that the page prints ``whole`` as the sum of ``parts``."""
        if self._hidden is not None:
            raise RuntimeError("every sum must be declared before the first count is printed")
        self._lines.append(Line(whole, tuple(parts)))

    def line_if_exact(self, whole: Hashable, parts: Iterable[Hashable]) -> None:
        """A sum that holds by the meaning of the figures but comes from separate queries (the
        week table's grand total and the meals table's): declared when it holds, since only
        then can a reader use it."""
        parts = tuple(parts)
        if self._values[whole] == sum(self._values[p] for p in parts):
            self.line(whole, parts)

    def value(self, key: Hashable) -> int:
        return self._values[key]

    @property
    def declared(self) -> Mapping[Hashable, int]:
        """Every declared count by key (read-only), for checks of what a report prints."""
        return MappingProxyType(self._values)

    def hidden(self, key: Hashable) -> bool:
        if self._hidden is None:
            self._hidden = suppression_mask(self._values, self._lines) if self.on else frozenset()
        return key in self._hidden

    def text(self, key: Hashable) -> str:
        """Plain text ("<5" or "1,234"), for chart labels."""
        return HIDDEN if self.hidden(key) else f"{self._values[key]:,}"

    def __call__(self, key: Hashable) -> str:
        """Paragraph markup ("X" or "1,234", escaped), for table cells."""
        return escape(self.text(key))


def suppression_note() -> str:
    """The one line that explains the mark, printed with every report that uses it."""
    return _t(
        f"個人の特定を防ぐため、1〜{SMALL_CELL - 1}の件数と、合計などからそれを逆算できる件数を、"
        f"どちらも「{HIDDEN}」と表示しています。",
        f"To protect privacy, counts of 1 to {SMALL_CELL - 1} and any count from which one "
        f'could be worked out print alike as "{HIDDEN}".',
    )


@dataclass
class ReportMeta:
    title: str
    organisation: str = ""
    personal: bool = False  # the pages hold personal data: print the confidentiality line
    made_at: datetime = field(default_factory=lambda: datetime.now().astimezone())


class _NumberedCanvas(Canvas):
    """Draws header and footer after the last page is known, for "page N / M"."""

    meta: ReportMeta

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initialFontName", FONT)  # no stray non-embedded Helvetica
        super().__init__(*args, **kwargs)
        self._pages: list[dict[str, Any]] = []

    def showPage(self) -> None:
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._pages)
        for state in self._pages:
            self.__dict__.update(state)
            self._decorate(total)
            super().showPage()
        super().save()

    def _decorate(self, total: int) -> None:
        meta = self.meta
        width, height = PAGE
        self.setFont(FONT, 8)
        self.setFillColor(colors.HexColor("#444444"))
        self.drawString(MARGIN, height - 10 * mm, meta.organisation)
        self.drawRightString(width - MARGIN, height - 10 * mm, meta.title)
        self.setStrokeColor(colors.HexColor("#bbbbbb"))
        self.line(MARGIN, height - 11.5 * mm, width - MARGIN, height - 11.5 * mm)
        made = meta.made_at.strftime("%Y-%m-%d %H:%M")
        self.drawString(MARGIN, 9 * mm, _t(f"作成日時 {made}", f"Made {made}"))
        self.drawRightString(
            width - MARGIN,
            9 * mm,
            _t(f"{self._pageNumber} / {total} ページ", f"Page {self._pageNumber} of {total}"),
        )
        if meta.personal:
            self.setFillColor(colors.HexColor("#b00020"))
            self.drawCentredString(
                width / 2,
                13 * mm,
                _t(
                    "取扱注意：個人情報を含みます。目的外の利用・複製・第三者への提供をしないでください。",
                    "Confidential: contains personal data. Do not copy, share or use beyond its "
                    "purpose.",
                ),
            )


def build_pdf(target: Path | BinaryIO, meta: ReportMeta, story: Sequence[Flowable]) -> None:
    """Lay out ``story`` on A4 pages with the shared header and footer."""
    register_fonts()
    doc = SimpleDocTemplate(
        str(target) if isinstance(target, Path) else target,
        pagesize=PAGE,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN + 4 * mm,
        bottomMargin=MARGIN + 6 * mm,
        title=meta.title,
        author=meta.organisation,
        creator="evacsupport",
        initialFontName=FONT,
    )
    canvas_class = type("ReportCanvas", (_NumberedCanvas,), {"meta": meta})
    doc.build(list(story), canvasmaker=canvas_class)


def pdf_bytes(meta: ReportMeta, story: Sequence[Flowable]) -> bytes:
    buffer = BytesIO()
    build_pdf(buffer, meta, story)
    return buffer.getvalue()


CELL_SIZE, CELL_LEADING = 8.5, 11  # as the "cell" paragraph styles
CELL_PADDING = 6  # reportlab's default left and right padding of a table cell


SMALL_NUMBER_SIZE = 7.5  # a number is set this much smaller before a pair goes on two lines
MIN_NUMBER_SIZE = 6.0  # and never smaller than this
MIN_DONOR_SHARE = 0.8  # a text column keeps this much of its width when numbers need room


def _plain(value: Any) -> str | None:
    """The text of a plain (markup-free) cell, or None for markup."""
    return None if "<" in str(value) else unescape(str(value))


def _fit_widths(
    widths: Sequence[float], rows: Sequence[Sequence[Any]], numbers: frozenset[int]
) -> list[float]:
    """``widths`` with every numeric column as wide as its widest number, the room taken from
    the text columns (which wrap), as far as they can spare it."""
    fitted = list(widths)
    need = [0.0] * len(fitted)
    for row in rows:
        for i, value in enumerate(row):
            text = _plain(value) if i in numbers and i < len(fitted) else None
            if text is not None:
                need[i] = max(need[i], _width(text) + 2 * CELL_PADDING)
    deficit = {i: need[i] - fitted[i] for i in numbers if i < len(fitted) and need[i] > fitted[i]}
    donors = [j for j in range(len(fitted)) if j not in numbers]
    spare = {j: fitted[j] * (1 - MIN_DONOR_SHARE) for j in donors}
    available = sum(spare.values())
    if not deficit or available <= 0:
        return fitted
    share = min(1.0, available / sum(deficit.values()))
    taken = 0.0
    for i, missing in deficit.items():
        fitted[i] += missing * share
        taken += missing * share
    for j in donors:
        fitted[j] -= taken * spare[j] / available
    return fitted


def table(
    headers: Sequence[str],
    rows: Sequence[Sequence[Any]],
    widths: Sequence[float] | None = None,
    *,
    numeric: Sequence[int] = (),
) -> Table:
    """A table that repeats its header on every page; text cells wrap Japanese text.

    Cells are Paragraph markup (escaped text). Numeric cells print as plain right-aligned
    strings instead: a Paragraph per cell costs CJK line breaking, about 3 s for the monthly
    report's 1,500-venue week table. A number is never broken ("1,0" over "18" reads as two
    numbers): numeric columns are first widened towards their widest number at the text
    columns' expense; a number still too wide is set a little smaller, or, for a pair
    "meals / people", goes on two lines at its slash (set smaller only if a line still does
    not fit).
    """
    st = styles()
    numbers = frozenset(numeric)
    if widths is not None:
        widths = _fit_widths(widths, rows, numbers)
    inner = [None if widths is None else w - 2 * CELL_PADDING for w in widths or ()]
    cell_styles: list[tuple[Any, ...]] = []

    def number(value: Any, i: int, r: int) -> Any:
        text = _plain(value)
        if text is None:
            return Paragraph(str(value), st["cell_right"])
        room = inner[i] if i < len(inner) else None
        if room is None or _width(text) <= room:
            return text
        if " / " in text and _width(text) * SMALL_NUMBER_SIZE / CELL_SIZE > room:
            text = text.replace(" / ", " /\n", 1)  # a pair on two lines, at its slash
        widest = max(_width(line) for line in text.split("\n"))
        if widest > room:
            size = max(MIN_NUMBER_SIZE, CELL_SIZE * room / widest)
            cell_styles.append(("FONTSIZE", (i, r), (i, r), size))
            cell_styles.append(("LEADING", (i, r), (i, r), size * CELL_LEADING / CELL_SIZE))
        return text

    def text(value: Any, i: int) -> Any:
        # A text that fits on one line needs no line breaking: printed as a plain string, as
        # numbers are (the Paragraph's CJK line breaking was most of the time of the monthly
        # report's 1,500 venue names). Longer ones, markup and line breaks stay Paragraphs.
        plain = _plain(value)
        room = inner[i] if i < len(inner) else None
        if plain is None or room is None or "\n" in plain or _width(plain) > room:
            return Paragraph(str(value), st["cell"])
        return plain

    data: list[list[Any]] = [[Paragraph(str(h), st["cell"]) for h in headers]]
    for r, row in enumerate(rows, start=1):
        data.append(
            [number(value, i, r) if i in numbers else text(value, i) for i, value in enumerate(row)]
        )
    result = Table(data, colWidths=widths, repeatRows=1)
    result.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), FONT),
                ("FONTSIZE", (0, 0), (-1, -1), CELL_SIZE),
                ("LEADING", (0, 0), (-1, -1), CELL_LEADING),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8eef4")),
                ("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor("#999999")),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, colors.HexColor("#f7f7f7")]),
                ("TOPPADDING", (0, 0), (-1, -1), 2),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
                *(("ALIGN", (i, 1), (i, -1), "RIGHT") for i in sorted(numbers)),
                *cell_styles,
            ]
        )
    )
    return result


def _width(text: str) -> float:
    return pdfmetrics.stringWidth(text, FONT, CELL_SIZE)


def paragraph(text: str, style: str = "body") -> Paragraph:
    return Paragraph(text, styles()[style])
