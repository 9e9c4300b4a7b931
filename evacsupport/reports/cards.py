"""Household ID cards: business-card size (91 × 55 mm), eight to an A4 sheet, to cut out.

Each card shows the case number large, the head's name with furigana, the organisation and a
QR code for the meal counter's scanner. The QR code holds the case number and nothing else, so
a lost card gives away no more than is printed on it.

Eight cards (2 × 4) fit between the shared page header and the confidentiality footer; a tenth
row would run into them. Cut lines are dashed and continue past the block as crop marks, so a
paper cutter or scissors can follow them.

Also the small drawing helpers the other sheets share: a QR code of a given size, a tick box,
text shrunk to fit, fake-bold text (the embedded font has one weight), and writing a finished
PDF only once it is whole.
"""

from __future__ import annotations

import itertools
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from os import PathLike
from pathlib import Path
from typing import Any, BinaryIO

from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.lib import colors
from reportlab.lib.colors import Color
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable

from evacsupport.db.engine import Database
from evacsupport.domain.roles import Permission
from evacsupport.i18n import current_language
from evacsupport.reports.base import FONT, PAGE, ReportMeta, paragraph, pdf_bytes, register_fonts
from evacsupport.services.authz import gate
from evacsupport.services.households import card_rows

CARD_W = 91 * mm
CARD_H = 55 * mm
COLUMNS = 2
ROWS = 4
PER_SHEET = COLUMNS * ROWS
CARD_QR = 31 * mm  # the whole widget, quiet zone included: the symbol itself is about 22 mm
QUIET_ZONE = 4  # modules of white around the code, as the standard asks
CROP = 5 * mm  # how far the cut lines run past the block of cards
GREY = colors.HexColor("#666666")
CUT = colors.HexColor("#9a9a9a")

Target = str | PathLike[str] | BinaryIO


def _t(ja: str, en: str) -> str:
    return ja if current_language() == "ja" else en


# --- helpers shared by the sheets ------------------------------------------------------------
def save_pdf(target: Target, data: bytes) -> None:
    """Write a finished PDF; called only after the whole document was built in memory."""
    if isinstance(target, str | PathLike):
        Path(target).write_bytes(data)
    else:
        target.write(data)


def draw_qr(canvas: Canvas, value: str, x: float, y: float, size: float) -> None:
    """A QR code holding ``value``, ``size`` × ``size`` points with its lower-left at (x, y).

    The widget encodes; its modules are drawn as one path, which is ten times faster than
    rendering the widget as a drawing (it matters for a few thousand cards).
    """
    qr = QrCodeWidget(value, barLevel="M").qr
    qr.make()
    count = qr.getModuleCount()
    box = size / (count + 2 * QUIET_ZONE)
    path = canvas.beginPath()
    for r, row in enumerate(qr.modules):
        top = y + size - (r + QUIET_ZONE + 1) * box
        c = 0
        for dark, run in itertools.groupby(bool(m) for m in row):
            length = len(list(run))
            if dark:
                path.rect(x + (c + QUIET_ZONE) * box, top, length * box, box)
            c += length
    canvas.saveState()
    canvas.setFillColor(colors.black)
    canvas.drawPath(path, stroke=0, fill=1)
    canvas.restoreState()


class QrFlowable(Flowable):
    """A QR code as a flowable (for table cells)."""

    def __init__(self, value: str, size: float) -> None:
        super().__init__()
        self.value = value
        self.size = size

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        return self.size, self.size

    def draw(self) -> None:
        draw_qr(self.canv, self.value, 0, 0, self.size)


def fit_size(text: str, width: float, size: float, minimum: float = 4.0) -> float:
    """The largest font size up to ``size`` at which ``text`` fits in ``width``."""
    needed = stringWidth(text, FONT, size)
    if needed <= width or needed == 0:
        return size
    return max(minimum, size * width / needed)


def draw_fitted(canvas: Canvas, x: float, y: float, text: str, width: float, size: float) -> float:
    """Draw ``text`` at (x, y), shrunk to fit ``width``; returns the size used."""
    used = fit_size(text, width, size)
    canvas.setFont(FONT, used)
    canvas.drawString(x, y, text)
    return used


def draw_bold(
    canvas: Canvas, x: float, y: float, text: str, size: float, color: Color = colors.black
) -> None:
    """Bold by outlining the glyphs as well as filling them (IPAexGothic has no bold face)."""
    canvas.saveState()
    canvas.setFillColor(color)
    canvas.setStrokeColor(color)
    canvas.setLineWidth(size * 0.045)
    text_object = canvas.beginText(x, y)
    text_object.setFont(FONT, size)
    text_object.setTextRenderMode(2)
    text_object.textOut(text)
    canvas.drawText(text_object)
    canvas.restoreState()


def draw_tick_box(canvas: Canvas, x: float, y: float, size: float = 4.2 * mm) -> None:
    """An empty square to tick by hand, lower-left corner at (x, y)."""
    canvas.saveState()
    canvas.setStrokeColor(colors.black)
    canvas.setLineWidth(0.8)
    canvas.rect(x, y, size, size, stroke=1, fill=0)
    canvas.restoreState()


def wrap_chars(text: str, width: float, size: float) -> list[str]:
    """Break Japanese text into lines of at most ``width`` (any character may end a line)."""
    lines: list[str] = []
    line = ""
    for char in text:
        if line and stringWidth(line + char, FONT, size) > width:
            lines.append(line)
            line = char.lstrip()
        else:
            line += char
    if line:
        lines.append(line)
    return lines


def wrap_tokens(tokens: Sequence[str], width: float, size: float) -> list[str]:
    """Break lines between tokens (allergen names stay whole); a too-long token breaks anywhere."""
    lines: list[str] = []
    line = ""
    for token in tokens:
        if not line or stringWidth(line + token, FONT, size) <= width:
            line += token
            continue
        lines.append(line)
        line = token
    if line:
        lines.append(line)
    return [part for text in lines for part in wrap_chars(text, width, size)]


# --- the cards -------------------------------------------------------------------------------
@dataclass(frozen=True)
class _Card:
    case_number: str
    head_name: str
    head_kana: str


class _CardSheet(Flowable):
    """One A4 sheet of up to eight cards, centred on the page whatever the frame's margins."""

    def __init__(self, cards: Sequence[_Card], organisation: str) -> None:
        super().__init__()
        self.cards = list(cards)
        self.organisation = organisation

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        # The sheet takes the whole frame, so the next sheet starts on a new page.
        self.width, self.height = availWidth, availHeight
        return availWidth, availHeight

    def draw(self) -> None:
        canvas: Canvas = self.canv
        origin_x, origin_y = canvas.absolutePosition(0, 0)
        left = (PAGE[0] - COLUMNS * CARD_W) / 2 - origin_x
        bottom = (PAGE[1] - ROWS * CARD_H) / 2 - origin_y
        self._cut_lines(canvas, left, bottom)
        for i, card in enumerate(self.cards):
            row, column = divmod(i, COLUMNS)
            x = left + column * CARD_W
            y = bottom + (ROWS - 1 - row) * CARD_H
            self._card(canvas, x, y, card)

    @staticmethod
    def _cut_lines(canvas: Canvas, left: float, bottom: float) -> None:
        right, top = left + COLUMNS * CARD_W, bottom + ROWS * CARD_H
        canvas.saveState()
        canvas.setStrokeColor(CUT)
        canvas.setLineWidth(0.4)
        canvas.setDash(3, 2)
        for column in range(COLUMNS + 1):
            x = left + column * CARD_W
            canvas.line(x, bottom, x, top)
        for row in range(ROWS + 1):
            y = bottom + row * CARD_H
            canvas.line(left, y, right, y)
        canvas.setDash()
        canvas.setLineWidth(0.5)
        for column in range(COLUMNS + 1):  # crop marks beyond the block
            x = left + column * CARD_W
            canvas.line(x, top + 1 * mm, x, top + CROP)
            canvas.line(x, bottom - 1 * mm, x, bottom - CROP)
        for row in range(ROWS + 1):
            y = bottom + row * CARD_H
            canvas.line(left - 1 * mm, y, left - CROP, y)
            canvas.line(right + 1 * mm, y, right + CROP, y)
        canvas.restoreState()

    def _card(self, canvas: Canvas, x: float, y: float, card: _Card) -> None:
        pad = 5 * mm
        qr_x = x + CARD_W - CARD_QR - 1.5 * mm
        qr_y = y + (CARD_H - CARD_QR) / 2 - 2 * mm
        text_w = qr_x - (x + pad) + 1 * mm  # the QR code's own quiet zone separates them
        top = y + CARD_H
        canvas.saveState()
        canvas.setFillColor(GREY)
        canvas.setFont(FONT, 7)
        canvas.drawString(x + pad, top - 7 * mm, _t("世帯カード", "Household card"))
        canvas.setFillColor(colors.black)
        if self.organisation:
            draw_fitted(canvas, x + pad, top - 11.5 * mm, self.organisation, CARD_W - 2 * pad, 8)
        canvas.setFillColor(GREY)
        canvas.setFont(FONT, 6.5)
        canvas.drawString(x + pad, top - 17 * mm, _t("世帯番号", "Case number"))
        draw_bold(
            canvas,
            x + pad,
            top - 24.5 * mm,
            card.case_number,
            fit_size(card.case_number, text_w, 19),
        )
        if card.head_kana:
            canvas.setFillColor(GREY)
            draw_fitted(canvas, x + pad, top - 31 * mm, card.head_kana, text_w, 7)
        canvas.setFillColor(colors.black)
        draw_fitted(canvas, x + pad, top - 37.5 * mm, card.head_name, text_w, 13)
        canvas.setFillColor(GREY)
        draw_fitted(
            canvas,
            x + pad,
            y + 5 * mm,
            _t("食事の受付でこのカードを見せてください", "Show this card at the meal counter"),
            CARD_W - 2 * pad,
            6.5,
        )
        canvas.restoreState()
        draw_qr(canvas, card.case_number, qr_x, qr_y, CARD_QR)


@gate(Permission.ROSTER, venue_scoped=True)
def make_id_cards(
    db: Database,
    household_ids: Sequence[uuid.UUID] | None,
    *,
    organisation: str = "",
    target: Target,
) -> int:
    """Print ID cards for these households (None: every active one, by case number).

    Returns the number of cards. Unknown or deleted households raise NotFound before anything
    is written.
    """
    register_fonts()
    rows = card_rows(db, household_ids)
    cards = [_Card(r.case_number, r.head_name, r.head_kana) for r in rows]
    story: list[Any] = [
        _CardSheet(cards[i : i + PER_SHEET], organisation) for i in range(0, len(cards), PER_SHEET)
    ]
    if not story:
        story = [paragraph(_t("対象の世帯がありません。", "No households to print."))]
    meta = ReportMeta(_t("世帯カード", "Household ID cards"), organisation, personal=True)
    save_pdf(target, pdf_bytes(meta, story))
    return len(cards)
