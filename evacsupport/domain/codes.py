"""Stable codes for the app's choice lists, with their Japanese and English labels.

The database stores the code (never the label), so renaming a label or switching language never
touches stored data, and imports can accept either the code, a label or one of the everyday
words listed for it in ``resources/data/vocabulary.json`` (:mod:`evacsupport.domain.vocabulary`).
"""

from __future__ import annotations

import functools
import re
from enum import StrEnum
from typing import TypeVar

from evacsupport.domain import vocabulary
from evacsupport.errors import InvalidValue
from evacsupport.i18n import current_language

E = TypeVar("E", bound=StrEnum)


class EvacuationStatus(StrEnum):
    SHELTER_1_5 = "shelter_1_5"
    HOTEL = "hotel"
    DEEMED_HOUSING = "deemed_housing"
    TEMPORARY_HOUSING = "temporary_housing"
    RELATIVES = "relatives"
    HOME = "home"
    OTHER = "other"


class HouseholdStatus(StrEnum):
    ACTIVE = "active"
    CLOSED = "closed"


class Sex(StrEnum):
    FEMALE = "female"
    MALE = "male"
    OTHER = "other"
    UNKNOWN = "unknown"


class Relation(StrEnum):
    HEAD = "head"
    SPOUSE = "spouse"
    CHILD = "child"
    PARENT = "parent"
    GRANDCHILD = "grandchild"
    GRANDPARENT = "grandparent"
    SIBLING = "sibling"
    CHILD_IN_LAW = "child_in_law"
    OTHER = "other"


class CareLevel(StrEnum):
    NONE = "none"
    SUPPORT_1 = "support_1"
    SUPPORT_2 = "support_2"
    CARE_1 = "care_1"
    CARE_2 = "care_2"
    CARE_3 = "care_3"
    CARE_4 = "care_4"
    CARE_5 = "care_5"


class VenueKind(StrEnum):
    KODOMO_SHOKUDO = "kodomo_shokudo"
    COMMUNITY_CAFE = "community_cafe"
    SALON = "salon"
    FOOD_PANTRY = "food_pantry"
    OTHER = "other"


class AssignmentStatus(StrEnum):
    ACTIVE = "active"
    ENDED = "ended"


class MealType(StrEnum):
    EAT_IN = "eat_in"
    TAKEAWAY = "takeaway"
    DELIVERY = "delivery"
    PANTRY = "pantry"


class VisitKind(StrEnum):
    HOME = "home"
    PHONE = "phone"
    VENUE = "venue"
    ONLINE = "online"


class Referral(StrEnum):
    MUNICIPAL_WELFARE = "municipal_welfare"
    PUBLIC_HEALTH_NURSE = "public_health_nurse"
    SOCIAL_WELFARE_COUNCIL = "social_welfare_council"
    COMMUNITY_NURSE = "community_nurse"
    OTHER = "other"


class ConsentSubject(StrEnum):
    PERSON = "person"
    PROXY = "proxy"


class ConsentMethod(StrEnum):
    WRITTEN = "written"
    VERBAL = "verbal"


class ConsentPurpose(StrEnum):
    SUPPORT = "support"
    VENUE_CONNECTION = "venue_connection"
    REFERRAL = "referral"
    STATISTICS = "statistics"


class ConsentRecipient(StrEnum):
    MUNICIPALITY = "municipality"
    SOCIAL_WELFARE_COUNCIL = "social_welfare_council"
    ASSIGNED_VENUE = "assigned_venue"
    HEALTH_SERVICES = "health_services"


class DataCategory(StrEnum):
    BASIC = "basic"
    CONTACT = "contact"
    SENSITIVE = "sensitive"


class FollowUpStatus(StrEnum):
    OPEN = "open"
    DONE = "done"


class FollowUpSource(StrEnum):
    MANUAL = "manual"
    VISIT = "visit"
    CHECKIN = "checkin"
    RULE = "rule"


class YesNo(StrEnum):
    """A yes/no column of a list (車椅子: ○, あり, 有, はい ...), read through the vocabulary."""

    YES = "yes"
    NO = "no"


class Role(StrEnum):
    ADMIN = "admin"
    COORDINATOR = "coordinator"
    VENUE_STAFF = "venue_staff"
    VIEWER = "viewer"


# Labels per code list: codes repeat across lists ("home", "other", "active"), so each list
# has its own table; a single table keyed by the codes would let one list overwrite another.
LABELS: dict[type[StrEnum], dict[str, tuple[str, str]]] = {
    EvacuationStatus: {
        EvacuationStatus.SHELTER_1_5: ("1.5次避難所", "1.5 special-care shelter"),
        EvacuationStatus.HOTEL: ("2次避難（ホテル・旅館）", "Hotel/ryokan (secondary)"),
        EvacuationStatus.DEEMED_HOUSING: ("みなし仮設", "Deemed temporary housing"),
        EvacuationStatus.TEMPORARY_HOUSING: ("応急仮設住宅", "Prefab temporary housing"),
        EvacuationStatus.RELATIVES: ("親族・知人宅", "Relatives/friends"),
        EvacuationStatus.HOME: ("自宅", "Returned home"),
        EvacuationStatus.OTHER: ("その他", "Other"),
    },
    HouseholdStatus: {
        HouseholdStatus.ACTIVE: ("支援中", "Active"),
        HouseholdStatus.CLOSED: ("支援終了", "Closed"),
    },
    Sex: {
        Sex.FEMALE: ("女性", "Female"),
        Sex.MALE: ("男性", "Male"),
        Sex.OTHER: ("その他", "Other"),
        Sex.UNKNOWN: ("不明", "Unknown"),
    },
    Relation: {
        Relation.HEAD: ("世帯主", "Head"),
        Relation.SPOUSE: ("配偶者", "Spouse"),
        Relation.CHILD: ("子", "Child"),
        Relation.PARENT: ("父母", "Parent"),
        Relation.GRANDCHILD: ("孫", "Grandchild"),
        Relation.GRANDPARENT: ("祖父母", "Grandparent"),
        Relation.SIBLING: ("兄弟姉妹", "Sibling"),
        Relation.CHILD_IN_LAW: ("子の配偶者", "Child-in-law"),
        Relation.OTHER: ("その他", "Other"),
    },
    CareLevel: {
        CareLevel.NONE: ("なし", "None"),
        CareLevel.SUPPORT_1: ("要支援1", "Support level 1"),
        CareLevel.SUPPORT_2: ("要支援2", "Support level 2"),
        CareLevel.CARE_1: ("要介護1", "Care level 1"),
        CareLevel.CARE_2: ("要介護2", "Care level 2"),
        CareLevel.CARE_3: ("要介護3", "Care level 3"),
        CareLevel.CARE_4: ("要介護4", "Care level 4"),
        CareLevel.CARE_5: ("要介護5", "Care level 5"),
    },
    VenueKind: {
        VenueKind.KODOMO_SHOKUDO: ("こども食堂", "Kodomo shokudo"),
        VenueKind.COMMUNITY_CAFE: ("地域食堂・カフェ", "Community cafe"),
        VenueKind.SALON: ("ふれあいサロン", "Community salon"),
        VenueKind.FOOD_PANTRY: ("フードパントリー", "Food pantry"),
        VenueKind.OTHER: ("その他の居場所", "Other community place"),
    },
    AssignmentStatus: {
        AssignmentStatus.ACTIVE: ("利用中", "Active"),
        AssignmentStatus.ENDED: ("終了", "Ended"),
    },
    MealType: {
        MealType.EAT_IN: ("会食", "Eat-in"),
        MealType.TAKEAWAY: ("弁当", "Take-away"),
        MealType.DELIVERY: ("配食", "Delivery"),
        MealType.PANTRY: ("パントリー", "Food pantry"),
    },
    VisitKind: {
        VisitKind.HOME: ("家庭訪問", "Home visit"),
        VisitKind.PHONE: ("電話", "Phone call"),
        VisitKind.VENUE: ("会場で面談", "At a venue"),
        VisitKind.ONLINE: ("オンライン", "Online"),
    },
    Referral: {
        Referral.MUNICIPAL_WELFARE: ("市町福祉課", "Municipal welfare"),
        Referral.PUBLIC_HEALTH_NURSE: ("保健師", "Public health nurse"),
        Referral.SOCIAL_WELFARE_COUNCIL: ("社会福祉協議会", "Social welfare council"),
        Referral.COMMUNITY_NURSE: ("コミュニティナース", "Community nurse"),
        Referral.OTHER: ("その他", "Other"),
    },
    ConsentSubject: {
        ConsentSubject.PERSON: ("本人", "The person"),
        ConsentSubject.PROXY: ("代理人", "A proxy"),
    },
    ConsentMethod: {
        ConsentMethod.WRITTEN: ("書面", "Written"),
        ConsentMethod.VERBAL: ("口頭", "Verbal"),
    },
    ConsentPurpose: {
        ConsentPurpose.SUPPORT: ("生活支援・見守り", "Support and check-ins"),
        ConsentPurpose.VENUE_CONNECTION: ("居場所への紹介", "Connection to a community place"),
        ConsentPurpose.REFERRAL: ("関係機関への紹介", "Referral to services"),
        ConsentPurpose.STATISTICS: ("統計・報告（匿名）", "Anonymous statistics"),
    },
    ConsentRecipient: {
        ConsentRecipient.MUNICIPALITY: ("市町", "Municipality"),
        ConsentRecipient.SOCIAL_WELFARE_COUNCIL: ("社会福祉協議会", "Social welfare council"),
        ConsentRecipient.ASSIGNED_VENUE: ("利用する会場", "The assigned venue"),
        ConsentRecipient.HEALTH_SERVICES: ("保健・医療機関", "Health services"),
    },
    DataCategory: {
        DataCategory.BASIC: ("基本情報", "Basic information"),
        DataCategory.CONTACT: ("連絡先", "Contact details"),
        DataCategory.SENSITIVE: ("要配慮個人情報（健康・障害）", "Sensitive (health, disability)"),
    },
    FollowUpStatus: {
        FollowUpStatus.OPEN: ("未対応", "Open"),
        FollowUpStatus.DONE: ("完了", "Done"),
    },
    FollowUpSource: {
        FollowUpSource.MANUAL: ("手動", "Manual"),
        FollowUpSource.VISIT: ("訪問", "Visit"),
        FollowUpSource.CHECKIN: ("チェックイン", "Check-in"),
        FollowUpSource.RULE: ("リスク判定", "Risk rule"),
    },
    YesNo: {
        YesNo.YES: ("あり", "Yes"),
        YesNo.NO: ("なし", "No"),
    },
    Role: {
        Role.ADMIN: ("管理者", "Administrator"),
        Role.COORDINATOR: ("コーディネーター", "Coordinator"),
        Role.VENUE_STAFF: ("会場スタッフ", "Venue staff"),
        Role.VIEWER: ("閲覧者", "Viewer"),
    },
}


def label(code: StrEnum, lang: str | None = None) -> str:
    ja, en = LABELS[type(code)][code.value]
    return ja if (lang or current_language()) == "ja" else en


def list_name(enum: type[StrEnum]) -> str:
    """The list's name in the vocabulary file: ``VenueKind`` is ``venue_kind``."""
    return re.sub(r"(?<!^)(?=[A-Z])", "_", enum.__name__).lower()


def choices(enum: type[E], lang: str | None = None) -> list[tuple[E, str]]:
    """Every choice of a list with its label, in the list's order (what a picker offers)."""
    return [(member, label(member, lang)) for member in enum]


@functools.cache
def _lookup(enum: type[StrEnum]) -> dict[str, str]:
    """Folded word → code for one list: its codes, both labels and the vocabulary's words.

    Built once per list (every imported row parses several choices). A word that would mean
    two choices of the same list is a mistake in the data and raises, naming both; the test
    suite builds every list, so such a file never ships.
    """
    table: dict[str, str] = {}

    def put(word: str, code: str) -> None:
        key = vocabulary.fold(word)
        if not key:
            return
        if table.setdefault(key, code) != code:
            raise vocabulary.VocabularyError(
                f"{vocabulary.FILE}: “{word}” is both {table[key]} and {code} in {list_name(enum)}"
            )

    for member in enum:
        put(member.value, member.value)
        for text in LABELS[enum][member.value]:
            put(text, member.value)
    codes = {member.value for member in enum}
    for code, words in vocabulary.synonyms(list_name(enum)).items():
        if code not in codes:
            raise vocabulary.VocabularyError(
                f"{vocabulary.FILE}: {list_name(enum)} has no code {code}"
            )
        for word in words:
            put(word, code)
    return table


def parse_choice(enum: type[E], value: str | E | None) -> E:
    """Accept a code, a label in either language or an everyday word for it (子供食堂, 借り上げ
    住宅, 男), in any width, kana or case, as imports, forms and the CLI give them."""
    if isinstance(value, enum):
        return value
    text = str(value or "")
    key = vocabulary.fold(text)
    if not key:
        raise InvalidValue("value.required")
    code = _lookup(enum).get(key)
    if code is None:
        raise InvalidValue("value.choice", value=text.strip())
    return enum(code)
