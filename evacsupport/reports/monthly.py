"""Monthly municipal report: households supported, meals, visits, check-ins and follow-ups in one
month, by origin municipality (避難元) or by host municipality (避難先).

Aggregates only (no names, no case numbers), so the pages carry no confidentiality line. Every
count, totals and chart labels included, prints through one :class:`Counts` for the whole
report (:func:`evacsupport.reports.monthly_counts.monthly_counts`): 1 to 4 print as "<5", and
so do the counts that would let one be worked out from the totals, unless small-cell
suppression is switched off. The figures come from
:func:`evacsupport.services.reporting.monthly_figures`.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Hashable, Sequence
from datetime import date
from pathlib import Path
from typing import BinaryIO
from xml.sax.saxutils import escape

from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Spacer, Table, TableStyle

from evacsupport.db.engine import Database
from evacsupport.domain.codes import MealType, VisitKind, label
from evacsupport.domain.roles import counts_permission
from evacsupport.domain.wareki import era_of
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
    styles,
    suppression_note,
    table,
)
from evacsupport.reports.monthly_counts import (
    CHECKIN_FIELDS,
    FOLLOWUP_FIELDS,
    GUESTS,
    HOUSEHOLD_FIELDS,
    TOTAL,
    g,
    meal_group_key,
    monthly_counts,
    people_of,
    t,
    visit,
    w,
)
from evacsupport.services.authz import gate
from evacsupport.services.reporting import (
    MEAL_TYPES,
    VISIT_KINDS,
    GroupFigures,
    MonthlyFigures,
    monthly_figures,
)
from evacsupport.services.risk import RiskSettings

WIDTH = PAGE[0] - 2 * MARGIN
NAME_COL = 32 * mm
TOTAL_BACKGROUND = colors.HexColor("#e4e4e4")
SERIES_COLOURS = (colors.HexColor("#4a7ab0"), colors.HexColor("#e0a040"))
BAR_SUPPRESSED = colors.HexColor("#c8c8c8")
_MONTHS_EN = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def _t(ja: str, en: str) -> str:
    return ja if current_language() == "ja" else en


def month_title(month: date) -> str:
    """令和6年3月（2024年3月）, or March 2024 in English."""
    if current_language() != "ja":
        return f"{_MONTHS_EN[month.month - 1]} {month.year}"
    western = f"{month.year}年{month.month}月"
    era = era_of(month)
    if era is None:
        return western
    year = month.year - era.start.year + 1
    return f"{era.name}{'元' if year == 1 else year}年{month.month}月（{western}）"


def _grouping(by: str) -> str:
    if by == "host":
        return _t("避難先市町別", "by host municipality")
    return _t("避難元市町別", "by origin municipality")


def _meal_label(code: str) -> str:
    try:
        return label(MealType(code))
    except ValueError:
        return code


def _meal_head(code: str) -> str:
    """会食 over （人）; English labels one word a line (Food / pantry / (people))."""
    name = _meal_label(code)
    return _t(f"{name}\n（人）", "\n".join([*name.split(), "(people)"]))


def _visit_label(code: str) -> str:
    try:
        return label(VisitKind(code))
    except ValueError:
        return code


def _week_label(week: tuple[date, date]) -> str:
    """10/5〜11 (a week is clipped to the month, so both ends share it)."""
    first, last = week
    if first == last:
        return f"{first.month}/{first.day}"
    return f"{first.month}/{first.day}{_t('〜', '–')}{last.day}"


def _week_head(week: tuple[date, date]) -> str:
    """10/5〜 over 10/11: two short lines fit six week columns without a mid-number break."""
    first, last = week
    if first == last:
        return f"{first.month}/{first.day}"
    return f"{first.month}/{first.day}{_t('〜', '–')}<br/>{last.month}/{last.day}"


def _head(text: str) -> str:
    """A header cell: escaped, with its line breaks where the text says (not mid-word)."""
    return "<br/>".join(escape(part) for part in text.split("\n"))


@functools.cache
def _h3() -> ParagraphStyle:
    return ParagraphStyle(
        "h3", parent=styles()["h2"], fontSize=10.5, leading=15, spaceBefore=8, spaceAfter=3
    )


def _group_table(
    figures: MonthlyFigures,
    headers: Sequence[str],
    values: Callable[[GroupFigures], Sequence[str]],
    widths: Sequence[float],
    extra_rows: Sequence[Sequence[str]] = (),
) -> Table:
    """One row per municipality, then any extra rows, then the total row (shaded)."""
    rows = [[escape(g.name), *values(g)] for g in figures.groups]
    rows += [list(r) for r in extra_rows]
    rows.append([escape(figures.total.name), *values(figures.total)])
    result = table([_head(h) for h in headers], rows, widths, numeric=range(1, len(headers)))
    result.hAlign = "LEFT"
    result.setStyle(TableStyle([("BACKGROUND", (0, -1), (-1, -1), TOTAL_BACKGROUND)]))
    return result


def _even(count: int, first: float = NAME_COL, total: float = WIDTH) -> list[float]:
    return [first] + [(total - first) / count] * count


def _nice_top(value: int) -> tuple[int, int]:
    """An axis maximum and step (1, 2 or 5 times a power of ten) with about five steps."""
    value = max(value, SMALL_CELL)
    step, i = 1, 0
    while step * 5 < value:  # 1, 2, 5, 10, 20, 50, ...
        step = round(step * (2, 2.5, 2)[i % 3])
        i += 1
    top = -(-value // step) * step
    return top, step


def bar_chart(
    title: str,
    categories: Sequence[str],
    series: Sequence[tuple[str, Sequence[Hashable]]],
    n: Counts,
) -> Drawing:
    """Grouped bars of the counts under the keys of ``series``; a hidden count shows as a grey
    bar of height 5 labelled "<5", whatever its value (so its height tells nothing either)."""
    width, height = WIDTH, 62 * mm
    drawing = Drawing(width, height, initialFontName=FONT)  # else a stray Helvetica
    hidden = [[n.hidden(k) for k in keys] for _, keys in series]
    plotted = [
        [SMALL_CELL if h else n.value(k) for k, h in zip(keys, flags, strict=True)]
        for (_, keys), flags in zip(series, hidden, strict=True)
    ]
    top, step = _nice_top(max((v for row in plotted for v in row), default=0))
    chart = VerticalBarChart()
    chart.x, chart.y = 14 * mm, 10 * mm
    chart.width, chart.height = width - 18 * mm, height - 22 * mm
    chart.data = plotted
    chart.bars.strokeColor = None
    for i in range(len(series)):
        chart.bars[i].fillColor = SERIES_COLOURS[i % len(SERIES_COLOURS)]
        for j, h in enumerate(hidden[i]):
            if h:
                chart.bars[(i, j)].fillColor = BAR_SUPPRESSED
    chart.barSpacing = 1
    chart.groupSpacing = 10
    chart.valueAxis.valueMin = 0
    chart.valueAxis.valueMax = top * 1.1
    chart.valueAxis.valueStep = step
    chart.valueAxis.visibleGrid = True
    chart.valueAxis.gridStrokeColor = colors.HexColor("#e0e0e0")
    chart.valueAxis.labels.fontName = FONT
    chart.valueAxis.labels.fontSize = 7
    chart.valueAxis.labelTextFormat = lambda v: f"{round(v):,}"
    chart.categoryAxis.categoryNames = list(categories)
    chart.categoryAxis.labels.fontName = FONT
    chart.categoryAxis.labels.fontSize = 7.5
    chart.categoryAxis.labels.dy = -2
    chart.categoryAxis.tickDown = 2
    chart.barLabelFormat = "values"
    chart.barLabelArray = [[n.text(k) for k in keys] for _, keys in series]
    chart.barLabels.fontName = FONT
    chart.barLabels.fontSize = 6.5
    chart.barLabels.nudge = 5
    chart.barLabels.fillColor = colors.HexColor("#333333")
    drawing.add(chart)
    drawing.add(String(0, height - 8, title, fontName=FONT, fontSize=9))
    legend = Legend()
    legend.fontName = FONT
    legend.fontSize = 7.5
    legend.alignment = "right"
    legend.columnMaximum = 1
    legend.deltax = 60
    legend.dx = legend.dy = 7
    legend.x, legend.y = width - 8 * mm - 60 * (len(series) - 1) - 40, height - 4
    legend.colorNamePairs = [
        (SERIES_COLOURS[i % len(SERIES_COLOURS)], name) for i, (name, _) in enumerate(series)
    ]
    drawing.add(legend)
    if any(any(flags) for flags in hidden):
        drawing.add(
            String(
                width,
                1,
                _t(
                    f"灰色の棒は「{HIDDEN}」と表示した件数（高さは実数ではありません）",
                    f'Grey bars: counts shown as "{HIDDEN}" (not to scale)',
                ),
                fontName=FONT,
                fontSize=7,
                fillColor=colors.HexColor("#555555"),
                textAnchor="end",
            )
        )
    return drawing


# --- sections ------------------------------------------------------------------------------


def _section(heading: str, *body: Flowable) -> Flowable:
    # The heading moves with what follows; a table longer than a page still splits.
    return KeepTogether([paragraph(escape(heading), "h2"), *body])


def _note(text: str) -> Flowable:
    return paragraph(escape(text), "note")


def _households(figures: MonthlyFigures, n: Counts) -> Flowable:
    headers = [
        _t("市町", "Municipality"),
        _t("新規\n世帯", "New\nhouseholds"),
        _t("新規\n人数", "New\npeople"),
        _t("支援中\n世帯", "Active\nhouseholds"),
        _t("支援中\n人数", "Active\npeople"),
        _t("終了\n世帯", "Closed\nhouseholds"),
        _t("終了\n人数", "Closed\npeople"),
    ]
    return _section(
        _t("1. 支援世帯・人数（新規・支援中・終了）", "1. Households and people supported"),
        _group_table(
            figures,
            headers,
            lambda row: [n(g(row.code, field)) for field in HOUSEHOLD_FIELDS],
            _even(6),
        ),
        _note(
            _t(
                "新規：当月に登録した世帯。支援中：月末時点で支援中の世帯（月末までに登録）。"
                "終了：当月に支援を終了した世帯。人数は各世帯の現在の世帯員数。",
                "New: registered in the month. Active: being supported at month end (registered "
                "by then). Closed: support ended in the month. People are each household's "
                "current members.",
            )
        ),
    )


def _meals_by_type(figures: MonthlyFigures, n: Counts) -> list[Flowable]:
    headers = [
        _t("種別", "Meal type"),
        _t("提供件数", "Entries"),
        _t("避難世帯数", "Evacuee\nhouseholds"),
        _t("避難世帯の\n大人", "Evacuee\nadults"),
        _t("避難世帯の\n子ども", "Evacuee\nchildren"),
        _t("登録外の\n大人", "Guest\nadults"),
        _t("登録外の\n子ども", "Guest\nchildren"),
        _t("延べ人数\n計", "People,\ntotal"),
    ]
    columns: tuple[str, ...] = ("entries", "households", "ev_adults", "ev_children")
    columns += ("guest_adults", "guest_children", "people")
    rows = [[escape(_meal_label(m)), *(n(t(m, c)) for c in columns)] for m in MEAL_TYPES]
    # The total row's households are distinct households over all types: its own figure.
    total_row = [g(TOTAL, "meal_households") if c == "households" else t(TOTAL, c) for c in columns]
    rows.append([escape(_t("合計", "Total")), *(n(key) for key in total_row)])
    by_type = table(
        [_head(h) for h in headers],
        rows,
        [32 * mm] + [(WIDTH - 32 * mm) / 7] * 7,
        numeric=range(1, 8),
    )
    by_type.hAlign = "LEFT"
    by_type.setStyle(TableStyle([("BACKGROUND", (0, -1), (-1, -1), TOTAL_BACKGROUND)]))

    group_headers = [
        _t("市町", "Municipality"),
        *(_meal_head(m) for m in MEAL_TYPES),
        _t("延べ人数\n計", "People,\ntotal"),
        _t("提供件数", "Entries"),
        _t("世帯数", "Households"),
    ]
    group_fields = (*(people_of(m) for m in MEAL_TYPES), "meal_people", "meal_logs")
    guests_row = [
        escape(_t("登録外の利用者", "Unregistered guests")),
        *(n(g(GUESTS, f)) for f in group_fields),
        "—",
    ]

    def group_values(row: GroupFigures) -> list[str]:
        # The total row includes the guests: it is the meals-by-type table's figures.
        return [n(meal_group_key(row.code, f)) for f in (*group_fields, "meal_households")]

    by_group = _group_table(
        figures, group_headers, group_values, _even(7), [guests_row] if figures.guest_logs else ()
    )
    chart = bar_chart(
        _t("種別ごとの延べ人数（人）", "People served by meal type"),
        [_meal_label(m) for m in MEAL_TYPES],
        [
            (_t("大人", "Adults"), [t(m, "adults") for m in MEAL_TYPES]),
            (_t("子ども", "Children"), [t(m, "children") for m in MEAL_TYPES]),
        ],
        n,
    )
    return [
        _section(
            _t("2. 食事提供（種別×大人・子ども・世帯数）", "2. Meals by type"),
            by_type,
            _note(
                _t(
                    "提供件数は記録の件数（1世帯1回で1件）、延べ人数は提供した人数の合計です。"
                    "避難世帯数は当月に提供を受けた登録世帯の実数で、合計欄は種別の重複を除いて"
                    "います。登録外は世帯登録のない利用者（近隣の方など）です。",
                    "Entries are meal records (one household, one serving); people are the "
                    "number served, summed. Evacuee households are registered households served "
                    "in the month, each counted once (also across types in the total). Guests "
                    "are people with no registered household (neighbours and others).",
                )
            ),
        ),
        Spacer(1, 3 * mm),
        chart,
        KeepTogether(
            [Paragraph(escape(_t("食事提供（市町別）", "Meals by municipality")), _h3()), by_group]
        ),
    ]


def _meals_by_week(figures: MonthlyFigures, n: Counts) -> list[Flowable]:
    weeks = [_week_label(week) for week in figures.weeks]
    venue_col, total_col = 46 * mm, 28 * mm
    week_col = (WIDTH - venue_col - total_col) / len(weeks)
    columns: list[int | str] = [*range(len(weeks)), TOTAL]

    def cell(venue: int | str, week: int | str) -> str:
        return f"{n(w(venue, week, 'meals'))} / {n(w(venue, week, 'people'))}"

    rows = [
        [escape(v.name), *(cell(vi, wi) for wi in columns)] for vi, v in enumerate(figures.venues)
    ]
    rows.append([escape(_t("合計", "Total")), *(cell(TOTAL, wi) for wi in columns)])
    grid = table(
        [
            escape(_t("会場", "Venue")),
            *(_week_head(week) for week in figures.weeks),
            escape(_t("月計", "Month")),
        ],
        rows,
        [venue_col] + [week_col] * len(weeks) + [total_col],
        numeric=range(1, len(weeks) + 2),
    )
    grid.hAlign = "LEFT"
    grid.setStyle(TableStyle([("BACKGROUND", (0, -1), (-1, -1), TOTAL_BACKGROUND)]))
    chart = bar_chart(
        _t("週ごとの食事提供", "Meals per week"),
        weeks,
        [
            (_t("提供件数", "Entries"), [w(TOTAL, wi, "meals") for wi in range(len(weeks))]),
            (_t("延べ人数", "People"), [w(TOTAL, wi, "people") for wi in range(len(weeks))]),
        ],
        n,
    )
    return [
        _section(
            _t("3. 会場別・週別の食事提供", "3. Meals by venue and week"),
            grid if figures.venues else _note(_t("食事の記録はありません。", "No meals logged.")),
            _note(
                _t(
                    "各欄は「提供件数 / 延べ人数」。週は月曜始まりで、月の初めと終わりの週は当月の"
                    "日のみを数えます。登録外の利用者を含みます。",
                    "Each cell: entries / people. Weeks start on Monday; the first and last "
                    "weeks count only the days in the month. Guests included.",
                )
            ),
        ),
        Spacer(1, 3 * mm),
        chart,
    ]


def _visits(figures: MonthlyFigures, n: Counts) -> Flowable:
    headers = [
        _t("市町", "Municipality"),
        *(_visit_label(k) for k in VISIT_KINDS),
        _t("計", "Total"),
    ]
    return _section(
        _t("4. 訪問・電話（種別）", "4. Visits and calls by kind"),
        _group_table(
            figures,
            headers,
            lambda row: [
                *(n(g(row.code, visit(k))) for k in VISIT_KINDS),
                n(g(row.code, "visit_total")),
            ],
            _even(len(VISIT_KINDS) + 1),
        ),
    )


def _checkins(figures: MonthlyFigures, n: Counts) -> Flowable:
    headers = [
        _t("市町", "Municipality"),
        _t("チェックイン\n（件）", "Check-ins"),
        _t("チェックイン\nした世帯", "Households\nchecked in"),
        _t("支援中の世帯\n（月末）", "Active at\nmonth end"),
        _t("要注意：高", "Risk: high"),
        _t("要注意：注意", "Risk: watch"),
        _t("該当なし", "No risk signal"),
    ]
    day = figures.as_of
    return _section(
        _t("5. チェックインと要注意の世帯（高・注意）", "5. Check-ins and households at risk"),
        _group_table(
            figures,
            headers,
            lambda row: [n(g(row.code, field)) for field in CHECKIN_FIELDS],
            _even(6),
        ),
        _note(
            _t(
                f"要注意の区分は{day.month}月{day.day}日時点の記録から、設定のしきい値"
                "（K6、孤独感、一人暮らしの高齢者の接触、食事の途絶、期限切れのフォローアップなど）"
                "で判定しています。",
                f"Risk levels are judged from the records as of {day.isoformat()} with the "
                "configured thresholds (K6, loneliness, contact with older people living alone, "
                "meals stopped, overdue follow-ups, and so on).",
            )
        ),
    )


def _followups(figures: MonthlyFigures, n: Counts) -> Flowable:
    headers = [
        _t("市町", "Municipality"),
        _t("作成", "Opened"),
        _t("完了", "Closed"),
    ]
    return _section(
        _t("6. フォローアップ（作成・完了）", "6. Follow-ups opened and closed"),
        _group_table(
            figures,
            headers,
            lambda row: [n(g(row.code, field)) for field in FOLLOWUP_FIELDS],
            [NAME_COL, 30 * mm, 30 * mm],
        ),
    )


def monthly_story(figures: MonthlyFigures, suppress_small: bool = True) -> list[Flowable]:
    n = monthly_counts(figures, suppress_small)
    month, end = figures.month, figures.month_end
    story: list[Flowable] = [
        paragraph(
            escape(
                _t(f"月次報告書　{month_title(month)}", f"Monthly report: {month_title(month)}")
            ),
            "title",
        ),
        paragraph(escape(_grouping(figures.by))),
        paragraph(
            escape(
                _t(
                    f"集計期間：{month.isoformat()} 〜 {end.isoformat()}",
                    f"Period: {month.isoformat()} to {end.isoformat()}",
                )
            ),
            "small",
        ),
    ]
    if figures.as_of < end:
        story.append(
            _note(
                _t(
                    f"月の途中のため、支援中・要注意は{figures.as_of.isoformat()}時点の値です。",
                    f"The month is not over: active and risk figures are as of "
                    f"{figures.as_of.isoformat()}.",
                )
            )
        )
    if suppress_small:
        story.append(_note(suppression_note()))
    if not figures.has_data:
        story += [
            Spacer(1, 6 * mm),
            paragraph(
                escape(
                    _t(
                        "この月のデータはありません。",
                        "There is no data for this month.",
                    )
                )
            ),
        ]
        return story
    story += [
        _households(figures, n),
        *_meals_by_type(figures, n),
        *_meals_by_week(figures, n),
        _visits(figures, n),
        _checkins(figures, n),
        _followups(figures, n),
    ]
    return story


@gate(lambda *_a, suppress_small=True, **_k: counts_permission(suppress_small))
def make_monthly_report(
    db: Database,
    month: date,
    *,
    by: str = "origin",
    suppress_small: bool = True,
    organisation: str = "",
    target: Path | BinaryIO,
    settings: RiskSettings | None = None,
    today: date | None = None,
) -> MonthlyFigures:
    """Write the monthly municipal report for ``month`` as a PDF; returns its figures."""
    figures = monthly_figures(db, month, by, settings, today=today)
    meta = ReportMeta(
        title=_t(
            f"月次報告書　{month_title(figures.month)}　{_grouping(by)}",
            f"Monthly report, {month_title(figures.month)}, {_grouping(by)}",
        ),
        organisation=organisation,
        personal=False,
    )
    build_pdf(target, meta, monthly_story(figures, suppress_small))
    return figures
