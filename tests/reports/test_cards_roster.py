"""Household ID cards and the venue roster sheet: what is printed, what the QR codes hold, fonts.

The QR codes are checked the way a counter scanner would see them: the page is rendered with
pdftoppm and decoded with zxing-cpp; each code must hold its own case number and nothing else.
"""

from __future__ import annotations

import re
import subprocess
import uuid
from collections.abc import Iterator
from datetime import date
from io import BytesIO
from pathlib import Path
from typing import Any, cast

import pytest
import zxingcpp
from PIL import Image
from pypdf import PdfReader
from pypdf.generic import DictionaryObject

from evacsupport.config import sqlite_url
from evacsupport.db import Database
from evacsupport.db.models import Assignment
from evacsupport.errors import NotFound
from evacsupport.reports.cards import CARD_H, CARD_W, COLUMNS, PER_SHEET, ROWS, make_id_cards
from evacsupport.reports.roster import make_roster
from evacsupport.services.households import HouseholdService
from evacsupport.services.venues import VenueInput, VenueService
from tests.factories import household, member

TODAY = date(2024, 6, 30)
DPI = 150  # decodes every code on the page reliably, in about half a second
MM_PER_INCH = 25.4
PT_PER_MM = 72 / MM_PER_INCH
A4_MM = (210.0, 297.0)

NAMES = [
    ("山田", "花子", "やまだ", "はなこ"),
    ("髙橋", "一郎", "たかはし", "いちろう"),
    ("佐々木", "美智子", "ささき", "みちこ"),
    ("中村", "健", "なかむら", "けん"),
    ("小林", "さくら", "こばやし", "さくら"),
    ("加藤", "誠", "かとう", "まこと"),
    ("吉田", "和子", "よしだ", "かずこ"),
    ("山本", "大輔", "やまもと", "だいすけ"),
    ("松本", "優子", "まつもと", "ゆうこ"),
]


# --- helpers ---------------------------------------------------------------------------------
def pdf_text(data: bytes) -> str:
    """All text of the PDF with white space removed (extraction spacing varies)."""
    reader = PdfReader(BytesIO(data))
    return re.sub(r"\s+", "", "".join(page.extract_text() for page in reader.pages))


def page_texts(data: bytes) -> list[str]:
    return [re.sub(r"\s+", "", p.extract_text()) for p in PdfReader(BytesIO(data)).pages]


def embedded_fonts(data: bytes) -> list[str]:
    """Every font used on every page (forms included); fails unless each is an embedded
    TrueType subset of IPAexGothic. Returns the fonts' names."""
    names: list[str] = []

    def entries(resources: DictionaryObject, key: str) -> list[DictionaryObject]:
        found = resources.get(key)
        values = found.get_object().values() if found is not None else []  # type: ignore[attr-defined]
        return [cast(DictionaryObject, v.get_object()) for v in values]

    def visit(resources: Any) -> None:
        if not resources:
            return
        resources = cast(DictionaryObject, resources.get_object())
        for font in entries(resources, "/Font"):
            name = str(font["/BaseFont"])
            assert str(font["/Subtype"]) == "/TrueType", name
            assert re.fullmatch(r"/[A-Z]{6}\+IPAexGothic", name), name
            assert "/FontFile2" in font["/FontDescriptor"].get_object(), name  # type: ignore[operator]
            names.append(name)
        for xobject in entries(resources, "/XObject"):  # forms have resources of their own
            visit(xobject.get("/Resources"))

    for page in PdfReader(BytesIO(data)).pages:
        visit(page.get("/Resources"))
    assert names
    return names


def decode_page(pdf: Path, page: int, tmp_path: Path) -> list[tuple[str, float, float, float]]:
    """The QR codes on one page as (text, centre x mm, centre y mm from the top, width mm)."""
    prefix = tmp_path / f"{pdf.stem}-p{page}"
    pages = ["-f", str(page), "-l", str(page), "-singlefile"]
    subprocess.run(["pdftoppm", "-png", "-r", str(DPI), *pages, str(pdf), str(prefix)], check=True)
    found = []
    with Image.open(prefix.with_suffix(".png")) as image:
        for result in zxingcpp.read_barcodes(image):
            assert result.format == zxingcpp.BarcodeFormat.QRCode
            p = result.position
            xs = [p.top_left.x, p.top_right.x, p.bottom_left.x, p.bottom_right.x]
            ys = [p.top_left.y, p.top_right.y, p.bottom_left.y, p.bottom_right.y]
            to_mm = MM_PER_INCH / DPI
            found.append(
                (
                    result.text,
                    sum(xs) / 4 * to_mm,
                    sum(ys) / 4 * to_mm,
                    (max(xs) - min(xs)) * to_mm,
                )
            )
    return found


# --- data ------------------------------------------------------------------------------------
class Data:
    venue_id: uuid.UUID  # the venue with a roster

    def __init__(self, db: Database) -> None:
        self.db = db
        self.households = HouseholdService(db)
        self.cases: dict[str, uuid.UUID] = {}  # case number → household id
        self.heads: dict[str, str] = {}  # case number → head's name

    def add(self, case_number: str, names: tuple[str, str, str, str], **kw: Any) -> uuid.UUID:
        family, given, family_kana, given_kana = names
        members = kw.pop(
            "members",
            [
                member(
                    family_name=family,
                    given_name=given,
                    family_kana=family_kana,
                    given_kana=given_kana,
                )
            ],
        )
        created = self.households.create(household(case_number=case_number, members=members, **kw))
        self.cases[case_number] = created.id
        self.heads[case_number] = f"{family}{given}"
        return created.id


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Data]:
    """Nine active households (created out of case-number order), one closed, and a venue
    roster of three, one with a family of four (a child, allergies)."""
    db = Database(sqlite_url(tmp_path_factory.mktemp("reports") / "cards.sqlite3"))
    d = Data(db)
    order = [5, 2, 9, 1, 7, 3, 8, 4, 6]  # creation order differs from case-number order
    for n in order:
        d.add(f"N24-{n:06d}", NAMES[n - 1])
    closed = d.add("N24-000010", ("閉田", "終", "とじた", "おわり"))
    d.households.close(closed, "2024-06-01")
    family, given, fk, gk = "能登", "太郎", "のと", "たろう"
    d.add(
        "N24-000011",
        (family, given, fk, gk),
        members=[
            member(family_name=family, given_name=given, family_kana=fk, given_kana=gk),
            member(
                family_name=family,
                given_name="春",
                family_kana=fk,
                given_kana="はる",
                relation="spouse",
                allergens="えび",
            ),
            member(
                family_name=family,
                given_name="翔太",
                family_kana=fk,
                given_kana="しょうた",
                relation="child",
                birth_date="2015-04-01",
                allergens="卵、小麦",
            ),
            member(
                family_name=family,
                given_name="夏",
                family_kana=fk,
                given_kana="なつ",
                relation="child",
                birth_date="2018-08-08",
            ),
        ],
    )
    venue = VenueService(db).create(VenueInput(name="こども食堂かなざわ", capacity=30))
    d.venue_id = venue.id
    with db.session() as s:
        for case in ("N24-000011", "N24-000003", "N24-000007"):
            s.add(
                Assignment(household_id=d.cases[case], venue_id=venue.id, start_on=date(2024, 3, 1))
            )
        # ended before the session day: not on the roster
        s.add(
            Assignment(
                household_id=d.cases["N24-000001"],
                venue_id=venue.id,
                start_on=date(2024, 3, 1),
                end_on=date(2024, 6, 1),
                status="ended",
            )
        )
    yield d
    db.close()


# --- cards -----------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def all_cards(data: Data, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, int]:
    path = tmp_path_factory.mktemp("cards") / "cards.pdf"
    count = make_id_cards(data.db, None, organisation="NPO法人テスト", target=path)
    return path, count


def active_cases(data: Data) -> list[str]:
    return sorted(c for c in data.cases if c != "N24-000010")


def test_cards_one_per_active_household(data: Data, all_cards: tuple[Path, int]) -> None:
    path, count = all_cards
    assert count == len(active_cases(data)) == 10
    pages = page_texts(path.read_bytes())
    assert len(pages) == 2  # eight to a sheet
    text = "".join(pages)
    for case in active_cases(data):
        assert text.count(case) == 1
        assert data.heads[case] in text
    assert "N24-000010" not in text and "閉田" not in text  # closed: no card
    assert "NPO法人テスト" in text
    assert "ヤマダハナコ" in text  # furigana, as stored (katakana)
    assert "取扱注意" in text  # the confidentiality footer
    assert "1/2ページ" in text and "作成日時" in text


def test_card_qr_codes_hold_their_case_number_only(
    data: Data, all_cards: tuple[Path, int], tmp_path: Path
) -> None:
    path, _ = all_cards
    cases = active_cases(data)
    left = (A4_MM[0] - COLUMNS * CARD_W / PT_PER_MM) / 2
    top = (A4_MM[1] - ROWS * CARD_H / PT_PER_MM) / 2
    for page in (1, 2):
        found = decode_page(path, page, tmp_path)
        expected = cases[(page - 1) * PER_SHEET : page * PER_SHEET]
        assert len(found) == len(expected)
        for text, x, y, width in found:
            # the card the code sits on, from where it was found on the sheet
            column = int((x - left) // (CARD_W / PT_PER_MM))
            row = int((y - top) // (CARD_H / PT_PER_MM))
            assert text == expected[row * COLUMNS + column]
            assert width >= 20  # mm: large enough for any scanner


def test_cards_for_chosen_households_in_the_order_given(data: Data, tmp_path: Path) -> None:
    chosen = ["N24-000009", "N24-000002", "N24-000009"]  # a repeat prints once
    buffer = BytesIO()
    count = make_id_cards(data.db, [data.cases[c] for c in chosen], target=buffer)
    assert count == 2
    text = pdf_text(buffer.getvalue())
    assert text.index("N24-000009") < text.index("N24-000002")
    assert "N24-000001" not in text
    pdf = tmp_path / "two.pdf"
    pdf.write_bytes(buffer.getvalue())
    found = sorted(decode_page(pdf, 1, tmp_path), key=lambda f: f[1])  # left to right
    assert [text for text, *_ in found] == ["N24-000009", "N24-000002"]


def test_cards_unknown_household_writes_nothing(data: Data, tmp_path: Path) -> None:
    target = tmp_path / "cards.pdf"
    with pytest.raises(NotFound):
        make_id_cards(data.db, [data.cases["N24-000001"], uuid.uuid4()], target=target)
    assert not target.exists()


def test_cards_with_nobody_to_print(data: Data) -> None:
    buffer = BytesIO()
    assert make_id_cards(data.db, [], target=buffer) == 0
    assert "対象の世帯がありません" in pdf_text(buffer.getvalue())


def test_cards_fonts_are_embedded_ipaex_subsets(all_cards: tuple[Path, int]) -> None:
    embedded_fonts(all_cards[0].read_bytes())


# --- roster ----------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def roster(data: Data, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, int]:
    path = tmp_path_factory.mktemp("roster") / "roster.pdf"
    count = make_roster(
        data.db,
        data.venue_id,
        TODAY,
        organisation="NPO法人テスト",
        target=path,
    )
    return path, count


def test_roster_lists_assigned_households_by_case_number(
    data: Data, roster: tuple[Path, int]
) -> None:
    path, count = roster
    assert count == 3
    text = pdf_text(path.read_bytes())
    positions = [text.index(c) for c in ("N24-000003", "N24-000007", "N24-000011")]
    assert positions == sorted(positions)
    assert "N24-000001" not in text  # assignment ended before the day
    assert "N24-000005" not in text  # not assigned here
    for name in ("能登太郎", "能登春", "能登翔太", "能登夏", "ノトショウタ"):
        assert name in text
    assert "こども食堂かなざわ" in text
    assert "会食" in text and "弁当" in text and "配食" in text and "パントリー" in text
    assert "名簿にない方" in text  # rows for unregistered guests
    assert "取扱注意" in text


def test_roster_shows_allergies_next_to_the_person(roster: tuple[Path, int]) -> None:
    text = pdf_text(roster[0].read_bytes())
    assert "アレルギー：えび" in text
    assert "アレルギー：小麦・卵" in text  # in the labelling standard's order


def test_roster_date_in_western_and_wareki(roster: tuple[Path, int]) -> None:
    text = pdf_text(roster[0].read_bytes())
    assert "2024年6月30日（日）" in text
    assert "令和6年6月30日" in text


def test_roster_qr_codes_decode_in_page_order(roster: tuple[Path, int], tmp_path: Path) -> None:
    found = decode_page(roster[0], 1, tmp_path)
    # top to bottom, the codes read in the counter's order
    assert [t for t, *_ in sorted(found, key=lambda f: f[2])] == [
        "N24-000003",
        "N24-000007",
        "N24-000011",
    ]
    assert all(width >= 20 for *_, width in found)


def test_roster_fonts_are_embedded_ipaex_subsets(roster: tuple[Path, int]) -> None:
    embedded_fonts(roster[0].read_bytes())


def test_empty_roster_still_has_guest_rows(data: Data) -> None:
    buffer = BytesIO()
    count = make_roster(data.db, data.venue_id, date(2024, 1, 1), target=buffer)
    assert count == 0
    text = pdf_text(buffer.getvalue())
    assert "割り当てられている世帯はありません" in text
    assert "名簿にない方" in text


def test_roster_unknown_venue(data: Data, tmp_path: Path) -> None:
    target = tmp_path / "roster.pdf"
    with pytest.raises(NotFound):
        make_roster(data.db, uuid.uuid4(), TODAY, target=target)
    assert not target.exists()
