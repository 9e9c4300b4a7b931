"""Case summary for a referral or handover: who the household is, where it has lived, which
community places it used, recent contacts, the wellbeing trend and what is still open.

Refused (``report.no_consent``) unless the household's current consent is valid today and
covers referral; what the consent does not cover (sensitive notes, contact details) is left out
by :mod:`evacsupport.services.case_report` and the page says so. The PDF is built in memory and
written only when complete, so a refusal or an error leaves the target untouched.
"""

from __future__ import annotations

import functools
import uuid
from collections.abc import Sequence
from datetime import date
from enum import StrEnum
from typing import Any
from xml.sax.saxutils import escape

from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.charts.lineplots import LinePlot
from reportlab.graphics.shapes import Drawing, Line, String
from reportlab.graphics.widgets.markers import makeMarker
from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Spacer, Table

from evacsupport.db.engine import Database
from evacsupport.domain.codes import (
    AssignmentStatus,
    CareLevel,
    ConsentMethod,
    ConsentPurpose,
    ConsentRecipient,
    ConsentSubject,
    DataCategory,
    EvacuationStatus,
    FollowUpSource,
    HouseholdStatus,
    Referral,
    Relation,
    Sex,
    VisitKind,
    label,
)
from evacsupport.domain.instruments import DEFAULT_CUTOFFS, K6, LONELINESS_DIRECT, UCLA3, Cutoffs
from evacsupport.domain.normalize import format_phone, format_postal
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
    table,
)
from evacsupport.reports.cards import Target, save_pdf
from evacsupport.services.authz import gate
from evacsupport.services.case_report import CaseReport, CheckInPoint, load_case_report
from evacsupport.services.risk import RiskSettings

WIDTH = PAGE[0] - 2 * MARGIN - 12  # the frame's width, less its padding of 6 points a side
CHECKIN_ROWS = 20
K6_COLOR = colors.HexColor("#c62828")
UCLA_COLOR = colors.HexColor("#1565c0")
NONE = "—"


def _t(ja: str, en: str) -> str:
    return ja if current_language() == "ja" else en


def _label(enum: type[StrEnum], code: str | None) -> str:
    """The label of a stored code; an unknown code prints as itself rather than failing."""
    if not code:
        return NONE
    try:
        return label(enum(code))
    except ValueError:
        return escape(code)


def _labels(enum: type[StrEnum], codes: Sequence[str]) -> str:
    return _t("、", ", ").join(_label(enum, c) for c in codes) or NONE


def _text(value: str | None) -> str:
    """User text for a Paragraph: markup characters escaped, line breaks kept."""
    return escape(value).replace("\n", "<br/>") if value else NONE


def _day(value: date | None) -> str:
    return value.isoformat() if value else NONE


def _key_values(rows: Sequence[tuple[str, str]]) -> Table:
    return table((_t("項目", "Item"), _t("内容", "Details")), rows, _widths(40))


def _widths(*parts: float) -> list[float]:
    """Column widths in millimetres; the last column takes what is left of the frame."""
    return [p * mm for p in parts] + [WIDTH - sum(parts) * mm]


# --- sections --------------------------------------------------------------------------------
def _consent(report: CaseReport) -> list[Any]:
    c = report.consent
    who = _label(ConsentSubject, c.subject)
    if c.proxy_name:
        who += f"（{escape(c.proxy_name)}、{escape(c.proxy_relation)}）"
    left_out = []
    if not report.includes_contact:
        left_out.append(_t("現住所・電話番号", "current address and phone numbers"))
    if not report.includes_sensitive:
        left_out.append(_t("既往歴・障害", "medical and disability notes"))
    rows = [
        (
            _t("同意日・方法", "Given on, how"),
            f"{_day(c.consented_on)}　{_label(ConsentMethod, c.method)}",
        ),
        (_t("同意者", "Given by"), who),
        (_t("利用目的", "Purposes"), _labels(ConsentPurpose, c.purposes)),
        (_t("提供先", "Recipients"), _labels(ConsentRecipient, c.recipients)),
        (_t("情報の種類", "Data categories"), _labels(DataCategory, c.data_categories)),
        (
            _t("有効期限", "Valid until"),
            _day(c.expires_on) if c.expires_on else _t("定めなし", "open"),
        ),
        (
            _t("記載しない情報", "Left out"),
            _t(
                f"{'、'.join(left_out)}（同意の範囲外）",
                f"{', '.join(left_out)} (not covered by the consent)",
            )
            if left_out
            else _t("なし", "nothing"),
        ),
    ]
    return [paragraph(_t("同意の範囲", "Consent"), "h2"), _key_values(rows)]


def _household(report: CaseReport) -> list[Any]:
    status = _label(HouseholdStatus, report.status)
    if report.closed_on:
        status += f"（{_day(report.closed_on)}）"
    origin = " ".join(p for p in (report.origin_municipality, escape(report.origin_address)) if p)
    hidden = _t("（同意の範囲外）", "(not covered by the consent)")
    if report.current_address is not None:
        postal = f"〒{format_postal(report.postal_code)} " if report.postal_code else ""
        current = " ".join(
            p for p in (report.current_municipality, postal + escape(report.current_address)) if p
        )
    else:
        current = f"{report.current_municipality} {hidden}".strip()
    if report.phone is not None:
        phones = (
            [f"{format_phone(report.phone)}（{_t('世帯', 'household')}）"] if report.phone else []
        )
        phones += [
            f"{format_phone(m.phone)}（{escape(m.name)}）" for m in report.members if m.phone
        ]
        phone = "、".join(phones) or NONE
    else:
        phone = hidden
    rows = [
        (_t("世帯番号", "Case number"), escape(report.case_number)),
        (_t("災害", "Disaster"), escape(report.event_name)),
        (_t("支援の状態", "Status"), status),
        (_t("登録日", "Registered"), _day(report.registered_on)),
        (_t("避難形態", "Evacuation status"), _label(EvacuationStatus, report.evacuation_status)),
        (_t("避難元", "Came from"), origin or NONE),
        (_t("現在の住まい", "Lives now"), current.strip() or NONE),
        (_t("電話番号", "Phone"), phone),
    ]
    return [paragraph(_t("世帯", "Household"), "h2"), _key_values(rows)]


def _members(report: CaseReport) -> list[Any]:
    rows = []
    for m in report.members:
        name = f"<font size=6.5 color='#555555'>{escape(m.kana)}</font><br/>{escape(m.name)}"
        born = NONE
        if m.birth_date:
            age = _t(f"（{m.age}歳）", f" (age {m.age})")
            born = f"{format_wareki(m.birth_date)}<br/>{_day(m.birth_date)}{age}"
        care = _label(CareLevel, m.care_level)
        if m.needs_wheelchair:
            care += _t("<br/>車椅子", "<br/>wheelchair")
        allergens = "・".join(escape(a) for a in m.allergens)
        rows.append(
            (
                name,
                f"{_label(Relation, m.relation)}<br/>{_label(Sex, m.sex)}",
                born,
                care,
                f"<font color='#c00000'>{allergens}</font>" if allergens else NONE,
                _text(m.dietary_needs),
            )
        )
    headers = (
        _t("氏名", "Name"),
        _t("続柄・性別", "Relation, sex"),
        _t("生年月日", "Born"),
        _t("要介護度", "Care level"),
        _t("アレルギー", "Allergies"),
        _t("食事の配慮", "Dietary needs"),
    )
    story: list[Any] = [
        paragraph(_t("世帯員", "Members"), "h2"),
        table(headers, rows, _widths(32, 20, 38, 20, 28)),
    ]
    if report.includes_sensitive:
        notes = [
            (escape(m.name), _text(m.medical_notes)) for m in report.members if m.medical_notes
        ]
        story.append(
            paragraph(
                _t("既往歴・障害（要配慮個人情報）", "Medical and disability notes (sensitive)"),
                "h2",
            )
        )
        if notes:
            story.append(table((_t("氏名", "Name"), _t("内容", "Notes")), notes, _widths(40)))
        else:
            story.append(paragraph(_t("記録はありません。", "None recorded.")))
    else:
        story.append(Spacer(1, 2 * mm))
        story.append(
            paragraph(
                _t(
                    "既往歴・障害は、同意に「要配慮個人情報」が含まれないため記載していません。",
                    "Medical and disability notes are left out: the consent does not cover "
                    "sensitive data.",
                ),
                "note",
            )
        )
    return story


def _residences(report: CaseReport) -> list[Any]:
    hidden = _t("（同意の範囲外）", "(not covered)")
    rows = [
        (
            _day(r.moved_on),
            _label(EvacuationStatus, r.evacuation_status),
            r.municipality or NONE,
            _text(r.place) if r.place is not None else hidden,
        )
        for r in report.residences
    ]
    headers = (
        _t("転居日", "Moved on"),
        _t("避難形態", "Status"),
        _t("市町", "Municipality"),
        _t("場所", "Place"),
    )
    return [
        paragraph(_t("住まいの経過", "Residence history"), "h2"),
        table(headers, rows, _widths(24, 42, 26)) if rows else paragraph(NONE),
    ]


def _assignments(report: CaseReport) -> list[Any]:
    rows = [
        (
            escape(a.venue),
            _day(a.start_on),
            _day(a.end_on),
            _label(AssignmentStatus, a.status),
            _text(a.reason),
        )
        for a in report.assignments
    ]
    headers = (
        _t("会場", "Venue"),
        _t("開始", "From"),
        _t("終了", "To"),
        _t("状態", "Status"),
        _t("理由", "Reason"),
    )
    return [
        paragraph(_t("居場所（会場）の利用", "Community places"), "h2"),
        table(headers, rows, _widths(50, 22, 22, 16))
        if rows
        else paragraph(_t("利用の記録はありません。", "No venue assigned so far.")),
    ]


def _visits(report: CaseReport) -> list[Any]:
    rows = [
        (
            _day(v.visited_on),
            _label(VisitKind, v.kind),
            escape(v.staff) or NONE,
            _t(f"{v.duration_minutes}分", f"{v.duration_minutes} min")
            if v.duration_minutes
            else NONE,
            _text(v.summary),
            _label(Referral, v.referral) if v.referral else NONE,
        )
        for v in report.visits
    ]
    headers = (
        _t("日付", "Date"),
        _t("種類", "Kind"),
        _t("担当", "Staff"),
        _t("時間", "Length"),
        _t("内容", "Summary"),
        _t("紹介先", "Referred to"),
    )
    heading = _t("最近の訪問・連絡", "Recent visits")
    if rows:
        heading += _t(f"（最新{len(rows)}件）", f" (latest {len(rows)})")
    return [
        paragraph(heading, "h2"),
        table(headers, rows, _widths(22, 22, 20, 14, 70))
        if rows
        else paragraph(_t("訪問の記録はありません。", "No visits recorded.")),
    ]


def _score(value: int | None) -> str:
    return NONE if value is None else str(value)


def _trend_chart(name: str, points: Sequence[CheckInPoint], cutoffs: Cutoffs) -> Drawing:
    """K6 and UCLA-3 of one person over time, with K6's national indicator as a dashed line."""
    width, height = WIDTH, 52 * mm
    drawing = Drawing(width, height)
    drawing.initialFontName = FONT  # no stray (non-embedded) Helvetica from the renderer
    first = points[0].checked_on.toordinal()
    last = points[-1].checked_on.toordinal()
    pad = max(3, (last - first) // 20)
    series = [
        (
            K6_COLOR,
            "K6（0〜24）",
            [(p.checked_on.toordinal(), p.k6) for p in points if p.k6 is not None],
        ),
        (
            UCLA_COLOR,
            _t("UCLA孤独感（3〜12）", "UCLA-3 (3–12)"),
            [(p.checked_on.toordinal(), p.ucla3) for p in points if p.ucla3 is not None],
        ),
    ]
    series = [s for s in series if s[2]]
    plot = LinePlot()
    plot.x, plot.y = 12 * mm, 9 * mm
    plot.width, plot.height = width - 62 * mm, height - 16 * mm
    plot.data = [s[2] for s in series]
    for i, (color, _, _) in enumerate(series):
        plot.lines[i].strokeColor = color
        plot.lines[i].strokeWidth = 1.2
        plot.lines[i].symbol = makeMarker(
            "FilledCircle", size=3.5, fillColor=color, strokeColor=color
        )
    plot.xValueAxis.valueMin = first - pad
    plot.xValueAxis.valueMax = last + pad
    days = sorted({p.checked_on.toordinal() for p in points})
    step = max(1, len(days) // 7 + (len(days) % 7 > 0))
    plot.xValueAxis.valueSteps = days[::step]
    plot.xValueAxis.labelTextFormat = lambda v: f"{date.fromordinal(round(v)):%m/%d}"
    plot.yValueAxis.valueMin, plot.yValueAxis.valueMax, plot.yValueAxis.valueStep = 0, 24, 4
    for axis in (plot.xValueAxis, plot.yValueAxis):
        axis.labels.fontName = FONT
        axis.labels.fontSize = 7
    plot.yValueAxis.visibleGrid = True
    plot.yValueAxis.gridStrokeColor = colors.HexColor("#e0e0e0")
    drawing.add(plot)
    # the line where a K6 total starts to be followed up (the check-in form's bands)
    followed = next(b for b in cutoffs.bands(K6) if b.follow_up)
    indicator = followed.low
    y = plot.y + plot.height * indicator / 24
    drawing.add(
        Line(
            plot.x,
            y,
            plot.x + plot.width,
            y,
            strokeColor=K6_COLOR,
            strokeWidth=0.6,
            strokeDashArray=[3, 2],
        )
    )
    drawing.add(
        String(
            plot.x + plot.width + 2,
            y - 2.5,
            _t(f"K6 {indicator}点以上", f"K6 ≥ {indicator}"),
            fontName=FONT,
            fontSize=6.5,
            fillColor=K6_COLOR,
        )
    )
    drawing.add(String(plot.x, height - 4 * mm, escape(name), fontName=FONT, fontSize=8.5))
    legend = Legend()
    legend.x, legend.y = width - 38 * mm, height - 10 * mm
    legend.fontName, legend.fontSize = FONT, 7
    legend.alignment = "right"
    legend.colorNamePairs = [(color, text) for color, text, _ in series]
    drawing.add(legend)
    return drawing


def _checkins(report: CaseReport, cutoffs: Cutoffs = DEFAULT_CUTOFFS) -> list[Any]:
    story: list[Any] = [paragraph(_t("心の健康チェックの推移", "Wellbeing check-ins"), "h2")]
    points = report.checkins
    if not points:
        return [*story, paragraph(_t("チェックインの記録はありません。", "No check-ins recorded."))]
    shown = points[-CHECKIN_ROWS:]
    if len(points) > len(shown):
        story.append(
            paragraph(
                _t(
                    f"全{len(points)}件のうち最新{len(shown)}件",
                    f"Latest {len(shown)} of {len(points)}",
                ),
                "note",
            )
        )
    rows = [
        (_day(p.checked_on), escape(p.member), _score(p.loneliness), _score(p.ucla3), _score(p.k6))
        for p in shown
    ]
    headers = (
        _t("日付", "Date"),
        _t("世帯員", "Member"),
        _t("孤独感（1〜5）", "Loneliness (1–5)"),
        _t("UCLA孤独感（3〜12）", "UCLA-3 (3–12)"),
        _t("K6（0〜24）", "K6 (0–24)"),
    )
    story.append(table(headers, rows, _widths(26, 45, 32, 36), numeric=(2, 3, 4)))
    story.append(paragraph(_bands_note(cutoffs), "note"))
    by_member: dict[uuid.UUID, list[CheckInPoint]] = {}
    for p in points:
        if p.k6 is not None or p.ucla3 is not None:
            by_member.setdefault(p.member_id, []).append(p)
    for member_points in by_member.values():
        story += [
            Spacer(1, 3 * mm),
            _trend_chart(member_points[-1].member, member_points, cutoffs),
        ]
    return story


def _bands_note(cutoffs: Cutoffs) -> str:
    """How the totals are read: the bands of the check-in form, word for word."""
    lang = current_language()
    lines = []
    for instrument in (LONELINESS_DIRECT, UCLA3, K6):
        name = instrument.short_ja if lang == "ja" else instrument.short_en
        bands = "／".join(
            cutoffs.band_text(instrument, band, lang) + ("＊" if band.follow_up else "")
            for band in cutoffs.bands(instrument)
        )
        lines.append(f"{escape(name)}：{escape(bands)}")
    lines.append(_t("＊フォローアップの対象", "* followed up"))
    return "<br/>".join(lines)


def _followups(report: CaseReport) -> list[Any]:
    rows = [
        (
            _day(f.due_on)
            + (
                _t(
                    "<br/><font color='#c00000'>期限超過</font>",
                    "<br/><font color='#c00000'>overdue</font>",
                )
                if f.due_on < report.today
                else ""
            ),
            _text(f.reason),
            escape(f.owner) or NONE,
            _label(FollowUpSource, f.source),
        )
        for f in report.followups
    ]
    headers = (_t("期限", "Due"), _t("内容", "What"), _t("担当", "Owner"), _t("きっかけ", "Source"))
    return [
        paragraph(_t("未対応のフォローアップ", "Open follow-ups"), "h2"),
        table(headers, rows, _widths(24, 101, 25))
        if rows
        else paragraph(_t("未対応のものはありません。", "Nothing open.")),
    ]


@gate(Permission.PERSONAL_REPORTS)
def make_case_summary(
    db: Database,
    household_id: uuid.UUID,
    *,
    organisation: str = "",
    today: date | None = None,
    recipient: str | None = None,
    risk: RiskSettings | None = None,
    target: Target,
) -> None:
    """Write the case summary of one household to ``target``; ``risk`` gives the instruments'
    cut-offs as the team set them (the check-in form's bands).

    Raises ``EvacError("report.no_consent")`` (writing nothing) unless the household's current
    consent is valid on ``today`` and covers referral (and ``recipient``, when one is named).
    """
    register_fonts()
    report = load_case_report(db, household_id, today=today, recipient=recipient)
    title = _t("ケース概要（紹介・引き継ぎ用）", "Case summary (referral and handover)")
    story: list[Any] = [
        paragraph(f"{title}　{escape(report.case_number)}", "title"),
        paragraph(
            _t(
                f"{report.today.isoformat()}（{format_wareki(report.today)}）現在。"
                "同意の範囲内の情報のみを記載しています。紹介先での支援の目的以外に使わないでください。",
                f"As of {report.today.isoformat()}. Holds only what the consent covers; use it "
                "only to support this household.",
            ),
            "note",
        ),
    ]
    cutoffs = (risk or RiskSettings()).cutoffs()
    for section in (
        _consent,
        _household,
        _members,
        _residences,
        _assignments,
        _visits,
        functools.partial(_checkins, cutoffs=cutoffs),
        _followups,
    ):
        # A heading never stays alone at the foot of a page; long sections still split.
        story.append(KeepTogether(section(report)))
    meta = ReportMeta(f"{title}　{report.case_number}", organisation, personal=True)
    save_pdf(target, pdf_bytes(meta, story))
