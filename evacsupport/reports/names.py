"""The file name each report and export is offered under, from what it is about.

A folder of ``monthly-20261203.pdf`` files says when each was made, not which month or grouping
it reports; the name says the subject instead (``月次報告_2026-11_避難元市町別.pdf``), so the
right file is found and sent. Names carry case numbers and venue names but never a person's
name: a file name shows in mail attachments, recent-file lists and backups.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date

from evacsupport.i18n import current_language

# Characters no file system of the three platforms accepts in a name, and control characters.
_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f]+')
MAX_PART = 40


def _t(ja: str, en: str) -> str:
    return ja if current_language() == "ja" else en


def safe_part(text: str) -> str:
    """``text`` as one part of a file name: no separators or reserved characters, spaces as
    ``-``, at most :data:`MAX_PART` characters (a venue's long name)."""
    cleaned = _UNSAFE.sub("-", unicodedata.normalize("NFC", text)).strip(" .-")
    cleaned = re.sub(r"[\s-]+", "-", cleaned)
    return cleaned[:MAX_PART].rstrip(" .-") or "-"


def _join(*parts: str, suffix: str) -> str:
    return "_".join(safe_part(p) for p in parts if p) + suffix


def _grouping(by: str) -> str:
    return _t("避難先市町別", "by-host") if by == "host" else _t("避難元市町別", "by-origin")


def monthly_name(month: date, by: str) -> str:
    """月次報告_2026-11_避難元市町別.pdf"""
    return _join(_t("月次報告", "monthly-report"), f"{month:%Y-%m}", _grouping(by), suffix=".pdf")


def venue_activity_name(venue: str, start: date, end: date) -> str:
    """会場活動報告_こども食堂ひだまり_2026-11-01〜2026-11-30.pdf"""
    period = f"{start:%Y-%m-%d}{_t('〜', '_to_')}{end:%Y-%m-%d}"
    return _join(_t("会場活動報告", "venue-activity"), venue, period, suffix=".pdf")


def case_summary_name(case_number: str, today: date) -> str:
    """ケース概要_N24-000123_2026-12-03.pdf (the date: a summary is as of the day it is made)."""
    return _join(_t("ケース概要", "case-summary"), case_number, f"{today:%Y-%m-%d}", suffix=".pdf")


def cards_name(case_numbers: list[str], today: date) -> str:
    """世帯カード_N24-000123.pdf for one household, 世帯カード_3世帯_2026-12-03.pdf for a few,
    世帯カード_支援中の全世帯_2026-12-03.pdf for every active one (no case number given)."""
    if len(case_numbers) == 1:
        return _join(_t("世帯カード", "id-cards"), case_numbers[0], suffix=".pdf")
    who = (
        _t(f"{len(case_numbers)}世帯", f"{len(case_numbers)}-households")
        if case_numbers
        else _t("支援中の全世帯", "all-active")
    )
    return _join(_t("世帯カード", "id-cards"), who, f"{today:%Y-%m-%d}", suffix=".pdf")


def roster_name(venue: str, served_on: date) -> str:
    """名簿_こども食堂ひだまり_2026-12-03.pdf"""
    return _join(_t("名簿", "roster"), venue, f"{served_on:%Y-%m-%d}", suffix=".pdf")


EXPORT_TITLES = {
    "households": ("世帯一覧", "households"),
    "members": ("世帯員一覧", "members"),
    "meals": ("食事記録", "meals"),
}


def export_name(table: str, fmt: str, today: date) -> str:
    """世帯一覧_2026-12-03.xlsx: an export is the state of one day."""
    ja, en = EXPORT_TITLES.get(table, (table, table))
    return _join(_t(ja, en), f"{today:%Y-%m-%d}", suffix=f".{fmt}")
