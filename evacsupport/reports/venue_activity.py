"""Venue activity report: what one community place did over a period, for its operator, the
NPO's board and funders.

Aggregates only (no names, no case numbers), so the pages carry no confidentiality line. Every
count prints through one :class:`Counts` for the report (:func:`venue_counts`): counts from 1
to 4 print as "<5", and so do those that would let one be worked out from the sums the report
prints (people = adults + children = the meal types' people = the sessions' people; the same
for meals, and guests over the sessions), in the tables and in the chart alike, unless
small-cell suppression is switched off. The figures come from
:func:`evacsupport.services.venue_report.venue_activity`, whose docstring defines sessions,
people, new and regular households.
"""

from __future__ import annotations

import uuid
from collections.abc import Hashable, Sequence
from datetime import date
from pathlib import Path
from typing import BinaryIO
from xml.sax.saxutils import escape

from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Flowable, Spacer, Table, TableStyle

from evacsupport.db.engine import Database
from evacsupport.domain.codes import MealType, VenueKind, label
from evacsupport.domain.roles import counts_permission
from evacsupport.domain.wareki import format_wareki
from evacsupport.i18n import current_language
from evacsupport.reports.base import (
    FONT,
    HIDDEN,
    MARGIN,
    PAGE,
    SMALL_CELL,
    Counts,
    ReportMeta,
    build_pdf,
    paragraph,
    register_fonts,
    suppression_note,
    table,
)
from evacsupport.services.authz import gate
from evacsupport.services.venue_report import (
    REGULAR_MIN_SESSIONS,
    VenueActivity,
    venue_activity,
)

WIDTH = PAGE[0] - 2 * MARGIN - 12  # the frame keeps 6 pt of padding on each side
BAR = colors.HexColor("#4a7ab0")
BAR_SUPPRESSED = colors.HexColor("#c8c8c8")
BAR_SLOT = 16 * mm  # widest room per bar
MAX_BAR_LABELS = 40  # more sessions than this: no value above each bar (they would overlap)
MAX_CATEGORY_LABELS = 16  # dates under the bars, thinned to about this many
TABLE_START_MIN = 60 * mm  # room a long per-session table needs to start on a page
_WEEKDAYS_JA = "月火水木金土日"


def _t(ja: str, en: str) -> str:
    return ja if current_language() == "ja" else en


def _day(d: date) -> str:
    weekday = _WEEKDAYS_JA[d.weekday()] if current_language() == "ja" else d.strftime("%a")
    return f"{d.isoformat()}（{weekday}）" if current_language() == "ja" else f"{d} ({weekday})"


def _period(start: date, end: date) -> str:
    if current_language() != "ja":
        return f"{start.isoformat()} – {end.isoformat()}"
    western = f"{start.isoformat()} 〜 {end.isoformat()}"
    return f"{western}（{format_wareki(start)}〜{format_wareki(end)}）"


def _kind_label(kind: str) -> str:
    try:
        return label(VenueKind(kind))
    except ValueError:
        return kind


def _type_label(code: str) -> str:
    try:
        return label(MealType(code))
    except ValueError:
        return code


SUMMARY = ("meals", "people", "adults", "children", "guests", "households", "new", "regular")
SESSION = ("meals", "people", "households", "guests")


def _day_key(day: date, field: str) -> Hashable:
    return ("day", day.isoformat(), field)


def venue_counts(activity: VenueActivity, suppress_small: bool = True) -> Counts:
    """Every count the report prints, and the sums a reader can check between them: the
    summary's people are its adults plus children, the meal types' people and the sessions'
    people; its meals are the types' and the sessions' meals; its guests the sessions' guests;
    where 0 households are printed, people are guests. (Households are counted once each over
    the period, so the sessions' households do not add up to them; sessions are days, not
    people, and print as they are.)"""
    counts = Counts(suppress_small)
    summary = (
        activity.meals,
        activity.people,
        activity.adults,
        activity.children,
        activity.guests,
        activity.households,
        activity.new_households,
        activity.regular_households,
    )
    for field, value in zip(SUMMARY, summary, strict=True):
        counts.add((field,), value)
    for kind in activity.by_type:
        counts.add(("type", kind.meal_type, "meals"), kind.meals)
        counts.add(("type", kind.meal_type, "people"), kind.people)
    for s in activity.per_session:
        for field in SESSION:
            counts.add(_day_key(s.day, field), getattr(s, field))
    counts.line(("people",), [("adults",), ("children",)])
    for field in ("meals", "people"):
        counts.line_if_exact((field,), [("type", k.meal_type, field) for k in activity.by_type])
    for field in ("meals", "people", "guests"):
        counts.line_if_exact((field,), [_day_key(s.day, field) for s in activity.per_session])
    # A printed 0 households says that everyone served was a guest: people = guests.
    if activity.households == 0:
        counts.line_if_exact(("people",), [("guests",)])
    for s in activity.per_session:
        if s.households == 0:
            counts.line_if_exact(_day_key(s.day, "people"), [_day_key(s.day, "guests")])
    return counts


def _summary(activity: VenueActivity, n: Counts) -> list[Flowable]:
    rows = [
        (_t("開催回数（食事のあった日）", "Sessions (days with meals)"), f"{activity.sessions:,}"),
        (_t("食事の件数", "Meals logged"), n(("meals",))),
        (_t("延べ人数", "People served (servings)"), n(("people",))),
        (_t("うち大人", "adults"), n(("adults",))),
        (_t("うち子ども", "children"), n(("children",))),
        (_t("うち登録外の利用者", "unregistered guests"), n(("guests",))),
        (_t("利用世帯数（実数）", "Households (unique)"), n(("households",))),
        (_t("うち新規の世帯", "new households"), n(("new",))),
        (
            _t(
                f"うち定期利用の世帯（{REGULAR_MIN_SESSIONS}回以上）",
                f"regular households ({REGULAR_MIN_SESSIONS}+ sessions)",
            ),
            n(("regular",)),
        ),
    ]
    summary = table([_t("項目", "Item"), _t("値", "Value")], rows, [62 * mm, 24 * mm], numeric=[1])
    # "Of which" rows are indented under their total (4-6 under people, 8-9 under households).
    summary.setStyle(TableStyle([("LEFTPADDING", (0, r), (0, r), 16) for r in (4, 5, 6, 8, 9)]))
    types = table(
        [_t("種別", "Meal type"), _t("件数", "Meals"), _t("延べ人数", "People")],
        [
            (_type_label(k.meal_type), *(n(("type", k.meal_type, f)) for f in ("meals", "people")))
            for k in activity.by_type
        ],
        [30 * mm, 20 * mm, 22 * mm],
        numeric=[1, 2],
    )
    side_by_side = Table([[summary, types]], colWidths=[96 * mm, 72 * mm], hAlign="LEFT")
    side_by_side.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), FONT),  # else a stray Helvetica
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
            ]
        )
    )
    return [side_by_side]


def _category_names(days: Sequence[date]) -> list[str]:
    step = max(1, -(-len(days) // MAX_CATEGORY_LABELS))  # ceiling division
    return [f"{d.month}/{d.day}" if i % step == 0 else "" for i, d in enumerate(days)]


def people_chart(activity: VenueActivity, n: Counts) -> Drawing:
    """Bars of people per session (the table's figures); a hidden count shows as a grey bar
    of height 5 labelled "<5", whatever its value."""
    register_fonts()
    width, height = WIDTH, 52 * mm
    drawing = Drawing(width, height, initialFontName=FONT)
    sessions = activity.per_session
    keys = [_day_key(s.day, "people") for s in sessions]
    values = [n.value(k) for k in keys]
    hidden = [n.hidden(k) for k in keys]
    plotted = [SMALL_CELL if h else v for v, h in zip(values, hidden, strict=True)]
    chart = VerticalBarChart()
    chart.x, chart.y = 12 * mm, 9 * mm
    # A few sessions get bars of a sensible width instead of blocks across the page.
    chart.width = min(width - 16 * mm, max(len(values), 1) * BAR_SLOT)
    chart.height = height - 17 * mm
    chart.data = [plotted]
    chart.bars.strokeColor = None
    chart.bars[0].fillColor = BAR
    for i, h in enumerate(hidden):
        if h:
            chart.bars[(0, i)].fillColor = BAR_SUPPRESSED
    chart.barSpacing = 1
    chart.groupSpacing = max(1.0, 8.0 - len(values) / 6)
    chart.valueAxis.valueMin = 0
    chart.valueAxis.valueMax = max([*plotted, SMALL_CELL]) * 1.15
    chart.valueAxis.visibleGrid = True
    chart.valueAxis.gridStrokeColor = colors.HexColor("#e0e0e0")
    chart.valueAxis.labels.fontName = FONT
    chart.valueAxis.labels.fontSize = 7
    chart.valueAxis.labelTextFormat = "%d"
    chart.valueAxis.forceZero = True
    chart.categoryAxis.categoryNames = _category_names([s.day for s in sessions])
    chart.categoryAxis.labels.fontName = FONT
    chart.categoryAxis.labels.fontSize = 7
    chart.categoryAxis.labels.dy = -2
    chart.categoryAxis.tickDown = 2
    if len(values) <= MAX_BAR_LABELS:
        chart.barLabelFormat = "values"
        chart.barLabelArray = [[n.text(k) for k in keys]]
        chart.barLabels.fontName = FONT
        chart.barLabels.fontSize = 6.5 if len(values) <= 20 else 5.5
        chart.barLabels.nudge = 5
        chart.barLabels.fillColor = colors.HexColor("#333333")
    drawing.add(chart)
    drawing.add(
        String(
            0,
            height - 5,
            _t("回ごとの延べ人数（人）", "People served per session"),
            fontName=FONT,
            fontSize=8.5,
        )
    )
    if any(hidden):
        drawing.add(
            String(
                width,
                height - 5,
                _t(
                    f"灰色の棒は「{HIDDEN}」と表示した人数（高さは実数ではありません）",
                    f'Grey bars: counts shown as "{HIDDEN}" (not to scale)',
                ),
                fontName=FONT,
                fontSize=7,
                fillColor=colors.HexColor("#555555"),
                textAnchor="end",
            )
        )
    return drawing


def _sessions_table(activity: VenueActivity, n: Counts) -> Flowable:
    rows = [
        (_day(s.day), *(n(_day_key(s.day, field)) for field in SESSION))
        for s in activity.per_session
    ]
    return table(
        [
            _t("日付", "Date"),
            _t("食事の件数", "Meals"),
            _t("延べ人数", "People"),
            _t("世帯数", "Households"),
            _t("うち登録外の利用者", "Guests"),
        ],
        rows,
        [WIDTH - 4 * 34 * mm, 34 * mm, 34 * mm, 34 * mm, 34 * mm],
        numeric=[1, 2, 3, 4],
    )


def _notes(on: bool) -> list[Flowable]:
    lines = [
        _t(
            "延べ人数は各回の人数の合計です（同じ人が3回来れば3人）。世帯数は登録世帯の実数で、"
            "登録外の利用者は含みません。",
            "People are servings summed over sessions (someone who came three times counts "
            "three times). Households are registered households counted once; guests are not "
            "included.",
        ),
        _t(
            "新規の世帯：この会場での初めての利用が期間内の世帯。定期利用の世帯：期間内に"
            f"{REGULAR_MIN_SESSIONS}回（{REGULAR_MIN_SESSIONS}日）以上利用した世帯。"
            "両方に当てはまる世帯もあります。",
            "New: the household's first meal at this venue fell within the period. Regular: "
            f"came on at least {REGULAR_MIN_SESSIONS} different days within the period. A "
            "household can be both.",
        ),
    ]
    if on:
        lines.append(suppression_note())
    return [paragraph(escape(line), "note") for line in lines]


def venue_activity_story(activity: VenueActivity, suppress_small: bool = True) -> list[Flowable]:
    n = venue_counts(activity, suppress_small)
    venue = escape(activity.venue_name)
    story: list[Flowable] = [
        paragraph(
            _t(f"{venue}　利用実績報告", f"{venue}: activity report"),
            "title",
        ),
        paragraph(
            _t(
                f"期間：{_period(activity.start, activity.end)}",
                f"Period: {_period(activity.start, activity.end)}",
            )
        ),
        paragraph(
            _t(
                f"種別：{escape(_kind_label(activity.venue_kind))}",
                f"Kind: {escape(_kind_label(activity.venue_kind))}",
            ),
            "small",
        ),
        paragraph(_t("概要", "Summary"), "h2"),
        *_summary(activity, n),
    ]
    if not activity.per_session:
        story += [
            Spacer(1, 4 * mm),
            paragraph(
                _t("この期間の利用記録はありません。", "No meals were logged in this period.")
            ),
        ]
    else:
        sessions = _sessions_table(activity, n)
        _, table_height = sessions.wrap(WIDTH, PAGE[1])
        # A short table goes whole to the next page rather than split; a long one starts here
        # when a few rows fit, and repeats its header on the following pages.
        story += [
            Spacer(1, 5 * mm),
            people_chart(activity, n),
            CondPageBreak(min(table_height, TABLE_START_MIN) + 12 * mm),
            paragraph(_t("回ごとの利用", "Per session"), "h2"),
            sessions,
        ]
    story += [Spacer(1, 4 * mm), *_notes(suppress_small)]
    return story


@gate(lambda *_a, suppress_small=True, **_k: counts_permission(suppress_small))
def make_venue_activity_report(
    db: Database,
    venue_id: uuid.UUID,
    start: date,
    end: date,
    *,
    organisation: str = "",
    suppress_small: bool = True,
    target: Path | BinaryIO,
) -> VenueActivity:
    """Write the venue's activity report for ``start``..``end`` as a PDF; returns its figures."""
    activity = venue_activity(db, venue_id, start, end)
    meta = ReportMeta(
        title=_t(
            f"会場別利用実績　{activity.venue_name}", f"Venue activity: {activity.venue_name}"
        ),
        organisation=organisation,
        personal=False,
    )
    build_pdf(target, meta, venue_activity_story(activity, suppress_small))
    return activity
