"""The venue roster for one session: the paper fallback when the counter laptop is down.

Households come in the counter's order (by case number), each with its QR code so the filled
sheet can be keyed in afterwards by scanning down the page. Staff tick who came and the meal
type; allergies stand out in bold red next to the person. Blank rows at the end take the
unregistered guests as counts, the way the counter logs them.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Spacer, Table, TableStyle

from evacsupport.db.engine import Database
from evacsupport.domain.codes import MealType, label
from evacsupport.domain.roles import Permission
from evacsupport.domain.wareki import format_wareki
from evacsupport.i18n import current_language
from evacsupport.reports.base import (
    FONT,
    MARGIN,
    PAGE,
    ReportMeta,
    paragraph,
    pdf_bytes,
    register_fonts,
)
from evacsupport.reports.cards import (
    QrFlowable,
    Target,
    draw_bold,
    draw_tick_box,
    fit_size,
    save_pdf,
    wrap_tokens,
)
from evacsupport.services.authz import gate, require_venue
from evacsupport.services.meals import HouseholdCard, MealService, MemberCard
from evacsupport.services.venues import VenueService

FRAME_WIDTH = PAGE[0] - 2 * MARGIN - 12  # less the frame's padding of 6 points a side
RED = colors.HexColor("#c00000")
GREY = colors.HexColor("#555555")
GREEN = colors.HexColor("#1b5e20")
QR_SIZE = 29 * mm  # quiet zone included: the symbol itself is 21 mm
# Column widths of the household table; together the frame's width (180 mm less padding).
COL_QR = QR_SIZE + 8  # with the cell padding
COL_MEMBERS = 86 * mm
COL_MEALS = 30 * mm
MEMBERS_PER_ROW = 12  # a bigger household continues on a second row (keeps rows page-sized)
GUEST_ROWS = 5
BOX = 4.2 * mm
MEAL_TYPES = tuple(MealType)
WEEKDAYS_JA = "月火水木金土日"


def _t(ja: str, en: str) -> str:
    return ja if current_language() == "ja" else en


def western(day: date) -> str:
    if current_language() == "ja":
        return f"{day.year}年{day.month}月{day.day}日（{WEEKDAYS_JA[day.weekday()]}）"
    return day.strftime("%A %d %B %Y")


class _Members(Flowable):
    """One tick box per member: furigana over the name, and allergies in bold red beside it."""

    ROW = 10 * mm
    LINE = 3.6 * mm
    ALLERGY_SIZE = 8.0
    HEAD = 7 * mm  # the case number line

    def __init__(self, case_number: str, note: str, members: Sequence[MemberCard]) -> None:
        super().__init__()
        self.case_number = case_number
        self.note = note
        self.members = list(members)
        self._layout: list[tuple[MemberCard, list[str], float]] = []

    def _allergy_lines(self, member: MemberCard, width: float) -> list[str]:
        if not member.allergens:
            return []
        names = list(member.allergens)
        tokens = [_t("アレルギー：", "Allergy: ")]
        tokens += [f"{name}・" for name in names[:-1]] + names[-1:]
        return wrap_tokens(tokens, width, self.ALLERGY_SIZE)

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        self.width = availWidth
        allergy_w = self._allergy_width()
        self._layout = []
        for member in self.members:
            lines = self._allergy_lines(member, allergy_w)
            height = max(self.ROW, len(lines) * self.LINE + 3 * mm)
            self._layout.append((member, lines, height))
        self.height = self.HEAD + sum(h for _, _, h in self._layout)
        return self.width, self.height

    def _allergy_width(self) -> float:
        return self.width * 0.42

    def draw(self) -> None:
        canvas: Canvas = self.canv
        name_x = BOX + 2.5 * mm
        allergy_x = self.width - self._allergy_width()
        name_w = allergy_x - name_x - 2 * mm
        top = self.height
        draw_bold(canvas, 0, top - 4.6 * mm, self.case_number, 12)
        if self.note:
            canvas.setFillColor(GREEN)
            canvas.setFont(FONT, 7.5)
            canvas.drawString(
                canvas.stringWidth(self.case_number, FONT, 12) + 3 * mm, top - 4.6 * mm, self.note
            )
        top -= self.HEAD
        for member, lines, height in self._layout:
            middle = top - height / 2
            canvas.saveState()
            canvas.setStrokeColor(colors.HexColor("#dddddd"))
            canvas.setLineWidth(0.4)
            canvas.line(0, top, self.width, top)
            canvas.restoreState()
            draw_tick_box(canvas, 0, middle - BOX / 2)
            tag = _t("子ども", "child") if member.is_child else ""
            tag_w = canvas.stringWidth(tag, FONT, 7) + 1.5 * mm if tag else 0
            name_size = fit_size(member.name, name_w - tag_w, 11)
            name_y = middle - 3.2 * mm
            canvas.setFillColor(colors.black)
            canvas.setFont(FONT, name_size)
            canvas.drawString(name_x, name_y, member.name)
            if tag:
                canvas.setFillColor(GREY)
                canvas.setFont(FONT, 7)
                canvas.drawString(
                    name_x + canvas.stringWidth(member.name, FONT, name_size) + 1.5 * mm,
                    name_y,
                    tag,
                )
            if member.kana:
                canvas.setFillColor(GREY)
                canvas.setFont(FONT, fit_size(member.kana, name_w, 6.5))
                canvas.drawString(name_x, name_y + name_size * 0.95 + 1.2, member.kana)
            y = middle + len(lines) * self.LINE / 2 - self.LINE + 0.9 * mm
            for line in lines:
                draw_bold(canvas, allergy_x, y, line, self.ALLERGY_SIZE, RED)
                y -= self.LINE
            top -= height


class _TickList(Flowable):
    """Tick boxes with labels, one under another or side by side."""

    def __init__(self, labels: Sequence[str], *, across: bool = False, size: float = 9) -> None:
        super().__init__()
        self.labels = list(labels)
        self.across = across
        self.size = size

    def _item_width(self, text: str) -> float:
        return BOX + 1.5 * mm + stringWidth(text, FONT, self.size) + 4 * mm

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        if self.across:
            self.width = sum(self._item_width(t) for t in self.labels)
            self.height = 6 * mm
        else:
            self.width = max(self._item_width(t) for t in self.labels)
            self.height = 6.5 * mm * len(self.labels)
        return self.width, self.height

    def draw(self) -> None:
        canvas: Canvas = self.canv
        x, y = 0.0, self.height - 6 * mm
        for text in self.labels:
            draw_tick_box(canvas, x, y + 0.9 * mm)
            canvas.setFillColor(colors.black)
            canvas.setFont(FONT, self.size)
            canvas.drawString(x + BOX + 1.5 * mm, y + 1.8 * mm, text)
            if self.across:
                x += self._item_width(text)
            else:
                y -= 6.5 * mm


def _meal_labels() -> list[str]:
    return [label(t) for t in MEAL_TYPES]


def _household_rows(roster: Sequence[tuple[HouseholdCard, bool]]) -> list[list[Any]]:
    rows: list[list[Any]] = []
    for card, served in roster:
        chunks = [
            card.members[i : i + MEMBERS_PER_ROW]
            for i in range(0, max(len(card.members), 1), MEMBERS_PER_ROW)
        ]
        for part, members in enumerate(chunks):
            note = ""
            if part:
                note = _t("（続き）", "(continued)")
            elif served:
                note = _t("印刷時に記録済み", "already logged when printed")
            rows.append(
                [
                    QrFlowable(card.case_number, QR_SIZE),
                    _Members(card.case_number, note, members),
                    paragraph(_t("（上の行に記入）", "(use the row above)"), "note")
                    if part
                    else _TickList(_meal_labels()),
                    "",
                ]
            )
    if not rows:
        rows.append(
            [
                "",
                paragraph(
                    _t(
                        "この日に割り当てられている世帯はありません。",
                        "No households are assigned to this venue on this day.",
                    ),
                    "cell",
                ),
                "",
                "",
            ]
        )
    return rows


def _households_table(roster: Sequence[tuple[HouseholdCard, bool]], width: float) -> Table:
    memo = width - COL_QR - COL_MEMBERS - COL_MEALS
    header = [
        paragraph(_t("QRコード", "QR code"), "cell"),
        paragraph(
            _t(
                "世帯番号・来た人の□に✓（<font color='#c00000'>赤字はアレルギー</font>）",
                "Case number; tick who came (<font color='#c00000'>allergies in red</font>)",
            ),
            "cell",
        ),
        paragraph(_t("食事の種類に✓", "Tick the meal type"), "cell"),
        paragraph(_t("メモ", "Notes"), "cell"),
    ]
    table = Table(
        [header, *_household_rows(roster)],
        colWidths=[COL_QR, COL_MEMBERS, COL_MEALS, memo],
        repeatRows=1,
    )
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), FONT),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8eef4")),
                ("GRID", (0, 0), (-1, -1), 0.6, colors.HexColor("#777777")),
                ("VALIGN", (0, 0), (-1, 0), "MIDDLE"),
                ("VALIGN", (0, 1), (-1, -1), "TOP"),
                ("TOPPADDING", (0, 0), (-1, -1), 4),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
                ("LEFTPADDING", (0, 0), (-1, -1), 4),
                ("RIGHTPADDING", (0, 0), (-1, -1), 4),
            ]
        )
    )
    return table


def _guests_table(width: float) -> Table:
    count = _t("　　　　人", "        people")
    header = [
        paragraph(_t("大人", "Adults"), "cell"),
        paragraph(_t("子ども（18歳未満）", "Children (under 18)"), "cell"),
        paragraph(_t("食事の種類に✓", "Tick the meal type"), "cell"),
        paragraph(_t("メモ", "Notes"), "cell"),
    ]
    rows = [
        [
            paragraph(count, "cell_right"),
            paragraph(count, "cell_right"),
            _TickList(_meal_labels(), across=True, size=8.5),
            "",
        ]
        for _ in range(GUEST_ROWS)
    ]
    table = Table(
        [header, *rows],
        colWidths=[25 * mm, 32 * mm, 88 * mm, width - 145 * mm],
        rowHeights=[None] + [11 * mm] * GUEST_ROWS,
        repeatRows=1,
    )
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), FONT),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8eef4")),
                ("GRID", (0, 0), (-1, -1), 0.6, colors.HexColor("#777777")),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ]
        )
    )
    return table


@gate(Permission.ROSTER, venue_scoped=True)
def make_roster(
    db: Database,
    venue_id: uuid.UUID,
    served_on: date,
    *,
    organisation: str = "",
    target: Target,
) -> int:
    """The roster sheet of ``venue_id`` for ``served_on``; returns the number of households."""
    require_venue(db, venue_id)
    register_fonts()
    venue = VenueService(db).get(venue_id)
    roster = MealService(db).roster(venue_id, served_on)
    people = sum(len(card.members) for card, _ in roster)
    children = sum(1 for card, _ in roster for m in card.members if m.is_child)
    width = FRAME_WIDTH
    story: list[Any] = [
        paragraph(escape(venue.name), "title"),
        paragraph(f"<font size=12>{western(served_on)}　{format_wareki(served_on)}</font>", "body"),
        Spacer(1, 2 * mm),
        paragraph(
            _t(
                f"割り当て {len(roster)}世帯・{people}人（うち子ども{children}人）"
                "　　記入者：＿＿＿＿＿＿＿＿＿＿",
                f"Assigned: {len(roster)} households, {people} people ({children} children)"
                "    Filled in by: ____________________",
            )
        ),
        paragraph(
            _t(
                "来た人の□に✓、食事の種類に✓をつけてください。後でカウンター画面で、"
                "この順（世帯番号順）にQRコードを読み取って入力できます。",
                "Tick who came and the meal type. Afterwards, key the sheet in at the counter "
                "screen in this order (by case number) by scanning each QR code.",
            ),
            "note",
        ),
        Spacer(1, 3 * mm),
        _households_table(roster, width),
        Spacer(1, 6 * mm),
        paragraph(_t("名簿にない方（登録外のお客さん）", "Guests not on the roster"), "h2"),
        _guests_table(width),
    ]
    title = _t("会場名簿（紙の記録用）", "Venue roster (paper record)")
    meta = ReportMeta(f"{title}　{venue.name}", organisation, personal=True)
    save_pdf(target, pdf_bytes(meta, story))
    return len(roster)
